//! Small text helpers shared by the extraction stages.

use super::dom::{Dom, Tag};

/// The visible text of node `i`, white space collapsed and trimmed; nodes
/// flagged in `removed` (which may be shorter than the arena) are skipped.
pub fn inner_text(dom: &Dom, i: u32, removed: &[bool]) -> String {
    let mut out = String::new();
    let end = dom.nodes[i as usize].end as usize;
    let mut j = i as usize;
    while j < end {
        if removed.get(j).copied().unwrap_or(false) {
            j = dom.nodes[j].end as usize;
            continue;
        }
        let n = &dom.nodes[j];
        if n.tag == Tag::Text {
            push_collapsed(&mut out, n.text);
        } else if n.tag.is_block() || n.tag == Tag::Br {
            push_space(&mut out);
        }
        j += 1;
    }
    out.trim_end().to_string()
}

/// Appends `s` with white-space runs folded to one space, never starting a line with one.
pub fn push_collapsed(out: &mut String, s: &str) {
    for c in s.chars() {
        if c.is_whitespace() {
            push_space(out);
        } else if !c.is_control() {
            out.push(c);
        }
    }
}

fn push_space(out: &mut String) {
    if !out.is_empty() && !out.ends_with([' ', '\n']) {
        out.push(' ');
    }
}

/// The text of node `i` before its first link (a label such as "Read also:").
pub fn inner_text_until_link(dom: &Dom, i: u32) -> String {
    let mut out = String::new();
    let end = dom.nodes[i as usize].end as usize;
    for n in &dom.nodes[i as usize..end] {
        match n.tag {
            Tag::A => break,
            Tag::Text => push_collapsed(&mut out, n.text),
            _ => {}
        }
    }
    out
}
