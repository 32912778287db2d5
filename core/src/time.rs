//! Injected time.
//!
//! Why: the core never reads a clock. Hosts pass `now` into every
//! time-dependent call, which makes decisions reproducible across runtimes and
//! lets tests run in virtual time.
//!
//! ```text
//!   Instant = u64 nanoseconds since an arbitrary, host-chosen epoch
//!   Instant + Duration  saturates at u64::MAX ns (≈ 584 years)
//!   Instant - Instant   saturates at zero (never negative, never a panic)
//! ```
//!
//! A host clock can step backwards (wall clocks, a VM migration, a buggy
//! `performance.now()` polyfill). Stateful components keep a [`Monotonic`]
//! that clamps an earlier `now` to the latest one seen, so a backwards step can
//! neither evict nor resurrect samples.
//!
//! Constraints: all arithmetic saturates; the only fallible functions are the
//! conversions from host numbers (`f64` milliseconds), which reject NaN,
//! infinities, negatives and values beyond the `u64` nanosecond range with a
//! [`ConfigError`] naming the field.

use crate::ConfigError;
use core::ops::{Add, Sub};

pub use core::time::Duration;

/// Nanoseconds in one millisecond.
const NANOS_PER_MILLI: f64 = 1_000_000.0;

/// Nanoseconds per second.
const NANOS_PER_SECOND: u64 = 1_000_000_000;

/// The largest millisecond value that fits the `u64` nanosecond range.
pub const MAX_MILLIS: f64 = u64::MAX as f64 / NANOS_PER_MILLI;

/// A point in time: `u64` nanoseconds since an epoch the host chooses (for
/// example `performance.now()` or `time.monotonic_ns()`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct Instant(u64);

impl Instant {
    /// The epoch.
    pub const ZERO: Self = Self(0);
    /// The latest representable instant; `Instant + Duration` saturates here.
    pub const MAX: Self = Self(u64::MAX);

    /// An instant `nanos` nanoseconds after the epoch.
    pub const fn from_nanos(nanos: u64) -> Self {
        Self(nanos)
    }

    /// Nanoseconds since the epoch.
    pub const fn as_nanos(self) -> u64 {
        self.0
    }

    /// An instant `ms` milliseconds after the epoch, from a host number.
    ///
    /// # Errors
    /// [`ConfigError`] naming `now` when `ms` is NaN, infinite, negative or
    /// beyond [`MAX_MILLIS`].
    pub fn from_millis_f64(ms: f64) -> Result<Self, ConfigError> {
        ConfigError::check_range("now", ms, 0.0, MAX_MILLIS)?;
        Ok(Self(nanos_from_millis_f64(ms)))
    }

    /// Milliseconds since the epoch as a host number.
    pub fn as_millis_f64(self) -> f64 {
        self.0 as f64 / NANOS_PER_MILLI
    }

    /// `self + d`, saturating at [`Instant::MAX`].
    pub fn saturating_add(self, d: Duration) -> Self {
        Self(self.0.saturating_add(saturating_nanos(d)))
    }

    /// `self - d`, saturating at [`Instant::ZERO`].
    pub fn saturating_sub(self, d: Duration) -> Self {
        Self(self.0.saturating_sub(saturating_nanos(d)))
    }

    /// Time elapsed from `earlier` to `self`, or zero if `earlier` is later.
    pub fn saturating_duration_since(self, earlier: Self) -> Duration {
        Duration::from_nanos(self.0.saturating_sub(earlier.0))
    }
}

impl Add<Duration> for Instant {
    type Output = Self;
    /// Saturating: never overflows, never panics.
    fn add(self, d: Duration) -> Self {
        self.saturating_add(d)
    }
}

impl Sub<Instant> for Instant {
    type Output = Duration;
    /// Saturating: an earlier minus a later instant is zero.
    fn sub(self, earlier: Self) -> Duration {
        self.saturating_duration_since(earlier)
    }
}

/// A duration's nanoseconds, saturating at `u64::MAX`.
///
/// In 64-bit arithmetic: `Duration::as_nanos` is 128-bit, and wasm32 has no
/// 128-bit multiply (every use would call a helper).
pub fn saturating_nanos(d: Duration) -> u64 {
    /// The most whole seconds whose nanoseconds fit a `u64`.
    const MAX_SECS: u64 = u64::MAX / NANOS_PER_SECOND;
    if d.as_secs() > MAX_SECS {
        return u64::MAX;
    }
    // At most `MAX_SECS × 10⁹`: the product fits; only the sum can saturate.
    (d.as_secs() * NANOS_PER_SECOND).saturating_add(u64::from(d.subsec_nanos()))
}

/// `count × factor`, saturating at `u64::MAX`: what `u64::saturating_mul`
/// answers, without its 128-bit overflow check (a helper call on wasm32,
/// where every nanosecond product of the core would pay for it).
#[inline]
pub fn saturating_mul(count: u64, factor: u64) -> u64 {
    match u64::MAX.checked_div(factor) {
        Some(max_count) if count > max_count => u64::MAX,
        _ => count.wrapping_mul(factor),
    }
}

