//! One KPI for one person: read the actual and the target, apply the rule,
//! round at the scheme's stages, and keep every intermediate number so the
//! score can be explained from the same values it was computed from.

use super::round::{Stages, div, quot};
use super::rules::{self, Clamp, Segment};
use crate::config::rule::{Measure, Rule};
use crate::config::{Dec, Kpi, Missing, Target};
use rust_decimal::Decimal;

/// What the missing-value policy did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Scored,
    /// Actual (or target) missing, scored zero by policy.
    MissingZero,
    /// Actual (or target) missing, left out; the other weights were scaled.
    Excluded,
    /// Monitor-only: shown, not counted.
    Monitor,
}

/// What the rule did, for the explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detail {
    None,
    Clamped(Clamp),
    InverseZero,
    /// Boxed: a segment is four numbers, and rare.
    Piecewise {
        x: Decimal,
        segment: Box<Segment>,
    },
    Band {
        x: Decimal,
        index: Option<usize>,
    },
    Matrix {
        x: Decimal,
        y: Decimal,
        row: u32,
        col: u32,
    },
    Gate {
        pass: bool,
    },
    Rank {
        rank: super::rank::Rank,
    },
    Growth {
        base: Decimal,
        growth: Option<Decimal>,
        clamp: Clamp,
    },
    Formula {
        value: Decimal,
        clamp: Clamp,
    },
    /// A formula rule lacked this input (a metric with no value, or a KPI
    /// left out for missing data): the KPI's own `missing` policy decided.
    MissingInput(Box<str>),
}

/// One KPI's result for one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KpiScore {
    /// Index of the KPI in its role.
    pub kpi: usize,
    /// Where these came from is looked up again when it is shown
    /// ([`super::Outcome::sources`]), not kept here for every KPI of every
    /// person.
    pub actual: Option<Decimal>,
    pub target: Option<Decimal>,
    /// Completion rate (after the rate rounding stage), where the rule has one.
    pub rate: Option<Decimal>,
    /// Completion rate before rounding.
    pub rate_exact: Option<Decimal>,
    /// Score as a fraction of the weight, before the score rounding stage.
    pub score_exact: Decimal,
    /// Score as a fraction of the weight, rounded.
    pub score: Decimal,
    pub weight: Decimal,
    /// Weight after re-weighting for excluded KPIs.
    pub effective_weight: Decimal,
    pub weighted: Decimal,
    pub status: Status,
    pub detail: Detail,
    /// Set when a section veto voided this KPI.
    pub voided: bool,
}

/// The values one KPI is scored from (actual, target, rank, …): what
/// `evaluate` needs besides the KPI.
pub struct KpiValues<'a> {
    pub actual: Option<Decimal>,
    /// A target read from a metric (a constant target is the KPI's own).
    pub target: Option<Decimal>,
    /// The matrix rule's row value, the growth rule's base.
    pub second: Option<Decimal>,
    /// The rank rule's place in its group.
    pub rank: Option<super::rank::Rank>,
    /// A formula rule's value (already evaluated).
    pub formula: Option<Decimal>,
    /// The input a formula rule lacked, when it has no value.
    pub formula_missing: Option<Box<str>>,
    pub stages: Stages<'a>,
}

/// Why a KPI could not be scored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// A value is missing and the policy is `error`.
    Missing(&'static str),
    /// A formula rule's input has no value and the policy is `error`.
    MissingInput(Box<str>),
    /// The target is zero where the rule divides by it.
    ZeroTarget,
}

