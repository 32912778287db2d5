//! WebAssembly exports of the stormguard core, for the `stormguard-web` npm
//! package.
//!
//! ## Why this crate is small
//!
//! Every resilience decision (backoff delays, `Retry-After` handling, HTTP
//! classification, retry budgets, breakers, the retry policy) is made by the
//! `stormguard` core. This crate only carries those decisions across the
//! wasm boundary, and the hand-written ES module in `js/` reads the clocks,
//! seeds the generator from `crypto.getRandomValues`, runs timers and talks
//! to `fetch`.
//!
//! ## Boundary rules
//!
//! * One table, [`Core`] ([`api`]), owns every engine instance; the JS layer
//!   holds numbers (handles). Every export (and the glue JS for it) costs
//!   size, so there are few plain functions ([`api::exports`]), taking and
//!   returning numbers; extra results go to a scratch buffer the JS layer
//!   reads from wasm memory, names through `text`.
//! * Numbers cross as `f64` (milliseconds, names ending in `Ms` on the JS
//!   side) or `u32` (handles, indexes); no `u64` is exported, because
//!   wasm-bindgen turns it into a `BigInt`.
//! * Option objects arrive as a `Float64Array` in the order of a field table
//!   ([`options`]; the tables are in `js/tables.js`; enums as the
//!   index of their name), and become the core's own option structs; absent
//!   values keep the core's defaults.
//! * A failing constructor returns `-1` and leaves the rejected option as
//!   data ([`error`]), which the JS layer turns into a `TypeError` or
//!   `RangeError` with `code` and `option`. Nothing here panics: a Rust panic
//!   is a wasm trap that would poison the module for every later call.
//!
//! ## What the shipped module leaves out
//!
//! The peers' backoff presets (redis-py, ioredis, botocore, gRPC, Polly:
//! `backoffPreset`) reproduce server-side clients; a browser `fetch` wrapper
//! has no use for them, and they are about 4 KB of a module that must stay
//! small. The `vectors` build keeps them, so the shared preset vectors still
//! run through the wasm build. Breaker presets stay: they are an option
//! (`preset`) of the breaker options every package shares.
//!
//! ## Constraints
//!
//! No `unwrap`, `expect`, `panic!`, slice indexing or `unsafe` in this crate.
//!
//! The shipped module is `no_std` (the core and wasm-bindgen need only
//! `alloc`): std's panic machinery formats messages, which drags
//! `core::fmt` into the module. A panic there would be a bug; it traps. The
//! `vectors` build (tests) keeps std for `serde_json`.
#![cfg_attr(all(target_arch = "wasm32", not(feature = "vectors")), no_std)]

extern crate alloc;

/// Traps: nothing here is meant to panic, and formatting the message would
/// cost more than the rest of the error handling.
#[cfg(all(target_arch = "wasm32", not(feature = "vectors")))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}

/// A small free-list allocator: the default (dlmalloc) costs about 8 KB of
/// the module; allocations here are few and small (the handle table,
/// registry entries, strings). wasm is single-threaded, the
/// lock is uncontended.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::LockedAllocator<lol_alloc::FreeListAllocator> =
    lol_alloc::LockedAllocator::new(lol_alloc::FreeListAllocator::new());

pub mod api;
pub mod clock;
pub mod error;
pub mod fields;
pub mod options;

pub use api::Core;
