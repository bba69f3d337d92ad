//! Bytes plus a declared content type become UTF-8 text.
//!
//! The encoding is chosen in this order, the first that applies wins:
//!
//! 1. a byte order mark (UTF-8, UTF-16LE, UTF-16BE);
//! 2. the `charset` parameter of the `Content-Type` header;
//! 3. a `<meta charset>` or `<meta http-equiv="Content-Type">` found by a
//!    bounded prescan of the first [`PRESCAN_BYTES`] bytes, much as browsers do
//!    (the WHATWG "prescan a byte stream" algorithm);
//! 4. UTF-8 when the bytes are valid UTF-8 (or nearly so, see below);
//! 5. the `chardetng` detector, helped by the URL's top-level domain.
//!
//! Three deliberate departures from the browser rules: a declared legacy
//! encoding (steps 2–3) is overruled when the bytes are valid UTF-8 with
//! non-ASCII text, since pages whose template says `iso-8859-1` but whose
//! content is UTF-8 are common and the reverse (legacy text that happens to
//! be valid UTF-8) practically never happens; a declared UTF-8 that the bytes
//! plainly contradict is skipped for the next rule, since it is usually a
//! server default; and bytes that are UTF-8 with a few corrupt sequences stay
//! UTF-8 instead of going to the detector, which would turn every accented
//! letter into mojibake to save a few characters.
//!
//! Malformed sequences become U+FFFD. The only error is for input that is
//! clearly not text: a known binary signature (gzip, zip, PDF, images) or,
//! without a UTF-16 pattern, a first kilobyte that is more than 10 % control
//! bytes such as NUL.

use std::borrow::Cow;

pub use encoding_rs::Encoding;
use encoding_rs::{UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252, X_USER_DEFINED};

use crate::ascii::find_ci;
use crate::Error;

/// How many leading bytes the `<meta>` prescan looks at. The WHATWG standard
/// says 1024; real pages often put scripts, styles and preloads first and
/// their charset declaration beyond that, so we look a little further.
pub const PRESCAN_BYTES: usize = 4096;

/// How many bytes the binary sniff and the BOM-less UTF-16 test look at.
const SNIFF_BYTES: usize = 1024;

/// Share of control bytes in the sniffed prefix above which input is binary.
/// Legacy and UTF-8 HTML use none apart from tab, line feeds and ESC (ISO-2022).
const MAX_CONTROL_RATIO: f64 = 0.10;

/// How many bytes the detector reads; its guess is settled long before.
const DETECTOR_BYTES: usize = 256 * 1024;

/// Pages up to this size go to the detector whole: gathering stretches
/// would save it next to nothing.
const SMALL_PAGE_BYTES: usize = 16 * 1024;

/// ASCII bytes kept on each side of a non-ASCII byte in the detector's
/// sample (see [`detector_sample`]).
const DETECTOR_CONTEXT: usize = 32;

/// Where the chosen encoding came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A byte order mark, or the NUL pattern of BOM-less UTF-16.
    Bom,
    /// The `charset` of the declared content type.
    ContentType,
    /// A `<meta>` declaration in the first bytes of the page.
    Meta,
    /// The bytes were (nearly all) valid UTF-8.
    Utf8,
    /// The statistical detector's guess.
    Detector,
}

/// Decoded text with a record of how it was decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The page as UTF-8, BOM removed, malformed sequences as U+FFFD.
    pub text: String,
    /// The encoding used; `encoding.name()` gives its WHATWG name.
    pub encoding: &'static Encoding,
    /// Which rule chose the encoding.
    pub source: Source,
    /// Whether malformed sequences were replaced.
    pub had_errors: bool,
}

/// Decodes page bytes to text; see the [module docs](self) for the rules.
///
/// ```
/// let text = copydesk::decode::decode(b"<p>caf\xe9</p>", Some("text/html; charset=iso-8859-1"))?;
/// assert_eq!(text, "<p>café</p>");
/// # Ok::<(), copydesk::Error>(())
/// ```
pub fn decode(bytes: &[u8], content_type: Option<&str>) -> Result<String, Error> {
    decode_with_encoding(bytes, content_type, None).map(|d| d.text)
}

