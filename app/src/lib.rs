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
    // Islands: only a page's island hydrates (it turns hydration on for itself), so the data of
    // the rest of the page is not written into it a second time for a script to read.
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    view! {
        <!DOCTYPE html>
        <html lang="zh-CN">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <HashedStylesheet options=options.clone() id="leptos"/>
                // The page is whole without scripts (every route renders with SsrMode::Async): the
                // wasm is the code of the islands (`#[island]`), the parts of a page that work in
                // the browser, and it hydrates them once the page is idle. Pages without an
                // island (the member's, the sign-in, the lists) load no script at all.
                {hydrate.then(|| view! { <IslandScripts options/> })}
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Loads the wasm once the page is idle and hydrates the page's islands (`#[island]`), in place
/// of Leptos' `<HydrationScripts islands=true/>`, which also announces the JS and the wasm as
/// preloads at high priority: on a slow phone link those 400 KB then compete with the page's
/// stylesheet (Lighthouse's mobile run of the card desk: largest paint 3.0 s with them, against
/// 1.5 s when the wasm came at low priority). The page is whole before any script runs, so
/// nothing is lost by fetching the wasm after it. Each `<leptos-island>` names its hydration
/// function (`data-component`), which the wasm exports; its props are in the element. Once every
/// island has hydrated, a frame later (after the islands' first effects), the body is marked
/// `data-hydrated`, so that the browser tests click and type only into a live page: a field
/// filled before hydration takes the form's own value again, and a click does nothing.
#[component]
fn IslandScripts(options: LeptosOptions) -> impl IntoView {
    let (js, wasm) = built_file_names(&options);
    let pkg = format!("/{}", options.site_pkg_dir);
    let script = format!(
        "const start=()=>import({js:?}).then(async m=>{{await m.default({{module_or_path:{wasm:?}}});m.hydrate();\
         for(const el of document.querySelectorAll('leptos-island')){{const f=m[el.dataset.component];\
         if(f){{await f(el);}}else{{console.warn('no island',el.dataset.component);}}}}\
         requestAnimationFrame(()=>document.body.setAttribute('data-hydrated',''));}});\
         'requestIdleCallback' in window?requestIdleCallback(start):start();",
        js = format!("{pkg}/{}.js", js),
        wasm = format!("{pkg}/{}.wasm", wasm),
    );
    view! { <script type="module" nonce=leptos::nonce::use_nonce()>{script}</script> }
}

/// The names of the built JS and wasm (without extension): with `hash-files`, each carries the
/// content hash that `hash.txt` beside the server binary gives (cargo-leptos writes it), as Leptos
/// names them. Without a readable `hash.txt` the names are the plain ones, and the file is read
/// again for the next page.
fn built_file_names(options: &LeptosOptions) -> (String, String) {
    let name = options.output_name.to_string();
    let plain = || {
        let wasm = if option_env!("LEPTOS_OUTPUT_NAME").is_some() { name.clone() } else { format!("{name}_bg") };
        (name.clone(), wasm)
    };
    if !options.hash_files {
        return plain();
    }
    #[cfg(feature = "ssr")]
    {
        static HASHES: std::sync::OnceLock<(String, String)> = std::sync::OnceLock::new();
        if let Some((js, wasm)) = HASHES.get() {
            return (format!("{name}.{js}"), format!("{name}.{wasm}"));
        }
        let path = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join(options.hash_file.as_ref())))
            .unwrap_or_default();
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let hash = |file: &str| {
            text.lines()
                .filter_map(|line| line.split_once(':'))
                .find(|(f, _)| f.trim() == file)
                .map(|(_, h)| h.trim().to_string())
                .filter(|h| !h.is_empty())
        };
        match (hash("js"), hash("wasm")) {
            (Some(js), Some(wasm)) => {
                let (js, wasm) = HASHES.get_or_init(|| (js, wasm));
                (format!("{name}.{js}"), format!("{name}.{wasm}"))
            }
            _ => {
                tracing::error!("{} names no built JS and wasm: the pages name them without hashes", path.display());
                plain()
            }
        }
    }
    #[cfg(not(feature = "ssr"))]
    plain()
}

