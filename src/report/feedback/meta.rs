//! The hidden sheet that seals the result: its digest, the sealed cells and where the answers are.

use super::*;

pub(super) fn meta_sheet(
    wb: &mut Workbook,
    ctx: &Context,
    e: &Employee,
    s: Sealed,
    answers: &answer::AnswerRows,
) -> Result<()> {
    let lang = ctx.info.lang;
    let ws = book::streamed_sheet(wb)?;
    ws.set_name(labels::META_SHEET)?;
    let refs = s.refs;
    let seal = s.seal.finish();
    let rows: [(&str, String); 10] = [
        ("format", labels::META_FORMAT.to_string()),
        ("run_id", ctx.info.run_id.clone()),
        ("employee", e.id.clone()),
        ("digest", seal),
        ("result_sheet", labels::result_sheet(lang).to_string()),
        ("sealed_cells", refs),
        ("answer_sheet", labels::answer_sheet(lang).to_string()),
        ("kpis", answers.kpis.join(",")),
        ("kpi_row", answers.kpi_row.to_string()),
        ("overall_row", answers.overall_row.to_string()),
    ];
    for (r, (k, v)) in rows.iter().enumerate() {
        ws.write_string(r as u32, 0, *k)?;
        ws.write_string(r as u32, 1, v)?;
    }
    // Hidden, but printed like any sheet should someone show it.
    print_of(ctx).table(
        ws,
        &crate::report::print::Table {
            widths: vec![14.0, 60.0],
            titles: None,
            gridlines: true,
        },
    )?;
    ws.protect();
    ws.set_hidden(true);
    Ok(())
}
