//! The template's fixed layout (rows 1–4, columns A–M) and its checks: the title row, the 填报工会
//! row and its values, the column headers, and anything right of M.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::cell::{header_text, loose};
use super::messages::*;
use super::{issue, HeaderValues, IncomeBand, TemplateContext, UnitType};
use crate::domain::id_document::compact_half_width;
use crate::domain::sheet::{column_letter, Cell, ImportIssue, Sheet, SheetRow};

pub const TITLE: &str = "工会会员信息采集汇总表";
/// A1.
pub const ATTACHMENT_MARK: &str = "附件2";
/// The 填报工会 row.
pub const INFO_ROW: u32 = 3;
/// The member column headers.
pub const HEADER_ROW: u32 = 4;
pub const FIRST_MEMBER_ROW: u32 = 5;
/// 0-based index of M, the rightmost column.
pub const LAST_COLUMN: usize = 12;
/// Row 3: labels in columns A, C, E, G, I (0, 2, 4, 6, 8); each value in the column after.
pub const INFO_LABELS: [&str; 5] = ["*填报工会", "*单位类型", "*职工平均月收入", "*领卡网点", "*是否加载深圳通"];
/// Row 4, columns A–M.
pub const HEADERS: [&str; 13] = [
    "序号",
    "*姓名",
    "证件类型",
    "*证件号码",
    "国家/地区",
    "性别",
    "出生日期",
    "*手机号码",
    "民族",
    "学历",
    "是否农民工",
    "部门",
    "备注",
];

/// The header of the reasons column the error report adds; a clerk who fixes the report and
/// uploads it again is not refused for it.
pub const ERROR_REPORT_COLUMN: &str = "错误原因";

/// `，现为“…”` (shortened) or `，现为空`.
fn now_is(s: &str) -> String {
    let t = s.trim();
    if t.is_empty() {
        "，现为空".to_string()
    } else if t.chars().count() > 20 {
        format!("，现为“{}…”", t.chars().take(20).collect::<String>())
    } else {
        format!("，现为“{t}”")
    }
}

/// Row 3 is where it belongs if at least three of its five labels are there (spaces and `*`
/// aside); then a single wrong or merged label is reported by itself.
fn info_row_in_place(row3: Option<&SheetRow>) -> bool {
    row3.is_some_and(|r| {
        INFO_LABELS.iter().enumerate().filter(|(i, l)| loose(&header_text(r.cell(i * 2))) == loose(l)).count() >= 3
    })
}

fn find_row(sheet: &Sheet, n: u32) -> Option<&SheetRow> {
    sheet.rows.iter().find(|r| r.row == n)
}

/// Another row among the first rows whose cells loosely match `test`: where a header moved to.
fn moved_to(sheet: &Sheet, expected: u32, test: impl Fn(&SheetRow) -> bool) -> Option<u32> {
    sheet.rows.iter().take_while(|r| r.row <= 12).find(|r| r.row != expected && test(r)).map(|r| r.row)
}

fn header_issue(issues: &mut Vec<ImportIssue>, row: u32, col: usize, what: String) {
    issues.push(issue(
        Some(row),
        Some(col),
        "表头",
        "header_incomplete",
        MSG_HEADER_INCOMPLETE,
        format!("{what}\n{HINT_HEADER_INCOMPLETE}"),
    ));
}

