//! Picks the main content: the best-scored container, widened to the ancestor
//! that several strong candidates share, joined with related siblings.

use super::dom::{Dom, Tag, NONE};
use super::rules;
use super::score::Scores;
use super::stats::Stats;
use super::text;

/// The chosen content: roots whose subtrees make up the article, in document order.
#[derive(Debug, Clone)]
pub struct Selection {
    /// Subtree roots, in document order.
    pub roots: Vec<u32>,
    /// The roots are the page's own article-body element, chosen because the
    /// paragraph vote found too little text to trust.
    pub marked: bool,
    /// Roots joined by a rule of their own (ingredient boxes): their lines
    /// are settled, and the line model does not review them.
    pub settled: Vec<u32>,
}

fn element_children(dom: &Dom, removed: &[bool], i: u32) -> Vec<u32> {
    dom.children(i)
        .filter(|&c| !removed[c as usize] && dom.nodes[c as usize].tag != Tag::Text)
        .collect()
}

fn ancestors(dom: &Dom, i: u32) -> Vec<u32> {
    let mut out = Vec::new();
    let mut a = dom.nodes[i as usize].parent;
    while a != NONE {
        out.push(a);
        a = dom.nodes[a as usize].parent;
    }
    out
}

/// Chooses the content roots from the scores.
pub fn select(dom: &Dom, removed: &[bool], st: &[Stats], sc: &Scores) -> Selection {
    let body = dom.body;
    let (roots, settled) = vote(dom, removed, st, sc);
    let chars: u32 = roots.iter().map(|&r| st[r as usize].chars).sum();
    if chars < rules::SMALL_CONTENT_CHARS {
        if let Some(marker) = body_marker(dom, removed, st, body) {
            if !roots.contains(&marker) {
                return Selection {
                    roots: vec![marker],
                    marked: true,
                    settled: Vec::new(),
                };
            }
        }
    }
    Selection {
        roots,
        marked: false,
        settled,
    }
}

/// The roots Readability's paragraph vote elects: the best candidate,
/// widened to a shared ancestor or its parent, with the siblings that belong;
/// and, apart, the roots joined as ingredient boxes.
fn vote(dom: &Dom, removed: &[bool], st: &[Stats], sc: &Scores) -> (Vec<u32>, Vec<u32>) {
    let body = dom.body;
    let mut top: Vec<u32> = (0..dom.len() as u32)
        .filter(|&i| sc.candidate[i as usize])
        .collect();
    top.sort_by(|&a, &b| {
        sc.score[b as usize]
            .partial_cmp(&sc.score[a as usize])
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.cmp(&b))
    });
    top.truncate(rules::TOP_CANDIDATES);
    let Some(&first) = top.first() else {
        return (vec![body], Vec::new());
    };
    let mut best = first;
    if best == body {
        return (vec![body], Vec::new());
    }
    let best_score = sc.score[best as usize];
    // When several near-best candidates share an ancestor, the article is that
    // ancestor: the page split its text into sibling blocks.
    let alternatives: Vec<Vec<u32>> = top[1..]
        .iter()
        .filter(|&&c| sc.score[c as usize] / best_score >= 0.75)
        .map(|&c| ancestors(dom, c))
        .collect();
    if alternatives.len() >= 3 {
        let mut p = dom.nodes[best as usize].parent;
        while p != NONE && p != body {
            let sharing = alternatives.iter().filter(|l| l.contains(&p)).count();
            if sharing >= 3 {
                best = p;
                break;
            }
            p = dom.nodes[p as usize].parent;
        }
    }
    if let Some(shared) = shared_blocks(dom, st, sc, best, body) {
        best = shared;
    }
    // Climb while the parent scores about as well: the content continues there.
    let mut last = sc.score[best as usize];
    let threshold = last / 3.0;
    let mut p = dom.nodes[best as usize].parent;
    while p != NONE && p != body {
        if !sc.candidate[p as usize] {
            p = dom.nodes[p as usize].parent;
            continue;
        }
        let ps = sc.score[p as usize];
        if ps < threshold {
            break;
        }
        if ps > last {
            best = p;
            break;
        }
        last = ps;
        p = dom.nodes[p as usize].parent;
    }
    // An only child says nothing its parent does not.
    let mut p = dom.nodes[best as usize].parent;
    while p != NONE && p != body && element_children(dom, removed, p).len() == 1 {
        best = p;
        p = dom.nodes[p as usize].parent;
    }
    let top_score = sc.score[best as usize];
    let parent = dom.nodes[best as usize].parent;
    if parent == NONE {
        return (vec![best], Vec::new());
    }
    let threshold = (top_score * 0.2).max(10.0);
    let best_class = dom.attr(best, "class").unwrap_or("");
    let mut roots = Vec::new();
    for s in element_children(dom, removed, parent) {
        if s == best || sibling_belongs(dom, removed, st, sc, s, best_class, top_score, threshold) {
            roots.push(s);
        }
    }
    let first = roots.first().copied().unwrap_or(best);
    if let Some(lead) = find_lead(dom, removed, st, first, body) {
        roots.insert(0, lead);
    }
    let settled = add_ingredients(dom, removed, st, body, &mut roots);
    (roots, settled)
}

