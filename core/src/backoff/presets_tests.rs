//! Preset formulas, checked against values worked out by hand from each peer's
//! formula (the shared vectors pin many more).

use super::presets::*;
use super::*;

fn ms(d: Duration) -> f64 {
    crate::time::duration_as_millis_f64(d)
}

fn build(options: BackoffOptions) -> Backoff {
    Backoff::new(&options).expect("presets are valid")
}

/// `next_delay` on one state for `(attempt, u)` steps, in milliseconds
/// (`None` after giving up).
fn run(options: BackoffOptions, steps: &[(u32, f64)]) -> alloc::vec::Vec<Option<f64>> {
    let backoff = build(options);
    let mut state = BackoffState::default();
    steps
        .iter()
        .map(|&(attempt, u)| backoff.next_delay(&mut state, attempt, u).map(ms))
        .collect()
}

const CAP: f64 = REDIS_PY_DEFAULT_CAP_S;
const BASE: f64 = REDIS_PY_DEFAULT_BASE_S;

#[test]
fn redis_py_no_backoff_and_constant() {
    assert_eq!(
        run(redis_py_no_backoff(), &[(1, 0.7), (u32::MAX, 0.7)]),
        [Some(0.0), Some(0.0)]
    );
    assert_eq!(
        run(redis_py_constant(0.25), &[(1, 0.1), (99, 0.9)]),
        [Some(250.0), Some(250.0)]
    );
}

#[test]
fn redis_py_exponential_is_base_times_two_to_the_failures_capped() {
    let steps: alloc::vec::Vec<(u32, f64)> = (1..=7).map(|f| (f, 0.5)).collect();
    assert_eq!(
        run(redis_py_exponential(CAP, BASE), &steps),
        [16.0, 32.0, 64.0, 128.0, 256.0, 512.0, 512.0].map(Some)
    );
}

#[test]
fn redis_py_full_and_equal_jitter_jitter_the_capped_value() {
    assert_eq!(
        run(redis_py_full_jitter(CAP, BASE), &[(3, 0.5), (20, 0.25)]),
        [Some(32.0), Some(128.0)]
    );
    // t = min(cap, expo(2)) / 2 = 16 ms; t + uniform(0, t).
    assert_eq!(
        run(redis_py_equal_jitter(CAP, BASE), &[(2, 0.5), (30, 0.0)]),
        [Some(24.0), Some(256.0)]
    );
}

#[test]
fn redis_py_decorrelated_starts_at_base_and_resets_with_a_fresh_state() {
    let steps = [(1, 0.3), (2, 0.5), (3, 0.5)];
    let options = redis_py_decorrelated_jitter(CAP, BASE);
    assert_eq!(run(options.clone(), &steps), [8.0, 16.0, 28.0].map(Some));
    // reset(): a fresh state starts over at base.
    assert_eq!(run(options, &steps[..1]), [Some(8.0)]);
}

#[test]
fn redis_py_exponential_with_jitter_caps_after_jitter() {
    assert_eq!(
        run(
            redis_py_exponential_with_jitter(CAP, BASE),
            &[(1, 0.5), (10, 0.5)]
        ),
        [Some(8.0), Some(512.0)]
    );
    let steps = [(1, 0.5), (10, 0.5), (10, 0.05), (11, 0.5)];
    assert_eq!(
        run(redis_py_client_default(), &steps),
        [Some(10.0), Some(1_000.0), Some(512.0), None]
    );
}

#[test]
fn ioredis_defaults() {
    assert_eq!(
        run(ioredis_v5(), &[(1, 0.5), (40, 0.5), (41, 0.5)]),
        [50.0, 2_000.0, 2_000.0].map(Some)
    );
    // min(2^(times−1) × 50, 5000) + floor(random() × 200)
    assert_eq!(
        run(ioredis_v6(), &[(1, 0.5), (3, 0.123), (100, 0.999)]),
        [150.0, 224.0, 5_199.0].map(Some)
    );
    assert_eq!(
        run(ioredis_sentinel(), &[(1, 0.5), (100, 0.5), (150, 0.5)]),
        [10.0, 1_000.0, 1_000.0].map(Some)
    );
    assert_eq!(
        run(
            ioredis_cluster(),
            &[(1, 0.5), (10, 0.5), (950, 0.5), (951, 0.5)]
        ),
        [102.0, 120.0, 2_000.0, 2_000.0].map(Some)
    );
}

