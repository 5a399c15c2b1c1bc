//! History in summary.xlsx (issue 18): `scores.json` (each person's total
//! and grade, for the runs after this one), the 迁移 sheet (the grade
//! migration matrix from the previous quarter, each team's largest risers
//! and fallers, and the people who left), and the previous quarter's
//! columns of 汇总 ([`previous`]).

use super::book::{Formats, Widths, in_lang, to_f64};
use super::sheets::Sheets;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::history::{History, Past, Scores};
use crate::ingest::Dataset;
use crate::lang::Lang;
use crate::score::{Outcome, PersonOutcome};
use rust_decimal::Decimal;
use rust_xlsxwriter::Worksheet;
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// How many risers and fallers each team lists.
const TOP: usize = 3;

/// Write `scores.json`: this run's people, their totals and grades.
pub fn write_scores(config: &Config, data: &Dataset, outcome: &Outcome, path: &Path) -> Result<()> {
    let scores = Scores {
        period: config.scheme.period.id.clone(),
        people: outcome
            .people
            .iter()
            .map(|p| {
                let e = &data.employees[p.emp];
                Past {
                    id: e.id.clone(),
                    name: e.name.clone(),
                    team: e.team.clone(),
                    department: e.department.clone(),
                    role: config
                        .scheme
                        .roles
                        .get(&e.role)
                        .map_or_else(|| e.role.clone(), |r| r.name.clone()),
                    total: p.total,
                    grade: config.scheme.grades.scale[p.grade].clone(),
                }
            })
            .collect(),
    };
    let json = serde_json::to_string(&scores).map_err(|e| Error::Other(e.to_string().into()))?;
    std::fs::write(path, json + "\n").map_err(|e| Error::io(path, e))
}

/// A person's previous quarter: total and grade, and the change of the
/// total; None when the person was not in it (新入).
pub fn previous<'a>(history: &'a History, id: &str, total: Decimal) -> Option<(&'a Past, Decimal)> {
    let past = history.previous()?.get(id)?;
    Some((past, total - past.total))
}

/// 迁移: no sheet without `[history]`.
pub fn sheet(
    sheets: &Sheets,
    config: &Config,
    data: &Dataset,
    outcome: &Outcome,
    history: &History,
    lang: Lang,
    fm: &Formats,
) -> Result<Vec<Worksheet>> {
    let Some(prev) = history.previous() else {
        return Ok(Vec::new());
    };
    let mut ws = sheets.in_memory(in_lang(lang, "迁移", "Migration"))?;
    let mut w = Widths::new();
    let scale = &config.scheme.grades.scale;
    let joined = in_lang(lang, "新入", "joined").to_string();
    let left = in_lang(lang, "离开", "left").to_string();
    // Rows: the previous grades, then 新入; columns: this quarter's grades, then 离开.
    let mut rows: Vec<String> = scale.clone();
    for p in &prev.people {
        if !rows.contains(&p.grade) {
            rows.push(p.grade.clone());
        }
    }
    rows.push(joined.clone());
    let mut cols: Vec<String> = scale.clone();
    cols.push(left.clone());
    let mut counts = vec![vec![0usize; cols.len()]; rows.len()];
    let here: HashSet<&str> = outcome
        .people
        .iter()
        .map(|p| data.employees[p.emp].id.as_str())
        .collect();
    for p in &outcome.people {
        let e = &data.employees[p.emp];
        let r = prev
            .get(&e.id)
            .and_then(|past| rows.iter().position(|g| *g == past.grade))
            .unwrap_or(rows.len() - 1);
        counts[r][p.grade] += 1;
    }
    let leavers: Vec<&Past> = prev
        .people
        .iter()
        .filter(|p| !here.contains(p.id.as_str()))
        .collect();
    for p in &leavers {
        if let Some(r) = rows.iter().position(|g| *g == p.grade) {
            counts[r][cols.len() - 1] += 1;
        }
    }
    let title = crate::t!(
        "等级迁移：{0}（行）→ {1}（列）",
        "Grade migration: {0} (rows) → {1} (columns)",
        prev.period,
        config.scheme.period.id
    );
    ws.write_string_with_format(0, 0, title.get(lang), &fm.bold)?;
    let corner = in_lang(lang, "上期＼本期", "previous \\ this");
    ws.write_string_with_format(1, 0, corner, &fm.header)?;
    w.see(0, corner);
    for (c, g) in cols.iter().enumerate() {
        ws.write_string_with_format(1, c as u16 + 1, g, &fm.header)?;
    }
    for (r, g) in rows.iter().enumerate() {
        let row = r as u32 + 2;
        ws.write_string_with_format(row, 0, g, &fm.header)?;
        for (c, n) in counts[r].iter().enumerate() {
            ws.write_number(row, c as u16 + 1, *n as f64)?;
        }
    }
    let mut row = rows.len() as u32 + 3;
    row = movers(&mut ws, row, data, outcome, prev, lang, fm, &mut w)?;
    leavers_table(&mut ws, row + 1, &leavers, lang, fm, &mut w)?;
    w.apply(&mut ws)?;
    Ok(vec![ws])
}

