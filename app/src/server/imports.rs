//! The import pipeline shared by the web upload and `unioncard import`: read the workbook
//! safely, apply the template's rules, check IDs against the database, then store the upload
//! for preview or write every member at once.

use std::{collections::HashMap, sync::Arc};

use serde::{Deserialize, Serialize};

use super::{
    audit, banks, cards,
    db::{now, Db},
    members, unions,
    xlsx::{self, ReadLimits},
};
use crate::{
    api::imports::{ImportPreview, NormCount},
    domain::{
        ids::{MemberId, UnionId, UserId},
        member::StoredMember,
        sheet::{ImportIssue, NormKind, Sheet},
        template::{existing_id_issue, validate_sheet, ExistingId, SheetReport, TemplateContext},
    },
    error::AppError,
};

/// Today in Beijing as YYYYMMDD: the latest birth date an ID may carry.
pub fn today() -> String {
    let (y, m, d) = crate::domain::civil_from_days((now() + 8 * 3600).div_euclid(86_400));
    format!("{y:04}{m:02}{d:02}")
}

/// What the rules need to know about the union: its registered name and its bank's branches.
/// Refused while the union's own information is incomplete.
pub async fn context(db: &Db, union_id: UnionId) -> Result<TemplateContext, AppError> {
    let info = unions::info(db, union_id).await?;
    let missing = info.missing();
    if !missing.is_empty() {
        return Err(AppError::refused(
            "union_info_incomplete",
            format!("请先完善单位信息和工会组织信息（尚未填写：{}），再导入会员。", missing.join("、")),
        ));
    }
    let branch_codes = banks::sibling_codes(db, &info.pickup_branch).await?;
    Ok(TemplateContext { union_name: info.union_name, branch_codes, today: today() })
}

/// Why an upload could not be checked at all.
#[derive(Debug)]
pub enum CheckError {
    /// The file itself was refused (not a workbook, too large, hostile): a stable code and
    /// the Chinese message.
    File {
        code: String,
        message: String,
    },
    App(AppError),
}

impl From<AppError> for CheckError {
    fn from(e: AppError) -> Self {
        CheckError::App(e)
    }
}

impl From<sqlx::Error> for CheckError {
    fn from(e: sqlx::Error) -> Self {
        CheckError::App(e.into())
    }
}

impl From<CheckError> for AppError {
    fn from(e: CheckError) -> Self {
        match e {
            CheckError::File { code, message } => AppError::Refused { code, message },
            CheckError::App(a) => a,
        }
    }
}

/// Bumped when the staged form changes. Rule changes need no bump: `rules_fingerprint` changes
/// with the rules' source.
const STAGE_VERSION: u32 = 1;

/// A fingerprint of the source of every rule an import applies, fixed at build time (every
/// file under `domain/` and the workbook reader; see `app/build.rs`): rows staged by a build
/// with other rules are read and checked again at commit.
fn rules_fingerprint() -> u64 {
    crate::domain::rules::RULES_FINGERPRINT
}

/// A clean upload's checked rows as the preview left them, kept with the upload (as JSON the
/// server wrote) so the commit need not read the workbook again. It is only used while the
/// union's template context (name, branches, today's date) is what it was at the preview.
#[derive(Debug, Serialize, Deserialize)]
struct Staged {
    version: u32,
    context: String,
    rows_read: usize,
    normalised: Vec<NormCount>,
    members: Vec<StoredMember>,
}

impl Staged {
    /// A clean report's rows as the commit writes them.
    fn new(report: &SheetReport, context: String) -> Staged {
        Staged {
            version: STAGE_VERSION,
            context,
            rows_read: report.rows_read,
            normalised: normalised(report),
            members: report.members.iter().map(|(_, m)| StoredMember::from(m)).collect(),
        }
    }
}

/// The staged rows of this instance's latest clean previews, so that a commit reaching the
/// instance that previewed need not read 100,000 rows back out of the database and parse them
/// (a commit on another instance, or after a restart, reads them from `imports.staged`). Held
/// for an hour at most, and never more than `KEPT_ROWS` rows in all: the oldest go first.
static KEPT: std::sync::Mutex<Vec<KeptStage>> = std::sync::Mutex::new(Vec::new());

