//! The team part of a team leader's score (docs/scoring.md §2, Team leaders): total =
//! α × own + β × the team's result, where the team's result is either the
//! members' average total (`of = "average_total"`, the default) or the
//! team's average scores of chosen KPIs (`of = { kpis = [...] }`), weighted
//! by those KPIs' weights and expressed in points of 100:
//!
//!   result = 100 × Σ weight_k × average score_k ÷ Σ weight_k
//!
//! Members whose KPI was excluded (missing data) do not enter its average.
//! The result is rounded to [`PLACES`] places (the scheme's rounding mode)
//! before it is blended, whatever the scheme's stages: the 团队均分 a note
//! shows is the number the total used, so the note adds up to the total.

use super::round::quot;
use super::{PersonOutcome, Status};
use crate::config::instruments::TeamOf;
use crate::config::{Config, TeamBlend};
use crate::ingest::Dataset;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// Places of a team's result, as shown and as blended.
pub const PLACES: u32 = 2;

/// One chosen KPI's team average, for the breakdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamKpiPart {
    /// Index of the KPI in the members' role.
    pub kpi: usize,
    pub id: String,
    pub name: String,
    pub weight: Decimal,
    /// The team's average score of the KPI (a fraction of its weight).
    pub average: Decimal,
    /// Members whose score entered the average.
    pub counted: usize,
}

/// A team's result, in points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamResult {
    pub value: Decimal,
    pub members: usize,
    /// Empty when the result is the average total.
    pub kpis: Vec<TeamKpiPart>,
}

/// Each team's result from the already-scored people of the members' role.
pub fn results(
    config: &Config,
    data: &Dataset,
    people: &[Option<PersonOutcome>],
    blend: &TeamBlend,
) -> HashMap<String, TeamResult> {
    let chosen: Vec<usize> = match (&blend.of, config.scheme.roles.get(&blend.members)) {
        (Some(TeamOf::Kpis(k)), Some(role)) => k
            .kpis
            .iter()
            .filter_map(|id| role.kpis.iter().position(|x| &x.id == id))
            .collect(),
        _ => Vec::new(),
    };
    // team → (Σ totals, members, per chosen KPI (Σ scores, count)).
    type Acc = (Decimal, usize, Vec<(Decimal, usize)>);
    let mut acc: HashMap<&str, Acc> = HashMap::new();
    for sc in people.iter().flatten() {
        let e = &data.employees[sc.emp];
        if e.role != blend.members {
            continue;
        }
        let slot = acc
            .entry(e.team.as_str())
            .or_insert_with(|| (Decimal::ZERO, 0, vec![(Decimal::ZERO, 0); chosen.len()]));
        slot.0 += sc.total;
        slot.1 += 1;
        for (j, &k) in chosen.iter().enumerate() {
            if let Some(s) = sc.scores.iter().find(|s| usize::from(s.kpi) == k)
                && matches!(s.status, Status::Scored | Status::MissingZero)
            {
                slot.2[j].0 += s.score;
                slot.2[j].1 += 1;
            }
        }
    }
    let role = config.scheme.roles.get(&blend.members);
    let shown = |x: Decimal| super::round::round(x, Some(PLACES), config.scheme.rounding.mode);
    acc.into_iter()
        .map(|(team, (sum, n, per))| {
            if chosen.is_empty() {
                let value = shown(quot(sum, Decimal::from(n as u64)));
                return (
                    team.to_string(),
                    TeamResult {
                        value,
                        members: n,
                        kpis: Vec::new(),
                    },
                );
            }
            let kpis: Vec<TeamKpiPart> = chosen
                .iter()
                .zip(per)
                .map(|(&k, (s, c))| {
                    let def = role.map(|r| &r.kpis[k]);
                    TeamKpiPart {
                        kpi: k,
                        id: def.map(|d| d.id.clone()).unwrap_or_default(),
                        name: def.map(|d| d.name.clone()).unwrap_or_default(),
                        weight: def.map(|d| d.weight.get()).unwrap_or_default(),
                        average: if c == 0 {
                            Decimal::ZERO
                        } else {
                            quot(s, Decimal::from(c as u64))
                        },
                        counted: c,
                    }
                })
                .collect();
            (
                team.to_string(),
                TeamResult {
                    value: shown(kpi_result(&kpis)),
                    members: n,
                    kpis,
                },
            )
        })
        .collect()
}

/// 100 × Σ weight × average ÷ Σ weight, over KPIs with at least one score.
pub fn kpi_result(kpis: &[TeamKpiPart]) -> Decimal {
    let used = kpis.iter().filter(|k| k.counted > 0);
    let w: Decimal = used.clone().map(|k| k.weight).sum();
    if w.is_zero() {
        return Decimal::ZERO;
    }
    let s: Decimal = used.map(|k| k.weight * k.average).sum();
    quot(Decimal::ONE_HUNDRED * s, w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).expect("decimal")
    }

    fn part(weight: &str, average: &str, counted: usize) -> TeamKpiPart {
        TeamKpiPart {
            kpi: 0,
            id: String::new(),
            name: String::new(),
            weight: d(weight),
            average: d(average),
            counted,
        }
    }

    #[test]
    fn chosen_kpis_weighted_into_points() {
        // revenue (25) averages 0.9, collection (10) averages 1.1:
        // 100 × (25 × 0.9 + 10 × 1.1) / 35 = 100 × 33.5 / 35.
        let r = kpi_result(&[part("25", "0.9", 3), part("10", "1.1", 3)]);
        assert_eq!(r, d("3350") / d("35"));
        // A KPI nobody was scored on drops out of the weights.
        assert_eq!(
            kpi_result(&[part("25", "0.9", 3), part("10", "0", 0)]),
            d("90")
        );
        assert_eq!(kpi_result(&[]), Decimal::ZERO);
    }
}
