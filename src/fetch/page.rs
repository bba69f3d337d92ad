//! One request for one input URL, as a task: judge the response, then
//! retry, follow the redirect, or extract the page and send its record.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use url::Url;

use super::dispatch::{Ctx, HostSlot, TaskSlot, Then};
use super::failure::Failure;
use super::fetcher::Shared;
use super::http::{self, BodyEnd};
use super::job::Job;
use super::options::FetchOptions;
use super::record::{now_rfc3339, ErrorKind, FetchRecord};
use super::retry::backoff;
use crate::guard::catching_panics;
use crate::Article;

/// Makes the next request for `job` (to `host`, whose slot it holds) and
/// sees the job through to a record, a retry or a redirect.
pub(crate) async fn run(ctx: Arc<Ctx>, host: usize, mut job: Job) {
    let mut task = TaskSlot::new(&ctx, Some(job.source.clone()));
    let slot = HostSlot::new(&ctx, host);
    let shared = &ctx.shared;
    let options = &shared.options;
    job.first_start.get_or_insert_with(Instant::now);

    let outcome = attempt(shared, &job.url).await;
    let record = match outcome.result {
        Ok(Answer::Page(body)) => {
            // The host may take its next request while this page is extracted.
            slot.release(Then::Nothing);
            let article = extract(shared, body, outcome.content_type.clone(), &job.url).await;
            finished_record(&job, outcome.status, outcome.content_type, article)
        }
        Ok(Answer::Redirect(location)) => match job.follow(&location, options.max_redirects) {
            Ok(()) => {
                slot.release(Then::Redirect { job });
                task.settled();
                return;
            }
            Err(failure) => {
                slot.release(Then::Nothing);
                failed_record(&job, outcome.status, outcome.content_type, &failure)
            }
        },
        Err(mut failure) => match retry_wait(options, &job, &mut failure) {
            Some(wait) => {
                job.retries_used += 1;
                slot.release(Then::Retry { job, wait });
                task.settled();
                return;
            }
            None => {
                slot.release(Then::Nothing);
                failed_record(&job, outcome.status, outcome.content_type, &failure)
            }
        },
    };
    // If nobody reads records any more the batch is over; nothing to do.
    let _ = ctx.out.send(record).await;
    task.settled();
}

/// What one request yielded.
struct Outcome {
    status: Option<u16>,
    content_type: Option<String>,
    result: Result<Answer, Failure>,
}

enum Answer {
    /// An HTML page, whole.
    Page(Vec<u8>),
    /// A redirect to this `Location`.
    Redirect(String),
}

/// Requests `url` and judges the response; reads the body only of an HTML
/// page within the size limit.
async fn attempt(shared: &Shared, url: &Url) -> Outcome {
    let recorder = shared.recorder.as_deref();
    let mut response = match http::send(shared, url).await {
        Ok(response) => response,
        Err(failure) => {
            return Outcome {
                status: None,
                content_type: None,
                result: Err(failure),
            }
        }
    };
    let status = response.status();
    let content_type = response.content_type();
    let limit = shared.options.extract.max_bytes;
    let result = match status {
        300..=399 if response.location().is_some() => {
            response.record(recorder, url, &[], false);
            Ok(Answer::Redirect(response.location().unwrap_or_default()))
        }
        429 | 500..=599 => {
            response.record(recorder, url, &[], false);
            Err(Failure {
                kind: ErrorKind::HttpStatus,
                message: status_text(status),
                transient: true,
                retry_after: response.retry_after(),
            })
        }
        200..=299 if !http::is_html(content_type.as_deref()) => {
            response.record(recorder, url, &[], false);
            Err(Failure::new(
                ErrorKind::NotHtml,
                format!(
                    "the response is {}, not HTML; its body was not downloaded",
                    content_type.as_deref().unwrap_or("?")
                ),
            ))
        }
        200..=299 => match response.announced_length() {
            Some(size) if size > limit as u64 => {
                response.record(recorder, url, &[], false);
                Err(http::too_large(limit, Some(size)))
            }
            _ => {
                let body = response.read_body(limit).await;
                let complete = matches!(body.end, BodyEnd::Complete);
                response.record(recorder, url, &body.bytes, complete);
                match body.end {
                    BodyEnd::Complete => Ok(Answer::Page(body.bytes)),
                    BodyEnd::OverLimit => Err(http::too_large(limit, None)),
                    BodyEnd::Failed(failure) => Err(failure),
                }
            }
        },
        _ => {
            response.record(recorder, url, &[], false);
            Err(Failure::new(ErrorKind::HttpStatus, status_text(status)))
        }
    };
    Outcome {
        status: Some(status),
        content_type,
        result,
    }
}

