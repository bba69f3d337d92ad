//! Page metadata: title, byline, date, site, language, description, image, canonical URL.
//!
//! Sources, strongest first (each field takes the first source that has it):
//!
//! 1. the JSON-LD article object (`NewsArticle`, `BlogPosting`, ...; a
//!    `WebPage` node fills what the article leaves out);
//! 2. OpenGraph, Twitter card, Dublin Core and other `<meta>` tags;
//! 3. microdata (`itemprop`) and `<time>` elements in the body;
//! 4. visible heuristics: bylines found by class or id, the `<title>`
//!    element, the first `<h1>`.
//!
//! Exceptions, each for a reason: the canonical URL prefers
//! `<link rel="canonical">`, the one signal defined for exactly that purpose,
//! over `og:url` and JSON-LD `url`; JSON-LD `dateCreated` ranks below the
//! meta tags' publication dates; and JSON-LD `dateModified` is used only when
//! no source at all gives a publication date.
//!
//! Every text value is whitespace-normalised and trimmed, empty means `None`;
//! relative URLs are resolved against `<base href>` or the page URL when one
//! is known.

pub mod byline;
pub mod date;
mod jsonld;
mod meta_tags;
pub mod title;

use ego_tree::iter::Edge;
use scraper::{ElementRef, Html, Node};
use url::Url;

use meta_tags::MetaTags;

/// What the markup says about the page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Metadata {
    /// Headline without the site suffix.
    pub title: Option<String>,
    /// Author(s), joined with ", ".
    pub byline: Option<String>,
    /// Publication date, ISO 8601: RFC 3339 when the time and zone are
    /// known, else `YYYY-MM-DD` (see [`date::normalize`]).
    pub date: Option<String>,
    /// Outlet name.
    pub site_name: Option<String>,
    /// Language declared by the markup (ISO 639-1 where possible).
    pub lang: Option<String>,
    /// Meta description.
    pub description: Option<String>,
    /// Lead image URL.
    pub image: Option<String>,
    /// Canonical URL.
    pub canonical_url: Option<String>,
}

/// Headings kept as evidence for the title; the headline is near the top.
const MAX_HEADINGS: usize = 30;

/// Headings and `<title>`s longer than this are markup accidents, not titles.
const MAX_TITLE_CHARS: usize = 1000;

/// Meta keys in order of preference, per field.
const META_TITLE: &[&str] = &[
    // Dublin Core is rare, and where present it is the document's own title
    // while og:title may be a variant written for social media.
    "dc.title",
    "og:title",
    "title",
    "parsely-title",
    "sailthru.title",
    "twitter:title",
    "itemprop:headline",
];
const META_AUTHOR: &[&str] = &[
    "dc.creator",
    "author",
    "article:author",
    "og:article:author",
    "parsely-author",
    "sailthru.author",
    "itemprop:author",
    "byl",
];
const META_DATE: &[&str] = &[
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "article:published",
    "itemprop:datepublished",
    "parsely-pub-date",
    "citation_publication_date",
    "citation_date",
    "dc.date.issued",
    "dc.date.created",
    "dc.date",
    "article.published",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "date",
    "sailthru.date",
    "itemprop:datecreated",
];
const META_DESCRIPTION: &[&str] = &[
    "og:description",
    "description",
    "twitter:description",
    "dc.description",
];
const META_IMAGE: &[&str] = &[
    "og:image",
    "og:image:url",
    "og:image:secure_url",
    "twitter:image",
    "twitter:image:src",
    "itemprop:image",
];
const META_LANG: &[&str] = &["og:locale", "content-language", "language", "dc.language"];

/// Reads the metadata of a parsed page; `url` is the page's address, used to
/// resolve relative image and canonical URLs.
///
/// ```
/// let html = r#"<html lang="en-GB"><head><title>Rain due | Daily Bugle</title>
///   <meta property="og:site_name" content="Daily Bugle">
///   <meta property="article:published_time" content="2024-05-01T10:00:00+01:00">
///   <meta property="og:image" content="/img/rain.jpg"></head>
///   <body><h1>Rain due</h1><p class="byline">By Jane Doe</p></body></html>"#;
/// let doc = scraper::Html::parse_document(html);
/// let m = copydesk::metadata::extract(&doc, Some("https://bugle.example/news/rain"));
/// assert_eq!(m.title.as_deref(), Some("Rain due"));
/// assert_eq!(m.byline.as_deref(), Some("Jane Doe"));
/// assert_eq!(m.date.as_deref(), Some("2024-05-01T10:00:00+01:00"));
/// assert_eq!(m.site_name.as_deref(), Some("Daily Bugle"));
/// assert_eq!(m.lang.as_deref(), Some("en"));
/// assert_eq!(m.image.as_deref(), Some("https://bugle.example/img/rain.jpg"));
/// ```
pub fn extract(doc: &Html, url: Option<&str>) -> Metadata {
    let mut scan = Scan::default();
    for el in doc.root_element().descendent_elements() {
        scan.visit(el);
    }
    scan.finish(doc, url)
}

