//! Who is scored provisionally, and why. An unresolved conflict (a field
//! under `needs_decision`, outside its tolerance, without HR's override) is
//! scored with the first source's value until HR decides; the people whose
//! scored values that decision could change are marked provisional.
//!
//! The rule. A person is provisional because of project P's field F when
//! 1. some credit C reads F for the person's role on P: C's figure, its
//!    divisor (`per`), its date, or the field naming who holds the role
//!    (`reads`); another role's person, or a field no credit reads, changes
//!    nothing of theirs;
//! 2. P counts for C: in the period with the provisional values, or its
//!    figure or date is itself the unresolved field (HR's value may bring it
//!    into the period);
//! 3. the person holds the role on P, or any source names them in it (a
//!    second AM claiming the project gains the credit if HR decides for
//!    them); and
//! 4. the person's role scores C's metric: a KPI's actual or target, an
//!    adjustment item, a veto, or a formula over any of them.
//!
//! A team leader whose score blends in the team's result is provisional
//! when a member of the team is, on a metric the blended part reads.
//! Knock-on effects through ranks and the forced distribution (one person's
//! provisional value moving another's rank) are not marked.

use super::credit::{ProjectCredit, reads};
use super::{Id, Project};
use crate::config::instruments::TeamOf;
use crate::config::reconcile::Reconcile;
use crate::config::{Config, Role, Target};
use crate::ingest::Dataset;
use std::collections::{BTreeMap, BTreeSet};

/// The unresolved (project, field) pairs behind a mark.
type Why = BTreeSet<(Id, String)>;

/// Employee → the unresolved (project, field) their scored values read.
pub fn people(
    config: &Config,
    r: &Reconcile,
    projects: &[Project],
    credits: &[ProjectCredit],
    data: &Dataset,
) -> BTreeMap<usize, Why> {
    let mut on = On::default();
    let by_id: BTreeMap<&str, &Project> = projects.iter().map(|p| (&*p.id, p)).collect();
    for pc in credits {
        if let Some(p) = by_id.get(&*pc.project) {
            on.add(r, p, pc);
        }
    }
    on.people(config, data)
}

/// The unresolved fields each employee's credits read, gathered one
/// project credit at a time (in any order); `people` then keeps those the
/// employees' scores read.
#[derive(Debug, Default)]
pub struct On<'a> {
    /// Employee → metric → why.
    on: BTreeMap<usize, BTreeMap<&'a str, Why>>,
}

impl<'a> On<'a> {
    /// The credit `pc` of project `p`.
    pub fn add(&mut self, r: &'a Reconcile, p: &Project, pc: &ProjectCredit) {
        if p.unresolved.is_empty() {
            return;
        }
        let c = &r.credits[pc.credit];
        let open = |f: &str| p.unresolved.iter().any(|u| u == f);
        if !pc.in_period && !open(&c.field) && !open(&c.date) {
            return;
        }
        for role in c.roles() {
            let why: Vec<&str> = reads(r, c, &role).into_iter().filter(|f| open(f)).collect();
            if why.is_empty() {
                continue;
            }
            let mut who: BTreeSet<usize> = p.claimants.get(&role).cloned().unwrap_or_default();
            who.extend(p.people.get(&role));
            for e in who {
                let slot = self.on.entry(e).or_default().entry(&c.metric).or_default();
                slot.extend(why.iter().map(|f| (p.id.clone(), f.to_string())));
            }
        }
    }

    /// Employee → the unresolved (project, field) their scored values read.
    pub fn people(self, config: &Config, data: &Dataset) -> BTreeMap<usize, Why> {
        let on = self.on;
        let mut out: BTreeMap<usize, Why> = BTreeMap::new();
        let scored = |role: &str, metric: &str| {
            config
                .scheme
                .roles
                .get(role)
                .is_some_and(|ro| role_reads(config, role, ro, None).contains(metric))
        };
        for (&e, metrics) in &on {
            let role = &data.employees[e].role;
            for (metric, why) in metrics {
                if scored(role, metric) {
                    out.entry(e).or_default().extend(why.iter().cloned());
                }
            }
        }

        // Team leaders: a provisional member on a metric the blend reads.
        for (role_id, role) in &config.scheme.roles {
            let Some(tb) = &role.team_blend else { continue };
            let Some(members_role) = config.scheme.roles.get(&tb.members) else {
                continue;
            };
            let chosen = match &tb.of {
                Some(TeamOf::Kpis(k)) => Some(k.kpis.as_slice()),
                _ => None,
            };
            let blended = role_reads(config, &tb.members, members_role, chosen);
            let mut by_team: BTreeMap<&str, Why> = BTreeMap::new();
            for (&e, metrics) in &on {
                let m = &data.employees[e];
                if m.role != tb.members {
                    continue;
                }
                for (metric, why) in metrics {
                    if blended.contains(*metric) {
                        by_team
                            .entry(&m.team)
                            .or_default()
                            .extend(why.iter().cloned());
                    }
                }
            }
            for (e, emp) in data.employees.iter().enumerate() {
                if &emp.role == role_id
                    && let Some(why) = by_team.get(emp.team.as_str())
                {
                    out.entry(e).or_default().extend(why.iter().cloned());
                }
            }
        }
        out
    }
}

/// Every metric a role's score reads, through formulas; `only`: just these
/// KPIs (a team blend of chosen KPIs).
pub fn role_reads(
    config: &Config,
    role_id: &str,
    role: &Role,
    only: Option<&[String]>,
) -> BTreeSet<String> {
    let mut names: Vec<String> = Vec::new();
    let formulas = config.compiled.kpi_formulas.get(role_id);
    for (i, k) in role.kpis.iter().enumerate() {
        if only.is_some_and(|ks| !ks.contains(&k.id)) {
            continue;
        }
        names.extend(k.metric.clone());
        if let Some(Target::Metric { metric }) = &k.target {
            names.push(metric.clone());
        }
        if let Some(f) = formulas.and_then(|f| f.get(&i)) {
            names.extend(f.names().into_iter().map(str::to_string));
        }
    }
    if only.is_none() {
        for a in &role.adjustments {
            names.extend(a.items.iter().map(|i| i.metric.clone()));
        }
        for v in config
            .compiled
            .veto_conditions
            .get(role_id)
            .into_iter()
            .flatten()
        {
            names.extend(v.names().into_iter().map(str::to_string));
        }
    }
    // Close over formula metrics.
    let formulas: BTreeMap<&str, &crate::formula::Expr> = config
        .compiled
        .metric_formulas
        .iter()
        .map(|(n, e)| (n.as_str(), e))
        .collect();
    let mut seen = BTreeSet::new();
    while let Some(n) = names.pop() {
        if !seen.insert(n.clone()) {
            continue;
        }
        if let Some(e) = formulas.get(n.as_str()) {
            names.extend(e.names().into_iter().map(str::to_string));
        }
    }
    seen
}
