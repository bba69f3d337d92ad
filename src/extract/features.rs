//! Per-line features for the learned line model ([`super::model`]): what the
//! rules already know about each output line, as numbers.
//!
//! Every feature is cheap (one pass over the lines, a few ancestor steps per
//! line), so computing them costs far less than the parse. The same function
//! serves extraction and the trainer (`examples/train_line_model.rs`), so the
//! model is trained on exactly what it later sees.

use super::assemble::{Kind, Line};
use super::dom::{Dom, Tag, NONE};
use super::rules;
use std::cell::Cell;

/// Number of features per line.
pub const COUNT: usize = 39;

/// One line's features, in the order of [`NAMES`].
pub type Features = [f32; COUNT];

/// Index of `log_chars`, ln(1 + characters).
pub const LOG_CHARS: usize = 0;
/// Index of `link_density`, the share of the line's characters in links.
pub const LINK_DENSITY: usize = 1;

/// Feature names, for the trainer's report and the generated weights file.
pub const NAMES: [&str; COUNT] = [
    "log_chars",
    "link_density",
    "kind_para",
    "kind_heading",
    "kind_item",
    "kind_row",
    "kind_code_quote",
    "sentence_end",
    "label_end",
    "digit_share",
    "upper_share",
    "commas_per_60",
    "position",
    "first",
    "last",
    "share_of_text",
    "log_total_chars",
    "log_lines",
    "repeated",
    "parent_share",
    "ancestor3_share",
    "before_prose",
    "after_prose",
    "log_prev_chars",
    "log_next_chars",
    "prev_link_density",
    "next_link_density",
    "negative_class",
    "positive_class",
    "block_is_p",
    "few_words",
    "main_parent",
    "under_main_parent",
    "depth_below_main",
    "furniture_ancestor",
    "chosen",
    "lines_to_chosen",
    "inside_chosen_span",
    "inside_roots",
];

/// Non-link characters that make a line a paragraph of prose.
const PROSE_CHARS: usize = 80;

/// Distance in lines from the chosen text past which lines are alike.
pub const MAX_GAP: usize = 20;

/// Levels above the block searched for class words.
const CLASS_LEVELS: usize = 4;

fn log1p(x: usize) -> f32 {
    (x as f32).ln_1p()
}

