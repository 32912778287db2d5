//! `stormguard.RetryBudget`: one retry budget shared by every client of a
//! process (ratio, token bucket or quota, picked with `type=`).
//!
//! ```python
//! budget = RetryBudget()                                   # Finagle: 20 % + 10/s for 10 s
//! budget = RetryBudget(type="token_bucket", max_tokens=10, token_ratio=0.1)   # gRPC
//! budget = RetryBudget(type="quota", preset="aws_standard_2026")              # AWS
//! ```
//!
//! The protocol is the core's: `on_request()` when an original request
//! starts, `on_failure()` when an attempt fails, `try_retry()` before a retry
//! (a `RetryPermit`, or None when the budget refuses), `on_success(permit)`
//! when the request finally succeeds. `now` arguments are seconds on the
//! `time.monotonic()` clock; omitted, the binding reads that clock.

use crate::convert::{from_json, kwargs_to_json, py_to_serde, serialize_to_py};
use crate::engine::lock;
use crate::errors::{from_core, type_error};
use crate::names::{Schema, Unit, camel_case, field};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use serde_json::Value;
use std::sync::Mutex;
use stormguard::budget::{RetryBudget, RetryBudgetOptions, RetryBudgetState, RetryKind};

/// Keywords of `RetryBudget(**options)`.
static BUDGET: Schema = Schema {
    fields: &[
        field("type", "type", Unit::Variant),
        field("ttl", "ttlMs", Unit::Seconds),
        field("min_retries_per_second", "minRetriesPerSecond", Unit::Plain),
        field("retry_percent", "retryPercent", Unit::Plain),
        field("max_tokens", "maxTokens", Unit::Plain),
        field("token_ratio", "tokenRatio", Unit::Plain),
        field("preset", "preset", Unit::Variant),
        field("capacity", "capacity", Unit::Plain),
        field("retry_cost", "retryCost", Unit::Plain),
        field("timeout_retry_cost", "timeoutRetryCost", Unit::Plain),
        field("throttling_retry_cost", "throttlingRetryCost", Unit::Plain),
        field("no_retry_increment", "noRetryIncrement", Unit::Plain),
    ],
};

/// Proof that the budget granted one retry; hand it to `on_success` when
/// the retried request succeeds (a quota refunds exactly its cost).
#[pyclass(module = "stormguard", name = "RetryPermit", frozen)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct PyRetryPermit {
    permit: stormguard::budget::RetryPermit,
}

#[pymethods]
impl PyRetryPermit {
    /// What the retry took from the balance, in the budget's unit.
    #[getter]
    fn cost(&self) -> f64 {
        self.permit.cost()
    }

    fn __repr__(&self) -> String {
        format!("RetryPermit(cost={:?})", self.permit.cost())
    }
}

/// A retry budget shared between threads (see the module docs).
#[pyclass(module = "stormguard", name = "RetryBudget", frozen)]
#[derive(Debug)]
pub(crate) struct PyRetryBudget {
    options: RetryBudgetOptions,
    inner: Mutex<RetryBudget>,
}

impl PyRetryBudget {
    fn build(py: Python<'_>, options: RetryBudgetOptions, schema: &Schema) -> PyResult<Self> {
        let budget = RetryBudget::new(&options).map_err(|e| from_core(py, &e, schema))?;
        Ok(Self {
            options,
            inner: Mutex::new(budget),
        })
    }

    /// Runs `f` on the core budget under its lock (no Python code runs
    /// while it is held).
    pub(crate) fn with_budget<R>(&self, f: impl FnOnce(&mut RetryBudget) -> R) -> R {
        f(&mut lock(&self.inner))
    }

    /// `try_retry` for Rust callers: the permit, or None.
    pub(crate) fn try_retry_at(
        &self,
        now: stormguard::Instant,
        kind: RetryKind,
    ) -> Option<stormguard::budget::RetryPermit> {
        lock(&self.inner).try_retry(now, kind).ok()
    }
}

/// A `kind` argument: `"other"`, `"timeout"` or `"throttling"`.
fn kind_arg(kind: Option<&Bound<'_, PyAny>>) -> PyResult<RetryKind> {
    let Some(kind) = kind else {
        return Ok(RetryKind::Other);
    };
    let text = kind
        .cast::<PyString>()
        .map_err(|_| type_error("kind", "a str", kind))?;
    serde_json::from_value(Value::String(camel_case(text.to_str()?))).map_err(|_| {
        crate::errors::config_error(
            kind.py(),
            "kind",
            &format!("`kind` must be \"other\", \"timeout\" or \"throttling\", got {text}"),
        )
    })
}

