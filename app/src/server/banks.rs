//! Banks and their branches: the branches a union picks for card collection, the branches of the
//! union's own bank (the template's drop-down and the import's rule), and a bank's workload.

use super::db::Db;
use crate::domain::ids::{BankId, UnionId};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BranchRow {
    pub code: String,
    pub name: String,
    pub bank_name: String,
}

/// Every branch of every bank, by code.
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

/// The codes of every branch of the bank that `branch` belongs to.
pub async fn sibling_codes(db: &Db, branch: &str) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT code FROM bank_branches WHERE bank_id = (SELECT bank_id FROM bank_branches WHERE code = $1) ORDER BY code",
    )
    .bind(branch)
    .fetch_all(&db.pool)
    .await
}

/// (code, name) of every branch of the bank the union collects its cards from.
pub async fn branches_of_union_bank(db: &Db, union: UnionId) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT code, name FROM bank_branches WHERE bank_id = (SELECT b.bank_id FROM bank_branches b \
         JOIN unions u ON u.pickup_branch = b.code WHERE u.id = $1) ORDER BY code",
    )
    .bind(union)
    .fetch_all(&db.pool)
    .await
}

pub async fn name(db: &Db, bank: BankId) -> Result<String, sqlx::Error> {
    sqlx::query_scalar("SELECT name FROM banks WHERE id = $1").bind(bank).fetch_one(&db.pool).await
}

/// A branch of the bank and how many unions collect their cards there.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BranchLoadRow {
    pub code: String,
    pub name: String,
    pub unions: i64,
}

pub async fn branch_loads(db: &Db, bank: BankId) -> Result<Vec<BranchLoadRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT b.code, b.name, COUNT(u.id) AS unions FROM bank_branches b LEFT JOIN unions u ON u.pickup_branch = b.code \
         WHERE b.bank_id = $1 GROUP BY b.code, b.name ORDER BY b.code",
    )
    .bind(bank)
    .fetch_all(&db.pool)
    .await
}
