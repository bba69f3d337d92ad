//! Streaming WARC record reader: headers one at a time, blocks read or
//! skipped without being held whole, and resynchronisation on damage.

use std::io::{self, BufRead, Read};

use super::header::{self, Header};
use super::source::{Position, Source};

/// How a record failed to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordErrorKind {
    /// Bytes that are not a WARC record where one should start (garbage
    /// between records, a bad header, a block longer than announced).
    Malformed,
    /// The stream ended inside a record.
    Truncated,
    /// The stream itself could not be read (a disk or network error, or
    /// gzip data that cannot be decompressed).
    Io,
}

/// A record that could not be read, or bytes that are not a record. The
/// reader has already moved on to the next record when this is returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordError {
    /// What went wrong.
    pub kind: RecordErrorKind,
    /// A human-readable explanation.
    pub message: String,
    /// Where the damaged record (or the unexpected bytes) began, in the
    /// sense of [`RecordHead::offset`].
    pub offset: Option<u64>,
    /// The damaged record's ID and target URI, when its header was read.
    pub record_id: Option<String>,
    /// The damaged record's `WARC-Target-URI`, when its header was read.
    pub target_uri: Option<String>,
}

impl std::fmt::Display for RecordError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.offset {
            Some(offset) => write!(f, "at offset {offset}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for RecordError {}

/// The header of a record, and where the record starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordHead {
    /// The named fields.
    pub header: Header,
    /// The length of the block, from `Content-Length`.
    pub length: u64,
    /// A byte offset from which the record can be read back: in a plain
    /// WARC, the offset of its first byte; in a gzipped WARC, the compressed
    /// offset of the gzip member that begins with it (seek there and
    /// decompress, as Common Crawl's indexes do). `None` for a record that
    /// sits inside a gzip member after another record (a whole-file
    /// gzip), where there is no such offset.
    pub offset: Option<u64>,
}

/// Reads WARC records one at a time from a plain or gzipped stream.
///
/// [`next_record`](WarcReader::next_record) returns each header; the
/// block can then be read with [`block`](WarcReader::block), or left: the
/// next call skips what is unread. Nothing is held but a few buffers, so
/// memory does not depend on the size of the file or of its records.
///
/// Damage does not end the stream: garbage between records, a malformed
/// header, a record cut short or a corrupt gzip member each yield one
/// [`RecordError`], and the reader carries on at the next line that starts
/// with `WARC/1.` (in gzipped files, at the next gzip member).
///
/// ```
/// use copydesk::warc::{WarcReader, WarcWriter};
/// use std::io::Read;
/// let date = chrono::DateTime::from_timestamp(0, 0).unwrap();
/// let mut w = WarcWriter::new(Vec::new(), true);
/// w.write_response("https://example.com/", date, b"HTTP/1.1 200 OK\r\n\r\n<p>Hi</p>")?;
/// let bytes = w.into_inner()?;
///
/// let mut reader = WarcReader::new(&bytes[..])?;
/// let head = reader.next_record().unwrap().unwrap();
/// assert_eq!(head.header.warc_type(), Some("response"));
/// assert_eq!(head.header.target_uri(), Some("https://example.com/"));
/// assert_eq!(head.offset, Some(0));
/// let mut block = String::new();
/// reader.block().read_to_string(&mut block)?;
/// assert!(block.ends_with("<p>Hi</p>"));
/// assert!(reader.next_record().is_none());
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct WarcReader<R> {
    source: Source<R>,
    /// Bytes of the current block not yet read.
    remaining: u64,
    /// The current record, for error reports about its block.
    current: Option<RecordHead>,
    /// A header read after a stretch of garbage: the garbage is reported
    /// first, the header on the following call.
    pending: Option<Result<RecordHead, RecordError>>,
    /// The gzip member in which the last record began: a record starting in
    /// the same member has no offset of its own.
    last_member: Option<u64>,
    /// After a malformed header: skip, without reporting, to the next
    /// `WARC/1.` line (the bytes in between are that record's).
    resyncing: bool,
    /// A source error already reported: recover before the next record.
    needs_recovery: bool,
    finished: bool,
}

impl<R: Read> WarcReader<R> {
    /// Reads WARC records from `inner`, plain or gzipped (sniffed from the
    /// first bytes). Fails only if those first bytes cannot be read.
    pub fn new(inner: R) -> io::Result<Self> {
        Ok(WarcReader {
            source: Source::new(inner)?,
            remaining: 0,
            current: None,
            pending: None,
            last_member: None,
            resyncing: false,
            needs_recovery: false,
            finished: false,
        })
    }

    /// Whether the stream is gzipped.
    ///
    /// ```
    /// let reader = copydesk::warc::WarcReader::new(&b"WARC/1.1\r\n"[..])?;
    /// assert!(!reader.is_gzip());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn is_gzip(&self) -> bool {
        self.source.is_gzip()
    }

