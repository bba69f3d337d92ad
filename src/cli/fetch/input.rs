//! The URL list of `copydesk fetch`: arguments, a file or standard input;
//! one URL per line or JSON lines with a `url` field.

use std::collections::HashSet;
use std::io::{self, BufRead};

/// Reads a URL list: one URL per line, with blank lines and `#` comments
/// skipped, or JSON lines whose `url` field holds the URL. A line that is
/// neither is kept as it is, so it gets an `invalid_url` record rather than
/// vanishing.
pub fn read_list(mut reader: impl BufRead) -> io::Result<Vec<String>> {
    let mut urls = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            return Ok(urls);
        }
        let text = String::from_utf8_lossy(&line);
        if let Some(url) = parse_line(&text) {
            urls.push(url);
        }
    }
}

/// The URL on one line of a list, if the line holds one.
fn parse_line(line: &str) -> Option<String> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return None;
    }
    if line.starts_with('{') {
        if let Ok(serde_json::Value::Object(fields)) = serde_json::from_str(line) {
            if let Some(serde_json::Value::String(url)) = fields.get("url") {
                return Some(url.clone());
            }
        }
    }
    Some(line.to_owned())
}

/// Drops repeated URLs (the same text), keeping the first of each; returns
/// how many were dropped. One record per distinct URL keeps `--resume`
/// exact and spares sites a second visit.
pub fn dedupe(urls: &mut Vec<String>) -> usize {
    let before = urls.len();
    let mut seen = HashSet::with_capacity(urls.len());
    urls.retain(|url| seen.insert(url.clone()));
    before - urls.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_skip_blanks_and_comments_and_read_jsonl() {
        let text = "# news\nhttps://a.test/1\n\n   https://a.test/2  \r\n\
            {\"url\": \"https://b.test/3\", \"id\": 7}\n{\"id\": 8}\nnot a url\n";
        let urls = read_list(text.as_bytes()).unwrap();
        assert_eq!(
            urls,
            [
                "https://a.test/1",
                "https://a.test/2",
                "https://b.test/3",
                "{\"id\": 8}",
                "not a url"
            ]
        );
    }

    #[test]
    fn a_last_line_without_newline_counts() {
        assert_eq!(
            read_list(&b"https://a.test/1"[..]).unwrap(),
            ["https://a.test/1"]
        );
    }

    #[test]
    fn duplicates_go_keeping_order() {
        let mut urls: Vec<String> = ["a", "b", "a", "c", "b"].map(String::from).to_vec();
        assert_eq!(dedupe(&mut urls), 2);
        assert_eq!(urls, ["a", "b", "c"]);
    }
}
