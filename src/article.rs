//! The `Article` record: the clean JSON that copydesk emits for one page.

use serde::{Deserialize, Serialize};

/// What went wrong with a page that could not be processed.
///
/// ```
/// let e = copydesk::ErrorInfo::new("decode", "not text");
/// assert_eq!(e.kind, "decode");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorInfo {
    /// A stable, machine-readable kind: `io`, `decode`, `too_large`, `extract`, ...
    pub kind: String,
    /// A human-readable explanation.
    pub message: String,
}

impl ErrorInfo {
    /// Builds an error description from a kind and a message.
    pub fn new(kind: impl Into<String>, message: impl Into<String>) -> Self {
        ErrorInfo {
            kind: kind.into(),
            message: message.into(),
        }
    }
}

/// One page's clean record: its article body as text plus metadata.
///
/// Every field is always present in the JSON (as `null` when unknown), except
/// `markdown` and `comments`, which appear only when asked for.
///
/// ```
/// let a = copydesk::extract("<html><body><article><p>Hello, world. This is a \
///     paragraph long enough to count as the body of a page.</p></article></body></html>", None);
/// assert!(a.text.contains("Hello, world."));
/// assert!(a.error.is_none());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// The page URL: the one given by the caller, else the canonical URL of the markup.
    pub url: Option<String>,
    /// The title the publisher declares (JSON-LD `headline`, `og:title`, …)
    /// as written; failing that, `<title>` or the first `<h1>` without a
    /// trailing " | Site name" suffix.
    pub title: Option<String>,
    /// The author(s), as written ("Jane Doe, John Roe").
    pub byline: Option<String>,
    /// The publication date, ISO 8601 (`2024-05-01` or `2024-05-01T10:00:00+03:00`).
    pub date: Option<String>,
    /// The outlet or site name.
    pub site_name: Option<String>,
    /// The language as an ISO 639-1 code where known (`en`), from the markup or detected.
    pub lang: Option<String>,
    /// The summary the page gives of itself (meta description).
    pub description: Option<String>,
    /// The lead image URL.
    pub image: Option<String>,
    /// The article body: one block (paragraph, heading, list item, quote, table
    /// row, code line) per line; whitespace normalised; empty when the page has
    /// no article.
    pub text: String,
    /// Number of words in `text` (Unicode word segments of letters or digits).
    pub word_count: usize,
    /// The body as Markdown; present only when asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub markdown: Option<String>,
    /// User comments, one per line; present only when asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comments: Option<String>,
    /// True when only part of the page was extracted: it was over the size
    /// limit and cut (on request), or over the node cap. Written only when true.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
    /// `null`, or what went wrong when the page could not be processed.
    pub error: Option<ErrorInfo>,
}

impl Article {
    /// A record for a page that failed: empty text, `error` set.
    ///
    /// ```
    /// let a = copydesk::Article::failed(None, "io", "no such file");
    /// assert_eq!(a.error.unwrap().kind, "io");
    /// ```
    pub fn failed(url: Option<&str>, kind: &str, message: impl Into<String>) -> Self {
        Article {
            url: url.map(str::to_owned),
            error: Some(ErrorInfo::new(kind, message)),
            ..Article::default()
        }
    }
}

/// Counts words: maximal runs of alphanumeric characters; CJK ideographs and
/// kana count one word each since those scripts do not separate words by spaces.
///
/// ```
/// assert_eq!(copydesk::article::count_words("Hello, wide world"), 3);
/// ```
pub fn count_words(text: &str) -> usize {
    let mut n = 0;
    let mut in_word = false;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // ASCII, most of any text, is judged from the byte without decoding.
        let (cjk, alnumeric, width) = match bytes[i] {
            b if b.is_ascii() => (false, b.is_ascii_alphanumeric(), 1),
            _ => match text[i..].chars().next() {
                Some(c) => (is_cjk(c), c.is_alphanumeric(), c.len_utf8()),
                None => break,
            },
        };
        if cjk {
            n += 1;
            in_word = false;
        } else if alnumeric {
            if !in_word {
                n += 1;
            }
            in_word = true;
        } else {
            in_word = false;
        }
        i += width;
    }
    n
}

/// True for characters of scripts written without spaces between words.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xAC00..=0xD7AF | 0x0E00..=0x0E7F)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The character-by-character definition `count_words` must agree with.
    fn count_by_chars(text: &str) -> usize {
        let (mut n, mut in_word) = (0, false);
        for c in text.chars() {
            if is_cjk(c) {
                n += 1;
                in_word = false;
            } else if c.is_alphanumeric() {
                n += usize::from(!in_word);
                in_word = true;
            } else {
                in_word = false;
            }
        }
        n
    }

    #[test]
    fn count_words_counts_as_characters_do() {
        for text in [
            "",
            "Hello, wide world",
            "caf\u{e9}-na\u{ef}ve \u{e9}t\u{e9}s 2024",
            "\u{65e5}\u{672c}\u{8a9e}\u{306e}text and \u{d55c}\u{ad6d}\u{c5b4}",
            "x\u{a0}y\u{2003}z\u{e01}\u{e02}",
            "\u{660}\u{661} \u{3b1}\u{3b2}\u{3b3}",
        ] {
            assert_eq!(count_words(text), count_by_chars(text), "{text:?}");
        }
    }
}
