//! Command-line definitions and subcommand dispatch (binary side only).

use clap::{CommandFactory, Parser, Subcommand};

mod batch;
pub mod bench;
pub mod eval;
pub mod extract;
#[cfg(feature = "fetch")]
pub mod fetch;
mod limits;
mod ordered;
mod output;
mod progress;
mod resume;
mod shard;
pub mod warc;

/// Examples shown under `copydesk --help`.
const EXAMPLES: &str = "\
Examples:
  copydesk extract page.html                     article text and metadata as one JSON line
  copydesk extract pages/ --jobs 4 -o out.jsonl  a whole directory, in sorted order
  copydesk extract --format text page.html       just the article text
  copydesk eval ../shared/bench/readability      score the extractor on a labelled set
  copydesk warc crawl.warc.gz -o pages.jsonl     the HTML pages of a web archive
  copydesk fetch -i urls.txt -o out.jsonl        download URLs politely, extract each

Run `copydesk help <COMMAND>` for the options of one command.";

/// Turns web pages (news articles first) into clean text and metadata.
#[derive(Debug, Parser)]
#[command(name = "copydesk", version, about, after_help = EXAMPLES, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
enum Command {
    /// Extract article text and metadata from HTML files, directories or stdin.
    Extract(extract::ExtractArgs),
    /// Score the extractor against labelled benchmark sets.
    Eval(eval::EvalArgs),
    /// Download URLs politely and concurrently, and extract each page.
    #[cfg(feature = "fetch")]
    Fetch(fetch::FetchArgs),
    /// Extract the HTML pages of WARC files (plain or gzipped, files, stdin or URLs).
    Warc(warc::WarcArgs),
    /// Measure extraction speed against parsing alone, per stage and per core.
    Bench(bench::BenchArgs),
}

/// Parses the command line and runs the chosen subcommand; returns the
/// process exit code (clap itself exits with 2 on malformed arguments).
pub fn main() -> i32 {
    match Cli::parse().command {
        Command::Extract(args) => extract::run(args),
        Command::Eval(args) => eval::run(args),
        #[cfg(feature = "fetch")]
        Command::Fetch(args) => fetch::run(args),
        Command::Warc(args) => warc::run(args),
        Command::Bench(args) => bench::run(args),
    }
}

/// Reports a usage error of `subcommand` found after parsing (such as
/// arguments that conflict only once directories are expanded) the way clap
/// reports its own, and returns clap's exit code for it (2).
fn usage_error(subcommand: &str, message: &str) -> i32 {
    let mut cli = Cli::command();
    // Building fills in the subcommand's full name for its usage line.
    cli.build();
    let command = cli
        .find_subcommand_mut(subcommand)
        .expect("usage errors name a defined subcommand");
    let error = command.error(clap::error::ErrorKind::ArgumentConflict, message);
    // If stderr is gone there is nobody left to tell.
    let _ = error.print();
    error.exit_code()
}
