//! `monthly.xlsx`, sheet `月度累计`: each account manager's cumulative
//! revenue at the end of each month of the period (工号, 月份, 累计收入), for
//! checkpoint control. September's figure is the quarter's 集团收入 of
//! `boss.xlsx`, read back from the file just written so the two agree
//! whatever the BOSS writer draws; July and August are shares of it.

use std::collections::HashMap;
use std::path::Path;

use calamine::{Data, Reader, open_workbook_auto};

use super::rng::{Rng, to_decimal};
use super::table::{Layout, Table};
use super::{Branch, Formats, Role, new_workbook, save};
use crate::Result;

pub const FILE: &str = "monthly.xlsx";
pub const SHEET: &str = "月度累计";
pub const HEADERS: [&str; 4] = ["工号", "姓名", "月份", "累计收入(万元)"];

/// 工号 → 集团收入 in cents, from the BOSS export in `dir` (its account
/// managers' sheet and that sheet's continuations).
fn boss_revenue(dir: &Path) -> HashMap<String, i64> {
    let mut out = HashMap::new();
    let Ok(mut wb) = open_workbook_auto(dir.join(super::boss::FILE)) else {
        return out;
    };
    for part in 0.. {
        let name = crate::ingest::continuation::sheet_name(super::boss::AM_SHEET, part);
        let Ok(range) = wb.worksheet_range(&name) else {
            break;
        };
        read_revenue(&range, &mut out);
    }
    out
}

fn read_revenue(range: &calamine::Range<Data>, out: &mut HashMap<String, i64>) {
    let rows: Vec<&[Data]> = range.rows().collect();
    let Some(hi) = rows.iter().position(|r| r.iter().any(|d| *d == "工号")) else {
        return;
    };
    let col = |name: &str| rows[hi].iter().position(|d| *d == name);
    let (Some(id), Some(rev)) = (col("工号"), col("集团收入(万元)")) else {
        return;
    };
    for r in &rows[hi + 1..] {
        if let (Some(k), Some(Data::Float(v))) = (r.get(id), r.get(rev)) {
            out.insert(k.to_string(), (v * 100.0).round() as i64);
        }
    }
}

/// Write the monthly sheet; returns the number of rows.
pub fn write(dir: &Path, branch: &Branch, seed: u64, rows: u32) -> Result<usize> {
    let mut rng = Rng::derive(seed, "monthly");
    let revenue = boss_revenue(dir);
    let formats = Formats::new();
    let mut workbook = new_workbook()?;
    let header: Vec<(&str, f64)> = HEADERS
        .iter()
        .copied()
        .zip([10.0, 10.0, 10.0, 16.0])
        .collect();
    let layout = Layout::new(SHEET, header).freeze(1, 0);
    let mut table = Table::start(&mut workbook, layout, &formats, rows)?;
    let mut written = 0;
    let months = branch.quarter.month_labels();
    for (_, p) in branch.with_role(Role::AccountManager) {
        let total = match revenue.get(&p.id) {
            Some(&c) => c,
            None => rng.range(8_000, 60_000),
        };
        // Shares of the quarter done by the end of July and of August.
        let july = total * rng.range(2_000, 4_200) / 10_000;
        let august = (total * rng.range(5_000, 7_400) / 10_000).max(july);
        for (m, cents) in months.iter().zip([july, august, total]) {
            let (sheet, row) = table.row()?;
            sheet.write_string(row, 0, &p.id)?;
            sheet.write_string(row, 1, &p.name)?;
            sheet.write_string(row, 2, m.as_str())?;
            sheet.write_number_with_format(row, 3, to_decimal(cents, 2), &formats.two_dp)?;
            written += 1;
        }
    }
    save(&mut workbook, dir, FILE)?;
    Ok(written)
}
