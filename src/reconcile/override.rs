//! HR's decisions on conflicts: a workbook with one row per decided
//! project × field (项目编号, 字段, 值, 原因, 决定人, 日期). An override beats
//! every policy; its value is read in the field's type, and every bad row
//! is a problem naming its cell.

use crate::config::ColumnType;
use crate::config::reconcile::{OverridesInput, Reconcile};
use crate::error::{Location, Origin, Problem};
use crate::ingest::value::{self, Value, key_text, normalise_header};
use crate::ingest::workbook::Grid;
use calamine::Data;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// The headers of the overrides sheet.
pub const HEADERS: [&str; 6] = ["项目编号", "字段", "值", "原因", "决定人", "日期"];

/// One decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    pub project: String,
    pub field: String,
    pub value: Value,
    pub reason: String,
    pub by: String,
    pub date: Option<NaiveDate>,
    pub origin: Origin,
}

/// The column of each of [`HEADERS`] in the overrides sheet's header row,
/// or `None` (and a problem) when one is missing.
fn header_columns(
    input: &OverridesInput,
    grid: &Grid,
    problems: &mut Vec<Problem>,
) -> Option<[u32; 6]> {
    let header_abs = input.header_row.saturating_sub(1);
    let col0 = grid.col0();
    let header: Vec<(u32, String)> = grid
        .rows()
        .find(|(row, _)| *row == header_abs)
        .map(|(_, row)| {
            row.iter()
                .enumerate()
                .filter_map(|(i, d)| key_text(d).map(|t| (col0 + i as u32, normalise_header(&t))))
                .collect()
        })
        .unwrap_or_default();
    let mut cols = [0u32; 6];
    for (i, h) in HEADERS.iter().enumerate() {
        match header.iter().find(|(_, t)| t == h) {
            Some((c, _)) => cols[i] = *c,
            None => {
                problems.push(
                    Problem::new(
                        Location::Sheet {
                            file: grid.file.clone(),
                            sheet: grid.sheet.clone(),
                            what: crate::error::header_row_text(input.header_row),
                        },
                        crate::t!("没有 `{h}` 列", "no column `{h}`"),
                    )
                    .help(crate::t!(
                        "裁定表应有这些列：{0}",
                        "the overrides sheet has the columns {0}",
                        HEADERS.join(", ")
                    )),
                );
                return None;
            }
        }
    }
    Some(cols)
}

/// Read the decisions; `projects` are the ids any source reports.
pub fn read(
    input: &OverridesInput,
    grid: &Grid,
    r: &Reconcile,
    projects: &dyn Fn(&str) -> bool,
    problems: &mut Vec<Problem>,
) -> BTreeMap<(String, String), Override> {
    let mut out = BTreeMap::new();
    let header_abs = input.header_row.saturating_sub(1);
    let col0 = grid.col0();
    let Some(cols) = header_columns(input, grid, problems) else {
        return out;
    };
    let origin = |row: u32, col: u32| grid.origin(row, col);
    // Fields by id or by label.
    let field_of = |s: &str| -> Option<String> {
        r.fields
            .iter()
            .find(|(id, f)| id.as_str() == s || f.name.as_deref() == Some(s))
            .map(|(id, _)| id.clone())
    };
    for (row, cells) in grid.rows().filter(|(row, _)| *row > header_abs) {
        let get = |i: usize| {
            cells
                .get((cols[i] - col0) as usize)
                .cloned()
                .unwrap_or(Data::Empty)
        };
        let text = |i: usize| key_text(&get(i)).unwrap_or_default();
        // A formula with no stored result is never read as blank (issue 15).
        let unsaved: Vec<Problem> = (0..cols.len())
            .filter_map(|i| {
                value::unsaved_formula_text(&get(i))
                    .map(|f| value::unsaved_formula_problem(&origin(row, cols[i]), f, "the cell"))
            })
            .collect();
        if !unsaved.is_empty() {
            problems.extend(unsaved);
            continue;
        }
        let project = text(0);
        if project.is_empty() && (1..6).all(|i| text(i).is_empty()) {
            continue;
        }
        let at = |i: usize| origin(row, cols[i]);
        if !projects(project.as_str()) {
            problems.push(unknown_project(&at(0), &project));
            continue;
        }
        let Some(field) = field_of(&text(1)) else {
            problems.push(unknown_field(&at(1), &text(1), r));
            continue;
        };
        let kind = r.kind(&field).unwrap_or(ColumnType::Text);
        let value = match value::convert(&get(2), kind, &field, &at(2)) {
            Ok(Some(v)) => v,
            Ok(None) => {
                problems.push(no_value(&at(2), &field));
                continue;
            }
            Err(p) => {
                problems.push(p);
                continue;
            }
        };
        if text(3).is_empty() {
            problems.push(no_reason(&at(3)));
            continue;
        }
        let date = value::convert(&get(5), ColumnType::Date, "日期", &at(5))
            .unwrap_or_else(|p| {
                problems.push(p);
                None
            })
            .and_then(|v| match v {
                Value::Date(d) => Some(d),
                _ => None,
            });
        let o = Override {
            project: project.clone(),
            field: field.clone(),
            value,
            reason: text(3),
            by: text(4),
            date,
            origin: at(2),
        };
        if let Some(prev) = out.insert((project.clone(), field.clone()), o) {
            problems.push(
                Problem::at_cell(
                    &at(0),
                    crate::t!(
                        "项目 `{project}` 的字段 `{field}` 裁定了两次（第一次在 {0}）",
                        "project `{project}` field `{field}` is decided twice (first at {0})",
                        prev.origin.cell()
                    ),
                )
                .help(crate::lang::Text::new(
                    "每个项目的每个字段只保留一条裁定",
                    "keep one decision per project and field",
                )),
            );
        }
    }
    out
}

fn unknown_project(at: &Origin, project: &str) -> Problem {
    Problem::at_cell(
        at,
        crate::t!(
            "没有任何数据来源报告项目 `{project}`",
            "no source reports project `{project}`"
        ),
    )
    .help(crate::lang::Text::new(
        "改正项目编号，或删除这一行",
        "correct the project id, or delete the row",
    ))
}

fn unknown_field(at: &Origin, text: &str, r: &Reconcile) -> Problem {
    Problem::at_cell(
        at,
        crate::t!(
            "`{text}` 不是需要对账的字段",
            "`{text}` is no reconciled field"
        ),
    )
    .help(crate::t!(
        "请用其中之一：{0}",
        "use one of: {0}",
        r.fields.keys().cloned().collect::<Vec<_>>().join(", ")
    ))
}

fn no_value(at: &Origin, field: &str) -> Problem {
    Problem::at_cell(
        at,
        crate::t!(
            "`{field}` 的裁定没有填值",
            "the override of `{field}` has no value"
        ),
    )
    .help(crate::lang::Text::new(
        "填写裁定的值",
        "write the decided value",
    ))
}

fn no_reason(at: &Origin) -> Problem {
    Problem::at_cell(
        at,
        crate::lang::Text::new("裁定需要填写 原因", "an override needs a reason (原因)"),
    )
    .help(crate::lang::Text::new(
        "写明 HR 为什么定这个值",
        "write why HR decided this value",
    ))
}
