//! Properties of the circuit breaker over arbitrary operation sequences,
//! arbitrary options and arbitrary (including backwards and extreme) times.
#![allow(missing_docs)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use proptest::prelude::*;
use stormguard::backoff::{BackoffOptions, Jitter, Schedule};
use stormguard::breaker::{
    Breaker, BreakerOptions, BreakerSnapshot, Comparison, HalfOpenDecision, Outcome, OutcomeKind,
    Permit, PermitError, Recorded, State, Transition, WindowType,
};
use stormguard::time::{Duration, Instant};

const MS: u64 = 1_000_000;

fn options() -> impl Strategy<Value = BreakerOptions> {
    let window = prop_oneof![
        (1u32..8).prop_map(|n| (WindowType::Consecutive, 10, 1_000.0, 1_000.0, Some(n))),
        (1u32..20, proptest::option::of(1u32..10)).prop_map(|(size, count)| (
            WindowType::Count,
            size,
            1_000.0,
            1_000.0,
            count
        )),
        (1u32..10, 1u32..1_000, proptest::option::of(1u32..10)).prop_map(
            |(buckets, bucket_ms, count)| {
                let bucket = f64::from(bucket_ms);
                (
                    WindowType::Time,
                    10,
                    bucket * f64::from(buckets),
                    bucket,
                    count,
                )
            }
        ),
    ];
    (
        window,
        0u32..8,
        1u32..=100,
        1u32..=100,
        0u32..3_000,
        any::<bool>(),
        0u32..2_000,
        proptest::option::of((1u32..4, 0u32..10_000)),
        1u32..5,
        any::<bool>(),
        1u32..3_000,
    )
        .prop_map(
            |(
                (window_type, window_size, window_ms, bucket_ms, count),
                minimum_calls,
                failure_rate,
                slow_rate,
                slow_ms,
                above,
                open_ms,
                backoff,
                permits,
                successes,
                lease_ms,
            )| BreakerOptions {
                window_type,
                window_size,
                window_ms,
                bucket_ms,
                minimum_calls,
                failure_rate_threshold: f64::from(failure_rate),
                slow_call_rate_threshold: f64::from(slow_rate),
                slow_call_duration_ms: f64::from(slow_ms),
                failure_count_threshold: count,
                threshold_comparison: if above {
                    Comparison::Above
                } else {
                    Comparison::AtLeast
                },
                open_duration_ms: f64::from(open_ms),
                open_backoff: backoff.map(|(multiplier, extra)| BackoffOptions {
                    schedule: if multiplier == 3 {
                        Schedule::Decorrelated
                    } else {
                        Schedule::Exponential
                    },
                    base_ms: f64::from(open_ms),
                    factor: f64::from(multiplier),
                    max_ms: f64::from(open_ms) + f64::from(extra),
                    jitter: if multiplier == 2 {
                        Jitter::Full
                    } else {
                        Jitter::None
                    },
                    ..BackoffOptions::default()
                }),
                half_open_permits: permits,
                half_open_decision: if successes {
                    HalfOpenDecision::Successes
                } else {
                    HalfOpenDecision::Rate
                },
                probe_lease_ms: f64::from(lease_ms),
            },
        )
}

/// How the test clock moves before an operation.
#[derive(Debug, Clone, Copy)]
enum Step {
    Forward(u64),
    Backward(u64),
    Far,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        400 => (0u64..700 * MS).prop_map(Step::Forward),
        50 => (0u64..2_000 * MS).prop_map(Step::Backward),
        // Near the end of time, deadlines and leases saturate; rare, because
        // nothing ever reopens after it (the clock cannot come back).
        1 => Just(Step::Far),
    ]
}

