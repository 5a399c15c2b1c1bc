//! HR's decisions on appeals (申诉), read from the `申诉` sheet of a
//! `feedback-summary.xlsx` that `appraise collect` wrote and HR filled in.
//! An accepted appeal with a new value replaces the actual of the KPI's
//! metric; one with points adds an adjustment (section `申诉调整`). Every
//! decision, accepted or not, is kept so the re-run's workbooks show it.

use super::labels;
use crate::config::{AdjustmentItem, AdjustmentSection, Config, Dec, Kpi, Role};
use crate::error::{Origin, Problem};
use crate::ingest::value::{
    magnitude_help, min_magnitude_help, unsaved_formula_problem, unsaved_formula_text,
    within_magnitude,
};
use crate::ingest::workbook::{Grid, Workbook};
use crate::ingest::{Cell, Dataset, InputFile, Src};
use crate::lang::Text;
use calamine::Data;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// The columns of the appeals sheet, (zh, en), in order. HR fills the last four.
pub const COLUMNS: [(&str, &str); 14] = [
    ("工号", "Id"),
    ("姓名", "Name"),
    ("班组", "Team"),
    ("指标编号", "KPI id"),
    ("指标", "KPI"),
    ("当前实际值", "Current actual"),
    ("当前加权得分", "Current weighted score"),
    ("员工申诉理由", "Employee's reason"),
    ("申诉日期", "Appealed on"),
    ("是否逾期", "Late"),
    ("决定", "Decision"),
    ("新实际值", "New actual"),
    ("调整分数", "Adjustment points"),
    ("决定理由", "Decision reason"),
];
const ID: usize = 0;
const KPI: usize = 3;
const REASON: usize = 7;
pub const APPEALED_ON: usize = 8;
pub const LATE: usize = 9;
pub const DECISION: usize = 10;
const NEW_VALUE: usize = 11;
const POINTS: usize = 12;
const WHY: usize = 13;
/// Sheet names the appeals are read from.
pub const SHEETS: [&str; 2] = ["申诉", "Appeals"];
/// The metric that carries accepted appeal points into the scoring.
pub const POINTS_METRIC: &str = "__appeal_points";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Accepted,
    Rejected,
    /// HR has not decided yet.
    Pending,
}

/// One decided (or pending) appeal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appeal {
    pub emp: usize,
    /// KPI index in the employee's role; None for an appeal of the whole result.
    pub kpi: Option<usize>,
    pub decision: Decision,
    pub new_value: Option<Decimal>,
    /// The actual before the new value replaced it.
    pub old_value: Option<Decimal>,
    pub points: Option<Decimal>,
    pub reason: String,
    pub employee_reason: String,
    pub origin: Origin,
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.trim().to_string(),
        Data::Empty => String::new(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        other => other.to_string(),
    }
}

fn number(d: &Data, at: &Origin, what: &Text, problems: &mut Vec<Problem>) -> Option<Decimal> {
    let (what_zh, what_en) = (&what.zh, &what.en);
    let n = number_unbounded(d, at, what, problems)?;
    // As any number read (issue 15).
    if within_magnitude(n).is_none() {
        problems.push(
            Problem::at_cell(
                at,
                crate::t!(
                    "{what_zh}是 {n}，超出可读的最大绝对值 1e15",
                    "{what_en} is {n}, beyond the largest magnitude read, 1e15"
                ),
            )
            .help(magnitude_help()),
        );
        return None;
    }
    Some(n)
}

