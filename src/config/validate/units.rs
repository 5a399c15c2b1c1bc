//! Issue 19: a number written in the wrong unit. A score (`cap`, `floor`, a
//! point's or a band's score, `pass`, `best`…) is a fraction of the weight,
//! and a rate (`on = "rate"` bounds, a percent KPI's target) a fraction of
//! the target: `cap = 120` is 120 times the weight, surely meant as 1.2 or
//! `"120%"`. Anything beyond ±10 is taken for a percentage and refused,
//! with the two ways to write it.
//!
//! Below that, a bare number that is legal but most likely a percentage
//! misread is a warning (`check` and `run` go on): a score above 2 (twice
//! the weight), a rate bound above 2 (200 %), a constant target above 1
//! (100 %) on a KPI in percent or on a growth rule. A value written as a
//! percentage string (`"300%"`) says what it means and is never warned of.

use super::Checker;
use crate::config::Dec;
use crate::config::locate::KeyPath;
use crate::config::rule::{Measure, Rule, Unit};
use crate::config::scheme::{Kpi, Target};
use rust_decimal::Decimal;

/// The largest score or rate taken at its word (10 = 1000 %).
const MOST: i64 = 10;

/// What a number is a fraction of, for the message.
#[derive(Clone, Copy)]
enum Of {
    Score,
    Rate,
}

pub(super) fn check_units(c: &mut Checker, k: &Kpi, kp: &KeyPath) {
    let rp = kp.key("rule");
    let mut seen: Vec<(KeyPath, String, Dec, Of)> = Vec::new();
    let mut score = |path: KeyPath, key: &str, v: Option<&Dec>| {
        if let Some(v) = v {
            seen.push((path, key.to_string(), *v, Of::Score));
        }
    };
    match &k.rule {
        Rule::Ratio { floor, cap }
        | Rule::Inverse { floor, cap, .. }
        | Rule::Formula { floor, cap, .. }
        | Rule::Growth { floor, cap, .. } => {
            score(rp.key("floor"), "floor", floor.as_ref());
            score(rp.key("cap"), "cap", cap.as_ref());
        }
        Rule::Gate { pass, fail } => {
            score(rp.key("pass"), "pass", Some(pass));
            score(rp.key("fail"), "fail", Some(fail));
        }
        Rule::Rank { best, worst, .. } => {
            score(rp.key("best"), "best", Some(best));
            score(rp.key("worst"), "worst", Some(worst));
        }
        Rule::Piecewise { points, .. } => {
            for (j, (_, y)) in points.iter().enumerate() {
                score(rp.key("points").index(j), "points", Some(y));
            }
        }
        Rule::Bands { bands, .. } => {
            for (j, b) in bands.iter().enumerate() {
                score(
                    rp.key("bands").index(j).key("score"),
                    "score",
                    Some(&b.score),
                );
            }
        }
        Rule::Matrix { table, .. } => {
            for (j, row) in table.iter().enumerate() {
                for v in row {
                    score(rp.key("table").index(j), "table", Some(v));
                }
            }
        }
        Rule::Monitor => {}
    }
    rate_bounds(k, &rp, &mut seen);
    warn_units(c, k, kp);
    if k.unit == Some(Unit::Percent)
        && let Some(Target::Value(v)) = &k.target
    {
        seen.push((kp.key("target"), "target".into(), *v, Of::Rate));
    }
    // One problem per key: a table of percentages is one mistake.
    let mut said: Vec<String> = Vec::new();
    for (path, key, v, of) in seen {
        if v.get().abs() <= Decimal::from(MOST) || said.contains(&key) {
            continue;
        }
        said.push(key.clone());
        wrong_unit(c, &path, &k.id, &key, v.get(), of);
    }
}

