//! What the types cannot say: weights add up, bands tile the line, every
//! name resolves, formulas parse and have no cycles, quotas fit. Every check
//! runs and every problem is reported, each at its line and column.

mod grades;
mod kpis;
mod metrics;
mod period;
mod roles;
mod units;

use super::Compiled;
use super::locate::{KeyPath, Locator};
use super::scheme::Scheme;
use crate::error::Problem;
use crate::formula::{self, Expr};
use crate::lang::Text;
use std::collections::HashMap;

/// Names a KPI formula may read besides metrics.
pub const KPI_CONTEXT: [&str; 3] = ["actual", "target", "rate"];

struct Checker<'a> {
    loc: &'a Locator<'a>,
    problems: Vec<Problem>,
    /// Legal, but probably meant otherwise (issue 19).
    warnings: Vec<Problem>,
}

impl Checker<'_> {
    fn err(&mut self, path: &KeyPath, message: impl Into<Text>, help: impl Into<Text>) {
        self.problems
            .push(Problem::new(self.loc.find(path), message).help(help));
    }

    fn warn(&mut self, path: &KeyPath, message: impl Into<Text>, help: impl Into<Text>) {
        self.warnings
            .push(Problem::new(self.loc.find(path), message).help(help));
    }

    fn parse_formula(&mut self, path: &KeyPath, src: &str) -> Option<Expr> {
        match formula::parse(src) {
            Ok(e) => Some(e),
            Err(e) => {
                let (zh, en) = (&e.message.zh, &e.message.en);
                // A formula of thousands of characters is named by its start.
                let shown: String = src.chars().take(80).collect();
                let more = if shown.len() < src.len() { "…" } else { "" };
                self.problems.push(
                    Problem::new(
                        self.loc.find_inside(path, e.offset),
                        crate::t!("公式 `{shown}{more}`：{zh}", "formula `{shown}{more}`: {en}"),
                    )
                    .help(crate::lang::Text::new("公式可用 + - * / ( )、比较、and/or/not、min max clamp if abs round", "formulas use + - * / ( ) comparisons, and/or/not, min max clamp if abs round")),
                );
                None
            }
        }
    }
}

/// The compiled scheme and its warnings, or every problem found.
pub fn check(s: &Scheme, loc: &Locator) -> Result<(Compiled, Vec<Problem>), Vec<Problem>> {
    let mut c = Checker {
        loc,
        problems: Vec::new(),
        warnings: Vec::new(),
    };
    period::check_period(&mut c, &s.period);
    period::check_appeal_window(&mut c, s);
    period::check_rounding(&mut c, &s.rounding);
    let mut metrics = metrics::check_inputs(&mut c, s);
    super::reconcile_check::check(s, loc, &mut c.problems, &mut metrics);
    c.problems
        .extend(super::instruments_check::check(s, loc, &mut metrics));
    let metric_formulas = metrics::check_metrics(&mut c, s, &metrics);
    let mut compiled = Compiled {
        metric_formulas,
        ..Compiled::default()
    };
    for (id, role) in &s.roles {
        roles::check_role(&mut c, s, id, role, &metrics, &mut compiled);
    }
    roles::check_roles_cover(&mut c, s);
    grades::check_grades(&mut c, s);
    c.problems.extend(super::limits::check(&s.limits, loc));
    // A KPI shared by two roles is checked in both, at the same line.
    let (problems, warnings) = (once_each(c.problems), once_each(c.warnings));
    if problems.is_empty() {
        Ok((compiled, warnings))
    } else {
        Err(problems)
    }
}

/// The problems without repeats, in their order.
fn once_each(problems: Vec<Problem>) -> Vec<Problem> {
    let mut out: Vec<Problem> = Vec::with_capacity(problems.len());
    for p in problems {
        if !out.contains(&p) {
            out.push(p);
        }
    }
    out
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

fn names<'a>(it: impl Iterator<Item = &'a String>) -> Text {
    let v: Vec<&str> = it.map(String::as_str).collect();
    if v.is_empty() {
        Text::new("（一个也没有定义）", "(none defined)")
    } else {
        Text::same(v.join(", "))
    }
}

/// "use one of: …" the names, or that none is defined.
fn one_of<'a>(it: impl Iterator<Item = &'a String>) -> Text {
    let n = names(it);
    let (zh, en) = (&n.zh, &n.en);
    crate::t!("可选：{zh}", "use one of: {en}")
}

/// "did you mean" help for an unknown name.
fn suggest<'a>(name: &str, known: impl Iterator<Item = &'a String>) -> Text {
    let mut best: Option<(usize, &str)> = None;
    for k in known {
        let d = edit_distance(name, k);
        if d <= 3 && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, k));
        }
    }
    match best {
        Some((_, k)) => crate::t!("是不是 `{k}`？", "did you mean `{k}`?"),
        None => crate::lang::Text::new(
            "在 [metrics] 下定义它，或把它作为某个数据源的列",
            "define it under [metrics] or as a column of a source",
        ),
    }
}

/// "did you mean" the closest of `known`, else the list of them.
pub(crate) fn suggest_among<'a>(
    name: &str,
    known: impl Iterator<Item = &'a String> + Clone,
) -> Text {
    let close = known
        .clone()
        .map(|k| (edit_distance(name, k), k))
        .filter(|(d, _)| *d <= 3)
        .min();
    match close {
        Some((_, k)) => crate::t!("是不是 `{k}`？", "did you mean `{k}`?"),
        None => one_of(known),
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
