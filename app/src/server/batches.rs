//! Batch applications (批量办卡) and the bank's review of them. A batch takes a union's pending
//! cards to the bank of its pickup branch; the bank approves them (to the card factory) or
//! rejects them with reasons. Every card move goes through `cards::move_cards`; this module owns
//! the `card_batches` and `card_rejections` tables.

use super::{
    audit, cards,
    cards::{CardChange, Move, Selection, MEMBERS_WITH_CARDS},
    db::{now, Backend, Db, Tx},
};
use crate::{
    domain::{
        card::{CardState, Rejection, RejectionReason},
        ids::{BankId, BatchId, MemberId, UnionId, UserId},
    },
    error::{AppError, AppResult},
};

/// A batch as the union and the bank see it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BatchRow {
    pub id: BatchId,
    pub batch_no: String,
    pub union_id: UnionId,
    pub union_name: String,
    pub bank_id: BankId,
    pub branch_code: String,
    pub branch_name: String,
    pub members: i64,
    pub reviewed: i64,
    pub created_at: i64,
}

const BATCH_COLUMNS: &str = "b.id, b.batch_no, b.union_id, u.name AS union_name, b.bank_id, b.branch_code, \
                             r.name AS branch_name, b.members, b.reviewed, b.created_at";
const BATCH_FROM: &str =
    "card_batches b JOIN unions u ON u.id = b.union_id JOIN bank_branches r ON r.code = b.branch_code";

async fn batch_in(tx: &mut Tx, id: BatchId) -> Result<BatchRow, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {BATCH_COLUMNS} FROM {BATCH_FROM} WHERE b.id = $1"))
        .bind(id)
        .fetch_one(&mut **tx)
        .await
}

/// What a batch application did.
#[derive(Debug, Clone)]
pub struct Submitted {
    pub batch: BatchRow,
    /// The same request had already made this batch: nothing new was sent.
    pub repeated: bool,
    /// Selected cards another clerk had sent (or that were no longer pending) meanwhile.
    pub skipped: usize,
}

/// Sends the union's selected pending cards (or all of them) to its bank as one batch. The
/// browser's `request_key` names the click: the same click sent again answers with the batch it
/// made, and makes no second one.
pub async fn submit(
    db: &Db,
    union: UnionId,
    actor: UserId,
    request_key: &str,
    selection: Selection<'_>,
) -> AppResult<Submitted> {
    let request_key = request_key.trim();
    if request_key.is_empty() || request_key.len() > 64 {
        return Err(AppError::Request);
    }
    let mut tx = db.begin_write().await?;
    if let Some(batch) = existing(&mut tx, union, request_key).await? {
        return Ok(Submitted { batch, repeated: true, skipped: 0 });
    }
    match submit_in(&mut tx, db.backend, union, Some(actor), request_key, selection, now()).await {
        Ok(done) => {
            tx.commit().await?;
            Ok(done)
        }
        Err(SubmitError::SameRequest) => {
            // the same click, sent twice at once: the other request made the batch
            drop(tx);
            let mut tx = db.begin_write().await?;
            let batch = existing(&mut tx, union, request_key).await?.ok_or(AppError::Internal)?;
            Ok(Submitted { batch, repeated: true, skipped: 0 })
        }
        Err(SubmitError::App(e)) => Err(e),
    }
}

/// Why `submit_in` wrote nothing.
#[derive(Debug)]
pub enum SubmitError {
    /// Another request with the same key made its batch first.
    SameRequest,
    App(AppError),
}

impl From<AppError> for SubmitError {
    fn from(e: AppError) -> Self {
        SubmitError::App(e)
    }
}

impl From<sqlx::Error> for SubmitError {
    #[track_caller]
    fn from(e: sqlx::Error) -> Self {
        SubmitError::App(AppError::from(e))
    }
}