impl<'a> Scan<'a> {
    /// The metadata of the page whose elements were all visited, in
    /// document order (see [`Scan::visit`]); [`extract`] in two steps, for
    /// a caller that walks the tree anyway.
    ///
    /// ```
    /// let doc = scraper::Html::parse_document("<title>Rain due</title><p class=byline>By Jane Doe</p>");
    /// let mut scan = copydesk::metadata::Scan::default();
    /// doc.root_element().descendent_elements().for_each(|el| scan.visit(el));
    /// let m = scan.finish(&doc, None);
    /// assert_eq!((m.title.as_deref(), m.byline.as_deref()), (Some("Rain due"), Some("Jane Doe")));
    /// ```
    pub fn finish(self, doc: &Html, url: Option<&str>) -> Metadata {
        let scan = self;
        let tags = &scan.tags;
        let ld = jsonld::extract(&scan.ld_blocks);
        let base = base_url(scan.base_href, url);

        let site_name = ld
            .site_name
            .clone()
            .or_else(|| meta_text(tags, &["og:site_name"]))
            .or_else(|| meta_text(tags, &["application-name"]));

        let title = page_title(&scan, &ld, site_name.as_deref(), base.as_ref());

        let byline = ld
            .byline
            .as_deref()
            .and_then(byline::clean_byline)
            .or_else(|| meta_byline(tags))
            .or_else(|| scan.bylines.best());

        // JSON-LD dateCreated dates the record, which CMSs set at the first
        // draft; an explicit publication time in the meta tags is closer.
        let date = ld
            .published
            .clone()
            .or_else(|| {
                META_DATE
                    .iter()
                    .find_map(|k| tags.all(k).find_map(date::normalize))
            })
            .or_else(|| ld.created.clone())
            .or_else(|| scan.markup_date())
            .or_else(|| ld.modified.clone());

        let lang = ld
            .lang
            .clone()
            .or_else(|| {
                let html = doc.root_element().value();
                html.attr("lang")
                    .or_else(|| html.attr("xml:lang"))
                    .and_then(crate::lang::normalize)
            })
            .or_else(|| {
                META_LANG
                    .iter()
                    .find_map(|k| tags.all(k).find_map(crate::lang::normalize))
            });

        let description = ld
            .description
            .clone()
            .or_else(|| meta_text(tags, META_DESCRIPTION));

        let resolve_first = |urls: &[&str]| urls.iter().find_map(|u| resolve(base.as_ref(), u));
        let image = ld
            .image
            .as_deref()
            .and_then(|u| resolve(base.as_ref(), u))
            .or_else(|| {
                META_IMAGE
                    .iter()
                    .find_map(|k| tags.all(k).find_map(|u| resolve(base.as_ref(), u)))
            })
            .or_else(|| resolve_first(&scan.image_src));

        let canonical_url = resolve_first(&scan.canonical)
            .or_else(|| tags.all("og:url").find_map(|u| resolve(base.as_ref(), u)))
            .or_else(|| ld.url.as_deref().and_then(|u| resolve(base.as_ref(), u)));

        Metadata {
            title,
            byline,
            date,
            site_name,
            lang,
            description,
            image,
            canonical_url,
        }
    }
}

/// Elements a `<time>` may sit in for us to take it as the article's.
const MAX_TIME_ANCESTORS: usize = 200;

/// Dated elements kept; the first readable one wins, and a page with
/// thousands of `<time>` tags should not cost an ancestor walk for each.
const MAX_DATED: usize = 8;

