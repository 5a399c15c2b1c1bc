//! RVC 综合效能指数: each person's index with its parts (R retention,
//! V value, C contribution, as the scheme's formula metrics define them),
//! and the rank of the index inside the team.

use super::book::to_f64;
use super::book::{Formats, in_lang};
use super::pages::Pages;
use super::sheets::Sheets;
use crate::config::Config;
use crate::error::Result;
use crate::ingest::Dataset;
use crate::lang::Lang;
use crate::score::Outcome;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, Worksheet};
use std::collections::HashMap;

/// Written only when `[instruments.rvc]` is configured.
pub fn write(
    sheets: &Sheets,
    config: &Config,
    data: &Dataset,
    outcome: &Outcome,
    prov: &std::collections::BTreeSet<usize>,
    lang: Lang,
    fm: &Formats,
) -> Result<Vec<Worksheet>> {
    let Some(rvc) = &config.scheme.instruments.rvc else {
        return Ok(Vec::new());
    };
    let mut labels: Vec<String> = [
        in_lang(lang, "工号", "Id"),
        in_lang(lang, "姓名", "Name"),
        in_lang(lang, "岗位", "Role"),
        in_lang(lang, "班组", "Team"),
    ]
    .iter()
    .map(|x| x.to_string())
    .collect();
    labels.extend(rvc.parts.iter().map(|p| match (lang, &p.name_en) {
        (Lang::En, Some(en)) => en.clone(),
        _ => p.name.clone(),
    }));
    labels.push(in_lang(lang, "RVC指数", "RVC index").to_string());
    labels.push(in_lang(lang, "班组内排名", "Rank in team").to_string());
    labels.push(super::provisional::header(lang).to_string());
    let n = rvc.parts.len() as u16;
    let num4: Vec<(u16, &Format)> = (4..=4 + n).map(|c| (c, &fm.num4)).collect();
    let mut pages = Pages::new(sheets, "RVC", labels, fm).column_formats(&num4);
    let wanted = |role: &str| rvc.roles.is_empty() || rvc.roles.iter().any(|r| r == role);
    let people: Vec<usize> = outcome
        .people
        .iter()
        .map(|p| p.emp)
        .filter(|&e| wanted(&data.employees[e].role))
        .collect();
    // Rank within (role, team): 1 + the number of team-mates with a higher index.
    let mut by_team: HashMap<(&str, &str), Vec<Decimal>> = HashMap::new();
    for &e in &people {
        let emp = &data.employees[e];
        if let Some(v) = metric(data, outcome, &rvc.index, e) {
            by_team.entry((&emp.role, &emp.team)).or_default().push(v);
        }
    }
    for v in by_team.values_mut() {
        v.sort_unstable_by(|a, b| b.cmp(a));
    }
    for &e in &people {
        let (ws, w, row) = pages.take(1)?;
        let emp = &data.employees[e];
        let role = config
            .scheme
            .roles
            .get(&emp.role)
            .map_or("", |r| r.name.as_str());
        for (c, t) in [emp.id.as_str(), &emp.name, role, &emp.team]
            .into_iter()
            .enumerate()
        {
            ws.write_string(row, c as u16, t)?;
            w.see(c as u16, t);
        }
        for (j, p) in rvc.parts.iter().enumerate() {
            if let Some(v) = metric(data, outcome, &p.metric, e) {
                ws.write_number(row, 4 + j as u16, to_f64(v))?;
            }
        }
        if let Some(v) = metric(data, outcome, &rvc.index, e) {
            ws.write_number(row, 4 + n, to_f64(v))?;
            if let Some(team) = by_team.get(&(emp.role.as_str(), emp.team.as_str())) {
                let rank = team.partition_point(|x| *x > v) + 1;
                ws.write_number(row, 5 + n, rank as f64)?;
            }
        }
        if let Some(m) = super::provisional::status(prov, e, lang) {
            ws.write_string_with_format(row, 6 + n, m, &fm.warn)?;
        }
    }
    pages.finish()
}

/// A metric's value for one person: loaded, or computed by a formula.
fn metric(data: &Dataset, outcome: &Outcome, name: &str, emp: usize) -> Option<Decimal> {
    data.value(name, emp).or_else(|| {
        outcome
            .derived
            .get(name)
            .and_then(|v| v.get(emp))
            .copied()
            .flatten()
    })
}
