//! `copydesk fetch`: URLs in, one JSON record per URL out, downloaded
//! politely and concurrently and extracted as they arrive.

mod input;
mod tally;
mod warc_out;

use super::limits::seconds;
use super::resume;
use std::fs::{File, OpenOptions};
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use copydesk::fetch::{Batch, FetchOptions, FetchRecord, Fetcher, DEFAULT_USER_AGENT};

use super::batch::BatchArgs;
use super::progress::Progress;
use tally::Tally;
use warc_out::WarcOut;

/// Examples shown under `copydesk fetch --help`.
const EXAMPLES: &str = "\
Examples:
  copydesk fetch https://example.com/news/a            one JSON line on stdout
  copydesk fetch -i urls.txt -o articles.jsonl         a list of URLs (or JSON lines with `url`)
  copydesk fetch -i urls.txt -o articles.jsonl --resume   go on after an interruption
  copydesk fetch -i urls.txt -o out.jsonl --warc-out crawl.warc.gz   keep every response
  cat urls.txt | copydesk fetch --per-host 4 --delay 0.25

Politeness by default: 2 connections and 1 s between requests per host,
32 requests in flight in all, robots.txt and its Crawl-delay obeyed.

Exit status: 0 if every URL was fetched and extracted, 1 if any record has
an `error`, 2 for usage errors, 130 if interrupted (run again with --resume).";

/// Arguments of `copydesk fetch`.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct FetchArgs {
    /// URLs to fetch; with none and no --input, URLs are read from
    /// standard input.
    #[arg(value_name = "URL")]
    pub urls: Vec<String>,

    /// Read URLs from FILE (`-` for standard input): one per line, blank
    /// lines and `#` comments skipped, or JSON lines with a `url` field.
    #[arg(short, long, value_name = "FILE")]
    pub input: Option<PathBuf>,

    #[command(flatten)]
    pub batch: BatchArgs,

    /// Requests in flight at once, over all hosts.
    #[arg(short, long, value_name = "N", default_value_t = 32, value_parser = clap::value_parser!(u32).range(1..))]
    pub concurrency: u32,

    /// Requests in flight at once to one host (0: no limit).
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub per_host: usize,

    /// Seconds between the starts of two requests to one host; a larger
    /// robots.txt Crawl-delay wins (up to 60 s).
    #[arg(long, value_name = "SECONDS", default_value = "1", value_parser = seconds)]
    pub delay: Duration,

    /// Retries of a transient failure (connect error, timeout, HTTP 429 or
    /// 5xx), with exponential backoff and jitter; Retry-After is honoured.
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub retries: u32,

    /// Seconds before the first retry (doubling for each later one).
    #[arg(long, value_name = "SECONDS", default_value = "1", value_parser = seconds)]
    pub backoff: Duration,

    /// Seconds allowed for one request, from connecting to the last byte.
    #[arg(long, value_name = "SECONDS", default_value = "30", value_parser = seconds)]
    pub timeout: Duration,

    /// Seconds the extraction of one page may take; a page over it becomes
    /// a `timeout` record and the run goes on. 0 for no limit.
    #[arg(long, value_name = "SECONDS", default_value = "10", value_parser = seconds)]
    pub extract_timeout: Duration,

    /// Seconds allowed to connect (TCP and TLS).
    #[arg(long, value_name = "SECONDS", default_value = "10", value_parser = seconds)]
    pub connect_timeout: Duration,

    /// Largest body downloaded, in bytes; larger pages are `too_large`.
    #[arg(long, value_name = "BYTES", default_value_t = 20 * 1024 * 1024)]
    pub max_bytes: usize,

    /// Redirects followed per URL.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub max_redirects: usize,

    /// Refuse hosts that are or resolve only to loopback, private,
    /// link-local or other non-public addresses, on every redirect too
    /// (such URLs become `blocked` records); for services that fetch URLs
    /// their users give. Proxies from the environment are then not used.
    #[arg(long)]
    pub deny_private: bool,

    /// Do not fetch or obey robots.txt.
    #[arg(long)]
    pub ignore_robots: bool,

    /// The User-Agent header; its first word is the name matched in
    /// robots.txt [default: copydesk/VERSION (+REPOSITORY)]
    #[arg(long, value_name = "UA")]
    pub user_agent: Option<String>,

    /// Also write every HTTP response (and request) to FILE as gzipped
    /// WARC/1.1 records.
    #[arg(long, value_name = "FILE")]
    pub warc_out: Option<PathBuf>,
}

/// Exit status of a run stopped by Ctrl-C or SIGTERM, as shells report it.
const INTERRUPTED: i32 = 130;

