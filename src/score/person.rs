//! Scoring one person: the values of their metrics ([`MetricValues`]), the places of
//! rank-rule KPIs over their group, and every KPI, adjustment, veto and the
//! total for one employee.

use super::outcome::KpiBrief;
use super::outcome::{AdjustmentScore, Details, PersonOutcome, TeamPart, VetoHit};
use super::problems::{eval_problem, failure_problem};
use super::round::Stages;
use super::values::{MetricValues, RankTable};
use super::{KpiScore, Rank, Status, kpi, rank, round, team};
use crate::config::rule::{RankGroup, Rule};
use crate::config::{Config, Role, Target, VetoEffect};
use crate::error::Problem;
use crate::formula::EvalError;
use crate::ingest::Employee;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};

pub(super) fn group_key(e: &Employee, g: RankGroup) -> &str {
    match g {
        RankGroup::Team => &e.team,
        RankGroup::Department => &e.department,
        RankGroup::Company => "",
    }
}

pub(super) fn rank_kpis(config: &Config, env: &MetricValues) -> RankTable {
    let mut out = RankTable::new();
    for (role_id, role) in &config.scheme.roles {
        for (i, k) in role.kpis.iter().enumerate() {
            let Rule::Rank {
                group,
                direction,
                ties,
                ..
            } = &k.rule
            else {
                continue;
            };
            let Some(metric) = &k.metric else { continue };
            let mut groups: BTreeMap<&str, Vec<(&str, usize, Decimal)>> = BTreeMap::new();
            for (emp, e) in env.data.employees.iter().enumerate() {
                if e.role != *role_id {
                    continue;
                }
                if let Some(v) = env.value(metric, emp) {
                    groups
                        .entry(group_key(e, *group))
                        .or_default()
                        .push((&e.id, emp, v));
                }
            }
            let table = out.entry((role_id.clone(), i)).or_default();
            for members in groups.values() {
                let items: Vec<(&str, Decimal)> =
                    members.iter().map(|(id, _, v)| (*id, *v)).collect();
                for ((_, emp, _), r) in members.iter().zip(rank::rank(&items, *direction, *ties)) {
                    table.insert(*emp, r);
                }
            }
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
pub(super) fn score_person(
    config: &Config,
    role_id: &str,
    role: &Role,
    emp: usize,
    env: &MetricValues,
    ranks: &RankTable,
    team_avg: Option<&HashMap<String, team::TeamResult>>,
    stages: Stages,
) -> std::result::Result<(PersonOutcome, Details), Vec<Problem>> {
    let who = &env.data.employees[emp];
    let mut kpis = score_kpis(config, role_id, role, emp, env, ranks, stages)?;
    let mut problems = Vec::new();

    // Vetoes that void a section act before the weighing.
    let vetoes = veto_hits(config, role_id, role, emp, env, &mut kpis, &mut problems);
    kpi::weigh(&mut kpis, stages);

    // Adjustments: items capped, then sections capped.
    let (adjustments, section_totals) = score_adjustments(role, env, emp);
    let adjustment_total: Decimal = section_totals.iter().sum();
    let weighted: Decimal = kpis.iter().map(|k| k.weighted).sum();
    let mut own_total = weighted + adjustment_total;
    let total_zero = vetoes.iter().any(|h| h.effect == VetoEffect::TotalZero);
    if total_zero {
        own_total = Decimal::ZERO;
    }
    let team = match (&role.team_blend, team_avg) {
        (Some(tb), Some(avgs)) => {
            let r = avgs.get(&who.team);
            Some(Box::new(TeamPart {
                own_share: tb.own.get(),
                team_share: tb.team.get(),
                team_average: r.map_or(own_total, |r| r.value),
                members: r.map_or(0, |r| r.members),
                kpis: r.map(|r| r.kpis.clone()).unwrap_or_default(),
            }))
        }
        _ => None,
    };
    let blended = match &team {
        Some(t) if t.members > 0 => t.own_share * own_total + t.team_share * t.team_average,
        _ => own_total,
    };
    // `total_zero` sets the final total to 0, after the team blend: a team
    // leader's team part does not survive it (issue 15).
    let total = if total_zero {
        Decimal::ZERO
    } else {
        stages.total(blended)
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    let details = Details { kpis, adjustments };
    let scored = PersonOutcome {
        emp,
        scores: details.kpis.iter().map(KpiBrief::of).collect(),
        section_totals,
        adjustment_total,
        adjustment_items: u32::try_from(details.moved()).unwrap_or(u32::MAX),
        vetoes,
        own_total,
        team,
        total,
        grade: 0,
        grade_by_cutoff: 0,
        grade_notes: Vec::new(),
        calibration_group: String::new(),
        team_rank: Rank::default(),
        company_rank: Rank::default(),
    };
    Ok((scored, details))
}

/// Each KPI's score for one person, in the scheme's order (a formula KPI
/// after the KPIs it reads), or every problem met while scoring them.
fn score_kpis(
    config: &Config,
    role_id: &str,
    role: &Role,
    emp: usize,
    env: &MetricValues,
    ranks: &RankTable,
    stages: Stages,
) -> std::result::Result<Vec<KpiScore>, Vec<Problem>> {
    let who = &env.data.employees[emp];
    let mut problems = Vec::new();
    let order = config
        .compiled
        .kpi_order
        .get(role_id)
        .cloned()
        .unwrap_or_default();
    let formulas = config.compiled.kpi_formulas.get(role_id);
    let mut slots: Vec<Option<KpiScore>> = vec![None; role.kpis.len()];
    for i in order {
        let k = &role.kpis[i];
        let actual = k.metric.as_ref().and_then(|m| env.value(m, emp));
        let target = match &k.target {
            Some(Target::Metric { metric }) => env.value(metric, emp),
            _ => None,
        };
        let second = match &k.rule {
            Rule::Matrix { row_metric, .. } => env.value(row_metric, emp),
            Rule::Growth { base, .. } => env.value(base, emp),
            _ => None,
        };
        let mut formula_missing = None;
        let formula = match (formulas.and_then(|f| f.get(&i)), &k.rule) {
            (Some(expr), Rule::Formula { expr: text, .. }) => {
                let t = match &k.target {
                    Some(Target::Value(v)) => Some(v.get()),
                    _ => target,
                };
                let a = actual;
                let lookup = |name: &str| -> Option<Decimal> {
                    match name {
                        "actual" => a,
                        "target" => t,
                        "rate" => match (a, t) {
                            (Some(a), Some(t)) if !t.is_zero() => {
                                Some(stages.rate(round::quot(a, t)))
                            }
                            _ => None,
                        },
                        // A KPI left out for missing data has no score:
                        // the formula lacks an input, as with a missing
                        // metric, and its own `missing` policy decides
                        // (issue 15; it read 0).
                        n => match n.strip_prefix("kpi.") {
                            Some(kid) => role
                                .kpis
                                .iter()
                                .position(|o| o.id == kid)
                                .and_then(|j| slots[j].as_ref())
                                .filter(|s| s.status != Status::Excluded)
                                .map(|s| s.score),
                            None => env.value(n, emp),
                        },
                    }
                };
                match expr.eval(&lookup) {
                    Ok(v) => Some(v),
                    Err(EvalError::Missing(n)) => {
                        formula_missing = Some(n.into_boxed_str());
                        None
                    }
                    Err(e) => {
                        problems.push(eval_problem(who, &format!("KPI `{}`", k.id), text, &e));
                        continue;
                    }
                }
            }
            _ => None,
        };
        let inputs = kpi::KpiValues {
            actual,
            target,
            second,
            rank: ranks
                .get(&(role_id.to_string(), i))
                .and_then(|t| t.get(&emp))
                .copied(),
            formula,
            formula_missing,
            stages,
        };
        match kpi::evaluate(i, k, inputs) {
            Ok(s) => slots[i] = Some(s),
            Err(f) => problems.push(failure_problem(config, who, k, f, env, emp)),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut kpis: Vec<KpiScore> = Vec::with_capacity(slots.iter().flatten().count());
    kpis.extend(slots.into_iter().flatten());
    Ok(kpis)
}

/// The vetoes whose condition holds for one person; a veto that voids a
/// section marks that section's KPIs `voided` in `kpis`. A condition that
/// cannot be evaluated is a problem.
fn veto_hits(
    config: &Config,
    role_id: &str,
    role: &Role,
    emp: usize,
    env: &MetricValues,
    kpis: &mut [KpiScore],
    problems: &mut Vec<Problem>,
) -> Vec<VetoHit> {
    let who = &env.data.employees[emp];
    let conditions = config.compiled.veto_conditions.get(role_id);
    let mut vetoes = Vec::new();
    for (v, veto) in role.vetoes.iter().enumerate() {
        let Some(cond) = conditions.and_then(|c| c.get(v)) else {
            continue;
        };
        // As in a formula KPI, a KPI left out for missing data has no
        // score: a condition reading it does not fire.
        let lookup = |name: &str| match name.strip_prefix("kpi.") {
            Some(kid) => role
                .kpis
                .iter()
                .position(|o| o.id == kid)
                .and_then(|j| kpis.get(j))
                .filter(|s| s.status != Status::Excluded)
                .map(|s| s.score),
            None => env.value(name, emp),
        };
        match cond.eval(&lookup) {
            Ok(x) if !x.is_zero() => vetoes.push(VetoHit {
                veto: v,
                effect: veto.effect,
            }),
            Ok(_) | Err(EvalError::Missing(_)) => {}
            Err(e) => problems.push(eval_problem(
                who,
                &format!("veto `{}`", veto.id),
                &veto.when,
                &e,
            )),
        }
    }
    for hit in &vetoes {
        if hit.effect == VetoEffect::SectionZero {
            let section = role.vetoes[hit.veto].section.as_deref();
            for s in kpis.iter_mut() {
                if role.kpis[s.kpi].section.as_deref() == section {
                    s.voided = true;
                }
            }
        }
    }
    vetoes
}

/// One person's adjustment items (each capped) and section totals (each
/// capped).
fn score_adjustments(
    role: &Role,
    env: &MetricValues,
    emp: usize,
) -> (Vec<AdjustmentScore>, Vec<Decimal>) {
    // Adjustments: items capped, then sections capped.
    let mut adjustments = Vec::new();
    let mut section_totals = Vec::new();
    for (si, sec) in role.adjustments.iter().enumerate() {
        let mut sum = Decimal::ZERO;
        for (ii, item) in sec.items.iter().enumerate() {
            let (count, src) = match env.metric(&item.metric, emp) {
                Some((v, s)) => (v, Some(s)),
                None => (Decimal::ZERO, None),
            };
            let raw = count * item.points.get();
            let points = cap_both_ways(raw, item.cap.map(|c| c.get()));
            sum += points;
            adjustments.push(AdjustmentScore {
                section: si,
                item: ii,
                count,
                src,
                raw,
                points,
            });
        }
        section_totals.push(cap_both_ways(sum, sec.cap.map(|c| c.get())));
    }
    (adjustments, section_totals)
}

pub(super) fn cap_both_ways(x: Decimal, cap: Option<Decimal>) -> Decimal {
    match cap {
        Some(c) => x.max(-c).min(c),
        None => x,
    }
}
