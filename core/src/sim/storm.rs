//! A validated storm scenario and its report.
//!
//! Why: options are checked once, before any fleet runs, and every error
//! names the field and, for a fleet's policy, the fleet. A [`Storm`] can then
//! hand out one [`Simulation`] per fleet, all with the same arrivals for a
//! seed, so fleets differ only by their policy.
//!
//! Constraints: [`Storm::new`] is the only fallible step; runs cannot fail.

use alloc::string::String;
use alloc::vec::Vec;

use super::arrivals::Arrivals;
use super::engine::{Setup, Simulation, Template};
use super::guard::Guard;
use super::metrics::FleetReport;
use super::options::{StormOptions, Workload};
use super::server::{Server, seconds};
use crate::ConfigError;
use crate::budget::RetryBudget;
use crate::policy::Policy;
use crate::time::{Instant, duration_from_millis_f64};

/// A scenario option that cannot be used, and where it is.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{}{source}", match fleet { Some(name) => alloc::format!("fleet \"{name}\": "), None => String::new() })]
pub struct StormError {
    /// The fleet whose options are wrong, by name; `None` for the scenario's
    /// own options.
    pub fleet: Option<String>,
    /// What is wrong.
    pub source: ConfigError,
}

impl From<ConfigError> for StormError {
    fn from(source: ConfigError) -> Self {
        Self {
            fleet: None,
            source,
        }
    }
}

/// The window in which the server is failing, in seconds.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub struct OutageWindow {
    /// Start of the first failure phase.
    pub from_s: f64,
    /// End of the last failure phase: the server's recovery.
    pub to_s: f64,
}

/// Every fleet's results for one seed.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub struct StormReport {
    /// The scenario's name.
    pub name: String,
    /// The scenario's description.
    pub description: String,
    /// The seed of the run.
    pub seed: u64,
    /// Virtual seconds simulated.
    pub duration_s: f64,
    /// Width of a series bucket in ms.
    pub bucket_ms: f64,
    /// The server's capacity in requests per second.
    pub capacity_rps: f64,
    /// Number of clients.
    pub clients: u32,
    /// Layers each retrying.
    pub layers: u32,
    /// Whether every client starts exactly one operation (a reconnection
    /// storm) rather than a steady stream.
    pub one_shot: bool,
    /// When the server was failing.
    pub outage: Option<OutageWindow>,
    /// One report per fleet, in the scenario's order.
    pub fleets: Vec<FleetReport>,
}

/// A validated storm scenario: see [`crate::sim`] for the model.
#[derive(Debug)]
pub struct Storm {
    name: String,
    description: String,
    bucket_ms: f64,
    setup: Setup,
    fleets: Vec<(String, Template)>,
}

