//! A sheet read as a table: the header row located, each wanted column found
//! by its header, each row's values converted to the column's type. Problems
//! are collected with their cells; a row with a problem is still kept where
//! its other cells are good, so one pass reports everything.

use super::continuation;
use super::value::{self, At, Sheet, Src, Value, key_text, normalise_header};
use super::workbook::{Grid, Workbook};
use crate::config::ColumnType;
use crate::error::{Location, Origin, Problem};
use calamine::Data;
use rust_decimal::Decimal;
use std::sync::Arc;

mod typed_row;

use typed_row::convert_row;

/// A column the scheme wants from a sheet.
#[derive(Debug, Clone)]
pub struct Want {
    pub field: String,
    pub header: String,
    pub kind: ColumnType,
    pub min: Option<Decimal>,
}

/// The rows of a sheet, typed.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct Table {
    pub file: Arc<str>,
    pub sheet: Arc<str>,
    /// The same, shared by the sources of the values read from it.
    pub shared: Arc<Sheet>,
    /// Field names, in the order of `Row::values`.
    pub fields: Vec<String>,
    /// Absolute 0-based column of each field.
    pub cols: Vec<u32>,
    pub key_col: u32,
    pub rows: Vec<Row>,
    /// The continuation sheets read after `sheet` (`<sheet>2`, …); their
    /// rows are numbered as [`continuation`] says.
    pub continued: Vec<Arc<str>>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Row {
    /// Absolute 0-based row (in a continuation sheet, see [`continuation`]).
    pub row: u32,
    pub key: String,
    pub values: Vec<Option<Value>>,
}

impl Table {
    pub fn origin(&self, row: u32, field: usize) -> Origin {
        let (sheet, row) = self.place(row);
        Origin {
            file: self.file.clone(),
            sheet,
            row,
            col: self.cols[field],
        }
    }

    /// The source of the value in `row` of `field`.
    pub fn src(&self, row: u32, field: usize) -> Src {
        Src::Cell(At {
            sheet: self.shared.clone(),
            row,
            col: self.cols[field],
        })
    }

    pub fn key_origin(&self, row: u32) -> Origin {
        let (sheet, row) = self.place(row);
        Origin {
            file: self.file.clone(),
            sheet,
            row,
            col: self.key_col,
        }
    }

    /// The sheet a row number is in, and its row there.
    fn place(&self, row: u32) -> (Arc<str>, u32) {
        match continuation::split(row) {
            (0, _) => (self.sheet.clone(), row),
            (k, r) => match self.continued.get(k as usize - 1) {
                Some(s) => (s.clone(), r),
                None => (self.sheet.clone(), row),
            },
        }
    }

    /// A row as messages name it: `12`, or `12 of sheet 日行事例2`.
    pub fn row_name(&self, row: u32) -> String {
        let (sheet, r) = self.place(row);
        if Arc::ptr_eq(&sheet, &self.sheet) {
            (r + 1).to_string()
        } else {
            format!("{} of sheet {sheet}", r + 1)
        }
    }

    /// [`row_name`](Self::row_name) in Chinese: "第 5 行", or "工作表 X 的第 5 行".
    pub fn row_name_zh(&self, row: u32) -> String {
        let (sheet, r) = self.place(row);
        if Arc::ptr_eq(&sheet, &self.sheet) {
            format!("第 {} 行", r + 1)
        } else {
            format!("工作表 {sheet} 的第 {} 行", r + 1)
        }
    }

    pub fn field(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f == name)
    }
}

fn sheet_loc(file: &Arc<str>, sheet: &Arc<str>, what: crate::lang::Text) -> Location {
    Location::Sheet {
        file: file.clone(),
        sheet: sheet.clone(),
        what,
    }
}

