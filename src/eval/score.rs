//! One page at a time: run the extractor on a set's page and score its output
//! against the page's truth.

use std::panic::{self, AssertUnwindSafe};
use std::time::Instant;

use serde::Serialize;

use super::dataset::{EvalSet, Record};
use super::metrics::{tokens, MetaField, SnippetCounts, TextScore};
use crate::{ErrorInfo, Extractor};

/// What the extractor produced for one page.
///
/// ```
/// let p = copydesk::eval::Prediction::failed("io", "gone");
/// assert!(p.text.is_empty() && p.seconds.is_none());
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Prediction {
    /// The extracted text (empty on failure).
    pub text: String,
    /// The extracted headline.
    pub title: Option<String>,
    /// The extracted byline.
    pub byline: Option<String>,
    /// The extracted date.
    pub date: Option<String>,
    /// Why the page failed, if it did.
    pub error: Option<ErrorInfo>,
    /// Wall time of the extraction call alone; `None` when the page was not
    /// extracted at all (unreadable file).
    pub seconds: Option<f64>,
}

impl Prediction {
    /// A page that could not be extracted.
    pub fn failed(kind: &str, message: impl Into<String>) -> Prediction {
        Prediction {
            error: Some(ErrorInfo::new(kind, message)),
            ..Prediction::default()
        }
    }

    /// Our value of a metadata field.
    ///
    /// ```
    /// use copydesk::eval::{metrics::MetaField, Prediction};
    /// let p = Prediction { date: Some("2020-01-01".into()), ..Default::default() };
    /// assert_eq!(p.meta(MetaField::Date), Some("2020-01-01"));
    /// ```
    pub fn meta(&self, field: MetaField) -> Option<&str> {
        match field {
            MetaField::Title => self.title.as_deref(),
            MetaField::Byline => self.byline.as_deref(),
            MetaField::Date => self.date.as_deref(),
        }
    }
}

/// Reads a page of `set` and extracts it, timing the extraction call only
/// (reading the file and scoring are left out so pages/s compares with the
/// peers' figures). An unreadable page gives an `io` failure, and a panic in
/// the extractor a `panic` failure: one bad page must not end a run over
/// thousands.
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use copydesk::eval::{predict, EvalSet};
/// let dir = tempfile::tempdir()?;
/// std::fs::write(dir.path().join("truth.jsonl"), "{\"id\": \"a\", \"text\": \"A\"}\n")?;
/// let set = EvalSet::load(dir.path())?;
/// let p = predict(&copydesk::Extractor::default(), &set, &set.records[0]);
/// assert_eq!(p.error.unwrap().kind, "io");
/// # Ok(()) }
/// ```
pub fn predict(extractor: &Extractor, set: &EvalSet, record: &Record) -> Prediction {
    let page = match set.read_page(&record.id) {
        Ok(page) => page,
        Err(e) => {
            let path = set.page_path(&record.id);
            return Prediction::failed("io", format!("{}: {e}", path.display()));
        }
    };
    let start = Instant::now();
    // The extractor holds only its options, so nothing is left half-changed
    // by a panic and it can go on to the next page.
    let extracted = panic::catch_unwind(AssertUnwindSafe(|| {
        extractor.extract_bytes(
            &page.bytes,
            page.content_type.as_deref(),
            record.url.as_deref(),
        )
    }));
    let seconds = start.elapsed().as_secs_f64();
    let article = match extracted {
        Ok(article) => article,
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "extractor panicked".to_owned());
            return Prediction {
                seconds: Some(seconds),
                ..Prediction::failed("panic", message)
            };
        }
    };
    Prediction {
        text: article.text,
        title: article.title,
        byline: article.byline,
        date: article.date,
        error: article.error,
        seconds: Some(seconds),
    }
}

/// Per-field metadata outcome of a page: `None` where the truth has no value.
///
/// ```
/// let m = copydesk::eval::MetaOutcome::default();
/// assert_eq!(m.get(copydesk::eval::metrics::MetaField::Title), None);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct MetaOutcome {
    /// Whether our title matched.
    pub title: Option<bool>,
    /// Whether our byline matched.
    pub byline: Option<bool>,
    /// Whether our date matched.
    pub date: Option<bool>,
}

impl MetaOutcome {
    /// The outcome for one field.
    pub fn get(&self, field: MetaField) -> Option<bool> {
        match field {
            MetaField::Title => self.title,
            MetaField::Byline => self.byline,
            MetaField::Date => self.date,
        }
    }

    fn set(&mut self, field: MetaField, value: Option<bool>) {
        match field {
            MetaField::Title => self.title = value,
            MetaField::Byline => self.byline = value,
            MetaField::Date => self.date = value,
        }
    }
}

/// One page's scores, kept small so a whole run can be held in memory.
///
/// ```
/// use copydesk::eval::{score_page, Prediction, Record};
/// let r = Record { id: "a".into(), text: Some("one two".into()), ..Default::default() };
/// let res = score_page(&r, &Prediction { text: "one two".into(), ..Default::default() });
/// assert_eq!(res.text.unwrap().shingle.tp, 1);
/// assert!(!res.empty_prediction);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PageResult {
    /// The page id.
    pub id: String,
    /// Text scores, for pages with text truth.
    pub text: Option<TextScore>,
    /// Snippet lookups, for pages with snippet truth.
    pub snippet: Option<SnippetCounts>,
    /// Metadata outcomes.
    pub meta: MetaOutcome,
    /// Number of tokens in our output.
    pub pred_tokens: usize,
    /// Whether we output nothing although the truth expects something.
    pub empty_prediction: bool,
    /// Why the page failed, if it did.
    pub error: Option<ErrorInfo>,
    /// Extraction time, as in [`Prediction::seconds`].
    pub seconds: Option<f64>,
}

