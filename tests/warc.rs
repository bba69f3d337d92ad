//! End-to-end tests of `copydesk warc` (and `--shard` on `extract`): WARC
//! files built here with `WarcWriter` from the fixtures' HTML, in every
//! layout, with the damage real archives have.
#![cfg(feature = "cli")]

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use copydesk::warc::WarcWriter;
use serde_json::Value;

fn copydesk() -> Command {
    Command::new(env!("CARGO_BIN_EXE_copydesk"))
}

/// The fixture pages, sorted by name.
fn fixtures() -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    pages.sort();
    assert!(pages.len() >= 5, "fixtures hold the test pages");
    pages
}

fn url_of(page: &Path) -> String {
    format!(
        "https://fixtures.test/{}",
        page.file_name().unwrap().to_string_lossy()
    )
}

fn date() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(1_714_557_600, 0).unwrap()
}

fn http_200(html: &[u8]) -> Vec<u8> {
    let mut r = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n".to_vec();
    r.extend_from_slice(html);
    r
}

/// Writes `pages` as response records, with a request before each and a
/// warcinfo, a 404 and an image among them, which must all be skipped.
fn write_records<W: Write>(warc: &mut WarcWriter<W>, pages: &[PathBuf]) {
    warc.write_warcinfo(&[("software", "copydesk tests")])
        .unwrap();
    for (i, page) in pages.iter().enumerate() {
        let url = url_of(page);
        warc.write_request(&url, date(), b"GET / HTTP/1.1\r\n\r\n", None)
            .unwrap();
        warc.write_response(&url, date(), &http_200(&fs::read(page).unwrap()))
            .unwrap();
        if i == 1 {
            warc.write_response(
                "https://fixtures.test/gone",
                date(),
                b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\n<p>gone</p>",
            )
            .unwrap();
            warc.write_response(
                "https://fixtures.test/a.png",
                date(),
                b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG",
            )
            .unwrap();
        }
    }
}

enum Layout {
    PerRecord,
    Whole,
    Plain,
}

fn build(layout: Layout, pages: &[PathBuf]) -> Vec<u8> {
    match layout {
        Layout::PerRecord | Layout::Plain => {
            let mut w = WarcWriter::new(Vec::new(), matches!(layout, Layout::PerRecord));
            write_records(&mut w, pages);
            w.into_inner().unwrap()
        }
        Layout::Whole => {
            let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            let mut w = WarcWriter::new(gz, false);
            write_records(&mut w, pages);
            w.into_inner().unwrap().finish().unwrap()
        }
    }
}

/// Runs `copydesk warc` with `args`, expecting exit `code`; the records.
fn run(args: &[&str], code: i32) -> Vec<Value> {
    let out = copydesk().arg("warc").args(args).assert().code(code);
    lines(&out.get_output().stdout)
}

fn lines(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8(stdout.to_vec())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    fs::write(&path, bytes).unwrap();
    path.to_string_lossy().into_owned()
}

fn urls(records: &[Value]) -> Vec<String> {
    records
        .iter()
        .map(|r| r["url"].as_str().unwrap_or("").to_owned())
        .collect()
}

#[test]
fn every_layout_gives_the_same_pages_as_extract() {
    let pages = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let per_record = write(dir.path(), "a.warc.gz", &build(Layout::PerRecord, &pages));
    let whole = write(dir.path(), "b.warc.gz", &build(Layout::Whole, &pages));
    let plain = write(dir.path(), "c.warc", &build(Layout::Plain, &pages));

    let expected: Vec<String> = pages.iter().map(|p| url_of(p)).collect();
    for file in [&per_record, &whole, &plain] {
        let records = run(&["-j", "2", file], 0);
        assert_eq!(urls(&records), expected, "{file}");
        for (record, page) in records.iter().zip(&pages) {
            assert_eq!(record["warc_file"], file.as_str());
            assert!(record["warc_record_id"]
                .as_str()
                .unwrap()
                .starts_with("<urn:uuid:"));
            assert_eq!(record["warc_date"], "2024-05-01T10:00:00Z");
            assert!(record["error"].is_null(), "{record}");
            // The same text as extracting the file itself.
            let direct = copydesk().arg("extract").arg(page).assert().success();
            let direct = &lines(&direct.get_output().stdout)[0];
            assert_eq!(record["text"], direct["text"], "{}", page.display());
        }
    }
}