/// A duration from a host number of milliseconds, validated.
///
/// # Errors
/// [`ConfigError`] naming `field` when `ms` is NaN, infinite, negative or
/// beyond [`MAX_MILLIS`].
pub fn duration_from_millis_f64(field: &'static str, ms: f64) -> Result<Duration, ConfigError> {
    ConfigError::check_range(field, ms, 0.0, MAX_MILLIS)?;
    Ok(Duration::from_nanos(nanos_from_millis_f64(ms)))
}

/// Whole nanoseconds in `ms` milliseconds, rounded like
/// [`duration_from_nanos_f64`] (nearest, ties to even; NaN and negatives give
/// 0, saturating at `u64::MAX`). The conversion every validated host number of
/// milliseconds goes through; a binding that has checked the range itself can
/// call it on a hot path and skip the `Duration`.
#[inline]
pub fn nanos_from_millis_f64(ms: f64) -> u64 {
    let nanos = ms * NANOS_PER_MILLI;
    if nanos >= 0.0 {
        rounded_nanos(nanos)
    } else {
        0
    }
}

/// A duration from a non-validated nanosecond count, rounded to the nearest
/// nanosecond (ties to even, IEEE 754's default rounding): NaN and negatives
/// become zero, values beyond `u64::MAX` saturate. Used on hot paths where the inputs
/// were validated at construction and only rounding can go astray.
#[inline]
pub fn duration_from_nanos_f64(nanos: f64) -> Duration {
    if nanos >= 0.0 {
        duration_from_non_negative_nanos(nanos)
    } else {
        // Negatives and NaN.
        Duration::ZERO
    }
}

/// [`duration_from_nanos_f64`] for a value already known to be `≥ 0` (or
/// `+∞`), one comparison shorter. A negative value gives a meaningless
/// duration, never a panic; NaN gives zero.
#[inline]
pub(crate) fn duration_from_non_negative_nanos(nanos: f64) -> Duration {
    Duration::from_nanos(rounded_nanos(nanos))
}

/// `nanos` (`≥ 0`, `+∞` or NaN) rounded to a whole number.
#[inline]
fn rounded_nanos(nanos: f64) -> u64 {
    // Below 2⁵² (52 days) adding 2⁵² makes the hardware round to the nearest
    // integer (ties to even) and leaves that integer in the low mantissa bits:
    // one addition and one subtraction instead of a saturating `f64 → u64`
    // conversion and a rounding step. Ties to even rather than away from zero
    // because that is what the hardware does for free; the rule only matters
    // for exact half nanoseconds, and every binding shares it.
    const TWO_POW_52: f64 = 4_503_599_627_370_496.0;
    if nanos < TWO_POW_52 {
        let shifted = nanos + TWO_POW_52;
        return shifted.to_bits().wrapping_sub(TWO_POW_52.to_bits());
    }
    // Above 2⁵² every f64 is an integer, so there is nothing to round; `as`
    // saturates at `u64::MAX` and maps NaN to 0.
    nanos as u64
}

/// A duration as a host number of milliseconds: its nanoseconds rounded to
/// the nearest `f64`, divided by 10⁶. Durations beyond `u64::MAX`
/// nanoseconds (584 years; none arise from validated options) are converted
/// from seconds and nanoseconds separately, within an ulp.
pub fn duration_as_millis_f64(d: Duration) -> f64 {
    let nanos = saturating_nanos(d);
    if nanos == u64::MAX {
        return d.as_secs() as f64 * 1_000.0 + f64::from(d.subsec_nanos()) / NANOS_PER_MILLI;
    }
    nanos as f64 / NANOS_PER_MILLI
}

/// Clamps a host clock that may step backwards.
///
/// Every stateful component owns one and passes each incoming `now` through
/// [`Monotonic::observe`]; an earlier `now` than one already seen is treated
/// as the latest one seen. It is never trusted, and it never panics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Monotonic {
    latest: Instant,
}

impl Monotonic {
    /// A clamp that has seen nothing yet (`latest` is the epoch).
    pub const fn new() -> Self {
        Self {
            latest: Instant::ZERO,
        }
    }

    /// Returns `max(now, latest seen)` and remembers it.
    pub fn observe(&mut self, now: Instant) -> Instant {
        if now > self.latest {
            self.latest = now;
        }
        self.latest
    }

