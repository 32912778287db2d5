//! Retry backoff: how long to wait before retry number `attempt`.
//!
//! Why: every client library our users know has its own formula (redis-py's
//! seven backoff classes, ioredis' `retryStrategy`, the AWS SDKs, gRPC, Polly),
//! and a user moving to stormguard expects the same delays. One engine computes
//! them all from plain options ([`BackoffOptions`], with [`presets`] that
//! reproduce the peers), in `f64` nanoseconds with the crate's own float
//! functions, so Rust, Node, Python and WebAssembly agree to the nanosecond.
//! Unlike several peers, the default keeps the jitter spread when the schedule
//! reaches the cap: the cap is applied before the jitter, not after it.
//!
//! ## Formula
//!
//! Attempts are 1-based: `n = 1` is the delay before the first retry (attempt
//! `0` is treated as `1`). `u ∈ [0, 1)` is the caller's draw (NaN, negatives
//! and values ≥ 1 are clamped into range).
//!
//! ```text
//! schedule      constant      d = base
//!               linear        d = base + step·(n − 1)
//!               exponential   d = base · factor^(n − 1)
//!               decorrelated  s = min(max, U(base, max(base, 3·s_prev)))           (state: s_prev)
//!               pollyV2       t = n − 1 + u; p = 2^t·tanh(√(4t)); (p − p_prev)/1.4·base, capped
//! jitter        none d · full u·d · equal d/2 + u·d/2 · proportional d·(1 + ratio·(2u − 1))
//!               · additive d + u·jitterMs
//! cap order     capThenJitter  jitter(min(d, max))        (default: spread kept at the cap)
//!               jitterThenCap  min(jitter(d), max)        (redis-py EWJ: piles up at the cap)
//! then          delay = max(min, ·); wholeMs floors it to whole milliseconds
//! give up       next_delay returns None once n > maxAttempts
//! ```
//!
//! `decorrelated` and `pollyV2` are randomised by the draw itself, so they take
//! no extra jitter, and their previous value lives in a [`BackoffState`] the
//! caller owns (one per retried operation; `BackoffState::default()` resets).
//!
//! ## Constraints
//!
//! * The deterministic curves' first 16 delays (with the jitter's offset and
//!   slope) are computed once, in [`Backoff::new`], by the same code that
//!   evaluates the curve, so a lookup is bit-identical to an evaluation; the
//!   hot path is then a load, a multiply-add, two clamps and the conversion.
//! * Options are validated once, in [`Backoff::new`]; after that nothing fails,
//!   allocates or panics, for any `attempt` (including `0` and `u32::MAX`) and
//!   any draw (NaN included).
//! * Exponential growth is clamped at the first exponent that reaches the cap
//!   (the largest finite `f64` when jitter comes before the cap), so huge
//!   attempts give the cap, never NaN, infinity or an overflow.
//! * One draw per delay: [`Backoff::next_delay_with_rng`] draws exactly one
//!   value for each delay it hands out and none when it gives up, so seeded
//!   streams line up across bindings.

mod jitter;
mod nominal;
mod options;
pub mod presets;
#[cfg(test)]
mod presets_tests;
mod schedule;
#[cfg(test)]
mod state_tests;
#[cfg(test)]
mod tests;

pub use options::{BackoffOptions, CapOrder, DecorrelatedStart, Jitter, Schedule};
pub use schedule::BackoffState;

use crate::ConfigError;
use crate::float::floor;
use crate::rng::{clamp_unit, unit_f64};
use crate::time::{Duration, MAX_MILLIS, duration_from_non_negative_nanos};
use jitter::Spread;
use nominal::Nominal;
use schedule::{Curve, Value};

/// Nanoseconds in one millisecond.
const NANOS_PER_MILLI: f64 = 1_000_000.0;

