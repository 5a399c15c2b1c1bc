//! What the types cannot say: weights add up, bands tile the line, every
//! name resolves, formulas parse and have no cycles, quotas fit. Every check
//! runs and every problem is reported, each at its line and column.

use super::locate::{KeyPath, Locator, at};
use super::rule::{Band, Rule};
use super::scheme::*;
use super::{Compiled, Dec};
use crate::error::Problem;
use crate::formula::{self, Expr};
use rust_decimal::Decimal;
use std::collections::{BTreeSet, HashMap, HashSet};

/// Names a KPI formula may read besides metrics.
pub const KPI_CONTEXT: [&str; 3] = ["actual", "target", "rate"];

struct Checker<'a> {
    loc: &'a Locator<'a>,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn err(&mut self, path: &KeyPath, message: impl Into<String>, help: impl Into<String>) {
        self.problems
            .push(Problem::new(self.loc.find(path), message).help(help));
    }

    fn parse_formula(&mut self, path: &KeyPath, src: &str) -> Option<Expr> {
        match formula::parse(src) {
            Ok(e) => Some(e),
            Err(e) => {
                // A formula of thousands of characters is named by its start.
                let shown: String = src.chars().take(80).collect();
                let more = if shown.len() < src.len() { "…" } else { "" };
                self.problems.push(
                    Problem::new(
                        self.loc.find_inside(path, e.offset),
                        format!("formula `{shown}{more}`: {}", e.message),
                    )
                    .help("formulas use + - * / ( ) comparisons, and/or/not, min max clamp if abs round"),
                );
                None
            }
        }
    }
}

pub fn check(s: &Scheme, loc: &Locator) -> Result<Compiled, Vec<Problem>> {
    let mut c = Checker {
        loc,
        problems: Vec::new(),
    };
    check_period(&mut c, &s.period);
    check_appeal_window(&mut c, s);
    check_rounding(&mut c, &s.rounding);
    let mut metrics = check_inputs(&mut c, s);
    super::reconcile_check::check(s, loc, &mut c.problems, &mut metrics);
    c.problems
        .extend(super::instruments_check::check(s, loc, &mut metrics));
    let metric_formulas = check_metrics(&mut c, s, &metrics);
    let mut compiled = Compiled {
        metric_formulas,
        ..Compiled::default()
    };
    for (id, role) in &s.roles {
        check_role(&mut c, s, id, role, &metrics, &mut compiled);
    }
    check_roles_cover(&mut c, s);
    check_grades(&mut c, s);
    c.problems.extend(super::limits::check(&s.limits, loc));
    if c.problems.is_empty() {
        Ok(compiled)
    } else {
        Err(c.problems)
    }
}

/// Decimals hold 28 places; a stage rounded to more would keep nothing more.
fn check_rounding(c: &mut Checker, r: &Rounding) {
    for (key, places) in [
        ("rate", r.rate),
        ("score", r.score),
        ("weighted", r.weighted),
        ("total", r.total),
    ] {
        if let Some(p) = places
            && p > 12
        {
            c.err(
                &at("rounding").key(key),
                format!("rounding `{key}` to {p} places is more than a score can use"),
                "use 0 to 12 places (e.g. 2 for a whole percent of a rate, 2 for points), or leave the stage out to keep every digit",
            );
        }
    }
}

fn check_appeal_window(c: &mut Checker, s: &Scheme) {
    let Some(by) = s.feedback.as_ref().and_then(|f| f.appeal_by.as_ref()) else {
        return;
    };
    let path = at("feedback").key("appeal_by");
    if by.date.is_none() || by.time.is_some() {
        c.err(
            &path,
            "`appeal_by` must be a date without a time",
            "write it as 2024-10-18",
        );
    } else if by.date.map(|d| (d.year, d.month, d.day))
        < s.period.end.date.map(|d| (d.year, d.month, d.day))
    {
        c.err(
            &path,
            format!("the appeal deadline {by} is before the period ends ({})", s.period.end),
            "appeals come after the results: give a date after the period's end, e.g. 10 working days after the workbooks go out",
        );
    }
}

