//! `stormguard._core.Breaker`: the core's circuit breaker, one lock, no
//! callbacks.
//!
//! The two-step protocol is the core's: `try_acquire()` before the call (a
//! `BreakerPermit`, or `CircuitOpenError` with `retry_after` seconds) and
//! `record(permit, outcome, duration)` after it. The lock is held only while
//! the core decides, never during the protected call, so calls run in
//! parallel. Transitions are drained as data (`poll_transitions()`); the
//! Python `CircuitBreaker` turns them into listener calls outside the lock.
//!
//! The open-duration jitter (`open_backoff`) needs a fresh draw after each
//! opening: the binding supplies one from its own `SeededRng` (seeded with
//! `seed=` or from Python's `random`) whenever a new generation is open.

use crate::breaker_args::{
    BREAKER, breaker_options, metrics_dict, open_error, outcome_arg, permit_error, recorded_name,
    seconds_arg, snapshot_error, timed_outcome_arg,
};
use crate::convert::{py_to_serde, serialize_to_py};
use crate::engine::lock;
use crate::errors::from_core;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};
use std::sync::Mutex;
use stormguard::SeededRng;
use stormguard::breaker::{Breaker, BreakerOptions, Outcome, Permit, State};

/// Permission for one call; hand it back to `record`.
#[pyclass(module = "stormguard", name = "BreakerPermit", frozen)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct PyBreakerPermit {
    generation: u64,
    id: u64,
}

#[pymethods]
impl PyBreakerPermit {
    /// The breaker generation (bumped by every state change) it belongs to.
    #[getter]
    fn generation(&self) -> u64 {
        self.generation
    }

    fn __repr__(&self) -> String {
        format!(
            "BreakerPermit(generation={}, id={})",
            self.generation, self.id
        )
    }
}

/// What a host may decide alone while the breaker is closed (the core's
/// `breaker::Admission`): calls of `generation` may start without
/// `try_acquire`; plain successes ending before `batch_until` (seconds on
/// the `now` clock; `inf`: no time bound; None: none may wait) and taking
/// at most `slow_above` seconds may be reported later with
/// `Breaker.record_successes`.
#[pyclass(module = "stormguard", name = "BreakerAdmission", frozen)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct PyBreakerAdmission {
    generation: u64,
    batch_until: Option<f64>,
    slow_above: f64,
}

#[pymethods]
impl PyBreakerAdmission {
    /// The generation the admission holds for.
    #[getter]
    fn generation(&self) -> u64 {
        self.generation
    }

    /// Until when plain successes may wait (seconds; `inf`: always; None: never).
    #[getter]
    fn batch_until(&self) -> Option<f64> {
        self.batch_until
    }

    /// Successes slower than this many seconds are reported at once.
    #[getter]
    fn slow_above(&self) -> f64 {
        self.slow_above
    }

    fn __repr__(&self) -> String {
        format!(
            "BreakerAdmission(generation={}, batch_until={:?}, slow_above={:?})",
            self.generation, self.batch_until, self.slow_above
        )
    }
}

/// Mutable part: the breaker and the generator for open-duration draws.
#[derive(Debug)]
struct Inner {
    breaker: Breaker,
    rng: SeededRng,
    /// The open generation that last received a fresh draw.
    drawn_for: Option<u64>,
}

impl Inner {
    /// Supplies a fresh open-duration draw once per opening.
    fn refresh_draw(&mut self) {
        if self.breaker.state() == State::Open && self.drawn_for != Some(self.breaker.generation())
        {
            self.drawn_for = Some(self.breaker.generation());
            let u = self.rng.next_unit();
            self.breaker.set_open_draw(u);
        }
    }
}

/// The core's circuit breaker behind a lock (see the module docs).
#[pyclass(module = "stormguard._core", name = "Breaker", frozen)]
#[derive(Debug)]
pub(crate) struct PyBreaker {
    options: BreakerOptions,
    inner: Mutex<Inner>,
}

impl PyBreaker {
    /// Runs `f` on the core breaker under its lock (for the retry policy,
    /// which only queries it).
    pub(crate) fn with_breaker<R>(&self, f: impl FnOnce(&Breaker) -> R) -> R {
        f(&lock(&self.inner).breaker)
    }

