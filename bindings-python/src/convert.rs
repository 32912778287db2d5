//! Conversions between Python values and the core's serde types.
//!
//! Why serde: the core's option structs already derive `Deserialize` with
//! the binding-facing names and `deny_unknown_fields`, so keywords are turned
//! into a JSON object (renamed and converted by a [`Schema`]) and handed to
//! serde; nothing re-declares the core's fields or defaults. Snapshots go the
//! other way (`to_dict()`), in the same binding-neutral JSON shape the other
//! bindings use.
//!
//! Every failure names the Python argument: wrong types are `TypeError`,
//! bad values `ConfigError` (a `ValueError`).

use crate::errors::{config_error, type_error};
use crate::names::{Schema, Unit, camel_case};
use pyo3::exceptions::{PyOverflowError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Number, Value};
use stormguard::time::MAX_MILLIS;

/// Keywords (`None` = none given) → a JSON object with the core's names.
pub(crate) fn kwargs_to_json(
    kwargs: Option<&Bound<'_, PyDict>>,
    schema: &Schema,
) -> PyResult<Map<String, Value>> {
    let mut map = Map::new();
    let Some(kwargs) = kwargs else {
        return Ok(map);
    };
    for (key, value) in kwargs.iter() {
        let key: String = key.extract()?;
        let Some(field) = schema.by_python(&key) else {
            return Err(PyTypeError::new_err(format!(
                "unexpected keyword argument `{key}`; accepted: {}",
                schema
                    .fields
                    .iter()
                    .map(|f| f.python)
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        };
        let json = match field.unit {
            Unit::Seconds | Unit::SecondsDoubled if value.is_none() => Value::Null,
            Unit::Seconds | Unit::SecondsDoubled => {
                finite(&key, seconds_to_millis(number(&key, &value)?), &value)?
            }
            Unit::Variant if value.is_none() => Value::Null,
            Unit::Variant => {
                let text = value
                    .cast::<PyString>()
                    .map_err(|_| type_error(&key, "a string", &value))?;
                Value::String(camel_case(text.to_str()?))
            }
            Unit::Plain => to_json(&key, &value)?,
        };
        map.insert(field.core.to_owned(), json);
    }
    Ok(map)
}

/// Seconds → milliseconds. A value that lands within rounding error above
/// the core's largest duration ([`MAX_MILLIS`]) is that duration: the
/// largest delay expressed in seconds must stay accepted.
pub(crate) fn seconds_to_millis(seconds: f64) -> f64 {
    let ms = seconds * 1000.0;
    if ms > MAX_MILLIS && ms <= MAX_MILLIS * (1.0 + 4.0 * f64::EPSILON) {
        MAX_MILLIS
    } else {
        ms
    }
}

/// Deserialises `map` into a core options type, naming the Python argument
/// on failure.
pub(crate) fn from_json<T: DeserializeOwned>(
    py: Python<'_>,
    map: Map<String, Value>,
    schema: &Schema,
) -> PyResult<T> {
    serde_path_to_error::deserialize::<_, T>(Value::Object(map)).map_err(|err| {
        let path = err.path().to_string();
        let head = path.split(['.', '[']).next().map_or("", |h| h);
        let (name, _) = schema.python_name(head);
        let inner = err.into_inner().to_string();
        if inner.starts_with("invalid type") {
            PyTypeError::new_err(format!("`{name}` has the wrong type: {inner}"))
        } else {
            config_error(py, &name, &format!("`{name}`: {inner}"))
        }
    })
}

/// A Python value as JSON (None, bool, int, float, str, list/tuple, dict
/// with str keys). NaN, infinities and ints beyond 64 bits are rejected.
pub(crate) fn to_json(field: &str, value: &Bound<'_, PyAny>) -> PyResult<Value> {
    if value.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = value.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if value.is_instance_of::<PyInt>() {
        if let Ok(i) = value.extract::<i64>() {
            return Ok(Value::Number(i.into()));
        }
        if let Ok(u) = value.extract::<u64>() {
            return Ok(Value::Number(u.into()));
        }
        return Err(config_error(
            value.py(),
            field,
            &format!("`{field}` is out of range, got {value}"),
        ));
    }
    if let Ok(f) = value.cast::<PyFloat>() {
        return finite(field, f.value(), value);
    }
    if let Ok(s) = value.cast::<PyString>() {
        return Ok(Value::String(s.to_str()?.to_owned()));
    }
    if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() {
        let mut items = Vec::new();
        for item in value.try_iter()? {
            items.push(to_json(field, &item?)?);
        }
        return Ok(Value::Array(items));
    }
    if let Ok(dict) = value.cast::<PyDict>() {
        let mut map = Map::new();
        for (k, v) in dict.iter() {
            let k = k
                .cast::<PyString>()
                .map_err(|_| type_error(field, "a dict with str keys", value))?
                .to_str()?
                .to_owned();
            let inner = to_json(&k, &v)?;
            map.insert(k, inner);
        }
        return Ok(Value::Object(map));
    }
    Err(type_error(
        field,
        "None, a bool, a number, a str, a list or a dict",
        value,
    ))
}

/// A finite float as a JSON number, or a `ConfigError` naming `field`.
fn finite(field: &str, v: f64, original: &Bound<'_, PyAny>) -> PyResult<Value> {
    Number::from_f64(v).map(Value::Number).ok_or_else(|| {
        config_error(
            original.py(),
            field,
            &format!("`{field}` must be a finite number, got {original}"),
        )
    })
}

/// A JSON value as a Python object.
pub(crate) fn json_to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else {
                n.as_f64()
                    .map_or(f64::NAN, |f| f)
                    .into_pyobject(py)?
                    .into_any()
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(json_to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, json_to_py(py, v)?)?;
            }
            dict.into_any()
        }
    })
}

