//! The options every batch command (`extract`, `warc`, `fetch`) shares:
//! where the records go, whether to resume, what a record holds, how the
//! work is split and how much is said on stderr.

use std::num::NonZeroUsize;
use std::path::PathBuf;

use copydesk::Options;

use super::shard::Shard;

/// Options shared by the batch commands, with one help text each.
#[derive(Debug, Clone, clap::Args)]
pub struct BatchArgs {
    /// Write the output to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Go on with an earlier run: keep the JSONL records already in
    /// --output (cutting a last line left unfinished by a crash), skip
    /// what they record, and append the rest.
    #[arg(long, requires = "output")]
    pub resume: bool,

    /// With --resume: remove the error records from --output and process
    /// what they record again.
    #[arg(long, requires = "resume")]
    pub retry_errors: bool,

    /// Add the article as Markdown in a `markdown` field of each record.
    #[arg(long)]
    pub markdown: bool,

    /// Put user comments in a `comments` field (they never enter `text`).
    #[arg(long)]
    pub comments: bool,

    /// Follow the hand-written rules alone, without the learned line model
    /// that reviews their choice of lines: about 12 % faster, a little less
    /// accurate (see the README's evaluation).
    #[arg(long)]
    pub no_line_model: bool,

    /// Number of pages to extract at once [default: all cores]
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<NonZeroUsize>,

    /// Keep only the inputs in shard I of N (numbered from 0), by a stable
    /// hash of each input as given (or, for `extract`, as found under a
    /// directory): N runs with 0/N .. N-1/N split the inputs, each input
    /// in exactly one.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<Shard>,

    /// No progress bar, per-input messages or summary on stderr (errors
    /// still appear in the records and in the exit status).
    #[arg(short, long)]
    pub quiet: bool,
}

impl BatchArgs {
    /// The extraction options these flags ask for.
    pub fn options(&self) -> Options {
        Options {
            markdown: self.markdown,
            comments: self.comments,
            line_model: !self.no_line_model,
            ..Options::default()
        }
    }

    /// Pages to extract at once: `--jobs`, or one per core.
    pub fn jobs(&self) -> usize {
        self.jobs.map_or_else(thread_count, NonZeroUsize::get)
    }
}

/// The cores this process may use.
pub fn thread_count() -> usize {
    std::thread::available_parallelism().map_or(1, NonZeroUsize::get)
}
