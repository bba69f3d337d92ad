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
pub mod decode;
pub mod eval;
pub mod extract;
#[cfg(feature = "fetch")]
pub mod fetch;
pub mod lang;
pub mod limits;
pub mod metadata;
pub mod repair;
pub mod timings;
pub mod warc;

pub use article::{Article, ErrorInfo};
pub use timings::Timings;

use std::time::Instant;

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
        }
    }
}

/// Settings for an [`Extractor`].
///
/// ```
/// let opts = copydesk::Options { markdown: true, ..Default::default() };
/// assert!(opts.markdown);
/// ```
#[derive(Debug, Clone)]
pub struct Options {
    /// Also render the body as Markdown into [`Article::markdown`].
    pub markdown: bool,
    /// Put user comments into [`Article::comments`] (they never enter `text`).
    pub comments: bool,
    /// Pages larger than this many bytes yield a `too_large` error record.
    pub max_bytes: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            markdown: false,
            comments: false,
            max_bytes: 20 * 1024 * 1024,
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
        if html.len() > self.options.max_bytes {
            let e = Error::TooLarge {
                size: html.len(),
                limit: self.options.max_bytes,
            };
            return Article::failed(url, e.kind(), e.to_string());
        }
        let mut clock = Instant::now();
        let doc = scraper::Html::parse_document(&repair::close_raw_text(html));
        timings::lap(&mut clock, &mut timings.parse);
        let meta = metadata::extract(&doc, url);
        timings::lap(&mut clock, &mut timings.metadata);
        let body = extract::extract_body_timed(&doc, &meta, &self.options, &mut timings.extract);
        clock = Instant::now();
        drop(doc);
        timings::lap(&mut clock, &mut timings.free);
        let article = assemble_article(meta, body, url);
        timings::lap(&mut clock, &mut timings.finish);
        article
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
        if bytes.len() > self.options.max_bytes {
            let e = Error::TooLarge {
                size: bytes.len(),
                limit: self.options.max_bytes,
            };
            return Article::failed(url, e.kind(), e.to_string());
        }
        let mut clock = Instant::now();
        let decoded = decode::decode(bytes, content_type);
        timings::lap(&mut clock, &mut timings.decode);
        match decoded {
            Ok(text) => self.extract_timed(&text, url, timings),
            Err(e) => Article::failed(url, e.kind(), e.to_string()),
        }
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
