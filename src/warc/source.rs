//! The byte stream under the record parser: plain or gzipped WARC, with the
//! compressed offsets of gzip members, and recovery from corrupt members.

use std::io::{self, BufRead, Read};

use flate2::bufread::GzDecoder;

/// Size of the read buffers, compressed and decompressed.
const BUFFER: usize = 64 * 1024;

/// The first bytes of every gzip member: magic number and the deflate method.
const GZIP_MAGIC: [u8; 3] = [0x1f, 0x8b, 0x08];

/// A buffered reader over the raw (possibly compressed) bytes that counts
/// what it has handed out — the file offset of the next byte — and can
/// look a few bytes ahead across refills, which `BufReader` cannot.
struct Counting<R> {
    inner: R,
    buf: Box<[u8]>,
    pos: usize,
    filled: usize,
    offset: u64,
}

impl<R: Read> Counting<R> {
    fn new(inner: R) -> Self {
        Counting {
            inner,
            buf: vec![0; BUFFER].into_boxed_slice(),
            pos: 0,
            filled: 0,
            offset: 0,
        }
    }

    /// Buffers at least `n` bytes (fewer only at the end of the stream) and
    /// returns the buffered bytes.
    fn fill_at_least(&mut self, n: usize) -> io::Result<&[u8]> {
        if self.filled - self.pos < n {
            self.buf.copy_within(self.pos..self.filled, 0);
            self.filled -= self.pos;
            self.pos = 0;
            while self.filled < n {
                match self.inner.read(&mut self.buf[self.filled..]) {
                    Ok(0) => break,
                    Ok(got) => self.filled += got,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(&self.buf[self.pos..self.filled])
    }
}

/// `Read::read` for a reader whose buffer does the work: copy what
/// `fill_buf` has, then consume it.
fn read_buffered(src: &mut impl BufRead, out: &mut [u8]) -> io::Result<usize> {
    let available = src.fill_buf()?;
    let n = available.len().min(out.len());
    out[..n].copy_from_slice(&available[..n]);
    src.consume(n);
    Ok(n)
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        read_buffered(self, out)
    }
}

impl<R: Read> BufRead for Counting<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.fill_at_least(1)
    }

    fn consume(&mut self, amt: usize) {
        let amt = amt.min(self.filled - self.pos);
        self.pos += amt;
        self.offset += amt as u64;
    }
}

/// Where the bytes about to be read came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Position {
    /// A plain WARC: the byte offset in the file.
    Plain(u64),
    /// A gzipped WARC: the member's sequence number (from 0) and the
    /// compressed offset of its first byte.
    Member { seq: u64, start: u64 },
}

/// The decompressed bytes of a WARC stream, plain or gzip (one member per
/// record, one member for the whole file, or anything between).
///
/// Gzip is recognised by its magic number, not by the file name, so
/// standard input and URLs work either way.
pub(crate) struct Source<R> {
    state: State<R>,
    /// Decompressed bytes not yet consumed: `buf[pos..filled]`.
    buf: Box<[u8]>,
    pos: usize,
    filled: usize,
    /// The member the buffered bytes belong to.
    member_seq: u64,
    member_start: u64,
}

enum State<R> {
    Plain(Counting<R>),
    /// Between gzip members (or before the first).
    Between(Counting<R>),
    /// Inside a gzip member.
    // Boxed: the inflater's state is kilobytes, the other variants a few words.
    Inflating(Box<GzDecoder<Counting<R>>>),
    /// After an I/O error that the decoder swallowed the reader with.
    Poisoned,
}

impl<R: Read> Source<R> {
    /// Wraps `inner`, sniffing whether it is gzipped.
    pub(crate) fn new(inner: R) -> io::Result<Self> {
        let mut raw = Counting::new(inner);
        let gzip = starts_with_gzip_magic(&mut raw)?;
        Ok(Source {
            state: if gzip {
                State::Between(raw)
            } else {
                State::Plain(raw)
            },
            buf: vec![0; if gzip { BUFFER } else { 0 }].into_boxed_slice(),
            pos: 0,
            filled: 0,
            member_seq: 0,
            member_start: 0,
        })
    }

    /// Whether the stream is gzipped.
    pub(crate) fn is_gzip(&self) -> bool {
        !matches!(self.state, State::Plain(_))
    }

    /// Where the next byte comes from. Fills the buffer first, so that in a
    /// gzipped stream a byte at the start of a new member is credited to it.
    pub(crate) fn position(&mut self) -> Position {
        // An error here resurfaces on the next read.
        let _ = self.fill_buf();
        match &self.state {
            State::Plain(raw) => Position::Plain(raw.offset),
            _ => Position::Member {
                seq: self.member_seq,
                start: self.member_start,
            },
        }
    }

