//! Circuit breaker: stop calling a dependency that keeps failing, and find
//! out — with a few probes — when it has recovered.
//!
//! ## Why
//!
//! Retrying a dependency that is down multiplies its load exactly when it can
//! least take it. A breaker watches the outcomes of recent calls; once they
//! are bad enough it *opens* and rejects calls at once (the caller falls back
//! or fails fast), after a while lets a few *probes* through, and closes
//! again when they succeed. One state machine covers the policies of
//! resilience4j, Polly, opossum, pybreaker, gobreaker and cockatiel
//! ([`presets`]), without their known bugs (each has a test).
//!
//! ## State diagram
//!
//! ```text
//!   CLOSED ──(failure rate | slow-call rate | failure count | tripFor)──▶ OPEN
//!   OPEN ──(now > opened + openDuration(n))──▶ HALF_OPEN
//!   HALF_OPEN ──(probes succeed)──▶ CLOSED          (window starts empty, n = 0)
//!   HALF_OPEN ──(probes fail | tripFor)──▶ OPEN       (n += 1)
//!   any ──forceOpen / disable / metricsOnly / reset──▶ FORCED_OPEN / DISABLED / METRICS_ONLY / CLOSED
//! ```
//!
//! Closed-state trip conditions, all compared with `≥` (or `>` for
//! `thresholdComparison: "above"`), rates only once the window holds
//! `minimumCalls`:
//!
//! ```text
//! failureRate  = failures / calls × 100   ≥ failureRateThreshold
//! slowCallRate = slow / calls × 100       ≥ slowCallRateThreshold   (slow: duration > slowCallDurationMs)
//! failures                                ≥ failureCountThreshold
//! ```
//!
//! ## Protocol
//!
//! ```
//! use stormguard::breaker::{Breaker, BreakerOptions, Outcome, State};
//! use stormguard::time::{Duration, Instant};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let options = BreakerOptions { window_size: 4, minimum_calls: 4, ..BreakerOptions::default() };
//! let mut breaker = Breaker::new(&options)?;
//! let mut now = Instant::from_nanos(0);
//! for _ in 0..4 {
//!     let permit = breaker.try_acquire(now)?;      // consulted before the call…
//!     now = now + Duration::from_millis(30);         // …not held during it…
//!     breaker.record(now, permit, Outcome::failure().took(Duration::from_millis(30)))?;
//! }
//! while let Some(transition) = breaker.poll_transition() {
//!     assert_eq!(transition.to, State::Open);        // …and changes come out as data.
//! }
//! let rejected = breaker.try_acquire(now).unwrap_err();
//! assert_eq!(rejected.retry_after, Some(Duration::from_secs(60) + Duration::from_nanos(1)));
//! let wake_at = breaker.poll_timeout().expect("open until a deadline");
//! breaker.handle_timeout(wake_at);
//! assert_eq!(breaker.state(), State::HalfOpen);
//! # Ok(())
//! # }
//! ```
//!
//! Every method that takes `now` first clamps it with a [`Monotonic`] clock
//! (a backwards step cannot evict or resurrect samples) and applies the
//! changes due by then, exactly as [`Breaker::handle_timeout`] would: the
//! open deadline passing, probe leases ending.
//!
//! ## Constraints
//!
//! * Options are validated once ([`Breaker::new`]); buffers (window, probe
//!   slots) are allocated there and nowhere else.
//! * [`Breaker::try_acquire`], [`Breaker::record`], [`Breaker::poll_timeout`]
//!   and every other method after construction never allocate and never
//!   panic, for any sequence of calls and any `now`.
//! * State is plain data with a lossless, versioned snapshot
//!   ([`Breaker::snapshot`], [`Breaker::restore`]).

mod admission;
mod calls;
mod controls;
pub mod hierarchy;
mod ledger;
mod metrics;
mod open_duration;
mod options;
mod permit;
pub mod presets;
mod probes;
mod snapshot;
mod state;
mod transition;
mod window;

pub use admission::Admission;
pub use metrics::BreakerMetrics;
pub use options::{
    BreakerOptions, Comparison, HalfOpenDecision, MAX_BUCKETS, MAX_HALF_OPEN_PERMITS,
    MAX_WINDOW_SIZE, WindowType,
};
pub use permit::{Outcome, OutcomeKind, Permit, PermitError, Recorded, Rejected};
pub use snapshot::{BreakerSnapshot, SNAPSHOT_VERSION, SnapshotError};
pub use state::State;
pub use transition::{TRANSITION_QUEUE_CAPACITY, Transition, TransitionReason};

