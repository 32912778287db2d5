//! Hot paths never allocate: a counting global allocator watches every
//! decision call after construction.
//!
//! One test function only, so no other test thread allocates while counting.
#![allow(unsafe_code, missing_docs, clippy::unwrap_used)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use stormguard::backoff::{Backoff, BackoffOptions, BackoffState, Schedule};
use stormguard::breaker::{Breaker, BreakerOptions, Outcome, WindowType};
use stormguard::budget::{RetryBudget, RetryBudgetOptions, RetryKind};
use stormguard::bulkhead::{Admission, Bulkhead, BulkheadOptions};
use stormguard::classify::{HttpClassifier, HttpOutcome, classify_errno, classify_redis};
use stormguard::policy::{Failure, Guards, Policy, PolicyOptions};
use stormguard::retry_after::{HintHeader, UnixTime, parse_hint};
use stormguard::{Instant, SeededRng};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards every call to the system allocator unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System.alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations_during(work: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    work();
    ALLOCATIONS.load(Ordering::Relaxed) - before
}

fn ms(n: u64) -> Instant {
    Instant::from_nanos(n.saturating_mul(1_000_000))
}

#[test]
fn decisions_after_construction_allocate_nothing() {
    // Construction may allocate; everything after it must not.
    let exponential = Backoff::new(&BackoffOptions::default()).unwrap();
    let polly = Backoff::new(&BackoffOptions {
        schedule: Schedule::PollyV2,
        ..BackoffOptions::default()
    })
    .unwrap();
    let mut budget = RetryBudget::new(&RetryBudgetOptions::default()).unwrap();
    let mut policy = Policy::new(&PolicyOptions::default()).unwrap();
    let mut bulkhead = Bulkhead::new(&BulkheadOptions::default()).unwrap();
    let http = HttpClassifier::default();
    let mut rng = SeededRng::from_seed_u64(1);
    let mut breaker = Breaker::new(&BreakerOptions {
        window_type: WindowType::Time,
        window_ms: 10_000.0,
        minimum_calls: 5,
        half_open_permits: 2,
        open_duration_ms: 100.0,
        ..BreakerOptions::default()
    })
    .unwrap();

    let count = allocations_during(|| {
        let mut state = BackoffState::default();
        for attempt in [0, 1, 2, 30, u32::MAX] {
            let u = rng.next_unit();
            std::hint::black_box(exponential.delay(attempt, u));
            std::hint::black_box(polly.next_delay(&mut state, attempt, u));
        }
        for t in 0..2_000 {
            budget.on_request(ms(t));
            std::hint::black_box(budget.try_retry(ms(t), RetryKind::Other).ok());
        }
        std::hint::black_box(budget.balance(ms(5_000)));
        for t in 0..100 {
            let mut execution = policy.start(ms(t), Some(&mut budget));
            let decision = policy.on_failure(
                &mut execution,
                ms(t),
                &Failure::retriable(),
                rng.next_unit(),
                Guards {
                    budget: Some(&mut budget),
                    breaker: Some(&breaker),
                },
            );
            std::hint::black_box(decision);
            policy.on_success(&mut execution, ms(t + 1), Some(&mut budget));
        }
        let now = UnixTime::from_millis(1_700_000_000_000);
        for value in ["120", "Sun, 06 Nov 1994 08:49:37 GMT", "junk", ""] {
            std::hint::black_box(parse_hint(HintHeader::RetryAfter, value, now).ok());
        }
        std::hint::black_box(classify_redis(
            "LOADING Redis is loading the dataset in memory",
        ));
        std::hint::black_box(classify_errno("ECONNRESET"));
        std::hint::black_box(http.classify(&HttpOutcome {
            status: Some(503),
            method: "post",
            has_idempotency_key: true,
            reached_server: true,
        }));
        for t in 0..2_000 {
            if let Ok(permit) = breaker.try_acquire(ms(t)) {
                let outcome = if t % 3 == 0 {
                    Outcome::failure()
                } else {
                    Outcome::success()
                };
                std::hint::black_box(breaker.record(ms(t), permit, outcome).ok());
            }
            std::hint::black_box(breaker.poll_timeout());
            while breaker.poll_transition().is_some() {}
        }
        std::hint::black_box(breaker.metrics(ms(3_000)));
        for t in 0..100 {
            if let Admission::Admitted(permit) = bulkhead.try_enter(ms(t)) {
                std::hint::black_box(bulkhead.release(ms(t), permit).ok());
            }
        }
    });
    assert_eq!(count, 0, "hot paths allocated {count} times");
}
