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
//! set_open_draw(u)      the draw that jitters the next growing open duration
//! ```
//!
//! Constraints: like every method taking `now`, each first clamps `now` and
//! applies the changes due by then; none allocates or panics.

use super::Breaker;
use super::state::Phase;
use super::transition::TransitionReason;
use crate::backoff::BackoffState;
use crate::rng::clamp_unit;
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
            self.open_backoff_state = BackoffState::new();
        } else {
            self.enter(now, Phase::Closed, TransitionReason::Reset);
        }
    }

    /// Sets the draw `u ∈ [0, 1)` that jitters the next growing open
    /// duration (`openBackoff` with a jitter or a randomised schedule); NaN
    /// and out-of-range values are clamped. The draw stays until replaced:
    /// hosts supply a fresh one after each opening (bindings take it from
    /// their seeded generator). Until then it is [`super::DEFAULT_OPEN_DRAW`].
    pub fn set_open_draw(&mut self, u: f64) {
        self.open_draw = clamp_unit(u);
    }

    fn manual(&mut self, now: Instant, next: Phase, reason: TransitionReason) {
        let now = self.observe(now);
        self.advance(now);
        if self.phase.state() != next.state() {
            self.enter(now, next, reason);
        }
    }
}
