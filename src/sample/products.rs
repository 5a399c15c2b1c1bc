//! `products.xlsx`: the product catalogue (`产品目录`: 产品编码, 产品名称,
//! 产品类别) and the products each group customer holds (`客户产品`: 客户编码,
//! 产品编码), for product penetration and the deepening lists.

use std::path::Path;

use super::rng::Rng;
use super::table::{Layout, Table};
use super::{Branch, Formats, new_workbook, save};
use crate::Result;

pub const FILE: &str = "products.xlsx";
pub const CATALOGUE_SHEET: &str = "产品目录";
pub const HOLDINGS_SHEET: &str = "客户产品";

/// (code, name, category, percent of customers holding it).
pub const CATALOGUE: &[(&str, &str, &str, u64)] = &[
    ("P01", "集团V网", "基础通信", 70),
    ("P02", "互联网专线", "基础通信", 50),
    ("P03", "企业宽带", "基础通信", 45),
    ("P04", "移动办公", "信息化", 30),
    ("P05", "云视讯", "信息化", 20),
    ("P06", "物联网卡", "物联网", 20),
    ("P07", "和对讲", "信息化", 10),
    ("P08", "移动云主机", "云计算", 10),
];

/// Write the catalogue and the holdings; returns the number of holdings.
pub fn write(dir: &Path, branch: &Branch, seed: u64, rows: u32) -> Result<usize> {
    let mut rng = Rng::derive(seed, "products");
    let formats = Formats::new();
    let mut workbook = new_workbook()?;
    let layout = Layout::new(
        CATALOGUE_SHEET,
        vec![("产品编码", 10.0), ("产品名称", 14.0), ("产品类别", 12.0)],
    );
    let mut table = Table::start(&mut workbook, layout, &formats, rows)?;
    for (code, name, kind, _) in CATALOGUE {
        let (sheet, row) = table.row()?;
        sheet.write_string(row, 0, *code)?;
        sheet.write_string(row, 1, *name)?;
        sheet.write_string(row, 2, *kind)?;
    }
    let layout = Layout::new(
        HOLDINGS_SHEET,
        vec![("客户编码", 13.0), ("产品编码", 10.0), ("产品名称", 14.0)],
    )
    .freeze(1, 0);
    let mut table = Table::start(&mut workbook, layout, &formats, rows)?;
    let mut written = 0;
    for c in &branch.customers {
        let mut any = false;
        for (i, (code, name, _, percent)) in CATALOGUE.iter().enumerate() {
            // Everyone holds at least the first product drawn for them.
            let last = i + 1 == CATALOGUE.len();
            if rng.chance(*percent) || (last && !any) {
                any = true;
                let (sheet, row) = table.row()?;
                sheet.write_string(row, 0, &c.code)?;
                sheet.write_string(row, 1, *code)?;
                sheet.write_string(row, 2, *name)?;
                written += 1;
            }
        }
    }
    save(&mut workbook, dir, FILE)?;
    Ok(written)
}
