//! UnionCard (会员服务卡): the shared application crate. Domain rules and page components
//! compile for both the server (`ssr`) and the browser (`hydrate`); `server` is server-only.

pub mod api;
pub mod components;
pub mod domain;
pub mod error;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path,
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
                <HydrationScripts options/>
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
        <Stylesheet id="leptos" href="/pkg/unioncard.css"/>
        <Title text="会员服务卡"/>
        <Router>
            <Routes fallback=|| view! { <NotFound/> }>
                <Route path=path!("/") view=home::HomeRedirect/>
                <Route path=path!("/login") view=login::LoginPage/>
                <Route path=path!("/change-password") view=change_password::ChangePasswordPage/>
                <Route path=path!("/supervisor") view=supervisor::overview::OverviewPage/>
                <Route path=path!("/supervisor/accounts") view=supervisor::accounts::AccountsPage/>
                <Route path=path!("/supervisor/calendar") view=supervisor::calendar::CalendarPage/>
                <Route path=path!("/union") view=union::home::HomePage/>
                <Route path=path!("/union/info") view=union::info::InfoPage/>
                <Route path=path!("/union/members") view=union::members::MembersPage/>
                <Route path=path!("/union/import") view=union::import::ImportPage/>
                <Route path=path!("/union/members/:id") view=union::member::MemberPage/>
                <Route path=path!("/union/cards") view=union::cards::CardsPage/>
                <Route path=path!("/bank") view=bank::home::BankHomePage/>
                <Route path=path!("/bank/batches") view=bank::batches::BatchesPage/>
                <Route path=path!("/bank/batches/:id") view=bank::batch::BatchPage/>
                <Route path=path!("/bank/deliveries") view=bank::deliveries::DeliveriesPage/>
                <Route path=path!("/bank/cards") view=bank::cards::BankCardsPage/>
                <Route path=path!("/me") view=me::card::MyCardPage/>
            </Routes>
        </Router>
    }
}
