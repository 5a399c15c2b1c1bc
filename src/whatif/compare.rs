//! Everyone under the base scheme beside the draft: each person's total,
//! grade, rank and KPI points on both sides, matched by employee id, and
//! the grade migration between them.

use crate::config::Config;
use crate::config::Role;
use crate::ingest::Dataset;
use crate::score::grade::GroupReport;
use crate::score::{KpiBrief, Outcome, PersonOutcome, Rank};
use rayon::slice::ParallelSliceMut;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// One scheme's scores of the inputs.
#[derive(Clone, Copy)]
pub struct Scored<'a> {
    pub config: &'a Config,
    pub data: &'a Dataset,
    pub outcome: &'a Outcome,
}

/// One KPI's points in a person's total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KpiPoints<'a> {
    pub id: &'a str,
    pub name: &'a str,
    /// The KPI's weight in the scheme, and its score (a fraction of it).
    pub weight: Decimal,
    pub score: Decimal,
    pub weighted: Decimal,
}

/// A person's standing under one scheme: read from that scheme's outcome
/// and configuration, nothing copied (at 100,000 people the comparison
/// holds a third of a million of these).
#[derive(Debug, Clone, Copy)]
pub struct Standing<'a> {
    pub role: &'a str,
    pub total: Decimal,
    pub grade: &'a str,
    pub grade_index: usize,
    pub rank: Rank,
    pub group: &'a str,
    pub adjustments: Decimal,
    role_def: Option<&'a Role>,
    scores: &'a [KpiBrief],
}

impl<'a> Standing<'a> {
    /// The person's KPIs under this scheme, in the scheme's order.
    pub fn kpis(&self) -> impl Iterator<Item = KpiPoints<'a>> + use<'a> {
        let role = self.role_def;
        self.scores.iter().filter_map(move |b| {
            let k = role?.kpis.get(usize::from(b.kpi))?;
            Some(KpiPoints {
                id: &k.id,
                name: &k.name,
                weight: k.weight.get(),
                score: b.score,
                weighted: b.weighted,
            })
        })
    }

    /// One KPI by id.
    pub fn kpi(&self, id: &str) -> Option<KpiPoints<'a>> {
        self.kpis().find(|k| k.id == id)
    }
}

/// What moved a person most: a KPI (id, name), or the adjustments (None).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mover<'a> {
    pub kpi: Option<(&'a str, &'a str)>,
    pub old: Decimal,
    pub new: Decimal,
}

/// One person under both schemes (a side is None where that scheme's
/// roster leaves the person out).
#[derive(Debug, Clone)]
pub struct Person<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub team: &'a str,
    pub base: Option<Standing<'a>>,
    pub draft: Option<Standing<'a>>,
}

impl<'a> Person<'a> {
    /// Draft total less base total (zero where a side is missing).
    pub fn change(&self) -> Decimal {
        match (&self.base, &self.draft) {
            (Some(b), Some(d)) => d.total - b.total,
            _ => Decimal::ZERO,
        }
    }

    pub fn both(&self) -> Option<(&Standing<'a>, &Standing<'a>)> {
        Some((self.base.as_ref()?, self.draft.as_ref()?))
    }

    /// Whether the person's grade differs (or the person is on one side only).
    pub fn grade_moved(&self) -> bool {
        self.both().is_none_or(|(b, d)| b.grade != d.grade)
    }

    /// The role the person has (the draft's where both have one).
    pub fn role(&self) -> &'a str {
        self.draft
            .as_ref()
            .or(self.base.as_ref())
            .map_or("", |s| s.role)
    }

    /// A KPI's points under each scheme (zero where it has none).
    pub fn kpi_points(&self, kpi: &str) -> (Decimal, Decimal) {
        let of = |s: &Option<Standing>| {
            s.as_ref()
                .and_then(|s| s.kpi(kpi))
                .map_or(Decimal::ZERO, |k| k.weighted)
        };
        (of(&self.base), of(&self.draft))
    }

    /// The KPI whose points moved most (the first in the scheme on a tie),
    /// else the adjustments if they moved; None if nothing moved.
    pub fn mover(&self) -> Option<Mover<'a>> {
        let (b, d) = self.both()?;
        let mut ids: Vec<(&'a str, &'a str)> = b.kpis().map(|k| (k.id, k.name)).collect();
        for k in d.kpis() {
            if !ids.iter().any(|(id, _)| *id == k.id) {
                ids.push((k.id, k.name));
            }
        }
        let mut best: Option<Mover<'a>> = None;
        for (id, name) in ids {
            let (old, new) = self.kpi_points(id);
            let better = best
                .as_ref()
                .is_none_or(|m| (new - old).abs() > (m.new - m.old).abs());
            if old != new && better {
                let name = d.kpi(id).map_or(name, |k| k.name);
                best = Some(Mover {
                    kpi: Some((id, name)),
                    old,
                    new,
                });
            }
        }
        let adj = (b.adjustments, d.adjustments);
        let adj_wins = best
            .as_ref()
            .is_none_or(|m| (adj.1 - adj.0).abs() > (m.new - m.old).abs());
        if adj.0 != adj.1 && adj_wins {
            best = Some(Mover {
                kpi: None,
                old: adj.0,
                new: adj.1,
            });
        }
        best
    }
}

