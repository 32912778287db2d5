//! # stormguard
//!
//! stormguard decides *when to try again* and *when to stop trying*: retry
//! backoff delays, `Retry-After` handling, failure classification, retry
//! budgets, circuit breakers, bulkheads, and the [`policy`] that composes them
//! into one decision per failed attempt.
//!
//! ## Why sans-IO
//!
//! Every decision here is a pure function of its inputs. The core never reads a
//! clock, never sleeps, never spawns, never logs:
//!
//! * time comes in as an argument (`now:` [`Instant`]),
//! * randomness comes in as an argument (a uniform draw `u ∈ [0, 1)` or any
//!   [`rand::Rng`]; [`SeededRng`] is the pinned generator every binding uses),
//! * what the host must do comes out as data (a delay, a give-up reason, a
//!   balance).
//!
//! The same inputs therefore give the same decisions in Rust, Node, Python and
//! WebAssembly, and tests run in virtual time without sleeping.
//!
//! ## Constraints
//!
//! * `no_std` + `alloc`. The `std` feature only adds `std::error::Error`
//!   plumbing; `serde` adds option structs and snapshots.
//! * Configuration is validated once, at construction, into a [`ConfigError`]
//!   that names the field. After that the hot paths (`delay`, `try_withdraw`,
//!   `deposit`, parsing) cannot fail, allocate or panic, whatever `now` or
//!   `attempt` is: arithmetic saturates and a clock that steps backwards is
//!   clamped.
#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]

// Modules that size buffers at construction (windows, registries) use `alloc`.
#[allow(unused_extern_crates)]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod backoff;
pub mod breaker;
pub mod budget;
pub mod bulkhead;
pub mod classify;
pub mod error;
mod float;
pub mod policy;
pub mod registry;
pub mod retry_after;
pub mod rng;
#[cfg(feature = "sim")]
pub mod sim;
pub mod time;

pub use error::ConfigError;

/// The README's examples, compiled and run as doc-tests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
pub use rng::SeededRng;
pub use time::{Duration, Instant, Monotonic};
