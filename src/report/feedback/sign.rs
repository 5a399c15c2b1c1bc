//! The signature and date lines that end a person's result sheet (issue
//! 16): the employee's and the team leader's, each a line to sign on and a
//! line for the date, printed with the result they confirm.

use super::*;
use rust_xlsxwriter::FormatBorder;

/// Write the lines from row `row`; returns the last row written. The
/// labels are sealed like every other text of the sheet (`collect` takes a
/// value in an unsealed cell for a change); the lines are blank cells.
pub(super) fn signature_lines(
    ws: &mut Worksheet,
    s: &mut Sealed,
    row: u32,
    lang: Lang,
) -> Result<u32> {
    let label = Format::new().set_bold();
    let line = Format::new().set_border_bottom(FormatBorder::Thin);
    let mut r = row;
    for who in [
        in_lang(lang, "员工签字", "Employee signature"),
        in_lang(lang, "班组长签字", "Team leader signature"),
    ] {
        s.text(ws, r, 0, who, Some(&label))?;
        ws.write_blank(r, 1, &line)?;
        s.text(ws, r, 2, in_lang(lang, "日期", "Date"), Some(&label))?;
        ws.write_blank(r, 3, &line)?;
        ws.write_blank(r, 4, &line)?;
        r += 2;
    }
    Ok(r - 2)
}
