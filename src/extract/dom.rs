//! A flat, pre-order arena over the parsed page, holding only what could be visible content.
//!
//! Every algorithm of the extractor works on indices into this arena: a
//! node's subtree is the contiguous range `i..end`, so "all descendants" is a
//! slice scan and per-node statistics are one reverse pass, with no recursion.

use ego_tree::iter::Edge;
use ego_tree::NodeId;
use html5ever::{local_name, ns};
use scraper::node::Element;
use scraper::{ElementRef, Html, Node as SNode};

use super::rules;

/// No parent (the root).
pub const NONE: u32 = u32::MAX;

/// The element kinds the heuristics tell apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Tag {
    Text,
    Html,
    Body,
    P,
    Div,
    Section,
    Article,
    Main,
    Header,
    Footer,
    Nav,
    Aside,
    Heading(u8),
    Ul,
    Ol,
    Li,
    Dl,
    Dt,
    Dd,
    Table,
    Tr,
    Td,
    Th,
    Caption,
    Pre,
    Code,
    Blockquote,
    Figure,
    Figcaption,
    Form,
    Input,
    Button,
    A,
    Img,
    Br,
    Hr,
    Strong,
    Em,
    Embed,
    /// Any other element that starts a new block (address, center, fieldset, ...).
    OtherBlock,
    /// Any other inline element (span, font, abbr, ...).
    OtherInline,
}

impl Tag {
    fn from_name(name: &str) -> Tag {
        match name {
            "html" => Tag::Html,
            "body" => Tag::Body,
            "p" => Tag::P,
            "div" => Tag::Div,
            "section" => Tag::Section,
            "article" => Tag::Article,
            "main" => Tag::Main,
            "header" | "hgroup" => Tag::Header,
            "footer" => Tag::Footer,
            "nav" => Tag::Nav,
            "aside" => Tag::Aside,
            "h1" => Tag::Heading(1),
            "h2" => Tag::Heading(2),
            "h3" => Tag::Heading(3),
            "h4" => Tag::Heading(4),
            "h5" => Tag::Heading(5),
            "h6" => Tag::Heading(6),
            "ul" | "menu" => Tag::Ul,
            "ol" => Tag::Ol,
            "li" => Tag::Li,
            "dl" => Tag::Dl,
            "dt" => Tag::Dt,
            "dd" => Tag::Dd,
            "table" => Tag::Table,
            "tr" => Tag::Tr,
            "td" => Tag::Td,
            "th" => Tag::Th,
            "caption" => Tag::Caption,
            "pre" | "listing" | "plaintext" | "xmp" => Tag::Pre,
            "code" | "kbd" | "samp" | "tt" => Tag::Code,
            "blockquote" => Tag::Blockquote,
            "figure" => Tag::Figure,
            "figcaption" => Tag::Figcaption,
            "form" => Tag::Form,
            "input" | "select" | "textarea" | "option" => Tag::Input,
            "button" => Tag::Button,
            "a" => Tag::A,
            "img" | "picture" => Tag::Img,
            "br" => Tag::Br,
            "hr" => Tag::Hr,
            "strong" | "b" => Tag::Strong,
            "em" | "i" => Tag::Em,
            "embed" | "object" | "video" | "audio" | "canvas" | "applet" => Tag::Embed,
            "address" | "center" | "fieldset" | "details" | "summary" | "legend" | "thead"
            | "tbody" | "tfoot" | "dialog" | "search" | "noindex" => Tag::OtherBlock,
            _ => Tag::OtherInline,
        }
    }

    /// True for elements that start a new line of text.
    pub fn is_block(self) -> bool {
        !matches!(
            self,
            Tag::Text
                | Tag::A
                | Tag::Img
                | Tag::Br
                | Tag::Strong
                | Tag::Em
                | Tag::Code
                | Tag::OtherInline
                | Tag::Input
                | Tag::Button
                | Tag::Embed
                | Tag::Td
                | Tag::Th
        )
    }

