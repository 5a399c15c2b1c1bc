//! What a KPI's numbers measure, for showing them in their own terms: a
//! rate as a percentage, a count or an amount as a number (issue 16).
//!
//! A KPI may say it (`unit = "percent" | "count" | "number"`); otherwise
//! it is inferred from the rule, in this order (docs/scoring.md §1, "How
//! numbers are shown"):
//! 1. `bands` / `piecewise` / `matrix` on `value`: their bounds are in the
//!    actual's unit, so bounds all within ±2 with one of them a fraction
//!    (0.8, 0.95) make a percentage; whole bounds (80, 3) a number.
//! 2. a constant target between 0 and 1 (0.05, 0.9) is a rate, and so is
//!    a target of exactly 1 for a rule that reads the completion rate
//!    (`ratio`, `inverse`, and `piecewise` / `bands` / `matrix` on `rate`);
//!    `gate` with a target of 1 reads a count ("at least one").
//! 3. anything else is a number (amounts, scores, a target read from a
//!    metric).
//!
//! A `growth` KPI's actual and base are in the KPI's unit; its target is a
//! growth rate and always a percentage. A completion rate (`on = "rate"`)
//! and the 达成度 are always percentages.

use crate::config::rule::{Measure, Rule, Unit};
use crate::config::{Dec, Kpi, Target};
use rust_decimal::Decimal;

/// The unit of a KPI's actual (and, but for `growth`, its target).
pub fn of(k: &Kpi) -> Unit {
    if let Some(u) = k.unit {
        return u;
    }
    match &k.rule {
        Rule::Bands {
            on: Measure::Value,
            bands,
        } => from_bounds(bands.iter().flat_map(|b| [b.from, b.to]).flatten()),
        Rule::Piecewise {
            on: Measure::Value,
            points,
            ..
        } => from_bounds(points.iter().map(|p| p.0)),
        Rule::Matrix {
            on: Measure::Value,
            columns,
            ..
        } => from_bounds(columns.iter().copied()),
        Rule::Growth { .. } => Unit::Number,
        rule => match &k.target {
            Some(Target::Value(t)) => from_target(t.get(), rule),
            _ => Unit::Number,
        },
    }
}

/// The unit of a KPI's target: a growth rule's target is a growth rate.
pub fn of_target(k: &Kpi) -> Unit {
    match k.rule {
        Rule::Growth { .. } => Unit::Percent,
        _ => of(k),
    }
}

/// The unit of bounds on `on`: a completion rate's are percentages, a
/// value's are in the KPI's unit.
pub fn of_measure(k: &Kpi, on: Measure) -> Unit {
    match on {
        Measure::Rate => Unit::Percent,
        Measure::Value => of(k),
    }
}

/// Bounds of another metric (a matrix's rows): inferred like the KPI's own.
pub fn of_bounds(bounds: &[Dec]) -> Unit {
    from_bounds(bounds.iter().copied())
}

fn from_bounds(bounds: impl Iterator<Item = Dec>) -> Unit {
    let v: Vec<Decimal> = bounds.map(Dec::get).collect();
    let small = v.iter().all(|x| x.abs() <= Decimal::TWO);
    let fraction = v.iter().any(|x| !x.fract().is_zero());
    if !v.is_empty() && small && fraction {
        Unit::Percent
    } else {
        Unit::Number
    }
}

fn from_target(t: Decimal, rule: &Rule) -> Unit {
    let reads_rate = match rule {
        Rule::Ratio { .. } | Rule::Inverse { .. } => true,
        Rule::Piecewise { on, .. } | Rule::Bands { on, .. } | Rule::Matrix { on, .. } => {
            *on == Measure::Rate
        }
        _ => false,
    };
    if (t > Decimal::ZERO && t < Decimal::ONE) || (t == Decimal::ONE && reads_rate) {
        Unit::Percent
    } else {
        Unit::Number
    }
}

/// The Excel number format of a value in `u`: `0.00%`, `0` or `General`.
pub fn excel_format(u: Unit) -> &'static str {
    match u {
        Unit::Percent => "0.00%",
        Unit::Count => "0",
        Unit::Number => "General",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kpi(extra: &str) -> Kpi {
        toml::from_str(&format!(
            "id = \"k\"\nname = \"k\"\nweight = 10\nmetric = \"m\"\n{extra}\n"
        ))
        .unwrap_or_else(|e| panic!("{extra}: {e}"))
    }

    #[test]
    fn units_follow_what_the_rule_measures() {
        // issue 16: a count of products launched was shown as 200 %.
        let launched = kpi(
            "rule = { type = \"piecewise\", on = \"value\", points = [[1, 0.6], [2, 1], [3, 1.2]] }",
        );
        assert_eq!(of(&launched), Unit::Number);
        let rate_bands = kpi(
            "rule = { type = \"bands\", on = \"value\", bands = [{ to = 0.8, score = 0.5 }, { from = 0.8, score = 1 }] }",
        );
        assert_eq!(of(&rate_bands), Unit::Percent);
        let churn = kpi("target = \"0.05\"\nrule = { type = \"inverse\", mode = \"two_minus\" }");
        assert_eq!(of(&churn), Unit::Percent);
        let visits = kpi("target = 1\nrule = { type = \"ratio\" }");
        assert_eq!(of(&visits), Unit::Percent);
        let one_launch = kpi("target = 1\nrule = { type = \"gate\" }");
        assert_eq!(of(&one_launch), Unit::Number);
        let signed = kpi("target = 60\nrule = { type = \"ratio\" }");
        assert_eq!(of(&signed), Unit::Number);
        let growth = kpi(
            "target = \"0.05\"\nrule = { type = \"growth\", base = \"b\", base_nonpositive = 1 }",
        );
        assert_eq!(
            (of(&growth), of_target(&growth)),
            (Unit::Number, Unit::Percent)
        );
        let declared = kpi("target = 1\nunit = \"count\"\nrule = { type = \"ratio\" }");
        assert_eq!(of(&declared), Unit::Count);
    }
}
