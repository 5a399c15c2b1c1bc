//! Earlier runs of the same people as an input (`[history]`, issue 18).
//!
//! Each run directory is read through its `manifest.json`: the files read
//! from it (`scores.json`, each person's total and grade, and
//! `summary.xlsx`) must still have the SHA-256 the manifest records, or the
//! run is refused naming the file. The feedback workbooks it lists are not
//! hashed (at 100,000 people that would be gigabytes). The runs are ordered
//! by the period each manifest records, newest first, whatever the order
//! the scheme lists them in; a run of the same or a later period than this
//! one, two runs of one period, or a run sharing nobody with this one is
//! an error of the scheme.

pub mod annual;

use crate::config::Config;
use crate::error::{Error, Problem, Result};
use crate::t;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The file a run writes beside `summary.xlsx` with each person's result,
/// for the runs after it (listed and digested in `manifest.json`).
pub const SCORES_FILE: &str = "scores.json";

/// At most this many earlier quarters are read (the trend shows four with
/// this one).
pub const MAX_RUNS: usize = 3;

/// `scores.json`: a run's people and their results.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Scores {
    pub period: String,
    pub people: Vec<Past>,
}

/// One person's result in one run.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Past {
    pub id: String,
    pub name: String,
    pub team: String,
    /// 部门; empty in a file that lacks it.
    #[serde(default)]
    pub department: String,
    /// The role's name in the scheme (岗位: 客户经理).
    pub role: String,
    /// The total, exact, as written (`85.20`).
    pub total: Decimal,
    pub grade: String,
}

/// One earlier run, as read.
#[derive(Debug, Clone)]
pub struct PastRun {
    pub period: String,
    pub dir: PathBuf,
    pub people: Vec<Past>,
    /// 工号 → index in `people`.
    pub by_id: HashMap<String, usize>,
}

impl PastRun {
    pub fn get(&self, id: &str) -> Option<&Past> {
        self.by_id.get(id).map(|&i| &self.people[i])
    }
}

/// The earlier runs a scheme names, newest first (empty without `[history]`).
#[derive(Debug, Clone, Default)]
pub struct History {
    pub runs: Vec<PastRun>,
}

impl History {
    pub fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }

    /// The quarter just before this one.
    pub fn previous(&self) -> Option<&PastRun> {
        self.runs.first()
    }

    /// One person's results, oldest first, in the runs that have them.
    pub fn of(&self, id: &str) -> Vec<(&str, &Past)> {
        let mut out: Vec<(&str, &Past)> = self
            .runs
            .iter()
            .filter_map(|r| r.get(id).map(|p| (r.period.as_str(), p)))
            .collect();
        out.reverse();
        out
    }
}

/// Read and check the runs `[history]` names. `ids`: this run's people, to
/// refuse a run that shares none of them (another branch's).
pub fn load(config: &Config, ids: &[&str]) -> Result<History> {
    let Some(h) = &config.scheme.history else {
        return Ok(History::default());
    };
    let base = config.path.parent().unwrap_or(Path::new("."));
    let read: Vec<Result<PastRun>> = {
        use rayon::prelude::*;
        h.runs.par_iter().map(|r| read_run(&base.join(r))).collect()
    };
    let mut runs = Vec::new();
    let mut problems = Vec::new();
    for r in read {
        match r {
            Ok(run) => runs.push(run),
            Err(Error::Data(p)) => problems.extend(p),
            Err(e) => return Err(e),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Data(problems));
    }
    runs.sort_by(|a, b| b.period.cmp(&a.period));
    check_order(config, &runs, ids)?;
    runs.truncate(MAX_RUNS);
    Ok(History { runs })
}

