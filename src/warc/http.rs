//! The HTTP messages stored in `response` records: status line and
//! headers, and the body undone from chunking and gzip/deflate.

use std::io::{self, BufRead, Read};

use flate2::read::{DeflateDecoder, GzDecoder, ZlibDecoder};

use super::header::{self, Header};

/// Most bytes of HTTP headers read before giving up on a response.
const MAX_HEAD: usize = 256 * 1024;

/// The status line and headers of a stored HTTP response.
///
/// ```
/// let mut stored = &b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>body</p>"[..];
/// let head = copydesk::warc::HttpHead::read(&mut stored).unwrap();
/// assert_eq!(head.status, 200);
/// assert_eq!(head.header.get("content-type"), Some("text/html"));
/// assert_eq!(stored, b"<p>body</p>"); // the body is left unread
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpHead {
    /// The status code (200, 404, ...).
    pub status: u16,
    /// The response headers.
    pub header: Header,
}

impl HttpHead {
    /// Reads a status line and headers up to the blank line, leaving the
    /// body unread. Header lines that are not fields are ignored, as
    /// browsers do; a missing or garbled status line is an error.
    pub fn read(r: &mut impl BufRead) -> Result<HttpHead, HeadError> {
        let status_line = header::read_line(r, header::MAX_LINE)
            .map_err(HeadError::Io)?
            .ok_or_else(|| HeadError::Malformed("empty HTTP message".to_owned()))?;
        let status = parse_status(&status_line.content).ok_or_else(|| {
            let shown = &status_line.content[..status_line.content.len().min(60)];
            HeadError::Malformed(format!(
                "not an HTTP status line: {:?}",
                String::from_utf8_lossy(shown)
            ))
        })?;
        let mut header = Header::default();
        let mut size = 0usize;
        // The end of the stream ends headers without a body.
        while let Some(line) = header::read_line(r, header::MAX_LINE).map_err(HeadError::Io)? {
            if line.content.is_empty() {
                break;
            }
            size += line.content.len();
            if size > MAX_HEAD {
                return Err(HeadError::Malformed("HTTP headers are too long".to_owned()));
            }
            // A line that is not a field is dropped, not fatal.
            header.push_line(&line.content);
        }
        Ok(HttpHead { status, header })
    }

    /// The media type of `Content-Type`, lower-cased, without parameters.
    ///
    /// ```
    /// let mut r = &b"HTTP/1.1 200 OK\r\nContent-Type: Text/HTML; charset=utf-8\r\n\r\n"[..];
    /// let head = copydesk::warc::HttpHead::read(&mut r).unwrap();
    /// assert_eq!(head.media_type().as_deref(), Some("text/html"));
    /// ```
    pub fn media_type(&self) -> Option<String> {
        let value = self.header.get("Content-Type")?;
        let media = value.split(';').next().unwrap_or("").trim();
        (!media.is_empty()).then(|| media.to_ascii_lowercase())
    }

    /// Whether the response declares an HTML payload: `Some(true)` for
    /// `text/html` and `application/xhtml+xml`, `Some(false)` for any other
    /// declared type, `None` when no type is declared (then sniff it with
    /// [`looks_like_html`]).
    pub fn declares_html(&self) -> Option<bool> {
        self.media_type()
            .map(|m| m == "text/html" || m == "application/xhtml+xml")
    }

    /// The body as the server meant it: chunked transfer coding and gzip or
    /// deflate content coding undone. `raw` is the stored body. Output
    /// larger than `max_bytes` is refused (a small gzip body can inflate
    /// without bound).
    ///
    /// Stored WARCs are inconsistent here: some crawlers keep the
    /// `Transfer-Encoding` and `Content-Encoding` headers after decoding
    /// the body. So a body that does not parse as chunks or does not start
    /// like gzip is taken as already decoded, as other WARC tools do.
    ///
    /// ```
    /// let mut r = &b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"[..];
    /// let head = copydesk::warc::HttpHead::read(&mut r).unwrap();
    /// let body = head.decode_body(b"4\r\n<p>a\r\n5\r\nb</p>\r\n0\r\n\r\n".to_vec(), 1000).unwrap();
    /// assert_eq!(body, b"<p>ab</p>");
    /// ```
    pub fn decode_body(&self, raw: Vec<u8>, max_bytes: usize) -> Result<Vec<u8>, BodyError> {
        let mut body = raw;
        if codings(self.header.get("Transfer-Encoding")).any(|c| c == "chunked") {
            if let Some(joined) = dechunk(&body) {
                body = joined;
            }
        }
        let content_codings: Vec<String> = codings(self.header.get("Content-Encoding")).collect();
        // Codings are listed in the order applied: undo them last first.
        for coding in content_codings.iter().rev() {
            body = match coding.as_str() {
                "identity" => body,
                "gzip" | "x-gzip" if body.starts_with(&[0x1f, 0x8b]) => {
                    inflate(GzDecoder::new(&body[..]), max_bytes)?
                }
                // zlib-wrapped, as the standard says, or raw deflate, as
                // some servers send it.
                "deflate" if body.first().is_some_and(|b| b & 0x0f == 8) => {
                    inflate(ZlibDecoder::new(&body[..]), max_bytes)
                        .or_else(|_| inflate(DeflateDecoder::new(&body[..]), max_bytes))?
                }
                "deflate" => inflate(DeflateDecoder::new(&body[..]), max_bytes).unwrap_or(body),
                "gzip" | "x-gzip" => body,
                other => return Err(BodyError::Unsupported(other.to_owned())),
            };
        }
        if body.len() > max_bytes {
            return Err(BodyError::TooLarge { limit: max_bytes });
        }
        Ok(body)
    }
}

