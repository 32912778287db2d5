//! The exception classes of `stormguard` and the mapping from the core's
//! typed errors.
//!
//! Why built at import time: the public exceptions must subclass both
//! `StormguardError` and a builtin (`ConfigError(ValueError)`,
//! `CircuitOpenError(RuntimeError)`), so `except ValueError` keeps working.
//! `create_exception!` allows one base only, so the classes are made with
//! `type(name, bases, namespace)` once, when `_core` is imported, and kept in
//! a [`PyOnceLock`].
//!
//! Every instance carries `code` (the core's stable code, e.g.
//! `ERR_INVALID_CONFIG`); `ConfigError` also carries `field` (the Python
//! argument name) and `CircuitOpenError` carries `retry_after` (seconds).

use crate::names::Schema;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyTuple, PyType};
use stormguard::ConfigError;

/// The exception classes, created once per interpreter.
struct Classes {
    base: Py<PyType>,
    config: Py<PyType>,
    circuit_open: Py<PyType>,
    bulkhead_full: Py<PyType>,
    usage: Py<PyType>,
}

static CLASSES: PyOnceLock<Classes> = PyOnceLock::new();

/// `(name, builtin base or None, docstring)` of every class derived from
/// `StormguardError`.
const DERIVED: [(&str, &str, &str); 5] = [
    (
        "ConfigError",
        "ValueError",
        "An option or argument was rejected. `field` names the argument, `code` is \
         `ERR_INVALID_CONFIG`.",
    ),
    (
        "CircuitOpenError",
        "RuntimeError",
        "The circuit breaker rejected the call. `retry_after` is the number of seconds \
         until it lets a call through again (or None), `code` is `ERR_CIRCUIT_OPEN`.",
    ),
    (
        "BudgetExhaustedError",
        "RuntimeError",
        "The retry budget refused a retry. `code` is `ERR_BUDGET_EXHAUSTED`.",
    ),
    (
        "BulkheadFullError",
        "RuntimeError",
        "The bulkhead had no free slot and no room (or time) to wait. `code` is \
         `ERR_BULKHEAD_FULL` or `ERR_BULKHEAD_TIMEOUT`.",
    ),
    (
        "UsageError",
        "ValueError",
        "A permit, ticket or key was used in a way the component cannot honour \
         (`code` says which, e.g. `ERR_UNKNOWN_PERMIT`); nothing changed.",
    ),
];

/// Builds the classes and adds them to `module`.
pub(crate) fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = module.py();
    let builtins = py.import("builtins")?;
    let type_fn = builtins.getattr("type")?;
    let make = |name: &str, bases: Bound<'_, PyTuple>, doc: &str| -> PyResult<Py<PyType>> {
        let namespace = PyDict::new(py);
        namespace.set_item("__module__", "stormguard")?;
        namespace.set_item("__doc__", doc)?;
        namespace.set_item("code", "ERR_STORMGUARD")?;
        let class = type_fn.call1((name, bases, namespace))?;
        Ok(class.cast_into::<PyType>()?.unbind())
    };
    let base = make(
        "StormguardError",
        PyTuple::new(py, [builtins.getattr("Exception")?])?,
        "Base class of every exception stormguard raises. `code` is a stable \
         machine-readable code.",
    )?;
    let mut derived = Vec::with_capacity(DERIVED.len());
    for (name, builtin, doc) in DERIVED {
        let bases = PyTuple::new(py, [base.bind(py).as_any(), &builtins.getattr(builtin)?])?;
        let class = make(name, bases, doc)?;
        module.add(name, class.bind(py))?;
        derived.push(class);
    }
    module.add("StormguardError", base.bind(py))?;
    let pick = |wanted: &str| -> PyResult<Py<PyType>> {
        DERIVED
            .iter()
            .zip(&derived)
            .find(|((name, _, _), _)| *name == wanted)
            .map(|(_, class)| class.clone_ref(py))
            .ok_or_else(|| PyTypeError::new_err("stormguard: exception table is incomplete"))
    };
    let classes = Classes {
        base,
        config: pick("ConfigError")?,
        circuit_open: pick("CircuitOpenError")?,
        bulkhead_full: pick("BulkheadFullError")?,
        usage: pick("UsageError")?,
    };
    let _ = CLASSES.set(py, classes);
    Ok(())
}

