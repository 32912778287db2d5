//! The two-step call protocol: permits, outcomes, rejections.
//!
//! Why two steps: the breaker is consulted before the call
//! ([`super::Breaker::try_acquire`]) and after it ([`super::Breaker::record`]),
//! and is never held during it, so a slow call cannot serialise the others
//! (pybreaker holds its lock for the whole call).
//!
//! A [`Permit`] names the breaker *generation* that admitted it. Every state
//! change starts a new generation, so a result that arrives after the state
//! changed is ignored instead of being counted in the new state
//! (resilience4j #1432). A permit is neither `Clone` nor `Copy`: recording
//! consumes it, so Rust code cannot record a call twice. Bindings, which hold
//! permits as plain numbers, rebuild them with [`Permit::from_parts`]; the
//! breaker then detects a second record of the same permit and answers
//! [`PermitError::Reused`].
//!
//! Constraints: everything here is `Copy`-sized plain data except `Permit`,
//! which is deliberately move-only.

use super::state::State;
use crate::time::Duration;

/// Leave to make one call, returned by [`super::Breaker::try_acquire`].
/// Hand it back to [`super::Breaker::record`] with the call's outcome.
#[derive(Debug, PartialEq, Eq, Hash)]
#[must_use = "a permit must be recorded, or its half-open slot stays leased"]
pub struct Permit {
    generation: u64,
    id: u64,
}

impl Permit {
    pub(crate) const fn new(generation: u64, id: u64) -> Self {
        Self { generation, id }
    }

    /// Rebuilds a permit from [`Permit::generation`] and [`Permit::id`], for
    /// bindings that hand permits to their host as numbers.
    pub const fn from_parts(generation: u64, id: u64) -> Self {
        Self { generation, id }
    }

    /// The breaker generation that admitted this call.
    pub const fn generation(&self) -> u64 {
        self.generation
    }

    /// Sequence number of this permit within its generation.
    pub const fn id(&self) -> u64 {
        self.id
    }
}

/// How the call ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub enum OutcomeKind {
    /// The call succeeded.
    Success,
    /// The call failed in a way the breaker should count.
    Failure,
    /// The call ended in a way that says nothing about the dependency (for
    /// example cancelled by the caller): it releases its permit, counts
    /// nowhere.
    Ignored,
}

/// A call's outcome and, optionally, how long it took (for slow-call
/// detection).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Outcome {
    /// Success, failure or ignored.
    pub kind: OutcomeKind,
    /// Measured duration; without one a call is never slow.
    pub duration: Option<Duration>,
}

impl Outcome {
    /// A success without a measured duration.
    pub const fn success() -> Self {
        Self {
            kind: OutcomeKind::Success,
            duration: None,
        }
    }

    /// A failure without a measured duration.
    pub const fn failure() -> Self {
        Self {
            kind: OutcomeKind::Failure,
            duration: None,
        }
    }

    /// An outcome that releases the permit without counting.
    pub const fn ignored() -> Self {
        Self {
            kind: OutcomeKind::Ignored,
            duration: None,
        }
    }

    /// The same outcome with a measured duration.
    pub const fn took(self, duration: Duration) -> Self {
        Self {
            kind: self.kind,
            duration: Some(duration),
        }
    }
}

/// What [`super::Breaker::record`] did with a result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub enum Recorded {
    /// Counted as a success or failure (and, in half-open, as a probe).
    Counted,
    /// An ignored outcome: the permit was released, nothing counted.
    Released,
    /// The permit came from an earlier generation, or its half-open lease had
    /// expired: the result was dropped.
    Late,
}

/// A call the breaker did not admit. Rejections never count as failures and
/// never enter a window.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
#[error("circuit breaker is {}", state.name())]
pub struct Rejected {
    /// [`State::Open`], [`State::HalfOpen`] (all probes in flight) or
    /// [`State::ForcedOpen`].
    pub state: State,
    /// How long until the breaker would admit a call: open, until the instant
    /// strictly after the deadline; half-open, until the oldest probe's lease
    /// ends. `None` when forced open (only a manual change admits calls).
    pub retry_after: Option<Duration>,
}

impl Rejected {
    /// Stable machine-readable code, the same in every binding.
    pub const fn code(&self) -> &'static str {
        "ERR_BREAKER_OPEN"
    }
}

/// A permit [`super::Breaker::record`] cannot accept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum PermitError {
    /// This permit's result was already recorded.
    #[error("permit was already recorded")]
    Reused,
    /// This breaker never issued this permit (a later generation, or an id
    /// not yet handed out).
    #[error("permit was not issued by this breaker")]
    Unknown,
}

impl PermitError {
    /// Stable machine-readable code, the same in every binding.
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Reused => "ERR_PERMIT_REUSED",
            Self::Unknown => "ERR_PERMIT_UNKNOWN",
        }
    }
}
