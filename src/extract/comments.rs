//! User comments, collected apart from the article when the caller asks for them.

use super::assemble::{self, Line};
use super::dom::{Dom, Tag};
use super::rules;
use super::stats::Stats;
use super::text;
use aho_corasick::AhoCorasick;
use regex::Regex;
use std::sync::LazyLock;

/// Longest title of a comment section, in characters ("12 Responses to
/// “…”" quotes the post's title).
const TITLE_MAX_CHARS: u32 = 100;

/// Whether block `i` is a comment section's title: a short block without
/// links saying so, or a short heading that its class/id calls comments.
fn is_section_title(dom: &Dom, i: u32, full: &[Stats]) -> bool {
    let s = &full[i as usize];
    let tag = dom.nodes[i as usize].tag;
    if !tag.is_block() || s.chars < 3 || s.chars > TITLE_MAX_CHARS {
        return false;
    }
    // Counters at the article's top ("48 comments", "0 Comments") link to
    // the section; its title does not, though it may hold the empty named
    // anchor they link to (`<h2><a id="comments"></a>Comments</h2>`). The
    // prefilter keeps only in-page `href`s, so a link is told by its text
    // or by such a target (a counter that scripts fill in is empty).
    let links = (i + 1..dom.nodes[i as usize].end).any(|k| {
        dom.nodes[k as usize].tag == Tag::A
            && (full[k as usize].chars > 0 || dom.attr(k, "href").is_some())
    });
    if links {
        return false;
    }
    (tag.is_heading() && rules::COMMENTS.is_match(dom.class_id_lower(i)))
        || rules::COMMENTS_TITLE.is_match(&text::inner_text(dom, i, &[]))
}

/// Whether `i` is the empty anchor that comment links jump to
/// (`<a name="comments"></a>`), which some templates put where the
/// comments start instead of a title.
fn is_section_anchor(dom: &Dom, i: u32, full: &[Stats]) -> bool {
    dom.nodes[i as usize].tag == Tag::A
        && full[i as usize].chars == 0
        && dom.attr(i, "href").is_none()
        && [dom.attr(i, "name"), dom.attr(i, "id")]
            .into_iter()
            .flatten()
            .any(|v| COMMENTS_ANCHOR.is_match(v))
}

/// Names of the anchor where comments start; the form's anchor
/// (`respond`, `comment-form`) sits after them, a single comment's
/// (`comment-4711`) within them.
static COMMENTS_ANCHOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:start|begin)?_?(?:comments|kommentare|commentaires|comentarios)$")
        .expect("valid regex")
});

/// The roots of the page's unmarked comment sections: each title or anchor
/// that opens one ([`is_section_title`], [`is_section_anchor`]) and
/// everything after it in its parent. Blog engines that mark no comment
/// container (MovableType's `<h2 id="comments">` followed by one `<div>`
/// per comment) show where the comments start only this way.
pub fn sections(dom: &Dom, full: &[Stats]) -> Vec<u32> {
    let body = dom.body;
    // One pass finds the few places worth a closer look: building the text
    // of every short block to match it against the titles cost more than
    // the rest of pruning.
    let mut starts = Vec::new();
    let mut anchors = Vec::new();
    for k in body + 1..dom.len() as u32 {
        let node = &dom.nodes[k as usize];
        match node.tag {
            Tag::Text
                if (3..=TITLE_MAX_CHARS).contains(&node.chars)
                    && TITLE_WORD.is_match(node.text) =>
            {
                if let Some(t) = title_around(dom, k, full) {
                    starts.push(t);
                }
            }
            // A heading with other words is a title by its class alone.
            Tag::Heading(_)
                if rules::COMMENTS.is_match(dom.class_id_lower(k))
                    && is_section_title(dom, k, full) =>
            {
                starts.push(k)
            }
            Tag::A if is_section_anchor(dom, k, full) => anchors.push(k),
            _ => {}
        }
    }
    // A front page of posts repeats the anchor after each post; only a
    // page's one comment section is told by it.
    if let [anchor] = anchors[..] {
        starts.push(anchor);
    }
    starts.sort_unstable();
    let mut roots = Vec::new();
    let mut covered = body;
    for start in starts {
        if start < covered {
            continue;
        }
        let end = dom.nodes[dom.nodes[start as usize].parent as usize].end;
        let mut i = start;
        while i < end {
            roots.push(i);
            i = dom.nodes[i as usize].end;
        }
        covered = end;
    }
    roots
}

