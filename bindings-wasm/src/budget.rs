//! Retry budgets: how many retries all calls together may send.
//!
//! Why: per-call attempt limits multiply load by the attempt count exactly
//! when the server is failing; a budget shared by every call of one
//! `createFetch` (or one `RetryBudget`) caps retries as a share of traffic.
//! The core's [`RetryBudget`](stormguard::budget::RetryBudget) holds the
//! ratio, token-bucket and quota families behind one interface; this export
//! forwards to it.
//!
//! ```text
//! new(prefix, type, values)  ratio (default) | tokenBucket | quota (values: see fields)
//! onRequest(now)             an original call starts
//! onFailure(now)             an attempt failed with a retriable failure
//! tryRetry(now, kind)        → RetryPermit | undefined (refused); kind 0 other, 1 timeout, 2 throttling
//! onSuccess(now, permit?)    the call finally succeeded (permit of its last retry)
//! balance(now), metrics(now) → [deposits, withdrawals, rejections, balance]
//! ```
//!
//! Constraints: every call after construction is infallible and
//! panic-free (an unknown `kind` index counts as `other`).

use crate::error::Error;
use crate::{clock, options};
use alloc::vec::Vec;
use stormguard::budget::{self as core, RetryBudgetOptions, RetryKind};
use wasm_bindgen::prelude::wasm_bindgen;

/// Proof that the budget granted one retry; hand it back with the success.
#[wasm_bindgen(js_name = CoreRetryPermit)]
#[derive(Debug, Clone, Copy)]
pub struct RetryPermit {
    inner: core::RetryPermit,
}

#[wasm_bindgen(js_class = CoreRetryPermit)]
impl RetryPermit {
    /// What the retry took from the balance, in the budget's unit.
    #[wasm_bindgen(getter)]
    pub fn cost(&self) -> f64 {
        self.inner.cost()
    }
}

impl RetryPermit {
    /// Wraps a core permit.
    pub fn from_core(inner: core::RetryPermit) -> Self {
        Self { inner }
    }

    /// The core permit.
    pub fn core(self) -> core::RetryPermit {
        self.inner
    }
}

/// A retry kind from its index: `0` other, `1` timeout, `2` throttling
/// (anything else counts as other).
pub fn retry_kind(kind: u32) -> RetryKind {
    match kind {
        1 => RetryKind::Timeout,
        2 => RetryKind::Throttling,
        _ => RetryKind::Other,
    }
}

/// The core's retry budget, or no budget at all ([`RetryBudget::none`]:
/// the policy exports take a budget argument that may not be `null`).
#[wasm_bindgen(js_name = CoreRetryBudget)]
#[derive(Debug)]
pub struct RetryBudget {
    inner: Option<core::RetryBudget>,
}

#[wasm_bindgen(js_class = CoreRetryBudget)]
impl RetryBudget {
    /// Builds a budget of `kind` (`"ratio"`, `"tokenBucket"`, `"quota"`)
    /// from the values of that kind's table.
    ///
    /// # Errors
    /// A [`Error`] naming the option (prefixed with `prefix`), or `type` for
    /// an unknown kind.
    #[wasm_bindgen(constructor)]
    pub fn new(prefix: &str, kind: &str, values: &[f64]) -> Result<Self, Error> {
        let parsed = match kind {
            "ratio" => RetryBudgetOptions::Ratio(options::ratio(prefix, values)),
            "tokenBucket" => RetryBudgetOptions::TokenBucket(options::token_bucket(prefix, values)),
            "quota" => RetryBudgetOptions::Quota(options::quota(prefix, values)?),
            _ => {
                return Err(Error::new("unknownVariant", prefix, "type")
                    .with_reason("ratio|tokenBucket|quota"));
            }
        };
        core::RetryBudget::new(&parsed)
            .map(|inner| Self { inner: Some(inner) })
            .map_err(|err| Error::config(prefix, err))
    }

    /// No budget: every call is a no-op and the policy sees no budget.
    pub fn none() -> Self {
        Self { inner: None }
    }

    /// An original call starts.
    #[wasm_bindgen(js_name = onRequest)]
    pub fn on_request(&mut self, now_ms: f64) {
        if let Some(b) = &mut self.inner {
            b.on_request(clock::instant(now_ms));
        }
    }

    /// An attempt failed with a retriable failure (before `tryRetry`).
    #[wasm_bindgen(js_name = onFailure)]
    pub fn on_failure(&mut self, now_ms: f64) {
        if let Some(b) = &mut self.inner {
            b.on_failure(clock::instant(now_ms));
        }
    }

    /// Asks for one retry after a failure of `kind` (see [`retry_kind`]);
    /// `undefined` when refused.
    #[wasm_bindgen(js_name = tryRetry)]
    pub fn try_retry(&mut self, now_ms: f64, kind: u32) -> Option<RetryPermit> {
        self.inner.as_mut().and_then(|b| {
            b.try_retry(clock::instant(now_ms), retry_kind(kind))
                .ok()
                .map(RetryPermit::from_core)
        })
    }

    /// A call finally succeeded; `permit` is the permit of its last retry.
    #[wasm_bindgen(js_name = onSuccess)]
    pub fn on_success(&mut self, now_ms: f64, permit: Option<RetryPermit>) {
        if let Some(b) = &mut self.inner {
            b.on_success(clock::instant(now_ms), permit.map(RetryPermit::core));
        }
    }

    /// The balance: whole retries affordable (ratio) or tokens.
    pub fn balance(&self, now_ms: f64) -> f64 {
        self.inner
            .as_ref()
            .map_or(f64::INFINITY, |b| b.balance(clock::instant(now_ms)))
    }

    /// `[deposits, withdrawals, rejections, balance]`.
    pub fn metrics(&self, now_ms: f64) -> Vec<f64> {
        let m = self
            .inner
            .as_ref()
            .map_or_else(Default::default, |b| b.metrics(clock::instant(now_ms)));
        [
            m.deposits as f64,
            m.withdrawals as f64,
            m.rejections as f64,
            m.balance,
        ]
        .to_vec()
    }
}

impl RetryBudget {
    /// The core budget, for the policy export.
    pub fn core_mut(&mut self) -> Option<&mut core::RetryBudget> {
        self.inner.as_mut()
    }
}
