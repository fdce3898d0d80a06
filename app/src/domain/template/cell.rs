//! How a cell reads: a header cell as text, a member cell as the rules' input (or the issue that
//! makes it unreadable), and Excel's numbers and serial dates as Excel shows them.

use std::borrow::Cow;

use super::{issue, HINT_FORMULA};
use crate::domain::member::{phone_message, MemberInput, FIELDS};
use crate::domain::sheet::{Cell, ImportIssue};

/// An Excel serial day number (1900 date system) as `YYYY-MM-DD`. Serial 60 is Excel's
/// non-existent 1900-02-29 (its Lotus 1-2-3 bug) and gives `None`, as does anything before
/// serial 1 or after 9999-12-31. A time of day is ignored.
pub fn excel_serial_date(serial: f64) -> Option<String> {
    if !serial.is_finite() || !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let n = serial.floor() as i64;
    let days_since_1970 = match n {
        60 => return None,
        // serial 1 = 1900-01-01 = day -25567
        ..=59 => n - 25_568,
        // from serial 61 = 1900-03-01, one day too many counted for 1900-02-29
        _ => n - 25_569,
    };
    let (y, m, d) = crate::domain::civil_from_days(days_since_1970);
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

/// A number as Excel shows it in a general cell: integers without `.0`.
pub(super) fn number_text(x: f64) -> String {
    if x.is_finite() && x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else if x.is_finite() && x.fract() == 0.0 {
        // Excel keeps 15 significant digits: 440301199001011234 is 440301199001011000.
        let s = format!("{:.14e}", x.abs());
        let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
        let exp: usize = exp.parse().unwrap_or(0);
        let mut digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
        while digits.len() < exp + 1 {
            digits.push('0');
        }
        if x < 0.0 {
            digits.insert(0, '-');
        }
        digits
    } else {
        format!("{x}")
    }
}

/// What a header cell says, for comparison and for messages.
pub(super) fn header_text(cell: &Cell) -> Cow<'_, str> {
    match cell {
        Cell::Empty => "".into(),
        Cell::Text(s) => s.as_str().into(),
        Cell::Number(x) => number_text(*x).into(),
        Cell::Date(x) => excel_serial_date(*x).unwrap_or_else(|| number_text(*x)).into(),
        Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
        Cell::Formula { cached: Some(c), .. } => c.as_str().into(),
        Cell::Formula { formula, cached: None } => format!("={}", formula.trim_start_matches('=')).into(),
        Cell::Error(e) => e.as_str().into(),
    }
}

/// Header text without `*`, spaces and invisible characters: to recognise a label that moved.
pub(super) fn loose(s: &str) -> String {
    s.chars().filter(|c| !matches!(c, '*' | '＊') && !crate::domain::id_document::is_invisible_space(*c)).collect()
}

