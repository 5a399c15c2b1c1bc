//! Managers' comments (上级评语), read from the workbook `[feedback]
//! comments` names: one row per employee with 工号, 主要优点, 待改进 and
//! 下期计划, and any further column headed by a KPI's name or id holding the
//! manager's remark on that KPI. A blank cell is simply no comment.

use crate::config::feedback::CommentsInput;
use crate::config::{Config, Role};
use crate::error::{Origin, Problem};
use crate::ingest::value::{unsaved_formula_problem, unsaved_formula_text};
use crate::ingest::workbook::Workbook;
use crate::ingest::{Dataset, InputFile};
use calamine::Data;
use std::collections::HashMap;

/// One employee's comments.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Comment {
    pub strengths: String,
    pub improve: String,
    pub plan: String,
    /// KPI index (in the employee's role) → remark, by KPI index. A list,
    /// not a map: a map's node took ~370 bytes for a person's one or two
    /// remarks.
    pub kpis: Vec<(usize, String)>,
}

enum Col {
    Id,
    Name,
    Strengths,
    Improve,
    Plan,
    /// A KPI column, by its header.
    Kpi(String),
}

fn column(header: &str) -> Option<Col> {
    Some(match header {
        "工号" | "Id" | "Employee id" => Col::Id,
        "姓名" | "Name" => Col::Name,
        "主要优点" | "优点" | "Strengths" => Col::Strengths,
        "待改进" | "改进建议" | "To improve" => Col::Improve,
        "下期计划" | "下期工作计划" | "Next period plan" => Col::Plan,
        _ => return None,
    })
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// What a header cell heads: a comment field, a KPI (by name or id), or
/// nothing (a blank cell); a problem for anything else.
fn header_column(
    config: &Config,
    c: &Data,
    at: &Origin,
    problems: &mut Vec<Problem>,
) -> Option<Col> {
    let h = text(c);
    if let Some(f) = unsaved_formula_text(c) {
        problems.push(unsaved_formula_problem(at, f, "the header"));
        None
    } else if h.is_empty() {
        None
    } else if let Some(col) = column(&h) {
        Some(col)
    } else if config
        .scheme
        .roles
        .values()
        .any(|role| role.kpis.iter().any(|k| k.id == h || k.name == h))
    {
        Some(Col::Kpi(h))
    } else {
        problems.push(
            Problem::at_cell(
                at,
                crate::t!(
                    "列 `{h}` 既不是评语栏，也不是指标",
                    "column `{h}` is neither a comment field nor a KPI"
                ),
            )
            .help(crate::lang::Text::new(
                "列标题请写 主要优点、待改进、下期计划，或方案里某个指标的名称或编号",
                "head it 主要优点, 待改进, 下期计划, or a KPI's name or id from the scheme",
            )),
        );
        None
    }
}

/// The remarks of a row's KPI columns on the person's own KPIs, in KPI
/// order; a later column on the same KPI replaces the remark.
fn add_kpi_remarks(role: &Role, cols: &[Option<Col>], cells: &[Data], c: &mut Comment) {
    for (i, cell) in cells.iter().enumerate() {
        if let Some(Some(Col::Kpi(h))) = cols.get(i) {
            let t = text(cell);
            if let Some(k) = role.kpis.iter().position(|k| k.id == *h || k.name == *h)
                && !t.is_empty()
            {
                // A later column on the same KPI replaces the remark.
                match c.kpis.binary_search_by_key(&k, |(j, _)| *j) {
                    Ok(at) => c.kpis[at].1 = t,
                    Err(at) => c.kpis.insert(at, (k, t)),
                }
            }
        }
    }
}

fn no_id_column(at: &Origin) -> Problem {
    Problem::at_cell(
        at,
        crate::lang::Text::new(
            "评语表的表头行没有 工号 列",
            "the comments sheet has no 工号 column in its header row",
        ),
    )
    .help(crate::lang::Text::new(
        "加一列，标题写 工号；或在 `[feedback] comments` 中设置 `header_row`",
        "add a column headed 工号, or set `header_row` in `[feedback] comments`",
    ))
}

fn unknown_employee(at: &Origin, id: &str) -> Problem {
    Problem::at_cell(
        at,
        crate::t!(
            "员工 `{id}` 不在花名册中",
            "employee `{id}` is not in the roster"
        ),
    )
    .help(crate::lang::Text::new(
        "改正 工号，或删除这一行",
        "correct the 工号, or delete the row",
    ))
}

pub fn load(
    config: &Config,
    data: &Dataset,
    input: &CommentsInput,
    files: &mut Vec<InputFile>,
    problems: &mut Vec<Problem>,
) -> HashMap<usize, Comment> {
    let path = config.input_dir.join(&input.file);
    let mut out = HashMap::new();
    let mut wb = match Workbook::open_with(&path, &config.scheme.limits) {
        Ok(wb) => wb,
        Err(p) => {
            problems.push(p.help(crate::lang::Text::new(
                "请提供班组长的评语工作簿，或从 `[feedback]` 中删去 `comments`",
                "write the managers' comments workbook, or remove `comments` from `[feedback]`",
            )));
            return out;
        }
    };
    let header_row = input.header_row.saturating_sub(1);
    let grid = wb.grid_continued(&input.sheet, header_row);
    files.push(InputFile {
        path: path.display().to_string(),
        sha256: wb.sha256.clone(),
        bytes: wb.bytes,
        sheets: grid
            .as_ref()
            .map_or_else(|_| vec![input.sheet.clone()], |g| g.sheets()),
    });
    let grid = match grid {
        Ok(g) => g,
        Err(p) => {
            problems.push(p);
            return out;
        }
    };
    let origin = |row: u32, col: u32| grid.origin(row, col);
    let col0 = grid.col0();
    let mut cols: Vec<Option<Col>> = Vec::new();
    let mut seen = HashMap::new();
    for (r, cells) in grid.rows() {
        if r < header_row {
            continue;
        }
        if r == header_row {
            for (i, c) in cells.iter().enumerate() {
                let col = header_column(config, c, &origin(r, col0 + i as u32), problems);
                cols.push(col);
            }
            if !cols.iter().any(|c| matches!(c, Some(Col::Id))) {
                problems.push(no_id_column(&origin(r, col0)));
                return out;
            }
            continue;
        }
        let mut emp = None;
        let mut c = Comment::default();
        for (i, cell) in cells.iter().enumerate() {
            let Some(Some(col)) = cols.get(i) else {
                continue;
            };
            // Never read as blank (issue 15).
            if let Some(f) = unsaved_formula_text(cell) {
                problems.push(unsaved_formula_problem(
                    &origin(r, col0 + i as u32),
                    f,
                    "the cell",
                ));
                continue;
            }
            let t = text(cell);
            match col {
                Col::Id => emp = Some((t, origin(r, col0 + i as u32))),
                Col::Name => {}
                Col::Strengths => c.strengths = t,
                Col::Improve => c.improve = t,
                Col::Plan => c.plan = t,
                Col::Kpi(_) => {}
            }
        }
        let Some((id, at)) = emp else { continue };
        if id.is_empty() {
            continue;
        }
        let Some(&e) = data.index.get(&id) else {
            problems.push(unknown_employee(&at, &id));
            continue;
        };
        if let Some(first) = seen.insert(e, at.clone()) {
            problems.push(
                Problem::at_cell(
                    &at,
                    crate::t!("`{id}` 有第二行评语", "a second row of comments for `{id}`"),
                )
                .help(crate::t!(
                    "只保留一行；第一行在 {0}",
                    "keep one row; the first is at {0}",
                    first.cell()
                )),
            );
            continue;
        }
        let role = &config.scheme.roles[&data.employees[e].role];
        add_kpi_remarks(role, &cols, cells, &mut c);
        if c != Comment::default() {
            c.kpis.shrink_to_fit();
            out.insert(e, c);
        }
    }
    out
}
