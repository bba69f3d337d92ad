//! Hard limits that keep one hostile page from costing a batch its run.
//!
//! Each limit has a default that no ordinary page comes near, so users never
//! need to think about them; [`crate::Options`] carries the ones in force.
//! A page over [`MAX_BYTES`] is refused (or cut, on request), a parsed page
//! is capped at [`MAX_NODES`] nodes and [`MAX_DEPTH`] levels of nesting, and
//! the command line gives each page [`TIME_BUDGET`] before it reports a
//! `timeout` and moves on.

use std::time::Duration;

/// Default input size limit: 20 MiB, several times the largest real pages.
pub const MAX_BYTES: usize = 20 * 1024 * 1024;

/// Default cap on nodes of the extractor's arena. The largest real pages
/// hold a few hundred thousand; beyond the cap the rest of the page is left
/// out, which keeps the extractor's time and memory bounded.
pub const MAX_NODES: usize = 1_000_000;

/// Default nesting cap. Browsers flatten at about this depth too (Blink's
/// parser stops nesting at 512); real pages stay well under 100.
pub const MAX_DEPTH: usize = 512;

/// Default time a command-line run gives one page before reporting `timeout`.
pub const TIME_BUDGET: Duration = Duration::from_secs(10);
