//! `stormguard.RetryPolicy`: the core's retry policy (attempts, deadline,
//! classification, backoff, `Retry-After`, budget) behind the `retry`
//! decorator.
//!
//! The decorator (pure Python, `stormguard.retry`) runs the protected
//! function and sleeps; every decision is the core's:
//!
//! ```text
//! execution = policy.start()                 # deposits into the budget
//! call fn → ok  → policy.on_success(execution)
//!         → err → (delay, None) = policy.on_failure(execution, retriable, …)   sleep, call again
//!                 (None, reason) = …                                           give up
//! ```
//!
//! Locks: the policy's and the budget's locks are taken in that order, only
//! while the core decides; the Python draw is taken before locking.

use crate::breaker::PyBreaker;
use crate::budget::PyRetryBudget;
use crate::clock::{python_random, seconds};
use crate::convert::{finite_number, number};
use crate::engine::lock;
use crate::errors::{config_error, from_core, type_error};
use crate::names::{Schema, Unit, field};
use crate::redis_backoff::backoff_options;
use crate::retry_after::PyRetryAfterPolicy;
use pyo3::prelude::*;
use pyo3::types::PyString;
use std::sync::Mutex;
use stormguard::SeededRng;
use stormguard::budget::{RetryBudget, RetryKind};
use stormguard::classify::{Classification, FailureClass};
use stormguard::policy::{Decision, Execution, Failure, GiveUp, Guards, Policy, PolicyOptions};
use stormguard::time::duration_from_millis_f64;

/// Arguments of `RetryPolicy(...)`.
static POLICY: Schema = Schema {
    fields: &[
        field("attempts", "maxAttempts", Unit::Plain),
        field("deadline", "deadlineMs", Unit::Seconds),
        field("retry_after", "retryAfter", Unit::Seconds),
        field("half_life", "halfLifeMs", Unit::Seconds),
        field("min_attempts", "minAttempts", Unit::Plain),
        field("min_samples", "minSamples", Unit::Plain),
    ],
};

/// Keys of the `adaptive` dict.
static ADAPTIVE: Schema = Schema {
    fields: &[
        field("half_life", "halfLifeMs", Unit::Seconds),
        field("min_attempts", "minAttempts", Unit::Plain),
        field("min_samples", "minSamples", Unit::Plain),
    ],
};

/// One operation being retried (opaque; pass it back to the policy).
#[pyclass(module = "stormguard", name = "Execution", frozen)]
#[derive(Debug)]
pub(crate) struct PyExecution {
    inner: Mutex<Execution>,
}

#[pymethods]
impl PyExecution {
    /// Attempts made so far, the current one included.
    #[getter]
    fn attempts(&self) -> u32 {
        lock(&self.inner).attempts()
    }
}

/// Retry decisions for one kind of operation (shared by every call of a
/// decorated function; safe across threads).
#[pyclass(module = "stormguard", name = "RetryPolicy", frozen)]
#[derive(Debug)]
pub(crate) struct PyRetryPolicy {
    policy: Mutex<Policy>,
    rng: Option<Mutex<SeededRng>>,
    budget: Option<Py<PyRetryBudget>>,
    breaker: Option<Py<PyBreaker>>,
}

impl PyRetryPolicy {
    /// Runs `f` with the policy and the budget locked (in that order).
    fn decide<R>(&self, py: Python<'_>, f: impl FnOnce(&mut Policy, Guards<'_>) -> R) -> R {
        let mut policy = lock(&self.policy);
        let run = |budget: Option<&mut RetryBudget>| match &self.breaker {
            Some(breaker) => breaker.bind(py).get().with_breaker(|breaker| {
                f(
                    &mut policy,
                    Guards {
                        budget,
                        breaker: Some(breaker),
                    },
                )
            }),
            None => f(
                &mut policy,
                Guards {
                    budget,
                    breaker: None,
                },
            ),
        };
        match &self.budget {
            Some(budget) => budget.bind(py).get().with_budget(|b| run(Some(b))),
            None => run(None),
        }
    }
}

