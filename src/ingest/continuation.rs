//! Continuation sheets: a table too long for one sheet (Excel holds
//! 1,048,576 rows) goes on in sheets named `<sheet>2`, `<sheet>3`, …, each
//! starting with the same header row. The reader takes them, in order and
//! as long as the numbering is consecutive, as more rows of the same table.
//!
//! So that every row still names its own cell without widening [`Row`], a
//! row of the k-th continuation sheet (k = 1 for `<sheet>2`) is numbered
//! `k << 20 | row`: Excel rows are below 2^20, so the first sheet's numbers
//! are unchanged and [`Table::origin`] gives back the sheet and the row.
//!
//! [`Row`]: super::Row
//! [`Table::origin`]: super::Table::origin

use super::cell_text::{key_text, normalise_header};
use crate::error::{Origin, Problem};
use calamine::Data;
use std::sync::Arc;

/// Rows in one Excel sheet, the header included: where a table continues.
pub const EXCEL_ROWS: u32 = 1_048_576;

/// Bits of a row number that hold the row within its sheet.
pub const SHIFT: u32 = 20;

/// The continuation sheets of `sheet` among `names`: `<sheet>2`, `<sheet>3`,
/// … up to the first number missing. None for a name ending in a digit,
/// where `Sheet1` + `2` would be `Sheet12`.
pub fn sheets(names: &[String], sheet: &str) -> Vec<String> {
    if sheet.is_empty() || sheet.ends_with(|c: char| c.is_ascii_digit()) {
        return Vec::new();
    }
    (2..)
        .map(|k| format!("{sheet}{k}"))
        .take_while(|n| names.iter().any(|x| x == n))
        .collect()
}

/// A row number of continuation sheet `part` (0: the first sheet).
pub fn number(part: u32, row: u32) -> u32 {
    (part << SHIFT) | row
}

/// The sheet part (0: the first sheet) and the row within it.
pub fn split(row: u32) -> (u32, u32) {
    (row >> SHIFT, row & ((1 << SHIFT) - 1))
}

/// The name of part `part` of `sheet`: `sheet` itself, then `<sheet>2`, ….
pub fn sheet_name(sheet: &str, part: u32) -> String {
    if part == 0 {
        sheet.to_string()
    } else {
        format!("{sheet}{}", part + 1)
    }
}

/// Checks a continuation sheet's header row against the first sheet's.
pub struct Header<'a> {
    file: &'a Arc<str>,
    first: &'a str,
    sheet: &'a Arc<str>,
    /// 0-based header row.
    row: u32,
    /// The first sheet's header row: its first column and cells.
    expected: &'a (u32, Vec<Data>),
    /// None until the header row (or a row below it) is seen.
    good: Option<bool>,
}

impl<'a> Header<'a> {
    pub fn new(
        file: &'a Arc<str>,
        first: &'a str,
        sheet: &'a Arc<str>,
        row: u32,
        expected: &'a (u32, Vec<Data>),
    ) -> Self {
        Header {
            file,
            first,
            sheet,
            row,
            expected,
            good: None,
        }
    }

    /// Whether the rows of this sheet are to be read: `r`, `c0` and `cells`
    /// are a row as it comes. Rows above the header are skipped, the header
    /// is compared (a difference is a problem, and the sheet is then not
    /// read), rows below it are read if the header is good.
    pub fn read(&mut self, r: u32, c0: u32, cells: &[Data], problems: &mut Vec<Problem>) -> bool {
        if r < self.row {
            return false;
        }
        if self.good.is_none() {
            let here = if r == self.row { cells } else { &[] };
            let good = match self.difference(c0, here) {
                None => true,
                Some(p) => {
                    problems.push(p);
                    false
                }
            };
            self.good = Some(good);
            if r == self.row {
                return false;
            }
        }
        self.good == Some(true)
    }

