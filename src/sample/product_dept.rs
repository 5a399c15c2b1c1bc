//! The second example: the branch's 政企产品部 (government & enterprise
//! product department), the new role of the manager's guide (docs/guide.md),
//! scored by `kpi-configs/product-2024q3.toml`. `appraise sample --example
//! product` writes it; `samples/product-2024Q3` is its committed output.
//!
//! Four workbooks:
//! - `roster.xlsx` [花名册]: the whole branch (the product department and two
//!   teams of account managers, whom the scheme's `[roster] where` leaves out);
//! - `product.xlsx` [产品经营]: one row per product manager and team leader;
//! - `requests.xlsx` [方案需求]: the solution requests account managers raised,
//!   some in June (before the period), some answered late, some not yet;
//! - `incidents.xlsx` [安全事件]: ordinary incidents, and one major one.
//!
//! Deterministic like the main sample: each file draws from its own stream.

use std::collections::HashSet;
use std::path::Path;

use super::date::Day;
use super::rng::Rng;
use super::table::{Layout, Table};
use super::{Formats, PERIOD_END, PERIOD_START, names, new_workbook, save};
use crate::Result;

/// The department the example's scheme scores.
pub const DEPARTMENT: &str = "政企产品部";
pub const MANAGER: &str = "政企产品经理";
pub const LEAD: &str = "产品班组长";

const TEAMS: [&str; 3] = ["产品一组", "产品二组", "产品三组"];
/// Product managers per team (the leader comes on top).
const TEAM_SIZE: usize = 6;
/// Account-manager teams on the branch-wide roster, outside the department.
const OTHER_TEAMS: [&str; 2] = ["政企一班", "政企二班"];
const OTHER_TEAM_SIZE: usize = 5;

/// What the product lines are called in requests and incidents.
const PRODUCTS: &[&str] = &[
    "云视讯",
    "移动云主机",
    "5G专网",
    "和对讲",
    "千里眼",
    "OneNET物联网平台",
    "企业宽带",
    "智慧校园",
    "云电脑",
    "数字乡村",
];

struct Person {
    id: String,
    name: String,
    role: &'static str,
    team: &'static str,
    department: &'static str,
    hired: Day,
}

/// The branch as the example needs it: people first, in id order.
struct Dept {
    people: Vec<Person>,
}

impl Dept {
    fn generate(seed: u64) -> Dept {
        let mut rng = Rng::derive(seed, "product people");
        let mut taken = HashSet::new();
        let mut people = Vec::new();
        let mut push = |people: &mut Vec<Person>, role, team, department, rng: &mut Rng| {
            let hired = Day(rng.range(Day::ymd(2008, 1, 1).0, Day::ymd(2023, 12, 31).0));
            people.push(Person {
                id: format!("HF1{:04}", people.len() + 1),
                name: names::unique_person(rng, &mut taken),
                role,
                team,
                department,
                hired,
            });
        };
        for team in TEAMS {
            push(&mut people, LEAD, team, DEPARTMENT, &mut rng);
            for _ in 0..TEAM_SIZE {
                push(&mut people, MANAGER, team, DEPARTMENT, &mut rng);
            }
        }
        for team in OTHER_TEAMS {
            push(&mut people, "班组长", team, "集团客户部", &mut rng);
            for _ in 0..OTHER_TEAM_SIZE {
                push(&mut people, "客户经理", team, "集团客户部", &mut rng);
            }
        }
        Dept { people }
    }

    fn department(&self) -> impl Iterator<Item = &Person> {
        self.people.iter().filter(|p| p.department == DEPARTMENT)
    }
}

/// What one `write` produced, for the command's closing line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleSummary {
    pub on_roster: usize,
    pub in_department: usize,
    pub requests: usize,
    pub incidents: usize,
}

/// Write the example's four workbooks into `dir`.
pub fn write_files(dir: &Path, seed: u64, rows: u32) -> Result<ExampleSummary> {
    let dept = Dept::generate(seed);
    write_roster(dir, &dept, rows)?;
    write_products(dir, &dept, seed, rows)?;
    let requests = write_requests(dir, &dept, seed, rows)?;
    let incidents = write_incidents(dir, &dept, seed, rows)?;
    Ok(ExampleSummary {
        on_roster: dept.people.len(),
        in_department: dept.department().count(),
        requests,
        incidents,
    })
}

