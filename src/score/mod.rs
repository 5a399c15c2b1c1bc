//! Scoring: pure functions from the scheme and the loaded data to every
//! person's KPI scores, adjustments, vetoes, total, grade and ranks. No files,
//! no clock; employees are scored in parallel and the result does not depend
//! on the order of the input rows.

mod details;
pub mod grade;
pub mod grade_note;
pub mod kpi;
mod outcome;
mod person;
mod problems;
pub mod rank;
pub mod round;
pub mod rules;
pub mod team;
mod values;
pub mod weakspot;

pub use grade_note::GradeNote;
pub use kpi::{Detail, KpiScore, Status};
pub use outcome::{AdjustmentScore, Details, KpiBrief, Outcome, PersonOutcome, TeamPart, VetoHit};
pub use rank::Rank;

use crate::config::{Config, GroupBy, Role, VetoEffect};
use crate::error::{Error, Problem, Result};
use crate::formula::EvalError;
use crate::ingest::Dataset;
use outcome::RanksAndTeams;
use person::{rank_kpis, score_person};
use problems::{eval_problem, formula_text, overflow_problem};
use rayon::prelude::*;
use round::Stages;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};
use values::MetricValues;

/// Score everyone. With a weak-spot metric configured, a second pass scores
/// again with each person's number of weak spots known to the adjustments.
/// The outcome keeps each KPI's score, not its whole result:
/// [`Outcome::details`] scores a person again where the results are written.
pub fn run(config: &Config, data: &Dataset) -> Result<Outcome> {
    let Some(ws) = &config.scheme.instruments.weak_spots else {
        return run_pass(config, data, HashMap::new());
    };
    let first = run_pass(config, data, HashMap::new())?;
    let spots = weakspot::compare_with(ws, config, data, &first);
    let mut outcome = match &ws.metric {
        Some(m) => {
            // The first pass is not needed past the comparison: freed
            // before the second, they are never both held.
            drop(first);
            let col = weakspot::count_column(&spots, data.employees.len());
            run_pass(config, data, HashMap::from([(m.clone(), col)]))?
        }
        None => first,
    };
    outcome.weak_spots = Some(spots);
    Ok(outcome)
}

