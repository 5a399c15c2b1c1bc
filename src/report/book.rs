//! Workbook plumbing shared by every report: fixed document properties (so
//! the same run gives the same bytes), the formats, and column widths that
//! count a Chinese character as two columns (rust_xlsxwriter's autofit
//! undercounts them).

use crate::error::{Error, Result};
pub use crate::lang::in_lang;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
};

/// A decimal as the f64 Excel stores; exact values stay in the text columns.
pub fn to_f64(x: Decimal) -> f64 {
    x.to_f64().unwrap_or(0.0)
}

/// Points shown to two places, 四舍五入.
pub fn points(x: Decimal) -> Decimal {
    crate::score::round::round(x, Some(2), crate::config::RoundMode::HalfAwayFromZero)
}

/// A workbook dated `date` (y, m, d), not by the clock.
pub fn new_workbook(date: (i32, u32, u32), title: &str) -> Result<Workbook> {
    let (y, m, d) = date;
    let created = ExcelDateTime::from_ymd(y as u16, m as u8, d as u8)?;
    let mut wb = Workbook::new();
    // Deflate level 1: several times faster than the default 6 on large
    // sheets, for files about a third larger.
    wb.set_zip_compression_level(1);
    wb.set_properties(
        &DocProperties::new()
            .set_title(title)
            .set_author("appraise")
            .set_creation_datetime(&created),
    );
    Ok(wb)
}

/// A sheet of a workbook written once per person or team: its rows go to
/// a temporary file as they are written (rust_xlsxwriter's constant-memory
/// mode), so that saving starts no thread for it; rust_xlsxwriter assembles
/// every other sheet on a thread of its own, five threads a feedback
/// workbook. Such a sheet is written top to bottom: a cell written to a
/// row above the last row written would be dropped.
pub fn streamed_sheet(wb: &mut Workbook) -> Result<&mut Worksheet> {
    Ok(wb.add_worksheet_with_constant_memory()?)
}

/// Save a workbook through one buffer. rust_xlsxwriter's own `save` hands
/// the zip writer the bare file, which then makes a system call for every
/// header and chunk of every part: about 160 per feedback workbook. The
/// bytes written are the same.
pub fn save(wb: &mut Workbook, path: &std::path::Path) -> Result<()> {
    use std::io::Write;
    let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    let mut out = std::io::BufWriter::with_capacity(256 * 1024, file);
    wb.save_to_writer(&mut out).map_err(|e| {
        let advice = match &e {
            rust_xlsxwriter::XlsxError::TempFileError(..) => crate::lang::Text::same(""),
            _ => crate::lang::Text::new(
                "；请检查输出所在的磁盘是否有空间且可写",
                "; check that the disk holding the output has room and can be written",
            ),
        };
        let message = match Error::from(e) {
            Error::Other(m) => m,
            other => crate::lang::Text::same(other.to_string()),
        };
        let path = path.display();
        Error::Other(message.then(&advice).map(|m| format!("{path}: {m}")))
    })?;
    out.flush().map_err(|e| {
        let path = path.display();
        Error::Other(crate::t!(
            "{path}：无法保存工作簿（{e}）；请检查输出所在的磁盘是否有空间且可写",
            "{path}: cannot save the workbook ({e}); check that the disk holding the output has room and can be written"
        ))
    })
}

/// Build and save the workbook at `path` with `f`, a write failure inside
/// the workbook library (which panics when a sheet's temporary file cannot
/// be written, e.g. TMPDIR is full) made an error naming the workbook and
/// TMPDIR (issue 15). Any other panic goes on.
pub fn guarded<T>(path: &std::path::Path, f: impl FnOnce() -> Result<T>) -> Result<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => match crate::error::write_failure(&*payload) {
            Some(m) => Err(Error::Other(m.map(|m| format!("{}: {m}", path.display())))),
            None => std::panic::resume_unwind(payload),
        },
    }
}

/// Display width of text in Excel columns: CJK and full-width characters
/// count double (Unicode's East Asian Width, as a terminal counts them);
/// a line break starts a new line, so the widest line counts.
pub fn text_width(s: &str) -> usize {
    use unicode_width::UnicodeWidthChar;
    s.split('\n')
        .map(|line| line.chars().map(|c| c.width().unwrap_or(0)).sum())
        .max()
        .unwrap_or(0)
}

/// The formats of the reports. Every format summary.xlsx uses is here, so
/// that [`Formats::all`] can number them all before its sheets are filled at
/// once ([`super::sheets`]).
pub struct Formats {
    pub header: Format,
    pub pct: Format,
    pub num: Format,
    pub num4: Format,
    pub bold: Format,
    pub warn: Format,
    /// A rate marked as a warning (a checkpoint attainment below 1).
    pub warn_pct: Format,
    pub date: Format,
    /// One per grade, best first (the last repeats for longer scales).
    pub grades: Vec<Format>,
    /// Long text (notes) wrapped within its column, at the top of its cell.
    pub wrap: Format,
}

/// The grades' fill colours, best first (the last repeats for longer
/// scales): in 汇总's cells and in 分布's chart.
pub const GRADE_COLOURS: [u32; 5] = [0xC6EFCE, 0xDDEBF7, 0xFFF2CC, 0xFCE4D6, 0xFFC7CE];

/// The fill colour of grade `index` ([`GRADE_COLOURS`]).
pub fn grade_colour(index: usize) -> u32 {
    GRADE_COLOURS[index.min(GRADE_COLOURS.len() - 1)]
}