/// Rows kept in memory for commits, across every kept preview (about 45 MB at 100,000).
const KEPT_ROWS: usize = 120_000;

/// How long a preview's rows are kept in memory for its commit.
const KEPT_FOR: std::time::Duration = std::time::Duration::from_secs(3600);

struct KeptStage {
    import_id: String,
    union_id: UnionId,
    at: std::time::Instant,
    staged: Arc<Staged>,
}

/// Keeps a preview's staged rows for its commit (see `KEPT`).
fn keep_staged(import_id: &str, union_id: UnionId, staged: Arc<Staged>) {
    let Ok(mut kept) = KEPT.lock() else { return };
    kept.retain(|k| k.at.elapsed() < KEPT_FOR);
    kept.push(KeptStage { import_id: import_id.to_string(), union_id, at: std::time::Instant::now(), staged });
    while kept.iter().map(|k| k.staged.members.len()).sum::<usize>() > KEPT_ROWS {
        kept.remove(0);
    }
}

/// Takes a preview's kept rows out of memory, if this instance still holds them.
fn take_staged(import_id: &str, union_id: UnionId) -> Option<Arc<Staged>> {
    let mut kept = KEPT.lock().ok()?;
    kept.retain(|k| k.at.elapsed() < KEPT_FOR);
    let at = kept.iter().position(|k| k.import_id == import_id && k.union_id == union_id)?;
    Some(kept.remove(at).staged)
}

/// What normalisation changed, counted by kind.
fn normalised(report: &SheetReport) -> Vec<NormCount> {
    let mut counts: HashMap<NormKind, usize> = HashMap::new();
    for n in &report.normalisations {
        *counts.entry(n.kind).or_default() += 1;
    }
    let mut normalised: Vec<NormCount> = counts.into_iter().map(|(kind, count)| NormCount { kind, count }).collect();
    normalised.sort_by_key(|n| n.kind as u8);
    normalised
}

/// The rules and what they depended on, in one comparable string.
fn context_key(ctx: &TemplateContext) -> String {
    format!(
        "{:016x}\u{1f}{}\u{1f}{}\u{1f}{}",
        rules_fingerprint(),
        ctx.union_name,
        ctx.branch_codes.join(","),
        ctx.today
    )
}

pub struct Checked {
    pub sheet: Sheet,
    pub report: SheetReport,
    /// The rules' issues and the database's, in sheet order.
    pub issues: Vec<ImportIssue>,
    /// The template context the rules ran with (see `context_key`).
    context: String,
    /// Members of other unions, or under other names, whose IDs the issues reported: written to
    /// the audit log (see `record_id_hits`).
    pub reported_holders: Vec<MemberId>,
}

impl Checked {
    pub fn preview(&self, import_id: &str, file_name: &str, imported: Option<usize>) -> ImportPreview {
        let bad_rows: std::collections::HashSet<u32> = self.issues.iter().filter_map(|i| i.row).collect();
        let normalised = normalised(&self.report);
        let bad_members = bad_rows.iter().filter(|r| **r >= crate::domain::template::FIRST_MEMBER_ROW).count();
        ImportPreview {
            import_id: import_id.to_string(),
            file_name: file_name.to_string(),
            rows: self.report.rows_read,
            ok_rows: self.report.rows_read.saturating_sub(bad_members),
            issue_count: self.issues.len(),
            issues: self.issues.clone(),
            normalised,
            imported,
        }
    }
}

