//! Drops what is never article content before scoring: furniture by tag, role
//! and class/id, and bylines.

use super::dom::{Dom, Tag, NONE};
use super::rules;
use super::stats::Stats;
use super::text;

/// Which of the looser retries this pass is (Readability's flags).
#[derive(Debug, Clone, Copy)]
pub struct Flags {
    /// Remove elements whose class/id/role look like furniture.
    pub strip_unlikely: bool,
    /// Let class/id words weigh candidate scores.
    pub weight_classes: bool,
    /// Remove link-heavy and form-like blocks inside the chosen content.
    pub clean_conditionally: bool,
}

impl Flags {
    /// The part of the flags [`prune`] reads: steps of the ladder that agree
    /// on it prune alike, and the extractor reuses the first one's result.
    pub fn prune_key(self) -> bool {
        self.strip_unlikely
    }

    /// The part of the flags [`super::score::score`] reads, beside what
    /// pruning removed (see [`Flags::prune_key`]).
    pub fn score_key(self) -> bool {
        self.weight_classes
    }
}

/// What pruning found besides the removals.
#[derive(Debug, Default)]
pub struct Pruned {
    /// A visible byline's text, when one was removed.
    pub byline: Option<String>,
}

/// Marks removed nodes in `removed`; `full` holds statistics of the unpruned
/// page, `comments` the roots of its unmarked comment sections
/// ([`super::comments::sections`]), which go in every pass.
pub fn prune(
    dom: &Dom,
    full: &[Stats],
    comments: &[u32],
    flags: Flags,
    removed: &mut [bool],
) -> Pruned {
    let mut out = Pruned::default();
    let body = dom.body as usize;
    // `removed` roots hide their subtrees from the walk below as from every later stage.
    for &r in comments {
        removed[r as usize] = true;
    }
    let body_chars = full[body].chars.max(1);
    // The few elements microdata marks as the article body, found once so
    // that asking whether a block holds one is a range test, not a walk.
    let bodies: Vec<u32> = (0..dom.len() as u32)
        .filter(|&k| dom.attr(k, "itemprop") == Some("articleBody"))
        .collect();
    // Elements inside code are spared: code has its own vocabulary. (Readability
    // also spares table cells, for old table layouts; the `holds_page` guard
    // below protects those layouts' main cell without sparing their sidebars.)
    let mut sheltered = vec![false; dom.len()];
    // Reused for every element: allocating two strings per element was most of this pass.
    let (mut raw_class_id_buf, mut class_id_buf) = (String::new(), String::new());
    let mut i = body;
    while i < dom.len() {
        let node = &dom.nodes[i];
        let p = node.parent;
        if p != NONE {
            let pt = dom.nodes[p as usize].tag;
            sheltered[i] = sheltered[p as usize] || matches!(pt, Tag::Pre | Tag::Code);
        }
        if removed[i] {
            i = node.end as usize;
            continue;
        }
        if node.tag == Tag::Text || i == body {
            i += 1;
            continue;
        }
        raw_class_id(dom, i as u32, &mut raw_class_id_buf);
        let raw_class_id = raw_class_id_buf.as_str();
        class_id_buf.clear();
        class_id_buf.push_str(raw_class_id);
        class_id_buf.make_ascii_lowercase();
        let class_id = class_id_buf.as_str();
        // A container holding most of the page's text is the page, whatever it is called.
        let holds_page = full[i].chars * 4 > body_chars * 3;
        let mut drop = false;
        if is_byline(dom, i as u32, class_id, full[i].chars) {
            if out.byline.is_none() {
                out.byline = Some(text::inner_text(dom, i as u32, removed));
            }
            drop = true;
        }
        if !drop && !holds_page {
            drop = is_furniture(
                dom,
                i as u32,
                class_id,
                raw_class_id,
                full,
                body_chars,
                &bodies,
            ) || (flags.strip_unlikely
                && !sheltered[i]
                && !(node.tag == Tag::A && in_prose(dom, i as u32))
                && is_unlikely(node.tag, class_id, &full[i], body_chars)
                && !holds_lead(dom, i as u32, full));
        }
        if drop {
            removed[i] = true;
            i = node.end as usize;
        } else {
            i += 1;
        }
    }
    out
}

/// Furniture removed in every pass, strict or loose: navigation, asides,
/// footers, forms and comment threads. Readability's looser retries let these
/// back in and then prefer the longest result, which on short posts with long
/// comment threads returns the comments.
fn is_furniture(
    dom: &Dom,
    i: u32,
    class_id: &str,
    raw: &str,
    full: &[Stats],
    body_chars: u32,
    bodies: &[u32],
) -> bool {
    let node = &dom.nodes[i as usize];
    if node.tag == Tag::A && is_anchor_glyph(dom, i, full[i as usize].chars) {
        return true;
    }
    let furniture_tag = matches!(node.tag, Tag::Nav | Tag::Aside | Tag::Footer)
        && !is_main_column(&full[i as usize], body_chars)
        && !holds_article_body(dom, i, bodies);
    if class_id.is_empty() {
        return furniture_tag || is_control_form(node.tag, &full[i as usize]);
    }
    if rules::class_tokens(raw).any(|t| rules::is_ad_token(&t)) && full[i as usize].chars < 200 {
        return true;
    }
    if let Some(role) = dom.attr(i, "role") {
        if rules::is_unlikely_role(role) {
            return true;
        }
    }
    if furniture_tag || is_control_form(node.tag, &full[i as usize]) {
        return true;
    }
    rules::COMMENTS.is_match(class_id)
        && !rules::MAYBE_CANDIDATE.is_match(class_id)
        && !matches!(node.tag, Tag::Body | Tag::Article | Tag::Main)
}

