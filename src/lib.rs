//! copydesk turns web pages — news articles first — into clean text and metadata.
//!
//! The common case is one call:
//!
//! ```
//! let html = r#"<html lang="en"><head><title>Rain due | Daily Bugle</title></head>
//! <body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
//! <article><h1>Rain due</h1>
//! <p>Rain is expected across the north of the country on Friday, forecasters said,
//! with heavy showers likely to reach the coast by the evening.</p>
//! <p>Drivers have been told to take care on exposed roads, and ferries may be delayed.</p>
//! </article><footer>© Daily Bugle</footer></body></html>"#;
//! let article = copydesk::extract(html, Some("https://example.com/rain"));
//! assert_eq!(article.title.as_deref(), Some("Rain due"));
//! assert!(article.text.starts_with("Rain due\nRain is expected"));
//! assert!(!article.text.contains("Home"));
//! ```
//!
//! For bytes of unknown encoding, options such as Markdown output, or many
//! pages with the same settings, build an [`Extractor`].
#![forbid(unsafe_code)]

pub mod article;
mod ascii;
pub mod decode;
pub mod eval;
pub mod extract;
#[cfg(feature = "fetch")]
pub mod fetch;
pub mod guard;
pub mod lang;
pub mod limits;
pub mod metadata;
pub mod prefilter;
pub mod repair;
pub mod timings;
pub mod warc;

pub use article::{Article, ErrorInfo};
pub use timings::Timings;

use std::borrow::Cow;
use std::time::{Duration, Instant};

/// Why a page could not be processed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The bytes could not be turned into text.
    #[error("cannot decode page: {0}")]
    Decode(String),
    /// The page is larger than [`Options::max_bytes`].
    #[error("page is {size} bytes, over the limit of {limit} bytes")]
    TooLarge {
        /// Size of the input in bytes.
        size: usize,
        /// The limit in force.
        limit: usize,
    },
    /// Work on the page took longer than [`Options::time_budget`].
    #[error("page took longer than its time budget of {} s", budget.as_secs_f64())]
    Timeout {
        /// The budget in force.
        budget: Duration,
    },
}

impl Error {
    /// The stable, machine-readable kind written in error records.
    ///
    /// ```
    /// assert_eq!(copydesk::Error::Decode("x".into()).kind(), "decode");
    /// ```
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Decode(_) => "decode",
            Error::TooLarge { .. } => "too_large",
            Error::Timeout { .. } => "timeout",
        }
    }
}

/// Settings for an [`Extractor`].
///
/// The limits (`max_bytes`, `truncate`, `max_nodes`, `max_depth`,
/// `time_budget`) default to values no ordinary page comes near; see
/// [`limits`] for what each one does to a page past it.
///
/// ```
/// let opts = copydesk::Options { markdown: true, ..Default::default() };
/// assert!(opts.markdown);
/// assert_eq!(opts.max_bytes, copydesk::limits::MAX_BYTES);
/// ```
#[derive(Debug, Clone)]
pub struct Options {
    /// Also render the body as Markdown into [`Article::markdown`].
    pub markdown: bool,
    /// Put user comments into [`Article::comments`] (they never enter `text`).
    pub comments: bool,
    /// Let the learned line model review the rules' choice of lines (on by
    /// default; see [`extract::model`]). Off, extraction is about 12 % faster
    /// and follows the hand-written rules alone.
    pub line_model: bool,
    /// Pages larger than this many bytes yield a `too_large` error record
    /// (default [`limits::MAX_BYTES`], 20 MiB).
    pub max_bytes: usize,
    /// Extract the first `max_bytes` of a larger page instead of refusing
    /// it; the record then has `truncated` set. Bytes are cut before
    /// decoding and the text again after, on a character boundary.
    pub truncate: bool,
    /// Nodes of the parsed page past which the rest of the page is left out
    /// and `truncated` set (default [`limits::MAX_NODES`]).
    pub max_nodes: usize,
    /// Nesting depth past which elements are flattened into their ancestor,
    /// keeping their text (default [`limits::MAX_DEPTH`]).
    pub max_depth: usize,
    /// Time one page may take, checked between stages of the work: past it
    /// the record is a `timeout` error. `None` (the default) for no limit;
    /// the command line sets [`limits::TIME_BUDGET`].
    pub time_budget: Option<Duration>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            markdown: false,
            comments: false,
            line_model: true,
            max_bytes: limits::MAX_BYTES,
            truncate: false,
            max_nodes: limits::MAX_NODES,
            max_depth: limits::MAX_DEPTH,
            time_budget: None,
        }
    }
}

