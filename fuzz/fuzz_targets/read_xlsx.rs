//! Arbitrary bytes as an upload: the reader must refuse or read them, never panic, abort or
//! run away with memory (run with `-rss_limit_mb=1024 -timeout=10`).
#![no_main]

use app::server::xlsx::{read_first_sheet, ReadLimits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = read_first_sheet(data, &ReadLimits::default());
});
