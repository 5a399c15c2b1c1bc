//! The provisional mark of people scored with an unresolved reconciliation
//! conflict (`Reconciliation::mark` notes them 暂定：…). Every sheet that
//! lists people ends with a 状态 column reading 暂定 for them; 分布 notes
//! how many of a calibration group are provisional.

use super::book::in_lang;
use crate::lang::Lang;
use crate::score::Outcome;
use std::collections::BTreeSet;

/// Employees scored provisionally.
pub fn people(outcome: &Outcome) -> BTreeSet<usize> {
    outcome
        .people
        .iter()
        .filter(|p| p.grade_notes.iter().any(|n| n.is_provisional()))
        .map(|p| p.emp)
        .collect()
}

/// The column header.
pub fn header(lang: Lang) -> &'static str {
    in_lang(lang, "状态", "Status")
}

/// The column's text for one person: the mark, or nothing.
pub fn status(set: &BTreeSet<usize>, emp: usize, lang: Lang) -> Option<&'static str> {
    set.contains(&emp)
        .then(|| in_lang(lang, "暂定", "provisional"))
}