/// Most of the page's prose: a main column marked up as `<aside>` or
/// `<footer>` by a theme that misuses the tags.
fn is_main_column(s: &Stats, body_chars: u32) -> bool {
    s.chars * 5 >= body_chars && s.link_density() < 0.3 && s.p >= 2
}

/// Whether the page's microdata marks the article body inside `i`: a
/// theme that wraps the story in `<aside>` (for its layout) still says
/// where the story is.
fn holds_article_body(dom: &Dom, i: u32, bodies: &[u32]) -> bool {
    let first = bodies.partition_point(|&k| k < i);
    bodies
        .get(first)
        .is_some_and(|&k| k < dom.nodes[i as usize].end)
}

/// A permalink glyph ("#", "¶", "§", "🔗") that blogs append to headings.
fn is_anchor_glyph(dom: &Dom, i: u32, chars: u32) -> bool {
    chars <= 2
        && dom.attr(i, "href").is_some_and(|h| h.starts_with('#'))
        && !super::text::inner_text(dom, i, &[])
            .chars()
            .any(char::is_alphanumeric)
}

/// Whole-page `<form>` wrappers (ASP.NET) hold prose; real forms hold controls.
fn is_control_form(tag: Tag, s: &Stats) -> bool {
    tag == Tag::Form && s.input > 0 && s.chars < 2000 && s.p < 3
}

/// Furniture by class/id vocabulary, removed in the strict pass only.
///
/// Readability spares any element whose class also says "article" or
/// "content"; modern class names put the block's name first
/// (`article-related`, `ArticleTags`), so that rescue only holds for
/// containers large enough to be the page's main column, or holding
/// paragraphs rather than links (`story-body-supplemental`).
fn is_unlikely(tag: Tag, class_id: &str, s: &Stats, body_chars: u32) -> bool {
    let big = s.chars * 10 >= body_chars * 3;
    let prose = s.p >= 2 && s.link_density() < 0.3 && s.chars * 10 >= body_chars;
    // Patterns are tested only where they can change the answer: a regex
    // test costs hundreds of instructions, and this runs for every element.
    let rescued = || {
        rules::MAYBE_CANDIDATE.is_match(class_id) && (big || prose)
            || rules::MATH.is_match(class_id)
            || rules::POSTS_WIDGET.is_match(class_id)
    };
    !class_id.is_empty()
        && rules::UNLIKELY.is_match(class_id)
        && !rescued()
        && !matches!(tag, Tag::Body | Tag::Article | Tag::Main)
}

/// Whether the article's standfirst sits inside `i`: news templates set it
/// in the article header (`row article-header` holding `p.lead`), which the
/// class vocabulary takes for the page header. Such a block is searched
/// element by element instead of dropped whole.
fn holds_lead(dom: &Dom, i: u32, full: &[Stats]) -> bool {
    let inside = i + 1..dom.nodes[i as usize].end;
    // The headline marks the article's own header; a box of teasers has
    // standfirsts too, under linked headlines.
    let linked = |k: u32| {
        let mut a = k;
        while a != i && a != NONE {
            if dom.nodes[a as usize].tag == Tag::A {
                return true;
            }
            a = dom.nodes[a as usize].parent;
        }
        full[k as usize].link_density() >= 0.5
    };
    inside.clone().any(|k| is_headline(dom, k) && !linked(k))
        && inside.into_iter().any(|k| {
            let s = &full[k as usize];
            dom.nodes[k as usize].tag != Tag::Text
                && s.chars >= rules::LEAD_MIN_CHARS
                && s.link_density() < 0.3
                && rules::LEAD.is_match(dom.class_id_lower(k))
        })
}

/// The article's headline: an `<h1>`, or the element microdata or the
/// class names call so (templates that set it as a styled `<div>`).
fn is_headline(dom: &Dom, k: u32) -> bool {
    dom.nodes[k as usize].tag == Tag::Heading(1)
        || (dom.nodes[k as usize].tag != Tag::Text
            && (dom.attr(k, "itemprop") == Some("headline")
                || dom.class_id_lower(k).contains("headline")))
}

/// True for a link inside running text, whose class names say nothing about the page.
fn in_prose(dom: &Dom, i: u32) -> bool {
    let p = dom.nodes[i as usize].parent;
    p != NONE
        && matches!(
            dom.nodes[p as usize].tag,
            Tag::P | Tag::Li | Tag::Heading(_) | Tag::Td | Tag::Blockquote
        )
}

/// The raw `class` and `id` of element `i`, space-separated, into `s`.
fn raw_class_id(dom: &Dom, i: u32, s: &mut String) {
    s.clear();
    for name in ["class", "id"] {
        if let Some(v) = dom.attr(i, name) {
            s.push_str(v);
            s.push(' ');
        }
    }
}

fn is_byline(dom: &Dom, i: u32, class_id: &str, chars: u32) -> bool {
    if chars == 0 || chars >= 100 {
        return false;
    }
    let rel_author = dom.attr(i, "rel").is_some_and(|r| r == "author");
    let itemprop_author = dom
        .attr(i, "itemprop")
        .is_some_and(|r| r.contains("author"));
    // No pattern matches an element without class or id (see `rules::tests`).
    (rel_author || itemprop_author || (!class_id.is_empty() && rules::BYLINE.is_match(class_id)))
        && !dom.nodes[i as usize].tag.is_heading()
}