/// Extracts articles with fixed [`Options`]; cheap to share across threads.
///
/// ```
/// let ex = copydesk::Extractor::new(copydesk::Options::default());
/// let a = ex.extract_bytes(b"<p>Short page with one long enough sentence, of some words.</p>",
///     Some("text/html; charset=utf-8"), None);
/// assert!(a.error.is_none());
/// ```
#[derive(Debug, Clone, Default)]
pub struct Extractor {
    options: Options,
}

impl Extractor {
    /// An extractor with the given options.
    pub fn new(options: Options) -> Self {
        Extractor { options }
    }

    /// The options in force.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Extracts from already-decoded HTML.
    pub fn extract(&self, html: &str, url: Option<&str>) -> Article {
        self.extract_timed(html, url, &mut Timings::default())
    }

    /// [`Extractor::extract`], adding each stage's time to `timings` (for `copydesk bench`).
    pub fn extract_timed(&self, html: &str, url: Option<&str>, timings: &mut Timings) -> Article {
        let deadline = self.options.time_budget.map(limits::Deadline::after);
        self.fit(html.as_bytes())
            .and_then(|cut| {
                let text = limits::prefix(html, cut.len());
                let mut article = self.extract_within(text, url, deadline.as_ref(), timings)?;
                article.truncated |= text.len() < html.len();
                Ok(article)
            })
            .unwrap_or_else(|e| Article::failed(url, e.kind(), e.to_string()))
    }

