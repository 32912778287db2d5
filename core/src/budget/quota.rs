//! Retry quota: a fixed pool of tokens that retries spend and successes
//! refill (the AWS SDKs' "standard" retry mode).
//!
//! ## Why
//!
//! Every AWS SDK shares one quota per client: in a healthy period it stays
//! full and retries are free to happen; in an outage the pool drains after
//! about a hundred retries and the client fails fast until successes refill
//! it. Users moving from boto3 or the JS SDK expect those exact numbers.
//!
//! ## Formula
//!
//! ```text
//!   available starts at capacity, always within [0, capacity]
//!   try_acquire(kind)   cost = cost of kind; ok ⇔ available ≥ cost; available −= cost
//!                       → RetryPermit { cost }
//!   on_success(permit)  available = min(capacity, available + refund)
//!                       refund = permit.cost  if the request succeeded after a retry
//!                                              (pass the permit of its LAST retry)
//!                              = noRetryIncrement  if it succeeded without retrying
//!   a request that finally fails refunds nothing
//! ```
//!
//! | preset | capacity | other | timeout | throttling | success without retry |
//! |---|---|---|---|---|---|
//! | `awsClassic` (botocore and @smithy/util-retry "standard" mode) | 500 | 5 | 10 | 5 | +1 |
//! | `awsStandard2026` (same, with `AWS_NEW_RETRIES_2026` / `SMITHY_NEW_RETRIES_2026` set) | 500 | 14 | 14 | 5 | +1 |
//!
//! Read from the sources (botocore 1.43.x `retries/standard.py`
//! `RetryQuotaChecker`, smithy-typescript `util-retry/retries-2026-config.ts`
//! and `StandardRetryStrategy.ts`, both Aug 2026): the 2026 behaviour is
//! opt-in behind those environment variables; it raises the ordinary cost to
//! 14, prices throttling errors at 5, and no longer prices timeouts apart.
//! The refund rule is unchanged in both: a success after retries gives back
//! the cost of the last retry only (earlier retries stay spent), a success
//! without retries adds 1, capped at the capacity. The classic JS SDK prices
//! its `TRANSIENT` class (timeouts and connection errors) at 10, as botocore
//! prices `ConnectTimeoutError`/`ReadTimeoutError`.
//!
//! ## Constraints
//!
//! All operations are O(1), allocation-free and panic-free; `now` is
//! accepted for a uniform interface and not otherwise used.

use super::decision::{BudgetExhausted, BudgetMetrics, RetryKind, RetryPermit};
use super::fixed_point::{from_milli, to_milli};
use crate::ConfigError;
use crate::time::Instant;

/// Largest capacity, cost or increment accepted.
const MAX_TOKENS: f64 = 1_000_000_000.0;

/// Which AWS SDK behaviour the unset fields of [`RetryQuotaOptions`] follow.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub enum RetryQuotaPreset {
    /// Capacity 500, retry 5, timeout 10, throttling 5, success +1.
    #[default]
    AwsClassic,
    /// Capacity 500, retry 14, timeout 14, throttling 5, success +1.
    AwsStandard2026,
}

impl RetryQuotaPreset {
    /// `[capacity, retryCost, timeoutRetryCost, throttlingRetryCost,
    /// noRetryIncrement]`.
    const fn values(self) -> [f64; 5] {
        match self {
            Self::AwsClassic => [500.0, 5.0, 10.0, 5.0, 1.0],
            Self::AwsStandard2026 => [500.0, 14.0, 14.0, 5.0, 1.0],
        }
    }
}

/// Options of a [`RetryQuota`]: a preset, and any field to override it.
/// An unset (or `null`) field takes the preset's value.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", deny_unknown_fields, default)
)]
pub struct RetryQuotaOptions {
    /// The behaviour unset fields follow. Default `awsClassic`.
    pub preset: RetryQuotaPreset,
    /// Pool size and starting balance, tokens: `0 ..= 1e9`.
    pub capacity: Option<f64>,
    /// Cost of a retry after any other failure: `0 ..= 1e9`.
    pub retry_cost: Option<f64>,
    /// Cost of a retry after a timeout: `0 ..= 1e9`.
    pub timeout_retry_cost: Option<f64>,
    /// Cost of a retry after a throttling error: `0 ..= 1e9`.
    pub throttling_retry_cost: Option<f64>,
    /// Tokens a success without retries adds: `0 ..= 1e9`.
    pub no_retry_increment: Option<f64>,
}

impl RetryQuotaOptions {
    /// The AWS classic preset, no overrides.
    pub fn aws_classic() -> Self {
        Self::default()
    }

    /// The AWS 2026 standard preset, no overrides.
    pub fn aws_standard_2026() -> Self {
        Self {
            preset: RetryQuotaPreset::AwsStandard2026,
            ..Self::default()
        }
    }
}

