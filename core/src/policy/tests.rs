use super::*;
use crate::backoff::{BackoffOptions, Jitter};
use crate::budget::{RetryBudget, RetryBudgetOptions};
use crate::classify::{Classification, FailureClass};
use crate::retry_after::RetryAfterOptions;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn at(n: u64) -> Instant {
    Instant::from_nanos(n * 1_000_000)
}

/// 100 ms, 200 ms, 400 ms … without jitter, so decisions are exact.
fn steady_backoff() -> BackoffOptions {
    BackoffOptions {
        jitter: Jitter::None,
        ..BackoffOptions::default()
    }
}

fn policy(options: PolicyOptions) -> Policy {
    Policy::new(&options).unwrap()
}

fn retry_delay(decision: Decision) -> Duration {
    match decision {
        Decision::Retry { delay, .. } => delay,
        Decision::GiveUp(reason) => panic!("gave up: {reason:?}"),
    }
}

#[test]
fn retries_until_attempts_are_exhausted() {
    let mut p = policy(PolicyOptions {
        max_attempts: 3,
        backoff: steady_backoff(),
        ..PolicyOptions::default()
    });
    let mut exec = p.start(at(0), None);
    let failure = Failure::retriable();
    let first = p.on_failure(&mut exec, at(1), &failure, 0.5, Guards::default());
    assert_eq!(
        first,
        Decision::Retry {
            delay: ms(100),
            attempt: 2
        }
    );
    let second = p.on_failure(&mut exec, at(200), &failure, 0.5, Guards::default());
    assert_eq!(
        second,
        Decision::Retry {
            delay: ms(200),
            attempt: 3
        }
    );
    let third = p.on_failure(&mut exec, at(500), &failure, 0.5, Guards::default());
    assert_eq!(
        third,
        Decision::GiveUp(GiveUp::AttemptsExhausted { attempts: 3 })
    );
    let metrics = p.metrics();
    assert_eq!(metrics.attempts, 3);
    assert_eq!(metrics.retries, 2);
    assert_eq!(metrics.give_ups.attempts_exhausted, 1);
}

#[test]
fn permanent_failures_give_up_with_their_reason() {
    let mut p = policy(PolicyOptions::default());
    let mut exec = p.start(at(0), None);
    let failure = Failure::classified(Classification::new(
        FailureClass::NotRetriable,
        "redis_wrongtype",
    ));
    let decision = p.on_failure(&mut exec, at(1), &failure, 0.5, Guards::default());
    assert_eq!(
        decision,
        Decision::GiveUp(GiveUp::NotRetriable {
            reason: "redis_wrongtype"
        })
    );
}

#[test]
fn never_schedules_a_retry_that_would_start_after_the_deadline() {
    let mut p = policy(PolicyOptions {
        max_attempts: 10,
        deadline_ms: Some(250.0),
        backoff: steady_backoff(),
        ..PolicyOptions::default()
    });
    let mut exec = p.start(at(0), None);
    let failure = Failure::retriable();
    // 100 ms retry at t=10 ends at 110 ≤ 250: allowed.
    assert_eq!(
        retry_delay(p.on_failure(&mut exec, at(10), &failure, 0.0, Guards::default())),
        ms(100)
    );
    // 200 ms retry at t=120 would start at 320 > 250: refused, with the numbers.
    let decision = p.on_failure(&mut exec, at(120), &failure, 0.0, Guards::default());
    assert_eq!(
        decision,
        Decision::GiveUp(GiveUp::Deadline {
            remaining: ms(130),
            needed: ms(200)
        })
    );
}

#[test]
fn retry_after_longer_than_the_cap_gives_up_and_says_so() {
    let mut p = policy(PolicyOptions {
        retry_after: RetryAfterOptions {
            max_retry_after_ms: 1_000.0,
            ..RetryAfterOptions::default()
        },
        ..PolicyOptions::default()
    });
    let mut exec = p.start(at(0), None);
    let failure = Failure::retriable().with_retry_after(ms(30_000));
    let decision = p.on_failure(&mut exec, at(1), &failure, 0.5, Guards::default());
    assert_eq!(
        decision,
        Decision::GiveUp(GiveUp::RetryAfterTooLong {
            requested: ms(30_000)
        })
    );
    assert_eq!(p.metrics().give_ups.retry_after_too_long, 1);
}

