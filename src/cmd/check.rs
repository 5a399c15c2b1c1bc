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

/// Issue 19: the scheme's warnings on stderr, each at its line with the
/// fix; they never stop a run.
pub fn warnings(config: &Config) {
    let lang = crate::lang::messages();
    for w in &config.warnings {
        note!("{}", w.render_warning(lang));
    }
}

pub fn run(args: CheckArgs) -> Result<()> {
    let mut config = config::load(&args.config)?;
    warnings(&config);
    let scored = crate::pipeline::score(&mut config, &mut |_| {})?;
    let (data, outcome) = (scored.data, scored.outcome);
    let small = small_groups(&config, &outcome);
    let kpis = outcome.kpi_results;
    let sheets: usize = data.files.iter().map(|f| f.sheets.len()).sum();
    let (path, roles) = (args.config.display(), config.scheme.roles.len());
    let (people, files) = (data.employees.len(), data.files.len());
    say!(
        "{}{}\n",
        crate::t!(
            "{path}：无误：{roles} 个岗位，{people} 名员工，{kpis} 项指标得分，读自 {files} 个文件的 {sheets} 张表",
            "{path}: ok: {roles} roles, {people} employees, {kpis} KPI scores, from {sheets} sheets of {files} files"
        ),
        left_out(&data)
    );
    if let Some(line) = small {
        say!("{line}\n");
    }
    Ok(())
}

/// Issue 19: the people of the roster outside `[roster] where`, e.g.
/// "; 12 people outside the roster's `where` were left out" (empty if none).
pub fn left_out(data: &Dataset) -> crate::lang::Text {
    match data.left_out.len() {
        0 => crate::lang::Text::same(String::new()),
        1 => crate::t!(
            "；花名册中 1 人不在 [roster] where 之内，未计入",
            "; 1 person outside the roster's `where` was left out"
        ),
        n => crate::t!(
            "；花名册中 {n} 人不在 [roster] where 之内，未计入",
            "; {n} people outside the roster's `where` were left out"
        ),
    }
}

/// Issue 19: what happens to calibration groups too small for the quotas,
/// e.g. "2 个校准组不足 5 人，只按分数线定等级：班组长 / 政企一班 (1)、…".
fn small_groups(config: &Config, outcome: &Outcome) -> Option<crate::lang::Text> {
    let dist = config.scheme.grades.distribution.as_ref()?;
    let small: Vec<String> = outcome
        .groups
        .iter()
        .filter(|g| g.advisory)
        .map(|g| format!("{} ({})", g.name, g.size))
        .collect();
    if small.is_empty() {
        return None;
    }
    let (n, min) = (small.len(), dist.min_group);
    let shown = 10;
    let more = if n > shown { "…" } else { "" };
    let list_zh = small[..n.min(shown)].join("、");
    let list_en = small[..n.min(shown)].join(", ");
    let pooled = outcome.groups.iter().filter(|g| g.pooled).count();
    let pool_zh = if pooled > 0 {
        "（已按岗位合并后仍不足）"
    } else {
        ""
    };
    let pool_en = if pooled > 0 {
        " (even after pooling by role)"
    } else {
        ""
    };
    Some(crate::lang::Text::new(
        format!(
            "{n} 个校准组不足 {min} 人{pool_zh}，只按分数线定等级，不做强制分布：{list_zh}{more}"
        ),
        format!(
            "{n} calibration group{s} fewer than {min} people{pool_en}: graded by cut-off only, no forced distribution: {list_en}{more}",
            s = if n == 1 { " has" } else { "s have" }
        ),
    ))
}
