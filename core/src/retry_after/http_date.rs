//! HTTP-date: the three forms RFC 9110 §5.6.7 obliges recipients to accept.
//!
//! Why all three: senders must use IMF-fixdate, but recipients must still
//! read the two obsolete forms, and old proxies and embedded servers do send
//! them.
//!
//! ```text
//! IMF-fixdate  Sun, 06 Nov 1994 08:49:37 GMT    day-name "," SP DD SP Mon SP YYYY SP time SP "GMT"
//! RFC 850      Sunday, 06-Nov-94 08:49:37 GMT   day-name-l "," SP DD "-" Mon "-" YY SP time SP "GMT"
//! asctime      Sun Nov  6 08:49:37 1994         day-name SP Mon SP (DD / SP D) SP time SP YYYY
//! time         HH ":" MM ":" SS                 00:00:00 – 23:59:60 (leap second)
//!
//! unix seconds = days_from_civil(year, month, day) × 86 400 + HH × 3 600 + MM × 60 + SS
//! RFC 850 year = the latest year ending in YY that is at most 50 years after
//!                the current year (taken from `now`)
//! ```
//!
//! Each form is a template of parts (fixed bytes, day, month, year, time,
//! zone): one pass checks the length and the fixed bytes, a second reads the
//! fields left to right, so the first bad field names the problem. One
//! matcher for three forms is about a third of the code of three matchers,
//! which the browser module ships.
//!
//! Constraints: no allocation, no panic. Day, month and `GMT` tokens compare
//! ASCII case-insensitively. The day name must be a day name of the right
//! length for the form but is not checked against the date. A leap second
//! (`:60`) is accepted and counts as the first second of the next minute, as
//! Unix time has no leap seconds.

use super::civil::{days_from_civil, days_in_month, year_from_days};
use super::{Ignored, UnixTime};

const SECONDS_PER_DAY: i64 = 86_400;
const MILLIS_PER_DAY: u64 = 86_400_000;

/// Day names by the case-folded key of their first three letters, Monday first.
const DAY_KEYS: [u32; 7] = [
    key(*b"mon"),
    key(*b"tue"),
    key(*b"wed"),
    key(*b"thu"),
    key(*b"fri"),
    key(*b"sat"),
    key(*b"sun"),
];
/// The rest of each long day name (RFC 850), after its first three letters.
const LONG_DAY_SUFFIXES: [&[u8]; 7] = [
    b"day", b"sday", b"nesday", b"rsday", b"day", b"urday", b"day",
];
/// Month names by case-folded key, January first.
const MONTH_KEYS: [u32; 12] = [
    key(*b"jan"),
    key(*b"feb"),
    key(*b"mar"),
    key(*b"apr"),
    key(*b"may"),
    key(*b"jun"),
    key(*b"jul"),
    key(*b"aug"),
    key(*b"sep"),
    key(*b"oct"),
    key(*b"nov"),
    key(*b"dec"),
];

/// Three bytes folded to lower case as one comparable word. Setting bit 5
/// maps `A–Z` onto `a–z` and no other byte onto a letter, so a non-letter
/// never matches a name's key.
const fn key(bytes: [u8; 3]) -> u32 {
    u32::from_be_bytes([0, bytes[0] | 0x20, bytes[1] | 0x20, bytes[2] | 0x20])
}

/// The key of a token that is exactly three bytes long.
fn token_key(token: &[u8]) -> Option<u32> {
    <[u8; 3]>::try_from(token).ok().map(key)
}

/// `Mon` … `Sun` (any case).
fn is_short_day_name(token: &[u8]) -> bool {
    token_key(token).is_some_and(|k| DAY_KEYS.contains(&k))
}

/// `Monday` … `Sunday` (any case).
fn is_long_day_name(token: &[u8]) -> bool {
    let Some((head, tail)) = token.split_at_checked(3) else {
        return false;
    };
    token_key(head)
        .and_then(|k| DAY_KEYS.iter().position(|&day| day == k))
        .and_then(|index| LONG_DAY_SUFFIXES.get(index))
        .is_some_and(|suffix| tail.eq_ignore_ascii_case(suffix))
}

