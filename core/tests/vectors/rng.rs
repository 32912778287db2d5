//! `kind: "rng"`: the pinned generator's stream for given seeds.

use crate::harness::load;
use serde::Deserialize;
use stormguard::SeededRng;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    /// Seed as a decimal string (u64 does not fit a JSON double).
    seed: String,
    /// The first `next_u64` outputs, as decimal strings.
    words: Vec<String>,
    /// The following unit draws `(word >> 11) * 2^-53`.
    units: Vec<f64>,
}

#[test]
fn seeded_generator_matches_vectors() {
    for (file, vectors) in load::<Case>("rng") {
        for case in vectors.cases {
            let seed: u64 = case.seed.parse().expect("seed is a u64");
            let mut rng = SeededRng::from_seed_u64(seed);
            for (i, word) in case.words.iter().enumerate() {
                let expected: u64 = word.parse().expect("word is a u64");
                assert_eq!(rng.next_word(), expected, "{file} {} word {i}", case.name);
            }
            for (i, unit) in case.units.iter().enumerate() {
                assert_eq!(rng.next_unit(), *unit, "{file} {} unit {i}", case.name);
            }
        }
    }
}
