//! Set-level figures from page results, the worst pages of a set, and the
//! human-readable tables of `copydesk eval`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::floors::FloorMiss;
use super::metrics::{MetaField, SnippetSummary, TextSummary};
use super::score::PageResult;

/// How often one metadata field was right.
///
/// ```
/// let a = copydesk::eval::FieldAccuracy::new(3, 4);
/// assert_eq!(a.accuracy, 0.75);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FieldAccuracy {
    /// Pages where ours matched.
    pub matched: usize,
    /// Pages whose truth has a value.
    pub total: usize,
    /// `matched / total`.
    pub accuracy: f64,
}

impl FieldAccuracy {
    /// Builds the figure from counts (`total` > 0).
    pub fn new(matched: usize, total: usize) -> FieldAccuracy {
        FieldAccuracy {
            matched,
            total,
            accuracy: matched as f64 / total as f64,
        }
    }
}

/// Metadata accuracies of a set; `None` for a field no page's truth has.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct MetaSummary {
    /// Headline accuracy.
    pub title: Option<FieldAccuracy>,
    /// Byline accuracy.
    pub byline: Option<FieldAccuracy>,
    /// Date accuracy.
    pub date: Option<FieldAccuracy>,
}

impl MetaSummary {
    /// The accuracy of one field.
    ///
    /// ```
    /// use copydesk::eval::{metrics::MetaField, MetaSummary};
    /// assert!(MetaSummary::default().get(MetaField::Date).is_none());
    /// ```
    pub fn get(&self, field: MetaField) -> Option<FieldAccuracy> {
        match field {
            MetaField::Title => self.title,
            MetaField::Byline => self.byline,
            MetaField::Date => self.date,
        }
    }

    fn of(pages: &[&PageResult]) -> MetaSummary {
        let field = |f: MetaField| {
            let outcomes: Vec<bool> = pages.iter().filter_map(|p| p.meta.get(f)).collect();
            let matched = outcomes.iter().filter(|&&m| m).count();
            (!outcomes.is_empty()).then(|| FieldAccuracy::new(matched, outcomes.len()))
        };
        MetaSummary {
            title: field(MetaField::Title),
            byline: field(MetaField::Byline),
            date: field(MetaField::Date),
        }
    }

    fn is_empty(&self) -> bool {
        MetaField::ALL.iter().all(|&f| self.get(f).is_none())
    }
}

/// The figures of one set (or of several pooled).
///
/// ```
/// use copydesk::eval::{score_page, Prediction, Record, SetReport};
/// let r = Record { id: "a".into(), text: Some("a b c d e".into()), ..Default::default() };
/// let page = score_page(&r, &Prediction { text: "a b c d x".into(), seconds: Some(0.5), ..Default::default() });
/// let rep = SetReport::of("demo", [&page]);
/// assert_eq!(rep.text.unwrap().shingle.f1, 0.5);
/// assert_eq!(rep.pages_per_second, Some(2.0));
/// assert_eq!(rep.figure("shingle_f1"), Some(0.5));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SetReport {
    /// The set's name (`all` for the pooled row).
    pub set: String,
    /// Number of pages scored.
    pub pages: usize,
    /// Pages that failed (unreadable, or the extractor reported an error).
    pub errors: usize,
    /// Pages where we output nothing although the truth expects text.
    pub empty_predictions: usize,
    /// Summed time of the extraction calls.
    pub extract_seconds: f64,
    /// Extracted pages per second of extraction time: a one-core figure
    /// however many threads ran, comparable with PEERS.md.
    pub pages_per_second: Option<f64>,
    /// Text-truth figures, over the pages that have text truth.
    pub text: Option<TextSummary>,
    /// Snippet figures, over the pages that have snippet truth.
    pub snippet: Option<SnippetSummary>,
    /// Metadata accuracies.
    pub metadata: MetaSummary,
}

