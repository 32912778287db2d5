//! Failure classification: which errors are worth retrying.
//!
//! Thin wrappers over `stormguard::classify`: Redis error replies (or a
//! redis-py exception's text), errno-style codes, HTTP outcomes and
//! SQLSTATEs each give a `Classification` with the class (`"retriable"`,
//! `"retriableAfterDelay"`, `"reconnectAndResend"`, `"redirect"`,
//! `"notRetriable"`, `"notAFailure"`) and a stable snake_case `reason`.

use crate::convert::{from_json, kwargs_to_json};
use crate::errors::{from_core, type_error};
use crate::names::{Schema, Unit, field};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyInt, PyString};
use stormguard::classify::{
    Classification, HttpClassifier, HttpClassifierOptions, HttpOutcome, classify_errno,
    classify_redis, classify_sqlstate,
};

/// What to do about a failure, and why.
#[pyclass(module = "stormguard", name = "Classification", frozen, eq)]
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PyClassification {
    failure_class: &'static str,
    reason: &'static str,
    retriable: bool,
    failure: bool,
}

impl From<Classification> for PyClassification {
    fn from(c: Classification) -> Self {
        Self {
            failure_class: c.class.as_str(),
            reason: c.reason,
            retriable: c.class.is_retriable(),
            failure: c.class.is_failure(),
        }
    }
}

#[pymethods]
impl PyClassification {
    /// The class: `"retriable"`, `"retriableAfterDelay"`,
    /// `"reconnectAndResend"`, `"redirect"`, `"notRetriable"` or
    /// `"notAFailure"`.
    #[getter]
    fn failure_class(&self) -> &'static str {
        self.failure_class
    }

    /// A stable snake_case code naming the rule (`"redis_loading"` …).
    #[getter]
    fn reason(&self) -> &'static str {
        self.reason
    }

    /// Whether the same request should be sent again.
    #[getter]
    fn retriable(&self) -> bool {
        self.retriable
    }

    /// Whether the outcome counts as a failure (for breakers and budgets).
    #[getter]
    fn is_failure(&self) -> bool {
        self.failure
    }

    fn __repr__(&self) -> String {
        format!(
            "Classification(failure_class={:?}, reason={:?})",
            self.failure_class, self.reason
        )
    }
}

/// Text or bytes as bytes, naming the argument otherwise.
fn text_arg(name: &str, value: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    if let Ok(s) = value.cast::<PyString>() {
        return Ok(s.to_str()?.as_bytes().to_vec());
    }
    if let Ok(b) = value.cast::<PyBytes>() {
        return Ok(b.as_bytes().to_vec());
    }
    Err(type_error(name, "a str or bytes", value))
}

/// Classifies a Redis error reply or a client's error text (`"LOADING …"`,
/// `"-READONLY …"`, `"redis.exceptions.BusyLoadingError: …"`).
#[pyfunction(name = "classify_redis")]
pub(crate) fn py_classify_redis(message: &Bound<'_, PyAny>) -> PyResult<PyClassification> {
    Ok(classify_redis(text_arg("message", message)?).into())
}

/// Classifies an errno-style code (`"ECONNRESET"`, `"EAI_AGAIN"` …).
#[pyfunction(name = "classify_errno")]
pub(crate) fn py_classify_errno(code: &Bound<'_, PyAny>) -> PyResult<PyClassification> {
    Ok(classify_errno(text_arg("code", code)?).into())
}

/// Classifies a five-character SQLSTATE (`"40001"` …).
#[pyfunction(name = "classify_sqlstate")]
pub(crate) fn py_classify_sqlstate(code: &Bound<'_, PyAny>) -> PyResult<PyClassification> {
    Ok(classify_sqlstate(text_arg("code", code)?).into())
}

/// Keywords of `HttpClassifier(**options)`.
static HTTP: Schema = Schema {
    fields: &[
        field("retry_on_status", "retryOnStatus", Unit::Plain),
        field("delay_on_status", "delayOnStatus", Unit::Plain),
        field("retry_methods", "retryMethods", Unit::Plain),
    ],
};

/// Classifies HTTP outcomes: status, method, idempotency key.
#[pyclass(module = "stormguard", name = "HttpClassifier", frozen)]
#[derive(Debug)]
pub(crate) struct PyHttpClassifier {
    classifier: HttpClassifier,
}

#[pymethods]
impl PyHttpClassifier {
    #[new]
    #[pyo3(signature = (**options))]
    fn new(py: Python<'_>, options: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let map = kwargs_to_json(options, &HTTP)?;
        let options: HttpClassifierOptions = from_json(py, map, &HTTP)?;
        let classifier = HttpClassifier::new(&options).map_err(|e| from_core(py, &e, &HTTP))?;
        Ok(Self { classifier })
    }

    /// Classifies one attempt: `status` None means no response (a network
    /// failure). `reached_server=False` says the request cannot have reached
    /// the origin (e.g. a proxy's 502 before forwarding), which makes any
    /// method safe to resend.
    #[pyo3(signature = (status, method = None, *, idempotency_key = false, reached_server = true))]
    fn classify(
        &self,
        status: &Bound<'_, PyAny>,
        method: Option<&Bound<'_, PyAny>>,
        idempotency_key: bool,
        reached_server: bool,
    ) -> PyResult<PyClassification> {
        let method = match method {
            Some(m) if !m.is_none() => m
                .cast::<PyString>()
                .map_err(|_| type_error("method", "a str", m))?
                .to_str()?
                .to_owned(),
            _ => "GET".to_owned(),
        };
        let status = if status.is_none() {
            None
        } else {
            if !status.is_instance_of::<PyInt>() || status.is_instance_of::<pyo3::types::PyBool>() {
                return Err(type_error("status", "an int or None", status));
            }
            let code: u16 = status.extract().map_err(|_| {
                crate::errors::config_error(
                    status.py(),
                    "status",
                    &format!("`status` must be between 0 and 65535, got {status}"),
                )
            })?;
            Some(code)
        };
        let outcome = HttpOutcome {
            status,
            method: &method,
            has_idempotency_key: idempotency_key,
            reached_server,
        };
        Ok(self.classifier.classify(&outcome).into())
    }
}
