//! Where the time of one extraction goes, stage by stage (for `copydesk bench`).
//!
//! The stages are timed with [`std::time::Instant`] laps, a few tens of
//! nanoseconds each, so the timed pipeline is the real one: there is no
//! separate "benchmark build" of the extractor to drift out of step.

use std::time::{Duration, Instant};

use crate::extract;

/// Time spent in each stage of [`Extractor::extract_bytes_timed`](crate::Extractor::extract_bytes_timed),
/// summed over calls.
///
/// ```
/// let ex = copydesk::Extractor::default();
/// let mut t = copydesk::Timings::default();
/// ex.extract_bytes_timed(b"<p>One sentence of text, long enough to count.</p>", None, None, &mut t);
/// assert!(t.total() >= t.parse);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    /// Bytes to UTF-8 text.
    pub decode: Duration,
    /// Dropping never-content markup before the parse ([`crate::prefilter`]).
    pub prefilter: Duration,
    /// Repairing and capping the markup for the parse ([`crate::repair`],
    /// [`crate::limits::tame`]).
    pub guard: Duration,
    /// Building the tree (`scraper::Html::parse_document`).
    pub parse: Duration,
    /// Reading the metadata from the tree.
    pub metadata: Duration,
    /// The extractor's own stages.
    pub extract: extract::Timings,
    /// Language detection and word count for the record.
    pub finish: Duration,
    /// Freeing the tree.
    pub free: Duration,
}

impl Timings {
    /// The time of all stages together.
    pub fn total(&self) -> Duration {
        self.decode
            + self.prefilter
            + self.guard
            + self.parse
            + self.metadata
            + self.extract_total()
            + self.finish
            + self.free
    }

    /// The time of the extractor's own stages together.
    pub fn extract_total(&self) -> Duration {
        let e = &self.extract;
        e.arena + e.prune + e.score + e.select + e.clean + e.assemble
    }

    /// Adds `other`'s times to these.
    pub fn add(&mut self, other: &Timings) {
        self.decode += other.decode;
        self.prefilter += other.prefilter;
        self.guard += other.guard;
        self.parse += other.parse;
        self.metadata += other.metadata;
        add_extract(&mut self.extract, &other.extract);
        self.finish += other.finish;
        self.free += other.free;
    }
}

impl Timings {
    /// Runs the extractor, which times its own stages. Its assembly lap
    /// after the retry ladder also counts the ladder's time, so assembly is
    /// taken as what the other stages leave of the call's wall time.
    pub(crate) fn extractor<T>(&mut self, run: impl FnOnce(&mut extract::Timings) -> T) -> T {
        let mut own = extract::Timings::default();
        let start = Instant::now();
        let out = run(&mut own);
        let wall = start.elapsed();
        own.assemble =
            wall.saturating_sub(own.arena + own.prune + own.score + own.select + own.clean);
        add_extract(&mut self.extract, &own);
        out
    }
}

fn add_extract(e: &mut extract::Timings, o: &extract::Timings) {
    e.arena += o.arena;
    e.prune += o.prune;
    e.score += o.score;
    e.select += o.select;
    e.clean += o.clean;
    e.assemble += o.assemble;
}

/// Adds the time since `*clock` to `slot` and restarts the clock.
pub(crate) fn lap(clock: &mut Instant, slot: &mut Duration) {
    let now = Instant::now();
    *slot += now - *clock;
    *clock = now;
}