/// Reads and checks an upload. A file that cannot be read at all is an error; a file with
/// mistakes is a `Checked` with issues.
pub async fn check(db: &Db, union_id: UnionId, bytes: Arc<Vec<u8>>) -> Result<Checked, CheckError> {
    let ctx = context(db, union_id).await?;
    let context = context_key(&ctx);
    // at most two workbooks are read at once on an instance; the rest wait their turn
    let _place = super::gate::WORKBOOK_PARSING.enter().await?;
    let started = std::time::Instant::now();
    let (sheet, report) = tokio::task::spawn_blocking(move || {
        let upload = xlsx::read_upload(&bytes, &ReadLimits::default())?;
        let (sheet, beyond) = (upload.sheet, upload.beyond_last_column);
        let read = started.elapsed();
        let mut report = validate_sheet(&sheet, &ctx);
        // content right of Z, which the reader does not keep: reported like content in N–Z
        if let Some((row, col)) = beyond {
            report.issues.push(crate::domain::template::beyond_column_m(row, col));
        }
        tracing::debug!(
            read_ms = read.as_millis() as u64,
            rules_ms = (started.elapsed() - read).as_millis() as u64,
            "sheet checked"
        );
        Ok::<_, xlsx::XlsxError>((sheet, report))
    })
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "spreadsheet task failed");
        CheckError::App(AppError::Internal)
    })?
    .map_err(|e| CheckError::File { code: e.code().to_string(), message: e.message() })?;
    drop(_place);
    let mut issues = report.issues.clone();
    let looked_up = std::time::Instant::now();
    let rows = report
        .members
        .iter()
        .map(|(row, m)| (*row, m.name.as_str(), m.id_number.as_str()))
        .chain(report.flawed_ids.iter().map(|(row, name, id)| (*row, name.as_str(), id.as_str())));
    let (existing, reported_holders) = existing_ids(db, union_id, rows).await?;
    issues.extend(existing);
    tracing::debug!(ms = looked_up.elapsed().as_millis() as u64, "IDs looked up");
    // sheet order: by row, then by column (AB after M, not after A)
    issues.sort_by_key(|i| {
        (i.row.unwrap_or(0), i.column.as_deref().and_then(crate::domain::sheet::column_index).unwrap_or(0))
    });
    Ok(Checked { sheet, report, issues, context, reported_holders })
}

/// IDs of the file already on record: in this union, under another name, or in another union;
/// and the members of other unions or under other names that these issues reveal.
async fn existing_ids<'a>(
    db: &Db,
    union_id: UnionId,
    rows: impl Iterator<Item = (u32, &'a str, &'a str)>,
) -> Result<(Vec<ImportIssue>, Vec<MemberId>), sqlx::Error> {
    let union_name = unions::node(db, union_id).await?.map(|n| n.name).unwrap_or_default();
    let rows: Vec<(u32, &str, &str)> = rows.collect();
    let ids: Vec<&str> = rows.iter().map(|(_, _, id)| *id).collect();
    let found = members::holders(db, &ids).await?;
    let mut reported = Vec::new();
    let issues = rows
        .iter()
        .filter_map(|(row, name, id)| {
            let holder = found.get(*id)?;
            // another union's ID gets one answer whatever the name: a file of guessed names
            // must not learn which one is on record under it
            let kind = if holder.union != union_id {
                ExistingId::InOtherUnion
            } else if holder.name != *name {
                ExistingId::NameMismatch
            } else {
                ExistingId::InThisUnion
            };
            if kind != ExistingId::InThisUnion {
                reported.push(holder.member);
            }
            Some(existing_id_issue(*row, kind, &union_name))
        })
        .collect();
    Ok((issues, reported))
}

/// The audit action of an upload or edit that reported IDs held by other unions or under other
/// names; its detail lists the members whose IDs were reported (never the numbers).
pub const ID_HITS_REPORTED: &str = "id_hits_reported";

pub use crate::api::overview::supervisor::ID_HIT_REPORTS_PER_DAY;

/// What a union past `ID_HIT_REPORTS_PER_DAY` is told.
pub const ID_HITS_THROTTLED: &str = "今日已有多个文件或修改查出其他工会或其他姓名下的证件号码，为保护会员信息，\
                                     导入和证件号码修改已暂停至明日。如有疑问，请联系上级工会。";

