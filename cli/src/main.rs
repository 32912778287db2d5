//! `stormguard`: see what a retry policy does to a fleet before an outage
//! does.
//!
//! ```text
//! stormguard simulate [--scenario NAME | --config FILE] [--seed N] [--json] [--svg PATH]
//! stormguard schedule [policy options | --config FILE]
//! stormguard bench    [--clients N] [--seconds S]
//! ```
//!
//! Every failure is a message on stderr and a non-zero exit code (2 for bad
//! usage, 1 for bad files or failed output), never a panic.

mod args;
mod bench;
mod progress;
mod run;
mod scenario;
mod schedule;
mod simulate;
mod svg;
mod table;

use std::io::Write;
use std::process::ExitCode;

use args::CliError;

const HELP: &str = "\
stormguard — see what a retry policy does to a fleet before an outage does

usage:
  stormguard simulate [--scenario NAME | --config FILE] [--seed N] [--json] [--svg PATH]
  stormguard schedule [policy options | --config FILE] [--draws N] [--json]
  stormguard bench    [--clients N] [--seconds S]
  stormguard help | --help | --version

commands:
  simulate   run a storm scenario in virtual time and compare policies side by side
             (default scenario: outage; built-in: outage, reconnect, occ, layers)
  schedule   explain a backoff/policy: delay per attempt (min/median/p99/max),
             cumulative wait, and when it gives up
  bench      measure simulation speed (client-seconds per wall-second)

`stormguard COMMAND --help` describes each command's options.
";

fn main() -> ExitCode {
    let mut items = Vec::new();
    for arg in std::env::args_os().skip(1) {
        match arg.into_string() {
            Ok(arg) => items.push(arg),
            Err(arg) => {
                return fail(&CliError::usage(format!(
                    "argument {arg:?} is not valid UTF-8"
                )));
            }
        }
    }
    match dispatch(items) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => fail(&error),
    }
}

fn fail(error: &CliError) -> ExitCode {
    let _ = writeln!(std::io::stderr(), "stormguard: error: {error}");
    ExitCode::from(error.code)
}

fn dispatch(mut items: Vec<String>) -> Result<(), CliError> {
    if items.is_empty() {
        return Err(CliError::usage(
            "missing command (try `stormguard simulate`, or `stormguard --help`)",
        ));
    }
    let command = items.remove(0);
    let args = args::Args::new(items);
    match command.as_str() {
        "simulate" | "sim" => simulate::command(args),
        "schedule" => schedule::command(args),
        "bench" => bench::command(args),
        "help" | "--help" | "-h" => out(HELP),
        "--version" | "-V" | "version" => {
            out(&format!("stormguard {}\n", env!("CARGO_PKG_VERSION")))
        }
        other => Err(CliError::usage(format!(
            "unknown command `{other}` (commands: simulate, schedule, bench; see `stormguard --help`)"
        ))),
    }
}

/// Writes `text` to stdout; a closed pipe (`| head`) is not an error.
pub(crate) fn out(text: &str) -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError::failed(format!("cannot write to stdout: {e}"))),
    }
}
