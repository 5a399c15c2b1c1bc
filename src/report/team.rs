//! One workbook per team, `team/<team>.xlsx`, for the team leader's
//! appraisal interviews: `成员结果` (every member's result; provisional
//! results marked; a team leader's blend as data: α, own score, β, the
//! team's result and, when blended on chosen KPIs, each KPI's weight and
//! team average in a small table below) and `短板比对`
//! (members × KPIs against the team's average and best; scores below the
//! average are highlighted, the best in green). Built from the team
//! aggregates computed once; teams are written in parallel.

use super::book::to_f64;
use super::book::{self, Formats, Widths, in_lang};
use super::feedback::{Context, provisional, shown};
use super::print::{Print, Table};
use super::team_stats::{Group, counts};
use crate::error::{Error, Result};
use crate::score::TeamPart;
use crate::text::notes::person_notes;
use rayon::prelude::*;
use rust_xlsxwriter::{Color, Format, FormatAlign, Workbook, Worksheet};
use std::collections::BTreeMap;
use std::path::Path;

/// Write every team's workbook under `dir/team`; returns how many.
pub fn write_all(ctx: &Context, dir: &Path) -> Result<usize> {
    let mut teams: BTreeMap<&str, Vec<(&str, &Group)>> = BTreeMap::new();
    for ((role, team), g) in &ctx.stats.groups {
        teams.entry(team).or_default().push((role, g));
    }
    for v in teams.values_mut() {
        v.sort_by_key(|(r, _)| *r);
    }
    let d = dir.join("team");
    std::fs::create_dir_all(&d).map_err(|e| Error::io(&d, e))?;
    teams
        .par_iter()
        .map(|(team, groups)| {
            write_team(
                ctx,
                team,
                groups,
                &dir.join(crate::ingest::file_names::team_file(team)),
            )
        })
        .collect::<Result<Vec<()>>>()?;
    Ok(teams.len())
}

fn write_team(ctx: &Context, team: &str, groups: &[(&str, &Group)], path: &Path) -> Result<()> {
    super::book::guarded(path, || write_team_unguarded(ctx, team, groups, path))
}

fn write_team_unguarded(
    ctx: &Context,
    team: &str,
    groups: &[(&str, &Group)],
    path: &Path,
) -> Result<()> {
    let lang = ctx.info.lang;
    let s = &ctx.config.scheme;
    let title = format!(
        "{} {team} {}",
        s.period.id,
        in_lang(lang, "班组考核结果", "team results")
    );
    let mut wb: Workbook = book::new_workbook(super::period_date(ctx.config), &title)?;
    let fm = Formats::new();
    let print = Print::new(&s.period.id, lang);
    members_sheet(&mut wb, ctx, groups, &fm, &print)?;
    weak_spots_sheet(&mut wb, ctx, groups, &fm, &print)?;
    if let Some(h) = ctx.history {
        let totals: Vec<rust_decimal::Decimal> = ctx
            .outcome
            .people
            .iter()
            .filter(|p| ctx.data.employees[p.emp].team == team)
            .map(|p| p.total)
            .collect();
        let now = (s.period.id.as_str(), totals.as_slice());
        super::trend::team_sheet(&mut wb, h, lang, team, now, &fm)?;
    }
    super::book::save(&mut wb, path)?;
    Ok(())
}

