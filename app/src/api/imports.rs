//! 导入会员: what the preview of an upload says, and the commit.
//! The upload itself is a plain POST of the file's bytes (`/api/import/upload`), so the page can
//! show a progress bar; the template and the error report are downloads.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{
    domain::sheet::{ImportIssue, NormKind},
    error::AppError,
};

/// Upload limit: a 100,000-member template is about 5 MB.
pub const MAX_UPLOAD_BYTES: usize = 30 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NormCount {
    pub kind: NormKind,
    pub count: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportPreview {
    /// Refers to the stored upload, for the commit and the error report.
    pub import_id: String,
    pub file_name: String,
    /// Member rows read from the sheet.
    pub rows: usize,
    /// Rows without any error.
    pub ok_rows: usize,
    /// How many errors the file has.
    pub issue_count: usize,
    /// The errors in sheet order: every one of them, except that a browser is sent the first
    /// `SENT_ISSUES` (the error report has them all).
    pub issues: Vec<ImportIssue>,
    /// What normalisation changed, by kind.
    pub normalised: Vec<NormCount>,
    /// Set once committed: how many members were added.
    pub imported: Option<usize>,
}

/// The errors a browser is sent and shows; a file whose every row is wrong would otherwise send
/// tens of megabytes.
pub const SENT_ISSUES: usize = 500;

impl ImportPreview {
    pub fn can_commit(&self) -> bool {
        self.issue_count == 0 && self.imported.is_none() && self.rows > 0
    }

    /// The preview as a page shows it: the first `SENT_ISSUES` errors and their count.
    pub fn for_browser(mut self) -> Self {
        self.issues.truncate(SENT_ISSUES);
        self
    }
}

/// Writes the previewed upload's members, all or nothing, after checking it again.
#[server(endpoint = "import/commit", output = crate::wire::Answer)]
pub async fn commit_import(import_id: String) -> Result<ImportPreview, AppError> {
    use crate::{
        domain::role::Role,
        server::{caller, imports},
    };
    let (db, me) = caller::require(&[Role::Union]).await?;
    imports::commit(&db, me.union()?, me.id(), &import_id).await.map(ImportPreview::for_browser)
}
