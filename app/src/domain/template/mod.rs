//! The collection template (工会会员信息采集汇总表): its fixed layout, the header values, and
//! `validate_sheet`, which checks a whole sheet and reports every problem at once with the
//! guide's words, the cell it is in and the guide's remedy.
//!
//! Layout (domain.md): A1 `附件2`, B1 the title; row 2 instructions; row 3 the 填报工会 row
//! (labels in A/C/E/G/I, values in B/D/F/H/J); row 4 the column headers A–M; members from row 5.
//!
//! Decisions beyond domain.md:
//! * If the row-4 headers are not where they belong (missing, moved, or 姓名/证件号码/手机号码
//!   not in B/D/H), the member rows cannot be read column by column and are not checked; the
//!   header issue says so. Any other header problem is reported and the members are checked.
//! * A row whose columns B–M are all empty is skipped even if 序号 (A) is filled: templates come
//!   pre-numbered. Column A is never checked (free, not stored; often `=ROW()-4`).
//! * A row with any issue (including a duplicate of an earlier row) is left out of `members`;
//!   the earlier row of a duplicate stays in.
//! * Every formula cell in B–M is reported, even with a saved value: the saved value of a
//!   formula linked to another workbook (the guide's VLOOKUP example) cannot be trusted.
//!
//! By job: `messages` (the guide's words for header problems), `coded` (row 3's coded values),
//! `cell` (how a cell reads), `layout` (rows 1–4 and the columns right of M), `validate` (the
//! whole sheet). Everything public is re-exported here.

mod cell;
mod coded;
mod layout;
mod messages;
#[cfg(test)]
mod test_fixtures;
mod validate;

pub use cell::excel_serial_date;
pub use coded::{HeaderValues, IncomeBand, UnitType};
pub use layout::{
    beyond_column_m, ATTACHMENT_MARK, ERROR_REPORT_COLUMN, FIRST_MEMBER_ROW, HEADERS, HEADER_ROW, INFO_LABELS,
    INFO_ROW, LAST_COLUMN, TITLE,
};
pub use messages::*;
pub use validate::{existing_id_issue, validate_sheet, ExistingId, SheetReport, TemplateContext};

use super::sheet::{column_letter, ImportIssue};

/// An issue at `row` and `col` (0-based), as every check of the template reports one.
fn issue(
    row: Option<u32>,
    col: Option<usize>,
    field: &str,
    code: &str,
    message: impl Into<String>,
    hint: impl Into<String>,
) -> ImportIssue {
    ImportIssue {
        row,
        column: col.map(column_letter),
        field: field.to_string(),
        code: code.to_string(),
        message: message.into(),
        hint: hint.into(),
    }
}
