//! HTTP classification and server hints.
//!
//! Why: `createFetch` must retry only transient failures and only requests
//! that are safe to resend (idempotent methods, an idempotency key, or a
//! request that never reached the server); the core's `HttpClassifier`
//! answers both, and what a breaker should count. A 429 or 503 often says
//! how long to stay away: the core parses every supported header (against
//! the wall clock the JS layer passes, for HTTP-dates).
//!
//! ```text
//! classifier(retryOnStatus, delayOnStatus, methods, methodLengths, present) → handle or −1
//!   present: bit 0 retryOnStatus, bit 1 delayOnStatus, bit 2 methods given (else core defaults);
//!   methods joined, each one's UTF-8 length in methodLengths
//! classify(h, status, method, flags) → breaker outcome 0 success | 1 failure | 2 ignored;
//!   scratch[0] class (FAILURE_CLASSES index), text(0) reason;  status < 0 or NaN = no response
//!   flags: bit 0 idempotency key, bit 1 reached the server
//! hintMs(values, nowUnixMs) → the first value (one line per HINT_HEADERS entry of js/tables.js) that parses, ms; NaN if none
//! ```
//!
//! Constraints: classification is total; options are validated at
//! construction.

use super::{Core, Slot};
use crate::api::latin1;
use crate::api::policy::CLASS_VALUES;
use crate::error::{Error, Variant};
use crate::{clock, fields::is_whole};
use alloc::string::String;
use alloc::vec::Vec;
use stormguard::breaker::OutcomeKind;
use stormguard::classify::{HttpClassifier, HttpClassifierOptions, HttpOutcome};
use stormguard::retry_after::{HintHeader, UnixTime, parse_hint};

/// A status from a host number: `None` (no response) when NaN or negative,
/// the invalid status `0` when not a whole number in `0..=65535`.
pub fn status(status: f64) -> Option<u16> {
    if status.is_nan() || status < 0.0 {
        None
    } else if is_whole(status) && status <= f64::from(u16::MAX) {
        Some(status as u16)
    } else {
        Some(0)
    }
}

/// An outcome from its parts (`flags`: bit 0 idempotency key, bit 1
/// reached the server).
pub fn outcome(status: f64, method: &str, flags: u32) -> HttpOutcome<'_> {
    HttpOutcome {
        status: self::status(status),
        method,
        has_idempotency_key: flags & 1 != 0,
        reached_server: flags & 2 != 0,
    }
}

/// A wall-clock reading from `Date.now()` (NaN and negatives become the
/// epoch; fractions are dropped).
pub fn unix(now_unix_ms: f64) -> UnixTime {
    // `as` saturates and maps NaN to 0.
    UnixTime::from_millis(now_unix_ms as u64)
}

/// The items of a list the JS layer joined: `lengths` holds each item's
/// UTF-8 length (no separator, so any string crosses as is); `None` when
/// the lengths do not fit `joined`.
fn split(joined: &[u8], lengths: &[f64]) -> Option<Vec<String>> {
    let mut start = 0usize;
    let mut out = Vec::with_capacity(lengths.len());
    for &len in lengths {
        let end = start.checked_add(len as usize)?;
        out.push(latin1(joined.get(start..end)?));
        start = end;
    }
    (start == joined.len()).then_some(out)
}

/// Statuses from host numbers: whole numbers in `400..=599` (the core
/// checks the range; anything not a whole `u16` is reported here).
fn statuses(field: &'static str, list: &[f64]) -> Result<Vec<u16>, Error> {
    let mut out = Vec::with_capacity(list.len());
    for &n in list {
        if !(is_whole(n) && (400.0..=599.0).contains(&n)) {
            let err = Error::new(Variant::OutOfRange, field);
            return Err(err.with_range(Variant::OutOfRange, n, 400.0, 599.0));
        }
        out.push(n as u16);
    }
    Ok(out)
}

/// A classifier slot from the lists (see the module docs).
fn classifier(
    retry_on: &[f64],
    delay_on: &[f64],
    methods: &[u8],
    lengths: &[f64],
    present: u32,
) -> Result<Slot, Error> {
    let mut options = HttpClassifierOptions::default();
    if present & 1 != 0 {
        options.retry_on_status = statuses("retryOnStatus", retry_on)?;
    }
    if present & 2 != 0 {
        options.delay_on_status = statuses("delayOnStatus", delay_on)?;
    }
    if present & 4 != 0 {
        options.retry_methods = split(methods, lengths).ok_or_else(|| {
            Error::new(Variant::Invalid, "retryMethods").with_reason("has malformed items")
        })?;
    }
    Ok(Slot::Classifier(HttpClassifier::new(&options)?))
}

impl Core {
    /// An HTTP classifier (see the module docs).
    pub fn classifier(
        &mut self,
        retry_on: &[f64],
        delay_on: &[f64],
        methods: &[u8],
        lengths: &[f64],
        present: u32,
    ) -> f64 {
        let made = classifier(retry_on, delay_on, methods, lengths, present);
        self.create(made)
    }

    /// Classifies one attempt (see the module docs); `2` (ignored), nothing
    /// written, for a wrong handle.
    pub fn classify(&mut self, handle: u32, status: f64, method: &[u8], flags: u32) -> u32 {
        let Some(Slot::Classifier(c)) = self.slot(handle) else {
            return 2;
        };
        let method = latin1(method);
        let outcome = outcome(status, &method, flags);
        let class = c.classify(&outcome);
        let kind = c.breaker_outcome(outcome.status, outcome.reached_server);
        self.texts = [class.reason, "", ""];
        let class_index = CLASS_VALUES.iter().position(|&c| c == class.class);
        self.put(&[class_index.map_or(f64::NAN, |i| i as f64)]);
        match kind {
            OutcomeKind::Success => 0,
            OutcomeKind::Failure => 1,
            OutcomeKind::Ignored => 2,
        }
    }

    /// The first hint among `values` (one line per header name, empty when
    /// absent) that parses, in milliseconds; NaN when there is none.
    pub fn hint_ms(values: &[u8], now_unix_ms: f64) -> f64 {
        let now = unix(now_unix_ms);
        HintHeader::ALL
            .iter()
            .zip(values.split(|&b| b == b'\n'))
            .find_map(|(&header, value)| parse_hint(header, value, now).ok())
            .map_or(f64::NAN, clock::millis)
    }
}
