//! Nothing lost: `copydesk extract` and `copydesk warc` killed with SIGKILL
//! in the middle of a batch, then run again with `--resume`, record every
//! input exactly once, and their output has no torn line. (`fetch` has the
//! same test in tests/fetch.rs.)
#![cfg(feature = "cli")]

use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use copydesk::warc::WarcWriter;
use serde_json::Value;

fn copydesk() -> Command {
    Command::new(env!("CARGO_BIN_EXE_copydesk"))
}

/// Page `i`, of a few kilobytes.
fn page(i: usize) -> String {
    let paragraph = format!(
        "<p>Story {i}: the council met on Tuesday to discuss the harbour, and \
             residents said the new breakwater, delayed by storms, should open soon.</p>"
    );
    format!(
        "<html><head><title>Story {i}</title></head><body><nav><a href=/>Home</a></nav>\
         <article><h1>Story {i}</h1>{}</article><footer>(c) Gazette</footer></body></html>",
        paragraph.repeat(20)
    )
}

/// `count` pages in `dir/pages/NNN/`.
fn write_pages(dir: &Path, count: usize) -> Vec<String> {
    let mut sources = Vec::new();
    for i in 0..count {
        let sub = dir.join(format!("pages/{:03}", i / 100));
        fs::create_dir_all(&sub).unwrap();
        let path = sub.join(format!("page-{i:05}.html"));
        fs::write(&path, page(i)).unwrap();
        sources.push(path.display().to_string());
    }
    sources
}

/// Waits until `path` holds at least `bytes` bytes.
fn wait_for_output(path: &Path, bytes: u64) {
    let begun = Instant::now();
    while fs::metadata(path).map_or(0, |m| m.len()) < bytes {
        assert!(
            begun.elapsed() < Duration::from_secs(120),
            "no output after 2 minutes"
        );
        thread::sleep(Duration::from_millis(20));
    }
}

/// Records counted by `key`, checking each line is whole JSON and no
/// record is an error.
fn records_by(path: &Path, key: impl Fn(&Value) -> String) -> HashMap<String, usize> {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.ends_with('\n'), "output ends mid-line");
    let mut seen = HashMap::new();
    for line in text.lines() {
        let record: Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("torn or bad line ({e}): {line}"));
        assert!(record["error"].is_null(), "{line}");
        *seen.entry(key(&record)).or_default() += 1;
    }
    seen
}

/// Records by source.
fn records(path: &Path) -> HashMap<String, usize> {
    records_by(path, |record| record["source"].as_str().unwrap().to_owned())
}

/// Kills `child` with SIGKILL once `out` holds two output buffers (256 KiB
/// each), and appends half a record to it, as if the kill had landed in
/// the middle of a write; returns the number of whole records before it.
fn kill_mid_run(mut child: std::process::Child, out: &Path, half_record: &[u8]) -> usize {
    wait_for_output(out, 512 * 1024);
    child.kill().unwrap(); // SIGKILL: no chance to flush or clean up
    child.wait().unwrap();
    // Whole lines only: the kill may itself have cut a write short.
    let before = fs::read(out)
        .unwrap()
        .iter()
        .filter(|&&b| b == b'\n')
        .count();
    fs::OpenOptions::new()
        .append(true)
        .open(out)
        .unwrap()
        .write_all(half_record)
        .unwrap();
    before
}

#[test]
fn resume_after_a_kill_records_every_input_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let sources = write_pages(dir.path(), 3_000);
    let out = dir.path().join("out.jsonl");
    let pages = dir.path().join("pages");

    let child = copydesk()
        .args(["extract", "-q", "-j", "2", "-o"])
        .arg(&out)
        .arg(&pages)
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let before = kill_mid_run(
        child,
        &out,
        br#"{"source":"pages/000/page-00000.html","url":nu"#,
    );
    assert!(
        before < sources.len(),
        "the run finished before it was killed"
    );

    let resumed = copydesk()
        .args(["extract", "-j", "2", "--resume", "-o"])
        .arg(&out)
        .arg(&pages)
        .output()
        .unwrap();
    assert_eq!(
        resumed.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&resumed.stderr)
    );
    let stderr = String::from_utf8_lossy(&resumed.stderr);
    assert!(stderr.contains("resuming"), "{stderr}");
    assert!(stderr.contains("unfinished last line"), "{stderr}");

    let seen = records(&out);
    assert_eq!(seen.len(), sources.len(), "some input has no record");
    for source in &sources {
        assert_eq!(seen.get(source), Some(&1), "{source}");
    }

    // Resuming a finished run adds nothing.
    let again = copydesk()
        .args(["extract", "-q", "--resume", "-o"])
        .arg(&out)
        .arg(&pages)
        .status()
        .unwrap();
    assert!(again.success());
    assert_eq!(records(&out).values().sum::<usize>(), sources.len());
}

