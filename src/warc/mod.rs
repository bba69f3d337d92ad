//! WARC files in and out: a writer for crawls and a streaming reader for
//! extracting the pages of web archives.
//!
//! - [`WarcWriter`] writes WARC/1.1 records, each its own gzip member when
//!   compressed, so that a reader can seek to any record and start there.
//! - [`WarcReader`] reads records one at a time from a plain or gzipped
//!   stream (one gzip member per record, as Common Crawl and `wget` write
//!   them, or one member for the whole file), reporting the byte offset of
//!   each record and resynchronising after damage.
//! - [`Pages`] sits on a reader and yields the HTML pages: `response`
//!   records with status 200 and an HTML payload, bodies up to a size cap.
//! - [`HttpHead`] parses the stored HTTP response and undoes chunking and
//!   gzip/deflate in its body.
//!
//! ```
//! use copydesk::warc::{Item, Pages, WarcWriter};
//! let date = chrono::DateTime::from_timestamp(1_714_557_600, 0).unwrap();
//! let mut writer = WarcWriter::new(Vec::new(), true);
//! writer.write_response("https://example.com/rain", date,
//!     b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n\
//!       <article><p>Rain is expected across the north on Friday, forecasters said.</p></article>")?;
//! let warc_gz = writer.into_inner()?;
//!
//! let extractor = copydesk::Extractor::default();
//! for item in Pages::new(&warc_gz[..], extractor.options().max_bytes)? {
//!     if let Item::Page(page) = item {
//!         let url = page.record.target_uri.clone();
//!         let content_type = page.content_type().map(str::to_owned);
//!         let html = page.html(extractor.options().max_bytes).unwrap().unwrap();
//!         let article = extractor.extract_bytes(&html, content_type.as_deref(), url.as_deref());
//!         assert!(article.text.starts_with("Rain is expected"));
//!     }
//! }
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! Why not the `warc` crate (0.4): it reads whole-file gzip through
//! libflate but does not report gzip member offsets, stops at the first
//! malformed record instead of resynchronising, and pulls in an old `uuid`
//! and `nom`; its writer does not gzip record by record. The reader here is
//! a few hundred lines over `flate2`'s single-member decoder, which leaves
//! the compressed stream positioned right after each member — exactly what
//! offsets and per-member recovery need.

mod header;
mod http;
mod pages;
mod reader;
mod source;
mod writer;

pub use header::Header;
pub use http::{looks_like_html, BodyError, HeadError, HttpHead};
pub use pages::{Failure, Item, Page, Pages, RecordInfo, Skip};
pub use reader::{Block, RecordError, RecordErrorKind, RecordHead, WarcReader};
pub use writer::WarcWriter;
