//! `summary.xlsx`: 汇总 (a row per person), 明细 (a row per person × KPI,
//! with where each actual came from and how it was scored), 分布 (grades
//! against quotas per calibration group, with a chart), the reconciliation's
//! and the instruments' sheets (in files of their own) and 运行信息 (what
//! was run on what). The sheets' order is the list in [`write`]; they are
//! filled at once on whichever cores are free ([`super::sheets`]). Rows are
//! in employee-id order; the file is dated by the period, so the same inputs
//! give the same bytes, whatever the number of threads.

use super::book::{self, Formats, Widths, in_lang, points, to_f64};
use super::pages::Pages;
use super::sheets::{Sheets, Writer};
use super::{
    RunInfo, checkpoint_sheet, manifest, product_sheet, reconcile_sheet, rvc_sheet, warning_sheet,
    weakspot_sheet,
};
use crate::config::Config;
use crate::config::rule::Unit;
use crate::error::{Error, Result};
use crate::ingest::Dataset;
use crate::lang::Lang;
use crate::score::{Details, Outcome, PersonOutcome};
use crate::text::explain;
use crate::text::notes::{adjustment_why, kpi_status_label, person_notes};
use rayon::prelude::*;
use rust_xlsxwriter::{
    Chart, ChartFormat, ChartLine, ChartSolidFill, ChartType, Format, Worksheet,
};
use std::path::Path;

#[allow(clippy::too_many_arguments)]
pub fn write(
    config: &Config,
    data: &Dataset,
    instruments: &crate::instruments::Loaded,
    outcome: &Outcome,
    recon: &crate::reconcile::Reconciliation,
    history: &crate::history::History,
    info: &RunInfo,
    path: &Path,
) -> Result<()> {
    super::book::guarded(path, || {
        write_unguarded(
            config,
            data,
            instruments,
            outcome,
            recon,
            history,
            info,
            path,
        )
    })
}

#[allow(clippy::too_many_arguments)]
fn write_unguarded(
    config: &Config,
    data: &Dataset,
    instruments: &crate::instruments::Loaded,
    outcome: &Outcome,
    recon: &crate::reconcile::Reconciliation,
    history: &crate::history::History,
    info: &RunInfo,
    path: &Path,
) -> Result<()> {
    let lang = info.lang;
    let wb = book::new_workbook(
        super::period_date(config),
        in_lang(lang, "绩效考核汇总", "Appraisal summary"),
    )?;
    let fm = &Formats::new();
    let prov = &super::provisional::people(outcome);
    // The sheets, in their order. Each writer fills its own table, all at
    // once on whichever cores are free ([`Sheets`]); a writer whose part of
    // the scheme is not configured writes no sheet.
    let writers: [&Writer; 13] = [
        &|s: &Sheets| summary_sheet(s, config, data, outcome, history, lang, fm),
        &|s: &Sheets| super::migration::sheet(s, config, data, outcome, history, lang, fm),
        &|s: &Sheets| super::role_sheet::write(s, config, data, outcome, lang, fm),
        &|s: &Sheets| detail_sheet(s, config, data, outcome, lang, fm),
        &|s: &Sheets| distribution_sheet(s, config, outcome, lang, fm),
        &|s: &Sheets| reconcile_sheet::conflicts(s, config, data, recon, lang, fm),
        &|s: &Sheets| reconcile_sheet::projects(s, config, data, recon, lang, fm),
        &|s: &Sheets| checkpoint_sheet::write(s, data, instruments, prov, lang, fm),
        &|s: &Sheets| weakspot_sheet::write(s, config, data, outcome, prov, lang, fm),
        &|s: &Sheets| warning_sheet::write(s, config, data, instruments, prov, lang, fm),
        &|s: &Sheets| product_sheet::write(s, config, data, instruments, prov, lang, fm),
        &|s: &Sheets| rvc_sheet::write(s, config, data, outcome, prov, lang, fm),
        &|s: &Sheets| run_sheet(s, config, data, outcome, info, fm),
    ];
    let print = super::print::Print::new(&config.scheme.period.id, lang);
    let mut wb = Sheets::new(wb, fm)
        .map(|s| s.with_print(print))
        .and_then(|sheets| sheets.fill(&writers))
        .map_err(|e| naming(path, e))?;
    book::save(&mut wb, path)
}

