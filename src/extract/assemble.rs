//! Turns the chosen subtrees into text lines (and optionally Markdown).

use super::dom::{self, Dom, Tag};

/// What kind of block a line came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A paragraph or other prose block.
    Para,
    /// A heading of the given level.
    Heading(u8),
    /// A list item.
    Item,
    /// A table row.
    Row,
    /// A line of preformatted text.
    Code,
    /// A quotation.
    Quote,
}

/// One output line with what the walk learned about it.
#[derive(Debug, Clone)]
pub struct Line {
    /// The line's text (Markdown when rendering Markdown).
    pub text: String,
    /// Its block kind.
    pub kind: Kind,
    /// Characters of the line that sit inside links.
    pub link_chars: usize,
    /// Index of the block element the line came from.
    pub block: u32,
}

/// MathML's token elements: identifiers, operators, numbers, text.
fn is_math_token(name: &str) -> bool {
    matches!(name, "mi" | "mo" | "mn" | "ms" | "mtext")
}

#[derive(Clone, Copy)]
enum Close {
    Nothing,
    /// The space after a MathML token (see `Walker::math_space`).
    MathSpace,
    Block,
    Pre,
    Link,
    Marker(&'static str),
    List,
}

struct Walker<'d, 'a> {
    dom: &'d Dom<'a>,
    markdown: bool,
    lines: Vec<Line>,
    cur: String,
    cur_links: usize,
    kind: Kind,
    block: u32,
    in_pre: u32,
    in_link: u32,
    in_quote: u32,
    /// The line ends in the space that follows a MathML token, which
    /// punctuation after the formula takes back ("a ≠ 0," not "a ≠ 0 ,").
    math_space: bool,
    /// Open lists: `None` for bullets, `Some(n)` for the next ordered number.
    lists: Vec<Option<u32>>,
    /// Rows seen in the current table (for the Markdown header rule).
    rows: Vec<u32>,
    link_href: Vec<String>,
}

impl Walker<'_, '_> {
    fn flush(&mut self) {
        let t = self.cur.trim();
        // A Markdown prefix with nothing after it is an empty block.
        let bare_prefix = self.markdown && matches!(t, "-" | "*" | ">" | "|");
        if !t.is_empty() && !bare_prefix {
            let text = if self.kind == Kind::Code {
                self.cur.trim_end().to_string()
            } else {
                t.to_string()
            };
            self.lines.push(Line {
                text,
                kind: self.kind,
                link_chars: self.cur_links,
                block: self.block,
            });
        }
        self.cur.clear();
        self.cur_links = 0;
        self.math_space = false;
    }

    fn push_text(&mut self, s: &str) {
        // Link characters are counted as they are pushed: measuring the line
        // before and after each push is quadratic on a line of many links.
        let link = usize::from(self.in_link > 0);
        if self.in_pre > 0 {
            let mut first = true;
            for part in s.split('\n') {
                if !first {
                    self.flush();
                    self.kind = Kind::Code;
                }
                first = false;
                for c in part.chars().filter(|c| *c == '\t' || !c.is_control()) {
                    self.cur.push(c);
                    self.cur_links += link;
                }
            }
        } else {
            let lead = s.trim_start();
            if !lead.is_empty()
                && std::mem::take(&mut self.math_space)
                && lead.starts_with([',', '.', ';', ':', '!', '?', ')'])
                && self.cur.ends_with(' ')
            {
                self.cur.pop();
                return self.push_text(lead);
            }
            for c in s.chars() {
                if c.is_whitespace() {
                    if !self.cur.is_empty() && !self.cur.ends_with(' ') {
                        self.cur.push(' ');
                        self.cur_links += link;
                    }
                } else if !c.is_control() {
                    self.cur.push(c);
                    self.cur_links += link;
                }
            }
        }
    }

    fn space(&mut self) {
        if !self.cur.is_empty() && !self.cur.ends_with(' ') {
            self.cur.push(' ');
        }
    }

