//! Fetch benchmark: pages per second for `copydesk fetch` (download and
//! extract) of 2,000 pages from a local server, with per-host limits off,
//! against `copydesk extract` alone on the same pages from disk.
//!
//! ```sh
//! cargo bench --bench fetch                     # pages from ../shared/bench/*/pages
//! cargo bench --bench fetch -- DIR... [--pages N] [--runs N]
//! ```
//!
//! The pages are copied at run time into a temporary directory (for
//! `extract`) and served from memory on 127.0.0.1 (for `fetch`); none is
//! committed. Each command runs `--runs` times (default 3), the two taking
//! turns so that other load on the machine falls on both alike; the best
//! wall time counts, and the mean CPU time per page is shown beside it (the
//! steadier figure on a busy machine). The fetcher should reach at least 80% of `extract` alone.

#[path = "../tests/common/server.rs"]
mod server;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use server::{Reply, Request, Server};

fn main() {
    let mut dirs = Vec::new();
    let (mut pages, mut runs) = (2000usize, 3usize);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--pages" => pages = args.next().and_then(|n| n.parse().ok()).unwrap_or(pages),
            "--runs" => runs = args.next().and_then(|n| n.parse().ok()).unwrap_or(runs),
            // `cargo bench` passes `--bench` to every bench binary.
            "--bench" => {}
            dir => dirs.push(PathBuf::from(dir)),
        }
    }
    if dirs.is_empty() {
        dirs = bench_sets(Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/bench"
        )));
    }
    let bodies = load_pages(&dirs, pages);
    if bodies.is_empty() {
        eprintln!("fetch bench: no pages found under {dirs:?}; pass directories of *.html");
        std::process::exit(2);
    }
    let total_bytes: usize = bodies.iter().map(Vec::len).sum();
    println!(
        "fetch bench: {} pages, {:.1} MB, {} runs each, {} cores",
        bodies.len(),
        total_bytes as f64 / 1e6,
        runs,
        std::thread::available_parallelism().map_or(1, usize::from)
    );

    let work = tempfile::tempdir().expect("temporary directory");
    let page_dir = work.path().join("pages");
    std::fs::create_dir(&page_dir).unwrap();
    for (i, body) in bodies.iter().enumerate() {
        std::fs::write(page_dir.join(format!("{i:05}.html")), body).unwrap();
    }
    let bodies = Arc::new(bodies);
    let served = bodies.clone();
    let server = Server::start("127.0.0.1", move |req: &Request| {
        let index = req
            .path
            .trim_start_matches("/p/")
            .trim_end_matches(".html")
            .parse::<usize>();
        match index.ok().and_then(|i| served.get(i)) {
            // No charset: the page's own declarations decide, as for files.
            Some(body) => Reply::new(200)
                .header("Content-Type", "text/html")
                .body(body.clone()),
            None => Reply::new(404),
        }
    });
    let list = work.path().join("urls.txt");
    let urls: Vec<String> = (0..bodies.len())
        .map(|i| server.url(&format!("/p/{i:05}.html")))
        .collect();
    std::fs::write(&list, urls.join("\n")).unwrap();

    let page_dir_s = page_dir.to_str().unwrap();
    let list_s = list.to_str().unwrap();
    let extract = ["extract", page_dir_s, "-o", "/dev/null", "-q"];
    let fetch = [
        "fetch",
        "-i",
        list_s,
        "-o",
        "/dev/null",
        "-q",
        "--per-host",
        "0",
        "--delay",
        "0",
        "--ignore-robots",
        "--concurrency",
        "32",
    ];
    // Alternate the two, so that other load on the machine falls on both alike.
    let (mut extract_timing, mut fetch_timing) = (Timing::default(), Timing::default());
    for _ in 0..runs.max(1) {
        extract_timing.run(&extract);
        fetch_timing.run(&fetch);
    }
    let extract_time = extract_timing.best.unwrap_or_default();
    let fetch_time = fetch_timing.best.unwrap_or_default();
    let n = bodies.len() as f64;
    let (extract_rate, fetch_rate) = (n / extract_time.as_secs_f64(), n / fetch_time.as_secs_f64());
    println!(
        "extract alone:   {:>8.1} pages/s  ({:.2} s)",
        extract_rate,
        extract_time.as_secs_f64()
    );
    println!(
        "fetch + extract: {:>8.1} pages/s  ({:.2} s)",
        fetch_rate,
        fetch_time.as_secs_f64()
    );
    println!(
        "fetch / extract: {:>8.1} %  (target: at least 80 %)",
        100.0 * fetch_rate / extract_rate
    );
    let ((extract_cpu, _), (fetch_cpu, server_cpu)) =
        (extract_timing.mean_cpu(), fetch_timing.mean_cpu());
    if extract_cpu > 0.0 {
        println!(
            "CPU per page:    extract {:.2} ms, fetch + extract {:.2} ms (+ {:.2} ms in the test server)",
            1e3 * extract_cpu / n,
            1e3 * fetch_cpu / n,
            1e3 * server_cpu / n
        );
    }
    println!("requests served: {}", server.total_hits());
}

