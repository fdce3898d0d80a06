//! Links the browser's wasm so that wasm-split can give each portal its own constant data.
//!
//! rustc asks wasm-ld for `-O2` at every optimising opt-level, and at `-O2` wasm-ld merges string
//! constants that are tails of others ("登录" inside "请登录"): the merged strings overlap, wasm-split
//! keeps overlapping data together, and the chain of overlaps tied nearly every constant to the
//! main module. Measured on the release build (2026-12-05): the main module held all 177 KB of
//! constant data and every portal's chunk none; with `-O0` for the linker alone (rustc's and
//! wasm-opt's optimisations are unchanged) the main module keeps 39 KB of it. Brotli, what the
//! sign-in page loads went from 280 to 247 KB, a union clerk's sign-in and portal from 512 to
//! 504 KB, a bank officer's 457 to 437, a supervisor's 469 to 449; the whole app's grew from 745
//! to 752 KB (no tail sharing, and data in several files compresses a little less well). `-O1`
//! still merges equal strings and measured as before. The last `-O` on wasm-ld's command line
//! wins; cargo passes this one after rustc's.
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-cdylib=-O0");
    }
}
