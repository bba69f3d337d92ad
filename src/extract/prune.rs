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

/// What pruning found besides the removals.
#[derive(Debug, Default)]
pub struct Pruned {
    /// A visible byline's text, when one was removed.
    pub byline: Option<String>,
}

/// Marks removed nodes in `removed`; `full` holds statistics of the unpruned page.
pub fn prune(
    dom: &Dom,
    full: &[Stats],
    flags: Flags,
    removed: &mut [bool],
) -> Pruned {
    let mut out = Pruned::default();
    let body = dom.body as usize;
    let body_chars = full[body].chars.max(1);
    // Elements inside tables or code are spared: old layouts put whole pages in
    // table cells with arbitrary class names, and code has its own vocabulary.
    let mut sheltered = vec![false; dom.len()];
    let mut i = body;
    while i < dom.len() {
        let node = &dom.nodes[i];
        let p = node.parent;
        if p != NONE {
            let pt = dom.nodes[p as usize].tag;
            sheltered[i] = sheltered[p as usize] || matches!(pt, Tag::Table | Tag::Pre | Tag::Code);
        }
        if node.tag == Tag::Text || i == body {
            i += 1;
            continue;
        }
        let class_id = dom.class_id(i as u32);
        // A container holding most of the page's text is the page, whatever it is called.
        let holds_page = full[i].chars * 4 > body_chars * 3;
        let mut drop = false;
        if is_byline(dom, i as u32, &class_id, full[i].chars) {
            if out.byline.is_none() {
                out.byline = Some(text::inner_text(dom, i as u32, removed));
            }
            drop = true;
        }
        if !drop && !sheltered[i] && !holds_page && node.tag != Tag::A {
            drop = is_furniture(dom, i as u32, &class_id, full)
                || (flags.strip_unlikely && is_unlikely(node.tag, &class_id));
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
fn is_furniture(dom: &Dom, i: u32, class_id: &str, full: &[Stats]) -> bool {
    let node = &dom.nodes[i as usize];
    if let Some(role) = dom.attr(i, "role") {
        if rules::is_unlikely_role(role) {
            return true;
        }
    }
    match node.tag {
        Tag::Nav | Tag::Aside | Tag::Footer => return true,
        Tag::Form => {
            // Whole-page <form> wrappers (ASP.NET) hold prose; real forms hold controls.
            let s = &full[i as usize];
            if s.input > 0 && s.chars < 2000 {
                return true;
            }
        }
        _ => {}
    }
    !class_id.is_empty()
        && rules::COMMENTS.is_match(class_id)
        && !rules::MAYBE_CANDIDATE.is_match(class_id)
        && !matches!(node.tag, Tag::Body | Tag::Article | Tag::Main)
}

/// Furniture by class/id vocabulary, removed in the strict pass only.
fn is_unlikely(tag: Tag, class_id: &str) -> bool {
    !class_id.is_empty()
        && rules::UNLIKELY.is_match(class_id)
        && !rules::MAYBE_CANDIDATE.is_match(class_id)
        && !matches!(tag, Tag::Body | Tag::Article | Tag::Main)
}

fn is_byline(dom: &Dom, i: u32, class_id: &str, chars: u32) -> bool {
    if chars == 0 || chars >= 100 {
        return false;
    }
    let rel_author = dom.attr(i, "rel").is_some_and(|r| r == "author");
    let itemprop_author = dom.attr(i, "itemprop").is_some_and(|r| r.contains("author"));
    (rel_author || itemprop_author || rules::BYLINE.is_match(class_id))
        && !dom.nodes[i as usize].tag.is_heading()
}