/// Read `grid` (with its continuation sheets, [`Workbook::grid_continued`])
/// with headers in `header_row` (1-based), keyed by `key`.
pub fn read(
    grid: &Grid,
    header_row: u32,
    key: &str,
    wants: &[Want],
    problems: &mut Vec<Problem>,
) -> Option<Table> {
    let mut rows = Vec::new();
    let mut rd = Rows::new(
        grid.file.clone(),
        grid.sheet.clone(),
        header_row,
        key,
        wants,
    );
    // Rows of continuation sheets name their own sheet, as in [`stream`].
    rd.continued = grid
        .continued
        .iter()
        .map(|s| Arc::from(s.as_str()))
        .collect();
    let col0 = grid.col0();
    for (r, cells) in grid.rows() {
        rd.row(
            r,
            col0,
            cells,
            problems,
            &mut |_, row, _| rows.push(row),
            &mut Vec::new(),
        );
    }
    let mut table = rd.finish(problems, &mut |_, row, _| rows.push(row), &mut Vec::new())?;
    table.rows = rows;
    Some(table)
}

/// Read a sheet of `wb` row by row without keeping it: each typed row is
/// handed to `each` with the table's columns (a `Table` without rows) and a
/// list for the problems `each` finds. The sheet's continuation sheets
/// (`<sheet>2`, `<sheet>3`, …) follow as more rows once their header row is
/// found to be the same. The problems come out in the same
/// order as reading the whole table first and then going through its rows:
/// the header's and the cells' problems, then those of `each`.
///
/// `Err` is a sheet that cannot be read (missing, malformed, beyond the
/// limits): its own problems are taken back and no later sheet is read;
/// the rows handed to `each` before it stay handed over, and the sheets
/// before it keep their problems.
/// `Ok(None)` is a table whose headers are wrong (the problems say why).
pub fn stream(
    wb: &mut Workbook,
    sheet: &str,
    header_row: u32,
    key: &str,
    wants: &[Want],
    problems: &mut Vec<Problem>,
    mut each: impl FnMut(&Table, Row, &mut Vec<Problem>),
) -> Result<Option<Table>, Problem> {
    let mut later = Vec::new();
    let place = (sheet, header_row, key, wants);
    let (mut rd, header) = first_sheet(wb, place, problems, &mut each, &mut later)?;
    continued_in_turn(
        wb,
        &mut rd,
        header.as_ref(),
        problems,
        &mut each,
        &mut later,
    )?;
    let table = rd.finish(problems, &mut each, &mut later);
    problems.append(&mut later);
    Ok(table)
}

/// A header row: its first column and its cells.
pub(super) type HeaderRow = (u32, Vec<Data>);

/// Where a table is: its sheet, 1-based header row, key header and the
/// columns wanted.
pub(super) type Place<'a> = (&'a str, u32, &'a str, &'a [Want]);

/// Read the first sheet of a table (see [`stream`]): the rows as read so
/// far, with the continuation sheets to read next, and the header row
/// (its first column and cells) that they must repeat, if they are to be
/// read and it was found. On `Err` the sheet's problems are taken back.
pub(super) fn first_sheet<'a>(
    wb: &mut Workbook,
    (sheet, header_row, key, wants): Place<'a>,
    problems: &mut Vec<Problem>,
    each: &mut RowHandler<'_>,
    later: &mut Vec<Problem>,
) -> Result<(Rows<'a>, Option<HeaderRow>), Problem> {
    let before = problems.len();
    let file: Arc<str> = Arc::from(wb.path.display().to_string());
    let mut rd = Rows::new(file, Arc::from(sheet), header_row, key, wants);
    rd.continued = continuation::sheets(&wb.sheet_names(), sheet)
        .into_iter()
        .map(Arc::from)
        .collect();
    let h = rd.header_abs();
    let mut header = None;
    let continues = !rd.continued.is_empty();
    let visited = wb.visit_rows(sheet, &mut |r, c0, cells| {
        if r == h && continues {
            header = Some((c0, cells.to_vec()));
        }
        rd.row(r, c0, cells, problems, each, later);
    });
    if let Err(p) = visited {
        problems.truncate(before);
        return Err(p);
    }
    Ok((rd, header))
}