/// A validated backoff: computes the delay before each retry.
///
/// `Copy` and immutable, a few cache lines (most of it the table of the first
/// delays, which lets [`Backoff::delay`] skip evaluating the curve); the
/// per-operation memory of the stateful schedules lives in a [`BackoffState`].
///
/// ```
/// use stormguard::backoff::{Backoff, BackoffOptions, BackoffState};
///
/// let backoff = Backoff::new(&BackoffOptions::default())?;
/// let mut state = BackoffState::default();
/// // Attempt 3 of exponential 100 ms × 2^(n−1) with full jitter and u = 0.5:
/// let delay = backoff.next_delay(&mut state, 3, 0.5);
/// assert_eq!(delay, Some(core::time::Duration::from_millis(200)));
/// # Ok::<(), stormguard::ConfigError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Backoff {
    curve: Curve,
    /// The curve's first values, so most calls skip evaluating it.
    nominal: Nominal,
    spread: Spread,
    /// `maxMs` in nanoseconds.
    cap_ns: f64,
    /// `minMs` in nanoseconds.
    min_ns: f64,
    /// The cap applied after the jitter: `maxMs` for `jitterThenCap`, +∞
    /// (no-op) for `capThenJitter`, whose table entries are capped already.
    cap_after_jitter_ns: f64,
    /// Whether a table lookup is the final value in nanoseconds: capped
    /// already and never below `minMs`, so the hot path skips both clamps
    /// (each a step on the critical path of the calculation).
    lookup_is_final: bool,
    jitter_then_cap: bool,
    whole_ms: bool,
    max_attempts: Option<u32>,
}

impl Backoff {
    /// Validates `options` and builds the backoff.
    ///
    /// # Errors
    /// A [`ConfigError`] naming the first bad option:
    /// * `baseMs`, `stepMs`, `minMs`, `maxMs`, `jitterMs`: NaN, infinite,
    ///   negative or above [`MAX_MILLIS`];
    /// * `factor`: NaN, infinite or below 1;
    /// * `jitterRatio`: outside `[0, 1]`;
    /// * `minMs`: greater than `maxMs`, or not a whole number while `wholeMs`
    ///   is set;
    /// * `jitter`: anything but `none` with the `decorrelated` and `pollyV2`
    ///   schedules, which are randomised by the draw already.
    pub fn new(options: &BackoffOptions) -> Result<Self, ConfigError> {
        let base_ns = nanos("baseMs", options.base_ms)?;
        let step_ns = match options.step_ms {
            Some(step_ms) => nanos("stepMs", step_ms)?,
            None => base_ns,
        };
        let factor = ConfigError::check_range("factor", options.factor, 1.0, f64::MAX)?;
        let min_ns = nanos("minMs", options.min_ms)?;
        let cap_ns = nanos("maxMs", options.max_ms)?;
        let ratio = ConfigError::check_range("jitterRatio", options.jitter_ratio, 0.0, 1.0)?;
        let extra_ns = nanos("jitterMs", options.jitter_ms)?;
        if options.min_ms > options.max_ms {
            return Err(ConfigError::Invalid {
                field: "minMs",
                reason: "must not be greater than `maxMs`",
            });
        }
        if options.whole_ms && floor(options.min_ms) != options.min_ms {
            return Err(ConfigError::Invalid {
                field: "minMs",
                reason: "must be a whole number of milliseconds when `wholeMs` is set",
            });
        }
        let curve = match options.schedule {
            Schedule::Constant => Curve::Constant { delay_ns: base_ns },
            Schedule::Linear => Curve::Linear { base_ns, step_ns },
            // Past the cap the value no longer matters when the cap comes
            // first; jittering first needs it up to the largest finite value.
            Schedule::Exponential => Curve::exponential(
                base_ns,
                factor,
                match options.cap_order {
                    CapOrder::CapThenJitter => cap_ns,
                    CapOrder::JitterThenCap => f64::MAX,
                },
            ),
            Schedule::Decorrelated => Curve::Decorrelated {
                base_ns,
                start_ns: match options.decorrelated_start {
                    DecorrelatedStart::Base => base_ns,
                    DecorrelatedStart::Zero => 0.0,
                },
            },
            Schedule::PollyV2 => Curve::PollyV2 { base_ns },
        };
        let jitter = match options.jitter {
            Jitter::Auto if curve.uses_state() => Jitter::None,
            Jitter::Auto => Jitter::Full,
            explicit => explicit,
        };
        if curve.uses_state() && jitter != Jitter::None {
            return Err(ConfigError::Invalid {
                field: "jitter",
                reason: "must be \"none\" with the decorrelated and pollyV2 schedules, \
                         which are randomised by the draw already",
            });
        }
        let jitter_then_cap = options.cap_order == CapOrder::JitterThenCap;
        let spread = Spread::new(jitter, ratio, extra_ns);
        let nominal = Nominal::new(&curve, &spread, cap_ns, !jitter_then_cap);
        Ok(Self {
            curve,
            nominal,
            spread,
            cap_ns,
            min_ns,
            cap_after_jitter_ns: if jitter_then_cap {
                cap_ns
            } else {
                f64::INFINITY
            },
            lookup_is_final: !jitter_then_cap && nominal.never_below(min_ns),
            jitter_then_cap,
            whole_ms: options.whole_ms,
            max_attempts: options.max_attempts,
        })
    }

