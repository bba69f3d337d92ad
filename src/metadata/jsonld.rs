//! Schema.org JSON-LD: the article object of a page and what it says.
//!
//! Pages carry any number of `<script type="application/ld+json">` blocks,
//! each an object, an array, or an `@graph`, with the article sometimes
//! nested as the `mainEntity` of a `WebPage` and its author or publisher
//! given only as an `@id` reference to another node. Blocks that are not
//! valid JSON are repaired where cheap (CDATA and comment wrappers, raw
//! newlines inside strings, trailing junk) and otherwise skipped.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::clean_text;

/// How deep the walk over a JSON-LD tree goes; real graphs need 4 or 5.
const MAX_DEPTH: usize = 12;

/// At most this many authors are named in a byline.
const MAX_AUTHORS: usize = 12;

/// Types whose node is the article itself (schema.org `Article` and the
/// subtypes pages use for news, blogs and posts).
const ARTICLE_TYPES: &[&str] = &[
    "Article",
    "NewsArticle",
    "AnalysisNewsArticle",
    "AskPublicSourcesNewsArticle",
    "BackgroundNewsArticle",
    "OpinionNewsArticle",
    "ReportageNewsArticle",
    "ReviewNewsArticle",
    "SatiricalArticle",
    "ScholarlyArticle",
    "MedicalScholarlyArticle",
    "TechArticle",
    "Report",
    "BlogPosting",
    "LiveBlogPosting",
    "SocialMediaPosting",
    "DiscussionForumPosting",
    "AdvertiserContentArticle",
];

/// Types describing the page rather than the article: used when no article
/// node exists, and to fill fields the article node leaves out.
const PAGE_TYPES: &[&str] = &[
    "WebPage",
    "ItemPage",
    "CollectionPage",
    "ProfilePage",
    "QAPage",
    "FAQPage",
    "AboutPage",
];

/// What the JSON-LD of a page says about its article; strings are cleaned,
/// the date normalised, URLs still as written.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct JsonLd {
    pub headline: Option<String>,
    pub name: Option<String>,
    pub byline: Option<String>,
    pub published: Option<String>,
    pub created: Option<String>,
    pub modified: Option<String>,
    pub site_name: Option<String>,
    pub image: Option<String>,
    pub description: Option<String>,
    pub lang: Option<String>,
    pub url: Option<String>,
}

/// Parses the texts of a page's `<script type="application/ld+json">` blocks.
pub(crate) fn extract<S: AsRef<str>>(blocks: &[S]) -> JsonLd {
    let values: Vec<Value> = blocks
        .iter()
        .filter_map(|b| parse_block(b.as_ref()))
        .collect();
    from_values(&values)
}

/// Reads JSON-LD values already parsed, one per script block.
fn from_values(values: &[Value]) -> JsonLd {
    let mut graph = Graph::default();
    for v in values {
        graph.add_root(v, 0);
    }
    let article = graph
        .roots
        .iter()
        .copied()
        .find(|n| has_type(n, ARTICLE_TYPES));
    let page = graph
        .roots
        .iter()
        .copied()
        .find(|n| has_type(n, PAGE_TYPES));
    let website = graph
        .roots
        .iter()
        .copied()
        .find(|n| has_type(n, &["WebSite"]));
    let mut out = JsonLd::default();
    for node in [article, page].into_iter().flatten() {
        graph.fill(node, &mut out);
    }
    if out.site_name.is_none() {
        out.site_name = website
            .and_then(|w| w.get("name"))
            .and_then(|v| first_text(v, 0));
    }
    out
}

/// The nodes of all blocks: candidate roots for the article, and every node
/// with an `@id` so references can be followed.
#[derive(Default)]
struct Graph<'a> {
    roots: Vec<&'a Map<String, Value>>,
    ids: HashMap<&'a str, &'a Map<String, Value>>,
}

