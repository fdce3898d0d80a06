//! The one writer of card state. Every change of the `cards` table — a member's card created
//! with the member (import, demo data), removed with it, and every move of the lifecycle — goes
//! through here and writes, in the caller's transaction, the state, its event row and the kept
//! per-union counts (`card_counts`). A move is a compare-and-set on the state it was read in, so two people
//! making the same move apply it once. Pages read the counts, never a count over members.

use std::collections::HashMap;

use super::{
    db::{bump_kept, now, Backend, Db, KeptCount, Tx},
    members,
};
use crate::{
    domain::{
        calendar::Date,
        card::CardState,
        ids::{BatchId, DeliveryId, MemberId, UnionId, UserId},
        member::StoredMember,
        tally::Tally,
    },
    error::{AppError, AppResult},
};

/// Members (`m`) with their cards (`c`): every member has one, keyed by union and member.
pub const MEMBERS_WITH_CARDS: &str = "members m JOIN cards c ON c.union_id = m.union_id AND c.member_id = m.id";

/// The kept count of each union's cards per state.
pub const CARD_COUNTS: KeptCount = KeptCount { table: "card_counts", column: "state" };

/// The kept tallies of each union (`domain::tally`): applications and activations per week,
/// rejection reasons, import errors.
pub const TALLIES: KeptCount = KeptCount { table: "tallies", column: "tally" };

/// Adds `n` to `union`'s tally `t`, in the caller's transaction.
pub async fn tally(tx: &mut Tx, union: UnionId, t: &Tally, n: i64) -> Result<(), sqlx::Error> {
    bump_kept(tx, TALLIES, union, &t.key(), n).await
}

/// Moves the kept count of `union`'s cards in `state` by `delta` (see [`bump_kept`]).
async fn bump(tx: &mut Tx, union: UnionId, state: CardState, delta: i64) -> Result<(), sqlx::Error> {
    bump_kept(tx, CARD_COUNTS, union, state.as_str(), delta).await
}

/// Creates members of `union` with their cards in 未办卡 (`import_id` names the upload they came
/// from), counted. A unique violation (an ID already on record) comes back as it is, for the
/// caller to explain.
pub async fn enroll(
    tx: &mut Tx,
    backend: Backend,
    union: UnionId,
    import_id: Option<&str>,
    records: &[StoredMember],
) -> Result<(), sqlx::Error> {
    members::insert(tx, backend, union, import_id, records).await?;
    bump(tx, union, CardState::Pending, records.len() as i64).await
}

