//! The module's exports: one free function per [`Core`] method, each
//! running it on the one table ([`with`]). Names and arguments are those of
//! the methods (see their docs); the JS layer's `raw` object in
//! `js/wasm.js`.

use super::{Core, with};
use alloc::string::String;
use wasm_bindgen::prelude::wasm_bindgen;

/// See [`Core::scratch`].
#[wasm_bindgen]
pub fn scratch() -> u32 {
    with(0, |core| core.scratch())
}

/// See [`Core::text`].
#[wasm_bindgen]
pub fn text(i: u32) -> String {
    with(String::new(), |core| core.text(i))
}

/// See [`Core::free`].
#[wasm_bindgen]
pub fn free(handle: u32) {
    with((), |core| core.free(handle))
}

/// See [`Core::backoff`].
#[wasm_bindgen]
pub fn backoff(values: &[f64]) -> f64 {
    with(f64::NAN, |core| core.backoff(values))
}

/// See [`Core::backoff_preset`].
#[wasm_bindgen(js_name = backoffPreset)]
pub fn backoff_preset(name: &str, args: &[f64]) -> f64 {
    with(f64::NAN, |core| core.backoff_preset(name, args))
}

/// See [`Core::backoff_op`].
#[wasm_bindgen(js_name = backoffOp)]
pub fn backoff_op(handle: u32, op: u32, attempt: f64, u: f64) -> f64 {
    with(f64::NAN, |core| core.backoff_op(handle, op, attempt, u))
}

/// See [`Core::rng`].
#[wasm_bindgen]
pub fn rng(high: u32, low: u32) -> f64 {
    with(f64::NAN, |core| core.rng(high, low))
}

/// See [`Core::rng_unit`].
#[wasm_bindgen(js_name = rngUnit)]
pub fn rng_unit(handle: u32) -> f64 {
    with(f64::NAN, |core| core.rng_unit(handle))
}

/// See [`Core::budget`].
#[wasm_bindgen]
pub fn budget(kind: u32, values: &[f64]) -> f64 {
    with(f64::NAN, |core| core.budget(kind, values))
}

/// See [`Core::budget_op`].
#[wasm_bindgen(js_name = budgetOp)]
pub fn budget_op(handle: u32, op: u32, now_ms: f64, arg: u32) -> f64 {
    with(f64::NAN, |core| core.budget_op(handle, op, now_ms, arg))
}

/// See [`Core::breakers`].
#[wasm_bindgen]
pub fn breakers(
    preset: &str,
    values: &[f64],
    open_backoff: &[f64],
    registry_values: &[f64],
) -> f64 {
    with(f64::NAN, |core| {
        core.breakers(preset, values, open_backoff, registry_values)
    })
}

/// See [`Core::breaker_op`].
#[wasm_bindgen(js_name = breakerOp)]
pub fn breaker_op(handle: u32, key: u32, op: u32, now_ms: f64, x: f64) -> f64 {
    with(f64::NAN, |core| core.breaker_op(handle, key, op, now_ms, x))
}

/// See [`Core::breaker_record`].
#[wasm_bindgen(js_name = breakerRecord)]
pub fn breaker_record(
    handle: u32,
    key: u32,
    now_ms: f64,
    generation: f64,
    id: f64,
    outcome: u32,
    duration_ms: f64,
) -> u32 {
    with(4, |core| {
        core.breaker_record(handle, key, now_ms, generation, id, outcome, duration_ms)
    })
}

/// See [`Core::classifier`].
#[wasm_bindgen]
pub fn classifier(
    retry_on: &[f64],
    delay_on: &[f64],
    methods: &str,
    lengths: &[f64],
    present: u32,
) -> f64 {
    with(f64::NAN, |core| {
        core.classifier(retry_on, delay_on, methods, lengths, present)
    })
}

/// See [`Core::classify`].
#[wasm_bindgen]
pub fn classify(handle: u32, status: f64, method: &str, flags: u32) -> u32 {
    with(2, |core| core.classify(handle, status, method, flags))
}

/// See [`Core::hint_ms`].
#[wasm_bindgen(js_name = hintMs)]
pub fn hint_ms(values: &str, now_unix_ms: f64) -> f64 {
    Core::hint_ms(values, now_unix_ms)
}

/// See [`Core::policy`].
#[wasm_bindgen]
pub fn policy(values: &[f64], backoff: &[f64], retry_after: &[f64], adaptive: &[f64]) -> f64 {
    with(f64::NAN, |core| {
        core.policy(values, backoff, retry_after, adaptive)
    })
}

/// See [`Core::start`].
#[wasm_bindgen]
pub fn start(p: u32, now_ms: f64, budget: u32) -> f64 {
    with(f64::NAN, |core| core.start(p, now_ms, budget))
}

/// See [`Core::succeed`].
#[wasm_bindgen]
pub fn succeed(p: u32, exec: u32, now_ms: f64, budget: u32) {
    with((), |core| core.succeed(p, exec, now_ms, budget))
}

/// See [`Core::decide`].
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn decide(
    p: u32,
    exec: u32,
    now_ms: f64,
    classifier: u32,
    status_or_class: f64,
    method: &str,
    flags: u32,
    hint_ms: f64,
    u: f64,
    budget: u32,
    breakers: u32,
    key: u32,
) -> f64 {
    with(f64::NAN, |core| {
        core.decide(
            p,
            exec,
            now_ms,
            classifier,
            status_or_class,
            method,
            flags,
            hint_ms,
            u,
            budget,
            breakers,
            key,
        )
    })
}

/// See [`Core::exec_info`].
#[wasm_bindgen(js_name = execInfo)]
pub fn exec_info(exec: u32) -> f64 {
    with(f64::NAN, |core| core.exec_info(exec))
}
