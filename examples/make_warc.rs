//! Builds a WARC file from HTML files with `copydesk::warc::WarcWriter`:
//! test input for `copydesk warc`, the Spark example and the benchmark.
//!
//! ```sh
//! cargo run --example make_warc -- out.warc.gz fixtures/*.html
//! cargo run --release --example make_warc -- --layout whole --extras out.warc.gz a.html b.html
//! cargo run --release --example make_warc -- --target-bytes 1073741824 big.warc.gz pages/*.html
//! ```
//!
//! Each HTML file becomes a `response` record (status 200, `text/html`)
//! for `URL_PREFIX` + its file name. `--layout` is `per-record` (one gzip
//! member per record, the default), `whole` (the whole file one gzip
//! stream) or `plain`. `--extras` adds what real crawls hold and
//! `copydesk warc` must skip: a `warcinfo` record, a `request` before each
//! response, and per file a 404 response and an image. `--target-bytes N`
//! repeats the files (with `?repeat=K` on their URLs) until the output
//! holds at least N bytes.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use copydesk::warc::WarcWriter;
use flate2::write::GzEncoder;

/// The URL prefix when `--url-prefix` is not given.
const DEFAULT_PREFIX: &str = "https://fixtures.copydesk.test/";

/// Parsed command line.
struct Args {
    layout: String,
    extras: bool,
    url_prefix: String,
    target_bytes: u64,
    output: PathBuf,
    pages: Vec<PathBuf>,
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("make_warc: {message}");
            eprintln!(
                "usage: make_warc [--layout per-record|whole|plain] [--extras] \
                 [--url-prefix P] [--target-bytes N] OUT FILE..."
            );
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(records) => {
            eprintln!(
                "make_warc: wrote {records} pages to {}",
                args.output.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("make_warc: {}: {e}", args.output.display());
            ExitCode::FAILURE
        }
    }
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        layout: "per-record".into(),
        extras: false,
        url_prefix: DEFAULT_PREFIX.into(),
        target_bytes: 0,
        output: PathBuf::new(),
        pages: Vec::new(),
    };
    let mut positional = Vec::new();
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--layout" => args.layout = value("--layout")?,
            "--extras" => args.extras = true,
            "--url-prefix" => args.url_prefix = value("--url-prefix")?,
            "--target-bytes" => {
                args.target_bytes = value("--target-bytes")?
                    .parse()
                    .map_err(|_| "--target-bytes needs a number".to_owned())?;
            }
            _ => positional.push(PathBuf::from(arg)),
        }
    }
    if !["per-record", "whole", "plain"].contains(&args.layout.as_str()) {
        return Err(format!("unknown layout {}", args.layout));
    }
    if positional.len() < 2 {
        return Err("give an output file and at least one HTML file".into());
    }
    args.output = positional.remove(0);
    args.pages = positional;
    Ok(args)
}

/// Counts the bytes written through it, for `--target-bytes`.
struct Counted<W> {
    inner: W,
    written: u64,
}

impl<W: Write> Write for Counted<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// How many bytes have reached the file so far.
trait Written {
    fn written(&self) -> u64;
}

impl Written for Counted<BufWriter<File>> {
    fn written(&self) -> u64 {
        self.written
    }
}

impl Written for GzEncoder<Counted<BufWriter<File>>> {
    fn written(&self) -> u64 {
        self.get_ref().written
    }
}

fn run(args: &Args) -> io::Result<u64> {
    let file = Counted {
        inner: BufWriter::with_capacity(1 << 20, File::create(&args.output)?),
        written: 0,
    };
    if args.layout == "whole" {
        // Plain records inside one gzip stream.
        let gz = GzEncoder::new(file, flate2::Compression::default());
        let mut warc = WarcWriter::new(gz, false);
        let records = write_pages(args, &mut warc)?;
        warc.into_inner()?.finish()?.flush()?;
        Ok(records)
    } else {
        let mut warc = WarcWriter::new(file, args.layout == "per-record");
        let records = write_pages(args, &mut warc)?;
        warc.into_inner()?;
        Ok(records)
    }
}

/// Writes the pages (repeated up to the size target) and returns how many
/// page records were written.
fn write_pages<W: Write + Written>(args: &Args, warc: &mut WarcWriter<W>) -> io::Result<u64> {
    let date = |n: u64| {
        // 2024-05-01T10:00:00Z plus one second per page: stable output.
        chrono::DateTime::from_timestamp(1_714_557_600 + i64::try_from(n).unwrap_or(0), 0)
            .unwrap_or_default()
    };
    if args.extras {
        warc.write_warcinfo(&[
            ("software", "copydesk make_warc example"),
            ("format", "WARC File Format 1.1"),
        ])?;
    }
    let mut records = 0u64;
    for repeat in 0u64.. {
        for page in &args.pages {
            let html = std::fs::read(page)?;
            let mut url = format!("{}{}", args.url_prefix, file_name(page));
            if repeat > 0 {
                url.push_str(&format!("?repeat={repeat}"));
            }
            let when = date(records);
            let mut response = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n",
                html.len()
            )
            .into_bytes();
            response.extend_from_slice(&html);
            let id = warc.write_response(&url, when, &response)?;
            if args.extras {
                let host = url.split('/').nth(2).unwrap_or("localhost");
                let request = format!("GET {url} HTTP/1.1\r\nHost: {host}\r\n\r\n");
                warc.write_request(&url, when, request.as_bytes(), Some(&id))?;
            }
            records += 1;
        }
        if args.extras && repeat == 0 {
            let missing = format!("{}missing.html", args.url_prefix);
            warc.write_response(
                &missing,
                date(records),
                b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\n<p>Not found</p>",
            )?;
            let image = format!("{}logo.png", args.url_prefix);
            warc.write_response(
                &image,
                date(records),
                b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\n",
            )?;
        }
        if warc.get_ref().written() >= args.target_bytes {
            break;
        }
    }
    Ok(records)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
