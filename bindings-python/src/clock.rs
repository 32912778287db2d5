//! The host clock and the host's random numbers.
//!
//! Why here: the core never reads a clock and never draws; the binding does
//! both. `now` arguments are seconds on the `time.monotonic()` clock (so a
//! test can drive a component in virtual time); when omitted the binding
//! reads that clock (`CLOCK_MONOTONIC`, anchored to `time.monotonic_ns()` at
//! import, without a Python call per reading). Draws come from Python's `random.random()`,
//! looked up at call time exactly as redis-py does, so `random.seed()` and
//! monkeypatching `random.random` work as users expect.

use crate::convert::finite_number;
use crate::errors::from_core;
use crate::names::{Schema, Unit, field};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyModule;
use std::sync::OnceLock;
use stormguard::Instant;
use stormguard::time::Duration;

static MONOTONIC_NS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static RANDOM_MODULE: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

/// `now` is seconds in Python, `now` (ms) in the core.
static NOW: Schema = Schema {
    fields: &[field("now", "now", Unit::Seconds)],
};

/// The instant a `now` argument names, or the monotonic clock when `None`.
pub(crate) fn now(py: Python<'_>, now: Option<&Bound<'_, PyAny>>) -> PyResult<Instant> {
    match now {
        Some(value) if !value.is_none() => {
            let seconds = finite_number("now", value)?;
            Instant::from_millis_f64(crate::convert::seconds_to_millis(seconds))
                .map_err(|e| from_core(py, &e, &NOW))
        }
        _ => monotonic(py),
    }
}

/// `time.monotonic_ns()` at import, and Rust's monotonic clock then. Both
/// read `CLOCK_MONOTONIC`, so later readings need no Python call.
static ANCHOR: OnceLock<(std::time::Instant, u64)> = OnceLock::new();

/// Anchors the Rust clock to `time.monotonic_ns()` (at module import).
pub(crate) fn anchor(py: Python<'_>) -> PyResult<()> {
    let ns = python_monotonic_ns(py)?;
    let _ = ANCHOR.set((std::time::Instant::now(), ns));
    Ok(())
}

fn python_monotonic_ns(py: Python<'_>) -> PyResult<u64> {
    let monotonic_ns = MONOTONIC_NS.import(py, "time", "monotonic_ns")?;
    monotonic_ns.call0()?.extract()
}

/// The `time.monotonic()` clock as an [`Instant`] (nanoseconds).
pub(crate) fn monotonic(py: Python<'_>) -> PyResult<Instant> {
    match ANCHOR.get() {
        Some((at, ns)) => {
            let elapsed = u64::try_from(at.elapsed().as_nanos()).map_or(u64::MAX, |e| e);
            Ok(Instant::from_nanos(ns.saturating_add(elapsed)))
        }
        None => python_monotonic_ns(py).map(Instant::from_nanos),
    }
}

/// One draw from Python's `random.random()`, looked up at call time.
pub(crate) fn python_random(py: Python<'_>) -> PyResult<f64> {
    let module = RANDOM_MODULE
        .get_or_try_init(py, || py.import("random").map(|m| m.unbind()))?
        .bind(py);
    module
        .getattr(pyo3::intern!(py, "random"))?
        .call0()?
        .extract()
}

/// A duration as float seconds.
pub(crate) fn seconds(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// An instant as float seconds on the `now` scale.
pub(crate) fn instant_seconds(i: Instant) -> f64 {
    i.as_nanos() as f64 / 1e9
}
