//! How every sheet of every workbook prints (issue 16): on A4, turned by
//! its shape (a table wider than a portrait page prints landscape), fit to
//! one page wide with as many pages down as it takes, its header rows
//! repeated on every page, a header naming the period and the sheet, a
//! footer "第 N 页 / 共 M 页", narrow margins and gridlines where it is a
//! table. A person's result sheet (考核结果确认单) is a form, laid out page
//! by page ([`Print::form`]): at most two pages, its table and its chart
//! each whole on one.
//!
//! Sizes are Excel's: a column `w` characters wide is `7w + 5` pixels (the
//! widest digit of Calibri 11 is 7 pixels), 96 pixels an inch. A row is 20
//! pixels in Excel, but a row of Chinese text is taller where the Chinese
//! glyphs come from another font (LibreOffice sets such rows about a third
//! taller): a form is laid out with rows of [`FORM_ROW_PX`].

use crate::error::Result;
use crate::lang::{Lang, in_lang};
use rust_xlsxwriter::Worksheet;

/// A4 in Excel's paper sizes.
const A4: u8 = 9;
/// A4 in inches.
const A4_SHORT: f64 = 8.27;
const A4_LONG: f64 = 11.69;
/// Margins in inches: left and right, top and bottom, header and footer.
const SIDE: f64 = 0.4;
const TOP: f64 = 0.7;
const HEADER: f64 = 0.3;
/// Pixels an inch.
const DPI: f64 = 96.0;
/// A form's rows as laid out: a third taller than Excel's, for Chinese text.
pub const FORM_ROW_PX: f64 = 27.0;
/// Room left for fonts that set a little wider than Excel's (LibreOffice
/// substitutes Carlito for Calibri): a form is laid out in 94 % of a page.
const SLACK: f64 = 0.94;

/// The pixels of a column `chars` characters wide.
pub fn column_px(chars: f64) -> f64 {
    (7.0 * chars + 5.0).floor()
}

/// The page a sheet prints on: its printable width and height in pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Page {
    pub landscape: bool,
    pub width: f64,
    pub height: f64,
}

impl Page {
    fn new(landscape: bool) -> Page {
        let (w, h) = if landscape {
            (A4_LONG, A4_SHORT)
        } else {
            (A4_SHORT, A4_LONG)
        };
        Page {
            landscape,
            width: (w - 2.0 * SIDE) * DPI,
            height: (h - 2.0 * TOP) * DPI,
        }
    }

    /// Portrait when `width_px` of columns fit a portrait page, else landscape.
    pub fn for_width(width_px: f64) -> Page {
        let portrait = Page::new(false);
        if width_px <= portrait.width {
            portrait
        } else {
            Page::new(true)
        }
    }
}

/// What a sheet is, for printing.
pub struct Table {
    /// The columns' widths in characters, in order.
    pub widths: Vec<f64>,
    /// The header rows repeated at the top of every page.
    pub titles: Option<(u32, u32)>,
    /// Gridlines printed: a table's cells, not a form's or a note's.
    pub gridlines: bool,
}

/// A form laid out page by page: everything from row 0 to `last_row`,
/// with a block (a chart, the signatures) that must not be split starting
/// at `block_row`.
pub struct Form {
    pub widths: Vec<f64>,
    /// The first row of the part kept whole on the last page.
    pub block_row: u32,
    /// The last row used, the block's included.
    pub last_row: u32,
}

/// The print settings of one workbook: its period and language.
#[derive(Debug, Clone)]
pub struct Print {
    period: String,
    lang: Lang,
}

/// `&` starts a code in a header; a literal one is doubled.
fn escaped(s: &str) -> String {
    s.replace('&', "&&")
}

impl Print {
    pub fn new(period: &str, lang: Lang) -> Print {
        Print {
            period: period.to_string(),
            lang,
        }
    }

    /// The header (the period left, the sheet's name right) and the footer
    /// (page N of M, centred).
    fn header_footer(&self, ws: &mut Worksheet) {
        let period = escaped(&self.period);
        let label = in_lang(self.lang, "考核周期", "Period");
        ws.set_header(format!("&L{label} {period}&R&A"));
        ws.set_footer(in_lang(
            self.lang,
            "&C第 &P 页 / 共 &N 页",
            "&CPage &P of &N",
        ));
    }

    fn common(&self, ws: &mut Worksheet, page: Page) {
        ws.set_paper_size(A4);
        if page.landscape {
            ws.set_landscape();
        } else {
            ws.set_portrait();
        }
        ws.set_margins(SIDE, SIDE, TOP, TOP, HEADER, HEADER);
        self.header_footer(ws);
    }

