//! `copydesk bench --scaling`: does time (and memory) grow linearly with the
//! page? A real page is inflated by repeating its body to 1, 10 and 50 MB,
//! and synthetic pathological pages are timed at two sizes ten times apart.

use std::fs;
use std::time::{Duration, Instant};

use copydesk::{Extractor, Options, Timings};

use super::{median, Page};

/// One inflated page's figures.
pub(crate) struct SizeRow {
    /// The size asked for, in MB.
    pub mb: usize,
    /// The size generated, in bytes.
    pub bytes: usize,
    /// Median extraction time.
    pub time: Duration,
    /// Stage times of one extraction.
    pub stages: Timings,
    /// Resident memory just before the extraction (the page itself, and
    /// whatever the process held already), in bytes.
    pub rss_before: Option<u64>,
    /// Peak resident memory during the extraction, in bytes.
    pub rss_peak: Option<u64>,
}

/// One pathological shape's figures at a small and a large size.
pub(crate) struct ShapeRow {
    /// What the page is made of.
    pub name: &'static str,
    /// Repetitions of the shape at the two sizes.
    pub n: [usize; 2],
    /// Median extraction times at the two sizes.
    pub time: [Duration; 2],
    /// Stage times of one extraction at the large size.
    pub stages: Timings,
}

/// Everything `--scaling` reports.
pub(crate) struct Scaling {
    /// The page that was inflated.
    pub base: String,
    /// Its size in bytes.
    pub base_bytes: usize,
    pub sizes: Vec<SizeRow>,
    pub shapes: Vec<ShapeRow>,
}

/// A synthetic page: a name, and the page at `n` repetitions.
type Shape = (&'static str, usize, fn(usize) -> String);

/// The pathological pages, each with its large size.
const SHAPES: [Shape; 5] = [
    ("sibling links", 100_000, sibling_links),
    ("nested tables", 10_000, nested_tables),
    ("nested divs", 100_000, nested_divs),
    ("nested inline (b, i, span)", 30_000, nested_inline),
    ("sibling paragraphs", 100_000, sibling_paragraphs),
];

/// Runs the scaling measurements; `sizes` in MB.
pub(crate) fn run(pages: &[Page], sizes: &[usize], repeat: usize) -> Scaling {
    // No size limit: the point is to see what large pages cost.
    let extractor = Extractor::new(Options {
        max_bytes: usize::MAX,
        ..Options::default()
    });
    let base = richest(&extractor, pages);
    let mut out = Scaling {
        base: base.source.clone(),
        base_bytes: base.text.len(),
        sizes: Vec::new(),
        shapes: Vec::new(),
    };
    for &mb in sizes {
        let page = inflate(&base.text, mb * 1_000_000);
        let bytes = page.into_bytes();
        let rss_before = reset_peak_rss().then(current_rss).flatten();
        let mut stages = Timings::default();
        let time = timed(repeat, || {
            stages = Timings::default();
            extractor.extract_bytes_timed(&bytes, None, None, &mut stages);
        });
        out.sizes.push(SizeRow {
            mb,
            bytes: bytes.len(),
            time,
            stages,
            rss_before,
            rss_peak: peak_rss(),
        });
    }
    for (name, n, make) in SHAPES {
        let n = [n / 10, n];
        let mut stages = Timings::default();
        let time = n.map(|n| {
            let page = make(n);
            timed(repeat, || {
                stages = Timings::default();
                extractor.extract_timed(&page, None, &mut stages);
            })
        });
        out.shapes.push(ShapeRow {
            name,
            n,
            time,
            stages,
        });
    }
    out
}

/// The median time of `repeat` calls of `f`.
fn timed(repeat: usize, mut f: impl FnMut()) -> Duration {
    median((0..repeat).map(|_| {
        let start = Instant::now();
        f();
        start.elapsed()
    }))
}

/// The page with the longest article among the first few hundred: a real
/// article's shape is what we want repeated.
fn richest<'p>(extractor: &Extractor, pages: &'p [Page]) -> &'p Page {
    pages
        .iter()
        .take(300)
        .max_by_key(|p| extractor.extract(&p.text, None).text.len())
        .unwrap_or(&pages[0])
}

/// `html` with its body repeated until the page is at least `target` bytes.
fn inflate(html: &str, target: usize) -> String {
    let lower = html.to_ascii_lowercase();
    let start = lower
        .find("<body")
        .and_then(|b| lower[b..].find('>').map(|e| b + e + 1))
        .unwrap_or(0);
    let end = lower
        .rfind("</body")
        .filter(|&e| e >= start)
        .unwrap_or(html.len());
    let (head, body, tail) = (&html[..start], &html[start..end], &html[end..]);
    let mut out = String::with_capacity(target + html.len());
    out.push_str(head);
    while out.len() + tail.len() < target && !body.is_empty() {
        out.push_str(body);
    }
    out.push_str(tail);
    out
}

fn sibling_links(n: usize) -> String {
    let mut s = String::from("<html><body><div>");
    for i in 0..n {
        s.push_str(&format!("<a href=\"/story/{i}\">Story number {i}</a> "));
    }
    s + "</div></body></html>"
}

fn nested_tables(n: usize) -> String {
    let cell = "<p>Some text in the innermost cell, with a comma.</p>";
    "<table><tr><td>".repeat(n) + cell + &"</td></tr></table>".repeat(n)
}

fn nested_divs(n: usize) -> String {
    let p = "<p>Some text in the innermost div, with a comma.</p>";
    "<div>".repeat(n) + p + &"</div>".repeat(n)
}

fn nested_inline(n: usize) -> String {
    let open = "<b><i><span>x ".repeat(n / 3);
    open + "text, with a comma." + &"</span></i></b>".repeat(n / 3)
}

fn sibling_paragraphs(n: usize) -> String {
    let mut s = String::from("<html><body><article>");
    for i in 0..n {
        s.push_str(&format!(
            "<p>Paragraph {i} of the story, long enough to count, with a comma.</p>"
        ));
    }
    s + "</article></body></html>"
}

/// Resets the kernel's record of this process's peak resident memory, so
/// that [`peak_rss`] measures from now; false where that is not possible.
fn reset_peak_rss() -> bool {
    fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn current_rss() -> Option<u64> {
    status_kb("VmRSS:")
}

fn peak_rss() -> Option<u64> {
    status_kb("VmHWM:")
}

/// A memory figure of `/proc/self/status`, in bytes (Linux only).
fn status_kb(key: &str) -> Option<u64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    let kb: u64 = line[key.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflate_repeats_the_body_only() {
        let page = "<html><head><title>t</title></head><BODY class=x><p>a</p></body></html>";
        let big = inflate(page, 200);
        assert!(big.len() >= 200);
        assert!(
            big.starts_with("<html><head><title>t</title></head><BODY class=x><p>a</p><p>a</p>")
        );
        assert!(big.ends_with("<p>a</p></body></html>"));
        assert_eq!(big.matches("<title>").count(), 1);
    }

    #[test]
    fn shapes_have_the_asked_size() {
        assert_eq!(nested_divs(3).matches("<div>").count(), 3);
        assert_eq!(sibling_links(5).matches("<a ").count(), 5);
        assert_eq!(nested_tables(4).matches("</table>").count(), 4);
    }
}