/// Parses an HTTP-date in any of its three forms into Unix seconds (negative
/// before 1970). `now` is only used to resolve the two-digit years of the
/// RFC 850 form.
///
/// Never panics or allocates; anything else is [`Ignored`] (`"empty"`,
/// `"malformed"`, `"bad_month"`, `"bad_day"`, `"bad_time"`).
pub fn parse_http_date(value: impl AsRef<[u8]>, now: UnixTime) -> Result<i64, Ignored> {
    let value = value.as_ref().trim_ascii();
    if value.is_empty() {
        return Err(Ignored::Empty);
    }
    parse_trimmed(value, now)
}

/// [`parse_http_date`] on a non-empty, trimmed value.
pub(crate) fn parse_trimmed(value: &[u8], now: UnixTime) -> Result<i64, Ignored> {
    let name_len = value.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let Some((day_name, rest)) = value.split_at_checked(name_len) else {
        return Err(Ignored::Malformed);
    };
    let form = match rest.split_first() {
        Some((b',', _)) if is_short_day_name(day_name) => IMF_FIXDATE,
        Some((b',', _)) if is_long_day_name(day_name) => RFC_850,
        Some((b' ', _)) if is_short_day_name(day_name) => ASCTIME,
        _ => return Err(Ignored::Malformed),
    };
    let rest = rest.get(1..).unwrap_or_default();
    if !has_shape(rest, form) {
        return Err(Ignored::Malformed);
    }
    read_date(rest, form, now)
}

/// One piece of a date form, with its width in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    /// This exact byte.
    Byte(u8),
    /// `DD`.
    Day,
    /// `DD` or `SP D` (asctime).
    PaddedDay,
    /// A month name, any case.
    Month,
    /// `YYYY`.
    Year,
    /// `YY` (RFC 850).
    ShortYear,
    /// `HH:MM:SS`.
    Time,
    /// `GMT`, any case.
    Gmt,
}

impl Part {
    const fn width(self) -> usize {
        match self {
            Self::Byte(_) => 1,
            Self::Day | Self::PaddedDay | Self::ShortYear => 2,
            Self::Month | Self::Gmt => 3,
            Self::Year => 4,
            Self::Time => 8,
        }
    }
}

use Part::{Byte, Day, Gmt, Month, PaddedDay, ShortYear, Time, Year};

/// `SP DD SP Mon SP YYYY SP HH:MM:SS SP GMT`, after `day-name ","`.
const IMF_FIXDATE: &[Part] = &[
    Byte(b' '),
    Day,
    Byte(b' '),
    Month,
    Byte(b' '),
    Year,
    Byte(b' '),
    Time,
    Byte(b' '),
    Gmt,
];
/// `SP DD "-" Mon "-" YY SP HH:MM:SS SP GMT`, after `day-name-l ","`.
const RFC_850: &[Part] = &[
    Byte(b' '),
    Day,
    Byte(b'-'),
    Month,
    Byte(b'-'),
    ShortYear,
    Byte(b' '),
    Time,
    Byte(b' '),
    Gmt,
];
/// `Mon SP (DD / SP D) SP HH:MM:SS SP YYYY`, after `day-name SP`.
const ASCTIME: &[Part] = &[
    Month,
    Byte(b' '),
    PaddedDay,
    Byte(b' '),
    Time,
    Byte(b' '),
    Year,
];

/// Whether `rest` has the form's length and its fixed bytes (separators
/// and the time's colons); the fields are read afterwards.
fn has_shape(rest: &[u8], form: &[Part]) -> bool {
    let mut at = 0;
    for &part in form {
        let Some(bytes) = rest.get(at..at + part.width()) else {
            return false;
        };
        let fixed = match part {
            Byte(byte) => bytes == [byte],
            Time => bytes.get(2) == Some(&b':') && bytes.get(5) == Some(&b':'),
            _ => true,
        };
        if !fixed {
            return false;
        }
        at += part.width();
    }
    at == rest.len()
}

