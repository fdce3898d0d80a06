//! `validate_sheet`: the whole sheet against the template, every problem at once; what the rules
//! need besides the sheet (`TemplateContext`) and the issue for an ID already on record.

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::cell::{field_mut, header_text, member_cell};
use super::layout::{check_beyond_m, check_info_values, check_layout, FIRST_MEMBER_ROW, LAST_COLUMN};
use super::{issue, HeaderValues};
use crate::domain::id_document::normalise_id;
use crate::domain::member::{self, MemberInput, MemberRecord, FIELDS};
use crate::domain::sheet::{column_index, column_letter, ImportIssue, Normalisation, Sheet};

/// What the rules need to know besides the sheet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateContext {
    /// The union's registered full name: B3 must be exactly this.
    pub union_name: String,
    /// The branch numbers of the union's bank; H3 must be one of them.
    pub branch_codes: Vec<String>,
    /// YYYYMMDD: no birth date may be after it.
    pub today: String,
}

/// Everything `validate_sheet` found.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SheetReport {
    /// Row 3's values, if all are valid.
    pub header: Option<HeaderValues>,
    /// The rows without any issue: (sheet row, record).
    pub members: Vec<(u32, MemberRecord)>,
    /// Every problem, in sheet order (row, then column).
    pub issues: Vec<ImportIssue>,
    /// What normalisation changed in the accepted rows.
    pub normalisations: Vec<Normalisation>,
    /// Member rows seen (row 5 on, with something in B–M).
    pub rows_read: usize,
    /// Rows with some other problem whose ID number is itself correct (and first in the file):
    /// (sheet row, name as stored, ID number as stored). The server looks these up too, so an ID
    /// already on record is reported with the row's other problems, not after they are fixed.
    pub flawed_ids: Vec<(u32, String, String)>,
}

/// Why an ID of the file is already on record (found by the server's database check).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExistingId {
    /// Already a member of this union.
    InThisUnion,
    /// A member of this union on record under another name.
    NameMismatch,
    /// A member of another union, under this name or another: one answer for both, naming both
    /// causes as the guide does, so a file cannot tell whether a name matches an ID held
    /// elsewhere.
    InOtherUnion,
}

/// The guide's message for an ID already on record, at column D of `row`. `union_name` is the
/// importing union's name (used by `InThisUnion`).
pub fn existing_id_issue(row: u32, kind: ExistingId, union_name: &str) -> ImportIssue {
    let (code, message, hint) = match kind {
        ExistingId::InThisUnion => {
            ("id_exists_in_union", format!("该证件号码在【{union_name}】中已存在！"), "删除重复录入的会员信息")
        }
        ExistingId::NameMismatch => {
            ("id_name_mismatch", "该证件号码已存在！".to_string(), "证件号码与姓名不对应：核实身份证号码与姓名是否对应")
        }
        ExistingId::InOtherUnion => (
            "id_in_other_union",
            "该证件号码已存在！".to_string(),
            "证件号码与姓名不对应：核实身份证号码与姓名是否对应；或该会员身份证已存在于其他工会：该会员是否已在其他单位录入",
        ),
    };
    issue(Some(row), Some(3), "证件号码", code, message, hint)
}

