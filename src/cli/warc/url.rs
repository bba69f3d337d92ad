//! URL inputs of `copydesk warc`: the archive streamed over HTTP as it is
//! read, never saved.

use std::io::Read;

/// Opens `url` for reading.
pub fn open(url: &str) -> Result<Box<dyn Read>, String> {
    Err(format!(
        "{url}: URL inputs need the `fetch` feature, which this copydesk was built without"
    ))
}