/// `submit` inside the caller's transaction (the demo data uses it too; `actor` `None` is the
/// system).
pub async fn submit_in(
    tx: &mut Tx,
    backend: Backend,
    union: UnionId,
    actor: Option<UserId>,
    request_key: &str,
    selection: Selection<'_>,
    at: i64,
) -> Result<Submitted, SubmitError> {
    // the union's row locked on PostgreSQL: a change of pickup branch saved at the same moment
    // waits for this batch (and then sees its cards with the bank), see `unions::bank_change_blocked`
    let lock = backend.row_lock(" FOR UPDATE OF u");
    let route: Option<(String, BankId)> = sqlx::query_as(&format!(
        "SELECT u.pickup_branch, r.bank_id FROM unions u JOIN bank_branches r ON r.code = u.pickup_branch WHERE u.id = $1{lock}"
    ))
    .bind(union)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((branch, bank)) = route else {
        return Err(
            AppError::refused("pickup_branch_missing", "请先在工会组织信息中选择领卡网点，再发起批量办卡。").into()
        );
    };
    let inserted: Result<BatchId, sqlx::Error> = sqlx::query_scalar(
        "INSERT INTO card_batches (batch_no, union_id, bank_id, branch_code, request_key, members, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, 0, $6, $7) RETURNING id",
    )
    .bind(format!("pending:{union}:{request_key}"))
    .bind(union)
    .bind(bank)
    .bind(&branch)
    .bind(request_key)
    .bind(actor)
    .bind(at)
    .fetch_one(&mut **tx)
    .await;
    let id = match inserted {
        Ok(id) => id,
        Err(e) if super::db::is_unique_violation(&e) => return Err(SubmitError::SameRequest),
        Err(e) => return Err(e.into()),
    };
    // 批次号: the day it was sent (Beijing) and the batch's own number
    let day =
        crate::domain::calendar::Date::of_timestamp(at).map(|d| d.to_string().replace('-', "")).unwrap_or_default();
    let batch_no = format!("{day}{:06}", id.0);
    let moved = cards::move_cards(
        tx,
        backend,
        &Move {
            union,
            selection,
            from: CardState::Pending,
            to: CardState::Submitted,
            actor,
            reason: None,
            into_batch: Some(id),
            at: Some(at),
            card: CardChange::Nothing,
        },
    )
    .await?;
    if moved.is_empty() {
        return Err(match selection {
            Selection::Members(_) => {
                AppError::conflict("card_moved", "已被他人处理：所选会员已不在“未办卡—待办卡”中，请刷新后重试。")
            }
            _ => AppError::refused("nothing_pending", "目前没有待办卡的会员。"),
        }
        .into());
    }
    sqlx::query("UPDATE card_batches SET batch_no = $1, members = $2 WHERE id = $3")
        .bind(&batch_no)
        .bind(moved.len() as i64)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    audit::record(
        &mut **tx,
        actor,
        "batch_submitted",
        &format!("batch:{batch_no}"),
        &format!("union:{union} members={} branch={branch}", moved.len()),
    )
    .await?;
    let batch = batch_in(tx, id).await?;
    let skipped = match selection {
        Selection::Members(ids) => ids.len().saturating_sub(moved.len()),
        _ => 0,
    };
    Ok(Submitted { batch, repeated: false, skipped })
}

async fn existing(tx: &mut Tx, union: UnionId, request_key: &str) -> Result<Option<BatchRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {BATCH_COLUMNS} FROM {BATCH_FROM} WHERE b.union_id = $1 AND b.request_key = $2"))
        .bind(union)
        .bind(request_key)
        .fetch_optional(&mut **tx)
        .await
}

/// The union's batches, newest first.
pub async fn of_union(db: &Db, union: UnionId, limit: i64, offset: i64) -> Result<Vec<BatchRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {BATCH_COLUMNS} FROM {BATCH_FROM} WHERE b.union_id = $1 ORDER BY b.id DESC LIMIT $2 OFFSET $3"
    ))
    .bind(union)
    .bind(limit)
    .bind(offset)
    .fetch_all(&db.pool)
    .await
}

/// The bank's review queue: batches with cards still to review first (oldest first), then the
/// reviewed ones (newest first); and how many batches wait.
pub async fn of_bank(db: &Db, bank: BankId, limit: i64, offset: i64) -> Result<(Vec<BatchRow>, i64, i64), sqlx::Error> {
    let rows = sqlx::query_as(&format!(
        "SELECT {BATCH_COLUMNS} FROM {BATCH_FROM} WHERE b.bank_id = $1 \
         ORDER BY CASE WHEN b.reviewed < b.members THEN 0 ELSE 1 END, \
         CASE WHEN b.reviewed < b.members THEN b.id ELSE -b.id END LIMIT $2 OFFSET $3"
    ))
    .bind(bank)
    .bind(limit)
    .bind(offset)
    .fetch_all(&db.pool)
    .await?;
    let (total, waiting): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN reviewed < members THEN 1 ELSE 0 END), 0) FROM card_batches WHERE bank_id = $1",
    )
    .bind(bank)
    .fetch_one(&db.pool)
    .await?;
    Ok((rows, total, waiting))
}

