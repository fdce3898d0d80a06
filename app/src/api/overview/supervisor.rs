//! The supervisor's overview of its subtree, or of any union below it.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{
    api::cards::StateCount,
    domain::{ids::UnionId, role::UnionLevel},
    error::AppError,
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChildUnion {
    pub id: UnionId,
    pub name: String,
    pub level: UnionLevel,
    pub grassroots: i64,
    pub members: i64,
}

/// Uploads and edits a union may make in a day that report IDs held by other unions or under
/// other names; past it, its imports and ID changes wait until the next day.
pub const ID_HIT_REPORTS_PER_DAY: i64 = 10;

/// A union whose uploads or edits reported ID numbers held by other unions or under other names
/// in the last 24 hours: a clerk probing whose IDs are on record shows here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdHitUnion {
    pub id: UnionId,
    pub name: String,
    /// Uploads and edits that reported such IDs.
    pub reports: i64,
    /// Past the day's limit: its imports and ID changes wait until tomorrow.
    pub throttled: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SupervisorOverview {
    pub id: UnionId,
    pub name: String,
    pub level: UnionLevel,
    /// Set when drilled down below the supervisor's own union.
    pub parent_id: Option<UnionId>,
    pub grassroots_total: i64,
    pub grassroots_activated: i64,
    pub grassroots_info_complete: i64,
    pub members_total: i64,
    pub by_state: Vec<StateCount>,
    pub children: Vec<ChildUnion>,
    #[serde(default)]
    pub id_hit_unions: Vec<IdHitUnion>,
    /// Of the cards handed out (已发放 and 已激活): those the member confirmed (我已领到卡) and
    /// those the member said they did not receive; the rest only the union recorded.
    #[serde(default)]
    pub receipts: Receipts,
}

/// Cards handed out, by what their members answered.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Receipts {
    pub handed_out: i64,
    pub confirmed: i64,
    pub not_received: i64,
}

impl Receipts {
    /// Cards only the union recorded as handed out (no answer from the member).
    pub fn union_only(&self) -> i64 {
        (self.handed_out - self.confirmed - self.not_received).max(0)
    }
}

/// The most child unions listed.
pub const CHILDREN_SHOWN: i64 = 500;

#[server(endpoint = "overview/supervisor")]
pub async fn get_supervisor_overview(union_id: Option<UnionId>) -> Result<SupervisorOverview, AppError> {
    use crate::{
        api::cards::state_counts,
        domain::card::CardState,
        domain::role::Role,
        server::{caller, cards, imports, member_portal, unions},
    };
    let (db, me) = caller::require(&[Role::Supervisor]).await?;
    let own = me.subtree()?;
    let node = match union_id {
        Some(id) if id != own.id => {
            let n = unions::node(&db, id).await?.ok_or(AppError::NotFound)?;
            if !own.contains(&n) {
                return Err(AppError::NotFound);
            }
            n
        }
        _ => own.clone(),
    };
    let (lo, hi) = node.subtree_range();
    let progress = unions::grassroots_progress(&db, &node).await?;
    let by_state = state_counts(cards::counts_in_subtree(&db, &lo, &hi).await?);
    let members_total = by_state.iter().map(|s| s.count).sum();
    let handed_out = by_state
        .iter()
        .filter(|s| matches!(s.state, CardState::Distributed | CardState::Activated))
        .map(|s| s.count)
        .sum();
    let (confirmed, not_received) = member_portal::receipt_counts_in_subtree(&db, &lo, &hi).await?;
    let receipts = Receipts { handed_out, confirmed, not_received };
    // Per child: grassroots unions and members below it, folded from one grouped query.
    let children = unions::children(&db, node.id, CHILDREN_SHOWN).await?;
    let grassroots = cards::members_by_grassroots(&db, &lo, &hi).await?;
    let children = children
        .into_iter()
        .map(|c| {
            let below = grassroots.iter().filter(|(p, _)| p.starts_with(&c.path));
            let (g, m) = below.fold((0, 0), |(g, m), (_, n)| (g + 1, m + n));
            ChildUnion { id: c.id, level: c.level, name: c.name, grassroots: g, members: m }
        })
        .collect();
    let id_hit_unions = imports::id_hit_unions(&db, &lo, &hi)
        .await?
        .into_iter()
        .map(|(id, name, reports)| IdHitUnion { id, name, reports, throttled: reports >= ID_HIT_REPORTS_PER_DAY })
        .collect();
    Ok(SupervisorOverview {
        id: node.id,
        id_hit_unions,
        parent_id: if node.id == own.id { None } else { node.parent_id },
        name: node.name.clone(),
        level: node.level,
        grassroots_total: progress.total,
        grassroots_activated: progress.activated,
        grassroots_info_complete: progress.info_complete,
        members_total,
        by_state,
        children,
        receipts,
    })
}
