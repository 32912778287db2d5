//! `kind: "budget"`: op sequences against any retry budget through the
//! common interface, and option sets that must be rejected.

use crate::harness::load;
use serde::Deserialize;
use stormguard::Instant;
use stormguard::budget::{BudgetMetrics, RetryBudget, RetryBudgetOptions, RetryKind, RetryPermit};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    /// Options as a binding receives them (`"type"` + camelCase fields).
    budget: RetryBudgetOptions,
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

fn one() -> u32 {
    1
}

#[derive(Debug, Deserialize)]
#[serde(tag = "op", deny_unknown_fields, rename_all = "camelCase")]
enum Op {
    /// `on_request`, `count` times.
    Deposit {
        #[serde(rename = "atMs")]
        at_ms: f64,
        #[serde(default = "one")]
        count: u32,
    },
    /// `try_retry(kind)`, `count` times; every answer must be `expect`.
    TryWithdraw {
        #[serde(rename = "atMs")]
        at_ms: f64,
        #[serde(default)]
        kind: RetryKind,
        #[serde(default = "one")]
        count: u32,
        expect: bool,
    },
    /// `on_success`, with the last granted permit when `afterRetry`.
    Success {
        #[serde(rename = "atMs")]
        at_ms: f64,
        #[serde(rename = "afterRetry", default)]
        after_retry: bool,
    },
    /// `on_failure`, `count` times.
    Failure {
        #[serde(rename = "atMs")]
        at_ms: f64,
        #[serde(default = "one")]
        count: u32,
    },
    /// `balance` must equal `expect` exactly.
    Balance {
        #[serde(rename = "atMs")]
        at_ms: f64,
        expect: f64,
    },
    /// `metrics` must equal `expect` exactly.
    Metrics {
        #[serde(rename = "atMs")]
        at_ms: f64,
        expect: BudgetMetrics,
    },
}

fn at(ms: f64) -> Instant {
    Instant::from_millis_f64(ms).expect("vector times are valid")
}

#[test]
fn budgets_match_vectors() {
    let mut ran = 0;
    for (file, vectors) in load::<Case>("budget") {
        for case in vectors.cases {
            let context = format!("{file} `{}`", case.name);
            let built = RetryBudget::new(&case.budget);
            if let Some(expected) = &case.expect_error {
                let err = built.expect_err(&context);
                assert_eq!(err.field(), expected.field, "{context}");
                assert!(case.ops.is_empty(), "{context}: error cases have no ops");
                ran += 1;
                continue;
            }
            let mut budget = built.unwrap_or_else(|e| panic!("{context}: {e}"));
            run_ops(&mut budget, &case.ops, &context);
            ran += 1;
        }
    }
    assert!(ran > 0);
}

fn run_ops(budget: &mut RetryBudget, ops: &[Op], context: &str) {
    let mut permit: Option<RetryPermit> = None;
    for (i, op) in ops.iter().enumerate() {
        let context = format!("{context} op {i} {op:?}");
        match op {
            Op::Deposit { at_ms, count } => {
                for _ in 0..*count {
                    budget.on_request(at(*at_ms));
                }
            }
            Op::TryWithdraw {
                at_ms,
                kind,
                count,
                expect,
            } => {
                for n in 0..*count {
                    let got = budget.try_retry(at(*at_ms), *kind);
                    assert_eq!(got.is_ok(), *expect, "{context} (try {n})");
                    if let Ok(p) = got {
                        permit = Some(p);
                    }
                }
            }
            Op::Success { at_ms, after_retry } => {
                let handed = if *after_retry {
                    Some(permit.take().expect("afterRetry needs a granted retry"))
                } else {
                    None
                };
                budget.on_success(at(*at_ms), handed);
            }
            Op::Failure { at_ms, count } => {
                for _ in 0..*count {
                    budget.on_failure(at(*at_ms));
                }
            }
            Op::Balance { at_ms, expect } => {
                assert_eq!(budget.balance(at(*at_ms)), *expect, "{context}");
            }
            Op::Metrics { at_ms, expect } => {
                assert_eq!(budget.metrics(at(*at_ms)), *expect, "{context}");
            }
        }
    }
}