/// How many of the bank's batches have cards still to review (the bank's 待办).
pub async fn waiting_of_bank(db: &Db, bank: BankId) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM card_batches WHERE bank_id = $1 AND reviewed < members")
        .bind(bank)
        .fetch_one(&db.pool)
        .await
}

/// The batch `id` if it was routed to `bank`; another bank's batch is not found.
pub async fn of_bank_one(db: &Db, bank: BankId, id: BatchId) -> AppResult<BatchRow> {
    let row: Option<BatchRow> =
        sqlx::query_as(&format!("SELECT {BATCH_COLUMNS} FROM {BATCH_FROM} WHERE b.id = $1 AND b.bank_id = $2"))
            .bind(id)
            .bind(bank)
            .fetch_optional(&db.pool)
            .await?;
    row.ok_or(AppError::NotFound)
}

/// The bank's batches after `cursor` (by id, oldest first), `filter` an `AND …` on `b` written
/// by the caller from a fixed list.
pub async fn page_of_bank(
    db: &Db,
    bank: BankId,
    filter: &'static str,
    cursor: i64,
    limit: i64,
) -> Result<Vec<BatchRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {BATCH_COLUMNS} FROM {BATCH_FROM} WHERE b.bank_id = $1 AND b.id > $2 {filter} ORDER BY b.id LIMIT $3"
    ))
    .bind(bank)
    .bind(cursor)
    .bind(limit)
    .fetch_all(&db.pool)
    .await
}

/// The batch's cards after member `after`, in member order.
pub async fn members_after(
    db: &Db,
    batch: BatchId,
    after: MemberId,
    limit: i64,
) -> Result<Vec<ReviewRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {REVIEW_COLUMNS} \
         FROM {MEMBERS_WITH_CARDS} WHERE c.union_id = (SELECT union_id FROM card_batches WHERE id = $1) \
         AND c.batch_id = $1 AND c.state <> 'pending' AND c.member_id > $2 ORDER BY c.member_id LIMIT $3"
    ))
    .bind(batch)
    .bind(after)
    .bind(limit)
    .fetch_all(&db.pool)
    .await
}

/// The state and batch of the union's cards among `members` (others are absent).
pub async fn card_states(
    db: &Db,
    union: UnionId,
    members: &[MemberId],
) -> Result<std::collections::HashMap<MemberId, (CardState, Option<BatchId>)>, sqlx::Error> {
    let rows: Vec<(MemberId, CardState, Option<BatchId>)> = sqlx::query_as(&format!(
        "SELECT member_id, state, batch_id FROM cards WHERE union_id = $1 AND {}",
        cards::ids_in(db.backend, "member_id", 2)
    ))
    .bind(union)
    .bind(cards::json_ids(members))
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(|(m, s, b)| (m, (s, b))).collect())
}

/// A member of a batch as the bank reviews it: the full record.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReviewRow {
    pub id: MemberId,
    pub name: String,
    pub id_type: String,
    pub id_number: String,
    pub phone: String,
    pub department: Option<String>,
    pub card_state: CardState,
    /// 是否加载深圳通 of the upload the member came from (1 是, 0 否; none for a member not
    /// imported from a template, such as the demo data).
    pub shenzhen_tong: Option<i64>,
}

impl ReviewRow {
    pub fn shenzhen_tong(&self) -> Option<bool> {
        self.shenzhen_tong.map(|v| v != 0)
    }
}

/// A review row's columns, the 深圳通 choice read from the member's upload.
const REVIEW_COLUMNS: &str = "m.id, m.name, m.id_type, m.id_number, m.phone, m.department, c.state AS card_state, \
     (SELECT i.shenzhen_tong FROM imports i WHERE i.id = m.import_id) AS shenzhen_tong";

