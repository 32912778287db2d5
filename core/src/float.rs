//! Floating-point functions for `no_std`, bit-identical on every target.
//!
//! Why: `core` has no `floor`, `sqrt`, `powi`, `exp2` or `tanh` (they live in
//! `std` and call the platform's libm). Besides making the core build without
//! `std`, owning these functions means a backoff computes the *same bits* in
//! Rust on Linux, in Node, in Python and in WebAssembly: every step below is an
//! IEEE-754 basic operation (+, −, ×, ÷, conversions), which is exactly
//! rounded everywhere, whereas libm implementations differ in the last place.
//!
//! Accuracy (checked against `std` in the tests):
//!
//! | function | method | error |
//! |---|---|---|
//! | `floor`, `trunc`, `round` | integer conversion | exact |
//! | `powi` | binary exponentiation (as compiler-rt's `__powidf2`) | same bits as `f64::powi` |
//! | `sqrt` | bit-level guess + Newton | ≤ 1 ulp |
//! | `exp2` | 2ⁿ by exponent bits × Taylor series of 2ᶠ, f ∈ [0, 1) | ≤ 1e-15 relative |
//! | `tanh` | `(1 − e^{−2x}) / (1 + e^{−2x})`; via `expm1` below 0.5 | ≤ 2e-15 relative |
//!
//! Constraints: no function panics; NaN propagates.

// Some functions serve modules that are not all compiled in every feature set.
#![allow(dead_code)]

/// 2⁵²: from here on every `f64` is an integer.
const INTEGRAL_LIMIT: f64 = 4_503_599_627_370_496.0;

/// Rounds towards zero.
#[inline]
pub(crate) fn trunc(x: f64) -> f64 {
    if x.is_nan() || x.abs() >= INTEGRAL_LIMIT {
        x
    } else {
        // |x| < 2^52 fits an i64 exactly; keep the sign of -0.0 and of -0.5.
        let t = x as i64 as f64;
        if t == 0.0 && x.is_sign_negative() {
            -0.0
        } else {
            t
        }
    }
}

/// Largest integer not greater than `x`.
#[inline]
pub(crate) fn floor(x: f64) -> f64 {
    let t = trunc(x);
    if t > x { t - 1.0 } else { t }
}

/// Nearest integer, halves away from zero (like `f64::round`).
#[inline]
pub(crate) fn round(x: f64) -> f64 {
    let t = trunc(x);
    if (x - t).abs() >= 0.5 {
        t + if x.is_sign_negative() { -1.0 } else { 1.0 }
    } else {
        t
    }
}

/// `base` raised to an integer power, by binary exponentiation.
#[inline]
pub(crate) fn powi(base: f64, exponent: i32) -> f64 {
    let reciprocal = exponent < 0;
    let mut remaining = exponent.unsigned_abs();
    let mut square = base;
    let mut result = 1.0;
    loop {
        if remaining & 1 == 1 {
            result *= square;
        }
        remaining /= 2;
        if remaining == 0 {
            break;
        }
        square *= square;
    }
    if reciprocal { 1.0 / result } else { result }
}

/// Square root; NaN for negatives.
pub(crate) fn sqrt(x: f64) -> f64 {
    if x.is_nan() || x < 0.0 {
        return f64::NAN;
    }
    if x == 0.0 || x.is_infinite() {
        return x;
    }
    // Halving the exponent bits gives a guess within a factor of ~1.4.
    let mut y = f64::from_bits((x.to_bits() >> 1) + 0x1FF8_0000_0000_0000);
    for _ in 0..6 {
        y = 0.5 * (y + x / y);
    }
    y
}

/// 2ˣ.
pub(crate) fn exp2(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    if x >= 1024.0 {
        return f64::INFINITY;
    }
    if x < -1075.0 {
        return 0.0;
    }
    let whole = floor(x);
    let fraction = x - whole; // in [0, 1)
    // 2^f = e^(f ln 2); f ln 2 < 0.7 so 20 Taylor terms are far below an ulp.
    let z = fraction * core::f64::consts::LN_2;
    let mut term = 1.0;
    let mut sum = 1.0;
    let mut k = 1.0;
    while k <= 20.0 {
        term *= z / k;
        sum += term;
        k += 1.0;
    }
    scale_by_power_of_two(sum, whole as i32)
}