fn check_period(c: &mut Checker, p: &Period) {
    let path = at("period");
    if p.id.trim().is_empty() || p.id.contains(['/', '\\']) || p.id.starts_with('.') {
        c.err(
            &path.key("id"),
            format!("period id `{}` cannot name a directory", p.id),
            "use letters, digits and dashes, e.g. \"2024Q3\"",
        );
    }
    let mut date = |key: &str, d: &toml::value::Datetime, path: KeyPath| {
        if d.date.is_none() || d.time.is_some() {
            c.err(
                &path,
                format!("`{key}` must be a date without a time"),
                "write it as 2024-07-01",
            );
        }
    };
    date("start", &p.start, path.key("start"));
    date("end", &p.end, path.key("end"));
    for (i, cp) in p.checkpoints.iter().enumerate() {
        date("checkpoints", cp, path.key("checkpoints").index(i));
    }
    let key = |d: &toml::value::Datetime| d.date.map(|d| (d.year, d.month, d.day));
    if key(&p.start) > key(&p.end) {
        c.err(
            &path.key("end"),
            "the period ends before it starts",
            "swap `start` and `end`",
        );
    }
    for (i, cp) in p.checkpoints.iter().enumerate() {
        if key(cp) < key(&p.start) || key(cp) > key(&p.end) {
            c.err(
                &path.key("checkpoints").index(i),
                format!("checkpoint {cp} is outside the period"),
                "checkpoints must lie between `start` and `end`",
            );
        }
    }
}

/// A metric name as it may appear in formulas.
fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_alphanumeric() || c == '_')
        && !["and", "or", "not"].contains(&name)
        && !KPI_CONTEXT.contains(&name)
}

/// Check sources; return every metric name with the place it is defined.
fn check_inputs(c: &mut Checker, s: &Scheme) -> HashMap<String, KeyPath> {
    let mut metrics: HashMap<String, KeyPath> = HashMap::new();
    let r = &s.roster;
    if r.header_row == 0 {
        c.err(
            &at("roster").key("header_row"),
            "rows are numbered from 1",
            "use 1 for the first row",
        );
    }
    for (id, src) in &s.sources {
        let path = at("sources").key(id);
        if src.header_row == 0 {
            c.err(
                &path.key("header_row"),
                "rows are numbered from 1",
                "use 1 for the first row",
            );
        }
        if src.columns.is_empty() {
            c.err(
                &path.key("columns"),
                format!("source `{id}` maps no columns"),
                "add `field = \"column header\"` lines",
            );
        }
        for (field, col) in &src.columns {
            let fpath = path.key("columns").key(field);
            if !valid_name(field) {
                c.err(&fpath, format!("`{field}` cannot be used as a field name"), "use letters, digits and `_`, starting with a letter; not and/or/not/actual/target/rate");
            }
            if col.header().trim().is_empty() {
                c.err(
                    &fpath,
                    format!("field `{field}` has an empty column header"),
                    "write the header as it appears in the sheet",
                );
            }
            if src.rows == Rows::OnePerKey {
                if col.kind() != ColumnType::Number {
                    continue;
                }
                if let Some(prev) = metrics.get(field) {
                    let prev = format!("{:?}", prev.0);
                    c.err(
                        &fpath,
                        format!("metric `{field}` is defined twice"),
                        format!("rename one of them; the other is at {prev}"),
                    );
                } else {
                    metrics.insert(field.clone(), fpath);
                }
            }
        }
    }
    for name in s.metrics.keys() {
        let path = at("metrics").key(name);
        if !valid_name(name) {
            c.err(
                &path,
                format!("`{name}` cannot be used as a metric name"),
                "use letters, digits and `_`, starting with a letter",
            );
        }
        if metrics.contains_key(name) {
            c.err(
                &path,
                format!("metric `{name}` is also a column of a source"),
                "give the derived metric another name",
            );
        } else {
            metrics.insert(name.clone(), path);
        }
    }
    metrics
}

