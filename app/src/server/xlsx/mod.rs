//! Excel workbooks in and out: the guarded reader for uploads (`read_first_sheet`), the
//! collection template (`template`) and the error report handed back to the clerk
//! (`error_report`). Everything here is blocking CPU work: call it from `spawn_blocking`.
//!
//! Reading is two steps. `guard::inspect` measures the upload (real inflated sizes, parts,
//! XML declarations, cell references, `uniqueCount`) and rebuilds the package calamine may
//! open; `read` streams that package's first visible worksheet into a `Sheet` under the caps
//! of `ReadLimits`. Every refusal is an `XlsxError` with a Chinese `message()`, a remedy
//! (`hint()`) and a stable `code()`.

mod error;
pub mod guard;
mod limits;
mod read;
mod write;
mod xml_scan;

#[cfg(test)]
mod test_fixtures;
#[cfg(test)]
mod tests;

pub use error::XlsxError;
pub use guard::{GuardError, GuardReport, OtherPackage, Sniffed};
pub use limits::ReadLimits;
pub use read::{read_first_sheet, read_upload, SheetRead};
pub use write::{
    error_report, rejections_report, table_workbook, template, RejectionRow, XlsxCell, ERROR_COLUMN_HEADER,
};
