//! After the card factory: the bank records cards made, brings them to the union (送卡上门) at a
//! time both sides agreed, the union signs for them and hands them out within five working days,
//! and the bank records each activation; a card with a wrong face is recalled and made again.
//! This module owns `card_deliveries` and `delivery_events`; every change of a card's state
//! goes through `cards::move_rows`, in the same transaction as the delivery it belongs to.

use std::collections::BTreeMap;

use super::{
    cards::{self, CardChange, Move, Selection, MEMBERS_WITH_CARDS},
    db::{bump_kept, like_contains, now, Db, KeptCount, Tx},
};
use crate::{
    domain::{
        calendar::{Date, Timeliness},
        card::{
            check, check_delivery, CardAction, CardMove, CardState, DeliveryAction, DeliveryRefusal, DeliveryStage,
        },
        ids::{BankId, BatchId, DeliveryId, MemberId, UnionId, UserId},
        role::Role,
    },
    error::{AppError, AppResult},
};

/// A delivery as the union and the bank see it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DeliveryRow {
    pub id: DeliveryId,
    pub union_id: UnionId,
    pub union_name: String,
    pub bank_id: BankId,
    pub stage: String,
    pub proposed_by: Option<Role>,
    pub scheduled_at: i64,
    pub cards: i64,
    pub outstanding: i64,
    pub delivered_at: Option<i64>,
    pub signed_on: Option<String>,
    pub created_at: i64,
}

impl DeliveryRow {
    /// Where the appointment stands; a stored stage the code does not know is an internal error.
    pub fn stage(&self) -> AppResult<DeliveryStage> {
        DeliveryStage::from_code(&self.stage, self.proposed_by).ok_or_else(|| {
            tracing::error!(delivery = %self.id, stage = %self.stage, "unknown delivery stage");
            AppError::Internal
        })
    }

    /// The day the union signed for the cards.
    pub fn signed_on(&self) -> AppResult<Option<Date>> {
        self.signed_on
            .as_deref()
            .map(|d| {
                Date::parse(d).ok_or_else(|| {
                    tracing::error!(delivery = %self.id, signed_on = d, "stored signing day is not a date");
                    AppError::Internal
                })
            })
            .transpose()
    }
}

const DELIVERY_COLUMNS: &str = "d.id, d.union_id, u.name AS union_name, d.bank_id, d.stage, d.proposed_by, \
                                d.scheduled_at, d.cards, d.outstanding, d.delivered_at, d.signed_on, d.created_at";
const DELIVERY_FROM: &str = "card_deliveries d JOIN unions u ON u.id = d.union_id";

/// Whose deliveries a caller may see and act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Union(UnionId),
    Bank(BankId),
}

impl Side {
    pub fn role(self) -> Role {
        match self {
            Side::Union(_) => Role::Union,
            Side::Bank(_) => Role::Bank,
        }
    }

    fn owns(self, d: &DeliveryRow) -> bool {
        match self {
            Side::Union(u) => d.union_id == u,
            Side::Bank(b) => d.bank_id == b,
        }
    }
}

/// A step the shared lifecycle refuses: a role's step the other side takes is not allowed (403),
/// anything else is refused with its reason (422).
fn refused(r: DeliveryRefusal) -> AppError {
    match r {
        DeliveryRefusal::NotAllowedForRole { .. } => AppError::Forbidden,
        DeliveryRefusal::TimeRequired => AppError::invalid("scheduled", r.message()),
        r => AppError::refused(r.code(), r.message()),
    }
}

/// Another side's delivery answers as one that does not exist (404).
fn not_found() -> AppError {
    AppError::NotFound
}

fn taken() -> AppError {
    AppError::conflict("card_moved", "已被他人处理：这次送卡的安排已经变了，请刷新后查看。")
}

async fn delivery_in(tx: &mut Tx, id: DeliveryId) -> Result<Option<DeliveryRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {DELIVERY_COLUMNS} FROM {DELIVERY_FROM} WHERE d.id = $1"))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

