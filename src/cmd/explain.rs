//! `appraise explain CONFIG EMPLOYEE [--kpi ID]`: how one person's scores
//! came about, step by step. It runs the same stages as `run` (load, ingest,
//! reconcile, appeals, score), finds the person and the KPI asked for, and
//! prints what `text::explain_steps` writes: the person's results scored
//! again by the same code the workbooks use, so the numbers are the
//! workbook's.

use crate::Result;
use crate::cli::ExplainArgs;
use crate::config::Config;
use crate::error::Error;
use crate::ingest::Dataset;
use crate::reconcile::Reconciliation;
use crate::score::Outcome;

pub fn run(args: ExplainArgs) -> Result<()> {
    if let Some(draft) = &args.scheme {
        let both = super::whatif::score_both(
            &args.config,
            draft,
            args.no_cache,
            false,
            &mut super::timings::Stages::new(false),
        )?;
        say!("{}", beside(&both, &args)?);
        return Ok(());
    }
    let mut config = crate::config::load(&args.config)?;
    let scored = crate::pipeline::score(&mut config, &mut |_| {})?;
    say!(
        "{}",
        text(&config, &scored.data, &scored.outcome, &scored.recon, &args)?
    );
    Ok(())
}

/// The whole explanation, as printed: the employee and `--kpi` checked
/// here, the words from [`crate::text::explain_steps::person`].
pub fn text(
    config: &Config,
    data: &Dataset,
    outcome: &Outcome,
    recon: &Reconciliation,
    args: &ExplainArgs,
) -> Result<String> {
    let Some(&emp) = data.index.get(args.employee.trim()) else {
        let mut near: Vec<&str> = data
            .employees
            .iter()
            .map(|e| e.id.as_str())
            .filter(|id| id.contains(args.employee.trim()) || args.employee.contains(id))
            .take(5)
            .collect();
        if near.is_empty() {
            near = data
                .employees
                .iter()
                .take(3)
                .map(|e| e.id.as_str())
                .collect();
        }
        let (who, file) = (&args.employee, &config.scheme.roster.file);
        let (sheet, near) = (&config.scheme.roster.sheet, near.join(", "));
        return Err(Error::Usage(crate::t!(
            "explain：花名册 {file} [{sheet}] 中没有员工 `{who}`；工号形如：{near}",
            "explain: no employee `{who}` in the roster {file} [{sheet}]; ids look like: {near}"
        )));
    };
    let Some(p) = outcome.people.iter().find(|p| p.emp == emp) else {
        let who = &args.employee;
        return Err(Error::Other(crate::t!(
            "explain：`{who}` 没有得分",
            "explain: `{who}` was not scored"
        )));
    };
    let e = &data.employees[emp];
    let role = &config.scheme.roles[&e.role];
    // --kpi takes the KPI's id or its name as the workbooks show it.
    let only = match args.kpi.as_deref().map(str::trim) {
        None => None,
        Some(asked) => match role.kpis.iter().find(|k| k.id == asked || k.name == asked) {
            Some(k) => Some(k.id.as_str()),
            None => {
                let known: Vec<String> = role
                    .kpis
                    .iter()
                    .map(|k| format!("{} ({})", k.id, k.name))
                    .collect();
                let (role_id, known) = (&e.role, known.join(", "));
                return Err(Error::Usage(crate::t!(
                    "explain：岗位 `{role_id}` 没有指标 `{asked}`；它的指标（编号与名称均可）：{known}",
                    "explain: role `{role_id}` has no KPI `{asked}`; its KPIs (id or name) are: {known}"
                )));
            }
        },
    };
    crate::text::explain_steps::person(config, data, outcome, recon, p, only, args.lang)
}

