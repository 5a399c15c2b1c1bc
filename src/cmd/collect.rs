//! `appraise collect RUN_DIR RETURNED_DIR`: read the employees' returned
//! feedback workbooks and write `feedback-summary.xlsx`, atomically, beside
//! the run directory. `--force` replaces only a summary collect wrote, and
//! carries HR's decisions in its 申诉 sheet over into the new one.

use crate::cli::CollectArgs;
use crate::error::{Error, Result};
use crate::feedback::{carry, collect};
use crate::output;
use crate::report::feedback_summary;
use crate::t;
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
        let out = out.display();
        return Err(Error::Usage(t!(
            "collect：{out} 已存在；请换一个 --out，或加 --force 替换它\
             （HR 在其“申诉”表中填写的决定会保留到新表中）",
            "collect: {out} already exists; choose another --out, or pass --force to replace it \
             (decisions HR typed into its 申诉 sheet are carried over)"
        )));
    }
    if !args.returned.is_dir() {
        let returned = args.returned.display();
        return Err(Error::Usage(t!(
            "collect：{returned} 不是文件夹；请给出存放交回工作簿的文件夹",
            "collect: {returned} is not a folder; give the folder the returned workbooks were put in"
        )));
    }
    // HR's decisions in the summary being replaced are kept.
    let carried = if exists {
        carry::read(&out)?
    } else {
        feedback_summary::Carried::new()
    };
    let c = collect::collect(&args.run_dir, &args.returned)?;
    let carried_n = keep_decisions(&c, &carried, &out)?;
    // Beside `out`, renamed into place (output::write_file_atomically).
    output::write_file_atomically(&out, exists, "collect", |tmp| {
        feedback_summary::write(&c, &args.returned, args.lang, &carried, tmp)
    })?;
    if carried_n > 0 {
        let s = if carried_n == 1 { "" } else { "s" };
        note!(
            "{}",
            t!(
                "collect：从被替换的汇总中保留了 HR 对 {carried_n} 项申诉的决定",
                "collect: carried over HR's decisions on {carried_n} appeal{s} from the summary replaced"
            )
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
    let (files, run_id) = (c.files, &c.facts.run_id);
    let silent = c.facts.people.len() - confirmed - appealed;
    let rejected = c.rejected.len();
    let (out, secs) = (out.display(), started.elapsed().as_secs_f64());
    note!(
        "{}",
        t!(
            "已收集运行 {run_id} 的 {files} 个文件：{confirmed} 人确认，{appealed} 人申诉，{silent} 人未答复，{rejected} 个被退回；已写出 {out}，用时 {secs:.1} 秒",
            "collected {files} files for run {run_id}: {confirmed} confirmed, {appealed} appealed, {silent} without an answer, {rejected} rejected; wrote {out} in {secs:.1}s"
        )
    );
    Ok(())
}

/// The decisions HR typed into the summary being replaced, each kept on an
/// appeal still made: how many are carried over, or an error naming the
/// cells of those whose appeal is gone (replacing would lose them).
fn keep_decisions(
    c: &collect::Collected,
    carried: &feedback_summary::Carried,
    out: &Path,
) -> Result<usize> {
    let kept: HashSet<(String, String)> = feedback_summary::appeal_rows(c)
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
                let what = if d.kpi.is_empty() {
                    crate::lang::in_lang(crate::lang::messages(), "总体", "overall")
                } else {
                    &d.kpi
                };
                format!("{} ({} {what})", d.at.short(), d.id)
            })
            .collect();
        let (out, cells) = (out.display(), cells.join(", "));
        return Err(Error::Usage(t!(
            "collect：{out} 中有 HR 对申诉所作的决定，而交回的工作簿已不再提出这些申诉：{cells}；\
             替换它会丢失这些决定；请保留它，用 --out 把新的汇总写到别处",
            "collect: {out} holds HR's decisions on appeals that the returned workbooks no longer make: {cells}; \
             replacing it would lose them; keep it and write the new summary elsewhere with --out"
        )));
    }
    let carried_n = carried
        .iter()
        .filter(|(key, d)| d.filled() && kept.contains(*key))
        .count();
    Ok(carried_n)
}
