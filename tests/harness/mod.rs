//! A work directory for integration tests: write small workbooks and a
//! scheme with the real libraries, run the real binary, read cells back.

#![allow(dead_code)]

use calamine::{Data, Reader, open_workbook_auto};
use rust_xlsxwriter::Workbook;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Workdir {
    pub dir: tempfile::TempDir,
}

/// A cell to write: text or number.
pub enum V<'a> {
    S(&'a str),
    N(f64),
    Empty,
}

pub use V::{Empty, N, S};

impl Workdir {
    pub fn new() -> Workdir {
        Workdir {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Write a workbook with one sheet per `(name, rows)`.
    pub fn xlsx(&self, file: &str, sheets: &[(&str, Vec<Vec<V>>)]) {
        let mut wb = Workbook::new();
        for (name, rows) in sheets {
            let ws = wb.add_worksheet();
            ws.set_name(*name).expect("sheet name");
            for (r, row) in rows.iter().enumerate() {
                for (c, v) in row.iter().enumerate() {
                    match v {
                        S(s) => {
                            ws.write_string(r as u32, c as u16, *s).expect("write");
                        }
                        N(n) => {
                            ws.write_number(r as u32, c as u16, *n).expect("write");
                        }
                        Empty => {}
                    }
                }
            }
        }
        wb.save(self.path(file)).expect("save");
    }

    pub fn write(&self, file: &str, text: &str) {
        std::fs::write(self.path(file), text).expect("write");
    }

    /// Run the binary with `args` inside the work directory.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_appraise"))
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .expect("run appraise")
    }

    /// Every cell of a sheet as display text, row by row.
    pub fn sheet(&self, file: &str, sheet: &str) -> Vec<Vec<String>> {
        read_sheet(&self.path(file), sheet)
    }
}

pub fn read_sheet(path: &Path, sheet: &str) -> Vec<Vec<String>> {
    let mut wb = open_workbook_auto(path).expect("open workbook");
    let range = wb.worksheet_range(sheet).expect("sheet");
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|d| match d {
                    Data::Empty => String::new(),
                    Data::Float(f) => format!("{f}"),
                    Data::Int(i) => i.to_string(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

/// The row of a table whose first cell is `key`, as (header → value).
pub fn row_of(table: &[Vec<String>], key: &str) -> Vec<(String, String)> {
    let header = &table[0];
    let row = table
        .iter()
        .find(|r| r.first().map(String::as_str) == Some(key))
        .unwrap_or_else(|| panic!("no row {key}"));
    header.iter().cloned().zip(row.iter().cloned()).collect()
}

pub fn get(row: &[(String, String)], col: &str) -> String {
    row.iter()
        .find(|(h, _)| h == col)
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| panic!("no column {col}"))
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
