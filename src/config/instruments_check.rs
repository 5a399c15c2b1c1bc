//! Checks `[instruments.*]` (`config::instruments`) and declares the
//! metrics they produce. Called from `validate::check`; each problem names
//! its TOML line.

use super::instruments::*;
use super::locate::{KeyPath, Locator, at};
use super::scheme::{MetricDef, Scheme, Target};
use crate::error::Problem;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// Check the instruments and add the metrics they produce to `metrics`.
pub fn check(s: &Scheme, loc: &Locator, metrics: &mut HashMap<String, KeyPath>) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut err = |path: &KeyPath, message: String, help: &str| {
        problems.push(Problem::new(loc.find(path), message).help(help));
    };
    check_sections_present(s, &mut err);
    check_settings(s, &mut err);
    declare_metrics(s, metrics, &mut err);
    check_names_read(s, metrics, &mut err);
    check_weak_spot_count_unread(s, &mut err);
    check_team_blend_kpis(s, &mut err);
    problems
}

/// The sections an instrument needs beside it are there.
fn check_sections_present(s: &Scheme, err: &mut dyn FnMut(&KeyPath, String, &str)) {
    let ins = &s.instruments;
    let root = at("instruments");
    let needs_customers =
        ins.daily_log.is_some() || ins.retention.is_some() || ins.products.is_some();
    if needs_customers && ins.customers.is_none() {
        err(
            &root,
            "the daily log, retention warnings and products need `[instruments.customers]`".into(),
            "add [instruments.customers] with file, sheet and columns { code, account_manager }",
        );
    }
    if let Some(r) = &ins.retention
        && ins.daily_log.is_none()
        && r.no_visit_days.is_some()
    {
        err(
            &root.key("retention").key("no_visit_days"),
            "`no_visit_days` needs the visits of `[instruments.daily_log]`".into(),
            "add [instruments.daily_log], or remove `no_visit_days`",
        );
    }
    if let Some(r) = &ins.retention
        && r.contract_days.is_some()
        && ins
            .customers
            .as_ref()
            .is_some_and(|c| c.columns.contract_end.is_none())
    {
        err(
            &root.key("customers").key("columns"),
            "`contract_days` needs the customers' contract end dates".into(),
            "add `contract_end = \"合同到期日\"` to the customers' columns",
        );
    }
}

/// Thresholds, checkpoints and weak-spot settings make sense on their own.
fn check_settings(s: &Scheme, err: &mut dyn FnMut(&KeyPath, String, &str)) {
    let ins = &s.instruments;
    let root = at("instruments");
    if let Some(r) = &ins.retention {
        for (key, lv) in [
            ("revenue_mom", &r.revenue_mom),
            ("revenue_yoy", &r.revenue_yoy),
            ("member_churn", &r.member_churn),
        ] {
            if let Some(lv) = lv
                && (lv.warn.get() <= Decimal::ZERO || lv.severe.get() < lv.warn.get())
            {
                err(
                    &root.key("retention").key(key),
                    format!("`{key}`: thresholds must satisfy 0 < warn ≤ severe"),
                    "write the falls as fractions, e.g. { warn = 0.1, severe = 0.25 }",
                );
            }
        }
        if let Some(d) = &r.contract_days
            && d.severe > d.warn
        {
            err(
                &root.key("retention").key("contract_days"),
                "`contract_days`: `severe` must be at most `warn` (fewer days left is worse)"
                    .into(),
                "e.g. { warn = 90, severe = 30 }",
            );
        }
        if let Some(d) = &r.no_visit_days
            && d.severe < d.warn
        {
            err(
                &root.key("retention").key("no_visit_days"),
                "`no_visit_days`: `severe` must be at least `warn`".into(),
                "e.g. { warn = 30, severe = 60 }",
            );
        }
    }
    if let Some(c) = &ins.checkpoints {
        if s.period.checkpoints.is_empty() {
            err(
                &at("period").key("checkpoints"),
                "`[instruments.checkpoints]` needs checkpoints in `[period]`".into(),
                "add checkpoints = [2024-07-31, 2024-08-31, 2024-09-30]",
            );
        }
        if c.series.is_empty() {
            err(
                &root.key("checkpoints"),
                "`[instruments.checkpoints]` has no series".into(),
                "add [[instruments.checkpoints.series]] with metric, column and target",
            );
        }
    }
    if let Some(w) = &ins.weak_spots {
        let q = w.quantile.get();
        if q <= Decimal::ZERO || q >= Decimal::ONE {
            err(
                &root.key("weak_spots").key("quantile"),
                format!("quantile {q} must lie strictly between 0 and 1"),
                "e.g. 0.25 flags the bottom quarter",
            );
        }
        for (i, r) in w.roles.iter().enumerate() {
            if !s.roles.contains_key(r) {
                err(
                    &root.key("weak_spots").key("roles").index(i),
                    format!("unknown role `{r}`"),
                    "use a role id of [roles]",
                );
            }
        }
    }
}

