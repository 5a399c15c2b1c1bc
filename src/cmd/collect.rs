//! `appraise collect RUN_DIR RETURNED_DIR`: read the employees' returned
//! feedback workbooks and write `feedback-summary.xlsx`, atomically, beside
//! the run directory. `--force` replaces only a summary collect wrote, and
//! carries HR's decisions in its 申诉 sheet over into the new one.

use crate::cli::CollectArgs;
use crate::error::{Error, Result};
use crate::feedback::{carry, collect};
use crate::output;
use crate::report::feedback_summary;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Where `collect` writes by default: beside the run directory, not in it
/// (`out/2024Q3` → `out/2024Q3-feedback-summary.xlsx`), so that a re-run of
/// the quarter with `run --force` never deletes HR's decisions.
pub fn default_out(run_dir: &Path) -> PathBuf {
    let dir = match run_dir.file_name() {
        Some(_) => run_dir.to_path_buf(),
        None => output::resolved(run_dir),
    };
    let mut name = dir.file_name().unwrap_or_default().to_os_string();
    name.push("-feedback-summary.xlsx");
    dir.with_file_name(name)
}

pub fn run(args: CollectArgs) -> Result<()> {
    let started = Instant::now();
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| default_out(&args.run_dir));
    output::sweep(&out, "collect");
    let exists = std::fs::symlink_metadata(&out).is_ok();
    if exists && !args.force {
        return Err(Error::Usage(format!(
            "collect: {} already exists; choose another --out, or pass --force to replace it \
             (decisions HR typed into its 申诉 sheet are carried over)",
            out.display()
        )));
    }
    if !args.returned.is_dir() {
        return Err(Error::Usage(format!(
            "collect: {} is not a folder; give the folder the returned workbooks were put in",
            args.returned.display()
        )));
    }
    // HR's decisions in the summary being replaced are kept.
    let carried = if exists {
        carry::read(&out)?
    } else {
        feedback_summary::Carried::new()
    };
    let c = collect::collect(&args.run_dir, &args.returned)?;
    let kept: HashSet<(String, String)> = feedback_summary::appeal_rows(&c)
        .into_iter()
        .map(|(id, _, k)| feedback_summary::appeal_key(id, k))
        .collect();
    let mut lost: Vec<&carry::Decided> = carried
        .iter()
        .filter(|(key, d)| d.filled() && !kept.contains(*key))
        .map(|(_, d)| d)
        .collect();
    if !lost.is_empty() {
        lost.sort_by_key(|d| (d.at.row, d.at.col));
        let cells: Vec<String> = lost
            .iter()
            .map(|d| {
                let what = if d.kpi.is_empty() { "overall" } else { &d.kpi };
                format!("{} ({} {what})", d.at.short(), d.id)
            })
            .collect();
        return Err(Error::Usage(format!(
            "collect: {} holds HR's decisions on appeals that the returned workbooks no longer make: {}; \
             replacing it would lose them; keep it and write the new summary elsewhere with --out",
            out.display(),
            cells.join(", ")
        )));
    }
    let carried_n = carried
        .iter()
        .filter(|(key, d)| d.filled() && kept.contains(*key))
        .count();
    let name = out
        .file_name()
        .ok_or_else(|| Error::Usage(format!("collect: {} does not name a file", out.display())))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".partial-{}", std::process::id()));
    let tmp = out.with_file_name(tmp_name);
    let written = feedback_summary::write(&c, &args.returned, args.lang, &carried, &tmp)
        .and_then(|()| {
            let renamed = if exists {
                std::fs::rename(&tmp, &out)
            } else {
                output::rename_noreplace(&tmp, &out)
            };
            renamed.map_err(|e| {
                if exists {
                    Error::io(&out, e)
                } else {
                    Error::Usage(format!(
                        "collect: {} was written by another process meanwhile; it was left as it is; \
                         pass --force to replace it",
                        out.display()
                    ))
                }
            })
        });
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    if carried_n > 0 {
        note!(
            "collect: carried over HR's decisions on {carried_n} appeal{} from the summary replaced",
            if carried_n == 1 { "" } else { "s" }
        );
    }
    let appealed = c
        .answers
        .values()
        .filter(|a| a.overall == Some(false))
        .count();
    let confirmed = c
        .answers
        .values()
        .filter(|a| a.overall == Some(true))
        .count();
    note!(
        "collected {} files for run {}: {confirmed} confirmed, {appealed} appealed, {} without an answer, {} rejected; wrote {} in {:.1}s",
        c.files,
        c.facts.run_id,
        c.facts.people.len() - confirmed - appealed,
        c.rejected.len(),
        out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
