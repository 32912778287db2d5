//! `CircuitBreaker`: the core's breaker, with results packed into numbers so
//! the hot path (`tryAcquire`, `record`) is one native call each and creates
//! no JavaScript object.
//!
//! Packing (all values exact in a double):
//!
//! ```text
//! tryAcquire → id·2 + pending      admitted: permit id (generation: see below)
//!            → −1 − pending        rejected: read `lastRejection`
//! record     → code·2 + pending    code 0 counted, 1 released, 2 late
//! pending = 1 when transitions wait in the core's queue: the JavaScript layer
//! then calls `drain()` (which also reports the current generation) and emits
//! the events, after the core call has returned.
//! ```
//!
//! A permit is `(generation, id)`: the generation only changes with a
//! transition, so the JavaScript layer caches it and refreshes it on drain.

use crate::convert;
use crate::error::{Class, HostError, HostResult, throwing};
use napi::Env;
use napi_derive::napi;
use stormguard::SeededRng;
use stormguard::breaker::{
    Breaker, BreakerOptions, BreakerSnapshot, Outcome, Permit, Recorded, State, presets,
};
use stormguard::time::Duration;

/// Every state, in the core's index order.
const STATES: [State; 6] = [
    State::Closed,
    State::Open,
    State::HalfOpen,
    State::ForcedOpen,
    State::Disabled,
    State::MetricsOnly,
];

/// Largest id or generation handed to JavaScript (2⁵¹, so `id·2 + 1` stays exact).
const MAX_PACKED: u64 = 1 << 51;

/// One drained transition.
#[napi(object)]
#[derive(Debug)]
pub struct TransitionResult {
    /// State before.
    pub from: String,
    /// State after.
    pub to: String,
    /// Why (`failureRate`, `openDurationElapsed`, `probesSucceeded` …).
    pub reason: String,
    /// When, on the host clock (ms).
    pub at_ms: f64,
}

/// The latest rejection.
#[napi(object)]
#[derive(Debug)]
pub struct RejectionResult {
    /// `open`, `halfOpen` or `forcedOpen`.
    pub state: String,
    /// How long until a call would be admitted (ms), or `null` when forced open.
    pub retry_after_ms: Option<f64>,
}

/// A validated breaker and the RNG that jitters growing open durations.
#[napi(js_name = "NativeBreaker")]
#[derive(Debug)]
pub struct NativeBreaker {
    pub(crate) breaker: Breaker,
    options: BreakerOptions,
    rng: SeededRng,
    last_rejection: Option<(State, Option<Duration>)>,
    seen_generation: u64,
    draw_pinned: bool,
}

/// The options of a breaker preset as JSON text.
#[napi]
pub fn breaker_preset_options(env: Env, name: String) -> napi::Result<String> {
    throwing(&env, || {
        let options = presets::by_name(&name).ok_or_else(|| {
            HostError::new(
                Class::Range,
                "ERR_INVALID_CONFIG",
                format!(
                    "`preset` must be \"resilience4j\", \"opossum\", \"pybreaker\", \"polly\" \
                     or \"gobreaker\", got {name:?}"
                ),
            )
        })?;
        convert::to_json(&options)
    })
}

#[allow(clippy::cast_precision_loss)]
fn packed(value: u64, pending: bool) -> f64 {
    (value.min(MAX_PACKED) * 2 + u64::from(pending)) as f64
}

fn snapshot_error(error: &stormguard::breaker::SnapshotError) -> HostError {
    HostError::new(Class::Range, error.code(), error.to_string())
}

impl NativeBreaker {
    /// Whether transitions wait in the core's queue. Every state change
    /// starts a new generation, so a generation other than the one seen at
    /// the last drain means there is something to drain (the core has no
    /// direct query for it).
    fn pending(&self) -> bool {
        self.breaker.generation() != self.seen_generation
    }

    /// Wraps a breaker; a new one (not a restored one, whose snapshot
    /// carries its draw) takes its first open draw from the RNG.
    fn with(
        options: BreakerOptions,
        breaker: Breaker,
        seed: &str,
        fresh: bool,
    ) -> HostResult<Self> {
        let mut rng = SeededRng::from_seed_u64(convert::seed(seed)?);
        let mut breaker = breaker;
        if fresh {
            breaker.set_open_draw(rng.next_unit());
        }
        let seen_generation = breaker.generation();
        Ok(Self {
            breaker,
            options,
            rng,
            last_rejection: None,
            seen_generation,
            draw_pinned: false,
        })
    }
}

