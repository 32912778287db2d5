use super::*;

#[test]
fn opens_when_failure_rate_reaches_threshold_at_minimum_calls() {
    let mut b = breaker(count_window(10, 4));
    call(&mut b, ms(0), Outcome::success());
    call(&mut b, ms(0), Outcome::failure());
    call(&mut b, ms(0), Outcome::success());
    assert_eq!(b.state(), State::Closed, "3 calls: below the minimum of 4");
    call(&mut b, ms(0), Outcome::failure());
    // 2 / 4 = 50 % ≥ 50 %.
    assert_eq!(b.state(), State::Open);
    assert_eq!(
        drain(&mut b),
        [(State::Closed, State::Open, TransitionReason::FailureRate)]
    );
}

#[test]
fn rate_is_undefined_below_minimum_calls() {
    let mut b = breaker(count_window(10, 5));
    for _ in 0..4 {
        call(&mut b, ms(0), Outcome::failure());
    }
    assert_eq!(b.state(), State::Closed);
    let metrics = b.metrics(ms(0));
    assert_eq!(metrics.failure_rate, None);
    assert_eq!(metrics.window_failures, 4);
}

#[test]
fn above_comparison_does_not_trip_at_the_threshold() {
    let mut b = breaker(BreakerOptions {
        threshold_comparison: Comparison::Above,
        ..count_window(4, 4)
    });
    for outcome in [Outcome::failure(), Outcome::success()].repeat(2) {
        call(&mut b, ms(0), outcome);
    }
    assert_eq!(b.state(), State::Closed, "50 % is not above 50 %");
    call(&mut b, ms(0), Outcome::failure());
    assert_eq!(b.state(), State::Closed, "S F S F: still 50 %");
    call(&mut b, ms(0), Outcome::failure());
    assert_eq!(b.state(), State::Open, "F S F F: 75 %");
}

#[test]
fn slow_calls_trip_the_slow_call_rate() {
    let mut b = breaker(BreakerOptions {
        slow_call_rate_threshold: 50.0,
        slow_call_duration_ms: 1_000.0,
        ..count_window(4, 4)
    });
    let second = Duration::from_secs(1);
    // Exactly the slow-call duration is not slow (resilience4j: `>`).
    for _ in 0..3 {
        call(&mut b, ms(0), Outcome::success().took(second));
    }
    call(
        &mut b,
        ms(0),
        Outcome::success().took(second + Duration::from_nanos(1)),
    );
    assert_eq!(b.state(), State::Closed, "1 slow of 4: 25 %");
    call(
        &mut b,
        ms(0),
        Outcome::failure().took(Duration::from_secs(5)),
    );
    assert_eq!(
        drain(&mut b),
        [(State::Closed, State::Open, TransitionReason::SlowCallRate)]
    );
    assert_eq!(b.metrics(ms(0)).slow_calls, 2);
}

#[test]
fn failure_count_trips_inside_a_window() {
    let mut b = breaker(BreakerOptions {
        failure_count_threshold: Some(3),
        failure_rate_threshold: 100.0,
        ..count_window(10, 4)
    });
    for outcome in [
        Outcome::failure(),
        Outcome::success(),
        Outcome::failure(),
        Outcome::success(),
    ] {
        call(&mut b, ms(0), outcome);
    }
    call(&mut b, ms(0), Outcome::failure());
    assert_eq!(
        drain(&mut b),
        [(State::Closed, State::Open, TransitionReason::FailureCount)]
    );
}

#[test]
fn success_ends_a_run_in_the_consecutive_window() {
    let mut b = breaker(presets::pybreaker());
    for _ in 0..4 {
        call(&mut b, ms(0), Outcome::failure());
    }
    call(&mut b, ms(0), Outcome::success());
    for _ in 0..4 {
        call(&mut b, ms(0), Outcome::failure());
    }
    assert_eq!(b.state(), State::Closed);
    call(&mut b, ms(0), Outcome::failure());
    assert_eq!(b.state(), State::Open, "5 in a row");
}

#[test]
fn admits_strictly_after_the_open_deadline() {
    let mut b = breaker(count_window(1, 1));
    call(&mut b, ms(10), Outcome::failure());
    let deadline = ms(1_010);
    assert_eq!(b.poll_timeout(), Some(deadline + Duration::from_nanos(1)));
    let rejected = b.try_acquire(ms(10)).unwrap_err();
    assert_eq!(
        rejected.retry_after,
        Some(Duration::from_secs(1) + Duration::from_nanos(1))
    );
    let rejected = b.try_acquire(deadline).unwrap_err();
    assert_eq!(rejected.state, State::Open);
    assert_eq!(rejected.retry_after, Some(Duration::from_nanos(1)));
    assert!(b.try_acquire(deadline + Duration::from_nanos(1)).is_ok());
    assert_eq!(b.state(), State::HalfOpen);
}

