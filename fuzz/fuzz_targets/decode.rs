//! The charset decoder on any bytes and content type: never panics, and
//! what it returns is text it can decode again unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, &[u8])| {
    let (content_type, bytes) = input;
    if let Ok(decoded) = copydesk::decode::decode_with_encoding(bytes, Some(content_type), None) {
        // Valid UTF-8 text with no BOM stays as it is when decoded again as UTF-8.
        let again =
            copydesk::decode::decode(decoded.text.as_bytes(), Some("text/html; charset=utf-8"));
        if let Ok(again) = again {
            if !decoded.text.starts_with('\u{feff}') {
                assert_eq!(again, decoded.text);
            }
        }
    }
});
