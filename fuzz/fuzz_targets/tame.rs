//! The pre-parse pass on any text: never panics, and what it drops is only
//! markup, so every character of text outside tags survives in order.
#![no_main]

use copydesk::limits::tame::{tame, Caps};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|html: &str| {
    let caps = Caps {
        max_depth: 4,
        max_formatting: 3,
        max_attrs: 2,
    };
    let tamed = tame(html, &caps);
    assert!(tamed.html.len() <= html.len());
    // Dropping only removes bytes: the output is a subsequence of the input.
    let mut rest = html.chars();
    for c in tamed.html.chars() {
        assert!(
            rest.any(|d| d == c),
            "output is not a subsequence of the input"
        );
    }
});
