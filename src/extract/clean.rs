//! Cleans inside the chosen content: forms, share bars, link lists, and
//! blocks whose shape says "furniture" (Readability's conditional cleaning).

use super::dom::{Dom, Tag, NONE};
use super::prune::Flags;
use super::rules;
use super::score::class_weight;
use super::stats::{self, Stats};
use super::text;

/// An in-page link back to the top: `#top` targets, or any in-page target
/// with the words of one.
fn is_back_to_top(dom: &Dom, i: u32) -> bool {
    dom.attr(i, "href").is_some_and(|h| h.starts_with('#'))
        && rules::BACK_TO_TOP.is_match(&text::inner_text(dom, i, &[]))
}

/// Removes furniture inside `roots`, updating `removed` and `st`. A root
/// may itself be judged furniture (a pass that chose a link rail comes back
/// empty, and the next pass gets its turn) unless `keep_roots` says the
/// roots are known to be the article.
///
/// Returns the elements removed as furniture whatever their size (footers,
/// asides, read-also teasers, share bars, captions): the line model may not
/// add those back, only what the size-based cleaning took.
pub fn clean(
    dom: &Dom,
    roots: &[u32],
    removed: &mut [bool],
    st: &mut [Stats],
    flags: Flags,
    keep_roots: bool,
) -> Vec<u32> {
    let data_tables = mark_data_tables(dom, roots, removed);
    let is_data = |i: usize| data_tables.binary_search(&(i as u32)).is_ok();
    // Always-furniture inside an article: its footer, asides, small share bars,
    // and headings whose class says they are not the article's.
    let content_chars: u32 = roots.iter().map(|&r| st[r as usize].chars).sum();
    let mut furniture = Vec::new();
    for &r in roots {
        let end = dom.nodes[r as usize].end as usize;
        let mut i = r as usize;
        while i < end {
            if removed[i] {
                i = dom.nodes[i].end as usize;
                continue;
            }
            let tag = dom.nodes[i].tag;
            let drop = match tag {
                Tag::Text => false,
                Tag::Footer | Tag::Aside => i != r as usize,
                Tag::Heading(1) | Tag::Heading(2) => class_weight(dom, i as u32, flags) < 0.0,
                Tag::A => is_back_to_top(dom, i as u32),
                Tag::P if is_link_teaser(&st[i]) => text::inner_text_until_link(dom, i as u32)
                    .trim_end()
                    .ends_with(rules::LABEL_END),
                _ => {
                    i != r as usize && {
                        let class_id = dom.class_id_lower(i as u32);
                        (st[i].chars < rules::RETRY_CHARS as u32 && rules::SHARE.is_match(class_id))
                            || (is_caption(class_id, &st[i], content_chars))
                    }
                }
            };
            if drop {
                remove(dom, removed, st, i as u32);
                furniture.push(i as u32);
                i = dom.nodes[i].end as usize;
            } else {
                i += 1;
            }
        }
    }
    if !flags.clean_conditionally {
        return furniture;
    }
    for &r in roots {
        let start = r as usize;
        let end = dom.nodes[start].end as usize;
        let ctx = Context::new(dom, removed, start, end, &is_data);
        // A wrapper holding nearly all of the chosen text is the article in
        // layout-table or div clothing, not a block inside it: scored as a
        // block, its own teaser rail or menu would condemn the whole story.
        let wrapper_chars = st[start].chars - st[start].chars / 5;
        // Inner blocks first, so a container is judged on what stays in it.
        for i in (start..end).rev() {
            let k = i - start;
            if ctx.dead[k] {
                continue;
            }
            let node = &dom.nodes[i];
            let name = node.el.map(|e| e.name()).unwrap_or("");
            // Beyond Readability's list: figures and sections (teaser cards in the
            // article column) and links wrapped around whole blocks (card links).
            let conditional = matches!(
                node.tag,
                Tag::Form
                    | Tag::Table
                    | Tag::Ul
                    | Tag::Ol
                    | Tag::Div
                    | Tag::Figure
                    | Tag::Section
                    | Tag::Article
            ) || (node.tag == Tag::A && st[i].has_block)
                || name == "fieldset";
            if !conditional
                || ctx.sheltered[k]
                || ctx.holds_data[k]
                || (i != start && st[i].chars >= wrapper_chars)
                || (i == start && keep_roots)
            {
                continue;
            }
            if node.tag == Tag::Table && is_data(i) {
                continue;
            }
            if node.tag == Tag::Div && !st[i].has_block && st[i].input == 0 {
                // A div of phrasing only is a paragraph, which is never cleaned this way.
                continue;
            }
            if should_remove(dom, st, i as u32, flags, ctx.in_figure[k]) {
                remove(dom, removed, st, i as u32);
            }
        }
    }
    furniture
}

