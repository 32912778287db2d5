//! Scenarios: the built-in ones and files (TOML or JSON).
//!
//! Why files and built-ins share one format: the built-ins *are* the example
//! files (`cli/scenarios/*.toml`, compiled in), so every built-in scenario is
//! also a starting point a user can copy and edit.
//!
//! ```text
//! type = "storm" (default) | "occ"      the rest: StormOptions | OccOptions
//! ```

use std::path::Path;

use stormguard::sim::{OccOptions, StormOptions};

use crate::args::CliError;

/// A scenario ready to validate and run.
#[derive(Debug)]
pub(crate) enum Scenario {
    Storm(StormOptions),
    Occ(OccOptions),
}

/// The built-in scenarios, in the order `--help` lists them.
pub(crate) const BUILT_IN: &[(&str, &str)] = &[
    ("outage", include_str!("../scenarios/outage.toml")),
    ("reconnect", include_str!("../scenarios/reconnect.toml")),
    ("occ", include_str!("../scenarios/occ.toml")),
    ("layers", include_str!("../scenarios/layers.toml")),
];

/// The built-in scenario `name`.
pub(crate) fn built_in(name: &str) -> Result<Scenario, CliError> {
    let Some((_, text)) = BUILT_IN.iter().find(|(known, _)| *known == name) else {
        let names: Vec<&str> = BUILT_IN.iter().map(|(name, _)| *name).collect();
        return Err(CliError::usage(format!(
            "unknown scenario `{name}` (built-in scenarios: {})",
            names.join(", ")
        )));
    };
    parse_toml(text).map_err(|e| CliError::failed(format!("built-in scenario `{name}`: {e}")))
}

/// A scenario file: JSON when it ends in `.json` or starts with `{`, TOML
/// otherwise.
pub(crate) fn from_file(path: &Path) -> Result<Scenario, CliError> {
    let text = read(path)?;
    parse(path, &text).map_err(|e| CliError::failed(format!("{}: {e}", path.display())))
}

/// Reads a UTF-8 file with a message naming it.
pub(crate) fn read(path: &Path) -> Result<String, CliError> {
    std::fs::read_to_string(path)
        .map_err(|e| CliError::failed(format!("cannot read {}: {e}", path.display())))
}

/// Whether `text` read from `path` is JSON.
pub(crate) fn is_json(path: &Path, text: &str) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        || text.trim_start().starts_with('{')
}

fn parse(path: &Path, text: &str) -> Result<Scenario, String> {
    if is_json(path, text) {
        parse_json(text)
    } else {
        parse_toml(text)
    }
}

fn parse_toml(text: &str) -> Result<Scenario, String> {
    let mut table: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
    let kind = match table.remove("type") {
        None => None,
        Some(toml::Value::String(kind)) => Some(kind),
        Some(other) => {
            return Err(format!(
                "`type` must be a string, got a {}",
                other.type_str()
            ));
        }
    };
    let decode = |kind: Kind| match kind {
        Kind::Storm => table.try_into().map(Scenario::Storm),
        Kind::Occ => table.try_into().map(Scenario::Occ),
    };
    decode(Kind::of(kind.as_deref())?).map_err(|e: toml::de::Error| e.to_string())
}

fn parse_json(text: &str) -> Result<Scenario, String> {
    let mut value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let Some(object) = value.as_object_mut() else {
        return Err("a scenario must be a JSON object".to_owned());
    };
    let kind = match object.remove("type") {
        None => None,
        Some(serde_json::Value::String(kind)) => Some(kind),
        Some(other) => return Err(format!("`type` must be a string, got {other}")),
    };
    let scenario = match Kind::of(kind.as_deref())? {
        Kind::Storm => serde_json::from_value(value).map(Scenario::Storm),
        Kind::Occ => serde_json::from_value(value).map(Scenario::Occ),
    };
    scenario.map_err(|e| e.to_string())
}

/// The scenario's `type`.
enum Kind {
    Storm,
    Occ,
}

impl Kind {
    fn of(kind: Option<&str>) -> Result<Self, String> {
        match kind {
            None | Some("storm") => Ok(Self::Storm),
            Some("occ") => Ok(Self::Occ),
            Some(other) => Err(format!(
                "unknown scenario type `{other}` (expected \"storm\" or \"occ\")"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use stormguard::sim::{Occ, Storm};

    #[test]
    fn every_built_in_scenario_is_valid() {
        for (name, _) in BUILT_IN {
            match built_in(name).unwrap() {
                Scenario::Storm(options) => {
                    let storm = Storm::new(&options).unwrap();
                    assert!(storm.fleet_count() >= 2, "{name}");
                }
                Scenario::Occ(options) => {
                    Occ::new(&options).unwrap();
                }
            }
        }
    }
}
