//! A small command-line parser: `--flag`, `--flag value`, `--flag=value`.
//!
//! Why hand-rolled: the CLI has a dozen options and no sub-sub-commands; a
//! parser this size keeps the binary small and every message ours.

use std::fmt;
use std::str::FromStr;

/// A user-facing failure: a message and the process exit code.
#[derive(Debug)]
pub(crate) struct CliError {
    pub(crate) message: String,
    /// 2 for bad usage, 1 for everything else.
    pub(crate) code: u8,
}

impl CliError {
    /// Bad arguments (exit code 2).
    pub(crate) fn usage(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            code: 2,
        }
    }

    /// A file, configuration or output problem (exit code 1).
    pub(crate) fn failed(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            code: 1,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// One parsed token.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Token {
    /// `--name` (with `value` when written `--name=value`).
    Flag { name: String, value: Option<String> },
    /// Anything else.
    Positional(String),
}

/// The arguments after the command name.
#[derive(Debug)]
pub(crate) struct Args {
    items: Vec<String>,
    position: usize,
    pending: Option<String>,
    current: String,
}

impl Args {
    pub(crate) fn new(items: Vec<String>) -> Self {
        Self {
            items,
            position: 0,
            pending: None,
            current: String::new(),
        }
    }

    /// The next token, or `None` at the end.
    pub(crate) fn next_token(&mut self) -> Result<Option<Token>, CliError> {
        if let Some(value) = self.pending.take() {
            return Err(CliError::usage(format!(
                "option `{}` takes no value (got `{value}`)",
                self.current
            )));
        }
        let Some(item) = self.items.get(self.position).cloned() else {
            return Ok(None);
        };
        self.position += 1;
        if let Some(rest) = item.strip_prefix("--") {
            let (name, value) = match rest.split_once('=') {
                Some((name, value)) => (name.to_owned(), Some(value.to_owned())),
                None => (rest.to_owned(), None),
            };
            self.current = format!("--{name}");
            self.pending.clone_from(&value);
            return Ok(Some(Token::Flag { name, value }));
        }
        if item == "-h" {
            self.current = item;
            return Ok(Some(Token::Flag {
                name: "help".to_owned(),
                value: None,
            }));
        }
        Ok(Some(Token::Positional(item)))
    }

    /// The value of the flag just returned by [`Args::next_token`].
    pub(crate) fn value(&mut self) -> Result<String, CliError> {
        if let Some(value) = self.pending.take() {
            return Ok(value);
        }
        match self.items.get(self.position) {
            Some(value) if !value.starts_with("--") => {
                self.position += 1;
                Ok(value.clone())
            }
            _ => Err(CliError::usage(format!(
                "option `{}` needs a value",
                self.current
            ))),
        }
    }

    /// The value of the current flag, parsed.
    pub(crate) fn parsed<T: FromStr>(&mut self, what: &str) -> Result<T, CliError> {
        let raw = self.value()?;
        raw.parse().map_err(|_| {
            CliError::usage(format!(
                "option `{}` needs {what}, got `{raw}`",
                self.current
            ))
        })
    }

    /// A finite number for the current flag.
    pub(crate) fn number(&mut self) -> Result<f64, CliError> {
        let value: f64 = self.parsed("a number")?;
        if value.is_finite() {
            Ok(value)
        } else {
            Err(CliError::usage(format!(
                "option `{}` needs a finite number, got `{value}`",
                self.current
            )))
        }
    }

    /// The error for an option this command does not know.
    pub(crate) fn unknown(&self, command: &str) -> CliError {
        CliError::usage(format!(
            "unknown option `{}` for `stormguard {command}` (see `stormguard {command} --help`)",
            self.current
        ))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn args(items: &[&str]) -> Args {
        Args::new(items.iter().map(|s| (*s).to_owned()).collect())
    }

    #[test]
    fn reads_flags_with_separate_and_inline_values() {
        let mut a = args(&["--seed", "7", "--svg=out.svg", "--json"]);
        assert!(
            matches!(a.next_token().unwrap(), Some(Token::Flag { name, .. }) if name == "seed")
        );
        assert_eq!(a.parsed::<u64>("a seed").unwrap(), 7);
        assert!(matches!(a.next_token().unwrap(), Some(Token::Flag { name, .. }) if name == "svg"));
        assert_eq!(a.value().unwrap(), "out.svg");
        assert!(
            matches!(a.next_token().unwrap(), Some(Token::Flag { name, .. }) if name == "json")
        );
        assert_eq!(a.next_token().unwrap(), None);
    }

    #[test]
    fn reports_missing_and_unexpected_values() {
        let mut a = args(&["--seed"]);
        a.next_token().unwrap();
        assert!(a.value().unwrap_err().message.contains("needs a value"));
        let mut a = args(&["--json=yes"]);
        a.next_token().unwrap();
        assert!(
            a.next_token()
                .unwrap_err()
                .message
                .contains("takes no value")
        );
        let mut a = args(&["--seed", "x"]);
        a.next_token().unwrap();
        assert!(
            a.parsed::<u64>("a seed")
                .unwrap_err()
                .message
                .contains("`x`")
        );
    }
}
