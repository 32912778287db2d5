//! Conversions for the breaker classes: option keywords, outcome and
//! duration arguments, and the breaker's errors and metrics as Python
//! objects. Shared by `Breaker` and `BreakerRegistry`.

use crate::clock::seconds;
use crate::convert::{from_json, kwargs_to_json};
use crate::errors::{Kind, config_error, from_core, new_error};
use crate::names::{Schema, Unit, field};
use crate::redis_backoff::backoff_options;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use serde_json::Value;
use stormguard::breaker::{
    BreakerOptions, Outcome, PermitError, Recorded, Rejected, SnapshotError, State, presets,
};
use stormguard::time::duration_from_millis_f64;

/// Keywords of `Breaker(**options)`; durations are seconds.
pub(crate) static BREAKER: Schema = Schema {
    fields: &[
        field("window_type", "windowType", Unit::Variant),
        field("window_size", "windowSize", Unit::Plain),
        field("window", "windowMs", Unit::Seconds),
        field("bucket", "bucketMs", Unit::Seconds),
        field("minimum_calls", "minimumCalls", Unit::Plain),
        field(
            "failure_rate_threshold",
            "failureRateThreshold",
            Unit::Plain,
        ),
        field(
            "slow_call_rate_threshold",
            "slowCallRateThreshold",
            Unit::Plain,
        ),
        field("slow_call_duration", "slowCallDurationMs", Unit::Seconds),
        field(
            "failure_count_threshold",
            "failureCountThreshold",
            Unit::Plain,
        ),
        field("threshold_comparison", "thresholdComparison", Unit::Variant),
        field("open_duration", "openDurationMs", Unit::Seconds),
        field("open_backoff", "openBackoff", Unit::Plain),
        field("half_open_permits", "halfOpenPermits", Unit::Plain),
        field("half_open_decision", "halfOpenDecision", Unit::Variant),
        field("probe_lease", "probeLeaseMs", Unit::Seconds),
    ],
};

