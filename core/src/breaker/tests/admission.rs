//! `Admission`: a host that admits calls itself and reports plain successes
//! in bulk ends in exactly the state of a host that asks for every call.

use super::*;
use proptest::prelude::*;

/// One protected call: starts `gap_ms` after the previous one ended, takes
/// `took_ms`, ends with `kind` (0–5 success, 6–7 failure, 8 ignored).
#[derive(Clone, Copy, Debug)]
struct Step {
    gap_ms: u64,
    took_ms: u64,
    kind: u8,
}

fn outcome(step: Step) -> Outcome {
    let took = Duration::from_millis(step.took_ms);
    match step.kind {
        0..=5 => Outcome::success().took(took),
        6 | 7 => Outcome::failure().took(took),
        _ => Outcome::ignored().took(took),
    }
}

/// The host that asks: `try_acquire` at the start, `record` at the end.
fn asking(options: &BreakerOptions, steps: &[Step]) -> (Breaker, Instant) {
    let mut breaker = breaker(options.clone());
    let mut now = ms(0);
    for &step in steps {
        now = now + Duration::from_millis(step.gap_ms);
        let start = now;
        now = now + Duration::from_millis(step.took_ms);
        if let Ok(permit) = breaker.try_acquire(start) {
            breaker.record(now, permit, outcome(step)).unwrap();
        }
    }
    (breaker, now)
}

/// The host that follows the admission contract, as the Node binding does:
/// refresh the admission after each report, admit alone while it holds,
/// keep plain successes waiting while allowed.
fn admitting(options: &BreakerOptions, steps: &[Step]) -> (Breaker, Instant, u64) {
    let mut breaker = breaker(options.clone());
    let mut now = ms(0);
    // Like the binding: the first call asks, then each report refreshes.
    let mut admission: Option<Admission> = None;
    let mut waiting = 0u64;
    let mut waiting_until = now;
    let mut batched = 0u64;
    let flush = |breaker: &mut Breaker, waiting: &mut u64, at: Instant, generation: u64| {
        if *waiting > 0 {
            assert_eq!(
                breaker.record_successes(at, generation, *waiting),
                Recorded::Counted
            );
            *waiting = 0;
        }
    };
    for &step in steps {
        now = now + Duration::from_millis(step.gap_ms);
        let start = now;
        now = now + Duration::from_millis(step.took_ms);
        match admission {
            Some(a) if a.generation == breaker.generation() => {
                let plain = step.kind <= 5
                    && a.batch_until.is_some_and(|until| now < until)
                    && Duration::from_millis(step.took_ms) <= a.slow_above;
                if plain {
                    waiting += 1;
                    waiting_until = now;
                    batched += 1;
                    continue;
                }
                flush(&mut breaker, &mut waiting, waiting_until, a.generation);
                breaker.record_admitted(now, a.generation, outcome(step));
            }
            _ => match breaker.try_acquire(start) {
                Ok(permit) => {
                    breaker.record(now, permit, outcome(step)).unwrap();
                }
                Err(_) => continue,
            },
        }
        // Refreshed at the instant of the report just made.
        admission = breaker.admission(now);
    }
    if let Some(a) = admission {
        flush(&mut breaker, &mut waiting, waiting_until, a.generation);
    }
    (breaker, now, batched)
}

fn options_strategy() -> impl Strategy<Value = BreakerOptions> {
    (
        0u8..3,
        1u32..12,
        1u32..12,
        1u32..100,
        prop_oneof![Just(None), (1u32..6).prop_map(Some)],
        1u32..30,
        1u32..4,
        prop_oneof![Just(100.0), 1.0f64..100.0],
    )
        .prop_map(
            |(window, size, minimum, rate, count, slow_ms, permits, slow_rate)| BreakerOptions {
                window_type: match window {
                    0 => WindowType::Consecutive,
                    1 => WindowType::Count,
                    _ => WindowType::Time,
                },
                window_size: size,
                window_ms: f64::from(size) * 40.0,
                bucket_ms: 40.0,
                minimum_calls: minimum,
                failure_rate_threshold: f64::from(rate),
                failure_count_threshold: count.or((window == 0).then_some(3)),
                slow_call_duration_ms: f64::from(slow_ms),
                slow_call_rate_threshold: slow_rate,
                open_duration_ms: 100.0,
                half_open_permits: permits,
                ..BreakerOptions::default()
            },
        )
}