impl Storm {
    /// Validates `options`.
    ///
    /// # Errors
    /// [`StormError`] naming the first bad option: `durationS` (0.001 ..=
    /// 86 400), `bucketMs` (10 ..= 60 000), the server's and clients' fields
    /// (see [`super::ServerOptions`], [`super::ClientOptions`]), `fleets`
    /// (empty), or a fleet's policy, preset or budget option.
    pub fn new(options: &StormOptions) -> Result<Self, StormError> {
        let duration_s =
            ConfigError::check_range("durationS", options.duration_s, 0.001, 86_400.0)?;
        let bucket_ms = ConfigError::check_range("bucketMs", options.bucket_ms, 10.0, 60_000.0)?;
        let server = Server::new(&options.server)?;
        let clients = &options.clients;
        ConfigError::check_range("count", f64::from(clients.count), 1.0, 10_000_000.0)?;
        ConfigError::check_range("layers", f64::from(clients.layers), 1.0, 8.0)?;
        let timeout = duration_from_millis_f64("timeoutMs", clients.timeout_ms)?;
        if timeout.is_zero() {
            return Err(ConfigError::Invalid {
                field: "timeoutMs",
                reason: "must be greater than 0",
            }
            .into());
        }
        let arrivals = match &clients.workload {
            Workload::Poisson(poisson) => {
                let rate = ConfigError::check_range("rateRps", poisson.rate_rps, 1e-4, 1e6)?;
                Arrivals::Poisson {
                    mean_gap_ns: 1e9 / rate,
                }
            }
            Workload::Once(once) => Arrivals::Once {
                at: seconds("atS", once.at_s)?,
                spread_ns: duration_from_millis_f64("spreadMs", once.spread_ms)?.as_nanos() as f64,
            },
        };
        let outage = server
            .phases()
            .iter()
            .fold(None, |window, phase| match window {
                None => Some((phase.from, phase.to)),
                Some((from, to)) => Some((
                    core::cmp::min(from, phase.from),
                    core::cmp::max(to, phase.to),
                )),
            });
        let setup = Setup {
            end: seconds("durationS", duration_s)?,
            duration_s,
            bucket_ns: duration_from_millis_f64("bucketMs", bucket_ms)?.as_nanos() as u64,
            server,
            clients: clients.count,
            layers: clients.layers,
            arrivals,
            network: duration_from_millis_f64("networkMs", clients.network_ms)?,
            network_jitter_ns: duration_from_millis_f64(
                "networkJitterMs",
                clients.network_jitter_ms,
            )?
            .as_nanos() as f64,
            timeout,
            outage,
        };
        if options.fleets.is_empty() {
            return Err(ConfigError::Invalid {
                field: "fleets",
                reason: "must list at least one fleet",
            }
            .into());
        }
        let mut fleets = Vec::with_capacity(options.fleets.len());
        for fleet in &options.fleets {
            let in_fleet = |source| StormError {
                fleet: Some(fleet.name.clone()),
                source,
            };
            let policy = fleet.resolved_policy().map_err(in_fleet)?;
            let agent = Template {
                policy: Policy::new(&policy).map_err(in_fleet)?,
                budget: match &fleet.budget {
                    Some(budget) => Some(RetryBudget::new(budget).map_err(in_fleet)?),
                    None => None,
                },
                guard: Guard::new(fleet).map_err(in_fleet)?,
            };
            fleets.push((fleet.name.clone(), agent));
        }
        Ok(Self {
            name: options.name.clone(),
            description: options.description.clone(),
            bucket_ms,
            setup,
            fleets,
        })
    }

    /// The fleets' names, in order.
    pub fn fleet_names(&self) -> impl Iterator<Item = &str> {
        self.fleets.iter().map(|(name, _)| name.as_str())
    }

    /// Number of fleets.
    pub fn fleet_count(&self) -> usize {
        self.fleets.len()
    }

    /// When every run ends.
    pub fn end(&self) -> Instant {
        self.setup.end
    }

    /// A run of fleet `index` (in the scenario's order) for `seed`, ready to
    /// be driven; `None` if there is no such fleet.
    pub fn simulation(&self, index: usize, seed: u64) -> Option<Simulation> {
        let (name, agent) = self.fleets.get(index)?;
        Some(Simulation::new(name.clone(), &self.setup, agent, seed))
    }

    /// Assembles fleet reports (in the scenario's order) into the storm's
    /// report.
    pub fn report(&self, seed: u64, fleets: Vec<FleetReport>) -> StormReport {
        StormReport {
            name: self.name.clone(),
            description: self.description.clone(),
            seed,
            duration_s: self.setup.duration_s,
            bucket_ms: self.bucket_ms,
            capacity_rps: self.setup.server.capacity_rps,
            clients: self.setup.clients,
            layers: self.setup.layers,
            one_shot: matches!(self.setup.arrivals, Arrivals::Once { .. }),
            outage: self.setup.outage.map(|(from, to)| OutageWindow {
                from_s: from.as_nanos() as f64 / 1e9,
                to_s: to.as_nanos() as f64 / 1e9,
            }),
            fleets,
        }
    }

    /// Runs every fleet, one after the other, and reports.
    pub fn run(&self, seed: u64) -> StormReport {
        let fleets = (0..self.fleets.len())
            .filter_map(|index| self.simulation(index, seed))
            .map(Simulation::finish)
            .collect();
        self.report(seed, fleets)
    }
}
