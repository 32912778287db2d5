//! HTTP failures: status, method, and whether resending is safe.
//!
//! Why: two questions decide an HTTP retry. *Is the failure transient?* (a
//! 503 is, a 404 is not). *Is resending safe?* A `GET` can be repeated; a
//! `POST` that reached the server may already have taken effect, so it is
//! resent only when the server can deduplicate it (an `Idempotency-Key`) or
//! when it provably never arrived (connection refused).
//!
//! ```text
//! resend_safe = method ∈ retryMethods ∨ idempotency key ∨ ¬reached server
//!
//! status 100–199 → notAFailure "informational"
//! status 200–299 → notAFailure "success"
//! status 300–399 → notAFailure "redirection"
//! status < 100 or > 599 → notRetriable "invalid_status"
//! status ∈ retryOnStatus:
//!     ¬resend_safe             → notRetriable "non_idempotent_method"
//!     status ∈ delayOnStatus   → retriableAfterDelay  (reason per status)
//!     otherwise                → retriable            (reason per status)
//! other 4xx → notRetriable "client_error"; other 5xx → notRetriable "server_error"
//! no response (network failure):
//!     ¬reached server          → retriable "request_not_sent"
//!     resend_safe              → retriable "network_error"
//!     otherwise                → notRetriable "non_idempotent_method"
//!
//! defaults: retryOnStatus [408, 425, 429, 500, 502, 503, 504]
//!           delayOnStatus [429, 503]
//!           retryMethods  ["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"]
//! reasons:  408 request_timeout, 425 too_early, 429 too_many_requests,
//!           500 internal_server_error, 502 bad_gateway, 503 service_unavailable,
//!           504 gateway_timeout, any other listed status retriable_status
//! ```
//!
//! Other 5xx (501 Not Implemented, 505, 507, 511 …) describe the server's
//! configuration rather than a passing state, so they are not retried unless
//! listed. Whether the network failure itself is transient (a reset versus an
//! unresolvable name) is [`classify_errno`](super::classify_errno)'s question.
//!
//! Constraints: [`HttpClassifier::classify`] is total, allocation-free and
//! panic-free for any status and any method string; methods match ASCII
//! case-insensitively.

use super::method_set::MethodSet;
use super::status_set::StatusSet;
use super::{Classification, FailureClass};
use crate::ConfigError;
use crate::breaker::OutcomeKind;
use alloc::string::String;
use alloc::vec::Vec;

const DEFAULT_RETRY_ON_STATUS: [u16; 7] = [408, 425, 429, 500, 502, 503, 504];
const DEFAULT_DELAY_ON_STATUS: [u16; 2] = [429, 503];
const DEFAULT_RETRY_METHODS: [&str; 6] = ["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"];

/// Plain-data configuration of an [`HttpClassifier`]; the field names are the
/// bindings' option names.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", deny_unknown_fields, default)
)]
pub struct HttpClassifierOptions {
    /// Statuses worth retrying (`retryOnStatus`, each in `400..=599`; default
    /// `[408, 425, 429, 500, 502, 503, 504]`).
    pub retry_on_status: Vec<u16>,
    /// Statuses among `retryOnStatus` that mean "slow down", classified
    /// `retriableAfterDelay` (`delayOnStatus`, each in `400..=599`; default
    /// `[429, 503]`). A status listed here but not in `retryOnStatus` is not
    /// retried.
    pub delay_on_status: Vec<u16>,
    /// Methods that may be resent after they reached the server
    /// (`retryMethods`, HTTP method names; default the idempotent methods
    /// `["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"]`).
    pub retry_methods: Vec<String>,
}

impl Default for HttpClassifierOptions {
    fn default() -> Self {
        Self {
            retry_on_status: DEFAULT_RETRY_ON_STATUS.to_vec(),
            delay_on_status: DEFAULT_DELAY_ON_STATUS.to_vec(),
            retry_methods: DEFAULT_RETRY_METHODS.iter().map(|&m| m.into()).collect(),
        }
    }
}