/// Which of a union's cards a move is for.
#[derive(Debug, Clone, Copy)]
pub enum Selection<'a> {
    /// These members (ids of other unions match nothing).
    Members(&'a [MemberId]),
    /// Every card of the union in the move's `from` state.
    All,
    /// Every card of the union in the move's `from` state that belongs to this batch.
    Batch(BatchId),
    /// These members, where they belong to this batch.
    BatchMembers(BatchId, &'a [MemberId]),
    /// Every card of the union in the move's `from` state that this delivery holds.
    Delivery(DeliveryId),
    /// Every card of the union in the move's `from` state of members in this department.
    Department(&'a str),
}

/// What a move records about the card itself besides its state.
#[derive(Debug, Clone, Copy, Default)]
pub enum CardChange<'a> {
    #[default]
    Nothing,
    /// The card made, with its number's last four digits: a new card, in no delivery yet.
    Made(&'a str),
    /// The card void (recalled to be made again): it loses its number and its delivery.
    Void,
}

/// One move of the lifecycle for some of a union's cards.
#[derive(Debug, Clone)]
pub struct Move<'a> {
    pub union: UnionId,
    pub selection: Selection<'a>,
    /// The state the cards were read in: only cards still in it move.
    pub from: CardState,
    pub to: CardState,
    pub actor: Option<UserId>,
    pub reason: Option<&'a str>,
    /// The batch the cards now belong to (a batch application), recorded on the cards and events.
    pub into_batch: Option<BatchId>,
    /// When the move happened (seconds since the epoch); `None` is now.
    pub at: Option<i64>,
    pub card: CardChange<'a>,
}

/// A card a move moved, with the batch and delivery it belongs to after the move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, sqlx::FromRow)]
pub struct Moved {
    pub id: MemberId,
    pub batch_id: Option<BatchId>,
    pub delivery_id: Option<DeliveryId>,
}

/// `column IN (…)` over a JSON array of ids bound as one parameter: one statement for any number.
pub(super) fn ids_in(backend: Backend, column: &str, param: usize) -> String {
    match backend {
        Backend::Sqlite => format!("{column} IN (SELECT value FROM json_each(${param}))"),
        Backend::Postgres => format!("{column} IN (SELECT jsonb_array_elements_text(${param}::jsonb)::bigint)"),
    }
}

pub(super) fn json_ids(ids: &[MemberId]) -> String {
    serde_json::to_string(&ids.iter().map(|m| m.0).collect::<Vec<_>>()).expect("numbers serialise")
}

/// Applies `mv` to those of its cards that are still in `mv.from`, with an event row for each,
/// and returns the ids that moved. Cards moved by someone else meanwhile are left alone: the
/// caller compares the answer with what it asked for. A move the lifecycle does not allow is
/// refused before anything is written.
pub async fn move_cards(tx: &mut Tx, backend: Backend, mv: &Move<'_>) -> AppResult<Vec<MemberId>> {
    Ok(move_rows(tx, backend, mv).await?.into_iter().map(|m| m.id).collect())
}

/// [`move_cards`], answering with the batch and delivery of each card moved.
pub async fn move_rows(tx: &mut Tx, backend: Backend, mv: &Move<'_>) -> AppResult<Vec<Moved>> {
    if !mv.from.can_move_to(mv.to) {
        return Err(AppError::refused(
            "card_move_not_allowed",
            format!("会员服务卡不能从“{}”变为“{}”。", mv.from.label(), mv.to.label()),
        ));
    }
    let at = mv.at.unwrap_or_else(now);
    // $1..$7 are fixed; a selection's own parameters follow
    let (which, list) = match mv.selection {
        Selection::Members([]) | Selection::BatchMembers(_, []) => return Ok(Vec::new()),
        Selection::Members(ids) => (format!(" AND {}", ids_in(backend, "member_id", 8)), Some(json_ids(ids))),
        Selection::All => (String::new(), None),
        Selection::Batch(_) => (" AND batch_id = $8".to_string(), None),
        Selection::BatchMembers(_, ids) => {
            (format!(" AND batch_id = $8 AND {}", ids_in(backend, "member_id", 9)), Some(json_ids(ids)))
        }
        Selection::Delivery(_) => (" AND delivery_id = $8".to_string(), None),
        Selection::Department(_) => {
            (" AND member_id IN (SELECT id FROM members WHERE union_id = $3 AND department = $8)".to_string(), None)
        }
    };
    let (tail, void) = match mv.card {
        CardChange::Nothing => (None, false),
        CardChange::Made(tail) => (Some(tail), false),
        CardChange::Void => (None, true),
    };
    // a card going back into production is made again: it holds no card number and belongs to
    // no delivery, whichever way it got there
    let void = void || mv.to == CardState::InProduction;
    let update = format!(
        "UPDATE cards SET state = $1, updated_at = $2, batch_id = COALESCE($5, batch_id), \
         card_tail = CASE WHEN $7 THEN NULL ELSE COALESCE($6, card_tail) END, \
         delivery_id = CASE WHEN $7 OR $6 IS NOT NULL THEN NULL ELSE delivery_id END \
         WHERE union_id = $3 AND state = $4{which} RETURNING member_id AS id, batch_id, delivery_id"
    );
    // the actor and reason (PostgreSQL's events) follow the selection's parameters
    let actor = 8 + match mv.selection {
        Selection::All => 0,
        Selection::BatchMembers(..) => 2,
        _ => 1,
    };
    let events =
        "INSERT INTO card_events (member_id, from_state, to_state, actor_id, reason, at, batch_id, delivery_id)";
    let sql = match backend {
        // one statement: the events from the rows the UPDATE changed, without sending them here
        // and back (100,000 rows of a batch)
        Backend::Postgres => format!(
            "WITH moved AS ({update}), \
             logged AS ({events} SELECT id, $4, $1, ${actor}, ${}, $2, batch_id, delivery_id \
                         FROM moved ORDER BY id) \
             SELECT id, batch_id, delivery_id FROM moved",
            actor + 1
        ),
        Backend::Sqlite => update,
    };
    let mut q = sqlx::query_as::<_, Moved>(&sql).bind(mv.to).bind(at).bind(mv.union).bind(mv.from);
    q = q.bind(mv.into_batch).bind(tail).bind(void);
    q = match (mv.selection, &list) {
        (Selection::Batch(batch), _) => q.bind(batch),
        (Selection::BatchMembers(batch, _), Some(list)) => q.bind(batch).bind(list.clone()),
        (Selection::Delivery(delivery), _) => q.bind(delivery),
        (Selection::Department(department), _) => q.bind(department.to_string()),
        (_, Some(list)) => q.bind(list.clone()),
        _ => q,
    };
    if backend == Backend::Postgres {
        q = q.bind(mv.actor).bind(mv.reason);
    }
    let mut rows = q.fetch_all(&mut **tx).await?;
    rows.sort();
    if backend == Backend::Sqlite && !rows.is_empty() {
        // the events from what the UPDATE returned ([id, batch, delivery] in one parameter),
        // without reading the cards again
        let triples = serde_json::to_string(
            &rows.iter().map(|m| (m.id.0, m.batch_id.map(|b| b.0), m.delivery_id.map(|d| d.0))).collect::<Vec<_>>(),
        )
        .expect("numbers serialise");
        sqlx::query(&format!(
            "{events} SELECT value->>0, $1, $2, $3, $4, $5, value->>1, value->>2 FROM json_each($6) ORDER BY key"
        ))
        .bind(mv.from)
        .bind(mv.to)
        .bind(mv.actor)
        .bind(mv.reason)
        .bind(at)
        .bind(triples)
        .execute(&mut **tx)
        .await?;
    }
    if matches!(mv.card, CardChange::Void) {
        // the card the member answered for is void: their answer goes with it
        let ids: Vec<MemberId> = rows.iter().map(|m| m.id).collect();
        super::member_portal::forget_receipts(tx, backend, mv.union, &ids).await?;
    }
    let n = rows.len() as i64;
    bump(tx, mv.union, mv.from, -n).await?;
    bump(tx, mv.union, mv.to, n).await?;
    // applications and activations, by the week they happened in
    let day = Date::of_timestamp(at).ok_or(AppError::Internal)?;
    let week = match mv.to {
        CardState::Submitted => Some(Tally::applied_on(day)),
        CardState::Activated => Some(Tally::activated_on(day)),
        _ => None,
    };
    if let Some(t) = week.filter(|_| n > 0) {
        tally(tx, mv.union, &t, n).await?;
    }
    Ok(rows)
}

/// Puts every made card of `union` that no delivery holds yet (待送卡) into `delivery`, which the
/// caller has just opened; answers how many. The cards stay in their state: a delivery is where
/// they go, not a move.
pub async fn assign_delivery(tx: &mut Tx, union: UnionId, delivery: DeliveryId) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE cards SET delivery_id = $1 WHERE union_id = $2 AND state = 'awaiting_delivery' AND delivery_id IS NULL",
    )
    .bind(delivery)
    .bind(union)
    .execute(&mut **tx)
    .await?
    .rows_affected())
}

