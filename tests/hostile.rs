//! Hostile input: pages built to break a parser or an extractor, generated
//! here (none is checked in). Each must yield one valid JSON record, text or
//! error, within the limits: no panic, no abort, no hang, bounded memory.
//!
//! - `cli_*` runs the debug binary over all of them at full size, under a
//!   cap on address space, with the per-page time budget in force.
//! - `library_*` runs the extractor in process on smaller versions, which
//!   is quick in a debug build and catches panics with a useful trace.
//! - `heavy_*` (ignored; `.ci/run` runs them with `cargo test --release
//!   --test hostile heavy -- --ignored`) runs the extractor in process on
//!   the full-size inputs and bounds the time each takes.
#![cfg(feature = "cli")]

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use copydesk::{Article, Extractor, Options};
use serde_json::Value;

/// A deterministic byte stream (xorshift), for "random" inputs that are the
/// same on every run.
fn noise(len: usize, mut seed: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        out.extend_from_slice(&seed.to_le_bytes());
    }
    out.truncate(len);
    out
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

/// A PNG signature and header chunk followed by noise: an image as a
/// server might send it with the wrong content type.
fn png(len: usize) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0".to_vec();
    out.extend(noise(len, 7));
    out
}

/// A page of text in UTF-16LE with no byte order mark.
fn utf16_without_bom(paragraphs: usize) -> Vec<u8> {
    let page = format!(
        "<html><body><article>{}</article></body></html>",
        "<p>Ceci est un paragraphe assez long pour compter, écrit en français.</p>"
            .repeat(paragraphs)
    );
    page.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

/// HTML with stray invalid UTF-8 sequences through its text.
fn invalid_utf8(paragraphs: usize) -> Vec<u8> {
    let mut out = b"<html><body><article>".to_vec();
    for i in 0..paragraphs {
        out.extend_from_slice(b"<p>Broken bytes \xff\xfe here, \xc3 a cut letter, ");
        out.extend_from_slice(&noise(16, i as u64 + 1));
        out.extend_from_slice(b" and a sentence that goes on for long enough.</p>");
    }
    out
}

/// Distinct formatting elements left open, then blocks that close them:
/// a standard parser re-opens every one of them in every block.
fn formatting_bomb(open: usize, blocks: usize) -> Vec<u8> {
    let mut out = String::from("<div>");
    for i in 0..open {
        out.push_str(&format!("<b id=b{i}>"));
    }
    out.push_str(&"</div><div>x".repeat(blocks));
    out.into_bytes()
}

/// The hostile inputs at `scale` (1 = full size), by name.
fn inputs(scale: usize) -> Vec<(&'static str, Vec<u8>)> {
    let n = |full: usize| (full / scale).max(1);
    let mut attrs = String::from("<div");
    for i in 0..n(200_000) {
        attrs.push_str(&format!(" a{i}=\"{i}\""));
    }
    attrs.push_str(">the one element</div>");
    let link = "<a href=\"/section/story-000000.html\">A link to a story</a>\n";
    let row = "<tr><td>Row cell with some text</td><td>12,345</td><td>€ 6.78</td></tr>";
    vec![
        (
            "nested-divs",
            format!("{}deep text", "<div>".repeat(n(1_000_000))).into_bytes(),
        ),
        (
            "nested-spans",
            format!("{}deep text", "<span>".repeat(n(1_000_000))).into_bytes(),
        ),
        (
            "nested-tables",
            "<table><tr><td>".repeat(n(200_000)).into_bytes(),
        ),
        (
            "nested-lists",
            "<ul><li>item".repeat(n(200_000)).into_bytes(),
        ),
        (
            "nested-quotes",
            "<blockquote>".repeat(n(200_000)).into_bytes(),
        ),
        ("huge-text-node", {
            let mut page = b"<html><body><p>".to_vec();
            page.extend(b"word ".repeat(n(100 << 20) / 5));
            page
        }),
        ("many-attributes", attrs.into_bytes()),
        (
            "many-links",
            link.repeat(n(10 << 20) / link.len()).into_bytes(),
        ),
        (
            "unclosed-links",
            "<a href=x>x".repeat(n(10 << 20) / 11).into_bytes(),
        ),
        ("formatting-bomb", formatting_bomb(n(2_000), n(500_000))),
        ("random-bytes", noise(n(1 << 20), 42)),
        ("png", png(n(1 << 20))),
        (
            "gzip",
            gzip("<p>compressed page</p>".repeat(n(50_000)).as_bytes()),
        ),
        ("nul-bytes", vec![0; n(1 << 20)]),
        (
            "nul-in-text",
            b"<p>a\0b\0c, some text with NULs\0 in it.</p>".repeat(n(20_000)),
        ),
        ("invalid-utf8", invalid_utf8(n(20_000))),
        ("utf16-without-bom", utf16_without_bom(n(20_000))),
        ("unterminated-comment", {
            let mut page = b"<p>Before the comment, a sentence.</p><!-- ".to_vec();
            page.extend(b"<p>hidden</p>".repeat(n(100_000)));
            page
        }),
        ("unterminated-script", {
            let mut page = b"<p>Before the script, a sentence.</p><script>".to_vec();
            page.extend(b"var a = '<p>not text</p>';".repeat(n(100_000)));
            page
        }),
        (
            "big-table",
            format!("<table>{}</table>", row.repeat(n(50_000))).into_bytes(),
        ),
        (
            "entity-dense",
            "&amp;&lt;&#x41;&eacute;&#1234;&bogus;&#0;&#xD800; "
                .repeat(n(400_000))
                .into_bytes(),
        ),
        ("many-meta-tags", {
            let meta = "<meta property=\"og:title\" content=\"A title\"><meta name=author content=\"Jane Doe\">";
            format!("<html><head>{}</head><body><p>Body.</p>", meta.repeat(n(100_000))).into_bytes()
        }),
        ("deep-json-ld", format!(
            "<script type=\"application/ld+json\">{}{}</script><p>Body.</p>",
            "[".repeat(n(1_000_000)),
            "]".repeat(n(1_000_000))
        ).into_bytes()),
        ("many-json-ld", "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"headline\":\"H\",\"author\":{\"name\":\"A\"}}</script>".repeat(n(100_000)).into_bytes()),
        ("huge-title", format!("<title>{}</title><h1>{}</h1>", "Title words | ".repeat(n(500_000)), "Head ".repeat(n(500_000))).into_bytes()),
        ("empty", Vec::new()),
        ("whitespace", b" \t\r\n".repeat(n(1 << 18))),
    ]
}

/// Checks that `record` is a well-formed record: text or error, never a
/// caught panic, no control characters in the text.
fn check_record(name: &str, record: &Value) {
    let text = record["text"]
        .as_str()
        .unwrap_or_else(|| panic!("{name}: no text"));
    assert!(
        !text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t'),
        "{name}: control character in text"
    );
    if let Some(kind) = record["error"]["kind"].as_str() {
        assert!(
            ["decode", "too_large", "timeout"].contains(&kind),
            "{name}: error {kind}: {}",
            record["error"]["message"]
        );
        assert!(text.is_empty(), "{name}: failed record with text");
    }
}

fn check_article(name: &str, article: &Article) {
    let json = serde_json::to_string(article).expect("a record serialises");
    check_record(name, &serde_json::from_str(&json).unwrap());
}

#[test]
fn cli_gives_one_valid_record_per_hostile_input() {
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("pages");
    fs::create_dir(&pages).unwrap();
    let all = inputs(1);
    for (name, bytes) in &all {
        fs::write(pages.join(format!("{name}.html")), bytes).unwrap();
    }
    let out = dir.path().join("out.jsonl");
    // A cap on address space turns runaway allocation into a failed run
    // rather than a machine brought to its knees.
    let script = format!(
        "ulimit -v {}; exec \"$0\" extract -q -j 2 --timeout 5 -o \"$1\" \"$2\"",
        6 << 20
    );
    let begun = Instant::now();
    let status = Command::new("sh")
        .args(["-c", &script, env!("CARGO_BIN_EXE_copydesk")])
        .arg(&out)
        .arg(&pages)
        .status()
        .unwrap();
    assert!(
        matches!(status.code(), Some(0 | 1)),
        "copydesk ended with {status}"
    );
    let text = fs::read_to_string(&out).unwrap();
    assert!(text.ends_with('\n'));
    let records: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), all.len());
    for record in &records {
        let source = record["source"].as_str().unwrap();
        let name = Path::new(source).file_stem().unwrap().to_str().unwrap();
        check_record(name, record);
    }
    let by_name = |name: &str| {
        records
            .iter()
            .find(|r| {
                r["source"]
                    .as_str()
                    .unwrap()
                    .ends_with(&format!("/{name}.html"))
            })
            .unwrap()
    };
    assert_eq!(by_name("huge-text-node")["error"]["kind"], "too_large");
    assert_eq!(by_name("png")["error"]["kind"], "decode");
    assert_eq!(by_name("gzip")["error"]["kind"], "decode");
    // 27 pages, two at a time, none over its 5 s budget for long.
    assert!(
        begun.elapsed() < Duration::from_secs(240),
        "{:?}",
        begun.elapsed()
    );
}