/// The figure names accepted by [`SetReport::figure`] and in floors files.
pub const FIGURES: &[&str] = &[
    "shingle_precision",
    "shingle_recall",
    "shingle_f1",
    "shingle_accuracy",
    "token_precision",
    "token_recall",
    "token_f1",
    "snippet_precision",
    "snippet_recall",
    "snippet_f1",
    "snippet_accuracy",
    "title_accuracy",
    "byline_accuracy",
    "date_accuracy",
    "pages_per_second",
];

impl SetReport {
    /// Aggregates page results. Pooling sets is aggregating all their pages:
    /// each kind of figure then covers every page having that kind of truth.
    pub fn of<'a>(name: &str, pages: impl IntoIterator<Item = &'a PageResult>) -> SetReport {
        let pages: Vec<&PageResult> = pages.into_iter().collect();
        let texts: Vec<_> = pages.iter().filter_map(|p| p.text.as_ref()).collect();
        let snippets: Vec<_> = pages.iter().filter_map(|p| p.snippet).collect();
        let timed: Vec<f64> = pages.iter().filter_map(|p| p.seconds).collect();
        let extract_seconds: f64 = timed.iter().sum();
        SetReport {
            set: name.to_owned(),
            pages: pages.len(),
            errors: pages.iter().filter(|p| p.error.is_some()).count(),
            empty_predictions: pages.iter().filter(|p| p.empty_prediction).count(),
            extract_seconds,
            pages_per_second: (extract_seconds > 0.0).then(|| timed.len() as f64 / extract_seconds),
            text: (!texts.is_empty()).then(|| TextSummary::of(texts)),
            snippet: (!snippets.is_empty()).then(|| SnippetSummary::of(snippets)),
            metadata: MetaSummary::of(&pages),
        }
    }

    /// A figure by its name in [`FIGURES`]; `None` when the set lacks it.
    pub fn figure(&self, name: &str) -> Option<f64> {
        let text = self.text.as_ref();
        let snippet = self.snippet.as_ref();
        let meta = |f: MetaField| self.metadata.get(f).map(|a| a.accuracy);
        match name {
            "shingle_precision" => text.map(|t| t.shingle.precision),
            "shingle_recall" => text.map(|t| t.shingle.recall),
            "shingle_f1" => text.map(|t| t.shingle.f1),
            "shingle_accuracy" => text.map(|t| t.shingle.accuracy),
            "token_precision" => text.map(|t| t.token.precision),
            "token_recall" => text.map(|t| t.token.recall),
            "token_f1" => text.map(|t| t.token.f1),
            "snippet_precision" => snippet.map(|s| s.precision),
            "snippet_recall" => snippet.map(|s| s.recall),
            "snippet_f1" => snippet.map(|s| s.f1),
            "snippet_accuracy" => snippet.map(|s| s.accuracy),
            "title_accuracy" => meta(MetaField::Title),
            "byline_accuracy" => meta(MetaField::Byline),
            "date_accuracy" => meta(MetaField::Date),
            "pages_per_second" => self.pages_per_second,
            _ => None,
        }
    }
}

/// A badly scored page, for `--worst`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorstPage {
    /// The page id.
    pub id: String,
    /// Shingle precision, or snippet precision on snippet sets.
    pub precision: f64,
    /// Shingle recall, or snippet recall on snippet sets.
    pub recall: f64,
    /// The page's shingle F1 (text truth only).
    pub f1: Option<f64>,
    /// Missing `with` plus found `without` snippets (snippet truth only).
    pub snippet_errors: Option<u64>,
    /// Tokens in our output.
    pub pred_tokens: usize,
    /// Tokens in the truth (text truth only).
    pub true_tokens: Option<usize>,
    /// The failure, if the page failed.
    pub error: Option<String>,
}

