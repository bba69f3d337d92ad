//! A parallel map that hands results back in input order with a bounded
//! number of items in flight, so output order and memory do not depend on
//! how many inputs there are or how uneven the work is.

use std::collections::BTreeMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc;
use std::sync::Mutex;
use std::thread;

/// Applies `work` to every item of `items` on `jobs` threads and passes the
/// results to `sink` in input order.
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
pub fn for_each_ordered<I, T, R, E, W, S>(
    items: I,
    jobs: usize,
    window: usize,
    work: W,
    mut sink: S,
) -> Result<(), E>
where
    I: IntoIterator<Item = T>,
    T: Send,
    R: Send,
    W: Fn(T) -> R + Sync,
    S: FnMut(R) -> Result<(), E>,
{
    let jobs = jobs.max(1);
    let window = window.max(jobs);
    // Both channels hold `window` entries, and no more than `window` items
    // are ever outstanding, so neither side blocks on a full channel.
    let (job_tx, job_rx) = mpsc::sync_channel::<(usize, T)>(window);
    let job_rx = Mutex::new(job_rx);
    let (res_tx, res_rx) = mpsc::sync_channel::<(usize, thread::Result<R>)>(window);
    thread::scope(|scope| {
        // Owned by this closure so that leaving it, by return or unwind,
        // closes the channels and lets the workers finish before the join.
        let (job_tx, res_rx) = (job_tx, res_rx);
        for _ in 0..jobs {
            let (job_rx, res_tx, work) = (&job_rx, res_tx.clone(), &work);
            scope.spawn(move || loop {
                // The lock is released before the work starts, so only the
                // taking of jobs is serialised.
                let next = match job_rx.lock() {
                    Ok(rx) => rx.recv(),
                    Err(_) => break,
                };
                let Ok((index, item)) = next else { break };
                let result = panic::catch_unwind(AssertUnwindSafe(|| work(item)));
                if res_tx.send((index, result)).is_err() {
                    break; // the caller has stopped listening
                }
            });
        }
        // Only the workers hold senders now: if they all die, `recv` fails
        // instead of blocking.
        drop(res_tx);

        let mut items = items.into_iter().enumerate();
        let mut exhausted = false;
        let (mut dispatched, mut delivered) = (0usize, 0usize);
        let mut pending = BTreeMap::new();
        loop {
            while !exhausted && dispatched < delivered + window {
                match items.next() {
                    Some(job) => {
                        job_tx.send(job).expect("workers live while jobs are sent");
                        dispatched += 1;
                    }
                    None => exhausted = true,
                }
            }
            if delivered == dispatched {
                // Nothing outstanding and nothing left to dispatch.
                return Ok(());
            }
            let (index, result) = res_rx
                .recv()
                .expect("an outstanding item has a live worker");
            match result {
                Ok(value) => {
                    pending.insert(index, value);
                }
                Err(payload) => panic::resume_unwind(payload),
            }
            while let Some(value) = pending.remove(&delivered) {
                delivered += 1;
                sink(value)?;
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

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

    #[test]
    fn no_items_is_fine() {
        let r = for_each_ordered(std::iter::empty::<u8>(), 4, 8, |i| i, |_| Err(()));
        assert_eq!(r, Ok(()));
    }
}
