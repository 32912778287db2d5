use super::*;

fn busy_breaker() -> (Breaker, BreakerOptions, Permit) {
    let options = BreakerOptions {
        window_type: WindowType::Time,
        window_ms: 10_000.0,
        minimum_calls: 2,
        half_open_permits: 2,
        open_duration_ms: 1_000.0,
        ..BreakerOptions::default()
    };
    let mut b = breaker(options.clone());
    call(&mut b, ms(0), Outcome::success());
    call(&mut b, ms(500), Outcome::failure());
    let at = b.poll_timeout().unwrap();
    let probe = b.try_acquire(at).unwrap();
    (b, options, probe)
}

#[test]
fn restored_breaker_continues_where_it_left_off() {
    let (mut original, options, probe) = busy_breaker();
    let mut restored = Breaker::restore(&options, original.snapshot()).unwrap();
    assert_eq!(restored, original);
    let (generation, id) = (probe.generation(), probe.id());
    let at = ms(2_000);
    assert_eq!(
        original.record(at, probe, Outcome::success()),
        restored.record(at, Permit::from_parts(generation, id), Outcome::success())
    );
    for b in [&mut original, &mut restored] {
        call(b, at, Outcome::success());
    }
    assert_eq!(restored.state(), State::Closed);
    assert_eq!(restored, original);
    assert_eq!(drain(&mut restored), drain(&mut original));
}

#[cfg(feature = "serde")]
#[test]
fn snapshot_survives_json() {
    let (original, options, _probe) = busy_breaker();
    let json = serde_json::to_string(&original.snapshot()).unwrap();
    let snapshot: BreakerSnapshot = serde_json::from_str(&json).unwrap();
    assert_eq!(Breaker::restore(&options, snapshot).unwrap(), original);
}

#[test]
fn unknown_version_is_a_typed_error() {
    let (original, options, _probe) = busy_breaker();
    let mut snapshot = original.snapshot();
    snapshot.version = 2;
    let err = Breaker::restore(&options, snapshot).unwrap_err();
    assert_eq!(err, SnapshotError::UnsupportedVersion { version: 2 });
    assert_eq!(err.code(), "ERR_SNAPSHOT_VERSION");
}

#[test]
fn different_window_shape_is_a_mismatch() {
    let (original, options, _probe) = busy_breaker();
    let other = BreakerOptions {
        bucket_ms: 500.0,
        ..options.clone()
    };
    assert!(matches!(
        Breaker::restore(&other, original.snapshot()),
        Err(SnapshotError::OptionsMismatch { .. })
    ));
    let other = BreakerOptions {
        half_open_permits: 3,
        ..options
    };
    assert_eq!(
        Breaker::restore(&other, original.snapshot()),
        Err(SnapshotError::OptionsMismatch {
            field: "halfOpenPermits"
        })
    );
}

#[test]
fn conclusive_half_open_tally_is_corrupt() {
    let (original, options, _probe) = busy_breaker();
    // One probe leased and two reported: more than the two permits, so the
    // rate rule would already have decided.
    let mut snapshot = original.snapshot();
    snapshot.phase = Phase::HalfOpen {
        tally: state::Tally {
            in_flight: 1,
            successes: 1,
            failures: 1,
            slow: 0,
        },
    };
    assert!(matches!(
        Breaker::restore(&options, snapshot),
        Err(SnapshotError::Corrupt { .. })
    ));
}
