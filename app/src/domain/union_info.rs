//! 单位信息 and 工会组织信息: the fields a grassroots union must complete before importing.

use serde::{Deserialize, Serialize};

pub use super::FieldError;
use super::{credit_code, phone};

/// The form as typed (every field free text).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UnionInfoForm {
    pub union_name: String,
    pub unit_name: String,
    pub credit_code: String,
    pub address: String,
    pub contact_person: String,
    pub contact_phone: String,
    pub pickup_branch: String,
    /// 批量开卡协议: the partner branch (行号) the union signed the batch card agreement with,
    /// and the signing day (`YYYY-MM-DD`). Not needed to import; needed to apply for cards.
    pub agreement_branch: String,
    pub agreement_signed_on: String,
}

/// The batch card agreement (批量开卡协议) a union has signed with a bank branch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agreement {
    pub branch: String,
    pub signed_on: super::calendar::Date,
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
    pub agreement: Option<Agreement>,
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
            "agreement_branch" => &self.agreement_branch,
            "agreement_signed_on" => &self.agreement_signed_on,
            _ => "",
        }
    }

    /// Labels of required fields still empty: what the import page names when it is locked.
    pub fn missing(&self) -> Vec<&'static str> {
        FIELDS.iter().filter(|(f, _)| self.get(f).trim().is_empty()).map(|(_, l)| *l).collect()
    }

    /// Why batch card applications are locked for this union, or `None` when they are open: the
    /// required info must be complete and the bank agreement recorded (the guide's 四.1).
    pub fn batch_lock(&self) -> Option<String> {
        let missing = self.missing();
        if !missing.is_empty() {
            Some(format!("请先完善单位信息和工会组织信息（尚未填写：{}），再发起批量办卡。", missing.join("、")))
        } else if self.agreement_branch.trim().is_empty() || self.agreement_signed_on.trim().is_empty() {
            Some("请先在单位信息中登记与银行签订的批量开卡协议（合作网点和签约日期），再发起批量办卡。".into())
        } else {
            None
        }
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
        // the agreement: both parts or neither
        let agreement_branch = self.agreement_branch.trim().to_string();
        let signed_on = self.agreement_signed_on.trim();
        let mut agreement = None;
        match (agreement_branch.is_empty(), signed_on.is_empty()) {
            (true, true) => {}
            (false, true) => err("agreement_signed_on", "请填写批量开卡协议的签约日期。"),
            (true, false) => err("agreement_branch", "请选择签订批量开卡协议的银行网点。"),
            (false, false) => {
                if !agreement_branch.bytes().all(|b| b.is_ascii_digit()) {
                    err("agreement_branch", "无效的合作网点！");
                }
                match super::calendar::Date::parse(signed_on) {
                    Some(d) => agreement = Some(Agreement { branch: agreement_branch.clone(), signed_on: d }),
                    None => err("agreement_signed_on", "签约日期格式不正确（如 2026-03-01）。"),
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(UnionInfo {
            agreement,
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
            agreement_branch: "104584000101".into(),
            agreement_signed_on: "2026-03-01".into(),
        }
    }

    #[test]
    fn a_complete_form_parses() {
        let info = complete().parse().expect("complete form");
        assert_eq!(info.credit_code, "91110000600037341L");
        assert!(complete().missing().is_empty());
        assert_eq!(complete().batch_lock(), None);
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

    #[test]
    fn the_bank_agreement_is_both_parts_or_neither_and_opens_batch_applications() {
        let none = UnionInfoForm { agreement_branch: String::new(), agreement_signed_on: String::new(), ..complete() };
        assert_eq!(none.parse().unwrap().agreement, None, "importing needs no agreement");
        assert!(none.batch_lock().unwrap().contains("批量开卡协议"));
        let info = complete().parse().unwrap();
        assert_eq!(info.agreement.unwrap().signed_on.to_string(), "2026-03-01");
        for (branch, day, field) in [
            ("104584000101", "", "agreement_signed_on"),
            ("", "2026-03-01", "agreement_branch"),
            ("104584000101", "2026-02-30", "agreement_signed_on"),
            ("网点", "2026-03-01", "agreement_branch"),
        ] {
            let form = UnionInfoForm { agreement_branch: branch.into(), agreement_signed_on: day.into(), ..complete() };
            let errors = form.parse().unwrap_err();
            assert_eq!(errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), [field], "{branch:?} {day:?}");
        }
        let incomplete = UnionInfoForm { address: String::new(), ..complete() };
        assert!(incomplete.batch_lock().unwrap().contains("单位地址"), "missing info is named first");
    }
}