use crate::ConfigError;
use crate::backoff::BackoffState;
use crate::time::{Duration, Instant, Monotonic};
use ledger::Ledger;
use metrics::{Counters, bump};
use options::Config;
use probes::ProbeTable;
use state::Phase;
use transition::TransitionQueue;
use window::{Totals, Window};

/// A circuit breaker: one state machine, driven by `now` and by outcomes.
#[derive(Clone, Debug, PartialEq)]
pub struct Breaker {
    config: Config,
    clock: Monotonic,
    /// When the current state began; `None` until the first `now` is seen.
    state_since: Option<Instant>,
    phase: Phase,
    generation: u64,
    ledger: Ledger,
    window: Window,
    probes: ProbeTable,
    /// Consecutive openings since the last close.
    openings: u32,
    /// The open backoff's memory for stateful schedules (reset on close).
    open_backoff_state: BackoffState,
    /// The draw `u ∈ [0, 1)` that jitters the next growing open duration.
    open_draw: f64,
    counters: Counters,
    /// Nanoseconds spent in each state before the current one began.
    time_in_state: [u64; 6],
    transitions: TransitionQueue,
}

/// The open draw until the host supplies one: the middle of the jitter range.
pub const DEFAULT_OPEN_DRAW: f64 = 0.5;

/// `part / whole × 100`.
#[inline]
fn percent(part: u64, whole: u64) -> f64 {
    part as f64 * 100.0 / whole as f64
}

impl Breaker {
    /// A closed breaker with an empty window.
    ///
    /// # Errors
    /// [`ConfigError`] naming the first invalid option: a percentage outside
    /// `(0, 100]`, a zero or oversized `windowSize` / `halfOpenPermits`, a
    /// `windowMs` that is not a whole multiple of `bucketMs`, a consecutive
    /// window without `failureCountThreshold`, a zero `probeLeaseMs`, an
    /// invalid `openBackoff` (named `openBackoff.<field>`, as
    /// [`crate::backoff::Backoff::new`] reports it), or any duration that is
    /// NaN, infinite or negative.
    pub fn new(options: &BreakerOptions) -> Result<Self, ConfigError> {
        let config = options.validate()?;
        Ok(Self {
            window: Window::new(config.window),
            probes: ProbeTable::new(config.half_open_permits),
            config,
            clock: Monotonic::new(),
            state_since: None,
            phase: Phase::Closed,
            generation: 0,
            ledger: Ledger::default(),
            openings: 0,
            open_backoff_state: BackoffState::new(),
            open_draw: DEFAULT_OPEN_DRAW,
            counters: Counters::default(),
            time_in_state: [0; 6],
            transitions: TransitionQueue::default(),
        })
    }

    /// The current state (as of the latest call; time-driven changes happen
    /// when a method receives a `now`).
    pub fn state(&self) -> State {
        self.phase.state()
    }

    /// The current generation; permits from earlier ones are ignored.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The next instant at which the state changes by itself: strictly after
    /// the open deadline, or when the earliest probe lease ends. `None` when
    /// nothing is pending (or the deadline is [`Instant::MAX`]).
    pub fn poll_timeout(&self) -> Option<Instant> {
        match self.phase {
            Phase::Open { until } if until < Instant::MAX => Some(until + Duration::from_nanos(1)),
            Phase::HalfOpen { .. } => self.probes.earliest_lease_end(),
            _ => None,
        }
    }

    /// The earliest instant at which [`Breaker::try_acquire`] would admit a
    /// call, as far as the breaker knows without further outcomes: the latest
    /// `now` seen when closed, disabled, metrics-only or half-open with a free
    /// probe permit; strictly after the deadline when open; when the oldest
    /// probe lease ends when half-open and full; `None` when forced open (or
    /// open until [`Instant::MAX`]). A retry policy compares it with the time
    /// its next attempt would start.
    pub fn admits_at(&self) -> Option<Instant> {
        let latest = self.clock.latest();
        match self.phase {
            Phase::Closed | Phase::MetricsOnly | Phase::Disabled => Some(latest),
            Phase::Open { until } => {
                (until < Instant::MAX).then(|| (until + Duration::from_nanos(1)).max(latest))
            }
            Phase::HalfOpen { tally } if tally.used() < self.config.half_open_permits => {
                Some(latest)
            }
            Phase::HalfOpen { .. } => self.probes.earliest_lease_end().map(|end| end.max(latest)),
            Phase::ForcedOpen => None,
        }
    }

    /// The oldest transition not yet drained, in the order they happened.
    pub fn poll_transition(&mut self) -> Option<Transition> {
        self.transitions.pop()
    }

