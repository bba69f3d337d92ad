//! A parallel map that hands results back in input order with a bounded
//! number of items in flight, so output order and memory do not depend on
//! how many inputs there are or how uneven the work is.

use std::collections::{BTreeMap, HashMap};
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// A time limit per item, for [`for_each_ordered_within`].
pub struct Budget<T, R, L = String> {
    /// Time an item may take from the moment a thread starts on it.
    pub per_item: Duration,
    /// What is kept of an item while it runs, to report it if late (its
    /// name, say: the item itself is with the thread).
    pub label: Box<dyn Fn(&T) -> L>,
    /// The result that stands in for an item over its budget.
    pub late: Box<dyn Fn(L, Duration) -> R>,
}

/// Applies `work` to every item of `items` on `jobs` threads and passes the
/// results to `sink` in input order, each item within an optional time
/// budget.
///
/// Items are pulled from `items` lazily, and at most `window` of them are
/// between being pulled and being handed to `sink` at any time: a slow item
/// holds back at most `window - 1` finished ones, so memory stays bounded
/// however long the input. `window` is raised to `jobs` if smaller, since a
/// smaller window would leave threads idle.
///
/// Stops at the first error of `sink` and returns it; items already handed
/// to the threads are finished or dropped, never passed to `sink`. A panic
/// in `work` is re-raised on the calling thread (rather than leaving the
/// caller waiting forever for the lost result).
///
/// An item whose work runs past `budget.per_item` is given the result
/// `budget.late` makes, in its place in the order, and the run goes on
/// without it. Work that overruns cannot be stopped from outside (a thread cannot be
/// killed), so the thread is abandoned: its late result is dropped, and a
/// new thread takes its place so the run keeps `jobs` threads working. At
/// most `jobs` abandoned threads may be running at once; past that no more
/// are replaced until one finishes, so threads and the memory they hold
/// stay bounded (at most `2 * jobs` items in the works). Threads are not
/// joined, so an abandoned one that never finishes does not hold up the end
/// of the run. `work` should give up soon after its budget on its own too
/// (the extractor's `time_budget`), which is what returns threads quickly.
/// Threads that may outlive the call are why `work` and items are `'static`.
pub fn for_each_ordered_within<I, T, R, L, E, W, S>(
    items: I,
    jobs: usize,
    window: usize,
    budget: Option<Budget<T, R, L>>,
    work: W,
    sink: S,
) -> Result<(), E>
where
    I: IntoIterator<Item = T>,
    T: Send + 'static,
    R: Send + 'static,
    W: Fn(T) -> R + Send + Sync + 'static,
    S: FnMut(R) -> Result<(), E>,
{
    let work = Arc::new(work);
    let mut spawn = |queue: Arc<Queue<T>>, results: mpsc::Sender<Message<R>>| {
        let work = Arc::clone(&work);
        thread::spawn(move || worker(&queue, &results, &*work));
    };
    run(items, jobs, window, budget, &mut spawn, sink)
}

/// The job queue the worker threads share.
struct Queue<T> {
    jobs: Mutex<mpsc::Receiver<(usize, T)>>,
    /// Threads that should stop after their current item, because a
    /// replacement was started for an abandoned one.
    surplus: AtomicUsize,
    /// Threads running.
    live: AtomicUsize,
}

/// What a worker tells the dispatcher.
enum Message<R> {
    Started(usize),
    Done(usize, thread::Result<R>),
}

/// A worker thread: takes items until the queue closes or it is surplus.
fn worker<T, R>(
    queue: &Queue<T>,
    results: &mpsc::Sender<Message<R>>,
    work: &(impl Fn(T) -> R + ?Sized),
) {
    loop {
        // The lock is released before the work starts, so only the taking
        // of jobs is serialised.
        let next = match queue.jobs.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => break,
        };
        let Ok((index, item)) = next else { break };
        if results.send(Message::Started(index)).is_err() {
            break; // the caller has stopped listening
        }
        let result = panic::catch_unwind(AssertUnwindSafe(|| work(item)));
        if results.send(Message::Done(index, result)).is_err() {
            break;
        }
        let retire = queue
            .surplus
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok();
        if retire {
            break;
        }
    }
    queue.live.fetch_sub(1, Ordering::SeqCst);
}