/// Score one KPI.
pub fn evaluate(i: usize, k: &Kpi, inp: KpiValues) -> Result<KpiScore, Failure> {
    let weight = k.weight.get();
    let actual = inp.actual;
    let target = match &k.target {
        Some(Target::Value(v)) => Some(v.get()),
        _ => inp.target,
    };
    let mut out = KpiScore::unscored(i, actual, target, weight);
    let is_formula = matches!(k.rule, Rule::Formula { .. });
    let missing = missing_input(k, actual, target, &inp);
    if matches!(k.rule, Rule::Monitor) {
        out.status = Status::Monitor;
        show_rate(&mut out, actual, target, inp.stages);
        return Ok(out);
    }
    if let Some(what) = missing {
        let lacked = (is_formula && inp.formula.is_none())
            .then(|| inp.formula_missing.clone())
            .flatten();
        return by_missing_policy(k, what, lacked, out);
    }
    let a = actual.unwrap_or_default();
    let rate = |out: &mut KpiScore| -> Result<Decimal, Failure> {
        let t = target.unwrap_or_default();
        if t.is_zero() {
            return Err(Failure::ZeroTarget);
        }
        let exact = div(a, t).ok_or(Failure::ZeroTarget)?;
        out.rate_exact = Some(exact);
        let r = inp.stages.rate(exact);
        out.rate = Some(r);
        Ok(r)
    };
    let measure = |on: Measure, out: &mut KpiScore| -> Result<Decimal, Failure> {
        match on {
            Measure::Rate => rate(out),
            Measure::Value => Ok(a),
        }
    };
    let (score, detail) = match &k.rule {
        Rule::Ratio { floor, cap } => {
            let r = rate(&mut out)?;
            let (s, c) = rules::ratio(r, *floor, *cap);
            (s, Detail::Clamped(c))
        }
        Rule::Inverse {
            mode,
            floor,
            cap,
            zero_actual,
        } => inverse_score(
            a,
            target,
            *mode,
            *floor,
            *cap,
            *zero_actual,
            inp.stages,
            &mut out,
        )?,
        Rule::Piecewise { on, points, below } => {
            let x = measure(*on, &mut out)?;
            let (s, segment) = rules::piecewise(x, points, *below);
            let segment = Box::new(segment);
            (s, Detail::Piecewise { x, segment })
        }
        Rule::Bands { on, bands } => {
            let x = measure(*on, &mut out)?;
            let (s, index) = rules::bands(x, bands);
            (s, Detail::Band { x, index })
        }
        Rule::Matrix {
            on,
            columns,
            rows,
            table,
            ..
        } => {
            let x = measure(*on, &mut out)?;
            let y = inp.second.unwrap_or_default();
            let (s, row, col) = rules::matrix(x, y, columns, rows, table);
            let (row, col) = (row as u32, col as u32);
            (s, Detail::Matrix { x, y, row, col })
        }
        Rule::Gate { pass, fail } => {
            show_rate(&mut out, Some(a), target, inp.stages);
            let (s, p) = rules::gate(a, target.unwrap_or_default(), *pass, *fail);
            (s, Detail::Gate { pass: p })
        }
        Rule::Rank { best, worst, .. } => {
            let rank = inp.rank.unwrap_or_default();
            let s = rules::rank_score(rank.rank, rank.of, best.get(), worst.get());
            (s, Detail::Rank { rank })
        }
        Rule::Growth {
            floor,
            cap,
            base_nonpositive,
            ..
        } => growth_score(
            a,
            inp.second.unwrap_or_default(),
            target,
            *floor,
            *cap,
            base_nonpositive.get(),
            inp.stages,
            &mut out,
        )?,
        Rule::Formula { floor, cap, .. } => {
            let v = inp.formula.unwrap_or_default();
            let (s, c) = rules::clamp(v, *floor, *cap);
            (s, Detail::Formula { value: v, clamp: c })
        }
        Rule::Monitor => (Decimal::ZERO, Detail::None),
    };
    out.score_exact = score;
    out.score = inp.stages.score(score);
    out.detail = detail;
    Ok(out)
}

/// Shows the actual's rate of the target (exact and rounded) where there
/// is a target other than zero.
fn show_rate(out: &mut KpiScore, actual: Option<Decimal>, target: Option<Decimal>, stages: Stages) {
    if let (Some(a), Some(t)) = (actual, target)
        && !t.is_zero()
    {
        out.rate_exact = Some(quot(a, t));
        out.rate = Some(stages.rate(quot(a, t)));
    }
}

/// An inverse KPI's score (lower is better): its rate of the target is
/// shown; the score comes from `rules::inverse`.
#[allow(clippy::too_many_arguments)]
fn inverse_score(
    a: Decimal,
    target: Option<Decimal>,
    mode: crate::config::rule::InverseMode,
    floor: Option<Dec>,
    cap: Option<Dec>,
    zero_actual: Option<Dec>,
    stages: Stages,
    out: &mut KpiScore,
) -> Result<(Decimal, Detail), Failure> {
    let t = target.unwrap_or_default();
    if t.is_zero() {
        return Err(Failure::ZeroTarget);
    }
    let exact = quot(a, t);
    out.rate_exact = Some(exact);
    out.rate = Some(stages.rate(exact));
    Ok(match rules::inverse(a, t, mode, floor, cap, zero_actual) {
        Some((s, _)) if a.is_zero() && mode == crate::config::rule::InverseMode::Ratio => {
            (s, Detail::InverseZero)
        }
        Some((s, c)) => (s, Detail::Clamped(c)),
        None => return Err(Failure::ZeroTarget),
    })
}

