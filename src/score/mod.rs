//! Scoring: pure functions from the scheme and the loaded data to every
//! person's KPI scores, adjustments, vetoes, total, grade and ranks. No files,
//! no clock; employees are scored in parallel and the result does not depend
//! on the order of the input rows.

pub mod grade;
pub mod grade_note;
pub mod kpi;
pub mod rank;
pub mod round;
pub mod rules;
pub mod team;
pub mod weakspot;

pub use grade_note::GradeNote;
pub use kpi::{Detail, KpiScore, Status};
pub use rank::Rank;

use crate::config::rule::{RankGroup, Rule};
use crate::config::{Config, GroupBy, Kpi, Role, Target, VetoEffect};
use crate::error::{Error, Problem, Result};
use crate::formula::EvalError;
use crate::ingest::{Dataset, Employee, Src};
use rayon::prelude::*;
use round::Stages;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};

/// One adjustment item's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdjustmentScore {
    pub section: usize,
    pub item: usize,
    pub count: Decimal,
    pub src: Option<Src>,
    /// count × points, before caps.
    pub raw: Decimal,
    /// After the item cap.
    pub points: Decimal,
}

/// A veto that fired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VetoHit {
    pub veto: usize,
    pub effect: VetoEffect,
}

/// The team part of a team leader's total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamPart {
    pub own_share: Decimal,
    pub team_share: Decimal,
    /// The team's result in points: the members' average total, or the
    /// weighted average of chosen KPIs (`team_blend.of`), rounded to
    /// [`team::PLACES`] places before it is blended, so the 团队均分 shown
    /// is the one used.
    pub team_average: Decimal,
    pub members: usize,
    /// The chosen KPIs' team averages (empty for the average total).
    pub kpis: Vec<team::TeamKpiPart>,
}

/// Everything scored for one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scored {
    pub emp: usize,
    /// Each KPI's score as the rest of scoring reads it (team results,
    /// tie-breaks, weak spots); the whole results, with every intermediate
    /// value, and the adjustment items come from [`Outcome::details`].
    pub scores: Vec<KpiBrief>,
    /// Per section: total after the section cap.
    pub section_totals: Vec<Decimal>,
    pub adjustment_total: Decimal,
    /// Adjustment items that moved the total (non-zero points): with the
    /// KPIs, the person's rows of 明细.
    pub adjustment_items: u32,
    pub vetoes: Vec<VetoHit>,
    /// Σ weighted + adjustments, after vetoes (0 under `total_zero`),
    /// before the team blend; never rounded (the total stage rounds the
    /// total, after the blend).
    pub own_total: Decimal,
    /// Boxed: only team leaders have one (80 bytes in every person).
    pub team: Option<Box<TeamPart>>,
    pub total: Decimal,
    pub grade: usize,
    pub grade_by_cutoff: usize,
    pub grade_notes: Vec<GradeNote>,
    pub calibration_group: String,
    pub team_rank: Rank,
    pub company_rank: Rank,
}

/// A person's whole results: every KPI and every adjustment item, with
/// their intermediate values; [`Outcome::details`] gives them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Details {
    pub kpis: Vec<KpiScore>,
    pub adjustments: Vec<AdjustmentScore>,
}

impl Details {
    /// The adjustment items that moved the total (non-zero points).
    pub fn moved(&self) -> usize {
        self.adjustments
            .iter()
            .filter(|a| !a.points.is_zero())
            .count()
    }
}

/// One KPI's score, kept for every person: what the summary, the team
/// aggregates and the rest of scoring read. 36 bytes (with the index as a
/// `usize`, 48): one per KPI and person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KpiBrief {
    /// Index of the KPI in its role (`usize::from` to index); a role has
    /// at most `u16::MAX` KPIs (the scheme's validation says so otherwise).
    pub kpi: u16,
    pub status: Status,
    pub score: Decimal,
    pub weighted: Decimal,
}

