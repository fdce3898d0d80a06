//! The member's own portal on the server: the card page's record, the member's answer to a card
//! handed out (kept counted per union), and reports of wrong information with the union's
//! answers. Card moves stay with `cards`; this module never changes a card's state.

use super::{
    cards::MEMBERS_WITH_CARDS,
    db::{bump_kept, now, Backend, Db, KeptCount, OnUnique, Tx},
};
use crate::{
    domain::{
        card::CardState,
        ids::{MemberId, UnionId, UserId},
        member_portal::{ReceiptAnswer, ReportStatus},
    },
    error::{AppError, AppResult},
};

/// What the member's card page shows of their record, their union and their card.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CardPageRow {
    pub union_id: UnionId,
    pub name: String,
    pub id_number: String,
    pub phone: String,
    pub department: Option<String>,
    pub created_at: i64,
    pub card_state: CardState,
    pub card_tail: Option<String>,
    pub union_name: String,
    pub contact_person: Option<String>,
    pub contact_phone: Option<String>,
    pub union_address: Option<String>,
    pub branch_name: Option<String>,
    pub signed_on: Option<String>,
}

pub async fn card_page(db: &Db, member: MemberId) -> Result<Option<CardPageRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT m.union_id, m.name, m.id_number, m.phone, m.department, m.created_at, c.state AS card_state, \
         c.card_tail, u.name AS union_name, u.contact_person, u.contact_phone, u.address AS union_address, \
         b.name AS branch_name, d.signed_on \
         FROM {MEMBERS_WITH_CARDS} JOIN unions u ON u.id = m.union_id \
         LEFT JOIN bank_branches b ON b.code = u.pickup_branch \
         LEFT JOIN card_deliveries d ON d.id = c.delivery_id \
         WHERE m.id = $1"
    ))
    .bind(member)
    .fetch_optional(&db.pool)
    .await
}

/// The reasons of the member's current rejection, as the bank gave them: (code, text).
pub async fn current_rejections(db: &Db, member: MemberId) -> Result<Vec<(String, Option<String>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.reason, r.text FROM card_rejections r JOIN cards c ON c.member_id = r.member_id \
         WHERE r.member_id = $1 AND c.state = 'rejected' AND r.batch_id = c.batch_id ORDER BY r.id",
    )
    .bind(member)
    .fetch_all(&db.pool)
    .await
}

/// The kept count of each union's members' answers (我已领到卡 / 未收到).
pub const RECEIPT_COUNTS: KeptCount = KeptCount { table: "receipt_counts", column: "answer" };

async fn bump(tx: &mut Tx, union: UnionId, answer: ReceiptAnswer, delta: i64) -> Result<(), sqlx::Error> {
    bump_kept(tx, RECEIPT_COUNTS, union, answer.as_str(), delta).await
}