/// A failure to fill a sheet names the workbook (rust_xlsxwriter's errors
/// name none); problems with the inputs keep their own places.
fn naming(path: &Path, e: Error) -> Error {
    match e {
        Error::Other(m) => Error::Other(m.map(|m| format!("{}: {m}", path.display()))),
        e => e,
    }
}

/// 汇总: a row per person, everyone's total, grade and ranks in one
/// table (the first sheet, which `collect` reads). Each role's KPI points
/// are on a sheet of the role's own ([`super::role_sheet`]), so no column
/// here is blank for two roles out of three.
fn summary_sheet(
    sheets: &Sheets,
    config: &Config,
    data: &Dataset,
    outcome: &Outcome,
    history: &crate::history::History,
    lang: Lang,
    fm: &Formats,
) -> Result<Vec<Worksheet>> {
    let s = &config.scheme;
    let mut ws = sheets.streamed(in_lang(lang, "汇总", "Summary"))?;
    // With [history], the previous quarter's total and grade and the
    // change, after the notes (issue 18).
    let past_labels: &[&str] = if history.is_empty() {
        &[]
    } else {
        &[
            in_lang(lang, "上期总分", "Previous total"),
            in_lang(lang, "上期等级", "Previous grade"),
            in_lang(lang, "变化", "Change"),
        ]
    };
    let labels: Vec<String> = [
        in_lang(lang, "工号", "Id"),
        in_lang(lang, "姓名", "Name"),
        in_lang(lang, "岗位", "Role"),
        in_lang(lang, "班组", "Team"),
        in_lang(lang, "部门", "Department"),
        in_lang(lang, "加减分", "Adjustments"),
        in_lang(lang, "个人得分", "Own score"),
        in_lang(lang, "团队均分", "Team average"),
        in_lang(lang, "总分", "Total"),
        in_lang(lang, "等级", "Grade"),
        in_lang(lang, "班组排名", "Team rank"),
        in_lang(lang, "公司排名", "Company rank"),
        in_lang(lang, "备注", "Notes"),
    ]
    .iter()
    .chain(past_labels)
    .map(|x| x.to_string())
    .collect();
    let mut w = Widths::new();
    book::header(&mut ws, 0, &labels, fm, &mut w)?;
    // The id and the name stay in sight as the table scrolls sideways.
    ws.set_freeze_panes(1, 2)?;
    // Adjustments, own score, team average, total; the notes wrap.
    const NOTES: u16 = 12;
    let mut cols: Vec<(u16, &Format)> = (5..9).map(|c| (c, &fm.num)).collect();
    cols.push((NOTES, &fm.wrap));
    book::column_formats(&mut ws, &cols)?;
    w.fix(NOTES, 48.0);
    for (r, p) in outcome.people.iter().enumerate() {
        let row = r as u32 + 1;
        let e = &data.employees[p.emp];
        let role = &s.roles[&e.role];
        for (c, text) in [&e.id, &e.name, &role.name, &e.team, &e.department]
            .into_iter()
            .enumerate()
        {
            ws.write_string(row, c as u16, text)?;
            w.see(c as u16, text);
        }
        ws.write_number(row, 5, to_f64(p.adjustment_total))?;
        ws.write_number(row, 6, to_f64(p.own_total))?;
        if let Some(t) = &p.team {
            ws.write_number(row, 7, to_f64(points(t.team_average)))?;
        }
        ws.write_number(row, 8, to_f64(p.total))?;
        ws.write_string_with_format(row, 9, &s.grades.scale[p.grade], fm.grade(p.grade))?;
        let tr = p.team_rank.label(lang == Lang::Zh);
        let cr = p.company_rank.label(lang == Lang::Zh);
        ws.write_string(row, 10, &tr)?;
        ws.write_string(row, 11, &cr)?;
        w.see(10, &tr);
        w.see(11, &cr);
        let notes = person_notes(config, data, p, lang);
        if !notes.is_empty() {
            ws.write_string(row, NOTES, &notes)?;
        }
        if !history.is_empty() {
            previous_cells(&mut ws, row, NOTES + 1, history, e, p, lang, fm)?;
        }
    }
    w.apply(&mut ws)?;
    sheets.print().table(
        &mut ws,
        &super::print::Table {
            widths: w.columns(),
            titles: Some((0, 0)),
            gridlines: true,
        },
    )?;
    Ok(vec![ws])
}

