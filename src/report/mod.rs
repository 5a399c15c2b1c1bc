//! The workbooks a run writes. `write` is the last stage of the pipeline: it
//! takes the scored outcome and writes `summary.xlsx` and `manifest.json`
//! into the (staging) output directory.

pub mod annual;
pub mod book;
pub mod checkpoint_sheet;
pub mod feedback;
pub mod feedback_summary;
pub mod manifest;
pub mod migration;
pub mod pages;
pub mod print;
pub mod product_sheet;
pub mod provisional;
pub mod reconcile_sheet;
pub mod role_sheet;
pub mod rvc_sheet;
pub mod sheets;
pub mod summary;
pub mod team;
pub mod team_stats;
pub mod trend;
pub mod warning_sheet;
pub mod weakspot_sheet;
pub mod whatif;

use crate::config::Config;
use crate::error::Result;
use crate::ingest::Dataset;
use crate::lang::Lang;
use crate::score::Outcome;
use std::path::Path;

/// Facts about the run, shown in `运行信息` and `manifest.json`.
#[derive(Debug, Clone)]
pub struct RunInfo {
    pub run_id: String,
    pub engine_version: &'static str,
    pub lang: Lang,
}

impl RunInfo {
    /// The run id is a digest of the engine version, the scheme and every
    /// input: the same inputs give the same id, so results are reproducible.
    pub fn new(config: &Config, data: &Dataset, lang: Lang) -> RunInfo {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        h.update(config.sha256.as_bytes());
        for f in &data.files {
            h.update(f.sha256.as_bytes());
        }
        RunInfo {
            run_id: crate::config::hex(&h.finalize())[..16].to_string(),
            engine_version: env!("CARGO_PKG_VERSION"),
            lang,
        }
    }
}

/// The date stamped into every workbook: the period's end.
pub fn period_date(config: &Config) -> (i32, u32, u32) {
    config.scheme.period.end.date.map_or((2000, 1, 1), |d| {
        (d.year as i32, d.month as u32, d.day as u32)
    })
}

/// Write the run's reports into `dir`.
#[allow(clippy::too_many_arguments)]
pub fn write(
    config: &Config,
    data: &Dataset,
    instruments: &crate::instruments::Loaded,
    outcome: &Outcome,
    recon: &crate::reconcile::Reconciliation,
    history: &crate::history::History,
    info: &RunInfo,
    dir: &Path,
) -> Result<()> {
    summary::write(
        config,
        data,
        instruments,
        outcome,
        recon,
        history,
        info,
        &dir.join("summary.xlsx"),
    )?;
    manifest::write(config, data, outcome, info, &dir.join("manifest.json"))?;
    migration::write_scores(
        config,
        data,
        outcome,
        &dir.join(crate::history::SCORES_FILE),
    )?;
    Ok(())
}

/// Write the employees' and the teams' workbooks into `dir`.
pub fn write_feedback(
    ctx: &feedback::Context,
    dir: &Path,
    progress: crate::progress::Progress,
) -> Result<(usize, usize)> {
    let label = crate::lang::in_lang(crate::lang::messages(), "反馈工作簿", "feedback workbooks");
    let bar = progress.bar(ctx.outcome.people.len() as u64, label);
    let people = feedback::write_all(ctx, dir, &bar)?;
    bar.finish_and_clear();
    let teams = team::write_all(ctx, dir)?;
    Ok((people, teams))
}
