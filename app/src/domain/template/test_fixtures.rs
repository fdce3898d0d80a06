//! A template sheet and its context for the tests of the template's rules: header rows as the
//! template has them, member rows, and small helpers to read a report.

use super::{SheetReport, TemplateContext, ATTACHMENT_MARK, HEADERS, INFO_LABELS, TITLE};
use crate::domain::id_number::check_char;
use crate::domain::sheet::{Cell, ImportIssue, Sheet, SheetRow};

pub(super) const UNION: &str = "深圳市示例电子有限公司工会委员会";
pub(super) const BRANCH: &str = "104584000101";

pub(super) fn ctx() -> TemplateContext {
    TemplateContext {
        union_name: UNION.into(),
        branch_codes: vec![BRANCH.into(), "104584000102".into()],
        today: "20261127".into(),
    }
}

pub(super) fn with_check(first17: &str) -> String {
    format!("{first17}{}", check_char(first17).unwrap())
}

pub(super) fn text_row(row: u32, cells: &[&str]) -> SheetRow {
    SheetRow {
        row,
        cells: cells.iter().map(|s| if s.is_empty() { Cell::Empty } else { Cell::Text(s.to_string()) }).collect(),
    }
}

pub(super) fn info_row(values: [&str; 5]) -> SheetRow {
    let mut cells = Vec::new();
    for (label, value) in INFO_LABELS.iter().zip(values) {
        cells.push(*label);
        cells.push(value);
    }
    text_row(3, &cells)
}

pub(super) fn header_rows() -> Vec<SheetRow> {
    vec![
        text_row(1, &[ATTACHMENT_MARK, TITLE]),
        text_row(2, &["填写说明：带*号的为必填项。"]),
        info_row([UNION, "60", "2", BRANCH, "是"]),
        text_row(4, &HEADERS),
    ]
}

/// seq, name, id, phone at A, B, D, H.
pub(super) fn member(row: u32, name: &str, id: &str, phone: &str) -> SheetRow {
    let seq = (row - 4).to_string();
    text_row(row, &[&seq, name, "", id, "", "", "", phone, "汉族", "", "", "生产部", ""])
}

pub(super) fn sheet(members: Vec<SheetRow>) -> Sheet {
    let mut rows = header_rows();
    rows.extend(members);
    Sheet { rows }
}

pub(super) fn set(row: &mut SheetRow, col: usize, cell: Cell) {
    if row.cells.len() <= col {
        row.cells.resize(col + 1, Cell::Empty);
    }
    row.cells[col] = cell;
}

pub(super) fn id(n: u32) -> String {
    with_check(&format!("4403051990{:02}{:02}{:03}", n % 12 + 1, n % 28 + 1, n % 1000))
}

pub(super) fn codes(report: &SheetReport) -> Vec<(u32, String, String)> {
    report.issues.iter().map(|i| (i.row.unwrap_or(0), i.column.clone().unwrap_or_default(), i.code.clone())).collect()
}

pub(super) fn only_issue(report: &SheetReport) -> &ImportIssue {
    assert_eq!(report.issues.len(), 1, "{:#?}", report.issues);
    &report.issues[0]
}
