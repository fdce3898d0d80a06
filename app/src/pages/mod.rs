//! Pages, grouped by portal: `union/`, `supervisor/`, `bank/`, `me/`; sign-in pages at the top.

pub mod act;
pub mod bank;
pub mod change_password;
pub mod help;
pub mod home;
pub mod login;
pub mod me;
pub mod supervisor;
pub mod union;

use leptos::prelude::*;

use crate::components::PublicFrame;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(r) = use_context::<leptos_axum::ResponseOptions>() {
        r.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <PublicFrame>
            <h1>"页面不存在"</h1>
            <p><a href="/">"返回首页"</a></p>
        </PublicFrame>
    }
}

/// The page number in a list's address (`?page=`): 1 when absent or not a number, never below 1.
pub(crate) fn page_number(query: &leptos_router::params::ParamsMap) -> i64 {
    query.get("page").and_then(|p| p.parse::<i64>().ok()).unwrap_or(1).max(1)
}

/// The error of the last call of an action, if it failed.
pub fn action_error<I, O>(action: ServerAction<I>) -> Signal<Option<crate::error::AppError>>
where
    I: leptos::server_fn::ServerFn<Output = O, Error = crate::error::AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(|r| r.err()))
}

/// How many of `action`'s answers changed something: a success, or a 409 (someone else changed
/// it first). Lists reload on this, not on every answer, so a refused entry (a wrong count, a
/// time in the past) keeps what the user typed.
pub fn changes<I, O>(action: ServerAction<I>) -> Memo<usize>
where
    I: leptos::server_fn::ServerFn<Output = O, Error = crate::error::AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    Memo::new(move |before: Option<&usize>| {
        let seen = before.copied().unwrap_or(0);
        match action.value().get() {
            Some(Ok(_)) | Some(Err(crate::error::AppError::Conflict { .. })) if action.version().get() > seen => {
                action.version().get()
            }
            _ => seen,
        }
    })
}
