//! Behaviour of the backoff engine: schedules, jitters, cap order, bounds and
//! validation. The stateful schedules are pinned in `state_tests.rs`, preset
//! formulas in `presets_tests.rs`.

extern crate std;

use super::*;

pub(super) fn ms(d: Duration) -> f64 {
    crate::time::duration_as_millis_f64(d)
}

pub(super) fn build(options: BackoffOptions) -> Backoff {
    Backoff::new(&options).expect("valid options")
}

pub(super) fn no_jitter(schedule: Schedule) -> BackoffOptions {
    BackoffOptions {
        schedule,
        jitter: Jitter::None,
        ..BackoffOptions::default()
    }
}

#[test]
fn defaults_are_the_documented_ones() {
    let options = BackoffOptions::default();
    assert_eq!(options.schedule, Schedule::Exponential);
    assert_eq!(options.base_ms, 100.0);
    assert_eq!(options.step_ms, None);
    assert_eq!(options.factor, 2.0);
    assert_eq!(options.min_ms, 0.0);
    assert_eq!(options.max_ms, 10_000.0);
    assert_eq!(options.jitter, Jitter::Auto);
    assert_eq!(options.jitter_ratio, 0.2);
    assert_eq!(options.jitter_ms, 0.0);
    assert_eq!(options.max_attempts, None);
    assert_eq!(options.cap_order, CapOrder::CapThenJitter);
    assert!(!options.whole_ms);
    assert_eq!(options.decorrelated_start, DecorrelatedStart::Base);
}

#[test]
fn constant_linear_and_exponential_follow_their_curves() {
    let constant = build(no_jitter(Schedule::Constant));
    assert_eq!(ms(constant.delay(1, 0.3)), 100.0);
    assert_eq!(ms(constant.delay(40, 0.3)), 100.0);

    let linear = build(no_jitter(Schedule::Linear));
    assert_eq!(ms(linear.delay(1, 0.0)), 100.0);
    assert_eq!(ms(linear.delay(4, 0.0)), 400.0);
    let stepped = build(BackoffOptions {
        step_ms: Some(25.0),
        ..no_jitter(Schedule::Linear)
    });
    assert_eq!(ms(stepped.delay(5, 0.0)), 200.0);

    let exponential = build(no_jitter(Schedule::Exponential));
    let delays: alloc::vec::Vec<f64> = (1..=9).map(|n| ms(exponential.delay(n, 0.0))).collect();
    assert_eq!(
        delays,
        [
            100.0, 200.0, 400.0, 800.0, 1_600.0, 3_200.0, 6_400.0, 10_000.0, 10_000.0
        ]
    );
    let slow = build(BackoffOptions {
        factor: 1.5,
        ..no_jitter(Schedule::Exponential)
    });
    assert_eq!(ms(slow.delay(3, 0.0)), 225.0);
}

#[test]
fn each_jitter_spreads_the_delay_as_documented() {
    let with = |jitter: Jitter| {
        build(BackoffOptions {
            jitter,
            jitter_ratio: 0.25,
            jitter_ms: 40.0,
            ..no_jitter(Schedule::Constant)
        })
    };
    assert_eq!(ms(with(Jitter::None).delay(1, 0.5)), 100.0);
    assert_eq!(ms(with(Jitter::Full).delay(1, 0.25)), 25.0);
    assert_eq!(ms(with(Jitter::Equal).delay(1, 0.5)), 75.0);
    assert_eq!(ms(with(Jitter::Proportional).delay(1, 0.0)), 75.0);
    assert_eq!(ms(with(Jitter::Proportional).delay(1, 0.75)), 112.5);
    assert_eq!(ms(with(Jitter::Additive).delay(1, 0.5)), 120.0);
}

#[test]
fn keeps_jitter_spread_at_the_cap() {
    // Default options: capThenJitter, full jitter, cap 10 s, reached at attempt 8.
    let backoff = build(BackoffOptions::default());
    let at_cap = (0..1_000)
        .map(|i| backoff.delay(60, f64::from(i) / 1_000.0))
        .filter(|d| *d == Duration::from_secs(10))
        .count();
    assert_eq!(at_cap, 0);
    assert_eq!(ms(backoff.delay(60, 0.1)), 1_000.0);
    assert_eq!(ms(backoff.delay(60, 0.9)), 9_000.0);
    // Equal jitter keeps its half-spread at the cap too.
    let equal = build(BackoffOptions {
        jitter: Jitter::Equal,
        ..BackoffOptions::default()
    });
    assert_eq!(ms(equal.delay(u32::MAX, 0.0)), 5_000.0);
    assert_eq!(ms(equal.delay(u32::MAX, 0.5)), 7_500.0);
}

