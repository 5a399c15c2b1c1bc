//! `events.xlsx`, sheet `奖惩事件`: rewards and penalties in the period, a few
//! per account or project manager, header in row 1, sorted by date then 工号.
//!
//! 合规违规 (the veto event) is rare on purpose: one account manager in about
//! a hundred has exactly one.

use std::path::Path;

use super::date::Day;
use super::rng::Rng;
use super::table::{Layout, Table};
use super::{Branch, Formats, Role, distinct, new_workbook, save};
use crate::Result;

pub const FILE: &str = "events.xlsx";
pub const SHEET: &str = "奖惩事件";
pub const HEADERS: [&str; 6] = ["工号", "姓名", "日期", "事件类型", "次数", "说明"];

pub const PRAISE: &str = "集团客户表扬";
pub const PROPOSAL: &str = "创新提案";
pub const COMPLAINT: &str = "有效投诉";
pub const SERVICE_ERROR: &str = "服务差错";
pub const VIOLATION: &str = "合规违规";

/// Ordinary event types with their weight (percent) and descriptions; `{c}`
/// stands for a group customer's name.
const KINDS: &[(&str, u64, &[&str])] = &[
    (
        PRAISE,
        35,
        &[
            "{c}来函表扬其响应迅速、方案专业",
            "{c}致电表扬专线故障处理及时",
            "{c}送来锦旗感谢驻点服务",
        ],
    ),
    (
        PROPOSAL,
        25,
        &[
            "提出“云视讯+政务热线”融合营销方案并被采纳",
            "提出集团成员存量维系新话术，已在班组推广",
            "优化走访记录模板，日行事例填报效率明显提升",
        ],
    ),
    (
        COMPLAINT,
        20,
        &[
            "{c}投诉专线开通超过承诺时限",
            "{c}投诉账单资费与合同约定不符",
            "{c}反映客户经理多次未按约走访",
        ],
    ),
    (
        SERVICE_ERROR,
        20,
        &[
            "为{c}办理业务时资费录入错误",
            "{c}合同归档资料缺失",
            "{c}工单超时未闭环",
        ],
    ),
];

const VIOLATIONS: &[&str] = &[
    "为{c}违规办理成员号码批量开户，经稽核查实",
    "未经客户授权变更{c}集团成员套餐",
];

struct Event {
    day: Day,
    person: usize,
    kind: &'static str,
    count: i64,
    text: String,
}

/// Write the events; returns the number of rows and the violators (indices
/// into the branch's people, in id order).
pub fn write(dir: &Path, branch: &Branch, seed: u64, rows: u32) -> Result<(usize, Vec<usize>)> {
    let mut rng = Rng::derive(seed, "events");

    // Each account manager's customers are contiguous in the branch.
    let mut own = vec![(0usize, 0usize); branch.people.len()];
    for (i, c) in branch.customers.iter().enumerate() {
        let slot = &mut own[c.account_manager];
        if slot.1 == 0 {
            slot.0 = i;
        }
        slot.1 = i + 1;
    }
    let customer_of = |rng: &mut Rng, person: usize| -> String {
        let (start, end) = own[person];
        let i = if end > start {
            start + rng.index(end - start)
        } else {
            rng.index(branch.customers.len())
        };
        branch.customers[i].name.clone()
    };

    let mut events = Vec::new();
    for (i, person) in branch.people.iter().enumerate() {
        if person.role == Role::TeamLeader {
            continue;
        }
        for _ in 0..rng.range(0, 4) {
            let mut roll = rng.below(100);
            let mut kind = &KINDS[0];
            for k in KINDS {
                if roll < k.1 {
                    kind = k;
                    break;
                }
                roll -= k.1;
            }
            let count = match rng.below(100) {
                0..=69 => 1,
                70..=91 => 2,
                _ => 3,
            };
            let text = rng.pick(kind.2).replace("{c}", &customer_of(&mut rng, i));
            events.push(Event {
                day: Day(rng.range(branch.quarter.start().0, branch.quarter.end().0)),
                person: i,
                kind: kind.0,
                count,
                text,
            });
        }
    }

    let ams: Vec<usize> = branch
        .with_role(Role::AccountManager)
        .map(|(i, _)| i)
        .collect();
    let mut violators = distinct(&mut rng, &ams, ams.len().div_ceil(100));
    violators.sort_unstable();
    for &i in &violators {
        let text = rng
            .pick(VIOLATIONS)
            .replace("{c}", &customer_of(&mut rng, i));
        events.push(Event {
            day: Day(rng.range(branch.quarter.start().0, branch.quarter.end().0)),
            person: i,
            kind: VIOLATION,
            count: 1,
            text,
        });
    }
    // Stable: one person's events on one day keep the order they were drawn.
    events.sort_by_key(|e| (e.day, e.person));

    let formats = Formats::new();
    let mut workbook = new_workbook()?;
    let widths = [10.0, 10.0, 12.0, 14.0, 6.0, 48.0];
    let header: Vec<(&str, f64)> = HEADERS.iter().copied().zip(widths).collect();
    let layout = Layout::new(SHEET, header).freeze(1, 0);
    let mut table = Table::start(&mut workbook, layout, &formats, rows)?;
    for e in &events {
        let (sheet, row) = table.row()?;
        let person = &branch.people[e.person];
        sheet.write_string(row, 0, &person.id)?;
        sheet.write_string(row, 1, &person.name)?;
        sheet.write_date_with_format(row, 2, &e.day.excel()?, &formats.date)?;
        sheet.write_string(row, 3, e.kind)?;
        sheet.write_number(row, 4, e.count as f64)?;
        sheet.write_string(row, 5, &e.text)?;
    }
    save(&mut workbook, dir, FILE)?;
    Ok((events.len(), violators))
}
