//! Server hints: `Retry-After` and its relatives, and how they combine
//! with the backoff.
//!
//! `parse_hint(header, value)` reads a header under its own grammar and
//! returns `(seconds, None)` or `(None, reason)` when the value is ignored;
//! `RetryAfterPolicy.decide(backoff, hint)` returns the delay to wait, or
//! None when the hint exceeds `max_retry_after` (give up, say why).
//! Seconds everywhere; `now_unix` is the wall clock (`time.time()`), read
//! when omitted.

use crate::clock::seconds;
use crate::convert::{finite_number, from_json, kwargs_to_json};
use crate::errors::{config_error, from_core, type_error};
use crate::names::{Schema, Unit, field};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString};
use stormguard::retry_after::{
    HintHeader, RetryAfterOptions, RetryAfterPolicy, UnixTime, parse_hint,
};
use stormguard::time::{Duration, duration_from_millis_f64};

/// `now_unix` in seconds.
static NOW_UNIX: Schema = Schema {
    fields: &[field("now_unix", "nowUnixMs", Unit::Seconds)],
};

/// `decide()`'s arguments, seconds.
static DURATIONS: Schema = Schema {
    fields: &[
        field("backoff", "backoff", Unit::Seconds),
        field("hint", "hint", Unit::Seconds),
    ],
};

/// Keywords of `RetryAfterPolicy(**options)`.
static POLICY: Schema = Schema {
    fields: &[
        field("max_retry_after", "maxRetryAfterMs", Unit::Seconds),
        field("combine", "combine", Unit::Variant),
        field("max_extension", "maxExtensionMs", Unit::Seconds),
    ],
};

/// Reads the hint `value` carries under `header` (`"Retry-After"`,
/// `"retry-after-ms"`, `"x-ms-retry-after-ms"`, `"x-amz-retry-after"`,
/// `"RateLimit-Reset"`): `(seconds, None)`, or `(None, reason)` when the
/// value is ignored (`"empty"`, `"negative"`, `"malformed"` …).
#[pyfunction(name = "parse_hint")]
#[pyo3(signature = (header, value, now_unix = None))]
pub(crate) fn py_parse_hint(
    py: Python<'_>,
    header: &Bound<'_, PyAny>,
    value: &Bound<'_, PyAny>,
    now_unix: Option<&Bound<'_, PyAny>>,
) -> PyResult<(Option<f64>, Option<&'static str>)> {
    let name = header
        .cast::<PyString>()
        .map_err(|_| type_error("header", "a str", header))?
        .to_str()?;
    let Some(header) = HintHeader::from_name(name) else {
        return Err(config_error(
            py,
            "header",
            &format!("`header` is not a known hint header, got {name:?}"),
        ));
    };
    let bytes: Vec<u8> = if let Ok(s) = value.cast::<PyString>() {
        s.to_str()?.as_bytes().to_vec()
    } else if let Ok(b) = value.cast::<PyBytes>() {
        b.as_bytes().to_vec()
    } else {
        return Err(type_error("value", "a str or bytes", value));
    };
    let now_ms = match now_unix {
        // Rounded to the microsecond so whole milliseconds survive the trip
        // through float seconds before the core truncates to milliseconds.
        Some(n) if !n.is_none() => (finite_number("now_unix", n)? * 1e6).round() / 1e3,
        _ => {
            let time: f64 = py.import("time")?.getattr("time")?.call0()?.extract()?;
            time * 1000.0
        }
    };
    let now = UnixTime::from_millis_f64(now_ms).map_err(|e| from_core(py, &e, &NOW_UNIX))?;
    Ok(match parse_hint(header, &bytes, now) {
        Ok(hint) => (Some(seconds(hint)), None),
        Err(ignored) => (None, Some(ignored.reason())),
    })
}

/// A seconds argument as a duration, naming `field`.
fn duration_arg(
    py: Python<'_>,
    name: &'static str,
    value: &Bound<'_, PyAny>,
) -> PyResult<Duration> {
    let s = crate::convert::number(name, value)?;
    duration_from_millis_f64(name, crate::convert::seconds_to_millis(s))
        .map_err(|e| from_core(py, &e, &DURATIONS))
}

/// Combines a backoff delay with a server hint (see the module docs).
#[pyclass(module = "stormguard", name = "RetryAfterPolicy", frozen)]
#[derive(Debug)]
pub(crate) struct PyRetryAfterPolicy {
    options: RetryAfterOptions,
    policy: RetryAfterPolicy,
}

impl PyRetryAfterPolicy {
    /// The options it was built from.
    pub(crate) fn options(&self) -> &RetryAfterOptions {
        &self.options
    }
}

#[pymethods]
impl PyRetryAfterPolicy {
    #[new]
    #[pyo3(signature = (**options))]
    fn new(py: Python<'_>, options: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let map = kwargs_to_json(options, &POLICY)?;
        let options: RetryAfterOptions = from_json(py, map, &POLICY)?;
        let policy = RetryAfterPolicy::new(&options).map_err(|e| from_core(py, &e, &POLICY))?;
        Ok(Self { options, policy })
    }

    /// The delay in seconds to wait after a failure whose backoff is
    /// `backoff` seconds and whose server hint is `hint` seconds (None when
    /// absent), or None to give up (the hint exceeds `max_retry_after`).
    #[pyo3(signature = (backoff, hint = None))]
    fn decide(
        &self,
        py: Python<'_>,
        backoff: &Bound<'_, PyAny>,
        hint: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Option<f64>> {
        let backoff = duration_arg(py, "backoff", backoff)?;
        let hint = match hint {
            Some(h) if !h.is_none() => Some(duration_arg(py, "hint", h)?),
            _ => None,
        };
        Ok(self.policy.decide(backoff, hint).delay().map(seconds))
    }
}
