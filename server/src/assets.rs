//! The site's built files (`/pkg/…`: the wasm, its JS glue and chunks, the stylesheet) and the
//! compression of every other answer.
//!
//! A release build (`cargo leptos build --release --precompress`) writes each file beside a
//! brotli (`.br`) and a gzip (`.gz`) copy; the browser gets the smallest copy it accepts, as is,
//! with no work per request. Built files carry a content hash in their names (`hash-files` in
//! Cargo.toml; `hash.txt` beside the server binary names them), so a browser may keep them for a
//! year without asking again: a new build has new names. A file without a hash in its name is
//! revalidated on each use. Pages and server-function answers are compressed on the fly.

use std::path::{Path, PathBuf};

use axum::{
    extract::Request,
    http::{header, HeaderValue},
    middleware::{self, Next},
    response::Response,
    Router,
};
use tower::ServiceBuilder;
use tower_http::{
    compression::{
        predicate::{NotForContentType, Predicate},
        CompressionLayer, CompressionLevel, DefaultPredicate,
    },
    services::ServeDir,
};

/// Cache lifetime of a file whose name carries its content hash.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Cache policy of a built file without a hash in its name: keep, but ask before each use.
pub const REVALIDATE: &str = "no-cache";

/// The name of the file (beside the server binary) in which cargo-leptos records the hashes.
pub const HASH_FILE: &str = "hash.txt";

/// Whether the server binary was built with hashed asset names: cargo-leptos wrote `hash.txt`
/// beside it. `LEPTOS_HASH_FILES` overrides this when set.
pub fn built_with_hashes(exe: &Path) -> bool {
    match std::env::var("LEPTOS_HASH_FILES") {
        Ok(v) => v == "true",
        Err(_) => exe.parent().is_some_and(|dir| dir.join(HASH_FILE).is_file()),
    }
}

/// Whether a built file's name carries a content hash: one of its dot-separated parts is the
/// 22-character base64url MD5 that cargo-leptos inserts (`unioncard.Ab3…xY.wasm`).
pub fn is_hashed(file_name: &str) -> bool {
    let parts: Vec<&str> = file_name.split('.').collect();
    parts.len() >= 3
        && parts[1..parts.len() - 1]
            .iter()
            .any(|p| p.len() == 22 && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
}

/// The `Cache-Control` of a built file, from its name (a precompressed copy counts as its file).
pub fn cache_control(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    let name = name.strip_suffix(".br").or_else(|| name.strip_suffix(".gz")).unwrap_or(name);
    if is_hashed(name) {
        IMMUTABLE
    } else {
        REVALIDATE
    }
}

async fn cache_headers(req: Request, next: Next) -> Response {
    let policy = cache_control(req.uri().path());
    let mut res = next.run(req).await;
    if res.status().is_success() || res.status() == axum::http::StatusCode::NOT_MODIFIED {
        res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    res
}

/// The router with `/<pkg dir>/…` served from `<site root>/<pkg dir>`: precompressed copies when
/// the browser accepts them, cache lifetimes by name.
pub fn with_pkg<S: Clone + Send + Sync + 'static>(router: Router<S>, site_root: &str, pkg_dir: &str) -> Router<S> {
    let pkg_dir = pkg_dir.trim_matches('/');
    let dir: PathBuf = Path::new(site_root).join(pkg_dir);
    let files = ServiceBuilder::new()
        .layer(middleware::from_fn(cache_headers))
        .service(ServeDir::new(dir).precompressed_br().precompressed_gzip());
    router.nest_service(&format!("/{pkg_dir}"), files)
}

/// On-the-fly compression of pages and answers (brotli or gzip, as the browser accepts), at a
/// level that costs about a millisecond for a page. Files that are already compressed pass:
/// precompressed copies (they carry `Content-Encoding`), images and workbooks (.xlsx is a zip).
pub fn compression() -> CompressionLayer<impl Predicate> {
    CompressionLayer::new()
        .quality(CompressionLevel::Precise(5))
        .compress_when(DefaultPredicate::new().and(NotForContentType::const_new("application/vnd.openxmlformats")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_with_a_content_hash_is_kept_for_a_year() {
        assert_eq!(cache_control("/pkg/unioncard.xJ3kQ9_aB-cD4eF5gH6iJ7.wasm"), IMMUTABLE);
        assert_eq!(cache_control("/pkg/unioncard.xJ3kQ9_aB-cD4eF5gH6iJ7.wasm.br"), IMMUTABLE);
        assert_eq!(cache_control("/pkg/unioncard.xJ3kQ9_aB-cD4eF5gH6iJ7.css.gz"), IMMUTABLE);
    }

    #[test]
    fn a_name_without_one_is_revalidated() {
        assert_eq!(cache_control("/pkg/unioncard.wasm"), REVALIDATE);
        assert_eq!(cache_control("/pkg/unioncard_bg.wasm.br"), REVALIDATE);
        // 21 characters, or a character outside base64url, is not a hash
        assert_eq!(cache_control("/pkg/unioncard.xJ3kQ9_aB-cD4eF5gH6iJ.js"), REVALIDATE);
        assert_eq!(cache_control("/pkg/unioncard.xJ3kQ9_aB+cD4eF5gH6iJ7.js"), REVALIDATE);
        // the extension itself never counts
        assert_eq!(cache_control("/pkg/xJ3kQ9_aB-cD4eF5gH6iJ7"), REVALIDATE);
    }
}
