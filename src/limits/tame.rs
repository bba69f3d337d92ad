//! A linear pre-pass that keeps the HTML parser's work linear.
//!
//! html5ever follows the HTML standard to the letter, and some of its steps
//! cost time in proportion to how many elements are open: almost every
//! start tag scans the stack of open elements ("is a `<p>` in button
//! scope?"), so a page of 100,000 unclosed `<div>`s takes hours; every
//! attribute is checked against the tag's earlier ones, so one tag with
//! 200,000 attributes takes minutes; and formatting elements (`<b>`,
//! `<font>`, ...) left open are re-opened after every block that closes
//! them, so a few thousand distinct ones turn a 20 KB page into millions of
//! nodes. Browsers cap these too (Blink stops nesting at depth 512).
//!
//! This pass scans the markup much as the tokenizer would (tags, quoted
//! attribute values, comments, raw-text elements), keeps a rough model of
//! the open elements, and drops the few tags that would push past a cap:
//! start tags nested deeper than [`Caps::max_depth`] (with their matching
//! end tags), formatting start tags beyond [`Caps::max_formatting`] open
//! ones, and attributes past [`Caps::max_attrs`] in one tag. Text is never
//! dropped, so a flattened page still yields its words in order. Ordinary
//! pages come nowhere near a cap and are returned as they are, borrowed.
//!
//! The model errs towards counting elements as open that the parser has
//! closed, but it is an estimate: a page crafted to fool it still meets the
//! parse guard of [`super::parse`] (node cap and deadline).

use std::borrow::Cow;
use std::collections::HashMap;

/// The caps the pass enforces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caps {
    /// Open elements (by the model) beyond which start tags are dropped.
    pub max_depth: usize,
    /// Open formatting elements (`<b>`, `<font>`, ...) beyond which more
    /// formatting start tags are dropped.
    pub max_formatting: usize,
    /// Attributes kept per tag.
    pub max_attrs: usize,
}

impl Default for Caps {
    fn default() -> Self {
        Caps {
            max_depth: super::MAX_DEPTH,
            max_formatting: 64,
            max_attrs: 1024,
        }
    }
}

/// The markup after the pass, and what it changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tamed<'a> {
    /// The markup to parse; borrowed when nothing was dropped.
    pub html: Cow<'a, str>,
    /// Tags dropped (start and end tags).
    pub dropped_tags: usize,
    /// Attributes dropped.
    pub dropped_attrs: usize,
}

/// Runs the pass; see the [module docs](self).
///
/// ```
/// use copydesk::limits::tame::{tame, Caps};
/// let caps = Caps { max_depth: 3, ..Caps::default() };
/// let t = tame("<div><div><div><div>deep</div></div></div></div>", &caps);
/// assert_eq!(t.html, "<div><div><div>deep</div></div></div>");
/// assert_eq!(t.dropped_tags, 2);
/// let page = "<p>An <b>ordinary</b> page.</p>";
/// assert!(matches!(tame(page, &caps).html, std::borrow::Cow::Borrowed(_)));
/// ```
pub fn tame<'a>(html: &'a str, caps: &Caps) -> Tamed<'a> {
    let mut scan = Scanner {
        html,
        bytes: html.as_bytes(),
        pos: 0,
        out: None,
        copied: 0,
        model: Model::new(*caps),
        dropped_tags: 0,
        dropped_attrs: 0,
    };
    scan.run();
    let out = match scan.out {
        Some(mut out) => {
            out.push_str(&html[scan.copied..]);
            Cow::Owned(out)
        }
        None => Cow::Borrowed(html),
    };
    Tamed {
        html: out,
        dropped_tags: scan.dropped_tags,
        dropped_attrs: scan.dropped_attrs,
    }
}

/// What the model needs to know about an element, from its name.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Kind {
    /// Never has content (`<br>`, `<img>`, ...).
    void: bool,
    /// Its end tag is optional: the parser closes it when a sibling starts,
    /// so it never nests deep on its own, and the model leaves it out
    /// rather than count every unclosed `<p>` as open.
    implied_end: bool,
    /// A formatting element that can pile up in the parser's list of active
    /// formatting elements. (`<a>` and `<nobr>` are not: they close an open
    /// one of their kind first, so at most one of each is ever open.)
    formatting: bool,
    /// `<a>` or `<nobr>`.
    closes_own_kind: bool,
    /// Puts a marker in the list of active formatting elements: formatting
    /// elements opened before it are not re-opened inside.
    marker: bool,
    /// Its content is text up to its end tag (outside SVG and MathML).
    raw_text: bool,
    /// `<plaintext>`: the rest of the page is text.
    plaintext: bool,
    /// `<svg>` or `<math>`: inside, `<x/>` is empty and raw-text elements
    /// are ordinary.
    foreign: bool,
}

