//! Who a user is: the four roles and the levels of the union tree.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Supervisor,
    Union,
    Bank,
    Member,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Supervisor, Role::Union, Role::Bank, Role::Member];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Supervisor => "supervisor",
            Role::Union => "union",
            Role::Bank => "bank",
            Role::Member => "member",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Supervisor => "上级工会",
            Role::Union => "基层工会",
            Role::Bank => "银行网点",
            Role::Member => "会员",
        }
    }

    /// The portal name the guide uses for this role.
    pub fn portal(self) -> &'static str {
        match self {
            Role::Supervisor => "工会业务工作平台",
            Role::Union => "基层工会工作平台",
            Role::Bank => "中国银行会员服务卡工作台",
            Role::Member => "会员服务平台",
        }
    }

    /// Where the role lands after login.
    pub fn home(self) -> &'static str {
        match self {
            Role::Supervisor => "/supervisor",
            Role::Union => "/union",
            Role::Bank => "/bank",
            Role::Member => "/me",
        }
    }
}

/// Levels of the union tree: city → district → street/park → grassroots.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnionLevel {
    City,
    District,
    Street,
    Grassroots,
}

impl UnionLevel {
    pub const ALL: [UnionLevel; 4] =
        [UnionLevel::City, UnionLevel::District, UnionLevel::Street, UnionLevel::Grassroots];

    pub fn as_str(self) -> &'static str {
        match self {
            UnionLevel::City => "city",
            UnionLevel::District => "district",
            UnionLevel::Street => "street",
            UnionLevel::Grassroots => "grassroots",
        }
    }

    pub fn parse(s: &str) -> Option<UnionLevel> {
        UnionLevel::ALL.into_iter().find(|l| l.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            UnionLevel::City => "市总工会",
            UnionLevel::District => "区总工会",
            UnionLevel::Street => "街道（园区）总工会",
            UnionLevel::Grassroots => "基层工会",
        }
    }

    /// The levels a union of this level may open directly below itself.
    pub fn children(self) -> &'static [UnionLevel] {
        match self {
            UnionLevel::City => &[UnionLevel::Grassroots, UnionLevel::District, UnionLevel::Street],
            UnionLevel::District => &[UnionLevel::Grassroots, UnionLevel::Street],
            UnionLevel::Street => &[UnionLevel::Grassroots],
            UnionLevel::Grassroots => &[],
        }
    }

    /// The role of the account that runs a union of this level.
    pub fn account_role(self) -> Role {
        if self == UnionLevel::Grassroots {
            Role::Union
        } else {
            Role::Supervisor
        }
    }
}

crate::text_column!(Role, "role");
crate::text_column!(UnionLevel, "union level");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_their_code_names() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("admin"), None);
    }

    #[test]
    fn a_grassroots_union_opens_nothing_below_itself() {
        assert!(UnionLevel::Grassroots.children().is_empty());
        assert!(UnionLevel::Street.children().contains(&UnionLevel::Grassroots));
        assert!(!UnionLevel::Street.children().contains(&UnionLevel::District));
    }
}
