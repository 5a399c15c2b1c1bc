//! What scoring hands on: each person's scores ([`Scored`]), the whole
//! run's [`Outcome`], and a person's full results ([`Details`]) scored again
//! on demand from what the run kept.

use super::person::{Env, RankTable, score_person};
use super::round::Stages;
use super::{GradeNote, KpiScore, Rank, Status, grade, team, weakspot};
use crate::config::{Config, Target, VetoEffect};
use crate::error::{Error, Result};
use crate::ingest::{Dataset, Src};
use rayon::prelude::*;
use rust_decimal::Decimal;
use std::collections::HashMap;
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
    pub(super) again: Again,
}

/// What scoring one person again needs besides the data and the derived
/// metrics: the rank rules' places and the blended roles' team results,
/// as the pass computed them.
#[derive(Debug, Clone, Default)]
pub(super) struct Again {
    pub(super) ranks: RankTable,
    /// Role id → team → result.
    pub(super) teams: HashMap<String, HashMap<String, team::TeamResult>>,
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