impl Kind {
    pub(crate) fn of(name: &str) -> Kind {
        // The names that matter are short and ASCII; compare them lower-cased.
        let mut buf = [0u8; 10];
        let Some(lower) = buf.get_mut(..name.len()) else {
            return Kind::default();
        };
        lower.copy_from_slice(name.as_bytes());
        lower.make_ascii_lowercase();
        Kind::of_lower(lower)
    }

    /// A formatting element that can pile up in the parser's list of
    /// active formatting elements (see the field of that name).
    pub(crate) fn is_formatting(self) -> bool {
        self.formatting
    }

    /// [`Kind::of`] a name already lower-cased.
    pub(crate) fn of_lower(lower: &[u8]) -> Kind {
        let mut kind = Kind::default();
        match lower {
            b"area" | b"base" | b"basefont" | b"bgsound" | b"br" | b"col" | b"embed" | b"frame"
            | b"hr" | b"image" | b"img" | b"input" | b"keygen" | b"link" | b"meta" | b"param"
            | b"source" | b"track" | b"wbr" => kind.void = true,
            b"body" | b"colgroup" | b"dd" | b"dt" | b"head" | b"html" | b"li" | b"optgroup"
            | b"option" | b"p" | b"rb" | b"rp" | b"rt" | b"rtc" | b"tbody" | b"tfoot"
            | b"thead" | b"tr" => kind.implied_end = true,
            b"caption" | b"td" | b"th" => (kind.implied_end, kind.marker) = (true, true),
            b"applet" | b"marquee" | b"object" | b"template" => kind.marker = true,
            b"b" | b"big" | b"code" | b"em" | b"font" | b"i" | b"s" | b"small" | b"strike"
            | b"strong" | b"tt" | b"u" => kind.formatting = true,
            b"a" | b"nobr" => kind.closes_own_kind = true,
            b"iframe" | b"noembed" | b"noframes" | b"noscript" | b"script" | b"style"
            | b"textarea" | b"title" | b"xmp" => kind.raw_text = true,
            b"plaintext" => kind.plaintext = true,
            b"svg" | b"math" => kind.foreign = true,
            _ => {}
        }
        kind
    }
}

/// How far down the model's stack an end tag looks for its element: far
/// enough for real misnesting, near enough to keep the pass linear.
const END_TAG_REACH: usize = 64;

/// The rough model of what the parser has open.
pub(crate) struct Model<'a> {
    caps: Caps,
    /// Open elements by name (as written in the page), outermost first.
    stack: Vec<&'a str>,
    /// How many entries of `stack` are `<svg>` or `<math>`: inside them
    /// `<x/>` is an empty element and raw-text elements are ordinary.
    foreign: usize,
    /// Open formatting elements by their whole start tag (`None` is a
    /// marker), for the parser's list of active formatting elements.
    formatting: Vec<Option<&'a str>>,
    /// How many entries of `formatting` are not markers.
    open_formatting: usize,
    /// Dropped start tags per lower-cased name whose end tags are still to
    /// come, so those end tags are dropped too.
    dropped: HashMap<String, usize>,
}

impl<'a> Model<'a> {
    pub(crate) fn new(caps: Caps) -> Self {
        Model {
            caps,
            stack: Vec::new(),
            foreign: 0,
            formatting: Vec::new(),
            open_formatting: 0,
            dropped: HashMap::new(),
        }
    }

    /// A start tag: returns false when it is to be dropped.
    pub(crate) fn start(
        &mut self,
        name: &'a str,
        kind: Kind,
        whole: &'a str,
        self_closing: bool,
    ) -> bool {
        if kind.void || (self_closing && self.foreign > 0) {
            return true;
        }
        if self.foreign == 0 && (kind.raw_text || kind.plaintext) {
            return true; // text inside, so nothing nests in it
        }
        if kind.marker {
            self.formatting.push(None);
        }
        if kind.implied_end {
            return true;
        }
        if kind.closes_own_kind {
            self.close(name);
        }
        if self.stack.len() >= self.caps.max_depth {
            return self.drop(name);
        }
        if kind.formatting && !self.open_formatting(whole) {
            return self.drop(name);
        }
        if kind.foreign {
            self.foreign += 1;
        }
        self.stack.push(name);
        true
    }