/// Everything the metadata reads from the document, gathered in one walk
/// over its elements: one pass instead of a selector query per kind of
/// element keeps metadata a small fraction of the cost of parsing. The
/// extractor feeds it from its own walk (see [`Scan::visit`]).
#[derive(Default)]
pub struct Scan<'a> {
    tags: MetaTags,
    ld_blocks: Vec<String>,
    html_title: Option<ElementRef<'a>>,
    h1: Vec<ElementRef<'a>>,
    h2: Vec<ElementRef<'a>>,
    /// Blog templates (MovableType's `entry-header`) set the headline in `<h3>`.
    h3: Vec<ElementRef<'a>>,
    base_href: Option<&'a str>,
    canonical: Vec<&'a str>,
    image_src: Vec<&'a str>,
    /// Microdata `datePublished`, `<time pubdate>`, `<time>` inside `<article>`.
    dated: Vec<ElementRef<'a>>,
    /// The first two `<time datetime>` elements not marked as modification times.
    times: Vec<ElementRef<'a>>,
    bylines: byline::Candidates<'a>,
}

impl<'a> Scan<'a> {
    /// Reads what the metadata needs of one element; elements must come in
    /// document order.
    pub fn visit(&mut self, el: ElementRef<'a>) {
        let scan = self;
        let v = el.value();
        match v.name() {
            "meta" => scan.tags.add(v),
            "script"
                if v.attr("type")
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json")) =>
            {
                scan.ld_blocks.push(el.text().collect())
            }
            // An <svg> may carry its own <title>; the page's is in the HTML namespace.
            "title"
                if scan.html_title.is_none() && &*v.name.ns == "http://www.w3.org/1999/xhtml" =>
            {
                scan.html_title = Some(el)
            }
            "h1" if scan.h1.len() < MAX_HEADINGS => scan.h1.push(el),
            "h2" if scan.h2.len() < MAX_HEADINGS => scan.h2.push(el),
            "h3" if scan.h3.len() < MAX_HEADINGS => scan.h3.push(el),
            "base" if scan.base_href.is_none() => scan.base_href = v.attr("href"),
            "link" => {
                let rel = |name: &str| {
                    v.attr("rel").is_some_and(|r| {
                        r.split_ascii_whitespace()
                            .any(|t| t.eq_ignore_ascii_case(name))
                    })
                };
                if let Some(href) = v.attr("href") {
                    if rel("canonical") {
                        scan.canonical.push(href);
                    } else if rel("image_src") {
                        scan.image_src.push(href);
                    }
                }
            }
            "time" => scan.offer_time(el),
            _ => {}
        }
        let hints = byline::Hints::of(v);
        if v.name() != "meta"
            && scan.dated.len() < MAX_DATED
            && hints
                .itemprop
                .split_ascii_whitespace()
                .any(|t| t == "datePublished")
        {
            scan.dated.push(el);
        }
        scan.bylines.offer(el, &hints);
    }

    fn offer_time(&mut self, el: ElementRef<'a>) {
        let v = el.value();
        if v.attr("datetime").is_none() && v.attr("pubdate").is_none() {
            return;
        }
        let in_article = || {
            el.ancestors()
                .take(MAX_TIME_ANCESTORS)
                .filter_map(ElementRef::wrap)
                .any(|a| a.value().name() == "article")
        };
        let wanted = self.dated.len() < MAX_DATED;
        if wanted && (v.attr("pubdate").is_some() || (v.attr("datetime").is_some() && in_article()))
        {
            self.dated.push(el);
        }
        // A "last updated" time says nothing about publication.
        let modified = v
            .attr("itemprop")
            .is_some_and(|p| p.to_ascii_lowercase().contains("modified"));
        if v.attr("datetime").is_some() && !modified && self.times.len() < 2 {
            self.times.push(el);
        }
    }

    /// A publication date from body markup: microdata `datePublished`, `<time
    /// pubdate>`, a `<time datetime>` inside `<article>`, or the only `<time>`
    /// of the page (with more than one we cannot tell the article's from a
    /// sidebar's).
    fn markup_date(&self) -> Option<String> {
        let read = |el: &ElementRef<'_>| {
            let v = el.value();
            v.attr("datetime")
                .or_else(|| v.attr("content"))
                .and_then(date::normalize)
                .or_else(|| element_text(el, 80).and_then(|t| date::normalize(&t)))
        };
        self.dated
            .iter()
            .find_map(read)
            .or_else(|| match self.times.as_slice() {
                [only] => read(only),
                _ => None,
            })
    }
}