/// Writes which members' IDs an upload (`source`: `import:<id>`) or an edit
/// (`member:<id>`) reported, if any.
pub async fn record_id_hits(
    db: &Db,
    actor: Option<UserId>,
    union_id: UnionId,
    source: &str,
    holders: &[MemberId],
) -> Result<(), sqlx::Error> {
    if holders.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = holders.iter().map(|m| m.to_string()).collect();
    let detail = format!("{source} members={}", list.join(","));
    audit::record(&db.pool, actor, ID_HITS_REPORTED, &format!("union:{union_id}"), &detail).await
}

/// How many uploads and edits of the union reported such IDs in the last 24 hours.
pub async fn id_hit_reports_today(db: &Db, union_id: UnionId) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1 AND at > $2 AND target = $3")
        .bind(ID_HITS_REPORTED)
        .bind(now() - 86_400)
        .bind(format!("union:{union_id}"))
        .fetch_one(&db.pool)
        .await
}

/// Refuses an upload or an ID change of a union past its day's reports of others' IDs.
pub async fn check_id_hit_throttle(db: &Db, union_id: UnionId) -> Result<(), AppError> {
    if id_hit_reports_today(db, union_id).await? >= ID_HIT_REPORTS_PER_DAY {
        return Err(AppError::Locked { message: ID_HITS_THROTTLED.into() });
    }
    Ok(())
}

/// Unions of the subtree `[lo, hi)` (see `unions::subtree_range`) that reported others' IDs in
/// the last 24 hours: (union, name, reports), most first. One statement: the day's reports by
/// their action and time, each joined to its union by id.
pub async fn id_hit_unions(db: &Db, lo: &str, hi: &str) -> Result<Vec<(UnionId, String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT n.id, n.name, COUNT(*) AS reports FROM audit_log a \
         JOIN unions n ON n.id = CAST(SUBSTR(a.target, 7) AS BIGINT) \
         WHERE a.action = $1 AND a.at > $2 AND n.path >= $3 AND n.path < $4 \
         GROUP BY n.id, n.name ORDER BY reports DESC, n.id",
    )
    .bind(ID_HITS_REPORTED)
    .bind(now() - 86_400)
    .bind(lo)
    .bind(hi)
    .fetch_all(&db.pool)
    .await
}

/// Days a committed upload's file is kept unless the operator says otherwise.
pub const DEFAULT_UPLOAD_RETENTION_DAYS: i64 = 90;

/// When the union last committed an import, and how many members it added.
pub async fn last_committed(db: &Db, union_id: UnionId) -> Result<Option<(i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT committed_at, imported FROM imports WHERE union_id = $1 AND status = 'committed' \
         ORDER BY committed_at DESC LIMIT 1",
    )
    .bind(union_id)
    .fetch_optional(&db.pool)
    .await
}

/// Drops upload files past their time: a committed upload's after `retention_days`, a
/// never-committed one's (with its staged rows) after a day. The record stays. Returns how many.
pub async fn purge_uploads(db: &Db, now: i64, retention_days: i64) -> Result<u64, sqlx::Error> {
    let empty: &[u8] = &[];
    let done = sqlx::query(
        "UPDATE imports SET file = $1, staged = NULL, file_dropped_at = $2 WHERE file_dropped_at IS NULL \
         AND ((status = 'committed' AND committed_at < $3) OR (status = 'previewed' AND created_at < $4))",
    )
    .bind(empty)
    .bind(now)
    .bind(now - retention_days * 86_400)
    .bind(now - 86_400)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected())
}

/// What a clerk is told about an upload whose file is no longer kept.
pub const UPLOAD_DROPPED: &str = "该上传文件已超过保存期限，文件已删除（仅保留导入记录）。如需导入，请重新上传。";

fn new_import_id() -> String {
    use rand::Rng;
    let mut rng = rand::rngs::OsRng;
    (0..24).map(|_| char::from(b"abcdefghijklmnopqrstuvwxyz0123456789"[rng.gen_range(0..36)])).collect()
}

