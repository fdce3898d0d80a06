//! The member service card: counts by state as every portal shows them, a member's own card
//! with its history, the union's batch applications and rejections, and the bank's review.
//! Every move is checked by the shared lifecycle (`domain::card::check`) and written by
//! `server::cards`.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{
    domain::{
        card::{CardState, Rejection, RejectionReason},
        ids::{BatchId, MemberId},
    },
    error::AppError,
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StateCount {
    pub state: CardState,
    pub count: i64,
}

/// The kept counts as the browser gets them.
#[cfg(feature = "ssr")]
pub fn state_counts(counts: crate::server::cards::StateCounts) -> Vec<StateCount> {
    counts.into_iter().map(|(state, count)| StateCount { state, count }).collect()
}

/// A refusal of the shared lifecycle (`domain::card::check`) as the caller reads it: a field
/// error when the input lacks something, a refusal otherwise.
#[cfg(feature = "ssr")]
pub fn refusal(r: crate::domain::card::MoveRefusal) -> AppError {
    match r.field() {
        Some(field) => AppError::invalid(field, r.message()),
        None => AppError::refused(r.code(), r.message()),
    }
}

/// A batch application as the union and the bank see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatchItem {
    pub id: BatchId,
    /// 批次号
    pub batch_no: String,
    pub union_name: String,
    pub branch_name: String,
    pub members: i64,
    /// Cards the bank has approved or rejected.
    pub reviewed: i64,
    pub created_at: i64,
}

#[cfg(feature = "ssr")]
impl From<crate::server::batches::BatchRow> for BatchItem {
    fn from(b: crate::server::batches::BatchRow) -> Self {
        BatchItem {
            id: b.id,
            batch_no: b.batch_no,
            union_name: b.union_name,
            branch_name: b.branch_name,
            members: b.members,
            reviewed: b.reviewed,
            created_at: b.created_at,
        }
    }
}

/// What 发起批量办卡 did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatchReceipt {
    pub batch: BatchItem,
    /// The same click had already made this batch.
    pub repeated: bool,
    /// Selected members someone else had already sent.
    pub skipped: usize,
}

/// 发起批量办卡 (the selected pending members) or 全部批量办卡 (`all`): one batch to the bank of
/// the union's pickup branch. `request_key` is made once per click by the page: sent again, it
/// answers with the same batch.
#[server(endpoint = "cards/submit", output = crate::wire::Answer)]
pub async fn submit_batch(
    request_key: String,
    #[server(default)] members: Vec<MemberId>,
    #[server(default)] all: bool,
) -> Result<BatchReceipt, AppError> {
    use crate::{
        domain::{
            card::{check, CardAction, CardMove},
            role::Role,
        },
        server::{batches, caller, cards::Selection, unions},
    };
    let (db, me) = caller::require(&[Role::Union]).await?;
    let union = me.union()?;
    check(CardState::Pending, CardAction::Submit, me.role(), &CardMove::default()).map_err(refusal)?;
    let info = unions::info(&db, union).await?;
    if let Some(why) = info.batch_lock() {
        let code = if info.missing().is_empty() { "agreement_missing" } else { "union_info_incomplete" };
        return Err(AppError::refused(code, why));
    }
    if !all && members.is_empty() {
        return Err(AppError::refused("nothing_selected", "请先勾选要办卡的会员。"));
    }
    let selection = if all { Selection::All } else { Selection::Members(&members) };
    let done = batches::submit(&db, union, me.id(), &request_key, selection).await?;
    Ok(BatchReceipt { batch: done.batch.into(), repeated: done.repeated, skipped: done.skipped })
}

/// One reason the bank gave, as the union reads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReasonView {
    pub reason: RejectionReason,
    pub label: String,
    pub text: String,
    /// What the union can do about it.
    pub remedy: String,
}

