//! `boss.xlsx`: the BOSS system's quarterly export, one sheet per role, each
//! with a title in row 1, headers in row 2 and data from row 3.
//!
//! Every figure is drawn as an integer in units of its last decimal place and
//! divided once when written, so the cell holds exactly the stated decimals.

use std::path::Path;

use super::rng::{Rng, to_decimal};
use super::table::{Layout, Table};
use super::{Branch, Formats, Role, new_workbook, save};
use crate::Result;

pub const FILE: &str = "boss.xlsx";
pub const AM_SHEET: &str = "客户经理指标";
pub const PM_SHEET: &str = "项目经理指标";
pub const LEADER_SHEET: &str = "班组长指标";

pub const AM_HEADERS: [&str; 13] = [
    "工号",
    "姓名",
    "集团收入(万元)",
    "收入目标(万元)",
    "上年同期收入(万元)",
    "新业务收入(万元)",
    "新业务目标(万元)",
    "成员流失率",
    "客户满意度",
    "回款率",
    "预测准确率",
    "走访次数",
    "ARPU(元)",
];
pub const PM_HEADERS: [&str; 8] = [
    "工号",
    "姓名",
    "项目验收及时率",
    "里程碑完成率",
    "交付满意度",
    "成本偏差率",
    "回款金额(万元)",
    "回款目标(万元)",
];
pub const LEADER_HEADERS: [&str; 6] = [
    "工号",
    "姓名",
    "班组收入(万元)",
    "班组收入目标(万元)",
    "晨夕会执行率",
    "员工流失人数",
];

/// One account manager's figures, in integer units of the last place.
#[derive(Debug, Clone)]
struct AmRow {
    revenue_cents: i64,
    target: i64,
    base_cents: i64,
    new_cents: i64,
    new_target: i64,
    churn_bp: i64,
    satisfaction_tenths: Option<i64>,
    collection_bp: i64,
    forecast_bp: i64,
    visits: i64,
    arpu_cents: i64,
}

/// `a` × 10000 ÷ `ratio_bp`, rounded half up (`ratio_bp` > 0, `a` ≥ 0).
fn divide_by_ratio(a: i64, ratio_bp: i64) -> i64 {
    (a * 10_000 + ratio_bp / 2) / ratio_bp
}

/// `form`: with `sample --quarters`, the person's own completion level in
/// basis points, the same every quarter; each quarter then moves it by at
/// most ±6.25 %, so that results drift rather than jump.
fn am_row(rng: &mut Rng, blank_satisfaction: bool, form: Option<i64>) -> AmRow {
    let revenue_cents = rng.range(8_000, 60_000);
    // target = revenue / U(0.75, 1.25), whole 万元.
    let drawn = rng.range(7_500, 12_500);
    let ratio = form.map_or(drawn, |f| (f + (drawn - 10_000) / 4).clamp(7_500, 12_500));
    let target = divide_by_ratio(revenue_cents, ratio).div_euclid(100).max(1);
    let base_cents = divide_by_ratio(revenue_cents, rng.range(8_500, 12_000));
    let new_cents = rng.range(500, 6_000);
    let new_target = divide_by_ratio(new_cents, rng.range(7_000, 13_000))
        .div_euclid(100)
        .max(1);
    let churn_bp = rng.range(0, 1_500);
    let satisfaction = rng.range(700, 999);
    AmRow {
        revenue_cents,
        target,
        base_cents,
        new_cents,
        new_target,
        churn_bp,
        satisfaction_tenths: (!blank_satisfaction).then_some(satisfaction),
        collection_bp: rng.range(5_500, 10_000),
        forecast_bp: rng.range(7_000, 10_000),
        visits: rng.range(20, 90),
        arpu_cents: rng.range(3_000, 18_000),
    }
}

/// A BOSS sheet: the report's title in row 1, its header in row 2.
fn layout<'a>(
    quarter: super::Quarter,
    sheet: &'a str,
    what: &str,
    headers: &[&'a str],
) -> Layout<'a> {
    Layout::new(sheet, headers_with_widths(headers))
        .title(format!(
            "{} {what}（数据截至{}）",
            quarter.title(),
            quarter.end()
        ))
        .freeze(2, 2)
}

fn headers_with_widths<'a>(headers: &[&'a str]) -> Vec<(&'a str, f64)> {
    headers
        .iter()
        .map(|h| (*h, if h.chars().count() > 6 { 18.0 } else { 12.0 }))
        .collect()
}