/// One delivery of `side`'s.
pub async fn one(db: &Db, side: Side, id: DeliveryId) -> AppResult<DeliveryRow> {
    let row: Option<DeliveryRow> =
        sqlx::query_as(&format!("SELECT {DELIVERY_COLUMNS} FROM {DELIVERY_FROM} WHERE d.id = $1"))
            .bind(id)
            .fetch_optional(&db.pool)
            .await?;
    row.filter(|d| side.owns(d)).ok_or_else(not_found)
}

/// The union's deliveries not yet signed for (the appointments under way), oldest first; the
/// bank's, searched and paged, are [`open_of_bank`].
pub async fn open_of_union(db: &Db, union: UnionId) -> Result<Vec<DeliveryRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {DELIVERY_COLUMNS} FROM {DELIVERY_FROM} WHERE d.union_id = $1 AND d.stage <> 'signed' ORDER BY d.id"
    ))
    .bind(union)
    .fetch_all(&db.pool)
    .await
}

/// The union's signed-for deliveries with cards still to hand out, oldest signing first (the
/// first due first).
pub async fn to_hand_out(db: &Db, union: UnionId) -> Result<Vec<DeliveryRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {DELIVERY_COLUMNS} FROM {DELIVERY_FROM} \
         WHERE d.union_id = $1 AND d.stage = 'signed' AND d.outstanding > 0 ORDER BY d.signed_on, d.id"
    ))
    .bind(union)
    .fetch_all(&db.pool)
    .await
}

/// The signed-for deliveries with cards still to hand out of every union whose path lies in
/// `[lo, hi)` (a supervisor's subtree), oldest signing first.
pub async fn to_hand_out_in_subtree(db: &Db, lo: &str, hi: &str) -> Result<Vec<DeliveryRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {DELIVERY_COLUMNS} FROM {DELIVERY_FROM} \
         WHERE d.stage = 'signed' AND d.outstanding > 0 AND u.path >= $1 AND u.path < $2 ORDER BY d.signed_on, d.id"
    ))
    .bind(lo)
    .bind(hi)
    .fetch_all(&db.pool)
    .await
}

/// A union of the bank's with made cards that no delivery holds yet.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Unscheduled {
    pub union_id: UnionId,
    pub union_name: String,
    pub cards: i64,
}

/// The bank's unions with made cards waiting for a delivery to be arranged, those whose name
/// contains `name` (all when empty), by name, a page at a time; with how many there are. A
/// union's cards are the kept count of 待送卡 less what open deliveries hold (a card in 待送卡 is
/// in at most one open delivery).
pub async fn unscheduled_of_bank(
    db: &Db,
    bank: BankId,
    name: &str,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Unscheduled>, i64), sqlx::Error> {
    const FROM: &str = "FROM (SELECT u.id AS union_id, u.name AS union_name, \
                CAST(c.n - COALESCE((SELECT SUM(d.cards) FROM card_deliveries d \
                     WHERE d.union_id = u.id AND d.stage <> 'signed'), 0) AS BIGINT) AS cards \
         FROM card_counts c JOIN unions u ON u.id = c.union_id \
         JOIN bank_branches b ON b.code = u.pickup_branch \
         WHERE b.bank_id = $1 AND c.state = 'awaiting_delivery' AND c.n > 0 \
           AND u.name LIKE $2 ESCAPE '\\') w WHERE w.cards > 0";
    let pattern = like_contains(name.trim());
    let rows =
        sqlx::query_as(&format!("SELECT union_id, union_name, cards {FROM} ORDER BY union_name LIMIT $3 OFFSET $4"))
            .bind(bank)
            .bind(&pattern)
            .bind(limit)
            .bind(offset)
            .fetch_all(&db.pool)
            .await?;
    let total =
        sqlx::query_scalar(&format!("SELECT COUNT(*) {FROM}")).bind(bank).bind(&pattern).fetch_one(&db.pool).await?;
    Ok((rows, total))
}

