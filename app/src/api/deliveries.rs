//! After the review: the bank records cards made, arranges and records deliveries, activations
//! and remakes; the union agrees delivery times, signs for the cards and hands them out within
//! five working days. Every card move is checked by the shared lifecycle
//! (`domain::card::check`, `check_delivery`) and written by `server::cards` through
//! `server::deliveries`.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{
    domain::{
        calendar::Urgency,
        card::{CardState, DeliveryAction},
        ids::{BatchId, DeliveryId, MemberId, UnionId},
        role::Role,
    },
    error::AppError,
};

/// A delivery as both sides see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeliveryItem {
    pub id: DeliveryId,
    pub union_id: UnionId,
    pub union_name: String,
    /// Stored stage code and who proposed the time: sent back with a step, so a stale page is
    /// told someone else acted first.
    pub stage_code: String,
    pub proposed_by: Option<Role>,
    pub stage_label: String,
    pub scheduled_at: i64,
    pub cards: i64,
    pub outstanding: i64,
    /// The steps the caller may take now (from `domain::card::check_delivery`).
    pub actions: Vec<DeliveryAction>,
}

#[cfg(feature = "ssr")]
fn item(row: crate::server::deliveries::DeliveryRow, role: Role) -> Result<DeliveryItem, AppError> {
    use crate::domain::card::check_delivery;
    let stage = row.stage()?;
    let actions = DeliveryAction::ALL
        .into_iter()
        .filter(|a| check_delivery(stage, *a, role, Some(row.scheduled_at)).is_ok())
        .collect();
    Ok(DeliveryItem {
        id: row.id,
        union_id: row.union_id,
        union_name: row.union_name,
        stage_code: stage.code().0.to_string(),
        proposed_by: stage.code().1,
        stage_label: stage.label().to_string(),
        scheduled_at: row.scheduled_at,
        cards: row.cards,
        outstanding: row.outstanding,
        actions,
    })
}

/// A signed-for delivery with cards still to hand out, and its deadline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DueItem {
    pub delivery: DeliveryItem,
    pub signed_on: String,
    /// The last day to hand the cards out, or `None` with `calendar_gap` when the calendar
    /// lacks a year it needs (日历未维护: never guessed).
    pub due_on: Option<String>,
    pub urgency: Option<Urgency>,
    pub calendar_gap: Option<String>,
    /// The calendar years the deadline was counted with.
    pub calendar_years: Vec<i32>,
}

/// The union's deliveries: appointments under way, and signed-for cards to hand out with their
/// deadlines, overdue first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnionDeliveries {
    pub open: Vec<DeliveryItem>,
    pub due: Vec<DueItem>,
}

/// The deadlines of `rows` on `today`, overdue first, then the soonest due.
#[cfg(feature = "ssr")]
pub async fn due_items(
    db: &crate::server::Db,
    rows: Vec<crate::server::deliveries::DeliveryRow>,
    today: crate::domain::calendar::Date,
) -> Result<Vec<DueItem>, AppError> {
    use crate::{domain::calendar::DISTRIBUTION_WORKING_DAYS, server::calendar};
    let cal = calendar::load(db).await?;
    let mut due = Vec::with_capacity(rows.len());
    for row in rows {
        let signed = row.signed_on()?.ok_or(AppError::Internal)?;
        let (due_on, urgency, gap, years) =
            match (cal.due_date(signed, DISTRIBUTION_WORKING_DAYS), cal.urgency(signed, today)) {
                (Ok(d), Ok(u)) => (Some(d), Some(u), None, (signed.year()..=d.year().max(today.year())).collect()),
                (Ok(d), Err(gap)) => (Some(d), None, Some(gap.message()), Vec::new()),
                (Err(gap), _) => (None, None, Some(gap.message()), Vec::new()),
            };
        due.push(DueItem {
            delivery: item(row, Role::Union)?,
            signed_on: signed.to_string(),
            due_on: due_on.map(|d| d.to_string()),
            urgency,
            calendar_gap: gap,
            calendar_years: years,
        });
    }
    // overdue first (longest overdue first), then by days left; a gap last
    due.sort_by_key(|d| match d.urgency {
        Some(Urgency::Overdue { by }) => (0, -(by as i64)),
        Some(Urgency::DueSoon { left }) | Some(Urgency::OnTime { left }) => (1, left as i64),
        None => (2, 0),
    });
    Ok(due)
}