#[test]
fn offsets_point_at_the_record() {
    let pages = &fixtures()[..3];
    let dir = tempfile::tempdir().unwrap();
    let gz = build(Layout::PerRecord, pages);
    let plain = build(Layout::Plain, pages);
    let gz_path = write(dir.path(), "a.warc.gz", &gz);
    let plain_path = write(dir.path(), "a.warc", &plain);

    for record in run(&[&gz_path], 0) {
        // Decompressing one gzip member from the offset gives the record.
        let offset = record["warc_offset"].as_u64().unwrap() as usize;
        let mut text = String::new();
        flate2::read::GzDecoder::new(&gz[offset..])
            .read_to_string(&mut text)
            .unwrap();
        assert!(text.starts_with("WARC/1.1\r\nWARC-Type: response\r\n"));
        assert!(text.contains(record["warc_record_id"].as_str().unwrap()));
    }
    for record in run(&[&plain_path], 0) {
        let offset = record["warc_offset"].as_u64().unwrap() as usize;
        assert!(plain[offset..].starts_with(b"WARC/1.1\r\nWARC-Type: response\r\n"));
    }
    // Inside one whole-file gzip stream no record has an offset of its own.
    let whole_path = write(dir.path(), "w.warc.gz", &build(Layout::Whole, pages));
    assert!(run(&[&whole_path], 0)
        .iter()
        .all(|r| r["warc_offset"].is_null()));
}

#[test]
fn skipped_records_are_counted_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "a.warc.gz",
        &build(Layout::PerRecord, &fixtures()[..3]),
    );
    let out = copydesk().args(["warc", &file]).assert().success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("1 file: 3 pages (0 with errors); skipped 6 records: 3 request, 1 warcinfo, 1 with status not 200 (404×1), 1 not HTML"),
        "{stderr}"
    );
    let quiet = copydesk().args(["warc", "-q", &file]).assert().success();
    assert!(quiet.get_output().stderr.is_empty());
}

#[test]
fn a_truncated_last_record_is_an_error_after_the_good_ones() {
    let pages = &fixtures()[..3];
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in [
        ("cut.warc", build(Layout::Plain, pages)),
        ("cut.warc.gz", build(Layout::PerRecord, pages)),
        ("cut-whole.warc.gz", build(Layout::Whole, pages)),
    ] {
        // Cut inside the last page's response (the records after it are a
        // request and nothing else).
        let mut warc = WarcWriter::new(Vec::new(), name == "cut.warc.gz");
        let last = pages.last().unwrap();
        warc.write_response(&url_of(last), date(), &http_200(&fs::read(last).unwrap()))
            .unwrap();
        let tail = warc.into_inner().unwrap();
        let mut bytes = bytes;
        if name == "cut-whole.warc.gz" {
            // Cut the compressed stream itself.
            bytes.truncate(bytes.len() * 9 / 10);
        } else {
            bytes.extend_from_slice(&tail[..tail.len() / 2]);
        }
        let file = write(dir.path(), name, &bytes);
        let records = run(&[&file], 1);
        let (errors, good): (Vec<&Value>, Vec<&Value>) =
            records.iter().partition(|r| !r["error"].is_null());
        assert_eq!(errors.len(), 1, "{name}: {records:?}");
        assert_eq!(errors[0]["error"]["kind"], "warc", "{name}");
        assert_eq!(records.last().unwrap(), errors[0], "the error comes last");
        let expected = if name == "cut-whole.warc.gz" { 1 } else { 3 };
        assert!(good.len() >= expected, "{name}: {} good", good.len());
        assert!(good.iter().all(|r| r["text"].as_str().unwrap().len() > 100));
    }
}

