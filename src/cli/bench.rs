//! `copydesk bench`: how fast extraction runs, compared in the same run with
//! parsing alone, on one thread and on all cores, stage by stage.
//!
//! All pages are read into memory first, so the figures measure the
//! extractor and not the disk. Every repetition runs the three passes
//! (parse only, extraction on one thread, extraction on all threads) back to
//! back on the same pages; medians over repetitions are reported, and the
//! ratios are medians of the per-repetition ratios, which cancels most of
//! the drift of a machine shared with other work.

mod report;
mod scaling;

use std::fs;
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use copydesk::{Extractor, Options, Timings};

use super::output::{self, Format};

/// Examples shown under `copydesk bench --help`.
const EXAMPLES: &str = "\
Examples:
  copydesk bench ../shared/bench/*              all labelled sets, pooled
  copydesk bench --repeat 5 --json pages/       any directory of .html files
  copydesk bench --scaling fixtures/            1, 10, 50 MB pages and pathological ones
  copydesk bench --verify ../shared/bench/*     the pre-pass changes no page's result";

/// Arguments of `copydesk bench`.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct BenchArgs {
    /// Labelled set directories, directories of HTML files (searched
    /// recursively) or HTML files; other files are skipped.
    #[arg(value_name = "INPUT", required = true)]
    pub inputs: Vec<PathBuf>,

    /// Repetitions of each measurement; medians are reported.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub repeat: usize,

    /// Threads for the all-cores pass [default: all cores]
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<NonZeroUsize>,

    /// Print one JSON object instead of tables.
    #[arg(long)]
    pub json: bool,

    /// Measure how time and memory grow with page size instead: the page
    /// with the longest article, repeated to 1, 10 and 50 MB, and synthetic
    /// pathological pages at two sizes each.
    #[arg(long)]
    pub scaling: bool,

    /// Page sizes in MB for `--scaling`.
    #[arg(long, value_name = "MB,...", value_delimiter = ',', default_values_t = [1, 10, 50])]
    pub sizes: Vec<usize>,

    /// Instead of timing, check that the pre-pass leaves every page's
    /// metadata and body exactly as they are without it; exit 1 if not.
    #[arg(long)]
    pub verify: bool,

    /// Time the hand-written rules alone, without the learned line model.
    #[arg(long)]
    pub no_line_model: bool,
}

/// One page held in memory.
pub(crate) struct Page {
    /// Where it was read from.
    pub source: String,
    /// The raw bytes, as extraction gets them.
    pub bytes: Vec<u8>,
    /// The decoded text, as the parse-only baseline gets it.
    pub text: String,
}

/// Runs the subcommand; returns the process exit code.
pub fn run(args: BenchArgs) -> i32 {
    let pages = match load(&args.inputs) {
        Ok(pages) if !pages.is_empty() => pages,
        Ok(_) => {
            eprintln!("copydesk: no .html or .htm pages in the inputs");
            return 2;
        }
        Err(message) => {
            eprintln!("copydesk: {message}");
            return 2;
        }
    };
    let jobs = args
        .jobs
        .map_or_else(super::batch::thread_count, NonZeroUsize::get);
    let repeat = args.repeat.max(1);
    if args.verify {
        return verify(&pages, jobs);
    }
    if args.scaling {
        let figures = scaling::run(&pages, &args.sizes, repeat);
        report::print_scaling(&figures, args.json);
        return 0;
    }
    let options = Options {
        line_model: !args.no_line_model,
        ..Options::default()
    };
    let figures = measure(&pages, jobs, repeat, &options);
    report::print_throughput(&figures, args.json);
    0
}

/// Reads every HTML page of the inputs, in sorted order within a directory.
fn load(inputs: &[PathBuf]) -> Result<Vec<Page>, String> {
    let mut paths = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut found = Vec::new();
            walk(input, &mut found).map_err(|e| format!("{}: {e}", input.display()))?;
            found.sort();
            paths.extend(found);
        } else if is_html(input) {
            paths.push(input.clone());
        } else {
            eprintln!("copydesk: skipping {}: not an HTML file", input.display());
        }
    }
    paths
        .into_iter()
        .map(|path| {
            let bytes = fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            // A page that does not decode is still timed: extraction reports
            // the error quickly, and the baseline parses nothing.
            let text = copydesk::decode::decode(&bytes, None).unwrap_or_default();
            Ok(Page {
                source: path.display().to_string(),
                bytes,
                text,
            })
        })
        .collect()
}

/// Collects the HTML files below `dir`; an explicit stack, since trees can
/// nest deeper than the call stack, and links to directories are not followed.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir)? {
            let entry = entry?;
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                stack.push(path);
            } else if is_html(&path) {
                out.push(path);
            }
        }
    }
    Ok(())
}

fn is_html(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
}

/// The figures of one throughput run.
pub(crate) struct Throughput {
    pub pages: usize,
    pub bytes: usize,
    pub jobs: usize,
    pub repeat: usize,
    /// Median wall time of a parse-only pass, one thread.
    pub parse: Duration,
    /// Median wall time of an extraction pass (bytes to JSON line), one thread.
    pub one: Duration,
    /// Median wall time of an extraction pass on `jobs` threads.
    pub all: Duration,
    /// CPU time the process used in that pass (Linux), to tell a pass that
    /// had the cores to itself from one that shared them.
    pub all_cpu: Option<Duration>,
    /// CPU time of the one-thread extraction pass (Linux).
    pub one_cpu: Option<Duration>,
    /// The 1-minute load average before the run (Linux).
    pub load: Option<f64>,
    /// Median per-repetition ratio of extraction to parse-only pages/s.
    pub ratio_parse: f64,
    /// Median per-repetition ratio of all-threads to one-thread pages/s.
    pub ratio_threads: f64,
    /// Stage times of the median one-thread pass.
    pub stages: Timings,
    /// Serialising the records in that pass.
    pub serialise: Duration,
}

/// Runs `repeat` repetitions of the three passes and takes medians.
fn measure(pages: &[Page], jobs: usize, repeat: usize, options: &Options) -> Throughput {
    let extractor = Extractor::new(options.clone());
    // Warm-up: compile the lazily built regexes, grow the allocator's pools.
    for page in pages.iter().take(50) {
        extract_one(&extractor, page, &mut Timings::default());
    }
    let load = load_average();
    let mut runs = Vec::with_capacity(repeat);
    for _ in 0..repeat {
        let parse = parse_pass(pages);
        let cpu = cpu_time();
        let (one, stages, serialise) = extract_pass(&extractor, pages);
        let one_cpu = cpu.zip(cpu_time()).map(|(a, b)| b.saturating_sub(a));
        let cpu = cpu_time();
        let all = parallel_pass(&extractor, pages, jobs);
        let all_cpu = cpu.zip(cpu_time()).map(|(a, b)| b.saturating_sub(a));
        runs.push((parse, one, all, stages, serialise, all_cpu, one_cpu));
    }
    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64().max(1e-9);
    let mut by_one: Vec<_> = runs.iter().collect();
    by_one.sort_by_key(|r| r.1);
    let median_run = by_one[by_one.len() / 2];
    Throughput {
        pages: pages.len(),
        bytes: pages.iter().map(|p| p.bytes.len()).sum(),
        jobs,
        repeat,
        parse: median(runs.iter().map(|r| r.0)),
        one: median(runs.iter().map(|r| r.1)),
        all: median(runs.iter().map(|r| r.2)),
        all_cpu: runs
            .iter()
            .map(|r| r.5)
            .collect::<Option<Vec<_>>>()
            .map(|v| median(v.into_iter())),
        one_cpu: runs
            .iter()
            .map(|r| r.6)
            .collect::<Option<Vec<_>>>()
            .map(|v| median(v.into_iter())),
        load,
        ratio_parse: median_f64(runs.iter().map(|r| ratio(r.0, r.1))),
        ratio_threads: median_f64(runs.iter().map(|r| ratio(r.1, r.2))),
        stages: median_run.3,
        serialise: median_run.4,
    }
}

/// The baseline: `scraper::Html::parse_document` on the decoded text, and
/// freeing the tree, which extraction pays for too.
fn parse_pass(pages: &[Page]) -> Duration {
    let start = Instant::now();
    for page in pages {
        let doc = scraper::Html::parse_document(&page.text);
        drop(std::hint::black_box(doc));
    }
    start.elapsed()
}

/// Extraction of every page on this thread: wall time, stage times, and
/// the part spent serialising records.
fn extract_pass(extractor: &Extractor, pages: &[Page]) -> (Duration, Timings, Duration) {
    let mut stages = Timings::default();
    let mut serialise = Duration::ZERO;
    let start = Instant::now();
    for page in pages {
        serialise += extract_one(extractor, page, &mut stages);
    }
    (start.elapsed(), stages, serialise)
}

/// Extraction on `jobs` threads, pages handed out one at a time.
fn parallel_pass(extractor: &Extractor, pages: &[Page], jobs: usize) -> Duration {
    let next = AtomicUsize::new(0);
    let start = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| {
                let mut stages = Timings::default();
                while let Some(page) = pages.get(next.fetch_add(1, Ordering::Relaxed)) {
                    extract_one(extractor, page, &mut stages);
                }
            });
        }
    });
    start.elapsed()
}

/// CPU time of this process so far, user and system, from `/proc` (Linux).
fn cpu_time() -> Option<Duration> {
    let stat = fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // The kernel's clock tick is 100 Hz on every common configuration.
    Some(Duration::from_millis(ticks * 10))
}

/// The 1-minute load average (Linux).
fn load_average() -> Option<f64> {
    fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// What `copydesk extract` does with a page once read: extract, then render
/// the JSON line. Returns the rendering time.
fn extract_one(extractor: &Extractor, page: &Page, stages: &mut Timings) -> Duration {
    let article = extractor.extract_bytes_timed(&page.bytes, None, None, stages);
    let start = Instant::now();
    let line = output::render(Format::Jsonl, &page.source, &article, false);
    std::hint::black_box(line);
    start.elapsed()
}

pub(crate) fn median(values: impl Iterator<Item = Duration>) -> Duration {
    let mut v: Vec<Duration> = values.collect();
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

fn median_f64(values: impl Iterator<Item = f64>) -> f64 {
    let mut v: Vec<f64> = values.collect();
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or_default()
}

/// `--verify`: with and without the pre-pass, every page must give the same
/// metadata and body (text, Markdown, comments, byline), both with Markdown
/// (link targets kept) and without (link targets emptied). Prints the pages
/// that differ and what differs; exit 1 if any.
fn verify(pages: &[Page], jobs: usize) -> i32 {
    let modes = [true, false].map(|markdown| Options {
        markdown,
        comments: true,
        ..Options::default()
    });
    let next = AtomicUsize::new(0);
    let differing: Vec<String> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..jobs)
            .map(|_| {
                scope.spawn(|| {
                    let mut found = Vec::new();
                    while let Some(page) = pages.get(next.fetch_add(1, Ordering::Relaxed)) {
                        let mut fields = differences(&page.text, &modes[0]);
                        fields.extend(differences(&page.text, &modes[1]));
                        fields.dedup();
                        if !fields.is_empty() {
                            found.push(format!("{}: {}", page.source, fields.join(", ")));
                        }
                    }
                    found
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_default())
            .collect()
    });
    let mut differing = differing;
    differing.sort();
    for line in &differing {
        println!("{line}");
    }
    println!(
        "{} of {} pages differ with the pre-pass",
        differing.len(),
        pages.len()
    );
    i32::from(!differing.is_empty())
}

/// The fields of metadata and body that differ between parsing `html` as
/// it is and parsing it after [`copydesk::prefilter::strip`].
fn differences(html: &str, options: &Options) -> Vec<&'static str> {
    let run = |html: &str| {
        let doc = scraper::Html::parse_document(html);
        let meta = copydesk::metadata::extract(&doc, None);
        let body = copydesk::extract::extract_body(&doc, &meta, options);
        (meta, body)
    };
    let (meta_a, body_a) = run(html);
    let (meta_b, body_b) = run(&copydesk::prefilter::strip_with(html, options.markdown));
    let mut out = Vec::new();
    let mut check = |same: bool, name| {
        if !same {
            out.push(name);
        }
    };
    check(meta_a.title == meta_b.title, "title");
    check(meta_a.byline == meta_b.byline, "byline");
    check(meta_a.date == meta_b.date, "date");
    check(meta_a.site_name == meta_b.site_name, "site_name");
    check(meta_a.lang == meta_b.lang, "lang");
    check(meta_a.description == meta_b.description, "description");
    check(meta_a.image == meta_b.image, "image");
    check(
        meta_a.canonical_url == meta_b.canonical_url,
        "canonical_url",
    );
    check(body_a.text == body_b.text, "text");
    check(body_a.markdown == body_b.markdown, "markdown");
    check(body_a.comments == body_b.comments, "comments");
    check(body_a.byline == body_b.byline, "body byline");
    out
}