fn step_strategy() -> impl Strategy<Value = Step> {
    (0u64..30, 0u64..40, 0u8..9).prop_map(|(gap_ms, took_ms, kind)| Step {
        gap_ms,
        took_ms,
        kind,
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn admitting_hosts_end_where_asking_hosts_do(
        options in options_strategy(),
        steps in proptest::collection::vec(step_strategy(), 0..120),
    ) {
        let (mut asked, end) = asking(&options, &steps);
        let (mut admitted, admitted_end, _) = admitting(&options, &steps);
        prop_assert_eq!(end, admitted_end);
        prop_assert_eq!(asked.state(), admitted.state());
        prop_assert_eq!(asked.generation(), admitted.generation());
        prop_assert_eq!(drain(&mut asked), drain(&mut admitted));
        prop_assert_eq!(asked.metrics(end), admitted.metrics(end));
    }
}

#[test]
fn steady_successes_wait_once_the_window_holds_minimum_calls() {
    let options = count_window(10, 10);
    let steps = [Step {
        gap_ms: 1,
        took_ms: 1,
        kind: 0,
    }; 50];
    let (mut asked, end) = asking(&options, &steps);
    let (mut admitted, _, batched) = admitting(&options, &steps);
    // The first ten fill the window one by one; every later one waits.
    assert_eq!(batched, 40);
    assert_eq!(asked.metrics(end), admitted.metrics(end));
}

#[test]
fn no_admission_while_open_and_none_to_batch_below_minimum_calls() {
    let mut b = breaker(count_window(4, 4));
    let fresh = b.admission(ms(0)).unwrap();
    assert_eq!(fresh.generation, 0);
    assert_eq!(fresh.batch_until, None, "the window is below minimumCalls");
    for at in 1..=4 {
        b.record_admitted(ms(at), 0, Outcome::failure());
    }
    assert_eq!(b.state(), State::Open);
    assert_eq!(b.admission(ms(5)), None);
    assert_eq!(
        b.record_admitted(ms(5), 0, Outcome::success()),
        Recorded::Late
    );
    assert_eq!(b.record_successes(ms(5), 0, 3), Recorded::Late);
    assert_eq!(b.metrics(ms(5)).late_results, 4);
    assert_eq!(
        b.metrics(ms(5)).admitted,
        8,
        "late reports were admitted too"
    );
}

#[test]
fn a_time_window_batches_only_inside_the_current_bucket() {
    let mut b = breaker(BreakerOptions {
        window_type: WindowType::Time,
        window_ms: 1_000.0,
        bucket_ms: 100.0,
        minimum_calls: 1,
        ..BreakerOptions::default()
    });
    b.record_admitted(ms(10), 0, Outcome::success());
    let admission = b.admission(ms(150)).unwrap();
    assert_eq!(admission.batch_until, Some(ms(200)));
    assert_eq!(admission.slow_above, Duration::from_secs(60));
}

#[test]
fn disabled_and_metrics_only_admit_and_batch() {
    let mut b = breaker(count_window(4, 4));
    b.disable(ms(0));
    let disabled = b.admission(ms(1)).unwrap();
    assert_eq!(disabled.batch_until, Some(Instant::MAX));
    assert_eq!(
        b.record_successes(ms(2), disabled.generation, 5),
        Recorded::Counted
    );
    assert_eq!(b.metrics(ms(2)).successes, 5);
    b.force_open(ms(3));
    assert_eq!(b.admission(ms(3)), None);
}

#[test]
fn huge_counts_and_any_generation_never_panic() {
    let mut b = breaker(count_window(3, 1));
    let a = b.admission(Instant::MAX).unwrap();
    assert_eq!(
        b.record_successes(Instant::MAX, a.generation, u64::MAX),
        Recorded::Counted
    );
    assert_eq!(
        b.record_successes(Instant::MAX, u64::MAX, u64::MAX),
        Recorded::Late
    );
    assert_eq!(
        b.record_admitted(ms(0), u64::MAX, Outcome::failure()),
        Recorded::Late
    );
    assert_eq!(b.metrics(Instant::MAX).window_calls, 3);
}
