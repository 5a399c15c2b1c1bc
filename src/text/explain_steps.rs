//! The words of `appraise explain`: how one person's scores came about,
//! step by step, in the numbers the workbooks hold (`Outcome::details`): the
//! cells read, the rule and its parameters, every rounding stage with the
//! number before and after, the weighting, adjustments, vetoes, the team
//! blend, the grade by cut-off and what the forced distribution did.
//! `cmd::explain` finds the person and prints what this writes.

use crate::Result;
use crate::config::rule::Rule;
use crate::config::{Config, Kpi, RoundMode, Target};
use crate::ingest::{Dataset, Src};
use crate::lang::Lang;
use crate::reconcile::Reconciliation;
use crate::score::{Details, KpiScore, Outcome, PersonOutcome, Status};
use crate::text::explain::{num, sentence};
use rust_decimal::Decimal;
use std::fmt::Write;

mod kpi;
mod rule;
mod totals;
use kpi::{kpi_block, settled};
pub use rule::rule_text;
use totals::totals;

/// The whole explanation of person `p`, as printed: every KPI (or only
/// `only_kpi`, whose id the role has), then the totals when all are shown.
pub fn person(
    config: &Config,
    data: &Dataset,
    outcome: &Outcome,
    recon: &Reconciliation,
    p: &PersonOutcome,
    only_kpi: Option<&str>,
    lang: Lang,
) -> Result<String> {
    let emp = p.emp;
    let e = &data.employees[emp];
    let role = &config.scheme.roles[&e.role];
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(
        w,
        "{} {} · {} ({}) · team {} · department {}",
        e.id,
        e.name,
        role.name,
        e.role,
        e.team,
        if e.department.is_empty() {
            "—"
        } else {
            &e.department
        }
    );
    let _ = writeln!(w, "roster: {}", e.origin.short());
    let _ = writeln!(
        w,
        "scheme: {} (sha256 {}), period {}",
        config.path.display(),
        &config.sha256[..12.min(config.sha256.len())],
        config.scheme.period.id
    );
    let details = outcome.details(config, data, p)?;
    for k in &details.kpis {
        let def = &role.kpis[k.kpi];
        if only_kpi.is_some_and(|id| id != def.id) {
            continue;
        }
        let _ = writeln!(w);
        kpi_block(w, config, data, outcome, emp, def, k, lang);
        settled(w, config, recon, outcome, data, emp, def, lang);
    }
    if only_kpi.is_none() {
        let _ = writeln!(w);
        totals(w, config, data, outcome, p, &details, lang);
    }
    Ok(out)
}

fn mode(config: &Config) -> &'static str {
    match config.scheme.rounding.mode {
        RoundMode::HalfAwayFromZero => "half away from zero",
        RoundMode::HalfEven => "half to even",
    }
}

/// `exact → rounded (n places, mode)`, or the number kept exact.
fn stage(config: &Config, exact: Decimal, rounded: Decimal, places: Option<u32>) -> String {
    match places {
        None => format!("{} (kept exact)", num(exact)),
        Some(n) => format!(
            "{} → {} (rounded to {n} places, {})",
            num(exact),
            num(rounded),
            mode(config)
        ),
    }
}

/// A number as the engine used it: every digit, no trailing zeros.
fn exact(x: Decimal) -> String {
    x.normalize().to_string()
}

fn from(src: &Option<Src>) -> String {
    match src {
        Some(s) => format!("  from {s}"),
        None => String::new(),
    }
}
