//! The plain-data description of a storm: server, clients, fleets.
//!
//! Why plain data: scenarios are written by people (TOML or JSON files) and
//! by the built-in examples alike, and the policy part of a fleet must use
//! the very option names the bindings expose ([`PolicyOptions`],
//! [`RetryBudgetOptions`], [`BreakerOptions`]). Validation happens once, in
//! [`super::Storm::new`], and names the bad field.
//!
//! Constraints: no logic here besides defaults; every duration is `f64`
//! milliseconds (`…Ms`) or seconds (`…S`) as the name says.

use alloc::string::String;
use alloc::vec::Vec;

use crate::backoff::BackoffOptions;
use crate::breaker::BreakerOptions;
use crate::budget::RetryBudgetOptions;
use crate::policy::PolicyOptions;

/// A whole storm scenario: one server, one client population, and the fleets
/// (policies) compared side by side. Each fleet runs against its own copy of
/// the server with the same arrivals (same seed), so differences come from
/// the policy alone.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", deny_unknown_fields, default)
)]
pub struct StormOptions {
    /// Short name shown in reports.
    pub name: String,
    /// One sentence on what the scenario shows.
    pub description: String,
    /// Virtual time simulated, in seconds (`durationS`, 1 ..= 86 400).
    pub duration_s: f64,
    /// Width of a metrics bucket in milliseconds (`bucketMs`, 10 ..= 60 000,
    /// default 1 000).
    pub bucket_ms: f64,
    /// The server every fleet talks to.
    pub server: ServerOptions,
    /// The client population each fleet drives.
    pub clients: ClientOptions,
    /// The policies compared, each run separately.
    pub fleets: Vec<FleetOptions>,
}

impl Default for StormOptions {
    fn default() -> Self {
        Self {
            name: String::from("storm"),
            description: String::new(),
            duration_s: 60.0,
            bucket_ms: 1_000.0,
            server: ServerOptions::default(),
            clients: ClientOptions::default(),
            fleets: Vec::new(),
        }
    }
}

/// What the server does with requests beyond its capacity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub enum Overload {
    /// Refuse (fast) a request that would wait longer than `maxQueueMs` for
    /// capacity: load shedding.
    #[default]
    Reject,
    /// Queue every request however long the wait; a client may time out
    /// while the server still does the work (the wasted work of a
    /// congestion collapse).
    Queue,
}

/// The server: a capacity, a latency and a failure timeline.
///
/// Capacity is modelled as a single FIFO "virtual queue": each admitted
/// request occupies `1 / capacityRps` seconds of the server's time, a request
/// starts when the server is free, and its response leaves `latencyMs` after
/// it starts.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", deny_unknown_fields, default)
)]
pub struct ServerOptions {
    /// Requests per second the server completes at most (`capacityRps`,
    /// 0.001 ..= 10 000 000, default 1 000).
    pub capacity_rps: f64,
    /// Time from the start of service to the response (`latencyMs`, default 5).
    pub latency_ms: f64,
    /// What happens above capacity (`overload`, default `reject`).
    pub overload: Overload,
    /// With `reject`: the longest a request may wait for capacity before it
    /// is refused (`maxQueueMs`, default 100). Ignored by `queue`.
    pub max_queue_ms: f64,
    /// How long a refusal takes (`refusalMs`, default 1): a closed port or a
    /// shed request answers fast.
    pub refusal_ms: f64,
    /// Failure phases; outside them the server is up.
    pub timeline: Vec<PhaseOptions>,
}

impl Default for ServerOptions {
    fn default() -> Self {
        Self {
            capacity_rps: 1_000.0,
            latency_ms: 5.0,
            overload: Overload::Reject,
            max_queue_ms: 100.0,
            refusal_ms: 1.0,
            timeline: Vec::new(),
        }
    }
}

/// How the server fails during a phase.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub enum ServerState {
    /// Down, refusing connections fast (`refusalMs`).
    #[default]
    Down,
    /// Down, never answering: every attempt ends with the client's timeout.
    Hang,
    /// Up, but a fraction `errorRate` of the served requests fail.
    Degraded,
}

/// One failure phase of the server, `[fromS, toS)`.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", deny_unknown_fields, default)
)]
pub struct PhaseOptions {
    /// Start of the phase in seconds of virtual time (`fromS`).
    pub from_s: f64,
    /// End of the phase (`toS`), after `fromS`.
    pub to_s: f64,
    /// How the server fails (`state`, default `down`).
    pub state: ServerState,
    /// With `degraded`: the fraction of served requests that fail
    /// (`errorRate`, 0 ..= 1, default 0.5).
    pub error_rate: f64,
}

