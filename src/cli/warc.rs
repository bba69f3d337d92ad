//! `copydesk warc`: the HTML pages of WARC files (paths, standard input or
//! URLs) extracted in parallel, one JSON record per page, in input order.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fs;
use std::io::{self, BufRead, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::sync::Arc;

use copydesk::warc::{Failure, Item, Page, Pages, RecordInfo, Skip};
use copydesk::{Article, Extractor};
use serde::Serialize;

use super::batch::BatchArgs;
use super::extract::{extract_guarded, WINDOW_PER_JOB};
use super::limits::TimeArgs;
use super::ordered::for_each_ordered_within;
use super::output;
use super::progress::Progress;
use super::resume;

mod url;

/// Examples shown under `copydesk warc --help`.
const EXAMPLES: &str = "\
Examples:
  copydesk warc crawl.warc.gz                       one JSON line per HTML page
  copydesk warc a.warc.gz b.warc -j 4 -o pages.jsonl
  zcat crawl.warc.gz | copydesk warc -               standard input, plain or gzipped
  copydesk warc --paths warc.paths --shard 0/8      shard 0 of 8 of a list of files
  copydesk warc https://example.org/crawl.warc.gz   streamed, not saved (needs the `fetch` feature)

Only `response` records with HTTP status 200 and an HTML payload become
records; the others are counted and reported on stderr at the end.
Exit status: 0 if every page was extracted, 1 if any record has an
`error` (the run goes on past it), 2 for usage errors.";

/// Arguments of `copydesk warc`.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct WarcArgs {
    /// WARC files (`.warc` or `.warc.gz`, gzipped per record or whole),
    /// `-` for standard input, or http(s) URLs [default: -]
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<String>,

    /// Read more inputs from FILE (`-`: standard input), one per line;
    /// blank lines and lines starting with `#` are ignored.
    #[arg(long, value_name = "FILE")]
    pub paths: Option<PathBuf>,

    #[command(flatten)]
    pub batch: BatchArgs,

    #[command(flatten)]
    pub time: TimeArgs,
}

/// An output record as `--resume` reads it back.
///
/// The key is the input with both the `WARC-Record-ID` and the offset,
/// because neither is always there alone: the ID is unique by the standard
/// but a damaged record may not have one, and the offset is unique within
/// its input but `null` inside a whole-file gzip stream. Together they
/// tell every record apart but damaged ones in such a stream, and those
/// are told apart by count ([`resume::Done::take`]), the order of a
/// rerun's records being the order of the first run's.
#[derive(serde::Deserialize)]
struct Resumed {
    warc_file: String,
    warc_record_id: Option<String>,
    warc_offset: Option<u64>,
    #[serde(default)]
    error: Option<serde_json::Value>,
}

/// What identifies a WARC record across runs; see [`Resumed`].
type RecordKey = (String, Option<String>, Option<u64>);

impl resume::Line for Resumed {
    type Key = RecordKey;
    fn failed(&self) -> bool {
        resume::is_error(self.error.as_ref())
    }
    fn into_key(self) -> RecordKey {
        (self.warc_file, self.warc_record_id, self.warc_offset)
    }
}

/// One output record: where the page sits in the archive, then the
/// article's fields at the same level.
#[derive(Serialize)]
struct Record<'a> {
    warc_file: &'a str,
    warc_record_id: Option<&'a str>,
    warc_date: Option<&'a str>,
    warc_offset: Option<u64>,
    #[serde(flatten)]
    article: &'a Article,
}

/// A record on its way from the reader to a worker.
struct Job {
    /// The input it came from, as given.
    file: Arc<str>,
    work: Work,
}

enum Work {
    Page(Page),
    Failed(Failure),
}

impl Job {
    /// Where the record sits in its input.
    fn record(&self) -> &RecordInfo {
        match &self.work {
            Work::Page(page) => &page.record,
            Work::Failed(failure) => &failure.record,
        }
    }

