//! `products.xlsx`: the product catalogue (`产品目录`: 产品编码, 产品名称,
//! 产品类别) and the products each group customer holds (`客户产品`: 客户编码,
//! 产品编码), for product penetration and the deepening lists.

use std::path::Path;

use super::rng::Rng;
use super::{Branch, Formats, add_sheet, new_workbook, save, write_header};
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
pub fn write(dir: &Path, branch: &Branch, seed: u64) -> Result<usize> {
    let mut rng = Rng::derive(seed, "products");
    let formats = Formats::new();
    let mut workbook = new_workbook()?;
    let sheet = add_sheet(&mut workbook, CATALOGUE_SHEET)?;
    write_header(
        sheet,
        0,
        &[("产品编码", 10.0), ("产品名称", 14.0), ("产品类别", 12.0)],
        &formats,
    )?;
    for (i, (code, name, kind, _)) in CATALOGUE.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_string(row, 0, *code)?;
        sheet.write_string(row, 1, *name)?;
        sheet.write_string(row, 2, *kind)?;
    }
    let sheet = add_sheet(&mut workbook, HOLDINGS_SHEET)?;
    write_header(
        sheet,
        0,
        &[("客户编码", 13.0), ("产品编码", 10.0), ("产品名称", 14.0)],
        &formats,
    )?;
    sheet.set_freeze_panes(1, 0)?;
    let mut row = 1u32;
    for c in &branch.customers {
        let mut any = false;
        for (i, (code, name, _, percent)) in CATALOGUE.iter().enumerate() {
            // Everyone holds at least the first product drawn for them.
            let last = i + 1 == CATALOGUE.len();
            if rng.chance(*percent) || (last && !any) {
                any = true;
                sheet.write_string(row, 0, &c.code)?;
                sheet.write_string(row, 1, *code)?;
                sheet.write_string(row, 2, *name)?;
                row += 1;
            }
        }
    }
    save(&mut workbook, dir, FILE)?;
    Ok(row as usize - 1)
}
