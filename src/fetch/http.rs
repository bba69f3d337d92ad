//! One HTTP exchange, in steps the callers compose: send the request and
//! read the response head; read the body within a size limit; show the
//! exchange to the recorder.

use std::time::{Duration, SystemTime};

use chrono::{DateTime, Utc};
use reqwest::header::{HeaderMap, ACCEPT, CONTENT_TYPE, LOCATION, RETRY_AFTER};
use url::Url;

use super::addresses;
use super::failure::Failure;
use super::fetcher::Shared;
use super::record::ErrorKind;
use super::recorder::{Exchange, Recorder};
use super::retry::parse_retry_after;

/// The `Accept` header sent with every request: pages are wanted.
pub(crate) const ACCEPT_VALUE: &str = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1";

/// The encodings the client decodes, as it announces them.
const ACCEPT_ENCODING_VALUE: &str = "gzip, deflate, br, zstd";

/// A response whose head has arrived; the body is still on the wire.
pub(crate) struct Response {
    inner: reqwest::Response,
    /// The request as sent, for the recorder.
    request: Vec<u8>,
    /// When the request was sent.
    date: DateTime<Utc>,
    /// Status line, headers and the blank line after them.
    head: Vec<u8>,
}

impl Response {
    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.inner.status().as_u16()
    }

    /// The `Content-Type` header as sent, if readable.
    pub fn content_type(&self) -> Option<String> {
        header_text(self.inner.headers(), CONTENT_TYPE)
    }

    /// The `Location` header of a redirect.
    pub fn location(&self) -> Option<String> {
        header_text(self.inner.headers(), LOCATION)
    }

    /// How long the server asked the client to wait before trying again.
    pub fn retry_after(&self) -> Option<Duration> {
        header_text(self.inner.headers(), RETRY_AFTER)
            .and_then(|v| parse_retry_after(&v, SystemTime::now()))
    }

    /// The body length the server announced, when it announced one and the
    /// body is not compressed.
    pub fn announced_length(&self) -> Option<u64> {
        self.inner.content_length()
    }

    /// Reads the body, at most `limit` bytes of it.
    pub async fn read_body(&mut self, limit: usize) -> Body {
        let hint = self.inner.content_length().unwrap_or(0);
        let mut bytes = Vec::with_capacity(usize::try_from(hint).unwrap_or(limit).min(limit));
        loop {
            match self.inner.chunk().await {
                Ok(Some(chunk)) => {
                    if bytes.len() + chunk.len() > limit {
                        let room = limit - bytes.len();
                        bytes.extend_from_slice(&chunk[..room]);
                        return Body {
                            bytes,
                            end: BodyEnd::OverLimit,
                        };
                    }
                    bytes.extend_from_slice(&chunk);
                }
                Ok(None) => {
                    return Body {
                        bytes,
                        end: BodyEnd::Complete,
                    }
                }
                Err(e) => {
                    return Body {
                        bytes,
                        end: BodyEnd::Failed(Failure::from_reqwest(&e)),
                    }
                }
            }
        }
    }

    /// Shows the exchange to `recorder`, with `body` as read (empty when
    /// it was not read) and whether that is all of it.
    pub fn record(&self, recorder: Option<&dyn Recorder>, url: &Url, body: &[u8], complete: bool) {
        let Some(recorder) = recorder else { return };
        // An empty body announced as empty is complete even when unread.
        let complete = complete || self.inner.content_length() == Some(0);
        recorder.record(&Exchange {
            url: url.as_str(),
            date: self.date,
            request: &self.request,
            response_head: &self.head,
            body,
            body_complete: complete,
        });
    }
}

/// A body as read.
pub(crate) struct Body {
    pub bytes: Vec<u8>,
    pub end: BodyEnd,
}

/// How reading a body ended.
pub(crate) enum BodyEnd {
    Complete,
    /// The limit was reached; `bytes` holds the first `limit` bytes.
    OverLimit,
    /// The connection failed or timed out; `bytes` holds what came.
    Failed(Failure),
}

