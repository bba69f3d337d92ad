//! The charset decoder on any bytes and content type: never panics, and
//! what it returns is text it decodes again unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, &[u8])| {
    let (content_type, bytes) = input;
    let Ok(decoded) = copydesk::decode::decode_with_encoding(bytes, Some(content_type), None)
    else {
        return;
    };
    // Text with NULs is sniffed as BOM-less UTF-16 before any declaration
    // (deliberately: servers mislabel UTF-16), and a leading U+FEFF is a BOM;
    // any other text, declared UTF-8, comes back as it is.
    if decoded.text.contains('\0') || decoded.text.starts_with('\u{feff}') {
        return;
    }
    let again = copydesk::decode::decode(decoded.text.as_bytes(), Some("text/html; charset=utf-8"));
    if let Ok(again) = again {
        assert_eq!(again, decoded.text);
    }
});
