//! `appraise run`: the whole pipeline, from the scheme to the workbooks.

use super::timings::Stages;
use crate::cli::RunArgs;
use crate::output::{self, StagedOutput};
use crate::progress::Progress;
use crate::report::RunInfo;
use crate::{Result, config, report};
use std::path::PathBuf;
use std::time::{Duration, Instant};

pub fn run(args: RunArgs) -> Result<()> {
    let started = Instant::now();
    let mut config = config::load(&args.config)?;
    super::check::warnings(&config);
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("out").join(&config.scheme.period.id));
    // --force never replaces the scheme, its inputs or its workbooks.
    let staging =
        StagedOutput::begin_keeping(&out, args.force, "run", output::scheme_files(&config))?;
    let progress = Progress::new(args.quiet);
    let mut clock = Stages::new(args.timings);
    let words = crate::lang::messages();
    let say = |zh, en| crate::lang::in_lang(words, zh, en);
    let spin = progress.spinner(say("读取工作簿", "reading workbooks"));
    let scored = crate::pipeline::score(&mut config, &mut |next| {
        clock.start(next);
        spin.set_message(match next {
            "reconcile" => say("核对项目", "reconciling projects"),
            "score" => say("计算得分", "scoring"),
            _ => say("读取工作簿", "reading workbooks"),
        });
    })?;
    let crate::pipeline::ScoredRun {
        data,
        instruments,
        recon,
        feedback: fb_inputs,
        outcome,
        history,
    } = scored;
    let info = RunInfo::new(&config, &data, args.lang);
    // summary.xlsx is written on one core while the feedback workbooks fill
    // the others; each reports its own wall time, `write all` the two
    // together.
    clock.start("write all");
    let summary_started = Instant::now();
    spin.set_message(say("写出 summary.xlsx", "writing summary.xlsx"));
    let (summary, feedback) = rayon::join(
        || {
            let written = report::write(
                &config,
                &data,
                &instruments,
                &outcome,
                &recon,
                &history,
                &info,
                staging.path(),
            );
            spin.finish_and_clear();
            written.map(|()| summary_started.elapsed())
        },
        || -> Result<Option<(usize, usize, Duration)>> {
            if args.no_feedback {
                return Ok(None);
            }
            let started = Instant::now();
            let ctx = report::feedback::Context::new(
                &config,
                &data,
                &instruments,
                &outcome,
                &info,
                &fb_inputs,
            )
            .with_history(&history);
            let (people, teams) = report::write_feedback(&ctx, staging.path(), progress)?;
            Ok(Some((people, teams, started.elapsed())))
        },
    );
    // A write failure names the file where it would have been, not the
    // hidden staging directory (which is removed).
    let named = |e: crate::Error| match e {
        crate::Error::Other(m) => crate::Error::Other(m.map(|m| {
            m.replace(
                &staging.path().display().to_string(),
                &staging.target().display().to_string(),
            )
        })),
        e => e,
    };
    clock.record("write summary", summary.map_err(named)?);
    // summary.xlsx, manifest.json and scores.json.
    let mut files = 3;
    if let Some((people, teams, took)) = feedback.map_err(named)? {
        clock.record("write feedback", took);
        files += people + teams;
    }
    report::manifest::seal(&config, &data, &outcome, &info, staging.path()).map_err(named)?;
    clock.start("commit");
    let dir = staging.commit()?;
    clock.report();
    if !args.quiet {
        let unresolved = recon
            .rows
            .iter()
            .filter(|r| r.status == crate::reconcile::conflict::Status::Unresolved)
            .count();
        let (people, period) = (outcome.people.len(), &config.scheme.period.id);
        let (dir, differences) = (dir.display(), recon.rows.len());
        let (warnings, run_id) = (instruments.warnings.len(), &info.run_id);
        let secs = started.elapsed().as_secs_f64();
        note!(
            "{}{}",
            crate::t!(
                "已为 {period} 的 {people} 名员工评分，写入 {dir}：项目核对差异 {differences} 处（{unresolved} 处未解决），留存预警 {warnings} 条，文件 {files} 个，运行编号 {run_id}，用时 {secs:.1} 秒",
                "scored {people} employees of {period} into {dir}: {differences} reconciliation differences ({unresolved} unresolved), {warnings} retention warnings, {files} files, run {run_id}, {secs:.1}s"
            ),
            super::check::left_out(&data)
        );
    }
    Ok(())
}
