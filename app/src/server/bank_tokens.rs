//! API tokens of the bank's systems (`Authorization: Bearer <token>` on /api/bank/v1). A bank
//! user makes one on the desk, sees it once, rotates and revokes it; the server keeps only its
//! SHA-256. A token acts for its bank, as the user who made it, within the same scope as the
//! desk.

use rand::RngCore;

use super::{
    audit,
    db::{now, Db, Tx},
};
use crate::{
    domain::ids::{BankId, UserId},
    error::{AppError, AppResult},
};

/// What every token starts with, so a leaked one is recognisable in logs and scanners.
pub const TOKEN_PREFIX: &str = "ucb_";

fn hash(token: &str) -> String {
    super::auth::sha256_hex(token.as_bytes())
}

/// A new random token: `ucb_` and 64 hex digits (256 bits).
fn generate() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("{TOKEN_PREFIX}{}", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>())
}

/// A token as lists show it (never the token itself).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TokenRow {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub created_by: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

/// Makes a token for `user`'s bank; answers it (shown once) with its row id.
pub async fn create(db: &Db, bank: BankId, user: UserId, name: &str) -> AppResult<(i64, String)> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 50 {
        return Err(AppError::invalid("name", "请填写令牌用途（50字以内），例如“信贷系统对接”。"));
    }
    let mut tx = db.begin_write().await?;
    let made = create_in(&mut tx, bank, user, name).await?;
    tx.commit().await?;
    Ok(made)
}

async fn create_in(tx: &mut Tx, bank: BankId, user: UserId, name: &str) -> AppResult<(i64, String)> {
    let token = generate();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO bank_tokens (bank_id, user_id, name, token_hash, prefix, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(bank)
    .bind(user)
    .bind(name)
    .bind(hash(&token))
    .bind(&token[..TOKEN_PREFIX.len() + 8])
    .bind(now())
    .fetch_one(&mut **tx)
    .await?;
    audit::record(&mut **tx, Some(user), "bank_token_created", &format!("token:{id}"), name).await?;
    Ok((id, token))
}

/// The bank's tokens, newest first.
pub async fn of_bank(db: &Db, bank: BankId) -> Result<Vec<TokenRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT t.id, t.name, t.prefix, u.username AS created_by, t.created_at, t.last_used_at, t.revoked_at \
         FROM bank_tokens t JOIN users u ON u.id = t.user_id WHERE t.bank_id = $1 ORDER BY t.id DESC",
    )
    .bind(bank)
    .fetch_all(&db.pool)
    .await
}

/// Revokes a token of the bank; `NotFound` for another bank's, `Conflict` when already revoked.
pub async fn revoke(db: &Db, bank: BankId, user: UserId, id: i64) -> AppResult<()> {
    let mut tx = db.begin_write().await?;
    revoke_in(&mut tx, bank, user, id).await?;
    tx.commit().await?;
    Ok(())
}

async fn revoke_in(tx: &mut Tx, bank: BankId, user: UserId, id: i64) -> AppResult<()> {
    let done =
        sqlx::query("UPDATE bank_tokens SET revoked_at = $1 WHERE id = $2 AND bank_id = $3 AND revoked_at IS NULL")
            .bind(now())
            .bind(id)
            .bind(bank)
            .execute(&mut **tx)
            .await?;
    if done.rows_affected() != 1 {
        let exists: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM bank_tokens WHERE id = $1 AND bank_id = $2")
            .bind(id)
            .bind(bank)
            .fetch_one(&mut **tx)
            .await?;
        return Err(if exists > 0 {
            AppError::conflict("token_revoked", "该令牌已停用。")
        } else {
            AppError::NotFound
        });
    }
    audit::record(&mut **tx, Some(user), "bank_token_revoked", &format!("token:{id}"), "").await?;
    Ok(())
}

/// Rotates a token: revokes it and makes a new one with the same name, in one transaction (the
/// bank is never left without its token); answers the new one.
pub async fn rotate(db: &Db, bank: BankId, user: UserId, id: i64) -> AppResult<(i64, String)> {
    let mut tx = db.begin_write().await?;
    let name: Option<String> = sqlx::query_scalar("SELECT name FROM bank_tokens WHERE id = $1 AND bank_id = $2")
        .bind(id)
        .bind(bank)
        .fetch_optional(&mut *tx)
        .await?;
    let name = name.ok_or(AppError::NotFound)?;
    revoke_in(&mut tx, bank, user, id).await?;
    let made = create_in(&mut tx, bank, user, &name).await?;
    tx.commit().await?;
    Ok(made)
}

/// Who a presented token acts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenHolder {
    pub token: i64,
    pub bank: BankId,
    pub user: UserId,
}

/// The live token `presented` names, or `None` (unknown, revoked, or its user disabled). Notes
/// the use.
pub async fn authenticate(db: &Db, presented: &str) -> Result<Option<TokenHolder>, sqlx::Error> {
    if !presented.starts_with(TOKEN_PREFIX) || presented.len() > 100 {
        return Ok(None);
    }
    let row: Option<(i64, BankId, UserId)> = sqlx::query_as(
        "SELECT t.id, t.bank_id, t.user_id FROM bank_tokens t JOIN users u ON u.id = t.user_id \
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.disabled = 0 AND u.role = 'bank' AND u.bank_id = t.bank_id",
    )
    .bind(hash(presented))
    .fetch_optional(&db.pool)
    .await?;
    let Some((token, bank, user)) = row else { return Ok(None) };
    sqlx::query("UPDATE bank_tokens SET last_used_at = $1 WHERE id = $2")
        .bind(now())
        .bind(token)
        .execute(&db.pool)
        .await?;
    Ok(Some(TokenHolder { token, bank, user }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_recognisable() {
        let (a, b) = (generate(), generate());
        assert_ne!(a, b);
        assert!(a.starts_with("ucb_") && a.len() == 4 + 64);
        assert_eq!(hash(&a).len(), 64);
        assert_ne!(hash(&a), hash(&b));
    }
}