/// Scores a prediction against a page's truth; a failed page is scored as
/// empty output.
///
/// ```
/// use copydesk::eval::{score_page, Prediction, Record, Snippets};
/// let r = Record {
///     id: "a".into(),
///     snippets: Some(Snippets { with: vec!["body".into()], without: vec!["menu".into()] }),
///     ..Default::default()
/// };
/// let res = score_page(&r, &Prediction::failed("decode", "bad bytes"));
/// let s = res.snippet.unwrap();
/// assert_eq!((s.tp, s.fn_, s.fp, s.tn), (0, 1, 0, 1));
/// assert!(res.empty_prediction);
/// ```
pub fn score_page(record: &Record, prediction: &Prediction) -> PageResult {
    let pred = tokens(&prediction.text);
    let text = record
        .text
        .as_deref()
        .map(|truth| TextScore::of_tokens(&tokens(truth), &pred));
    let snippet = record
        .snippets
        .as_ref()
        .map(|s| SnippetCounts::of(&prediction.text, &s.with, &s.without));
    let truth_expects_output = text.is_some_and(|t| t.true_tokens > 0)
        || record.snippets.as_ref().is_some_and(|s| !s.with.is_empty());
    let mut meta = MetaOutcome::default();
    for field in MetaField::ALL {
        let outcome = record
            .meta(field)
            .filter(|t| !t.trim().is_empty())
            .map(|t| field.matches(prediction.meta(field), t));
        meta.set(field, outcome);
    }
    PageResult {
        id: record.id.clone(),
        text,
        snippet,
        meta,
        pred_tokens: pred.len(),
        empty_prediction: truth_expects_output && pred.is_empty(),
        error: prediction.error.clone(),
        seconds: prediction.seconds,
    }
}

/// Extracts and scores one page: [`predict`] then [`score_page`].
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use copydesk::eval::{evaluate_page, EvalSet};
/// let dir = tempfile::tempdir()?;
/// std::fs::create_dir(dir.path().join("pages"))?;
/// std::fs::write(dir.path().join("pages/a.html"), "<p>Hi</p>")?;
/// std::fs::write(dir.path().join("truth.jsonl"), "{\"id\": \"a\", \"text\": \"Hi\"}\n")?;
/// let set = EvalSet::load(dir.path())?;
/// let res = evaluate_page(&copydesk::Extractor::default(), &set, &set.records[0]);
/// assert!(res.seconds.is_some() && res.error.is_none());
/// # Ok(()) }
/// ```
pub fn evaluate_page(extractor: &Extractor, set: &EvalSet, record: &Record) -> PageResult {
    score_page(record, &predict(extractor, set, record))
}

/// Scores every page of a set, one after another, in file order.
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use copydesk::eval::{evaluate_set, EvalSet, SetReport};
/// let dir = tempfile::tempdir()?;
/// std::fs::write(dir.path().join("truth.jsonl"), "{\"id\": \"gone\", \"text\": \"Hi\"}\n")?;
/// let set = EvalSet::load(dir.path())?;
/// let pages = evaluate_set(&copydesk::Extractor::default(), &set);
/// let report = SetReport::of(&set.name, &pages);
/// assert_eq!((report.pages, report.errors), (1, 1));
/// # Ok(()) }
/// ```
pub fn evaluate_set(extractor: &Extractor, set: &EvalSet) -> Vec<PageResult> {
    set.records
        .iter()
        .map(|r| evaluate_page(extractor, set, r))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::dataset::Snippets;

    fn prediction(text: &str) -> Prediction {
        Prediction {
            text: text.into(),
            ..Prediction::default()
        }
    }

    #[test]
    fn empty_prediction_only_when_truth_expects_text() {
        let with_text = Record {
            text: Some("Words here".into()),
            ..Record::default()
        };
        assert!(score_page(&with_text, &prediction(" . ")).empty_prediction);
        assert!(!score_page(&with_text, &prediction("x")).empty_prediction);
        let empty_truth = Record {
            text: Some(String::new()),
            ..Record::default()
        };
        assert!(!score_page(&empty_truth, &prediction("")).empty_prediction);
        let no_with = Record {
            snippets: Some(Snippets {
                with: vec![],
                without: vec!["ad".into()],
            }),
            ..Record::default()
        };
        assert!(!score_page(&no_with, &prediction("")).empty_prediction);
    }

    #[test]
    fn metadata_is_scored_only_where_truth_has_a_value() {
        let r = Record {
            text: Some(String::new()),
            title: Some("The Title".into()),
            byline: Some("  ".into()),
            ..Record::default()
        };
        let p = Prediction {
            title: Some("the  title".into()),
            byline: Some("Someone".into()),
            ..Prediction::default()
        };
        let m = score_page(&r, &p).meta;
        assert_eq!((m.title, m.byline, m.date), (Some(true), None, None));
        let m = score_page(&r, &Prediction::failed("x", "y")).meta;
        assert_eq!(m.title, Some(false));
    }
}
