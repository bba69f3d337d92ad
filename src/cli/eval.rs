//! `copydesk eval`: score the extractor on labelled sets.

/// Arguments of `copydesk eval`.
#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// Set directories (each with `pages/` and `truth.jsonl`).
    #[arg(required = true)]
    pub sets: Vec<std::path::PathBuf>,
}

/// Runs the subcommand; returns the process exit code.
pub fn run(_args: EvalArgs) -> i32 {
    0
}
