//! The audit log: who did what to whom, and when. Never holds a full ID number or password.

use super::db::{now, Db};
use crate::domain::ids::UserId;

pub async fn record<'e, E>(
    exec: E,
    actor: Option<UserId>,
    action: &str,
    target: &str,
    detail: &str,
) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query("INSERT INTO audit_log (at, actor_id, action, target, detail) VALUES ($1, $2, $3, $4, $5)")
        .bind(now())
        .bind(actor)
        .bind(action)
        .bind(target)
        .bind(detail)
        .execute(exec)
        .await?;
    Ok(())
}

/// Recent entries for a target, newest first (for tests and the supervisor's view).
pub async fn actions_for(db: &Db, target: &str) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT action FROM audit_log WHERE target = $1 ORDER BY id DESC")
        .bind(target)
        .fetch_all(&db.pool)
        .await
}

/// An entry as the supervisor's search finds it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub at: i64,
    pub action: String,
    pub target: Option<String>,
    pub detail: Option<String>,
    pub username: Option<String>,
    pub union_name: Option<String>,
}

/// What the search asks for; empty fields ask nothing.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// The account's login name, exactly.
    pub account: String,
    /// A part of the name of the acting account's union.
    pub union: String,
    /// From the start of this time (seconds), to before this one.
    pub from: Option<i64>,
    pub until: Option<i64>,
}

/// The entries of a subtree (`scope`: its path range; `None` is the whole city), newest first,
/// `limit` of them after `offset`. An entry belongs to the subtree when its account belongs to a
/// union there, or it is about a member or a union there (a bank officer viewing a member).
pub async fn search(
    db: &Db,
    scope: Option<(&str, &str)>,
    filter: &AuditFilter,
    limit: i64,
    offset: i64,
) -> Result<Vec<AuditRow>, sqlx::Error> {
    /// A value bound after `$1` (limit) and `$2` (offset).
    enum Arg {
        Text(String),
        Int(i64),
    }
    let mut conds: Vec<String> = Vec::new();
    let mut args: Vec<Arg> = Vec::new();
    let param = |args: &mut Vec<Arg>, v: Arg| {
        args.push(v);
        format!("${}", args.len() + 2)
    };
    if let Some((lo, hi)) = scope {
        let (lo, hi) = (param(&mut args, Arg::Text(lo.to_string())), param(&mut args, Arg::Text(hi.to_string())));
        // a target's id, read from `member:12` / `union:3` (written only by this code)
        conds.push(format!(
            "((un.path >= {lo} AND un.path < {hi}) \
             OR (a.target LIKE 'member:%' AND EXISTS (SELECT 1 FROM members m JOIN unions mu ON mu.id = m.union_id \
                 WHERE m.id = CAST(substr(a.target, 8) AS BIGINT) AND mu.path >= {lo} AND mu.path < {hi})) \
             OR (a.target LIKE 'union:%' AND EXISTS (SELECT 1 FROM unions tu \
                 WHERE tu.id = CAST(substr(a.target, 7) AS BIGINT) AND tu.path >= {lo} AND tu.path < {hi})))"
        ));
    }
    if !filter.account.trim().is_empty() {
        let p = param(&mut args, Arg::Text(filter.account.trim().to_string()));
        conds.push(format!("u.username = {p}"));
    }
    if !filter.union.trim().is_empty() {
        let p = param(&mut args, Arg::Text(super::db::like_contains(filter.union.trim())));
        conds.push(format!("un.name LIKE {p} ESCAPE '\\'"));
    }
    if let Some(from) = filter.from {
        let p = param(&mut args, Arg::Int(from));
        conds.push(format!("a.at >= {p}"));
    }
    if let Some(until) = filter.until {
        let p = param(&mut args, Arg::Int(until));
        conds.push(format!("a.at < {p}"));
    }
    let sql = format!(
        "SELECT a.id, a.at, a.action, a.target, a.detail, u.username, un.name AS union_name FROM audit_log a \
         LEFT JOIN users u ON u.id = a.actor_id LEFT JOIN unions un ON un.id = u.union_id \
         {} ORDER BY a.id DESC LIMIT $1 OFFSET $2",
        if conds.is_empty() { String::new() } else { format!("WHERE {}", conds.join(" AND ")) }
    );
    let mut q = sqlx::query_as::<_, AuditRow>(&sql).bind(limit).bind(offset);
    for a in args {
        q = match a {
            Arg::Text(t) => q.bind(t),
            Arg::Int(n) => q.bind(n),
        };
    }
    q.fetch_all(&db.pool).await
}