/// A growth KPI's score: the growth over the base, as a rate of the target
/// clamped like a ratio; `base_nonpositive` when the base is zero or below.
#[allow(clippy::too_many_arguments)]
fn growth_score(
    a: Decimal,
    base: Decimal,
    target: Option<Decimal>,
    floor: Option<Dec>,
    cap: Option<Dec>,
    base_nonpositive: Decimal,
    stages: Stages,
    out: &mut KpiScore,
) -> Result<(Decimal, Detail), Failure> {
    Ok(match rules::growth(a, base) {
        None => (
            base_nonpositive,
            Detail::Growth {
                base,
                growth: None,
                clamp: Clamp::None,
            },
        ),
        Some(g) => {
            let t = target.unwrap_or_default();
            if t.is_zero() {
                return Err(Failure::ZeroTarget);
            }
            let g_t = rules::growth_rate(a, base, t).unwrap_or_else(|| quot(g, t));
            out.rate_exact = Some(g_t);
            let r = stages.rate(g_t);
            out.rate = Some(r);
            let (s, c) = rules::ratio(r, floor, cap);
            (
                s,
                Detail::Growth {
                    base,
                    growth: Some(g),
                    clamp: c,
                },
            )
        }
    })
}

/// The input a KPI lacks, if any, named for its `missing` policy.
fn missing_input(
    k: &Kpi,
    actual: Option<Decimal>,
    target: Option<Decimal>,
    inp: &KpiValues,
) -> Option<&'static str> {
    let is_formula = matches!(k.rule, Rule::Formula { .. });
    if !is_formula && actual.is_none() {
        Some("actual")
    } else if k.target.is_some() && target.is_none() {
        Some("target")
    } else if matches!(k.rule, Rule::Matrix { .. } | Rule::Growth { .. }) && inp.second.is_none() {
        Some(if matches!(k.rule, Rule::Matrix { .. }) {
            "matrix row value"
        } else {
            "base value"
        })
    } else if is_formula && inp.formula.is_none() {
        Some("formula value")
    } else {
        None
    }
}

impl KpiScore {
    /// A KPI's result before it is scored: its inputs and weight, a score
    /// of 0, status `Scored`.
    fn unscored(
        i: usize,
        actual: Option<Decimal>,
        target: Option<Decimal>,
        weight: Decimal,
    ) -> KpiScore {
        KpiScore {
            kpi: i,
            actual,
            target,
            rate: None,
            rate_exact: None,
            score_exact: Decimal::ZERO,
            score: Decimal::ZERO,
            weight,
            effective_weight: weight,
            weighted: Decimal::ZERO,
            status: Status::Scored,
            detail: Detail::None,
            voided: false,
        }
    }
}

/// A KPI that lacks an input (`what`; `lacked`, the formula's missing
/// name) under its `missing` policy: an error, a score of 0, or left out.
fn by_missing_policy(
    k: &Kpi,
    what: &'static str,
    lacked: Option<Box<str>>,
    mut out: KpiScore,
) -> Result<KpiScore, Failure> {
    if let Some(n) = &lacked {
        out.detail = Detail::MissingInput(n.clone());
    }
    match k.missing {
        Missing::Error => Err(match lacked {
            Some(n) => Failure::MissingInput(n),
            None => Failure::Missing(what),
        }),
        Missing::Zero => {
            out.status = Status::MissingZero;
            Ok(out)
        }
        Missing::Exclude => {
            out.status = Status::Excluded;
            out.effective_weight = Decimal::ZERO;
            Ok(out)
        }
    }
}

/// Scale weights when KPIs are excluded, then weigh every score.
pub fn weigh(scores: &mut [KpiScore], stages: Stages) {
    let counted = |s: &KpiScore| !matches!(s.status, Status::Monitor);
    let all: Decimal = scores.iter().filter(|s| counted(s)).map(|s| s.weight).sum();
    let kept: Decimal = scores
        .iter()
        .filter(|s| counted(s) && s.status != Status::Excluded)
        .map(|s| s.weight)
        .sum();
    for s in scores.iter_mut() {
        if !counted(s) || s.status == Status::Excluded {
            s.effective_weight = Decimal::ZERO;
            s.weighted = Decimal::ZERO;
            continue;
        }
        s.effective_weight = if kept.is_zero() || kept == all {
            s.weight
        } else {
            quot(s.weight * all, kept)
        };
        s.weighted = if s.voided {
            Decimal::ZERO
        } else {
            stages.weighted(s.effective_weight * s.score)
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kpi_score_is_small() {
        // About 17 per person, all held until the reports are written.
        assert!(std::mem::size_of::<Detail>() <= 48);
        assert!(std::mem::size_of::<KpiScore>() <= 288);
    }
}