/// The bank's open deliveries (not yet signed for) to unions whose name contains `name`, oldest
/// first, a page at a time; with how many there are.
pub async fn open_of_bank(
    db: &Db,
    bank: BankId,
    name: &str,
    limit: i64,
    offset: i64,
) -> Result<(Vec<DeliveryRow>, i64), sqlx::Error> {
    let pattern = like_contains(name.trim());
    let filter = "d.bank_id = $1 AND d.stage <> 'signed' AND u.name LIKE $2 ESCAPE '\\'";
    let rows = sqlx::query_as(&format!(
        "SELECT {DELIVERY_COLUMNS} FROM {DELIVERY_FROM} WHERE {filter} ORDER BY d.id LIMIT $3 OFFSET $4"
    ))
    .bind(bank)
    .bind(&pattern)
    .bind(limit)
    .bind(offset)
    .fetch_all(&db.pool)
    .await?;
    let total = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {DELIVERY_FROM} WHERE {filter}"))
        .bind(bank)
        .bind(&pattern)
        .fetch_one(&db.pool)
        .await?;
    Ok((rows, total))
}

/// Whether `union` collects its cards at one of `bank`'s branches.
pub async fn serves(db: &Db, bank: BankId, union: UnionId) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM unions u JOIN bank_branches b ON b.code = u.pickup_branch WHERE u.id = $1 AND b.bank_id = $2",
    )
    .bind(union)
    .bind(bank)
    .fetch_optional(&db.pool)
    .await?;
    Ok(found.is_some())
}

async fn record_step(
    tx: &mut Tx,
    delivery: DeliveryId,
    action: &str,
    role: Role,
    actor: Option<UserId>,
    scheduled_at: Option<i64>,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO delivery_events (delivery_id, action, role, actor_id, scheduled_at, at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(delivery)
    .bind(action)
    .bind(role)
    .bind(actor)
    .bind(scheduled_at)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The bank arranges a delivery of every made card of `union` that no delivery holds, proposing
/// the time `scheduled_at`. `at` is when (now when `None`).
pub async fn open(
    db: &Db,
    bank: BankId,
    actor: Option<UserId>,
    union: UnionId,
    scheduled_at: i64,
    at: Option<i64>,
) -> AppResult<DeliveryRow> {
    if !serves(db, bank, union).await? {
        return Err(AppError::refused("union_not_served", "该工会不在本行网点领卡，不能为其安排送卡。"));
    }
    let stage = check_delivery(DeliveryStage::Unscheduled, DeliveryAction::ProposeTime, Role::Bank, Some(scheduled_at))
        .map_err(refused)?;
    let at = at.unwrap_or_else(now);
    let mut tx = db.begin_write().await?;
    let cards: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM cards WHERE union_id = $1 AND state = 'awaiting_delivery' AND delivery_id IS NULL",
    )
    .bind(union)
    .fetch_one(&mut *tx)
    .await?;
    if cards == 0 {
        return Err(AppError::conflict(
            "nothing_to_deliver",
            "该工会暂时没有待送的会员服务卡（可能已被他人安排），请刷新后查看。",
        ));
    }
    let (code, by) = stage.code();
    let id: DeliveryId = sqlx::query_scalar(
        "INSERT INTO card_deliveries (union_id, bank_id, stage, proposed_by, scheduled_at, cards, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(union)
    .bind(bank)
    .bind(code)
    .bind(by)
    .bind(scheduled_at)
    .bind(cards)
    .bind(actor)
    .bind(at)
    .fetch_one(&mut *tx)
    .await?;
    let taken_now = cards::assign_delivery(&mut tx, union, id).await?;
    if taken_now as i64 != cards {
        // another officer arranged some of these cards meanwhile (PostgreSQL); nothing is kept
        return Err(AppError::conflict("card_moved", "已被他人处理：该工会的待送卡已由他人安排送卡，请刷新后查看。"));
    }
    record_step(&mut tx, id, DeliveryAction::ProposeTime.as_str(), Role::Bank, actor, Some(scheduled_at), at).await?;
    let row = delivery_in(&mut tx, id).await?.ok_or(AppError::Internal)?;
    tx.commit().await?;
    Ok(row)
}

/// What the page showed when its user acted: a step is taken only on the delivery as it was
/// read, so a stale page is told that someone else acted first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    pub stage: DeliveryStage,
    pub scheduled_at: i64,
}

/// One step of an appointment: the action, the proposed time (for 另约时间) and the delivery as
/// the page showed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub action: DeliveryAction,
    pub scheduled_at: Option<i64>,
    pub seen: Seen,
}