#[test]
fn handle_timeout_moves_to_half_open_without_a_call() {
    let mut b = breaker(count_window(1, 1));
    call(&mut b, ms(0), Outcome::failure());
    let at = b.poll_timeout().unwrap();
    b.handle_timeout(at);
    assert_eq!(b.state(), State::HalfOpen);
    assert_eq!(b.poll_timeout(), None, "no probe leased yet");
}

#[test]
fn open_duration_grows_on_reopening_and_resets_on_close() {
    let mut b = breaker(BreakerOptions {
        open_backoff: Some(crate::backoff::BackoffOptions {
            base_ms: 1_000.0,
            factor: 2.0,
            max_ms: 3_000.0,
            jitter: crate::backoff::Jitter::None,
            ..crate::backoff::BackoffOptions::default()
        }),
        half_open_permits: 1,
        ..count_window(1, 1)
    });
    call(&mut b, ms(0), Outcome::failure());
    let mut now = ms(0);
    for expected_ms in [1_000, 2_000, 3_000, 3_000] {
        let until = b
            .poll_timeout()
            .unwrap()
            .saturating_sub(Duration::from_nanos(1));
        assert_eq!(until - now, Duration::from_millis(expected_ms));
        now = b.poll_timeout().unwrap();
        call(&mut b, now, Outcome::failure()); // the probe fails
    }
    assert_eq!(b.metrics(now).consecutive_openings, 5);
    now = b.poll_timeout().unwrap();
    call(&mut b, now, Outcome::success());
    assert_eq!(b.state(), State::Closed);
    call(&mut b, now, Outcome::failure());
    let until = b
        .poll_timeout()
        .unwrap()
        .saturating_sub(Duration::from_nanos(1));
    assert_eq!(until - now, Duration::from_secs(1), "back to the base");
}

#[test]
fn jittered_open_backoff_uses_the_supplied_draw() {
    let mut b = breaker(BreakerOptions {
        open_backoff: Some(crate::backoff::BackoffOptions {
            base_ms: 1_000.0,
            jitter: crate::backoff::Jitter::Full,
            ..crate::backoff::BackoffOptions::default()
        }),
        ..count_window(1, 1)
    });
    b.set_open_draw(0.25);
    call(&mut b, ms(0), Outcome::failure());
    // Full jitter of the first delay (1000 ms) with u = 0.25.
    assert_eq!(b.poll_timeout(), Some(ms(250) + Duration::from_nanos(1)));
    b.set_open_draw(f64::NAN);
    b.reset(ms(1));
    call(&mut b, ms(1), Outcome::failure());
    assert_eq!(
        b.poll_timeout(),
        Some(ms(1) + Duration::from_nanos(1)),
        "NaN → 0"
    );
}

#[test]
fn trip_for_opens_until_the_hint_and_never_shortens() {
    let mut b = breaker(BreakerOptions::default());
    b.trip_for(ms(100), Duration::from_secs(30));
    assert_eq!(
        drain(&mut b),
        [(State::Closed, State::Open, TransitionReason::TripFor)]
    );
    b.trip_for(ms(200), Duration::from_secs(1));
    let rejected = b.try_acquire(ms(200)).unwrap_err();
    assert_eq!(
        rejected.retry_after,
        Some(Duration::from_millis(29_900) + Duration::from_nanos(1))
    );
    b.trip_for(ms(200), Duration::from_secs(60));
    assert_eq!(b.poll_timeout(), Some(ms(60_200) + Duration::from_nanos(1)));
    assert_eq!(drain(&mut b), []);
    assert_eq!(b.metrics(ms(200)).consecutive_openings, 0);
}

#[test]
fn manual_controls_override_the_window() {
    let mut b = breaker(count_window(1, 1));
    b.force_open(ms(0));
    let rejected = b.try_acquire(ms(0)).unwrap_err();
    assert_eq!(
        (rejected.state, rejected.retry_after),
        (State::ForcedOpen, None)
    );
    assert_eq!(b.poll_timeout(), None);
    b.trip_for(ms(0), Duration::from_secs(1));
    assert_eq!(b.state(), State::ForcedOpen, "tripFor leaves manual states");

    b.disable(ms(1));
    call(&mut b, ms(1), Outcome::failure());
    assert_eq!(b.state(), State::Disabled);

    b.metrics_only(ms(2));
    call(&mut b, ms(2), Outcome::failure());
    assert_eq!(b.state(), State::MetricsOnly);
    assert_eq!(b.metrics(ms(2)).failure_rate, Some(100.0));

    b.reset(ms(3));
    assert_eq!(b.state(), State::Closed);
    assert_eq!(
        drain(&mut b),
        [
            (
                State::Closed,
                State::ForcedOpen,
                TransitionReason::ForcedOpen
            ),
            (
                State::ForcedOpen,
                State::Disabled,
                TransitionReason::Disabled
            ),
            (
                State::Disabled,
                State::MetricsOnly,
                TransitionReason::MetricsOnly
            ),
            (State::MetricsOnly, State::Closed, TransitionReason::Reset),
        ]
    );
    b.force_open(ms(4));
    b.force_open(ms(4));
    assert_eq!(drain(&mut b).len(), 1, "no transition to the same state");
}

