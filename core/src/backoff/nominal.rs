//! The deterministic schedules' first delays, computed once.
//!
//! Why: `constant`, `linear` and `exponential` give the same delay for the
//! same attempt every time; only the jitter depends on the draw. Computing
//! `base × factor^(n − 1)`, its cap and the jitter's shape on every call costs
//! two dispatches, a power and two comparisons; looking the pieces up costs a
//! load. Retries almost always stay within the first few attempts, and most
//! curves reach their cap (or stop growing) within them, so a short table
//! answers nearly every call and the curve is evaluated only past it.
//!
//! ```text
//! entry[n]   = (offset, slope) of the jitter around d = curve(max(n, 1)),
//!              d capped first when the cap comes before the jitter         n < LEN
//! delay(n,u) = offset + slope × u     with entry[min(n, LEN − 1)] when the curve is flat
//!                                     from LEN − 1 on, entry[n] when n < LEN otherwise
//! miss       → the curve is evaluated: attempts past the table, the randomised
//!              curves, and the proportional jitter (see `Spread::affine`)
//! ```
//!
//! Constraints: the entries are produced by the curve's and the jitter's own
//! code, so a lookup is bit-identical to evaluating them. "Flat" is decided by
//! comparing the last entry's delay with the curve's value at the largest
//! attempt: the deterministic curves never decrease (`factor ≥ 1`,
//! `stepMs ≥ 0`), so equal ends mean every attempt in between has that value.

use super::jitter::Spread;
use super::schedule::{BackoffState, Curve, Value};

/// Table length, indexed by the attempt itself (entry 0 repeats attempt 1,
/// as attempt 0 means 1): enough for every preset to reach its cap or its
/// saturation point, small enough to keep a `Backoff` within a few cache
/// lines.
const LEN: u32 = 16;

/// The table, with the rule for attempts past it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Nominal {
    /// The jitter's offset in nanoseconds for attempts `0..LEN`.
    offsets_ns: [f64; LEN as usize],
    /// The jitter's slope (multiplied by the draw) in nanoseconds, likewise.
    /// Two arrays rather than pairs: an index scales straight into each.
    slopes_ns: [f64; LEN as usize],
    /// The largest index looked up: `LEN − 1` when the curve is flat from
    /// there on (every later attempt reads the last entry), `u32::MAX` when
    /// attempts past the table need the curve itself.
    index_limit: u32,
    /// `0`, or `LEN` when nothing is tabled: OR-ed into the index it makes
    /// every lookup miss without another branch.
    miss_bits: u32,
}

impl Nominal {
    /// The table for `curve` and `spread`, the deterministic values capped at
    /// `cap_ns` first when `cap_first` (`capThenJitter`).
    pub(super) fn new(curve: &Curve, spread: &Spread, cap_ns: f64, cap_first: bool) -> Self {
        let delay_at = |attempt: u32| {
            let mut unused = BackoffState::new();
            match curve.value(&mut unused, attempt.max(1), 0.0, cap_ns) {
                Value::Deterministic(ns) if cap_first && ns >= cap_ns => Some(cap_ns),
                Value::Deterministic(ns) => Some(ns),
                Value::Randomised(_) => None,
            }
        };
        let mut table = Self {
            offsets_ns: [0.0; LEN as usize],
            slopes_ns: [0.0; LEN as usize],
            index_limit: u32::MAX,
            miss_bits: LEN,
        };
        let slots = table.offsets_ns.iter_mut().zip(table.slopes_ns.iter_mut());
        for (attempt, (offset_ns, slope_ns)) in (0..LEN).zip(slots) {
            match delay_at(attempt).and_then(|delay_ns| spread.affine(delay_ns)) {
                Some(pair) => (*offset_ns, *slope_ns) = pair,
                None => return table,
            }
        }
        let last = LEN - 1;
        let flat = delay_at(last).map(f64::to_bits) == delay_at(u32::MAX).map(f64::to_bits);
        if flat {
            table.index_limit = last;
        }
        table.miss_bits = 0;
        table
    }

