//! Fingerprints the source of the import's rules: every file under `src/domain/` (recursively)
//! and `src/server/xlsx/read.rs`. Writes `rules_fingerprint.rs` into OUT_DIR, which
//! `domain::rules` includes: `RULES_FINGERPRINT` and `RULES_FILES`, the files it covers.

use std::fs;
use std::path::Path;

/// Folders whose every file is covered, and single files, relative to the package.
const RULE_DIRS: [&str; 1] = ["src/domain"];
const RULE_FILES: [&str; 1] = ["src/server/xlsx/read.rs"];

fn main() {
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR is set for build scripts");
    let root = Path::new(&manifest_dir);
    // sqlx::migrate! embeds the migrations: a new or changed one rebuilds the crate
    println!("cargo:rerun-if-changed=../migrations");
    let mut files = Vec::new();
    for dir in RULE_DIRS {
        println!("cargo:rerun-if-changed={dir}");
        walk(root, dir, &mut files);
    }
    files.extend(RULE_FILES.iter().map(|f| f.to_string()));
    files.sort();
    files.dedup();

    let mut hash = Fnv1a::new();
    for file in &files {
        println!("cargo:rerun-if-changed={file}");
        let contents = fs::read(root.join(file)).unwrap_or_else(|e| panic!("reading {file}: {e}"));
        // length-prefixed, so that no two (path, contents) lists hash the same bytes
        hash.write(&(file.len() as u64).to_le_bytes());
        hash.write(file.as_bytes());
        hash.write(&(contents.len() as u64).to_le_bytes());
        hash.write(&contents);
    }

    let list: String = files.iter().map(|f| format!("    {f:?},\n")).collect();
    let out = format!(
        "/// FNV-1a 64 of each covered file's path and contents, in `RULES_FILES` order.\n\
         pub const RULES_FINGERPRINT: u64 = {:#018x};\n\
         /// The files `RULES_FINGERPRINT` covers, relative to the `app` package, sorted.\n\
         pub const RULES_FILES: &[&str] = &[\n{list}];\n",
        hash.finish()
    );
    let out_dir = std::env::var("OUT_DIR").expect("OUT_DIR is set for build scripts");
    fs::write(Path::new(&out_dir).join("rules_fingerprint.rs"), out).expect("writing rules_fingerprint.rs");
}

/// Every file under `dir` (relative to `root`), as `/`-separated paths relative to `root`.
fn walk(root: &Path, dir: &str, files: &mut Vec<String>) {
    let entries = fs::read_dir(root.join(dir)).unwrap_or_else(|e| panic!("reading {dir}: {e}"));
    for entry in entries {
        let entry = entry.unwrap_or_else(|e| panic!("reading {dir}: {e}"));
        let name = entry.file_name().into_string().unwrap_or_else(|n| panic!("{dir}/{n:?} is not UTF-8"));
        let path = format!("{dir}/{name}");
        if entry.file_type().unwrap_or_else(|e| panic!("{path}: {e}")).is_dir() {
            walk(root, &path, files);
        } else {
            files.push(path);
        }
    }
}

/// FNV-1a, 64 bits: stable across builds, platforms and Rust versions (unlike `DefaultHasher`).
struct Fnv1a(u64);

impl Fnv1a {
    fn new() -> Fnv1a {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}