impl KpiBrief {
    /// A role's KPI count is checked to fit when the scheme is validated.
    pub fn of(k: &KpiScore) -> Self {
        KpiBrief {
            kpi: {
                debug_assert!(
                    k.kpi <= usize::from(u16::MAX),
                    "validation caps a role's KPIs"
                );
                u16::try_from(k.kpi).unwrap_or(u16::MAX)
            },
            status: k.status,
            score: k.score,
            weighted: k.weighted,
        }
    }
}

/// The whole run's scores.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// One per employee, in employee (id) order.
    pub people: Vec<Scored>,
    pub groups: Vec<grade::GroupReport>,
    /// Formula metrics computed for each employee.
    pub derived: HashMap<String, Vec<Option<Decimal>>>,
    /// 短板比对, when `[instruments.weak_spots]` is configured.
    pub weak_spots: Option<weakspot::WeakSpots>,
    /// KPI results computed, over everyone.
    pub kpi_results: usize,
    again: Again,
}

/// What scoring one person again needs besides the data and the derived
/// metrics: the rank rules' places and the blended roles' team results,
/// as the pass computed them.
#[derive(Debug, Clone, Default)]
struct Again {
    ranks: RankTable,
    /// Role id → team → result.
    teams: HashMap<String, HashMap<String, team::TeamResult>>,
}

impl Outcome {
    /// One person's KPI and adjustment results: scored again from the same
    /// data, derived metrics, rank places and team results as in the run,
    /// so the same values. The outcome does not keep them (at 100,000
    /// employees they came to over 500 MB); scoring one person takes
    /// microseconds.
    pub fn details(&self, config: &Config, data: &Dataset, p: &Scored) -> Result<Details> {
        let e = &data.employees[p.emp];
        let Some(role) = config.scheme.roles.get(&e.role) else {
            return Ok(Details {
                kpis: Vec::new(),
                adjustments: Vec::new(),
            });
        };
        let env = Env {
            data,
            derived: &self.derived,
        };
        score_person(
            config,
            &e.role,
            role,
            p.emp,
            &env,
            &self.again.ranks,
            self.again.teams.get(&e.role),
            Stages(&config.scheme.rounding),
        )
        .map(|(_, details)| details)
        .map_err(Error::Data)
    }

    /// `people` (some or all of [`Outcome::people`]) in order with their
    /// details, scored again in parallel a block at a time, so that only a
    /// block's details are held (256 people: a few hundred KB).
    pub fn each_with_details(
        &self,
        config: &Config,
        data: &Dataset,
        people: &[Scored],
        mut each: impl FnMut(&Scored, &Details) -> Result<()>,
    ) -> Result<()> {
        for block in people.chunks(256) {
            let details: Vec<Details> = block
                .par_iter()
                .map(|p| self.details(config, data, p))
                .collect::<Result<_>>()?;
            for (p, d) in block.iter().zip(&details) {
                each(p, d)?;
            }
        }
        Ok(())
    }
}

impl Outcome {
    /// Where a KPI's actual and target came from for one person: the same
    /// lookups scoring made (a loaded or credited value, a formula metric,
    /// the scheme's constant). Looked up when shown rather than kept in
    /// every [`KpiScore`]: two sources per KPI per person came to over
    /// 100 MB at 100,000 employees.
    pub fn sources(
        &self,
        data: &Dataset,
        kpi: &crate::config::Kpi,
        emp: usize,
    ) -> (Option<Src>, Option<Src>) {
        let env = Env {
            data,
            derived: &self.derived,
        };
        let found = |m: &str| env.metric(m, emp).map(|(_, src)| src);
        let actual = kpi.metric.as_deref().and_then(found);
        let target = match &kpi.target {
            Some(Target::Value(v)) => Some(Src::Constant(v.get())),
            Some(Target::Metric { metric }) => found(metric),
            None => None,
        };
        (actual, target)
    }
}