#[test]
fn retry_after_within_the_cap_raises_the_delay() {
    let mut p = policy(PolicyOptions {
        backoff: steady_backoff(),
        ..PolicyOptions::default()
    });
    let mut exec = p.start(at(0), None);
    let failure = Failure::retriable().with_retry_after(ms(1_500));
    assert_eq!(
        retry_delay(p.on_failure(&mut exec, at(1), &failure, 0.0, Guards::default())),
        ms(1_500)
    );
}

#[test]
fn retry_after_beyond_the_deadline_names_the_deadline() {
    let mut p = policy(PolicyOptions {
        deadline_ms: Some(1_000.0),
        ..PolicyOptions::default()
    });
    let mut exec = p.start(at(0), None);
    let failure = Failure::retriable().with_retry_after(ms(5_000));
    let decision = p.on_failure(&mut exec, at(0), &failure, 0.0, Guards::default());
    assert!(
        matches!(decision, Decision::GiveUp(GiveUp::Deadline { .. })),
        "{decision:?}"
    );
}

#[test]
fn an_empty_budget_stops_retries_and_is_only_spent_on_real_retries() {
    let mut budget = RetryBudget::new(&RetryBudgetOptions::default()).unwrap();
    let mut p = policy(PolicyOptions {
        max_attempts: 1_000,
        deadline_ms: Some(60_000.0),
        backoff: steady_backoff(),
        ..PolicyOptions::default()
    });
    let mut exec = p.start(at(0), Some(&mut budget));
    let failure = Failure::retriable();
    let mut retries = 0;
    loop {
        let decision = p.on_failure(
            &mut exec,
            at(1),
            &failure,
            0.0,
            Guards {
                budget: Some(&mut budget),
                breaker: None,
            },
        );
        match decision {
            Decision::Retry { .. } => retries += 1,
            Decision::GiveUp(reason) => {
                assert!(
                    matches!(reason, GiveUp::BudgetExhausted | GiveUp::Deadline { .. }),
                    "{reason:?}"
                );
                if reason == GiveUp::BudgetExhausted {
                    break;
                }
                panic!("deadline reached before the budget ran out");
            }
        }
    }
    // Finagle defaults: a 10 retries/s reserve over a 10 s ttl (100) plus 20 % of one deposit.
    assert_eq!(retries, 100);
    assert_eq!(p.metrics().give_ups.budget_exhausted, 1);
}

#[test]
fn budget_is_not_spent_when_the_deadline_forbids_the_retry() {
    let mut budget = RetryBudget::new(&RetryBudgetOptions::default()).unwrap();
    let before = budget.balance(at(0));
    let mut p = policy(PolicyOptions {
        deadline_ms: Some(10.0),
        backoff: steady_backoff(),
        ..PolicyOptions::default()
    });
    let mut exec = p.start(at(0), None);
    let decision = p.on_failure(
        &mut exec,
        at(1),
        &Failure::retriable(),
        0.0,
        Guards {
            budget: Some(&mut budget),
            breaker: None,
        },
    );
    assert!(matches!(
        decision,
        Decision::GiveUp(GiveUp::Deadline { .. })
    ));
    assert_eq!(budget.balance(at(1)), before);
}

#[test]
fn adaptive_attempts_drop_to_one_while_everything_fails() {
    let mut p = policy(PolicyOptions {
        max_attempts: 5,
        adaptive: Some(AdaptiveOptions::default()),
        ..PolicyOptions::default()
    });
    assert_eq!(p.attempt_limit(at(0)), 5);
    for i in 0..20 {
        let mut exec = p.start(at(i), None);
        let _ = p.on_failure(
            &mut exec,
            at(i),
            &Failure::not_retriable("test"),
            0.0,
            Guards::default(),
        );
    }
    assert_eq!(p.attempt_limit(at(20)), 1);
    let mut exec = p.start(at(21), None);
    let decision = p.on_failure(
        &mut exec,
        at(21),
        &Failure::retriable(),
        0.0,
        Guards::default(),
    );
    assert_eq!(
        decision,
        Decision::GiveUp(GiveUp::AttemptsExhausted { attempts: 1 })
    );
    // Successes bring the limit back.
    for i in 0..200 {
        let mut exec = p.start(at(30 + i), None);
        p.on_success(&mut exec, at(30 + i), None);
    }
    assert_eq!(p.attempt_limit(at(300)), 5);
}