    /// The key `--resume` knows this record by.
    fn key(&self) -> RecordKey {
        let record = self.record();
        (
            self.file.to_string(),
            record.record_id.clone(),
            record.offset,
        )
    }
}

/// A worker's result.
enum Done {
    /// A rendered JSON line; `failure` is `file: message` for error records.
    Line {
        line: String,
        failure: Option<String>,
    },
    /// The body turned out not to be HTML once decoded.
    NotHtml,
}

/// What was passed over, for the summary.
#[derive(Default)]
struct Tally {
    /// Records that are not responses, by `WARC-Type`.
    by_type: BTreeMap<String, u64>,
    not_http: u64,
    /// Responses by status other than 200.
    by_status: BTreeMap<u16, u64>,
    not_html: u64,
    pages: u64,
    failed: u64,
}

impl Tally {
    fn skip(&mut self, skip: Skip) {
        match skip {
            Skip::Type(kind) => *self.by_type.entry(kind).or_default() += 1,
            Skip::NotHttp => self.not_http += 1,
            Skip::Status(code) => *self.by_status.entry(code).or_default() += 1,
            Skip::NotHtml => self.not_html += 1,
        }
    }

    /// One line for stderr: `N pages (M with errors); skipped K records: ...`.
    fn summary(&self, inputs: usize) -> String {
        let mut parts: Vec<String> = self
            .by_type
            .iter()
            .map(|(kind, n)| format!("{n} {kind}"))
            .collect();
        if self.not_http > 0 {
            parts.push(format!("{} not HTTP", self.not_http));
        }
        let statuses: u64 = self.by_status.values().sum();
        if statuses > 0 {
            let codes: Vec<String> = self
                .by_status
                .iter()
                .map(|(code, n)| format!("{code}×{n}"))
                .collect();
            parts.push(format!(
                "{statuses} with status not 200 ({})",
                codes.join(" ")
            ));
        }
        if self.not_html > 0 {
            parts.push(format!("{} not HTML", self.not_html));
        }
        let skipped: u64 =
            self.by_type.values().sum::<u64>() + self.not_http + statuses + self.not_html;
        let files = if inputs == 1 { "file" } else { "files" };
        let mut line = format!(
            "{inputs} {files}: {} pages ({} with errors)",
            self.pages, self.failed
        );
        if skipped > 0 {
            line.push_str(&format!(
                "; skipped {skipped} records: {}",
                parts.join(", ")
            ));
        }
        line
    }
}

