//! Policy: one decision per failed attempt (retry after D, or give up and
//! say why), composed by the core.
//!
//! Why: attempts, deadline, classification, backoff, `Retry-After` and the
//! retry budget must be consulted in one fixed order (the budget last, so a
//! retry another rule forbids never spends it); the core's
//! [`Policy`](stormguard::policy::Policy) does exactly that. The JS layer
//! only reads the clocks, draws `u`, sleeps the delay and runs the attempt.
//!
//! ```text
//! start(now, budget)                                   → Execution
//! onFailure(exec, now, class, kind, hintMs, u, budget, breakers, key)
//! onHttpFailure(exec, now, classifier, status, method, key, reached, timedOut, hintMs, u, budget?)
//!     → delay ms (≥ 0) to retry, or −1 to give up (exec.giveUp says why)
//! onSuccess(exec, now, budget)
//! ```
//!
//! `kind` is the budget's retry kind index (`0` other, `1` timeout, `2`
//! throttling); "no budget" and "no breaker" are a `RetryBudget.none()` and
//! a registry without breakers.
//!
//! Constraints: every call after construction is panic-free and infallible,
//! except an unknown `class` name (reported as `unknownVariant`).

use crate::breaker::BreakerRegistry;
use crate::budget::{RetryBudget, retry_kind};
use crate::classify::HttpClassifier;
use crate::error::Error;
use crate::{clock, options};
use alloc::borrow::ToOwned;
use alloc::string::String;
use stormguard::budget::RetryKind;
use stormguard::classify::{Classification, FailureClass, HttpOutcome};
use stormguard::policy::{self as core, Decision, Failure, GiveUp, Guards};
use wasm_bindgen::prelude::wasm_bindgen;

/// One operation being retried, plus the last decision's details.
#[wasm_bindgen(js_name = CoreExecution)]
#[derive(Debug)]
pub struct Execution {
    inner: core::Execution,
    give_up: Option<GiveUp>,
}

#[wasm_bindgen(js_class = CoreExecution)]
impl Execution {
    /// Attempts made so far, the current one included.
    #[wasm_bindgen(getter)]
    pub fn attempts(&self) -> f64 {
        f64::from(self.inner.attempts())
    }

    /// The give-up code (`"not_retriable"`, `"attempts_exhausted"`,
    /// `"deadline"`, `"budget_exhausted"`, `"breaker_open"`,
    /// `"retry_after_too_long"`), or `""` while retrying.
    #[wasm_bindgen(getter, js_name = giveUp)]
    pub fn give_up(&self) -> String {
        self.give_up.map_or("", |g| g.code()).to_owned()
    }

    /// Details of the give-up in ms, by code: `retry_after_too_long` →
    /// requested wait; `deadline` → wait needed; `breaker_open` → time until
    /// the breaker admits a call; otherwise NaN.
    #[wasm_bindgen(getter, js_name = giveUpMs)]
    pub fn give_up_ms(&self) -> f64 {
        match self.give_up {
            Some(GiveUp::RetryAfterTooLong { requested }) => clock::millis(requested),
            Some(GiveUp::Deadline { needed, .. }) => clock::millis(needed),
            Some(GiveUp::BreakerOpen { retry_after }) => clock::millis(retry_after),
            _ => f64::NAN,
        }
    }

    /// For a `deadline` give-up, the time that was left, in ms; else NaN.
    #[wasm_bindgen(getter, js_name = remainingMs)]
    pub fn remaining_ms(&self) -> f64 {
        match self.give_up {
            Some(GiveUp::Deadline { remaining, .. }) => clock::millis(remaining),
            _ => f64::NAN,
        }
    }

    /// The not-retriable reason code (`"client_error"`, `"retry_on"` …), or `""`.
    #[wasm_bindgen(getter, js_name = notRetriableReason)]
    pub fn not_retriable_reason(&self) -> String {
        match self.give_up {
            Some(GiveUp::NotRetriable { reason }) => reason.to_owned(),
            _ => String::new(),
        }
    }
}

/// The core's retry policy.
#[wasm_bindgen(js_name = CorePolicy)]
#[derive(Debug)]
pub struct Policy {
    inner: core::Policy,
}

#[wasm_bindgen(js_class = CorePolicy)]
impl Policy {
    /// Validates the `policy` table's `values` (`maxAttempts`,
    /// `deadlineMs`) and the nested `backoff`, `retryAfter` and `adaptive`
    /// tables (an empty `adaptive` list turns adaptive attempts off).
    ///
    /// # Errors
    /// A [`Error`] naming the option (`backoff.baseMs` …).
    #[wasm_bindgen(constructor)]
    pub fn new(
        values: &[f64],
        backoff: &[f64],
        retry_after: &[f64],
        adaptive: &[f64],
    ) -> Result<Self, Error> {
        let parsed = options::policy(values, backoff, retry_after, adaptive)?;
        core::Policy::new(&parsed)
            .map(|inner| Self { inner })
            .map_err(|err| Error::config(nested_prefix(err.field()), err))
    }

    /// Starts an operation (its first attempt begins at `now_ms`); deposits
    /// into `budget`.
    pub fn start(&mut self, now_ms: f64, budget: &mut RetryBudget) -> Execution {
        Execution {
            inner: self.inner.start(clock::instant(now_ms), budget.core_mut()),
            give_up: None,
        }
    }

