//! Errors that cross into JavaScript.
//!
//! Why: a Rust error must reach JavaScript as the host's ordinary error: a
//! `TypeError` for a value of the wrong type or an unknown option name, a
//! `RangeError` for a number out of range, each with a stable `code`
//! (`ERR_INVALID_CONFIG` for options, `ERR_INVALID_ARG_TYPE` /
//! `ERR_OUT_OF_RANGE` for positional arguments, the core's own codes for
//! misuse such as `ERR_UNKNOWN_PERMIT`). napi-rs would throw a plain `Error`
//! whose `code` is its internal status; instead every error is thrown here
//! through the `Env` and the function returns napi's "exception pending"
//! marker, which napi-rs leaves untouched.
//!
//! Constraints: building or throwing an error cannot fail loudly; a message that
//! cannot be thrown (an interior NUL byte) falls back to napi's own error.

use napi::{Env, Status};
use stormguard::ConfigError;

/// Which JavaScript error constructor to throw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Class {
    /// `Error`: misuse of a valid object (a double release).
    Plain,
    /// `TypeError`: wrong type, unknown option or enum name.
    Type,
    /// `RangeError`: a number outside its accepted range, NaN, infinity.
    Range,
}

/// An error on its way to JavaScript.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct HostError {
    class: Class,
    code: &'static str,
    message: String,
}

/// The result type of every fallible helper in this crate.
pub(crate) type HostResult<T> = Result<T, HostError>;

impl HostError {
    /// An error of `class` with `code` and `message`.
    pub(crate) fn new(class: Class, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            class,
            code,
            message: message.into(),
        }
    }

    /// A `RangeError` with the core's `ERR_INVALID_CONFIG` naming the field.
    pub(crate) fn config(error: ConfigError) -> Self {
        Self::new(Class::Range, error.code(), error.to_string())
    }

    /// A positional argument that is not a finite number in range.
    pub(crate) fn out_of_range(name: &str, expected: &str, value: f64) -> Self {
        Self::new(
            Class::Range,
            "ERR_OUT_OF_RANGE",
            format!("`{name}` must be {expected}, got {value}"),
        )
    }

    /// The class, code and message (for tests).
    #[cfg(test)]
    pub(crate) fn parts(&self) -> (Class, &'static str, &str) {
        (self.class, self.code, &self.message)
    }

    /// Throws this error into `env` and returns the marker napi-rs expects.
    pub(crate) fn throw(self, env: &Env) -> napi::Error {
        // napi takes C strings: a NUL byte (from user input quoted in the
        // message) would make the throw itself fail.
        let message = self.message.replace('\0', "\\0");
        let thrown = match self.class {
            Class::Plain => env.throw_error(&message, Some(self.code)),
            Class::Type => env.throw_type_error(&message, Some(self.code)),
            Class::Range => env.throw_range_error(&message, Some(self.code)),
        };
        match thrown {
            Ok(()) => napi::Error::new(Status::PendingException, self.message),
            Err(error) => error,
        }
    }
}

impl From<ConfigError> for HostError {
    fn from(error: ConfigError) -> Self {
        Self::config(error)
    }
}

/// Runs `f` and throws its error into `env`.
pub(crate) fn throwing<T>(env: &Env, f: impl FnOnce() -> HostResult<T>) -> napi::Result<T> {
    f().map_err(|error| error.throw(env))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_errors_become_range_errors_with_the_core_code() {
        let error = HostError::config(ConfigError::Negative {
            field: "baseMs",
            value: -1.0,
        });
        assert_eq!(error.class, Class::Range);
        assert_eq!(error.code, "ERR_INVALID_CONFIG");
        assert!(error.message.contains("baseMs"));
    }
}
