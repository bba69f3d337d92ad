//! End-to-end tests of `copydesk fetch` (and the `Fetcher` behind it)
//! against test servers on 127.0.0.0/8 that the tests start themselves.
//! No test touches the internet.

mod common;

use std::io::{Read, Write};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::server::{article_page, Reply, Request, Server};
use common::{by_source, copydesk, fetch, kind, records};

/// Flags that keep a test fast: no politeness waits, quick retries.
const FAST: [&str; 6] = ["--delay", "0", "--backoff", "0.05", "--ignore-robots", "-q"];

fn args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut all: Vec<&str> = FAST.to_vec();
    all.extend_from_slice(extra);
    all
}

/// A site with one route per test case.
fn site(ip: &str) -> Server {
    Server::start(ip, |req: &Request| match req.path.as_str() {
        "/page" | "/a" | "/b" => Reply::html(article_page("Bridge to open in spring", 120)),
        "/r1" => Reply::redirect(301, "/r2"),
        "/r2" => Reply::redirect(302, "/page"),
        "/loop1" => Reply::redirect(302, "/loop2"),
        "/loop2" => Reply::redirect(302, "/loop1"),
        "/ftp" => Reply::redirect(302, "ftp://127.0.0.1/file"),
        "/flaky" if req.earlier == 0 => Reply::new(500),
        "/flaky" => Reply::html(article_page("Second time lucky", 120)),
        "/busy" if req.earlier == 0 => Reply::new(429).header("Retry-After", "1"),
        "/busy" => Reply::html(article_page("After the wait", 120)),
        "/always429" => Reply::new(429).header("Retry-After", "0"),
        "/pdf" => Reply::new(200)
            .header("Content-Type", "application/pdf")
            .body(vec![b'%'; 1 << 20])
            .trickle(64 * 1024, Duration::from_millis(100)),
        "/trickle" => {
            Reply::html(article_page("Slow", 300)).trickle(200, Duration::from_millis(100))
        }
        "/big" => Reply::html(article_page("Big", 5000)),
        path if path.starts_with("/chain/") => {
            let n: usize = path[7..].parse().unwrap_or(0);
            Reply::redirect(302, &format!("/chain/{}", n + 1))
        }
        _ => Reply::new(404)
            .header("Content-Type", "text/html")
            .body("<h1>Not here</h1>"),
    })
}

#[test]
fn a_page_becomes_a_full_record() {
    let server = site("127.0.0.1");
    let out = fetch(&args(&[&server.url("/page")]));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let recs = records(&out.stdout);
    assert_eq!(recs.len(), 1);
    let r = &recs[0];
    assert_eq!(kind(r), "ok");
    assert_eq!(r["source"], server.url("/page"));
    assert_eq!(r["url"], server.url("/page"));
    assert_eq!(r["final_url"], server.url("/page"));
    assert_eq!(r["status"], 200);
    assert_eq!(r["content_type"], "text/html; charset=utf-8");
    assert_eq!(r["title"], "Bridge to open in spring");
    assert!(r["text"].as_str().unwrap().contains("The council said"));
    assert!(!r["text"].as_str().unwrap().contains("Home"));
    assert!(r["fetched_at"].as_str().unwrap().ends_with('Z'));
    assert!(r["elapsed_ms"].is_u64());
}

#[test]
fn redirects_are_followed_and_loops_caught() {
    let server = site("127.0.0.1");
    let urls = ["/r1", "/loop1", "/ftp", "/chain/0"].map(|p| server.url(p));
    let mut all = args(&["--max-redirects", "5"]);
    all.extend(urls.iter().map(String::as_str));
    let out = fetch(&all);
    assert_eq!(out.status.code(), Some(1));
    let recs = by_source(&records(&out.stdout));
    let chain = &recs[&urls[0]];
    assert_eq!(kind(chain), "ok");
    assert_eq!(chain["final_url"], server.url("/page"));
    assert_eq!(chain["status"], 200);
    assert_eq!(kind(&recs[&urls[1]]), "too_many_redirects");
    assert!(recs[&urls[1]]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("loop"));
    assert_eq!(kind(&recs[&urls[2]]), "invalid_url");
    let long = &recs[&urls[3]];
    assert_eq!(kind(long), "too_many_redirects");
    assert_eq!(long["final_url"], server.url("/chain/5"));
    assert_eq!(server.hits("/chain/6"), 0);
}