/// What the `file_sha256` column holds: a cheap fingerprint (std hash and length) to recognise
/// the same file again in the records; not a cryptographic digest, nothing relies on it.
fn fingerprint(bytes: &[u8]) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    format!("{:016x}-{}", h.finish(), bytes.len())
}

/// Checks an upload and keeps it for the preview; nothing is written to the members.
pub async fn preview(
    db: &Db,
    union_id: UnionId,
    actor: Option<UserId>,
    file_name: &str,
    bytes: Vec<u8>,
) -> Result<ImportPreview, CheckError> {
    if actor.is_some() {
        check_id_hit_throttle(db, union_id).await?;
    }
    let bytes = Arc::new(bytes);
    let mut checked = check(db, union_id, Arc::clone(&bytes)).await?;
    // Rows staged by this union's earlier previews that were never committed are of no use
    // after the day they were checked on (the rules' date has moved on): they go.
    sqlx::query("UPDATE imports SET staged = NULL WHERE union_id = $1 AND status = 'previewed' AND staged IS NOT NULL AND created_at < $2")
        .bind(union_id)
        .bind(now() - 86_400)
        .execute(&db.pool)
        .await?;
    let id = new_import_id();
    let preview = checked.preview(&id, file_name, None);
    let checked_holders = std::mem::take(&mut checked.reported_holders);
    // row 3 as the union filled it, kept with the upload: the bank's review reads each member's
    // 深圳通 choice through the upload the member came from
    let header = checked.report.header.clone();
    let staged = if checked.issues.is_empty() && !checked.report.members.is_empty() {
        let Checked { sheet, report, context, .. } = checked;
        drop(sheet); // the largest part, no longer needed
        let staged = Arc::new(Staged::new(&report, context));
        drop(report);
        let json = serde_json::to_string(&*staged).map_err(|e| {
            tracing::error!(error = %e, "staging failed");
            CheckError::App(AppError::Internal)
        })?;
        Some((json, staged))
    } else {
        None
    };
    let (staged, kept) = staged.unzip();
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO imports (id, union_id, user_id, file_name, file_sha256, file, rows_read, error_count, status, created_at, staged, \
         unit_type, income_band, branch_code, shenzhen_tong) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'previewed', $9, $10, $11, $12, $13, $14)",
    )
    .bind(&id)
    .bind(union_id)
    .bind(actor)
    .bind(file_name)
    .bind(fingerprint(&bytes))
    .bind(bytes.as_slice())
    .bind(preview.rows as i64)
    .bind(preview.issues.len() as i64)
    .bind(now())
    .bind(staged)
    .bind(header.as_ref().map(|h| h.unit_type.code()))
    .bind(header.as_ref().map(|h| h.income_band.code()))
    .bind(header.as_ref().map(|h| h.branch_code.clone()))
    .bind(header.as_ref().map(|h| i64::from(h.shenzhen_tong)))
    .execute(&mut *tx)
    .await?;
    // the errors of the preview, for the supervisors' ranking of what to teach
    let mut errors: std::collections::BTreeMap<(&str, &str), i64> = std::collections::BTreeMap::new();
    for i in &preview.issues {
        *errors.entry((i.field.as_str(), i.code.as_str())).or_default() += 1;
    }
    for ((field, code), n) in errors {
        let t = crate::domain::tally::Tally::ImportError { field: field.to_string(), code: code.to_string() };
        super::cards::tally(&mut tx, union_id, &t, n).await?;
    }
    tx.commit().await?;
    if let Some(kept) = kept {
        keep_staged(&id, union_id, kept);
    }
    record_id_hits(db, actor, union_id, &format!("import:{id}"), &checked_holders).await?;
    audit::record(
        &db.pool,
        actor,
        "import_previewed",
        &format!("union:{union_id}"),
        &format!("{id} rows={}", preview.rows),
    )
    .await?;
    Ok(preview)
}

