//! Runs the shared, cross-runtime vectors in `tests/vectors/*.json`.
//!
//! Each JSON file names its `kind`; one module here per kind deserialises the
//! cases into typed structs that reject unknown keys and unknown ops, then
//! executes them against the core.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs,
    unreachable_pub
)]

mod backoff;
mod breaker;
mod budget;
mod bulkhead;
mod classify;
mod harness;
mod policy;
mod registry;
mod retry_after;
mod rng;
