//! End-to-end tests of the `copydesk` binary: inputs, ordering, formats,
//! errors and exit codes, on small pages written here into temp dirs.
//!
//! The extractor's quality is tested elsewhere; these tests assert the shape
//! of the output, which holds whatever the extractor makes of a page.
#![cfg(feature = "cli")]

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

/// Every key of a record, always present (markdown and comments only on request).
const SCHEMA_KEYS: &[&str] = &[
    "source",
    "url",
    "title",
    "byline",
    "date",
    "site_name",
    "lang",
    "description",
    "image",
    "text",
    "word_count",
    "error",
];

const PARAGRAPH: &str = "The harbour authority said on Tuesday that the new breakwater, \
    delayed by two winters of storms, would finally open to fishing boats in the spring.";

fn copydesk() -> Command {
    Command::new(env!("CARGO_BIN_EXE_copydesk"))
}

/// A small news-like page whose headline names it, so records can be told apart.
fn page(name: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>{name} | The Gazette</title></head><body>\
         <nav><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav>\
         <article><h1>{name}</h1><p>{PARAGRAPH}</p>\
         <p>Residents of {name} welcomed the news, though some asked about the cost.</p></article>\
         <footer>© The Gazette</footer></body></html>"
    )
}

fn write_page(dir: &Path, rel: &str) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, page(rel)).unwrap();
}

/// Runs a command expected to exit with `code` and returns its stdout.
fn stdout_of(cmd: &mut Command, code: i32) -> Vec<u8> {
    cmd.assert().code(code).get_output().stdout.clone()
}

/// Parses JSONL output, checking that every line is one whole JSON object.
fn records(stdout: &[u8]) -> Vec<Value> {
    let text = std::str::from_utf8(stdout).expect("output is UTF-8");
    assert!(
        text.is_empty() || text.ends_with('\n'),
        "output ends with a newline"
    );
    text.lines()
        .map(|line| {
            serde_json::from_str::<Value>(line)
                .unwrap_or_else(|e| panic!("bad JSON line {line:?}: {e}"))
        })
        .collect()
}

fn sources(records: &[Value]) -> Vec<String> {
    records
        .iter()
        .map(|r| r["source"].as_str().expect("source is a string").to_owned())
        .collect()
}

#[test]
fn a_single_file_gives_one_record_with_every_schema_key() {
    let dir = tempfile::tempdir().unwrap();
    write_page(dir.path(), "one.html");
    let path = dir.path().join("one.html");

    let recs = records(&stdout_of(copydesk().arg("extract").arg(&path), 0));
    assert_eq!(recs.len(), 1);
    let rec = recs[0].as_object().unwrap();
    for key in SCHEMA_KEYS {
        assert!(rec.contains_key(*key), "missing key {key} in {rec:?}");
    }
    assert_eq!(rec.len(), SCHEMA_KEYS.len(), "no unexpected keys: {rec:?}");
    assert_eq!(rec["source"], path.display().to_string());
    assert_eq!(rec["error"], Value::Null);
    assert!(rec["text"].is_string());
    assert!(rec["word_count"].is_u64());
}

#[test]
fn a_directory_is_walked_recursively_in_sorted_order_and_jobs_keep_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut expected = Vec::new();
    // Enough files to keep two workers and the reorder window busy, in
    // nested directories, with both extensions; other files are ignored.
    for i in (0..40).rev() {
        let rel = match i % 3 {
            0 => format!("p{i:02}.html"),
            1 => format!("sub/p{i:02}.htm"),
            _ => format!("sub/deeper/p{i:02}.HTML"),
        };
        write_page(dir.path(), &rel);
        expected.push(dir.path().join(&rel));
    }
    fs::write(dir.path().join("sub/notes.txt"), "not a page").unwrap();
    // Uneven sizes, so that workers finish out of order.
    fs::write(dir.path().join("p00.html"), page("p00").repeat(200)).unwrap();
    expected.sort();
    let expected: Vec<String> = expected.iter().map(|p| p.display().to_string()).collect();

    for jobs in ["1", "2"] {
        let out = stdout_of(
            copydesk()
                .args(["extract", "--quiet", "--jobs", jobs])
                .arg(dir.path()),
            0,
        );
        assert_eq!(sources(&records(&out)), expected, "--jobs {jobs}");
    }
}

#[test]
fn several_inputs_keep_command_line_order() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["a.html", "b.html", "c.html"] {
        write_page(dir.path(), name);
    }
    let out = stdout_of(
        copydesk()
            .args(["extract", "--jobs", "2", "c.html", "a.html", "b.html"])
            .current_dir(dir.path()),
        0,
    );
    assert_eq!(sources(&records(&out)), ["c.html", "a.html", "b.html"]);
}

#[test]
fn stdin_is_read_when_no_input_or_dash_is_given() {
    for args in [&["extract"][..], &["extract", "-"][..]] {
        let out = stdout_of(copydesk().args(args).write_stdin(page("stdin")), 0);
        let recs = records(&out);
        assert_eq!(recs.len(), 1, "{args:?}");
        assert_eq!(recs[0]["source"], "-");
        assert_eq!(recs[0]["error"], Value::Null);
    }
}

#[test]
fn url_is_recorded() {
    let url = "https://news.example.com/2024/harbour";
    let out = stdout_of(
        copydesk()
            .args(["extract", "--url", url])
            .write_stdin(page("harbour")),
        0,
    );
    assert_eq!(records(&out)[0]["url"], url);
}

