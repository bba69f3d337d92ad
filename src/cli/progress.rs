//! Progress and notes on stderr, kept out of the way of the output.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Below this many inputs a run is short enough that a bar is only noise.
const MIN_INPUTS_FOR_BAR: usize = 21;

/// A progress bar (only on a terminal, only for long runs) plus the channel
/// for per-input notes, which must not tear the bar.
pub struct Progress {
    bar: Option<ProgressBar>,
    quiet: bool,
}

impl Progress {
    /// Sets up progress reporting for `total` inputs; `quiet` silences both
    /// the bar and the notes.
    pub fn new(total: usize, quiet: bool) -> Self {
        let show = !quiet && total >= MIN_INPUTS_FOR_BAR && std::io::stderr().is_terminal();
        let bar = show.then(|| {
            let bar =
                ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template(
                    "{elapsed_precise} [{wide_bar}] {pos}/{len} pages, {eta} left {msg}",
                )
                .expect("the template is valid")
                .progress_chars("=> "),
            );
            bar
        });
        Progress { bar, quiet }
    }

    /// Reporting without a bar, for notes made before the inputs are counted.
    pub fn notes_only(quiet: bool) -> Self {
        Progress { bar: None, quiet }
    }

    /// Counts one finished input.
    pub fn inc(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    /// Shows `message` after the bar (a command's own running counts).
    #[cfg_attr(not(feature = "fetch"), allow(dead_code))]
    pub fn set_message(&self, message: String) {
        if let Some(bar) = &self.bar {
            bar.set_message(message);
        }
    }

    /// Prints a note about one input on stderr, unless quiet.
    pub fn note(&self, message: &str) {
        if self.quiet {
            return;
        }
        let print = || eprintln!("copydesk: {message}");
        match &self.bar {
            // Hide the bar while printing so the line does not land inside it.
            Some(bar) => bar.suspend(print),
            None => print(),
        }
    }

    /// Removes the bar from the terminal.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
