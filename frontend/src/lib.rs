//! The browser entry: hydrates the islands of the server-rendered page.

// The islands' hydration functions are exported from `app`; naming the crate links it.
use app as _;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    // Each island marks the page once it has hydrated (`app::mark_hydrated`); a page sent with
    // the script but without an island (无权访问 on another role's page) has nothing to wait for.
    let document = leptos::prelude::document();
    if document.query_selector("leptos-island").ok().flatten().is_none() {
        if let Some(body) = document.body() {
            let _ = body.set_attribute("data-hydrated", "");
        }
    }
}
