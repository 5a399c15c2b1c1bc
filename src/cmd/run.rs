//! `appraise run`: the whole pipeline, from the scheme to the workbooks.

use crate::cli::RunArgs;
use crate::output::Staging;
use crate::report::RunInfo;
use crate::{Result, config, feedback, ingest, report, score};
use std::path::PathBuf;
use std::time::Instant;

pub fn run(args: RunArgs) -> Result<()> {
    let started = Instant::now();
    let mut config = config::load(&args.config)?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("out").join(&config.scheme.period.id));
    let staging = Staging::begin(&out, args.force, "run")?;
    let mut data = ingest::load(&config)?;
    let fb_inputs = feedback::load(&mut config, &mut data)?;
    let outcome = score::run(&config, &data)?;
    let info = RunInfo::new(&config, &data, args.lang);
    report::write(&config, &data, &outcome, &info, staging.path())?;
    if !args.no_feedback {
        report::feedback::write(&config, &data, &outcome, &info, &fb_inputs, staging.path())?;
    }
    let dir = staging.commit()?;
    eprintln!(
        "scored {} employees of {} into {} (run {}) in {:.1}s",
        outcome.people.len(),
        config.scheme.period.id,
        dir.display(),
        info.run_id,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
