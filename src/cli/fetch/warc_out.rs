//! `--warc-out`: every HTTP exchange of a fetch run as WARC `response` and
//! `request` records, written by a thread of its own so that compressing
//! and writing never hold up the downloads.

use std::fs::OpenOptions;
use std::io;
use std::path::Path;
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::Mutex;
use std::thread::{self, JoinHandle};

use chrono::{DateTime, Utc};
use copydesk::fetch::{Exchange, Recorder};
use copydesk::warc::WarcWriter;

/// Exchanges waiting to be written; beyond this the fetcher waits, so a
/// slow disk cannot make memory grow without bound.
const QUEUE: usize = 256;

/// One exchange, owned, on its way to the writer thread.
struct Entry {
    url: String,
    date: DateTime<Utc>,
    request: Vec<u8>,
    /// Status line, headers, blank line and body.
    response: Vec<u8>,
    complete: bool,
}

/// The recorder that feeds the WARC file.
pub struct WarcOut {
    sender: Mutex<Option<SyncSender<Entry>>>,
    writer: Mutex<Option<JoinHandle<io::Result<usize>>>>,
}

impl WarcOut {
    /// Creates the gzipped WARC file at `path` (or, if `append`, adds to
    /// it, as `--resume` does), writes a `warcinfo` record from `info`, and
    /// starts the writer thread.
    pub fn create(path: &Path, info: &[(&str, &str)], append: bool) -> io::Result<WarcOut> {
        let mut warc = if append {
            // Each record is a gzip member of its own, so records appended
            // after an earlier run's read as one file.
            let file = OpenOptions::new().create(true).append(true).open(path)?;
            WarcWriter::new(file, true)
        } else {
            WarcWriter::create_gz(path)?
        };
        warc.write_warcinfo(info)?;
        warc.flush()?;
        let (sender, receiver) = mpsc::sync_channel(QUEUE);
        let writer = thread::spawn(move || write_all(warc, receiver));
        Ok(WarcOut {
            sender: Mutex::new(Some(sender)),
            writer: Mutex::new(Some(writer)),
        })
    }

    /// Writes what is queued, closes the file, and returns how many
    /// responses it holds, or the first write error.
    pub fn finish(&self) -> io::Result<usize> {
        if let Ok(mut sender) = self.sender.lock() {
            sender.take();
        }
        let writer = self.writer.lock().ok().and_then(|mut w| w.take());
        match writer.map(JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(io::Error::other("the WARC writer thread panicked")),
            None => Ok(0),
        }
    }
}

impl Recorder for WarcOut {
    fn record(&self, exchange: &Exchange<'_>) {
        let sender = match self.sender.lock() {
            Ok(sender) => sender.clone(),
            Err(_) => None,
        };
        let Some(sender) = sender else { return };
        let mut response = Vec::with_capacity(exchange.response_head.len() + exchange.body.len());
        response.extend_from_slice(exchange.response_head);
        response.extend_from_slice(exchange.body);
        // Fails only once the writer has stopped, whose error `finish` reports.
        let _ = sender.send(Entry {
            url: exchange.url.to_owned(),
            date: exchange.date,
            request: exchange.request.to_vec(),
            response,
            complete: exchange.body_complete,
        });
    }
}

/// The writer thread: records every entry until the channel closes. After
/// a write error it keeps draining (so the fetcher never blocks on it) and
/// returns the error at the end.
fn write_all<W: io::Write>(mut warc: WarcWriter<W>, entries: Receiver<Entry>) -> io::Result<usize> {
    let mut written = 0;
    let mut failed = None;
    for entry in entries {
        if failed.is_some() {
            continue;
        }
        match write_entry(&mut warc, &entry) {
            Ok(()) => written += 1,
            Err(e) => failed = Some(e),
        }
    }
    if let Some(e) = failed {
        return Err(e);
    }
    warc.flush()?;
    Ok(written)
}

/// Writes one exchange: the response, then the request that points to it.
/// A response whose body was not (all) downloaded is marked
/// `WARC-Truncated`, so no reader mistakes it for the whole message.
fn write_entry<W: io::Write>(warc: &mut WarcWriter<W>, entry: &Entry) -> io::Result<()> {
    let response_id = if entry.complete {
        warc.write_response(&entry.url, entry.date, &entry.response)?
    } else {
        warc.write_record(
            "response",
            entry.date,
            &[
                ("WARC-Target-URI", &entry.url),
                ("WARC-Truncated", "unspecified"),
            ],
            "application/http; msgtype=response",
            &entry.response,
        )?
    };
    warc.write_request(&entry.url, entry.date, &entry.request, Some(&response_id))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exchanges_become_response_and_request_records() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.warc.gz");
        let out = WarcOut::create(&path, &[("software", "test")], false).unwrap();
        let date = DateTime::from_timestamp(0, 0).unwrap();
        for (url, complete) in [("http://a.test/", true), ("http://a.test/x.pdf", false)] {
            out.record(&Exchange {
                url,
                date,
                request: b"GET / HTTP/1.1\r\nHost: a.test\r\n\r\n",
                response_head: b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n",
                body: b"<p>hi</p>",
                body_complete: complete,
            });
        }
        assert_eq!(out.finish().unwrap(), 2);
        let mut text = String::new();
        let gz = std::fs::File::open(&path).unwrap();
        io::Read::read_to_string(&mut flate2::read::MultiGzDecoder::new(gz), &mut text).unwrap();
        assert_eq!(text.matches("WARC-Type: response").count(), 2);
        assert_eq!(text.matches("WARC-Type: request").count(), 2);
        assert_eq!(text.matches("WARC-Truncated: unspecified").count(), 1);
        assert!(text.contains("WARC-Target-URI: http://a.test/x.pdf"));

        // Appending, as --resume does, keeps what was there.
        let more = WarcOut::create(&path, &[("software", "test")], true).unwrap();
        assert_eq!(more.finish().unwrap(), 0);
        let mut text = String::new();
        let gz = std::fs::File::open(&path).unwrap();
        io::Read::read_to_string(&mut flate2::read::MultiGzDecoder::new(gz), &mut text).unwrap();
        assert_eq!(text.matches("WARC-Type: warcinfo").count(), 2);
        assert_eq!(text.matches("WARC-Type: response").count(), 2);
    }
}