/// Why an HTTP head could not be read.
#[derive(Debug)]
pub enum HeadError {
    /// The stream failed (for a WARC block: the record is cut short).
    Io(io::Error),
    /// The bytes are not an HTTP response head.
    Malformed(String),
}

impl std::fmt::Display for HeadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HeadError::Io(e) => write!(f, "{e}"),
            HeadError::Malformed(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for HeadError {}

/// Why a stored body could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyError {
    /// The decoded body is over the limit.
    TooLarge {
        /// The limit in force, in bytes.
        limit: usize,
    },
    /// A content coding this crate does not undo (such as `br`).
    Unsupported(String),
    /// Compressed data that cannot be decompressed.
    Corrupt(String),
}

impl BodyError {
    /// The error kind of the page's record: `too_large` or `decode`.
    ///
    /// ```
    /// use copydesk::warc::BodyError;
    /// assert_eq!(BodyError::TooLarge { limit: 1 }.kind(), "too_large");
    /// assert_eq!(BodyError::Unsupported("br".into()).kind(), "decode");
    /// ```
    pub fn kind(&self) -> &'static str {
        match self {
            BodyError::TooLarge { .. } => "too_large",
            BodyError::Unsupported(_) | BodyError::Corrupt(_) => "decode",
        }
    }
}

impl std::fmt::Display for BodyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BodyError::TooLarge { limit } => {
                write!(f, "decoded body is over the limit of {limit} bytes")
            }
            BodyError::Unsupported(coding) => {
                write!(f, "unsupported Content-Encoding: {coding}")
            }
            BodyError::Corrupt(why) => write!(f, "cannot decompress the body: {why}"),
        }
    }
}

impl std::error::Error for BodyError {}

/// Whether `bytes` look like the start of an HTML document, by the
/// WHATWG MIME sniffing rules for HTML (after a BOM and whitespace: a
/// `<!DOCTYPE HTML`, `<html`, `<head`, `<body`, `<p`, ..., or `<!--`).
///
/// ```
/// use copydesk::warc::looks_like_html;
/// assert!(looks_like_html(b"\n  <!doctype html><title>x</title>"));
/// assert!(looks_like_html(b"<P>Hello"));
/// assert!(!looks_like_html(b"%PDF-1.7"));
/// assert!(!looks_like_html(b"<pre>not a tag we sniff"));
/// ```
pub fn looks_like_html(bytes: &[u8]) -> bool {
    const TAGS: [&[u8]; 17] = [
        b"<!doctype html",
        b"<html",
        b"<head",
        b"<script",
        b"<iframe",
        b"<h1",
        b"<div",
        b"<font",
        b"<table",
        b"<a",
        b"<style",
        b"<title",
        b"<b",
        b"<body",
        b"<br",
        b"<p",
        b"<!--",
    ];
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let start = bytes
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c'))
        .unwrap_or(bytes.len());
    let rest = &bytes[start..];
    TAGS.iter().any(|tag| {
        rest.len() > tag.len()
            && rest[..tag.len()].eq_ignore_ascii_case(tag)
            // A tag name must end there: `<a ` or `<a>`, not `<abbr`.
            && (tag == b"<!--" || matches!(rest[tag.len()], b' ' | b'>'))
    })
}

/// The comma-separated codings of a header value, lower-cased.
fn codings(value: Option<&str>) -> impl Iterator<Item = String> + '_ {
    value
        .unwrap_or("")
        .split(',')
        .map(|c| c.trim().to_ascii_lowercase())
        .filter(|c| !c.is_empty())
}