/// Each team's largest risers and fallers (by the change of the total),
/// from row `row`; returns the row after the table.
#[allow(clippy::too_many_arguments)]
fn movers(
    ws: &mut Worksheet,
    mut row: u32,
    data: &Dataset,
    outcome: &Outcome,
    prev: &crate::history::PastRun,
    lang: Lang,
    fm: &Formats,
    w: &mut Widths,
) -> Result<u32> {
    let title = in_lang(
        lang,
        "各班组升降最大",
        "Largest risers and fallers per team",
    );
    ws.write_string_with_format(row, 0, title, &fm.bold)?;
    row += 1;
    let labels: Vec<String> = [
        in_lang(lang, "班组", "Team"),
        in_lang(lang, "方向", "Direction"),
        in_lang(lang, "工号", "Id"),
        in_lang(lang, "姓名", "Name"),
        in_lang(lang, "上期总分", "Previous total"),
        in_lang(lang, "总分", "Total"),
        in_lang(lang, "变化", "Change"),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for (c, h) in labels.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, h, &fm.header)?;
        w.see(c as u16, h);
    }
    row += 1;
    let mut teams: BTreeMap<&str, Vec<(&PersonOutcome, Decimal, Decimal)>> = BTreeMap::new();
    for p in &outcome.people {
        let e = &data.employees[p.emp];
        if let Some(past) = prev.get(&e.id) {
            teams
                .entry(e.team.as_str())
                .or_default()
                .push((p, past.total, p.total - past.total));
        }
    }
    for (team, mut list) in teams {
        // Largest change first; ties by 工号, so that the list is stable.
        list.sort_by(|a, b| {
            b.2.cmp(&a.2)
                .then_with(|| data.employees[a.0.emp].id.cmp(&data.employees[b.0.emp].id))
        });
        let risers = list.iter().filter(|x| x.2 > Decimal::ZERO).take(TOP);
        let fallers = list.iter().rev().filter(|x| x.2 < Decimal::ZERO).take(TOP);
        let up = in_lang(lang, "上升", "rose");
        let down = in_lang(lang, "下降", "fell");
        for (dir, (p, before, change)) in risers.map(|x| (up, x)).chain(fallers.map(|x| (down, x)))
        {
            let e = &data.employees[p.emp];
            for (c, text) in [team, dir, &e.id, &e.name].into_iter().enumerate() {
                ws.write_string(row, c as u16, text)?;
                w.see(c as u16, text);
            }
            ws.write_number_with_format(row, 4, to_f64(*before), &fm.num)?;
            ws.write_number_with_format(row, 5, to_f64(p.total), &fm.num)?;
            ws.write_number_with_format(row, 6, to_f64(*change), &fm.num)?;
            row += 1;
        }
    }
    Ok(row)
}

/// The people of the previous quarter who are not in this one (离开).
fn leavers_table(
    ws: &mut Worksheet,
    mut row: u32,
    leavers: &[&Past],
    lang: Lang,
    fm: &Formats,
    w: &mut Widths,
) -> Result<()> {
    let title = crate::t!(
        "离开（上期在册、本期不在）：{0} 人",
        "Left (in the previous quarter, not in this one): {0}",
        leavers.len()
    );
    ws.write_string_with_format(row, 0, title.get(lang), &fm.bold)?;
    row += 1;
    for (c, h) in [
        in_lang(lang, "工号", "Id"),
        in_lang(lang, "姓名", "Name"),
        in_lang(lang, "班组", "Team"),
        in_lang(lang, "上期总分", "Previous total"),
        in_lang(lang, "上期等级", "Previous grade"),
    ]
    .iter()
    .enumerate()
    {
        ws.write_string_with_format(row, c as u16, *h, &fm.header)?;
    }
    for p in leavers {
        row += 1;
        for (c, text) in [&p.id, &p.name, &p.team].into_iter().enumerate() {
            ws.write_string(row, c as u16, text)?;
            w.see(c as u16, text);
        }
        ws.write_number_with_format(row, 3, to_f64(p.total), &fm.num)?;
        ws.write_string(row, 4, &p.grade)?;
    }
    Ok(())
}
