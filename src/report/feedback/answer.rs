//! `员工反馈` (the answer sheet): unlocked cells with dropdowns on a
//! protected sheet. It says how to return the file, what must be filled,
//! what may stay empty and by when; it asks about the KPIs that count
//! (a monitor-only KPI is shown on the result sheet, not asked about).

use super::*;

/// Where `collect` finds the answers: the KPI ids in the order of their
/// rows, the first KPI row and the first overall row (0-based).
pub(super) struct AnswerRows {
    pub kpis: Vec<String>,
    pub kpi_row: u32,
    pub overall_row: u32,
}

/// How to return the workbook, what to fill, by when: one line each.
fn instructions(lang: Lang, return_to: Option<&str>, by: Option<chrono::NaiveDate>) -> Vec<String> {
    let mut v = vec![
        in_lang(
            lang,
            "请在黄色单元格中填写，其余单元格已锁定。",
            "Fill in the yellow cells; the other cells are locked.",
        )
        .to_string(),
        in_lang(
            lang,
            "必须填写：每个指标的“是否同意”、下方的“确认或申诉”和“日期”；不同意某个指标，或选择“申诉”时，还须写明理由。",
            "Must be filled: “Agree?” for each KPI, and “Confirm or appeal” and “Date” below; when you disagree with a KPI or appeal, also give your reason.",
        )
        .to_string(),
        in_lang(
            lang,
            "可以不填：同意的指标的理由、证据材料、改进计划、需要的支持。",
            "May be left empty: the reason for a KPI you agree with, evidence, improvement plan, support wanted.",
        )
        .to_string(),
    ];
    let how = match (lang, return_to) {
        (Lang::Zh, Some(to)) => format!("填好后保存本文件，不要改文件名，也不要改动其他工作表；{to}。"),
        (Lang::En, Some(to)) => format!(
            "Save this file when done, keeping its name and leaving the other sheets as they are; {to}."
        ),
        (Lang::Zh, None) => "填好后保存本文件，不要改文件名，也不要改动其他工作表；交回班组长或人力资源部。".into(),
        (Lang::En, None) => "Save this file when done, keeping its name and leaving the other sheets as they are; hand it back to your team leader or HR.".into(),
    };
    v.push(how);
    v.push(match (lang, by) {
        (Lang::Zh, Some(by)) => format!("请于 {by}（含）前交回；逾期的申诉不予受理。"),
        (Lang::En, Some(by)) => {
            format!("Return it by {by} (inclusive); an appeal returned later is not considered.")
        }
        (Lang::Zh, None) => "请在绩效面谈后尽快交回。".into(),
        (Lang::En, None) => "Return it soon after your appraisal interview.".into(),
    });
    v
}

/// Writes `员工反馈`; returns where its answers are.
#[allow(clippy::too_many_arguments)]
pub(super) fn answer_sheet(
    wb: &mut Workbook,
    kpis: &[&KpiScore],
    e: &Employee,
    role: &Role,
    lang: Lang,
    fm: &Formats,
    return_to: Option<&str>,
    appeal_by: Option<chrono::NaiveDate>,
    print: &crate::report::print::Print,
) -> Result<AnswerRows> {
    let ws = book::streamed_sheet(wb)?;
    ws.set_name(labels::answer_sheet(lang))?;
    let input = Format::new()
        .set_unlocked()
        .set_background_color(Color::RGB(0xFFF2CC))
        .set_text_wrap()
        .set_border(rust_xlsxwriter::FormatBorder::Thin);
    let date_input = input.clone().set_num_format("yyyy-mm-dd");
    let title = match lang {
        Lang::Zh => format!("{} 员工反馈（{}）", e.name, e.id),
        Lang::En => format!("{} feedback ({})", e.name, e.id),
    };
    ws.write_string_with_format(0, 0, &title, &Format::new().set_bold().set_font_size(14))?;
    let mut r = 1u32;
    for line in instructions(lang, return_to, appeal_by) {
        ws.write_string_with_format(r, 0, &line, &fm.bold)?;
        r += 1;
    }
    let header_row = r + 1;
    let heads = [
        in_lang(lang, "指标", "KPI"),
        in_lang(lang, "编号", "Id"),
        in_lang(lang, "是否同意（必填）", "Agree? (required)"),
        in_lang(
            lang,
            "理由（不同意时必填）",
            "Reason (required when you disagree)",
        ),
    ];
    let mut w = Widths::new();
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(header_row, c as u16, *h, &fm.header)?;
        w.see(c as u16, h);
    }
    let mut ids = Vec::new();
    let kpi_row = header_row + 1;
    let mut r = kpi_row;
    // Monitor-only KPIs are not scored: nothing to agree with.
    for k in kpis.iter().filter(|k| k.status != Status::Monitor) {
        let kpi = &role.kpis[k.kpi];
        ws.write_string(r, 0, &kpi.name)?;
        ws.write_string(r, 1, &kpi.id)?;
        w.see(0, &kpi.name);
        w.see(1, &kpi.id);
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
        ws.add_data_validation(kpi_row, 2, r - 1, 2, &dv)?;
    }
    let o = r + 1;
    overall_block(ws, lang, fm, &input, &date_input, o, &mut w)?;
    w.fix(2, 18.0);
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
    Ok(AnswerRows {
        kpis: ids,
        kpi_row,
        overall_row: o + 1,
    })
}

/// The overall answers from row `o` (its header), one row each.
fn overall_block(
    ws: &mut Worksheet,
    lang: Lang,
    fm: &Formats,
    input: &Format,
    date_input: &Format,
    o: u32,
    w: &mut Widths,
) -> Result<()> {
    ws.write_string_with_format(o, 0, in_lang(lang, "总体意见", "Overall"), &fm.header)?;
    // The answers are in column B, merged across to D for room to write.
    ws.merge_range(
        o,
        1,
        o,
        3,
        in_lang(lang, "请填写", "Your answer"),
        &fm.header,
    )?;
    let labels_ = [
        in_lang(lang, "确认或申诉（必填）", "Confirm or appeal (required)"),
        in_lang(
            lang,
            "申诉理由（申诉时必填）",
            "Reason for the appeal (required to appeal)",
        ),
        in_lang(lang, "证据材料（可不填）", "Evidence (optional)"),
        in_lang(lang, "改进计划（可不填）", "Improvement plan (optional)"),
        in_lang(lang, "需要的支持（可不填）", "Support wanted (optional)"),
        in_lang(lang, "日期（必填）", "Date (required)"),
    ];
    for (i, label) in labels_.iter().enumerate() {
        let row = o + 1 + i as u32;
        ws.write_string_with_format(row, 0, *label, &fm.bold)?;
        w.see(0, label);
        let f = if i + 1 == OVERALL_ROWS {
            date_input
        } else {
            input
        };
        ws.merge_range(row, 1, row, 3, "", f)?;
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
    Ok(())
}
