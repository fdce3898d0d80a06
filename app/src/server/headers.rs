//! Security headers of a rendered page that depend on the page itself: the Content Security
//! Policy carries the nonce Leptos put on its own inline scripts (hydration and streamed
//! resources), so no other inline script runs. The fixed headers (no-store, nosniff, referrer
//! policy, frame denial, HSTS) are set by the server's router for every response.

use leptos::prelude::*;

/// The policy for a page whose inline scripts carry `nonce`: scripts and the wasm module from
/// this site only, styles from its stylesheet, no plug-ins, no framing, forms and links to self.
pub fn policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// Sets the page's Content-Security-Policy header with this response's nonce.
pub fn content_security_policy() {
    let (Some(nonce), Some(response)) = (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>())
    else {
        return;
    };
    if let Ok(value) = axum::http::HeaderValue::from_str(&policy(&nonce.to_string())) {
        response.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, value);
    }
}
