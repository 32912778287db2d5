//! errno-style error codes (Node's `err.code`, Python's `errno.errorcode`,
//! undici's `UND_ERR_*`, OpenSSL's certificate codes as Node reports them).
//!
//! Why: a network failure arrives as a code, not a status. A reset or refused
//! connection usually heals on the next attempt; a name that does not resolve
//! or a certificate that does not verify will fail identically every time,
//! and retrying it only delays the error the user needs to see.
//!
//! ```text
//! retriable      ECONNREFUSED ECONNRESET ECONNABORTED ETIMEDOUT ESOCKETTIMEDOUT
//!                EPIPE EHOSTUNREACH EHOSTDOWN ENETUNREACH ENETDOWN ENETRESET
//!                EAI_AGAIN UND_ERR_SOCKET UND_ERR_CONNECT_TIMEOUT
//!                UND_ERR_HEADERS_TIMEOUT UND_ERR_BODY_TIMEOUT
//! after a delay  EADDRNOTAVAIL (local ports exhausted: give TIME_WAIT a moment)
//! not retriable  ENOTFOUND EAI_NONAME EAI_FAIL EACCES EPERM, every TLS
//!                certificate verification code (CERT_HAS_EXPIRED,
//!                DEPTH_ZERO_SELF_SIGNED_CERT, ERR_TLS_CERT_ALTNAME_INVALID …),
//!                and any code not listed here ("unknown_code")
//! ```
//!
//! Constraints: codes compare ASCII case-insensitively after trimming
//! whitespace; a Windows `WSA` prefix is dropped (`WSAECONNRESET` is
//! `ECONNRESET`). No allocation, no panic.

use super::{Classification, FailureClass};

const RETRIABLE: FailureClass = FailureClass::Retriable;
const NOT_RETRIABLE: FailureClass = FailureClass::NotRetriable;

/// Network codes and their classification.
const CODES: [(&str, FailureClass, &str); 22] = [
    ("ECONNREFUSED", RETRIABLE, "connection_refused"),
    ("ECONNRESET", RETRIABLE, "connection_reset"),
    ("ECONNABORTED", RETRIABLE, "connection_aborted"),
    ("ETIMEDOUT", RETRIABLE, "timed_out"),
    ("ESOCKETTIMEDOUT", RETRIABLE, "timed_out"),
    ("EPIPE", RETRIABLE, "broken_pipe"),
    ("EHOSTUNREACH", RETRIABLE, "host_unreachable"),
    ("EHOSTDOWN", RETRIABLE, "host_down"),
    ("ENETUNREACH", RETRIABLE, "network_unreachable"),
    ("ENETDOWN", RETRIABLE, "network_down"),
    ("ENETRESET", RETRIABLE, "network_reset"),
    ("EAI_AGAIN", RETRIABLE, "dns_temporary_failure"),
    ("UND_ERR_SOCKET", RETRIABLE, "socket_error"),
    ("UND_ERR_CONNECT_TIMEOUT", RETRIABLE, "timed_out"),
    ("UND_ERR_HEADERS_TIMEOUT", RETRIABLE, "timed_out"),
    ("UND_ERR_BODY_TIMEOUT", RETRIABLE, "timed_out"),
    (
        "EADDRNOTAVAIL",
        FailureClass::RetriableAfterDelay,
        "address_not_available",
    ),
    ("ENOTFOUND", NOT_RETRIABLE, "dns_not_found"),
    ("EAI_NONAME", NOT_RETRIABLE, "dns_not_found"),
    ("EAI_FAIL", NOT_RETRIABLE, "dns_failure"),
    ("EACCES", NOT_RETRIABLE, "permission_denied"),
    ("EPERM", NOT_RETRIABLE, "permission_denied"),
];