fn check_order(config: &Config, runs: &[PastRun], ids: &[&str]) -> Result<()> {
    let this = &config.scheme.period.id;
    let mut problems = Vec::new();
    for (i, r) in runs.iter().enumerate() {
        if r.period >= *this {
            problems.push(
                Problem::at_file(
                    &config.path,
                    t!(
                        "[history] 的运行 {0} 属于期间 {1}，不早于本期 {this}",
                        "[history]: the run {0} is of period {1}, not before this one ({this})",
                        r.dir.display(),
                        r.period
                    ),
                )
                .help(t!(
                    "只列出本期之前的运行目录",
                    "list only the runs of earlier periods"
                )),
            );
        } else if i > 0 && runs[i - 1].period == r.period {
            problems.push(Problem::at_file(
                &config.path,
                t!(
                    "[history] 的两个运行属于同一期间 {0}：{1} 和 {2}",
                    "[history]: two runs are of the same period {0}: {1} and {2}",
                    r.period,
                    runs[i - 1].dir.display(),
                    r.dir.display()
                ),
            ));
        } else if !ids.iter().any(|id| r.by_id.contains_key(*id)) {
            problems.push(Problem::at_file(
                &config.path,
                t!(
                    "[history] 的运行 {0}（{1}）与本期没有一个相同的工号：不是同一批人的考核",
                    "[history]: the run {0} ({1}) shares no 工号 with this one: not the same people",
                    r.dir.display(),
                    r.period
                ),
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Config(problems))
    }
}

#[derive(Deserialize)]
struct Manifest {
    period: String,
    #[serde(default)]
    outputs: std::collections::BTreeMap<String, String>,
}

/// One run directory: its manifest, then the files read from it, each
/// checked against the digest the manifest records.
pub fn read_run(dir: &Path) -> Result<PastRun> {
    let manifest_path = dir.join("manifest.json");
    let text = std::fs::read_to_string(&manifest_path).map_err(|e| {
        Error::data(
            Problem::at_file(
                &manifest_path,
                t!(
                    "读不到上期运行的 manifest.json：{0}",
                    "cannot read the earlier run's manifest.json: {0}",
                    e
                ),
            )
            .help(t!(
                "[history] 列出的应是 appraise run 的输出目录（相对于方案文件）",
                "[history] lists the output directories of `appraise run` (relative to the scheme)"
            )),
        )
    })?;
    let manifest: Manifest = serde_json::from_str(&text).map_err(|e| {
        Error::data(Problem::at_file(
            &manifest_path,
            t!(
                "不是 appraise 写出的 manifest.json：{0}",
                "not a manifest.json written by appraise: {0}",
                e
            ),
        ))
    })?;
    let mut problems = Vec::new();
    for name in [SCORES_FILE, "summary.xlsx"] {
        if let Err(p) = verify(dir, &manifest_path, &manifest.outputs, name) {
            problems.push(p);
        }
    }
    if !problems.is_empty() {
        return Err(Error::Data(problems));
    }
    let path = dir.join(SCORES_FILE);
    let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
    let scores: Scores = serde_json::from_slice(&bytes).map_err(|e| {
        Error::data(Problem::at_file(
            &path,
            t!("读不懂：{0}", "cannot be read: {0}", e),
        ))
    })?;
    if scores.period != manifest.period {
        return Err(Error::data(Problem::at_file(
            &path,
            t!(
                "期间 {0} 与 manifest.json 的 {1} 不同",
                "its period {0} differs from manifest.json's {1}",
                scores.period,
                manifest.period
            ),
        )));
    }
    let by_id = scores
        .people
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.clone(), i))
        .collect();
    Ok(PastRun {
        period: manifest.period,
        dir: dir.to_path_buf(),
        people: scores.people,
        by_id,
    })
}

/// `name` in `dir` has the SHA-256 the manifest records for it.
fn verify(
    dir: &Path,
    manifest: &Path,
    outputs: &std::collections::BTreeMap<String, String>,
    name: &str,
) -> std::result::Result<(), Problem> {
    let path = dir.join(name);
    let Some(recorded) = outputs.get(name) else {
        return Err(Problem::at_file(
            manifest,
            t!(
                "manifest.json 没有记录 {0}：这次运行早于历史功能，或不完整",
                "manifest.json records no {0}: the run predates history, or is incomplete",
                name
            ),
        )
        .help(t!(
            "用当前版本重新运行那一期（appraise run … --force）",
            "run that period again with this version (appraise run … --force)"
        )));
    };
    let actual = crate::config::sha256_of(&path)
        .map_err(|e| Problem::at_file(&path, t!("读不到：{0}", "cannot be read: {0}", e)))?;
    if &actual == recorded {
        Ok(())
    } else {
        Err(Problem::at_file(
            &path,
            t!(
                "文件已被改动：SHA-256 与 {0} 记录的不同，拒绝使用这次运行",
                "the file was changed: its SHA-256 differs from the one {0} records; the run is refused",
                manifest.display()
            ),
        )
        .help(t!(
            "恢复原文件，或重新运行那一期",
            "restore the file, or run that period again"
        )))
    }
}
