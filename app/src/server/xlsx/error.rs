//! The one error the workbook module returns: why a file cannot be read (every variant has a
//! Chinese message and a stable code), or why a workbook could not be written (internal).

use crate::domain::sheet::ImportIssue;
use crate::error::AppError;

use super::guard::GuardError;
use super::limits::{chinese_count, megabytes};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum XlsxError {
    /// Refused before reading: not an .xlsx, damaged, encrypted, too big, hostile.
    Guard(GuardError),
    /// More non-empty rows than members + header + slack.
    TooManyRows { limit_members: usize },
    /// More non-empty cells, or more cell text in total, than the caps.
    TooMuchContent { max_cells: usize, max_text_bytes: usize },
    /// No worksheet to read (only chart sheets, or none at all).
    NoWorksheet,
    /// calamine could not parse the (already guarded) package. `detail` is for logs.
    Unreadable { detail: String },
    /// calamine panicked on the file (caught). Reported like `Unreadable`, coded apart so
    /// tests and logs can tell.
    ReaderPanicked,
    /// Writing a workbook failed: a bug, not the user's doing. `detail` is for logs.
    Write { detail: String },
}

impl XlsxError {
    pub fn code(&self) -> &'static str {
        match self {
            XlsxError::Guard(g) => g.code(),
            XlsxError::TooManyRows { .. } => "too_many_rows",
            XlsxError::TooMuchContent { .. } => "content_too_large",
            XlsxError::NoWorksheet => "no_worksheet",
            XlsxError::Unreadable { .. } => "file_unreadable",
            XlsxError::ReaderPanicked => "reader_panicked",
            XlsxError::Write { .. } => "write_failed",
        }
    }

    pub fn message(&self) -> String {
        match self {
            XlsxError::Guard(g) => g.message(),
            XlsxError::TooManyRows { limit_members } => {
                format!("单个文件最多{}名会员，请分批导入。", chinese_count(*limit_members))
            }
            XlsxError::TooMuchContent { max_cells, max_text_bytes } => format!(
                "文件中的内容过多，超出系统处理上限（最多{}个非空单元格、{}文字），请删除无关内容或分批导入。",
                chinese_count(*max_cells),
                megabytes(*max_text_bytes as u64)
            ),
            XlsxError::NoWorksheet => {
                "文件中没有可读取的工作表，请使用从系统下载的会员模板填写后上传。".into()
            }
            XlsxError::Unreadable { .. } | XlsxError::ReaderPanicked => {
                "文件内容格式有误，系统无法读取。请在Excel或WPS中打开文件，另存为「Excel 工作簿（*.xlsx）」后重新上传；如仍不行，请把会员信息复制到新下载的模板中。".into()
            }
            XlsxError::Write { .. } => "生成Excel文件失败，请稍后再试。".into(),
        }
    }

    pub fn hint(&self) -> &'static str {
        match self {
            XlsxError::Guard(g) => g.hint(),
            XlsxError::TooManyRows { .. } | XlsxError::TooMuchContent { .. } => {
                "把会员分成几个文件，每个文件不超过上限，分批导入。"
            }
            XlsxError::Write { .. } => "稍后重试；如多次失败，请联系系统技术支持。",
            _ => "依次点击“会员管理”-“会员信息”-“下载会员模板”，把会员信息复制到新模板中再上传。",
        }
    }

    /// True when the fault is the file's, false when it is ours (writing).
    pub fn is_user_error(&self) -> bool {
        !matches!(self, XlsxError::Write { .. })
    }

    /// The error as a file-level issue (row and column `None`, field `文件`).
    pub fn to_issue(&self) -> ImportIssue {
        ImportIssue {
            row: None,
            column: None,
            field: "文件".into(),
            code: self.code().into(),
            message: self.message(),
            hint: self.hint().into(),
        }
    }
}

impl std::fmt::Display for XlsxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for XlsxError {}

impl From<GuardError> for XlsxError {
    fn from(e: GuardError) -> Self {
        XlsxError::Guard(e)
    }
}

impl From<rust_xlsxwriter::XlsxError> for XlsxError {
    fn from(e: rust_xlsxwriter::XlsxError) -> Self {
        XlsxError::Write { detail: e.to_string() }
    }
}

impl From<XlsxError> for AppError {
    fn from(e: XlsxError) -> Self {
        match &e {
            XlsxError::Write { detail } => {
                tracing::error!(detail, "writing a workbook failed");
                AppError::Internal
            }
            XlsxError::Unreadable { detail } => {
                tracing::info!(detail, "upload unreadable");
                AppError::refused(e.code(), e.message())
            }
            XlsxError::Guard(GuardError::Corrupt { detail }) => {
                tracing::info!(detail, "upload corrupt");
                AppError::refused(e.code(), e.message())
            }
            _ => AppError::refused(e.code(), e.message()),
        }
    }
}