/// Runs the subcommand; returns the process exit code.
pub fn run(args: FetchArgs) -> i32 {
    let notes = Progress::notes_only(args.batch.quiet);
    let mut urls = match gather_urls(&args) {
        Ok(urls) => urls,
        Err(message) => {
            eprintln!("copydesk: {message}");
            return 1;
        }
    };
    if let Some(shard) = args.batch.shard {
        urls.retain(|url| shard.keeps(url));
    }
    let duplicates = input::dedupe(&mut urls);
    if duplicates > 0 {
        notes.note(&format!("{duplicates} repeated URLs fetched once"));
    }
    if args.batch.resume {
        let Some(path) = args.batch.output.as_deref() else {
            return super::usage_error("fetch", "--resume needs --output");
        };
        match resume::prepare::<resume::BySource>(path, args.batch.retry_errors) {
            Ok(mut previous) => {
                let before = urls.len();
                urls.retain(|url| !previous.done.take(url.as_str()));
                notes.note(&previous.note(path, before - urls.len(), Some(before), "URLs"));
            }
            Err(e) => {
                eprintln!("copydesk: cannot resume from {}: {e}", path.display());
                return 1;
            }
        }
    }

    let options = fetch_options(&args);
    let fetcher = match Fetcher::new(options) {
        Ok(fetcher) => fetcher,
        Err(e) => return super::usage_error("fetch", &e.to_string()),
    };
    let mut out = match open_output(args.batch.output.as_deref(), args.batch.resume) {
        Ok(out) => out,
        Err(e) => {
            let name = args
                .batch
                .output
                .as_deref()
                .unwrap_or(Path::new("-"))
                .display();
            eprintln!("copydesk: cannot open {name}: {e}");
            return 1;
        }
    };
    let warc = match &args.warc_out {
        Some(path) => match WarcOut::create(path, &warc_info(fetcher.options()), args.batch.resume)
        {
            Ok(warc) => Some(Arc::new(warc)),
            Err(e) => {
                eprintln!("copydesk: cannot create {}: {e}", path.display());
                return 1;
            }
        },
        None => None,
    };
    let fetcher = match &warc {
        Some(warc) => fetcher.with_recorder(warc.clone()),
        None => fetcher,
    };

    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("copydesk: cannot start the async runtime: {e}");
            return 1;
        }
    };
    let progress = Progress::new(urls.len(), args.batch.quiet);
    let interrupted = Arc::new(AtomicBool::new(false));
    let (tally, written) = runtime.block_on(async {
        let mut batch = fetcher.start(urls);
        tokio::spawn(stop_on_signal(
            batch.stopper(),
            interrupted.clone(),
            args.batch.quiet,
        ));
        let result = drain(&mut batch, &mut out, &progress).await;
        (result.0, result.1.map(|()| batch.unfetched()))
    });
    progress.finish();
    // The batch is over; no task is left to record anything.
    runtime.shutdown_timeout(Duration::from_secs(1));

    let warc_result = warc.map(|warc| warc.finish());
    let interrupted = interrupted.load(Ordering::SeqCst);
    if !args.batch.quiet {
        eprintln!("copydesk: {}", tally.summary());
    }
    let mut status = i32::from(tally.failed() > 0);
    match written {
        Ok(unfetched) if interrupted || unfetched > 0 => {
            if !args.batch.quiet {
                eprintln!(
                    "copydesk: interrupted: {unfetched} URLs not fetched; run again with --resume to finish"
                );
            }
            status = INTERRUPTED;
        }
        Ok(_) => {}
        // A reader such as `head` that has seen enough is not a failure.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        Err(e) => {
            eprintln!("copydesk: cannot write output: {e}");
            status = 1;
        }
    }
    if let Some(Err(e)) = warc_result {
        eprintln!("copydesk: cannot write the WARC file: {e}");
        status = status.max(1);
    }
    status
}

/// The URLs of the run, in order: arguments, then --input, then standard
/// input if neither was given.
fn gather_urls(args: &FetchArgs) -> Result<Vec<String>, String> {
    let mut urls = args.urls.clone();
    match args.input.as_deref() {
        Some(path) if path.as_os_str() != "-" => {
            let file =
                File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let listed = input::read_list(io::BufReader::new(file))
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            urls.extend(listed);
        }
        Some(_) => urls.extend(read_stdin(args.batch.quiet)?),
        None if args.urls.is_empty() => urls.extend(read_stdin(args.batch.quiet)?),
        None => {}
    }
    Ok(urls)
}

fn read_stdin(quiet: bool) -> Result<Vec<String>, String> {
    let stdin = io::stdin();
    if stdin.is_terminal() && !quiet {
        eprintln!("copydesk: reading URLs from standard input (end it with Ctrl-D)");
    }
    input::read_list(stdin.lock()).map_err(|e| format!("cannot read standard input: {e}"))
}

