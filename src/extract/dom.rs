//! A flat, pre-order arena over the parsed page, holding only what could be visible content.
//!
//! Every algorithm of the extractor works on indices into this arena: a
//! node's subtree is the contiguous range `i..end`, so "all descendants" is a
//! slice scan and per-node statistics are one reverse pass, with no recursion.

use ego_tree::NodeRef;
use scraper::node::Element;
use scraper::{Html, Node as SNode};

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
        let max_nodes = max_nodes.clamp(1, NONE as usize);
        let mut nodes: Vec<Node<'a>> = Vec::with_capacity(1024.min(max_nodes));
        let mut body = 0u32;
        let mut truncated = false;
        // Explicit stack instead of recursion: pages can nest arbitrarily deep.
        // Each entry carries the node's parent index and its depth.
        let mut stack: Vec<(NodeRef<'a, SNode>, u32, usize)> = vec![(doc.tree.root(), NONE, 0)];
        while let Some((node, parent, depth)) = stack.pop() {
            let idx = nodes.len() as u32;
            if nodes.len() >= max_nodes {
                truncated = true;
                break;
            }
            let (tag, el, text) = match node.value() {
                SNode::Document | SNode::Fragment => (Tag::OtherBlock, None, ""),
                SNode::Element(e) => {
                    let name = e.name();
                    if rules::is_never_content(name) || rules::is_hidden(e) {
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
            nodes.push(Node {
                tag,
                el,
                text,
                parent,
                end: idx + 1,
                chars,
                commas,
            });
            if el.is_some_and(|e| rules::is_control(e.name())) {
                continue;
            }
            // Below the depth cap, children hang from the element at the cap
            // (this node's parent) instead of this node, which stays a leaf.
            let (child_parent, child_depth) = if depth <= max_depth {
                (idx, depth + 1)
            } else {
                (parent, depth)
            };
            // Push children in reverse so the first child is visited next.
            let mut child = node.last_child();
            while let Some(c) = child {
                stack.push((c, child_parent, child_depth));
                child = c.prev_sibling();
            }
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

    /// An attribute of element `i`.
    pub fn attr(&self, i: u32, name: &str) -> Option<&'a str> {
        self.nodes[i as usize].el.and_then(|e| e.attr(name))
    }

    /// The lower-cased `class` and `id` of element `i`, space-separated.
    pub fn class_id(&self, i: u32) -> String {
        let mut s = String::new();
        if let Some(e) = self.nodes[i as usize].el {
            if let Some(c) = e.attr("class") {
                s.push_str(c);
            }
            if let Some(id) = e.attr("id") {
                s.push(' ');
                s.push_str(id);
            }
        }
        s.make_ascii_lowercase();
        s
    }

    /// True when `anc` is `i` or one of its ancestors.
    pub fn contains(&self, anc: u32, i: u32) -> bool {
        anc <= i && i < self.nodes[anc as usize].end
    }
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

/// Length of `text` with white-space runs counted as one character, and its commas.
fn measure(text: &str) -> (u32, u32) {
    let mut chars = 0u32;
    let mut commas = 0u32;
    let mut in_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            if !in_space {
                chars += 1;
            }
            in_space = true;
        } else {
            chars += 1;
            in_space = false;
            if rules::is_comma(c) {
                commas += 1;
            }
        }
    }
    if chars == 1 && in_space {
        // A white-space-only node between blocks is layout, not text.
        return (0, 0);
    }
    (chars, commas)
}
