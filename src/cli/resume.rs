//! `--resume` (of `extract`, `fetch` and `warc`): reads what an earlier run
//! already wrote to the JSONL output file, repairs a torn last line, and
//! says which inputs need no new record, by a key each command reads from
//! its records ([`Line`]).

use std::borrow::Borrow;
use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::hash::Hash;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::Deserialize;

/// The fields of an output line that resuming needs: what identifies the
/// input it stands for, and whether it failed.
pub trait Line: DeserializeOwned {
    /// What identifies an input across runs.
    type Key: Hash + Eq;
    /// Whether the record is an error record.
    fn failed(&self) -> bool;
    /// The record's key.
    fn into_key(self) -> Self::Key;
}

/// Records keyed by `source` (the input as given): `extract` and `fetch`.
#[derive(Deserialize)]
pub struct BySource {
    source: String,
    #[serde(default)]
    error: Option<serde_json::Value>,
}

impl Line for BySource {
    type Key = String;
    fn failed(&self) -> bool {
        is_error(self.error.as_ref())
    }
    fn into_key(self) -> String {
        self.source
    }
}

/// Whether a record's `error` field holds an error.
pub fn is_error(error: Option<&serde_json::Value>) -> bool {
    error.is_some_and(|e| !e.is_null())
}

/// The records already in the file, counted by key.
#[derive(Debug)]
pub struct Done<K>(HashMap<K, usize>);

impl<K: Hash + Eq> Done<K> {
    /// Whether an input with `key` already has a record; if so, that record
    /// is used up, so an input that occurs twice is skipped only as often
    /// as it was recorded.
    pub fn take<Q>(&mut self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        match self.0.get_mut(key) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        }
    }
}

/// What an earlier run left in the output file.
#[derive(Debug)]
pub struct Previous<K> {
    /// Records that stay (successes, and failures unless they are to be
    /// retried), by key.
    pub done: Done<K>,
    /// Failed records removed so that their inputs are processed again.
    pub dropped_errors: usize,
    /// Bytes of an unfinished last line cut off (a run killed mid-write).
    pub torn_bytes: u64,
    /// Complete lines that are not records; kept, but they mark nothing done.
    pub unreadable: usize,
}

impl<K> Previous<K> {
    /// One line for stderr: `skipped` of `total` `things` were already in
    /// `path`, and what was repaired.
    pub fn note(&self, path: &Path, skipped: usize, total: Option<usize>, things: &str) -> String {
        let of = total.map(|t| format!(" of {t}")).unwrap_or_default();
        let mut note = format!(
            "resuming: {skipped}{of} {things} already in {}",
            path.display()
        );
        if self.torn_bytes > 0 {
            note += &format!("; cut an unfinished last line of {} bytes", self.torn_bytes);
        }
        if self.dropped_errors > 0 {
            note += &format!("; {} failed records removed to retry", self.dropped_errors);
        }
        if self.unreadable > 0 {
            note += &format!("; {} lines that are not records kept", self.unreadable);
        }
        note
    }
}

/// Prepares `path` for appending: cuts an unfinished last line, drops the
/// failed records if `retry_errors` (rewriting the file through a temporary
/// one and a rename, so a crash leaves the old or the new file, never half
/// of one), and returns what is already done, read as `L` lines. A missing
/// file is an empty one.
pub fn prepare<L: Line>(path: &Path, retry_errors: bool) -> io::Result<Previous<L::Key>> {
    let mut previous = Previous {
        done: Done(HashMap::new()),
        dropped_errors: 0,
        torn_bytes: 0,
        unreadable: 0,
    };
    let file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(previous),
        Err(e) => return Err(e),
    };
    let mut reader = BufReader::new(file);
    let mut line = Vec::new();
    let mut whole = 0u64; // bytes up to the end of the last complete line
    loop {
        line.clear();
        let n = reader.read_until(b'\n', &mut line)?;
        if n == 0 {
            break;
        }
        if line.last() != Some(&b'\n') {
            previous.torn_bytes = n as u64;
            break;
        }
        whole += n as u64;
        match serde_json::from_slice::<L>(&line) {
            Ok(seen) if seen.failed() && retry_errors => previous.dropped_errors += 1,
            Ok(seen) => *previous.done.0.entry(seen.into_key()).or_default() += 1,
            Err(_) if line.iter().all(u8::is_ascii_whitespace) => {}
            Err(_) => previous.unreadable += 1,
        }
    }
    drop(reader);
    if previous.torn_bytes > 0 {
        OpenOptions::new().write(true).open(path)?.set_len(whole)?;
    }
    if previous.dropped_errors > 0 {
        drop_failed_records::<L>(path)?;
    }
    Ok(previous)
}

