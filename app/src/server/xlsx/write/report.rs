//! The error report: the clerk's own rows written back in the template layout with every bad
//! cell marked, plus a 错误清单 sheet listing every issue with its remedy.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rust_xlsxwriter::{Note, Workbook, Worksheet};

use crate::domain::sheet::{column_index, Cell, ImportIssue, Sheet, SheetRow};
use crate::domain::template::TITLE;
use crate::server::xlsx::error::XlsxError;

use super::styles::{Styles, RED};
use super::template::{
    add_header_validations, add_member_validations, layout_member_columns, BranchSource, LAST_COL0, TEXT_COLUMNS,
};

/// N4 of an error report: the column that lists each row's problems. Delete it (or ignore a
/// column under this header) before the file is checked again.
pub const ERROR_COLUMN_HEADER: &str = "错误原因";

/// Cell notes cost a drawing each; past this many only the fill and column N mark a cell.
const MAX_NOTES: usize = 2_000;
/// Lines of the 错误清单 sheet.
const MAX_LISTED_ISSUES: usize = 50_000;

/// The uploaded rows written back in the template layout: every cell as uploaded (text stays
/// text), each cell with an issue filled red with a note carrying its messages, and a column
/// `错误原因` (N, or the first free column right of the data) listing every message of the
/// row. File-level issues (row `None`) go in N1, header issues beside their header row (row-4
/// issues under the `错误原因` label in N4). A second sheet, 错误清单, lists all issues with
/// their remedies.
///
/// Formula cells are never written as formulas: the saved value is written as text when there
/// is one, otherwise the formula itself as quoted text (`=VLOOKUP(…)`), and the cell is filled
/// yellow with a note showing the original formula.
pub fn error_report(sheet: &Sheet, issues: &[ImportIssue]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let styles = Styles::new();

    let used_cols = sheet.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    let reason_col = used_cols.max(LAST_COL0 as usize + 1);
    let reason_col16 = to_col(reason_col)?;

    // Index the issues: by cell, and by row for the reasons column.
    let mut by_cell: BTreeMap<(u32, usize), Vec<&str>> = BTreeMap::new();
    let mut by_row: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    for issue in issues {
        let row = issue.row.unwrap_or(1).max(1);
        let col = issue.column.as_deref().and_then(column_index);
        if let (Some(r), Some(c)) = (issue.row, col) {
            by_cell.entry((r, c)).or_default().push(&issue.message);
        }
        let text = match (&issue.column, issue.row) {
            (Some(letter), Some(r)) if r >= 5 => format!("{letter}列：{}", issue.message),
            (Some(letter), Some(r)) => format!("{letter}{r}：{}", issue.message),
            _ => issue.message.clone(),
        };
        by_row.entry(row).or_default().push(text);
    }

    let ws = workbook.add_worksheet_with_low_memory()?;
    ws.set_name(TITLE)?;
    layout_member_columns(ws)?;
    add_member_validations(ws)?;
    add_header_validations(ws, &[], BranchSource::None)?;
    ws.set_column_width(reason_col16, 60)?;

    // Notes are gathered first and the first MAX_NOTES, in sheet order, inserted at the end.
    let mut notes: BTreeMap<(u32, u16), String> = BTreeMap::new();
    let mut note_for = |row: u32, col: u16, bad: Option<&Vec<&str>>, cell: &Cell| {
        let mut note = bad.map(|m| m.join("\n")).unwrap_or_default();
        if let Cell::Formula { formula, cached } = cell {
            if !note.is_empty() {
                note.push('\n');
            }
            note.push_str(&format!(
                "原单元格是公式：={formula}\n已{}写回，请改为直接填写数值（复制后“选择性粘贴—数值”）。",
                if cached.is_some() { "按其显示值" } else { "按公式文字" }
            ));
        }
        if !note.is_empty() {
            notes.insert((row, col), note);
        }
    };

    // The sheet is written in low-memory mode, so strictly row by row: each row's own cells,
    // the marked empty cells that should have had a value, and its reasons.
    let header_reasons = by_row.remove(&4);
    let by_number: HashMap<u32, &SheetRow> = sheet.rows.iter().map(|r| (r.row, r)).collect();
    let rows: BTreeSet<u32> = sheet
        .rows
        .iter()
        .map(|r| r.row)
        .chain(by_cell.keys().map(|(r, _)| *r))
        .chain(by_row.keys().copied())
        .chain([4])
        .filter(|r| (1..=1_048_576).contains(r))
        .collect();
    for row in rows {
        let row0 = row - 1;
        if let Some(r) = by_number.get(&row).copied() {
            // Rows 1 and 2 keep the template's merged title and instructions when they look like it.
            let merged = merged_header(r);
            let merged_from = match merged {
                Some(Merged::Title(_)) => 1,
                Some(Merged::Instructions(_)) => 0,
                None => usize::MAX,
            };
            if let Some(m) = &merged {
                let (text, fmt) = match m {
                    Merged::Title(t) => (*t, &styles.title),
                    Merged::Instructions(t) => (*t, &styles.instructions),
                };
                let bad = by_cell.get(&(r.row, merged_from));
                let fmt = if bad.is_some() { fmt.clone().set_background_color(RED) } else { fmt.clone() };
                ws.merge_range(row0, merged_from as u16, row0, LAST_COL0, text, &fmt)?;
                if r.row == 2 {
                    ws.set_row_height(row0, 110)?;
                }
                note_for(row0, merged_from as u16, bad, &Cell::Empty);
            }
            for (c, cell) in r.cells.iter().enumerate() {
                if c >= merged_from {
                    break;
                }
                let bad = by_cell.get(&(r.row, c));
                if matches!(cell, Cell::Empty) && bad.is_none() {
                    continue;
                }
                let col = to_col(c)?;
                write_cell(ws, &styles, row0, col, cell, CellMark { row: r.row, col: c, bad: bad.is_some() })?;
                note_for(row0, col, bad, cell);
            }
        }
        // Issues on cells the upload left empty (a missing required value).
        for (&(_, col), msgs) in by_cell.range((row, 0)..(row + 1, 0)) {
            if col >= 16_384 {
                continue;
            }
            if let Some(r) = by_number.get(&row) {
                let inside_merge = merged_header(r).is_some_and(|m| {
                    let from = match m {
                        Merged::Title(_) => 1,
                        Merged::Instructions(_) => 0,
                    };
                    (from..=LAST_COL0 as usize).contains(&col)
                });
                if inside_merge || !matches!(r.cell(col), Cell::Empty) {
                    continue; // already written and marked above
                }
            }
            let col16 = to_col(col)?;
            let fmt = if TEXT_COLUMNS.contains(&col16) { &styles.bad_text } else { &styles.bad };
            ws.write_blank(row0, col16, fmt)?;
            note_for(row0, col16, Some(msgs), &Cell::Empty);
        }
        // The reasons column.
        if row == 4 {
            let label = match &header_reasons {
                Some(msgs) => format!("{ERROR_COLUMN_HEADER}\n{}", msgs.join("\n")),
                None => ERROR_COLUMN_HEADER.to_string(),
            };
            ws.write_string_with_format(3, reason_col16, label, &styles.reason_header)?;
        } else if let Some(msgs) = by_row.get(&row) {
            ws.write_string_with_format(row0, reason_col16, msgs.join("\n"), &styles.reason)?;
        }
    }
    for ((row0, col), text) in notes.iter().take(MAX_NOTES) {
        let text: String = text.chars().take(2000).collect();
        let note = Note::new(text).set_author("系统校验").add_author_prefix(false).set_width(320).set_height(140);
        ws.insert_note(*row0, *col, &note)?;
    }

    ws.set_freeze_panes(4, 0)?;
    ws.set_active(true);

    let list = workbook.add_worksheet_with_low_memory()?;
    list.set_name("错误清单")?;
    write_issue_list(list, &styles, issues)?;

    Ok(workbook.save_to_buffer()?)
}

