//! Host values into core values: option objects, numbers, instants, seeds.
//!
//! Why here: the JavaScript layer hands every option object over as JSON text
//! (after rejecting what JSON cannot carry: NaN, functions, BigInts), and the
//! core's option structs already derive serde with the binding-facing names
//! and `deny_unknown_fields`. Deserialising straight into them keeps one
//! definition of every option; `serde_path_to_error` names the offending
//! option when the shape is wrong, and the core's constructors name it when
//! the value is wrong.
//!
//! Constraints: total functions; every failure is a [`HostError`].

use crate::error::{Class, HostError, HostResult};
use serde::de::DeserializeOwned;
use stormguard::time::{Duration, Instant, MAX_MILLIS, duration_as_millis_f64};

/// Deserialises an options object sent as JSON text into a core struct.
///
/// # Errors
/// `TypeError` (`ERR_INVALID_CONFIG`) for an unknown option, a wrong type or
/// an unknown enum name; `RangeError` for an integer out of range.
pub(crate) fn options<T: DeserializeOwned>(what: &str, json: &str) -> HostResult<T> {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| shape_error(what, &error))
}

/// [`options`] from an already parsed JSON value.
///
/// # Errors
/// As [`options`].
pub(crate) fn options_from_value<T: DeserializeOwned>(
    what: &str,
    value: serde_json::Value,
) -> HostResult<T> {
    serde_path_to_error::deserialize(value).map_err(|error| shape_error(what, &error))
}

/// A serde error with its path as a config error.
fn shape_error(what: &str, error: &serde_path_to_error::Error<serde_json::Error>) -> HostError {
    let path = error.path().to_string();
    let inner = error.inner().to_string();
    // serde_json appends " at line L column C"; the position in text we
    // generated means nothing to the user.
    let inner = match inner.rfind(" at line ") {
        Some(end) => match inner.get(..end) {
            Some(head) => head.to_owned(),
            None => inner,
        },
        None => inner,
    };
    let inner = inner.replace(
        "expected u32",
        "expected an integer between 0 and 4294967295",
    );
    let class = if inner.starts_with("invalid value") {
        Class::Range
    } else {
        Class::Type
    };
    let message = if path == "." || path.is_empty() {
        format!("invalid {what} options: {inner}")
    } else {
        format!("invalid {what} option `{path}`: {inner}")
    };
    HostError::new(class, "ERR_INVALID_CONFIG", message)
}

/// A host clock reading (`performance.now()` or an injected clock) as an
/// [`Instant`].
///
/// The breaker's hot path converts two readings per call, so valid ones take
/// a direct route (the core's `nanos_from_millis_f64`) to the value the core's
/// `Instant::from_millis_f64` computes; anything else goes through the core
/// for its error.
///
/// # Errors
/// `RangeError` naming `now` for NaN, infinities, negatives and huge values.
pub(crate) fn instant(now_ms: f64) -> HostResult<Instant> {
    if (0.0..=MAX_MILLIS).contains(&now_ms) {
        return Ok(Instant::from_nanos(
            stormguard::time::nanos_from_millis_f64(now_ms),
        ));
    }
    Instant::from_millis_f64(now_ms).map_err(|error| {
        HostError::new(
            Class::Range,
            "ERR_INVALID_CLOCK",
            format!("the clock returned an invalid time: {error}"),
        )
    })
}

/// A 1-based attempt counter (`attempt`, `times`): an integer in
/// `[0, 4294967295]`.
///
/// # Errors
/// `RangeError` (`ERR_OUT_OF_RANGE`) naming the argument.
pub(crate) fn attempt(name: &str, value: f64) -> HostResult<u32> {
    whole(name, value, u32::MAX.into()).map(saturating_u32)
}

/// An integer in `[0, max]`.
///
/// # Errors
/// `RangeError` (`ERR_OUT_OF_RANGE`) naming the argument.
pub(crate) fn whole(name: &str, value: f64, max: u64) -> HostResult<u64> {
    #[allow(clippy::cast_precision_loss)]
    let max_f = max as f64;
    // In range first (NaN fails it), then whole: the round trip through
    // `u64` is exact for every whole number in range and cheaper than
    // `trunc`, a library call without SSE4.1.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let truncated = value as u64;
    #[allow(clippy::cast_precision_loss)]
    if value >= 0.0 && value <= max_f && truncated as f64 == value {
        Ok(truncated.min(max))
    } else {
        Err(HostError::out_of_range(
            name,
            &format!("an integer between 0 and {max}"),
            value,
        ))
    }
}

/// A finite number (a caller's draw `u`, which the core then clamps to `[0, 1)`).
///
/// # Errors
/// `RangeError` (`ERR_OUT_OF_RANGE`) naming the argument.
pub(crate) fn finite(name: &str, value: f64) -> HostResult<f64> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(HostError::out_of_range(name, "a finite number", value))
    }
}

