//! `manifest.json`: the run's facts for machines, the same as `运行信息`.

use super::RunInfo;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::ingest::Dataset;
use crate::score::Outcome;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Serialize)]
pub struct Manifest {
    pub engine: &'static str,
    pub engine_version: &'static str,
    pub run_id: String,
    pub period: String,
    pub config: FileFact,
    /// `[inputs] dir` as the scheme writes it (relative to the scheme file);
    /// the inputs' paths are relative to it.
    pub inputs_dir: String,
    pub inputs: Vec<FileFact>,
    pub counts: Counts,
    /// The last day an appeal is taken, when the scheme sets one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub appeal_by: Option<String>,
    /// Every file the run wrote beside the manifest, with its SHA-256:
    /// `run --force` replaces the directory only while it holds these and
    /// nothing else.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub outputs: BTreeMap<String, String>,
}

#[derive(Debug, Serialize)]
pub struct FileFact {
    pub path: String,
    pub sha256: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sheets: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct Counts {
    pub employees: usize,
    pub by_role: BTreeMap<String, usize>,
    pub by_grade: BTreeMap<String, usize>,
    pub kpi_results: usize,
}

pub fn build(config: &Config, data: &Dataset, outcome: &Outcome, info: &RunInfo) -> Manifest {
    let s = &config.scheme;
    let mut by_role = BTreeMap::new();
    let mut by_grade = BTreeMap::new();
    for p in &outcome.people {
        *by_role
            .entry(data.employees[p.emp].role.clone())
            .or_insert(0) += 1;
        *by_grade.entry(s.grades.scale[p.grade].clone()).or_insert(0) += 1;
    }
    Manifest {
        engine: "appraise",
        engine_version: info.engine_version,
        run_id: info.run_id.clone(),
        period: s.period.id.clone(),
        config: FileFact {
            path: config.path.file_name().map_or_else(
                || config.path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            sha256: config.sha256.clone(),
            sheets: Vec::new(),
        },
        inputs_dir: s.inputs.dir.clone().unwrap_or_else(|| ".".into()),
        inputs: data
            .files
            .iter()
            .map(|f| FileFact {
                path: from_scheme(config, &f.path),
                sha256: f.sha256.clone(),
                sheets: f.sheets.clone(),
            })
            .collect(),
        counts: Counts {
            employees: outcome.people.len(),
            by_role,
            by_grade,
            kpi_results: outcome.kpi_results,
        },
        appeal_by: s
            .feedback
            .as_ref()
            .and_then(|f| f.appeal_deadline())
            .map(|d| d.to_string()),
        outputs: BTreeMap::new(),
    }
}

/// An input's path as the scheme names it: relative to `[inputs] dir`
/// (`roster.xlsx`), so that the run's record does not depend on the
/// directory `appraise` was started from.
fn from_scheme(config: &Config, path: &str) -> String {
    Path::new(path)
        .strip_prefix(&config.input_dir)
        .map_or_else(|_| path.to_string(), |p| p.display().to_string())
}

pub fn write(
    config: &Config,
    data: &Dataset,
    outcome: &Outcome,
    info: &RunInfo,
    path: &Path,
) -> Result<()> {
    let m = build(config, data, outcome, info);
    let json = serde_json::to_string_pretty(&m).map_err(|e| Error::Other(e.to_string().into()))?;
    std::fs::write(path, json + "\n").map_err(|e| Error::io(path, e))
}

/// Write the manifest again once every workbook is in `dir`, listing them
/// with their SHA-256 (`outputs`).
pub fn seal(
    config: &Config,
    data: &Dataset,
    outcome: &Outcome,
    info: &RunInfo,
    dir: &Path,
) -> Result<()> {
    let mut m = build(config, data, outcome, info);
    m.outputs = written_files(dir).0;
    let path = dir.join("manifest.json");
    let json = serde_json::to_string_pretty(&m).map_err(|e| Error::Other(e.to_string().into()))?;
    std::fs::write(&path, json + "\n").map_err(|e| Error::io(&path, e))
}

/// The files a run writes under `dir` (`summary.xlsx`, and everything under
/// `feedback/` and `team/`), by path relative to `dir` with `/`, with their
/// SHA-256; and the paths of entries there that are neither a regular file
/// nor a directory (a link, a FIFO). Listed in `manifest.json` as `outputs`.
pub fn written_files(dir: &Path) -> (std::collections::BTreeMap<String, String>, Vec<String>) {
    use rayon::prelude::*;
    let mut files = Vec::new();
    let mut odd = Vec::new();
    let mut todo: Vec<(PathBuf, String)> = [
        "summary.xlsx",
        crate::history::SCORES_FILE,
        "feedback",
        "team",
    ]
    .iter()
    .map(|n| (dir.join(n), (*n).to_string()))
    .collect();
    while let Some((path, rel)) = todo.pop() {
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            if let Ok(entries) = std::fs::read_dir(&path) {
                for e in entries.flatten() {
                    let name = e.file_name().to_string_lossy().into_owned();
                    todo.push((e.path(), format!("{rel}/{name}")));
                }
            }
        } else if meta.is_file() {
            files.push((path, rel));
        } else {
            odd.push(rel);
        }
    }
    // Hashed on every core, each file streamed through the digest: a run
    // at 100,000 employees writes gigabytes, and summary.xlsx alone is
    // hundreds of megabytes.
    let hashed: Vec<(String, Option<String>)> = files
        .into_par_iter()
        .map(|(path, rel)| {
            let digest = crate::config::sha256_of(&path).ok();
            (rel, digest)
        })
        .collect();
    let mut found = std::collections::BTreeMap::new();
    for (rel, digest) in hashed {
        match digest {
            Some(d) => {
                found.insert(rel, d);
            }
            None => odd.push(rel),
        }
    }
    (found, odd)
}