/// Rows 1, 3 and 4. Returns whether the member rows can be read by column.
pub(super) fn check_layout(sheet: &Sheet, issues: &mut Vec<ImportIssue>) -> bool {
    let row1 = find_row(sheet, 1);
    let cell1 = |c: usize| row1.map_or(Cow::Borrowed(""), |r| header_text(r.cell(c)));
    let a1 = cell1(0);
    if a1.trim() != ATTACHMENT_MARK {
        header_issue(issues, 1, 0, format!("A1单元格应为“{ATTACHMENT_MARK}”{}。表头“附件2”行不可删除。", now_is(&a1)));
    }
    let b1 = cell1(1);
    if b1.trim() != TITLE {
        header_issue(issues, 1, 1, format!("B1单元格应为标题“{TITLE}”{}。", now_is(&b1)));
    }

    let row3 = find_row(sheet, INFO_ROW);
    let info_in_place = info_row_in_place(row3);
    if !info_in_place {
        let moved = moved_to(sheet, INFO_ROW, |r| loose(&header_text(r.cell(0))) == "填报工会");
        let where_ = moved.map(|m| format!("“*填报工会”一行现在第{m}行，")).unwrap_or_default();
        let a3 = row3.map_or(Cow::Borrowed(""), |r| header_text(r.cell(0)));
        header_issue(
            issues,
            INFO_ROW,
            0,
            format!(
                "第3行应为“*填报工会”一行（A3单元格应为“*填报工会”{}），{where_}第1–3行的表头不可移动、删除。",
                now_is(&a3)
            ),
        );
    } else if let Some(r3) = row3 {
        for (i, label) in INFO_LABELS.iter().enumerate() {
            let got = header_text(r3.cell(i * 2));
            if got.trim() != *label {
                let cell = format!("{}3", column_letter(i * 2));
                header_issue(
                    issues,
                    INFO_ROW,
                    i * 2,
                    format!("{cell}单元格应为“{label}”{}（表头不可修改、合并、删除）。", now_is(&got)),
                );
            }
        }
    }

    let row4 = find_row(sheet, HEADER_ROW);
    let key_headers_in_place =
        row4.is_some_and(|r| [1, 3, 7].iter().all(|&c| loose(&header_text(r.cell(c))) == loose(HEADERS[c])));
    if !key_headers_in_place {
        let moved = moved_to(sheet, HEADER_ROW, |r| {
            loose(&header_text(r.cell(1))) == "姓名" && loose(&header_text(r.cell(3))) == "证件号码"
        });
        let where_ = moved.map(|m| format!("列标题现在第{m}行，")).unwrap_or_default();
        let b4 = row4.map_or(Cow::Borrowed(""), |r| header_text(r.cell(1)));
        header_issue(
            issues,
            HEADER_ROW,
            0,
            format!(
                "第4行应为列标题“序号”“*姓名”……“备注”（A–M列，B4单元格应为“*姓名”{}），{where_}表头不可移动、删除。\n表头修正前，会员信息不作检查。",
                now_is(&b4)
            ),
        );
    } else if let Some(r4) = row4 {
        for (c, want) in HEADERS.iter().enumerate() {
            let got = header_text(r4.cell(c));
            if got.trim() != *want {
                let cell = format!("{}4", column_letter(c));
                header_issue(issues, HEADER_ROW, c, format!("{cell}单元格应为“{want}”{}。", now_is(&got)));
            }
        }
    }
    key_headers_in_place
}

/// Row 3's values.
pub(super) fn check_info_values(
    sheet: &Sheet,
    ctx: &TemplateContext,
    issues: &mut Vec<ImportIssue>,
) -> Option<HeaderValues> {
    let r3 = find_row(sheet, INFO_ROW).filter(|r| info_row_in_place(Some(r)))?;
    let missing = |issues: &mut Vec<ImportIssue>, col: usize, field: &str| {
        let cell = format!("{}3", column_letter(col));
        issues.push(issue(
            Some(INFO_ROW),
            Some(col),
            field,
            "header_incomplete",
            MSG_HEADER_INCOMPLETE,
            format!("{cell}单元格（{field}）未填写。\n{HINT_HEADER_INCOMPLETE}"),
        ));
    };

    // B3: exactly the registered name; surrounding spaces make it a mismatch (the guide's cause 2).
    let name_cell = r3.cell(1);
    let name = header_text(name_cell);
    let union_name = if name.trim().is_empty() {
        missing(issues, 1, "填报工会");
        None
    } else if matches!(name_cell, Cell::Text(s) if *s == ctx.union_name) {
        Some(ctx.union_name.clone())
    } else {
        let why = if name.trim() == ctx.union_name {
            "B3中的工会名称前后有空格，请删除空格。\n".to_string()
        } else if compact_half_width(&name).0 == compact_half_width(&ctx.union_name).0 {
            "B3中的工会名称与系统登记的名称在空格或全角/半角字符（如括号）上不一致。\n".to_string()
        } else {
            String::new()
        };
        issues.push(issue(
            Some(INFO_ROW),
            Some(1),
            "填报工会",
            "union_name_mismatch",
            MSG_UNION_NAME,
            format!("{why}{HINT_UNION_NAME}"),
        ));
        None
    };

    let unit_text = header_text(r3.cell(3));
    let unit_type = if unit_text.trim().is_empty() {
        missing(issues, 3, "单位类型");
        None
    } else {
        let t = UnitType::parse(&unit_text);
        if t.is_none() {
            issues.push(issue(Some(INFO_ROW), Some(3), "单位类型", "unit_type_invalid", MSG_UNIT_TYPE, HINT_UNIT_TYPE));
        }
        t
    };

    let band_text = header_text(r3.cell(5));
    let income_band = if band_text.trim().is_empty() {
        missing(issues, 5, "职工平均月收入");
        None
    } else {
        let b = IncomeBand::parse(&band_text);
        if b.is_none() {
            issues.push(issue(
                Some(INFO_ROW),
                Some(5),
                "职工平均月收入",
                "income_band_invalid",
                MSG_INCOME_BAND,
                HINT_INCOME_BAND,
            ));
        }
        b
    };

    let branch_text = header_text(r3.cell(7));
    let branch = branch_text.trim();
    let branch_code = if branch.is_empty() {
        missing(issues, 7, "领卡网点");
        None
    } else if ctx.branch_codes.iter().any(|b| b == branch) {
        Some(branch.to_string())
    } else {
        issues.push(issue(Some(INFO_ROW), Some(7), "领卡网点", "branch_invalid", MSG_BRANCH, HINT_BRANCH));
        None
    };

    let szt_text = header_text(r3.cell(9));
    let shenzhen_tong = match szt_text.trim() {
        "" => {
            missing(issues, 9, "是否加载深圳通");
            None
        }
        "是" => Some(true),
        "否" => Some(false),
        _ => {
            issues.push(issue(
                Some(INFO_ROW),
                Some(9),
                "是否加载深圳通",
                "shenzhen_tong_invalid",
                MSG_SHENZHEN_TONG,
                HINT_SHENZHEN_TONG,
            ));
            None
        }
    };

    Some(HeaderValues {
        union_name: union_name?,
        unit_type: unit_type?,
        income_band: income_band?,
        branch_code: branch_code?,
        shenzhen_tong: shenzhen_tong?,
    })
}