/// Runs the subcommand; returns the process exit code.
pub fn run(args: WarcArgs) -> i32 {
    let mut inputs = args.inputs.clone();
    if let Some(list) = &args.paths {
        match read_path_list(list) {
            Ok(more) => inputs.extend(more),
            Err(e) => {
                eprintln!("copydesk: cannot read --paths {}: {e}", list.display());
                return 1;
            }
        }
    } else if inputs.is_empty() {
        inputs.push("-".to_owned());
    }
    let stdin_uses =
        inputs.iter().filter(|i| *i == "-").count() + usize::from(is_stdin(args.paths.as_ref()));
    if stdin_uses > 1 {
        return super::usage_error("warc", "standard input (`-`) can be read only once");
    }
    if let Some(shard) = args.batch.shard {
        inputs.retain(|input| shard.keeps(input));
    }
    if inputs.iter().any(|i| i == "-") && io::stdin().is_terminal() && !args.batch.quiet {
        eprintln!("copydesk: reading a WARC from standard input (end it with Ctrl-D)");
    }
    let mut previous = None;
    let opened = match (&args.batch.output, args.batch.resume) {
        (Some(path), true) => resume::prepare::<Resumed>(path, args.batch.retry_errors)
            .map_err(|e| format!("cannot resume from {}: {e}", path.display()))
            .and_then(|found| {
                previous = Some(found);
                output::append(path)
            }),
        (path, _) => output::create(path.as_deref()),
    };
    let mut out = match opened {
        Ok(out) => out,
        Err(message) => {
            eprintln!("copydesk: {message}");
            return 1;
        }
    };

    let extractor = Extractor::new(args.time.options(args.batch.options()));
    let max_bytes = extractor.options().max_bytes;
    let jobs = args.batch.jobs();
    let notes = Progress::notes_only(args.batch.quiet);
    let input_count = inputs.len();

    // Filled by the reading side and the writing side in turn, both on
    // this thread.
    let tally = RefCell::new(Tally::default());
    let records = inputs.into_iter().flat_map(|input| {
        let file: Arc<str> = input.as_str().into();
        open(&input, max_bytes).map(move |item| (Arc::clone(&file), item))
    });
    let mut already_done = 0usize;
    let jobs_iter = records.filter_map(|(file, item)| {
        let work = match item {
            Item::Page(page) => Work::Page(page),
            Item::Failed(failure) => Work::Failed(failure),
            Item::Skipped(skip) => {
                tally.borrow_mut().skip(skip);
                return None;
            }
        };
        let job = Job { file, work };
        if let Some(previous) = previous.as_mut() {
            if previous.done.take(&job.key()) {
                already_done += 1;
                return None;
            }
        }
        Some(job)
    });

    let budget = args.time.budget(
        |job: &Job| (Arc::clone(&job.file), job.record().clone()),
        late_line,
    );
    let written = for_each_ordered_within(
        jobs_iter,
        jobs,
        jobs * WINDOW_PER_JOB,
        budget,
        move |job| process(&extractor, job),
        |done| match done {
            Done::NotHtml => {
                tally.borrow_mut().skip(Skip::NotHtml);
                Ok(())
            }
            Done::Line { line, failure } => {
                let mut tally = tally.borrow_mut();
                tally.pages += 1;
                if let Some(message) = &failure {
                    tally.failed += 1;
                    notes.note(message);
                }
                out.write_all(line.as_bytes())
            }
        },
    )
    .and_then(|()| out.flush());

    let tally = tally.into_inner();
    if let (Some(previous), Some(path)) = (&previous, &args.batch.output) {
        notes.note(&previous.note(path, already_done, None, "records"));
    }
    if !args.batch.quiet {
        eprintln!("copydesk: {}", tally.summary(input_count));
    }
    let failed = tally.failed > 0;
    match written {
        Ok(()) => i32::from(failed),
        // A reader such as `head` that has seen enough is not a failure.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => i32::from(failed),
        Err(e) => {
            eprintln!("copydesk: cannot write output: {e}");
            1
        }
    }
}

fn is_stdin(path: Option<&PathBuf>) -> bool {
    path.is_some_and(|p| p.as_os_str() == "-")
}

/// The inputs listed in `list` (`-`: standard input), one per line.
fn read_path_list(list: &PathBuf) -> io::Result<Vec<String>> {
    let reader: Box<dyn BufRead> = if list.as_os_str() == "-" {
        Box::new(io::stdin().lock())
    } else {
        Box::new(io::BufReader::new(fs::File::open(list)?))
    };
    let mut inputs = Vec::new();
    for line in reader.lines() {
        let line = line?;
        let line = line.trim();
        if !line.is_empty() && !line.starts_with('#') {
            inputs.push(line.to_owned());
        }
    }
    Ok(inputs)
}

/// The records of one input; an input that cannot be opened yields one
/// `io` error record.
fn open(input: &str, max_bytes: usize) -> Box<dyn Iterator<Item = Item>> {
    let pages = open_stream(input)
        .and_then(|stream| Pages::new(stream, max_bytes).map_err(|e| e.to_string()));
    match pages {
        Ok(pages) => Box::new(pages),
        Err(message) => Box::new(std::iter::once(Item::Failed(Failure {
            record: Default::default(),
            kind: "io",
            message,
        }))),
    }
}

/// The bytes of an input: a file, standard input, or a URL.
fn open_stream(input: &str) -> Result<Box<dyn Read>, String> {
    if input == "-" {
        return Ok(Box::new(io::stdin().lock()));
    }
    if is_url(input) {
        return url::open(input);
    }
    fs::File::open(input)
        .map(|file| Box::new(file) as Box<dyn Read>)
        .map_err(|e| e.to_string())
}

