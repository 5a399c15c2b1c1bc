//! The sheets of `summary.xlsx`, filled on several cores at once and then
//! added to the workbook in their fixed order.
//!
//! Each table goes to standalone sheets of the workbook (rust_xlsxwriter's
//! `new_worksheet_with_constant_memory`): their rows go to a temporary file
//! of their own as they are written, on whichever thread fills them, and
//! [`Sheets::fill`] pushes the finished sheets into the workbook in the order
//! of its writers, whatever order they finished in.
//!
//! Why every format is numbered first: such a sheet writes each cell's style
//! number into its file as the row is written, and a format's number is the
//! count of formats the workbook had the first time any sheet used it.
//! Filled at once, the sheets would number formats in the order the threads
//! happened to reach them, and the same run would give other bytes from one
//! time (or thread count) to the next. So [`Sheets::new`] first numbers every
//! format of [`Formats::all`], in that fixed order; the sheets then only look
//! numbers up. A format used without being in [`Formats`] would be numbered
//! on first use again: `tests/suite/summary_sheets.rs` counts the workbook's
//! formats to catch that.

use super::book::Formats;
use super::print::Print;
use crate::error::Result;
use rayon::prelude::*;
use rust_xlsxwriter::{Format, Workbook, Worksheet};
use std::sync::{Mutex, PoisonError};

/// What writes one table: its sheets in order (its pages; none when its
/// part of the scheme is not configured).
pub type Writer<'a> = dyn Fn(&Sheets) -> Result<Vec<Worksheet>> + Sync + 'a;

/// A workbook handing out sheets to the threads that fill them.
pub struct Sheets {
    /// Held only while a sheet is made (its temporary file created).
    wb: Mutex<Workbook>,
    /// How the sheets print ([`super::print`]).
    print: Print,
}

impl Sheets {
    /// Number every format of `fm`, in order, in `wb`.
    pub fn new(mut wb: Workbook, fm: &Formats) -> Result<Sheets> {
        // A scratch sheet, never added to the workbook: giving a column a
        // format numbers the format in the workbook, and that is all the
        // sheet leaves behind (its temporary file goes when it is dropped).
        let mut scratch = wb.new_worksheet_with_constant_memory()?;
        for (col, format) in fm.all().into_iter().enumerate() {
            scratch.set_column_format(col as u16, format)?;
        }
        drop(scratch);
        Ok(Sheets {
            wb: Mutex::new(wb),
            print: Print::new("", crate::lang::Lang::Zh),
        })
    }

    /// Number `extra` formats too, after those of [`Formats`]: formats of a
    /// workbook's own that its streamed sheets use.
    pub fn also(self, extra: &[&Format]) -> Result<Sheets> {
        {
            let mut wb = self.wb.lock().unwrap_or_else(PoisonError::into_inner);
            let mut scratch = wb.new_worksheet_with_constant_memory()?;
            for (col, format) in extra.iter().enumerate() {
                scratch.set_column_format(col as u16, format)?;
            }
        }
        Ok(self)
    }

    /// The sheets print with `print`'s period and language.
    pub fn with_print(mut self, print: Print) -> Sheets {
        self.print = print;
        self
    }

    /// How the sheets print.
    pub fn print(&self) -> &Print {
        &self.print
    }

    /// A sheet named `name` whose rows go to disk as they are written: it
    /// is written top to bottom (a cell written to a row above the last row
    /// written would be dropped).
    pub fn streamed(&self, name: &str) -> Result<Worksheet> {
        let mut ws = self
            .wb
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .new_worksheet_with_constant_memory()?;
        ws.set_name(name)?;
        Ok(ws)
    }

    /// A small sheet held in memory: one with a chart, whose cached values
    /// rust_xlsxwriter reads from the sheet's cells when saving. Its formats
    /// are numbered when the workbook is saved, in sheet order.
    pub fn in_memory(&self, name: &str) -> Result<Worksheet> {
        let mut ws = Worksheet::new();
        ws.set_name(name)?;
        Ok(ws)
    }

    /// Fill the tables of `writers` on whichever cores are free, then add
    /// their sheets to the workbook in the writers' order. When several
    /// fail, the first writer's error is the one reported, on every run.
    pub fn fill(self, writers: &[&Writer]) -> Result<Workbook> {
        let tables: Vec<Result<Vec<Worksheet>>> = writers
            .par_iter()
            // Each table its own task, so that a free core takes the next.
            .with_max_len(1)
            .map(|write| write(&self))
            .collect();
        let tables = tables.into_iter().collect::<Result<Vec<_>>>()?;
        let mut wb = self.wb.into_inner().unwrap_or_else(PoisonError::into_inner);
        for ws in tables.into_iter().flatten() {
            wb.push_worksheet(ws);
        }
        Ok(wb)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(wb: &mut Workbook) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        wb.save_to_writer(&mut out).expect("save");
        out.into_inner()
    }

    /// A sheet writing one cell in each format, in `Formats::all`'s order.
    fn every_format(ws: &mut Worksheet, fm: &Formats) {
        ws.set_name("表").expect("name");
        for (c, f) in fm.all().into_iter().enumerate() {
            ws.write_number_with_format(0, c as u16, 1.0, f)
                .expect("write");
        }
    }

    /// Numbering the formats first leaves nothing else in the workbook:
    /// the same bytes as a workbook whose one sheet uses them in that order.
    #[test]
    fn numbering_the_formats_first_leaves_no_other_trace() {
        let fm = Formats::new();
        let sheets = Sheets::new(Workbook::new(), &fm).expect("sheets");
        let mut numbered = sheets
            .fill(&[&|s: &Sheets| {
                let mut ws = s.streamed("x")?;
                every_format(&mut ws, &fm);
                Ok(vec![ws])
            }])
            .expect("fill");
        let mut plain = Workbook::new();
        every_format(
            plain.add_worksheet_with_constant_memory().expect("sheet"),
            &fm,
        );
        assert!(bytes(&mut numbered) == bytes(&mut plain));
    }

    /// Sheets come out in the writers' order, however many each writes.
    #[test]
    fn sheets_are_added_in_the_writers_order() {
        let fm = Formats::new();
        let sheet = |names: &'static [&'static str]| {
            move |s: &Sheets| -> Result<Vec<Worksheet>> {
                names.iter().map(|n| s.streamed(n)).collect()
            }
        };
        let (a, b, c) = (sheet(&["a", "a2"]), sheet(&[]), sheet(&["c"]));
        let mut wb = Sheets::new(Workbook::new(), &fm)
            .expect("sheets")
            .fill(&[&a, &b, &c])
            .expect("fill");
        let names: Vec<String> = wb.worksheets_mut().iter().map(|w| w.name()).collect();
        assert_eq!(names, ["a", "a2", "c"]);
    }
}
