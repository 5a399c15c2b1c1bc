//! `customers.xlsx`, sheet `集团客户`: the group customers and their account
//! managers, header in row 1.

use std::path::Path;

use super::table::{Layout, Table};
use super::{Branch, Formats, new_workbook, save};
use crate::Result;

pub const FILE: &str = "customers.xlsx";
pub const SHEET: &str = "集团客户";
pub const HEADERS: [&str; 7] = [
    "客户编码",
    "客户名称",
    "行业",
    "客户经理工号",
    "成员数",
    "关键人",
    "合同到期日",
];

/// Write the customers; returns the number of data rows.
pub fn write(dir: &Path, branch: &Branch, rows: u32) -> Result<usize> {
    let formats = Formats::new();
    let mut workbook = new_workbook()?;
    let widths = [13.0, 36.0, 10.0, 13.0, 8.0, 10.0, 12.0];
    let header: Vec<(&str, f64)> = HEADERS.iter().copied().zip(widths).collect();
    let layout = Layout::new(SHEET, header).freeze(1, 0);
    let mut table = Table::start(&mut workbook, layout, &formats, rows)?;
    for c in &branch.customers {
        let (sheet, row) = table.row()?;
        sheet.write_string(row, 0, &c.code)?;
        sheet.write_string(row, 1, &c.name)?;
        sheet.write_string(row, 2, c.industry)?;
        sheet.write_string(row, 3, &branch.people[c.account_manager].id)?;
        sheet.write_number(row, 4, c.members)?;
        sheet.write_string(row, 5, &c.key_person)?;
        sheet.write_date_with_format(row, 6, &c.contract_end.excel()?, &formats.date)?;
    }
    save(&mut workbook, dir, FILE)?;
    Ok(branch.customers.len())
}
