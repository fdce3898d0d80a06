//! One member row of the collection template (columns A–M), as typed and as checked.
//! `MemberInput::parse` is the only way to a `MemberRecord`; the import and the browser's
//! member edit form both use it, so a row passes or fails the same way everywhere.
//!
//! When 证件类型 is blank the row is a 居民身份证 row:
//! * A number that passes GB 11643 is accepted whatever its address code, which covers
//!   港澳台居民居住证 (`810000`/`820000`/`830000`, whose 国家/地区 is then filled in as
//!   中国香港/中国澳门/中国台湾 when blank; domain.md accepts them with the type blank).
//! * A number that is not a valid 居民身份证 number makes 国家/地区, 性别 and 出生日期 required
//!   (domain.md, and the guide's `证件号码无效或者为非居民身份证时，…必填！`): a mistyped
//!   居民身份证 (18 characters, or 15–20 of digits, O and a final X: see `looks_like_resident_id`)
//!   gets its ID error beside them; some other document entered without its type (e.g.
//!   `E12345678`, or a 外国人永久居留身份证 of either version, `9…` from 2023) gets
//!   `证件号码无效或者为非居民身份证时，证件类型必填！` beside them.
//!
//! With any other 证件类型, 国家/地区, 性别 and 出生日期 are required. Whenever the number passes
//! GB 11643 (whatever the type), a 性别 or 出生日期 given must agree with it.

use serde::{Deserialize, Serialize};

use super::id_document::{
    birth_date_and_sex, classify, compact_half_width, is_invisible_space, letter_o_positions, looks_like_resident_id,
    normalise_id, resident_id_problems, IdKind, IdType, ResidentIdProblem, Sex,
};
use super::id_number::is_real_date;
use super::phone::is_mobile;
use super::sheet::NormKind;

/// (field code, header text without `*`) in column order A–M.
pub const FIELDS: [(&str, &str); 13] = [
    ("seq", "序号"),
    ("name", "姓名"),
    ("id_type", "证件类型"),
    ("id_number", "证件号码"),
    ("country", "国家/地区"),
    ("sex", "性别"),
    ("birth_date", "出生日期"),
    ("phone", "手机号码"),
    ("ethnicity", "民族"),
    ("education", "学历"),
    ("migrant_worker", "是否农民工"),
    ("department", "部门"),
    ("remark", "备注"),
];

/// 0-based column (A = 0) of a field code.
pub fn field_column(field: &str) -> Option<usize> {
    FIELDS.iter().position(|(f, _)| *f == field)
}

/// The header text (without `*`) of a field code.
pub fn field_label(field: &str) -> &'static str {
    FIELDS.iter().find(|(f, _)| *f == field).map(|(_, l)| *l).unwrap_or("")
}

// The guide's messages and remedies (解决方法), verbatim.
pub const MSG_ID_INVALID: &str = "身份证号码无效，请核对身份证原件,并检查所填数据中是否存在字母\"O\"！";
pub const HINT_ID_INVALID: &str = "1.核对身份证原件，正确填写身份证号码\n2.将身份证号码中的字幕“O”改为数字“0”\n3.若以上操作皆无法解决问题，可尝试将表格内身份证号删除，在其他无格式的文本中输入该身份证号码并复制入表格";
pub const MSG_ID_LENGTH: &str = "身份证号码格式错误，请填写18位正确的身份证号码！";
pub const HINT_ID_LENGTH: &str = "核对身份证原件，填写18位正确的身份证号码";
pub const MSG_COUNTRY_REQUIRED: &str = "证件号码无效或者为非居民身份证时，国家/地区必填！";
pub const MSG_ID_TYPE_REQUIRED: &str = "证件号码无效或者为非居民身份证时，证件类型必填！";
pub const MSG_ID_TYPE_INVALID: &str = "证件类型填写错误！";
pub const MSG_BIRTH_DATE_REQUIRED: &str = "证件号码无效或者为非居民身份证时，出生日期必填！";
/// Not in the guide's table; the guide's note makes 性别 required in the same case.
pub const MSG_SEX_REQUIRED: &str = "证件号码无效或者为非居民身份证时，性别必填！";
pub const HINT_REQUIRED: &str = "正确填写“国家/地区”、“证件类型”、“出生日期”。\n*证件类型为其他类型时：性别、出生日期、证件类型、国家或地区为必填。其中：1.证件类型必须按以下内容、格式填写清楚：护照、户口簿、外国人居留许可证、港澳居民来往内地通行证（香港）、港澳居民来往内地通行证（澳门）、台湾居民来往大陆通行证、其他。2.必须明确填写“国家或地区”";
pub const HINT_PHONE: &str = "请填写长度为11位数字的有效手机号码";
pub const HINT_DUPLICATE: &str = "检查报错行身份证号码是否正确";

/// `手机号码：{value}为无效手机号，请填写长度为11位数字的有效手机号码。`
pub fn phone_message(value: &str) -> String {
    format!("手机号码：{value}为无效手机号，请填写长度为11位数字的有效手机号码。")
}

/// `同{row}行的{name}证件号码相同。`: `row` and `name` are those of the earlier occurrence.
pub fn duplicate_message(row: u32, name: &str) -> String {
    format!("同{row}行的{name}证件号码相同。")
}

/// The template's 13 fields as typed (or as read from the cells).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MemberInput {
    pub seq: String,
    pub name: String,
    pub id_type: String,
    pub id_number: String,
    pub country: String,
    pub sex: String,
    pub birth_date: String,
    pub phone: String,
    pub ethnicity: String,
    pub education: String,
    pub migrant_worker: String,
    pub department: String,
    pub remark: String,
}

