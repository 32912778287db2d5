//! The AWS "Exponential Backoff And Jitter" experiment (2015), rebuilt on
//! the real policy.
//!
//! Why: it is the published result everyone cites for jitter, so a user can
//! check that our backoffs reproduce it: without jitter, contending clients
//! stay synchronised and do far more work; full jitter does about the least.
//!
//! ```text
//! N clients, one row with a version, each client writes it once:
//!   read    client ──net──▶ server ──net──▶ client      (learns the version)
//!   write   client ──net──▶ server: version unchanged? bump it, success : failure
//!           server ──net──▶ client
//!   failure policy.on_failure → Retry{delay}: read again, arriving at the
//!           server after net + delay
//! net = |Normal(networkMeanMs, networkSdMs)|; calls = writes the server saw
//! completion = instant of the last event; both averaged over `runs` runs
//! ```
//!
//! The published backoffs map onto [`crate::backoff`] options exactly:
//! `expo(n) = min(cap, base·2ⁿ)` with `n` from 1 is `exponential` with
//! `baseMs = 2·base`; decorrelated is `decorrelated` with `baseMs = base`.
//!
//! Constraints: deterministic for a seed; each run uses its own streams.

use alloc::string::String;
use alloc::vec::Vec;

use super::dist::{mix, normal, stream};
use super::events::EventQueue;
use super::options::FleetOptions;
use super::storm::StormError;
use crate::ConfigError;
use crate::budget::RetryBudget;
use crate::policy::{Decision, Execution, Failure, Guards, Policy};
use crate::time::{Instant, duration_from_nanos_f64};

/// The experiment's options; the defaults are the published ones.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", deny_unknown_fields, default)
)]
pub struct OccOptions {
    /// Short name shown in reports.
    pub name: String,
    /// One sentence on what the experiment shows.
    pub description: String,
    /// Smallest number of clients (`clientsFrom`, default 10).
    pub clients_from: u32,
    /// Largest number of clients (`clientsTo`, default 190).
    pub clients_to: u32,
    /// Step between points (`clientsStep`, default 20).
    pub clients_step: u32,
    /// Runs averaged per point (`runs`, 1 ..= 100 000, default 100).
    pub runs: u32,
    /// Mean one-way network delay in ms (`networkMeanMs`, default 10).
    pub network_mean_ms: f64,
    /// Its standard deviation in ms (`networkSdMs`, default 2).
    pub network_sd_ms: f64,
    /// The backoffs compared (their `policy` and optional `budget`).
    pub variants: Vec<FleetOptions>,
}

impl Default for OccOptions {
    fn default() -> Self {
        Self {
            name: String::from("occ"),
            description: String::new(),
            clients_from: 10,
            clients_to: 190,
            clients_step: 20,
            runs: 100,
            network_mean_ms: 10.0,
            network_sd_ms: 2.0,
            variants: Vec::new(),
        }
    }
}

/// One variant's averages at one point.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub struct OccResult {
    /// Writes the server handled, per run.
    pub calls: f64,
    /// Time until the last client finished, per run, in ms.
    pub completion_ms: f64,
    /// Clients that gave up, per run.
    pub gave_up: f64,
}

/// All variants at one number of clients.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub struct OccPoint {
    /// Number of contending clients.
    pub clients: u32,
    /// One result per variant, in the options' order.
    pub results: Vec<OccResult>,
}

/// The experiment's results.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub struct OccReport {
    /// The experiment's name.
    pub name: String,
    /// Its description.
    pub description: String,
    /// The seed of the run.
    pub seed: u64,
    /// Runs averaged per point.
    pub runs: u32,
    /// The variants' names, in order.
    pub variants: Vec<String>,
    /// One point per number of clients.
    pub points: Vec<OccPoint>,
}

/// A validated experiment.
#[derive(Debug)]
pub struct Occ {
    options: OccOptions,
    variants: Vec<(String, Policy, Option<RetryBudget>)>,
    mean_ns: f64,
    sd_ns: f64,
}

#[derive(Clone, Copy, Debug)]
enum Step {
    ReadAtServer,
    ReadReply(u64),
    WriteAtServer,
    WriteReply(bool),
}

impl Occ {
    /// Validates `options`.
    ///
    /// # Errors
    /// [`StormError`] naming `clientsFrom`/`clientsTo` (1 ..= 100 000, from ≤
    /// to), `clientsStep` (≥ 1), `runs`, `networkMeanMs`, `networkSdMs`,
    /// `variants` (empty), a variant's policy or budget option, or `breaker`
    /// (not used by this experiment).
    pub fn new(options: &OccOptions) -> Result<Self, StormError> {
        let count = |field, value: u32| ConfigError::check_range(field, f64::from(value), 1.0, 1e5);
        count("clientsFrom", options.clients_from)?;
        count("clientsTo", options.clients_to)?;
        count("clientsStep", options.clients_step)?;
        count("runs", options.runs)?;
        if options.clients_to < options.clients_from {
            return Err(ConfigError::Invalid {
                field: "clientsTo",
                reason: "must not be smaller than `clientsFrom`",
            }
            .into());
        }
        let mean = ConfigError::check_range("networkMeanMs", options.network_mean_ms, 0.0, 1e6)?;
        let sd = ConfigError::check_range("networkSdMs", options.network_sd_ms, 0.0, 1e6)?;
        if options.variants.is_empty() {
            return Err(ConfigError::Invalid {
                field: "variants",
                reason: "must list at least one variant",
            }
            .into());
        }
        let mut variants = Vec::with_capacity(options.variants.len());
        for variant in &options.variants {
            let in_variant = |source| StormError {
                fleet: Some(variant.name.clone()),
                source,
            };
            let policy =
                Policy::new(&variant.resolved_policy().map_err(in_variant)?).map_err(in_variant)?;
            let budget = match &variant.budget {
                Some(budget) => Some(RetryBudget::new(budget).map_err(in_variant)?),
                None => None,
            };
            super::guard::Guard::reject_in_occ(variant).map_err(in_variant)?;
            variants.push((variant.name.clone(), policy, budget));
        }
        Ok(Self {
            options: options.clone(),
            variants,
            mean_ns: mean * 1e6,
            sd_ns: sd * 1e6,
        })
    }

