//! Which failures are worth retrying.
//!
//! ## Why
//!
//! Retrying a failure that cannot succeed (a wrong password, a `WRONGTYPE`
//! reply, a 404) multiplies load and hides the bug; not retrying a transient
//! one (a reset connection, a Redis replica still `LOADING`) turns a blip into
//! an outage; resending a `POST` whose outcome is unknown can charge a card
//! twice. Every client library answers these questions with its own ad-hoc
//! list. This module answers them once, for the four families stormguard's
//! users meet: Redis error replies, errno-style codes, HTTP, and PostgreSQL
//! SQLSTATE.
//!
//! ## Classes
//!
//! ```text
//! class                  is_retriable  meaning for the caller
//! retriable              yes           transient: retry with the normal backoff
//! retriableAfterDelay    yes           the server is busy, loading or rate-limiting:
//!                                      retry, but never immediately (honour a hint,
//!                                      at least the backoff)
//! reconnectAndResend     yes           the connection points at the wrong node (a
//!                                      failover happened): reconnect, then resend
//! redirect               no            follow the redirection (Redis MOVED/ASK); not
//!                                      a retry and not a failure of the server
//! notRetriable           no            permanent, unsafe to resend, or unknown
//! notAFailure            no            a response that is not an error (HTTP 1xx–3xx)
//! ```
//!
//! Every function returns a [`Classification`]: the class plus a short,
//! stable `reason` code (`"redis_loading"`, `"connection_reset"`,
//! `"too_many_requests"`, `"serialization_failure"` …) that bindings and logs
//! can match on. Anything unknown is `notRetriable`: retrying what we do not
//! understand is how retry storms start.
//!
//! ## Example
//!
//! ```
//! use stormguard::classify::{FailureClass, HttpClassifier, HttpOutcome, classify_redis};
//!
//! let reply = classify_redis("ReplyError: LOADING Redis is loading the dataset in memory");
//! assert_eq!(reply.class, FailureClass::RetriableAfterDelay);
//! assert_eq!(reply.reason, "redis_loading");
//!
//! let http = HttpClassifier::default();
//! let post = HttpOutcome::response("POST", 503);
//! assert!(!http.classify(&post).is_retriable()); // may already have taken effect
//! assert!(http.classify(&post.with_idempotency_key(true)).is_retriable());
//! ```
//!
//! ## Constraints
//!
//! Every classification function is total, allocation-free and panic-free for
//! any input string or byte slice. Only [`HttpClassifier::new`] allocates (to
//! keep extension methods) and it validates its options once.

mod errno;
mod http;
mod method_set;
mod redis;
mod sqlstate;
mod status_set;

pub use errno::classify_errno;
pub use http::{HttpClassifier, HttpClassifierOptions, HttpOutcome};
pub use redis::classify_redis;
pub use sqlstate::classify_sqlstate;

/// What a caller should do about a failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
#[non_exhaustive]
pub enum FailureClass {
    /// Transient: retry with the normal backoff.
    Retriable,
    /// The server is busy, loading or rate-limiting: retry, but not
    /// immediately (wait at least the backoff, and honour any server hint).
    RetriableAfterDelay,
    /// The connection reaches the wrong node (Redis `READONLY` after a
    /// failover): reconnect, then resend the command.
    ReconnectAndResend,
    /// Follow a redirection to another node (Redis `MOVED`/`ASK`). Not a retry:
    /// it neither consumes an attempt nor counts as a server failure.
    Redirect,
    /// Do not retry: permanent, unsafe to resend, or not understood.
    NotRetriable,
    /// Not a failure at all (an HTTP 1xx, 2xx or 3xx response).
    NotAFailure,
}

impl FailureClass {
    /// Every class, in declaration order (bindings that pass a class as an
    /// index use this order).
    pub const ALL: [Self; 6] = [
        Self::Retriable,
        Self::RetriableAfterDelay,
        Self::ReconnectAndResend,
        Self::Redirect,
        Self::NotRetriable,
        Self::NotAFailure,
    ];

    /// The binding-facing name (`"retriable"`, `"retriableAfterDelay"`,
    /// `"reconnectAndResend"`, `"redirect"`, `"notRetriable"`,
    /// `"notAFailure"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Retriable => "retriable",
            Self::RetriableAfterDelay => "retriableAfterDelay",
            Self::ReconnectAndResend => "reconnectAndResend",
            Self::Redirect => "redirect",
            Self::NotRetriable => "notRetriable",
            Self::NotAFailure => "notAFailure",
        }
    }

    /// Whether the same request should be sent again (after a delay, or on a
    /// new connection): `retriable`, `retriableAfterDelay` and
    /// `reconnectAndResend`.
    pub const fn is_retriable(self) -> bool {
        matches!(
            self,
            Self::Retriable | Self::RetriableAfterDelay | Self::ReconnectAndResend
        )
    }

    /// Whether the outcome counts as a failure of the server or the network
    /// (for breakers and budgets): everything except `redirect` and
    /// `notAFailure`.
    pub const fn is_failure(self) -> bool {
        !matches!(self, Self::Redirect | Self::NotAFailure)
    }
}

/// A [`FailureClass`] with the stable code of the rule that chose it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Classification {
    /// What to do.
    pub class: FailureClass,
    /// Why: a short, stable, snake_case code such as `"redis_loading"`.
    pub reason: &'static str,
}

impl Classification {
    /// A classification from its parts.
    pub const fn new(class: FailureClass, reason: &'static str) -> Self {
        Self { class, reason }
    }

    /// What a circuit breaker should count for this outcome: `Success` when
    /// it is not a failure, `Failure` when it is a transient failure worth
    /// retrying (the dependency is unhealthy), `Ignored` for permanent answers
    /// (a wrong type, a 404), which say nothing about its health. A redirect
    /// (Redis `MOVED`) is not a failure: the node answered.
    pub const fn breaker_outcome(self) -> crate::breaker::OutcomeKind {
        use crate::breaker::OutcomeKind;
        if !self.class.is_failure() {
            OutcomeKind::Success
        } else if self.class.is_retriable() {
            OutcomeKind::Failure
        } else {
            OutcomeKind::Ignored
        }
    }

    /// Shorthand for [`FailureClass::is_retriable`].
    pub const fn is_retriable(self) -> bool {
        self.class.is_retriable()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_resending_classes_are_retriable() {
        let retriable = [
            FailureClass::Retriable,
            FailureClass::RetriableAfterDelay,
            FailureClass::ReconnectAndResend,
        ];
        for class in retriable {
            assert!(class.is_retriable(), "{class:?}");
            assert!(class.is_failure(), "{class:?}");
        }
        for class in [FailureClass::Redirect, FailureClass::NotAFailure] {
            assert!(!class.is_retriable(), "{class:?}");
            assert!(!class.is_failure(), "{class:?}");
        }
        assert!(!FailureClass::NotRetriable.is_retriable());
        assert!(FailureClass::NotRetriable.is_failure());
    }

    #[cfg(feature = "serde")]
    #[test]
    fn serde_names_match_as_str() {
        for class in FailureClass::ALL {
            let json = serde_json::to_string(&class).unwrap();
            assert_eq!(json, alloc::format!("\"{}\"", class.as_str()));
        }
    }
}
