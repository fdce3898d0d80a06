//! Workbooks the clerk downloads: the collection template (工会会员信息采集汇总表) as domain.md
//! lays it out, and the error report — the clerk's own rows written back with every bad cell
//! marked, so the same file can be fixed and uploaded again; and 待处理, the members the bank
//! returned with its reasons.

mod instructions;
mod rejections;
mod report;
mod styles;
mod table;
mod template;

pub use rejections::{rejections_report, RejectionRow};
pub use report::{error_report, ERROR_COLUMN_HEADER};
pub use table::{table_workbook, XlsxCell};
pub use template::template;
// Only the tests build the template without saving it.
#[cfg(test)]
pub(super) use template::template_workbook;