/// Read the continuation sheets of `rd`'s table one after another, each
/// once its header row is found to be `header`, the first sheet's. On
/// `Err` the problems of the sheet that could not be read are taken back.
pub(super) fn continued_in_turn(
    wb: &mut Workbook,
    rd: &mut Rows,
    header: Option<&HeaderRow>,
    problems: &mut Vec<Problem>,
    each: &mut RowHandler<'_>,
    later: &mut Vec<Problem>,
) -> Result<(), Problem> {
    let (file, first) = (rd.file.clone(), rd.sheet.clone());
    for (k, name) in rd.continued.clone().iter().enumerate() {
        let Some(expected) = header.filter(|_| !matches!(rd.state, State::Failed)) else {
            break;
        };
        let part = k as u32 + 1;
        // A continuation sheet that cannot be read takes back only its own
        // problems: the first sheets' stay reported.
        let before_part = problems.len();
        let h = rd.header_abs();
        let mut check = continuation::Header::new(&file, &first, name, h, expected);
        let visited = wb.visit_rows(name, &mut |r, c0, cells| {
            if check.read(r, c0, cells, problems) {
                let r = continuation::number(part, r);
                rd.row(r, c0, cells, problems, each, later);
            }
        });
        if let Err(p) = visited {
            problems.truncate(before_part);
            return Err(p);
        }
    }
    Ok(())
}

/// [`stream`], keeping the rows.
pub fn read_sheet(
    wb: &mut Workbook,
    sheet: &str,
    header_row: u32,
    key: &str,
    wants: &[Want],
    problems: &mut Vec<Problem>,
) -> Result<Option<Table>, Problem> {
    let mut rows = Vec::new();
    let table = stream(wb, sheet, header_row, key, wants, problems, |_, row, _| {
        rows.push(row)
    })?;
    Ok(table.map(|mut t| {
        t.rows = rows;
        t
    }))
}

/// How many rows from the top are searched for a misplaced key header.
const LOOK: usize = 20;

/// The rows of a sheet as they come, in order: buffered until the headers
/// are known, then typed one by one.
pub(super) struct Rows<'a> {
    pub(super) file: Arc<str>,
    pub(super) sheet: Arc<str>,
    header_row: u32,
    key: &'a str,
    wants: &'a [Want],
    pub(super) state: State,
    pub(super) continued: Vec<Arc<str>>,
}

pub(super) enum State {
    /// Rows (number, first column, cells) before the headers are resolved.
    Buffering(Vec<(u32, u32, Vec<Data>)>),
    Ready(Table),
    /// The headers are wrong; the rest is skipped.
    Failed,
}

/// What is done with each row of a table once its headers are resolved.
pub(super) type RowHandler<'e> = dyn FnMut(&Table, Row, &mut Vec<Problem>) + 'e;

impl<'a> Rows<'a> {
    fn new(
        file: Arc<str>,
        sheet: Arc<str>,
        header_row: u32,
        key: &'a str,
        wants: &'a [Want],
    ) -> Self {
        Rows {
            file,
            sheet,
            header_row,
            key,
            wants,
            state: State::Buffering(Vec::new()),
            continued: Vec::new(),
        }
    }

    pub(super) fn header_abs(&self) -> u32 {
        self.header_row.saturating_sub(1)
    }

    pub(super) fn row(
        &mut self,
        r: u32,
        c0: u32,
        cells: &[Data],
        problems: &mut Vec<Problem>,
        each: &mut RowHandler<'_>,
        later: &mut Vec<Problem>,
    ) {
        let h = self.header_abs();
        match &mut self.state {
            State::Ready(_) => self.typed(r, c0, cells, problems, each, later),
            State::Failed => {}
            State::Buffering(buf) => {
                buf.push((r, c0, cells.to_vec()));
                let full = buf.len() >= LOOK;
                // The key header's absence is only reported once the rows
                // searched for it elsewhere are all in.
                if r > h && (full || self.key_found()) {
                    self.resolve(problems, each, later);
                }
            }
        }
    }

