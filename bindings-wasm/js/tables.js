// The field tables of the core's option structs, in the order their values
// cross into the module (see src/fields.rs): `name:type` entries,
// comma-separated. Types: number | number? (null allowed) | integer |
// integer? | boolean | enum=a|b|… (the core's names, in the order of the
// matching array in src/options.rs). They live here, not in the module, to
// keep their text out of the wasm; a Rust unit test checks every name and
// enum name against the core's serde names.
export const TABLES = {
  backoff: 'schedule:enum=constant|linear|exponential|decorrelated|pollyV2,baseMs:number,' +
    'stepMs:number?,factor:number,minMs:number,maxMs:number,' +
    'jitter:enum=auto|none|full|equal|proportional|additive,jitterRatio:number,' +
    'jitterMs:number,maxAttempts:integer?,capOrder:enum=capThenJitter|jitterThenCap,' +
    'wholeMs:boolean,decorrelatedStart:enum=base|zero',
  retryAfter: 'maxRetryAfterMs:number,combine:enum=max|replace|bounded,maxExtensionMs:number',
  policy: 'maxAttempts:integer,deadlineMs:number?',
  adaptive: 'halfLifeMs:number,minAttempts:integer,minSamples:number',
  ratio: 'ttlMs:number,minRetriesPerSecond:number,retryPercent:number',
  tokenBucket: 'maxTokens:number,tokenRatio:number',
  quota: 'preset:enum=awsClassic|awsStandard2026,capacity:number?,retryCost:number?,' +
    'timeoutRetryCost:number?,throttlingRetryCost:number?,noRetryIncrement:number?',
  breaker: 'windowType:enum=consecutive|count|time,windowSize:integer,windowMs:number,' +
    'bucketMs:number,minimumCalls:integer,failureRateThreshold:number,' +
    'slowCallRateThreshold:number,slowCallDurationMs:number,failureCountThreshold:integer?,' +
    'thresholdComparison:enum=atLeast|above,openDurationMs:number,halfOpenPermits:integer,' +
    'halfOpenDecision:enum=rate|successes,probeLeaseMs:number',
  registry: 'maxOrigins:integer',
};

/** The `Retry-After`-style headers, in the order the module reads their values (src/api/classify.rs). */
export const HINT_HEADERS = 'retry-after,retry-after-ms,x-amz-retry-after,ratelimit-reset';

/** The numbers the metrics of a breaker start with, in the order the module writes them (src/api/breaker.rs). */
export const BREAKER_METRICS = 'consecutiveOpenings,admitted,rejected,calls,successes,failures,' +
  'slowCalls,ignored,lateResults,expiredProbes,transitions,droppedTransitions,probesInFlight,' +
  'windowCalls,windowFailures,windowSlowCalls,failureRate,slowCallRate';

/** The failure classes, by the index the module's `decide` takes (src/api/policy.rs). */
export const FAILURE_CLASSES = 'retriable,retriableAfterDelay,reconnectAndResend,redirect,notRetriable,notAFailure';

/** The breaker states, by the index the module returns (the core's `State::ALL`). */
export const BREAKER_STATES = 'closed,open,halfOpen,forcedOpen,disabled,metricsOnly';

/** Why a breaker changed state, by the index the module returns (the core's `TransitionReason::ALL`). */
export const TRANSITION_REASONS = 'failureRate,slowCallRate,failureCount,tripFor,openDurationElapsed,' +
  'probesSucceeded,probesFailed,forcedOpen,disabled,metricsOnly,reset';

/** Why a policy gave up, by the index `execInfo` writes (the core's `GiveUp::CODES`). */
export const GIVE_UP_CODES = 'not_retriable,attempts_exhausted,deadline,budget_exhausted,breaker_open,' +
  'retry_after_too_long';
