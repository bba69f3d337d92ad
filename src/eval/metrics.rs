//! The scores of `shared/bench/METRICS.md`: shingle and token overlap for
//! text truth, snippet lookups, and loose matching of metadata fields.

use std::collections::HashMap;
use std::ops::AddAssign;
use std::sync::OnceLock;

use regex::Regex;
use serde::Serialize;

/// Width of a shingle in the ScrapingHub metric.
///
/// ```
/// assert_eq!(copydesk::eval::metrics::SHINGLE_WIDTH, 4);
/// ```
pub const SHINGLE_WIDTH: usize = 4;

fn word_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    // The reference implementations are Python, whose `\w` on `str` means
    // "letter or number by general category, or `_`". The regex crate's `\w`
    // also takes combining marks and all connector punctuation, which would cut
    // decomposed or Indic text into different tokens, so spell the class out.
    RE.get_or_init(|| Regex::new(r"[\p{L}\p{N}_]+").expect("static regex"))
}

/// Splits text into the tokens of METRICS.md: maximal runs of letters,
/// numbers and `_` (Python's Unicode `\w+`), case kept.
///
/// ```
/// use copydesk::eval::metrics::tokens;
/// assert_eq!(tokens("Hello, wide_world! Ünïcode 42."), ["Hello", "wide_world", "Ünïcode", "42"]);
/// assert!(tokens(" -- ").is_empty());
/// ```
pub fn tokens(text: &str) -> Vec<&str> {
    word_regex().find_iter(text).map(|m| m.as_str()).collect()
}

/// Shingle overlap of one page: how many prediction shingles match the truth
/// (`tp`), are extra (`fp`) or are missing (`fn_`), counted as multisets.
///
/// ```
/// use copydesk::eval::metrics::{tokens, ShingleCounts};
/// let c = ShingleCounts::of(&tokens("a b c d e"), &tokens("a b c d x"));
/// assert_eq!((c.tp, c.fp, c.fn_), (1, 1, 1));
/// assert_eq!((c.precision(), c.recall()), (0.5, 0.5));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ShingleCounts {
    /// Shingles both in the prediction and in the truth.
    pub tp: u64,
    /// Shingles in the prediction beyond those in the truth.
    pub fp: u64,
    /// Shingles in the truth beyond those in the prediction.
    #[serde(rename = "fn")]
    pub fn_: u64,
}

/// Marks the unused slots of a shingle shorter than [`SHINGLE_WIDTH`], so a
/// short text's single shingle never equals a full-width one.
const NO_TOKEN: u32 = u32::MAX;

impl ShingleCounts {
    /// Compares the shingles of two token lists (truth first).
    ///
    /// A list of 1 to 3 tokens makes one shorter shingle; an empty list none.
    ///
    /// ```
    /// use copydesk::eval::metrics::ShingleCounts;
    /// let c = ShingleCounts::of(&["x", "y"], &["x", "y"]);
    /// assert_eq!((c.tp, c.fp, c.fn_), (1, 0, 0));
    /// ```
    pub fn of(truth: &[&str], pred: &[&str]) -> ShingleCounts {
        // Tokens become small integers first so that shingles hash as four
        // words instead of four strings.
        let mut ids: HashMap<&str, u32> = HashMap::new();
        let mut counts: HashMap<[u32; SHINGLE_WIDTH], [u64; 2]> = HashMap::new();
        for (side, toks) in [truth, pred].into_iter().enumerate() {
            let ids_of: Vec<u32> = toks
                .iter()
                .map(|t| {
                    let next = ids.len() as u32;
                    *ids.entry(t).or_insert(next)
                })
                .collect();
            for window in shingles(&ids_of) {
                let mut key = [NO_TOKEN; SHINGLE_WIDTH];
                key[..window.len()].copy_from_slice(window);
                counts.entry(key).or_default()[side] += 1;
            }
        }
        let mut c = ShingleCounts::default();
        for [t, p] in counts.into_values() {
            c.tp += t.min(p);
            c.fp += p.saturating_sub(t);
            c.fn_ += t.saturating_sub(p);
        }
        c
    }

    /// tp / (tp + fp); 1 when nothing is extra or missing; 0 when the
    /// prediction is empty but the truth is not.
    ///
    /// ```
    /// use copydesk::eval::metrics::ShingleCounts;
    /// assert_eq!(ShingleCounts { tp: 0, fp: 0, fn_: 3 }.precision(), 0.0);
    /// assert_eq!(ShingleCounts::default().precision(), 1.0);
    /// ```
    pub fn precision(&self) -> f64 {
        self.ratio(self.fp)
    }

