//! Fixture tests: hand-written pages in `fixtures/` with their expectations.
//!
//! Every `fixtures/<name>.expected.json` is picked up automatically; its
//! page is `fixtures/<name>.html`. The format of the expectation files is
//! documented in `fixtures/README.md`.
//!
//! * `fixtures_are_well_formed` checks the fixtures themselves (parseable
//!   expectations, no unknown fields, every expected passage really is in
//!   the page, every forbidden string really is on the page so that the
//!   check means something). It does not run the extractor.
//! * `fixtures_extract_as_expected` runs `Extractor::extract_bytes` on every
//!   page, checks every expectation of every fixture, and fails once with
//!   the full list of failures, grouped by fixture. Each record produced is
//!   written to `<CARGO_TARGET_TMPDIR>/fixtures/<name>.json` for inspection.
//!
//! Set `COPYDESK_FIXTURE=<substring>` to run only the fixtures whose name
//! contains the substring.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use copydesk::{Article, Extractor};
use serde::Deserialize;

/// Metadata fields an expectation may name under `meta`.
const META_FIELDS: &[&str] = &[
    "title",
    "byline",
    "date",
    "site_name",
    "lang",
    "description",
    "image",
    "url",
];

/// Most sanity failures reported per fixture (the rest are counted).
const MAX_SANITY_REPORTS: usize = 5;

/// One `<name>.expected.json`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    /// Free text: what the fixture is about (not checked).
    #[serde(default)]
    about: Option<String>,
    /// Passed to `extract_bytes` as the content type.
    #[serde(default)]
    content_type: Option<String>,
    /// Passed to `extract_bytes` as the page URL.
    #[serde(default)]
    url: Option<String>,
    /// Substrings of the text, in this order (whitespace-normalised match).
    #[serde(default)]
    contains_in_order: Vec<String>,
    /// Lines that must be whole lines of the text, exactly.
    #[serde(default)]
    lines: Vec<String>,
    /// Strings that must not occur in the text (whitespace-normalised match).
    #[serde(default)]
    not_contains: Vec<String>,
    /// The page has no article: text must be empty.
    #[serde(default)]
    text_empty: bool,
    /// Lower bound for `word_count`.
    #[serde(default)]
    min_words: Option<usize>,
    /// Upper bound for `word_count`.
    #[serde(default)]
    max_words: Option<usize>,
    /// Metadata expectations; `null` means the field must be absent.
    #[serde(default)]
    meta: BTreeMap<String, Option<String>>,
}

