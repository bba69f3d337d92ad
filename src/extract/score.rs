//! Candidate scoring: paragraphs vote for their ancestors (Readability's scheme),
//! weighted by tag and class/id, discounted by link density.

use super::dom::{Dom, Tag, NONE};
use super::prune::Flags;
use super::rules;
use super::stats::Stats;

/// Scores of the containers that received votes.
#[derive(Debug)]
pub struct Scores {
    /// The score of each node (0 where it got none).
    pub score: Vec<f32>,
    /// True for nodes that received at least one vote.
    pub candidate: Vec<bool>,
}

/// The class/id weight of element `i`: ±25 for content or furniture words, for class and id each.
pub fn class_weight(dom: &Dom, i: u32, flags: Flags) -> f32 {
    if !flags.weight_classes {
        return 0.0;
    }
    let mut w = 0.0;
    for name in ["class", "id"] {
        if let Some(v) = dom.attr(i, name) {
            if v.is_empty() {
                continue;
            }
            if rules::NEGATIVE.is_match(v) {
                w -= rules::CLASS_WEIGHT;
            }
            if rules::POSITIVE.is_match(v) {
                w += rules::CLASS_WEIGHT;
            }
        }
    }
    w
}

fn tag_prior(tag: Tag) -> f32 {
    match tag {
        Tag::Div => 5.0,
        Tag::Pre | Tag::Td | Tag::Blockquote => 3.0,
        Tag::OtherBlock | Tag::Ol | Tag::Ul | Tag::Dl | Tag::Dd | Tag::Dt | Tag::Li | Tag::Form => {
            -3.0
        }
        Tag::Heading(_) | Tag::Th => -5.0,
        _ => 0.0,
    }
}

/// A div that only wraps one paragraph: Readability replaces it with the paragraph,
/// so it neither receives votes nor counts as a level between paragraph and container.
pub fn is_paragraph_wrapper(dom: &Dom, removed: &[bool], st: &[Stats], i: u32) -> bool {
    if dom.nodes[i as usize].tag != Tag::Div || st[i as usize].link_density() >= 0.25 {
        return false;
    }
    let mut only = None;
    for c in dom.children(i) {
        if removed[c as usize] {
            continue;
        }
        let n = &dom.nodes[c as usize];
        if n.tag == Tag::Text {
            if n.chars > 0 {
                return false;
            }
        } else if only.is_some() {
            return false;
        } else {
            only = Some(n.tag);
        }
    }
    only == Some(Tag::P)
}

/// One phrasing run (text between blocks or `<br><br>`) of a container.
struct Run {
    chars: u32,
    commas: u32,
}

/// The phrasing runs of element `i`: maximal sequences of text and inline
/// children, split by block children and by two consecutive `<br>`s.
fn runs(dom: &Dom, removed: &[bool], st: &[Stats], i: u32) -> (Vec<Run>, bool) {
    let mut out = Vec::new();
    let mut cur = Run {
        chars: 0,
        commas: 0,
    };
    let mut split = false;
    let mut prev_br = false;
    for c in dom.children(i) {
        if removed[c as usize] {
            continue;
        }
        let n = &dom.nodes[c as usize];
        if n.tag == Tag::Text && n.chars == 0 {
            continue;
        }
        if n.tag == Tag::Br {
            if prev_br {
                split = true;
                out.push(std::mem::replace(
                    &mut cur,
                    Run {
                        chars: 0,
                        commas: 0,
                    },
                ));
            }
            prev_br = true;
            continue;
        }
        prev_br = false;
        if n.tag.is_block() {
            out.push(std::mem::replace(
                &mut cur,
                Run {
                    chars: 0,
                    commas: 0,
                },
            ));
            continue;
        }
        cur.chars += st[c as usize].chars;
        cur.commas += st[c as usize].commas;
    }
    out.push(cur);
    out.retain(|r| r.chars > 0);
    (out, split)
}

/// Lets every paragraph of the page vote for its ancestors.
pub fn score(dom: &Dom, removed: &[bool], st: &[Stats], flags: Flags) -> Scores {
    let n = dom.len();
    let mut sc = Scores {
        score: vec![0.0; n],
        candidate: vec![false; n],
    };
    let mut wrapper = vec![false; n];
    let mut i = dom.body as usize;
    while i < n {
        if removed[i] {
            i = dom.nodes[i].end as usize;
            continue;
        }
        let node = &dom.nodes[i];
        let tag = node.tag;
        if tag == Tag::Div && is_paragraph_wrapper(dom, removed, st, i as u32) {
            wrapper[i] = true;
        }
        // A div of phrasing only is a paragraph; a div with blocks, or any
        // element whose text `<br><br>` splits, is a container of paragraphs
        // (old pages had no <p> at all).
        let (runs, split) = if tag == Tag::Text {
            (Vec::new(), false)
        } else {
            runs(dom, removed, st, i as u32)
        };
        let container = split || (tag == Tag::Div && st[i].has_block);
        if container {
            for r in runs {
                vote(dom, &mut sc, &wrapper, i as u32, r.chars, r.commas, flags);
            }
        }
        let whole = matches!(
            tag,
            Tag::P | Tag::Div | Tag::Pre | Tag::Td | Tag::Section | Tag::Heading(2..=6)
        );
        if whole && !(matches!(tag, Tag::Div | Tag::P) && container) {
            vote(
                dom,
                &mut sc,
                &wrapper,
                node.parent,
                st[i].chars,
                st[i].commas,
                flags,
            );
        }
        i += 1;
    }
    for j in 0..n {
        if sc.candidate[j] {
            sc.score[j] *= 1.0 - st[j].link_density();
        }
    }
    sc
}

fn vote(
    dom: &Dom,
    sc: &mut Scores,
    wrapper: &[bool],
    first: u32,
    chars: u32,
    commas: u32,
    flags: Flags,
) {
    if chars < rules::MIN_PARAGRAPH_CHARS || first == NONE {
        return;
    }
    // Prose has a comma every sentence or so; a run denser in commas is a
    // list set as text (signatories "Name, College<br>", tags, credits),
    // whose commas say nothing about prose.
    let commas = commas.min(chars / rules::CHARS_PER_COMMA);
    let points = 1.0 + commas as f32 + (chars / 100).min(3) as f32;
    let mut a = first;
    let mut level = 0usize;
    while a != NONE && level < rules::SCORE_ANCESTOR_LEVELS {
        let node = &dom.nodes[a as usize];
        if node.tag == Tag::Html || node.parent == NONE {
            break;
        }
        if wrapper[a as usize] {
            a = node.parent;
            continue;
        }
        if !sc.candidate[a as usize] {
            sc.candidate[a as usize] = true;
            sc.score[a as usize] = tag_prior(node.tag) + class_weight(dom, a, flags);
        }
        let divider = match level {
            0 => 1.0,
            1 => 2.0,
            l => l as f32 * 3.0,
        };
        sc.score[a as usize] += points / divider;
        level += 1;
        a = node.parent;
    }
}
