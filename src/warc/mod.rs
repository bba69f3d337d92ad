//! WARC files in and out: a writer for crawls and a streaming reader for
//! extracting the pages of web archives.
//!
//! [`WarcWriter`] writes WARC/1.1 records, each its own gzip member when
//! compressed, so that a reader can seek to any record and start there.

mod writer;

pub use writer::WarcWriter;
