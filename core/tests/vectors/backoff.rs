//! `kind: "backoff"`: delays for schedules, jitters and presets, run in order
//! on one state per case; config errors by field.

use crate::harness::{assert_ms, load};
use serde::Deserialize;
use stormguard::backoff::{Backoff, BackoffOptions, BackoffState, presets};
use stormguard::time::duration_as_millis_f64;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    /// The options, with the bindings' names; absent when `preset` is given.
    #[serde(default)]
    options: Option<BackoffOptions>,
    /// A preset by name with positional arguments instead of `options`.
    #[serde(default)]
    preset: Option<Preset>,
    /// Steps run in order on one fresh `BackoffState`.
    #[serde(default)]
    steps: Vec<Step>,
    /// The construction (or preset lookup) must fail, naming this field.
    #[serde(default, rename = "expectError")]
    expect_error: Option<ExpectError>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Preset {
    name: String,
    args: Vec<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectError {
    field: String,
}

#[derive(Debug, Deserialize)]
#[serde(tag = "op", deny_unknown_fields)]
enum Step {
    /// `next_delay(state, attempt, u)`; `delayMs: null` means it gave up.
    #[serde(rename = "next")]
    Next {
        attempt: u32,
        u: f64,
        #[serde(rename = "delayMs")]
        delay_ms: Option<f64>,
    },
    /// The pure `delay(attempt, u)` (fresh state, no attempt limit).
    #[serde(rename = "delay")]
    Delay {
        attempt: u32,
        u: f64,
        #[serde(rename = "delayMs")]
        delay_ms: f64,
    },
    /// `state = BackoffState::default()`.
    #[serde(rename = "reset")]
    Reset,
    /// `max_delay()`.
    #[serde(rename = "maxDelay")]
    MaxDelay {
        #[serde(rename = "delayMs")]
        delay_ms: f64,
    },
}

fn options_of(case: &Case) -> Result<BackoffOptions, stormguard::ConfigError> {
    match (&case.options, &case.preset) {
        (Some(options), None) => Ok(options.clone()),
        (None, Some(preset)) => presets::by_name(&preset.name, &preset.args),
        _ => panic!("{}: give exactly one of `options` and `preset`", case.name),
    }
}

#[test]
fn backoff_matches_vectors() {
    let mut ran = 0;
    let mut covered = std::collections::BTreeSet::new();
    for (file, vectors) in load::<Case>("backoff") {
        for case in vectors.cases {
            let context = format!("{file} / {}", case.name);
            if let Some(preset) = &case.preset {
                covered.insert(preset.name.clone());
            }
            if let Some(options) = &case.options {
                covered.insert(format!("{:?}", options.schedule));
                covered.insert(format!("{:?} jitter", options.jitter));
            }
            let built = options_of(&case).and_then(|options| Backoff::new(&options));
            if let Some(expected) = &case.expect_error {
                let err = built.expect_err(&context);
                assert_eq!(err.field(), expected.field, "{context}: {err}");
                assert!(case.steps.is_empty(), "{context}: steps after an error");
                ran += 1;
                continue;
            }
            let backoff = built.unwrap_or_else(|e| panic!("{context}: {e}"));
            assert!(!case.steps.is_empty(), "{context}: no steps");
            let mut state = BackoffState::default();
            for (i, step) in case.steps.iter().enumerate() {
                let at = format!("{context} step {i} {step:?}");
                match *step {
                    Step::Next {
                        attempt,
                        u,
                        delay_ms,
                    } => {
                        let actual = backoff.next_delay(&mut state, attempt, u);
                        match (actual, delay_ms) {
                            (Some(actual), Some(expected)) => {
                                assert_ms(duration_as_millis_f64(actual), expected, &at);
                            }
                            (None, None) => {}
                            (actual, expected) => {
                                panic!("{at}: expected {expected:?} ms, got {actual:?}")
                            }
                        }
                    }
                    Step::Delay {
                        attempt,
                        u,
                        delay_ms,
                    } => {
                        let actual = backoff.delay(attempt, u);
                        assert_ms(duration_as_millis_f64(actual), delay_ms, &at);
                    }
                    Step::Reset => state = BackoffState::default(),
                    Step::MaxDelay { delay_ms } => {
                        assert_ms(duration_as_millis_f64(backoff.max_delay()), delay_ms, &at);
                    }
                }
                ran += 1;
            }
        }
    }
    assert!(ran > 0);
    // Every preset, schedule and jitter is pinned by at least one case.
    let schedules = [
        "Constant",
        "Linear",
        "Exponential",
        "Decorrelated",
        "PollyV2",
    ];
    let jitters = ["None", "Full", "Equal", "Proportional", "Additive"];
    let expected = presets::NAMES
        .iter()
        .map(|name| (*name).to_owned())
        .chain(schedules.iter().map(|s| (*s).to_owned()))
        .chain(jitters.iter().map(|j| format!("{j} jitter")));
    for name in expected {
        assert!(covered.contains(&name), "no backoff vector covers {name}");
    }
}