impl Default for PhaseOptions {
    fn default() -> Self {
        Self {
            from_s: 0.0,
            to_s: 0.0,
            state: ServerState::Down,
            error_rate: 0.5,
        }
    }
}

/// When clients start operations.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(tag = "type", rename_all = "camelCase")
)]
pub enum Workload {
    /// Each client starts operations as a Poisson process of `rateRps`.
    Poisson(PoissonOptions),
    /// Each client starts exactly one operation at `atS` plus a uniform
    /// spread (a reconnection after a restart).
    Once(OnceOptions),
}

impl Default for Workload {
    fn default() -> Self {
        Self::Poisson(PoissonOptions::default())
    }
}

/// Options of [`Workload::Poisson`].
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", deny_unknown_fields, default)
)]
pub struct PoissonOptions {
    /// Operations per second per client (`rateRps`, 0.0001 ..= 1 000 000,
    /// default 1).
    pub rate_rps: f64,
}

impl Default for PoissonOptions {
    fn default() -> Self {
        Self { rate_rps: 1.0 }
    }
}

/// Options of [`Workload::Once`].
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", deny_unknown_fields, default)
)]
pub struct OnceOptions {
    /// When the operations start, in seconds (`atS`, default 0).
    pub at_s: f64,
    /// Start times spread uniformly over this many milliseconds
    /// (`spreadMs`, default 0).
    pub spread_ms: f64,
}

impl Default for OnceOptions {
    fn default() -> Self {
        Self {
            at_s: 0.0,
            spread_ms: 0.0,
        }
    }
}

/// The client population.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", deny_unknown_fields, default)
)]
pub struct ClientOptions {
    /// Number of clients (`count`, 1 ..= 10 000 000, default 100). Each has
    /// its own policy state, budget and breaker, as separate processes would.
    pub count: u32,
    /// When operations start (`workload`, default Poisson at 1 rps).
    pub workload: Workload,
    /// One-way network delay in milliseconds (`networkMs`, default 1).
    pub network_ms: f64,
    /// Extra one-way delay drawn uniformly in `[0, networkJitterMs)`
    /// (`networkJitterMs`, default 0).
    pub network_jitter_ms: f64,
    /// Per-attempt timeout at the bottom layer (`timeoutMs`, > 0, default
    /// 1 000).
    pub timeout_ms: f64,
    /// Service layers stacked on top of each other, each retrying with the
    /// fleet's policy (`layers`, 1 ..= 8, default 1). Layer 1 receives the
    /// operations; the last layer talks to the server; an attempt of layer
    /// `k` is an operation of layer `k + 1`.
    pub layers: u32,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            count: 100,
            workload: Workload::default(),
            network_ms: 1.0,
            network_jitter_ms: 0.0,
            timeout_ms: 1_000.0,
            layers: 1,
        }
    }
}

/// One policy under test: what every client of the fleet runs.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", deny_unknown_fields, default)
)]
pub struct FleetOptions {
    /// Name in reports (`name`).
    pub name: String,
    /// The retry policy (`policy`), in the bindings' option names.
    pub policy: PolicyOptions,
    /// Replace `policy.backoff` by a named preset of
    /// [`crate::backoff::presets::by_name`] (`backoffPreset`, e.g.
    /// `"ioredisV6"`).
    pub backoff_preset: Option<String>,
    /// Positional arguments of the preset (`backoffPresetArgs`).
    pub backoff_preset_args: Vec<f64>,
    /// A retry budget per client (`budget`), or none.
    pub budget: Option<RetryBudgetOptions>,
    /// A circuit breaker per client (`breaker`), or none.
    pub breaker: Option<BreakerOptions>,
}

impl FleetOptions {
    /// The policy options with the preset applied.
    ///
    /// # Errors
    /// [`crate::ConfigError`] naming `backoffPreset` (unknown name, or both a
    /// preset and a non-default `policy.backoff`) or `args`.
    pub fn resolved_policy(&self) -> Result<PolicyOptions, crate::ConfigError> {
        let mut policy = self.policy.clone();
        if let Some(name) = &self.backoff_preset {
            if policy.backoff != BackoffOptions::default() {
                return Err(crate::ConfigError::Invalid {
                    field: "backoffPreset",
                    reason: "cannot be combined with `policy.backoff`: give one of them",
                });
            }
            policy.backoff = crate::backoff::presets::by_name(name, &self.backoff_preset_args)
                .map_err(|error| match error.field() {
                    "preset" => crate::ConfigError::Invalid {
                        field: "backoffPreset",
                        reason: "is not a known backoff preset",
                    },
                    _ => error,
                })?;
        } else if !self.backoff_preset_args.is_empty() {
            return Err(crate::ConfigError::Invalid {
                field: "backoffPresetArgs",
                reason: "needs `backoffPreset`",
            });
        }
        Ok(policy)
    }
}