#[server(endpoint = "union/deliveries", output = crate::wire::Answer)]
pub async fn list_union_deliveries() -> Result<UnionDeliveries, AppError> {
    use crate::{
        domain::calendar::Date,
        server::{caller, db::now, deliveries},
    };
    let (db, me) = caller::require(&[Role::Union]).await?;
    let union = me.union()?;
    let open = deliveries::open_of_union(&db, union)
        .await?
        .into_iter()
        .map(|r| item(r, Role::Union))
        .collect::<Result<_, _>>()?;
    let today = Date::of_timestamp(now()).ok_or(AppError::Internal)?;
    let due = due_items(&db, deliveries::to_hand_out(&db, union).await?, today).await?;
    Ok(UnionDeliveries { open, due })
}

/// A union of the bank's whose made cards wait for a delivery to be arranged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnscheduledItem {
    pub union_id: UnionId,
    pub union_name: String,
    pub cards: i64,
}

/// The bank's 送卡上门 page: unions waiting for a delivery time and open deliveries, each a page
/// at a time, both of unions whose name contains the search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BankDeliveries {
    pub unscheduled: Vec<UnscheduledItem>,
    pub unscheduled_total: i64,
    pub unscheduled_page: i64,
    pub open: Vec<DeliveryItem>,
    pub open_total: i64,
    pub open_page: i64,
    pub page_size: i64,
}

/// Unions or deliveries on one page of the bank's 送卡上门 lists.
pub const DELIVERY_PAGE_SIZE: i64 = 20;

#[server(endpoint = "bank/deliveries", output = crate::wire::Answer)]
pub async fn list_bank_deliveries(
    #[server(default)] union_name: String,
    #[server(default)] unscheduled_page: i64,
    #[server(default)] open_page: i64,
) -> Result<BankDeliveries, AppError> {
    use crate::server::{caller, deliveries};
    let (db, me) = caller::require(&[Role::Bank]).await?;
    let bank = me.bank()?;
    let name: String = union_name.chars().take(100).collect();
    let (unscheduled_page, open_page) = (unscheduled_page.max(1), open_page.max(1));
    let offset = |page: i64| (page - 1).saturating_mul(DELIVERY_PAGE_SIZE);
    let (rows, unscheduled_total) =
        deliveries::unscheduled_of_bank(&db, bank, &name, DELIVERY_PAGE_SIZE, offset(unscheduled_page)).await?;
    let unscheduled = rows
        .into_iter()
        .map(|u| UnscheduledItem { union_id: u.union_id, union_name: u.union_name, cards: u.cards })
        .collect();
    let (rows, open_total) = deliveries::open_of_bank(&db, bank, &name, DELIVERY_PAGE_SIZE, offset(open_page)).await?;
    let open = rows.into_iter().map(|r| item(r, Role::Bank)).collect::<Result<_, _>>()?;
    Ok(BankDeliveries {
        unscheduled,
        unscheduled_total,
        unscheduled_page,
        open,
        open_total,
        open_page,
        page_size: DELIVERY_PAGE_SIZE,
    })
}

#[cfg(feature = "ssr")]
use crate::api::cards::refusal;

/// A delivery time as the desk and the bank's API take it (`2026-12-05T10:00`, Beijing time),
/// not in the past.
#[cfg(feature = "ssr")]
pub fn time_of(field: &str, text: &str) -> Result<i64, AppError> {
    let at = crate::domain::parse_time(text).ok_or_else(|| AppError::invalid(field, "请填写送卡上门的日期和时间。"))?;
    if at < crate::server::db::now() {
        return Err(AppError::invalid(field, "送卡时间不能早于现在，请重新选择。"));
    }
    Ok(at)
}

/// The bank arranges a delivery of a union's made cards, proposing a time (`2026-12-05T10:00`).
#[server(endpoint = "bank/deliveries/open", output = crate::wire::Answer)]
pub async fn open_delivery(union: UnionId, scheduled: String) -> Result<DeliveryItem, AppError> {
    use crate::server::{caller, deliveries};
    let (db, me) = caller::require(&[Role::Bank]).await?;
    let at = time_of("scheduled", &scheduled)?;
    let row = deliveries::open(&db, me.bank()?, Some(me.id()), union, at, None).await?;
    item(row, Role::Bank)
}

