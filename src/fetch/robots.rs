//! robots.txt: fetching it for an origin (with RFC 9309's rules for
//! redirects, errors and size) and checking URLs against it.

use std::panic::{self, AssertUnwindSafe};
use std::time::Duration;

use texting_robots::Robot;
use url::Url;

use super::failure::Failure;
use super::fetcher::Shared;
use super::http::{self, BodyEnd};
use super::record::ErrorKind;
use super::retry::backoff;

/// RFC 9309 asks crawlers to parse at least the first 500 KiB.
const MAX_ROBOTS_BYTES: usize = 500 * 1024;

/// RFC 9309 asks crawlers to follow at least five redirects.
const MAX_ROBOTS_REDIRECTS: usize = 5;

/// What robots.txt says about one origin.
#[derive(Debug)]
pub(crate) enum Robots {
    /// No rules: there is no robots.txt (4xx) or it holds none for us.
    AllowAll,
    /// The rules of our group.
    Rules(Robot),
    /// Nothing may be fetched: robots.txt answered with a server error, and
    /// RFC 9309 says to assume complete disallow then. The text says why.
    DisallowAll(String),
    /// robots.txt could not be requested at all (DNS, connect, TLS,
    /// timeout): the site's pages fail the same way without being tried.
    Unreachable(Failure),
}

impl Robots {
    /// Whether `url` may be fetched, and if not the failure to record.
    pub fn check(&self, url: &Url) -> Result<(), Failure> {
        match self {
            Robots::AllowAll => Ok(()),
            Robots::Rules(robot) => {
                // The matcher is not ours either: if it panics, the rules
                // cannot be read, which RFC 9309 treats as no rules.
                let allowed = panic::catch_unwind(AssertUnwindSafe(|| robot.allowed(url.as_str())));
                if allowed.unwrap_or(true) {
                    Ok(())
                } else {
                    Err(Failure::new(
                        ErrorKind::RobotsDisallowed,
                        "robots.txt disallows this URL",
                    ))
                }
            }
            Robots::DisallowAll(why) => Err(Failure::new(ErrorKind::RobotsDisallowed, why.clone())),
            // The page's host is the one refused: say so plainly.
            Robots::Unreachable(failure) if failure.kind == ErrorKind::Blocked => {
                Err(failure.clone())
            }
            Robots::Unreachable(failure) => Err(Failure::new(
                failure.kind,
                format!("robots.txt: {}", failure.message),
            )),
        }
    }

    /// The `Crawl-delay` asked for, if any.
    pub fn crawl_delay(&self) -> Option<Duration> {
        match self {
            Robots::Rules(robot) => robot
                .delay
                .filter(|d| d.is_finite() && *d > 0.0)
                .map(|d| Duration::from_secs_f64(f64::from(d).min(1e6))),
            _ => None,
        }
    }

    /// Parses robots.txt for the agent `name`; a file that cannot be
    /// parsed holds no rules we can follow, so it allows everything.
    pub fn parse(name: &str, text: &[u8]) -> Robots {
        // The parser is not ours: a panic on strange input must not end the run.
        match panic::catch_unwind(AssertUnwindSafe(|| Robot::new(name, text))) {
            Ok(Ok(robot)) => Robots::Rules(robot),
            _ => Robots::AllowAll,
        }
    }
}

