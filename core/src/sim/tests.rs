//! Golden summaries and properties of whole runs, derived from the model's
//! arithmetic.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use super::*;
use crate::backoff::presets;
use crate::breaker::BreakerOptions;
use crate::budget::{RatioBudgetOptions, RetryBudgetOptions};
use crate::policy::PolicyOptions;

fn fleet(name: &str, max_attempts: u32) -> FleetOptions {
    FleetOptions {
        name: String::from(name),
        policy: PolicyOptions {
            max_attempts,
            backoff: presets::redis_py_no_backoff(),
            ..PolicyOptions::default()
        },
        ..FleetOptions::default()
    }
}

fn down(from_s: f64, to_s: f64) -> PhaseOptions {
    PhaseOptions {
        from_s,
        to_s,
        ..PhaseOptions::default()
    }
}

/// `clients` clients each starting one operation at t = 1 s.
fn once(clients: u32, duration_s: f64, timeline: Vec<PhaseOptions>) -> StormOptions {
    StormOptions {
        duration_s,
        server: ServerOptions {
            capacity_rps: 1e6,
            timeline,
            ..ServerOptions::default()
        },
        clients: ClientOptions {
            count: clients,
            workload: Workload::Once(OnceOptions {
                at_s: 1.0,
                spread_ms: 100.0,
            }),
            ..ClientOptions::default()
        },
        fleets: vec![fleet("naive", 5)],
        ..StormOptions::default()
    }
}

fn poisson(clients: u32, rate_rps: f64, duration_s: f64) -> StormOptions {
    StormOptions {
        clients: ClientOptions {
            count: clients,
            workload: Workload::Poisson(PoissonOptions { rate_rps }),
            ..ClientOptions::default()
        },
        ..once(clients, duration_s, Vec::new())
    }
}

fn run(options: &StormOptions, seed: u64) -> StormReport {
    Storm::new(options).unwrap().run(seed)
}

fn totals(options: &StormOptions) -> Totals {
    run(options, 1).fleets.remove(0).totals
}

#[test]
fn same_seed_gives_the_same_report_and_another_seed_does_not() {
    let mut options = poisson(20, 20.0, 20.0);
    options.server.timeline = vec![down(5.0, 10.0)];
    options.fleets.push(FleetOptions {
        name: String::from("default"),
        budget: Some(RetryBudgetOptions::default()),
        ..FleetOptions::default()
    });
    assert_eq!(run(&options, 7), run(&options, 7));
    assert_ne!(run(&options, 7).fleets, run(&options, 8).fleets);
}

#[test]
fn fleets_see_the_same_arrivals() {
    let mut options = poisson(10, 10.0, 10.0);
    options.server.timeline = vec![down(2.0, 4.0)];
    options.fleets.push(FleetOptions {
        name: String::from("default"),
        ..FleetOptions::default()
    });
    let report = run(&options, 3);
    let offered: Vec<Vec<u64>> = report
        .fleets
        .iter()
        .map(|f| f.series.iter().map(|b| b.offered).collect())
        .collect();
    assert_eq!(offered[0], offered[1]);
}

#[test]
fn a_healthy_server_answers_in_two_network_hops_plus_its_latency() {
    let t = totals(&once(50, 5.0, Vec::new()));
    assert_eq!(
        (t.offered, t.attempts, t.succeeded, t.failed),
        (50, 50, 50, 0)
    );
    // 1 ms up + 5 ms latency + 1 ms down.
    assert_eq!((t.p50_ms, t.p99_ms), (Some(7.0), Some(7.0)));
    assert_eq!(t.amplification, 1.0);
    assert_eq!(t.recovery_s, None);
}

#[test]
fn immediate_retries_against_a_dead_server_amplify_by_the_attempt_count() {
    let t = totals(&once(40, 10.0, vec![down(0.0, 10.0)]));
    assert_eq!(t.attempts, 40 * 5);
    assert_eq!(t.outage_amplification, Some(5.0));
    assert_eq!((t.succeeded, t.failed, t.unfinished), (0, 40, 0));
    assert_eq!(t.give_ups.attempts_exhausted, 40);
    // Each attempt is refused in 1 + 1 + 1 ms: five of them take 15 ms.
    assert!(t.last_end_s.unwrap() <= 1.1 + 0.015 + 1e-9);
}

#[test]
fn a_hanging_server_costs_each_attempt_the_full_timeout() {
    let mut options = once(
        10,
        20.0,
        vec![PhaseOptions {
            state: ServerState::Hang,
            ..down(0.0, 20.0)
        }],
    );
    options.fleets = vec![fleet("two", 2)];
    let t = totals(&options);
    assert_eq!((t.attempts, t.failed), (20, 10));
    // Two 1 s timeouts, no backoff: done by 1.1 + 2 s.
    let last = t.last_end_s.unwrap();
    assert!((3.0..=3.1 + 1e-9).contains(&last), "{last}");
}

