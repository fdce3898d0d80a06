use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::api::auth::{home_of, who_am_i};

/// `/`: each account to its own portal, everyone else to the login page.
#[component]
pub fn HomeRedirect() -> impl IntoView {
    let user = crate::wire::resource(|| (), |_| who_am_i());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let to = match user.await {
                    Ok(Some(m)) => home_of(&m),
                    _ => "/login",
                };
                view! { <Redirect path=to/> }
            })}
        </Suspense>
    }
}