/// A step of a delivery's appointment by the union or the bank: propose a time (`scheduled`),
/// confirm the other side's, or (the bank) record the delivery. `seen_*` is the delivery as the
/// page showed it.
#[server(endpoint = "deliveries/step", output = crate::wire::Answer)]
pub async fn delivery_step(
    delivery: DeliveryId,
    action: DeliveryAction,
    #[server(default)] scheduled: String,
    seen_stage: String,
    #[server(default)] seen_by: Option<Role>,
    seen_time: i64,
) -> Result<DeliveryItem, AppError> {
    use crate::server::{caller, deliveries};
    let (db, me) = caller::require(&[Role::Union, Role::Bank]).await?;
    let side = match me.role() {
        Role::Union => deliveries::Side::Union(me.union()?),
        _ => deliveries::Side::Bank(me.bank()?),
    };
    let at = match action {
        DeliveryAction::ProposeTime => Some(time_of("scheduled", &scheduled)?),
        _ => None,
    };
    let stage = crate::domain::card::DeliveryStage::from_code(&seen_stage, seen_by).ok_or(AppError::Request)?;
    let seen = deliveries::Seen { stage, scheduled_at: seen_time };
    let step = deliveries::Step { action, scheduled_at: at, seen };
    let row = deliveries::step(&db, side, Some(me.id()), delivery, step, None).await?;
    item(row, me.role())
}

/// The union signs for a delivered delivery, with the number of cards counted.
#[server(endpoint = "union/deliveries/sign", output = crate::wire::Answer)]
pub async fn sign_delivery(delivery: DeliveryId, count: i64) -> Result<DeliveryItem, AppError> {
    use crate::{
        domain::card::{check, CardAction, CardMove},
        server::{caller, deliveries},
    };
    let (db, me) = caller::require(&[Role::Union]).await?;
    check(CardState::AwaitingDelivery, CardAction::SignFor, me.role(), &CardMove::default()).map_err(refusal)?;
    let row = deliveries::sign(&db, me.union()?, Some(me.id()), delivery, count, None).await?;
    item(row, Role::Union)
}

/// The union hands cards out: the selected members, a department's, or all of a delivery's.
#[server(endpoint = "union/cards/hand-out", output = crate::wire::Answer)]
pub async fn hand_out_cards(
    #[server(default)] members: Vec<MemberId>,
    #[server(default)] department: String,
    #[server(default)] delivery: Option<DeliveryId>,
) -> Result<usize, AppError> {
    use crate::{
        domain::card::{check, CardAction, CardMove},
        server::{caller, deliveries, deliveries::HandOut},
    };
    let (db, me) = caller::require(&[Role::Union]).await?;
    check(CardState::AwaitingDistribution, CardAction::Distribute, me.role(), &CardMove::default()).map_err(refusal)?;
    let department = department.trim();
    let which = match (delivery, department.is_empty(), members.is_empty()) {
        (Some(d), _, _) => HandOut::Delivery(d),
        (None, false, _) => HandOut::Department(department),
        (None, true, false) => HandOut::Members(&members),
        (None, true, true) => return Err(AppError::refused("nothing_selected", "请先勾选已领到卡的会员。")),
    };
    let by_department = matches!(which, HandOut::Department(_));
    let n = deliveries::hand_out(&db, me.union()?, Some(me.id()), which, None).await?;
    if n == 0 && by_department {
        // a typed name: most often one no member has, or a department whose cards are all out
        return Err(AppError::invalid(
            "department",
            format!("部门“{department}”没有待发放的会员服务卡。请核对部门名称，须与会员信息中的“部门”完全一致。"),
        ));
    }
    if n == 0 {
        return Err(AppError::conflict("card_moved", "已被他人处理：这些会员服务卡已不在待发放中，请刷新后查看。"));
    }
    Ok(n)
}

/// A card made, as the bank records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MadeInput {
    pub member: MemberId,
    pub tail: String,
}

/// The bank records cards of a batch made, each with its number's last four digits.
#[server(endpoint = "bank/cards/made", output = crate::wire::Answer)]
pub async fn mark_cards_made(batch: BatchId, #[server(default)] made: Vec<MadeInput>) -> Result<usize, AppError> {
    use crate::{
        domain::card::{check, CardAction, CardMove},
        server::{caller, deliveries},
    };
    let (db, me) = caller::require(&[Role::Bank]).await?;
    if made.is_empty() {
        return Err(AppError::refused("nothing_selected", "请先填写制卡完成的会员服务卡的卡号后四位。"));
    }
    let mut cards = Vec::with_capacity(made.len());
    for m in made {
        let input = CardMove { card_tail: Some(m.tail.clone()), ..CardMove::default() };
        check(CardState::InProduction, CardAction::MarkMade, me.role(), &input).map_err(refusal)?;
        cards.push(deliveries::MadeCard { member: m.member, tail: m.tail.trim().to_string() });
    }
    let n = deliveries::mark_made(&db, me.bank()?, Some(me.id()), batch, &cards, None).await?;
    if n == 0 {
        return Err(AppError::conflict("card_moved", "已被他人处理：这些会员服务卡已登记过制卡完成，请刷新后查看。"));
    }
    Ok(n)
}

