//! `kind: "classify"`: Redis replies, errno codes, HTTP outcomes and
//! SQLSTATEs to a class and a reason (schema in `tests/vectors/README.md`).

use crate::harness::load;
use serde::Deserialize;
use stormguard::classify::{
    Classification, HttpClassifier, HttpClassifierOptions, HttpOutcome, classify_errno,
    classify_redis, classify_sqlstate,
};

#[derive(Debug, Deserialize)]
#[serde(
    tag = "op",
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    deny_unknown_fields
)]
enum Case {
    Redis {
        name: String,
        message: String,
        class: String,
        reason: String,
    },
    Errno {
        name: String,
        code: String,
        class: String,
        reason: String,
    },
    Http {
        name: String,
        status: Option<u16>,
        method: String,
        idempotency_key: bool,
        reached_server: bool,
        #[serde(default)]
        options: Option<HttpClassifierOptions>,
        class: String,
        reason: String,
    },
    Sqlstate {
        name: String,
        code: String,
        class: String,
        reason: String,
    },
    InvalidHttpOptions {
        name: String,
        options: HttpClassifierOptions,
        error_field: String,
    },
}

fn check(actual: Classification, class: &str, reason: &str, context: &str) {
    assert_eq!(actual.class.as_str(), class, "{context}: class");
    assert_eq!(actual.reason, reason, "{context}: reason");
}

#[test]
fn classify_matches_vectors() {
    for (file, vectors) in load::<Case>("classify") {
        for case in vectors.cases {
            match case {
                Case::Redis {
                    name,
                    message,
                    class,
                    reason,
                } => check(
                    classify_redis(&message),
                    &class,
                    &reason,
                    &format!("{file} {name}"),
                ),
                Case::Errno {
                    name,
                    code,
                    class,
                    reason,
                } => check(
                    classify_errno(&code),
                    &class,
                    &reason,
                    &format!("{file} {name}"),
                ),
                Case::Sqlstate {
                    name,
                    code,
                    class,
                    reason,
                } => check(
                    classify_sqlstate(&code),
                    &class,
                    &reason,
                    &format!("{file} {name}"),
                ),
                Case::Http {
                    name,
                    status,
                    method,
                    idempotency_key,
                    reached_server,
                    options,
                    class,
                    reason,
                } => {
                    let classifier = HttpClassifier::new(&options.unwrap_or_default()).unwrap();
                    let outcome = HttpOutcome {
                        status,
                        method: &method,
                        has_idempotency_key: idempotency_key,
                        reached_server,
                    };
                    let context = format!("{file} {name}");
                    check(classifier.classify(&outcome), &class, &reason, &context);
                }
                Case::InvalidHttpOptions {
                    name,
                    options,
                    error_field,
                } => {
                    let err = HttpClassifier::new(&options)
                        .expect_err(&format!("{file} {name}: options should be rejected"));
                    assert_eq!(err.field(), error_field, "{file} {name}");
                }
            }
        }
    }
}