/// The `n` worst pages: by lowest shingle F1 when any page has text truth,
/// else by most snippet errors. Ties, common at F1 0, go to the page with
/// more wrong shingles (or more missed `with` snippets): the bigger loss.
///
/// ```
/// use copydesk::eval::{score_page, worst_pages, Prediction, Record};
/// let rec = |id: &str| Record { id: id.into(), text: Some("a b c d e".into()), ..Default::default() };
/// let pages = [
///     score_page(&rec("good"), &Prediction { text: "a b c d e".into(), ..Default::default() }),
///     score_page(&rec("bad"), &Prediction::default()),
/// ];
/// let w = worst_pages(&pages, 1);
/// assert_eq!((w[0].id.as_str(), w[0].recall, w[0].true_tokens), ("bad", 0.0, Some(5)));
/// ```
pub fn worst_pages(pages: &[PageResult], n: usize) -> Vec<WorstPage> {
    let by_text = pages.iter().any(|p| p.text.is_some());
    let mut ranked: Vec<((f64, f64), WorstPage)> = pages
        .iter()
        .filter_map(|p| {
            let (badness, precision, recall) = match (by_text, &p.text, &p.snippet) {
                (true, Some(t), _) => {
                    let s = t.shingle;
                    let loss = (s.fp + s.fn_) as f64;
                    ((-s.f1(), loss), s.precision(), s.recall())
                }
                (false, _, Some(s)) => {
                    let badness = (s.errors() as f64, s.fn_ as f64);
                    (badness, s.precision(), s.recall())
                }
                _ => return None,
            };
            let worst = WorstPage {
                id: p.id.clone(),
                precision,
                recall,
                f1: p.text.map(|t| t.shingle.f1()),
                snippet_errors: p.snippet.map(|s| s.errors()),
                pred_tokens: p.pred_tokens,
                true_tokens: p.text.map(|t| t.true_tokens),
                error: p
                    .error
                    .as_ref()
                    .map(|e| format!("{}: {}", e.kind, e.message)),
            };
            Some((badness, worst))
        })
        .collect();
    ranked.sort_by(|(a, _), (b, _)| b.0.total_cmp(&a.0).then(b.1.total_cmp(&a.1)));
    ranked.into_iter().take(n).map(|(_, w)| w).collect()
}

/// Everything one `copydesk eval` run reports (its `--json` output).
///
/// ```
/// use copydesk::eval::{score_page, Prediction, Record, RunReport};
/// let r = Record { id: "a".into(), text: Some("x".into()), ..Default::default() };
/// let pages = vec![score_page(&r, &Prediction::default())];
/// let run = RunReport::new("all", &[("demo".to_string(), pages)], 3);
/// assert_eq!(run.all.pages, 1);
/// assert_eq!(run.worst["demo"].len(), 1);
/// assert!(run.to_text().contains("demo"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunReport {
    /// The split scored (`all`, `tune` or `holdout`).
    pub split: String,
    /// One report per set, in the order given.
    pub sets: Vec<SetReport>,
    /// All pages of all sets pooled.
    pub all: SetReport,
    /// The worst pages of each set; empty unless asked for.
    pub worst: BTreeMap<String, Vec<WorstPage>>,
    /// Figures below their floors; filled in by the caller after checking.
    pub floor_misses: Vec<FloorMiss>,
}

impl RunReport {
    /// Builds the report of a run from each set's name and page results,
    /// listing the `worst` worst pages of each set (0 for none).
    pub fn new(split: &str, sets: &[(String, Vec<PageResult>)], worst: usize) -> RunReport {
        RunReport {
            split: split.to_owned(),
            sets: sets
                .iter()
                .map(|(name, pages)| SetReport::of(name, pages))
                .collect(),
            all: SetReport::of("all", sets.iter().flat_map(|(_, pages)| pages)),
            worst: sets
                .iter()
                .filter(|_| worst > 0)
                .map(|(name, pages)| (name.clone(), worst_pages(pages, worst)))
                .collect(),
            floor_misses: Vec::new(),
        }
    }