    /// The first column whose header differs, as a problem.
    fn difference(&self, c0: u32, cells: &[Data]) -> Option<Problem> {
        let (e0, expected) = self.expected;
        let text = |c0: u32, cells: &[Data], c: u32| -> String {
            c.checked_sub(c0)
                .and_then(|i| cells.get(i as usize))
                .and_then(key_text)
                .unwrap_or_default()
        };
        let (from, to) = if cells.is_empty() {
            (*e0, *e0 + expected.len() as u32)
        } else {
            (
                c0.min(*e0),
                (c0 + cells.len() as u32).max(*e0 + expected.len() as u32),
            )
        };
        let col = (from..to).find(|&c| {
            normalise_header(&text(c0, cells, c)) != normalise_header(&text(*e0, expected, c))
        })?;
        let (found, wanted) = (text(c0, cells, col), text(*e0, expected, col));
        let at = crate::error::cell_name(self.row, col);
        let shown = |t: &str| {
            if t.is_empty() {
                "nothing".to_string()
            } else {
                format!("`{t}`")
            }
        };
        let origin = Origin {
            file: self.file.clone(),
            sheet: self.sheet.clone(),
            row: self.row,
            col,
        };
        Some(
            Problem::at_cell(
                &origin,
                crate::t!(
                    "该表接续表 `{first}` 的表格，但它这里的表头是 {}，而 `{first}` 在 {at} 处是 {}",
                    "this sheet continues the table of sheet `{first}`, but its header here is {} where `{first}` has {} in {at}",
                    shown(&found),
                    shown(&wanted),
                    first = self.first,
                ),
            )
            .help(crate::t!(
                "名为 `{sheet}` 的表会被当作 `{first}` 的后续行读取：给它相同的表头行（第 {} 行）且列位置相同；若它是另一张表，请改名",
                "a sheet named `{sheet}` is read as more rows of `{first}`: give it the same header row (row {}) in the same columns, or rename it if it holds another table",
                self.row + 1,
                sheet = self.sheet,
                first = self.first,
            )),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn only_consecutive_numbers_continue_a_sheet() {
        let all = names(&["日行事例", "日行事例2", "日行事例3", "日行事例5", "其他"]);
        assert_eq!(sheets(&all, "日行事例"), ["日行事例2", "日行事例3"]);
        assert!(sheets(&all, "其他").is_empty());
        assert!(sheets(&names(&["明细", "明细3"]), "明细").is_empty());
    }

    #[test]
    fn a_name_ending_in_a_digit_has_no_continuations() {
        let all = names(&["Sheet1", "Sheet12", "Sheet13"]);
        assert!(sheets(&all, "Sheet1").is_empty());
    }

    #[test]
    fn row_numbers_carry_their_sheet() {
        assert_eq!(split(number(0, 1_048_575)), (0, 1_048_575));
        assert_eq!(split(number(3, 17)), (3, 17));
        assert_eq!(number(1, 0), 1_048_576);
        assert_eq!(sheet_name("日行事例", 0), "日行事例");
        assert_eq!(sheet_name("日行事例", 2), "日行事例3");
    }

    fn header(cells: &[&str]) -> Vec<Data> {
        cells.iter().map(|s| Data::String(s.to_string())).collect()
    }

    #[test]
    fn a_header_that_differs_is_reported_at_its_cell() {
        let file: Arc<str> = Arc::from("in/daily_log.xlsx");
        let sheet: Arc<str> = Arc::from("日行事例2");
        let expected = (0, header(&["工号", "日期", "计划走访"]));
        let mut h = Header::new(&file, "日行事例", &sheet, 0, &expected);
        let mut problems = Vec::new();
        assert!(!h.read(0, 0, &header(&["工号", "日期", "计划"]), &mut problems));
        assert!(!h.read(1, 0, &header(&["HF00001"]), &mut problems));
        assert_eq!(problems.len(), 1);
        let p = problems[0].to_string();
        assert!(p.contains("[日行事例2]!C1"), "{p}");
        assert!(
            p.contains("`计划` where `日行事例` has `计划走访` in C1"),
            "{p}"
        );
    }

    #[test]
    fn a_matching_header_lets_the_rows_through() {
        let file: Arc<str> = Arc::from("boss.xlsx");
        let sheet: Arc<str> = Arc::from("客户经理2");
        // Header in row 2 under a title; full-width brackets match.
        let expected = (0, header(&["工号", "收入(万元)"]));
        let mut h = Header::new(&file, "客户经理", &sheet, 1, &expected);
        let mut problems = Vec::new();
        assert!(!h.read(0, 0, &header(&["2024年三季度 报表"]), &mut problems));
        assert!(!h.read(1, 0, &header(&["工号", "收入（万元）"]), &mut problems));
        assert!(h.read(2, 0, &header(&["HF00001"]), &mut problems));
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn a_missing_header_row_is_reported() {
        let file: Arc<str> = Arc::from("x.xlsx");
        let sheet: Arc<str> = Arc::from("表2");
        let expected = (1, header(&["工号"]));
        let mut h = Header::new(&file, "表", &sheet, 0, &expected);
        let mut problems = Vec::new();
        assert!(!h.read(3, 1, &header(&["HF00001"]), &mut problems));
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].to_string().contains("[表2]!B1"),
            "{}",
            problems[0]
        );
    }
}
