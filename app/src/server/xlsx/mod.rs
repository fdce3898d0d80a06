//! Excel workbooks in and out: the guarded reader for uploads (`read_first_sheet`), the
//! collection template (`template`) and the error report handed back to the clerk
//! (`error_report`). Everything here is blocking CPU work: call it from `spawn_blocking`.

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
pub use write::{error_report, template, ERROR_COLUMN_HEADER};
