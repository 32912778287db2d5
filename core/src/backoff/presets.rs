//! Presets: [`BackoffOptions`] that reproduce a peer's backoff exactly.
//!
//! Why: users arrive from redis-py, ioredis, the AWS SDKs, gRPC and Polly and
//! expect the delays they had. Each preset names the peer, its version and the
//! formula it reproduces; it returns plain options, so bindings and config
//! files can expose, inspect and tweak it. [`by_name`] is the one table of
//! preset names every binding and the shared vectors use.
//!
//! Attempts are 1-based as everywhere in [`super`]: `n` is redis-py's
//! `failures`, ioredis' `times`, botocore's `attempt_number`, and Polly's
//! 0-based `attempt` plus one. Peers that take seconds (redis-py) take seconds
//! here too, in the peer's parameter order.
//!
//! Constraints: presets never fail; a bad argument (a negative cap, NaN) is
//! reported by [`Backoff::new`](super::Backoff::new) under the option it
//! became (`maxMs`, `baseMs`).

use super::options::{BackoffOptions, CapOrder, DecorrelatedStart, Jitter, Schedule};
use crate::ConfigError;
use crate::time::MAX_MILLIS;

/// redis-py 8.1 `DEFAULT_CAP`: 0.512 s.
pub const REDIS_PY_DEFAULT_CAP_S: f64 = 0.512;
/// redis-py 8.1 `DEFAULT_BASE`: 0.008 s.
pub const REDIS_PY_DEFAULT_BASE_S: f64 = 0.008;
/// Polly v8 `RetryStrategyOptions.Delay` default: 2 s.
pub const POLLY_DEFAULT_DELAY_MS: f64 = 2_000.0;

/// Milliseconds in one second.
const MILLIS_PER_SECOND: f64 = 1_000.0;

/// Options with no jitter and the given schedule; the other fields at their
/// defaults.
fn plain(schedule: Schedule, base_ms: f64, max_ms: f64) -> BackoffOptions {
    BackoffOptions {
        schedule,
        base_ms,
        max_ms,
        jitter: Jitter::None,
        ..BackoffOptions::default()
    }
}

/// redis-py's `expo(f) = base × 2^f` with `f` from 1 is our exponential with
/// `baseMs = 2 × base` (the value at `f = 1`) and factor 2; doubling is exact.
fn redis_py_expo(cap_s: f64, base_s: f64, jitter: Jitter) -> BackoffOptions {
    BackoffOptions {
        jitter,
        ..plain(
            Schedule::Exponential,
            2.0 * base_s * MILLIS_PER_SECOND,
            cap_s * MILLIS_PER_SECOND,
        )
    }
}

/// redis-py 8.1 `NoBackoff()`: `compute(f) = 0`.
pub fn redis_py_no_backoff() -> BackoffOptions {
    plain(Schedule::Constant, 0.0, 0.0)
}

/// redis-py 8.1 `ConstantBackoff(backoff)` (seconds): `compute(f) = backoff`.
pub fn redis_py_constant(backoff_s: f64) -> BackoffOptions {
    let ms = backoff_s * MILLIS_PER_SECOND;
    plain(Schedule::Constant, ms, ms)
}

/// redis-py 8.1 `ExponentialBackoff(cap, base)` (seconds, defaults
/// [`REDIS_PY_DEFAULT_CAP_S`], [`REDIS_PY_DEFAULT_BASE_S`]):
/// `compute(f) = min(cap, base × 2^f)`.
pub fn redis_py_exponential(cap_s: f64, base_s: f64) -> BackoffOptions {
    redis_py_expo(cap_s, base_s, Jitter::None)
}

/// redis-py 8.1 `FullJitterBackoff(cap, base)` (seconds):
/// `compute(f) = uniform(0, min(cap, base × 2^f))`.
pub fn redis_py_full_jitter(cap_s: f64, base_s: f64) -> BackoffOptions {
    redis_py_expo(cap_s, base_s, Jitter::Full)
}

/// redis-py 8.1 `EqualJitterBackoff(cap, base)` (seconds):
/// `t = min(cap, base × 2^f) / 2; compute(f) = t + uniform(0, t)`.
pub fn redis_py_equal_jitter(cap_s: f64, base_s: f64) -> BackoffOptions {
    redis_py_expo(cap_s, base_s, Jitter::Equal)
}

