//! HTTP classification: is this outcome worth retrying, and is resending safe?
//!
//! Why: `createFetch` must retry only transient failures and only requests
//! that are safe to resend (idempotent methods, an idempotency key, or a
//! request that never reached the server). The core's
//! [`HttpClassifier`](stormguard::classify::HttpClassifier) answers both; this
//! export passes one outcome in and the class and reason out.
//!
//! ```text
//! classify(status, method, idempotencyKey, reachedServer) → "class reason"
//!   status: an integer 0..=65535, or any negative number for "no response"
//! ```
//!
//! Constraints: `classify` is total; options are validated at construction.

use crate::{error, options};
use stormguard::classify::{self as core, HttpClassifierOptions, HttpOutcome};
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::wasm_bindgen;

/// The core's HTTP classifier.
#[wasm_bindgen(js_name = CoreHttpClassifier)]
#[derive(Debug)]
pub struct HttpClassifier {
    inner: core::HttpClassifier,
}

#[wasm_bindgen(js_class = CoreHttpClassifier)]
impl HttpClassifier {
    /// Validates `options` (`retryOnStatus`, `delayOnStatus`, `retryMethods`).
    ///
    /// # Errors
    /// An encoded `TypeError`/`RangeError` naming the option (prefixed with
    /// `prefix`).
    #[wasm_bindgen(constructor)]
    pub fn new(prefix: &str, options: JsValue) -> Result<Self, JsValue> {
        let parsed: HttpClassifierOptions = options::parse(prefix, options)?;
        core::HttpClassifier::new(&parsed)
            .map(|inner| Self { inner })
            .map_err(|err| error::config_in(prefix, err))
    }

    /// Classifies one attempt: returns `"<class> <reason>"`, e.g.
    /// `"retriableAfterDelay service_unavailable"`.
    ///
    /// `status` below zero (or NaN) means no response arrived; a status that
    /// is not a whole number in `0..=65535` is classified as the invalid
    /// status `0`.
    pub fn classify(
        &self,
        status: f64,
        method: &str,
        idempotency_key: bool,
        reached_server: bool,
    ) -> String {
        let status = if status.is_nan() || status < 0.0 {
            None
        } else if status.fract() == 0.0 && status <= f64::from(u16::MAX) {
            Some(status as u16)
        } else {
            Some(0)
        };
        let outcome = HttpOutcome {
            status,
            method,
            has_idempotency_key: idempotency_key,
            reached_server,
        };
        let c = self.inner.classify(&outcome);
        format!("{} {}", c.class.as_str(), c.reason)
    }
}

impl HttpClassifier {
    /// The core classifier, for the policy export.
    pub fn core(&self) -> &core::HttpClassifier {
        &self.inner
    }
}