/// A serialisable core value (snapshot, metrics, options) as a Python object.
pub(crate) fn serialize_to_py<'py, T: Serialize>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    let json = serde_json::to_value(value)
        .map_err(|e| PyTypeError::new_err(format!("cannot serialise state: {e}")))?;
    json_to_py(py, &json)
}

/// A Python object (as `to_dict()` produced it) deserialised into a core
/// type; errors name `field`.
pub(crate) fn py_to_serde<T: DeserializeOwned>(
    field: &str,
    value: &Bound<'_, PyAny>,
) -> PyResult<T> {
    let json = to_json(field, value)?;
    serde_path_to_error::deserialize::<_, T>(json).map_err(|err| {
        let path = err.path().to_string();
        config_error(
            value.py(),
            field,
            &format!(
                "`{field}` is not a valid snapshot (at `{path}`): {}",
                err.inner()
            ),
        )
    })
}

/// A number argument (int or float, not bool) as `f64`.
pub(crate) fn number(field: &str, value: &Bound<'_, PyAny>) -> PyResult<f64> {
    if value.is_instance_of::<PyBool>()
        || !(value.is_instance_of::<PyFloat>() || value.is_instance_of::<PyInt>())
    {
        return Err(type_error(field, "a number", value));
    }
    value.extract::<f64>().map_err(|err| {
        if err.is_instance_of::<PyOverflowError>(value.py()) {
            config_error(
                value.py(),
                field,
                &format!("`{field}` is too large to be a float"),
            )
        } else {
            err
        }
    })
}

/// A finite number argument.
pub(crate) fn finite_number(field: &str, value: &Bound<'_, PyAny>) -> PyResult<f64> {
    let v = number(field, value)?;
    if v.is_finite() {
        Ok(v)
    } else {
        Err(config_error(
            value.py(),
            field,
            &format!("`{field}` must be a finite number, got {v}"),
        ))
    }
}

/// A non-negative int argument (not bool), saturating at `u32::MAX`.
pub(crate) fn count_u32(field: &str, value: &Bound<'_, PyAny>) -> PyResult<u32> {
    // Fast path: an exact, non-negative `int` that fits in an `i64` (not a
    // bool, not a subclass). `i64` extraction is one `PyLong_AsLong`; `u64`
    // would check the type's flags again first.
    if value.is_exact_instance_of::<PyInt>()
        && let Ok(n) = value.extract::<i64>()
        && n >= 0
    {
        return Ok(u32::try_from(n).map_or(u32::MAX, |v| v));
    }
    count_u64(field, value).map(|n| u32::try_from(n).map_or(u32::MAX, |v| v))
}

/// A non-negative int argument (not bool), saturating at `u64::MAX`.
pub(crate) fn count_u64(field: &str, value: &Bound<'_, PyAny>) -> PyResult<u64> {
    if value.is_instance_of::<PyBool>() || !value.is_instance_of::<PyInt>() {
        return Err(type_error(field, "an int", value));
    }
    if value.lt(0)? {
        return Err(config_error(
            value.py(),
            field,
            &format!("`{field}` must not be negative, got {value}"),
        ));
    }
    Ok(value.extract::<u64>().map_or(u64::MAX, |v| v))
}

/// `value[key]` of a snapshot dict, or a `ConfigError` naming `field`.
pub(crate) fn snapshot_item<'py>(
    field: &str,
    value: &Bound<'py, PyAny>,
    key: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let dict = value
        .cast::<PyDict>()
        .map_err(|_| type_error(field, "a dict from to_dict()", value))?;
    dict.get_item(key)?.ok_or_else(|| {
        config_error(
            value.py(),
            field,
            &format!("`{field}` has no \"{key}\" entry (expected a to_dict() result)"),
        )
    })
}

/// Compact JSON text of a core value (for `repr` and hashing).
pub(crate) fn json_text<T: Serialize>(value: &T) -> String {
    match serde_json::to_string(value) {
        Ok(text) => text,
        Err(err) => err.to_string(),
    }
}