    /// True for headings h1–h6.
    pub fn is_heading(self) -> bool {
        matches!(self, Tag::Heading(_))
    }
}

/// One node of the arena.
#[derive(Debug, Clone)]
pub struct Node<'a> {
    /// What kind of node this is.
    pub tag: Tag,
    /// The element, for attribute look-ups (`None` for text).
    pub el: Option<&'a Element>,
    /// The raw text of a text node ("" for elements).
    pub text: &'a str,
    /// Index of the parent, or [`NONE`].
    pub parent: u32,
    /// One past the last index of this node's subtree.
    pub end: u32,
    /// Characters of the text once white space is collapsed (text nodes only).
    pub chars: u32,
    /// Commas in the text (text nodes only).
    pub commas: u32,
    /// Where the element's lower-cased `class id` sits in [`Dom::class_id_lower`]'s buffer.
    class_id: (u32, u32),
}

/// The arena: nodes in document (pre-order) order; index 0 is the root.
#[derive(Debug)]
pub struct Dom<'a> {
    /// All kept nodes.
    pub nodes: Vec<Node<'a>>,
    /// Index of `<body>`, or the root when the page has none.
    pub body: u32,
    /// True when the page hit the node cap and its tail was left out.
    pub truncated: bool,
    /// The lower-cased `class id` of every element, end to end (see
    /// [`Dom::class_id_lower`]): built once instead of on every look-up.
    class_ids: String,
}

