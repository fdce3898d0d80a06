//! The bank desk (中国银行会员服务卡工作台).

pub mod batch;
pub mod batches;
pub mod cards;
pub mod deliveries;
pub mod home;
pub mod tokens;
