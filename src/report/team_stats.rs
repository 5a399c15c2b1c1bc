//! Team aggregates (短板比对), computed once per run: for each team and role,
//! every KPI's average and best score and the totals' average and best. The
//! employee workbooks read these instead of scanning everyone, and show them
//! only where the group is large enough not to reveal a colleague's score.

use crate::config::Config;
use crate::ingest::Dataset;
use crate::score::{Outcome, Status, round};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// Aggregates of a group smaller than this are not shown to employees: in a
/// group of two, the average gives away the other person's score.
pub const MIN_PEERS: usize = 3;

/// One team's people of one role.
#[derive(Debug, Clone, Default)]
pub struct Group {
    /// Indices into `Outcome::people`, in id order.
    pub people: Vec<usize>,
    /// Per KPI index of the role: average score (4 places) and best score.
    pub kpi_avg: Vec<Option<Decimal>>,
    pub kpi_best: Vec<Option<Decimal>>,
    pub total_avg: Decimal,
    pub total_best: Decimal,
}

impl Group {
    /// Aggregates an employee may see.
    pub fn shareable(&self) -> bool {
        self.people.len() >= MIN_PEERS
    }
}

/// Groups by (role id, team).
#[derive(Debug, Clone, Default)]
pub struct TeamStats {
    pub groups: HashMap<(String, String), Group>,
}

/// Whether a KPI result counts in the team's average (it was scored).
pub fn counts(status: Status) -> bool {
    matches!(status, Status::Scored | Status::MissingZero)
}

impl TeamStats {
    pub fn build(config: &Config, data: &Dataset, outcome: &Outcome) -> TeamStats {
        let mode = config.scheme.rounding.mode;
        let mut groups: HashMap<(String, String), Group> = HashMap::new();
        for (i, p) in outcome.people.iter().enumerate() {
            let e = &data.employees[p.emp];
            groups
                .entry((e.role.clone(), e.team.clone()))
                .or_default()
                .people
                .push(i);
        }
        for ((role_id, _), g) in groups.iter_mut() {
            let nk = config.scheme.roles.get(role_id).map_or(0, |r| r.kpis.len());
            let mut sum = vec![(Decimal::ZERO, 0u64, None::<Decimal>); nk];
            let mut total = Decimal::ZERO;
            let mut best: Option<Decimal> = None;
            for &i in &g.people {
                let p = &outcome.people[i];
                total += p.total;
                best = Some(best.map_or(p.total, |b| b.max(p.total)));
                for k in &p.scores {
                    if counts(k.status) && usize::from(k.kpi) < nk {
                        let s = &mut sum[usize::from(k.kpi)];
                        s.0 += k.score;
                        s.1 += 1;
                        s.2 = Some(s.2.map_or(k.score, |b: Decimal| b.max(k.score)));
                    }
                }
            }
            let n = Decimal::from(g.people.len().max(1) as u64);
            g.total_avg = round::round(total / n, Some(2), mode);
            g.total_best = best.unwrap_or_default();
            g.kpi_avg = sum
                .iter()
                .map(|(s, c, _)| {
                    (*c > 0).then(|| round::round(*s / Decimal::from(*c), Some(4), mode))
                })
                .collect();
            g.kpi_best = sum.iter().map(|(_, _, b)| *b).collect();
        }
        TeamStats { groups }
    }

    pub fn of(&self, data: &Dataset, emp: usize) -> Option<&Group> {
        let e = &data.employees[emp];
        self.groups.get(&(e.role.clone(), e.team.clone()))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn small_groups_are_not_shared() {
        let mut g = super::Group {
            people: vec![0, 1],
            ..Default::default()
        };
        assert!(!g.shareable());
        g.people.push(2);
        assert!(g.shareable());
    }
}