/// The features of each line, in order; `chosen` marks the lines the rules
/// chose, against which page-level figures (text length, the main
/// container) are measured; `roots` are the containers the rules chose.
///
/// ```
/// use copydesk::extract::{assemble, dom::Dom, features};
/// let doc = scraper::Html::parse_document("<body><div><p>A first paragraph of prose, long enough to count.</p><p>Subscribe now!</p></div></body>");
/// let dom = Dom::build(&doc);
/// let lines = assemble::lines(&dom, &[dom.body], &vec![false; dom.len()], false);
/// let f = features::of_lines(&dom, &lines, &[true, true], &[dom.body]);
/// let few = features::NAMES.iter().position(|n| *n == "few_words").unwrap();
/// assert_eq!((f[0][few], f[1][few]), (0.0, 1.0));
/// ```
pub fn of_lines(dom: &Dom, lines: &[Line], chosen: &[bool], roots: &[u32]) -> Vec<Features> {
    let lens: Vec<usize> = lines.iter().map(|l| l.text.chars().count()).collect();
    let n = lines.len();
    let total: usize = (0..n)
        .filter(|&k| chosen[k])
        .map(|k| lens[k])
        .sum::<usize>()
        .max(1);
    let prose = |k: usize| chosen[k] && lens[k].saturating_sub(lines[k].link_chars) >= PROSE_CHARS;
    let to_chosen = lines_to_chosen(chosen);
    let first_chosen = chosen.iter().position(|&c| c);
    let last_chosen = chosen.iter().rposition(|&c| c);
    let first_prose = (0..n).find(|&k| prose(k));
    let last_prose = (0..n).rev().find(|&k| prose(k));
    // The chosen lines' texts, sorted: a line's copies are a range.
    let mut texts: Vec<&str> = (0..n)
        .filter(|&k| chosen[k])
        .map(|k| lines[k].text.trim())
        .collect();
    texts.sort_unstable();
    let copies = |t: &str| texts.partition_point(|&x| x <= t) - texts.partition_point(|&x| x < t);
    // Characters per block in document order, so that the text under any
    // ancestor is a range sum.
    let mut by_block: Vec<(u32, usize)> = (0..n)
        .filter(|&k| chosen[k])
        .map(|k| (lines[k].block, lens[k]))
        .collect();
    by_block.sort_unstable_by_key(|&(b, _)| b);
    let mut prefix = Vec::with_capacity(by_block.len() + 1);
    prefix.push(0usize);
    for &(_, c) in &by_block {
        prefix.push(prefix.last().copied().unwrap_or(0) + c);
    }
    let chars_under = |anc: u32| {
        let end = dom.nodes[anc as usize].end;
        let lo = by_block.partition_point(|&(b, _)| b < anc);
        let hi = by_block.partition_point(|&(b, _)| b < end);
        prefix[hi] - prefix[lo]
    };
    // The container holding most of the prose: the article's own paragraphs
    // are its children, furniture sits elsewhere or deeper.
    let mut prose_by_parent: Vec<(u32, usize)> = (0..n)
        .filter(|&k| prose(k))
        .map(|k| (dom.nodes[lines[k].block as usize].parent, lens[k]))
        .collect();
    prose_by_parent.sort_unstable_by_key(|&(p, _)| p);
    let mut main = (NONE, 0);
    for group in prose_by_parent.chunk_by(|a, b| a.0 == b.0) {
        let chars = group.iter().map(|&(_, c)| c).sum();
        // Ties go to the earlier container.
        if chars > main.1 {
            main = (group[0].0, chars);
        }
    }
    let main = main.0;
    let main_depth = if main == NONE {
        0
    } else {
        climb(dom, main).0 + 1
    };
    let density = |k: usize| lines[k].link_chars as f32 / lens[k].max(1) as f32;
    // Lines share ancestors, so each element's class words are read once.
    let memo = vec![Cell::new(0u8); dom.len()];
    (0..n)
        .map(|k| {
            let l = &lines[k];
            let text = l.text.as_str();
            let (mut digits, mut upper, mut letters, mut commas) = (0usize, 0usize, 0usize, 0usize);
            for c in text.chars() {
                if c.is_numeric() {
                    digits += 1;
                } else if c.is_alphabetic() {
                    letters += 1;
                    upper += c.is_uppercase() as usize;
                } else if rules::is_comma(c) {
                    commas += 1;
                }
            }
            let len = lens[k].max(1);
            let ancestors = ancestors(dom, l.block);
            let (depth, furniture) = climb(dom, l.block);
            let share = |levels: usize| {
                let a = ancestors
                    .get(levels)
                    .or(ancestors.last())
                    .copied()
                    .unwrap_or(l.block);
                chars_under(a) as f32 / total as f32
            };
            let class_hit = |bit: u8| {
                ancestors
                    .iter()
                    .take(CLASS_LEVELS + 1)
                    .any(|&a| class_words(dom, &memo, a) & bit != 0)
            };
            let trimmed = text.trim_end();
            let flag = |b: bool| b as u8 as f32;
            [
                log1p(lens[k]),
                density(k),
                flag(l.kind == Kind::Para),
                flag(matches!(l.kind, Kind::Heading(_))),
                flag(l.kind == Kind::Item),
                flag(l.kind == Kind::Row),
                flag(matches!(l.kind, Kind::Code | Kind::Quote)),
                flag(trimmed.ends_with(rules::SENTENCE_END)),
                flag(trimmed.ends_with(rules::LABEL_END)),
                digits as f32 / len as f32,
                upper as f32 / letters.max(1) as f32,
                (commas as f32 * rules::CHARS_PER_COMMA as f32 / len as f32).min(3.0),
                if n > 1 {
                    k as f32 / (n - 1) as f32
                } else {
                    0.0
                },
                flag(k == 0),
                flag(k + 1 == n),
                lens[k] as f32 / total as f32,
                log1p(total),
                log1p(n),
                // Twice among the chosen lines, or once beside this one.
                flag(copies(text.trim()) + usize::from(!chosen[k]) > 1),
                share(1),
                share(3),
                flag(first_prose.is_some_and(|f| k < f)),
                flag(last_prose.is_some_and(|f| k > f)),
                if k > 0 { log1p(lens[k - 1]) } else { 0.0 },
                if k + 1 < n { log1p(lens[k + 1]) } else { 0.0 },
                if k > 0 { density(k - 1) } else { 0.0 },
                if k + 1 < n { density(k + 1) } else { 0.0 },
                flag(class_hit(NEGATIVE)),
                flag(class_hit(POSITIVE)),
                flag(dom.nodes[l.block as usize].tag == Tag::P),
                flag(text.split_whitespace().count() < 4),
                flag(ancestors.get(1) == Some(&main)),
                flag(main != NONE && dom.contains(main, l.block)),
                (depth as f32 - main_depth as f32).clamp(-3.0, 6.0),
                flag(furniture),
                flag(chosen[k]),
                to_chosen[k].min(MAX_GAP) as f32,
                flag(first_chosen.is_some_and(|f| f <= k) && last_chosen.is_some_and(|l| k <= l)),
                flag(roots.iter().any(|&r| dom.contains(r, l.block))),
            ]
        })
        .collect()
}

