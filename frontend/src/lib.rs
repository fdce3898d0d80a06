//! The browser entry: hydrates the islands of the server-rendered page.

// The islands' hydration functions are exported from `app`; naming the crate links it.
use app as _;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
