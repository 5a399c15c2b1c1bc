//! 预警: every retention warning of the period with its customer, the
//! responsible account manager, the signal and its severity, and what was
//! done about it (a visit inside the handling window, overdue, or pending).
//! Ordered by account manager, customer, date and kind.

use super::book::to_f64;
use super::book::{Formats, in_lang};
use super::pages::Pages;
use super::sheets::Sheets;
use crate::config::Config;
use crate::error::Result;
use crate::ingest::Dataset;
use crate::instruments::retention::{Handling, Severity};
use crate::lang::Lang;
use rust_xlsxwriter::{ExcelDateTime, Worksheet};

/// Written only when `[instruments.retention]` is configured.
pub fn write(
    sheets: &Sheets,
    config: &Config,
    data: &Dataset,
    ins: &crate::instruments::Loaded,
    prov: &std::collections::BTreeSet<usize>,
    lang: Lang,
    fm: &Formats,
) -> Result<Vec<Worksheet>> {
    if config.scheme.instruments.retention.is_none() {
        return Ok(Vec::new());
    }
    let labels: Vec<String> = [
        in_lang(lang, "客户经理工号", "AM id"),
        in_lang(lang, "客户经理", "Account manager"),
        in_lang(lang, "班组", "Team"),
        in_lang(lang, "客户编码", "Customer"),
        in_lang(lang, "客户名称", "Customer name"),
        in_lang(lang, "预警类型", "Signal"),
        in_lang(lang, "严重程度", "Severity"),
        in_lang(lang, "预警日期", "Raised"),
        in_lang(lang, "变化前", "Before"),
        in_lang(lang, "变化后", "After"),
        in_lang(lang, "跌幅/天数", "Fall / days"),
        in_lang(lang, "阈值", "Threshold"),
        in_lang(lang, "处理状态", "Handling"),
        in_lang(lang, "处理日期", "Handled on"),
        super::provisional::header(lang),
    ]
    .iter()
    .map(|x| x.to_string())
    .collect();
    let mut pages = Pages::new(sheets, in_lang(lang, "预警", "Warnings"), labels, fm)
        .column_formats(&[(7, &fm.date), (8, &fm.num), (9, &fm.num), (13, &fm.date)]);
    let cs = &ins.customers.list;
    let am_id = |i: usize| {
        ins.warnings[i]
            .am
            .map_or("", |e| data.employees[e].id.as_str())
    };
    let mut order: Vec<usize> = (0..ins.warnings.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&ins.warnings[a], &ins.warnings[b]);
        (am_id(a), &cs[x.customer].code, x.raised, x.kind).cmp(&(
            am_id(b),
            &cs[y.customer].code,
            y.raised,
            y.kind,
        ))
    });
    let day = |d: chrono::NaiveDate| {
        use chrono::Datelike;
        ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
    };
    for &i in &order {
        let (ws, w, row) = pages.take(1)?;
        let wn = &ins.warnings[i];
        let c = &cs[wn.customer];
        let (name, team) = wn.am.map_or(("", ""), |e| {
            let e = &data.employees[e];
            (e.name.as_str(), e.team.as_str())
        });
        let kind = match lang {
            Lang::Zh => wn.kind.zh(),
            Lang::En => wn.kind.en(),
        };
        let sev = match (lang, wn.severity) {
            (Lang::Zh, s) => s.zh(),
            (Lang::En, Severity::Warn) => "warning",
            (Lang::En, Severity::Severe) => "severe",
        };
        for (col, t) in [am_id(i), name, team, &c.code, &c.name, kind]
            .into_iter()
            .enumerate()
        {
            ws.write_string(row, col as u16, t)?;
            w.see(col as u16, t);
        }
        if wn.severity == Severity::Severe {
            ws.write_string_with_format(row, 6, sev, &fm.warn)?;
        } else {
            ws.write_string(row, 6, sev)?;
        }
        ws.write_datetime(row, 7, day(wn.raised)?)?;
        w.see(7, "2024-09-30");
        if let Some(b) = wn.before {
            ws.write_number(row, 8, to_f64(b))?;
        }
        if let Some(a) = wn.after {
            ws.write_number(row, 9, to_f64(a))?;
        }
        for (col, v) in [(10, wn.value), (11, wn.threshold)] {
            if wn.kind.is_fraction() {
                ws.write_number_with_format(row, col, to_f64(v), &fm.pct)?;
            } else {
                ws.write_number(row, col, to_f64(v))?;
            }
        }
        let (status, on) = match (lang, wn.handling) {
            (Lang::Zh, Handling::Handled(d)) => ("已走访处理", Some(d)),
            (Lang::Zh, Handling::Overdue) => ("逾期未处理", None),
            (Lang::Zh, Handling::Pending) => ("待处理", None),
            (Lang::En, Handling::Handled(d)) => ("handled by a visit", Some(d)),
            (Lang::En, Handling::Overdue) => ("overdue", None),
            (Lang::En, Handling::Pending) => ("pending", None),
        };
        if wn.handling == Handling::Overdue {
            ws.write_string_with_format(row, 12, status, &fm.warn)?;
        } else {
            ws.write_string(row, 12, status)?;
        }
        w.see(12, status);
        if let Some(d) = on {
            ws.write_datetime(row, 13, day(d)?)?;
        }
        if let Some(m) = wn
            .am
            .and_then(|e| super::provisional::status(prov, e, lang))
        {
            ws.write_string_with_format(row, 14, m, &fm.warn)?;
        }
    }
    pages.finish()
}