fn run_pass(
    config: &Config,
    data: &Dataset,
    extra: HashMap<String, Vec<Option<Decimal>>>,
) -> Result<Outcome> {
    let s = &config.scheme;
    let stages = Stages(&s.rounding);
    let n = data.employees.len();
    let mut problems = Vec::new();

    // Formula metrics, in dependency order (after any metric known only
    // after a first pass, such as the weak-spot count).
    let mut derived: HashMap<String, Vec<Option<Decimal>>> = extra;
    for (name, expr) in &config.compiled.metric_formulas {
        let col: Vec<std::result::Result<Option<Decimal>, Problem>> = (0..n)
            .into_par_iter()
            .map(|emp| {
                let env = MetricValues {
                    data,
                    derived: &derived,
                };
                match expr.eval(&|m| env.value(m, emp)) {
                    Ok(v) => Ok(Some(v)),
                    Err(EvalError::Missing(_)) => Ok(None),
                    Err(e) => Err(eval_problem(
                        &data.employees[emp],
                        &format!("metric `{name}`"),
                        &formula_text(config, name),
                        &e,
                    )),
                }
            })
            .collect();
        let mut values = Vec::with_capacity(n);
        for r in col {
            match r {
                Ok(v) => values.push(v),
                Err(p) => {
                    problems.push(p);
                    values.push(None);
                }
            }
        }
        derived.insert(name.clone(), values);
    }
    let env = MetricValues {
        data,
        derived: &derived,
    };

    // Rank rules need each group ranked first.
    let ranks = rank_kpis(config, &env);

    // Members' roles first, then roles that blend in their team's result.
    let mut order: Vec<(&String, &Role)> = s.roles.iter().collect();
    order.sort_by_key(|(_, r)| r.team_blend.is_some());
    let mut people: Vec<Option<PersonOutcome>> = vec![None; n];
    let mut teams = HashMap::new();
    for (role_id, role) in order {
        let members: Vec<usize> = (0..n)
            .filter(|&e| data.employees[e].role == *role_id)
            .collect();
        let team_avg = role
            .team_blend
            .as_ref()
            .map(|tb| team::results(config, data, &people, tb));
        let results: Vec<std::result::Result<PersonOutcome, Vec<Problem>>> = members
            .par_iter()
            .map(|&emp| {
                crate::error::quietly(|| {
                    score_person(
                        config,
                        role_id,
                        role,
                        emp,
                        &env,
                        &ranks,
                        team_avg.as_ref(),
                        stages,
                    )
                    .map(|(sc, _)| sc)
                })
                .unwrap_or_else(|| Err(vec![overflow_problem(&data.employees[emp])]))
            })
            .collect();
        for (emp, r) in members.iter().zip(results) {
            match r {
                Ok(sc) => people[*emp] = Some(sc),
                Err(ps) => problems.extend(ps),
            }
        }
        if let Some(t) = team_avg {
            teams.insert(role_id.clone(), t);
        }
    }
    if !problems.is_empty() {
        return Err(Error::Data(problems));
    }
    // In place: `flatten` would collect into a second vector growing beside
    // the first, three times everyone's scores at the height of it.
    #[expect(clippy::filter_map_identity, reason = "filter_map collects in place")]
    let mut people: Vec<PersonOutcome> = people.into_iter().filter_map(|p| p).collect();
    let groups = grade_all(config, data, &mut people, &env);
    rank_totals(data, &mut people);
    let kpi_results = people.iter().map(|p| p.scores.len()).sum();
    Ok(Outcome {
        people,
        groups,
        derived,
        weak_spots: None,
        kpi_results,
        ranks_and_teams: RanksAndTeams { ranks, teams },
    })
}

fn grade_all(
    config: &Config,
    data: &Dataset,
    people: &mut [PersonOutcome],
    env: &MetricValues,
) -> Vec<grade::GroupReport> {
    let s = &config.scheme;
    let dist = s.grades.distribution.as_ref();
    let candidates: Vec<grade::Candidate> = people
        .iter()
        .map(|p| {
            let e = &data.employees[p.emp];
            let role_name = s
                .roles
                .get(&e.role)
                .map_or(e.role.as_str(), |r| r.name.as_str());
            let group = match dist.map(|d| d.group) {
                Some(GroupBy::Team) => format!("{role_name} / {}", e.team),
                Some(GroupBy::Department) => format!("{role_name} / {}", e.department),
                _ => format!("{role_name} / 全公司"),
            };
            let keys = dist
                .map(|d| {
                    d.tie_break
                        .iter()
                        .filter(|k| k.as_str() != "total")
                        .map(|k| match k.strip_prefix("kpi:") {
                            Some(kid) => s
                                .roles
                                .get(&e.role)
                                .and_then(|r| r.kpis.iter().position(|x| x.id == kid))
                                .and_then(|j| p.scores.get(j))
                                .map_or(Decimal::ZERO, |x| x.score),
                            None => env.value(k, p.emp).unwrap_or_default(),
                        })
                        .collect()
                })
                .unwrap_or_default();
            grade::Candidate {
                emp: p.emp,
                id: e.id.clone(),
                group,
                total: p.total,
                keys,
            }
        })
        .collect();
    let (graded, groups) = grade::grade(&s.grades, &candidates);
    for (p, g) in people.iter_mut().zip(graded) {
        p.grade = g.grade;
        p.grade_by_cutoff = g.by_cutoff;
        p.grade_notes = g.notes;
        p.calibration_group = g.group;
        // Grade ceilings from vetoes apply last.
        let role = &s.roles[&data.employees[p.emp].role];
        for hit in &p.vetoes {
            let veto = &role.vetoes[hit.veto];
            if hit.effect == VetoEffect::GradeCeiling
                && let Some(c) = veto
                    .grade
                    .as_ref()
                    .and_then(|g| s.grades.scale.iter().position(|x| x == g))
                && p.grade < c
            {
                p.grade_notes.push(GradeNote::VetoCeiling {
                    veto: veto.name.clone(),
                    ceiling: s.grades.scale[c].clone(),
                });
                p.grade = c;
            }
        }
    }
    groups
}

