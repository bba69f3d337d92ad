//! The crawl frontier: a queue per host, and a schedule that hands out the
//! next request any host may take now, keeping each host's connection
//! limit, its delay between requests, any wait it asked for, and robots.txt.
//!
//! Hosts wait in a heap ordered by the time they may next be asked, so a
//! busy or slow host never holds up the others, and picking the next
//! request costs O(log hosts) however many hosts there are.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};

use url::Url;

use super::failure::Failure;
use super::job::{origin_key, Job};
use super::options::FetchOptions;
use super::retry::later;
use super::robots::Robots;

/// What to do next.
#[derive(Debug)]
pub(crate) enum Next {
    /// Request `job.url`; the request counts against `host` until
    /// [`Frontier::request_done`] (or `retry`/`redirect`) is called.
    Fetch { host: usize, job: Job },
    /// Fetch the robots.txt of `origin` (of which `url` is a page) for
    /// `host`, then call [`Frontier::robots_known`].
    Robots {
        host: usize,
        origin: String,
        url: Url,
    },
    /// robots.txt rules the job out; record the failure, nothing to request.
    Refused { job: Job, failure: Failure },
    /// Nothing may start before this time.
    WaitUntil(Instant),
    /// Nothing is queued that could start, until a request in flight ends.
    Idle,
}

/// robots.txt of one origin.
#[derive(Debug)]
enum RobotsSlot {
    Pending,
    Known(Arc<Robots>),
}

/// One host's queue and politeness state.
#[derive(Debug)]
struct Host {
    queue: VecDeque<Job>,
    /// Requests in flight (robots.txt included).
    active: usize,
    last_start: Option<Instant>,
    /// A wait asked for by the host (`Retry-After`) or imposed after a
    /// transient failure.
    not_before: Option<Instant>,
    /// Least time between request starts: the configured delay, or the
    /// Crawl-delay of robots.txt if larger.
    delay: Duration,
    robots: HashMap<String, RobotsSlot>,
    /// The sequence number of this host's live heap entry, if it has one;
    /// older entries are stale and skipped.
    live: Option<u64>,
}

/// Per-host queues and the schedule over them.
#[derive(Debug)]
pub(crate) struct Frontier {
    hosts: Vec<Host>,
    index: HashMap<String, usize>,
    /// (time the host may next start a request, sequence, host index).
    heap: BinaryHeap<Reverse<(Instant, u64, usize)>>,
    seq: u64,
    queued: usize,
    /// Time zero: hosts that never made a request are ready since then.
    epoch: Instant,
    per_host: usize,
    base_delay: Duration,
    max_crawl_delay: Duration,
    obey_robots: bool,
}

impl Frontier {
    /// An empty frontier with the politeness settings of `options`.
    pub fn new(options: &FetchOptions, epoch: Instant) -> Self {
        Frontier {
            hosts: Vec::new(),
            index: HashMap::new(),
            heap: BinaryHeap::new(),
            seq: 0,
            queued: 0,
            epoch,
            per_host: options.per_host,
            base_delay: options.delay,
            max_crawl_delay: options.max_crawl_delay,
            obey_robots: options.obey_robots,
        }
    }

    /// Jobs waiting (not in flight).
    pub fn len(&self) -> usize {
        self.queued
    }

    /// Queues a new job behind the others of its host.
    pub fn push_back(&mut self, job: Job) {
        let host = self.host_index(job.host_key());
        self.hosts[host].queue.push_back(job);
        self.queued += 1;
        self.reschedule(host);
    }

    /// The next thing to do at time `now`.
    pub fn next(&mut self, now: Instant) -> Next {
        while let Some(&Reverse((at, seq, index))) = self.heap.peek() {
            if self.hosts[index].live != Some(seq) {
                self.heap.pop();
                continue;
            }
            if at > now {
                return Next::WaitUntil(at);
            }
            self.heap.pop();
            self.hosts[index].live = None;
            if let Some(next) = self.take(index, now) {
                return next;
            }
        }
        Next::Idle
    }

    /// A request to `host` has ended, and its job needs nothing more here.
    pub fn request_done(&mut self, host: usize) {
        let h = &mut self.hosts[host];
        h.active = h.active.saturating_sub(1);
        self.reschedule(host);
    }