/// Joins the chunks of a chunked body. `None` when it does not start with
/// a chunk-size line (then it was stored already joined). A body cut short
/// keeps the chunks it has.
fn dechunk(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    let mut first = true;
    while let Some(end) = rest.iter().position(|&b| b == b'\n') {
        let line = String::from_utf8_lossy(&rest[..end]);
        let size_text = line.split(';').next().unwrap_or("").trim();
        let Ok(size) = usize::from_str_radix(size_text, 16) else {
            if first {
                return None;
            }
            break;
        };
        first = false;
        rest = &rest[end + 1..];
        if size == 0 {
            break;
        }
        let take = size.min(rest.len());
        out.extend_from_slice(&rest[..take]);
        rest = &rest[take..];
        // The CRLF after the chunk's data.
        rest = rest
            .strip_prefix(b"\r\n")
            .or_else(|| rest.strip_prefix(b"\n"))
            .unwrap_or(rest);
    }
    (!first).then_some(out)
}

/// Decompresses at most `max_bytes` (plus one, to notice going over).
/// Data cut short keeps what came out before the cut, since crawlers often
/// truncate large bodies; corrupt data with no output at all is an error.
fn inflate(decoder: impl Read, max_bytes: usize) -> Result<Vec<u8>, BodyError> {
    let mut out = Vec::new();
    let limit = u64::try_from(max_bytes)
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    match decoder.take(limit).read_to_end(&mut out) {
        Ok(_) => {}
        Err(e) if out.is_empty() => return Err(BodyError::Corrupt(e.to_string())),
        Err(_) => {}
    }
    if out.len() > max_bytes {
        return Err(BodyError::TooLarge { limit: max_bytes });
    }
    Ok(out)
}

/// The status code of an HTTP status line (`HTTP/1.1 200 OK`).
fn parse_status(line: &[u8]) -> Option<u16> {
    let text = std::str::from_utf8(line).ok()?;
    let mut parts = text.split_ascii_whitespace();
    if !parts.next()?.starts_with("HTTP/") {
        return None;
    }
    let code = parts.next()?;
    if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    code.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::GzEncoder;
    use std::io::Write;

    fn head(headers: &str) -> HttpHead {
        let text = format!("HTTP/1.1 200 OK\r\n{headers}\r\n");
        HttpHead::read(&mut text.as_bytes()).unwrap()
    }

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn status_lines() {
        assert_eq!(parse_status(b"HTTP/1.0 404 Not Found"), Some(404));
        assert_eq!(parse_status(b"HTTP/2 200"), Some(200));
        assert_eq!(parse_status(b"ICY 200 OK"), None);
        assert_eq!(parse_status(b"HTTP/1.1 2000 OK"), None);
    }

    #[test]
    fn gzip_inside_chunks_is_undone() {
        let h = head("Transfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n");
        let zipped = gzip(b"<p>hello</p>");
        let mut chunked = format!("{:x}\r\n", zipped.len()).into_bytes();
        chunked.extend_from_slice(&zipped);
        chunked.extend_from_slice(b"\r\n0\r\n\r\n");
        assert_eq!(h.decode_body(chunked, 1000).unwrap(), b"<p>hello</p>");
    }

    #[test]
    fn already_decoded_bodies_pass_through() {
        let h = head("Transfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n");
        assert_eq!(
            h.decode_body(b"<p>x</p>".to_vec(), 100).unwrap(),
            b"<p>x</p>"
        );
    }

    #[test]
    fn deflate_zlib_and_raw() {
        let h = head("Content-Encoding: deflate\r\n");
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(b"<p>z</p>").unwrap();
        assert_eq!(
            h.decode_body(z.finish().unwrap(), 100).unwrap(),
            b"<p>z</p>"
        );
        let mut d = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        d.write_all(b"<p>d</p>").unwrap();
        assert_eq!(
            h.decode_body(d.finish().unwrap(), 100).unwrap(),
            b"<p>d</p>"
        );
    }

    #[test]
    fn gzip_bombs_are_refused() {
        let h = head("Content-Encoding: gzip\r\n");
        let bomb = gzip(&vec![b'a'; 1_000_000]);
        assert_eq!(
            h.decode_body(bomb, 1000),
            Err(BodyError::TooLarge { limit: 1000 })
        );
    }

    #[test]
    fn unknown_codings_are_reported() {
        let h = head("Content-Encoding: br\r\n");
        assert_eq!(
            h.decode_body(b"x".to_vec(), 100),
            Err(BodyError::Unsupported("br".into()))
        );
    }

    #[test]
    fn truncated_chunks_keep_what_arrived() {
        assert_eq!(dechunk(b"3\r\nabc\r\n5\r\nde").unwrap(), b"abcde");
        assert_eq!(dechunk(b"<html>"), None);
    }

    #[test]
    fn sniffing_needs_a_whole_tag_name() {
        assert!(!looks_like_html(b"<abbr>"));
        assert!(looks_like_html(b"<a href=x>"));
        assert!(!looks_like_html(b"<html")); // nothing after the name yet
    }
}
