//! Proleptic Gregorian calendar arithmetic on day numbers.
//!
//! Why: HTTP-dates name a calendar day; a delay needs a count of seconds. The
//! conversion is small enough to own, and owning it keeps the core free of a
//! date library.
//!
//! ```text
//! days_from_civil(y, m, d): shift the year to start on 1 March (so the leap
//!   day is the last day of the shifted year), split it into 400-year eras of
//!   146 097 days, then
//!   day_of_year  = (153 × shifted_month + 2) / 5 + d − 1     (shifted_month 0 = March)
//!   day_of_era   = 365 × year_of_era + year_of_era/4 − year_of_era/100 + day_of_year
//!   result       = era × 146 097 + day_of_era − 719 468       (0 = 1970-01-01)
//! year_from_days is the inverse restricted to the year.
//! ```
//!
//! Constraints: plain `i64` arithmetic with Euclidean division, exact for any
//! year within ±2.5 × 10¹³ (far beyond what an `i64` of seconds can reach);
//! callers validate `month ∈ 1..=12` and `day ∈ 1..=days_in_month`.

/// Days in a 400-year era of the Gregorian calendar.
const DAYS_PER_ERA: i64 = 146_097;
/// Days from 0000-03-01 to 1970-01-01.
const UNIX_EPOCH_SHIFT: i64 = 719_468;

/// Whether `year` has a 29 February.
pub(crate) const fn is_leap_year(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Number of days in `month` (1 = January) of `year`; 0 for a month outside
/// `1..=12`.
pub(crate) const fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 of the date `year-month-day` (negative before 1970).
pub(crate) fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let month = i64::from(month);
    let day = i64::from(day);
    // Years start on 1 March, so January and February belong to the year before.
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let shifted_month = (month + 9) % 12; // March = 0 … February = 11
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = 365 * year_of_era + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * DAYS_PER_ERA + day_of_era - UNIX_EPOCH_SHIFT
}

/// The calendar year containing the day `days` after 1970-01-01.
pub(crate) fn year_from_days(days: i64) -> i64 {
    let shifted = days + UNIX_EPOCH_SHIFT;
    let era = shifted.div_euclid(DAYS_PER_ERA);
    let day_of_era = shifted.rem_euclid(DAYS_PER_ERA);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153; // March = 0 … February = 11
    let year = era * 400 + year_of_era;
    // January and February (shifted months 10 and 11) belong to the next civil year.
    if shifted_month >= 10 { year + 1 } else { year }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_is_day_zero() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(year_from_days(0), 1970);
    }

    #[test]
    fn known_dates_match_their_day_numbers() {
        // 1994-11-06 is 784_080_000 s / 86_400 s after the epoch (RFC 9110's example).
        assert_eq!(days_from_civil(1994, 11, 6), 9_075);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        assert_eq!(days_from_civil(1900, 1, 1), -25_567);
    }

    #[test]
    fn walking_day_by_day_agrees_with_the_closed_form() {
        let mut days = days_from_civil(1599, 1, 1);
        for year in 1599..=2404 {
            for month in 1..=12 {
                for day in 1..=days_in_month(year, month) {
                    assert_eq!(
                        days_from_civil(year, month, day),
                        days,
                        "{year}-{month}-{day}"
                    );
                    assert_eq!(year_from_days(days), year, "{year}-{month}-{day}");
                    days += 1;
                }
            }
        }
    }

    #[test]
    fn leap_years_follow_the_gregorian_rule() {
        assert!(is_leap_year(2000));
        assert!(is_leap_year(2024));
        assert!(!is_leap_year(1900));
        assert!(!is_leap_year(2023));
        assert_eq!(days_in_month(2024, 2), 29);
        assert_eq!(days_in_month(2100, 2), 28);
        assert_eq!(days_in_month(2024, 13), 0);
    }
}
