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

use crate::error::Error;
use alloc::string::String;
use alloc::vec::Vec;
use stormguard::breaker::OutcomeKind;
use stormguard::classify::{self as core, HttpClassifierOptions, HttpOutcome};
use wasm_bindgen::prelude::wasm_bindgen;

/// The core's HTTP classifier.
#[wasm_bindgen(js_name = CoreHttpClassifier)]
#[derive(Debug)]
pub struct HttpClassifier {
    inner: core::HttpClassifier,
}

#[wasm_bindgen(js_class = CoreHttpClassifier)]
impl HttpClassifier {
    /// Validates the lists (`retryOnStatus`, `delayOnStatus`,
    /// `retryMethods`); an absent list keeps the core's default. The methods
    /// arrive joined, with each one's UTF-8 length in `method_lengths`.
    ///
    /// # Errors
    /// A [`Error`] naming the option (prefixed with `prefix`); a status that
    /// is not a whole number in `400..=599` is out of range.
    #[wasm_bindgen(constructor)]
    pub fn new(
        prefix: &str,
        retry_on_status: Option<Vec<f64>>,
        delay_on_status: Option<Vec<f64>>,
        retry_methods: Option<String>,
        method_lengths: Option<Vec<f64>>,
    ) -> Result<Self, Error> {
        let mut options = HttpClassifierOptions::default();
        if let Some(list) = retry_on_status {
            options.retry_on_status = statuses(prefix, "retryOnStatus", &list)?;
        }
        if let Some(list) = delay_on_status {
            options.delay_on_status = statuses(prefix, "delayOnStatus", &list)?;
        }
        if let Some(joined) = retry_methods {
            let lengths = method_lengths.as_deref().map_or(&[][..], |l| l);
            options.retry_methods = split(&joined, lengths).ok_or_else(|| {
                Error::new("invalid", prefix, "retryMethods").with_reason("has malformed items")
            })?;
        }
        core::HttpClassifier::new(&options)
            .map(|inner| Self { inner })
            .map_err(|err| Error::config(prefix, err))
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
        let outcome = HttpOutcome {
            status: self::status(status),
            method,
            has_idempotency_key: idempotency_key,
            reached_server,
        };
        describe(self.inner.classify(&outcome))
    }

    /// What a circuit breaker should count for this attempt (the core's
    /// `HttpClassifier::breaker_outcome`), as the index the breaker exports
    /// take: `0` success (not a failure), `1` failure (a transient failure
    /// of the server or the network, whatever the method: the
    /// classification of the same outcome for a request that is safe to
    /// resend), `2` ignored (a permanent answer such as a 404 says nothing
    /// about the server's health).
    #[wasm_bindgen(js_name = breakerOutcome)]
    pub fn breaker_outcome(&self, status: f64, reached_server: bool) -> u32 {
        match self
            .inner
            .breaker_outcome(self::status(status), reached_server)
        {
            OutcomeKind::Success => 0,
            OutcomeKind::Failure => 1,
            OutcomeKind::Ignored => 2,
        }
    }
}

/// A status from a host number: `None` (no response) when NaN or negative,
/// the invalid status `0` when not a whole number in `0..=65535`.
pub fn status(status: f64) -> Option<u16> {
    if status.is_nan() || status < 0.0 {
        None
    } else if crate::fields::is_whole(status) && status <= f64::from(u16::MAX) {
        Some(status as u16)
    } else {
        Some(0)
    }
}

/// `"<class> <reason>"` of a core classification.
pub fn describe(c: stormguard::classify::Classification) -> String {
    let mut out = String::from(c.class.as_str());
    out.push(' ');
    out.push_str(c.reason);
    out
}

/// The items of a list the JS layer joined: `lengths` holds each item's
/// UTF-8 length (no separator, so any string crosses as is); `None` when
/// the lengths do not fit `joined`.
fn split(joined: &str, lengths: &[f64]) -> Option<Vec<String>> {
    let mut start = 0usize;
    let mut out = Vec::with_capacity(lengths.len());
    for &len in lengths {
        let end = start.checked_add(len as usize)?;
        out.push(String::from(joined.get(start..end)?));
        start = end;
    }
    (start == joined.len()).then_some(out)
}

/// Statuses from host numbers: whole numbers in `400..=599` (the core
/// checks the range; anything not a whole `u16` is reported here).
fn statuses(prefix: &str, option: &'static str, list: &[f64]) -> Result<Vec<u16>, Error> {
    list.iter()
        .map(|&n| {
            if crate::fields::is_whole(n) && (400.0..=599.0).contains(&n) {
                Ok(n as u16)
            } else {
                Err(Error::new("outOfRange", prefix, option).with_range(n, 400.0, 599.0))
            }
        })
        .collect()
}

/// Classifies a Redis error reply or client error text.
#[cfg(feature = "vectors")]
#[wasm_bindgen(js_name = classifyRedis)]
pub fn classify_redis(message: &str) -> String {
    describe(core::classify_redis(message))
}

/// Classifies an errno-style code (`"ECONNRESET"` …).
#[cfg(feature = "vectors")]
#[wasm_bindgen(js_name = classifyErrno)]
pub fn classify_errno(code: &str) -> String {
    describe(core::classify_errno(code))
}

/// Classifies a PostgreSQL SQLSTATE code.
#[cfg(feature = "vectors")]
#[wasm_bindgen(js_name = classifySqlstate)]
pub fn classify_sqlstate(code: &str) -> String {
    describe(core::classify_sqlstate(code))
}

impl HttpClassifier {
    /// The core classifier, for the policy export.
    pub fn core(&self) -> &core::HttpClassifier {
        &self.inner
    }
}
