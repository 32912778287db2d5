//! Which header a hint came from, and the one entry point that reads any of
//! them.
//!
//! Why one entry point: hosts see a header name and a value; bindings should
//! not need to know that `x-amz-retry-after` is milliseconds and
//! `RateLimit-Reset` seconds. [`HintHeader::from_name`] recognises the name,
//! [`parse_hint`] applies that header's grammar.
//!
//! ```text
//! HintHeader       names (case-insensitive)                  grammar
//! RetryAfter       retry-after                               delta-seconds / HTTP-date
//! RetryAfterMs     retry-after-ms, x-ms-retry-after-ms       milliseconds, fraction allowed
//! AmzRetryAfter    x-amz-retry-after                         whole milliseconds
//! RateLimitReset   ratelimit-reset                           delta-seconds
//! ```
//!
//! Constraints: no allocation, no panic, for any value bytes.

use super::http_date::parse_trimmed;
use super::number::{parse_decimal_millis, parse_delta_seconds, parse_whole_millis};
use super::{Ignored, UnixTime};
use crate::time::{Duration, saturating_mul};

/// A response header that can carry a "wait this long" hint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HintHeader {
    /// `Retry-After` (RFC 9110 §10.2.3): delta-seconds or an HTTP-date.
    RetryAfter,
    /// `retry-after-ms` (OpenAI, Azure; also `x-ms-retry-after-ms`):
    /// milliseconds, a fraction is allowed.
    RetryAfterMs,
    /// `x-amz-retry-after` (AWS SDKs): whole milliseconds.
    AmzRetryAfter,
    /// `RateLimit-Reset` (IETF httpapi draft): seconds until the quota resets.
    RateLimitReset,
}

impl HintHeader {
    /// Every supported header, in documentation order.
    pub const ALL: [Self; 4] = [
        Self::RetryAfter,
        Self::RetryAfterMs,
        Self::AmzRetryAfter,
        Self::RateLimitReset,
    ];

    /// Recognises a header name, ASCII case-insensitively (HTTP field names are
    /// case-insensitive). `None` for any other name.
    pub fn from_name(name: &str) -> Option<Self> {
        const NAMES: [(&str, HintHeader); 5] = [
            ("retry-after", HintHeader::RetryAfter),
            ("retry-after-ms", HintHeader::RetryAfterMs),
            ("x-ms-retry-after-ms", HintHeader::RetryAfterMs),
            ("x-amz-retry-after", HintHeader::AmzRetryAfter),
            ("ratelimit-reset", HintHeader::RateLimitReset),
        ];
        NAMES
            .iter()
            .find(|(known, _)| name.eq_ignore_ascii_case(known))
            .map(|&(_, header)| header)
    }

    /// The canonical, lower-case header name.
    pub const fn name(self) -> &'static str {
        match self {
            Self::RetryAfter => "retry-after",
            Self::RetryAfterMs => "retry-after-ms",
            Self::AmzRetryAfter => "x-amz-retry-after",
            Self::RateLimitReset => "ratelimit-reset",
        }
    }
}

/// Reads the hint carried by `value` under `header`'s grammar. `now` is the
/// host's wall clock, used only by HTTP-dates.
///
/// Never panics or allocates; see [`Ignored`] for what is not a hint.
pub fn parse_hint(
    header: HintHeader,
    value: impl AsRef<[u8]>,
    now: UnixTime,
) -> Result<Duration, Ignored> {
    let value = value.as_ref();
    match header {
        HintHeader::RetryAfter => parse_retry_after(value, now),
        HintHeader::RetryAfterMs => parse_decimal_millis(value),
        HintHeader::AmzRetryAfter => parse_whole_millis(value),
        HintHeader::RateLimitReset => parse_delta_seconds(value),
    }
}

/// Reads a `Retry-After` value: delta-seconds, or an HTTP-date turned into
/// the time left until it (zero when it is already past) against `now`.
///
/// Never panics or allocates; see [`Ignored`] for what is not a hint.
pub fn parse_retry_after(value: impl AsRef<[u8]>, now: UnixTime) -> Result<Duration, Ignored> {
    let value = value.as_ref().trim_ascii();
    match value.first() {
        None => Err(Ignored::Empty),
        // Dates start with a day name; anything numeric-looking is a number.
        Some(b'0'..=b'9' | b'-' | b'+' | b'.') => parse_delta_seconds(value),
        Some(_) => parse_trimmed(value, now).map(|date| time_until(date, now)),
    }
}

