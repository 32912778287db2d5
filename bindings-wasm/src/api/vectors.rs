//! Extra exports the shared test vectors need (built with the `vectors`
//! feature only): the Retry-After policy and single-header parsing, raw
//! generator words, Redis/errno/SQLSTATE classification, breaker snapshots,
//! the breaker's admission calls and the adaptive attempt limit.
//!
//! ```text
//! retryAfter(values) → handle or −1;  retryAfterDecide(h, backoffMs, hintMs) → delay ≥ 0 | −requestedMs
//! parseHintMs(name, value, nowUnixMs) → ms | NaN;  ignoredReason(name, value, nowUnixMs) → reason | ""
//! rngWord(h) → the next 64 bits, decimal;  attemptLimit(p, now)
//! snapshot(h, key) → JSON;  restoreSnapshot(h, key, preset, values, openBackoff, json) → ok
//! breakerAdmission(h, key, now) → −2 none | −1 no waiting | until ms | Infinity (scratch[0] generation)
//! breakerRecordAdmitted(h, key, now, generation, outcome, durationMs|NaN) / breakerRecordSuccesses(h, key, now, generation, count)
//!   → 0 counted | 1 released | 2 late | 4 no such breaker
//! classifyRedis / classifyErrno / classifySqlstate(text) → "class reason"
//! ```

use super::breaker::breaker_options;
use super::{Core, Slot};
use crate::{clock, options};
use alloc::string::{String, ToString};
use stormguard::breaker::{Breaker, Recorded};
use stormguard::classify::{self, Classification};
use stormguard::retry_after::{HintHeader, RetryAfterDecision, RetryAfterPolicy, parse_hint};
use wasm_bindgen::prelude::wasm_bindgen;

impl Core {
    /// A Retry-After policy from the `retryAfter` table's values.
    pub fn retry_after(&mut self, values: &[f64]) -> f64 {
        let mut o = stormguard::retry_after::RetryAfterOptions::default();
        let made = options::retry_after(&mut o, "", values)
            .and_then(|()| Ok(Slot::RetryAfter(RetryAfterPolicy::new(&o)?)));
        self.create(made)
    }

    /// Combines a backoff delay with a hint (NaN = none): the delay, or the
    /// negated requested wait when the hint is too long.
    pub fn retry_after_decide(&mut self, handle: u32, backoff_ms: f64, hint_ms: f64) -> f64 {
        let Some(Slot::RetryAfter(policy)) = self.slot(handle) else {
            return f64::NAN;
        };
        let hint = (!hint_ms.is_nan()).then(|| clock::duration(hint_ms));
        match policy.decide(clock::duration(backoff_ms), hint) {
            RetryAfterDecision::Wait(delay) => clock::millis(delay),
            RetryAfterDecision::GiveUp { requested } => -clock::millis(requested),
        }
    }

    /// One `value` of header `name` as a hint in ms (NaN when ignored).
    pub fn parse_hint_ms(name: &str, value: &str, now_unix_ms: f64) -> f64 {
        HintHeader::from_name(name)
            .and_then(|h| parse_hint(h, value, super::classify::unix(now_unix_ms)).ok())
            .map_or(f64::NAN, clock::millis)
    }

    /// Why `value` is not a hint (`"unknown_header"` …), or `""`.
    pub fn ignored_reason(name: &str, value: &str, now_unix_ms: f64) -> String {
        match HintHeader::from_name(name) {
            None => String::from("unknown_header"),
            Some(h) => match parse_hint(h, value, super::classify::unix(now_unix_ms)) {
                Ok(_) => String::new(),
                Err(ignored) => String::from(ignored.reason()),
            },
        }
    }

    /// The next 64 random bits of generator `handle`, in decimal.
    pub fn rng_word(&mut self, handle: u32) -> String {
        match self.slot(handle) {
            Some(Slot::Rng(rng)) => rng.next_word().to_string(),
            _ => String::new(),
        }
    }

    /// The attempt limit in force at `now_ms` (lowered by adaptive attempts).
    pub fn attempt_limit(&mut self, p: u32, now_ms: f64) -> f64 {
        match self.slot(p) {
            Some(Slot::Policy(policy)) => f64::from(policy.attempt_limit(clock::instant(now_ms))),
            _ => f64::NAN,
        }
    }

    /// `key`'s breaker's versioned snapshot as JSON (`""` when none).
    pub fn snapshot(&mut self, handle: u32, key: u32) -> String {
        match self.slot(handle) {
            Some(Slot::Breakers(r)) => r
                .get_mut(key)
                .and_then(|b| serde_json::to_string(&b.snapshot()).ok())
                .into_iter()
                .collect(),
            _ => String::new(),
        }
    }