impl<'a> Dom<'a> {
    /// Builds the arena, leaving out what is never content (scripts, styles,
    /// templates, SVG, frames, `<head>`) and what the page hides, within the
    /// default caps [`crate::limits::MAX_NODES`] and [`crate::limits::MAX_DEPTH`].
    pub fn build(doc: &'a Html) -> Dom<'a> {
        Dom::build_capped(doc, crate::limits::MAX_NODES, crate::limits::MAX_DEPTH)
    }

    /// [`Dom::build`] with explicit caps, so that hostile pages cost time and
    /// memory in proportion to the caps, never to their nesting.
    ///
    /// - At most `max_nodes` nodes are kept; the rest of the page (in
    ///   document order) is left out and [`Dom::truncated`] is set.
    /// - Elements nested deeper than `max_depth` are flattened: every node
    ///   below an element at depth `max_depth` becomes its direct, childless
    ///   child, in document order. The text survives, in order, and stages
    ///   that walk up or down the tree never go further than `max_depth`.
    ///
    /// ```
    /// let html = format!("<body>{}<p>deep</p></body>", "<div>".repeat(100));
    /// let doc = scraper::Html::parse_document(&html);
    /// let dom = copydesk::extract::dom::Dom::build_capped(&doc, 1_000, 10);
    /// assert!(dom.nodes.iter().any(|n| n.text == "deep"));
    /// assert!(dom.nodes.len() < 1_000 && !dom.truncated);
    /// let small = copydesk::extract::dom::Dom::build_capped(&doc, 20, 10);
    /// assert!(small.nodes.len() == 20 && small.truncated);
    /// ```
    pub fn build_capped(doc: &'a Html, max_nodes: usize, max_depth: usize) -> Dom<'a> {
        Dom::build_visiting(doc, max_nodes, max_depth, |_| {})
    }

    /// [`Dom::build_capped`], also handing every element of the tree (those
    /// the arena leaves out too: the head, scripts, hidden ones, and any
    /// past the node cap) to `visit`, in document order: the metadata reads
    /// the page in the same walk (see [`crate::metadata::Scan`]).
    ///
    /// ```
    /// let doc = scraper::Html::parse_document("<head><title>T</title></head><body><p>Text</p></body>");
    /// let mut names = Vec::new();
    /// let dom = copydesk::extract::dom::Dom::build_visiting(&doc, 100, 10, |el| names.push(el.value().name().to_owned()));
    /// assert_eq!(names, ["html", "head", "title", "body", "p"]);
    /// assert!(dom.nodes.iter().all(|n| n.text != "T"));
    /// ```
    pub fn build_visiting(
        doc: &'a Html,
        max_nodes: usize,
        max_depth: usize,
        mut visit: impl FnMut(ElementRef<'a>),
    ) -> Dom<'a> {
        let max_nodes = max_nodes.clamp(1, NONE as usize);
        let mut nodes: Vec<Node<'a>> = Vec::with_capacity(1024.min(max_nodes));
        let mut body = 0u32;
        let mut truncated = false;
        let mut class_ids = String::new();
        // The tree is walked in document order, the order html5ever laid its
        // nodes out in memory: a walk that visits each node once, front to
        // back, reads them as they stream from memory (pushing children in
        // reverse onto a stack read every child twice, the first time cold).
        // `open` holds, for each element being walked, its id, the arena
        // parent and depth of its children; `skip` the subtree being passed over.
        let mut open: Vec<(NodeId, u32, usize)> = Vec::new();
        let mut skip: Option<NodeId> = None;
        for edge in doc.tree.root().traverse() {
            let node = match edge {
                Edge::Open(node) => node,
                Edge::Close(node) => {
                    if skip == Some(node.id()) {
                        skip = None;
                    } else if skip.is_none() && open.last().is_some_and(|o| o.0 == node.id()) {
                        open.pop();
                    }
                    continue;
                }
            };
            if let Some(el) = ElementRef::wrap(node) {
                visit(el);
            }
            if skip.is_some() || truncated {
                continue;
            }
            let idx = nodes.len() as u32;
            if nodes.len() >= max_nodes {
                truncated = true;
                continue;
            }
            let (parent, depth) = open.last().map_or((NONE, 0), |o| (o.1, o.2));
            let (tag, el, text) = match node.value() {
                SNode::Document | SNode::Fragment => (Tag::OtherBlock, None, ""),
                SNode::Element(e) => {
                    let name = e.name();
                    if rules::is_never_content(name) || rules::is_hidden(e) {
                        skip = Some(node.id());
                        continue;
                    }
                    let tag = Tag::from_name(name);
                    if tag == Tag::Body && body == 0 {
                        body = idx;
                    }
                    (tag, Some(e), "")
                }
                SNode::Text(t) => {
                    let s: &'a str = t;
                    (Tag::Text, None, s)
                }
                _ => continue,
            };
            let (chars, commas) = if tag == Tag::Text {
                measure(text)
            } else {
                (0, 0)
            };
            if tag == Tag::Text && text.is_empty() {
                continue;
            }
            let class_id = el.map_or((0, 0), |e| push_class_id(&mut class_ids, e));
            nodes.push(Node {
                tag,
                el,
                text,
                parent,
                end: idx + 1,
                chars,
                commas,
                class_id,
            });
            if tag == Tag::Text {
                continue;
            }
            if el.is_some_and(|e| rules::is_control(e.name())) {
                skip = Some(node.id());
                continue;
            }
            // Below the depth cap, children hang from the element at the cap
            // (this node's parent) instead of this node, which stays a leaf.
            let children = if depth <= max_depth {
                (idx, depth + 1)
            } else {
                (parent, depth)
            };
            open.push((node.id(), children.0, children.1));
        }
        for i in (1..nodes.len()).rev() {
            let p = nodes[i].parent;
            if p != NONE {
                let e = nodes[i].end;
                if e > nodes[p as usize].end {
                    nodes[p as usize].end = e;
                }
            }
        }
        Dom {
            nodes,
            body,
            truncated,
            class_ids,
        }
    }

    /// The number of nodes.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// True when the arena holds nothing but the root.
    pub fn is_empty(&self) -> bool {
        self.nodes.len() <= 1
    }

    /// Indices of the children of `i`, in order.
    pub fn children(&self, i: u32) -> Children<'_, 'a> {
        Children {
            dom: self,
            next: i + 1,
            end: self.nodes[i as usize].end,
        }
    }

    /// An attribute of element `i` (see [`attr`]).
    pub fn attr(&self, i: u32, name: &str) -> Option<&'a str> {
        self.nodes[i as usize].el.and_then(|e| attr(e, name))
    }

    /// The lower-cased `class` and `id` of element `i`, space-separated.
    pub fn class_id(&self, i: u32) -> String {
        self.class_id_lower(i).to_owned()
    }

    /// [`Dom::class_id`] without allocating: the lower-cased `class`, then a
    /// space and the lower-cased `id` when there is one ("" for text nodes
    /// and bare elements), computed once when the arena is built.
    ///
    /// ```
    /// let doc = scraper::Html::parse_document(r#"<body><div class="Story Body" id="Main">x</div></body>"#);
    /// let dom = copydesk::extract::dom::Dom::build(&doc);
    /// let div = (0..dom.len() as u32).find(|&i| dom.attr(i, "id").is_some()).unwrap();
    /// assert_eq!(dom.class_id_lower(div), "story body main");
    /// assert_eq!(dom.class_id(div), dom.class_id_lower(div));
    /// ```
    pub fn class_id_lower(&self, i: u32) -> &str {
        let (start, len) = self.nodes[i as usize].class_id;
        &self.class_ids[start as usize..(start + len) as usize]
    }

    /// True when `anc` is `i` or one of its ancestors.
    pub fn contains(&self, anc: u32, i: u32) -> bool {
        anc <= i && i < self.nodes[anc as usize].end
    }
}

/// Whether `<a>` element `i` is a named anchor (`<a name="sect-a">`, a
/// glossary's `<a id="term">`), a place to jump to rather than a link:
/// no `href` but a name. (The prefilter leaves a bare `href` on links with
/// a name, for this.) An `<a>` with neither is a script's link, or one
/// whose target the prefilter cut, and still counts as one.
///
/// ```
/// use copydesk::extract::dom::{is_named_anchor, Dom, Tag};
/// let doc = scraper::Html::parse_document(r#"<p><a name="a">A</a> <a href="/b">B</a> <a onclick="go()">C</a></p>"#);
/// let dom = Dom::build(&doc);
/// let named: Vec<bool> = (0..dom.len() as u32)
///     .filter(|&i| dom.nodes[i as usize].tag == Tag::A)
///     .map(|i| is_named_anchor(&dom, i))
///     .collect();
/// assert_eq!(named, [true, false, false]);
/// ```
pub fn is_named_anchor(dom: &Dom, i: u32) -> bool {
    dom.attr(i, "href").is_none() && (dom.attr(i, "name").is_some() || dom.attr(i, "id").is_some())
}

/// Iterator over a node's children (see [`Dom::children`]).
pub struct Children<'d, 'a> {
    dom: &'d Dom<'a>,
    next: u32,
    end: u32,
}

impl Iterator for Children<'_, '_> {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        if self.next >= self.end {
            return None;
        }
        let c = self.next;
        self.next = self.dom.nodes[c as usize].end;
        Some(c)
    }
}

