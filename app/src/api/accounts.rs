//! A supervisor opens, resets and disables the accounts of the unions below it.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{
    domain::{
        ids::{UnionId, UserId},
        role::{Role, UnionLevel},
    },
    error::AppError,
};

pub const PAGE_SIZE: i64 = 20;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountItem {
    pub id: UserId,
    pub username: String,
    pub role: Role,
    pub union_name: String,
    pub level: UnionLevel,
    /// 待激活: still on the initial password.
    pub pending_activation: bool,
    pub disabled: bool,
    pub last_login_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountPage {
    pub items: Vec<AccountItem>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

/// A union under which the supervisor may open an account, and the levels it may open there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParentOption {
    pub id: UnionId,
    pub name: String,
    pub level: UnionLevel,
    pub child_levels: Vec<UnionLevel>,
}

/// Shown once, to the supervisor who created or reset the account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Credentials {
    pub username: String,
    pub union_name: String,
    pub initial_password: String,
}

#[server(endpoint = "accounts/list", output = crate::wire::Answer)]
pub async fn list_accounts(query: String, page: i64) -> Result<AccountPage, AppError> {
    use crate::server::{accounts, caller};
    let (db, me) = caller::require(&[Role::Supervisor]).await?;
    let page = page.max(1);
    let (rows, total) = accounts::list(&db, me.subtree()?, &query, PAGE_SIZE, (page - 1) * PAGE_SIZE).await?;
    let items = rows
        .into_iter()
        .map(|r| AccountItem {
            id: r.id,
            username: r.username,
            role: r.role,
            union_name: r.union_name,
            level: r.level,
            pending_activation: r.must_change_password,
            disabled: r.disabled,
            last_login_at: r.last_login_at,
        })
        .collect();
    Ok(AccountPage { items, total, page, page_size: PAGE_SIZE })
}

#[server(endpoint = "accounts/parents", output = crate::wire::Answer)]
pub async fn parent_options() -> Result<Vec<ParentOption>, AppError> {
    use crate::server::{caller, unions};
    let (db, me) = caller::require(&[Role::Supervisor]).await?;
    Ok(unions::supervising_nodes(&db, me.subtree()?)
        .await?
        .into_iter()
        .map(|n| ParentOption { id: n.id, level: n.level, child_levels: n.level.children().to_vec(), name: n.name })
        .collect())
}

/// Account names: 4–32 letters, digits, `_`, `-` or `.`; case is kept but must be unique.
pub fn check_username(username: &str) -> Result<(), &'static str> {
    let n = username.chars().count();
    if !(4..=32).contains(&n) {
        return Err("账号长度应为4至32位。");
    }
    if !username.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')) {
        return Err("账号只能使用字母、数字和 _ - . 符号。");
    }
    Ok(())
}

#[server(endpoint = "accounts/create", output = crate::wire::Answer)]
pub async fn create_account(
    parent_id: UnionId,
    level: String,
    union_name: String,
    username: String,
) -> Result<Credentials, AppError> {
    use crate::{
        domain::{union_info::parse_union_name, FieldError},
        server::{accounts, audit, auth, caller, db::OnUnique, unions},
    };
    let (db, me) = caller::require(&[Role::Supervisor]).await?;
    let root = me.subtree()?;
    let parent = unions::node(&db, parent_id).await?.filter(|p| root.contains(p)).ok_or(AppError::NotFound)?;
    let mut errors = Vec::new();
    let mut err = |f: &str, m: &str| errors.push(FieldError { field: f.into(), message: m.into() });
    let level = UnionLevel::parse(&level);
    match level {
        Some(l) if parent.level.children().contains(&l) => {}
        _ => err("level", "请选择该上级工会下可以开设的工会类型。"),
    }
    let union_name = union_name.trim().to_string();
    let username = username.trim().to_string();
    match parse_union_name(&union_name) {
        Err(m) => err("union_name", m),
        Ok(_) if unions::name_taken(&db, &union_name, None).await? => err("union_name", "该工会名称已存在。"),
        Ok(_) => {}
    }
    if let Err(m) = check_username(&username) {
        err("username", m);
    } else if accounts::username_taken(&db, &username).await? {
        err("username", "该账号已存在，请换一个。");
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid { errors });
    }
    let level = level.expect("checked above");
    let password = auth::generate_initial_password();
    let hash = auth::hash_password(password.clone()).await?;
    let mut tx = db.begin_write().await?;
    let created = async {
        let union_id = unions::create(&mut tx, Some(&parent), level, &union_name).await?;
        let user_id = accounts::insert(
            &mut tx,
            &accounts::NewAccount {
                username: &username,
                display_name: &union_name,
                role: level.account_role(),
                union_id: Some(union_id),
                bank_id: None,
                member_id: None,
                password_hash: &hash,
                must_change_password: true,
                created_by: Some(me.id()),
            },
        )
        .await?;
        audit::record(&mut *tx, Some(me.id()), "account_created", &format!("user:{username}"), &union_name).await?;
        Ok::<UserId, sqlx::Error>(user_id)
    }
    .await;
    // a concurrent request took the name between the check and the insert
    created.on_unique(|| AppError::conflict("name_taken", "该账号或工会名称已存在，请刷新后重试。"))?;
    tx.commit().await?;
    Ok(Credentials { username, union_name, initial_password: password })
}

#[server(endpoint = "accounts/reset", output = crate::wire::Answer)]
pub async fn reset_password(user_id: UserId) -> Result<Credentials, AppError> {
    use crate::server::{accounts, audit, auth, caller};
    let (db, me) = caller::require(&[Role::Supervisor]).await?;
    let (target, union) = accounts::managed_account(&db, me.subtree()?, user_id).await?.ok_or(AppError::NotFound)?;
    let password = auth::generate_initial_password();
    let hash = auth::hash_password(password.clone()).await?;
    let mut tx = db.begin_write().await?;
    accounts::set_password(&mut tx, target.id, &hash, true).await?;
    auth::clear_failures(&mut *tx, &target.username).await?;
    audit::record(&mut *tx, Some(me.id()), "password_reset", &format!("user:{}", target.username), "").await?;
    tx.commit().await?;
    Ok(Credentials { username: target.username, union_name: union.name, initial_password: password })
}

#[server(endpoint = "accounts/disable", output = crate::wire::Answer)]
pub async fn set_account_disabled(user_id: UserId, disabled: bool) -> Result<(), AppError> {
    use crate::server::{accounts, audit, caller};
    let (db, me) = caller::require(&[Role::Supervisor]).await?;
    let (target, _) = accounts::managed_account(&db, me.subtree()?, user_id).await?.ok_or(AppError::NotFound)?;
    let mut tx = db.begin_write().await?;
    accounts::set_disabled(&mut tx, target.id, disabled).await?;
    let action = if disabled { "account_disabled" } else { "account_enabled" };
    audit::record(&mut *tx, Some(me.id()), action, &format!("user:{}", target.username), "").await?;
    tx.commit().await?;
    Ok(())
}
