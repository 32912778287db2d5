//! Properties of the policy: no panic for any sequence, counts add up, and a
//! snapshot continues exactly where it left off.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use stormguard::Instant;
use stormguard::policy::{
    AdaptiveOptions, Decision, Failure, Guards, Policy, PolicyOptions, PolicySnapshot,
};

#[derive(Clone, Copy, Debug)]
enum Op {
    Start,
    Failure { retriable: bool, u: f64 },
    Success,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => Just(Op::Start),
        4 => (any::<bool>(), any::<f64>()).prop_map(|(retriable, u)| Op::Failure { retriable, u }),
        2 => Just(Op::Success),
    ]
}

fn options() -> impl Strategy<Value = PolicyOptions> {
    (
        1u32..8,
        proptest::option::of(0.0f64..10_000.0),
        any::<bool>(),
    )
        .prop_map(|(max_attempts, deadline_ms, adaptive)| PolicyOptions {
            max_attempts,
            deadline_ms,
            adaptive: adaptive.then(AdaptiveOptions::default),
            ..PolicyOptions::default()
        })
}

/// Runs `script` and returns every decision, so two runs can be compared.
fn drive(policy: &mut Policy, script: &[(Op, u64)]) -> Vec<Option<Decision>> {
    let mut execution = None;
    let mut decisions = Vec::new();
    for &(op, at) in script {
        let now = Instant::from_nanos(at);
        match op {
            Op::Start => execution = Some(policy.start(now, None)),
            Op::Failure { retriable, u } => {
                let failure = if retriable {
                    Failure::retriable()
                } else {
                    Failure::not_retriable("test")
                };
                decisions.push(
                    execution
                        .as_mut()
                        .map(|exec| policy.on_failure(exec, now, &failure, u, Guards::default())),
                );
            }
            Op::Success => {
                if let Some(exec) = execution.as_mut() {
                    policy.on_success(exec, now, None);
                }
                decisions.push(None);
            }
        }
    }
    decisions
}

proptest! {
    #[test]
    fn counts_add_up_for_any_sequence(
        options in options(),
        script in proptest::collection::vec((op(), any::<u64>()), 0..200),
    ) {
        let mut policy = Policy::new(&options).unwrap();
        let decisions = drive(&mut policy, &script);
        let metrics = policy.metrics();
        let retries = decisions.iter().filter(|d| matches!(d, Some(Decision::Retry { .. }))).count();
        let give_ups = decisions.iter().filter(|d| matches!(d, Some(Decision::GiveUp(_)))).count();
        prop_assert_eq!(metrics.retries, retries as u64);
        prop_assert_eq!(metrics.give_ups.total(), give_ups as u64);
        prop_assert_eq!(metrics.attempts, metrics.executions + metrics.retries);
    }

    #[test]
    fn snapshot_round_trips_through_json_and_continues_identically(
        options in options(),
        before in proptest::collection::vec((op(), 0u64..100_000_000_000), 0..100),
        after in proptest::collection::vec((op(), 0u64..100_000_000_000), 1..100),
    ) {
        let mut policy = Policy::new(&options).unwrap();
        drive(&mut policy, &before);
        let json = serde_json::to_string(&policy.snapshot()).unwrap();
        let snapshot: PolicySnapshot = serde_json::from_str(&json).unwrap();
        let mut restored = Policy::new(&options).unwrap();
        restored.restore(&snapshot).unwrap();
        // Each continuation starts its own operation, so in-flight executions
        // (not part of a policy snapshot) do not matter.
        let mut continuation = vec![(Op::Start, after[0].1)];
        continuation.extend_from_slice(&after);
        prop_assert_eq!(drive(&mut policy, &continuation), drive(&mut restored, &continuation));
        prop_assert_eq!(policy.snapshot(), restored.snapshot());
    }
}
