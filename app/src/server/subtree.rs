//! The kept counts of a union and everything below it (`subtree_counts`), so the supervisor's
//! figures for any node of the tree, the city's included, are a handful of rows rather than a
//! sum over every union of its subtree.
//!
//! Each kept per-union count ([`super::db::KeptCount`]: `card_counts`, `receipt_counts`) is
//! moved by [`super::db::bump_kept`], which also calls [`record`]: one row `(node, kind, key,
//! n)` for the union and one for each union above it, in the same transaction. A node's figure
//! is the sum of its rows. Rows are only inserted, so moves in different unions never wait on a
//! shared row (the city's) nor deadlock; [`compact`] folds each node's rows into one, deleting
//! exactly the rows it sums, so it is exact beside concurrent writers on both engines.

use std::collections::{BTreeMap, HashMap};

use super::db::{Backend, Db, KeptCount, Tx};
use crate::domain::ids::UnionId;

/// A figure of a node: (kind, key), e.g. (`card_counts`, `pending`).
pub type FigureKey = (String, String);

/// The ids in a union's path (`/1/2/7/`), from the root down to the union itself.
pub fn path_ids(path: &str) -> Vec<UnionId> {
    path.split('/').filter(|s| !s.is_empty()).filter_map(|s| s.parse::<i64>().ok()).map(UnionId).collect()
}

/// Records that `union`'s kept count `kind`/`key` moved by `delta`, for the union and every
/// union above it, in the caller's transaction.
pub async fn record(tx: &mut Tx, kind: &str, union: UnionId, key: &str, delta: i64) -> Result<(), sqlx::Error> {
    if tx.backend_name() == "PostgreSQL" {
        // The fold's mark row, held shared until this transaction ends: a fold (`compact`, FOR
        // UPDATE) waits for every writer in flight, so no row it has not seen can commit with an
        // id below its new mark and stay unfolded. (SQLite's writers are serialised already.)
        sqlx::query("SELECT 1 FROM subtree_fold WHERE id = 1 FOR SHARE").execute(&mut **tx).await?;
    }
    let path: String =
        sqlx::query_scalar("SELECT path FROM unions WHERE id = $1").bind(union).fetch_one(&mut **tx).await?;
    let nodes = path_ids(&path);
    // ($1, $2, $3, $4), ($5, …): numbered by hand, as the Any driver's QueryBuilder writes `?`
    let rows: Vec<String> =
        (0..nodes.len()).map(|i| format!("(${}, ${}, ${}, ${})", 4 * i + 1, 4 * i + 2, 4 * i + 3, 4 * i + 4)).collect();
    let sql = format!("INSERT INTO subtree_counts (node_id, kind, key, n) VALUES {}", rows.join(", "));
    let mut insert = sqlx::query(&sql);
    for node in &nodes {
        insert = insert.bind(*node).bind(kind).bind(key).bind(delta);
    }
    insert.execute(&mut **tx).await?;
    Ok(())
}

/// The figures of `node` (the union and everything below it), by (kind, key); zero figures are
/// absent.
pub async fn figures(db: &Db, node: UnionId) -> Result<HashMap<FigureKey, i64>, sqlx::Error> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT kind, key, CAST(SUM(n) AS BIGINT) FROM subtree_counts WHERE node_id = $1 GROUP BY kind, key",
    )
    .bind(node)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().filter(|r| r.2 != 0).map(|(k, key, n)| ((k, key), n)).collect())
}

/// The figures of the kinds `kinds` (kept tables) of each union directly below `parent`, by
/// union; a union with none is absent.
pub async fn figures_of_children(
    db: &Db,
    parent: UnionId,
    kinds: [&str; 3],
) -> Result<HashMap<UnionId, HashMap<FigureKey, i64>>, sqlx::Error> {
    let rows: Vec<(UnionId, String, String, i64)> = sqlx::query_as(
        "SELECT s.node_id, s.kind, s.key, CAST(SUM(s.n) AS BIGINT) FROM unions u \
         JOIN subtree_counts s ON s.node_id = u.id WHERE u.parent_id = $1 AND s.kind IN ($2, $3, $4) \
         GROUP BY s.node_id, s.kind, s.key",
    )
    .bind(parent)
    .bind(kinds[0])
    .bind(kinds[1])
    .bind(kinds[2])
    .fetch_all(&db.pool)
    .await?;
    let mut out: HashMap<UnionId, HashMap<FigureKey, i64>> = HashMap::new();
    for (node, kind, key, n) in rows.into_iter().filter(|r| r.3 != 0) {
        out.entry(node).or_default().insert((kind, key), n);
    }
    Ok(out)
}