#[test]
fn status_errors_and_retries() {
    let server = site("127.0.0.1");
    let urls = ["/missing", "/flaky", "/always429"].map(|p| server.url(p));
    let mut all = args(&["--retries", "2"]);
    all.extend(urls.iter().map(String::as_str));
    let out = fetch(&all);
    let recs = by_source(&records(&out.stdout));
    let missing = &recs[&urls[0]];
    assert_eq!(kind(missing), "http_status");
    assert_eq!(missing["status"], 404);
    assert_eq!(server.hits("/missing"), 1, "a 404 is not retried");
    assert_eq!(kind(&recs[&urls[1]]), "ok");
    assert_eq!(recs[&urls[1]]["title"], "Second time lucky");
    assert_eq!(server.hits("/flaky"), 2);
    let busy = &recs[&urls[2]];
    assert_eq!(kind(busy), "http_status");
    assert_eq!(busy["status"], 429);
    assert_eq!(server.hits("/always429"), 3, "one try and two retries");
}

#[test]
fn retry_after_is_honoured() {
    let server = site("127.0.0.1");
    // The backoff alone would wait 20 s or more: only Retry-After (1 s) fits the bound.
    let out = fetch(&[
        "--delay",
        "0",
        "--ignore-robots",
        "-q",
        "--backoff",
        "40",
        &server.url("/busy"),
    ]);
    let recs = records(&out.stdout);
    assert_eq!(kind(&recs[0]), "ok", "{:?}", recs[0]);
    let log = server.log();
    assert_eq!(log.len(), 2);
    let gap = log[1].start - log[0].start;
    assert!(
        gap >= Duration::from_millis(950) && gap < Duration::from_secs(10),
        "{gap:?}"
    );
}

#[test]
fn slow_bodies_time_out_and_big_ones_are_cut() {
    let server = site("127.0.0.1");
    let urls = ["/trickle", "/big", "/pdf"].map(|p| server.url(p));
    let mut all = args(&["--timeout", "1", "--retries", "0", "--max-bytes", "20000"]);
    all.extend(urls.iter().map(String::as_str));
    let started = Instant::now();
    let out = fetch(&all);
    let recs = by_source(&records(&out.stdout));
    assert_eq!(kind(&recs[&urls[0]]), "timeout");
    assert_eq!(kind(&recs[&urls[1]]), "too_large");
    let pdf = &recs[&urls[2]];
    // The PDF trickles for 1.6 s: reading it would have timed out.
    assert_eq!(kind(pdf), "not_html");
    assert_eq!(pdf["content_type"], "application/pdf");
    assert!(started.elapsed() < Duration::from_secs(8));
}

#[test]
fn compressed_bodies_are_decoded_and_limited_as_they_stream() {
    use flate2::{write::GzEncoder, Compression};
    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut enc = GzEncoder::new(Vec::new(), Compression::default());
        enc.write_all(bytes).unwrap();
        enc.finish().unwrap()
    }
    let small = gzip(article_page("Packed small", 200).as_bytes());
    // 4 MB of HTML that packs into a few kilobytes: only decoding shows its size.
    let bomb = gzip(&[b"<p>a</p>".repeat(512 * 1024), b"</body>".to_vec()].concat());
    let server = Server::start("127.0.0.1", move |req: &Request| {
        assert!(req.header("accept-encoding").unwrap_or("").contains("gzip"));
        let body = if req.path == "/small" {
            small.clone()
        } else {
            bomb.clone()
        };
        Reply::new(200)
            .header("Content-Type", "text/html")
            .header("Content-Encoding", "gzip")
            .body(body)
    });
    let (small_url, bomb_url) = (server.url("/small"), server.url("/bomb"));
    let out = fetch(&args(&["--max-bytes", "1000000", &small_url, &bomb_url]));
    let recs = by_source(&records(&out.stdout));
    assert_eq!(kind(&recs[&small_url]), "ok");
    assert_eq!(recs[&small_url]["title"], "Packed small");
    assert_eq!(kind(&recs[&bomb_url]), "too_large");
}

