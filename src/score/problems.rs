//! The problems scoring reports about one person: a formula that cannot be
//! evaluated, a KPI that cannot be scored, arithmetic out of range; each
//! names the person and the cell, and says what to do.

use super::kpi;
use super::values::MetricValues;
use crate::config::{Config, Kpi, Target};
use crate::error::Problem;
use crate::formula::EvalError;
use crate::ingest::{Employee, Src};

pub(super) fn eval_problem(who: &Employee, what: &str, formula: &str, e: &EvalError) -> Problem {
    let help = match e {
        EvalError::DivisionByZero => {
            "guard the division, e.g. if(b > 0, a / b, 0), or correct the data"
        }
        EvalError::Missing(_) => "fill in the value in the input, or change the formula",
        EvalError::Overflow => "check the input values for a misplaced decimal point",
    };
    Problem::new(
        crate::error::Location::Cell(who.origin.clone()),
        format!(
            "{} {} ({}): {what} `{formula}`: {e}",
            who.id, who.name, who.post
        ),
    )
    .help(help)
}

/// Decimal arithmetic overflowed (it panics): a value or a target is far
/// out of range, e.g. 7.9e28 against a target of 0.00001.
pub(super) fn overflow_problem(who: &Employee) -> Problem {
    Problem::new(
        crate::error::Location::Cell(who.origin.clone()),
        format!(
            "{} {} ({}): a result is too large for exact decimal arithmetic",
            who.id, who.name, who.post
        ),
    )
    .help("check this person's values and targets for a misplaced decimal point or a unit error")
}

pub(super) fn formula_text(config: &Config, metric: &str) -> String {
    match config.scheme.metrics.get(metric) {
        Some(crate::config::MetricDef::Formula(f)) => f.formula.clone(),
        _ => String::new(),
    }
}

pub(super) fn failure_problem(
    config: &Config,
    who: &Employee,
    k: &Kpi,
    f: kpi::Failure,
    env: &MetricValues,
    emp: usize,
) -> Problem {
    let _ = config;
    match f {
        kpi::Failure::Missing(what) => {
            let metric = match what {
                "target" => match &k.target {
                    Some(Target::Metric { metric }) => metric.clone(),
                    _ => String::new(),
                },
                _ => k.metric.clone().unwrap_or_default(),
            };
            let sheet = config
                .scheme
                .sources
                .iter()
                .find(|(_, src)| src.columns.contains_key(&metric))
                .map(|(_, src)| format!(" in {} [{}]", src.file, src.sheet))
                .unwrap_or_default();
            // A blank cell in the employee's row is named itself; an
            // employee with no row at all is named at the roster.
            let (location, blank) = match env.data.blanks.get(&(metric.clone(), emp)) {
                Some(cell) => (cell.clone(), "the cell is blank; "),
                None => (who.origin.clone(), ""),
            };
            Problem::new(
                crate::error::Location::Cell(location),
                format!(
                    "{} {} ({}): KPI `{}` has no {what} ({blank}`{metric}`{sheet})",
                    who.id, who.name, who.post, k.id
                ),
            )
            .help(format!(
                "fill in the value, or set `missing = \"zero\"` or `missing = \"exclude\"` on KPI `{}`",
                k.id
            ))
        }
        kpi::Failure::MissingInput(input) => {
            let left_out = input
                .strip_prefix("kpi.")
                .map(|kid| format!(" (KPI `{kid}` was left out for missing data)"))
                .unwrap_or_default();
            Problem::new(
                crate::error::Location::Cell(who.origin.clone()),
                format!(
                    "{} {} ({}): KPI `{}`: its formula reads `{input}`, which has no value{left_out}",
                    who.id, who.name, who.post, k.id
                ),
            )
            .help(format!(
                "fill in the value, guard the formula, or set `missing = \"zero\"` or `missing = \"exclude\"` on KPI `{}`",
                k.id
            ))
        }
        kpi::Failure::ZeroTarget => {
            let at = match &k.target {
                Some(Target::Metric { metric }) => env.metric(metric, emp).map(|(_, s)| s),
                _ => None,
            };
            let location = match at {
                Some(Src::Cell(at)) => crate::error::Location::Cell(at.origin()),
                _ => crate::error::Location::Cell(who.origin.clone()),
            };
            Problem::new(
                location,
                format!(
                    "{} {}: KPI `{}` has a target of 0, which cannot divide",
                    who.id, who.name, k.id
                ),
            )
            .help("give a target above zero, or use the `gate` rule for this KPI")
        }
    }
}
