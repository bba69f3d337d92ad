//! Labelled sets in the `shared/bench` layout: `<set>/pages/<id>.html` plus
//! `<set>/truth.jsonl`, and the deterministic tune/holdout split.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::OnceLock;

use regex::bytes::Regex;
use serde::Deserialize;

use super::metrics::MetaField;

/// Why a set could not be loaded.
///
/// ```
/// let err = copydesk::eval::EvalSet::load("/no/such/set").unwrap_err();
/// assert!(err.to_string().contains("truth.jsonl"));
/// ```
#[derive(Debug, thiserror::Error)]
pub enum DatasetError {
    /// A file could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
    /// A truth line is not a usable record.
    #[error("{}:{line}: {message}", path.display())]
    Record {
        /// The truth file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong with it.
        message: String,
    },
}

/// Snippets that must (`with`) and must not (`without`) be in the output.
///
/// ```
/// let s = copydesk::eval::Snippets { with: vec!["body".into()], without: vec![] };
/// assert_eq!(s.with.len(), 1);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snippets {
    /// Must appear.
    pub with: Vec<String>,
    /// Must not appear.
    pub without: Vec<String>,
}

/// One page's truth.
///
/// ```
/// let r = copydesk::eval::Record::from_json(r#"{"id": "p1", "url": null, "text": "Body."}"#).unwrap();
/// assert_eq!(r.text.as_deref(), Some("Body."));
/// assert!(r.snippets.is_none());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    /// The page id; the page is `pages/<id>.html`.
    pub id: String,
    /// The page URL, when the set knows it.
    pub url: Option<String>,
    /// The true main text, when the set has text truth.
    pub text: Option<String>,
    /// The snippets, when the set has snippet truth.
    pub snippets: Option<Snippets>,
    /// The true headline.
    pub title: Option<String>,
    /// The true author(s).
    pub byline: Option<String>,
    /// The true publication date.
    pub date: Option<String>,
}

#[derive(Deserialize)]
struct RawRecord {
    id: String,
    url: Option<String>,
    text: Option<String>,
    text_no_comments: Option<String>,
    with: Option<Vec<String>>,
    without: Option<Vec<String>>,
    title: Option<String>,
    byline: Option<String>,
    date: Option<String>,
}

impl Record {
    /// Parses one `truth.jsonl` line.
    ///
    /// `text_no_comments` wins over `text` where both exist: dragnet's truth
    /// is meant to be the article without its user comments, which copydesk
    /// never puts into `text` either. A record needs `text` or snippets, and an
    /// id usable as a file name.
    ///
    /// ```
    /// use copydesk::eval::Record;
    /// let r = Record::from_json(r#"{"id": "7", "text": "All", "text_no_comments": "Art"}"#).unwrap();
    /// assert_eq!(r.text.as_deref(), Some("Art"));
    /// let r = Record::from_json(r#"{"id": "8", "with": ["a"]}"#).unwrap();
    /// assert_eq!(r.snippets.unwrap().without.len(), 0);
    /// assert!(Record::from_json(r#"{"id": "../x", "text": ""}"#).is_err());
    /// ```
    pub fn from_json(line: &str) -> Result<Record, String> {
        let raw: RawRecord = serde_json::from_str(line).map_err(|e| e.to_string())?;
        if raw.id.is_empty() || raw.id == "." || raw.id == ".." || raw.id.contains(['/', '\\']) {
            return Err(format!("id {:?} cannot name a file", raw.id));
        }
        let snippets = (raw.with.is_some() || raw.without.is_some()).then(|| Snippets {
            with: raw.with.unwrap_or_default(),
            without: raw.without.unwrap_or_default(),
        });
        let text = raw.text_no_comments.or(raw.text);
        if text.is_none() && snippets.is_none() {
            return Err(format!(
                "record {:?} has neither text nor with/without",
                raw.id
            ));
        }
        Ok(Record {
            id: raw.id,
            url: raw.url,
            text,
            snippets,
            title: raw.title,
            byline: raw.byline,
            date: raw.date,
        })
    }

