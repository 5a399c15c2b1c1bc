//! Issue 19: a number written in the wrong unit. A score (`cap`, `floor`, a
//! point's or a band's score, `pass`, `best`…) is a fraction of the weight,
//! and a rate (`on = "rate"` bounds, a percent KPI's target) a fraction of
//! the target: `cap = 120` is 120 times the weight, surely meant as 1.2 or
//! `"120%"`. Anything beyond ±10 is taken for a percentage and refused,
//! with the two ways to write it.

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