#[test]
fn garbage_between_records_is_skipped_and_reported_once() {
    let pages = &fixtures()[..4];
    let dir = tempfile::tempdir().unwrap();
    for gzip in [false, true] {
        let mut bytes = Vec::new();
        for (i, page) in pages.iter().enumerate() {
            let mut w = WarcWriter::new(Vec::new(), gzip);
            w.write_response(&url_of(page), date(), &http_200(&fs::read(page).unwrap()))
                .unwrap();
            bytes.extend_from_slice(&w.into_inner().unwrap());
            if i == 1 {
                bytes.extend_from_slice(b"this is not\r\na WARC record\x00\xff\r\n\r\n");
            }
        }
        let file = write(dir.path(), "g.warc", &bytes);
        let records = run(&[&file], 1);
        let errors: Vec<&Value> = records.iter().filter(|r| !r["error"].is_null()).collect();
        assert_eq!(errors.len(), 1, "gzip {gzip}: {records:?}");
        assert_eq!(errors[0]["error"]["kind"], "warc");
        let good: Vec<String> = urls(&records)
            .into_iter()
            .filter(|u| !u.is_empty())
            .collect();
        let expected: Vec<String> = pages.iter().map(|p| url_of(p)).collect();
        assert_eq!(good, expected, "gzip {gzip}");
        // The error sits where the garbage was: after the second page.
        assert!(records[2]["error"].is_object(), "gzip {gzip}");
    }
}

#[test]
fn a_malformed_header_is_an_error_and_the_next_record_is_read() {
    let pages = &fixtures()[..2];
    let mut bytes = Vec::new();
    let mut w = WarcWriter::new(Vec::new(), false);
    w.write_response(
        &url_of(&pages[0]),
        date(),
        &http_200(&fs::read(&pages[0]).unwrap()),
    )
    .unwrap();
    bytes.extend_from_slice(&w.into_inner().unwrap());
    // A header without Content-Length, its block, then a good record.
    bytes.extend_from_slice(
        b"WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: https://bad/\r\n\r\nHTTP/1.1 200 OK\r\n\r\n<p>x</p>\r\n\r\n",
    );
    let mut w = WarcWriter::new(Vec::new(), false);
    w.write_response(
        &url_of(&pages[1]),
        date(),
        &http_200(&fs::read(&pages[1]).unwrap()),
    )
    .unwrap();
    bytes.extend_from_slice(&w.into_inner().unwrap());
    let dir = tempfile::tempdir().unwrap();
    let records = run(&[&write(dir.path(), "m.warc", &bytes)], 1);
    assert_eq!(records.len(), 3, "{records:?}");
    assert_eq!(records[1]["url"], "https://bad/");
    assert_eq!(records[1]["error"]["kind"], "warc");
    assert!(records[1]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("Content-Length"));
    assert_eq!(records[2]["url"], url_of(&pages[1]).as_str());
}

#[test]
fn chunked_and_gzipped_payloads_are_decoded() {
    let page = &fixtures()[0];
    let html = fs::read(page).unwrap();
    let mut zipped = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    zipped.write_all(&html).unwrap();
    let zipped = zipped.finish().unwrap();
    let mut response = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
    for chunk in zipped.chunks(1000) {
        response.extend_from_slice(format!("{:X}\r\n", chunk.len()).as_bytes());
        response.extend_from_slice(chunk);
        response.extend_from_slice(b"\r\n");
    }
    response.extend_from_slice(b"0\r\n\r\n");
    // And one with no Content-Type at all, sniffed as HTML.
    let mut untyped = b"HTTP/1.1 200 OK\r\n\r\n".to_vec();
    untyped.extend_from_slice(&html);
    let mut w = WarcWriter::new(Vec::new(), true);
    w.write_response("https://a/", date(), &response).unwrap();
    w.write_response("https://b/", date(), &untyped).unwrap();
    w.write_response("https://c/", date(), b"HTTP/1.1 200 OK\r\n\r\n%PDF-1.7")
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let records = run(
        &[&write(dir.path(), "c.warc.gz", &w.into_inner().unwrap())],
        0,
    );
    assert_eq!(urls(&records), ["https://a/", "https://b/"]);
    assert_eq!(records[0]["text"], records[1]["text"]);
    assert!(records[0]["text"].as_str().unwrap().len() > 100);
}

