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
    path, SsrMode,
};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    server::headers::content_security_policy();
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
                <HydrationScripts options defer=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    use pages::*;
    provide_meta_context();
    view! {
        <Title text="会员服务卡"/>
        <Router>
            <Routes fallback=|| view! { <NotFound/> }>
                <Route path=path!("/") view=home::HomeRedirect ssr=SsrMode::Async/>
                <Route path=path!("/login") view=login::LoginPage ssr=SsrMode::Async/>
                <Route path=path!("/change-password") view=change_password::ChangePasswordPage ssr=SsrMode::Async/>
                <Route path=path!("/supervisor") view=supervisor::overview::OverviewPage ssr=SsrMode::Async/>
                <Route path=path!("/supervisor/accounts") view=supervisor::accounts::AccountsPage ssr=SsrMode::Async/>
                <Route path=path!("/supervisor/calendar") view=supervisor::calendar::CalendarPage ssr=SsrMode::Async/>
                <Route path=path!("/union") view=union::home::HomePage ssr=SsrMode::Async/>
                <Route path=path!("/union/info") view=union::info::InfoPage ssr=SsrMode::Async/>
                <Route path=path!("/union/members") view=union::members::MembersPage ssr=SsrMode::Async/>
                <Route path=path!("/union/import") view=union::import::ImportPage ssr=SsrMode::Async/>
                <Route path=path!("/union/members/:id") view=union::member::MemberPage ssr=SsrMode::Async/>
                <Route path=path!("/union/cards") view=union::cards::CardsPage ssr=SsrMode::Async/>
                <Route path=path!("/bank") view=bank::home::BankHomePage ssr=SsrMode::Async/>
                <Route path=path!("/bank/batches") view=bank::batches::BatchesPage ssr=SsrMode::Async/>
                <Route path=path!("/bank/batches/:id") view=bank::batch::BatchPage ssr=SsrMode::Async/>
                <Route path=path!("/bank/deliveries") view=bank::deliveries::DeliveriesPage ssr=SsrMode::Async/>
                <Route path=path!("/bank/cards") view=bank::cards::BankCardsPage ssr=SsrMode::Async/>
                <Route path=path!("/me") view=me::card::MyCardPage ssr=SsrMode::Async/>
            </Routes>
        </Router>
    }
}
