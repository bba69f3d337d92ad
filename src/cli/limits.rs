//! The limit options commands share (`--max-bytes`, `--truncate`,
//! `--timeout`), and what they turn into: extractor options and a time
//! budget per page for the ordered runner.

use std::time::Duration;

use copydesk::{limits, Article, Options};

use super::ordered::Budget;

/// Options that bound the work one page may cost.
#[derive(Debug, Clone, clap::Args)]
pub struct LimitArgs {
    /// Largest page read, in bytes; larger pages are `too_large` records
    /// (or cut, with --truncate).
    #[arg(long, value_name = "BYTES", default_value_t = limits::MAX_BYTES)]
    pub max_bytes: usize,

    /// Extract the first --max-bytes of a larger page instead of refusing
    /// it; its record has `"truncated": true`.
    #[arg(long)]
    pub truncate: bool,

    #[command(flatten)]
    pub time: TimeArgs,
}

impl LimitArgs {
    /// `base` with these limits.
    pub fn options(&self, base: Options) -> Options {
        Options {
            max_bytes: self.max_bytes,
            truncate: self.truncate,
            ..self.time.options(base)
        }
    }
}

/// The time one page may take (`--timeout`).
#[derive(Debug, Clone, clap::Args)]
pub struct TimeArgs {
    /// Seconds one page may take; a page over it becomes a `timeout` record
    /// and the run goes on. 0 for no limit.
    #[arg(long, value_name = "SECONDS", default_value = "10", value_parser = seconds)]
    pub timeout: Duration,
}

impl TimeArgs {
    /// `base` with this time budget.
    pub fn options(&self, base: Options) -> Options {
        Options {
            // The extractor gives up at the same budget as the runner, so
            // that a thread working on an over-budget page comes back soon.
            time_budget: self.time_budget(),
            ..base
        }
    }

    /// The time budget per page, if there is one.
    pub fn time_budget(&self) -> Option<Duration> {
        budget(self.timeout)
    }

    /// The runner's budget for items of type `T`: `label` keeps what is
    /// needed of an item while it runs, `late` renders from it the
    /// `timeout` record standing in for the item.
    pub fn budget<T, R, L>(
        &self,
        label: impl Fn(&T) -> L + 'static,
        late: impl Fn(L, Article) -> R + 'static,
    ) -> Option<Budget<T, R, L>> {
        let per_item = self.time_budget()?;
        Some(Budget {
            per_item,
            label: Box::new(label),
            late: Box::new(move |label, budget| {
                let e = copydesk::Error::Timeout { budget };
                late(label, Article::failed(None, e.kind(), e.to_string()))
            }),
        })
    }
}

/// A time budget given in seconds: none for 0.
pub fn budget(seconds: Duration) -> Option<Duration> {
    (!seconds.is_zero()).then_some(seconds)
}

/// The longest time any option takes: over eleven days, far beyond any use,
/// and small enough that adding it to a clock never overflows.
const MAX_SECONDS: f64 = 1e6;

/// Parses a number of seconds such as `1`, `0.25` or `0`.
pub fn seconds(text: &str) -> Result<Duration, String> {
    let value: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if value > MAX_SECONDS {
        return Err(format!("`{text}`: at most {MAX_SECONDS} seconds"));
    }
    Duration::try_from_secs_f64(value)
        .map_err(|_| format!("`{text}` is not a number of seconds (0 or more)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_take_fractions_and_refuse_nonsense() {
        assert_eq!(seconds("0.5"), Ok(Duration::from_millis(500)));
        assert_eq!(seconds("0"), Ok(Duration::ZERO));
        assert!(seconds("-1").is_err());
        assert!(seconds("soon").is_err());
        assert!(seconds("1e300").is_err());
    }

    #[test]
    fn zero_timeout_means_no_budget() {
        let args = LimitArgs {
            max_bytes: 10,
            truncate: true,
            time: TimeArgs {
                timeout: Duration::ZERO,
            },
        };
        let options = args.options(Options::default());
        assert_eq!((options.max_bytes, options.truncate), (10, true));
        assert_eq!(options.time_budget, None);
        assert!(args
            .time
            .budget::<u8, Article, ()>(|_| (), |_, a| a)
            .is_none());
    }
}