fn status_text(status: u16) -> String {
    let reason = reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    format!("HTTP {status} {reason}").trim_end().to_owned()
}

/// How long to wait before retrying `job` after `failure`, or `None` if it
/// is not to be retried. A wait asked for that is over the limit is noted
/// in the failure's message.
fn retry_wait(options: &FetchOptions, job: &Job, failure: &mut Failure) -> Option<Duration> {
    if !failure.transient || job.retries_used >= options.retries {
        return None;
    }
    let wait = failure
        .retry_after
        .unwrap_or_else(|| backoff(options.backoff, job.retries_used));
    if wait > options.max_retry_wait {
        failure.message = format!(
            "{} (the server asked to wait {} s, more than the {} s allowed)",
            failure.message,
            wait.as_secs(),
            options.max_retry_wait.as_secs()
        );
        return None;
    }
    Some(wait)
}

/// Extracts a page on the blocking thread pool, at most
/// `options.extract_jobs` at once, so that parsing never starves the
/// tasks doing network I/O; within `extract.time_budget` if there is one.
async fn extract(
    shared: &Shared,
    body: Vec<u8>,
    content_type: Option<String>,
    url: &Url,
) -> Article {
    // The semaphore is never closed, so the permit always comes.
    let permit = shared.extract_slots.clone().acquire_owned().await.ok();
    let extractor = shared.extractor.clone();
    let page_url = url.to_string();
    let work = move || {
        catching_panics(Some(&page_url), || {
            extractor.extract_bytes(&body, content_type.as_deref(), Some(&page_url))
        })
    };
    let budget = shared.options.extract.time_budget;
    match blocking_within(work, permit, budget, &shared.abandoned_slots).await {
        Ok(Ok(article)) => article,
        Ok(Err(e)) => Article::failed(
            Some(url.as_str()),
            ErrorKind::Extract.as_str(),
            format!("the extraction thread failed: {e}"),
        ),
        Err(budget) => {
            let e = crate::Error::Timeout { budget };
            Article::failed(Some(url.as_str()), e.kind(), e.to_string())
        }
    }
}

/// Runs `work` on the blocking pool, holding `permit` while it runs, and
/// waits for it at most `budget`; past that, gives up waiting and returns
/// the budget as the error.
///
/// The work itself cannot be stopped, so it goes on, abandoned. Its permit
/// is then exchanged for one of `abandoned`, if one is free, so that
/// another page may be extracted in its place; if none is, it keeps its
/// permit. So at most as many threads as the two semaphores have permits
/// are ever busy, however many pages overrun (as the command line's
/// ordered runner does it).
async fn blocking_within<R: Send + 'static>(
    work: impl FnOnce() -> R + Send + 'static,
    permit: Option<OwnedSemaphorePermit>,
    budget: Option<Duration>,
    abandoned: &Arc<Semaphore>,
) -> Result<Result<R, tokio::task::JoinError>, Duration> {
    // Shared with the thread, so the permit can be exchanged while it runs.
    let slot = Arc::new(Mutex::new(permit));
    let held = Arc::clone(&slot);
    let task = tokio::task::spawn_blocking(move || {
        let _held = held;
        work()
    });
    let Some(budget) = budget else {
        return Ok(task.await);
    };
    match tokio::time::timeout(budget, task).await {
        Ok(joined) => Ok(joined),
        Err(_) => {
            if let Ok(spare) = Arc::clone(abandoned).try_acquire_owned() {
                if let Ok(mut held) = slot.lock() {
                    *held = Some(spare);
                }
            }
            Err(budget)
        }
    }
}

