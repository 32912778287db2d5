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
//! new(prefix, {type, …})     ratio (default) | tokenBucket | quota
//! onRequest(now)             an original call starts
//! onFailure(now)             an attempt failed with a retriable failure
//! tryRetry(now, kind)        → RetryPermit | undefined (refused)
//! onSuccess(now, permit?)    the call finally succeeded (permit of its last retry)
//! balance(now), metrics(now) → [deposits, withdrawals, rejections, balance]
//! ```
//!
//! Constraints: every call after construction is infallible (except an
//! unknown `kind` string) and panic-free.

use crate::error::{self, Kind};
use crate::{clock, options};
use stormguard::budget::{self as core, RetryBudgetOptions, RetryKind};
use wasm_bindgen::JsValue;
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

/// Reads a retry kind (`"other"`, `"timeout"`, `"throttling"`).
///
/// # Errors
/// An encoded `TypeError` naming `kind`.
pub fn retry_kind(kind: &str) -> Result<RetryKind, JsValue> {
    match kind {
        "other" => Ok(RetryKind::Other),
        "timeout" => Ok(RetryKind::Timeout),
        "throttling" => Ok(RetryKind::Throttling),
        _ => Err(error::encode(
            Kind::Type,
            "kind",
            "`kind` must be \"other\", \"timeout\" or \"throttling\"",
        )),
    }
}

/// The core's retry budget.
#[wasm_bindgen(js_name = CoreRetryBudget)]
#[derive(Debug)]
pub struct RetryBudget {
    inner: core::RetryBudget,
}

#[wasm_bindgen(js_class = CoreRetryBudget)]
impl RetryBudget {
    /// Builds the budget `options` describe (`type` picks the family).
    ///
    /// # Errors
    /// An encoded error naming the option (prefixed with `prefix`).
    #[wasm_bindgen(constructor)]
    pub fn new(prefix: &str, options: JsValue) -> Result<Self, JsValue> {
        let parsed: RetryBudgetOptions = options::parse(prefix, options)?;
        core::RetryBudget::new(&parsed)
            .map(|inner| Self { inner })
            .map_err(|err| error::config_in(prefix, err))
    }

    /// An original call starts.
    #[wasm_bindgen(js_name = onRequest)]
    pub fn on_request(&mut self, now_ms: f64) {
        self.inner.on_request(clock::instant(now_ms));
    }

    /// An attempt failed with a retriable failure (before `tryRetry`).
    #[wasm_bindgen(js_name = onFailure)]
    pub fn on_failure(&mut self, now_ms: f64) {
        self.inner.on_failure(clock::instant(now_ms));
    }

    /// Asks for one retry after a failure of `kind`; `undefined` when refused.
    ///
    /// # Errors
    /// An encoded `TypeError` for an unknown `kind`.
    #[wasm_bindgen(js_name = tryRetry)]
    pub fn try_retry(&mut self, now_ms: f64, kind: &str) -> Result<Option<RetryPermit>, JsValue> {
        let kind = retry_kind(kind)?;
        Ok(self
            .inner
            .try_retry(clock::instant(now_ms), kind)
            .ok()
            .map(RetryPermit::from_core))
    }

    /// A call finally succeeded; `permit` is the permit of its last retry.
    #[wasm_bindgen(js_name = onSuccess)]
    pub fn on_success(&mut self, now_ms: f64, permit: Option<RetryPermit>) {
        self.inner
            .on_success(clock::instant(now_ms), permit.map(RetryPermit::core));
    }

    /// The balance: whole retries affordable (ratio) or tokens.
    pub fn balance(&self, now_ms: f64) -> f64 {
        self.inner.balance(clock::instant(now_ms))
    }

    /// `[deposits, withdrawals, rejections, balance]`.
    pub fn metrics(&self, now_ms: f64) -> Vec<f64> {
        let m = self.inner.metrics(clock::instant(now_ms));
        vec![
            m.deposits as f64,
            m.withdrawals as f64,
            m.rejections as f64,
            m.balance,
        ]
    }
}

impl RetryBudget {
    /// The core budget, for the policy export.
    pub fn core_mut(&mut self) -> &mut core::RetryBudget {
        &mut self.inner
    }
}
