//! The union tree and a union's own information.

use super::db::{now, Backend, Db, KeptCount, Tx};
use crate::domain::{
    ids::UnionId,
    role::UnionLevel,
    union_info::{UnionInfo, UnionInfoForm},
};

/// A union's place in the tree. `path` is `/1/2/7/`: the ids from the root down.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UnionNode {
    pub id: UnionId,
    pub parent_id: Option<UnionId>,
    pub level: UnionLevel,
    pub name: String,
    pub path: String,
}

/// The columns a `UnionNode` is read from.
pub const NODE_COLUMNS: &str = "id, parent_id, level, name, path";

impl UnionNode {
    /// Bounds of `path` for "this union and everything below it": paths sort so that a
    /// subtree is one contiguous range, which both engines answer from the index.
    pub fn subtree_range(&self) -> (String, String) {
        subtree_range(&self.path)
    }

    pub fn contains(&self, other: &UnionNode) -> bool {
        other.path.starts_with(&self.path)
    }
}

pub fn subtree_range(path: &str) -> (String, String) {
    let upper = format!("{}0", path.trim_end_matches('/'));
    (path.to_string(), upper)
}

pub async fn node(db: &Db, id: UnionId) -> Result<Option<UnionNode>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {NODE_COLUMNS} FROM unions WHERE id = $1")).bind(id).fetch_optional(&db.pool).await
}

/// The union registered under exactly this name.
pub async fn by_name(db: &Db, name: &str) -> Result<Option<UnionNode>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {NODE_COLUMNS} FROM unions WHERE name = $1"))
        .bind(name)
        .fetch_optional(&db.pool)
        .await
}

/// The same, inside a transaction.
pub async fn node_in(tx: &mut Tx, id: UnionId) -> Result<UnionNode, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {NODE_COLUMNS} FROM unions WHERE id = $1")).bind(id).fetch_one(&mut **tx).await
}

/// The unions directly below `parent`, by name (at most `limit`).
pub async fn children(db: &Db, parent: UnionId, limit: i64) -> Result<Vec<UnionNode>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {NODE_COLUMNS} FROM unions WHERE parent_id = $1 ORDER BY name LIMIT $2"))
        .bind(parent)
        .bind(limit)
        .fetch_all(&db.pool)
        .await
}

/// A grassroots union whose unit and union information is complete (the bank branch to
/// collect cards at and the unit's credit code are what the first form leaves empty).
const INFO_COMPLETE: &str = "g.pickup_branch IS NOT NULL AND g.credit_code IS NOT NULL";

/// The latest sign-in of any account of each union directly below `parent` (unions whose
/// accounts never signed in are absent).
pub async fn last_logins_of_children(
    db: &Db,
    parent: UnionId,
) -> Result<std::collections::HashMap<UnionId, i64>, sqlx::Error> {
    let rows: Vec<(UnionId, i64)> = sqlx::query_as(
        "SELECT u.union_id, MAX(u.last_login_at) FROM users u JOIN unions c ON c.id = u.union_id \
         WHERE c.parent_id = $1 AND u.last_login_at IS NOT NULL GROUP BY u.union_id",
    )
    .bind(parent)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().collect())
}

/// Unions of the subtree under `root` (itself excluded) whose name contains `query`, the
/// shallowest first, then by name: at most `limit`.
pub async fn find_in_subtree(
    db: &Db,
    root: &UnionNode,
    query: &str,
    limit: i64,
) -> Result<Vec<UnionNode>, sqlx::Error> {
    let (lo, hi) = root.subtree_range();
    sqlx::query_as(&format!(
        "SELECT {NODE_COLUMNS} FROM unions WHERE path >= $1 AND path < $2 AND id <> $3 \
         AND name LIKE $4 ESCAPE '\\' ORDER BY length(path), name LIMIT $5"
    ))
    .bind(lo)
    .bind(hi)
    .bind(root.id)
    .bind(super::db::like_contains(query.trim()))
    .bind(limit)
    .fetch_all(&db.pool)
    .await
}

/// The ids of the unions on the way from `root` (excluded) down to `node` (excluded).
pub fn between(root: &UnionNode, node: &UnionNode) -> Vec<UnionId> {
    let ids = super::subtree::path_ids(&node.path);
    let below_root = ids.iter().position(|id| *id == root.id).map_or(0, |i| i + 1);
    ids[below_root.min(ids.len())..].iter().copied().filter(|id| *id != node.id).collect()
}

/// The kept set-up of each grassroots union (`union_progress`): 1 or 0 for each facet, rolled
/// up the tree like the card counts.
pub const UNION_PROGRESS: KeptCount = KeptCount { table: "union_progress", column: "facet" };

