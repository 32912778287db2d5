#![allow(missing_docs)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

//! Properties of the retry budgets for arbitrary options, arbitrary op
//! sequences and arbitrary (including backwards and extreme) times.

use proptest::prelude::*;
use stormguard::Instant;
use stormguard::budget::{
    BUDGET_SNAPSHOT_VERSION, BudgetSnapshot, RatioBudget, RatioBudgetOptions, RetryBudget,
    RetryBudgetOptions, RetryKind, RetryPermit, RetryQuotaOptions, RetryQuotaPreset,
    TokenBucketOptions,
};

const NANOS_PER_MS: u64 = 1_000_000;
/// One retry in ratio units (100 % × 1000).
const RETRY_UNITS: u128 = 100_000;

#[derive(Clone, Copy, Debug)]
enum Op {
    Request,
    Retry(RetryKind),
    Success { after_retry: bool },
    Failure,
    Balance,
}

/// A time step: relative to the previous `now` (forwards or backwards), or
/// any absolute instant at all.
#[derive(Clone, Copy, Debug)]
enum Step {
    Relative(i64),
    Absolute(u64),
}

fn kind() -> impl Strategy<Value = RetryKind> {
    prop_oneof![
        Just(RetryKind::Other),
        Just(RetryKind::Timeout),
        Just(RetryKind::Throttling)
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => Just(Op::Request),
        3 => kind().prop_map(Op::Retry),
        2 => any::<bool>().prop_map(|after_retry| Op::Success { after_retry }),
        2 => Just(Op::Failure),
        1 => Just(Op::Balance),
    ]
}

/// Steps of up to ±3 ttl of 20 s, mostly forwards, sometimes anywhere.
fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        8 => (-5_000_i64..60_000).prop_map(|ms| Step::Relative(ms * NANOS_PER_MS as i64)),
        1 => (-5_000_000_000_i64..0).prop_map(Step::Relative),
        1 => any::<u64>().prop_map(Step::Absolute),
    ]
}

/// Steps of about a slot of `options`' ttl, sometimes anywhere in time.
fn slot_step(options: &RatioBudgetOptions) -> impl Strategy<Value = Step> + use<> {
    let slot = (options.ttl_ms as i64 * NANOS_PER_MS as i64 / 10).max(1);
    prop_oneof![
        12 => ((-slot * 3 / 2)..(slot * 3 / 2)).prop_map(Step::Relative),
        2 => ((-slot * 30)..(slot * 30)).prop_map(Step::Relative),
        1 => any::<u64>().prop_map(Step::Absolute),
    ]
}

fn apply(now: u64, step: Step) -> u64 {
    match step {
        Step::Relative(delta) => now.saturating_add_signed(delta),
        Step::Absolute(at) => at,
    }
}

fn ratio_options() -> impl Strategy<Value = RatioBudgetOptions> {
    // Whole milliseconds and retries per second, percent in thousandths:
    // every value is exactly representable in the budget's units.
    (1_u32..=20_000, 0_u32..=50, 0_u32..=1_000_000).prop_map(|(ttl, per_second, milli)| {
        RatioBudgetOptions {
            ttl_ms: f64::from(ttl),
            min_retries_per_second: f64::from(per_second),
            retry_percent: f64::from(milli) / 1000.0,
        }
    })
}

fn any_options() -> impl Strategy<Value = RetryBudgetOptions> {
    let amount = || proptest::option::of(0.0..2_000.0_f64);
    prop_oneof![
        ratio_options().prop_map(RetryBudgetOptions::Ratio),
        (0.001..=1000.0_f64, 0.001..=1000.0_f64).prop_map(|(max_tokens, token_ratio)| {
            RetryBudgetOptions::TokenBucket(TokenBucketOptions {
                max_tokens,
                token_ratio,
            })
        }),
        (
            prop_oneof![
                Just(RetryQuotaPreset::AwsClassic),
                Just(RetryQuotaPreset::AwsStandard2026)
            ],
            amount(),
            amount(),
            amount(),
            amount(),
            amount()
        )
            .prop_map(
                |(preset, capacity, retry, timeout, throttling, increment)| {
                    RetryBudgetOptions::Quota(RetryQuotaOptions {
                        preset,
                        capacity,
                        retry_cost: retry,
                        timeout_retry_cost: timeout,
                        throttling_retry_cost: throttling,
                        no_retry_increment: increment,
                    })
                }
            ),
    ]
}

