//! The plain-data configuration of a [`Backoff`](super::Backoff).
//!
//! Why a separate, plain struct: bindings, config files and the shared test
//! vectors all describe a backoff with the same camelCase names (`baseMs`,
//! `maxMs`, `jitter` …). Presets ([`super::presets`]) return this struct so a
//! peer's behaviour can be inspected, tweaked and serialised like any other
//! configuration.
//!
//! Constraints: no validation happens here; [`Backoff::new`](super::Backoff::new)
//! validates every field once and names the bad one.

/// The curve the delays follow before jitter.
///
/// `n` is the 1-based attempt (`n = 1` is the delay before the first retry).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub enum Schedule {
    /// `baseMs` for every attempt.
    Constant,
    /// `baseMs + stepMs × (n − 1)`.
    Linear,
    /// `baseMs × factor^(n − 1)` (the default).
    #[default]
    Exponential,
    /// AWS "decorrelated jitter": `sleep = min(maxMs, U(baseMs, max(baseMs, 3 × sleep)))`,
    /// where `sleep` is the previous delay (kept in a
    /// [`BackoffState`](super::BackoffState)) and starts as
    /// [`decorrelatedStart`](BackoffOptions::decorrelated_start) says.
    /// Randomised by the draw itself, so `jitter` must be `none`.
    Decorrelated,
    /// Polly v8 "decorrelated jitter V2": with `t = n − 1 + u` and
    /// `p(t) = 2^t × tanh(√(4t))`, the delay is `(p(t) − p_prev) / 1.4 × baseMs`
    /// and `p_prev` becomes `p(t)` (kept in a
    /// [`BackoffState`](super::BackoffState), `0` when fresh). When `p(t)`
    /// overflows the delay is `maxMs`. Randomised by the draw itself, so
    /// `jitter` must be `none`.
    PollyV2,
}

/// How a delay `d` is randomised with a draw `u ∈ [0, 1)`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub enum Jitter {
    /// The schedule's natural jitter (the default): `full` for `constant`,
    /// `linear` and `exponential`; `none` for `decorrelated` and `pollyV2`,
    /// which are randomised by the draw already.
    #[default]
    Auto,
    /// `d`: every client waits the same time (synchronised retries).
    None,
    /// `U(0, d) = u × d` (AWS "full jitter").
    Full,
    /// `d/2 + U(0, d/2)` (AWS "equal jitter").
    Equal,
    /// `d × (1 + jitterRatio × (2u − 1))`, i.e. `d ± jitterRatio × d` (gRPC, Polly
    /// constant/linear).
    Proportional,
    /// `d + U(0, jitterMs)` (ioredis 6).
    Additive,
}

/// Where the `maxMs` cap is applied relative to jitter.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub enum CapOrder {
    /// `jitter(min(d, maxMs))` (the default): the cap bounds the schedule and
    /// the jitter still spreads delays once the schedule has reached it. For
    /// jitters that can lengthen a delay (`proportional`, `additive`) the
    /// longest delay is then `maxMs × (1 + jitterRatio)` or `maxMs + jitterMs`
    /// (as gRPC's `MAX_BACKOFF` and ioredis 6 behave);
    /// [`Backoff::max_delay`](super::Backoff::max_delay) reports it.
    #[default]
    CapThenJitter,
    /// `min(jitter(d), maxMs)`: the peers' order (redis-py
    /// `ExponentialWithJitterBackoff`, AWS JS v3). A hard cap, but once the
    /// schedule passes `maxMs` most delays pile up exactly at the cap and the
    /// jitter is lost where it matters most.
    JitterThenCap,
}

/// What the `decorrelated` schedule takes as the "previous delay" before the
/// first retry.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub enum DecorrelatedStart {
    /// `sleep` starts at `baseMs`, so the first delay is `U(baseMs, 3 × baseMs)`
    /// (the AWS Architecture blog and its simulator; the default).
    #[default]
    Base,
    /// `sleep` starts at `0`, so the first delay is exactly `baseMs`
    /// (redis-py `DecorrelatedJitterBackoff`).
    Zero,
}