/// redis-py 8.1 `DecorrelatedJitterBackoff(cap, base)` (seconds):
/// `prev = min(cap, uniform(base, max(base, 3 × prev)))` with `prev` starting
/// at 0 (so the first delay is exactly `base`) and zeroed by `reset()` — here,
/// by a fresh [`BackoffState`](super::BackoffState).
pub fn redis_py_decorrelated_jitter(cap_s: f64, base_s: f64) -> BackoffOptions {
    BackoffOptions {
        decorrelated_start: DecorrelatedStart::Zero,
        ..plain(
            Schedule::Decorrelated,
            base_s * MILLIS_PER_SECOND,
            cap_s * MILLIS_PER_SECOND,
        )
    }
}

/// redis-py 8.1 `ExponentialWithJitterBackoff(cap, base)` (seconds):
/// `compute(f) = min(cap, random() × base × 2^f)` — jitter before the cap, so
/// delays pile up at the cap once `base × 2^f` passes it.
pub fn redis_py_exponential_with_jitter(cap_s: f64, base_s: f64) -> BackoffOptions {
    BackoffOptions {
        cap_order: CapOrder::JitterThenCap,
        ..redis_py_expo(cap_s, base_s, Jitter::Full)
    }
}

/// The redis-py 8.x client default, `Retry(ExponentialWithJitterBackoff(base=0.01,
/// cap=1), 10)`: `min(1 s, random() × 0.01 s × 2^f)` for `f = 1..=10`, then give up.
pub fn redis_py_client_default() -> BackoffOptions {
    BackoffOptions {
        max_attempts: Some(10),
        ..redis_py_exponential_with_jitter(1.0, 0.01)
    }
}

/// ioredis 5 default `retryStrategy`: `min(times × 50, 2000)` ms.
pub fn ioredis_v5() -> BackoffOptions {
    plain(Schedule::Linear, 50.0, 2_000.0)
}

/// ioredis 6 default `retryStrategy`:
/// `min(2^(times−1) × 50, 5000) + floor(random() × 200)` ms — additive jitter on
/// the capped value, floored to whole milliseconds (so up to 5199 ms).
pub fn ioredis_v6() -> BackoffOptions {
    BackoffOptions {
        jitter: Jitter::Additive,
        jitter_ms: 200.0,
        whole_ms: true,
        ..plain(Schedule::Exponential, 50.0, 5_000.0)
    }
}

/// ioredis `sentinelRetryStrategy` default: `min(times × 10, 1000)` ms.
pub fn ioredis_sentinel() -> BackoffOptions {
    plain(Schedule::Linear, 10.0, 1_000.0)
}

/// ioredis `clusterRetryStrategy` default: `min(100 + times × 2, 2000)` ms
/// (linear from 102 ms in steps of 2 ms).
pub fn ioredis_cluster() -> BackoffOptions {
    BackoffOptions {
        step_ms: Some(2.0),
        ..plain(Schedule::Linear, 102.0, 2_000.0)
    }
}

/// AWS "standard" retry mode as botocore 1.35 implements it (standard mode
/// 2.0): `random() × min(2^(attempt−1) × 1 s, 20 s)`, three attempts in all
/// (two retries). The base is 1 s in botocore and aws-sdk-go v2; the JS v3 and
/// Java v2 SDKs use 100 ms instead (set `baseMs` to reproduce them).
pub fn aws_standard_classic() -> BackoffOptions {
    aws_standard(1_000.0)
}

/// AWS "standard" retry mode as of 2026 (botocore 1.44 standard mode 2.1,
/// @smithy/core 3.41): `random() × min(2^(attempt−1) × 50 ms, 20 s)`, three
/// attempts in all (two retries). Throttling errors use
/// [`aws_standard_2026_throttling`]. The `x-amz-retry-after` hint is combined
/// by the `retry_after` module, not here.
pub fn aws_standard_2026() -> BackoffOptions {
    aws_standard(50.0)
}