/// Per-node facts about a root's subtree, computed in two linear passes so
/// that no check walks ancestors or descendants per node.
struct Context {
    /// Removed, or inside something removed.
    dead: Vec<bool>,
    /// Inside code, preformatted text or a data table.
    sheltered: Vec<bool>,
    /// Inside a `<figure>`.
    in_figure: Vec<bool>,
    /// Contains a data table.
    holds_data: Vec<bool>,
}

impl Context {
    fn new(
        dom: &Dom,
        removed: &[bool],
        start: usize,
        end: usize,
        is_data: &impl Fn(usize) -> bool,
    ) -> Context {
        let n = end - start;
        let mut c = Context {
            dead: vec![false; n],
            sheltered: vec![false; n],
            in_figure: vec![false; n],
            holds_data: vec![false; n],
        };
        for i in start..end {
            let k = i - start;
            c.dead[k] = removed[i];
            let p = dom.nodes[i].parent;
            if i > start && p != NONE && (p as usize) >= start {
                let pk = p as usize - start;
                let pt = dom.nodes[p as usize].tag;
                c.dead[k] |= c.dead[pk];
                c.sheltered[k] =
                    c.sheltered[pk] || matches!(pt, Tag::Code | Tag::Pre) || is_data(p as usize);
                c.in_figure[k] = c.in_figure[pk] || pt == Tag::Figure;
            }
        }
        for i in (start + 1..end).rev() {
            let k = i - start;
            let p = dom.nodes[i].parent as usize;
            if p >= start && !c.dead[k] && (c.holds_data[k] || is_data(i)) {
                c.holds_data[p - start] = true;
            }
        }
        c
    }
}

/// A paragraph that is a link with at most a label before it ("Read also:
/// <a>…</a>", "Lea también: <a>…</a>"): a pointer to another page when the
/// label ends in a colon (a bare link paragraph is often a cited source).
fn is_link_teaser(s: &Stats) -> bool {
    let outside = s.chars.saturating_sub(s.all_link_chars);
    s.chars >= rules::LINK_TEASER_MIN_CHARS && outside <= rules::LINK_TEASER_LABEL_CHARS
}

/// A caption or credit line: small, and small beside the content it annotates
/// (on slideshow pages the "caption" is the story, and stays).
fn is_caption(class_id: &str, s: &Stats, content_chars: u32) -> bool {
    s.chars < 400 && s.p < 2 && s.chars * 4 < content_chars && rules::CAPTION.is_match(class_id)
}

fn remove(dom: &Dom, removed: &mut [bool], st: &mut [Stats], i: u32) {
    removed[i as usize] = true;
    stats::subtract(dom, st, i);
}

