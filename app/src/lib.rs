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
                view! { <$page/> }.into_any()
            }
        }
    )*};
}

lazy_page! {
    HomeHomeredirectRoute => pages::home::HomeRedirect,
    LoginLoginpageRoute => pages::login::LoginPage,
    ChangePasswordChangepasswordpageRoute => pages::change_password::ChangePasswordPage,
    SupervisorOverviewOverviewpageRoute => pages::supervisor::overview::OverviewPage,
    SupervisorAccountsAccountspageRoute => pages::supervisor::accounts::AccountsPage,
    SupervisorCalendarCalendarpageRoute => pages::supervisor::calendar::CalendarPage,
    UnionHomeHomepageRoute => pages::union::home::HomePage,
    UnionInfoInfopageRoute => pages::union::info::InfoPage,
    UnionMembersMemberspageRoute => pages::union::members::MembersPage,
    UnionImportImportpageRoute => pages::union::import::ImportPage,
    UnionMemberMemberpageRoute => pages::union::member::MemberPage,
    UnionCardsCardspageRoute => pages::union::cards::CardsPage,
    BankHomeBankhomepageRoute => pages::bank::home::BankHomePage,
    BankBatchesBatchespageRoute => pages::bank::batches::BatchesPage,
    BankBatchBatchpageRoute => pages::bank::batch::BatchPage,
    BankDeliveriesDeliveriespageRoute => pages::bank::deliveries::DeliveriesPage,
    BankCardsBankcardspageRoute => pages::bank::cards::BankCardsPage,
    MeCardMycardpageRoute => pages::me::card::MyCardPage,
}

#[component]
pub fn App() -> impl IntoView {
    use pages::*;
    provide_meta_context();
    view! {
        <Title text="会员服务卡"/>
        <Router>
            <Routes fallback=|| view! { <NotFound/> }>
                <Route path=path!("/") view={Lazy::<HomeHomeredirectRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/login") view={Lazy::<LoginLoginpageRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/change-password") view={Lazy::<ChangePasswordChangepasswordpageRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/supervisor") view={Lazy::<SupervisorOverviewOverviewpageRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/supervisor/accounts") view={Lazy::<SupervisorAccountsAccountspageRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/supervisor/calendar") view={Lazy::<SupervisorCalendarCalendarpageRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/union") view={Lazy::<UnionHomeHomepageRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/union/info") view={Lazy::<UnionInfoInfopageRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/union/members") view={Lazy::<UnionMembersMemberspageRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/union/import") view={Lazy::<UnionImportImportpageRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/union/members/:id") view={Lazy::<UnionMemberMemberpageRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/union/cards") view={Lazy::<UnionCardsCardspageRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/bank") view={Lazy::<BankHomeBankhomepageRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/bank/batches") view={Lazy::<BankBatchesBatchespageRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/bank/batches/:id") view={Lazy::<BankBatchBatchpageRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/bank/deliveries") view={Lazy::<BankDeliveriesDeliveriespageRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/bank/cards") view={Lazy::<BankCardsBankcardspageRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/me") view={Lazy::<MeCardMycardpageRoute>::new()} ssr=SsrMode::Async/>
            </Routes>
        </Router>
    }
}