/// Declare the metrics the instruments produce.
fn declare_metrics(
    s: &Scheme,
    metrics: &mut HashMap<String, KeyPath>,
    err: &mut dyn FnMut(&KeyPath, String, &str),
) {
    let ins = &s.instruments;
    let root = at("instruments");
    for (name, section) in ins.metrics(s.period.checkpoints.len()) {
        let path = root.key(section);
        match metrics.entry(name) {
            std::collections::hash_map::Entry::Occupied(o) => err(
                &path,
                format!(
                    "metric `{}` made by [instruments.{section}] is already defined",
                    o.key()
                ),
                "rename the other metric (the README lists the instruments' metric names)",
            ),
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(path);
            }
        }
    }
}

/// The metrics the instruments read exist, and so do the roles they name.
fn check_names_read(
    s: &Scheme,
    metrics: &HashMap<String, KeyPath>,
    err: &mut dyn FnMut(&KeyPath, String, &str),
) {
    let ins = &s.instruments;
    let root = at("instruments");
    if let Some(c) = &ins.checkpoints {
        for (i, sr) in c.series.iter().enumerate() {
            if !metrics.contains_key(&sr.target) {
                err(
                    &root.key("checkpoints").key("series").index(i).key("target"),
                    format!(
                        "series `{}` reads unknown target metric `{}`",
                        sr.metric, sr.target
                    ),
                    "name a metric that holds the period's target",
                );
            }
        }
    }
    if let Some(r) = &ins.rvc {
        let rp = root.key("rvc");
        let mut names = vec![(rp.key("index"), &r.index)];
        names.extend(
            r.parts
                .iter()
                .enumerate()
                .map(|(i, p)| (rp.key("parts").index(i).key("metric"), &p.metric)),
        );
        for (path, m) in names {
            if !metrics.contains_key(m) {
                err(
                    &path,
                    format!("RVC reads unknown metric `{m}`"),
                    "define it under [metrics] as a formula",
                );
            }
        }
        for (i, role) in r.roles.iter().enumerate() {
            if !s.roles.contains_key(role) {
                err(
                    &rp.key("roles").index(i),
                    format!("unknown role `{role}`"),
                    "use a role id of [roles]",
                );
            }
        }
    }
}

/// The weak-spot count is known only after the KPIs: KPIs and formula
/// metrics must not read it.
fn check_weak_spot_count_unread(s: &Scheme, err: &mut dyn FnMut(&KeyPath, String, &str)) {
    let ins = &s.instruments;
    if let Some(m) = ins.weak_spots.as_ref().and_then(|w| w.metric.as_ref()) {
        for (id, role) in &s.roles {
            for (i, k) in role.kpis.iter().enumerate() {
                let target = match &k.target {
                    Some(Target::Metric { metric }) => Some(metric),
                    _ => None,
                };
                let in_formula = match &k.rule {
                    super::rule::Rule::Formula { expr, .. } => {
                        crate::formula::parse(expr).is_ok_and(|e| e.names().contains(&m.as_str()))
                    }
                    _ => false,
                };
                if k.metric.as_ref() == Some(m) || target == Some(m) || in_formula {
                    err(
                        &at("roles").key(id).key("kpis").index(i),
                        format!(
                            "KPI `{}` reads `{m}`, the weak-spot count, which is known only after the KPIs are scored",
                            k.id
                        ),
                        "read it in an adjustment item or a veto instead",
                    );
                }
            }
        }
        for (name, def) in &s.metrics {
            if let MetricDef::Formula(f) = def
                && crate::formula::parse(&f.formula).is_ok_and(|e| e.names().contains(&m.as_str()))
            {
                err(
                    &at("metrics").key(name),
                    format!(
                        "formula metric `{name}` reads `{m}`, the weak-spot count, known only after the KPIs"
                    ),
                    "read it in an adjustment item or a veto instead",
                );
            }
        }
    }
}

/// Team blends on chosen KPIs: the KPIs must be the members' role's.
fn check_team_blend_kpis(s: &Scheme, err: &mut dyn FnMut(&KeyPath, String, &str)) {
    for (id, role) in &s.roles {
        let Some(tb) = &role.team_blend else { continue };
        let Some(TeamOf::Kpis(ks)) = &tb.of else {
            continue;
        };
        let path = at("roles").key(id).key("team_blend").key("of");
        let Some(members) = s.roles.get(&tb.members) else {
            continue;
        };
        if ks.kpis.is_empty() {
            err(
                &path,
                "`of.kpis` is empty".into(),
                "name at least one KPI of the members' role",
            );
        }
        for k in &ks.kpis {
            match members.kpis.iter().find(|x| &x.id == k) {
                None => err(
                    &path,
                    format!("role `{}` has no KPI `{k}`", tb.members),
                    "use the id of a KPI of the members' role",
                ),
                Some(x) if x.weight.get().is_zero() => err(
                    &path,
                    format!("KPI `{k}` has weight 0 and cannot weigh the team's result"),
                    "choose a weighted KPI",
                ),
                Some(_) => {}
            }
        }
    }
}