    /// A request to `host` failed transiently: its job goes back to the head
    /// of the queue, and the host is left alone for `wait`.
    pub fn retry(&mut self, host: usize, job: Job, wait: Duration, now: Instant) {
        let h = &mut self.hosts[host];
        h.active = h.active.saturating_sub(1);
        let until = later(now, wait);
        h.not_before = Some(h.not_before.map_or(until, |t| t.max(until)));
        h.queue.push_front(job);
        self.queued += 1;
        self.reschedule(host);
    }

    /// A request to `host` redirected: the job, now aimed at its new URL,
    /// goes to the head of that URL's host queue.
    pub fn redirect(&mut self, host: usize, job: Job) {
        let target = self.host_index(job.host_key());
        self.hosts[target].queue.push_front(job);
        self.queued += 1;
        self.request_done(host);
        if target != host {
            self.reschedule(target);
        }
    }

    /// The robots.txt request for `origin` on `host` has ended with `robots`.
    pub fn robots_known(&mut self, host: usize, origin: String, robots: Arc<Robots>) {
        let crawl_delay = robots.crawl_delay();
        let h = &mut self.hosts[host];
        if let Some(asked) = crawl_delay {
            h.delay = h.delay.max(asked.min(self.max_crawl_delay));
        }
        h.robots.insert(origin, RobotsSlot::Known(robots));
        self.request_done(host);
    }

    /// Takes the next request from `index`, whose turn it is, or `None` if
    /// it has nothing it may start.
    fn take(&mut self, index: usize, now: Instant) -> Option<Next> {
        if !self.eligible(index) {
            return None;
        }
        let host = &mut self.hosts[index];
        let front = host.queue.front()?;
        if self.obey_robots {
            let origin = origin_key(&front.url);
            match host.robots.get(&origin) {
                None => {
                    let url = front.url.clone();
                    host.robots.insert(origin.clone(), RobotsSlot::Pending);
                    host.active += 1;
                    host.last_start = Some(now);
                    self.reschedule(index);
                    return Some(Next::Robots {
                        host: index,
                        origin,
                        url,
                    });
                }
                Some(RobotsSlot::Pending) => return None,
                Some(RobotsSlot::Known(robots)) => {
                    if let Err(failure) = robots.check(&front.url) {
                        let job = host.queue.pop_front()?;
                        self.queued -= 1;
                        self.reschedule(index);
                        return Some(Next::Refused { job, failure });
                    }
                }
            }
        }
        let job = host.queue.pop_front()?;
        self.queued -= 1;
        host.active += 1;
        host.last_start = Some(now);
        self.reschedule(index);
        Some(Next::Fetch { host: index, job })
    }

    /// Whether `index` has a job it could start once its time comes.
    fn eligible(&self, index: usize) -> bool {
        let host = &self.hosts[index];
        let Some(front) = host.queue.front() else {
            return false;
        };
        if self.per_host != 0 && host.active >= self.per_host {
            return false;
        }
        let waiting_for_robots = self.obey_robots
            && matches!(
                host.robots.get(&origin_key(&front.url)),
                Some(RobotsSlot::Pending)
            );
        !waiting_for_robots
    }

    /// Puts `index` in the heap at the time it may next start a request, if
    /// it has one it could start; any earlier entry becomes stale.
    fn reschedule(&mut self, index: usize) {
        if !self.eligible(index) {
            self.hosts[index].live = None;
            return;
        }
        let host = &self.hosts[index];
        let after_delay = host.last_start.map_or(self.epoch, |t| later(t, host.delay));
        let ready = host.not_before.map_or(after_delay, |t| t.max(after_delay));
        self.seq += 1;
        self.hosts[index].live = Some(self.seq);
        self.heap.push(Reverse((ready, self.seq, index)));
    }

