//! The trend across quarters in the feedback and team workbooks (issue 18,
//! `[history]`): a person's workbook shows that person's own last quarters
//! (up to four, this one included) as a table and a line chart, and nobody
//! else's; a team's workbook shows the team's mean total and headcount by
//! quarter (the people each run lists under the team's name).

use super::book::{Formats, Widths, in_lang, to_f64};
use crate::config::RoundMode;
use crate::error::Result;
use crate::history::History;
use crate::ingest::Employee;
use crate::lang::Lang;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Chart, ChartType, Workbook, Worksheet};

/// The sheet's name.
fn name(lang: Lang) -> &'static str {
    in_lang(lang, "历史趋势", "Trend")
}

/// `历史趋势` of a person's workbook: 期间, 总分, 等级, 班组 for each
/// quarter the person was in, oldest first, and the totals as a line.
/// `now`: this quarter's period, the person's total and grade.
pub fn person_sheet(
    wb: &mut Workbook,
    history: &History,
    lang: Lang,
    now: (&str, Decimal, &str),
    e: &Employee,
    fm: &Formats,
) -> Result<()> {
    let mut rows: Vec<(String, Decimal, String, String)> = history
        .of(&e.id)
        .into_iter()
        .map(|(period, past)| {
            (
                period.to_string(),
                past.total,
                past.grade.clone(),
                past.team.clone(),
            )
        })
        .collect();
    rows.push((now.0.to_string(), now.1, now.2.to_string(), e.team.clone()));
    let headers = [
        in_lang(lang, "期间", "Period"),
        in_lang(lang, "总分", "Total"),
        in_lang(lang, "等级", "Grade"),
        in_lang(lang, "班组", "Team"),
    ];
    let ws = wb.add_worksheet();
    ws.set_name(name(lang))?;
    let mut w = Widths::new();
    table_head(ws, &headers, fm, &mut w)?;
    for (i, (period, total, grade, team)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, period)?;
        ws.write_number_with_format(r, 1, to_f64(*total), &fm.num)?;
        ws.write_string(r, 2, grade)?;
        ws.write_string(r, 3, team)?;
        w.see(0, period);
        w.see(3, team);
    }
    w.apply(ws)?;
    let title = in_lang(lang, "本人各季度总分", "Own total by quarter");
    chart(
        ws,
        name(lang),
        rows.len() as u32,
        title,
        in_lang(lang, "总分", "Total"),
    )
}

/// `历史趋势` of a team's workbook: each quarter's headcount and mean total
/// (two places, half away from zero) of the people listed under the team;
/// `now`: this quarter's period and the team's members' totals.
pub fn team_sheet(
    wb: &mut Workbook,
    history: &History,
    lang: Lang,
    team: &str,
    now: (&str, &[Decimal]),
    fm: &Formats,
) -> Result<()> {
    let mut rows: Vec<(String, usize, Decimal)> = Vec::new();
    for run in history.runs.iter().rev() {
        let totals: Vec<Decimal> = run
            .people
            .iter()
            .filter(|p| p.team == team)
            .map(|p| p.total)
            .collect();
        if let Some(mean) = mean(&totals) {
            rows.push((run.period.clone(), totals.len(), mean));
        }
    }
    if let Some(m) = mean(now.1) {
        rows.push((now.0.to_string(), now.1.len(), m));
    }
    let headers = [
        in_lang(lang, "期间", "Period"),
        in_lang(lang, "平均总分", "Mean total"),
        in_lang(lang, "人数", "People"),
    ];
    let ws = wb.add_worksheet();
    ws.set_name(name(lang))?;
    let mut w = Widths::new();
    table_head(ws, &headers, fm, &mut w)?;
    for (i, (period, n, m)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, period)?;
        ws.write_number_with_format(r, 1, to_f64(*m), &fm.num)?;
        ws.write_number(r, 2, *n as f64)?;
        w.see(0, period);
    }
    w.apply(ws)?;
    let title = in_lang(lang, "班组各季度平均总分", "Team mean total by quarter");
    chart(
        ws,
        name(lang),
        rows.len() as u32,
        title,
        in_lang(lang, "平均总分", "Mean total"),
    )
}

/// The mean, two places, half away from zero; None of nothing.
fn mean(xs: &[Decimal]) -> Option<Decimal> {
    if xs.is_empty() {
        return None;
    }
    let sum: Decimal = xs.iter().sum();
    let m = crate::exact::quot(sum, Decimal::from(xs.len() as u64));
    Some(crate::score::round::round(
        m,
        Some(2),
        RoundMode::HalfAwayFromZero,
    ))
}

fn table_head(ws: &mut Worksheet, headers: &[&str], fm: &Formats, w: &mut Widths) -> Result<()> {
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &fm.header)?;
        w.see(c as u16, h);
    }
    Ok(())
}

/// A line of column B over the periods of column A, rows 2 to `n` + 1.
fn chart(ws: &mut Worksheet, sheet: &str, n: u32, title: &str, series: &str) -> Result<()> {
    let mut chart = Chart::new(ChartType::Line);
    chart
        .add_series()
        .set_name(series)
        .set_categories((sheet, 1, 0, n, 0))
        .set_values((sheet, 1, 1, n, 1));
    chart.title().set_name(title);
    chart.legend().set_hidden();
    chart.set_width(560).set_height(300);
    ws.insert_chart(n + 2, 0, &chart)?;
    Ok(())
}
