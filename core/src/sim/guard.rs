//! The per-client circuit breaker, as the simulator drives it.
//!
//! Why a wrapper: the engine's operations are plain `Copy` data, so a
//! breaker permit travels as its parts (generation, id) and is rebuilt with
//! [`Permit::from_parts`] for `record`, as a binding would do.
//!
//! ```text
//! before an attempt   try_acquire(now) ─ Ok(permit) → send, keep the permit's parts
//!                                      └ Rejected   → the operation fails fast
//! after the attempt   record(now, permit, success | failure, took: round trip)
//! after a failure     the policy reads the breaker (Guards::breaker) and gives up
//!                     with `breaker_open` instead of scheduling a refused retry
//! ```
//!
//! Constraints: no allocation, no panic; transitions are drained as they
//! happen and only counted (openings).

use alloc::boxed::Box;

use super::options::FleetOptions;
use crate::ConfigError;
use crate::breaker::{Breaker, Outcome, Permit, State};
use crate::time::{Duration, Instant};

/// A breaker's permit as plain numbers, or nothing without a breaker.
pub(crate) type Ticket = Option<(u64, u64)>;

/// A client's breaker, if its fleet has one.
#[derive(Clone, Debug, Default)]
pub(crate) struct Guard {
    /// Boxed: a breaker is large, and without one every client's state
    /// should stay small (cache-friendly with many clients).
    breaker: Option<Box<Breaker>>,
    openings: u64,
}

impl Guard {
    /// The breaker `fleet` asks for, validated.
    pub(crate) fn new(fleet: &FleetOptions) -> Result<Self, ConfigError> {
        Ok(Self {
            breaker: match &fleet.breaker {
                Some(options) => Some(Box::new(Breaker::new(options)?)),
                None => None,
            },
            openings: 0,
        })
    }

    /// The OCC experiment has no breaker step: refuse a fleet that asks for one.
    pub(crate) fn reject_in_occ(fleet: &FleetOptions) -> Result<(), ConfigError> {
        match fleet.breaker {
            Some(_) => Err(ConfigError::Invalid {
                field: "breaker",
                reason: "is not used by the occ experiment",
            }),
            None => Ok(()),
        }
    }

    /// Asks to make an attempt at `now`; `None` when the breaker rejects it.
    #[inline]
    pub(crate) fn admit(&mut self, now: Instant) -> Option<Ticket> {
        let Some(breaker) = &mut self.breaker else {
            return Some(None);
        };
        let admitted = breaker
            .try_acquire(now)
            .ok()
            .map(|permit| Some((permit.generation(), permit.id())));
        self.drain();
        admitted
    }

    /// Reports how the attempt admitted with `ticket` ended.
    #[inline]
    pub(crate) fn record(&mut self, now: Instant, ticket: Ticket, success: bool, took: Duration) {
        let (Some(breaker), Some((generation, id))) = (&mut self.breaker, ticket) else {
            return;
        };
        let outcome = if success {
            Outcome::success()
        } else {
            Outcome::failure()
        };
        // A late or unknown permit changes nothing; nothing to do about it.
        let _ = breaker.record(now, Permit::from_parts(generation, id), outcome.took(took));
        self.drain();
    }

    /// Counts the openings among the transitions that happened.
    #[inline]
    fn drain(&mut self) {
        if let Some(breaker) = &mut self.breaker {
            while let Some(transition) = breaker.poll_transition() {
                if transition.to == State::Open {
                    self.openings += 1;
                }
            }
        }
    }

    /// The breaker, for the policy to consult before it schedules a retry.
    #[inline]
    pub(crate) fn breaker(&self) -> Option<&Breaker> {
        self.breaker.as_deref()
    }

    /// Times the breaker opened so far.
    pub(crate) fn openings(&self) -> u64 {
        self.openings
    }
}
