//! `stormguard simulate`: run a scenario, print the comparison, draw the
//! chart.

use std::path::PathBuf;

use stormguard::sim::{Occ, Storm};

use crate::args::{Args, CliError, Token};
use crate::scenario::{self, Scenario};
use crate::{out, run, svg, table};

const HELP: &str = "\
stormguard simulate — run a storm scenario in virtual time, policies side by side

usage: stormguard simulate [--scenario NAME | --config FILE] [--seed N] [--json] [--svg PATH]

options:
  --scenario NAME   a built-in scenario: outage (default), reconnect, occ, layers
  --config FILE     a scenario file (TOML, or JSON if it ends in .json); the
                    built-ins in cli/scenarios/*.toml are examples
  --seed N          seed of the run (default 1): same seed, same numbers
  --runs N          override the runs per point of an `occ` scenario
  --json            print machine-readable results instead of the table
  --svg PATH        where to draw the chart (default storm.svg)
  --no-svg          do not draw a chart
  -h, --help        this help
";

/// Options of one `simulate` invocation.
#[derive(Debug)]
struct Options {
    scenario: Option<String>,
    config: Option<PathBuf>,
    seed: u64,
    runs: Option<u32>,
    json: bool,
    svg: Option<PathBuf>,
}

fn parse(mut args: Args) -> Result<Option<Options>, CliError> {
    let mut options = Options {
        scenario: None,
        config: None,
        seed: 1,
        runs: None,
        json: false,
        svg: Some(PathBuf::from("storm.svg")),
    };
    while let Some(token) = args.next_token()? {
        let name = match token {
            Token::Flag { name, .. } => name,
            Token::Positional(word) => {
                return Err(CliError::usage(format!(
                    "unexpected argument `{word}` (did you mean `--scenario {word}`?)"
                )));
            }
        };
        match name.as_str() {
            "help" => return Ok(None),
            "scenario" => options.scenario = Some(args.value()?),
            "config" => options.config = Some(PathBuf::from(args.value()?)),
            "seed" => options.seed = args.parsed("a whole number from 0 to 2^64 − 1")?,
            "runs" => options.runs = Some(args.parsed("a whole number of runs")?),
            "json" => options.json = true,
            "svg" => options.svg = Some(PathBuf::from(args.value()?)),
            "no-svg" => options.svg = None,
            _ => return Err(args.unknown("simulate")),
        }
    }
    if options.scenario.is_some() && options.config.is_some() {
        return Err(CliError::usage(
            "give either --scenario or --config, not both",
        ));
    }
    Ok(Some(options))
}

pub(crate) fn command(args: Args) -> Result<(), CliError> {
    let Some(options) = parse(args)? else {
        return out(HELP);
    };
    let scenario = match (&options.config, &options.scenario) {
        (Some(path), _) => scenario::from_file(path)?,
        (None, Some(name)) => scenario::built_in(name)?,
        (None, None) => scenario::built_in("outage")?,
    };
    let source = options
        .config
        .as_ref()
        .map_or_else(|| "scenario".to_owned(), |p| p.display().to_string());
    let invalid = |e: stormguard::sim::StormError| CliError::failed(format!("{source}: {e}"));
    let (text, json, chart) = match scenario {
        Scenario::Storm(storm) => {
            let storm = Storm::new(&storm).map_err(invalid)?;
            let report = run::storm(&storm, options.seed);
            (
                table::storm(&report),
                serde_json::to_string_pretty(&report),
                svg::storm(&report),
            )
        }
        Scenario::Occ(mut occ) => {
            if let Some(runs) = options.runs {
                occ.runs = runs;
            }
            let occ = Occ::new(&occ).map_err(invalid)?;
            let report = run::occ(&occ, options.seed);
            (
                table::occ(&report),
                serde_json::to_string_pretty(&report),
                svg::occ(&report),
            )
        }
    };
    if let Some(path) = &options.svg {
        std::fs::write(path, chart).map_err(|e| {
            CliError::failed(format!("cannot write the chart to {}: {e}", path.display()))
        })?;
    }
    if options.json {
        let json = json.map_err(|e| CliError::failed(format!("cannot encode JSON: {e}")))?;
        out(&format!("{json}\n"))
    } else {
        let chart = options
            .svg
            .as_ref()
            .map_or_else(String::new, |p| format!("\nchart: {}\n", p.display()));
        out(&format!("{text}{chart}"))
    }
}