impl<'a> Graph<'a> {
    /// Roots are top-level objects, members of arrays and `@graph`s, and the
    /// `mainEntity` of those; nested `@id` nodes are indexed without becoming
    /// roots so that an article's "related articles" never stand in for it.
    fn add_root(&mut self, v: &'a Value, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        match v {
            Value::Array(items) => items.iter().for_each(|i| self.add_root(i, depth + 1)),
            Value::Object(map) => {
                self.roots.push(map);
                self.index(v, depth);
                if let Some(g) = map.get("@graph") {
                    self.add_root(g, depth + 1);
                }
                for key in ["mainEntity", "mainEntityOfPage"] {
                    if let Some(inner @ (Value::Object(_) | Value::Array(_))) = map.get(key) {
                        self.add_root(inner, depth + 1);
                    }
                }
            }
            _ => {}
        }
    }

    fn index(&mut self, v: &'a Value, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        match v {
            Value::Array(items) => items.iter().for_each(|i| self.index(i, depth + 1)),
            Value::Object(map) => {
                if let Some(Value::String(id)) = map.get("@id") {
                    // A bare `{"@id": ...}` is a reference, not the definition.
                    if map.len() > 1 {
                        self.ids.entry(id.as_str()).or_insert(map);
                    }
                }
                for (k, child) in map {
                    if k != "@graph" {
                        self.index(child, depth + 1);
                    }
                }
            }
            _ => {}
        }
    }

    /// Follows an `@id` reference; any other node is returned as it is.
    fn resolve(&self, map: &'a Map<String, Value>) -> &'a Map<String, Value> {
        match map.get("@id") {
            Some(Value::String(id)) if map.len() == 1 => {
                self.ids.get(id.as_str()).copied().unwrap_or(map)
            }
            _ => map,
        }
    }

    /// Copies the fields of `node` into `out` where `out` has none yet.
    fn fill(&self, node: &'a Map<String, Value>, out: &mut JsonLd) {
        let text = |key: &str| node.get(key).and_then(|v| first_text(v, 0));
        fill(&mut out.headline, || {
            text("headline").or_else(|| text("alternativeHeadline"))
        });
        fill(&mut out.name, || text("name"));
        fill(&mut out.description, || text("description"));
        fill(&mut out.byline, || {
            let mut names = Vec::new();
            if let Some(v) = node.get("author") {
                self.person_names(v, &mut names, 0);
            }
            if names.is_empty() {
                if let Some(v) = node.get("creator") {
                    self.person_names(v, &mut names, 0);
                }
                // `creator` is often the CMS account ("CC7567") rather than
                // the writer; names do not carry digits.
                names.retain(|n| !n.chars().any(|c| c.is_ascii_digit()));
            }
            (!names.is_empty()).then(|| names.join(", "))
        });
        fill(&mut out.published, || {
            text("datePublished").and_then(|d| super::date::normalize(&d))
        });
        fill(&mut out.created, || {
            text("dateCreated").and_then(|d| super::date::normalize(&d))
        });
        fill(&mut out.modified, || {
            text("dateModified").and_then(|d| super::date::normalize(&d))
        });
        fill(&mut out.site_name, || {
            let publisher = node.get("publisher")?;
            self.object_or_string(publisher, "name")
        });
        fill(&mut out.image, || {
            ["image", "primaryImageOfPage", "thumbnailUrl"]
                .iter()
                .find_map(|k| node.get(*k).and_then(|v| self.image_url(v, 0)))
        });
        fill(&mut out.lang, || {
            let v = node.get("inLanguage")?;
            let tag = self
                .object_or_string(v, "alternateName")
                .or_else(|| self.object_or_string(v, "name"))?;
            crate::lang::normalize(&tag)
        });
        fill(&mut out.url, || {
            text("url").or_else(|| {
                node.get("mainEntityOfPage")
                    .and_then(|v| self.object_or_string(v, "@id"))
            })
        });
    }

    /// Collects author names from a string, a Person or Organization, an
    /// `@id` reference, or an array of any of these. Strings that are URLs
    /// (profile links) are not names.
    fn person_names(&self, v: &'a Value, out: &mut Vec<String>, depth: usize) {
        if depth > MAX_DEPTH || out.len() >= MAX_AUTHORS {
            return;
        }
        let name = match v {
            Value::String(s) => clean_text(&decode_entities(s)),
            Value::Array(items) => {
                items
                    .iter()
                    .for_each(|i| self.person_names(i, out, depth + 1));
                return;
            }
            Value::Object(map) => {
                let map = self.resolve(map);
                let name = map.get("name").and_then(|n| first_text(n, depth + 1));
                name.or_else(|| {
                    let part = |k: &str| map.get(k).and_then(|n| first_text(n, depth + 1));
                    let full = [part("givenName"), part("familyName")]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>();
                    (!full.is_empty()).then(|| full.join(" "))
                })
            }
            _ => None,
        };
        if let Some(name) = name.filter(|n| !looks_like_url(n)) {
            if !out.contains(&name) {
                out.push(name);
            }
        }
    }

    /// A string value, or the `key` field of an object (or of the first array
    /// member, or of the node an `@id` reference points to).
    fn object_or_string(&self, v: &'a Value, key: &str) -> Option<String> {
        match v {
            Value::String(s) => clean_text(&decode_entities(s)),
            Value::Array(items) => items.iter().find_map(|i| self.object_or_string(i, key)),
            Value::Object(map) => {
                let map = self.resolve(map);
                map.get(key).and_then(|n| first_text(n, 1))
            }
            _ => None,
        }
    }

    /// The URL of an image given as a string, an `ImageObject` (`url` or
    /// `contentUrl`), an `@id` reference, an array or an `@list`.
    fn image_url(&self, v: &'a Value, depth: usize) -> Option<String> {
        if depth > MAX_DEPTH {
            return None;
        }
        match v {
            Value::String(s) => clean_text(s),
            Value::Array(items) => items.iter().find_map(|i| self.image_url(i, depth + 1)),
            Value::Object(map) => {
                let map = self.resolve(map);
                ["url", "contentUrl", "@list"]
                    .iter()
                    .find_map(|k| map.get(*k).and_then(|u| self.image_url(u, depth + 1)))
            }
            _ => None,
        }
    }
}

