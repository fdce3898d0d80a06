//! 单位信息 and 工会组织信息: the fields a grassroots union must complete before importing.

use serde::{Deserialize, Serialize};

pub use super::FieldError;
use super::{credit_code, phone};

/// The form as typed (every field free text).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UnionInfoForm {
    pub union_name: String,
    pub unit_name: String,
    pub credit_code: String,
    pub address: String,
    pub contact_person: String,
    pub contact_phone: String,
    pub pickup_branch: String,
}

/// A checked, normalised record: only `UnionInfoForm::parse` makes one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnionInfo {
    pub union_name: String,
    pub unit_name: String,
    pub credit_code: String,
    pub address: String,
    pub contact_person: String,
    pub contact_phone: String,
    pub pickup_branch: String,
}

/// (field, Chinese label) in the order the form shows them.
pub const FIELDS: [(&str, &str); 7] = [
    ("union_name", "工会名称"),
    ("unit_name", "单位名称"),
    ("credit_code", "统一社会信用代码"),
    ("address", "单位地址"),
    ("contact_person", "联系人"),
    ("contact_phone", "联系电话"),
    ("pickup_branch", "领卡网点"),
];

pub fn label(field: &str) -> &'static str {
    FIELDS.iter().find(|(f, _)| *f == field).map(|(_, l)| *l).unwrap_or("")
}

/// The most characters a union's name may have.
pub const UNION_NAME_MAX_CHARS: usize = 100;