#[napi]
impl NativeBreaker {
    /// Validates `options` (JSON text of `BreakerOptions`) and seeds the RNG.
    #[napi(constructor)]
    pub fn new(env: Env, options: String, seed: String) -> napi::Result<Self> {
        throwing(&env, || {
            let options: BreakerOptions = convert::options("CircuitBreaker", &options)?;
            let breaker = Breaker::new(&options)?;
            Self::with(options, breaker, &seed, true)
        })
    }

    /// A breaker continuing from a snapshot (JSON text) under `options`.
    #[napi(factory)]
    pub fn restore(
        env: Env,
        options: String,
        snapshot: String,
        seed: String,
    ) -> napi::Result<Self> {
        throwing(&env, || {
            let options: BreakerOptions = convert::options("CircuitBreaker", &options)?;
            let snapshot: BreakerSnapshot = convert::options("CircuitBreaker snapshot", &snapshot)?;
            let breaker =
                Breaker::restore(&options, snapshot).map_err(|error| snapshot_error(&error))?;
            Self::with(options, breaker, &seed, false)
        })
    }

    /// Asks to make one call (see the module docs for the packed answer).
    #[napi]
    pub fn try_acquire(&mut self, env: Env, now_ms: f64) -> napi::Result<f64> {
        throwing(&env, || {
            let now = convert::instant(now_ms)?;
            Ok(match self.breaker.try_acquire(now) {
                Ok(permit) => packed(permit.id(), self.pending()),
                Err(rejected) => {
                    self.last_rejection = Some((rejected.state, rejected.retry_after));
                    -1.0 - f64::from(u8::from(self.pending()))
                }
            })
        })
    }

    /// Records the outcome of permit `(generation, id)`: `outcome` 0
    /// success, 1 failure, 2 ignored; `durationMs` negative for "not
    /// measured".
    #[napi]
    pub fn record(
        &mut self,
        env: Env,
        now_ms: f64,
        generation: f64,
        id: f64,
        outcome: u32,
        duration_ms: f64,
    ) -> napi::Result<f64> {
        throwing(&env, || {
            let now = convert::instant(now_ms)?;
            let permit = Permit::from_parts(
                convert::whole("permit.generation", generation, MAX_PACKED)?,
                convert::whole("permit.id", id, MAX_PACKED)?,
            );
            let outcome = match outcome {
                0 => Outcome::success(),
                1 => Outcome::failure(),
                _ => Outcome::ignored(),
            };
            let outcome = if duration_ms >= 0.0 {
                outcome.took(convert::duration_ms("durationMs", duration_ms)?)
            } else {
                outcome
            };
            let recorded = self
                .breaker
                .record(now, permit, outcome)
                .map_err(|error| HostError::new(Class::Plain, error.code(), error.to_string()))?;
            let code = match recorded {
                Recorded::Counted => 0,
                Recorded::Released => 1,
                Recorded::Late => 2,
            };
            Ok(packed(code, self.pending()))
        })
    }

    /// The latest rejection's state and retry time.
    #[napi(getter)]
    pub fn last_rejection(&self) -> Option<RejectionResult> {
        self.last_rejection
            .map(|(state, retry_after)| RejectionResult {
                state: state.name().to_owned(),
                retry_after_ms: retry_after.map(convert::ms),
            })
    }

    /// Drains the pending transitions, oldest first, and draws the next open
    /// jitter when one of them opened the breaker.
    #[napi]
    pub fn drain(&mut self) -> Vec<TransitionResult> {
        self.seen_generation = self.breaker.generation();
        let mut out = Vec::new();
        while let Some(t) = self.breaker.poll_transition() {
            if t.to == State::Open && !self.draw_pinned {
                self.breaker.set_open_draw(self.rng.next_unit());
            }
            out.push(TransitionResult {
                from: t.from.name().to_owned(),
                to: t.to.name().to_owned(),
                reason: t.reason.name().to_owned(),
                at_ms: t.at.as_millis_f64(),
            });
        }
        out
    }

    /// The current generation (permits of earlier ones are late).
    #[napi(getter)]
    #[allow(clippy::cast_precision_loss)]
    pub fn generation(&self) -> f64 {
        self.breaker.generation().min(MAX_PACKED) as f64
    }

