//! Reading one returned workbook: does it belong to this run, is every
//! sealed cell as written (and no blank one filled in), and what did the
//! employee answer. A file that fails any check is rejected with its reason.

use super::super::labels::OVERALL_ROWS;
use super::super::{digest, labels};
use super::{
    Answer, KpiAnswer, LIMITS, Reason, Rejected, RunFacts, number, parse_ref, sealed_text, text,
};
use crate::error::{Location, Problem, cell_name};
use crate::ingest::workbook::Workbook;
use crate::lang::Lang;
use calamine::Data;
use std::collections::{HashMap, HashSet};
use std::path::Path;

pub(super) enum Reading {
    Answer(Answer),
    Rejected(Rejected),
}

pub(super) fn reject(path: &Path, employee: Option<String>, reason: Reason) -> Reading {
    Reading::Rejected(Rejected {
        path: path.to_path_buf(),
        employee,
        reason,
    })
}

/// A problem of the reader as the reason a file was refused: where in the
/// file (a cell names its sheet), what, and what to do. Advice to raise a
/// scheme's `[limits]` does not apply to a returned file.
pub(super) fn refusal(p: &Problem) -> Reason {
    let at = |lang| match &p.location {
        Location::Cell(o) => format!("[{}]!{}: ", o.sheet, o.cell()),
        Location::Sheet { sheet, what, .. } if what.en.is_empty() => format!("[{sheet}]: "),
        Location::Sheet { sheet, what, .. } => format!("[{sheet}] {}: ", what.get(lang)),
        _ => String::new(),
    };
    // Written into the feedback summary, in the run's language.
    let help = match &p.help {
        Some(h) if !h.en.contains("[limits]") => (**h).clone(),
        _ => ask_for_the_original(),
    };
    Reason::Unreadable(crate::lang::Text::new(
        format!("{}{}；{}", at(Lang::Zh), p.message.zh, help.zh),
        format!("{}{}; {}", at(Lang::En), p.message.en, help.en),
    ))
}

/// What HR can do about a returned file that cannot be read.
fn ask_for_the_original() -> crate::lang::Text {
    crate::lang::Text::new(
        "请员工在原始工作簿中填写后重新交回",
        "ask the employee to fill in the original workbook and return it",
    )
}

/// A sheet's non-empty cells by absolute 0-based (row, col), read by the
/// guarded streaming reader.
pub(super) struct Cells(HashMap<(u32, u32), Data>);

impl Cells {
    fn read(wb: &mut Workbook, sheet: &str) -> std::result::Result<Cells, Problem> {
        let grid = wb.grid(sheet)?;
        let c0 = grid.col0();
        let mut map = HashMap::new();
        for (r, row) in grid.rows() {
            for (i, d) in row.iter().enumerate() {
                if !matches!(d, Data::Empty) {
                    map.insert((r, c0 + i as u32), d.clone());
                }
            }
        }
        Ok(Cells(map))
    }

    fn get(&self, row: u32, col: u32) -> Option<&Data> {
        self.0.get(&(row, col))
    }
}

/// Read one returned file, never panicking: a reader that fails on a
/// malformed file rejects it.
pub(super) fn read_one(path: &Path, facts: &RunFacts) -> Reading {
    crate::error::quietly(|| read_checked(path, facts)).unwrap_or_else(|| {
        reject(
            path,
            None,
            Reason::Unreadable({
                let ask = ask_for_the_original();
                crate::lang::Text::new(
                    format!("文件已损坏（读取工作簿时出错）；{}", ask.zh),
                    format!(
                        "the file is malformed (the workbook reader failed on it); {}",
                        ask.en
                    ),
                )
            }),
        )
    })
}

