//! The union tree and a union's own information.

use super::db::{now, Db, Tx};
use crate::domain::{
    role::UnionLevel,
    union_info::{UnionInfo, UnionInfoForm},
};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UnionNode {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub level: String,
    pub name: String,
    pub path: String,
}

impl UnionNode {
    pub fn level(&self) -> UnionLevel {
        UnionLevel::parse(&self.level).unwrap_or(UnionLevel::Grassroots)
    }

    /// Bounds of `path` for "this union and everything below it": paths sort so that a
    /// subtree is one contiguous range, which both engines answer from the index.
    pub fn subtree_range(&self) -> (String, String) {
        subtree_range(&self.path)
    }

    pub fn contains(&self, other: &UnionNode) -> bool {
        other.path.starts_with(&self.path)
    }
}

pub fn subtree_range(path: &str) -> (String, String) {
    let upper = format!("{}0", path.trim_end_matches('/'));
    (path.to_string(), upper)
}

pub async fn node(db: &Db, id: i64) -> Result<Option<UnionNode>, sqlx::Error> {
    sqlx::query_as("SELECT id, parent_id, level, name, path FROM unions WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await
}

/// Non-grassroots unions in a subtree: the places a supervisor may open accounts under.
pub async fn supervising_nodes(db: &Db, root: &UnionNode) -> Result<Vec<UnionNode>, sqlx::Error> {
    let (lo, hi) = root.subtree_range();
    sqlx::query_as(
        "SELECT id, parent_id, level, name, path FROM unions \
         WHERE path >= $1 AND path < $2 AND level <> 'grassroots' ORDER BY path",
    )
    .bind(lo)
    .bind(hi)
    .fetch_all(&db.pool)
    .await
}

pub async fn name_taken(db: &Db, name: &str, except: Option<i64>) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM unions WHERE name = $1 AND id <> $2")
        .bind(name)
        .bind(except.unwrap_or(-1))
        .fetch_one(&db.pool)
        .await?;
    Ok(n > 0)
}

/// Adds a union below `parent` and returns its id.
pub async fn create(
    tx: &mut Tx,
    parent: Option<&UnionNode>,
    level: UnionLevel,
    name: &str,
) -> Result<i64, sqlx::Error> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO unions (parent_id, level, name, path, created_at) VALUES ($1, $2, $3, '', $4) RETURNING id",
    )
    .bind(parent.map(|p| p.id))
    .bind(level.as_str())
    .bind(name)
    .bind(now())
    .fetch_one(&mut **tx)
    .await?;
    let path = format!("{}{id}/", parent.map(|p| p.path.as_str()).unwrap_or("/"));
    sqlx::query("UPDATE unions SET path = $1 WHERE id = $2").bind(path).bind(id).execute(&mut **tx).await?;
    Ok(id)
}

#[derive(sqlx::FromRow)]
struct InfoRow {
    name: String,
    unit_name: Option<String>,
    credit_code: Option<String>,
    address: Option<String>,
    contact_person: Option<String>,
    contact_phone: Option<String>,
    pickup_branch: Option<String>,
}

pub async fn info(db: &Db, union_id: i64) -> Result<UnionInfoForm, sqlx::Error> {
    let r: InfoRow = sqlx::query_as(
        "SELECT name, unit_name, credit_code, address, contact_person, contact_phone, pickup_branch \
         FROM unions WHERE id = $1",
    )
    .bind(union_id)
    .fetch_one(&db.pool)
    .await?;
    Ok(UnionInfoForm {
        union_name: r.name,
        unit_name: r.unit_name.unwrap_or_default(),
        credit_code: r.credit_code.unwrap_or_default(),
        address: r.address.unwrap_or_default(),
        contact_person: r.contact_person.unwrap_or_default(),
        contact_phone: r.contact_phone.unwrap_or_default(),
        pickup_branch: r.pickup_branch.unwrap_or_default(),
    })
}

pub async fn save_info(tx: &mut Tx, union_id: i64, info: &UnionInfo) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE unions SET name = $1, unit_name = $2, credit_code = $3, address = $4, \
         contact_person = $5, contact_phone = $6, pickup_branch = $7 WHERE id = $8",
    )
    .bind(&info.union_name)
    .bind(&info.unit_name)
    .bind(&info.credit_code)
    .bind(&info.address)
    .bind(&info.contact_person)
    .bind(&info.contact_phone)
    .bind(&info.pickup_branch)
    .bind(union_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BranchRow {
    pub code: String,
    pub name: String,
    pub bank_name: String,
}

pub async fn branches(db: &Db) -> Result<Vec<BranchRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT b.code, b.name, k.name AS bank_name FROM bank_branches b \
         JOIN banks k ON k.id = b.bank_id ORDER BY b.code",
    )
    .fetch_all(&db.pool)
    .await
}

pub async fn branch_exists(db: &Db, code: &str) -> Result<bool, sqlx::Error> {
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM bank_branches WHERE code = $1").bind(code).fetch_one(&db.pool).await?;
    Ok(n > 0)
}
