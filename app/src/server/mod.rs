//! Server-only code, by noun: each module owns its table's SQL (accounts, unions, banks,
//! members, cards, imports), beside the database handle, sessions, the caller and the audit log.

pub mod accounts;
pub mod audit;
pub mod auth;
pub mod bank_tokens;
pub mod banks;
pub mod batches;
pub mod calendar;
pub mod caller;
pub mod cards;
pub mod db;
pub mod deliveries;
pub mod gate;
pub mod headers;
pub mod imports;
pub mod member_portal;
pub mod member_signin;
pub mod members;
pub mod session_store;
pub mod sms;
pub mod state;
pub mod subtree;
pub mod supervision;
pub mod unions;
pub mod xlsx;

pub use db::{Backend, Db};
