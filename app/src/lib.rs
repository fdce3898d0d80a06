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
    SCRIPT_FREE_AREAS
        .iter()
        .any(|area| path.strip_prefix(area).is_some_and(|rest| rest.is_empty() || rest.starts_with('/')))
        || Page::at(path).is_some_and(|page| page.chunk() == Chunk::ScriptFree)
}

/// Whole areas sent without scripts, addresses that match no page included (their 页面不存在 too).
const SCRIPT_FREE_AREAS: [&str; 2] = ["/me", "/help"];

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
    /// The page the router shows at `path` (`PAGES`, the table the routes are made from).
    fn at(path: &str) -> Option<Page> {
        fn segments(p: &str) -> Vec<&str> {
            p.split('/').filter(|s| !s.is_empty()).collect()
        }
        let wanted = segments(path);
        PAGES.iter().find_map(|&(pattern, page)| {
            let parts = segments(pattern);
            let same =
                parts.len() == wanted.len() && parts.iter().zip(&wanted).all(|(p, w)| p.starts_with(':') || p == w);
            same.then_some(page)
        })
    }

    /// Which chunk carries the page; `ScriptFree` pages are sent without scripts
    /// (`script_free_path` follows this through `PAGES`, so the two cannot disagree).
    fn chunk(self) -> Chunk {
        use Page::*;
        match self {
            SupervisorAccounts | SupervisorCalendar => Chunk::Supervisor,
            UnionInfo | UnionImport | UnionMember | UnionCards => Chunk::Union,
            BankBatch | BankDeliveries | BankCards | BankTokens => Chunk::Bank,
            // The member's pages and the help centre.
            MyCard | MemberLogin | Help | Manual | Faq => Chunk::ScriptFree,
            // The sign-in, the password change and `/`'s redirect: plain forms the server checks
            // (the password rule is the server's, its message beside the field), so a clerk's
            // first page loads no wasm at all; the portal's wasm comes with the first page that
            // needs it.
            Home | Login | ChangePassword => Chunk::ScriptFree,
            // Pages that only show and link (each portal's start page, the bank's list of
            // batches, the supervisor's overview with its drill-down and the audit log, whose
            // filters are GET forms).
            SupervisorOverview | SupervisorAudit | UnionHome | BankHome | BankBatches => Chunk::ScriptFree,
            // The union's member list: 查询 is a plain form (the search text kept in the session),
            // its pages links.
            UnionMembers => Chunk::ScriptFree,
            // Pages whose every control is a plain form the server answers with the page again
            // and where a refusal loses nothing typed (会员反馈's answers: a report closed
            // meanwhile is told so), and 服务热线, whose refused save comes back with every row as
            // typed (kept in the session for the page that follows).
            UnionFeedback | SupervisorHotlines => Chunk::ScriptFree,
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
        _ => view! { <accounts::AccountsPage/> }.into_any(),
    }
}

fn union_pages(page: Page) -> AnyView {
    use pages::union::*;
    mark_hydrated();
    match page {
        Page::UnionInfo => view! { <info::InfoPage/> }.into_any(),
        Page::UnionImport => view! { <import::ImportPage/> }.into_any(),
        Page::UnionCards => view! { <cards::CardsPage/> }.into_any(),
        _ => view! { <member::MemberPage/> }.into_any(),
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
        Page::UnionMembers => view! { <pages::union::members::MembersPage/> }.into_any(),
        Page::BankHome => view! { <pages::bank::home::BankHomePage/> }.into_any(),
        Page::BankBatches => view! { <pages::bank::batches::BatchesPage/> }.into_any(),
        Page::UnionFeedback => view! { <pages::union::feedback::FeedbackPage/> }.into_any(),
        Page::SupervisorHotlines => view! { <pages::supervisor::hotlines::HotlinesPage/> }.into_any(),
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

/// Every page: its address as the router writes it, and which page it is. The router's routes and
/// `script_free_path` are both made from this one list.
macro_rules! pages {
    ($($path:tt => $page:ident,)*) => {
        const PAGES: &[(&str, Page)] = &[$(($path, Page::$page)),*];

        #[component]
        pub fn App() -> impl IntoView {
            use pages::*;
            provide_meta_context();
            view! {
                <Title text="会员服务卡"/>
                <Router>
                    <Routes fallback=|| view! { <NotFound/> }>
                        $(<Route path=path!($path) view=PageView(Page::$page) ssr=SsrMode::Async/>)*
                    </Routes>
                </Router>
            }
        }
    };
}

pages! {
    "/" => Home,
    "/login" => Login,
    "/change-password" => ChangePassword,
    "/supervisor" => SupervisorOverview,
    "/supervisor/accounts" => SupervisorAccounts,
    "/supervisor/calendar" => SupervisorCalendar,
    "/supervisor/audit" => SupervisorAudit,
    "/supervisor/hotlines" => SupervisorHotlines,
    "/union" => UnionHome,
    "/union/info" => UnionInfo,
    "/union/members" => UnionMembers,
    "/union/import" => UnionImport,
    "/union/members/:id" => UnionMember,
    "/union/cards" => UnionCards,
    "/union/feedback" => UnionFeedback,
    "/bank" => BankHome,
    "/bank/batches" => BankBatches,
    "/bank/batches/:id" => BankBatch,
    "/bank/deliveries" => BankDeliveries,
    "/bank/cards" => BankCards,
    "/bank/tokens" => BankTokens,
    "/me" => MyCard,
    "/me/login" => MemberLogin,
    "/help" => Help,
    "/help/manual" => Manual,
    "/help/faq" => Faq,
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
            "/union/members?search=1&page=2",
            "/supervisor/hotlines",
        ] {
            assert_eq!(external_rel(href), Some("external"), "{href}");
        }
        for href in
            ["/union/members/3", "/union/cards", "/bank/batches/3", "/supervisor/accounts", "/member", "/helpdesk"]
        {
            assert_eq!(external_rel(href), None, "{href}");
        }
    }

    #[test]
    fn every_address_finds_its_page_and_scripts_follow_the_page() {
        assert_eq!(Page::at("/union/members/42"), Some(Page::UnionMember));
        assert_eq!(Page::at("/union/members"), Some(Page::UnionMembers));
        assert_eq!(Page::at("/bank/batches/7"), Some(Page::BankBatch));
        assert_eq!(Page::at("/"), Some(Page::Home));
        assert_eq!(Page::at("/union/members/42/x"), None);
        assert_eq!(Page::at("/nowhere"), None);
        for &(pattern, page) in PAGES {
            let address = pattern.replace(":id", "5");
            assert_eq!(Page::at(&address), Some(page), "{address}");
            assert_eq!(script_free_path(&address), page.chunk() == Chunk::ScriptFree, "{address}");
            // a page in an area sent without scripts is in no chunk either
            if SCRIPT_FREE_AREAS.iter().any(|a| address.starts_with(a)) {
                assert_eq!(page.chunk(), Chunk::ScriptFree, "{page:?}");
            }
        }
        // every page has an address
        for page in [Page::Home, Page::UnionCards, Page::BankTokens, Page::SupervisorHotlines, Page::Faq] {
            assert!(PAGES.iter().any(|&(_, p)| p == page), "{page:?}");
        }
        assert_eq!(PAGES.len(), 26);
        for (i, &(_, page)) in PAGES.iter().enumerate() {
            assert!(PAGES[i + 1..].iter().all(|&(_, p)| p != page), "{page:?} twice");
        }
    }
}