#[test]
fn reset_while_closed_empties_the_window_and_retires_permits() {
    let mut b = breaker(count_window(4, 1));
    call(&mut b, ms(0), Outcome::success());
    let permit = b.try_acquire(ms(0)).unwrap();
    b.reset(ms(1));
    assert_eq!(b.metrics(ms(1)).window_calls, 0);
    assert_eq!(
        b.record(ms(1), permit, Outcome::failure()),
        Ok(Recorded::Late)
    );
    assert_eq!(drain(&mut b), []);
}

#[test]
fn metrics_add_up_and_time_is_split_by_state() {
    let mut b = breaker(count_window(2, 2));
    call(&mut b, ms(0), Outcome::success());
    call(&mut b, ms(0), Outcome::ignored());
    call(&mut b, ms(500), Outcome::failure());
    assert_eq!(b.state(), State::Open);
    assert!(b.try_acquire(ms(700)).is_err());
    let m = b.metrics(ms(1_500));
    assert_eq!((m.admitted, m.rejected, m.calls), (3, 1, 2));
    assert_eq!((m.successes, m.failures, m.ignored), (1, 1, 1));
    assert_eq!(m.time_in(State::Closed), Duration::from_millis(500));
    assert_eq!(m.time_in(State::Open), Duration::from_millis(1_000));
    assert_eq!(m.failure_rate, Some(50.0), "window kept while open");
    assert_eq!(m.transitions, 1);
}

#[test]
fn unknown_permits_are_rejected_without_effect() {
    let mut b = breaker(count_window(4, 1));
    assert_eq!(
        b.record(ms(0), Permit::from_parts(0, 0), Outcome::failure()),
        Err(PermitError::Unknown)
    );
    assert_eq!(
        b.record(ms(0), Permit::from_parts(7, 0), Outcome::failure()),
        Err(PermitError::Unknown)
    );
    assert_eq!(b.metrics(ms(0)).calls, 0);
}

#[test]
fn recording_a_permit_twice_is_reported() {
    let mut b = breaker(count_window(4, 4));
    let permit = b.try_acquire(ms(0)).unwrap();
    let (generation, id) = (permit.generation(), permit.id());
    assert_eq!(
        b.record(ms(1), permit, Outcome::failure()),
        Ok(Recorded::Counted)
    );
    let again = Permit::from_parts(generation, id);
    let err = b.record(ms(2), again, Outcome::failure()).unwrap_err();
    assert_eq!(
        (err, err.code()),
        (PermitError::Reused, "ERR_PERMIT_REUSED")
    );
    assert_eq!(b.metrics(ms(2)).failures, 1);
}

#[test]
fn extreme_times_never_panic() {
    let mut b = breaker(BreakerOptions {
        window_type: WindowType::Time,
        ..count_window(1, 1)
    });
    call(&mut b, Instant::MAX, Outcome::failure());
    assert_eq!(b.state(), State::Open);
    let rejected = b.try_acquire(Instant::ZERO).unwrap_err();
    assert_eq!(rejected.retry_after, Some(Duration::from_nanos(1)));
    assert_eq!(b.poll_timeout(), None, "deadline saturated at Instant::MAX");
    b.trip_for(Instant::MAX, Duration::MAX);
    b.handle_timeout(Instant::MAX);
    assert_eq!(b.state(), State::Open);
}

#[test]
fn memory_of_a_sixty_bucket_time_window_breaker() {
    let b = breaker(BreakerOptions {
        window_type: WindowType::Time,
        window_ms: 60_000.0,
        bucket_ms: 1_000.0,
        ..BreakerOptions::default()
    });
    // 60 buckets × 12 bytes + 10 probe slots × 16 bytes.
    assert_eq!(b.heap_bytes(), 720 + 160);
    let size = core::mem::size_of::<Breaker>();
    assert!(size <= 600, "size_of::<Breaker>() = {size}");
}
