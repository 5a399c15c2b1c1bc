//! Everyone a one-row-per-person sheet must cover. When a role's KPIs read
//! a sheet and an employee of that role has no row there, the problem is the
//! missing row, and it is reported once, at ingestion, naming the sheet:
//! not once per KPI later, as a missing value.

use super::{Dataset, Table};
use crate::config::rule::Rule;
use crate::config::{Config, Missing, Role, SheetInput, Target};
use crate::error::Problem;
use std::collections::HashSet;

/// The KPIs of `role` that stop the run when a column of `src` is missing.
fn kpis_needing<'a>(role: &'a Role, src: &SheetInput) -> Vec<&'a str> {
    role.kpis
        .iter()
        .filter(|k| k.missing == Missing::Error)
        .filter(|k| {
            let mut names: Vec<&str> = k.metric.iter().map(String::as_str).collect();
            if let Some(Target::Metric { metric }) = &k.target {
                names.push(metric);
            }
            match &k.rule {
                Rule::Matrix { row_metric, .. } => names.push(row_metric),
                Rule::Growth { base, .. } => names.push(base),
                _ => {}
            }
            names.iter().any(|n| src.columns.contains_key(*n))
        })
        .map(|k| k.id.as_str())
        .collect()
}

/// Report each employee whose role needs `source` but who has no row in it.
pub fn check(
    config: &Config,
    ds: &Dataset,
    source: &str,
    table: &Table,
    problems: &mut Vec<Problem>,
) {
    let Some(src) = config.scheme.sources.get(source) else {
        return;
    };
    let keys: HashSet<&str> = table.rows.iter().map(|r| r.key.as_str()).collect();
    for (role_id, role) in &config.scheme.roles {
        let kpis = kpis_needing(role, src);
        if kpis.is_empty() {
            continue;
        }
        for e in ds.employees.iter().filter(|e| e.role == *role_id) {
            if keys.contains(e.id.as_str()) {
                continue;
            }
            problems.push(
                Problem::at_cell(
                    &e.origin,
                    crate::t!(
                        "{} {}（{}）在 {} [{}] 中没有对应的行",
                        "{} {} ({}) has no row in {} [{}]",
                        e.id, e.name, e.post, src.file, src.sheet
                    ),
                )
                .help(crate::t!(
                    "在该表中为 {} 加一行，或在指标 {} 上设 `missing = \"zero\"` 或 `\"exclude\"`",
                    "add a row for {} to that sheet, or set `missing = \"zero\"` or `\"exclude\"` on KPI {}",
                    e.id,
                    kpis.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
                )),
            );
        }
    }
}
