//! State changes as data.
//!
//! Why: a callback run inside the breaker can re-enter it or deadlock the
//! host's lock around it (gobreaker #37). The breaker instead appends each
//! change to a small queue; the host drains it with
//! [`super::Breaker::poll_transition`] after its calls, outside any lock, and
//! turns the entries into events.
//!
//! Every reason determines its target state, and [`TransitionReason::allowed_from`]
//! is the whole table of legal moves:
//!
//! | reason | from | to |
//! |---|---|---|
//! | `failureRate`, `slowCallRate`, `failureCount` | closed | open |
//! | `tripFor` | closed, halfOpen | open |
//! | `openDurationElapsed` | open | halfOpen |
//! | `probesSucceeded` | halfOpen | closed |
//! | `probesFailed` | halfOpen | open |
//! | `forcedOpen`, `disabled`, `metricsOnly`, `reset` | any other state | that state |
//!
//! Constraints: the queue holds the last [`TRANSITION_QUEUE_CAPACITY`]
//! transitions; when the host does not drain it, the oldest entry is dropped
//! and counted (`droppedTransitions`), never an allocation.

use super::state::State;
use crate::time::Instant;

/// Transitions kept until drained. One call causes at most two (for
/// example `reset` after the open deadline passed: open → halfOpen → closed).
pub const TRANSITION_QUEUE_CAPACITY: usize = 4;

/// Why the breaker changed state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub enum TransitionReason {
    /// The window's failure rate reached `failureRateThreshold`.
    FailureRate,
    /// The window's slow-call rate reached `slowCallRateThreshold`.
    SlowCallRate,
    /// The window's failures reached `failureCountThreshold`.
    FailureCount,
    /// The host said "open for this long" ([`super::Breaker::trip_for`]).
    TripFor,
    /// The open duration elapsed; probes may pass.
    OpenDurationElapsed,
    /// The half-open probes succeeded.
    ProbesSucceeded,
    /// The half-open probes failed.
    ProbesFailed,
    /// [`super::Breaker::force_open`].
    ForcedOpen,
    /// [`super::Breaker::disable`].
    Disabled,
    /// [`super::Breaker::metrics_only`].
    MetricsOnly,
    /// [`super::Breaker::reset`].
    Reset,
}

impl TransitionReason {
    /// Every reason, in the order of [`TransitionReason::index`].
    pub const ALL: [Self; 11] = [
        Self::FailureRate,
        Self::SlowCallRate,
        Self::FailureCount,
        Self::TripFor,
        Self::OpenDurationElapsed,
        Self::ProbesSucceeded,
        Self::ProbesFailed,
        Self::ForcedOpen,
        Self::Disabled,
        Self::MetricsOnly,
        Self::Reset,
    ];

    /// The state this reason leads to.
    pub const fn target(self) -> State {
        match self {
            Self::FailureRate
            | Self::SlowCallRate
            | Self::FailureCount
            | Self::TripFor
            | Self::ProbesFailed => State::Open,
            Self::OpenDurationElapsed => State::HalfOpen,
            Self::ProbesSucceeded | Self::Reset => State::Closed,
            Self::ForcedOpen => State::ForcedOpen,
            Self::Disabled => State::Disabled,
            Self::MetricsOnly => State::MetricsOnly,
        }
    }

    /// Whether this reason may move the breaker out of `from`.
    pub const fn allowed_from(self, from: State) -> bool {
        match self {
            Self::FailureRate | Self::SlowCallRate | Self::FailureCount => {
                matches!(from, State::Closed)
            }
            Self::TripFor => matches!(from, State::Closed | State::HalfOpen),
            Self::OpenDurationElapsed => matches!(from, State::Open),
            Self::ProbesSucceeded | Self::ProbesFailed => matches!(from, State::HalfOpen),
            Self::ForcedOpen => !matches!(from, State::ForcedOpen),
            Self::Disabled => !matches!(from, State::Disabled),
            Self::MetricsOnly => !matches!(from, State::MetricsOnly),
            Self::Reset => !matches!(from, State::Closed),
        }
    }