    /// The true value of a metadata field.
    ///
    /// ```
    /// use copydesk::eval::{metrics::MetaField, Record};
    /// let r = Record { title: Some("T".into()), ..Default::default() };
    /// assert_eq!(r.meta(MetaField::Title), Some("T"));
    /// ```
    pub fn meta(&self, field: MetaField) -> Option<&str> {
        match field {
            MetaField::Title => self.title.as_deref(),
            MetaField::Byline => self.byline.as_deref(),
            MetaField::Date => self.date.as_deref(),
        }
    }
}

/// Page bytes ready for [`crate::Extractor::extract_bytes`].
///
/// ```
/// let p = copydesk::eval::PageInput::new(b"<p>x</p>".to_vec());
/// assert_eq!(p.content_type, None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageInput {
    /// The bytes to extract from.
    pub bytes: Vec<u8>,
    /// A content type carrying the charset the set declares, if any.
    pub content_type: Option<String>,
}

fn cleaneval_regexes() -> &'static (Regex, Regex, Regex) {
    static RES: OnceLock<(Regex, Regex, Regex)> = OnceLock::new();
    RES.get_or_init(|| {
        // WCEB's patterns, multiline as there. `\s` is ASCII here because the
        // bytes are not decoded yet; WCEB strips after decoding, which differs
        // only for exotic Unicode spaces next to the wrapper.
        let re = |p| Regex::new(p).expect("static regex");
        (
            re(r"(?m-u)^<text [^>]+>\s*"),
            re(r"(?m-u)\s*</text>$"),
            re(r#"(?-u)\A<text [^>]*\bencoding="([^"]*)""#),
        )
    })
}

impl PageInput {
    /// Prepares raw page bytes from a set.
    ///
    /// **CleanEval protocol.** CleanEval pages (set `wceb-cleaneval`) keep a
    /// `<text id=... encoding=...>` wrapper line around the HTML. Like WCEB,
    /// a page that starts with `<text ` has every `^<text [^>]+>\s*` and
    /// `\s*</text>$` removed (multiline), and its `encoding` attribute is
    /// passed on as `text/html; charset=<enc>` — only when it names an
    /// encoding that exists (`unset` and `unknown-*` do not), so the decoder's
    /// own sniffing applies otherwise.
    ///
    /// ```
    /// use copydesk::eval::PageInput;
    /// let p = PageInput::new(b"<text id=\"u\" encoding=\"iso-8859-1\">\n<p>caf\xe9</p>\n</text>\n".to_vec());
    /// assert_eq!(p.bytes, b"<p>caf\xe9</p>\n");
    /// assert_eq!(p.content_type.as_deref(), Some("text/html; charset=iso-8859-1"));
    /// ```
    pub fn new(bytes: Vec<u8>) -> PageInput {
        if !bytes.starts_with(b"<text ") {
            return PageInput {
                bytes,
                content_type: None,
            };
        }
        let (open, close, encoding) = cleaneval_regexes();
        let content_type = encoding.captures(&bytes).and_then(|c| {
            let label = &c[1];
            encoding_rs::Encoding::for_label(label)?;
            Some(format!(
                "text/html; charset={}",
                String::from_utf8_lossy(label)
            ))
        });
        let bytes = open.replace_all(&bytes, &b""[..]);
        let bytes = close.replace_all(&bytes, &b""[..]).into_owned();
        PageInput {
            bytes,
            content_type,
        }
    }
}

