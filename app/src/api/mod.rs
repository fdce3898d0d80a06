//! Server functions, grouped by area, and the types that cross the wire. Each one checks the
//! caller first (`server::auth::require`).

pub mod accounts;
pub mod auth;
pub mod import;
pub mod members;
pub mod overview;
pub mod union_info;
