//! Counters a policy keeps for export.

use super::decision::GiveUp;

/// Give-ups by reason.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", deny_unknown_fields)
)]
pub struct GiveUpCounts {
    /// [`GiveUp::NotRetriable`].
    pub not_retriable: u64,
    /// [`GiveUp::AttemptsExhausted`].
    pub attempts_exhausted: u64,
    /// [`GiveUp::Deadline`].
    pub deadline: u64,
    /// [`GiveUp::BudgetExhausted`].
    pub budget_exhausted: u64,
    /// [`GiveUp::BreakerOpen`].
    pub breaker_open: u64,
    /// [`GiveUp::RetryAfterTooLong`].
    pub retry_after_too_long: u64,
}

impl GiveUpCounts {
    pub(super) fn count(&mut self, give_up: &GiveUp) {
        let slot = match give_up {
            GiveUp::NotRetriable { .. } => &mut self.not_retriable,
            GiveUp::AttemptsExhausted { .. } => &mut self.attempts_exhausted,
            GiveUp::Deadline { .. } => &mut self.deadline,
            GiveUp::BudgetExhausted => &mut self.budget_exhausted,
            GiveUp::BreakerOpen { .. } => &mut self.breaker_open,
            GiveUp::RetryAfterTooLong { .. } => &mut self.retry_after_too_long,
        };
        *slot = slot.saturating_add(1);
    }

    /// All give-ups.
    pub const fn total(&self) -> u64 {
        self.not_retriable
            .saturating_add(self.attempts_exhausted)
            .saturating_add(self.deadline)
            .saturating_add(self.budget_exhausted)
            .saturating_add(self.breaker_open)
            .saturating_add(self.retry_after_too_long)
    }
}

/// A policy's counters. `executions = successes + give_ups.total() + in flight`
/// and `attempts = executions + retries`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", deny_unknown_fields)
)]
pub struct PolicyMetrics {
    /// Operations started.
    pub executions: u64,
    /// Attempts made, first attempts included.
    pub attempts: u64,
    /// Retries scheduled.
    pub retries: u64,
    /// Operations that succeeded (on any attempt).
    pub successes: u64,
    /// Operations given up, by reason.
    pub give_ups: GiveUpCounts,
}