/// Which class to raise.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Kind {
    /// `StormguardError` itself.
    Base,
    /// `ConfigError(ValueError)`.
    Config,
    /// `CircuitOpenError(RuntimeError)`.
    CircuitOpen,
    /// `BulkheadFullError(RuntimeError)`.
    BulkheadFull,
    /// `UsageError(ValueError)`.
    Usage,
}

/// An exception of `kind` with `message`, `code` and extra attributes.
pub(crate) fn new_error(
    py: Python<'_>,
    kind: Kind,
    message: &str,
    code: &str,
    attributes: &[(&str, Py<PyAny>)],
) -> PyErr {
    match build(py, kind, message, code, attributes) {
        Ok(err) | Err(err) => err,
    }
}

fn build(
    py: Python<'_>,
    kind: Kind,
    message: &str,
    code: &str,
    attributes: &[(&str, Py<PyAny>)],
) -> PyResult<PyErr> {
    let classes = CLASSES
        .get(py)
        .ok_or_else(|| PyTypeError::new_err("stormguard._core is not initialised"))?;
    let class = match kind {
        Kind::Base => &classes.base,
        Kind::Config => &classes.config,
        Kind::CircuitOpen => &classes.circuit_open,
        Kind::BulkheadFull => &classes.bulkhead_full,
        Kind::Usage => &classes.usage,
    };
    let instance = class.bind(py).call1((message,))?;
    instance.setattr("code", code)?;
    for (name, value) in attributes {
        instance.setattr(*name, value.bind(py))?;
    }
    Ok(PyErr::from_value(instance))
}

/// A `ConfigError` naming the Python argument `field`.
pub(crate) fn config_error(py: Python<'_>, field: &str, message: &str) -> PyErr {
    let field_obj = field.into_pyobject(py).map(|f| f.into_any().unbind());
    match field_obj {
        Ok(field_obj) => new_error(
            py,
            Kind::Config,
            message,
            "ERR_INVALID_CONFIG",
            &[("field", field_obj)],
        ),
        Err(err) => err.into(),
    }
}

/// Maps a core [`ConfigError`] to `ConfigError`, renaming the field with
/// `schema` (`baseMs` → `base`) and converting the numbers of a seconds
/// field from milliseconds.
pub(crate) fn from_core(py: Python<'_>, err: &ConfigError, schema: &Schema) -> PyErr {
    let (name, scale) = schema.python_name(err.field());
    let message = match *err {
        ConfigError::NotFinite { value, .. } => {
            format!("`{name}` must be a finite number, got {}", value * scale)
        }
        ConfigError::Negative { value, .. } => {
            format!("`{name}` must not be negative, got {}", value * scale)
        }
        ConfigError::OutOfRange {
            value, min, max, ..
        } => format!(
            "`{name}` must be between {} and {}, got {}",
            min * scale,
            max * scale,
            value * scale
        ),
        ConfigError::Invalid { reason, .. } => {
            format!("`{name}` {}", schema.rename_in_text(reason))
        }
        _ => format!("`{name}`: {err}"),
    };
    config_error(py, &name, &message)
}

/// A `TypeError` naming the argument.
pub(crate) fn type_error(field: &str, expected: &str, got: &Bound<'_, PyAny>) -> PyErr {
    let got = got
        .get_type()
        .name()
        .map_or_else(|_| "?".to_owned(), |n| n.to_string());
    PyTypeError::new_err(format!("`{field}` must be {expected}, got {got}"))
}