#[test]
fn jitter_then_cap_piles_delays_up_at_the_cap_like_redis_py() {
    // redis-py client default, ExponentialWithJitterBackoff(base=0.01, cap=1):
    // at failure 10, min(1, random() × 10.24) is the cap for ~90 % of draws.
    let peer = build(presets::redis_py_client_default());
    let ours = build(BackoffOptions {
        cap_order: CapOrder::CapThenJitter,
        ..presets::redis_py_client_default()
    });
    let count_at_cap = |backoff: &Backoff| {
        (0..1_000)
            .map(|i| backoff.delay(10, f64::from(i) / 1_000.0))
            .filter(|d| *d == Duration::from_secs(1))
            .count()
    };
    assert!(count_at_cap(&peer) >= 900, "{}", count_at_cap(&peer));
    assert_eq!(count_at_cap(&ours), 0);
}

#[test]
fn proportional_and_additive_jitter_spread_around_the_cap() {
    let grpc = build(presets::grpc_connection());
    assert_eq!(ms(grpc.delay(100, 0.0)), 96_000.0);
    assert_eq!(ms(grpc.delay(100, 0.5)), 120_000.0);
    assert_eq!(ms(grpc.max_delay()), 144_000.0);
    let hard = build(BackoffOptions {
        cap_order: CapOrder::JitterThenCap,
        ..presets::grpc_connection()
    });
    assert_eq!(ms(hard.delay(100, 0.9)), 120_000.0);
    assert_eq!(ms(hard.max_delay()), 120_000.0);
    assert_eq!(ms(build(presets::ioredis_v6()).max_delay()), 5_200.0);
}

#[test]
fn huge_attempts_give_the_cap_not_nan_or_overflow() {
    for schedule in [Schedule::Constant, Schedule::Linear, Schedule::Exponential] {
        let backoff = build(BackoffOptions {
            base_ms: 1_000.0,
            max_ms: 5_000.0,
            ..no_jitter(schedule)
        });
        let expected = if schedule == Schedule::Constant {
            1_000.0
        } else {
            5_000.0
        };
        assert_eq!(ms(backoff.delay(u32::MAX, 0.5)), expected, "{schedule:?}");
    }
    let tiny_base = build(BackoffOptions {
        base_ms: f64::MIN_POSITIVE,
        factor: 1e300,
        max_ms: crate::time::MAX_MILLIS,
        cap_order: CapOrder::JitterThenCap,
        ..BackoffOptions::default()
    });
    assert_eq!(tiny_base.delay(u32::MAX, 0.0), Duration::ZERO);
    assert_eq!(tiny_base.delay(u32::MAX, 0.5), tiny_base.max_delay());
    let zero_base = build(BackoffOptions {
        base_ms: 0.0,
        ..BackoffOptions::default()
    });
    assert_eq!(zero_base.delay(u32::MAX, 0.5), Duration::ZERO);
}

#[test]
fn bad_draws_are_clamped_into_the_unit_interval() {
    let backoff = build(BackoffOptions::default());
    assert_eq!(backoff.delay(1, f64::NAN), Duration::ZERO);
    assert_eq!(backoff.delay(1, -3.0), Duration::ZERO);
    assert_eq!(backoff.delay(1, f64::NEG_INFINITY), Duration::ZERO);
    assert_eq!(backoff.delay(1, 1.0), backoff.delay(1, f64::INFINITY));
    assert!(backoff.delay(1, 7.0) <= Duration::from_millis(100));
}

#[test]
fn floor_and_whole_milliseconds_apply_last() {
    let floored = build(BackoffOptions {
        min_ms: 30.0,
        ..BackoffOptions::default()
    });
    assert_eq!(ms(floored.delay(1, 0.1)), 30.0);
    assert_eq!(ms(floored.delay(1, 0.5)), 50.0);
    let whole = build(BackoffOptions {
        whole_ms: true,
        base_ms: 10.0,
        ..BackoffOptions::default()
    });
    assert_eq!(ms(whole.delay(1, 0.379)), 3.0);
}

#[test]
fn max_delay_bounds_every_delay() {
    let backoff = build(BackoffOptions {
        jitter: Jitter::Proportional,
        jitter_ratio: 0.5,
        ..BackoffOptions::default()
    });
    assert_eq!(ms(backoff.max_delay()), 15_000.0);
    for u in [0.0, 0.3, 0.999_999] {
        assert!(backoff.delay(1_000, u) <= backoff.max_delay());
    }
    assert_eq!(ms(build(BackoffOptions::default()).max_delay()), 10_000.0);
}

