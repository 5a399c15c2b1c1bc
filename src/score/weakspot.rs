//! 短板比对, weak-spot comparison: each member's KPI scores beside the
//! team's average and best and the company's average (people of the same
//! role), and a flag on every KPI whose score lies in the bottom quantile of
//! the scope (the company's people of the role, or the team):
//!
//!   value = the ⌈q × n⌉-th lowest score of the scope (nearest rank)
//!   weak  = score ≤ value and score < the scope's best
//!
//! (so a scope where everyone scores alike flags no one). Pure: it reads
//! the scored outcome only. The number of weak spots per person can be
//! exposed as a metric for adjustments and vetoes (`metric = "weak_spots"`);
//! the scoring then runs a second pass with it.

use super::{Outcome, PersonOutcome, Status};
use crate::config::Config;
use crate::config::instruments::{WeakScope, WeakSpotConfig};
use crate::config::rule::Rule;
use crate::ingest::Dataset;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};

/// A KPI's figures in a group (a team, or the company's people of a role).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KpiStats {
    /// Index of the KPI in its role.
    pub kpi: usize,
    pub average: Decimal,
    pub best: Decimal,
    pub count: usize,
    /// The bottom-quantile value of this group.
    pub quantile_value: Decimal,
}

/// One KPI of one person, compared. The team's and the company's figures
/// it was compared with are the KPI's in [`WeakSpots::team`] and
/// [`WeakSpots::company`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// Index of the KPI in its role (as [`crate::score::KpiBrief`] keeps
    /// it: 20 bytes an item, where a `usize` made 32).
    pub kpi: u16,
    pub score: Decimal,
    pub weak: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonSpots {
    pub emp: usize,
    pub items: Vec<Item>,
    /// Number of weak spots.
    pub count: usize,
}

/// The comparison for everyone of the compared roles.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WeakSpots {
    pub quantile: Decimal,
    /// (role id, team) → per KPI.
    pub teams: BTreeMap<(String, String), Vec<KpiStats>>,
    /// Role id → per KPI, over the whole company.
    pub company: BTreeMap<String, Vec<KpiStats>>,
    /// In the outcome's order.
    pub people: Vec<PersonSpots>,
    /// Employee index → position in `people`.
    pub by_emp: HashMap<usize, usize>,
}

impl WeakSpots {
    pub fn person(&self, emp: usize) -> Option<&PersonSpots> {
        self.by_emp.get(&emp).map(|&i| &self.people[i])
    }

    /// The team's figures of `emp`'s team (for a team workbook).
    pub fn team(&self, role: &str, team: &str) -> Option<&[KpiStats]> {
        self.teams
            .get(&(role.to_string(), team.to_string()))
            .map(Vec::as_slice)
    }
}

/// The nearest-rank `q` quantile of ascending `sorted` (not empty).
pub fn quantile_value(sorted: &[Decimal], q: Decimal) -> Decimal {
    let n = Decimal::from(sorted.len() as u64);
    let rank = (q * n).ceil();
    let i = rank
        .to_string()
        .parse::<usize>()
        .unwrap_or(1)
        .clamp(1, sorted.len());
    sorted[i - 1]
}

fn stats(kpi: usize, mut scores: Vec<Decimal>, q: Decimal) -> KpiStats {
    scores.sort_unstable();
    let count = scores.len();
    let sum: Decimal = scores.iter().sum();
    KpiStats {
        kpi,
        average: crate::exact::quot(sum, Decimal::from(count.max(1) as u64)),
        best: scores.last().copied().unwrap_or_default(),
        count,
        quantile_value: quantile_value(&scores, q),
    }
}

/// The KPI scores of a person that take part: counted KPIs, not excluded.
fn compared<'a>(
    config: &'a Config,
    role: &str,
    p: &'a PersonOutcome,
) -> impl Iterator<Item = (u16, Decimal)> + 'a {
    let kpis = config
        .scheme
        .roles
        .get(role)
        .map(|r| r.kpis.as_slice())
        .unwrap_or(&[]);
    p.scores.iter().filter_map(move |k| {
        let def = kpis.get(usize::from(k.kpi))?;
        let counted = !matches!(def.rule, Rule::Monitor) && !def.weight.get().is_zero();
        (counted && matches!(k.status, Status::Scored | Status::MissingZero))
            .then_some((k.kpi, k.score))
    })
}

