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

/// The 接口令牌 page: the bank's tokens, and what the last plain form left for it in the session
/// (each read once): a token just made or rotated, to copy now, and the purpose typed into a
/// refused 创建令牌.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TokensPage {
    pub tokens: Vec<TokenItem>,
    pub shown: Option<NewToken>,
    pub typed_name: String,
}

#[server(endpoint = "bank/tokens/page", output = crate::wire::Answer)]
pub async fn get_tokens_page() -> Result<TokensPage, AppError> {
    use crate::server::auth;
    let tokens = list_tokens().await?;
    let session = auth::session().await?;
    // made within the last two minutes (the page that answers the post comes at once; a token
    // whose page never came is not shown later), and not revoked since
    let now = crate::server::db::now();
    let shown = auth::take::<(i64, NewToken)>(&session, auth::SESSION_SHOWN_TOKEN)
        .await?
        .filter(|(at, _)| now - at <= SHOWN_TOKEN_SECONDS)
        .map(|(_, token)| token)
        .filter(|s| tokens.iter().any(|t| t.id == s.id && !t.revoked));
    let typed_name = auth::take::<String>(&session, auth::SESSION_TYPED_TOKEN_NAME).await?.unwrap_or_default();
    Ok(TokensPage { tokens, shown, typed_name })
}

/// How long a token made by a plain form waits in the session for the page that shows it.
#[cfg(feature = "ssr")]
const SHOWN_TOKEN_SECONDS: i64 = 120;

/// Keeps what a plain form's 创建令牌 or 更换 did for the page that follows: the new token
/// (stamped, for `SHOWN_TOKEN_SECONDS`; the session is the server's, and the token is taken out
/// when that page is sent), or the purpose typed into a refusal. A script's call reads its
/// answer and leaves nothing. The token is made by then: a failure to keep it is logged, and the
/// answer stands.
#[cfg(feature = "ssr")]
async fn keep_for_page(made: &Result<NewToken, AppError>, typed_name: Option<&str>) {
    use crate::server::auth;
    let kept = match (made, typed_name) {
        (Ok(token), _) => auth::keep_for_form_page(auth::SESSION_SHOWN_TOKEN, (crate::server::db::now(), token)).await,
        (Err(AppError::Invalid { .. }), Some(name)) => {
            auth::keep_for_form_page(auth::SESSION_TYPED_TOKEN_NAME, name).await
        }
        _ => Ok(()),
    };
    if let Err(e) = kept {
        tracing::error!(error = %e, "could not keep the token page's answer in the session");
    }
}

#[server(endpoint = "bank/tokens/create", output = crate::wire::Answer)]
pub async fn create_token(name: String) -> Result<NewToken, AppError> {
    use crate::{
        domain::role::Role,
        server::{bank_tokens, caller},
    };
    let (db, me) = caller::require(&[Role::Bank]).await?;
    let made = bank_tokens::create(&db, me.bank()?, me.id(), &name).await.map(|(id, token)| NewToken { id, token });
    keep_for_page(&made, Some(&name)).await;
    made
}

#[server(endpoint = "bank/tokens/rotate", output = crate::wire::Answer)]
pub async fn rotate_token(id: i64) -> Result<NewToken, AppError> {
    use crate::{
        domain::role::Role,
        server::{bank_tokens, caller},
    };
    let (db, me) = caller::require(&[Role::Bank]).await?;
    let made = bank_tokens::rotate(&db, me.bank()?, me.id(), id).await.map(|(id, token)| NewToken { id, token });
    keep_for_page(&made, None).await;
    made
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
