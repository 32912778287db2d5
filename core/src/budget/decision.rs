//! What a budget answers: a permit or a refusal, and the numbers behind it.
//!
//! Why: the retry policy and the bindings must treat every budget alike, and
//! a quota must refund exactly what a retry cost even if its options differ
//! by error kind. A granted retry therefore returns a [`RetryPermit`] that
//! remembers its cost; the caller hands it back with the final success.
//!
//! ```text
//!   try_retry(now, kind) ──► Ok(RetryPermit { cost })   retry now
//!                        └─► Err(BudgetExhausted)       give up (not a failure)
//!   on_success(now, Some(permit))  refunds permit.cost (quota)
//! ```
//!
//! Constraints: all types are `Copy`, carry no allocation and never panic.

use super::fixed_point::from_milli;

/// Why a retry is wanted. Only the quota prices kinds differently (AWS:
/// a timeout costs more in the classic preset, a throttling error less in
/// the 2026 preset); the other budgets ignore it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub enum RetryKind {
    /// Any other retriable failure (5xx, connection reset, …).
    #[default]
    Other,
    /// The attempt timed out (connect or read timeout).
    Timeout,
    /// The server throttled the attempt (429, `Throttling`, `SlowDown`, …).
    Throttling,
}

/// Proof that a budget granted one retry, carrying what the retry cost.
///
/// Pass the permit of a request's *last* retry to `on_success` when the
/// request finally succeeds: a [`RetryQuota`](super::RetryQuota) refunds
/// exactly that cost (the AWS rule); the other budgets ignore it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", deny_unknown_fields)
)]
#[must_use = "a permit should be handed back to `on_success` when the retry succeeds"]
pub struct RetryPermit {
    /// Cost in thousandths of the budget's balance unit.
    cost_milli: u64,
}

impl RetryPermit {
    /// A permit for a retry that cost `cost_milli` thousandths.
    pub(crate) const fn with_cost_milli(cost_milli: u64) -> Self {
        Self { cost_milli }
    }

    /// What the retry took from the budget's balance, in the budget's unit:
    /// quota tokens for a quota, one retry for a ratio budget, zero for a
    /// token bucket (there the failure, not the retry, costs a token).
    pub fn cost(&self) -> f64 {
        from_milli(self.cost_milli)
    }

    /// The cost in thousandths (exact).
    pub(crate) const fn cost_milli(&self) -> u64 {
        self.cost_milli
    }
}

/// A retry refused because the budget is spent. Not a failure of the
/// request: the caller reports the original error and stops retrying.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, thiserror::Error)]
#[error("retry budget exhausted")]
pub struct BudgetExhausted;

impl BudgetExhausted {
    /// Stable machine-readable code, the same in every binding.
    pub const fn code(&self) -> &'static str {
        "ERR_BUDGET_EXHAUSTED"
    }
}

/// A snapshot of a budget's counters for metrics and dashboards.
///
/// | field | ratio | token bucket | quota |
/// |---|---|---|---|
/// | `deposits` | requests deposited | successes recorded | successes recorded |
/// | `withdrawals` | retries granted | retries granted | retries granted |
/// | `rejections` | retries refused | retries refused | retries refused |
/// | `balance` | whole retries affordable now | tokens | tokens available |
///
/// Counters saturate at `u64::MAX`; `balance` is never negative.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", deny_unknown_fields)
)]
pub struct BudgetMetrics {
    /// Credits recorded (see the table above).
    pub deposits: u64,
    /// Retries granted.
    pub withdrawals: u64,
    /// Retries refused.
    pub rejections: u64,
    /// The budget's balance at the time of the snapshot.
    pub balance: f64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn permit_reports_its_cost_in_whole_units() {
        assert_eq!(RetryPermit::with_cost_milli(14_000).cost(), 14.0);
        assert_eq!(RetryPermit::with_cost_milli(1).cost(), 0.001);
    }

    #[test]
    fn exhaustion_has_a_stable_code_and_message() {
        assert_eq!(BudgetExhausted.code(), "ERR_BUDGET_EXHAUSTED");
        assert_eq!(BudgetExhausted.to_string(), "retry budget exhausted");
    }
}
