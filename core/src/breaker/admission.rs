//! Admission without a round trip: what a host may decide alone while the
//! breaker is closed, and how it reports back.
//!
//! ## Why
//!
//! A binding pays a foreign call for every [`Breaker::try_acquire`] and
//! every [`Breaker::record`] — in Node about as much as the whole of a
//! pure-JavaScript breaker's bookkeeping. Yet while the breaker is closed
//! most of those calls tell the host nothing new: `try_acquire` admits
//! whatever `now` is, and a plain success often cannot change any decision.
//! An [`Admission`] states exactly when that holds, so the host can admit
//! calls itself and report plain successes in bulk, and the breaker still
//! ends in the state one-by-one reporting would have produced.
//!
//! ## Contract
//!
//! ```text
//! admission(now) → Some(Admission { generation, batch_until, slow_above })
//!                  while closed, metrics-only or disabled; None otherwise
//!
//! while generation() == admission.generation:
//!   a call may start without try_acquire   (try_acquire would admit it)
//!   when it ends at t:
//!     success, t < batch_until, duration ≤ slow_above
//!                → may wait, counted, for record_successes(t_last, generation, count)
//!     otherwise  → record_admitted(t, generation, outcome) — after reporting
//!                  the waiting successes
//! the waiting successes must be reported before any other call on the breaker
//! ```
//!
//! Why a plain success may wait: once the window's thresholds do not trip
//! at `now` and the window holds at least `minimumCalls`, a success that is
//! not slow can only keep or lower the failure and slow-call rates, and never
//! raises a failure count; inside one time bucket nothing expires in
//! between. So none of the waiting successes would have tripped the breaker,
//! and adding them together gives the same window (`window::*::record_successes`
//! are exact bulk forms). When that does not hold, `batch_until` is `None`
//! and every outcome goes through `record_admitted` at once.
//!
//! Calls admitted this way count in `admitted` when they are reported (the
//! host adds the ones still running when it shows metrics); they hold no
//! permit, so the ledger's reuse detection does not apply to them.
//!
//! Constraints: no allocation, no panic, for any `now`, generation or count.

use super::Breaker;
use super::metrics::bump;
use super::permit::{Outcome, OutcomeKind, Recorded};
use super::state::Phase;
use crate::time::{Duration, Instant};

/// What the host may decide alone until the breaker's generation changes
/// (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Admission {
    /// The generation this admission belongs to: it holds while
    /// [`Breaker::generation`] still returns it.
    pub generation: u64,
    /// Plain successes ending strictly before this instant may be reported
    /// later, in bulk; `None`: report every outcome at once.
    pub batch_until: Option<Instant>,
    /// A success that took longer than this is slow and must be reported at
    /// once.
    pub slow_above: Duration,
}

impl Breaker {
    /// The admission for calls starting at `now`, or `None` when calls must
    /// ask [`Breaker::try_acquire`] (open, half-open, forced open).
    pub fn admission(&mut self, now: Instant) -> Option<Admission> {
        let now = self.observe(now);
        self.advance(now);
        let batch_until = match self.phase {
            Phase::Open { .. } | Phase::HalfOpen { .. } | Phase::ForcedOpen => return None,
            // Disabled keeps no window: time cannot move a success.
            Phase::Disabled => Some(Instant::MAX),
            Phase::Closed | Phase::MetricsOnly => {
                // Expires elapsed buckets first, so the bucket end is current.
                let totals = self.window.totals(now);
                let bucket_end = self.window.bucket_end().unwrap_or(Instant::MAX);
                let enough = !self.window.has_rates() || totals.calls >= self.config.minimum_calls;
                let safe = matches!(self.phase, Phase::MetricsOnly)
                    || (enough && self.trip_reason(&totals).is_none());
                safe.then_some(bucket_end)
            }
        };
        Some(Admission {
            generation: self.generation,
            batch_until,
            slow_above: self.config.slow_call_duration,
        })
    }

    /// Reports one call admitted under the admission of `generation`
    /// (without a permit), ending at `now`: [`Recorded::Counted`],
    /// [`Recorded::Released`] for an ignored outcome, or [`Recorded::Late`]
    /// when that generation is over.
    pub fn record_admitted(&mut self, now: Instant, generation: u64, outcome: Outcome) -> Recorded {
        let now = self.observe(now);
        self.advance(now);
        // Admitted either way (as `try_acquire` would have counted it).
        bump(&mut self.counters.admitted);
        if generation != self.generation || !self.phase.admits_without_asking() {
            return self.late();
        }
        let failed = match outcome.kind {
            OutcomeKind::Success => false,
            OutcomeKind::Failure => true,
            OutcomeKind::Ignored => {
                bump(&mut self.counters.ignored);
                return Recorded::Released;
            }
        };
        let slow = outcome
            .duration
            .is_some_and(|duration| duration > self.config.slow_call_duration);
        self.count_closed(now, failed, slow);
        Recorded::Counted
    }

    /// Reports `count` plain successes admitted under the admission of
    /// `generation`, the latest ending at `now`: [`Recorded::Counted`], or
    /// [`Recorded::Late`] (all of them count as late results) when that
    /// generation is over.
    pub fn record_successes(&mut self, now: Instant, generation: u64, count: u64) -> Recorded {
        let now = self.observe(now);
        self.advance(now);
        self.counters.admitted = self.counters.admitted.saturating_add(count);
        if generation != self.generation || !self.phase.admits_without_asking() {
            self.counters.late_results = self.counters.late_results.saturating_add(count);
            return Recorded::Late;
        }
        self.counters.successes = self.counters.successes.saturating_add(count);
        if matches!(self.phase, Phase::Disabled) {
            return Recorded::Counted;
        }
        let totals = self.window.record_successes(now, count);
        // Only reachable when the host broke the contract: still decide as
        // a record would.
        if matches!(self.phase, Phase::Closed)
            && let Some(reason) = self.trip_reason(&totals)
        {
            self.open(now, reason);
        }
        Recorded::Counted
    }
}