    fn open_block(&mut self, i: u32, kind: Kind) {
        self.flush();
        self.kind = kind;
        self.block = i;
        if !self.markdown {
            return;
        }
        let quote = if self.in_quote > 0 { "> " } else { "" };
        self.cur.push_str(quote);
        match kind {
            Kind::Heading(l) => {
                for _ in 0..l {
                    self.cur.push('#');
                }
                self.cur.push(' ');
            }
            Kind::Item => {
                let depth = self.lists.len().saturating_sub(1);
                for _ in 0..depth {
                    self.cur.push_str("  ");
                }
                match self.lists.last_mut() {
                    Some(Some(n)) => {
                        self.cur.push_str(&format!("{n}. "));
                        *n += 1;
                    }
                    _ => self.cur.push_str("- "),
                }
            }
            Kind::Row => self.cur.push_str("| "),
            _ => {}
        }
    }

    fn open(&mut self, i: u32) -> Close {
        let node = &self.dom.nodes[i as usize];
        match node.tag {
            Tag::Text => {
                self.push_text(node.text);
                Close::Nothing
            }
            Tag::Br => {
                if self.in_pre > 0 {
                    self.flush();
                } else {
                    let k = self.kind;
                    self.flush();
                    self.kind = k;
                }
                Close::Nothing
            }
            Tag::Img | Tag::Input | Tag::Button | Tag::Embed => Close::Nothing,
            Tag::Td | Tag::Th => {
                if self.markdown {
                    Close::Marker(" |")
                } else {
                    self.space();
                    Close::Nothing
                }
            }
            Tag::A if !dom::is_named_anchor(self.dom, i) => {
                self.in_link += 1;
                if self.markdown {
                    self.cur.push('[');
                    let href = self.dom.attr(i, "href").unwrap_or("").to_string();
                    self.link_href.push(href);
                }
                Close::Link
            }
            Tag::Strong | Tag::Em | Tag::Code if self.markdown && self.in_pre == 0 => {
                let m = match node.tag {
                    Tag::Strong => "**",
                    Tag::Em => "*",
                    _ => "`",
                };
                self.cur.push_str(m);
                Close::Marker(m)
            }
            Tag::Pre => {
                self.open_block(i, Kind::Code);
                self.in_pre += 1;
                if self.markdown && self.in_pre == 1 {
                    self.cur.push_str("```");
                    self.flush();
                    self.kind = Kind::Code;
                }
                Close::Pre
            }
            Tag::Heading(l) => {
                self.open_block(i, Kind::Heading(l));
                Close::Block
            }
            Tag::Li | Tag::Dt | Tag::Dd => {
                self.open_block(i, Kind::Item);
                Close::Block
            }
            Tag::Tr => {
                self.open_block(i, Kind::Row);
                Close::Block
            }
            Tag::Blockquote => {
                self.in_quote += 1;
                self.open_block(i, Kind::Quote);
                Close::Block
            }
            Tag::Ul | Tag::Ol => {
                self.flush();
                self.lists
                    .push(if node.tag == Tag::Ol { Some(1) } else { None });
                Close::List
            }
            Tag::Table => {
                self.rows.push(0);
                self.flush();
                Close::Block
            }
            t if t.is_block() => {
                let kind = if self.in_quote > 0 {
                    Kind::Quote
                } else {
                    Kind::Para
                };
                self.open_block(i, kind);
                Close::Block
            }
            Tag::OtherInline
                if node.el.is_some_and(|e| {
                    e.name() == "math" && super::dom::attr(e, "display") == Some("block")
                }) =>
            {
                // A display formula is a line of its own, like a paragraph.
                self.open_block(i, Kind::Para);
                Close::Block
            }
            Tag::OtherInline if node.el.is_some_and(|e| is_math_token(e.name())) => {
                // MathML lays its tokens out as separate boxes: `a x 2`, not `ax2`.
                self.space();
                Close::MathSpace
            }
            _ => Close::Nothing,
        }
    }

