//! A grassroots union's 单位信息 and 工会组织信息.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::domain::role::Role;

use crate::{domain::union_info::UnionInfoForm, error::AppError};

#[cfg(feature = "ssr")]
use crate::domain::ids::UnionId;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BranchOption {
    pub code: String,
    pub name: String,
    pub bank_name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnionInfoView {
    pub form: UnionInfoForm,
    pub branches: Vec<BranchOption>,
    /// Labels of required fields still empty; import and card applications wait for these.
    pub missing: Vec<String>,
    /// The page follows a save that went through (a plain form's, kept in the session once).
    pub saved: bool,
}

#[cfg(feature = "ssr")]
async fn view_of(db: &crate::server::Db, union_id: UnionId) -> Result<UnionInfoView, AppError> {
    use crate::server::{banks, unions};
    let form = unions::info(db, union_id).await?;
    let branches = banks::branches(db)
        .await?
        .into_iter()
        .map(|b| BranchOption { code: b.code, name: b.name, bank_name: b.bank_name })
        .collect();
    let missing = form.missing().into_iter().map(String::from).collect();
    Ok(UnionInfoView { form, branches, missing, saved: false })
}

#[server(endpoint = "union/info", output = crate::wire::Answer)]
pub async fn get_union_info() -> Result<UnionInfoView, AppError> {
    use crate::server::caller;
    let (db, me) = caller::require(&[Role::Union]).await?;
    view_of(&db, me.union()?).await
}

/// The 单位信息 page: the record, with what the last plain 保存 left for this page.
#[server(endpoint = "union/info/page", output = crate::wire::Answer)]
pub async fn get_union_info_page() -> Result<UnionInfoView, AppError> {
    use crate::server::auth;
    let mut view = get_union_info().await?;
    // what the last plain 保存 left for this page, read once: the form as typed when it was
    // refused (its messages come in the address), or that it went through
    let session = auth::session().await?;
    if let Some(typed) = auth::take::<UnionInfoForm>(&session, auth::SESSION_TYPED_UNION_INFO).await? {
        view.form = typed;
    }
    view.saved = auth::take::<bool>(&session, auth::SESSION_UNION_INFO_SAVED).await?.unwrap_or(false);
    Ok(view)
}

/// Saves the union's record, all fields checked. A plain form's 保存 leaves for the page that
/// answers it the form as typed when refused, or that it was saved.
#[server(endpoint = "union/info/save", output = crate::wire::Answer)]
pub async fn save_union_info(info: UnionInfoForm) -> Result<UnionInfoView, AppError> {
    use crate::server::auth;
    let saved = save_checked(info.clone()).await;
    match &saved {
        Ok(_) => auth::keep_for_form_page(auth::SESSION_UNION_INFO_SAVED, true).await?,
        Err(AppError::Invalid { .. }) => auth::keep_for_form_page(auth::SESSION_TYPED_UNION_INFO, info).await?,
        Err(_) => {}
    }
    saved
}

#[cfg(feature = "ssr")]
async fn save_checked(info: UnionInfoForm) -> Result<UnionInfoView, AppError> {
    use crate::server::{audit, banks, caller, db::OnUnique, unions};
    let (db, me) = caller::require(&[Role::Union]).await?;
    let union_id = me.union()?;
    let checked = info.parse().map_err(|errors| AppError::Invalid { errors })?;
    if !banks::branch_exists(&db, &checked.pickup_branch).await? {
        return Err(AppError::invalid("pickup_branch", "无效的领卡网点！"));
    }
    if let Some(a) = &checked.agreement {
        if !banks::branch_exists(&db, &a.branch).await? {
            return Err(AppError::invalid("agreement_branch", "无效的合作网点！"));
        }
        let today = crate::domain::calendar::Date::of_timestamp(crate::server::db::now()).ok_or(AppError::Internal)?;
        if a.signed_on > today {
            return Err(AppError::invalid("agreement_signed_on", "签约日期不能晚于今天。"));
        }
    }
    let name_taken = || AppError::invalid("union_name", "该工会名称已被其他工会登记，请核对工会全称。");
    if unions::name_taken(&db, &checked.union_name, Some(union_id)).await? {
        return Err(name_taken());
    }
    let mut tx = db.begin_write().await?;
    if unions::bank_change_blocked(&mut tx, db.backend, union_id, &checked.pickup_branch).await? {
        return Err(AppError::invalid(
            "pickup_branch",
            "本工会还有会员服务卡在银行审核、制卡、送卡、待发放或待激活中，办完前不能改到其他银行的领卡网点。",
        ));
    }
    unions::save_info(&mut tx, union_id, &checked).await.on_unique(name_taken)?;
    audit::record(&mut *tx, Some(me.id()), "union_info_saved", &format!("union:{union_id}"), "").await?;
    tx.commit().await?;
    view_of(&db, union_id).await
}
