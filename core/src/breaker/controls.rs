//! Time-driven and manual changes.
//!
//! Why manual controls: operators isolate a dependency during an incident
//! (`forceOpen`), bypass a misbehaving breaker (`disable`), observe a new
//! breaker before trusting it (`metricsOnly`), and put things back (`reset`).
//! `tripFor` lets a host act on what the dependency said, e.g. a 503 with
//! `Retry-After: 30`.
//!
//! ```text
//! handle_timeout(now)   apply what is due: open → halfOpen once now > until; expire leases
//! trip_for(now, d)      closed / halfOpen → open until now + d;
//!                       open → until = max(until, now + d);  manual states: no effect
//! force_open / disable / metrics_only(now)   any other state → that state
//! reset(now)            → closed with an empty window and a new generation
//!                       (already closed: same, without a transition)
//! ```
//!
//! Constraints: like every method taking `now`, each first clamps `now` and
//! applies the changes due by then; none allocates or panics.

use super::Breaker;
use super::state::Phase;
use super::transition::TransitionReason;
use crate::time::{Duration, Instant};

impl Breaker {
    /// Applies the changes due by `now` (call it at [`Breaker::poll_timeout`]).
    pub fn handle_timeout(&mut self, now: Instant) {
        let now = self.observe(now);
        self.advance(now);
    }

    /// Opens the breaker until `now + duration` (for example from a
    /// `Retry-After` hint). Never shortens an open deadline; does not count
    /// as a consecutive opening; has no effect in a manual state.
    pub fn trip_for(&mut self, now: Instant, duration: Duration) {
        let now = self.observe(now);
        self.advance(now);
        let until = now + duration;
        match self.phase {
            Phase::Closed | Phase::HalfOpen { .. } => {
                self.enter(now, Phase::Open { until }, TransitionReason::TripFor);
            }
            Phase::Open { until: current } if until > current => {
                self.phase = Phase::Open { until };
            }
            _ => {}
        }
    }

    /// Rejects every call until another manual change.
    pub fn force_open(&mut self, now: Instant) {
        self.manual(now, Phase::ForcedOpen, TransitionReason::ForcedOpen);
    }

    /// Admits every call and counts nothing in a window.
    pub fn disable(&mut self, now: Instant) {
        self.manual(now, Phase::Disabled, TransitionReason::Disabled);
    }

    /// Admits every call and counts it, but never opens.
    pub fn metrics_only(&mut self, now: Instant) {
        self.manual(now, Phase::MetricsOnly, TransitionReason::MetricsOnly);
    }

    /// Closes with an empty window and a fresh generation, and forgets
    /// consecutive openings. Lifetime counters are kept.
    pub fn reset(&mut self, now: Instant) {
        let now = self.observe(now);
        self.advance(now);
        if self.phase == Phase::Closed {
            self.new_generation();
            self.window.clear();
            self.openings = 0;
        } else {
            self.enter(now, Phase::Closed, TransitionReason::Reset);
        }
    }

    fn manual(&mut self, now: Instant, next: Phase, reason: TransitionReason) {
        let now = self.observe(now);
        self.advance(now);
        if self.phase.state() != next.state() {
            self.enter(now, next, reason);
        }
    }
}