/// Values of metrics for one person: loaded, then derived.
struct Env<'a> {
    data: &'a Dataset,
    derived: &'a HashMap<String, Vec<Option<Decimal>>>,
}

impl Env<'_> {
    fn metric(&self, name: &str, emp: usize) -> Option<(Decimal, Src)> {
        if let Some(c) = self.data.metric(name, emp) {
            return Some((c.value, c.src));
        }
        let v = self.derived.get(name)?.get(emp).copied().flatten()?;
        Some((v, Src::Formula(name.into())))
    }

    fn value(&self, name: &str, emp: usize) -> Option<Decimal> {
        self.data
            .value(name, emp)
            .or_else(|| self.derived.get(name)?.get(emp).copied().flatten())
    }
}

fn eval_problem(who: &Employee, what: &str, formula: &str, e: &EvalError) -> Problem {
    let help = match e {
        EvalError::DivisionByZero => {
            "guard the division, e.g. if(b > 0, a / b, 0), or correct the data"
        }
        EvalError::Missing(_) => "fill in the value in the input, or change the formula",
        EvalError::Overflow => "check the input values for a misplaced decimal point",
    };
    Problem::new(
        crate::error::Location::Cell(who.origin.clone()),
        format!(
            "{} {} ({}): {what} `{formula}`: {e}",
            who.id, who.name, who.post
        ),
    )
    .help(help)
}

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
                let env = Env {
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
    let env = Env {
        data,
        derived: &derived,
    };

    // Rank rules need each group ranked first.
    let ranks = rank_kpis(config, &env);

    // Members' roles first, then roles that blend in their team's result.
    let mut order: Vec<(&String, &Role)> = s.roles.iter().collect();
    order.sort_by_key(|(_, r)| r.team_blend.is_some());
    let mut people: Vec<Option<Scored>> = vec![None; n];
    let mut teams = HashMap::new();
    for (role_id, role) in order {
        let members: Vec<usize> = (0..n)
            .filter(|&e| data.employees[e].role == *role_id)
            .collect();
        let team_avg = role
            .team_blend
            .as_ref()
            .map(|tb| team::results(config, data, &people, tb));
        let results: Vec<std::result::Result<Scored, Vec<Problem>>> = members
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
    let mut people: Vec<Scored> = people.into_iter().filter_map(|p| p).collect();
    let groups = grade_all(config, data, &mut people, &env);
    rank_totals(data, &mut people);
    let kpi_results = people.iter().map(|p| p.scores.len()).sum();
    Ok(Outcome {
        people,
        groups,
        derived,
        weak_spots: None,
        kpi_results,
        again: Again { ranks, teams },
    })
}

/// Decimal arithmetic overflowed (it panics): a value or a target is far
/// out of range, e.g. 7.9e28 against a target of 0.00001.
fn overflow_problem(who: &Employee) -> Problem {
    Problem::new(
        crate::error::Location::Cell(who.origin.clone()),
        format!(
            "{} {} ({}): a result is too large for exact decimal arithmetic",
            who.id, who.name, who.post
        ),
    )
    .help("check this person's values and targets for a misplaced decimal point or a unit error")
}

fn formula_text(config: &Config, metric: &str) -> String {
    match config.scheme.metrics.get(metric) {
        Some(crate::config::MetricDef::Formula(f)) => f.formula.clone(),
        _ => String::new(),
    }
}

type RankTable = HashMap<(String, usize), HashMap<usize, Rank>>;

fn group_key(e: &Employee, g: RankGroup) -> &str {
    match g {
        RankGroup::Team => &e.team,
        RankGroup::Department => &e.department,
        RankGroup::Company => "",
    }
}

fn rank_kpis(config: &Config, env: &Env) -> RankTable {
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
fn score_person(
    config: &Config,
    role_id: &str,
    role: &Role,
    emp: usize,
    env: &Env,
    ranks: &RankTable,
    team_avg: Option<&HashMap<String, team::TeamResult>>,
    stages: Stages,
) -> std::result::Result<(Scored, Details), Vec<Problem>> {
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
        let inputs = kpi::Inputs {
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

    // Vetoes that void a section act before the weighing.
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
    kpi::weigh(&mut kpis, stages);

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
    let scored = Scored {
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

fn cap_both_ways(x: Decimal, cap: Option<Decimal>) -> Decimal {
    match cap {
        Some(c) => x.max(-c).min(c),
        None => x,
    }
}

fn failure_problem(
    config: &Config,
    who: &Employee,
    k: &Kpi,
    f: kpi::Failure,
    env: &Env,
    emp: usize,
) -> Problem {
    let _ = config;
    match f {
        kpi::Failure::Missing(what) => {
            let metric = match what {
                "target" => match &k.target {
                    Some(Target::Metric { metric }) => metric.clone(),
                    _ => String::new(),
                },
                _ => k.metric.clone().unwrap_or_default(),
            };
            let sheet = config
                .scheme
                .sources
                .iter()
                .find(|(_, src)| src.columns.contains_key(&metric))
                .map(|(_, src)| format!(" in {} [{}]", src.file, src.sheet))
                .unwrap_or_default();
            // A blank cell in the employee's row is named itself; an
            // employee with no row at all is named at the roster.
            let (location, blank) = match env.data.blanks.get(&(metric.clone(), emp)) {
                Some(cell) => (cell.clone(), "the cell is blank; "),
                None => (who.origin.clone(), ""),
            };
            Problem::new(
                crate::error::Location::Cell(location),
                format!(
                    "{} {} ({}): KPI `{}` has no {what} ({blank}`{metric}`{sheet})",
                    who.id, who.name, who.post, k.id
                ),
            )
            .help(format!(
                "fill in the value, or set `missing = \"zero\"` or `missing = \"exclude\"` on KPI `{}`",
                k.id
            ))
        }
        kpi::Failure::MissingInput(input) => {
            let left_out = input
                .strip_prefix("kpi.")
                .map(|kid| format!(" (KPI `{kid}` was left out for missing data)"))
                .unwrap_or_default();
            Problem::new(
                crate::error::Location::Cell(who.origin.clone()),
                format!(
                    "{} {} ({}): KPI `{}`: its formula reads `{input}`, which has no value{left_out}",
                    who.id, who.name, who.post, k.id
                ),
            )
            .help(format!(
                "fill in the value, guard the formula, or set `missing = \"zero\"` or `missing = \"exclude\"` on KPI `{}`",
                k.id
            ))
        }
        kpi::Failure::ZeroTarget => {
            let at = match &k.target {
                Some(Target::Metric { metric }) => env.metric(metric, emp).map(|(_, s)| s),
                _ => None,
            };
            let location = match at {
                Some(Src::Cell(at)) => crate::error::Location::Cell(at.origin()),
                _ => crate::error::Location::Cell(who.origin.clone()),
            };
            Problem::new(
                location,
                format!(
                    "{} {}: KPI `{}` has a target of 0, which cannot divide",
                    who.id, who.name, k.id
                ),
            )
            .help("give a target above zero, or use the `gate` rule for this KPI")
        }
    }
}

fn grade_all(
    config: &Config,
    data: &Dataset,
    people: &mut [Scored],
    env: &Env,
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
fn rank_totals(data: &Dataset, people: &mut [Scored]) {
    use crate::config::rule::{Direction, Ties};
    let mut by_team: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    let mut by_role: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, p) in people.iter().enumerate() {
        let e = &data.employees[p.emp];
        by_team.entry((&e.role, &e.team)).or_default().push(i);
        by_role.entry(&e.role).or_default().push(i);
    }
    let apply = |members: &[usize], people: &[Scored]| -> Vec<Rank> {
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