/// Decodes page bytes and reports which encoding was used and why.
///
/// `url`, when given, lends its top-level domain to the detector (a `.jp`
/// page is more likely Shift_JIS than a `.ru` one); it is never fetched.
///
/// ```
/// use copydesk::decode::{decode_with_encoding, Source};
/// let page = b"<html><head><meta charset=\"windows-1251\"></head><body>\xcf\xf0\xe8\xe2\xe5\xf2</body></html>";
/// let d = decode_with_encoding(page, None, None)?;
/// assert_eq!(d.encoding.name(), "windows-1251");
/// assert_eq!(d.source, Source::Meta);
/// assert!(d.text.contains("Привет"));
/// # Ok::<(), copydesk::Error>(())
/// ```
pub fn decode_with_encoding(
    bytes: &[u8],
    content_type: Option<&str>,
    url: Option<&str>,
) -> Result<Decoded, Error> {
    let (text, encoding, source) = choose(bytes, content_type, url)?;
    let (text, had_errors) = encoding.decode_without_bom_handling(text);
    Ok(Decoded {
        text: text.into_owned(),
        encoding,
        source,
        had_errors,
    })
}

/// [`decode`] without a copy where none is needed: the text borrows
/// `bytes` when they are valid UTF-8 (or ASCII in an ASCII-based encoding),
/// which is most pages.
///
/// ```
/// use std::borrow::Cow;
/// let text = copydesk::decode::decode_borrowed(b"<p>caf\xc3\xa9</p>", None)?;
/// assert!(matches!(text, Cow::Borrowed("<p>café</p>")));
/// let text = copydesk::decode::decode_borrowed(b"<p>caf\xe9</p>", Some("text/html; charset=latin1"))?;
/// assert_eq!(text, "<p>café</p>");
/// # Ok::<(), copydesk::Error>(())
/// ```
pub fn decode_borrowed<'b>(
    bytes: &'b [u8],
    content_type: Option<&str>,
) -> Result<Cow<'b, str>, Error> {
    let (text, encoding, _) = choose(bytes, content_type, None)?;
    Ok(encoding.decode_without_bom_handling(text).0)
}

/// The bytes to decode (without a BOM), their encoding, and why.
fn choose<'b>(
    bytes: &'b [u8],
    content_type: Option<&str>,
    url: Option<&str>,
) -> Result<(&'b [u8], &'static Encoding, Source), Error> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return Ok((&bytes[bom_len..], encoding, Source::Bom));
    }
    let declared = content_type
        .and_then(|ct| charset_from_content_type(ct.as_bytes()))
        .map(|e| (e, Source::ContentType));
    // A header may truly announce UTF-16; trust it before the binary sniff,
    // whose NUL count UTF-16 text would fail.
    if let Some((encoding, source)) = declared {
        if encoding == UTF_16LE || encoding == UTF_16BE {
            return Ok((bytes, encoding, source));
        }
    }
    if let Some(encoding) = sniff_bomless_utf16(bytes) {
        return Ok((bytes, encoding, Source::Bom));
    }
    if let Some(kind) = binary_kind(bytes) {
        return Err(Error::Decode(format!("input is not text ({kind})")));
    }
    let utf8 = utf8_verdict(bytes);
    // A UTF-8 declaration the bytes contradict is usually a server or
    // template default; the next source (the page's own <meta>, then the
    // detector) knows better than a page full of U+FFFD.
    let credible =
        |(e, _): &(&'static Encoding, Source)| !(*e == UTF_8 && utf8 == Utf8Verdict::Foreign);
    let declared = declared.filter(credible).or_else(|| {
        prescan_meta(bytes)
            .map(|e| (e, Source::Meta))
            .filter(credible)
    });
    match declared {
        Some((encoding, source)) if encoding == UTF_8 => Ok((bytes, UTF_8, source)),
        Some(_) if utf8 == Utf8Verdict::ValidNonAscii => Ok((bytes, UTF_8, Source::Utf8)),
        Some((encoding, source)) => Ok((bytes, encoding, source)),
        None if utf8 != Utf8Verdict::Foreign => Ok((bytes, UTF_8, Source::Utf8)),
        None => {
            let mut detector = chardetng::EncodingDetector::new();
            detector.feed(&detector_sample(bytes), true);
            let tld = url.and_then(top_level_domain);
            let encoding = detector.guess(tld.as_deref().map(str::as_bytes), false);
            Ok((bytes, encoding, Source::Detector))
        }
    }
}