/// Collapses runs of whitespace (any Unicode space, including no-break and
/// ideographic spaces) to one space, drops invisible format characters, and
/// trims; `None` when nothing is left.
pub(crate) fn clean_text(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            pending_space = true;
        } else if matches!(
            c,
            '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{200e}' | '\u{200f}' | '\u{feff}' | '\u{ad}'
        ) {
            continue;
        } else {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(c);
        }
    }
    (!out.is_empty()).then_some(out)
}

fn meta_text(tags: &MetaTags, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| tags.all(k).find_map(clean_text))
}

/// The byline from meta tags: the first key with a usable value; several
/// distinct values of that key (co-authors) are joined. Values that are not
/// names, such as the profile URLs `article:author` is specified to hold, are
/// passed over. `twitter:creator` is not read: it holds a handle, not a name.
fn meta_byline(tags: &MetaTags) -> Option<String> {
    META_AUTHOR
        .iter()
        .find_map(|key| byline::joined(tags.all(key).filter_map(byline::clean_byline)))
}

/// The text of an element, or `None` once it exceeds `max` characters:
/// stopping early keeps an element that wraps the whole page (a broken
/// `<h1>`, a container with class "author") from costing a walk over all the
/// page's text.
pub(crate) fn element_text(el: &ElementRef<'_>, max: usize) -> Option<String> {
    let mut out = String::new();
    let mut count = 0;
    // Code inside the element (a share button's script) is no text of it;
    // the pre-pass drops it too, and the text must not depend on that.
    let mut in_code = 0usize;
    for edge in el.traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(e) if is_code(e.name()) => in_code += 1,
                Node::Text(t) if in_code == 0 => {
                    count += t.chars().count();
                    if count > max {
                        return None;
                    }
                    out.push_str(t);
                    // Text nodes of adjacent blocks carry no space between them.
                    out.push(' ');
                }
                _ => {}
            },
            Edge::Close(node) => {
                if node.value().as_element().is_some_and(|e| is_code(e.name())) {
                    in_code -= 1;
                }
            }
        }
    }
    clean_text(&out)
}

/// Elements whose text is code or markup for another reader, never shown.
fn is_code(name: &str) -> bool {
    matches!(name, "script" | "style" | "noscript" | "template")
}

/// Gathers the title candidates and lets [`title::choose`] decide.
fn page_title(
    scan: &Scan<'_>,
    ld: &jsonld::JsonLd,
    site_name: Option<&str>,
    base: Option<&Url>,
) -> Option<String> {
    let tags = &scan.tags;
    // h1 before h2 and h3, so that the first is the fallback headline.
    let headings: Vec<String> = scan
        .h1
        .iter()
        .chain(&scan.h2)
        .chain(&scan.h3)
        .filter_map(|h| element_text(h, MAX_TITLE_CHARS))
        .collect();
    let html_title = scan
        .html_title
        .and_then(|t| element_text(&t, MAX_TITLE_CHARS));
    let meta: Vec<String> = META_TITLE
        .iter()
        .filter_map(|k| meta_text(tags, &[k]))
        .collect();

    let mut site_names: Vec<String> = Vec::new();
    site_names.extend(site_name.map(str::to_owned));
    site_names.extend(
        ["og:site_name", "application-name"]
            .iter()
            .filter_map(|k| meta_text(tags, &[k])),
    );
    site_names.extend(ld.site_name.clone());
    if let Some(host) = base.and_then(Url::host_str) {
        // "www.theguardian.co.uk" names the site as "theguardian".
        let labels: Vec<&str> = host
            .split('.')
            .filter(|l| !l.is_empty() && *l != "www")
            .collect();
        if labels.len() >= 2 {
            site_names.extend(
                labels[..labels.len() - 1]
                    .iter()
                    .filter(|l| l.len() >= 4)
                    .map(|l| l.to_string()),
            );
        }
    }

    let candidates = title::Candidates {
        ld_headline: ld.headline.as_deref(),
        ld_name: ld.name.as_deref(),
        meta: meta.iter().map(String::as_str).collect(),
        html_title: html_title.as_deref(),
        headings: &headings,
        site_names: &site_names,
    };
    title::choose(&candidates)
}

/// The base for relative URLs: `<base href>` (itself resolved against the
/// page URL), else the page URL.
fn base_url(base_href: Option<&str>, url: Option<&str>) -> Option<Url> {
    let page = url.and_then(|u| Url::parse(u.trim()).ok());
    match (base_href, &page) {
        (Some(href), Some(page)) => page.join(href.trim()).ok().or(Some(page.clone())),
        (Some(href), None) => Url::parse(href.trim()).ok(),
        (None, page) => page.clone(),
    }
}