/// Readability's `_cleanConditionally` verdict for one block.
fn should_remove(dom: &Dom, st: &[Stats], i: u32, flags: Flags, in_figure: bool) -> bool {
    let s = &st[i as usize];
    let tag = dom.nodes[i as usize].tag;
    let weight = class_weight(dom, i, flags);
    if weight < 0.0 {
        return true;
    }
    if s.commas >= 10 {
        return false;
    }
    let mut is_list = matches!(tag, Tag::Ul | Tag::Ol);
    if !is_list && s.chars > 0 {
        is_list = s.li_chars as f32 / s.chars as f32 > 0.9;
    }
    // Readability turns `<br><br>` runs into paragraphs before counting them.
    let p = s.p as f32 + (s.br / 2) as f32;
    let img = s.img as f32;
    let li = s.li as f32 - 100.0;
    let input = s.input as f32;
    let heading_density = if s.chars == 0 {
        0.0
    } else {
        s.heading_chars as f32 / s.chars as f32
    };
    let text_density = if s.chars == 0 {
        0.0
    } else {
        s.textish_chars as f32 / s.chars as f32
    };
    let ld = s.link_density();
    let len = s.chars;
    let bad = (!in_figure && img > 1.0 && p / img < 0.5)
        || (!is_list && li > p)
        || (input > (p / 3.0).floor())
        || (!is_list
            && !in_figure
            && heading_density < 0.9
            && len < 25
            && (img == 0.0 || img > 2.0)
            && ld > 0.0)
        || (!is_list && weight < 25.0 && ld > 0.2)
        || (weight >= 25.0 && ld > 0.5)
        || (s.embed == 1 && len < 75)
        || s.embed > 1
        || (img == 0.0 && text_density == 0.0)
        // A picture with a line under it and no paragraph: a figure in
        // table or div clothing, whose text is a caption.
        || (img >= 1.0 && p == 0.0 && len < 150 && weight < 25.0 && matches!(tag, Tag::Table | Tag::Div | Tag::Figure));
    // A list made of links (related stories, key events, a table of contents)
    // points elsewhere; Readability keeps such lists, readers skip them.
    let bad = bad
        || (is_list
            && weight < 25.0
            && s.all_link_chars as f32 > s.chars as f32 * rules::LINK_LIST_DENSITY);
    if is_list && bad {
        // Image galleries are lists whose items are each one picture.
        let kids: Vec<u32> = dom.children(i).collect();
        if kids.iter().all(|&k| {
            dom.children(k)
                .filter(|&g| dom.nodes[g as usize].tag != Tag::Text)
                .count()
                <= 1
        }) && s.img == s.li
        {
            return false;
        }
    }
    bad
}

/// Indices (sorted) of tables inside `roots` that hold data rather than layout.
fn mark_data_tables(dom: &Dom, roots: &[u32], removed: &[bool]) -> Vec<u32> {
    let mut out = Vec::new();
    for &r in roots {
        for i in r as usize..dom.nodes[r as usize].end as usize {
            if dom.nodes[i].tag == Tag::Table && !removed[i] && is_data_table(dom, i as u32) {
                out.push(i as u32);
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

fn is_data_table(dom: &Dom, t: u32) -> bool {
    if dom.attr(t, "role") == Some("presentation") || dom.attr(t, "datatable") == Some("0") {
        return false;
    }
    if dom.attr(t, "summary").is_some() {
        return true;
    }
    let end = dom.nodes[t as usize].end as usize;
    let (mut rows, mut cols, mut cur) = (0u32, 0u32, 0u32);
    let mut j = t as usize + 1;
    while j < end {
        let n = &dom.nodes[j];
        match n.tag {
            // A table inside a table is layout; skip it so each cell is scanned once.
            Tag::Table => return false,
            Tag::Caption | Tag::Th => return true,
            Tag::Tr => {
                rows += 1;
                cols = cols.max(cur);
                cur = 0;
            }
            Tag::Td => {
                cur += dom
                    .attr(j as u32, "colspan")
                    .and_then(|c| c.parse().ok())
                    .unwrap_or(1)
                    .min(100)
            }
            _ => {
                if let Some(e) = n.el {
                    if matches!(e.name(), "col" | "colgroup" | "tfoot" | "thead") {
                        return true;
                    }
                }
            }
        }
        j += 1;
    }
    cols = cols.max(cur);
    rows >= 10 || cols > 4 || rows * cols > 10
}
