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
        return Err(Error::Usage(format!(
            "explain: no employee `{}` in the roster {} [{}]; ids look like: {}",
            args.employee,
            config.scheme.roster.file,
            config.scheme.roster.sheet,
            near.join(", ")
        )));
    };
    let Some(p) = outcome.people.iter().find(|p| p.emp == emp) else {
        return Err(Error::Other(format!(
            "explain: `{}` was not scored",
            args.employee
        )));
    };
    let e = &data.employees[emp];
    let role = &config.scheme.roles[&e.role];
    if let Some(kid) = &args.kpi
        && !role.kpis.iter().any(|k| &k.id == kid)
    {
        let ids: Vec<&str> = role.kpis.iter().map(|k| k.id.as_str()).collect();
        return Err(Error::Usage(format!(
            "explain: role `{}` has no KPI `{kid}`; its KPIs are: {}",
            e.role,
            ids.join(", ")
        )));
    }
    crate::text::explain_steps::person(
        config,
        data,
        outcome,
        recon,
        p,
        args.kpi.as_deref(),
        args.lang,
    )
}
