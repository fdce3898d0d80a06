//! The supervisor's overview of its subtree, or of any union below it.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{
    api::cards::StateCount,
    domain::{card::CardState, ids::UnionId, role::UnionLevel},
    error::AppError,
};

/// A union directly below the node, with the same figures as the node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChildUnion {
    pub id: UnionId,
    pub name: String,
    pub level: UnionLevel,
    pub grassroots: i64,
    pub members: i64,
    /// Cards in each state, in [`CardState::ALL`]'s order.
    #[serde(default)]
    pub by_state: Vec<i64>,
    #[serde(default)]
    pub handouts: Handouts,
    /// Of its grassroots unions (itself, for a grassroots union): those with complete unit and
    /// union information, and those that signed the bank's batch card agreement.
    #[serde(default)]
    pub info_complete: i64,
    #[serde(default)]
    pub agreement_signed: i64,
    /// The latest sign-in of the union's own accounts.
    #[serde(default)]
    pub last_login_at: Option<i64>,
}

impl ChildUnion {
    /// Of a count of `n` grassroots unions: 是 / 否 for a grassroots union itself, "n/m" of the
    /// grassroots unions below otherwise.
    pub fn share(&self, n: i64) -> String {
        match (self.level, n) {
            (UnionLevel::Grassroots, 0) => "否".into(),
            (UnionLevel::Grassroots, _) => "是".into(),
            _ => format!("{n}/{}", self.grassroots),
        }
    }
}

/// Cards handed out, by whether within five working days of signing for their delivery.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Handouts {
    pub on_time: i64,
    pub late: i64,
    pub undetermined: i64,
}

impl Handouts {
    /// The on-time rate in whole percent, of the hand-outs the calendar could judge.
    pub fn rate(&self) -> Option<i64> {
        let judged = self.on_time + self.late;
        (judged > 0).then(|| (self.on_time * 100 + judged / 2) / judged)
    }

    pub fn label(&self) -> String {
        match self.rate() {
            Some(r) => format!("{r}%"),
            None => "—".to_string(),
        }
    }
}

/// How the table of unions below is ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChildOrder {
    /// By name (the default).
    #[default]
    Name,
    Members,
    /// Most cards in this state first.
    State(CardState),
    /// Lowest on-time rate first (those with no hand-outs last).
    OnTimeRate,
}

impl ChildOrder {
    /// The value in the address (`?sort=`).
    pub fn code(self) -> String {
        match self {
            ChildOrder::Name => "name".into(),
            ChildOrder::Members => "members".into(),
            ChildOrder::State(s) => s.as_str().into(),
            ChildOrder::OnTimeRate => "on_time".into(),
        }
    }

    pub fn from_code(code: &str) -> ChildOrder {
        match code {
            "members" => ChildOrder::Members,
            "on_time" => ChildOrder::OnTimeRate,
            other => {
                CardState::ALL.into_iter().find(|s| s.as_str() == other).map_or(ChildOrder::Name, ChildOrder::State)
            }
        }
    }

    /// Sorts `children` in this order (ties by name).
    pub fn sort(self, children: &mut [ChildUnion]) {
        let state_index = |s: CardState| CardState::ALL.iter().position(|x| *x == s).unwrap_or(0);
        children.sort_by(|a, b| {
            let first = match self {
                ChildOrder::Name => std::cmp::Ordering::Equal,
                ChildOrder::Members => b.members.cmp(&a.members),
                ChildOrder::State(s) => {
                    let i = state_index(s);
                    b.by_state.get(i).cmp(&a.by_state.get(i))
                }
                ChildOrder::OnTimeRate => {
                    a.handouts.rate().unwrap_or(i64::MAX).cmp(&b.handouts.rate().unwrap_or(i64::MAX))
                }
            };
            first.then_with(|| a.name.cmp(&b.name))
        });
    }
}

/// Applications and activations in one week.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeekFigures {
    /// The week's Monday.
    pub week: String,
    pub applied: i64,
    pub activated: i64,
}

/// A cause of trouble in the subtree and how often it came up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cause {
    pub label: String,
    pub n: i64,
    /// The anchor of the help centre's FAQ entry about it.
    pub faq: Option<String>,
}

/// Weeks in the series.
pub const WEEKS: i64 = 26;

/// Causes in each ranking.
pub const CAUSES_SHOWN: usize = 10;