    fn host_index(&mut self, key: &str) -> usize {
        if let Some(&index) = self.index.get(key) {
            return index;
        }
        let index = self.hosts.len();
        self.hosts.push(Host {
            queue: VecDeque::new(),
            active: 0,
            last_start: None,
            not_before: None,
            delay: self.base_delay,
            robots: HashMap::new(),
            live: None,
        });
        self.index.insert(key.to_owned(), index);
        index
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fetch::record::ErrorKind;

    fn options(per_host: usize, delay_ms: u64, robots: bool) -> FetchOptions {
        FetchOptions {
            per_host,
            delay: Duration::from_millis(delay_ms),
            obey_robots: robots,
            ..FetchOptions::default()
        }
    }

    fn job(url: &str) -> Job {
        Job::new(url).unwrap()
    }

    fn fetched(next: Next) -> (usize, String) {
        match next {
            Next::Fetch { host, job } => (host, job.source),
            other => panic!("expected a fetch, got {other:?}"),
        }
    }

    #[test]
    fn hosts_take_turns_and_keep_their_limits() {
        let t0 = Instant::now();
        let mut f = Frontier::new(&options(1, 1000, false), t0);
        for url in ["http://a.test/1", "http://a.test/2", "http://b.test/1"] {
            f.push_back(job(url));
        }
        let (a, first) = fetched(f.next(t0));
        assert_eq!(first, "http://a.test/1");
        // a.test is busy, so b.test goes next rather than waiting behind it.
        let (_, second) = fetched(f.next(t0));
        assert_eq!(second, "http://b.test/1");
        assert!(matches!(f.next(t0), Next::Idle));
        // Once free, a.test still waits out its delay.
        f.request_done(a);
        match f.next(t0) {
            Next::WaitUntil(t) => assert_eq!(t, t0 + Duration::from_secs(1)),
            other => panic!("{other:?}"),
        }
        let (_, third) = fetched(f.next(t0 + Duration::from_secs(1)));
        assert_eq!(third, "http://a.test/2");
        assert_eq!(f.len(), 0);
    }

    #[test]
    fn no_limits_means_round_robin() {
        let t0 = Instant::now();
        let mut f = Frontier::new(&options(0, 0, false), t0);
        for url in [
            "http://a.test/1",
            "http://a.test/2",
            "http://b.test/1",
            "http://b.test/2",
        ] {
            f.push_back(job(url));
        }
        let order: Vec<_> = (0..4).map(|_| fetched(f.next(t0)).1).collect();
        assert_eq!(
            order,
            [
                "http://a.test/1",
                "http://b.test/1",
                "http://a.test/2",
                "http://b.test/2"
            ]
        );
    }

    #[test]
    fn retries_wait_and_go_first() {
        let t0 = Instant::now();
        let mut f = Frontier::new(&options(2, 0, false), t0);
        f.push_back(job("http://a.test/1"));
        f.push_back(job("http://a.test/2"));
        let (a, _) = fetched(f.next(t0));
        f.retry(a, job("http://a.test/1"), Duration::from_secs(5), t0);
        match f.next(t0) {
            Next::WaitUntil(t) => assert_eq!(t, t0 + Duration::from_secs(5)),
            other => panic!("{other:?}"),
        }
        let (_, again) = fetched(f.next(t0 + Duration::from_secs(5)));
        assert_eq!(again, "http://a.test/1");
    }

    #[test]
    fn robots_come_first_and_rule() {
        let t0 = Instant::now();
        let mut f = Frontier::new(&options(2, 0, true), t0);
        f.push_back(job("http://a.test/private/1"));
        f.push_back(job("http://a.test/news/1"));
        let (host, origin) = match f.next(t0) {
            Next::Robots { host, origin, .. } => (host, origin),
            other => panic!("{other:?}"),
        };
        assert_eq!(origin, "http://a.test");
        // Nothing else for a.test until its robots.txt is known.
        assert!(matches!(f.next(t0), Next::Idle));
        let robots = Robots::parse(
            "copydesk",
            b"User-agent: *\nDisallow: /private\nCrawl-delay: 3\n",
        );
        f.robots_known(host, origin, Arc::new(robots));
        // The crawl delay counts from the robots.txt request.
        let t3 = t0 + Duration::from_secs(3);
        match f.next(t0) {
            Next::WaitUntil(t) => assert_eq!(t, t3),
            other => panic!("{other:?}"),
        }
        match f.next(t3) {
            Next::Refused { job, failure } => {
                assert_eq!(job.source, "http://a.test/private/1");
                assert_eq!(failure.kind, ErrorKind::RobotsDisallowed);
            }
            other => panic!("{other:?}"),
        }
        // A refusal costs the host no request, so the next page goes at once.
        assert_eq!(fetched(f.next(t3)).1, "http://a.test/news/1");
    }

    #[test]
    fn a_cross_host_redirect_joins_the_other_queue() {
        let t0 = Instant::now();
        let mut f = Frontier::new(&options(1, 0, false), t0);
        f.push_back(job("http://a.test/1"));
        let (a, _) = fetched(f.next(t0));
        let mut moved = job("http://a.test/1");
        moved.follow("http://b.test/2", 10).unwrap();
        f.redirect(a, moved);
        let (b, source) = fetched(f.next(t0));
        assert_ne!(a, b);
        assert_eq!(source, "http://a.test/1");
    }
}
