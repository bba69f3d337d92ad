//! The extraction pipeline: parse → prune → score → select → clean → assemble.
//!
//! The page is flattened once into an arena ([`dom::Dom`]) holding only what
//! could be visible; every later stage works on indices into it with flags
//! and per-node statistics, so a retry with looser rules costs a few linear
//! passes, not a re-parse.

// Node facts live in parallel vectors indexed by arena position; index loops
// over ranges of positions are the natural form here.
#![allow(clippy::needless_range_loop)]

pub mod assemble;
mod clean;
mod comments;
pub mod dom;
pub mod features;
pub mod model;
mod prune;
pub mod rules;
mod score;
mod select;
mod stats;
mod text;

use crate::metadata::Metadata;
use crate::Options;
use assemble::{Kind, Line};
use dom::Dom;
use prune::Flags;
use std::collections::HashSet;
use std::time::{Duration, Instant};

/// The extracted body of a page.
#[derive(Debug, Clone, Default)]
pub struct Body {
    /// Article text, one block per line.
    pub text: String,
    /// Markdown rendering, when asked for.
    pub markdown: Option<String>,
    /// User comments, when asked for.
    pub comments: Option<String>,
    /// A visible byline found in the page.
    pub byline: Option<String>,
}

/// One attempt's result.
struct Attempt {
    removed: Vec<bool>,
    /// What pruning and the furniture rules of cleaning removed: what is
    /// left is the pool the line model may add from.
    pruned: Vec<bool>,
    roots: Vec<u32>,
    lines: Vec<Line>,
    chars: usize,
    /// Characters outside links, zero for a page of teasers.
    prose: usize,
    /// A page of teasers ([`is_listing`], outside a single post): no article.
    teasers: bool,
    byline: Option<String>,
    /// Chosen by the page's article-body marker (see `select::Selection`).
    marked: bool,
    /// Roots whose lines the line model does not review (see `select::Selection`).
    settled: Vec<u32>,
}

/// Readability's retry ladder: each step drops one of the stricter rules.
const LADDER: [Flags; 4] = [
    Flags {
        strip_unlikely: true,
        weight_classes: true,
        clean_conditionally: true,
    },
    Flags {
        strip_unlikely: false,
        weight_classes: true,
        clean_conditionally: true,
    },
    Flags {
        strip_unlikely: false,
        weight_classes: false,
        clean_conditionally: true,
    },
    Flags {
        strip_unlikely: false,
        weight_classes: false,
        clean_conditionally: false,
    },
];

/// Time spent in each stage of [`extract_body_timed`], summed over calls.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    /// Flattening the parsed tree into the arena.
    pub arena: Duration,
    /// Removing furniture before scoring.
    pub prune: Duration,
    /// Per-node statistics and paragraph votes.
    pub score: Duration,
    /// Choosing the content roots.
    pub select: Duration,
    /// Cleaning inside the chosen content.
    pub clean: Duration,
    /// Turning the content into lines (and Markdown, comments).
    pub assemble: Duration,
}

/// Adds the time since `*t` to `slot` and restarts the clock.
fn lap(t: &mut Instant, slot: &mut Duration) {
    let now = Instant::now();
    *slot += now - *t;
    *t = now;
}

/// Extracts the main content of a parsed page.
///
/// The headline stays in the text when it sits inside the article: the
/// labelled sets other than Readability's own count it as content.
///
/// ```
/// let doc = scraper::Html::parse_document("<body><div><p>One paragraph of text, long enough to count as prose.</p></div></body>");
/// let meta = copydesk::metadata::Metadata::default();
/// let body = copydesk::extract::extract_body(&doc, &meta, &copydesk::Options::default());
/// assert_eq!(body.text, "One paragraph of text, long enough to count as prose.");
/// ```
pub fn extract_body(doc: &scraper::Html, meta: &Metadata, opts: &Options) -> Body {
    extract_body_timed(doc, meta, opts, &mut Timings::default())
}

/// [`extract_body`], adding each stage's time to `timings` (for `copydesk bench`).
pub fn extract_body_timed(
    doc: &scraper::Html,
    _meta: &Metadata,
    opts: &Options,
    timings: &mut Timings,
) -> Body {
    extract_body_visiting(doc, opts, timings, |_| {})
}