/// The dispatcher shared by both entry points: feeds the queue, starts the
/// threads through `spawn`, enforces the budget, and puts results in order.
fn run<I, T, R, L, E, S>(
    items: I,
    jobs: usize,
    window: usize,
    budget: Option<Budget<T, R, L>>,
    spawn: &mut dyn FnMut(Arc<Queue<T>>, mpsc::Sender<Message<R>>),
    mut sink: S,
) -> Result<(), E>
where
    I: IntoIterator<Item = T>,
    S: FnMut(R) -> Result<(), E>,
{
    let jobs = jobs.max(1);
    let window = window.max(jobs);
    // The queue holds `window` entries, and no more than `window` items are
    // ever outstanding, so sending never blocks. Results are few too: two
    // messages per outstanding item.
    let (job_tx, job_rx) = mpsc::sync_channel::<(usize, T)>(window);
    let (res_tx, res_rx) = mpsc::channel::<Message<R>>();
    let queue = Arc::new(Queue {
        jobs: Mutex::new(job_rx),
        surplus: AtomicUsize::new(0),
        live: AtomicUsize::new(0),
    });
    let start_worker = |spawn: &mut dyn FnMut(_, _)| {
        queue.live.fetch_add(1, Ordering::SeqCst);
        spawn(Arc::clone(&queue), res_tx.clone());
    };
    for _ in 0..jobs {
        start_worker(&mut *spawn);
    }

    let mut items = items.into_iter().enumerate();
    let mut exhausted = false;
    let (mut dispatched, mut delivered) = (0usize, 0usize);
    let mut pending = BTreeMap::new();
    // With a budget: the labels of outstanding items, the start times of
    // those being worked on, and those given up on.
    let mut labels = HashMap::new();
    let mut started: HashMap<usize, Instant> = HashMap::new();
    let mut abandoned = std::collections::HashSet::new();
    loop {
        while !exhausted && dispatched < delivered + window {
            match items.next() {
                Some((index, item)) => {
                    if let Some(budget) = &budget {
                        labels.insert(index, (budget.label)(&item));
                    }
                    job_tx
                        .send((index, item))
                        .expect("workers live while jobs are sent");
                    dispatched += 1;
                }
                None => exhausted = true,
            }
        }
        if delivered == dispatched {
            // Nothing outstanding and nothing left to dispatch.
            return Ok(());
        }
        let first_due = budget
            .as_ref()
            .and_then(|b| started.values().min().map(|t| *t + b.per_item));
        let message = match first_due {
            Some(due) => res_rx.recv_timeout(due.saturating_duration_since(Instant::now())),
            None => res_rx
                .recv()
                .map_err(|_| mpsc::RecvTimeoutError::Disconnected),
        };
        match message {
            Ok(Message::Started(index)) => {
                if budget.is_some() {
                    started.insert(index, Instant::now());
                }
            }
            Ok(Message::Done(index, result)) => {
                if abandoned.remove(&index) {
                    continue; // its stand-in went out long ago
                }
                started.remove(&index);
                labels.remove(&index);
                match result {
                    Ok(value) => {
                        pending.insert(index, value);
                    }
                    Err(payload) => panic::resume_unwind(payload),
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let budget = budget.as_ref().expect("only a budget sets a timeout");
                let now = Instant::now();
                let late: Vec<usize> = started
                    .iter()
                    .filter(|(_, t)| now.duration_since(**t) >= budget.per_item)
                    .map(|(i, _)| *i)
                    .collect();
                for index in late {
                    started.remove(&index);
                    // Every item is labelled when dispatched under a budget;
                    // one that were not would simply be waited for.
                    let Some(label) = labels.remove(&index) else {
                        continue;
                    };
                    pending.insert(index, (budget.late)(label, budget.per_item));
                    abandoned.insert(index);
                    if queue.live.load(Ordering::SeqCst) < 2 * jobs {
                        queue.surplus.fetch_add(1, Ordering::SeqCst);
                        start_worker(&mut *spawn);
                    }
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                unreachable!("the dispatcher holds a sender, so the channel stays open")
            }
        }
        while let Some(value) = pending.remove(&delivered) {
            delivered += 1;
            sink(value)?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    /// The runner without a budget.
    fn for_each_ordered<T, R, E>(
        items: impl IntoIterator<Item = T>,
        jobs: usize,
        window: usize,
        work: impl Fn(T) -> R + Send + Sync + 'static,
        sink: impl FnMut(R) -> Result<(), E>,
    ) -> Result<(), E>
    where
        T: Send + 'static,
        R: Send + 'static,
    {
        for_each_ordered_within(items, jobs, window, None::<Budget<T, R>>, work, sink)
    }

    #[test]
    fn results_come_back_in_input_order_despite_uneven_work() {
        let mut out = Vec::new();
        for_each_ordered(
            0..50u64,
            4,
            8,
            |i| {
                // Early items are the slowest, so they finish last.
                thread::sleep(Duration::from_millis((50 - i) % 7));
                i * 10
            },
            |r| {
                out.push(r);
                Ok::<(), ()>(())
            },
        )
        .unwrap();
        assert_eq!(out, (0..50).map(|i| i * 10).collect::<Vec<_>>());
    }

    #[test]
    fn at_most_window_items_are_in_flight() {
        let in_flight = AtomicUsize::new(0);
        let peak = AtomicUsize::new(0);
        let pulled = (0..200).inspect(|_| {
            let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            peak.fetch_max(now, Ordering::SeqCst);
        });
        for_each_ordered(
            pulled,
            3,
            6,
            |i| {
                if i % 10 == 0 {
                    thread::sleep(Duration::from_millis(3));
                }
                i
            },
            |_| {
                in_flight.fetch_sub(1, Ordering::SeqCst);
                Ok::<(), ()>(())
            },
        )
        .unwrap();
        assert!(
            peak.load(Ordering::SeqCst) <= 6,
            "peak {}",
            peak.load(Ordering::SeqCst)
        );
        assert_eq!(in_flight.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn a_sink_error_stops_the_run() {
        let mut seen = 0;
        let result = for_each_ordered(
            0..1000,
            2,
            4,
            |i| i,
            |i| {
                seen += 1;
                if i == 5 {
                    Err("full disk")
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!(result, Err("full disk"));
        assert_eq!(seen, 6);
    }

    #[test]
    fn a_panic_in_work_reaches_the_caller() {
        let caught = panic::catch_unwind(|| {
            for_each_ordered(
                0..20,
                2,
                4,
                |i| {
                    assert!(i != 7, "boom");
                    i
                },
                |_| Ok::<(), ()>(()),
            )
        });
        assert!(caught.is_err());
    }

    fn budget(ms: u64) -> Budget<u64, String> {
        Budget {
            per_item: Duration::from_millis(ms),
            label: Box::new(|i| format!("item {i}")),
            late: Box::new(|label, _| format!("{label} late")),
        }
    }

    #[test]
    fn a_late_item_gets_its_stand_in_in_order_and_the_run_goes_on() {
        let begun = Instant::now();
        let mut out = Vec::new();
        for_each_ordered_within(
            0..30u64,
            2,
            8,
            Some(budget(200)),
            |i| {
                // Item 3 hangs far past its budget; the rest are quick.
                thread::sleep(Duration::from_millis(if i == 3 { 60_000 } else { 20 }));
                format!("item {i}")
            },
            |r| {
                out.push(r);
                Ok::<(), ()>(())
            },
        )
        .unwrap();
        let mut expected: Vec<String> = (0..30).map(|i| format!("item {i}")).collect();
        expected[3] = "item 3 late".into();
        assert_eq!(out, expected);
        // Two threads kept working: 29 quick items take about 0.3 s, plus
        // the budget; nothing waited for the hung item.
        assert!(
            begun.elapsed() < Duration::from_secs(5),
            "{:?}",
            begun.elapsed()
        );
    }

    #[test]
    fn abandoned_threads_are_bounded() {
        let running = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let (r, p) = (Arc::clone(&running), Arc::clone(&peak));
        let mut late = 0;
        for_each_ordered_within(
            0..12u64,
            2,
            4,
            Some(budget(50)),
            move |i| {
                let now = r.fetch_add(1, Ordering::SeqCst) + 1;
                p.fetch_max(now, Ordering::SeqCst);
                // Every item overruns, each a little longer than the budget.
                thread::sleep(Duration::from_millis(300));
                r.fetch_sub(1, Ordering::SeqCst);
                i.to_string()
            },
            |r: String| {
                late += usize::from(r.ends_with("late"));
                Ok::<(), ()>(())
            },
        )
        .unwrap();
        assert_eq!(late, 12);
        assert!(
            peak.load(Ordering::SeqCst) <= 4,
            "peak {}",
            peak.load(Ordering::SeqCst)
        );
    }

    #[test]
    fn no_items_is_fine() {
        let r = for_each_ordered(std::iter::empty::<u8>(), 4, 8, |i| i, |_| Err(()));
        assert_eq!(r, Ok(()));
    }
}
