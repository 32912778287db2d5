//! Token bucket: stop retrying while failures outweigh successes (gRPC retry
//! throttling, gRFC A6).
//!
//! ## Why
//!
//! gRPC clients throttle retries per server once the failure-to-success
//! ratio passes a threshold; users porting a gRPC service config expect the
//! same numbers to behave the same way. Unlike the ratio budget it needs no
//! clock: the balance moves with outcomes only.
//!
//! ## Formula
//!
//! ```text
//!   tokens starts at maxTokens, always within [0, maxTokens]
//!   failed attempt   tokens = max(0, tokens − 1)
//!   success          tokens = min(maxTokens, tokens + tokenRatio)
//!   retry allowed ⇔  tokens > maxTokens / 2       (exact: 2 × tokens > maxTokens)
//! ```
//!
//! A retry itself takes no token: the failure that caused it already did.
//! Call `on_failure` for the failed attempt *before* asking `try_withdraw`,
//! as gRPC decrements before it decides.
//!
//! Deviation: grpc-java scales `maxTokens` and `tokenRatio` by 1000 through
//! `f32` and truncates (`1.005` becomes `1.004`); here both round to the
//! nearest thousandth of a token.
//!
//! ## Constraints
//!
//! All operations are O(1), allocation-free and panic-free; `now` is
//! accepted for a uniform interface and not otherwise used.

use super::decision::BudgetMetrics;
use super::fixed_point::{MILLI, from_milli, to_milli};
use crate::ConfigError;
use crate::time::Instant;

/// Options of a [`TokenBucket`], named as in a gRPC service config's
/// `retryThrottling`; the defaults are the gRFC A6 example.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", deny_unknown_fields, default)
)]
pub struct TokenBucketOptions {
    /// Capacity and starting count: `0.001 ..= 1000`, three decimals.
    /// Default `10`.
    pub max_tokens: f64,
    /// Tokens a success adds: `0.001 ..= 1000`, three decimals. Default `0.1`.
    pub token_ratio: f64,
}

impl Default for TokenBucketOptions {
    fn default() -> Self {
        Self {
            max_tokens: 10.0,
            token_ratio: 0.1,
        }
    }
}

/// The mutable part of a [`TokenBucket`], for snapshots.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", deny_unknown_fields)
)]
pub struct TokenBucketState {
    /// Thousandths of a token.
    tokens_milli: u64,
    successes: u64,
    failures: u64,
    withdrawals: u64,
    rejections: u64,
}

/// A gRPC-style retry throttle; see the [module docs](self).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenBucket {
    max_milli: u64,
    ratio_milli: u64,
    state: TokenBucketState,
}

impl TokenBucket {
    /// Builds a full bucket.
    ///
    /// # Errors
    /// [`ConfigError`] naming `maxTokens` or `tokenRatio` when not finite or
    /// outside `0.001 ..= 1000` (after rounding to three decimals).
    pub fn new(options: &TokenBucketOptions) -> Result<Self, ConfigError> {
        let max_milli = positive_milli("maxTokens", options.max_tokens)?;
        let ratio_milli = positive_milli("tokenRatio", options.token_ratio)?;
        Ok(Self {
            max_milli,
            ratio_milli,
            state: TokenBucketState {
                tokens_milli: max_milli,
                successes: 0,
                failures: 0,
                withdrawals: 0,
                rejections: 0,
            },
        })
    }

    /// Records a successful RPC: adds `tokenRatio`, capped at `maxTokens`.
    #[inline]
    pub fn on_success(&mut self, _now: Instant) {
        let state = &mut self.state;
        state.tokens_milli = state
            .tokens_milli
            .saturating_add(self.ratio_milli)
            .min(self.max_milli);
        state.successes = state.successes.saturating_add(1);
    }

    /// Records a failed attempt (a retriable failure): removes one token,
    /// never going below zero.
    #[inline]
    pub fn on_failure(&mut self, _now: Instant) {
        let state = &mut self.state;
        state.tokens_milli = state.tokens_milli.saturating_sub(MILLI);
        state.failures = state.failures.saturating_add(1);
    }

    /// Whether a retry would be allowed now: `tokens > maxTokens / 2`.
    #[inline]
    pub fn allows_retry(&self, _now: Instant) -> bool {
        self.state
            .tokens_milli
            .saturating_add(self.state.tokens_milli)
            > self.max_milli
    }

    /// Asks for one retry and counts the answer; the token count does not
    /// change (the failure already paid).
    #[inline]
    pub fn try_withdraw(&mut self, now: Instant) -> bool {
        let allowed = self.allows_retry(now);
        let counter = if allowed {
            &mut self.state.withdrawals
        } else {
            &mut self.state.rejections
        };
        *counter = counter.saturating_add(1);
        allowed
    }