#[pymethods]
impl PyRetryBudget {
    #[new]
    #[pyo3(signature = (**options))]
    fn new(py: Python<'_>, options: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let mut map = kwargs_to_json(options, &BUDGET)?;
        if !map.contains_key("type") {
            map.insert("type".to_owned(), Value::String("ratio".to_owned()));
        }
        let options: RetryBudgetOptions = from_json(py, map, &BUDGET)?;
        Self::build(py, options, &BUDGET)
    }

    /// An original request (not a retry) starts.
    #[pyo3(signature = (now = None))]
    fn on_request(&self, py: Python<'_>, now: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
        let now = crate::clock::now(py, now)?;
        lock(&self.inner).on_request(now);
        Ok(())
    }

    /// An attempt failed with a retriable failure (before `try_retry`).
    #[pyo3(signature = (now = None))]
    fn on_failure(&self, py: Python<'_>, now: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
        let now = crate::clock::now(py, now)?;
        lock(&self.inner).on_failure(now);
        Ok(())
    }

    /// Asks for one retry after a failure of `kind` (`"other"`, `"timeout"`,
    /// `"throttling"`): a `RetryPermit`, or None when the budget refuses
    /// (nothing is spent then).
    #[pyo3(signature = (kind = None, now = None))]
    fn try_retry(
        &self,
        py: Python<'_>,
        kind: Option<&Bound<'_, PyAny>>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Option<PyRetryPermit>> {
        let kind = kind_arg(kind)?;
        let now = crate::clock::now(py, now)?;
        Ok(self
            .try_retry_at(now, kind)
            .map(|permit| PyRetryPermit { permit }))
    }

    /// The request finally succeeded; `permit` is the permit of its last
    /// retry, or None when it succeeded at the first attempt.
    #[pyo3(signature = (permit = None, now = None))]
    fn on_success(
        &self,
        py: Python<'_>,
        permit: Option<&Bound<'_, PyAny>>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let permit = match permit {
            Some(p) if !p.is_none() => Some(
                p.cast::<PyRetryPermit>()
                    .map_err(|_| type_error("permit", "a RetryPermit or None", p))?
                    .get()
                    .permit,
            ),
            _ => None,
        };
        let now = crate::clock::now(py, now)?;
        lock(&self.inner).on_success(now, permit);
        Ok(())
    }

    /// Whole retries affordable (ratio) or tokens (token bucket, quota).
    #[pyo3(signature = (now = None))]
    fn balance(&self, py: Python<'_>, now: Option<&Bound<'_, PyAny>>) -> PyResult<f64> {
        let now = crate::clock::now(py, now)?;
        Ok(lock(&self.inner).balance(now))
    }

    /// `{"deposits", "withdrawals", "rejections", "balance"}`.
    #[pyo3(signature = (now = None))]
    fn metrics<'py>(
        &self,
        py: Python<'py>,
        now: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let now = crate::clock::now(py, now)?;
        let metrics = lock(&self.inner).metrics(now);
        serialize_to_py(py, &metrics)
    }

    /// `{"options": …, "state": …}` in the binding-neutral form (camelCase,
    /// milliseconds), for persisting or sharing with another process.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let state = lock(&self.inner).snapshot();
        let dict = PyDict::new(py);
        dict.set_item("options", serialize_to_py(py, &self.options)?)?;
        dict.set_item("state", serialize_to_py(py, &state)?)?;
        Ok(dict)
    }

    /// Replaces the state with the `"state"` of a `to_dict()` result (of a
    /// budget of the same type).
    fn restore(&self, py: Python<'_>, snapshot: &Bound<'_, PyAny>) -> PyResult<()> {
        let state: RetryBudgetState = py_to_serde(
            "snapshot",
            &crate::convert::snapshot_item("snapshot", snapshot, "state")?,
        )?;
        lock(&self.inner)
            .restore(state)
            .map_err(|e| from_core(py, &e, &BUDGET))
    }

    /// A budget rebuilt from a `to_dict()` result.
    #[staticmethod]
    fn from_dict(py: Python<'_>, snapshot: &Bound<'_, PyAny>) -> PyResult<Self> {
        let options: RetryBudgetOptions = py_to_serde(
            "snapshot",
            &crate::convert::snapshot_item("snapshot", snapshot, "options")?,
        )?;
        let budget = Self::build(py, options, &BUDGET)?;
        budget.restore(py, snapshot)?;
        Ok(budget)
    }

    /// A budget is shared state: a copy is the same budget (so redis-py's
    /// deep copy of `Retry` keeps one budget per process).
    fn __copy__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    /// See `__copy__`.
    fn __deepcopy__(slf: Py<Self>, _memo: &Bound<'_, PyAny>) -> Py<Self> {
        slf
    }

    fn __repr__(&self) -> String {
        let text = crate::convert::json_text(&self.options);
        format!("RetryBudget.from_dict({{\"options\": {text}, …}})")
    }
}