#[test]
fn adaptive_rate_forgets_old_failures_after_idle() {
    let mut p = policy(PolicyOptions {
        max_attempts: 4,
        adaptive: Some(AdaptiveOptions::default()),
        ..PolicyOptions::default()
    });
    for i in 0..50 {
        let mut exec = p.start(at(i), None);
        let _ = p.on_failure(
            &mut exec,
            at(i),
            &Failure::not_retriable("test"),
            0.0,
            Guards::default(),
        );
    }
    assert_eq!(p.attempt_limit(at(50)), 1);
    // Ten half-lives later the decayed sample count is far below minSamples.
    assert_eq!(p.attempt_limit(at(50 + 100_000)), 4);
}

#[test]
fn hostile_inputs_never_panic() {
    let mut p = policy(PolicyOptions {
        max_attempts: u32::MAX,
        adaptive: Some(AdaptiveOptions::default()),
        ..PolicyOptions::default()
    });
    let mut exec = p.start(Instant::MAX, None);
    for (now, u) in [
        (Instant::MAX, f64::NAN),
        (Instant::ZERO, -1.0),
        (at(5), f64::INFINITY),
    ] {
        let _ = p.on_failure(&mut exec, now, &Failure::retriable(), u, Guards::default());
    }
}

#[test]
fn invalid_options_name_the_field() {
    let err = Policy::new(&PolicyOptions {
        max_attempts: 0,
        ..PolicyOptions::default()
    })
    .unwrap_err();
    assert_eq!(err.field(), "maxAttempts");
    let err = Policy::new(&PolicyOptions {
        deadline_ms: Some(f64::NAN),
        ..PolicyOptions::default()
    })
    .unwrap_err();
    assert_eq!(err.field(), "deadlineMs");
    let err = Policy::new(&PolicyOptions {
        adaptive: Some(AdaptiveOptions {
            half_life_ms: 0.0,
            ..AdaptiveOptions::default()
        }),
        ..PolicyOptions::default()
    })
    .unwrap_err();
    assert_eq!(err.field(), "halfLifeMs");
}

#[test]
fn snapshot_round_trips_and_rejects_unknown_versions() {
    let mut p = policy(PolicyOptions {
        adaptive: Some(AdaptiveOptions::default()),
        ..PolicyOptions::default()
    });
    let mut exec = p.start(at(3), None);
    p.on_success(&mut exec, at(4), None);
    let snapshot = p.snapshot();
    let mut q = policy(PolicyOptions {
        adaptive: Some(AdaptiveOptions::default()),
        ..PolicyOptions::default()
    });
    q.restore(&snapshot).unwrap();
    assert_eq!(q.snapshot(), snapshot);
    let mut bad = snapshot.clone();
    bad.version = 99;
    assert_eq!(q.restore(&bad).unwrap_err().code(), "ERR_SNAPSHOT_VERSION");
}

#[test]
fn an_open_breaker_ends_retries_with_its_retry_after() {
    use crate::breaker::{Breaker, BreakerOptions, Outcome};
    let mut breaker = Breaker::new(&BreakerOptions {
        minimum_calls: 1,
        window_size: 1,
        open_duration_ms: 5_000.0,
        ..BreakerOptions::default()
    })
    .unwrap();
    let permit = breaker.try_acquire(at(0)).unwrap();
    breaker.record(at(0), permit, Outcome::failure()).unwrap();
    let mut p = policy(PolicyOptions {
        backoff: steady_backoff(),
        ..PolicyOptions::default()
    });
    let mut exec = p.start(at(0), None);
    let decision = p.on_failure(
        &mut exec,
        at(1_000),
        &Failure::retriable(),
        0.0,
        Guards {
            budget: None,
            breaker: Some(&breaker),
        },
    );
    // Open until 5 000 ms, admitting strictly after it: 4 000 ms + 1 ns from now.
    assert_eq!(
        decision,
        Decision::GiveUp(GiveUp::BreakerOpen {
            retry_after: ms(4_000) + Duration::from_nanos(1)
        })
    );
    // A retry that lands after the breaker admits again is allowed.
    let mut p = policy(PolicyOptions {
        backoff: BackoffOptions {
            base_ms: 10_000.0,
            max_ms: 10_000.0,
            ..steady_backoff()
        },
        ..PolicyOptions::default()
    });
    let mut exec = p.start(at(0), None);
    let decision = p.on_failure(
        &mut exec,
        at(1_000),
        &Failure::retriable(),
        0.0,
        Guards {
            budget: None,
            breaker: Some(&breaker),
        },
    );
    assert_eq!(retry_delay(decision), ms(10_000));
}
