//! A byte-level pass before parsing that drops what can never be content.
//!
//! Scripts, style sheets, `<noscript>` fallbacks, comments and SVG drawings
//! are a third of the bytes of a typical news page, and the HTML parser
//! builds nodes for all of them only for the extractor to skip them. This
//! pass finds where each of them ends exactly as the parser's tokenizer
//! would, and drops it, so the parsed tree holds every node the extractor
//! and the metadata read, unchanged. Three things keep it exact:
//!
//! - the parser joins text on the two sides of a dropped node into one text
//!   node, which measures differently; where both sides hold text (more than
//!   white space on one of them), an empty comment stands in for the node,
//!   as it does right after `<pre>`, whose leading line feed would go;
//! - JSON-LD scripts are kept whole for the metadata, and an `<svg>` keeps
//!   its element, emptied;
//! - the scanner follows the WHATWG tokenizer wherever it decides where a
//!   dropped run ends: script data with its escaped and double-escaped
//!   states, raw text and RCDATA end tags, comments that close early
//!   (`<!-->`, `--!>`), quoted attribute values holding `>` or `</script>`,
//!   and SVG or MathML content, where `<style>` and `<script>` are ordinary
//!   elements. Where the parser would do something this model does not
//!   follow (HTML breaking out of foreign content, an integration point with
//!   markup inside, a construct left open at the end of the page), the rest
//!   of the page is passed through untouched: the pass may give up saving
//!   time, never change the tree.
//!
//! Two changes it makes to what stays. The common character references of
//! text (`&nbsp;`, `&#8217;`, ...) are written as their characters, where
//! that cannot change what the tokenizer reads (see `reference`). And white
//! space between two tags (the
//! indentation of the markup, a third of a page's nodes) is written as
//! spaces, one per character the parser would make of it. The tokenizer
//! hands every line feed to the tree builder as a token of its own, a space
//! run is one token; the node keeps its length and is still all white space,
//! which is all anything reads of it. From the first element whose white
//! space is text as written (`<pre>`, `<textarea>`, ...), nothing is rewritten.
//!
//! Nesting and other parser costs that grow faster than the page are
//! bounded by [`crate::limits::tame`]'s model of open elements, which
//! [`strip_tamed`] runs in this same scan over the tags (the extractor's
//! path); [`strip`] and [`strip_with`] only remove and rewrite white space.

use std::borrow::Cow;

use crate::ascii::contains_ci;
use crate::limits::tame::{stand_in, Caps, Kind, Model};

/// The page without its scripts (but JSON-LD), styles, `<noscript>`,
/// comments and SVG drawings; borrowed when there was nothing to drop.
///
/// ```
/// use copydesk::prefilter::strip;
/// let page = r#"<head><script>if (a < b) document.write("</div>")</script>
/// <script type="application/ld+json">{"@type": "NewsArticle"}</script>
/// <style>p { color: red }</style><!-- build 42 --></head>
/// <body><p>Text<!-- the two sides stay apart -->more<svg><path d="M0 0"/></svg></p>"#;
/// // White space between tags is written as spaces (see `Scanner::blank`).
/// assert_eq!(strip(page), r#"<head> <script type="application/ld+json">{"@type": "NewsArticle"}</script> </head> <body><p>Text<!---->more<svg></svg></p>"#);
/// assert!(matches!(strip("<p>Nothing to drop</p>"), std::borrow::Cow::Borrowed(_)));
/// ```
pub fn strip(html: &str) -> Cow<'_, str> {
    strip_with(html, true)
}

/// [`strip`], also cutting the targets of links (`<a href="...">`) unless
/// `link_targets`: plain text never shows where a link goes, and the
/// extractor reads of a target only whether it stays on the page (`#...`,
/// so those are kept) and, on an `<a>` with a name, whether there is one
/// (so there `<a id="x" href="...">` becomes `<a id="x" href>`). Links are
/// a fifth of the attributes left after [`strip`], and attributes cost the
/// parser more than anything else.
/// Markdown output needs the targets, so it keeps them.
///
/// ```
/// use copydesk::prefilter::strip_with;
/// let page = r##"<p><a href="https://example.com/a/long/path">away</a> <a href="#note-1">1</a></p>"##;
/// assert_eq!(strip_with(page, false), r##"<p><a >away</a> <a href="#note-1">1</a></p>"##);
/// assert_eq!(strip_with(page, true), page);
/// ```
pub fn strip_with(html: &str, link_targets: bool) -> Cow<'_, str> {
    scan(html, link_targets, None).html
}

/// What [`strip_tamed`] made of a page.
#[derive(Debug)]
pub struct Stripped<'a> {
    /// The page, stripped and tamed.
    pub html: Cow<'a, str>,
    /// False when the pass met something it does not follow and passed the
    /// rest of the page through as it was: that rest is neither stripped nor
    /// tamed, and the caller must run [`crate::repair::close_raw_text`] and
    /// [`crate::limits::tame::tame`] over the result.
    pub whole: bool,
}

/// [`strip_with`], also doing the work of [`crate::limits::tame::tame`] in
/// the same scan: start tags past the caps' depth or formatting limits go
/// (with their end tags), and attributes past `caps.max_attrs`. One scan of
/// the tags instead of two; the tame pass (and the repair of unclosed
/// `<title>`, which a whole pass has shown there is none of) is needed only
/// when the result is not [`Stripped::whole`].
///
/// ```
/// use copydesk::{limits::tame::Caps, prefilter::strip_tamed};
/// let caps = Caps { max_depth: 3, ..Caps::default() };
/// let t = strip_tamed("<div><div><div><div>deep</div></div></div></div><!-- x -->", false, &caps);
/// assert_eq!(t.html, "<div><div><div>deep</div></div></div>");
/// assert!(t.whole);
/// ```
pub fn strip_tamed<'a>(html: &'a str, link_targets: bool, caps: &Caps) -> Stripped<'a> {
    scan(html, link_targets, Some(caps))
}

fn scan<'a>(html: &'a str, link_targets: bool, caps: Option<&Caps>) -> Stripped<'a> {
    let mut scanner = Scanner {
        link_targets,
        html,
        src: html.as_bytes(),
        out: Vec::new(),
        copied: 0,
        run: Run::Empty,
        after_pre: false,
        foreign: 0,
        select: false,
        unread: Vec::new(),
        verbatim: false,
        model: caps.map(|c| Model::new(*c)),
        max_attrs: caps.map_or(usize::MAX, |c| c.max_attrs),
    };
    let whole = scanner.run();
    if scanner.copied == 0 {
        return Stripped {
            html: Cow::Borrowed(html),
            whole,
        };
    }
    let Scanner {
        src,
        mut out,
        copied,
        ..
    } = scanner;
    out.extend_from_slice(&src[copied..]);
    // Every cut is next to an ASCII byte (`<`, `>`, `-`), so the result
    // stays valid UTF-8; the check is there so that no bug can make it not.
    match String::from_utf8(out) {
        Ok(s) => Stripped {
            html: Cow::Owned(s),
            whole,
        },
        Err(_) => Stripped {
            html: Cow::Borrowed(html),
            whole: false,
        },
    }
}

