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
pub mod wire;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
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
/// keeps its step in the session, so nothing on them needs a script. They are not in the browser's
/// build either: a hydrated page links to them with `rel="external"` (`external_rel`), so the
/// browser loads them from the server.
pub fn script_free_path(path: &str) -> bool {
    let path = path.strip_suffix('/').filter(|p| !p.is_empty()).unwrap_or(path);
    path == "/me"
        || path.starts_with("/me/")
        || path == "/help"
        || path.starts_with("/help/")
        || READ_ONLY_PAGES.contains(&path)
        || SIGN_IN_PAGES.contains(&path)
        || FORM_PAGES.contains(&path)
}

/// Pages that only show and link (each portal's start page, the bank's list of batches, the
/// supervisor's overview with its drill-down and the audit log, whose filters are GET forms): sent without scripts like the
/// member's, so their code is not in the browser's build and a phone reads them without the wasm.
const READ_ONLY_PAGES: [&str; 5] = ["/union", "/bank", "/bank/batches", "/supervisor", "/supervisor/audit"];

/// Pages whose every control is already a plain form the server answers with the page again and
/// where a refusal loses nothing typed (会员反馈's answers: a report closed meanwhile is told
/// so): sent without scripts too. (服务热线 stays hydrated: a refused row must keep what was typed.)
const FORM_PAGES: [&str; 1] = ["/union/feedback"];

/// The sign-in, the password change and `/`'s redirect: plain forms the server checks (the
/// password rule is the server's, its message beside the field), so a clerk's first page loads no
/// wasm at all; the portal's wasm comes with the first page that needs it.
const SIGN_IN_PAGES: [&str; 3] = ["/", "/login", "/change-password"];

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

/// Every page of the app, named so that a route can say which one it shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Home,
    Login,
    ChangePassword,
    SupervisorOverview,
    SupervisorAccounts,
    SupervisorCalendar,
    SupervisorAudit,
    SupervisorHotlines,
    UnionHome,
    UnionInfo,
    UnionMembers,
    UnionImport,
    UnionMember,
    UnionCards,
    UnionFeedback,
    BankHome,
    BankBatches,
    BankBatch,
    BankDeliveries,
    BankCards,
    BankTokens,
    MyCard,
    MemberLogin,
    Help,
    Manual,
    Faq,
}

/// Which wasm chunk carries a page's code (`cargo leptos build --split`). The app is split by
/// portal: a clerk's first union page brings every union page along, and a bank officer never
/// downloads the union's import or the supervisor's charts. One chunk per page made 571 files
/// whose shared code wasm-split cut into ever smaller pieces, each compressed on its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Chunk {
    Supervisor,
    Union,
    Bank,
    /// pages sent without scripts (`script_free_path`), so not in the wasm at all
    ScriptFree,
}

impl Page {
    fn chunk(self) -> Chunk {
        use Page::*;
        match self {
            SupervisorAccounts | SupervisorCalendar | SupervisorHotlines => Chunk::Supervisor,
            UnionInfo | UnionMembers | UnionImport | UnionMember | UnionCards => Chunk::Union,
            BankBatch | BankDeliveries | BankCards | BankTokens => Chunk::Bank,
            Home | Login | ChangePassword | MyCard | MemberLogin | Help | Manual | Faq | SupervisorOverview
            | SupervisorAudit | UnionHome | UnionFeedback | BankHome | BankBatches => Chunk::ScriptFree,
        }
    }
}

/// A route's view: the page, its code loaded with its portal's chunk.
#[derive(Clone, Copy, Debug)]
struct PageView(Page);

impl leptos_router::ChooseView for PageView {
    async fn choose(self) -> AnyView {
        let page = self.0;
        // In the browser each portal's pages arrive with their chunk. The server renders them
        // directly: had it called the lazy functions, it would announce their chunks in the
        // page's head as preloads at high priority (leptos_integration_utils), 330–440 KB of
        // wasm competing on a slow link with the page and its stylesheet. The browser fetches
        // them when it hydrates, once the page is idle and read.
        #[cfg(feature = "hydrate")]
        let view = match page.chunk() {
            Chunk::Supervisor => chunks::supervisor_pages(page).await,
            Chunk::Union => chunks::union_pages(page).await,
            Chunk::Bank => chunks::bank_pages(page).await,
            Chunk::ScriptFree => script_free_pages(page),
        };
        #[cfg(not(feature = "hydrate"))]
        let view = match page.chunk() {
            Chunk::Supervisor => supervisor_pages(page),
            Chunk::Union => union_pages(page),
            Chunk::Bank => bank_pages(page),
            Chunk::ScriptFree => script_free_pages(page),
        };
        view
    }

    async fn preload(&self) {
        #[cfg(feature = "hydrate")]
        match self.0.chunk() {
            Chunk::Supervisor => chunks::__preload_supervisor_pages().await,
            Chunk::Union => chunks::__preload_union_pages().await,
            Chunk::Bank => chunks::__preload_bank_pages().await,
            Chunk::ScriptFree => {}
        }
    }
}

