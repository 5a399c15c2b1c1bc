//! What HR typed into the `申诉` sheet of an earlier `feedback-summary.xlsx`
//! (决定, 新实际值, 调整分数, 决定理由), read back so that `collect --force`
//! carries it into the new summary instead of throwing it away. Rows are
//! matched by employee id and KPI id (blank for an appeal of the whole
//! result). A decision that has no appeal row in the new summary cannot be
//! carried; `collect` then refuses and names its cells.

use super::appeals::{COLUMNS, DECISION, SHEETS};
use super::labels;
use crate::error::{Error, Origin, Result};
use crate::ingest::value::{unsaved_formula_problem, unsaved_formula_text};
use crate::ingest::workbook::Workbook;
use crate::lang::Lang;
use calamine::Data;
use std::collections::HashMap;
use std::path::Path;

/// The HR cells of one appeal row: 决定, 新实际值, 调整分数, 决定理由.
pub const HR_CELLS: usize = 4;

/// HR's cells of one appeal row of the earlier summary.
#[derive(Debug, Clone)]
pub struct Decided {
    pub id: String,
    /// The KPI id; empty for an appeal of the whole result.
    pub kpi: String,
    /// 决定, 新实际值, 调整分数, 决定理由, as typed.
    pub cells: [Data; HR_CELLS],
    /// The row's 决定 cell, for messages.
    pub at: Origin,
}

impl Decided {
    /// Whether HR typed anything: not all blank, and not just what collect
    /// itself proposed for a late appeal (驳回, 逾期申诉，不予受理).
    pub fn filled(&self) -> bool {
        let t: Vec<String> = self.cells.iter().map(text).collect();
        if t.iter().all(String::is_empty) {
            return false;
        }
        let proposed = [Lang::Zh, Lang::En].iter().any(|&lang| {
            t[0] == labels::decision(lang)[1]
                && t[1].is_empty()
                && t[2].is_empty()
                && t[3] == late_reason(lang)
        });
        !proposed
    }
}

/// What collect writes as the reason of a late appeal it proposes to reject.
pub fn late_reason(lang: Lang) -> &'static str {
    crate::lang::in_lang(lang, "逾期申诉，不予受理", "appealed after the deadline")
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.trim().to_string(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// The decisions of an existing summary at `path`, keyed by (id, KPI id).
/// A file that is not a summary written by `appraise collect` is refused
/// (exit 2): `--force` replaces nothing else.
pub fn read(path: &Path) -> Result<HashMap<(String, String), Decided>> {
    let not_ours = |why: crate::lang::Text| {
        let path = path.display();
        let (zh, en) = (why.zh, why.en);
        Error::Usage(crate::t!(
            "collect：--force 会替换 {path}，但它不是 appraise collect 写的 feedback-summary.xlsx\
             （{zh}）；请换一个 --out",
            "collect: --force would replace {path}, which is not a feedback-summary.xlsx \
             written by appraise collect ({en}); choose another --out"
        ))
    };
    let mut wb = Workbook::open(path).map_err(|p| not_ours(*p.message))?;
    let names = wb.sheet_names();
    let Some(sheet) = SHEETS.iter().find(|s| names.iter().any(|n| n == *s)) else {
        return Err(not_ours(crate::t!(
            "其中没有“申诉”表",
            "it has no sheet 申诉"
        )));
    };
    let grid = wb.grid(sheet).map_err(|p| not_ours(*p.message))?;
    let mut rows = grid.rows();
    let mut at: [Option<usize>; COLUMNS.len()] = [None; COLUMNS.len()];
    if let Some((_, header)) = rows.next() {
        for (i, c) in header.iter().enumerate() {
            let h = text(c);
            if let Some(j) = COLUMNS.iter().position(|(zh, en)| h == *zh || h == *en) {
                at[j] = Some(i);
            }
        }
    }
    let (id_col, kpi_col) = (0, 3);
    let wanted = [
        id_col,
        kpi_col,
        DECISION,
        DECISION + 1,
        DECISION + 2,
        DECISION + 3,
    ];
    if let Some(&j) = wanted.iter().find(|&&j| at[j].is_none()) {
        let column = COLUMNS[j].0;
        return Err(not_ours(crate::t!(
            "其“{sheet}”表中没有“{column}”列",
            "its sheet {sheet} has no column {column}"
        )));
    }
    let cell = |cells: &[Data], j: usize| {
        at[j]
            .and_then(|i| cells.get(i))
            .cloned()
            .unwrap_or(Data::Empty)
    };
    let mut out = HashMap::new();
    let mut unsaved = Vec::new();
    for (r, cells) in rows {
        let id = text(&cell(cells, id_col));
        if id.is_empty() {
            continue;
        }
        // A formula with no stored result (typed by a script) would be
        // carried as something no one typed: refused at its cell.
        for j in DECISION..DECISION + HR_CELLS {
            let c = cell(cells, j);
            if let Some(f) = unsaved_formula_text(&c) {
                let at = grid.origin(r, grid.col0() + at[j].unwrap_or(0) as u32);
                unsaved.push(unsaved_formula_problem(
                    &at,
                    f,
                    &format!("`{}`", COLUMNS[j].0),
                ));
            }
        }
        let d = Decided {
            kpi: text(&cell(cells, kpi_col)),
            cells: std::array::from_fn(|k| cell(cells, DECISION + k)),
            at: grid.origin(r, grid.col0() + at[DECISION].unwrap_or(0) as u32),
            id,
        };
        out.entry((d.id.clone(), d.kpi.clone())).or_insert(d);
    }
    if !unsaved.is_empty() {
        return Err(Error::Data(unsaved));
    }
    Ok(out)
}