/// Fetches and parses the robots.txt of `url`'s origin.
///
/// Transient failures (connect errors, timeouts, 429, 5xx) are retried as
/// for pages, waiting in place: robots.txt requests are one per site.
pub(crate) async fn fetch(shared: &Shared, url: &Url) -> Robots {
    let mut target = url.clone();
    target.set_path("/robots.txt");
    target.set_query(None);
    target.set_fragment(None);
    let (mut retries, mut redirects) = (0u32, 0usize);
    loop {
        let answer = fetch_once(shared, &target).await;
        let (failure, status) = match answer {
            Answer::Robots(robots) => return robots,
            Answer::Redirect(location) => {
                redirects += 1;
                match target.join(&location) {
                    Ok(next)
                        if redirects <= MAX_ROBOTS_REDIRECTS
                            && matches!(next.scheme(), "http" | "https") =>
                    {
                        target = next;
                        continue;
                    }
                    // RFC 9309: after too many redirects robots.txt may be
                    // taken as unavailable, which allows everything.
                    _ => return Robots::AllowAll,
                }
            }
            Answer::Failed(failure, status) => (failure, status),
        };
        if failure.transient && retries < shared.options.retries {
            let wait = failure
                .retry_after
                .unwrap_or_else(|| backoff(shared.options.backoff, retries));
            if wait <= shared.options.max_retry_wait {
                retries += 1;
                tokio::time::sleep(wait).await;
                continue;
            }
        }
        return match status {
            Some(code) => Robots::DisallowAll(format!(
                "robots.txt answered HTTP {code}; RFC 9309 says to assume everything is disallowed"
            )),
            None => Robots::Unreachable(failure),
        };
    }
}

/// The result of one robots.txt request.
enum Answer {
    Robots(Robots),
    Redirect(String),
    /// A failure, with the HTTP status when one arrived (429 or 5xx).
    Failed(Failure, Option<u16>),
}

async fn fetch_once(shared: &Shared, url: &Url) -> Answer {
    let recorder = shared.recorder.as_deref();
    let mut response = match http::send(shared, url).await {
        Ok(response) => response,
        Err(failure) => return Answer::Failed(failure, None),
    };
    let status = response.status();
    match status {
        200..=299 => {
            let body = response.read_body(MAX_ROBOTS_BYTES).await;
            let complete = matches!(body.end, BodyEnd::Complete);
            response.record(recorder, url, &body.bytes, complete);
            if let BodyEnd::Failed(failure) = body.end {
                return Answer::Failed(failure, None);
            }
            // Over the limit: the first 500 KiB are what RFC 9309 asks to parse.
            Answer::Robots(Robots::parse(shared.options.robots_name(), &body.bytes))
        }
        300..=399 if response.location().is_some() => {
            response.record(recorder, url, &[], false);
            Answer::Redirect(response.location().unwrap_or_default())
        }
        429 | 500..=599 => {
            response.record(recorder, url, &[], false);
            let failure = Failure {
                kind: ErrorKind::HttpStatus,
                message: format!("robots.txt answered HTTP {status}"),
                transient: true,
                retry_after: response.retry_after(),
            };
            Answer::Failed(failure, Some(status))
        }
        // 4xx: there is no robots.txt, so there are no rules.
        _ => {
            response.record(recorder, url, &[], false);
            Answer::Robots(Robots::AllowAll)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    #[test]
    fn rules_for_our_name_apply() {
        let robots = Robots::parse(
            "copydesk",
            b"User-agent: *\nDisallow: /\n\nUser-agent: copydesk\nDisallow: /private\nCrawl-delay: 2.5\n",
        );
        assert!(robots.check(&url("http://a.test/news/1")).is_ok());
        let err = robots.check(&url("http://a.test/private/x")).unwrap_err();
        assert_eq!(err.kind, ErrorKind::RobotsDisallowed);
        assert_eq!(robots.crawl_delay(), Some(Duration::from_millis(2500)));
    }

    #[test]
    fn garbage_allows_everything() {
        let robots = Robots::parse(
            "copydesk",
            b"\xff\xfe<html><body>Not found</body></html>\0\0",
        );
        assert!(robots.check(&url("http://a.test/x")).is_ok());
        assert_eq!(robots.crawl_delay(), None);
    }

    #[test]
    fn unreachable_robots_fail_pages_with_its_kind() {
        let robots = Robots::Unreachable(Failure::new(ErrorKind::Connect, "refused"));
        let err = robots.check(&url("http://a.test/x")).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Connect);
        assert_eq!(err.message, "robots.txt: refused");
    }
}
