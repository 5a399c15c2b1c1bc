//! `appraise run` on an annual scheme (`[annual]`, issue 18): the year's
//! result from the quarters' runs.

use crate::cli::{CheckArgs, ExplainArgs, RunArgs};
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

/// `appraise explain YEAR.toml ID`: one person's year, quarter by quarter,
/// the arithmetic of the annual total, and the grade with its notes.
pub fn explain(args: ExplainArgs) -> Result<()> {
    let config = config::annual::load(&args.config)?;
    let year = history::annual::combine(&config)?;
    let (graded, _) = report::annual::grade_year(&config, &year);
    let who = args.employee.trim();
    let Some(i) = year.people.iter().position(|p| p.id == who) else {
        let period = &config.scheme.period.id;
        return Err(crate::Error::Usage(crate::t!(
            "explain：{period} 的各季度中没有员工 `{who}`",
            "explain: no employee `{who}` in the quarters of {period}"
        )));
    };
    let p = &year.people[i];
    let lang = args.lang;
    let say = |zh, en| crate::lang::in_lang(lang, zh, en);
    let mut out = format!(
        "{} {} · {} · {} — {} {}\n",
        p.id,
        p.name,
        p.role,
        p.team,
        config.scheme.period.id,
        say("全年", "year")
    );
    for ((q, t), w) in year.quarters.iter().zip(&p.quarters).zip(&config.weights) {
        let total = t.map_or_else(
            || say("不在册", "not present").to_string(),
            |t| t.to_string(),
        );
        out.push_str(&format!(
            "  {}  {total}  ({} {w})\n",
            q.period,
            say("权重", "weight")
        ));
    }
    out.push_str(&format!(
        "  {}: {}\n",
        say("全年总分", "annual total"),
        p.explain.get(lang)
    ));
    match &graded[i] {
        Some(g) => {
            let notes: Vec<String> = g.notes.iter().map(|n| n.text(lang)).collect();
            out.push_str(&format!(
                "  {}: {}{}\n",
                say("等级", "grade"),
                config.scheme.grades.scale[g.grade],
                if notes.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", notes.join("; "))
                }
            ));
        }
        None => out.push_str(&format!(
            "  {}: {}\n",
            say("等级", "grade"),
            say("未评级", "not graded")
        )),
    }
    say!("{out}");
    Ok(())
}

/// `appraise check YEAR.toml`: the annual scheme and every quarter it names
/// (each checked against its manifest); writes nothing.
pub fn check(args: CheckArgs) -> Result<()> {
    let config = config::annual::load(&args.config)?;
    let year = history::annual::combine(&config)?;
    let (path, quarters, people) = (
        args.config.display(),
        year.quarters.len(),
        year.people.len(),
    );
    say!(
        "{}\n",
        crate::t!(
            "{path}：无误：{quarters} 个季度，{people} 名员工",
            "{path}: ok: {quarters} quarters, {people} employees"
        )
    );
    Ok(())
}
