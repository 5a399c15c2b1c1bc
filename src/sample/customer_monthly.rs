//! `customer_monthly.xlsx`, sheet `客户月度`: each group customer's revenue
//! and members month by month, from 2023-07 (for year-on-year) to the
//! period's last month. Some customers lose revenue or members in one
//! month of the period, so the retention warnings have something to find.

use std::path::Path;

use super::rng::{Rng, to_decimal};
use super::table::{Layout, Table};
use super::{Branch, Formats, new_workbook, save};
use crate::Result;

pub const FILE: &str = "customer_monthly.xlsx";
pub const SHEET: &str = "客户月度";
pub const HEADERS: [&str; 4] = ["客户编码", "月份", "收入(万元)", "成员数"];

/// (year, month) of the 15 months up to the quarter's last (2023-07 to
/// 2024-09 for 2024Q3).
fn months(quarter: super::Quarter) -> Vec<(i32, u32)> {
    let first = quarter.year * 12 + (quarter.q as i32 - 1) * 3 + 2 - 14;
    (0..15)
        .map(|k| {
            let i = first + k;
            (i / 12, (i % 12 + 1) as u32)
        })
        .collect()
}

/// Write the monthly customer data; returns the number of rows.
pub fn write(dir: &Path, branch: &Branch, seed: u64, rows: u32) -> Result<usize> {
    let mut rng = Rng::derive(seed, "customer monthly");
    let formats = Formats::new();
    let mut workbook = new_workbook()?;
    let header: Vec<(&str, f64)> = HEADERS
        .iter()
        .copied()
        .zip([13.0, 10.0, 12.0, 10.0])
        .collect();
    let layout = Layout::new(SHEET, header).freeze(1, 0);
    let mut table = Table::start(&mut workbook, layout, &formats, rows)?;
    let months = months(branch.quarter);
    let mut written = 0;
    for c in &branch.customers {
        // Monthly revenue in cents of 万元: 50–200 per member-hundred.
        let base = i64::from(c.members) * rng.range(50, 200) / 10 + 100;
        // Last year's level relative to this year's, in basis points.
        let last_year = rng.range(8_500, 11_500);
        // A fall in one month of the period (index 12..=14), for some.
        let revenue_drop = rng
            .chance(12)
            .then(|| (rng.range(12, 14), rng.range(1_200, 4_000)));
        let member_drop = rng
            .chance(8)
            .then(|| (rng.range(12, 14), rng.range(600, 2_500)));
        let mut rev_factor = 10_000i64;
        let mut mem_factor = 10_000i64;
        for (k, (y, m)) in months.iter().enumerate() {
            let k = k as i64;
            if let Some((at, bp)) = revenue_drop
                && k == at
            {
                rev_factor = rev_factor * (10_000 - bp) / 10_000;
            }
            if let Some((at, bp)) = member_drop
                && k == at
            {
                mem_factor = mem_factor * (10_000 - bp) / 10_000;
            }
            let year = if k < 12 { last_year } else { 10_000 };
            let noise = rng.range(9_700, 10_300);
            let cents = base * year / 10_000 * rev_factor / 10_000 * noise / 10_000;
            let members =
                i64::from(c.members) * mem_factor / 10_000 * rng.range(995, 1_005) / 1_000;
            let (sheet, row) = table.row()?;
            sheet.write_string(row, 0, &c.code)?;
            sheet.write_string(row, 1, format!("{y}-{m:02}"))?;
            sheet.write_number_with_format(row, 2, to_decimal(cents, 2), &formats.two_dp)?;
            sheet.write_number(row, 3, members as f64)?;
            written += 1;
        }
    }
    save(&mut workbook, dir, FILE)?;
    Ok(written)
}