/// Anything right of M: one issue per column, at its first non-empty cell.
pub(super) fn check_beyond_m(sheet: &Sheet, issues: &mut Vec<ImportIssue>) {
    let reasons_column: Option<usize> = sheet.rows.iter().find(|r| r.row == HEADER_ROW).and_then(|r| {
        r.cells.iter().enumerate().skip(LAST_COLUMN + 1).find_map(|(c, cell)| match cell {
            Cell::Text(t) if t.trim() == ERROR_REPORT_COLUMN => Some(c),
            _ => None,
        })
    });
    let mut first: BTreeMap<usize, u32> = BTreeMap::new();
    for r in &sheet.rows {
        for (c, cell) in r.cells.iter().enumerate().skip(LAST_COLUMN + 1) {
            if Some(c) != reasons_column && !cell.is_empty() {
                first.entry(c).or_insert(r.row);
            }
        }
    }
    for (c, row) in first {
        issues.push(beyond_column_m(row, c));
    }
}

/// Content at `row` in column `col` (0-based), right of M. The reader keeps columns A–Z; for
/// content further right it reports the first such cell, and the server adds this issue for it.
pub fn beyond_column_m(row: u32, col: usize) -> ImportIssue {
    let letter = column_letter(col);
    issue(
        Some(row),
        Some(col),
        if row <= HEADER_ROW { "表头" } else { "文件" },
        "beyond_column_m",
        format!("表格的最右列应是M列，{letter}列有内容（{letter}{row}）！"),
        "删除M列右侧的各列（表格的最右列必须是M列），需要保留的内容可填在“备注”列。",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::template::test_fixtures::*;
    use crate::domain::template::validate_sheet;

    #[test]
    fn numbers_in_coded_header_cells_are_read_as_their_digits() {
        let mut s = sheet(vec![member(5, "王芳", "11010519491231002X", "13800138000")]);
        set(&mut s.rows[2], 3, Cell::Number(34.0));
        set(&mut s.rows[2], 5, Cell::Number(1.0));
        set(&mut s.rows[2], 7, Cell::Number(104_584_000_101.0));
        let r = validate_sheet(&s, &ctx());
        assert!(r.issues.is_empty(), "{:#?}", r.issues);
        let h = r.header.unwrap();
        assert_eq!(
            (h.unit_type, h.income_band, h.branch_code.as_str()),
            (UnitType::Government, IncomeBand::Band1, BRANCH)
        );
    }

    #[test]
    fn each_wrong_header_value_gets_the_guides_message_at_its_cell() {
        let cases: [([&str; 5], &str, &str, &str, &str); 6] = [
            (
                ["深圳市示例电子有限公司", "60", "2", BRANCH, "是"],
                "B",
                "union_name_mismatch",
                MSG_UNION_NAME,
                "the unit's name, not the union's",
            ),
            ([UNION, "61", "2", BRANCH, "是"], "D", "unit_type_invalid", MSG_UNIT_TYPE, "no unit type 61"),
            ([UNION, "60", "6", BRANCH, "是"], "F", "income_band_invalid", MSG_INCOME_BAND, "no band 6"),
            ([UNION, "60", "2", "104584999999", "是"], "H", "branch_invalid", MSG_BRANCH, "not a branch of the bank"),
            ([UNION, "60", "2", BRANCH, "Y"], "J", "shenzhen_tong_invalid", MSG_SHENZHEN_TONG, "Y is not 是"),
            ([UNION, "", "2", BRANCH, "是"], "D", "header_incomplete", MSG_HEADER_INCOMPLETE, "unit type left empty"),
        ];
        for (values, col, code, message, why) in cases {
            let mut s = sheet(vec![member(5, "王芳", "11010519491231002X", "13800138000")]);
            s.rows[2] = info_row(values);
            let r = validate_sheet(&s, &ctx());
            let i = only_issue(&r);
            assert_eq!(
                (i.row, i.column.as_deref(), i.code.as_str(), i.message.as_str()),
                (Some(3), Some(col), code, message),
                "{why}"
            );
            assert!(r.header.is_none(), "{why}");
            assert_eq!(r.members.len(), 1, "{why}: members are still checked");
        }
    }

    #[test]
    fn header_hints_are_the_guides_remedies() {
        let cases = [
            ([UNION, "61", "2", BRANCH, "是"], HINT_UNIT_TYPE),
            ([UNION, "60", "6", BRANCH, "是"], HINT_INCOME_BAND),
            ([UNION, "60", "2", "1", "是"], HINT_BRANCH),
            ([UNION, "60", "2", BRANCH, "要"], HINT_SHENZHEN_TONG),
            (["别的工会", "60", "2", BRANCH, "是"], HINT_UNION_NAME),
        ];
        for (values, hint) in cases {
            let mut s = sheet(vec![]);
            s.rows[2] = info_row(values);
            assert_eq!(only_issue(&validate_sheet(&s, &ctx())).hint, hint, "{values:?}");
        }
    }

    #[test]
    fn a_union_name_with_surrounding_spaces_is_a_mismatch_and_the_hint_says_so() {
        for padded in [format!(" {UNION}"), format!("{UNION} "), format!("{UNION}\u{3000}")] {
            let mut s = sheet(vec![]);
            s.rows[2] = info_row([&padded, "60", "2", BRANCH, "是"]);
            let r = validate_sheet(&s, &ctx());
            let i = only_issue(&r);
            assert_eq!(
                (i.code.as_str(), i.message.as_str()),
                ("union_name_mismatch", "工会名称不匹配！"),
                "{padded:?}"
            );
            assert!(i.hint.starts_with("B3中的工会名称前后有空格，请删除空格。"), "{padded:?}: {}", i.hint);
            assert!(i.hint.ends_with(HINT_UNION_NAME));
        }
    }

    #[test]
    fn a_deleted_attachment_row_is_reported_and_members_are_not_read_column_by_column() {
        // Row 1 deleted: everything moved up one row.
        let mut rows = header_rows();
        rows.remove(0);
        for r in &mut rows {
            r.row -= 1;
        }
        rows.push(member(4, "王芳", "11010519491231002X", "13800138000"));
        rows.push(member(5, "李伟", "123", "1"));
        let r = validate_sheet(&Sheet { rows }, &ctx());
        assert!(
            r.issues.iter().all(|i| i.code == "header_incomplete" && i.message == MSG_HEADER_INCOMPLETE),
            "{:#?}",
            r.issues
        );
        let a1 = r.issues.iter().find(|i| i.row == Some(1) && i.column.as_deref() == Some("A")).expect("A1");
        assert!(a1.hint.contains("“附件2”行不可删除"), "{}", a1.hint);
        let at: Vec<_> = r.issues.iter().map(|i| format!("{}{}", i.column.clone().unwrap(), i.row.unwrap())).collect();
        assert_eq!(at, ["A1", "B1", "A3", "A4"], "one issue per displaced row, not per cell");
        assert!(r.issues[2].hint.contains("“*填报工会”一行现在第2行"), "{}", r.issues[2].hint);
        let a4 = &r.issues[3].hint;
        assert!(a4.contains("B4单元格应为“*姓名”，现为“王芳”"), "{a4}");
        assert!(a4.contains("列标题现在第3行"), "{a4}");
        assert!(a4.contains("会员信息不作检查"), "{a4}");
        assert!(r.members.is_empty());
        assert_eq!(r.rows_read, 1, "row 5 is the only member row by number");
    }

    #[test]
    fn a_moved_header_row_names_where_it_is() {
        let mut rows = header_rows();
        rows[2].row = 5; // 填报工会 row moved below the headers
        rows.swap(2, 3);
        let r = validate_sheet(&Sheet { rows }, &ctx());
        let a3 = r.issues.iter().find(|i| i.row == Some(3)).expect("row 3");
        assert_eq!(a3.column.as_deref(), Some("A"));
        assert!(a3.hint.contains("“*填报工会”一行现在第5行"), "{}", a3.hint);
    }

    #[test]
    fn merged_header_cells_are_reported_cell_by_cell() {
        // A3:D3 merged: the reader gives the value in A3 only.
        let mut s = sheet(vec![]);
        s.rows[2].cells[1] = Cell::Empty;
        s.rows[2].cells[2] = Cell::Empty;
        s.rows[2].cells[3] = Cell::Empty;
        let r = validate_sheet(&s, &ctx());
        let at: Vec<_> = codes(&r);
        assert_eq!(
            at,
            [
                (3, "B".into(), "header_incomplete".into()),
                (3, "C".into(), "header_incomplete".into()),
                (3, "D".into(), "header_incomplete".into())
            ]
        );
        assert!(r.issues[1].hint.starts_with("C3单元格应为“*单位类型”，现为空"), "{}", r.issues[1].hint);
    }

    #[test]
    fn a_wrong_column_header_names_the_cell_and_members_are_still_checked() {
        let mut s = sheet(vec![member(5, "王芳", "11010519491231002X", "13800138000")]);
        s.rows[3].cells[4] = Cell::Text("国籍".into());
        s.rows[3].cells[1] = Cell::Text("姓名".into()); // star missing
        let r = validate_sheet(&s, &ctx());
        assert_eq!(
            codes(&r),
            [(4, "B".into(), "header_incomplete".into()), (4, "E".into(), "header_incomplete".into())]
        );
        assert!(r.issues[1].hint.starts_with("E4单元格应为“国家/地区”，现为“国籍”。"), "{}", r.issues[1].hint);
        assert_eq!(r.members.len(), 1);
    }

    #[test]
    fn a_missing_title_and_an_empty_sheet_are_reported() {
        let mut s = sheet(vec![]);
        s.rows[0].cells.truncate(1);
        assert_eq!(codes(&validate_sheet(&s, &ctx())), [(1, "B".into(), "header_incomplete".into())]);
        let r = validate_sheet(&Sheet::default(), &ctx());
        let at: Vec<_> = r.issues.iter().map(|i| format!("{}{}", i.column.clone().unwrap(), i.row.unwrap())).collect();
        assert_eq!(at, ["A1", "B1", "A3", "A4"], "one issue per missing row, not per cell");
        assert!(r.header.is_none());
    }

    #[test]
    fn the_error_reports_reason_column_is_not_held_against_a_reupload() {
        let mut rows = vec![member(5, "张三", &with_check("11010519491231002"), "13912345678")];
        rows[0].cells.resize(14, Cell::Empty);
        rows[0].cells[13] = Cell::Text("手机号码：…为无效手机号".into());
        let mut s = sheet(rows);
        let header = s.rows.iter_mut().find(|r| r.row == HEADER_ROW).unwrap();
        header.cells.resize(14, Cell::Empty);
        header.cells[13] = Cell::Text(ERROR_REPORT_COLUMN.into());
        let r = validate_sheet(&s, &ctx());
        assert!(r.issues.iter().all(|i| i.code != "beyond_column_m"), "{:?}", r.issues);
    }

    #[test]
    fn content_beyond_column_m_is_reported_once_per_column() {
        let mut rows =
            vec![member(5, "王芳", "11010519491231002X", "13800138000"), member(6, "李伟", &id(1), "13900139000")];
        set(&mut rows[0], 13, Cell::Text("工号001".into()));
        set(&mut rows[1], 13, Cell::Text("工号002".into()));
        set(&mut rows[1], 15, Cell::Number(1.0));
        let mut s = sheet(rows);
        set(&mut s.rows[3], 13, Cell::Text("工号".into()));
        let r = validate_sheet(&s, &ctx());
        assert_eq!(codes(&r), [(4, "N".into(), "beyond_column_m".into()), (6, "P".into(), "beyond_column_m".into())]);
        assert_eq!(r.issues[0].message, "表格的最右列应是M列，N列有内容（N4）！");
    }
}
