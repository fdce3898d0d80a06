//! A union's own members: the list (searched, filtered, paged, masked), one member's full
//! record (audited), edits with the template's rules, and removal while no card is under way.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{
    domain::{card::CardState, ids::MemberId, member::MemberInput},
    error::AppError,
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberItem {
    pub id: MemberId,
    pub name: String,
    pub id_number_masked: String,
    pub phone_masked: String,
    pub department: String,
    pub card_state: CardState,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberPage {
    pub items: Vec<MemberItem>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

pub const MEMBER_PAGE_SIZE: i64 = 20;

/// The union's departments as its members' records name them, with how many members each has.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DepartmentCount {
    pub name: String,
    pub members: i64,
}

/// The most departments the filter offers; a union with more is offered its largest ones.
pub const DEPARTMENT_CHOICES: usize = 1000;

/// The departments of the union's own members, for the list's department filter: by name, or
/// the `DEPARTMENT_CHOICES` largest when there are more.
#[server(endpoint = "members/departments", output = crate::wire::Answer)]
pub async fn list_departments() -> Result<Vec<DepartmentCount>, AppError> {
    use crate::{
        domain::role::Role,
        server::{caller, members},
    };
    let (db, me) = caller::require(&[Role::Union]).await?;
    let rows = members::departments(&db, me.union()?, DEPARTMENT_CHOICES as i64).await?;
    Ok(rows.into_iter().map(|(name, members)| DepartmentCount { name, members }).collect())
}

/// The member list's address (会员信息) for its filters and page; `searched`: with the search
/// kept in the session (`search_members`), which never stands in the address itself.
pub fn member_list_href(searched: bool, state: Option<CardState>, department: &str, page: i64) -> String {
    let mut params = Vec::new();
    if searched {
        params.push("search=1".to_string());
    }
    if let Some(s) = state {
        params.push(format!("state={}", s.as_str()));
    }
    if !department.is_empty() {
        params.push(format!("department={}", crate::domain::percent_encode(department)));
    }
    if page > 1 {
        params.push(format!("page={page}"));
    }
    if params.is_empty() {
        "/union/members".into()
    } else {
        format!("/union/members?{}", params.join("&"))
    }
}

/// 查询 on the member list, a plain form: keeps the search text in the session (a whole ID or
/// phone number never goes into the list's address, so not into the browser's history or a
/// proxy's log; signing out forgets it) and answers with the list's address for the filters.
#[server(endpoint = "members/search", output = crate::wire::Answer)]
pub async fn search_members(q: String, state: String, department: String) -> Result<(), AppError> {
    use crate::{
        domain::role::Role,
        server::{auth, caller},
    };
    /// The longest search or department kept: a name or a whole ID number is far shorter.
    const SEARCH_MAX_CHARS: usize = 64;
    caller::require(&[Role::Union]).await?;
    let q: String = q.trim().chars().take(SEARCH_MAX_CHARS).collect();
    auth::keep_member_search(&auth::session().await?, &q).await?;
    let department: String = department.chars().take(SEARCH_MAX_CHARS).collect();
    leptos_axum::redirect(&member_list_href(!q.is_empty(), CardState::parse(&state), &department, 1));
    Ok(())
}

/// The member search kept for this session (`search_members`), empty if none.
#[server(endpoint = "members/search_text", output = crate::wire::Answer)]
pub async fn member_search() -> Result<String, AppError> {
    use crate::{
        domain::role::Role,
        server::{auth, caller},
    };
    caller::require(&[Role::Union]).await?;
    auth::member_search(&auth::session().await?).await
}

/// The union's own members, searched by name, ID tail or phone and filtered by card state and
/// department (`None` and empty: all); ID and phone masked.
#[server(endpoint = "members/list", output = crate::wire::Answer)]
pub async fn list_members(
    query: String,
    state: Option<CardState>,
    department: String,
    page: i64,
) -> Result<MemberPage, AppError> {
    use crate::{domain::role::Role, server::caller};
    let (db, me) = caller::require(&[Role::Union]).await?;
    let union = me.union()?;
    member_page(&db, &me, union, &query, state, department, page).await
}

/// A grassroots union's members as its supervisor sees them (any union of the supervisor's
/// subtree), searched and filtered like the union's own list; ID and phone masked.
#[server(endpoint = "supervisor/members", output = crate::wire::Answer)]
pub async fn list_supervised_members(
    union_id: crate::domain::ids::UnionId,
    query: String,
    state: Option<CardState>,
    page: i64,
) -> Result<MemberPage, AppError> {
    use crate::{
        domain::role::{Role, UnionLevel},
        server::{caller, supervision},
    };
    let (db, me) = caller::require(&[Role::Supervisor]).await?;
    let node = supervision::node_in_scope(&db, &me, Some(union_id)).await?;
    if node.level != UnionLevel::Grassroots {
        return Err(AppError::NotFound);
    }
    member_page(&db, &me, node.id, &query, state, String::new(), page).await
}

/// One page of `union`'s members for the caller (already checked), masked; a whole ID or phone
/// number searched counts as a view of each record found (audited).
#[cfg(feature = "ssr")]
async fn member_page(
    db: &crate::server::Db,
    me: &crate::server::caller::Caller,
    union: crate::domain::ids::UnionId,
    query: &str,
    state: Option<CardState>,
    department: String,
    page: i64,
) -> Result<MemberPage, AppError> {
    use crate::{
        domain::{mask_id, phone::mask, search::MemberQuery},
        server::{audit, members},
    };
    let page = page.max(1);
    let query = MemberQuery::parse(query).map_err(|m| AppError::invalid("query", m))?;
    let searches = use_context::<crate::server::state::AppState>().map(|s| s.member_searches);
    if query != MemberQuery::All && searches.is_some_and(|limit| !limit.allow(me.id())) {
        return Err(AppError::Locked { message: "查询过于频繁，请稍后再试。".into() });
    }
    let whole_number = matches!(query, MemberQuery::Number(_));
    let filter = members::ListFilter { query, state, department };
    let offset = (page - 1).saturating_mul(MEMBER_PAGE_SIZE);
    let (rows, total) = members::list(db, union, &filter, MEMBER_PAGE_SIZE, offset).await?;
    if whole_number {
        // a whole number found is as good as the record itself: audited as a view of it
        for r in &rows {
            audit::record(&db.pool, Some(me.id()), "member_looked_up", &format!("member:{}", r.id), "").await?;
        }
    }
    let items = rows
        .into_iter()
        .map(|r| MemberItem {
            id: r.id,
            name: r.name,
            id_number_masked: mask_id(&r.id_number),
            phone_masked: mask(&r.phone),
            department: r.department.unwrap_or_default(),
            card_state: r.card_state,
        })
        .collect();
    Ok(MemberPage { items, total, page, page_size: MEMBER_PAGE_SIZE })
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberDetail {
    pub id: MemberId,
    pub input: MemberInput,
    pub card_state: CardState,
    /// YYYYMMDD on the server: the browser checks birth dates against it.
    pub today: String,
    /// What the member reported wrong and not yet answered, with the value the member gave, in
    /// full: the edit form is where the clerk types it in (lists mask it).
    pub reports: Vec<OpenReport>,
    /// Why the bank returned the card, while it is 未办卡—待处理: what the clerk corrects here.
    #[serde(default)]
    pub rejections: Vec<crate::api::cards::ReasonView>,
}

/// A member's report of a wrong field, still open.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenReport {
    pub field: String,
    pub field_label: String,
    pub proposed: String,
    pub created_at: i64,
}

#[cfg(feature = "ssr")]
async fn rejections(
    db: &crate::server::Db,
    union: crate::domain::ids::UnionId,
    member: MemberId,
) -> Result<Vec<crate::api::cards::ReasonView>, AppError> {
    let rows = crate::server::batches::rejections_of_member(db, union, member).await?;
    Ok(rows
        .into_iter()
        .map(|r| crate::api::cards::ReasonView {
            reason: r.reason,
            label: r.reason.label().to_string(),
            remedy: r.reason.remedy().to_string(),
            text: r.text,
        })
        .collect())
}

#[cfg(feature = "ssr")]
async fn open_reports(db: &crate::server::Db, member: MemberId) -> Result<Vec<OpenReport>, AppError> {
    use crate::domain::member_portal::reportable_label;
    let rows = crate::server::member_portal::reports_of_member(db, member, true).await?;
    Ok(rows
        .into_iter()
        .map(|r| OpenReport {
            field_label: reportable_label(&r.field).unwrap_or("").to_string(),
            field: r.field,
            proposed: r.proposed,
            created_at: r.created_at,
        })
        .collect())
}

/// The fields the bank reviews and prints on the card: the union changes them only in the states
/// [`CardState::identity_lock`] allows.
pub const IDENTITY_FIELDS: [&str; 3] = ["name", "id_type", "id_number"];

impl MemberDetail {
    /// A card under way is not removed from the list; the bank holds it.
    pub fn removable(&self) -> bool {
        self.card_state.with_union()
    }

    /// Why the form may not change the name and ID fields now, if it may not.
    pub fn identity_lock(&self) -> Option<&'static str> {
        self.card_state.identity_lock()
    }
}

