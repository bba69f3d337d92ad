//! Nothing lost: `copydesk extract` killed with SIGKILL in the middle of a
//! batch, then run again with `--resume`, records every input exactly once,
//! and its output has no torn line. (`fetch` has the same test in
//! tests/fetch.rs.)
#![cfg(feature = "cli")]

use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

fn copydesk() -> Command {
    Command::new(env!("CARGO_BIN_EXE_copydesk"))
}

/// `count` pages of a few kilobytes each in `dir/pages/NNN/`.
fn write_pages(dir: &Path, count: usize) -> Vec<String> {
    let mut sources = Vec::new();
    for i in 0..count {
        let sub = dir.join(format!("pages/{:03}", i / 100));
        fs::create_dir_all(&sub).unwrap();
        let path = sub.join(format!("page-{i:05}.html"));
        let paragraph = format!(
            "<p>Story {i}: the council met on Tuesday to discuss the harbour, and \
             residents said the new breakwater, delayed by storms, should open soon.</p>"
        );
        let page = format!(
            "<html><head><title>Story {i}</title></head><body><nav><a href=/>Home</a></nav>\
             <article><h1>Story {i}</h1>{}</article><footer>(c) Gazette</footer></body></html>",
            paragraph.repeat(20)
        );
        fs::write(&path, page).unwrap();
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

/// Records by source, checking each line is whole JSON.
fn records(path: &Path) -> HashMap<String, usize> {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.ends_with('\n'), "output ends mid-line");
    let mut seen = HashMap::new();
    for line in text.lines() {
        let record: Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("torn or bad line ({e}): {line}"));
        assert!(record["error"].is_null(), "{line}");
        *seen
            .entry(record["source"].as_str().unwrap().to_owned())
            .or_default() += 1;
    }
    seen
}

#[test]
fn resume_after_a_kill_records_every_input_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let sources = write_pages(dir.path(), 3_000);
    let out = dir.path().join("out.jsonl");
    let pages = dir.path().join("pages");

    let mut child = copydesk()
        .args(["extract", "-q", "-j", "2", "-o"])
        .arg(&out)
        .arg(&pages)
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    // The output is buffered 256 KiB at a time: wait for two buffers.
    wait_for_output(&out, 512 * 1024);
    child.kill().unwrap(); // SIGKILL: no chance to flush or clean up
    child.wait().unwrap();
    let before = fs::read_to_string(&out).unwrap().lines().count();
    assert!(
        before < sources.len(),
        "the run finished before it was killed"
    );
    // As if the kill had landed in the middle of a write.
    fs::OpenOptions::new()
        .append(true)
        .open(&out)
        .unwrap()
        .write_all(br#"{"source":"pages/000/page-00000.html","url":nu"#)
        .unwrap();

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