/// Loads a stored upload of this union: (file name, bytes, committed?).
async fn stored(db: &Db, union_id: UnionId, import_id: &str) -> Result<(String, Vec<u8>, bool), AppError> {
    let row: Option<(String, Vec<u8>, String, Option<i64>)> =
        sqlx::query_as("SELECT file_name, file, status, file_dropped_at FROM imports WHERE id = $1 AND union_id = $2")
            .bind(import_id)
            .bind(union_id)
            .fetch_optional(&db.pool)
            .await?;
    let (name, file, status, dropped) = row.ok_or(AppError::NotFound)?;
    if dropped.is_some() {
        return Err(AppError::refused("upload_dropped", UPLOAD_DROPPED));
    }
    Ok((name, file, status == "committed"))
}

/// Writes every member of a previewed upload, or none. A clean upload's rows were staged at the
/// preview; the commit writes them while the union's rules are what they were then, and reads
/// and checks the file again otherwise. The database may have changed since the preview: an ID
/// recorded meanwhile stops the whole commit, and the clerk is shown why.
pub async fn commit(db: &Db, union_id: UnionId, actor: UserId, import_id: &str) -> Result<ImportPreview, AppError> {
    let done = commit_as(db, union_id, Some(actor), import_id).await?;
    // the clerk need not wait for the statistics
    let db = db.clone();
    let added = done.imported.unwrap_or(0);
    tokio::spawn(async move { refresh_statistics(&db, added).await });
    Ok(done)
}

/// After a large import PostgreSQL gets fresh statistics, so the member list keeps using its
/// indexes. (`commit` runs this after replying; the CLI waits for it.)
pub async fn refresh_statistics(db: &Db, added: usize) {
    if db.backend == super::db::Backend::Postgres && added >= 10_000 {
        if let Err(e) = sqlx::query("ANALYZE members").execute(&db.pool).await {
            tracing::warn!(error = %e, "analyse after import failed");
        }
    }
}