/// A step of the appointment by `side`: propose a time, confirm the other side's, or (the bank)
/// record the delivery. `at` is when (now when `None`).
pub async fn step(
    db: &Db,
    side: Side,
    actor: Option<UserId>,
    id: DeliveryId,
    step: Step,
    at: Option<i64>,
) -> AppResult<DeliveryRow> {
    let Step { action, scheduled_at, seen } = step;
    let at = at.unwrap_or_else(now);
    let mut tx = db.begin_write().await?;
    let row = delivery_in(&mut tx, id).await?.filter(|d| side.owns(d)).ok_or_else(not_found)?;
    let stage = row.stage()?;
    if stage != seen.stage || row.scheduled_at != seen.scheduled_at {
        return Err(taken());
    }
    let next = check_delivery(stage, action, side.role(), scheduled_at).map_err(refused)?;
    let (old_code, old_by) = stage.code();
    let (code, by) = next.code();
    let new_time =
        if action == DeliveryAction::ProposeTime { scheduled_at.unwrap_or(row.scheduled_at) } else { row.scheduled_at };
    let done = sqlx::query(
        "UPDATE card_deliveries SET stage = $1, proposed_by = $2, scheduled_at = $3, \
         delivered_at = CASE WHEN $1 = 'delivered' THEN $4 ELSE delivered_at END \
         WHERE id = $5 AND stage = $6 AND COALESCE(proposed_by, '') = $7 AND scheduled_at = $8",
    )
    .bind(code)
    .bind(by)
    .bind(new_time)
    .bind(at)
    .bind(id)
    .bind(old_code)
    .bind(old_by.map(Role::as_str).unwrap_or(""))
    .bind(row.scheduled_at)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if done != 1 {
        return Err(taken());
    }
    record_step(
        &mut tx,
        id,
        action.as_str(),
        side.role(),
        actor,
        (action == DeliveryAction::ProposeTime).then_some(new_time),
        at,
    )
    .await?;
    let row = delivery_in(&mut tx, id).await?.ok_or(AppError::Internal)?;
    tx.commit().await?;
    Ok(row)
}

/// The union signs for a delivered delivery, counting `count` cards: they move to 待发放 and the
/// five working days to hand them out start on the signing day. `at` is when (now when `None`).
pub async fn sign(
    db: &Db,
    union: UnionId,
    actor: Option<UserId>,
    id: DeliveryId,
    count: i64,
    at: Option<i64>,
) -> AppResult<DeliveryRow> {
    let at = at.unwrap_or_else(now);
    let mut tx = db.begin_write().await?;
    let row = delivery_in(&mut tx, id).await?.filter(|d| d.union_id == union).ok_or_else(not_found)?;
    match row.stage()? {
        DeliveryStage::Delivered => {}
        DeliveryStage::Signed => return Err(taken()),
        other => {
            return Err(AppError::refused(
                "not_delivered",
                format!("这次送卡当前为“{}”，银行登记送达后才能签收。", other.label()),
            ))
        }
    }
    if count != row.cards {
        return Err(AppError::invalid(
            "count",
            format!(
                "签收数量（{count} 张）与银行送达的数量（{} 张）不一致，请清点后再签收；如有短缺请联系对接银行。",
                row.cards
            ),
        ));
    }
    let mv = Move {
        union,
        selection: Selection::Delivery(id),
        from: CardState::AwaitingDelivery,
        to: CardState::AwaitingDistribution,
        actor,
        reason: Some("签收"),
        into_batch: None,
        at: Some(at),
        card: CardChange::Nothing,
    };
    let moved = cards::move_rows(&mut tx, db.backend, &mv).await?;
    let signed_on = Date::of_timestamp(at).ok_or(AppError::Internal)?.to_string();
    let done = sqlx::query(
        "UPDATE card_deliveries SET stage = 'signed', signed_on = $1, signed_at = $2, signed_by = $3, outstanding = $4 \
         WHERE id = $5 AND stage = 'delivered'",
    )
    .bind(&signed_on)
    .bind(at)
    .bind(actor)
    .bind(moved.len() as i64)
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if done != 1 {
        return Err(taken());
    }
    record_step(&mut tx, id, "sign_for", Role::Union, actor, None, at).await?;
    let row = delivery_in(&mut tx, id).await?.ok_or(AppError::Internal)?;
    tx.commit().await?;
    Ok(row)
}