/// One tag as the tokenizer reads it.
struct Tag {
    /// The lower-cased name, when it is at most 16 bytes long.
    name: [u8; 16],
    len: usize,
    /// Just past the closing `>`.
    end: usize,
    self_closing: bool,
    /// The raw value of the first `type` attribute.
    type_attr: Option<(usize, usize)>,
    /// The raw value of the first `rel` attribute.
    rel_attr: Option<(usize, usize)>,
    /// How many attributes it has.
    attrs: usize,
}

impl Tag {
    fn name(&self) -> &[u8] {
        &self.name[..self.len.min(16)]
    }
}

/// How the content of an element is tokenized.
#[derive(Clone, Copy, PartialEq)]
enum Content {
    /// Script data, ending at `</script` outside double-escaped runs.
    Script,
    /// Raw text or RCDATA, ending at the element's own end tag.
    Raw,
    /// Everything up to the end of the page.
    Plaintext,
}

/// What the output holds since its last markup, as far as the parser's
/// joining of adjacent text goes.
#[derive(Clone, Copy, PartialEq)]
enum Run {
    /// Nothing: the last token was markup.
    Empty,
    /// White space only.
    Blank,
    /// Some visible text.
    Text,
}

struct Scanner<'a> {
    /// Whether `<a href>` values stay (see [`strip_with`]).
    link_targets: bool,
    html: &'a str,
    src: &'a [u8],
    /// The taming model of open elements (see [`strip_tamed`]), if asked for.
    model: Option<Model<'a>>,
    /// Attributes kept per tag (`usize::MAX` without taming).
    max_attrs: usize,
    /// The output so far; `src[copied..]` is still to be copied.
    out: Vec<u8>,
    copied: usize,
    /// The text run the output ends with.
    run: Run,
    /// The last token kept was a `<pre>` or `<listing>` start tag, after
    /// which the parser drops one leading line feed.
    after_pre: bool,
    /// Open `<svg>` and `<math>` elements: inside them tags are foreign.
    foreign: u32,
    /// A `<select>` is open, inside which the tree builder ignores most
    /// start tags.
    select: bool,
    /// Spans of the unread attributes of the tag at hand (kept to reuse).
    unread: Vec<(usize, usize)>,
    /// A start tag of an element whose white space is text as written
    /// (`<pre>`, `<textarea>`, ...) has been seen: from there on, white
    /// space is left as it is.
    verbatim: bool,
}

