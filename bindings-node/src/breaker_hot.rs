//! The breaker's hot path (`tryAcquire`, `record`, and the admission calls
//! `execute` makes while closed) as one plain function bound to one breaker.
//!
//! Why: a `#[napi]` class method pays napi-rs's per-call borrow tracking
//! before it runs (a heap-allocated borrow scope, a global borrow table
//! behind a mutex, a class-identity lookup, thread-local stacks): about
//! 0.3–0.5 µs per call, ten times the call itself and far more than the
//! core's decision. A function made with `Env::create_function_from_closure`
//! skips that glue: it reads its arguments straight from the call and
//! reaches the state through the `Rc<RefCell<…>>` it captured, so the same
//! core call costs about 70 ns. The class keeps its methods (same packing)
//! for everything else and shares this state with the function.
//!
//! Constraints: nothing here decides anything; it converts numbers, calls
//! the core and packs the answer (see `breaker.rs` for the packing). A
//! borrow conflict (impossible: no JavaScript runs while the state is
//! borrowed) becomes an error, never a panic.

use crate::convert;
use crate::error::{Class, HostError, HostResult};
use napi::Env;
use napi::bindgen_prelude::{Function, FunctionCallContext};
use std::cell::{RefCell, RefMut};
use std::rc::Rc;
use stormguard::breaker::{Breaker, Outcome, Permit, Recorded, State};
use stormguard::time::{Duration, Instant};

/// Largest id or generation handed to JavaScript (2⁵¹, so `id·2 + 1` stays exact).
pub(crate) const MAX_PACKED: u64 = 1 << 51;

/// The breaker state shared by the class and its hot-path function.
#[derive(Debug)]
pub(crate) struct Shared {
    /// The core breaker.
    pub(crate) breaker: Breaker,
    /// The latest rejection (state and retry time).
    pub(crate) last_rejection: Option<(State, Option<Duration>)>,
    /// The generation seen at the last drain.
    pub(crate) seen_generation: u64,
    /// The parent breaker (a registry entry's), whose refusal rejects this
    /// one's calls (`breaker::hierarchy`).
    pub(crate) parent: Option<SharedCell>,
}

/// The shared state as the class and the function hold it.
pub(crate) type SharedCell = Rc<RefCell<Shared>>;

/// Packs `value·2 + pending` into an exact double.
#[allow(clippy::cast_precision_loss)]
pub(crate) fn packed(value: u64, pending: bool) -> f64 {
    (value.min(MAX_PACKED) * 2 + u64::from(pending)) as f64
}

/// Borrows the shared state mutably.
pub(crate) fn borrow(cell: &SharedCell) -> HostResult<RefMut<'_, Shared>> {
    cell.try_borrow_mut().map_err(|_| {
        HostError::new(
            Class::Plain,
            "ERR_BREAKER_BUSY",
            "the breaker is in use by another call",
        )
    })
}

impl Shared {
    /// Whether transitions wait in the core's queue. Every state change
    /// starts a new generation, so a generation other than the one seen at
    /// the last drain means there is something to drain (the core has no
    /// direct query for it).
    pub(crate) fn pending(&self) -> bool {
        self.breaker.generation() != self.seen_generation
    }

    /// `tryAcquire(nowMs)`, packed: `id·2 + pending`, or `−1 − pending`.
    pub(crate) fn try_acquire(&mut self, now_ms: f64) -> HostResult<f64> {
        let now = convert::instant(now_ms)?;
        Ok(match self.breaker.try_acquire(now) {
            Ok(permit) => packed(permit.id(), self.pending()),
            Err(rejected) => {
                self.last_rejection = Some((rejected.state, rejected.retry_after));
                -1.0 - f64::from(u8::from(self.pending()))
            }
        })
    }

    /// `record(nowMs, generation, id·4 + outcome, durationMs)`, packed:
    /// `code·2 + pending` (code 0 counted, 1 released, 2 late). `outcome`
    /// is 0 success, 1 failure, 2 ignored; `durationMs` negative means "not
    /// measured". Folding the outcome into the id keeps the call at four
    /// arguments, which napi-rs reads without allocating a second buffer.
    pub(crate) fn record(
        &mut self,
        now_ms: f64,
        generation: f64,
        id_outcome: f64,
        duration_ms: f64,
    ) -> HostResult<f64> {
        let now = convert::instant(now_ms)?;
        let id_outcome = convert::whole("permit.id", id_outcome, MAX_PACKED * 4 - 1)?;
        let permit = Permit::from_parts(
            convert::whole("permit.generation", generation, MAX_PACKED)?,
            id_outcome / 4,
        );
        let outcome = with_duration(outcome_of(id_outcome % 4), duration_ms)?;
        let recorded = self
            .breaker
            .record(now, permit, outcome)
            .map_err(|error| HostError::new(Class::Plain, error.code(), error.to_string()))?;
        Ok(packed(recorded_code(recorded), self.pending()))
    }