/// The browser's split points: one lazily loaded chunk per portal (`cargo leptos build --split`).
#[cfg(feature = "hydrate")]
mod chunks {
    use super::{AnyView, Page};

    #[leptos::lazy]
    pub fn supervisor_pages(page: Page) -> AnyView {
        super::supervisor_pages(page)
    }

    #[leptos::lazy]
    pub fn union_pages(page: Page) -> AnyView {
        super::union_pages(page)
    }

    #[leptos::lazy]
    pub fn bank_pages(page: Page) -> AnyView {
        super::bank_pages(page)
    }
}

fn supervisor_pages(page: Page) -> AnyView {
    use pages::supervisor::*;
    mark_hydrated();
    match page {
        Page::SupervisorCalendar => view! { <calendar::CalendarPage/> }.into_any(),
        Page::SupervisorHotlines => view! { <hotlines::HotlinesPage/> }.into_any(),
        _ => view! { <accounts::AccountsPage/> }.into_any(),
    }
}

fn union_pages(page: Page) -> AnyView {
    use pages::union::*;
    mark_hydrated();
    match page {
        Page::UnionInfo => view! { <info::InfoPage/> }.into_any(),
        Page::UnionImport => view! { <import::ImportPage/> }.into_any(),
        Page::UnionMember => view! { <member::MemberPage/> }.into_any(),
        Page::UnionCards => view! { <cards::CardsPage/> }.into_any(),
        _ => view! { <members::MembersPage/> }.into_any(),
    }
}

fn bank_pages(page: Page) -> AnyView {
    use pages::bank::*;
    mark_hydrated();
    match page {
        Page::BankDeliveries => view! { <deliveries::DeliveriesPage/> }.into_any(),
        Page::BankCards => view! { <cards::BankCardsPage/> }.into_any(),
        Page::BankTokens => view! { <tokens::TokensPage/> }.into_any(),
        _ => view! { <batch::BatchPage/> }.into_any(),
    }
}

/// The member's pages and the help centre, rendered by the server only. A hydrated page that
/// navigates to one in the browser loads it from the server instead.
#[cfg(feature = "ssr")]
fn script_free_pages(page: Page) -> AnyView {
    match page {
        Page::Home => view! { <pages::home::HomeRedirect/> }.into_any(),
        Page::Login => view! { <pages::login::LoginPage/> }.into_any(),
        Page::ChangePassword => view! { <pages::change_password::ChangePasswordPage/> }.into_any(),
        Page::MyCard => view! { <pages::me::card::MyCardPage/> }.into_any(),
        Page::SupervisorOverview => view! { <pages::supervisor::overview::OverviewPage/> }.into_any(),
        Page::SupervisorAudit => view! { <pages::supervisor::audit::AuditPage/> }.into_any(),
        Page::UnionHome => view! { <pages::union::home::HomePage/> }.into_any(),
        Page::BankHome => view! { <pages::bank::home::BankHomePage/> }.into_any(),
        Page::BankBatches => view! { <pages::bank::batches::BatchesPage/> }.into_any(),
        Page::UnionFeedback => view! { <pages::union::feedback::FeedbackPage/> }.into_any(),
        Page::MemberLogin => view! { <pages::me::login::MemberLoginPage/> }.into_any(),
        Page::Manual => view! { <pages::help::ManualPage/> }.into_any(),
        Page::Faq => view! { <pages::help::FaqPage/> }.into_any(),
        _ => view! { <pages::help::HelpPage/> }.into_any(),
    }
}

/// In the browser: the links to those pages are `rel="external"` (see `external_rel`) and 退出登录
/// is a plain form, so the router leaves them to the browser and the server sends the page.
/// Anything else that routes there (a `<Redirect>` of a page that hydrates) asks the server for
/// the address the router is going to: the router takes the address first and adds its history
/// entry only after this view is chosen, so reloading the window would load the page being left.
/// (That entry stays behind the page loaded here: Back from it needs two presses, which is why
/// the links carry the mark.) Deliberately no literal address here: with one, the main module
/// took the whole block of the app's constant data (260 KB more), which every clerk would
/// download first.
#[cfg(not(feature = "ssr"))]
fn script_free_pages(_page: Page) -> AnyView {
    #[cfg(feature = "hydrate")]
    {
        let to = leptos_router::hooks::use_location();
        let (path, search, hash) = (to.pathname.get_untracked(), to.search.get_untracked(), to.hash.get_untracked());
        let query = if search.is_empty() { String::new() } else { format!("?{search}") };
        let hash = if hash.is_empty() || hash.starts_with('#') { hash } else { format!("#{hash}") };
        let _ = window().location().assign(&format!("{path}{query}{hash}"));
    }
    ().into_any()
}