/// A non-negative duration in milliseconds (`hintMs`, `backoffMs`).
///
/// # Errors
/// `RangeError` (`ERR_OUT_OF_RANGE`) naming the argument.
pub(crate) fn duration_ms(name: &'static str, value: f64) -> HostResult<Duration> {
    if (0.0..=MAX_MILLIS).contains(&value) {
        return Ok(Duration::from_nanos(
            stormguard::time::nanos_from_millis_f64(value),
        ));
    }
    stormguard::time::duration_from_millis_f64(name, value)
        .map_err(|error| HostError::new(Class::Range, "ERR_OUT_OF_RANGE", error.to_string()))
}

/// `n` saturated into a `u32`.
pub(crate) fn saturating_u32(n: u64) -> u32 {
    n.min(u64::from(u32::MAX)) as u32
}

/// A duration as host milliseconds.
pub(crate) fn ms(duration: Duration) -> f64 {
    duration_as_millis_f64(duration)
}

/// A seed sent as a decimal string (the JavaScript layer accepts numbers,
/// BigInts and strings and normalises them).
///
/// # Errors
/// `RangeError` (`ERR_INVALID_CONFIG`) naming `seed`.
pub(crate) fn seed(text: &str) -> HostResult<u64> {
    text.parse::<u64>().map_err(|_| {
        HostError::new(
            Class::Range,
            "ERR_INVALID_CONFIG",
            format!("`seed` must be an integer between 0 and 18446744073709551615, got {text:?}"),
        )
    })
}

/// Serialises a core value for JavaScript as JSON text.
///
/// # Errors
/// Never in practice (the core's types serialise infallibly); reported as a
/// plain `Error` just in case.
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> HostResult<String> {
    serde_json::to_string(value)
        .map_err(|error| HostError::new(Class::Plain, "ERR_INTERNAL", error.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use stormguard::backoff::BackoffOptions;

    #[test]
    fn unknown_options_are_type_errors_naming_the_option() {
        let result = options::<BackoffOptions>("backoff", r#"{"baseM":1}"#);
        assert!(
            matches!(&result, Err(e) if e.parts().0 == Class::Type
                && e.parts().1 == "ERR_INVALID_CONFIG"
                && e.parts().2.contains("baseM")
                && !e.parts().2.contains("line")),
            "{result:?}"
        );
    }

    #[test]
    fn wrong_types_name_the_path() {
        let result = options::<BackoffOptions>("backoff", r#"{"maxAttempts":1.5}"#);
        assert!(
            matches!(&result, Err(e) if e.parts().0 == Class::Type && e.parts().2.contains("`maxAttempts`")),
            "{result:?}"
        );
        let result = options::<BackoffOptions>("backoff", r#"{"maxAttempts":-1}"#);
        assert!(
            matches!(&result, Err(e) if e.parts().0 == Class::Range),
            "{result:?}"
        );
    }

    #[test]
    fn attempts_must_be_whole_and_in_range() {
        assert_eq!(attempt("times", 4_294_967_295.0), Ok(u32::MAX));
        for bad in [f64::NAN, -1.0, 0.5, 4_294_967_296.0, f64::INFINITY] {
            assert!(attempt("times", bad).is_err(), "{bad}");
        }
    }

    /// Host numbers around every edge: zero, fractions at and near a half
    /// nanosecond, the 2⁵³ boundary, `MAX_MILLIS`, and invalid values.
    const EDGES: [f64; 17] = [
        0.0,
        -0.0,
        1e-7,
        4.999_999e-7,
        5e-7,
        1.5e-6,
        0.123_456_789_5,
        1.0,
        12_345.678_901_234,
        9_007_199_254.740_993,
        1e12,
        MAX_MILLIS,
        -1e-9,
        -1.0,
        f64::NAN,
        f64::INFINITY,
        1e300,
    ];

    #[test]
    fn instants_match_the_core_conversion() {
        for ms in EDGES {
            assert_eq!(instant(ms).ok(), Instant::from_millis_f64(ms).ok(), "{ms}");
        }
    }

    #[test]
    fn durations_match_the_core_conversion() {
        for ms in EDGES {
            assert_eq!(
                duration_ms("durationMs", ms).ok(),
                stormguard::time::duration_from_millis_f64("durationMs", ms).ok(),
                "{ms}"
            );
        }
    }

    #[test]
    fn whole_numbers_are_exact_and_bounded() {
        assert_eq!(whole("id", 0.0, 10), Ok(0));
        assert_eq!(whole("id", 10.0, 10), Ok(10));
        assert_eq!(
            whole("id", 9_007_199_254_740_991.0, u64::MAX),
            Ok(9_007_199_254_740_991)
        );
        for bad in [
            f64::NAN,
            -1.0,
            -0.5,
            0.5,
            10.5,
            11.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ] {
            assert!(whole("id", bad, 10).is_err(), "{bad}");
        }
    }

    #[test]
    fn seeds_are_u64_decimal() {
        assert_eq!(seed("18446744073709551615"), Ok(u64::MAX));
        assert!(seed("-1").is_err());
        assert!(seed("18446744073709551616").is_err());
    }
}
