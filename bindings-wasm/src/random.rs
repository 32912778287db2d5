//! The pinned generator, seeded by the host.
//!
//! Why: every binding draws from the core's [`SeededRng`] so a seed gives the
//! same delays in Rust, Node, Python and the browser. The JS layer seeds it
//! from `crypto.getRandomValues` (or a caller's seed for reproducible runs),
//! passing the 64-bit seed as two `u32` halves to avoid `BigInt`.
//!
//! Constraints: infallible, panic-free.

#[cfg(feature = "vectors")]
use alloc::string::{String, ToString};
use stormguard::SeededRng;
use wasm_bindgen::prelude::wasm_bindgen;

/// A seeded xoshiro256++ stream (the core's [`SeededRng`]).
#[wasm_bindgen(js_name = CoreRng)]
#[derive(Debug)]
pub struct Rng {
    inner: SeededRng,
}

#[wasm_bindgen(js_class = CoreRng)]
impl Rng {
    /// A generator seeded with `high × 2³² + low`.
    #[wasm_bindgen(constructor)]
    pub fn new(high: u32, low: u32) -> Self {
        Self {
            inner: SeededRng::from_seed_u64((u64::from(high) << 32) | u64::from(low)),
        }
    }

    /// The next 64 random bits as a decimal string (no `BigInt` at the
    /// boundary); used to check the stream against the shared vectors.
    #[cfg(feature = "vectors")]
    #[wasm_bindgen(js_name = nextWordDecimal)]
    pub fn next_word_decimal(&mut self) -> String {
        self.inner.next_word().to_string()
    }

    /// The next uniform draw in `[0, 1)`.
    #[wasm_bindgen(js_name = nextUnit)]
    pub fn next_unit(&mut self) -> f64 {
        self.inner.next_unit()
    }
}

impl Rng {
    /// The underlying generator, for other exports that draw.
    pub fn inner_mut(&mut self) -> &mut SeededRng {
        &mut self.inner
    }
}