/// A card at the bank's desk: the member's full record (checked against the member's papers at
/// activation), what the bank may do with it now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BankCard {
    pub id: MemberId,
    pub union_id: UnionId,
    pub union_name: String,
    pub name: String,
    pub id_type: String,
    pub id_number: String,
    pub phone: String,
    pub department: String,
    pub card_state: CardState,
    pub card_tail: String,
    pub actions: Vec<crate::domain::card::CardAction>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BankCardPage {
    pub items: Vec<BankCard>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

/// The bank's cards in one state (已发放 for activations by default), searched by ID number,
/// a page at a time. Each page read is written to the audit log (full records).
#[server(endpoint = "bank/cards", output = crate::wire::Answer)]
pub async fn list_bank_cards(
    state: CardState,
    #[server(default)] id_number: String,
    page: i64,
) -> Result<BankCardPage, AppError> {
    use crate::{
        api::cards::CARD_PAGE_SIZE,
        domain::card::available,
        server::{audit, caller, deliveries, members},
    };
    let (db, me) = caller::require(&[Role::Bank]).await?;
    if !CardState::BANK_DESK.contains(&state) {
        return Err(AppError::refused("state_not_listed", "这里只列出待发放、已发放和已激活的会员服务卡。"));
    }
    let page = page.max(1);
    let (rows, total) =
        deliveries::bank_cards(&db, me.bank()?, state, &id_number, CARD_PAGE_SIZE, (page - 1) * CARD_PAGE_SIZE).await?;
    audit::record(
        &db.pool,
        Some(me.id()),
        "bank_cards_viewed",
        &format!("state:{}", state.as_str()),
        &format!("page={page} search={}", !id_number.trim().is_empty()),
    )
    .await?;
    let items = rows
        .into_iter()
        .map(|r| {
            Ok(BankCard {
                id: r.id,
                id_type: members::id_type_of(r.id, &r.id_type)?.label().to_string(),
                union_id: r.union_id,
                union_name: r.union_name,
                name: r.name,
                id_number: r.id_number,
                phone: r.phone,
                department: r.department.unwrap_or_default(),
                actions: available(r.card_state, Role::Bank),
                card_state: r.card_state,
                card_tail: r.card_tail.unwrap_or_default(),
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(BankCardPage { items, total, page, page_size: CARD_PAGE_SIZE })
}

/// The bank records cards of one union activated: on site at the agreed time (`at`,
/// `2026-12-05T10:00`), or at one of its branches (`branch`).
#[server(endpoint = "bank/cards/activate", output = crate::wire::Answer)]
pub async fn activate_cards(
    union: UnionId,
    #[server(default)] members: Vec<MemberId>,
    #[server(default)] at: String,
    #[server(default)] branch: String,
) -> Result<usize, AppError> {
    use crate::{
        domain::card::{check, CardAction, CardMove},
        server::{caller, deliveries, deliveries::Activation},
    };
    let (db, me) = caller::require(&[Role::Bank]).await?;
    let (action, input) = if branch.trim().is_empty() {
        (CardAction::ActivateOnSite, CardMove { at: crate::domain::parse_time(&at), ..CardMove::default() })
    } else {
        (CardAction::ActivateAtBranch, CardMove { branch: Some(branch.trim().to_string()), ..CardMove::default() })
    };
    check(CardState::Distributed, action, me.role(), &input).map_err(refusal)?;
    if members.is_empty() {
        return Err(AppError::refused("nothing_selected", "请先勾选要激活的会员服务卡。"));
    }
    let how = match (action, input.at) {
        (CardAction::ActivateOnSite, Some(at)) => Activation::OnSite { at },
        _ => Activation::AtBranch { branch: branch.trim() },
    };
    let reason = input.event_reason(action).unwrap_or_default();
    let n = deliveries::activate(&db, me.bank()?, Some(me.id()), union, &members, &how, &reason).await?;
    if n == 0 {
        return Err(AppError::conflict("card_moved", "已被他人处理：这些会员服务卡已不在已发放中，请刷新后查看。"));
    }
    Ok(n)
}

/// The bank recalls a card with a wrong face and makes it again (`seen`: the state the page
/// showed; `text`: what is wrong on the face).
#[server(endpoint = "bank/cards/remake", output = crate::wire::Answer)]
pub async fn remake_card(member: MemberId, seen: CardState, text: String) -> Result<(), AppError> {
    use crate::{
        domain::card::{check, CardAction, CardMove},
        server::{caller, deliveries},
    };
    let (db, me) = caller::require(&[Role::Bank]).await?;
    let input = CardMove { text: Some(text.clone()), ..CardMove::default() };
    check(seen, CardAction::Remake, me.role(), &input).map_err(refusal)?;
    deliveries::remake(&db, me.bank()?, Some(me.id()), member, seen, text.trim()).await
}