    /// The one delay of a curve that neither grows nor draws: the entry every
    /// attempt reads, when the table is flat from the start and no jitter
    /// applies.
    pub(super) fn constant_ns(&self) -> Option<f64> {
        let (first, _) = self.lookup(0)?;
        let flat = self.index_limit == LEN - 1
            && self
                .offsets_ns
                .iter()
                .all(|&ns| ns.to_bits() == first.to_bits())
            && self.slopes_ns.iter().all(|&ns| ns == 0.0);
        flat.then_some(first)
    }

    /// Whether every tabled delay is at least `floor_ns` whatever the draw
    /// (offsets are the lowest values, slopes are never negative), so a
    /// `minMs` floor cannot change a lookup.
    pub(super) fn never_below(&self, floor_ns: f64) -> bool {
        self.offsets_ns.iter().all(|&ns| ns >= floor_ns)
    }

    /// `(offset, slope)` for `attempt`, or `None` when the curve must be
    /// evaluated.
    #[inline]
    pub(super) fn lookup(&self, attempt: u32) -> Option<(f64, f64)> {
        let index = (attempt | self.miss_bits).min(self.index_limit) as usize;
        Some((*self.offsets_ns.get(index)?, *self.slopes_ns.get(index)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exponential(cap_ns: f64) -> Curve {
        Curve::exponential(100.0, 2.0, cap_ns)
    }

    #[test]
    fn a_curve_flat_within_the_table_answers_every_attempt() {
        let table = Nominal::new(&exponential(10_000.0), &Spread::None, 10_000.0, true);
        assert_eq!(table.lookup(0), Some((100.0, 0.0)));
        assert_eq!(table.lookup(1), Some((100.0, 0.0)));
        assert_eq!(table.lookup(3), Some((400.0, 0.0)));
        assert_eq!(table.lookup(40), Some((10_000.0, 0.0)));
        assert_eq!(table.lookup(u32::MAX), Some((10_000.0, 0.0)));
    }

    #[test]
    fn a_curve_still_growing_past_the_table_is_evaluated_there() {
        let table = Nominal::new(&exponential(f64::MAX), &Spread::Full, f64::MAX, true);
        assert_eq!(table.lookup(15), Some((0.0, 100.0 * 16_384.0)));
        assert_eq!(table.lookup(16), None);
        assert_eq!(table.lookup(u32::MAX), None);
    }

    #[test]
    fn only_a_flat_curve_without_jitter_is_constant() {
        let constant = Curve::Constant { delay_ns: 250.0 };
        let table = Nominal::new(&constant, &Spread::None, 1e4, true);
        assert_eq!(table.constant_ns(), Some(250.0));
        let capped = Nominal::new(&exponential(50.0), &Spread::None, 50.0, true);
        assert_eq!(capped.constant_ns(), Some(50.0), "base above the cap");
        assert_eq!(
            Nominal::new(&constant, &Spread::Full, 1e4, true).constant_ns(),
            None
        );
        let growing = Nominal::new(&exponential(1e4), &Spread::None, 1e4, true);
        assert_eq!(growing.constant_ns(), None);
        let polly = Curve::PollyV2 { base_ns: 100.0 };
        assert_eq!(
            Nominal::new(&polly, &Spread::None, 1e9, true).constant_ns(),
            None
        );
    }

    #[test]
    fn randomised_curves_and_proportional_jitter_are_not_tabled() {
        let polly = Curve::PollyV2 { base_ns: 100.0 };
        assert_eq!(
            Nominal::new(&polly, &Spread::None, 1e9, true).lookup(1),
            None
        );
        let proportional = Spread::Proportional { ratio: 0.2 };
        let table = Nominal::new(&exponential(1e4), &proportional, 1e4, true);
        assert_eq!(table.lookup(1), None);
        assert_eq!(table.lookup(u32::MAX), None);
    }
}