fn check_metrics(
    c: &mut Checker,
    s: &Scheme,
    metrics: &HashMap<String, KeyPath>,
) -> Vec<(String, Expr)> {
    let mut formulas: Vec<(String, Expr)> = Vec::new();
    for (name, def) in &s.metrics {
        let path = at("metrics").key(name);
        match def {
            MetricDef::Aggregate(a) => {
                let Some(src) = s.sources.get(&a.input) else {
                    c.err(
                        &path.key("input"),
                        format!("metric `{name}` reads unknown source `{}`", a.input),
                        format!(
                            "define [sources.{}] or use one of: {}",
                            a.input,
                            names(s.sources.keys())
                        ),
                    );
                    continue;
                };
                if src.rows != Rows::ManyPerKey {
                    c.err(&path.key("input"), format!("metric `{name}` aggregates source `{}`, which has one row per employee", a.input), "set `rows = \"many_per_key\"` on the source, or read its column directly");
                }
                match (&a.field, a.agg) {
                    (None, AggKind::Count) => {}
                    (None, _) => c.err(
                        &path,
                        format!("metric `{name}` needs `field` for this aggregate"),
                        "add `field = \"<column field>\"`",
                    ),
                    (Some(f), agg) => match src.columns.get(f) {
                        None => c.err(
                            &path.key("field"),
                            format!("source `{}` has no field `{f}`", a.input),
                            format!("use one of: {}", names(src.columns.keys())),
                        ),
                        Some(col)
                            if matches!(agg, AggKind::Sum | AggKind::Min | AggKind::Max)
                                && col.kind() != ColumnType::Number =>
                        {
                            c.err(
                                &path.key("field"),
                                format!("field `{f}` is not numeric and cannot be summed"),
                                "use `distinct` or `count`, or a numeric field",
                            )
                        }
                        Some(_) => {}
                    },
                }
                if let Some(f) = &a.in_period {
                    match src.columns.get(f) {
                        Some(col) if col.kind() == ColumnType::Date => {}
                        Some(_) => c.err(&path.key("in_period"), format!("`in_period` needs a date column, but field `{f}` is not `type = \"date\"`"), "declare the column as `{ header = \"…\", type = \"date\" }`"),
                        None => c.err(&path.key("in_period"), format!("source `{}` has no field `{f}`", a.input), format!("use one of: {}", names(src.columns.keys()))),
                    }
                }
                for f in a.filter.keys() {
                    match src.columns.get(f) {
                        None => c.err(
                            &path.key("where").key(f),
                            format!("source `{}` has no field `{f}`", a.input),
                            format!("use one of: {}", names(src.columns.keys())),
                        ),
                        Some(col) if col.kind() != ColumnType::Text => c.err(
                            &path.key("where").key(f),
                            format!(
                                "`where` compares text, but field `{f}` is not `type = \"text\"`"
                            ),
                            "declare the column as `{ header = \"…\", type = \"text\" }`",
                        ),
                        Some(_) => {}
                    }
                }
            }
            MetricDef::Formula(f) => {
                let fpath = path.key("formula");
                if let Some(e) = c.parse_formula(&fpath, &f.formula) {
                    for n in e.names() {
                        if !metrics.contains_key(n) {
                            c.err(
                                &fpath,
                                format!("formula of `{name}` reads unknown metric `{n}`"),
                                suggest(n, metrics.keys()),
                            );
                        }
                    }
                    formulas.push((name.clone(), e));
                }
            }
        }
    }
    // Order formula metrics so each follows those it reads; report cycles.
    let deps: HashMap<&str, Vec<&str>> = formulas
        .iter()
        .map(|(n, e)| {
            (
                n.as_str(),
                e.names()
                    .into_iter()
                    .filter(|d| {
                        s.metrics
                            .get(*d)
                            .is_some_and(|m| matches!(m, MetricDef::Formula(_)))
                    })
                    .collect(),
            )
        })
        .collect();
    let order: Result<Vec<String>, Vec<String>> =
        topo_order(&deps).map(|o| o.into_iter().map(str::to_string).collect());
    drop(deps);
    match order {
        Ok(order) => {
            let mut by_name: HashMap<String, Expr> = formulas.into_iter().collect();
            order
                .into_iter()
                .filter_map(|n| by_name.remove_entry(&n))
                .collect()
        }
        Err(cycle) => {
            c.err(
                &at("metrics").key(&cycle[0]).key("formula"),
                format!("metric formulas form a cycle: {}", cycle.join(" → ")),
                "break the cycle: one of these metrics must not depend on the others",
            );
            Vec::new()
        }
    }
}

/// A topological order of `deps` (each name after its dependencies), or a cycle.
fn topo_order<'a>(deps: &HashMap<&'a str, Vec<&'a str>>) -> Result<Vec<&'a str>, Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit<'a>(
        n: &'a str,
        deps: &HashMap<&'a str, Vec<&'a str>>,
        marks: &mut HashMap<&'a str, Mark>,
        stack: &mut Vec<&'a str>,
        out: &mut Vec<&'a str>,
    ) -> Result<(), Vec<String>> {
        match marks.get(n) {
            Some(Mark::Done) => return Ok(()),
            Some(Mark::Open) => {
                let from = stack.iter().position(|s| *s == n).unwrap_or(0);
                let mut cycle: Vec<String> = stack[from..].iter().map(|s| s.to_string()).collect();
                cycle.push(n.to_string());
                return Err(cycle);
            }
            None => {}
        }
        marks.insert(n, Mark::Open);
        stack.push(n);
        for d in deps.get(n).into_iter().flatten() {
            if deps.contains_key(d) {
                visit(d, deps, marks, stack, out)?;
            }
        }
        stack.pop();
        marks.insert(n, Mark::Done);
        out.push(n);
        Ok(())
    }
    let mut keys: Vec<&str> = deps.keys().copied().collect();
    keys.sort_unstable();
    let mut marks = HashMap::new();
    let mut out = Vec::new();
    for k in keys {
        visit(k, deps, &mut marks, &mut Vec::new(), &mut out)?;
    }
    Ok(out)
}