    /// `input` within [`Options::max_bytes`]: whole, cut to the limit when
    /// [`Options::truncate`] is set, or a `too_large` error.
    fn fit<'i>(&self, input: &'i [u8]) -> Result<&'i [u8], Error> {
        let limit = self.options.max_bytes;
        match input.len() {
            size if size <= limit => Ok(input),
            _ if self.options.truncate => Ok(&input[..limit]),
            size => Err(Error::TooLarge { size, limit }),
        }
    }

    /// Parses a page as extraction does: the pre-pass (strip and tame in one
    /// scan; repair and tame again only where it stopped early), then the
    /// parse within the node cap and the deadline. The learned line model is
    /// trained on trees made here, so that it sees what extraction sees.
    ///
    /// ```
    /// let ex = copydesk::Extractor::default();
    /// let parsed = ex.parse_page("<p>Hello<script>x()</script></p>", None, &mut Default::default()).unwrap();
    /// assert!(!parsed.doc.html().contains("x()"));
    /// ```
    pub fn parse_page(
        &self,
        html: &str,
        deadline: Option<&limits::Deadline>,
        timings: &mut Timings,
    ) -> Result<limits::parse::Parsed, Error> {
        let mut clock = Instant::now();
        let caps = limits::tame::Caps {
            max_depth: self.options.max_depth,
            ..Default::default()
        };
        let stripped = prefilter::strip_tamed(html, self.options.markdown, &caps);
        timings::lap(&mut clock, &mut timings.prefilter);
        // Only a page the pre-pass could not follow to its end still needs
        // the repair and the tame pass over what it passed through.
        let tamed = if stripped.whole {
            stripped.html
        } else {
            let repaired = repair::close_raw_text(&stripped.html);
            Cow::Owned(limits::tame::tame(&repaired, &caps).html.into_owned())
        };
        timings::lap(&mut clock, &mut timings.guard);
        let parsed = limits::parse::parse(&tamed, self.options.max_nodes, deadline)?;
        drop(tamed);
        timings::lap(&mut clock, &mut timings.parse);
        Ok(parsed)
    }

    /// The pipeline on text already within the size limit: the pre-pass
    /// (strip and tame in one scan; repair and tame again only where it
    /// stopped early), parse within the node cap, metadata, body. The deadline is checked
    /// before each stage; the parse checks it as it goes.
    fn extract_within(
        &self,
        html: &str,
        url: Option<&str>,
        deadline: Option<&limits::Deadline>,
        timings: &mut Timings,
    ) -> Result<Article, Error> {
        let check = || deadline.map_or(Ok(()), limits::Deadline::check);
        let parsed = self.parse_page(html, deadline, timings)?;
        check()?;
        // One walk of the tree serves the metadata and the arena.
        let (scan, body) = timings.extractor(|t| {
            let mut scan = metadata::Scan::default();
            let body =
                extract::extract_body_visiting(&parsed.doc, &self.options, t, |el| scan.visit(el));
            (scan, body)
        });
        let mut clock = Instant::now();
        let meta = scan.finish(&parsed.doc, url);
        timings::lap(&mut clock, &mut timings.metadata);
        check()?;
        drop(parsed.doc);
        timings::lap(&mut clock, &mut timings.free);
        let mut article = assemble_article(meta, body, url);
        article.truncated = parsed.truncated;
        timings::lap(&mut clock, &mut timings.finish);
        Ok(article)
    }

    /// Decodes raw page bytes (BOM, `content_type` charset, `<meta>` charset,
    /// then a detector) and extracts from them.
    pub fn extract_bytes(
        &self,
        bytes: &[u8],
        content_type: Option<&str>,
        url: Option<&str>,
    ) -> Article {
        self.extract_bytes_timed(bytes, content_type, url, &mut Timings::default())
    }

    /// [`Extractor::extract_bytes`], adding each stage's time to `timings`
    /// (for `copydesk bench`).
    pub fn extract_bytes_timed(
        &self,
        bytes: &[u8],
        content_type: Option<&str>,
        url: Option<&str>,
        timings: &mut Timings,
    ) -> Article {
        let deadline = self.options.time_budget.map(limits::Deadline::after);
        let result = self.fit(bytes).and_then(|cut| {
            let mut clock = Instant::now();
            let decoded = decode::decode_borrowed(cut, content_type);
            timings::lap(&mut clock, &mut timings.decode);
            // The bytes were within the limit; text decoded from a legacy
            // encoding may be longer, and is not refused for that.
            let decoded = decoded?;
            let text = if self.options.truncate {
                limits::prefix(&decoded, self.options.max_bytes)
            } else {
                &decoded
            };
            let mut article = self.extract_within(text, url, deadline.as_ref(), timings)?;
            article.truncated |= cut.len() < bytes.len() || text.len() < decoded.len();
            Ok(article)
        });
        result.unwrap_or_else(|e| Article::failed(url, e.kind(), e.to_string()))
    }
}

fn assemble_article(meta: metadata::Metadata, body: extract::Body, url: Option<&str>) -> Article {
    let lang = meta.lang.clone().or_else(|| lang::detect(&body.text));
    Article {
        url: url.map(str::to_owned).or(meta.canonical_url),
        title: meta.title,
        byline: meta.byline.or(body.byline),
        date: meta.date,
        site_name: meta.site_name,
        lang,
        description: meta.description,
        image: meta.image,
        word_count: article::count_words(&body.text),
        text: body.text,
        markdown: body.markdown,
        comments: body.comments,
        truncated: false,
        error: None,
    }
}

/// Extracts the article of an HTML page with default options.
///
/// `url` is the page's address, used to resolve relative links and reported
/// in the record; pass `None` when unknown.
///
/// ```
/// let a = copydesk::extract("<html><body><p>A sentence that is long enough to be kept, \
///     with a comma or two, as article text.</p></body></html>", None);
/// assert_eq!(a.word_count, 17);
/// ```
pub fn extract(html: &str, url: Option<&str>) -> Article {
    Extractor::default().extract(html, url)
}
