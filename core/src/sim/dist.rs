//! Random streams and the few distributions the simulator draws from.
//!
//! Why here and not `std`: a run must give the same numbers for a seed on
//! every target (a `no_std` wasm build included), so the logarithm is our own
//! (bit-identical everywhere) instead of the platform's `ln`.
//!
//! ```text
//! stream(seed, k)   = SeededRng(mix(seed ⊕ mix(k + 1)))   independent per client and purpose
//! ln x              = e·ln 2 + 2·atanh((m − 1)/(m + 1)),  x = m·2^e, m ∈ [√½, √2)
//! exponential(rate) = −ln(1 − u) / rate                   (Poisson inter-arrival times)
//! normal(μ, σ)      = Marsaglia's polar method            (two uniforms in the unit disc)
//! ```
//!
//! Constraints: every function is total; a draw never panics.

use crate::float::sqrt;
use crate::rng::SeededRng;

/// `ln 2`.
const LN_2: f64 = core::f64::consts::LN_2;
/// 2⁵⁴, to lift subnormals into the normal range.
const TWO_POW_54: f64 = 18_014_398_509_481_984.0;

/// A 64-bit finaliser (the SplitMix64 output function): spreads every input
/// bit over the output, so nearby stream numbers give unrelated seeds.
pub(crate) const fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The generator of stream `stream` under `seed`.
pub(crate) fn stream(seed: u64, stream: u64) -> SeededRng {
    SeededRng::from_seed_u64(mix(seed ^ mix(stream.wrapping_add(1))))
}

/// Natural logarithm of a positive finite `x`; `-inf` for 0, NaN stays NaN.
pub(crate) fn ln(x: f64) -> f64 {
    if x.is_nan() || x < 0.0 {
        return f64::NAN;
    }
    if x == 0.0 {
        return f64::NEG_INFINITY;
    }
    if x.is_infinite() {
        return x;
    }
    // Normalise subnormals first so the exponent field is meaningful.
    let (x, extra) = if x < f64::MIN_POSITIVE {
        (x * TWO_POW_54, -54)
    } else {
        (x, 0)
    };
    let bits = x.to_bits();
    let mut exponent = ((bits >> 52) & 0x7ff) as i64 - 1023 + extra;
    let mut mantissa = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    if mantissa > core::f64::consts::SQRT_2 {
        mantissa *= 0.5;
        exponent += 1;
    }
    // atanh series in s = (m − 1)/(m + 1), |s| ≤ 0.1716: s² ≤ 0.0295, so 12
    // terms reach the last bit.
    let s = (mantissa - 1.0) / (mantissa + 1.0);
    let s2 = s * s;
    let mut term = s;
    let mut sum = 0.0;
    let mut k = 1.0;
    for _ in 0..12 {
        sum += term / k;
        term *= s2;
        k += 2.0;
    }
    exponent as f64 * LN_2 + 2.0 * sum
}

/// An exponential draw with mean `mean` (the gap between Poisson arrivals).
pub(crate) fn exponential(rng: &mut SeededRng, mean: f64) -> f64 {
    // 1 − u ∈ (0, 1], so the logarithm is finite.
    -ln(1.0 - rng.next_unit()) * mean
}

/// A normal draw with mean `mean` and standard deviation `sd`.
pub(crate) fn normal(rng: &mut SeededRng, mean: f64, sd: f64) -> f64 {
    loop {
        let a = 2.0 * rng.next_unit() - 1.0;
        let b = 2.0 * rng.next_unit() - 1.0;
        let s = a * a + b * b;
        if s > 0.0 && s < 1.0 {
            return mean + sd * a * sqrt(-2.0 * ln(s) / s);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logarithm_matches_known_values() {
        for (x, expected) in [
            (1.0, 0.0),
            (2.0, LN_2),
            (core::f64::consts::E, 1.0),
            (10.0, core::f64::consts::LN_10),
            (0.001, -6.907_755_278_982_137),
            (1e300, 690.775_527_898_213_7),
            (5e-324, -744.440_071_921_381_3),
        ] {
            let got = ln(x);
            assert!(
                (got - expected).abs() <= 1e-15 * expected.abs().max(1.0),
                "{x}: {got}"
            );
        }
        assert_eq!(ln(0.0), f64::NEG_INFINITY);
        assert!(ln(-1.0).is_nan());
    }

    #[test]
    fn exponential_draws_have_the_requested_mean() {
        let mut rng = stream(1, 2);
        let n = 100_000;
        let mean = (0..n).map(|_| exponential(&mut rng, 3.0)).sum::<f64>() / f64::from(n);
        assert!((mean - 3.0).abs() < 0.05, "{mean}");
    }

    #[test]
    fn normal_draws_have_the_requested_mean_and_spread() {
        let mut rng = stream(9, 0);
        let n = 100_000;
        let draws: alloc::vec::Vec<f64> = (0..n).map(|_| normal(&mut rng, 10.0, 2.0)).collect();
        let mean = draws.iter().sum::<f64>() / f64::from(n);
        let var = draws.iter().map(|d| (d - mean) * (d - mean)).sum::<f64>() / f64::from(n);
        assert!((mean - 10.0).abs() < 0.03, "{mean}");
        assert!((var - 4.0).abs() < 0.1, "{var}");
    }

    #[test]
    fn streams_differ_by_number_and_by_seed() {
        let a = stream(1, 0).next_word();
        let b = stream(1, 1).next_word();
        let c = stream(2, 0).next_word();
        assert_ne!(a, b);
        assert_ne!(a, c);
        assert_eq!(a, stream(1, 0).next_word());
    }
}