/// The batch's cards, in id order, optionally only those in `state`; and how many match.
pub async fn members_of(
    db: &Db,
    batch: BatchId,
    state: Option<CardState>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<ReviewRow>, i64), sqlx::Error> {
    // a batch is one union's: its cards are read among that union's, in member order; a card the
    // union took back after a rejection (待办卡 again, its record being fixed) is the union's
    // until it is sent again, in a new batch
    let cards = format!(
        "FROM {MEMBERS_WITH_CARDS} WHERE c.union_id = (SELECT union_id FROM card_batches WHERE id = $1) \
         AND c.batch_id = $1 AND c.state <> 'pending'"
    );
    let filter = if state.is_some() { "AND c.state = $2" } else { "AND $2 IS NULL" };
    let rows = sqlx::query_as(&format!(
        "SELECT {REVIEW_COLUMNS} \
         {cards} {filter} ORDER BY c.member_id LIMIT $3 OFFSET $4"
    ))
    .bind(batch)
    .bind(state)
    .bind(limit)
    .bind(offset)
    .fetch_all(&db.pool)
    .await?;
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) {cards} {filter}"))
        .bind(batch)
        .bind(state)
        .fetch_one(&db.pool)
        .await?;
    Ok((rows, total))
}

/// One member the bank rejects, with every reason at once.
#[derive(Debug, Clone)]
pub struct MemberRejection {
    pub member: MemberId,
    pub reasons: Vec<Rejection>,
}

/// What a review did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reviewed {
    pub approved: usize,
    pub rejected: usize,
    /// Cards already reviewed (by another officer, or an earlier send of this one).
    pub skipped: usize,
    /// The cards this review approved and rejected.
    pub approved_ids: Vec<MemberId>,
    pub rejected_ids: Vec<MemberId>,
    /// The batch's count of cards reviewed once this review was done.
    pub batch_reviewed: i64,
}

/// The bank's decision on a batch: the rejected members with their reasons, then the approval
/// of the listed members, or of every card of the batch still under review (`approve_rest`).
/// Each card moves once: a card someone else reviewed meanwhile is skipped, never reviewed twice.
pub async fn review(
    db: &Db,
    bank: BankId,
    actor: UserId,
    batch: BatchId,
    rejections: &[MemberRejection],
    approve: &[MemberId],
    approve_rest: bool,
) -> AppResult<Reviewed> {
    let row = of_bank_one(db, bank, batch).await?;
    review_of(db, &row, actor, rejections, approve, approve_rest).await
}

/// [`review`] of a batch the caller has read with [`of_bank_one`].
pub async fn review_of(
    db: &Db,
    row: &BatchRow,
    actor: UserId,
    rejections: &[MemberRejection],
    approve: &[MemberId],
    approve_rest: bool,
) -> AppResult<Reviewed> {
    let mut tx = db.begin_write().await?;
    let mut done = review_in(&mut tx, db.backend, row, Some(actor), rejections, approve, approve_rest, now()).await?;
    done.batch_reviewed =
        sqlx::query_scalar("SELECT reviewed FROM card_batches WHERE id = $1").bind(row.id).fetch_one(&mut *tx).await?;
    tx.commit().await?;
    Ok(done)
}

