//! The rules' fingerprint, fixed at build time by `app/build.rs`: a hash of every file under
//! `src/domain/` and of the workbook reader, so rows staged under other rules are checked again.

include!(concat!(env!("OUT_DIR"), "/rules_fingerprint.rs"));

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::{RULES_FILES, RULES_FINGERPRINT};

    /// A walk of `dir` done here, independently of the build script's.
    fn files_under(root: &Path, dir: &str, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let entry = entry.unwrap();
            let path = format!("{dir}/{}", entry.file_name().to_str().unwrap());
            if entry.path().is_dir() {
                files_under(root, &path, out);
            } else {
                out.push(path);
            }
        }
    }

    #[test]
    fn the_fingerprint_covers_every_domain_file_and_the_reader() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut want = Vec::new();
        files_under(root, "src/domain", &mut want);
        want.push("src/server/xlsx/read.rs".to_string());
        want.sort();
        assert_eq!(RULES_FILES, want, "the build script's list must be every file under src/domain plus the reader");
        for file in ["src/domain/rules.rs", "src/domain/template/validate.rs", "src/domain/member.rs"] {
            assert!(RULES_FILES.contains(&file), "{file}");
        }
    }

    #[test]
    fn the_fingerprint_is_of_the_files_as_they_are_now() {
        // FNV-1a 64 over (path length, path, contents length, contents) of each file, as build.rs.
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let mut write = |bytes: &[u8]| {
            for b in bytes {
                h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
            }
        };
        for file in RULES_FILES {
            let contents = std::fs::read(root.join(file)).unwrap();
            write(&(file.len() as u64).to_le_bytes());
            write(file.as_bytes());
            write(&(contents.len() as u64).to_le_bytes());
            write(&contents);
        }
        assert_eq!(RULES_FINGERPRINT, h, "a covered file changed without the build script running again");
    }
}
