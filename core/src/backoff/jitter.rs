//! Jitters: spreading one deterministic delay over an interval with a draw.
//!
//! Why: clients that fail together and wait the same time retry together,
//! and the synchronised wave fails again. A jitter turns the schedule's delay
//! `d` into a random delay, from a draw `u ∈ [0, 1)` the caller supplies.
//!
//! ```text
//! none          d                               [d, d]
//! full          u·d                             [0, d)
//! equal         d/2 + u·d/2                     [d/2, d)
//! proportional  d·(1 + ratio·(2u − 1))          [d·(1 − ratio), d·(1 + ratio))
//! additive      d + u·extra                     [d, d + extra)
//! ```
//!
//! Constraints: `d` is finite and ≥ 0 and `u` is already sanitised, so every
//! result is finite and ≥ 0 (`ratio ≤ 1`).

use super::options::Jitter;

/// A [`Jitter`] with its parameters resolved (nanoseconds for `additive`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Spread {
    None,
    Full,
    Equal,
    Proportional { ratio: f64 },
    Additive { extra_ns: f64 },
}

impl Spread {
    /// Resolves `jitter` with its already validated parameters. `Auto` must
    /// have been resolved by the caller (it depends on the schedule); here it
    /// falls back to `full`.
    pub(super) fn new(jitter: Jitter, ratio: f64, extra_ns: f64) -> Self {
        match jitter {
            Jitter::None => Self::None,
            Jitter::Full | Jitter::Auto => Self::Full,
            Jitter::Equal => Self::Equal,
            Jitter::Proportional => Self::Proportional { ratio },
            Jitter::Additive => Self::Additive { extra_ns },
        }
    }

    /// The jittered delay for `delay_ns` and draw `u`.
    #[inline]
    pub(super) fn apply(&self, delay_ns: f64, u: f64) -> f64 {
        match *self {
            Self::None => delay_ns,
            Self::Full => u * delay_ns,
            Self::Equal => {
                let half = delay_ns / 2.0;
                half + u * half
            }
            Self::Proportional { ratio } => delay_ns * (1.0 + ratio * (2.0 * u - 1.0)),
            Self::Additive { extra_ns } => delay_ns + u * extra_ns,
        }
    }

    /// `(offset, slope)` with `apply(delay_ns, u) == offset + slope × u` bit
    /// for bit, so a precomputed pair replaces the dispatch; `None` for
    /// `proportional`, whose rounding differs in that form.
    ///
    /// Exact because the pair repeats `apply`'s own operations: `none` adds
    /// `0 × u = 0`, `full` adds `u × d` to `+0`, `equal` and `additive` are
    /// already `offset + u × slope`.
    pub(super) fn affine(&self, delay_ns: f64) -> Option<(f64, f64)> {
        match *self {
            Self::None => Some((delay_ns, 0.0)),
            Self::Full => Some((0.0, delay_ns)),
            Self::Equal => {
                let half = delay_ns / 2.0;
                Some((half, half))
            }
            Self::Proportional { .. } => None,
            Self::Additive { extra_ns } => Some((delay_ns, extra_ns)),
        }
    }

    /// The largest value [`Spread::apply`] can return for `delay_ns`.
    pub(super) fn upper_bound(&self, delay_ns: f64) -> f64 {
        match *self {
            Self::None | Self::Full | Self::Equal => delay_ns,
            Self::Proportional { ratio } => delay_ns * (1.0 + ratio),
            Self::Additive { extra_ns } => delay_ns + extra_ns,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_jitter_spans_its_documented_interval() {
        let d = 1_000.0;
        let low_high = |spread: Spread| (spread.apply(d, 0.0), spread.apply(d, 0.999_999));
        assert_eq!(low_high(Spread::None), (1_000.0, 1_000.0));
        let (low, high) = low_high(Spread::Full);
        assert!(low == 0.0 && high < 1_000.0 && high > 999.0);
        let (low, high) = low_high(Spread::Equal);
        assert!(low == 500.0 && high < 1_000.0 && high > 999.0);
        let (low, high) = low_high(Spread::Proportional { ratio: 0.2 });
        assert!(low == 800.0 && high < 1_200.0 && high > 1_199.0);
        let (low, high) = low_high(Spread::Additive { extra_ns: 200.0 });
        assert!(low == 1_000.0 && high < 1_200.0 && high > 1_199.0);
    }

    #[test]
    fn affine_pairs_reproduce_apply_bit_for_bit() {
        let spreads = [
            Spread::None,
            Spread::Full,
            Spread::Equal,
            Spread::Additive { extra_ns: 7.3 },
        ];
        for spread in spreads {
            for d in [0.0, 1.0, 3.0, 40.1, 1e8 + 1.0, 3e10, f64::MAX] {
                let (offset, slope) = spread.affine(d).unwrap();
                for u in [0.0, 0.13, 0.5, 0.99, 1.0 - f64::EPSILON / 2.0] {
                    assert_eq!(
                        (offset + slope * u).to_bits(),
                        spread.apply(d, u).to_bits(),
                        "{spread:?} d={d} u={u}"
                    );
                }
            }
        }
        assert_eq!(Spread::Proportional { ratio: 0.2 }.affine(1.0), None);
    }

    #[test]
    fn upper_bounds_cover_the_draws() {
        let spreads = [
            Spread::None,
            Spread::Full,
            Spread::Equal,
            Spread::Proportional { ratio: 0.5 },
            Spread::Additive { extra_ns: 7.0 },
        ];
        for spread in spreads {
            for u in [0.0, 0.5, 1.0 - f64::EPSILON / 2.0] {
                assert!(
                    spread.apply(40.0, u) <= spread.upper_bound(40.0),
                    "{spread:?}"
                );
            }
        }
    }
}