/// `max(0, date − now)`, saturating at `u64::MAX` nanoseconds.
fn time_until(unix_seconds: i64, now: UnixTime) -> Duration {
    const NANOS_PER_MILLI: u64 = 1_000_000;
    // A date before the epoch is in the past like any other.
    let date_millis = u64::try_from(unix_seconds).map_or(0, |s| saturating_mul(s, 1_000));
    let millis_left = date_millis.saturating_sub(now.as_millis());
    Duration::from_nanos(saturating_mul(millis_left, NANOS_PER_MILLI))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One second before RFC 9110's example instant, plus 250 ms.
    const NOW: UnixTime = UnixTime::from_millis(784_111_776_250);

    #[test]
    fn header_names_are_case_insensitive() {
        assert_eq!(
            HintHeader::from_name("Retry-After"),
            Some(HintHeader::RetryAfter)
        );
        assert_eq!(
            HintHeader::from_name("RETRY-AFTER-MS"),
            Some(HintHeader::RetryAfterMs)
        );
        assert_eq!(
            HintHeader::from_name("x-ms-retry-after-ms"),
            Some(HintHeader::RetryAfterMs)
        );
        assert_eq!(
            HintHeader::from_name("X-Amz-Retry-After"),
            Some(HintHeader::AmzRetryAfter)
        );
        assert_eq!(
            HintHeader::from_name("RateLimit-Reset"),
            Some(HintHeader::RateLimitReset)
        );
        assert_eq!(HintHeader::from_name("X-RateLimit-Reset"), None);
        assert_eq!(HintHeader::from_name("retry-after "), None);
        for header in HintHeader::ALL {
            assert_eq!(HintHeader::from_name(header.name()), Some(header));
        }
    }

    #[test]
    fn retry_after_date_counts_down_from_now_to_the_millisecond() {
        let hint = parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", NOW);
        assert_eq!(hint, Ok(Duration::from_millis(750)));
    }

    #[test]
    fn retry_after_date_in_the_past_means_retry_now() {
        let later = UnixTime::from_millis(1_700_000_000_000);
        let hint = parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", later);
        assert_eq!(hint, Ok(Duration::ZERO));
        let before_1970 = parse_retry_after("Thu, 01 Jan 1960 00:00:00 GMT", later);
        assert_eq!(before_1970, Ok(Duration::ZERO));
    }

    #[test]
    fn retry_after_numbers_and_dates_report_their_own_reasons() {
        assert_eq!(parse_retry_after("-1", NOW), Err(Ignored::Negative));
        assert_eq!(parse_retry_after("2.5", NOW), Err(Ignored::Fractional));
        assert_eq!(parse_retry_after("soon", NOW), Err(Ignored::Malformed));
        assert_eq!(parse_retry_after("", NOW), Err(Ignored::Empty));
        let bad_month = parse_retry_after("Sun, 06 Noe 1994 08:49:37 GMT", NOW);
        assert_eq!(bad_month, Err(Ignored::BadMonth));
    }

    #[test]
    fn each_header_applies_its_own_unit() {
        let hint = |header, value: &str| parse_hint(header, value, NOW);
        assert_eq!(
            hint(HintHeader::RetryAfter, "3"),
            Ok(Duration::from_secs(3))
        );
        assert_eq!(
            hint(HintHeader::RetryAfterMs, "3"),
            Ok(Duration::from_millis(3))
        );
        assert_eq!(
            hint(HintHeader::RetryAfterMs, "2.5"),
            Ok(Duration::from_micros(2500))
        );
        assert_eq!(
            hint(HintHeader::AmzRetryAfter, "3"),
            Ok(Duration::from_millis(3))
        );
        assert_eq!(
            hint(HintHeader::AmzRetryAfter, "2.5"),
            Err(Ignored::Fractional)
        );
        assert_eq!(
            hint(HintHeader::RateLimitReset, "3"),
            Ok(Duration::from_secs(3))
        );
        let date = "Sun, 06 Nov 1994 08:49:37 GMT";
        assert_eq!(
            hint(HintHeader::RateLimitReset, date),
            Err(Ignored::Malformed)
        );
    }

    #[test]
    fn far_future_dates_saturate() {
        let far = parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", UnixTime::EPOCH);
        assert_eq!(far, Ok(Duration::from_nanos(u64::MAX)));
    }
}
