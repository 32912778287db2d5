//! Circuit breakers: one, or one per key (origin) in a bounded registry.
//!
//! Why: a dependency that keeps failing should be left alone for a while and
//! probed before full traffic returns. The core's
//! [`Breaker`](stormguard::breaker::Breaker) is the whole state machine; the
//! core's [`Registry`] bounds how many origins `createFetch` tracks. This
//! export carries the two-step protocol across the boundary:
//!
//! ```text
//! tryAcquire(now)                 → CoreBreakerPermit | undefined (rejected: lastRejection*)
//! record(now, permit, outcome, durationMs) → "counted" | "released" | "late" | "reused" | "unknown"
//! pollTransition()                → CoreTransition | undefined (oldest first)
//! pollTimeoutMs(), admitsAtMs()   → ms or NaN
//! ```
//!
//! Constraints: no call panics; time-driven changes happen when a `now`
//! arrives (the JS layer calls `tick` at `pollTimeoutMs`).

use crate::error::Error;
use crate::{clock, options};
use stormguard::breaker::{self as core, BreakerOptions, Outcome, PermitError, Recorded};
use stormguard::registry::{Registry, RegistryOptions};
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::wasm_bindgen;

mod registry;
#[cfg(feature = "vectors")]
mod single;

pub use registry::BreakerRegistry;
#[cfg(feature = "vectors")]
pub use single::Breaker;

/// Proof that a breaker admitted one call: the core permit's generation and
/// id, from which `record` rebuilds it (so a second `record` of the same
/// permit is reported `"reused"` by the core instead of being impossible to
/// express).
#[wasm_bindgen(js_name = CoreBreakerPermit)]
#[derive(Debug, Clone, Copy)]
pub struct BreakerPermit {
    generation: u64,
    id: u64,
}

impl BreakerPermit {
    fn from_core(permit: &core::Permit) -> Self {
        Self {
            generation: permit.generation(),
            id: permit.id(),
        }
    }

    fn core(&self) -> core::Permit {
        core::Permit::from_parts(self.generation, self.id)
    }
}

/// One state change.
#[wasm_bindgen(js_name = CoreTransition)]
#[derive(Debug, Clone, Copy)]
pub struct Transition {
    inner: core::Transition,
}

#[wasm_bindgen(js_class = CoreTransition)]
impl Transition {
    /// The state left (`"closed"`, `"open"`, `"halfOpen"` …).
    #[wasm_bindgen(getter)]
    pub fn from(&self) -> String {
        self.inner.from.name().to_owned()
    }
    /// The state entered.
    #[wasm_bindgen(getter)]
    pub fn to(&self) -> String {
        self.inner.to.name().to_owned()
    }
    /// Why (`"failureRate"`, `"openDurationElapsed"`, `"probesSucceeded"` …).
    #[wasm_bindgen(getter)]
    pub fn reason(&self) -> String {
        self.inner.reason.name().to_owned()
    }
    /// When, in the host's monotonic milliseconds.
    #[wasm_bindgen(getter, js_name = atMs)]
    pub fn at_ms(&self) -> f64 {
        self.inner.at.as_millis_f64()
    }
}

/// An outcome from its name and an optional duration (NaN = none).
fn outcome(kind: &str, duration_ms: f64) -> Outcome {
    let base = match kind {
        "success" => Outcome::success(),
        "failure" => Outcome::failure(),
        _ => Outcome::ignored(),
    };
    if duration_ms.is_nan() {
        base
    } else {
        base.took(clock::duration(duration_ms))
    }
}

/// What `record` did, as the binding-facing word.
fn recorded(result: Result<Recorded, PermitError>) -> String {
    match result {
        Ok(Recorded::Counted) => "counted",
        Ok(Recorded::Released) => "released",
        Ok(Recorded::Late) => "late",
        Err(PermitError::Reused) => "reused",
        Err(_) => "unknown",
    }
    .to_owned()
}

/// Manual control by name: `"forceOpen"`, `"disable"`, `"metricsOnly"`,
/// `"reset"` (anything else does nothing).
pub fn control(breaker: &mut core::Breaker, now_ms: f64, action: &str) {
    let now = clock::instant(now_ms);
    match action {
        "forceOpen" => breaker.force_open(now),
        "disable" => breaker.disable(now),
        "metricsOnly" => breaker.metrics_only(now),
        "reset" => breaker.reset(now),
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
    values: &[JsValue],
    open_backoff: Option<Vec<JsValue>>,
) -> Result<BreakerOptions, Error> {
    let base = if preset.is_empty() {
        BreakerOptions::default()
    } else {
        core::presets::by_name(preset).ok_or_else(|| {
            Error::new("unknownVariant", prefix, "preset")
                .with_reason("resilience4j|opossum|pybreaker|polly|gobreaker".to_owned())
        })?
    };
    options::breaker(prefix, base, values, open_backoff)
}

/// A breaker's metrics as numbers, in the order of [`METRICS`]: counters,
/// window contents, rates (NaN = not defined yet), then ms in each state
/// (closed, open, halfOpen, forcedOpen, disabled, metricsOnly).
pub fn metrics(breaker: &mut core::Breaker, now_ms: f64) -> Vec<f64> {
    let m = breaker.metrics(clock::instant(now_ms));
    let mut out = vec![
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
    ];
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
