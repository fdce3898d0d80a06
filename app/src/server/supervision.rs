//! The supervisor's view of its subtree: which union a supervisor may look at (its own or one
//! below it, and nothing else), the overview of that node from the kept figures, and the
//! tables behind it as workbooks (each download written to the audit log).

use std::collections::HashMap;

use super::{
    accounts, audit, banks, calendar,
    caller::Caller,
    cards::{CARD_COUNTS, TALLIES},
    db::now,
    deliveries::{self, HANDOUT_COUNTS},
    imports,
    member_portal::RECEIPT_COUNTS,
    members, subtree,
    unions::{self, UnionNode, UNION_PROGRESS},
    xlsx::{table_workbook, XlsxCell},
    Db,
};
use crate::{
    api::{
        cards::state_counts,
        overview::supervisor::{
            from_tallies, ChildOrder, ChildUnion, FoundUnion, Handouts, IdHitUnion, OverdueDelivery, ProfileAccount,
            Receipts, SupervisorOverview, UnionProfile, CHILDREN_PAGE, FOUND_SHOWN, ID_HIT_REPORTS_PER_DAY,
            OVERDUE_SHOWN,
        },
    },
    domain::{
        calendar::{Date, Timeliness, DISTRIBUTION_WORKING_DAYS},
        card::CardState,
        ids::UnionId,
        last_login_label, mask_id,
        phone::mask,
        role::UnionLevel,
        search::MemberQuery,
        tally::Tally,
    },
    error::{AppError, AppResult},
};

/// The union `union_id` names (the supervisor's own when `None`), if it lies in the caller's
/// subtree; anything else answers as not found, so a supervisor cannot tell what exists
/// outside its subtree.
pub async fn node_in_scope(db: &Db, me: &Caller, union_id: Option<UnionId>) -> AppResult<UnionNode> {
    let own = me.subtree()?;
    match union_id {
        Some(id) if id != own.id => {
            let n = unions::node(db, id).await?.ok_or(AppError::NotFound)?;
            if own.contains(&n) {
                Ok(n)
            } else {
                Err(AppError::NotFound)
            }
        }
        _ => Ok(own.clone()),
    }
}

/// A node's figures by (kind, key).
struct Figures(HashMap<subtree::FigureKey, i64>);

impl Figures {
    fn get(&self, kind: &str, key: &str) -> i64 {
        self.0.get(&(kind.to_string(), key.to_string())).copied().unwrap_or(0)
    }

    /// A facet of the set-up of the grassroots unions below (`union_progress`).
    fn progress(&self, facet: &str) -> i64 {
        self.get(UNION_PROGRESS.table, facet)
    }

    /// Cards in each state, in `CardState::ALL`'s order.
    fn states(&self) -> Vec<i64> {
        CardState::ALL.iter().map(|s| self.get(CARD_COUNTS.table, s.as_str())).collect()
    }

    fn handouts(&self) -> Handouts {
        Handouts {
            on_time: self.get(HANDOUT_COUNTS.table, Timeliness::OnTime.as_str()),
            late: self.get(HANDOUT_COUNTS.table, Timeliness::Late.as_str()),
            undetermined: self.get(HANDOUT_COUNTS.table, Timeliness::Undetermined.as_str()),
        }
    }

    fn tallies(&self) -> impl Iterator<Item = (Tally, i64)> + '_ {
        self.0
            .iter()
            .filter(|((kind, _), _)| kind == TALLIES.table)
            .filter_map(|((_, key), n)| Tally::parse(key).map(|t| (t, *n)))
    }
}