#[test]
fn stdin_and_path_lists_are_inputs() {
    let pages = &fixtures()[..2];
    let bytes = build(Layout::PerRecord, pages);
    let from_stdin = copydesk()
        .args(["warc", "-"])
        .write_stdin(bytes.clone())
        .assert()
        .success();
    let records = lines(&from_stdin.get_output().stdout);
    assert_eq!(records.len(), 2);
    assert_eq!(records[0]["warc_file"], "-");

    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.warc.gz", &bytes);
    let b = write(dir.path(), "b.warc", &build(Layout::Plain, pages));
    let list = format!("# two files\n{a}\n\n{b}\n");
    let listed = copydesk()
        .args(["warc", "--paths", "-"])
        .write_stdin(list)
        .assert()
        .success();
    let files: Vec<Value> = lines(&listed.get_output().stdout)
        .iter()
        .map(|r| r["warc_file"].clone())
        .collect();
    assert_eq!(files, [a.as_str(), a.as_str(), b.as_str(), b.as_str()]);

    // Standard input cannot be both the list and a WARC.
    copydesk()
        .args(["warc", "--paths", "-", "-"])
        .assert()
        .code(2);
}

#[test]
fn a_missing_file_is_an_io_record_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(
        dir.path(),
        "a.warc.gz",
        &build(Layout::PerRecord, &fixtures()[..1]),
    );
    let records = run(&["/nonexistent/x.warc.gz", &good], 1);
    assert_eq!(records.len(), 2);
    assert_eq!(records[0]["error"]["kind"], "io");
    assert_eq!(records[0]["warc_file"], "/nonexistent/x.warc.gz");
    assert!(records[1]["error"].is_null());
}

/// Serves `responses` over HTTP on the loopback interface, one connection
/// each, in order, then stops; returns the port.
fn serve(responses: Vec<Vec<u8>>) -> u16 {
    use std::io::BufRead;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for response in responses {
            let Ok((stream, _)) = listener.accept() else {
                return;
            };
            let mut reader = std::io::BufReader::new(&stream);
            let mut line = String::new();
            // The request head, up to its blank line.
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let _ = (&stream).write_all(&response);
        }
    });
    port
}

#[test]
fn url_inputs_are_streamed() {
    if !cfg!(feature = "fetch") {
        let records = run(&["https://127.0.0.1:9/x.warc.gz"], 1);
        assert_eq!(records[0]["error"]["kind"], "io");
        assert!(records[0]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("fetch"));
        return;
    }
    let warc = build(Layout::PerRecord, &fixtures()[..3]);
    let mut ok = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/gzip\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        warc.len()
    )
    .into_bytes();
    ok.extend_from_slice(&warc);
    let missing =
        b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec();
    let port = serve(vec![ok, missing]);
    let good = format!("http://127.0.0.1:{port}/crawl.warc.gz");
    let gone = format!("http://127.0.0.1:{port}/gone.warc.gz");
    let records = run(&[&good, &gone], 1);
    assert_eq!(records.len(), 4, "{records:?}");
    assert!(records[..3]
        .iter()
        .all(|r| r["error"].is_null() && r["warc_file"] == good.as_str()));
    assert_eq!(records[3]["error"]["kind"], "io");
    assert!(records[3]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("404"));
}