/// An attribute of an HTML element, as [`Element::attr`] finds it, without
/// its cost: that interns `name` and compares qualified names to
/// binary-search the attributes, a few hundred instructions a call, where
/// comparing the few attributes an element has takes a few dozen.
///
/// ```
/// let doc = scraper::Html::parse_fragment(r#"<a href="/x" class="more">more</a>"#);
/// let a = doc.root_element().first_child().and_then(scraper::ElementRef::wrap).unwrap();
/// assert_eq!(copydesk::extract::dom::attr(a.value(), "class"), Some("more"));
/// assert_eq!(copydesk::extract::dom::attr(a.value(), "id"), a.value().attr("id"));
/// ```
pub fn attr<'e>(e: &'e Element, name: &str) -> Option<&'e str> {
    match Attrs::slot(name) {
        Some(k) => {
            let atom = &COMMON[k];
            e.attrs
                .iter()
                .find(|(q, _)| plain(q) && q.local == *atom)
                .map(|(_, v)| &**v)
        }
        None => e
            .attrs
            .iter()
            .find(|(q, _)| plain(q) && &*q.local == name)
            .map(|(_, v)| &**v),
    }
}

/// `Element::attr` matches attributes without a namespace only.
fn plain(q: &html5ever::QualName) -> bool {
    q.prefix.is_none() && q.ns == ns!()
}

