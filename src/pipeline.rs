//! The stages of a run before anything is written, in one place, so that
//! `run`, `check` and `explain` compute the very same numbers:
//! `ingest::read (with instruments::read beside it, and reconcile::read
//! beside both) → instruments::apply → reconcile::decide (with
//! feedback::read beside it) → feedback::apply (appeals) → score::run →
//! Reconciliation::mark`.

use crate::config::Config;
use crate::ingest::Dataset;
use crate::instruments::Loaded;
use crate::reconcile::Reconciliation;
use crate::score::{GradeNote, Outcome};
use crate::{Error, Result, feedback, history, ingest, instruments, reconcile, score};

/// A scored run: everything the reports are written from.
pub struct ScoredRun {
    pub data: Dataset,
    /// What the management instruments read (`[instruments.*]`), kept for
    /// the reports.
    pub instruments: Loaded,
    pub recon: Reconciliation,
    pub feedback: feedback::CommentsAndAppeals,
    pub outcome: Outcome,
    /// The earlier runs `[history]` names, read and checked (issue 18).
    pub history: history::History,
}

/// Everything read from the inputs, nothing decided yet: what
/// [`read`] gives and [`score_read`] scores. `appraise whatif` reads it
/// once and scores a clone of it under each scheme.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct Inputs {
    pub data: Dataset,
    pub instruments: Loaded,
    pub recon: Option<reconcile::ReconciliationSheets>,
}

/// Read, reconcile, apply appeals and score. `stage` is told as each stage
/// begins (`"load"`, `"reconcile"`, `"score"`), for progress and timings.
pub fn score(config: &mut Config, stage: &mut dyn FnMut(&'static str)) -> Result<ScoredRun> {
    stage("load");
    let inputs = read(config)?;
    score_read(config, inputs, stage)
}

/// The load stage: every input the scheme names, read and typed.
pub fn read(config: &Config) -> Result<Inputs> {
    // The reconciliation sheets need no roster: they are read while the
    // other inputs are, on whichever core is free. Problems come in the
    // same order as read one after the other: the inputs' first.
    let (data, recon) = rayon::join(|| load(config), || reconcile::read(config));
    let (data, instruments) = data?;
    Ok(Inputs {
        data,
        instruments,
        recon,
    })
}

/// The stages after [`read`]: the earlier runs `[history]` names, reconcile,
/// appeals, score.
pub fn score_read(
    config: &mut Config,
    inputs: Inputs,
    stage: &mut dyn FnMut(&'static str),
) -> Result<ScoredRun> {
    let prepared = prepare(config, inputs, stage)?;
    stage("score");
    let outcome = score_prepared(config, &prepared)?;
    Ok(ScoredRun::from_prepared(prepared, outcome))
}

impl ScoredRun {
    /// The prepared data and its scores.
    pub fn from_prepared(prepared: Prepared, outcome: Outcome) -> ScoredRun {
        let Prepared {
            data,
            instruments,
            recon,
            feedback,
            history,
        } = prepared;
        ScoredRun {
            data,
            instruments,
            recon,
            feedback,
            outcome,
            history,
        }
    }
}

/// What scoring reads, decided: the inputs reconciled, with the appeals
/// applied and the earlier runs read. Two schemes that differ only in how
/// they score (`appraise whatif`) can share one.
pub struct Prepared {
    pub data: Dataset,
    pub instruments: Loaded,
    pub recon: Reconciliation,
    pub feedback: feedback::CommentsAndAppeals,
    pub history: history::History,
}

/// The stages between [`read`] and scoring: the earlier runs `[history]`
/// names, reconcile, appeals (which may add the appeal adjustment section
/// to the scheme).
pub fn prepare(
    config: &mut Config,
    inputs: Inputs,
    stage: &mut dyn FnMut(&'static str),
) -> Result<Prepared> {
    let Inputs {
        mut data,
        instruments,
        recon: recon_read,
    } = inputs;
    let ids: Vec<&str> = data.employees.iter().map(|e| e.id.as_str()).collect();
    let history = history::load(config, &ids)?;
    // The projects are reconciled while the managers' comments and HR's
    // appeals are read (neither changes the data); then the credits join
    // the data, and after them the appeals: an accepted appeal beats a
    // reconciled value. A reconciliation problem is said first.
    stage("reconcile");
    let (decided, feedback_read) = rayon::join(
        || reconcile::decide(config, &data, recon_read),
        || feedback::read(config, &data),
    );
    let recon = decided?.apply(&mut data)?;
    stage("load");
    let feedback = feedback::apply(config, &mut data, feedback_read)?;
    Ok(Prepared {
        data,
        instruments,
        recon,
        feedback,
        history,
    })
}

/// Score `prepared` under `config`, everyone with an unresolved conflict
/// marked provisional.
pub fn score_prepared(config: &Config, prepared: &Prepared) -> Result<Outcome> {
    let mut outcome = score::run(config, &prepared.data)?;
    mark_provisional(&prepared.recon, &mut outcome);
    Ok(outcome)
}

/// Read every input the scheme names: the instruments are read against the
/// roster while the other files are read, and added once those are in.
/// Any problem of either stops the run, all reported together.
pub fn load(config: &Config) -> Result<(Dataset, Loaded)> {
    let (mut data, mut problems, read) = ingest::read(config, |ds| instruments::read(config, ds));
    let loaded = instruments::apply(config, read, &mut data, &mut problems);
    if problems.is_empty() {
        Ok((data, loaded))
    } else {
        Err(Error::Data(problems))
    }
}

/// Note "provisional" on everyone scored with an unresolved conflict.
fn mark_provisional(recon: &Reconciliation, outcome: &mut Outcome) {
    for p in &mut outcome.people {
        if let Some(why) = recon.provisional.get(&p.emp) {
            p.grade_notes
                .push(GradeNote::Provisional { why: why.clone() });
        }
    }
}
