//! 证件类型 and 证件号码: the document types of the template with the bank's codes, the
//! normalisation applied to every ID before it is checked, and the numbers recognised without
//! a document type (港澳台居民居住证, 外国人永久居留身份证).
//!
//! Address codes are never checked against a current list: codes retired since 1980 stay valid
//! on old cards, and 外国人永久居留身份证 (2023) starts with `9`, which is no address code.

use serde::{Deserialize, Serialize};

use super::id_number::{check_char, is_real_date, is_valid_resident_id};
use super::sheet::NormKind;

/// 证件类型, with the bank's codes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdType {
    /// 居民身份证 (also what a blank 证件类型 means).
    #[default]
    ResidentId,
    Passport,
    /// 户口簿
    HouseholdRegister,
    /// 外国人居留许可证
    ForeignResidencePermit,
    /// 港澳居民来往内地通行证（香港）
    HongKongPass,
    /// 港澳居民来往内地通行证（澳门）
    MacauPass,
    /// 台湾居民来往大陆通行证
    TaiwanPass,
    /// 其他
    Other,
}

impl IdType {
    pub const ALL: [IdType; 8] = [
        IdType::ResidentId,
        IdType::Passport,
        IdType::HouseholdRegister,
        IdType::ForeignResidencePermit,
        IdType::HongKongPass,
        IdType::MacauPass,
        IdType::TaiwanPass,
        IdType::Other,
    ];

    /// The bank's code.
    pub fn code(self) -> &'static str {
        match self {
            IdType::ResidentId => "01",
            IdType::Passport => "03",
            IdType::HouseholdRegister => "04",
            IdType::ForeignResidencePermit => "09",
            IdType::HongKongPass => "47",
            IdType::MacauPass => "48",
            IdType::TaiwanPass => "49",
            IdType::Other => "11",
        }
    }

    /// The label of the template's drop-down list (full-width brackets, as the guide writes them).
    pub fn label(self) -> &'static str {
        match self {
            IdType::ResidentId => "居民身份证",
            IdType::Passport => "护照",
            IdType::HouseholdRegister => "户口簿",
            IdType::ForeignResidencePermit => "外国人居留许可证",
            IdType::HongKongPass => "港澳居民来往内地通行证（香港）",
            IdType::MacauPass => "港澳居民来往内地通行证（澳门）",
            IdType::TaiwanPass => "台湾居民来往大陆通行证",
            IdType::Other => "其他",
        }
    }

    pub fn from_code(code: &str) -> Option<IdType> {
        IdType::ALL.into_iter().find(|t| t.code() == code.trim())
    }

    /// The type a clerk wrote in 证件类型. Blank means 居民身份证. Spaces and the width of the
    /// brackets do not matter (`港澳居民来往内地通行证(香港)` is accepted); `身份证` is taken as
    /// 居民身份证. Anything else is `None`.
    pub fn parse(s: &str) -> Option<IdType> {
        let t = s.trim();
        if t.is_empty() {
            return Some(IdType::ResidentId);
        }
        if let Some(found) = IdType::ALL.into_iter().find(|x| x.label() == t) {
            return Some(found);
        }
        let squashed = |x: &str| -> String { nfkc(x).chars().filter(|c| !is_invisible_space(*c)).collect() };
        let t = squashed(t);
        if t.is_empty() {
            return Some(IdType::ResidentId);
        }
        if t == "身份证" {
            return Some(IdType::ResidentId);
        }
        IdType::ALL.into_iter().find(|x| squashed(x.label()) == t)
    }

    pub fn is_resident_id(self) -> bool {
        self == IdType::ResidentId
    }
}

/// 性别.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    pub fn label(self) -> &'static str {
        match self {
            Sex::Male => "男",
            Sex::Female => "女",
        }
    }

    /// `男` or `女`, surrounding spaces ignored.
    pub fn parse(s: &str) -> Option<Sex> {
        match s.trim() {
            "男" => Some(Sex::Male),
            "女" => Some(Sex::Female),
            _ => None,
        }
    }
}