    /// The numbers of clients measured, in order.
    pub fn points(&self) -> Vec<u32> {
        let o = &self.options;
        (o.clients_from..=o.clients_to)
            .step_by(o.clients_step.max(1) as usize)
            .collect()
    }

    /// Measures one point: every variant, `runs` runs each.
    pub fn run_point(&self, clients: u32, seed: u64) -> OccPoint {
        let runs = self.options.runs;
        let results = self
            .variants
            .iter()
            .map(|(_, policy, budget)| {
                let mut total = OccResult::default();
                for run in 0..runs {
                    let run_seed = mix(seed ^ mix((u64::from(clients) << 32) | u64::from(run)));
                    let one = self.run_once(clients, policy, budget.as_ref(), run_seed);
                    total.calls += one.calls;
                    total.completion_ms += one.completion_ms;
                    total.gave_up += one.gave_up;
                }
                let n = f64::from(runs);
                OccResult {
                    calls: total.calls / n,
                    completion_ms: total.completion_ms / n,
                    gave_up: total.gave_up / n,
                }
            })
            .collect();
        OccPoint { clients, results }
    }

    /// Measures every point and reports.
    pub fn run(&self, seed: u64) -> OccReport {
        let points = self
            .points()
            .into_iter()
            .map(|clients| self.run_point(clients, seed))
            .collect();
        self.report(seed, points)
    }

    /// Assembles measured points into the report.
    pub fn report(&self, seed: u64, points: Vec<OccPoint>) -> OccReport {
        OccReport {
            name: self.options.name.clone(),
            description: self.options.description.clone(),
            seed,
            runs: self.options.runs,
            variants: self
                .variants
                .iter()
                .map(|(name, ..)| name.clone())
                .collect(),
            points,
        }
    }

    /// One run with `clients` contending clients.
    fn run_once(
        &self,
        clients: u32,
        template: &Policy,
        budget: Option<&RetryBudget>,
        seed: u64,
    ) -> OccResult {
        let mut network = stream(seed, 0);
        let net = |rng: &mut crate::rng::SeededRng| {
            duration_from_nanos_f64(normal(rng, self.mean_ns, self.sd_ns).abs())
        };
        struct Client {
            policy: Policy,
            budget: Option<RetryBudget>,
            exec: Execution,
            version: u64,
            draws: crate::rng::SeededRng,
        }
        let mut queue = EventQueue::with_capacity(clients as usize);
        let mut states: Vec<Client> = (0..clients)
            .map(|c| {
                let mut policy = template.clone();
                let mut budget = budget.cloned();
                let exec = policy.start(Instant::ZERO, budget.as_mut());
                queue.push(Instant::ZERO + net(&mut network), (c, Step::ReadAtServer));
                Client {
                    policy,
                    budget,
                    exec,
                    version: 0,
                    draws: stream(seed, 1 + u64::from(c)),
                }
            })
            .collect();
        let (mut version, mut calls, mut gave_up, mut last) = (0u64, 0u64, 0u64, Instant::ZERO);
        while let Some(event) = queue.pop_until(Instant::MAX) {
            let now = event.at;
            last = now;
            let (c, step) = event.what;
            let Some(client) = states.get_mut(c as usize) else {
                continue;
            };
            match step {
                Step::ReadAtServer => {
                    queue.push(now + net(&mut network), (c, Step::ReadReply(version)))
                }
                Step::ReadReply(seen) => {
                    client.version = seen;
                    queue.push(now + net(&mut network), (c, Step::WriteAtServer));
                }
                Step::WriteAtServer => {
                    calls += 1;
                    let ok = client.version == version;
                    if ok {
                        version += 1;
                    }
                    queue.push(now + net(&mut network), (c, Step::WriteReply(ok)));
                }
                Step::WriteReply(true) => {
                    client
                        .policy
                        .on_success(&mut client.exec, now, client.budget.as_mut());
                }
                Step::WriteReply(false) => {
                    let u = client.draws.next_unit();
                    let guards = Guards {
                        budget: client.budget.as_mut(),
                        breaker: None,
                    };
                    match client.policy.on_failure(
                        &mut client.exec,
                        now,
                        &Failure::retriable(),
                        u,
                        guards,
                    ) {
                        Decision::Retry { delay, .. } => {
                            queue.push(now + net(&mut network) + delay, (c, Step::ReadAtServer))
                        }
                        Decision::GiveUp(_) => gave_up += 1,
                    }
                }
            }
        }
        OccResult {
            calls: calls as f64,
            completion_ms: last.as_nanos() as f64 / 1e6,
            gave_up: gave_up as f64,
        }
    }
}