/// What the detector reads of `bytes`: the stretches around non-ASCII bytes,
/// with [`DETECTOR_CONTEXT`] bytes of ASCII on each side, at most
/// [`DETECTOR_BYTES`] in all. The detector scores non-ASCII bytes and their
/// neighbours only; the rest of a page (markup, English boilerplate) costs
/// it as much time per byte and tells it nothing, and on a legacy page the
/// detector read ten times more than the page has non-ASCII text.
///
/// A stretch starts and ends on ASCII that no multi-byte character of a
/// legacy encoding straddles: a lead byte is non-ASCII, and it would pull
/// the stretch over itself.
fn detector_sample(bytes: &[u8]) -> Cow<'_, [u8]> {
    if bytes.len() <= SMALL_PAGE_BYTES {
        return Cow::Borrowed(bytes);
    }
    let mut sample = Vec::new();
    let mut i = 0;
    while sample.len() < DETECTOR_BYTES {
        let Some(at) = bytes[i..].iter().position(|b| !b.is_ascii()) else {
            break;
        };
        let start = (i + at).saturating_sub(DETECTOR_CONTEXT).max(i);
        // Extend while another non-ASCII byte follows within the context.
        let mut end = i + at + 1;
        loop {
            let limit = (end + DETECTOR_CONTEXT).min(bytes.len());
            match bytes[end..limit].iter().rposition(|b| !b.is_ascii()) {
                Some(k) => end += k + 1,
                None => {
                    end = limit;
                    break;
                }
            }
        }
        if !sample.is_empty() && start > i {
            sample.push(b' ');
        }
        sample.extend_from_slice(&bytes[start..end]);
        i = end;
    }
    sample.truncate(DETECTOR_BYTES);
    Cow::Owned(sample)
}

/// Maps a charset label to an encoding, leaving out the `replacement`
/// encoding: the standard uses it to blank out ISO-2022-KR and friends, which
/// for an extractor is worse than trying the next rule.
fn encoding_for_label(label: &[u8]) -> Option<&'static Encoding> {
    Encoding::for_label_no_replacement(label)
}

/// The encoding named by a `Content-Type` header value.
fn charset_from_content_type(value: &[u8]) -> Option<&'static Encoding> {
    charset_label(value).and_then(encoding_for_label)
}

/// Finds the `charset=` label in a content-type-like string
/// (`text/html; charset="utf-8"`), the same way for the HTTP header and for
/// the `content` attribute of a `<meta http-equiv>`.
fn charset_label(value: &[u8]) -> Option<&[u8]> {
    let mut rest = value;
    loop {
        let at = find_ci(rest, b"charset")?;
        rest = &rest[at + b"charset".len()..];
        let after_ws = trim_start_ws(rest);
        let Some(after_eq) = after_ws.strip_prefix(b"=") else {
            // "charset" without "=" is just text in some other parameter.
            continue;
        };
        let v = trim_start_ws(after_eq);
        return match v.first() {
            Some(&q @ (b'"' | b'\'')) => {
                let end = v[1..].iter().position(|&b| b == q)?;
                Some(&v[1..1 + end])
            }
            Some(_) => {
                let end = v
                    .iter()
                    .position(|&b| b == b';' || is_ws(b))
                    .unwrap_or(v.len());
                Some(&v[..end])
            }
            None => None,
        };
    }
}

/// The WHATWG prescan: walks tags in the first bytes, skipping comments and
/// attribute values, until a `<meta>` that declares a charset.
fn prescan_meta(bytes: &[u8]) -> Option<&'static Encoding> {
    let buf = &bytes[..bytes.len().min(PRESCAN_BYTES)];
    let mut i = 0;
    while i < buf.len() {
        let rest = &buf[i..];
        if rest.starts_with(b"<!--") {
            // "-->" may share its dashes with the opener ("<!-->").
            i += 2 + find(&rest[2..], b"-->").map_or(rest.len(), |p| p + 3);
        } else if starts_with_ci(rest, b"<meta")
            && rest.get(5).is_some_and(|&b| is_ws(b) || b == b'/')
        {
            i += 5;
            if let Some(encoding) = meta_charset(buf, &mut i) {
                return Some(encoding);
            }
        } else if rest.len() > 1
            && rest[0] == b'<'
            && (rest[1].is_ascii_alphabetic()
                || (rest[1] == b'/' && rest.get(2).is_some_and(u8::is_ascii_alphabetic)))
        {
            // Skip the tag name, then its attributes, so that a '>' or a
            // "<meta" inside a quoted value is not mistaken for markup.
            i += 1;
            while i < buf.len() && !is_ws(buf[i]) && buf[i] != b'>' {
                i += 1;
            }
            while next_attribute(buf, &mut i).is_some() {}
        } else if rest.starts_with(b"<!") || rest.starts_with(b"</") || rest.starts_with(b"<?") {
            i += find(rest, b">").map_or(rest.len(), |p| p + 1);
        } else {
            i += 1;
        }
    }
    None
}

