//! Accounts a supervisor manages: the ones whose union lies strictly below its own.

use super::{
    auth::{user_by_id, AuthUser},
    db::{like_contains, now, Db, Tx},
    unions::{self, UnionNode},
};
use crate::domain::{
    ids::{BankId, MemberId, UnionId, UserId},
    role::{Role, UnionLevel},
};

/// Flags are stored as 0/1 integers: SQLite has no boolean type the Any driver can read.
#[derive(Debug, Clone)]
pub struct AccountRow {
    pub id: UserId,
    pub username: String,
    pub role: Role,
    pub union_name: String,
    pub level: UnionLevel,
    pub must_change_password: bool,
    pub disabled: bool,
    pub last_login_at: Option<i64>,
}

impl sqlx::FromRow<'_, sqlx::any::AnyRow> for AccountRow {
    fn from_row(row: &sqlx::any::AnyRow) -> Result<Self, sqlx::Error> {
        use sqlx::Row;
        Ok(AccountRow {
            id: row.try_get("id")?,
            username: row.try_get("username")?,
            role: row.try_get("role")?,
            union_name: row.try_get("union_name")?,
            level: row.try_get("level")?,
            must_change_password: row.try_get::<i64, _>("must_change_password")? != 0,
            disabled: row.try_get::<i64, _>("disabled")? != 0,
            last_login_at: row.try_get("last_login_at")?,
        })
    }
}

/// A page of accounts below `root`, searched by account or union name.
pub async fn list(
    db: &Db,
    root: &UnionNode,
    query: &str,
    limit: i64,
    offset: i64,
) -> Result<(Vec<AccountRow>, i64), sqlx::Error> {
    let (lo, hi) = root.subtree_range();
    let pattern = like_contains(query.trim());
    let filter = "FROM users u JOIN unions n ON n.id = u.union_id \
                  WHERE n.path >= $1 AND n.path < $2 AND n.id <> $3 \
                  AND (u.username LIKE $4 ESCAPE '\\' OR n.name LIKE $4 ESCAPE '\\')";
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) {filter}"))
        .bind(&lo)
        .bind(&hi)
        .bind(root.id)
        .bind(&pattern)
        .fetch_one(&db.pool)
        .await?;
    let rows = sqlx::query_as(&format!(
        "SELECT u.id, u.username, u.role, n.name AS union_name, n.level, u.must_change_password, \
         u.disabled, u.last_login_at {filter} ORDER BY n.path, u.id LIMIT $5 OFFSET $6"
    ))
    .bind(&lo)
    .bind(&hi)
    .bind(root.id)
    .bind(&pattern)
    .bind(limit)
    .bind(offset)
    .fetch_all(&db.pool)
    .await?;
    Ok((rows, total))
}

/// The accounts of one union, oldest first.
pub async fn of_union(db: &Db, union: UnionId) -> Result<Vec<AccountRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, u.username, u.role, n.name AS union_name, n.level, u.must_change_password, \
         u.disabled, u.last_login_at FROM users u JOIN unions n ON n.id = u.union_id \
         WHERE u.union_id = $1 ORDER BY u.id",
    )
    .bind(union)
    .fetch_all(&db.pool)
    .await
}

pub async fn username_taken(db: &Db, username: &str) -> Result<bool, sqlx::Error> {
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE username = $1").bind(username).fetch_one(&db.pool).await?;
    Ok(n > 0)
}

pub struct NewAccount<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub union_id: Option<UnionId>,
    pub bank_id: Option<BankId>,
    pub member_id: Option<MemberId>,
    pub password_hash: &'a str,
    pub must_change_password: bool,
    pub created_by: Option<UserId>,
}

pub async fn insert(tx: &mut Tx, a: &NewAccount<'_>) -> Result<UserId, sqlx::Error> {
    let id = sqlx::query_scalar(
        "INSERT INTO users (username, display_name, role, union_id, bank_id, member_id, password_hash, \
         must_change_password, disabled, auth_version, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, 1, $9, $10) RETURNING id",
    )
    .bind(a.username)
    .bind(a.display_name)
    .bind(a.role)
    .bind(a.union_id)
    .bind(a.bank_id)
    .bind(a.member_id)
    .bind(a.password_hash)
    .bind(i64::from(a.must_change_password))
    .bind(a.created_by)
    .bind(now())
    .fetch_one(&mut **tx)
    .await?;
    if let Some(union) = a.union_id {
        unions::refresh_progress(tx, union).await?;
    }
    Ok(id)
}

/// The account `id` and its union, if that union lies strictly below `root` (the supervisor's).
pub async fn managed_account(
    db: &Db,
    root: &UnionNode,
    id: UserId,
) -> Result<Option<(AuthUser, UnionNode)>, sqlx::Error> {
    let Some(target) = user_by_id(db, id).await? else { return Ok(None) };
    let Some(union) = target.union_id else { return Ok(None) };
    let Some(target_union) = unions::node(db, union).await? else { return Ok(None) };
    if target_union.id == root.id || !root.contains(&target_union) {
        return Ok(None);
    }
    Ok(Some((target, target_union)))
}

/// Notes a successful login.
pub async fn touch_login(db: &Db, id: UserId) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET last_login_at = $1 WHERE id = $2").bind(now()).bind(id).execute(&db.pool).await?;
    Ok(())
}

/// Sets a new password; `must_change` for an initial one. Every session of the account ends.
pub async fn set_password(tx: &mut Tx, id: UserId, hash: &str, must_change: bool) -> Result<i64, sqlx::Error> {
    let (version, union): (i64, Option<UnionId>) = sqlx::query_as(
        "UPDATE users SET password_hash = $1, must_change_password = $2, auth_version = auth_version + 1 \
         WHERE id = $3 RETURNING auth_version, union_id",
    )
    .bind(hash)
    .bind(i64::from(must_change))
    .bind(id)
    .fetch_one(&mut **tx)
    .await?;
    // an account past (or back on) its initial password may change whether its union is active
    if let Some(union) = union {
        unions::refresh_progress(tx, union).await?;
    }
    Ok(version)
}

pub async fn set_disabled(tx: &mut Tx, id: UserId, disabled: bool) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET disabled = $1, auth_version = auth_version + 1 WHERE id = $2")
        .bind(i64::from(disabled))
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
