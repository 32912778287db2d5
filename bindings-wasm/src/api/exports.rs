//! The module's exports: one free function per [`Core`] method, each
//! running it on the one table ([`with`]). Names and arguments are those of
//! the methods (see their docs), except that arrays and strings arrive as
//! lengths of what the JS layer wrote at `input()` / `bytes()`, in argument
//! order; the JS layer's `raw` object in `js/wasm.js`.

use super::{Core, known, with, with_input};
use wasm_bindgen::prelude::wasm_bindgen;

/// See [`Core::scratch`].
#[wasm_bindgen]
pub fn scratch() -> u32 {
    with(0, |core| core.scratch())
}

/// See [`Core::text`].
#[wasm_bindgen]
pub fn text(i: u32) -> u32 {
    with(0, |core| core.text(i))
}

/// See [`Core::text_buffer`].
#[wasm_bindgen(js_name = textBuffer)]
pub fn text_buffer() -> u32 {
    with(0, |core| core.text_buffer())
}

/// See [`super::input`].
#[wasm_bindgen]
pub fn input(n: u32) -> u32 {
    super::input(n)
}

/// See [`super::bytes`].
#[wasm_bindgen]
pub fn bytes(n: u32) -> u32 {
    super::bytes(n)
}

/// See [`Core::free`].
#[wasm_bindgen]
pub fn free(handle: u32) {
    with((), |core| core.free(handle))
}

/// See [`Core::backoff`].
#[wasm_bindgen]
pub fn backoff(values: u32) -> f64 {
    with_input(f64::NAN, [values], [], |core, [values], []| {
        core.backoff(values)
    })
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
pub fn budget(kind: u32, values: u32) -> f64 {
    with_input(f64::NAN, [values], [], |core, [values], []| {
        core.budget(kind, values)
    })
}

/// See [`Core::budget_op`].
#[wasm_bindgen(js_name = budgetOp)]
pub fn budget_op(handle: u32, op: u32, now_ms: f64, arg: u32) -> f64 {
    with(f64::NAN, |core| core.budget_op(handle, op, now_ms, arg))
}

/// See [`Core::breakers`].
#[wasm_bindgen]
pub fn breakers(preset: u32, values: u32, open_backoff: u32, registry_values: u32) -> f64 {
    with_input(
        f64::NAN,
        [values, open_backoff, registry_values],
        [preset],
        |core, [values, open_backoff, registry_values], [preset]| {
            let preset = known(preset, stormguard::breaker::presets::NAMES);
            core.breakers(preset, values, open_backoff, registry_values)
        },
    )
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
pub fn classifier(retry_on: u32, delay_on: u32, methods: u32, lengths: u32, present: u32) -> f64 {
    with_input(
        f64::NAN,
        [retry_on, delay_on, lengths],
        [methods],
        |core, [retry_on, delay_on, lengths], [methods]| {
            core.classifier(retry_on, delay_on, methods, lengths, present)
        },
    )
}

/// See [`Core::classify`].
#[wasm_bindgen]
pub fn classify(handle: u32, status: f64, method: u32, flags: u32) -> u32 {
    with_input(2, [], [method], |core, [], [method]| {
        core.classify(handle, status, method, flags)
    })
}

/// See [`Core::hint_ms`].
#[wasm_bindgen(js_name = hintMs)]
pub fn hint_ms(values: u32, now_unix_ms: f64) -> f64 {
    with_input(f64::NAN, [], [values], |_, [], [values]| {
        Core::hint_ms(values, now_unix_ms)
    })
}

/// See [`Core::policy`].
#[wasm_bindgen]
pub fn policy(values: u32, backoff: u32, retry_after: u32, adaptive: u32) -> f64 {
    with_input(
        f64::NAN,
        [values, backoff, retry_after, adaptive],
        [],
        |core, [values, backoff, retry_after, adaptive], []| {
            core.policy(values, backoff, retry_after, adaptive)
        },
    )
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
    method: u32,
    flags: u32,
    hint_ms: f64,
    u: f64,
    budget: u32,
    breakers: u32,
    key: u32,
) -> f64 {
    with_input(f64::NAN, [], [method], |core, [], [method]| {
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
