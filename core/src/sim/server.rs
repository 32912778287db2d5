//! The simulated server: capacity, latency and a failure timeline.
//!
//! Why this model: a storm hurts because of three effects, and each needs
//! one knob: a dependency that is *down* (refusing fast or hanging until the
//! caller's timeout), one that is *degraded* (a share of errors), and one
//! that is *overloaded* (more requests than it can serve: shed them, or
//! queue them until callers give up while the server still works on them).
//!
//! ```text
//! phase at t    down      → refused at t + refusal
//!               hang      → no reply (the client's timeout ends the attempt)
//!               up        → start = max(t, free_at); wait = start − t
//!               degraded     reject and wait > maxQueue → refused at t + refusal
//!                            else free_at = start + 1/capacity,
//!                                 reply at start + latency:
//!                                 error with probability errorRate (degraded), else success
//! ```
//!
//! Constraints: O(phases) per request, no allocation after construction.

use alloc::vec::Vec;

use super::options::{Overload, ServerOptions, ServerState};
use crate::ConfigError;
use crate::time::{Duration, Instant, duration_from_millis_f64};

/// The largest capacity accepted, in requests per second.
const MAX_CAPACITY_RPS: f64 = 10_000_000.0;

/// What the server answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Reply {
    /// Served.
    Success,
    /// Served with an error (degraded).
    Error,
    /// Refused fast (down, or shed while overloaded).
    Refused,
    /// No answer before the client's timeout.
    Timeout,
}

/// A validated failure phase.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Phase {
    pub(crate) from: Instant,
    pub(crate) to: Instant,
    state: ServerState,
    error_rate: f64,
}

/// The validated server and its one piece of state (when it is next free).
#[derive(Clone, Debug)]
pub(crate) struct Server {
    service_ns: f64,
    latency: Duration,
    refusal: Duration,
    max_queue: Option<Duration>,
    phases: Vec<Phase>,
    /// When the server can start the next request, in fractional ns.
    free_at_ns: f64,
    pub(crate) capacity_rps: f64,
}

impl Server {
    /// Validates `options`.
    pub(crate) fn new(options: &ServerOptions) -> Result<Self, ConfigError> {
        let capacity_rps =
            ConfigError::check_range("capacityRps", options.capacity_rps, 0.001, MAX_CAPACITY_RPS)?;
        let mut phases = Vec::with_capacity(options.timeline.len());
        for phase in &options.timeline {
            let from = seconds("fromS", phase.from_s)?;
            let to = seconds("toS", phase.to_s)?;
            if to <= from {
                return Err(ConfigError::Invalid {
                    field: "toS",
                    reason: "must be after `fromS`",
                });
            }
            let error_rate = ConfigError::check_range("errorRate", phase.error_rate, 0.0, 1.0)?;
            phases.push(Phase {
                from,
                to,
                state: phase.state,
                error_rate,
            });
        }
        Ok(Self {
            service_ns: 1e9 / capacity_rps,
            latency: duration_from_millis_f64("latencyMs", options.latency_ms)?,
            refusal: duration_from_millis_f64("refusalMs", options.refusal_ms)?,
            max_queue: match options.overload {
                Overload::Reject => Some(duration_from_millis_f64(
                    "maxQueueMs",
                    options.max_queue_ms,
                )?),
                Overload::Queue => None,
            },
            phases,
            free_at_ns: 0.0,
            capacity_rps,
        })
    }

    /// The failure phases, in the order given.
    pub(crate) fn phases(&self) -> &[Phase] {
        &self.phases
    }

    /// Handles a request arriving at `at`; `u` is a uniform draw for the
    /// degraded error rate. Returns the reply and when it leaves the server
    /// (`None` for no reply at all).
    pub(crate) fn handle(&mut self, at: Instant, u: f64) -> (Reply, Option<Instant>) {
        let phase = self.phases.iter().find(|p| p.from <= at && at < p.to);
        let error_rate = match phase.map(|p| p.state) {
            Some(ServerState::Down) => return (Reply::Refused, Some(at + self.refusal)),
            Some(ServerState::Hang) => return (Reply::Timeout, None),
            Some(ServerState::Degraded) => phase.map_or(0.0, |p| p.error_rate),
            None => 0.0,
        };
        let arrival_ns = at.as_nanos() as f64;
        let start_ns = self.free_at_ns.max(arrival_ns);
        let wait_ns = start_ns - arrival_ns;
        if let Some(max_queue) = self.max_queue
            && wait_ns > max_queue.as_nanos() as f64
        {
            return (Reply::Refused, Some(at + self.refusal));
        }
        self.free_at_ns = start_ns + self.service_ns;
        let start = Instant::from_nanos(start_ns as u64);
        let reply = if u < error_rate {
            Reply::Error
        } else {
            Reply::Success
        };
        (reply, Some(start + self.latency))
    }
}

/// A validated instant in seconds of virtual time.
pub(crate) fn seconds(field: &'static str, s: f64) -> Result<Instant, ConfigError> {
    let d = duration_from_millis_f64(field, ConfigError::check_range(field, s, 0.0, 1e9)? * 1e3)?;
    Ok(Instant::ZERO + d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::options::PhaseOptions;
    use alloc::vec;

    fn at_ms(ms: u64) -> Instant {
        Instant::from_nanos(ms * 1_000_000)
    }

    #[test]
    fn sheds_what_would_wait_longer_than_the_queue_allows() {
        let mut server = Server::new(&ServerOptions {
            capacity_rps: 1_000.0,
            max_queue_ms: 2.0,
            ..ServerOptions::default()
        })
        .unwrap();
        // 1 ms of service each: the 1st starts at once, the 2nd and 3rd wait
        // 1 and 2 ms, the 4th would wait 3 ms and is refused.
        let replies: vec::Vec<_> = (0..4).map(|_| server.handle(at_ms(10), 0.5)).collect();
        assert_eq!(replies[0], (Reply::Success, Some(at_ms(15))));
        assert_eq!(replies[2], (Reply::Success, Some(at_ms(17))));
        assert_eq!(replies[3], (Reply::Refused, Some(at_ms(11))));
    }

    #[test]
    fn follows_the_failure_timeline() {
        let mut server = Server::new(&ServerOptions {
            timeline: vec![
                PhaseOptions {
                    from_s: 1.0,
                    to_s: 2.0,
                    ..PhaseOptions::default()
                },
                PhaseOptions {
                    from_s: 2.0,
                    to_s: 3.0,
                    state: ServerState::Hang,
                    ..PhaseOptions::default()
                },
                PhaseOptions {
                    from_s: 3.0,
                    to_s: 4.0,
                    state: ServerState::Degraded,
                    error_rate: 0.25,
                },
            ],
            ..ServerOptions::default()
        })
        .unwrap();
        assert_eq!(server.handle(at_ms(1_500), 0.0).0, Reply::Refused);
        assert_eq!(server.handle(at_ms(2_500), 0.0), (Reply::Timeout, None));
        assert_eq!(server.handle(at_ms(3_500), 0.2).0, Reply::Error);
        assert_eq!(server.handle(at_ms(3_600), 0.3).0, Reply::Success);
        assert_eq!(server.handle(at_ms(4_000), 0.0).0, Reply::Success);
    }

    #[test]
    fn rejects_a_phase_that_ends_before_it_starts() {
        let err = Server::new(&ServerOptions {
            timeline: vec![PhaseOptions {
                from_s: 2.0,
                to_s: 1.0,
                ..PhaseOptions::default()
            }],
            ..ServerOptions::default()
        })
        .unwrap_err();
        assert_eq!(err.field(), "toS");
    }
}