/// The facets of a grassroots union's set-up, in the order the figures show them, each with
/// the condition on the union (`g`) that makes it 1: the one definition the recount, the
/// rebuild and the check share (migration 0020 wrote the same conditions once).
const FACETS: [(&str, &str); 4] = [
    ("grassroots", "1 = 1"),
    ("activated", "EXISTS (SELECT 1 FROM users u WHERE u.union_id = g.id AND u.must_change_password = 0)"),
    ("info_complete", INFO_COMPLETE),
    ("agreement_signed", "g.agreement_signed_on IS NOT NULL"),
];

/// Each grassroots union's facets as the unions and users tables say now (`only`: one union).
async fn recount_progress<'e, E>(exec: E, only: Option<UnionId>) -> Result<Vec<(UnionId, [i64; 4])>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let columns: Vec<String> = FACETS.iter().map(|(_, when)| format!("CASE WHEN {when} THEN 1 ELSE 0 END")).collect();
    let sql = format!(
        "SELECT g.id, {} FROM unions g WHERE g.level = 'grassroots'{}",
        columns.join(", "),
        if only.is_some() { " AND g.id = $1" } else { "" }
    );
    // PostgreSQL refuses a parameter the statement does not use: bind only the one it names
    let query = sqlx::query_as::<_, (UnionId, i64, i64, i64, i64)>(&sql);
    let rows = match only {
        Some(union) => query.bind(union).fetch_all(exec).await?,
        None => query.fetch_all(exec).await?,
    };
    Ok(rows.into_iter().map(|(id, g, a, i, s)| (id, [g, a, i, s])).collect())
}

/// Brings `union`'s kept set-up in line with what it is now, in the caller's transaction: called
/// by whatever may change a facet (the union made, its information saved, an account of it made
/// or its password set). Unions above grassroots have none.
pub async fn refresh_progress(tx: &mut Tx, union: UnionId) -> Result<(), sqlx::Error> {
    // one refresh of a union at a time: on PostgreSQL a second one waits here for the first to
    // commit, then reads what it wrote (SQLite has one writer at a time anyway)
    sqlx::query("UPDATE unions SET id = id WHERE id = $1").bind(union).execute(&mut **tx).await?;
    let Some((_, now)) = recount_progress(&mut **tx, Some(union)).await?.into_iter().next() else { return Ok(()) };
    let kept: Vec<(String, i64)> = sqlx::query_as("SELECT facet, n FROM union_progress WHERE union_id = $1")
        .bind(union)
        .fetch_all(&mut **tx)
        .await?;
    for ((facet, _), n) in FACETS.iter().zip(now) {
        let was = kept.iter().find(|(f, _)| f == facet).map_or(0, |(_, n)| *n);
        super::db::bump_kept(tx, UNION_PROGRESS, union, facet, n - was).await?;
    }
    Ok(())
}

/// Recomputes every union's kept set-up, for data loaded in bulk past the writers (the
/// city-sized benchmarks); [`super::subtree::rebuild`] calls it before rolling up.
pub async fn rebuild_progress(tx: &mut Tx) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM union_progress").execute(&mut **tx).await?;
    for (facet, when) in FACETS {
        sqlx::query(&format!(
            "INSERT INTO union_progress (union_id, facet, n) \
             SELECT g.id, '{facet}', 1 FROM unions g WHERE g.level = 'grassroots' AND {when}"
        ))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// A grassroots union whose kept set-up differs from a recount: (union, facet, kept, counted).
pub async fn check_progress(db: &Db) -> Result<Vec<(UnionId, &'static str, i64, i64)>, sqlx::Error> {
    let kept: Vec<(UnionId, String, i64)> =
        sqlx::query_as("SELECT union_id, facet, n FROM union_progress").fetch_all(&db.pool).await?;
    let kept: std::collections::HashMap<(UnionId, String), i64> =
        kept.into_iter().map(|(u, f, n)| ((u, f), n)).collect();
    let mut out = Vec::new();
    let counted = recount_progress(&db.pool, None).await?;
    for (union, now) in &counted {
        for ((facet, _), n) in FACETS.iter().zip(now) {
            let k = kept.get(&(*union, facet.to_string())).copied().unwrap_or(0);
            if k != *n {
                out.push((*union, *facet, k, *n));
            }
        }
    }
    // kept figures of unions that are not (or no longer) grassroots
    for ((union, facet), n) in &kept {
        if *n != 0 && !counted.iter().any(|(u, _)| u == union) {
            out.push((*union, FACETS.iter().map(|(f, _)| *f).find(|f| f == facet).unwrap_or("?"), *n, 0));
        }
    }
    Ok(out)
}

/// Non-grassroots unions in a subtree: the places a supervisor may open accounts under.
pub async fn supervising_nodes(db: &Db, root: &UnionNode) -> Result<Vec<UnionNode>, sqlx::Error> {
    let (lo, hi) = root.subtree_range();
    sqlx::query_as(&format!(
        "SELECT {NODE_COLUMNS} FROM unions WHERE path >= $1 AND path < $2 AND level <> 'grassroots' ORDER BY path"
    ))
    .bind(lo)
    .bind(hi)
    .fetch_all(&db.pool)
    .await
}

pub async fn name_taken(db: &Db, name: &str, except: Option<UnionId>) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM unions WHERE name = $1 AND id <> $2")
        .bind(name)
        .bind(except.unwrap_or(UnionId(-1)))
        .fetch_one(&db.pool)
        .await?;
    Ok(n > 0)
}

