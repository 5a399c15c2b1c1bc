//! 短板比对: one row per person and KPI: the score beside the team's
//! average and best and the company's average, and the weak-spot flag
//! (bottom quantile), with the person's number of weak spots.

use super::book::to_f64;
use super::book::{Formats, in_lang};
use super::pages::Pages;
use super::sheets::Sheets;
use crate::config::Config;
use crate::error::Result;
use crate::ingest::Dataset;
use crate::lang::Lang;
use crate::score::Outcome;
use crate::score::weakspot::KpiStats;
use rust_xlsxwriter::{Format, Worksheet};

/// A KPI's figures among a group's.
fn of(v: Option<&[KpiStats]>, kpi: usize) -> Option<&KpiStats> {
    v?.iter().find(|s| s.kpi == kpi)
}

/// Written only when `[instruments.weak_spots]` is configured.
pub fn write(
    sheets: &Sheets,
    config: &Config,
    data: &Dataset,
    outcome: &Outcome,
    prov: &std::collections::BTreeSet<usize>,
    lang: Lang,
    fm: &Formats,
) -> Result<Vec<Worksheet>> {
    let Some(spots) = &outcome.weak_spots else {
        return Ok(Vec::new());
    };
    let labels: Vec<String> = [
        in_lang(lang, "工号", "Id"),
        in_lang(lang, "姓名", "Name"),
        in_lang(lang, "岗位", "Role"),
        in_lang(lang, "班组", "Team"),
        in_lang(lang, "指标", "KPI"),
        in_lang(lang, "得分系数", "Score"),
        in_lang(lang, "班组均值", "Team average"),
        in_lang(lang, "班组最佳", "Team best"),
        in_lang(lang, "公司均值", "Company average"),
        in_lang(lang, "与班组均值差", "vs team average"),
        in_lang(lang, "短板", "Weak spot"),
        in_lang(lang, "短板数", "Weak spots"),
        super::provisional::header(lang),
    ]
    .iter()
    .map(|x| x.to_string())
    .collect();
    let num4: Vec<(u16, &Format)> = (5..10).map(|c| (c, &fm.num4)).collect();
    let mut pages = Pages::new(sheets, in_lang(lang, "短板比对", "Weak spots"), labels, fm)
        .column_formats(&num4);
    for p in &spots.people {
        let e = &data.employees[p.emp];
        let Some(role) = config.scheme.roles.get(&e.role) else {
            continue;
        };
        if p.items.is_empty() {
            continue;
        }
        // A person's rows stay together on one page.
        let (ws, w, first) = pages.take(p.items.len())?;
        let (teams, companies) = (
            spots.team(&e.role, &e.team),
            spots.company.get(&e.role).map(Vec::as_slice),
        );
        for (i, it) in p.items.iter().enumerate() {
            let row = first + i as u32;
            // Every compared KPI has both (the comparison skips others).
            let (Some(team), Some(company)) = (
                of(teams, usize::from(it.kpi)),
                of(companies, usize::from(it.kpi)),
            ) else {
                continue;
            };
            let kpi = &role.kpis[usize::from(it.kpi)].name;
            for (c, t) in [&e.id, &e.name, &role.name, &e.team, kpi]
                .into_iter()
                .enumerate()
            {
                ws.write_string(row, c as u16, t)?;
                w.see(c as u16, t);
            }
            for (c, v) in [
                it.score,
                team.average,
                team.best,
                company.average,
                it.score - team.average,
            ]
            .into_iter()
            .enumerate()
            {
                ws.write_number(row, 5 + c as u16, to_f64(v))?;
            }
            if it.weak {
                ws.write_string_with_format(row, 10, in_lang(lang, "短板", "weak"), &fm.warn)?;
                w.see(10, in_lang(lang, "短板", "weak"));
            }
            ws.write_number(row, 11, p.count as f64)?;
            if let Some(m) = super::provisional::status(prov, p.emp, lang) {
                ws.write_string_with_format(row, 12, m, &fm.warn)?;
            }
        }
    }
    pages.finish()
}