#[derive(Debug, Clone)]
enum Op {
    Acquire,
    Record {
        pick: usize,
        kind: u8,
        duration_ms: Option<u32>,
    },
    RecordAgain {
        pick: usize,
    },
    Forged {
        ahead: u64,
    },
    Tick,
    TripFor {
        duration_ms: u32,
    },
    ForceOpen,
    Disable,
    MetricsOnly,
    Reset,
    Metrics,
    SetOpenDraw {
        u: f64,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        12 => Just(Op::Acquire),
        12 => (any::<usize>(), 0u8..7, proptest::option::of(0u32..5_000))
            .prop_map(|(pick, kind, duration_ms)| Op::Record { pick, kind, duration_ms }),
        1 => any::<usize>().prop_map(|pick| Op::RecordAgain { pick }),
        1 => (1u64..u64::MAX / 2).prop_map(|ahead| Op::Forged { ahead }),
        2 => Just(Op::Tick),
        1 => (0u32..10_000).prop_map(|duration_ms| Op::TripFor { duration_ms }),
        1 => prop_oneof![Just(Op::ForceOpen), Just(Op::Disable), Just(Op::MetricsOnly)],
        2 => Just(Op::Reset),
        1 => Just(Op::Metrics),
        1 => any::<f64>().prop_map(|u| Op::SetOpenDraw { u }),
    ]
}

/// The test's view of the world while it drives one breaker.
#[derive(Default)]
struct Harness {
    /// The host clock (may step backwards).
    host: u64,
    /// The latest clock value the breaker has seen (what it clamps to).
    latest: u64,
    /// Permits not yet recorded: `(generation, id, clamped acquire time)`.
    held: Vec<(u64, u64, u64)>,
    /// Permits already recorded once.
    recorded: Vec<(u64, u64)>,
    rejected: u64,
    /// `Late` answers to second records of old-generation permits.
    late_again: u64,
    transitions: Vec<Transition>,
}

/// 3 in 7 successes, 3 in 7 failures, 1 in 7 ignored.
fn kind_of(code: u8) -> OutcomeKind {
    match code % 7 {
        0..=2 => OutcomeKind::Success,
        3..=5 => OutcomeKind::Failure,
        _ => OutcomeKind::Ignored,
    }
}

impl Harness {
    fn advance(&mut self, step: Step) -> Instant {
        self.host = match step {
            Step::Forward(d) => self.host.saturating_add(d),
            Step::Backward(d) => self.host.saturating_sub(d),
            Step::Far => u64::MAX - 10 * MS,
        };
        self.latest = self.latest.max(self.host);
        Instant::from_nanos(self.host)
    }

