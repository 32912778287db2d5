//! `kind: "policy"`: one operation's attempts through `Policy`, with an
//! optional shared budget and breaker, and option sets that must be rejected.

use crate::harness::{assert_ms, load};
use serde::Deserialize;
use stormguard::Instant;
use stormguard::breaker::{Breaker, BreakerOptions, Outcome};
use stormguard::budget::{RetryBudget, RetryBudgetOptions, RetryKind};
use stormguard::classify::{Classification, FailureClass};
use stormguard::policy::{Decision, Execution, Failure, Guards, Policy, PolicyOptions};
use stormguard::time::duration_from_millis_f64;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    policy: PolicyOptions,
    budget: Option<RetryBudgetOptions>,
    breaker: Option<BreakerOptions>,
    #[serde(default)]
    ops: Vec<Op>,
    #[serde(rename = "expectError")]
    expect_error: Option<ExpectError>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectError {
    field: String,
}

#[derive(Debug, Deserialize)]
#[serde(tag = "op", deny_unknown_fields, rename_all = "camelCase")]
enum Op {
    /// `Policy::start`: the operation's first attempt begins.
    Start {
        #[serde(rename = "atMs")]
        at_ms: f64,
    },
    /// `Policy::on_failure` for the current attempt.
    Failure {
        #[serde(rename = "atMs")]
        at_ms: f64,
        u: f64,
        /// `FailureClass` name; default `"retriable"`.
        #[serde(default = "retriable")]
        class: FailureClass,
        #[serde(rename = "retryAfterMs")]
        retry_after_ms: Option<f64>,
        #[serde(default)]
        kind: RetryKind,
        expect: Expect,
    },
    /// `Policy::on_success` for the current attempt.
    Success {
        #[serde(rename = "atMs")]
        at_ms: f64,
    },
    /// Records `count` failures into the shared breaker.
    BreakerFailures {
        #[serde(rename = "atMs")]
        at_ms: f64,
        count: u32,
    },
    /// The policy's current attempt limit (adaptive attempts).
    AttemptLimit {
        #[serde(rename = "atMs")]
        at_ms: f64,
        expect: u32,
    },
}

fn retriable() -> FailureClass {
    FailureClass::Retriable
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Expect {
    /// Retry after this many milliseconds …
    retry_ms: Option<f64>,
    /// … as attempt number `attempt`;
    attempt: Option<u32>,
    /// or give up with this code (`GiveUp::code`).
    give_up: Option<String>,
    /// For `breaker_open`: the breaker's retry-after.
    retry_after_ms: Option<f64>,
}

fn at(ms: f64) -> Instant {
    Instant::from_millis_f64(ms).expect("valid time")
}

#[test]
fn policies_match_vectors() {
    for (file, vectors) in load::<Case>("policy") {
        for case in vectors.cases {
            let context = format!("{file} / {}", case.name);
            let built = Policy::new(&case.policy);
            if let Some(expected) = &case.expect_error {
                let err = built.expect_err(&context);
                assert_eq!(err.field(), expected.field, "{context}: {err}");
                continue;
            }
            let mut policy = built.unwrap_or_else(|e| panic!("{context}: {e}"));
            let mut budget = case
                .budget
                .as_ref()
                .map(|o| RetryBudget::new(o).expect("budget"));
            let mut breaker = case
                .breaker
                .as_ref()
                .map(|o| Breaker::new(o).expect("breaker"));
            let mut execution: Option<Execution> = None;
            for (i, op) in case.ops.iter().enumerate() {
                let step = format!("{context} step {i}");
                run(
                    &mut policy,
                    &mut budget,
                    &mut breaker,
                    &mut execution,
                    op,
                    &step,
                );
            }
        }
    }
}

fn run(
    policy: &mut Policy,
    budget: &mut Option<RetryBudget>,
    breaker: &mut Option<Breaker>,
    execution: &mut Option<Execution>,
    op: &Op,
    step: &str,
) {
    match op {
        Op::Start { at_ms } => *execution = Some(policy.start(at(*at_ms), budget.as_mut())),
        Op::Success { at_ms } => {
            let exec = execution.as_mut().expect("started");
            policy.on_success(exec, at(*at_ms), budget.as_mut());
        }
        Op::Failure {
            at_ms,
            u,
            class,
            retry_after_ms,
            kind,
            expect,
        } => {
            let mut failure =
                Failure::classified(Classification::new(*class, "vector")).with_kind(*kind);
            if let Some(ms) = retry_after_ms {
                failure = failure
                    .with_retry_after(duration_from_millis_f64("retryAfterMs", *ms).unwrap());
            }
            let exec = execution.as_mut().expect("started");
            let guards = Guards {
                budget: budget.as_mut(),
                breaker: breaker.as_ref(),
            };
            let decision = policy.on_failure(exec, at(*at_ms), &failure, *u, guards);
            check(decision, expect, step);
        }
        Op::BreakerFailures { at_ms, count } => {
            let breaker = breaker.as_mut().expect("case has a breaker");
            for _ in 0..*count {
                if let Ok(permit) = breaker.try_acquire(at(*at_ms)) {
                    breaker
                        .record(at(*at_ms), permit, Outcome::failure())
                        .expect("fresh permit");
                }
            }
        }
        Op::AttemptLimit { at_ms, expect } => {
            assert_eq!(policy.attempt_limit(at(*at_ms)), *expect, "{step}");
        }
    }
}

fn check(decision: Decision, expect: &Expect, step: &str) {
    match decision {
        Decision::Retry { delay, attempt } => {
            let want = expect
                .retry_ms
                .unwrap_or_else(|| panic!("{step}: unexpected retry {decision:?}"));
            assert_ms(stormguard::time::duration_as_millis_f64(delay), want, step);
            if let Some(n) = expect.attempt {
                assert_eq!(attempt, n, "{step}");
            }
        }
        Decision::GiveUp(reason) => {
            let want = expect
                .give_up
                .as_deref()
                .unwrap_or_else(|| panic!("{step}: unexpected {reason:?}"));
            assert_eq!(reason.code(), want, "{step}");
            if let (Some(ms), stormguard::policy::GiveUp::BreakerOpen { retry_after }) =
                (expect.retry_after_ms, reason)
            {
                assert_ms(
                    stormguard::time::duration_as_millis_f64(retry_after),
                    ms,
                    step,
                );
            }
        }
    }
}