/// Unicode normalisation form KC. On the server, the `unicode-normalization` crate; in the
/// browser, the browser's own `String.prototype.normalize("NFKC")` (ICU), the same standard, so
/// the crate's tables (about 110 KB) are not in the wasm.
#[cfg(not(target_arch = "wasm32"))]
fn nfkc(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfkc().collect()
}

#[cfg(target_arch = "wasm32")]
fn nfkc(s: &str) -> String {
    js_sys::JsString::from(s).normalize("NFKC").into()
}

/// White space of any kind, and the invisible characters that arrive with copied text:
/// U+200B–U+200D, U+FEFF (BOM), U+2060 (word joiner). U+00A0 and U+3000 are white space.
pub fn is_invisible_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}'..='\u{200D}' | '\u{FEFF}' | '\u{2060}')
}

/// Full-width to half-width (NFKC) and every space removed: the form an ID or a phone number
/// is checked in. Returns the value and what was changed, in the order first met.
pub fn compact_half_width(raw: &str) -> (String, Vec<NormKind>) {
    let mut applied = Vec::new();
    if raw.is_ascii() {
        if !raw.bytes().any(|b| b.is_ascii_whitespace()) {
            return (raw.to_string(), applied);
        }
        applied.push(NormKind::InvisibleSpace);
        return (raw.chars().filter(|c| !c.is_ascii_whitespace()).collect(), applied);
    }
    let stripped: String = raw.chars().filter(|c| !is_invisible_space(*c)).collect();
    if stripped.len() != raw.len() {
        applied.push(NormKind::InvisibleSpace);
    }
    if stripped.is_ascii() {
        return (stripped, applied);
    }
    let half = nfkc(&stripped);
    if half != stripped {
        applied.push(NormKind::FullWidth);
    }
    // NFKC turns some characters into spaces (U+3000 is gone already, but e.g. U+2002 family).
    if half.chars().any(is_invisible_space) {
        if !applied.contains(&NormKind::InvisibleSpace) {
            applied.push(NormKind::InvisibleSpace);
        }
        return (half.chars().filter(|c| !is_invisible_space(*c)).collect(), applied);
    }
    (half, applied)
}

/// An ID number as it is checked: `compact_half_width`, then lowercase `x` made `X`.
/// A letter `O` is left alone (see `letter_o_positions`): it is reported, never changed.
pub fn normalise_id(raw: &str) -> (String, Vec<NormKind>) {
    let (mut value, mut applied) = compact_half_width(raw);
    if value.contains('x') {
        value = value.replace('x', "X");
        applied.push(NormKind::LowercaseX);
    }
    (value, applied)
}

/// 1-based positions of the letter O/o in an ID: each most likely a mistyped digit 0.
pub fn letter_o_positions(id: &str) -> Vec<usize> {
    id.chars().enumerate().filter(|(_, c)| matches!(c, 'O' | 'o')).map(|(i, _)| i + 1).collect()
}

/// The ID with every letter O/o replaced by the digit 0: the suggestion shown to the clerk.
pub fn with_zero_for_o(id: &str) -> String {
    id.chars().map(|c| if matches!(c, 'O' | 'o') { '0' } else { c }).collect()
}

/// A number recognised by its form (all of them independent of 证件类型).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdKind {
    /// 居民身份证号码 (GB 11643-1999).
    ResidentId,
    /// 港澳台居民居住证, `810000…`.
    HongKongResidencePermit,
    /// 港澳台居民居住证, `820000…`.
    MacauResidencePermit,
    /// 港澳台居民居住证, `830000…`.
    TaiwanResidencePermit,
    /// 外国人永久居留身份证 (2023): 18 digits from `9`, GB 11643 check character.
    ForeignPermanent2023,
    /// 外国人永久居留身份证 (2017): 3 letters + 12 digits.
    ForeignPermanent2017,
}

