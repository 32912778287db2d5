//! A set of HTTP methods, matched ASCII case-insensitively.
//!
//! Why: whether a failed request may be resent depends on its method being
//! idempotent. The standard methods are a bitmask (no allocation, `Copy`
//! bits); extension methods (`PROPFIND`, `QUERY` …) are kept in a list built
//! once at construction, so matching stays allocation-free.
//!
//! Constraints: members are HTTP `token`s (RFC 9110 §5.6.2); matching is
//! ASCII case-insensitive although methods are case-sensitive on the wire,
//! because hosts pass `"get"` as often as `"GET"` and `fetch` upper-cases the
//! standard ones anyway.

use crate::ConfigError;
use alloc::boxed::Box;
use alloc::vec::Vec;

/// The methods RFC 9110 and RFC 5789 define, in bit order.
const STANDARD: [&str; 9] = [
    "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
];

/// Bits of `GET HEAD PUT DELETE OPTIONS TRACE`: the idempotent methods of
/// RFC 9110 §9.2.2.
const IDEMPOTENT_BITS: u16 = 1 | 1 << 1 | 1 << 3 | 1 << 4 | 1 << 6 | 1 << 7;

/// A set of HTTP methods.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub(crate) struct MethodSet {
    standard: u16,
    extensions: Vec<Box<str>>,
}

impl MethodSet {
    /// The idempotent methods (`GET HEAD PUT DELETE OPTIONS TRACE`).
    pub(crate) const fn idempotent() -> Self {
        Self {
            standard: IDEMPOTENT_BITS,
            extensions: Vec::new(),
        }
    }

    /// The set holding exactly `methods`.
    ///
    /// # Errors
    /// [`ConfigError::Invalid`] naming `field` when a method is not an HTTP
    /// token.
    pub(crate) fn from_methods<S: AsRef<str>>(
        field: &'static str,
        methods: &[S],
    ) -> Result<Self, ConfigError> {
        let mut set = Self::default();
        for method in methods {
            let method = method.as_ref();
            if !is_token(method) {
                return Err(ConfigError::Invalid {
                    field,
                    reason: "must only hold HTTP method names such as \"GET\"",
                });
            }
            match standard_bit(method) {
                Some(bit) => set.standard |= bit,
                None if !set.contains(method) => set.extensions.push(method.into()),
                None => {}
            }
        }
        Ok(set)
    }

    /// Whether `method` is in the set (ASCII case-insensitive).
    pub(crate) fn contains(&self, method: &str) -> bool {
        match standard_bit(method) {
            Some(bit) => self.standard & bit != 0,
            None => self
                .extensions
                .iter()
                .any(|known| known.eq_ignore_ascii_case(method)),
        }
    }
}

fn standard_bit(method: &str) -> Option<u16> {
    STANDARD
        .iter()
        .position(|known| known.eq_ignore_ascii_case(method))
        .map(|index| 1 << index)
}

/// RFC 9110 `token = 1*tchar`.
fn is_token(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idempotent_bits_name_the_idempotent_methods() {
        let set = MethodSet::idempotent();
        for method in [
            "GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE", "get", "Delete",
        ] {
            assert!(set.contains(method), "{method}");
        }
        for method in ["POST", "PATCH", "CONNECT", "PROPFIND", "", "GET ", "GETX"] {
            assert!(!set.contains(method), "{method}");
        }
        assert_eq!(
            set,
            MethodSet::from_methods("m", &["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"])
                .unwrap()
        );
    }

    #[test]
    fn extension_methods_match_case_insensitively() {
        let set = MethodSet::from_methods("retryMethods", &["propfind", "QUERY", "query"]).unwrap();
        assert!(set.contains("PROPFIND"));
        assert!(set.contains("Query"));
        assert!(!set.contains("GET"));
        assert_eq!(set.extensions.len(), 2);
    }

    #[test]
    fn non_tokens_are_rejected() {
        for bad in ["", "GE T", "GET\n", "caf\u{e9}"] {
            let err = MethodSet::from_methods("retryMethods", &[bad]).unwrap_err();
            assert_eq!(err.field(), "retryMethods", "{bad:?}");
        }
    }
}
