//! `kind: "registry"`: sequences of registry calls (string keys, integer
//! values) with expected values, evictions and recency order.

use crate::harness::load;
use serde::Deserialize;
use stormguard::registry::{Registry, RegistryOptions};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Case {
    name: String,
    options: RegistryOptions,
    #[serde(default)]
    ops: Vec<Op>,
    expect_error: Option<ExpectError>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectError {
    field: String,
}

#[derive(Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
struct Entry {
    key: String,
    value: i64,
}

#[derive(Debug, Deserialize)]
#[serde(
    tag = "op",
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    deny_unknown_fields
)]
enum Op {
    GetOrInsert {
        key: String,
        value: i64,
        parent: Option<String>,
        expect_value: Option<i64>,
        expect_evicted: Option<Entry>,
        expect_error: Option<String>,
    },
    Get {
        key: String,
        expect_value: Option<i64>,
    },
    Peek {
        key: String,
        expect_value: Option<i64>,
    },
    Set {
        key: String,
        value: i64,
        expect_found: bool,
    },
    Remove {
        key: String,
        expect_value: Option<i64>,
        expect_error: Option<String>,
    },
    PopLru {
        expect_evicted: Option<Entry>,
    },
    Chain {
        key: String,
        expect_keys: Vec<String>,
    },
    State {
        expect_keys: Vec<String>,
        expect_values: Vec<i64>,
    },
    Capacity {
        expect: usize,
    },
}

fn entry(pair: Option<(String, i64)>) -> Option<Entry> {
    pair.map(|(key, value)| Entry { key, value })
}

fn run(case: Case, file: &str) {
    let name = format!("{file} `{}`", case.name);
    let built = Registry::<String, i64>::new(&case.options);
    if let Some(expected) = case.expect_error {
        let err = built.expect_err(&name);
        assert_eq!(err.field(), expected.field, "{name}");
        assert!(case.ops.is_empty(), "{name}: ops after a config error");
        return;
    }
    let mut registry = built.unwrap_or_else(|e| panic!("{name}: {e}"));
    for (i, op) in case.ops.into_iter().enumerate() {
        let context = format!("{name} op {i} ({op:?})");
        match op {
            Op::GetOrInsert {
                key,
                value,
                parent,
                expect_value,
                expect_evicted,
                expect_error,
            } => {
                let result = match parent {
                    Some(parent) => registry
                        .get_or_insert_child_with(key, parent.as_str(), || value)
                        .map(|(v, evicted)| (*v, evicted)),
                    None => {
                        let (v, evicted) = registry.get_or_insert_with(key, || value);
                        Ok((*v, evicted))
                    }
                };
                match (result, expect_error) {
                    (Ok((got, evicted)), None) => {
                        assert_eq!(Some(got), expect_value, "{context}");
                        assert_eq!(entry(evicted), expect_evicted, "{context}");
                    }
                    (Err(err), Some(code)) => assert_eq!(err.code(), code, "{context}"),
                    (got, want) => panic!("{context}: got {got:?}, expected error {want:?}"),
                }
            }
            Op::Get { key, expect_value } => {
                assert_eq!(
                    registry.get(key.as_str()).copied(),
                    expect_value,
                    "{context}"
                );
            }
            Op::Peek { key, expect_value } => {
                assert_eq!(
                    registry.peek(key.as_str()).copied(),
                    expect_value,
                    "{context}"
                );
            }
            Op::Set {
                key,
                value,
                expect_found,
            } => {
                let slot = registry.get_mut(key.as_str());
                assert_eq!(slot.is_some(), expect_found, "{context}");
                if let Some(slot) = slot {
                    *slot = value;
                }
            }
            Op::Remove {
                key,
                expect_value,
                expect_error,
            } => match (registry.remove(key.as_str()), expect_error) {
                (Ok(got), None) => assert_eq!(got, expect_value, "{context}"),
                (Err(err), Some(code)) => assert_eq!(err.code(), code, "{context}"),
                (got, want) => panic!("{context}: got {got:?}, expected error {want:?}"),
            },
            Op::PopLru { expect_evicted } => {
                assert_eq!(entry(registry.pop_lru()), expect_evicted, "{context}");
            }
            Op::Chain { key, expect_keys } => {
                let got: Vec<String> = registry
                    .chain(key.as_str())
                    .map(|(k, _)| k.clone())
                    .collect();
                assert_eq!(got, expect_keys, "{context}");
            }
            Op::State {
                expect_keys,
                expect_values,
            } => {
                let keys: Vec<String> = registry.iter().map(|(k, _)| k.clone()).collect();
                let values: Vec<i64> = registry.iter().map(|(_, v)| *v).collect();
                assert_eq!(keys, expect_keys, "{context}");
                assert_eq!(values, expect_values, "{context}");
                assert_eq!(registry.len(), keys.len(), "{context}");
            }
            Op::Capacity { expect } => assert_eq!(registry.capacity(), expect, "{context}"),
        }
    }
}

#[test]
fn registry_matches_vectors() {
    for (file, vectors) in load::<Case>("registry") {
        for case in vectors.cases {
            run(case, &file);
        }
    }
}