/// 上期总分, 上期等级 and 变化 from column `col`: the previous quarter's
/// total and grade and the change, or 新入 for someone not in it.
#[allow(clippy::too_many_arguments)]
fn previous_cells(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    history: &crate::history::History,
    e: &crate::ingest::Employee,
    p: &PersonOutcome,
    lang: Lang,
    fm: &Formats,
) -> Result<()> {
    match super::migration::previous(history, &e.id, p.total) {
        Some((past, change)) => {
            ws.write_number_with_format(row, col, to_f64(past.total), &fm.num)?;
            ws.write_string(row, col + 1, &past.grade)?;
            ws.write_number_with_format(row, col + 2, to_f64(change), &fm.num)?;
        }
        None => {
            ws.write_string(row, col + 1, in_lang(lang, "新入", "joined"))?;
        }
    }
    Ok(())
}

/// 明细, the largest table (about half of the workbook). A person's rows
/// stay together; past Excel's rows they go on 明细2… Everyone's row count
/// is known from scoring, so the pages are planned before writing and
/// filled at once, each from its own people.
fn detail_sheet(
    sheets: &Sheets,
    config: &Config,
    data: &Dataset,
    outcome: &Outcome,
    lang: Lang,
    fm: &Formats,
) -> Result<Vec<Worksheet>> {
    let labels: Vec<String> = [
        in_lang(lang, "工号", "Id"),
        in_lang(lang, "姓名", "Name"),
        in_lang(lang, "岗位", "Role"),
        in_lang(lang, "班组", "Team"),
        in_lang(lang, "指标编号", "KPI id"),
        in_lang(lang, "指标", "KPI"),
        in_lang(lang, "规则", "Rule"),
        in_lang(lang, "实际值", "Actual"),
        in_lang(lang, "目标值", "Target"),
        in_lang(lang, "达成度", "Achievement"),
        in_lang(lang, "得分系数", "Score"),
        in_lang(lang, "权重", "Weight"),
        in_lang(lang, "有效权重", "Effective weight"),
        in_lang(lang, "加权得分", "Weighted score"),
        in_lang(lang, "缺失处理", "Missing-value policy"),
        in_lang(lang, "实际值来源", "Actual from"),
        in_lang(lang, "目标值来源", "Target from"),
        in_lang(lang, "计分说明", "How it was scored"),
    ]
    .iter()
    .map(|x| x.to_string())
    .collect();
    let table = Pages::new(sheets, in_lang(lang, "明细", "Details"), labels, fm).column_formats(&[
        (9, &fm.pct),
        (10, &fm.num4),
        (12, &fm.num4),
        (13, &fm.num),
    ]);
    let rows: Vec<usize> = outcome.people.iter().map(detail_rows).collect();
    let parts = table
        .plan(&rows)
        .into_par_iter()
        .enumerate()
        .map(|(page, people)| {
            let mut pages = table.part(page);
            outcome.each_with_details(config, data, &outcome.people[people], |p, d| {
                person_details(&mut pages, config, data, outcome, p, d, lang, fm)
            })?;
            Ok(pages)
        })
        .collect::<Result<Vec<_>>>()?;
    table.join(parts).finish()
}

/// A person's rows of 明细: a row per KPI and per adjustment item that
/// moved the total.
fn detail_rows(p: &PersonOutcome) -> usize {
    p.scores.len() + p.adjustment_items as usize
}