/// [`extract_body_timed`], handing every element of the page to `visit` on
/// the way (see [`Dom::build_visiting`]), so that a caller that needs to
/// look at each element (the metadata) needs no walk of its own.
pub fn extract_body_visiting<'a>(
    doc: &'a scraper::Html,
    opts: &Options,
    timings: &mut Timings,
    visit: impl FnMut(scraper::ElementRef<'a>),
) -> Body {
    let mut clock = Instant::now();
    let dom = Dom::build_visiting(doc, opts.max_nodes, opts.max_depth, visit);
    lap(&mut clock, &mut timings.arena);
    let Some((mut best, page)) = best_attempt(&dom, timings) else {
        return Body::default();
    };
    let mut body = Body {
        byline: best.byline.clone(),
        ..Body::default()
    };
    if best.teasers {
        return body;
    }
    let mut clock = Instant::now();
    let (lines, chosen, keep) = if opts.line_model {
        let Candidates {
            lines,
            chosen,
            settled,
        } = candidates(&dom, &mut best);
        let feats = features::of_lines(&dom, &lines, &chosen, &best.roots);
        let keep = model::keep(&feats, &chosen, &settled);
        (lines, chosen, keep)
    } else {
        let n = best.lines.len();
        (
            std::mem::take(&mut best.lines),
            vec![true; n],
            vec![true; n],
        )
    };
    let kept: Vec<Line> = lines
        .into_iter()
        .zip(&keep)
        .filter_map(|(l, &k)| k.then_some(l))
        .collect();
    body.text = assemble::text(&kept);
    if opts.comments {
        body.comments = comments::comments(&dom, &page.full, &page.comments);
    }
    if opts.markdown {
        let md = if keep.iter().zip(&chosen).all(|(k, c)| k == c) {
            assemble::lines(&dom, &best.roots, &best.removed, true)
        } else {
            // The model changed the text: render the blocks it kept.
            let blocks: HashSet<u32> = kept.iter().map(|l| l.block).collect();
            let mut md = assemble::lines(&dom, &[dom.body], &best.pruned, true);
            md.retain(|l| blocks.contains(&l.block));
            md
        };
        body.markdown = Some(assemble::markdown(&md));
    }
    lap(&mut clock, &mut timings.assemble);
    body
}

/// One output line of the rules with its [`features`], before the learned
/// line model has its say: what `examples/train_line_model.rs` learns from.
#[derive(Debug, Clone)]
pub struct LineSample {
    /// The line's text.
    pub text: String,
    /// Its features.
    pub features: features::Features,
    /// Whether the rules chose it (else it is a line the model may add).
    pub chosen: bool,
    /// Whether the rules chose it by a rule the model does not overrule.
    pub settled: bool,
}

/// The lines the rules choose for a parsed page and the lines near them the
/// line model may add, in page order, with their features; empty for a page
/// of teasers, which gives no text.
///
/// ```
/// let doc = scraper::Html::parse_document("<body><article><p>One paragraph of text, long enough to count as prose.</p></article></body>");
/// let s = copydesk::extract::line_samples(&doc, &copydesk::Options::default());
/// assert_eq!(s[0].text, "One paragraph of text, long enough to count as prose.");
/// ```
pub fn line_samples(doc: &scraper::Html, opts: &Options) -> Vec<LineSample> {
    let dom = Dom::build_capped(doc, opts.max_nodes, opts.max_depth);
    let Some((mut best, _)) = best_attempt(&dom, &mut Timings::default()) else {
        return Vec::new();
    };
    if best.teasers {
        return Vec::new();
    }
    let c = candidates(&dom, &mut best);
    let feats = features::of_lines(&dom, &c.lines, &c.chosen, &best.roots);
    c.lines
        .into_iter()
        .zip(feats)
        .zip(c.chosen.into_iter().zip(c.settled))
        .map(|((l, features), (chosen, settled))| LineSample {
            text: l.text,
            features,
            chosen,
            settled,
        })
        .collect()
}

/// The rules' lines with the other lines pruning left near them (captions
/// aside, see [`is_caption_line`]) slotted in by page order, and which of
/// them the rules chose.
fn candidates(dom: &Dom, best: &mut Attempt) -> Candidates {
    let mut pool = best.pruned.clone();
    drop_captions(dom, &[dom.body], &mut pool);
    let mut chosen_blocks: Vec<u32> = best.lines.iter().map(|l| l.block).collect();
    chosen_blocks.sort_unstable();
    let mut others = assemble::lines(dom, &[dom.body], &pool, false)
        .into_iter()
        .filter(|l| chosen_blocks.binary_search(&l.block).is_err())
        .peekable();
    let mut merged: Vec<(Line, bool)> = Vec::new();
    for l in std::mem::take(&mut best.lines) {
        while let Some(o) = others.next_if(|o| o.block < l.block) {
            merged.push((o, false));
        }
        merged.push((l, true));
    }
    merged.extend(others.map(|o| (o, false)));
    // Only lines near the chosen text are candidates: past
    // `features::MAX_GAP` lines the model sees no difference, and the page's
    // far furniture need not be scored.
    let near = features::near_chosen(&merged.iter().map(|m| m.1).collect::<Vec<_>>());
    let (lines, chosen): (Vec<Line>, Vec<bool>) = merged
        .into_iter()
        .zip(near)
        .filter(|((l, c), near)| *c || (*near && !is_caption_line(dom, l)))
        .map(|(m, _)| m)
        .unzip();
    let settled = lines
        .iter()
        .zip(&chosen)
        .map(|(l, &c)| c && best.settled.iter().any(|&r| dom.contains(r, l.block)))
        .collect();
    Candidates {
        lines,
        chosen,
        settled,
    }
}

