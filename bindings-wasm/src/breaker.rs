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

/// One circuit breaker and its last rejection (the shared test vectors drive
/// it; the shipped module serves single breakers from a one-key
/// [`BreakerRegistry`]).
#[cfg(feature = "vectors")]
#[wasm_bindgen(js_name = CoreBreaker)]
#[derive(Debug)]
pub struct Breaker {
    inner: core::Breaker,
    rejected: Option<core::Rejected>,
}

#[cfg(feature = "vectors")]
#[wasm_bindgen(js_class = CoreBreaker)]
impl Breaker {
    /// A closed breaker from `preset` (`""` for the defaults) overridden by
    /// the `breaker` table's `values` (and `openBackoff`'s, when given).
    ///
    /// # Errors
    /// A [`Error`] naming the option.
    #[wasm_bindgen(constructor)]
    pub fn new(
        prefix: &str,
        preset: &str,
        values: Vec<JsValue>,
        open_backoff: Option<Vec<JsValue>>,
    ) -> Result<Self, Error> {
        let options = breaker_options(prefix, preset, &values, open_backoff)?;
        core::Breaker::new(&options)
            .map(|inner| Self {
                inner,
                rejected: None,
            })
            .map_err(|err| Error::config(prefix, err))
    }

    /// Asks to make one call; `undefined` when rejected (see
    /// `lastRejectedState` and `lastRetryAfterMs`).
    #[wasm_bindgen(js_name = tryAcquire)]
    pub fn try_acquire(&mut self, now_ms: f64) -> Option<BreakerPermit> {
        match self.inner.try_acquire(clock::instant(now_ms)) {
            Ok(permit) => Some(BreakerPermit::from_core(&permit)),
            Err(rejected) => {
                self.rejected = Some(rejected);
                None
            }
        }
    }

    /// The state that rejected the last refused call.
    #[wasm_bindgen(js_name = lastRejectedState)]
    pub fn last_rejected_state(&self) -> String {
        self.rejected.map_or("", |r| r.state.name()).to_owned()
    }

    /// How long until the breaker admits a call, as of the last rejection
    /// (NaN when only a manual change will).
    #[wasm_bindgen(js_name = lastRetryAfterMs)]
    pub fn last_retry_after_ms(&self) -> f64 {
        self.rejected
            .and_then(|r| r.retry_after)
            .map_or(f64::NAN, clock::millis)
    }

    /// Reports how the call admitted by `permit` ended (`"success"`,
    /// `"failure"`, anything else is ignored) and how long it took (NaN =
    /// unmeasured).
    pub fn record(
        &mut self,
        now_ms: f64,
        permit: &BreakerPermit,
        outcome: &str,
        duration_ms: f64,
    ) -> String {
        recorded(self.inner.record(
            clock::instant(now_ms),
            permit.core(),
            self::outcome(outcome, duration_ms),
        ))
    }

    /// The oldest transition not yet drained.
    #[wasm_bindgen(js_name = pollTransition)]
    pub fn poll_transition(&mut self) -> Option<Transition> {
        self.inner
            .poll_transition()
            .map(|inner| Transition { inner })
    }

    /// When the state next changes by itself, in ms (NaN when never).
    #[wasm_bindgen(js_name = pollTimeoutMs)]
    pub fn poll_timeout_ms(&self) -> f64 {
        instant_ms(self.inner.poll_timeout())
    }

    /// When a call would next be admitted, in ms (NaN when only a manual
    /// change will).
    #[wasm_bindgen(js_name = admitsAtMs)]
    pub fn admits_at_ms(&self) -> f64 {
        instant_ms(self.inner.admits_at())
    }

    /// Applies the changes due by `now` (call it at `pollTimeoutMs`).
    pub fn tick(&mut self, now_ms: f64) {
        self.inner.handle_timeout(clock::instant(now_ms));
    }

    /// Opens for `duration_ms` (from a server hint); never shortens.
    #[wasm_bindgen(js_name = tripFor)]
    pub fn trip_for(&mut self, now_ms: f64, duration_ms: f64) {
        self.inner
            .trip_for(clock::instant(now_ms), clock::duration(duration_ms));
    }

