//! robots.txt parsing and matching as the fetcher uses them (the
//! `texting_robots` parser; `copydesk::fetch` also catches its panics).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, &[u8])| {
    let (path, robots_txt) = input;
    if let Ok(robot) = texting_robots::Robot::new("copydesk", robots_txt) {
        let url = format!("https://example.com/{}", path.trim_start_matches('/'));
        if url::Url::parse(&url).is_ok() {
            let _ = robot.allowed(&url);
        }
        let _ = robot.delay;
    }
});