const COMMON_LEN: usize = 9;

/// The attribute names read on every element. They compare as interned
/// atoms (integers), where a name given as a string must be compared with
/// the text of each attribute's atom.
static COMMON: [html5ever::LocalName; COMMON_LEN] = [
    local_name!("class"),
    local_name!("id"),
    local_name!("href"),
    local_name!("style"),
    local_name!("hidden"),
    local_name!("type"),
    local_name!("aria-hidden"),
    local_name!("role"),
    local_name!("rel"),
];

/// The [`COMMON`] attributes of one element, found in one pass over its
/// attribute list, for code that asks for several of them in turn.
///
/// ```
/// let doc = scraper::Html::parse_fragment(r#"<p class="x" hidden data-k="v">t</p>"#);
/// let p = doc.root_element().first_child().and_then(scraper::ElementRef::wrap).unwrap();
/// let a = copydesk::extract::dom::Attrs::of(p.value());
/// assert_eq!((a.get("class"), a.get("hidden"), a.get("id")), (Some("x"), Some(""), None));
/// assert_eq!(a.get("data-k"), Some("v"));
/// ```
pub struct Attrs<'e> {
    el: &'e Element,
    values: [Option<&'e str>; COMMON_LEN],
}

impl<'e> Attrs<'e> {
    /// Reads the attributes of `e`.
    pub fn of(el: &'e Element) -> Attrs<'e> {
        let mut values = [None; COMMON_LEN];
        for (q, v) in &el.attrs {
            if !plain(q) {
                continue;
            }
            if let Some(k) = COMMON.iter().position(|c| *c == q.local) {
                // The first of a name wins, as in `Element::attr`.
                values[k].get_or_insert(&**v);
            }
        }
        Attrs { el, values }
    }

    /// The attribute `name`, as [`attr`] finds it.
    pub fn get(&self, name: &str) -> Option<&'e str> {
        match Attrs::slot(name) {
            Some(k) => self.values[k],
            None => attr(self.el, name),
        }
    }

    /// Where `name` sits in [`COMMON`].
    fn slot(name: &str) -> Option<usize> {
        Some(match name {
            "class" => 0,
            "id" => 1,
            "href" => 2,
            "style" => 3,
            "hidden" => 4,
            "type" => 5,
            "aria-hidden" => 6,
            "role" => 7,
            "rel" => 8,
            _ => return None,
        })
    }
}

/// Appends the lower-cased `class id` of `e` to `buf` (the format of
/// [`Dom::class_id`]) and returns where it sits.
fn push_class_id(buf: &mut String, e: &Element) -> (u32, u32) {
    let start = buf.len();
    let (mut class, mut id) = (None, None);
    // One pass, comparing interned names (integers), for every element.
    for (q, v) in &e.attrs {
        if q.prefix.is_none() && q.ns == ns!() {
            if q.local == local_name!("class") {
                class = Some(&**v);
            } else if q.local == local_name!("id") {
                id = Some(&**v);
            }
        }
    }
    if let Some(c) = class {
        buf.push_str(c);
    }
    if let Some(id) = id {
        buf.push(' ');
        buf.push_str(id);
    }
    buf[start..].make_ascii_lowercase();
    (start as u32, (buf.len() - start) as u32)
}