    /// tp / (tp + fn); 1 when nothing is extra or missing; 0 when the truth is
    /// empty but the prediction is not.
    ///
    /// ```
    /// use copydesk::eval::metrics::ShingleCounts;
    /// assert_eq!(ShingleCounts { tp: 3, fp: 1, fn_: 0 }.recall(), 1.0);
    /// ```
    pub fn recall(&self) -> f64 {
        self.ratio(self.fn_)
    }

    /// Harmonic mean of this page's precision and recall (0 when both are 0);
    /// used to rank pages, not for set figures.
    ///
    /// ```
    /// use copydesk::eval::metrics::ShingleCounts;
    /// assert_eq!(ShingleCounts { tp: 1, fp: 1, fn_: 1 }.f1(), 0.5);
    /// ```
    pub fn f1(&self) -> f64 {
        harmonic(self.precision(), self.recall())
    }

    /// Whether the prediction has at least one shingle.
    ///
    /// ```
    /// use copydesk::eval::metrics::ShingleCounts;
    /// assert!(!ShingleCounts { tp: 0, fp: 0, fn_: 2 }.has_prediction());
    /// ```
    pub fn has_prediction(&self) -> bool {
        self.tp + self.fp > 0
    }

    /// Whether the truth has at least one shingle.
    ///
    /// ```
    /// use copydesk::eval::metrics::ShingleCounts;
    /// assert!(ShingleCounts { tp: 0, fp: 0, fn_: 2 }.has_truth());
    /// ```
    pub fn has_truth(&self) -> bool {
        self.tp + self.fn_ > 0
    }

    fn ratio(&self, wrong: u64) -> f64 {
        if self.fp == 0 && self.fn_ == 0 {
            1.0
        } else {
            ratio(self.tp, self.tp + wrong)
        }
    }
}

/// The windows of [`SHINGLE_WIDTH`] ids, or the whole list when it is shorter.
fn shingles(ids: &[u32]) -> impl Iterator<Item = &[u32]> {
    let short = (!ids.is_empty() && ids.len() < SHINGLE_WIDTH).then_some(ids);
    ids.windows(SHINGLE_WIDTH).chain(short)
}

/// `num / den`, 0 when `den` is 0.
fn ratio(num: u64, den: u64) -> f64 {
    if den == 0 {
        0.0
    } else {
        num as f64 / den as f64
    }
}

fn harmonic(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

fn mean(values: impl IntoIterator<Item = f64>) -> f64 {
    let (sum, n) = values
        .into_iter()
        .fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    if n == 0 {
        0.0
    } else {
        sum / n as f64
    }
}

/// Bag-of-words precision, recall and F1 of one page (lower-cased tokens).
///
/// ```
/// use copydesk::eval::metrics::TokenScore;
/// let s = TokenScore::of(&["The", "cat", "sat"], &["the", "cat"]);
/// assert_eq!((s.precision, s.recall), (1.0, 2.0 / 3.0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TokenScore {
    /// Share of predicted tokens found in the truth.
    pub precision: f64,
    /// Share of true tokens found in the prediction.
    pub recall: f64,
    /// Harmonic mean of the two.
    pub f1: f64,
}

impl TokenScore {
    /// Scores a prediction's tokens against the truth's (truth first),
    /// case-insensitively and as multisets.
    ///
    /// Empty truth gives recall 1 (and precision 1 when the prediction is
    /// empty too); an empty prediction against non-empty truth scores 0.
    ///
    /// ```
    /// use copydesk::eval::metrics::TokenScore;
    /// assert_eq!(TokenScore::of(&[], &[]).f1, 1.0);
    /// assert_eq!(TokenScore::of(&[], &["spam"]).f1, 0.0);
    /// assert_eq!(TokenScore::of(&["news"], &[]).f1, 0.0);
    /// ```
    pub fn of(truth: &[&str], pred: &[&str]) -> TokenScore {
        let mut counts: HashMap<String, [u64; 2]> = HashMap::new();
        for (side, toks) in [truth, pred].into_iter().enumerate() {
            for t in toks {
                counts.entry(t.to_lowercase()).or_default()[side] += 1;
            }
        }
        let common: u64 = counts.values().map(|[t, p]| (*t).min(*p)).sum();
        let recall = if truth.is_empty() {
            1.0
        } else {
            ratio(common, truth.len() as u64)
        };
        let precision = if pred.is_empty() && truth.is_empty() {
            1.0
        } else {
            ratio(common, pred.len() as u64)
        };
        TokenScore {
            precision,
            recall,
            f1: harmonic(precision, recall),
        }
    }
}

