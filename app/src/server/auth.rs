//! Passwords, sessions, login throttling and the signed-in account (`caller` turns it into a
//! scope).

use std::{net::SocketAddr, sync::LazyLock};

use argon2::{
    password_hash::{rand_core::OsRng, SaltString},
    Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version,
};
use rand::Rng;
use tower_sessions::Session;

use super::db::{now, Backend, Db};
use crate::{
    domain::{
        ids::{BankId, MemberId, UnionId, UserId},
        role::Role,
    },
    error::{AppError, AppResult},
};

pub const SESSION_USER_ID: &str = "user_id";
pub const SESSION_AUTH_VERSION: &str = "auth_version";
/// The account name of the last refused sign-in in this browser: the sign-in page, a plain form,
/// comes back with it filled in (the password is never kept).
pub const SESSION_TYPED_USERNAME: &str = "typed_username";
/// The union clerk's last member search (会员信息): kept here, not in the list's address, so a
/// whole ID or phone number never stands in the browser's history or a proxy's log.
pub const SESSION_MEMBER_SEARCH: &str = "member_search";
/// 服务热线 (a page without scripts): the rows of a refused save as typed, and that the last
/// save went through; each read once by the page that follows.
pub const SESSION_TYPED_HOTLINES: &str = "hotlines_typed";
pub const SESSION_HOTLINES_SAVED: &str = "hotlines_saved";
/// 接口令牌 (a page without scripts): the token a plain 创建令牌 or 更换 just made, shown once by
/// the page that follows (and then gone from the session), and the purpose of a refused 创建令牌.
pub const SESSION_SHOWN_TOKEN: &str = "token_shown";
pub const SESSION_TYPED_TOKEN_NAME: &str = "token_name_typed";
/// 单位信息 (a page without scripts): the form of a refused 保存 as typed, and that the last
/// 保存 went through; each read once by the page that follows.
pub const SESSION_TYPED_UNION_INFO: &str = "union_info_typed";
pub const SESSION_UNION_INFO_SAVED: &str = "union_info_saved";

/// Whether this request is a plain form's post (it accepts HTML): a page without scripts sent
/// it, and the answer is a redirect back to that page, which reads what the call left for it
/// in the session (`keep`, `take`). A script's call accepts the answer's own encoding.
pub fn plain_form_post() -> bool {
    leptos::prelude::use_context::<http::request::Parts>().is_some_and(|parts| {
        parts.headers.get(http::header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("text/html"))
    })
}

/// Failed logins an account may have in the window before it is locked.
pub const ACCOUNT_FAILURE_LIMIT: i64 = 5;
/// Failed logins one address may have in the window (for all accounts) before it is refused.
pub const ADDRESS_FAILURE_LIMIT: i64 = 30;
pub const FAILURE_WINDOW_SECS: i64 = 15 * 60;

/// Argon2id with the OWASP minimum: 19 MiB, 2 passes, 1 lane.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).expect("valid Argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn hash_blocking(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .expect("Argon2 hashing cannot fail with valid parameters")
        .to_string()
}

/// A hash of nothing anyone knows: verified against when the account does not exist, so a
/// wrong account name takes as long as a wrong password.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| hash_blocking("unioncard-no-such-account"));

/// Hashes off the async executor: Argon2 takes tens of milliseconds of CPU and 19 MiB, so
/// only a few run at once (`gate::PASSWORD_HASHING`).
pub async fn hash_password(password: String) -> AppResult<String> {
    let _place = super::gate::PASSWORD_HASHING.enter().await?;
    tokio::task::spawn_blocking(move || hash_blocking(&password)).await.map_err(|e| {
        tracing::error!(error = %e, "password hashing task failed");
        AppError::Internal
    })
}

