//! Properties of the backoff engine over generated options, attempts and draws.
#![allow(missing_docs)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use proptest::prelude::*;
use stormguard::SeededRng;
use stormguard::backoff::{
    Backoff, BackoffOptions, BackoffState, CapOrder, DecorrelatedStart, Jitter, Schedule,
};
use stormguard::time::{Duration, duration_as_millis_f64};

fn schedule() -> impl Strategy<Value = Schedule> {
    prop_oneof![
        Just(Schedule::Constant),
        Just(Schedule::Linear),
        Just(Schedule::Exponential),
        Just(Schedule::Decorrelated),
        Just(Schedule::PollyV2),
    ]
}

fn jitter() -> impl Strategy<Value = Jitter> {
    prop_oneof![
        Just(Jitter::None),
        Just(Jitter::Full),
        Just(Jitter::Equal),
        Just(Jitter::Proportional),
        Just(Jitter::Additive),
    ]
}

/// Milliseconds across many magnitudes, zero included.
fn millis() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(0.0),
        0.0..1.0,
        0.0..1_000.0,
        0.0..1e6,
        0.0..1e12,
        Just(stormguard::time::MAX_MILLIS),
    ]
}

/// Any valid options: the consistency rules are applied after generation.
fn options() -> impl Strategy<Value = BackoffOptions> {
    (
        (schedule(), millis(), proptest::option::of(millis())),
        (
            prop_oneof![Just(1.0), 1.0..4.0, 1.0..1e6],
            millis(),
            0.0..=1.0f64,
        ),
        (
            jitter(),
            0.0..=1.0f64,
            millis(),
            proptest::option::of(0u32..20),
        ),
        (any::<bool>(), any::<bool>(), any::<bool>()),
    )
        .prop_map(
            |(
                (schedule, base_ms, step_ms),
                (factor, max_ms, min_fraction),
                (jitter, jitter_ratio, jitter_ms, max_attempts),
                (jitter_first, whole_ms, zero_start),
            )| {
                let mut min_ms = max_ms * min_fraction;
                if whole_ms {
                    min_ms = min_ms.floor();
                }
                let stateful = matches!(schedule, Schedule::Decorrelated | Schedule::PollyV2);
                BackoffOptions {
                    schedule,
                    base_ms,
                    step_ms,
                    factor,
                    min_ms,
                    max_ms,
                    jitter: if stateful { Jitter::None } else { jitter },
                    jitter_ratio,
                    jitter_ms,
                    max_attempts,
                    cap_order: if jitter_first {
                        CapOrder::JitterThenCap
                    } else {
                        CapOrder::CapThenJitter
                    },
                    whole_ms,
                    decorrelated_start: if zero_start {
                        DecorrelatedStart::Zero
                    } else {
                        DecorrelatedStart::Base
                    },
                }
            },
        )
}

fn attempt() -> impl Strategy<Value = u32> {
    prop_oneof![Just(0), Just(1), Just(u32::MAX), 1u32..64, any::<u32>()]
}

fn any_draw() -> impl Strategy<Value = f64> {
    prop_oneof![
        0.0..1.0,
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(1.0),
        Just(-0.0),
        any::<f64>(),
    ]
}

fn ms(d: Duration) -> f64 {
    duration_as_millis_f64(d)
}

/// The schedule before jitter and cap, recomputed with `std` floats.
fn reference_curve(options: &BackoffOptions, attempt: u32) -> f64 {
    let n = f64::from(attempt.max(1));
    match options.schedule {
        Schedule::Constant => options.base_ms,
        Schedule::Linear => {
            options.base_ms + options.step_ms.unwrap_or(options.base_ms) * (n - 1.0)
        }
        Schedule::Exponential if options.base_ms == 0.0 => 0.0,
        Schedule::Exponential => options.base_ms * options.factor.powf(n - 1.0),
        Schedule::Decorrelated | Schedule::PollyV2 => unreachable!("stateless only"),
    }
}

/// The interval a jitter maps `d` into.
fn jitter_interval(options: &BackoffOptions, d: f64) -> (f64, f64) {
    // An overflowed curve stays finite, so `∞ × 0` cannot make a NaN.
    let d = d.min(f64::MAX);
    match options.jitter {
        Jitter::None => (d, d),
        Jitter::Full | Jitter::Auto => (0.0, d),
        Jitter::Equal => (d / 2.0, d),
        Jitter::Proportional => (
            d * (1.0 - options.jitter_ratio),
            d * (1.0 + options.jitter_ratio),
        ),
        Jitter::Additive => (d, d + options.jitter_ms),
    }
}

/// 1 ns plus a relative allowance for the different float paths.
fn tolerance(x: f64) -> f64 {
    1e-6 + x.abs() * 1e-9
}

