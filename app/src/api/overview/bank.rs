//! The bank's home: its branches with the unions that collect there, and their cards by state.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{api::cards::StateCount, error::AppError};

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
    /// Batch applications with cards still to review.
    pub batches_waiting: i64,
}

#[server(endpoint = "overview/bank", output = crate::wire::Answer)]
pub async fn get_bank_overview() -> Result<BankOverview, AppError> {
    use crate::{
        api::cards::state_counts,
        domain::role::Role,
        server::{banks, batches, caller, cards},
    };
    let (db, me) = caller::require(&[Role::Bank]).await?;
    let bank = me.bank()?;
    Ok(BankOverview {
        bank_name: banks::name(&db, bank).await?,
        branches: banks::branch_loads(&db, bank)
            .await?
            .into_iter()
            .map(|b| BranchLoad { code: b.code, name: b.name, unions: b.unions })
            .collect(),
        by_state: state_counts(cards::counts_of_bank(&db, bank).await?),
        batches_waiting: batches::waiting_of_bank(&db, bank).await?,
    })
}
