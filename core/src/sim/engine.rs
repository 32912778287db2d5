//! One fleet's run: clients, operations and attempts as events.
//!
//! Why a separate type: a run can be driven in slices
//! ([`Simulation::run_until`]) so a host can show progress or stop early, and
//! fleets are independent, so a host may run them on several threads.
//!
//! ```text
//! arrival        client c starts an operation (top layer); see [`super::arrivals`]
//! start          policy.start (budget deposit); first attempt at once
//! attempt        [breaker.try_acquire → rejected: the operation fails fast]
//!                bottom layer: send → the server answers (or not) → Reply at
//!                  min(answer + network, sent + timeout)
//!                other layers: the attempt is an operation of the layer below
//! Reply(op, r)   [breaker.record]; success → policy.on_success, operation ends
//!                failure → policy.on_failure(u, budget, breaker):
//!                          Retry{delay} → Attempt at now + delay
//!                                                GiveUp      → operation ends
//! operation ends → its result is the reply to the parent's attempt, if any
//! ```
//!
//! Constraints: deterministic for a seed (per-client streams, ties in
//! scheduling order); no allocation per event beyond the operation slab and
//! the event heap growing to their high-water marks.

use alloc::string::String;
use alloc::vec::Vec;

use super::arrivals::{ArrivalSource, Arrivals};
use super::dist::stream;
use super::events::EventQueue;
use super::guard::{Guard, Ticket};
use super::metrics::{FleetReport, Recorder};
use super::server::{Reply, Server};
use crate::budget::{RetryBudget, RetryKind};
use crate::policy::{Decision, Execution, Failure, GiveUpCounts, Guards, Policy};
use crate::rng::SeededRng;
use crate::time::{Duration, Instant, duration_from_nanos_f64};

/// "No parent": a top-layer operation.
const NO_PARENT: u32 = u32::MAX;

/// What happens at an instant.
#[derive(Clone, Copy, Debug)]
enum What {
    /// The next attempt of an operation.
    Attempt(u32),
    /// An attempt reaches the server (only with network jitter).
    AtServer(u32),
    /// An attempt's outcome reaches its client.
    Reply(u32, Reply),
}

/// An operation in flight.
#[derive(Clone, Copy, Debug)]
struct Op {
    agent: u32,
    parent: u32,
    exec: Execution,
    started: Instant,
    sent: Instant,
    ticket: Ticket,
}

/// What every client of a fleet starts with, at every layer.
#[derive(Debug)]
pub(crate) struct Template {
    pub(crate) policy: Policy,
    pub(crate) budget: Option<RetryBudget>,
    pub(crate) guard: Guard,
}

/// One client's component at one layer: its policy, budget, breaker and
/// random stream.
#[derive(Debug)]
struct Agent {
    policy: Policy,
    budget: Option<RetryBudget>,
    guard: Guard,
    draws: SeededRng,
}

/// Everything a run needs besides the fleet's policy.
#[derive(Clone, Debug)]
pub(crate) struct Setup {
    pub(crate) end: Instant,
    pub(crate) duration_s: f64,
    pub(crate) bucket_ns: u64,
    pub(crate) server: Server,
    pub(crate) clients: u32,
    pub(crate) layers: u32,
    pub(crate) arrivals: Arrivals,
    pub(crate) network: Duration,
    pub(crate) network_jitter_ns: f64,
    pub(crate) timeout: Duration,
    pub(crate) outage: Option<(Instant, Instant)>,
}

/// One fleet's run in progress: see [`crate::sim`] for the model, and
/// [`Storm::simulation`](crate::sim::Storm::simulation) to make one.
#[derive(Debug)]
pub struct Simulation {
    name: String,
    setup: Setup,
    server: Server,
    agents: Vec<Agent>,
    arrivals: ArrivalSource,
    server_draws: SeededRng,
    ops: Vec<Op>,
    free: Vec<u32>,
    live_top: u64,
    queue: EventQueue<What>,
    recorder: Recorder,
    now: Instant,
}

