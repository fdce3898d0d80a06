//! 信息采集常见问题汇总: the guide's FAQ of import errors, verbatim, and which error codes of an
//! import preview each entry explains. The help centre shows it, each error of a preview links
//! to its entry, and the supervisor's ranking of import errors names them by it.

use serde::{Deserialize, Serialize};

/// One entry of the FAQ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FaqEntry {
    /// The anchor of the entry on the FAQ page (`/help/faq#…`).
    pub slug: &'static str,
    /// 错误类型
    pub kind: &'static str,
    /// 错误内容, as the system shows it.
    pub message: &'static str,
    /// 原因
    pub causes: &'static [&'static str],
    /// 解决方法
    pub remedies: &'static [&'static str],
    /// The preview's error codes this entry explains.
    pub codes: &'static [&'static str],
}

const HEADER: &str = "表头内容或格式错误";
const MEMBER: &str = "会员信息填写错误";

pub const FAQ: &[FaqEntry] = &[
    FaqEntry {
        slug: "union-name",
        kind: HEADER,
        message: "工会名称不匹配！",
        causes: &["信息采集表内工会名称与系统内工会名称不一致", "信息采集表内工会名称含空格"],
        remedies: &[
            "检查表格内工会名称是否正确填写（此处为工会名称非单位名称）",
            "登录基层工会账号，依次点击“单位信息”-“工会组织信息”，复制“工会名称”填写至信息采集表内。",
        ],
        codes: &["union_name_mismatch"],
    },
    FaqEntry {
        slug: "income-band",
        kind: HEADER,
        message: "职工平均月收入编码错误！",
        causes: &["“*职工平均月收入”未按照表格要求填写"],
        remedies: &["该项分五档按档次填写阿拉伯数字“1-5”，其中“0-4999”档次填写“1”；“5000-19999”档次填写“2”；“20000-49999”档次填写“3”；“50000-99999”档次填写“4”；“100000以上”档次填写“5”。"],
        codes: &["income_band_invalid"],
    },
    FaqEntry {
        slug: "unit-type",
        kind: HEADER,
        message: "单位类型填写错误！",
        causes: &["“*单位类型”未按照表格要求填写"],
        remedies: &["该项若为“机关事业单位”请填“34”；若为“企业”请填“60”；“其他”请填“39”。"],
        codes: &["unit_type_invalid"],
    },
    FaqEntry {
        slug: "branch",
        kind: HEADER,
        message: "无效的领卡网点！",
        causes: &["“*领卡网点”未按照表格要求填写"],
        remedies: &["填报人必须在银行工作人员的指引下正确填写开卡网点编号。"],
        codes: &["branch_invalid"],
    },
    FaqEntry {
        slug: "shenzhen-tong",
        kind: HEADER,
        message: "是否深圳通请填写【是】或【否】！",
        causes: &["“*是否加载深圳通”未按照表格要求填写"],
        remedies: &["请明确填写“是”或“否”。填“是”，银行将免费为会员服务卡加载深圳通功能。"],
        codes: &["shenzhen_tong_invalid"],
    },
    FaqEntry {
        slug: "header",
        kind: HEADER,
        message: "请把表头内容填写完整！",
        causes: &["表头内容填写不完整", "表头格式错误（不可修改、合并、删除表头格式）", "表头“附件2”行遭删除"],
        remedies: &["登录基层工会账号，依次点击“会员管理”-“会员信息”-“下载会员模板”，根据模板修改表头，或将内容复制到标准模板内使用。"],
        codes: &["header_incomplete", "beyond_column_m"],
    },
    FaqEntry {
        slug: "id-invalid",
        kind: MEMBER,
        message: "身份证号码无效，请核对身份证原件,并检查所填数据中是否存在字母\"O\"！",
        causes: &["身份证号填写错误", "所填数据中存在字母\"O\"！"],
        remedies: &[
            "核对身份证原件，正确填写身份证号码",
            "将身份证号码中的字幕“O”改为数字“0”",
            "若以上操作皆无法解决问题，可尝试将表格内身份证号删除，在其他无格式的文本中输入该身份证号码并复制入表格",
        ],
        codes: &[
            "id_number_letter_o",
            "id_number_checksum",
            "id_number_date",
            "id_number_future",
            "id_number_chars",
            "id_number_format",
            "id_number_numeric",
        ],
    },
    FaqEntry {
        slug: "id-other-document",
        kind: MEMBER,
        message: "证件号码无效或者为非居民身份证时，国家/地区必填！",
        causes: &["证件号码无效或者为非居民身份证时，“国家/地区”、“证件类型”、“出生日期”必须填写。"],
        remedies: &[
            "正确填写“国家/地区”、“证件类型”、“出生日期”。",
            "*证件类型为其他类型时：性别、出生日期、证件类型、国家或地区为必填。其中：1.证件类型必须按以下内容、格式填写清楚：护照、户口簿、外国人居留许可证、港澳居民来往内地通行证（香港）、港澳居民来往内地通行证（澳门）、台湾居民来往大陆通行证、其他。2.必须明确填写“国家或地区”",
        ],
        codes: &["country_required", "id_type_required", "birth_date_required", "sex_required", "id_type_invalid"],
    },
    FaqEntry {
        slug: "id-length",
        kind: MEMBER,
        message: "身份证号码格式错误，请填写18位正确的身份证号码！",
        causes: &["身份证号码位数错误"],
        remedies: &["核对身份证原件，填写18位正确的身份证号码"],
        codes: &["id_number_length"],
    },
    FaqEntry {
        slug: "phone",
        kind: MEMBER,
        message: "手机号码：136xxxxxxxx为无效手机号，请填写长度为11位数字的有效手机号码。",
        causes: &["手机号位数错误"],
        remedies: &["请填写长度为11位数字的有效手机号码"],
        codes: &["phone_invalid"],
    },
    FaqEntry {
        slug: "id-duplicate",
        kind: MEMBER,
        message: "同xx行的某某人证件号码相同。",
        causes: &["不同会员在表格内存在相同的证件号码"],
        remedies: &["检查报错行身份证号码是否正确"],
        codes: &["id_duplicate_in_file"],
    },
    FaqEntry {
        slug: "id-exists",
        kind: MEMBER,
        message: "该证件号码已存在！",
        causes: &["证件号码与姓名不对应", "该会员身份证已存在于其他工会"],
        remedies: &["核实身份证号码与姓名是否对应", "该会员是否已在其他单位录入"],
        codes: &["id_name_mismatch", "id_in_other_union"],
    },
    FaqEntry {
        slug: "id-exists-here",
        kind: MEMBER,
        message: "该证件号码在【xxxxxx工会委员会】中已存在！",
        causes: &["该证件号码在会员信息中已存在"],
        remedies: &["删除重复录入的会员信息"],
        codes: &["id_exists_in_union"],
    },
    FaqEntry {
        slug: "formula",
        kind: MEMBER,
        message: "手机号码：VLOOKUP(B7,'[1]160318'!$A$1:$D$65536,4,0)为无效手机号，请填写长度为11位数字的有效手机号码。",
        causes: &["企业系统内批量导出的会员信息带有系统路径"],
        remedies: &["在错误单元格右键点击“复制”，然后重新黏贴至该单元格，黏贴选项选择“值”。"],
        codes: &["formula_cell", "error_cell"],
    },
];