/// Reads the fields of a value [`has_shape`] accepted, left to right (the
/// first bad one names the problem), then the calendar checks.
fn read_date(rest: &[u8], form: &[Part], now: UnixTime) -> Result<i64, Ignored> {
    let (mut day, mut month, mut year) = (0, 0, 0);
    let mut time = TimeOfDay {
        hour: 0,
        minute: 0,
        second: 0,
    };
    let mut at = 0;
    for &part in form {
        let bytes = rest.get(at..at + part.width()).unwrap_or_default();
        at += part.width();
        match part {
            Byte(_) => {}
            Day => day = number(bytes)?,
            PaddedDay => day = number(bytes.strip_prefix(b" ").unwrap_or(bytes))?,
            Month => month = month_number(bytes)?,
            Year => year = i64::from(number(bytes)?),
            ShortYear => year = resolve_two_digit_year(i64::from(number(bytes)?), now),
            Time => time = time_of_day(bytes)?,
            Gmt => {
                if !bytes.eq_ignore_ascii_case(b"gmt") {
                    return Err(Ignored::Malformed);
                }
            }
        }
    }
    unix_seconds(year, month, day, time)
}

/// RFC 9110 §5.6.7: a two-digit year that would be more than 50 years in the
/// future is the most recent past year with the same last two digits. That
/// is: the latest year ending in `two_digit_year` that is not after
/// `current year + 50`.
fn resolve_two_digit_year(two_digit_year: i64, now: UnixTime) -> i64 {
    // `as_millis / MILLIS_PER_DAY` is below 2.2 × 10¹¹, so the cast is exact.
    let today = (now.as_millis() / MILLIS_PER_DAY) as i64;
    let latest = year_from_days(today) + 50;
    latest - (latest - two_digit_year).rem_euclid(100)
}

/// Hours, minutes and seconds of a validated time of day.
#[derive(Clone, Copy)]
struct TimeOfDay {
    hour: u32,
    minute: u32,
    second: u32,
}

/// Validates the calendar date and converts everything to Unix seconds.
fn unix_seconds(year: i64, month: u32, day: u32, time: TimeOfDay) -> Result<i64, Ignored> {
    if day == 0 || day > days_in_month(year, month) {
        return Err(Ignored::BadDay);
    }
    let seconds_of_day =
        i64::from(time.hour) * 3_600 + i64::from(time.minute) * 60 + i64::from(time.second);
    Ok(days_from_civil(year, month, day) * SECONDS_PER_DAY + seconds_of_day)
}

/// One ASCII digit's value.
fn digit(byte: u8) -> Result<u32, Ignored> {
    let value = byte.wrapping_sub(b'0');
    if value < 10 {
        Ok(u32::from(value))
    } else {
        Err(Ignored::Malformed)
    }
}

/// The value of an all-digit field; `malformed` for anything else.
fn number(bytes: &[u8]) -> Result<u32, Ignored> {
    bytes
        .iter()
        .try_fold(0, |value, &byte| Ok(value * 10 + digit(byte)?))
}

/// `Jan` … `Dec` (any case) as 1 … 12; `bad_month` for other letters,
/// `malformed` for anything else.
fn month_number(token: &[u8]) -> Result<u32, Ignored> {
    let month_key = token_key(token).unwrap_or(0);
    match MONTH_KEYS.iter().position(|&k| k == month_key) {
        Some(index) => u32::try_from(index + 1).map_err(|_| Ignored::BadMonth),
        None if token.iter().all(u8::is_ascii_alphabetic) => Err(Ignored::BadMonth),
        None => Err(Ignored::Malformed),
    }
}

