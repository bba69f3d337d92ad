//! Repairs markup that would swallow the rest of the page before it is parsed.
//!
//! A `<title>` or `<textarea>` is raw text up to its end tag; when the end tag
//! is missing, a conforming parser reads the whole remaining document as
//! that element's text and the body comes out empty. Pages with that typo
//! exist (an archived BBC page has `<title>BBC SPORTi library-->`), so the
//! element is closed where its text plausibly ends: at the first line break
//! or the first `<`.

use std::borrow::Cow;

/// Elements whose content is raw text up to their end tag.
const RAW_TEXT: [&str; 2] = ["title", "textarea"];

/// Returns `html` with any unclosed `<title>`/`<textarea>` closed; borrowed
/// when nothing needed repair.
///
/// ```
/// let fixed = copydesk::repair::close_raw_text("<title>News\n<body><p>Hi</p>");
/// assert_eq!(fixed, "<title>News</title>\n<body><p>Hi</p>");
/// let fine = copydesk::repair::close_raw_text("<title>News</title><p>Hi</p>");
/// assert!(matches!(fine, std::borrow::Cow::Borrowed(_)));
/// ```
pub fn close_raw_text(html: &str) -> Cow<'_, str> {
    let mut out = Cow::Borrowed(html);
    for name in RAW_TEXT {
        if let Some(at) = unclosed(&out, name) {
            let mut s = out.into_owned();
            s.insert_str(at, &format!("</{name}>"));
            out = Cow::Owned(s);
        }
    }
    out
}

/// Where to close the first `<name>` element when no `</name` follows it.
fn unclosed(html: &str, name: &str) -> Option<usize> {
    let bytes = html.as_bytes();
    let open = find_tag(bytes, 0, name, false)?;
    let content = open + bytes[open..].iter().position(|&b| b == b'>')? + 1;
    if find_tag(bytes, content, name, true).is_some() {
        return None;
    }
    let stop = bytes[content..]
        .iter()
        .position(|&b| b == b'<' || b == b'\n')
        .map_or(bytes.len(), |p| content + p);
    Some(stop)
}

/// Byte index of the first `<name` (or `</name` when `end`) at or after
/// `from`, matched case-insensitively and followed by a delimiter.
fn find_tag(bytes: &[u8], from: usize, name: &str, end: bool) -> Option<usize> {
    let prefix: &[u8] = if end { b"</" } else { b"<" };
    let n = name.len();
    let mut i = from;
    while i < bytes.len() {
        let rel = memchr::memchr(b'<', &bytes[i..])?;
        let at = i + rel;
        let tag = at + prefix.len();
        if bytes[at..].starts_with(prefix)
            && bytes.len() >= tag + n
            && bytes[tag..tag + n].eq_ignore_ascii_case(name.as_bytes())
            && bytes
                .get(tag + n)
                .is_none_or(|b| b.is_ascii_whitespace() || *b == b'>' || *b == b'/')
        {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::close_raw_text;

    #[test]
    fn closes_an_unclosed_title_at_the_first_tag() {
        assert_eq!(
            close_raw_text("<TITLE>BBC SPORTi library--><script>x</script><body>text"),
            "<TITLE>BBC SPORTi library--></title><script>x</script><body>text"
        );
    }

    #[test]
    fn leaves_closed_and_absent_elements_alone() {
        for html in ["<title>a</TITLE><p>b", "<p>no title</p>", "<titles>x", ""] {
            assert_eq!(close_raw_text(html), html);
        }
    }

    #[test]
    fn closes_an_unclosed_textarea() {
        assert_eq!(
            close_raw_text("<textarea>draft<p>after"),
            "<textarea>draft</textarea><p>after"
        );
    }
}
