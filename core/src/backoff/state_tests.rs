//! Stateful schedules (decorrelated, pollyV2), giving up, and state snapshots.

extern crate std;

use super::tests::{build, ms, no_jitter};
use super::*;
use crate::SeededRng;

/// The delays of attempts `1..=count` run on one fresh state.
fn sequence(backoff: &Backoff, draws: &[f64]) -> alloc::vec::Vec<f64> {
    let mut state = BackoffState::default();
    (1..)
        .zip(draws)
        .map(|(attempt, &u)| {
            ms(backoff
                .next_delay(&mut state, attempt, u)
                .expect("no limit"))
        })
        .collect()
}

#[test]
fn decorrelated_starts_where_its_option_says_and_stays_under_the_cap() {
    let aws = BackoffOptions {
        base_ms: 10.0,
        max_ms: 100.0,
        ..no_jitter(Schedule::Decorrelated)
    };
    // sleep = min(cap, U(base, 3 × sleep)), sleep₀ = base.
    assert_eq!(
        sequence(&build(aws.clone()), &[0.5, 0.5, 0.5, 0.0, 0.99]),
        [20.0, 35.0, 57.5, 10.0, 29.8]
    );
    let redis_py = BackoffOptions {
        decorrelated_start: DecorrelatedStart::Zero,
        ..aws.clone()
    };
    // prev₀ = 0: the first delay is base whatever the draw.
    assert_eq!(
        sequence(&build(redis_py), &[0.9, 0.5, 0.5]),
        [10.0, 20.0, 35.0]
    );
    let backoff = build(aws);
    let mut state = BackoffState::default();
    let mut rng = SeededRng::from_seed_u64(5);
    for attempt in 1..=10_000 {
        let delay = backoff.next_delay_with_rng(&mut state, attempt, &mut rng);
        let delay = ms(delay.expect("unlimited"));
        assert!((10.0..=100.0).contains(&delay), "{delay}");
    }
}

#[test]
fn decorrelated_pure_delay_is_the_first_step_of_a_fresh_state() {
    let backoff = build(BackoffOptions {
        base_ms: 10.0,
        ..no_jitter(Schedule::Decorrelated)
    });
    assert_eq!(ms(backoff.delay(1, 0.5)), 20.0);
    assert_eq!(ms(backoff.delay(7, 0.5)), 20.0);
}

#[test]
fn polly_v2_follows_the_formula_and_keeps_its_state() {
    let backoff = build(presets::polly_v2(1_000.0));
    let p = |t: f64| 2f64.powf(t) * (4.0 * t).sqrt().tanh();
    let mut state = BackoffState::default();
    let mut previous = 0.0;
    for (attempt, u) in [(1, 0.3), (2, 0.7), (3, 0.1)] {
        let t = f64::from(attempt - 1) + u;
        let expected = (p(t) - previous) / 1.4 * 1_000.0;
        previous = p(t);
        let delay = ms(backoff
            .next_delay(&mut state, attempt, u)
            .expect("3 retries"));
        assert!(
            (delay - expected).abs() < 1e-6,
            "{attempt}: {delay} vs {expected}"
        );
    }
    assert_eq!(backoff.next_delay(&mut state, 4, 0.5), None);
    assert_eq!(backoff.max_attempts(), Some(3));
}

#[test]
fn polly_v2_overflow_gives_the_cap_and_a_finite_state() {
    let backoff = build(BackoffOptions {
        max_ms: 60_000.0,
        ..no_jitter(Schedule::PollyV2)
    });
    let mut state = BackoffState::default();
    assert_eq!(
        backoff.next_delay(&mut state, 2_000, 0.5),
        Some(Duration::from_secs(60))
    );
    assert!(!state.is_fresh());
    assert_eq!(
        backoff.next_delay(&mut state, u32::MAX, 0.5),
        Some(Duration::from_secs(60))
    );
    // Long before overflow the cap binds too.
    assert_eq!(
        backoff.next_delay(&mut BackoffState::new(), 40, 0.5),
        Some(Duration::from_secs(60))
    );
}

#[test]
fn gives_up_after_max_attempts_without_touching_state_or_rng() {
    let backoff = build(BackoffOptions {
        max_attempts: Some(2),
        ..no_jitter(Schedule::Decorrelated)
    });
    let mut state = BackoffState::default();
    let mut rng = SeededRng::from_seed_u64(1);
    assert!(
        backoff
            .next_delay_with_rng(&mut state, 1, &mut rng)
            .is_some()
    );
    assert!(
        backoff
            .next_delay_with_rng(&mut state, 2, &mut rng)
            .is_some()
    );
    let (before_state, before_rng) = (state, rng.clone());
    assert_eq!(backoff.next_delay_with_rng(&mut state, 3, &mut rng), None);
    assert_eq!(backoff.next_delay(&mut state, u32::MAX, 0.5), None);
    assert_eq!((state, rng), (before_state, before_rng));
    // The pure form ignores the limit.
    assert_eq!(ms(backoff.delay(3, 0.5)), 200.0);
}

#[test]
fn zero_max_attempts_never_retries_and_attempt_zero_counts_as_one() {
    let never = build(BackoffOptions {
        max_attempts: Some(0),
        ..BackoffOptions::default()
    });
    assert_eq!(never.next_delay(&mut BackoffState::new(), 0, 0.5), None);
    let backoff = build(no_jitter(Schedule::Exponential));
    assert_eq!(backoff.delay(0, 0.5), backoff.delay(1, 0.5));
}

#[test]
fn reports_whether_it_needs_state() {
    assert!(!build(BackoffOptions::default()).uses_state());
    assert!(build(no_jitter(Schedule::Decorrelated)).uses_state());
    assert!(build(presets::polly_v2(100.0)).uses_state());
}

#[cfg(feature = "serde")]
#[test]
fn options_and_state_use_the_binding_names() {
    let options: BackoffOptions = serde_json::from_str(
        r#"{"schedule":"pollyV2","baseMs":5,"jitter":"none","capOrder":"jitterThenCap",
            "decorrelatedStart":"zero","maxAttempts":4,"wholeMs":true,"stepMs":null}"#,
    )
    .expect("camelCase options");
    assert_eq!(options.schedule, Schedule::PollyV2);
    assert_eq!(options.max_attempts, Some(4));
    assert_eq!(options.max_ms, 10_000.0);
    assert!(serde_json::from_str::<BackoffOptions>(r#"{"base_ms":5}"#).is_err());

    let backoff = build(options);
    let mut state = BackoffState::default();
    backoff.next_delay(&mut state, 3_000, 0.5);
    let json = serde_json::to_string(&state).expect("finite state");
    let restored: BackoffState = serde_json::from_str(&json).expect("round trip");
    assert_eq!(restored, state);
}
