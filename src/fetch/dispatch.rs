//! The batch loop: takes work from the frontier while the global limit
//! allows, runs each request as a task, and folds the tasks' news (request
//! over, retry, redirect, robots.txt known) back into the frontier.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, watch};

use super::fetcher::Shared;
use super::frontier::{Frontier, Next};
use super::job::Job;
use super::page;
use super::record::{ErrorKind, FetchRecord};
use super::robots::{self, Robots};

/// News from a task to the loop.
pub(crate) enum Event {
    /// A request to `host` is over; `then` says what becomes of its job.
    RequestDone { host: usize, then: Then },
    /// The robots.txt request for `origin` on `host` is over.
    RobotsKnown {
        host: usize,
        origin: String,
        robots: Arc<Robots>,
    },
    /// A task is over. `unrecorded` names its input if it ended without
    /// writing a record or handing its job back (only a bug does that).
    TaskDone { unrecorded: Option<String> },
}

/// What becomes of a job after a request.
pub(crate) enum Then {
    /// Nothing more here: the task records it.
    Nothing,
    /// Try again after `wait`.
    Retry { job: Job, wait: Duration },
    /// Request the job's new URL.
    Redirect { job: Job },
}

/// What every task of a batch shares.
pub(crate) struct Ctx {
    pub shared: Arc<Shared>,
    pub events: mpsc::UnboundedSender<Event>,
    pub out: mpsc::Sender<FetchRecord>,
}

/// A task's hold on a host's request slot; if the task ends without
/// releasing it (a panic), the slot is freed all the same.
pub(crate) struct HostSlot {
    events: mpsc::UnboundedSender<Event>,
    host: usize,
    released: bool,
}

impl HostSlot {
    pub fn new(ctx: &Ctx, host: usize) -> Self {
        HostSlot {
            events: ctx.events.clone(),
            host,
            released: false,
        }
    }

    /// Frees the slot and says what becomes of the job.
    pub fn release(mut self, then: Then) {
        self.released = true;
        // The loop outlives every task, so the send only fails at teardown.
        let _ = self.events.send(Event::RequestDone {
            host: self.host,
            then,
        });
    }
}

impl Drop for HostSlot {
    fn drop(&mut self) {
        if !self.released {
            let _ = self.events.send(Event::RequestDone {
                host: self.host,
                then: Then::Nothing,
            });
        }
    }
}

/// A task's place under the global concurrency limit; tells the loop when
/// the task is over, and whether it left its input unrecorded.
pub(crate) struct TaskSlot {
    events: mpsc::UnboundedSender<Event>,
    unrecorded: Option<String>,
}

impl TaskSlot {
    /// A slot for a task that owes a record for `source` (`None` for tasks
    /// that owe none, such as robots.txt requests).
    pub fn new(ctx: &Ctx, source: Option<String>) -> Self {
        TaskSlot {
            events: ctx.events.clone(),
            unrecorded: source,
        }
    }

    /// The task's input is recorded, or handed back to the frontier.
    pub fn settled(&mut self) {
        self.unrecorded = None;
    }
}

impl Drop for TaskSlot {
    fn drop(&mut self) {
        let _ = self.events.send(Event::TaskDone {
            unrecorded: self.unrecorded.take(),
        });
    }
}

