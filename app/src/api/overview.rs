//! What each portal opens on: a supervisor's subtree, a union's progress, a bank's workload,
//! a member's own card.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::domain::role::Role;

use crate::{
    domain::{card::CardState, role::UnionLevel},
    error::AppError,
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StateCount {
    pub state: CardState,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChildUnion {
    pub id: i64,
    pub name: String,
    pub level: UnionLevel,
    pub grassroots: i64,
    pub members: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SupervisorOverview {
    pub id: i64,
    pub name: String,
    pub level: UnionLevel,
    /// Set when drilled down below the supervisor's own union.
    pub parent_id: Option<i64>,
    pub grassroots_total: i64,
    pub grassroots_activated: i64,
    pub grassroots_info_complete: i64,
    pub members_total: i64,
    pub by_state: Vec<StateCount>,
    pub children: Vec<ChildUnion>,
}

#[cfg(feature = "ssr")]
async fn count_by_state<'q>(
    db: &crate::server::Db,
    query: sqlx::query::QueryAs<'q, sqlx::Any, (String, i64), sqlx::any::AnyArguments<'q>>,
) -> Result<Vec<StateCount>, sqlx::Error> {
    let rows = query.fetch_all(&db.pool).await?;
    Ok(CardState::ALL
        .into_iter()
        .map(|state| StateCount {
            state,
            count: rows.iter().find(|(s, _)| s == state.as_str()).map(|(_, n)| *n).unwrap_or(0),
        })
        .collect())
}

#[server(endpoint = "overview/supervisor")]
pub async fn get_supervisor_overview(union_id: Option<i64>) -> Result<SupervisorOverview, AppError> {
    use crate::server::{auth, unions};
    let (db, me) = auth::require(&[Role::Supervisor]).await?;
    let own = unions::node(&db, me.union_id()?).await?.ok_or(AppError::Forbidden)?;
    let node = match union_id {
        Some(id) if id != own.id => {
            let n = unions::node(&db, id).await?.ok_or(AppError::NotFound)?;
            if !own.contains(&n) {
                return Err(AppError::Forbidden);
            }
            n
        }
        _ => own.clone(),
    };
    let (lo, hi) = node.subtree_range();
    let count = |sql: &'static str| {
        let (lo, hi, pool) = (lo.clone(), hi.clone(), db.pool.clone());
        async move { sqlx::query_scalar::<_, i64>(sql).bind(lo).bind(hi).fetch_one(&pool).await }
    };
    let grassroots_total =
        count("SELECT COUNT(*) FROM unions WHERE path >= $1 AND path < $2 AND level = 'grassroots'").await?;
    let grassroots_activated = count(
        "SELECT COUNT(DISTINCT n.id) FROM unions n JOIN users u ON u.union_id = n.id \
         WHERE n.path >= $1 AND n.path < $2 AND n.level = 'grassroots' AND u.must_change_password = 0",
    )
    .await?;
    let grassroots_info_complete = count(
        "SELECT COUNT(*) FROM unions WHERE path >= $1 AND path < $2 AND level = 'grassroots' \
         AND pickup_branch IS NOT NULL AND credit_code IS NOT NULL",
    )
    .await?;
    let by_state = count_by_state(
        &db,
        sqlx::query_as(
            "SELECT m.card_state, COUNT(*) FROM members m JOIN unions n ON n.id = m.union_id \
             WHERE n.path >= $1 AND n.path < $2 GROUP BY m.card_state",
        )
        .bind(&lo)
        .bind(&hi),
    )
    .await?;
    let members_total = by_state.iter().map(|s| s.count).sum();

    // Per child: grassroots unions and members below it, folded from one grouped query.
    let children: Vec<unions::UnionNode> = sqlx::query_as(
        "SELECT id, parent_id, level, name, path FROM unions WHERE parent_id = $1 ORDER BY name LIMIT 500",
    )
    .bind(node.id)
    .fetch_all(&db.pool)
    .await?;
    let grassroots: Vec<(String, i64)> = sqlx::query_as(
        "SELECT n.path, COUNT(m.id) FROM unions n LEFT JOIN members m ON m.union_id = n.id \
         WHERE n.path >= $1 AND n.path < $2 AND n.level = 'grassroots' GROUP BY n.path",
    )
    .bind(&lo)
    .bind(&hi)
    .fetch_all(&db.pool)
    .await?;
    let children = children
        .into_iter()
        .map(|c| {
            let below = grassroots.iter().filter(|(p, _)| p.starts_with(&c.path));
            let (g, m) = below.fold((0, 0), |(g, m), (_, n)| (g + 1, m + n));
            ChildUnion { id: c.id, level: c.level(), name: c.name, grassroots: g, members: m }
        })
        .collect();
    Ok(SupervisorOverview {
        id: node.id,
        parent_id: if node.id == own.id { None } else { node.parent_id },
        name: node.name.clone(),
        level: node.level(),
        grassroots_total,
        grassroots_activated,
        grassroots_info_complete,
        members_total,
        by_state,
        children,
    })
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnionOverview {
    pub name: String,
    /// Required info still missing: import and card applications are locked until it is done.
    pub missing: Vec<String>,
    pub by_state: Vec<StateCount>,
    pub members_total: i64,
}

#[server(endpoint = "overview/union")]
pub async fn get_union_overview() -> Result<UnionOverview, AppError> {
    use crate::server::{auth, unions};
    let (db, me) = auth::require(&[Role::Union]).await?;
    let union_id = me.union_id()?;
    let form = unions::info(&db, union_id).await?;
    let by_state = count_by_state(
        &db,
        sqlx::query_as("SELECT card_state, COUNT(*) FROM members WHERE union_id = $1 GROUP BY card_state")
            .bind(union_id),
    )
    .await?;
    Ok(UnionOverview {
        missing: form.missing().into_iter().map(String::from).collect(),
        name: form.union_name,
        members_total: by_state.iter().map(|s| s.count).sum(),
        by_state,
    })
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberItem {
    pub id: i64,
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
#[server(endpoint = "members/departments")]
pub async fn list_departments() -> Result<Vec<DepartmentCount>, AppError> {
    use crate::server::auth;
    let (db, me) = auth::require(&[Role::Union]).await?;
    let union_id = me.union_id()?;
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT department, COUNT(*) AS n FROM members WHERE union_id = $1 AND department IS NOT NULL \
         GROUP BY department ORDER BY n DESC, department LIMIT $2",
    )
    .bind(union_id)
    .bind(DEPARTMENT_CHOICES as i64)
    .fetch_all(&db.pool)
    .await?;
    let mut departments: Vec<DepartmentCount> =
        rows.into_iter().map(|(name, members)| DepartmentCount { name, members }).collect();
    departments.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(departments)
}

/// The union's own members, searched by name, ID tail or phone and filtered by card state and
/// department (empty: all); ID and phone masked.
#[server(endpoint = "members/list")]
pub async fn list_members(query: String, state: String, department: String, page: i64) -> Result<MemberPage, AppError> {
    use crate::{
        domain::{mask_id, phone::mask},
        server::auth,
    };
    let (db, me) = auth::require(&[Role::Union]).await?;
    let union_id = me.union_id()?;
    let query = query.trim().to_string();
    let page = page.max(1);
    let state = CardState::parse(&state).map(|s| s.as_str()).unwrap_or("");
    // Digits search the ends of ID and phone numbers (kept reversed, so a tail is an indexed
    // prefix); anything else searches names.
    let digits = !query.is_empty()
        && query.chars().all(|c| c.is_ascii_alphanumeric())
        && query.chars().any(|c| c.is_ascii_digit());
    let mut conds = vec!["union_id = $1".to_string()];
    let mut texts: Vec<String> = Vec::new();
    if !state.is_empty() {
        texts.push(state.to_string());
        conds.push(format!("card_state = ${}", texts.len() + 1));
    }
    let department = department.trim();
    if !department.is_empty() {
        texts.push(department.to_string());
        conds.push(format!("department = ${}", texts.len() + 1));
    }
    if digits {
        let tail = crate::server::import::reversed(&query.to_ascii_uppercase());
        texts.push(tail.clone());
        texts.push(format!("{tail}~"));
        let (lo, hi) = (texts.len(), texts.len() + 1);
        // PostgreSQL's text_pattern_ops indexes answer its byte-order operators, not >= and <
        let (ge, lt) = match db.backend {
            crate::server::db::Backend::Postgres => ("~>=~", "~<~"),
            crate::server::db::Backend::Sqlite => (">=", "<"),
        };
        conds.push(format!(
            "((id_rev {ge} ${lo} AND id_rev {lt} ${hi}) OR (phone_rev {ge} ${lo} AND phone_rev {lt} ${hi}))"
        ));
    } else if !query.is_empty() {
        texts.push(crate::server::db::like_contains(&query));
        conds.push(format!("name LIKE ${} ESCAPE '\\'", texts.len() + 1));
    }
    let filter = format!("FROM members WHERE {}", conds.join(" AND "));
    let count_sql = format!("SELECT COUNT(*) {filter}");
    let mut count = sqlx::query_scalar::<_, i64>(&count_sql).bind(union_id);
    for t in &texts {
        count = count.bind(t);
    }
    let total = count.fetch_one(&db.pool).await?;
    // the page's ids first, from the index alone, then their rows: deep pages stay cheap
    let n = texts.len() + 2;
    let sql = format!(
        "SELECT id, name, id_number, phone, department, card_state FROM members WHERE id IN \
         (SELECT id {filter} ORDER BY id LIMIT ${n} OFFSET ${}) ORDER BY id",
        n + 1
    );
    let mut q = sqlx::query_as::<_, (i64, String, String, String, Option<String>, String)>(&sql).bind(union_id);
    for t in &texts {
        q = q.bind(t);
    }
    let rows = q.bind(MEMBER_PAGE_SIZE).bind((page - 1) * MEMBER_PAGE_SIZE).fetch_all(&db.pool).await?;
    let items = rows
        .into_iter()
        .map(|(id, name, idn, phone, dept, st)| MemberItem {
            id,
            name,
            id_number_masked: mask_id(&idn),
            phone_masked: mask(&phone),
            department: dept.unwrap_or_default(),
            card_state: CardState::parse(&st).unwrap_or(CardState::Pending),
        })
        .collect();
    Ok(MemberPage { items, total, page, page_size: MEMBER_PAGE_SIZE })
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BranchLoad {
    pub code: String,
    pub name: String,
    pub unions: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BankOverview {
    pub bank_name: String,
    pub branches: Vec<BranchLoad>,
    pub by_state: Vec<StateCount>,
}

#[server(endpoint = "overview/bank")]
pub async fn get_bank_overview() -> Result<BankOverview, AppError> {
    use crate::server::auth;
    let (db, me) = auth::require(&[Role::Bank]).await?;
    let bank_id = me.bank_id.ok_or(AppError::Forbidden)?;
    let bank_name: String =
        sqlx::query_scalar("SELECT name FROM banks WHERE id = $1").bind(bank_id).fetch_one(&db.pool).await?;
    let branches: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT b.code, b.name, COUNT(u.id) FROM bank_branches b LEFT JOIN unions u ON u.pickup_branch = b.code \
         WHERE b.bank_id = $1 GROUP BY b.code, b.name ORDER BY b.code",
    )
    .bind(bank_id)
    .fetch_all(&db.pool)
    .await?;
    let by_state = count_by_state(
        &db,
        sqlx::query_as(
            "SELECT m.card_state, COUNT(*) FROM members m JOIN unions u ON u.id = m.union_id \
             JOIN bank_branches b ON b.code = u.pickup_branch WHERE b.bank_id = $1 \
             GROUP BY m.card_state",
        )
        .bind(bank_id),
    )
    .await?;
    Ok(BankOverview {
        bank_name,
        branches: branches.into_iter().map(|(code, name, unions)| BranchLoad { code, name, unions }).collect(),
        by_state,
    })
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CardEvent {
    pub state: CardState,
    pub at: i64,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyCard {
    pub name: String,
    pub union_name: String,
    pub id_number_masked: String,
    pub phone_masked: String,
    pub department: String,
    pub card_state: CardState,
    pub events: Vec<CardEvent>,
}

#[server(endpoint = "me/card")]
pub async fn get_my_card() -> Result<MyCard, AppError> {
    use crate::{
        domain::{mask_id, phone::mask},
        server::auth,
    };
    let (db, me) = auth::require(&[Role::Member]).await?;
    let member_id = me.member_id.ok_or(AppError::NotFound)?;
    let (name, union_name, idn, phone, dept, st, created_at): (
        String,
        String,
        String,
        String,
        Option<String>,
        String,
        i64,
    ) = sqlx::query_as(
        "SELECT m.name, u.name, m.id_number, m.phone, m.department, m.card_state, m.created_at FROM members m \
             JOIN unions u ON u.id = m.union_id WHERE m.id = $1",
    )
    .bind(member_id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let events: Vec<(String, i64, Option<String>)> =
        sqlx::query_as("SELECT to_state, at, reason FROM card_events WHERE member_id = $1 ORDER BY at, id")
            .bind(member_id)
            .fetch_all(&db.pool)
            .await?;
    Ok(MyCard {
        name,
        union_name,
        id_number_masked: mask_id(&idn),
        phone_masked: mask(&phone),
        department: dept.unwrap_or_default(),
        card_state: CardState::parse(&st).unwrap_or(CardState::Pending),
        // the record's creation put the card in 未办卡; the transitions since follow
        events: std::iter::once(CardEvent { state: CardState::Pending, at: created_at, reason: None })
            .chain(
                events
                    .into_iter()
                    .filter_map(|(s, at, reason)| Some(CardEvent { state: CardState::parse(&s)?, at, reason })),
            )
            .collect(),
    })
}