/// A checked member: only `MemberInput::parse` makes one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRecord {
    /// Trimmed, inner runs of spaces made one.
    pub name: String,
    /// As written in 证件类型 (blank = 居民身份证).
    pub id_type: IdType,
    /// What the number was recognised as by its form, whatever `id_type` says.
    pub id_kind: Option<IdKind>,
    /// Normalised (half-width, no spaces, upper-case X).
    pub id_number: String,
    pub country: Option<String>,
    pub sex: Sex,
    /// `YYYY-MM-DD`.
    pub birth_date: String,
    /// 11 digits.
    pub phone: String,
    pub ethnicity: String,
    pub education: String,
    pub migrant_worker: Option<bool>,
    pub department: String,
    pub remark: String,
}

/// One problem of a row, in the words shown to the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberFieldError {
    /// The field code, e.g. `id_number` (see `FIELDS`).
    pub field: String,
    /// A stable machine code, e.g. `id_number_checksum`.
    pub code: String,
    /// The guide's message, verbatim where the guide has one.
    pub message: String,
    /// The guide's remedy (解决方法), or one written in its manner.
    pub hint: String,
}

/// A member as the `members` table stores it: every column TEXT, blanks as NULL.
/// `id_type` is the bank's code (`01`…), `sex` 男/女, `migrant_worker` 是/否. Serialised as
/// an array of its columns in this order, to keep a staged import compact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "StoredRow", from = "StoredRow")]
pub struct StoredMember {
    pub name: String,
    pub id_type: String,
    pub id_number: String,
    pub country: Option<String>,
    pub sex: Option<String>,
    pub birth_date: Option<String>,
    pub phone: String,
    pub ethnicity: Option<String>,
    pub education: Option<String>,
    pub migrant_worker: Option<String>,
    pub department: Option<String>,
    pub remark: Option<String>,
}

type Text = Option<String>;

/// `StoredMember`'s columns as a tuple: the serialised form.
#[derive(Serialize, Deserialize)]
struct StoredRow(String, String, String, Text, Text, Text, String, Text, Text, Text, Text, Text);

impl From<StoredMember> for StoredRow {
    fn from(m: StoredMember) -> Self {
        StoredRow(
            m.name,
            m.id_type,
            m.id_number,
            m.country,
            m.sex,
            m.birth_date,
            m.phone,
            m.ethnicity,
            m.education,
            m.migrant_worker,
            m.department,
            m.remark,
        )
    }
}

impl From<StoredRow> for StoredMember {
    fn from(r: StoredRow) -> Self {
        let StoredRow(
            name,
            id_type,
            id_number,
            country,
            sex,
            birth_date,
            phone,
            ethnicity,
            education,
            migrant_worker,
            department,
            remark,
        ) = r;
        StoredMember {
            name,
            id_type,
            id_number,
            country,
            sex,
            birth_date,
            phone,
            ethnicity,
            education,
            migrant_worker,
            department,
            remark,
        }
    }
}

fn non_empty(s: &str) -> Option<String> {
    if s.is_empty() {
        None
    } else {
        Some(s.to_string())
    }
}

impl From<&MemberRecord> for StoredMember {
    fn from(m: &MemberRecord) -> Self {
        StoredMember {
            name: m.name.clone(),
            id_type: m.id_type.code().to_string(),
            id_number: m.id_number.clone(),
            country: m.country.clone(),
            sex: Some(m.sex.label().to_string()),
            birth_date: Some(m.birth_date.clone()),
            phone: m.phone.clone(),
            ethnicity: non_empty(&m.ethnicity),
            education: non_empty(&m.education),
            migrant_worker: m.migrant_worker.map(|b| if b { "是" } else { "否" }.to_string()),
            department: non_empty(&m.department),
            remark: non_empty(&m.remark),
        }
    }
}

impl MemberRecord {
    /// The record back as form input, for the edit form.
    pub fn to_input(&self) -> MemberInput {
        MemberInput {
            seq: String::new(),
            name: self.name.clone(),
            id_type: self.id_type.label().to_string(),
            id_number: self.id_number.clone(),
            country: self.country.clone().unwrap_or_default(),
            sex: self.sex.label().to_string(),
            birth_date: self.birth_date.clone(),
            phone: self.phone.clone(),
            ethnicity: self.ethnicity.clone(),
            education: self.education.clone(),
            migrant_worker: match self.migrant_worker {
                Some(true) => "是".into(),
                Some(false) => "否".into(),
                None => String::new(),
            },
            department: self.department.clone(),
            remark: self.remark.clone(),
        }
    }
}

/// A date as `YYYY-MM-DD` from `yyyy-mm-dd`, `yyyymmdd`, `yyyy/m/d` (also `yyyy.m.d`,
/// `yyyy-m-d`, `yyyy年m月d日`); full-width digits and surrounding spaces are fine.
/// `None` unless it is a real date from 1900 on.
pub fn parse_date(s: &str) -> Option<String> {
    let t = s.trim();
    let half;
    let t = if t.is_ascii() {
        t
    } else {
        half = compact_half_width(t).0;
        half.strip_suffix('日').unwrap_or(&half)
    };
    // A time of day after the date (`1990-01-31 00:00:00`) is ignored.
    let t = match t.split_once(' ') {
        Some((date, time)) if time.bytes().all(|b| b.is_ascii_digit() || b == b':') => date,
        _ => t,
    };
    let (y, m, d) = if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
        (&t[..4], &t[4..6], &t[6..])
    } else {
        let mut parts = t.split(['-', '/', '.', '年', '月']);
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        (y, m, d)
    };
    let digits =
        |x: &str, n: std::ops::RangeInclusive<usize>| n.contains(&x.len()) && x.bytes().all(|b| b.is_ascii_digit());
    if !digits(y, 4..=4) || !digits(m, 1..=2) || !digits(d, 1..=2) {
        return None;
    }
    let ymd = format!("{y}{m:0>2}{d:0>2}");
    is_real_date(&ymd).then(|| format!("{}-{}-{}", &ymd[..4], &ymd[4..6], &ymd[6..]))
}