/// Runs a batch to its end: every job recorded, or, once `stop` is set,
/// every request in flight finished. Stores the number of jobs never
/// started in `left`.
pub(crate) async fn run(
    ctx: Arc<Ctx>,
    mut frontier: Frontier,
    mut events: mpsc::UnboundedReceiver<Event>,
    mut stop: watch::Receiver<bool>,
    early: Vec<FetchRecord>,
    left: Arc<AtomicUsize>,
) {
    for record in early {
        if ctx.out.send(record).await.is_err() {
            break;
        }
    }
    let limit = ctx.shared.options.concurrency.max(1);
    let mut in_flight = 0usize;
    let mut stopping = *stop.borrow();
    let mut stop_open = true;
    loop {
        if ctx.out.is_closed() {
            // Nobody is reading the records any more.
            stopping = true;
        }
        let mut wake = None;
        while !stopping && in_flight < limit {
            match frontier.next(Instant::now()) {
                Next::Fetch { host, job } => {
                    in_flight += 1;
                    tokio::spawn(page::run(ctx.clone(), host, job));
                }
                Next::Robots { host, origin, url } => {
                    in_flight += 1;
                    tokio::spawn(robots_task(ctx.clone(), host, origin, url));
                }
                Next::Refused { job, failure } => {
                    let record = page::failed_record(&job, None, None, &failure);
                    if ctx.out.send(record).await.is_err() {
                        stopping = true;
                    }
                }
                Next::WaitUntil(time) => {
                    wake = Some(time);
                    break;
                }
                Next::Idle => break,
            }
        }
        if in_flight == 0 && (stopping || wake.is_none()) {
            break;
        }
        let sleep_until = tokio::time::Instant::from_std(
            wake.unwrap_or_else(|| Instant::now() + Duration::from_secs(3600)),
        );
        tokio::select! {
            event = events.recv() => match event {
                Some(event) => apply(&ctx, &mut frontier, &mut in_flight, event).await,
                // `ctx` holds a sender, so the channel never closes here.
                None => break,
            },
            () = tokio::time::sleep_until(sleep_until), if wake.is_some() => {}
            changed = stop.changed(), if stop_open && !stopping => match changed {
                Ok(()) => stopping = *stop.borrow(),
                // Every stop handle is gone: nobody can ask to stop any more.
                Err(_) => stop_open = false,
            },
        }
    }
    left.store(frontier.len(), Ordering::SeqCst);
}

/// Folds one task's news into the frontier.
async fn apply(ctx: &Ctx, frontier: &mut Frontier, in_flight: &mut usize, event: Event) {
    match event {
        Event::RequestDone { host, then } => match then {
            Then::Nothing => frontier.request_done(host),
            Then::Retry { job, wait } => frontier.retry(host, job, wait, Instant::now()),
            Then::Redirect { job } => frontier.redirect(host, job),
        },
        Event::RobotsKnown {
            host,
            origin,
            robots,
        } => frontier.robots_known(host, origin, robots),
        Event::TaskDone { unrecorded } => {
            *in_flight = in_flight.saturating_sub(1);
            if let Some(source) = unrecorded {
                let record = FetchRecord::failed(
                    &source,
                    ErrorKind::Internal,
                    "the fetch task ended without a result (a bug in copydesk)",
                );
                let _ = ctx.out.send(record).await;
            }
        }
    }
}

/// Fetches one origin's robots.txt and tells the loop what it says.
async fn robots_task(ctx: Arc<Ctx>, host: usize, origin: String, url: url::Url) {
    let _task = TaskSlot::new(&ctx, None);
    let mut report = RobotsReport {
        events: ctx.events.clone(),
        host,
        origin: Some(origin),
    };
    let robots = robots::fetch(&ctx.shared, &url).await;
    report.send(robots);
}

/// Delivers a robots.txt result exactly once; a task that dies first
/// reports the origin unreachable, so its pages are recorded, not stuck.
struct RobotsReport {
    events: mpsc::UnboundedSender<Event>,
    host: usize,
    origin: Option<String>,
}

impl RobotsReport {
    fn send(&mut self, robots: Robots) {
        if let Some(origin) = self.origin.take() {
            let _ = self.events.send(Event::RobotsKnown {
                host: self.host,
                origin,
                robots: Arc::new(robots),
            });
        }
    }
}

impl Drop for RobotsReport {
    fn drop(&mut self) {
        self.send(Robots::Unreachable(super::failure::Failure::new(
            ErrorKind::Internal,
            "the robots.txt task ended without a result (a bug in copydesk)",
        )));
    }
}