fn write_roster(dir: &Path, dept: &Dept, rows: u32) -> Result<()> {
    let formats = Formats::new();
    let mut workbook = new_workbook()?;
    let header = vec![
        ("工号", 10.0),
        ("姓名", 10.0),
        ("岗位", 16.0),
        ("班组", 12.0),
        ("部门", 14.0),
        ("入职日期", 12.0),
    ];
    let layout = Layout::new("花名册", header).freeze(1, 0);
    let mut table = Table::start(&mut workbook, layout, &formats, rows)?;
    for p in &dept.people {
        let (sheet, row) = table.row()?;
        sheet.write_string(row, 0, &p.id)?;
        sheet.write_string(row, 1, &p.name)?;
        sheet.write_string(row, 2, p.role)?;
        sheet.write_string(row, 3, p.team)?;
        sheet.write_string(row, 4, p.department)?;
        sheet.write_date_with_format(row, 5, &p.hired.excel()?, &formats.date)?;
    }
    save(&mut workbook, dir, "roster.xlsx")
}

/// 产品经营: revenue against target, products launched, users and complaints,
/// training sessions (a leader's row holds the team's sessions).
fn write_products(dir: &Path, dept: &Dept, seed: u64, rows: u32) -> Result<()> {
    let mut rng = Rng::derive(seed, "product figures");
    let formats = Formats::new();
    let mut workbook = new_workbook()?;
    let header = vec![
        ("工号", 10.0),
        ("姓名", 10.0),
        ("产品收入(万元)", 15.0),
        ("产品收入目标(万元)", 19.0),
        ("新上线产品数", 13.0),
        ("在网用户数", 12.0),
        ("投诉件数", 10.0),
        ("赋能培训场次", 13.0),
    ];
    let title = "政企产品部 2024年第三季度 产品经营报表".to_string();
    let layout = Layout::new("产品经营", header).title(title).freeze(2, 2);
    let mut table = Table::start(&mut workbook, layout, &formats, rows)?;
    for p in dept.department() {
        let lead = p.role == LEAD;
        let target = if lead {
            rng.range(30, 40) * 50
        } else {
            rng.range(8, 16) * 25
        };
        // Completion between about 70 % and 130 %, in 0.01 万元.
        let revenue = target * rng.range(70, 130);
        let users = if lead {
            rng.range(20_000, 40_000)
        } else {
            rng.range(2_000, 12_000)
        };
        // Around the target of 0.5 complaints per 1,000 users.
        let complaints = users * rng.range(1, 10) / 10_000;
        let trainings = if lead {
            rng.range(3, 12)
        } else {
            rng.range(0, 6)
        };
        let (sheet, row) = table.row()?;
        sheet.write_string(row, 0, &p.id)?;
        sheet.write_string(row, 1, &p.name)?;
        sheet.write_number_with_format(row, 2, revenue as f64 / 100.0, &formats.two_dp)?;
        sheet.write_number(row, 3, target as f64)?;
        sheet.write_number(row, 4, rng.range(1, 6) as f64)?;
        sheet.write_number(row, 5, users as f64)?;
        sheet.write_number(row, 6, complaints as f64)?;
        sheet.write_number(row, 7, trainings as f64)?;
    }
    save(&mut workbook, dir, "product.xlsx")
}

