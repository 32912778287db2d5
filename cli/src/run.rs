//! Running scenarios on every core, with progress.
//!
//! Why threads here and not in the core: the core is sans-IO and
//! single-threaded; fleets (and OCC points) are independent, so the host
//! hands them out to workers. Results are put back in the scenario's order,
//! so the output does not depend on scheduling.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use stormguard::sim::{FleetReport, Occ, OccPoint, OccReport, Storm, StormReport};
use stormguard::time::Duration;

use crate::progress::Progress;

/// Runs `jobs` independent jobs on up to `threads` workers; `job(i)` returns
/// job `i`'s result. Results come back in job order.
fn parallel<T: Send>(jobs: usize, threads: usize, job: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<T>>> = Mutex::new((0..jobs).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..threads.clamp(1, jobs.max(1)) {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    if index >= jobs {
                        break;
                    }
                    let result = job(index);
                    if let Ok(mut slots) = results.lock()
                        && let Some(slot) = slots.get_mut(index)
                    {
                        *slot = Some(result);
                    }
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .flatten()
        .collect()
}

/// Worker threads to use.
pub(crate) fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
}

/// Runs every fleet of `storm`; the bar advances per virtual second.
pub(crate) fn storm(storm: &Storm, seed: u64) -> StormReport {
    let fleets = storm.fleet_count();
    let seconds = storm.end().as_nanos().div_ceil(1_000_000_000);
    let progress = Progress::new(seconds * fleets as u64);
    let finished = AtomicUsize::new(0);
    let reports: Vec<FleetReport> = std::thread::scope(|scope| {
        let work = scope.spawn(|| {
            let reports = parallel(fleets, threads(), |index| {
                let Some(mut sim) = storm.simulation(index, seed) else {
                    return FleetReport::default();
                };
                let mut now = sim.now();
                loop {
                    now = now + Duration::from_secs(1);
                    let done = sim.run_until(now);
                    progress.add(1);
                    if done {
                        break;
                    }
                }
                sim.finish()
            });
            finished.store(1, Ordering::Release);
            reports
        });
        progress.draw_until("simulating", || finished.load(Ordering::Acquire) == 1);
        work.join().unwrap_or_default()
    });
    storm.report(seed, reports)
}

/// Runs every point of `occ`; the bar advances per point.
pub(crate) fn occ(occ: &Occ, seed: u64) -> OccReport {
    let points = occ.points();
    let progress = Progress::new(points.len() as u64);
    let finished = AtomicUsize::new(0);
    let measured: Vec<OccPoint> = std::thread::scope(|scope| {
        let work = scope.spawn(|| {
            let measured = parallel(points.len(), threads(), |index| {
                let clients = points.get(index).copied().unwrap_or(1);
                let point = occ.run_point(clients, seed);
                progress.add(1);
                point
            });
            finished.store(1, Ordering::Release);
            measured
        });
        progress.draw_until("simulating", || finished.load(Ordering::Acquire) == 1);
        work.join().unwrap_or_default()
    });
    occ.report(seed, measured)
}