impl Scanner<'_> {
    /// Scans the page; false when it stopped early (see [`Stripped::whole`]).
    fn run(&mut self) -> bool {
        let mut i = 0;
        while let Some(at) = find_markup(&self.src[i..]) {
            self.text(i, i + at);
            match self.markup(i + at) {
                Some(next) => i = next,
                None => return false,
            }
        }
        true
    }

    /// Notes the text `src[from..to]` passed through.
    fn text(&mut self, from: usize, to: usize) {
        if from == to {
            return;
        }
        self.after_pre = false;
        let run = run_of(&self.src[from..to]);
        if run == Run::Blank && !self.verbatim && self.foreign == 0 {
            self.blank(from, to);
        }
        if run == Run::Text {
            self.decode_references(from, to);
        }
        if self.run != Run::Text {
            self.run = run;
        }
    }

    /// Writes the common character references of the text `src[from..to]`
    /// as the characters they stand for (see [`reference`]): the tokenizer
    /// decodes each through a state machine of its own, which cost 6 % of
    /// the parse on the bench pages (90 references a page).
    fn decode_references(&mut self, from: usize, to: usize) {
        let mut i = from;
        while let Some(k) = memchr::memchr(b'&', &self.src[i..to]) {
            let at = i + k;
            match reference(self.src, at, to) {
                Some((end, c)) => {
                    let mut buf = [0u8; 4];
                    self.cut(at, end, c.encode_utf8(&mut buf).as_bytes());
                    i = end;
                }
                None => i = at + 1,
            }
        }
    }

    /// Writes the white space `src[from..to]` as spaces, one per character
    /// the parser would make of it (CR LF is one); see the module docs.
    fn blank(&mut self, from: usize, to: usize) {
        let ws = &self.src[from..to];
        if ws.iter().all(|&b| b == b' ') {
            return;
        }
        let crlf = ws.windows(2).filter(|w| w == b"\r\n").count();
        self.cut(from, to, b"");
        self.out.resize(self.out.len() + ws.len() - crlf, b' ');
    }

    /// Notes a token passed through; `pre` when it opens `<pre>` or `<listing>`.
    fn kept(&mut self, pre: bool) {
        self.run = Run::Empty;
        self.after_pre = pre;
    }

    /// Reads the construct starting with the `<` at `lt`; returns where to
    /// go on, or `None` to pass the rest of the page through as it is.
    fn markup(&mut self, lt: usize) -> Option<usize> {
        let src = self.src;
        let rest = &src[lt..];
        let next = match rest.get(1) {
            Some(b'!') if rest.starts_with(b"<!--") => {
                let end = comment_end(src, lt + 4)?;
                self.remove(lt, end);
                return Some(end);
            }
            Some(b'!') if self.foreign > 0 && rest.starts_with(b"<![CDATA[") => {
                find(src, lt + 9, b"]]>")? + 3
            }
            // DOCTYPE and bogus comments end at the first `>`.
            Some(b'!' | b'?') => lt + 2 + memchr::memchr(b'>', &rest[2..])? + 1,
            Some(b'/') => match rest.get(2)? {
                c if c.is_ascii_alphabetic() => {
                    let tag = scan_tag(src, lt + 2)?;
                    return self.end_tag(lt, &tag);
                }
                // `</>` is no token at all.
                b'>' => return Some(lt + 3),
                _ => lt + 2 + memchr::memchr(b'>', &rest[2..])? + 1,
            },
            Some(c) if c.is_ascii_alphabetic() => {
                if self.foreign > 0 {
                    let tag = scan_tag(src, lt + 1)?;
                    return self.foreign_start_tag(lt, &tag);
                }
                let mut unread = std::mem::take(&mut self.unread);
                unread.clear();
                let tag = scan_tag_noting(
                    src,
                    lt + 1,
                    Some(&mut unread),
                    self.link_targets,
                    self.max_attrs,
                )?;
                let next = self.start_tag(lt, &tag, &unread);
                self.unread = unread;
                return next;
            }
            // A `<` that starts nothing is text.
            _ => {
                self.text(lt, lt + 1);
                self.run = Run::Text;
                return Some(lt + 1);
            }
        };
        self.kept(false);
        Some(next)
    }

    /// Drops the node `src[lt..end]`. Where that would join the text on its
    /// two sides into one text node (which counts characters differently),
    /// an empty comment takes its place, as it does after `<pre>`, whose
    /// leading line feed the parser would otherwise drop.
    fn remove(&mut self, lt: usize, end: usize) {
        let after = run_after(self.src, end);
        let joins = !matches!(
            (self.run, after),
            (Run::Empty, _) | (_, Run::Empty) | (Run::Blank, Run::Blank)
        );
        if joins || self.after_pre {
            if end - lt > EMPTY_COMMENT.len() {
                self.cut(lt, end, EMPTY_COMMENT);
            }
            self.kept(false);
        } else {
            self.cut(lt, end, b"");
        }
    }

    /// An HTML start tag, with the spans of its `unread` attributes.
    fn start_tag(&mut self, lt: usize, tag: &Tag, unread: &[(usize, usize)]) -> Option<usize> {
        let name = tag.name();
        if matches!(
            name,
            b"pre" | b"listing" | b"textarea" | b"xmp" | b"plaintext"
        ) {
            self.verbatim = true;
        }
        if let Some(content) = content_of(name) {
            if self.select && !matches!(name, b"script" | b"textarea") {
                // The tree builder ignores these start tags inside a
                // `<select>`, so their content is ordinary markup there.
                self.kept(false);
                self.thin(unread);
                return Some(tag.end);
            }
            if name == b"textarea" {
                self.select = false;
            }
            let close = match content {
                Content::Script => script_end(self.src, tag.end)?,
                Content::Raw => raw_end(self.src, tag.end, name)?,
                Content::Plaintext => return None,
            };
            if blanked(name) && !self.is_json_ld(tag) {
                let end = scan_tag(self.src, close + 2)?.end;
                self.remove(lt, end);
                return Some(end);
            }
            self.kept(false);
            self.thin(unread);
            return Some(close);
        }
        if name == b"link" && !self.is_read_link(tag) {
            self.remove(lt, tag.end);
            return Some(tag.end);
        }
        if !self.tame_start(lt, tag) {
            return Some(tag.end);
        }
        self.kept(matches!(name, b"pre" | b"listing"));
        self.thin(unread);
        match name {
            b"select" => self.select = true,
            // These close an open `<select>` before they are inserted.
            b"input" | b"keygen" => self.select = false,
            b"svg" if !tag.self_closing => {
                self.foreign = 1;
                // Drawings are never text: an `<svg>` whose end this model
                // can find for sure is kept empty.
                if let Some(close) = svg_end(self.src, tag.end) {
                    self.cut(tag.end, close, b"");
                    return Some(close);
                }
            }
            // `<math/>` is complete: foreign elements honour the slash.
            b"math" if !tag.self_closing => self.foreign = 1,
            _ => {}
        }
        Some(tag.end)
    }

    /// A start tag inside SVG or MathML: nothing is raw text there, and
    /// only the nesting of `<svg>` and `<math>` is followed.
    fn foreign_start_tag(&mut self, lt: usize, tag: &Tag) -> Option<usize> {
        let name = tag.name();
        if breaks_out(name) || tag.attrs > self.max_attrs {
            // HTML content ends foreign content in ways not modelled here;
            // and attributes are cut only from HTML tags.
            return None;
        }
        if !self.tame_start(lt, tag) {
            return Some(tag.end);
        }
        self.kept(false);
        if tag.self_closing {
            return Some(tag.end);
        }
        match name {
            b"svg" | b"math" => self.foreign += 1,
            b"foreignobject" | b"annotation-xml" => return None,
            _ if !plain_integration_point(self.src, tag) => return None,
            _ => {}
        }
        Some(tag.end)
    }

    fn end_tag(&mut self, lt: usize, tag: &Tag) -> Option<usize> {
        let name = tag.name();
        if let Some(model) = &mut self.model {
            let written = &self.html[lt + 2..lt + 2 + tag.len];
            if !model.end(written, Kind::of_lower(tag.name())) {
                // Its start tag went: see `Scanner::tame_start`.
                self.cut_tag(lt, tag.end);
                return Some(tag.end);
            }
        }
        if self.foreign > 0 {
            if matches!(name, b"br" | b"p") {
                // Breaks out of foreign content: not followed here.
                return None;
            }
            if matches!(name, b"svg" | b"math") {
                self.foreign -= 1;
            }
        } else if name == b"select" {
            self.select = false;
        }
        self.kept(false);
        Some(tag.end)
    }

    /// Offers a start tag to the taming model; false when the tag would open
    /// one element too many and has been cut out, text and all of the page
    /// around it staying (see [`crate::limits::tame`]).
    fn tame_start(&mut self, lt: usize, tag: &Tag) -> bool {
        let Some(model) = &mut self.model else {
            return true;
        };
        let written = &self.html[lt + 1..lt + 1 + tag.len];
        let whole = &self.html[lt..tag.end];
        if model.start(written, Kind::of_lower(tag.name()), whole, tag.self_closing) {
            return true;
        }
        self.cut_tag(lt, tag.end);
        false
    }

    /// Cuts the tag `src[lt..end]` out; where a `<` of text comes right
    /// before it, an empty comment keeps that `<` from opening what follows.
    fn cut_tag(&mut self, lt: usize, end: usize) {
        self.cut(lt, end, stand_in(self.src, lt).as_bytes());
    }

    /// Whether the metadata reads a `<link>`: a canonical address, an
    /// `image_src` or an author. Style sheets, icons, feeds and preloads,
    /// a dozen per page, go whole (the element is void).
    fn is_read_link(&self, tag: &Tag) -> bool {
        tag.rel_attr.is_some_and(|(from, to)| {
            let rel = &self.src[from..to];
            rel.contains(&b'&')
                || contains_ci(rel, b"canonical")
                || contains_ci(rel, b"image_src")
                || contains_ci(rel, b"author")
        })
    }

    /// Whether a script start tag holds JSON-LD, the one script whose text
    /// the metadata reads. An attribute value with a character reference is
    /// kept too: the parser would decode it, and this pass does not.
    fn is_json_ld(&self, tag: &Tag) -> bool {
        let Some((from, to)) = tag.type_attr else {
            return false;
        };
        let raw = &self.src[from..to];
        raw.contains(&b'&')
            || std::str::from_utf8(raw)
                .is_ok_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"))
    }

    /// Cuts the unread attributes out of a tag that stays.
    fn thin(&mut self, unread: &[(usize, usize)]) {
        for &(from, to) in unread {
            self.cut(from, to, b"");
        }
    }

    /// Drops `src[from..to]`, writing `with` in its place.
    fn cut(&mut self, from: usize, to: usize, with: &[u8]) {
        if self.out.capacity() == 0 {
            self.out.reserve(self.src.len());
        }
        self.out.extend_from_slice(&self.src[self.copied..from]);
        self.out.extend_from_slice(with);
        self.copied = to;
    }
}

/// The character reference at `src[at..]` (an `&`) in text ending at `to`,
/// if it is one that can be written as its character without changing
/// what the tokenizer makes of the text: where it ends and the character.
///
/// Only references ending in `;` qualify: numeric ones for a character
/// that is not white space, a control, a surrogate, `<` or `&` (the
/// tokenizer maps some of those to other characters, and `<` and `&` would
/// start markup or another reference), and the most common named ones.
/// `&amp;` qualifies only when what follows cannot make the `&` start a
/// reference of its own.
fn reference(src: &[u8], at: usize, to: usize) -> Option<(usize, char)> {
    let body = &src[at + 1..to];
    let semi = body.iter().take(10).position(|&b| b == b';')?;
    let name = &body[..semi];
    let end = at + 1 + semi + 1;
    let c = if let Some(num) = name.strip_prefix(b"#") {
        let (digits, radix) = match num.first() {
            Some(b'x' | b'X') => (&num[1..], 16),
            _ => (num, 10),
        };
        if digits.is_empty() {
            return None;
        }
        let text = std::str::from_utf8(digits).ok()?;
        let code = u32::from_str_radix(text, radix).ok()?;
        let c = char::from_u32(code)?;
        let plain = code > 0x20 && !(0x7f..=0x9f).contains(&code) && c != '<' && c != '&';
        return plain.then_some((end, c));
    } else {
        match name {
            b"nbsp" => '\u{a0}',
            b"quot" => '"',
            b"gt" => '>',
            b"apos" => '\'',
            b"amp" => {
                let next = src.get(end).copied().unwrap_or(b' ');
                if next.is_ascii_alphanumeric() || next == b'#' {
                    return None;
                }
                '&'
            }
            b"raquo" => '»',
            b"laquo" => '«',
            b"rsquo" => '’',
            b"lsquo" => '‘',
            b"rdquo" => '”',
            b"ldquo" => '“',
            b"hellip" => '…',
            b"mdash" => '—',
            b"ndash" => '–',
            b"middot" => '·',
            b"bull" => '•',
            b"copy" => '©',
            b"reg" => '®',
            b"euro" => '€',
            b"pound" => '£',
            b"deg" => '°',
            b"auml" => 'ä',
            b"ouml" => 'ö',
            b"uuml" => 'ü',
            b"szlig" => 'ß',
            b"eacute" => 'é',
            b"egrave" => 'è',
            b"agrave" => 'à',
            b"ccedil" => 'ç',
            _ => return None,
        }
    };
    Some((end, c))
}