    /// `key`'s breaker's admission at `now_ms` (`breaker::Admission`):
    /// −2 none, −1 no successes may wait, `Infinity` no time bound, else
    /// the ms before which they may; the generation goes to `scratch[0]`.
    pub fn breaker_admission(&mut self, handle: u32, key: u32, now_ms: f64) -> f64 {
        let now = clock::instant(now_ms);
        let Some(Slot::Breakers(r)) = self.slots.get_mut(handle as usize) else {
            return f64::NAN;
        };
        let Some(admission) = r.get_mut(key).and_then(|b| b.admission(now)) else {
            return -2.0;
        };
        if let Some(out) = self.scratch.first_mut() {
            *out = admission.generation as f64;
        }
        match admission.batch_until {
            None => -1.0,
            Some(until) if until == stormguard::Instant::MAX => f64::INFINITY,
            Some(until) => until.as_millis_f64(),
        }
    }

    /// One call admitted under `generation`'s admission, outcome 0 success,
    /// 1 failure, 2 ignored: 0 counted, 1 released, 2 late, 4 no breaker.
    pub fn breaker_record_admitted(
        &mut self,
        handle: u32,
        key: u32,
        now_ms: f64,
        generation: f64,
        outcome: u32,
        duration_ms: f64,
    ) -> u32 {
        let outcome = super::breaker::outcome_of(outcome, duration_ms);
        self.with_breaker(
            handle,
            key,
            |b, now| b.record_admitted(now, generation as u64, outcome),
            now_ms,
        )
    }

    /// `count` plain successes under `generation`'s admission: codes as
    /// [`Core::breaker_record_admitted`].
    pub fn breaker_record_successes(
        &mut self,
        handle: u32,
        key: u32,
        now_ms: f64,
        generation: f64,
        count: f64,
    ) -> u32 {
        self.with_breaker(
            handle,
            key,
            |b, now| b.record_successes(now, generation as u64, count as u64),
            now_ms,
        )
    }

    /// Runs a report on `key`'s breaker; its answer as a record code.
    fn with_breaker(
        &mut self,
        handle: u32,
        key: u32,
        report: impl FnOnce(&mut Breaker, stormguard::Instant) -> Recorded,
        now_ms: f64,
    ) -> u32 {
        let now = clock::instant(now_ms);
        let Some(Slot::Breakers(r)) = self.slots.get_mut(handle as usize) else {
            return 4;
        };
        match r.get_mut(key).map(|b| report(b, now)) {
            Some(Recorded::Counted) => 0,
            Some(Recorded::Released) => 1,
            Some(Recorded::Late) => 2,
            None => 4,
        }
    }

    /// Replaces `key`'s breaker with one restored from `json` (taken with
    /// the same options); `false` when refused.
    pub fn restore_snapshot(
        &mut self,
        handle: u32,
        key: u32,
        preset: &str,
        values: &[f64],
        open_backoff: &[f64],
        json: &str,
    ) -> bool {
        let mut options = stormguard::breaker::BreakerOptions::default();
        if breaker_options(&mut options, preset, values, open_backoff).is_err() {
            return false;
        }
        let Ok(snapshot) = serde_json::from_str(json) else {
            return false;
        };
        let Ok(restored) = stormguard::breaker::Breaker::restore(&options, snapshot) else {
            return false;
        };
        match self.slot(handle) {
            Some(Slot::Breakers(r)) => match r.get_mut(key) {
                Some(b) => {
                    *b = restored;
                    true
                }
                None => false,
            },
            _ => false,
        }
    }
}

/// `"class reason"`.
fn describe(c: Classification) -> String {
    let mut out = String::from(c.class.as_str());
    out.push(' ');
    out.push_str(c.reason);
    out
}

/// Classifies a Redis error reply or client error text.
#[wasm_bindgen(js_name = classifyRedis)]
pub fn classify_redis(message: &str) -> String {
    describe(classify::classify_redis(message))
}

/// Classifies an errno-style code (`"ECONNRESET"` …).
#[wasm_bindgen(js_name = classifyErrno)]
pub fn classify_errno(code: &str) -> String {
    describe(classify::classify_errno(code))
}

/// Classifies a PostgreSQL SQLSTATE code.
#[wasm_bindgen(js_name = classifySqlstate)]
pub fn classify_sqlstate(code: &str) -> String {
    describe(classify::classify_sqlstate(code))
}
