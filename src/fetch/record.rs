//! What a fetch yields: the article record plus how the page was fetched,
//! and the stable kinds of fetch failure.

use serde::{Deserialize, Serialize};

use crate::Article;

/// One input URL's result: the core article record (flattened) plus the
/// facts of the fetch. A failure is a record too, with `article.error` set.
///
/// ```
/// let r = copydesk::fetch::FetchRecord::failed(
///     "ftp://example.com/", copydesk::fetch::ErrorKind::InvalidUrl, "not http");
/// let json = serde_json::to_string(&r).unwrap();
/// assert!(json.starts_with(r#"{"source":"ftp://example.com/","url":"#));
/// assert!(json.contains(r#""error":{"kind":"invalid_url","message":"not http"}"#));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FetchRecord {
    /// The URL as given in the input (the key `--resume` matches on).
    pub source: String,
    /// The extracted page; `article.url` is the URL the page was fetched
    /// from (after redirects).
    #[serde(flatten)]
    pub article: Article,
    /// The URL of the last request made for this input (after redirects);
    /// `null` when no request was made.
    pub final_url: Option<String>,
    /// The HTTP status of the last response; `null` when none arrived.
    pub status: Option<u16>,
    /// The `Content-Type` header of the last response, as sent.
    pub content_type: Option<String>,
    /// When the record was made: RFC 3339, UTC, milliseconds
    /// (`2024-05-01T10:00:00.123Z`).
    pub fetched_at: String,
    /// Milliseconds from the first request for this input to its record,
    /// retries, redirects and the waits between them included.
    pub elapsed_ms: u64,
}

impl FetchRecord {
    /// A record for an input that failed before any request was made.
    pub fn failed(source: &str, kind: ErrorKind, message: impl Into<String>) -> Self {
        FetchRecord {
            source: source.to_owned(),
            article: Article::failed(None, kind.as_str(), message),
            final_url: None,
            status: None,
            content_type: None,
            fetched_at: now_rfc3339(),
            elapsed_ms: 0,
        }
    }
}

/// The current time as the record's `fetched_at` string.
pub(crate) fn now_rfc3339() -> String {
    chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now())
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Why an input URL yielded no article: the `error.kind` of its record.
///
/// ```
/// assert_eq!(copydesk::fetch::ErrorKind::NotHtml.as_str(), "not_html");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Not an absolute http(s) URL, or a redirect to something else.
    InvalidUrl,
    /// The host name could not be resolved.
    Dns,
    /// The connection could not be made, or broke off.
    Connect,
    /// The connect or total timeout ran out.
    Timeout,
    /// The TLS handshake failed (bad certificate, protocol error).
    Tls,
    /// The server answered with a status other than 2xx (after redirects
    /// and retries).
    HttpStatus,
    /// The body is over the size limit.
    TooLarge,
    /// The response is not HTML or XHTML; its body was not downloaded.
    NotHtml,
    /// The host is, or resolves only to, an address that is not public
    /// (loopback, private, link-local...), and
    /// [`FetchOptions::deny_private`](super::FetchOptions::deny_private) is set.
    Blocked,
    /// robots.txt does not allow the URL (or could not be read; RFC 9309
    /// then says to assume it disallows everything).
    RobotsDisallowed,
    /// More redirects than allowed, or a redirect loop.
    TooManyRedirects,
    /// The body could not be decompressed or turned into text.
    Decode,
    /// The extractor failed on the page.
    Extract,
    /// A bug in copydesk's fetcher; please report it.
    Internal,
}

impl ErrorKind {
    /// The stable, machine-readable name written in records.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidUrl => "invalid_url",
            ErrorKind::Dns => "dns",
            ErrorKind::Connect => "connect",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Tls => "tls",
            ErrorKind::HttpStatus => "http_status",
            ErrorKind::TooLarge => "too_large",
            ErrorKind::NotHtml => "not_html",
            ErrorKind::Blocked => "blocked",
            ErrorKind::RobotsDisallowed => "robots_disallowed",
            ErrorKind::TooManyRedirects => "too_many_redirects",
            ErrorKind::Decode => "decode",
            ErrorKind::Extract => "extract",
            ErrorKind::Internal => "internal",
        }
    }

    /// Whether a failure of this kind may go away if tried again soon.
    pub(crate) fn is_transient(self) -> bool {
        matches!(self, ErrorKind::Connect | ErrorKind::Timeout)
    }
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_round_trips_through_json() {
        let mut r = FetchRecord::failed("http://a/", ErrorKind::Timeout, "slow");
        r.status = Some(200);
        let back: FetchRecord = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
        assert_eq!(back, r);
    }

    #[test]
    fn fetched_at_is_utc_with_milliseconds() {
        let t = now_rfc3339();
        assert!(
            t.ends_with('Z') && t.len() == "2024-05-01T10:00:00.123Z".len(),
            "{t}"
        );
    }
}
