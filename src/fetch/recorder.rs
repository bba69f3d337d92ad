//! A hook that sees every HTTP exchange, for provenance (such as writing
//! the responses to a WARC file).

use chrono::{DateTime, Utc};

/// One HTTP request and the response to it, as handed to a [`Recorder`].
///
/// Bodies arrive content-decoded (gzip, brotli, deflate and zstd are
/// undone), and `response_head` then lacks the `Content-Encoding` and
/// `Content-Length` headers, so head and body form a consistent message.
///
/// ```
/// let exchange = copydesk::fetch::Exchange {
///     url: "http://example.com/",
///     date: chrono::DateTime::from_timestamp(0, 0).unwrap(),
///     request: b"GET / HTTP/1.1\r\nHost: example.com\r\n\r\n",
///     response_head: b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n",
///     body: b"<p>Hi</p>",
///     body_complete: true,
/// };
/// let whole = [exchange.response_head, exchange.body].concat();
/// assert!(whole.ends_with(b"\r\n\r\n<p>Hi</p>"));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Exchange<'a> {
    /// The URL requested.
    pub url: &'a str,
    /// When the request was sent.
    pub date: DateTime<Utc>,
    /// The request: request line, headers, blank line. Rebuilt from what was
    /// sent, since the HTTP library does not expose its raw bytes.
    pub request: &'a [u8],
    /// The status line, the headers and the blank line that ends them.
    pub response_head: &'a [u8],
    /// The body, or as much of it as was read.
    pub body: &'a [u8],
    /// `false` when the body was not downloaded (redirects, errors, pages
    /// that are not HTML) or was cut off; `body` is then empty or partial.
    pub body_complete: bool,
}

/// Receives every HTTP exchange a [`Fetcher`](super::Fetcher) makes,
/// robots.txt included, as soon as its response is read.
///
/// It is called from the fetcher's async tasks, so it should hand the work
/// off (to a channel, say) rather than block for long.
///
/// ```
/// use std::sync::Mutex;
/// use copydesk::fetch::{Exchange, Recorder};
///
/// /// Keeps the URLs fetched.
/// struct Log(Mutex<Vec<String>>);
///
/// impl Recorder for Log {
///     fn record(&self, exchange: &Exchange<'_>) {
///         if let Ok(mut urls) = self.0.lock() {
///             urls.push(exchange.url.to_owned());
///         }
///     }
/// }
/// let log = Log(Mutex::new(Vec::new()));
/// log.record(&Exchange {
///     url: "http://example.com/", date: chrono::DateTime::from_timestamp(0, 0).unwrap(),
///     request: b"", response_head: b"", body: b"", body_complete: true,
/// });
/// assert_eq!(log.0.lock().unwrap().len(), 1);
/// ```
pub trait Recorder: Send + Sync {
    /// Takes note of one exchange.
    fn record(&self, exchange: &Exchange<'_>);
}