#[test]
fn a_header_charset_decodes_the_page() {
    let html = "<html><head><title>Новости</title></head><body><article><p>Мост через реку откроют весной, \
        сообщили в городском совете во вторник, и движение по нему пойдёт уже в апреле.</p>\
        <p>Строительство задержалось на несколько лет из-за споров о проекте и нехватки денег.</p>\
        </article></body></html>";
    let (bytes, _, lossy) = encoding_rs::WINDOWS_1251.encode(html);
    assert!(!lossy);
    let bytes = bytes.into_owned();
    let server = Server::start("127.0.0.1", move |_: &Request| {
        Reply::new(200)
            .header("Content-Type", "text/html; charset=windows-1251")
            .body(bytes.clone())
    });
    let out = fetch(&args(&[&server.url("/ru")]));
    let recs = records(&out.stdout);
    assert_eq!(kind(&recs[0]), "ok");
    assert!(
        recs[0]["text"]
            .as_str()
            .unwrap()
            .starts_with("Мост через реку"),
        "{}",
        recs[0]["text"]
    );
}

#[test]
fn robots_txt_is_fetched_once_and_obeyed_with_its_crawl_delay() {
    let server = Server::start("127.0.0.1", |req: &Request| match req.path.as_str() {
        "/robots.txt" => Reply::new(200)
            .header("Content-Type", "text/plain")
            .body("User-agent: *\nDisallow: /private\nCrawl-delay: 0.4\n"),
        _ => Reply::html(article_page("Open page", 120)),
    });
    let urls = ["/private/1", "/a", "/b", "/private/2", "/c"].map(|p| server.url(p));
    let mut all = vec!["--delay", "0", "-q", "--per-host", "4"];
    all.extend(urls.iter().map(String::as_str));
    let out = fetch(&all);
    let recs = by_source(&records(&out.stdout));
    assert_eq!(kind(&recs[&urls[0]]), "robots_disallowed");
    assert_eq!(kind(&recs[&urls[3]]), "robots_disallowed");
    for url in [&urls[1], &urls[2], &urls[4]] {
        assert_eq!(kind(&recs[url]), "ok");
    }
    assert_eq!(server.hits("/robots.txt"), 1);
    assert_eq!(server.hits("/private/1") + server.hits("/private/2"), 0);
    let log = server.log();
    assert_eq!(log[0].path, "/robots.txt");
    for pair in log.windows(2) {
        let gap = pair[1].start - pair[0].start;
        assert!(
            gap >= Duration::from_millis(380),
            "crawl delay not kept: {gap:?}"
        );
    }

    // With --ignore-robots the private page is fetched and robots.txt is not.
    let out = fetch(&["--delay", "0", "-q", "--ignore-robots", &urls[0]]);
    assert_eq!(kind(&records(&out.stdout)[0]), "ok");
    assert_eq!(server.hits("/robots.txt"), 1);
}

