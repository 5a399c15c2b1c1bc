//! `comments.xlsx`, sheet `上级评语`: the managers' comments for the
//! appraisal interview, one row per employee (a few left for later), with
//! remarks on the KPIs managers most often talk about. Phrases only: no
//! comment names a colleague.

use std::path::Path;

use super::rng::Rng;
use super::table::{Layout, Table};
use super::{Branch, Formats, Role, new_workbook, save};
use crate::Result;

pub const FILE: &str = "comments.xlsx";
pub const SHEET: &str = "上级评语";
/// KPI remark columns, by KPI name in the sample scheme.
const KPI_COLUMNS: [&str; 4] = [
    "集团收入完成率",
    "新业务收入",
    "项目验收及时率",
    "班组收入完成率",
];

const STRENGTHS_AM: [&str; 5] = [
    "重点集团客户维系到位，关键人关系稳固，本季度无重大流失。",
    "走访计划执行扎实，日行事例记录完整，客户问题响应及时。",
    "善于挖掘客户信息化需求，专线与云业务推进有成效。",
    "回款跟踪主动，与项目经理配合顺畅。",
    "服务态度好，客户表扬较多，团队协作积极。",
];
const IMPROVE_AM: [&str; 5] = [
    "新业务收入离挑战值仍有差距，产品组合推荐需加强。",
    "部分中小集团客户走访频次不足，成员流失预警响应偏慢。",
    "预测准确率偏低，月度商机预测需更贴近实际。",
    "回款节点把控不够，个别项目回款滞后。",
    "客户满意度调研覆盖面不够，需补齐重点客户回访。",
];
const PLAN_AM: [&str; 4] = [
    "下季度聚焦重点行业客户的产品深挖，每月新增两个信息化商机。",
    "建立成员流失预警台账，周度跟进高风险客户。",
    "与项目经理共同制定回款计划，按月核对进度。",
    "参加产品知识培训，提升方案讲解能力。",
];
const STRENGTHS_PM: [&str; 3] = [
    "项目交付节奏稳定，里程碑基本按期完成。",
    "成本控制意识强，变更管理规范。",
    "与客户沟通顺畅，验收材料准备充分。",
];
const IMPROVE_PM: [&str; 3] = [
    "个别项目验收延期，需提前识别风险。",
    "项目回款跟进不够主动，应与客户经理共同推进。",
    "交付文档归档不及时。",
];
const PLAN_PM: [&str; 3] = [
    "下季度建立项目周报机制，提前两周预警验收风险。",
    "与客户经理按月对账合同额与回款。",
    "推动标准化交付模板，缩短验收周期。",
];
const STRENGTHS_TL: [&str; 2] = [
    "班组晨夕会组织规范，数据监控到位。",
    "带队攻坚重点项目，班组收入完成情况良好。",
];
const IMPROVE_TL: [&str; 2] = [
    "班组成员之间业绩差距较大，短板辅导需加强。",
    "新员工带教计划执行不够。",
];
const PLAN_TL: [&str; 2] = [
    "下季度按短板比对结果逐人制定辅导计划。",
    "每周复盘班组关键指标，落实日可控。",
];
const KPI_REMARKS: [&str; 4] = [
    "完成情况符合预期，继续保持。",
    "与目标有差距，下季度重点跟进。",
    "完成较好，可总结经验在班组内分享。",
    "受个别客户预算调整影响，需提前布局。",
];

/// Write the comments; returns the number of rows.
pub fn write(dir: &Path, branch: &Branch, seed: u64, rows: u32) -> Result<usize> {
    let mut rng = Rng::derive(seed, "comments");
    let formats = Formats::new();
    let mut workbook = new_workbook()?;
    let mut header: Vec<(&str, f64)> = vec![
        ("工号", 10.0),
        ("姓名", 10.0),
        ("主要优点", 50.0),
        ("待改进", 50.0),
        ("下期计划", 50.0),
    ];
    header.extend(KPI_COLUMNS.iter().map(|k| (*k, 30.0)));
    let layout = Layout::new(SHEET, header).freeze(1, 2);
    let mut table = Table::start(&mut workbook, layout, &formats, rows)?;
    let mut written = 0;
    for person in &branch.people {
        // A few managers have not written their comments yet.
        if rng.chance(6) {
            continue;
        }
        written += 1;
        let (sheet, row) = table.row()?;
        let (s, i, p): (&[&str], &[&str], &[&str]) = match person.role {
            Role::AccountManager => (&STRENGTHS_AM, &IMPROVE_AM, &PLAN_AM),
            Role::ProjectManager => (&STRENGTHS_PM, &IMPROVE_PM, &PLAN_PM),
            Role::TeamLeader => (&STRENGTHS_TL, &IMPROVE_TL, &PLAN_TL),
        };
        sheet.write_string(row, 0, &person.id)?;
        sheet.write_string(row, 1, &person.name)?;
        sheet.write_string(row, 2, *rng.pick(s))?;
        sheet.write_string(row, 3, *rng.pick(i))?;
        sheet.write_string(row, 4, *rng.pick(p))?;
        let kpis: &[usize] = match person.role {
            Role::AccountManager => &[0, 1],
            Role::ProjectManager => &[2],
            Role::TeamLeader => &[3],
        };
        for &k in kpis {
            if rng.chance(60) {
                sheet.write_string(row, 5 + k as u16, *rng.pick(&KPI_REMARKS))?;
            }
        }
    }
    save(&mut workbook, dir, FILE)?;
    Ok(written)
}
