//! Server-only code: the database, sessions, password hashing and the queries behind the
//! server functions.

pub mod accounts;
pub mod audit;
pub mod auth;
pub mod db;
pub mod import;
pub mod session_store;
pub mod unions;
pub mod xlsx;

pub use db::{Backend, Db};