fn names<'a>(it: impl Iterator<Item = &'a String>) -> String {
    let v: Vec<&str> = it.map(String::as_str).collect();
    if v.is_empty() {
        "(none defined)".into()
    } else {
        v.join(", ")
    }
}

/// "did you mean" help for an unknown name.
fn suggest<'a>(name: &str, known: impl Iterator<Item = &'a String>) -> String {
    let mut best: Option<(usize, &str)> = None;
    for k in known {
        let d = edit_distance(name, k);
        if d <= 3 && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, k));
        }
    }
    match best {
        Some((_, k)) => format!("did you mean `{k}`?"),
        None => "define it under [metrics] or as a column of a source".into(),
    }
}

pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

fn check_role(
    c: &mut Checker,
    s: &Scheme,
    id: &str,
    role: &Role,
    metrics: &HashMap<String, KeyPath>,
    compiled: &mut Compiled,
) {
    let path = at("roles").key(id);
    if role.kpis.is_empty() {
        c.err(
            &path,
            format!("role `{id}` has no KPIs"),
            "add [[roles.<id>.kpis]] tables",
        );
    }
    // A person's KPI scores keep the KPI's index in 16 bits (`KpiBrief`).
    if role.kpis.len() > usize::from(u16::MAX) {
        c.err(
            &path.key("kpis"),
            format!(
                "role `{id}` has {} KPIs; at most {} are supported",
                role.kpis.len(),
                u16::MAX
            ),
            "split the role's KPIs between roles",
        );
    }
    let mut ids = HashSet::new();
    let mut weight_sum = Decimal::ZERO;
    let mut sections = BTreeSet::new();
    for (i, k) in role.kpis.iter().enumerate() {
        let kp = path.key("kpis").index(i);
        if !ids.insert(k.id.as_str()) {
            c.err(
                &kp.key("id"),
                format!("role `{id}`: KPI id `{}` is used twice", k.id),
                "give each KPI of a role its own id",
            );
        }
        if let Some(sec) = &k.section {
            sections.insert(sec.as_str());
        }
        let w = k.weight.get();
        if w.is_sign_negative() {
            c.err(
                &kp.key("weight"),
                format!("KPI `{}`: weight {w} is negative", k.id),
                "weights are points out of 100, zero or more",
            );
        }
        match (&k.rule, w.is_zero()) {
            (Rule::Monitor, false) => c.err(
                &kp.key("weight"),
                format!("KPI `{}` is monitor-only but has weight {w}", k.id),
                "set `weight = 0`, or give it a scoring rule",
            ),
            (Rule::Monitor, true) => {}
            _ => weight_sum += w,
        }
        check_kpi(c, s, id, role, i, k, &kp, metrics, compiled);
    }
    if !role.kpis.is_empty() && weight_sum != Decimal::ONE_HUNDRED {
        c.err(&path.key("kpis").index(0).key("weight"), format!("role `{id}`: weights sum to {}, not 100", weight_sum.normalize()), "change the weights so that the scored KPIs add up to 100 (monitor-only KPIs have weight 0)");
    }
    // KPI formulas: references to other KPIs, and their order.
    let kpi_ids: HashMap<&str, usize> = role
        .kpis
        .iter()
        .enumerate()
        .map(|(i, k)| (k.id.as_str(), i))
        .collect();
    let formulas = compiled.kpi_formulas.get(id).cloned().unwrap_or_default();
    let mut deps: HashMap<&str, Vec<&str>> = HashMap::new();
    for (i, k) in role.kpis.iter().enumerate() {
        let reads = formulas.get(&i).map(|e| e.names()).unwrap_or_default();
        deps.insert(
            k.id.as_str(),
            reads
                .into_iter()
                .filter_map(|n| n.strip_prefix("kpi."))
                .filter(|d| kpi_ids.contains_key(d))
                .collect(),
        );
    }
    match topo_order(&deps) {
        Ok(order) => {
            let order = order
                .into_iter()
                .filter_map(|k| kpi_ids.get(k).copied())
                .collect();
            compiled.kpi_order.insert(id.to_string(), order);
        }
        Err(cycle) => {
            let first = kpi_ids.get(cycle[0].as_str()).copied().unwrap_or(0);
            c.err(
                &path.key("kpis").index(first).key("rule").key("expr"),
                format!(
                    "role `{id}`: KPI formulas form a cycle: {}",
                    cycle.join(" → ")
                ),
                "one of these KPIs must not read the others' scores",
            );
        }
    }
    for (a, adj) in role.adjustments.iter().enumerate() {
        let ap = path.key("adjustments").index(a);
        if let Some(cap) = adj.cap
            && cap.get().is_sign_negative()
        {
            c.err(
                &ap.key("cap"),
                "a cap cannot be negative",
                "caps are in points either way, e.g. cap = 5",
            );
        }
        for (j, item) in adj.items.iter().enumerate() {
            let ip = ap.key("items").index(j);
            if !metrics.contains_key(&item.metric) {
                c.err(
                    &ip.key("metric"),
                    format!(
                        "adjustment `{}` reads unknown metric `{}`",
                        item.name, item.metric
                    ),
                    suggest(&item.metric, metrics.keys()),
                );
            }
            if let Some(cap) = item.cap
                && cap.get().is_sign_negative()
            {
                c.err(
                    &ip.key("cap"),
                    "a cap cannot be negative",
                    "caps are in points either way, e.g. cap = 3",
                );
            }
        }
    }
    let mut conditions = Vec::new();
    for (v, veto) in role.vetoes.iter().enumerate() {
        let vp = path.key("vetoes").index(v);
        if let Some(e) = c.parse_formula(&vp.key("when"), &veto.when) {
            for n in e.names() {
                let known = metrics.contains_key(n)
                    || n.strip_prefix("kpi.")
                        .is_some_and(|k| kpi_ids.contains_key(k));
                if !known {
                    c.err(
                        &vp.key("when"),
                        format!("veto `{}` reads unknown name `{n}`", veto.id),
                        suggest(n, metrics.keys()),
                    );
                }
            }
            conditions.push(e);
        }
        match veto.effect {
            VetoEffect::SectionZero => match &veto.section {
                Some(sec) if sections.contains(sec.as_str()) => {}
                Some(sec) => c.err(
                    &vp.key("section"),
                    format!(
                        "veto `{}` voids section `{sec}`, which no KPI of `{id}` belongs to",
                        veto.id
                    ),
                    format!(
                        "use one of: {}",
                        sections.iter().copied().collect::<Vec<_>>().join(", ")
                    ),
                ),
                None => c.err(
                    &vp,
                    format!(
                        "veto `{}` has effect `section_zero` but no `section`",
                        veto.id
                    ),
                    "add `section = \"<section name>\"`",
                ),
            },
            VetoEffect::GradeCeiling => match &veto.grade {
                Some(g) if s.grades.scale.contains(g) => {}
                Some(g) => c.err(
                    &vp.key("grade"),
                    format!(
                        "veto `{}` caps the grade at `{g}`, which is not on the scale",
                        veto.id
                    ),
                    format!("use one of: {}", s.grades.scale.join(", ")),
                ),
                None => c.err(
                    &vp,
                    format!(
                        "veto `{}` has effect `grade_ceiling` but no `grade`",
                        veto.id
                    ),
                    "add `grade = \"C\"` (the best grade still possible)",
                ),
            },
            VetoEffect::TotalZero => {}
        }
    }
    compiled.veto_conditions.insert(id.to_string(), conditions);
    if let Some(tb) = &role.team_blend {
        let tp = path.key("team_blend");
        if tb.own.get() + tb.team.get() != Decimal::ONE {
            c.err(
                &tp,
                format!(
                    "team blend shares {} + {} do not add up to 1",
                    tb.own, tb.team
                ),
                "set `own` and `team` so that own + team = 1, e.g. 0.6 and 0.4",
            );
        }
        if tb.members == id || !s.roles.contains_key(&tb.members) {
            c.err(
                &tp.key("members"),
                format!(
                    "team blend reads role `{}`, which is not another role",
                    tb.members
                ),
                format!("use one of: {}", names(s.roles.keys().filter(|r| *r != id))),
            );
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn check_kpi(
    c: &mut Checker,
    s: &Scheme,
    role_id: &str,
    role: &Role,
    i: usize,
    k: &Kpi,
    kp: &KeyPath,
    metrics: &HashMap<String, KeyPath>,
    compiled: &mut Compiled,
) {
    let rp = kp.key("rule");
    let needs_metric = !matches!(k.rule, Rule::Formula { .. });
    match &k.metric {
        Some(m) if !metrics.contains_key(m) => c.err(
            &kp.key("metric"),
            format!("KPI `{}` reads unknown metric `{m}`", k.id),
            suggest(m, metrics.keys()),
        ),
        None if needs_metric => c.err(
            kp,
            format!("KPI `{}` has no `metric`", k.id),
            "add `metric = \"<field>\"`, naming the column it reads",
        ),
        _ => {}
    }
    match &k.target {
        Some(Target::Metric { metric }) if !metrics.contains_key(metric) => c.err(
            &kp.key("target").key("metric"),
            format!("KPI `{}`: target reads unknown metric `{metric}`", k.id),
            suggest(metric, metrics.keys()),
        ),
        Some(Target::Value(v))
            if v.get().is_zero() && matches!(k.rule, Rule::Ratio { .. } | Rule::Inverse { .. }) =>
        {
            c.err(
                &kp.key("target"),
                format!("KPI `{}`: a target of 0 cannot divide", k.id),
                "use a target above zero, or the `gate` rule",
            )
        }
        Some(Target::Value(v))
            if v.get().is_sign_negative() && matches!(k.rule, Rule::Ratio { .. } | Rule::Inverse { .. }) =>
        {
            c.err(
                &kp.key("target"),
                format!("KPI `{}`: a negative target ({v}) makes the completion rate meaningless", k.id),
                "use a target above zero; for a value that should fall, use the `inverse` rule with a positive target",
            )
        }
        None if k.rule.needs_target() => c.err(
            kp,
            format!("KPI `{}`: rule `{}` needs a `target`", k.id, k.rule.kind()),
            "add `target = 100` or `target = { metric = \"<field>\" }`",
        ),
        _ => {}
    }
    let floor_cap = |c: &mut Checker, floor: &Option<Dec>, cap: &Option<Dec>| {
        if let (Some(f), Some(cp)) = (floor, cap)
            && f.get() > cp.get()
        {
            c.err(
                &rp.key("floor"),
                format!("KPI `{}`: floor {f} is above cap {cp}", k.id),
                "make floor ≤ cap",
            );
        }
    };
    match &k.rule {
        Rule::Ratio { floor, cap }
        | Rule::Inverse { floor, cap, .. }
        | Rule::Formula { floor, cap, .. }
        | Rule::Growth { floor, cap, .. } => floor_cap(c, floor, cap),
        _ => {}
    }
    match &k.rule {
        Rule::Piecewise { points, .. } => {
            if points.len() < 2 {
                c.err(
                    &rp.key("points"),
                    format!("KPI `{}`: a piecewise rule needs at least two points", k.id),
                    "e.g. points = [[0.8, 0.6], [1.0, 1.0], [1.2, 1.2]]",
                );
            }
            for (j, w) in points.windows(2).enumerate() {
                if w[1].0.get() <= w[0].0.get() {
                    c.err(
                        &rp.key("points").index(j + 1),
                        format!(
                            "KPI `{}`: points must rise in x; {} follows {}",
                            k.id, w[1].0, w[0].0
                        ),
                        "list the points from the lowest x to the highest",
                    );
                }
            }
        }
        Rule::Bands { bands, .. } => check_bands(c, &k.id, bands, &rp.key("bands")),
        Rule::Matrix {
            columns,
            row_metric,
            rows,
            table,
            ..
        } => {
            if !metrics.contains_key(row_metric) {
                c.err(
                    &rp.key("row_metric"),
                    format!("KPI `{}`: matrix reads unknown metric `{row_metric}`", k.id),
                    suggest(row_metric, metrics.keys()),
                );
            }
            for (name, bounds) in [("columns", columns), ("rows", rows)] {
                if bounds.is_empty() || bounds.windows(2).any(|w| w[1].get() <= w[0].get()) {
                    c.err(
                        &rp.key(name),
                        format!("KPI `{}`: matrix {name} must be rising lower bounds", k.id),
                        "e.g. [0, 0.8, 1.0]",
                    );
                }
            }
            if table.len() != rows.len() || table.iter().any(|r| r.len() != columns.len()) {
                c.err(
                    &rp.key("table"),
                    format!(
                        "KPI `{}`: the matrix table must have {} rows of {} scores",
                        k.id,
                        rows.len(),
                        columns.len()
                    ),
                    "one row per `rows` bound, one score per `columns` bound",
                );
            }
        }
        Rule::Rank { best, worst, .. } if worst.get() > best.get() => {
            c.err(
                &rp.key("worst"),
                format!("KPI `{}`: worst score {worst} is above best {best}", k.id),
                "make worst ≤ best",
            );
        }
        Rule::Growth { base, .. } if !metrics.contains_key(base) => {
            c.err(
                &rp.key("base"),
                format!("KPI `{}`: growth reads unknown base metric `{base}`", k.id),
                suggest(base, metrics.keys()),
            );
        }
        Rule::Formula { expr, .. } => {
            let ep = rp.key("expr");
            if let Some(e) = c.parse_formula(&ep, expr) {
                for n in e.names() {
                    let known = metrics.contains_key(n)
                        || (KPI_CONTEXT.contains(&n) && k.metric.is_some())
                        || n.strip_prefix("kpi.").is_some_and(|kid| {
                            kid != k.id && role.kpis.iter().any(|o| o.id == kid)
                        });
                    if !known {
                        let help = if let Some(kid) = n.strip_prefix("kpi.") {
                            format!("`kpi.{kid}` must name another KPI of role `{role_id}`")
                        } else if KPI_CONTEXT.contains(&n) {
                            "`actual`, `target` and `rate` need the KPI to have a `metric`"
                                .to_string()
                        } else {
                            suggest(n, metrics.keys())
                        };
                        c.err(
                            &ep,
                            format!("KPI `{}`: formula reads unknown name `{n}`", k.id),
                            help,
                        );
                    }
                }
                compiled
                    .kpi_formulas
                    .entry(role_id.to_string())
                    .or_default()
                    .insert(i, e);
            }
        }
        _ => {}
    }
    let _ = s;
}

fn check_bands(c: &mut Checker, kpi: &str, bands: &[Band], path: &KeyPath) {
    if bands.is_empty() {
        c.err(
            path,
            format!("KPI `{kpi}`: no bands"),
            "add bands = [{ from = 0, to = 0.8, score = 0.5 }, …]",
        );
        return;
    }
    for (j, b) in bands.iter().enumerate() {
        let bp = path.index(j);
        if let (Some(f), Some(t)) = (b.from, b.to)
            && f.get() >= t.get()
        {
            c.err(
                &bp,
                format!("KPI `{kpi}`: band [{f}, {t}) is empty"),
                "a band's `from` must be below its `to`",
            );
        }
        if j > 0 && b.from.is_none() {
            c.err(
                &bp,
                format!("KPI `{kpi}`: only the first band may leave out `from`"),
                "give this band a `from`",
            );
        }
        if j + 1 < bands.len() && b.to.is_none() {
            c.err(
                &bp,
                format!("KPI `{kpi}`: only the last band may leave out `to`"),
                "give this band a `to`",
            );
        }
    }
    for (j, w) in bands.windows(2).enumerate() {
        if let (Some(t), Some(f)) = (w[0].to, w[1].from) {
            if f.get() < t.get() {
                c.err(
                    &path.index(j + 1),
                    format!("KPI `{kpi}`: bands overlap: [.., {t}) and [{f}, ..)"),
                    format!("start this band at {t}, where the previous one ends"),
                );
            } else if f.get() > t.get() {
                c.err(
                    &path.index(j + 1),
                    format!("KPI `{kpi}`: gap between bands: nothing covers [{t}, {f})"),
                    format!("start this band at {t}, where the previous one ends"),
                );
            }
        }
    }
}

fn check_roles_cover(c: &mut Checker, s: &Scheme) {
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for (id, role) in &s.roles {
        for v in role.roster_value.values() {
            if let Some(other) = seen.insert(v, id) {
                c.err(
                    &at("roles").key(id).key("roster_value"),
                    format!("roster value `{v}` is claimed by roles `{other}` and `{id}`"),
                    "each 岗位 value must mean one role",
                );
            }
        }
    }
}

fn check_grades(c: &mut Checker, s: &Scheme) {
    let g = &s.grades;
    let path = at("grades");
    let mut seen = HashSet::new();
    for (i, name) in g.scale.iter().enumerate() {
        if !seen.insert(name) {
            c.err(
                &path.key("scale").index(i),
                format!("grade `{name}` is listed twice"),
                "list each grade once, best first",
            );
        }
    }
    if g.scale.is_empty() {
        c.err(
            &path.key("scale"),
            "the grade scale is empty",
            "e.g. scale = [\"A\", \"B\", \"C\", \"D\"]",
        );
        return;
    }
    let pos = |name: &str| g.scale.iter().position(|x| x == name);
    let mut last: Option<(usize, Decimal)> = None;
    for (i, cut) in g.cutoffs.iter().enumerate() {
        let cp = path.key("cutoffs").index(i);
        match pos(&cut.grade) {
            None => c.err(
                &cp.key("grade"),
                format!("cut-off for unknown grade `{}`", cut.grade),
                format!("use one of: {}", g.scale.join(", ")),
            ),
            Some(p) if p + 1 == g.scale.len() => c.err(
                &cp.key("grade"),
                format!("the lowest grade `{}` needs no cut-off", cut.grade),
                "remove it: everyone below the other cut-offs gets the lowest grade",
            ),
            Some(p) => {
                if let Some((lp, lmin)) = last
                    && (p <= lp || cut.min.get() >= lmin)
                {
                    c.err(
                        &cp,
                        format!("cut-off for `{}` is out of order", cut.grade),
                        "list cut-offs from the best grade down, each lower than the one before",
                    );
                }
                last = Some((p, cut.min.get()));
            }
        }
    }
    if g.cutoffs.is_empty() && g.distribution.is_none() {
        c.err(
            &path,
            "grades need `cutoffs`, a `distribution`, or both",
            "add cutoffs = [{ grade = \"A\", min = 90 }, …]",
        );
    }
    let Some(d) = &g.distribution else { return };
    let dp = path.key("distribution");
    let mut min_total = Decimal::ZERO;
    let mut max_total = Decimal::ZERO;
    for (i, q) in d.quotas.iter().enumerate() {
        let qp = dp.key("quotas").index(i);
        if pos(&q.grade).is_none() {
            c.err(
                &qp.key("grade"),
                format!("quota for unknown grade `{}`", q.grade),
                format!("use one of: {}", g.scale.join(", ")),
            );
        }
        for (key, share) in [("max", q.max), ("min", q.min)] {
            if let Some(sh) = share {
                if sh.get() < Decimal::ZERO || sh.get() > Decimal::ONE {
                    c.err(
                        &qp.key(key),
                        format!("quota share {sh} is not between 0 and 1"),
                        "write shares as fractions: 0.2 or \"20%\"",
                    );
                }
            }
        }
        if q.max.is_none() && q.min.is_none() {
            c.err(&qp, format!("quota for `{}` has neither `max` nor `min`", q.grade), "add max = 0.2 (at most 20 % get this grade) or min = 0.1 (at least 10 % get this grade or worse)");
        }
        min_total += q.min.map_or(Decimal::ZERO, Dec::get);
        max_total += q.max.map_or(Decimal::ZERO, Dec::get);
    }
    let _ = max_total;
    if min_total > Decimal::ONE {
        c.err(
            &dp.key("quotas"),
            format!(
                "minimum quotas add up to {}, more than the whole group",
                min_total.normalize()
            ),
            "lower the `min` shares so that they total at most 1",
        );
    }
    // A top quota and a bottom quota must leave room for each other.
    let top = d
        .quotas
        .iter()
        .filter_map(|q| q.max.map(|m| (pos(&q.grade), m.get())))
        .collect::<Vec<_>>();
    let worst_max = top.iter().filter_map(|(p, _)| *p).max();
    for (i, q) in d.quotas.iter().enumerate() {
        if let (Some(_), Some(pm), Some(wm)) = (q.min, pos(&q.grade), worst_max)
            && pm <= wm
            && pos(&q.grade) != Some(g.scale.len())
            && top.iter().any(|(p, _)| p.is_some_and(|p| p >= pm))
        {
            c.err(
                &dp.key("quotas").index(i),
                format!(
                    "quota `min` for `{}` overlaps a `max` quota on the same or a lower grade",
                    q.grade
                ),
                "put `max` quotas on the top grades and `min` quotas on the bottom ones",
            );
        }
    }
    for (i, key) in d.tie_break.iter().enumerate() {
        let ok = key == "total"
            || key
                .strip_prefix("kpi:")
                .is_some_and(|k| s.roles.values().any(|r| r.kpis.iter().any(|x| x.id == k)))
            || s.sources
                .values()
                .any(|src| src.rows == Rows::OnePerKey && src.columns.contains_key(key))
            || s.metrics.contains_key(key);
        if !ok {
            c.err(
                &dp.key("tie_break").index(i),
                format!("unknown tie-break key `{key}`"),
                "use `total`, `kpi:<kpi id>` or a metric name",
            );
        }
    }
}