#[test]
fn aws_standard_modes() {
    assert_eq!(
        run(aws_standard_classic(), &[(1, 0.5), (2, 0.5), (3, 0.5)]),
        [Some(500.0), Some(1_000.0), None]
    );
    // Past the cap the jitter still spreads: random() × min(2^5 s, 20 s).
    assert_eq!(ms(build(aws_standard_classic()).delay(6, 0.5)), 10_000.0);
    assert_eq!(
        run(aws_standard_2026(), &[(1, 0.5), (2, 0.5), (3, 0.5)]),
        [Some(25.0), Some(50.0), None]
    );
    assert_eq!(
        run(aws_standard_2026_throttling(), &[(1, 0.5), (2, 0.25)]),
        [Some(500.0), Some(500.0)]
    );
}

#[test]
fn grpc_connection_backoff() {
    assert_eq!(
        run(
            grpc_connection(),
            &[(1, 0.5), (2, 0.5), (2, 0.0), (3, 0.75)]
        ),
        [1_000.0, 1_600.0, 1_280.0, 2_816.0].map(Some)
    );
}

#[test]
fn presets_by_name_match_the_functions_and_fill_defaults() {
    let same = |name: &str, args: &[f64], expected: BackoffOptions| {
        assert_eq!(by_name(name, args), Ok(expected), "{name}");
    };
    same("redisPyNoBackoff", &[], redis_py_no_backoff());
    same("redisPyConstant", &[0.1], redis_py_constant(0.1));
    same("redisPyExponential", &[], redis_py_exponential(CAP, BASE));
    same(
        "redisPyExponential",
        &[1.0],
        redis_py_exponential(1.0, BASE),
    );
    same(
        "redisPyFullJitter",
        &[1.0, 0.5],
        redis_py_full_jitter(1.0, 0.5),
    );
    same("redisPyEqualJitter", &[], redis_py_equal_jitter(CAP, BASE));
    same(
        "redisPyDecorrelatedJitter",
        &[],
        redis_py_decorrelated_jitter(CAP, BASE),
    );
    same(
        "redisPyExponentialWithJitter",
        &[],
        redis_py_exponential_with_jitter(CAP, BASE),
    );
    same("redisPyClientDefault", &[], redis_py_client_default());
    same("ioredisV5", &[], ioredis_v5());
    same("ioredisV6", &[], ioredis_v6());
    same("ioredisSentinel", &[], ioredis_sentinel());
    same("ioredisCluster", &[], ioredis_cluster());
    same("awsStandardClassic", &[], aws_standard_classic());
    same("awsStandard2026", &[], aws_standard_2026());
    same(
        "awsStandard2026Throttling",
        &[],
        aws_standard_2026_throttling(),
    );
    same("grpcConnection", &[], grpc_connection());
    same("pollyV2", &[], polly_v2(POLLY_DEFAULT_DELAY_MS));
    same("pollyV2", &[300.0], polly_v2(300.0));
    assert_eq!(NAMES.len(), 17);
}

#[test]
fn preset_lookup_errors_name_the_problem() {
    let field = |name: &str, args: &[f64]| by_name(name, args).expect_err(name).field();
    assert_eq!(field("redisPyBackoff", &[]), "preset");
    assert_eq!(field("redisPyConstant", &[]), "args");
    assert_eq!(field("redisPyConstant", &[1.0, 2.0]), "args");
    assert_eq!(field("redisPyExponential", &[1.0, 2.0, 3.0]), "args");
    assert_eq!(field("ioredisV6", &[1.0]), "args");
    // Bad values become options that `Backoff::new` rejects by name.
    let options = redis_py_exponential(-1.0, BASE);
    assert_eq!(Backoff::new(&options).expect_err("cap").field(), "maxMs");
}

#[test]
fn every_preset_builds() {
    for &name in NAMES {
        let options = match name {
            "redisPyConstant" => by_name(name, &[0.5]),
            _ => by_name(name, &[]),
        };
        let options = options.expect(name);
        Backoff::new(&options).expect(name);
    }
}