fn is_url(input: &str) -> bool {
    let lower = input.get(..8).unwrap_or(input).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// Decodes, extracts and renders one record; runs on a worker thread.
fn process(extractor: &Extractor, job: Job) -> Done {
    let max_bytes = extractor.options().max_bytes;
    let (record, article) = match job.work {
        Work::Failed(failure) => {
            let article = failed(&failure);
            (failure.record, article)
        }
        Work::Page(page) => {
            let content_type = page.content_type().map(str::to_owned);
            let record = page.record.clone();
            let url = record.target_uri.as_deref();
            let article = match page.html(max_bytes) {
                Ok(Some(html)) => extract_guarded(extractor, &html, content_type.as_deref(), url),
                Ok(None) => return Done::NotHtml,
                Err(e) => Article::failed(url, e.kind(), e.to_string()),
            };
            (record, article)
        }
    };
    line(&job.file, &record, &article)
}

/// The line standing in for a record whose extraction ran past its budget.
fn late_line((file, record): (Arc<str>, RecordInfo), mut article: Article) -> Done {
    article.url.clone_from(&record.target_uri);
    line(&file, &record, &article)
}

/// The output line of the record at `record` in `file`, with its failure
/// noted for stderr.
fn line(file: &str, record: &RecordInfo, article: &Article) -> Done {
    let failure = article.error.as_ref().map(|e| {
        let at = record
            .offset
            .map(|o| format!(" at offset {o}"))
            .unwrap_or_default();
        format!("{file}{at}: {} error: {}", e.kind, e.message)
    });
    let mut line = serde_json::to_string(&Record {
        warc_file: file,
        warc_record_id: record.record_id.as_deref(),
        warc_date: record.date.as_deref(),
        warc_offset: record.offset,
        article,
    })
    .expect("a record always serialises to JSON");
    line.push('\n');
    Done::Line { line, failure }
}

fn failed(failure: &Failure) -> Article {
    Article::failed(
        failure.record.target_uri.as_deref(),
        failure.kind,
        failure.message.clone(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_told_from_paths() {
        assert!(is_url("https://data.commoncrawl.org/crawl-data/x.warc.gz"));
        assert!(is_url("HTTP://a/b"));
        assert!(!is_url("crawl-data/x.warc.gz"));
        assert!(!is_url("http"));
    }

    #[test]
    fn the_summary_names_what_was_skipped() {
        let mut tally = Tally::default();
        tally.skip(Skip::Type("request".into()));
        tally.skip(Skip::Type("request".into()));
        tally.skip(Skip::Status(404));
        tally.skip(Skip::NotHtml);
        tally.pages = 3;
        tally.failed = 1;
        assert_eq!(
            tally.summary(2),
            "2 files: 3 pages (1 with errors); skipped 4 records: 2 request, \
             1 with status not 200 (404×1), 1 not HTML"
        );
    }

    #[test]
    fn a_late_record_keeps_its_place_in_the_archive() {
        let record = RecordInfo {
            target_uri: Some("https://a.test/".into()),
            record_id: Some("<urn:uuid:1>".into()),
            date: None,
            offset: Some(42),
        };
        let article = Article::failed(None, "timeout", "slow");
        let Done::Line { line, failure } = late_line(("a.warc.gz".into(), record), article) else {
            panic!("a late record is a line");
        };
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(v["url"], "https://a.test/");
        assert_eq!(v["warc_record_id"], "<urn:uuid:1>");
        assert_eq!(v["warc_offset"], 42);
        assert_eq!(v["error"]["kind"], "timeout");
        assert_eq!(
            failure.unwrap(),
            "a.warc.gz at offset 42: timeout error: slow"
        );
    }

    #[test]
    fn an_unopenable_input_is_one_io_record() {
        let items: Vec<Item> = open("/nonexistent/copydesk.warc.gz", 1000).collect();
        assert!(matches!(&items[..], [Item::Failed(f)] if f.kind == "io"));
    }
}
