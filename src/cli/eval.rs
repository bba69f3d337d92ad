//! `copydesk eval`: score the extractor on labelled sets, in parallel over
//! pages, and check the figures against floors.

use std::fs;
use std::path::{Path, PathBuf};

use clap::builder::{PossibleValuesParser, TypedValueParser};
use rayon::prelude::*;

use copydesk::eval::{predict, score_page, EvalSet, Floors, PageResult, Prediction, Record};
use copydesk::eval::{RunReport, Split};
use copydesk::Extractor;

use super::progress::Progress;

/// Page errors printed per set; the rest are only counted, since a broken
/// extractor would otherwise bury the table under thousands of lines.
const ERRORS_SHOWN: usize = 5;

/// Arguments of `copydesk eval`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Figures follow ../shared/bench/METRICS.md: shingle P/R/F1 and accuracy (ScrapingHub), token F1 \
(bag of words), snippet P/R/F1 (trafilatura's with/without lookups), metadata accuracy. The `all` \
row pools every page of the sets given. pages/s is per core: pages over summed extraction time.

Exit status: 0 all floors met; 1 a figure is below its floor; 2 a set or the floors file could \
not be read.")]
pub struct EvalArgs {
    /// Set directories (each with `pages/` and `truth.jsonl`); plain files
    /// among them are skipped, so `bench/*` works.
    #[arg(required = true, value_name = "SET_DIR")]
    pub sets: Vec<PathBuf>,

    /// Print the report as JSON instead of tables.
    #[arg(long)]
    pub json: bool,

    /// Also list the N worst pages of each set (by shingle F1, or by snippet
    /// errors on snippet sets).
    #[arg(long, value_name = "N")]
    pub worst: Option<usize>,

    /// Score only part of each set: `tune` is the pages whose id's FNV-1a
    /// 64-bit hash is below 7 modulo 10 (about 70 %), `holdout` the rest.
    #[arg(
        long,
        default_value = "all",
        value_parser = PossibleValuesParser::new(["all", "tune", "holdout"])
            .map(|s| s.parse::<Split>().expect("a possible value")),
    )]
    pub split: Split,

    /// JSON file of minimum figures per set, e.g.
    /// `{"readability": {"shingle_f1": 0.95}}`; exit 1 if any is missed.
    #[arg(long, value_name = "FILE")]
    pub floors: Option<PathBuf>,

    /// Pages extracted in parallel (default: all cores).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,

    /// Write each page's extracted text to DIR/<set>/<id>.txt.
    #[arg(long, value_name = "DIR")]
    pub dump: Option<PathBuf>,

    /// Score the hand-written rules alone, without the learned line model.
    #[arg(long)]
    pub no_line_model: bool,
}

/// Runs the subcommand; returns the process exit code.
pub fn run(args: EvalArgs) -> i32 {
    let notes = Progress::notes_only(false);
    let floors = match args.floors.as_deref().map(read_floors).transpose() {
        Ok(floors) => floors,
        Err(message) => {
            notes.note(&message);
            return 2;
        }
    };
    let pool = match rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.unwrap_or(0))
        .build()
    {
        Ok(pool) => pool,
        Err(e) => {
            notes.note(&format!("cannot start worker threads: {e}"));
            return 2;
        }
    };

    let mut unreadable = false;
    let mut sets = Vec::new();
    for dir in &args.sets {
        if dir.is_file() {
            notes.note(&format!("skipping {}: not a set directory", dir.display()));
            continue;
        }
        match EvalSet::load(dir) {
            Ok(set) => sets.push(set.split(args.split)),
            Err(e) => {
                notes.note(&format!("cannot load set: {e}"));
                unreadable = true;
            }
        }
    }
    if sets.is_empty() {
        notes.note("no set to score");
        return 2;
    }

    let extractor = Extractor::new(copydesk::Options {
        line_model: !args.no_line_model,
        ..copydesk::Options::default()
    });
    let progress = Progress::new(sets.iter().map(|s| s.records.len()).sum(), false);
    // Extractor panics become error rows (see `predict`); one line each says
    // where, instead of a backtrace per page burying the report.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map_or(String::new(), |l| format!(" at {l}"));
        eprintln!("copydesk: panic{place}");
    }));
    let results: Vec<(String, Vec<PageResult>)> = sets
        .iter()
        .map(|set| {
            let dump = args
                .dump
                .as_deref()
                .and_then(|d| dump_dir(d, set, &progress));
            let pages = pool.install(|| {
                set.records
                    .par_iter()
                    .map(|record| {
                        let prediction = predict(&extractor, set, record);
                        if let Some(dir) = &dump {
                            dump_text(dir, record, &prediction, &progress);
                        }
                        progress.inc();
                        score_page(record, &prediction)
                    })
                    .collect()
            });
            (set.name.clone(), pages)
        })
        .collect();
    progress.finish();
    std::panic::set_hook(default_hook);

    for (name, pages) in &results {
        note_page_errors(name, pages, &notes);
    }
    let mut report = RunReport::new(args.split.name(), &results, args.worst.unwrap_or(0));
    if let Some(floors) = &floors {
        for set in floors.sets() {
            if set != report.all.set && !report.sets.iter().any(|r| r.set == set) {
                notes.note(&format!("floors of {set} not checked: not in this run"));
            }
        }
        report.floor_misses = floors.check(report.sets.iter().chain([&report.all]));
    }

    if args.json {
        match serde_json::to_string_pretty(&report) {
            Ok(json) => println!("{json}"),
            Err(e) => notes.note(&format!("cannot write JSON: {e}")),
        }
    } else {
        print!("{}", report.to_text());
    }
    for miss in &report.floor_misses {
        notes.note(&format!("floor missed: {miss}"));
    }
    if unreadable {
        2
    } else if !report.floor_misses.is_empty() {
        1
    } else {
        0
    }
}

fn read_floors(path: &Path) -> Result<Floors, String> {
    let json = fs::read_to_string(path)
        .map_err(|e| format!("cannot read floors {}: {e}", path.display()))?;
    Floors::from_json(&json).map_err(|e| format!("bad floors file {}: {e}", path.display()))
}

/// Creates `root/<set>`; a failure is noted and turns dumping off for the
/// set, since the dump is a debugging aid and must not spoil the scores.
fn dump_dir(root: &Path, set: &EvalSet, progress: &Progress) -> Option<PathBuf> {
    let dir = root.join(&set.name);
    match fs::create_dir_all(&dir) {
        Ok(()) => Some(dir),
        Err(e) => {
            progress.note(&format!("not dumping {}: {}: {e}", set.name, dir.display()));
            None
        }
    }
}

fn dump_text(dir: &Path, record: &Record, prediction: &Prediction, progress: &Progress) {
    let path = dir.join(format!("{}.txt", record.id));
    if let Err(e) = fs::write(&path, &prediction.text) {
        progress.note(&format!("cannot dump {}: {e}", path.display()));
    }
}

fn note_page_errors(set: &str, pages: &[PageResult], notes: &Progress) {
    let failed: Vec<_> = pages
        .iter()
        .filter_map(|p| p.error.as_ref().map(|e| (&p.id, e)))
        .collect();
    for (id, e) in failed.iter().take(ERRORS_SHOWN) {
        notes.note(&format!("{set}/{id}: {}: {}", e.kind, e.message));
    }
    if failed.len() > ERRORS_SHOWN {
        notes.note(&format!(
            "{set}: {} more page errors (--worst N lists failing pages)",
            failed.len() - ERRORS_SHOWN
        ));
    }
}
