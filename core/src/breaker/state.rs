//! Breaker states: the public name, and the internal phase with its data.
//!
//! Why an enum with data: each state owns exactly what it needs (the open
//! deadline, the half-open tally), so "half-open without a tally" or "open
//! without a deadline" cannot be written down. The phase changes only inside
//! the breaker's methods (see `transition.rs` for the legal moves).
//!
//! ```text
//!             trip (rate, count, tripFor)            now > until
//!   CLOSED ───────────────────────────────▶ OPEN ─────────────────▶ HALF_OPEN
//!     ▲                                      ▲                          │
//!     │             probes failed / tripFor  └──────────────────────────┤
//!     └─────────────────────────────────────────────────────────────────┘
//!                             probes succeeded
//!
//!   any state ──forceOpen──▶ FORCED_OPEN   ──disable──▶ DISABLED
//!             ──metricsOnly──▶ METRICS_ONLY   ──reset──▶ CLOSED
//! ```
//!
//! Constraints: `Copy` data only; the probe table lives beside the phase and
//! is reused, so entering half-open never allocates.

use crate::time::Instant;

/// What the breaker does with the next call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub enum State {
    /// Calls pass and are counted; thresholds may open the breaker.
    Closed,
    /// Calls are rejected until the open duration has elapsed.
    Open,
    /// A limited number of probes pass; their outcomes close or reopen.
    HalfOpen,
    /// Manually isolated: every call is rejected until a manual change.
    ForcedOpen,
    /// Manually bypassed: every call passes, nothing is counted in a window.
    Disabled,
    /// Every call passes and is counted, but the breaker never opens.
    MetricsOnly,
}

impl State {
    /// Every state, in the order of [`State::index`].
    pub const ALL: [Self; 6] = [
        Self::Closed,
        Self::Open,
        Self::HalfOpen,
        Self::ForcedOpen,
        Self::Disabled,
        Self::MetricsOnly,
    ];

    /// A dense index, 0 ..= 5.
    pub const fn index(self) -> usize {
        match self {
            Self::Closed => 0,
            Self::Open => 1,
            Self::HalfOpen => 2,
            Self::ForcedOpen => 3,
            Self::Disabled => 4,
            Self::MetricsOnly => 5,
        }
    }

    /// The binding-facing name (`"halfOpen"`).
    pub const fn name(self) -> &'static str {
        match self {
            Self::Closed => "closed",
            Self::Open => "open",
            Self::HalfOpen => "halfOpen",
            Self::ForcedOpen => "forcedOpen",
            Self::Disabled => "disabled",
            Self::MetricsOnly => "metricsOnly",
        }
    }
}

/// Outcomes reported by the probes of one half-open phase.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", deny_unknown_fields)
)]
pub(crate) struct Tally {
    /// Probes admitted whose permit is still leased.
    pub(crate) in_flight: u32,
    pub(crate) successes: u32,
    pub(crate) failures: u32,
    pub(crate) slow: u32,
}

impl Tally {
    /// Probes that reported a counted outcome.
    #[inline]
    pub(crate) fn reported(&self) -> u32 {
        self.successes.saturating_add(self.failures)
    }

    /// Permits in use: leased plus reported.
    #[inline]
    pub(crate) fn used(&self) -> u32 {
        self.in_flight.saturating_add(self.reported())
    }
}

/// The state together with the data only that state has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(tag = "state", rename_all = "camelCase", deny_unknown_fields)
)]
pub(crate) enum Phase {
    Closed,
    Open {
        /// Last instant at which calls are still rejected.
        until: Instant,
    },
    HalfOpen {
        tally: Tally,
    },
    ForcedOpen,
    Disabled,
    MetricsOnly,
}

impl Phase {
    /// Whether every `try_acquire` admits (closed, metrics-only, disabled).
    #[inline]
    pub(crate) fn admits_without_asking(&self) -> bool {
        matches!(self, Self::Closed | Self::MetricsOnly | Self::Disabled)
    }

    /// The public name of this phase.
    #[inline]
    pub(crate) fn state(&self) -> State {
        match self {
            Self::Closed => State::Closed,
            Self::Open { .. } => State::Open,
            Self::HalfOpen { .. } => State::HalfOpen,
            Self::ForcedOpen => State::ForcedOpen,
            Self::Disabled => State::Disabled,
            Self::MetricsOnly => State::MetricsOnly,
        }
    }
}
