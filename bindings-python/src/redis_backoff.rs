//! Drop-ins for redis-py 8.1's `redis.backoff` classes.
//!
//! Same names, constructor signatures (`(cap=0.512, base=0.008)`,
//! `ConstantBackoff(backoff)`, `NoBackoff()`), `compute(failures) -> seconds`
//! and `reset()` semantics, value equality and hashing (`hash((base, cap))`,
//! `hash((backoff,))`), and `NoBackoff` subclasses `ConstantBackoff` as in
//! redis-py. Each delay comes from the core's `presets::redis_py_*` options.
//!
//! Randomness: by default one `random.random()` per `compute` for the
//! jittered classes and none for the others, exactly as redis-py draws, so
//! `random.seed(n)` reproduces redis-py's sequence; `seed=` switches to the
//! core's `SeededRng`. Copies (`copy`, `deepcopy`, pickle) keep the state
//! (the decorrelated previous delay) and the generator position, as
//! redis-py's deep copy of `Retry` does.

use crate::clock::seconds;
use crate::convert::{count_u32, number};
use crate::engine::{Engine, seed_arg};
use crate::errors::{Kind, from_core, new_error};
use crate::names::{Schema, Unit, field};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyFloat, PyTuple, PyType};
use stormguard::backoff::presets::{
    REDIS_PY_DEFAULT_BASE_S, REDIS_PY_DEFAULT_CAP_S, redis_py_constant,
    redis_py_decorrelated_jitter, redis_py_equal_jitter, redis_py_exponential,
    redis_py_exponential_with_jitter, redis_py_full_jitter,
};
use stormguard::backoff::{Backoff, BackoffOptions};

/// `expo(f) = base × 2^f` presets: `baseMs` is `2 × base`.
static EXPO: Schema = Schema {
    fields: &[
        field("cap", "maxMs", Unit::Seconds),
        field("base", "baseMs", Unit::SecondsDoubled),
    ],
};

/// The decorrelated preset: `baseMs` is `base`.
static DECORRELATED: Schema = Schema {
    fields: &[
        field("cap", "maxMs", Unit::Seconds),
        field("base", "baseMs", Unit::Seconds),
    ],
};

/// `ConstantBackoff(backoff)`: both `baseMs` and `maxMs` are `backoff`.
static CONSTANT: Schema = Schema {
    fields: &[
        field("backoff", "baseMs", Unit::Seconds),
        field("backoff", "maxMs", Unit::Seconds),
    ],
};

/// Validates `options` into an engine, naming the Python argument on error.
pub(crate) fn build(
    py: Python<'_>,
    options: &BackoffOptions,
    draws: bool,
    seed: Option<&Bound<'_, PyAny>>,
    schema: &Schema,
) -> PyResult<Engine> {
    let seed = seed_arg(seed)?;
    let backoff = Backoff::new(options).map_err(|e| from_core(py, &e, schema))?;
    Ok(Engine::new(options.clone(), backoff, draws, seed))
}

/// `compute(failures)`: the delay before retry `failures` (1-based) in
/// seconds, advancing the state.
pub(crate) fn compute(
    py: Python<'_>,
    engine: &Engine,
    failures: &Bound<'_, PyAny>,
) -> PyResult<f64> {
    let attempt = count_u32("failures", failures)?;
    match engine.next(py, attempt, None)? {
        Some(delay) => Ok(seconds(delay)),
        None => Err(new_error(
            py,
            Kind::Base,
            &format!("no delay for failure {attempt}: the backoff's `max_attempts` is exhausted"),
            "ERR_ATTEMPTS_EXHAUSTED",
            &[],
        )),
    }
}

/// A copy made the way pickle would: `callable(*args).__setstate__(state)`
/// from `__reduce__`, so subclasses copy as themselves.
pub(crate) fn copy_via_reduce<'py>(slf: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let reduced = slf.call_method0("__reduce__")?;
    let (callable, args, state): (Bound<'py, PyAny>, Bound<'py, PyTuple>, Bound<'py, PyAny>) =
        reduced.extract()?;
    let copy = callable.call1(args)?;
    copy.call_method1("__setstate__", (state,))?;
    Ok(copy)
}

/// An optional number argument with a default.
fn arg_or(name: &str, value: Option<&Bound<'_, PyAny>>, default: f64) -> PyResult<f64> {
    match value {
        Some(v) if !v.is_none() => number(name, v),
        _ => Ok(default),
    }
}

