//! `[history]` and its checks: earlier runs of the same people (issue 18).

use schemars::JsonSchema;
use serde::Deserialize;

/// `[history]`: the output directories of earlier runs of the same people
/// (relative to the scheme), e.g. `runs = ["../out/2024Q2", "../out/2024Q1"]`.
/// They are ordered by the period each run's manifest.json records, newest
/// first, whatever the order here; the three latest are read.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct History {
    pub runs: Vec<String>,
}
