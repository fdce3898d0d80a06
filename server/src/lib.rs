//! The UnionCard server: the axum router around the Leptos app, sessions in the database,
//! the cross-site request guard, and the demo data.

pub mod assets;
pub mod bank_api;
pub mod cli_import;
pub mod seed;
mod union_routes;

/// mimalloc reuses memory freed by another thread (an import reads on a blocking thread and
/// writes on a runtime thread), which keeps a large import's peak memory down.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::{net::SocketAddr, time::Duration};

use app::{
    domain::role::Role,
    server::{session_store::DbSessionStore, state::AppState, Db},
    shell, App,
};
use axum::{
    extract::Request,
    http::{header, HeaderName, HeaderValue, Method, StatusCode},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::{
    set_header::SetResponseHeaderLayer,
    trace::{DefaultOnResponse, TraceLayer},
};
use tower_sessions::{cookie::SameSite, session_store::ExpiredDeletion, Expiry, SessionManagerLayer};

/// Where a member signs in (短信验证码).
const MEMBER_LOGIN: &str = "/me/login";

pub const SESSION_COOKIE: &str = "unioncard_session";
/// Signed-in sessions end after this long without a request.
pub const IDLE_MINUTES: i64 = 30;

#[derive(Debug, Clone)]
pub struct Settings {
    pub leptos_options: LeptosOptions,
    /// Mark the session cookie `Secure` (behind HTTPS).
    pub secure_cookies: bool,
    /// The header a trusted reverse proxy writes the client's address in
    /// (`UNIONCARD_TRUSTED_PROXY`); without it, the connection's peer address counts.
    pub trusted_proxy: Option<HeaderName>,
    /// Days a committed upload's workbook is kept (`UNIONCARD_UPLOAD_RETENTION_DAYS`).
    pub upload_retention_days: i64,
    /// The SMS gateway 短信验证码 are POSTed to (`UNIONCARD_SMS_URL`); none writes them to the log.
    pub sms_url: Option<String>,
}

impl Settings {
    /// Plain HTTP, no proxy, uploads kept `DEFAULT_UPLOAD_RETENTION_DAYS`.
    pub fn new(leptos_options: LeptosOptions) -> Self {
        Settings {
            leptos_options,
            secure_cookies: false,
            trusted_proxy: None,
            upload_retention_days: app::server::imports::DEFAULT_UPLOAD_RETENTION_DAYS,
            sms_url: None,
        }
    }
}

/// Refuses a state-changing request sent by another site's page. Browsers label such requests
/// with `Sec-Fetch-Site` and `Origin`; clients that send neither (scripts, the CLI) are not
/// browsers acting for a signed-in user and pass.
async fn refuse_cross_site(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    let cross = match fetch_site {
        Some(site) => !matches!(site, "same-origin" | "none"),
        None => match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
            Some(origin) => {
                let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
                let origin_host = origin.split_once("://").map(|(_, h)| h).unwrap_or("");
                origin_host.is_empty() || origin_host != host
            }
            None => false,
        },
    };
    if cross {
        tracing::warn!(path = %req.uri().path(), "refused a cross-site request");
        return (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "跨站请求已被拒绝。请在本系统页面内操作。",
        )
            .into_response();
    }
    next.run(req).await
}

/// Sends a browser opening a portal page where the page itself would send it: to the login page
/// when it is not signed in, to the password change while its account has the initial password.
/// The pages say the same after rendering, but a streamed page's headers are gone by then and the
/// browser would depend on the script to move on; this answers with a redirect before rendering.
async fn portal_redirect(
    axum::extract::State(state): axum::extract::State<AppState>,
    session: tower_sessions::Session,
    req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path();
    let portal = Role::ALL
        .map(Role::home)
        .iter()
        .any(|p| path == *p || path.strip_prefix(p).is_some_and(|rest| rest.starts_with('/')));
    // pages only: not the downloads below /union, which answer for themselves, nor the
    // member's sign-in page
    if *req.method() != Method::GET || !portal || path.ends_with(".xlsx") || path == MEMBER_LOGIN {
        return next.run(req).await;
    }
    let target = match app::server::auth::current_user(&state.db, &session).await {
        // members sign in with an SMS code on their own page
        Ok(None) if path == "/me" || path.starts_with("/me/") => Some(MEMBER_LOGIN),
        Ok(None) => Some("/login"),
        Ok(Some(u)) if u.must_change_password => Some("/change-password"),
        // an error is the page's to show
        _ => None,
    };
    match target {
        Some(to) => axum::response::Redirect::to(to).into_response(),
        None => next.run(req).await,
    }
}