fn number_unbounded(
    d: &Data,
    at: &Origin,
    what: &Text,
    problems: &mut Vec<Problem>,
) -> Option<Decimal> {
    let (what_zh, what_en) = (&what.zh, &what.en);
    let enter = || {
        Text::new(
            "请填数字，或清空该单元格",
            "enter a number, or clear the cell",
        )
    };
    match d {
        Data::Empty => None,
        Data::String(s) if s.trim().is_empty() => None,
        Data::Float(f) => match crate::ingest::value::decimal_from_f64(*f) {
            // Too small for 28 decimal places: it would read as 0.
            Some(d) if d.is_zero() && *f != 0.0 => {
                problems.push(
                    Problem::at_cell(
                        at,
                        crate::t!(
                            "{what_zh}是 {f:e}，不是 0，但小于可读的最小绝对值 1e-28",
                            "{what_en} is {f:e}, which is not 0 but below the smallest magnitude read, 1e-28"
                        ),
                    )
                    .help(min_magnitude_help()),
                );
                None
            }
            d => d,
        },
        Data::Int(i) => Some(Decimal::from(*i)),
        Data::String(s) => match crate::config::dec::parse_decimal(s) {
            Some(v) => Some(v),
            None => {
                problems.push(
                    Problem::at_cell(
                        at,
                        crate::t!(
                            "{what_zh}应为数字，却是 \"{s}\"",
                            "expected a number for {what_en}, found \"{s}\""
                        ),
                    )
                    .help(enter()),
                );
                None
            }
        },
        other => {
            problems.push(
                Problem::at_cell(
                    at,
                    crate::t!(
                        "{what_zh}应为数字，却是 {other}",
                        "expected a number for {what_en}, found {other}"
                    ),
                )
                .help(enter()),
            );
            None
        }
    }
}

/// Read HR's decisions from the appeals sheet of `file` (under the input
/// directory); every problem found is pushed, and the rows in error left out.
pub fn load(
    config: &Config,
    data: &Dataset,
    file: &str,
    files: &mut Vec<InputFile>,
    problems: &mut Vec<Problem>,
) -> Vec<Appeal> {
    let Some(grid) = open_sheet(config, file, files, problems) else {
        return Vec::new();
    };
    let mut rows = grid.rows();
    let Some((hr, header)) = rows.next() else {
        return Vec::new();
    };
    let Some(sheet) = AppealsSheet::locate(&grid, hr, header, problems) else {
        return Vec::new();
    };
    rows.filter_map(|(r, cells)| sheet.appeal(config, data, r, cells, problems))
        .collect()
}

/// Open the workbook HR decided and read its appeals sheet, recording the
/// file in `files` (to join the run's inputs).
fn open_sheet(
    config: &Config,
    file: &str,
    files: &mut Vec<InputFile>,
    problems: &mut Vec<Problem>,
) -> Option<Grid> {
    let path = config.input_dir.join(file);
    let mut wb = match Workbook::open_with(&path, &config.scheme.limits) {
        Ok(wb) => wb,
        Err(p) => {
            problems.push(p.help(Text::new(
                "给出 HR 已填好决定的 feedback-summary.xlsx（路径相对于输入目录），或从 `[feedback]` 中删去 `appeals`",
                "give the feedback-summary.xlsx HR decided, relative to the input directory, or remove `appeals` from `[feedback]`",
            )));
            return None;
        }
    };
    let names = wb.sheet_names();
    let Some(sheet) = SHEETS.iter().find(|s| names.iter().any(|n| n == *s)) else {
        problems.push(
            Problem::at_file(
                &path,
                Text::new("没有 `申诉` 工作表", "there is no sheet `申诉` (appeals)"),
            )
            .help(crate::t!(
                "请给出 `appraise collect` 写出的 feedback-summary.xlsx；这个文件的工作表有：{0}",
                "give the feedback-summary.xlsx written by `appraise collect`; its sheets are: {0}",
                names.join(", ")
            )),
        );
        return None;
    };
    files.push(InputFile {
        path: path.display().to_string(),
        sha256: wb.sha256.clone(),
        bytes: wb.bytes,
        sheets: vec![sheet.to_string()],
    });
    match wb.grid(sheet) {
        Ok(g) => Some(g),
        Err(p) => {
            problems.push(p);
            None
        }
    }
}

/// The appeals sheet read: its grid and where each of [`COLUMNS`] is in it.
struct AppealsSheet<'a> {
    grid: &'a Grid,
    /// For each of [`COLUMNS`], its index in a row (None when the sheet lacks it).
    at: [Option<usize>; COLUMNS.len()],
}