/// Bits of [`class_words`].
const KNOWN: u8 = 1;
const NEGATIVE: u8 = 2;
const POSITIVE: u8 = 4;

/// Whether element `i`'s class or id holds furniture words
/// ([`rules::NEGATIVE`]) or content words ([`rules::POSITIVE`]), as bits,
/// remembered in `memo`.
fn class_words(dom: &Dom, memo: &[Cell<u8>], i: u32) -> u8 {
    let known = memo[i as usize].get();
    if known & KNOWN != 0 {
        return known;
    }
    let class_id = dom.class_id_lower(i);
    let mut bits = KNOWN;
    if !class_id.is_empty() {
        if rules::NEGATIVE.is_match(class_id) {
            bits |= NEGATIVE;
        }
        if rules::POSITIVE.is_match(class_id) {
            bits |= POSITIVE;
        }
    }
    memo[i as usize].set(bits);
    bits
}

/// For each line, how many lines away the nearest chosen line is
/// (`usize::MAX` when none is).
fn lines_to_chosen(chosen: &[bool]) -> Vec<usize> {
    let n = chosen.len();
    let mut to_chosen = vec![usize::MAX; n];
    let mut last = None;
    for k in 0..n {
        if chosen[k] {
            last = Some(k);
        }
        if let Some(c) = last {
            to_chosen[k] = k - c;
        }
    }
    last = None;
    for k in (0..n).rev() {
        if chosen[k] {
            last = Some(k);
        }
        if let Some(c) = last {
            to_chosen[k] = to_chosen[k].min(c - k);
        }
    }
    to_chosen
}

/// Which lines lie within [`MAX_GAP`] lines of a chosen one.
///
/// ```
/// let near = copydesk::extract::features::near_chosen(&[true, false, false]);
/// assert_eq!(near, [true, true, true]);
/// ```
pub fn near_chosen(chosen: &[bool]) -> Vec<bool> {
    lines_to_chosen(chosen)
        .into_iter()
        .map(|d| d <= MAX_GAP)
        .collect()
}

/// Levels climbed from a line towards the body: a bound on the work per
/// line on pages nested deeper than any article is.
const MAX_CLIMB: usize = 64;

/// The depth of `i` below the body (at most [`MAX_CLIMB`]), and whether a header, footer, aside,
/// navigation, form or figure encloses it.
fn climb(dom: &Dom, i: u32) -> (usize, bool) {
    let (mut depth, mut furniture) = (0, false);
    let mut a = dom.nodes[i as usize].parent;
    while a != NONE && a != dom.body && depth < MAX_CLIMB {
        depth += 1;
        furniture |= matches!(
            dom.nodes[a as usize].tag,
            Tag::Header | Tag::Footer | Tag::Aside | Tag::Nav | Tag::Form | Tag::Figure
        );
        a = dom.nodes[a as usize].parent;
    }
    (depth, furniture)
}

/// The block and its ancestors, nearest first, at most [`CLASS_LEVELS`]
/// above it and none above the body.
pub(super) fn ancestors(dom: &Dom, block: u32) -> Vec<u32> {
    let mut out = Vec::with_capacity(CLASS_LEVELS + 2);
    let mut a = block;
    while a != NONE && out.len() <= CLASS_LEVELS {
        out.push(a);
        if a == dom.body {
            break;
        }
        a = dom.nodes[a as usize].parent;
    }
    out
}
