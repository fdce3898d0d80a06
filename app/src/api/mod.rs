//! Server functions by noun, and the types that cross the wire. Each one starts by asking who
//! is calling (`server::caller::require`) and reaches only what that caller's scope holds.

pub mod accounts;
pub mod audit;
pub mod auth;
pub mod bank_tokens;
pub mod calendar;
pub mod cards;
pub mod deliveries;
pub mod help;
pub mod imports;
pub mod member_portal;
pub mod members;
pub mod overview;
pub mod unions;