    /// Manual control by name (see [`control`]).
    pub fn control(&mut self, now_ms: f64, action: &str) {
        control(&mut self.inner, now_ms, action);
    }

    /// The draw that jitters the next growing open duration.
    #[wasm_bindgen(js_name = setOpenDraw)]
    pub fn set_open_draw(&mut self, u: f64) {
        self.inner.set_open_draw(u);
    }

    /// The breaker's versioned snapshot as JSON (window included).
    #[cfg(feature = "vectors")]
    #[wasm_bindgen(js_name = snapshotJson)]
    pub fn snapshot_json(&self) -> String {
        // An error (impossible for this plain data) gives the empty string.
        serde_json::to_string(&self.inner.snapshot())
            .into_iter()
            .collect()
    }

    /// Replaces this breaker with one restored from `json` (a snapshot taken
    /// with the same options); `false` when the snapshot is rejected.
    #[cfg(feature = "vectors")]
    #[wasm_bindgen(js_name = restoreJson)]
    pub fn restore_json(
        &mut self,
        preset: &str,
        values: Vec<JsValue>,
        open_backoff: Option<Vec<JsValue>>,
        json: &str,
    ) -> bool {
        let Ok(options) = breaker_options("", preset, &values, open_backoff) else {
            return false;
        };
        let Ok(snapshot) = serde_json::from_str(json) else {
            return false;
        };
        match core::Breaker::restore(&options, snapshot) {
            Ok(inner) => {
                self.inner = inner;
                true
            }
            Err(_) => false,
        }
    }

    /// The current state's name.
    pub fn state(&self) -> String {
        self.inner.state().name().to_owned()
    }

    /// Metrics as numbers (see [`metrics`]).
    pub fn metrics(&mut self, now_ms: f64) -> Vec<f64> {
        metrics(&mut self.inner, now_ms)
    }
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

/// One breaker per key (origin), at most `maxOrigins` of them (the least
/// recently used is evicted), all built from the same options.
#[wasm_bindgen(js_name = CoreBreakerRegistry)]
#[derive(Debug)]
pub struct BreakerRegistry {
    template: core::Breaker,
    breakers: Registry<String, core::Breaker>,
    rejected: Option<core::Rejected>,
}

#[wasm_bindgen(js_class = CoreBreakerRegistry)]
impl BreakerRegistry {
    /// Validates the breaker options (preset, table values, `openBackoff`) and `maxOrigins`
    /// (the single value of `max_keys`; absent = the registry's default).
    ///
    /// # Errors
    /// A [`Error`] naming the option.
    #[wasm_bindgen(constructor)]
    pub fn new(
        prefix: &str,
        preset: &str,
        values: Vec<JsValue>,
        open_backoff: Option<Vec<JsValue>>,
        max_keys: Vec<JsValue>,
    ) -> Result<Self, Error> {
        let options = breaker_options(prefix, preset, &values, open_backoff)?;
        let template = core::Breaker::new(&options).map_err(|err| Error::config(prefix, err))?;
        let mut registry = RegistryOptions::default();
        if let Some(max) = crate::fields::Fields::new("", &["maxOrigins"], &max_keys).integer(0)? {
            registry.max_keys = max;
        }
        let breakers =
            Registry::new(&registry).map_err(|err| Error::config("", err).renamed("maxOrigins"))?;
        Ok(Self {
            template,
            breakers,
            rejected: None,
        })
    }

    /// Asks `key`'s breaker (created closed on first use) to admit one call;
    /// `undefined` when rejected (see `lastRetryAfterMs`).
    #[wasm_bindgen(js_name = tryAcquire)]
    pub fn try_acquire(&mut self, key: &str, now_ms: f64) -> Option<BreakerPermit> {
        match self.entry(key).try_acquire(clock::instant(now_ms)) {
            Ok(permit) => Some(BreakerPermit::from_core(&permit)),
            Err(rejected) => {
                self.rejected = Some(rejected);
                None
            }
        }
    }