/// `review` inside the caller's transaction, for a batch already checked to be the bank's.
#[allow(clippy::too_many_arguments)]
pub async fn review_in(
    tx: &mut Tx,
    backend: Backend,
    row: &BatchRow,
    actor: Option<UserId>,
    rejections: &[MemberRejection],
    approve: &[MemberId],
    approve_rest: bool,
    at: i64,
) -> AppResult<Reviewed> {
    let mut done = Reviewed::default();
    for r in rejections {
        let summary = reasons_text(&r.reasons);
        let moved =
            move_in_batch(tx, backend, row, &[r.member], CardState::Rejected, actor, Some(&summary), at).await?;
        if moved.is_empty() {
            done.skipped += 1;
            continue;
        }
        for reason in &r.reasons {
            cards::tally(tx, row.union_id, &crate::domain::tally::Tally::Rejection(reason.reason), 1).await?;
            sqlx::query(
                "INSERT INTO card_rejections (member_id, batch_id, reason, text, at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(r.member)
            .bind(row.id)
            .bind(reason.reason.as_str())
            .bind(Some(reason.text.trim()).filter(|t| !t.is_empty()))
            .bind(at)
            .execute(&mut **tx)
            .await?;
        }
        done.rejected += 1;
        done.rejected_ids.push(r.member);
    }
    let approved = if approve_rest {
        cards::move_cards(
            tx,
            backend,
            &Move {
                union: row.union_id,
                selection: Selection::Batch(row.id),
                from: CardState::Submitted,
                to: CardState::InProduction,
                actor,
                reason: None,
                into_batch: None,
                at: Some(at),
                card: CardChange::Nothing,
            },
        )
        .await?
    } else {
        let wanted: Vec<MemberId> =
            approve.iter().copied().filter(|m| !rejections.iter().any(|r| r.member == *m)).collect();
        let moved = move_in_batch(tx, backend, row, &wanted, CardState::InProduction, actor, None, at).await?;
        done.skipped += wanted.len() - moved.len();
        moved
    };
    done.approved = approved.len();
    done.approved_ids = approved;
    let n = (done.approved + done.rejected) as i64;
    if n > 0 {
        sqlx::query("UPDATE card_batches SET reviewed = reviewed + $1 WHERE id = $2")
            .bind(n)
            .bind(row.id)
            .execute(&mut **tx)
            .await?;
        audit::record(
            &mut **tx,
            actor,
            "batch_reviewed",
            &format!("batch:{}", row.batch_no),
            &format!("approved={} rejected={}", done.approved, done.rejected),
        )
        .await?;
    }
    Ok(done)
}

/// Moves the listed members of the batch out of review (only those still in it, in this batch).
#[allow(clippy::too_many_arguments)]
async fn move_in_batch(
    tx: &mut Tx,
    backend: Backend,
    batch: &BatchRow,
    members: &[MemberId],
    to: CardState,
    actor: Option<UserId>,
    reason: Option<&str>,
    at: i64,
) -> AppResult<Vec<MemberId>> {
    cards::move_cards(
        tx,
        backend,
        &Move {
            union: batch.union_id,
            selection: Selection::BatchMembers(batch.id, members),
            from: CardState::Submitted,
            to,
            actor,
            reason,
            into_batch: None,
            at: Some(at),
            card: CardChange::Nothing,
        },
    )
    .await
}

/// The reasons as one line for the card's event: 姓名与证件号码不符；其他：…
pub fn reasons_text(reasons: &[Rejection]) -> String {
    reasons
        .iter()
        .map(|r| {
            let text = r.text.trim();
            if text.is_empty() {
                r.reason.label().to_string()
            } else {
                format!("{}：{text}", r.reason.label())
            }
        })
        .collect::<Vec<_>>()
        .join("；")
}

/// A rejected member of the union with the reasons of its latest rejection.
#[derive(Debug, Clone)]
pub struct RejectedMember {
    pub id: MemberId,
    pub name: String,
    pub id_number: String,
    pub phone: String,
    pub department: Option<String>,
    pub batch_no: String,
    pub reasons: Vec<Rejection>,
    pub rejected_at: i64,
}

/// The reasons of a member's latest rejection while its card is 未办卡—待处理 (none otherwise),
/// in the order the bank gave them.
pub async fn rejections_of_member(db: &Db, union: UnionId, member: MemberId) -> Result<Vec<Rejection>, sqlx::Error> {
    let rows: Vec<(RejectionReason, Option<String>)> = sqlx::query_as(
        "SELECT j.reason, j.text FROM cards c \
         JOIN card_rejections j ON j.member_id = c.member_id AND j.batch_id = c.batch_id \
         WHERE c.union_id = $1 AND c.member_id = $2 AND c.state = 'rejected' ORDER BY j.id",
    )
    .bind(union)
    .bind(member)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(|(reason, text)| Rejection { reason, text: text.unwrap_or_default() }).collect())
}

