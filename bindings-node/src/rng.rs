//! The pinned generator, exposed so users (and the shared vectors) can check
//! that a seed gives the same stream as in Rust, Python and WebAssembly.

use crate::convert;
use crate::error::throwing;
use napi::Env;
use napi::bindgen_prelude::BigInt;
use napi_derive::napi;
use stormguard::SeededRng;

/// xoshiro256++ seeded by SplitMix64 (`stormguard::SeededRng`).
#[napi(js_name = "NativeSeededRng")]
#[derive(Debug)]
pub struct NativeSeededRng {
    rng: SeededRng,
}

#[napi]
impl NativeSeededRng {
    /// A generator seeded with `seed` (decimal text of a `u64`).
    #[napi(constructor)]
    pub fn new(env: Env, seed: String) -> napi::Result<Self> {
        throwing(&env, || {
            Ok(Self {
                rng: SeededRng::from_seed_u64(convert::seed(&seed)?),
            })
        })
    }

    /// The next 64 random bits.
    #[napi]
    pub fn next_u64(&mut self) -> BigInt {
        BigInt::from(self.rng.next_word())
    }

    /// The next uniform draw in `[0, 1)`.
    #[napi]
    pub fn next_unit(&mut self) -> f64 {
        self.rng.next_unit()
    }
}