    fn with<R>(&self, f: impl FnOnce(&mut Inner) -> R) -> R {
        let mut inner = lock(&self.inner);
        let result = f(&mut inner);
        inner.refresh_draw();
        result
    }
}

#[pymethods]
impl PyBreaker {
    #[new]
    #[pyo3(signature = (*, preset = None, seed = None, **options))]
    fn new(
        py: Python<'_>,
        preset: Option<&Bound<'_, PyAny>>,
        seed: Option<&Bound<'_, PyAny>>,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        let options = breaker_options(py, preset, options)?;
        Self::build(py, options, seed)
    }

    /// Asks to make one call: a `BreakerPermit`, or `CircuitOpenError`
    /// (`retry_after` seconds until a call may pass, None when forced open).
    #[pyo3(signature = (now = None))]
    fn try_acquire(
        &self,
        py: Python<'_>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyBreakerPermit> {
        let now = crate::clock::now(py, now)?;
        match self.with(|inner| inner.breaker.try_acquire(now)) {
            Ok(permit) => Ok(PyBreakerPermit {
                generation: permit.generation(),
                id: permit.id(),
            }),
            Err(rejected) => Err(open_error(py, &rejected)),
        }
    }

    /// The whole protocol in one call: acquire, run
    /// `function(*args, **kwargs)` with no lock held, record the outcome
    /// (`classify(exception)` names it: `"failure"`, `"ignored"` or
    /// `"success"`) with the measured duration, and call `dispatch()` when
    /// the state changed. Returns the function's result or re-raises.
    #[pyo3(signature = (function, args, kwargs, classify, dispatch))]
    fn call<'py>(
        &self,
        py: Python<'py>,
        function: &Bound<'py, PyAny>,
        args: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, PyDict>>,
        classify: &Bound<'py, PyAny>,
        dispatch: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let started = crate::clock::monotonic(py)?;
        let (acquired, changed) = self.with(|inner| {
            let generation = inner.breaker.generation();
            let acquired = inner.breaker.try_acquire(started);
            (acquired, inner.breaker.generation() != generation)
        });
        if changed {
            dispatch.call0()?;
        }
        let permit = acquired.map_err(|rejected| open_error(py, &rejected))?;
        let result = function.call(args, kwargs);
        let ended = crate::clock::monotonic(py)?;
        let outcome = match &result {
            Ok(_) => Outcome::success(),
            Err(error) => outcome_arg(&classify.call1((error.value(py),))?)?,
        };
        let outcome = outcome.took(ended - started);
        let (recorded, changed) = self.with(|inner| {
            let generation = inner.breaker.generation();
            let recorded = inner.breaker.record(ended, permit, outcome);
            (recorded, inner.breaker.generation() != generation)
        });
        if changed {
            dispatch.call0()?;
        }
        recorded.map_err(|e| permit_error(py, &e))?;
        result
    }

    /// Reports how the call admitted by `permit` ended: `"counted"`,
    /// `"released"` (ignored outcome) or `"late"` (its generation is over).
    /// `duration` (seconds) enables slow-call detection. `UsageError` for a
    /// permit recorded twice (`ERR_PERMIT_REUSED`) or not from this breaker.
    #[pyo3(signature = (permit, outcome, duration = None, now = None))]
    fn record(
        &self,
        py: Python<'_>,
        permit: &Bound<'_, PyAny>,
        outcome: &Bound<'_, PyAny>,
        duration: Option<&Bound<'_, PyAny>>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<&'static str> {
        let parts = *permit
            .cast::<PyBreakerPermit>()
            .map_err(|_| crate::errors::type_error("permit", "a BreakerPermit", permit))?
            .get();
        let permit = Permit::from_parts(parts.generation, parts.id);
        let outcome = timed_outcome_arg(py, outcome, duration)?;
        let now = crate::clock::now(py, now)?;
        match self.with(|inner| inner.breaker.record(now, permit, outcome)) {
            Ok(recorded) => Ok(recorded_name(recorded)),
            Err(err) => Err(permit_error(py, &err)),
        }
    }

    /// The admission for calls starting at `now`, or None when calls must
    /// ask `try_acquire` (open, half-open, forced open).
    #[pyo3(signature = (now = None))]
    fn admission(
        &self,
        py: Python<'_>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Option<PyBreakerAdmission>> {
        let now = crate::clock::now(py, now)?;
        Ok(self
            .with(|inner| inner.breaker.admission(now))
            .map(|a| PyBreakerAdmission {
                generation: a.generation,
                batch_until: a.batch_until.map(|until| {
                    if until == stormguard::Instant::MAX {
                        f64::INFINITY
                    } else {
                        crate::clock::instant_seconds(until)
                    }
                }),
                slow_above: crate::clock::seconds(a.slow_above),
            }))
    }

    /// Reports one call admitted under `generation`'s admission (no
    /// permit): `"counted"`, `"released"` (ignored outcome) or `"late"`.
    #[pyo3(signature = (generation, outcome, duration = None, now = None))]
    fn record_admitted(
        &self,
        py: Python<'_>,
        generation: &Bound<'_, PyAny>,
        outcome: &Bound<'_, PyAny>,
        duration: Option<&Bound<'_, PyAny>>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<&'static str> {
        let generation = crate::convert::count_u64("generation", generation)?;
        let outcome = timed_outcome_arg(py, outcome, duration)?;
        let now = crate::clock::now(py, now)?;
        Ok(recorded_name(self.with(|inner| {
            inner.breaker.record_admitted(now, generation, outcome)
        })))
    }

    /// Reports `count` plain successes admitted under `generation`'s
    /// admission, the latest ending at `now`: `"counted"` or `"late"`.
    #[pyo3(signature = (generation, count, now = None))]
    fn record_successes(
        &self,
        py: Python<'_>,
        generation: &Bound<'_, PyAny>,
        count: &Bound<'_, PyAny>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<&'static str> {
        let generation = crate::convert::count_u64("generation", generation)?;
        let count = crate::convert::count_u64("count", count)?;
        let now = crate::clock::now(py, now)?;
        Ok(recorded_name(self.with(|inner| {
            inner.breaker.record_successes(now, generation, count)
        })))
    }

    /// The state name (`"closed"`, `"open"`, `"halfOpen"`, `"forcedOpen"`,
    /// `"disabled"`, `"metricsOnly"`) after applying what is due by `now`.
    #[pyo3(signature = (now = None))]
    fn state(&self, py: Python<'_>, now: Option<&Bound<'_, PyAny>>) -> PyResult<&'static str> {
        let now = crate::clock::now(py, now)?;
        Ok(self.with(|inner| {
            inner.breaker.handle_timeout(now);
            inner.breaker.state().name()
        }))
    }

    /// The state name without applying anything (no time passes).
    #[getter]
    fn current_state(&self) -> &'static str {
        lock(&self.inner).breaker.state().name()
    }

    /// Applies the changes due by `now` (open deadline, probe leases).
    #[pyo3(signature = (now = None))]
    fn handle_timeout(&self, py: Python<'_>, now: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
        let now = crate::clock::now(py, now)?;
        self.with(|inner| inner.breaker.handle_timeout(now));
        Ok(())
    }

    /// When something changes by itself next (seconds on the `now` clock),
    /// or None.
    fn poll_timeout(&self) -> Option<f64> {
        lock(&self.inner)
            .breaker
            .poll_timeout()
            .map(crate::clock::instant_seconds)
    }

    /// Drains the pending transitions: `[(from, to, reason, at_seconds)]`.
    fn poll_transitions<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let mut drained = Vec::new();
        {
            let mut inner = lock(&self.inner);
            while let Some(t) = inner.breaker.poll_transition() {
                drained.push(t);
            }
        }
        let list = PyList::empty(py);
        for t in drained {
            list.append((
                t.from.name(),
                t.to.name(),
                t.reason.name(),
                t.at.as_nanos() as f64 / 1e9,
            ))?;
        }
        Ok(list)
    }

    /// Counters, window, rates (percent or None) and seconds spent in each
    /// state.
    #[pyo3(signature = (now = None))]
    fn metrics<'py>(
        &self,
        py: Python<'py>,
        now: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let now = crate::clock::now(py, now)?;
        let m = self.with(|inner| inner.breaker.metrics(now));
        metrics_dict(py, &m)
    }

    /// Opens for `duration` seconds (e.g. from a `Retry-After` hint).
    #[pyo3(signature = (duration, now = None))]
    fn trip_for(
        &self,
        py: Python<'_>,
        duration: &Bound<'_, PyAny>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let duration = seconds_arg(py, duration)?;
        let now = crate::clock::now(py, now)?;
        self.with(|inner| inner.breaker.trip_for(now, duration));
        Ok(())
    }

    /// Rejects every call until another manual change.
    #[pyo3(signature = (now = None))]
    fn force_open(&self, py: Python<'_>, now: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
        let now = crate::clock::now(py, now)?;
        self.with(|inner| inner.breaker.force_open(now));
        Ok(())
    }

    /// Admits every call and counts nothing.
    #[pyo3(signature = (now = None))]
    fn disable(&self, py: Python<'_>, now: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
        let now = crate::clock::now(py, now)?;
        self.with(|inner| inner.breaker.disable(now));
        Ok(())
    }

    /// Admits every call and keeps counting, never opening.
    #[pyo3(signature = (now = None))]
    fn metrics_only(&self, py: Python<'_>, now: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
        let now = crate::clock::now(py, now)?;
        self.with(|inner| inner.breaker.metrics_only(now));
        Ok(())
    }

    /// Closes with an empty window.
    #[pyo3(signature = (now = None))]
    fn reset(&self, py: Python<'_>, now: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
        let now = crate::clock::now(py, now)?;
        self.with(|inner| inner.breaker.reset(now));
        Ok(())
    }

    /// Sets the draw that jitters the next growing open duration.
    fn set_open_draw(&self, py: Python<'_>, u: &Bound<'_, PyAny>) -> PyResult<()> {
        let _ = py;
        let u = crate::convert::number("u", u)?;
        let mut inner = lock(&self.inner);
        inner.breaker.set_open_draw(u);
        inner.drawn_for = Some(inner.breaker.generation());
        Ok(())
    }

    /// `{"options": …, "snapshot": …}`: lossless, versioned, binding-neutral.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let snapshot = lock(&self.inner).breaker.snapshot();
        let dict = PyDict::new(py);
        dict.set_item("options", serialize_to_py(py, &self.options)?)?;
        dict.set_item("snapshot", serialize_to_py(py, &snapshot)?)?;
        Ok(dict)
    }

    /// A breaker rebuilt from a `to_dict()` result.
    #[staticmethod]
    #[pyo3(signature = (data, *, seed = None))]
    fn from_dict(
        py: Python<'_>,
        data: &Bound<'_, PyAny>,
        seed: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let options: BreakerOptions = py_to_serde(
            "data",
            &crate::convert::snapshot_item("data", data, "options")?,
        )?;
        let snapshot = py_to_serde(
            "data",
            &crate::convert::snapshot_item("data", data, "snapshot")?,
        )?;
        let breaker = Breaker::restore(&options, snapshot).map_err(|e| snapshot_error(py, &e))?;
        let me = Self::build(py, options, seed)?;
        {
            let mut inner = lock(&me.inner);
            // The snapshot carries its open draw: keep it for this opening.
            inner.drawn_for = Some(breaker.generation());
            inner.breaker = breaker;
        }
        Ok(me)
    }

    /// The options in the binding-neutral form (camelCase, milliseconds).
    fn options<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        serialize_to_py(py, &self.options)
    }
}

impl PyBreaker {
    fn build(
        py: Python<'_>,
        options: BreakerOptions,
        seed: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let breaker = Breaker::new(&options).map_err(|e| from_core(py, &e, &BREAKER))?;
        let seed = crate::engine::seed_or_random(py, seed)?;
        Ok(Self {
            options,
            inner: Mutex::new(Inner {
                breaker,
                rng: SeededRng::from_seed_u64(seed),
                drawn_for: None,
            }),
        })
    }
}
