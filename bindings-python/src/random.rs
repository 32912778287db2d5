//! `stormguard.SeededRng`: the core's pinned generator (SplitMix64 seeding,
//! then xoshiro256++), so a seed gives the same stream in Python, Node, the
//! browser and Rust.
//!
//! Why expose it: seeded backoffs and breakers draw from this generator;
//! users reproducing a run in another runtime, or checking one, need the raw
//! stream. The shared `rng` vectors run through it.

use crate::engine::{lock, seed_arg};
use crate::errors::type_error;
use pyo3::prelude::*;
use std::sync::Mutex;
use stormguard::SeededRng;

/// The core's seeded generator (see the module docs).
#[pyclass(module = "stormguard", name = "SeededRng", frozen)]
#[derive(Debug)]
pub(crate) struct PySeededRng {
    inner: Mutex<SeededRng>,
}

#[pymethods]
impl PySeededRng {
    /// `SeededRng(seed)`: `seed` is an int in `0 ..= 2**64 - 1`.
    #[new]
    fn new(seed: &Bound<'_, PyAny>) -> PyResult<Self> {
        let Some(seed) = seed_arg(Some(seed))? else {
            return Err(type_error("seed", "an int", seed));
        };
        Ok(Self {
            inner: Mutex::new(SeededRng::from_seed_u64(seed)),
        })
    }

    /// The next 64 random bits as an int in `0 ..= 2**64 - 1`.
    fn next_u64(&self) -> u64 {
        lock(&self.inner).next_word()
    }

    /// The next draw in `[0, 1)` (the top 53 bits of the next word), as the
    /// backoffs and breakers use it.
    fn random(&self) -> f64 {
        lock(&self.inner).next_unit()
    }

    fn __repr__(&self) -> &'static str {
        "SeededRng(...)"
    }
}
