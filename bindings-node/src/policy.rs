//! `RetryPolicy` / `retry()`: the core policy decides after every failed
//! attempt; the JavaScript layer runs the attempts, sleeps and listens to the
//! `AbortSignal`.

use crate::breaker::NativeBreaker;
use crate::budget::{self, NativeRetryBudget};
use crate::convert;
use crate::error::{Class, HostError, HostResult, throwing};
use napi::Env;
use napi::bindgen_prelude::ClassInstance;
use napi_derive::napi;
use stormguard::SeededRng;
use stormguard::classify::{Classification, FailureClass};
use stormguard::policy::{Decision, Execution, Failure, GiveUp, Guards, Policy, PolicyOptions};

/// One operation being retried.
#[napi(js_name = "NativeExecution")]
#[derive(Debug)]
pub struct NativeExecution {
    execution: Execution,
}

#[napi]
impl NativeExecution {
    /// Attempts made so far, the current one included.
    #[napi(getter)]
    pub fn attempts(&self) -> u32 {
        self.execution.attempts()
    }
}

/// The policy's answer after a failed attempt.
#[napi(object)]
#[derive(Debug)]
pub struct DecisionResult {
    /// Whether to retry.
    pub retry: bool,
    /// The wait before the next attempt, in ms (when retrying).
    pub delay_ms: Option<f64>,
    /// The number of the next attempt (when retrying).
    pub attempt: Option<u32>,
    /// Why the policy gave up (`not_retriable`, `attempts_exhausted`,
    /// `deadline`, `budget_exhausted`, `breaker_open`, `retry_after_too_long`).
    pub give_up: Option<String>,
    /// For `not_retriable`: the classification's reason.
    pub reason: Option<String>,
    /// For `deadline`: time left; for `breaker_open`: when it admits again.
    pub remaining_ms: Option<f64>,
    /// For `deadline`: the wait that did not fit; for
    /// `retry_after_too_long`: the wait the server asked for.
    pub needed_ms: Option<f64>,
    /// For `attempts_exhausted`: attempts made.
    pub attempts: Option<u32>,
}

impl From<Decision> for DecisionResult {
    fn from(decision: Decision) -> Self {
        let mut result = Self {
            retry: false,
            delay_ms: None,
            attempt: None,
            give_up: None,
            reason: None,
            remaining_ms: None,
            needed_ms: None,
            attempts: None,
        };
        match decision {
            Decision::Retry { delay, attempt } => {
                result.retry = true;
                result.delay_ms = Some(convert::ms(delay));
                result.attempt = Some(attempt);
            }
            Decision::GiveUp(give_up) => {
                result.give_up = Some(give_up.code().to_owned());
                match give_up {
                    GiveUp::NotRetriable { reason } => result.reason = Some(reason.to_owned()),
                    GiveUp::AttemptsExhausted { attempts } => result.attempts = Some(attempts),
                    GiveUp::Deadline { remaining, needed } => {
                        result.remaining_ms = Some(convert::ms(remaining));
                        result.needed_ms = Some(convert::ms(needed));
                    }
                    GiveUp::BreakerOpen { retry_after } => {
                        result.remaining_ms = Some(convert::ms(retry_after));
                    }
                    GiveUp::RetryAfterTooLong { requested } => {
                        result.needed_ms = Some(convert::ms(requested));
                    }
                    _ => {}
                }
            }
        }
        result
    }
}

/// A validated retry policy and its RNG.
#[napi(js_name = "NativeRetryPolicy")]
#[derive(Debug)]
pub struct NativeRetryPolicy {
    policy: Policy,
    rng: SeededRng,
}

#[napi]
impl NativeRetryPolicy {
    /// Validates `options` (JSON text of `PolicyOptions`) and the seed.
    #[napi(constructor)]
    pub fn new(env: Env, options: String, seed: String) -> napi::Result<Self> {
        throwing(&env, || {
            let options: PolicyOptions = convert::options("retry", &options)?;
            Ok(Self {
                policy: Policy::new(&options)?,
                rng: SeededRng::from_seed_u64(convert::seed(&seed)?),
            })
        })
    }