#[test]
fn output_order_is_input_order_with_two_jobs() {
    let pages = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    // Pages in a different order in each file, so order bugs show.
    for k in 0..3 {
        let mut rotated = pages.clone();
        rotated.rotate_left(k * 4);
        files.push(write(
            dir.path(),
            &format!("{k}.warc.gz"),
            &build(Layout::PerRecord, &rotated),
        ));
    }
    let args: Vec<&str> = ["-j", "2"]
        .into_iter()
        .chain(files.iter().map(String::as_str))
        .collect();
    let parallel = run(&args, 0);
    let mut one_by_one = Vec::new();
    for file in &files {
        one_by_one.extend(run(&["-j", "1", file], 0));
    }
    assert_eq!(parallel, one_by_one);
    assert_eq!(parallel.len(), 3 * pages.len());
}

#[test]
fn shards_partition_warc_inputs_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let one = build(Layout::PerRecord, &fixtures()[..1]);
    let files: Vec<String> = (0..12)
        .map(|i| write(dir.path(), &format!("f{i:02}.warc.gz"), &one))
        .collect();
    let mut seen: Vec<String> = Vec::new();
    for i in 0..3 {
        let shard = format!("{i}/3");
        let args: Vec<&str> = ["--shard", shard.as_str()]
            .into_iter()
            .chain(files.iter().map(String::as_str))
            .collect();
        let records = run(&args, 0);
        seen.extend(
            records
                .iter()
                .map(|r| r["warc_file"].as_str().unwrap().to_owned()),
        );
    }
    seen.sort();
    assert_eq!(seen, files, "every file in exactly one shard");
    copydesk()
        .args(["warc", "--shard", "3/3", &files[0]])
        .assert()
        .code(2);
}

#[test]
fn shards_partition_extract_inputs_exactly() {
    let fixtures_dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");
    let all = copydesk().args(["extract", "-q", fixtures_dir]).assert();
    let all: Vec<Value> = lines(&all.get_output().stdout);
    let mut union: Vec<Value> = Vec::new();
    for i in 0..4 {
        let out = copydesk()
            .args(["extract", "-q", "--shard", &format!("{i}/4"), fixtures_dir])
            .assert();
        union.extend(lines(&out.get_output().stdout));
    }
    let key = |r: &Value| r["source"].as_str().unwrap().to_owned();
    let mut expected: Vec<String> = all.iter().map(key).collect();
    let mut got: Vec<String> = union.iter().map(key).collect();
    expected.sort();
    got.sort();
    assert_eq!(got, expected);
}

#[test]
fn a_page_over_its_time_budget_is_a_timeout_record_and_retry_errors_redoes_it() {
    let pages = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "a.warc.gz", &build(Layout::PerRecord, &pages));
    let out = dir.path().join("out.jsonl");
    let out_arg = out.to_str().unwrap();

    // A budget no page can keep: every page is late, and each still has
    // its record, in order, with where it sits in the archive.
    copydesk()
        .args([
            "warc",
            "-q",
            "-j",
            "2",
            "--timeout",
            "0.000001",
            "-o",
            out_arg,
            &file,
        ])
        .assert()
        .code(1);
    let late = lines(&fs::read(&out).unwrap());
    assert_eq!(late.len(), pages.len());
    for record in &late {
        assert_eq!(record["error"]["kind"], "timeout", "{record}");
        assert!(record["warc_record_id"].as_str().is_some());
        assert!(record["warc_offset"].as_u64().is_some());
    }

    // Resuming with the default budget extracts each failed page again,
    // and only those: every page once, none failed.
    let resumed = copydesk()
        .args(["warc", "--resume", "--retry-errors", "-o", out_arg, &file])
        .assert()
        .code(0);
    let stderr = String::from_utf8_lossy(&resumed.get_output().stderr).into_owned();
    assert!(
        stderr.contains(&format!("{} failed records removed", pages.len())),
        "{stderr}"
    );
    let done = lines(&fs::read(&out).unwrap());
    assert_eq!(urls(&done), urls(&late));
    assert!(done.iter().all(|r| r["error"].is_null()));
}
