//! Writing WARC/1.1 records: `warcinfo`, `request` and `response`, plain or
//! as one gzip member per record.

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;

use chrono::{DateTime, SecondsFormat, Utc};
use flate2::write::GzEncoder;
use flate2::Compression;
use sha1::{Digest, Sha1};

/// Writes WARC/1.1 records to `W`.
///
/// When gzipped, every record is a gzip member of its own (the layout of
/// Common Crawl and of `wget --warc-file`), so the byte offset of a record
/// is a place a reader can seek to and start decompressing. Each record gets
/// a fresh `WARC-Record-ID`, a `WARC-Date`, its `Content-Length` and a
/// `WARC-Block-Digest`; HTTP records also get a `WARC-Payload-Digest`
/// (SHA-1 of the entity body, base32, as Common Crawl writes it). Once a
/// `warcinfo` record is written, later records point to it with
/// `WARC-Warcinfo-ID`.
///
/// The writer does no buffering of its own: wrap `W` in a
/// [`std::io::BufWriter`] when writing plain records to a file.
///
/// ```
/// use copydesk::warc::WarcWriter;
/// let date = chrono::DateTime::from_timestamp(1_714_557_600, 0).unwrap();
/// let mut w = WarcWriter::new(Vec::new(), false);
/// let info = w.write_warcinfo(&[("software", "copydesk")])?;
/// let id = w.write_response(
///     "https://example.com/",
///     date,
///     b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>Hi</p>",
/// )?;
/// assert!(id.starts_with("<urn:uuid:") && id != info);
/// let bytes = w.into_inner()?;
/// let text = String::from_utf8_lossy(&bytes);
/// assert!(text.starts_with("WARC/1.1\r\nWARC-Type: warcinfo\r\n"));
/// assert!(text.contains("WARC-Date: 2024-05-01T10:00:00Z\r\n"));
/// assert!(text.contains("Content-Type: application/http; msgtype=response\r\n"));
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct WarcWriter<W: Write> {
    inner: W,
    gzip: bool,
    /// The file name given to [`WarcWriter::create_gz`], recorded in `warcinfo`.
    filename: Option<String>,
    /// The ID of the last `warcinfo` record, which later records refer to.
    warcinfo_id: Option<String>,
}

impl WarcWriter<File> {
    /// Creates (or truncates) the file at `path` and writes gzipped records
    /// to it, one gzip member per record.
    ///
    /// ```
    /// let dir = tempfile::tempdir()?;
    /// let path = dir.path().join("crawl.warc.gz");
    /// let mut w = copydesk::warc::WarcWriter::create_gz(&path)?;
    /// w.write_warcinfo(&[("software", "copydesk")])?;
    /// w.flush()?;
    /// assert_eq!(&std::fs::read(&path)?[..2], &[0x1f, 0x8b]); // gzip magic
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn create_gz(path: &Path) -> io::Result<Self> {
        let mut writer = WarcWriter::new(File::create(path)?, true);
        writer.filename = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned());
        Ok(writer)
    }
}

impl<W: Write> WarcWriter<W> {
    /// Writes records to `inner`, each as its own gzip member if `gzip`.
    ///
    /// ```
    /// let w = copydesk::warc::WarcWriter::new(std::io::sink(), true);
    /// # drop(w);
    /// ```
    pub fn new(inner: W, gzip: bool) -> Self {
        WarcWriter {
            inner,
            gzip,
            filename: None,
            warcinfo_id: None,
        }
    }

