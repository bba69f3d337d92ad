//! End-to-end tests of `copydesk eval` on tiny sets written into temp dirs:
//! report shape, floors and exit codes, split, dump and error rows. They
//! hold whatever the extractor makes of the pages.
#![cfg(feature = "cli")]

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

const PARAGRAPH: &str = "The harbour authority said on Tuesday that the new breakwater, \
    delayed by two winters of storms, would finally open to fishing boats in the spring.";

fn copydesk() -> Command {
    Command::new(env!("CARGO_BIN_EXE_copydesk"))
}

fn page_html(headline: &str) -> String {
    format!(
        "<html><head><title>{headline}</title></head><body><nav><a href=\"/\">Home</a></nav>\
         <article><h1>{headline}</h1><p>{PARAGRAPH}</p><p>{PARAGRAPH}</p></article></body></html>"
    )
}

/// Writes a set: `pages` as (id, html) and truth lines as given.
fn write_set(root: &Path, name: &str, pages: &[(&str, &str)], truth: &[Value]) -> PathBuf {
    let dir = root.join(name);
    fs::create_dir_all(dir.join("pages")).unwrap();
    for (id, html) in pages {
        fs::write(dir.join("pages").join(format!("{id}.html")), html).unwrap();
    }
    let lines: Vec<String> = truth.iter().map(Value::to_string).collect();
    fs::write(dir.join("truth.jsonl"), lines.join("\n") + "\n").unwrap();
    dir
}

/// A text set of two pages plus one whose page file is missing, and a
/// snippet set of one page.
fn sets(root: &Path) -> (PathBuf, PathBuf) {
    let html = page_html("Breakwater to open");
    let text = write_set(
        root,
        "news",
        &[("a", &html), ("b", &html)],
        &[
            serde_json::json!({"id": "a", "url": null, "title": "Breakwater to open", "text": PARAGRAPH}),
            serde_json::json!({"id": "b", "url": "https://example.com/b", "text": PARAGRAPH}),
            serde_json::json!({"id": "gone", "url": null, "text": PARAGRAPH}),
        ],
    );
    let cleaneval = format!("<text id=\"x\" encoding=\"utf8\">\n{html}\n</text>\n");
    let snippets = write_set(
        root,
        "snips",
        &[("s", &cleaneval)],
        &[serde_json::json!({"id": "s", "with": ["breakwater"], "without": ["Home"]})],
    );
    (text, snippets)
}

fn run_json(args: &[&str], sets: &[&Path]) -> (Value, i32) {
    let out = copydesk()
        .arg("eval")
        .arg("--json")
        .args(args)
        .args(sets)
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout).expect("JSON report");
    (json, out.status.code().unwrap())
}

#[test]
fn json_report_has_sets_pooled_row_and_error_rows() {
    let tmp = tempfile::tempdir().unwrap();
    let (text, snippets) = sets(tmp.path());
    let (json, code) = run_json(&["--worst", "5", "--jobs", "2"], &[&text, &snippets]);
    assert_eq!(code, 0);
    assert_eq!(json["split"], "all");
    let news = &json["sets"][0];
    assert_eq!(news["set"], "news");
    assert_eq!(news["pages"], 3);
    // The missing page is an error row scored as empty output.
    assert_eq!(news["errors"], 1);
    assert!(news["text"]["shingle"]["f1"].is_f64());
    assert!(news["snippet"].is_null());
    assert_eq!(news["metadata"]["title"]["total"], 1);
    let snips = &json["sets"][1];
    assert_eq!(snips["snippet"]["pages"], 1);
    assert_eq!(json["all"]["pages"], 4);
    assert_eq!(json["all"]["text"]["pages"], 3);
    let worst = json["worst"]["news"].as_array().unwrap();
    assert_eq!(worst.len(), 3);
    let gone = worst.iter().find(|w| w["id"] == "gone").unwrap();
    assert!(gone["error"].as_str().unwrap().starts_with("io:"));
}

