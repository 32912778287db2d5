//! Numeric hint values: delta-seconds and milliseconds.
//!
//! Why: most hints are plain numbers, and the grammar is strict
//! (`delta-seconds = 1*DIGIT`, RFC 9110 §10.2.3), but servers send `-1`,
//! `1.5`, `30s` or 40-digit numbers. Each of those has one clear outcome here.
//!
//! ```text
//! value      = OWS [ "-" ] 1*DIGIT [ "." 1*DIGIT ] OWS
//! "-" DIGIT… → Ignored::Negative
//! DIGIT "." → Ignored::Fractional (unless the unit allows fractions)
//! too large  → saturates at u64::MAX ns (RFC 9111 §1.2.2 asks caches to
//!              treat an unrepresentable delta-seconds as "the greatest
//!              positive integer")
//! ```
//!
//! Constraints: no allocation, no panic, one pass over the bytes.

use super::Ignored;
use crate::time::{Duration, saturating_mul};

const NANOS_PER_SECOND: u64 = 1_000_000_000;
const NANOS_PER_MILLI: u64 = 1_000_000;

/// A parsed, non-negative decimal: saturated integer part and the digits
/// after the point (empty when there is no point).
struct Decimal<'a> {
    integer: u64,
    fraction: &'a [u8],
}

/// Splits `value` into a [`Decimal`], or says why it is not one.
fn scan_decimal(value: &[u8]) -> Result<Decimal<'_>, Ignored> {
    let value = value.trim_ascii();
    let (first, after_sign) = match value.split_first() {
        None => return Err(Ignored::Empty),
        Some((&first, rest)) => (first, rest),
    };
    if first == b'-' {
        return if after_sign.first().is_some_and(u8::is_ascii_digit) {
            Err(Ignored::Negative)
        } else {
            Err(Ignored::Malformed)
        };
    }
    let digit_count = value.iter().take_while(|b| b.is_ascii_digit()).count();
    let Some((digits, tail)) = value.split_at_checked(digit_count) else {
        return Err(Ignored::Malformed);
    };
    if digits.is_empty() {
        return Err(Ignored::Malformed);
    }
    let integer = digits.iter().fold(0u64, |acc, &digit| {
        saturating_mul(acc, 10).saturating_add(u64::from(digit - b'0'))
    });
    match tail.split_first() {
        None => Ok(Decimal {
            integer,
            fraction: &[],
        }),
        Some((b'.', fraction))
            if !fraction.is_empty() && fraction.iter().all(u8::is_ascii_digit) =>
        {
            Ok(Decimal { integer, fraction })
        }
        Some(_) => Err(Ignored::Malformed),
    }
}

/// Parses `delta-seconds` (`1*DIGIT`, surrounding whitespace allowed) into a
/// duration, saturating at `u64::MAX` nanoseconds.
///
/// Never panics or allocates; a value that is not a whole, non-negative
/// number is [`Ignored`] (`"empty"`, `"negative"`, `"fractional"`,
/// `"malformed"`).
pub fn parse_delta_seconds(value: impl AsRef<[u8]>) -> Result<Duration, Ignored> {
    let decimal = scan_decimal(value.as_ref())?;
    if !decimal.fraction.is_empty() {
        return Err(Ignored::Fractional);
    }
    Ok(Duration::from_nanos(saturating_mul(
        decimal.integer,
        NANOS_PER_SECOND,
    )))
}

/// Parses whole milliseconds (`x-amz-retry-after`), saturating.
pub(crate) fn parse_whole_millis(value: &[u8]) -> Result<Duration, Ignored> {
    let decimal = scan_decimal(value)?;
    if !decimal.fraction.is_empty() {
        return Err(Ignored::Fractional);
    }
    Ok(Duration::from_nanos(saturating_mul(
        decimal.integer,
        NANOS_PER_MILLI,
    )))
}

/// Parses milliseconds with an optional fraction (`retry-after-ms`, which
/// the OpenAI and Azure SDKs read as a float), keeping nanosecond precision
/// (further digits are dropped) and saturating.
pub(crate) fn parse_decimal_millis(value: &[u8]) -> Result<Duration, Ignored> {
    let decimal = scan_decimal(value)?;
    let mut fraction_nanos = 0u64;
    let mut scale = NANOS_PER_MILLI;
    for &digit in decimal.fraction.iter().take(6) {
        scale /= 10;
        fraction_nanos += u64::from(digit - b'0') * scale;
    }
    Ok(Duration::from_nanos(
        saturating_mul(decimal.integer, NANOS_PER_MILLI).saturating_add(fraction_nanos),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SATURATED: Duration = Duration::from_nanos(u64::MAX);

    #[test]
    fn whole_seconds_parse_with_surrounding_whitespace() {
        assert_eq!(parse_delta_seconds("120"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_delta_seconds(" \t0 "), Ok(Duration::ZERO));
        assert_eq!(parse_delta_seconds("007"), Ok(Duration::from_secs(7)));
    }

    #[test]
    fn huge_delta_seconds_saturate_instead_of_overflowing() {
        assert_eq!(
            parse_delta_seconds("18446744073"),
            Ok(Duration::from_secs(18_446_744_073))
        );
        assert_eq!(parse_delta_seconds("18446744074"), Ok(SATURATED));
        assert_eq!(parse_delta_seconds("9".repeat(400)), Ok(SATURATED));
    }

    #[test]
    fn signs_fractions_and_junk_are_ignored_with_a_reason() {
        assert_eq!(parse_delta_seconds(""), Err(Ignored::Empty));
        assert_eq!(parse_delta_seconds("   "), Err(Ignored::Empty));
        assert_eq!(parse_delta_seconds("-5"), Err(Ignored::Negative));
        assert_eq!(parse_delta_seconds("-0"), Err(Ignored::Negative));
        assert_eq!(parse_delta_seconds("1.5"), Err(Ignored::Fractional));
        for junk in [
            "-", "+5", ".5", "1.", "1.5s", "30s", "1 2", "1e3", "0x10", "١٢",
        ] {
            assert_eq!(parse_delta_seconds(junk), Err(Ignored::Malformed), "{junk}");
        }
    }

    #[test]
    fn whole_milliseconds_reject_fractions() {
        assert_eq!(parse_whole_millis(b"1500"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_whole_millis(b"1500.5"), Err(Ignored::Fractional));
        assert_eq!(parse_whole_millis(b"99999999999999999999"), Ok(SATURATED));
    }

    #[test]
    fn decimal_milliseconds_keep_nanosecond_precision() {
        assert_eq!(
            parse_decimal_millis(b"1500"),
            Ok(Duration::from_millis(1500))
        );
        assert_eq!(
            parse_decimal_millis(b"1.5"),
            Ok(Duration::from_micros(1500))
        );
        assert_eq!(
            parse_decimal_millis(b"0.0000019"),
            Ok(Duration::from_nanos(1))
        );
        assert_eq!(parse_decimal_millis(b"-1.5"), Err(Ignored::Negative));
        assert_eq!(
            parse_decimal_millis(b"18446744073709.999999"),
            Ok(SATURATED)
        );
    }
}