/// Records the member's answer to their card handed out; only while the card is 已发放 (read in
/// this transaction). The same answer twice is recorded once.
pub async fn answer_receipt(db: &Db, member: MemberId, answer: ReceiptAnswer, actor: UserId) -> AppResult<()> {
    let mut tx = db.begin_write().await?;
    // The card's row is locked until the answer is written, so two answers at once (a double tap)
    // are taken one after the other and the second sees the first: on PostgreSQL both would
    // otherwise find no latest answer, add one each and count twice. (The card is found through
    // its member: the cards' key starts with the union.)
    let lock = db.backend.row_lock(" FOR UPDATE OF c");
    let card: Option<(UnionId, CardState)> = sqlx::query_as(&format!(
        "SELECT c.union_id, c.state FROM members m JOIN cards c ON c.union_id = m.union_id AND c.member_id = m.id \
         WHERE m.id = $1{lock}"
    ))
    .bind(member)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((union, state)) = card else { return Err(AppError::NotFound) };
    if !crate::domain::member_portal::may_answer_receipt(state) {
        return Err(AppError::conflict("receipt_not_open", "工会尚未登记发放您的卡，暂不能确认领卡。"));
    }
    let before: Option<ReceiptAnswer> =
        sqlx::query_scalar("UPDATE card_receipts SET latest = 0 WHERE member_id = $1 AND latest = 1 RETURNING answer")
            .bind(member)
            .fetch_optional(&mut *tx)
            .await?;
    if before == Some(answer) {
        return Ok(()); // dropped: nothing changed
    }
    sqlx::query("INSERT INTO card_receipts (member_id, union_id, answer, latest, at) VALUES ($1, $2, $3, 1, $4)")
        .bind(member)
        .bind(union)
        .bind(answer)
        .bind(now())
        .execute(&mut *tx)
        .await?;
    if let Some(old) = before {
        bump(&mut tx, union, old, -1).await?;
    }
    bump(&mut tx, union, answer, 1).await?;
    super::audit::record(&mut *tx, Some(actor), "card_receipt", &format!("member:{}", member.0), answer.as_str())
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Forgets the answers about cards recalled to be made again (the card answered for is void),
/// in the card writer's transaction.
pub async fn forget_receipts(
    tx: &mut Tx,
    backend: Backend,
    union: UnionId,
    ids: &[MemberId],
) -> Result<(), sqlx::Error> {
    if ids.is_empty() {
        return Ok(());
    }
    let answers: Vec<ReceiptAnswer> = sqlx::query_scalar(&format!(
        "UPDATE card_receipts SET latest = 0 WHERE latest = 1 AND {} RETURNING answer",
        super::cards::ids_in(backend, "member_id", 1)
    ))
    .bind(super::cards::json_ids(ids))
    .fetch_all(&mut **tx)
    .await?;
    for answer in ReceiptAnswer::ALL {
        let n = answers.iter().filter(|a| **a == answer).count() as i64;
        bump(tx, union, answer, -n).await?;
    }
    Ok(())
}

/// A member's answers, oldest first: (answer, at).
pub async fn receipts_of(db: &Db, member: MemberId) -> Result<Vec<(ReceiptAnswer, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT answer, at FROM card_receipts WHERE member_id = $1 ORDER BY id")
        .bind(member)
        .fetch_all(&db.pool)
        .await
}

/// Kept answer counts as (我已领到卡, 未收到).
fn received_and_not(rows: &[(ReceiptAnswer, i64)]) -> (i64, i64) {
    let of = |a| rows.iter().filter(|(r, _)| *r == a).map(|(_, n)| *n).sum();
    (of(ReceiptAnswer::Received), of(ReceiptAnswer::NotReceived))
}

/// The union's cards whose member's latest answer is each answer: (received, not received).
pub async fn receipt_counts(db: &Db, union: UnionId) -> Result<(i64, i64), sqlx::Error> {
    let rows: Vec<(ReceiptAnswer, i64)> = sqlx::query_as("SELECT answer, n FROM receipt_counts WHERE union_id = $1")
        .bind(union)
        .fetch_all(&db.pool)
        .await?;
    Ok(received_and_not(&rows))
}

/// A member who answered 未收到 (still their latest answer), for the union.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NotReceivedRow {
    pub member_id: MemberId,
    pub name: String,
    pub id_number: String,
    pub phone: String,
    pub department: Option<String>,
    pub at: i64,
}

pub async fn not_received(db: &Db, union: UnionId) -> Result<Vec<NotReceivedRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT m.id AS member_id, m.name, m.id_number, m.phone, m.department, r.at FROM card_receipts r \
         JOIN members m ON m.id = r.member_id \
         WHERE r.union_id = $1 AND r.answer = 'not_received' AND r.latest = 1 ORDER BY r.at, m.id LIMIT 500",
    )
    .bind(union)
    .fetch_all(&db.pool)
    .await
}

/// A report of wrong information.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReportRow {
    pub id: i64,
    pub member_id: MemberId,
    pub member_name: String,
    pub field: String,
    pub proposed: String,
    pub status: ReportStatus,
    pub answer: Option<String>,
    pub created_at: i64,
    pub resolved_at: Option<i64>,
}

const REPORT_COLUMNS: &str = "r.id, r.member_id, m.name AS member_name, r.field, r.proposed, r.status, r.answer, \
                              r.created_at, r.resolved_at";

