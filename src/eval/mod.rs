//! Scoring the extractor against labelled sets, with the metrics of
//! `shared/bench/METRICS.md` (the engine of `copydesk eval`).
//!
//! A set is a folder with `pages/<id>.html` and `truth.jsonl`. Load it with
//! [`EvalSet::load`], score its pages with [`evaluate_set`] (or [`predict`]
//! and [`score_page`] one page at a time, e.g. from a thread pool), then
//! aggregate with [`SetReport::of`] or [`RunReport::new`].
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use copydesk::eval::{evaluate_set, EvalSet, RunReport};
//! let dir = tempfile::tempdir()?;
//! std::fs::create_dir(dir.path().join("pages"))?;
//! std::fs::write(dir.path().join("pages/p1.html"), "<html><body><p>Body text.</p></body></html>")?;
//! std::fs::write(dir.path().join("truth.jsonl"), "{\"id\": \"p1\", \"url\": null, \"text\": \"Body text.\"}\n")?;
//! let set = EvalSet::load(dir.path())?;
//! let pages = evaluate_set(&copydesk::Extractor::default(), &set);
//! let run = RunReport::new("all", &[(set.name.clone(), pages)], 0);
//! assert_eq!(run.sets[0].pages, 1);
//! println!("{}", run.to_text());
//! # Ok(()) }
//! ```

mod dataset;
mod floors;
pub mod metrics;
mod report;
mod score;

pub use dataset::{fnv1a64, DatasetError, EvalSet, PageInput, Record, Snippets, Split};
pub use floors::{FloorMiss, Floors};
pub use report::{
    worst_pages, FieldAccuracy, MetaSummary, RunReport, SetReport, WorstPage, FIGURES,
};
pub use score::{
    evaluate_page, evaluate_set, predict, score_page, MetaOutcome, PageResult, Prediction,
};