fn is_name_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// `today` as YYYYMMDD (a `YYYY-MM-DD` is accepted too).
fn today8(today: &str) -> std::borrow::Cow<'_, str> {
    if today.len() == 8 {
        today.into()
    } else {
        today.chars().filter(char::is_ascii_digit).collect::<String>().into()
    }
}

struct Errors(Vec<MemberFieldError>);

impl Errors {
    fn push(&mut self, field: &str, code: &str, message: impl Into<String>, hint: impl Into<String>) {
        self.0.push(MemberFieldError {
            field: field.into(),
            code: code.into(),
            message: message.into(),
            hint: hint.into(),
        });
    }
}

/// The hint for a letter O: where it is, then the guide's remedy.
fn letter_o_hint(positions: &[usize]) -> String {
    let at: Vec<String> = positions.iter().map(usize::to_string).collect();
    format!("证件号码第{}位是字母“O”，应为数字“0”。\n{HINT_ID_INVALID}", at.join("、"))
}

fn report_resident_problems(e: &mut Errors, problems: Vec<ResidentIdProblem>) {
    for p in problems {
        match p {
            ResidentIdProblem::LetterO(at) => {
                e.push("id_number", "id_number_letter_o", MSG_ID_INVALID, letter_o_hint(&at))
            }
            ResidentIdProblem::Length(n) => {
                e.push("id_number", "id_number_length", MSG_ID_LENGTH, format!("现为{n}位。{HINT_ID_LENGTH}"))
            }
            ResidentIdProblem::BadCharacters => e.push(
                "id_number",
                "id_number_chars",
                MSG_ID_INVALID,
                format!("身份证号码前17位只能是数字，第18位是数字或“X”。\n{HINT_ID_INVALID}"),
            ),
            ResidentIdProblem::BadDate => e.push(
                "id_number",
                "id_number_date",
                MSG_ID_INVALID,
                format!("身份证号码第7–14位的出生日期不是有效日期。\n{HINT_ID_INVALID}"),
            ),
            ResidentIdProblem::FutureDate => e.push(
                "id_number",
                "id_number_future",
                MSG_ID_INVALID,
                format!("身份证号码第7–14位的出生日期晚于今天。\n{HINT_ID_INVALID}"),
            ),
            ResidentIdProblem::CheckChar => e.push(
                "id_number",
                "id_number_checksum",
                MSG_ID_INVALID,
                format!("身份证号码最后一位（校验码）与前17位不符，号码中有填错的数字。\n{HINT_ID_INVALID}"),
            ),
        }
    }
}

/// The number of a document other than 居民身份证: 5–30 letters, digits, brackets or hyphens.
fn is_other_document_number(id: &str) -> bool {
    (5..=30).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'(' | b')' | b'-'))
}

impl MemberInput {
    /// The value of a field by its code (see `FIELDS`).
    pub fn get(&self, field: &str) -> &str {
        match field {
            "seq" => &self.seq,
            "name" => &self.name,
            "id_type" => &self.id_type,
            "id_number" => &self.id_number,
            "country" => &self.country,
            "sex" => &self.sex,
            "birth_date" => &self.birth_date,
            "phone" => &self.phone,
            "ethnicity" => &self.ethnicity,
            "education" => &self.education,
            "migrant_worker" => &self.migrant_worker,
            "department" => &self.department,
            "remark" => &self.remark,
            _ => "",
        }
    }

    /// What a resident-ID number says of its holder: (出生日期, 性别), when it reads as one.
    pub fn id_reading(&self) -> Option<(String, Sex)> {
        birth_date_and_sex(&normalise_id(&self.id_number).0)
    }

    /// After the ID number was changed in a form: 性别 and 出生日期 that say what `before` (the
    /// last reading of the number, `id_reading`) said were read from it, so they follow the new
    /// number once it reads as one; typed values that differed stay. Returns the reading to keep
    /// (the old one while the number being typed reads as none).
    pub fn follow_id_number(&mut self, before: Option<(String, Sex)>) -> Option<(String, Sex)> {
        let Some((birth, sex)) = self.id_reading() else { return before };
        if let Some((old_birth, old_sex)) = before {
            if Sex::parse(&self.sex) == Some(old_sex) {
                self.sex = sex.label().to_string();
            }
            if parse_date(&self.birth_date).as_deref() == Some(old_birth.as_str()) {
                self.birth_date = birth.clone();
            }
        }
        Some((birth, sex))
    }

    /// Sets a field by its code; an unknown code changes nothing.
    pub fn set(&mut self, field: &str, value: String) {
        let slot = match field {
            "seq" => &mut self.seq,
            "name" => &mut self.name,
            "id_type" => &mut self.id_type,
            "id_number" => &mut self.id_number,
            "country" => &mut self.country,
            "sex" => &mut self.sex,
            "birth_date" => &mut self.birth_date,
            "phone" => &mut self.phone,
            "ethnicity" => &mut self.ethnicity,
            "education" => &mut self.education,
            "migrant_worker" => &mut self.migrant_worker,
            "department" => &mut self.department,
            "remark" => &mut self.remark,
            _ => return,
        };
        *slot = value;
    }