    /// The human-readable report: the figures table, the metadata table when
    /// any truth has metadata, then the worst pages.
    pub fn to_text(&self) -> String {
        let rows: Vec<&SetReport> = self.sets.iter().chain([&self.all]).collect();
        let mut out = format!("split: {}\n", self.split);
        out += &figures_table(&rows);
        if rows.iter().any(|r| !r.metadata.is_empty()) {
            out += "\nmetadata accuracy (matched/total):\n";
            out += &metadata_table(&rows);
        }
        for (name, pages) in &self.worst {
            out += &worst_table(name, pages);
        }
        out
    }
}

fn num(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_owned(), |v| format!("{v:.3}"))
}

fn figures_table(rows: &[&SetReport]) -> String {
    let headers = [
        "set", "pages", "sh.P", "sh.R", "sh.F1", "sh.acc", "tok.F1", "snip.P", "snip.R", "snip.F1",
        "empty", "errors", "pages/s",
    ];
    let cells = rows
        .iter()
        .map(|r| {
            let mut row = vec![r.set.clone(), r.pages.to_string()];
            row.extend(
                [
                    "shingle_precision",
                    "shingle_recall",
                    "shingle_f1",
                    "shingle_accuracy",
                    "token_f1",
                    "snippet_precision",
                    "snippet_recall",
                    "snippet_f1",
                ]
                .map(|f| num(r.figure(f))),
            );
            row.push(r.empty_predictions.to_string());
            row.push(r.errors.to_string());
            row.push(r.pages_per_second.map_or("-".into(), |v| format!("{v:.1}")));
            row
        })
        .collect::<Vec<_>>();
    table(&headers, &cells)
}

fn metadata_table(rows: &[&SetReport]) -> String {
    let cells = rows
        .iter()
        .filter(|r| !r.metadata.is_empty())
        .map(|r| {
            let mut row = vec![r.set.clone()];
            row.extend(MetaField::ALL.map(|f| {
                r.metadata.get(f).map_or("-".into(), |a| {
                    format!("{:.3} ({}/{})", a.accuracy, a.matched, a.total)
                })
            }));
            row
        })
        .collect::<Vec<_>>();
    table(&["set", "title", "byline", "date"], &cells)
}

fn worst_table(name: &str, pages: &[WorstPage]) -> String {
    let by_snippets = pages.first().is_some_and(|p| p.f1.is_none());
    let mut out = format!(
        "\nworst {} of {name} (by {}):\n",
        pages.len(),
        if by_snippets {
            "snippet errors"
        } else {
            "shingle F1"
        }
    );
    let headers = [
        "id",
        if by_snippets { "errors" } else { "F1" },
        "P",
        "R",
        "pred.tok",
        "true.tok",
        "error",
    ];
    let cells = pages
        .iter()
        .map(|p| {
            vec![
                p.id.clone(),
                p.snippet_errors
                    .filter(|_| by_snippets)
                    .map_or_else(|| num(p.f1), |e| e.to_string()),
                num(Some(p.precision)),
                num(Some(p.recall)),
                p.pred_tokens.to_string(),
                p.true_tokens.map_or("-".into(), |t| t.to_string()),
                p.error.clone().unwrap_or_default(),
            ]
        })
        .collect::<Vec<_>>();
    out += &table(&headers, &cells);
    out
}

