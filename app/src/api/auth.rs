//! Login, logout, first-login password change, and who am I.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{domain::role::Role, error::AppError};

/// The signed-in account as the browser sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Me {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub union_name: Option<String>,
    pub must_change_password: bool,
}

#[server(endpoint = "me", output = crate::wire::Answer)]
pub async fn who_am_i() -> Result<Option<Me>, AppError> {
    use crate::server::{auth, state, unions};
    let db = state::db()?;
    let session = auth::session().await?;
    let Some(u) = auth::current_user(&db, &session).await? else { return Ok(None) };
    let union_name = match u.union_id {
        Some(id) => unions::node(&db, id).await?.map(|n| n.name),
        None => None,
    };
    Ok(Some(Me {
        username: u.username.clone(),
        display_name: u.display_name.clone(),
        role: u.role,
        union_name,
        must_change_password: u.must_change_password,
    }))
}

/// The account name this browser last typed into a refused sign-in: the page is a plain form, so
/// it comes back from the server with the name filled in.
#[server(endpoint = "login_typed", output = crate::wire::Answer)]
pub async fn typed_login_name() -> Result<Option<String>, AppError> {
    use crate::server::auth;
    auth::typed_username(&auth::session().await?).await
}

#[server(endpoint = "login", output = crate::wire::Answer)]
pub async fn login(username: String, password: String) -> Result<(), AppError> {
    use crate::server::{accounts, audit, auth, state};
    let db = state::db()?;
    let username = username.trim().to_string();
    // no account has a longer name: refused before it is logged, stored or hashed against
    if username.chars().count() > auth::USERNAME_MAX_CHARS || password.len() > 256 {
        return Err(AppError::invalid("password", "账号或密码错误。"));
    }
    // whatever the answer, the page comes back with the name typed (never the password)
    let session = auth::session().await?;
    auth::keep_typed_username(&session, &username).await?;
    if username.is_empty() || password.is_empty() {
        return Err(AppError::invalid("username", "请输入账号和密码。"));
    }
    let address = auth::client_address().await;
    let record = auth::login_record(&db, &username).await?;
    let (user, hash) = match record {
        Some((u, h)) => (Some(u), Some(h)),
        None => (None, None),
    };
    // the failure is counted before the password is checked (see `auth::reserve_attempt`)
    let checked = auth::checked_attempt(&db, &username, &address, password, hash).await?;
    let user = match (user, checked) {
        (Some(u), Ok(())) => u,
        (_, outcome) => {
            let left = match outcome {
                Err(attempt) => attempt.left,
                // a right password for no account cannot happen (the dummy hash's is unknown)
                Ok(()) => auth::ACCOUNT_FAILURE_LIMIT,
            };
            audit::record(&db.pool, None, "login_failed", &format!("user:{username}"), &address).await?;
            return Err(if left > 0 {
                AppError::invalid("password", format!("账号或密码错误，再错{left}次账号将被锁定15分钟。"))
            } else {
                AppError::Locked { message: auth::ACCOUNT_LOCKED.into() }
            });
        }
    };
    if user.disabled {
        return Err(AppError::denied("account_disabled", "该账号已停用，请联系上级工会。"));
    }
    auth::clear_failures(&db.pool, &username).await?;
    accounts::touch_login(&db, user.id).await?;
    auth::sign_in(&session, user.id, user.auth_version).await?;
    audit::record(&db.pool, Some(user.id), "login", &format!("user:{}", user.username), &address).await?;
    let target = if user.must_change_password { "/change-password" } else { user.role.home() };
    leptos_axum::redirect(target);
    Ok(())
}

#[server(endpoint = "logout", output = crate::wire::Answer)]
pub async fn logout() -> Result<(), AppError> {
    use crate::server::{auth, state};
    let session = auth::session().await?;
    let member = match auth::current_user(&state::db()?, &session).await? {
        Some(u) => u.role == Role::Member,
        None => false,
    };
    auth::sign_out(&session).await?;
    leptos_axum::redirect(if member { "/me/login" } else { "/login" });
    Ok(())
}

/// Changes the caller's password; the only call (with logout) open to an account that still
/// has its initial password. Other sessions of the account end.
#[server(endpoint = "change_password", output = crate::wire::Answer)]
pub async fn change_password(current: String, new: String, confirm: String) -> Result<(), AppError> {
    use crate::{
        domain::password,
        server::{accounts, audit, auth, state},
    };
    let db = state::db()?;
    let session = auth::session().await?;
    let user = auth::current_user(&db, &session).await?.ok_or(AppError::Unauthenticated)?;
    let mut errors = Vec::new();
    if let Err(m) = password::check_new(&new, &user.username) {
        errors.push(("new", m.to_string()));
    } else if new == current {
        errors.push(("new", "新密码不能与原密码相同。".to_string()));
    }
    if new != confirm {
        errors.push(("confirm", "两次输入的新密码不一致。".to_string()));
    }
    let (_, hash) = auth::login_record(&db, &user.username).await?.ok_or(AppError::Unauthenticated)?;
    // a wrong current password counts like a wrong login (a stolen session cannot guess it)
    let address = auth::client_address().await;
    if current.is_empty() {
        // nothing typed is no guess: not counted toward the lock
        let asked = if user.must_change_password { "请输入初始密码。" } else { "请输入原密码。" };
        errors.insert(0, ("current", asked.to_string()));
    } else if current.len() > 256 {
        errors.insert(0, ("current", "原密码不正确。".to_string()));
    } else if let Err(attempt) = auth::checked_attempt(&db, &user.username, &address, current, Some(hash)).await? {
        audit::record(&db.pool, Some(user.id), "password_change_failed", &format!("user:{}", user.username), &address)
            .await?;
        if attempt.left == 0 {
            return Err(AppError::Locked { message: auth::ACCOUNT_LOCKED.into() });
        }
        errors.insert(0, ("current", format!("原密码不正确，再错{}次账号将被锁定15分钟。", attempt.left)));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid {
            errors: errors
                .into_iter()
                .map(|(f, m)| crate::domain::FieldError { field: f.into(), message: m })
                .collect(),
        });
    }
    let hash = auth::hash_password(new).await?;
    let mut tx = db.begin_write().await?;
    let version = accounts::set_password(&mut tx, user.id, &hash, false).await?;
    audit::record(&mut *tx, Some(user.id), "password_changed", &format!("user:{}", user.username), "").await?;
    auth::clear_failures(&mut *tx, &user.username).await?;
    tx.commit().await?;
    auth::sign_in(&session, user.id, version).await?;
    leptos_axum::redirect(user.role.home());
    Ok(())
}

/// Where a role lands; used by the login page when already signed in.
pub fn home_of(me: &Me) -> &'static str {
    if me.must_change_password {
        "/change-password"
    } else {
        me.role.home()
    }
}