    /// The latest instant observed.
    pub const fn latest(&self) -> Instant {
        self.latest
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saturating_mul_matches_the_standard_one() {
        let values = [
            0,
            1,
            2,
            10,
            999,
            1_000_000,
            u64::MAX / 10,
            u64::MAX / 10 + 1,
        ];
        let factors = [0, 1, 2, 10, 1_000, 1_000_000, 1_000_000_000, u64::MAX];
        for a in values.into_iter().chain([u64::MAX - 1, u64::MAX]) {
            for b in factors {
                assert_eq!(saturating_mul(a, b), a.saturating_mul(b), "{a} × {b}");
            }
        }
    }

    #[test]
    fn nanos_and_millis_match_the_128_bit_conversion() {
        let max_secs = u64::MAX / 1_000_000_000;
        let durations = [
            Duration::ZERO,
            Duration::from_nanos(1),
            Duration::from_millis(1_500),
            Duration::from_nanos(u64::MAX),
            Duration::from_nanos(u64::MAX - 1),
            Duration::new(max_secs, 709_551_615),
            Duration::new(max_secs, 709_551_616),
            Duration::new(max_secs, 999_999_999),
            Duration::new(max_secs + 1, 0),
            Duration::MAX,
        ];
        for d in durations {
            let wide = d.as_nanos();
            assert_eq!(
                saturating_nanos(d),
                u64::try_from(wide).unwrap_or(u64::MAX),
                "{d:?}"
            );
            let millis = duration_as_millis_f64(d);
            if wide < u128::from(u64::MAX) {
                assert_eq!(millis, wide as f64 / NANOS_PER_MILLI, "{d:?}");
            } else {
                let relative = (millis - wide as f64 / NANOS_PER_MILLI).abs() / millis;
                assert!(relative < 1e-15, "{d:?}: {millis}");
            }
        }
    }

    #[test]
    fn addition_saturates_instead_of_overflowing() {
        let late = Instant::from_nanos(u64::MAX - 5);
        assert_eq!(late + Duration::from_secs(1), Instant::MAX);
        assert_eq!(late + Duration::MAX, Instant::MAX);
    }

    #[test]
    fn earlier_minus_later_is_zero() {
        let a = Instant::from_nanos(10);
        let b = Instant::from_nanos(20);
        assert_eq!(a - b, Duration::ZERO);
        assert_eq!(b - a, Duration::from_nanos(10));
    }

    #[test]
    fn millis_round_trip() {
        let t = Instant::from_millis_f64(1.5).unwrap();
        assert_eq!(t.as_nanos(), 1_500_000);
        assert_eq!(t.as_millis_f64(), 1.5);
    }

    #[test]
    fn host_numbers_that_are_not_times_are_rejected() {
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -0.001, 1e300] {
            let err = Instant::from_millis_f64(bad).unwrap_err();
            assert_eq!(err.field(), "now", "{bad}");
        }
        let err = duration_from_millis_f64("baseMs", -3.0).unwrap_err();
        assert_eq!(err.field(), "baseMs");
    }

    #[test]
    fn backwards_clock_step_is_clamped() {
        let mut clock = Monotonic::new();
        assert_eq!(
            clock.observe(Instant::from_nanos(100)),
            Instant::from_nanos(100)
        );
        assert_eq!(
            clock.observe(Instant::from_nanos(40)),
            Instant::from_nanos(100)
        );
        assert_eq!(
            clock.observe(Instant::from_nanos(150)),
            Instant::from_nanos(150)
        );
    }

    #[test]
    fn nanos_from_float_round_to_nearest_ties_to_even() {
        extern crate std;
        let mut x = 0.0_f64;
        while x < 1e7 {
            for probe in [x, x + 0.5, x + 0.499_999_999, x + 0.500_000_001] {
                let expected = std::primitive::f64::round_ties_even(probe) as u64;
                assert_eq!(
                    duration_from_nanos_f64(probe).as_nanos() as u64,
                    expected,
                    "{probe}"
                );
            }
            x += 997.25;
        }
        for probe in [
            0.499_999_999_999_999_94,
            4.5e15 + 0.5,
            9.007_199_254_740_993e15,
            1.8e19,
            2e19,
        ] {
            let expected = std::primitive::f64::round_ties_even(probe) as u64;
            assert_eq!(
                duration_from_nanos_f64(probe).as_nanos() as u64,
                expected,
                "{probe}"
            );
        }
    }

    #[test]
    fn half_nanoseconds_round_to_the_even_neighbour() {
        let nanos = |x: f64| duration_from_nanos_f64(x).as_nanos();
        assert_eq!(
            [nanos(0.5), nanos(1.5), nanos(2.5), nanos(3.5)],
            [0, 2, 2, 4]
        );
        assert_eq!(nanos(2.500_000_000_000_001), 3);
    }

    #[test]
    fn nanos_from_float_never_panics() {
        assert_eq!(duration_from_nanos_f64(f64::NAN), Duration::ZERO);
        assert_eq!(duration_from_nanos_f64(-5.0), Duration::ZERO);
        assert_eq!(
            duration_from_nanos_f64(f64::INFINITY),
            Duration::from_nanos(u64::MAX)
        );
    }
}