    /// The core's admission for calls starting at `nowMs` (see
    /// `breaker::Admission`): `−2` none (calls must ask), `−1` admitted
    /// without asking but every outcome reported at once, otherwise the
    /// clock ms before which plain successes may wait (`Infinity`: no time
    /// bound).
    pub(crate) fn admission(&mut self, now_ms: f64) -> HostResult<f64> {
        let now = convert::instant(now_ms)?;
        Ok(match self.breaker.admission(now) {
            None => -2.0,
            Some(admission) => match admission.batch_until {
                None => -1.0,
                Some(until) if until == Instant::MAX => f64::INFINITY,
                Some(until) => until.as_millis_f64(),
            },
        })
    }

    /// `count` plain successes admitted under generation `generation`'s
    /// admission, the latest ending at `nowMs`; packed like `record`.
    pub(crate) fn record_successes(
        &mut self,
        now_ms: f64,
        generation: f64,
        count: f64,
    ) -> HostResult<f64> {
        let now = convert::instant(now_ms)?;
        let generation = convert::whole("generation", generation, MAX_PACKED)?;
        let count = convert::whole("count", count, u64::MAX)?;
        let recorded = self.breaker.record_successes(now, generation, count);
        Ok(packed(recorded_code(recorded), self.pending()))
    }

    /// One call admitted under generation `generation`'s admission (no
    /// permit), `outcome` 0 success, 1 failure, 2 ignored; packed like
    /// `record`.
    fn record_admitted(
        &mut self,
        now_ms: f64,
        generation: f64,
        outcome: u64,
        duration_ms: f64,
    ) -> HostResult<f64> {
        let now = convert::instant(now_ms)?;
        let generation = convert::whole("generation", generation, MAX_PACKED)?;
        let outcome = with_duration(outcome_of(outcome), duration_ms)?;
        let recorded = self.breaker.record_admitted(now, generation, outcome);
        Ok(packed(recorded_code(recorded), self.pending()))
    }
}

/// 0 success, 1 failure, anything else ignored.
fn outcome_of(code: u64) -> Outcome {
    match code {
        0 => Outcome::success(),
        1 => Outcome::failure(),
        _ => Outcome::ignored(),
    }
}

/// `outcome` timed `durationMs` (negative: not measured).
fn with_duration(outcome: Outcome, duration_ms: f64) -> HostResult<Outcome> {
    Ok(if duration_ms >= 0.0 {
        outcome.took(convert::duration_ms("durationMs", duration_ms)?)
    } else {
        outcome
    })
}

/// `record`'s answer as its code: 0 counted, 1 released, 2 late.
fn recorded_code(recorded: Recorded) -> u64 {
    match recorded {
        Recorded::Counted => 0,
        Recorded::Released => 1,
        Recorded::Late => 2,
    }
}

/// Throws a failed call's error into JavaScript.
fn thrown<T>(ctx: &FunctionCallContext<'_>, result: HostResult<T>) -> napi::Result<T> {
    result.map_err(|error| error.throw(&*ctx.env))
}

/// One function bound to `shared`, told apart by argument count:
///
/// ```text
/// (nowMs)                                        tryAcquire
/// (nowMs, 0)                                     admission
/// (nowMs, generation, count)                     recordSuccesses
/// (nowMs, generation, id·4 + outcome, durationMs) record
/// (nowMs, generation, −1 − outcome, durationMs)   recordAdmitted (no permit)
/// ```
pub(crate) fn hot_fn<'env>(
    env: &'env Env,
    shared: &SharedCell,
) -> napi::Result<Function<'env, f64, f64>> {
    let shared = Rc::clone(shared);
    env.create_function_from_closure("breakerCall", move |ctx| {
        let now_ms: f64 = ctx.get(0)?;
        let result = match ctx.length() {
            1 => borrow(&shared).and_then(|mut state| state.try_acquire(now_ms)),
            2 => borrow(&shared).and_then(|mut state| state.admission(now_ms)),
            3 => {
                let generation: f64 = ctx.get(1)?;
                let count: f64 = ctx.get(2)?;
                borrow(&shared)
                    .and_then(|mut state| state.record_successes(now_ms, generation, count))
            }
            _ => {
                let generation: f64 = ctx.get(1)?;
                let id_outcome: f64 = ctx.get(2)?;
                let duration_ms: f64 = ctx.get(3)?;
                borrow(&shared).and_then(|mut state| {
                    if id_outcome < 0.0 {
                        // −1 − outcome: −1, −2, −3 (anything below counts as ignored).
                        let outcome = (-id_outcome - 1.0).clamp(0.0, 2.0) as u64;
                        state.record_admitted(now_ms, generation, outcome, duration_ms)
                    } else {
                        state.record(now_ms, generation, id_outcome, duration_ms)
                    }
                })
            }
        };
        thrown(&ctx, result)
    })
}
