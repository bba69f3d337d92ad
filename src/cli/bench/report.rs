//! How `copydesk bench` prints its figures: aligned tables, or one JSON object.

use std::time::Duration;

use copydesk::Timings;
use serde_json::{json, Value};

use super::scaling::Scaling;
use super::Throughput;

const MB: f64 = 1_000_000.0;

/// Prints the throughput figures.
pub(crate) fn print_throughput(t: &Throughput, as_json: bool) {
    let rate = |d: Duration| t.pages as f64 / secs(d);
    let mbs = |d: Duration| t.bytes as f64 / MB / secs(d);
    let mut stages = stage_list(&t.stages);
    stages.push(("serialise", t.serialise));
    if as_json {
        let pass =
            |d: Duration| json!({"seconds": secs(d), "pages_per_s": rate(d), "mb_per_s": mbs(d)});
        let value = json!({
            "pages": t.pages,
            "bytes": t.bytes,
            "repeat": t.repeat,
            "jobs": t.jobs,
            "parse_only": pass(t.parse),
            "extract_one_thread": pass(t.one),
            "extract_all_threads": pass(t.all),
            "ratio_extract_to_parse": t.ratio_parse,
            "ratio_all_to_one_thread": t.ratio_threads,
            "all_threads_cpu_seconds": t.all_cpu.map(secs),
            "one_thread_cpu_seconds": t.one_cpu.map(secs),
            "load_average_before": t.load,
            "stages_ms_per_page": Value::Object(stages
                .iter()
                .map(|(name, d)| (name.to_string(), json!(ms_per_page(*d, t.pages))))
                .collect()),
        });
        println!("{value}");
        return;
    }
    println!(
        "{} pages, {:.1} MB; medians of {} repetitions",
        t.pages,
        t.bytes as f64 / MB,
        t.repeat
    );
    println!();
    println!(
        "{:<34} {:>9} {:>8} {:>9}",
        "pass", "pages/s", "MB/s", "ms/page"
    );
    let rows = [
        ("parse only, 1 thread (baseline)".to_string(), t.parse),
        ("extract, 1 thread".to_string(), t.one),
        (format!("extract, {} threads", t.jobs), t.all),
    ];
    for (name, d) in rows {
        println!(
            "{name:<34} {:>9.1} {:>8.2} {:>9.3}",
            rate(d),
            mbs(d),
            ms_per_page(d, t.pages)
        );
    }
    println!();
    println!(
        "extract / parse-only pages/s, 1 thread: {:.2}x",
        t.ratio_parse
    );
    println!(
        "extract pages/s, {} threads / 1 thread:  {:.2}x",
        t.jobs, t.ratio_threads
    );
    if let (Some(one), Some(all)) = (t.one_cpu, t.all_cpu) {
        // Fewer busy cores than threads: other work on the machine had the
        // rest. Equal CPU time per page in both passes means the threads
        // themselves cost nothing, and pages/s grow with the free cores.
        println!(
            "  cores busy: {:.2} in the 1-thread pass, {:.2} in the {}-thread pass \
             (load average before the run {}); CPU ms/page {:.3} and {:.3}",
            secs(one) / secs(t.one),
            secs(all) / secs(t.all),
            t.jobs,
            t.load.map_or("-".to_string(), |l| format!("{l:.2}")),
            ms_per_page(one, t.pages),
            ms_per_page(all, t.pages),
        );
    }
    println!();
    println!("stages of extraction, 1 thread (median pass):");
    let total: Duration = stages.iter().map(|(_, d)| *d).sum();
    for (name, d) in &stages {
        println!(
            "  {name:<10} {:>8.3} ms/page {:>5.1} %",
            ms_per_page(*d, t.pages),
            100.0 * secs(*d) / secs(total)
        );
    }
}

