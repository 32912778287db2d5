//! `kind: "breaker"`: sequences of operations in virtual time against one
//! breaker, with the expected answer of each (schema in
//! `tests/vectors/README.md`).
//!
//! Permits are kept as `(generation, id)` and rebuilt with
//! `Permit::from_parts` for every `record`, exactly as the bindings hold them,
//! so recording the same acquire twice exercises reuse detection.

use crate::harness::{assert_ms, load};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use stormguard::breaker::{
    Breaker, BreakerOptions, BreakerSnapshot, Outcome, OutcomeKind, Permit, PermitError, Recorded,
    State, TransitionReason, presets,
};
use stormguard::time::{Duration, Instant, duration_as_millis_f64, duration_from_millis_f64};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    #[allow(dead_code)]
    description: String,
    /// A preset name; `options` then override its fields.
    #[serde(default)]
    preset: Option<String>,
    #[serde(default)]
    options: Map<String, Value>,
    ops: Vec<Op>,
}

/// Distinguishes an absent key (`None`) from `null` (`Some(None)`).
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<f64>>, D::Error> {
    Option::<f64>::deserialize(d).map(Some)
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
enum Admission {
    Admitted,
    Rejected,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
enum RecordExpect {
    Counted,
    Released,
    Late,
    Reused,
    Unknown,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ExpectedTransition {
    from: State,
    to: State,
    reason: TransitionReason,
    at_ms: f64,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ExpectedMetrics {
    state: Option<State>,
    consecutive_openings: Option<u32>,
    admitted: Option<u64>,
    rejected: Option<u64>,
    calls: Option<u64>,
    successes: Option<u64>,
    failures: Option<u64>,
    slow_calls: Option<u64>,
    ignored: Option<u64>,
    late_results: Option<u64>,
    expired_probes: Option<u64>,
    transitions: Option<u64>,
    probes_in_flight: Option<u32>,
    window_calls: Option<u64>,
    window_failures: Option<u64>,
    window_slow_calls: Option<u64>,
    #[serde(default, deserialize_with = "present")]
    failure_rate: Option<Option<f64>>,
    #[serde(default, deserialize_with = "present")]
    slow_call_rate: Option<Option<f64>>,
    /// State name → milliseconds spent in it.
    time_in_state_ms: Option<BTreeMap<String, f64>>,
}

/// What `admission` must answer (`expect: null` for none).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ExpectedAdmission {
    generation: u64,
    /// Whether plain successes may wait.
    batch: bool,
    /// With `batch`: until when (`null`: no time bound).
    #[serde(default, deserialize_with = "present")]
    batch_until_ms: Option<Option<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(tag = "op", deny_unknown_fields, rename_all = "camelCase")]
enum Op {
    #[serde(rename_all = "camelCase")]
    Acquire {
        at_ms: f64,
        expect: Admission,
        #[serde(default, deserialize_with = "present")]
        retry_after_ms: Option<Option<f64>>,
    },
    #[serde(rename_all = "camelCase")]
    Record {
        at_ms: f64,
        acquire: usize,
        outcome: OutcomeKind,
        #[serde(default)]
        duration_ms: Option<f64>,
        expect: RecordExpect,
    },
    #[serde(rename_all = "camelCase")]
    Calls {
        at_ms: f64,
        count: u32,
        outcome: OutcomeKind,
        #[serde(default)]
        duration_ms: Option<f64>,
    },
    #[serde(rename_all = "camelCase")]
    Tick {
        at_ms: f64,
    },
    #[serde(rename_all = "camelCase")]
    TripFor {
        at_ms: f64,
        duration_ms: f64,
    },
    #[serde(rename_all = "camelCase")]
    ForceOpen {
        at_ms: f64,
    },
    #[serde(rename_all = "camelCase")]
    Disable {
        at_ms: f64,
    },
    #[serde(rename_all = "camelCase")]
    MetricsOnly {
        at_ms: f64,
    },
    #[serde(rename_all = "camelCase")]
    Reset {
        at_ms: f64,
    },
    State {
        expect: State,
    },
    Transitions {
        expect: Vec<ExpectedTransition>,
    },
    #[serde(rename_all = "camelCase")]
    PollTimeout {
        expect_ms: Option<f64>,
    },
    #[serde(rename_all = "camelCase")]
    Metrics {
        at_ms: f64,
        expect: Box<ExpectedMetrics>,
    },
    Restore,
    #[serde(rename_all = "camelCase")]
    Admission {
        at_ms: f64,
        expect: Option<ExpectedAdmission>,
    },
    #[serde(rename_all = "camelCase")]
    RecordAdmitted {
        at_ms: f64,
        generation: u64,
        outcome: OutcomeKind,
        #[serde(default)]
        duration_ms: Option<f64>,
        expect: RecordExpect,
    },
    #[serde(rename_all = "camelCase")]
    RecordSuccesses {
        at_ms: f64,
        generation: u64,
        count: u64,
        expect: RecordExpect,
    },
    SetOpenDraw {
        u: f64,
    },
}

fn at(ms: f64) -> Instant {
    Instant::from_millis_f64(ms).expect("valid atMs")
}

fn duration(ms: f64) -> Duration {
    duration_from_millis_f64("durationMs", ms).expect("valid durationMs")
}

fn outcome(kind: OutcomeKind, duration_ms: Option<f64>) -> Outcome {
    let outcome = Outcome {
        kind,
        duration: None,
    };
    match duration_ms {
        Some(ms) => outcome.took(duration(ms)),
        None => outcome,
    }
}

fn options_of(case: &Case) -> BreakerOptions {
    let base = match &case.preset {
        Some(name) => {
            presets::by_name(name).unwrap_or_else(|| panic!("{}: unknown preset {name}", case.name))
        }
        None => BreakerOptions::default(),
    };
    let mut merged = match serde_json::to_value(base).unwrap() {
        Value::Object(map) => map,
        other => panic!("options serialise to an object, got {other}"),
    };
    merged.extend(case.options.clone());
    serde_json::from_value(Value::Object(merged))
        .unwrap_or_else(|e| panic!("{}: bad options: {e}", case.name))
}

fn check_metrics(breaker: &mut Breaker, now: Instant, expect: &ExpectedMetrics, ctx: &str) {
    let m = breaker.metrics(now);
    macro_rules! same {
        ($field:ident) => {
            if let Some(expected) = expect.$field {
                assert_eq!(m.$field, expected, "{ctx}: metrics.{}", stringify!($field));
            }
        };
    }
    same!(state);
    same!(consecutive_openings);
    same!(admitted);
    same!(rejected);
    same!(calls);
    same!(successes);
    same!(failures);
    same!(slow_calls);
    same!(ignored);
    same!(late_results);
    same!(expired_probes);
    same!(transitions);
    same!(probes_in_flight);
    same!(window_calls);
    same!(window_failures);
    same!(window_slow_calls);
    for (name, expected, actual) in [
        ("failureRate", expect.failure_rate, m.failure_rate),
        ("slowCallRate", expect.slow_call_rate, m.slow_call_rate),
    ] {
        match expected {
            None => {}
            Some(None) => assert_eq!(actual, None, "{ctx}: metrics.{name}"),
            Some(Some(rate)) => {
                let actual = actual.unwrap_or_else(|| panic!("{ctx}: metrics.{name} is None"));
                assert!(
                    (actual - rate).abs() <= 1e-9,
                    "{ctx}: metrics.{name}: {actual} vs {rate}"
                );
            }
        }
    }
    for (name, expected) in expect.time_in_state_ms.iter().flatten() {
        let state = State::ALL
            .into_iter()
            .find(|s| s.name() == name)
            .unwrap_or_else(|| panic!("{ctx}: unknown state {name}"));
        assert_ms(
            duration_as_millis_f64(m.time_in(state)),
            *expected,
            &format!("{ctx}: timeInStateMs.{name}"),
        );
    }
}

fn record_expect(recorded: Recorded) -> RecordExpect {
    match recorded {
        Recorded::Counted => RecordExpect::Counted,
        Recorded::Released => RecordExpect::Released,
        Recorded::Late => RecordExpect::Late,
    }
}

fn run(case: &Case, file: &str) {
    let options = options_of(case);
    let mut breaker = Breaker::new(&options).unwrap();
    // Permits as the bindings hold them: `(generation, id)`, `None` if rejected.
    let mut permits: Vec<Option<(u64, u64)>> = Vec::new();
    for (index, op) in case.ops.iter().enumerate() {
        let ctx = format!("{file} / {} / op {index} {op:?}", case.name);
        match op {
            Op::Acquire {
                at_ms,
                expect,
                retry_after_ms,
            } => match breaker.try_acquire(at(*at_ms)) {
                Ok(permit) => {
                    assert_eq!(*expect, Admission::Admitted, "{ctx}: was admitted");
                    assert!(retry_after_ms.is_none(), "{ctx}: retryAfterMs on admission");
                    permits.push(Some((permit.generation(), permit.id())));
                }
                Err(rejected) => {
                    assert_eq!(*expect, Admission::Rejected, "{ctx}: was rejected");
                    let expected = retry_after_ms
                        .unwrap_or_else(|| panic!("{ctx}: rejection needs retryAfterMs"));
                    match (expected, rejected.retry_after) {
                        (None, None) => {}
                        (Some(ms), Some(actual)) => {
                            assert_ms(duration_as_millis_f64(actual), ms, &ctx);
                        }
                        (e, a) => panic!("{ctx}: retryAfterMs expected {e:?}, got {a:?}"),
                    }
                    permits.push(None);
                }
            },
            Op::Record {
                at_ms,
                acquire,
                outcome: kind,
                duration_ms,
                expect,
            } => {
                let (generation, id) = permits
                    .get(*acquire)
                    .copied()
                    .flatten()
                    .unwrap_or_else(|| panic!("{ctx}: acquire {acquire} was not admitted"));
                let result = breaker.record(
                    at(*at_ms),
                    Permit::from_parts(generation, id),
                    outcome(*kind, *duration_ms),
                );
                let actual = match result {
                    Ok(recorded) => record_expect(recorded),
                    Err(PermitError::Reused) => RecordExpect::Reused,
                    Err(PermitError::Unknown) => RecordExpect::Unknown,
                    Err(other) => panic!("{ctx}: unexpected {other:?}"),
                };
                assert_eq!(actual, *expect, "{ctx}");
            }
            Op::Calls {
                at_ms,
                count,
                outcome: kind,
                duration_ms,
            } => {
                for n in 0..*count {
                    let permit = breaker
                        .try_acquire(at(*at_ms))
                        .unwrap_or_else(|e| panic!("{ctx}: call {n} rejected: {e}"));
                    let recorded = breaker
                        .record(at(*at_ms), permit, outcome(*kind, *duration_ms))
                        .unwrap_or_else(|e| panic!("{ctx}: call {n}: {e}"));
                    let expected = if *kind == OutcomeKind::Ignored {
                        Recorded::Released
                    } else {
                        Recorded::Counted
                    };
                    assert_eq!(recorded, expected, "{ctx}: call {n}");
                }
            }
            Op::Tick { at_ms } => breaker.handle_timeout(at(*at_ms)),
            Op::TripFor { at_ms, duration_ms } => {
                breaker.trip_for(at(*at_ms), duration(*duration_ms))
            }
            Op::ForceOpen { at_ms } => breaker.force_open(at(*at_ms)),
            Op::Disable { at_ms } => breaker.disable(at(*at_ms)),
            Op::MetricsOnly { at_ms } => breaker.metrics_only(at(*at_ms)),
            Op::Reset { at_ms } => breaker.reset(at(*at_ms)),
            Op::State { expect } => assert_eq!(breaker.state(), *expect, "{ctx}"),
            Op::Transitions { expect } => {
                let actual: Vec<_> = std::iter::from_fn(|| breaker.poll_transition()).collect();
                assert_eq!(actual.len(), expect.len(), "{ctx}: {actual:?}");
                for (a, e) in actual.iter().zip(expect) {
                    assert_eq!((a.from, a.to, a.reason), (e.from, e.to, e.reason), "{ctx}");
                    assert_ms(a.at.as_millis_f64(), e.at_ms, &ctx);
                }
            }
            Op::PollTimeout { expect_ms } => match (breaker.poll_timeout(), expect_ms) {
                (None, None) => {}
                (Some(actual), Some(ms)) => assert_ms(actual.as_millis_f64(), *ms, &ctx),
                (a, e) => panic!("{ctx}: pollTimeout expected {e:?}, got {a:?}"),
            },
            Op::Metrics { at_ms, expect } => check_metrics(&mut breaker, at(*at_ms), expect, &ctx),
            Op::SetOpenDraw { u } => breaker.set_open_draw(*u),
            Op::Admission { at_ms, expect } => {
                let actual = breaker.admission(at(*at_ms));
                match (actual, expect) {
                    (None, None) => {}
                    (Some(a), Some(e)) => {
                        assert_eq!(a.generation, e.generation, "{ctx}: generation");
                        assert_eq!(a.batch_until.is_some(), e.batch, "{ctx}: batch");
                        let expected_until = e.batch_until_ms.unwrap_or(None);
                        match (a.batch_until, expected_until) {
                            (None, _) => {}
                            (Some(until), None) => {
                                assert_eq!(until, Instant::MAX, "{ctx}: no time bound");
                            }
                            (Some(until), Some(ms)) => assert_ms(until.as_millis_f64(), ms, &ctx),
                        }
                    }
                    (a, e) => panic!("{ctx}: admission expected {e:?}, got {a:?}"),
                }
            }
            Op::RecordAdmitted {
                at_ms,
                generation,
                outcome: kind,
                duration_ms,
                expect,
            } => {
                let recorded =
                    breaker.record_admitted(at(*at_ms), *generation, outcome(*kind, *duration_ms));
                assert_eq!(record_expect(recorded), *expect, "{ctx}");
            }
            Op::RecordSuccesses {
                at_ms,
                generation,
                count,
                expect,
            } => {
                let recorded = breaker.record_successes(at(*at_ms), *generation, *count);
                assert_eq!(record_expect(recorded), *expect, "{ctx}");
            }
            Op::Restore => {
                let json = serde_json::to_string(&breaker.snapshot()).unwrap();
                let snapshot: BreakerSnapshot = serde_json::from_str(&json).unwrap();
                let restored = Breaker::restore(&options, snapshot).unwrap();
                assert_eq!(restored, breaker, "{ctx}: restore is lossless");
                breaker = restored;
            }
        }
    }
}

#[test]
fn breaker_vectors() {
    let mut cases = 0;
    for (file, vectors) in load::<Case>("breaker") {
        for case in &vectors.cases {
            run(case, &file);
            cases += 1;
        }
    }
    assert!(cases > 0);
}