    /// The delay before retry `attempt` (1-based) with draw `u`, advancing
    /// `state` for the stateful schedules; `None` once `attempt > maxAttempts`
    /// (the state is then left untouched).
    ///
    /// Call it with `attempt = 1, 2, …` on one state per retried operation.
    #[inline]
    pub fn next_delay(&self, state: &mut BackoffState, attempt: u32, u: f64) -> Option<Duration> {
        if self.gives_up(attempt) {
            return None;
        }
        Some(self.compute(Some(state), attempt, u))
    }

    /// [`Backoff::next_delay`] with the draw taken from `rng`: exactly one draw
    /// per delay returned, none when giving up.
    pub fn next_delay_with_rng<R: rand::Rng + ?Sized>(
        &self,
        state: &mut BackoffState,
        attempt: u32,
        rng: &mut R,
    ) -> Option<Duration> {
        if self.gives_up(attempt) {
            return None;
        }
        Some(self.compute(Some(state), attempt, unit_f64(rng)))
    }

    /// The pure form: the delay before retry `attempt` with draw `u`, ignoring
    /// `maxAttempts`.
    ///
    /// For `decorrelated` and `pollyV2` this is the delay computed from a
    /// fresh [`BackoffState`], i.e. as if `attempt` were the first retry of the
    /// operation: `decorrelated` gives its first delay whatever `attempt` is,
    /// and `pollyV2` gives the whole formula value `p(attempt − 1 + u)/1.4·base`
    /// rather than an increment. Use [`Backoff::next_delay`] for sequences.
    #[inline]
    pub fn delay(&self, attempt: u32, u: f64) -> Duration {
        self.compute(None, attempt, u)
    }

    /// `maxAttempts`: the number of delays handed out before giving up, or
    /// `None` for unlimited.
    pub const fn max_attempts(&self) -> Option<u32> {
        self.max_attempts
    }

    /// No delay is longer than this: `maxMs`, or the jitter's upper bound
    /// around it when `capThenJitter` meets a jitter that can lengthen a delay
    /// (`maxMs × (1 + jitterRatio)` for `proportional`, `maxMs + jitterMs` for
    /// `additive`). At least `minMs`.
    pub fn max_delay(&self) -> Duration {
        let ns = if self.curve.uses_state() || self.jitter_then_cap {
            self.cap_ns
        } else {
            self.spread.upper_bound(self.cap_ns)
        };
        self.finish(ns)
    }

