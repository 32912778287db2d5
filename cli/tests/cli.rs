#![allow(missing_docs)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The `stormguard` binary: arguments, files, outputs and errors.

use std::path::PathBuf;
use std::process::{Command, Output};

fn stormguard(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stormguard"))
        .args(args)
        .current_dir(std::env::temp_dir())
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A file in a fresh temporary directory for this test.
fn temp_file(test: &str, name: &str, contents: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("stormguard-cli-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

const SMALL: &str = r#"
name = "small"
durationS = 20

[server]
capacityRps = 500
timeline = [{ fromS = 5, toS = 10, state = "down" }]

[clients]
count = 5
workload = { type = "poisson", rateRps = 20 }

[[fleets]]
name = "naive"
backoffPreset = "redisPyNoBackoff"
policy = { maxAttempts = 4 }

[[fleets]]
name = "budget+breaker"
budget = { type = "ratio", minRetriesPerSecond = 1 }
breaker = { windowSize = 20, minimumCalls = 10, openDurationMs = 2000 }
"#;

#[test]
fn help_lists_the_commands() {
    for args in [
        &["--help"][..],
        &["help"],
        &["simulate", "--help"],
        &["schedule", "-h"],
    ] {
        let output = stormguard(args);
        assert!(output.status.success(), "{args:?}");
        assert!(stdout(&output).contains("usage"), "{args:?}");
    }
}

#[test]
fn bad_usage_exits_with_2_and_a_message() {
    for (args, message) in [
        (&[][..], "missing command"),
        (&["storm"], "unknown command `storm`"),
        (
            &["simulate", "--scenario", "nope"],
            "unknown scenario `nope`",
        ),
        (
            &["simulate", "--seed", "abc"],
            "`--seed` needs a whole number",
        ),
        (&["simulate", "--seed"], "`--seed` needs a value"),
        (
            &["simulate", "--frobnicate"],
            "unknown option `--frobnicate`",
        ),
        (&["simulate", "--json=yes"], "takes no value"),
        (&["simulate", "outage"], "did you mean `--scenario outage`"),
        (
            &["simulate", "--scenario", "occ", "--config", "x.toml"],
            "not both",
        ),
        (&["schedule", "--max-attempts", "0"], "maxAttempts"),
        (&["schedule", "--jitter", "sometimes"], "--jitter"),
        (&["schedule", "--preset", "nope"], "backoffPreset"),
    ] {
        let output = stormguard(args);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains(message),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(!stderr(&output).contains("panicked"), "{args:?}");
    }
}

#[test]
fn bad_files_exit_with_1_and_name_the_problem() {
    let missing = stormguard(&["simulate", "--config", "/nonexistent/storm.toml"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).contains("cannot read /nonexistent/storm.toml"));

    let cases = [
        (
            "typo.toml",
            "durationSeconds = 3\n",
            "unknown field `durationSeconds`",
        ),
        ("syntax.toml", "durationS = = 3\n", "syntax.toml"),
        (
            "kind.toml",
            "type = \"weather\"\n",
            "unknown scenario type `weather`",
        ),
        (
            "fleet.toml",
            &SMALL.replace("maxAttempts = 4", "maxAttempts = 0"),
            "fleet \"naive\": `maxAttempts`",
        ),
        (
            "range.json",
            r#"{"durationS": -1, "fleets": [{"name": "a"}]}"#,
            "`durationS` must be between 0.001 and 86400, got -1",
        ),
        ("array.json", "[1, 2]", "JSON object"),
    ];
    for (name, contents, message) in cases {
        let path = temp_file("bad", name, contents);
        let output = stormguard(&["simulate", "--no-svg", "--config", path.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(1), "{name}: {}", stderr(&output));
        assert!(
            stderr(&output).contains(message),
            "{name}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn a_scenario_file_runs_and_the_same_seed_prints_the_same_table() {
    let path = temp_file("table", "small.toml", SMALL);
    let args = [
        "simulate",
        "--no-svg",
        "--seed",
        "9",
        "--config",
        path.to_str().unwrap(),
    ];
    let first = stormguard(&args);
    assert!(first.status.success(), "{}", stderr(&first));
    let table = stdout(&first);
    assert!(table.contains("scenario `small`, seed 9"), "{table}");
    assert!(
        table.contains("naive") && table.contains("budget+breaker"),
        "{table}"
    );
    assert!(
        table.contains("4.00×"),
        "naive retries amplify by 4 in the outage: {table}"
    );
    assert_eq!(stdout(&stormguard(&args)), table);
}

#[test]
fn json_output_is_machine_readable_and_json_files_work() {
    let toml_path = temp_file("json", "small.toml", SMALL);
    let from_toml = stormguard(&[
        "simulate",
        "--json",
        "--no-svg",
        "--config",
        toml_path.to_str().unwrap(),
    ]);
    assert!(from_toml.status.success(), "{}", stderr(&from_toml));
    let report: serde_json::Value = serde_json::from_slice(&from_toml.stdout).unwrap();
    assert_eq!(report["name"], "small");
    assert_eq!(report["seed"], 1);
    let fleets = report["fleets"].as_array().unwrap();
    assert_eq!(fleets.len(), 2);
    assert_eq!(fleets[0]["totals"]["outageAmplification"], 4.0);
    assert_eq!(fleets[0]["series"].as_array().unwrap().len(), 20);

    let table: toml::Table = toml::from_str(SMALL).unwrap();
    let json_path = temp_file(
        "json",
        "small.json",
        &serde_json::to_string(&table).unwrap(),
    );
    let from_json = stormguard(&[
        "simulate",
        "--json",
        "--no-svg",
        "--config",
        json_path.to_str().unwrap(),
    ]);
    assert!(from_json.status.success(), "{}", stderr(&from_json));
    assert_eq!(from_json.stdout, from_toml.stdout);
}

#[test]
fn the_chart_is_written_where_asked() {
    let config = temp_file("svg", "small.toml", SMALL);
    let chart = config.with_file_name("chart.svg");
    let output = stormguard(&[
        "simulate",
        "--config",
        config.to_str().unwrap(),
        "--svg",
        chart.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let svg = std::fs::read_to_string(&chart).unwrap();
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    assert!(svg.contains("budget+breaker"));
    assert!(stdout(&output).contains("chart:"));

    let unwritable = stormguard(&[
        "simulate",
        "--config",
        config.to_str().unwrap(),
        "--svg",
        "/nonexistent/x.svg",
    ]);
    assert_eq!(unwritable.status.code(), Some(1));
    assert!(stderr(&unwritable).contains("cannot write the chart"));
}

#[test]
fn the_occ_scenario_runs_with_fewer_runs() {
    let config = temp_file(
        "occ",
        "occ.toml",
        &include_str!("../scenarios/occ.toml")
            .replace("clientsTo = 190", "clientsTo = 30")
            .replace("runs = 100", "runs = 3"),
    );
    let output = stormguard(&[
        "simulate",
        "--no-svg",
        "--runs",
        "2",
        "--config",
        config.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let table = stdout(&output);
    assert!(table.contains("2 runs per point"), "{table}");
    assert!(table.contains("decorrelated"), "{table}");
}

#[test]
fn schedule_explains_a_preset_and_when_it_gives_up() {
    let output = stormguard(&[
        "schedule",
        "--preset",
        "redisPyClientDefault",
        "--max-attempts",
        "100",
        "--draws",
        "2000",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains("gives up after attempt 11 in 100.0 % of sequences (attempts_exhausted)"),
        "{text}"
    );

    let output = stormguard(&[
        "schedule",
        "--base-ms",
        "100",
        "--jitter",
        "none",
        "--max-attempts",
        "4",
        "--json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let explained: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let retries = explained["retries"].as_array().unwrap();
    let medians: Vec<f64> = retries
        .iter()
        .map(|r| r["medianMs"].as_f64().unwrap())
        .collect();
    assert_eq!(medians, [100.0, 200.0, 400.0]);
    assert_eq!(retries[2]["totalMedianMs"], 700.0);

    let deadline = stormguard(&[
        "schedule",
        "--max-attempts",
        "50",
        "--deadline-ms",
        "1000",
        "--draws",
        "500",
    ]);
    assert!(
        stdout(&deadline).contains("(deadline)"),
        "{}",
        stdout(&deadline)
    );
}

#[test]
fn schedule_reads_policy_files() {
    let fleet = temp_file(
        "schedule",
        "fleet.toml",
        "backoffPreset = \"ioredisV5\"\npolicy = { maxAttempts = 3 }\n",
    );
    let output = stormguard(&["schedule", "--json", "--config", fleet.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let explained: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(explained["retries"][1]["minMs"], 100.0);

    let policy = temp_file(
        "schedule",
        "policy.json",
        r#"{"maxAttempts": 2, "backoff": {"schedule": "constant", "baseMs": 250, "jitter": "none"}}"#,
    );
    let output = stormguard(&["schedule", "--json", "--config", policy.to_str().unwrap()]);
    let explained: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(explained["retries"][0]["maxMs"], 250.0);

    let typo = temp_file("schedule", "typo.json", r#"{"maxAttempt": 2}"#);
    let output = stormguard(&["schedule", "--config", typo.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("maxAttempt"));
}