/// The mutable part of a [`RetryQuota`], for snapshots.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", deny_unknown_fields)
)]
pub struct RetryQuotaState {
    /// Thousandths of a token.
    available_milli: u64,
    successes: u64,
    withdrawals: u64,
    rejections: u64,
}

/// An AWS-style retry quota; see the [module docs](self).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryQuota {
    capacity_milli: u64,
    retry_cost_milli: u64,
    timeout_cost_milli: u64,
    throttling_cost_milli: u64,
    increment_milli: u64,
    state: RetryQuotaState,
}

impl RetryQuota {
    /// Builds a full quota.
    ///
    /// # Errors
    /// [`ConfigError`] naming `capacity`, `retryCost`, `timeoutRetryCost`,
    /// `throttlingRetryCost` or `noRetryIncrement` when the value is not
    /// finite or outside `0 ..= 1e9`.
    pub fn new(options: &RetryQuotaOptions) -> Result<Self, ConfigError> {
        let [capacity, retry, timeout, throttling, increment] = options.preset.values();
        let field = |name: &'static str, value: Option<f64>, preset: f64| {
            to_milli(name, value.unwrap_or(preset), 0.0, MAX_TOKENS)
        };
        let capacity_milli = field("capacity", options.capacity, capacity)?;
        Ok(Self {
            capacity_milli,
            retry_cost_milli: field("retryCost", options.retry_cost, retry)?,
            timeout_cost_milli: field("timeoutRetryCost", options.timeout_retry_cost, timeout)?,
            throttling_cost_milli: field(
                "throttlingRetryCost",
                options.throttling_retry_cost,
                throttling,
            )?,
            increment_milli: field("noRetryIncrement", options.no_retry_increment, increment)?,
            state: RetryQuotaState {
                available_milli: capacity_milli,
                successes: 0,
                withdrawals: 0,
                rejections: 0,
            },
        })
    }

    /// Spends the cost of a retry after a failure of `kind`, if available;
    /// the permit remembers the cost for an exact refund.
    ///
    /// # Errors
    /// [`BudgetExhausted`] when fewer tokens than the cost are left; the
    /// balance is then untouched.
    #[inline]
    pub fn try_acquire(
        &mut self,
        _now: Instant,
        kind: RetryKind,
    ) -> Result<RetryPermit, BudgetExhausted> {
        let cost = self.cost_milli(kind);
        match self.state.available_milli.checked_sub(cost) {
            Some(left) => {
                self.state.available_milli = left;
                self.state.withdrawals = self.state.withdrawals.saturating_add(1);
                Ok(RetryPermit::with_cost_milli(cost))
            }
            None => {
                self.state.rejections = self.state.rejections.saturating_add(1);
                Err(BudgetExhausted)
            }
        }
    }

    /// Records a request that finally succeeded: refunds the cost of
    /// `permit` (its last retry) or, without retries, adds
    /// `noRetryIncrement`; capped at the capacity.
    #[inline]
    pub fn on_success(&mut self, _now: Instant, permit: Option<RetryPermit>) {
        let refund = permit.map_or(self.increment_milli, |p| p.cost_milli());
        let state = &mut self.state;
        state.available_milli = state
            .available_milli
            .saturating_add(refund)
            .min(self.capacity_milli);
        state.successes = state.successes.saturating_add(1);
    }

    /// What a retry after a failure of `kind` costs, in tokens.
    pub fn cost(&self, kind: RetryKind) -> f64 {
        from_milli(self.cost_milli(kind))
    }

    /// Tokens available now.
    pub fn available(&self, _now: Instant) -> f64 {
        from_milli(self.state.available_milli)
    }

    /// Counters and available tokens (`deposits` counts successes).
    pub fn metrics(&self, now: Instant) -> BudgetMetrics {
        BudgetMetrics {
            deposits: self.state.successes,
            withdrawals: self.state.withdrawals,
            rejections: self.state.rejections,
            balance: self.available(now),
        }
    }

    /// A copy of the mutable state.
    pub fn snapshot(&self) -> RetryQuotaState {
        self.state.clone()
    }

    /// Replaces the mutable state with `state`; a balance above the capacity
    /// (from a quota with other options) is capped.
    pub fn restore(&mut self, state: RetryQuotaState) {
        self.state = state;
        self.state.available_milli = self.state.available_milli.min(self.capacity_milli);
    }

    #[inline]
    fn cost_milli(&self, kind: RetryKind) -> u64 {
        match kind {
            RetryKind::Other => self.retry_cost_milli,
            RetryKind::Timeout => self.timeout_cost_milli,
            RetryKind::Throttling => self.throttling_cost_milli,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Instant = Instant::ZERO;

    fn classic() -> RetryQuota {
        RetryQuota::new(&RetryQuotaOptions::aws_classic()).unwrap()
    }

    #[test]
    fn classic_preset_drains_after_a_hundred_retries() {
        let mut q = classic();
        for _ in 0..100 {
            assert!(q.try_acquire(NOW, RetryKind::Other).is_ok());
        }
        assert_eq!(q.available(NOW), 0.0);
        assert_eq!(q.try_acquire(NOW, RetryKind::Other), Err(BudgetExhausted));
    }

    #[test]
    fn classic_timeouts_cost_double() {
        let mut q = classic();
        let permit = q.try_acquire(NOW, RetryKind::Timeout).unwrap();
        assert_eq!(permit.cost(), 10.0);
        assert_eq!(q.available(NOW), 490.0);
    }

    #[test]
    fn refund_after_successful_retry_is_exact() {
        let mut q = classic();
        let first = q.try_acquire(NOW, RetryKind::Other).unwrap();
        let last = q.try_acquire(NOW, RetryKind::Timeout).unwrap();
        assert_eq!(q.available(NOW), 485.0);
        // Only the last retry's cost comes back, as in botocore and smithy.
        q.on_success(NOW, Some(last));
        assert_eq!(q.available(NOW), 495.0);
        q.on_success(NOW, Some(first));
        assert_eq!(q.available(NOW), 500.0);
    }

    #[test]
    fn success_without_retry_adds_the_increment_up_to_capacity() {
        let mut q = classic();
        let _ = q.try_acquire(NOW, RetryKind::Other).unwrap();
        q.on_success(NOW, None);
        assert_eq!(q.available(NOW), 496.0);
        for _ in 0..10 {
            q.on_success(NOW, None);
        }
        assert_eq!(q.available(NOW), 500.0);
    }

    #[test]
    fn standard_2026_prices_throttling_below_other_failures() {
        let mut q = RetryQuota::new(&RetryQuotaOptions::aws_standard_2026()).unwrap();
        assert_eq!(q.cost(RetryKind::Other), 14.0);
        assert_eq!(q.cost(RetryKind::Timeout), 14.0);
        assert_eq!(q.cost(RetryKind::Throttling), 5.0);
        for _ in 0..35 {
            assert!(q.try_acquire(NOW, RetryKind::Other).is_ok());
        }
        assert_eq!(q.available(NOW), 10.0);
        assert!(q.try_acquire(NOW, RetryKind::Other).is_err());
        assert!(q.try_acquire(NOW, RetryKind::Throttling).is_ok());
        assert!(q.try_acquire(NOW, RetryKind::Throttling).is_ok());
        assert!(q.try_acquire(NOW, RetryKind::Throttling).is_err());
        let m = q.metrics(NOW);
        assert_eq!((m.withdrawals, m.rejections, m.balance), (37, 2, 0.0));
    }

    #[test]
    fn overrides_replace_single_preset_values() {
        let q = RetryQuota::new(&RetryQuotaOptions {
            capacity: Some(20.5),
            throttling_retry_cost: Some(0.25),
            ..RetryQuotaOptions::aws_standard_2026()
        })
        .unwrap();
        assert_eq!(q.available(NOW), 20.5);
        assert_eq!(q.cost(RetryKind::Throttling), 0.25);
        assert_eq!(q.cost(RetryKind::Other), 14.0);
    }

    #[test]
    fn restore_caps_balance_at_capacity() {
        let mut small = RetryQuota::new(&RetryQuotaOptions {
            capacity: Some(3.0),
            ..RetryQuotaOptions::default()
        })
        .unwrap();
        small.restore(classic().snapshot());
        assert_eq!(small.available(NOW), 3.0);
    }

    #[test]
    fn rejects_out_of_range_options_naming_the_field() {
        let base = RetryQuotaOptions::default();
        for (field, options) in [
            (
                "capacity",
                RetryQuotaOptions {
                    capacity: Some(-1.0),
                    ..base.clone()
                },
            ),
            (
                "retryCost",
                RetryQuotaOptions {
                    retry_cost: Some(f64::NAN),
                    ..base.clone()
                },
            ),
            (
                "timeoutRetryCost",
                RetryQuotaOptions {
                    timeout_retry_cost: Some(2e9),
                    ..base.clone()
                },
            ),
            (
                "throttlingRetryCost",
                RetryQuotaOptions {
                    throttling_retry_cost: Some(-0.5),
                    ..base.clone()
                },
            ),
            (
                "noRetryIncrement",
                RetryQuotaOptions {
                    no_retry_increment: Some(f64::INFINITY),
                    ..base.clone()
                },
            ),
        ] {
            assert_eq!(RetryQuota::new(&options).unwrap_err().field(), field);
        }
    }
}
