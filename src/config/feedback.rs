//! `[feedback]`: the optional inputs of the two-way feedback loop: the
//! workbook in which managers write their comments (上级评语), and the
//! appeals sheet HR has decided (申诉), which the run applies as overrides.

use schemars::JsonSchema;
use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Feedback {
    /// Managers' comments: one row per employee (工号, 主要优点, 待改进,
    /// 下期计划, and one column per KPI named by its name or id).
    #[serde(default)]
    pub comments: Option<CommentsInput>,
    /// A `feedback-summary.xlsx` from `appraise collect` whose `申诉` sheet HR
    /// has filled in; accepted appeals change this run's results. Relative to
    /// the input directory.
    #[serde(default)]
    pub appeals: Option<String>,
    /// The last day an appeal is taken (申诉截止日期), e.g. `2024-10-18`.
    /// Every feedback workbook states it; `appraise collect` marks an appeal
    /// dated later as late (逾期) and proposes 驳回, which HR may change.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub appeal_by: Option<toml::value::Datetime>,
    /// How an employee returns the filled-in workbook, as the answer sheet
    /// says it, e.g. "发送至人力资源部 王敏（hr@example.com）". Default:
    /// hand it back to the team leader or HR.
    #[serde(default)]
    pub return_to: Option<String>,
}

impl Feedback {
    /// The appeal deadline as a date, when set and valid.
    pub fn appeal_deadline(&self) -> Option<chrono::NaiveDate> {
        let d = self.appeal_by?.date?;
        chrono::NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
    }
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentsInput {
    /// Relative to the input directory.
    pub file: String,
    pub sheet: String,
    #[serde(default = "one")]
    pub header_row: u32,
}

fn one() -> u32 {
    1
}
