//! Hard limits that keep one hostile page from costing a batch its run.
//!
//! Each limit has a default that no ordinary page comes near, so users never
//! need to think about them; [`crate::Options`] carries the ones in force.
//!
//! | limit | default | past it |
//! | --- | --- | --- |
//! | input size | [`MAX_BYTES`] (20 MiB) | `too_large` error, or the first bytes only with `truncate` |
//! | nodes | [`MAX_NODES`] (1,000,000) | the parse stops; the page so far is extracted, `truncated` set |
//! | nesting | [`MAX_DEPTH`] (256) | deeper elements are flattened into their ancestor; text kept |
//! | time | [`TIME_BUDGET`] (10 s, command line) | `timeout` error record |
//!
//! The page goes through [`tame`] (a linear pre-pass that keeps html5ever's
//! work linear) and [`parse`] (a parse fed in slices, stopped at the node
//! cap or the deadline) before extraction; the arena of the extractor is
//! capped again ([`crate::extract::dom::Dom::build_capped`]).

use std::time::{Duration, Instant};

use crate::Error;

pub mod parse;
pub mod tame;

/// Default input size limit: 20 MiB, several times the largest real pages.
pub const MAX_BYTES: usize = 20 * 1024 * 1024;

/// Default cap on the nodes of a parsed page. The largest real pages hold a
/// few hundred thousand; past the cap the rest of the page is left out,
/// which keeps time and memory in proportion to the cap.
pub const MAX_NODES: usize = 1_000_000;

/// Default nesting cap. Real pages stay well under 100 levels; browsers
/// flatten at a similar depth (Blink's parser at 512). Each start tag costs
/// html5ever time in proportion to the depth, so the cap also bounds the
/// parse's cost per tag.
pub const MAX_DEPTH: usize = 256;

/// Default time a command-line run gives one page before reporting `timeout`.
pub const TIME_BUDGET: Duration = Duration::from_secs(10);

/// A point in time past which work on a page is abandoned.
///
/// ```
/// use std::time::Duration;
/// let generous = copydesk::limits::Deadline::after(Duration::from_secs(60));
/// assert!(generous.check().is_ok());
/// let spent = copydesk::limits::Deadline::after(Duration::ZERO);
/// assert_eq!(spent.check().unwrap_err().kind(), "timeout");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    at: Instant,
    budget: Duration,
}

impl Deadline {
    /// The deadline `budget` from now.
    pub fn after(budget: Duration) -> Self {
        let now = Instant::now();
        Deadline {
            // A budget too large to add is no deadline in practice.
            at: now
                .checked_add(budget)
                .unwrap_or(now + Duration::from_secs(1 << 40)),
            budget,
        }
    }

    /// `Err(Error::Timeout)` once the deadline has passed.
    pub fn check(&self) -> Result<(), Error> {
        if Instant::now() >= self.at {
            Err(Error::Timeout {
                budget: self.budget,
            })
        } else {
            Ok(())
        }
    }
}

/// The longest prefix of `text` of at most `max` bytes that ends on a
/// character boundary.
///
/// ```
/// assert_eq!(copydesk::limits::prefix("naïve", 3), "na");
/// assert_eq!(copydesk::limits::prefix("abc", 10), "abc");
/// ```
pub fn prefix(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}