#[test]
fn per_host_limits_hold_and_a_slow_host_stalls_no_one() {
    let fast: Vec<Server> = ["127.0.0.2", "127.0.0.3", "127.0.0.4"]
        .iter()
        .map(|ip| {
            Server::start(ip, |_: &Request| {
                Reply::html(article_page("Fast", 100)).hold(Duration::from_millis(400))
            })
        })
        .collect();
    let slow = Server::start("127.0.0.5", |_: &Request| {
        Reply::html(article_page("Slow", 100)).hold(Duration::from_secs(3))
    });
    // The slow host's URLs come first, so a naive queue would wait on them.
    let mut urls: Vec<String> = (0..4).map(|i| slow.url(&format!("/s{i}"))).collect();
    for i in 0..6 {
        for server in &fast {
            urls.push(server.url(&format!("/f{i}")));
        }
    }
    let mut all = vec![
        "--per-host",
        "2",
        "--delay",
        "0.3",
        "--concurrency",
        "6",
        "--ignore-robots",
        "-q",
    ];
    all.extend(urls.iter().map(String::as_str));
    let out = fetch(&all);
    assert_eq!(out.status.code(), Some(0));
    let recs = records(&out.stdout);
    assert_eq!(by_source(&recs).len(), urls.len());
    // Records come in the order they finish: every fast page before any slow one.
    let first_slow = recs
        .iter()
        .position(|r| r["source"].as_str().unwrap().contains("127.0.0.5"))
        .unwrap();
    assert_eq!(first_slow, 18, "fast hosts waited for the slow one");
    for server in fast.iter().chain([&slow]) {
        assert!(
            server.max_concurrent() <= 2,
            "{} had {}",
            server.addr(),
            server.max_concurrent()
        );
        assert!(server.max_concurrent() >= 1);
        let log = server.log();
        for pair in log.windows(2) {
            let gap = pair[1].start - pair[0].start;
            // The delay runs from request start to request start in the
            // fetcher; the server sees the starts with some scheduling jitter.
            assert!(
                gap >= Duration::from_millis(250),
                "{}: delay not kept: {gap:?}",
                server.addr()
            );
        }
    }
    assert_eq!(
        fast[0].max_concurrent(),
        2,
        "two connections per host were allowed"
    );
}

#[test]
fn failures_to_connect_are_classified() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let refused = format!("http://127.0.0.1:{port}/");
    let server = site("127.0.0.1");
    // TLS spoken to a plain-HTTP server fails in the handshake.
    let tls = format!("https://{}/page", server.addr());
    let out = fetch(&args(&[
        "--retries",
        "1",
        &refused,
        &tls,
        "not a url",
        "ftp://127.0.0.1/x",
    ]));
    let recs = by_source(&records(&out.stdout));
    assert_eq!(kind(&recs[&refused]), "connect");
    assert_eq!(kind(&recs[&tls]), "tls");
    assert_eq!(kind(&recs["not a url"]), "invalid_url");
    assert_eq!(kind(&recs["ftp://127.0.0.1/x"]), "invalid_url");
    assert!(recs["not a url"]["final_url"].is_null());
}

#[test]
fn deny_private_refuses_loopback_by_literal_and_by_name() {
    let server = site("127.0.0.1");
    let port = server.addr().port();
    let literal = server.url("/page");
    let named = format!("http://localhost:{port}/page");
    // IPv6 and decimal spellings of loopback; nothing listens there, and
    // nothing is tried.
    let v6 = format!("http://[::ffff:127.0.0.1]:{port}/page");
    let decimal = format!("http://2130706433:{port}/page");
    // With robots.txt obeyed, its request is refused too.
    let out = fetch(&[
        "--delay",
        "0",
        "-q",
        "--deny-private",
        &literal,
        &named,
        &v6,
        &decimal,
    ]);
    assert_eq!(out.status.code(), Some(1));
    let recs = by_source(&records(&out.stdout));
    for url in [&literal, &named, &v6, &decimal] {
        assert_eq!(kind(&recs[url]), "blocked", "{url}: {}", recs[url]);
    }
    let message = |url: &str| recs[url]["error"]["message"].as_str().unwrap().to_owned();
    assert!(
        message(&literal).contains("127.0.0.1"),
        "{}",
        message(&literal)
    );
    assert!(message(&named).contains("localhost"), "{}", message(&named));
    assert_eq!(server.total_hits(), 0, "no request reached the server");

    // Without the flag both are fetched.
    let out = fetch(&args(&[&literal, &named]));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(server.hits("/page"), 2);
}

