//! `stormguard._core`: the Python extension module of stormguard.
//!
//! Why thin: every resilience decision comes from the `stormguard` core;
//! this crate converts Python values (seconds, snake_case keywords) to the
//! core's types, reads the host clock and random numbers, and maps the
//! core's typed errors to Python exceptions naming the argument. The pure
//! Python package `stormguard` adds only decorators and asyncio glue.
//!
//! Constraints: no `unsafe` outside `constant_compute` (one raw method,
//! for redis-py's hottest call); no panicking calls and no slice indexing (a Rust panic must
//! never reach Python); classes are `frozen` with internal locks held only
//! while the core decides, never while Python code runs.

mod backoff;
mod breaker;
mod breaker_args;
mod budget;
mod bulkhead;
mod classify;
mod clock;
mod constant_compute;
mod convert;
mod engine;
mod errors;
mod keyed;
mod names;
mod policy;
mod random;
mod redis_backoff;
mod registry;
mod retry_after;

use pyo3::prelude::*;

/// The extension module.
#[pymodule]
#[pyo3(name = "_core")]
fn core_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    errors::register(m)?;
    clock::anchor(m.py())?;
    m.add_class::<backoff::PyBackoff>()?;
    m.add_class::<redis_backoff::ConstantBackoff>()?;
    m.add_class::<redis_backoff::NoBackoff>()?;
    constant_compute::install(m.py())?;
    m.add_class::<redis_backoff::ExponentialBackoff>()?;
    m.add_class::<redis_backoff::FullJitterBackoff>()?;
    m.add_class::<redis_backoff::EqualJitterBackoff>()?;
    m.add_class::<redis_backoff::DecorrelatedJitterBackoff>()?;
    m.add_class::<redis_backoff::ExponentialWithJitterBackoff>()?;
    m.add_class::<budget::PyRetryBudget>()?;
    m.add_class::<budget::PyRetryPermit>()?;
    m.add_class::<classify::PyClassification>()?;
    m.add_class::<classify::PyHttpClassifier>()?;
    m.add_function(wrap_pyfunction!(classify::py_classify_redis, m)?)?;
    m.add_function(wrap_pyfunction!(classify::py_classify_errno, m)?)?;
    m.add_function(wrap_pyfunction!(classify::py_classify_sqlstate, m)?)?;
    m.add_class::<retry_after::PyRetryAfterPolicy>()?;
    m.add_function(wrap_pyfunction!(retry_after::py_parse_hint, m)?)?;
    m.add_class::<bulkhead::PyBulkhead>()?;
    m.add_class::<breaker::PyBreaker>()?;
    m.add_class::<registry::PyBreakerRegistry>()?;
    m.add_class::<registry::PyRegistryPermit>()?;
    m.add_class::<keyed::PyRegistry>()?;
    m.add_class::<random::PySeededRng>()?;
    m.add_class::<breaker::PyBreakerPermit>()?;
    m.add_class::<breaker::PyBreakerAdmission>()?;
    m.add_class::<policy::PyRetryPolicy>()?;
    m.add_class::<policy::PyExecution>()?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
