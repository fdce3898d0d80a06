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
    /// The header a trusted reverse proxy puts the client's address in (`UNIONCARD_TRUSTED_PROXY`).
    pub trusted_proxy: Option<axum::http::HeaderName>,
    /// Member searches per account (`gate::MEMBER_SEARCHES_PER_MINUTE`).
    pub member_searches: std::sync::Arc<super::gate::RateLimit<crate::domain::ids::UserId>>,
    /// Where 短信验证码 go (`UNIONCARD_SMS_URL`), or the log.
    pub sms: super::sms::Gateway,
}

impl AppState {
    pub fn new(db: Db, leptos_options: LeptosOptions, trusted_proxy: Option<axum::http::HeaderName>) -> Self {
        let member_searches =
            super::gate::RateLimit::new(super::gate::MEMBER_SEARCHES_PER_MINUTE, std::time::Duration::from_secs(60));
        AppState {
            db,
            leptos_options,
            trusted_proxy,
            member_searches: std::sync::Arc::new(member_searches),
            sms: super::sms::Gateway::Log,
        }
    }
}

/// The database, inside a server function or a page's resource.
pub fn db() -> AppResult<Db> {
    use_context::<AppState>().map(|s| s.db).ok_or_else(|| {
        tracing::error!("no application state in the request context");
        AppError::Internal
    })
}