#[pymethods]
impl PyRetryPolicy {
    #[new]
    #[pyo3(
        signature = (*, attempts = None, deadline = None, backoff = None, retry_after = None, budget = None, breaker = None, adaptive = None, seed = None),
        text_signature = "(*, attempts=3, deadline=None, backoff=None, retry_after=None, budget=None, breaker=None, adaptive=None, seed=None)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        attempts: Option<&Bound<'_, PyAny>>,
        deadline: Option<&Bound<'_, PyAny>>,
        backoff: Option<&Bound<'_, PyAny>>,
        retry_after: Option<&Bound<'_, PyAny>>,
        budget: Option<&Bound<'_, PyAny>>,
        breaker: Option<&Bound<'_, PyAny>>,
        adaptive: Option<&Bound<'_, PyAny>>,
        seed: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let mut options = PolicyOptions {
            max_attempts: match attempts.filter(|a| !a.is_none()) {
                Some(a) => crate::convert::count_u32("attempts", a)?,
                None => PolicyOptions::default().max_attempts,
            },
            ..PolicyOptions::default()
        };
        if let Some(d) = deadline.filter(|d| !d.is_none()) {
            options.deadline_ms = Some(crate::convert::seconds_to_millis(number("deadline", d)?));
        }
        if let Some(b) = backoff.filter(|b| !b.is_none()) {
            options.backoff = backoff_options("backoff", b)?;
        }
        if let Some(r) = retry_after.filter(|r| !r.is_none()) {
            let policy = r
                .cast::<PyRetryAfterPolicy>()
                .map_err(|_| type_error("retry_after", "a RetryAfterPolicy or None", r))?;
            options.retry_after = policy.get().options().clone();
        }
        let budget = match budget.filter(|b| !b.is_none()) {
            Some(b) => Some(
                b.cast::<PyRetryBudget>()
                    .map_err(|_| type_error("budget", "a RetryBudget or None", b))?
                    .clone()
                    .unbind(),
            ),
            None => None,
        };
        let breaker = match breaker.filter(|b| !b.is_none()) {
            Some(b) => {
                // A `CircuitBreaker` carries its core breaker as `_core`.
                let core = match b.cast::<PyBreaker>() {
                    Ok(core) => core.clone(),
                    Err(_) => b
                        .getattr("_core")
                        .ok()
                        .and_then(|c| c.cast_into::<PyBreaker>().ok())
                        .ok_or_else(|| {
                            type_error("breaker", "a CircuitBreaker, a Breaker or None", b)
                        })?,
                };
                Some(core.unbind())
            }
            None => None,
        };
        if let Some(a) = adaptive.filter(|a| !a.is_none()) {
            let dict = a
                .cast::<pyo3::types::PyDict>()
                .map_err(|_| type_error("adaptive", "a dict or None", a))?;
            let map = crate::convert::kwargs_to_json(Some(dict), &ADAPTIVE)?;
            options.adaptive = Some(crate::convert::from_json(py, map, &ADAPTIVE)?);
        }
        let seed = crate::engine::seed_arg(seed)?;
        let policy = Policy::new(&options).map_err(|e| from_core(py, &e, &POLICY))?;
        Ok(Self {
            policy: Mutex::new(policy),
            rng: seed.map(|s| Mutex::new(SeededRng::from_seed_u64(s))),
            budget,
            breaker,
        })
    }

    /// Starts an operation (its first attempt begins now).
    #[pyo3(signature = (now = None))]
    fn start(&self, py: Python<'_>, now: Option<&Bound<'_, PyAny>>) -> PyResult<PyExecution> {
        let now = crate::clock::now(py, now)?;
        let execution = self.decide(py, |policy, guards| policy.start(now, guards.budget));
        Ok(PyExecution {
            inner: Mutex::new(execution),
        })
    }

    /// The current attempt succeeded.
    #[pyo3(signature = (execution, now = None))]
    fn on_success(
        &self,
        py: Python<'_>,
        execution: &Bound<'_, PyExecution>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let now = crate::clock::now(py, now)?;
        let mut execution = lock(&execution.get().inner);
        self.decide(py, |policy, guards| {
            policy.on_success(&mut execution, now, guards.budget);
        });
        Ok(())
    }

    /// The current attempt failed: `(delay_seconds, None, None)` to retry
    /// after the delay, or `(None, reason, retry_after)` to give up
    /// (`"not_retriable"`, `"attempts_exhausted"`, `"deadline"`,
    /// `"budget_exhausted"`, `"breaker_open"` with the breaker's
    /// `retry_after` seconds, `"retry_after_too_long"`). `retry_after` is
    /// the server's hint in seconds; `kind` prices the retry for a quota
    /// budget; `failure_class` (a classification's `failure_class`)
    /// overrides `retriable`.
    #[pyo3(signature = (execution, *, retriable = true, failure_class = None, retry_after = None, kind = None, u = None, now = None))]
    #[allow(clippy::too_many_arguments)]
    fn on_failure(
        &self,
        py: Python<'_>,
        execution: &Bound<'_, PyExecution>,
        retriable: bool,
        failure_class: Option<&Bound<'_, PyAny>>,
        retry_after: Option<&Bound<'_, PyAny>>,
        kind: Option<&Bound<'_, PyAny>>,
        u: Option<&Bound<'_, PyAny>>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<(Option<f64>, Option<&'static str>, Option<f64>)> {
        let classification = match failure_class.filter(|c| !c.is_none()) {
            Some(c) => Classification::new(class_arg(c)?, "failure_class"),
            None if retriable => Classification::new(FailureClass::Retriable, "retriable"),
            None => Classification::new(FailureClass::NotRetriable, "retry_on_rejected"),
        };
        let mut failure = Failure::classified(classification).with_kind(retry_kind(kind)?);
        if let Some(hint) = retry_after.filter(|h| !h.is_none()) {
            let s = finite_number("retry_after", hint)?;
            let hint = duration_from_millis_f64("retryAfter", crate::convert::seconds_to_millis(s))
                .map_err(|e| from_core(py, &e, &POLICY))?;
            failure = failure.with_retry_after(hint);
        }
        let u = match (u.filter(|u| !u.is_none()), &self.rng) {
            (Some(u), _) => number("u", u)?,
            (None, Some(rng)) => lock(rng).next_unit(),
            (None, None) => python_random(py)?,
        };
        let now = crate::clock::now(py, now)?;
        let mut execution = lock(&execution.get().inner);
        let decision = self.decide(py, |policy, guards| {
            policy.on_failure(&mut execution, now, &failure, u, guards)
        });
        Ok(match decision {
            Decision::Retry { delay, .. } => (Some(seconds(delay)), None, None),
            Decision::GiveUp(GiveUp::BreakerOpen { retry_after }) => (
                None,
                Some(GiveUp::BreakerOpen { retry_after }.code()),
                Some(seconds(retry_after)),
            ),
            Decision::GiveUp(reason) => (None, Some(reason.code()), None),
        })
    }

    /// The attempt limit in force at `now` (lowered by `adaptive`).
    #[pyo3(signature = (now = None))]
    fn attempt_limit(&self, py: Python<'_>, now: Option<&Bound<'_, PyAny>>) -> PyResult<u32> {
        let now = crate::clock::now(py, now)?;
        Ok(lock(&self.policy).attempt_limit(now))
    }

    /// `{"executions", "attempts", "retries", "successes", "giveUps": {…}}`.
    fn metrics<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let snapshot = lock(&self.policy).snapshot();
        crate::convert::serialize_to_py(py, &snapshot.metrics)
    }
}