    /// Writes a `warcinfo` record whose block holds `fields` as
    /// `name: value` lines (`application/warc-fields`), such as
    /// `("software", "copydesk/0.1")` or `("operator", "...")`; returns its
    /// `WARC-Record-ID`. Records written after it refer to it.
    ///
    /// ```
    /// let mut w = copydesk::warc::WarcWriter::new(Vec::new(), false);
    /// w.write_warcinfo(&[("software", "copydesk"), ("format", "WARC File Format 1.1")])?;
    /// let text = String::from_utf8(w.into_inner()?).unwrap();
    /// assert!(text.contains("\r\n\r\nsoftware: copydesk\r\nformat: WARC File Format 1.1\r\n"));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn write_warcinfo(&mut self, fields: &[(&str, &str)]) -> io::Result<String> {
        let mut block = Vec::new();
        for (name, value) in fields {
            block.extend_from_slice(one_line(name).as_bytes());
            block.extend_from_slice(b": ");
            block.extend_from_slice(one_line(value).as_bytes());
            block.extend_from_slice(b"\r\n");
        }
        let filename = self.filename.clone();
        let mut headers = Vec::new();
        if let Some(name) = &filename {
            headers.push(("WARC-Filename", name.as_str()));
        }
        let id = self.write_record(
            "warcinfo",
            system_now(),
            &headers,
            "application/warc-fields",
            &block,
        )?;
        self.warcinfo_id = Some(id.clone());
        Ok(id)
    }

    /// Writes a `request` record for `target_uri`: `http_request` is the
    /// request as sent (request line, headers, blank line, body if any).
    /// `concurrent_to` names the response record it belongs with, if already
    /// written. Returns the record's `WARC-Record-ID`.
    ///
    /// ```
    /// let date = chrono::DateTime::from_timestamp(0, 0).unwrap();
    /// let mut w = copydesk::warc::WarcWriter::new(Vec::new(), false);
    /// let resp = w.write_response("https://example.com/", date, b"HTTP/1.1 200 OK\r\n\r\n")?;
    /// w.write_request("https://example.com/", date,
    ///     b"GET / HTTP/1.1\r\nHost: example.com\r\n\r\n", Some(&resp))?;
    /// let text = String::from_utf8(w.into_inner()?).unwrap();
    /// assert!(text.contains(&format!("WARC-Concurrent-To: {resp}\r\n")));
    /// assert!(text.contains("msgtype=request"));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn write_request(
        &mut self,
        target_uri: &str,
        date: DateTime<Utc>,
        http_request: &[u8],
        concurrent_to: Option<&str>,
    ) -> io::Result<String> {
        let target = one_line(target_uri);
        let mut headers = vec![("WARC-Target-URI", target.as_ref())];
        if let Some(other) = concurrent_to {
            headers.push(("WARC-Concurrent-To", other));
        }
        self.write_http("request", date, &headers, http_request)
    }

    /// Writes a `response` record for `target_uri`: `http_response` is the
    /// response as received (status line, headers, blank line, body).
    /// Returns the record's `WARC-Record-ID`.
    ///
    /// ```
    /// let date = chrono::DateTime::from_timestamp(0, 0).unwrap();
    /// let mut w = copydesk::warc::WarcWriter::new(Vec::new(), false);
    /// w.write_response("https://example.com/", date, b"HTTP/1.1 200 OK\r\n\r\nhello")?;
    /// let text = String::from_utf8(w.into_inner()?).unwrap();
    /// // Block: 19 bytes of head and 5 of body; every record ends in two CRLFs.
    /// assert!(text.contains("Content-Length: 24\r\n\r\nHTTP/1.1 200 OK\r\n\r\nhello\r\n\r\n"));
    /// assert!(text.contains("WARC-Payload-Digest: sha1:"));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn write_response(
        &mut self,
        target_uri: &str,
        date: DateTime<Utc>,
        http_response: &[u8],
    ) -> io::Result<String> {
        let target = one_line(target_uri);
        self.write_http(
            "response",
            date,
            &[("WARC-Target-URI", target.as_ref())],
            http_response,
        )
    }

    /// Writes any record: `warc_type` (`resource`, `metadata`, ...), its
    /// date, extra named fields, the block's content type and the block.
    /// Record ID, length, block digest and the warcinfo link are added.
    /// Returns the record's `WARC-Record-ID`.
    ///
    /// ```
    /// let date = chrono::DateTime::from_timestamp(0, 0).unwrap();
    /// let mut w = copydesk::warc::WarcWriter::new(Vec::new(), false);
    /// w.write_record("resource", date, &[("WARC-Target-URI", "urn:x")], "text/plain", b"hi")?;
    /// let text = String::from_utf8(w.into_inner()?).unwrap();
    /// assert!(text.starts_with("WARC/1.1\r\nWARC-Type: resource\r\n"));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn write_record(
        &mut self,
        warc_type: &str,
        date: DateTime<Utc>,
        fields: &[(&str, &str)],
        content_type: &str,
        block: &[u8],
    ) -> io::Result<String> {
        let id = new_record_id();
        let mut head = String::with_capacity(512);
        let mut field = |name: &str, value: &str| {
            head.push_str(&one_line(name));
            head.push_str(": ");
            head.push_str(&one_line(value));
            head.push_str("\r\n");
        };
        field("WARC-Type", warc_type);
        field("WARC-Record-ID", &id);
        field(
            "WARC-Date",
            &date.to_rfc3339_opts(SecondsFormat::AutoSi, true),
        );
        if let Some(info) = &self.warcinfo_id {
            if warc_type != "warcinfo" {
                field("WARC-Warcinfo-ID", info);
            }
        }
        for (name, value) in fields {
            field(name, value);
        }
        field("Content-Type", content_type);
        field("WARC-Block-Digest", &sha1_digest(block));
        field("Content-Length", &block.len().to_string());
        let mut record = String::with_capacity(head.len() + 16);
        record.push_str("WARC/1.1\r\n");
        record.push_str(&head);
        record.push_str("\r\n");
        self.emit(record.as_bytes(), block)?;
        Ok(id)
    }

    /// The underlying writer (to see how much was written, for instance).
    ///
    /// ```
    /// let w = copydesk::warc::WarcWriter::new(Vec::<u8>::new(), false);
    /// assert!(w.get_ref().is_empty());
    /// ```
    pub fn get_ref(&self) -> &W {
        &self.inner
    }

    /// Flushes the underlying writer.
    pub fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }

    /// Flushes and returns the underlying writer.
    pub fn into_inner(mut self) -> io::Result<W> {
        self.inner.flush()?;
        Ok(self.inner)
    }

    /// A `request` or `response` record: an HTTP message as the block.
    fn write_http(
        &mut self,
        msgtype: &str,
        date: DateTime<Utc>,
        fields: &[(&str, &str)],
        message: &[u8],
    ) -> io::Result<String> {
        let payload_digest = http_body(message).map(sha1_digest);
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        if let Some(digest) = &payload_digest {
            all.push(("WARC-Payload-Digest", digest));
        }
        let content_type = format!("application/http; msgtype={msgtype}");
        self.write_record(msgtype, date, &all, &content_type, message)
    }

    /// Writes head, block and the closing CRLFs, as one gzip member if
    /// compressing.
    fn emit(&mut self, head: &[u8], block: &[u8]) -> io::Result<()> {
        if self.gzip {
            let mut member = GzEncoder::new(&mut self.inner, Compression::default());
            member.write_all(head)?;
            member.write_all(block)?;
            member.write_all(b"\r\n\r\n")?;
            member.finish()?;
        } else {
            self.inner.write_all(head)?;
            self.inner.write_all(block)?;
            self.inner.write_all(b"\r\n\r\n")?;
        }
        Ok(())
    }
}