    /// Counters, window contents and time per state, as of `now` (applies the
    /// changes due by `now` first).
    pub fn metrics(&mut self, now: Instant) -> BreakerMetrics {
        let now = self.observe(now);
        self.advance(now);
        let totals = self.window.totals(now);
        let (failure_rate, slow_call_rate) = self.window_rates(&totals);
        let mut time_in_state = self.time_in_state.map(Duration::from_nanos);
        if let (Some(since), Some(slot)) = (
            self.state_since,
            time_in_state.get_mut(self.phase.state().index()),
        ) {
            *slot = slot.saturating_add(now - since);
        }
        let c = &self.counters;
        BreakerMetrics {
            state: self.phase.state(),
            generation: self.generation,
            consecutive_openings: self.openings,
            admitted: c.admitted,
            rejected: c.rejected,
            calls: c.successes.saturating_add(c.failures),
            successes: c.successes,
            failures: c.failures,
            slow_calls: c.slow_calls,
            ignored: c.ignored,
            late_results: c.late_results,
            expired_probes: c.expired_probes,
            transitions: c.transitions,
            dropped_transitions: c.dropped_transitions,
            probes_in_flight: match self.phase {
                Phase::HalfOpen { tally } => tally.in_flight,
                _ => 0,
            },
            window_calls: totals.calls,
            window_failures: totals.failures,
            window_slow_calls: totals.slow,
            failure_rate,
            slow_call_rate,
            time_in_state,
        }
    }

    /// Heap bytes this breaker owns (window buffer and probe slots); add
    /// `size_of::<Breaker>()` for its full footprint.
    pub fn heap_bytes(&self) -> usize {
        self.window.heap_bytes() + self.probes.heap_bytes()
    }

    /// Clamps `now` and starts the time-in-state clock on first use.
    #[inline]
    fn observe(&mut self, now: Instant) -> Instant {
        let now = self.clock.observe(now);
        if self.state_since.is_none() {
            self.state_since = Some(now);
        }
        now
    }

    /// Applies the changes due by `now`: the open deadline, probe leases.
    #[inline]
    fn advance(&mut self, now: Instant) {
        match self.phase {
            Phase::Open { until } if now > until => self.enter(
                now,
                Phase::HalfOpen {
                    tally: state::Tally::default(),
                },
                TransitionReason::OpenDurationElapsed,
            ),
            Phase::HalfOpen { mut tally } => {
                let expired = self.probes.expire(now, &mut self.ledger);
                if expired > 0 {
                    tally.in_flight = tally.in_flight.saturating_sub(expired);
                    self.phase = Phase::HalfOpen { tally };
                    self.counters.expired_probes = self
                        .counters
                        .expired_probes
                        .saturating_add(u64::from(expired));
                }
            }
            _ => {}
        }
    }

    /// Failure and slow-call rates of the window, where defined.
    fn window_rates(&self, totals: &Totals) -> (Option<f64>, Option<f64>) {
        if !self.window.has_rates() || totals.calls == 0 || totals.calls < self.config.minimum_calls
        {
            return (None, None);
        }
        (
            Some(percent(totals.failures, totals.calls)),
            Some(percent(totals.slow, totals.calls)),
        )
    }

    /// Starts a new generation: earlier permits become late.
    fn new_generation(&mut self) {
        self.generation = self.generation.saturating_add(1);
        self.ledger = Ledger::default();
    }

    /// The one place the phase changes to another state.
    fn enter(&mut self, now: Instant, next: Phase, reason: TransitionReason) {
        let from = self.phase.state();
        let to = next.state();
        if let (Some(since), Some(slot)) =
            (self.state_since, self.time_in_state.get_mut(from.index()))
        {
            *slot = slot.saturating_add(crate::time::saturating_nanos(now - since));
        }
        self.state_since = Some(now);
        if from == State::HalfOpen {
            self.probes.clear();
        }
        self.phase = next;
        self.new_generation();
        if matches!(to, State::Closed | State::MetricsOnly) {
            self.window.clear();
        }
        if to == State::Closed {
            self.openings = 0;
            self.open_backoff_state = BackoffState::new();
        }
        bump(&mut self.counters.transitions);
        let at = now;
        if self.transitions.push(Transition {
            from,
            to,
            reason,
            at,
        }) {
            bump(&mut self.counters.dropped_transitions);
        }
    }

    /// Opens on a trip condition or failed probes, for the next duration of
    /// the open-duration rule.
    fn open(&mut self, now: Instant, reason: TransitionReason) {
        self.openings = self.openings.saturating_add(1);
        let open_for = self.config.open_duration.for_opening(
            &mut self.open_backoff_state,
            self.openings,
            self.open_draw,
        );
        let until = now + open_for;
        self.enter(now, Phase::Open { until }, reason);
    }
}

#[cfg(test)]
mod tests;