#[test]
fn table_lists_every_set_and_the_pooled_row() {
    let tmp = tempfile::tempdir().unwrap();
    let (text, snippets) = sets(tmp.path());
    copydesk()
        .arg("eval")
        .args([&text, &snippets])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("news")
                .and(predicate::str::contains("snips"))
                .and(predicate::str::contains("\nall "))
                .and(predicate::str::contains("metadata accuracy")),
        )
        .stderr(predicate::str::contains("news/gone: io:"));
}

#[test]
fn floors_decide_the_exit_code() {
    let tmp = tempfile::tempdir().unwrap();
    let (text, snippets) = sets(tmp.path());
    let floors = tmp.path().join("floors.json");

    fs::write(
        &floors,
        r#"{"news": {"shingle_f1": 0.0}, "snips": {"snippet_f1": 0.0}}"#,
    )
    .unwrap();
    copydesk()
        .args(["eval", "--floors"])
        .arg(&floors)
        .args([&text, &snippets])
        .assert()
        .code(0);

    fs::write(
        &floors,
        r#"{"news": {"shingle_f1": 1.01}, "all": {"snippet_f1": 2}}"#,
    )
    .unwrap();
    copydesk()
        .args(["eval", "--floors"])
        .arg(&floors)
        .args([&text, &snippets])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("floor missed: news: shingle_f1 is")
                .and(predicate::str::contains("floor missed: all: snippet_f1 is")),
        );

    fs::write(&floors, r#"{"news": {"shingle": 0.5}}"#).unwrap();
    copydesk()
        .args(["eval", "--floors"])
        .arg(&floors)
        .arg(&text)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown figure"));
}

#[test]
fn split_parts_add_up() {
    let tmp = tempfile::tempdir().unwrap();
    let ids: Vec<String> = (0..20).map(|i| format!("p{i}")).collect();
    let truth: Vec<Value> = ids
        .iter()
        .map(|id| serde_json::json!({"id": id, "text": "x"}))
        .collect();
    let set = write_set(tmp.path(), "many", &[], &truth);
    let pages = |split: &str| {
        let (json, _) = run_json(&["--split", split], &[&set]);
        json["sets"][0]["pages"].as_u64().unwrap()
    };
    let (tune, holdout) = (pages("tune"), pages("holdout"));
    assert_eq!(tune + holdout, 20);
    assert_eq!(pages("all"), 20);
    assert!(tune > holdout);
    copydesk()
        .args(["eval", "--split", "dev"])
        .arg(&set)
        .assert()
        .code(2);
}

#[test]
fn dump_writes_each_prediction() {
    let tmp = tempfile::tempdir().unwrap();
    let (text, snippets) = sets(tmp.path());
    let dump = tmp.path().join("dump");
    copydesk()
        .arg("eval")
        .arg("--dump")
        .arg(&dump)
        .args([&text, &snippets])
        .assert()
        .success();
    let a = fs::read_to_string(dump.join("news/a.txt")).unwrap();
    assert!(a.contains("breakwater"), "{a}");
    assert!(dump.join("news/gone.txt").exists());
    // The CleanEval wrapper is gone before extraction.
    let s = fs::read_to_string(dump.join("snips/s.txt")).unwrap();
    assert!(!s.contains("<text"), "{s}");
}

#[test]
fn unreadable_sets_and_stray_files() {
    let tmp = tempfile::tempdir().unwrap();
    let (text, _) = sets(tmp.path());
    let stray = tmp.path().join("NOTES.md");
    fs::write(&stray, "notes").unwrap();
    copydesk()
        .arg("eval")
        .args([&text, &stray])
        .assert()
        .success()
        .stderr(predicate::str::contains("skipping"));
    copydesk()
        .arg("eval")
        .arg(&text)
        .arg(tmp.path().join("nope"))
        .assert()
        .code(2)
        .stdout(predicate::str::contains("news"))
        .stderr(predicate::str::contains("truth.jsonl"));
}