/// Removes a member of `union` whose card is not under way (未办卡—待办卡 or 待处理), with its
/// card and the card's history, in the caller's transaction. The state is checked by the DELETE
/// of the card itself, so a card moved since the page was read is not deleted with its member:
/// `None` then, or when there is no such member of this union.
pub async fn remove_member(tx: &mut Tx, union: UnionId, id: MemberId) -> Result<Option<CardState>, sqlx::Error> {
    let state: Option<CardState> = sqlx::query_scalar(
        "DELETE FROM cards WHERE union_id = $1 AND member_id = $2 AND state IN ('pending', 'rejected') RETURNING state",
    )
    .bind(union)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(state) = state else { return Ok(None) };
    sqlx::query("UPDATE users SET member_id = NULL WHERE member_id = $1").bind(id).execute(&mut **tx).await?;
    sqlx::query("DELETE FROM card_events WHERE member_id = $1").bind(id).execute(&mut **tx).await?;
    sqlx::query("DELETE FROM members WHERE id = $1 AND union_id = $2").bind(id).bind(union).execute(&mut **tx).await?;
    bump(tx, union, state, -1).await?;
    Ok(Some(state))
}

/// How many cards are in each state, every state listed (0 where none).
pub type StateCounts = Vec<(CardState, i64)>;

fn every_state(rows: Vec<(CardState, i64)>) -> StateCounts {
    CardState::ALL.into_iter().map(|s| (s, rows.iter().filter(|(r, _)| *r == s).map(|(_, n)| *n).sum())).collect()
}

/// The union's cards by state.
pub async fn counts_of_union(db: &Db, union: UnionId) -> Result<StateCounts, sqlx::Error> {
    let rows =
        sqlx::query_as("SELECT state, n FROM card_counts WHERE union_id = $1").bind(union).fetch_all(&db.pool).await?;
    Ok(every_state(rows))
}

/// The union's members in `state`, or all of them.
pub async fn count_of(db: &Db, union: UnionId, state: Option<CardState>) -> Result<i64, sqlx::Error> {
    let counts = counts_of_union(db, union).await?;
    Ok(counts.iter().filter(|(s, _)| state.is_none_or(|x| x == *s)).map(|(_, n)| n).sum())
}