fn fill(slot: &mut Option<String>, f: impl FnOnce() -> Option<String>) {
    if slot.is_none() {
        *slot = f();
    }
}

/// The text of a value: a string, the first string of an array, or the
/// `@value` of a language-tagged literal.
fn first_text(v: &Value, depth: usize) -> Option<String> {
    if depth > MAX_DEPTH {
        return None;
    }
    match v {
        Value::String(s) => clean_text(&decode_entities(s)),
        Value::Array(items) => items.iter().find_map(|i| first_text(i, depth + 1)),
        Value::Object(map) => map.get("@value").and_then(|i| first_text(i, depth + 1)),
        _ => None,
    }
}

/// Whether a node's `@type` (a string or an array; possibly prefixed,
/// `schema:NewsArticle` or `http://schema.org/NewsArticle`) is one of `types`.
fn has_type(node: &Map<String, Value>, types: &[&str]) -> bool {
    let matches = |t: &Value| {
        t.as_str().is_some_and(|t| {
            let local = t.rsplit(['/', ':', '#']).next().unwrap_or(t);
            types.iter().any(|x| x.eq_ignore_ascii_case(local))
        })
    };
    match node.get("@type") {
        Some(Value::Array(ts)) => ts.iter().any(matches),
        Some(t) => matches(t),
        None => false,
    }
}

fn looks_like_url(s: &str) -> bool {
    let lower = s.trim_start().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("www.")
}

/// Parses one script block, repairing what commonly breaks it.
fn parse_block(raw: &str) -> Option<Value> {
    let mut s = raw.trim();
    for (open, close) in [
        ("<![CDATA[", "]]>"),
        ("<!--", "-->"),
        ("//<![CDATA[", "//]]>"),
    ] {
        if let Some(inner) = s.strip_prefix(open) {
            s = inner.strip_suffix(close).unwrap_or(inner).trim();
        }
    }
    let s = s.trim_end_matches(';').trim();
    if s.is_empty() {
        return None;
    }
    first_value(s).or_else(|| {
        // Raw line breaks and tabs inside strings are invalid JSON but common
        // in hand-written templates; outside strings they are whitespace.
        let repaired: String = s
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        first_value(&repaired)
    })
}

/// The first JSON value of `s`, ignoring whatever follows it.
fn first_value(s: &str) -> Option<Value> {
    serde_json::Deserializer::from_str(s)
        .into_iter::<Value>()
        .next()?
        .ok()
}

