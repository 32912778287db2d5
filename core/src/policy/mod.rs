//! Policy: one decision per failed attempt, composed from every part of the
//! core.
//!
//! Why: the parts (backoff, `Retry-After`, classification, retry budget,
//! circuit breaker, deadline) each answer a narrow question, and getting their
//! *order* wrong is how peers go wrong: spending budget on a retry the
//! deadline then forbids, sleeping past the deadline (tenacity's overshoot),
//! or going quiet when `Retry-After` is longer than the time left
//! (cenkalti/backoff #159). The policy asks them in a fixed order and names
//! the reason whenever it stops.
//!
//! ```text
//! failed attempt n ──► classified retriable? ──no──► GiveUp(NotRetriable)
//!        │ yes
//!        ▼
//!   n < attempt limit (adaptive)? ──no──► GiveUp(AttemptsExhausted)
//!        ▼
//!   d = backoff(n) ──none──► GiveUp(AttemptsExhausted)
//!        ▼
//!   d = combine(d, Retry-After) ──hint > max──► GiveUp(RetryAfterTooLong)
//!        ▼
//!   now + d ≤ deadline? ──no──► GiveUp(Deadline)
//!        ▼
//!   breaker admits by now + d? ──no──► GiveUp(BreakerOpen{retry_after})
//!        ▼
//!   budget grants a retry? ──no──► GiveUp(BudgetExhausted)
//!        ▼
//!   Retry { delay: d, attempt: n + 1 }
//! ```
//!
//! The budget is asked last, so a retry that another rule forbids never
//! spends it.
//!
//! Constraints: [`Policy::on_failure`] and [`Policy::on_success`] never
//! allocate or panic; `now` is clamped monotonic; counters saturate.

mod adaptive;
mod decision;
mod metrics;
mod options;
#[cfg(test)]
mod tests;

pub use adaptive::AdaptiveAttempts;
pub use decision::{Decision, Failure, GiveUp};
pub use metrics::{GiveUpCounts, PolicyMetrics};
pub use options::{AdaptiveOptions, PolicyOptions};

use crate::ConfigError;
use crate::backoff::{Backoff, BackoffState};
use crate::breaker::Breaker;
use crate::budget::{RetryBudget, RetryPermit};
use crate::retry_after::{RetryAfterDecision, RetryAfterPolicy};
use crate::time::{Duration, Instant, Monotonic, duration_from_millis_f64};

/// Snapshot format version written by [`Policy::snapshot`].
pub const POLICY_SNAPSHOT_VERSION: u32 = 1;

/// The state of one operation being retried: when it started, how many
/// attempts it made, its backoff state and the budget permit of its last
/// retry. Small and `Copy`; one per operation.
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", deny_unknown_fields)
)]
pub struct Execution {
    started: Instant,
    deadline: Option<Instant>,
    attempts: u32,
    backoff: BackoffState,
    last_retry_permit: Option<RetryPermit>,
}

impl Execution {
    /// When the first attempt started.
    pub const fn started(&self) -> Instant {
        self.started
    }

    /// The hard deadline, if the policy has one.
    pub const fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    /// Attempts made so far, the current one included.
    pub const fn attempts(&self) -> u32 {
        self.attempts
    }
}

/// What else a decision may consult: a shared retry budget and a circuit
/// breaker, both owned by the host (often shared by many operations).
#[derive(Debug, Default)]
pub struct Guards<'a> {
    /// The retry budget to spend from, if any.
    pub budget: Option<&'a mut RetryBudget>,
    /// The breaker guarding the dependency, if any (only queried, through
    /// [`Breaker::admits_at`]).
    pub breaker: Option<&'a Breaker>,
}

/// Validated [`PolicyOptions`] plus the policy's own running state (adaptive
/// rate and metrics).
#[derive(Clone, Debug)]
pub struct Policy {
    max_attempts: u32,
    deadline: Option<Duration>,
    backoff: Backoff,
    retry_after: RetryAfterPolicy,
    adaptive: Option<AdaptiveAttempts>,
    metrics: PolicyMetrics,
    clock: Monotonic,
}