#[test]
fn an_extraction_over_its_budget_is_a_timeout_record_and_the_run_goes_on() {
    let server = site("127.0.0.1");
    let (big, missing) = (server.url("/big"), server.url("/missing"));
    // A budget no page can keep.
    let out = fetch(&args(&["--extract-timeout", "0.000001", &big, &missing]));
    assert_eq!(out.status.code(), Some(1));
    let recs = by_source(&records(&out.stdout));
    let late = &recs[&big];
    assert_eq!(kind(late), "timeout");
    assert!(late["error"]["message"]
        .as_str()
        .unwrap()
        .contains("time budget"));
    // The download itself went well.
    assert_eq!(late["status"], 200);
    assert_eq!(kind(&recs[&missing]), "http_status");

    // The default budget is ample.
    let out = fetch(&args(&[&big]));
    assert_eq!(kind(&records(&out.stdout)[0]), "ok");
}

#[test]
fn url_lists_come_from_files_and_stdin() {
    let server = site("127.0.0.1");
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("urls.txt");
    std::fs::write(
        &list,
        format!(
            "# a comment\n{}\n\n{{\"url\": \"{}\", \"id\": 1}}\n{}\n",
            server.url("/a"),
            server.url("/b"),
            server.url("/a")
        ),
    )
    .unwrap();
    let out = fetch(&args(&["-i", list.to_str().unwrap()]));
    let recs = by_source(&records(&out.stdout));
    assert_eq!(recs.len(), 2, "the repeated URL is fetched once");
    assert_eq!(server.hits("/a"), 1);

    let mut child = copydesk()
        .arg("fetch")
        .args(args(&[]))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdin_list = format!("{}\n", server.url("/page"));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin_list.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(kind(&records(&out.stdout)[0]), "ok");
}

/// 40 URLs served slowly on one host, for the interruption tests.
fn slow_list(server: &Server, dir: &std::path::Path) -> (std::path::PathBuf, Vec<String>) {
    let urls: Vec<String> = (0..40).map(|i| server.url(&format!("/n{i}"))).collect();
    let list = dir.join("urls.txt");
    std::fs::write(&list, urls.join("\n")).unwrap();
    (list, urls)
}

fn slow_server() -> Server {
    Server::start("127.0.0.1", |_: &Request| {
        Reply::html(article_page("Item", 80)).hold(Duration::from_millis(100))
    })
}

/// Waits until `path` holds at least `lines` lines.
fn wait_for_lines(path: &std::path::Path, lines: usize) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        if text.lines().count() >= lines {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("{} never reached {lines} lines", path.display());
}

#[test]
fn resume_after_a_kill_records_every_url_exactly_once() {
    let server = slow_server();
    let dir = tempfile::tempdir().unwrap();
    let (list, urls) = slow_list(&server, dir.path());
    let out = dir.path().join("out.jsonl");
    let (list_s, out_s) = (list.to_str().unwrap(), out.to_str().unwrap());
    let run = [
        "-i",
        list_s,
        "-o",
        out_s,
        "--per-host",
        "0",
        "--concurrency",
        "4",
    ];

    let mut child = copydesk().arg("fetch").args(args(&run)).spawn().unwrap();
    wait_for_lines(&out, 5);
    child.kill().unwrap(); // SIGKILL: no chance to clean up
    child.wait().unwrap();
    let before = records(&std::fs::read(&out).unwrap()).len();
    assert!(before < urls.len(), "the run finished before it was killed");
    // As if the kill had landed in the middle of a write.
    std::fs::OpenOptions::new()
        .append(true)
        .open(&out)
        .unwrap()
        .write_all(b"{\"source\":\"http://127.0.0.1/torn\",\"te")
        .unwrap();

    let resumed = copydesk()
        .arg("fetch")
        .args(args(&run))
        .arg("--resume")
        .output()
        .unwrap();
    assert_eq!(
        resumed.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&resumed.stderr)
    );
    let recs = by_source(&records(&std::fs::read(&out).unwrap()));
    assert_eq!(recs.len(), urls.len());
    for url in &urls {
        assert_eq!(kind(&recs[url]), "ok");
    }
    // Nothing recorded before the kill was fetched again: the only repeats
    // are the pages lost with the process (4 in flight, 4 queued for output,
    // 1 being written).
    assert!(
        server.total_hits() <= urls.len() + 9,
        "{} hits",
        server.total_hits()
    );
}