    /// Applies one op; returns a printable trace of the answer so two
    /// breakers can be compared.
    fn apply(&mut self, breaker: &mut Breaker, now: Instant, op: &Op) -> String {
        match op {
            Op::Acquire => match breaker.try_acquire(now) {
                Ok(permit) => {
                    let answer = format!("admitted {} {}", permit.generation(), permit.id());
                    self.held
                        .push((permit.generation(), permit.id(), self.latest));
                    answer
                }
                Err(rejected) => {
                    self.rejected += 1;
                    format!("rejected {rejected:?}")
                }
            },
            Op::Record {
                pick,
                kind,
                duration_ms,
            } => {
                if self.held.is_empty() {
                    return String::from("nothing held");
                }
                // Mostly the most recent permit (so probes report before
                // their lease ends), otherwise any held one.
                let index = if pick % 4 != 0 {
                    self.held.len() - 1
                } else {
                    (pick / 4) % self.held.len()
                };
                let (generation, id, _) = self.held.remove(index);
                let mut outcome = Outcome {
                    kind: kind_of(*kind),
                    duration: None,
                };
                if let Some(ms) = duration_ms {
                    outcome = outcome.took(Duration::from_millis(u64::from(*ms)));
                }
                let result = breaker.record(now, Permit::from_parts(generation, id), outcome);
                assert!(
                    result.is_ok(),
                    "a held permit is never rejected: {result:?}"
                );
                self.recorded.push((generation, id));
                format!("{result:?}")
            }
            Op::RecordAgain { pick } => {
                if self.recorded.is_empty() {
                    return String::from("nothing recorded");
                }
                let (generation, id) = self.recorded[pick % self.recorded.len()];
                let result =
                    breaker.record(now, Permit::from_parts(generation, id), Outcome::failure());
                match result {
                    Ok(Recorded::Late) => {
                        assert!(generation < breaker.generation(), "late only when stale");
                        self.late_again += 1;
                    }
                    Err(PermitError::Reused) => {}
                    other => panic!("second record of a permit gave {other:?}"),
                }
                format!("{result:?}")
            }
            Op::Forged { ahead } => {
                // Apply what is due first, so the generation read is current.
                breaker.handle_timeout(now);
                let generation = breaker.generation();
                let forged = [
                    Permit::from_parts(generation.saturating_add(*ahead), 0),
                    Permit::from_parts(generation, u64::MAX - ahead),
                ];
                for permit in forged {
                    let result = breaker.record(now, permit, Outcome::failure());
                    assert_eq!(result, Err(PermitError::Unknown));
                }
                String::from("forged")
            }
            Op::Tick => {
                breaker.handle_timeout(now);
                String::from("tick")
            }
            Op::TripFor { duration_ms } => {
                breaker.trip_for(now, Duration::from_millis(u64::from(*duration_ms)));
                String::from("tripFor")
            }
            Op::ForceOpen => {
                breaker.force_open(now);
                String::from("forceOpen")
            }
            Op::Disable => {
                breaker.disable(now);
                String::from("disable")
            }
            Op::MetricsOnly => {
                breaker.metrics_only(now);
                String::from("metricsOnly")
            }
            Op::Reset => {
                breaker.reset(now);
                String::from("reset")
            }
            Op::Metrics => format!("{:?}", breaker.metrics(now)),
            Op::SetOpenDraw { u } => {
                breaker.set_open_draw(*u);
                String::from("setOpenDraw")
            }
        }
    }

    /// Drains pending transitions, checking each is legal and that they
    /// chain in order.
    fn drain(&mut self, breaker: &mut Breaker) {
        while let Some(t) = breaker.poll_transition() {
            assert!(t.reason.allowed_from(t.from), "illegal {t:?}");
            assert_eq!(t.to, t.reason.target(), "{t:?}");
            assert_ne!(t.from, t.to, "{t:?}");
            if let Some(previous) = self.transitions.last() {
                assert_eq!(previous.to, t.from, "transitions chain");
                assert!(previous.at <= t.at, "transitions in time order");
            }
            self.transitions.push(t);
        }
        if let Some(last) = self.transitions.last() {
            assert_eq!(last.to, breaker.state());
        }
    }

    /// Invariants checked after every op.
    fn check(&mut self, breaker: &mut Breaker, options: &BreakerOptions) {
        self.drain(breaker);
        let now = Instant::from_nanos(self.latest);
        let m = breaker.metrics(now);
        // `metrics` applies what is due (open → half-open): drain again.
        self.drain(breaker);
        assert_eq!(m.state, breaker.state());

        assert_eq!(m.calls, m.successes + m.failures);
        assert!(m.slow_calls <= m.calls);
        assert_eq!(m.rejected, self.rejected);
        assert_eq!(
            m.admitted,
            m.successes
                + m.failures
                + m.ignored
                + (m.late_results - self.late_again)
                + self.held.len() as u64,
            "every admitted call is counted once, released, late, or still held"
        );
        assert!(m.window_failures <= m.window_calls);
        assert!(m.window_slow_calls <= m.window_calls);
        if let Some(rate) = m.failure_rate {
            assert!((0.0..=100.0).contains(&rate));
        }

        let permits = options.half_open_permits;
        assert!(m.probes_in_flight <= permits);
        if breaker.state() == State::HalfOpen {
            let lease = (options.probe_lease_ms as u64) * MS;
            let generation = breaker.generation();
            let live = self
                .held
                .iter()
                .filter(|(g, _, at)| *g == generation && at.saturating_add(lease) > self.latest)
                .count();
            assert!(live as u32 <= permits, "{live} live probes > {permits}");
            assert_eq!(live as u32, m.probes_in_flight);
        } else {
            assert_eq!(m.probes_in_flight, 0);
        }
        // `admits_at` predicts `try_acquire` (checked on a copy).
        let mut probe = breaker.clone();
        let predicted = probe.admits_at().is_some_and(|at| at <= now);
        assert_eq!(probe.try_acquire(now).is_ok(), predicted, "admits_at");
        if breaker.poll_timeout().is_some() {
            assert!(matches!(breaker.state(), State::Open | State::HalfOpen));
        }
    }
}

