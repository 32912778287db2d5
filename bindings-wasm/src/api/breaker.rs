//! Circuit breakers: one per key (origin) in the core's bounded registry.
//!
//! Why: a dependency that keeps failing should be left alone for a while and
//! probed before full traffic returns. The core's `Breaker` is the whole
//! state machine; the core's `Registry` bounds how many origins
//! `createFetch` tracks and evicts the least recently used. Keys are numbers
//! the JS layer assigns (a `Map` from origin to key there); evicted keys are
//! reported back so it can forget them. A standalone `CircuitBreaker` is a
//! one-key registry.
//!
//! ```text
//! breakers(preset, values, openBackoff, registryValues)  → handle or −1
//!   openBackoff empty = keep the preset's; registryValues: maxOrigins
//! breakerOp(h, key, op, now, x)
//!   0 tryAcquire → 1 admitted (scratch [generation, id]) | 0 rejected (scratch [retryAfterMs|NaN, state])
//!   1 forceOpen  2 disable  3 metricsOnly  4 reset  5 tripFor(x ms)   (create the key's breaker)
//!   6 setOpenDraw(x)  7 tick  8 pollTimeout → ms|NaN  9 state → state
//!   10 pollTransition → at ms | NaN (none); scratch [from, to, reason]
//!   states and reasons as indexes: BREAKER_STATES, TRANSITION_REASONS in js/tables.js
//!   11 metrics → count written to scratch (BREAKER_METRICS in js/tables.js, then 6 ms-in-state)
//!   13 create (the key's breaker exists afterwards; nothing else)
//!   ops 0–5 and 13 create the key's breaker and leave scratch[31] = the key
//!   evicted to make room, or −1
//! breakerRecord(h, key, now, generation, id, outcome, durationMs)
//!   outcome 0 success | 1 failure | 2 ignored; durationMs NaN = unmeasured
//!   → 0 counted | 1 released | 2 late | 3 reused | 4 unknown
//! ```
//!
//! Constraints: no call panics; time-driven changes happen when a `now`
//! arrives (the JS layer calls `tick` at `pollTimeout`).

use super::{Breakers, Core, SCRATCH_LEN, Slot};
use crate::error::{Error, Variant};
use crate::fields::Fields;
use crate::{clock, options};
use stormguard::breaker::{self as core, BreakerOptions, Outcome, PermitError, Recorded, presets};
use stormguard::registry::{Registry, RegistryOptions};

/// The core's breaker preset names as an error lists them (a test checks
/// them against `breaker::presets::NAMES`).
const PRESET_NAMES: &str = "resilience4j|opossum|pybreaker|polly|gobreaker";

/// Where ops 0–5 report an evicted key.
const EVICTED: usize = SCRATCH_LEN - 1;

/// Sets `o` (the defaults) from a preset name (`""` = keep the defaults),
/// the table's values and `openBackoff`'s (empty = keep the base's).
///
/// # Errors
/// `unknownVariant` naming `preset`, or the first bad option.
pub fn breaker_options(
    o: &mut BreakerOptions,
    preset: &str,
    values: &[f64],
    open_backoff: &[f64],
) -> Result<(), Error> {
    if !preset.is_empty() {
        *o = presets::by_name(preset).ok_or_else(|| {
            Error::new(Variant::UnknownVariant, "preset").with_reason(PRESET_NAMES)
        })?;
    }
    let open_backoff = (!open_backoff.is_empty()).then_some(open_backoff);
    options::breaker(o, values, open_backoff)
}

/// The registry of breakers built from these options.
fn breakers(
    preset: &str,
    values: &[f64],
    open_backoff: &[f64],
    registry_values: &[f64],
) -> Result<Slot, Error> {
    let mut options = BreakerOptions::default();
    breaker_options(&mut options, preset, values, open_backoff)?;
    core::Breaker::new(&options)?;
    let mut registry = RegistryOptions::default();
    let fields = Fields::new("", registry_values);
    let max = fields.integer(0).map_err(|e| e.top_level("maxOrigins"))?;
    if let Some(max) = max {
        registry.max_keys = max;
    }
    let breakers =
        Registry::new(&registry).map_err(|e| Error::config(e).top_level("maxOrigins"))?;
    Ok(Slot::Breakers(Breakers { options, breakers }))
}

