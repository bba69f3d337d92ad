//! The headline: chosen among the page's title candidates.
//!
//! A title the publisher declares for the article (JSON-LD `headline`,
//! `og:title`, `twitter:title`, `dc.title`…) is kept as written, site name
//! and all (`Rain due | Daily Bugle`): it is the page's own statement of its
//! title, the convention of Readability and of the `readability` truth, and
//! the record's `site_name` field (with [`strip_site_name`]) gives users the
//! bare headline when they want it. Only `<title>` — a browser-tab label
//! that routinely stacks section and site — and the `<h1>` fallback are
//! stripped, in order of trust:
//! 1. a heading (`<h1>`/`<h2>`) equal to the leading parts of the title says
//!    where the headline ends (`Title - Section - Site` with `<h1>Title`);
//! 2. a part at either end that matches a known site name (`og:site_name`,
//!    JSON-LD publisher, the URL's host) is dropped;
//! 3. a short trailing part (at most 3 words, capitalised, like a name) is
//!    dropped when at least 4 words remain — shorter titles keep their
//!    suffix because it may be half of the headline (`Mozilla - Wikipedia`
//!    is not reduced to `Mozilla` on this rule alone).

/// What separates a headline from the site name in page titles.
const SEPARATORS: &[&str] = &[" | ", " - ", " — ", " – ", " :: ", " · ", " » ", " • "];

/// Site-name parts longer than this are not site names but headline halves.
const MAX_SITE_WORDS: usize = 3;
const MAX_SITE_CHARS: usize = 30;

/// Titles cut into more parts than this are breadcrumbs or keyword lists,
/// left as they are (and never worth a quadratic search for their headline).
const MAX_PARTS: usize = 8;

/// Words a title must keep for a nameless trailing part to be dropped.
const MIN_KEPT_WORDS: usize = 4;

/// Removes a site name from either end of `title`: the part after (or before)
/// a separator such as ` | ` or ` - ` that matches one of `site_names`
/// (ignoring case, spaces and punctuation, or as a prefix: `Spiceworks`
/// matches `Spiceworks Inc`). Titles without such a part come back unchanged.
///
/// ```
/// use copydesk::metadata::title::strip_site_name;
/// assert_eq!(strip_site_name("Rain due | Daily Bugle", &["Daily Bugle"]), "Rain due");
/// assert_eq!(strip_site_name("BBC News - Obama speaks", &["BBC News"]), "Obama speaks");
/// assert_eq!(strip_site_name("Rain due - and wind", &["Daily Bugle"]), "Rain due - and wind");
/// ```
pub fn strip_site_name<S: AsRef<str>>(title: &str, site_names: &[S]) -> String {
    Parts::split(title)
        .strip_site(&site_keys(site_names))
        .unwrap_or(title)
        .to_owned()
}

/// The inputs of the title choice.
#[derive(Debug, Default)]
pub(crate) struct Candidates<'a> {
    /// JSON-LD `headline` and `name` of the article.
    pub ld_headline: Option<&'a str>,
    pub ld_name: Option<&'a str>,
    /// `dc.title`, `og:title`, `twitter:title` and friends, best first.
    pub meta: Vec<&'a str>,
    /// The `<title>` element.
    pub html_title: Option<&'a str>,
    /// `<h1>` and `<h2>` texts in document order (h1 first).
    pub headings: &'a [String],
    /// Known names of the site, for stripping.
    pub site_names: &'a [String],
}

/// Chooses and cleans the headline: JSON-LD (`headline`, or `name` when only
/// the name is confirmed by another source) > meta tags > `<title>` > first
/// `<h1>`, except that `<title>` beats a meta title repeated nowhere on the
/// page when a heading confirms it; declared titles are kept as written,
/// `<title>` and headings are stripped of the site name (see the module docs).
pub(crate) fn choose(c: &Candidates<'_>) -> Option<String> {
    let ld = match (c.ld_headline, c.ld_name) {
        (Some(h), Some(n)) if !confirmed(h, c) && confirmed(n, c) => Some(n),
        (Some(h), _) => Some(h),
        (None, n) => n,
    };
    if let Some(t) = ld {
        return Some(t.to_owned());
    }
    if let Some(meta) = c.meta.first() {
        let declared = *meta;
        // A meta title that neither a heading nor <title> repeats is now and
        // then the site's generic title ("Yahoo News - Latest News &
        // Headlines"); when <title> and a heading agree, they show the headline.
        if let Some(html) = c.html_title {
            let html_clean = clean(html, c.headings, c.site_names);
            let is_heading = |t: &str| c.headings.iter().any(|h| fold(h) == fold(t));
            if !is_heading(&clean(declared, c.headings, c.site_names))
                && is_heading(&html_clean)
                && word_overlap(declared, html) < 0.5
            {
                return Some(html_clean);
            }
        }
        return Some(declared.to_owned());
    }
    let fallback = c
        .html_title
        .or_else(|| c.headings.first().map(String::as_str))?;
    Some(clean(fallback, c.headings, c.site_names))
}

