//! `roster.xlsx`, sheet `花名册`: one row per employee, header in row 1.

use std::path::Path;

use super::table::{Layout, Table};
use super::{Branch, Formats, new_workbook, save};
use crate::Result;

pub const FILE: &str = "roster.xlsx";
pub const SHEET: &str = "花名册";
pub const HEADERS: [&str; 6] = ["工号", "姓名", "岗位", "班组", "部门", "入职日期"];

/// Write the roster; returns the number of data rows.
pub fn write(dir: &Path, branch: &Branch, rows: u32) -> Result<usize> {
    let formats = Formats::new();
    let mut workbook = new_workbook()?;
    let widths = [10.0, 10.0, 16.0, 18.0, 16.0, 12.0];
    let header: Vec<(&str, f64)> = HEADERS.iter().copied().zip(widths).collect();
    let layout = Layout::new(SHEET, header).freeze(1, 0);
    let mut table = Table::start(&mut workbook, layout, &formats, rows)?;
    for person in &branch.people {
        let (sheet, row) = table.row()?;
        let team = &branch.teams[person.team];
        sheet.write_string(row, 0, &person.id)?;
        sheet.write_string(row, 1, &person.name)?;
        sheet.write_string(row, 2, person.role.label())?;
        sheet.write_string(row, 3, &team.name)?;
        sheet.write_string(row, 4, team.department)?;
        sheet.write_date_with_format(row, 5, &person.hired.excel()?, &formats.date)?;
    }
    save(&mut workbook, dir, FILE)?;
    Ok(branch.people.len())
}