/// Everything the text metrics need from one page with text truth.
///
/// ```
/// use copydesk::eval::metrics::TextScore;
/// let s = TextScore::of("One two three four.", "one two three four");
/// assert_eq!(s.shingle.fp, 1);
/// assert_eq!(s.token.f1, 1.0);
/// assert!(!s.identical);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TextScore {
    /// The shingle overlap.
    pub shingle: ShingleCounts,
    /// The bag-of-words scores.
    pub token: TokenScore,
    /// Whether the token lists are the same (case kept).
    pub identical: bool,
    /// Number of tokens in the truth.
    pub true_tokens: usize,
    /// Number of tokens in the prediction.
    pub pred_tokens: usize,
}

impl TextScore {
    /// Scores a predicted text against the true one (truth first).
    ///
    /// ```
    /// use copydesk::eval::metrics::TextScore;
    /// assert!(TextScore::of("a, b", "a b").identical);
    /// ```
    pub fn of(truth: &str, pred: &str) -> TextScore {
        TextScore::of_tokens(&tokens(truth), &tokens(pred))
    }

    /// Like [`TextScore::of`], from token lists already made with [`tokens`].
    ///
    /// ```
    /// use copydesk::eval::metrics::TextScore;
    /// assert_eq!(TextScore::of_tokens(&["a"], &[]).pred_tokens, 0);
    /// ```
    pub fn of_tokens(truth: &[&str], pred: &[&str]) -> TextScore {
        TextScore {
            shingle: ShingleCounts::of(truth, pred),
            token: TokenScore::of(truth, pred),
            identical: truth == pred,
            true_tokens: truth.len(),
            pred_tokens: pred.len(),
        }
    }
}

/// Set-level shingle figures, computed as the ScrapingHub benchmark does.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ShingleSummary {
    /// Mean page precision over pages with a non-empty prediction (0 if none).
    pub precision: f64,
    /// Mean page recall over pages with non-empty truth (0 if none).
    pub recall: f64,
    /// Harmonic mean of the two means above, not a mean of page F1s.
    pub f1: f64,
    /// Share of pages whose token lists are identical.
    pub accuracy: f64,
}

/// Set-level bag-of-words figures: means of the per-page scores.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TokenSummary {
    /// Mean page precision.
    pub precision: f64,
    /// Mean page recall.
    pub recall: f64,
    /// Mean page F1.
    pub f1: f64,
}

/// Text-truth figures of a set of pages.
///
/// ```
/// use copydesk::eval::metrics::{TextScore, TextSummary};
/// let pages = [TextScore::of("a b c d e", "a b c d x"), TextScore::of("f g", "")];
/// let s = TextSummary::of(&pages);
/// // The empty prediction is left out of precision but costs recall.
/// assert_eq!((s.shingle.precision, s.shingle.recall), (0.5, 0.25));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TextSummary {
    /// Number of pages with text truth.
    pub pages: usize,
    /// The ScrapingHub shingle figures.
    pub shingle: ShingleSummary,
    /// The bag-of-words figures.
    pub token: TokenSummary,
}

impl TextSummary {
    /// Aggregates page scores.
    ///
    /// ```
    /// use copydesk::eval::metrics::TextSummary;
    /// assert_eq!(TextSummary::of(&[]).pages, 0);
    /// ```
    pub fn of<'a>(pages: impl IntoIterator<Item = &'a TextScore>) -> TextSummary {
        let pages: Vec<&TextScore> = pages.into_iter().collect();
        let precision = mean(
            pages
                .iter()
                .filter(|p| p.shingle.has_prediction())
                .map(|p| p.shingle.precision()),
        );
        let recall = mean(
            pages
                .iter()
                .filter(|p| p.shingle.has_truth())
                .map(|p| p.shingle.recall()),
        );
        TextSummary {
            pages: pages.len(),
            shingle: ShingleSummary {
                precision,
                recall,
                f1: harmonic(precision, recall),
                accuracy: mean(pages.iter().map(|p| f64::from(u8::from(p.identical)))),
            },
            token: TokenSummary {
                precision: mean(pages.iter().map(|p| p.token.precision)),
                recall: mean(pages.iter().map(|p| p.token.recall)),
                f1: mean(pages.iter().map(|p| p.token.f1)),
            },
        }
    }
}

