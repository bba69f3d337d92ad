//! How one extracted document is written: a JSON line, or its plain text or
//! Markdown under an optional `==> source <==` header.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use copydesk::Article;
use serde::Serialize;

/// The output format of `copydesk extract`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One JSON object per document, one per line.
    Jsonl,
    /// The article text of each document.
    Text,
    /// The article as Markdown (falls back to the text when no Markdown was produced).
    Markdown,
}

/// One JSONL record: where the page came from, then the article's fields at
/// the same level (not nested), so the record reads as a flat row.
#[derive(Serialize)]
struct Record<'a> {
    source: &'a str,
    #[serde(flatten)]
    article: &'a Article,
}

/// Renders one document in `format`, ending in a newline unless empty.
///
/// `header` asks for a `==> source <==` line before the text and Markdown
/// forms (as `tail` does for several files); JSONL records carry `source`
/// themselves and never get one.
pub fn render(format: Format, source: &str, article: &Article, header: bool) -> String {
    let body = match format {
        Format::Jsonl => {
            let record = Record { source, article };
            let mut line =
                serde_json::to_string(&record).expect("an Article always serialises to JSON");
            line.push('\n');
            return line;
        }
        Format::Text => article.text.as_str(),
        Format::Markdown => article.markdown.as_deref().unwrap_or(&article.text),
    };
    let mut out = String::with_capacity(body.len() + source.len() + 10);
    if header {
        out.push_str("==> ");
        out.push_str(source);
        out.push_str(" <==\n");
    }
    out.push_str(body);
    if !body.is_empty() && !body.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// The output stream: the file at `path` (created or truncated), or
/// standard output; the error is a message naming the file.
///
/// BufWriter hands a record to the OS whole whenever it fits the buffer: a
/// write that would overflow flushes what is buffered first. So each record
/// written with one `write_all` reaches a growing output file whole, and
/// readers of it never see half a line at a buffer boundary.
pub fn create(path: Option<&Path>) -> Result<BufWriter<Box<dyn Write>>, String> {
    let out: Box<dyn Write> = match path {
        Some(path) => match fs::File::create(path) {
            Ok(file) => Box::new(file),
            Err(e) => return Err(format!("cannot create {}: {e}", path.display())),
        },
        None => Box::new(io::stdout().lock()),
    };
    Ok(BufWriter::with_capacity(BUFFER_BYTES, out))
}

/// The file at `path` opened for appending (created if missing), buffered
/// as [`create`]'s output is, for `--resume`.
pub fn append(path: &Path) -> Result<BufWriter<Box<dyn Write>>, String> {
    match fs::OpenOptions::new().create(true).append(true).open(path) {
        Ok(file) => Ok(BufWriter::with_capacity(BUFFER_BYTES, Box::new(file))),
        Err(e) => Err(format!("cannot append to {}: {e}", path.display())),
    }
}

/// Output buffer size: many records per write, and most records whole in one.
const BUFFER_BYTES: usize = 256 * 1024;

/// What goes between two rendered documents: a blank line between
/// header-led text blocks, nothing between JSON lines.
pub fn separator(format: Format, header: bool) -> &'static str {
    if format != Format::Jsonl && header {
        "\n"
    } else {
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article() -> Article {
        Article {
            text: "First line.\nSecond line.".into(),
            word_count: 4,
            ..Article::default()
        }
    }

    #[test]
    fn jsonl_is_one_flat_line_with_source_first() {
        let line = render(Format::Jsonl, "a.html", &article(), true);
        assert!(
            line.starts_with(r#"{"source":"a.html","url":null,"#),
            "{line}"
        );
        assert_eq!(line.matches('\n').count(), 1);
        assert!(line.ends_with('\n'));
        assert!(
            !line.contains("markdown"),
            "markdown is absent unless asked for"
        );
    }

    #[test]
    fn text_has_a_header_only_when_asked() {
        assert_eq!(
            render(Format::Text, "a.html", &article(), false),
            "First line.\nSecond line.\n"
        );
        assert_eq!(
            render(Format::Text, "a.html", &article(), true),
            "==> a.html <==\nFirst line.\nSecond line.\n"
        );
    }

    #[test]
    fn markdown_falls_back_to_text() {
        let mut a = article();
        assert_eq!(
            render(Format::Markdown, "-", &a, false),
            "First line.\nSecond line.\n"
        );
        a.markdown = Some("# Title\n\nBody".into());
        assert_eq!(
            render(Format::Markdown, "-", &a, false),
            "# Title\n\nBody\n"
        );
    }

    #[test]
    fn empty_text_renders_nothing_but_the_header() {
        let a = Article::default();
        assert_eq!(render(Format::Text, "x", &a, false), "");
        assert_eq!(render(Format::Text, "x", &a, true), "==> x <==\n");
    }
}
