//! `stormguard bench`: how fast the simulator runs, in client-seconds of
//! virtual time per second of wall time.
//!
//! The workload is the target the simulator is sized for: 10 000 clients,
//! 10 minutes of virtual time, one request per client per second, a 60 s
//! outage in the middle, and stormguard's default policy with a retry
//! budget — one fleet, on one thread.

use std::time::Instant as WallClock;

use stormguard::budget::RetryBudgetOptions;
use stormguard::sim::{
    ClientOptions, FleetOptions, PhaseOptions, PoissonOptions, ServerOptions, Storm, StormOptions,
    Workload,
};

use crate::args::{Args, CliError, Token};
use crate::out;

const HELP: &str = "\
stormguard bench — measure simulation speed

usage: stormguard bench [--clients N] [--seconds S] [--rate R]

options:
  --clients N   clients (default 10000)
  --seconds S   virtual seconds (default 600)
  --rate R      requests per client per second (default 1)
";

/// The benchmark scenario.
pub(crate) fn scenario(clients: u32, seconds: f64, rate: f64) -> StormOptions {
    StormOptions {
        name: "bench".to_owned(),
        description: "simulator speed".to_owned(),
        duration_s: seconds,
        server: ServerOptions {
            capacity_rps: f64::from(clients) * rate * 1.5,
            timeline: vec![PhaseOptions {
                from_s: seconds / 2.0,
                to_s: seconds / 2.0 + seconds / 10.0,
                ..PhaseOptions::default()
            }],
            ..ServerOptions::default()
        },
        clients: ClientOptions {
            count: clients,
            workload: Workload::Poisson(PoissonOptions { rate_rps: rate }),
            ..ClientOptions::default()
        },
        fleets: vec![FleetOptions {
            name: "stormguard+budget".to_owned(),
            budget: Some(RetryBudgetOptions::default()),
            ..FleetOptions::default()
        }],
        ..StormOptions::default()
    }
}

pub(crate) fn command(mut args: Args) -> Result<(), CliError> {
    let (mut clients, mut seconds, mut rate) = (10_000u32, 600.0, 1.0);
    while let Some(token) = args.next_token()? {
        match token {
            Token::Flag { name, .. } => match name.as_str() {
                "help" => return out(HELP),
                "clients" => clients = args.parsed("a whole number of clients")?,
                "seconds" => seconds = args.number()?,
                "rate" => rate = args.number()?,
                _ => return Err(args.unknown("bench")),
            },
            Token::Positional(word) => {
                return Err(CliError::usage(format!("unexpected argument `{word}`")));
            }
        }
    }
    let storm = Storm::new(&scenario(clients, seconds, rate))
        .map_err(|e| CliError::usage(format!("bench: {e}")))?;
    let started = WallClock::now();
    let report = storm.run(1);
    let wall = started.elapsed().as_secs_f64();
    let totals = report
        .fleets
        .first()
        .map(|f| f.totals.clone())
        .unwrap_or_default();
    let client_seconds = f64::from(clients) * seconds;
    out(&format!(
        "{clients} clients × {seconds} s virtual ({} requests, {} attempts, {} events) in {wall:.2} s wall\n\
         {:.2} M client-seconds per second; {:.2} M events per second\n",
        totals.offered,
        totals.attempts,
        totals.events,
        client_seconds / wall / 1e6,
        totals.events as f64 / wall / 1e6,
    ))
}