/// AWS "standard" retry mode as of 2026 after a throttling error:
/// `random() × min(2^(attempt−1) × 1 s, 20 s)`, three attempts in all.
pub fn aws_standard_2026_throttling() -> BackoffOptions {
    aws_standard(1_000.0)
}

/// AWS standard: full jitter of the capped exponential, two retries.
fn aws_standard(base_ms: f64) -> BackoffOptions {
    BackoffOptions {
        jitter: Jitter::Full,
        max_attempts: Some(2),
        ..plain(Schedule::Exponential, base_ms, 20_000.0)
    }
}

/// gRPC connection backoff (gRPC `connection-backoff.md`): initial 1 s,
/// multiplier 1.6, max 120 s, jitter ±20 %: `min(1.6^(n−1) × 1 s, 120 s) ×
/// U(0.8, 1.2)`, so delays at the cap spread over 96–144 s. Like grpc-java and
/// gRPC core, every delay is jittered; the spec's pseudo-code and grpc-go wait
/// exactly 1 s before the first retry.
pub fn grpc_connection() -> BackoffOptions {
    BackoffOptions {
        factor: 1.6,
        jitter: Jitter::Proportional,
        jitter_ratio: 0.2,
        ..plain(Schedule::Exponential, 1_000.0, 120_000.0)
    }
}

/// Polly v8 retry with `BackoffType = Exponential`, `UseJitter = true`
/// ("decorrelated jitter V2"), `Delay = median_first_ms` and Polly's default
/// `MaxRetryAttempts = 3`: with `t = attempt − 1 + u`,
/// `p = 2^t × tanh(√(4t))`, delay `(p − p_prev) / 1.4 × Delay`. Polly has no
/// `MaxDelay` by default; the cap here is the largest representable delay.
/// Polly truncates to 100 ns ticks; we round to the nanosecond.
pub fn polly_v2(median_first_ms: f64) -> BackoffOptions {
    BackoffOptions {
        max_attempts: Some(3),
        ..plain(Schedule::PollyV2, median_first_ms, MAX_MILLIS)
    }
}

/// How a preset turns positional arguments into options.
#[derive(Clone, Copy)]
enum Builder {
    /// No arguments.
    Fixed(fn() -> BackoffOptions),
    /// redis-py's `(cap s, base s)`, both optional.
    RedisPy(fn(f64, f64) -> BackoffOptions),
    /// One required argument.
    Required(fn(f64) -> BackoffOptions),
    /// One optional argument with its default.
    Optional(fn(f64) -> BackoffOptions, f64),
}

/// The one table of presets: [`NAMES`] and [`by_name`] both read it, so
/// each name is spelled once.
const TABLE: [(&str, Builder); 17] = [
    ("redisPyNoBackoff", Builder::Fixed(redis_py_no_backoff)),
    ("redisPyConstant", Builder::Required(redis_py_constant)),
    ("redisPyExponential", Builder::RedisPy(redis_py_exponential)),
    ("redisPyFullJitter", Builder::RedisPy(redis_py_full_jitter)),
    (
        "redisPyEqualJitter",
        Builder::RedisPy(redis_py_equal_jitter),
    ),
    (
        "redisPyDecorrelatedJitter",
        Builder::RedisPy(redis_py_decorrelated_jitter),
    ),
    (
        "redisPyExponentialWithJitter",
        Builder::RedisPy(redis_py_exponential_with_jitter),
    ),
    (
        "redisPyClientDefault",
        Builder::Fixed(redis_py_client_default),
    ),
    ("ioredisV5", Builder::Fixed(ioredis_v5)),
    ("ioredisV6", Builder::Fixed(ioredis_v6)),
    ("ioredisSentinel", Builder::Fixed(ioredis_sentinel)),
    ("ioredisCluster", Builder::Fixed(ioredis_cluster)),
    ("awsStandardClassic", Builder::Fixed(aws_standard_classic)),
    ("awsStandard2026", Builder::Fixed(aws_standard_2026)),
    (
        "awsStandard2026Throttling",
        Builder::Fixed(aws_standard_2026_throttling),
    ),
    ("grpcConnection", Builder::Fixed(grpc_connection)),
    (
        "pollyV2",
        Builder::Optional(polly_v2, POLLY_DEFAULT_DELAY_MS),
    ),
];

