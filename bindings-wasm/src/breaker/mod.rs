//! Circuit breakers: one, or one per key (origin) in a bounded registry.
//!
//! Why: a dependency that keeps failing should be left alone for a while and
//! probed before full traffic returns. The core's
//! [`Breaker`](stormguard::breaker::Breaker) is the whole state machine; the
//! core's [`Registry`] bounds how many origins `createFetch` tracks. This
//! export carries the two-step protocol across the boundary:
//!
//! ```text
//! tryAcquire(now)     → [1, generation, id] admitted | [0, retryAfterMs] rejected (lastRejectedState)
//! record(now, generation, id, outcome, durationMs)
//!                     → 0 counted | 1 released | 2 late | 3 reused | 4 unknown
//!                       (outcome 0 success | 1 failure | 2 ignored)
//! pollTransition()    → "from to reason" | "" (oldest first; transitionAtMs says when)
//! pollTimeoutMs(), admitsAtMs() → ms or NaN
//! control(now, action)  0 forceOpen | 1 disable | 2 metricsOnly | 3 reset
//! ```
//!
//! Permits cross as their two numbers (the core's `Permit::from_parts`), so
//! a permit recorded twice is reported `reused` by the core.
//!
//! Constraints: no call panics; time-driven changes happen when a `now`
//! arrives (the JS layer calls `tick` at `pollTimeoutMs`).

use crate::error::Error;
use crate::{clock, options};
use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;
use stormguard::breaker::{self as core, BreakerOptions, Outcome, PermitError, Recorded};
use stormguard::registry::{Registry, RegistryOptions};
use wasm_bindgen::prelude::wasm_bindgen;

mod registry;
#[cfg(feature = "vectors")]
mod single;

pub use registry::BreakerRegistry;
#[cfg(feature = "vectors")]
pub use single::Breaker;

/// What `try_acquire` answered, as numbers: `[1, generation, id]` or `[0,
/// retryAfterMs]` (NaN when only a manual change will admit a call).
fn acquired(result: Result<core::Permit, core::Rejected>) -> Vec<f64> {
    match result {
        // Generations and ids are counters: far below 2^53, exact in an f64.
        Ok(permit) => [1.0, permit.generation() as f64, permit.id() as f64].to_vec(),
        Err(rejected) => [0.0, rejected.retry_after.map_or(f64::NAN, clock::millis)].to_vec(),
    }
}

/// A permit from its two numbers (saturating; NaN becomes 0).
fn permit(generation: f64, id: f64) -> core::Permit {
    core::Permit::from_parts(generation as u64, id as u64)
}

/// A transition as `"from to reason"`.
fn describe(t: &core::Transition) -> String {
    let mut out = String::new();
    for (i, name) in [t.from.name(), t.to.name(), t.reason.name()]
        .iter()
        .enumerate()
    {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(name);
    }
    out
}

/// An outcome from its index (`0` success, `1` failure, else ignored) and an
/// optional duration (NaN = none).
fn outcome(kind: u32, duration_ms: f64) -> Outcome {
    let base = match kind {
        0 => Outcome::success(),
        1 => Outcome::failure(),
        _ => Outcome::ignored(),
    };
    if duration_ms.is_nan() {
        base
    } else {
        base.took(clock::duration(duration_ms))
    }
}

/// What `record` did, as an index (see the module docs).
fn recorded(result: Result<Recorded, PermitError>) -> u32 {
    match result {
        Ok(Recorded::Counted) => 0,
        Ok(Recorded::Released) => 1,
        Ok(Recorded::Late) => 2,
        Err(PermitError::Reused) => 3,
        Err(_) => 4,
    }
}

/// Manual control by index: `0` forceOpen, `1` disable, `2` metricsOnly,
/// `3` reset (anything else does nothing).
pub fn control(breaker: &mut core::Breaker, now_ms: f64, action: u32) {
    let now = clock::instant(now_ms);
    match action {
        0 => breaker.force_open(now),
        1 => breaker.disable(now),
        2 => breaker.metrics_only(now),
        3 => breaker.reset(now),
        _ => {}
    }
}

/// An optional instant as ms (NaN when none).
fn instant_ms(at: Option<stormguard::Instant>) -> f64 {
    at.map_or(f64::NAN, |t| t.as_millis_f64())
}

/// Options from a preset name (`""` = defaults) and the table's values.
///
/// # Errors
/// `unknownVariant` naming `preset`, or the first bad option.
pub fn breaker_options(
    prefix: &str,
    preset: &str,
    values: &[f64],
    open_backoff: Option<&[f64]>,
) -> Result<BreakerOptions, Error> {
    let base = if preset.is_empty() {
        BreakerOptions::default()
    } else {
        core::presets::by_name(preset).ok_or_else(|| {
            Error::new("unknownVariant", prefix, "preset")
                .with_reason("resilience4j|opossum|pybreaker|polly|gobreaker")
        })?
    };
    options::breaker(prefix, base, values, open_backoff)
}

/// A breaker's metrics as numbers, in the order of [`METRICS`]: counters,
/// window contents, rates (NaN = not defined yet), then ms in each state
/// (closed, open, halfOpen, forcedOpen, disabled, metricsOnly).
pub fn metrics(breaker: &mut core::Breaker, now_ms: f64) -> Vec<f64> {
    let m = breaker.metrics(clock::instant(now_ms));
    let mut out = [
        f64::from(m.consecutive_openings),
        m.admitted as f64,
        m.rejected as f64,
        m.calls as f64,
        m.successes as f64,
        m.failures as f64,
        m.slow_calls as f64,
        m.ignored as f64,
        m.late_results as f64,
        m.expired_probes as f64,
        m.transitions as f64,
        m.dropped_transitions as f64,
        f64::from(m.probes_in_flight),
        m.window_calls as f64,
        m.window_failures as f64,
        m.window_slow_calls as f64,
        m.failure_rate.map_or(f64::NAN, |rate| rate),
        m.slow_call_rate.map_or(f64::NAN, |rate| rate),
    ]
    .to_vec();
    out.extend(m.time_in_state.iter().map(|&d| clock::millis(d)));
    out
}

/// The names of the numbers `metrics` returns (before the six time-in-state
/// values), comma-separated.
#[wasm_bindgen(js_name = breakerMetricNames)]
pub fn metric_names() -> String {
    METRICS.to_owned()
}

/// Names of the numbers [`metrics`] returns (before the six
/// time-in-state values).
pub const METRICS: &str = "consecutiveOpenings,admitted,rejected,calls,successes,failures,\
slowCalls,ignored,lateResults,expiredProbes,transitions,droppedTransitions,probesInFlight,\
windowCalls,windowFailures,windowSlowCalls,failureRate,slowCallRate";