    /// The current attempt succeeded: the operation is done.
    #[wasm_bindgen(js_name = onSuccess)]
    pub fn on_success(&mut self, exec: &mut Execution, now_ms: f64, budget: &mut RetryBudget) {
        self.inner
            .on_success(&mut exec.inner, clock::instant(now_ms), budget.core_mut());
    }

    /// The current attempt failed and the host classified it (`class`, a
    /// `FailureClass` name such as `"retriable"` or `"notRetriable"`; the
    /// budget `kind` index; a hint in ms or NaN): the delay before the next
    /// attempt, or −1 to give up (`exec.giveUp` says why). `breakers[key]`
    /// is consulted when it exists.
    ///
    /// # Errors
    /// `unknownVariant` for an unknown `class`.
    #[wasm_bindgen(js_name = onFailure)]
    #[allow(clippy::too_many_arguments)]
    pub fn on_failure(
        &mut self,
        exec: &mut Execution,
        now_ms: f64,
        class: &str,
        kind: u32,
        hint_ms: f64,
        u: f64,
        budget: &mut RetryBudget,
        breakers: &BreakerRegistry,
        key: &str,
    ) -> Result<f64, Error> {
        let class = failure_class(class)?;
        let classification = Classification::new(class, "host_classified");
        let failure = failure(classification, retry_kind(kind), hint_ms);
        Ok(self.decide(exec, now_ms, &failure, u, budget, breakers.peek(key)))
    }

    /// The current HTTP attempt failed or returned `status` (negative = no
    /// response): classified by `classifier`, then decided as
    /// [`Policy::on_failure`]. A response classified as not a failure gives
    /// up with `not_retriable`; the caller checks the class first.
    #[wasm_bindgen(js_name = onHttpFailure)]
    #[allow(clippy::too_many_arguments)]
    pub fn on_http_failure(
        &mut self,
        exec: &mut Execution,
        now_ms: f64,
        classifier: &HttpClassifier,
        status: f64,
        method: &str,
        idempotency_key: bool,
        reached_server: bool,
        timed_out: bool,
        hint_ms: f64,
        u: f64,
        budget: &mut RetryBudget,
        breakers: &BreakerRegistry,
        origin: &str,
    ) -> f64 {
        let outcome = HttpOutcome {
            status: crate::classify::status(status),
            method,
            has_idempotency_key: idempotency_key,
            reached_server,
        };
        let classification = classifier.core().classify(&outcome);
        let kind = if timed_out {
            RetryKind::Timeout
        } else if classification.class == FailureClass::RetriableAfterDelay {
            RetryKind::Throttling
        } else {
            RetryKind::Other
        };
        let failure = failure(classification, kind, hint_ms);
        self.decide(exec, now_ms, &failure, u, budget, breakers.peek(origin))
    }

    /// The attempt limit in force at `now_ms` (lowered by adaptive
    /// attempts).
    #[cfg(feature = "vectors")]
    #[wasm_bindgen(js_name = attemptLimit)]
    pub fn attempt_limit(&mut self, now_ms: f64) -> f64 {
        f64::from(self.inner.attempt_limit(clock::instant(now_ms)))
    }
}

impl Policy {
    fn decide(
        &mut self,
        exec: &mut Execution,
        now_ms: f64,
        failure: &Failure,
        u: f64,
        budget: &mut RetryBudget,
        breaker: Option<&stormguard::breaker::Breaker>,
    ) -> f64 {
        let guards = Guards {
            budget: budget.core_mut(),
            breaker,
        };
        let decision =
            self.inner
                .on_failure(&mut exec.inner, clock::instant(now_ms), failure, u, guards);
        match decision {
            Decision::Retry { delay, .. } => {
                exec.give_up = None;
                clock::millis(delay)
            }
            Decision::GiveUp(give_up) => {
                exec.give_up = Some(give_up);
                -1.0
            }
        }
    }
}

/// Where a field the core's `Policy::new` reports sits in the options: the
/// core names nested fields without their struct (`baseMs`, not
/// `backoff.baseMs`).
fn nested_prefix(field: &str) -> &'static str {
    let has = |table: crate::fields::Table| table.iter().any(|(name, _)| *name == field);
    if has(options::POLICY) {
        ""
    } else if has(options::RETRY_AFTER) {
        "retryAfter"
    } else if has(options::ADAPTIVE) {
        "adaptive"
    } else {
        "backoff"
    }
}

/// A `FailureClass` from its binding-facing name.
///
/// # Errors
/// `unknownVariant` naming `class`.
fn failure_class(name: &str) -> Result<FailureClass, Error> {
    const ALL: [FailureClass; 6] = [
        FailureClass::Retriable,
        FailureClass::RetriableAfterDelay,
        FailureClass::ReconnectAndResend,
        FailureClass::Redirect,
        FailureClass::NotRetriable,
        FailureClass::NotAFailure,
    ];
    ALL.into_iter().find(|c| c.as_str() == name).ok_or_else(|| {
        Error::new("unknownVariant", "", "class").with_reason(
            "retriable|retriableAfterDelay|reconnectAndResend|redirect|notRetriable|notAFailure",
        )
    })
}

/// A policy failure from its parts (`hint_ms` NaN = no hint).
fn failure(classification: Classification, kind: RetryKind, hint_ms: f64) -> Failure {
    let failure = Failure::classified(classification).with_kind(kind);
    if hint_ms.is_nan() {
        failure
    } else {
        failure.with_retry_after(clock::duration(hint_ms))
    }
}
