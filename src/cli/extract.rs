//! `copydesk extract`: HTML files, directories or stdin in, one record per
//! document out, in input order, extracted in parallel.

use std::fs;
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use copydesk::guard::catching_panics;
use copydesk::{Article, Extractor};

use super::batch::BatchArgs;
use super::limits::LimitArgs;
use super::ordered::for_each_ordered_within;
use super::output::{self, Format};
use super::progress::Progress;
use super::resume;

/// Examples shown under `copydesk extract --help`.
const EXAMPLES: &str = "\
Examples:
  copydesk extract page.html                      one JSON line on stdout
  copydesk extract --url https://example.com/a page.html
  copydesk extract pages/ -o articles.jsonl       every *.html/*.htm below pages/, sorted
  curl -s https://example.com/a | copydesk extract --url https://example.com/a
  copydesk extract --format text a.html b.html    text under '==> a.html <==' headers
  copydesk extract pages/ -o out.jsonl --resume   go on after an interruption

Exit status: 0 if every document was extracted, 1 if any record has an
`error` (the run goes on past it), 2 for usage errors.";

/// How many inputs may wait in the reorder window per worker thread: enough
/// to keep threads busy behind one slow page, few enough to bound memory.
pub(super) const WINDOW_PER_JOB: usize = 4;

/// Arguments of `copydesk extract`.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct ExtractArgs {
    /// HTML files, directories (every *.html and *.htm below, recursively,
    /// in sorted order), or `-` for standard input [default: -]
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// The page's URL, recorded in `url` and used to resolve links; only with
    /// a single input.
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,

    /// Output format: `jsonl` records; `text` or `markdown` bodies, each
    /// under a `==> SOURCE <==` header when there are several inputs.
    #[arg(short, long, value_enum, default_value_t = Format::Jsonl)]
    pub format: Format,

    #[command(flatten)]
    pub batch: BatchArgs,

    #[command(flatten)]
    pub limits: LimitArgs,
}

/// One document to extract.
#[derive(Debug)]
enum Input {
    /// Standard input, reported as source `-`.
    Stdin,
    /// A file, read when its turn comes.
    File(PathBuf),
    /// A directory that could not be listed: becomes an `io` error record.
    Unlistable(PathBuf, String),
}

impl Input {
    fn source(&self) -> String {
        match self {
            Input::Stdin => "-".to_owned(),
            Input::File(path) | Input::Unlistable(path, _) => path.display().to_string(),
        }
    }
}

/// A rendered document on its way to the output.
struct Done {
    rendered: String,
    /// `source: message` when the record carries an error.
    failure: Option<String>,
}

/// Runs the subcommand; returns the process exit code.
pub fn run(args: ExtractArgs) -> i32 {
    let stdin_count = args.inputs.iter().filter(|p| is_stdin(p)).count();
    if stdin_count > 1 {
        return super::usage_error("extract", "standard input (`-`) can be read only once");
    }
    if args.url.is_some() && args.inputs.len() > 1 {
        return super::usage_error(
            "extract",
            "--url names the page of a single input, but several inputs were given",
        );
    }

    let progress_for_walk = Progress::notes_only(args.batch.quiet);
    let mut inputs = expand_inputs(&args.inputs, &progress_for_walk);
    if let Some(shard) = args.batch.shard {
        inputs.retain(|input| shard.keeps(&input.source()));
    }
    if args.url.is_some() && inputs.len() > 1 {
        return super::usage_error(
            "extract",
            &format!(
                "--url names the page of a single input, but the inputs hold {} files",
                inputs.len()
            ),
        );
    }
    if args.batch.resume && args.format != Format::Jsonl {
        return super::usage_error("extract", "--resume works on JSONL output only");
    }
    let header = args.format != Format::Jsonl && inputs.len() > 1;

    // Each record below goes in as one `write_all`: see `output::create`.
    let opened = match (&args.batch.output, args.batch.resume) {
        (Some(path), true) => resume_from(
            path,
            args.batch.retry_errors,
            &mut inputs,
            &progress_for_walk,
        )
        .and_then(|()| output::append(path)),
        (path, _) => output::create(path.as_deref()),
    };
    let mut out = match opened {
        Ok(out) => out,
        Err(message) => {
            eprintln!("copydesk: {message}");
            return 1;
        }
    };
    if matches!(inputs.as_slice(), [Input::Stdin]) && io::stdin().is_terminal() && !args.batch.quiet
    {
        eprintln!("copydesk: reading HTML from standard input (end it with Ctrl-D)");
    }

    let mut options = args.limits.options(args.batch.options());
    options.markdown |= args.format == Format::Markdown;
    let extractor = Extractor::new(options);
    let jobs = args.batch.jobs().min(inputs.len().max(1));
    let progress = Progress::new(inputs.len(), args.batch.quiet);
    let (url, format) = (args.url.clone(), args.format);
    let late_url = url.clone();
    let budget = args
        .limits
        .time
        .budget(Input::source, move |source, mut article| {
            article.url = late_url.clone();
            done(&source, article, format, header)
        });

    let mut failures = 0usize;
    let mut first = true;
    let written = for_each_ordered_within(
        inputs,
        jobs,
        jobs * WINDOW_PER_JOB,
        budget,
        move |input| process(&extractor, &input, url.as_deref(), format, header),
        |done: Done| {
            progress.inc();
            if let Some(message) = &done.failure {
                failures += 1;
                progress.note(message);
            }
            if !first {
                out.write_all(output::separator(args.format, header).as_bytes())?;
            }
            first = false;
            out.write_all(done.rendered.as_bytes())
        },
    )
    .and_then(|()| out.flush());
    progress.finish();

    match written {
        Ok(()) => i32::from(failures > 0),
        // A reader such as `head` that has seen enough is not a failure.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => i32::from(failures > 0),
        Err(e) => {
            eprintln!("copydesk: cannot write output: {e}");
            1
        }
    }
}

fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Turns the command-line inputs into documents, in order: directories are
/// replaced by the HTML files below them, sorted by path. Only paths are
/// collected here; contents are read later, one window at a time.
fn expand_inputs(args: &[PathBuf], progress: &Progress) -> Vec<Input> {
    if args.is_empty() {
        return vec![Input::Stdin];
    }
    let mut inputs = Vec::new();
    for arg in args {
        if is_stdin(arg) {
            inputs.push(Input::Stdin);
        } else if arg.is_dir() {
            let before = inputs.len();
            walk_dir(arg, &mut inputs);
            if inputs.len() == before {
                progress.note(&format!("{}: no .html or .htm files found", arg.display()));
            }
        } else {
            // Missing and unreadable files become `io` records when read.
            inputs.push(Input::File(arg.clone()));
        }
    }
    inputs
}

/// Appends the HTML files below `root`, sorted by path, to `inputs`.
///
/// Uses an explicit stack, since directory trees can nest deeper than the
/// call stack allows, and does not follow symbolic links to directories,
/// which could loop.
fn walk_dir(root: &Path, inputs: &mut Vec<Input>) {
    let mut found = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) => {
                found.push(Input::Unlistable(dir, e.to_string()));
                continue;
            }
        };
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    found.push(Input::Unlistable(dir.clone(), e.to_string()));
                    continue;
                }
            };
            let path = entry.path();
            // `file_type` does not follow links, so linked directories are skipped.
            if entry.file_type().is_ok_and(|kind| kind.is_dir()) {
                stack.push(path);
            } else if is_html_name(&path) && !path.is_dir() {
                // Linked files count; a broken link becomes an `io` record.
                found.push(Input::File(path));
            }
        }
    }
    // Path order compares component by component, which is the order of a
    // depth-first walk visiting each directory's entries by name.
    found.sort_by(|a, b| input_path(a).cmp(input_path(b)));
    inputs.extend(found);
}

fn input_path(input: &Input) -> &Path {
    match input {
        Input::Stdin => Path::new("-"),
        Input::File(path) | Input::Unlistable(path, _) => path,
    }
}

fn is_html_name(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
}

/// Prepares `path` for `--resume`: repairs it, and drops from `inputs`
/// those it already holds a record for.
fn resume_from(
    path: &Path,
    retry_errors: bool,
    inputs: &mut Vec<Input>,
    notes: &Progress,
) -> Result<(), String> {
    let mut previous = resume::prepare::<resume::BySource>(path, retry_errors)
        .map_err(|e| format!("cannot resume from {}: {e}", path.display()))?;
    let before = inputs.len();
    inputs.retain(|input| !previous.done.take(input.source().as_str()));
    notes.note(&previous.note(path, before - inputs.len(), Some(before), "inputs"));
    Ok(())
}

/// Reads, extracts and renders one input; runs on a worker thread.
fn process(
    extractor: &Extractor,
    input: &Input,
    url: Option<&str>,
    format: Format,
    header: bool,
) -> Done {
    let options = extractor.options();
    let article = match read_input(input, options.max_bytes, options.truncate) {
        Ok((bytes, cut)) => {
            let mut article = extract_guarded(extractor, &bytes, None, url);
            article.truncated |= cut && article.error.is_none();
            article
        }
        Err(failed) => failed.with_url(url),
    };
    done(&input.source(), article, format, header)
}

/// A record rendered for the output, with its failure noted for stderr.
fn done(source: &str, article: Article, format: Format, header: bool) -> Done {
    let failure = article
        .error
        .as_ref()
        .map(|e| format!("{source}: {} error: {}", e.kind, e.message));
    Done {
        rendered: output::render(format, source, &article, header),
        failure,
    }
}

/// An input that could not be read, turned into a failed record later.
struct Unread {
    kind: &'static str,
    message: String,
}

impl Unread {
    fn io(e: io::Error) -> Self {
        Unread {
            kind: "io",
            message: e.to_string(),
        }
    }

    fn with_url(self, url: Option<&str>) -> Article {
        Article::failed(url, self.kind, self.message)
    }
}

/// The bytes of one input, at most `max_bytes` of them, and whether it had
/// more (which, unless `truncate`, is a `too_large` error). Never more than
/// `max_bytes + 1` bytes are held in memory, whatever the input's size.
fn read_input(input: &Input, max_bytes: usize, truncate: bool) -> Result<(Vec<u8>, bool), Unread> {
    match input {
        Input::Stdin => read_capped(io::stdin().lock(), None, max_bytes, truncate),
        Input::File(path) => {
            let file = fs::File::open(path).map_err(Unread::io)?;
            let size = file.metadata().map_err(Unread::io)?.len();
            read_capped(file, Some(size), max_bytes, truncate)
        }
        Input::Unlistable(_, message) => Err(Unread {
            kind: "io",
            message: message.clone(),
        }),
    }
}

/// Reads at most `max_bytes` of `reader`; see [`read_input`]. `size`, when
/// known, refuses an oversized input before anything is read.
fn read_capped(
    mut reader: impl Read,
    size: Option<u64>,
    max_bytes: usize,
    truncate: bool,
) -> Result<(Vec<u8>, bool), Unread> {
    let limit = max_bytes as u64;
    let too_large = |size: u64| {
        let e = copydesk::Error::TooLarge {
            size: usize::try_from(size).unwrap_or(usize::MAX),
            limit: max_bytes,
        };
        Unread {
            kind: e.kind(),
            message: e.to_string(),
        }
    };
    if let Some(size) = size.filter(|&s| s > limit && !truncate) {
        return Err(too_large(size));
    }
    let mut bytes = Vec::new();
    (&mut reader)
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(Unread::io)?;
    if bytes.len() as u64 <= limit {
        return Ok((bytes, false));
    }
    if truncate {
        bytes.truncate(max_bytes);
        return Ok((bytes, true));
    }
    // Counted, not kept: the message gives the real size.
    let rest = io::copy(&mut reader, &mut io::sink()).map_err(Unread::io)?;
    Err(too_large(bytes.len() as u64 + rest))
}

/// Extracts, turning a panic of the extractor into an `extract` error record.
pub(super) fn extract_guarded(
    extractor: &Extractor,
    bytes: &[u8],
    content_type: Option<&str>,
    url: Option<&str>,
) -> Article {
    catching_panics(url, || extractor.extract_bytes(bytes, content_type, url))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_names_match_case_insensitively() {
        assert!(is_html_name(Path::new("a/b.html")));
        assert!(is_html_name(Path::new("B.HTM")));
        assert!(!is_html_name(Path::new("a.xhtml.txt")));
        assert!(!is_html_name(Path::new("html")));
    }

    #[test]
    fn directories_expand_sorted_and_recursively() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("b/c")).unwrap();
        for name in [
            "z.html",
            "a.htm",
            "b/c/x.html",
            "b/y.HTML",
            "notes.txt",
            "b.html",
        ] {
            fs::write(root.join(name), "<p>x</p>").unwrap();
        }
        let mut inputs = Vec::new();
        walk_dir(root, &mut inputs);
        let names: Vec<_> = inputs
            .iter()
            .map(|i| {
                input_path(i)
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(
            names,
            ["a.htm", "b/c/x.html", "b/y.HTML", "b.html", "z.html"]
        );
    }

    #[test]
    fn a_missing_file_becomes_an_io_record() {
        let ex = Extractor::default();
        let done = process(
            &ex,
            &Input::File("/nonexistent/copydesk-test.html".into()),
            None,
            Format::Jsonl,
            false,
        );
        let v: serde_json::Value = serde_json::from_str(&done.rendered).unwrap();
        assert_eq!(v["error"]["kind"], "io");
        assert_eq!(v["source"], "/nonexistent/copydesk-test.html");
        assert!(done.failure.unwrap().contains("io error"));
    }

    #[test]
    fn an_oversized_file_is_refused_unread() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.html");
        fs::write(&path, vec![b'a'; 100]).unwrap();
        let Err(unread) = read_input(&Input::File(path.clone()), 10, false) else {
            panic!("a 100-byte file is over a 10-byte limit");
        };
        assert_eq!(unread.kind, "too_large");
        let Ok((bytes, cut)) = read_input(&Input::File(path), 10, true) else {
            panic!("--truncate reads the first bytes");
        };
        assert_eq!((bytes.len(), cut), (10, true));
    }

    #[test]
    fn a_stream_is_read_no_further_than_the_limit_and_its_size_reported() {
        let big = io::repeat(b'x').take(1_000);
        let Err(unread) = read_capped(big, None, 10, false) else {
            panic!("1000 bytes are over a 10-byte limit");
        };
        assert!(unread.message.contains("1000 bytes"), "{}", unread.message);
        let (bytes, cut) = read_capped(&b"0123456789"[..], None, 10, false)
            .ok()
            .unwrap();
        assert_eq!((bytes.len(), cut), (10, false));
    }
}
