//! A small HTTP/1.1 test server on a loopback address: one thread per
//! connection, `Connection: close`, replies chosen by a handler. It counts
//! requests per path and how many it was handling at once, and logs when
//! each started, so tests can check the fetcher's politeness.
//!
//! Shared by the fetch tests and the fetch benchmark (`#[path]`-included);
//! it only ever listens on 127.0.0.0/8.

#![allow(dead_code)] // each includer uses a different part

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// A request as the handler sees it.
#[derive(Debug, Clone)]
pub struct Request {
    pub path: String,
    pub headers: Vec<(String, String)>,
    /// How many earlier requests this server had for the same path.
    pub earlier: usize,
}

impl Request {
    /// The value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What to send back.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Wait this long before answering.
    pub hold: Duration,
    /// Send the body in pieces of `trickle.0` bytes, `trickle.1` apart.
    pub trickle: Option<(usize, Duration)>,
}

impl Reply {
    pub fn new(status: u16) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            hold: Duration::ZERO,
            trickle: None,
        }
    }

    /// A 200 `text/html; charset=utf-8` page.
    pub fn html(body: impl Into<Vec<u8>>) -> Reply {
        Reply::new(200)
            .header("Content-Type", "text/html; charset=utf-8")
            .body(body)
    }

    pub fn redirect(status: u16, location: &str) -> Reply {
        Reply::new(status).header("Location", location)
    }

    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Reply {
        self.body = body.into();
        self
    }

    pub fn hold(mut self, wait: Duration) -> Reply {
        self.hold = wait;
        self
    }

    pub fn trickle(mut self, piece: usize, every: Duration) -> Reply {
        self.trickle = Some((piece.max(1), every));
        self
    }
}

/// One request, as logged.
#[derive(Debug, Clone)]
pub struct Hit {
    pub path: String,
    pub start: Instant,
}

#[derive(Default)]
struct Stats {
    active: AtomicUsize,
    max_active: AtomicUsize,
    log: Mutex<Vec<Hit>>,
    per_path: Mutex<HashMap<String, usize>>,
}

type Handler = dyn Fn(&Request) -> Reply + Send + Sync;

/// A running server; it stops when dropped.
pub struct Server {
    addr: SocketAddr,
    stats: Arc<Stats>,
    stop: Arc<AtomicBool>,
}

impl Server {
    /// Starts a server on `ip` (a 127.x.y.z address) and a free port.
    pub fn start(ip: &str, handler: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> Server {
        assert!(ip.starts_with("127."), "test servers stay on loopback");
        let listener = TcpListener::bind((ip, 0)).expect("bind a loopback port");
        let addr = listener.local_addr().unwrap();
        let stats = Arc::new(Stats::default());
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        {
            let (stats, stop) = (stats.clone(), stop.clone());
            thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let (stats, handler) = (stats.clone(), handler.clone());
                    thread::spawn(move || serve(stream, &stats, &*handler));
                }
            });
        }
        Server { addr, stats, stop }
    }

    /// `http://IP:PORT` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Requests received for `path`.
    pub fn hits(&self, path: &str) -> usize {
        self.stats
            .per_path
            .lock()
            .unwrap()
            .get(path)
            .copied()
            .unwrap_or(0)
    }

    /// Requests received in all.
    pub fn total_hits(&self) -> usize {
        self.stats.log.lock().unwrap().len()
    }

    /// The most requests this server was handling at one time.
    pub fn max_concurrent(&self) -> usize {
        self.stats.max_active.load(Ordering::SeqCst)
    }

    /// Every request so far, in the order they arrived.
    pub fn log(&self) -> Vec<Hit> {
        self.stats.log.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.addr);
    }
}

fn serve(stream: TcpStream, stats: &Stats, handler: &Handler) {
    // A client that never closes must not pin this thread for ever.
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return; // the wake-up connection, or a client that gave up
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) == 0 {
            return;
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            headers.push((name.trim().to_owned(), value.trim().to_owned()));
        }
    }
    let now_active = stats.active.fetch_add(1, Ordering::SeqCst) + 1;
    stats.max_active.fetch_max(now_active, Ordering::SeqCst);
    let earlier = {
        let mut per_path = stats.per_path.lock().unwrap();
        let count = per_path.entry(path.clone()).or_insert(0);
        *count += 1;
        *count - 1
    };
    stats.log.lock().unwrap().push(Hit {
        path: path.clone(),
        start: Instant::now(),
    });
    let reply = handler(&Request {
        path,
        headers,
        earlier,
    });
    thread::sleep(reply.hold);
    let mut head = format!("HTTP/1.1 {} X\r\n", reply.status);
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        reply.body.len()
    ));
    let mut stream = stream;
    // The request counts as handled from just before its last bytes go
    // out: once the client has them it may rightly start the next one.
    let _ = match reply.trickle {
        None => {
            stats.active.fetch_sub(1, Ordering::SeqCst);
            stream
                .write_all(head.as_bytes())
                .and_then(|()| stream.write_all(&reply.body))
        }
        Some((piece, every)) => {
            let sent = stream.write_all(head.as_bytes()).and_then(|()| {
                for chunk in reply.body.chunks(piece) {
                    thread::sleep(every);
                    stream.write_all(chunk)?;
                }
                Ok(())
            });
            stats.active.fetch_sub(1, Ordering::SeqCst);
            sent
        }
    };
    let _ = stream.flush();
    let _ = stream.shutdown(Shutdown::Write);
    // Drain what the client may still send so the close is graceful.
    let _ = reader.read_line(&mut line);
}

/// A news-like HTML page with `words` of prose, so the extractor finds an
/// article.
pub fn article_page(title: &str, words: usize) -> String {
    let sentence = "The council said on Tuesday that the new bridge, delayed for years, would open to traffic in the spring. ";
    let per = sentence.split_whitespace().count();
    let mut body = String::new();
    let mut n = 0;
    while n < words {
        body.push_str("<p>");
        for _ in 0..3 {
            body.push_str(sentence);
            n += per;
        }
        body.push_str("</p>\n");
    }
    format!(
        "<!doctype html><html lang=\"en\"><head><title>{title}</title></head><body>\
         <nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav>\
         <article><h1>{title}</h1>\n{body}</article><footer>© Test Gazette</footer></body></html>"
    )
}
