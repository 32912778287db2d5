//! What a policy says after a failed attempt, and why it gives up.

use crate::budget::RetryKind;
use crate::classify::{Classification, FailureClass};
use crate::time::Duration;

/// A failed attempt as the policy sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Failure {
    /// What kind of failure it was (from [`crate::classify`] or the host).
    pub classification: Classification,
    /// A server hint already parsed by [`crate::retry_after`], if any.
    pub retry_after: Option<Duration>,
    /// What a quota budget charges for retrying it.
    pub kind: RetryKind,
}

impl Failure {
    /// A failure the host considers retriable, with no further detail.
    pub const fn retriable() -> Self {
        Self::classified(Classification::new(FailureClass::Retriable, "retriable"))
    }

    /// A failure the host considers permanent.
    pub const fn not_retriable(reason: &'static str) -> Self {
        Self::classified(Classification::new(FailureClass::NotRetriable, reason))
    }

    /// A failure with its classification and no hint.
    pub const fn classified(classification: Classification) -> Self {
        Self {
            classification,
            retry_after: None,
            kind: RetryKind::Other,
        }
    }

    /// The same failure carrying a server hint.
    #[must_use]
    pub const fn with_retry_after(mut self, hint: Duration) -> Self {
        self.retry_after = Some(hint);
        self
    }

    /// The same failure with a budget cost kind.
    #[must_use]
    pub const fn with_kind(mut self, kind: RetryKind) -> Self {
        self.kind = kind;
        self
    }
}

/// The policy's answer to a failed attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Wait `delay`, then make attempt number `attempt` (1-based).
    Retry {
        /// How long to wait before the next attempt.
        delay: Duration,
        /// The number of the attempt about to be made (2 for the first retry).
        attempt: u32,
    },
    /// Stop and report the last error, for this reason.
    GiveUp(GiveUp),
}

/// Why a policy stopped retrying. Every variant has a stable [`GiveUp::code`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum GiveUp {
    /// The failure is not worth retrying (`reason` from the classification).
    NotRetriable {
        /// The classification's reason code.
        reason: &'static str,
    },
    /// Every allowed attempt was made.
    AttemptsExhausted {
        /// Attempts made, the first included.
        attempts: u32,
    },
    /// The next attempt would start after the deadline.
    Deadline {
        /// Time left until the deadline.
        remaining: Duration,
        /// The wait the next attempt needed.
        needed: Duration,
    },
    /// The retry budget is spent (the fleet is already retrying enough).
    BudgetExhausted,
    /// The circuit breaker is open and will not admit a call before the retry.
    BreakerOpen {
        /// When the breaker will admit a probe, from now.
        retry_after: Duration,
    },
    /// The server asked to wait longer than `maxRetryAfterMs`.
    RetryAfterTooLong {
        /// The wait the server asked for.
        requested: Duration,
    },
}

impl GiveUp {
    /// Every code, in the order of [`GiveUp::index`].
    pub const CODES: [&'static str; 6] = [
        "not_retriable",
        "attempts_exhausted",
        "deadline",
        "budget_exhausted",
        "breaker_open",
        "retry_after_too_long",
    ];

    /// A dense index into [`GiveUp::CODES`] (a binding that keeps the codes
    /// on its side passes this instead of the text).
    pub const fn index(&self) -> usize {
        match self {
            Self::NotRetriable { .. } => 0,
            Self::AttemptsExhausted { .. } => 1,
            Self::Deadline { .. } => 2,
            Self::BudgetExhausted => 3,
            Self::BreakerOpen { .. } => 4,
            Self::RetryAfterTooLong { .. } => 5,
        }
    }

    /// Stable snake_case code, the same in every binding.
    // `index()` is below `CODES.len()` by construction.
    #[allow(clippy::indexing_slicing)]
    pub const fn code(&self) -> &'static str {
        Self::CODES[self.index()]
    }
}
