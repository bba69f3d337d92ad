//! The WARC reader on damaged input: cut at every byte, corrupted gzip,
//! oversized bodies. It must never panic or loop, keep every record before
//! the damage, and find the records after it.

use copydesk::warc::{Item, Pages, WarcWriter};

const MAX: usize = 1 << 20;

fn page(i: usize) -> Vec<u8> {
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><p>Page {i}: {}</p></body></html>",
        "some words ".repeat(20)
    )
    .into_bytes()
}

fn warc(gzip: bool, n: usize) -> Vec<u8> {
    let date = chrono::DateTime::from_timestamp(0, 0).unwrap();
    let mut w = WarcWriter::new(Vec::new(), gzip);
    for i in 0..n {
        w.write_response(&format!("https://x.test/{i}"), date, &page(i))
            .unwrap();
    }
    w.into_inner().unwrap()
}

fn whole_gzip(n: usize) -> Vec<u8> {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&warc(false, n)).unwrap();
    gz.finish().unwrap()
}

/// (pages, failures) in `bytes`, with the target URIs of the pages.
fn read(bytes: &[u8], max: usize) -> (Vec<String>, Vec<String>) {
    let mut pages = Vec::new();
    let mut failures = Vec::new();
    let Ok(items) = Pages::new(bytes, max) else {
        return (pages, failures);
    };
    for (n, item) in items.enumerate() {
        assert!(n < 1000, "the reader loops");
        match item {
            Item::Page(p) => pages.push(p.record.target_uri.unwrap_or_default()),
            Item::Failed(f) => failures.push(format!("{}: {}", f.kind, f.message)),
            Item::Skipped(_) => {}
        }
    }
    (pages, failures)
}

#[test]
fn cut_at_every_byte_keeps_the_records_before_the_cut() {
    for (name, bytes) in [
        ("plain", warc(false, 3)),
        ("per-record", warc(true, 3)),
        ("whole", whole_gzip(3)),
    ] {
        let (all, none) = read(&bytes, MAX);
        assert_eq!(all.len(), 3, "{name}");
        assert!(none.is_empty(), "{name}: {none:?}");
        let mut previous = 0;
        for cut in 0..bytes.len() {
            let (pages, failures) = read(&bytes[..cut], MAX);
            // Pages come out in order, never more as the cut moves back.
            assert_eq!(pages[..], all[..pages.len()], "{name} cut at {cut}");
            assert!(pages.len() >= previous, "{name} cut at {cut}");
            previous = pages.len();
            assert!(failures.len() <= 1, "{name} cut at {cut}: {failures:?}");
        }
    }
}

#[test]
fn a_corrupt_gzip_member_costs_only_its_record() {
    let date = chrono::DateTime::from_timestamp(0, 0).unwrap();
    let mut members = Vec::new();
    for i in 0..4 {
        let mut w = WarcWriter::new(Vec::new(), true);
        w.write_response(&format!("https://x.test/{i}"), date, &page(i))
            .unwrap();
        members.push(w.into_inner().unwrap());
    }
    // Scramble the deflate data in the middle of the second member.
    let second = &mut members[1];
    let mid = second.len() / 2;
    for b in &mut second[mid - 8..mid + 8] {
        *b ^= 0x5a;
    }
    let bytes = members.concat();
    let (pages, failures) = read(&bytes, MAX);
    assert_eq!(
        pages,
        ["https://x.test/0", "https://x.test/2", "https://x.test/3"]
    );
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert!(failures[0].starts_with("warc: "), "{failures:?}");
}

#[test]
fn a_body_over_the_limit_is_too_large_and_skipped_unread() {
    let date = chrono::DateTime::from_timestamp(0, 0).unwrap();
    let mut w = WarcWriter::new(Vec::new(), true);
    let mut big = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n".to_vec();
    big.extend(std::iter::repeat_n(b'a', 5000));
    w.write_response("https://x.test/big", date, &big).unwrap();
    w.write_response("https://x.test/small", date, &page(1))
        .unwrap();
    let bytes = w.into_inner().unwrap();
    let (pages, failures) = read(&bytes, 1000);
    assert_eq!(pages, ["https://x.test/small"]);
    assert_eq!(failures.len(), 1);
    assert!(failures[0].starts_with("too_large: "), "{failures:?}");
}

#[test]
fn binary_garbage_without_line_breaks_is_skipped_in_bounded_memory() {
    let mut bytes = vec![0xa5u8; 3 << 20];
    bytes.extend_from_slice(b"\r\n");
    bytes.extend_from_slice(&warc(false, 2));
    let (pages, failures) = read(&bytes, MAX);
    assert_eq!(pages.len(), 2);
    assert_eq!(failures.len(), 1);
    assert!(failures[0].contains("3145730 bytes"), "{failures:?}");
}

#[test]
fn trailing_bytes_after_the_last_gzip_member_are_reported() {
    let mut bytes = warc(true, 2);
    bytes.extend_from_slice(&[0u8; 512]);
    let (pages, failures) = read(&bytes, MAX);
    assert_eq!(pages.len(), 2);
    assert_eq!(failures.len(), 1, "{failures:?}");
}

#[test]
fn empty_and_tiny_inputs_are_fine() {
    for bytes in [
        &b""[..],
        b"\x1f",
        b"\x1f\x8b",
        b"\x1f\x8b\x08",
        b"WARC/1.1",
        b"\r\n\r\n",
    ] {
        let _ = read(bytes, MAX);
    }
    assert_eq!(read(b"", MAX), (vec![], vec![]));
}