    /// The delay every call gives, when it depends on neither the attempt nor
    /// the draw (`constant` without jitter, or a curve that starts at its
    /// cap) and `maxAttempts` is unset; `None` otherwise.
    ///
    /// Lets a binding convert that one delay to a host value once, instead of
    /// on every call: redis-py's `ConstantBackoff` and `NoBackoff` return a
    /// stored number, and a drop-in should cost no more.
    pub fn constant_delay(&self) -> Option<Duration> {
        if self.max_attempts.is_some() {
            return None;
        }
        let ns = self.nominal.constant_ns()?;
        Some(self.finish(at_most(ns, self.cap_after_jitter_ns)))
    }

    /// Whether the schedule reads and writes a [`BackoffState`]
    /// (`decorrelated`, `pollyV2`). Stateless schedules accept any state.
    pub fn uses_state(&self) -> bool {
        self.curve.uses_state()
    }

    /// Whether `attempt` is past `maxAttempts`.
    fn gives_up(&self, attempt: u32) -> bool {
        matches!(self.max_attempts, Some(max) if attempt.max(1) > max)
    }

    /// The hot path shared by every entry point: a table lookup for the
    /// deterministic curves' first attempts, the curve itself otherwise.
    /// Without a `state` (the pure [`Backoff::delay`]) a fresh one is used,
    /// made only when the curve is evaluated.
    // One out-of-line copy on wasm32: the browser module is size-bound.
    #[cfg_attr(target_arch = "wasm32", inline(never))]
    #[cfg_attr(not(target_arch = "wasm32"), inline)]
    fn compute(&self, state: Option<&mut BackoffState>, attempt: u32, u: f64) -> Duration {
        let u = clamp_unit(u);
        let ns = match self.nominal.lookup(attempt) {
            Some((offset_ns, slope_ns)) if self.lookup_is_final => offset_ns + slope_ns * u,
            Some((offset_ns, slope_ns)) => {
                self.floor(at_most(offset_ns + slope_ns * u, self.cap_after_jitter_ns))
            }
            None => self.floor(self.evaluate(state, attempt, u)),
        };
        self.duration_of(ns)
    }

    /// The delay in nanoseconds from the curve itself, before `minMs`.
    fn evaluate(&self, state: Option<&mut BackoffState>, attempt: u32, u: f64) -> f64 {
        let mut fresh = BackoffState::new();
        let state = state.unwrap_or(&mut fresh);
        let n = attempt.max(1);
        match self.curve.value(state, n, u, self.cap_ns) {
            Value::Deterministic(delay_ns) if self.jitter_then_cap => {
                self.spread.apply(delay_ns, u).min(self.cap_ns)
            }
            Value::Deterministic(delay_ns) => self.spread.apply(at_most(delay_ns, self.cap_ns), u),
            Value::Randomised(delay_ns) => delay_ns,
        }
    }

    /// Floor at `minMs`, optional whole milliseconds, conversion.
    #[inline]
    fn finish(&self, ns: f64) -> Duration {
        self.duration_of(self.floor(ns))
    }

    /// Floor at `minMs`: a select the compiler turns into one `max`
    /// instruction; it also turns a NaN (impossible by construction) into
    /// `minMs`.
    #[inline]
    fn floor(&self, ns: f64) -> f64 {
        if ns > self.min_ns { ns } else { self.min_ns }
    }

    /// Optional whole milliseconds, then the conversion of a value `≥ 0`.
    #[inline]
    fn duration_of(&self, ns: f64) -> Duration {
        let ns = if self.whole_ms {
            floor(ns / NANOS_PER_MILLI) * NANOS_PER_MILLI
        } else {
            ns
        };
        duration_from_non_negative_nanos(ns)
    }
}

/// `min(value, cap)` as one `min` instruction (a NaN `value`, impossible by
/// construction, gives `cap`, as `f64::min` would).
#[inline]
fn at_most(value: f64, cap: f64) -> f64 {
    if value < cap { value } else { cap }
}

/// A validated millisecond option as nanoseconds.
fn nanos(field: &'static str, ms: f64) -> Result<f64, ConfigError> {
    Ok(ConfigError::check_range(field, ms, 0.0, MAX_MILLIS)? * NANOS_PER_MILLI)
}
