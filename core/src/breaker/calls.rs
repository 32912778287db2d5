//! The hot path: admitting calls and counting their outcomes.
//!
//! Why here: these two methods run around every protected call, so they do
//! only O(1) work in the closed state (a bit ring or a bucket update and one
//! comparison per threshold) and O(`halfOpenPermits`) while half-open.
//!
//! ```text
//! try_acquire: closed / metricsOnly / disabled → permit
//!              open      → Rejected { retry_after = until − now + 1 ns }
//!              halfOpen  → permit while leased + reported < halfOpenPermits,
//!                          else Rejected { retry_after = earliest lease end − now }
//!              forcedOpen → Rejected { retry_after = None }
//! record:      earlier generation or expired lease → Late (not counted)
//!              already recorded → PermitError::Reused
//!              ignored → Released (frees a half-open slot, counts nowhere)
//!              else count; closed: check thresholds; halfOpen: decide
//! ```
//!
//! Constraints: no allocation, no panic, for any permit and any `now`.

use super::ledger::Claim;
use super::metrics::bump;
use super::options::HalfOpenDecision;
use super::permit::{Outcome, OutcomeKind, Permit, PermitError, Recorded, Rejected};
use super::state::{Phase, State, Tally};
use super::transition::TransitionReason;
use super::window::Totals;
use super::{Breaker, percent};
use crate::time::{Duration, Instant};

impl Breaker {
    /// Asks to make one call at `now`.
    ///
    /// # Errors
    /// [`Rejected`] when open, forced open, or half-open with every probe
    /// permit in use. A rejection is counted in `rejected` only; it never
    /// counts as a failure nor enters the window.
    // One out-of-line copy on wasm32: the browser module is size-bound.
    #[cfg_attr(target_arch = "wasm32", inline(never))]
    #[cfg_attr(not(target_arch = "wasm32"), inline)]
    pub fn try_acquire(&mut self, now: Instant) -> Result<Permit, Rejected> {
        let now = self.observe(now);
        self.advance(now);
        match self.phase {
            Phase::Closed | Phase::MetricsOnly | Phase::Disabled => {
                bump(&mut self.counters.admitted);
                Ok(Permit::new(self.generation, self.ledger.issue()))
            }
            Phase::Open { until } => {
                let retry_after = until.saturating_duration_since(now) + Duration::from_nanos(1);
                Err(self.reject(State::Open, Some(retry_after)))
            }
            Phase::ForcedOpen => Err(self.reject(State::ForcedOpen, None)),
            Phase::HalfOpen { mut tally } => {
                if tally.used() < self.config.half_open_permits {
                    let id = self.ledger.issue();
                    if self.probes.lease(id, now + self.config.probe_lease) {
                        tally.in_flight = tally.in_flight.saturating_add(1);
                        self.phase = Phase::HalfOpen { tally };
                        bump(&mut self.counters.admitted);
                        return Ok(Permit::new(self.generation, id));
                    }
                    // Unreachable while the tally matches the slots; the id
                    // was never handed out, so retire it.
                    let _ = self.ledger.claim(id);
                }
                let retry_after = self
                    .probes
                    .earliest_lease_end()
                    .map_or(Duration::ZERO, |end| end.saturating_duration_since(now));
                Err(self.reject(State::HalfOpen, Some(retry_after)))
            }
        }
    }

    /// Reports how the call admitted by `permit` ended, at `now`.
    ///
    /// Returns [`Recorded::Counted`], [`Recorded::Released`] (ignored
    /// outcome) or [`Recorded::Late`] (the permit's generation is over, or
    /// its probe lease expired: nothing is counted).
    ///
    /// # Errors
    /// [`PermitError::Reused`] when this permit was already recorded,
    /// [`PermitError::Unknown`] when this breaker never issued it. Neither
    /// changes any state.
    // One out-of-line copy on wasm32: the browser module is size-bound.
    #[cfg_attr(target_arch = "wasm32", inline(never))]
    #[cfg_attr(not(target_arch = "wasm32"), inline)]
    pub fn record(
        &mut self,
        now: Instant,
        permit: Permit,
        outcome: Outcome,
    ) -> Result<Recorded, PermitError> {
        let now = self.observe(now);
        self.advance(now);
        if permit.generation() < self.generation {
            return Ok(self.late());
        }
        if permit.generation() > self.generation {
            return Err(PermitError::Unknown);
        }
        if self.ledger.claim(permit.id())? == Claim::Expired {
            return Ok(self.late());
        }
        let failed = match outcome.kind {
            OutcomeKind::Success => false,
            OutcomeKind::Failure => true,
            OutcomeKind::Ignored => {
                if let Phase::HalfOpen { mut tally } = self.phase
                    && self.probes.release(permit.id())
                {
                    tally.in_flight = tally.in_flight.saturating_sub(1);
                    self.phase = Phase::HalfOpen { tally };
                }
                bump(&mut self.counters.ignored);
                return Ok(Recorded::Released);
            }
        };
        let slow = outcome
            .duration
            .is_some_and(|duration| duration > self.config.slow_call_duration);
        match self.phase {
            Phase::Closed | Phase::MetricsOnly | Phase::Disabled => {
                self.count_closed(now, failed, slow);
            }
            Phase::HalfOpen { mut tally } => {
                if !self.probes.release(permit.id()) {
                    return Ok(self.late());
                }
                tally.in_flight = tally.in_flight.saturating_sub(1);
                if failed {
                    tally.failures = tally.failures.saturating_add(1);
                } else {
                    tally.successes = tally.successes.saturating_add(1);
                }
                tally.slow = tally.slow.saturating_add(u32::from(slow));
                self.phase = Phase::HalfOpen { tally };
                self.count(failed, slow);
                self.decide(now, tally);
            }
            // These generations hand out no permits, so the ledger already
            // answered `Unknown`.
            Phase::Open { .. } | Phase::ForcedOpen => return Err(PermitError::Unknown),
        }
        Ok(Recorded::Counted)
    }