/// Folds the rows of each figure written since the last fold into one row (none where it sums
/// to zero); figures untouched since are left alone, so a fold reads only what changed. Exact
/// beside concurrent writers: it deletes only the rows it sums, in one statement on PostgreSQL
/// and under the write lock on SQLite. Folds of several instances take turns on the mark
/// (`subtree_fold`). Answers how many rows went.
pub async fn compact(db: &Db) -> Result<u64, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let removed: i64 = match db.backend {
        Backend::Postgres => {
            sqlx::query_scalar(
                "WITH mark AS (SELECT last_id FROM subtree_fold WHERE id = 1 FOR UPDATE), \
             dirty AS (SELECT DISTINCT node_id, kind, key FROM subtree_counts WHERE id > (SELECT last_id FROM mark)), \
             gone AS (DELETE FROM subtree_counts s USING dirty d \
                      WHERE s.node_id = d.node_id AND s.kind = d.kind AND s.key = d.key \
                      RETURNING s.node_id, s.kind, s.key, s.n), \
             folded AS (INSERT INTO subtree_counts (node_id, kind, key, n) \
                        SELECT node_id, kind, key, SUM(n) FROM gone GROUP BY node_id, kind, key \
                        HAVING SUM(n) <> 0 RETURNING id), \
             marked AS (UPDATE subtree_fold SET last_id = GREATEST(last_id, (SELECT COALESCE(MAX(id), 0) FROM folded)) \
                        WHERE id = 1 RETURNING 1) \
             SELECT (SELECT COUNT(*) FROM gone) - (SELECT COUNT(*) FROM folded) + 0 * (SELECT COUNT(*) FROM marked)",
            )
            .fetch_one(&mut *tx)
            .await?
        }
        Backend::Sqlite => {
            // BEGIN IMMEDIATE: no other writer until this commits
            let mark: i64 =
                sqlx::query_scalar("SELECT last_id FROM subtree_fold WHERE id = 1").fetch_one(&mut *tx).await?;
            let last: i64 =
                sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM subtree_counts").fetch_one(&mut *tx).await?;
            if last <= mark {
                return Ok(0);
            }
            let dirty =
                "(node_id, kind, key) IN (SELECT node_id, kind, key FROM subtree_counts WHERE id > $1 AND id <= $2)";
            let added = sqlx::query(&format!(
                "INSERT INTO subtree_counts (node_id, kind, key, n) \
                 SELECT node_id, kind, key, SUM(n) FROM subtree_counts WHERE id <= $2 AND {dirty} \
                 GROUP BY node_id, kind, key HAVING SUM(n) <> 0"
            ))
            .bind(mark)
            .bind(last)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            let gone = sqlx::query(&format!("DELETE FROM subtree_counts WHERE id <= $2 AND {dirty}"))
                .bind(mark)
                .bind(last)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            sqlx::query(
                "UPDATE subtree_fold SET last_id = (SELECT COALESCE(MAX(id), 0) FROM subtree_counts) WHERE id = 1",
            )
            .execute(&mut *tx)
            .await?;
            gone as i64 - added as i64
        }
    };
    tx.commit().await?;
    Ok(removed.max(0) as u64)
}

/// The kept per-union tables whose figures roll up.
pub const KEPT: [KeptCount; 5] = [
    super::cards::CARD_COUNTS,
    super::member_portal::RECEIPT_COUNTS,
    super::deliveries::HANDOUT_COUNTS,
    super::cards::TALLIES,
    super::unions::UNION_PROGRESS,
];