/// The union's rejected cards (未办卡—待处理), in id order, with the bank's reasons.
pub async fn rejected_of_union(
    db: &Db,
    union: UnionId,
    limit: i64,
    offset: i64,
) -> Result<Vec<RejectedMember>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: MemberId,
        name: String,
        id_number: String,
        phone: String,
        department: Option<String>,
        batch_no: String,
        reason: RejectionReason,
        text: Option<String>,
        at: i64,
    }
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT m.id, m.name, m.id_number, m.phone, m.department, b.batch_no, j.reason, j.text, j.at \
         FROM (SELECT m.id, m.name, m.id_number, m.phone, m.department, c.batch_id FROM {MEMBERS_WITH_CARDS} \
               WHERE c.union_id = $1 AND c.state = 'rejected' ORDER BY c.member_id LIMIT $2 OFFSET $3) m \
         JOIN card_batches b ON b.id = m.batch_id \
         JOIN card_rejections j ON j.member_id = m.id AND j.batch_id = m.batch_id \
         ORDER BY m.id, j.id"
    ))
    .bind(union)
    .bind(limit)
    .bind(offset)
    .fetch_all(&db.pool)
    .await?;
    let mut out: Vec<RejectedMember> = Vec::new();
    for r in rows {
        let reason = Rejection { reason: r.reason, text: r.text.unwrap_or_default() };
        match out.last_mut() {
            Some(last) if last.id == r.id => last.reasons.push(reason),
            _ => out.push(RejectedMember {
                id: r.id,
                name: r.name,
                id_number: r.id_number,
                phone: r.phone,
                department: r.department,
                batch_no: r.batch_no,
                reasons: vec![reason],
                rejected_at: r.at,
            }),
        }
    }
    Ok(out)
}

/// The union sets fixed rejected cards back to 未办卡—待办卡, ready to be sent again.
pub async fn reset_rejected(db: &Db, union: UnionId, actor: UserId, members: &[MemberId]) -> AppResult<usize> {
    let mut tx = db.begin_write().await?;
    let moved = cards::move_cards(
        &mut tx,
        db.backend,
        &Move {
            union,
            selection: Selection::Members(members),
            from: CardState::Rejected,
            to: CardState::Pending,
            actor: Some(actor),
            reason: None,
            into_batch: None,
            at: None,
            card: CardChange::Nothing,
        },
    )
    .await?;
    if moved.is_empty() {
        return Err(AppError::conflict("card_moved", "已被他人处理：所选会员已不在“未办卡—待处理”中，请刷新后重试。"));
    }
    audit::record(
        &mut *tx,
        Some(actor),
        "rejections_reset",
        &format!("union:{union}"),
        &format!("members={}", moved.len()),
    )
    .await?;
    tx.commit().await?;
    Ok(moved.len())
}

/// 待处理 as a workbook for the clerk (masked numbers, every reason and what to do), written to
/// the audit log: (file name, bytes).
pub async fn rejections_workbook(db: &Db, union: UnionId, actor: UserId) -> AppResult<(String, Vec<u8>)> {
    use crate::{
        domain::{format_time, mask_id, phone::mask},
        server::xlsx::{rejections_report, RejectionRow},
    };
    let union_name = super::unions::node(db, union).await?.map(|n| n.name).unwrap_or_default();
    let members = rejected_of_union(db, union, i64::MAX, 0).await?;
    let rows: Vec<RejectionRow> = members
        .iter()
        .map(|m| RejectionRow {
            name: m.name.clone(),
            id_number_masked: mask_id(&m.id_number),
            phone_masked: mask(&m.phone),
            department: m.department.clone().unwrap_or_default(),
            batch_no: m.batch_no.clone(),
            rejected_on: format_time(m.rejected_at).chars().take(10).collect(),
            reasons: reasons_text(&m.reasons),
            remedies: m.reasons.iter().map(|r| r.reason.remedy()).collect::<Vec<_>>().join("\n"),
        })
        .collect();
    let count = rows.len();
    let title = union_name.clone();
    let bytes = tokio::task::spawn_blocking(move || rejections_report(&title, &rows))
        .await
        .map_err(|_| AppError::Internal)?
        .map_err(|e| {
            tracing::error!(error = %e.message(), "rejections workbook failed");
            AppError::Internal
        })?;
    audit::record(&db.pool, Some(actor), "rejections_exported", &format!("union:{union}"), &format!("members={count}"))
        .await?;
    Ok(("会员服务卡-待处理.xlsx".to_string(), bytes))
}