/// Collapses each run of white space to one space and trims the ends, as
/// Python's `re.sub(r"\s+", " ", s).strip()` does.
///
/// ```
/// use copydesk::eval::metrics::normalize_space;
/// assert_eq!(normalize_space("  a\n\t b\u{a0}c "), "a b c");
/// ```
pub fn normalize_space(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split(is_py_space).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Python's `str.isspace()`, which unlike Rust's also counts the ASCII
/// information separators U+001C–U+001F.
fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Snippet lookups summed over pages (trafilatura's evaluation).
///
/// ```
/// use copydesk::eval::metrics::SnippetCounts;
/// let s = ["must stay".to_string()];
/// let n = ["ad".to_string()];
/// let mut total = SnippetCounts::of("It must\n stay.", &s, &n);
/// total += SnippetCounts::of("", &s, &n);
/// assert_eq!((total.tp, total.fn_, total.fp, total.tn), (1, 1, 0, 2));
/// assert_eq!(total.f1(), 2.0 / 3.0);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SnippetCounts {
    /// `with` snippets found.
    pub tp: u64,
    /// `with` snippets missing.
    #[serde(rename = "fn")]
    pub fn_: u64,
    /// `without` snippets found.
    pub fp: u64,
    /// `without` snippets absent.
    pub tn: u64,
}

impl SnippetCounts {
    /// Looks each snippet up in the output, both whitespace-normalised.
    ///
    /// ```
    /// use copydesk::eval::metrics::SnippetCounts;
    /// let c = SnippetCounts::of("a  b", &["a b".into()], &[]);
    /// assert_eq!(c.tp, 1);
    /// ```
    pub fn of(output: &str, with: &[String], without: &[String]) -> SnippetCounts {
        let output = normalize_space(output);
        let found = |s: &String| output.contains(normalize_space(s).as_str());
        let with_found = with.iter().filter(|s| found(s)).count() as u64;
        let without_found = without.iter().filter(|s| found(s)).count() as u64;
        SnippetCounts {
            tp: with_found,
            fn_: with.len() as u64 - with_found,
            fp: without_found,
            tn: without.len() as u64 - without_found,
        }
    }

    /// TP / (TP + FP), 0 when nothing was found.
    ///
    /// ```
    /// use copydesk::eval::metrics::SnippetCounts;
    /// assert_eq!(SnippetCounts { tp: 3, fn_: 0, fp: 1, tn: 0 }.precision(), 0.75);
    /// ```
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    /// TP / (TP + FN), 0 without `with` snippets.
    ///
    /// ```
    /// use copydesk::eval::metrics::SnippetCounts;
    /// assert_eq!(SnippetCounts { tp: 1, fn_: 3, fp: 0, tn: 0 }.recall(), 0.25);
    /// ```
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }

    /// (TP + TN) / all snippets.
    ///
    /// ```
    /// use copydesk::eval::metrics::SnippetCounts;
    /// assert_eq!(SnippetCounts { tp: 1, fn_: 1, fp: 1, tn: 1 }.accuracy(), 0.5);
    /// ```
    pub fn accuracy(&self) -> f64 {
        ratio(self.tp + self.tn, self.total())
    }

    /// 2TP / (2TP + FP + FN).
    ///
    /// ```
    /// use copydesk::eval::metrics::SnippetCounts;
    /// assert_eq!(SnippetCounts { tp: 2, fn_: 1, fp: 1, tn: 9 }.f1(), 4.0 / 6.0);
    /// ```
    pub fn f1(&self) -> f64 {
        ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn_)
    }

    /// Wrong lookups: missing `with` plus found `without` snippets.
    ///
    /// ```
    /// use copydesk::eval::metrics::SnippetCounts;
    /// assert_eq!(SnippetCounts { tp: 0, fn_: 2, fp: 1, tn: 0 }.errors(), 3);
    /// ```
    pub fn errors(&self) -> u64 {
        self.fn_ + self.fp
    }

    fn total(&self) -> u64 {
        self.tp + self.fn_ + self.fp + self.tn
    }
}