/// One person's rows of 明细.
#[allow(clippy::too_many_arguments)]
fn person_details(
    pages: &mut Pages,
    config: &Config,
    data: &Dataset,
    outcome: &Outcome,
    p: &PersonOutcome,
    d: &Details,
    lang: Lang,
    fm: &Formats,
) -> Result<()> {
    let s = &config.scheme;
    let e = &data.employees[p.emp];
    let role = &s.roles[&e.role];
    let rows = d.kpis.len() + d.moved();
    debug_assert_eq!(rows, detail_rows(p), "planned rows");
    let (ws, w, mut row) = pages.take(rows)?;
    for k in &d.kpis {
        let kpi = &role.kpis[k.kpi];
        let rule = if lang == Lang::Zh {
            kpi.rule.kind_zh()
        } else {
            kpi.rule.kind()
        };
        let texts = [
            &e.id as &str,
            &e.name,
            &role.name,
            &e.team,
            &kpi.id,
            &kpi.name,
            rule,
        ];
        for (c, t) in texts.iter().enumerate() {
            ws.write_string(row, c as u16, *t)?;
            w.see(c as u16, t);
        }
        // Each number in the KPI's own terms (docs/scoring.md, "How numbers
        // are shown"): rates as percentages, the rule's 达成度 (never a
        // completion above 100 % for a bad result of a lower-is-better KPI),
        // and a KPI voided by a veto at 0.
        let in_unit = |u: Unit| (u == Unit::Percent).then_some(&fm.pct);
        for (c, x, u) in [
            (7, k.actual, crate::text::unit::of(kpi)),
            (8, k.target, crate::text::unit::of_target(kpi)),
        ] {
            if let Some(x) = x {
                match in_unit(u) {
                    Some(f) => ws.write_number_with_format(row, c, to_f64(x), f)?,
                    None => ws.write_number(row, c, to_f64(x))?,
                };
            }
        }
        if let Some(got) = explain::achievement(kpi, k) {
            ws.write_number(row, 9, to_f64(got))?;
        }
        let score = if k.voided {
            rust_decimal::Decimal::ZERO
        } else {
            k.score
        };
        ws.write_number(row, 10, to_f64(score))?;
        ws.write_number(row, 11, to_f64(k.weight))?;
        ws.write_number(row, 12, to_f64(k.effective_weight))?;
        ws.write_number(row, 13, to_f64(k.weighted))?;
        let status = kpi_status_label(k, lang);
        ws.write_string(row, 14, status)?;
        w.see(14, status);
        let (actual_src, target_src) = outcome.sources(data, kpi, p.emp);
        for (c, src) in [(15u16, actual_src), (16, target_src)] {
            if let Some(src) = src {
                let t = src.show(lang);
                ws.write_string(row, c, &t)?;
                w.see(c, &t);
            }
        }
        let why = explain::sentence(kpi, k, lang);
        ws.write_string(row, 17, &why)?;
        w.see(17, &why);
        row += 1;
    }
    for a in &d.adjustments {
        let sec = &role.adjustments[a.section];
        let item = &sec.items[a.item];
        if a.points.is_zero() {
            continue;
        }
        let texts = [
            &e.id as &str,
            &e.name,
            &role.name,
            &e.team,
            &sec.id,
            &item.name,
            in_lang(lang, "加减分", "adjustment"),
        ];
        for (c, t) in texts.iter().enumerate() {
            ws.write_string(row, c as u16, *t)?;
            w.see(c as u16, t);
        }
        ws.write_number(row, 7, to_f64(a.count))?;
        ws.write_number(row, 13, to_f64(a.points))?;
        if let Some(src) = &a.src {
            let t = src.show(lang);
            ws.write_string(row, 15, &t)?;
            w.see(15, &t);
        }
        let why = adjustment_why(item, a, lang);
        ws.write_string(row, 17, &why)?;
        row += 1;
    }
    Ok(())
}

/// A calibration group as shown: name, size, counts, quota labels, notes.
type GroupRow = (String, usize, Vec<usize>, Vec<String>, Vec<String>);

