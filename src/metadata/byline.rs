//! Bylines: cleaning author strings, and finding them in the visible page
//! when the markup does not name the author.

use std::sync::LazyLock;

use html5ever::local_name;
use regex::Regex;
use scraper::{ElementRef, Selector};

use crate::ascii::contains_ci;

use super::{clean_text, element_text};

/// Bylines longer than this are author bios or whole paragraphs.
pub const MAX_CHARS: usize = 100;

/// Text runs longer than this are not even looked at: the date scan below
/// costs a parse per word.
const MAX_RAW_CHARS: usize = 300;

/// Distinct names joined from microdata or `rel=author` links.
const MAX_NAMES: usize = 5;

/// Elements kept per kind of visible candidate.
const MAX_CANDIDATES: usize = 20;

/// How far up the tree we look for a comment section around a candidate.
const MAX_ANCESTORS: usize = 40;

/// "By", "Written by", "Von", "Par", "Author:" and the like before a name.
static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:(?:(?:written|posted|published|reported|reporting|words|story|text|photos?|video)\s+)?(?:by|par|por|von|door)\b|(?:authors?|autor(?:in|en)?|auteurs?|autore)\s*:)\s*[:\-–—]?\s*",
    )
    .expect("valid regex")
});

/// Secondary credits after the author: "Jane Doe Edited by John Roe".
static CREDITS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s(?:edited|photos?|photographs|photography|illustrations?|graphics|video|additional\s+reporting)\s+by\b")
        .expect("valid regex")
});

static ITEMPROP_NAME: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse(r#"[itemprop~="name"]"#).expect("valid selector"));

/// Characters that separate a byline from what follows or precedes it.
const SEPARATORS: &[char] = &['|', '-', '–', '—', '·', '•', ',', ':', ';'];

/// Cleans an author string: collapses whitespace, removes a leading label
/// ("By", "Written by", "Von", "Par", "Author:"), secondary credits ("Edited
/// by ...", "Photos by ...") and a leading or trailing date ("By Jane Doe |
/// May 1, 2024"). Returns `None` when nothing name-like is left
/// or the result is longer than 100 characters.
///
/// ```
/// use copydesk::metadata::byline::clean_byline;
/// assert_eq!(clean_byline("By  Jane Doe\n  March 25, 2015").as_deref(), Some("Jane Doe"));
/// assert_eq!(clean_byline("Written by Ann Lee | Updated 2024-05-01 10:00").as_deref(), Some("Ann Lee"));
/// assert_eq!(clean_byline("April 28, 2019 at 6:01 am"), None);
/// assert_eq!(clean_byline("https://example.com/by/jane"), None);
/// ```
pub fn clean_byline(raw: &str) -> Option<String> {
    let s = clean_text(raw)?;
    if s.chars().count() > MAX_RAW_CHARS {
        return None;
    }
    let s = strip_label(&s);
    let s = CREDITS.find(s).map_or(s, |m| &s[..m.start()]);
    let s = cut_trailing_date(s);
    let s = cut_leading_date(s);
    let s = strip_label(trim_separators(s));
    let s = trim_separators(s);
    let ok = !s.is_empty()
        && s.chars().count() <= MAX_CHARS
        && s.chars().any(char::is_alphabetic)
        && !looks_like_url(s)
        && super::date::normalize(s).is_none();
    ok.then(|| s.to_owned())
}

fn strip_label(s: &str) -> &str {
    match LABEL.find(s) {
        Some(m) => &s[m.end()..],
        None => s,
    }
}

fn trim_separators(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || SEPARATORS.contains(&c))
}

/// Removes the longest trailing run of words that reads as a date (all of
/// `s` when it is a date: "Last Updated: May 1, 2024" has no name to keep).
fn cut_trailing_date(s: &str) -> &str {
    for i in word_starts(s) {
        if super::date::normalize(trim_separators(&s[i..])).is_some() {
            return s[..i].trim_end();
        }
    }
    s
}

/// Removes the longest leading run of words that reads as a date.
fn cut_leading_date(s: &str) -> &str {
    let ends: Vec<usize> = word_starts(s).skip(1).collect();
    for &end in ends.iter().rev() {
        if super::date::normalize(trim_separators(&s[..end])).is_some() {
            return s[end..].trim_start();
        }
    }
    s
}

