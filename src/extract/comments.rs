//! User comments, collected apart from the article when the caller asks for them.

use super::assemble::{self, Line};
use super::dom::{Dom, Tag};
use super::rules;
use super::stats::Stats;

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

/// The page's user comments, one paragraph per line, or `None` when it has none.
pub fn comments(dom: &Dom, full: &[Stats]) -> Option<String> {
    let n = dom.len();
    let mut roots = Vec::new();
    let mut i = dom.body as usize;
    while i < n {
        let node = &dom.nodes[i];
        if node.tag != Tag::Text
            && full[i].chars >= 40
            && rules::COMMENTS.is_match(dom.class_id_lower(i as u32))
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