/// The lines the line model looks at, in page order.
struct Candidates {
    lines: Vec<Line>,
    /// Chosen by the rules.
    chosen: Vec<bool>,
    /// Chosen by a rule the model does not overrule (see `select::Selection::settled`).
    settled: Vec<bool>,
}

/// Characters under which a line beside a picture is its caption.
const CAPTION_CHARS: usize = 150;

/// Nodes of a line's block, and children of its parent, searched for its
/// picture (a bound: a parent may hold a whole page of paragraphs).
const CAPTION_NODES: usize = 64;

/// A line that describes a picture: in a figure or a container named as a
/// caption or credit ([`in_caption`]), ending in a photo credit
/// ([`rules::PHOTO_CREDIT`]), or short and set beside an image in the same
/// small container. The line model may not add such lines.
fn is_caption_line(dom: &Dom, l: &Line) -> bool {
    // An image inside the line's block (a table row of picture and
    // caption), or beside it.
    let beside_picture = || {
        let b = l.block as usize;
        let is_img = |i: usize| dom.nodes[i].tag == dom::Tag::Img;
        let parent = dom.nodes[b].parent;
        (b..dom.nodes[b].end as usize)
            .take(CAPTION_NODES)
            .any(is_img)
            || (parent != dom::NONE
                && dom
                    .children(parent)
                    .take(CAPTION_NODES)
                    .any(|c| is_img(c as usize)))
    };
    in_caption(dom, l.block)
        || (l.text.trim_end().ends_with(')') && rules::PHOTO_CREDIT.is_match(&l.text))
        || (l.text.chars().count() < CAPTION_CHARS && beside_picture())
}

/// What every pass of the ladder reads of the whole page, found once.
struct Page {
    /// Statistics of the unpruned page.
    full: Vec<stats::Stats>,
    /// Roots of the unmarked comment sections ([`comments::sections`]).
    comments: Vec<u32>,
}

/// Runs the retry ladder and returns its best attempt, with what it read of
/// the whole page.
fn best_attempt(dom: &Dom, timings: &mut Timings) -> Option<(Attempt, Page)> {
    if dom.is_empty() {
        return None;
    }
    let mut clock = Instant::now();
    let none = vec![false; dom.len()];
    let full = stats::compute(dom, &none);
    lap(&mut clock, &mut timings.score);
    let comments = comments::sections(dom, &full);
    lap(&mut clock, &mut timings.prune);
    let page = Page { full, comments };
    let mut best: Option<Attempt> = None;
    let mut scored = None;
    for flags in LADDER {
        let a = attempt(dom, &page, flags, &mut scored, timings);
        // A page of teasers is no result to stop at: a looser pass may
        // still find the article the stricter one pruned away.
        let good = a.chars >= rules::RETRY_CHARS && a.prose > 0;
        // A looser pass lets furniture back in, so it must clearly beat a stricter one.
        if best.as_ref().is_none_or(|b| {
            a.prose as f32 > b.prose as f32 * rules::RETRY_GAIN + 50.0
                || (b.chars == 0 && a.chars > 0)
        }) {
            best = Some(a);
        }
        // The publisher's body marker outranks what looser passes let in.
        if good || best.as_ref().is_some_and(|b| b.marked && b.chars > 0) {
            break;
        }
    }
    best.map(|b| (b, page))
}

/// Pruning and scoring of one ladder step, kept for the next: pruning reads
/// only [`Flags::prune_key`] and scoring only [`Flags::score_key`], so the
/// looser steps, which relax one rule each, reuse what did not change.
struct Scored {
    prune_key: bool,
    score_key: bool,
    removed: Vec<bool>,
    byline: Option<String>,
    st: Vec<stats::Stats>,
    sc: score::Scores,
}

