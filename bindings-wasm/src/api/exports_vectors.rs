//! Exports only the test vectors need (see [`super::vectors`]).

use super::{Core, with};
use alloc::string::String;
use wasm_bindgen::prelude::wasm_bindgen;

/// See [`Core::backoff_preset`].
#[wasm_bindgen(js_name = backoffPreset)]
pub fn backoff_preset(name: &str, args: &[f64]) -> f64 {
    with(f64::NAN, |core| core.backoff_preset(name, args))
}

/// See [`Core::retry_after`].
#[wasm_bindgen(js_name = retryAfter)]
pub fn retry_after(values: &[f64]) -> f64 {
    with(f64::NAN, |core| core.retry_after(values))
}

/// See [`Core::retry_after_decide`].
#[wasm_bindgen(js_name = retryAfterDecide)]
pub fn retry_after_decide(handle: u32, backoff_ms: f64, hint_ms: f64) -> f64 {
    with(f64::NAN, |core| {
        core.retry_after_decide(handle, backoff_ms, hint_ms)
    })
}

/// See [`Core::parse_hint_ms`].
#[wasm_bindgen(js_name = parseHintMs)]
pub fn parse_hint_ms(name: &str, value: &str, now_unix_ms: f64) -> f64 {
    Core::parse_hint_ms(name, value, now_unix_ms)
}

/// See [`Core::ignored_reason`].
#[wasm_bindgen(js_name = ignoredReason)]
pub fn ignored_reason(name: &str, value: &str, now_unix_ms: f64) -> String {
    Core::ignored_reason(name, value, now_unix_ms)
}

/// See [`Core::rng_word`].
#[wasm_bindgen(js_name = rngWord)]
pub fn rng_word(handle: u32) -> String {
    with(String::new(), |core| core.rng_word(handle))
}

/// See [`Core::attempt_limit`].
#[wasm_bindgen(js_name = attemptLimit)]
pub fn attempt_limit(p: u32, now_ms: f64) -> f64 {
    with(f64::NAN, |core| core.attempt_limit(p, now_ms))
}

/// See [`Core::snapshot`].
#[wasm_bindgen]
pub fn snapshot(handle: u32, key: u32) -> String {
    with(String::new(), |core| core.snapshot(handle, key))
}

/// See [`Core::restore_snapshot`].
#[wasm_bindgen(js_name = restoreSnapshot)]
pub fn restore_snapshot(
    handle: u32,
    key: u32,
    preset: &str,
    values: &[f64],
    open_backoff: &[f64],
    json: &str,
) -> bool {
    with(false, |core| {
        core.restore_snapshot(handle, key, preset, values, open_backoff, json)
    })
}

/// See [`Core::breaker_admission`].
#[wasm_bindgen(js_name = breakerAdmission)]
pub fn breaker_admission(handle: u32, key: u32, now_ms: f64) -> f64 {
    with(f64::NAN, |core| core.breaker_admission(handle, key, now_ms))
}

/// See [`Core::breaker_record_admitted`].
#[wasm_bindgen(js_name = breakerRecordAdmitted)]
pub fn breaker_record_admitted(
    handle: u32,
    key: u32,
    now_ms: f64,
    generation: f64,
    outcome: u32,
    duration_ms: f64,
) -> u32 {
    with(4, |core| {
        core.breaker_record_admitted(handle, key, now_ms, generation, outcome, duration_ms)
    })
}

/// See [`Core::breaker_record_successes`].
#[wasm_bindgen(js_name = breakerRecordSuccesses)]
pub fn breaker_record_successes(
    handle: u32,
    key: u32,
    now_ms: f64,
    generation: f64,
    count: f64,
) -> u32 {
    with(4, |core| {
        core.breaker_record_successes(handle, key, now_ms, generation, count)
    })
}