/// `成员结果`: every member's result, then the blend of team leaders scored
/// on chosen KPIs. Printed one page wide.
fn members_sheet(
    wb: &mut Workbook,
    ctx: &Context,
    groups: &[(&str, &Group)],
    fm: &Formats,
    print: &Print,
) -> Result<()> {
    let lang = ctx.info.lang;
    let s = &ctx.config.scheme;
    // 成员结果
    let ws = book::streamed_sheet(wb)?;
    ws.set_name(in_lang(lang, "成员结果", "Members"))?;
    let heads: Vec<String> = [
        in_lang(lang, "工号", "Id"),
        in_lang(lang, "姓名", "Name"),
        in_lang(lang, "岗位", "Role"),
        in_lang(lang, "个人得分", "Own score"),
        in_lang(lang, "加减分", "Adjustments"),
        in_lang(lang, "总分", "Total"),
        in_lang(lang, "等级", "Grade"),
        in_lang(lang, "暂定", "Provisional"),
        in_lang(lang, "班组排名", "Team rank"),
        in_lang(lang, "低于平均的指标", "KPIs below the team average"),
        in_lang(lang, "个人占比 α", "Own share α"),
        in_lang(lang, "团队占比 β", "Team share β"),
        in_lang(lang, "团队结果", "Team result"),
        in_lang(lang, "团队人数", "Team members"),
        in_lang(lang, "备注", "Notes"),
    ]
    .iter()
    .map(|x| x.to_string())
    .collect();
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let mut w = Widths::new();
    book::header(ws, 0, &heads, fm, &mut w)?;
    let mut row = 1;
    let mut blends: Vec<(usize, &TeamPart)> = Vec::new();
    for (role_id, g) in groups {
        let role = &s.roles[*role_id];
        for &i in &g.people {
            let p = &ctx.outcome.people[i];
            let e = &ctx.data.employees[p.emp];
            for (c, t) in [&e.id, &e.name, &role.name].into_iter().enumerate() {
                ws.write_string(row, c as u16, t)?;
                w.see(c as u16, t);
            }
            ws.write_number_with_format(row, 3, to_f64(p.own_total), &fm.num)?;
            ws.write_number_with_format(row, 4, to_f64(p.adjustment_total), &fm.num)?;
            ws.write_number_with_format(row, 5, to_f64(p.total), &fm.num)?;
            ws.write_string_with_format(row, 6, &s.grades.scale[p.grade], fm.grade(p.grade))?;
            if provisional(p, lang).is_some() {
                ws.write_string_with_format(
                    row,
                    7,
                    in_lang(lang, "暂定", "provisional"),
                    &fm.warn,
                )?;
            }
            let rank = p.team_rank.label(lang == crate::lang::Lang::Zh);
            ws.write_string(row, 8, &rank)?;
            w.see(8, &rank);
            let below: Vec<&str> = p
                .scores
                .iter()
                .filter(|k| counts(k.status))
                .filter(|k| {
                    g.kpi_avg
                        .get(usize::from(k.kpi))
                        .copied()
                        .flatten()
                        .is_some_and(|a| k.score < a)
                })
                .map(|k| role.kpis[usize::from(k.kpi)].name.as_str())
                .collect();
            let below = below.join(in_lang(lang, "、", ", "));
            ws.write_string_with_format(row, 9, &below, &wrap)?;
            w.see(9, &below);
            if let Some(t) = &p.team {
                ws.write_number(row, 10, to_f64(t.own_share))?;
                ws.write_number(row, 11, to_f64(t.team_share))?;
                ws.write_number_with_format(row, 12, to_f64(shown(t.team_average)), &fm.num)?;
                ws.write_number(row, 13, t.members as f64)?;
                blends.push((i, t));
            }
            let notes = person_notes(ctx.config, ctx.data, p, lang);
            ws.write_string_with_format(row, 14, &notes, &wrap)?;
            w.see(14, &notes);
            row += 1;
        }
    }
    // The blend of team leaders scored on chosen KPIs, one row per KPI,
    // its columns measured with the members' so that neither spills over
    // the other (issue 16).
    if blends.iter().any(|(_, t)| !t.kpis.is_empty()) {
        blend_table(ws, ctx, &blends, row, fm, &mut w)?;
    }
    // The lists of KPIs and the notes wrap within a column of their own.
    w.fix(9, 28.0);
    w.fix(14, 40.0);
    w.apply(ws)?;
    print.table(
        ws,
        &Table {
            widths: w.columns(),
            titles: Some((0, 0)),
            gridlines: true,
        },
    )?;
    Ok(())
}

/// The blend of team leaders scored on chosen KPIs, one row per KPI, after
/// a blank row below `row`.
fn blend_table(
    ws: &mut Worksheet,
    ctx: &Context,
    blends: &[(usize, &TeamPart)],
    row: u32,
    fm: &Formats,
    w: &mut Widths,
) -> Result<()> {
    let lang = ctx.info.lang;
    let mut row = row;
    row += 2;
    ws.write_string_with_format(
        row,
        0,
        in_lang(lang, "团队结果构成（按指标）", "Team result by KPI"),
        &fm.bold,
    )?;
    row += 1;
    let heads = [
        in_lang(lang, "工号", "Id"),
        in_lang(lang, "姓名", "Name"),
        in_lang(lang, "指标编号", "KPI id"),
        in_lang(lang, "指标", "KPI"),
        in_lang(lang, "权重", "Weight"),
        in_lang(lang, "团队平均得分", "Team average score"),
        in_lang(lang, "计入人数", "Members counted"),
    ];
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, *h, &fm.header)?;
        w.see(c as u16, h);
    }
    row += 1;
    for (i, t) in blends {
        let e = &ctx.data.employees[ctx.outcome.people[*i].emp];
        for k in &t.kpis {
            for (c, text) in [&e.id, &e.name, &k.id, &k.name].into_iter().enumerate() {
                ws.write_string(row, c as u16, text)?;
                w.see(c as u16, text);
            }
            ws.write_number(row, 4, to_f64(k.weight))?;
            ws.write_number_with_format(row, 5, to_f64(shown(k.average)), &fm.num4)?;
            ws.write_number(row, 6, k.counted as f64)?;
            row += 1;
        }
    }
    Ok(())
}

