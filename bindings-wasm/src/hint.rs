//! Server hints (`Retry-After`, `RateLimit-Reset` …) and how they combine with
//! the backoff.
//!
//! Why: a 429 or 503 often says how long to stay away. The core parses every
//! supported header (against the wall clock the JS layer passes, for
//! HTTP-dates) and its [`RetryAfterPolicy`](stormguard::retry_after::RetryAfterPolicy) decides: wait `max(backoff,
//! hint)` (by default), or give up because the hint exceeds
//! `maxRetryAfterMs`.
//!
//! ```text
//! hintNames()                        → "retry-after,retry-after-ms,…" (the order hints are read in)
//! hintMs(values, nowUnixMs)          → first value (same order as names, "\n"-separated) that
//!                                      parses; NaN if none
//! decide(backoffMs, hintMs)          → delay ≥ 0, or −requestedMs (< 0) to give up
//!
//! `createFetch` needs only the two free functions (the policy export
//! decides); the policy object and the single-value parsers are built with
//! the `vectors` feature, for the shared test vectors.
//! ```
//!
//! Constraints: parsing and deciding are total and panic-free.

use crate::clock;
#[cfg(feature = "vectors")]
use crate::{error::Error, options};
#[cfg(feature = "vectors")]
use alloc::borrow::ToOwned;
use alloc::string::String;
use stormguard::retry_after::{HintHeader, UnixTime, parse_hint};
#[cfg(feature = "vectors")]
use stormguard::retry_after::{RetryAfterDecision, RetryAfterPolicy};
use wasm_bindgen::prelude::wasm_bindgen;

/// A wall-clock reading from `Date.now()` (NaN and negatives become the
/// epoch; fractions are dropped).
fn unix(now_unix_ms: f64) -> UnixTime {
    // `as` saturates and maps NaN to 0.
    UnixTime::from_millis(now_unix_ms as u64)
}

/// The hint header names, lower case, comma-separated, in the order
/// [`hint_ms`] reads them.
#[wasm_bindgen(js_name = hintNames)]
pub fn hint_names() -> String {
    let mut out = String::new();
    for (i, header) in HintHeader::ALL.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(header.name());
    }
    out
}

/// The first hint among `values` (one line per name of [`hint_names`],
/// empty when the header is absent) that parses, in milliseconds; NaN when
/// there is none.
#[wasm_bindgen(js_name = hintMs)]
pub fn hint_ms(values: &str, now_unix_ms: f64) -> f64 {
    let now = unix(now_unix_ms);
    HintHeader::ALL
        .iter()
        .zip(values.split('\n'))
        .find_map(|(&header, value)| parse_hint(header, value, now).ok())
        .map_or(f64::NAN, clock::millis)
}

/// The core's Retry-After policy plus single-header parsing (the shared
/// test vectors drive it).
#[cfg(feature = "vectors")]
#[wasm_bindgen(js_name = CoreRetryAfter)]
#[derive(Debug)]
pub struct RetryAfter {
    policy: RetryAfterPolicy,
}

#[cfg(feature = "vectors")]
#[wasm_bindgen(js_class = CoreRetryAfter)]
impl RetryAfter {
    /// Validates the `retryAfter` table's `values` (`maxRetryAfterMs`,
    /// `combine`, `maxExtensionMs`).
    ///
    /// # Errors
    /// A [`Error`] naming the option (prefixed with `prefix`).
    #[wasm_bindgen(constructor)]
    pub fn new(prefix: &str, values: &[f64]) -> Result<Self, Error> {
        let parsed = options::retry_after(prefix, values)?;
        RetryAfterPolicy::new(&parsed)
            .map(|policy| Self { policy })
            .map_err(|err| Error::config(prefix, err))
    }

    /// Parses one `value` of the header `name`: the hint in milliseconds, or
    /// NaN when the header is unknown or the value is ignored (see
    /// [`RetryAfter::ignored_reason`]).
    #[wasm_bindgen(js_name = parseMs)]
    pub fn parse_ms(name: &str, value: &str, now_unix_ms: f64) -> f64 {
        HintHeader::from_name(name)
            .and_then(|header| parse_hint(header, value, unix(now_unix_ms)).ok())
            .map_or(f64::NAN, clock::millis)
    }

    /// Why `value` is not a hint (`"empty"`, `"negative"`, `"fractional"`,
    /// `"malformed"`, `"bad_month"`, `"bad_day"`, `"bad_time"`,
    /// `"unknown_header"`), or `""` when it is one.
    #[wasm_bindgen(js_name = ignoredReason)]
    pub fn ignored_reason(name: &str, value: &str, now_unix_ms: f64) -> String {
        match HintHeader::from_name(name) {
            None => "unknown_header".to_owned(),
            Some(header) => match parse_hint(header, value, unix(now_unix_ms)) {
                Ok(_) => String::new(),
                Err(ignored) => ignored.reason().to_owned(),
            },
        }
    }

    /// Combines the backoff delay with a hint (NaN = no hint): the delay in
    /// ms (≥ 0), or the negated requested wait (< 0) when the hint exceeds
    /// `maxRetryAfterMs`.
    pub fn decide(&self, backoff_ms: f64, hint_ms: f64) -> f64 {
        let hint = (!hint_ms.is_nan()).then(|| clock::duration(hint_ms));
        encode(self.policy.decide(clock::duration(backoff_ms), hint))
    }
}

/// A decision as one number: a wait (≥ 0) or a negated requested wait.
#[cfg(feature = "vectors")]
pub fn encode(decision: RetryAfterDecision) -> f64 {
    match decision {
        RetryAfterDecision::Wait(delay) => clock::millis(delay),
        RetryAfterDecision::GiveUp { requested } => -clock::millis(requested),
    }
}
