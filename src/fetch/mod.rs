//! Polite, concurrent fetching of web pages, each extracted into a record
//! (feature `fetch`, on by default).
//!
//! A [`Fetcher`] downloads a batch of URLs over HTTP(S) and extracts each
//! page, yielding exactly one [`FetchRecord`] per URL: the article, or an
//! `error` whose [`ErrorKind`] says what went wrong. Along the way it
//!
//! - keeps a queue per host, with at most [`FetchOptions::per_host`]
//!   requests in flight and [`FetchOptions::delay`] between request starts
//!   to each host, and [`FetchOptions::concurrency`] over all hosts; a slow
//!   or busy host never holds up the others;
//! - fetches robots.txt once per site, obeys it and its `Crawl-delay`;
//! - retries connect errors, timeouts, 429 and 5xx with exponential backoff
//!   and jitter, honouring `Retry-After`;
//! - follows redirects itself (http and https only, at most ten, loops
//!   caught), so each hop keeps its host's limits and robots.txt;
//! - with [`FetchOptions::deny_private`], refuses loopback, private and
//!   other non-public addresses, checked after DNS resolution;
//! - downloads only HTML and XHTML, within a size limit checked as the body
//!   streams in, and decodes gzip, brotli, deflate and zstd;
//! - extracts on a thread pool of its own, with the response's
//!   `Content-Type` charset taken into account.
//!
//! ```no_run
//! # async fn demo() -> Result<(), copydesk::fetch::BuildError> {
//! use copydesk::fetch::{FetchOptions, Fetcher};
//!
//! let fetcher = Fetcher::new(FetchOptions::default())?;
//! let mut batch = fetcher.start(vec!["https://example.com/a".to_owned()]);
//! while let Some(record) = batch.next().await {
//!     println!("{} {:?} {}", record.source, record.status, record.article.word_count);
//! }
//! # Ok(()) }
//! ```

mod addresses;
mod dispatch;
mod failure;
mod fetcher;
mod frontier;
mod http;
mod job;
mod options;
mod page;
mod record;
mod recorder;
mod retry;
mod robots;

pub use addresses::is_private;
pub use fetcher::{Batch, BuildError, Fetcher, Stopper};
pub use options::{FetchOptions, DEFAULT_USER_AGENT};
pub use record::{ErrorKind, FetchRecord};
pub use recorder::{Exchange, Recorder};
