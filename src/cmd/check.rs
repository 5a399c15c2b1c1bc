//! `appraise check`: the whole pipeline short of writing. The scheme is
//! validated, every input it names is read and typed, and everyone is
//! scored (which finds run-time problems such as a division by zero or a
//! missing actual); every problem of a stage is reported at once. Nothing is
//! written: exit 0 when a `run` would succeed, 78 for the scheme, 65 for data.

use crate::cli::CheckArgs;
use crate::config::Config;
use crate::ingest::Dataset;
use crate::score::Outcome;
use crate::{Result, config};
use std::path::Path;

/// The stages of `run` before the reports, in the same order: load, ingest,
/// reconcile, appeals, score. `check` and `explain` both use it, so what they
/// say is what `run` would write.
/// Load the scheme and run every stage short of writing.
pub fn score_all(path: &Path) -> Result<(Config, Dataset, Outcome)> {
    let mut config = config::load(path)?;
    let scored = crate::pipeline::score(&mut config, &mut |_| {})?;
    Ok((config, scored.data, scored.outcome))
}

pub fn run(args: CheckArgs) -> Result<()> {
    let (config, data, outcome) = score_all(&args.config)?;
    let kpis = outcome.kpi_results;
    let sheets: usize = data.files.iter().map(|f| f.sheets.len()).sum();
    let (path, roles) = (args.config.display(), config.scheme.roles.len());
    let (people, files) = (data.employees.len(), data.files.len());
    say!(
        "{}\n",
        crate::t!(
            "{path}：无误：{roles} 个岗位，{people} 名员工，{kpis} 项指标得分，读自 {files} 个文件的 {sheets} 张表",
            "{path}: ok: {roles} roles, {people} employees, {kpis} KPI scores, from {sheets} sheets of {files} files"
        )
    );
    Ok(())
}
