//! `stormguard.Backoff`: every schedule the core offers, configured with
//! snake_case keywords in seconds, and the core's presets by name.
//!
//! ```python
//! Backoff(base=0.1, max=10.0)                 # exponential ×2, full jitter kept at the cap
//! Backoff(schedule="polly_v2", base=0.2, jitter="none")
//! Backoff.preset("redis_py_client_default")   # the peers' exact formulas
//! Backoff.from_dict({"baseMs": 100})          # the binding-neutral camelCase/ms form
//! ```
//!
//! It works wherever redis-py takes a backoff (`compute(failures)`,
//! `reset()`, copy/deepcopy/pickle) and also exposes the core's pure form
//! (`delay(attempt, u)`) and sequences (`next_delay`).

use crate::clock::seconds;
use crate::convert::{count_u32, from_json, kwargs_to_json, py_to_serde, serialize_to_py};
use crate::engine::{Engine, delay_seconds, draw_arg, seed_arg};
use crate::errors::from_core;
use crate::names::{Schema, Unit, field, loose, snake_case};
use crate::redis_backoff::{compute, copy_via_reduce};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use stormguard::backoff::presets::{NAMES, by_name};
use stormguard::backoff::{Backoff, BackoffOptions};

/// Keywords of `Backoff(**options)`; durations are seconds.
pub(crate) static BACKOFF: Schema = Schema {
    fields: &[
        field("schedule", "schedule", Unit::Variant),
        field("base", "baseMs", Unit::Seconds),
        field("step", "stepMs", Unit::Seconds),
        field("factor", "factor", Unit::Plain),
        field("min", "minMs", Unit::Seconds),
        field("max", "maxMs", Unit::Seconds),
        field("jitter", "jitter", Unit::Variant),
        field("jitter_ratio", "jitterRatio", Unit::Plain),
        field("jitter_max", "jitterMs", Unit::Seconds),
        field("max_attempts", "maxAttempts", Unit::Plain),
        field("cap_order", "capOrder", Unit::Variant),
        field("whole_ms", "wholeMs", Unit::Plain),
        field("decorrelated_start", "decorrelatedStart", Unit::Variant),
    ],
};

/// `Backoff.preset(name, *args)`: the preset's name and its positional
/// arguments (validated here as finite and non-negative, so the core's
/// remaining complaints are about `args` as a whole).
static PRESET: Schema = Schema {
    fields: &[
        field("name", "preset", Unit::Plain),
        field("args", "baseMs", Unit::Plain),
        field("args", "maxMs", Unit::Plain),
        field("args", "minMs", Unit::Plain),
    ],
};

/// The binding-neutral names, used by `from_dict` errors.
static NEUTRAL: Schema = Schema { fields: &[] };

/// A configurable backoff built by the core (see the module docs).
#[pyclass(module = "stormguard", name = "Backoff", frozen, subclass)]
#[derive(Debug)]
pub(crate) struct PyBackoff {
    options: BackoffOptions,
    engine: Engine,
}

impl PyBackoff {
    fn build(
        py: Python<'_>,
        options: BackoffOptions,
        seed: Option<&Bound<'_, PyAny>>,
        schema: &Schema,
    ) -> PyResult<Self> {
        let seed = seed_arg(seed)?;
        let backoff = Backoff::new(&options).map_err(|e| from_core(py, &e, schema))?;
        Ok(Self {
            engine: Engine::new(options.clone(), backoff, true, seed),
            options,
        })
    }

    /// The validated core backoff (for `retry` and `Retry`).
    pub(crate) fn engine(&self) -> &Engine {
        &self.engine
    }
}

#[pymethods]
impl PyBackoff {
    #[new]
    #[pyo3(signature = (*, seed = None, **options))]
    fn new(
        py: Python<'_>,
        seed: Option<&Bound<'_, PyAny>>,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        let map = kwargs_to_json(options, &BACKOFF)?;
        let options: BackoffOptions = from_json(py, map, &BACKOFF)?;
        Self::build(py, options, seed, &BACKOFF)
    }

    /// A peer's backoff by name (`"redis_py_client_default"`, `"ioredis_v6"`,
    /// `"aws_standard_2026"`, `"polly_v2"` …, see `Backoff.presets()`), with
    /// positional arguments in the peer's order and units (redis-py: seconds;
    /// `polly_v2`: the median first delay in milliseconds).
    #[staticmethod]
    #[pyo3(signature = (name, *args, seed = None))]
    fn preset(
        py: Python<'_>,
        name: &Bound<'_, PyAny>,
        args: &Bound<'_, PyTuple>,
        seed: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let name: String = name
            .extract()
            .map_err(|_| crate::errors::type_error("name", "a str", name))?;
        let wanted = loose(&name);
        let core_name = NAMES
            .iter()
            .find(|known| loose(known) == wanted)
            .map_or(name.as_str(), |known| known);
        let mut numbers = Vec::with_capacity(args.len());
        for arg in args.iter() {
            let value = crate::convert::number("args", &arg)?;
            if !(value.is_finite() && value >= 0.0) {
                return Err(crate::errors::config_error(
                    py,
                    "args",
                    &format!("`args` must be finite, non-negative numbers, got {value}"),
                ));
            }
            numbers.push(value);
        }
        let options = by_name(core_name, &numbers).map_err(|e| from_core(py, &e, &PRESET))?;
        Self::build(py, options, seed, &PRESET)
    }