/// The stages of `t` in pipeline order.
fn stage_list(t: &Timings) -> Vec<(&'static str, Duration)> {
    let e = &t.extract;
    vec![
        ("decode", t.decode),
        ("prefilter", t.prefilter),
        ("guard", t.guard),
        ("parse", t.parse),
        ("metadata", t.metadata),
        ("arena", e.arena),
        ("prune", e.prune),
        ("score", e.score),
        ("select", e.select),
        ("clean", e.clean),
        ("assemble", e.assemble),
        ("free", t.free),
        ("finish", t.finish),
    ]
}

/// Prints the scaling figures.
pub(crate) fn print_scaling(s: &Scaling, as_json: bool) {
    let first = s.sizes.first().map(|r| secs(r.time));
    if as_json {
        let sizes: Vec<Value> = s
            .sizes
            .iter()
            .map(|r| {
                json!({
                    "mb": r.mb,
                    "bytes": r.bytes,
                    "seconds": secs(r.time),
                    "time_vs_first": first.map(|f| secs(r.time) / f),
                    "rss_before_bytes": r.rss_before,
                    "rss_peak_bytes": r.rss_peak,
                    "parse_seconds": secs(r.stages.parse),
                    "extract_seconds": secs(r.stages.extract_total()),
                })
            })
            .collect();
        let shapes: Vec<Value> = s
            .shapes
            .iter()
            .map(|r| {
                json!({
                    "shape": r.name,
                    "n": r.n,
                    "seconds": [secs(r.time[0]), secs(r.time[1])],
                    "growth": secs(r.time[1]) / secs(r.time[0]),
                })
            })
            .collect();
        let value =
            json!({"base": s.base, "base_bytes": s.base_bytes, "sizes": sizes, "shapes": shapes});
        println!("{value}");
        return;
    }
    println!(
        "base page: {} ({:.0} KB), body repeated",
        s.base,
        s.base_bytes as f64 / 1000.0
    );
    println!();
    println!(
        "{:>8} {:>10} {:>8} {:>10} {:>12} {:>12} {:>10}  stages (parse / metadata / extract)",
        "size", "time", "MB/s", "x first", "RSS before", "peak RSS", "peak/size"
    );
    for r in &s.sizes {
        let mb = |b: Option<u64>| b.map_or("-".to_string(), |b| format!("{:.0} MB", b as f64 / MB));
        println!(
            "{:>5} MB {:>8.3} s {:>8.1} {:>9.1}x {:>12} {:>12} {:>9}  {:.2} / {:.2} / {:.2} s",
            r.mb,
            secs(r.time),
            r.bytes as f64 / MB / secs(r.time),
            first.map_or(0.0, |f| secs(r.time) / f),
            mb(r.rss_before),
            mb(r.rss_peak),
            r.rss_peak.map_or("-".to_string(), |p| format!(
                "{:.1}x",
                p as f64 / r.bytes as f64
            )),
            secs(r.stages.parse),
            secs(r.stages.metadata),
            secs(r.stages.extract_total()),
        );
    }
    println!();
    println!("pathological pages (linear growth: 10x time for 10x size):");
    for r in &s.shapes {
        println!(
            "  {:<28} n={:>7}: {:>8.1} ms   n={:>7}: {:>8.1} ms   {:>5.1}x",
            r.name,
            r.n[0],
            secs(r.time[0]) * 1000.0,
            r.n[1],
            secs(r.time[1]) * 1000.0,
            secs(r.time[1]) / secs(r.time[0])
        );
        println!("      at n={}: {}", r.n[1], stage_summary(&r.stages));
    }
}

/// The stages of one extraction that took a millisecond or more, in order.
fn stage_summary(t: &Timings) -> String {
    let shown: Vec<String> = stage_list(t)
        .iter()
        .filter(|(_, d)| d.as_millis() >= 1)
        .map(|(name, d)| format!("{name} {:.0} ms", secs(*d) * 1000.0))
        .collect();
    shown.join(", ")
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64().max(1e-9)
}

fn ms_per_page(d: Duration, pages: usize) -> f64 {
    d.as_secs_f64() * 1000.0 / pages.max(1) as f64
}