/// Writes `pages` as a WARC file of response records (each after a
/// request record, which the run skips): gzipped as one stream when
/// `whole`, so that offsets after the first record are `null` and only the
/// record IDs tell records apart, else gzipped record by record.
fn write_warc(path: &Path, pages: std::ops::Range<usize>, whole: bool) {
    let bytes = if whole {
        let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        let mut warc = WarcWriter::new(gz, false);
        write_responses(&mut warc, pages);
        warc.into_inner().unwrap().finish().unwrap()
    } else {
        let mut warc = WarcWriter::new(Vec::new(), true);
        write_responses(&mut warc, pages);
        warc.into_inner().unwrap()
    };
    fs::write(path, bytes).unwrap();
}

fn write_responses<W: Write>(warc: &mut WarcWriter<W>, pages: std::ops::Range<usize>) {
    let date = chrono::DateTime::from_timestamp(1_714_557_600, 0).unwrap();
    for i in pages {
        let url = format!("https://gazette.test/story/{i}");
        warc.write_request(&url, date, b"GET / HTTP/1.1\r\n\r\n", None)
            .unwrap();
        let mut http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n".to_vec();
        http.extend_from_slice(page(i).as_bytes());
        warc.write_response(&url, date, &http).unwrap();
    }
}

#[test]
fn warc_resume_after_a_kill_records_every_page_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("a.warc.gz");
    let per_record = dir.path().join("b.warc.gz");
    write_warc(&whole, 0..1_500, true);
    write_warc(&per_record, 1_500..3_000, false);
    let out = dir.path().join("out.jsonl");
    let warc = |extra: &[&str]| {
        let mut command = copydesk();
        command
            .args(["warc", "-j", "2", "-o"])
            .arg(&out)
            .args(extra)
            .arg(&whole)
            .arg(&per_record);
        command
    };

    let child = warc(&["-q"]).stdout(Stdio::null()).spawn().unwrap();
    let before = kill_mid_run(child, &out, br#"{"warc_file":"a.warc.gz","warc_rec"#);
    assert!(before < 3_000, "the run finished before it was killed");

    let resumed = warc(&["--resume"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&resumed.stderr);
    assert_eq!(resumed.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(&format!("resuming: {before} records already in")),
        "{stderr}"
    );
    assert!(stderr.contains("unfinished last line"), "{stderr}");

    // Every page once, by URL; and by record ID, which is what resuming
    // went by, with the offsets of the per-record file.
    let by_url = |r: &Value| r["url"].as_str().unwrap().to_owned();
    let seen = records_by(&out, by_url);
    assert_eq!(seen.len(), 3_000, "some page has no record");
    assert!(seen.values().all(|&n| n == 1), "a page was recorded twice");
    let by_id = |r: &Value| format!("{} {}", r["warc_record_id"], r["warc_offset"]);
    assert_eq!(records_by(&out, by_id).len(), 3_000);

    // Resuming a finished run adds nothing.
    let again = warc(&["-q", "--resume"]).status().unwrap();
    assert!(again.success());
    assert_eq!(records_by(&out, by_url).values().sum::<usize>(), 3_000);
}

#[test]
fn resume_needs_an_output_file_and_jsonl() {
    let no_output = copydesk()
        .args(["extract", "--resume", "x.html"])
        .output()
        .unwrap();
    assert_eq!(no_output.status.code(), Some(2));
    let text = copydesk()
        .args([
            "extract",
            "--resume",
            "-f",
            "text",
            "-o",
            "/dev/null",
            "x.html",
        ])
        .output()
        .unwrap();
    assert_eq!(text.status.code(), Some(2));
}