/// The record of a page that was fetched and extracted (the extraction
/// itself may have failed, as `article.error` then says).
fn finished_record(
    job: &Job,
    status: Option<u16>,
    content_type: Option<String>,
    article: Article,
) -> FetchRecord {
    FetchRecord {
        source: job.source.clone(),
        article,
        final_url: Some(job.url.to_string()),
        status,
        content_type,
        fetched_at: now_rfc3339(),
        elapsed_ms: elapsed_ms(job),
    }
}

/// The record of a job that failed with `failure`.
pub(crate) fn failed_record(
    job: &Job,
    status: Option<u16>,
    content_type: Option<String>,
    failure: &Failure,
) -> FetchRecord {
    let article = Article::failed(
        Some(job.url.as_str()),
        failure.kind.as_str(),
        failure.message.clone(),
    );
    finished_record(job, status, content_type, article)
}

fn elapsed_ms(job: &Job) -> u64 {
    job.first_start.map_or(0, |t| {
        u64::try_from(t.elapsed().as_millis()).unwrap_or(u64::MAX)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_stop_at_the_limit_and_at_long_waits() {
        let options = FetchOptions {
            retries: 1,
            backoff: Duration::from_millis(10),
            max_retry_wait: Duration::from_secs(60),
            ..FetchOptions::default()
        };
        let mut job = Job::new("http://a.test/").unwrap();
        let mut transient = Failure {
            kind: ErrorKind::HttpStatus,
            message: "HTTP 503".into(),
            transient: true,
            retry_after: None,
        };
        assert!(retry_wait(&options, &job, &mut transient).is_some());
        transient.retry_after = Some(Duration::from_secs(3));
        assert_eq!(
            retry_wait(&options, &job, &mut transient),
            Some(Duration::from_secs(3))
        );
        transient.retry_after = Some(Duration::from_secs(600));
        assert_eq!(retry_wait(&options, &job, &mut transient), None);
        assert!(transient.message.contains("600 s"));
        job.retries_used = 1;
        transient.retry_after = None;
        assert_eq!(retry_wait(&options, &job, &mut transient), None);
        let mut permanent = Failure::new(ErrorKind::NotHtml, "pdf");
        job.retries_used = 0;
        assert_eq!(retry_wait(&options, &job, &mut permanent), None);
    }

    #[test]
    fn status_texts_carry_the_reason() {
        assert_eq!(status_text(404), "HTTP 404 Not Found");
        assert_eq!(status_text(599), "HTTP 599");
    }

    #[tokio::test]
    async fn an_overrun_is_given_up_on_and_its_slot_handed_on() {
        let slots = Arc::new(Semaphore::new(1));
        let abandoned = Arc::new(Semaphore::new(1));
        let slow = || std::thread::sleep(Duration::from_millis(400));
        let permit = slots.clone().acquire_owned().await.ok();
        let begun = Instant::now();
        let late = blocking_within(slow, permit, Some(Duration::from_millis(20)), &abandoned).await;
        assert_eq!(late.err(), Some(Duration::from_millis(20)));
        assert!(begun.elapsed() < Duration::from_millis(300));
        // The next page may start; the overrun holds the spare permit.
        assert_eq!(slots.available_permits(), 1);
        assert_eq!(abandoned.available_permits(), 0);

        // With no spare left, a second overrun keeps its slot.
        let permit = slots.clone().acquire_owned().await.ok();
        let late = blocking_within(slow, permit, Some(Duration::from_millis(20)), &abandoned).await;
        assert!(late.is_err());
        assert_eq!(slots.available_permits(), 0);

        // Work within its budget, or without one, gives its result.
        let quick = blocking_within(|| 7, None, Some(Duration::from_secs(5)), &abandoned).await;
        assert_eq!(quick.unwrap().unwrap(), 7);
        assert_eq!(
            blocking_within(|| 8, None, None, &abandoned)
                .await
                .unwrap()
                .unwrap(),
            8
        );
    }
}
