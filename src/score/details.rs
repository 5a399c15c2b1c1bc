//! A person's full results for display (明细, the feedback workbooks,
//! `explain`), scored again from the run's data rather than kept, and where
//! each KPI's actual and target came from.

use super::outcome::{Details, Outcome, PersonOutcome};
use super::person::score_person;
use super::round::Stages;
use super::values::MetricValues;
use crate::config::{Config, Target};
use crate::error::{Error, Result};
use crate::ingest::{Dataset, Src};
use rayon::prelude::*;

impl Outcome {
    /// One person's KPI and adjustment results: scored again from the same
    /// data, derived metrics, rank places and team results as in the run,
    /// so the same values. The outcome does not keep them (at 100,000
    /// employees they came to over 500 MB); scoring one person takes
    /// microseconds.
    pub fn details(&self, config: &Config, data: &Dataset, p: &PersonOutcome) -> Result<Details> {
        let e = &data.employees[p.emp];
        let Some(role) = config.scheme.roles.get(&e.role) else {
            return Ok(Details {
                kpis: Vec::new(),
                adjustments: Vec::new(),
            });
        };
        let env = MetricValues {
            data,
            derived: &self.derived,
        };
        score_person(
            config,
            &e.role,
            role,
            p.emp,
            &env,
            &self.ranks_and_teams.ranks,
            self.ranks_and_teams.teams.get(&e.role),
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
        people: &[PersonOutcome],
        mut each: impl FnMut(&PersonOutcome, &Details) -> Result<()>,
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
        let env = MetricValues {
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
