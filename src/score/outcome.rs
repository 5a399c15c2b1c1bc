//! What scoring hands on: each person's scores ([`PersonOutcome`]), the whole
//! run's [`Outcome`], and a person's full results ([`Details`]) scored again
//! on demand from what the run kept.

use super::values::RankTable;
use super::{GradeNote, KpiScore, Rank, Status, grade, team, weakspot};
use crate::config::VetoEffect;
use crate::ingest::Src;
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
pub struct PersonOutcome {
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
    pub people: Vec<PersonOutcome>,
    pub groups: Vec<grade::GroupReport>,
    /// Formula metrics computed for each employee.
    pub derived: HashMap<String, Vec<Option<Decimal>>>,
    /// 短板比对, when `[instruments.weak_spots]` is configured.
    pub weak_spots: Option<weakspot::WeakSpots>,
    /// KPI results computed, over everyone.
    pub kpi_results: usize,
    pub(super) ranks_and_teams: RanksAndTeams,
}

/// What scoring one person again needs besides the data and the derived
/// metrics: the rank rules' places and the blended roles' team results,
/// as the pass computed them.
#[derive(Debug, Clone, Default)]
pub(super) struct RanksAndTeams {
    pub(super) ranks: RankTable,
    /// Role id → team → result.
    pub(super) teams: HashMap<String, HashMap<String, team::TeamResult>>,
}