/// The container of the article's blocks when a page builder split it into
/// same-named blocks, each in wrappers of its own (`paragraph-text`,
/// `wpb_text_column`): the nearest ancestor of `best` holding at least
/// [`rules::SHARED_BLOCKS_MIN`] scored blocks of its tag and class, most of
/// whose text they are.
fn shared_blocks(dom: &Dom, st: &[Stats], sc: &Scores, best: u32, body: u32) -> Option<u32> {
    let class = dom.attr(best, "class").filter(|c| !c.trim().is_empty())?;
    let tag = dom.nodes[best as usize].tag;
    let floor = sc.score[best as usize] * rules::SHARED_BLOCK_SCORE;
    let same = |c: u32| {
        sc.candidate[c as usize]
            && sc.score[c as usize] >= floor
            && dom.nodes[c as usize].tag == tag
            && dom.attr(c, "class") == Some(class)
            && st[c as usize].link_density() < rules::SHARED_BLOCK_LINK_DENSITY
    };
    let mut p = dom.nodes[best as usize].parent;
    for _ in 0..rules::SHARED_BLOCK_LEVELS {
        if p == NONE || p == body {
            return None;
        }
        let blocks: Vec<u32> = (p..dom.nodes[p as usize].end)
            .filter(|&c| same(c))
            .collect();
        if blocks.len() >= rules::SHARED_BLOCKS_MIN {
            let chars: u32 = blocks.iter().map(|&c| st[c as usize].chars).sum();
            return (chars * 2 >= st[p as usize].chars).then_some(p);
        }
        p = dom.nodes[p as usize].parent;
    }
    None
}

/// The page's article-body element, when it marks exactly one (a page of
/// several is a blog's front page or a feed) and it holds text.
fn body_marker(dom: &Dom, removed: &[bool], st: &[Stats], body: u32) -> Option<u32> {
    let marked = outermost(dom, removed, body, |i| {
        rules::BODY_MARKER.is_match(dom.class_id_lower(i))
            || dom.attr(i, "itemprop") == Some("articleBody")
    });
    let [marker] = marked[..] else {
        return None;
    };
    if st[marker as usize].chars == 0 {
        return None;
    }
    // The post's title and date sit just outside its body: climb to the
    // first wrapper that holds a heading, if it adds no more than a header's
    // worth of text.
    let limit = st[marker as usize].chars + rules::POST_HEADER_CHARS;
    let mut p = dom.nodes[marker as usize].parent;
    while p != NONE && p != body && st[p as usize].chars <= limit {
        if st[p as usize].heading_chars > st[marker as usize].heading_chars {
            return Some(p);
        }
        p = dom.nodes[p as usize].parent;
    }
    Some(marker)
}

/// The outermost elements under `root` that are not removed and satisfy
/// `wanted` (whose subtrees are not searched further), in document order.
fn outermost(dom: &Dom, removed: &[bool], root: u32, wanted: impl Fn(u32) -> bool) -> Vec<u32> {
    let mut found = Vec::new();
    let end = dom.nodes[root as usize].end;
    let mut i = root;
    while i < end {
        let node = &dom.nodes[i as usize];
        if removed[i as usize] {
            i = node.end;
        } else if node.tag != Tag::Text && wanted(i) {
            found.push(i);
            i = node.end;
        } else {
            i += 1;
        }
    }
    found
}