impl IdKind {
    pub fn label(self) -> &'static str {
        match self {
            IdKind::ResidentId => "居民身份证",
            IdKind::HongKongResidencePermit => "港澳台居民居住证（香港）",
            IdKind::MacauResidencePermit => "港澳台居民居住证（澳门）",
            IdKind::TaiwanResidencePermit => "港澳台居民居住证（台湾）",
            IdKind::ForeignPermanent2023 => "外国人永久居留身份证",
            IdKind::ForeignPermanent2017 => "外国人永久居留身份证（2017版）",
        }
    }

    /// The 国家/地区 a residence permit implies.
    pub fn region(self) -> Option<&'static str> {
        match self {
            IdKind::HongKongResidencePermit => Some("中国香港"),
            IdKind::MacauResidencePermit => Some("中国澳门"),
            IdKind::TaiwanResidencePermit => Some("中国台湾"),
            _ => None,
        }
    }

    /// Whether the number follows GB 11643 (so sex and birth date can be read from it).
    pub fn is_gb11643(self) -> bool {
        self != IdKind::ForeignPermanent2017
    }
}

/// What a normalised ID number is, if its form is one we know; `today` is YYYYMMDD and bounds
/// the birth date of the 18-character numbers.
pub fn classify(id: &str, today: &str) -> Option<IdKind> {
    if is_valid_resident_id(id, today) {
        return Some(match &id[..6] {
            "810000" => IdKind::HongKongResidencePermit,
            "820000" => IdKind::MacauResidencePermit,
            "830000" => IdKind::TaiwanResidencePermit,
            _ if id.starts_with('9') => IdKind::ForeignPermanent2023,
            _ => IdKind::ResidentId,
        });
    }
    let b = id.as_bytes();
    if b.len() == 15 && b[..3].iter().all(u8::is_ascii_alphabetic) && b[3..].iter().all(u8::is_ascii_digit) {
        return Some(IdKind::ForeignPermanent2017);
    }
    None
}

/// Why an ID is not a valid 18-character GB 11643 number. All that apply, in this order;
/// a letter O makes the other character checks moot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResidentIdProblem {
    /// 1-based positions of the letter O/o.
    LetterO(Vec<usize>),
    /// Not 18 characters (the count found).
    Length(usize),
    /// Something else than 17 digits and a digit or X.
    BadCharacters,
    /// Characters 7–14 are not a real date (from 1900).
    BadDate,
    /// The birth date is after today.
    FutureDate,
    /// The 18th character is not the check character of the first 17.
    CheckChar,
}

/// The problems of a normalised ID meant as a 居民身份证 (or 居住证, 外国人永久居留身份证 2023);
/// empty when it is valid.
pub fn resident_id_problems(id: &str, today: &str) -> Vec<ResidentIdProblem> {
    let mut found = Vec::new();
    let o = letter_o_positions(id);
    let has_o = !o.is_empty();
    if has_o {
        found.push(ResidentIdProblem::LetterO(o));
    }
    let n = id.chars().count();
    if n != 18 {
        found.push(ResidentIdProblem::Length(n));
        return found;
    }
    if has_o {
        return found;
    }
    let b = id.as_bytes();
    if !(b[..17].iter().all(u8::is_ascii_digit) && (b[17].is_ascii_digit() || b[17] == b'X')) {
        found.push(ResidentIdProblem::BadCharacters);
    } else if !is_real_date(&id[6..14]) {
        found.push(ResidentIdProblem::BadDate);
    } else if &id[6..14] > today {
        found.push(ResidentIdProblem::FutureDate);
    } else if check_char(&id[..17]) != Some(b[17] as char) {
        found.push(ResidentIdProblem::CheckChar);
    }
    found
}

/// Whether a value could only have been meant as an 18-character GB 11643 number: exactly 18
/// characters, or 15–20 characters of digits, letters O and X. Used to tell a mistyped
/// 居民身份证 from a passport number entered without 证件类型.
pub fn looks_like_resident_id(id: &str) -> bool {
    let n = id.chars().count();
    if n == 18 {
        return true;
    }
    (15..=20).contains(&n) && id.chars().all(|c| c.is_ascii_digit() || matches!(c, 'O' | 'o' | 'X'))
}