#[test]
fn cli_limit_options_cut_refuse_and_time_out() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.html");
    let paragraph = "<p>A sentence of the page, long enough, with a comma or two, to count.</p>";
    fs::write(&page, paragraph.repeat(20_000)).unwrap();
    let run = |args: &[&str]| -> Value {
        let out = Command::new(env!("CARGO_BIN_EXE_copydesk"))
            .arg("extract")
            .args(args)
            .arg(&page)
            .output()
            .unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let cut = run(&["--max-bytes", "10000", "--truncate"]);
    assert_eq!(cut["truncated"], true);
    assert!(cut["error"].is_null());
    assert!(cut["text"].as_str().unwrap().len() < 10_000);
    let refused = run(&["--max-bytes", "10000"]);
    assert_eq!(refused["error"]["kind"], "too_large");
    let whole = run(&[]);
    assert!(whole["error"].is_null() && whole.get("truncated").is_none());
    let late = run(&["--timeout", "0.000001"]);
    assert_eq!(late["error"]["kind"], "timeout");
}

#[test]
fn library_survives_small_hostile_inputs() {
    let extractor = Extractor::new(Options {
        markdown: true,
        comments: true,
        ..Options::default()
    });
    for (name, bytes) in inputs(100) {
        let article = extractor.extract_bytes(&bytes, None, None);
        check_article(name, &article);
    }
}