    #[inline]
    fn reject(&mut self, state: State, retry_after: Option<Duration>) -> Rejected {
        bump(&mut self.counters.rejected);
        Rejected { state, retry_after }
    }

    /// Counts one outcome while closed, metrics-only or disabled; closed:
    /// opens when a threshold trips.
    #[inline(always)]
    pub(super) fn count_closed(&mut self, now: Instant, failed: bool, slow: bool) {
        self.count(failed, slow);
        match self.phase {
            Phase::Closed => {
                let totals = self.window.record(now, failed, slow);
                if let Some(reason) = self.trip_reason(&totals) {
                    self.open(now, reason);
                }
            }
            Phase::MetricsOnly => {
                self.window.record(now, failed, slow);
            }
            _ => {}
        }
    }

    #[inline]
    pub(super) fn late(&mut self) -> Recorded {
        bump(&mut self.counters.late_results);
        Recorded::Late
    }

    #[inline]
    fn count(&mut self, failed: bool, slow: bool) {
        if failed {
            bump(&mut self.counters.failures);
        } else {
            bump(&mut self.counters.successes);
        }
        if slow {
            bump(&mut self.counters.slow_calls);
        }
    }

    /// The first closed-state condition the window trips, if any: failure
    /// rate, then failure count, then slow-call rate.
    #[inline(always)]
    pub(super) fn trip_reason(&self, totals: &Totals) -> Option<TransitionReason> {
        let config = &self.config;
        let rates = self.window.has_rates();
        if totals.calls == 0 || (rates && totals.calls < config.minimum_calls) {
            return None;
        }
        let trips = |value: f64, threshold: f64| config.comparison.trips(value, threshold);
        // A count of zero never trips (every threshold is positive), which
        // spares the divisions on most calls.
        if rates
            && totals.failures > 0
            && trips(
                percent(totals.failures, totals.calls),
                config.failure_rate_threshold,
            )
        {
            return Some(TransitionReason::FailureRate);
        }
        if let Some(count) = config.failure_count_threshold
            && trips(totals.failures as f64, f64::from(count))
        {
            return Some(TransitionReason::FailureCount);
        }
        if rates
            && totals.slow > 0
            && trips(
                percent(totals.slow, totals.calls),
                config.slow_call_rate_threshold,
            )
        {
            return Some(TransitionReason::SlowCallRate);
        }
        None
    }

    /// Closes or reopens once the half-open probes are conclusive.
    fn decide(&mut self, now: Instant, tally: Tally) {
        let config = &self.config;
        let permits = config.half_open_permits;
        let verdict = match config.half_open_decision {
            HalfOpenDecision::Successes if tally.failures > 0 => Some(false),
            HalfOpenDecision::Successes => (tally.successes >= permits).then_some(true),
            HalfOpenDecision::Rate if tally.reported() >= permits => {
                let reported = u64::from(tally.reported());
                let trips = |part: u32, threshold: f64| {
                    config
                        .comparison
                        .trips(percent(u64::from(part), reported), threshold)
                };
                Some(
                    !(trips(tally.failures, config.failure_rate_threshold)
                        || trips(tally.slow, config.slow_call_rate_threshold)),
                )
            }
            HalfOpenDecision::Rate => None,
        };
        match verdict {
            Some(true) => self.enter(now, Phase::Closed, TransitionReason::ProbesSucceeded),
            Some(false) => self.open(now, TransitionReason::ProbesFailed),
            None => {}
        }
    }
}