    fn close(&mut self, i: u32, how: Close) {
        match how {
            Close::Nothing => {}
            Close::MathSpace => {
                self.space();
                self.math_space = true;
            }
            Close::Marker(m) => {
                if self.cur.ends_with(' ') {
                    self.cur.pop();
                    self.cur.push_str(m);
                    self.cur.push(' ');
                } else {
                    self.cur.push_str(m);
                }
            }
            Close::Link => {
                self.in_link = self.in_link.saturating_sub(1);
                if self.markdown {
                    let href = self.link_href.pop().unwrap_or_default();
                    let trailing = self.cur.ends_with(' ');
                    if trailing {
                        self.cur.pop();
                    }
                    if self.cur.ends_with('[') {
                        self.cur.pop();
                    } else if href.is_empty() || href.starts_with("javascript:") {
                        self.cur.push(']');
                    } else {
                        self.cur.push_str(&format!("]({href})"));
                    }
                    if trailing {
                        self.cur.push(' ');
                    }
                }
            }
            Close::Pre => {
                self.flush();
                self.in_pre = self.in_pre.saturating_sub(1);
                if self.markdown && self.in_pre == 0 {
                    self.kind = Kind::Code;
                    self.cur.push_str("```");
                    self.flush();
                }
                self.kind = Kind::Para;
            }
            Close::List => {
                self.flush();
                self.lists.pop();
            }
            Close::Block => {
                let tag = self.dom.nodes[i as usize].tag;
                self.flush();
                match tag {
                    Tag::Blockquote => self.in_quote = self.in_quote.saturating_sub(1),
                    Tag::Tr if self.markdown => {
                        if let Some(r) = self.rows.last_mut() {
                            *r += 1;
                            if *r == 1 {
                                let cells = self
                                    .lines
                                    .last()
                                    .map_or(0, |l| l.text.matches(" |").count());
                                if cells > 0 {
                                    let sep = format!("|{}", " --- |".repeat(cells));
                                    self.lines.push(Line {
                                        text: sep,
                                        kind: Kind::Row,
                                        link_chars: 0,
                                        block: i,
                                    });
                                }
                            }
                        }
                    }
                    Tag::Table => {
                        self.rows.pop();
                    }
                    _ => {}
                }
                self.kind = if self.in_quote > 0 {
                    Kind::Quote
                } else {
                    Kind::Para
                };
            }
        }
    }
}

/// Walks `roots` (skipping `removed` subtrees) into lines.
pub fn lines(dom: &Dom, roots: &[u32], removed: &[bool], markdown: bool) -> Vec<Line> {
    let mut w = Walker {
        dom,
        markdown,
        lines: Vec::new(),
        cur: String::new(),
        cur_links: 0,
        kind: Kind::Para,
        block: roots.first().copied().unwrap_or(0),
        in_pre: 0,
        in_link: 0,
        in_quote: 0,
        math_space: false,
        lists: Vec::new(),
        rows: Vec::new(),
        link_href: Vec::new(),
    };
    let mut open: Vec<(u32, u32, Close)> = Vec::new();
    for &r in roots {
        let end = dom.nodes[r as usize].end as usize;
        let mut i = r as usize;
        while i < end {
            while let Some(&(e, n, how)) = open.last() {
                if (i as u32) < e {
                    break;
                }
                open.pop();
                w.close(n, how);
            }
            if removed[i] {
                i = dom.nodes[i].end as usize;
                continue;
            }
            let how = w.open(i as u32);
            open.push((dom.nodes[i].end, i as u32, how));
            i += 1;
        }
        while let Some((_, n, how)) = open.pop() {
            w.close(n, how);
        }
    }
    w.flush();
    w.lines
}

/// Joins plain-text lines, one block per line.
pub fn text(lines: &[Line]) -> String {
    let mut out = String::new();
    for l in lines {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&l.text);
    }
    out
}

/// Joins Markdown lines: blank lines between blocks, none inside lists, tables and code.
pub fn markdown(lines: &[Line]) -> String {
    let mut out = String::new();
    let mut prev: Option<Kind> = None;
    for l in lines {
        if let Some(p) = prev {
            let tight = matches!(
                (p, l.kind),
                (Kind::Item, Kind::Item) | (Kind::Row, Kind::Row) | (Kind::Code, Kind::Code)
            );
            out.push_str(if tight { "\n" } else { "\n\n" });
        }
        out.push_str(&l.text);
        prev = Some(l.kind);
    }
    out
}