/// Every union directly below `node` with its figures, in `order`.
pub async fn children(db: &Db, node: &UnionNode, order: ChildOrder) -> AppResult<Vec<ChildUnion>> {
    // the table's columns only: not the weekly tallies, which grow with time
    let below =
        subtree::figures_of_children(db, node.id, [CARD_COUNTS.table, HANDOUT_COUNTS.table, UNION_PROGRESS.table])
            .await?;
    let logins = unions::last_logins_of_children(db, node.id).await?;
    let mut children: Vec<ChildUnion> = unions::children(db, node.id, i64::MAX)
        .await?
        .into_iter()
        .map(|c| {
            let f = Figures(below.get(&c.id).cloned().unwrap_or_default());
            let by_state = f.states();
            ChildUnion {
                id: c.id,
                grassroots: f.progress("grassroots"),
                info_complete: f.progress("info_complete"),
                agreement_signed: f.progress("agreement_signed"),
                last_login_at: logins.get(&c.id).copied(),
                members: by_state.iter().sum(),
                by_state,
                handouts: f.handouts(),
                level: c.level,
                name: c.name,
            }
        })
        .collect();
    order.sort(&mut children);
    Ok(children)
}

/// The subtree's distributions past their deadline on `today`, longest overdue first.
pub async fn overdue(db: &Db, node: &UnionNode, today: Date) -> AppResult<Vec<OverdueDelivery>> {
    let (lo, hi) = node.subtree_range();
    let cal = calendar::load(db).await?;
    let mut overdue = Vec::new();
    for row in deliveries::to_hand_out_in_subtree(db, &lo, &hi).await? {
        let Some(signed) = row.signed_on()? else { continue };
        // a deadline the calendar cannot count (a year not maintained) is never called overdue
        let Ok(due) = cal.due_date(signed, DISTRIBUTION_WORKING_DAYS) else { continue };
        if today <= due {
            continue;
        }
        overdue.push(OverdueDelivery {
            union_id: row.union_id,
            union_name: row.union_name,
            signed_on: signed.to_string(),
            due_on: due.to_string(),
            outstanding: row.outstanding,
            working_days_overdue: cal.working_days_overdue(due, today).unwrap_or(0),
        });
    }
    overdue.sort_by(|a, b| {
        b.working_days_overdue
            .cmp(&a.working_days_overdue)
            .then(a.due_on.cmp(&b.due_on))
            .then(a.union_name.cmp(&b.union_name))
    });
    Ok(overdue)
}

fn today() -> AppResult<Date> {
    Date::of_timestamp(now()).ok_or(AppError::Internal)
}

/// The overview of a node of the caller's subtree: its figures, a page of the unions below in
/// `sort` order, the overdue distributions first, the weekly series and the top causes.
pub async fn overview(
    db: &Db,
    me: &Caller,
    union_id: Option<UnionId>,
    sort: Option<&str>,
    page: Option<i64>,
) -> AppResult<SupervisorOverview> {
    let own = me.subtree()?.id;
    let node = node_in_scope(db, me, union_id).await?;
    let (lo, hi) = node.subtree_range();
    let figures = Figures(subtree::figures(db, node.id).await?);
    let by_state = state_counts(CardState::ALL.into_iter().zip(figures.states()).collect());
    let members_total = by_state.iter().map(|s| s.count).sum();
    let handed_out = by_state
        .iter()
        .filter(|s| matches!(s.state, CardState::Distributed | CardState::Activated))
        .map(|s| s.count)
        .sum();
    let receipts = Receipts {
        handed_out,
        confirmed: figures.get(RECEIPT_COUNTS.table, "received"),
        not_received: figures.get(RECEIPT_COUNTS.table, "not_received"),
    };
    let order = sort.map(ChildOrder::from_code).unwrap_or_default();
    let children = children(db, &node, order).await?;
    let children_total = children.len() as i64;
    let pages = ((children_total + CHILDREN_PAGE - 1) / CHILDREN_PAGE).max(1);
    let page = page.unwrap_or(1).clamp(1, pages);
    let children: Vec<ChildUnion> =
        children.into_iter().skip(((page - 1) * CHILDREN_PAGE) as usize).take(CHILDREN_PAGE as usize).collect();
    let today = today()?;
    let mut overdue = overdue(db, &node, today).await?;
    let overdue_total = overdue.len() as i64;
    overdue.truncate(OVERDUE_SHOWN);
    let (weeks, import_causes, rejection_causes) = from_tallies(figures.tallies(), today);
    let id_hit_unions = imports::id_hit_unions(db, &lo, &hi)
        .await?
        .into_iter()
        .map(|(id, name, reports)| IdHitUnion { id, name, reports, throttled: reports >= ID_HIT_REPORTS_PER_DAY })
        .collect();
    Ok(SupervisorOverview {
        id: node.id,
        id_hit_unions,
        parent_id: if node.id == own { None } else { node.parent_id },
        name: node.name.clone(),
        level: node.level,
        grassroots_total: figures.progress("grassroots"),
        grassroots_activated: figures.progress("activated"),
        grassroots_info_complete: figures.progress("info_complete"),
        members_total,
        by_state,
        children,
        children_total,
        order,
        page,
        handouts: figures.handouts(),
        overdue,
        overdue_total,
        weeks,
        import_causes,
        rejection_causes,
        receipts,
        profile: if node.level == UnionLevel::Grassroots {
            Some(profile(db, &node, figures.progress("info_complete") > 0).await?)
        } else {
            None
        },
    })
}

