#![allow(missing_docs)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

//! Cost of one budget decision on the hot path.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use stormguard::Instant;
use stormguard::budget::{
    RatioBudget, RatioBudgetOptions, RetryBudget, RetryBudgetOptions, RetryKind, RetryQuota,
    RetryQuotaOptions, TokenBucket, TokenBucketOptions,
};

/// 37 µs per step: crosses a 1 s slot every ~27 000 iterations.
const STEP_NANOS: u64 = 37_000;

fn ratio(c: &mut Criterion) {
    let mut budget = RatioBudget::new(&RatioBudgetOptions::default()).unwrap();
    let mut now = 0_u64;
    c.bench_function("ratio deposit + try_withdraw", |b| {
        b.iter(|| {
            now += STEP_NANOS;
            let at = Instant::from_nanos(now);
            budget.deposit(black_box(at));
            black_box(budget.try_withdraw(black_box(at)))
        });
    });

    // Every call lands in a new slot: the slow path (clears one slot).
    let mut budget = RatioBudget::new(&RatioBudgetOptions::default()).unwrap();
    let mut now = 0_u64;
    c.bench_function("ratio deposit + try_withdraw, new slot each call", |b| {
        b.iter(|| {
            now += 1_000_000_001;
            let at = Instant::from_nanos(now);
            budget.deposit(black_box(at));
            black_box(budget.try_withdraw(black_box(at)))
        });
    });

    let mut budget = RetryBudget::new(&RetryBudgetOptions::default()).unwrap();
    let mut now = 0_u64;
    c.bench_function("RetryBudget::Ratio on_request + try_retry", |b| {
        b.iter(|| {
            now += STEP_NANOS;
            let at = Instant::from_nanos(now);
            budget.on_request(black_box(at));
            black_box(budget.try_retry(black_box(at), RetryKind::Other).is_ok())
        });
    });
}

fn token_bucket(c: &mut Criterion) {
    let mut bucket = TokenBucket::new(&TokenBucketOptions::default()).unwrap();
    c.bench_function("token bucket try_withdraw", |b| {
        b.iter(|| black_box(bucket.try_withdraw(black_box(Instant::ZERO))));
    });
    c.bench_function("token bucket failure + decision + success", |b| {
        b.iter(|| {
            bucket.on_failure(black_box(Instant::ZERO));
            let allowed = bucket.try_withdraw(black_box(Instant::ZERO));
            bucket.on_success(black_box(Instant::ZERO));
            black_box(allowed)
        });
    });
}

fn quota(c: &mut Criterion) {
    let mut quota = RetryQuota::new(&RetryQuotaOptions::aws_classic()).unwrap();
    c.bench_function("quota try_acquire + refund", |b| {
        b.iter(|| {
            let permit = quota.try_acquire(black_box(Instant::ZERO), black_box(RetryKind::Timeout));
            quota.on_success(black_box(Instant::ZERO), black_box(permit.ok()));
        });
    });
    let mut budget =
        RetryBudget::new(&RetryBudgetOptions::Quota(RetryQuotaOptions::default())).unwrap();
    c.bench_function("RetryBudget::Quota try_retry + on_success", |b| {
        b.iter(|| {
            let permit = budget.try_retry(black_box(Instant::ZERO), black_box(RetryKind::Other));
            budget.on_success(black_box(Instant::ZERO), black_box(permit.ok()));
        });
    });
}

criterion_group!(benches, ratio, token_bucket, quota);
criterion_main!(benches);
