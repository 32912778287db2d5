// stormguard-web: a resilient `fetch` and the low-level building blocks, with
// every decision made by the stormguard core compiled to WebAssembly.
export { createFetch } from './fetch.js';
export { Backoff } from './backoff.js';
export { CircuitBreaker, BreakerPermit } from './breaker.js';
export { RetryBudget, RetryPermit } from './budget.js';
export { retry } from './retry.js';
export { CircuitOpenError, CircuitOpenError as BreakerOpenError, RetryError, TimeoutError } from './errors.js';