/// Where the next `<` of `rest` is. Most are a few bytes away (`</a></li>`),
/// where a plain look beats setting up a vector search.
fn find_markup(rest: &[u8]) -> Option<usize> {
    match rest.iter().take(16).position(|&b| b == b'<') {
        Some(at) => Some(at),
        None if rest.len() <= 16 => None,
        None => memchr::memchr(b'<', &rest[16..]).map(|at| at + 16),
    }
}

/// Whether `text` is empty, white space or more.
fn run_of(text: &[u8]) -> Run {
    if text.is_empty() {
        Run::Empty
    } else if text.iter().all(|&b| is_space(b)) {
        Run::Blank
    } else {
        Run::Text
    }
}

/// The text that follows `end`, up to the next markup (a `<` that starts
/// no markup is text).
fn run_after(src: &[u8], end: usize) -> Run {
    let rest = &src[end..];
    let Some(lt) = memchr::memchr(b'<', rest) else {
        return run_of(rest);
    };
    let markup = match rest.get(lt + 1) {
        Some(b'!' | b'?') => true,
        Some(b'/') => rest.get(lt + 2).is_some_and(|c| c.is_ascii_alphabetic()),
        Some(c) => c.is_ascii_alphabetic(),
        None => false,
    };
    if markup {
        run_of(&rest[..lt])
    } else {
        Run::Text
    }
}

/// Whether an SVG or MathML start tag is no integration point, or one that
/// holds only text up to its own end tag: inside integration points the
/// parser reads markup as HTML, which this model does not follow.
fn plain_integration_point(src: &[u8], tag: &Tag) -> bool {
    let name = tag.name();
    if !matches!(
        name,
        b"title" | b"desc" | b"mi" | b"mo" | b"mn" | b"ms" | b"mtext"
    ) {
        return true;
    }
    memchr::memchr(b'<', &src[tag.end..]).is_some_and(|at| is_end_tag_of(src, tag.end + at, name))
}

/// The `<` of the `</svg` that closes an `<svg>` whose content starts at
/// `from`, when its content is plain SVG; `None` at anything this model
/// does not follow (see the module docs) or when the page ends first.
fn svg_end(src: &[u8], from: usize) -> Option<usize> {
    let mut depth = 1u32;
    let mut i = from;
    loop {
        let lt = i + memchr::memchr(b'<', &src[i..])?;
        let rest = &src[lt..];
        i = match *rest.get(1)? {
            b'!' if rest.starts_with(b"<!--") => comment_end(src, lt + 4)?,
            b'!' if rest.starts_with(b"<![CDATA[") => find(src, lt + 9, b"]]>")? + 3,
            b'!' | b'?' => lt + 2 + memchr::memchr(b'>', &rest[2..])? + 1,
            b'/' => match *rest.get(2)? {
                c if c.is_ascii_alphabetic() => {
                    let tag = scan_tag(src, lt + 2)?;
                    match tag.name() {
                        b"svg" => {
                            depth -= 1;
                            if depth == 0 {
                                return Some(lt);
                            }
                        }
                        b"math" | b"br" | b"p" => return None,
                        _ => {}
                    }
                    tag.end
                }
                b'>' => lt + 3,
                _ => lt + 2 + memchr::memchr(b'>', &rest[2..])? + 1,
            },
            c if c.is_ascii_alphabetic() => {
                let tag = scan_tag(src, lt + 1)?;
                let name = tag.name();
                if breaks_out(name)
                    || matches!(name, b"math" | b"foreignobject")
                    || !plain_integration_point(src, &tag)
                {
                    return None;
                }
                if name == b"svg" && !tag.self_closing {
                    depth += 1;
                }
                tag.end
            }
            _ => lt + 1,
        };
    }
}

const EMPTY_COMMENT: &[u8] = b"<!---->";

/// The tokenizer state an HTML start tag switches to, if not the usual one.
fn content_of(name: &[u8]) -> Option<Content> {
    match name {
        b"script" => Some(Content::Script),
        b"style" | b"noscript" | b"xmp" | b"iframe" | b"noembed" | b"noframes" | b"title"
        | b"textarea" => Some(Content::Raw),
        b"plaintext" => Some(Content::Plaintext),
        _ => None,
    }
}

/// Elements whose content is never read: it is dropped.
fn blanked(name: &[u8]) -> bool {
    matches!(name, b"script" | b"style" | b"noscript")
}

/// Start tags that end SVG or MathML content in the tree builder.
fn breaks_out(name: &[u8]) -> bool {
    matches!(
        name,
        b"b" | b"big"
            | b"blockquote"
            | b"body"
            | b"br"
            | b"center"
            | b"code"
            | b"dd"
            | b"div"
            | b"dl"
            | b"dt"
            | b"em"
            | b"embed"
            | b"font"
            | b"h1"
            | b"h2"
            | b"h3"
            | b"h4"
            | b"h5"
            | b"h6"
            | b"head"
            | b"hr"
            | b"i"
            | b"img"
            | b"li"
            | b"listing"
            | b"menu"
            | b"meta"
            | b"nobr"
            | b"ol"
            | b"p"
            | b"pre"
            | b"ruby"
            | b"s"
            | b"small"
            | b"span"
            | b"strong"
            | b"strike"
            | b"sub"
            | b"sup"
            | b"table"
            | b"tt"
            | b"u"
            | b"ul"
            | b"var"
    )
}

/// What [`Reads`] needs to know of an attribute's name, from one lower-casing.
#[derive(Clone, Copy, PartialEq)]
enum AttrKind {
    /// Never read (see [`attribute_kind`]).
    Unread,
    /// Read on some tags or with some values only (see [`Reads::is_dead`]).
    Name,
    Type,
    Style,
    Rel,
    Href,
    /// Read.
    Other,
}

