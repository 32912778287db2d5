//! `CircuitBreaker`: the core's breaker, with results packed into numbers so
//! the hot path (`tryAcquire`, `record`) is one native call each and creates
//! no JavaScript object.
//!
//! Packing (all values exact in a double):
//!
//! ```text
//! tryAcquire → id·2 + pending      admitted: permit id (generation: see below)
//!            → −1 − pending        rejected: read `lastRejection`
//! record(now, generation, id·4 + outcome, durationMs)
//!            → code·2 + pending    code 0 counted, 1 released, 2 late
//! pending = 1 when transitions wait in the core's queue: the JavaScript layer
//! then calls `drain()` (which also reports the current generation) and emits
//! the events, after the core call has returned.
//! ```
//!
//! A permit is `(generation, id)`: the generation only changes with a
//! transition, so the JavaScript layer caches it and refreshes it on drain.

use crate::breaker_hot::{self, MAX_PACKED, Shared, SharedCell, borrow};
use crate::convert;
use crate::error::{Class, HostError, HostResult, throwing};
use napi::Env;
use napi::bindgen_prelude::Function;
use napi_derive::napi;
use std::cell::{Ref, RefCell};
use std::rc::Rc;
use stormguard::SeededRng;
use stormguard::breaker::hierarchy::ancestor_admits;
use stormguard::breaker::{Breaker, BreakerOptions, BreakerSnapshot, State, presets};

/// Every state, in the core's index order.
const STATES: [State; 6] = [
    State::Closed,
    State::Open,
    State::HalfOpen,
    State::ForcedOpen,
    State::Disabled,
    State::MetricsOnly,
];

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

/// An ancestor's refusal: which one (1 the parent, 2 the grandparent …)
/// and its rejection.
#[napi(object)]
#[derive(Debug)]
pub struct AncestorRefusal {
    /// 1 for the parent, 2 for the grandparent, and so on.
    pub depth: u32,
    /// The refusing ancestor's state (`open`, `halfOpen`, `forcedOpen`).
    pub state: String,
    /// How long until it would admit a call (ms), or `null` when forced open.
    pub retry_after_ms: Option<f64>,
}

/// A validated breaker and the RNG that jitters growing open durations.
#[napi(js_name = "NativeBreaker")]
#[derive(Debug)]
pub struct NativeBreaker {
    shared: SharedCell,
    options: BreakerOptions,
    rng: SeededRng,
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

fn snapshot_error(error: &stormguard::breaker::SnapshotError) -> HostError {
    HostError::new(Class::Range, error.code(), error.to_string())
}

impl NativeBreaker {
    /// The core breaker, borrowed for reading (the policy's guard).
    pub(crate) fn breaker(&self) -> HostResult<Ref<'_, Breaker>> {
        self.shared
            .try_borrow()
            .map(|shared| Ref::map(shared, |shared| &shared.breaker))
            .map_err(|_| {
                HostError::new(
                    Class::Plain,
                    "ERR_BREAKER_BUSY",
                    "the breaker is in use by another call",
                )
            })
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
            shared: Rc::new(RefCell::new(Shared {
                breaker,
                last_rejection: None,
                seen_generation,
                parent: None,
            })),
            options,
            rng,
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

