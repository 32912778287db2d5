//! Calls `Backoff::delay` N times (default 10⁶) for instruction counting:
//!
//! ```sh
//! cargo build --release -p stormguard --example delay_loop
//! valgrind --tool=callgrind target/release/examples/delay_loop 1000000
//! ```
//!
//! Instruction counts do not depend on the machine's load, unlike wall-clock
//! benchmarks, so they show what a change to the hot path costs.
#![allow(clippy::print_stdout)]

use stormguard::backoff::{Backoff, BackoffOptions};

/// The criterion bench's attempt/draw pairs, including attempts past the cap.
const INPUTS: [(u32, f64); 8] = [
    (1, 0.13),
    (2, 0.71),
    (3, 0.42),
    (5, 0.99),
    (8, 0.05),
    (13, 0.58),
    (40, 0.27),
    (u32::MAX, 0.86),
];

fn main() -> Result<(), stormguard::ConfigError> {
    let calls: usize = std::env::args()
        .nth(1)
        .and_then(|arg| arg.parse().ok())
        .unwrap_or(1_000_000);
    let backoff = Backoff::new(&BackoffOptions::default())?;
    let mut total_nanos = 0u128;
    for (attempt, u) in INPUTS.iter().cycle().take(calls) {
        let delay = backoff.delay(std::hint::black_box(*attempt), std::hint::black_box(*u));
        total_nanos += std::hint::black_box(delay).as_nanos();
    }
    println!("{calls} delays, {total_nanos} ns in total");
    Ok(())
}