fn attempt(
    dom: &Dom,
    page: &Page,
    flags: Flags,
    scored: &mut Option<Scored>,
    timings: &mut Timings,
) -> Attempt {
    let mut clock = Instant::now();
    let reusable = scored.take().filter(|s| s.prune_key == flags.prune_key());
    let s = match reusable {
        Some(s) if s.score_key == flags.score_key() => s,
        Some(s) => {
            let sc = score::score(dom, &s.removed, &s.st, flags);
            lap(&mut clock, &mut timings.score);
            Scored {
                score_key: flags.score_key(),
                sc,
                ..s
            }
        }
        None => {
            let mut removed = vec![false; dom.len()];
            let pruned = prune::prune(dom, &page.full, &page.comments, flags, &mut removed);
            lap(&mut clock, &mut timings.prune);
            let st = stats::compute(dom, &removed);
            let sc = score::score(dom, &removed, &st, flags);
            lap(&mut clock, &mut timings.score);
            Scored {
                prune_key: flags.prune_key(),
                score_key: flags.score_key(),
                removed,
                byline: pruned.byline,
                st,
                sc,
            }
        }
    };
    let sel = select::select(dom, &s.removed, &s.st, &s.sc);
    lap(&mut clock, &mut timings.select);
    // Cleaning changes both; the originals stay for the next step.
    let (mut removed, mut st) = (s.removed.clone(), s.st.clone());
    let furniture = clean::clean(dom, &sel.roots, &mut removed, &mut st, flags, sel.marked);
    let mut pruned = s.removed.clone();
    for f in furniture {
        pruned[f as usize] = true;
    }
    drop_captions(dom, &sel.roots, &mut removed);
    lap(&mut clock, &mut timings.clean);
    let mut lines = assemble::lines(dom, &sel.roots, &removed, false);
    trim_edges(&mut lines);
    lap(&mut clock, &mut timings.assemble);
    let chars = lines.iter().map(|l| l.text.chars().count()).sum();
    let teasers = is_listing(&lines) && !in_single_post(dom, &sel.roots);
    let prose = if teasers {
        0
    } else {
        lines
            .iter()
            .map(|l| l.text.chars().count().saturating_sub(l.link_chars))
            .sum()
    };
    let attempt = Attempt {
        prose,
        teasers,
        removed,
        pruned,
        roots: sel.roots,
        lines,
        chars,
        byline: s.byline.clone(),
        marked: sel.marked,
        settled: sel.settled,
    };
    *scored = Some(s);
    attempt
}

/// Drops page furniture left at the edges of the content: link lines before
/// the first paragraph (breadcrumbs, section links), and link lines or
/// unfinished short labels ("More news:", "Comments (2)") after the last.
/// Headings stay at the top, where the headline is often a permalink.
fn trim_edges(lines: &mut Vec<Line>) {
    let len = |l: &Line| l.text.chars().count();
    let linky = |l: &Line| l.link_chars * 2 >= len(l);
    // Only what lies outside the solid lines is trimmed: a page of nothing but
    // labels or links (a short note, a link list) keeps what it has.
    let solid = |l: &Line| {
        l.kind == Kind::Code
            || (!linky(l)
                && (len(l) >= rules::LABEL_CHARS || l.text.ends_with(rules::SENTENCE_END)))
    };
    loop {
        let Some(last) = lines.iter().rposition(solid) else {
            return;
        };
        lines.truncate(last + 1);
        if !drop_tail_note(lines) {
            break;
        }
    }
    let lead = lines
        .iter()
        .take_while(|l| linky(l) && !matches!(l.kind, Kind::Heading(_)))
        .count();
    lines.drain(..lead);
}

/// Drops one end note of the article, if there is one: a copyright or
/// picture-credit line, or a short label ("Weitere Informationen:", "Read
/// more:") with the few short lines or links it introduces. Returns whether
/// it dropped anything.
fn drop_tail_note(lines: &mut Vec<Line>) -> bool {
    let len = |l: &Line| l.text.chars().count();
    let Some(last) = lines.last() else {
        return false;
    };
    if lines.len() > 1
        && len(last) <= rules::TAIL_NOTE_CHARS
        && rules::TAIL_NOTE.is_match(&last.text)
    {
        lines.pop();
        return true;
    }
    let tail_start = lines
        .len()
        .saturating_sub(rules::TAIL_LABEL_MAX_ITEMS + 1)
        .max(1);
    let label = (tail_start..lines.len()).rev().find(|&k| {
        let l = &lines[k];
        l.text.ends_with(':') && len(l) <= rules::TAIL_LABEL_CHARS && l.kind != Kind::Code
    });
    match label {
        Some(k) if lines[k + 1..].iter().all(|l| l.link_chars * 2 >= len(l)) => {
            lines.truncate(k);
            true
        }
        _ => false,
    }
}