/// A grassroots union's set-up, for the supervisor looking at it (`info_complete`: its kept
/// facet, the one rule the figures count by).
async fn profile(db: &Db, node: &UnionNode, info_complete: bool) -> AppResult<UnionProfile> {
    let info = unions::info(db, node.id).await?;
    let branches = banks::branches(db).await?;
    let branch_name = |code: &str| {
        branches.iter().find(|b| b.code == code).map(|b| b.name.clone()).unwrap_or_else(|| code.to_string())
    };
    let accounts = accounts::of_union(db, node.id)
        .await?
        .into_iter()
        .map(|a| ProfileAccount {
            username: a.username,
            pending_activation: a.must_change_password,
            disabled: a.disabled,
            last_login_at: a.last_login_at,
        })
        .collect();
    Ok(UnionProfile {
        info_complete,
        pickup_branch: if info.pickup_branch.is_empty() { String::new() } else { branch_name(&info.pickup_branch) },
        agreement: (!info.agreement_signed_on.is_empty())
            .then(|| (branch_name(&info.agreement_branch), info.agreement_signed_on.clone())),
        unit_name: info.unit_name,
        credit_code: info.credit_code,
        contact_person: info.contact_person,
        contact_phone: info.contact_phone,
        accounts,
        last_import: imports::last_committed(db, node.id).await?,
    })
}

/// Unions of the caller's subtree whose name contains `query` (at most [`FOUND_SHOWN`]).
pub async fn find(db: &Db, me: &Caller, query: &str) -> AppResult<Vec<FoundUnion>> {
    let root = me.subtree()?;
    if query.trim().is_empty() {
        return Ok(Vec::new());
    }
    // the unions between are few and shared by most of what is found: each read once
    let mut names: HashMap<UnionId, String> = HashMap::new();
    let mut found = Vec::new();
    for node in unions::find_in_subtree(db, root, query, FOUND_SHOWN).await? {
        let mut trail = Vec::new();
        for id in unions::between(root, &node) {
            let name = match names.entry(id) {
                std::collections::hash_map::Entry::Occupied(known) => known.get().clone(),
                std::collections::hash_map::Entry::Vacant(new) => {
                    new.insert(unions::node(db, id).await?.map(|n| n.name).unwrap_or_default()).clone()
                }
            };
            trail.push(name);
        }
        found.push(FoundUnion { trail, id: node.id, name: node.name, level: node.level });
    }
    Ok(found)
}

/// Which table of the supervisor's a workbook holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Export {
    /// The unions directly below the node, with their figures.
    Unions,
    /// The subtree's overdue distributions.
    Overdue,
    /// A grassroots union's members, ID and phone masked.
    Members,
}