/// The share of the words of `a` that also occur in `b`: a reworded
/// headline ("Dropbox’s ATF - an async..." / "Dropbox ATF: an async...")
/// shares most, an unrelated title next to none.
fn word_overlap(a: &str, b: &str) -> f64 {
    let words = |s: &str| -> Vec<String> {
        fold(s)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let (a, b) = (words(a), words(b));
    if a.is_empty() {
        return 0.0;
    }
    a.iter().filter(|w| b.contains(w)).count() as f64 / a.len() as f64
}

/// Whether another source of the page repeats `title` (as a whole or as part
/// of a longer title): JSON-LD `name` is sometimes the site or a description,
/// and a second witness tells which of `headline` and `name` is the headline.
fn confirmed(title: &str, c: &Candidates<'_>) -> bool {
    let key = fold(title);
    c.meta
        .iter()
        .copied()
        .chain(c.html_title)
        .chain(c.headings.iter().map(String::as_str))
        .any(|other| fold(other).contains(&key))
}

/// Strips the site name from one title; see the module docs.
fn clean(title: &str, headings: &[String], site_names: &[String]) -> String {
    let folded_headings: Vec<String> = headings.iter().map(|h| fold(h)).collect();
    let is_headline = |tail: &str| substantial(tail) && folded_headings.contains(&fold(tail));
    // "Site: Headline", where the headline is a heading of its own. A colon
    // is no separator otherwise: headlines have colons of their own ("Study: …").
    if let Some(tail) = title
        .match_indices(": ")
        .map(|(at, _)| title[at + 2..].trim())
        .find(|t| is_headline(t))
    {
        return tail.to_owned();
    }
    let parts = Parts::split(title);
    if parts.bounds.len() < 2 || parts.bounds.len() > MAX_PARTS {
        return title.to_owned();
    }
    let keys = site_keys(site_names);
    // Longest leading run first, so that "A - B" wins over "A" when both are headings.
    for k in (1..parts.bounds.len()).rev() {
        let head = parts.leading(k);
        // A site logo set in <h1> matches the leading part of "Site - Page";
        // a short head that is shorter than what it drops is suspected of that.
        let plausible = substantial(head) || words(head) >= words(parts.trailing(k));
        if plausible && !parts.is_site(0, &keys) && folded_headings.contains(&fold(head)) {
            return head.to_owned();
        }
    }
    // "Site - Headline", where the site's name is not known from the markup
    // but the headline is a heading of its own.
    if let Some(tail) = (1..parts.bounds.len())
        .map(|k| parts.trailing(k))
        .find(|t| is_headline(t))
    {
        return tail.to_owned();
    }
    if let Some(stripped) = parts.strip_site(&keys) {
        return stripped.to_owned();
    }
    let last = parts.part(parts.bounds.len() - 1);
    let kept = parts.leading(parts.bounds.len() - 1);
    let namelike = last.split_whitespace().count() <= MAX_SITE_WORDS
        && last.chars().count() <= MAX_SITE_CHARS
        && !last.chars().next().is_some_and(char::is_lowercase);
    if namelike && substantial(kept) {
        kept.to_owned()
    } else {
        title.to_owned()
    }
}

/// Enough words to stand alone as a headline.
fn substantial(s: &str) -> bool {
    words(s) >= MIN_KEPT_WORDS
}

/// Counts words; scripts written without spaces count one per four characters.
fn words(s: &str) -> usize {
    let cjk = s.chars().filter(|c| crate::article::is_cjk(*c)).count();
    s.split_whitespace().count() + cjk / 4
}

/// A title cut at its separators.
struct Parts<'a> {
    title: &'a str,
    /// Byte ranges of the parts within `title`.
    bounds: Vec<(usize, usize)>,
}