fn write_issue_list(ws: &mut Worksheet, s: &Styles, issues: &[ImportIssue]) -> Result<(), XlsxError> {
    for (c, (h, w)) in
        [("行", 8.0), ("列", 6.0), ("字段", 14.0), ("错误内容", 60.0), ("解决方法", 70.0)].iter().enumerate()
    {
        ws.set_column_width(c as u16, *w)?;
        ws.write_string_with_format(0, c as u16, *h, &s.table_head)?;
    }
    let mut sorted: Vec<&ImportIssue> = issues.iter().collect();
    sorted.sort_by_key(|i| (i.row.unwrap_or(0), i.column.as_deref().map(column_index)));
    for (i, issue) in sorted.iter().take(MAX_LISTED_ISSUES).enumerate() {
        let r = i as u32 + 1;
        match issue.row {
            Some(row) => ws.write_number(r, 0, row)?,
            None => ws.write_string(r, 0, "文件")?,
        };
        ws.write_string(r, 1, issue.column.as_deref().unwrap_or(""))?;
        ws.write_string(r, 2, &issue.field)?;
        ws.write_string_with_format(r, 3, &issue.message, &s.reason)?;
        ws.write_string(r, 4, &issue.hint)?;
    }
    if sorted.len() > MAX_LISTED_ISSUES {
        ws.write_string(
            MAX_LISTED_ISSUES as u32 + 1,
            3,
            format!(
                "……共{}条，此处仅列出前{}条；每行的全部错误见第一个工作表的“{ERROR_COLUMN_HEADER}”列。",
                sorted.len(),
                MAX_LISTED_ISSUES
            ),
        )?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

#[derive(Clone, Copy)]
struct CellMark {
    row: u32,
    col: usize,
    bad: bool,
}

/// One uploaded cell, as uploaded: text as text (never re-typed), numbers as numbers (an ID
/// Excel already turned into a number shows exactly as the clerk sent it), dates with a date
/// format, formulas as their value or text (never recalculated).
fn write_cell(
    ws: &mut Worksheet,
    s: &Styles,
    row0: u32,
    col: u16,
    cell: &Cell,
    mark: CellMark,
) -> Result<(), XlsxError> {
    let text_col = TEXT_COLUMNS.contains(&col);
    let header = mark.row <= 4;
    let text_fmt = match (mark.bad, text_col) {
        (true, true) => Some(&s.bad_text),
        (true, false) => Some(&s.bad),
        (false, true) => Some(&s.text),
        (false, false) if header && mark.row == 4 => Some(&s.header),
        (false, false) if header && mark.row == 3 && mark.col.is_multiple_of(2) && mark.col < 10 => Some(&s.label),
        _ => None,
    };
    let plain_fmt = if mark.bad { Some(&s.bad) } else { None };
    match cell {
        Cell::Empty => {
            if let Some(f) = text_fmt {
                ws.write_blank(row0, col, f)?;
            }
        }
        Cell::Text(t) | Cell::Error(t) => match text_fmt {
            Some(f) => {
                ws.write_string_with_format(row0, col, t, f)?;
            }
            None => {
                ws.write_string(row0, col, t)?;
            }
        },
        Cell::Number(n) => match plain_fmt {
            Some(f) => {
                ws.write_number_with_format(row0, col, *n, f)?;
            }
            None => {
                ws.write_number(row0, col, *n)?;
            }
        },
        Cell::Date(d) => {
            let f = if mark.bad { &s.bad_date } else { &s.date };
            ws.write_number_with_format(row0, col, *d, f)?;
        }
        Cell::Bool(b) => match plain_fmt {
            Some(f) => {
                ws.write_boolean_with_format(row0, col, *b, f)?;
            }
            None => {
                ws.write_boolean(row0, col, *b)?;
            }
        },
        Cell::Formula { formula, cached } => {
            let f = if mark.bad { &s.bad_formula } else { &s.formula };
            let text = match cached {
                Some(v) => v.clone(),
                None => format!("={formula}"),
            };
            ws.write_string_with_format(row0, col, text, f)?;
        }
    }
    Ok(())
}

enum Merged<'a> {
    Title(&'a str),
    Instructions(&'a str),
}

/// Row 1 (`附件2` + title in B) or row 2 (instructions in A) shaped like the template.
fn merged_header(r: &SheetRow) -> Option<Merged<'_>> {
    // Every cell after `first` up to M must be empty, and nothing right of M.
    let rest_empty = |first: usize| {
        r.cells.len() <= LAST_COL0 as usize + 1 && r.cells.iter().skip(first + 1).all(|c| matches!(c, Cell::Empty))
    };
    match (r.row, r.cell(0), r.cell(1)) {
        (1, Cell::Text(_) | Cell::Empty, Cell::Text(t)) if rest_empty(1) => Some(Merged::Title(t)),
        (2, Cell::Text(t), _) if rest_empty(0) => Some(Merged::Instructions(t)),
        _ => None,
    }
}

fn to_col(c: usize) -> Result<u16, XlsxError> {
    u16::try_from(c)
        .ok()
        .filter(|c| *c < 16_384)
        .ok_or_else(|| XlsxError::Write { detail: format!("column {c} out of range") })
}