/// The five `(cap, base)` classes differ only in their preset, whether they
/// draw, and their docstring.
macro_rules! cap_base_class {
    ($rust:ident, $py:literal, $preset:path, $draws:expr, $schema:expr, $doc:literal) => {
        #[doc = $doc]
        #[pyclass(module = "stormguard", name = $py, frozen, subclass)]
        #[derive(Debug)]
        pub(crate) struct $rust {
            cap: f64,
            base: f64,
            engine: Engine,
        }

        impl $rust {
            /// The shared engine (for `retry` and the policy).
            pub(crate) fn engine(&self) -> &Engine {
                &self.engine
            }
        }

        #[pymethods]
        impl $rust {
            #[new]
            #[pyo3(
                                        signature = (cap = None, base = None, *, seed = None),
                                        text_signature = "(cap=0.512, base=0.008, *, seed=None)"
                                    )]
            fn new(
                py: Python<'_>,
                cap: Option<&Bound<'_, PyAny>>,
                base: Option<&Bound<'_, PyAny>>,
                seed: Option<&Bound<'_, PyAny>>,
            ) -> PyResult<Self> {
                let cap = arg_or("cap", cap, REDIS_PY_DEFAULT_CAP_S)?;
                let base = arg_or("base", base, REDIS_PY_DEFAULT_BASE_S)?;
                let engine = build(py, &$preset(cap, base), $draws, seed, &$schema)?;
                Ok(Self { cap, base, engine })
            }

            /// The delay in seconds before retry number `failures` (1-based,
            /// as redis-py's `Retry` counts).
            fn compute(&self, py: Python<'_>, failures: &Bound<'_, PyAny>) -> PyResult<f64> {
                compute(py, &self.engine, failures)
            }

            /// Forgets the per-operation state (called by redis-py before
            /// each retried command).
            fn reset(&self) {
                self.engine.reset();
            }

            /// Maximum backoff in seconds.
            #[getter]
            fn cap(&self) -> f64 {
                self.cap
            }

            /// Base backoff in seconds.
            #[getter]
            fn base(&self) -> f64 {
                self.base
            }

            /// The seed of the core's generator, or None when drawing from
            /// Python's `random` module.
            #[getter]
            fn seed(&self) -> Option<u64> {
                self.engine.seed()
            }

            fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> Py<PyAny> {
                match other.cast::<Self>() {
                    Ok(other) => {
                        let other = other.get();
                        let equal = self.cap == other.cap && self.base == other.base;
                        equal
                            .into_pyobject(py)
                            .map_or_else(|_| py.None(), |b| b.to_owned().into_any().unbind())
                    }
                    Err(_) => py.NotImplemented(),
                }
            }

            fn __hash__(&self, py: Python<'_>) -> PyResult<isize> {
                PyTuple::new(py, [self.base, self.cap])?.hash()
            }

            fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
                let this = slf.get();
                Ok(format!(
                    "{}(cap={:?}, base={:?})",
                    slf.get_type().name()?,
                    this.cap,
                    this.base
                ))
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
            ) -> PyResult<(Bound<'py, PyType>, (f64, f64), Bound<'py, PyDict>)> {
                let this = slf.get();
                Ok((
                    slf.get_type(),
                    (this.cap, this.base),
                    this.engine.state_dict(slf.py())?,
                ))
            }

            fn __setstate__(&self, state: &Bound<'_, PyAny>) -> PyResult<()> {
                self.engine.set_state(state)
            }
        }
    };
}

cap_base_class!(
    ExponentialBackoff,
    "ExponentialBackoff",
    redis_py_exponential,
    false,
    EXPO,
    "redis-py `ExponentialBackoff(cap, base)`: `min(cap, base * 2**failures)` seconds."
);
cap_base_class!(
    FullJitterBackoff,
    "FullJitterBackoff",
    redis_py_full_jitter,
    true,
    EXPO,
    "redis-py `FullJitterBackoff(cap, base)`: `uniform(0, min(cap, base * 2**failures))`."
);
cap_base_class!(
    EqualJitterBackoff,
    "EqualJitterBackoff",
    redis_py_equal_jitter,
    true,
    EXPO,
    "redis-py `EqualJitterBackoff(cap, base)`: `t = min(cap, base * 2**failures) / 2; \
     t + uniform(0, t)`."
);
cap_base_class!(
    DecorrelatedJitterBackoff,
    "DecorrelatedJitterBackoff",
    redis_py_decorrelated_jitter,
    true,
    DECORRELATED,
    "redis-py `DecorrelatedJitterBackoff(cap, base)`: `prev = min(cap, uniform(base, \
     max(base, 3 * prev)))`, `prev` starting at 0 and zeroed by `reset()`."
);
cap_base_class!(
    ExponentialWithJitterBackoff,
    "ExponentialWithJitterBackoff",
    redis_py_exponential_with_jitter,
    true,
    EXPO,
    "redis-py `ExponentialWithJitterBackoff(cap, base)`: `min(cap, random() * base * \
     2**failures)` (jitter before the cap, as redis-py does)."
);

/// redis-py `ConstantBackoff(backoff)`: `backoff` seconds for every failure.
#[pyclass(module = "stormguard", name = "ConstantBackoff", frozen, subclass)]
#[derive(Debug)]
pub(crate) struct ConstantBackoff {
    backoff: f64,
    engine: Engine,
    /// The core's one delay as a Python float, made once: `compute` hands out
    /// this object, as redis-py returns its stored number.
    delay_seconds: Option<Py<PyFloat>>,
}