/// Which pages of a set to score.
///
/// A page belongs to `tune` when the FNV-1a 64-bit hash of its id's UTF-8
/// bytes, modulo 10, is below 7 (about 70 % of pages), else to `holdout`.
/// The rule depends on nothing but the id, so the split is the same on every
/// machine and does not move when pages are added.
///
/// ```
/// use copydesk::eval::Split;
/// let s: Split = "holdout".parse().unwrap();
/// assert_eq!(s.contains("x"), !Split::Tune.contains("x"));
/// assert!(Split::All.contains("x"));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Split {
    /// Every page.
    #[default]
    All,
    /// Pages to tune heuristics on.
    Tune,
    /// Pages kept back to check the tuning.
    Holdout,
}

impl Split {
    /// Whether the page with this id is in the split.
    pub fn contains(self, id: &str) -> bool {
        let tune = fnv1a64(id.as_bytes()) % 10 < 7;
        match self {
            Split::All => true,
            Split::Tune => tune,
            Split::Holdout => !tune,
        }
    }

    /// The split's name, as accepted by [`str::parse`].
    ///
    /// ```
    /// assert_eq!(copydesk::eval::Split::Tune.name(), "tune");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Split::All => "all",
            Split::Tune => "tune",
            Split::Holdout => "holdout",
        }
    }
}

impl FromStr for Split {
    type Err = String;

    fn from_str(s: &str) -> Result<Split, String> {
        match s {
            "all" => Ok(Split::All),
            "tune" => Ok(Split::Tune),
            "holdout" => Ok(Split::Holdout),
            _ => Err(format!(
                "unknown split {s:?}; expected all, tune or holdout"
            )),
        }
    }
}

/// The 64-bit FNV-1a hash.
///
/// ```
/// assert_eq!(copydesk::eval::fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
/// assert_eq!(copydesk::eval::fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
/// ```
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// A labelled set: its name, folder and truth records in file order.
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let dir = tempfile::tempdir()?;
/// std::fs::write(dir.path().join("truth.jsonl"), "{\"id\": \"a\", \"text\": \"A\"}\n\n")?;
/// let set = copydesk::eval::EvalSet::load(dir.path())?;
/// assert_eq!(set.records.len(), 1);
/// assert!(set.read_page("a").is_err()); // no pages/a.html
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct EvalSet {
    /// The set's name: the folder's file name.
    pub name: String,
    /// The set's folder.
    pub dir: PathBuf,
    /// The pages' truth, in file order.
    pub records: Vec<Record>,
}

