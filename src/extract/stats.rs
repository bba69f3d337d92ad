//! Per-node statistics computed bottom-up in one pass over the arena.

use super::dom::{self, Dom, Tag, NONE};

/// Counts over a node's visible subtree.
#[derive(Debug, Clone, Copy, Default)]
pub struct Stats {
    /// Text characters (white-space runs count one).
    pub chars: u32,
    /// Text characters inside links (in-page `#` links weighted down).
    pub link_chars: f32,
    /// Text characters inside links of any kind, unweighted.
    pub all_link_chars: u32,
    /// Commas in the text.
    pub commas: u32,
    /// `<p>` descendants.
    pub p: u32,
    /// Image descendants.
    pub img: u32,
    /// `<br>` descendants (two in a row end a paragraph on old pages).
    pub br: u32,
    /// `<li>` descendants.
    pub li: u32,
    /// Form-control descendants.
    pub input: u32,
    /// Embedded-media descendants.
    pub embed: u32,
    /// Text characters inside headings.
    pub heading_chars: u32,
    /// Text characters inside "textish" descendants (span, li, td, p, div, ...),
    /// the numerator of Readability's text density.
    pub textish_chars: u32,
    /// Text characters inside `<li>` descendants.
    pub li_chars: u32,
    /// True when some descendant is a block element.
    pub has_block: bool,
}

impl Stats {
    /// Share of the text that sits in links.
    pub fn link_density(&self) -> f32 {
        if self.chars == 0 {
            0.0
        } else {
            (self.link_chars / self.chars as f32).min(1.0)
        }
    }

    fn add(&mut self, o: &Stats) {
        self.chars += o.chars;
        self.link_chars += o.link_chars;
        self.all_link_chars += o.all_link_chars;
        self.commas += o.commas;
        self.p += o.p;
        self.img += o.img;
        self.br += o.br;
        self.li += o.li;
        self.input += o.input;
        self.embed += o.embed;
        self.heading_chars += o.heading_chars;
        self.textish_chars += o.textish_chars;
        self.li_chars += o.li_chars;
        self.has_block |= o.has_block;
    }

    fn sub(&mut self, o: &Stats) {
        self.chars = self.chars.saturating_sub(o.chars);
        self.link_chars = (self.link_chars - o.link_chars).max(0.0);
        self.all_link_chars = self.all_link_chars.saturating_sub(o.all_link_chars);
        self.commas = self.commas.saturating_sub(o.commas);
        self.p = self.p.saturating_sub(o.p);
        self.img = self.img.saturating_sub(o.img);
        self.br = self.br.saturating_sub(o.br);
        self.li = self.li.saturating_sub(o.li);
        self.input = self.input.saturating_sub(o.input);
        self.embed = self.embed.saturating_sub(o.embed);
        self.heading_chars = self.heading_chars.saturating_sub(o.heading_chars);
        self.textish_chars = self.textish_chars.saturating_sub(o.textish_chars);
        self.li_chars = self.li_chars.saturating_sub(o.li_chars);
    }
}

fn is_textish(tag: Tag) -> bool {
    matches!(
        tag,
        Tag::OtherInline
            | Tag::Li
            | Tag::Td
            | Tag::Blockquote
            | Tag::Dl
            | Tag::Div
            | Tag::Img
            | Tag::Ol
            | Tag::P
            | Tag::Pre
            | Tag::Table
            | Tag::Ul
    )
}

/// Computes the statistics of every node not in `removed`, children before parents.
pub fn compute(dom: &Dom, removed: &[bool]) -> Vec<Stats> {
    let n = dom.len();
    let mut st = vec![Stats::default(); n];
    for i in (0..n).rev() {
        if removed[i] {
            continue;
        }
        let node = &dom.nodes[i];
        let mut s = st[i];
        match node.tag {
            Tag::Text => {
                s.chars = node.chars;
                s.commas = node.commas;
            }
            Tag::A => {
                // In-page anchors (footnotes, tables of contents) are less
                // of a sign of navigation than links away from the page.
                let w = match dom.attr(i as u32, "href") {
                    Some(h) if h.starts_with('#') => 0.3,
                    _ if dom::is_named_anchor(dom, i as u32) => 0.0,
                    _ => 1.0,
                };
                s.link_chars = s.chars as f32 * w;
                if w > 0.0 {
                    s.all_link_chars = s.chars;
                }
            }
            _ => {}
        }
        let p = node.parent;
        if p == NONE {
            st[i] = s;
            continue;
        }
        st[i] = s;
        st[p as usize].add(&lift(node.tag, s));
    }
    st
}

/// What a node with statistics `s` adds to its parent: its subtree plus itself.
fn lift(tag: Tag, s: Stats) -> Stats {
    let mut up = s;
    match tag {
        Tag::P => up.p += 1,
        Tag::Img => up.img += 1,
        Tag::Br => up.br += 1,
        Tag::Li => {
            up.li += 1;
            up.li_chars = s.chars;
        }
        // Buttons ("Copy" on code blocks, "Share") are not a form's fields.
        Tag::Input => up.input += 1,
        Tag::Embed => up.embed += 1,
        Tag::Heading(_) => up.heading_chars = s.chars,
        _ => {}
    }
    if is_textish(tag) {
        up.textish_chars = s.chars;
    }
    if tag.is_block() {
        up.has_block = true;
    }
    up
}

/// Takes a removed subtree's statistics out of its ancestors.
pub fn subtract(dom: &Dom, st: &mut [Stats], i: u32) {
    let gone = lift(dom.nodes[i as usize].tag, st[i as usize]);
    let mut a = dom.nodes[i as usize].parent;
    while a != NONE {
        st[a as usize].sub(&gone);
        a = dom.nodes[a as usize].parent;
    }
}