/// A recipe's ingredient list set in its own box outside the method's
/// container (recipe templates put it beside or above the steps): the
/// outermost blocks named for ingredients that read as a list rather than
/// as links, joined to the content in document order. Returns them.
fn add_ingredients(
    dom: &Dom,
    removed: &[bool],
    st: &[Stats],
    body: u32,
    roots: &mut Vec<u32>,
) -> Vec<u32> {
    let covered = |i: u32| {
        roots.iter().any(|&r| {
            (r..dom.nodes[r as usize].end).contains(&i)
                || (i..dom.nodes[i as usize].end).contains(&r)
        })
    };
    let found: Vec<u32> = outermost(dom, removed, body, |i| {
        let s = &st[i as usize];
        s.chars >= rules::LEAD_MIN_CHARS / 2
            && s.input == 0
            && s.link_density() < 0.5
            && (rules::INGREDIENTS.is_match(dom.class_id_lower(i))
                || dom
                    .attr(i, "itemprop")
                    .is_some_and(|p| rules::INGREDIENTS.is_match(p)))
    })
    .into_iter()
    .filter(|&i| !covered(i))
    .collect();
    if found.is_empty() || found.len() > rules::MAX_INGREDIENT_BLOCKS {
        return Vec::new();
    }
    roots.extend(&found);
    roots.sort_unstable();
    found
}

/// The standfirst that many sites set in the article's header, outside the
/// body container: the nearest earlier element, among the content's preceding
/// siblings and those of its parent and grandparent, whose class names it as
/// a lead and which reads as prose.
fn find_lead(dom: &Dom, removed: &[bool], st: &[Stats], first: u32, body: u32) -> Option<u32> {
    let mut node = first;
    for _ in 0..3 {
        let parent = dom.nodes[node as usize].parent;
        if parent == NONE || node == body {
            return None;
        }
        let before: Vec<u32> = element_children(dom, removed, parent)
            .into_iter()
            .take_while(|&c| c != node)
            .collect();
        for &c in before.iter().rev() {
            if let Some(lead) = lead_within(dom, removed, st, c) {
                return Some(lead);
            }
        }
        node = parent;
    }
    None
}

/// `c` or its first descendant whose class says "lead", when it holds prose.
fn lead_within(dom: &Dom, removed: &[bool], st: &[Stats], c: u32) -> Option<u32> {
    let end = dom.nodes[c as usize].end;
    let mut i = c;
    while i < end {
        if removed[i as usize] {
            i = dom.nodes[i as usize].end;
            continue;
        }
        let s = &st[i as usize];
        if dom.nodes[i as usize].tag != Tag::Text
            && s.chars >= rules::LEAD_MIN_CHARS
            && s.link_density() < 0.3
            && rules::LEAD.is_match(dom.class_id_lower(i))
        {
            return Some(i);
        }
        i += 1;
    }
    None
}

#[allow(clippy::too_many_arguments)]
fn sibling_belongs(
    dom: &Dom,
    removed: &[bool],
    st: &[Stats],
    sc: &Scores,
    s: u32,
    best_class: &str,
    top_score: f32,
    threshold: f32,
) -> bool {
    let mut bonus = 0.0;
    if !best_class.is_empty() && dom.attr(s, "class") == Some(best_class) {
        bonus = top_score * 0.2;
    }
    // A sibling that holds a form or is mostly links is a comment box or a
    // link rail however well its paragraphs scored.
    let plain = st[s as usize].input == 0
        && st[s as usize].link_density() < rules::SIBLING_MAX_LINK_DENSITY;
    if sc.candidate[s as usize] && sc.score[s as usize] + bonus >= threshold && plain {
        return true;
    }
    if dom.nodes[s as usize].tag == Tag::P {
        let ld = st[s as usize].link_density();
        let len = st[s as usize].chars;
        if len > 80 && ld < 0.25 {
            return true;
        }
        if len > 0 && len < 80 && ld == 0.0 {
            let t = text::inner_text(dom, s, removed);
            return t.ends_with('.') || t.contains(". ");
        }
    }
    false
}