#[server(endpoint = "members/get", output = crate::wire::Answer)]
pub async fn get_member(id: MemberId) -> Result<MemberDetail, AppError> {
    use crate::{
        domain::role::Role,
        server::{audit, caller, imports::today, members},
    };
    let (db, me) = caller::require(&[Role::Union]).await?;
    let row = members::own(&db, me.union()?, id).await?;
    // the edit form shows the full ID and phone: that access is recorded
    audit::record(&db.pool, Some(me.id()), "member_viewed", &format!("member:{id}"), "").await?;
    let reports = open_reports(&db, id).await?;
    let rejections = rejections(&db, me.union()?, id).await?;
    Ok(MemberDetail { id, input: row.input()?, card_state: row.card_state, today: today(), reports, rejections })
}

#[server(endpoint = "members/update", output = crate::wire::Answer)]
pub async fn update_member(id: MemberId, input: MemberInput) -> Result<MemberDetail, AppError> {
    use crate::{
        domain::{member::StoredMember, role::Role, FieldError},
        server::{audit, caller, db::OnUnique, imports, imports::today, members},
    };
    let (db, me) = caller::require(&[Role::Union]).await?;
    let union = me.union()?;
    let row = members::own(&db, union, id).await?;
    let before = row.input()?;
    let (record, _) = input.parse(&today()).map_err(|errors| AppError::Invalid {
        errors: errors.into_iter().map(|e| FieldError { field: e.field, message: e.message }).collect(),
    })?;
    let taken_message = |owner: Option<(crate::domain::ids::UnionId, String)>| match owner {
        // another union's name is not revealed
        Some((owner, union_name)) if owner == union => format!("该证件号码在【{union_name}】中已存在！"),
        _ => "该证件号码已存在！".to_string(),
    };
    if record.id_number != row.id_number {
        // a changed ID that turns out to be another union's tells something about it: counted
        // with the imports' reports (see `imports::record_id_hits`)
        imports::check_id_hit_throttle(&db, union).await?;
    }
    if let Some((holder, owner, union_name)) = members::id_number_holder(&db, &record.id_number, id).await? {
        if owner != union {
            imports::record_id_hits(&db, Some(me.id()), union, &format!("member:{id}"), &[holder]).await?;
        }
        return Err(AppError::invalid("id_number", taken_message(Some((owner, union_name)))));
    }
    let stored = StoredMember::from(&record);
    let after = record.to_input();
    let changed: Vec<&str> = crate::domain::member::FIELDS
        .iter()
        .filter(|(f, _)| before.get(f) != after.get(f))
        .map(|(_, label)| *label)
        .collect();
    let mut tx = db.begin_write().await?;
    if IDENTITY_FIELDS.iter().any(|f| before.get(f) != after.get(f)) {
        // the card's state as this transaction sees it, locked on PostgreSQL against a batch
        // application at the same moment
        let lock = db.backend.row_lock(" FOR UPDATE");
        let state: CardState =
            sqlx::query_scalar(&format!("SELECT state FROM cards WHERE union_id = $1 AND member_id = $2{lock}"))
                .bind(union)
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
        if let Some(why) = state.identity_lock() {
            return Err(AppError::refused("identity_locked", why));
        }
    }
    // an ID recorded by someone else since the check above
    members::update(&mut tx, id, &stored).await.on_unique(|| AppError::invalid("id_number", taken_message(None)))?;
    audit::record(&mut *tx, Some(me.id()), "member_updated", &format!("member:{id}"), &changed.join("、")).await?;
    tx.commit().await?;
    let reports = open_reports(&db, id).await?;
    let rejections = rejections(&db, me.union()?, id).await?;
    Ok(MemberDetail { id, input: after, card_state: row.card_state, today: today(), reports, rejections })
}