    /// Every problem of the row at once, or the checked record with what normalisation changed
    /// (field code, kind). `today` is YYYYMMDD: no birth date may be after it.
    #[allow(clippy::type_complexity)]
    pub fn parse(&self, today: &str) -> Result<(MemberRecord, Vec<(&'static str, NormKind)>), Vec<MemberFieldError>> {
        let today = today8(today);
        let today = today.as_ref();
        let mut e = Errors(Vec::new());
        let mut norms: Vec<(&'static str, NormKind)> = Vec::new();

        // 姓名
        let name = squash(&self.name);
        if name.is_empty() {
            e.push("name", "name_required", "姓名必填！", "填写会员的姓名（与证件上的姓名一致）");
        } else {
            if name.chars().count() > 50 {
                e.push("name", "name_too_long", "姓名不能超过50个字！", "填写与证件一致的姓名，最多50个字");
            }
            if name.chars().any(is_name_digit) {
                e.push("name", "name_has_digit", "姓名不能包含数字！", "删除姓名中的数字，填写与证件一致的姓名");
            }
        }

        // 证件类型
        let type_blank = self.id_type.chars().all(is_invisible_space);
        let id_type = IdType::parse(&self.id_type);
        if id_type.is_none() {
            e.push(
                "id_type",
                "id_type_invalid",
                MSG_ID_TYPE_INVALID,
                format!("证件类型必须按以下内容、格式填写清楚：{}；居民身份证可不填。", type_labels()),
            );
        }

        // 证件号码
        let (id, id_norms) = normalise_id(&self.id_number);
        norms.extend(id_norms.into_iter().map(|k| ("id_number", k)));
        let kind = if id.is_empty() { None } else { classify(&id, today) };
        let gb = kind.is_some_and(IdKind::is_gb11643);
        // Whether 国家/地区, 性别 and 出生日期 must be given (the number cannot supply them).
        let mut explicit = matches!(id_type, Some(t) if !t.is_resident_id());
        if id.is_empty() {
            e.push("id_number", "id_number_required", "证件号码必填！", "对照证件原件填写证件号码（居民身份证为18位）");
        } else {
            // a 外国人永久居留身份证 passes GB 11643 but is not a 居民身份证
            let foreign = kind == Some(IdKind::ForeignPermanent2023);
            match id_type {
                Some(IdType::ResidentId) if gb && !foreign => {}
                Some(IdType::ResidentId) if type_blank && (foreign || !looks_like_resident_id(&id)) => {
                    let hint = match kind {
                        Some(IdKind::ForeignPermanent2017) => foreign_permanent_hint("（2017版）"),
                        Some(IdKind::ForeignPermanent2023) => foreign_permanent_hint(""),
                        _ => HINT_REQUIRED.to_string(),
                    };
                    e.push("id_type", "id_type_required", MSG_ID_TYPE_REQUIRED, hint);
                    explicit = true;
                }
                // not a valid 居民身份证 number: the guide asks for 国家/地区, 性别 and 出生日期
                // too (证件号码无效或者为非居民身份证时…必填)
                Some(IdType::ResidentId) if foreign => {
                    // typed as 居民身份证: the type is wrong, not missing
                    e.push("id_type", "id_type_invalid", MSG_ID_TYPE_INVALID, foreign_permanent_hint(""));
                    explicit = true;
                }
                Some(IdType::ResidentId) => {
                    report_resident_problems(&mut e, resident_id_problems(&id, today));
                    explicit = true;
                }
                Some(_) => {
                    let o = letter_o_positions(&id);
                    if !o.is_empty()
                        && classify(&super::id_document::with_zero_for_o(&id), today).is_some_and(IdKind::is_gb11643)
                    {
                        e.push("id_number", "id_number_letter_o", MSG_ID_INVALID, letter_o_hint(&o));
                    } else if kind.is_none() && !is_other_document_number(&id) {
                        e.push(
                            "id_number",
                            "id_number_format",
                            "证件号码格式错误，请核对证件原件！",
                            "对照证件原件填写证件号码：5–30位，只填证件上的字母和数字",
                        );
                    }
                }
                None => {}
            }
        }

        // 国家/地区
        let country_given = squash(&self.country);
        let country = if !country_given.is_empty() {
            Some(country_given)
        } else if explicit {
            e.push("country", "country_required", MSG_COUNTRY_REQUIRED, HINT_REQUIRED);
            None
        } else if id_type == Some(IdType::ResidentId) {
            kind.and_then(IdKind::region).map(str::to_string)
        } else {
            None
        };

        // 性别 and 出生日期: given, or read from a GB 11643 number; both when both.
        let derived = if gb { birth_date_and_sex(&id) } else { None };
        let sex_given = self.sex.trim();
        let mut sex = None;
        if sex_given.is_empty() {
            if explicit {
                e.push("sex", "sex_required", MSG_SEX_REQUIRED, HINT_REQUIRED);
            }
        } else {
            match Sex::parse(sex_given) {
                Some(s) => sex = Some(s),
                None => e.push("sex", "sex_invalid", "性别请填写【男】或【女】！", "性别只能填写“男”或“女”"),
            }
        }
        if let (Some(s), Some((_, d))) = (sex, &derived) {
            if s != *d {
                e.push(
                    "sex",
                    "sex_mismatch",
                    "性别与证件号码不一致！",
                    format!("按证件号码应为“{}”：核对证件原件，改正性别或证件号码", d.label()),
                );
            }
        }
        let birth_given = self.birth_date.trim();
        let mut birth = None;
        if birth_given.is_empty() {
            if explicit {
                e.push("birth_date", "birth_date_required", MSG_BIRTH_DATE_REQUIRED, HINT_REQUIRED);
            }
        } else {
            match parse_date(birth_given) {
                None => e.push(
                    "birth_date",
                    "birth_date_invalid",
                    "出生日期格式错误！",
                    "按“1990-01-31”“19900131”或“1990/1/31”的格式填写真实的日期",
                ),
                Some(d) if d.replace('-', "").as_str() > today => e.push(
                    "birth_date",
                    "birth_date_future",
                    "出生日期不能晚于今天！",
                    "核对证件原件，填写正确的出生日期",
                ),
                Some(d) => birth = Some(d),
            }
        }
        if let (Some(b), Some((d, _))) = (&birth, &derived) {
            if b != d {
                e.push(
                    "birth_date",
                    "birth_date_mismatch",
                    "出生日期与证件号码不一致！",
                    format!("按证件号码应为{d}：核对证件原件，改正出生日期或证件号码"),
                );
            }
        }

        // 手机号码
        let (phone, phone_norms) = compact_half_width(&self.phone);
        if phone.is_empty() {
            e.push("phone", "phone_required", "手机号码必填！", HINT_PHONE);
        } else if !is_mobile(&phone) {
            e.push("phone", "phone_invalid", phone_message(self.phone.trim()), HINT_PHONE);
        } else {
            norms.extend(phone_norms.into_iter().map(|k| ("phone", k)));
        }

        // 是否农民工
        let migrant_worker = match self.migrant_worker.trim() {
            "" => None,
            "是" => Some(true),
            "否" => Some(false),
            _ => {
                e.push(
                    "migrant_worker",
                    "migrant_worker_invalid",
                    "是否农民工请填写【是】或【否】！",
                    "请填写“是”或“否”，不确定可不填",
                );
                None
            }
        };

        let sex = sex.or(derived.as_ref().map(|d| d.1));
        let birth = birth.or_else(|| derived.map(|d| d.0));
        if !e.0.is_empty() {
            return Err(e.0);
        }
        let (Some(id_type), Some(sex), Some(birth_date)) = (id_type, sex, birth) else {
            // Unreachable: a missing type, sex or birth date has been reported above. Kept so
            // that a record can never lack them.
            e.push("birth_date", "birth_date_required", MSG_BIRTH_DATE_REQUIRED, HINT_REQUIRED);
            return Err(e.0);
        };
        Ok((
            MemberRecord {
                name,
                id_type,
                id_kind: kind,
                id_number: id,
                country,
                sex,
                birth_date,
                phone,
                ethnicity: squash(&self.ethnicity),
                education: squash(&self.education),
                migrant_worker,
                department: squash(&self.department),
                remark: self.remark.trim().to_string(),
            },
            norms,
        ))
    }
}

/// The labels a 证件类型 may take, as the guide lists them.
/// What to do with a 外国人永久居留身份证 (`version`: "（2017版）" or "" for 2023's) entered as a
/// 居民身份证 or with no type.
fn foreign_permanent_hint(version: &str) -> String {
    format!("该号码为外国人永久居留身份证{version}，证件类型请填“其他”。\n{HINT_REQUIRED}")
}

fn type_labels() -> String {
    IdType::ALL.iter().map(|t| t.label()).collect::<Vec<_>>().join("、")
}

/// Trimmed, invisible characters removed, inner runs of white space made one space (how a name
/// is stored).
pub fn squash(s: &str) -> String {
    let t = s.trim();
    if t.is_ascii() && !t.contains("  ") && !t.bytes().any(|b| b.is_ascii_whitespace() && b != b' ') {
        return t.to_string();
    }
    let mut out = String::with_capacity(t.len());
    let mut space = false;
    for c in t.chars() {
        if matches!(c, '\u{200B}'..='\u{200D}' | '\u{FEFF}' | '\u{2060}') {
            continue;
        }
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::id_number::check_char;

    #[test]
    fn sex_and_birth_date_read_from_the_number_follow_it_while_it_is_typed_anew() {
        // 440304197607071127: born 1976-07-07, 女
        let mut m = MemberInput {
            id_number: "440304197607071127".into(),
            sex: "女".into(),
            birth_date: "1976-07-07".into(),
            ..MemberInput::default()
        };
        let mut reading = m.id_reading();
        // typing a new number digit by digit: while it reads as none, nothing moves
        m.id_number = "44030519900315123".into();
        reading = m.follow_id_number(reading);
        assert_eq!((m.sex.as_str(), m.birth_date.as_str()), ("女", "1976-07-07"));
        // a whole number again: born 1990-03-15, 男 — both follow
        m.id_number = "440305199003151236".into();
        reading = m.follow_id_number(reading);
        assert_eq!((m.sex.as_str(), m.birth_date.as_str()), ("男", "1990-03-15"));
        // values typed that never said what the number said are the clerk's and stay
        let mut typed =
            MemberInput { id_number: "440304197607071127".into(), sex: "男".into(), ..MemberInput::default() };
        let before = typed.id_reading();
        typed.id_number = "440305199003151236".into();
        typed.follow_id_number(before);
        assert_eq!((typed.sex.as_str(), typed.birth_date.as_str()), ("男", ""));
        let _ = reading;
    }

    const TODAY: &str = "20261127";

    fn with_check(first17: &str) -> String {
        format!("{first17}{}", check_char(first17).unwrap())
    }

    fn valid() -> MemberInput {
        MemberInput {
            seq: "1".into(),
            name: "王芳".into(),
            id_number: "11010519491231002X".into(),
            phone: "13800138000".into(),
            ethnicity: "汉族".into(),
            department: "生产部".into(),
            ..Default::default()
        }
    }

    fn passport() -> MemberInput {
        MemberInput {
            name: "John Smith".into(),
            id_type: "护照".into(),
            id_number: "E12345678".into(),
            country: "美国".into(),
            sex: "男".into(),
            birth_date: "1985-06-15".into(),
            phone: "13800138000".into(),
            ..Default::default()
        }
    }

    fn codes(input: &MemberInput) -> Vec<String> {
        match input.parse(TODAY) {
            Ok(_) => Vec::new(),
            Err(errs) => errs.into_iter().map(|e| e.code).collect(),
        }
    }

    fn error(input: &MemberInput, code: &str) -> MemberFieldError {
        let errs = input.parse(TODAY).expect_err(code);
        errs.into_iter().find(|e| e.code == code).unwrap_or_else(|| panic!("no {code}"))
    }

    #[test]
    fn a_resident_id_row_gives_sex_and_birth_date_from_the_number() {
        let (m, norms) = valid().parse(TODAY).expect("valid row");
        assert_eq!(m.id_type, IdType::ResidentId);
        assert_eq!(m.id_kind, Some(IdKind::ResidentId));
        assert_eq!(m.sex, Sex::Female);
        assert_eq!(m.birth_date, "1949-12-31");
        assert_eq!(m.country, None);
        assert_eq!(m.migrant_worker, None);
        assert!(norms.is_empty());
    }

    #[test]
    fn a_lowercase_x_full_width_digits_and_invisible_spaces_are_normalised_and_reported() {
        let cases = [
            ("11010519491231002x", vec![("id_number", NormKind::LowercaseX)]),
            ("１１０１０５１９４９１２３１００２Ｘ", vec![("id_number", NormKind::FullWidth)]),
            ("110105\u{00A0}19491231\u{200B}002X", vec![("id_number", NormKind::InvisibleSpace)]),
        ];
        for (raw, want) in cases {
            let input = MemberInput { id_number: raw.into(), ..valid() };
            let (m, norms) = input.parse(TODAY).unwrap_or_else(|e| panic!("{raw:?}: {e:?}"));
            assert_eq!(m.id_number, "11010519491231002X", "{raw:?}");
            assert_eq!(norms, want, "{raw:?}");
        }
    }

    #[test]
    fn a_phone_with_full_width_digits_is_normalised() {
        let input = MemberInput { phone: "１３８００１３８０００".into(), ..valid() };
        let (m, norms) = input.parse(TODAY).unwrap();
        assert_eq!(m.phone, "13800138000");
        assert_eq!(norms, vec![("phone", NormKind::FullWidth)]);
    }

    #[test]
    fn invalid_resident_ids_get_the_guides_message_with_the_reason() {
        let cases = [
            ("11010519491231002", "id_number_length", MSG_ID_LENGTH, "17 characters"),
            ("11010519491231002XX", "id_number_length", MSG_ID_LENGTH, "19 characters"),
            ("110105194912310021", "id_number_checksum", MSG_ID_INVALID, "wrong check character"),
            ("110105194902300027", "id_number_date", MSG_ID_INVALID, "30 February"),
            ("110105209912310021", "id_number_future", MSG_ID_INVALID, "born in the future"),
            ("11O10519491231002X", "id_number_letter_o", MSG_ID_INVALID, "letter O"),
            ("1101051949123100AX", "id_number_chars", MSG_ID_INVALID, "a letter in the number"),
        ];
        for (id, code, message, why) in cases {
            let input = MemberInput { id_number: id.into(), ..valid() };
            let errs = input.parse(TODAY).expect_err(why);
            let all: Vec<&str> = errs.iter().map(|e| e.code.as_str()).collect();
            assert_eq!(all, [code, "country_required", "sex_required", "birth_date_required"], "{id}: {why}");
            assert_eq!(errs[0].code, code, "{id}: {why}");
            assert_eq!(errs[0].message, message, "{id}: {why}");
            assert_eq!(errs[0].field, "id_number", "{id}: {why}");
        }
    }

    #[test]
    fn the_invalid_id_message_keeps_the_guides_ascii_comma_and_quotes() {
        assert_eq!(MSG_ID_INVALID, "身份证号码无效，请核对身份证原件,并检查所填数据中是否存在字母\"O\"！");
    }

    #[test]
    fn a_letter_o_is_reported_with_its_position_and_the_digit_0() {
        let e = error(&MemberInput { id_number: "11010519491231OO2X".into(), ..valid() }, "id_number_letter_o");
        assert!(e.hint.starts_with("证件号码第15、16位是字母“O”，应为数字“0”。"), "{}", e.hint);
        assert!(e.hint.contains(HINT_ID_INVALID));
    }

    #[test]
    fn a_letter_o_in_a_17_character_id_is_reported_with_the_length() {
        assert_eq!(
            codes(&MemberInput { id_number: "11O10519491231002".into(), ..valid() }),
            ["id_number_letter_o", "id_number_length", "country_required", "sex_required", "birth_date_required"]
        );
    }

    #[test]
    fn residence_permits_are_accepted_with_a_blank_type_or_other() {
        for (first, region) in
            [("81000019900101123", "中国香港"), ("82000019900101124", "中国澳门"), ("83000019900101125", "中国台湾")]
        {
            let id = with_check(first);
            let (m, _) =
                MemberInput { id_number: id.clone(), ..valid() }.parse(TODAY).unwrap_or_else(|e| panic!("{id}: {e:?}"));
            assert_eq!(m.country.as_deref(), Some(region), "{id}: the region is read from the number");
            assert_eq!(m.birth_date, "1990-01-01");
            let other = MemberInput {
                id_type: "其他".into(),
                country: region.into(),
                sex: m.sex.label().into(),
                birth_date: "1990-01-01".into(),
                ..m.to_input()
            };
            let (o, _) = other.parse(TODAY).unwrap_or_else(|e| panic!("{id} as 其他: {e:?}"));
            assert_eq!(o.id_type, IdType::Other);
        }
    }

    #[test]
    fn a_2023_foreign_permanent_resident_id_needs_its_type_and_the_other_fields() {
        let id = with_check("93184019850615123");
        let input = MemberInput { id_number: id.clone(), ..valid() };
        assert_eq!(codes(&input), ["id_type_required", "country_required", "sex_required", "birth_date_required"]);
        assert!(error(&input, "id_type_required").hint.starts_with("该号码为外国人永久居留身份证，证件类型请填“其他”"));
        let as_resident = MemberInput { id_type: "居民身份证".into(), ..input.clone() };
        assert_eq!(codes(&as_resident), ["id_type_invalid", "country_required", "sex_required", "birth_date_required"]);
        let typed = MemberInput {
            id_type: "其他".into(),
            country: "美国".into(),
            sex: "男".into(),
            birth_date: "1985-06-15".into(),
            ..input
        };
        let (m, _) = typed.parse(TODAY).expect("9… is never refused for its address code");
        assert_eq!(m.id_kind, Some(IdKind::ForeignPermanent2023));
        assert_eq!(m.birth_date, "1985-06-15");
        assert_eq!(m.sex, Sex::Male);
    }

    #[test]
    fn a_2017_foreign_permanent_resident_id_needs_its_type_and_the_other_fields() {
        let input = MemberInput { id_number: "USA310085061512".into(), ..valid() };
        assert_eq!(codes(&input), ["id_type_required", "country_required", "sex_required", "birth_date_required"]);
        assert!(error(&input, "id_type_required").hint.starts_with("该号码为外国人永久居留身份证（2017版）"));
        let typed = MemberInput {
            id_type: "其他".into(),
            country: "美国".into(),
            sex: "男".into(),
            birth_date: "1985/6/15".into(),
            ..input
        };
        let (m, _) = typed.parse(TODAY).expect("with 其他 and the three fields");
        assert_eq!(m.id_kind, Some(IdKind::ForeignPermanent2017));
        assert_eq!(m.birth_date, "1985-06-15");
    }

    #[test]
    fn a_passport_row_is_accepted_with_country_sex_and_birth_date() {
        let (m, _) = passport().parse(TODAY).expect("complete passport row");
        assert_eq!(m.id_type, IdType::Passport);
        assert_eq!(m.country.as_deref(), Some("美国"));
        assert_eq!(m.sex, Sex::Male);
        assert_eq!(m.birth_date, "1985-06-15");
        assert_eq!(m.id_kind, None);
    }

    #[test]
    fn a_passport_without_country_sex_and_birth_date_gets_the_guides_three_messages() {
        let input = MemberInput { country: "".into(), sex: "".into(), birth_date: " ".into(), ..passport() };
        let errs = input.parse(TODAY).unwrap_err();
        let got: Vec<(&str, &str, &str)> =
            errs.iter().map(|e| (e.field.as_str(), e.code.as_str(), e.message.as_str())).collect();
        assert_eq!(
            got,
            [
                ("country", "country_required", "证件号码无效或者为非居民身份证时，国家/地区必填！"),
                ("sex", "sex_required", "证件号码无效或者为非居民身份证时，性别必填！"),
                ("birth_date", "birth_date_required", "证件号码无效或者为非居民身份证时，出生日期必填！"),
            ]
        );
        assert!(errs.iter().all(|e| e.hint == HINT_REQUIRED));
    }

    #[test]
    fn a_passport_number_without_a_type_asks_for_the_type() {
        let input = MemberInput { id_type: "".into(), ..passport() };
        let e = error(&input, "id_type_required");
        assert_eq!(e.message, "证件号码无效或者为非居民身份证时，证件类型必填！");
        assert_eq!(e.field, "id_type");
        assert_eq!(codes(&input), ["id_type_required"], "country, sex and birth date were given");
    }

    #[test]
    fn a_mistyped_resident_id_also_asks_for_country_sex_and_birth_date() {
        let input = MemberInput { id_number: "110105194912310021".into(), ..valid() };
        assert_eq!(codes(&input), ["id_number_checksum", "country_required", "sex_required", "birth_date_required"]);
        assert_eq!(error(&input, "country_required").message, "证件号码无效或者为非居民身份证时，国家/地区必填！");
        // given, they are taken as they are, and only the number is left to fix
        let filled =
            MemberInput { country: "中国".into(), sex: "女".into(), birth_date: "1949-12-31".into(), ..input };
        assert_eq!(codes(&filled), ["id_number_checksum"]);
    }

    #[test]
    fn a_resident_id_type_with_a_passport_number_is_a_format_error() {
        let input = MemberInput { id_type: "居民身份证".into(), id_number: "E12345678".into(), ..valid() };
        assert_eq!(codes(&input), ["id_number_length", "country_required", "sex_required", "birth_date_required"]);
    }

    #[test]
    fn other_document_numbers_must_look_like_one() {
        for (id, why) in
            [("E12", "too short"), ("E1234-5678#", "a stray sign"), ("护照号码E123456", "Chinese characters")]
        {
            let input = MemberInput { id_number: id.into(), ..passport() };
            assert_eq!(codes(&input), ["id_number_format"], "{id}: {why}");
        }
        for id in ["E12345678", "H12345678", "12345678", "A123456(7)"] {
            assert!(MemberInput { id_number: id.into(), ..passport() }.parse(TODAY).is_ok(), "{id}");
        }
    }

    #[test]
    fn an_unknown_type_is_refused_with_the_list_of_types() {
        let e = error(&MemberInput { id_type: "港澳通行证".into(), ..valid() }, "id_type_invalid");
        assert_eq!(e.field, "id_type");
        assert!(e.hint.contains("港澳居民来往内地通行证（香港）"));
    }

    #[test]
    fn sex_and_birth_date_given_with_a_resident_id_must_agree_with_it() {
        assert!(MemberInput { sex: "女".into(), birth_date: "1949/12/31".into(), ..valid() }.parse(TODAY).is_ok());
        let cases = [
            (MemberInput { sex: "男".into(), ..valid() }, "sex_mismatch", "the number says 女"),
            (
                MemberInput { birth_date: "1949-12-30".into(), ..valid() },
                "birth_date_mismatch",
                "the number says 1949-12-31",
            ),
        ];
        for (input, code, why) in cases {
            assert_eq!(codes(&input), [code], "{why}");
        }
    }

    #[test]
    fn dates_are_read_in_the_templates_formats() {
        let ok = [
            ("1990-01-31", "1990-01-31"),
            ("19900131", "1990-01-31"),
            ("1990/1/31", "1990-01-31"),
            ("1990/01/31", "1990-01-31"),
            ("1990.1.31", "1990-01-31"),
            ("1990年1月31日", "1990-01-31"),
            ("1990-01-31 00:00:00", "1990-01-31"),
            (" １９９０－０１－３１ ", "1990-01-31"),
        ];
        for (s, want) in ok {
            assert_eq!(parse_date(s).as_deref(), Some(want), "{s}");
        }
        let bad = [
            ("1990-02-30", "30 February"),
            ("19900230", "30 February"),
            ("1990/13/1", "month 13"),
            ("90/1/31", "two-digit year"),
            ("1899-12-31", "before 1900"),
            ("1990-1", "no day"),
            ("1990-01-31-1", "four parts"),
            ("yesterday", "words"),
        ];
        for (s, why) in bad {
            assert_eq!(parse_date(s), None, "{s}: {why}");
        }
    }

    #[test]
    fn bad_sex_and_birth_date_values_are_refused() {
        let cases = [
            (MemberInput { sex: "M".into(), ..passport() }, "sex_invalid", "not 男/女"),
            (MemberInput { birth_date: "1985-02-30".into(), ..passport() }, "birth_date_invalid", "30 February"),
            (MemberInput { birth_date: "2099-01-01".into(), ..passport() }, "birth_date_future", "in the future"),
        ];
        for (input, code, why) in cases {
            assert_eq!(codes(&input), [code], "{why}");
        }
    }

    #[test]
    fn names_are_trimmed_and_must_have_no_digits_and_at_most_50_characters() {
        let (m, _) = MemberInput { name: "  Mary \u{3000} Ann\u{200B} ".into(), ..valid() }.parse(TODAY).unwrap();
        assert_eq!(m.name, "Mary Ann");
        assert!(MemberInput { name: "名".repeat(50), ..valid() }.parse(TODAY).is_ok(), "50 characters");
        let cases = [
            ("", "name_required", "empty"),
            ("  ", "name_required", "only spaces"),
            ("王芳2", "name_has_digit", "an ASCII digit"),
            ("王芳２", "name_has_digit", "a full-width digit"),
        ];
        for (name, code, why) in cases {
            assert_eq!(codes(&MemberInput { name: name.into(), ..valid() }), [code], "{name:?}: {why}");
        }
        assert_eq!(codes(&MemberInput { name: "名".repeat(51), ..valid() }), ["name_too_long"], "51 characters");
    }

    #[test]
    fn phones_follow_the_template_rule_with_the_guides_message() {
        let cases = [
            ("1380013800", "10 digits"),
            ("138001380001", "12 digits"),
            ("12800138000", "second digit 2"),
            ("1380013800a", "a letter"),
            ("138-0013-8000", "hyphens"),
        ];
        for (phone, why) in cases {
            let e = error(&MemberInput { phone: phone.into(), ..valid() }, "phone_invalid");
            assert_eq!(
                e.message,
                format!("手机号码：{phone}为无效手机号，请填写长度为11位数字的有效手机号码。"),
                "{why}"
            );
            assert_eq!(e.hint, "请填写长度为11位数字的有效手机号码", "{why}");
        }
        assert_eq!(codes(&MemberInput { phone: "".into(), ..valid() }), ["phone_required"]);
    }

    #[test]
    fn migrant_worker_is_yes_no_or_blank() {
        for (v, want) in [("是", Some(true)), ("否", Some(false)), ("", None), (" 是 ", Some(true))] {
            let (m, _) = MemberInput { migrant_worker: v.into(), ..valid() }.parse(TODAY).unwrap();
            assert_eq!(m.migrant_worker, want, "{v:?}");
        }
        assert_eq!(codes(&MemberInput { migrant_worker: "Y".into(), ..valid() }), ["migrant_worker_invalid"]);
    }

    #[test]
    fn every_problem_of_a_row_is_reported_at_once() {
        let input = MemberInput {
            name: "".into(),
            id_type: "护照".into(),
            id_number: "".into(),
            phone: "123".into(),
            migrant_worker: "x".into(),
            ..Default::default()
        };
        assert_eq!(
            codes(&input),
            [
                "name_required",
                "id_number_required",
                "country_required",
                "sex_required",
                "birth_date_required",
                "phone_invalid",
                "migrant_worker_invalid"
            ]
        );
    }

    #[test]
    fn a_record_goes_back_to_the_same_input() {
        let (m, _) = passport().parse(TODAY).unwrap();
        let (again, _) = m.to_input().parse(TODAY).unwrap();
        assert_eq!(again, m);
        let stored = StoredMember::from(&m);
        assert_eq!(stored.id_type, "03");
        assert_eq!(stored.sex.as_deref(), Some("男"));
        assert_eq!(stored.ethnicity, None);
    }

    #[test]
    fn today_may_be_given_with_dashes() {
        assert_eq!(codes(&MemberInput { id_number: "110105209912310021".into(), ..valid() })[0], "id_number_future");
        let input = MemberInput { id_number: with_check("44030420261128123"), ..valid() };
        assert!(input.parse("2026-11-27").is_err(), "born tomorrow");
        assert!(input.parse("2026-11-28").is_ok(), "born today");
    }
}