/// The x of a piecewise rule's points and the bounds of bands read the rate
/// when `on = "rate"` (the default).
fn rate_bounds(k: &Kpi, rp: &KeyPath, seen: &mut Vec<(KeyPath, String, Dec, Of)>) {
    match &k.rule {
        Rule::Piecewise {
            on: Measure::Rate,
            points,
            ..
        } => {
            for (j, (x, _)) in points.iter().enumerate() {
                seen.push((rp.key("points").index(j), "points".into(), *x, Of::Rate));
            }
        }
        Rule::Bands {
            on: Measure::Rate,
            bands,
        } => {
            for (j, b) in bands.iter().enumerate() {
                for (key, v) in [("from", b.from), ("to", b.to)] {
                    if let Some(v) = v {
                        seen.push((rp.key("bands").index(j).key(key), key.into(), v, Of::Rate));
                    }
                }
            }
        }
        Rule::Matrix {
            on: Measure::Rate,
            columns,
            ..
        } => {
            for v in columns {
                seen.push((rp.key("columns"), "columns".into(), *v, Of::Rate));
            }
        }
        _ => {}
    }
}

fn wrong_unit(c: &mut Checker, path: &KeyPath, id: &str, key: &str, v: Decimal, of: Of) {
    let fraction = (v / Decimal::ONE_HUNDRED).normalize();
    let times = (v * Decimal::ONE_HUNDRED).normalize();
    let v = v.normalize();
    let message = match of {
        Of::Score => crate::t!(
            "指标 `{id}`：{key} = {v} 是权重的 {v} 倍；得分按权重的比例写（1 = 满分）",
            "KPI `{id}`: {key} = {v} is {v} times the weight; a score is a fraction of the weight (1 = full weight)"
        ),
        Of::Rate => crate::t!(
            "指标 `{id}`：{key} = {v} 是 {times}% 的比率；比率按小数写（1 = 100%）",
            "KPI `{id}`: {key} = {v} is a rate of {times}%; a rate is a fraction (1 = 100%)"
        ),
    };
    c.err(
        path,
        message,
        crate::t!(
            "是否应为 {fraction} 或 \"{v}%\"？",
            "did you mean {fraction} or \"{v}%\"?"
        ),
    );
}

/// How a legal number may still be in the wrong unit.
#[derive(Clone, Copy, PartialEq)]
enum Doubt {
    /// A score: a fraction of the weight.
    Score,
    /// A completion rate a rule reads.
    Rate,
    /// A target of a KPI in percent.
    PercentTarget,
    /// A growth rule's target growth.
    Growth,
}

impl Doubt {
    /// Above this a bare number is warned of.
    fn above(self) -> Decimal {
        match self {
            Doubt::Score | Doubt::Rate => Decimal::TWO,
            Doubt::PercentTarget | Doubt::Growth => Decimal::ONE,
        }
    }
}