    /// A dense index, 0 ..= 10 (the order of [`TransitionReason::ALL`]).
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The binding-facing name (`"failureRate"`).
    pub const fn name(self) -> &'static str {
        match self {
            Self::FailureRate => "failureRate",
            Self::SlowCallRate => "slowCallRate",
            Self::FailureCount => "failureCount",
            Self::TripFor => "tripFor",
            Self::OpenDurationElapsed => "openDurationElapsed",
            Self::ProbesSucceeded => "probesSucceeded",
            Self::ProbesFailed => "probesFailed",
            Self::ForcedOpen => "forcedOpen",
            Self::Disabled => "disabled",
            Self::MetricsOnly => "metricsOnly",
            Self::Reset => "reset",
        }
    }
}

/// One state change: `from` → `to` because of `reason`, at instant `at`
/// (the clamped `now` of the call that caused it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", deny_unknown_fields)
)]
pub struct Transition {
    /// State before.
    pub from: State,
    /// State after (always `reason.target()`).
    pub to: State,
    /// Why.
    pub reason: TransitionReason,
    /// When.
    pub at: Instant,
}

/// A fixed ring of pending transitions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", deny_unknown_fields)
)]
pub(crate) struct TransitionQueue {
    slots: [Option<Transition>; TRANSITION_QUEUE_CAPACITY],
    /// Slot of the oldest pending entry.
    head: u8,
    /// Pending entries.
    len: u8,
}

impl TransitionQueue {
    /// Appends, dropping the oldest entry when full; returns whether one was
    /// dropped.
    pub(crate) fn push(&mut self, transition: Transition) -> bool {
        let capacity = TRANSITION_QUEUE_CAPACITY as u8;
        let full = self.len >= capacity;
        if full {
            self.pop();
        }
        let slot = (self.head.saturating_add(self.len) % capacity) as usize;
        if let Some(entry) = self.slots.get_mut(slot) {
            *entry = Some(transition);
            self.len = self.len.saturating_add(1);
        }
        full
    }

    /// Removes and returns the oldest pending entry.
    pub(crate) fn pop(&mut self) -> Option<Transition> {
        if self.len == 0 {
            return None;
        }
        let taken = self
            .slots
            .get_mut(self.head as usize)
            .and_then(Option::take);
        self.head = (self.head.saturating_add(1)) % TRANSITION_QUEUE_CAPACITY as u8;
        self.len -= 1;
        taken
    }

    /// Brings indices back in range (after a restore).
    pub(crate) fn sanitize(&mut self) {
        let capacity = TRANSITION_QUEUE_CAPACITY as u8;
        self.head %= capacity;
        self.len = self.len.min(capacity);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transition(at: u64) -> Transition {
        Transition {
            from: State::Closed,
            to: State::Open,
            reason: TransitionReason::FailureRate,
            at: Instant::from_nanos(at),
        }
    }

    #[test]
    fn drains_in_order() {
        let mut queue = TransitionQueue::default();
        assert!(!queue.push(transition(1)));
        assert!(!queue.push(transition(2)));
        assert_eq!(queue.pop(), Some(transition(1)));
        assert_eq!(queue.pop(), Some(transition(2)));
        assert_eq!(queue.pop(), None);
    }

    #[test]
    fn full_queue_drops_the_oldest() {
        let mut queue = TransitionQueue::default();
        for at in 0..TRANSITION_QUEUE_CAPACITY as u64 {
            assert!(!queue.push(transition(at)));
        }
        assert!(queue.push(transition(100)));
        assert_eq!(queue.pop(), Some(transition(1)));
        let rest: usize = core::iter::from_fn(|| queue.pop()).count();
        assert_eq!(rest, TRANSITION_QUEUE_CAPACITY - 1);
    }

    #[test]
    fn every_reason_targets_a_state_it_cannot_come_from_twice() {
        let reasons = [
            TransitionReason::FailureRate,
            TransitionReason::SlowCallRate,
            TransitionReason::FailureCount,
            TransitionReason::TripFor,
            TransitionReason::OpenDurationElapsed,
            TransitionReason::ProbesSucceeded,
            TransitionReason::ProbesFailed,
            TransitionReason::ForcedOpen,
            TransitionReason::Disabled,
            TransitionReason::MetricsOnly,
            TransitionReason::Reset,
        ];
        for reason in reasons {
            // No reason keeps the breaker where it is.
            assert!(!reason.allowed_from(reason.target()), "{reason:?}");
        }
    }
}