/// Checks a whole sheet against the template: the header, then every member row, all problems
/// at once. Duplicates within the file name the earlier row.
pub fn validate_sheet(sheet: &Sheet, ctx: &TemplateContext) -> SheetReport {
    let mut issues = Vec::new();
    let readable = check_layout(sheet, &mut issues);
    let header = check_info_values(sheet, ctx, &mut issues);
    check_beyond_m(sheet, &mut issues);

    let mut members = Vec::new();
    let mut normalisations = Vec::new();
    let mut rows_read = 0;
    let member_rows = sheet.rows.iter().filter(|r| r.row >= FIRST_MEMBER_ROW).count();
    // normalised ID → (sheet row, index in sheet.rows) of its first occurrence
    let mut seen: HashMap<String, (u32, usize)> = HashMap::with_capacity(if readable { member_rows } else { 0 });
    let mut flawed_ids = Vec::new();
    for (idx, r) in sheet.rows.iter().enumerate() {
        if r.row < FIRST_MEMBER_ROW || (1..=LAST_COLUMN).all(|c| r.cell(c).is_empty()) {
            continue;
        }
        rows_read += 1;
        if !readable {
            continue;
        }
        let before = issues.len();
        let mut input = MemberInput::default();
        let mut unreadable = [false; LAST_COLUMN + 1];
        for (col, bad) in unreadable.iter_mut().enumerate().skip(1) {
            match member_cell(r.cell(col), col, r.row) {
                Ok(v) => *field_mut(&mut input, col) = v.into_owned(),
                Err(i) => {
                    issues.push(*i);
                    *bad = true;
                }
            }
        }

        let (key, _) = normalise_id(&input.id_number);
        let mut first_in_file = false;
        if !key.is_empty() {
            match seen.entry(key.clone()) {
                Entry::Occupied(o) => {
                    let (first_row, first_idx) = *o.get();
                    let first_name = header_text(sheet.rows[first_idx].cell(1));
                    issues.push(issue(
                        Some(r.row),
                        Some(3),
                        FIELDS[3].1,
                        "id_duplicate_in_file",
                        member::duplicate_message(first_row, first_name.trim()),
                        member::HINT_DUPLICATE,
                    ));
                }
                Entry::Vacant(v) => {
                    v.insert((r.row, idx));
                    first_in_file = true;
                }
            }
        }

        match input.parse(&ctx.today) {
            Ok((record, norms)) => {
                if issues.len() == before {
                    for (field, kind) in norms {
                        let col = member::field_column(field).unwrap_or(3);
                        normalisations.push(Normalisation {
                            row: r.row,
                            column: column_letter(col),
                            field: FIELDS[col].1.to_string(),
                            kind,
                        });
                    }
                    members.push((r.row, record));
                }
            }
            Err(errors) => {
                let id_fine = first_in_file
                    && !unreadable[3]
                    && !errors.iter().any(|e| matches!(e.field.as_str(), "id_number" | "id_type"));
                if id_fine {
                    flawed_ids.push((r.row, member::squash(&input.name), key));
                }
                for e in errors {
                    let col = member::field_column(&e.field).unwrap_or(3);
                    // A cell already reported as unreadable is not reported again as empty.
                    if !unreadable[col] {
                        issues.push(issue(Some(r.row), Some(col), FIELDS[col].1, &e.code, e.message, e.hint));
                    }
                }
            }
        }
    }
    // Header issues come first and beyond-M issues may point into member rows: sheet order.
    issues.sort_by_key(|i| (i.row.unwrap_or(0), i.column.as_deref().and_then(column_index).unwrap_or(0)));
    SheetReport { header, members, issues, normalisations, rows_read, flawed_ids }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::sheet::{Cell, NormKind, SheetRow};
    use crate::domain::template::test_fixtures::*;
    use crate::domain::template::{IncomeBand, UnitType};

    #[test]
    fn a_correct_template_gives_its_header_and_members() {
        let r = validate_sheet(
            &sheet(vec![
                member(5, "王芳", "11010519491231002X", "13800138000"),
                member(6, "李伟", &id(1), "13900139000"),
            ]),
            &ctx(),
        );
        assert!(r.issues.is_empty(), "{:#?}", r.issues);
        assert_eq!(
            r.header,
            Some(HeaderValues {
                union_name: UNION.into(),
                unit_type: UnitType::Enterprise,
                income_band: IncomeBand::Band2,
                branch_code: BRANCH.into(),
                shenzhen_tong: true,
            })
        );
        assert_eq!(r.rows_read, 2);
        assert_eq!(r.members.len(), 2);
        assert_eq!(r.members[0].0, 5);
        assert_eq!(r.members[0].1.birth_date, "1949-12-31");
    }

    #[test]
    fn rows_with_other_mistakes_hand_their_correct_ids_to_the_look_up() {
        let r = validate_sheet(
            &sheet(vec![
                member(5, " 王 芳 ", "11010519491231002X", "1380013800"),
                member(6, "李伟", "11010519491231002Y", "1380013800"),
                member(7, "张三", "11010519491231002x", "138"),
                member(8, "李四", &id(1), "13900139000"),
            ]),
            &ctx(),
        );
        // row 5: a bad phone, its ID fine; row 6: its ID wrong; row 7: the same ID again (a
        // duplicate in the file, reported as such); row 8: clean, among the members
        assert_eq!(r.flawed_ids, vec![(5, "王 芳".to_string(), "11010519491231002X".to_string())]);
        assert_eq!(r.members.iter().map(|(row, _)| *row).collect::<Vec<_>>(), [8]);
    }

    #[test]
    fn a_row_holding_only_zero_width_characters_is_an_empty_row() {
        let mut blank = text_row(6, &[]);
        set(&mut blank, 11, Cell::Text("\u{200B}\u{FEFF}".into()));
        let r = validate_sheet(&sheet(vec![member(5, "王芳", "11010519491231002X", "13800138000"), blank]), &ctx());
        assert!(r.issues.is_empty(), "{:#?}", r.issues);
        assert_eq!(r.rows_read, 1);
    }

    #[test]
    fn a_formula_in_the_sequence_column_is_ignored() {
        let mut m = member(5, "王芳", "11010519491231002X", "13800138000");
        set(&mut m, 0, Cell::Formula { formula: "ROW()-4".into(), cached: None });
        assert!(validate_sheet(&sheet(vec![m]), &ctx()).issues.is_empty());
    }

    #[test]
    fn a_duplicate_id_names_the_earlier_row_and_its_name() {
        let r = validate_sheet(
            &sheet(vec![
                member(5, "王芳", "11010519491231002X", "13800138000"),
                member(6, "李伟", &id(1), "13900139000"),
                member(7, "张敏", "11010519491231002x", "13700137000"),
                member(9, "刘洋", "11010519491231002X", "13600136000"),
            ]),
            &ctx(),
        );
        assert_eq!(
            codes(&r),
            [(7, "D".into(), "id_duplicate_in_file".into()), (9, "D".into(), "id_duplicate_in_file".into())]
        );
        for i in &r.issues {
            assert_eq!(i.message, "同5行的王芳证件号码相同。");
            assert_eq!(i.hint, "检查报错行身份证号码是否正确");
        }
        let accepted: Vec<u32> = r.members.iter().map(|m| m.0).collect();
        assert_eq!(accepted, [5, 6], "the earlier row stays in");
    }

    #[test]
    fn member_errors_carry_row_column_field_code_message_and_hint() {
        let cases = [
            (
                "11O10519491231002X",
                "id_number_letter_o",
                "身份证号码无效，请核对身份证原件,并检查所填数据中是否存在字母\"O\"！",
                "letter O",
            ),
            (
                "11010519491231002",
                "id_number_length",
                "身份证号码格式错误，请填写18位正确的身份证号码！",
                "17 characters",
            ),
            (
                "110105209912310021",
                "id_number_future",
                "身份证号码无效，请核对身份证原件,并检查所填数据中是否存在字母\"O\"！",
                "born in the future",
            ),
            (
                "110105194902300027",
                "id_number_date",
                "身份证号码无效，请核对身份证原件,并检查所填数据中是否存在字母\"O\"！",
                "30 February",
            ),
        ];
        for (bad, code, message, why) in cases {
            let r = validate_sheet(&sheet(vec![member(8, "王芳", bad, "13800138000")]), &ctx());
            // the ID's own error, then E, F and G, which an invalid number makes required
            let columns: Vec<_> = r.issues.iter().map(|i| i.column.clone().unwrap_or_default()).collect();
            assert_eq!(columns, ["D", "E", "F", "G"], "{why}");
            let i = &r.issues[0];
            assert_eq!(
                (i.row, i.column.as_deref(), i.field.as_str(), i.code.as_str(), i.message.as_str()),
                (Some(8), Some("D"), "证件号码", code, message),
                "{why}"
            );
            assert!(!i.hint.is_empty(), "{why}");
        }
    }

    #[test]
    fn a_passport_row_without_country_sex_and_birth_date_is_reported_in_columns_e_f_g() {
        let m = text_row(5, &["1", "John Smith", "护照", "E12345678", "", "", "", "13800138000"]);
        let r = validate_sheet(&sheet(vec![m]), &ctx());
        assert_eq!(
            codes(&r),
            [
                (5, "E".into(), "country_required".into()),
                (5, "F".into(), "sex_required".into()),
                (5, "G".into(), "birth_date_required".into())
            ]
        );
        assert_eq!(r.issues[0].field, "国家/地区");
    }

    #[test]
    fn normalisations_of_accepted_rows_are_reported_with_their_cell() {
        let r = validate_sheet(&sheet(vec![member(5, "王芳", "11010519491231002x", "138 0013 8000")]), &ctx());
        assert!(r.issues.is_empty(), "{:#?}", r.issues);
        let got: Vec<_> =
            r.normalisations.iter().map(|n| (n.row, n.column.as_str(), n.field.as_str(), n.kind)).collect();
        assert_eq!(got, [(5, "D", "证件号码", NormKind::LowercaseX), (5, "H", "手机号码", NormKind::InvisibleSpace)]);
    }

    #[test]
    fn empty_rows_and_prenumbered_rows_are_skipped() {
        let r = validate_sheet(
            &sheet(vec![
                member(5, "王芳", "11010519491231002X", "13800138000"),
                text_row(6, &["", "  ", "", ""]),
                text_row(7, &["3"]),
                member(8, "李伟", &id(1), "13900139000"),
                text_row(9, &["5"]),
                text_row(10, &["6"]),
            ]),
            &ctx(),
        );
        assert!(r.issues.is_empty(), "{:#?}", r.issues);
        assert_eq!(r.rows_read, 2);
        assert_eq!(r.members.len(), 2);
    }

    #[test]
    fn every_error_of_the_file_is_reported_at_once_in_sheet_order() {
        let mut s = sheet(vec![
            member(5, "王芳2", "11010519491231002", "123"),
            member(6, "", "", ""),
            member(7, "李伟", &id(1), "13900139000"),
        ]);
        s.rows[2] = info_row([UNION, "61", "6", BRANCH, "是"]);
        let r = validate_sheet(&s, &ctx());
        let got: Vec<_> =
            r.issues.iter().map(|i| format!("{}{}:{}", i.column.clone().unwrap(), i.row.unwrap(), i.code)).collect();
        assert_eq!(
            got,
            [
                "D3:unit_type_invalid",
                "F3:income_band_invalid",
                "B5:name_has_digit",
                "D5:id_number_length",
                "E5:country_required",
                "F5:sex_required",
                "G5:birth_date_required",
                "H5:phone_invalid",
                "B6:name_required",
                "D6:id_number_required",
                "H6:phone_required",
            ]
        );
        assert_eq!(r.members.len(), 1);
    }

    #[test]
    fn existing_ids_get_the_guides_messages_and_causes() {
        let i = existing_id_issue(12, ExistingId::InThisUnion, UNION);
        assert_eq!((i.row, i.column.as_deref(), i.field.as_str()), (Some(12), Some("D"), "证件号码"));
        assert_eq!(
            (i.code.as_str(), i.message.as_str(), i.hint.as_str()),
            (
                "id_exists_in_union",
                "该证件号码在【深圳市示例电子有限公司工会委员会】中已存在！",
                "删除重复录入的会员信息"
            )
        );
        let i = existing_id_issue(12, ExistingId::NameMismatch, UNION);
        assert_eq!((i.code.as_str(), i.message.as_str()), ("id_name_mismatch", "该证件号码已存在！"));
        assert!(
            i.hint.contains("证件号码与姓名不对应") && i.hint.contains("核实身份证号码与姓名是否对应"),
            "{}",
            i.hint
        );
        let i = existing_id_issue(12, ExistingId::InOtherUnion, UNION);
        assert_eq!((i.code.as_str(), i.message.as_str()), ("id_in_other_union", "该证件号码已存在！"));
        assert!(
            i.hint.contains("该会员身份证已存在于其他工会")
                && i.hint.contains("该会员是否已在其他单位录入")
                && i.hint.contains("核实身份证号码与姓名是否对应"),
            "{}",
            i.hint
        );
    }

    /// The speed of this is measured by `cargo bench -p server --bench import_100k`.
    #[test]
    fn a_hundred_thousand_valid_rows_all_pass() {
        let names = ["王伟", "李芳", "张敏", "刘洋", "陈静", "杨磊", "赵军", "吴艳"];
        let rows: Vec<SheetRow> = (0..100_000u32)
            .map(|i| {
                let first = format!(
                    "440305{:04}{:02}{:02}{:03}",
                    1970 + (i / 336) % 30,
                    (i / 28) % 12 + 1,
                    i % 28 + 1,
                    100 + (i / 10_080) % 900
                );
                member(5 + i, names[(i % 8) as usize], &with_check(&first), &format!("139{i:08}"))
            })
            .collect();
        let s = sheet(rows);
        let r = validate_sheet(&s, &ctx());
        assert!(r.issues.is_empty(), "{:?}", r.issues.first());
        assert_eq!(r.members.len(), 100_000);
    }
}