const SPACE: u8 = 1;
const COMMA: u8 = 2;

/// What [`measure`] sees in each ASCII byte: `char::is_whitespace` holds
/// for exactly these six, and `,` is the one ASCII comma of
/// [`rules::is_comma`].
const ASCII_CLASS: [u8; 128] = {
    let mut t = [0u8; 128];
    t[b' ' as usize] = SPACE;
    t[b'\t' as usize] = SPACE;
    t[b'\n' as usize] = SPACE;
    t[0x0b] = SPACE;
    t[0x0c] = SPACE;
    t[b'\r' as usize] = SPACE;
    t[b',' as usize] = COMMA;
    t
};

/// Length of `text` with white-space runs counted as one character, and its commas.
fn measure(text: &str) -> (u32, u32) {
    // The indentation between tags, a third of all nodes, comes as spaces
    // (see `crate::prefilter`): settled by one vectorised test.
    if text.bytes().all(|b| b == b' ') {
        return (0, 0);
    }
    let mut chars = 0u32;
    let mut commas = 0u32;
    let mut in_space = false;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // ASCII, most of any text, is classified from the byte by a table.
        let (space, comma, width) = if b.is_ascii() {
            let class = ASCII_CLASS[b as usize];
            (class == SPACE, class == COMMA, 1)
        } else {
            match text[i..].chars().next() {
                Some(c) => (c.is_whitespace(), rules::is_comma(c), c.len_utf8()),
                None => break,
            }
        };
        if space {
            if !in_space {
                chars += 1;
            }
            in_space = true;
        } else {
            chars += 1;
            in_space = false;
            commas += u32::from(comma);
        }
        i += width;
    }
    if chars == 1 && in_space {
        // A white-space-only node between blocks is layout, not text.
        return (0, 0);
    }
    (chars, commas)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The character-by-character definition `measure` must agree with.
    fn measure_by_chars(text: &str) -> (u32, u32) {
        let (mut chars, mut commas, mut in_space) = (0u32, 0u32, false);
        for c in text.chars() {
            if c.is_whitespace() {
                chars += u32::from(!in_space);
                in_space = true;
            } else {
                chars += 1;
                in_space = false;
                commas += u32::from(rules::is_comma(c));
            }
        }
        if chars == 1 && in_space {
            return (0, 0);
        }
        (chars, commas)
    }

    #[test]
    fn measure_counts_as_characters_do() {
        for text in [
            "",
            " ",
            "\n\t ",
            "a, b,  c",
            "\u{b}x\u{c}y\r\n",
            "caf\u{e9}, na\u{ef}ve\u{a0}\u{a0}text",
            "\u{3000}\u{65e5}\u{672c}\u{3001}\u{8a9e}\u{ff0c}x",
            "\u{85}",
            "end ",
        ] {
            assert_eq!(measure(text), measure_by_chars(text), "{text:?}");
        }
        for b in 0u8..128 {
            let text = format!("a{c}{c} b{c}", c = b as char);
            assert_eq!(measure(&text), measure_by_chars(&text), "{b:#x}");
        }
    }

    #[test]
    fn attr_finds_what_element_attr_finds() {
        let doc = Html::parse_document(
            r#"<html lang=en xml:lang=en><body><p class="A b" id=x data-k=v hidden style="s" aria-hidden=true role=note>t</p><a rel=author href=/a TYPE=x>a</a></body></html>"#,
        );
        for el in doc.root_element().descendent_elements() {
            let e = el.value();
            for name in [
                "class",
                "id",
                "lang",
                "xml:lang",
                "data-k",
                "hidden",
                "href",
                "",
                "style",
                "type",
                "aria-hidden",
                "role",
                "rel",
            ] {
                assert_eq!(attr(e, name), e.attr(name), "{name}");
                assert_eq!(Attrs::of(e).get(name), e.attr(name), "{name}");
            }
        }
    }
}
