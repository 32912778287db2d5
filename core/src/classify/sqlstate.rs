//! PostgreSQL SQLSTATE codes.
//!
//! Why: under `SERIALIZABLE` isolation PostgreSQL aborts transactions it
//! cannot order and expects the client to run them again; deadlocks and lost
//! connections are likewise transient. A constraint violation or a syntax
//! error is not, and retrying it only repeats the failure.
//!
//! ```text
//! 40001        serialization_failure  retriable
//! 40P01        deadlock_detected      retriable
//! 08xxx        connection_exception   retriable            (class 08)
//! 57P03        cannot_connect_now     retriableAfterDelay  (starting up or in recovery)
//! other valid  other_sqlstate         notRetriable
//! malformed    invalid_sqlstate       notRetriable         (not 5 ASCII letters/digits)
//! ```
//!
//! Retrying means running the *whole transaction* again, not the failed
//! statement. Constraints: codes compare ASCII case-insensitively after
//! trimming whitespace; no allocation, no panic.

use super::{Classification, FailureClass};

/// Classifies a five-character SQLSTATE (`"40001"`, `"08006"`, `"23505"` …).
///
/// Never panics or allocates.
pub fn classify_sqlstate(code: impl AsRef<[u8]>) -> Classification {
    let code = code.as_ref().trim_ascii();
    let Ok(code) = <[u8; 5]>::try_from(code) else {
        return Classification::new(FailureClass::NotRetriable, "invalid_sqlstate");
    };
    if !code.iter().all(u8::is_ascii_alphanumeric) {
        return Classification::new(FailureClass::NotRetriable, "invalid_sqlstate");
    }
    let code = code.map(|b| b.to_ascii_uppercase());
    match &code {
        b"40001" => Classification::new(FailureClass::Retriable, "serialization_failure"),
        b"40P01" => Classification::new(FailureClass::Retriable, "deadlock_detected"),
        [b'0', b'8', ..] => Classification::new(FailureClass::Retriable, "connection_exception"),
        b"57P03" => Classification::new(FailureClass::RetriableAfterDelay, "cannot_connect_now"),
        _ => Classification::new(FailureClass::NotRetriable, "other_sqlstate"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(code: &str) -> (FailureClass, &'static str) {
        let c = classify_sqlstate(code);
        (c.class, c.reason)
    }

    #[test]
    fn transaction_conflicts_are_retriable() {
        assert_eq!(
            class("40001"),
            (FailureClass::Retriable, "serialization_failure")
        );
        assert_eq!(
            class("40P01"),
            (FailureClass::Retriable, "deadlock_detected")
        );
        assert_eq!(
            class("40p01"),
            (FailureClass::Retriable, "deadlock_detected")
        );
    }

    #[test]
    fn the_whole_connection_exception_class_is_retriable() {
        for code in [
            "08000", "08003", "08006", "08001", "08004", "08007", "08P01",
        ] {
            assert_eq!(
                class(code),
                (FailureClass::Retriable, "connection_exception"),
                "{code}"
            );
        }
    }

    #[test]
    fn a_server_that_cannot_accept_connections_yet_is_retried_later() {
        assert_eq!(
            class("57P03"),
            (FailureClass::RetriableAfterDelay, "cannot_connect_now")
        );
    }

    #[test]
    fn everything_else_is_not_retriable() {
        for code in [
            "23505", "42601", "40002", "57P01", "53300", "00000", "XX000",
        ] {
            assert_eq!(
                class(code),
                (FailureClass::NotRetriable, "other_sqlstate"),
                "{code}"
            );
        }
        for code in ["", "4000", "400011", "40 01", "08-01", "4000\u{e9}"] {
            assert_eq!(
                class(code),
                (FailureClass::NotRetriable, "invalid_sqlstate"),
                "{code:?}"
            );
        }
    }
}
