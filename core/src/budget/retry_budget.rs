//! One interface over every budget, for the retry policy and the bindings.
//!
//! Why: the policy should not care which budget a user configured, and a
//! binding should expose one `RetryBudget` class whose options object picks
//! the kind with `"type"`. Each call is forwarded to the budget that gives it
//! meaning and ignored by the others:
//!
//! | call | ratio | token bucket | quota |
//! |---|---|---|---|
//! | `on_request` | deposit | – | – |
//! | `on_failure` | – | −1 token | – |
//! | `try_retry(kind)` | withdraw 1 retry | tokens > max/2 | spend cost of `kind` |
//! | `on_success(permit)` | – | +`tokenRatio` | refund `permit` or +`noRetryIncrement` |
//! | `balance` | whole retries affordable | tokens | tokens available |
//!
//! Constraints: forwarding is a `match`; every call stays allocation-free and
//! panic-free.

use super::decision::{BudgetExhausted, BudgetMetrics, RetryKind, RetryPermit};
use super::fixed_point::MILLI;
use super::quota::{RetryQuota, RetryQuotaOptions, RetryQuotaState};
use super::ratio::{RatioBudget, RatioBudgetOptions, RatioBudgetState};
use super::token_bucket::{TokenBucket, TokenBucketOptions, TokenBucketState};
use crate::ConfigError;
use crate::time::Instant;

/// Options of a [`RetryBudget`]; in JSON, `"type"` picks the variant and the
/// variant's own fields sit beside it: `{"type": "tokenBucket", "maxTokens":
/// 10, "tokenRatio": 0.1}`. Default: a ratio budget with Finagle's defaults.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(tag = "type", rename_all = "camelCase")
)]
pub enum RetryBudgetOptions {
    /// `"ratio"`: a [`RatioBudget`].
    Ratio(RatioBudgetOptions),
    /// `"tokenBucket"`: a [`TokenBucket`].
    TokenBucket(TokenBucketOptions),
    /// `"quota"`: a [`RetryQuota`].
    Quota(RetryQuotaOptions),
}

impl Default for RetryBudgetOptions {
    fn default() -> Self {
        Self::Ratio(RatioBudgetOptions::default())
    }
}

/// The mutable state of a [`RetryBudget`], tagged like its options.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(tag = "type", rename_all = "camelCase")
)]
pub enum RetryBudgetState {
    /// State of a ratio budget.
    Ratio(RatioBudgetState),
    /// State of a token bucket.
    TokenBucket(TokenBucketState),
    /// State of a quota.
    Quota(RetryQuotaState),
}

/// Any retry budget behind one interface; see the [module docs](self).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RetryBudget {
    /// Finagle-style ratio budget.
    Ratio(RatioBudget),
    /// gRPC-style token bucket.
    TokenBucket(TokenBucket),
    /// AWS-style retry quota.
    Quota(RetryQuota),
}

impl RetryBudget {
    /// Builds the budget `options` describe.
    ///
    /// # Errors
    /// The [`ConfigError`] of the chosen budget's constructor
    /// ([`RatioBudget::new`], [`TokenBucket::new`], [`RetryQuota::new`]).
    pub fn new(options: &RetryBudgetOptions) -> Result<Self, ConfigError> {
        Ok(match options {
            RetryBudgetOptions::Ratio(o) => Self::Ratio(RatioBudget::new(o)?),
            RetryBudgetOptions::TokenBucket(o) => Self::TokenBucket(TokenBucket::new(o)?),
            RetryBudgetOptions::Quota(o) => Self::Quota(RetryQuota::new(o)?),
        })
    }

    /// An original request starts (not a retry).
    // One out-of-line copy on wasm32: the browser module is size-bound.
    #[cfg_attr(target_arch = "wasm32", inline(never))]
    #[cfg_attr(not(target_arch = "wasm32"), inline)]
    pub fn on_request(&mut self, now: Instant) {
        if let Self::Ratio(b) = self {
            b.deposit(now);
        }
    }

    /// An attempt failed with a retriable failure. Call it before
    /// [`Self::try_retry`] for that failure.
    // One out-of-line copy on wasm32: the browser module is size-bound.
    #[cfg_attr(target_arch = "wasm32", inline(never))]
    #[cfg_attr(not(target_arch = "wasm32"), inline)]
    pub fn on_failure(&mut self, now: Instant) {
        if let Self::TokenBucket(b) = self {
            b.on_failure(now);
        }
    }

    /// Asks for one retry after a failure of `kind`.
    ///
    /// # Errors
    /// [`BudgetExhausted`] when the budget refuses; nothing is spent then.
    // One out-of-line copy on wasm32: the browser module is size-bound.
    #[cfg_attr(target_arch = "wasm32", inline(never))]
    #[cfg_attr(not(target_arch = "wasm32"), inline)]
    pub fn try_retry(
        &mut self,
        now: Instant,
        kind: RetryKind,
    ) -> Result<RetryPermit, BudgetExhausted> {
        match self {
            Self::Ratio(b) => b
                .try_withdraw(now)
                .then_some(RetryPermit::with_cost_milli(MILLI))
                .ok_or(BudgetExhausted),
            Self::TokenBucket(b) => b
                .try_withdraw(now)
                .then_some(RetryPermit::with_cost_milli(0))
                .ok_or(BudgetExhausted),
            Self::Quota(q) => q.try_acquire(now, kind),
        }
    }

