//! Schedules: the delay curve before jitter, and the state the randomised
//! curves carry from one retry to the next.
//!
//! Why a caller-owned state: `decorrelated` and `pollyV2` depend on the
//! previous delay. Keeping that in a small `Copy` struct the caller owns (one
//! per operation being retried) leaves [`Backoff`](super::Backoff) immutable and
//! shareable between threads, and makes "reset" a plain
//! `BackoffState::default()`.
//!
//! ```text
//! constant      d(n) = base
//! linear        d(n) = base + step·(n − 1)
//! exponential   d(n) = base · factor^min(n − 1, e*)      e*: first exponent at or past the cap
//!                                                         (past f64::MAX when jitter comes first)
//! decorrelated  s = min(cap, base + u·(max(base, 3·s_prev) − base))
//! pollyV2       t = n − 1 + u;  p = 2^t·tanh(√(4t));  d = (p − p_prev)·(1/1.4)·base
//! ```
//!
//! Constraints: all values are `f64` nanoseconds; the stateless curves return a
//! finite value ≥ 0 for every `n`; the randomised curves return a value in
//! `[0, cap]` and never store NaN or an infinity in the state.

use crate::float::{exp2, powi, sqrt, tanh};

/// Polly's scaling of the V2 formula, `1 / 1.4`, so medians land near
/// `base × 2^(n−1)`.
const POLLY_SCALE: f64 = 1.0 / 1.4;

/// The growth of the `decorrelated` upper bound per retry (AWS and redis-py).
const DECORRELATED_GROWTH: f64 = 3.0;

/// What a stateful schedule remembers between retries. `Default` is a fresh
/// state: reset a backoff by replacing its state with `BackoffState::default()`
/// (redis-py's `reset()`, a Polly execution starting over).
///
/// The stateless schedules ignore it, so one state per retried operation is
/// always correct.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", deny_unknown_fields, default)
)]
pub struct BackoffState {
    /// `decorrelated`: the previous delay in nanoseconds; `pollyV2`: the
    /// previous value of the formula `p` (unitless). `0` means fresh. Always
    /// finite, so a snapshot survives JSON.
    previous: f64,
}

impl BackoffState {
    /// A fresh state (same as `Default`).
    pub const fn new() -> Self {
        Self { previous: 0.0 }
    }

    /// Whether no stateful delay has been computed since the last reset.
    pub fn is_fresh(&self) -> bool {
        // A restored snapshot may hold anything; only a positive value counts.
        self.previous.is_nan() || self.previous <= 0.0
    }
}

/// What a curve produced for one attempt.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Value {
    /// A deterministic delay still to be jittered and capped (finite, ≥ 0).
    Deterministic(f64),
    /// A delay the curve already randomised and capped (in `[0, cap]`).
    Randomised(f64),
}

/// A schedule with its parameters resolved to nanoseconds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Curve {
    Constant {
        delay_ns: f64,
    },
    Linear {
        base_ns: f64,
        step_ns: f64,
    },
    Exponential {
        base_ns: f64,
        factor: f64,
        /// `e*`: beyond it the value only grows past the saturation point, so
        /// the exponent is clamped there (keeps `powi` short, the value
        /// finite where it matters).
        saturation_exponent: u32,
    },
    Decorrelated {
        base_ns: f64,
        start_ns: f64,
    },
    PollyV2 {
        base_ns: f64,
    },
}

impl Curve {
    /// An exponential curve whose value stops mattering at `saturation_ns`
    /// (the cap, or `f64::MAX` when jitter comes before the cap), with `e*`
    /// found once, here.
    pub(super) fn exponential(base_ns: f64, factor: f64, saturation_ns: f64) -> Self {
        Self::Exponential {
            base_ns,
            factor,
            saturation_exponent: saturation_exponent(base_ns, factor, saturation_ns),
        }
    }

    /// Whether the curve reads and writes a [`BackoffState`].
    pub(super) fn uses_state(&self) -> bool {
        matches!(self, Self::Decorrelated { .. } | Self::PollyV2 { .. })
    }

