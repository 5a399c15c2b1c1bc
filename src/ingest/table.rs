//! A sheet read as a table: the header row located, each wanted column found
//! by its header, each row's values converted to the column's type. Problems
//! are collected with their cells; a row with a problem is still kept where
//! its other cells are good, so one pass reports everything.

use super::value::{self, Value, key_text, normalise_header};
use super::workbook::Grid;
use crate::config::ColumnType;
use crate::error::{Location, Origin, Problem};
use calamine::Data;
use rust_decimal::Decimal;
use std::sync::Arc;

/// A column the scheme wants from a sheet.
#[derive(Debug, Clone)]
pub struct Want {
    pub field: String,
    pub header: String,
    pub kind: ColumnType,
    pub min: Option<Decimal>,
}

/// The rows of a sheet, typed.
#[derive(Debug, Clone)]
pub struct Table {
    pub file: Arc<str>,
    pub sheet: Arc<str>,
    /// Field names, in the order of `Row::values`.
    pub fields: Vec<String>,
    /// Absolute 0-based column of each field.
    pub cols: Vec<u32>,
    pub key_col: u32,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone)]
pub struct Row {
    /// Absolute 0-based row.
    pub row: u32,
    pub key: String,
    pub values: Vec<Option<Value>>,
}

impl Table {
    pub fn origin(&self, row: u32, field: usize) -> Origin {
        Origin {
            file: self.file.clone(),
            sheet: self.sheet.clone(),
            row,
            col: self.cols[field],
        }
    }

    pub fn key_origin(&self, row: u32) -> Origin {
        Origin {
            file: self.file.clone(),
            sheet: self.sheet.clone(),
            row,
            col: self.key_col,
        }
    }

    pub fn field(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f == name)
    }
}

fn sheet_loc(grid: &Grid, what: String) -> Location {
    Location::Sheet {
        file: grid.file.clone(),
        sheet: grid.sheet.clone(),
        what,
    }
}

/// Read `grid` with headers in `header_row` (1-based), keyed by `key`.
pub fn read(
    grid: &Grid,
    header_row: u32,
    key: &str,
    wants: &[Want],
    problems: &mut Vec<Problem>,
) -> Option<Table> {
    if grid.is_empty() {
        problems.push(
            Problem::new(sheet_loc(grid, String::new()), "the sheet is empty")
                .help("export the data again, or point `sheet` at the sheet that holds it"),
        );
        return None;
    }
    let header_abs = header_row.saturating_sub(1);
    let col0 = grid.col0();
    let header: Option<&[Data]> = grid
        .rows()
        .find(|(r, _)| *r == header_abs)
        .map(|(_, row)| row);
    let headers: Vec<(u32, String)> = header
        .map(|row| {
            row.iter()
                .enumerate()
                .filter_map(|(i, d)| key_text(d).map(|t| (col0 + i as u32, t)))
                .collect()
        })
        .unwrap_or_default();
    let find = |h: &str| {
        let n = normalise_header(h);
        headers
            .iter()
            .find(|(_, t)| normalise_header(t) == n)
            .map(|(c, _)| *c)
    };
    let Some(key_col) = find(key) else {
        // Is the key header somewhere else near the top?
        let elsewhere = grid
            .rows()
            .take(20)
            .find(|(_, row)| {
                row.iter().any(|d| {
                    key_text(d).is_some_and(|t| normalise_header(&t) == normalise_header(key))
                })
            })
            .map(|(r, _)| r + 1);
        let help = match elsewhere {
            Some(r) => format!("the headers are in row {r}: set `header_row = {r}`"),
            None if headers.is_empty() => format!(
                "row {header_row} is empty; set `header_row` to the row holding the column headers"
            ),
            None => format!("headers found in row {header_row}: {}", list(&headers)),
        };
        problems.push(
            Problem::new(
                sheet_loc(grid, format!("header row {header_row}")),
                format!("no key column `{key}`"),
            )
            .help(help),
        );
        return None;
    };
    let mut cols = Vec::with_capacity(wants.len());
    let mut missing = false;
    for w in wants {
        match find(&w.header) {
            Some(c) => cols.push(c),
            None => {
                missing = true;
                problems.push(
                    Problem::new(
                        sheet_loc(grid, format!("header row {header_row}")),
                        format!("no column `{}` (field `{}`)", w.header, w.field),
                    )
                    .help(format!(
                        "rename the column or change the scheme's header; headers found: {}",
                        list(&headers)
                    )),
                );
            }
        }
    }
    if missing {
        return None;
    }
    let mut table = Table {
        file: grid.file.clone(),
        sheet: grid.sheet.clone(),
        fields: wants.iter().map(|w| w.field.clone()).collect(),
        cols,
        key_col,
        rows: Vec::new(),
    };
    let get = |row: &[Data], c: u32| -> Data {
        row.get((c - col0) as usize).cloned().unwrap_or(Data::Empty)
    };
    for (r, row) in grid.rows().filter(|(r, _)| *r > header_abs) {
        let key_cell = get(row, key_col);
        let values_empty = table.cols.iter().all(|c| is_blank(&get(row, *c)));
        let Some(key) = key_text(&key_cell) else {
            if !is_blank(&key_cell) {
                problems.push(
                    Problem::at_cell(
                        &table.key_origin(r),
                        format!("expected an id in `{key}`, found {key_cell:?}"),
                    )
                    .help("ids are text or whole numbers"),
                );
            } else if !values_empty {
                problems.push(
                    Problem::at_cell(
                        &table.key_origin(r),
                        format!("this row has values but no `{key}`"),
                    )
                    .help("fill in the id, or delete the row"),
                );
            }
            continue;
        };
        let mut values = Vec::with_capacity(wants.len());
        for (j, w) in wants.iter().enumerate() {
            let origin = table.origin(r, j);
            match value::convert(&get(row, table.cols[j]), w.kind, &w.field, &origin) {
                Ok(v) => {
                    if let (Some(Value::Num(n)), Some(min)) = (&v, w.min)
                        && *n < min
                    {
                        problems.push(
                            Problem::at_cell(
                                &origin,
                                format!(
                                    "`{}` is {n}, below the smallest allowed value {min}",
                                    w.field
                                ),
                            )
                            .help("correct the value in the source system and export again"),
                        );
                    }
                    values.push(v);
                }
                Err(p) => {
                    problems.push(p);
                    values.push(None);
                }
            }
        }
        table.rows.push(Row {
            row: r,
            key,
            values,
        });
    }
    Some(table)
}

fn is_blank(d: &Data) -> bool {
    match d {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    }
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