#[test]
fn ctrl_c_finishes_what_is_in_flight_then_resume_completes() {
    let server = slow_server();
    let dir = tempfile::tempdir().unwrap();
    let (list, urls) = slow_list(&server, dir.path());
    let out = dir.path().join("out.jsonl");
    let (list_s, out_s) = (list.to_str().unwrap(), out.to_str().unwrap());
    let run = [
        "-i",
        list_s,
        "-o",
        out_s,
        "--per-host",
        "0",
        "--concurrency",
        "4",
        "--delay",
        "0",
        "--ignore-robots",
    ];

    let mut child = copydesk()
        .arg("fetch")
        .args(run)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_lines(&out, 5);
    let sent = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("--resume"), "{stderr}");
    let written = records(&std::fs::read(&out).unwrap());
    // Every request that had started was finished and recorded.
    assert_eq!(written.len(), server.total_hits(), "{stderr}");

    let resumed = copydesk()
        .arg("fetch")
        .args(run)
        .args(["--resume", "-q"])
        .output()
        .unwrap();
    assert_eq!(resumed.status.code(), Some(0));
    assert_eq!(
        by_source(&records(&std::fs::read(&out).unwrap())).len(),
        urls.len()
    );
    assert_eq!(server.total_hits(), urls.len());
}

#[test]
fn retry_errors_fetches_failed_urls_again() {
    let server = site("127.0.0.1");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.jsonl");
    let out_s = out.to_str().unwrap();
    let (good, flaky) = (server.url("/page"), server.url("/flaky"));
    let first = fetch(&args(&["--retries", "0", "-o", out_s, &good, &flaky]));
    assert_eq!(first.status.code(), Some(1));
    // Plain --resume keeps the failure.
    let again = fetch(&args(&[
        "--retries",
        "0",
        "-o",
        out_s,
        "--resume",
        &good,
        &flaky,
    ]));
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(server.hits("/flaky"), 1);
    let retried = fetch(&args(&[
        "--retries",
        "0",
        "-o",
        out_s,
        "--resume",
        "--retry-errors",
        &good,
        &flaky,
    ]));
    assert_eq!(retried.status.code(), Some(0));
    let recs = by_source(&records(&std::fs::read(&out).unwrap()));
    assert_eq!(recs.len(), 2);
    assert_eq!(kind(&recs[&flaky]), "ok");
    assert_eq!(server.hits("/page"), 1);
}

#[test]
fn warc_out_holds_every_response() {
    let server = Server::start("127.0.0.1", |req: &Request| match req.path.as_str() {
        "/robots.txt" => Reply::new(404),
        "/old" => Reply::redirect(301, "/page"),
        "/page" => Reply::html(article_page("Archived", 120)),
        _ => Reply::new(404)
            .header("Content-Type", "text/html")
            .body("<p>gone</p>"),
    });
    let dir = tempfile::tempdir().unwrap();
    let warc = dir.path().join("crawl.warc.gz");
    let out = fetch(&[
        "--delay",
        "0",
        "-q",
        "--warc-out",
        warc.to_str().unwrap(),
        &server.url("/old"),
        &server.url("/gone"),
    ]);
    assert_eq!(records(&out.stdout).len(), 2);
    let mut text = Vec::new();
    flate2::read::MultiGzDecoder::new(std::fs::File::open(&warc).unwrap())
        .read_to_end(&mut text)
        .unwrap();
    let text = String::from_utf8_lossy(&text);
    assert_eq!(text.matches("WARC-Type: warcinfo").count(), 1);
    // robots.txt, /old, /page, /gone: one response and one request each.
    assert_eq!(server.total_hits(), 4);
    assert_eq!(text.matches("WARC-Type: response").count(), 4);
    assert_eq!(text.matches("WARC-Type: request").count(), 4);
    for path in ["/robots.txt", "/old", "/page", "/gone"] {
        assert!(
            text.contains(&format!("WARC-Target-URI: {}\r\n", server.url(path))),
            "{path}"
        );
    }
    assert!(text.contains("HTTP/1.1 301 Moved Permanently\r\n"));
    assert!(text.contains("<h1>Archived</h1>"), "the page body is kept");

    // The archive stands in for the network: `copydesk warc` extracts the
    // same article from it.
    let fetched = by_source(&records(&out.stdout));
    let again = copydesk().args(["warc", "-q"]).arg(&warc).output().unwrap();
    let again = records(&again.stdout);
    assert_eq!(again.len(), 1, "one HTML page with status 200");
    assert_eq!(again[0]["url"], server.url("/page"));
    assert_eq!(again[0]["text"], fetched[&server.url("/old")]["text"]);
}