/// A role's block of 短板比对: its title and header row from `row`;
/// returns the row after them.
fn weak_spots_header(
    ws: &mut Worksheet,
    lang: crate::lang::Lang,
    role: &crate::config::Role,
    kidx: &[usize],
    fm: &Formats,
    mut row: u32,
    w: &mut Widths,
) -> Result<u32> {
    ws.write_string_with_format(
        row,
        0,
        match lang {
            crate::lang::Lang::Zh => format!("{}（得分系数）", role.name),
            crate::lang::Lang::En => format!("{} (KPI scores)", role.name),
        },
        &fm.bold,
    )?;
    row += 1;
    let mut heads = vec![
        in_lang(lang, "工号", "Id").to_string(),
        in_lang(lang, "姓名", "Name").to_string(),
    ];
    heads.extend(kidx.iter().map(|&k| role.kpis[k].name.clone()));
    heads.push(in_lang(lang, "低于平均项数", "Below average").to_string());
    heads.push(in_lang(lang, "总分", "Total").to_string());
    heads.push(in_lang(lang, "暂定", "Provisional").to_string());
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, h, &fm.header)?;
        w.see(c as u16, h);
    }
    Ok(row + 1)
}

/// `短板比对`: members × KPIs against the team's average and best.
fn weak_spots_sheet(
    wb: &mut Workbook,
    ctx: &Context,
    groups: &[(&str, &Group)],
    fm: &Formats,
    print: &Print,
) -> Result<()> {
    let lang = ctx.info.lang;
    let s = &ctx.config.scheme;
    let best = Format::new()
        .set_background_color(Color::RGB(0xC6EFCE))
        .set_num_format("0.0000");
    let weak = fm.warn.clone().set_num_format("0.0000");

    // 短板比对
    let ws = book::streamed_sheet(wb)?;
    ws.set_name(in_lang(lang, "短板比对", "Weak spots"))?;
    let mut w = Widths::new();
    let mut row = 0u32;
    for (role_id, g) in groups {
        let role = &s.roles[*role_id];
        let kidx: Vec<usize> = (0..role.kpis.len())
            .filter(|&k| g.kpi_avg.get(k).copied().flatten().is_some())
            .collect();
        row = weak_spots_header(ws, lang, role, &kidx, fm, row, &mut w)?;
        for &i in &g.people {
            let p = &ctx.outcome.people[i];
            let e = &ctx.data.employees[p.emp];
            ws.write_string(row, 0, &e.id)?;
            ws.write_string(row, 1, &e.name)?;
            w.see(0, &e.id);
            w.see(1, &e.name);
            let mut below = 0;
            for (j, &k) in kidx.iter().enumerate() {
                let c = 2 + j as u16;
                let Some(x) = p
                    .scores
                    .iter()
                    .find(|x| usize::from(x.kpi) == k && counts(x.status))
                else {
                    continue;
                };
                let avg = g.kpi_avg[k].unwrap_or_default();
                let fmt = if Some(x.score) == g.kpi_best[k] {
                    &best
                } else if x.score < avg {
                    below += 1;
                    &weak
                } else {
                    &fm.num4
                };
                ws.write_number_with_format(row, c, to_f64(x.score), fmt)?;
            }
            let c = 2 + kidx.len() as u16;
            ws.write_number(row, c, below as f64)?;
            ws.write_number_with_format(row, c + 1, to_f64(p.total), &fm.num)?;
            if provisional(p, lang).is_some() {
                ws.write_string_with_format(
                    row,
                    c + 2,
                    in_lang(lang, "暂定", "provisional"),
                    &fm.warn,
                )?;
            }
            row += 1;
        }
        for (label, vals, total) in [
            (
                in_lang(lang, "班组平均", "Team average"),
                &g.kpi_avg,
                g.total_avg,
            ),
            (
                in_lang(lang, "班组最佳", "Team best"),
                &g.kpi_best,
                g.total_best,
            ),
        ] {
            ws.write_string_with_format(row, 1, label, &fm.bold)?;
            for (j, &k) in kidx.iter().enumerate() {
                if let Some(v) = vals.get(k).copied().flatten() {
                    ws.write_number_with_format(row, 2 + j as u16, to_f64(v), &fm.num4)?;
                }
            }
            ws.write_number_with_format(row, 3 + kidx.len() as u16, to_f64(total), &fm.num)?;
            row += 1;
        }
        row += 1;
    }
    ws.write_string(
        row,
        0,
        in_lang(
            lang,
            "红色：低于班组平均（短板）；绿色：班组最佳。",
            "Red: below the team average (a weak spot); green: the team's best.",
        ),
    )?;
    w.apply(ws)?;
    // A block per role, each with its own header: one role's title and
    // header rows repeat on every page; several roles' do not.
    let titles = (groups.len() == 1).then_some((0, 1));
    print.table(
        ws,
        &Table {
            widths: w.columns(),
            titles,
            gridlines: true,
        },
    )?;
    Ok(())
}