/// A policy's running state, lossless and versioned.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", deny_unknown_fields)
)]
pub struct PolicySnapshot {
    /// Always [`POLICY_SNAPSHOT_VERSION`] when written by this version.
    pub version: u32,
    /// Adaptive success-rate state, when adaptive attempts are on.
    pub adaptive: Option<AdaptiveAttempts>,
    /// Counters.
    pub metrics: PolicyMetrics,
    /// Latest instant seen.
    pub latest: Instant,
}

/// A snapshot that cannot be restored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PolicySnapshotError {
    /// Written by an unknown format version.
    #[error("unsupported policy snapshot version {found} (supported: {supported})")]
    UnknownVersion {
        /// The version found.
        found: u32,
        /// The version this build reads.
        supported: u32,
    },
    /// Adaptive state present in one and absent in the other.
    #[error("snapshot adaptive state does not match the options")]
    AdaptiveMismatch,
}

impl PolicySnapshotError {
    /// Stable code: `ERR_SNAPSHOT_VERSION` or `ERR_SNAPSHOT_MISMATCH`.
    pub const fn code(&self) -> &'static str {
        match self {
            Self::UnknownVersion { .. } => "ERR_SNAPSHOT_VERSION",
            Self::AdaptiveMismatch => "ERR_SNAPSHOT_MISMATCH",
        }
    }
}

impl Policy {
    /// Validates every option.
    ///
    /// # Errors
    /// [`ConfigError`] naming `maxAttempts` (must be ≥ 1), `deadlineMs`, or
    /// the first bad field of `backoff`, `retryAfter` or `adaptive`.
    pub fn new(options: &PolicyOptions) -> Result<Self, ConfigError> {
        if options.max_attempts == 0 {
            return Err(ConfigError::Invalid {
                field: "maxAttempts",
                reason: "must be at least 1 (the first attempt counts)",
            });
        }
        let deadline = match options.deadline_ms {
            Some(ms) => Some(duration_from_millis_f64("deadlineMs", ms)?),
            None => None,
        };
        Ok(Self {
            max_attempts: options.max_attempts,
            deadline,
            backoff: Backoff::new(&options.backoff)?,
            retry_after: RetryAfterPolicy::new(&options.retry_after)?,
            adaptive: match &options.adaptive {
                Some(adaptive) => Some(AdaptiveAttempts::new(adaptive)?),
                None => None,
            },
            metrics: PolicyMetrics::default(),
            clock: Monotonic::new(),
        })
    }

    /// The backoff this policy uses.
    pub const fn backoff(&self) -> &Backoff {
        &self.backoff
    }

    /// The configured attempt limit (before adaptation).
    pub const fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The attempt limit in force now (lowered by adaptive attempts).
    pub fn attempt_limit(&mut self, now: Instant) -> u32 {
        let now = self.clock.observe(now);
        match &mut self.adaptive {
            Some(adaptive) => adaptive.limit(now, self.max_attempts),
            None => self.max_attempts,
        }
    }

    /// Starts an operation: its first attempt begins now. Deposits into the
    /// budget (an original request earns retries for a ratio budget).
    pub fn start(&mut self, now: Instant, budget: Option<&mut RetryBudget>) -> Execution {
        let now = self.clock.observe(now);
        if let Some(budget) = budget {
            budget.on_request(now);
        }
        self.metrics.executions = self.metrics.executions.saturating_add(1);
        self.metrics.attempts = self.metrics.attempts.saturating_add(1);
        Execution {
            started: now,
            deadline: self.deadline.map(|d| now + d),
            attempts: 1,
            backoff: BackoffState::default(),
            last_retry_permit: None,
        }
    }

    /// The current attempt succeeded: the operation is done.
    pub fn on_success(
        &mut self,
        execution: &mut Execution,
        now: Instant,
        budget: Option<&mut RetryBudget>,
    ) {
        let now = self.clock.observe(now);
        if let Some(adaptive) = &mut self.adaptive {
            adaptive.observe(now, true);
        }
        if let Some(budget) = budget {
            budget.on_success(now, execution.last_retry_permit.take());
        }
        self.metrics.successes = self.metrics.successes.saturating_add(1);
    }