#[test]
fn the_library_fetches_and_records_exchanges() {
    use copydesk::fetch::{Exchange, FetchOptions, Fetcher, Recorder};

    struct Urls(Mutex<Vec<String>>);
    impl Recorder for Urls {
        fn record(&self, exchange: &Exchange<'_>) {
            self.0.lock().unwrap().push(exchange.url.to_owned());
        }
    }
    let server = site("127.0.0.1");
    let seen = Arc::new(Urls(Mutex::new(Vec::new())));
    let options = FetchOptions {
        delay: Duration::ZERO,
        ..FetchOptions::default()
    };
    let fetcher = Fetcher::new(options).unwrap().with_recorder(seen.clone());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let record = runtime.block_on(fetcher.fetch(&server.url("/r1")));
    assert!(record.article.error.is_none(), "{:?}", record.article.error);
    assert_eq!(
        record.final_url.as_deref(),
        Some(server.url("/page").as_str())
    );
    assert_eq!(record.status, Some(200));
    let urls = seen.0.lock().unwrap().clone();
    assert_eq!(
        urls,
        ["/robots.txt", "/r1", "/r2", "/page"].map(|p| server.url(p))
    );
}

#[test]
fn the_user_agent_is_sent_and_named_in_robots_txt() {
    let agents = Arc::new(Mutex::new(Vec::new()));
    let seen = agents.clone();
    let server = Server::start("127.0.0.1", move |req: &Request| {
        seen.lock()
            .unwrap()
            .push(req.header("user-agent").unwrap_or("").to_owned());
        match req.path.as_str() {
            "/robots.txt" => Reply::new(200).body("User-agent: mybot\nDisallow: /\n"),
            _ => Reply::html(article_page("Hello", 100)),
        }
    });
    let url = server.url("/a");
    let out = fetch(&["--delay", "0", "-q", &url]);
    assert_eq!(kind(&records(&out.stdout)[0]), "ok");
    let expected = format!(
        "copydesk/{} (+https://github.com/copydesk/copydesk)",
        env!("CARGO_PKG_VERSION")
    );
    assert!(agents.lock().unwrap().iter().all(|a| *a == expected));

    let out = fetch(&["--delay", "0", "-q", "--user-agent", "MyBot/2.0 (+x)", &url]);
    assert_eq!(kind(&records(&out.stdout)[0]), "robots_disallowed");
    assert_eq!(agents.lock().unwrap().last().unwrap(), "MyBot/2.0 (+x)");
}

#[test]
fn shards_split_the_list() {
    let server = site("127.0.0.1");
    let urls: Vec<String> = (0..20).map(|i| server.url(&format!("/x{i}"))).collect();
    let mut seen = Vec::new();
    for shard in ["0/2", "1/2"] {
        let mut all = args(&["--shard", shard]);
        all.extend(urls.iter().map(String::as_str));
        let recs = records(&fetch(&all).stdout);
        assert!(!recs.is_empty() && recs.len() < urls.len(), "{shard}");
        seen.extend(
            recs.iter()
                .map(|r| r["source"].as_str().unwrap().to_owned()),
        );
    }
    seen.sort();
    let mut expected = urls.clone();
    expected.sort();
    assert_eq!(seen, expected);
}
