//! Injected randomness.
//!
//! Why: jitter needs randomness, but a decision engine that owns a random
//! source cannot be reproduced or tested. The core therefore takes randomness
//! as an argument, in one of two forms:
//!
//! * a uniform draw `u ∈ [0, 1)` for pure functions (`Backoff::delay(attempt, u)`);
//! * any [`rand::Rng`] for convenience wrappers, turned into a draw with
//!   [`unit_f64`].
//!
//! Bindings own a [`SeededRng`], whose algorithm is pinned so that the same
//! seed yields the same stream in Rust, Node, Python and WebAssembly:
//!
//! ```text
//! seeding:  SplitMix64(seed) → s0, s1, s2, s3            (Steele, Lea, Flood 2014)
//! next_u64: xoshiro256++                                  (Blackman, Vigna 2019)
//!           result = rotl(s0 + s3, 23) + s0
//!           t = s1 << 17; s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 45)
//! unit_f64: (next_u64 >> 11) × 2⁻⁵³                        ∈ [0, 1), 53 random bits
//! ```
//!
//! Constraints: not cryptographic; never panics; `Clone` on purpose so that a
//! snapshot of the generator can be persisted and resumed.

use core::convert::Infallible;
use rand::{Rng, TryRng};

/// 2⁻⁵³: maps a 53-bit integer onto `[0, 1)`.
const UNIT_SCALE: f64 = 1.0 / (1u64 << 53) as f64;

/// The pinned, seedable generator every binding uses: xoshiro256++ seeded by
/// SplitMix64 (see the module docs for the exact algorithm).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SeededRng {
    state: [u64; 4],
}

impl SeededRng {
    /// A generator whose four state words are the first four outputs of
    /// SplitMix64 started at `seed`. Any seed is valid, including zero.
    pub const fn from_seed_u64(seed: u64) -> Self {
        let mut x = seed;
        let (a, x1) = splitmix64(x);
        x = x1;
        let (b, x2) = splitmix64(x);
        x = x2;
        let (c, x3) = splitmix64(x);
        x = x3;
        let (d, _) = splitmix64(x);
        Self {
            state: [a, b, c, d],
        }
    }

    /// The next 64 random bits (xoshiro256++).
    pub const fn next_word(&mut self) -> u64 {
        let [s0, s1, s2, s3] = self.state;
        let result = s0.wrapping_add(s3).rotate_left(23).wrapping_add(s0);
        let t = s1 << 17;
        let s2 = s2 ^ s0;
        let s3 = s3 ^ s1;
        let s1 = s1 ^ s2;
        let s0 = s0 ^ s3;
        let s2 = s2 ^ t;
        let s3 = s3.rotate_left(45);
        self.state = [s0, s1, s2, s3];
        result
    }

    /// The next uniform draw in `[0, 1)`.
    pub const fn next_unit(&mut self) -> f64 {
        word_to_unit(self.next_word())
    }
}

/// One SplitMix64 step: returns (output, next state).
const fn splitmix64(state: u64) -> (u64, u64) {
    let next = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = next;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (z ^ (z >> 31), next)
}

/// Maps 64 random bits to `[0, 1)` using the top 53 bits.
pub const fn word_to_unit(word: u64) -> f64 {
    (word >> 11) as f64 * UNIT_SCALE
}

/// A uniform draw in `[0, 1)` from any [`rand::Rng`].
pub fn unit_f64<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    word_to_unit(rng.next_u64())
}

/// Clamps a caller-supplied draw into `[0, 1)`: NaN and negatives become 0,
/// values at or above 1 become the largest `f64` below 1. Pure functions that
/// take `u` use this so a bad draw can never produce a bad delay or a panic.
#[inline]
pub fn clamp_unit(u: f64) -> f64 {
    const BELOW_ONE: f64 = 1.0 - f64::EPSILON / 2.0;
    // Written as two selects the compiler turns into `max`/`min`
    // instructions: a NaN fails `u > 0.0` and becomes 0.
    let at_least_zero = if u > 0.0 { u } else { 0.0 };
    if at_least_zero < BELOW_ONE {
        at_least_zero
    } else {
        BELOW_ONE
    }
}

impl TryRng for SeededRng {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok((self.next_word() >> 32) as u32)
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        Ok(self.next_word())
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for chunk in dst.chunks_mut(8) {
            let bytes = self.next_word().to_le_bytes();
            for (d, s) in chunk.iter_mut().zip(bytes) {
                *d = s;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_matches_reference_output() {
        // Reference values of SplitMix64 seeded with 1234567 (from the
        // algorithm's public C implementation).
        let (a, s) = splitmix64(1_234_567);
        let (b, _) = splitmix64(s);
        assert_eq!(a, 6_457_827_717_110_365_317);
        assert_eq!(b, 3_203_168_211_198_807_973);
    }

    #[test]
    fn same_seed_same_stream() {
        let mut a = SeededRng::from_seed_u64(42);
        let mut b = SeededRng::from_seed_u64(42);
        for _ in 0..100 {
            assert_eq!(a.next_word(), b.next_word());
        }
    }

    #[test]
    fn unit_draws_stay_in_half_open_interval() {
        assert_eq!(word_to_unit(0), 0.0);
        assert!(word_to_unit(u64::MAX) < 1.0);
        let mut rng = SeededRng::from_seed_u64(7);
        for _ in 0..10_000 {
            let u = rng.next_unit();
            assert!((0.0..1.0).contains(&u));
        }
    }

    #[test]
    fn clamp_unit_repairs_bad_draws() {
        assert_eq!(clamp_unit(f64::NAN), 0.0);
        assert_eq!(clamp_unit(-1.0), 0.0);
        assert!(clamp_unit(1.0) < 1.0);
        assert!(clamp_unit(f64::INFINITY) < 1.0);
        assert_eq!(clamp_unit(0.25), 0.25);
    }

    #[test]
    fn works_as_a_rand_rng() {
        let mut rng = SeededRng::from_seed_u64(3);
        let mut copy = rng.clone();
        let u = unit_f64(&mut rng);
        assert_eq!(u, copy.next_unit());
        let mut buf = [0u8; 11];
        rng.fill_bytes(&mut buf);
    }
}
