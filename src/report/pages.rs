//! A table too long for one sheet continues on `<name>2`, `<name>3`…, each
//! page with the same header. Excel holds 1,048,576 rows; at a province's
//! scale the detail sheets pass that, and nothing may be cut off. A group of
//! rows (one person's KPIs, say) is never split across two pages.

use super::book::{self, Formats, Widths};
use crate::error::Result;
use crate::ingest::continuation::{self, EXCEL_ROWS};
use rust_xlsxwriter::{Format, Workbook, Worksheet};

pub struct Pages<'a> {
    wb: &'a mut Workbook,
    name: String,
    labels: Vec<String>,
    fm: &'a Formats,
    /// Number formats of columns, set on every page ([`book::column_formats`]).
    columns: Vec<(u16, &'a Format)>,
    limit: u32,
    /// Worksheet indices of the pages written so far.
    sheets: Vec<usize>,
    /// The next free row on the last page.
    row: u32,
    widths: Widths,
}

impl<'a> Pages<'a> {
    /// Open the first page: a constant-memory sheet (rows go to disk as
    /// they are written) with a frozen, filtered header row.
    pub fn new(
        wb: &'a mut Workbook,
        name: &str,
        labels: Vec<String>,
        fm: &'a Formats,
    ) -> Result<Self> {
        Self::with_limit(wb, name, labels, fm, EXCEL_ROWS)
    }

    /// As [`Pages::new`] with at most `limit` rows a page (for tests).
    pub fn with_limit(
        wb: &'a mut Workbook,
        name: &str,
        labels: Vec<String>,
        fm: &'a Formats,
        limit: u32,
    ) -> Result<Self> {
        let mut pages = Pages {
            wb,
            name: name.to_string(),
            labels,
            fm,
            columns: Vec::new(),
            limit: limit.max(2),
            sheets: Vec::new(),
            row: 0,
            widths: Widths::new(),
        };
        pages.open()?;
        Ok(pages)
    }

    fn open(&mut self) -> Result<()> {
        let part = self.sheets.len() as u32;
        let ws = self.wb.add_worksheet_with_constant_memory()?;
        ws.set_name(continuation::sheet_name(&self.name, part))?;
        book::header(ws, 0, &self.labels, self.fm, &mut self.widths)?;
        book::column_formats(ws, &self.columns)?;
        self.sheets.push(self.wb.worksheets().len() - 1);
        self.row = 1;
        Ok(())
    }

    /// Give columns their number format on every page: cells of those
    /// columns are then written without one ([`book::column_formats`]).
    pub fn column_formats(mut self, cols: &[(u16, &'a Format)]) -> Result<Self> {
        self.columns = cols.to_vec();
        for &i in &self.sheets {
            book::column_formats(&mut self.wb.worksheets_mut()[i], cols)?;
        }
        Ok(self)
    }

    /// Room for `n` rows kept together: the sheet, the column widths and the
    /// first of the `n` rows, on a new page when they do not fit this one.
    pub fn take(&mut self, n: usize) -> Result<(&mut Worksheet, &mut Widths, u32)> {
        let n = n.max(1) as u64;
        if u64::from(self.row) + n > u64::from(self.limit) && self.row > 1 {
            self.open()?;
        }
        let first = self.row;
        self.row = self.row.saturating_add(n as u32);
        let index = self.sheets[self.sheets.len() - 1];
        let ws = &mut self.wb.worksheets_mut()[index];
        Ok((ws, &mut self.widths, first))
    }

    /// Fit every page's columns to the widest text seen on any page.
    pub fn finish(self) -> Result<()> {
        for &i in &self.sheets {
            self.widths.apply(&mut self.wb.worksheets_mut()[i])?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Reader, Xlsx, open_workbook};

    #[test]
    fn a_long_table_continues_on_numbered_pages_with_groups_kept_whole() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("pages.xlsx");
        let mut wb = Workbook::new();
        let fm = Formats::new();
        let labels = vec!["工号".to_string(), "序号".to_string()];
        let mut pages = Pages::with_limit(&mut wb, "明细", labels, &fm, 6).expect("pages");
        // Groups of 2, 3, 2, 1 rows on pages of 5 data rows.
        for (g, n) in [2usize, 3, 2, 1].into_iter().enumerate() {
            let (ws, w, first) = pages.take(n).expect("take");
            for i in 0..n as u32 {
                ws.write_string(first + i, 0, format!("G{g}"))
                    .expect("write");
                ws.write_number(first + i, 1, f64::from(i)).expect("write");
                w.see(0, "G0");
            }
        }
        pages.finish().expect("finish");
        wb.save(&path).expect("save");

        let mut book: Xlsx<_> = open_workbook(&path).expect("open");
        assert_eq!(book.sheet_names(), vec!["明细", "明细2"]);
        let first = book.worksheet_range("明细").expect("sheet");
        let second = book.worksheet_range("明细2").expect("sheet");
        let col = |r: &calamine::Range<calamine::Data>| -> Vec<String> {
            r.rows().map(|row| row[0].to_string()).collect()
        };
        assert_eq!(col(&first), ["工号", "G0", "G0", "G1", "G1", "G1"]);
        assert_eq!(col(&second), ["工号", "G2", "G2", "G3"]);
    }

    /// A column's format is set on every page, so its cells are written
    /// without one: calamine reads a number under a date format as a date.
    #[test]
    fn a_column_format_reaches_every_page() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("pages.xlsx");
        let mut wb = Workbook::new();
        let fm = Formats::new();
        let date = Format::new().set_num_format("yyyy-mm-dd");
        let labels = vec!["工号".to_string(), "日期".to_string()];
        let mut pages = Pages::with_limit(&mut wb, "预警", labels, &fm, 3)
            .expect("pages")
            .column_formats(&[(1, &date)])
            .expect("formats");
        for _ in 0..4 {
            let (ws, _, row) = pages.take(1).expect("take");
            ws.write_string(row, 0, "HF00001").expect("write");
            ws.write_number(row, 1, 45_565.0).expect("write");
        }
        pages.finish().expect("finish");
        wb.save(&path).expect("save");

        let mut book: Xlsx<_> = open_workbook(&path).expect("open");
        assert_eq!(book.sheet_names(), vec!["预警", "预警2"]);
        for name in ["预警", "预警2"] {
            let range = book.worksheet_range(name).expect("sheet");
            let dates: Vec<bool> = range
                .rows()
                .skip(1)
                .map(|r| matches!(r[1], calamine::Data::DateTime(_)))
                .collect();
            assert_eq!(dates, [true, true], "{name}");
            assert!(matches!(
                range.rows().next().expect("header")[1],
                calamine::Data::String(_)
            ));
        }
    }
}
