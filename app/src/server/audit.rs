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