struct Fixture {
    name: String,
    html_path: PathBuf,
    expected_path: PathBuf,
}

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// All fixtures, sorted by name, filtered by `COPYDESK_FIXTURE`.
fn discover() -> Vec<Fixture> {
    let dir = fixtures_dir();
    let filter = std::env::var("COPYDESK_FIXTURE").ok();
    let mut out = Vec::new();
    let entries =
        fs::read_dir(&dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("directory entry").path();
        let Some(file) = path.file_name().and_then(|f| f.to_str()) else {
            continue;
        };
        let Some(name) = file.strip_suffix(".expected.json") else {
            continue;
        };
        if let Some(f) = &filter {
            if !name.contains(f.as_str()) {
                continue;
            }
        }
        out.push(Fixture {
            name: name.to_owned(),
            html_path: dir.join(format!("{name}.html")),
            expected_path: path.clone(),
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

fn load_expected(f: &Fixture) -> Result<Expected, String> {
    let raw = fs::read_to_string(&f.expected_path)
        .map_err(|e| format!("cannot read {}: {e}", f.expected_path.display()))?;
    serde_json::from_str(&raw).map_err(|e| format!("invalid {}: {e}", f.expected_path.display()))
}

/// Runs of white space (any Unicode white space, newlines included) become one space.
fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A short, single-line rendering of a string for messages.
fn show(s: &str) -> String {
    const MAX: usize = 90;
    let one_line = s.replace('\n', "\\n");
    if one_line.chars().count() <= MAX {
        format!("{one_line:?}")
    } else {
        let head: String = one_line.chars().take(MAX).collect();
        format!("{head:?}…")
    }
}

// ---------------------------------------------------------------------------
// The extractor against the expectations
// ---------------------------------------------------------------------------

#[test]
fn fixtures_extract_as_expected() {
    let fixtures = discover();
    assert!(
        !fixtures.is_empty(),
        "no fixtures found in {}",
        fixtures_dir().display()
    );
    let out_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fixtures");
    let _ = fs::create_dir_all(&out_dir);
    let extractor = Extractor::default();

    let mut report = String::new();
    let mut failed = 0;
    for f in &fixtures {
        let failures = match load_expected(f) {
            Err(e) => vec![e],
            Ok(exp) => match fs::read(&f.html_path) {
                Err(e) => vec![format!("cannot read {}: {e}", f.html_path.display())],
                Ok(bytes) => {
                    let article = extractor.extract_bytes(
                        &bytes,
                        exp.content_type.as_deref(),
                        exp.url.as_deref(),
                    );
                    let dump = out_dir.join(format!("{}.json", f.name));
                    if let Ok(json) = serde_json::to_string_pretty(&article) {
                        let _ = fs::write(&dump, json);
                    }
                    check_article(&exp, &article)
                }
            },
        };
        if !failures.is_empty() {
            failed += 1;
            let _ = writeln!(
                report,
                "\n== {} ({} failure{}) ==",
                f.name,
                failures.len(),
                plural(failures.len())
            );
            for msg in &failures {
                let _ = writeln!(report, "  - {msg}");
            }
        }
    }
    if failed > 0 {
        panic!(
            "{failed} of {} fixture{} failed (records written to {}):\n{report}",
            fixtures.len(),
            plural(fixtures.len()),
            out_dir.display()
        );
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Every failed expectation of one fixture, as messages.
fn check_article(exp: &Expected, a: &Article) -> Vec<String> {
    let mut fails = Vec::new();

    if let Some(err) = &a.error {
        fails.push(format!(
            "error is set: kind {:?}, message {:?}",
            err.kind, err.message
        ));
    }

    check_sanity(exp, a, &mut fails);

    let text = norm(&a.text);
    if exp.text_empty {
        if !a.text.is_empty() {
            fails.push(format!(
                "text_empty: text should be empty, has {} words, starting {}",
                a.word_count,
                show(&a.text)
            ));
        }
    } else if a.text.trim().is_empty() {
        fails.push(format!(
            "text is empty (expected {} passages in order, {} exact lines)",
            exp.contains_in_order.len(),
            exp.lines.len()
        ));
    } else {
        // contains_in_order: each passage after the end of the previous one.
        let mut cursor = 0;
        for (i, passage) in exp.contains_in_order.iter().enumerate() {
            let p = norm(passage);
            match text[cursor..].find(&p) {
                Some(pos) => cursor += pos + p.len(),
                None if text.contains(&p) => fails.push(format!(
                    "contains_in_order[{i}] found, but out of order (before passage {}): {}",
                    i.saturating_sub(1),
                    show(passage)
                )),
                None => fails.push(format!("contains_in_order[{i}] missing: {}", show(passage))),
            }
        }
        // lines: whole lines, exactly.
        for (i, line) in exp.lines.iter().enumerate() {
            if a.text.split('\n').any(|l| l == line) {
                continue;
            }
            let n = norm(line);
            let hint = if a.text.split('\n').any(|l| norm(l) == n) {
                " (present, but with different white space)"
            } else if text.contains(&n) {
                " (its text is present, but not as one whole line)"
            } else {
                ""
            };
            fails.push(format!(
                "lines[{i}] not a line of the text{hint}: {}",
                show(line)
            ));
        }
    }

    // not_contains holds whatever the text is.
    for (i, s) in exp.not_contains.iter().enumerate() {
        if text.contains(&norm(s)) {
            fails.push(format!("not_contains[{i}] present in text: {}", show(s)));
        }
    }

    if let Some(min) = exp.min_words {
        if a.word_count < min {
            fails.push(format!(
                "word_count {} is below min_words {min}",
                a.word_count
            ));
        }
    }
    if let Some(max) = exp.max_words {
        if a.word_count > max {
            fails.push(format!(
                "word_count {} is above max_words {max}",
                a.word_count
            ));
        }
    }

    for (field, want) in &exp.meta {
        let got = match field.as_str() {
            "title" => &a.title,
            "byline" => &a.byline,
            "date" => &a.date,
            "site_name" => &a.site_name,
            "lang" => &a.lang,
            "description" => &a.description,
            "image" => &a.image,
            "url" => &a.url,
            other => {
                fails.push(format!("meta.{other}: unknown field"));
                continue;
            }
        };
        let ok = match (want, got) {
            (None, None) => true,
            (Some(w), Some(g)) if field == "date" => norm(g).starts_with(&norm(w)),
            (Some(w), Some(g)) => norm(g) == norm(w),
            _ => false,
        };
        if !ok {
            let how = if field == "date" {
                "to start with "
            } else {
                ""
            };
            fails.push(format!("meta.{field}: expected {how}{want:?}, got {got:?}"));
        }
    }

    fails
}

/// Properties every record must have, whatever the page.
fn check_sanity(exp: &Expected, a: &Article, fails: &mut Vec<String>) {
    let mut found = Vec::new();
    let text = &a.text;

    if text.starts_with('\n') || text.ends_with('\n') {
        found.push("text begins or ends with a newline".to_owned());
    }
    if !text.is_empty() {
        for (n, line) in text.trim_matches('\n').split('\n').enumerate() {
            let n = n + 1;
            if let Some(c) = line.chars().find(|&c| c.is_control() && c != '\t') {
                found.push(format!(
                    "line {n} has control character U+{:04X}: {}",
                    c as u32,
                    show(line)
                ));
            }
            if line.trim().is_empty() {
                found.push(format!("line {n} is empty or blank"));
                continue;
            }
            if line.ends_with(char::is_whitespace) {
                found.push(format!("line {n} has trailing white space: {}", show(line)));
            }
            // Code lines keep their indentation; they are declared in `lines`.
            if line.starts_with(char::is_whitespace) && !exp.lines.iter().any(|l| l == line) {
                found.push(format!("line {n} has leading white space: {}", show(line)));
            }
        }
    }

    let counted = copydesk::article::count_words(text);
    if a.word_count != counted {
        found.push(format!(
            "word_count is {}, but count_words(text) gives {counted}",
            a.word_count
        ));
    }
    if exp.text_empty {
        if a.word_count != 0 {
            found.push(format!(
                "word_count is {} for a page without article",
                a.word_count
            ));
        }
    } else if a.word_count == 0 && !text.trim().is_empty() {
        found.push("word_count is 0".to_owned());
    }

    let extra = found.len().saturating_sub(MAX_SANITY_REPORTS);
    fails.extend(found.into_iter().take(MAX_SANITY_REPORTS));
    if extra > 0 {
        fails.push(format!("… and {extra} more text sanity failures"));
    }
}

// ---------------------------------------------------------------------------
// The fixtures themselves
// ---------------------------------------------------------------------------

#[test]
fn fixtures_are_well_formed() {
    let dir = fixtures_dir();
    let fixtures = discover();
    assert!(
        !fixtures.is_empty(),
        "no fixtures found in {}",
        dir.display()
    );

    let mut problems = Vec::new();

    // Every page has an expectation file (only when not filtering).
    if std::env::var("COPYDESK_FIXTURE").is_err() {
        for entry in fs::read_dir(&dir).expect("fixtures dir") {
            let path = entry.expect("directory entry").path();
            if path.extension().and_then(|e| e.to_str()) == Some("html") {
                let stem = path
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or_default();
                if !fixtures.iter().any(|f| f.name == stem) {
                    problems.push(format!("{}: no {stem}.expected.json", path.display()));
                }
            }
        }
    }

    for f in &fixtures {
        let mut p = Vec::new();
        match (load_expected(f), fs::read(&f.html_path)) {
            (Err(e), _) => p.push(e),
            (_, Err(e)) => p.push(format!("cannot read {}: {e}", f.html_path.display())),
            (Ok(exp), Ok(bytes)) => {
                check_fixture(&exp, &bytes, &mut p);
                // The expectations must be satisfiable: a record made of the
                // expected passages and lines passes them.
                for msg in check_article(&exp, &ideal_record(&exp)) {
                    p.push(format!(
                        "a record holding exactly the expected text would fail: {msg}"
                    ));
                }
            }
        }
        for msg in p {
            problems.push(format!("{}: {msg}", f.name));
        }
    }

    if !problems.is_empty() {
        panic!(
            "{} problem(s) with the fixtures themselves:\n  - {}",
            problems.len(),
            problems.join("\n  - ")
        );
    }
}

fn check_fixture(exp: &Expected, bytes: &[u8], p: &mut Vec<String>) {
    let _ = &exp.about;
    for field in exp.meta.keys() {
        if !META_FIELDS.contains(&field.as_str()) {
            p.push(format!(
                "meta.{field} is not a known field ({})",
                META_FIELDS.join(", ")
            ));
        }
    }
    if exp.text_empty && (!exp.contains_in_order.is_empty() || !exp.lines.is_empty()) {
        p.push("text_empty is true, yet passages or lines are expected".to_owned());
    }
    if !exp.text_empty && exp.contains_in_order.is_empty() {
        p.push("contains_in_order is empty (say what the article is)".to_owned());
    }
    if let (Some(min), Some(max)) = (exp.min_words, exp.max_words) {
        if min > max {
            p.push(format!("min_words {min} > max_words {max}"));
        }
    }
    for (i, s) in exp
        .contains_in_order
        .iter()
        .chain(&exp.lines)
        .chain(&exp.not_contains)
        .enumerate()
    {
        if norm(s).is_empty() {
            p.push(format!("expectation string #{i} is empty"));
        }
    }

    let source = decode_for_check(bytes);
    // JSON-LD blocks must be valid JSON, or they test the wrong thing.
    let doc = scraper::Html::parse_document(&source);
    let ld = scraper::Selector::parse(r#"script[type="application/ld+json"]"#).expect("selector");
    for (i, script) in doc.select(&ld).enumerate() {
        let json: String = script.text().collect();
        if let Err(e) = serde_json::from_str::<serde_json::Value>(&json) {
            p.push(format!("JSON-LD block #{i} is not valid JSON: {e}"));
        }
    }
    let (visible, all) = page_texts(&source);
    let visible = norm(&visible);
    let all = norm(&all);
    let raw = norm(&source);

    // Expected passages must be on the page, in that order.
    let mut cursor = 0;
    for (i, s) in exp.contains_in_order.iter().enumerate() {
        let n = norm(s);
        match visible[cursor..].find(&n) {
            Some(pos) => cursor += pos + n.len(),
            None if visible.contains(&n) => p.push(format!(
                "contains_in_order[{i}] is on the page, but out of order: {}",
                show(s)
            )),
            None => p.push(format!(
                "contains_in_order[{i}] is not in the page's text: {}",
                show(s)
            )),
        }
    }
    for (i, s) in exp.lines.iter().enumerate() {
        if !visible.contains(&norm(s)) {
            p.push(format!("lines[{i}] is not in the page's text: {}", show(s)));
        }
    }
    // A forbidden string that is not on the page tests nothing.
    for (i, s) in exp.not_contains.iter().enumerate() {
        let n = norm(s);
        if !all.contains(&n) && !raw.contains(&n) {
            p.push(format!(
                "not_contains[{i}] is not on the page at all (typo?): {}",
                show(s)
            ));
        }
        if exp.contains_in_order.iter().any(|c| norm(c).contains(&n)) {
            p.push(format!(
                "not_contains[{i}] is inside an expected passage: {}",
                show(s)
            ));
        }
    }
}

/// The record a perfect extractor could return, built from the expectations.
fn ideal_record(exp: &Expected) -> Article {
    // Passages in order, each written as its exact line where `lines` has
    // one; then the lines no passage stood for.
    let mut used = vec![false; exp.lines.len()];
    let mut blocks: Vec<String> = Vec::new();
    for passage in &exp.contains_in_order {
        let n = norm(passage);
        match exp.lines.iter().position(|l| norm(l) == n) {
            Some(i) => {
                used[i] = true;
                blocks.push(exp.lines[i].clone());
            }
            None => blocks.push(n),
        }
    }
    for (line, used) in exp.lines.iter().zip(used) {
        if !used {
            blocks.push(line.clone());
        }
    }
    let text = if exp.text_empty {
        String::new()
    } else {
        blocks.join("\n")
    };
    let meta = |k: &str| exp.meta.get(k).cloned().flatten();
    Article {
        url: meta("url").or_else(|| exp.url.clone()),
        title: meta("title"),
        byline: meta("byline"),
        date: meta("date"),
        site_name: meta("site_name"),
        lang: meta("lang"),
        description: meta("description"),
        image: meta("image"),
        word_count: copydesk::article::count_words(&text),
        text,
        ..Article::default()
    }
}

/// Decodes a fixture for the self-check, independently of the crate's
/// decoder: BOM, then a `charset=` in the first 2 KiB, then UTF-8.
fn decode_for_check(bytes: &[u8]) -> String {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        return enc
            .decode_without_bom_handling(&bytes[bom_len..])
            .0
            .into_owned();
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
    if let Some(pos) = head.find("charset=") {
        let label: String = head[pos + 8..]
            .trim_start_matches(['"', '\''])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        if let Some(enc) = encoding_rs::Encoding::for_label(label.as_bytes()) {
            return enc.decode_without_bom_handling(bytes).0.into_owned();
        }
    }
    String::from_utf8_lossy(bytes).into_owned()
}

/// The page's text nodes: (outside `<script>`/`<style>`/`<template>`, all of them).
fn page_texts(source: &str) -> (String, String) {
    let doc = scraper::Html::parse_document(source);
    let mut visible = String::new();
    let mut all = String::new();
    for node in doc.tree.root().descendants() {
        if let scraper::Node::Text(t) = node.value() {
            // MathML lays out its tokens (identifiers, operators, numbers,
            // text) as separate boxes: `<mi>a</mi><mo>≠</mo><mn>0</mn>` reads
            // "a ≠ 0".
            let token = node.parent().is_some_and(|p| {
                matches!(p.value(), scraper::Node::Element(e)
                    if matches!(e.name(), "mi" | "mo" | "mn" | "ms" | "mtext"))
            });
            let pad = if token { " " } else { "" };
            let t = [pad, &**t, pad].concat();
            all.push_str(&t);
            let hidden = node.ancestors().any(|a| {
                matches!(a.value(), scraper::Node::Element(e)
                    if matches!(e.name(), "script" | "style" | "template"))
            });
            if !hidden {
                visible.push_str(&t);
            }
        }
    }
    (visible, all)
}
