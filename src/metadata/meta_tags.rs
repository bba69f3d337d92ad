//! One pass over the `<meta>` elements, keeping the values of the names we read.

use std::collections::HashMap;

use scraper::node::Element;

/// The (canonical) keys worth keeping; anything else is dropped on sight so
/// that pages with hundreds of tracking `<meta>` tags cost no allocations.
const KNOWN: &[&str] = &[
    // titles
    "og:title",
    "twitter:title",
    "dc.title",
    "title",
    "parsely-title",
    "sailthru.title",
    "itemprop:headline",
    // authors
    "author",
    "dc.creator",
    "article:author",
    "og:article:author",
    "parsely-author",
    "sailthru.author",
    "byl",
    "itemprop:author",
    // dates
    "article:published_time",
    "og:article:published_time",
    "article:published",
    "og:published_time",
    "parsely-pub-date",
    "sailthru.date",
    "citation_publication_date",
    "citation_date",
    "dc.date.issued",
    "dc.date.created",
    "dc.date",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "article.published",
    "itemprop:datepublished",
    "itemprop:datecreated",
    // site
    "og:site_name",
    "application-name",
    // description
    "og:description",
    "description",
    "twitter:description",
    "dc.description",
    // image
    "og:image",
    "og:image:url",
    "og:image:secure_url",
    "twitter:image",
    "twitter:image:src",
    "itemprop:image",
    // url and language
    "og:url",
    "og:locale",
    "content-language",
    "language",
    "dc.language",
];

/// Which attribute named the value. A `property` (RDFa, OpenGraph's own
/// syntax) outranks a `name` for the same key: pages that carry both usually
/// put the maintained value in `property` and leave `name` to old templates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Attr {
    Property,
    Name,
}

/// The `<meta>` values of a page, by canonical key.
#[derive(Debug, Default)]
pub(crate) struct MetaTags {
    values: HashMap<&'static str, Vec<(Attr, String)>>,
}

impl MetaTags {
    /// Keeps the value of one `<meta>` element under each known key it names.
    pub(crate) fn add(&mut self, el: &Element) {
        let Some(content) = el.attr("content") else {
            return;
        };
        if content.trim().is_empty() {
            return;
        }
        let sources = [
            (el.attr("property"), Attr::Property, ""),
            (el.attr("name"), Attr::Name, ""),
            (el.attr("itemprop"), Attr::Name, "itemprop:"),
            (el.attr("http-equiv"), Attr::Name, ""),
        ];
        let mut key = String::new();
        for (value, attr, prefix) in sources {
            // `property="og:title twitter:title"` names two keys at once.
            for token in value.unwrap_or("").split_ascii_whitespace() {
                canonical_key(prefix, token, &mut key);
                if let Some(&known) = KNOWN.iter().find(|k| **k == key) {
                    self.values
                        .entry(known)
                        .or_default()
                        .push((attr, content.to_owned()));
                }
            }
        }
    }

    /// The best value of the first key that has one: `property` values before
    /// `name` values, then document order.
    #[cfg(test)]
    fn first(&self, keys: &[&str]) -> Option<&str> {
        keys.iter().find_map(|k| self.all(k).next())
    }

    /// All non-empty values of one key from its strongest attribute kind, in
    /// document order.
    pub(crate) fn all<'a>(&'a self, key: &str) -> impl Iterator<Item = &'a str> + 'a {
        let entries = self.values.get(key).map(Vec::as_slice).unwrap_or_default();
        let best = entries.iter().map(|(a, _)| *a).min();
        entries
            .iter()
            .filter(move |(a, _)| Some(*a) == best)
            .map(|(_, v)| v.as_str())
    }
}

/// Lowercases a key and folds the spellings of Dublin Core (`DC.Date.Issued`,
/// `dcterms:created`, `dc:creator`) into one: `dc.date.issued`.
fn canonical_key(prefix: &str, token: &str, out: &mut String) {
    out.clear();
    out.push_str(prefix);
    let lower = token.to_ascii_lowercase();
    let dc_rest = ["dcterms.", "dcterms:", "dcterm.", "dcterm:", "dc.", "dc:"]
        .iter()
        .find_map(|p| lower.strip_prefix(p));
    match dc_rest {
        Some(rest) => {
            out.push_str("dc.");
            out.extend(rest.chars().map(|c| if c == ':' { '.' } else { c }));
        }
        None => out.push_str(&lower),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(head: &str) -> MetaTags {
        let doc = scraper::Html::parse_document(&format!(
            "<html><head>{head}</head><body></body></html>"
        ));
        let mut tags = MetaTags::default();
        for el in doc
            .root_element()
            .descendent_elements()
            .filter(|e| e.value().name() == "meta")
        {
            tags.add(el.value());
        }
        tags
    }

    #[test]
    fn property_beats_name_and_keys_fold() {
        let t = tags(
            r#"<meta name="DC.title" content="name title"><meta property="dc:title" content="property title">
               <meta name="DC.Date.Issued" content="2014-12-15"><meta name="Author" content=" A ">"#,
        );
        assert_eq!(t.first(&["dc.title"]), Some("property title"));
        assert_eq!(t.first(&["dc.date.issued"]), Some("2014-12-15"));
        assert_eq!(t.first(&["author"]), Some(" A "));
    }

    #[test]
    fn space_separated_properties_and_itemprop() {
        let t = tags(
            r#"<meta property="x:title dc:title" content="Preferred"><meta property="og:title twitter:title" content="A title">
               <meta property="article:published" itemprop="datePublished" content="2017-01-13">"#,
        );
        assert_eq!(t.first(&["dc.title"]), Some("Preferred"));
        assert_eq!(t.first(&["twitter:title"]), Some("A title"));
        assert_eq!(t.first(&["itemprop:datepublished"]), Some("2017-01-13"));
        assert_eq!(t.first(&["article:published"]), Some("2017-01-13"));
    }

    #[test]
    fn repeated_keys_keep_order_and_empty_values_are_skipped() {
        let t = tags(
            r#"<meta name="DC.Creator" content="Kooman, F."><meta name="DC.Creator" content="Jong, Michiel de">
               <meta name="author" content="  "><meta name="unknown" content="x">"#,
        );
        assert_eq!(
            t.all("dc.creator").collect::<Vec<_>>(),
            ["Kooman, F.", "Jong, Michiel de"]
        );
        assert_eq!(t.first(&["author"]), None);
        assert!(!t.values.contains_key("unknown"));
    }
}