pub async fn verify_password(password: String, hash: Option<String>) -> AppResult<bool> {
    let _place = super::gate::PASSWORD_HASHING.enter().await?;
    tokio::task::spawn_blocking(move || {
        let hash = hash.unwrap_or_else(|| DUMMY_HASH.clone());
        let Ok(parsed) = PasswordHash::new(&hash) else { return false };
        argon2().verify_password(password.as_bytes(), &parsed).is_ok()
    })
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "password verification task failed");
        AppError::Internal
    })
}

/// A one-time initial password: 10 characters with no look-alikes (0/O, 1/l/I).
pub fn generate_initial_password() -> String {
    const LETTERS: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
    const DIGITS: &[u8] = b"23456789";
    let mut rng = rand::rngs::OsRng;
    loop {
        let pw: String = (0..10)
            .map(|_| {
                let set = if rng.gen_bool(0.35) { DIGITS } else { LETTERS };
                set[rng.gen_range(0..set.len())] as char
            })
            .collect();
        if pw.chars().any(|c| c.is_ascii_digit()) && pw.chars().any(|c| c.is_ascii_alphabetic()) {
            return pw;
        }
    }
}

/// The signed-in account as the server sees it. Not `Serialize`: the hash never leaves. Its
/// role is parsed as it is read: a role the code does not know is a decode error.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub union_id: Option<UnionId>,
    pub bank_id: Option<BankId>,
    pub member_id: Option<MemberId>,
    pub must_change_password: bool,
    pub disabled: bool,
    pub auth_version: i64,
}

impl sqlx::FromRow<'_, sqlx::any::AnyRow> for AuthUser {
    fn from_row(row: &sqlx::any::AnyRow) -> Result<Self, sqlx::Error> {
        use sqlx::Row;
        Ok(AuthUser {
            id: row.try_get("id")?,
            username: row.try_get("username")?,
            display_name: row.try_get("display_name")?,
            role: row.try_get("role")?,
            union_id: row.try_get("union_id")?,
            bank_id: row.try_get("bank_id")?,
            member_id: row.try_get("member_id")?,
            must_change_password: row.try_get::<i64, _>("must_change_password")? != 0,
            disabled: row.try_get::<i64, _>("disabled")? != 0,
            auth_version: row.try_get("auth_version")?,
        })
    }
}

pub const USER_COLUMNS: &str = "id, username, display_name, role, union_id, bank_id, member_id, \
                                must_change_password, disabled, auth_version";

pub async fn user_by_id(db: &Db, id: UserId) -> Result<Option<AuthUser>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1")).bind(id).fetch_optional(&db.pool).await
}

pub async fn session() -> AppResult<Session> {
    leptos_axum::extract::<Session>().await.map_err(|e| {
        tracing::error!(error = %e, "no session layer");
        AppError::Internal
    })
}

/// The caller's address, for login throttling: the connection's peer, or, behind a proxy the
/// operator names (`UNIONCARD_TRUSTED_PROXY`, the header it sets, such as `X-Real-IP`), that
/// header's last entry (the one the proxy itself wrote). Never an unnamed `X-Forwarded-For`,
/// which any client can send.
pub async fn client_address() -> String {
    let proxy_header = leptos::prelude::use_context::<super::state::AppState>().and_then(|s| s.trusted_proxy);
    if let Some(name) = proxy_header {
        let headers = leptos_axum::extract::<axum::http::HeaderMap>().await.unwrap_or_default();
        return match headers.get_all(&name).iter().next_back().and_then(|v| v.to_str().ok()) {
            Some(value) => value.rsplit(',').next().unwrap_or("").trim().chars().take(64).collect(),
            None => "unknown".into(),
        };
    }
    match leptos_axum::extract::<axum::extract::ConnectInfo<SocketAddr>>().await {
        Ok(axum::extract::ConnectInfo(addr)) => addr.ip().to_string(),
        Err(_) => "unknown".into(),
    }
}

pub(super) fn session_error(e: tower_sessions::session::Error) -> AppError {
    tracing::error!(error = %e, "session store error");
    AppError::Internal
}

