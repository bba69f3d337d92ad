//! One input URL on its way through the fetcher: where it stands in its
//! redirect chain, how many retries it has used, when it started.

use std::time::Instant;

use url::Url;

use super::failure::Failure;
use super::record::ErrorKind;

/// An input URL being fetched.
#[derive(Debug, Clone)]
pub(crate) struct Job {
    /// The input as given, reported as the record's `source`.
    pub source: String,
    /// The URL to request next (the input, or where a redirect pointed).
    pub url: Url,
    /// The URLs already requested that redirected, oldest first.
    pub visited: Vec<Url>,
    /// Retries spent so far, over the whole redirect chain.
    pub retries_used: u32,
    /// When the first request for this input started.
    pub first_start: Option<Instant>,
}

impl Job {
    /// A job for one input line; fails with `invalid_url` unless it is an
    /// absolute http(s) URL with a host.
    pub fn new(source: &str) -> Result<Job, Failure> {
        let url = parse_http_url(source.trim())?;
        Ok(Job {
            source: source.to_owned(),
            url,
            visited: Vec::new(),
            retries_used: 0,
            first_start: None,
        })
    }

    /// The key of the host the next request goes to: politeness limits
    /// apply per host name, whatever the scheme or port.
    pub fn host_key(&self) -> &str {
        self.url.host_str().unwrap_or_default()
    }

    /// Moves the job along a redirect to `location` (relative to the URL
    /// just requested), or says why the redirect is not followed.
    pub fn follow(&mut self, location: &str, max_redirects: usize) -> Result<(), Failure> {
        let next = self.url.join(location.trim()).map_err(|e| {
            Failure::new(
                ErrorKind::InvalidUrl,
                format!("redirect to an invalid URL {location:?}: {e}"),
            )
        })?;
        let next = check_http(next, "redirect to")?;
        if self.visited.len() >= max_redirects {
            return Err(Failure::new(
                ErrorKind::TooManyRedirects,
                format!("more than {max_redirects} redirects"),
            ));
        }
        if next == self.url || self.visited.contains(&next) {
            return Err(Failure::new(
                ErrorKind::TooManyRedirects,
                format!("redirect loop: {next} was already requested"),
            ));
        }
        let previous = std::mem::replace(&mut self.url, next);
        self.visited.push(previous);
        Ok(())
    }
}

/// The key robots.txt is cached under: scheme, host and port, since each
/// origin has its own robots.txt.
pub(crate) fn origin_key(url: &Url) -> String {
    url.origin().ascii_serialization()
}

/// Parses an input URL: absolute, http or https, with a host.
fn parse_http_url(text: &str) -> Result<Url, Failure> {
    let url = Url::parse(text)
        .map_err(|e| Failure::new(ErrorKind::InvalidUrl, format!("not an absolute URL ({e})")))?;
    check_http(url, "a URL with")
}

/// Accepts only http(s) URLs with a host; drops the fragment, which is
/// never sent and would make one page look like two.
fn check_http(mut url: Url, what: &str) -> Result<Url, Failure> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Failure::new(
            ErrorKind::InvalidUrl,
            format!(
                "{what} scheme {:?}: only http and https are fetched",
                url.scheme()
            ),
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(Failure::new(ErrorKind::InvalidUrl, "the URL has no host"));
    }
    url.set_fragment(None);
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_must_be_absolute_http_urls() {
        assert!(Job::new(" https://example.com/a#top ").is_ok());
        for bad in [
            "example.com/a",
            "ftp://example.com/",
            "mailto:a@b.c",
            "",
            "http://",
        ] {
            let err = Job::new(bad).unwrap_err();
            assert_eq!(err.kind, ErrorKind::InvalidUrl, "{bad}");
        }
        let job = Job::new("HTTP://Example.COM:80/a#x").unwrap();
        assert_eq!(job.url.as_str(), "http://example.com/a");
        assert_eq!(job.host_key(), "example.com");
        assert_eq!(job.source, "HTTP://Example.COM:80/a#x");
    }

    #[test]
    fn redirects_resolve_count_and_catch_loops() {
        let mut job = Job::new("http://a.test/1").unwrap();
        job.follow("/2", 10).unwrap();
        assert_eq!(job.url.as_str(), "http://a.test/2");
        job.follow("https://b.test/3", 10).unwrap();
        assert_eq!(job.visited.len(), 2);
        let err = job.follow("http://a.test/1", 10).unwrap_err();
        assert_eq!(err.kind, ErrorKind::TooManyRedirects);
        let err = job.follow("ftp://b.test/", 10).unwrap_err();
        assert_eq!(err.kind, ErrorKind::InvalidUrl);
        let err = job.follow("/4", 2).unwrap_err();
        assert_eq!(err.kind, ErrorKind::TooManyRedirects);
    }

    #[test]
    fn origins_keep_scheme_and_port() {
        let a = Url::parse("http://a.test/x").unwrap();
        let b = Url::parse("https://a.test/x").unwrap();
        let c = Url::parse("http://a.test:8080/x").unwrap();
        assert_eq!(origin_key(&a), "http://a.test");
        assert_ne!(origin_key(&a), origin_key(&b));
        assert_eq!(origin_key(&c), "http://a.test:8080");
    }
}