/// Certificate verification failures: OpenSSL's `X509_V_ERR_*` names as Node
/// reports them, plus Node's own host-name check.
const CERTIFICATE_CODES: [&str; 30] = [
    "CERT_HAS_EXPIRED",
    "CERT_NOT_YET_VALID",
    "CERT_REVOKED",
    "CERT_UNTRUSTED",
    "CERT_REJECTED",
    "CERT_SIGNATURE_FAILURE",
    "CERT_CHAIN_TOO_LONG",
    "CRL_SIGNATURE_FAILURE",
    "CRL_NOT_YET_VALID",
    "CRL_HAS_EXPIRED",
    "DEPTH_ZERO_SELF_SIGNED_CERT",
    "SELF_SIGNED_CERT_IN_CHAIN",
    "UNABLE_TO_GET_ISSUER_CERT",
    "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
    "UNABLE_TO_GET_CRL",
    "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    "UNABLE_TO_DECRYPT_CERT_SIGNATURE",
    "UNABLE_TO_DECRYPT_CRL_SIGNATURE",
    "UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY",
    "ERROR_IN_CERT_NOT_BEFORE_FIELD",
    "ERROR_IN_CERT_NOT_AFTER_FIELD",
    "ERROR_IN_CRL_LAST_UPDATE_FIELD",
    "ERROR_IN_CRL_NEXT_UPDATE_FIELD",
    "INVALID_CA",
    "INVALID_PURPOSE",
    "PATH_LENGTH_EXCEEDED",
    "HOSTNAME_MISMATCH",
    "ERR_TLS_CERT_ALTNAME_INVALID",
    "ERR_SSL_CERTIFICATE_VERIFY_FAILED",
    "CERTIFICATE_VERIFY_FAILED",
];

/// Classifies an errno-style code (`"ECONNRESET"`, `"EAI_AGAIN"`,
/// `"CERT_HAS_EXPIRED"` …).
///
/// Never panics or allocates. An empty code is `notRetriable` `"empty_code"`;
/// an unlisted one `notRetriable` `"unknown_code"`.
pub fn classify_errno(code: impl AsRef<[u8]>) -> Classification {
    let code = code.as_ref().trim_ascii();
    if code.is_empty() {
        return Classification::new(NOT_RETRIABLE, "empty_code");
    }
    let code = strip_prefix_ignore_case(code, b"WSA").unwrap_or(code);
    if let Some(&(_, class, reason)) = CODES
        .iter()
        .find(|(name, _, _)| code.eq_ignore_ascii_case(name.as_bytes()))
    {
        return Classification::new(class, reason);
    }
    if CERTIFICATE_CODES
        .iter()
        .any(|name| code.eq_ignore_ascii_case(name.as_bytes()))
    {
        return Classification::new(NOT_RETRIABLE, "certificate_error");
    }
    Classification::new(NOT_RETRIABLE, "unknown_code")
}

/// `text` without `prefix` (ASCII case-insensitive), when followed by more.
fn strip_prefix_ignore_case<'a>(text: &'a [u8], prefix: &[u8]) -> Option<&'a [u8]> {
    let (head, rest) = text.split_at_checked(prefix.len())?;
    (head.eq_ignore_ascii_case(prefix) && !rest.is_empty()).then_some(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transient_network_codes_are_retriable() {
        for code in [
            "ECONNREFUSED",
            "ECONNRESET",
            "ETIMEDOUT",
            "EPIPE",
            "EHOSTUNREACH",
            "ENETUNREACH",
            "EAI_AGAIN",
        ] {
            assert_eq!(classify_errno(code).class, RETRIABLE, "{code}");
        }
    }

    #[test]
    fn permanent_codes_are_not_retriable() {
        assert_eq!(
            classify_errno("ENOTFOUND"),
            Classification::new(NOT_RETRIABLE, "dns_not_found")
        );
        assert_eq!(
            classify_errno("EACCES"),
            Classification::new(NOT_RETRIABLE, "permission_denied")
        );
        for code in [
            "CERT_HAS_EXPIRED",
            "DEPTH_ZERO_SELF_SIGNED_CERT",
            "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
            "ERR_TLS_CERT_ALTNAME_INVALID",
            "SELF_SIGNED_CERT_IN_CHAIN",
        ] {
            let c = classify_errno(code);
            assert_eq!(
                c,
                Classification::new(NOT_RETRIABLE, "certificate_error"),
                "{code}"
            );
        }
    }

    #[test]
    fn spelling_variants_are_recognised() {
        let reset = Classification::new(RETRIABLE, "connection_reset");
        assert_eq!(classify_errno("econnreset"), reset);
        assert_eq!(classify_errno(" ECONNRESET\n"), reset);
        assert_eq!(classify_errno("WSAECONNRESET"), reset);
    }

    #[test]
    fn unknown_and_empty_codes_are_not_retried() {
        assert_eq!(classify_errno("EWHATEVER").reason, "unknown_code");
        assert_eq!(classify_errno("WSA").reason, "unknown_code");
        assert_eq!(classify_errno("").reason, "empty_code");
        assert!(!classify_errno("ECONNRESET2").is_retriable());
    }
}