impl AddAssign for SnippetCounts {
    fn add_assign(&mut self, o: SnippetCounts) {
        self.tp += o.tp;
        self.fn_ += o.fn_;
        self.fp += o.fp;
        self.tn += o.tn;
    }
}

/// Snippet figures of a set: micro-sums and the ratios made from them.
///
/// ```
/// use copydesk::eval::metrics::{SnippetCounts, SnippetSummary};
/// let s = SnippetSummary::of([SnippetCounts { tp: 1, fn_: 1, fp: 0, tn: 2 }]);
/// assert_eq!((s.pages, s.recall, s.accuracy), (1, 0.5, 0.75));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SnippetSummary {
    /// Number of pages with snippet truth.
    pub pages: usize,
    /// The summed lookups.
    #[serde(flatten)]
    pub counts: SnippetCounts,
    /// See [`SnippetCounts::precision`].
    pub precision: f64,
    /// See [`SnippetCounts::recall`].
    pub recall: f64,
    /// See [`SnippetCounts::accuracy`].
    pub accuracy: f64,
    /// See [`SnippetCounts::f1`].
    pub f1: f64,
}

impl SnippetSummary {
    /// Sums page counts.
    ///
    /// ```
    /// use copydesk::eval::metrics::SnippetSummary;
    /// assert_eq!(SnippetSummary::of([]).f1, 0.0);
    /// ```
    pub fn of(pages: impl IntoIterator<Item = SnippetCounts>) -> SnippetSummary {
        let mut counts = SnippetCounts::default();
        let mut n = 0;
        for c in pages {
            counts += c;
            n += 1;
        }
        SnippetSummary {
            pages: n,
            counts,
            precision: counts.precision(),
            recall: counts.recall(),
            accuracy: counts.accuracy(),
            f1: counts.f1(),
        }
    }
}

/// A metadata field scored against truth.
///
/// ```
/// use copydesk::eval::metrics::MetaField;
/// assert_eq!(MetaField::ALL.map(MetaField::name), ["title", "byline", "date"]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MetaField {
    /// The headline.
    Title,
    /// The author(s).
    Byline,
    /// The publication date.
    Date,
}

impl MetaField {
    /// Every field, in report order.
    pub const ALL: [MetaField; 3] = [MetaField::Title, MetaField::Byline, MetaField::Date];

    /// The field's name in truth files and reports.
    pub fn name(self) -> &'static str {
        match self {
            MetaField::Title => "title",
            MetaField::Byline => "byline",
            MetaField::Date => "date",
        }
    }

    /// Whether our value counts as right for this truth.
    ///
    /// Both sides are trimmed, white space collapsed and case folded. Dates
    /// then compare on their `YYYY-MM-DD` prefix when both have a valid one,
    /// so a time or zone we render differently does not count against us.
    /// Bylines match when equal or when one contains the other, once a
    /// leading "by " is gone, since sites wrap names in roles and dates.
    ///
    /// ```
    /// use copydesk::eval::metrics::MetaField;
    /// assert!(MetaField::Title.matches(Some(" Rain  due "), "rain due"));
    /// assert!(MetaField::Byline.matches(Some("Jane Doe"), "By Jane Doe, Staff"));
    /// assert!(MetaField::Date.matches(Some("2024-05-01"), "2024-05-01T10:00:00+03:00"));
    /// assert!(!MetaField::Date.matches(None, "2024-05-01"));
    /// ```
    pub fn matches(self, ours: Option<&str>, truth: &str) -> bool {
        let (ours, truth) = match ours {
            Some(o) => (normalize_meta(o), normalize_meta(truth)),
            None => return false,
        };
        match self {
            MetaField::Title => ours == truth,
            MetaField::Date => match (date_prefix(&ours), date_prefix(&truth)) {
                (Some(a), Some(b)) => a == b,
                _ => ours == truth,
            },
            MetaField::Byline => {
                let (a, b) = (strip_by(&ours), strip_by(&truth));
                !a.is_empty() && !b.is_empty() && (a.contains(b) || b.contains(a))
            }
        }
    }
}

/// The form metadata values are compared in (see [`MetaField::matches`]);
/// truth values that normalise to nothing are not scored.
///
/// ```
/// use copydesk::eval::metrics::normalize_meta;
/// assert_eq!(normalize_meta(" By\n\tJANE "), "by jane");
/// ```
pub fn normalize_meta(s: &str) -> String {
    normalize_space(s).to_lowercase()
}

fn strip_by(s: &str) -> &str {
    s.strip_prefix("by ").unwrap_or(s)
}

