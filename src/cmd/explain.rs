//! `appraise explain CONFIG EMPLOYEE [--kpi ID]`: how one person's scores
//! came about, step by step. It runs the same stages as `run` (load, ingest,
//! reconcile, appeals, score), finds the person and the KPI asked for, and
//! prints what `text::explain_steps` writes: the person's results scored
//! again by the same code the workbooks use, so the numbers are the
//! workbook's.

use crate::Result;
use crate::cli::ExplainArgs;
use crate::config::Config;
use crate::error::Error;
use crate::ingest::Dataset;
use crate::reconcile::Reconciliation;
use crate::score::Outcome;

pub fn run(args: ExplainArgs) -> Result<()> {
    let mut config = crate::config::load(&args.config)?;
    let scored = crate::pipeline::score(&mut config, &mut |_| {})?;
    say!(
        "{}",
        text(&config, &scored.data, &scored.outcome, &scored.recon, &args)?
    );
    Ok(())
}

/// The whole explanation, as printed: the employee and `--kpi` checked
/// here, the words from [`crate::text::explain_steps::person`].
pub fn text(
    config: &Config,
    data: &Dataset,
    outcome: &Outcome,
    recon: &Reconciliation,
    args: &ExplainArgs,
) -> Result<String> {
    let Some(&emp) = data.index.get(args.employee.trim()) else {
        let mut near: Vec<&str> = data
            .employees
            .iter()
            .map(|e| e.id.as_str())
            .filter(|id| id.contains(args.employee.trim()) || args.employee.contains(id))
            .take(5)
            .collect();
        if near.is_empty() {
            near = data
                .employees
                .iter()
                .take(3)
                .map(|e| e.id.as_str())
                .collect();
        }
        let (who, file) = (&args.employee, &config.scheme.roster.file);
        let (sheet, near) = (&config.scheme.roster.sheet, near.join(", "));
        return Err(Error::Usage(crate::t!(
            "explain：花名册 {file} [{sheet}] 中没有员工 `{who}`；工号形如：{near}",
            "explain: no employee `{who}` in the roster {file} [{sheet}]; ids look like: {near}"
        )));
    };
    let Some(p) = outcome.people.iter().find(|p| p.emp == emp) else {
        let who = &args.employee;
        return Err(Error::Other(crate::t!(
            "explain：`{who}` 没有得分",
            "explain: `{who}` was not scored"
        )));
    };
    let e = &data.employees[emp];
    let role = &config.scheme.roles[&e.role];
    // --kpi takes the KPI's id or its name as the workbooks show it.
    let only = match args.kpi.as_deref().map(str::trim) {
        None => None,
        Some(asked) => match role.kpis.iter().find(|k| k.id == asked || k.name == asked) {
            Some(k) => Some(k.id.as_str()),
            None => {
                let known: Vec<String> = role
                    .kpis
                    .iter()
                    .map(|k| format!("{} ({})", k.id, k.name))
                    .collect();
                let (role_id, known) = (&e.role, known.join(", "));
                return Err(Error::Usage(crate::t!(
                    "explain：岗位 `{role_id}` 没有指标 `{asked}`；它的指标（编号与名称均可）：{known}",
                    "explain: role `{role_id}` has no KPI `{asked}`; its KPIs (id or name) are: {known}"
                )));
            }
        },
    };
    crate::text::explain_steps::person(config, data, outcome, recon, p, only, args.lang)
}