#[server(endpoint = "members/delete", output = crate::wire::Answer)]
pub async fn delete_member(id: MemberId) -> Result<(), AppError> {
    use crate::{
        domain::{mask_id, role::Role},
        server::{audit, caller, cards, members},
    };
    let (db, me) = caller::require(&[Role::Union]).await?;
    let union = me.union()?;
    let row = members::own(&db, union, id).await?;
    let message = |state: CardState| format!("该会员的会员服务卡处于“{}”，不能删除。", state.label());
    if !matches!(row.card_state, CardState::Pending | CardState::Rejected) {
        return Err(AppError::refused("member_card_under_way", message(row.card_state)));
    }
    let mut tx = db.begin_write().await?;
    if cards::remove_member(&mut tx, union, id).await?.is_none() {
        // the card moved (or the member went) since it was read: nothing is deleted
        drop(tx);
        return Err(match members::own(&db, union, id).await {
            Ok(now) => AppError::conflict("card_moved", format!("已被他人处理：{}", message(now.card_state))),
            Err(e) => e,
        });
    }
    audit::record(
        &mut *tx,
        Some(me.id()),
        "member_deleted",
        &format!("member:{id}"),
        &format!("{} {}", row.name, mask_id(&row.id_number)),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A field of a member's record the bank corrected at activation, as the union reads it (ID and
/// phone numbers masked).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorrectionItem {
    pub member: MemberId,
    pub member_name: String,
    pub field_label: String,
    pub old_value: String,
    pub new_value: String,
    pub at: i64,
}

/// The union's latest corrections by the bank (of one member when `member` is given).
#[server(endpoint = "members/corrections", output = crate::wire::Answer)]
pub async fn list_corrections(#[server(default)] member: Option<MemberId>) -> Result<Vec<CorrectionItem>, AppError> {
    use crate::{
        domain::{mask_id, member::field_label as label, phone, role::Role},
        server::{caller, members},
    };
    let (db, me) = caller::require(&[Role::Union]).await?;
    let rows = members::corrections(&db, me.union()?, member, 20).await?;
    let shown = |field: &str, v: &str| match field {
        "id_number" => mask_id(v),
        "phone" => phone::mask(v),
        _ => v.to_string(),
    };
    Ok(rows
        .into_iter()
        .map(|r| CorrectionItem {
            member: r.member_id,
            member_name: r.member_name,
            field_label: label(&r.field).to_string(),
            old_value: shown(&r.field, &r.old_value),
            new_value: shown(&r.field, &r.new_value),
            at: r.at,
        })
        .collect())
}

/// The bank corrects a member's name, ID number or phone at activation, from the member's papers:
/// the shared validation applies, the change is audited, and the union sees each changed field.
/// Answers the labels of the fields changed.
#[server(endpoint = "bank/members/correct", output = crate::wire::Answer)]
pub async fn correct_member(
    member: MemberId,
    name: String,
    id_number: String,
    phone: String,
) -> Result<Vec<String>, AppError> {
    use crate::{
        domain::role::Role,
        server::{caller, deliveries},
    };
    let (db, me) = caller::require(&[Role::Bank]).await?;
    let fix = deliveries::Correction { name, id_number, phone };
    deliveries::correct(&db, me.bank()?, Some(me.id()), member, fix).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_address_holds_the_filters_and_page_but_never_the_search_text() {
        assert_eq!(member_list_href(false, None, "", 1), "/union/members");
        assert_eq!(member_list_href(false, None, "", 3), "/union/members?page=3");
        assert_eq!(
            member_list_href(true, Some(CardState::Activated), "仓储 部&1", 2),
            "/union/members?search=1&state=activated&department=%E4%BB%93%E5%82%A8%20%E9%83%A8%261&page=2"
        );
    }
}
