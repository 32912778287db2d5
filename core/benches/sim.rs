#![allow(missing_docs)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

//! Simulator throughput: one storm run of 1 000 clients × 60 s of virtual
//! time (1 request per client per second, a 6 s outage, stormguard's default
//! policy with a retry budget). Client-seconds per wall-second is
//! 60 000 / the time per iteration.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use stormguard::budget::RetryBudgetOptions;
use stormguard::sim::{
    ClientOptions, FleetOptions, PhaseOptions, PoissonOptions, ServerOptions, Storm, StormOptions,
    Workload,
};

fn storm(clients: u32, seconds: f64) -> Storm {
    Storm::new(&StormOptions {
        duration_s: seconds,
        server: ServerOptions {
            capacity_rps: f64::from(clients) * 1.5,
            timeline: vec![PhaseOptions {
                from_s: seconds / 2.0,
                to_s: seconds / 2.0 + seconds / 10.0,
                ..PhaseOptions::default()
            }],
            ..ServerOptions::default()
        },
        clients: ClientOptions {
            count: clients,
            workload: Workload::Poisson(PoissonOptions { rate_rps: 1.0 }),
            ..ClientOptions::default()
        },
        fleets: vec![FleetOptions {
            name: "stormguard+budget".to_owned(),
            budget: Some(RetryBudgetOptions::default()),
            ..FleetOptions::default()
        }],
        ..StormOptions::default()
    })
    .unwrap()
}

fn run(c: &mut Criterion) {
    let storm = storm(1_000, 60.0);
    let mut group = c.benchmark_group("sim");
    group.sample_size(10);
    group.bench_function("1000 clients x 60 s", |b| {
        b.iter(|| black_box(storm.run(black_box(1))));
    });
    group.finish();
}

criterion_group!(benches, run);
criterion_main!(benches);
