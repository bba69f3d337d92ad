//! Record headers: the named fields of a WARC record, and the line reading
//! that WARC and HTTP headers share.

use std::io::{self, BufRead};

/// Longest header line kept; longer lines make the header malformed.
pub(crate) const MAX_LINE: usize = 64 * 1024;

/// Most bytes of named fields in one header.
pub(crate) const MAX_HEADER: usize = 1024 * 1024;

/// The named fields of a WARC record header (or of an HTTP message head),
/// in order. Names compare case-insensitively, as the standards say.
///
/// ```
/// use copydesk::warc::Header;
/// let h = Header::parse(b"WARC-Type: response\r\nContent-Length: 12\r\n").unwrap();
/// assert_eq!(h.get("warc-type"), Some("response"));
/// assert_eq!(h.content_length(), Some(12));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Header {
    fields: Vec<(String, String)>,
}

impl Header {
    /// Parses `name: value` lines (CRLF or LF, continuation lines starting
    /// with a space or tab joined to the field before), stopping at the
    /// first blank line. Returns `None` if a line is not a field.
    ///
    /// ```
    /// let h = copydesk::warc::Header::parse(b"A: 1\r\n  more\r\n").unwrap();
    /// assert_eq!(h.get("a"), Some("1 more"));
    /// assert!(copydesk::warc::Header::parse(b"no colon here\r\n").is_none());
    /// ```
    pub fn parse(bytes: &[u8]) -> Option<Header> {
        let mut header = Header::default();
        for line in bytes.split(|&b| b == b'\n') {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.is_empty() {
                break;
            }
            if !header.push_line(line) {
                return None;
            }
        }
        Some(header)
    }

    /// Adds one header line (without its line break); `false` if it is
    /// neither a field nor a continuation of one.
    pub(crate) fn push_line(&mut self, line: &[u8]) -> bool {
        let text = String::from_utf8_lossy(line);
        if line.first().is_some_and(|b| *b == b' ' || *b == b'\t') {
            return match self.fields.last_mut() {
                Some((_, value)) => {
                    let more = text.trim();
                    if !more.is_empty() {
                        value.push(' ');
                        value.push_str(more);
                    }
                    true
                }
                None => false,
            };
        }
        match text.split_once(':') {
            Some((name, value)) if !name.trim().is_empty() && !name.contains(' ') => {
                self.fields
                    .push((name.trim().to_owned(), value.trim().to_owned()));
                true
            }
            _ => false,
        }
    }

    /// The value of the first field called `name` (any case).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// All fields, in order, as `(name, value)`.
    ///
    /// ```
    /// let h = copydesk::warc::Header::parse(b"A: 1\r\nB: 2\r\n").unwrap();
    /// assert_eq!(h.fields().len(), 2);
    /// ```
    pub fn fields(&self) -> &[(String, String)] {
        &self.fields
    }

    /// `Content-Length`, if present and a number.
    pub fn content_length(&self) -> Option<u64> {
        let value = self.get("Content-Length")?;
        if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        value.parse().ok()
    }

    /// `WARC-Type` (`response`, `request`, `warcinfo`, ...).
    pub fn warc_type(&self) -> Option<&str> {
        self.get("WARC-Type")
    }

    /// `WARC-Record-ID`, as written (`<urn:uuid:...>`).
    pub fn record_id(&self) -> Option<&str> {
        self.get("WARC-Record-ID")
    }

    /// `WARC-Date`, as written (RFC 3339, UTC).
    pub fn date(&self) -> Option<&str> {
        self.get("WARC-Date")
    }

    /// `WARC-Target-URI`, without the angle brackets some writers add.
    ///
    /// ```
    /// let h = copydesk::warc::Header::parse(b"WARC-Target-URI: <https://a.b/>\r\n").unwrap();
    /// assert_eq!(h.target_uri(), Some("https://a.b/"));
    /// ```
    pub fn target_uri(&self) -> Option<&str> {
        let uri = self.get("WARC-Target-URI")?;
        Some(
            uri.strip_prefix('<')
                .and_then(|u| u.strip_suffix('>'))
                .unwrap_or(uri),
        )
    }

    /// `Content-Type`.
    pub fn content_type(&self) -> Option<&str> {
        self.get("Content-Type")
    }
}

/// One line read from a stream.
pub(crate) struct Line {
    /// The line without its CRLF or LF, cut at the limit given.
    pub(crate) content: Vec<u8>,
    /// The bytes the whole line took in the stream, line break included.
    pub(crate) length: u64,
    /// Whether the line was longer than the limit.
    pub(crate) cut: bool,
}

/// Reads one line, keeping at most `max` bytes of it (the rest is consumed
/// and dropped, so memory stays bounded on binary garbage). `None` at the
/// end of the stream.
pub(crate) fn read_line(r: &mut impl BufRead, max: usize) -> io::Result<Option<Line>> {
    let mut content = Vec::new();
    let mut length = 0u64;
    // The line's last two bytes, to measure its line break when cut.
    let mut tail = [0u8; 2];
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            break;
        }
        let (chunk, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(end) => (&buf[..=end], true),
            None => (buf, false),
        };
        // Keep room for a CRLF beyond `max`, trimmed below.
        let room = (max + 2).saturating_sub(content.len());
        content.extend_from_slice(&chunk[..chunk.len().min(room)]);
        for &b in chunk.iter().rev().take(2).rev() {
            tail = [tail[1], b];
        }
        let n = chunk.len();
        length += n as u64;
        r.consume(n);
        if done {
            break;
        }
    }
    if length == 0 {
        return Ok(None);
    }
    let line_break = match tail {
        [b'\r', b'\n'] => 2,
        [_, b'\n'] => 1,
        _ => 0,
    };
    let bare = length - line_break;
    content.truncate(usize::try_from(bare).unwrap_or(usize::MAX).min(max));
    Ok(Some(Line {
        content,
        length,
        cut: bare > max as u64,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_cut_but_consumed() {
        let data = [vec![b'x'; 100], b"\r\nnext\n".to_vec()].concat();
        let mut r = &data[..];
        let line = read_line(&mut r, 10).unwrap().unwrap();
        assert_eq!(line.content, vec![b'x'; 10]);
        assert!(line.cut);
        assert_eq!(line.length, 102);
        let next = read_line(&mut r, 10).unwrap().unwrap();
        assert_eq!(next.content, b"next");
        assert!(!next.cut);
        assert!(read_line(&mut r, 10).unwrap().is_none());
    }

    #[test]
    fn a_last_line_without_break_is_read() {
        let mut r = &b"tail"[..];
        assert_eq!(read_line(&mut r, 10).unwrap().unwrap().content, b"tail");
    }

    #[test]
    fn content_length_must_be_digits() {
        assert_eq!(
            Header::parse(b"Content-Length: -1\r\n")
                .unwrap()
                .content_length(),
            None
        );
        assert_eq!(
            Header::parse(b"Content-Length: 0\r\n")
                .unwrap()
                .content_length(),
            Some(0)
        );
    }
}
