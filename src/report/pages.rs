//! A table too long for one sheet continues on `<name>2`, `<name>3`…, each
//! page with the same header. Excel holds 1,048,576 rows; at a province's
//! scale the detail sheets pass that, and nothing may be cut off. A group of
//! rows (one person's KPIs, say) is never split across two pages.
//!
//! When every group's row count is known before writing, [`Pages::plan`]
//! says which groups go on which page, and the pages can be filled at once:
//! each by its own [`Pages::part`], joined at the end ([`Pages::join`]) so
//! that every page gets the widest column seen on any.

use super::book::{self, Formats, Widths};
use super::sheets::Sheets;
use crate::error::Result;
use crate::ingest::continuation::{self, EXCEL_ROWS};
use rust_xlsxwriter::{Format, Worksheet};
use std::ops::Range;

pub struct Pages<'a> {
    sheets: &'a Sheets,
    name: String,
    labels: Vec<String>,
    fm: &'a Formats,
    /// Number formats of columns, set on every page ([`book::column_formats`]).
    columns: Vec<(u16, &'a Format)>,
    limit: u32,
    /// The number of the first page: 0 for `<name>`, 1 for `<name>2`…
    first: u32,
    /// The pages written so far.
    pages: Vec<Worksheet>,
    /// The next free row on the last page.
    row: u32,
    widths: Widths,
}

/// Whether `n` more rows go on a page whose next free row is `row`: a page
/// with no rows yet takes any group.
fn fits(row: u32, n: u64, limit: u32) -> bool {
    row <= 1 || u64::from(row) + n <= u64::from(limit)
}

impl<'a> Pages<'a> {
    /// A table of constant-memory sheets (rows go to disk as they are
    /// written), each with a frozen, filtered header row. Its first page is
    /// made when a row is taken, or at [`Pages::finish`].
    pub fn new(sheets: &'a Sheets, name: &str, labels: Vec<String>, fm: &'a Formats) -> Self {
        Pages {
            sheets,
            name: name.to_string(),
            labels,
            fm,
            columns: Vec::new(),
            limit: EXCEL_ROWS,
            first: 0,
            pages: Vec::new(),
            row: 0,
            widths: Widths::new(),
        }
    }

    /// At most `limit` rows a page, the header's included (for tests).
    pub fn with_limit(mut self, limit: u32) -> Self {
        self.limit = limit.max(2);
        self
    }