/// Sends a GET for `url` and waits for the response head. Every request
/// of a batch comes through here, so this is where an IP-literal host is
/// refused under `deny_private` (names are left to the resolver).
pub(crate) async fn send(shared: &Shared, url: &Url) -> Result<Response, Failure> {
    if shared.options.deny_private {
        addresses::check_literal(url)?;
    }
    let date = DateTime::<Utc>::from(SystemTime::now());
    let request = request_bytes(url, &shared.options.user_agent);
    let inner = shared
        .client
        .get(url.clone())
        .send()
        .await
        .map_err(|e| Failure::from_reqwest(&e))?;
    let head = head_bytes(&inner);
    Ok(Response {
        inner,
        request,
        date,
        head,
    })
}

/// The default headers of every request (the user agent is set apart).
pub(crate) fn default_headers() -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(
        ACCEPT,
        reqwest::header::HeaderValue::from_static(ACCEPT_VALUE),
    );
    headers
}

/// The request as sent, rebuilt for the recorder: request line, `Host`,
/// and the headers the client adds.
fn request_bytes(url: &Url, user_agent: &str) -> Vec<u8> {
    let mut target = url.path().to_owned();
    if let Some(query) = url.query() {
        target.push('?');
        target.push_str(query);
    }
    let host = match url.port() {
        Some(port) => format!("{}:{port}", url.host_str().unwrap_or_default()),
        None => url.host_str().unwrap_or_default().to_owned(),
    };
    format!(
        "GET {target} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: {user_agent}\r\n\
         Accept: {ACCEPT_VALUE}\r\nAccept-Encoding: {ACCEPT_ENCODING_VALUE}\r\n\r\n"
    )
    .into_bytes()
}

/// The response's status line and headers as bytes, ending in a blank line.
fn head_bytes(response: &reqwest::Response) -> Vec<u8> {
    let status = response.status();
    let mut head = format!(
        "{:?} {} {}\r\n",
        response.version(),
        status.as_u16(),
        status.canonical_reason().unwrap_or("")
    )
    .into_bytes();
    for (name, value) in response.headers() {
        head.extend_from_slice(name.as_str().as_bytes());
        head.extend_from_slice(b": ");
        head.extend_from_slice(value.as_bytes());
        head.extend_from_slice(b"\r\n");
    }
    head.extend_from_slice(b"\r\n");
    head
}

fn header_text(headers: &HeaderMap, name: reqwest::header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}

/// Whether a `Content-Type` names HTML or XHTML. A response without one
/// is given the benefit of the doubt: the decoder and extractor cope.
pub(crate) fn is_html(content_type: Option<&str>) -> bool {
    let Some(value) = content_type else {
        return true;
    };
    let essence = value.split(';').next().unwrap_or("").trim();
    essence.eq_ignore_ascii_case("text/html")
        || essence.eq_ignore_ascii_case("application/xhtml+xml")
}

/// The failure for a body over `limit` bytes.
pub(crate) fn too_large(limit: usize, announced: Option<u64>) -> Failure {
    let message = match announced {
        Some(size) => format!("the body is {size} bytes, over the limit of {limit} bytes"),
        None => format!("the body is over the limit of {limit} bytes"),
    };
    Failure::new(ErrorKind::TooLarge, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_and_xhtml_pass() {
        assert!(is_html(Some("text/html")));
        assert!(is_html(Some("Text/HTML; charset=windows-1251")));
        assert!(is_html(Some("application/xhtml+xml")));
        assert!(is_html(None));
        assert!(!is_html(Some("application/pdf")));
        assert!(!is_html(Some("text/plain; charset=utf-8")));
        assert!(!is_html(Some("")));
    }

    #[test]
    fn the_rebuilt_request_names_target_and_host() {
        let url = Url::parse("http://127.0.0.1:8080/a/b?q=1#frag").unwrap();
        let text = String::from_utf8(request_bytes(&url, "ua/1")).unwrap();
        assert!(text
            .starts_with("GET /a/b?q=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: ua/1\r\n"));
        assert!(text.ends_with("\r\n\r\n"));
        let url = Url::parse("https://example.com").unwrap();
        let text = String::from_utf8(request_bytes(&url, "ua/1")).unwrap();
        assert!(text.starts_with("GET / HTTP/1.1\r\nHost: example.com\r\n"));
    }
}