/// Whether the page at `path` is sent without scripts: every page without an island
/// (`Page::has_island`) and any address that is no page (页面不存在). The member's pages (会员服务平台,
/// `/me` and `/me/login`) and the help centre are among them: a member on a phone downloads the
/// page and its stylesheet, nothing else. Every control there is a plain HTML form whose POST the
/// server answers with a redirect back to the page (server_fn's form redirects; an error comes
/// back in the address and shows beside its field), and the sign-in keeps its step in the
/// session, so nothing on them needs a script.
pub fn script_free_path(path: &str) -> bool {
    let path = path.strip_suffix('/').filter(|p| !p.is_empty()).unwrap_or(path);
    !Page::at(path).is_some_and(Page::has_island)
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

    /// Whether the page holds an island (`#[island]`): the part of it that works in the
    /// browser, hydrated from the wasm. The rest of every page, and the whole of the others, is
    /// HTML from the server and not in the wasm at all.
    fn has_island(self) -> bool {
        use Page::*;
        match self {
            // A member's record, checked as the clerk types, the import preview,
            // the card desk, the bank's review, delivery and activation desks, 账号管理 (secrets
            // shown once), the working-day calendar.
            SupervisorAccounts | SupervisorCalendar => true,
            UnionImport | UnionMember | UnionCards => true,
            BankBatch | BankDeliveries | BankCards => true,
            // The member's pages and the help centre.
            MyCard | MemberLogin | Help | Manual | Faq => false,
            // The sign-in, the password change and `/`'s redirect: plain forms the server checks
            // (the password rule is the server's, its message beside the field).
            Home | Login | ChangePassword => false,
            // Pages that only show and link (each portal's start page, the bank's list of
            // batches, the supervisor's overview with its drill-down and the audit log, whose
            // filters are GET forms).
            SupervisorOverview | SupervisorAudit | UnionHome | BankHome | BankBatches => false,
            // The union's member list: 查询 is a plain form (the search text kept in the session),
            // its pages links.
            UnionMembers => false,
            // Pages whose every control is a plain form the server answers with the page again
            // and where a refusal loses nothing typed (会员反馈's answers: a report closed
            // meanwhile is told so), and 服务热线, whose refused save comes back with every row as
            // typed (kept in the session for the page that follows).
            UnionFeedback | SupervisorHotlines => false,
            // 接口令牌, used when a bank system is set up: a token just made comes with the page
            // that answers the form, once (kept in the session between the post and that page).
            BankTokens => false,
            // 单位信息, filled once when the union starts and rarely after: 保存 is a plain form,
            // a refusal comes back with every field as typed and its messages under them.
            UnionInfo => false,
        }
    }

    /// The page's view, rendered by the server only: what works in the browser is the page's
    /// island, which the browser hydrates on its own.
    fn view(self) -> AnyView {
        use pages::*;
        match self {
            Page::Home => view! { <home::HomeRedirect/> }.into_any(),
            Page::Login => view! { <login::LoginPage/> }.into_any(),
            Page::ChangePassword => view! { <change_password::ChangePasswordPage/> }.into_any(),
            Page::SupervisorOverview => view! { <supervisor::overview::OverviewPage/> }.into_any(),
            Page::SupervisorAccounts => view! { <supervisor::accounts::AccountsPage/> }.into_any(),
            Page::SupervisorCalendar => view! { <supervisor::calendar::CalendarPage/> }.into_any(),
            Page::SupervisorAudit => view! { <supervisor::audit::AuditPage/> }.into_any(),
            Page::SupervisorHotlines => view! { <supervisor::hotlines::HotlinesPage/> }.into_any(),
            Page::UnionHome => view! { <union::home::HomePage/> }.into_any(),
            Page::UnionInfo => view! { <union::info::InfoPage/> }.into_any(),
            Page::UnionMembers => view! { <union::members::MembersPage/> }.into_any(),
            Page::UnionImport => view! { <union::import::ImportPage/> }.into_any(),
            Page::UnionMember => view! { <union::member::MemberPage/> }.into_any(),
            Page::UnionCards => view! { <union::cards::CardsPage/> }.into_any(),
            Page::UnionFeedback => view! { <union::feedback::FeedbackPage/> }.into_any(),
            Page::BankHome => view! { <bank::home::BankHomePage/> }.into_any(),
            Page::BankBatches => view! { <bank::batches::BatchesPage/> }.into_any(),
            Page::BankBatch => view! { <bank::batch::BatchPage/> }.into_any(),
            Page::BankDeliveries => view! { <bank::deliveries::DeliveriesPage/> }.into_any(),
            Page::BankCards => view! { <bank::cards::BankCardsPage/> }.into_any(),
            Page::BankTokens => view! { <bank::tokens::TokensPage/> }.into_any(),
            Page::MyCard => view! { <me::card::MyCardPage/> }.into_any(),
            Page::MemberLogin => view! { <me::login::MemberLoginPage/> }.into_any(),
            Page::Help => view! { <help::HelpPage/> }.into_any(),
            Page::Manual => view! { <help::ManualPage/> }.into_any(),
            Page::Faq => view! { <help::FaqPage/> }.into_any(),
        }
    }
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
                        $(<Route path=path!($path) view=move || Page::$page.view() ssr=SsrMode::Async/>)*
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
    fn pages_without_an_island_are_sent_without_scripts() {
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
            "/bank/tokens",
            "/union/info/",
        ] {
            assert!(script_free_path(href.split(['?', '#']).next().unwrap()), "{href}");
        }
        for href in
            ["/union/members/3", "/union/cards", "/bank/batches/3", "/supervisor/accounts", "/supervisor/calendar/"]
        {
            assert!(!script_free_path(href), "{href}");
        }
        // no page there: 页面不存在 needs no script
        for href in ["/member", "/helpdesk", "/me/x", "/union/cards/x", "/nowhere"] {
            assert!(script_free_path(href), "{href}");
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
            assert_eq!(script_free_path(&address), !page.has_island(), "{address}");
            // the member's pages and the help centre have no island
            if address.starts_with("/me") || address.starts_with("/help") {
                assert!(!page.has_island(), "{page:?}");
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
