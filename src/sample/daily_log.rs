//! `daily_log.xlsx`, sheet `日行事例`: one row per account manager per
//! working day of the period (Monday to Friday): visits planned and done,
//! the customers visited (their own, from the branch), whom was met at each
//! (关键人 or 基础成员, in the same order) and the day's tasks.
//!
//! Each account manager has habits drawn once: how reliably plans are kept,
//! how often base members are met beyond the key person, and a few
//! customers left unvisited or dropped part-way through the quarter, so
//! coverage, base-member coverage and the no-visit warnings all vary.

use std::path::Path;

use super::date::Day;
use super::rng::Rng;
use super::table::{Layout, Table};
use super::{Branch, Formats, Role, new_workbook, save};
use crate::Result;

pub const FILE: &str = "daily_log.xlsx";
pub const SHEET: &str = "日行事例";
pub const HEADERS: [&str; 8] = [
    "工号",
    "姓名",
    "日期",
    "计划走访",
    "实际走访",
    "走访客户编码",
    "接触对象",
    "任务",
];
pub const KEY_PERSON: &str = "关键人";
pub const BASE_MEMBERS: &str = "基础成员";

const TASKS: &[&str] = &[
    "了解专线扩容需求",
    "集团成员存量维系",
    "5G专网方案交流",
    "催缴回款",
    "投诉回访",
    "云视讯产品演示",
    "合同续签沟通",
    "收集成员满意度意见",
];

/// Monday to Friday (Excel serial 2 = Monday modulo 7).
pub fn is_working_day(d: Day) -> bool {
    d.0.rem_euclid(7) >= 2
}

/// Write the log; returns the number of rows.
pub fn write(dir: &Path, branch: &Branch, seed: u64, rows: u32) -> Result<usize> {
    let mut rng = Rng::derive(seed, "daily log");
    let mut own: Vec<Vec<usize>> = vec![Vec::new(); branch.people.len()];
    for (i, c) in branch.customers.iter().enumerate() {
        own[c.account_manager].push(i);
    }
    let (period_start, period_end) = (branch.quarter.start(), branch.quarter.end());
    let days: Vec<Day> = (period_start.0..=period_end.0)
        .map(Day)
        .filter(|d| is_working_day(*d))
        .collect();

    let formats = Formats::new();
    let mut workbook = new_workbook()?;
    let widths = [10.0, 10.0, 12.0, 10.0, 10.0, 26.0, 20.0, 30.0];
    let header: Vec<(&str, f64)> = HEADERS.iter().copied().zip(widths).collect();
    let layout = Layout::new(SHEET, header).freeze(1, 0);
    let mut table = Table::start(&mut workbook, layout, &formats, rows)?;
    let mut written = 0;
    for (am, person) in branch.with_role(Role::AccountManager) {
        let keeps_plan = rng.range(60, 95) as u64;
        let base_share = rng.range(5, 60) as u64;
        // Each customer is visited until a last day: most to the end, some
        // stop part-way, a few are never visited.
        let until: Vec<(usize, Day)> = own[am]
            .iter()
            .map(|&c| {
                let last = match rng.below(100) {
                    0..=9 => Day(period_start.0 - 1),
                    10..=22 => Day(rng.range(period_start.0, period_end.0 - 35)),
                    _ => period_end,
                };
                (c, last)
            })
            .collect();
        for &day in &days {
            let planned = rng.range(0, 3);
            let open: Vec<usize> = until
                .iter()
                .filter(|(_, last)| day <= *last)
                .map(|(c, _)| *c)
                .collect();
            let mut done = if rng.chance(keeps_plan) {
                planned
            } else if rng.chance(70) {
                (planned - 1).max(0)
            } else {
                planned + 1
            };
            done = done.min(open.len() as i64);
            let mut visited: Vec<usize> = Vec::new();
            while (visited.len() as i64) < done {
                let c = open[rng.index(open.len())];
                if !visited.contains(&c) {
                    visited.push(c);
                }
            }
            let codes: Vec<&str> = visited
                .iter()
                .map(|&c| branch.customers[c].code.as_str())
                .collect();
            let whom: Vec<&str> = visited
                .iter()
                .map(|_| {
                    if rng.chance(base_share) {
                        BASE_MEMBERS
                    } else {
                        KEY_PERSON
                    }
                })
                .collect();
            let tasks: Vec<&str> = (0..rng.range(1, 2)).map(|_| *rng.pick(TASKS)).collect();
            let (sheet, row) = table.row()?;
            sheet.write_string(row, 0, &person.id)?;
            sheet.write_string(row, 1, &person.name)?;
            sheet.write_date_with_format(row, 2, &day.excel()?, &formats.date)?;
            sheet.write_number(row, 3, planned as f64)?;
            sheet.write_number(row, 4, done as f64)?;
            sheet.write_string(row, 5, codes.join("、"))?;
            sheet.write_string(row, 6, whom.join("、"))?;
            sheet.write_string(row, 7, tasks.join("；"))?;
            written += 1;
        }
    }
    save(&mut workbook, dir, FILE)?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekdays() {
        // 2024-07-01 was a Monday, 2024-07-06 a Saturday.
        assert!(is_working_day(Day::ymd(2024, 7, 1)));
        assert!(is_working_day(Day::ymd(2024, 7, 5)));
        assert!(!is_working_day(Day::ymd(2024, 7, 6)));
        assert!(!is_working_day(Day::ymd(2024, 7, 7)));
    }
}
