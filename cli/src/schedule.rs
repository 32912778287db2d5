//! `stormguard schedule`: what a policy will actually wait, attempt by
//! attempt.
//!
//! Why: a backoff formula with jitter is hard to picture; its distribution
//! is easy to read. The explainer drives the real [`Policy`] through many
//! sequences of failures (one seeded draw per retry) and reports, for each
//! retry, the spread of the delay and of the total time waited, and how the
//! sequences end.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;
use stormguard::SeededRng;
use stormguard::backoff::{BackoffOptions, Jitter, Schedule};
use stormguard::policy::{Decision, Failure, Guards, Policy, PolicyOptions};
use stormguard::sim::FleetOptions;
use stormguard::time::{Instant, duration_as_millis_f64};

use crate::args::{Args, CliError, Token};
use crate::{out, scenario};

const HELP: &str = "\
stormguard schedule — explain a backoff/policy: delays per attempt, total wait, give-up

usage: stormguard schedule [policy options | --config FILE] [--draws N] [--seed N] [--rows N] [--json]

policy options (applied in this order, later ones override):
  --config FILE        PolicyOptions as TOML/JSON ({\"maxAttempts\": 5, \"backoff\": {…}}),
                       or a scenario fleet ({\"policy\": {…}, \"backoffPreset\": \"ioredisV6\"})
  --policy JSON        PolicyOptions inline, e.g. '{\"maxAttempts\":5}'
  --preset NAME        a backoff preset (ioredisV6, redisPyClientDefault, awsStandard2026, …)
  --preset-args A,B    the preset's positional arguments (redis-py: cap s, base s)
  --schedule S         constant | linear | exponential | decorrelated | pollyV2
  --base-ms MS  --max-ms MS  --factor F  --jitter none|full|equal|proportional|additive
  --max-attempts N     attempts in total, the first included
  --deadline-ms MS     no retry may start after this (from the first attempt)
output:
  --draws N            failure sequences sampled (default 10000)
  --seed N             seed of the draws (default 1)
  --rows N             retries shown at most (default 20)
  --json               machine-readable output
";

/// A change to the backoff options from one command-line flag.
type BackoffEdit = Box<dyn Fn(&mut BackoffOptions)>;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Row {
    retry: u32,
    attempt: u32,
    reached: f64,
    min_ms: f64,
    median_ms: f64,
    p99_ms: f64,
    max_ms: f64,
    total_median_ms: f64,
    total_p99_ms: f64,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Ending {
    attempts: u32,
    reason: String,
    share: f64,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Explanation {
    policy: PolicyOptions,
    draws: u32,
    seed: u64,
    retries: Vec<Row>,
    endings: Vec<Ending>,
    still_retrying_after_rows: f64,
}

pub(crate) fn command(mut args: Args) -> Result<(), CliError> {
    let mut policy = PolicyOptions::default();
    let mut preset: Option<(String, Vec<f64>)> = None;
    let (mut draws, mut seed, mut rows, mut json) = (10_000u32, 1u64, 20u32, false);
    let mut backoff_edits: Vec<BackoffEdit> = Vec::new();
    while let Some(token) = args.next_token()? {
        let name = match token {
            Token::Flag { name, .. } => name,
            Token::Positional(word) => {
                return Err(CliError::usage(format!("unexpected argument `{word}`")));
            }
        };
        match name.as_str() {
            "help" => return out(HELP),
            "config" => policy = from_config(&PathBuf::from(args.value()?))?,
            "policy" => {
                policy = serde_json::from_str(&args.value()?)
                    .map_err(|e| CliError::usage(format!("--policy: {e}")))?;
            }
            "preset" => preset = Some((args.value()?, Vec::new())),
            "preset-args" => {
                let raw = args.value()?;
                let values = raw
                    .split(',')
                    .map(|v| v.trim().parse::<f64>())
                    .collect::<Result<Vec<f64>, _>>()
                    .map_err(|_| {
                        CliError::usage(format!(
                            "--preset-args needs numbers like 1,0.01, got `{raw}`"
                        ))
                    })?;
                match &mut preset {
                    Some((_, args)) => *args = values,
                    None => return Err(CliError::usage("--preset-args needs --preset first")),
                }
            }
            "schedule" => {
                let s: Schedule = enum_value(&args.value()?, "--schedule")?;
                backoff_edits.push(Box::new(move |b| b.schedule = s));
            }
            "jitter" => {
                let j: Jitter = enum_value(&args.value()?, "--jitter")?;
                backoff_edits.push(Box::new(move |b| b.jitter = j));
            }
            "base-ms" => {
                let v = args.number()?;
                backoff_edits.push(Box::new(move |b| b.base_ms = v));
            }
            "max-ms" => {
                let v = args.number()?;
                backoff_edits.push(Box::new(move |b| b.max_ms = v));
            }
            "factor" => {
                let v = args.number()?;
                backoff_edits.push(Box::new(move |b| b.factor = v));
            }
            "max-attempts" => policy.max_attempts = args.parsed("a whole number of attempts")?,
            "deadline-ms" => policy.deadline_ms = Some(args.number()?),
            "draws" => draws = args.parsed("a whole number of draws")?,
            "seed" => seed = args.parsed("a whole number from 0 to 2^64 − 1")?,
            "rows" => rows = args.parsed("a whole number of rows")?,
            "json" => json = true,
            _ => return Err(args.unknown("schedule")),
        }
    }
    if let Some((name, preset_args)) = preset {
        let fleet = FleetOptions {
            policy: PolicyOptions {
                backoff: BackoffOptions::default(),
                ..policy.clone()
            },
            backoff_preset: Some(name),
            backoff_preset_args: preset_args,
            ..FleetOptions::default()
        };
        policy = fleet
            .resolved_policy()
            .map_err(|e| CliError::usage(format!("--preset: {e}")))?;
    }
    for edit in &backoff_edits {
        edit(&mut policy.backoff);
    }
    if draws == 0 || draws > 10_000_000 {
        return Err(CliError::usage("--draws must be between 1 and 10000000"));
    }
    if rows == 0 || rows > 10_000 {
        return Err(CliError::usage("--rows must be between 1 and 10000"));
    }
    let template =
        Policy::new(&policy).map_err(|e| CliError::usage(format!("invalid policy: {e}")))?;
    let explanation = explain(&template, policy, draws, seed, rows);
    if json {
        let text = serde_json::to_string_pretty(&explanation)
            .map_err(|e| CliError::failed(format!("cannot encode JSON: {e}")))?;
        out(&format!("{text}\n"))
    } else {
        out(&render(&explanation))
    }
}

fn enum_value<T: serde::de::DeserializeOwned>(raw: &str, flag: &str) -> Result<T, CliError> {
    serde_json::from_value(serde_json::Value::String(raw.to_owned()))
        .map_err(|e| CliError::usage(format!("{flag}: {e}")))
}

/// PolicyOptions, or a fleet whose preset is resolved.
fn from_config(path: &std::path::Path) -> Result<PolicyOptions, CliError> {
    let text = scenario::read(path)?;
    let value: serde_json::Value = if scenario::is_json(path, &text) {
        serde_json::from_str(&text)
            .map_err(|e| CliError::failed(format!("{}: {e}", path.display())))?
    } else {
        let table: toml::Table = toml::from_str(&text)
            .map_err(|e| CliError::failed(format!("{}: {e}", path.display())))?;
        serde_json::to_value(table)
            .map_err(|e| CliError::failed(format!("{}: {e}", path.display())))?
    };
    let is_fleet = value.get("policy").is_some() || value.get("backoffPreset").is_some();
    let bad = |e: String| CliError::failed(format!("{}: {e}", path.display()));
    if is_fleet {
        let fleet: FleetOptions = serde_json::from_value(value).map_err(|e| bad(e.to_string()))?;
        fleet.resolved_policy().map_err(|e| bad(e.to_string()))
    } else {
        serde_json::from_value(value).map_err(|e| bad(e.to_string()))
    }
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    let rank = (q * (sorted.len() as f64 - 1.0)).round() as usize;
    sorted.get(rank).copied().unwrap_or(0.0)
}

fn explain(
    template: &Policy,
    options: PolicyOptions,
    draws: u32,
    seed: u64,
    rows: u32,
) -> Explanation {
    let mut rng = SeededRng::from_seed_u64(seed);
    let mut delays: Vec<Vec<f64>> = vec![Vec::new(); rows as usize];
    let mut totals: Vec<Vec<f64>> = vec![Vec::new(); rows as usize];
    let mut endings: BTreeMap<(u32, String), u32> = BTreeMap::new();
    let mut still_retrying = 0u32;
    for _ in 0..draws {
        let mut policy = template.clone();
        let start = Instant::ZERO;
        let mut exec = policy.start(start, None);
        let mut now = start;
        let mut retry = 0usize;
        loop {
            let u = rng.next_unit();
            match policy.on_failure(&mut exec, now, &Failure::retriable(), u, Guards::default()) {
                Decision::Retry { delay, .. } => {
                    now = now + delay;
                    if let (Some(d), Some(t)) = (delays.get_mut(retry), totals.get_mut(retry)) {
                        d.push(duration_as_millis_f64(delay));
                        t.push(duration_as_millis_f64(now - start));
                    }
                    retry += 1;
                    if retry >= rows as usize {
                        still_retrying += 1;
                        break;
                    }
                }
                Decision::GiveUp(reason) => {
                    *endings
                        .entry((exec.attempts(), reason.code().to_owned()))
                        .or_default() += 1;
                    break;
                }
            }
        }
    }
    let retries = delays
        .iter_mut()
        .zip(totals.iter_mut())
        .enumerate()
        .filter(|(_, (d, _))| !d.is_empty())
        .map(|(i, (d, t))| {
            d.sort_by(f64::total_cmp);
            t.sort_by(f64::total_cmp);
            Row {
                retry: i as u32 + 1,
                attempt: i as u32 + 2,
                reached: d.len() as f64 / f64::from(draws),
                min_ms: d.first().copied().unwrap_or(0.0),
                median_ms: quantile(d, 0.5),
                p99_ms: quantile(d, 0.99),
                max_ms: d.last().copied().unwrap_or(0.0),
                total_median_ms: quantile(t, 0.5),
                total_p99_ms: quantile(t, 0.99),
            }
        })
        .collect();
    let mut endings: Vec<Ending> = endings
        .into_iter()
        .map(|((attempts, reason), n)| Ending {
            attempts,
            reason,
            share: f64::from(n) / f64::from(draws),
        })
        .collect();
    endings.sort_by(|a, b| b.share.total_cmp(&a.share));
    Explanation {
        policy: options,
        draws,
        seed,
        retries,
        endings,
        still_retrying_after_rows: f64::from(still_retrying) / f64::from(draws),
    }
}

fn fmt_ms(ms: f64) -> String {
    if ms >= 10_000.0 {
        format!("{:.1} s", ms / 1e3)
    } else if ms >= 100.0 {
        format!("{ms:.0}")
    } else {
        format!("{ms:.1}")
    }
}

fn render(e: &Explanation) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let policy = serde_json::to_string(&e.policy).unwrap_or_default();
    let _ = writeln!(
        out,
        "stormguard schedule — {} failure sequences, seed {}",
        e.draws, e.seed
    );
    let _ = writeln!(out, "policy: {policy}\n");
    let _ = writeln!(
        out,
        "{:>5}  {:>7}  {:>7}  {:>8}  {:>8}  {:>8}  {:>8}  {:>11}  {:>11}",
        "retry", "attempt", "reached", "min ms", "median", "p99", "max", "total: med", "total: p99"
    );
    let _ = writeln!(out, "{}", "─".repeat(92));
    for row in &e.retries {
        let _ = writeln!(
            out,
            "{:>5}  {:>7}  {:>6.1}%  {:>8}  {:>8}  {:>8}  {:>8}  {:>11}  {:>11}",
            row.retry,
            row.attempt,
            row.reached * 100.0,
            fmt_ms(row.min_ms),
            fmt_ms(row.median_ms),
            fmt_ms(row.p99_ms),
            fmt_ms(row.max_ms),
            fmt_ms(row.total_median_ms),
            fmt_ms(row.total_p99_ms),
        );
    }
    if e.retries.is_empty() {
        let _ = writeln!(out, "(no retries: the first failure ends the operation)");
    }
    out.push('\n');
    for ending in &e.endings {
        let _ = writeln!(
            out,
            "gives up after attempt {} in {:.1} % of sequences ({})",
            ending.attempts,
            ending.share * 100.0,
            ending.reason
        );
    }
    if e.still_retrying_after_rows > 0.0 {
        let _ = writeln!(
            out,
            "still retrying after {} retries in {:.1} % of sequences (more with --rows)",
            e.retries.len(),
            e.still_retrying_after_rows * 100.0
        );
    }
    out.push_str(
        "\nreached  share of sequences that get this retry; min … max: the delay before it (ms)\n\
         total    time waited from the first failure until this retry starts (ms)\n",
    );
    out
}
