//! `--resume` (of `fetch` and `extract`): reads what an earlier run already
//! wrote to the JSONL output file, repairs a torn last line, and says which
//! sources (URLs, paths) need no new record.

use std::collections::HashSet;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

/// What an earlier run left in the output file.
#[derive(Debug, Default)]
pub struct Previous {
    /// Sources with a record that stays (successes, and failures unless
    /// they are to be retried).
    pub done: HashSet<String>,
    /// Failed records removed so that their sources are processed again.
    pub dropped_errors: usize,
    /// Bytes of an unfinished last line cut off (a run killed mid-write).
    pub torn_bytes: u64,
    /// Complete lines that are not records; kept, but they mark nothing done.
    pub unreadable: usize,
}

/// The fields of an output line that resuming needs.
#[derive(serde::Deserialize)]
struct Seen {
    source: String,
    #[serde(default)]
    error: Option<serde_json::Value>,
}

/// Prepares `path` for appending: cuts an unfinished last line, drops the
/// failed records if `retry_errors` (rewriting the file through a temporary
/// one and a rename, so a crash leaves the old or the new file, never half
/// of one), and returns what is already done. A missing file is an empty one.
pub fn prepare(path: &Path, retry_errors: bool) -> io::Result<Previous> {
    let mut previous = Previous::default();
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
        match serde_json::from_slice::<Seen>(&line) {
            Ok(seen) if seen.error.as_ref().is_some_and(|e| !e.is_null()) && retry_errors => {
                previous.dropped_errors += 1;
            }
            Ok(seen) => {
                previous.done.insert(seen.source);
            }
            Err(_) if line.iter().all(u8::is_ascii_whitespace) => {}
            Err(_) => previous.unreadable += 1,
        }
    }
    drop(reader);
    if previous.torn_bytes > 0 {
        OpenOptions::new().write(true).open(path)?.set_len(whole)?;
    }
    if previous.dropped_errors > 0 {
        drop_failed_records(path)?;
    }
    Ok(previous)
}

/// Rewrites `path` without its failed records.
fn drop_failed_records(path: &Path) -> io::Result<()> {
    let temporary = temporary_beside(path);
    let result = (|| {
        let reader = BufReader::new(File::open(path)?);
        let mut out = BufWriter::new(File::create(&temporary)?);
        for line in reader.split(b'\n') {
            let line = line?;
            let failed = serde_json::from_slice::<Seen>(&line)
                .is_ok_and(|seen| seen.error.is_some_and(|e| !e.is_null()));
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
        let previous = prepare(&dir.path().join("none.jsonl"), false).unwrap();
        assert!(previous.done.is_empty());
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
        let previous = prepare(&path, false).unwrap();
        assert_eq!(previous.done.len(), 1);
        assert!(previous.torn_bytes > 0);
        assert_eq!(fs::read_to_string(&path).unwrap(), format!("{OK}\n"));
    }

    #[test]
    fn failures_count_as_done_unless_retried() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.jsonl");
        fs::write(&path, format!("{OK}\n{FAILED}\ngarbage\n")).unwrap();
        let previous = prepare(&path, false).unwrap();
        assert_eq!(previous.done.len(), 2);
        assert_eq!(previous.unreadable, 1);

        let previous = prepare(&path, true).unwrap();
        assert_eq!(previous.done.len(), 1);
        assert_eq!(previous.dropped_errors, 1);
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            format!("{OK}\ngarbage\n")
        );
        assert!(!temporary_beside(&path).exists());
    }
}
