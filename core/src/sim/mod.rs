//! Storm simulator: many clients, one failing server, virtual time.
//!
//! ## Why
//!
//! Backoff, jitter, budgets and breakers are easy to configure and hard to
//! judge: their effect only shows when thousands of clients retry at once.
//! This module runs that situation in virtual time — a discrete-event
//! simulation driving the *real* [`Policy`](crate::policy::Policy),
//! [`Backoff`](crate::backoff::Backoff) and
//! [`RetryBudget`](crate::budget::RetryBudget) of every client — so a
//! configuration can be judged by numbers before it meets an outage.
//!
//! ## Model
//!
//! ```text
//! clients ─ operations (Poisson per client, or once each) ─▶ layer 1 ─▶ … ─▶ layer L ─▶ server
//!   each layer: policy (attempts, backoff, deadline) + budget + breaker per client
//!   server: capacity (FIFO virtual queue), latency, timeline of down / hang / degraded,
//!           above capacity: reject (shed after maxQueueMs) or queue
//!   attempt: network up + server + network down, or the client's timeout
//! fleets: the same clients and arrivals (same seed) under each policy, run separately
//! ```
//!
//! [`Storm`] runs the storm scenarios (`outage`, `reconnect`, `layers`) and
//! reports, per fleet, a time series and [`Totals`]; [`Occ`] runs the AWS
//! optimistic-concurrency experiment. Both are deterministic for a seed: the
//! event queue breaks ties by scheduling order, and every client draws from
//! its own streams derived from the seed (arrivals apart from decisions, so
//! every fleet sees the same arrivals).
//!
//! ## Constraints
//!
//! * No I/O: the host reads the scenario, drives the run, prints the report.
//! * `no_std` + `alloc`: the distributions use the crate's own float
//!   functions, so a seed gives the same numbers on every target.
//! * Options are validated once ([`Storm::new`], [`Occ::new`]); runs cannot
//!   fail or panic.

mod arrivals;
mod dist;
mod engine;
mod events;
mod guard;
mod metrics;
mod occ;
mod options;
mod server;
mod storm;
#[cfg(test)]
mod tests;

pub use engine::Simulation;
pub use metrics::{Bucket, FleetReport, RECOVERED_SUCCESS_RATE, Totals};
pub use occ::{Occ, OccOptions, OccPoint, OccReport, OccResult};
pub use options::{
    ClientOptions, FleetOptions, OnceOptions, Overload, PhaseOptions, PoissonOptions,
    ServerOptions, ServerState, StormOptions, Workload,
};
pub use storm::{OutageWindow, Storm, StormError, StormReport};