    /// A request finally succeeded; `permit` is the permit of its last retry,
    /// or `None` if it succeeded at the first attempt.
    // One out-of-line copy on wasm32: the browser module is size-bound.
    #[cfg_attr(target_arch = "wasm32", inline(never))]
    #[cfg_attr(not(target_arch = "wasm32"), inline)]
    pub fn on_success(&mut self, now: Instant, permit: Option<RetryPermit>) {
        match self {
            Self::Ratio(_) => {}
            Self::TokenBucket(b) => b.on_success(now),
            Self::Quota(q) => q.on_success(now, permit),
        }
    }

    /// The balance for metrics: whole retries affordable (ratio) or tokens
    /// (token bucket, quota). Never negative.
    pub fn balance(&self, now: Instant) -> f64 {
        match self {
            Self::Ratio(b) => b.balance(now) as f64,
            Self::TokenBucket(b) => b.tokens(now),
            Self::Quota(q) => q.available(now),
        }
    }

    /// Counters and balance at `now`.
    pub fn metrics(&self, now: Instant) -> BudgetMetrics {
        match self {
            Self::Ratio(b) => b.metrics(now),
            Self::TokenBucket(b) => b.metrics(now),
            Self::Quota(q) => q.metrics(now),
        }
    }

    /// A copy of the mutable state.
    pub fn snapshot(&self) -> RetryBudgetState {
        match self {
            Self::Ratio(b) => RetryBudgetState::Ratio(b.snapshot()),
            Self::TokenBucket(b) => RetryBudgetState::TokenBucket(b.snapshot()),
            Self::Quota(q) => RetryBudgetState::Quota(q.snapshot()),
        }
    }

    /// Replaces the mutable state with `state` (see each budget's `restore`).
    ///
    /// # Errors
    /// [`ConfigError::Invalid`] naming `type` when `state` belongs to another
    /// kind of budget; the budget is then unchanged.
    pub fn restore(&mut self, state: RetryBudgetState) -> Result<(), ConfigError> {
        match (self, state) {
            (Self::Ratio(b), RetryBudgetState::Ratio(s)) => b.restore(s),
            (Self::TokenBucket(b), RetryBudgetState::TokenBucket(s)) => b.restore(s),
            (Self::Quota(q), RetryBudgetState::Quota(s)) => q.restore(s),
            _ => {
                return Err(ConfigError::Invalid {
                    field: "type",
                    reason: "names another kind of budget than this one",
                });
            }
        }
        Ok(())
    }
}

/// Snapshot format version written by [`RetryBudget::versioned_snapshot`].
pub const BUDGET_SNAPSHOT_VERSION: u32 = 1;

/// A budget's state with its format version: what to persist or share
/// between processes. Lossless: restoring it continues exactly where the
/// budget left off.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", deny_unknown_fields)
)]
pub struct BudgetSnapshot {
    /// [`BUDGET_SNAPSHOT_VERSION`] when written by this version.
    pub version: u32,
    /// The budget's state.
    pub state: RetryBudgetState,
}

/// A [`BudgetSnapshot`] that cannot be restored.
#[derive(Clone, Copy, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum BudgetSnapshotError {
    /// Written by an unknown format version.
    #[error("unsupported budget snapshot version {found} (supported: {supported})")]
    UnknownVersion {
        /// The version found.
        found: u32,
        /// The version this build reads.
        supported: u32,
    },
    /// The state belongs to another kind of budget.
    #[error(transparent)]
    Mismatch(ConfigError),
}

impl BudgetSnapshotError {
    /// Stable code: `ERR_SNAPSHOT_VERSION` or `ERR_SNAPSHOT_MISMATCH`.
    pub const fn code(&self) -> &'static str {
        match self {
            Self::UnknownVersion { .. } => "ERR_SNAPSHOT_VERSION",
            Self::Mismatch(_) => "ERR_SNAPSHOT_MISMATCH",
        }
    }
}

impl RetryBudget {
    /// The state with its format version, for persistence.
    pub fn versioned_snapshot(&self) -> BudgetSnapshot {
        BudgetSnapshot {
            version: BUDGET_SNAPSHOT_VERSION,
            state: self.snapshot(),
        }
    }

    /// Continues from a versioned snapshot.
    ///
    /// # Errors
    /// [`BudgetSnapshotError::UnknownVersion`] for another format version,
    /// [`BudgetSnapshotError::Mismatch`] for another kind of budget; the
    /// budget is then unchanged.
    pub fn restore_snapshot(
        &mut self,
        snapshot: &BudgetSnapshot,
    ) -> Result<(), BudgetSnapshotError> {
        if snapshot.version != BUDGET_SNAPSHOT_VERSION {
            return Err(BudgetSnapshotError::UnknownVersion {
                found: snapshot.version,
                supported: BUDGET_SNAPSHOT_VERSION,
            });
        }
        self.restore(snapshot.state.clone())
            .map_err(BudgetSnapshotError::Mismatch)
    }
}

