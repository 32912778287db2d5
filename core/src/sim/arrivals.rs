//! Where operations come from: the clients' start times, in order.
//!
//! Why not one event per client: `N` independent Poisson processes of rate
//! `λ` together are one Poisson process of rate `N·λ` whose every arrival
//! belongs to a client drawn uniformly. Generating that single process keeps
//! the event heap as small as the number of attempts in flight, instead of
//! one pending arrival per client, which is what makes ten thousand clients
//! cheap. One-off starts are sorted once and read in order.
//!
//! ```text
//! poisson   next = previous + Exp(mean gap / N),  client = ⌊u·N⌋
//! once      start(c) = at + U(0, spread), sorted by (time, client)
//! ```
//!
//! Constraints: its own stream, independent of every decision, so all
//! fleets of a storm see the same arrivals for a seed.

use alloc::vec::Vec;

use super::dist::{exponential, stream};
use crate::rng::SeededRng;
use crate::time::{Instant, duration_from_nanos_f64};

/// Stream number of the arrivals (clients' streams use `client << 4 | layer`).
const ARRIVAL_STREAM: u64 = u64::MAX - 2;

/// How operations start, validated.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Arrivals {
    /// Mean gap between one client's operations, in ns.
    Poisson { mean_gap_ns: f64 },
    /// One operation per client at `at + U(0, spread)`.
    Once { at: Instant, spread_ns: f64 },
}

/// The start times of a run, in order.
#[derive(Debug)]
pub(crate) enum ArrivalSource {
    Poisson {
        draws: SeededRng,
        mean_gap_ns: f64,
        clients: u32,
        next: (Instant, u32),
    },
    Listed {
        starts: Vec<(Instant, u32)>,
        position: usize,
    },
}

impl ArrivalSource {
    pub(crate) fn new(arrivals: Arrivals, clients: u32, seed: u64) -> Self {
        let mut draws = stream(seed, ARRIVAL_STREAM);
        match arrivals {
            Arrivals::Poisson { mean_gap_ns } => {
                let mean_gap_ns = mean_gap_ns / f64::from(clients.max(1));
                let next = Self::draw(&mut draws, Instant::ZERO, mean_gap_ns, clients);
                Self::Poisson {
                    draws,
                    mean_gap_ns,
                    clients,
                    next,
                }
            }
            Arrivals::Once { at, spread_ns } => {
                let mut starts: Vec<(Instant, u32)> = (0..clients)
                    .map(|client| {
                        let offset = draws.next_unit() * spread_ns;
                        (at + duration_from_nanos_f64(offset), client)
                    })
                    .collect();
                starts.sort_unstable();
                Self::Listed {
                    starts,
                    position: 0,
                }
            }
        }
    }

    fn draw(
        draws: &mut SeededRng,
        after: Instant,
        mean_gap_ns: f64,
        clients: u32,
    ) -> (Instant, u32) {
        let at = after + duration_from_nanos_f64(exponential(draws, mean_gap_ns));
        let client = (draws.next_unit() * f64::from(clients)) as u32;
        (at, client.min(clients.saturating_sub(1)))
    }

    /// When the next operation starts.
    #[inline]
    pub(crate) fn peek(&self) -> Option<Instant> {
        match self {
            Self::Poisson { next, .. } => Some(next.0),
            Self::Listed { starts, position } => starts.get(*position).map(|s| s.0),
        }
    }

    /// The next start and its client; advances.
    #[inline]
    pub(crate) fn pop(&mut self) -> Option<(Instant, u32)> {
        match self {
            Self::Poisson {
                draws,
                mean_gap_ns,
                clients,
                next,
            } => {
                let current = *next;
                *next = Self::draw(draws, current.0, *mean_gap_ns, *clients);
                Some(current)
            }
            Self::Listed { starts, position } => {
                let current = starts.get(*position).copied();
                *position += 1;
                current
            }
        }
    }
}