/// Resolves a URL found in markup. Absolute http(s) URLs pass; relative ones
/// are joined to `base`, or kept as written when there is no base. Values
/// that cannot be URLs (`data:` images, `javascript:`, words such as "True"
/// that some JSON-LD puts in `mainEntityOfPage`) give `None`.
fn resolve(base: Option<&Url>, raw: &str) -> Option<String> {
    let raw = raw.trim();
    if raw.is_empty() || raw.chars().any(char::is_whitespace) {
        return None;
    }
    match Url::parse(raw) {
        Ok(abs) => matches!(abs.scheme(), "http" | "https").then(|| abs.to_string()),
        Err(url::ParseError::RelativeUrlWithoutBase) => {
            if !raw.contains(['/', '.']) {
                return None;
            }
            match base {
                Some(base) => base.join(raw).ok().map(String::from),
                None => Some(raw.to_owned()),
            }
        }
        Err(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(html: &str, url: Option<&str>) -> Metadata {
        extract(&Html::parse_document(html), url)
    }

    #[test]
    fn jsonld_outranks_meta() {
        let m = meta(
            r#"<html><head><title>Other | Site</title>
            <meta property="og:title" content="OG title"><meta name="author" content="Meta Author">
            <meta property="article:published_time" content="2020-01-01">
            <script type="application/ld+json">{"@type":"NewsArticle","headline":"LD title",
              "author":{"@type":"Person","name":"LD Author"},"datePublished":"2024-05-01T10:00:00Z",
              "publisher":{"name":"LD Site"},"inLanguage":"fr-FR","image":"/ld.jpg",
              "url":"https://ex.com/canon"}</script></head><body></body></html>"#,
            Some("https://ex.com/page?x=1"),
        );
        assert_eq!(m.title.as_deref(), Some("LD title"));
        assert_eq!(m.byline.as_deref(), Some("LD Author"));
        assert_eq!(m.date.as_deref(), Some("2024-05-01T10:00:00Z"));
        assert_eq!(m.site_name.as_deref(), Some("LD Site"));
        assert_eq!(m.lang.as_deref(), Some("fr"));
        assert_eq!(m.image.as_deref(), Some("https://ex.com/ld.jpg"));
        assert_eq!(m.canonical_url.as_deref(), Some("https://ex.com/canon"));
    }

    #[test]
    fn opengraph_only_page() {
        let m = meta(
            r#"<html><head><meta property="og:title" content="Rain due – Bugle">
            <meta property="og:site_name" content="Bugle"><meta property="og:description" content="  Wet
              weekend ahead. ">
            <meta property="og:image" content="//cdn.bugle.example/r.jpg"><meta property="og:url" content="https://bugle.example/rain">
            <meta property="og:locale" content="en_GB"><meta property="article:author" content="https://bugle.example/staff/jd">
            <meta property="article:published_time" content="2024-05-01T10:00:00+03:00"></head><body></body></html>"#,
            Some("https://bugle.example/rain?utm=x"),
        );
        // Declared titles stay as the publisher wrote them.
        assert_eq!(m.title.as_deref(), Some("Rain due – Bugle"));
        assert_eq!(m.site_name.as_deref(), Some("Bugle"));
        assert_eq!(m.description.as_deref(), Some("Wet weekend ahead."));
        assert_eq!(m.image.as_deref(), Some("https://cdn.bugle.example/r.jpg"));
        assert_eq!(
            m.canonical_url.as_deref(),
            Some("https://bugle.example/rain")
        );
        assert_eq!(m.lang.as_deref(), Some("en"));
        assert_eq!(m.byline, None);
        assert_eq!(m.date.as_deref(), Some("2024-05-01T10:00:00+03:00"));
    }

    #[test]
    fn plain_meta_page() {
        let m = meta(
            r#"<html><head><title>Budget talks stall again in the capital - The Courier</title>
            <meta name="author" content="By Ann Lee"><meta name="author" content="Bo Chan">
            <meta name="description" content="Talks stall."><meta name="DC.date.issued" content="2016-02-01T01:28:49">
            <meta http-equiv="content-language" content="de-DE"></head><body></body></html>"#,
            None,
        );
        assert_eq!(
            m.title.as_deref(),
            Some("Budget talks stall again in the capital")
        );
        assert_eq!(m.byline.as_deref(), Some("Ann Lee, Bo Chan"));
        assert_eq!(m.date.as_deref(), Some("2016-02-01"));
        assert_eq!(m.description.as_deref(), Some("Talks stall."));
        assert_eq!(m.lang.as_deref(), Some("de"));
    }

    #[test]
    fn microdata_time_and_visible_byline() {
        let m = meta(
            r#"<html><body><header><time datetime="2023-01-01">menu date</time></header>
            <article><h1>Story</h1><div class="meta"><span class="byline">By Jo Park</span>
            <time datetime="2024-03-05T08:00:00-05:00">March 5</time></div></article></body></html>"#,
            None,
        );
        assert_eq!(m.byline.as_deref(), Some("Jo Park"));
        assert_eq!(m.date.as_deref(), Some("2024-03-05T08:00:00-05:00"));
        assert_eq!(m.title.as_deref(), Some("Story"));
        let m = meta(
            r#"<p>Posted <span itemprop="datePublished" content="2024-03-05">Tuesday</span></p>"#,
            None,
        );
        assert_eq!(m.date.as_deref(), Some("2024-03-05"));
        let m = meta(
            r#"<time datetime="2021-07-07">x</time><p>one time element</p>"#,
            None,
        );
        assert_eq!(m.date.as_deref(), Some("2021-07-07"));
        let m = meta(
            r#"<time datetime="2021-07-07" itemprop="dateModified">Last updated</time>"#,
            None,
        );
        assert_eq!(m.date, None);
    }

    #[test]
    fn modified_date_is_a_last_resort() {
        let m = meta(
            r#"<script type="application/ld+json">{"@type":"Article","dateModified":"2024-06-01"}</script>"#,
            None,
        );
        assert_eq!(m.date.as_deref(), Some("2024-06-01"));
    }

    #[test]
    fn base_href_and_svg_titles() {
        let m = meta(
            r#"<html><head><base href="/news/"><title>Real title</title><link rel="canonical" href="story.html">
            </head><body><svg><title>icon</title></svg></body></html>"#,
            Some("https://ex.com/x/y"),
        );
        assert_eq!(
            m.canonical_url.as_deref(),
            Some("https://ex.com/news/story.html")
        );
        assert_eq!(m.title.as_deref(), Some("Real title"));
        let m = meta(
            r#"<head><base href="https://cdn.ex.com/"><meta property="og:image" content="a/b.png"></head>"#,
            None,
        );
        assert_eq!(m.image.as_deref(), Some("https://cdn.ex.com/a/b.png"));
    }

    #[test]
    fn resolve_rules() {
        let base = Url::parse("https://ex.com/a/b").ok();
        assert_eq!(resolve(base.as_ref(), "True"), None);
        assert_eq!(resolve(base.as_ref(), "data:image/png;base64,xx"), None);
        assert_eq!(resolve(base.as_ref(), "javascript:void(0)"), None);
        assert_eq!(
            resolve(base.as_ref(), "c.jpg").as_deref(),
            Some("https://ex.com/a/c.jpg")
        );
        assert_eq!(resolve(None, "/c.jpg").as_deref(), Some("/c.jpg"));
    }

    #[test]
    fn empty_and_hostile_pages_do_not_panic() {
        for html in [
            "",
            "<html>",
            "<meta property='og:title' content=''><title> </title>",
            r#"<script type="application/ld+json">{"@type":"Article","headline":{"@id":"x"},"author":[[[[["a"]]]]],"datePublished":"99999-99-99"}</script>"#,
            r#"<meta name="date" content="0000-00-00"><meta property="og:url" content="http://[::1">"#,
        ] {
            let _ = meta(html, Some("not a url"));
        }
        // An absurd <title> is no title; a long real one keeps its separators.
        let huge = format!("<title>{}</title>", "word | ".repeat(20_000));
        assert_eq!(meta(&huge, None).title, None);
        let long = format!("<title>{}</title>", "word | ".repeat(100));
        assert!(meta(&long, None).title.is_some_and(|t| t.len() > 500));
    }

    #[test]
    fn clean_text_rules() {
        assert_eq!(
            clean_text("  a\u{a0}\u{3000}b\u{200b}c \n").as_deref(),
            Some("a bc")
        );
        assert_eq!(clean_text(" \u{200b} "), None);
    }
}
