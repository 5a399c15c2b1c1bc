//! A table written across as many sheets as it needs: when a sheet holds
//! `rows_per_sheet` rows, the table continues on `<name>2`, `<name>3`, …,
//! each starting with the same title and header rows (the convention of
//! summary.xlsx's 明细 → 明细2, and the one the reader follows). Every writer
//! of the sample writes its tables through [`Table`], so none of them can
//! overflow Excel's 1,048,576 rows whatever the branch's size.
//!
//! Rows are handed out strictly in order, as constant-memory sheets need
//! (a write to a row already passed would be dropped silently).

use rust_xlsxwriter::{Workbook, Worksheet};

use super::{Formats, add_sheet, write_header};
use crate::ingest::continuation;
use crate::{Error, Result};

pub use crate::ingest::continuation::EXCEL_ROWS;

/// What a table's sheets look like above their data.
pub(crate) struct Layout<'a> {
    /// The first sheet's name; continuation sheets add 2, 3, ….
    pub name: &'a str,
    /// A bold title in A1 above the header, if any.
    pub title: Option<String>,
    /// The header, with each column's width.
    pub header: Vec<(&'a str, f64)>,
    /// Frozen rows and columns, if any.
    pub freeze: Option<(u32, u16)>,
}

impl<'a> Layout<'a> {
    /// A header in row 1 and nothing frozen.
    pub fn new(name: &'a str, header: Vec<(&'a str, f64)>) -> Self {
        Layout {
            name,
            title: None,
            header,
            freeze: None,
        }
    }

    pub fn title(mut self, title: String) -> Self {
        self.title = Some(title);
        self
    }

    pub fn freeze(mut self, rows: u32, cols: u16) -> Self {
        self.freeze = Some((rows, cols));
        self
    }

    /// Rows above the data: the title, if any, and the header.
    fn top(&self) -> u32 {
        u32::from(self.title.is_some()) + 1
    }
}

/// One table being written, sheet after sheet.
pub(crate) struct Table<'w> {
    workbook: &'w mut Workbook,
    layout: Layout<'w>,
    formats: &'w Formats,
    rows_per_sheet: u32,
    /// 1 for the first sheet, 2 for `<name>2`, ….
    part: u32,
    /// The workbook index of the sheet being written.
    index: usize,
    /// The next row of that sheet.
    next: u32,
}

impl<'w> Table<'w> {
    /// Start the table's first sheet (written even if no row follows).
    pub fn start(
        workbook: &'w mut Workbook,
        layout: Layout<'w>,
        formats: &'w Formats,
        rows_per_sheet: u32,
    ) -> Result<Self> {
        if rows_per_sheet <= layout.top() || rows_per_sheet > EXCEL_ROWS {
            return Err(Error::Usage(
                format!(
                    "sample: --rows-per-sheet must be between {} and {EXCEL_ROWS} for sheet `{}`",
                    layout.top() + 1,
                    layout.name
                )
                .into(),
            ));
        }
        let mut table = Table {
            workbook,
            layout,
            formats,
            rows_per_sheet,
            part: 0,
            index: 0,
            next: 0,
        };
        table.new_sheet()?;
        Ok(table)
    }

    fn new_sheet(&mut self) -> Result<()> {
        self.part += 1;
        let name = continuation::sheet_name(self.layout.name, self.part - 1);
        let sheet = add_sheet(self.workbook, &name)?;
        let mut row = 0;
        if let Some(title) = &self.layout.title {
            sheet.write_string_with_format(0, 0, title, &self.formats.title)?;
            row = 1;
        }
        write_header(sheet, row, &self.layout.header, self.formats)?;
        if let Some((r, c)) = self.layout.freeze {
            sheet.set_freeze_panes(r, c)?;
        }
        self.index = self.workbook.worksheets().len() - 1;
        self.next = self.layout.top();
        Ok(())
    }

    /// The sheet and row to write the next data row into, on a new
    /// continuation sheet when the current one is full.
    pub fn row(&mut self) -> Result<(&mut Worksheet, u32)> {
        if self.next >= self.rows_per_sheet {
            self.new_sheet()?;
        }
        let row = self.next;
        self.next += 1;
        let sheet = self.workbook.worksheet_from_index(self.index)?;
        Ok((sheet, row))
    }

    /// Sheets written so far.
    #[cfg(test)]
    pub fn sheets(&self) -> u32 {
        self.part
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(workbook: &mut Workbook) -> Vec<String> {
        workbook
            .worksheets()
            .iter()
            .map(|s| s.name().to_string())
            .collect()
    }

    #[test]
    fn a_table_continues_on_numbered_sheets_with_the_same_header() {
        let formats = Formats::new();
        let mut workbook = Workbook::new();
        // 4 rows per sheet: the header and 3 data rows; 7 rows need 3 sheets.
        let layout = Layout::new("日行事例", vec![("工号", 10.0)]);
        let mut t = Table::start(&mut workbook, layout, &formats, 4).expect("start");
        let mut at = Vec::new();
        for _ in 0..7 {
            let (_, row) = t.row().expect("row");
            at.push((t.sheets(), row));
        }
        assert_eq!(
            at,
            vec![(1, 1), (1, 2), (1, 3), (2, 1), (2, 2), (2, 3), (3, 1)]
        );
        assert_eq!(names(&mut workbook), ["日行事例", "日行事例2", "日行事例3"]);
    }

    #[test]
    fn a_title_row_is_repeated_and_counted() {
        let formats = Formats::new();
        let mut workbook = Workbook::new();
        let layout = Layout::new("客户经理", vec![("工号", 10.0)]).title("报表".into());
        let mut t = Table::start(&mut workbook, layout, &formats, 3).expect("start");
        let rows: Vec<u32> = (0..3).map(|_| t.row().expect("row").1).collect();
        // Title and header above one data row per sheet.
        assert_eq!(rows, [2, 2, 2]);
        assert_eq!(t.sheets(), 3);
    }

    #[test]
    fn a_limit_without_room_for_data_is_refused() {
        let formats = Formats::new();
        let mut workbook = Workbook::new();
        let layout = Layout::new("客户经理", vec![("工号", 10.0)]).title("报表".into());
        let err = Table::start(&mut workbook, layout, &formats, 2)
            .err()
            .expect("refused");
        assert!(err.to_string().contains("between 3 and"), "{err}");
    }

    #[test]
    fn an_empty_table_still_has_its_first_sheet() {
        let formats = Formats::new();
        let mut workbook = Workbook::new();
        let layout = Layout::new("项目", vec![("编号", 10.0)]);
        let t = Table::start(&mut workbook, layout, &formats, EXCEL_ROWS).expect("start");
        assert_eq!(t.sheets(), 1);
        assert_eq!(names(&mut workbook), ["项目"]);
    }
}