/// Byte offsets where words (runs after whitespace) begin.
fn word_starts(s: &str) -> impl Iterator<Item = usize> + '_ {
    s.char_indices()
        .scan(true, |after_space, (i, c)| {
            let start = *after_space && !c.is_whitespace();
            *after_space = c.is_whitespace();
            Some((i, start))
        })
        .filter_map(|(i, start)| start.then_some(i))
}

fn looks_like_url(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("www.")
}

/// Which kind of visible candidate an element is, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    /// Schema.org microdata: `itemprop="author"`.
    Microdata,
    /// `rel="author"` links.
    RelAuthor,
    /// class or id containing "byline".
    Byline,
    /// class or id containing "author" or "writtenby".
    Author,
}

/// Elements that may hold the visible byline, by kind, in document order;
/// gathered during the metadata walk and read only when the markup names no
/// author.
#[derive(Debug, Default)]
pub(crate) struct Candidates<'a> {
    found: [Vec<ElementRef<'a>>; 4],
}

impl<'a> Candidates<'a> {
    /// Keeps `el` if its attributes (read once into `hints`) make it a byline
    /// candidate.
    pub(crate) fn offer(&mut self, el: ElementRef<'a>, hints: &Hints<'_>) {
        if let Some(kind) = kind(el.value().name(), hints) {
            let bucket = &mut self.found[kind as usize];
            if bucket.len() < MAX_CANDIDATES {
                bucket.push(el);
            }
        }
    }

    /// The author as the page body shows it: microdata `itemprop="author"`
    /// first (several are joined), then `rel="author"` links (joined), then the
    /// first element whose class or id says byline, then author. Comment
    /// sections and author bios, avatars and social links are passed over.
    pub(crate) fn best(&self) -> Option<String> {
        let [microdata, rel, byline, author] = &self.found;
        let live = |el: &&ElementRef<'a>| !in_comments(el);
        joined(microdata.iter().filter(live).filter_map(microdata_name))
            .or_else(|| joined(rel.iter().filter(live).filter_map(visible_text)))
            .or_else(|| {
                byline
                    .iter()
                    .chain(author)
                    .filter(live)
                    .filter(|el| !holds_heading(el))
                    .find_map(visible_text)
            })
    }
}