/// The current time, for `warcinfo` records. chrono's `clock` feature is
/// not enabled in this crate, so the system clock is read directly.
fn system_now() -> DateTime<Utc> {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let secs = i64::try_from(since.as_secs()).unwrap_or(0);
    DateTime::from_timestamp(secs, since.subsec_nanos()).unwrap_or_default()
}

/// A new `<urn:uuid:...>` record ID (a random, version 4 UUID).
fn new_record_id() -> String {
    format!("<urn:uuid:{}>", uuid::Uuid::new_v4())
}

/// `sha1:` and the base32 SHA-1 of `bytes`, the digest form WARC tools use.
fn sha1_digest(bytes: &[u8]) -> String {
    format!(
        "sha1:{}",
        data_encoding::BASE32.encode(&Sha1::digest(bytes))
    )
}

/// The body of an HTTP message: what follows the first blank line, or
/// `None` when there is no blank line (then there is no payload to digest).
fn http_body(message: &[u8]) -> Option<&[u8]> {
    message
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|end| &message[end + 4..])
}

/// A field name or value with line breaks replaced by spaces, so a caller's
/// value (a URL with a stray newline, say) cannot break the record's header.
fn one_line(value: &str) -> std::borrow::Cow<'_, str> {
    if value.contains(['\r', '\n']) {
        value.replace(['\r', '\n'], " ").into()
    } else {
        value.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_ids_are_urn_uuids_and_unique() {
        let a = new_record_id();
        assert_eq!(a.len(), "<urn:uuid:>".len() + 36);
        assert_ne!(a, new_record_id());
    }

    #[test]
    fn digests_are_sha1_base32() {
        // SHA-1 of "" is da39a3ee5e6b4b0d3255bfef95601890afd80709.
        assert_eq!(sha1_digest(b""), "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ");
    }

    #[test]
    fn gzip_records_are_separate_members() {
        use std::io::Read;
        let date = DateTime::from_timestamp(0, 0).unwrap();
        let mut w = WarcWriter::new(Vec::new(), true);
        w.write_response("https://a/", date, b"HTTP/1.1 200 OK\r\n\r\na")
            .unwrap();
        w.write_response("https://b/", date, b"HTTP/1.1 200 OK\r\n\r\nb")
            .unwrap();
        let bytes = w.into_inner().unwrap();
        // A single-member decoder stops after the first record.
        let mut first = String::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut first)
            .unwrap();
        assert!(first.contains("https://a/") && !first.contains("https://b/"));
        let mut all = String::new();
        flate2::read::MultiGzDecoder::new(&bytes[..])
            .read_to_string(&mut all)
            .unwrap();
        assert_eq!(all.matches("WARC/1.1\r\n").count(), 2);
    }

    #[test]
    fn line_breaks_in_values_cannot_forge_fields() {
        let date = DateTime::from_timestamp(0, 0).unwrap();
        let mut w = WarcWriter::new(Vec::new(), false);
        w.write_response("https://a/\r\nWARC-Type: evil", date, b"")
            .unwrap();
        let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
        assert!(text.contains("WARC-Target-URI: https://a/  WARC-Type: evil\r\n"));
        assert!(!text.contains("\r\nWARC-Type: evil"));
    }
}
