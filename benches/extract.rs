//! Regression timings of extraction: every page of `fixtures/*.html`, from
//! bytes to record, and the parse alone as the yardstick on the same page.
//!
//! `cargo bench --bench extract` (criterion keeps the previous run and
//! reports the change). The throughput figures for the benchmark sets, with
//! the per-stage breakdown and all cores, come from `copydesk bench`.

use std::fs;
use std::path::Path;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

/// The fixture pages, sorted by name: (name, bytes).
fn fixtures() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut pages: Vec<(String, Vec<u8>)> = fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "html"))
                .filter_map(|p| {
                    let name = p.file_stem()?.to_string_lossy().into_owned();
                    Some((name, fs::read(&p).ok()?))
                })
                .collect()
        })
        .unwrap_or_default();
    pages.sort();
    pages
}

fn extract(c: &mut Criterion) {
    let extractor = copydesk::Extractor::default();
    let mut group = c.benchmark_group("extract");
    for (name, bytes) in fixtures() {
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_with_input(
            BenchmarkId::new("bytes_to_record", &name),
            &bytes,
            |b, bytes| {
                b.iter(|| extractor.extract_bytes(bytes, None, None));
            },
        );
        let text = copydesk::decode::decode(&bytes, None).unwrap_or_default();
        group.bench_with_input(BenchmarkId::new("parse_only", &name), &text, |b, text| {
            b.iter(|| scraper::Html::parse_document(text));
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    // Fixtures are small pages: short measurements keep the run near a minute.
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(std::time::Duration::from_millis(300))
        .measurement_time(std::time::Duration::from_secs(1));
    targets = extract
}
criterion_main!(benches);