impl EvalSet {
    /// Reads `dir/truth.jsonl` (blank lines are skipped); pages are read later.
    pub fn load(dir: impl AsRef<Path>) -> Result<EvalSet, DatasetError> {
        let dir = dir.as_ref().to_path_buf();
        let path = dir.join("truth.jsonl");
        let data = fs::read_to_string(&path).map_err(|source| DatasetError::Io {
            path: path.clone(),
            source,
        })?;
        let records = data
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| {
                Record::from_json(l).map_err(|message| DatasetError::Record {
                    path: path.clone(),
                    line: i + 1,
                    message,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(EvalSet {
            name: set_name(&dir),
            dir,
            records,
        })
    }

    /// Keeps only the records in `split`.
    ///
    /// ```
    /// use copydesk::eval::{EvalSet, Record, Split};
    /// let ids = ["a", "b", "c", "d", "e", "f"];
    /// let set = EvalSet {
    ///     name: "s".into(),
    ///     dir: "s".into(),
    ///     records: ids.iter().map(|i| Record { id: i.to_string(), ..Default::default() }).collect(),
    /// };
    /// let tune = set.clone().split(Split::Tune).records.len();
    /// let holdout = set.split(Split::Holdout).records.len();
    /// assert_eq!(tune + holdout, 6);
    /// ```
    pub fn split(mut self, split: Split) -> EvalSet {
        self.records.retain(|r| split.contains(&r.id));
        self
    }

    /// Where the page of `id` is.
    ///
    /// ```
    /// let set = copydesk::eval::EvalSet { name: "s".into(), dir: "bench/s".into(), records: vec![] };
    /// assert_eq!(set.page_path("x"), std::path::Path::new("bench/s/pages/x.html"));
    /// ```
    pub fn page_path(&self, id: &str) -> PathBuf {
        self.dir.join("pages").join(format!("{id}.html"))
    }

    /// Reads and prepares the page of `id` (see [`PageInput::new`]).
    pub fn read_page(&self, id: &str) -> io::Result<PageInput> {
        fs::read(self.page_path(id)).map(PageInput::new)
    }
}

/// The folder's own name, also for paths such as `bench/set/` or `.`.
fn set_name(dir: &Path) -> String {
    dir.file_name()
        .map(|n| n.to_os_string())
        .or_else(|| {
            fs::canonicalize(dir)
                .ok()?
                .file_name()
                .map(|n| n.to_os_string())
        })
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| dir.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleaneval_wrapper_is_stripped_like_wceb() {
        let page = b"<text id=\"http://x/\" title=\"T\" encoding=\"windows-1252\">\r\n\n  <html><body>Hi</body></html>\n\n</text>\n";
        let p = PageInput::new(page.to_vec());
        assert_eq!(p.bytes, b"<html><body>Hi</body></html>\n");
        assert_eq!(
            p.content_type.as_deref(),
            Some("text/html; charset=windows-1252")
        );
    }

    #[test]
    fn cleaneval_unknown_encodings_give_no_hint() {
        for enc in ["unset", "unknown-0", "unknown- "] {
            let page = format!("<text id=\"u\" encoding=\"{enc}\">\n<p>x</p>\n</text>\n");
            let p = PageInput::new(page.into_bytes());
            assert_eq!(p.bytes, b"<p>x</p>\n");
            assert_eq!(p.content_type, None, "{enc}");
        }
    }

    #[test]
    fn other_pages_are_untouched() {
        let page = b"<html>\n<text x=1>\n</text>\n</html>".to_vec();
        assert_eq!(PageInput::new(page.clone()).bytes, page);
    }

    #[test]
    fn split_rule() {
        assert_eq!(fnv1a64(b"foobar"), 0x85944171f73967e8);
        let ids: Vec<String> = (0..1000).map(|i| format!("page-{i}")).collect();
        let tune: Vec<&String> = ids.iter().filter(|i| Split::Tune.contains(i)).collect();
        assert!((650..750).contains(&tune.len()), "{}", tune.len());
        for id in &ids {
            assert_ne!(Split::Tune.contains(id), Split::Holdout.contains(id));
            assert_eq!(Split::Tune.contains(id), fnv1a64(id.as_bytes()) % 10 < 7);
        }
        // Pinned so the split cannot drift between versions.
        assert_eq!(fnv1a64(b"page-0"), 0xdc0e_9d79_98a8_9d03);
        assert!(Split::Holdout.contains("page-0")); // hash % 10 == 7
        assert!(Split::Tune.contains("page-1")); // 6
        assert!(Split::Tune.contains("001")); // 2
        assert!(Split::Holdout.contains("100")); // 8
        assert!("x".parse::<Split>().unwrap_err().contains("holdout"));
    }

    #[test]
    fn records() {
        let r = Record::from_json(
            r#"{"id":"r","url":null,"title":"T","byline":null,"date":"2020-01-02","text":"x","extra":1}"#,
        )
        .unwrap();
        assert_eq!(r.url, None);
        assert_eq!(r.meta(MetaField::Date), Some("2020-01-02"));
        assert_eq!(r.meta(MetaField::Byline), None);
        assert!(Record::from_json(r#"{"id":"r"}"#).is_err());
        assert!(Record::from_json(r#"{"text":"x"}"#).is_err());
        assert!(Record::from_json(r#"{"id":"a/b","text":"x"}"#).is_err());
    }

    #[test]
    fn load_reports_the_bad_line() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join("truth.jsonl"),
            "{\"id\":\"a\",\"text\":\"\"}\nnot json\n",
        )
        .unwrap();
        let err = EvalSet::load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("truth.jsonl:2:"), "{err}");
    }
}
