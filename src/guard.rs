//! A last line of defence for batch runs: a panic while extracting one page
//! becomes that page's error record instead of the end of the run.

use std::panic::{self, AssertUnwindSafe};

use crate::Article;

/// Runs `extract` and returns its article; should it panic, returns an
/// error record of kind `extract` for `url` that says why, so that one
/// pathological page does not end a run over thousands. (The extractor is
/// meant never to panic; this is for the bug that would.)
///
/// ```
/// use copydesk::guard::catching_panics;
/// let page = catching_panics(None, || copydesk::extract("<p>Fine.</p>", None));
/// assert!(page.error.is_none());
/// let broken = catching_panics(Some("https://a.example/"), || panic!("boom"));
/// let error = broken.error.unwrap();
/// assert_eq!(error.kind, "extract");
/// assert!(error.message.contains("boom"));
/// assert_eq!(broken.url.as_deref(), Some("https://a.example/"));
/// ```
pub fn catching_panics(url: Option<&str>, extract: impl FnOnce() -> Article) -> Article {
    panic::catch_unwind(AssertUnwindSafe(extract)).unwrap_or_else(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown cause".to_owned());
        Article::failed(url, "extract", format!("the extractor panicked: {what}"))
    })
}