    /// The curve's value for attempt `n ≥ 1` and sanitised draw `u`.
    #[inline]
    pub(super) fn value(&self, state: &mut BackoffState, n: u32, u: f64, cap_ns: f64) -> Value {
        match *self {
            Self::Constant { delay_ns } => Value::Deterministic(delay_ns),
            Self::Linear { base_ns, step_ns } => {
                // ≤ 1.8e19 + 1.8e19 × 4.3e9: finite.
                Value::Deterministic(base_ns + step_ns * f64::from(n - 1))
            }
            Self::Exponential {
                base_ns,
                factor,
                saturation_exponent,
            } => {
                let exponent = (n - 1).min(saturation_exponent);
                // base > 0 here when e* > 0, so an overflow is +∞, never NaN;
                // clamp it to a finite value so jitter cannot make NaN of it.
                Value::Deterministic((base_ns * power(factor, exponent)).min(f64::MAX))
            }
            Self::Decorrelated { base_ns, start_ns } => {
                let previous = if state.is_fresh() {
                    start_ns
                } else {
                    // A restored state may come from a larger cap: bound it so
                    // 3 × previous stays finite.
                    state.previous.min(cap_ns)
                };
                let high = (DECORRELATED_GROWTH * previous).max(base_ns);
                let sleep = (base_ns + u * (high - base_ns)).min(cap_ns);
                state.previous = sleep;
                Value::Randomised(sleep)
            }
            Self::PollyV2 { base_ns } => {
                let t = f64::from(n - 1) + u;
                let next = exp2(t) * tanh(sqrt(4.0 * t));
                if !next.is_finite() {
                    // 2^t overflowed (t ≥ 1024): the delay is the cap, and the
                    // state keeps the largest finite value instead of +∞.
                    state.previous = f64::MAX;
                    return Value::Randomised(cap_ns);
                }
                let previous = if state.is_fresh() {
                    0.0
                } else {
                    state.previous
                };
                state.previous = next;
                // Attempts that go backwards would make this negative.
                let intrinsic = (next - previous).max(0.0);
                Value::Randomised((intrinsic * POLLY_SCALE * base_ns).min(cap_ns))
            }
        }
    }
}

/// `factor^exponent`, the same bits as `powi`. Doubling (the usual factor)
/// builds `2^e` from its exponent bits instead of multiplying.
fn power(factor: f64, exponent: u32) -> f64 {
    if factor == 2.0 {
        if exponent <= 1023 {
            f64::from_bits(u64::from(exponent + 1023) << 52)
        } else {
            f64::INFINITY
        }
    } else {
        powi(factor, i32::try_from(exponent).unwrap_or(i32::MAX))
    }
}

/// The smallest exponent `e` with `base × factor^e ≥ saturation` (binary
/// search over `powi`, which is monotone in `e` for `factor ≥ 1`), or
/// `u32::MAX >> 1` when the curve never gets there. Zero when the curve cannot
/// grow.
fn saturation_exponent(base_ns: f64, factor: f64, saturation_ns: f64) -> u32 {
    let largest = i32::MAX.unsigned_abs();
    // Inputs are validated: finite, base ≥ 0, factor ≥ 1.
    if base_ns <= 0.0 || factor <= 1.0 || base_ns >= saturation_ns {
        return 0;
    }
    let reaches = |e: u32| base_ns * power(factor, e) >= saturation_ns;
    if !reaches(largest) {
        return largest;
    }
    // Invariant: `reaches(high)` and not `reaches(low)`.
    let (mut low, mut high) = (0u32, largest);
    while high - low > 1 {
        let middle = low + (high - low) / 2;
        if reaches(middle) {
            high = middle;
        } else {
            low = middle;
        }
    }
    high
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saturation_exponent_is_the_first_exponent_at_the_cap() {
        assert_eq!(saturation_exponent(100.0, 2.0, 10_000.0), 7); // 12_800 ≥ 10_000 > 6_400
        assert_eq!(saturation_exponent(100.0, 2.0, 6_400.0), 6);
        assert_eq!(saturation_exponent(0.0, 2.0, 10_000.0), 0);
        assert_eq!(saturation_exponent(100.0, 1.0, 10_000.0), 0);
        assert_eq!(saturation_exponent(1e4, 2.0, 100.0), 0);
        assert_eq!(
            saturation_exponent(1.0, 1.0 + f64::EPSILON, 1e19),
            i32::MAX.unsigned_abs()
        );
    }

    #[test]
    fn doubling_is_bit_identical_to_powi() {
        for e in 0..=1_100u32 {
            let expected = powi(2.0, i32::try_from(e).unwrap());
            assert_eq!(power(2.0, e).to_bits(), expected.to_bits(), "2^{e}");
        }
        assert_eq!(power(2.0, u32::MAX >> 1), f64::INFINITY);
        assert_eq!(power(1.6, 2), powi(1.6, 2));
    }

    #[test]
    fn restored_states_with_junk_are_treated_as_fresh() {
        for junk in [f64::NAN, -1.0, 0.0, f64::NEG_INFINITY] {
            let state = BackoffState { previous: junk };
            assert!(state.is_fresh(), "{junk}");
        }
        assert!(!BackoffState { previous: 1.0 }.is_fresh());
    }
}