    /// The current attempt failed: retry after a delay, or give up and say
    /// why. `u` is a uniform draw in `[0, 1)` for the backoff's jitter.
    pub fn on_failure(
        &mut self,
        execution: &mut Execution,
        now: Instant,
        failure: &Failure,
        u: f64,
        guards: Guards<'_>,
    ) -> Decision {
        let now = self.clock.observe(now);
        let Guards { budget, breaker } = guards;
        let mut budget = budget;
        if let Some(adaptive) = &mut self.adaptive {
            adaptive.observe(now, false);
        }
        if let Some(budget) = budget.as_deref_mut() {
            budget.on_failure(now);
        }
        let decision = self.decide(execution, now, failure, u, budget, breaker);
        match &decision {
            Decision::Retry { .. } => {
                self.metrics.retries = self.metrics.retries.saturating_add(1);
                self.metrics.attempts = self.metrics.attempts.saturating_add(1);
            }
            Decision::GiveUp(give_up) => self.metrics.give_ups.count(give_up),
        }
        decision
    }

    fn decide(
        &mut self,
        execution: &mut Execution,
        now: Instant,
        failure: &Failure,
        u: f64,
        budget: Option<&mut RetryBudget>,
        breaker: Option<&Breaker>,
    ) -> Decision {
        let give_up = |reason| Decision::GiveUp(reason);
        if !failure.classification.is_retriable() {
            return give_up(GiveUp::NotRetriable {
                reason: failure.classification.reason,
            });
        }
        let attempts = execution.attempts;
        if attempts >= self.attempt_limit(now) {
            return give_up(GiveUp::AttemptsExhausted { attempts });
        }
        let Some(backoff) = self.backoff.next_delay(&mut execution.backoff, attempts, u) else {
            return give_up(GiveUp::AttemptsExhausted { attempts });
        };
        let delay = match self.retry_after.decide(backoff, failure.retry_after) {
            RetryAfterDecision::Wait(delay) => delay,
            RetryAfterDecision::GiveUp { requested } => {
                return give_up(GiveUp::RetryAfterTooLong { requested });
            }
        };
        if let Some(deadline) = execution.deadline {
            let remaining = deadline - now;
            if delay > remaining {
                return give_up(GiveUp::Deadline {
                    remaining,
                    needed: delay,
                });
            }
        }
        if let Some(breaker) = breaker {
            // `None`: forced open, it admits nothing until a manual change.
            let admits_at = breaker.admits_at().unwrap_or(Instant::MAX);
            if admits_at > now + delay {
                return give_up(GiveUp::BreakerOpen {
                    retry_after: admits_at - now,
                });
            }
        }
        if let Some(budget) = budget {
            match budget.try_retry(now, failure.kind) {
                Ok(permit) => execution.last_retry_permit = Some(permit),
                Err(_) => return give_up(GiveUp::BudgetExhausted),
            }
        }
        execution.attempts = attempts.saturating_add(1);
        Decision::Retry {
            delay,
            attempt: execution.attempts,
        }
    }

    /// Counters since construction (or restore).
    pub const fn metrics(&self) -> PolicyMetrics {
        self.metrics
    }

    /// The running state, for persistence.
    pub fn snapshot(&self) -> PolicySnapshot {
        PolicySnapshot {
            version: POLICY_SNAPSHOT_VERSION,
            adaptive: self.adaptive,
            metrics: self.metrics,
            latest: self.clock.latest(),
        }
    }

    /// Continues from a snapshot taken by a policy with the same options.
    ///
    /// # Errors
    /// [`PolicySnapshotError::UnknownVersion`] for another format version;
    /// [`PolicySnapshotError::AdaptiveMismatch`] when adaptive attempts are on
    /// in one and off in the other.
    pub fn restore(&mut self, snapshot: &PolicySnapshot) -> Result<(), PolicySnapshotError> {
        if snapshot.version != POLICY_SNAPSHOT_VERSION {
            return Err(PolicySnapshotError::UnknownVersion {
                found: snapshot.version,
                supported: POLICY_SNAPSHOT_VERSION,
            });
        }
        if snapshot.adaptive.is_some() != self.adaptive.is_some() {
            return Err(PolicySnapshotError::AdaptiveMismatch);
        }
        self.adaptive = snapshot.adaptive;
        self.metrics = snapshot.metrics;
        self.clock = Monotonic::new();
        self.clock.observe(snapshot.latest);
        Ok(())
    }
}