fn restored(breaker: &Breaker, options: &BreakerOptions) -> Breaker {
    let json = serde_json::to_string(&breaker.snapshot()).unwrap();
    let snapshot: BreakerSnapshot = serde_json::from_str(&json).unwrap();
    Breaker::restore(options, snapshot).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn invariants_hold_for_any_sequence(
        options in options(),
        ops in proptest::collection::vec((step(), op()), 1..200),
    ) {
        let mut breaker = Breaker::new(&options).unwrap();
        let mut harness = Harness::default();
        for (step, op) in &ops {
            let now = harness.advance(*step);
            harness.apply(&mut breaker, now, op);
            harness.check(&mut breaker, &options);
        }
    }

    #[test]
    fn restored_snapshot_behaves_identically(
        options in options(),
        prefix in proptest::collection::vec((step(), op()), 0..60),
        suffix in proptest::collection::vec((step(), op()), 1..60),
    ) {
        let mut original = Breaker::new(&options).unwrap();
        let mut harness = Harness::default();
        for (step, op) in &prefix {
            let now = harness.advance(*step);
            harness.apply(&mut original, now, op);
        }
        let mut copy = restored(&original, &options);
        prop_assert_eq!(&copy, &original);
        let mut twin = Harness {
            host: harness.host,
            latest: harness.latest,
            held: harness.held.clone(),
            recorded: harness.recorded.clone(),
            rejected: harness.rejected,
            late_again: harness.late_again,
            transitions: Vec::new(),
        };
        for (step, op) in &suffix {
            let now = harness.advance(*step);
            twin.advance(*step);
            let a = harness.apply(&mut original, now, op);
            let b = twin.apply(&mut copy, now, op);
            prop_assert_eq!(a, b);
            prop_assert_eq!(original.poll_transition(), copy.poll_transition());
            prop_assert_eq!(original.poll_timeout(), copy.poll_timeout());
        }
        prop_assert_eq!(&copy, &original);
    }

    #[test]
    fn never_panics_on_arbitrary_instants_and_permits(
        options in options(),
        raw in proptest::collection::vec(
            (any::<u64>(), any::<u64>(), any::<u64>(), 0u8..7, any::<u64>()), 1..80),
    ) {
        let mut breaker = Breaker::new(&options).unwrap();
        for (t, generation, id, kind, nanos) in raw {
            let now = Instant::from_nanos(t);
            let _ = breaker.try_acquire(now);
            let outcome = Outcome { kind: kind_of(kind), duration: Some(Duration::from_nanos(nanos)) };
            let _ = breaker.record(now, Permit::from_parts(generation % 4, id % 8), outcome);
            breaker.trip_for(now, Duration::from_nanos(nanos));
            breaker.handle_timeout(now);
            let _ = breaker.poll_timeout();
            let _ = breaker.metrics(now);
            while breaker.poll_transition().is_some() {}
        }
    }
}

#[test]
fn unknown_snapshot_version_is_rejected_from_json() {
    let options = BreakerOptions::default();
    let breaker = Breaker::new(&options).unwrap();
    let mut value = serde_json::to_value(breaker.snapshot()).unwrap();
    value["version"] = serde_json::json!(99);
    value["addedLater"] = serde_json::json!(true);
    let snapshot: BreakerSnapshot = serde_json::from_value(value).unwrap();
    let err = Breaker::restore(&options, snapshot).unwrap_err();
    assert_eq!(err.code(), "ERR_SNAPSHOT_VERSION");
}