/// [`AttrKind::Unread`] for attributes that neither the extractor nor the
/// metadata reads, nor the tree builder in HTML content: event handlers, `data-*`, ARIA (but
/// `aria-hidden`), image sources and their text (`src`, `alt`), tooltips
/// (`title`), form values and targets, microdata types, responsive-image
/// and loading hints, and presentational and security attributes. They are
/// a fifth of a page's bytes, and the tokenizer copies every one of them
/// character by character. (`<font>`'s `color`, `face` and `size` matter
/// to the tree builder in foreign content, where nothing is cut, and on
/// formatting elements, whose attributes stay: see [`scan_tag_noting`].)
///
/// Everything reads attributes by name, and these are all the names read
/// (after decoding, which reads `charset` and `http-equiv` before this
/// pass): `class`, `id`, `href`, `rel`, `role`, `itemprop`, `name`,
/// `property`, `content`, `http-equiv`, `datetime`, `pubdate`, `type`,
/// `lang`, `xml:lang`, `hidden`, `aria-hidden`, `style`, `datatable`,
/// `summary`, `colspan` and `display` (on `<math>`). Before reading any
/// other attribute, make sure it is not dropped here.
fn attribute_kind(name: &[u8]) -> AttrKind {
    let mut buf = [0u8; 16];
    let n = name.len().min(buf.len());
    for (b, c) in buf.iter_mut().zip(&name[..n]) {
        *b = c.to_ascii_lowercase();
    }
    let lower = &buf[..n];
    if lower.starts_with(b"data-") || (lower.starts_with(b"on") && n > 2) {
        return AttrKind::Unread;
    }
    if lower.starts_with(b"aria-") {
        return if name.len() > n || lower != b"aria-hidden" {
            AttrKind::Unread
        } else {
            AttrKind::Other
        };
    }
    if name.len() > n {
        return AttrKind::Other;
    }
    match lower {
        b"class" | b"id" => AttrKind::Other,
        b"name" => AttrKind::Name,
        b"type" => AttrKind::Type,
        b"style" => AttrKind::Style,
        b"rel" => AttrKind::Rel,
        b"href" => AttrKind::Href,
        b"srcset" | b"sizes" | b"width" | b"height" | b"target" | b"align" | b"valign"
        | b"border" | b"bgcolor" | b"cellspacing" | b"cellpadding" | b"loading" | b"decoding"
        | b"fetchpriority" | b"tabindex" | b"crossorigin" | b"integrity" | b"referrerpolicy"
        | b"nonce" | b"async" | b"defer" | b"frameborder" | b"scrolling" | b"allow"
        | b"allowfullscreen" | b"sandbox" | b"autocomplete" | b"spellcheck" | b"draggable"
        | b"jsaction" | b"jsname" | b"jscontroller" | b"jsmodel" | b"jslog" | b"ping"
        | b"hreflang" | b"media" | b"src" | b"alt" | b"title" | b"value" | b"action"
        | b"method" | b"for" | b"placeholder" | b"poster" | b"itemscope" | b"itemtype" | b"dir"
        | b"background" | b"color" | b"face" | b"size" => AttrKind::Unread,
        _ => AttrKind::Other,
    }
}

/// Decides, attribute by attribute, whether anything reads an attribute
/// of a tag: [`AttrKind::Unread`] names never, and some names only on some
/// tags or with some values.
struct Reads {
    /// Whether `<a href>` targets are read (for Markdown).
    link_targets: bool,
    /// Bits of the value-dependent names already met on this tag: the
    /// tokenizer keeps the first of a name and drops the rest, so once the
    /// first is decided (kept or cut), the rest are never read.
    seen: u8,
}

impl Reads {
    const STYLE: u8 = 1;
    const REL: u8 = 2;
    const HREF: u8 = 4;