impl Simulation {
    pub(crate) fn new(name: String, setup: &Setup, agent: &Template, seed: u64) -> Self {
        let clients = setup.clients;
        let layers = setup.layers;
        let mut agents = Vec::with_capacity(clients as usize * layers as usize);
        for client in 0..clients {
            for layer in 0..layers {
                agents.push(Agent {
                    policy: agent.policy.clone(),
                    budget: agent.budget.clone(),
                    guard: agent.guard.clone(),
                    draws: stream(seed, (u64::from(client) << 4) | u64::from(layer)),
                });
            }
        }
        let buckets =
            usize::try_from(setup.end.as_nanos().div_ceil(setup.bucket_ns.max(1))).unwrap_or(0);
        Self {
            name,
            server: setup.server.clone(),
            recorder: Recorder::new(setup.bucket_ns, buckets, layers as usize, setup.outage),
            setup: setup.clone(),
            agents,
            arrivals: ArrivalSource::new(setup.arrivals, clients, seed),
            server_draws: stream(seed, u64::MAX - 1),
            ops: Vec::new(),
            free: Vec::new(),
            live_top: 0,
            queue: EventQueue::with_capacity(1024),
            now: Instant::ZERO,
        }
    }

    /// The fleet's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Virtual time reached so far.
    pub fn now(&self) -> Instant {
        self.now
    }

    /// The end of the run.
    pub fn end(&self) -> Instant {
        self.setup.end
    }

    /// Processes every event due by `until` (capped at the end of the run).
    /// Returns `true` once the run is complete.
    pub fn run_until(&mut self, until: Instant) -> bool {
        let until = until.min(self.setup.end);
        loop {
            let arrival = self.arrivals.peek().filter(|&at| at <= until);
            let event = self.queue.peek_at().filter(|&at| at <= until);
            match (arrival, event) {
                (Some(a), e) if e.is_none_or(|e| a <= e) => {
                    if let Some((at, client)) = self.arrivals.pop() {
                        self.now = at;
                        self.start(client, 0, NO_PARENT);
                    }
                }
                (_, Some(_)) => {
                    let Some(event) = self.queue.pop_until(until) else {
                        break;
                    };
                    self.now = event.at;
                    match event.what {
                        What::Attempt(op) => self.attempt(op),
                        What::AtServer(op) => self.at_server(op),
                        What::Reply(op, reply) => self.reply(op, reply),
                    }
                }
                _ => break,
            }
        }
        self.now = until;
        until >= self.setup.end
    }

    /// Runs to the end and returns the fleet's report.
    pub fn finish(mut self) -> FleetReport {
        self.run_until(self.setup.end);
        let mut totals = self.recorder.totals(
            self.server.capacity_rps,
            self.setup.duration_s,
            self.live_top,
        );
        let layers = self.setup.layers as usize;
        for (index, agent) in self.agents.iter_mut().enumerate() {
            totals.breaker_openings += agent.guard.openings();
            if index % layers == 0 {
                add_give_ups(&mut totals.give_ups, &agent.policy.metrics().give_ups);
            }
        }
        totals.events = self.queue.scheduled() + totals.offered;
        FleetReport {
            name: self.name,
            totals,
            series: self.recorder.series,
        }
    }

    /// Starts an operation for `client` at `layer`.
    fn start(&mut self, client: u32, layer: u32, parent: u32) {
        let now = self.now;
        let index = client * self.setup.layers + layer;
        let Some(agent) = self.agents.get_mut(index as usize) else {
            return;
        };
        let exec = agent.policy.start(now, agent.budget.as_mut());
        if layer == 0 {
            self.recorder.offered(now);
            self.live_top += 1;
        }
        let op = Op {
            agent: index,
            parent,
            exec,
            started: now,
            sent: now,
            ticket: None,
        };
        let id = match self.free.pop() {
            Some(id) => {
                if let Some(slot) = self.ops.get_mut(id as usize) {
                    *slot = op;
                }
                id
            }
            None => {
                self.ops.push(op);
                (self.ops.len() - 1) as u32
            }
        };
        self.attempt(id);
    }