/// [`TABLE`]'s names, in order.
// Evaluated at compile time: an index out of bounds would fail the build.
#[allow(clippy::indexing_slicing)]
const NAME_ARRAY: [&str; TABLE.len()] = {
    let mut names = [""; TABLE.len()];
    let mut i = 0;
    while i < TABLE.len() {
        names[i] = TABLE[i].0;
        i += 1;
    }
    names
};

/// Every name [`by_name`] accepts.
pub const NAMES: &[&str] = &NAME_ARRAY;

/// A preset by its binding-facing name and positional arguments in the
/// peer's order; missing trailing arguments take the peer's defaults.
///
/// | name | function | arguments (default) |
/// |---|---|---|
/// | `redisPyNoBackoff` | [`redis_py_no_backoff`] | — |
/// | `redisPyConstant` | [`redis_py_constant`] | backoff s (required) |
/// | `redisPyExponential` | [`redis_py_exponential`] | cap s (0.512), base s (0.008) |
/// | `redisPyFullJitter` | [`redis_py_full_jitter`] | cap s (0.512), base s (0.008) |
/// | `redisPyEqualJitter` | [`redis_py_equal_jitter`] | cap s (0.512), base s (0.008) |
/// | `redisPyDecorrelatedJitter` | [`redis_py_decorrelated_jitter`] | cap s (0.512), base s (0.008) |
/// | `redisPyExponentialWithJitter` | [`redis_py_exponential_with_jitter`] | cap s (0.512), base s (0.008) |
/// | `redisPyClientDefault` | [`redis_py_client_default`] | — |
/// | `ioredisV5` | [`ioredis_v5`] | — |
/// | `ioredisV6` | [`ioredis_v6`] | — |
/// | `ioredisSentinel` | [`ioredis_sentinel`] | — |
/// | `ioredisCluster` | [`ioredis_cluster`] | — |
/// | `awsStandardClassic` | [`aws_standard_classic`] | — |
/// | `awsStandard2026` | [`aws_standard_2026`] | — |
/// | `awsStandard2026Throttling` | [`aws_standard_2026_throttling`] | — |
/// | `grpcConnection` | [`grpc_connection`] | — |
/// | `pollyV2` | [`polly_v2`] | median first delay ms (2000) |
///
/// # Errors
/// [`ConfigError::Invalid`] naming `preset` for an unknown name, or `args`
/// when a required argument is missing or there are too many.
pub fn by_name(name: &str, args: &[f64]) -> Result<BackoffOptions, ConfigError> {
    let Some(&(_, builder)) = TABLE.iter().find(|(known, _)| *known == name) else {
        return Err(ConfigError::Invalid {
            field: "preset",
            reason: "is not a known backoff preset",
        });
    };
    match builder {
        Builder::Fixed(build) => arguments::<0>(args, []).map(|[]| build()),
        Builder::RedisPy(build) => {
            let [cap, base] = arguments(args, [REDIS_PY_DEFAULT_CAP_S, REDIS_PY_DEFAULT_BASE_S])?;
            Ok(build(cap, base))
        }
        Builder::Required(build) => match args {
            [value] => Ok(build(*value)),
            [] => Err(missing_argument()),
            _ => Err(too_many_arguments()),
        },
        Builder::Optional(build, default) => arguments(args, [default]).map(|[value]| build(value)),
    }
}

/// `args` padded with `defaults` (all arguments optional), or an error when
/// there are more than `N`.
fn arguments<const N: usize>(args: &[f64], defaults: [f64; N]) -> Result<[f64; N], ConfigError> {
    if args.len() > N {
        return Err(too_many_arguments());
    }
    let mut out = defaults;
    for (slot, value) in out.iter_mut().zip(args) {
        *slot = *value;
    }
    Ok(out)
}

fn missing_argument() -> ConfigError {
    ConfigError::Invalid {
        field: "args",
        reason: "is missing an argument the preset requires",
    }
}

fn too_many_arguments() -> ConfigError {
    ConfigError::Invalid {
        field: "args",
        reason: "has more arguments than the preset takes",
    }
}