#[test]
fn the_server_sheds_what_exceeds_its_queue() {
    // 100 simultaneous requests at 10 req/s with no queue: the first is
    // served, the other 99 are refused (and not retried).
    let mut options = once(100, 5.0, Vec::new());
    options.clients.workload = Workload::Once(OnceOptions {
        at_s: 1.0,
        spread_ms: 0.0,
    });
    options.server.capacity_rps = 10.0;
    options.server.max_queue_ms = 0.0;
    options.fleets = vec![fleet("once", 1)];
    let t = totals(&options);
    assert_eq!((t.succeeded, t.failed), (1, 99));
    // With a queue of 1 s, ten are served (0, 100, …, 900 ms of wait,
    // 900 ms < 1 s timeout minus 7 ms of round trip) and the rest refused.
    options.server.max_queue_ms = 1_000.0;
    let t = totals(&options);
    assert_eq!((t.succeeded, t.failed), (10, 90));
}

#[test]
fn three_layers_of_three_attempts_send_twenty_seven_per_request() {
    let mut options = once(4, 60.0, vec![down(0.0, 60.0)]);
    options.clients.layers = 3;
    options.fleets = vec![FleetOptions {
        name: String::from("3 attempts"),
        ..FleetOptions::default()
    }];
    let t = totals(&options);
    assert_eq!(t.attempts_per_layer, vec![4 * 3, 4 * 9, 4 * 27]);
    assert_eq!(t.attempts, 4 * 27);
    assert_eq!((t.failed, t.unfinished), (4, 0));
}

/// Finagle-style ratio budget: retries ≤ percent × requests + reserve.
fn budget(percent: f64, reserve_per_s: f64) -> Option<RetryBudgetOptions> {
    Some(RetryBudgetOptions::Ratio(RatioBudgetOptions {
        retry_percent: percent,
        min_retries_per_second: reserve_per_s,
        ..RatioBudgetOptions::default()
    }))
}

#[test]
fn a_budget_bounds_amplification_by_its_ratio_plus_reserve() {
    let (clients, rate, duration) = (5u32, 40.0, 60.0);
    let mut options = poisson(clients, rate, duration);
    options.server.timeline = vec![down(0.0, duration)];
    options.fleets = vec![FleetOptions {
        budget: budget(20.0, 1.0),
        ..fleet("budget", 10)
    }];
    let t = totals(&options);
    let retries = (t.attempts - t.offered) as f64;
    // Reserve: 1 retry/s per client, over the run plus one ttl of slack.
    let bound = 0.2 * t.offered as f64 + f64::from(clients) * (duration + 10.0);
    assert!(retries <= bound, "{retries} > {bound}");
    assert!(
        retries >= 0.2 * t.offered as f64,
        "the budget was not used: {retries}"
    );
    assert!(t.amplification < 1.2 + 0.1 + 0.01, "{}", t.amplification);
    assert!(t.give_ups.budget_exhausted > 0);
}

#[test]
fn budgets_per_layer_multiply_their_ratios_not_the_attempts() {
    let mut options = poisson(5, 40.0, 60.0);
    options.server.timeline = vec![down(0.0, 60.0)];
    options.clients.layers = 3;
    options.fleets = vec![FleetOptions {
        budget: budget(10.0, 0.0),
        ..fleet("budget", 3)
    }];
    let t = totals(&options);
    let per_request: Vec<f64> = t
        .attempts_per_layer
        .iter()
        .map(|&a| a as f64 / t.offered as f64)
        .collect();
    // Each layer adds at most 10 %: 1.1, 1.21, 1.331 (and not 3, 9, 27).
    for (layer, bound) in per_request.iter().zip([1.1, 1.21, 1.331]) {
        assert!(*layer <= bound + 0.01, "{per_request:?}");
    }
    assert!(per_request[2] > 1.25, "{per_request:?}");
}

#[test]
fn an_open_breaker_fails_requests_fast_without_sending_them() {
    let mut options = poisson(5, 40.0, 30.0);
    options.server.timeline = vec![down(0.0, 30.0)];
    options.fleets = vec![FleetOptions {
        breaker: Some(BreakerOptions {
            window_size: 20,
            minimum_calls: 20,
            open_duration_ms: 5_000.0,
            ..BreakerOptions::default()
        }),
        ..fleet("breaker", 1)
    }];
    let t = totals(&options);
    assert!(t.breaker_openings >= 5, "{t:?}");
    assert!(t.breaker_rejections > t.offered / 2, "{t:?}");
    assert_eq!(t.attempts + t.breaker_rejections, t.offered);
}