/// Which of a union's signed-for cards the clerk hands out.
#[derive(Debug, Clone, Copy)]
pub enum HandOut<'a> {
    Members(&'a [MemberId]),
    Department(&'a str),
    Delivery(DeliveryId),
}

/// The union hands cards to their members (待发放 to 已发放); each delivery's count of cards to
/// hand out goes down with them. Answers how many were handed out.
pub async fn hand_out(
    db: &Db,
    union: UnionId,
    actor: Option<UserId>,
    which: HandOut<'_>,
    at: Option<i64>,
) -> AppResult<usize> {
    // read before the write transaction: it would otherwise wait for a second connection
    let cal = super::calendar::load(db).await?;
    let mut tx = db.begin_write().await?;
    let moved = hand_out_in(&mut tx, db, &cal, union, actor, which, at).await?;
    tx.commit().await?;
    Ok(moved)
}

async fn hand_out_in(
    tx: &mut Tx,
    db: &Db,
    cal: &crate::domain::calendar::Calendar,
    union: UnionId,
    actor: Option<UserId>,
    which: HandOut<'_>,
    at: Option<i64>,
) -> AppResult<usize> {
    let selection = match which {
        HandOut::Members(ids) => Selection::Members(ids),
        HandOut::Department(d) => Selection::Department(d),
        HandOut::Delivery(d) => Selection::Delivery(d),
    };
    let mv = Move {
        union,
        selection,
        from: CardState::AwaitingDistribution,
        to: CardState::Distributed,
        actor,
        reason: None,
        into_batch: None,
        at,
        card: CardChange::Nothing,
    };
    let moved = cards::move_rows(tx, db.backend, &mv).await?;
    let mut per_delivery: BTreeMap<DeliveryId, i64> = BTreeMap::new();
    for m in &moved {
        if let Some(d) = m.delivery_id {
            *per_delivery.entry(d).or_default() += 1;
        }
    }
    let day = Date::of_timestamp(at.unwrap_or_else(now)).ok_or(AppError::Internal)?;
    let mut per_timeliness: BTreeMap<&'static str, i64> = BTreeMap::new();
    for (d, n) in per_delivery {
        let signed: Option<String> = sqlx::query_scalar(
            "UPDATE card_deliveries SET outstanding = outstanding - $1 WHERE id = $2 RETURNING signed_on",
        )
        .bind(n)
        .bind(d)
        .fetch_one(&mut **tx)
        .await?;
        let timeliness = match signed.as_deref().and_then(Date::parse) {
            Some(signed) => cal.timeliness(signed, day),
            None => Timeliness::Undetermined,
        };
        *per_timeliness.entry(timeliness.as_str()).or_default() += n;
    }
    let outside = moved.iter().filter(|m| m.delivery_id.is_none()).count() as i64;
    if outside > 0 {
        *per_timeliness.entry(Timeliness::Undetermined.as_str()).or_default() += outside;
    }
    for (timeliness, n) in per_timeliness {
        bump_kept(tx, HANDOUT_COUNTS, union, timeliness, n).await?;
    }
    Ok(moved.len())
}

/// The kept count of each union's cards handed out, by whether within the five working days.
pub const HANDOUT_COUNTS: KeptCount = KeptCount { table: "handout_counts", column: "timeliness" };

/// A made card: the member and its number's last four digits.
#[derive(Debug, Clone)]
pub struct MadeCard {
    pub member: MemberId,
    pub tail: String,
}

/// The bank records cards of one of its batches made. Answers how many moved; cards no longer
/// in 制卡中 (recorded by someone else) are left alone.
pub async fn mark_made(
    db: &Db,
    bank: BankId,
    actor: Option<UserId>,
    batch: BatchId,
    made: &[MadeCard],
    at: Option<i64>,
) -> AppResult<usize> {
    let row = super::batches::of_bank_one(db, bank, batch).await?;
    let mut tx = db.begin_write().await?;
    let mut moved = 0;
    for card in made {
        let ids = [card.member];
        let reason = format!("卡号后四位 {}", card.tail);
        let mv = Move {
            union: row.union_id,
            selection: Selection::BatchMembers(batch, &ids),
            from: CardState::InProduction,
            to: CardState::AwaitingDelivery,
            actor,
            reason: Some(&reason),
            into_batch: None,
            at,
            card: CardChange::Made(&card.tail),
        };
        moved += cards::move_rows(&mut tx, db.backend, &mv).await?.len();
    }
    tx.commit().await?;
    Ok(moved)
}

/// A card the bank looks after: the member's record (in full: the bank checks it against the
/// member's papers at activation) with its card.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BankCardRow {
    pub id: MemberId,
    pub union_id: UnionId,
    pub union_name: String,
    pub name: String,
    pub id_type: String,
    pub id_number: String,
    pub phone: String,
    pub department: Option<String>,
    pub card_state: CardState,
    pub card_tail: Option<String>,
    pub batch_id: Option<BatchId>,
    pub delivery_id: Option<DeliveryId>,
}