proptest! {
    #[test]
    fn delays_stay_within_min_and_max_delay(options in options(), n in attempt(), u in any_draw()) {
        let backoff = Backoff::new(&options).unwrap();
        let delay = ms(backoff.delay(n, u));
        let max_delay = ms(backoff.max_delay());
        prop_assert!(delay >= options.min_ms - tolerance(options.min_ms), "{delay} < min");
        prop_assert!(delay <= max_delay + tolerance(max_delay), "{delay} > {max_delay}");
        let expanding = matches!(options.jitter, Jitter::Proportional | Jitter::Additive)
            && options.cap_order == CapOrder::CapThenJitter;
        if !expanding {
            prop_assert!(max_delay <= options.max_ms + tolerance(options.max_ms));
        }
    }

    #[test]
    fn stateless_delays_stay_within_the_jitter_bounds(
        options in options(), n in attempt(), u in 0.0..1.0f64,
    ) {
        prop_assume!(!matches!(options.schedule, Schedule::Decorrelated | Schedule::PollyV2));
        let backoff = Backoff::new(&options).unwrap();
        let delay = ms(backoff.delay(n, u));
        let curve = reference_curve(&options, n);
        let (low, high) = match options.cap_order {
            CapOrder::CapThenJitter => jitter_interval(&options, curve.min(options.max_ms)),
            CapOrder::JitterThenCap => {
                let (low, high) = jitter_interval(&options, curve);
                (low.min(options.max_ms), high.min(options.max_ms))
            }
        };
        let low = low.max(options.min_ms);
        let high = high.max(options.min_ms);
        let low = if options.whole_ms { low.floor() } else { low };
        prop_assert!(delay >= low - tolerance(low), "{delay} < {low}");
        prop_assert!(delay <= high + tolerance(high), "{delay} > {high}");
    }

    #[test]
    fn never_panics_for_any_attempt_or_draw(
        options in options(), n in attempt(), u in any_draw(), seed in any::<u64>(),
    ) {
        let backoff = Backoff::new(&options).unwrap();
        let mut state = BackoffState::default();
        let mut rng = SeededRng::from_seed_u64(seed);
        for attempt in [0, 1, 2, n, n.saturating_add(1), u32::MAX, 1] {
            let _ = backoff.next_delay(&mut state, attempt, u);
            let _ = backoff.next_delay_with_rng(&mut state, attempt, &mut rng);
            let _ = backoff.delay(attempt, u);
        }
        let _ = backoff.max_delay();
        let _ = backoff.max_attempts();
    }

    #[test]
    fn gives_up_exactly_after_max_attempts(options in options(), n in attempt(), u in 0.0..1.0f64) {
        let backoff = Backoff::new(&options).unwrap();
        let given_up = backoff.next_delay(&mut BackoffState::default(), n, u).is_none();
        let expected = options.max_attempts.is_some_and(|max| n.max(1) > max);
        prop_assert_eq!(given_up, expected);
    }

    #[test]
    fn randomised_schedules_stay_under_the_cap_over_long_sequences(
        polly in any::<bool>(),
        zero_start in any::<bool>(),
        base_ms in millis(),
        max_ms in millis(),
        seed in any::<u64>(),
    ) {
        let options = BackoffOptions {
            schedule: if polly { Schedule::PollyV2 } else { Schedule::Decorrelated },
            jitter: Jitter::None,
            base_ms,
            max_ms,
            decorrelated_start: if zero_start { DecorrelatedStart::Zero } else { DecorrelatedStart::Base },
            ..BackoffOptions::default()
        };
        let backoff = Backoff::new(&options).unwrap();
        let mut state = BackoffState::default();
        let mut rng = SeededRng::from_seed_u64(seed);
        for attempt in 1..=1_200u32 {
            let delay = ms(backoff.next_delay_with_rng(&mut state, attempt, &mut rng).unwrap());
            prop_assert!(delay <= max_ms + tolerance(max_ms), "{attempt}: {delay} > {max_ms}");
            if !polly {
                let floor = base_ms.min(max_ms);
                prop_assert!(delay >= floor - tolerance(floor), "{attempt}: {delay} < {floor}");
            }
        }
    }

    #[test]
    fn a_restored_state_continues_the_same_sequence(options in options(), seed in any::<u64>()) {
        let backoff = Backoff::new(&BackoffOptions { max_attempts: None, ..options }).unwrap();
        let mut state = BackoffState::default();
        let mut rng = SeededRng::from_seed_u64(seed);
        for attempt in 1..=5 {
            backoff.next_delay_with_rng(&mut state, attempt, &mut rng);
        }
        let json = serde_json::to_string(&state).unwrap();
        let mut restored: BackoffState = serde_json::from_str(&json).unwrap();
        let mut rng_copy = rng.clone();
        for attempt in 6..=10 {
            prop_assert_eq!(
                backoff.next_delay_with_rng(&mut state, attempt, &mut rng),
                backoff.next_delay_with_rng(&mut restored, attempt, &mut rng_copy)
            );
        }
    }

    #[test]
    fn unjittered_stateless_delays_never_shrink(options in options(), n in 1u32..2_000) {
        prop_assume!(!matches!(options.schedule, Schedule::Decorrelated | Schedule::PollyV2));
        let backoff = Backoff::new(&BackoffOptions { jitter: Jitter::None, ..options }).unwrap();
        prop_assert!(backoff.delay(n, 0.5) <= backoff.delay(n + 1, 0.5));
        prop_assert!(backoff.delay(n, 0.5) <= backoff.delay(u32::MAX, 0.5));
    }
}
