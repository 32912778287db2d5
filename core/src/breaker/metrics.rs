//! What the breaker has seen, for dashboards and health checks.
//!
//! Why lifetime counters beside the window: the window answers "should we
//! open?", the counters answer "what happened?" (how many calls were
//! rejected, how many results arrived too late, how long the breaker spent
//! open). Both come out in one [`BreakerMetrics`] value.
//!
//! ```text
//! admitted = successes + failures + ignored + late results + permits not yet recorded
//! calls    = successes + failures;   slowCalls ≤ calls
//! failureRate  = windowFailures / windowCalls × 100, once windowCalls ≥ minimumCalls
//! slowCallRate = windowSlowCalls / windowCalls × 100, likewise
//! ```
//!
//! Constraints: counters saturate at `u64::MAX`; rates are `None` where
//! resilience4j reports -1 (below the minimum, or for the consecutive window).

use super::state::State;
use crate::time::Duration;

/// Lifetime counters (kept across state changes and `reset`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", deny_unknown_fields)
)]
pub(crate) struct Counters {
    pub(crate) admitted: u64,
    pub(crate) rejected: u64,
    pub(crate) successes: u64,
    pub(crate) failures: u64,
    pub(crate) slow_calls: u64,
    pub(crate) ignored: u64,
    pub(crate) late_results: u64,
    pub(crate) expired_probes: u64,
    pub(crate) transitions: u64,
    pub(crate) dropped_transitions: u64,
}

/// Adds one, saturating.
#[inline]
pub(crate) fn bump(counter: &mut u64) {
    *counter = counter.saturating_add(1);
}

/// A snapshot of the breaker's counters, window and time per state.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BreakerMetrics {
    /// Current state.
    pub state: State,
    /// Current generation (bumped by every state change and by `reset`).
    pub generation: u64,
    /// Consecutive openings since the breaker last closed (drives a growing
    /// open duration).
    pub consecutive_openings: u32,
    /// Permits handed out.
    pub admitted: u64,
    /// Calls rejected (open, half-open full, forced open).
    pub rejected: u64,
    /// Counted results: `successes + failures`.
    pub calls: u64,
    /// Counted successes.
    pub successes: u64,
    /// Counted failures.
    pub failures: u64,
    /// Counted calls that were slow (successes or failures).
    pub slow_calls: u64,
    /// Results recorded as ignored.
    pub ignored: u64,
    /// Results dropped because their permit was from an earlier generation
    /// or their probe lease had expired.
    pub late_results: u64,
    /// Half-open probes whose lease ran out before they reported.
    pub expired_probes: u64,
    /// State changes so far.
    pub transitions: u64,
    /// Transitions dropped from the queue because it was not drained.
    pub dropped_transitions: u64,
    /// Half-open probes currently leased.
    pub probes_in_flight: u32,
    /// Calls in the closed-state window (kept while open, cleared on closing).
    pub window_calls: u64,
    /// Failures in the window (consecutive window: failures in a row).
    pub window_failures: u64,
    /// Slow calls in the window.
    pub window_slow_calls: u64,
    /// Window failure rate in percent, once the minimum number of calls is
    /// reached; `None` before, and always for the consecutive window.
    pub failure_rate: Option<f64>,
    /// Window slow-call rate in percent, under the same rule.
    pub slow_call_rate: Option<f64>,
    /// Time spent in each state, indexed by [`State::index`], counted from
    /// the first `now` the breaker saw (the current state counts up to the
    /// `now` given to [`super::Breaker::metrics`]).
    pub time_in_state: [Duration; 6],
}

impl BreakerMetrics {
    /// Time spent in `state`.
    pub fn time_in(&self, state: State) -> Duration {
        self.time_in_state
            .get(state.index())
            .copied()
            .unwrap_or(Duration::ZERO)
    }
}