impl<'a> AppealsSheet<'a> {
    /// Find the columns in the header row `hr`; None (with a problem for each
    /// column missing) when a column HR's decisions need is not there.
    fn locate(
        grid: &'a Grid,
        hr: u32,
        header: &[Data],
        problems: &mut Vec<Problem>,
    ) -> Option<Self> {
        let mut at: [Option<usize>; COLUMNS.len()] = [None; COLUMNS.len()];
        for (i, c) in header.iter().enumerate() {
            let h = text(c);
            if let Some(j) = COLUMNS.iter().position(|(zh, en)| h == *zh || h == *en) {
                at[j] = Some(i);
            }
        }
        let sheet = AppealsSheet { grid, at };
        let mut missing = false;
        for need in [ID, KPI, DECISION, NEW_VALUE, POINTS, WHY] {
            if at[need].is_none() {
                missing = true;
                problems.push(
                    Problem::at_cell(
                        &sheet.origin(hr, grid.col0()),
                        crate::t!(
                            "申诉表没有 `{0}` 列",
                            "the appeals sheet has no `{0}` column",
                            COLUMNS[need].0
                        ),
                    )
                    .help(Text::new(
                        "请使用 `appraise collect` 写出的原样申诉表；只填 决定、新实际值、调整分数 和 决定理由",
                        "use the 申诉 sheet as `appraise collect` wrote it; fill in only 决定, 新实际值, 调整分数 and 决定理由",
                    )),
                );
            }
        }
        (!missing).then_some(sheet)
    }

    fn origin(&self, row: u32, col: u32) -> Origin {
        Origin {
            file: self.grid.file.clone(),
            sheet: self.grid.sheet.clone(),
            row,
            col,
        }
    }

    /// The value of column `j` in a row (empty when the sheet lacks it).
    fn cell(&self, cells: &[Data], j: usize) -> Data {
        self.at[j]
            .and_then(|i| cells.get(i))
            .cloned()
            .unwrap_or(Data::Empty)
    }

    /// The place of column `j` in row `r`.
    fn here(&self, r: u32, j: usize) -> Origin {
        self.origin(r, self.grid.col0() + self.at[j].unwrap_or(0) as u32)
    }

    /// The appeal of row `r`; None for a blank row or one in error (its
    /// problems pushed).
    fn appeal(
        &self,
        config: &Config,
        data: &Dataset,
        r: u32,
        cells: &[Data],
        problems: &mut Vec<Problem>,
    ) -> Option<Appeal> {
        // A formula with no stored result is never read as blank (issue 15).
        let unsaved: Vec<Problem> = (0..COLUMNS.len())
            .filter_map(|j| {
                let d = self.cell(cells, j);
                unsaved_formula_text(&d).map(|f| {
                    unsaved_formula_problem(&self.here(r, j), f, &format!("`{}`", COLUMNS[j].0))
                })
            })
            .collect();
        if !unsaved.is_empty() {
            problems.extend(unsaved);
            return None;
        }
        let id = text(&self.cell(cells, ID));
        if id.is_empty() {
            return None;
        }
        let Some(&emp) = data.index.get(&id) else {
            problems.push(
                Problem::at_cell(
                    &self.here(r, ID),
                    crate::t!(
                        "员工 `{id}` 不在花名册中",
                        "employee `{id}` is not in the roster"
                    ),
                )
                .help(Text::new(
                    "这份申诉表属于另一份花名册；请用本次运行的结果重新收集",
                    "the appeals sheet belongs to another roster; collect again from this run",
                )),
            );
            return None;
        };
        let role = &config.scheme.roles[&data.employees[emp].role];
        let kpi = self.kpi(role, r, cells, problems)?;
        let decision = self.decision(r, cells, problems)?;
        let new_value = number(
            &self.cell(cells, NEW_VALUE),
            &self.here(r, NEW_VALUE),
            &Text::new("新实际值", "the new actual"),
            problems,
        );
        let points = number(
            &self.cell(cells, POINTS),
            &self.here(r, POINTS),
            &Text::new("调整分数", "the adjustment points"),
            problems,
        );
        if decision == Decision::Accepted && new_value.is_some() {
            let at = self.here(r, NEW_VALUE);
            if let Some(p) = replaceable(kpi.map(|k| &role.kpis[k]), &at) {
                problems.push(p);
                return None;
            }
        }
        let reason = text(&self.cell(cells, WHY));
        if decision != Decision::Pending && reason.is_empty() {
            problems.push(
                Problem::at_cell(
                    &self.here(r, WHY),
                    Text::new("已作决定的申诉需要填写理由", "a decided appeal needs a reason"),
                )
                .help(Text::new(
                    "写明采纳或驳回的原因；员工下一份工作簿会显示它",
                    "write why the appeal was accepted or rejected; the employee's next workbook shows it",
                )),
            );
            return None;
        }
        Some(Appeal {
            emp,
            kpi,
            decision,
            new_value,
            old_value: None,
            points,
            reason,
            employee_reason: text(&self.cell(cells, REASON)),
            origin: self.here(r, DECISION),
        })
    }