impl<'a> Parts<'a> {
    fn split(title: &'a str) -> Parts<'a> {
        let mut bounds = Vec::new();
        let mut start = 0;
        let mut i = 0;
        while i < title.len() {
            match SEPARATORS.iter().find(|sep| title[i..].starts_with(**sep)) {
                Some(sep) => {
                    bounds.push((start, i));
                    i += sep.len();
                    start = i;
                }
                None => i += title[i..].chars().next().map_or(1, char::len_utf8),
            }
        }
        bounds.push((start, title.len()));
        // Empty parts ("Title | | Site") carry nothing; merging them away
        // keeps the indices meaningful.
        bounds.retain(|(s, e)| !title[*s..*e].trim().is_empty());
        Parts { title, bounds }
    }

    fn part(&self, i: usize) -> &'a str {
        let (s, e) = self.bounds[i];
        self.title[s..e].trim()
    }

    /// The title up to the end of part `k - 1`.
    fn leading(&self, k: usize) -> &'a str {
        self.title[self.bounds[0].0..self.bounds[k - 1].1].trim()
    }

    /// The title from the start of part `k`.
    fn trailing(&self, k: usize) -> &'a str {
        self.title[self.bounds[k].0..].trim()
    }

    fn is_site(&self, i: usize, keys: &[String]) -> bool {
        let part = fold_key(self.part(i));
        !part.is_empty() && keys.iter().any(|k| same_site(&part, k))
    }

    /// The title without a site-name part at its end or, failing that, at
    /// its start; `None` when neither end is a site name.
    fn strip_site(&self, keys: &[String]) -> Option<&'a str> {
        let n = self.bounds.len();
        if !(2..=MAX_PARTS).contains(&n) || keys.is_empty() {
            return None;
        }
        if self.is_site(n - 1, keys) {
            Some(self.leading(n - 1))
        } else if self.is_site(0, keys) {
            Some(self.trailing(1))
        } else {
            None
        }
    }
}

/// Site names match when equal, or when one begins with the other and the
/// shorter has at least 4 letters (`spiceworks` / `spiceworksinc`,
/// `heraldsun` / `heraldsuncomau`).
fn same_site(part: &str, site: &str) -> bool {
    let (short, long) = if part.len() <= site.len() {
        (part, site)
    } else {
        (site, part)
    };
    short == long || (short.len() >= 4 && long.starts_with(short))
}

/// The comparison keys of site names; names without letters or digits drop out.
fn site_keys<S: AsRef<str>>(site_names: &[S]) -> Vec<String> {
    site_names
        .iter()
        .map(|s| fold_key(s.as_ref()))
        .filter(|k| !k.is_empty())
        .collect()
}

