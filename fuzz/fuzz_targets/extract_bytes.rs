//! Any bytes, any declared content type: extraction returns a record that
//! serialises to JSON, with no control characters but newline and tab in
//! its text, and never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte picks a declared content type, so the header path of
    // the decoder is exercised too.
    let (content_type, page) = match data.split_first() {
        Some((b, rest)) => (CONTENT_TYPES[*b as usize % CONTENT_TYPES.len()], rest),
        None => (None, data),
    };
    let options = copydesk::Options {
        markdown: true,
        comments: true,
        ..Default::default()
    };
    let article = copydesk::Extractor::new(options).extract_bytes(
        page,
        content_type,
        Some("https://example.com/a/b.html"),
    );
    serde_json::to_string(&article).expect("a record serialises");
    assert!(
        !article
            .text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t'),
        "control character in text: {:?}",
        article.text
    );
});

const CONTENT_TYPES: &[Option<&str>] = &[
    None,
    Some("text/html"),
    Some("text/html; charset=utf-8"),
    Some("text/html; charset=windows-1251"),
    Some("text/html; charset=shift_jis"),
    Some("text/html; charset=utf-16"),
    Some("text/html; charset=bogus"),
    Some("application/xhtml+xml; charset=iso-8859-1"),
];