#[test]
fn every_bad_option_is_reported_under_its_name() {
    type Spoil = fn(&mut BackoffOptions);
    let cases: [(&str, Spoil); 16] = [
        ("baseMs", |o| o.base_ms = -1.0),
        ("baseMs", |o| o.base_ms = f64::NAN),
        ("baseMs", |o| o.base_ms = 1e17),
        ("stepMs", |o| o.step_ms = Some(f64::INFINITY)),
        ("factor", |o| o.factor = 0.5),
        ("factor", |o| o.factor = f64::INFINITY),
        ("minMs", |o| o.min_ms = -0.5),
        ("maxMs", |o| o.max_ms = 1e300),
        ("jitterRatio", |o| o.jitter_ratio = 1.5),
        ("jitterMs", |o| o.jitter_ms = -1.0),
        ("minMs", |o| (o.min_ms, o.max_ms) = (20.0, 10.0)),
        ("minMs", |o| (o.min_ms, o.whole_ms) = (0.5, true)),
        ("jitter", |o| {
            (o.schedule, o.jitter) = (Schedule::Decorrelated, Jitter::Full)
        }),
        ("jitter", |o| {
            (o.schedule, o.jitter) = (Schedule::PollyV2, Jitter::Equal)
        }),
        // The first bad field in declaration order is the one reported.
        ("baseMs", |o| (o.base_ms, o.factor) = (f64::NAN, 0.0)),
        ("factor", |o| (o.factor, o.max_ms) = (0.0, -1.0)),
    ];
    for (field, spoil) in cases {
        let mut options = BackoffOptions::default();
        spoil(&mut options);
        let err = Backoff::new(&options).expect_err(field);
        assert_eq!(err.field(), field, "{options:?}: {err}");
        assert_eq!(err.code(), "ERR_INVALID_CONFIG");
    }
}

#[test]
fn auto_jitter_is_full_for_curves_and_none_for_randomised_schedules() {
    let auto = Backoff::new(&BackoffOptions::default()).unwrap();
    let full = Backoff::new(&BackoffOptions {
        jitter: Jitter::Full,
        ..BackoffOptions::default()
    })
    .unwrap();
    assert_eq!(auto, full);
    for schedule in [Schedule::Decorrelated, Schedule::PollyV2] {
        let auto = Backoff::new(&BackoffOptions {
            schedule,
            ..BackoffOptions::default()
        })
        .unwrap();
        let none = Backoff::new(&BackoffOptions {
            schedule,
            jitter: Jitter::None,
            ..BackoffOptions::default()
        })
        .unwrap();
        assert_eq!(auto, none, "{schedule:?}");
    }
}

#[test]
fn table_lookups_equal_evaluating_the_curve_bit_for_bit() {
    let schedules = [Schedule::Constant, Schedule::Linear, Schedule::Exponential];
    let jitters = [
        Jitter::None,
        Jitter::Full,
        Jitter::Equal,
        Jitter::Proportional,
        Jitter::Additive,
    ];
    let shapes = [
        (100.0, 2.0, 10_000.0),
        (0.37, 1.5, 2_000.0),
        (1.0, 1.000_1, 1e12),
        (50.0, 1.0, 2_000.0),
        (0.0, 3.0, 5.0),
    ];
    let attempts = (0..40).chain([63, 1_000, u32::MAX - 1, u32::MAX]);
    let draws = [0.0, 0.13, 0.5, 0.999_999, f64::NAN, 2.0];
    for schedule in schedules {
        for jitter in jitters {
            for cap_order in [CapOrder::CapThenJitter, CapOrder::JitterThenCap] {
                for (base_ms, factor, max_ms) in shapes {
                    for whole_ms in [false, true] {
                        let backoff = build(BackoffOptions {
                            schedule,
                            jitter,
                            cap_order,
                            base_ms,
                            factor,
                            max_ms,
                            min_ms: if whole_ms { 1.0 } else { 0.25 },
                            jitter_ms: 3.3,
                            whole_ms,
                            ..BackoffOptions::default()
                        });
                        for attempt in attempts.clone() {
                            for u in draws {
                                let evaluated =
                                    backoff.finish(backoff.evaluate(None, attempt, clamp_unit(u)));
                                assert_eq!(
                                    backoff.delay(attempt, u),
                                    evaluated,
                                    "{schedule:?} {jitter:?} {cap_order:?} \
                                     {base_ms}/{factor}/{max_ms} n={attempt} u={u}"
                                );
                            }
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn a_backoff_fits_in_a_few_cache_lines() {
    // The table of first delays is most of it: 2 × 16 × 8 bytes.
    let size = core::mem::size_of::<Backoff>();
    assert!(size <= 6 * 64, "size_of::<Backoff>() = {size}");
}

#[test]
fn constant_delay_is_what_every_call_gives() {
    let constant = build(BackoffOptions {
        schedule: Schedule::Constant,
        jitter: Jitter::None,
        base_ms: 250.0,
        ..BackoffOptions::default()
    });
    let delay = constant.constant_delay().unwrap();
    assert_eq!(delay, Duration::from_millis(250));
    for attempt in [0, 1, 7, u32::MAX] {
        assert_eq!(constant.delay(attempt, 0.9), delay);
    }
    let none = build(presets::redis_py_constant(0.0));
    assert_eq!(none.constant_delay(), Some(Duration::ZERO));
    assert_eq!(build(BackoffOptions::default()).constant_delay(), None);
    let limited = build(BackoffOptions {
        max_attempts: Some(3),
        ..no_jitter(Schedule::Constant)
    });
    assert_eq!(limited.constant_delay(), None, "gives up after 3");
}