/// `x × 2ⁿ` for any `n` (two steps when 2ⁿ itself is not a normal `f64`).
fn scale_by_power_of_two(x: f64, n: i32) -> f64 {
    let power = |e: i32| f64::from_bits(((e + 1023) as u64) << 52);
    if n > 1023 {
        x * power(1023) * power((n - 1023).min(1023))
    } else if n < -1022 {
        x * power(-1022) * power((n + 1022).max(-1022))
    } else {
        x * power(n)
    }
}

/// `eˣ − 1` for |x| ≤ 1, by its Taylor series (no cancellation near zero).
fn expm1_small(x: f64) -> f64 {
    let mut term = x;
    let mut sum = x;
    let mut k = 2.0;
    while k <= 24.0 {
        term *= x / k;
        sum += term;
        k += 1.0;
    }
    sum
}

/// Hyperbolic tangent.
pub(crate) fn tanh(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    let magnitude = x.abs();
    let result = if magnitude > 22.0 {
        1.0
    } else if magnitude < 0.5 {
        // −expm1(−2x) / (2 + expm1(−2x)): no cancellation near zero.
        let m = expm1_small(-2.0 * magnitude);
        -m / (2.0 + m)
    } else {
        let e = exp2(-2.0 * magnitude * core::f64::consts::LOG2_E);
        (1.0 - e) / (1.0 + e)
    };
    if x.is_sign_negative() {
        -result
    } else {
        result
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;

    fn close(a: f64, b: f64, relative: f64) -> bool {
        a == b || (a - b).abs() <= relative * b.abs().max(f64::MIN_POSITIVE)
    }

    const SAMPLES: &[f64] = &[
        0.0, -0.0, 0.3, -0.3, 0.5, -0.5, 1.0, 1.5, -1.5, 2.5, 7.999, -7.999, 1e-9, 123.456, 1e15,
        -1e15, 4.5e15, 1e300, -1e300,
    ];

    #[test]
    fn rounding_matches_std_exactly() {
        for &x in SAMPLES {
            assert_eq!(trunc(x).to_bits(), x.trunc().to_bits(), "trunc {x}");
            assert_eq!(floor(x), x.floor(), "floor {x}");
            assert_eq!(round(x), x.round(), "round {x}");
        }
        assert_eq!(round(0.499_999_999_999_999_94), 0.0);
        assert!(floor(f64::NAN).is_nan());
    }

    #[test]
    fn powi_matches_std_bits() {
        for &b in &[2.0, 1.6, 0.5, 3.0, -2.0, 1.000_1] {
            for e in -40..=1100 {
                assert_eq!(powi(b, e).to_bits(), b.powi(e).to_bits(), "{b}^{e}");
            }
        }
    }

    #[test]
    fn sqrt_is_within_an_ulp() {
        for i in 1..5000 {
            let x = i as f64 * 0.37 + 1e-3;
            assert!(close(sqrt(x), x.sqrt(), 2.3e-16), "sqrt {x}");
        }
        assert!(close(sqrt(1e-300), 1e-150, 2.3e-16));
        assert!(sqrt(-1.0).is_nan());
    }

    #[test]
    fn exp2_is_within_a_few_ulps() {
        let mut x = -1070.0;
        while x < 1023.0 {
            assert!(close(exp2(x), x.exp2(), 1e-15), "exp2 {x}");
            x += 0.731;
        }
        assert_eq!(exp2(10.0), 1024.0);
        assert_eq!(exp2(2000.0), f64::INFINITY);
        assert_eq!(exp2(-2000.0), 0.0);
    }

    #[test]
    fn tanh_is_accurate() {
        let mut x = -25.0;
        while x < 25.0 {
            assert!(close(tanh(x), x.tanh(), 2e-15), "tanh {x}");
            x += 0.0137;
        }
        for &x in &[1e-5, 1e-9, 2e-4, 0.0] {
            assert!(close(tanh(x), x.tanh(), 2e-15), "tanh {x}");
        }
    }
}