/// The whole comparison.
pub struct Comparison<'a> {
    /// Sorted by the size of the change, largest first, ties by id; people
    /// on one side only last.
    pub people: Vec<Person<'a>>,
    pub base_scale: &'a [String],
    pub draft_scale: &'a [String],
    pub base_groups: &'a [GroupReport],
    pub draft_groups: &'a [GroupReport],
    /// Role id → name, the base's roles first.
    pub roles: Vec<(&'a str, &'a str)>,
}

fn standing<'a>(s: Scored<'a>, p: &'a PersonOutcome) -> Standing<'a> {
    let e = &s.data.employees[p.emp];
    let scale = &s.config.scheme.grades.scale;
    Standing {
        role: &e.role,
        total: p.total,
        grade: scale.get(p.grade).map_or("", String::as_str),
        grade_index: p.grade,
        rank: p.company_rank,
        group: &p.calibration_group,
        adjustments: p.adjustment_total,
        role_def: s.config.scheme.roles.get(&e.role),
        scores: &p.scores,
    }
}

impl<'a> Comparison<'a> {
    pub fn new(base: Scored<'a>, draft: Scored<'a>) -> Comparison<'a> {
        let mut at: HashMap<&'a str, usize> = HashMap::with_capacity(base.outcome.people.len());
        let mut people: Vec<Person<'a>> = Vec::with_capacity(base.outcome.people.len());
        for (side, s) in [(0, base), (1, draft)] {
            for p in &s.outcome.people {
                let e = &s.data.employees[p.emp];
                let i = *at.entry(e.id.as_str()).or_insert_with(|| {
                    people.push(Person {
                        id: &e.id,
                        name: &e.name,
                        team: &e.team,
                        base: None,
                        draft: None,
                    });
                    people.len() - 1
                });
                let st = Some(standing(s, p));
                if side == 0 {
                    people[i].base = st;
                } else {
                    people[i].draft = st;
                }
            }
        }
        drop(at);
        // Ids are unique: the order is total, whatever the sort.
        people.par_sort_unstable_by(|a, b| {
            (b.both().is_some(), b.change().abs())
                .cmp(&(a.both().is_some(), a.change().abs()))
                .then_with(|| a.id.cmp(b.id))
        });
        let mut roles: Vec<(&'a str, &'a str)> = Vec::new();
        for s in [base, draft] {
            for (id, r) in &s.config.scheme.roles {
                if !roles.iter().any(|(i, _)| i == id) {
                    roles.push((id, &r.name));
                }
            }
        }
        Comparison {
            people,
            base_scale: &base.config.scheme.grades.scale,
            draft_scale: &draft.config.scheme.grades.scale,
            base_groups: &base.outcome.groups,
            draft_groups: &draft.outcome.groups,
            roles,
        }
    }

    /// Whether both schemes score everyone identically: the same people,
    /// each with the same KPI points, adjustments, total, grade and rank.
    pub fn identical(&self) -> bool {
        self.people.iter().all(|p| match p.both() {
            Some((b, d)) => {
                b.total == d.total
                    && b.grade == d.grade
                    && b.rank == d.rank
                    && b.adjustments == d.adjustments
                    && b.kpis().eq(d.kpis())
            }
            None => false,
        })
    }

    /// How many people's totals differ.
    pub fn total_moved(&self) -> usize {
        self.people
            .iter()
            .filter(|p| p.change() != Decimal::ZERO)
            .count()
    }

    /// How many people's grades differ (or who are on one side only).
    pub fn grade_moved(&self) -> usize {
        self.people.iter().filter(|p| p.grade_moved()).count()
    }

    /// Head counts by base grade (rows) and draft grade (columns) of the
    /// people scored under both that `keep` keeps.
    pub fn matrix(&self, keep: impl Fn(&Person) -> bool + Sync) -> Vec<Vec<usize>> {
        let mut m = vec![vec![0; self.draft_scale.len()]; self.base_scale.len()];
        for p in self.people.iter().filter(|p| keep(p)) {
            if let Some((b, d)) = p.both()
                && let Some(row) = m.get_mut(b.grade_index)
                && let Some(cell) = row.get_mut(d.grade_index)
            {
                *cell += 1;
            }
        }
        m
    }

    /// The calibration groups of the base scheme, in its order.
    pub fn groups(&self) -> Vec<&str> {
        self.base_groups.iter().map(|g| g.name.as_str()).collect()
    }
}
