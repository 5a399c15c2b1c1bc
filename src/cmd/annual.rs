//! `appraise run` on an annual scheme (`[annual]`, issue 18): the year's
//! result from the quarters' runs.

use crate::cli::RunArgs;
use crate::output::{Kept, StagedOutput};
use crate::{Result, config, history, report};
use std::path::PathBuf;

pub fn run(args: RunArgs) -> Result<()> {
    let config = config::annual::load(&args.config)?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("out").join(&config.scheme.period.id));
    let keep = vec![Kept::new(&config.path, crate::t!("方案文件", "the scheme"))];
    let staging = StagedOutput::begin_keeping(&out, args.force, "run", keep)?;
    let year = history::annual::combine(&config)?;
    let graded = report::annual::write(&config, &year, args.lang, staging.path())?;
    let dir = staging.commit()?;
    if !args.quiet {
        let (people, period, dir) = (year.people.len(), &config.scheme.period.id, dir.display());
        let quarters = year.quarters.len();
        let ungraded = people - graded;
        note!(
            "{}",
            crate::t!(
                "已由 {quarters} 个季度得出 {period} 全年结果：{people} 人，其中 {ungraded} 人季度不足未评级，写入 {dir}",
                "the year {period} from {quarters} quarters: {people} people, {ungraded} not graded (too few quarters), into {dir}"
            )
        );
    }
    Ok(())
}