    /// Give columns their number format on every page: cells of those
    /// columns are then written without one ([`book::column_formats`]).
    pub fn column_formats(mut self, cols: &[(u16, &'a Format)]) -> Self {
        self.columns = cols.to_vec();
        self
    }

    fn open(&mut self) -> Result<()> {
        let part = self.first + self.pages.len() as u32;
        let mut ws = self
            .sheets
            .streamed(&continuation::sheet_name(&self.name, part))?;
        book::header(&mut ws, 0, &self.labels, self.fm, &mut self.widths)?;
        book::column_formats(&mut ws, &self.columns)?;
        self.pages.push(ws);
        self.row = 1;
        Ok(())
    }

    /// Room for `n` rows kept together: the sheet, the column widths and the
    /// first of the `n` rows, on a new page when they do not fit this one.
    pub fn take(&mut self, n: usize) -> Result<(&mut Worksheet, &mut Widths, u32)> {
        let n = n.max(1) as u64;
        if self.pages.is_empty() || !fits(self.row, n, self.limit) {
            self.open()?;
        }
        let first = self.row;
        self.row = self.row.saturating_add(n as u32);
        let ws = self.pages.last_mut().expect("a page was opened above");
        Ok((ws, &mut self.widths, first))
    }

    /// The groups on each page, as [`Pages::take`] would place groups of
    /// `rows[i]` rows one after another: a range of group indices a page.
    pub fn plan(&self, rows: &[usize]) -> Vec<Range<usize>> {
        let mut pages = Vec::new();
        let (mut start, mut row) = (0, 1u32);
        for (i, &n) in rows.iter().enumerate() {
            let n = n.max(1) as u64;
            if !fits(row, n, self.limit) {
                pages.push(start..i);
                (start, row) = (i, 1);
            }
            row = row.saturating_add(n as u32);
        }
        pages.push(start..rows.len());
        pages
    }

    /// An empty copy of this table that starts at page `page` (of
    /// [`Pages::plan`]), to be filled apart from the others.
    pub fn part(&self, page: usize) -> Pages<'a> {
        Pages {
            labels: self.labels.clone(),
            name: self.name.clone(),
            columns: self.columns.clone(),
            first: page as u32,
            pages: Vec::new(),
            row: 0,
            widths: Widths::new(),
            ..*self
        }
    }

    /// The parts of this table, filled apart, in order, as one table.
    pub fn join(mut self, parts: Vec<Pages<'a>>) -> Pages<'a> {
        for part in parts {
            self.pages.extend(part.pages);
            self.widths.merge(&part.widths);
            self.row = part.row;
        }
        self
    }

    /// Fit every page's columns to the widest text seen on any page, set
    /// how each prints (its header row on every printed page), and hand
    /// the pages over in order (a table with no rows has its header).
    pub fn finish(mut self) -> Result<Vec<Worksheet>> {
        if self.pages.is_empty() {
            self.open()?;
        }
        let table = super::print::Table {
            widths: self.widths.columns(),
            titles: Some((0, 0)),
            gridlines: true,
        };
        for ws in &mut self.pages {
            self.widths.apply(ws)?;
            self.sheets.print().table(ws, &table)?;
        }
        Ok(self.pages)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Reader, Xlsx, open_workbook};
    use rust_xlsxwriter::Workbook;

    /// Write a workbook of the sheets `write` makes, and open it.
    fn written(
        write: &(dyn Fn(&Sheets) -> Result<Vec<Worksheet>> + Sync),
    ) -> (tempfile::TempDir, Xlsx<std::io::BufReader<std::fs::File>>) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("pages.xlsx");
        let mut wb = Sheets::new(Workbook::new(), &Formats::new())
            .expect("sheets")
            .fill(&[write])
            .expect("fill");
        wb.save(&path).expect("save");
        let book = open_workbook(&path).expect("open");
        (dir, book)
    }

    fn first_column(
        book: &mut Xlsx<std::io::BufReader<std::fs::File>>,
        sheet: &str,
    ) -> Vec<String> {
        let range = book.worksheet_range(sheet).expect("sheet");
        range.rows().map(|row| row[0].to_string()).collect()
    }

    /// Groups of 2, 3, 2, 1 rows on pages of 5 data rows.
    const GROUPS: [usize; 4] = [2, 3, 2, 1];

    fn write_groups(pages: &mut Pages, groups: Range<usize>) -> Result<()> {
        for g in groups {
            let n = GROUPS[g];
            let (ws, w, first) = pages.take(n)?;
            for i in 0..n as u32 {
                ws.write_string(first + i, 0, format!("G{g}"))?;
                ws.write_number(first + i, 1, f64::from(i))?;
                w.see(0, "G0");
            }
        }
        Ok(())
    }

    #[test]
    fn a_long_table_continues_on_numbered_pages_with_groups_kept_whole() {
        let fm = Formats::new();
        let labels = vec!["工号".to_string(), "序号".to_string()];
        let (_dir, mut book) = written(&|s| {
            let mut pages = Pages::new(s, "明细", labels.clone(), &fm).with_limit(6);
            write_groups(&mut pages, 0..GROUPS.len())?;
            pages.finish()
        });
        assert_eq!(book.sheet_names(), vec!["明细", "明细2"]);
        assert_eq!(
            first_column(&mut book, "明细"),
            ["工号", "G0", "G0", "G1", "G1", "G1"]
        );
        assert_eq!(first_column(&mut book, "明细2"), ["工号", "G2", "G2", "G3"]);
    }

    /// Pages planned first and filled apart hold what one `Pages` would.
    #[test]
    fn planned_pages_filled_apart_are_the_same_pages() {
        let fm = Formats::new();
        let labels = vec!["工号".to_string(), "序号".to_string()];
        let (_dir, mut book) = written(&|s| {
            let table = Pages::new(s, "明细", labels.clone(), &fm).with_limit(6);
            let plan = table.plan(&GROUPS);
            assert_eq!(plan, [0..2, 2..4]);
            let mut parts = Vec::new();
            for (page, groups) in plan.into_iter().enumerate().rev() {
                let mut part = table.part(page);
                write_groups(&mut part, groups)?;
                parts.insert(0, part);
            }
            table.join(parts).finish()
        });
        assert_eq!(book.sheet_names(), vec!["明细", "明细2"]);
        assert_eq!(
            first_column(&mut book, "明细"),
            ["工号", "G0", "G0", "G1", "G1", "G1"]
        );
        assert_eq!(first_column(&mut book, "明细2"), ["工号", "G2", "G2", "G3"]);
    }

    /// A group longer than a page has a page of its own; an empty group
    /// takes a row; no groups at all make one page.
    #[test]
    fn a_plan_places_groups_as_take_does() {
        let sheets = Sheets::new(Workbook::new(), &Formats::new()).expect("sheets");
        let fm = Formats::new();
        let table = Pages::new(&sheets, "x", Vec::new(), &fm).with_limit(4);
        assert_eq!(table.plan(&[1, 5, 0, 2, 1]), [0..1, 1..2, 2..4, 4..5]);
        assert_eq!(table.plan(&[]), vec![Range { start: 0, end: 0 }]);
    }

    /// A column's format is set on every page, so its cells are written
    /// without one: calamine reads a number under a date format as a date.
    #[test]
    fn a_column_format_reaches_every_page() {
        let fm = Formats::new();
        let labels = vec!["工号".to_string(), "日期".to_string()];
        let (_dir, mut book) = written(&|s| {
            let mut pages = Pages::new(s, "预警", labels.clone(), &fm)
                .with_limit(3)
                .column_formats(&[(1, &fm.date)]);
            for _ in 0..4 {
                let (ws, _, row) = pages.take(1)?;
                ws.write_string(row, 0, "HF00001")?;
                ws.write_number(row, 1, 45_565.0)?;
            }
            pages.finish()
        });
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