    /// Adds a formatting element to the list, as the parser would (at most
    /// three identical ones after the last marker); false when the list is full.
    fn open_formatting(&mut self, whole: &'a str) -> bool {
        // Entries after the last marker: never more than the cap.
        let since_marker = self
            .formatting
            .iter()
            .rposition(Option::is_none)
            .map_or(0, |m| m + 1);
        let mut same = (since_marker..self.formatting.len())
            .filter(|&i| self.formatting[i].is_some_and(|t| t.eq_ignore_ascii_case(whole)));
        if let (Some(first), Some(_), Some(_)) = (same.next(), same.next(), same.next()) {
            self.formatting.remove(first);
            self.open_formatting -= 1;
        }
        if self.open_formatting >= self.caps.max_formatting {
            return false;
        }
        self.formatting.push(Some(whole));
        self.open_formatting += 1;
        true
    }

    fn drop(&mut self, name: &str) -> bool {
        *self.dropped.entry(name.to_ascii_lowercase()).or_default() += 1;
        false
    }

    /// An end tag: returns false when it is to be dropped.
    pub(crate) fn end(&mut self, name: &str, kind: Kind) -> bool {
        if !self.dropped.is_empty() {
            if let Some(n) = self.dropped.get_mut(&name.to_ascii_lowercase()) {
                if *n > 0 {
                    *n -= 1;
                    return false;
                }
            }
        }
        // `start` never puts these on the stack: nothing to look for.
        if !(kind.void || kind.implied_end) {
            self.close(name);
        }
        if kind.formatting {
            let last = self.formatting.iter().rposition(|f| match f {
                Some(tag) => tag_name(tag).eq_ignore_ascii_case(name),
                None => true,
            });
            if let Some(i) = last.filter(|&i| self.formatting[i].is_some()) {
                self.formatting.remove(i);
                self.open_formatting -= 1;
            }
        } else if kind.marker {
            if let Some(m) = self.formatting.iter().rposition(Option::is_none) {
                let closed = self.formatting.split_off(m);
                self.open_formatting -= closed.iter().filter(|f| f.is_some()).count();
            }
        }
        true
    }

    /// Closes the nearest open `name` and everything opened after it, if
    /// it is within reach.
    fn close(&mut self, name: &str) {
        let reach = self.stack.len().saturating_sub(END_TAG_REACH);
        if let Some(at) = self.stack[reach..]
            .iter()
            .rposition(|open| open.eq_ignore_ascii_case(name))
        {
            // Closing happens at nearly every end tag: no copy of what
            // closes, and no look at it outside SVG and MathML.
            if self.foreign > 0 {
                let closed = &self.stack[reach + at..];
                self.foreign -= closed.iter().filter(|n| Kind::of(n).foreign).count();
            }
            self.stack.truncate(reach + at);
        }
    }
}

/// The name of a whole start tag such as `<b class="x">`.
fn tag_name(whole: &str) -> &str {
    let rest = &whole[1..];
    let end = rest
        .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
        .unwrap_or(rest.len());
    &rest[..end]
}

/// One tag as scanned.
struct Tag<'a> {
    /// Its name as written.
    name: &'a str,
    /// One past its closing `>` (or the end of the input).
    end: usize,
    /// Ends in `/>`.
    self_closing: bool,
    /// Where the attribute past the cap starts, if there is one.
    cut: Option<usize>,
    /// Attributes past the cap.
    extra_attrs: usize,
}

struct Scanner<'a> {
    html: &'a str,
    bytes: &'a [u8],
    pos: usize,
    /// The rewritten markup, started at the first change.
    out: Option<String>,
    /// How much of `html` has been copied into `out`.
    copied: usize,
    model: Model<'a>,
    dropped_tags: usize,
    dropped_attrs: usize,
}

impl<'a> Scanner<'a> {
    fn run(&mut self) {
        while let Some(rel) = memchr::memchr(b'<', &self.bytes[self.pos..]) {
            let at = self.pos + rel;
            let next = self.bytes.get(at + 1).copied();
            self.pos = match next {
                Some(b'!') if self.bytes[at..].starts_with(b"<!--") => self.comment(at),
                Some(b'!' | b'?') => self.bogus_comment(at + 1),
                Some(b'/') => self.end_tag(at),
                Some(c) if c.is_ascii_alphabetic() => self.start_tag(at),
                _ => at + 1,
            };
        }
    }