/// 服务热线 as the guide's §五（三） gives them: what the database starts with (migration 0019);
/// the city-level supervisor edits them from there.
pub const GUIDE_HOTLINES: &[(&str, &str)] =
    &[("工会热线", "12351"), ("会员信息采集及卡片办理业务", "83288060、83288565"), ("系统技术支持", "88135133")];

/// A line of 服务热线: what to call about, and the number(s).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Hotline {
    pub label: String,
    pub number: String,
}

/// Lines the help centre lists at most.
pub const MAX_HOTLINES: usize = 8;
const MAX_LABEL_CHARS: usize = 30;
const MAX_NUMBER_CHARS: usize = 40;

/// The lines as the editor sent them, trimmed, blank rows dropped: at least one line, at most
/// [`MAX_HOTLINES`], each with a name and a number made of digits and the separators people
/// write numbers with. The error names the row (1-based) and says what is wrong.
pub fn check_hotlines(lines: &[Hotline]) -> Result<Vec<Hotline>, String> {
    let mut kept = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let (label, number) = (line.label.trim(), line.number.trim());
        if label.is_empty() && number.is_empty() {
            continue;
        }
        let row = i + 1;
        if label.is_empty() {
            return Err(format!("第{row}行：请填写热线名称。"));
        }
        if number.is_empty() {
            return Err(format!("第{row}行：请填写号码。"));
        }
        if label.chars().count() > MAX_LABEL_CHARS || label.chars().any(char::is_control) {
            return Err(format!("第{row}行：热线名称不超过{MAX_LABEL_CHARS}个字。"));
        }
        let number_chars = |c: char| c.is_ascii_digit() || "-、，, ()（）转/".contains(c);
        if number.chars().count() > MAX_NUMBER_CHARS || !number.chars().all(number_chars) {
            return Err(format!(
                "第{row}行：号码只能填写数字和“-”“、”“转”等分隔符号，不超过{MAX_NUMBER_CHARS}个字符。"
            ));
        }
        if !number.chars().any(|c| c.is_ascii_digit()) {
            return Err(format!("第{row}行：号码中没有数字。"));
        }
        kept.push(Hotline { label: label.to_string(), number: number.to_string() });
    }
    if kept.is_empty() {
        return Err("请至少填写一条服务热线。".into());
    }
    if kept.len() > MAX_HOTLINES {
        return Err(format!("服务热线最多{MAX_HOTLINES}条。"));
    }
    Ok(kept)
}