/// Reads the attributes of one `<meta>` starting at `*i` and returns the
/// encoding it declares, following the standard's rules: a `content` charset
/// counts only alongside `http-equiv="content-type"`; the first occurrence of
/// an attribute wins; UTF-16 labels mean UTF-8 (a page that can be prescanned
/// as ASCII is not UTF-16).
fn meta_charset(buf: &[u8], i: &mut usize) -> Option<&'static Encoding> {
    let mut seen: Vec<Vec<u8>> = Vec::new();
    let mut got_pragma = false;
    let mut need_pragma: Option<bool> = None;
    let mut charset: Option<&'static Encoding> = None;
    while let Some((name, value)) = next_attribute(buf, i) {
        if seen.contains(&name) {
            continue;
        }
        match name.as_slice() {
            b"http-equiv" => got_pragma |= value.eq_ignore_ascii_case(b"content-type"),
            b"content" if charset.is_none() => {
                if let Some(e) = charset_label(&value).and_then(encoding_for_label) {
                    charset = Some(e);
                    need_pragma = Some(true);
                }
            }
            b"charset" => {
                charset = encoding_for_label(&value);
                need_pragma = Some(false);
            }
            _ => {}
        }
        seen.push(name);
    }
    match need_pragma {
        None => return None,
        Some(true) if !got_pragma => return None,
        _ => {}
    }
    Some(match charset? {
        e if e == UTF_16LE || e == UTF_16BE => UTF_8,
        e if e == X_USER_DEFINED => WINDOWS_1252,
        e => e,
    })
}

/// The standard's "get an attribute": returns the lowercased name and raw
/// value of the next attribute at `*i`, or `None` at the tag's end.
fn next_attribute(buf: &[u8], i: &mut usize) -> Option<(Vec<u8>, Vec<u8>)> {
    while *i < buf.len() && (is_ws(buf[*i]) || buf[*i] == b'/') {
        *i += 1;
    }
    if *i >= buf.len() || buf[*i] == b'>' {
        *i += 1;
        return None;
    }
    let mut name = Vec::new();
    // The first character is part of the name even if it is '='.
    name.push(buf[*i].to_ascii_lowercase());
    *i += 1;
    while *i < buf.len() && !matches!(buf[*i], b'=' | b'/' | b'>') && !is_ws(buf[*i]) {
        name.push(buf[*i].to_ascii_lowercase());
        *i += 1;
    }
    while *i < buf.len() && is_ws(buf[*i]) {
        *i += 1;
    }
    if *i >= buf.len() || buf[*i] != b'=' {
        return Some((name, Vec::new()));
    }
    *i += 1;
    while *i < buf.len() && is_ws(buf[*i]) {
        *i += 1;
    }
    let mut value = Vec::new();
    match buf.get(*i) {
        Some(&q @ (b'"' | b'\'')) => {
            *i += 1;
            while *i < buf.len() && buf[*i] != q {
                value.push(buf[*i].to_ascii_lowercase());
                *i += 1;
            }
            *i += 1;
        }
        Some(b'>') | None => {}
        Some(_) => {
            while *i < buf.len() && !is_ws(buf[*i]) && buf[*i] != b'>' {
                value.push(buf[*i].to_ascii_lowercase());
                *i += 1;
            }
        }
    }
    Some((name, value))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Utf8Verdict {
    /// Valid UTF-8, all ASCII.
    Ascii,
    /// Valid UTF-8 with at least one multi-byte character.
    ValidNonAscii,
    /// Mostly valid multi-byte UTF-8 with a few corrupt sequences.
    MostlyValid,
    /// Not UTF-8.
    Foreign,
}

/// Judges whether bytes are UTF-8. Corrupt sequences are tolerated when valid
/// multi-byte characters outnumber them at least four to one: legacy 8-bit
/// text almost never forms valid multi-byte sequences by accident.
fn utf8_verdict(bytes: &[u8]) -> Utf8Verdict {
    if bytes.is_ascii() {
        return Utf8Verdict::Ascii;
    }
    // The common case, settled by the standard library's fast validator
    // before any counting.
    if std::str::from_utf8(bytes).is_ok() {
        return Utf8Verdict::ValidNonAscii;
    }
    let mut valid_multibyte = 0usize;
    let mut invalid = 0usize;
    for chunk in bytes.utf8_chunks() {
        // Each multi-byte character has exactly one lead byte (0xC0 and up).
        valid_multibyte += chunk.valid().bytes().filter(|&b| b >= 0xc0).count();
        invalid += usize::from(!chunk.invalid().is_empty());
    }
    match (invalid, valid_multibyte) {
        (0, _) => Utf8Verdict::ValidNonAscii,
        (bad, good) if good >= 4 * bad => Utf8Verdict::MostlyValid,
        _ => Utf8Verdict::Foreign,
    }
}

/// Recognises UTF-16 without a BOM by its NULs: ASCII-range text in UTF-16
/// has a zero in every other byte, nearly always on the same side.
fn sniff_bomless_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(SNIFF_BYTES) & !1];
    if sample.len() < 8 {
        return None;
    }
    let pairs = sample.len() / 2;
    let (mut even, mut odd) = (0, 0);
    for pair in sample.chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    // Over 40 % of pairs with a zero on one side and almost none on the other.
    if odd * 10 > pairs * 4 && even * 20 < pairs {
        Some(UTF_16LE)
    } else if even * 10 > pairs * 4 && odd * 20 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Names the kind of binary data `bytes` look like, if they do.
fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"\x1f\x8b", "gzip data; was the body left compressed?"),
        (
            b"\x28\xb5\x2f\xfd",
            "zstd data; was the body left compressed?",
        ),
        (b"PK\x03\x04", "zip archive"),
        (b"%PDF-", "PDF document"),
        (b"\x89PNG\r\n\x1a\n", "PNG image"),
        (b"\xff\xd8\xff", "JPEG image"),
        (b"GIF8", "GIF image"),
        (b"RIFF", "RIFF media"),
        (b"\x7fELF", "executable"),
    ];
    if let Some((_, kind)) = SIGNATURES.iter().find(|(sig, _)| bytes.starts_with(sig)) {
        return Some(kind);
    }
    let sample = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let controls = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b))
        .count();
    (!sample.is_empty() && controls as f64 > sample.len() as f64 * MAX_CONTROL_RATIO)
        .then_some("binary data: too many control bytes")
}

/// The lowercase last label of the URL's host, for the detector.
fn top_level_domain(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    let host = parsed.host_str()?;
    let tld = host.trim_end_matches('.').rsplit('.').next()?;
    (!tld.is_empty() && tld.bytes().all(|b| b.is_ascii_alphabetic()))
        .then(|| tld.to_ascii_lowercase())
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0c)
}

fn trim_start_ws(s: &[u8]) -> &[u8] {
    let start = s.iter().position(|&b| !is_ws(b)).unwrap_or(s.len());
    &s[start..]
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn starts_with_ci(s: &[u8], prefix: &[u8]) -> bool {
    s.len() >= prefix.len() && s[..prefix.len()].eq_ignore_ascii_case(prefix)
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{SHIFT_JIS, WINDOWS_1251};

    fn page(head: &str, body: &[u8]) -> Vec<u8> {
        let mut v = format!("<!DOCTYPE html><html><head>{head}</head><body><p>").into_bytes();
        v.extend_from_slice(body);
        v.extend_from_slice(b"</p></body></html>");
        v
    }

    const CYRILLIC_1251: &[u8] = b"\xcf\xf0\xe8\xe2\xe5\xf2, \xec\xe8\xf0"; // "Привет, мир"

    #[test]
    fn utf8_bom_is_removed() {
        let d = decode_with_encoding(
            b"\xef\xbb\xbf<p>h\xc3\xa9</p>",
            Some("text/html; charset=windows-1252"),
            None,
        )
        .unwrap();
        assert_eq!(d.text, "<p>hé</p>");
        assert_eq!((d.encoding, d.source), (UTF_8, Source::Bom));
    }

    #[test]
    fn utf16le_bom() {
        let mut bytes = vec![0xff, 0xfe];
        for u in "<p>Grüße</p>".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode_with_encoding(&bytes, None, None).unwrap();
        assert_eq!(d.text, "<p>Grüße</p>");
        assert_eq!(d.encoding, UTF_16LE);
    }

    #[test]
    fn utf16be_without_bom_is_sniffed() {
        let bytes: Vec<u8> = "<html><body><p>Hello there</p></body></html>"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        let d = decode_with_encoding(&bytes, None, None).unwrap();
        assert_eq!(d.encoding, UTF_16BE);
        assert!(d.text.contains("Hello there"));
    }

    #[test]
    fn header_charset_wins_over_meta() {
        let bytes = page(r#"<meta charset="iso-8859-2">"#, CYRILLIC_1251);
        let d = decode_with_encoding(&bytes, Some("text/html; charset=\"Windows-1251\""), None)
            .unwrap();
        assert_eq!((d.encoding, d.source), (WINDOWS_1251, Source::ContentType));
        assert!(d.text.contains("Привет, мир"));
    }

    #[test]
    fn contradicted_utf8_header_yields_to_meta_and_detector() {
        let bytes = page(r#"<meta charset="windows-1251">"#, CYRILLIC_1251);
        let d = decode_with_encoding(&bytes, Some("text/html; charset=utf-8"), None).unwrap();
        assert_eq!((d.encoding, d.source), (WINDOWS_1251, Source::Meta));
        let text = "Правительство в среду решило значительно увеличить поддержку возобновляемой энергетики.";
        let (cp1251, _, _) = WINDOWS_1251.encode(text);
        let d = decode_with_encoding(&page("", &cp1251), Some("text/html; charset=utf-8"), None)
            .unwrap();
        assert_eq!((d.encoding, d.source), (WINDOWS_1251, Source::Detector));
        assert!(d.text.contains(text));
    }

    #[test]
    fn meta_charset_windows_1251() {
        let bytes = page(
            r#"<title>t</title><meta charset=windows-1251>"#,
            CYRILLIC_1251,
        );
        let d = decode_with_encoding(&bytes, Some("text/html"), None).unwrap();
        assert_eq!((d.encoding, d.source), (WINDOWS_1251, Source::Meta));
        assert!(d.text.contains("Привет, мир"));
    }

    #[test]
    fn meta_http_equiv_form() {
        let head = r#"<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=windows-1251">"#;
        let d = decode_with_encoding(&page(head, CYRILLIC_1251), None, None).unwrap();
        assert_eq!((d.encoding, d.source), (WINDOWS_1251, Source::Meta));
    }

    #[test]
    fn meta_content_without_http_equiv_is_ignored() {
        let head = r#"<meta name="x" content="text/html; charset=windows-1251">"#;
        assert_eq!(prescan_meta(&page(head, b"")), None);
    }

    #[test]
    fn prescan_skips_comments_and_attribute_values() {
        let head = r#"<!-- <meta charset="koi8-r"> --><link title="<meta charset=koi8-r>"><meta charset="windows-1251">"#;
        assert_eq!(prescan_meta(&page(head, b"")), Some(WINDOWS_1251));
    }

    #[test]
    fn prescan_is_bounded() {
        let filler = format!("<script>{}</script>", "x".repeat(PRESCAN_BYTES));
        let head = format!("{filler}<meta charset=windows-1251>");
        assert_eq!(prescan_meta(&page(&head, b"")), None);
    }

    #[test]
    fn meta_utf16_means_utf8() {
        let bytes = page(r#"<meta charset="utf-16">"#, "né".as_bytes());
        let d = decode_with_encoding(&bytes, None, None).unwrap();
        assert_eq!(d.encoding, UTF_8);
        assert!(d.text.contains("né"));
    }

    #[test]
    fn iso_8859_1_label_is_windows_1252() {
        let d = decode_with_encoding(
            &page("", b"\x93quoted\x94 caf\xe9"),
            Some("text/html; charset=ISO-8859-1"),
            None,
        )
        .unwrap();
        assert_eq!(d.encoding, WINDOWS_1252);
        assert!(d.text.contains("\u{201c}quoted\u{201d} café"));
    }

    #[test]
    fn mislabelled_utf8_stays_utf8() {
        let bytes = page(r#"<meta charset="iso-8859-1">"#, "Ünïcödé text".as_bytes());
        let d = decode_with_encoding(&bytes, None, None).unwrap();
        assert_eq!((d.encoding, d.source), (UTF_8, Source::Utf8));
        assert!(d.text.contains("Ünïcödé"));
    }

    #[test]
    fn shift_jis_unlabelled_is_detected() {
        let text = "日本語のテキストです。東京都で新しい展覧会が開かれ、多くの人々が訪れました。\
                    会場には絵画や彫刻が並び、来場者は熱心に作品を鑑賞していました。";
        let (sjis, _, _) = SHIFT_JIS.encode(text);
        let bytes = page("<title>x</title>", &sjis);
        let d = decode_with_encoding(&bytes, None, Some("https://www.example.jp/a")).unwrap();
        assert_eq!((d.encoding, d.source), (SHIFT_JIS, Source::Detector));
        assert!(d.text.contains(text));
    }

    #[test]
    fn detector_reads_the_non_ascii_stretches_of_a_long_page() {
        let text = "日本語のテキストです。東京都で新しい展覧会が開かれ、多くの人々が訪れました。";
        let (sjis, _, _) = SHIFT_JIS.encode(text);
        let markup = "<div class=\"nav\"><a href=\"/x\">Home</a></div>\n".repeat(2_000);
        let body = [markup.as_bytes(), &sjis, markup.as_bytes(), &sjis].concat();
        let bytes = page("<title>x</title>", &body);
        let sample = detector_sample(&bytes);
        // Both stretches, each with its context, and nothing else.
        assert!(
            sample.len() <= 2 * (sjis.len() + 2 * DETECTOR_CONTEXT) + 1,
            "{}",
            sample.len()
        );
        assert!(
            sample
                .windows(sjis.len())
                .filter(|w| *w == &sjis[..])
                .count()
                == 2
        );
        let d = decode_with_encoding(&bytes, None, None).unwrap();
        assert_eq!((d.encoding, d.source), (SHIFT_JIS, Source::Detector));
        assert!(d.text.contains(text));
    }

    #[test]
    fn invalid_utf8_is_replaced() {
        let bytes = b"<p>caf\xc3\xa9 na\xc3\xafve r\xc3\xa9sum\xc3\xa9 \xff end</p>";
        let d = decode_with_encoding(bytes, None, None).unwrap();
        assert_eq!(d.encoding, UTF_8);
        assert!(d.had_errors);
        assert_eq!(d.text, "<p>café naïve résumé \u{fffd} end</p>");
    }

    #[test]
    fn unknown_label_is_ignored() {
        let bytes = page(r#"<meta charset="klingon-8">"#, "ok é".as_bytes());
        let d = decode_with_encoding(&bytes, Some("text/html; charset=nonsense"), None).unwrap();
        assert_eq!((d.encoding, d.source), (UTF_8, Source::Utf8));
    }

    #[test]
    fn replacement_label_is_ignored() {
        let d = decode_with_encoding(
            b"<p>plain</p>",
            Some("text/html; charset=iso-2022-kr"),
            None,
        )
        .unwrap();
        assert_eq!(d.text, "<p>plain</p>");
    }

    #[test]
    fn binary_input_is_an_error() {
        assert!(matches!(
            decode(b"\x1f\x8b\x08\x00rest", None),
            Err(Error::Decode(_))
        ));
        let noise: Vec<u8> = (0..2000u32).map(|i| (i * 7 % 256) as u8).collect();
        assert!(decode(&noise, None).is_err());
    }

    #[test]
    fn empty_and_odd_inputs_do_not_panic() {
        assert_eq!(decode(b"", None).unwrap(), "");
        for bytes in [
            &b"<"[..],
            b"<meta",
            b"<meta charset=",
            b"<meta charset=\"utf",
            b"<!--",
            b"<a b='",
            b"\xfe",
            b"\xff\xfe\x00",
        ] {
            let _ = decode(bytes, Some("text/html; charset="));
            let _ = decode(bytes, Some("charset=\"unterminated"));
        }
    }

    #[test]
    fn content_type_parsing() {
        assert_eq!(
            charset_label(b"text/html; charset=UTF-8"),
            Some(&b"UTF-8"[..])
        );
        assert_eq!(
            charset_label(b"text/html;charset='koi8-r' ; x=y"),
            Some(&b"koi8-r"[..])
        );
        assert_eq!(
            charset_label(b"text/html; nocharset; charset = latin1"),
            Some(&b"latin1"[..])
        );
        assert_eq!(charset_label(b"text/html"), None);
    }
}