fn date_prefix(s: &str) -> Option<&str> {
    let prefix = s.get(..10)?;
    chrono::NaiveDate::parse_from_str(prefix, "%Y-%m-%d").ok()?;
    Some(prefix)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(truth: &str, pred: &str) -> ShingleCounts {
        TextScore::of(truth, pred).shingle
    }

    #[test]
    fn tokens_follow_python_word_class() {
        assert_eq!(tokens("x_1 naïve"), ["x_1", "naïve"]);
        // A combining accent is not a word character in Python.
        assert_eq!(tokens("cafe\u{301} ok"), ["cafe", "ok"]);
        // Other numbers (superscripts, fractions) are.
        assert_eq!(tokens("x² ½"), ["x²", "½"]);
        assert_eq!(tokens("日本語です。"), ["日本語です"]);
    }

    #[test]
    fn metrics_md_hand_check() {
        let c = sh("a b c d e", "a b c d x");
        assert_eq!(
            c,
            ShingleCounts {
                tp: 1,
                fp: 1,
                fn_: 1
            }
        );
        assert_eq!((c.precision(), c.recall()), (0.5, 0.5));
    }

    #[test]
    fn short_texts_make_one_shorter_shingle() {
        assert_eq!(
            sh("a", "a"),
            ShingleCounts {
                tp: 1,
                fp: 0,
                fn_: 0
            }
        );
        assert_eq!(
            sh("a b c", "a b c"),
            ShingleCounts {
                tp: 1,
                fp: 0,
                fn_: 0
            }
        );
        // "a b c" is not the 4-shingle "a b c d".
        assert_eq!(
            sh("a b c", "a b c d"),
            ShingleCounts {
                tp: 0,
                fp: 1,
                fn_: 1
            }
        );
        assert_eq!(
            sh("a b", "b a"),
            ShingleCounts {
                tp: 0,
                fp: 1,
                fn_: 1
            }
        );
        // Four tokens make exactly one full shingle.
        assert_eq!(sh("a b c d", "a b c d").tp, 1);
    }

    #[test]
    fn repeated_shingles_count_as_a_multiset() {
        // Truth has "a a a a" three times; the prediction twice.
        let c = sh("a a a a a a", "a a a a a");
        assert_eq!(
            c,
            ShingleCounts {
                tp: 2,
                fp: 0,
                fn_: 1
            }
        );
        let c = sh("a b c d", "a b c d a b c d");
        // Prediction windows: abcd, bcda, cdab, dabc, abcd.
        assert_eq!(
            c,
            ShingleCounts {
                tp: 1,
                fp: 4,
                fn_: 0
            }
        );
        assert_eq!(c.precision(), 0.2);
    }

    #[test]
    fn empty_sides() {
        let c = sh("a b c d e", "");
        assert_eq!(
            c,
            ShingleCounts {
                tp: 0,
                fp: 0,
                fn_: 2
            }
        );
        assert!(!c.has_prediction() && c.has_truth());
        assert_eq!((c.precision(), c.recall(), c.f1()), (0.0, 0.0, 0.0));

        let c = sh("", "spam spam");
        assert_eq!(
            c,
            ShingleCounts {
                tp: 0,
                fp: 1,
                fn_: 0
            }
        );
        assert!(c.has_prediction() && !c.has_truth());
        assert_eq!((c.precision(), c.recall()), (0.0, 0.0));

        let c = sh("", " ... ");
        assert_eq!(c, ShingleCounts::default());
        assert_eq!((c.precision(), c.recall(), c.f1()), (1.0, 1.0, 1.0));
        assert!(TextScore::of("", "").identical);
    }

    #[test]
    fn set_averages_follow_scrapinghub() {
        let pages = [
            TextScore::of("a b c d e", "a b c d x"),     // P .5, R .5
            TextScore::of("a b c d e f", "a b c d e f"), // P 1, R 1, identical
            TextScore::of("q r s t u", ""),              // recall only: 0
            TextScore::of("", "junk here"),              // precision only: 0
            TextScore::of("", ""),                       // neither; identical
        ];
        let s = TextSummary::of(&pages);
        assert_eq!(s.pages, 5);
        assert!((s.shingle.precision - 1.5 / 3.0).abs() < 1e-12);
        assert!((s.shingle.recall - 1.5 / 3.0).abs() < 1e-12);
        assert!((s.shingle.f1 - 0.5).abs() < 1e-12);
        assert!((s.shingle.accuracy - 0.4).abs() < 1e-12);
        // Token F1 is a plain mean over all pages: .8, 1, 0, 0, 1.
        assert!((s.token.f1 - 2.8 / 5.0).abs() < 1e-12);
    }

    #[test]
    fn f1_is_of_the_means_not_a_mean_of_f1s() {
        let pages = [
            TextScore::of("a b c d", "a b c d x y z"), // P .25, R 1
            TextScore::of("a b c d e f g", "a b c d"), // P 1, R .25
        ];
        let s = TextSummary::of(&pages).shingle;
        assert_eq!((s.precision, s.recall), (0.625, 0.625));
        assert!((s.f1 - 0.625).abs() < 1e-12);
        let page_f1s = (pages[0].shingle.f1() + pages[1].shingle.f1()) / 2.0;
        assert!((page_f1s - 0.4).abs() < 1e-12);
    }

    #[test]
    fn no_prediction_at_all_gives_zero_not_nan() {
        let s = TextSummary::of(&[TextScore::of("a b", "")]).shingle;
        assert_eq!((s.precision, s.recall, s.f1), (0.0, 0.0, 0.0));
    }

    #[test]
    fn token_scores() {
        let t = TokenScore::of(&["A", "a", "b", "c"], &["a", "B", "b", "d", "e"]);
        // Common: a×1, b×1.
        assert_eq!((t.precision, t.recall), (0.4, 0.5));
        assert!((t.f1 - 0.4 / 0.9).abs() < 1e-12);
        let t = TokenScore::of(&[], &["x"]);
        assert_eq!((t.precision, t.recall, t.f1), (0.0, 1.0, 0.0));
        let t = TokenScore::of(&["x"], &[]);
        assert_eq!((t.precision, t.recall, t.f1), (0.0, 0.0, 0.0));
        let t = TokenScore::of(&[], &[]);
        assert_eq!((t.precision, t.recall, t.f1), (1.0, 1.0, 1.0));
        let t = TokenScore::of(&["x"], &["y"]);
        assert_eq!(t.f1, 0.0);
    }

    #[test]
    fn snippets_micro_sum_with_normalised_space() {
        let with = vec!["big  news\ttoday".to_string(), "absent".to_string()];
        let without = vec!["Cookie\npolicy".to_string(), "Share".to_string()];
        let page = SnippetCounts::of(
            "Big news: big news today.\n\nCookie   policy",
            &with,
            &without,
        );
        assert_eq!(
            page,
            SnippetCounts {
                tp: 1,
                fn_: 1,
                fp: 1,
                tn: 1
            }
        );
        // A failed page is an empty output.
        let failed = SnippetCounts::of("", &with, &without);
        assert_eq!(
            failed,
            SnippetCounts {
                tp: 0,
                fn_: 2,
                fp: 0,
                tn: 2
            }
        );
        let s = SnippetSummary::of([page, failed]);
        assert_eq!(
            s.counts,
            SnippetCounts {
                tp: 1,
                fn_: 3,
                fp: 1,
                tn: 3
            }
        );
        assert_eq!((s.precision, s.recall, s.accuracy), (0.5, 0.25, 0.5));
        assert_eq!(s.f1, 2.0 / 6.0);
        // Information separators are white space to Python.
        assert_eq!(normalize_space("a\u{1f}b"), "a b");
    }

    #[test]
    fn metadata_matching() {
        use MetaField::*;
        assert!(Title.matches(Some("Hello World"), "hello\n world"));
        assert!(!Title.matches(Some("Hello"), "Hello World"));
        assert!(Byline.matches(Some("by Jane Doe"), "Jane Doe"));
        assert!(Byline.matches(Some("Jane Doe"), "By\n\t\t\tJane Doe"));
        assert!(Byline.matches(Some("Doe"), "Jane Doe"));
        assert!(!Byline.matches(Some("by "), "Jane"));
        assert!(!Byline.matches(Some("John Roe"), "Jane Doe"));
        assert!(Date.matches(Some("2015-07-10T09:53:00-04:00"), "2015-07-10 13:53"));
        assert!(!Date.matches(Some("2015-07-11"), "2015-07-10T23:00:00Z"));
        assert!(Date.matches(Some("July 1, 2015"), "july 1,  2015"));
        assert!(!Date.matches(Some("2015-13-45"), "2015-13-46"));
    }
}
