//! Hot-path cost of the backoff engine (target: a few nanoseconds per delay).
#![allow(missing_docs)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use stormguard::backoff::{Backoff, BackoffOptions, BackoffState, presets};

/// Attempts and draws cycled through so the branch predictor sees a mix,
/// including attempts far past the cap.
const INPUTS: [(u32, f64); 8] = [
    (1, 0.13),
    (2, 0.71),
    (3, 0.42),
    (5, 0.99),
    (8, 0.05),
    (13, 0.58),
    (40, 0.27),
    (u32::MAX, 0.86),
];

fn delay(c: &mut Criterion) {
    let exponential_full = Backoff::new(&BackoffOptions::default()).unwrap();
    let redis_py_ewj = Backoff::new(&presets::redis_py_client_default()).unwrap();
    let polly = Backoff::new(&presets::polly_v2(200.0)).unwrap();

    c.bench_function("delay/exponential_full_jitter", |b| {
        let mut i = 0usize;
        b.iter(|| {
            i = (i + 1) % INPUTS.len();
            let (attempt, u) = INPUTS.get(i).copied().unwrap_or((1, 0.5));
            exponential_full.delay(black_box(attempt), black_box(u))
        });
    });

    // The same eight delays per iteration, so the harness (index, input
    // loads) is paid once per eight calls: time per delay = time / 8.
    let mut group = c.benchmark_group("delay_x8");
    group.throughput(Throughput::Elements(INPUTS.len() as u64));
    group.bench_function("exponential_full_jitter", |b| {
        b.iter(|| {
            for &(attempt, u) in black_box(&INPUTS) {
                black_box(exponential_full.delay(attempt, u));
            }
        });
    });
    group.bench_function("redis_py_exponential_with_jitter", |b| {
        b.iter(|| {
            for &(attempt, u) in black_box(&INPUTS) {
                black_box(redis_py_ewj.delay(attempt, u));
            }
        });
    });
    group.finish();

    c.bench_function("delay/redis_py_exponential_with_jitter", |b| {
        let mut i = 0usize;
        b.iter(|| {
            i = (i + 1) % INPUTS.len();
            let (attempt, u) = INPUTS.get(i).copied().unwrap_or((1, 0.5));
            redis_py_ewj.delay(black_box(attempt), black_box(u))
        });
    });

    c.bench_function("next_delay/polly_v2", |b| {
        let mut state = BackoffState::default();
        let mut attempt = 0u32;
        b.iter(|| {
            // A Polly execution: three retries, then a fresh state.
            attempt += 1;
            if attempt > 3 {
                attempt = 1;
                state = BackoffState::default();
            }
            let u = INPUTS.get(attempt as usize).map_or(0.5, |input| input.1);
            polly.next_delay(&mut state, black_box(attempt), black_box(u))
        });
    });
}

criterion_group!(benches, delay);
criterion_main!(benches);
