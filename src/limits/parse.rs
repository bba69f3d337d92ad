//! The HTML parse, fed in slices so that it can be stopped.
//!
//! `scraper::Html::parse_document` hands the whole page to html5ever in one
//! call that nothing can interrupt. Here the page goes in [`SLICE_BYTES`] at
//! a time (html5ever streams, so the tree is the same), and between slices
//! the guard looks at the clock and at the size of the tree: past the
//! deadline the parse is abandoned with [`Error::Timeout`]; past the node
//! cap the parse stops, and the tree built so far (a prefix of the page)
//! goes on to extraction, marked as truncated. One slice can overshoot the
//! cap by only so much, since [`super::tame`] has already bounded how many
//! nodes one tag can make.

use html5ever::tendril::{StrTendril, TendrilSink};
use scraper::{Html, HtmlTreeSink};

use super::Deadline;
use crate::Error;

/// How much of the page html5ever gets between two checks: small enough
/// that a slice is quick even on a hostile page, large enough that the
/// checks cost nothing measurable.
pub const SLICE_BYTES: usize = 16 * 1024;

/// A parsed page.
#[derive(Debug)]
pub struct Parsed {
    /// The tree.
    pub doc: Html,
    /// True when the parse stopped at the node cap, before the end of the page.
    pub truncated: bool,
}

/// Parses `html` into a tree of at most about `max_nodes` nodes, giving up
/// with [`Error::Timeout`] once `deadline` has passed.
///
/// ```
/// use copydesk::limits::parse::parse;
/// let page = "<p>one</p>".repeat(10_000);
/// let whole = parse(&page, 1_000_000, None).unwrap();
/// assert!(!whole.truncated);
/// let cut = parse(&page, 1_000, None).unwrap();
/// assert!(cut.truncated && cut.doc.tree.nodes().len() < 10_000);
/// ```
pub fn parse(html: &str, max_nodes: usize, deadline: Option<&Deadline>) -> Result<Parsed, Error> {
    let mut parser = html5ever::driver::parse_document(
        HtmlTreeSink::new(Html::new_document()),
        Default::default(),
    );
    let mut truncated = false;
    let mut rest = html;
    while !rest.is_empty() {
        let mut cut = SLICE_BYTES.min(rest.len());
        while !rest.is_char_boundary(cut) {
            cut += 1;
        }
        let (slice, tail) = rest.split_at(cut);
        rest = tail;
        parser.process(StrTendril::from_slice(slice));
        if let Some(deadline) = deadline {
            deadline.check()?;
        }
        let nodes = parser.tokenizer.sink.sink.0.borrow().tree.nodes().len();
        if nodes >= max_nodes && !rest.is_empty() {
            truncated = true;
            break;
        }
    }
    Ok(Parsed {
        doc: parser.finish(),
        truncated,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every node's name or text, in document order.
    fn shape(doc: &Html) -> Vec<String> {
        doc.tree
            .root()
            .descendants()
            .map(|n| format!("{:?}", n.value()))
            .collect()
    }

    #[test]
    fn slices_make_the_same_tree_as_one_call() {
        let cell = "<td>caf\u{e9} \u{1F600} &amp; <b>bold<i>both</b>italic</i></td>\r\n";
        let page = format!(
            "<!doctype html><title>T</title><table><tr>{}</tr></table><script>if (a < b) {{}}</script>",
            cell.repeat(2_000)
        );
        assert!(page.len() > 3 * SLICE_BYTES);
        let sliced = parse(&page, usize::MAX, None).unwrap();
        assert_eq!(shape(&sliced.doc), shape(&Html::parse_document(&page)));
    }

    #[test]
    fn a_passed_deadline_is_a_timeout() {
        let page = "<p>x</p>".repeat(10_000);
        let spent = Deadline::after(std::time::Duration::ZERO);
        let r = parse(&page, usize::MAX, Some(&spent));
        assert!(matches!(r, Err(Error::Timeout { .. })));
    }
}