    /// The KPI appealed in row `r`: Some(None) for the whole result, None
    /// (with a problem) for a KPI the role does not have.
    fn kpi(
        &self,
        role: &Role,
        r: u32,
        cells: &[Data],
        problems: &mut Vec<Problem>,
    ) -> Option<Option<usize>> {
        let kid = text(&self.cell(cells, KPI));
        if kid.is_empty() {
            return Some(None);
        }
        if let Some(k) = role.kpis.iter().position(|k| k.id == kid) {
            return Some(Some(k));
        }
        problems.push(
            Problem::at_cell(
                &self.here(r, KPI),
                crate::t!(
                    "岗位 `{0}` 没有指标 `{kid}`",
                    "role `{0}` has no KPI `{kid}`",
                    role.name
                ),
            )
            .help(crate::t!(
                "该岗位的指标有：{0}",
                "the KPIs are: {0}",
                role.kpis
                    .iter()
                    .map(|k| k.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        );
        None
    }

    /// HR's decision in row `r`; None (with a problem) for a word that is
    /// neither 采纳 nor 驳回.
    fn decision(&self, r: u32, cells: &[Data], problems: &mut Vec<Problem>) -> Option<Decision> {
        let dtext = text(&self.cell(cells, DECISION));
        match labels::which(&dtext, labels::decision) {
            Some(true) => Some(Decision::Accepted),
            Some(false) => Some(Decision::Rejected),
            None if dtext.is_empty() => Some(Decision::Pending),
            None => {
                problems.push(
                    Problem::at_cell(
                        &self.here(r, DECISION),
                        crate::t!(
                            "决定 \"{dtext}\" 既不是 采纳 也不是 驳回",
                            "the decision \"{dtext}\" is neither 采纳 nor 驳回"
                        ),
                    )
                    .help(Text::new(
                        "从下拉框选 采纳 或 驳回；还没决定就留空",
                        "choose 采纳 (accept) or 驳回 (reject) from the dropdown, or leave it blank while pending",
                    )),
                );
                None
            }
        }
    }
}

/// Why an accepted new actual (at `at`) cannot replace the actual of `kpi`:
/// there is no KPI, or it is computed by a formula. None when it can.
fn replaceable(kpi: Option<&Kpi>, at: &Origin) -> Option<Problem> {
    match kpi {
        None => Some(
            Problem::at_cell(
                at,
                Text::new("填写新实际值必须指明指标", "a new actual needs a KPI"),
            )
            .help(Text::new(
                "填写 指标编号，或改填 调整分数",
                "fill in 指标编号, or give adjustment points instead",
            )),
        ),
        Some(k) if k.metric.is_none() => Some(
            Problem::at_cell(
                at,
                crate::t!(
                    "指标 `{0}` 由公式算出，没有可替换的实际值",
                    "KPI `{0}` is computed by a formula and has no actual to replace",
                    k.id
                ),
            )
            .help(Text::new(
                "改填 调整分数，或为公式引用的指标填写新值",
                "give adjustment points instead, or a new value for a KPI the formula reads",
            )),
        ),
        Some(_) => None,
    }
}

/// Apply accepted appeals: new actuals into the data, points as an adjustment.
pub fn apply(config: &mut Config, data: &mut Dataset, appeals: &[Appeal]) {
    let n = data.employees.len();
    let mut points: HashMap<usize, (Decimal, Vec<String>)> = HashMap::new();
    for a in appeals.iter().filter(|a| a.decision == Decision::Accepted) {
        let role_id = data.employees[a.emp].role.clone();
        if let (Some(v), Some(k)) = (a.new_value, a.kpi)
            && let Some(metric) = config.scheme.roles[&role_id].kpis[k].metric.clone()
        {
            let col = data.column_mut(&metric);
            let old = col[a.emp].as_ref().map(|c| c.value);
            col[a.emp] = Some(Cell {
                value: v,
                src: Src::Derived(
                    format!(
                        "申诉改判：原值 {} 改为 {}（{}）",
                        old.map_or("—".into(), |o| o.normalize().to_string()),
                        v.normalize(),
                        a.reason
                    )
                    .into(),
                ),
            });
        }
        if let Some(p) = a.points {
            let slot = points.entry(a.emp).or_default();
            slot.0 += p;
            slot.1.push(a.reason.clone());
        }
    }
    if points.is_empty() {
        return;
    }
    let mut col = vec![None; n];
    let mut roles = std::collections::BTreeSet::new();
    for (emp, (p, why)) in points {
        roles.insert(data.employees[emp].role.clone());
        col[emp] = Some(Cell {
            value: p,
            src: Src::Derived(format!("申诉改判：{}", why.join("；")).into()),
        });
    }
    data.metrics.insert(POINTS_METRIC.to_string(), col);
    add_appeal_sections(config, roles);
}

/// The scheme's part of [`apply`] on a second scheme scored on the same
/// data (`appraise whatif`): the roles of the people given appeal points
/// gain the appeal adjustment section.
pub fn apply_to_scheme(config: &mut Config, data: &Dataset, appeals: &[Appeal]) {
    let roles = appeals
        .iter()
        .filter(|a| a.decision == Decision::Accepted && a.points.is_some())
        .map(|a| data.employees[a.emp].role.clone())
        .collect();
    add_appeal_sections(config, roles);
}

/// Each of `roles` gains the adjustment section of appeal points.
fn add_appeal_sections(config: &mut Config, roles: std::collections::BTreeSet<String>) {
    for r in roles {
        if let Some(role) = config.scheme.roles.get_mut(&r) {
            role.adjustments.push(AdjustmentSection {
                id: "appeal".into(),
                name: "申诉调整".into(),
                cap: None,
                items: vec![AdjustmentItem {
                    name: "申诉改判加减分".into(),
                    metric: POINTS_METRIC.into(),
                    points: Dec(Decimal::ONE),
                    cap: None,
                }],
            });
        }
    }
}

/// Record the actual each accepted new value replaced (for the workbooks).
pub fn remember_old(appeals: &mut [Appeal], before: &Dataset, config: &Config) {
    for a in appeals.iter_mut() {
        if let Some(k) = a.kpi {
            let role = &config.scheme.roles[&before.employees[a.emp].role];
            if let Some(m) = &role.kpis[k].metric {
                a.old_value = before.value(m, a.emp);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn at() -> Origin {
        Origin {
            file: Arc::from("feedback-summary.xlsx"),
            sheet: Arc::from("申诉"),
            row: 1,
            col: 11,
        }
    }

    // issue 15: a value HR typed into 新实际值 is bounded as any number read:
    // 8e26 is refused, and so is 1e-30, which read as 0 without a word.
    #[test]
    fn an_appealed_value_near_the_decimal_limits_is_refused_at_its_cell() {
        for (f, says) in [
            (8e26, "beyond the largest magnitude read, 1e15"),
            (1e-30, "below the smallest magnitude read, 1e-28"),
        ] {
            let mut problems = Vec::new();
            let n = number(
                &Data::Float(f),
                &at(),
                &Text::same("the new actual"),
                &mut problems,
            );
            assert_eq!(n, None, "{f}");
            assert_eq!(problems.len(), 1, "{f}");
            assert!(problems[0].message.contains(says), "{:?}", problems[0]);
        }
        let mut problems = Vec::new();
        let n = number(
            &Data::Float(0.0),
            &at(),
            &Text::same("the new actual"),
            &mut problems,
        );
        assert_eq!(n, Some(Decimal::ZERO));
        assert!(problems.is_empty());
    }
}