/// Compare everyone of the configured roles (all roles when none is named),
/// by the KPI scores each person keeps.
pub fn compare_with(
    cfg: &WeakSpotConfig,
    config: &Config,
    data: &Dataset,
    outcome: &Outcome,
) -> WeakSpots {
    let q = cfg.quantile.get();
    let wanted = |role: &str| cfg.roles.is_empty() || cfg.roles.iter().any(|r| r == role);
    // Each team's scores, KPI by KPI. A role's company-wide figures are
    // taken from its teams' lists, one KPI at a time, rather than from a
    // second copy of every score kept beside them.
    type Groups = HashMap<(String, String), BTreeMap<usize, Vec<Decimal>>>;
    let mut teams: Groups = HashMap::new();
    for p in &outcome.people {
        let e = &data.employees[p.emp];
        if !wanted(&e.role) {
            continue;
        }
        for (k, s) in compared(config, &e.role, p) {
            teams
                .entry((e.role.clone(), e.team.clone()))
                .or_default()
                .entry(usize::from(k))
                .or_default()
                .push(s);
        }
    }
    let mut company: BTreeMap<String, Vec<KpiStats>> = BTreeMap::new();
    let mut kpis: BTreeMap<&str, BTreeMap<usize, usize>> = BTreeMap::new();
    for ((role, _), m) in &teams {
        let counts = kpis.entry(role).or_default();
        for (k, v) in m {
            *counts.entry(*k).or_default() += v.len();
        }
    }
    for (role, counts) in kpis {
        for (k, n) in counts {
            let mut all = Vec::with_capacity(n);
            for ((r, _), m) in &teams {
                if r == role
                    && let Some(v) = m.get(&k)
                {
                    all.extend_from_slice(v);
                }
            }
            company
                .entry(role.to_string())
                .or_default()
                .push(stats(k, all, q));
        }
    }
    let teams: BTreeMap<(String, String), Vec<KpiStats>> = teams
        .into_iter()
        .map(|(g, m)| (g, m.into_iter().map(|(k, v)| stats(k, v, q)).collect()))
        .collect();
    let find = |v: &[KpiStats], k: usize| v.iter().find(|s| s.kpi == k).cloned();
    let mut people = Vec::with_capacity(
        outcome
            .people
            .iter()
            .filter(|p| wanted(&data.employees[p.emp].role))
            .count(),
    );
    let mut by_emp = HashMap::new();
    for p in &outcome.people {
        let e = &data.employees[p.emp];
        if !wanted(&e.role) {
            continue;
        }
        let team = teams.get(&(e.role.clone(), e.team.clone()));
        let comp = company.get(&e.role);
        let mut items = Vec::new();
        for (k, s) in compared(config, &e.role, p) {
            let at = usize::from(k);
            let (Some(t), Some(c)) = (
                team.and_then(|v| find(v, at)),
                comp.and_then(|v| find(v, at)),
            ) else {
                continue;
            };
            let scope = match cfg.scope {
                WeakScope::Company => &c,
                WeakScope::Team => &t,
            };
            items.push(Item {
                kpi: k,
                score: s,
                weak: s <= scope.quantile_value && s < scope.best,
            });
        }
        let count = items.iter().filter(|i| i.weak).count();
        by_emp.insert(p.emp, people.len());
        people.push(PersonSpots {
            emp: p.emp,
            items,
            count,
        });
    }
    WeakSpots {
        quantile: q,
        teams,
        company,
        people,
        by_emp,
    }
}

/// The weak-spot count per employee, as a metric column.
pub fn count_column(ws: &WeakSpots, n: usize) -> Vec<Option<Decimal>> {
    let mut out = vec![None; n];
    for p in &ws.people {
        if let Some(slot) = out.get_mut(p.emp) {
            *slot = Some(Decimal::from(p.count as u64));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).expect("decimal")
    }

    #[test]
    fn nearest_rank_quantile() {
        let v = [d("0.2"), d("0.5"), d("0.8"), d("1.0")];
        // ⌈0.25 × 4⌉ = 1: the lowest.
        assert_eq!(quantile_value(&v, d("0.25")), d("0.2"));
        // ⌈0.3 × 4⌉ = 2.
        assert_eq!(quantile_value(&v, d("0.3")), d("0.5"));
        // ⌈0.1 × 1⌉ = 1.
        assert_eq!(quantile_value(&[d("1")], d("0.1")), d("1"));
    }

    #[test]
    fn team_stats_by_hand() {
        let s = stats(3, vec![d("1.0"), d("0.5"), d("0.8"), d("0.2")], d("0.5"));
        assert_eq!(s.average, d("0.625"));
        assert_eq!(s.best, d("1.0"));
        assert_eq!(s.count, 4);
        // ⌈0.5 × 4⌉ = 2nd lowest.
        assert_eq!(s.quantile_value, d("0.5"));
    }
}