/// The rows of 分布: the calibration groups of the forced distribution with
/// their quotas and notes, or one per group by cut-off when there is none.
fn group_rows(outcome: &Outcome, scale: &[String], lang: Lang) -> Vec<GroupRow> {
    if outcome.groups.is_empty() {
        let mut by: std::collections::BTreeMap<String, Vec<usize>> =
            std::collections::BTreeMap::new();
        for p in &outcome.people {
            let v = by
                .entry(p.calibration_group.clone())
                .or_insert_with(|| vec![0; scale.len()]);
            v[p.grade] += 1;
        }
        by.into_iter()
            .map(|(n, c)| {
                (
                    n,
                    c.iter().sum(),
                    c,
                    vec![String::new(); scale.len()],
                    Vec::new(),
                )
            })
            .collect()
    } else {
        outcome
            .groups
            .iter()
            .map(|g| {
                let quotas = (0..scale.len())
                    .map(|i| match (g.max[i], g.min[i]) {
                        (Some(m), _) => format!("≤{m}"),
                        (_, Some(m)) => {
                            format!("≥{m}{}", in_lang(lang, "（含以下）", " (or worse)"))
                        }
                        _ => String::new(),
                    })
                    .collect();
                let mut notes: Vec<String> = g.notes.iter().map(|n| n.text(lang)).collect();
                if g.pooled {
                    notes.insert(
                        0,
                        in_lang(lang, "小组合并校准", "small groups pooled").to_string(),
                    );
                }
                if g.advisory {
                    notes.insert(
                        0,
                        in_lang(lang, "名额仅作参考", "quotas advisory").to_string(),
                    );
                }
                // A pooled group's name is its role and a Chinese marker.
                let name = match (g.pooled, lang) {
                    (true, Lang::En) => format!(
                        "{} / small groups pooled",
                        g.name.split(" / ").next().unwrap_or("")
                    ),
                    _ => g.name.clone(),
                };
                (name, g.size, g.counts.clone(), quotas, notes)
            })
            .collect()
    }
}

/// 分布: held in memory, for its chart.
fn distribution_sheet(
    sheets: &Sheets,
    config: &Config,
    outcome: &Outcome,
    lang: Lang,
    fm: &Formats,
) -> Result<Vec<Worksheet>> {
    let s = &config.scheme;
    let scale = &s.grades.scale;
    let name = in_lang(lang, "分布", "Distribution");
    let mut sheet = sheets.in_memory(name)?;
    let ws = &mut sheet;
    let mut labels = vec![
        in_lang(lang, "校准组", "Calibration group").to_string(),
        in_lang(lang, "人数", "Size").to_string(),
    ];
    for g in scale {
        labels.push(g.to_string());
        labels.push(format!("{g} {}", in_lang(lang, "名额", "quota")));
    }
    labels.push(in_lang(lang, "说明", "Notes").to_string());
    let mut w = Widths::new();
    book::header(ws, 0, &labels, fm, &mut w)?;
    let groups = group_rows(outcome, scale, lang);
    let prov = super::provisional::people(outcome);
    for (r, (gname, size, counts, quotas, notes)) in groups.iter().enumerate() {
        let row = r as u32 + 1;
        ws.write_string(row, 0, gname)?;
        w.see(0, gname);
        ws.write_number(row, 1, *size as f64)?;
        for (i, c) in counts.iter().enumerate() {
            let col = 2 + 2 * i as u16;
            ws.write_number(row, col, *c as f64)?;
            ws.write_string(row, col + 1, &quotas[i])?;
        }
        let mut notes = notes.clone();
        let n = outcome
            .people
            .iter()
            .filter(|p| &p.calibration_group == gname && prov.contains(&p.emp))
            .count();
        if n > 0 {
            notes.push(match lang {
                Lang::Zh => format!("其中 {n} 人暂定（对账未决）"),
                Lang::En => format!("{n} provisional (unresolved reconciliation)"),
            });
        }
        let note = notes.join(in_lang(lang, "；", "; "));
        let nc = 2 + 2 * scale.len() as u16;
        ws.write_string(row, nc, &note)?;
        w.see(nc, &note);
    }
    w.apply(ws)?;
    if !groups.is_empty() {
        let mut chart = Chart::new(ChartType::Column);
        let last = groups.len() as u32;
        for (i, g) in scale.iter().enumerate() {
            let col = 2 + 2 * i as u16;
            // Each grade's bars in the grade's colour in 汇总, outlined.
            chart
                .add_series()
                .set_name(g.as_str())
                .set_categories((name, 1, 0, last, 0))
                .set_values((name, 1, col, last, col))
                .set_format(
                    ChartFormat::new()
                        .set_solid_fill(ChartSolidFill::new().set_color(book::grade_colour(i)))
                        .set_border(ChartLine::new().set_color(0x7F7F7F)),
                );
        }
        chart.title().set_name(in_lang(
            lang,
            "各校准组等级人数",
            "Grades per calibration group",
        ));
        chart.set_width(680).set_height(340);
        ws.insert_chart(last + 2, 0, &chart)?;
    }
    sheets.print().table(
        ws,
        &super::print::Table {
            widths: w.columns(),
            titles: Some((0, 0)),
            gridlines: true,
        },
    )?;
    Ok(vec![sheet])
}