    /// The next record's header, after skipping the unread rest of the
    /// current block; `None` at the end of the stream. An `Err` reports one
    /// damaged record or stretch of garbage; call again to go on.
    pub fn next_record(&mut self) -> Option<Result<RecordHead, RecordError>> {
        let next = self.advance()?;
        if let Ok(head) = &next {
            self.remaining = head.length;
            self.current = Some(head.clone());
        }
        Some(next)
    }

    /// The unread rest of the current record's block, as a reader that ends
    /// where the block does. If the stream fails or ends inside the block,
    /// reading fails (with [`io::ErrorKind::UnexpectedEof`] for a cut-short
    /// record); that failure is the record's report, and
    /// [`next_record`](WarcReader::next_record) goes on after it.
    pub fn block(&mut self) -> Block<'_, R> {
        Block { reader: self }
    }

    /// Bytes of the current record's block not yet read.
    pub fn block_remaining(&self) -> u64 {
        self.remaining
    }

    fn advance(&mut self) -> Option<Result<RecordHead, RecordError>> {
        if let Some(pending) = self.pending.take() {
            return Some(pending);
        }
        if self.finished {
            return None;
        }
        if self.needs_recovery {
            self.needs_recovery = false;
            self.remaining = 0;
            self.current = None;
            if !self.source.recover() {
                self.finished = true;
                return None;
            }
            self.resyncing = true;
        }
        if let Err(e) = self.finish_block() {
            return Some(Err(e));
        }
        self.current = None;
        self.read_head().transpose()
    }

    /// Skips the rest of the current block.
    fn finish_block(&mut self) -> Result<(), RecordError> {
        if self.remaining == 0 {
            return Ok(());
        }
        let wanted = self.remaining;
        let skipped = io::copy(&mut (&mut self.source).take(wanted), &mut io::sink());
        self.remaining = 0;
        let error = match skipped {
            Ok(n) if n == wanted => return Ok(()),
            Ok(_) => io::Error::from(io::ErrorKind::UnexpectedEof),
            Err(e) => e,
        };
        Err(self.fail_current(&error))
    }

    /// Turns a source error inside the current record into its report and
    /// arranges what follows: the end for a cut-short stream, recovery for
    /// damaged data.
    fn fail_current(&mut self, e: &io::Error) -> RecordError {
        let current = self.current.take();
        self.remaining = 0;
        let kind = self.after_source_error(e);
        let what = match current.as_ref().and_then(|h| h.header.warc_type()) {
            Some(kind) => format!("{kind} record"),
            None => "record".to_owned(),
        };
        let message = match kind {
            RecordErrorKind::Truncated => {
                format!("{what} is cut short: the stream ends inside its block")
            }
            _ => format!("{what} cannot be read: {e}"),
        };
        RecordError {
            kind,
            message,
            offset: current.as_ref().and_then(|h| h.offset),
            record_id: current
                .as_ref()
                .and_then(|h| h.header.record_id().map(str::to_owned)),
            target_uri: current
                .as_ref()
                .and_then(|h| h.header.target_uri().map(str::to_owned)),
        }
    }

    /// Classifies a source error and sets up what comes next.
    fn after_source_error(&mut self, e: &io::Error) -> RecordErrorKind {
        match e.kind() {
            io::ErrorKind::UnexpectedEof => {
                self.finished = true;
                RecordErrorKind::Truncated
            }
            // What flate2 reports for corrupt gzip data, and `Source` for
            // bytes between members that are not gzip.
            io::ErrorKind::InvalidData | io::ErrorKind::InvalidInput => {
                self.needs_recovery = true;
                RecordErrorKind::Malformed
            }
            _ => {
                // A disk or network failure; recovery, if the stream allows
                // any, is tried (and ends the stream if it cannot go on).
                self.needs_recovery = true;
                RecordErrorKind::Io
            }
        }
    }

    /// A source error between records.
    fn stream_error(&mut self, e: &io::Error, at: Option<u64>) -> RecordError {
        let kind = self.after_source_error(e);
        let message = match kind {
            RecordErrorKind::Truncated => "the stream ends inside a record".to_owned(),
            _ => format!("cannot read the stream: {e}"),
        };
        RecordError {
            kind,
            message,
            offset: at,
            record_id: None,
            target_uri: None,
        }
    }

    /// The offset to report for a record or garbage at `position`; `claim`
    /// marks the position's gzip member as holding a record.
    fn offset_of(&mut self, position: Position, claim: bool) -> Option<u64> {
        match position {
            Position::Plain(offset) => Some(offset),
            Position::Member { seq, start } => {
                let first = self.last_member != Some(seq);
                if claim {
                    self.last_member = Some(seq);
                }
                first.then_some(start)
            }
        }
    }

    /// Reads up to and including the next record header. Blank lines before
    /// it are skipped; other bytes are reported once, as one error, and the
    /// header that follows them is kept for the next call.
    fn read_head(&mut self) -> Result<Option<RecordHead>, RecordError> {
        // Where unexpected bytes began, and how many there were.
        let mut garbage: Option<(Option<u64>, u64)> = None;
        loop {
            let position = self.source.position();
            let line = match header::read_line(&mut self.source, header::MAX_LINE) {
                Ok(Some(line)) => line,
                Ok(None) => {
                    self.finished = true;
                    return match garbage {
                        Some((at, n)) => Err(garbage_error(at, n)),
                        None => Ok(None),
                    };
                }
                Err(e) => {
                    let at = self.offset_of(position, false);
                    return Err(self.stream_error(&e, at));
                }
            };
            if line.content.starts_with(b"WARC/1.") {
                self.resyncing = false;
                let offset = self.offset_of(position, true);
                let head = self.read_fields(offset);
                return match garbage {
                    Some((at, n)) => {
                        self.pending = Some(head);
                        Err(garbage_error(at, n))
                    }
                    None => head.map(Some),
                };
            }
            if self.resyncing || line.content.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            match &mut garbage {
                Some((_, n)) => *n += line.length,
                None => garbage = Some((self.offset_of(position, false), line.length)),
            }
        }
    }

    /// Reads the named fields after a version line, up to the blank line.
    fn read_fields(&mut self, offset: Option<u64>) -> Result<RecordHead, RecordError> {
        let mut header = Header::default();
        let mut size = 0usize;
        let malformed = |message: String, header: &Header| RecordError {
            kind: RecordErrorKind::Malformed,
            message,
            offset,
            record_id: header.record_id().map(str::to_owned),
            target_uri: header.target_uri().map(str::to_owned),
        };
        loop {
            let line = match header::read_line(&mut self.source, header::MAX_LINE) {
                Ok(Some(line)) => line,
                Ok(None) => {
                    self.finished = true;
                    return Err(RecordError {
                        kind: RecordErrorKind::Truncated,
                        message: "record is cut short: the stream ends inside its header"
                            .to_owned(),
                        ..malformed(String::new(), &header)
                    });
                }
                Err(e) => {
                    let mut error = self.stream_error(&e, offset);
                    error.record_id = header.record_id().map(str::to_owned);
                    error.target_uri = header.target_uri().map(str::to_owned);
                    return Err(error);
                }
            };
            if line.content.is_empty() {
                break;
            }
            size += line.content.len();
            if line.cut || size > header::MAX_HEADER {
                self.resyncing = true;
                return Err(malformed("record header is too long".to_owned(), &header));
            }
            if !header.push_line(&line.content) {
                self.resyncing = true;
                let shown = String::from_utf8_lossy(&line.content[..line.content.len().min(60)])
                    .into_owned();
                return Err(malformed(
                    format!("record header has a line that is not a field: {shown:?}"),
                    &header,
                ));
            }
        }
        let Some(length) = header.content_length() else {
            self.resyncing = true;
            return Err(malformed(
                "record header has no valid Content-Length".to_owned(),
                &header,
            ));
        };
        Ok(RecordHead {
            header,
            length,
            offset,
        })
    }
}