/// The bound a ratio budget promises, checked against a plain log of what
/// it granted: at every granted retry (time `t`, clamped), the retries
/// granted in the last 9 slots, `(t − 9w, t]`, never exceed the reserve plus
/// `retryPercent` % of the requests in the last ttl, `(t − 10w, t]`.
fn check_window_bound(options: &RatioBudgetOptions, log: &[(u64, bool)], context: &str) {
    let ttl_nanos = (options.ttl_ms as u64) * NANOS_PER_MS;
    let slot = (ttl_nanos / 10).max(1);
    let reserve = (options.min_retries_per_second as u128) * (options.ttl_ms as u128) * 100;
    let deposit = (options.retry_percent * 1000.0).round() as u128;
    for (i, &(t, is_deposit)) in log.iter().enumerate() {
        if is_deposit {
            continue;
        }
        let seen = &log[..=i];
        let retries = seen
            .iter()
            .filter(|&&(at, d)| !d && i128::from(at) > i128::from(t) - i128::from(9 * slot))
            .count() as u128;
        let deposits = seen
            .iter()
            .filter(|&&(at, d)| d && i128::from(at) > i128::from(t) - i128::from(10 * slot))
            .count() as u128;
        assert!(
            retries * RETRY_UNITS <= reserve + deposit * deposits,
            "{context}: {retries} retries at {t} ns over {deposits} deposits"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn ratio_withdrawals_never_exceed_reserve_plus_percent_of_deposits(
        (options, script) in ratio_options().prop_flat_map(|options| {
            (Just(options.clone()), proptest::collection::vec((prop::bool::weighted(0.4), slot_step(&options)), 1..300))
        }),
    ) {
        let mut budget = RatioBudget::new(&options).unwrap();
        let mut now = 0_u64;
        let mut latest = 0_u64;
        let mut log = Vec::new();
        for (is_deposit, step) in script {
            now = apply(now, step);
            latest = latest.max(now);
            if is_deposit {
                budget.deposit(Instant::from_nanos(now));
                log.push((latest, true));
            } else if budget.try_withdraw(Instant::from_nanos(now)) {
                log.push((latest, false));
            }
        }
        check_window_bound(&options, &log, &format!("{options:?}"));
    }

    #[test]
    fn versioned_snapshot_round_trips_through_json_and_continues_identically(
        options in any_options(),
        before in proptest::collection::vec((op(), step()), 0..100),
        after in proptest::collection::vec((op(), step()), 1..100),
    ) {
        let mut budget = RetryBudget::new(&options).unwrap();
        let mut now = 0_u64;
        let drive = |budget: &mut RetryBudget, now: &mut u64, script: &[(Op, Step)]| {
            let mut answers = Vec::new();
            for &(op, step) in script {
                *now = apply(*now, step);
                let at = Instant::from_nanos(*now);
                match op {
                    Op::Request => budget.on_request(at),
                    Op::Retry(kind) => answers.push(budget.try_retry(at, kind).is_ok()),
                    Op::Success { .. } => budget.on_success(at, None),
                    Op::Failure => budget.on_failure(at),
                    Op::Balance => {}
                }
                answers.push(budget.balance(at).to_bits() != 0);
                answers.push(budget.balance(at) > 0.5);
            }
            answers
        };
        drive(&mut budget, &mut now, &before);
        let json = serde_json::to_string(&budget.versioned_snapshot()).unwrap();
        let snapshot: BudgetSnapshot = serde_json::from_str(&json).unwrap();
        let mut restored = RetryBudget::new(&options).unwrap();
        restored.restore_snapshot(&snapshot).unwrap();
        let mut now_restored = now;
        prop_assert_eq!(
            drive(&mut budget, &mut now, &after),
            drive(&mut restored, &mut now_restored, &after)
        );
        prop_assert_eq!(budget.versioned_snapshot(), restored.versioned_snapshot());
        let mut unknown = snapshot.clone();
        unknown.version = BUDGET_SNAPSHOT_VERSION + 1;
        prop_assert_eq!(restored.restore_snapshot(&unknown).unwrap_err().code(), "ERR_SNAPSHOT_VERSION");
    }

    #[test]
    fn any_budget_survives_any_sequence_with_a_non_negative_balance(
        options in any_options(),
        script in proptest::collection::vec((op(), step()), 1..300),
    ) {
        let mut budget = RetryBudget::new(&options).unwrap();
        let mut permit: Option<RetryPermit> = None;
        let mut now = 0_u64;
        for (op, step) in script {
            now = apply(now, step);
            let at = Instant::from_nanos(now);
            match op {
                Op::Request => budget.on_request(at),
                Op::Retry(kind) => {
                    if let Ok(p) = budget.try_retry(at, kind) {
                        prop_assert!(p.cost() >= 0.0);
                        permit = Some(p);
                    }
                }
                Op::Success { after_retry } => {
                    let handed = if after_retry { permit.take() } else { None };
                    budget.on_success(at, handed);
                }
                Op::Failure => budget.on_failure(at),
                Op::Balance => {}
            }
            let balance = budget.balance(at);
            prop_assert!(balance.is_finite() && balance >= 0.0, "balance {balance}");
            let metrics = budget.metrics(at);
            prop_assert_eq!(metrics.balance, balance);
        }
    }

    #[test]
    fn token_bucket_and_quota_balances_stay_within_their_capacity(
        options in any_options().prop_filter("not ratio", |o| !matches!(o, RetryBudgetOptions::Ratio(_))),
        script in proptest::collection::vec(op(), 1..300),
    ) {
        let mut budget = RetryBudget::new(&options).unwrap();
        let capacity = budget.balance(Instant::ZERO);
        let mut permit = None;
        for op in script {
            match op {
                Op::Request => budget.on_request(Instant::ZERO),
                Op::Retry(kind) => permit = budget.try_retry(Instant::ZERO, kind).ok().or(permit),
                Op::Success { after_retry } => {
                    budget.on_success(Instant::ZERO, if after_retry { permit.take() } else { None });
                }
                Op::Failure => budget.on_failure(Instant::ZERO),
                Op::Balance => {}
            }
            let balance = budget.balance(Instant::ZERO);
            prop_assert!((0.0..=capacity).contains(&balance), "{balance} of {capacity}");
        }
    }

    #[test]
    fn ratio_decisions_match_a_naive_event_log(
        (options, script) in ratio_options().prop_flat_map(|options| {
            (Just(options.clone()), proptest::collection::vec((any::<bool>(), slot_step(&options)), 1..300))
        }),
    ) {
        let slot = ((options.ttl_ms as u64) * NANOS_PER_MS / 10).max(1);
        let reserve = (options.min_retries_per_second as i128) * (options.ttl_ms as i128) * 100;
        let deposit = (options.retry_percent * 1000.0).round() as i128;
        let mut budget = RatioBudget::new(&options).unwrap();
        // (slot index, units) of every deposit and granted withdrawal.
        let mut events: Vec<(u64, i128)> = Vec::new();
        let mut now = 0_u64;
        let mut latest = 0_u64;
        for (is_deposit, step) in script {
            now = apply(now, step);
            latest = latest.max(now);
            let current = latest / slot;
            let live: i128 = events
                .iter()
                .filter(|&&(k, _)| k + 9 >= current)
                .map(|&(_, units)| units)
                .sum();
            let available = reserve + live;
            let at = Instant::from_nanos(now);
            prop_assert_eq!(i128::from(budget.balance(at)), available.max(0) / RETRY_UNITS as i128);
            if is_deposit {
                budget.deposit(at);
                events.push((current, deposit));
            } else {
                let granted = budget.try_withdraw(at);
                prop_assert_eq!(granted, available >= RETRY_UNITS as i128, "at {} ns", latest);
                if granted {
                    events.push((current, -(RETRY_UNITS as i128)));
                }
            }
        }
    }

    #[test]
    fn ratio_balance_is_read_only_and_agrees_with_the_next_withdrawal(
        (options, script) in ratio_options().prop_flat_map(|options| {
            (Just(options.clone()), proptest::collection::vec((any::<bool>(), slot_step(&options)), 1..200))
        }),
    ) {
        let mut budget = RatioBudget::new(&options).unwrap();
        let mut now = 0_u64;
        for (is_deposit, step) in script {
            now = apply(now, step);
            let at = Instant::from_nanos(now);
            if is_deposit {
                budget.deposit(at);
            } else {
                let before = budget.snapshot();
                let affordable = budget.balance(at);
                prop_assert_eq!(&budget.snapshot(), &before);
                prop_assert_eq!(budget.try_withdraw(at), affordable >= 1);
            }
        }
    }
}
