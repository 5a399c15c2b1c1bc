//! `projects.xlsx`: what the account managers (客户经理项目报表), the project
//! managers (项目经理项目报表) and the project platform / finance system of
//! record (项目台账) report on the branch's informatization projects, with
//! the disagreements real reports have: whole-万元 rounding, real conflicts
//! on contract value, collection reports that lag, acceptance dates a few
//! days apart, self-reported satisfaction, dates written as text in two
//! forms, projects missing from one report, a project claimed by two
//! account managers. Also `overrides.xlsx` (对账裁定): HR's decisions on all
//! but one contract conflict and on the two-AM claim, so a run shows every
//! outcome, including one unresolved conflict scored provisionally.

use std::path::Path;

use rust_xlsxwriter::Worksheet;

use super::date::Day;
use super::rng::{Rng, to_decimal};
use super::table::{Layout, Table};
use super::{Branch, Formats, Role, new_workbook, save};
use crate::Result;

pub const FILE: &str = "projects.xlsx";
pub const AM_SHEET: &str = "客户经理项目报表";
pub const PM_SHEET: &str = "项目经理项目报表";
pub const SYSTEM_SHEET: &str = "项目台账";
pub const OVERRIDES_FILE: &str = "overrides.xlsx";
pub const OVERRIDES_SHEET: &str = "对账裁定";

const KINDS: [&str; 8] = [
    "云视讯平台",
    "智慧园区",
    "SD-WAN组网",
    "5G专网",
    "企业云盘",
    "视频监控",
    "数字乡村",
    "IDC托管",
];
const STAGES: [&str; 3] = ["实施中", "已上线", "待验收"];
const ACCEPTED: &str = "已验收";

/// One project as the system of record has it, and how the reports stray.
#[derive(Debug, Clone)]
struct Project {
    id: String,
    name: String,
    customer: String,
    am: usize,
    pm: usize,
    /// In 0.01 万元.
    value: i64,
    collected: i64,
    collected_on: Option<Day>,
    signed: Day,
    accepted: Option<Day>,
    milestone: &'static str,
    /// In 0.1 points.
    satisfaction: Option<i64>,
    // What the reports do differently.
    in_system: bool,
    in_am: bool,
    in_pm: bool,
    am_value: i64,
    am_collected: i64,
    pm_accepted: Option<Day>,
    pm_satisfaction: Option<i64>,
    second_am: Option<usize>,
}

fn plan(branch: &Branch, seed: u64) -> Vec<Project> {
    let mut rng = Rng::derive(seed, "projects");
    let pms: Vec<usize> = branch
        .with_role(Role::ProjectManager)
        .map(|(i, _)| i)
        .collect();
    let ams: Vec<usize> = branch
        .with_role(Role::AccountManager)
        .map(|(i, _)| i)
        .collect();
    // Each account manager's customers, found once (not a scan per manager).
    let mut own: Vec<Vec<&super::Customer>> = vec![Vec::new(); branch.people.len()];
    for c in &branch.customers {
        own[c.account_manager].push(c);
    }
    let mut out: Vec<Project> = Vec::new();
    let q3 = branch.quarter.shift(Day::ymd(2024, 7, 1));
    let end = branch.quarter.shift(Day::ymd(2024, 9, 30));
    for &am in &ams {
        let customers = &own[am];
        let n = if rng.chance(45) { 2 } else { 1 };
        for _ in 0..n {
            let customer = customers[rng.index(customers.len())];
            let kind = rng.pick(&KINDS);
            let value = rng.range(2_000, 30_000);
            let signed = if rng.chance(60) {
                Day(rng.range(q3.0, branch.quarter.shift(Day::ymd(2024, 9, 25)).0))
            } else {
                Day(rng.range(
                    branch.quarter.shift(Day::ymd(2024, 1, 8)).0,
                    branch.quarter.shift(Day::ymd(2024, 6, 28)).0,
                ))
            };
            let accepted = if signed >= q3 {
                let d = Day(signed.0 + rng.range(20, 70));
                (rng.chance(45) && d <= end).then_some(d)
            } else {
                match rng.below(10) {
                    0..=6 => Some(Day(rng.range(q3.0, end.0))),
                    7 | 8 => Some(Day(rng
                        .range(signed.0 + 15, (q3.0 - 1).max(signed.0 + 15))
                        .min(q3.0 - 1))),
                    _ => None,
                }
            };
            let collected = match accepted {
                Some(_) => value * rng.range(50, 100) / 100,
                None => value * rng.range(0, 30) / 100,
            };
            let collected_on = (collected > 0).then(|| Day(rng.range(signed.0, end.0)));
            let satisfaction = accepted.map(|_| rng.range(800, 990));
            let k = out.len();
            let mut p = Project {
                id: format!("P2024-{:03}", k + 1),
                name: format!("{}{}项目", short(&customer.name), kind),
                customer: customer.name.clone(),
                am,
                pm: pms[rng.index(pms.len())],
                value,
                collected,
                collected_on,
                signed,
                accepted,
                milestone: if accepted.is_some() {
                    ACCEPTED
                } else {
                    STAGES[rng.index(STAGES.len())]
                },
                satisfaction,
                in_system: true,
                in_am: true,
                in_pm: true,
                am_value: value,
                am_collected: collected,
                pm_accepted: accepted,
                pm_satisfaction: satisfaction,
                second_am: None,
            };
            // Rounding: the AM writes whole 万元 (a difference under 0.5).
            if rng.chance(30) {
                p.am_value = (value + 50) / 100 * 100;
            }
            // A real conflict: the AM counts an unsigned change order.
            if rng.chance(7) {
                p.am_value = value + value * rng.range(10, 20) / 100;
            }
            // The AM's collection report lags the finance system.
            if rng.chance(15) {
                p.am_collected = collected * rng.range(40, 90) / 100;
            }
            // The PM's acceptance date: a day or two off, or the planned date.
            if let Some(a) = accepted {
                match rng.below(10) {
                    0 | 1 => p.pm_accepted = Some(Day(a.0 + rng.range(1, 2))),
                    2 => p.pm_accepted = Some(Day(a.0 - rng.range(8, 15))),
                    _ => {}
                }
            }
            // Self-reported satisfaction runs high.
            if let Some(s) = satisfaction
                && rng.chance(20)
            {
                p.pm_satisfaction = Some((s + rng.range(30, 60)).min(1000));
            }
            match rng.below(100) {
                0..=4 => p.in_am = false,     // the AM forgot it (the PM still reports it)
                5..=7 => p.in_pm = false,     // no PM report yet
                8 | 9 => p.in_system = false, // just signed, not yet booked
                _ => {}
            }
            out.push(p);
        }
    }
    // One project claimed by two account managers.
    if ams.len() > 1
        && let Some(p) = out.iter_mut().find(|p| p.in_am && p.in_system)
    {
        let other = ams.iter().copied().find(|&a| a != p.am).unwrap_or(p.am);
        p.second_am = Some(other);
    }
    out
}

