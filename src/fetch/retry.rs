//! How long to wait before trying again: exponential backoff with jitter,
//! and the server's own `Retry-After`.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, Instant, SystemTime};

/// The wait before retry number `retry` (0 for the first): `base` doubled
/// for each earlier retry, then scaled by a random factor in [0.5, 1) so
/// that clients that failed together do not come back together.
pub(crate) fn backoff(base: Duration, retry: u32) -> Duration {
    let doubled = 2f64.powi(retry.min(16) as i32);
    let seconds = base.as_secs_f64() * doubled * (0.5 + 0.5 * random_unit());
    // Absurd bases (from a library caller) saturate rather than overflow.
    Duration::try_from_secs_f64(seconds).unwrap_or(Duration::MAX)
}

/// `time + wait`, or a time far enough ahead to mean "not soon" when the
/// sum would overflow (a huge delay or wait set by a caller).
pub(crate) fn later(time: Instant, wait: Duration) -> Instant {
    const FAR: Duration = Duration::from_secs(10 * 365 * 24 * 3600);
    time.checked_add(wait.min(FAR))
        .or_else(|| time.checked_add(Duration::from_secs(24 * 3600)))
        .unwrap_or(time)
}

/// A random number in [0, 1). `RandomState` is seeded from the OS per
/// instance, which is random enough for jitter and needs no extra crate.
fn random_unit() -> f64 {
    let bits = RandomState::new().build_hasher().finish();
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

/// Parses a `Retry-After` value: a number of seconds, or an HTTP date
/// (then the time left until it, zero if it has passed). `None` when the
/// value is neither.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let when = SystemTime::from(when);
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_within_its_jitter() {
        let base = Duration::from_millis(100);
        for retry in 0..4 {
            let full = base * (1 << retry);
            for _ in 0..20 {
                let wait = backoff(base, retry);
                assert!(
                    wait >= full / 2 && wait < full,
                    "{wait:?} for retry {retry}"
                );
            }
        }
    }

    #[test]
    fn huge_values_do_not_overflow() {
        let _ = backoff(Duration::from_secs(3600), u32::MAX);
        assert!(backoff(Duration::MAX, 16) > Duration::from_secs(1 << 40));
        let now = Instant::now();
        assert!(later(now, Duration::MAX) > now);
        assert_eq!(
            later(now, Duration::from_secs(2)),
            now + Duration::from_secs(2)
        );
    }

    #[test]
    fn retry_after_takes_seconds_or_a_date() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_000);
        assert_eq!(parse_retry_after(" 7 ", now), Some(Duration::from_secs(7)));
        // 2015-10-21T07:28:00Z is 480 s after `now`.
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now),
            Some(Duration::from_secs(480))
        );
        assert_eq!(
            parse_retry_after("Sat, 21 Oct 2000 07:28:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-5", now), None);
    }
}
