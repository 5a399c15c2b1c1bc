//! `员工反馈` (the answer sheet): unlocked cells with dropdowns on a protected sheet.

use super::*;

/// Writes `员工反馈`; returns the KPI ids in the order of their rows.
#[allow(clippy::too_many_arguments)]
pub(super) fn answer_sheet(
    wb: &mut Workbook,
    kpis: &[&KpiScore],
    e: &Employee,
    role: &Role,
    lang: Lang,
    fm: &Formats,
    appeal_by: Option<chrono::NaiveDate>,
    print: &crate::report::print::Print,
) -> Result<Vec<String>> {
    let ws = book::streamed_sheet(wb)?;
    ws.set_name(labels::answer_sheet(lang))?;
    let input = Format::new()
        .set_unlocked()
        .set_background_color(Color::RGB(0xFFF2CC))
        .set_text_wrap()
        .set_border(rust_xlsxwriter::FormatBorder::Thin);
    let date_input = input.clone().set_num_format("yyyy-mm-dd");
    let title = format!(
        "{} {}（{}）",
        e.name,
        in_lang(lang, "员工反馈", "feedback"),
        e.id
    );
    ws.write_string_with_format(0, 0, &title, &Format::new().set_bold().set_font_size(14))?;
    ws.write_string(
        1,
        0,
        in_lang(
            lang,
            "请在黄色单元格中填写后交回；其余单元格已锁定。",
            "Fill in the yellow cells and hand the workbook back; the other cells are locked.",
        ),
    )?;
    let heads = [
        in_lang(lang, "指标编号", "KPI id"),
        in_lang(lang, "指标", "KPI"),
        in_lang(lang, "是否同意", "Agree?"),
        in_lang(lang, "理由（不同意时请填写）", "Reason (when you disagree)"),
    ];
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(ANSWER_HEADER_ROW, c as u16, *h, &fm.header)?;
    }
    let mut ids = Vec::new();
    let mut r = ANSWER_HEADER_ROW + 1;
    let mut w = Widths::new();
    for k in kpis {
        let kpi = &role.kpis[k.kpi];
        ws.write_string(r, 0, &kpi.id)?;
        ws.write_string(r, 1, &kpi.name)?;
        w.see(0, &kpi.id);
        w.see(1, &kpi.name);
        ws.write_blank(r, 2, &input)?;
        ws.write_blank(r, 3, &input)?;
        ids.push(kpi.id.clone());
        r += 1;
    }
    if !ids.is_empty() {
        let dv = DataValidation::new()
            .allow_list_strings(&labels::agree(lang))?
            .set_error_message(in_lang(
                lang,
                "请选择“同意”或“不同意”。",
                "Choose Agree or Disagree.",
            ))?;
        ws.add_data_validation(ANSWER_HEADER_ROW + 1, 2, r - 1, 2, &dv)?;
    }
    let o = r + 1;
    ws.write_string_with_format(o, 0, in_lang(lang, "总体意见", "Overall"), &fm.header)?;
    ws.write_string_with_format(o, 1, in_lang(lang, "请填写", "Your answer"), &fm.header)?;
    let labels_ = [
        in_lang(lang, "确认或申诉", "Confirm or appeal"),
        in_lang(lang, "申诉理由", "Reason for the appeal"),
        in_lang(lang, "证据材料", "Evidence"),
        in_lang(lang, "改进计划", "Improvement plan"),
        in_lang(lang, "需要的支持", "Support wanted"),
        in_lang(lang, "日期", "Date"),
    ];
    for (i, label) in labels_.iter().enumerate() {
        let row = o + 1 + i as u32;
        ws.write_string_with_format(row, 0, *label, &fm.bold)?;
        w.see(0, label);
        let f = if i + 1 == OVERALL_ROWS {
            &date_input
        } else {
            &input
        };
        ws.write_blank(row, 1, f)?;
        if i > 0 && i + 1 < OVERALL_ROWS {
            ws.set_row_height(row, 45)?;
        }
    }
    let dv = DataValidation::new()
        .allow_list_strings(&labels::confirm(lang))?
        .set_error_message(in_lang(
            lang,
            "请选择“确认”或“申诉”。",
            "Choose Confirm or Appeal.",
        ))?;
    ws.add_data_validation(o + 1, 1, o + 1, 1, &dv)?;
    if let Some(by) = appeal_by {
        let note = match lang {
            Lang::Zh => format!("申诉请于 {by}（含）前填写并交回；逾期的申诉不予受理。"),
            Lang::En => format!(
                "Appeals are taken until {by} (inclusive); a later appeal is not considered."
            ),
        };
        ws.write_string_with_format(o + 1 + OVERALL_ROWS as u32 + 1, 0, note, &fm.bold)?;
    }
    w.fix(1, 40.0);
    w.fix(2, 12.0);
    w.fix(3, 60.0);
    w.apply(ws)?;
    print.table(
        ws,
        &crate::report::print::Table {
            widths: w.columns(),
            titles: None,
            gridlines: false,
        },
    )?;
    ws.protect();
    Ok(ids)
}