    /// Skips a `<!-- -->` comment (to the end of the input when unterminated).
    fn comment(&self, at: usize) -> usize {
        let body = at + 4;
        let rest = &self.bytes[body..];
        if rest.starts_with(b">") {
            return body + 1;
        }
        if rest.starts_with(b"->") {
            return body + 2;
        }
        // `-->` ends it, and so does the erroneous `--!>`.
        let mut i = 0;
        while let Some(rel) = find(&rest[i..], b"--") {
            let at = i + rel + 2;
            match rest.get(at) {
                Some(b'>') => return body + at + 1,
                Some(b'!') if rest.get(at + 1) == Some(&b'>') => return body + at + 2,
                _ => i = at - 1,
            }
        }
        self.bytes.len()
    }

    /// Skips a `<!...>` or `<?...>` construct, or a malformed end tag.
    fn bogus_comment(&self, from: usize) -> usize {
        memchr::memchr(b'>', &self.bytes[from..]).map_or(self.bytes.len(), |i| from + i + 1)
    }

    fn end_tag(&mut self, at: usize) -> usize {
        match self.bytes.get(at + 2) {
            Some(c) if c.is_ascii_alphabetic() => {}
            Some(b'>') => return at + 3,
            _ => return self.bogus_comment(at + 2),
        }
        let tag = self.tag(at + 2);
        if !self.model.end(tag.name, Kind::of(tag.name)) {
            self.cut(at, tag.end);
            self.dropped_tags += 1;
        }
        tag.end
    }

    fn start_tag(&mut self, at: usize) -> usize {
        let tag = self.tag(at + 1);
        let whole = &self.html[at..tag.end];
        let kind = Kind::of(tag.name);
        if !self.model.start(tag.name, kind, whole, tag.self_closing) {
            self.cut(at, tag.end);
            self.dropped_tags += 1;
            return tag.end;
        }
        if let Some(cut) = tag.cut {
            // Keep the closing `>` so the tag still ends where it did.
            let close = if self.bytes[tag.end - 1] == b'>' {
                tag.end - 1
            } else {
                tag.end
            };
            self.cut(cut, close);
            self.dropped_attrs += tag.extra_attrs;
        }
        if kind.raw_text && self.model.foreign == 0 {
            return self.raw_text(tag.end, tag.name);
        }
        if kind.plaintext && self.model.foreign == 0 {
            return self.bytes.len();
        }
        tag.end
    }

    /// Skips the text of a raw-text element up to its end tag, which is then
    /// scanned as a tag.
    fn raw_text(&self, from: usize, name: &str) -> usize {
        let mut i = from;
        while let Some(rel) = find(&self.bytes[i..], b"</") {
            let at = i + rel;
            let after = at + 2 + name.len();
            if self.bytes.len() >= after
                && self.bytes[at + 2..after].eq_ignore_ascii_case(name.as_bytes())
                && self
                    .bytes
                    .get(after)
                    .is_none_or(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>')
            {
                return at;
            }
            i = at + 2;
        }
        self.bytes.len()
    }

    /// Scans a tag from its name at `from`: name, attributes and end.
    fn tag(&self, from: usize) -> Tag<'a> {
        let b = self.bytes;
        let mut i = from;
        while i < b.len() && !is_tag_space(b[i]) && b[i] != b'/' && b[i] != b'>' {
            i += 1;
        }
        let name = &self.html[from..i];
        let mut attrs = 0usize;
        let mut cut = None;
        let mut self_closing = false;
        loop {
            while i < b.len() && (is_tag_space(b[i]) || b[i] == b'/') {
                self_closing = b[i] == b'/';
                i += 1;
            }
            if i >= b.len() {
                break;
            }
            if b[i] == b'>' {
                i += 1;
                break;
            }
            self_closing = false;
            let start = i;
            // A name: its first character may be anything, even `=`.
            i += 1;
            while i < b.len() && !is_tag_space(b[i]) && !matches!(b[i], b'/' | b'>' | b'=') {
                i += 1;
            }
            let mut j = i;
            while j < b.len() && is_tag_space(b[j]) {
                j += 1;
            }
            if j < b.len() && b[j] == b'=' {
                j += 1;
                while j < b.len() && is_tag_space(b[j]) {
                    j += 1;
                }
                i = match b.get(j) {
                    Some(&q @ (b'"' | b'\'')) => {
                        memchr::memchr(q, &b[j + 1..]).map_or(b.len(), |k| j + 1 + k + 1)
                    }
                    _ => {
                        let mut k = j;
                        while k < b.len() && !is_tag_space(b[k]) && b[k] != b'>' {
                            k += 1;
                        }
                        k
                    }
                };
            }
            attrs += 1;
            if attrs == self.model.caps.max_attrs + 1 {
                cut = Some(start);
            }
        }
        Tag {
            name,
            end: i.min(b.len()),
            self_closing,
            cut,
            extra_attrs: attrs.saturating_sub(self.model.caps.max_attrs),
        }
    }