fn fetch_options(args: &FetchArgs) -> FetchOptions {
    FetchOptions {
        user_agent: args
            .user_agent
            .clone()
            .unwrap_or_else(|| DEFAULT_USER_AGENT.to_owned()),
        concurrency: args.concurrency as usize,
        per_host: args.per_host,
        delay: args.delay,
        retries: args.retries,
        backoff: args.backoff,
        timeout: args.timeout,
        connect_timeout: args.connect_timeout,
        max_redirects: args.max_redirects,
        obey_robots: !args.ignore_robots,
        deny_private: args.deny_private,
        extract_jobs: args.batch.jobs(),
        extract: copydesk::Options {
            max_bytes: args.max_bytes,
            time_budget: super::limits::budget(args.extract_timeout),
            ..args.batch.options()
        },
        ..FetchOptions::default()
    }
}

/// The `warcinfo` fields of a run.
fn warc_info(options: &FetchOptions) -> Vec<(&'static str, &str)> {
    vec![
        ("software", concat!("copydesk/", env!("CARGO_PKG_VERSION"))),
        ("format", "WARC File Format 1.1"),
        ("http-header-user-agent", options.user_agent.as_str()),
        (
            "robots",
            if options.obey_robots {
                "obey"
            } else {
                "ignore"
            },
        ),
    ]
}

/// Where records go. Each record is handed to it as one whole line and
/// flushed at once, so a reader (or a crash) never sees half of one.
fn open_output(path: Option<&Path>, append: bool) -> io::Result<Box<dyn Write>> {
    Ok(match path {
        // Unbuffered: one `write_all` per record reaches the file whole.
        Some(path) if append => Box::new(OpenOptions::new().create(true).append(true).open(path)?),
        Some(path) => Box::new(File::create(path)?),
        None => Box::new(io::stdout()),
    })
}

/// Writes the batch's records as they come; returns the counts and the
/// first write error, after which the batch is stopped.
async fn drain(
    batch: &mut Batch,
    out: &mut dyn Write,
    progress: &Progress,
) -> (Tally, io::Result<()>) {
    let mut tally = Tally::new();
    while let Some(record) = batch.next().await {
        if let Err(e) = write_record(out, &record) {
            batch.stopper().stop();
            // Let the batch wind down; its records have nowhere to go.
            while batch.next().await.is_some() {}
            return (tally, Err(e));
        }
        let kind = record.article.error.as_ref().map(|e| e.kind.as_str());
        tally.add(kind);
        if let Some(error) = &record.article.error {
            progress.note(&format!(
                "{}: {} error: {}",
                record.source, error.kind, error.message
            ));
        }
        progress.set_message(tally.brief());
        progress.inc();
    }
    (tally, Ok(()))
}

fn write_record(out: &mut dyn Write, record: &FetchRecord) -> io::Result<()> {
    let mut line = serde_json::to_vec(record).map_err(io::Error::other)?;
    line.push(b'\n');
    out.write_all(&line)?;
    out.flush()
}

/// On Ctrl-C (or SIGTERM): stop taking new URLs and let the requests in
/// flight finish and be recorded. A second Ctrl-C quits at once; every
/// record written so far is whole, so `--resume` picks up from there.
async fn stop_on_signal(
    stopper: copydesk::fetch::Stopper,
    interrupted: Arc<AtomicBool>,
    quiet: bool,
) {
    if !signal().await {
        return;
    }
    interrupted.store(true, Ordering::SeqCst);
    stopper.stop();
    if !quiet {
        eprintln!(
            "copydesk: stopping: finishing the requests in flight (Ctrl-C again to quit now)"
        );
    }
    if signal().await {
        std::process::exit(INTERRUPTED);
    }
}

/// Waits for Ctrl-C or SIGTERM; `false` if signals cannot be watched.
async fn signal() -> bool {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let Ok(mut terminate) = signal(SignalKind::terminate()) else {
            return tokio::signal::ctrl_c().await.is_ok();
        };
        tokio::select! {
            result = tokio::signal::ctrl_c() => result.is_ok(),
            _ = terminate.recv() => true,
        }
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await.is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_whole_lines() {
        let mut out = Vec::new();
        let record = FetchRecord::failed("x", copydesk::fetch::ErrorKind::InvalidUrl, "bad\nline");
        write_record(&mut out, &record).unwrap();
        assert_eq!(out.iter().filter(|&&b| b == b'\n').count(), 1);
        assert!(out.ends_with(b"}\n"));
    }
}
