//! Running counts of a fetch run, for the progress bar and the closing
//! summary on stderr.

use std::collections::BTreeMap;
use std::time::Instant;

/// Records written so far, by outcome.
#[derive(Debug)]
pub struct Tally {
    pub ok: usize,
    /// Failed records by `error.kind`, sorted by kind.
    pub errors: BTreeMap<String, usize>,
    started: Instant,
}

impl Tally {
    pub fn new() -> Self {
        Tally {
            ok: 0,
            errors: BTreeMap::new(),
            started: Instant::now(),
        }
    }

    /// Counts one record, failed with `kind` or not.
    pub fn add(&mut self, error_kind: Option<&str>) {
        match error_kind {
            None => self.ok += 1,
            Some(kind) => *self.errors.entry(kind.to_owned()).or_insert(0) += 1,
        }
    }

    pub fn failed(&self) -> usize {
        self.errors.values().sum()
    }

    pub fn done(&self) -> usize {
        self.ok + self.failed()
    }

    /// `ok 12, errors 3, 4.1/s`: the counts shown beside the progress bar.
    pub fn brief(&self) -> String {
        let seconds = self.started.elapsed().as_secs_f64().max(1e-3);
        format!(
            "ok {}, errors {}, {:.1}/s",
            self.ok,
            self.failed(),
            self.done() as f64 / seconds
        )
    }

    /// `12 ok, 3 failed (http_status 2, timeout 1) in 4.2 s`: the summary.
    pub fn summary(&self) -> String {
        let mut text = format!("{} ok, {} failed", self.ok, self.failed());
        if !self.errors.is_empty() {
            let kinds: Vec<String> = self
                .errors
                .iter()
                .map(|(k, n)| format!("{k} {n}"))
                .collect();
            text.push_str(&format!(" ({})", kinds.join(", ")));
        }
        text.push_str(&format!(
            " in {:.1} s",
            self.started.elapsed().as_secs_f64()
        ));
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_by_kind() {
        let mut t = Tally::new();
        t.add(None);
        t.add(Some("timeout"));
        t.add(Some("http_status"));
        t.add(Some("timeout"));
        assert_eq!((t.ok, t.failed(), t.done()), (1, 3, 4));
        assert!(t
            .summary()
            .starts_with("1 ok, 3 failed (http_status 1, timeout 2) in "));
        assert!(t.brief().starts_with("ok 1, errors 3, "));
    }
}
