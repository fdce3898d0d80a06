//! 会员服务平台 (mobile first): a member's own card.

pub mod card;
pub mod login;