/// 方案需求: each product manager's and leader's requests from mid-June to
/// the period's end, most answered within 3 days, some later, a few not yet.
fn write_requests(dir: &Path, dept: &Dept, seed: u64, rows: u32) -> Result<usize> {
    let mut rng = Rng::derive(seed, "solution requests");
    let formats = Formats::new();
    let mut requests = Vec::new();
    for p in dept.department() {
        // A leader takes the requests the team cannot place, fewer of them.
        let n = if p.role == LEAD {
            rng.range(3, 8)
        } else {
            rng.range(5, 14)
        };
        for _ in 0..n {
            let raised = Day(rng.range(Day::ymd(2024, 6, 15).0, PERIOD_END.0));
            let delay = match rng.range(0, 99) {
                0..=64 => rng.range(0, 3),
                65..=89 => rng.range(4, 9),
                _ => -1,
            };
            let answered = (delay >= 0).then(|| Day(raised.0 + delay));
            let answered = answered.filter(|d| *d <= Day::ymd(2024, 10, 8));
            requests.push((
                raised,
                p,
                answered,
                *rng.pick(PRODUCTS),
                names::customer(&mut rng).0,
            ));
        }
    }
    requests.sort_by(|a, b| (a.0, &a.1.id).cmp(&(b.0, &b.1.id)));

    let mut workbook = new_workbook()?;
    let header = vec![
        ("需求编号", 14.0),
        ("工号", 10.0),
        ("姓名", 10.0),
        ("集团客户", 30.0),
        ("产品", 18.0),
        ("提出日期", 12.0),
        ("答复日期", 12.0),
        ("状态", 8.0),
    ];
    let layout = Layout::new("方案需求", header).freeze(1, 0);
    let mut table = Table::start(&mut workbook, layout, &formats, rows)?;
    for (n, (raised, p, answered, product, customer)) in requests.iter().enumerate() {
        let (sheet, row) = table.row()?;
        sheet.write_string(row, 0, format!("XQ2024{:04}", n + 1))?;
        sheet.write_string(row, 1, &p.id)?;
        sheet.write_string(row, 2, &p.name)?;
        sheet.write_string(row, 3, customer)?;
        sheet.write_string(row, 4, *product)?;
        sheet.write_date_with_format(row, 5, &raised.excel()?, &formats.date)?;
        if let Some(day) = answered {
            sheet.write_date_with_format(row, 6, &day.excel()?, &formats.date)?;
        }
        sheet.write_string(
            row,
            7,
            if answered.is_some() {
                "已答复"
            } else {
                "处理中"
            },
        )?;
    }
    save(&mut workbook, dir, "requests.xlsx")?;
    Ok(requests.len())
}

/// 安全事件: about one ordinary incident in four people; one person with
/// six (−12 points, capped at −10); one major incident (the veto); and one
/// of June's, which the third quarter does not count.
fn write_incidents(dir: &Path, dept: &Dept, seed: u64, rows: u32) -> Result<usize> {
    let mut rng = Rng::derive(seed, "safety incidents");
    let formats = Formats::new();
    let people: Vec<&Person> = dept.department().collect();
    let mut incidents = Vec::new();
    let mut add = |level: &'static str, who: usize, rng: &mut Rng| {
        let day = Day(rng.range(PERIOD_START.0, PERIOD_END.0));
        incidents.push((day, who, level, *rng.pick(PRODUCTS)));
    };
    for who in 0..people.len() {
        if rng.chance(25) {
            add("一般", who, &mut rng);
        }
    }
    let repeat = rng.index(people.len());
    for _ in 0..6 {
        add("一般", repeat, &mut rng);
    }
    add("重大", rng.index(people.len()), &mut rng);
    let june = Day(rng.range(Day::ymd(2024, 6, 1).0, Day::ymd(2024, 6, 30).0));
    incidents.push((june, rng.index(people.len()), "一般", *rng.pick(PRODUCTS)));
    incidents.sort_by_key(|&(day, who, ..)| (day, who));

    let mut workbook = new_workbook()?;
    let header = vec![
        ("工号", 10.0),
        ("姓名", 10.0),
        ("发生日期", 12.0),
        ("等级", 8.0),
        ("说明", 40.0),
    ];
    let layout = Layout::new("安全事件", header).freeze(1, 0);
    let mut table = Table::start(&mut workbook, layout, &formats, rows)?;
    for (day, who, level, product) in &incidents {
        let p = people[*who];
        let (sheet, row) = table.row()?;
        sheet.write_string(row, 0, &p.id)?;
        sheet.write_string(row, 1, &p.name)?;
        sheet.write_date_with_format(row, 2, &day.excel()?, &formats.date)?;
        sheet.write_string(row, 3, *level)?;
        let text = if *level == "重大" {
            format!("{product}割接未按方案报备，造成集团客户业务中断4小时")
        } else {
            format!("{product}配置变更未执行双人复核")
        };
        sheet.write_string(row, 4, text)?;
    }
    save(&mut workbook, dir, "incidents.xlsx")?;
    Ok(incidents.len())
}
