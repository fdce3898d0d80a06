//! A grassroots union's home: what is missing from its information, and its cards by state.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{api::cards::StateCount, error::AppError};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnionOverview {
    pub name: String,
    /// Required info still missing: import and card applications are locked until it is done.
    pub missing: Vec<String>,
    /// Why batch card applications are locked (info missing, or no bank agreement), if they are.
    pub batch_lock: Option<String>,
    pub by_state: Vec<StateCount>,
    pub members_total: i64,
    /// Members whose latest answer to their card handed out is 未收到.
    pub not_received: i64,
    /// Members' reports of wrong information still open.
    pub open_reports: i64,
}

#[server(endpoint = "overview/union", output = crate::wire::Answer)]
pub async fn get_union_overview() -> Result<UnionOverview, AppError> {
    use crate::{
        api::cards::state_counts,
        domain::role::Role,
        server::{caller, cards, member_portal, unions},
    };
    let (db, me) = caller::require(&[Role::Union]).await?;
    let union_id = me.union()?;
    let form = unions::info(&db, union_id).await?;
    let by_state = state_counts(cards::counts_of_union(&db, union_id).await?);
    let (_, not_received) = member_portal::receipt_counts(&db, union_id).await?;
    let open_reports = member_portal::open_reports(&db, union_id).await?;
    Ok(UnionOverview {
        not_received,
        open_reports,
        missing: form.missing().into_iter().map(String::from).collect(),
        batch_lock: form.batch_lock(),
        name: form.union_name,
        members_total: by_state.iter().map(|s| s.count).sum(),
        by_state,
    })
}