fn run_sheet(
    sheets: &Sheets,
    config: &Config,
    data: &Dataset,
    outcome: &Outcome,
    info: &RunInfo,
    fm: &Formats,
) -> Result<Vec<Worksheet>> {
    let lang = info.lang;
    let m = manifest::build(config, data, outcome, info);
    let mut sheet = sheets.in_memory(in_lang(lang, "运行信息", "Run info"))?;
    let ws = &mut sheet;
    let mut w = Widths::new();
    let mut rows: Vec<(String, String, String)> = vec![
        (
            in_lang(lang, "引擎", "Engine").into(),
            format!("appraise {}", m.engine_version),
            String::new(),
        ),
        (
            in_lang(lang, "运行编号", "Run id").into(),
            m.run_id.clone(),
            String::new(),
        ),
        (
            in_lang(lang, "考核周期", "Period").into(),
            m.period.clone(),
            format!(
                "{} — {}",
                config.scheme.period.start, config.scheme.period.end
            ),
        ),
        (
            in_lang(lang, "考核方案", "Scheme").into(),
            m.config.path.clone(),
            m.config.sha256.clone(),
        ),
        (
            in_lang(lang, "输入目录", "Input folder").into(),
            m.inputs_dir.clone(),
            in_lang(
                lang,
                "相对于考核方案所在目录",
                "relative to the scheme's folder",
            )
            .into(),
        ),
    ];
    for f in &m.inputs {
        rows.push((
            in_lang(lang, "输入文件", "Input").into(),
            format!("{} [{}]", f.path, f.sheets.join(", ")),
            f.sha256.clone(),
        ));
    }
    rows.push((
        in_lang(lang, "考核人数", "Employees").into(),
        m.counts.employees.to_string(),
        String::new(),
    ));
    if !data.left_out.is_empty() {
        // Issue 19: the roster's rows outside `[roster] where`.
        rows.push((
            in_lang(lang, "筛选外人数", "Left out").into(),
            data.left_out.len().to_string(),
            in_lang(
                lang,
                "花名册中不在 [roster] where 之内的人，未计入",
                "people on the roster outside its `where`, not scored",
            )
            .into(),
        ));
    }
    for (role, n) in &m.counts.by_role {
        let name = config
            .scheme
            .roles
            .get(role)
            .map_or(role.as_str(), |r| r.name.as_str());
        rows.push((
            in_lang(lang, "岗位人数", "By role").into(),
            name.to_string(),
            n.to_string(),
        ));
    }
    for (g, n) in &m.counts.by_grade {
        rows.push((
            in_lang(lang, "等级人数", "By grade").into(),
            g.clone(),
            n.to_string(),
        ));
    }
    rows.push((
        in_lang(lang, "指标结果数", "KPI results").into(),
        m.counts.kpi_results.to_string(),
        String::new(),
    ));
    let labels = vec![
        in_lang(lang, "项目", "Item").to_string(),
        in_lang(lang, "值", "Value").to_string(),
        "SHA-256 / ".to_string() + in_lang(lang, "说明", "detail"),
    ];
    book::header(ws, 0, &labels, fm, &mut w)?;
    for (r, (a, b, c)) in rows.iter().enumerate() {
        let row = r as u32 + 1;
        for (col, t) in [a, b, c].into_iter().enumerate() {
            ws.write_string(row, col as u16, t)?;
            w.see(col as u16, t);
        }
    }
    w.apply(ws)?;
    sheets.print().table(
        ws,
        &super::print::Table {
            widths: w.columns(),
            titles: Some((0, 0)),
            gridlines: true,
        },
    )?;
    Ok(vec![sheet])
}