/// One failed (or completed) HTTP attempt, as the classifier sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct HttpOutcome<'a> {
    /// The response status, or `None` when no response arrived (a network
    /// failure).
    pub status: Option<u16>,
    /// The request method (`"GET"`, `"post"` …).
    pub method: &'a str,
    /// Whether the request carried an idempotency key the server honours, so
    /// a duplicate is harmless.
    pub has_idempotency_key: bool,
    /// Whether the request may have reached the server: `false` only when it
    /// provably did not (connection refused, DNS failure, rejected before
    /// sending), which makes any method safe to resend.
    pub reached_server: bool,
}

impl<'a> HttpOutcome<'a> {
    /// A response with `status` to a `method` request (it reached the server,
    /// no idempotency key).
    pub const fn response(method: &'a str, status: u16) -> Self {
        Self {
            status: Some(status),
            method,
            has_idempotency_key: false,
            reached_server: true,
        }
    }

    /// A `method` request that got no response; `reached_server` says whether
    /// it may have arrived.
    pub const fn network_failure(method: &'a str, reached_server: bool) -> Self {
        Self {
            status: None,
            method,
            has_idempotency_key: false,
            reached_server,
        }
    }

    /// The same outcome with the idempotency-key flag set to `present`.
    pub const fn with_idempotency_key(mut self, present: bool) -> Self {
        self.has_idempotency_key = present;
        self
    }
}

/// Validated [`HttpClassifierOptions`]: classifies [`HttpOutcome`]s.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpClassifier {
    retry_on_status: StatusSet,
    delay_on_status: StatusSet,
    retry_methods: MethodSet,
}

impl Default for HttpClassifier {
    /// The classifier built from [`HttpClassifierOptions::default`] (built
    /// without allocating).
    fn default() -> Self {
        let set = |statuses: &[u16]| {
            statuses
                .iter()
                .fold(StatusSet::default(), |s, &x| s.with(x))
        };
        Self {
            retry_on_status: set(&DEFAULT_RETRY_ON_STATUS),
            delay_on_status: set(&DEFAULT_DELAY_ON_STATUS),
            retry_methods: MethodSet::idempotent(),
        }
    }
}

impl HttpClassifier {
    /// Validates `options`.
    ///
    /// # Errors
    /// [`ConfigError::OutOfRange`] naming `retryOnStatus` or `delayOnStatus`
    /// for a status outside `400..=599`; [`ConfigError::Invalid`] naming
    /// `retryMethods` for an entry that is not an HTTP method name.
    pub fn new(options: &HttpClassifierOptions) -> Result<Self, ConfigError> {
        Ok(Self {
            retry_on_status: StatusSet::from_statuses("retryOnStatus", &options.retry_on_status)?,
            delay_on_status: StatusSet::from_statuses("delayOnStatus", &options.delay_on_status)?,
            retry_methods: MethodSet::from_methods("retryMethods", &options.retry_methods)?,
        })
    }

    /// What a circuit breaker should count for an attempt with this `status`
    /// (`None`: no response): a failure when the server or the network failed
    /// transiently (judged as if the request were safe to resend, since the
    /// server's health does not depend on the method), a success for 1xx–3xx,
    /// and ignored for permanent answers such as a 404, which say nothing
    /// about the server's health.
    pub fn breaker_outcome(&self, status: Option<u16>, reached_server: bool) -> OutcomeKind {
        let outcome = HttpOutcome {
            status,
            method: "GET",
            has_idempotency_key: true,
            reached_server,
        };
        self.classify(&outcome).breaker_outcome()
    }