    /// Type a row of the resolved table (none before) and hand it to
    /// `each`; `later` is for the problems `each` finds.
    pub(super) fn typed(
        &self,
        r: u32,
        c0: u32,
        cells: &[Data],
        problems: &mut Vec<Problem>,
        each: &mut RowHandler<'_>,
        later: &mut Vec<Problem>,
    ) {
        if let State::Ready(t) = &self.state
            && let Some(row) = convert_row(t, self.key, self.wants, r, c0, cells, problems)
        {
            each(t, row, later);
        }
    }

    pub(super) fn finish(
        mut self,
        problems: &mut Vec<Problem>,
        each: &mut RowHandler<'_>,
        later: &mut Vec<Problem>,
    ) -> Option<Table> {
        if let State::Buffering(buf) = &self.state {
            if buf.is_empty() {
                problems.push(
                    Problem::new(
                        sheet_loc(&self.file, &self.sheet, crate::lang::Text::same("")),
                        crate::lang::Text::new("该表是空的", "the sheet is empty"),
                    )
                    .help(crate::lang::Text::new(
                        "重新导出数据，或让 `sheet` 指向存放数据的表",
                        "export the data again, or point `sheet` at the sheet that holds it",
                    )),
                );
                return None;
            }
            self.resolve(problems, each, later);
        }
        match self.state {
            State::Ready(t) => Some(t),
            _ => None,
        }
    }