/// Writes the table as a workbook for the caller and records the download in the audit log:
/// (file name, bytes).
pub async fn export(db: &Db, me: &Caller, union_id: Option<UnionId>, what: Export) -> AppResult<(String, Vec<u8>)> {
    let node = node_in_scope(db, me, union_id).await?;
    let text = |s: &str| XlsxCell::Text(s.to_string());
    let (file, title, headers, rows, action): (String, String, Vec<String>, Vec<Vec<XlsxCell>>, &str) = match what {
        Export::Unions => {
            let mut headers: Vec<String> = ["工会名称", "类型", "基层工会", "会员"].map(String::from).to_vec();
            headers.extend(CardState::ALL.iter().map(|s| s.label().to_string()));
            headers
                .extend(["按时发放", "逾期发放", "按时发放率", "已完善信息", "已签协议", "最近登录"].map(String::from));
            let rows = children(db, &node, ChildOrder::Name)
                .await?
                .into_iter()
                .map(|c| {
                    let mut row = vec![text(&c.name), text(c.level.label()), XlsxCell::Number(c.grassroots)];
                    row.push(XlsxCell::Number(c.members));
                    row.extend(c.by_state.iter().map(|n| XlsxCell::Number(*n)));
                    row.push(XlsxCell::Number(c.handouts.on_time));
                    row.push(XlsxCell::Number(c.handouts.late));
                    row.push(text(&c.handouts.label()));
                    row.push(text(&c.share(c.info_complete)));
                    row.push(text(&c.share(c.agreement_signed)));
                    row.push(text(&last_login_label(c.last_login_at)));
                    row
                })
                .collect();
            (
                format!("{}-下属工会.xlsx", node.name),
                format!("{} 下属工会", node.name),
                headers,
                rows,
                "unions_exported",
            )
        }
        Export::Overdue => {
            let headers =
                ["工会名称", "签收日期", "应发放截止", "未发放（张）", "逾期（工作日）"].map(String::from).to_vec();
            let rows = overdue(db, &node, today()?)
                .await?
                .into_iter()
                .map(|d| {
                    vec![
                        text(&d.union_name),
                        text(&d.signed_on),
                        text(&d.due_on),
                        XlsxCell::Number(d.outstanding),
                        XlsxCell::Number(d.working_days_overdue as i64),
                    ]
                })
                .collect();
            (
                format!("{}-逾期未发放.xlsx", node.name),
                format!("{} 逾期未发放", node.name),
                headers,
                rows,
                "overdue_exported",
            )
        }
        Export::Members => {
            if node.level != UnionLevel::Grassroots {
                return Err(AppError::NotFound);
            }
            let headers = ["姓名", "证件号码", "手机号码", "部门", "办卡状态"].map(String::from).to_vec();
            let filter = members::ListFilter { query: MemberQuery::All, state: None, department: String::new() };
            let (list, _) = members::list(db, node.id, &filter, i64::MAX, 0).await?;
            let rows = list
                .into_iter()
                .map(|m| {
                    vec![
                        text(&m.name),
                        text(&mask_id(&m.id_number)),
                        text(&mask(&m.phone)),
                        text(m.department.as_deref().unwrap_or_default()),
                        text(m.card_state.label()),
                    ]
                })
                .collect();
            (
                format!("{}-会员名单.xlsx", node.name),
                format!("{} 会员名单（证件号码、手机号码已隐藏部分）", node.name),
                headers,
                rows,
                "members_exported",
            )
        }
    };
    let count = rows.len();
    let bytes = tokio::task::spawn_blocking(move || table_workbook(&title, &headers, &rows))
        .await
        .map_err(|_| AppError::Internal)?
        .map_err(|e| {
            tracing::error!(error = %e.message(), "supervisor workbook failed");
            AppError::Internal
        })?;
    audit::record(&db.pool, Some(me.id()), action, &format!("union:{}", node.id), &format!("rows={count}")).await?;
    Ok((file, bytes))
}
