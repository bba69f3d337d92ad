//! URL inputs of `copydesk warc`: the archive streamed over HTTP as it is
//! read, never saved.
//!
//! The download runs on its own thread with a small tokio runtime and hands
//! the body over in pieces through a bounded channel, so a multi-gigabyte
//! archive needs no more memory than a few pieces, and a slow reader slows
//! the download instead of buffering it.

use std::io::Read;

/// Opens `url` for reading.
#[cfg(not(feature = "fetch"))]
pub fn open(url: &str) -> Result<Box<dyn Read>, String> {
    Err(format!(
        "{url}: URL inputs need the `fetch` feature, which this copydesk was built without"
    ))
}

/// Pieces of the body in flight between the download and the reader.
#[cfg(feature = "fetch")]
const PIECES_IN_FLIGHT: usize = 16;

/// Opens `url` for reading: waits for the response status, then streams
/// the body. A status other than 200 is an error.
#[cfg(feature = "fetch")]
pub fn open(url: &str) -> Result<Box<dyn Read>, String> {
    use std::sync::mpsc;

    let (tx, rx) = mpsc::sync_channel::<std::io::Result<Vec<u8>>>(PIECES_IN_FLIGHT);
    // The status comes back on its own channel so that it can fail `open`.
    let (status_tx, status_rx) = mpsc::sync_channel::<Result<(), String>>(1);
    let target = url.to_owned();
    std::thread::Builder::new()
        .name("copydesk-warc-download".into())
        .spawn(move || download(&target, &status_tx, &tx))
        .map_err(|e| format!("{url}: cannot start the download: {e}"))?;
    match status_rx.recv() {
        Ok(Ok(())) => Ok(Box::new(Pieces {
            rx,
            piece: Vec::new(),
            at: 0,
        })),
        Ok(Err(message)) => Err(format!("{url}: {message}")),
        Err(_) => Err(format!("{url}: the download stopped before it started")),
    }
}

/// Runs one download on this thread, sending the status, then the pieces.
#[cfg(feature = "fetch")]
fn download(
    url: &str,
    status_tx: &std::sync::mpsc::SyncSender<Result<(), String>>,
    tx: &std::sync::mpsc::SyncSender<std::io::Result<Vec<u8>>>,
) {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            let _ = status_tx.send(Err(format!("cannot start the HTTP client: {e}")));
            return;
        }
    };
    runtime.block_on(async {
        let client = reqwest::Client::builder()
            .user_agent(copydesk::fetch::DEFAULT_USER_AGENT)
            .build();
        let response = match client {
            Ok(client) => client.get(url).send().await,
            Err(e) => {
                let _ = status_tx.send(Err(format!("cannot start the HTTP client: {e}")));
                return;
            }
        };
        let mut response = match response {
            Ok(r) if r.status().as_u16() == 200 => r,
            Ok(r) => {
                let _ = status_tx.send(Err(format!("HTTP status {}", r.status().as_u16())));
                return;
            }
            Err(e) => {
                let _ = status_tx.send(Err(e.to_string()));
                return;
            }
        };
        if status_tx.send(Ok(())).is_err() {
            return;
        }
        loop {
            let piece = match response.chunk().await {
                Ok(Some(bytes)) => Ok(bytes.to_vec()),
                Ok(None) => return,
                Err(e) => Err(std::io::Error::other(e)),
            };
            let failed = piece.is_err();
            // A closed channel means the reader has stopped: so do we.
            // `send` blocks this thread while the channel is full, which
            // holds back the download; nothing else runs on this runtime.
            if tx.send(piece).is_err() || failed {
                return;
            }
        }
    });
}

/// The reading end: the pieces in order, then the end of the stream.
#[cfg(feature = "fetch")]
struct Pieces {
    rx: std::sync::mpsc::Receiver<std::io::Result<Vec<u8>>>,
    piece: Vec<u8>,
    at: usize,
}

#[cfg(feature = "fetch")]
impl Read for Pieces {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        while self.at == self.piece.len() {
            match self.rx.recv() {
                Ok(piece) => {
                    self.piece = piece?;
                    self.at = 0;
                }
                // The download thread finished: the end of the body.
                Err(_) => return Ok(0),
            }
        }
        let n = (self.piece.len() - self.at).min(out.len());
        out[..n].copy_from_slice(&self.piece[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}