    /// Leaves `html[from..to]` out of the output (see [`stand_in`]).
    fn cut(&mut self, from: usize, to: usize) {
        let out = self
            .out
            .get_or_insert_with(|| String::with_capacity(self.html.len()));
        out.push_str(&self.html[self.copied..from]);
        out.push_str(stand_in(self.bytes, from));
        self.copied = to;
    }
}

/// What to write in place of a tag cut out at `src[at..]`: nothing, or,
/// where a `<` of text comes right before, an empty comment, so that the
/// `<` does not open a tag with what follows.
pub(crate) fn stand_in(src: &[u8], at: usize) -> &'static str {
    if at > 0 && src[at - 1] == b'<' {
        "<!---->"
    } else {
        ""
    }
}

fn is_tag_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// Index of the first occurrence of `needle` in `hay`.
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caps(depth: usize) -> Caps {
        Caps {
            max_depth: depth,
            ..Caps::default()
        }
    }

    #[test]
    fn deep_nesting_is_flattened_and_text_kept() {
        let html = format!("{}x{}", "<div>".repeat(10), "</div>".repeat(10));
        let t = tame(&html, &caps(4));
        assert_eq!(
            t.html,
            format!("{}x{}", "<div>".repeat(4), "</div>".repeat(4))
        );
        assert_eq!(t.dropped_tags, 12);
    }

    #[test]
    fn closed_siblings_do_not_add_up() {
        let html = "<div><span>a</span></div>".repeat(1000);
        assert!(matches!(tame(&html, &caps(4)).html, Cow::Borrowed(_)));
    }

    #[test]
    fn unclosed_paragraphs_and_items_are_not_nesting() {
        let html = format!(
            "<ul>{}</ul>{}",
            "<li>item".repeat(500),
            "<p>para".repeat(500)
        );
        assert!(matches!(tame(&html, &caps(4)).html, Cow::Borrowed(_)));
    }

    #[test]
    fn an_ancestor_end_tag_closes_misnested_inline_elements() {
        let html = "<div><b><span>x</div>".repeat(1000);
        assert!(matches!(tame(&html, &caps(8)).html, Cow::Borrowed(_)));
    }

    #[test]
    fn attributes_past_the_cap_are_dropped() {
        let caps = Caps {
            max_attrs: 2,
            ..Caps::default()
        };
        let t = tame("<p a=1 b='2' c=\"3>\" d>text</p>", &caps);
        assert_eq!(t.html, "<p a=1 b='2' >text</p>");
        assert_eq!(t.dropped_attrs, 2);
    }

    #[test]
    fn distinct_open_formatting_elements_are_capped() {
        let caps = Caps {
            max_formatting: 3,
            ..Caps::default()
        };
        let html: String = (0..5).map(|i| format!("<b id={i}>")).collect::<String>() + "x</b>";
        let t = tame(&html, &caps);
        assert_eq!(t.html, "<b id=0><b id=1><b id=2>x");
        // Identical ones stay: the parser keeps only three of them anyway.
        let same = "<b>".repeat(100) + "x";
        assert!(matches!(tame(&same, &caps).html, Cow::Borrowed(_)));
    }

    #[test]
    fn markup_in_comments_scripts_and_quotes_is_not_counted() {
        let deep = "<div>".repeat(50);
        let html =
            format!("<!--{deep}--><script>{deep}</script><p title='{deep}'>x</p><style>{deep}");
        assert!(matches!(tame(&html, &caps(4)).html, Cow::Borrowed(_)));
    }

    #[test]
    fn self_closing_svg_children_are_empty() {
        let html = format!("<svg>{}</svg>", "<path d='M0'/>".repeat(100));
        assert!(matches!(tame(&html, &caps(4)).html, Cow::Borrowed(_)));
    }

    #[test]
    fn broken_markup_ends_the_scan_safely() {
        for html in [
            "<",
            "</",
            "<div",
            "<div a='",
            "<!--",
            "<!",
            "</div",
            "<script>x",
            "<a b=>",
        ] {
            let t = tame(html, &caps(1));
            assert_eq!(t.html, html);
        }
    }
}
