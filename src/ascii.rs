//! ASCII-case-insensitive byte searches, shared by the passes that read
//! markup before or after it is parsed.

/// Where `needle` first occurs in `haystack`, ignoring ASCII case.
pub(crate) fn find_ci(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    haystack
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// Whether `needle` occurs in `haystack`, ignoring ASCII case, without
/// allocating.
pub(crate) fn contains_ci(haystack: impl AsRef<[u8]>, needle: impl AsRef<[u8]>) -> bool {
    find_ci(haystack.as_ref(), needle.as_ref()).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn searches_ignore_ascii_case_only() {
        assert_eq!(find_ci(b"<META Charset=utf-8>", b"charset"), Some(6));
        assert!(contains_ci("Display: NONE", "none"));
        assert!(!contains_ci("caf\u{c9}", "caf\u{e9}"));
        assert!(!contains_ci("ab", "abc"));
        assert!(contains_ci("x", ""));
    }
}
