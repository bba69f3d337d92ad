//! Minimum figures per set (`--floors FILE`), so CI fails when extraction
//! quality drops.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use super::report::{SetReport, FIGURES};

/// Floors by set name, then by figure name (see [`FIGURES`]).
///
/// ```
/// use copydesk::eval::Floors;
/// let f = Floors::from_json(r#"{"readability": {"shingle_f1": 0.95}}"#).unwrap();
/// assert_eq!(f.sets().collect::<Vec<_>>(), ["readability"]);
/// assert!(Floors::from_json(r#"{"x": {"shingle_f2": 0.9}}"#).is_err());
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Floors {
    floors: BTreeMap<String, BTreeMap<String, f64>>,
}

/// A figure below its floor, or missing for a set that has a floor for it.
///
/// ```
/// let m = copydesk::eval::FloorMiss { set: "s".into(), figure: "token_f1".into(), floor: 0.9, actual: Some(0.5) };
/// assert_eq!(m.to_string(), "s: token_f1 is 0.5000, below its floor 0.9000");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FloorMiss {
    /// The set (or `all`).
    pub set: String,
    /// The figure's name.
    pub figure: String,
    /// The floor.
    pub floor: f64,
    /// The set's figure; `None` when the set has no such figure.
    pub actual: Option<f64>,
}

impl fmt::Display for FloorMiss {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.actual {
            Some(v) => write!(
                f,
                "{}: {} is {v:.4}, below its floor {:.4}",
                self.set, self.figure, self.floor
            ),
            None => write!(
                f,
                "{}: has no {} to compare with its floor {:.4}",
                self.set, self.figure, self.floor
            ),
        }
    }
}

impl Floors {
    /// Parses `{"<set>": {"<figure>": <min>, ...}, ...}`; unknown figure
    /// names are refused so that a typo cannot disable a floor.
    pub fn from_json(json: &str) -> Result<Floors, String> {
        let floors: BTreeMap<String, BTreeMap<String, f64>> =
            serde_json::from_str(json).map_err(|e| e.to_string())?;
        for (set, figures) in &floors {
            for (figure, floor) in figures {
                if !FIGURES.contains(&figure.as_str()) {
                    return Err(format!(
                        "{set}: unknown figure {figure:?}; known: {}",
                        FIGURES.join(", ")
                    ));
                }
                if !floor.is_finite() {
                    return Err(format!("{set}: floor of {figure} is not a number"));
                }
            }
        }
        Ok(Floors { floors })
    }

    /// The set names that have floors.
    pub fn sets(&self) -> impl Iterator<Item = &str> {
        self.floors.keys().map(String::as_str)
    }

    /// Every floor missed by these reports. Floors of sets not among the
    /// reports are not checked, so one floors file serves runs on subsets.
    ///
    /// ```
    /// use copydesk::eval::{score_page, Floors, Prediction, Record, SetReport};
    /// let r = Record { id: "a".into(), text: Some("some words".into()), ..Default::default() };
    /// let rep = SetReport::of("demo", [&score_page(&r, &Prediction::default())]);
    /// let f = Floors::from_json(r#"{"demo": {"token_f1": 0.1, "snippet_f1": 0.5}, "other": {"token_f1": 1}}"#).unwrap();
    /// let misses = f.check([&rep]);
    /// assert_eq!(misses.len(), 2);
    /// assert_eq!(misses[0].actual, None); // demo has no snippet truth
    /// assert_eq!(misses[1].actual, Some(0.0));
    /// ```
    pub fn check<'a>(&self, reports: impl IntoIterator<Item = &'a SetReport>) -> Vec<FloorMiss> {
        let mut misses = Vec::new();
        for report in reports {
            let Some(figures) = self.floors.get(&report.set) else {
                continue;
            };
            for (figure, &floor) in figures {
                let actual = report.figure(figure);
                if actual.is_none_or(|v| v < floor) {
                    misses.push(FloorMiss {
                        set: report.set.clone(),
                        figure: figure.clone(),
                        floor,
                        actual,
                    });
                }
            }
        }
        misses
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::dataset::Record;
    use crate::eval::score::{score_page, Prediction};

    #[test]
    fn floors_pass_at_equality_and_fail_below() {
        let r = Record {
            id: "a".into(),
            text: Some("a b c d e".into()),
            ..Record::default()
        };
        let p = Prediction {
            text: "a b c d x".into(),
            ..Prediction::default()
        };
        let rep = SetReport::of("s", [&score_page(&r, &p)]);
        let ok = Floors::from_json(r#"{"s": {"shingle_f1": 0.5, "token_f1": 0.8}}"#).unwrap();
        assert!(ok.check([&rep]).is_empty());
        let bad = Floors::from_json(r#"{"s": {"shingle_f1": 0.51}}"#).unwrap();
        let misses = bad.check([&rep]);
        assert_eq!(misses.len(), 1);
        assert!(misses[0].to_string().contains("shingle_f1 is 0.5000"));
    }

    #[test]
    fn malformed_floors_are_refused() {
        assert!(Floors::from_json("[1]").is_err());
        assert!(Floors::from_json(r#"{"s": {"shingle_f1": "high"}}"#).is_err());
        let e = Floors::from_json(r#"{"s": {"f1": 0.5}}"#).unwrap_err();
        assert!(e.contains("snippet_f1"), "{e}");
    }
}