/// The weekly series of the last [`WEEKS`] weeks up to `today`'s, oldest first, and the most
/// common import errors and rejection reasons, from a node's tallies.
pub fn from_tallies(
    tallies: impl Iterator<Item = (crate::domain::tally::Tally, i64)>,
    today: crate::domain::calendar::Date,
) -> (Vec<WeekFigures>, Vec<Cause>, Vec<Cause>) {
    use crate::domain::{faq, tally::Tally};
    let this_week = today.week_start();
    let mut weeks: Vec<WeekFigures> = (0..WEEKS)
        .rev()
        .filter_map(|i| this_week.add_days(-7 * i))
        .map(|w| WeekFigures { week: w.to_string(), applied: 0, activated: 0 })
        .collect();
    let (mut imports, mut rejections) = (Vec::new(), Vec::new());
    for (t, n) in tallies {
        match t {
            Tally::Applied(w) | Tally::Activated(w) => {
                let week = w.to_string();
                if let Some(f) = weeks.iter_mut().find(|f| f.week == week) {
                    if matches!(t, Tally::Applied(_)) {
                        f.applied += n;
                    } else {
                        f.activated += n;
                    }
                }
            }
            Tally::Rejection(r) => rejections.push(Cause { label: r.label().to_string(), n, faq: None }),
            Tally::ImportError { field, code } => imports.push(Cause {
                label: format!("{field}：{}", faq::error_label(&field, &code)),
                n,
                faq: faq::entry_for(&code).map(|e| e.slug.to_string()),
            }),
        }
    }
    for causes in [&mut imports, &mut rejections] {
        // one line per label (several codes may share an FAQ entry), most common first
        causes.sort_by(|a, b| a.label.cmp(&b.label));
        causes.dedup_by(|later, kept| {
            let same = later.label == kept.label;
            if same {
                kept.n += later.n;
            }
            same
        });
        causes.sort_by(|a, b| b.n.cmp(&a.n).then(a.label.cmp(&b.label)));
        causes.truncate(CAUSES_SHOWN);
    }
    (weeks, imports, rejections)
}

/// A signed-for delivery whose five working days to hand out have passed with cards left.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverdueDelivery {
    pub union_id: UnionId,
    pub union_name: String,
    pub signed_on: String,
    pub due_on: String,
    /// Cards not yet handed out.
    pub outstanding: i64,
    /// Working days past the due date.
    pub working_days_overdue: u32,
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
    /// One page of the unions directly below, in `order`.
    pub children: Vec<ChildUnion>,
    #[serde(default)]
    pub children_total: i64,
    #[serde(default)]
    pub order: ChildOrder,
    #[serde(default = "first_page")]
    pub page: i64,
    #[serde(default)]
    pub handouts: Handouts,
    /// Overdue distributions of the subtree, longest overdue first (at most [`OVERDUE_SHOWN`]).
    #[serde(default)]
    pub overdue: Vec<OverdueDelivery>,
    #[serde(default)]
    pub overdue_total: i64,
    /// Applications and activations per week, the last [`WEEKS`] weeks, oldest first.
    #[serde(default)]
    pub weeks: Vec<WeekFigures>,
    /// The most common errors of import previews in the subtree.
    #[serde(default)]
    pub import_causes: Vec<Cause>,
    /// The bank's most common reasons for returning a member.
    #[serde(default)]
    pub rejection_causes: Vec<Cause>,
    #[serde(default)]
    pub id_hit_unions: Vec<IdHitUnion>,
    /// Of the cards handed out (已发放 and 已激活): those the member confirmed (我已领到卡) and
    /// those the member said they did not receive; the rest only the union recorded.
    #[serde(default)]
    pub receipts: Receipts,
    /// A grassroots union's set-up: its information, agreement, accounts and last import.
    #[serde(default)]
    pub profile: Option<UnionProfile>,
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

/// Where a grassroots union stands with what it must do before cards can move.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnionProfile {
    pub unit_name: String,
    pub credit_code: String,
    pub contact_person: String,
    pub contact_phone: String,
    /// The branch's name, empty when none is chosen.
    pub pickup_branch: String,
    pub info_complete: bool,
    /// The branch's name and the date signed, when the batch card agreement is signed.
    pub agreement: Option<(String, String)>,
    pub accounts: Vec<ProfileAccount>,
    /// The last import committed: when, and how many members it added.
    pub last_import: Option<(i64, i64)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileAccount {
    pub username: String,
    /// 待激活: still on the initial password.
    pub pending_activation: bool,
    pub disabled: bool,
    pub last_login_at: Option<i64>,
}

/// A union of the subtree found by name, with the names of the unions between.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FoundUnion {
    pub id: UnionId,
    pub name: String,
    pub level: UnionLevel,
    /// From the union below the searcher's down to this union's parent.
    pub trail: Vec<String>,
}

/// Unions a name search lists at most.
pub const FOUND_SHOWN: i64 = 20;

fn first_page() -> i64 {
    1
}

/// Unions below listed on a page.
pub const CHILDREN_PAGE: i64 = 50;

/// The most overdue distributions listed (the count says how many there are).
pub const OVERDUE_SHOWN: usize = 100;

#[server(endpoint = "overview/supervisor", output = crate::wire::Answer)]
pub async fn get_supervisor_overview(
    union_id: Option<UnionId>,
    #[server(default)] sort: Option<String>,
    #[server(default)] page: Option<i64>,
) -> Result<SupervisorOverview, AppError> {
    use crate::{domain::role::Role, server::caller};
    let (db, me) = caller::require(&[Role::Supervisor]).await?;
    crate::server::supervision::overview(&db, &me, union_id, sort.as_deref(), page).await
}

/// Unions of the caller's subtree whose name contains `query`.
#[server(endpoint = "overview/supervisor/find", output = crate::wire::Answer)]
pub async fn find_unions(query: String) -> Result<Vec<FoundUnion>, AppError> {
    use crate::{domain::role::Role, server::caller};
    let (db, me) = caller::require(&[Role::Supervisor]).await?;
    crate::server::supervision::find(&db, &me, &query).await
}