    /// Makes the next attempt of operation `id`.
    fn attempt(&mut self, id: u32) {
        let now = self.now;
        let layers = self.setup.layers;
        let Some(op) = self.ops.get(id as usize).copied() else {
            return;
        };
        let admitted = self
            .agents
            .get_mut(op.agent as usize)
            .and_then(|agent| agent.guard.admit(now));
        let Some(ticket) = admitted else {
            if op.parent == NO_PARENT {
                self.recorder.breaker_rejections += 1;
            }
            self.end_op(id, false);
            return;
        };
        if let Some(slot) = self.ops.get_mut(id as usize) {
            slot.sent = now;
            slot.ticket = ticket;
        }
        let layer = op.agent % layers;
        let bottom = layer + 1 == layers;
        self.recorder.attempt(now, layer as usize, bottom);
        if !bottom {
            self.start(op.agent / layers, layer + 1, id);
            return;
        }
        let up = self.one_way(op.agent);
        if self.setup.network_jitter_ns > 0.0 {
            self.queue.push(now + up, What::AtServer(id));
        } else {
            self.answer(id, now, now + up);
        }
    }

    fn at_server(&mut self, id: u32) {
        let sent = self.ops.get(id as usize).map_or(self.now, |op| op.sent);
        self.answer(id, sent, self.now);
    }

    /// The server handles attempt `id` (sent at `sent`) arriving at `at`;
    /// schedules what the client sees.
    fn answer(&mut self, id: u32, sent: Instant, at: Instant) {
        let u = self.server_draws.next_unit();
        let (reply, leaves) = self.server.handle(at, u);
        let deadline = sent + self.setup.timeout;
        let agent = self.ops.get(id as usize).map_or(0, |op| op.agent);
        let back = leaves.map(|leaves| leaves + self.one_way(agent));
        match back {
            Some(back) if back <= deadline => self.queue.push(back, What::Reply(id, reply)),
            _ => self.queue.push(deadline, What::Reply(id, Reply::Timeout)),
        }
    }

    /// One network traversal for `agent`'s client.
    fn one_way(&mut self, agent: u32) -> Duration {
        if self.setup.network_jitter_ns <= 0.0 {
            return self.setup.network;
        }
        let u = self
            .agents
            .get_mut(agent as usize)
            .map_or(0.0, |a| a.draws.next_unit());
        self.setup.network + duration_from_nanos_f64(u * self.setup.network_jitter_ns)
    }

    /// Attempt `id` ended with `reply`.
    fn reply(&mut self, id: u32, reply: Reply) {
        let now = self.now;
        let Some(op) = self.ops.get_mut(id as usize) else {
            return;
        };
        let Some(agent) = self.agents.get_mut(op.agent as usize) else {
            return;
        };
        agent.guard.record(
            now,
            op.ticket.take(),
            reply == Reply::Success,
            now - op.sent,
        );
        if reply == Reply::Success {
            agent
                .policy
                .on_success(&mut op.exec, now, agent.budget.as_mut());
            self.end_op(id, true);
            return;
        }
        let failure = match reply {
            Reply::Timeout => Failure::retriable().with_kind(RetryKind::Timeout),
            _ => Failure::retriable(),
        };
        let u = agent.draws.next_unit();
        let guards = Guards {
            budget: agent.budget.as_mut(),
            breaker: agent.guard.breaker(),
        };
        match agent
            .policy
            .on_failure(&mut op.exec, now, &failure, u, guards)
        {
            Decision::Retry { delay, .. } => self.queue.push(now + delay, What::Attempt(id)),
            Decision::GiveUp(_) => self.end_op(id, false),
        }
    }

    /// Operation `id` ended; its result becomes the reply to its parent.
    fn end_op(&mut self, id: u32, success: bool) {
        let Some(op) = self.ops.get(id as usize).copied() else {
            return;
        };
        self.free.push(id);
        if op.parent == NO_PARENT {
            self.live_top = self.live_top.saturating_sub(1);
            self.recorder.ended(self.now, op.started, success);
        } else {
            let reply = if success {
                Reply::Success
            } else {
                Reply::Error
            };
            self.reply(op.parent, reply);
        }
    }
}

/// `total += part`, field by field.
fn add_give_ups(total: &mut GiveUpCounts, part: &GiveUpCounts) {
    total.not_retriable += part.not_retriable;
    total.attempts_exhausted += part.attempts_exhausted;
    total.deadline += part.deadline;
    total.budget_exhausted += part.budget_exhausted;
    total.breaker_open += part.breaker_open;
    total.retry_after_too_long += part.retry_after_too_long;
}