/// Configuration of a [`Backoff`](super::Backoff): which schedule, which
/// jitter, which bounds.
///
/// Attempts are 1-based everywhere: attempt 1 is the delay before the first
/// retry (redis-py's `failures`, ioredis' `times`).
///
/// # Defaults
///
/// [`BackoffOptions::default()`] is the one place the defaults live:
///
/// | option (serialised) | default | meaning |
/// |---|---|---|
/// | `schedule` | `"exponential"` | see [`Schedule`] |
/// | `baseMs` | `100` | first delay (constant/linear/exponential), lower bound (decorrelated), scale (pollyV2) |
/// | `stepMs` | `null` (= `baseMs`) | linear increment per attempt |
/// | `factor` | `2` | exponential growth per attempt |
/// | `minMs` | `0` | floor of every delay |
/// | `maxMs` | `10000` | cap (see [`CapOrder`] for its order with jitter) |
/// | `jitter` | `"auto"` (`full`, or `none` for the randomised schedules) | see [`Jitter`] |
/// | `jitterRatio` | `0.2` | spread of `proportional` jitter (±20 %, gRPC's value) |
/// | `jitterMs` | `0` | upper bound of `additive` jitter |
/// | `maxAttempts` | `null` (unlimited) | delays handed out before giving up |
/// | `capOrder` | `"capThenJitter"` | keeps the jitter spread at the cap |
/// | `wholeMs` | `false` | floor delays to whole milliseconds |
/// | `decorrelatedStart` | `"base"` | first decorrelated delay `U(base, 3·base)` |
///
/// Every field is validated by [`Backoff::new`](super::Backoff::new), whatever
/// the schedule, so a typo in an unused field is still reported.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", deny_unknown_fields, default)
)]
pub struct BackoffOptions {
    /// The curve before jitter (`schedule`).
    pub schedule: Schedule,
    /// Base delay in milliseconds (`baseMs`), in `[0, MAX_MILLIS]`.
    pub base_ms: f64,
    /// Linear increment in milliseconds (`stepMs`); `None` means `baseMs`, so
    /// `linear` gives `baseMs × n`.
    pub step_ms: Option<f64>,
    /// Exponential growth per attempt (`factor`), finite and at least 1.
    pub factor: f64,
    /// Floor of every delay in milliseconds (`minMs`), at most `maxMs`.
    pub min_ms: f64,
    /// Cap in milliseconds (`maxMs`), in `[minMs, MAX_MILLIS]`.
    pub max_ms: f64,
    /// How delays are randomised (`jitter`).
    pub jitter: Jitter,
    /// Spread of `proportional` jitter (`jitterRatio`), in `[0, 1]`.
    pub jitter_ratio: f64,
    /// Upper bound of `additive` jitter in milliseconds (`jitterMs`).
    pub jitter_ms: f64,
    /// Number of delays handed out before giving up (`maxAttempts`): with
    /// `Some(m)`, attempts `1..=m` get a delay and attempt `m + 1` gets
    /// `None`. Counts retries, not calls: AWS's "3 attempts" is `Some(2)`.
    pub max_attempts: Option<u32>,
    /// Where the cap is applied relative to jitter (`capOrder`).
    pub cap_order: CapOrder,
    /// Floor the final delay to whole milliseconds (`wholeMs`), as ioredis
    /// needs for `setTimeout`. Requires a whole `minMs`.
    pub whole_ms: bool,
    /// The `decorrelated` schedule's starting point (`decorrelatedStart`).
    pub decorrelated_start: DecorrelatedStart,
}

impl Default for BackoffOptions {
    fn default() -> Self {
        Self {
            schedule: Schedule::Exponential,
            base_ms: 100.0,
            step_ms: None,
            factor: 2.0,
            min_ms: 0.0,
            max_ms: 10_000.0,
            jitter: Jitter::Auto,
            jitter_ratio: 0.2,
            jitter_ms: 0.0,
            max_attempts: None,
            cap_order: CapOrder::CapThenJitter,
            whole_ms: false,
            decorrelated_start: DecorrelatedStart::Base,
        }
    }
}
