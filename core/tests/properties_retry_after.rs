//! Properties of hint parsing, the retry-after decision, and (being the same
//! kind of untrusted-text parsing) the failure classifiers.
#![allow(missing_docs)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use proptest::prelude::*;
use std::time::Duration;
use stormguard::classify::{
    HttpClassifier, HttpOutcome, classify_errno, classify_redis, classify_sqlstate,
};
use stormguard::retry_after::{
    HintCombine, HintHeader, RetryAfterDecision, RetryAfterOptions, RetryAfterPolicy, UnixTime,
    parse_delta_seconds, parse_hint, parse_http_date, parse_retry_after,
};

const SATURATED: Duration = Duration::from_nanos(u64::MAX);
/// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z in Unix seconds.
const FIRST_FOUR_DIGIT_YEAR: i64 = -62_135_596_800;
const LAST_FOUR_DIGIT_YEAR: i64 = 253_402_300_799;

// ---- an independent, deliberately naive calendar for formatting dates ----

fn year_length(year: i64) -> i64 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if leap { 366 } else { 365 }
}

/// (year, month 1..=12, day 1..=31) by walking whole years, then months.
fn naive_civil(mut days: i64) -> (i64, usize, i64) {
    let mut year = 1970;
    while days < 0 {
        year -= 1;
        days += year_length(year);
    }
    while days >= year_length(year) {
        days -= year_length(year);
        year += 1;
    }
    let february = if year_length(year) == 366 { 29 } else { 28 };
    let lengths = [31, february, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let mut month = 0;
    while days >= lengths[month] {
        days -= lengths[month];
        month += 1;
    }
    (year, month + 1, days + 1)
}

const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const LONG_DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

struct Parts {
    weekday: usize,
    year: i64,
    month: usize,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
}

fn parts(unix_seconds: i64) -> Parts {
    let days = unix_seconds.div_euclid(86_400);
    let of_day = unix_seconds.rem_euclid(86_400);
    let (year, month, day) = naive_civil(days);
    Parts {
        // 1970-01-01 was a Thursday.
        weekday: usize::try_from((days + 4).rem_euclid(7)).unwrap(),
        year,
        month,
        day,
        hour: of_day / 3_600,
        minute: of_day / 60 % 60,
        second: of_day % 60,
    }
}

fn imf_fixdate(unix_seconds: i64) -> String {
    let p = parts(unix_seconds);
    format!(
        "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
        DAYS[p.weekday],
        p.day,
        MONTHS[p.month - 1],
        p.year,
        p.hour,
        p.minute,
        p.second
    )
}

fn rfc850_date(unix_seconds: i64) -> String {
    let p = parts(unix_seconds);
    format!(
        "{}, {:02}-{}-{:02} {:02}:{:02}:{:02} GMT",
        LONG_DAYS[p.weekday],
        p.day,
        MONTHS[p.month - 1],
        p.year.rem_euclid(100),
        p.hour,
        p.minute,
        p.second
    )
}

fn asctime_date(unix_seconds: i64) -> String {
    let p = parts(unix_seconds);
    format!(
        "{} {} {:>2} {:02}:{:02}:{:02} {:04}",
        DAYS[p.weekday],
        MONTHS[p.month - 1],
        p.day,
        p.hour,
        p.minute,
        p.second,
        p.year
    )
}

fn any_header() -> impl Strategy<Value = HintHeader> {
    prop::sample::select(HintHeader::ALL.to_vec())
}

/// Strings that look like hints often enough to reach deep parser states.
fn hint_like() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ \t]{0,2}[-+.0-9]{0,25}[ \t]{0,2}",
        "[A-Za-z]{0,9}[, ]{0,2}[0-9 ]{0,3}[-A-Za-z ]{0,5}[-0-9 ]{0,6}[0-9: ]{0,9}[A-Z]{0,4}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn parsing_any_text_never_panics_nor_overflows(
        header in any_header(),
        value in hint_like(),
        now in any::<u64>(),
    ) {
        if let Ok(hint) = parse_hint(header, &value, UnixTime::from_millis(now)) {
            prop_assert!(hint <= SATURATED);
        }
    }

    #[test]
    fn parsing_any_bytes_never_panics_nor_overflows(
        header in any_header(),
        value in prop::collection::vec(any::<u8>(), 0..48),
        now in any::<u64>(),
    ) {
        let now = UnixTime::from_millis(now);
        if let Ok(hint) = parse_hint(header, &value, now) {
            prop_assert!(hint <= SATURATED);
        }
        let _ = parse_http_date(&value, now);
    }

    #[test]
    fn delta_seconds_round_trip(
        seconds in 0u64..=18_446_744_073,
        zeros in 0usize..4,
        before in "[ \t]{0,3}",
        after in "[ \t]{0,3}",
    ) {
        let text = format!("{before}{}{seconds}{after}", "0".repeat(zeros));
        prop_assert_eq!(parse_delta_seconds(&text), Ok(Duration::from_secs(seconds)));
        let now = UnixTime::from_millis(0);
        prop_assert_eq!(parse_retry_after(&text, now), Ok(Duration::from_secs(seconds)));
    }

    #[test]
    fn delta_seconds_beyond_u64_nanoseconds_saturate(seconds in 18_446_744_074u64..) {
        prop_assert_eq!(parse_delta_seconds(seconds.to_string()), Ok(SATURATED));
    }

    #[test]
    fn imf_fixdate_and_asctime_parse_back_to_the_same_second(
        unix_seconds in FIRST_FOUR_DIGIT_YEAR..=LAST_FOUR_DIGIT_YEAR,
        now in any::<u64>(),
    ) {
        let now = UnixTime::from_millis(now);
        let imf = imf_fixdate(unix_seconds);
        prop_assert_eq!(parse_http_date(&imf, now), Ok(unix_seconds), "{}", imf);
        let asctime = asctime_date(unix_seconds);
        prop_assert_eq!(parse_http_date(&asctime, now), Ok(unix_seconds), "{}", asctime);
    }

    #[test]
    fn rfc850_dates_within_fifty_years_parse_back_to_the_same_second(
        now_seconds in 0i64..=LAST_FOUR_DIGIT_YEAR - 60 * 366 * 86_400,
        offset_seconds in -(48 * 365 * 86_400i64)..=(49 * 365 * 86_400),
    ) {
        // Within ±48 years of `now`, a two-digit year is unambiguous under RFC 9110.
        let unix_seconds = now_seconds + offset_seconds;
        let now = UnixTime::from_millis(u64::try_from(now_seconds).unwrap() * 1000);
        let text = rfc850_date(unix_seconds);
        prop_assert_eq!(parse_http_date(&text, now), Ok(unix_seconds), "{}", text);
    }

    #[test]
    fn retry_after_date_is_the_time_left_or_zero(
        unix_seconds in 0i64..=LAST_FOUR_DIGIT_YEAR,
        now_ms in 0u64..=253_402_300_799_999,
    ) {
        let hint = parse_retry_after(imf_fixdate(unix_seconds), UnixTime::from_millis(now_ms));
        let left_ms = (i128::from(unix_seconds) * 1000 - i128::from(now_ms)).max(0);
        let expected = Duration::from_millis(u64::try_from(left_ms).unwrap()).min(SATURATED);
        prop_assert_eq!(hint, Ok(expected));
    }

    #[test]
    fn decisions_respect_the_cap_and_the_combination_rule(
        backoff_ns in any::<u64>(),
        hint_ns in proptest::option::of(any::<u64>()),
        cap_ms in 0.0f64..1e9,
        extension_ms in 0.0f64..1e7,
        combine in prop::sample::select(vec![HintCombine::Max, HintCombine::Replace, HintCombine::Bounded]),
    ) {
        let options = RetryAfterOptions {
            max_retry_after_ms: cap_ms,
            combine,
            max_extension_ms: extension_ms,
        };
        let policy = RetryAfterPolicy::new(&options).unwrap();
        let backoff = Duration::from_nanos(backoff_ns);
        let hint = hint_ns.map(Duration::from_nanos);
        match (policy.decide(backoff, hint), hint) {
            (RetryAfterDecision::Wait(delay), None) => prop_assert_eq!(delay, backoff),
            (RetryAfterDecision::GiveUp { requested }, Some(hint)) => {
                prop_assert_eq!(requested, hint);
                prop_assert!(hint > policy.max_retry_after());
            }
            (RetryAfterDecision::Wait(delay), Some(hint)) => {
                prop_assert!(hint <= policy.max_retry_after());
                match combine {
                    HintCombine::Max => prop_assert_eq!(delay, backoff.max(hint)),
                    HintCombine::Replace => prop_assert_eq!(delay, hint),
                    _ => {
                        prop_assert!(delay >= backoff);
                        prop_assert!(delay <= backoff + policy.max_extension());
                        prop_assert!(delay == backoff || delay <= hint);
                    }
                }
            }
            (decision, None) => prop_assert!(false, "gave up without a hint: {:?}", decision),
        }
    }

    #[test]
    fn classifiers_never_panic_on_any_text(
        text in any::<String>(),
        bytes in prop::collection::vec(any::<u8>(), 0..32),
        status in proptest::option::of(any::<u16>()),
        has_idempotency_key in any::<bool>(),
        reached_server in any::<bool>(),
    ) {
        for input in [text.as_bytes(), bytes.as_slice()] {
            let _ = classify_redis(input);
            let _ = classify_errno(input);
            let _ = classify_sqlstate(input);
        }
        let outcome = HttpOutcome { status, method: &text, has_idempotency_key, reached_server };
        let class = HttpClassifier::default().classify(&outcome);
        if !reached_server && status.is_none() {
            prop_assert!(class.is_retriable());
        }
    }
}