    /// Whether the attribute `name="value"` (raw, undecoded) of tag `tag`
    /// is never read, and can go:
    /// - `name` is read on `<meta>` and on `<a>` (the anchor where comments
    ///   start), `type` on `<script>` (JSON-LD) and
    ///   `<input>` (hidden fields; the tree builder reads it too);
    /// - `style` only for hiding, which needs `none` or `hidden` in it;
    /// - `rel` of a link only for `author`;
    /// - `href` of a link, without Markdown, only for targets on the page (`#...`).
    ///
    /// Where a character reference (`&`) could decode to what is read (the
    /// parser decodes it, this pass does not), the value is kept.
    fn is_dead(&mut self, tag: &[u8], name: &[u8], value: &[u8]) -> bool {
        let (bit, read) = match attribute_kind(name) {
            AttrKind::Unread => return true,
            AttrKind::Other => return false,
            AttrKind::Name => return !matches!(tag, b"meta" | b"a"),
            AttrKind::Type => return !matches!(tag, b"script" | b"input"),
            AttrKind::Style => (
                Reads::STYLE,
                contains_ci(value, b"none")
                    || contains_ci(value, b"hidden")
                    || value.contains(&b'&'),
            ),
            AttrKind::Rel if tag == b"a" => (
                Reads::REL,
                contains_ci(value, b"author") || value.contains(&b'&'),
            ),
            // Only the first character is read: a reference further on
            // (`?a=1&amp;b=2`) cannot change it.
            AttrKind::Href if tag == b"a" && !self.link_targets => {
                (Reads::HREF, matches!(value.first(), Some(b'#' | b'&')))
            }
            AttrKind::Rel | AttrKind::Href => return false,
        };
        let first = self.seen & bit == 0;
        self.seen |= bit;
        !first || !read
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// White space, `/`, `>` and `=` end an attribute name.
fn ends_attribute_name(b: u8) -> bool {
    // One comparison for the common case: every ending byte is below `?`.
    b <= b'>' && (is_space(b) || matches!(b, b'/' | b'>' | b'='))
}

/// Reads a tag whose name starts at `from` (after `<` or `</`), with its
/// attributes, following the tokenizer's attribute states so that a `>`
/// inside a quoted value does not end it. `None` when the page ends inside
/// the tag, where the tokenizer drops it.
fn scan_tag(src: &[u8], from: usize) -> Option<Tag> {
    scan_tag_noting(src, from, None, true, usize::MAX)
}

/// [`scan_tag`], also noting in `unread` the spans of the attributes
/// nobody reads (see [`Reads`]) that can be cut out cleanly (none of
/// formatting elements, whose attributes the tree builder compares), and,
/// unless `link_targets`, the `href` of links that leave the page; and the
/// span of all attributes past the first `max_attrs`, up to the `>`.
fn scan_tag_noting(
    src: &[u8],
    from: usize,
    mut unread: Option<&mut Vec<(usize, usize)>>,
    link_targets: bool,
    max_attrs: usize,
) -> Option<Tag> {
    let mut extra_from = None;
    let mut cut_href = None;
    let mut named = false;
    let mut i = from;
    let mut name = [0u8; 16];
    let mut reads = Reads {
        link_targets,
        seen: 0,
    };
    while i < src.len() && !is_space(src[i]) && src[i] != b'/' && src[i] != b'>' {
        if i - from < 16 {
            name[i - from] = src[i].to_ascii_lowercase();
        }
        i += 1;
    }
    let len = i - from;
    let mut tag = Tag {
        name,
        len,
        end: 0,
        self_closing: false,
        type_attr: None,
        rel_attr: None,
        attrs: 0,
    };
    if len > 16 {
        // Not a name any rule here knows.
        tag.name = [0xff; 16];
    }
    // Formatting elements keep all their attributes: the tree builder
    // reopens those left open across a block, but only the last three with
    // the same name and attributes (the "Noah's Ark" clause), so cutting
    // `<font color>` would make old pages' misnested fonts nest
    // differently. (`<a>` and `<nobr>` never pile up: see `Kind`.)
    let keep_all = Kind::of_lower(tag.name()).is_formatting();
    loop {
        while i < src.len() && is_space(src[i]) {
            i += 1;
        }
        let close = match *src.get(i)? {
            b'>' => Some(false),
            b'/' if src.get(i + 1) == Some(&b'>') => Some(true),
            b'/' => {
                i += 1;
                continue;
            }
            _ => None,
        };
        if let Some(self_closing) = close {
            let gt = i + usize::from(self_closing);
            if let (Some(spans), Some((at, name_start, name_end, end))) =
                (unread.as_deref_mut(), cut_href)
            {
                // A link's target goes. Its bare `href` stays only where
                // the link has a `name` or `id`: without `href` it would
                // pass for a named anchor, which is no link (see
                // `extract::dom::is_named_anchor`); elsewhere the attribute
                // would only cost the parser. What follows the value must
                // still end the name (`href="x"target=_blank` must not
                // become `hreftarget`).
                if !named {
                    spans.insert(at, (name_start, end));
                } else if name_end < end && src.get(end).is_some_and(|&c| ends_attribute_name(c)) {
                    spans.insert(at, (name_end, end));
                }
            }
            if let (Some(spans), Some(x)) = (unread.as_deref_mut(), extra_from) {
                // As the tame pass does: the `>` stays, so the tag ends where it did.
                spans.push((x, gt));
            }
            tag.self_closing = self_closing;
            tag.end = gt + 1;
            return Some(tag);
        }
        // An attribute name: its first character may be anything, even `=`.
        let name_start = i;
        tag.attrs += 1;
        if tag.attrs == max_attrs.saturating_add(1) {
            extra_from = Some(name_start);
        }
        i += 1;
        while i < src.len() && !ends_attribute_name(src[i]) {
            i += 1;
        }
        let attr = &src[name_start..i];
        let name_end = i;
        while i < src.len() && is_space(src[i]) {
            i += 1;
        }
        let (from, to) = if src.get(i) == Some(&b'=') {
            i += 1;
            while i < src.len() && is_space(src[i]) {
                i += 1;
            }
            match *src.get(i)? {
                q @ (b'"' | b'\'') => {
                    let close = i + 1 + memchr::memchr(q, &src[i + 1..])?;
                    let value = (i + 1, close);
                    i = close + 1;
                    value
                }
                b'>' => (i, i),
                _ => {
                    let start = i;
                    while i < src.len() && !is_space(src[i]) && src[i] != b'>' {
                        i += 1;
                    }
                    (start, i)
                }
            }
        } else {
            (name_end, name_end)
        };
        if let Some(spans) = unread
            .as_deref_mut()
            .filter(|_| extra_from.is_none() && !keep_all)
        {
            let dead = reads.is_dead(tag.name(), attr, &src[from..to]);
            // Cut only after white space, which keeps the attributes around
            // apart (and `<a/x>` from turning into `<a/>`).
            if dead && is_space(src[name_start - 1]) {
                let end = if from == to && to == name_end {
                    name_end
                } else {
                    i
                };
                if attr.eq_ignore_ascii_case(b"href") && cut_href.is_none() {
                    // Decided at the tag's end, in its place among the cuts.
                    cut_href = Some((spans.len(), name_start, name_end, end));
                } else {
                    spans.push((name_start, end));
                }
            }
        }
        if attr.eq_ignore_ascii_case(b"name") || attr.eq_ignore_ascii_case(b"id") {
            named = true;
        }
        if tag.rel_attr.is_none() && attr.eq_ignore_ascii_case(b"rel") {
            tag.rel_attr = Some((from, to));
        }
        if tag.type_attr.is_none() && attr.eq_ignore_ascii_case(b"type") {
            tag.type_attr = Some((from, to));
        }
    }
}

/// Whether `src[lt..]` starts the end tag `</name` followed by a character
/// that ends a tag name, as the tokenizer requires of the end tag that
/// closes raw text.
fn is_end_tag_of(src: &[u8], lt: usize, name: &[u8]) -> bool {
    let n = name.len();
    src.get(lt + 1) == Some(&b'/')
        && src
            .get(lt + 2..lt + 2 + n)
            .is_some_and(|s| s.eq_ignore_ascii_case(name))
        && src
            .get(lt + 2 + n)
            .is_some_and(|&c| is_space(c) || c == b'/' || c == b'>')
}

/// Where the raw text or RCDATA content of `name` starting at `from` ends:
/// the `<` of its end tag, or `None` when the page ends first.
fn raw_end(src: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut i = from;
    loop {
        let lt = i + memchr::memchr(b'<', &src[i..])?;
        if is_end_tag_of(src, lt, name) {
            return Some(lt);
        }
        i = lt + 1;
    }
}

/// Where script data starting at `from` ends: the `<` of `</script`, found
/// through the tokenizer's escaped (`<!--`) and double-escaped
/// (`<!--<script>`) states, in which `</script>` may or may not close it.
fn script_end(src: &[u8], from: usize) -> Option<usize> {
    #[derive(PartialEq)]
    enum State {
        Data,
        Escaped,
        DoubleEscaped,
    }
    let mut state = State::Data;
    let mut i = from;
    loop {
        match state {
            State::Data => {
                let lt = i + memchr::memchr(b'<', &src[i..])?;
                if is_end_tag_of(src, lt, b"script") {
                    return Some(lt);
                }
                if src[lt + 1..].starts_with(b"!--") {
                    // `<!--` leaves the tokenizer right after its dashes, where
                    // a `>` ends the escape at once (`<!-->`).
                    i = after_dashes(src, lt + 2, &mut state, State::Escaped, State::Data)?;
                } else {
                    i = lt + 1;
                }
            }
            State::Escaped | State::DoubleEscaped => {
                let at = i + memchr::memchr2(b'-', b'<', &src[i..])?;
                if src[at] == b'-' {
                    if src.get(at + 1) == Some(&b'-') {
                        let back = if state == State::Escaped {
                            State::Escaped
                        } else {
                            State::DoubleEscaped
                        };
                        i = after_dashes(src, at, &mut state, back, State::Data)?;
                    } else {
                        i = at + 1;
                    }
                    continue;
                }
                // A `<` in an escaped run.
                if state == State::Escaped {
                    if is_end_tag_of(src, at, b"script") {
                        return Some(at);
                    }
                    if starts_script_name(src, at + 1) {
                        state = State::DoubleEscaped;
                        i = at + 1 + b"script".len() + 1;
                        continue;
                    }
                } else if src.get(at + 1) == Some(&b'/') && starts_script_name(src, at + 2) {
                    state = State::Escaped;
                    i = at + 2 + b"script".len() + 1;
                    continue;
                }
                i = at + 1;
            }
        }
    }
}

/// After a run of two or more dashes starting at `at`: a `>` right after
/// them returns script data to its plain state, anything else leaves it in
/// `stay`. Returns the position after the dashes (and the `>`).
fn after_dashes<S>(src: &[u8], at: usize, state: &mut S, stay: S, plain: S) -> Option<usize> {
    let mut i = at;
    while src.get(i) == Some(&b'-') {
        i += 1;
    }
    match src.get(i) {
        None => None,
        Some(b'>') => {
            *state = plain;
            Some(i + 1)
        }
        Some(_) => {
            *state = stay;
            Some(i)
        }
    }
}

/// Whether `src[at..]` is `script` followed by a character that ends the
/// name, which switches the double-escape states.
fn starts_script_name(src: &[u8], at: usize) -> bool {
    src.get(at..at + 6)
        .is_some_and(|s| s.eq_ignore_ascii_case(b"script"))
        && src
            .get(at + 6)
            .is_some_and(|&c| is_space(c) || c == b'/' || c == b'>')
}

/// Just past the end of a comment whose data starts at `from` (after
/// `<!--`), as the tokenizer ends it: `-->`, `--!>`, or at once for `<!-->`
/// and `<!--->`. `None` when the page ends inside it.
fn comment_end(src: &[u8], from: usize) -> Option<usize> {
    match src.get(from..from + 2) {
        Some([b'>', _]) => return Some(from + 1),
        Some(b"->") => return Some(from + 2),
        _ => {}
    }
    let mut i = from;
    loop {
        let dash = find(src, i, b"--")?;
        let mut j = dash + 2;
        while src.get(j) == Some(&b'-') {
            j += 1;
        }
        match src.get(j)? {
            b'>' => return Some(j + 1),
            b'!' if src.get(j + 1) == Some(&b'>') => return Some(j + 2),
            _ => i = j,
        }
    }
}

/// The position of the first `needle` at or after `from`.
fn find(src: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(&src[from..], needle).map(|p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(html: &str) -> String {
        strip(html).into_owned()
    }

    #[test]
    fn scripts_and_styles_go_json_ld_stays() {
        assert_eq!(
            s("<p><script src=a.js></script><script>x()</script><STYLE media=x>a{}</Style ></p>"),
            "<p></p>"
        );
        let ld = r#"<script type=" Application/LD+JSON ">{"a": "</b>"}</script>"#;
        assert_eq!(s(ld), ld);
        let encoded = r#"<script type="application/ld&#43;json">{}</script>"#;
        assert_eq!(s(encoded), encoded);
        // Only the first `type` counts, as for the tokenizer.
        assert_eq!(
            s(r#"<p><script type="text/javascript" type="application/ld+json">{}</script></p>"#),
            "<p></p>"
        );
    }

    #[test]
    fn white_space_between_tags_becomes_spaces_before_any_pre() {
        // One space per character the parser makes: CR LF is one.
        assert_eq!(
            s("<p>a</p>\r\n\t<p>b</p>\r\r<p>"),
            "<p>a</p>  <p>b</p>  <p>"
        );
        // Text stays as written, and so does the page's tail.
        assert_eq!(s("<p>a\nb</p>\n<b>c</b>\n"), "<p>a\nb</p> <b>c</b>\n");
        // From the first element whose white space is text on, none changes.
        let page = "<div>\n<p>x</p>\n<pre>\n<b>code</b>\n</pre>\n</div>";
        assert_eq!(s(page), "<div> <p>x</p> <pre>\n<b>code</b>\n</pre>\n</div>");
        for name in ["listing", "textarea", "xmp", "plaintext"] {
            let page = format!("<{name}>\n<b>\n");
            assert_eq!(s(&page), page);
        }
    }

    #[test]
    fn text_on_both_sides_stays_apart() {
        assert_eq!(s("a<!-- b -->c"), "a<!---->c");
        assert_eq!(s("a <script>x</script> c"), "a <!----> c");
        // White space on both sides may join: it measures as nothing either way.
        assert_eq!(s("<p>\n<script>x</script>\n</p>"), "<p>  </p>");
        assert_eq!(
            s("<p>\n<script>x</script>\nText</p>"),
            "<p> <!---->\nText</p>"
        );
        assert_eq!(s("<p>a<script>x</script><b>c</b>"), "<p>a<b>c</b>");
        // After <pre> a line feed would be dropped by the parser.
        assert_eq!(s("<pre><!-- c -->\nx</pre>"), "<pre><!---->\nx</pre>");
        // Text next to white space would measure one more: kept apart too.
        assert_eq!(
            s("<p>a<!--1--> <!--2--> b</p>"),
            "<p>a<!----> <!----> b</p>"
        );
        // Runs of dropped nodes count together.
        assert_eq!(s("<p>a<!--1--><!--2--> b</p>"), "<p>a<!----> b</p>");
    }

    #[test]
    fn script_ends_where_the_tokenizer_ends_it() {
        // `</script` inside a string still ends the script; `</scripts` does not.
        assert_eq!(
            s("<p><script>a = '</scripts>'; b = '</script>';</script>x"),
            "<p>';</script>x"
        );
        // Escaped: `<!--` alone does not protect `</script>`.
        assert_eq!(s("<p><script><!-- a </script>b"), "<p>b");
        // Double escaped: `<!--<script>` does, until `</script>` and `-->`.
        assert_eq!(s("<p><script><!--<script>x</script>y--></script>z"), "<p>z");
        assert_eq!(s("<p><script><!--<script>x</script>y</script>z"), "<p>z");
        // `<!-->` ends the escape at once, so `<script>` does not double-escape.
        assert_eq!(s("<p><script><!--><script></script>z"), "<p>z");
        // The end tag may carry attributes with quoted `>`.
        assert_eq!(s("<p><script>x</script a='>'>y"), "<p>y");
    }

    #[test]
    fn unread_attributes_go() {
        assert_eq!(
            s(r#"<img class=c srcset="a 1x, b 2x" width=5 alt=x onclick="f('>')" data-id=7/>"#),
            // An unquoted value takes the `/` in: no self-closing slash was lost.
            "<img class=c     >"
        );
        assert_eq!(
            s(r#"<a href=y title="A <b>" TITLE=z><img src="x.png" alt='P'></a><input value=v>"#),
            r#"<a href=y  ><img  ></a><input >"#
        );
        // What the tree builder or the extractor reads stays.
        let kept = r#"<input type=hidden><math display=block></math><time datetime=2020 pubdate>"#;
        assert_eq!(s(kept), kept);
        assert_eq!(
            s(r#"<div class=c aria-label="Menu" aria-hidden=true hidden>x</div>"#),
            r#"<div class=c  aria-hidden=true hidden>x</div>"#
        );
        // Only after white space: `<a/onclick=x>` must not become `<a/>`.
        assert_eq!(s("<a/onclick=x href=y>z</a>"), "<a/onclick=x href=y>z</a>");
        assert_eq!(s("<a href=y data-x>z</a>"), "<a href=y >z</a>");
    }

    #[test]
    fn formatting_elements_keep_their_attributes() {
        // Four fonts left open across a paragraph are all reopened in the
        // next only while they differ: cut alike, three would come back.
        let page =
            "<p><font face=a><font face=b><font size=1><font color=red data-x=1>x</p><p>y</p>";
        assert_eq!(s(page), page);
        let fonts = |html: &str| {
            let doc = scraper::Html::parse_document(html);
            let sel = scraper::Selector::parse("p:last-child font").unwrap();
            doc.select(&sel).count()
        };
        assert_eq!(fonts(page), 4);
        assert_eq!(fonts(&s(page)), 4);
        // Other elements still lose what nobody reads.
        assert_eq!(s("<span color=red>x</span>"), "<span >x</span>");
    }

    #[test]
    fn common_references_in_text_are_written_as_their_characters() {
        let page = "<p class=\"a&nbsp;b\">a&nbsp;b &amp; c &amp;amp; d &amp;#38; &#8217;&#x27;&#X201C; \
            &#60; &lt; &#38; &#0; &#128; &#13; &#10; &#xD800; &#99999999999; &#; &notin; &ampx &amp \
            &quot;&gt;&raquo;&hellip;</p><textarea>&nbsp;</textarea><math><mi>&nbsp;</mi></math>";
        let out = s(page);
        // Decoded where it is safe, in text only.
        assert!(
            out.starts_with(
                "<p class=\"a&nbsp;b\">a\u{a0}b & c &amp;amp; d &amp;#38; ’'“ &#60; &lt; &#38;"
            ),
            "{out}"
        );
        assert!(
            out.contains(
                "&#0; &#128; &#13; &#10; &#xD800; &#99999999999; &#; &notin; &ampx &amp \">»…"
            ),
            "{out}"
        );
        assert!(
            out.contains("<textarea>&nbsp;</textarea><math><mi>\u{a0}</mi>"),
            "{out}"
        );
        // The parser makes the same text of both.
        let text = |html: &str| {
            let doc = scraper::Html::parse_document(html);
            let t: String = doc.root_element().text().collect();
            let class = doc
                .root_element()
                .descendent_elements()
                .find_map(|e| e.value().attr("class").map(str::to_owned));
            (t, class)
        };
        assert_eq!(text(&out), text(page));
    }

    #[test]
    fn taming_in_the_same_scan() {
        let caps = Caps {
            max_depth: 2,
            max_formatting: 1,
            max_attrs: 2,
        };
        let t = |html| {
            let s = strip_tamed(html, true, &caps);
            assert!(s.whole);
            s.html.into_owned()
        };
        // Too deep: the start tag and its end tag go, the text stays.
        assert_eq!(
            t("<div><div><div>x</div></div></div>"),
            "<div><div>x</div></div>"
        );
        // A formatting element past the cap goes too.
        assert_eq!(t("<p><b>a<i>b</i></b></p>"), "<p><b>ab</b></p>");
        // Attributes past the cap, up to the `>`.
        assert_eq!(
            t(r#"<p id=a class=b lang=c role=d>x</p>"#),
            "<p id=a class=b >x</p>"
        );
        // A `<` of text before a dropped tag must not open a new one.
        assert_eq!(t("<div><div><<div>x"), "<div><div><<!---->x");
        // What the pass cannot follow is left to the tame pass.
        assert!(!strip_tamed("<plaintext><div>", true, &caps).whole);
    }

    #[test]
    fn attributes_read_only_on_some_tags_or_values_go_elsewhere() {
        // `name` is read on <meta>, `type` on <script> and <input>.
        assert_eq!(
            s(
                r#"<meta name=author content=A><input name=q type=text><link type="text/css" rel=canonical>"#
            ),
            r#"<meta name=author content=A><input  type=text><link  rel=canonical>"#
        );
        // `style` only when it can hide; `rel` of a link only for "author".
        assert_eq!(
            s(
                r#"<p style="color:red">a</p><p style="DISPLAY: None">b</p><a rel="nofollow">c</a><a rel="Author">d</a>"#
            ),
            r#"<p >a</p><p style="DISPLAY: None">b</p><a >c</a><a rel="Author">d</a>"#
        );
        // The tokenizer keeps the first of a name: with the first cut, a
        // second must go too, or it would take the first one's place.
        assert_eq!(
            s(r#"<p style="x" style="display:none">a</p><p style="display:none" style=y>b</p>"#),
            r#"<p  >a</p><p style="display:none" >b</p>"#
        );
        // A character reference might decode to what is read: kept.
        assert_eq!(
            s(r#"<p style="&#110;one">a</p>"#),
            r#"<p style="&#110;one">a</p>"#
        );
        // Link targets go only without Markdown, and never an in-page one.
        let links = r##"<a href="/x" href="#y">1</a><a href="#n">2</a><a href>3</a>"##;
        assert_eq!(strip_with(links, true), links);
        assert_eq!(
            strip_with(links, false),
            r##"<a  >1</a><a href="#n">2</a><a >3</a>"##
        );
        // A link with a name keeps a bare `href`, which tells it from a
        // named anchor, unless cutting would glue two names together.
        assert_eq!(
            strip_with(
                r#"<a id="x" href="/y">4</a><a name=z href="/y"class=k>5</a>"#,
                false
            ),
            r#"<a id="x" href>4</a><a name=z href="/y"class=k>5</a>"#
        );
    }

    #[test]
    fn attributes_hide_markup() {
        let page = r#"<a class="<script>" href='x>y'>link</a><div lang=<style>z</div>"#;
        assert_eq!(s(page), page);
        assert!(matches!(strip(page), Cow::Borrowed(_)));
    }

    #[test]
    fn comments_end_where_the_tokenizer_ends_them() {
        assert_eq!(s("<p><!-->b<!-- c --></p>"), "<p>b</p>");
        assert_eq!(s("<p><!--->b</p>"), "<p>b</p>");
        assert_eq!(s("<p><!-- b --!>c</p>"), "<p>c</p>");
        assert_eq!(s("<p><!-- b --- >c -->d</p>"), "<p>d</p>");
        assert_eq!(s("<p><!-- <script> -->x</p>"), "<p>x</p>");
    }

    #[test]
    fn raw_text_is_not_markup() {
        let page = "<title><!-- not a comment --></title><textarea><script>t</textarea>";
        assert_eq!(s(page), page);
        assert_eq!(s("<p><noscript><img src=x><!-- c --></noscript>y"), "<p>y");
        assert_eq!(s("<xmp><style>a</xmp>b"), "<xmp><style>a</xmp>b");
        // Inside a <select> the tree builder ignores <style>: its text is
        // ordinary content there.
        let select = "<select><style>a<b>c</b></style></select>";
        assert_eq!(s(select), select);
    }

    #[test]
    fn unterminated_constructs_pass_through() {
        for page in [
            "<p>a<script>never closed",
            "<p>a<script>closed</script",
            "<p>a<style>never closed",
            "<p>a<!-- never closed",
            "<p>a<div class='never closed>",
            "<plaintext><script>x</script>",
            "<svg><path>",
        ] {
            assert_eq!(s(page), page);
        }
    }

    #[test]
    fn svg_is_emptied_when_its_end_is_certain() {
        assert_eq!(
            s("<p><svg viewBox='0 0 1 1'><title>Icon</title><svg><style/></svg><path d='M0'/></svg>x"),
            "<p><svg viewBox='0 0 1 1'></svg>x"
        );
        // In SVG, <style/> is self-closing, and <style> is not raw text.
        let svg = "<svg><style/><text>a</text></svg><style>b</style>";
        assert_eq!(s(svg), "<svg></svg>");
        let svg = "<svg><style><![CDATA[ </svg> ]]></style></svg><p>x";
        assert_eq!(s(svg), "<svg></svg><p>x");
        // HTML breaking out of SVG is not followed: the rest passes through.
        let out = "<svg><p>x<style>y</style>";
        assert_eq!(s(out), out);
        let out = "<svg><foreignObject><div>x</div></foreignObject></svg><script>y</script>";
        assert_eq!(s(out), out);
        let out = "<math><mi>x</mi><mo><b>y</b></mo></math><script>z</script>";
        assert_eq!(s(out), out);
    }
}