    /// Classifies one attempt's outcome (see the module docs for the table).
    ///
    /// Total: never panics or allocates, whatever the status or method.
    pub fn classify(&self, outcome: &HttpOutcome<'_>) -> Classification {
        let resend_safe = !outcome.reached_server
            || outcome.has_idempotency_key
            || self.retry_methods.contains(outcome.method);
        let Some(status) = outcome.status else {
            return if !outcome.reached_server {
                Classification::new(FailureClass::Retriable, "request_not_sent")
            } else if resend_safe {
                Classification::new(FailureClass::Retriable, "network_error")
            } else {
                Classification::new(FailureClass::NotRetriable, "non_idempotent_method")
            };
        };
        match status {
            100..=199 => Classification::new(FailureClass::NotAFailure, "informational"),
            200..=299 => Classification::new(FailureClass::NotAFailure, "success"),
            300..=399 => Classification::new(FailureClass::NotAFailure, "redirection"),
            _ if self.retry_on_status.contains(status) => {
                if !resend_safe {
                    Classification::new(FailureClass::NotRetriable, "non_idempotent_method")
                } else if self.delay_on_status.contains(status) {
                    Classification::new(FailureClass::RetriableAfterDelay, status_reason(status))
                } else {
                    Classification::new(FailureClass::Retriable, status_reason(status))
                }
            }
            400..=499 => Classification::new(FailureClass::NotRetriable, "client_error"),
            500..=599 => Classification::new(FailureClass::NotRetriable, "server_error"),
            _ => Classification::new(FailureClass::NotRetriable, "invalid_status"),
        }
    }
}

