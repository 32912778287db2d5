//! Behaviour tests for the breaker; `peer_bugs` reproduces each peer bug
//! listed in the reference as a scenario handled correctly.

mod admission;
mod behaviour;
mod half_open;
mod peer_bugs;
mod snapshots;

use super::*;

pub(super) fn ms(ms: u64) -> Instant {
    Instant::from_nanos(ms * 1_000_000)
}

pub(super) fn breaker(options: BreakerOptions) -> Breaker {
    Breaker::new(&options).unwrap()
}

/// A count window of `size` calls with `minimum` calls, other fields default.
pub(super) fn count_window(size: u32, minimum: u32) -> BreakerOptions {
    BreakerOptions {
        window_size: size,
        minimum_calls: minimum,
        open_duration_ms: 1_000.0,
        ..BreakerOptions::default()
    }
}

/// Acquires and records `outcome` at `at`, expecting both to succeed.
pub(super) fn call(breaker: &mut Breaker, at: Instant, outcome: Outcome) -> Recorded {
    let permit = breaker.try_acquire(at).expect("admitted");
    breaker.record(at, permit, outcome).expect("valid permit")
}

pub(super) fn drain(breaker: &mut Breaker) -> alloc::vec::Vec<(State, State, TransitionReason)> {
    core::iter::from_fn(|| breaker.poll_transition())
        .map(|t| (t.from, t.to, t.reason))
        .collect()
}
