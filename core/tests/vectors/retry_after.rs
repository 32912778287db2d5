//! `kind: "retry_after"`: hint parsing against an injected wall clock, then
//! the policy's decision (schema in `tests/vectors/README.md`).

use crate::harness::{assert_ms, load};
use serde::Deserialize;
use stormguard::retry_after::{
    HintHeader, RetryAfterDecision, RetryAfterOptions, RetryAfterPolicy, UnixTime, parse_hint,
};
use stormguard::time::{duration_as_millis_f64, duration_from_millis_f64};

#[derive(Debug, Deserialize)]
#[serde(
    tag = "op",
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    deny_unknown_fields
)]
enum Case {
    Hint {
        name: String,
        header: String,
        value: String,
        now_unix_ms: f64,
        backoff_ms: f64,
        #[serde(default)]
        options: Option<RetryAfterOptions>,
        #[serde(default)]
        hint_ms: Option<f64>,
        #[serde(default)]
        ignored: Option<String>,
        #[serde(default)]
        delay_ms: Option<f64>,
        #[serde(default)]
        give_up_requested_ms: Option<f64>,
    },
    InvalidOptions {
        name: String,
        options: RetryAfterOptions,
        error_field: String,
    },
}

#[test]
fn retry_after_matches_vectors() {
    for (file, vectors) in load::<Case>("retry_after") {
        for case in vectors.cases {
            match case {
                Case::Hint {
                    name,
                    header,
                    value,
                    now_unix_ms,
                    backoff_ms,
                    options,
                    hint_ms,
                    ignored,
                    delay_ms,
                    give_up_requested_ms,
                } => {
                    let context = format!("{file} {name}");
                    let header = HintHeader::from_name(&header)
                        .unwrap_or_else(|| panic!("{context}: unknown header {header}"));
                    let now = UnixTime::from_millis_f64(now_unix_ms).unwrap();
                    let parsed = parse_hint(header, &value, now);
                    match (hint_ms, ignored, parsed) {
                        (Some(expected), None, Ok(hint)) => {
                            assert_ms(duration_as_millis_f64(hint), expected, &context);
                        }
                        (None, Some(expected), Err(reason)) => {
                            assert_eq!(reason.reason(), expected, "{context}");
                        }
                        (hint_ms, ignored, parsed) => panic!(
                            "{context}: expected hintMs {hint_ms:?} / ignored {ignored:?}, \
                             got {parsed:?}"
                        ),
                    }
                    let policy = RetryAfterPolicy::new(&options.unwrap_or_default()).unwrap();
                    let backoff = duration_from_millis_f64("backoffMs", backoff_ms).unwrap();
                    let decision = policy.decide(backoff, parsed.ok());
                    match (delay_ms, give_up_requested_ms, decision) {
                        (Some(expected), None, RetryAfterDecision::Wait(delay)) => {
                            assert_ms(duration_as_millis_f64(delay), expected, &context);
                        }
                        (None, Some(expected), RetryAfterDecision::GiveUp { requested }) => {
                            assert_ms(duration_as_millis_f64(requested), expected, &context);
                        }
                        (delay_ms, give_up, decision) => panic!(
                            "{context}: expected delayMs {delay_ms:?} / giveUpRequestedMs \
                             {give_up:?}, got {decision:?}"
                        ),
                    }
                }
                Case::InvalidOptions {
                    name,
                    options,
                    error_field,
                } => {
                    let err = RetryAfterPolicy::new(&options)
                        .expect_err(&format!("{file} {name}: options should be rejected"));
                    assert_eq!(err.field(), error_field, "{file} {name}");
                }
            }
        }
    }
}
