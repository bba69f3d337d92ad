//! The WARC reader and page iterator on any bytes (plain or gzip): never
//! panics or loops, and each page body stays within the size cap.
#![no_main]

use copydesk::warc::{Item, Pages};
use libfuzzer_sys::fuzz_target;

const MAX_BYTES: usize = 1 << 16;

fuzz_target!(|data: &[u8]| {
    let Ok(pages) = Pages::new(data, MAX_BYTES) else {
        return;
    };
    // Every item consumes input, so there can be no more items than bytes.
    for (n, item) in pages.enumerate() {
        assert!(n <= data.len() + 1, "more items than input bytes");
        if let Item::Page(page) = item {
            if let Ok(Some(html)) = page.html(MAX_BYTES) {
                assert!(html.len() <= MAX_BYTES);
            }
        }
    }
});