#[test]
fn recovery_is_measured_from_the_end_of_the_outage() {
    let mut options = poisson(10, 50.0, 30.0);
    options.server.capacity_rps = 1_000.0;
    options.server.timeline = vec![down(10.0, 15.0)];
    options.fleets = vec![
        fleet("no retries", 1),
        FleetOptions {
            name: String::from("long waits"),
            policy: PolicyOptions {
                max_attempts: 10,
                backoff: presets::ioredis_v5(),
                ..PolicyOptions::default()
            },
            ..FleetOptions::default()
        },
    ];
    let report = run(&options, 1);
    // Without retries nothing outlives the outage: back at once.
    assert_eq!(report.fleets[0].totals.recovery_s, Some(0.0));
    // ioredis 5 waits up to 2 s between attempts and gives up after 10:
    // requests from the end of the outage still fail for a few seconds.
    let late = report.fleets[1].totals.recovery_s.unwrap();
    assert!((1.0..=10.0).contains(&late), "{late}");
    assert_eq!(
        report.outage,
        Some(OutageWindow {
            from_s: 10.0,
            to_s: 15.0
        })
    );
}

#[test]
fn invalid_options_name_the_field_and_the_fleet() {
    let mut options = once(1, 1.0, Vec::new());
    options.duration_s = 0.0;
    assert_eq!(
        Storm::new(&options).unwrap_err().source.field(),
        "durationS"
    );
    let mut options = once(1, 1.0, Vec::new());
    options.fleets.clear();
    assert_eq!(Storm::new(&options).unwrap_err().source.field(), "fleets");
    let mut options = once(1, 1.0, Vec::new());
    options.fleets[0].policy.max_attempts = 0;
    let err = Storm::new(&options).unwrap_err();
    assert_eq!(
        (err.fleet.as_deref(), err.source.field()),
        (Some("naive"), "maxAttempts")
    );
    let mut options = once(1, 1.0, Vec::new());
    options.fleets[0].backoff_preset = Some(String::from("nope"));
    assert_eq!(
        Storm::new(&options).unwrap_err().source.field(),
        "backoffPreset"
    );
}

fn occ(runs: u32) -> OccOptions {
    let expo = |jitter| FleetOptions {
        name: String::from("v"),
        policy: PolicyOptions {
            max_attempts: u32::MAX,
            backoff: crate::backoff::BackoffOptions {
                base_ms: 10.0,
                max_ms: 2_000.0,
                jitter,
                ..crate::backoff::BackoffOptions::default()
            },
            ..PolicyOptions::default()
        },
        ..FleetOptions::default()
    };
    use crate::backoff::{BackoffOptions, Jitter, Schedule};
    OccOptions {
        clients_from: 100,
        clients_to: 100,
        runs,
        variants: vec![
            expo(Jitter::None),
            expo(Jitter::Full),
            expo(Jitter::Equal),
            FleetOptions {
                policy: PolicyOptions {
                    max_attempts: u32::MAX,
                    backoff: BackoffOptions {
                        schedule: Schedule::Decorrelated,
                        base_ms: 5.0,
                        max_ms: 2_000.0,
                        ..BackoffOptions::default()
                    },
                    ..PolicyOptions::default()
                },
                ..expo(Jitter::None)
            },
        ],
        ..OccOptions::default()
    }
}

#[test]
fn occ_reproduces_the_published_ordering_of_work_over_seeds() {
    let experiment = Occ::new(&occ(8)).unwrap();
    for seed in 1..=4 {
        let point = experiment.run_point(100, seed);
        let calls: Vec<f64> = point.results.iter().map(|r| r.calls).collect();
        let [none, full, equal, decorrelated] = calls[..] else {
            panic!("{calls:?}");
        };
        assert!(none > 1.5 * decorrelated, "seed {seed}: {calls:?}");
        assert!(
            decorrelated > full && decorrelated > equal,
            "seed {seed}: {calls:?}"
        );
        assert!((full - equal).abs() < 0.1 * full, "seed {seed}: {calls:?}");
        // Every client eventually writes: at least one call each.
        assert!(full >= 100.0);
        assert!(point.results.iter().all(|r| r.gave_up == 0.0));
    }
}

#[test]
fn occ_with_one_client_writes_once_in_four_network_delays() {
    let mut options = occ(20);
    options.clients_from = 1;
    options.clients_to = 1;
    options.network_sd_ms = 0.0;
    let point = Occ::new(&options).unwrap().run_point(1, 1);
    for result in &point.results {
        assert_eq!(result.calls, 1.0);
        assert!((result.completion_ms - 40.0).abs() < 1e-6, "{result:?}");
    }
}

#[test]
fn occ_refuses_a_breaker() {
    let mut options = occ(1);
    options.variants[0].breaker = Some(BreakerOptions::default());
    assert_eq!(Occ::new(&options).unwrap_err().source.field(), "breaker");
}