pub(super) fn read_checked(path: &Path, facts: &RunFacts) -> Reading {
    let mut wb = match Workbook::open_with(path, &LIMITS) {
        Ok(wb) => wb,
        Err(p) => return reject(path, None, refusal(&p)),
    };
    let names = wb.sheet_names();
    if !names.iter().any(|n| n == labels::META_SHEET) {
        return reject(path, None, Reason::NotFeedback);
    }
    let meta = match Cells::read(&mut wb, labels::META_SHEET) {
        Ok(c) => c,
        Err(p) => return reject(path, None, refusal(&p)),
    };
    let m = meta_keys(&meta);
    let get = |k: &str| m.get(k).cloned().unwrap_or_default();
    let Some(layout) = labels::layout(&get("format")) else {
        return reject(path, None, Reason::NotFeedback);
    };
    let employee = get("employee");
    let emp = Some(employee.clone());
    if get("run_id") != facts.run_id {
        return reject(path, emp, Reason::OtherRun(get("run_id")));
    }
    if !facts.index.contains_key(&employee) {
        return reject(path, emp, Reason::UnknownEmployee);
    }
    // The sealed sheet is the result sheet the employee sees: the meta
    // sheet is not sealed, so it may not point at a copy kept elsewhere.
    let result_names = [Lang::Zh, Lang::En].map(labels::result_sheet);
    let result_sheet = get("result_sheet");
    if !result_names.contains(&result_sheet.as_str())
        || names
            .iter()
            .filter(|n| result_names.contains(&n.as_str()))
            .count()
            != 1
    {
        return reject(path, emp, Reason::Altered);
    }
    let result = match Cells::read(&mut wb, &result_sheet) {
        Ok(r) => r,
        Err(p) if names.contains(&result_sheet) => return reject(path, emp, refusal(&p)),
        Err(_) => return reject(path, emp, Reason::Altered),
    };
    let mut cells = Vec::new();
    let mut sealed = HashSet::new();
    for r in get("sealed_cells").split(',').filter(|s| !s.is_empty()) {
        let Some((row, col)) = parse_ref(r) else {
            return reject(path, emp, Reason::Altered);
        };
        sealed.insert((row, col));
        cells.push((r.to_string(), sealed_text(result.get(row, col))));
    }
    if digest::seal(&facts.key, &facts.run_id, &employee, &cells) != get("digest") {
        return reject(path, emp, Reason::Altered);
    }
    // A value where the sealed sheet had none is a change too: the first
    // such cell, in reading order.
    if let Some(&(row, col)) = result
        .0
        .iter()
        .filter(|(at, d)| !sealed.contains(*at) && !sealed_text(Some(d)).is_empty())
        .map(|(at, _)| at)
        .min()
    {
        return reject(path, emp, Reason::Written(cell_name(row, col)));
    }
    let answer_names = [Lang::Zh, Lang::En].map(labels::answer_sheet);
    let answer_sheet = get("answer_sheet");
    if !answer_names.contains(&answer_sheet.as_str()) {
        return reject(path, emp, Reason::NotFeedback);
    }
    let answers = match Cells::read(&mut wb, &answer_sheet) {
        Ok(r) => r,
        Err(p) => return reject(path, emp, refusal(&p)),
    };
    let shown = shown_kpis(&result, layout.result_id);
    let (Ok(kpi_row), Ok(overall_row)) = (
        get("kpi_row").parse::<u32>(),
        get("overall_row").parse::<u32>(),
    ) else {
        return reject(path, emp, Reason::NotFeedback);
    };
    let kpis: Vec<String> = get("kpis")
        .split(',')
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    if kpi_row.checked_add(kpis.len() as u32).is_none()
        || overall_row.checked_add(OVERALL_ROWS as u32).is_none()
    {
        return reject(path, emp, Reason::NotFeedback);
    }
    Reading::Answer(answer_of(
        path,
        employee,
        &answers,
        &shown,
        (kpi_row, layout.answer_name),
        kpis,
        overall_row,
    ))
}

/// The meta sheet's keys (column A) and values (column B); a key given
/// twice keeps its last row.
fn meta_keys(meta: &Cells) -> HashMap<String, String> {
    let mut keys: Vec<(u32, &Data)> = meta
        .0
        .iter()
        .filter(|((_, c), _)| *c == 0)
        .map(|((r, _), d)| (*r, d))
        .collect();
    keys.sort_by_key(|(r, _)| *r);
    let mut m: HashMap<String, String> = HashMap::new();
    for (r, d) in keys {
        m.insert(sealed_text(Some(d)), sealed_text(meta.get(r, 1)));
    }
    m
}

/// What the (verified) result sheet shows of each KPI, for the appeals
/// sheet: the actual and weighted score of its first row with the id in
/// column `id_col`.
fn shown_kpis(result: &Cells, id_col: u32) -> HashMap<String, (Option<f64>, Option<f64>)> {
    let mut shown: HashMap<String, (Option<f64>, Option<f64>)> = HashMap::new();
    let mut ids: Vec<(u32, String)> = result
        .0
        .iter()
        .filter(|((_, c), _)| *c == id_col)
        .map(|((r, _), d)| (*r, text(Some(d))))
        .filter(|(_, id)| !id.is_empty())
        .collect();
    ids.sort();
    for (r, id) in ids {
        shown
            .entry(id)
            .or_insert((number(result.get(r, 2)), number(result.get(r, 7))));
    }
    shown
}

/// The employee's answer as the answer sheet holds it: a row per KPI from
/// `kpi_row` (in `kpis` order, the name in column `name_col`), the overall
/// answers from `overall_row`.
fn answer_of(
    path: &Path,
    employee: String,
    answers: &Cells,
    shown: &HashMap<String, (Option<f64>, Option<f64>)>,
    (kpi_row, name_col): (u32, u32),
    kpis: Vec<String>,
    overall_row: u32,
) -> Answer {
    let at = |r: u32, c: u32| answers.get(r, c);
    let mut a = Answer {
        path: path.to_path_buf(),
        employee,
        ..Answer::default()
    };
    for (i, id) in kpis.into_iter().enumerate() {
        let r = kpi_row + i as u32;
        let (actual, weighted) = shown.get(&id).copied().unwrap_or((None, None));
        a.kpis.push(KpiAnswer {
            id,
            name: text(at(r, name_col)),
            agree: labels::which(&text(at(r, 2)), labels::agree),
            reason: text(at(r, 3)),
            actual,
            weighted,
        });
    }
    let o = |i: u32| text(at(overall_row + i, 1));
    a.overall = labels::which(&o(0), labels::confirm);
    a.appeal_reason = o(1);
    a.evidence = o(2);
    a.plan = o(3);
    a.support = o(4);
    a.date = o(5);
    a
}