const BANK_CARD_COLUMNS: &str = "m.id, m.union_id, u.name AS union_name, m.name, m.id_type, m.id_number, m.phone, \
                                 m.department, c.state AS card_state, c.card_tail, c.batch_id, c.delivery_id";

/// One card of a union the bank serves.
pub async fn bank_card(db: &Db, bank: BankId, member: MemberId) -> AppResult<BankCardRow> {
    let row: Option<BankCardRow> = sqlx::query_as(&format!(
        "SELECT {BANK_CARD_COLUMNS} FROM {MEMBERS_WITH_CARDS} JOIN unions u ON u.id = m.union_id JOIN bank_branches b ON b.code = u.pickup_branch \
         WHERE m.id = $1 AND b.bank_id = $2"
    ))
    .bind(member)
    .bind(bank)
    .fetch_optional(&db.pool)
    .await?;
    row.ok_or_else(|| AppError::refused("card_not_found", "没有找到该会员的会员服务卡，或该会员不在本行网点领卡。"))
}

/// Cards of the bank's unions in `state`, by exact ID number when `id_number` is given, a page at
/// a time, by union and member; with the total. Without a search the kept counts say which
/// unions hold the page's cards, and only those unions' cards are read: no scan over the bank's
/// cards, however many the city has.
pub async fn bank_cards(
    db: &Db,
    bank: BankId,
    state: CardState,
    id_number: &str,
    limit: i64,
    offset: i64,
) -> AppResult<(Vec<BankCardRow>, i64)> {
    let id_number = id_number.trim();
    let from = format!("FROM {MEMBERS_WITH_CARDS} JOIN unions u ON u.id = m.union_id");
    if !id_number.is_empty() {
        let rows: Vec<BankCardRow> = sqlx::query_as(&format!(
            "SELECT {BANK_CARD_COLUMNS} {from} JOIN bank_branches b ON b.code = u.pickup_branch \
             WHERE b.bank_id = $1 AND c.state = $2 AND m.id_number = $3"
        ))
        .bind(bank)
        .bind(state)
        .bind(id_number.to_uppercase())
        .fetch_all(&db.pool)
        .await?;
        let n = rows.len() as i64;
        return Ok((rows, n));
    }
    let held: Vec<(UnionId, i64)> = sqlx::query_as(
        "SELECT k.union_id, k.n FROM card_counts k JOIN unions u ON u.id = k.union_id \
         JOIN bank_branches b ON b.code = u.pickup_branch \
         WHERE b.bank_id = $1 AND k.state = $2 AND k.n > 0 ORDER BY k.union_id",
    )
    .bind(bank)
    .bind(state)
    .fetch_all(&db.pool)
    .await?;
    let total = held.iter().map(|(_, n)| n).sum();
    let (mut skip, mut rows) = (offset.max(0), Vec::new());
    for (union, n) in held {
        let want = limit - rows.len() as i64;
        if want <= 0 {
            break;
        }
        if skip >= n {
            skip -= n;
            continue;
        }
        let page: Vec<BankCardRow> = sqlx::query_as(&format!(
            "SELECT {BANK_CARD_COLUMNS} {from} WHERE c.union_id = $1 AND c.state = $2 \
             ORDER BY c.member_id LIMIT $3 OFFSET $4"
        ))
        .bind(union)
        .bind(state)
        .bind(want)
        .bind(skip)
        .fetch_all(&db.pool)
        .await?;
        skip = 0;
        rows.extend(page);
    }
    Ok((rows, total))
}