/// `explain --scheme DRAFT`: the person's KPIs, total, grade and rank under
/// the base (CONFIG) and the draft, side by side.
fn beside(both: &super::whatif::Both, args: &ExplainArgs) -> Result<String> {
    let cmp = both.comparison();
    let who = args.employee.trim();
    let Some(p) = cmp.people.iter().find(|p| p.id == who) else {
        // Not scored under either: the base's explanation says why.
        let b = &both.base_run;
        text(&both.base, &b.data, &b.outcome, &b.recon, args)?;
        return Err(Error::Other(crate::t!(
            "explain：`{who}` 没有得分",
            "explain: `{who}` was not scored"
        )));
    };
    let lang = args.lang;
    let say = |zh, en| crate::lang::in_lang(lang, zh, en);
    let only = args.kpi.as_deref().map(str::trim);
    let mut kpis: Vec<(String, String)> = Vec::new();
    for s in [&p.base, &p.draft].into_iter().flatten() {
        for k in s.kpis() {
            let wanted = only.is_none_or(|o| o == k.id || o == k.name);
            if wanted && !kpis.iter().any(|(id, _)| *id == k.id) {
                kpis.push((k.id.to_string(), k.name.to_string()));
            }
        }
    }
    fn of<'a>(
        s: &Option<crate::whatif::compare::Standing<'a>>,
        id: &str,
    ) -> Option<crate::whatif::compare::KpiPoints<'a>> {
        s.as_ref().and_then(|s| s.kpi(id))
    }
    let num = |x: Option<rust_decimal::Decimal>| {
        x.map_or("—".to_string(), |x| x.normalize().to_string())
    };
    let mut rows: Vec<Vec<String>> = vec![
        [
            say("指标", "KPI"),
            say("基准权重", "base weight"),
            say("草案权重", "draft weight"),
            say("基准得分", "base score"),
            say("草案得分", "draft score"),
            say("基准加权", "base points"),
            say("草案加权", "draft points"),
            say("变化", "change"),
        ]
        .map(String::from)
        .to_vec(),
    ];
    for (id, name) in &kpis {
        let (b, d) = (of(&p.base, id), of(&p.draft, id));
        let (old, new) = p.kpi_points(id);
        rows.push(vec![
            format!("{name} ({id})"),
            num(b.as_ref().map(|k| k.weight)),
            num(d.as_ref().map(|k| k.weight)),
            num(b.as_ref().map(|k| k.score)),
            num(d.as_ref().map(|k| k.score)),
            num(b.as_ref().map(|k| k.weighted)),
            num(d.as_ref().map(|k| k.weighted)),
            signed(new - old),
        ]);
    }
    let side = |f: &dyn Fn(&crate::whatif::compare::Standing) -> String| {
        (
            p.base.as_ref().map_or("—".to_string(), f),
            p.draft.as_ref().map_or("—".to_string(), f),
        )
    };
    let zh = lang == crate::lang::Lang::Zh;
    let lines: [(&str, (String, String), String); 4] = [
        (
            say("加减分", "adjustments"),
            side(&|s| s.adjustments.normalize().to_string()),
            p.both().map_or(String::new(), |(b, d)| {
                signed(d.adjustments - b.adjustments)
            }),
        ),
        (
            say("总分", "total"),
            side(&|s| s.total.normalize().to_string()),
            p.both().map_or(String::new(), |_| signed(p.change())),
        ),
        (
            say("等级", "grade"),
            side(&|s| s.grade.to_string()),
            String::new(),
        ),
        (
            say("公司排名", "company rank"),
            side(&|s| s.rank.label(zh)),
            String::new(),
        ),
    ];
    for (label, (b, d), change) in lines {
        let blank = String::new();
        rows.push(vec![
            label.to_string(),
            blank.clone(),
            blank.clone(),
            blank.clone(),
            blank,
            b,
            d,
            change,
        ]);
    }
    let (id, name, team) = (&p.id, &p.name, &p.team);
    let (base, draft) = (both.base.path.display(), both.draft.path.display());
    let mut out = crate::t!(
        "{id} {name}（{team}）：基准 {base} 与草案 {draft}\n",
        "{id} {name} ({team}): base {base} beside draft {draft}\n"
    )
    .get(lang)
    .to_string();
    out += &aligned(&rows);
    Ok(out)
}

fn signed(x: rust_decimal::Decimal) -> String {
    if x.is_zero() {
        "0".to_string()
    } else {
        format!("{:+}", x.normalize())
    }
}

/// Rows as columns padded to their widest cell (Chinese counted double),
/// numbers right-aligned.
fn aligned(rows: &[Vec<String>]) -> String {
    use unicode_width::UnicodeWidthStr;
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.width())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for r in rows {
        let mut line = String::new();
        for (c, cell) in r.iter().enumerate() {
            let pad = " ".repeat(widths[c] - cell.width());
            if c == 0 {
                line += &format!("{cell}{pad}");
            } else {
                line += &format!("  {pad}{cell}");
            }
        }
        out += line.trim_end();
        out += "\n";
    }
    out
}
