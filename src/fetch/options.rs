//! The settings of a [`Fetcher`](super::Fetcher): politeness, limits and
//! the extraction options applied to each page.

use std::time::Duration;

/// The user agent sent by default: `copydesk/<version> (+<repository>)`, so
/// that a site operator who sees it in a log can find out what it is.
///
/// ```
/// assert!(copydesk::fetch::DEFAULT_USER_AGENT.starts_with("copydesk/"));
/// ```
pub const DEFAULT_USER_AGENT: &str = concat!(
    "copydesk/",
    env!("CARGO_PKG_VERSION"),
    " (+",
    env!("CARGO_PKG_REPOSITORY"),
    ")"
);

/// How to fetch: concurrency, politeness, retries, limits, extraction.
///
/// The defaults are polite for crawling other people's sites: two
/// connections and one second between requests per host, robots.txt obeyed.
///
/// ```
/// use std::time::Duration;
/// let opts = copydesk::fetch::FetchOptions {
///     per_host: 4,
///     delay: Duration::from_millis(250),
///     ..Default::default()
/// };
/// assert_eq!(opts.concurrency, 32);
/// assert!(opts.obey_robots);
/// ```
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// The `User-Agent` header; its first word (before `/` or a space) is
    /// the name matched against robots.txt groups.
    pub user_agent: String,
    /// Requests in flight at once over all hosts (at least 1). A page holds
    /// its place until it is extracted and its record handed over, so this
    /// also bounds the pages held in memory.
    pub concurrency: usize,
    /// Requests in flight at once to one host; 0 means no per-host limit.
    pub per_host: usize,
    /// Least time between the starts of two requests to one host; a larger
    /// robots.txt `Crawl-delay` wins.
    pub delay: Duration,
    /// How often a transient failure (connect error, timeout, HTTP 429 or
    /// 5xx) is retried for one URL.
    pub retries: u32,
    /// The first retry waits about this long, each later one twice as long
    /// as the one before, with random jitter; a `Retry-After` header
    /// overrides it.
    pub backoff: Duration,
    /// A failure whose `Retry-After` asks for a longer wait than this is
    /// recorded instead of retried.
    pub max_retry_wait: Duration,
    /// Time allowed to open a connection (TCP and TLS).
    pub connect_timeout: Duration,
    /// Time allowed for one whole request, from connecting to the last byte
    /// of the body.
    pub timeout: Duration,
    /// Redirects followed for one URL before it fails as `too_many_redirects`.
    pub max_redirects: usize,
    /// Refuse hosts that are, or resolve only to, addresses that are not
    /// public (loopback, private networks, link-local, CGNAT and the like:
    /// see [`is_private`](super::is_private)), on every request, redirects
    /// and robots.txt included; such inputs fail as `blocked`. Names are
    /// checked after resolution and the connection goes to a checked
    /// address. For services that fetch URLs their users give. Proxies set
    /// in the environment are then not used, since a proxy would resolve
    /// names where the check cannot see.
    pub deny_private: bool,
    /// Fetch robots.txt once per site and skip what it disallows.
    pub obey_robots: bool,
    /// `Crawl-delay` values above this are cut to it, so that one site
    /// cannot hold a batch for hours.
    pub max_crawl_delay: Duration,
    /// Pages extracted at once, on threads of their own (at least 1).
    pub extract_jobs: usize,
    /// Extraction settings; `extract.max_bytes` is also the largest body
    /// downloaded (larger ones fail as `too_large` as soon as they cross it),
    /// and `extract.time_budget` the time one page's extraction may take
    /// (past it the record is a `timeout` error, even if the extraction is
    /// stuck where it does not check the time).
    pub extract: crate::Options,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            concurrency: 32,
            per_host: 2,
            delay: Duration::from_secs(1),
            retries: 2,
            backoff: Duration::from_secs(1),
            max_retry_wait: Duration::from_secs(120),
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_redirects: 10,
            deny_private: false,
            obey_robots: true,
            max_crawl_delay: Duration::from_secs(60),
            extract_jobs: std::thread::available_parallelism().map_or(1, usize::from),
            extract: crate::Options::default(),
        }
    }
}

impl FetchOptions {
    /// The product name robots.txt groups are matched against: the user
    /// agent's first word, before any `/` or space.
    ///
    /// ```
    /// let opts = copydesk::fetch::FetchOptions::default();
    /// assert_eq!(opts.robots_name(), "copydesk");
    /// ```
    pub fn robots_name(&self) -> &str {
        let name = self
            .user_agent
            .split(|c: char| c == '/' || c.is_whitespace())
            .next()
            .unwrap_or("");
        if name.is_empty() {
            "*"
        } else {
            name
        }
    }
}