/// Captions describe a picture, not the story; they stay out of the text.
fn drop_captions(dom: &Dom, roots: &[u32], removed: &mut [bool]) {
    for &r in roots {
        for i in r as usize..dom.nodes[r as usize].end as usize {
            if dom.nodes[i].tag == dom::Tag::Figcaption {
                removed[i] = true;
            }
        }
    }
}

/// Whether a block sits in a figure or in a container named as a caption or
/// credit.
fn in_caption(dom: &Dom, block: u32) -> bool {
    features::ancestors(dom, block)
        .into_iter()
        .filter(|&a| a != dom.body)
        .any(|a| {
            matches!(
                dom.nodes[a as usize].tag,
                dom::Tag::Figure | dom::Tag::Figcaption
            ) || rules::CAPTION.is_match(dom.class_id_lower(a))
        })
}

/// A page of teasers (a home page, a section front) rather than an article.
///
/// Two shapes give it away: most lines are links and none reads as a
/// paragraph of prose (teaser standfirsts stay under
/// [`rules::PROSE_LINE_CHARS`]); or most headings are links, each followed by
/// only a standfirst's worth of text. Articles rarely link their own
/// subheadings, and a blog's front page of full posts has long text under each.
fn is_listing(lines: &[Line]) -> bool {
    let len = |l: &Line| l.text.chars().count();
    let linked = |l: &Line| l.link_chars * 2 > len(l);
    // Rows that mix links with plain data (a line-up of linked names with
    // positions) are a table, not teasers; rows of a layout table that are
    // nothing but a link are still navigation.
    let data_row = |l: &Line| l.kind == Kind::Row && l.link_chars < len(l);
    let link_lines = lines.iter().filter(|l| linked(l) && !data_row(l)).count();
    let prose = lines
        .iter()
        .any(|l| len(l).saturating_sub(l.link_chars) >= rules::PROSE_LINE_CHARS);
    if !prose && link_lines * 2 >= lines.len() && lines.len() >= 6 {
        return true;
    }
    let headings = lines.iter().filter(|l| matches!(l.kind, Kind::Heading(_)));
    let (n_headings, n_linked) = headings.fold((0, 0), |(n, k), l| (n + 1, k + linked(l) as usize));
    let body: usize = lines
        .iter()
        .filter(|l| !matches!(l.kind, Kind::Heading(_)))
        .map(len)
        .sum();
    n_linked >= rules::LISTING_MIN_TEASERS
        && n_linked * 10 >= n_headings * 7
        && body < n_linked * rules::TEASER_CHARS
}

/// Whether `roots` lie in the page's one post, under its own headline: a
/// link roundup ("The week in review", a bookmarking service's daily post)
/// is a list of links that is still the article, where a front page holds
/// many posts or cards and links their headlines.
fn in_single_post(dom: &Dom, roots: &[u32]) -> bool {
    let Some(&first) = roots.first() else {
        return false;
    };
    let mut posts = Vec::new();
    let mut i = dom.body as usize;
    while i < dom.len() && posts.len() < 2 {
        if is_post(dom, i as u32) {
            posts.push(i as u32);
            i = dom.nodes[i].end as usize;
        } else {
            i += 1;
        }
    }
    let [post] = posts[..] else {
        return false;
    };
    if !dom.contains(post, first) {
        return false;
    }
    // The post's first heading is its headline, above the content.
    let Some(headline) = (post + 1..dom.nodes[post as usize].end)
        .find(|&k| matches!(dom.nodes[k as usize].tag, dom::Tag::Heading(1..=3)))
    else {
        return false;
    };
    let linked = (headline + 1..dom.nodes[headline as usize].end)
        .any(|j| dom.nodes[j as usize].tag == dom::Tag::A && !dom::is_named_anchor(dom, j));
    (first == post || headline < first) && !linked
}