/// Decodes the HTML entities that CMSs leave in JSON-LD strings
/// (`O&#039;Brien`, `AT&amp;T`); other text passes through untouched.
fn decode_entities(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('&') {
        return s.into();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        // Entities are short; a ';' further on belongs to the text. Searching
        // bytes keeps the cut off a multi-byte character.
        let end = rest.bytes().take(12).position(|b| b == b';');
        let decoded = end.and_then(|end| {
            let entity = &rest[1..end];
            let c = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => {
                    let num = entity.strip_prefix('#')?;
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => num.parse().ok()?,
                    };
                    char::from_u32(code)
                }
            }?;
            Some((c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ld(blocks: &[&str]) -> JsonLd {
        extract(blocks)
    }

    #[test]
    fn graph_with_author_reference() {
        let j = ld(&[r##"{"@context":"https://schema.org","@graph":[
            {"@type":"WebSite","@id":"https://ex.com/#site","name":"Example News"},
            {"@type":"WebPage","@id":"https://ex.com/a#page","url":"https://ex.com/a","inLanguage":"en-GB",
             "primaryImageOfPage":{"@id":"https://ex.com/a#img"}},
            {"@type":"ImageObject","@id":"https://ex.com/a#img","url":"https://ex.com/a.jpg"},
            {"@type":["Article","NewsArticle"],"headline":"Rain &amp; wind due","isPartOf":{"@id":"https://ex.com/a#page"},
             "author":[{"@id":"https://ex.com/#/person/1"},{"@type":"Person","name":"John O&#039;Roe"}],
             "datePublished":"2024-05-01T10:00:00+03:00","dateModified":"2024-05-02T08:00:00+03:00",
             "publisher":{"@id":"https://ex.com/#org"}},
            {"@type":"Person","@id":"https://ex.com/#/person/1","name":"Jane Doe"},
            {"@type":"Organization","@id":"https://ex.com/#org","name":"Example Media"}
        ]}"##]);
        assert_eq!(j.headline.as_deref(), Some("Rain & wind due"));
        assert_eq!(j.byline.as_deref(), Some("Jane Doe, John O'Roe"));
        assert_eq!(j.published.as_deref(), Some("2024-05-01T10:00:00+03:00"));
        assert_eq!(j.modified.as_deref(), Some("2024-05-02T08:00:00+03:00"));
        assert_eq!(j.site_name.as_deref(), Some("Example Media"));
        assert_eq!(j.image.as_deref(), Some("https://ex.com/a.jpg"));
        assert_eq!(j.lang.as_deref(), Some("en"));
        assert_eq!(j.url.as_deref(), Some("https://ex.com/a"));
    }

    #[test]
    fn article_type_beats_earlier_other_types_and_arrays_work() {
        let j = ld(&[
            r#"{"@type":"VideoObject","name":"A video","uploadDate":"2024-01-01"}"#,
            r#"[{"@type":"BreadcrumbList"},{"@type":"http://schema.org/ReportageNewsArticle","headline":"Real one",
                "author":"https://ex.com/profile","dateCreated":"2024-05-01","creator":["cms123", "Staff Writer"],
                "image":{"@list":["https://ex.com/1.jpg","https://ex.com/2.jpg"]},
                "mainEntityOfPage":{"@type":"WebPage","@id":"https://ex.com/real"}}]"#,
        ]);
        assert_eq!(j.headline.as_deref(), Some("Real one"));
        assert_eq!(j.byline.as_deref(), Some("Staff Writer"));
        assert_eq!(j.published, None);
        assert_eq!(j.created.as_deref(), Some("2024-05-01"));
        assert_eq!(j.image.as_deref(), Some("https://ex.com/1.jpg"));
        assert_eq!(j.url.as_deref(), Some("https://ex.com/real"));
    }

    #[test]
    fn webpage_with_main_entity() {
        let j = ld(&[
            r#"{"@type":"WebPage","name":"Page name","mainEntity":{"@type":"BlogPosting",
            "headline":"Post","author":{"@type":"Person","givenName":"Ada","familyName":"Lovelace"},
            "publisher":[{"@type":"Organization","name":"The Blog"}]}}"#,
        ]);
        assert_eq!(j.headline.as_deref(), Some("Post"));
        assert_eq!(j.name.as_deref(), Some("Page name"));
        assert_eq!(j.byline.as_deref(), Some("Ada Lovelace"));
        assert_eq!(j.site_name.as_deref(), Some("The Blog"));
    }

    #[test]
    fn broken_blocks_are_repaired_or_skipped() {
        let j = ld(&[
            "<!-- {\"@type\":\"Article\",\"headline\":\"Line\nbreak\"} -->",
            "{not json at all",
            r#"{"@type":"Article","headline":"ignored, second article"} trailing junk"#,
            "",
            "null",
            "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
        ]);
        assert_eq!(j.headline.as_deref(), Some("Line break"));
        let j = ld(&[r#"{"@type":"NewsArticle","headline":"Trailing"}; junk"#]);
        assert_eq!(j.headline.as_deref(), Some("Trailing"));
    }

    #[test]
    fn no_article_gives_nothing_but_site() {
        let j = ld(&[
            r#"{"@type":"WebSite","name":"Just a site"}"#,
            r#"{"@type":"Organization","name":"Org"}"#,
        ]);
        assert_eq!(j.headline, None);
        assert_eq!(j.site_name.as_deref(), Some("Just a site"));
    }

    #[test]
    fn self_references_do_not_loop() {
        let j = ld(&[
            r##"{"@graph":[{"@type":"Article","@id":"#a","author":{"@id":"#p"}},
            {"@type":"Person","@id":"#p","name":{"@id":"#p"}}]}"##,
        ]);
        assert_eq!(j.byline, None);
    }

    #[test]
    fn entities() {
        assert_eq!(
            decode_entities("a &amp; b &#x27;c&#39; &bogus; &"),
            "a & b 'c' &bogus; &"
        );
        assert_eq!(decode_entities("&#99999999999;"), "&#99999999999;");
        assert_eq!(decode_entities("&ééééééé;"), "&ééééééé;");
    }
}