/// `rel="external"` for a link to a page sent without scripts (`script_free_path`): the browser,
/// not the router, follows it and the server sends the page.
pub fn external_rel(href: &str) -> Option<&'static str> {
    script_free_path(href.split(['?', '#']).next().unwrap_or(href)).then_some("external")
}

#[component]
pub fn App() -> impl IntoView {
    use pages::*;
    provide_meta_context();
    view! {
        <Title text="会员服务卡"/>
        <Router>
            <Routes fallback=|| view! { <NotFound/> }>
                <Route path=path!("/") view=PageView(Page::Home) ssr=SsrMode::Async/>
                <Route path=path!("/login") view=PageView(Page::Login) ssr=SsrMode::Async/>
                <Route path=path!("/change-password") view=PageView(Page::ChangePassword) ssr=SsrMode::Async/>
                <Route path=path!("/supervisor") view=PageView(Page::SupervisorOverview) ssr=SsrMode::Async/>
                <Route path=path!("/supervisor/accounts") view=PageView(Page::SupervisorAccounts) ssr=SsrMode::Async/>
                <Route path=path!("/supervisor/calendar") view=PageView(Page::SupervisorCalendar) ssr=SsrMode::Async/>
                <Route path=path!("/supervisor/audit") view=PageView(Page::SupervisorAudit) ssr=SsrMode::Async/>
                <Route path=path!("/supervisor/hotlines") view=PageView(Page::SupervisorHotlines) ssr=SsrMode::Async/>
                <Route path=path!("/union") view=PageView(Page::UnionHome) ssr=SsrMode::Async/>
                <Route path=path!("/union/info") view=PageView(Page::UnionInfo) ssr=SsrMode::Async/>
                <Route path=path!("/union/members") view=PageView(Page::UnionMembers) ssr=SsrMode::Async/>
                <Route path=path!("/union/import") view=PageView(Page::UnionImport) ssr=SsrMode::Async/>
                <Route path=path!("/union/members/:id") view=PageView(Page::UnionMember) ssr=SsrMode::Async/>
                <Route path=path!("/union/cards") view=PageView(Page::UnionCards) ssr=SsrMode::Async/>
                <Route path=path!("/union/feedback") view=PageView(Page::UnionFeedback) ssr=SsrMode::Async/>
                <Route path=path!("/bank") view=PageView(Page::BankHome) ssr=SsrMode::Async/>
                <Route path=path!("/bank/batches") view=PageView(Page::BankBatches) ssr=SsrMode::Async/>
                <Route path=path!("/bank/batches/:id") view=PageView(Page::BankBatch) ssr=SsrMode::Async/>
                <Route path=path!("/bank/deliveries") view=PageView(Page::BankDeliveries) ssr=SsrMode::Async/>
                <Route path=path!("/bank/cards") view=PageView(Page::BankCards) ssr=SsrMode::Async/>
                <Route path=path!("/bank/tokens") view=PageView(Page::BankTokens) ssr=SsrMode::Async/>
                <Route path=path!("/me") view=PageView(Page::MyCard) ssr=SsrMode::Async/>
                <Route path=path!("/me/login") view=PageView(Page::MemberLogin) ssr=SsrMode::Async/>
                <Route path=path!("/help") view=PageView(Page::Help) ssr=SsrMode::Async/>
                <Route path=path!("/help/manual") view=PageView(Page::Manual) ssr=SsrMode::Async/>
                <Route path=path!("/help/faq") view=PageView(Page::Faq) ssr=SsrMode::Async/>
            </Routes>
        </Router>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_to_pages_sent_without_scripts_are_left_to_the_browser() {
        for href in [
            "/me",
            "/me/login",
            "/help",
            "/help/manual",
            "/help/faq#id-invalid",
            "/me/login?__err=x",
            "/",
            "/login",
            "/change-password",
            "/union",
            "/union/",
            "/bank",
            "/supervisor?union=3&order=overdue",
            "/supervisor/audit?page=2",
            "/bank/batches?page=2",
            "/union/feedback",
        ] {
            assert_eq!(external_rel(href), Some("external"), "{href}");
        }
        for href in
            ["/union/members", "/union/cards", "/bank/batches/3", "/supervisor/accounts", "/member", "/helpdesk"]
        {
            assert_eq!(external_rel(href), None, "{href}");
        }
    }

    #[test]
    fn the_pages_sent_without_scripts_are_the_ones_in_no_chunk() {
        use Page::*;
        let script_free = [
            Home,
            Login,
            ChangePassword,
            MyCard,
            MemberLogin,
            Help,
            Manual,
            Faq,
            SupervisorOverview,
            SupervisorAudit,
            UnionHome,
            BankHome,
            BankBatches,
            UnionFeedback,
        ];
        for page in script_free {
            assert_eq!(page.chunk(), Chunk::ScriptFree, "{page:?}");
        }
        assert_eq!(UnionImport.chunk(), Chunk::Union);
        assert_eq!(BankBatch.chunk(), Chunk::Bank);
        assert_eq!(SupervisorCalendar.chunk(), Chunk::Supervisor);
    }
}
