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
        // The registered name must match B3 of the template exactly: no spaces anywhere.
        let union_name: String = self.union_name.trim().to_string();
        if !union_name.is_empty() {
            if union_name.chars().any(char::is_whitespace) {
                err("union_name", "工会名称不能含有空格。");
            } else if !union_name.contains("工会") {
                err("union_name", "请填写工会全称（如“××有限公司工会委员会”），而非单位名称。");
            } else if union_name.chars().count() > 100 {
                err("union_name", "工会名称不能超过100个字。");
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
