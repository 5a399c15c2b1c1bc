//! `appraise collect RUN_DIR RETURNED_DIR`: read the employees' returned
//! feedback workbooks and write `feedback-summary.xlsx`, atomically.

use crate::cli::CollectArgs;
use crate::error::{Error, Result};
use crate::feedback::collect;
use crate::report::feedback_summary;
use std::time::Instant;

pub fn run(args: CollectArgs) -> Result<()> {
    let started = Instant::now();
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| args.run_dir.join("feedback-summary.xlsx"));
    if out.exists() && !args.force {
        return Err(Error::Usage(format!(
            "collect: {} already exists; choose another --out, or pass --force to replace it",
            out.display()
        )));
    }
    if !args.returned.is_dir() {
        return Err(Error::Usage(format!(
            "collect: {} is not a folder; give the folder the returned workbooks were put in",
            args.returned.display()
        )));
    }
    let c = collect::collect(&args.run_dir, &args.returned)?;
    let name = out
        .file_name()
        .ok_or_else(|| Error::Usage(format!("collect: {} does not name a file", out.display())))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".partial-{}", std::process::id()));
    let tmp = out.with_file_name(tmp_name);
    let written = feedback_summary::write(&c, &args.returned, args.lang, &tmp)
        .and_then(|()| std::fs::rename(&tmp, &out).map_err(|e| Error::io(&out, e)));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
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