/// How a card was activated.
#[derive(Debug, Clone)]
pub enum Activation<'a> {
    /// On site at the union, at the agreed time.
    OnSite { at: i64 },
    /// At one of the bank's branches.
    AtBranch { branch: &'a str },
}

/// The bank records cards of one union activated. Answers how many moved.
pub async fn activate(
    db: &Db,
    bank: BankId,
    actor: Option<UserId>,
    union: UnionId,
    members: &[MemberId],
    how: &Activation<'_>,
    reason: &str,
) -> AppResult<usize> {
    if !serves(db, bank, union).await? {
        return Err(AppError::refused("union_not_served", "该工会不在本行网点领卡。"));
    }
    // what is recorded has happened (the desk and the bank's API alike): a few minutes' grace
    // for a clock that runs behind
    if let Activation::OnSite { at } = how {
        if *at > now() + 5 * 60 {
            return Err(AppError::invalid("at", "激活时间不能晚于现在，请填写会员实际激活的时间。"));
        }
    }
    if let Activation::AtBranch { branch } = how {
        let ours: Option<i64> = sqlx::query_scalar("SELECT 1 FROM bank_branches WHERE code = $1 AND bank_id = $2")
            .bind(branch)
            .bind(bank)
            .fetch_optional(&db.pool)
            .await?;
        if ours.is_none() {
            return Err(AppError::invalid("branch", "请选择本行的网点。"));
        }
    }
    let mut tx = db.begin_write().await?;
    let mv = Move {
        union,
        selection: Selection::Members(members),
        from: CardState::Distributed,
        to: CardState::Activated,
        actor,
        reason: Some(reason),
        into_batch: None,
        at: match how {
            Activation::OnSite { at } => Some(*at),
            Activation::AtBranch { .. } => None,
        },
        card: CardChange::Nothing,
    };
    let moved = cards::move_rows(&mut tx, db.backend, &mv).await?.len();
    tx.commit().await?;
    Ok(moved)
}