/// Whether a heading sits inside `el`: then `el` is a post or a box, not a
/// byline, though its class names the author (Typepad marks every post
/// `entry-author-<name>`). A byline inside it is a candidate of its own.
fn holds_heading(el: &ElementRef<'_>) -> bool {
    el.descendent_elements()
        .skip(1)
        .any(|d| matches!(d.value().name(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6"))
}

/// The attributes that classify an element, read in one pass over its
/// attribute list: looking each up by name costs an interned-string lookup
/// per call, which over every element of a page adds up.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Hints<'a> {
    pub class: &'a str,
    pub id: &'a str,
    pub itemprop: &'a str,
    pub rel: &'a str,
}

impl<'a> Hints<'a> {
    pub(crate) fn of(el: &'a scraper::node::Element) -> Hints<'a> {
        let mut h = Hints::default();
        // Interned names compare as integers: this runs for every element.
        for (name, value) in &el.attrs {
            let slot = match name.local {
                ref n if *n == local_name!("class") => &mut h.class,
                ref n if *n == local_name!("id") => &mut h.id,
                ref n if *n == local_name!("itemprop") => &mut h.itemprop,
                ref n if *n == local_name!("rel") => &mut h.rel,
                _ => continue,
            };
            *slot = value;
        }
        h
    }
}

fn kind(tag: &str, h: &Hints<'_>) -> Option<Kind> {
    let present = letters(h.class) | letters(h.id);
    let hinted = |needle: &str| {
        letters(needle) & !present == 0
            && (contains_ci(h.class, needle) || contains_ci(h.id, needle))
    };
    let itemprop = h.itemprop.split_ascii_whitespace().any(|t| t == "author");
    let rel = h
        .rel
        .split_ascii_whitespace()
        .any(|t| t.eq_ignore_ascii_case("author"));
    let byline = hinted("byline");
    let author = hinted("author") || hinted("writtenby");
    if !(itemprop || rel || byline || author) || matches!(tag, "meta" | "link" | "script" | "style")
    {
        return None;
    }
    if itemprop {
        return Some(Kind::Microdata);
    }
    if rel {
        return Some(Kind::RelAuthor);
    }
    // Bios, avatars and follow buttons sit in "author-*" boxes too.
    const NOT_BYLINE: &[&str] = &[
        "bio", "avatar", "image", "img", "photo", "pic", "thumb", "about", "social", "follow",
        "comment", "twitter", "email", "icon", "more", "related", "widget",
    ];
    if NOT_BYLINE.iter().any(|w| hinted(w)) {
        None
    } else if byline {
        Some(Kind::Byline)
    } else {
        Some(Kind::Author)
    }
}

/// The ASCII letters in `s`, case folded, one bit each: a needle whose
/// letters are not all there cannot be in `s`, which settles most class
/// names at the cost of one pass.
fn letters(s: &str) -> u32 {
    s.bytes().fold(0, |mask, b| {
        let l = b | 0x20;
        if l.is_ascii_lowercase() {
            mask | 1 << (l - b'a')
        } else {
            mask
        }
    })
}

/// Joins distinct names (ignoring case) with ", ", at most [`MAX_NAMES`].
pub(crate) fn joined(names: impl Iterator<Item = String>) -> Option<String> {
    let mut out: Vec<String> = Vec::new();
    for name in names {
        if !out.iter().any(|n| n.eq_ignore_ascii_case(&name)) {
            out.push(name);
        }
        if out.len() >= MAX_NAMES {
            break;
        }
    }
    (!out.is_empty()).then(|| out.join(", "))
}

/// The author name of a microdata `author` item: its `content`, the `name`
/// property inside it, or its text.
fn microdata_name(el: &ElementRef<'_>) -> Option<String> {
    if let Some(content) = el.value().attr("content") {
        return clean_byline(content);
    }
    if let Some(name) = el.select(&ITEMPROP_NAME).next() {
        return match name.value().attr("content") {
            Some(content) => clean_byline(content),
            None => visible_text(&name),
        };
    }
    visible_text(el)
}

/// The cleaned text of a candidate, if it reads like a byline and not like
/// a label or a button ("Follow Author", "More from this author").
fn visible_text(el: &ElementRef<'_>) -> Option<String> {
    let text = element_text(el, MAX_RAW_CHARS)?;
    // Byline boxes string the name together with a date, a reading time or
    // an outlet: "Jane Doe • 8h", "By Jane Doe | 5 min read". The name leads.
    let lead = ["•", "|", "·"]
        .iter()
        .filter_map(|sep| text.find(&format!(" {sep} ")))
        .min()
        .map_or(text.as_str(), |at| &text[..at]);
    let byline = clean_byline(lead)?;
    const UI_WORDS: &[&str] = &[
        "author",
        "authors",
        "follow",
        "share",
        "subscribe",
        "comments",
        "comment",
        "profile",
        "posts",
        "articles",
        "view",
        "more",
        "email",
        "contact",
        "menu",
        "read",
        "bio",
    ];
    let lower = byline.to_lowercase();
    let ui = lower
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| UI_WORDS.contains(&w));
    (!ui).then_some(byline)
}

fn in_comments(el: &ElementRef<'_>) -> bool {
    el.ancestors()
        .take(MAX_ANCESTORS)
        .filter_map(ElementRef::wrap)
        .any(|a| {
            let v = a.value();
            [v.attr("class"), v.attr("id")]
                .into_iter()
                .flatten()
                .any(|s| s.to_ascii_lowercase().contains("comment"))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(html: &str) -> Option<String> {
        let doc = scraper::Html::parse_document(&format!("<html><body>{html}</body></html>"));
        let mut c = Candidates::default();
        doc.root_element()
            .descendent_elements()
            .for_each(|e| c.offer(e, &Hints::of(e.value())));
        c.best()
    }

    #[test]
    fn a_post_whose_class_names_its_author_is_no_byline() {
        // Typepad: every post is `entry-author-<name>`; its headline says so.
        let post = r#"<div class="entry entry-author-kingdom_of_style"><h3>Stud Love</h3>
            <p>I heart you.</p><p class="footer">Thursday, 01 November 2012</p></div>"#;
        assert_eq!(body(post), None);
        let with_byline = post.replace(
            "<p>I heart",
            r#"<p class="byline">By Jane Doe</p><p>I heart"#,
        );
        assert_eq!(body(&with_byline).as_deref(), Some("Jane Doe"));
    }

    #[test]
    fn code_inside_a_candidate_is_not_its_text() {
        let script = "x".repeat(400);
        let html =
            format!(r#"<p class="byline">By Jane Doe<script>var s = "{script}";</script></p>"#);
        assert_eq!(body(&html).as_deref(), Some("Jane Doe"));
    }

    #[test]
    fn needles_are_found_in_any_case() {
        for (hay, needle, want) in [
            ("post-ByLine x", "byline", true),
            ("AUTHOR", "author", true),
            ("autho", "author", false),
            ("", "author", false),
            ("caf\u{e9}-author", "author", true),
            ("\u{c9}crit", "crit", true),
        ] {
            assert_eq!(contains_ci(hay, needle), want, "{hay} {needle}");
            // The letter filter never rules out a real match.
            if want {
                assert_eq!(letters(needle) & !letters(hay), 0);
            }
        }
    }

    #[test]
    fn cleaning() {
        assert_eq!(
            clean_byline("By JEFFREY GETTLEMAN").as_deref(),
            Some("JEFFREY GETTLEMAN")
        );
        assert_eq!(
            clean_byline("by: Ana Sandoiu").as_deref(),
            Some("Ana Sandoiu")
        );
        assert_eq!(
            clean_byline("Von Max Müller").as_deref(),
            Some("Max Müller")
        );
        assert_eq!(
            clean_byline("Author: Jane Roe, Reuters").as_deref(),
            Some("Jane Roe, Reuters")
        );
        assert_eq!(
            clean_byline("By GILLIAN MOHNEY March 11, 2015 3:46 PM").as_deref(),
            Some("GILLIAN MOHNEY")
        );
        assert_eq!(
            clean_byline("May 1, 2024 — by Jane Doe").as_deref(),
            Some("Jane Doe")
        );
        assert_eq!(
            clean_byline("Jane Doe, Updated April 29, 2019 at 3:33 pm").as_deref(),
            Some("Jane Doe")
        );
        assert_eq!(clean_byline("Bylaw Smith").as_deref(), Some("Bylaw Smith"));
        assert_eq!(
            clean_byline("Written by Rob Ewaschuk\n Edited by Betsy Beyer").as_deref(),
            Some("Rob Ewaschuk")
        );
        assert_eq!(clean_byline("By"), None);
        assert_eq!(clean_byline("Last Updated: January 7, 2025"), None);
        assert_eq!(clean_byline("   "), None);
        assert_eq!(clean_byline("12345"), None);
        assert_eq!(clean_byline(&"Name ".repeat(30)), None);
        assert_eq!(clean_byline(&"x".repeat(100_000)), None);
    }

    #[test]
    fn microdata_names_are_joined() {
        let html = r#"<article><span itemprop="author" itemscope><span itemprop="name">Stella Kim</span></span> and
            <span itemprop="author" itemscope><meta itemprop="name" content="Jennifer Jett"></span>
            <footer><span itemprop="author"><span itemprop="name">Stella Kim</span></span></footer></article>"#;
        assert_eq!(body(html).as_deref(), Some("Stella Kim, Jennifer Jett"));
    }

    #[test]
    fn rel_author_and_classes() {
        assert_eq!(body(r#"<p class="byline">By <a rel="author" href="/u/1">Dan Goodin</a> - Apr 16, 2015</p>"#).as_deref(), Some("Dan Goodin"));
        assert_eq!(
            body(r#"<div class="post-Byline">By Ana Sandoiu | Published Mon 5 Mar 2018</div>"#)
                .as_deref(),
            Some("Ana Sandoiu")
        );
        assert_eq!(
            body(r#"<span id="article-author">Nicolas Perriault</span>"#).as_deref(),
            Some("Nicolas Perriault")
        );
        assert_eq!(
            body(r#"<a class="author-name">James Akinaka</a> • 8h"#).as_deref(),
            Some("James Akinaka")
        );
        assert_eq!(
            body(r#"<div class="author-line">James Akinaka • 8h</div>"#).as_deref(),
            Some("James Akinaka")
        );
    }

    #[test]
    fn bios_buttons_and_comments_are_skipped() {
        let html = r#"<div class="author-bio">Jane writes about things.</div>
            <a class="author-link">Follow Author</a>
            <div id="comments"><span class="author">troll42</span></div>
            <div class="author">Real Name</div>"#;
        assert_eq!(body(html).as_deref(), Some("Real Name"));
        let long = format!(
            r#"<div class="author-wrapper">{}</div>"#,
            "word ".repeat(100)
        );
        assert_eq!(body(&long), None);
        assert_eq!(body("<p>No byline here</p>"), None);
    }
}