    fn headers(&self) -> Vec<(u32, String)> {
        let State::Buffering(buf) = &self.state else {
            return Vec::new();
        };
        let h = self.header_abs();
        buf.iter()
            .find(|(r, _, _)| *r == h)
            .map(|(_, c0, row)| {
                row.iter()
                    .enumerate()
                    .filter_map(|(i, d)| key_text(d).map(|t| (c0 + i as u32, t)))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The header row's cells that are formulas with no stored result.
    fn unsaved_headers(&self) -> Vec<Problem> {
        let State::Buffering(buf) = &self.state else {
            return Vec::new();
        };
        let h = self.header_abs();
        buf.iter()
            .filter(|(r, _, _)| *r == h)
            .flat_map(|(_, c0, row)| {
                row.iter().enumerate().filter_map(move |(i, d)| {
                    value::unsaved_formula_text(d).map(|f| (c0 + i as u32, f))
                })
            })
            .map(|(col, f)| {
                let origin = Origin {
                    file: self.file.clone(),
                    sheet: self.sheet.clone(),
                    row: h,
                    col,
                };
                value::unsaved_formula_problem(&origin, f, "the header")
            })
            .collect()
    }

    fn key_found(&self) -> bool {
        find(&self.headers(), self.key).is_some()
    }

    /// Locate the columns, then type the rows buffered after the header.
    fn resolve(
        &mut self,
        problems: &mut Vec<Problem>,
        each: &mut RowHandler<'_>,
        later: &mut Vec<Problem>,
    ) {
        let headers = self.headers();
        // A header that is a formula with no stored result may be the one
        // looked for: said so, when one is not found (issue 15).
        let all_found = std::iter::once(self.key)
            .chain(self.wants.iter().map(|w| w.header.as_str()))
            .all(|h| find(&headers, h).is_some());
        if !all_found {
            problems.extend(self.unsaved_headers());
        }
        let State::Buffering(buf) = std::mem::replace(&mut self.state, State::Failed) else {
            return;
        };
        let (key, header_row) = (self.key, self.header_row);
        let loc = |what: crate::lang::Text| sheet_loc(&self.file, &self.sheet, what);
        let Some(key_col) = find(&headers, key) else {
            // Is the key header somewhere else near the top?
            let elsewhere = buf
                .iter()
                .take(LOOK)
                .find(|(_, _, row)| {
                    row.iter().any(|d| {
                        key_text(d).is_some_and(|t| normalise_header(&t) == normalise_header(key))
                    })
                })
                .map(|(r, _, _)| r + 1);
            let help = match elsewhere {
                Some(r) => crate::t!(
                    "表头在第 {r} 行：设 `header_row = {r}`",
                    "the headers are in row {r}: set `header_row = {r}`"
                ),
                None if headers.is_empty() => crate::t!(
                    "第 {header_row} 行是空的；把 `header_row` 设为列标题所在的行",
                    "row {header_row} is empty; set `header_row` to the row holding the column headers"
                ),
                None => crate::t!(
                    "第 {header_row} 行的列标题：{}",
                    "headers found in row {header_row}: {}",
                    list(&headers)
                ),
            };
            problems.push(
                Problem::new(
                    loc(crate::error::header_row_text(header_row)),
                    crate::t!("没有主键列 `{key}`", "no key column `{key}`"),
                )
                .help(help),
            );
            return;
        };
        let mut cols = Vec::with_capacity(self.wants.len());
        let mut missing = false;
        // A header written twice would be read from whichever comes first.
        for h in std::iter::once(key).chain(self.wants.iter().map(|w| w.header.as_str())) {
            let n = normalise_header(h);
            let at: Vec<String> = headers
                .iter()
                .filter(|(_, t)| normalise_header(t) == n)
                .map(|(c, _)| crate::error::cell_name(header_row.saturating_sub(1), *c))
                .collect();
            if at.len() > 1 {
                missing = true;
                problems.push(
                    Problem::new(
                        loc(crate::error::header_row_text(header_row)),
                        crate::t!(
                            "列 `{h}` 出现了不止一次：{}",
                            "column `{h}` appears more than once: {}",
                            at.join(", ")
                        ),
                    )
                    .help(crate::lang::Text::new(
                        "给多出的列改名或删除它，以明确读取哪一列",
                        "rename or delete the extra column, so that it is clear which one to read",
                    )),
                );
            }
        }
        for w in self.wants {
            match find(&headers, &w.header) {
                Some(c) => cols.push(c),
                None => {
                    missing = true;
                    problems.push(
                        Problem::new(
                            loc(crate::error::header_row_text(header_row)),
                            crate::t!(
                                "没有列 `{}`（字段 `{}`）",
                                "no column `{}` (field `{}`)",
                                w.header,
                                w.field
                            ),
                        )
                        .help(crate::t!(
                            "给该列改名，或修改方案中的列标题；现有列标题：{}",
                            "rename the column or change the scheme's header; headers found: {}",
                            list(&headers)
                        )),
                    );
                }
            }
        }
        if missing {
            return;
        }
        let table = Table {
            file: self.file.clone(),
            sheet: self.sheet.clone(),
            shared: Arc::new(Sheet {
                file: self.file.clone(),
                name: self.sheet.clone(),
            }),
            fields: self.wants.iter().map(|w| w.field.clone()).collect(),
            cols,
            key_col,
            rows: Vec::new(),
            continued: self.continued.clone(),
        };
        let h = self.header_abs();
        for (r, c0, cells) in buf.iter().filter(|(r, _, _)| *r > h) {
            if let Some(row) = convert_row(&table, key, self.wants, *r, *c0, cells, problems) {
                each(&table, row, later);
            }
        }
        self.state = State::Ready(table);
    }
}

fn find(headers: &[(u32, String)], h: &str) -> Option<u32> {
    let n = normalise_header(h);
    headers
        .iter()
        .find(|(_, t)| normalise_header(t) == n)
        .map(|(c, _)| *c)
}

fn list(headers: &[(u32, String)]) -> String {
    if headers.is_empty() {
        return "(none)".into();
    }
    headers
        .iter()
        .map(|(_, h)| h.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