/// A union's full name (工会全称) as it is registered and must stand in B3 of the template:
/// trimmed, no spaces anywhere, containing 工会, at most 100 characters. The one rule for
/// opening a union's account and for its info form.
pub fn parse_union_name(raw: &str) -> Result<String, &'static str> {
    let name = raw.trim();
    if name.is_empty() {
        Err("请填写工会全称。")
    } else if name.chars().any(char::is_whitespace) {
        Err("工会名称不能含有空格。")
    } else if !name.contains("工会") {
        Err("请填写工会全称（如“××有限公司工会委员会”），而非单位名称。")
    } else if name.chars().count() > UNION_NAME_MAX_CHARS {
        Err("工会名称不能超过100个字。")
    } else {
        Ok(name.to_string())
    }
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl UnionInfoForm {
    pub fn get(&self, field: &str) -> &str {
        match field {
            "union_name" => &self.union_name,
            "unit_name" => &self.unit_name,
            "credit_code" => &self.credit_code,
            "address" => &self.address,
            "contact_person" => &self.contact_person,
            "contact_phone" => &self.contact_phone,
            "pickup_branch" => &self.pickup_branch,
            _ => "",
        }
    }

    /// Labels of required fields still empty: what the import page names when it is locked.
    pub fn missing(&self) -> Vec<&'static str> {
        FIELDS.iter().filter(|(f, _)| self.get(f).trim().is_empty()).map(|(_, l)| *l).collect()
    }

    /// Every problem at once, so the clerk can fix the whole form in one go.
    pub fn parse(&self) -> Result<UnionInfo, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut err =
            |field: &str, message: &str| errors.push(FieldError { field: field.into(), message: message.into() });
        for (f, l) in FIELDS {
            if self.get(f).trim().is_empty() {
                err(f, &format!("请填写{l}。"));
            }
        }
        // The registered name must match B3 of the template exactly. Empty is named above.
        let union_name: String = self.union_name.trim().to_string();
        if !union_name.is_empty() {
            if let Err(m) = parse_union_name(&union_name) {
                err("union_name", m);
            }
        }
        let unit_name = squash(&self.unit_name);
        if unit_name.chars().count() > 100 {
            err("unit_name", "单位名称不能超过100个字。");
        }
        let mut credit = String::new();
        if !self.credit_code.trim().is_empty() {
            match credit_code::parse(&self.credit_code) {
                Ok(c) => credit = c,
                Err(m) => err("credit_code", m),
            }
        }
        let address = squash(&self.address);
        if address.chars().count() > 200 {
            err("address", "单位地址不能超过200个字。");
        }
        let contact_person = squash(&self.contact_person);
        if contact_person.chars().count() > 50 {
            err("contact_person", "联系人不能超过50个字。");
        }
        let contact_phone: String = self.contact_phone.chars().filter(|c| !c.is_whitespace()).collect();
        if !contact_phone.is_empty() && !phone::is_contact_phone(&contact_phone) {
            err("contact_phone", "联系电话格式不正确（手机号11位，或座机如0755-83288060）。");
        }
        let pickup_branch = self.pickup_branch.trim().to_string();
        if !pickup_branch.is_empty() && !pickup_branch.bytes().all(|b| b.is_ascii_digit()) {
            err("pickup_branch", "无效的领卡网点！");
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(UnionInfo {
            union_name,
            unit_name,
            credit_code: credit,
            address,
            contact_person,
            contact_phone,
            pickup_branch,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complete() -> UnionInfoForm {
        UnionInfoForm {
            union_name: "深圳市示例电子有限公司工会委员会".into(),
            unit_name: "深圳市示例电子有限公司".into(),
            credit_code: "91110000600037341L".into(),
            address: "深圳市福田区深南大道1号".into(),
            contact_person: "王芳".into(),
            contact_phone: "0755-83288060".into(),
            pickup_branch: "104584000101".into(),
        }
    }

    #[test]
    fn a_complete_form_parses() {
        let info = complete().parse().expect("complete form");
        assert_eq!(info.credit_code, "91110000600037341L");
        assert!(complete().missing().is_empty());
    }

    #[test]
    fn every_empty_required_field_is_named() {
        let errs = UnionInfoForm::default().parse().unwrap_err();
        assert_eq!(errs.len(), FIELDS.len());
        assert_eq!(UnionInfoForm::default().missing().len(), FIELDS.len());
    }

    #[test]
    fn a_union_name_with_spaces_is_refused_as_the_guide_warns() {
        let mut f = complete();
        f.union_name = "深圳市示例电子 有限公司工会委员会".into();
        let errs = f.parse().unwrap_err();
        assert_eq!(errs[0].field, "union_name");
    }

    #[test]
    fn union_names_follow_one_rule() {
        let long = format!("{}工会", "深".repeat(98));
        assert_eq!(long.chars().count(), 100);
        assert_eq!(parse_union_name(&long).as_deref(), Ok(long.as_str()), "100 characters is the most");
        assert_eq!(
            parse_union_name("  深圳市示例电子有限公司工会委员会\u{3000}").as_deref(),
            Ok("深圳市示例电子有限公司工会委员会"),
            "surrounding spaces are trimmed"
        );
        let cases = [
            ("", "请填写工会全称。", "empty"),
            (" \u{3000} ", "请填写工会全称。", "only spaces"),
            ("深圳市示例电子 有限公司工会委员会", "工会名称不能含有空格。", "an inner space"),
            ("深圳市示例电子\u{3000}有限公司工会委员会", "工会名称不能含有空格。", "an inner full-width space"),
            ("深圳市示例\t工会", "工会名称不能含有空格。", "a tab"),
            ("深圳市示例电子有限公司", "请填写工会全称（如“××有限公司工会委员会”），而非单位名称。", "the unit's name"),
            ("深圳市示例电子有限公司工委会", "请填写工会全称（如“××有限公司工会委员会”），而非单位名称。", "no 工会"),
            (&format!("{long}会"), "工会名称不能超过100个字。", "101 characters"),
        ];
        for (raw, message, why) in cases {
            assert_eq!(parse_union_name(raw), Err(message), "{raw:?}: {why}");
        }
    }

    #[test]
    fn the_info_form_names_an_empty_union_name_as_it_names_every_empty_field() {
        let mut f = complete();
        f.union_name = "  ".into();
        let errs = f.parse().unwrap_err();
        let messages: Vec<_> = errs.iter().filter(|e| e.field == "union_name").map(|e| e.message.as_str()).collect();
        assert_eq!(messages, ["请填写工会名称。"], "one message, the form's own for an empty field");
        f.union_name = format!("{}工会", "深".repeat(99));
        assert_eq!(f.parse().unwrap_err()[0].message, "工会名称不能超过100个字。");
    }

    #[test]
    fn a_unit_name_in_place_of_the_union_name_is_refused() {
        let mut f = complete();
        f.union_name = "深圳市示例电子有限公司".into();
        assert_eq!(f.parse().unwrap_err()[0].field, "union_name");
    }

    #[test]
    fn bad_phone_and_code_are_both_reported() {
        let mut f = complete();
        f.contact_phone = "12345".into();
        f.credit_code = "123".into();
        let fields: Vec<_> = f.parse().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["credit_code", "contact_phone"]);
    }
}