    /// How long until the breaker that rejected the last refused call admits
    /// one (NaN when only a manual change will).
    #[wasm_bindgen(js_name = lastRetryAfterMs)]
    pub fn last_retry_after_ms(&self) -> f64 {
        self.rejected
            .and_then(|r| r.retry_after)
            .map_or(f64::NAN, clock::millis)
    }

    /// The state that rejected the last refused call.
    #[wasm_bindgen(js_name = lastRejectedState)]
    pub fn last_rejected_state(&self) -> String {
        self.rejected.map_or("", |r| r.state.name()).to_owned()
    }

    /// Reports an outcome to `key`'s breaker (`"unknown"` when the key was
    /// evicted meanwhile).
    pub fn record(
        &mut self,
        key: &str,
        now_ms: f64,
        permit: &BreakerPermit,
        outcome: &str,
        duration_ms: f64,
    ) -> String {
        match self.breakers.get_mut(key) {
            Some(b) => recorded(b.record(
                clock::instant(now_ms),
                permit.core(),
                self::outcome(outcome, duration_ms),
            )),
            None => "unknown".to_owned(),
        }
    }

    /// The oldest undrained transition of `key`'s breaker.
    #[wasm_bindgen(js_name = pollTransition)]
    pub fn poll_transition(&mut self, key: &str) -> Option<Transition> {
        self.breakers
            .get_mut(key)
            .and_then(core::Breaker::poll_transition)
            .map(|inner| Transition { inner })
    }

    /// When `key`'s breaker next changes by itself, in ms (NaN when never).
    #[wasm_bindgen(js_name = pollTimeoutMs)]
    pub fn poll_timeout_ms(&self, key: &str) -> f64 {
        instant_ms(
            self.breakers
                .peek(key)
                .and_then(core::Breaker::poll_timeout),
        )
    }

    /// Applies the changes due by `now` to `key`'s breaker.
    pub fn tick(&mut self, key: &str, now_ms: f64) {
        if let Some(b) = self.breakers.get_mut(key) {
            b.handle_timeout(clock::instant(now_ms));
        }
    }

    /// Metrics of `key`'s breaker (see [`metrics`]); empty when it has none.
    pub fn metrics(&mut self, key: &str, now_ms: f64) -> Vec<f64> {
        self.breakers
            .get_mut(key)
            .map_or_else(Vec::new, |b| metrics(b, now_ms))
    }

    /// Manual control of `key`'s breaker (see [`control`]), created if new.
    pub fn control(&mut self, key: &str, now_ms: f64, action: &str) {
        control(self.entry(key), now_ms, action);
    }

    /// Opens `key`'s breaker for `duration_ms` (never shortens).
    #[wasm_bindgen(js_name = tripFor)]
    pub fn trip_for(&mut self, key: &str, now_ms: f64, duration_ms: f64) {
        self.entry(key)
            .trip_for(clock::instant(now_ms), clock::duration(duration_ms));
    }

    /// The draw that jitters `key`'s next growing open duration.
    #[wasm_bindgen(js_name = setOpenDraw)]
    pub fn set_open_draw(&mut self, key: &str, u: f64) {
        if let Some(b) = self.breakers.get_mut(key) {
            b.set_open_draw(u);
        }
    }

    /// The state of `key`'s breaker (`"closed"` when it has none yet).
    pub fn state(&self, key: &str) -> String {
        self.breakers
            .peek(key)
            .map_or(core::State::Closed, core::Breaker::state)
            .name()
            .to_owned()
    }
}

impl BreakerRegistry {
    /// `key`'s breaker, if it has one (no refresh): what the policy consults.
    pub fn peek(&self, key: &str) -> Option<&core::Breaker> {
        self.breakers.peek(key)
    }

    /// `key`'s breaker, created closed on first use (evicting the least
    /// recently used key when full).
    fn entry(&mut self, key: &str) -> &mut core::Breaker {
        let template = &self.template;
        let (breaker, _evicted) = self
            .breakers
            .get_or_insert_with(key.to_owned(), || template.clone());
        breaker
    }
}