/// SHA-256 of `data` in lower-case hex: how member sign-in keys, API tokens and API requests are
/// kept without their text.
pub fn sha256_hex(data: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(data).iter().map(|b| format!("{b:02x}")).collect()
}

/// The signed-in account, or `None`. A disabled account, or a session from before a password
/// reset, is signed out here.
pub async fn current_user(db: &Db, session: &Session) -> AppResult<Option<AuthUser>> {
    let Some(id) = session.get::<UserId>(SESSION_USER_ID).await.map_err(session_error)? else {
        return Ok(None);
    };
    let version = session.get::<i64>(SESSION_AUTH_VERSION).await.map_err(session_error)?;
    match user_by_id(db, id).await? {
        Some(u)
            if !u.disabled
                && Some(u.auth_version) == version
                && super::member_signin::member_session_alive(session, u.role).await? =>
        {
            Ok(Some(u))
        }
        _ => {
            session.flush().await.map_err(session_error)?;
            Ok(None)
        }
    }
}

/// Keeps `value` under `key` for the page that answers a plain form (one of the keys above).
pub async fn keep<T: serde::Serialize>(session: &Session, key: &str, value: T) -> AppResult<()> {
    session.insert(key, value).await.map_err(session_error)
}

/// Keeps `value` under `key` for the page that answers this call when it is a plain form's post
/// (`plain_form_post`); a script's call reads its own answer, and nothing is kept for it.
pub async fn keep_for_form_page<T: serde::Serialize>(key: &str, value: T) -> AppResult<()> {
    if !plain_form_post() {
        return Ok(());
    }
    keep(&session().await?, key, value).await
}

/// Takes what `keep` left under `key`: read once, then gone.
pub async fn take<T: serde::de::DeserializeOwned>(session: &Session, key: &str) -> AppResult<Option<T>> {
    session.remove::<T>(key).await.map_err(session_error)
}

/// Keeps the account name of a refused sign-in for the page that answers it.
pub async fn keep_typed_username(session: &Session, username: &str) -> AppResult<()> {
    keep(session, SESSION_TYPED_USERNAME, username).await
}

/// The account name of this browser's last refused sign-in, if any.
pub async fn typed_username(session: &Session) -> AppResult<Option<String>> {
    session.get::<String>(SESSION_TYPED_USERNAME).await.map_err(session_error)
}

/// Keeps the member list's search (empty: none) for this session.
pub async fn keep_member_search(session: &Session, text: &str) -> AppResult<()> {
    if text.is_empty() {
        take::<String>(session, SESSION_MEMBER_SEARCH).await?;
        return Ok(());
    }
    keep(session, SESSION_MEMBER_SEARCH, text).await
}

/// The member list's search kept for this session, empty if none.
pub async fn member_search(session: &Session) -> AppResult<String> {
    Ok(session.get::<String>(SESSION_MEMBER_SEARCH).await.map_err(session_error)?.unwrap_or_default())
}

/// Signs `user` in on this session under a fresh session id, with nothing of what the browser
/// kept before (a typed account name, another clerk's member search, a member's sign-in step).
pub async fn sign_in(session: &Session, user_id: UserId, auth_version: i64) -> AppResult<()> {
    session.clear().await;
    session.cycle_id().await.map_err(session_error)?;
    session.insert(SESSION_USER_ID, user_id).await.map_err(session_error)?;
    session.insert(SESSION_AUTH_VERSION, auth_version).await.map_err(session_error)?;
    Ok(())
}

pub async fn sign_out(session: &Session) -> AppResult<()> {
    session.flush().await.map_err(session_error)
}

/// The longest account name (as `accounts::check_username` allows); a longer one is refused
/// before anything is logged or stored.
pub const USERNAME_MAX_CHARS: usize = 32;