impl Formats {
    pub fn new() -> Self {
        let header = Format::new()
            .set_bold()
            .set_background_color(Color::RGB(0xDDEBF7))
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_text_wrap();
        let grade = |bg: u32| {
            Format::new()
                .set_background_color(Color::RGB(bg))
                .set_align(FormatAlign::Center)
                .set_bold()
        };
        let warn = Format::new()
            .set_background_color(Color::RGB(0xFFC7CE))
            .set_font_color(Color::RGB(0x9C0006));
        Formats {
            header,
            pct: Format::new().set_num_format("0.00%"),
            num: Format::new().set_num_format("0.00"),
            num4: Format::new().set_num_format("0.0000"),
            bold: Format::new().set_bold(),
            warn_pct: warn.clone().set_num_format("0.00%"),
            warn,
            date: Format::new().set_num_format("yyyy-mm-dd"),
            grades: GRADE_COLOURS.iter().map(|c| grade(*c)).collect(),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
        }
    }

    pub fn grade(&self, index: usize) -> &Format {
        &self.grades[index.min(self.grades.len() - 1)]
    }

    /// Every format, in a fixed order: the order in which a workbook
    /// numbers them when they are registered up front.
    pub fn all(&self) -> Vec<&Format> {
        let mut all = vec![&self.header, &self.num];
        all.extend(&self.grades);
        all.extend([
            &self.pct,
            &self.num4,
            &self.warn,
            &self.bold,
            &self.warn_pct,
            &self.date,
            &self.wrap,
        ]);
        all
    }
}

impl Default for Formats {
    fn default() -> Self {
        Self::new()
    }
}

/// Column widths measured while writing, applied at the end.
pub struct Widths {
    seen: Vec<usize>,
    /// Columns given a width of their own ([`Widths::fix`]).
    fixed: Vec<(u16, f64)>,
}

impl Widths {
    pub fn new() -> Self {
        Widths {
            seen: Vec::new(),
            fixed: Vec::new(),
        }
    }

    pub fn see(&mut self, col: u16, text: &str) {
        let c = col as usize;
        if self.seen.len() <= c {
            self.seen.resize(c + 1, 0);
        }
        self.seen[c] = self.seen[c].max(text_width(text));
    }

    /// Give column `col` the width `chars`, whatever was seen in it.
    pub fn fix(&mut self, col: u16, chars: f64) {
        self.fixed.retain(|(c, _)| *c != col);
        self.fixed.push((col, chars));
        if self.seen.len() <= col as usize {
            self.seen.resize(col as usize + 1, 0);
        }
    }

    /// Take in the widths seen on another part of the same table.
    pub fn merge(&mut self, other: &Widths) {
        if self.seen.len() < other.seen.len() {
            self.seen.resize(other.seen.len(), 0);
        }
        for (w, o) in self.seen.iter_mut().zip(&other.seen) {
            *w = (*w).max(*o);
        }
        for (c, w) in &other.fixed {
            self.fix(*c, *w);
        }
    }

    /// The width each column is given, in characters, in order: its
    /// widest text and two more (within 6..=60), or its fixed width.
    pub fn columns(&self) -> Vec<f64> {
        self.seen
            .iter()
            .enumerate()
            .map(|(c, w)| {
                self.fixed
                    .iter()
                    .find(|(f, _)| usize::from(*f) == c)
                    .map_or(((*w).clamp(4, 58) + 2) as f64, |(_, w)| *w)
            })
            .collect()
    }

    /// Set each column to its width ([`Widths::columns`]).
    pub fn apply(&self, ws: &mut Worksheet) -> Result<()> {
        for (c, w) in self.columns().into_iter().enumerate() {
            ws.set_column_width(c as u16, w)?;
        }
        Ok(())
    }
}

impl Default for Widths {
    fn default() -> Self {
        Self::new()
    }
}

/// Give table columns their number format once. A cell written without a
/// format takes its column's, so the rows cost no format lookups:
/// rust_xlsxwriter hashes the whole `Format` at every formatted write, and
/// at a province's scale that is millions of hashes. Columns so formatted
/// must be written without a format (or with one that differs on purpose,
/// such as a warning); a new row typed into the table takes the format too.
pub fn column_formats(ws: &mut Worksheet, cols: &[(u16, &Format)]) -> Result<()> {
    for (c, f) in cols {
        ws.set_column_format(*c, f)?;
    }
    Ok(())
}

/// Write a header row, frozen, with filters, measuring widths.
pub fn header(
    ws: &mut Worksheet,
    row: u32,
    labels: &[String],
    f: &Formats,
    widths: &mut Widths,
) -> Result<()> {
    for (c, h) in labels.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, h, &f.header)?;
        widths.see(c as u16, h);
    }
    ws.set_freeze_panes(row + 1, 0)?;
    if !labels.is_empty() {
        ws.autofilter(row, 0, row, labels.len() as u16 - 1)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_counts_double() {
        assert_eq!(text_width("工号"), 4);
        assert_eq!(text_width("HF00001"), 7);
        assert_eq!(text_width("集团收入(万元)"), 6 * 2 + 2);
        // Full-width punctuation counts double too (issue 16).
        assert_eq!(
            text_width("信息化项目签约额（对账后，70%分成）"),
            16 * 2 + 3
        );
        // Full-width punctuation and the middle dot of 岗位·指标 headers.
        assert_eq!(text_width("收入（万元）"), 12);
        assert_eq!(text_width("客户经理·收入"), 4 * 2 + 1 + 2 * 2);
        assert_eq!(text_width("收入完成率\n（加权得分）"), 12);
    }
}
