use super::*;

/// Opens a breaker with a 1-call window at t = 0 and returns the first
/// instant at which it admits probes.
fn opened(options: BreakerOptions) -> (Breaker, Instant) {
    let mut b = breaker(BreakerOptions {
        window_size: 1,
        minimum_calls: 1,
        open_duration_ms: 1_000.0,
        ..options
    });
    call(&mut b, ms(0), Outcome::failure());
    let at = b.poll_timeout().unwrap();
    drain(&mut b);
    (b, at)
}

#[test]
fn half_open_never_admits_more_than_its_permits() {
    let (mut b, at) = opened(BreakerOptions {
        half_open_permits: 3,
        probe_lease_ms: 500.0,
        ..BreakerOptions::default()
    });
    let probes: alloc::vec::Vec<Permit> = (0..3).map(|_| b.try_acquire(at).unwrap()).collect();
    let rejected = b.try_acquire(at).unwrap_err();
    assert_eq!(rejected.state, State::HalfOpen);
    assert_eq!(rejected.retry_after, Some(Duration::from_millis(500)));
    assert_eq!(b.metrics(at).probes_in_flight, 3);
    drop(probes);
}

#[test]
fn admits_at_tells_when_the_next_call_would_pass() {
    let (mut b, at) = opened(BreakerOptions {
        half_open_permits: 1,
        probe_lease_ms: 500.0,
        ..BreakerOptions::default()
    });
    assert_eq!(b.admits_at(), Some(at), "open: strictly after the deadline");
    let probe = b.try_acquire(at).unwrap();
    assert_eq!(
        b.admits_at(),
        Some(at + Duration::from_millis(500)),
        "lease end"
    );
    b.record(at, probe, Outcome::success()).unwrap();
    assert_eq!(b.admits_at(), Some(at), "closed: now");
    b.force_open(at);
    assert_eq!(b.admits_at(), None);
}

#[test]
fn closes_when_probe_failure_rate_is_below_threshold() {
    let (mut b, at) = opened(BreakerOptions {
        half_open_permits: 3,
        ..BreakerOptions::default()
    });
    let probes: alloc::vec::Vec<Permit> = (0..3).map(|_| b.try_acquire(at).unwrap()).collect();
    let mut outcomes = [Outcome::success(), Outcome::failure(), Outcome::success()].into_iter();
    for probe in probes {
        b.record(at, probe, outcomes.next().unwrap()).unwrap();
    }
    // 1 / 3 = 33 % < 50 %, decided only once all three reported.
    assert_eq!(
        drain(&mut b),
        [
            (
                State::Open,
                State::HalfOpen,
                TransitionReason::OpenDurationElapsed
            ),
            (
                State::HalfOpen,
                State::Closed,
                TransitionReason::ProbesSucceeded
            ),
        ]
    );
}

#[test]
fn reopens_when_probe_failure_rate_reaches_threshold() {
    let (mut b, at) = opened(BreakerOptions {
        half_open_permits: 2,
        ..BreakerOptions::default()
    });
    let first = b.try_acquire(at).unwrap();
    let second = b.try_acquire(at).unwrap();
    b.record(at, first, Outcome::failure()).unwrap();
    assert_eq!(
        b.state(),
        State::HalfOpen,
        "rate mode waits for every probe"
    );
    b.record(at, second, Outcome::success()).unwrap();
    assert_eq!(b.state(), State::Open, "1 / 2 = 50 % ≥ 50 %");
}

#[test]
fn successes_mode_reopens_on_first_failure() {
    let (mut b, at) = opened(BreakerOptions {
        half_open_permits: 3,
        half_open_decision: HalfOpenDecision::Successes,
        ..BreakerOptions::default()
    });
    let first = b.try_acquire(at).unwrap();
    let second = b.try_acquire(at).unwrap();
    b.record(at, first, Outcome::success()).unwrap();
    b.record(at, second, Outcome::failure()).unwrap();
    assert_eq!(b.state(), State::Open);
}

#[test]
fn successes_mode_closes_after_all_permits_succeed() {
    let (mut b, at) = opened(BreakerOptions {
        half_open_permits: 2,
        half_open_decision: HalfOpenDecision::Successes,
        ..BreakerOptions::default()
    });
    call(&mut b, at, Outcome::success());
    assert_eq!(b.state(), State::HalfOpen);
    call(&mut b, at, Outcome::success());
    assert_eq!(b.state(), State::Closed);
}

#[test]
fn ignored_outcome_releases_a_probe_permit_without_counting() {
    let (mut b, at) = opened(BreakerOptions {
        half_open_permits: 1,
        ..BreakerOptions::default()
    });
    let probe = b.try_acquire(at).unwrap();
    assert!(b.try_acquire(at).is_err());
    assert_eq!(
        b.record(at, probe, Outcome::ignored()),
        Ok(Recorded::Released)
    );
    assert_eq!(b.state(), State::HalfOpen);
    call(&mut b, at, Outcome::success());
    assert_eq!(b.state(), State::Closed);
}

#[test]
fn expired_probe_frees_its_slot_and_its_result_is_late() {
    let (mut b, at) = opened(BreakerOptions {
        half_open_permits: 1,
        probe_lease_ms: 2_000.0,
        ..BreakerOptions::default()
    });
    let lost = b.try_acquire(at).unwrap();
    let lease_end = at + Duration::from_secs(2);
    assert_eq!(b.poll_timeout(), Some(lease_end));
    assert!(
        b.try_acquire(lease_end.saturating_sub(Duration::from_nanos(1)))
            .is_err()
    );
    b.handle_timeout(lease_end);
    assert_eq!(b.metrics(lease_end).expired_probes, 1);
    let fresh = b.try_acquire(lease_end).unwrap();
    assert_eq!(
        b.record(lease_end, lost, Outcome::success()),
        Ok(Recorded::Late)
    );
    assert_eq!(
        b.state(),
        State::HalfOpen,
        "the late success decided nothing"
    );
    b.record(lease_end, fresh, Outcome::success()).unwrap();
    assert_eq!(b.state(), State::Closed);
}

#[test]
fn trip_for_reopens_from_half_open_and_retires_probes() {
    let (mut b, at) = opened(BreakerOptions::default());
    let probe = b.try_acquire(at).unwrap();
    b.trip_for(at, Duration::from_secs(5));
    assert_eq!(b.state(), State::Open);
    assert_eq!(b.record(at, probe, Outcome::success()), Ok(Recorded::Late));
    assert_eq!(
        b.poll_timeout(),
        Some(at + Duration::from_secs(5) + Duration::from_nanos(1))
    );
}