/// Lowercase letters and digits only: how site names are compared.
fn fold_key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Lowercase, single-spaced, with typographic quotes and dashes made plain:
/// how titles are compared with headings.
fn fold(s: &str) -> String {
    let mapped = s.chars().flat_map(char::to_lowercase).map(|c| match c {
        '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '`' | '\u{b4}' => '\'',
        '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{ab}' | '\u{bb}' => '"',
        '\u{2013}' | '\u{2014}' => '-',
        c => c,
    });
    let mut out = String::with_capacity(s.len());
    for word in mapped.collect::<String>().split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn site_name_suffix_and_prefix() {
        let sites = strings(&["Ars Technica"]);
        assert_eq!(
            clean(
                "Minecraft exploit makes it easy to crash servers | Ars Technica",
                &[],
                &sites
            ),
            "Minecraft exploit makes it easy to crash servers"
        );
        assert_eq!(
            clean("Ars Technica » Minecraft exploit", &[], &sites),
            "Minecraft exploit"
        );
        assert_eq!(
            clean(
                "Title here - Spiceworks",
                &[],
                &strings(&["Spiceworks Inc"])
            ),
            "Title here"
        );
        assert_eq!(
            clean(
                "Angry media won’t buckle | Herald Sun",
                &[],
                &strings(&["HeraldSun"])
            ),
            "Angry media won’t buckle"
        );
    }

    #[test]
    fn heading_decides_where_the_headline_ends() {
        let h = strings(&["Samantha and The Great Big Lie"]);
        let sites = strings(&["Medium"]);
        assert_eq!(
            clean(
                "Samantha and The Great Big Lie - John C. Welch - Medium",
                &h,
                &sites
            ),
            "Samantha and The Great Big Lie"
        );
        // A heading that is the site's logo does not become the title.
        let h = strings(&["Engadget"]);
        assert_eq!(
            clean(
                "Engadget - Xbox review: a console for gamers",
                &h,
                &strings(&["Engadget"])
            ),
            "Xbox review: a console for gamers"
        );
        // With no site name known, a heading tells where the site's part
        // ends, after a colon too; a headline's own colon stays.
        let h = strings(&["Why the ferry fare freeze costs more", "Harbour Economics"]);
        assert_eq!(
            clean(
                "Harbour Economics: Why the ferry fare freeze costs more",
                &h,
                &[]
            ),
            "Why the ferry fare freeze costs more"
        );
        assert_eq!(
            clean(
                "Harbour Economics - Why the ferry fare freeze costs more",
                &h,
                &[]
            ),
            "Why the ferry fare freeze costs more"
        );
        assert_eq!(
            clean("Study: ferry fares freeze for a fourth year", &h, &[]),
            "Study: ferry fares freeze for a fourth year"
        );
    }

    #[test]
    fn nameless_suffix_needs_a_substantial_rest() {
        assert_eq!(
            clean("Lorem ipsum dolor sit amet – My website", &[], &[]),
            "Lorem ipsum dolor sit amet"
        );
        assert_eq!(
            clean("Mozilla - Wikipedia", &[], &[]),
            "Mozilla - Wikipedia"
        );
        assert_eq!(
            clean("Yahoo News - Latest News & Headlines", &[], &[]),
            "Yahoo News - Latest News & Headlines"
        );
        // A lowercase tail is the rest of a sentence, not a site.
        assert_eq!(
            clean("Apple unveils a new phone today - and it is pink", &[], &[]),
            "Apple unveils a new phone today - and it is pink"
        );
        assert_eq!(
            clean("No separators at all", &[], &[]),
            "No separators at all"
        );
        assert_eq!(clean(" | | ", &[], &[]), " | | ");
    }

    #[test]
    fn choice_between_sources() {
        let headings = strings(&["Hermitian matrix"]);
        let c = Candidates {
            ld_headline: Some("matrix equal to its conjugate-transpose"),
            ld_name: Some("Hermitian matrix"),
            html_title: Some("Hermitian matrix - Wikipedia"),
            headings: &headings,
            ..Default::default()
        };
        assert_eq!(choose(&c).as_deref(), Some("Hermitian matrix"));
        let c = Candidates {
            meta: vec!["Rain due | Bugle"],
            html_title: Some("Something else"),
            site_names: &strings(&["Bugle"]),
            ..Default::default()
        };
        assert_eq!(choose(&c).as_deref(), Some("Rain due | Bugle"));
        let c = Candidates {
            html_title: Some("Rain due | Bugle"),
            site_names: &strings(&["Bugle"]),
            ..Default::default()
        };
        assert_eq!(choose(&c).as_deref(), Some("Rain due"));
        let headings = strings(&["Russia: Space ship breaks up", "Related"]);
        let c = Candidates {
            meta: vec!["Yahoo News - Latest News & Headlines"],
            html_title: Some("Russia: Space ship breaks up"),
            headings: &headings,
            ..Default::default()
        };
        assert_eq!(choose(&c).as_deref(), Some("Russia: Space ship breaks up"));
        let headings = strings(&["Only a heading"]);
        let c = Candidates {
            headings: &headings,
            ..Default::default()
        };
        assert_eq!(choose(&c).as_deref(), Some("Only a heading"));
        assert_eq!(choose(&Candidates::default()), None);
    }

    #[test]
    fn fold_normalises_quotes_and_space() {
        assert_eq!(fold("  ‘Star  Wars’ – Cuts "), "'star wars' - cuts");
        assert!(
            word_overlap(
                "How we designed Dropbox’s ATF - an async task framework",
                "How we designed Dropbox ATF: an async task framework - Dropbox"
            ) > 0.8
        );
        assert_eq!(word_overlap("", "x"), 0.0);
    }
}