    /// The current token count.
    pub fn tokens(&self, _now: Instant) -> f64 {
        from_milli(self.state.tokens_milli)
    }

    /// Counters and token count (`deposits` counts successes).
    pub fn metrics(&self, now: Instant) -> BudgetMetrics {
        BudgetMetrics {
            deposits: self.state.successes,
            withdrawals: self.state.withdrawals,
            rejections: self.state.rejections,
            balance: self.tokens(now),
        }
    }

    /// Failed attempts recorded so far.
    pub fn failures(&self) -> u64 {
        self.state.failures
    }

    /// A copy of the mutable state.
    pub fn snapshot(&self) -> TokenBucketState {
        self.state.clone()
    }

    /// Replaces the mutable state with `state`; a token count above
    /// `maxTokens` (from a bucket with other options) is capped.
    pub fn restore(&mut self, state: TokenBucketState) {
        self.state = state;
        self.state.tokens_milli = self.state.tokens_milli.min(self.max_milli);
    }
}

/// `value` in thousandths; the lower bound keeps it at least one thousandth.
fn positive_milli(field: &'static str, value: f64) -> Result<u64, ConfigError> {
    to_milli(field, value, 0.001, 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Instant = Instant::ZERO;

    fn bucket(max_tokens: f64, token_ratio: f64) -> TokenBucket {
        TokenBucket::new(&TokenBucketOptions {
            max_tokens,
            token_ratio,
        })
        .unwrap()
    }

    #[test]
    fn starts_full() {
        let b = bucket(10.0, 0.1);
        assert_eq!(b.tokens(NOW), 10.0);
        assert!(b.allows_retry(NOW));
    }

    #[test]
    fn retries_stop_at_half_the_tokens() {
        let mut b = bucket(10.0, 0.1);
        for _ in 0..4 {
            b.on_failure(NOW);
        }
        assert_eq!(b.tokens(NOW), 6.0);
        assert!(b.try_withdraw(NOW));
        b.on_failure(NOW);
        // 5 is not above 10 / 2.
        assert_eq!(b.tokens(NOW), 5.0);
        assert!(!b.try_withdraw(NOW));
        // One success lifts it over the threshold again.
        b.on_success(NOW);
        assert_eq!(b.tokens(NOW), 5.1);
        assert!(b.try_withdraw(NOW));
    }

    #[test]
    fn odd_thousandths_compare_exactly_with_the_half() {
        // max 0.003: threshold 0.0015; 0.002 is above it, 0.001 is not.
        let mut b = bucket(0.003, 0.001);
        assert!(b.allows_retry(NOW));
        b.on_failure(NOW);
        assert_eq!(b.tokens(NOW), 0.0);
        b.on_success(NOW);
        assert!(!b.allows_retry(NOW));
        b.on_success(NOW);
        assert!(b.allows_retry(NOW));
    }

    #[test]
    fn tokens_stay_between_zero_and_max() {
        let mut b = bucket(2.5, 0.75);
        for _ in 0..10 {
            b.on_failure(NOW);
        }
        assert_eq!(b.tokens(NOW), 0.0);
        for _ in 0..10 {
            b.on_success(NOW);
        }
        assert_eq!(b.tokens(NOW), 2.5);
    }

    #[test]
    fn ten_successes_of_a_tenth_make_exactly_one_token() {
        let mut b = bucket(10.0, 0.1);
        for _ in 0..3 {
            b.on_failure(NOW);
        }
        for _ in 0..10 {
            b.on_success(NOW);
        }
        assert_eq!(b.tokens(NOW), 8.0);
    }

    #[test]
    fn metrics_count_successes_as_deposits() {
        let mut b = bucket(1.0, 0.5);
        b.on_success(NOW);
        b.on_failure(NOW);
        assert!(!b.try_withdraw(NOW));
        let m = b.metrics(NOW);
        assert_eq!((m.deposits, m.withdrawals, m.rejections), (1, 0, 1));
        assert_eq!(m.balance, 0.0);
        assert_eq!(b.failures(), 1);
    }

    #[test]
    fn restore_caps_tokens_at_max() {
        let big = bucket(1000.0, 1.0);
        let mut small = bucket(1.0, 1.0);
        small.restore(big.snapshot());
        assert_eq!(small.tokens(NOW), 1.0);
    }

    #[test]
    fn rejects_out_of_range_options_naming_the_field() {
        for (field, max_tokens, token_ratio) in [
            ("maxTokens", 0.0, 0.1),
            ("maxTokens", 1000.5, 0.1),
            ("maxTokens", f64::INFINITY, 0.1),
            ("tokenRatio", 10.0, 0.0),
            ("tokenRatio", 10.0, -0.1),
        ] {
            let err = TokenBucket::new(&TokenBucketOptions {
                max_tokens,
                token_ratio,
            })
            .unwrap_err();
            assert_eq!(err.field(), field);
        }
    }
}
