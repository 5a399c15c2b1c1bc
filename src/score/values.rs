//! What scoring reads for one person: the loaded and derived metric
//! values ([`MetricValues`]) and the rank places of the rank rules ([`RankTable`]),
//! shared by scoring, re-scoring for display and the problems reported.

use super::Rank;
use crate::ingest::{Dataset, Src};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// The values of every person's metrics, looked up by name and employee:
/// loaded first, then derived (formula metrics).
pub(super) struct MetricValues<'a> {
    pub(super) data: &'a Dataset,
    pub(super) derived: &'a HashMap<String, Vec<Option<Decimal>>>,
}

impl MetricValues<'_> {
    pub(super) fn metric(&self, name: &str, emp: usize) -> Option<(Decimal, Src)> {
        if let Some(c) = self.data.metric(name, emp) {
            return Some((c.value, c.src));
        }
        let v = self.derived.get(name)?.get(emp).copied().flatten()?;
        Some((v, Src::Formula(name.into())))
    }

    pub(super) fn value(&self, name: &str, emp: usize) -> Option<Decimal> {
        self.data
            .value(name, emp)
            .or_else(|| self.derived.get(name)?.get(emp).copied().flatten())
    }
}

pub(super) type RankTable = HashMap<(String, usize), HashMap<usize, Rank>>;
