//! UnionCard (会员服务卡): the shared application crate. Domain rules and page components
//! compile for both the server (`ssr`) and the browser (`hydrate`); `server` is server-only.

#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod domain;
pub mod error;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, Lazy, SsrMode,
};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    server::headers::content_security_policy();
    let hydrate = !script_free_page();
    if !hydrate {
        // nothing will hydrate: the page's data is not written into it a second time for a
        // script to read
        if let Some(context) = Owner::current_shared_context() {
            context.set_is_hydrating(false);
        }
    }
    view! {
        <!DOCTYPE html>
        <html lang="zh-CN">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <HashedStylesheet options=options.clone() id="leptos"/>
                // The page is whole without scripts (every route renders with SsrMode::Async), so
                // the wasm loads at low priority and hydrates once the page is idle: on a slow
                // phone link it no longer competes with the page itself.
                // The member's pages (/me…) load no script at all: their forms are plain POSTs.
                {hydrate.then(|| view! { <HydrationScripts options defer=true/> })}
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The member's pages (会员服务平台, `/me` and `/me/login`) and the help centre (`/help…`, static
/// text) are sent without the wasm: a member
/// on a phone downloads the page and its stylesheet, nothing else. Every control there is a plain
/// HTML form whose POST the server answers with a redirect back to the page (server_fn's form
/// redirects; an error comes back in the address and shows beside its field), and the sign-in
/// keeps its step in the session, so nothing on them needs a script. A hydrated page that links
/// to them still navigates in the browser as before.
pub fn script_free_path(path: &str) -> bool {
    path == "/me" || path.starts_with("/me/") || path == "/help" || path.starts_with("/help/")
}

fn script_free_page() -> bool {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>().is_some_and(|parts| script_free_path(parts.uri.path()))
    }
    #[cfg(not(feature = "ssr"))]
    {
        false
    }
}

/// Marks the page's body once its route (a lazily loaded chunk) has hydrated, a frame after the
/// route's first effects, so that the browser tests click and type only into a live page: a field
/// filled before hydration takes the form's own value again, and a click does nothing.
fn mark_hydrated() {
    #[cfg(feature = "hydrate")]
    Effect::new(|_| {
        request_animation_frame(|| {
            if let Some(body) = document().body() {
                let _ = body.set_attribute("data-hydrated", "");
            }
        })
    });
}

/// A page loaded with its own wasm chunk (`cargo leptos build --split`): the route's code
/// arrives only when the route is shown.
macro_rules! lazy_page {
    ($($name:ident => $page:path),* $(,)?) => {$(
        pub struct $name;
        #[leptos_router::lazy_route]
        impl leptos_router::LazyRoute for $name {
            fn data() -> Self {
                $name
            }
            fn view(_this: Self) -> AnyView {
                mark_hydrated();
                view! { <$page/> }.into_any()
            }
        }
    )*};
}

lazy_page! {
    HomeRoute => pages::home::HomeRedirect,
    LoginRoute => pages::login::LoginPage,
    ChangePasswordRoute => pages::change_password::ChangePasswordPage,
    SupervisorOverviewRoute => pages::supervisor::overview::OverviewPage,
    SupervisorAccountsRoute => pages::supervisor::accounts::AccountsPage,
    SupervisorCalendarRoute => pages::supervisor::calendar::CalendarPage,
    SupervisorAuditRoute => pages::supervisor::audit::AuditPage,
    SupervisorHotlinesRoute => pages::supervisor::hotlines::HotlinesPage,
    UnionHomeRoute => pages::union::home::HomePage,
    UnionInfoRoute => pages::union::info::InfoPage,
    UnionMembersRoute => pages::union::members::MembersPage,
    UnionImportRoute => pages::union::import::ImportPage,
    UnionMemberRoute => pages::union::member::MemberPage,
    UnionCardsRoute => pages::union::cards::CardsPage,
    UnionFeedbackRoute => pages::union::feedback::FeedbackPage,
    BankHomeRoute => pages::bank::home::BankHomePage,
    BankBatchesRoute => pages::bank::batches::BatchesPage,
    BankBatchRoute => pages::bank::batch::BatchPage,
    BankDeliveriesRoute => pages::bank::deliveries::DeliveriesPage,
    BankCardsRoute => pages::bank::cards::BankCardsPage,
    BankTokensRoute => pages::bank::tokens::TokensPage,
    MyCardRoute => pages::me::card::MyCardPage,
    MemberLoginRoute => pages::me::login::MemberLoginPage,
    HelpRoute => pages::help::HelpPage,
    ManualRoute => pages::help::ManualPage,
    FaqRoute => pages::help::FaqPage,
}

#[component]
pub fn App() -> impl IntoView {
    use pages::*;
    provide_meta_context();
    view! {
        <Title text="会员服务卡"/>
        <Router>
            <Routes fallback=|| view! { <NotFound/> }>
                <Route path=path!("/") view={Lazy::<HomeRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/login") view={Lazy::<LoginRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/change-password") view={Lazy::<ChangePasswordRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/supervisor") view={Lazy::<SupervisorOverviewRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/supervisor/accounts") view={Lazy::<SupervisorAccountsRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/supervisor/calendar") view={Lazy::<SupervisorCalendarRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/supervisor/audit") view={Lazy::<SupervisorAuditRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/supervisor/hotlines") view={Lazy::<SupervisorHotlinesRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/union") view={Lazy::<UnionHomeRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/union/info") view={Lazy::<UnionInfoRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/union/members") view={Lazy::<UnionMembersRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/union/import") view={Lazy::<UnionImportRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/union/members/:id") view={Lazy::<UnionMemberRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/union/cards") view={Lazy::<UnionCardsRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/union/feedback") view={Lazy::<UnionFeedbackRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/bank") view={Lazy::<BankHomeRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/bank/batches") view={Lazy::<BankBatchesRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/bank/batches/:id") view={Lazy::<BankBatchRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/bank/deliveries") view={Lazy::<BankDeliveriesRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/bank/cards") view={Lazy::<BankCardsRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/bank/tokens") view={Lazy::<BankTokensRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/me") view={Lazy::<MyCardRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/me/login") view={Lazy::<MemberLoginRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/help") view={Lazy::<HelpRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/help/manual") view={Lazy::<ManualRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/help/faq") view={Lazy::<FaqRoute>::new()} ssr=SsrMode::Async/>
            </Routes>
        </Router>
    }
}