    /// Starts an operation (its first attempt begins now); deposits into
    /// the budget.
    #[napi]
    pub fn start(
        &mut self,
        env: Env,
        now_ms: f64,
        mut budget: Option<ClassInstance<'_, NativeRetryBudget>>,
    ) -> napi::Result<NativeExecution> {
        throwing(&env, || {
            let now = convert::instant(now_ms)?;
            let budget = budget.as_deref_mut().map(|b| &mut b.budget);
            Ok(NativeExecution {
                execution: self.policy.start(now, budget),
            })
        })
    }

    /// The current attempt succeeded.
    #[napi]
    pub fn on_success(
        &mut self,
        env: Env,
        mut execution: ClassInstance<'_, NativeExecution>,
        now_ms: f64,
        mut budget: Option<ClassInstance<'_, NativeRetryBudget>>,
    ) -> napi::Result<()> {
        throwing(&env, || {
            let now = convert::instant(now_ms)?;
            let budget = budget.as_deref_mut().map(|b| &mut b.budget);
            self.policy
                .on_success(&mut execution.execution, now, budget);
            Ok(())
        })
    }

    /// The current attempt failed: `class` is its `FailureClass` name (the
    /// host's `retryOn` answer becomes `retriable` or `notRetriable`),
    /// `hintMs` a server hint, `kind` the budget cost kind, `u` the backoff
    /// draw (default: one from the RNG).
    #[napi]
    #[allow(clippy::too_many_arguments)]
    pub fn on_failure(
        &mut self,
        env: Env,
        mut execution: ClassInstance<'_, NativeExecution>,
        now_ms: f64,
        class: String,
        hint_ms: Option<f64>,
        kind: Option<String>,
        u: Option<f64>,
        mut budget: Option<ClassInstance<'_, NativeRetryBudget>>,
        breaker: Option<ClassInstance<'_, NativeBreaker>>,
    ) -> napi::Result<DecisionResult> {
        throwing(&env, || {
            let now = convert::instant(now_ms)?;
            let failure = failure(&class, hint_ms, kind)?;
            let u = match u {
                Some(u) => convert::finite("u", u)?,
                None => self.rng.next_unit(),
            };
            let breaker = breaker.as_deref().map(NativeBreaker::breaker).transpose()?;
            let guards = Guards {
                budget: budget.as_deref_mut().map(|b| &mut b.budget),
                breaker: breaker.as_deref(),
            };
            let decision =
                self.policy
                    .on_failure(&mut execution.execution, now, &failure, u, guards);
            Ok(decision.into())
        })
    }

    /// The attempt limit in force now (lowered by adaptive attempts).
    #[napi]
    pub fn attempt_limit(&mut self, env: Env, now_ms: f64) -> napi::Result<u32> {
        throwing(&env, || {
            Ok(self.policy.attempt_limit(convert::instant(now_ms)?))
        })
    }

    /// The policy's counters as JSON text.
    #[napi]
    pub fn metrics(&self, env: Env) -> napi::Result<String> {
        throwing(&env, || convert::to_json(&self.policy.metrics()))
    }
}

/// A failure of class `class` (a `FailureClass` name). Its reason is the
/// class name, or `rejected_by_retry_on` for `notRetriable` (the host's
/// predicate said no).
fn failure(class: &str, hint_ms: Option<f64>, kind: Option<String>) -> HostResult<Failure> {
    let class: FailureClass = serde_json::from_value(serde_json::Value::String(class.to_owned()))
        .map_err(|_| {
        HostError::new(
            Class::Type,
            "ERR_INVALID_ARG_VALUE",
            format!(
                "`class` must be retriable, retriableAfterDelay, reconnectAndResend, \
                     redirect, notRetriable or notAFailure, got {class:?}"
            ),
        )
    })?;
    let reason = match class {
        FailureClass::NotRetriable => "rejected_by_retry_on",
        other => other.as_str(),
    };
    let mut failure =
        Failure::classified(Classification::new(class, reason)).with_kind(budget::kind(kind)?);
    if let Some(ms) = hint_ms {
        failure = failure.with_retry_after(convert::duration_ms("retryAfterMs", ms)?);
    }
    Ok(failure)
}