    /// The current state's name, after applying what is due by `now`.
    #[napi]
    pub fn state(&mut self, env: Env, now_ms: f64) -> napi::Result<&'static str> {
        throwing(&env, || {
            self.breaker.handle_timeout(convert::instant(now_ms)?);
            Ok(self.breaker.state().name())
        })
    }

    /// When the state next changes by itself (host ms), or `null`.
    #[napi]
    pub fn poll_timeout(&self) -> Option<f64> {
        self.breaker.poll_timeout().map(|t| t.as_millis_f64())
    }

    /// When a call would next be admitted (host ms), or `null`.
    #[napi]
    pub fn admits_at(&self) -> Option<f64> {
        self.breaker.admits_at().map(|t| t.as_millis_f64())
    }

    /// Applies the changes due by `now`; returns whether transitions wait.
    #[napi]
    pub fn handle_timeout(&mut self, env: Env, now_ms: f64) -> napi::Result<bool> {
        throwing(&env, || {
            self.breaker.handle_timeout(convert::instant(now_ms)?);
            Ok(self.pending())
        })
    }

    /// A manual control: `forceOpen`, `disable`, `metricsOnly`, `reset`, or
    /// `tripFor` with `durationMs`. Returns whether transitions wait.
    #[napi]
    pub fn control(
        &mut self,
        env: Env,
        now_ms: f64,
        action: String,
        duration_ms: Option<f64>,
    ) -> napi::Result<bool> {
        throwing(&env, || {
            let now = convert::instant(now_ms)?;
            match action.as_str() {
                "forceOpen" => self.breaker.force_open(now),
                "disable" => self.breaker.disable(now),
                "metricsOnly" => self.breaker.metrics_only(now),
                "reset" => self.breaker.reset(now),
                "tripFor" => {
                    let duration = match duration_ms {
                        Some(ms) => convert::duration_ms("durationMs", ms)?,
                        None => {
                            return Err(HostError::out_of_range(
                                "durationMs",
                                "a number of milliseconds",
                                f64::NAN,
                            ));
                        }
                    };
                    self.breaker.trip_for(now, duration);
                }
                _ => {
                    return Err(HostError::new(
                        Class::Type,
                        "ERR_INVALID_ARG_VALUE",
                        format!("unknown breaker control {action:?}"),
                    ));
                }
            }
            Ok(self.pending())
        })
    }

    /// Pins the draw that jitters growing open durations (the RNG stops
    /// supplying fresh ones).
    #[napi]
    pub fn set_open_draw(&mut self, env: Env, u: f64) -> napi::Result<()> {
        throwing(&env, || {
            self.breaker.set_open_draw(convert::finite("u", u)?);
            self.draw_pinned = true;
            Ok(())
        })
    }

    /// Counters, window and time per state (JSON text; `timeInStateMs` keyed
    /// by state name).
    #[napi]
    pub fn metrics(&mut self, env: Env, now_ms: f64) -> napi::Result<String> {
        throwing(&env, || {
            let m = self.breaker.metrics(convert::instant(now_ms)?);
            let per_state: serde_json::Map<String, serde_json::Value> = STATES
                .iter()
                .map(|&state| {
                    (
                        state.name().to_owned(),
                        convert::ms(m.time_in(state)).into(),
                    )
                })
                .collect();
            let value = serde_json::json!({
                "state": m.state.name(),
                "generation": m.generation,
                "consecutiveOpenings": m.consecutive_openings,
                "admitted": m.admitted,
                "rejected": m.rejected,
                "calls": m.calls,
                "successes": m.successes,
                "failures": m.failures,
                "slowCalls": m.slow_calls,
                "ignored": m.ignored,
                "lateResults": m.late_results,
                "expiredProbes": m.expired_probes,
                "transitions": m.transitions,
                "droppedTransitions": m.dropped_transitions,
                "probesInFlight": m.probes_in_flight,
                "windowCalls": m.window_calls,
                "windowFailures": m.window_failures,
                "windowSlowCalls": m.window_slow_calls,
                "failureRate": m.failure_rate,
                "slowCallRate": m.slow_call_rate,
                "timeInStateMs": per_state,
            });
            convert::to_json(&value)
        })
    }

    /// The options this breaker was built with (JSON text).
    #[napi]
    pub fn options(&self, env: Env) -> napi::Result<String> {
        throwing(&env, || convert::to_json(&self.options))
    }

    /// The lossless, versioned snapshot (JSON text).
    #[napi]
    pub fn snapshot(&self, env: Env) -> napi::Result<String> {
        throwing(&env, || convert::to_json(&self.breaker.snapshot()))
    }

    /// Heap bytes the breaker owns plus its inline size.
    #[napi]
    pub fn footprint_bytes(&self) -> u32 {
        let bytes = self.breaker.heap_bytes() + std::mem::size_of::<Self>();
        convert::saturating_u32(bytes as u64)
    }
}