/// What a locked account is told: the owner need not wait, the supervisor's reset opens it.
pub const ACCOUNT_LOCKED: &str =
    "该账号连续登录失败次数过多，已被锁定15分钟。如需立即登录，请联系上级工会重置密码，重置后即可用新密码登录。";

/// A password check that counts as a failure from before the hash is checked: reserved under a
/// lock on the account name and the address, so parallel attempts cannot all pass the count.
#[derive(Debug)]
pub struct Attempt {
    id: i64,
    /// Failures the account may still have in the window if this one fails too.
    pub left: i64,
}

/// Reserves a failed attempt for `username` from `address`, or refuses while either is locked.
pub async fn reserve_attempt(db: &Db, username: &str, address: &str) -> AppResult<Attempt> {
    let mut tx = db.begin_write().await?;
    if db.backend == Backend::Postgres {
        // SQLite's BEGIN IMMEDIATE already lets one writer in at a time; on PostgreSQL attempts
        // on one account (then one address) take their turn. Always in this order: no deadlock.
        for key in [format!("login-account:{username}"), format!("login-address:{address}")] {
            sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))").bind(key).execute(&mut *tx).await?;
        }
    }
    let since = now() - FAILURE_WINDOW_SECS;
    let by_account: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE username = $1 AND at > $2")
        .bind(username)
        .bind(since)
        .fetch_one(&mut *tx)
        .await?;
    if by_account >= ACCOUNT_FAILURE_LIMIT {
        return Err(AppError::Locked { message: ACCOUNT_LOCKED.into() });
    }
    let by_address: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE address = $1 AND at > $2")
        .bind(address)
        .bind(since)
        .fetch_one(&mut *tx)
        .await?;
    if by_address >= ADDRESS_FAILURE_LIMIT {
        return Err(AppError::Locked { message: "本机登录失败次数过多，请15分钟后再试。".into() });
    }
    let id: i64 =
        sqlx::query_scalar("INSERT INTO login_failures (username, address, at) VALUES ($1, $2, $3) RETURNING id")
            .bind(username)
            .bind(address)
            .bind(now())
            .fetch_one(&mut *tx)
            .await?;
    tx.commit().await?;
    Ok(Attempt { id, left: ACCOUNT_FAILURE_LIMIT - by_account - 1 })
}

/// Takes back a reserved failure: the password was right, or could not be checked.
pub async fn release_attempt(db: &Db, attempt: Attempt) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM login_failures WHERE id = $1").bind(attempt.id).execute(&db.pool).await?;
    Ok(())
}

/// Checks `password` against `hash` (or the dummy hash) as a reserved attempt: a wrong one
/// keeps the failure, a right one takes it back, a check that could not run releases it.
pub async fn checked_attempt(
    db: &Db,
    username: &str,
    address: &str,
    password: String,
    hash: Option<String>,
) -> AppResult<Result<(), Attempt>> {
    let attempt = reserve_attempt(db, username, address).await?;
    match verify_password(password, hash).await {
        Ok(true) => {
            release_attempt(db, attempt).await?;
            Ok(Ok(()))
        }
        Ok(false) => Ok(Err(attempt)),
        Err(e) => {
            release_attempt(db, attempt).await?;
            Err(e)
        }
    }
}

pub async fn clear_failures<'e, E>(exec: E, username: &str) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query("DELETE FROM login_failures WHERE username = $1").bind(username).execute(exec).await?;
    Ok(())
}

/// Fetches the stored hash for a login attempt.
pub async fn login_record(db: &Db, username: &str) -> Result<Option<(AuthUser, String)>, sqlx::Error> {
    let row: Option<(UserId, String)> = sqlx::query_as("SELECT id, password_hash FROM users WHERE username = $1")
        .bind(username)
        .fetch_optional(&db.pool)
        .await?;
    let Some((id, hash)) = row else { return Ok(None) };
    Ok(user_by_id(db, id).await?.map(|u| (u, hash)))
}
