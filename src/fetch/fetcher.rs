//! The public face of fetching: [`Fetcher`] (a configured HTTP client plus
//! an extractor), the [`Batch`] it starts, and the [`Stopper`] that ends a
//! batch early.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use tokio::sync::{mpsc, watch, Semaphore};

use super::addresses::PublicOnly;
use super::dispatch::{self, Ctx};
use super::frontier::Frontier;
use super::http;
use super::job::Job;
use super::options::FetchOptions;
use super::record::FetchRecord;
use super::recorder::Recorder;
use crate::Extractor;

/// The fetcher could not be set up (for example, the user agent is not a
/// valid header value).
#[derive(Debug, thiserror::Error)]
#[error("cannot set up the HTTP client: {0}")]
pub struct BuildError(String);

/// Downloads pages politely and extracts them.
///
/// A `Fetcher` is cheap to clone, and its batches share its connection
/// pool and its limit on pages extracted at once.
///
/// ```no_run
/// # async fn demo() -> Result<(), copydesk::fetch::BuildError> {
/// use copydesk::fetch::{FetchOptions, Fetcher};
///
/// let fetcher = Fetcher::new(FetchOptions::default())?;
/// let record = fetcher.fetch("https://example.com/news/rain").await;
/// match &record.article.error {
///     None => println!("{}", record.article.text),
///     Some(e) => eprintln!("{}: {} ({})", record.source, e.kind, e.message),
/// }
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Fetcher {
    shared: Shared,
}

/// Everything the tasks of a batch need, shared through an `Arc`.
#[derive(Clone)]
pub(crate) struct Shared {
    pub client: reqwest::Client,
    pub options: FetchOptions,
    pub extractor: Extractor,
    pub recorder: Option<Arc<dyn Recorder>>,
    /// Permits for pages being extracted at once.
    pub extract_slots: Arc<Semaphore>,
    /// Permits for extractions given up on for running over their time
    /// budget but still running (a thread cannot be stopped): each frees
    /// its extraction slot by taking one of these, and past that number
    /// they keep their slots, so threads stay bounded.
    pub abandoned_slots: Arc<Semaphore>,
}

impl std::fmt::Debug for Fetcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fetcher")
            .field("options", &self.shared.options)
            .field("recorder", &self.shared.recorder.is_some())
            .finish_non_exhaustive()
    }
}

impl Fetcher {
    /// A fetcher with `options`.
    ///
    /// ```
    /// let f = copydesk::fetch::Fetcher::new(Default::default()).unwrap();
    /// assert_eq!(f.options().per_host, 2);
    /// let bad = copydesk::fetch::FetchOptions { user_agent: "a\nb".into(), ..Default::default() };
    /// assert!(copydesk::fetch::Fetcher::new(bad).is_err());
    /// ```
    pub fn new(options: FetchOptions) -> Result<Self, BuildError> {
        let mut builder = reqwest::Client::builder();
        if options.deny_private {
            builder = builder.dns_resolver(Arc::new(PublicOnly)).no_proxy();
        }
        let client = builder
            .user_agent(options.user_agent.as_str())
            .default_headers(http::default_headers())
            // Redirects are followed by the fetcher, one request at a time,
            // so that each hop keeps its host's limits and robots.txt.
            .redirect(reqwest::redirect::Policy::none())
            .referer(false)
            .connect_timeout(options.connect_timeout)
            .timeout(options.timeout)
            .use_rustls_tls()
            .build()
            .map_err(|e| BuildError(error_chain(&e)))?;
        let extract_slots = Arc::new(Semaphore::new(options.extract_jobs.max(1)));
        let abandoned_slots = Arc::new(Semaphore::new(options.extract_jobs.max(1)));
        Ok(Fetcher {
            shared: Shared {
                client,
                extractor: Extractor::new(options.extract.clone()),
                options,
                recorder: None,
                extract_slots,
                abandoned_slots,
            },
        })
    }

    /// Shows every HTTP exchange to `recorder` (to keep a WARC file, say).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use copydesk::fetch::{Exchange, Fetcher, Recorder};
    ///
    /// /// Prints the URL of every response.
    /// struct Trace;
    /// impl Recorder for Trace {
    ///     fn record(&self, exchange: &Exchange<'_>) {
    ///         eprintln!("fetched {}", exchange.url);
    ///     }
    /// }
    /// let fetcher = Fetcher::new(Default::default()).unwrap().with_recorder(Arc::new(Trace));
    /// # drop(fetcher);
    /// ```
    pub fn with_recorder(mut self, recorder: Arc<dyn Recorder>) -> Self {
        self.shared.recorder = Some(recorder);
        self
    }

    /// The options in force.
    ///
    /// ```
    /// let f = copydesk::fetch::Fetcher::new(Default::default()).unwrap();
    /// assert!(f.options().obey_robots);
    /// ```
    pub fn options(&self) -> &FetchOptions {
        &self.shared.options
    }