    /// A table: turned by its width, fit to one page wide and as many
    /// down as it takes, its header rows on every page.
    pub fn table(&self, ws: &mut Worksheet, t: &Table) -> Result<Page> {
        let width: f64 = t.widths.iter().map(|w| column_px(*w)).sum();
        let page = Page::for_width(width);
        self.common(ws, page);
        ws.set_print_fit_to_pages(1, 0);
        ws.set_print_gridlines(t.gridlines);
        if let Some((first, last)) = t.titles {
            ws.set_repeat_rows(first, last)?;
        }
        Ok(page)
    }

    /// A form of at most two pages: fit to one page wide and to one page
    /// tall when the whole fits on one at about the scale that width
    /// takes (the chart cannot be split then), else to two pages tall with
    /// a page break before the block (from `block_row` on: the chart and
    /// the signatures). Fit to pages, not a scale of its own: the
    /// renderer measures the columns in its own font (LibreOffice without
    /// Calibri or Carlito sets a column a quarter wider than Excel), and a
    /// scale worked out here would spill over a second page across. Excel
    /// and LibreOffice may ignore the page break on a sheet fit to pages;
    /// the page count holds either way.
    pub fn form(&self, ws: &mut Worksheet, f: &Form) -> Result<Layout> {
        let l = layout(f);
        self.common(ws, l.page);
        ws.set_print_fit_to_pages(1, l.pages() as u16);
        // Only the form's own columns: a long text in the last column would
        // otherwise run on to a page of its own (LibreOffice prints what
        // overflows into the empty cells to the right).
        let last_col = f.widths.len().saturating_sub(1) as u16;
        ws.set_print_area(0, 0, f.last_row, last_col)?;
        if let Some(b) = l.page_break {
            ws.set_page_breaks(&[b])?;
        }
        Ok(l)
    }
}

/// How a form prints: its page, the scale it is laid out at (percent, by
/// Excel's measures) and the row that starts its second page, if it has
/// one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Layout {
    pub page: Page,
    pub scale: u16,
    pub page_break: Option<u32>,
}

impl Layout {
    pub fn pages(&self) -> u32 {
        1 + u32::from(self.page_break.is_some())
    }
}

/// The largest scale (10 %–100 %) at which `px` fits in `room` pixels.
fn fit(px: f64, room: f64) -> f64 {
    if px <= 0.0 {
        1.0
    } else {
        (room * SLACK / px).clamp(0.1, 1.0)
    }
}

/// Lay out a form ([`Print::form`]).
pub fn layout(f: &Form) -> Layout {
    let width: f64 = f.widths.iter().map(|w| column_px(*w)).sum();
    let page = Page::for_width(width);
    let rows_px = |from: u32, to: u32| f64::from(to.saturating_sub(from) + 1) * FORM_ROW_PX;
    let across = fit(width, page.width);
    let whole = rows_px(0, f.last_row);
    let (scale, page_break) = if fit(whole, page.height) >= across {
        (across, None)
    } else {
        let first = rows_px(0, f.block_row.saturating_sub(1));
        let second = rows_px(f.block_row, f.last_row);
        let s = across
            .min(fit(first, page.height))
            .min(fit(second, page.height));
        (s, Some(f.block_row))
    };
    Layout {
        page,
        scale: (scale * 100.0).floor() as u16,
        page_break,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_narrow_table_prints_portrait_and_a_wide_one_landscape() {
        assert!(!Page::for_width(column_px(12.0) * 6.0).landscape);
        assert!(Page::for_width(column_px(12.0) * 12.0).landscape);
    }

    #[test]
    fn a_short_form_is_one_page_and_a_long_one_breaks_before_its_block() {
        let widths = vec![20.0; 8];
        let short = layout(&Form {
            widths: widths.clone(),
            block_row: 12,
            last_row: 20,
        });
        assert_eq!(short.page_break, None);
        assert!(short.page.landscape);
        let long = layout(&Form {
            widths,
            block_row: 40,
            last_row: 62,
        });
        assert_eq!(long.page_break, Some(40));
        // 40 rows in 94 % of a landscape page's height.
        let first = 40.0 * FORM_ROW_PX * f64::from(long.scale) / 100.0;
        assert!(first <= long.page.height * SLACK, "{long:?}");
        assert_eq!(long.pages(), 2);
    }
}