/// A `FailureClass` by its binding-facing name (`"retriable"` …).
fn class_arg(value: &Bound<'_, PyAny>) -> PyResult<FailureClass> {
    let text = value
        .cast::<PyString>()
        .map_err(|_| type_error("failure_class", "a str", value))?;
    serde_json::from_value(serde_json::Value::String(text.to_str()?.to_owned())).map_err(|_| {
        config_error(
            value.py(),
            "failure_class",
            &format!("`failure_class` is not a failure class name, got {text}"),
        )
    })
}

/// `kind`: `"other"` (default), `"timeout"` or `"throttling"`.
fn retry_kind(kind: Option<&Bound<'_, PyAny>>) -> PyResult<RetryKind> {
    let Some(kind) = kind.filter(|k| !k.is_none()) else {
        return Ok(RetryKind::Other);
    };
    let text = kind
        .cast::<PyString>()
        .map_err(|_| type_error("kind", "a str", kind))?;
    match text.to_str()? {
        "other" => Ok(RetryKind::Other),
        "timeout" => Ok(RetryKind::Timeout),
        "throttling" => Ok(RetryKind::Throttling),
        other => Err(config_error(
            kind.py(),
            "kind",
            &format!("`kind` must be \"other\", \"timeout\" or \"throttling\", got {other:?}"),
        )),
    }
}