/// The labelled sets under `root`: directories with a `pages` folder.
fn bench_sets(root: &Path) -> Vec<PathBuf> {
    let mut sets: Vec<PathBuf> = std::fs::read_dir(root)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path().join("pages"))
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    sets.sort();
    sets
}

/// Up to `limit` `*.html` files from `dirs`, in sorted order per directory.
fn load_pages(dirs: &[PathBuf], limit: usize) -> Vec<Vec<u8>> {
    let mut bodies = Vec::new();
    for dir in dirs {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        files.retain(|p| p.extension().is_some_and(|e| e == "html" || e == "htm"));
        files.sort();
        for file in files {
            if bodies.len() == limit {
                return bodies;
            }
            if let Ok(body) = std::fs::read(&file) {
                bodies.push(body);
            }
        }
    }
    bodies
}

/// What the runs of one command took.
#[derive(Default)]
struct Timing {
    /// The shortest wall time.
    best: Option<Duration>,
    /// CPU seconds of the command itself (user + system), and of this
    /// process (the test server) meanwhile, summed over the runs.
    cpu: (f64, f64),
    runs: usize,
}

impl Timing {
    /// Runs `copydesk ARGS` once more.
    fn run(&mut self, args: &[&str]) {
        let before = cpu_seconds();
        let started = Instant::now();
        let status = Command::new(env!("CARGO_BIN_EXE_copydesk"))
            .args(args)
            .env_remove("http_proxy")
            .env_remove("HTTP_PROXY")
            .env_remove("all_proxy")
            .env_remove("ALL_PROXY")
            .status()
            .expect("run copydesk");
        let elapsed = started.elapsed();
        // Exit 1 only says some page had an error record; both commands
        // see the same pages.
        assert!(
            matches!(status.code(), Some(0 | 1)),
            "copydesk {args:?} failed: {status}"
        );
        self.best = Some(self.best.map_or(elapsed, |b| b.min(elapsed)));
        let ((own0, kids0), (own1, kids1)) = (before, cpu_seconds());
        self.cpu.0 += kids1 - kids0;
        self.cpu.1 += own1 - own0;
        self.runs += 1;
    }

    /// Mean CPU seconds per run: (command, test server).
    fn mean_cpu(&self) -> (f64, f64) {
        let runs = self.runs.max(1) as f64;
        (self.cpu.0 / runs, self.cpu.1 / runs)
    }
}

/// CPU seconds used so far by this process and by its waited-for children,
/// from /proc/self/stat (fields 14-17, in clock ticks of 1/100 s on Linux).
fn cpu_seconds() -> (f64, f64) {
    cpu_seconds_linux().unwrap_or_default()
}

fn cpu_seconds_linux() -> Option<(f64, f64)> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which may hold spaces, start at field 3.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<f64> = rest
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(0.0))
        .collect();
    let tick = |i: usize| fields.get(i - 3).copied().unwrap_or(0.0) / 100.0;
    Some((tick(14) + tick(15), tick(16) + tick(17)))
}