    /// `tryAcquire` (one argument) and `record` (four) as one plain
    /// function bound to this breaker: the same answers without the
    /// class-method call cost (see `breaker_hot`).
    #[napi]
    pub fn hot_fn<'env>(&self, env: &'env Env) -> napi::Result<Function<'env, f64, f64>> {
        breaker_hot::hot_fn(env, &self.shared)
    }

    /// Links this breaker under `parent` (a registry's hierarchy): from now
    /// on [`NativeBreaker::ancestors_refusal`] consults it and its own
    /// ancestors. A link that would make a cycle is refused.
    #[napi]
    pub fn set_parent(&mut self, env: Env, parent: &NativeBreaker) -> napi::Result<()> {
        throwing(&env, || {
            let mut cursor = Some(Rc::clone(&parent.shared));
            while let Some(cell) = cursor {
                if Rc::ptr_eq(&cell, &self.shared) {
                    return Err(HostError::new(
                        Class::Plain,
                        "ERR_PARENT_MISMATCH",
                        "a breaker cannot be its own ancestor",
                    ));
                }
                cursor = borrow(&cell)?.parent.clone();
            }
            borrow(&self.shared)?.parent = Some(Rc::clone(&parent.shared));
            Ok(())
        })
    }

    /// The nearest ancestor that would not admit a call at `nowMs`, or
    /// `null` when all of them would (or there are none). Read-only: the
    /// core's `hierarchy::ancestor_admits` decides for each ancestor.
    #[napi]
    pub fn ancestors_refusal(
        &self,
        env: Env,
        now_ms: f64,
    ) -> napi::Result<Option<AncestorRefusal>> {
        throwing(&env, || {
            let now = convert::instant(now_ms)?;
            let mut cursor = borrow(&self.shared)?.parent.clone();
            let mut depth = 0_u32;
            while let Some(cell) = cursor {
                depth = depth.saturating_add(1);
                let ancestor = borrow(&cell)?;
                if let Err(rejected) = ancestor_admits(&ancestor.breaker, now) {
                    return Ok(Some(AncestorRefusal {
                        depth,
                        state: rejected.state.name().to_owned(),
                        retry_after_ms: rejected.retry_after.map(convert::ms),
                    }));
                }
                cursor = ancestor.parent.clone();
            }
            Ok(None)
        })
    }

    /// The latest rejection's state and retry time.
    #[napi(getter)]
    pub fn last_rejection(&self, env: Env) -> napi::Result<Option<RejectionResult>> {
        throwing(&env, || {
            Ok(borrow(&self.shared)?
                .last_rejection
                .map(|(state, retry_after)| RejectionResult {
                    state: state.name().to_owned(),
                    retry_after_ms: retry_after.map(convert::ms),
                }))
        })
    }

    /// Drains the pending transitions, oldest first, and draws the next open
    /// jitter when one of them opened the breaker.
    #[napi]
    pub fn drain(&mut self, env: Env) -> napi::Result<Vec<TransitionResult>> {
        throwing(&env, || {
            let mut shared = borrow(&self.shared)?;
            shared.seen_generation = shared.breaker.generation();
            let mut out = Vec::new();
            while let Some(t) = shared.breaker.poll_transition() {
                if t.to == State::Open && !self.draw_pinned {
                    shared.breaker.set_open_draw(self.rng.next_unit());
                }
                out.push(TransitionResult {
                    from: t.from.name().to_owned(),
                    to: t.to.name().to_owned(),
                    reason: t.reason.name().to_owned(),
                    at_ms: t.at.as_millis_f64(),
                });
            }
            Ok(out)
        })
    }

    /// The current generation (permits of earlier ones are late).
    #[napi(getter)]
    #[allow(clippy::cast_precision_loss)]
    pub fn generation(&self, env: Env) -> napi::Result<f64> {
        throwing(&env, || {
            Ok(self.breaker()?.generation().min(MAX_PACKED) as f64)
        })
    }

    /// The current state's name, after applying what is due by `now`.
    #[napi]
    pub fn state(&mut self, env: Env, now_ms: f64) -> napi::Result<&'static str> {
        throwing(&env, || {
            let mut shared = borrow(&self.shared)?;
            shared.breaker.handle_timeout(convert::instant(now_ms)?);
            Ok(shared.breaker.state().name())
        })
    }

    /// When the state next changes by itself (host ms), or `null`.
    #[napi]
    pub fn poll_timeout(&self, env: Env) -> napi::Result<Option<f64>> {
        throwing(&env, || {
            Ok(self.breaker()?.poll_timeout().map(|t| t.as_millis_f64()))
        })
    }

    /// When a call would next be admitted (host ms), or `null`.
    #[napi]
    pub fn admits_at(&self, env: Env) -> napi::Result<Option<f64>> {
        throwing(&env, || {
            Ok(self.breaker()?.admits_at().map(|t| t.as_millis_f64()))
        })
    }

    /// Applies the changes due by `now`; returns whether transitions wait.
    #[napi]
    pub fn handle_timeout(&mut self, env: Env, now_ms: f64) -> napi::Result<bool> {
        throwing(&env, || {
            let mut shared = borrow(&self.shared)?;
            shared.breaker.handle_timeout(convert::instant(now_ms)?);
            Ok(shared.pending())
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
            let mut shared = borrow(&self.shared)?;
            match action.as_str() {
                "forceOpen" => shared.breaker.force_open(now),
                "disable" => shared.breaker.disable(now),
                "metricsOnly" => shared.breaker.metrics_only(now),
                "reset" => shared.breaker.reset(now),
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
                    shared.breaker.trip_for(now, duration);
                }
                _ => {
                    return Err(HostError::new(
                        Class::Type,
                        "ERR_INVALID_ARG_VALUE",
                        format!("unknown breaker control {action:?}"),
                    ));
                }
            }
            Ok(shared.pending())
        })
    }

    /// Pins the draw that jitters growing open durations (the RNG stops
    /// supplying fresh ones).
    #[napi]
    pub fn set_open_draw(&mut self, env: Env, u: f64) -> napi::Result<()> {
        throwing(&env, || {
            borrow(&self.shared)?
                .breaker
                .set_open_draw(convert::finite("u", u)?);
            self.draw_pinned = true;
            Ok(())
        })
    }

    /// Counters, window and time per state (JSON text; `timeInStateMs` keyed
    /// by state name).
    #[napi]
    pub fn metrics(&mut self, env: Env, now_ms: f64) -> napi::Result<String> {
        throwing(&env, || {
            let m = borrow(&self.shared)?
                .breaker
                .metrics(convert::instant(now_ms)?);
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
        throwing(&env, || convert::to_json(&self.breaker()?.snapshot()))
    }

    /// Heap bytes the breaker owns plus its inline size.
    #[napi]
    pub fn footprint_bytes(&self, env: Env) -> napi::Result<u32> {
        throwing(&env, || {
            let bytes = self.breaker()?.heap_bytes()
                + std::mem::size_of::<Self>()
                + std::mem::size_of::<RefCell<Shared>>();
            Ok(convert::saturating_u32(bytes as u64))
        })
    }
}