/// A member cell as the rules read it, or the issue that makes it unreadable.
pub(super) fn member_cell(cell: &Cell, col: usize, row: u32) -> Result<Cow<'_, str>, Box<ImportIssue>> {
    let label = FIELDS[col].1;
    let formula_issue = |formula: &str| {
        let f = formula.trim().trim_start_matches('=');
        let message =
            if col == 7 { phone_message(f) } else { format!("{label}：{f}为公式，不是填写的内容！") };
        Box::new(issue(Some(row), Some(col), label, "formula_cell", message, HINT_FORMULA))
    };
    let numeric_id = |shown: String, as_date: bool, lost: bool| {
        let message = if as_date {
            format!("证件号码被Excel存成了日期（{shown}），原号码已丢失！")
        } else if lost {
            format!("证件号码被Excel存成了数字（{shown}），末几位数字已丢失！")
        } else {
            format!("证件号码被Excel存成了数字（{shown}），号码可能已不完整（如开头的0）！")
        };
        Box::new(issue(
            Some(row),
            Some(col),
            label,
            "id_number_numeric",
            message,
            "将“证件号码”列（D列）设置为“文本”格式，再对照证件原件重新输入该号码（已丢失的数字无法找回，只改格式没有用）。",
        ))
    };
    match cell {
        Cell::Empty => Ok("".into()),
        Cell::Text(s) if s.trim_start().starts_with('=') && s.trim().len() > 1 => Err(formula_issue(s)),
        // `4.40301E+17` as text: a number's display copied as text, the digits already gone.
        Cell::Text(s) if col == 3 && is_scientific(s.trim()) => Err(numeric_id(s.trim().to_string(), false, true)),
        Cell::Text(s) => Ok(s.as_str().into()),
        Cell::Formula { formula, .. } => Err(formula_issue(formula)),
        Cell::Error(e) => Err(Box::new(issue(
            Some(row),
            Some(col),
            label,
            "error_cell",
            format!("{label}单元格的值是错误值“{e}”！"),
            "该单元格的公式出错（如引用的数据找不到）：删除公式，直接填写正确的内容。",
        ))),
        Cell::Bool(b) => Ok(match (col, b) {
            (10, true) => "是",
            (10, false) => "否",
            (_, true) => "TRUE",
            (_, false) => "FALSE",
        }
        .into()),
        // An ID stored as a number has lost its last digits (or leading zeros): never repaired.
        Cell::Number(x) if col == 3 => Err(numeric_id(number_text(*x), false, x.abs() >= 1e15 || x.fract() != 0.0)),
        Cell::Date(x) if col == 3 => {
            Err(numeric_id(excel_serial_date(*x).unwrap_or_else(|| number_text(*x)), true, true))
        }
        // A mobile number stored as a number is accepted as its digits: 11-digit integers are
        // exact in a double (< 2^53) and mobiles never start with 0, so nothing was lost.
        // Any other number is shown as Excel shows it and refused by the phone rule.
        Cell::Number(x) if col == 7 => Ok(number_text(*x).into()),
        // 出生日期: an 8-digit number is a yyyymmdd typed without text format; any other number
        // is a serial date (a date cell whose format was lost).
        Cell::Number(x) | Cell::Date(x) if col == 6 => {
            if x.fract() == 0.0 && (19_000_101.0..=99_991_231.0).contains(x) {
                Ok(number_text(*x).into())
            } else {
                Ok(excel_serial_date(*x).unwrap_or_else(|| number_text(*x)).into())
            }
        }
        Cell::Number(x) => Ok(number_text(*x).into()),
        Cell::Date(x) => Ok(excel_serial_date(*x).unwrap_or_else(|| number_text(*x)).into()),
    }
}

/// `4.40301E+17`, `4.40301e17`: how Excel displays a long number.
pub(super) fn is_scientific(s: &str) -> bool {
    let Some((mantissa, exp)) = s.split_once(['E', 'e']) else { return false };
    let exp = exp.strip_prefix('+').unwrap_or(exp);
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, "0"));
    let digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
    digits(int) && digits(frac) && digits(exp)
}