impl ConstantBackoff {
    /// The shared engine (for `retry` and the policy).
    pub(crate) fn engine(&self) -> &Engine {
        &self.engine
    }

    fn build(py: Python<'_>, backoff: f64, seed: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let engine = build(py, &redis_py_constant(backoff), false, seed, &CONSTANT)?;
        let delay_seconds = engine
            .backoff()
            .constant_delay()
            .map(|delay| PyFloat::new(py, seconds(delay)).unbind());
        Ok(Self {
            backoff,
            engine,
            delay_seconds,
        })
    }

    /// The stored delay, when the core reports one for every attempt.
    pub(crate) fn stored_delay(&self) -> Option<&Py<PyFloat>> {
        self.delay_seconds.as_ref()
    }

    /// `compute(failures)` with full validation: `failures` must be an int
    /// `>= 0` (`TypeError` / `ConfigError` naming it otherwise). The class's
    /// `compute` method (see `constant_compute`) answers the common case
    /// without coming here.
    pub(crate) fn compute_checked(
        &self,
        py: Python<'_>,
        failures: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyFloat>> {
        match &self.delay_seconds {
            Some(delay) => {
                count_u32("failures", failures)?;
                Ok(delay.clone_ref(py))
            }
            None => Ok(PyFloat::new(py, compute(py, &self.engine, failures)?).unbind()),
        }
    }
}

#[pymethods]
impl ConstantBackoff {
    #[new]
    #[pyo3(signature = (backoff, *, seed = None))]
    fn new(
        py: Python<'_>,
        backoff: &Bound<'_, PyAny>,
        seed: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        Self::build(py, number("backoff", backoff)?, seed)
    }

    /// Nothing to forget; present for the redis-py interface.
    fn reset(&self) {
        self.engine.reset();
    }

    /// The constant delay in seconds.
    #[getter]
    fn backoff(&self) -> f64 {
        self.backoff
    }

    fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> Py<PyAny> {
        match other.cast::<Self>() {
            Ok(other) => (self.backoff == other.get().backoff)
                .into_pyobject(py)
                .map_or_else(|_| py.None(), |b| b.to_owned().into_any().unbind()),
            Err(_) => py.NotImplemented(),
        }
    }

    fn __hash__(&self, py: Python<'_>) -> PyResult<isize> {
        PyTuple::new(py, [self.backoff])?.hash()
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        Ok(format!(
            "{}(backoff={:?})",
            slf.get_type().name()?,
            slf.get().backoff
        ))
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
    ) -> PyResult<(Bound<'py, PyType>, Bound<'py, PyTuple>, Bound<'py, PyDict>)> {
        let this = slf.get();
        Ok((
            slf.get_type(),
            PyTuple::new(slf.py(), [this.backoff])?,
            this.engine.state_dict(slf.py())?,
        ))
    }

    fn __setstate__(&self, state: &Bound<'_, PyAny>) -> PyResult<()> {
        self.engine.set_state(state)
    }
}

/// redis-py `NoBackoff()`: retry immediately (`compute` returns 0).
#[pyclass(module = "stormguard", name = "NoBackoff", frozen, extends = ConstantBackoff, subclass)]
#[derive(Debug)]
pub(crate) struct NoBackoff;

#[pymethods]
impl NoBackoff {
    #[new]
    fn new(py: Python<'_>) -> PyResult<PyClassInitializer<Self>> {
        Ok(PyClassInitializer::from(ConstantBackoff::build(py, 0.0, None)?).add_subclass(Self))
    }

    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyType>, Bound<'py, PyTuple>, Bound<'py, PyDict>)> {
        let parent = slf.as_super().get();
        Ok((
            slf.get_type(),
            PyTuple::empty(slf.py()),
            parent.engine.state_dict(slf.py())?,
        ))
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        Ok(format!("{}()", slf.get_type().name()?))
    }
}

/// The options of any stormguard backoff object, for composing it into a
/// retry policy; `TypeError` naming `field` for anything else.
pub(crate) fn backoff_options(field: &str, value: &Bound<'_, PyAny>) -> PyResult<BackoffOptions> {
    macro_rules! try_class {
        ($($class:ty),*) => {
            $(if let Ok(b) = value.cast::<$class>() {
                return Ok(b.get().engine().options().clone());
            })*
        };
    }
    try_class!(
        crate::backoff::PyBackoff,
        ConstantBackoff,
        ExponentialBackoff,
        FullJitterBackoff,
        EqualJitterBackoff,
        DecorrelatedJitterBackoff,
        ExponentialWithJitterBackoff
    );
    Err(crate::errors::type_error(
        field,
        "a stormguard backoff",
        value,
    ))
}