#[test]
fn url_with_two_inputs_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    write_page(dir.path(), "a.html");
    write_page(dir.path(), "b.html");
    copydesk()
        .args([
            "extract",
            "--url",
            "https://example.com/",
            "a.html",
            "b.html",
        ])
        .current_dir(dir.path())
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("--url"));
    // A directory holding two pages is two inputs as well.
    copydesk()
        .args(["extract", "--url", "https://example.com/", "."])
        .current_dir(dir.path())
        .assert()
        .code(2)
        .stdout("");
}

#[test]
fn a_missing_file_gives_an_io_record_exit_1_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    write_page(dir.path(), "a.html");
    write_page(dir.path(), "c.html");
    let out = copydesk()
        .args(["extract", "a.html", "missing.html", "c.html"])
        .current_dir(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("missing.html"))
        .get_output()
        .stdout
        .clone();
    let recs = records(&out);
    assert_eq!(sources(&recs), ["a.html", "missing.html", "c.html"]);
    assert_eq!(recs[0]["error"], Value::Null);
    assert_eq!(recs[1]["error"]["kind"], "io");
    assert!(!recs[1]["error"]["message"].as_str().unwrap().is_empty());
    assert_eq!(recs[1]["text"], "");
    assert_eq!(recs[2]["error"], Value::Null);
}

#[test]
fn quiet_keeps_stderr_clean_but_not_the_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    copydesk()
        .args(["extract", "--quiet", "missing.html"])
        .current_dir(dir.path())
        .assert()
        .code(1)
        .stderr("");
}

#[test]
fn text_format_prints_bodies_under_headers_for_several_inputs() {
    let dir = tempfile::tempdir().unwrap();
    write_page(dir.path(), "a.html");
    write_page(dir.path(), "b.html");
    let out = stdout_of(
        copydesk()
            .args(["extract", "--format", "text", "b.html", "a.html"])
            .current_dir(dir.path()),
        0,
    );
    let stdout = String::from_utf8(out).unwrap();
    let headers: Vec<&str> = stdout.lines().filter(|l| l.starts_with("==> ")).collect();
    assert_eq!(headers, ["==> b.html <==", "==> a.html <=="]);
    assert!(stdout.starts_with("==> b.html <==\n"));
    assert!(
        stdout.contains("\n\n==> a.html <==\n"),
        "blank line between documents: {stdout:?}"
    );
    assert!(!stdout.contains('{'), "not JSON: {stdout}");
}

#[test]
fn text_format_of_one_input_has_no_header() {
    copydesk()
        .args(["extract", "--format", "text"])
        .write_stdin(page("solo"))
        .assert()
        .success()
        .stdout(
            predicate::str::contains("==>")
                .not()
                .and(predicate::str::contains("{").not()),
        );
}

#[test]
fn markdown_flag_adds_the_field() {
    let out = stdout_of(
        copydesk()
            .args(["extract", "--markdown"])
            .write_stdin(page("md")),
        0,
    );
    let rec = &records(&out)[0];
    assert!(rec.get("markdown").is_some_and(Value::is_string), "{rec}");
}

#[test]
fn output_file_receives_the_records() {
    let dir = tempfile::tempdir().unwrap();
    write_page(dir.path(), "a.html");
    write_page(dir.path(), "b.html");
    copydesk()
        .args(["extract", "--output", "out.jsonl", "a.html", "b.html"])
        .current_dir(dir.path())
        .assert()
        .success()
        .stdout("");
    let written = fs::read(dir.path().join("out.jsonl")).unwrap();
    assert_eq!(sources(&records(&written)), ["a.html", "b.html"]);
}

#[test]
fn help_mentions_every_subcommand() {
    copydesk()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("extract").and(predicate::str::contains("eval")));
    copydesk()
        .args(["extract", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Examples:").and(predicate::str::contains("--jobs")));
}

#[test]
fn version_is_printed() {
    copydesk()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::starts_with(format!(
            "copydesk {}",
            env!("CARGO_PKG_VERSION")
        )));
}

#[test]
fn bad_arguments_exit_2() {
    copydesk()
        .args(["extract", "--format", "pdf"])
        .assert()
        .code(2);
    copydesk().args(["extract", "--jobs", "0"]).assert().code(2);
    copydesk().arg("no-such-command").assert().code(2);
}

#[test]
fn the_fixtures_extract_one_record_each() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    assert!(fixtures.is_dir(), "fixtures/ exists");
    let out = copydesk()
        .args(["extract", "--quiet"])
        .arg(&fixtures)
        .assert()
        .get_output()
        .stdout
        .clone();
    // Whatever the pages hold, every line is a whole record naming its file.
    for source in sources(&records(&out)) {
        assert!(source.contains("fixtures"), "{source}");
    }
}

/// Passes once the extractor is in: a clear article paragraph reaches `text`
/// and the navigation does not.
#[test]
fn a_clear_paragraph_ends_up_in_text() {
    let out = stdout_of(
        copydesk().arg("extract").write_stdin(page("Harbourtown")),
        0,
    );
    let text = records(&out)[0]["text"].as_str().unwrap().to_owned();
    assert!(
        text.contains("would finally open to fishing boats"),
        "text: {text:?}"
    );
    assert!(!text.contains("Home"), "navigation leaked: {text:?}");
}
