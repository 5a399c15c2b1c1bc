//! The stages of a run before anything is written, in one place, so that
//! `run`, `check` and `explain` compute the very same numbers:
//! `ingest::load (with reconcile::read) → reconcile::run → feedback::load
//! (appeals) → score::run`.

use crate::config::Config;
use crate::ingest::Dataset;
use crate::reconcile::Reconciliation;
use crate::score::Outcome;
use crate::{Result, feedback, ingest, reconcile, score};

/// Everything the reports are written from.
pub struct Scored {
    pub data: Dataset,
    pub recon: Reconciliation,
    pub feedback: feedback::Inputs,
    pub outcome: Outcome,
}

/// Read, reconcile, apply appeals and score. `stage` is told as each stage
/// begins (`"load"`, `"reconcile"`, `"score"`), for progress and timings.
pub fn score(config: &mut Config, stage: &mut dyn FnMut(&'static str)) -> Result<Scored> {
    stage("load");
    // The reconciliation sheets need no roster: they are read while the
    // other inputs are, on whichever core is free. Problems come in the
    // same order as read one after the other: the inputs' first.
    let (data, recon_read) = rayon::join(|| ingest::load(config), || reconcile::read(config));
    let mut data = data?;
    stage("reconcile");
    let recon = reconcile::run(config, &mut data, recon_read)?;
    // Appeals come after reconciliation: an accepted appeal beats a reconciled value.
    stage("load");
    let feedback = feedback::load(config, &mut data)?;
    stage("score");
    let mut outcome = score::run(config, &data)?;
    recon.mark(&mut outcome);
    Ok(Scored {
        data,
        recon,
        feedback,
        outcome,
    })
}
