//! Behaviour of the ratio budget, one rule per test.

use super::*;

fn ms(ms: u64) -> Instant {
    Instant::from_nanos(ms * 1_000_000)
}

fn budget(ttl_ms: f64, per_second: f64, percent: f64) -> RatioBudget {
    RatioBudget::new(&RatioBudgetOptions {
        ttl_ms,
        min_retries_per_second: per_second,
        retry_percent: percent,
    })
    .unwrap()
}

fn granted(budget: &mut RatioBudget, at: Instant, tries: usize) -> usize {
    (0..tries).filter(|_| budget.try_withdraw(at)).count()
}

#[test]
fn defaults_reserve_a_hundred_retries() {
    let mut b = RatioBudget::new(&RatioBudgetOptions::default()).unwrap();
    assert_eq!(b.balance(ms(0)), 100);
    assert_eq!(granted(&mut b, ms(0), 150), 100);
    assert_eq!(b.balance(ms(0)), 0);
}

#[test]
fn deposits_buy_retry_percent_of_a_retry() {
    let mut b = budget(10_000.0, 0.0, 20.0);
    for _ in 0..4 {
        b.deposit(ms(0));
    }
    assert!(!b.try_withdraw(ms(0)));
    b.deposit(ms(0));
    assert!(b.try_withdraw(ms(0)));
    assert!(!b.try_withdraw(ms(0)));
}

#[test]
fn does_not_truncate_fractional_percentages() {
    // tower: withdraw cost = (1 / 0.6) as isize = 1, i.e. 100 %.
    let mut b = budget(10_000.0, 0.0, 60.0);
    for _ in 0..10 {
        b.deposit(ms(0));
    }
    assert_eq!(b.balance(ms(0)), 6);
    assert_eq!(granted(&mut b, ms(0), 10), 6);

    let mut eighth = budget(10_000.0, 0.0, 12.5);
    for _ in 0..15 {
        eighth.deposit(ms(0));
    }
    assert_eq!(granted(&mut eighth, ms(0), 5), 1);
    eighth.deposit(ms(0));
    assert_eq!(granted(&mut eighth, ms(0), 5), 1);
}

#[test]
fn deposits_expire_when_their_slot_leaves_the_window() {
    let mut b = budget(1_000.0, 0.0, 100.0);
    b.deposit(ms(0));
    b.deposit(ms(0));
    assert!(b.try_withdraw(ms(999)));
    assert!(!b.try_withdraw(ms(1_000)));
}

#[test]
fn idle_period_expires_every_bucket() {
    let mut b = budget(1_000.0, 0.0, 100.0);
    for step in 0..10 {
        b.deposit(ms(step * 100));
    }
    assert_eq!(b.balance(ms(950)), 10);
    // One call after an hour: everything is gone, not one bucket.
    assert_eq!(b.balance(ms(3_600_000)), 0);
    assert!(!b.try_withdraw(ms(3_600_000)));
    // And the window still works afterwards.
    b.deposit(ms(3_600_050));
    assert!(b.try_withdraw(ms(3_600_060)));
}

#[test]
fn partial_idle_keeps_the_slots_still_in_the_window() {
    let mut b = budget(1_000.0, 0.0, 100.0);
    b.deposit(ms(0));
    b.deposit(ms(450));
    assert_eq!(b.balance(ms(1_200)), 1);
    assert!(b.try_withdraw(ms(1_200)));
    assert!(!b.try_withdraw(ms(1_200)));
}

#[test]
fn backwards_clock_step_neither_evicts_nor_resurrects() {
    let mut b = budget(1_000.0, 0.0, 100.0);
    b.deposit(ms(5_000));
    // An earlier `now` is clamped to 5 000 ms: the deposit stays.
    assert!(b.try_withdraw(ms(1_000)));

    let mut c = budget(1_000.0, 0.0, 100.0);
    c.deposit(ms(0));
    assert_eq!(c.balance(ms(2_000)), 0);
    assert!(!c.try_withdraw(ms(2_000)));
    // Stepping back into the deposit's window does not bring it back.
    assert!(!c.try_withdraw(ms(500)));
    assert_eq!(c.balance(ms(500)), 0);
}

#[test]
fn withdrawals_expire_so_the_reserve_refills() {
    let mut b = budget(1_000.0, 1.0, 0.0);
    assert!(b.try_withdraw(ms(0)));
    assert!(!b.try_withdraw(ms(500)));
    assert!(b.try_withdraw(ms(1_000)));
}

#[test]
fn debt_outliving_its_deposit_is_repaid_first() {
    let mut b = budget(1_000.0, 0.0, 100.0);
    b.deposit(ms(0));
    assert!(b.try_withdraw(ms(500)));
    // The deposit expired, the withdrawal has not: net −1, balance 0.
    assert_eq!(b.balance(ms(1_000)), 0);
    b.deposit(ms(1_100));
    assert!(!b.try_withdraw(ms(1_100)));
    b.deposit(ms(1_200));
    assert!(b.try_withdraw(ms(1_200)));
}

#[test]
fn zero_percent_and_zero_reserve_never_retries() {
    let mut b = budget(10_000.0, 0.0, 0.0);
    for _ in 0..1_000 {
        b.deposit(ms(1));
    }
    assert!(!b.try_withdraw(ms(1)));
}

#[test]
fn thousand_percent_allows_ten_retries_per_request() {
    let mut b = budget(10_000.0, 0.0, 1000.0);
    b.deposit(ms(0));
    assert_eq!(granted(&mut b, ms(0), 20), 10);
}

#[test]
fn counters_and_balance_feed_the_metrics() {
    let mut b = budget(10_000.0, 0.1, 50.0);
    b.deposit(ms(0));
    b.deposit(ms(0));
    assert_eq!(granted(&mut b, ms(0), 4), 2);
    let m = b.metrics(ms(0));
    assert_eq!((m.deposits, m.withdrawals, m.rejections), (2, 2, 2));
    assert_eq!(m.balance, 0.0);
}

#[test]
fn extreme_instants_do_not_panic() {
    let mut b = budget(1.0, 1_000_000.0, 1000.0);
    for now in [0, 1, u64::MAX / 2, u64::MAX - 1, u64::MAX, 3] {
        let now = Instant::from_nanos(now);
        b.deposit(now);
        let _ = b.try_withdraw(now);
        let _ = b.balance(now);
    }
    assert_eq!(b.snapshot().clock.latest(), Instant::MAX);
}

#[test]
fn snapshot_round_trips() {
    let mut b = budget(1_000.0, 0.0, 100.0);
    b.deposit(ms(100));
    let state = b.snapshot();
    let mut fresh = budget(1_000.0, 0.0, 100.0);
    fresh.restore(state);
    assert_eq!(fresh, b);
    assert!(fresh.try_withdraw(ms(200)));
}

#[test]
fn rejects_out_of_range_options_naming_the_field() {
    let base = RatioBudgetOptions::default();
    let cases = [
        (
            "ttlMs",
            RatioBudgetOptions {
                ttl_ms: 0.0,
                ..base.clone()
            },
        ),
        (
            "ttlMs",
            RatioBudgetOptions {
                ttl_ms: f64::NAN,
                ..base.clone()
            },
        ),
        (
            "minRetriesPerSecond",
            RatioBudgetOptions {
                min_retries_per_second: -1.0,
                ..base.clone()
            },
        ),
        (
            "retryPercent",
            RatioBudgetOptions {
                retry_percent: 1000.5,
                ..base.clone()
            },
        ),
    ];
    for (field, options) in cases {
        assert_eq!(RatioBudget::new(&options).unwrap_err().field(), field);
    }
}