/// Outcome code 0 success, 1 failure, anything else ignored, timed
/// `duration_ms` (NaN = unmeasured).
pub fn outcome_of(code: u32, duration_ms: f64) -> Outcome {
    let base = match code {
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

/// An optional instant as ms (NaN when none).
fn instant_ms(at: Option<stormguard::Instant>) -> f64 {
    at.map_or(f64::NAN, |t| t.as_millis_f64())
}

impl Core {
    /// Breakers per key from `preset` (`""` for the defaults), the
    /// `breaker` table's values, `openBackoff`'s and `maxOrigins`.
    pub fn breakers(
        &mut self,
        preset: &str,
        values: &[f64],
        open_backoff: &[f64],
        registry_values: &[f64],
    ) -> f64 {
        let made = breakers(preset, values, open_backoff, registry_values);
        self.create(made)
    }

    /// One operation on `key`'s breaker (see the module docs); NaN for a
    /// wrong handle.
    pub fn breaker_op(&mut self, handle: u32, key: u32, op: u32, now_ms: f64, x: f64) -> f64 {
        let now = clock::instant(now_ms);
        let Some(Slot::Breakers(r)) = self.slots.get_mut(handle as usize) else {
            return f64::NAN;
        };
        let scratch = &mut self.scratch;
        if op <= 5 || op == 13 {
            let (b, evicted) = match r.breakers.get_mut(&key) {
                Some(b) => (b, None),
                None => {
                    // Validated at construction: building again cannot fail.
                    let Ok(fresh) = core::Breaker::new(&r.options) else {
                        return f64::NAN;
                    };
                    r.breakers.get_or_insert_with(key, || fresh)
                }
            };
            if let Some(out) = scratch.get_mut(EVICTED) {
                *out = evicted.map_or(-1.0, |(k, _)| f64::from(k));
            }
            match op {
                0 => match b.try_acquire(now) {
                    Ok(permit) => {
                        // Generations and ids are counters far below 2^53.
                        let parts = [permit.generation() as f64, permit.id() as f64];
                        scratch.iter_mut().zip(parts).for_each(|(o, v)| *o = v);
                        return 1.0;
                    }
                    Err(rejected) => {
                        let after = rejected.retry_after.map_or(f64::NAN, clock::millis);
                        let parts = [after, rejected.state.index() as f64];
                        scratch.iter_mut().zip(parts).for_each(|(o, v)| *o = v);
                        return 0.0;
                    }
                },
                1 => b.force_open(now),
                2 => b.disable(now),
                3 => b.metrics_only(now),
                4 => b.reset(now),
                5 => b.trip_for(now, clock::duration(x)),
                _ => {}
            }
            return 0.0;
        }
        match op {
            9 => {
                let state = r
                    .breakers
                    .peek(&key)
                    .map_or(core::State::Closed, core::Breaker::state);
                return state.index() as f64;
            }
            8 => return instant_ms(r.breakers.peek(&key).and_then(core::Breaker::poll_timeout)),
            _ => {}
        }
        let Some(b) = r.breakers.get_mut(&key) else {
            return f64::NAN;
        };
        match op {
            6 => b.set_open_draw(x),
            7 => b.handle_timeout(now),
            10 => {
                return match b.poll_transition() {
                    Some(t) => {
                        let parts = [t.from.index(), t.to.index(), t.reason.index()];
                        scratch
                            .iter_mut()
                            .zip(parts)
                            .for_each(|(o, v)| *o = v as f64);
                        t.at.as_millis_f64()
                    }
                    None => f64::NAN,
                };
            }
            11 => {
                let m = b.metrics(now);
                let numbers = [
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
                let times = m.time_in_state.iter().map(|&d| clock::millis(d));
                let all = numbers.into_iter().chain(times);
                let mut count = 0.0;
                for (out, value) in scratch.iter_mut().zip(all) {
                    *out = value;
                    count += 1.0;
                }
                return count;
            }
            _ => return f64::NAN,
        }
        0.0
    }

    /// Reports how the call admitted by permit `generation`/`id` of `key`'s
    /// breaker ended (see the module docs).
    #[allow(clippy::too_many_arguments)]
    pub fn breaker_record(
        &mut self,
        handle: u32,
        key: u32,
        now_ms: f64,
        generation: f64,
        id: f64,
        outcome: u32,
        duration_ms: f64,
    ) -> u32 {
        let Some(Slot::Breakers(r)) = self.slot(handle) else {
            return 4;
        };
        let Some(b) = r.breakers.get_mut(&key) else {
            return 4;
        };
        let outcome = outcome_of(outcome, duration_ms);
        // Saturating; NaN becomes 0.
        let permit = core::Permit::from_parts(generation as u64, id as u64);
        match b.record(clock::instant(now_ms), permit, outcome) {
            Ok(Recorded::Counted) => 0,
            Ok(Recorded::Released) => 1,
            Ok(Recorded::Late) => 2,
            Err(PermitError::Reused) => 3,
            Err(_) => 4,
        }
    }
}

impl Breakers {
    /// `key`'s breaker, if it has one (no refresh): what the policy consults.
    pub fn peek(&self, key: u32) -> Option<&core::Breaker> {
        self.breakers.peek(&key)
    }

    /// The breaker behind `key`, mutable (test vectors: restore).
    #[cfg(feature = "vectors")]
    pub fn get_mut(&mut self, key: u32) -> Option<&mut core::Breaker> {
        self.breakers.get_mut(&key)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_preset_list_in_errors_is_the_core_s() {
        assert_eq!(
            super::PRESET_NAMES,
            stormguard::breaker::presets::NAMES.join("|")
        );
    }
}