/// Every number of a KPI a unit can be doubted on, each at its own place.
fn doubtful(k: &Kpi, kp: &KeyPath) -> Vec<(KeyPath, &'static str, Decimal, Doubt)> {
    let rp = kp.key("rule");
    let mut out = Vec::new();
    let mut add = |path: KeyPath, key: &'static str, v: Option<&Dec>, d: Doubt| {
        if let Some(v) = v {
            out.push((path, key, v.get(), d));
        }
    };
    use Doubt::{Rate, Score};
    match &k.rule {
        Rule::Ratio { floor, cap }
        | Rule::Inverse { floor, cap, .. }
        | Rule::Formula { floor, cap, .. }
        | Rule::Growth { floor, cap, .. } => {
            add(rp.key("floor"), "floor", floor.as_ref(), Score);
            add(rp.key("cap"), "cap", cap.as_ref(), Score);
        }
        Rule::Gate { pass, fail } => {
            add(rp.key("pass"), "pass", Some(pass), Score);
            add(rp.key("fail"), "fail", Some(fail), Score);
        }
        Rule::Rank { best, worst, .. } => {
            add(rp.key("best"), "best", Some(best), Score);
            add(rp.key("worst"), "worst", Some(worst), Score);
        }
        Rule::Piecewise { on, points, .. } => {
            for (j, (x, y)) in points.iter().enumerate() {
                let pp = rp.key("points").index(j);
                if *on == Measure::Rate {
                    add(pp.index(0), "points", Some(x), Rate);
                }
                add(pp.index(1), "points", Some(y), Score);
            }
        }
        Rule::Bands { on, bands } => {
            for (j, b) in bands.iter().enumerate() {
                let bp = rp.key("bands").index(j);
                if *on == Measure::Rate {
                    add(bp.key("from"), "from", b.from.as_ref(), Rate);
                    add(bp.key("to"), "to", b.to.as_ref(), Rate);
                }
                add(bp.key("score"), "score", Some(&b.score), Score);
            }
        }
        Rule::Matrix {
            on, columns, table, ..
        } => {
            if *on == Measure::Rate {
                for (j, v) in columns.iter().enumerate() {
                    add(rp.key("columns").index(j), "columns", Some(v), Rate);
                }
            }
            for (j, row) in table.iter().enumerate() {
                for (i, v) in row.iter().enumerate() {
                    add(rp.key("table").index(j).index(i), "table", Some(v), Score);
                }
            }
        }
        Rule::Monitor => {}
    }
    if let Some(Target::Value(v)) = &k.target {
        if matches!(k.rule, Rule::Growth { .. }) {
            add(kp.key("target"), "target", Some(v), Doubt::Growth);
        } else if k.unit == Some(Unit::Percent) {
            add(kp.key("target"), "target", Some(v), Doubt::PercentTarget);
        }
    }
    out
}

/// Warn of bare numbers that are legal but most likely meant as percentages.
fn warn_units(c: &mut Checker, k: &Kpi, kp: &KeyPath) {
    let mut said: Vec<&str> = Vec::new();
    for (path, key, v, doubt) in doubtful(k, kp) {
        let most = Decimal::from(MOST);
        if v.abs() <= doubt.above() || v.abs() > most || said.contains(&key) {
            continue;
        }
        // `"300%"` says what it means.
        if c.loc.raw(&path).is_some_and(|t| t.contains('%')) {
            continue;
        }
        said.push(key);
        let id = &k.id;
        let pct = (v * Decimal::ONE_HUNDRED).normalize();
        let small = (v / Decimal::ONE_HUNDRED).normalize();
        let v = v.normalize();
        let message = match doubt {
            Doubt::Score => crate::t!(
                "指标 `{id}`：{key} = {v} 即权重的 {pct}%（{v} 倍）",
                "KPI `{id}`: {key} = {v} is {pct}% of the weight ({v} times it)"
            ),
            Doubt::Rate => crate::t!(
                "指标 `{id}`：{key} = {v} 即完成率 {pct}%",
                "KPI `{id}`: {key} = {v} is a completion rate of {pct}%"
            ),
            Doubt::PercentTarget => crate::t!(
                "指标 `{id}` 以百分比计，target = {v} 即 {pct}%",
                "KPI `{id}` is in percent, and target = {v} is {pct}%"
            ),
            Doubt::Growth => crate::t!(
                "指标 `{id}`：target = {v} 即增长 {pct}%",
                "KPI `{id}`: target = {v} is growth of {pct}%"
            ),
        };
        let help = match doubt {
            Doubt::Score => crate::t!(
                "得分按权重的比例写（1 = 满分，1.2 = 120%）；若确是 {pct}%，写成 \"{pct}%\" 即不再提示",
                "a score is a fraction of the weight (1 = full weight, 1.2 = 120%); if {pct}% is meant, write \"{pct}%\" to say so"
            ),
            _ => crate::t!(
                "是否应为 {small} 或 \"{v}%\"？若确是 {pct}%，写成 \"{pct}%\" 即不再提示",
                "did you mean {small} or \"{v}%\"? if {pct}% is meant, write \"{pct}%\" to say so"
            ),
        };
        c.warn(&path, message, help);
    }
}