/// Files a report; one open report per field (a second is refused with what to do).
pub async fn file_report(db: &Db, member: MemberId, field: &str, proposed: &str, actor: UserId) -> AppResult<i64> {
    let mut tx = db.begin_write().await?;
    let union: UnionId = sqlx::query_scalar("SELECT union_id FROM members WHERE id = $1")
        .bind(member)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let open: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM member_reports WHERE member_id = $1 AND field = $2 AND status = 'open'",
    )
    .bind(member)
    .bind(field)
    .fetch_one(&mut *tx)
    .await?;
    let already_open = || AppError::conflict("report_open", "该项信息已有反馈正在等待工会处理，请等工会处理后再提交。");
    if open > 0 {
        return Err(already_open());
    }
    // two submissions at once on PostgreSQL both pass the count: the unique index of open
    // reports refuses the second, which is told the same
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO member_reports (member_id, union_id, field, proposed, status, created_at) \
         VALUES ($1, $2, $3, $4, 'open', $5) RETURNING id",
    )
    .bind(member)
    .bind(union)
    .bind(field)
    .bind(proposed)
    .bind(now())
    .fetch_one(&mut *tx)
    .await
    .on_unique(already_open)?;
    super::audit::record(&mut *tx, Some(actor), "member_report", &format!("member:{}", member.0), field).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn reports_of_member(db: &Db, member: MemberId, open_only: bool) -> Result<Vec<ReportRow>, sqlx::Error> {
    let which = if open_only { "AND r.status = 'open'" } else { "" };
    sqlx::query_as(&format!(
        "SELECT {REPORT_COLUMNS} FROM member_reports r JOIN members m ON m.id = r.member_id \
         WHERE r.member_id = $1 {which} ORDER BY r.id DESC LIMIT 50"
    ))
    .bind(member)
    .fetch_all(&db.pool)
    .await
}

/// The union's open reports, oldest first, then the last resolved ones.
pub async fn reports_of_union(db: &Db, union: UnionId, open: bool) -> Result<Vec<ReportRow>, sqlx::Error> {
    let (which, order) = if open { ("= 'open'", "r.id") } else { ("<> 'open'", "r.resolved_at DESC, r.id DESC") };
    sqlx::query_as(&format!(
        "SELECT {REPORT_COLUMNS} FROM member_reports r JOIN members m ON m.id = r.member_id \
         WHERE r.union_id = $1 AND r.status {which} ORDER BY {order} LIMIT 200"
    ))
    .bind(union)
    .fetch_all(&db.pool)
    .await
}

pub async fn open_reports(db: &Db, union: UnionId) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM member_reports WHERE union_id = $1 AND status = 'open'")
        .bind(union)
        .fetch_one(&db.pool)
        .await
}

/// Closes an open report of the union's as `status` with the union's words (`checked`: the
/// answer as the server function checked it, whose refusal is given only for a report still
/// open). `NotFound` for a report of another union; `Conflict` when it was closed meanwhile.
pub async fn resolve_report(
    db: &Db,
    union: UnionId,
    id: i64,
    checked: AppResult<(ReportStatus, String)>,
    actor: UserId,
) -> AppResult<()> {
    let mut tx = db.begin_write().await?;
    let found: Option<(MemberId, ReportStatus)> =
        sqlx::query_as("SELECT member_id, status FROM member_reports WHERE id = $1 AND union_id = $2")
            .bind(id)
            .bind(union)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((member, current)) = found else { return Err(AppError::NotFound) };
    if current != ReportStatus::Open {
        return Err(AppError::conflict("report_closed", "该反馈已处理，请刷新页面。"));
    }
    // the answer's own check, once the report is known to be open
    let (status, answer) = checked?;
    let closed = sqlx::query(
        "UPDATE member_reports SET status = $1, answer = $2, resolved_at = $3, resolved_by = $4 \
         WHERE id = $5 AND status = 'open'",
    )
    .bind(status)
    .bind(answer)
    .bind(now())
    .bind(actor)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if closed.rows_affected() == 0 {
        // another clerk closed it between the read and this write (PostgreSQL)
        return Err(AppError::conflict("report_closed", "该反馈已处理，请刷新页面。"));
    }
    super::audit::record(
        &mut *tx,
        Some(actor),
        "member_report_resolved",
        &format!("member:{}", member.0),
        status.as_str(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
