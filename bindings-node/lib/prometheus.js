'use strict';
/**
 * `prometheus(targets)`: renders the metrics of breakers, registries,
 * budgets, bulkheads, retry policies and ioredis strategies in the
 * Prometheus text exposition format (version 0.0.4). Formatting only: every
 * number comes from the objects' `metrics()`.
 * @module stormguard/lib/prometheus
 */
const { argTypeError, configError } = require('./errors');
const { isPlainObject } = require('./options');

const STATES = ['closed', 'open', 'halfOpen', 'forcedOpen', 'disabled', 'metricsOnly'];
const GIVE_UPS = {
  notRetriable: 'not_retriable',
  attemptsExhausted: 'attempts_exhausted',
  deadline: 'deadline',
  budgetExhausted: 'budget_exhausted',
  breakerOpen: 'breaker_open',
  retryAfterTooLong: 'retry_after_too_long',
};

const escape = (value) => String(value).replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

/** Collects samples by metric family. */
class Families {
  constructor(prefix) {
    this.prefix = prefix;
    this.families = new Map();
  }

  add(name, type, help, labels, value) {
    if (typeof value !== 'number' || Number.isNaN(value)) return;
    const full = `${this.prefix}_${name}`;
    if (!this.families.has(full)) this.families.set(full, { type, help, samples: [] });
    const rendered = Object.entries(labels)
      .map(([k, v]) => `${k}="${escape(v)}"`)
      .join(',');
    this.families.get(full).samples.push(`${full}{${rendered}} ${Number.isFinite(value) ? value : value > 0 ? '+Inf' : '-Inf'}`);
  }

  render() {
    const lines = [];
    for (const [name, family] of this.families) {
      lines.push(`# HELP ${name} ${family.help}`, `# TYPE ${name} ${family.type}`, ...family.samples);
    }
    return lines.length ? `${lines.join('\n')}\n` : '';
  }
}

function breaker(f, labels, m) {
  for (const state of STATES) f.add('breaker_state', 'gauge', 'Whether the breaker is in this state (1) or not (0).', { ...labels, state }, m.state === state ? 1 : 0);
  f.add('breaker_admitted_total', 'counter', 'Calls the breaker admitted.', labels, m.admitted);
  f.add('breaker_rejected_total', 'counter', 'Calls the breaker rejected without running them.', labels, m.rejected);
  for (const [outcome, value] of [['success', m.successes], ['failure', m.failures], ['ignored', m.ignored]]) {
    f.add('breaker_calls_total', 'counter', 'Recorded calls by outcome.', { ...labels, outcome }, value);
  }
  f.add('breaker_slow_calls_total', 'counter', 'Calls slower than slowCallDurationMs.', labels, m.slowCalls);
  f.add('breaker_late_results_total', 'counter', 'Results that arrived after the state changed.', labels, m.lateResults);
  f.add('breaker_transitions_total', 'counter', 'State transitions.', labels, m.transitions);
  f.add('breaker_consecutive_openings', 'gauge', 'Openings since the breaker last closed.', labels, m.consecutiveOpenings);
  if (m.failureRate !== null) f.add('breaker_failure_rate_percent', 'gauge', 'Failure rate of the window, percent.', labels, m.failureRate);
  if (m.slowCallRate !== null) f.add('breaker_slow_call_rate_percent', 'gauge', 'Slow-call rate of the window, percent.', labels, m.slowCallRate);
  for (const state of STATES) {
    f.add('breaker_time_in_state_seconds_total', 'counter', 'Time spent in each state.', { ...labels, state }, (m.timeInStateMs[state] ?? 0) / 1000);
  }
}

function budget(f, labels, m) {
  f.add('budget_deposits_total', 'counter', 'Credits recorded by the retry budget.', labels, m.deposits);
  f.add('budget_withdrawals_total', 'counter', 'Retries the budget granted.', labels, m.withdrawals);
  f.add('budget_rejections_total', 'counter', 'Retries the budget refused.', labels, m.rejections);
  f.add('budget_balance', 'gauge', 'Retries (ratio) or tokens (token bucket, quota) available.', labels, m.balance);
}

function bulkhead(f, labels, m) {
  f.add('bulkhead_active', 'gauge', 'Calls holding a slot.', labels, m.active);
  f.add('bulkhead_queued', 'gauge', 'Calls waiting for a slot.', labels, m.queued);
  f.add('bulkhead_admitted_total', 'counter', 'Slots handed out.', labels, m.admitted);
  f.add('bulkhead_rejected_total', 'counter', 'Calls turned away (queue full).', labels, m.rejected);
  f.add('bulkhead_cancelled_total', 'counter', 'Waiters that gave up.', labels, m.cancelled);
  f.add('bulkhead_timed_out_total', 'counter', 'Waiters that waited maxQueueWaitMs.', labels, m.timedOut);
}

function policy(f, labels, m) {
  f.add('retry_executions_total', 'counter', 'Operations started.', labels, m.executions);
  f.add('retry_attempts_total', 'counter', 'Attempts made, first attempts included.', labels, m.attempts);
  f.add('retry_retries_total', 'counter', 'Retries scheduled.', labels, m.retries);
  f.add('retry_successes_total', 'counter', 'Operations that succeeded.', labels, m.successes);
  for (const [key, reason] of Object.entries(GIVE_UPS)) {
    f.add('retry_give_ups_total', 'counter', 'Operations given up, by reason.', { ...labels, reason }, m.giveUps[key]);
  }
}

/**
 * Renders `targets` (`{ name: breaker | registry | budget | bulkhead |
 * policy | strategy }`) as Prometheus text.
 * @param {Record<string, object>} targets
 * @param {{ prefix?: string }} [options] metric name prefix (default `stormguard`)
 */
function prometheus(targets, options) {
  if (!isPlainObject(targets)) throw argTypeError('targets', 'an object mapping names to stormguard objects', targets);
  const prefix = options?.prefix ?? 'stormguard';
  if (typeof prefix !== 'string' || !/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(prefix)) {
    throw configError(TypeError, 'prefix', 'a Prometheus metric name prefix', prefix);
  }
  // Required lazily: these modules are heavier and some require this one.
  const { CircuitBreaker } = require('./breaker');
  const { BreakerRegistry } = require('./registry');
  const { RetryBudget } = require('./budget');
  const { Bulkhead } = require('./bulkhead');
  const { RetryPolicy } = require('./retry');
  const f = new Families(prefix);
  for (const [name, target] of Object.entries(targets)) {
    const labels = { name };
    if (target instanceof CircuitBreaker) breaker(f, labels, target.metrics());
    else if (target instanceof BreakerRegistry) {
      for (const [key, m] of Object.entries(target.metrics())) breaker(f, { name, key }, m);
    } else if (target instanceof RetryBudget) budget(f, labels, target.metrics());
    else if (target instanceof Bulkhead) bulkhead(f, labels, target.metrics());
    else if (target instanceof RetryPolicy || (typeof target === 'function' && typeof target.metrics === 'function')) {
      policy(f, labels, target.metrics());
    } else throw argTypeError(`targets.${name}`, 'a CircuitBreaker, BreakerRegistry, RetryBudget, Bulkhead, RetryPolicy or strategy', target);
  }
  return f.render();
}

module.exports = { prometheus };
