//! `上级评语` (the manager's comments sheet).

use super::*;

pub(super) fn comments_sheet(
    wb: &mut Workbook,
    ctx: &Context,
    p: &PersonOutcome,
    e: &Employee,
    role: &Role,
    fm: &Formats,
) -> Result<()> {
    let lang = ctx.info.lang;
    let ws = book::streamed_sheet(wb)?;
    ws.set_name(labels::comments_sheet(lang))?;
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let title = format!(
        "{} {}",
        e.name,
        in_lang(lang, "上级评语", "manager's comments")
    );
    ws.write_string_with_format(0, 0, &title, &Format::new().set_bold().set_font_size(14))?;
    ws.set_column_width(0, 18)?;
    ws.set_column_width(1, 80)?;
    match ctx.inputs.comments.get(&p.emp) {
        None => {
            ws.write_string(
                2,
                0,
                in_lang(
                    lang,
                    "上级尚未填写评语。",
                    "No comments from the manager yet.",
                ),
            )?;
        }
        Some(c) => {
            let mut r = 2;
            for (label, v) in [
                (in_lang(lang, "主要优点", "Strengths"), &c.strengths),
                (in_lang(lang, "待改进", "To improve"), &c.improve),
                (in_lang(lang, "下期计划", "Next period plan"), &c.plan),
            ] {
                ws.write_string_with_format(r, 0, label, &fm.bold)?;
                ws.write_string_with_format(r, 1, v, &wrap)?;
                r += 1;
            }
            if !c.kpis.is_empty() {
                r += 1;
                ws.write_string_with_format(r, 0, in_lang(lang, "指标", "KPI"), &fm.header)?;
                ws.write_string_with_format(
                    r,
                    1,
                    in_lang(lang, "上级评语", "Comment"),
                    &fm.header,
                )?;
                r += 1;
                for (k, text) in &c.kpis {
                    ws.write_string(r, 0, &role.kpis[*k].name)?;
                    ws.write_string_with_format(r, 1, text, &wrap)?;
                    r += 1;
                }
            }
        }
    }
    print_of(ctx).table(
        ws,
        &crate::report::print::Table {
            widths: vec![18.0, 80.0],
            titles: None,
            gridlines: false,
        },
    )?;
    ws.protect();
    Ok(())
}
