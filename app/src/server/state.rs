//! The application's state, passed one way: the router carries it, plain routes extract it
//! (`State<AppState>`, or its parts through `FromRef`), and server functions read it from the
//! Leptos context the router provides.

use axum::extract::FromRef;
use leptos::{config::LeptosOptions, prelude::use_context};

use super::db::Db;
use crate::error::{AppError, AppResult};

#[derive(Debug, Clone, FromRef)]
pub struct AppState {
    pub db: Db,
    pub leptos_options: LeptosOptions,
}

/// The database, inside a server function or a page's resource.
pub fn db() -> AppResult<Db> {
    use_context::<AppState>().map(|s| s.db).ok_or_else(|| {
        tracing::error!("no application state in the request context");
        AppError::Internal
    })
}