    /// The names `Backoff.preset` accepts (snake_case).
    #[staticmethod]
    fn presets() -> Vec<String> {
        NAMES.iter().map(|n| snake_case(n)).collect()
    }

    /// A backoff from the binding-neutral options object (camelCase names,
    /// milliseconds: `{"baseMs": 100, "jitter": "equal"}`), as the Node and
    /// browser bindings and `to_dict()` use.
    #[staticmethod]
    #[pyo3(signature = (options, *, seed = None))]
    fn from_dict(
        py: Python<'_>,
        options: &Bound<'_, PyAny>,
        seed: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let options: BackoffOptions = py_to_serde("options", options)?;
        Self::build(py, options, seed, &NEUTRAL)
    }

    /// The options in the binding-neutral form (camelCase, milliseconds).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        serialize_to_py(py, &self.options)
    }

    /// redis-py interface: the delay in seconds before retry `failures`
    /// (1-based), advancing the state. Raises `StormguardError`
    /// (`ERR_ATTEMPTS_EXHAUSTED`) past `max_attempts`.
    fn compute(&self, py: Python<'_>, failures: &Bound<'_, PyAny>) -> PyResult<f64> {
        compute(py, &self.engine, failures)
    }

    /// Forgets the per-operation state (decorrelated / Polly V2 memory).
    fn reset(&self) {
        self.engine.reset();
    }

    /// The delay in seconds before retry `attempt` (1-based), advancing the
    /// state, or None past `max_attempts`. `u` overrides the draw.
    #[pyo3(signature = (attempt, u = None))]
    fn next_delay(
        &self,
        py: Python<'_>,
        attempt: &Bound<'_, PyAny>,
        u: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Option<f64>> {
        let attempt = count_u32("attempt", attempt)?;
        let u = draw_arg(u)?;
        Ok(delay_seconds(self.engine.next(py, attempt, u)?))
    }

    /// The pure form: the delay in seconds before retry `attempt` with draw
    /// `u`, from a fresh state and ignoring `max_attempts`.
    fn delay(&self, attempt: &Bound<'_, PyAny>, u: &Bound<'_, PyAny>) -> PyResult<f64> {
        let attempt = count_u32("attempt", attempt)?;
        let u = crate::convert::number("u", u)?;
        Ok(seconds(self.engine.backoff().delay(attempt, u)))
    }

    /// The longest delay these options can produce, in seconds.
    #[getter]
    fn max_delay(&self) -> f64 {
        seconds(self.engine.backoff().max_delay())
    }

    /// Delays handed out before giving up, or None for unlimited.
    #[getter]
    fn max_attempts(&self) -> Option<u32> {
        self.engine.backoff().max_attempts()
    }

    /// The seed of the core's generator, or None when drawing from
    /// Python's `random` module.
    #[getter]
    fn seed(&self) -> Option<u64> {
        self.engine.seed()
    }

    fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> Py<PyAny> {
        match other.cast::<Self>() {
            Ok(other) => (self.options == other.get().options)
                .into_pyobject(py)
                .map_or_else(|_| py.None(), |b| b.to_owned().into_any().unbind()),
            Err(_) => py.NotImplemented(),
        }
    }

    fn __hash__(&self, py: Python<'_>) -> PyResult<isize> {
        let text = crate::convert::json_text(&self.options);
        text.into_pyobject(py)?.hash()
    }

    fn __repr__(&self) -> String {
        let text = crate::convert::json_text(&self.options);
        format!("Backoff.from_dict({text})")
    }

    fn __copy__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        copy_via_reduce(slf.as_any())
    }

    fn __deepcopy__<'py>(
        slf: &Bound<'py, Self>,
        _memo: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        copy_via_reduce(slf.as_any())
    }

    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>, Bound<'py, PyDict>)> {
        let py = slf.py();
        let this = slf.get();
        let from_dict = slf.get_type().getattr("from_dict")?;
        let args = PyTuple::new(py, [this.to_dict(py)?])?;
        Ok((from_dict, args, this.engine.state_dict(py)?))
    }

    fn __setstate__(&self, state: &Bound<'_, PyAny>) -> PyResult<()> {
        self.engine.set_state(state)
    }
}