fn garbage_error(at: Option<u64>, bytes: u64) -> RecordError {
    RecordError {
        kind: RecordErrorKind::Malformed,
        message: format!("{bytes} bytes that are not a WARC record were skipped"),
        offset: at,
        record_id: None,
        target_uri: None,
    }
}

/// The block of the current record: reads end where the block does.
pub struct Block<'a, R> {
    reader: &'a mut WarcReader<R>,
}

impl<R: Read> Read for Block<'_, R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for Block<'_, R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        let reader = &mut *self.reader;
        if reader.remaining == 0 {
            return Ok(&[]);
        }
        let failure = match reader.source.fill_buf() {
            Ok([]) => io::Error::from(io::ErrorKind::UnexpectedEof),
            Ok(_) => {
                // Borrow again: the one above ends with the match arm.
                let remaining = reader.remaining;
                let buf = reader.source.fill_buf()?;
                let n = buf
                    .len()
                    .min(usize::try_from(remaining).unwrap_or(usize::MAX));
                return Ok(&buf[..n]);
            }
            Err(e) => e,
        };
        // The failure is this record's report: the reader moves on quietly.
        let error = reader.fail_current(&failure);
        Err(io::Error::new(failure.kind(), error.message))
    }

    fn consume(&mut self, amt: usize) {
        let amt = amt.min(usize::try_from(self.reader.remaining).unwrap_or(usize::MAX));
        self.reader.source.consume(amt);
        self.reader.remaining -= amt as u64;
    }
}
