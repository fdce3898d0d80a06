//! 工会业务工作平台: a supervising union's view of its subtree and the accounts below it.

pub mod accounts;
pub mod audit;
pub mod calendar;
pub mod hotlines;
pub mod overview;
