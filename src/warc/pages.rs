//! The HTML pages of a WARC stream: `response` records with status 200
//! and an HTML payload, everything else skipped and said why.

use std::io::Read;

use super::http::{looks_like_html, BodyError, HeadError, HttpHead};
use super::reader::{RecordError, RecordErrorKind, RecordHead, WarcReader};

/// Where a record sits and what it is, as reported with its page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordInfo {
    /// `WARC-Target-URI`: the page's URL.
    pub target_uri: Option<String>,
    /// `WARC-Record-ID`.
    pub record_id: Option<String>,
    /// `WARC-Date`, as written.
    pub date: Option<String>,
    /// The record's offset, as [`RecordHead::offset`] defines it.
    pub offset: Option<u64>,
}

impl RecordInfo {
    fn of(head: &RecordHead) -> Self {
        RecordInfo {
            target_uri: head.header.target_uri().map(str::to_owned),
            record_id: head.header.record_id().map(str::to_owned),
            date: head.header.date().map(str::to_owned),
            offset: head.offset,
        }
    }
}

/// One HTML response, its body still as stored (possibly chunked or
/// compressed: see [`Page::html`]).
#[derive(Debug, Clone)]
pub struct Page {
    /// The record it came from.
    pub record: RecordInfo,
    /// The HTTP status line and headers.
    pub http: HttpHead,
    /// The stored body.
    pub body: Vec<u8>,
}

impl Page {
    /// The HTML bytes: the body decoded (see [`HttpHead::decode_body`]), or
    /// `Ok(None)` when the response declares no type and the body does not
    /// look like HTML. Kept apart from reading so that a pool of threads
    /// can do it; [`BodyError::kind`] is the error kind of its record.
    pub fn html(self, max_bytes: usize) -> Result<Option<Vec<u8>>, BodyError> {
        let body = self.http.decode_body(self.body, max_bytes)?;
        if self.http.declares_html().is_none() && !looks_like_html(&body) {
            return Ok(None);
        }
        Ok(Some(body))
    }

    /// The response's `Content-Type` header, for charset detection.
    pub fn content_type(&self) -> Option<&str> {
        self.http.header.get("Content-Type")
    }
}

/// Why a record was passed over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skip {
    /// Not a `response` record: the `WARC-Type` (`request`, `warcinfo`,
    /// `metadata`, `revisit`, ...), or `(none)` when missing.
    Type(String),
    /// A `response` record that does not hold an HTTP response (DNS, ...).
    NotHttp,
    /// An HTTP response whose status is not 200.
    Status(u16),
    /// A 200 response whose payload is not HTML.
    NotHtml,
}

/// A record that could not be turned into a page: the `kind` is the error
/// kind of its output record (`warc`, `io`, `too_large`, `decode`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The record, as far as it was read.
    pub record: RecordInfo,
    /// A stable, machine-readable kind.
    pub kind: &'static str,
    /// A human-readable explanation.
    pub message: String,
}

impl From<RecordError> for Failure {
    fn from(e: RecordError) -> Self {
        Failure {
            kind: match e.kind {
                RecordErrorKind::Io => "io",
                RecordErrorKind::Malformed | RecordErrorKind::Truncated => "warc",
            },
            message: e.to_string(),
            record: RecordInfo {
                target_uri: e.target_uri,
                record_id: e.record_id,
                date: None,
                offset: e.offset,
            },
        }
    }
}

/// What [`Pages`] yields for each record.
#[derive(Debug, Clone)]
pub enum Item {
    /// An HTML page to extract.
    Page(Page),
    /// A record passed over, and why.
    Skipped(Skip),
    /// A damaged record, or one over the size limit.
    Failed(Failure),
}

/// Iterates over the records of a WARC stream, reading the body of HTML
/// responses and skipping every other block unread.
///
/// A response is a page when its HTTP status is 200 and its
/// `Content-Type` is `text/html` or `application/xhtml+xml` (or missing,
/// and the body looks like HTML). Bodies larger than `max_bytes` are not
/// read: they become `too_large` failures. Memory use is bounded by
/// `max_bytes`, whatever the size of the stream.
///
/// ```
/// use copydesk::warc::{Item, Pages, WarcWriter};
/// let date = chrono::DateTime::from_timestamp(0, 0).unwrap();
/// let mut w = WarcWriter::new(Vec::new(), true);
/// w.write_warcinfo(&[("software", "test")])?;
/// w.write_response("https://a.example/", date,
///     b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>Hello</p>")?;
/// w.write_response("https://b.example/", date, b"HTTP/1.1 404 Not Found\r\n\r\n")?;
/// let bytes = w.into_inner()?;
///
/// let items: Vec<Item> = Pages::new(&bytes[..], 1 << 20)?.collect();
/// assert!(matches!(&items[0], Item::Skipped(_)));
/// let Item::Page(page) = &items[1] else { panic!() };
/// assert_eq!(page.record.target_uri.as_deref(), Some("https://a.example/"));
/// assert_eq!(page.clone().html(1 << 20).unwrap().unwrap(), b"<p>Hello</p>");
/// assert!(matches!(&items[2], Item::Skipped(copydesk::warc::Skip::Status(404))));
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct Pages<R> {
    reader: WarcReader<R>,
    max_bytes: usize,
}

impl<R: Read> Pages<R> {
    /// Pages of the WARC stream `inner` (plain or gzipped), with bodies up
    /// to `max_bytes`. Fails only if the first bytes cannot be read.
    pub fn new(inner: R, max_bytes: usize) -> std::io::Result<Self> {
        Ok(Pages {
            reader: WarcReader::new(inner)?,
            max_bytes,
        })
    }

    /// Classifies the record whose header was just read, reading its body
    /// only if it is an HTML page.
    fn classify(&mut self, head: &RecordHead) -> Item {
        let warc_type = head.header.warc_type().unwrap_or("(none)");
        if !warc_type.eq_ignore_ascii_case("response") {
            return Item::Skipped(Skip::Type(warc_type.to_owned()));
        }
        let http_block = head.header.content_type().is_none_or(|ct| {
            ct.trim_start()
                .to_ascii_lowercase()
                .starts_with("application/http")
        });
        if !http_block {
            return Item::Skipped(Skip::NotHttp);
        }
        let record = RecordInfo::of(head);
        let fail = |kind, message: String| {
            Item::Failed(Failure {
                record: record.clone(),
                kind,
                message,
            })
        };
        let http = match HttpHead::read(&mut self.reader.block()) {
            Ok(http) => http,
            Err(HeadError::Io(e)) => return fail("warc", e.to_string()),
            Err(HeadError::Malformed(why)) => {
                return fail("warc", format!("response record: {why}"));
            }
        };
        if http.status != 200 {
            return Item::Skipped(Skip::Status(http.status));
        }
        if http.declares_html() == Some(false) {
            return Item::Skipped(Skip::NotHtml);
        }
        let size = self.reader.block_remaining();
        if size > self.max_bytes as u64 {
            // Left unread: the next record skips it.
            let e = crate::Error::TooLarge {
                size: usize::try_from(size).unwrap_or(usize::MAX),
                limit: self.max_bytes,
            };
            return fail(e.kind(), e.to_string());
        }
        let mut body = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        if let Err(e) = self.reader.block().read_to_end(&mut body) {
            return fail("warc", e.to_string());
        }
        Item::Page(Page { record, http, body })
    }
}

impl<R: Read> Iterator for Pages<R> {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        Some(match self.reader.next_record()? {
            Ok(head) => self.classify(&head),
            Err(e) => Item::Failed(e.into()),
        })
    }
}