/// Every response but the site's static files (`/pkg/…`, the icon) is `Cache-Control: no-store`:
/// pages and answers carry personal data, which no browser or proxy may keep.
async fn no_store(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let static_file = path.starts_with("/pkg/") || path == "/favicon.svg";
    let mut res = next.run(req).await;
    if !static_file {
        res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

/// A span for each request: method and path (never the query string, which may carry a
/// search), and the caller's user id once `caller` knows it.
fn request_span(req: &Request) -> tracing::Span {
    tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), caller = tracing::field::Empty)
}

/// The app's routes, generated once per process. Generating them runs the app with resource
/// loading suppressed by a process-wide flag, and a resource first polled meanwhile by a page
/// being served waits forever (leptos issue #4773): a second server started in the same process,
/// as the integration tests and `another_instance` do, must not generate them again.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The whole application as a router.
pub fn router(db: Db, settings: Settings) -> Router {
    let options = settings.leptos_options.clone();
    let state = AppState {
        sms: app::server::sms::Gateway::from_url(settings.sms_url.clone()),
        ..AppState::new(db.clone(), options.clone(), settings.trusted_proxy.clone())
    };
    let routes = route_list();
    let store = DbSessionStore::new(db.clone());
    let sessions = SessionManagerLayer::new(store)
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(settings.secure_cookies)
        .with_expiry(Expiry::OnInactivity(time::Duration::minutes(IDLE_MINUTES)));
    let context = state.clone();
    let site = Router::new().route("/healthz", get(|| async { "ok" }));
    assets::with_pkg(site, &options.site_root, &options.site_pkg_dir)
        .merge(union_routes::routes())
        .merge(bank_api::routes())
        .leptos_routes_with_context(&state, routes, move || provide_context(context.clone()), {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(middleware::from_fn(refuse_cross_site))
        .layer(middleware::from_fn_with_state(state.clone(), portal_redirect))
        .layer(sessions)
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .layer(middleware::from_fn(no_store))
        .layer(assets::compression())
        // HTTPS only once the operator serves it (secure cookies on)
        .layer(SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            settings.secure_cookies.then(|| HeaderValue::from_static("max-age=31536000")),
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_request(())
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .with_state(state)
}

/// Deletes expired sessions every ten minutes, for as long as the server runs.
pub fn spawn_session_cleanup(db: Db) {
    tokio::spawn(async move {
        let store = DbSessionStore::new(db);
        let mut tick = tokio::time::interval(Duration::from_secs(600));
        loop {
            tick.tick().await;
            if let Err(e) = store.delete_expired().await {
                tracing::warn!(error = %e, "could not delete expired sessions");
            }
        }
    });
}

/// Drops upload files past their time, now and every hour (`imports::purge_uploads`).
pub fn spawn_upload_purge(db: Db, retention_days: i64) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        loop {
            tick.tick().await;
            match app::server::imports::purge_uploads(&db, app::server::db::now(), retention_days).await {
                Ok(n) if n > 0 => tracing::info!(uploads = n, "upload files past their time dropped"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "could not drop old upload files"),
            }
        }
    });
}

/// Folds the supervisor's subtree figures into one row each, every five minutes
/// (`subtree::compact`): between two folds a figure is a sum of the moves since.
pub fn spawn_subtree_compaction(db: Db) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(300));
        loop {
            tick.tick().await;
            match app::server::subtree::compact(&db).await {
                Ok(n) if n > 0 => tracing::debug!(rows = n, "subtree figures folded"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "could not fold the subtree figures"),
            }
        }
    });
}

/// Serves until the process is stopped.
pub async fn serve(listener: tokio::net::TcpListener, db: Db, settings: Settings) -> std::io::Result<()> {
    spawn_session_cleanup(db.clone());
    spawn_upload_purge(db.clone(), settings.upload_retention_days);
    spawn_subtree_compaction(db.clone());
    let app = router(db, settings);
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await
}
