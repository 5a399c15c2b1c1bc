//! 节点进度: each person's cumulative actual at each checkpoint against the
//! expected line (序时进度 = the elapsed share of the period): completion
//! to date (actual ÷ target), the expected share, and the attainment
//! (actual ÷ (target × share)); attainments below 1 are marked.

use super::book::to_f64;
use super::book::{Formats, in_lang};
use super::pages::Pages;
use super::sheets::Sheets;
use crate::error::Result;
use crate::ingest::Dataset;
use crate::lang::Lang;
use rust_xlsxwriter::{Format, Worksheet};

/// Written only when `[instruments.checkpoints]` gave series.
pub fn write(
    sheets: &Sheets,
    data: &Dataset,
    instruments: &crate::instruments::Loaded,
    prov: &std::collections::BTreeSet<usize>,
    lang: Lang,
    fm: &Formats,
) -> Result<Vec<Worksheet>> {
    let series = &instruments.checkpoints;
    if series.is_empty() {
        return Ok(Vec::new());
    }
    let cps = series.first().map_or(&[][..], |s| s.checkpoints.as_slice());
    let mut labels: Vec<String> = [
        in_lang(lang, "工号", "Id"),
        in_lang(lang, "姓名", "Name"),
        in_lang(lang, "班组", "Team"),
        in_lang(lang, "指标", "Measure"),
        in_lang(lang, "目标", "Target"),
    ]
    .iter()
    .map(|x| x.to_string())
    .collect();
    for d in cps {
        for what in [
            in_lang(lang, "累计实际", "actual to date"),
            in_lang(lang, "完成进度", "completion"),
            in_lang(lang, "序时进度", "expected"),
            in_lang(lang, "节点达成率", "attainment"),
        ] {
            labels.push(format!("{} {what}", d.format("%m-%d")));
        }
    }
    labels.push(in_lang(lang, "综合达成率", "Combined").to_string());
    labels.push(super::provisional::header(lang).to_string());
    let status_col = 6 + 4 * cps.len() as u16;
    // Target, then per checkpoint: actual, its rate, the planned share and
    // the attainment; then the combined attainment.
    let mut columns: Vec<(u16, &Format)> = vec![(4, &fm.num)];
    for k in 0..cps.len() as u16 {
        let c = 5 + 4 * k;
        columns.extend([
            (c, &fm.num),
            (c + 1, &fm.pct),
            (c + 2, &fm.pct),
            (c + 3, &fm.pct),
        ]);
    }
    columns.push((5 + 4 * cps.len() as u16, &fm.pct));
    let mut pages = Pages::new(sheets, in_lang(lang, "节点进度", "Checkpoints"), labels, fm)
        .column_formats(&columns);
    for s in series {
        for (emp, p) in s.people.iter().enumerate() {
            let Some(p) = p else { continue };
            let (ws, w, row) = pages.take(1)?;
            let e = &data.employees[emp];
            for (c, t) in [&e.id, &e.name, &e.team, &s.name].into_iter().enumerate() {
                ws.write_string(row, c as u16, t)?;
                w.see(c as u16, t);
            }
            if let Some(t) = p.target {
                ws.write_number(row, 4, to_f64(t))?;
            }
            for (k, share) in s.shares.iter().enumerate() {
                let c = 5 + 4 * k as u16;
                if let Some(a) = p.actuals[k] {
                    ws.write_number(row, c, to_f64(a))?;
                    if let Some(t) = p.target.filter(|t| !t.is_zero()) {
                        ws.write_number(row, c + 1, to_f64(a / t))?;
                    }
                }
                ws.write_number(row, c + 2, to_f64(*share))?;
                if let Some(at) = p.attainments[k] {
                    if at < rust_decimal::Decimal::ONE {
                        ws.write_number_with_format(row, c + 3, to_f64(at), &fm.warn_pct)?;
                    } else {
                        ws.write_number(row, c + 3, to_f64(at))?;
                    }
                }
            }
            if let Some(cmb) = p.combined {
                ws.write_number(row, 5 + 4 * s.shares.len() as u16, to_f64(cmb))?;
            }
            if let Some(m) = super::provisional::status(prov, emp, lang) {
                ws.write_string_with_format(row, status_col, m, &fm.warn)?;
            }
        }
    }
    pages.finish()
}