/// Birth date (`YYYY-MM-DD`) and sex read from an 18-character GB 11643 number: characters
/// 7–14 and the parity of the 17th (odd = male). `None` if those characters are not a date.
pub fn birth_date_and_sex(id: &str) -> Option<(String, Sex)> {
    let b = id.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) || !is_real_date(&id[6..14]) {
        return None;
    }
    let sex = if (b[16] - b'0') % 2 == 1 { Sex::Male } else { Sex::Female };
    Some((format!("{}-{}-{}", &id[6..10], &id[10..12], &id[12..14]), sex))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: &str = "20261127";

    fn with_check(first17: &str) -> String {
        format!("{first17}{}", check_char(first17).unwrap())
    }

    #[test]
    fn every_type_has_the_banks_code_and_parses_from_its_label() {
        let expected = [
            ("居民身份证", "01"),
            ("护照", "03"),
            ("户口簿", "04"),
            ("外国人居留许可证", "09"),
            ("港澳居民来往内地通行证（香港）", "47"),
            ("港澳居民来往内地通行证（澳门）", "48"),
            ("台湾居民来往大陆通行证", "49"),
            ("其他", "11"),
        ];
        for (t, (label, code)) in IdType::ALL.into_iter().zip(expected) {
            assert_eq!(t.label(), label);
            assert_eq!(t.code(), code, "{label}");
            assert_eq!(IdType::parse(label), Some(t), "{label}");
            assert_eq!(IdType::from_code(code), Some(t), "{code}");
        }
    }

    #[test]
    fn a_blank_type_means_resident_id() {
        for blank in ["", "  ", "\u{3000}"] {
            assert_eq!(IdType::parse(blank), Some(IdType::ResidentId), "{blank:?}");
        }
    }

    #[test]
    fn half_width_brackets_and_spaces_in_a_type_are_accepted() {
        assert_eq!(IdType::parse("港澳居民来往内地通行证(香港)"), Some(IdType::HongKongPass));
        assert_eq!(IdType::parse(" 护 照 "), Some(IdType::Passport));
        assert_eq!(IdType::parse("身份证"), Some(IdType::ResidentId));
    }

    #[test]
    fn unknown_types_are_refused() {
        for (bad, why) in
            [("港澳通行证", "not a type of the list"), ("01", "codes are not labels"), ("passport", "English")]
        {
            assert_eq!(IdType::parse(bad), None, "{bad}: {why}");
        }
    }

    #[test]
    fn full_width_digits_are_made_half_width() {
        let (v, k) = normalise_id("１１０１０５１９４９１２３１００２Ｘ");
        assert_eq!(v, "11010519491231002X");
        assert_eq!(k, vec![NormKind::FullWidth]);
    }

    #[test]
    fn every_kind_of_space_is_removed() {
        let raw = " 1101\u{00A0}0519\u{3000}4912\u{200B}3100\u{200C}2\u{200D}X\u{FEFF}\u{2060}\t";
        let (v, k) = normalise_id(raw);
        assert_eq!(v, "11010519491231002X");
        assert_eq!(k, vec![NormKind::InvisibleSpace]);
    }

    #[test]
    fn a_lowercase_x_is_made_uppercase() {
        let (v, k) = normalise_id("11010519491231002x");
        assert_eq!(v, "11010519491231002X");
        assert_eq!(k, vec![NormKind::LowercaseX]);
    }

    #[test]
    fn a_clean_id_is_left_as_it_is() {
        let (v, k) = normalise_id("11010519491231002X");
        assert_eq!(v, "11010519491231002X");
        assert!(k.is_empty());
    }

    #[test]
    fn a_letter_o_is_found_but_never_changed() {
        let (v, _) = normalise_id("11O1O519491231002X");
        assert_eq!(v, "11O1O519491231002X");
        assert_eq!(letter_o_positions(&v), vec![3, 5]);
        assert_eq!(with_zero_for_o(&v), "11010519491231002X");
        assert_eq!(resident_id_problems(&v, TODAY), vec![ResidentIdProblem::LetterO(vec![3, 5])]);
    }

    #[test]
    fn the_standards_example_is_a_resident_id_of_a_woman_born_1949() {
        assert_eq!(classify("11010519491231002X", TODAY), Some(IdKind::ResidentId));
        assert_eq!(birth_date_and_sex("11010519491231002X"), Some(("1949-12-31".to_string(), Sex::Female)));
        assert!(resident_id_problems("11010519491231002X", TODAY).is_empty());
    }

    #[test]
    fn resident_id_problems_name_the_reason() {
        let cases = [
            ("11010519491231002", vec![ResidentIdProblem::Length(17)], "17 characters"),
            ("11010519491231002XX", vec![ResidentIdProblem::Length(19)], "19 characters"),
            ("110105194912310021", vec![ResidentIdProblem::CheckChar], "wrong check character"),
            ("110105194902300027", vec![ResidentIdProblem::BadDate], "30 February"),
            ("110105209912310021", vec![ResidentIdProblem::FutureDate], "born in the future"),
            ("1101051949123100AX", vec![ResidentIdProblem::BadCharacters], "a letter in the sequence"),
            (
                "11O10519491231002",
                vec![ResidentIdProblem::LetterO(vec![3]), ResidentIdProblem::Length(17)],
                "a letter O and 17 characters",
            ),
        ];
        for (id, want, why) in cases {
            assert_eq!(resident_id_problems(id, TODAY), want, "{id}: {why}");
        }
    }

    #[test]
    fn residence_permits_of_hong_kong_macau_and_taiwan_are_recognised() {
        let cases = [
            ("81000019900101123", IdKind::HongKongResidencePermit, "中国香港"),
            ("82000019900101124", IdKind::MacauResidencePermit, "中国澳门"),
            ("83000019900101125", IdKind::TaiwanResidencePermit, "中国台湾"),
        ];
        for (first, kind, region) in cases {
            let id = with_check(first);
            assert_eq!(classify(&id, TODAY), Some(kind), "{id}");
            assert_eq!(kind.region(), Some(region));
        }
        let wrong =
            format!("{}{}", "81000019900101123", if check_char("81000019900101123") == Some('1') { '2' } else { '1' });
        assert_eq!(classify(&wrong, TODAY), None, "a permit with a wrong check character");
    }

    #[test]
    fn both_versions_of_the_foreign_permanent_resident_id_are_recognised() {
        let id2023 = with_check("93184019850615123");
        assert_eq!(
            classify(&id2023, TODAY),
            Some(IdKind::ForeignPermanent2023),
            "9… is never refused for its address code"
        );
        assert_eq!(birth_date_and_sex(&id2023), Some(("1985-06-15".to_string(), Sex::Male)));
        assert_eq!(classify("USA310085061512", TODAY), Some(IdKind::ForeignPermanent2017));
        assert!(!IdKind::ForeignPermanent2017.is_gb11643());
        for (bad, why) in [("US3310085061512", "two letters"), ("USA31008506151", "11 digits")] {
            assert_eq!(classify(bad, TODAY), None, "{bad}: {why}");
        }
    }

    #[test]
    fn retired_address_codes_are_not_refused() {
        // 429001 (湖北省沙市市, abolished 1994) on an old card.
        let id = with_check("42900119700101001");
        assert_eq!(classify(&id, TODAY), Some(IdKind::ResidentId));
    }

    #[test]
    fn a_mistyped_resident_id_is_told_apart_from_a_passport_number() {
        for id in ["11010519491231002", "11O10519491231002X", "1101051949123100AX", "110105194912310"] {
            assert!(looks_like_resident_id(id), "{id}");
        }
        for id in ["E12345678", "H12345678", "12345678", "USA310085061512"] {
            assert!(!looks_like_resident_id(id), "{id}");
        }
    }

    #[test]
    fn the_sequence_numbers_parity_gives_the_sex() {
        assert_eq!(birth_date_and_sex(&with_check("44030419900101123")).map(|x| x.1), Some(Sex::Male));
        assert_eq!(birth_date_and_sex(&with_check("44030419900101122")).map(|x| x.1), Some(Sex::Female));
    }
}