impl From<RatioBudget> for RetryBudget {
    fn from(budget: RatioBudget) -> Self {
        Self::Ratio(budget)
    }
}

impl From<TokenBucket> for RetryBudget {
    fn from(budget: TokenBucket) -> Self {
        Self::TokenBucket(budget)
    }
}

impl From<RetryQuota> for RetryBudget {
    fn from(budget: RetryQuota) -> Self {
        Self::Quota(budget)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Instant = Instant::ZERO;

    #[test]
    fn default_options_build_finagle_defaults() {
        let b = RetryBudget::new(&RetryBudgetOptions::default()).unwrap();
        assert_eq!(b.balance(NOW), 100.0);
    }

    #[test]
    fn every_budget_answers_the_same_calls() {
        let options = [
            RetryBudgetOptions::Ratio(RatioBudgetOptions {
                min_retries_per_second: 0.0,
                retry_percent: 100.0,
                ..RatioBudgetOptions::default()
            }),
            RetryBudgetOptions::TokenBucket(TokenBucketOptions {
                max_tokens: 3.0,
                token_ratio: 1.0,
            }),
            RetryBudgetOptions::Quota(RetryQuotaOptions {
                capacity: Some(5.0),
                ..RetryQuotaOptions::default()
            }),
        ];
        for option in options {
            let mut b = RetryBudget::new(&option).unwrap();
            b.on_request(NOW);
            b.on_failure(NOW);
            let permit = b.try_retry(NOW, RetryKind::Other);
            assert!(permit.is_ok(), "{option:?}");
            b.on_failure(NOW);
            assert_eq!(b.try_retry(NOW, RetryKind::Other), Err(BudgetExhausted));
            b.on_success(NOW, permit.ok());
            assert_eq!(b.metrics(NOW).withdrawals, 1);
            assert_eq!(b.metrics(NOW).rejections, 1);
        }
    }

    #[test]
    fn quota_refund_goes_through_the_common_interface() {
        let mut b =
            RetryBudget::new(&RetryBudgetOptions::Quota(RetryQuotaOptions::default())).unwrap();
        let permit = b.try_retry(NOW, RetryKind::Timeout).unwrap();
        assert_eq!(b.balance(NOW), 490.0);
        b.on_success(NOW, Some(permit));
        assert_eq!(b.balance(NOW), 500.0);
    }

    #[test]
    fn restore_refuses_another_kind_of_state() {
        let mut ratio = RetryBudget::new(&RetryBudgetOptions::default()).unwrap();
        let quota =
            RetryBudget::new(&RetryBudgetOptions::Quota(RetryQuotaOptions::default())).unwrap();
        let err = ratio.restore(quota.snapshot()).unwrap_err();
        assert_eq!(err.field(), "type");
        assert_eq!(ratio.restore(ratio.snapshot()), Ok(()));
    }

    #[cfg(feature = "serde")]
    #[test]
    fn options_parse_from_tagged_camel_case_json() {
        let parsed: RetryBudgetOptions =
            serde_json::from_str(r#"{"type":"tokenBucket","maxTokens":4,"tokenRatio":0.5}"#)
                .unwrap();
        assert_eq!(
            parsed,
            RetryBudgetOptions::TokenBucket(TokenBucketOptions {
                max_tokens: 4.0,
                token_ratio: 0.5
            })
        );
        let quota: RetryBudgetOptions =
            serde_json::from_str(r#"{"type":"quota","preset":"awsStandard2026","capacity":100}"#)
                .unwrap();
        assert_eq!(
            quota,
            RetryBudgetOptions::Quota(RetryQuotaOptions {
                capacity: Some(100.0),
                ..RetryQuotaOptions::aws_standard_2026()
            })
        );
        let ratio: RetryBudgetOptions = serde_json::from_str(r#"{"type":"ratio"}"#).unwrap();
        assert_eq!(ratio, RetryBudgetOptions::default());
        assert!(serde_json::from_str::<RetryBudgetOptions>(r#"{"type":"ratio","ttl":5}"#).is_err());
    }

    #[cfg(feature = "serde")]
    #[test]
    fn state_snapshot_round_trips_through_json() {
        let mut b = RetryBudget::new(&RetryBudgetOptions::default()).unwrap();
        b.on_request(Instant::from_nanos(5_000_000_000));
        let _ = b.try_retry(Instant::from_nanos(6_000_000_000), RetryKind::Other);
        let json = serde_json::to_string(&b.snapshot()).unwrap();
        let state: RetryBudgetState = serde_json::from_str(&json).unwrap();
        let mut restored = RetryBudget::new(&RetryBudgetOptions::default()).unwrap();
        restored.restore(state).unwrap();
        assert_eq!(restored, b);
    }
}