/// Adds a union below `parent` and returns its id.
pub async fn create(
    tx: &mut Tx,
    parent: Option<&UnionNode>,
    level: UnionLevel,
    name: &str,
) -> Result<UnionId, sqlx::Error> {
    let id: UnionId = sqlx::query_scalar(
        "INSERT INTO unions (parent_id, level, name, path, created_at) VALUES ($1, $2, $3, '', $4) RETURNING id",
    )
    .bind(parent.map(|p| p.id))
    .bind(level.as_str())
    .bind(name)
    .bind(now())
    .fetch_one(&mut **tx)
    .await?;
    let path = format!("{}{id}/", parent.map(|p| p.path.as_str()).unwrap_or("/"));
    sqlx::query("UPDATE unions SET path = $1 WHERE id = $2").bind(path).bind(id).execute(&mut **tx).await?;
    refresh_progress(tx, id).await?;
    Ok(id)
}

#[derive(sqlx::FromRow)]
struct InfoRow {
    name: String,
    unit_name: Option<String>,
    credit_code: Option<String>,
    address: Option<String>,
    contact_person: Option<String>,
    contact_phone: Option<String>,
    pickup_branch: Option<String>,
    agreement_branch: Option<String>,
    agreement_signed_on: Option<String>,
}

pub async fn info(db: &Db, union_id: UnionId) -> Result<UnionInfoForm, sqlx::Error> {
    let r: InfoRow = sqlx::query_as(
        "SELECT name, unit_name, credit_code, address, contact_person, contact_phone, pickup_branch, \
         agreement_branch, agreement_signed_on FROM unions WHERE id = $1",
    )
    .bind(union_id)
    .fetch_one(&db.pool)
    .await?;
    Ok(UnionInfoForm {
        union_name: r.name,
        unit_name: r.unit_name.unwrap_or_default(),
        credit_code: r.credit_code.unwrap_or_default(),
        address: r.address.unwrap_or_default(),
        contact_person: r.contact_person.unwrap_or_default(),
        contact_phone: r.contact_phone.unwrap_or_default(),
        pickup_branch: r.pickup_branch.unwrap_or_default(),
        agreement_branch: r.agreement_branch.unwrap_or_default(),
        agreement_signed_on: r.agreement_signed_on.unwrap_or_default(),
    })
}

/// Whether saving `new_branch` as the union's pickup branch would move its cards to another bank
/// while some are with the bank: under review, being made, on their way, signed for and not yet
/// handed out, or handed out and not yet activated (a bank sees, activates and remakes a union's
/// cards by the union's pickup branch, and records a card made by the batch it reviewed). The kept
/// counts answer it without reading any card.
pub async fn bank_change_blocked(
    tx: &mut Tx,
    backend: Backend,
    union_id: UnionId,
    new_branch: &str,
) -> Result<bool, sqlx::Error> {
    if backend == Backend::Postgres {
        // a batch sent at the same moment locks the same row (`batches::submit_in`)
        sqlx::query("SELECT id FROM unions WHERE id = $1 FOR UPDATE").bind(union_id).execute(&mut **tx).await?;
    }
    let blocked: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM unions u JOIN bank_branches now_at ON now_at.code = u.pickup_branch \
         JOIN bank_branches next_at ON next_at.code = $2 \
         WHERE u.id = $1 AND now_at.bank_id <> next_at.bank_id AND EXISTS (SELECT 1 FROM card_counts k \
         WHERE k.union_id = u.id AND k.n > 0 AND k.state IN ('submitted', 'in_production', 'awaiting_delivery', 'awaiting_distribution', 'distributed'))",
    )
    .bind(union_id)
    .bind(new_branch)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(blocked.is_some())
}

pub async fn save_info(tx: &mut Tx, union_id: UnionId, info: &UnionInfo) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE unions SET name = $1, unit_name = $2, credit_code = $3, address = $4, \
         contact_person = $5, contact_phone = $6, pickup_branch = $7, agreement_branch = $8, \
         agreement_signed_on = $9 WHERE id = $10",
    )
    .bind(&info.union_name)
    .bind(&info.unit_name)
    .bind(&info.credit_code)
    .bind(&info.address)
    .bind(&info.contact_person)
    .bind(&info.contact_phone)
    .bind(&info.pickup_branch)
    .bind(info.agreement.as_ref().map(|a| a.branch.clone()))
    .bind(info.agreement.as_ref().map(|a| a.signed_on.to_string()))
    .bind(union_id)
    .execute(&mut **tx)
    .await?;
    refresh_progress(tx, union_id).await
}
