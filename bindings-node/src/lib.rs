//! # stormguard-node
//!
//! The Node.js addon behind the npm package `stormguard`.
//!
//! Why a thin layer: every resilience decision (delays, give-ups,
//! classification, budgets, bulkhead admissions) is made by the `stormguard`
//! core. This crate only converts host values into core values and back,
//! owns one seeded RNG per object, and maps errors to JavaScript's ordinary
//! `TypeError`/`RangeError` with a stable `code`. The JavaScript layer
//! (`index.js`) reads the clock (`performance.now()`), schedules timers and
//! turns results into promises and events.
//!
//! Constraints: every `Result` is converted into a JavaScript error and no
//! slice is indexed directly: an abort inside a napi call would take Node
//! down. Options arrive as JSON text and are deserialised into the core's own
//! option structs.

pub mod backoff;
pub mod breaker;
mod breaker_hot;
pub mod budget;
pub mod bulkhead;
pub mod classify;
mod convert;
mod error;
pub mod policy;
pub mod registry;
pub mod retry_after;
pub mod rng;
pub mod strategy;