/// Aligns cells under headers: the first column to the left, the others to
/// the right so that decimals line up; the last column is left unpadded.
fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let width = |i: usize| {
        rows.iter()
            .map(|r| r[i].chars().count())
            .chain([headers[i].len()])
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..headers.len()).map(width).collect();
    let header_row: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
    let mut out = String::new();
    for row in std::iter::once(&header_row).chain(rows) {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            let w = widths[i];
            let _ = match i {
                0 => write!(line, "{cell:<w$}"),
                _ => write!(line, "  {cell:>w$}"),
            };
        }
        out += line.trim_end();
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::dataset::{Record, Snippets};
    use crate::eval::score::{score_page, Prediction};

    fn text_page(id: &str, truth: &str, pred: &str, seconds: f64) -> PageResult {
        let r = Record {
            id: id.into(),
            text: Some(truth.into()),
            title: Some("T".into()),
            ..Record::default()
        };
        let p = Prediction {
            text: pred.into(),
            title: Some("t".into()),
            seconds: Some(seconds),
            ..Prediction::default()
        };
        score_page(&r, &p)
    }

    fn snippet_page(id: &str, pred: &str) -> PageResult {
        let r = Record {
            id: id.into(),
            snippets: Some(Snippets {
                with: vec!["keep this".into(), "and this".into()],
                without: vec!["drop".into()],
            }),
            ..Record::default()
        };
        score_page(
            &r,
            &Prediction {
                text: pred.into(),
                ..Prediction::default()
            },
        )
    }

    #[test]
    fn pooled_row_covers_each_kind_of_truth() {
        let sets = vec![
            (
                "text".to_string(),
                vec![
                    text_page("a", "a b c d e", "a b c d x", 0.25),
                    text_page("b", "q r s", "", 0.25),
                ],
            ),
            (
                "snip".to_string(),
                vec![
                    snippet_page("s1", "keep this; drop"),
                    snippet_page("s2", ""),
                ],
            ),
        ];
        let run = RunReport::new("all", &sets, 0);
        assert!(run.worst.is_empty());
        let all = &run.all;
        assert_eq!((all.pages, all.empty_predictions, all.errors), (4, 2, 0));
        assert_eq!(all.text.unwrap().pages, 2);
        assert_eq!(all.figure("shingle_precision"), Some(0.5));
        assert_eq!(all.figure("shingle_recall"), Some(0.25));
        let s = all.snippet.unwrap();
        assert_eq!(
            (s.pages, s.counts.tp, s.counts.fn_, s.counts.fp),
            (2, 1, 3, 1)
        );
        assert_eq!(all.pages_per_second, Some(4.0));
        assert_eq!(all.metadata.title, Some(FieldAccuracy::new(2, 2)));
        assert_eq!(run.sets[1].figure("shingle_f1"), None);
        assert_eq!(run.sets[1].metadata, MetaSummary::default());
        let text = run.to_text();
        assert!(text.contains("title"), "{text}");
        assert!(serde_json::to_string(&run).unwrap().contains("\"fn\":3"));
    }

    #[test]
    fn worst_pages_rank_by_f1_or_snippet_errors() {
        let pages = vec![
            text_page("fine", "a b c d e", "a b c d e", 0.0),
            text_page("half", "a b c d e", "a b c d x", 0.0),
            text_page("none", "a b c d e", "", 0.0),
        ];
        let ids: Vec<String> = worst_pages(&pages, 2).into_iter().map(|w| w.id).collect();
        assert_eq!(ids, ["none", "half"]);

        let pages = vec![
            text_page("small", "a b c d e", "", 0.0),
            text_page("big", "a b c d e f g h", "", 0.0),
        ];
        let ids: Vec<String> = worst_pages(&pages, 2).into_iter().map(|w| w.id).collect();
        assert_eq!(ids, ["big", "small"]);

        let pages = vec![
            snippet_page("ok", "keep this and this"),
            snippet_page("bad", "drop"),
            snippet_page("meh", "keep this"),
        ];
        let w = worst_pages(&pages, 5);
        let ids: Vec<&str> = w.iter().map(|w| w.id.as_str()).collect();
        assert_eq!(ids, ["bad", "meh", "ok"]);
        assert_eq!(w[0].snippet_errors, Some(3));
        assert!(worst_table("s", &w).contains("errors"));
    }

    #[test]
    fn table_aligns_columns() {
        let t = table(&["set", "n"], &[vec!["long-name".into(), "1".into()]]);
        assert_eq!(t, "set        n\nlong-name  1\n");
    }
}
