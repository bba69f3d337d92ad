//! Helpers shared by the fetch tests: the loopback test server and a way
//! to run `copydesk fetch` and read its records.

#![allow(dead_code)] // each test file uses a different part

pub mod server;

use std::collections::HashMap;
use std::process::{Command, Output};

use serde_json::Value;

/// `copydesk` with the proxy variables cleared, so requests to the test
/// servers go straight to loopback whatever the environment says.
pub fn copydesk() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_copydesk"));
    for var in [
        "http_proxy",
        "https_proxy",
        "all_proxy",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
    ] {
        command.env_remove(var);
    }
    command
}

/// Runs `copydesk fetch ARGS` and returns its output.
pub fn fetch(args: &[&str]) -> Output {
    copydesk()
        .arg("fetch")
        .args(args)
        .output()
        .expect("run copydesk")
}

/// The JSON records of a JSONL text, checking every line is one.
pub fn records(jsonl: &[u8]) -> Vec<Value> {
    let text = std::str::from_utf8(jsonl).expect("UTF-8 output");
    assert!(
        text.is_empty() || text.ends_with('\n'),
        "output ends mid-line: {text:?}"
    );
    text.lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}")))
        .collect()
}

/// Records keyed by `source`, checking there is one per source.
pub fn by_source(records: &[Value]) -> HashMap<String, Value> {
    let mut map = HashMap::new();
    for record in records {
        let source = record["source"].as_str().expect("source").to_owned();
        assert!(
            map.insert(source.clone(), record.clone()).is_none(),
            "two records for {source}"
        );
    }
    map
}

/// The `error.kind` of a record, or "ok".
pub fn kind(record: &Value) -> String {
    record["error"]["kind"].as_str().unwrap_or("ok").to_owned()
}