/// `BreakerOptions` from an optional preset name, overridden by the
/// keywords (seconds, snake_case; `open_backoff` as a backoff or `None`).
/// Shared by `Breaker(**options)` and `BreakerRegistry(**options)`.
pub(crate) fn breaker_options(
    py: Python<'_>,
    preset: Option<&Bound<'_, PyAny>>,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<BreakerOptions> {
    let base = match preset.filter(|p| !p.is_none()) {
        Some(p) => {
            let name: String = p
                .extract()
                .map_err(|_| crate::errors::type_error("preset", "a str", p))?;
            presets::by_name(&name).ok_or_else(|| {
                config_error(
                    py,
                    "preset",
                    &format!("`preset` is not a known breaker preset: {name:?}"),
                )
            })?
        }
        None => BreakerOptions::default(),
    };
    let mut map = match serde_json::to_value(&base) {
        Ok(Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    // A copy, so taking `open_backoff` out does not touch the caller's dict.
    let options = match options {
        Some(o) => Some(o.copy()?),
        None => None,
    };
    let open_backoff = match &options {
        Some(o) => {
            let value = o.get_item("open_backoff")?;
            o.del_item("open_backoff").ok();
            value
        }
        None => None,
    };
    map.extend(kwargs_to_json(options.as_ref(), &BREAKER)?);
    if let Some(b) = open_backoff {
        let value = if b.is_none() {
            Value::Null
        } else {
            serde_json::to_value(backoff_options("open_backoff", &b)?)
                .map_err(|e| config_error(py, "open_backoff", &e.to_string()))?
        };
        map.insert("openBackoff".to_owned(), value);
    }
    from_json(py, map, &BREAKER)
}

/// `trip_for`'s and `record`'s durations.
pub(crate) static DURATIONS: Schema = Schema {
    fields: &[
        field("duration", "duration", Unit::Seconds),
        field("preset", "preset", Unit::Plain),
    ],
};

/// `"success"`, `"failure"` or `"ignored"`.
pub(crate) fn outcome_arg(value: &Bound<'_, PyAny>) -> PyResult<Outcome> {
    let text = value
        .cast::<PyString>()
        .map_err(|_| crate::errors::type_error("outcome", "a str", value))?;
    match text.to_str()? {
        "success" => Ok(Outcome::success()),
        "failure" => Ok(Outcome::failure()),
        "ignored" => Ok(Outcome::ignored()),
        other => Err(config_error(
            value.py(),
            "outcome",
            &format!("`outcome` must be \"success\", \"failure\" or \"ignored\", got {other:?}"),
        )),
    }
}

/// `outcome` (a name) timed `duration` seconds when given and not None:
/// the `outcome, duration` pair every `record` takes.
pub(crate) fn timed_outcome_arg(
    py: Python<'_>,
    outcome: &Bound<'_, PyAny>,
    duration: Option<&Bound<'_, PyAny>>,
) -> PyResult<Outcome> {
    let outcome = outcome_arg(outcome)?;
    Ok(match duration.filter(|d| !d.is_none()) {
        Some(d) => outcome.took(seconds_arg(py, d)?),
        None => outcome,
    })
}

/// A `record`'s answer by name.
pub(crate) fn recorded_name(recorded: Recorded) -> &'static str {
    match recorded {
        Recorded::Counted => "counted",
        Recorded::Released => "released",
        Recorded::Late => "late",
    }
}

pub(crate) fn seconds_arg(
    py: Python<'_>,
    value: &Bound<'_, PyAny>,
) -> PyResult<stormguard::time::Duration> {
    let s = crate::convert::number("duration", value)?;
    duration_from_millis_f64("duration", crate::convert::seconds_to_millis(s))
        .map_err(|e| from_core(py, &e, &DURATIONS))
}

pub(crate) fn snapshot_error(py: Python<'_>, err: &SnapshotError) -> PyErr {
    match err {
        SnapshotError::Config(e) => from_core(py, e, &BREAKER),
        other => new_error(py, Kind::Usage, &other.to_string(), other.code(), &[]),
    }
}

/// `CircuitOpenError` with `retry_after` (seconds or None) and `state`.
pub(crate) fn open_error(py: Python<'_>, rejected: &Rejected) -> PyErr {
    let retry_after = rejected.retry_after.map(seconds);
    let state = rejected.state.name();
    let attributes = || -> PyResult<Vec<(&'static str, Py<PyAny>)>> {
        Ok(vec![
            (
                "retry_after",
                retry_after.into_pyobject(py)?.into_any().unbind(),
            ),
            ("state", PyString::new(py, state).into_any().unbind()),
        ])
    };
    match attributes() {
        Ok(attributes) => new_error(
            py,
            Kind::CircuitOpen,
            &format!("circuit breaker is {state}; retry after {retry_after:?} s"),
            rejected.code(),
            &attributes,
        ),
        Err(err) => err,
    }
}

pub(crate) fn permit_error(py: Python<'_>, err: &PermitError) -> PyErr {
    new_error(py, Kind::Usage, &err.to_string(), err.code(), &[])
}

/// Breaker metrics as a Python dict (snake_case keys; rates in percent or
/// None; seconds spent in each state).
pub(crate) fn metrics_dict<'py>(
    py: Python<'py>,
    m: &stormguard::breaker::BreakerMetrics,
) -> PyResult<Bound<'py, PyAny>> {
    let d = PyDict::new(py);
    d.set_item("state", m.state.name())?;
    d.set_item("generation", m.generation)?;
    d.set_item("consecutive_openings", m.consecutive_openings)?;
    d.set_item("admitted", m.admitted)?;
    d.set_item("rejected", m.rejected)?;
    d.set_item("calls", m.calls)?;
    d.set_item("successes", m.successes)?;
    d.set_item("failures", m.failures)?;
    d.set_item("slow_calls", m.slow_calls)?;
    d.set_item("ignored", m.ignored)?;
    d.set_item("late_results", m.late_results)?;
    d.set_item("expired_probes", m.expired_probes)?;
    d.set_item("transitions", m.transitions)?;
    d.set_item("dropped_transitions", m.dropped_transitions)?;
    d.set_item("probes_in_flight", m.probes_in_flight)?;
    d.set_item("window_calls", m.window_calls)?;
    d.set_item("window_failures", m.window_failures)?;
    d.set_item("window_slow_calls", m.window_slow_calls)?;
    d.set_item("failure_rate", m.failure_rate)?;
    d.set_item("slow_call_rate", m.slow_call_rate)?;
    let time_in_state = PyDict::new(py);
    for state in State::ALL {
        time_in_state.set_item(state.name(), seconds(m.time_in(state)))?;
    }
    d.set_item("time_in_state", time_in_state)?;
    Ok(d.into_any())
}
