//! The member service card: counts by state as every portal shows them, and a member's own
//! card with its history.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{domain::card::CardState, error::AppError};

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
        domain::{mask_id, phone::mask, role::Role},
        server::{caller, cards, members},
    };
    let (db, me) = caller::require(&[Role::Member]).await?;
    let member = me.member()?;
    let m = members::card_holder(&db, member).await?.ok_or(AppError::NotFound)?;
    let events = cards::events(&db, member).await?;
    Ok(MyCard {
        name: m.name,
        union_name: m.union_name,
        id_number_masked: mask_id(&m.id_number),
        phone_masked: mask(&m.phone),
        department: m.department.unwrap_or_default(),
        card_state: m.card_state,
        // the record's creation put the card in 未办卡; the transitions since follow
        events: std::iter::once(CardEvent { state: CardState::Pending, at: m.created_at, reason: None })
            .chain(events.into_iter().map(|(state, at, reason)| CardEvent { state, at, reason }))
            .collect(),
    })
}