/// The reason code of a retried status.
const fn status_reason(status: u16) -> &'static str {
    match status {
        408 => "request_timeout",
        425 => "too_early",
        429 => "too_many_requests",
        500 => "internal_server_error",
        502 => "bad_gateway",
        503 => "service_unavailable",
        504 => "gateway_timeout",
        _ => "retriable_status",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn classify(outcome: HttpOutcome<'_>) -> (FailureClass, &'static str) {
        let c = HttpClassifier::default().classify(&outcome);
        (c.class, c.reason)
    }

    #[test]
    fn default_classifier_equals_the_one_built_from_default_options() {
        let built = HttpClassifier::new(&HttpClassifierOptions::default()).unwrap();
        assert_eq!(built, HttpClassifier::default());
    }

    #[test]
    fn transient_statuses_retry_idempotent_requests() {
        for (status, class, reason) in [
            (408, FailureClass::Retriable, "request_timeout"),
            (425, FailureClass::Retriable, "too_early"),
            (429, FailureClass::RetriableAfterDelay, "too_many_requests"),
            (500, FailureClass::Retriable, "internal_server_error"),
            (502, FailureClass::Retriable, "bad_gateway"),
            (
                503,
                FailureClass::RetriableAfterDelay,
                "service_unavailable",
            ),
            (504, FailureClass::Retriable, "gateway_timeout"),
        ] {
            assert_eq!(
                classify(HttpOutcome::response("GET", status)),
                (class, reason)
            );
        }
    }

    #[test]
    fn other_errors_and_non_failures_are_not_retried() {
        let get = |status| classify(HttpOutcome::response("GET", status));
        assert_eq!(get(404), (FailureClass::NotRetriable, "client_error"));
        assert_eq!(get(501), (FailureClass::NotRetriable, "server_error"));
        assert_eq!(get(200), (FailureClass::NotAFailure, "success"));
        assert_eq!(get(304), (FailureClass::NotAFailure, "redirection"));
        assert_eq!(get(101), (FailureClass::NotAFailure, "informational"));
        assert_eq!(get(0), (FailureClass::NotRetriable, "invalid_status"));
        assert_eq!(get(600), (FailureClass::NotRetriable, "invalid_status"));
        assert_eq!(
            get(u16::MAX),
            (FailureClass::NotRetriable, "invalid_status")
        );
    }

    #[test]
    fn post_is_resent_only_with_a_key_or_when_it_never_arrived() {
        let post = HttpOutcome::response("POST", 503);
        assert_eq!(
            classify(post),
            (FailureClass::NotRetriable, "non_idempotent_method")
        );
        let keyed = post.with_idempotency_key(true);
        assert_eq!(
            classify(keyed),
            (FailureClass::RetriableAfterDelay, "service_unavailable")
        );
        let refused = HttpOutcome::network_failure("POST", false);
        assert_eq!(
            classify(refused),
            (FailureClass::Retriable, "request_not_sent")
        );
        let reset = HttpOutcome::network_failure("PATCH", true);
        assert_eq!(
            classify(reset),
            (FailureClass::NotRetriable, "non_idempotent_method")
        );
        let reset_get = HttpOutcome::network_failure("get", true);
        assert_eq!(
            classify(reset_get),
            (FailureClass::Retriable, "network_error")
        );
    }

    #[test]
    fn unknown_methods_are_treated_as_non_idempotent() {
        for method in ["PROPFIND", "", "G\u{e9}T", "GET\0"] {
            let outcome = HttpOutcome::response(method, 502);
            assert_eq!(classify(outcome).1, "non_idempotent_method", "{method:?}");
        }
    }

    #[test]
    fn configured_sets_replace_the_defaults() {
        let options = HttpClassifierOptions {
            retry_on_status: vec![409, 503, 507],
            delay_on_status: vec![409],
            retry_methods: vec!["GET".into(), "POST".into()],
        };
        let classifier = HttpClassifier::new(&options).unwrap();
        let c = |method, status| classifier.classify(&HttpOutcome::response(method, status));
        assert_eq!(
            c("POST", 409),
            Classification::new(FailureClass::RetriableAfterDelay, "retriable_status")
        );
        assert_eq!(
            c("GET", 507),
            Classification::new(FailureClass::Retriable, "retriable_status")
        );
        assert_eq!(
            c("GET", 503),
            Classification::new(FailureClass::Retriable, "service_unavailable")
        );
        assert_eq!(
            c("GET", 429),
            Classification::new(FailureClass::NotRetriable, "client_error")
        );
        assert_eq!(
            c("PUT", 503),
            Classification::new(FailureClass::NotRetriable, "non_idempotent_method")
        );
    }

    #[test]
    fn invalid_options_name_their_field() {
        let field =
            |options: HttpClassifierOptions| HttpClassifier::new(&options).unwrap_err().field();
        let defaults = HttpClassifierOptions::default;
        assert_eq!(
            field(HttpClassifierOptions {
                retry_on_status: vec![200],
                ..defaults()
            }),
            "retryOnStatus"
        );
        assert_eq!(
            field(HttpClassifierOptions {
                delay_on_status: vec![600],
                ..defaults()
            }),
            "delayOnStatus"
        );
        assert_eq!(
            field(HttpClassifierOptions {
                retry_methods: vec!["GE T".into()],
                ..defaults()
            }),
            "retryMethods"
        );
    }
}

#[cfg(test)]
mod breaker_outcome_tests {
    use super::*;

    #[test]
    fn breakers_count_transient_server_failures_whatever_the_method() {
        let classifier = HttpClassifier::default();
        assert_eq!(
            classifier.breaker_outcome(Some(503), true),
            OutcomeKind::Failure
        );
        assert_eq!(classifier.breaker_outcome(None, true), OutcomeKind::Failure);
        assert_eq!(
            classifier.breaker_outcome(None, false),
            OutcomeKind::Failure
        );
        assert_eq!(
            classifier.breaker_outcome(Some(200), true),
            OutcomeKind::Success
        );
        assert_eq!(
            classifier.breaker_outcome(Some(304), true),
            OutcomeKind::Success
        );
        assert_eq!(
            classifier.breaker_outcome(Some(404), true),
            OutcomeKind::Ignored
        );
        assert_eq!(
            classifier.breaker_outcome(Some(501), true),
            OutcomeKind::Ignored
        );
    }
}
