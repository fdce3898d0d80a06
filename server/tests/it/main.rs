//! The integration tests, one binary: the real HTTP server (and the `unioncard` CLI) on a fresh
//! database per test, most tests on both SQLite and PostgreSQL. One file per noun; server
//! functions are called with their own argument structs (`TestApp::call_fn`).

#[macro_use]
mod common;

mod accounts;
mod auth;
mod bank_api;
mod batches;
mod calendar;
mod cards;
mod dashboard;
mod deliveries;
mod help;
mod imports;
mod lifecycle;
mod member_portal;
mod members;
mod migrations;
mod overview;
mod security;
mod unions;