/// Rebuilds every node's figures from the per-union kept counts, in one transaction: for data
/// loaded in bulk past the writer (the city-sized benchmarks), never for the application's own.
pub async fn rebuild(tx: &mut Tx) -> Result<(), sqlx::Error> {
    super::unions::rebuild_progress(tx).await?;
    sqlx::query("DELETE FROM subtree_counts").execute(&mut **tx).await?;
    for KeptCount { table, column } in KEPT {
        sqlx::query(&format!(
            "INSERT INTO subtree_counts (node_id, kind, key, n) \
             WITH RECURSIVE up(union_id, node_id) AS ( \
                 SELECT id, id FROM unions \
                 UNION ALL \
                 SELECT up.union_id, u.parent_id FROM up JOIN unions u ON u.id = up.node_id \
                 WHERE u.parent_id IS NOT NULL) \
             SELECT up.node_id, '{table}', k.{column}, SUM(k.n) FROM {table} k JOIN up ON up.union_id = k.union_id \
             GROUP BY up.node_id, k.{column} HAVING SUM(k.n) <> 0"
        ))
        .execute(&mut **tx)
        .await?;
    }
    // every row is a figure of its own: nothing to fold until the next move
    sqlx::query("UPDATE subtree_fold SET last_id = (SELECT COALESCE(MAX(id), 0) FROM subtree_counts) WHERE id = 1")
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// What a figure counts, in words: a card state, a member's answer, a hand-out's timeliness.
pub fn figure_label(kind: &str, key: &str) -> String {
    use crate::domain::{calendar::Timeliness, card::CardState};
    let known = match kind {
        "card_counts" => CardState::ALL.into_iter().find(|s| s.as_str() == key).map(|s| s.label()),
        "receipt_counts" => match key {
            "received" => Some("会员确认领到"),
            "not_received" => Some("会员反馈未收到"),
            _ => None,
        },
        "union_progress" => match key {
            "grassroots" => Some("基层工会"),
            "activated" => Some("已激活账号的基层工会"),
            "info_complete" => Some("已完善信息的基层工会"),
            "agreement_signed" => Some("已签协议的基层工会"),
            _ => None,
        },
        "handout_counts" => Timeliness::ALL.into_iter().find(|t| t.as_str() == key).map(|t| match t {
            Timeliness::OnTime => "按时发放",
            Timeliness::Late => "逾期发放",
            Timeliness::Undetermined => "日历未维护无法判断",
        }),
        _ => None,
    };
    known.map(str::to_string).unwrap_or_else(|| format!("{kind}/{key}"))
}

/// A node's figure that differs from the sum of the per-union counts below it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubtreeDifference {
    pub node: UnionId,
    pub node_name: String,
    pub kind: String,
    pub key: String,
    pub kept: i64,
    pub summed: i64,
}

/// Sums the per-union kept counts up the tree and lists every node whose figure differs.
pub async fn check(db: &Db) -> Result<Vec<SubtreeDifference>, sqlx::Error> {
    let unions: Vec<(UnionId, String, String)> =
        sqlx::query_as("SELECT id, name, path FROM unions").fetch_all(&db.pool).await?;
    let paths: HashMap<UnionId, &str> = unions.iter().map(|(id, _, p)| (*id, p.as_str())).collect();
    let names: HashMap<UnionId, &str> = unions.iter().map(|(id, n, _)| (*id, n.as_str())).collect();
    let mut summed: BTreeMap<(UnionId, String, String), i64> = BTreeMap::new();
    for KeptCount { table, column } in KEPT {
        let rows: Vec<(UnionId, String, i64)> =
            sqlx::query_as(&format!("SELECT union_id, {column}, n FROM {table} WHERE n <> 0"))
                .fetch_all(&db.pool)
                .await?;
        for (union, key, n) in rows {
            for node in path_ids(paths.get(&union).copied().unwrap_or_default()) {
                *summed.entry((node, table.to_string(), key.clone())).or_default() += n;
            }
        }
    }
    let kept: Vec<(UnionId, String, String, i64)> = sqlx::query_as(
        "SELECT node_id, kind, key, CAST(SUM(n) AS BIGINT) FROM subtree_counts GROUP BY node_id, kind, key",
    )
    .fetch_all(&db.pool)
    .await?;
    let mut kept: BTreeMap<(UnionId, String, String), i64> =
        kept.into_iter().filter(|r| r.3 != 0).map(|(u, k, key, n)| ((u, k, key), n)).collect();
    let mut out = Vec::new();
    for (key, s) in summed {
        let k = kept.remove(&key).unwrap_or(0);
        if k != s {
            out.push((key, k, s));
        }
    }
    out.extend(kept.into_iter().map(|(key, k)| (key, k, 0)));
    Ok(out
        .into_iter()
        .map(|((node, kind, key), kept, summed)| SubtreeDifference {
            node,
            node_name: names.get(&node).copied().unwrap_or_default().to_string(),
            kind,
            key,
            kept,
            summed,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_names_the_union_and_every_union_above_it() {
        assert_eq!(path_ids("/1/2/7/"), vec![UnionId(1), UnionId(2), UnionId(7)]);
        assert_eq!(path_ids("/1/"), vec![UnionId(1)]);
        assert!(path_ids("").is_empty());
    }
}