/// The FAQ entry that explains an error code of an import preview, if the guide has one.
pub fn entry_for(code: &str) -> Option<&'static FaqEntry> {
    FAQ.iter().find(|e| e.codes.contains(&code))
}

/// How the supervisor's ranking names an import error: the FAQ's message where the guide has
/// one, else the field with 填写不符合要求.
pub fn error_label(field: &str, code: &str) -> String {
    use crate::domain::member::{MSG_BIRTH_DATE_REQUIRED, MSG_ID_TYPE_INVALID, MSG_ID_TYPE_REQUIRED, MSG_SEX_REQUIRED};
    // the entry for a document other than the resident ID card is headed by its 国家/地区
    // message; its other fields have messages of their own
    let own = match code {
        "id_type_required" => Some(MSG_ID_TYPE_REQUIRED),
        "id_type_invalid" => Some(MSG_ID_TYPE_INVALID),
        "birth_date_required" => Some(MSG_BIRTH_DATE_REQUIRED),
        "sex_required" => Some(MSG_SEX_REQUIRED),
        _ => None,
    };
    match (own, entry_for(code)) {
        (Some(message), _) => message.to_string(),
        (None, Some(e)) => e.message.to_string(),
        (None, None) => format!("{field}填写不符合要求"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(label: &str, number: &str) -> Hotline {
        Hotline { label: label.into(), number: number.into() }
    }

    #[test]
    fn each_field_of_the_other_document_entry_is_named_by_its_own_message() {
        assert_eq!(error_label("国家/地区", "country_required"), "证件号码无效或者为非居民身份证时，国家/地区必填！");
        assert_eq!(error_label("出生日期", "birth_date_required"), "证件号码无效或者为非居民身份证时，出生日期必填！");
        assert_eq!(error_label("性别", "sex_required"), "证件号码无效或者为非居民身份证时，性别必填！");
        assert_eq!(error_label("证件类型", "id_type_required"), "证件号码无效或者为非居民身份证时，证件类型必填！");
        assert_eq!(error_label("证件类型", "id_type_invalid"), "证件类型填写错误！");
        assert_eq!(entry_for("sex_required").map(|e| e.slug), Some("id-other-document"), "the same FAQ entry");
    }

    #[test]
    fn hotlines_are_trimmed_blank_rows_dropped_and_bad_rows_named() {
        let guide: Vec<Hotline> = GUIDE_HOTLINES.iter().map(|(l, n)| line(l, n)).collect();
        assert_eq!(check_hotlines(&guide), Ok(guide.clone()), "the guide's own lines pass");
        assert_eq!(
            check_hotlines(&[line(" 工会热线 ", " 12351 "), line("", ""), line("服务网点", "0755-8328 8060转1")]),
            Ok(vec![line("工会热线", "12351"), line("服务网点", "0755-8328 8060转1")])
        );
        assert_eq!(check_hotlines(&[line("", ""), line("", "")]), Err("请至少填写一条服务热线。".into()));
        assert_eq!(
            check_hotlines(&[line("工会热线", "12351"), line("", "8888")]),
            Err("第2行：请填写热线名称。".into())
        );
        assert_eq!(check_hotlines(&[line("工会热线", "")]), Err("第1行：请填写号码。".into()));
        assert!(check_hotlines(&[line("工会热线", "<script>")]).unwrap_err().starts_with("第1行：号码只能填写数字"));
        assert!(check_hotlines(&[line("工会热线", "——")]).unwrap_err().starts_with("第1行：号码只能"));
        assert_eq!(check_hotlines(&[line("工会热线", "-、")]), Err("第1行：号码中没有数字。".into()));
        let many: Vec<Hotline> = (0..=MAX_HOTLINES).map(|i| line("热线", &format!("{i}"))).collect();
        assert_eq!(check_hotlines(&many), Err(format!("服务热线最多{MAX_HOTLINES}条。")));
        assert!(check_hotlines(&[line(&"名".repeat(31), "1")]).unwrap_err().contains("不超过30个字"));
    }

    #[test]
    fn every_entry_has_its_own_anchor_and_codes() {
        let mut slugs: Vec<&str> = FAQ.iter().map(|e| e.slug).collect();
        slugs.sort();
        slugs.dedup();
        assert_eq!(slugs.len(), FAQ.len());
        let mut codes: Vec<&str> = FAQ.iter().flat_map(|e| e.codes.iter().copied()).collect();
        let n = codes.len();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), n, "a code belongs to one entry");
        assert_eq!(entry_for("id_number_letter_o").map(|e| e.slug), Some("id-invalid"));
        assert_eq!(error_label("姓名", "name_required"), "姓名填写不符合要求");
    }
}
