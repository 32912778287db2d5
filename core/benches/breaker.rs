//! Circuit breaker hot path: one `try_acquire` + `record` pair per iteration,
//! with each window type, and the memory each breaker owns.
#![allow(missing_docs)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use criterion::{Criterion, criterion_group};
use std::hint::black_box;
use stormguard::breaker::{Breaker, BreakerOptions, Outcome, WindowType, presets};
use stormguard::time::{Duration, Instant};

fn count_window() -> BreakerOptions {
    BreakerOptions::default()
}

fn time_window() -> BreakerOptions {
    BreakerOptions {
        window_type: WindowType::Time,
        window_ms: 60_000.0,
        bucket_ms: 1_000.0,
        ..BreakerOptions::default()
    }
}

/// Runs acquire + record at `step` intervals; one call in eight fails, far
/// below the 50 % threshold, so the breaker stays closed.
fn acquire_record(c: &mut Criterion, name: &str, options: &BreakerOptions, step: Duration) {
    let mut breaker = Breaker::new(options).unwrap();
    let mut now = Instant::from_nanos(1_000_000_000);
    let mut i: u32 = 0;
    c.bench_function(name, |b| {
        b.iter(|| {
            now = now + step;
            i = i.wrapping_add(1);
            let outcome = if i.is_multiple_of(8) {
                Outcome::failure()
            } else {
                Outcome::success()
            };
            let permit = black_box(breaker.try_acquire(black_box(now)).unwrap());
            black_box(breaker.record(now, permit, outcome).unwrap())
        });
    });
    assert_eq!(breaker.state(), stormguard::breaker::State::Closed);
}

fn benches(c: &mut Criterion) {
    let micro = Duration::from_micros(1);
    acquire_record(
        c,
        "breaker/acquire_record/count_window_100",
        &count_window(),
        micro,
    );
    // 1 ms apart: a bucket rotates every 1000 calls.
    acquire_record(
        c,
        "breaker/acquire_record/time_window_60x1s",
        &time_window(),
        Duration::from_millis(1),
    );
    // 10 ms apart: a bucket rotates every 100 calls.
    acquire_record(
        c,
        "breaker/acquire_record/time_window_60x1s_sparse",
        &time_window(),
        Duration::from_millis(10),
    );
    acquire_record(
        c,
        "breaker/acquire_record/consecutive",
        &presets::gobreaker(),
        micro,
    );
}

fn report_memory() {
    for (name, options) in [
        ("count window 100", count_window()),
        ("time window 60 x 1 s", time_window()),
        ("consecutive (gobreaker)", presets::gobreaker()),
    ] {
        let breaker = Breaker::new(&options).unwrap();
        let inline = core::mem::size_of::<Breaker>();
        let heap = breaker.heap_bytes();
        println!(
            "memory per breaker, {name}: {inline} B inline + {heap} B heap = {} B",
            inline + heap
        );
    }
}

criterion_group!(breaker_benches, benches);

fn main() {
    report_memory();
    breaker_benches();
    Criterion::default().configure_from_args().final_summary();
}