/// The bank recalls a card with a wrong face (the old card void) and makes it again: back to
/// 制卡中, without its number or delivery. A card recalled before it was handed out leaves its
/// delivery's count of cards to hand out.
pub async fn remake(
    db: &Db,
    bank: BankId,
    actor: Option<UserId>,
    member: MemberId,
    seen: CardState,
    why: &str,
) -> AppResult<()> {
    // the lifecycle's own rule: only a card handed to the union or its member is recalled
    let input = CardMove { text: Some(why.to_string()), ..CardMove::default() };
    check(seen, CardAction::Remake, Role::Bank, &input).map_err(|r| match r.field() {
        Some(field) => AppError::invalid(field, r.message()),
        None => AppError::refused(r.code(), r.message()),
    })?;
    let card = bank_card(db, bank, member).await?;
    if card.card_state != seen {
        return Err(AppError::conflict("card_moved", "已被他人处理：该会员服务卡的状态已经变了，请刷新后查看。"));
    }
    let mut tx = db.begin_write().await?;
    let ids = [member];
    let mv = Move {
        union: card.union_id,
        selection: Selection::Members(&ids),
        from: seen,
        to: CardState::InProduction,
        actor,
        reason: Some(why),
        into_batch: None,
        at: None,
        card: CardChange::Void,
    };
    let moved = cards::move_rows(&mut tx, db.backend, &mv).await?;
    if moved.is_empty() {
        return Err(AppError::conflict("card_moved", "已被他人处理：该会员服务卡的状态已经变了，请刷新后查看。"));
    }
    if seen == CardState::AwaitingDistribution {
        if let Some(d) = card.delivery_id {
            sqlx::query("UPDATE card_deliveries SET outstanding = outstanding - 1 WHERE id = $1")
                .bind(d)
                .execute(&mut *tx)
                .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// The fields the bank may correct at activation, against the member's papers.
pub const CORRECTABLE: [&str; 3] = ["name", "id_number", "phone"];

/// A member's name, ID number and phone as the bank read them from the member's papers.
#[derive(Debug, Clone)]
pub struct Correction {
    pub name: String,
    pub id_number: String,
    pub phone: String,
}

/// The bank corrects a member's name, ID number or phone at activation (the card 已发放): the
/// template's validation applies, the change is audited, and the union sees each changed field.
/// Answers the labels of the fields changed; the same values again are refused as
/// `nothing_changed`.
pub async fn correct(
    db: &Db,
    bank: BankId,
    actor: Option<UserId>,
    member: MemberId,
    fix: Correction,
) -> AppResult<Vec<String>> {
    use super::{audit, db::OnUnique, imports::today, members};
    use crate::domain::{
        member::{field_label as label, MemberInput, StoredMember},
        FieldError,
    };
    let card = bank_card(db, bank, member).await?;
    if card.card_state != CardState::Distributed {
        return Err(AppError::refused("not_distributed", "只有已发放、尚未激活的会员服务卡才能在激活时更正会员信息。"));
    }
    let row = members::own(db, card.union_id, member).await?;
    let before = row.input()?;
    let input = MemberInput { name: fix.name, id_number: fix.id_number, phone: fix.phone, ..before.clone() };
    let (record, _) = input.parse(&today()).map_err(|errors| {
        // the fields the bank corrects: a mistyped ID also makes 国家/地区 required by the
        // template's rule, which the bank cannot fill in here; its own error is the one to show
        let (ours, rest): (Vec<_>, Vec<_>) = errors.into_iter().partition(|e| CORRECTABLE.contains(&e.field.as_str()));
        let shown = if ours.is_empty() { rest } else { ours };
        AppError::Invalid {
            errors: shown.into_iter().map(|e| FieldError { field: e.field, message: e.message }).collect(),
        }
    })?;
    if members::id_number_holder(db, &record.id_number, member).await?.is_some() {
        return Err(AppError::invalid("id_number", "该证件号码已存在！"));
    }
    let stored = StoredMember::from(&record);
    let after = record.to_input();
    let changes: Vec<(&str, String, String)> = CORRECTABLE
        .iter()
        .filter(|f| before.get(f) != after.get(f))
        .map(|f| (*f, before.get(f).to_string(), after.get(f).to_string()))
        .collect();
    if changes.is_empty() {
        return Err(AppError::refused("nothing_changed", "信息与原记录相同，无需更正。"));
    }
    let labels: Vec<String> = changes.iter().map(|(f, _, _)| label(f).to_string()).collect();
    let mut tx = db.begin_write().await?;
    let written = members::correct(&mut tx, db.backend, &row, &stored, &changes, actor)
        .await
        .on_unique(|| AppError::invalid("id_number", "该证件号码已存在！"))?;
    if !written {
        return Err(AppError::conflict("card_moved", "已被他人处理：该会员服务卡的状态已经变了，请刷新后查看。"));
    }
    audit::record(&mut *tx, actor, "member_corrected", &format!("member:{member}"), &labels.join("、")).await?;
    tx.commit().await?;
    Ok(labels)
}
