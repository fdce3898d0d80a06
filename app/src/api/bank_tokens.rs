//! The bank's API tokens on the desk: listed (never the token itself), made and shown once,
//! rotated, revoked. Only bank accounts, and only their own bank's tokens.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TokenItem {
    pub id: i64,
    pub name: String,
    /// The token's first characters (`ucb_1a2b3c4d`), to tell tokens apart.
    pub prefix: String,
    pub created_by: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked: bool,
}

#[server(endpoint = "bank/tokens", output = crate::wire::Answer)]
pub async fn list_tokens() -> Result<Vec<TokenItem>, AppError> {
    use crate::{
        domain::role::Role,
        server::{bank_tokens, caller},
    };
    let (db, me) = caller::require(&[Role::Bank]).await?;
    Ok(bank_tokens::of_bank(&db, me.bank()?)
        .await?
        .into_iter()
        .map(|t| TokenItem {
            id: t.id,
            name: t.name,
            prefix: t.prefix,
            created_by: t.created_by,
            created_at: t.created_at,
            last_used_at: t.last_used_at,
            revoked: t.revoked_at.is_some(),
        })
        .collect())
}

/// A new token, shown this once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewToken {
    pub id: i64,
    pub token: String,
}

#[server(endpoint = "bank/tokens/create", output = crate::wire::Answer)]
pub async fn create_token(name: String) -> Result<NewToken, AppError> {
    use crate::{
        domain::role::Role,
        server::{bank_tokens, caller},
    };
    let (db, me) = caller::require(&[Role::Bank]).await?;
    let (id, token) = bank_tokens::create(&db, me.bank()?, me.id(), &name).await?;
    Ok(NewToken { id, token })
}

#[server(endpoint = "bank/tokens/rotate", output = crate::wire::Answer)]
pub async fn rotate_token(id: i64) -> Result<NewToken, AppError> {
    use crate::{
        domain::role::Role,
        server::{bank_tokens, caller},
    };
    let (db, me) = caller::require(&[Role::Bank]).await?;
    let (id, token) = bank_tokens::rotate(&db, me.bank()?, me.id(), id).await?;
    Ok(NewToken { id, token })
}

#[server(endpoint = "bank/tokens/revoke", output = crate::wire::Answer)]
pub async fn revoke_token(id: i64) -> Result<(), AppError> {
    use crate::{
        domain::role::Role,
        server::{bank_tokens, caller},
    };
    let (db, me) = caller::require(&[Role::Bank]).await?;
    bank_tokens::revoke(&db, me.bank()?, me.id(), id).await
}