#[test]
fn truncate_extracts_the_first_bytes_of_an_oversized_page() {
    let mut page = b"<html><body><article><p>".to_vec();
    page.extend(
        "Ein ganz gewöhnlicher Satz, der immer weitergeht. "
            .repeat(40_000)
            .as_bytes(),
    );
    let extractor = Extractor::new(Options {
        max_bytes: 100_000,
        truncate: true,
        ..Options::default()
    });
    let article = extractor.extract_bytes(&page, None, None);
    assert!(article.error.is_none(), "{:?}", article.error);
    assert!(article.truncated);
    assert!(article.text.len() <= 100_000 && article.text.len() > 50_000);
    let refused = Extractor::new(Options {
        max_bytes: 100_000,
        ..Options::default()
    })
    .extract_bytes(&page, None, None);
    assert_eq!(refused.error.unwrap().kind, "too_large");
}

#[test]
fn the_node_cap_keeps_the_start_of_the_page() {
    let page = "<p>A paragraph of the page, with words in it.</p>".repeat(20_000);
    let extractor = Extractor::new(Options {
        max_nodes: 2_000,
        ..Options::default()
    });
    let article = extractor.extract(&page, None);
    assert!(article.truncated);
    assert!(article.text.starts_with("A paragraph of the page"));
    assert!(article.text.lines().count() < 2_000);
}

#[test]
fn a_spent_time_budget_is_a_timeout_record() {
    let page = "<p>A paragraph of the page, with words in it.</p>".repeat(50_000);
    let extractor = Extractor::new(Options {
        time_budget: Some(Duration::ZERO),
        ..Options::default()
    });
    let article = extractor.extract(&page, None);
    assert_eq!(article.error.unwrap().kind, "timeout");
}

/// Stages after the parse walk the tree without recursion: a tree 100,000
/// levels deep (the pre-pass turned off) neither overflows the stack while
/// it is read nor when it is freed.
#[test]
fn a_very_deep_tree_is_read_and_freed_without_recursion() {
    let page = format!("{}deep text", "<span>".repeat(100_000));
    let extractor = Extractor::new(Options {
        max_depth: usize::MAX,
        ..Options::default()
    });
    let article = extractor.extract(&page, None);
    check_article("deep tree", &article);
    let doc = copydesk::limits::parse::parse(&page, usize::MAX, None).unwrap();
    drop(doc);
}

/// The full-size inputs in process, each within a time bound (release).
#[test]
#[ignore = "full size: run in release by .ci/run"]
fn heavy_library_handles_full_size_inputs_in_bounded_time() {
    let extractor = Extractor::default();
    for (name, bytes) in inputs(1) {
        let begun = Instant::now();
        let article = extractor.extract_bytes(&bytes, None, None);
        let took = begun.elapsed();
        check_article(name, &article);
        eprintln!("{name}: {} bytes in {took:?}", bytes.len());
        assert!(took < Duration::from_secs(10), "{name} took {took:?}");
    }
}

/// `assemble::Walker::push_text` once counted the characters of the whole
/// current line on every text node, so a block of n links cost O(n²) and
/// 10 MB of links took minutes. Timing needs a release build.
#[test]
#[ignore = "timing: run in release by .ci/run"]
fn heavy_a_line_of_many_links_extracts_in_linear_time() {
    let small = "<a href=x>x</a> ".repeat(20_000);
    let large = small.repeat(8);
    let time = |page: &str| {
        let begun = Instant::now();
        copydesk::extract(page, None);
        begun.elapsed()
    };
    let (t1, t8) = (time(&small), time(&large));
    // Linear work would take about 8 times as long; allow 16.
    assert!(t8 < t1 * 16, "20k links: {t1:?}; 160k links: {t8:?}");
}