/// `HH:MM:SS` (colons already checked): `malformed` for non-digits,
/// `bad_time` out of range (a leap second `:60` is accepted).
fn time_of_day(bytes: &[u8]) -> Result<TimeOfDay, Ignored> {
    let field = |from: usize| number(bytes.get(from..from + 2).unwrap_or_default());
    let (hour, minute, second) = (field(0)?, field(3)?, field(6)?);
    if hour > 23 || minute > 59 || second > 60 {
        return Err(Ignored::BadTime);
    }
    Ok(TimeOfDay {
        hour,
        minute,
        second,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-05-01T00:00:00Z.
    const NOW: UnixTime = UnixTime::from_millis(1_777_593_600_000);
    /// RFC 9110's example instant.
    const EXAMPLE: i64 = 784_111_777;

    #[test]
    fn all_three_forms_of_the_rfc_example_agree() {
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT", NOW),
            Ok(EXAMPLE)
        );
        assert_eq!(
            parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT", NOW),
            Ok(EXAMPLE)
        );
        assert_eq!(
            parse_http_date("Sun Nov  6 08:49:37 1994", NOW),
            Ok(EXAMPLE)
        );
        assert_eq!(
            parse_http_date("Sun Nov 06 08:49:37 1994", NOW),
            Ok(EXAMPLE)
        );
    }

    #[test]
    fn names_match_case_insensitively_and_weekday_is_not_checked() {
        assert_eq!(
            parse_http_date("SUN, 06 NOV 1994 08:49:37 gmt", NOW),
            Ok(EXAMPLE)
        );
        assert_eq!(
            parse_http_date("Mon, 06 Nov 1994 08:49:37 GMT", NOW),
            Ok(EXAMPLE)
        );
    }

    #[test]
    fn two_digit_years_more_than_fifty_years_ahead_are_last_century() {
        // Current year 2026: "76" is 2076 (50 years ahead), "77" is 1977.
        let in_2076 = parse_http_date("Wednesday, 01-Jan-76 00:00:00 GMT", NOW).unwrap();
        assert_eq!(in_2076, days_from_civil(2076, 1, 1) * SECONDS_PER_DAY);
        let in_1977 = parse_http_date("Saturday, 01-Jan-77 00:00:00 GMT", NOW).unwrap();
        assert_eq!(in_1977, days_from_civil(1977, 1, 1) * SECONDS_PER_DAY);
        let in_2026 = parse_http_date("Thursday, 01-Jan-26 00:00:00 GMT", NOW).unwrap();
        assert_eq!(in_2026, days_from_civil(2026, 1, 1) * SECONDS_PER_DAY);
    }

    #[test]
    fn two_digit_years_roll_into_the_next_century_near_its_end() {
        // Current year 2090: "10" is 2110 (20 years ahead), not 2010.
        let now_2090 = UnixTime::from_millis(
            u64::try_from(days_from_civil(2090, 6, 1) * SECONDS_PER_DAY * 1000).unwrap(),
        );
        let year_2110 = parse_http_date("Wednesday, 01-Jan-10 00:00:00 GMT", now_2090).unwrap();
        assert_eq!(year_2110, days_from_civil(2110, 1, 1) * SECONDS_PER_DAY);
    }

    #[test]
    fn leap_second_counts_as_the_next_minute() {
        let leap = parse_http_date("Sat, 31 Dec 2016 23:59:60 GMT", NOW).unwrap();
        let next = parse_http_date("Sun, 01 Jan 2017 00:00:00 GMT", NOW).unwrap();
        assert_eq!(leap, next);
    }

    #[test]
    fn impossible_calendar_values_have_their_own_reasons() {
        let cases = [
            ("Sun, 06 Foo 1994 08:49:37 GMT", Ignored::BadMonth),
            ("Sun, 31 Apr 1994 08:49:37 GMT", Ignored::BadDay),
            ("Sun, 00 Nov 1994 08:49:37 GMT", Ignored::BadDay),
            ("Wed, 29 Feb 2023 08:49:37 GMT", Ignored::BadDay),
            ("Sun, 06 Nov 1994 24:00:00 GMT", Ignored::BadTime),
            ("Sun, 06 Nov 1994 08:60:00 GMT", Ignored::BadTime),
            ("Sun, 06 Nov 1994 08:49:61 GMT", Ignored::BadTime),
            ("Sun Nov 31 08:49:37 1994", Ignored::BadDay),
        ];
        for (value, reason) in cases {
            assert_eq!(parse_http_date(value, NOW), Err(reason), "{value}");
        }
        assert!(parse_http_date("Thu, 29 Feb 2024 08:49:37 GMT", NOW).is_ok());
    }

    #[test]
    fn structural_deviations_are_malformed() {
        for value in [
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 06 Nov 1994 08:49:37 GMT junk",
            "Sun, 6 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 94 08:49:37 GMT",
            "Sun 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06 Nov 1994 08:49:37 GMT",
            "Sun, 06-Nov-94 08:49:37 GMT",
            "Sunday, 06-Nov-1994 08:49:37 GMT",
            "Sun Nov  6 08:49:37 94",
            "Sun Nov  6 8:49:37 1994",
            "Xyz, 06 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49",
            "Sun,",
            "Sun",
            "2024-01-01T00:00:00Z",
        ] {
            assert_eq!(
                parse_http_date(value, NOW),
                Err(Ignored::Malformed),
                "{value}"
            );
        }
        assert_eq!(parse_http_date("  ", NOW), Err(Ignored::Empty));
    }
}