pub async fn commit_as(
    db: &Db,
    union_id: UnionId,
    actor: Option<UserId>,
    import_id: &str,
) -> Result<ImportPreview, AppError> {
    let started = std::time::Instant::now();
    let row: Option<(String, String, i64)> = sqlx::query_as(
        "SELECT file_name, status, CAST(CASE WHEN staged IS NULL THEN 0 ELSE 1 END AS BIGINT) \
         FROM imports WHERE id = $1 AND union_id = $2",
    )
    .bind(import_id)
    .bind(union_id)
    .fetch_optional(&db.pool)
    .await?;
    let (file_name, status, has_staged) = row.ok_or(AppError::NotFound)?;
    if status == "committed" {
        return Err(AppError::conflict("import_already_committed", "该文件已导入，请勿重复提交。"));
    }
    let ctx = context_key(&context(db, union_id).await?);
    // the rows the preview staged: from memory on the instance that previewed, else as stored;
    // none once the record has let them go (a purged upload, a preview of another day)
    let kept = take_staged(import_id, union_id);
    let staged = match kept {
        _ if has_staged == 0 => None,
        Some(kept) => Some(kept),
        None => sqlx::query_scalar::<_, Option<String>>("SELECT staged FROM imports WHERE id = $1")
            .bind(import_id)
            .fetch_optional(&db.pool)
            .await?
            .flatten()
            .and_then(|json| serde_json::from_str::<Staged>(&json).ok())
            .map(Arc::new),
    }
    .filter(|s| s.version == STAGE_VERSION && s.context == ctx);
    let staged = match staged {
        Some(s) => s,
        None => {
            // no staged rows (the rules or the union changed since the preview): the whole file again
            let (_, bytes, _) = stored(db, union_id, import_id).await?;
            let checked = check(db, union_id, Arc::new(bytes)).await.map_err(AppError::from)?;
            if !checked.issues.is_empty() || checked.report.members.is_empty() {
                return Ok(checked.preview(import_id, &file_name, None));
            }
            Arc::new(Staged::new(&checked.report, checked.context))
        }
    };
    let loaded_at = started.elapsed();
    let count = staged.members.len();
    let mut tx = db.begin_write().await?;
    // Claim the upload first: a second, concurrent commit finds it taken and writes nothing.
    let claimed = sqlx::query(
        "UPDATE imports SET status = 'committed', committed_at = $1, imported = $2, staged = NULL WHERE id = $3 AND status = 'previewed'",
    )
    .bind(now())
    .bind(count as i64)
    .bind(import_id)
    .execute(&mut *tx)
    .await?;
    if claimed.rows_affected() != 1 {
        return Err(AppError::conflict("import_already_committed", "该文件已导入，请勿重复提交。"));
    }
    let claimed_at = started.elapsed();
    match cards::enroll(&mut tx, db.backend, union_id, Some(import_id), &staged.members).await {
        Ok(()) => {}
        Err(e) if super::db::is_unique_violation(&e) => {
            // Someone recorded one of these IDs since the preview: nothing is written, and the
            // file is checked again so the clerk sees which rows and why.
            tx.rollback().await?;
            let (_, bytes, _) = stored(db, union_id, import_id).await?;
            let checked = check(db, union_id, Arc::new(bytes)).await.map_err(AppError::from)?;
            if !checked.issues.is_empty() {
                return Ok(checked.preview(import_id, &file_name, None));
            }
            return Err(AppError::conflict("import_retry", "导入期间会员信息有变动，请再次点击“确认导入”。"));
        }
        Err(e) => return Err(e.into()),
    }
    audit::record(
        &mut *tx,
        actor,
        "import_committed",
        &format!("union:{union_id}"),
        &format!("{import_id} members={count}"),
    )
    .await?;
    let written_at = started.elapsed();
    tx.commit().await?;
    tracing::info!(
        members = count,
        load_ms = loaded_at.as_millis() as u64,
        claim_ms = (claimed_at - loaded_at).as_millis() as u64,
        write_ms = (written_at - claimed_at).as_millis() as u64,
        commit_ms = (started.elapsed() - written_at).as_millis() as u64,
        total_ms = started.elapsed().as_millis() as u64,
        "import committed"
    );
    Ok(ImportPreview {
        import_id: import_id.to_string(),
        file_name,
        rows: staged.rows_read,
        ok_rows: staged.rows_read,
        issue_count: 0,
        issues: Vec::new(),
        normalised: staged.normalised.clone(),
        imported: Some(count),
    })
}

/// The clerk's own rows with the bad cells marked, for download.
pub async fn error_report(
    db: &Db,
    union_id: UnionId,
    actor: UserId,
    import_id: &str,
) -> Result<(String, Vec<u8>), AppError> {
    let (file_name, bytes, _) = stored(db, union_id, import_id).await?;
    let Checked { sheet, issues, .. } = check(db, union_id, Arc::new(bytes)).await.map_err(AppError::from)?;
    let out = tokio::task::spawn_blocking(move || xlsx::error_report(&sheet, &issues))
        .await
        .map_err(|_| AppError::Internal)?
        .map_err(|e| {
            tracing::error!(error = %e.message(), "error report failed");
            AppError::Internal
        })?;
    audit::record(&db.pool, Some(actor), "import_report_exported", &format!("union:{union_id}"), import_id).await?;
    let stem = file_name.trim_end_matches(".xlsx").trim_end_matches(".XLSX");
    Ok((format!("{stem}-错误报告.xlsx"), out))
}

/// The union's template with its registered name in B3 and its bank's branches.
pub async fn template(db: &Db, union_id: UnionId, actor: UserId) -> Result<Vec<u8>, AppError> {
    let ctx = context(db, union_id).await?;
    let branches = banks::branches_of_union_bank(db, union_id).await?;
    let name = ctx.union_name.clone();
    let out = tokio::task::spawn_blocking(move || xlsx::template(&name, &branches))
        .await
        .map_err(|_| AppError::Internal)?
        .map_err(|e| {
            tracing::error!(error = %e.message(), "template failed");
            AppError::Internal
        })?;
    audit::record(&db.pool, Some(actor), "template_downloaded", &format!("union:{union_id}"), "").await?;
    Ok(out)
}