    /// Starts fetching `urls` and returns the batch, whose records arrive
    /// in the order they finish: one per URL, whatever happens to it.
    ///
    /// # Panics
    ///
    /// When called outside a tokio runtime, which must run the batch.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), copydesk::fetch::BuildError> {
    /// let fetcher = copydesk::fetch::Fetcher::new(Default::default())?;
    /// let urls = ["https://example.com/a", "https://example.org/b"].map(String::from);
    /// let mut batch = fetcher.start(urls);
    /// while let Some(record) = batch.next().await {
    ///     println!("{}", serde_json::to_string(&record).unwrap());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn start<I>(&self, urls: I) -> Batch
    where
        I: IntoIterator<Item = String>,
    {
        let options = &self.shared.options;
        let mut frontier = Frontier::new(options, Instant::now());
        let mut early = Vec::new();
        for source in urls {
            match Job::new(&source) {
                Ok(job) => frontier.push_back(job),
                Err(failure) => {
                    early.push(FetchRecord::failed(&source, failure.kind, failure.message))
                }
            }
        }
        let (out, records) = mpsc::channel(options.concurrency.max(1));
        let (events_tx, events_rx) = mpsc::unbounded_channel();
        let (stop_tx, stop_rx) = watch::channel(false);
        let left = Arc::new(AtomicUsize::new(0));
        let ctx = Arc::new(Ctx {
            shared: Arc::new(self.shared.clone()),
            events: events_tx,
            out,
        });
        tokio::spawn(dispatch::run(
            ctx,
            frontier,
            events_rx,
            stop_rx,
            early,
            left.clone(),
        ));
        Batch {
            records,
            stop: Stopper(Arc::new(stop_tx)),
            left,
        }
    }

    /// Fetches and extracts one URL.
    ///
    /// Each call is a batch of its own, with its own robots.txt cache and
    /// politeness clock: for many URLs, use [`Fetcher::start`].
    ///
    /// ```no_run
    /// # async fn demo() {
    /// let fetcher = copydesk::fetch::Fetcher::new(Default::default()).unwrap();
    /// let record = fetcher.fetch("https://example.com/").await;
    /// println!("{:?} {}", record.status, record.article.word_count);
    /// # }
    /// ```
    pub async fn fetch(&self, url: &str) -> FetchRecord {
        let mut batch = self.start([url.to_owned()]);
        match batch.next().await {
            Some(record) => record,
            // A batch yields a record per URL; this is only for safety.
            None => FetchRecord::failed(
                url,
                super::ErrorKind::Internal,
                "the batch ended without a record",
            ),
        }
    }
}

/// A running batch: its records, as they finish, and a way to stop it.
///
/// ```no_run
/// # async fn demo(fetcher: copydesk::fetch::Fetcher, urls: Vec<String>) {
/// let mut batch = fetcher.start(urls);
/// let (mut ok, mut failed) = (0, 0);
/// while let Some(record) = batch.next().await {
///     if record.article.error.is_none() { ok += 1 } else { failed += 1 }
/// }
/// println!("{ok} ok, {failed} failed, {} not fetched", batch.unfetched());
/// # }
/// ```
#[derive(Debug)]
pub struct Batch {
    records: mpsc::Receiver<FetchRecord>,
    stop: Stopper,
    left: Arc<AtomicUsize>,
}

impl Batch {
    /// The next record, or `None` when the batch is over.
    pub async fn next(&mut self) -> Option<FetchRecord> {
        self.records.recv().await
    }

    /// A handle that stops the batch from another task (on Ctrl-C, say).
    pub fn stopper(&self) -> Stopper {
        self.stop.clone()
    }

    /// After [`Batch::next`] has returned `None`: how many URLs were never
    /// fetched because the batch was stopped (none if it ran to its end).
    pub fn unfetched(&self) -> usize {
        self.left.load(Ordering::SeqCst)
    }
}

/// Stops a [`Batch`]: no new request starts, requests in flight finish
/// and are recorded, and the batch then ends.
///
/// ```no_run
/// # async fn demo() {
/// let fetcher = copydesk::fetch::Fetcher::new(Default::default()).unwrap();
/// let mut batch = fetcher.start(vec!["https://example.com/".to_owned()]);
/// let stopper = batch.stopper();
/// tokio::spawn(async move {
///     let _ = tokio::signal::ctrl_c().await;
///     stopper.stop();
/// });
/// while let Some(record) = batch.next().await { /* ... */ }
/// eprintln!("{} URLs left for next time", batch.unfetched());
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct Stopper(Arc<watch::Sender<bool>>);

impl Stopper {
    /// Asks the batch to stop; calling it again does nothing more.
    pub fn stop(&self) {
        self.0.send_replace(true);
    }
}

/// An error's message and causes, for messages that must say what broke.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut next = error.source();
    while let Some(cause) = next {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        next = cause.source();
    }
    text
}
