//! Loading and checking shared vector files.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::path::PathBuf;

/// Every `kind` a vector file may declare. A file with another kind fails the
/// suite instead of being skipped silently.
pub const KNOWN_KINDS: &[&str] = &[
    "backoff",
    "breaker",
    "budget",
    "bulkhead",
    "classify",
    "policy",
    "registry",
    "retry_after",
    "rng",
];

/// One vector file: `{ "kind": ..., "description": ..., "cases": [...] }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VectorFile<C> {
    /// Which runner executes the cases.
    #[allow(dead_code)]
    pub kind: String,
    /// What the file pins, for humans.
    #[allow(dead_code)]
    pub description: String,
    /// The cases, in the kind's own schema.
    pub cases: Vec<C>,
}

#[derive(Deserialize)]
struct KindOnly {
    kind: String,
}

/// The folder holding the shared vectors.
pub fn vectors_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors")
}

fn json_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(vectors_dir())
        .expect("tests/vectors exists")
        .map(|entry| entry.expect("readable entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files
}

/// Loads every vector file of `kind`, parsing cases strictly. Panics (failing
/// the test) on unknown keys, unknown ops or malformed JSON, naming the file.
pub fn load<C: DeserializeOwned>(kind: &str) -> Vec<(String, VectorFile<C>)> {
    let mut out = Vec::new();
    for path in json_files() {
        let text = std::fs::read_to_string(&path).expect("readable vector file");
        let head: KindOnly = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{}: no `kind`: {e}", path.display()));
        if head.kind != kind {
            continue;
        }
        let file: VectorFile<C> =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        out.push((name, file));
    }
    assert!(!out.is_empty(), "no vector file of kind `{kind}`");
    out
}

/// Asserts two millisecond values agree to within a nanosecond.
#[allow(dead_code)]
pub fn assert_ms(actual: f64, expected: f64, context: &str) {
    let tolerance = 1e-6_f64.max(expected.abs() * 1e-12);
    assert!(
        (actual - expected).abs() <= tolerance,
        "{context}: expected {expected} ms, got {actual} ms"
    );
}

#[test]
fn every_vector_file_declares_a_known_kind() {
    let files = json_files();
    assert!(!files.is_empty(), "tests/vectors holds no JSON files");
    for path in files {
        let text = std::fs::read_to_string(&path).expect("readable vector file");
        let head: KindOnly = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{}: no `kind`: {e}", path.display()));
        assert!(
            KNOWN_KINDS.contains(&head.kind.as_str()),
            "{}: unknown kind `{}`",
            path.display(),
            head.kind
        );
    }
}