/// The outermost block around text node `k` that is a comment section's
/// title, if any: the whole title is the block to cut after ("12 " and
/// "Comments" are often two nodes).
fn title_around(dom: &Dom, k: u32, full: &[Stats]) -> Option<u32> {
    let mut chain = Vec::new();
    let mut a = dom.nodes[k as usize].parent;
    while a > dom.body && full[a as usize].chars <= TITLE_MAX_CHARS {
        chain.push(a);
        a = dom.nodes[a as usize].parent;
    }
    chain
        .into_iter()
        .rev()
        .find(|&b| is_section_title(dom, b, full))
}

/// Words without which no text is a comment section's title
/// ([`rules::COMMENTS_TITLE`]): a cheap test before building a block's
/// text. (A case-insensitive regex here cost more than the rest of pruning.)
static TITLE_WORD: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build([
            "comment",
            "kommentar",
            "comentario",
            "repl",
            "respons",
            "reaction",
            "thoughts",
            "feedback",
            "say",
            "discussion",
            "conversation",
            "reacties",
            "komentarz",
            "評論",
            "评论",
            "コメント",
        ])
        .expect("valid patterns")
});

/// Class names of the parts of a comment that are not what the reader wrote:
/// who, when, the reply button, the avatar, the form. Whole class names are
/// compared (by their last word), since `comment-author-jane` marks a whole
/// comment by Jane while `comment-author` marks only the name.
fn is_comment_furniture(dom: &Dom, i: u32) -> bool {
    const PARTS: [&str; 14] = [
        "reply",
        "meta",
        "metadata",
        "author",
        "avatar",
        "vcard",
        "says",
        "respond",
        "form",
        "date",
        "permalink",
        "vote",
        "votes",
        "count",
    ];
    let names = [dom.attr(i, "class"), dom.attr(i, "id")];
    names
        .iter()
        .flatten()
        .flat_map(|v| v.split_whitespace())
        .any(|c| {
            let c = c.to_ascii_lowercase();
            let last = c.rsplit(['-', '_']).next().unwrap_or("");
            PARTS.contains(&last)
        })
}

/// The page's user comments, one paragraph per line, or `None` when it has
/// none: what class names call comments, and the unmarked `sections`.
pub fn comments(dom: &Dom, full: &[Stats], sections: &[u32]) -> Option<String> {
    let n = dom.len();
    let mut in_section = vec![false; n];
    for &r in sections {
        in_section[r as usize] = true;
    }
    let mut roots = Vec::new();
    let mut i = dom.body as usize;
    while i < n {
        let node = &dom.nodes[i];
        if in_section[i]
            || (node.tag != Tag::Text
                && full[i].chars >= 40
                && rules::COMMENTS.is_match(dom.class_id_lower(i as u32)))
        {
            roots.push(i as u32);
            i = node.end as usize;
        } else {
            i += 1;
        }
    }
    if roots.is_empty() {
        return None;
    }
    let mut removed = vec![false; n];
    for &r in &roots {
        for j in r as usize + 1..dom.nodes[r as usize].end as usize {
            let t = dom.nodes[j].tag;
            if matches!(
                t,
                Tag::Footer | Tag::Form | Tag::Nav | Tag::Aside | Tag::Heading(_)
            ) || (t != Tag::Text && is_comment_furniture(dom, j as u32))
            {
                removed[j] = true;
            }
        }
    }
    let lines: Vec<Line> = assemble::lines(dom, &roots, &removed, false)
        .into_iter()
        .filter(|l| {
            let len = l.text.chars().count();
            l.link_chars * 2 < len
                && (len >= rules::LABEL_CHARS || l.text.ends_with(rules::SENTENCE_END))
        })
        .collect();
    if lines.is_empty() {
        None
    } else {
        Some(assemble::text(&lines))
    }
}
