//! One scenario per peer bug in the reference, handled correctly here.

use super::*;

fn time_window(window_ms: f64, minimum: u32) -> BreakerOptions {
    BreakerOptions {
        window_type: WindowType::Time,
        window_ms,
        bucket_ms: 1_000.0,
        minimum_calls: minimum,
        ..BreakerOptions::default()
    }
}

/// cockatiel #64: rotating one bucket per call keeps failures from before a
/// long idle period.
#[test]
fn stale_failures_expire_after_idle() {
    let mut b = breaker(time_window(10_000.0, 5));
    for i in 0..4 {
        call(&mut b, ms(i * 100), Outcome::failure());
    }
    call(&mut b, ms(1_000_000), Outcome::failure());
    assert_eq!(b.state(), State::Closed, "one call in the window: below 5");
    assert_eq!(b.metrics(ms(1_000_000)).window_calls, 1);
}

/// resilience4j #903, Polly #1979, gobreaker: a probe that never reports
/// must not keep the breaker half-open (and rejecting) forever.
#[test]
fn probe_that_never_reports_expires() {
    let mut b = breaker(BreakerOptions {
        half_open_permits: 1,
        probe_lease_ms: 10_000.0,
        ..count_window(1, 1)
    });
    call(&mut b, ms(0), Outcome::failure());
    let probe_time = b.poll_timeout().unwrap();
    // The caller holds the permit and never reports.
    let _never_reported = b.try_acquire(probe_time).unwrap();
    assert!(b.try_acquire(probe_time + Duration::from_secs(9)).is_err());
    assert!(b.try_acquire(probe_time + Duration::from_secs(10)).is_ok());
}

/// resilience4j #1432: a result admitted in one state must not be counted
/// in the next.
#[test]
fn late_result_from_previous_state_is_ignored() {
    let mut b = breaker(BreakerOptions {
        half_open_permits: 1,
        ..count_window(2, 2)
    });
    let slow_call = b.try_acquire(ms(0)).unwrap();
    call(&mut b, ms(0), Outcome::failure());
    call(&mut b, ms(0), Outcome::failure());
    assert_eq!(b.state(), State::Open);
    let at = b.poll_timeout().unwrap();
    let probe = b.try_acquire(at).unwrap();
    // The call from the closed state fails late, while the probe is out.
    assert_eq!(
        b.record(at, slow_call, Outcome::failure()),
        Ok(Recorded::Late)
    );
    assert_eq!(b.state(), State::HalfOpen);
    b.record(at, probe, Outcome::success()).unwrap();
    assert_eq!(b.state(), State::Closed);
    assert_eq!(b.metrics(at).late_results, 1);
}

/// opossum: the window was not reset on closing, so the first failure after
/// recovery reopened the breaker.
#[test]
fn first_failure_after_recovery_does_not_reopen() {
    let mut b = breaker(BreakerOptions {
        half_open_permits: 1,
        ..count_window(4, 2)
    });
    call(&mut b, ms(0), Outcome::failure());
    call(&mut b, ms(0), Outcome::failure());
    let at = b.poll_timeout().unwrap();
    call(&mut b, at, Outcome::success());
    assert_eq!(b.state(), State::Closed);
    call(&mut b, at, Outcome::failure());
    assert_eq!(b.state(), State::Closed, "fresh window: 1 call < minimum 2");
    assert_eq!(b.metrics(at).window_calls, 1);
}

/// opossum: rejected calls were counted in the failure rate's denominator.
#[test]
fn rejections_are_not_failures() {
    let mut b = breaker(BreakerOptions {
        half_open_permits: 1,
        ..count_window(4, 4)
    });
    for _ in 0..4 {
        call(&mut b, ms(0), Outcome::failure());
    }
    for i in 0..50 {
        assert!(b.try_acquire(ms(i)).is_err());
    }
    let m = b.metrics(ms(50));
    assert_eq!((m.rejected, m.failures, m.window_calls), (50, 4, 4));
    assert_eq!(m.failure_rate, Some(100.0));
}

/// resilience4j used the wall clock: a backwards step evicted or resurrected
/// samples. Here `now` is clamped.
#[test]
fn backwards_clock_does_not_resurrect_samples() {
    let mut b = breaker(time_window(10_000.0, 3));
    call(&mut b, ms(5_000), Outcome::failure());
    call(&mut b, ms(5_000), Outcome::failure());
    assert_eq!(b.metrics(ms(15_000)).window_calls, 0, "expired");
    // The clock steps back to when the failures were recent.
    call(&mut b, ms(5_500), Outcome::failure());
    assert_eq!(b.state(), State::Closed, "old failures stay expired");
    let m = b.metrics(ms(0));
    assert_eq!((m.window_calls, m.window_failures), (1, 1));
}

#[test]
fn backwards_clock_does_not_shorten_the_open_state() {
    let mut b = breaker(count_window(1, 1));
    call(&mut b, ms(10_000), Outcome::failure());
    let rejected = b.try_acquire(ms(0)).unwrap_err();
    assert_eq!(
        rejected.retry_after,
        Some(Duration::from_secs(1) + Duration::from_nanos(1)),
        "measured from the latest time seen, not from the stepped-back clock"
    );
}

/// pybreaker held its lock during the protected call. Here the breaker is
/// consulted before and after, so calls overlap freely.
#[test]
fn calls_overlap_between_acquire_and_record() {
    let mut b = breaker(count_window(10, 10));
    let permits: alloc::vec::Vec<Permit> = (0..5).map(|i| b.try_acquire(ms(i)).unwrap()).collect();
    for (i, permit) in permits.into_iter().rev().enumerate() {
        let at = ms(10 + i as u64);
        assert_eq!(
            b.record(at, permit, Outcome::success()),
            Ok(Recorded::Counted)
        );
    }
    assert_eq!(b.metrics(ms(20)).window_calls, 5);
}

/// gobreaker #37: callbacks under the breaker's lock can deadlock. Here
/// transitions are data, drained after the fact, in order.
#[test]
fn transitions_come_out_as_ordered_data() {
    let mut b = breaker(BreakerOptions {
        half_open_permits: 1,
        ..count_window(1, 1)
    });
    call(&mut b, ms(0), Outcome::failure());
    let at = b.poll_timeout().unwrap();
    call(&mut b, at, Outcome::success());
    let transitions: alloc::vec::Vec<Transition> =
        core::iter::from_fn(|| b.poll_transition()).collect();
    assert_eq!(transitions.len(), 3);
    assert_eq!(transitions[0].at, ms(0));
    assert_eq!(transitions[1].reason, TransitionReason::OpenDurationElapsed);
    assert_eq!(transitions[2].to, State::Closed);
    assert!(transitions.iter().all(|t| t.reason.allowed_from(t.from)));
}