/// A blog post's or an article's container: `<article>`, or the class
/// names blog engines give one (`hentry`, `entry`, `post`).
fn is_post(dom: &Dom, i: u32) -> bool {
    dom.nodes[i as usize].tag == dom::Tag::Article
        || dom.attr(i, "class").is_some_and(|c| {
            c.split_ascii_whitespace()
                .any(|w| matches!(w, "hentry" | "entry" | "post" | "type-post"))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str, kind: Kind, link_chars: usize) -> Line {
        Line {
            text: text.to_owned(),
            kind,
            link_chars,
            block: 0,
        }
    }

    fn para(text: &str) -> Line {
        line(text, Kind::Para, 0)
    }

    fn texts(lines: &[Line]) -> Vec<&str> {
        lines.iter().map(|l| l.text.as_str()).collect()
    }

    const STORY: &str = "The council voted on Tuesday to keep the library open for another year.";

    #[test]
    fn the_line_model_adds_no_caption_or_photo_credit() {
        let para = |n: usize| {
            format!(
                "<p>{STORY} The second sentence of paragraph {n} says a little more, \
                 and a third one ends it.</p>"
            )
        };
        let body: String = (0..6).map(para).collect();
        let html = format!(
            r#"<html><body><div class="pic"><span class="pb-caption">The mayor opens
            the library on Tuesday. (Jane Roe/AFP/Getty Images)</span></div>
            <div class="slides"><div>The mayor opens the library on Tuesday, surrounded by
            children. (Photo via AP)</div></div><article>{body}</article></body></html>"#
        );
        let doc = scraper::Html::parse_document(&html);
        let samples = line_samples(&doc, &Options::default());
        assert!(
            samples.iter().all(|s| !s.text.contains("mayor")),
            "{samples:?}"
        );
        let a = crate::extract(&html, None);
        assert!(a.text.starts_with("The council voted"), "{}", a.text);
        assert!(!a.text.contains("mayor"), "{}", a.text);
    }

    #[test]
    fn without_the_line_model_the_rules_alone_decide() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let html = std::fs::read_to_string(dir.join("paywall-related-bio.html")).expect("fixture");
        let doc = scraper::Html::parse_document(&html);
        let off = Options {
            line_model: false,
            ..Options::default()
        };
        let rules: Vec<String> = line_samples(&doc, &off)
            .into_iter()
            .filter(|s| s.chosen)
            .map(|s| s.text)
            .collect();
        let body = extract_body(&doc, &Metadata::default(), &off);
        assert_eq!(body.text, rules.join("\n"));
    }

    #[test]
    fn end_notes_leave_the_text() {
        let mut lines = vec![
            para(STORY),
            para("Weitere Informationen:"),
            line("Pressemitteilung vom 3. Mai", Kind::Item, 27),
            para("Titelbild: Jane Roe / Agency"),
            para("© 2024 Daily Bugle. All rights reserved."),
        ];
        trim_edges(&mut lines);
        assert_eq!(texts(&lines), [STORY]);
    }

    #[test]
    fn a_label_over_plain_text_or_code_stays() {
        let mut lines = vec![
            para(STORY),
            para("In short:"),
            line("set-option -g mouse on", Kind::Code, 0),
            para("Timetable:"),
            para("Contest 12:00"),
            para("That is all for today, see you at the lake."),
        ];
        let before = texts(&lines).join("\n");
        trim_edges(&mut lines);
        assert_eq!(texts(&lines).join("\n"), before);
        // A copyright line alone is not mistaken for the whole text.
        let mut only = vec![para("© 2024 Daily Bugle. All rights reserved.")];
        trim_edges(&mut only);
        assert_eq!(only.len(), 1);
    }

    #[test]
    fn a_short_post_is_found_by_its_body_marker() {
        // The paragraph vote prefers the blog's comma-rich self-description
        // to a one-line post; the publisher's `post-body` says which is which.
        let html = r#"<html><body><div id="wrap"><div class="post hentry">
            <h3 class="post-title">Stud love</h3>
            <div class="post-body entry-content">I heart you.</div></div>
            <div id="side"><p>A visual gathering of thoughts, ponderings, desired objects,
            and inspiration, wrapped up in a diary.</p></div></div></body></html>"#;
        let a = crate::extract(html, None);
        assert_eq!(a.text, "Stud love\nI heart you.");
    }

    #[test]
    fn formulas_keep_their_punctuation_and_display_lines() {
        let mml = |inner: &str, display: &str| {
            format!(
                r#"<mjx-container class="MathJax CtxtMenu_Attached_0"><mjx-assistive-mml>
                <math xmlns="http://www.w3.org/1998/Math/MathML"{display}>{inner}</math>
                </mjx-assistive-mml></mjx-container>"#
            )
        };
        let html = format!(
            "<html><body><article><p>Take {} , and call its roots r and s, as \
             every textbook does, and as we shall do here for the rest of the page.</p>{}\
             <p>That is the whole proof, and it gives two identities, both worth \
             remembering, that Viete wrote down.</p></article></body></html>",
            mml("<mi>a</mi><mo>≠</mo><mn>0</mn>", ""),
            mml("<mi>r</mi><mo>+</mo><mi>s</mi>", r#" display="block""#),
        );
        let a = crate::extract(&html, None);
        let lines: Vec<&str> = a.text.lines().collect();
        assert!(lines[0].starts_with("Take a ≠ 0, and call"), "{}", a.text);
        assert_eq!(lines[1], "r + s");
    }

    #[test]
    fn an_aside_holding_the_marked_article_body_is_not_furniture() {
        let nav: String = (0..40)
            .map(|n| format!("<li><a href=\"/s{n}\">Section number {n}</a></li>"))
            .collect();
        let story = "The jury gave the prize to a novel about the old republic, \
            told by a thirteen-year-old in a small town, in many short episodes.";
        let html = format!(
            r#"<html><body><ul class="top">{nav}</ul><main><aside class="pa">
            <article><div itemprop="articleBody"><p>{story}</p><p>{story}</p></div>
            </article></aside></main><ul class="foot">{nav}</ul></body></html>"#
        );
        let a = crate::extract(&html, None);
        assert!(a.text.starts_with("The jury gave the prize"), "{}", a.text);
    }

    #[test]
    fn a_standfirst_in_the_article_header_is_kept() {
        let story = "The plant will turn fallen leaves into pellets, and the first \
            tonnes are expected before the winter, the cooperative said on Monday.";
        let html = format!(
            r#"<html><body><div class="tile"><div class="row article-header">
            <h1 class="title">Heating with leaves</h1>
            <p class="lead">A village cooperative wants to burn what falls from its trees.</p>
            </div><article class="articleBody"><p>{story}</p><p>{story}</p><p>{story}</p>
            </article></div><section class="related-posts"><article><a href="/x">
            <h1>Another story</h1></a><p class="excerpt">A teaser of another story, one line long.</p>
            </article></section></body></html>"#
        );
        let a = crate::extract(&html, None);
        assert!(
            a.text.contains("\nA village cooperative wants"),
            "{}",
            a.text
        );
        assert!(!a.text.contains("teaser"), "{}", a.text);
    }

    #[test]
    fn an_article_split_into_builder_blocks_is_taken_whole() {
        // Each paragraph sits in wrappers of its own, so the paragraph vote
        // spreads thin over the ancestors and the best block stands alone.
        let block = |text: &str| {
            format!(
                r#"<div class="row"><div class="col"><div class="paragraph-text">
                <p>{text}</p><p>{text}</p></div></div></div>"#
            )
        };
        let long = "The first pellets pressed from leaves burned well, said the engineer, \
            and the ash, which is rich in minerals, could go back to the fields, he added, \
            once the tests are done, in spring, or perhaps in the summer.";
        let short = "The village hopes to heat its school with them, and its town hall, next year.";
        let html = format!(
            r#"<html><body><div class="page"><div class="main"><div class="article">{}{}{}{}
            </div></div></div></body></html>"#,
            block(long),
            block(short),
            block(short),
            block(short)
        );
        // The rules alone: the line model would add lost blocks back (and
        // drops some of these copies, as it drops repeated lines).
        let rules_only = crate::Extractor::new(Options {
            line_model: false,
            ..Options::default()
        });
        let a = rules_only.extract(&html, None);
        assert_eq!(a.text.lines().count(), 8, "{}", a.text);
    }

    #[test]
    fn a_list_of_signatories_does_not_outscore_the_letter() {
        let letter = "Our institutions are facing a moment of trial. Powerful protests \
            for justice are leading to overdue demands for reform, and we welcome them. \
            But this needed reckoning has also hardened a new set of attitudes that weaken \
            our norms of open debate in favor of conformity.";
        let names: String = (0..60)
            .map(|n| format!("<strong>Person {n}</strong>, University {n}<br>"))
            .collect();
        let paragraphs = format!("<p>{letter} {letter} {letter}</p>").repeat(10);
        let html = format!(
            r#"<html><body><div><h1>A letter</h1><div>
            {paragraphs}
            <table><tr><td>Signed by</td></tr>
            <tr><td>{names}</td><td>{names}</td><td>{names}</td></tr></table>
            </div></div></body></html>"#
        );
        let a = crate::extract(&html, None);
        assert!(a.text.contains("Our institutions are facing"), "{}", a.text);
    }

    #[test]
    fn a_read_also_link_under_an_arrow_label_leaves_the_text() {
        let html = format!(
            r#"<html><body><article><p>{STORY} {STORY}</p>
            <p><strong>À lire aussi »</strong> <a href="/other">Bloating, heaviness: which digestive profile is yours?</a></p>
            <p>{STORY} {STORY}</p></article></body></html>"#
        );
        let a = crate::extract(&html, None);
        assert!(!a.text.contains("Bloating"), "{}", a.text);
    }

    #[test]
    fn a_subtitle_paragraph_before_the_body_is_its_standfirst() {
        let html = format!(
            r#"<html><body><div><div class="hd"><h1>Rearranging deck chairs</h1>
            <p class="subtitle">Digitisation will cost millions of jobs, in this country too, the economist warns.</p>
            </div><div class="articlemain"><p>{STORY} {STORY}</p><p>{STORY} {STORY}</p>
            <p>{STORY} {STORY}</p></div><div class="rail"><p>Most read</p></div></div></body></html>"#
        );
        let a = crate::extract(&html, None);
        assert!(a.text.contains("Digitisation will cost"), "{}", a.text);
    }

    #[test]
    fn a_standfirst_under_a_div_headline_in_the_article_header_is_kept() {
        let story = "The plant will turn fallen leaves into pellets, and the first \
            tonnes are expected before the winter, the cooperative said on Monday.";
        let html = format!(
            r#"<html><body><div class="tile"><div class="article-header"><header>
            <div class="imp-h1" itemprop="headline">Heating with leaves</div></header>
            <p class="article-excerpt">A village cooperative wants to burn what falls from its trees.</p>
            </div><div class="body"><p>{story}</p><p>{story}</p><p>{story}</p></div></div>
            </body></html>"#
        );
        let a = crate::extract(&html, None);
        assert!(a.text.contains("A village cooperative wants"), "{}", a.text);
    }

    /// A post whose body is a list of links, under an unlinked headline,
    /// is an article; the same list as cards of a front page is not.
    #[test]
    fn a_single_posts_link_roundup_is_kept_and_a_front_page_is_not() {
        let items: String = (1..=8)
            .map(|n| format!(r#"<li><a href="/2012/10/story-{n}.html">Story number {n} of the week in music</a></li>"#))
            .collect();
        let post = format!(
            r#"<html><body><div class="entry"><h3 class="entry-header">The week in review</h3>
            <div class="entry-body"><ul>{items}</ul></div></div></body></html>"#
        );
        let a = crate::extract(&post, None);
        assert!(a.text.contains("Story number 8 of the week"), "{}", a.text);
        let cards: String = (1..=8)
            .map(|n| format!(r#"<article class="card"><h3><a href="/s{n}.html">Story number {n} of the week</a></h3></article>"#))
            .collect();
        let front = format!("<html><body><main>{cards}</main></body></html>");
        assert_eq!(crate::extract(&front, None).text, "");
    }

    #[test]
    fn rows_of_linked_names_with_data_are_no_listing() {
        let row = |t: &str, links: usize| line(t, Kind::Row, links);
        let mut lines = vec![para("Blue Jays at Rays, 1:10 PM"), row("Blue Jays Rays", 0)];
        for n in 1..=9 {
            // The linked names are most of the row, the positions plain text.
            let text = format!("{n}. Adeiny Hechavarria (R) 3B {n}. Jose Lobaton (S) C");
            lines.push(row(&text, 29));
        }
        assert!(!is_listing(&lines));
        // The same rows as bare links are a layout table of navigation.
        let nav: Vec<Line> = (0..9).map(|n| row(&format!("Section {n}"), 9)).collect();
        assert!(is_listing(&nav));
    }

    /// The ladder reuses pruning and scores between steps whose keys agree;
    /// this holds only while pruning and scoring read no other flag.
    #[test]
    fn ladder_steps_with_equal_keys_prune_and_score_alike() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        for name in [
            "paywall-related-bio.html",
            "live-blog.html",
            "home-listing.html",
        ] {
            let html = std::fs::read_to_string(dir.join(name)).expect("fixture");
            let doc = scraper::Html::parse_document(&html);
            let dom = Dom::build(&doc);
            let full = stats::compute(&dom, &vec![false; dom.len()]);
            let sections = comments::sections(&dom, &full);
            let run = |flags: Flags| {
                let mut removed = vec![false; dom.len()];
                let byline = prune::prune(&dom, &full, &sections, flags, &mut removed).byline;
                let st = stats::compute(&dom, &removed);
                let sc = score::score(&dom, &removed, &st, flags);
                (removed, byline, sc.score, sc.candidate)
            };
            for a in LADDER {
                for b in LADDER {
                    let (ra, rb) = (run(a), run(b));
                    if a.prune_key() == b.prune_key() {
                        assert_eq!((&ra.0, &ra.1), (&rb.0, &rb.1), "{name}: {a:?} {b:?}");
                        if a.score_key() == b.score_key() {
                            assert_eq!((&ra.2, &ra.3), (&rb.2, &rb.3), "{name}: {a:?} {b:?}");
                        }
                    }
                }
            }
        }
    }
}