/// The customer's name without the city prefix, for project names.
fn short(name: &str) -> String {
    name.trim_start_matches("合肥")
        .trim_start_matches("安徽")
        .to_string()
}

fn money(sheet: &mut Worksheet, row: u32, col: u16, units: i64, f: &Formats) -> Result<()> {
    sheet.write_number_with_format(row, col, to_decimal(units, 2), &f.two_dp)?;
    Ok(())
}

fn date(sheet: &mut Worksheet, row: u32, col: u16, d: Option<Day>, f: &Formats) -> Result<()> {
    if let Some(d) = d {
        sheet.write_date_with_format(row, col, &d.excel()?, &f.date)?;
    }
    Ok(())
}

/// A date as an AM's hand-kept report writes it: a date cell, "2024/8/5" or "2024年8月5日".
fn am_date(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    d: Option<Day>,
    k: usize,
    f: &Formats,
) -> Result<()> {
    let Some(d) = d else { return Ok(()) };
    let (y, m, dd) = d.civil();
    match k % 5 {
        1 => {
            sheet.write_string(row, col, format!("{y}/{m}/{dd}"))?;
        }
        3 => {
            sheet.write_string(row, col, format!("{y}年{m}月{dd}日"))?;
        }
        _ => date(sheet, row, col, Some(d), f)?,
    }
    Ok(())
}

pub const AM_HEADERS: [&str; 9] = [
    "项目编号",
    "项目名称",
    "集团客户",
    "客户经理工号",
    "合同金额(万元)",
    "回款金额(万元)",
    "签约日期",
    "验收日期",
    "填报日期",
];
pub const PM_HEADERS: [&str; 10] = [
    "项目编号",
    "项目名称",
    "项目经理工号",
    "合同金额(万元)",
    "回款金额(万元)",
    "最近回款日期",
    "验收日期",
    "里程碑状态",
    "客户满意度",
    "填报日期",
];
pub const SYSTEM_HEADERS: [&str; 13] = [
    "项目编号",
    "项目名称",
    "集团客户",
    "客户经理工号",
    "项目经理工号",
    "合同金额(万元)",
    "回款金额(万元)",
    "最近回款日期",
    "签约日期",
    "验收日期",
    "里程碑状态",
    "客户满意度",
    "更新日期",
];

fn widths<'a>(h: &[&'a str]) -> Vec<(&'a str, f64)> {
    h.iter()
        .map(|h| {
            (
                *h,
                if *h == "项目名称" || *h == "集团客户" {
                    30.0
                } else {
                    14.0
                },
            )
        })
        .collect()
}

