//! `appraise run`: the whole pipeline, from the scheme to the workbooks.

use crate::cli::RunArgs;
use crate::output::Staging;
use crate::report::RunInfo;
use crate::{Result, config, feedback, ingest, reconcile, report, score};
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
    let mut clock = Stages::new(args.timings);
    let mut data = ingest::load(&config)?;
    let recon = reconcile::run(&config, &mut data)?;
    let fb_inputs = feedback::load(&mut config, &mut data)?;
    clock.lap("load");
    let mut outcome = score::run(&config, &data)?;
    recon.mark(&mut outcome);
    clock.lap("score");
    let info = RunInfo::new(&config, &data, args.lang);
    report::write(&config, &data, &outcome, &recon, &info, staging.path())?;
    clock.lap("write summary");
    if !args.no_feedback {
        report::feedback::write(&config, &data, &outcome, &info, &fb_inputs, staging.path())?;
        clock.lap("write feedback");
    }
    let dir = staging.commit()?;
    clock.report();
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

/// Wall time of each stage and the peak memory, printed with `--timings`.
struct Stages {
    on: bool,
    last: Instant,
    laps: Vec<(&'static str, f64)>,
}

impl Stages {
    fn new(on: bool) -> Stages {
        Stages {
            on,
            last: Instant::now(),
            laps: Vec::new(),
        }
    }

    fn lap(&mut self, name: &'static str) {
        let now = Instant::now();
        self.laps.push((name, (now - self.last).as_secs_f64()));
        self.last = now;
    }

    fn report(&self) {
        if !self.on {
            return;
        }
        for (name, secs) in &self.laps {
            eprintln!("timing {name}: {secs:.3}s");
        }
        eprintln!("timing peak memory: {} MiB", peak_memory_kib() / 1024);
    }
}

/// Peak resident memory of this process (VmHWM), in KiB; 0 where unknown.
pub fn peak_memory_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}