/// Write the BOSS export; returns the number of data rows over all sheets.
pub fn write(dir: &Path, branch: &Branch, seed: u64, rows_per_sheet: u32) -> Result<usize> {
    let formats = Formats::new();
    let mut workbook = new_workbook()?;
    let mut rows = 0;

    // Account managers first: the leaders' sheet sums their figures.
    let mut rng = Rng::derive(seed, "boss account managers");
    let mut ams = Vec::new();
    let mut team_totals = vec![(0i64, 0i64); branch.teams.len()];
    for (i, person) in branch.with_role(Role::AccountManager) {
        let form = branch
            .form_seed
            .map(|s| Rng::derive(s, &person.id).range(8_000, 12_000));
        let row = am_row(&mut rng, branch.new_hires.contains(&i), form);
        team_totals[person.team].0 += row.revenue_cents;
        team_totals[person.team].1 += row.target;
        ams.push((person, row));
    }

    let am_layout = layout(branch.quarter, AM_SHEET, "客户经理业绩报表", &AM_HEADERS);
    let mut table = Table::start(&mut workbook, am_layout, &formats, rows_per_sheet)?;
    for (person, r) in &ams {
        let (sheet, row) = table.row()?;
        sheet.write_string(row, 0, &person.id)?;
        sheet.write_string(row, 1, &person.name)?;
        sheet.write_number_with_format(row, 2, to_decimal(r.revenue_cents, 2), &formats.two_dp)?;
        sheet.write_number(row, 3, r.target as f64)?;
        sheet.write_number_with_format(row, 4, to_decimal(r.base_cents, 2), &formats.two_dp)?;
        sheet.write_number_with_format(row, 5, to_decimal(r.new_cents, 2), &formats.two_dp)?;
        sheet.write_number(row, 6, r.new_target as f64)?;
        sheet.write_number_with_format(row, 7, to_decimal(r.churn_bp, 4), &formats.percent)?;
        if let Some(s) = r.satisfaction_tenths {
            sheet.write_number_with_format(row, 8, to_decimal(s, 1), &formats.one_dp)?;
        }
        sheet.write_number_with_format(row, 9, to_decimal(r.collection_bp, 4), &formats.percent)?;
        sheet.write_number_with_format(row, 10, to_decimal(r.forecast_bp, 4), &formats.percent)?;
        sheet.write_number(row, 11, r.visits as f64)?;
        sheet.write_number_with_format(row, 12, to_decimal(r.arpu_cents, 2), &formats.two_dp)?;
    }
    rows += ams.len();

    let mut rng = Rng::derive(seed, "boss project managers");
    let pm_layout = layout(
        branch.quarter,
        PM_SHEET,
        "信息化项目经理业绩报表",
        &PM_HEADERS,
    );
    let mut table = Table::start(&mut workbook, pm_layout, &formats, rows_per_sheet)?;
    for (_, person) in branch.with_role(Role::ProjectManager) {
        let (sheet, row) = table.row()?;
        let collected = rng.range(5_000, 40_000);
        let target = divide_by_ratio(collected, rng.range(7_500, 12_500))
            .div_euclid(100)
            .max(1);
        sheet.write_string(row, 0, &person.id)?;
        sheet.write_string(row, 1, &person.name)?;
        sheet.write_number_with_format(row, 2, rng.decimal(6_000, 10_000, 4), &formats.percent)?;
        sheet.write_number_with_format(row, 3, rng.decimal(6_000, 10_000, 4), &formats.percent)?;
        sheet.write_number_with_format(row, 4, rng.decimal(750, 995, 1), &formats.one_dp)?;
        sheet.write_number_with_format(row, 5, rng.decimal(0, 2_000, 4), &formats.percent)?;
        sheet.write_number_with_format(row, 6, to_decimal(collected, 2), &formats.two_dp)?;
        sheet.write_number(row, 7, target as f64)?;
        rows += 1;
    }

    let mut rng = Rng::derive(seed, "boss team leaders");
    let leader_layout = layout(
        branch.quarter,
        LEADER_SHEET,
        "班组长业绩报表",
        &LEADER_HEADERS,
    );
    let mut table = Table::start(&mut workbook, leader_layout, &formats, rows_per_sheet)?;
    for (_, person) in branch.with_role(Role::TeamLeader) {
        let (sheet, row) = table.row()?;
        let (revenue_cents, target) = team_totals[person.team];
        sheet.write_string(row, 0, &person.id)?;
        sheet.write_string(row, 1, &person.name)?;
        sheet.write_number_with_format(row, 2, to_decimal(revenue_cents, 2), &formats.two_dp)?;
        sheet.write_number(row, 3, target as f64)?;
        sheet.write_number_with_format(row, 4, rng.decimal(7_000, 10_000, 4), &formats.percent)?;
        sheet.write_number(row, 5, rng.range(0, 2) as f64)?;
        rows += 1;
    }

    save(&mut workbook, dir, FILE)?;
    Ok(rows)
}
