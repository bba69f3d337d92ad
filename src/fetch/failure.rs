//! A failed request as a value: its kind, a message for people, and
//! whether and when it may be retried; plus the mapping from HTTP client
//! errors to kinds.

use std::error::Error as _;
use std::time::Duration;

use super::addresses::Blocked;
use super::record::ErrorKind;

/// Why one request (or one input) failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    pub kind: ErrorKind,
    pub message: String,
    /// Whether trying again may help (connect errors, timeouts, 429, 5xx).
    pub transient: bool,
    /// The wait the server asked for with `Retry-After`, if any.
    pub retry_after: Option<Duration>,
}

impl Failure {
    /// A failure that retrying will not cure.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Failure {
            kind,
            message: message.into(),
            transient: false,
            retry_after: None,
        }
    }

    /// Maps an HTTP client error to a kind, with the whole chain of causes
    /// as the message (the top-level text alone, "error sending request",
    /// says nothing).
    pub fn from_reqwest(error: &reqwest::Error) -> Self {
        if let Some(blocked) = blocked(error) {
            // Its own words say it all; the layers around it add nothing.
            return Failure::new(ErrorKind::Blocked, blocked.0.clone());
        }
        let chain = cause_chain(error);
        let kind = if error.is_timeout() {
            ErrorKind::Timeout
        } else if error.is_decode() {
            ErrorKind::Decode
        } else {
            kind_from_chain(&chain)
        };
        Failure {
            kind,
            message: chain,
            transient: kind.is_transient(),
            retry_after: None,
        }
    }
}

/// The resolver's refusal of the host (`deny_private`), if that is what
/// failed: it is somewhere in the chain of causes.
fn blocked(error: &reqwest::Error) -> Option<&Blocked> {
    let mut next: Option<&dyn std::error::Error> = error.source();
    while let Some(cause) = next {
        if let Some(blocked) = cause.downcast_ref::<Blocked>() {
            return Some(blocked);
        }
        next = cause.source();
    }
    None
}

/// The error's message followed by each of its causes, deduplicated (the
/// layers often repeat one another), joined by ": ".
fn cause_chain(error: &reqwest::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut next: Option<&dyn std::error::Error> = error.source();
    while let Some(cause) = next {
        let text = cause.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        next = cause.source();
    }
    if parts.is_empty() {
        error.to_string()
    } else {
        parts.join(": ")
    }
}

/// The kind of a connection-level failure, read from its message chain.
/// The HTTP stack reports resolver and TLS failures only as text inside
/// nested I/O errors, so the text is what there is to go on.
fn kind_from_chain(chain: &str) -> ErrorKind {
    let lower = chain.to_ascii_lowercase();
    if lower.contains("dns error") || lower.contains("failed to lookup address") {
        ErrorKind::Dns
    } else if ["tls", "certificate", "handshake", "ssl", "corrupt message"]
        .iter()
        .any(|word| lower.contains(word))
    {
        ErrorKind::Tls
    } else {
        ErrorKind::Connect
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chains_map_to_kinds() {
        assert_eq!(
            kind_from_chain(
                "client error (Connect): dns error: failed to lookup address information"
            ),
            ErrorKind::Dns
        );
        assert_eq!(
            kind_from_chain("client error (Connect): invalid peer certificate: UnknownIssuer"),
            ErrorKind::Tls
        );
        assert_eq!(
            kind_from_chain(
                "client error (Connect): received corrupt message of type InvalidContentType"
            ),
            ErrorKind::Tls
        );
        assert_eq!(
            kind_from_chain(
                "client error (Connect): tcp connect error: Connection refused (os error 111)"
            ),
            ErrorKind::Connect
        );
    }

    #[test]
    fn only_connect_and_timeout_are_transient() {
        assert!(ErrorKind::Connect.is_transient());
        assert!(ErrorKind::Timeout.is_transient());
        assert!(!ErrorKind::Dns.is_transient());
        assert!(!ErrorKind::Tls.is_transient());
    }
}