/// Write `projects.xlsx` and `overrides.xlsx`; returns the number of projects.
pub fn write(dir: &Path, branch: &Branch, seed: u64, rows: u32) -> Result<usize> {
    // A day of 2024Q3, moved into the sample's quarter.
    let day = |y, m, d| branch.quarter.shift(Day::ymd(y, m, d));
    let projects = plan(branch, seed);
    let f = Formats::new();
    let id = |i: usize| branch.people[i].id.as_str();
    let mut wb = new_workbook()?;

    let mut table = Table::start(
        &mut wb,
        Layout::new(AM_SHEET, widths(&AM_HEADERS)),
        &f,
        rows,
    )?;
    for (k, p) in projects.iter().enumerate().filter(|(_, p)| p.in_am) {
        for am in std::iter::once(p.am).chain(p.second_am) {
            let (sheet, row) = table.row()?;
            sheet.write_string(row, 0, &p.id)?;
            sheet.write_string(row, 1, &p.name)?;
            sheet.write_string(row, 2, &p.customer)?;
            sheet.write_string(row, 3, id(am))?;
            money(sheet, row, 4, p.am_value, &f)?;
            money(sheet, row, 5, p.am_collected, &f)?;
            am_date(sheet, row, 6, Some(p.signed), k, &f)?;
            am_date(sheet, row, 7, p.accepted, k + 1, &f)?;
            date(sheet, row, 8, Some(day(2024, 9, 28)), &f)?;
        }
    }

    let mut table = Table::start(
        &mut wb,
        Layout::new(PM_SHEET, widths(&PM_HEADERS)),
        &f,
        rows,
    )?;
    for p in projects.iter().filter(|p| p.in_pm) {
        let (sheet, row) = table.row()?;
        sheet.write_string(row, 0, &p.id)?;
        sheet.write_string(row, 1, &p.name)?;
        sheet.write_string(row, 2, id(p.pm))?;
        money(sheet, row, 3, p.value, &f)?;
        money(sheet, row, 4, p.collected, &f)?;
        date(sheet, row, 5, p.collected_on, &f)?;
        date(sheet, row, 6, p.pm_accepted, &f)?;
        sheet.write_string(row, 7, p.milestone)?;
        if let Some(s) = p.pm_satisfaction {
            sheet.write_number_with_format(row, 8, to_decimal(s, 1), &f.one_dp)?;
        }
        date(sheet, row, 9, Some(day(2024, 9, 30)), &f)?;
    }

    let layout = Layout::new(SYSTEM_SHEET, widths(&SYSTEM_HEADERS));
    let mut table = Table::start(&mut wb, layout, &f, rows)?;
    for p in projects.iter().filter(|p| p.in_system) {
        let (sheet, row) = table.row()?;
        sheet.write_string(row, 0, &p.id)?;
        sheet.write_string(row, 1, &p.name)?;
        sheet.write_string(row, 2, &p.customer)?;
        sheet.write_string(row, 3, id(p.am))?;
        sheet.write_string(row, 4, id(p.pm))?;
        money(sheet, row, 5, p.value, &f)?;
        money(sheet, row, 6, p.collected, &f)?;
        date(sheet, row, 7, p.collected_on, &f)?;
        date(sheet, row, 8, Some(p.signed), &f)?;
        date(sheet, row, 9, p.accepted, &f)?;
        sheet.write_string(row, 10, p.milestone)?;
        if let Some(s) = p.satisfaction {
            sheet.write_number_with_format(row, 11, to_decimal(s, 1), &f.one_dp)?;
        }
        date(sheet, row, 12, Some(day(2024, 9, 25)), &f)?;
    }
    save(&mut wb, dir, FILE)?;

    // HR's decisions: every real contract conflict but the last, and the two-AM claim.
    let mut wb = new_workbook()?;
    let headers = ["项目编号", "字段", "值", "原因", "决定人", "日期"];
    let w: Vec<(&str, f64)> = headers.iter().map(|h| (*h, 16.0)).collect();
    let mut table = Table::start(&mut wb, Layout::new(OVERRIDES_SHEET, w), &f, rows)?;
    let conflicts: Vec<&Project> = projects
        .iter()
        .filter(|p| {
            p.in_am
                && (p.in_system || p.in_pm)
                && (p.am_value - p.value).abs() > (p.value / 100).max(50)
        })
        .collect();
    for p in conflicts.iter().take(conflicts.len().saturating_sub(1)) {
        let (sheet, row) = table.row()?;
        sheet.write_string(row, 0, &p.id)?;
        sheet.write_string(row, 1, "contract_value")?;
        money(sheet, row, 2, p.value, &f)?;
        sheet.write_string(row, 3, "以财务系统合同金额为准：补充协议尚未签订")?;
        sheet.write_string(row, 4, "人力资源部 周敏")?;
        date(sheet, row, 5, Some(day(2024, 10, 8)), &f)?;
    }
    if let Some(p) = projects.iter().find(|p| p.second_am.is_some()) {
        let (sheet, row) = table.row()?;
        sheet.write_string(row, 0, &p.id)?;
        sheet.write_string(row, 1, "客户经理")?;
        sheet.write_string(row, 2, id(p.am))?;
        sheet.write_string(row, 3, "合同由该客户经理签约，另一人仅协助商务洽谈")?;
        sheet.write_string(row, 4, "集团客户部 陈涛")?;
        let (y, m, d) = day(2024, 10, 9).civil();
        sheet.write_string(row, 5, format!("{y}年{m}月{d}日"))?;
    }
    save(&mut wb, dir, OVERRIDES_FILE)?;
    Ok(projects.len())
}