    /// Recovers after a decompression error: drops the damaged member and
    /// moves to the next gzip magic number after its start. Returns `false`
    /// when there is nothing to recover from (plain streams, or an I/O
    /// error that lost the reader), so the caller should stop.
    pub(crate) fn recover(&mut self) -> bool {
        self.pos = 0;
        self.filled = 0;
        let raw = match std::mem::replace(&mut self.state, State::Poisoned) {
            State::Plain(raw) => {
                self.state = State::Plain(raw);
                return false;
            }
            State::Poisoned => return false,
            State::Between(raw) => raw,
            State::Inflating(decoder) => decoder.into_inner(),
        };
        let mut raw = raw;
        // Always move past the damaged member's own magic number.
        let floor = self.member_start + 1;
        if raw.offset < floor {
            let skip = floor - raw.offset;
            if io::copy(&mut (&mut raw).take(skip), &mut io::sink()).is_err() {
                return false;
            }
        }
        if skip_to_magic(&mut raw).is_err() {
            return false;
        }
        self.state = State::Between(raw);
        true
    }

    /// Starts the next member if the stream is between members. Returns
    /// `Ok(false)` at the end of the stream.
    fn next_member(&mut self) -> io::Result<bool> {
        let mut raw = match std::mem::replace(&mut self.state, State::Poisoned) {
            State::Between(raw) => raw,
            State::Inflating(decoder) => {
                self.state = State::Inflating(decoder);
                return Ok(true);
            }
            // A plain stream has no members; a poisoned one has ended.
            other => {
                self.state = other;
                return Ok(false);
            }
        };
        let looked = raw
            .fill_at_least(GZIP_MAGIC.len())
            .map(|buf| (buf.is_empty(), buf.starts_with(&GZIP_MAGIC)));
        let offset = raw.offset;
        match looked {
            Ok((true, _)) => {
                self.state = State::Between(raw);
                Ok(false)
            }
            Ok((false, true)) => {
                // The first member keeps number 0; each later one counts up.
                if offset > 0 {
                    self.member_seq += 1;
                }
                self.member_start = offset;
                self.state = State::Inflating(Box::new(GzDecoder::new(raw)));
                Ok(true)
            }
            Ok((false, false)) => {
                self.state = State::Between(raw);
                Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("bytes at offset {offset} are not a gzip member"),
                ))
            }
            Err(e) => {
                self.state = State::Between(raw);
                Err(e)
            }
        }
    }

    /// Decompresses the next piece of the current member into the buffer;
    /// at the member's end, goes back to between members.
    fn inflate(&mut self) -> io::Result<()> {
        match std::mem::replace(&mut self.state, State::Poisoned) {
            State::Inflating(mut decoder) => {
                let read = decoder.read(&mut self.buf);
                match read {
                    Ok(0) => self.state = State::Between(decoder.into_inner()),
                    Ok(n) => {
                        self.pos = 0;
                        self.filled = n;
                        self.state = State::Inflating(decoder);
                    }
                    Err(e) => {
                        self.state = State::Inflating(decoder);
                        return Err(e);
                    }
                }
            }
            other => self.state = other,
        }
        Ok(())
    }
}

impl<R: Read> Read for Source<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        read_buffered(self, out)
    }
}

impl<R: Read> BufRead for Source<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if !self.is_gzip() {
            return match &mut self.state {
                State::Plain(raw) => raw.fill_buf(),
                _ => Ok(&[]),
            };
        }
        // One read from one member per refill: the buffer never mixes two
        // members, so `position` can tell which member a byte is from.
        while self.pos == self.filled {
            if !self.next_member()? {
                break;
            }
            self.inflate()?;
        }
        Ok(&self.buf[self.pos..self.filled])
    }

    fn consume(&mut self, amt: usize) {
        match &mut self.state {
            State::Plain(raw) => raw.consume(amt),
            _ => self.pos = (self.pos + amt).min(self.filled),
        }
    }
}

fn starts_with_gzip_magic<R: Read>(raw: &mut Counting<R>) -> io::Result<bool> {
    Ok(raw
        .fill_at_least(GZIP_MAGIC.len())?
        .starts_with(&GZIP_MAGIC))
}

/// Consumes bytes up to the next gzip magic number (or the end).
fn skip_to_magic<R: Read>(raw: &mut Counting<R>) -> io::Result<()> {
    loop {
        let buf = raw.fill_at_least(GZIP_MAGIC.len())?;
        if buf.len() < GZIP_MAGIC.len() {
            let rest = buf.len();
            raw.consume(rest);
            return Ok(());
        }
        match buf.windows(GZIP_MAGIC.len()).position(|w| w == GZIP_MAGIC) {
            Some(at) => {
                raw.consume(at);
                return Ok(());
            }
            // Keep the last two bytes: they may begin a magic number that
            // the next fill completes.
            None => {
                let n = buf.len() - (GZIP_MAGIC.len() - 1);
                raw.consume(n);
            }
        }
    }
}