/// Rewrites `path` without its failed records.
fn drop_failed_records<L: Line>(path: &Path) -> io::Result<()> {
    let temporary = temporary_beside(path);
    let result = (|| {
        let reader = BufReader::new(File::open(path)?);
        let mut out = BufWriter::new(File::create(&temporary)?);
        for line in reader.split(b'\n') {
            let line = line?;
            let failed = serde_json::from_slice::<L>(&line).is_ok_and(|seen| seen.failed());
            if !failed {
                out.write_all(&line)?;
                out.write_all(b"\n")?;
            }
        }
        out.into_inner()
            .map_err(io::IntoInnerError::into_error)?
            .sync_all()?;
        fs::rename(&temporary, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    result
}

fn temporary_beside(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".resume-tmp");
    path.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    const OK: &str = r#"{"source":"http://a.test/1","text":"x","error":null}"#;
    const FAILED: &str =
        r#"{"source":"http://a.test/2","text":"","error":{"kind":"timeout","message":"slow"}}"#;

    #[test]
    fn a_missing_file_is_a_fresh_start() {
        let dir = tempfile::tempdir().unwrap();
        let mut previous = prepare::<BySource>(&dir.path().join("none.jsonl"), false).unwrap();
        assert!(!previous.done.take("http://a.test/1"));
    }

    #[test]
    fn a_torn_last_line_is_cut_and_not_counted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.jsonl");
        fs::write(
            &path,
            format!("{OK}\n{{\"source\":\"http://a.test/3\",\"te"),
        )
        .unwrap();
        let mut previous = prepare::<BySource>(&path, false).unwrap();
        assert!(previous.done.take("http://a.test/1"));
        assert!(!previous.done.take("http://a.test/3"));
        assert!(previous.torn_bytes > 0);
        assert_eq!(fs::read_to_string(&path).unwrap(), format!("{OK}\n"));
    }

    #[test]
    fn failures_count_as_done_unless_retried() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.jsonl");
        fs::write(&path, format!("{OK}\n{FAILED}\ngarbage\n")).unwrap();
        let mut previous = prepare::<BySource>(&path, false).unwrap();
        assert!(previous.done.take("http://a.test/1"));
        assert!(previous.done.take("http://a.test/2"));
        assert_eq!(previous.unreadable, 1);

        let mut previous = prepare::<BySource>(&path, true).unwrap();
        assert!(previous.done.take("http://a.test/1"));
        assert!(!previous.done.take("http://a.test/2"));
        assert_eq!(previous.dropped_errors, 1);
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            format!("{OK}\ngarbage\n")
        );
        assert!(!temporary_beside(&path).exists());
    }

    #[test]
    fn an_input_given_twice_is_skipped_as_often_as_it_was_recorded() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.jsonl");
        fs::write(&path, format!("{OK}\n")).unwrap();
        let mut previous = prepare::<BySource>(&path, false).unwrap();
        assert!(previous.done.take("http://a.test/1"));
        assert!(!previous.done.take("http://a.test/1"));
    }

    #[test]
    fn the_note_says_what_was_found_and_repaired() {
        let previous = Previous::<String> {
            done: Done(HashMap::new()),
            dropped_errors: 2,
            torn_bytes: 40,
            unreadable: 0,
        };
        assert_eq!(
            previous.note(Path::new("out.jsonl"), 3, Some(10), "inputs"),
            "resuming: 3 of 10 inputs already in out.jsonl; cut an unfinished last line \
             of 40 bytes; 2 failed records removed to retry"
        );
    }
}