/// A rejected member (未办卡—待处理), masked, with every reason of its latest rejection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RejectedItem {
    pub id: MemberId,
    pub name: String,
    pub id_number_masked: String,
    pub phone_masked: String,
    pub department: String,
    pub batch_no: String,
    pub rejected_at: i64,
    pub reasons: Vec<ReasonView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RejectedPage {
    pub items: Vec<RejectedItem>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

pub const CARD_PAGE_SIZE: i64 = 20;

/// The union's 待处理 list: each rejected member with the bank's reasons and what to do.
#[server(endpoint = "cards/rejected", output = crate::wire::Answer)]
pub async fn list_rejected(page: i64) -> Result<RejectedPage, AppError> {
    use crate::{
        domain::{mask_id, phone::mask, role::Role},
        server::{batches, caller, cards},
    };
    let (db, me) = caller::require(&[Role::Union]).await?;
    let union = me.union()?;
    let page = page.max(1);
    let rows = batches::rejected_of_union(&db, union, CARD_PAGE_SIZE, (page - 1) * CARD_PAGE_SIZE).await?;
    let total = cards::count_of(&db, union, Some(CardState::Rejected)).await?;
    let items = rows
        .into_iter()
        .map(|r| RejectedItem {
            id: r.id,
            name: r.name,
            id_number_masked: mask_id(&r.id_number),
            phone_masked: mask(&r.phone),
            department: r.department.unwrap_or_default(),
            batch_no: r.batch_no,
            rejected_at: r.rejected_at,
            reasons: r
                .reasons
                .into_iter()
                .map(|x| ReasonView {
                    reason: x.reason,
                    label: x.reason.label().to_string(),
                    remedy: x.reason.remedy().to_string(),
                    text: x.text,
                })
                .collect(),
        })
        .collect();
    Ok(RejectedPage { items, total, page, page_size: CARD_PAGE_SIZE })
}

/// The union, having fixed the records, sets rejected members back to 未办卡—待办卡.
#[server(endpoint = "cards/reset", output = crate::wire::Answer)]
pub async fn reset_rejected(#[server(default)] members: Vec<MemberId>) -> Result<usize, AppError> {
    use crate::{
        domain::{
            card::{check, CardAction, CardMove},
            role::Role,
        },
        server::{batches, caller},
    };
    let (db, me) = caller::require(&[Role::Union]).await?;
    check(CardState::Rejected, CardAction::ResetRejected, me.role(), &CardMove::default()).map_err(refusal)?;
    if members.is_empty() {
        return Err(AppError::refused("nothing_selected", "请先勾选已修改好的会员。"));
    }
    batches::reset_rejected(&db, me.union()?, me.id(), &members).await
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatchPage {
    pub items: Vec<BatchItem>,
    pub total: i64,
    /// Batches with cards still to review.
    pub waiting: i64,
    pub page: i64,
    pub page_size: i64,
}

/// The bank's review queue: batches routed to its branches, those waiting first.
#[server(endpoint = "bank/batches", output = crate::wire::Answer)]
pub async fn list_batches(page: i64) -> Result<BatchPage, AppError> {
    use crate::{
        domain::role::Role,
        server::{batches, caller},
    };
    let (db, me) = caller::require(&[Role::Bank]).await?;
    let page = page.max(1);
    let offset = (page - 1).saturating_mul(CARD_PAGE_SIZE);
    let (rows, total, waiting) = batches::of_bank(&db, me.bank()?, CARD_PAGE_SIZE, offset).await?;
    Ok(BatchPage { items: rows.into_iter().map(Into::into).collect(), total, waiting, page, page_size: CARD_PAGE_SIZE })
}

/// A member of a batch under review: the full record, as the bank checks it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewItem {
    pub id: MemberId,
    pub name: String,
    pub id_type: String,
    pub id_number: String,
    pub phone: String,
    pub department: String,
    pub card_state: CardState,
    /// 是否加载深圳通, as the union's upload gave it (none when the member was not imported).
    pub shenzhen_tong: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatchDetail {
    pub batch: BatchItem,
    pub items: Vec<ReviewItem>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

/// One batch with its members' full records (each opening is written to the audit log).
#[server(endpoint = "bank/batch", output = crate::wire::Answer)]
pub async fn get_batch(batch: BatchId, state: Option<CardState>, page: i64) -> Result<BatchDetail, AppError> {
    use crate::{
        domain::role::Role,
        server::{audit, batches, caller, members},
    };
    let (db, me) = caller::require(&[Role::Bank]).await?;
    let row = batches::of_bank_one(&db, me.bank()?, batch).await?;
    let page = page.max(1);
    let (rows, total) = batches::members_of(&db, batch, state, CARD_PAGE_SIZE, (page - 1) * CARD_PAGE_SIZE).await?;
    audit::record(&db.pool, Some(me.id()), "batch_viewed", &format!("batch:{}", row.batch_no), &format!("page={page}"))
        .await?;
    let items = rows
        .into_iter()
        .map(|r| {
            Ok(ReviewItem {
                shenzhen_tong: r.shenzhen_tong(),
                id: r.id,
                id_type: members::id_type_of(r.id, &r.id_type)?.label().to_string(),
                name: r.name,
                id_number: r.id_number,
                phone: r.phone,
                department: r.department.unwrap_or_default(),
                card_state: r.card_state,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(BatchDetail { batch: row.into(), items, total, page, page_size: CARD_PAGE_SIZE })
}

/// One member the bank rejects, with all that is wrong with the record at once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RejectionInput {
    pub member: MemberId,
    pub reasons: Vec<Rejection>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewReceipt {
    pub approved: usize,
    pub rejected: usize,
    /// Cards someone else had already reviewed: left as they were.
    pub skipped: usize,
}

/// The bank's decision on a batch: rejections with reasons, then approval of the listed members
/// or of every card still under review (`approve_rest`).
#[server(endpoint = "bank/review", output = crate::wire::Answer)]
pub async fn review_batch(
    batch: BatchId,
    #[server(default)] rejections: Vec<RejectionInput>,
    #[server(default)] approve: Vec<MemberId>,
    #[server(default)] approve_rest: bool,
) -> Result<ReviewReceipt, AppError> {
    use crate::{
        domain::{
            card::{check, CardAction, CardMove},
            role::Role,
        },
        server::{
            batches::{self, MemberRejection},
            caller,
        },
    };
    let (db, me) = caller::require(&[Role::Bank]).await?;
    let mut checked = Vec::with_capacity(rejections.len());
    for r in rejections {
        let input = CardMove { reasons: r.reasons, ..CardMove::default() };
        check(CardState::Submitted, CardAction::Reject, me.role(), &input).map_err(refusal)?;
        checked.push(MemberRejection { member: r.member, reasons: input.reasons });
    }
    if approve_rest || !approve.is_empty() {
        check(CardState::Submitted, CardAction::Approve, me.role(), &CardMove::default()).map_err(refusal)?;
    }
    if checked.is_empty() && approve.is_empty() && !approve_rest {
        return Err(AppError::refused("nothing_selected", "请先选择要通过或退回的会员。"));
    }
    let done = batches::review(&db, me.bank()?, me.id(), batch, &checked, &approve, approve_rest).await?;
    if done.approved + done.rejected == 0 {
        return Err(AppError::conflict("card_moved", "已被他人处理：该批次的这些会员已审核过，请刷新后查看。"));
    }
    Ok(ReviewReceipt { approved: done.approved, rejected: done.rejected, skipped: done.skipped })
}