/// The cards of the unions that collect at one of the bank's branches, by state.
pub async fn counts_of_bank(db: &Db, bank: crate::domain::ids::BankId) -> Result<StateCounts, sqlx::Error> {
    let rows: Vec<(CardState, i64)> = sqlx::query_as(
        "SELECT c.state, CAST(SUM(c.n) AS BIGINT) FROM card_counts c JOIN unions u ON u.id = c.union_id \
         JOIN bank_branches b ON b.code = u.pickup_branch WHERE b.bank_id = $1 GROUP BY c.state",
    )
    .bind(bank)
    .fetch_all(&db.pool)
    .await?;
    Ok(every_state(rows))
}

/// A card's moves, oldest first: (to, at, reason).
pub async fn events(db: &Db, member: MemberId) -> Result<Vec<(CardState, i64, Option<String>)>, sqlx::Error> {
    sqlx::query_as("SELECT to_state, at, reason FROM card_events WHERE member_id = $1 ORDER BY at, id")
        .bind(member)
        .fetch_all(&db.pool)
        .await
}

/// The member's latest card event (by when it was recorded): the state it led to and its reason.
pub async fn latest_event(db: &Db, member: MemberId) -> Result<Option<(CardState, Option<String>)>, sqlx::Error> {
    sqlx::query_as("SELECT to_state, reason FROM card_events WHERE member_id = $1 ORDER BY id DESC LIMIT 1")
        .bind(member)
        .fetch_optional(&db.pool)
        .await
}

/// Replaces every kept count with a recount of the cards table, in one transaction: for data
/// loaded in bulk past the writer (the city-sized benchmark), never for the application's own.
pub async fn recount(db: &Db) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM card_counts").execute(&mut *tx).await?;
    sqlx::query(
        "INSERT INTO card_counts (union_id, state, n) \
         SELECT union_id, state, COUNT(*) FROM cards GROUP BY union_id, state",
    )
    .execute(&mut *tx)
    .await?;
    super::subtree::rebuild(&mut tx).await?;
    tx.commit().await
}

/// A kept count that differs from a recount of the cards table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountDifference {
    pub union: UnionId,
    pub union_name: String,
    pub state: CardState,
    pub kept: i64,
    pub counted: i64,
}

/// Members without a card and cards without a member (ids, at most `limit` of each): there should
/// be none, as the writer creates and removes the two together; the database does not check it.
pub async fn unpaired(db: &Db, limit: i64) -> Result<(Vec<MemberId>, Vec<MemberId>), sqlx::Error> {
    let lonely_members = sqlx::query_scalar(
        "SELECT m.id FROM members m WHERE NOT EXISTS \
         (SELECT 1 FROM cards c WHERE c.union_id = m.union_id AND c.member_id = m.id) ORDER BY m.id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    let lonely_cards = sqlx::query_scalar(
        "SELECT c.member_id FROM cards c WHERE NOT EXISTS \
         (SELECT 1 FROM members m WHERE m.union_id = c.union_id AND m.id = c.member_id) ORDER BY c.member_id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    Ok((lonely_members, lonely_cards))
}

/// Recounts every union's cards by state and lists where the kept counts differ.
pub async fn check_counts(db: &Db) -> Result<Vec<CountDifference>, sqlx::Error> {
    let counted: Vec<(UnionId, CardState, i64)> =
        sqlx::query_as("SELECT union_id, state, COUNT(*) FROM cards GROUP BY union_id, state")
            .fetch_all(&db.pool)
            .await?;
    let kept: Vec<(UnionId, CardState, i64)> =
        sqlx::query_as("SELECT union_id, state, n FROM card_counts WHERE n <> 0").fetch_all(&db.pool).await?;
    let names: HashMap<UnionId, String> =
        sqlx::query_as("SELECT id, name FROM unions").fetch_all(&db.pool).await?.into_iter().collect();
    let index = |rows: Vec<(UnionId, CardState, i64)>| -> HashMap<(UnionId, CardState), i64> {
        rows.into_iter().map(|(u, s, n)| ((u, s), n)).collect()
    };
    let (counted, kept) = (index(counted), index(kept));
    let mut keys: Vec<(UnionId, CardState)> = counted.keys().chain(kept.keys()).copied().collect();
    keys.sort_by_key(|(u, s)| (*u, *s as u8));
    keys.dedup();
    Ok(keys
        .into_iter()
        .filter_map(|key| {
            let (k, c) = (kept.get(&key).copied().unwrap_or(0), counted.get(&key).copied().unwrap_or(0));
            (k != c).then(|| CountDifference {
                union: key.0,
                union_name: names.get(&key.0).cloned().unwrap_or_default(),
                state: key.1,
                kept: k,
                counted: c,
            })
        })
        .collect())
}