pub(super) fn field_mut(input: &mut MemberInput, col: usize) -> &mut String {
    match col {
        0 => &mut input.seq,
        1 => &mut input.name,
        2 => &mut input.id_type,
        3 => &mut input.id_number,
        4 => &mut input.country,
        5 => &mut input.sex,
        6 => &mut input.birth_date,
        7 => &mut input.phone,
        8 => &mut input.ethnicity,
        9 => &mut input.education,
        10 => &mut input.migrant_worker,
        11 => &mut input.department,
        _ => &mut input.remark,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::template::test_fixtures::*;
    use crate::domain::template::validate_sheet;

    #[test]
    fn a_numeric_id_cell_is_refused_never_repaired() {
        let mut m = member(5, "王芳", "", "13800138000");
        set(&mut m, 3, Cell::Number(440_305_199_001_011_234.0));
        let r = validate_sheet(&sheet(vec![m]), &ctx());
        let i = only_issue(&r);
        assert_eq!(
            (i.column.as_deref(), i.code.as_str(), i.field.as_str()),
            (Some("D"), "id_number_numeric", "证件号码")
        );
        assert!(i.message.contains("440305199001011000"), "shown as Excel keeps it: {}", i.message);
        assert!(i.message.contains("存成了数字") && i.message.contains("末几位数字已丢失"), "{}", i.message);
        assert!(i.hint.contains("文本"), "{}", i.hint);
        assert!(r.members.is_empty());
    }

    #[test]
    fn an_id_shown_in_scientific_notation_is_refused_like_a_number() {
        for shown in ["4.40305E+17", "4.40305e17"] {
            let r = validate_sheet(&sheet(vec![member(5, "王芳", shown, "13800138000")]), &ctx());
            let i = only_issue(&r);
            assert_eq!(i.code, "id_number_numeric", "{shown}");
        }
        assert!(!is_scientific("E12345678"), "a passport number");
    }

    #[test]
    fn formula_cells_get_the_guides_remedy() {
        let mut m = member(5, "王芳", "11010519491231002X", "");
        set(
            &mut m,
            7,
            Cell::Formula {
                formula: "VLOOKUP(B7,'[1]160318'!$A$1:$D$65536,4,0)".into(),
                cached: Some("13800138000".into()),
            },
        );
        set(&mut m, 11, Cell::Text("=A1&\"部\"".into()));
        let r = validate_sheet(&sheet(vec![m]), &ctx());
        assert_eq!(codes(&r), [(5, "H".into(), "formula_cell".into()), (5, "L".into(), "formula_cell".into())]);
        assert_eq!(
            r.issues[0].message,
            "手机号码：VLOOKUP(B7,'[1]160318'!$A$1:$D$65536,4,0)为无效手机号，请填写长度为11位数字的有效手机号码。"
        );
        assert!(r.issues.iter().all(|i| i.hint == HINT_FORMULA));
        assert!(r.members.is_empty());
    }

    #[test]
    fn error_cells_are_reported() {
        let mut m = member(5, "王芳", "11010519491231002X", "13800138000");
        set(&mut m, 8, Cell::Error("#N/A".into()));
        let r = validate_sheet(&sheet(vec![m]), &ctx());
        let i = only_issue(&r);
        assert_eq!(
            (i.column.as_deref(), i.code.as_str(), i.message.as_str()),
            (Some("I"), "error_cell", "民族单元格的值是错误值“#N/A”！")
        );
    }

    #[test]
    fn a_phone_stored_as_an_11_digit_number_is_accepted() {
        let mut m = member(5, "王芳", "11010519491231002X", "");
        set(&mut m, 7, Cell::Number(13_800_138_000.0));
        let r = validate_sheet(&sheet(vec![m]), &ctx());
        assert!(r.issues.is_empty(), "{:#?}", r.issues);
        assert_eq!(r.members[0].1.phone, "13800138000");
    }

    #[test]
    fn a_phone_with_10_digits_gets_the_guides_message() {
        let mut numeric = member(6, "李伟", &id(1), "");
        set(&mut numeric, 7, Cell::Number(1_380_013_800.0));
        let r = validate_sheet(&sheet(vec![member(5, "王芳", "11010519491231002X", "1380013800"), numeric]), &ctx());
        assert_eq!(codes(&r), [(5, "H".into(), "phone_invalid".into()), (6, "H".into(), "phone_invalid".into())]);
        for i in &r.issues {
            assert_eq!(i.message, "手机号码：1380013800为无效手机号，请填写长度为11位数字的有效手机号码。");
            assert_eq!(i.hint, "请填写长度为11位数字的有效手机号码");
            assert_eq!(i.field, "手机号码");
        }
    }

    #[test]
    fn birth_dates_are_read_from_date_cells_numbers_and_text() {
        let cases = [
            (Cell::Date(32_874.0), "1990-01-01", "a date cell"),
            (Cell::Number(32_874.5), "1990-01-01", "a serial number with a time"),
            (Cell::Number(19_900_101.0), "1990-01-01", "yyyymmdd typed as a number"),
            (Cell::Text("1990/1/1".into()), "1990-01-01", "yyyy/m/d text"),
        ];
        for (cell, want, why) in cases {
            let mut m = text_row(5, &["1", "John Smith", "护照", "E12345678", "美国", "男", "", "13800138000"]);
            set(&mut m, 6, cell);
            let r = validate_sheet(&sheet(vec![m]), &ctx());
            assert!(r.issues.is_empty(), "{why}: {:#?}", r.issues);
            assert_eq!(r.members[0].1.birth_date, want, "{why}");
        }
    }

    #[test]
    fn excel_serial_dates_follow_the_1900_system_and_its_leap_day_bug() {
        let cases = [
            (1.0, Some("1900-01-01")),
            (59.0, Some("1900-02-28")),
            (60.0, None),
            (61.0, Some("1900-03-01")),
            (25_569.0, Some("1970-01-01")),
            (45_658.0, Some("2025-01-01")),
            (0.0, None),
            (-3.0, None),
        ];
        for (serial, want) in cases {
            assert_eq!(excel_serial_date(serial).as_deref(), want, "serial {serial}");
        }
    }

    #[test]
    fn numbers_are_shown_as_excel_shows_them() {
        assert_eq!(number_text(34.0), "34");
        assert_eq!(number_text(440_305_199_001_011_234.0), "440305199001011000");
        assert_eq!(number_text(1.5), "1.5");
    }
}