/// Team and company ranks by total, within each role; ties share the lower number.
fn rank_totals(data: &Dataset, people: &mut [PersonOutcome]) {
    use crate::config::rule::{Direction, Ties};
    let mut by_team: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    let mut by_role: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, p) in people.iter().enumerate() {
        let e = &data.employees[p.emp];
        by_team.entry((&e.role, &e.team)).or_default().push(i);
        by_role.entry(&e.role).or_default().push(i);
    }
    let apply = |members: &[usize], people: &[PersonOutcome]| -> Vec<Rank> {
        let items: Vec<(&str, Decimal)> = members
            .iter()
            .map(|&i| (data.employees[people[i].emp].id.as_str(), people[i].total))
            .collect();
        rank::rank(&items, Direction::HigherIsBetter, Ties::Min)
    };
    let team: Vec<(usize, Rank)> = by_team
        .values()
        .flat_map(|m| m.iter().copied().zip(apply(m, people)))
        .collect();
    let company: Vec<(usize, Rank)> = by_role
        .values()
        .flat_map(|m| m.iter().copied().zip(apply(m, people)))
        .collect();
    for (i, r) in team {
        people[i].team_rank = r;
    }
    for (i, r) in company {
        people[i].company_rank = r;
    }
}

#[cfg(test)]
mod tests {
    use super::person::cap_both_ways;
    use super::*;

    /// A person's KPI results scored again for the reports are those the
    /// run scored: the same score and status of every KPI, and weighted
    /// scores that add up to the person's total. On a sample branch whose
    /// scheme uses every rule type (rank places included), formula metrics,
    /// team blends, vetoes and the weak-spot pass.
    #[test]
    fn kpis_scored_again_are_those_scored() {
        let dir = tempfile::tempdir().expect("tempdir");
        crate::sample::write(dir.path(), 120, 7).expect("sample");
        let mut config = crate::config::load(&dir.path().join("appraisal.toml")).expect("scheme");
        let run = crate::pipeline::score(&mut config, &mut |_| {}).expect("score");
        let mut blended = 0;
        for p in &run.outcome.people {
            let who = &run.data.employees[p.emp].id;
            let again = run.outcome.details(&config, &run.data, p).expect("again");
            let brief: Vec<KpiBrief> = again.kpis.iter().map(KpiBrief::of).collect();
            assert!(!brief.is_empty(), "{who}");
            assert_eq!(brief, p.scores, "{who}");
            if p.vetoes.is_empty() {
                let weighted: Decimal = again.kpis.iter().map(|k| k.weighted).sum();
                assert_eq!(weighted + p.adjustment_total, p.own_total, "{who}");
            }
            // The adjustment items scored again add up, section by section
            // and capped, to the section totals the run kept.
            let role = &config.scheme.roles[&run.data.employees[p.emp].role];
            for (si, sec) in role.adjustments.iter().enumerate() {
                let sum: Decimal = again
                    .adjustments
                    .iter()
                    .filter(|a| a.section == si)
                    .map(|a| a.points)
                    .sum();
                let capped = cap_both_ways(sum, sec.cap.map(|c| c.get()));
                assert_eq!(capped, p.section_totals[si], "{who}");
            }
            assert_eq!(again.moved(), p.adjustment_items as usize, "{who}");
            blended += usize::from(p.team.is_some());
        }
        assert!(blended > 0, "the sample has team leaders");
        assert_eq!(
            run.outcome.kpi_results,
            run.outcome
                .people
                .iter()
                .map(|p| p.scores.len())
                .sum::<usize>()
        );
    }
}
