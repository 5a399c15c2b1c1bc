//! `汇总·<岗位>`: a sheet per role of summary.xlsx, after 汇总, each row a
//! person of that role and each KPI column the points that KPI added to
//! the person's score (加权得分), then adjustments, own score, the team's
//! average (for roles blended with their team), total and grade (issue 16:
//! one table of three roles left most KPI columns blank on most rows).

use super::book::{self, Formats, Widths, in_lang, to_f64};
use super::sheets::Sheets;
use crate::config::{Config, Role, Rule};
use crate::error::Result;
use crate::ingest::Dataset;
use crate::lang::Lang;
use crate::score::{Outcome, PersonOutcome};
use rust_xlsxwriter::{Format, Worksheet};

/// Characters Excel does not take in a sheet's name.
const NOT_IN_NAMES: &[char] = &['[', ']', ':', '*', '?', '/', '\\'];

/// The sheet of role `role`: `汇总·客户经理` (`Summary · 客户经理`), at
/// most 31 characters, none Excel refuses.
pub fn sheet_name(role: &Role, lang: Lang) -> String {
    let name: String = role
        .name
        .chars()
        .map(|c| if NOT_IN_NAMES.contains(&c) { '_' } else { c })
        .collect();
    let full = format!("{}{name}", in_lang(lang, "汇总·", "Summary · "));
    full.chars()
        .take(31)
        .collect::<String>()
        .trim_end_matches('\'')
        .to_string()
}

/// A KPI's header: its name and what its cells hold.
pub fn kpi_header(name: &str, lang: Lang) -> String {
    format!(
        "{name}\n{}",
        in_lang(lang, "（加权得分）", "(weighted points)")
    )
}

/// One sheet per role with anyone scored in it, in the scheme's order of
/// roles (by id).
pub fn write(
    sheets: &Sheets,
    config: &Config,
    data: &Dataset,
    outcome: &Outcome,
    lang: Lang,
    fm: &Formats,
) -> Result<Vec<Worksheet>> {
    let mut out = Vec::new();
    let mut names = std::collections::BTreeSet::new();
    for (rid, role) in &config.scheme.roles {
        let people: Vec<&PersonOutcome> = outcome
            .people
            .iter()
            .filter(|p| &data.employees[p.emp].role == rid)
            .collect();
        if people.is_empty() {
            continue;
        }
        let mut name = sheet_name(role, lang);
        if !names.insert(name.clone()) {
            // Two roles of one name: the id tells them apart.
            name = format!("{}·{rid}", name.chars().take(20).collect::<String>());
            names.insert(name.clone());
        }
        out.push(role_sheet(
            sheets, &name, data, role, &people, config, lang, fm,
        )?);
    }
    Ok(out)
}

#[allow(clippy::too_many_arguments)]
fn role_sheet(
    sheets: &Sheets,
    name: &str,
    data: &Dataset,
    role: &Role,
    people: &[&PersonOutcome],
    config: &Config,
    lang: Lang,
    fm: &Formats,
) -> Result<Worksheet> {
    let mut ws = sheets.streamed(name)?;
    let kpis: Vec<usize> = (0..role.kpis.len())
        .filter(|&i| !matches!(role.kpis[i].rule, Rule::Monitor))
        .collect();
    let blended = people.iter().any(|p| p.team.is_some());
    let mut labels: Vec<String> = vec![
        in_lang(lang, "工号", "Id").into(),
        in_lang(lang, "姓名", "Name").into(),
        in_lang(lang, "班组", "Team").into(),
    ];
    labels.extend(kpis.iter().map(|&i| kpi_header(&role.kpis[i].name, lang)));
    labels.push(in_lang(lang, "加减分", "Adjustments").into());
    labels.push(in_lang(lang, "个人得分", "Own score").into());
    if blended {
        labels.push(in_lang(lang, "团队均分", "Team average").into());
    }
    labels.push(in_lang(lang, "总分", "Total").into());
    labels.push(in_lang(lang, "等级", "Grade").into());
    let mut w = Widths::new();
    // Two lines: a KPI's name over what its cells hold.
    ws.set_row_height(0, 32)?;
    book::header(&mut ws, 0, &labels, fm, &mut w)?;
    ws.set_freeze_panes(1, 2)?;
    let base = 3u16;
    let grade_col = labels.len() as u16 - 1;
    let numbers: Vec<(u16, &Format)> = (base..grade_col).map(|c| (c, &fm.num)).collect();
    book::column_formats(&mut ws, &numbers)?;
    for c in base..grade_col {
        w.see(c, "0000.00");
    }
    for (r, p) in people.iter().enumerate() {
        let row = r as u32 + 1;
        let e = &data.employees[p.emp];
        for (c, text) in [&e.id, &e.name, &e.team].into_iter().enumerate() {
            ws.write_string(row, c as u16, text)?;
            w.see(c as u16, text);
        }
        for (j, ki) in kpis.iter().enumerate() {
            if let Some(k) = p.scores.iter().find(|k| usize::from(k.kpi) == *ki) {
                ws.write_number(row, base + j as u16, to_f64(k.weighted))?;
            }
        }
        let mut c = base + kpis.len() as u16;
        ws.write_number(row, c, to_f64(p.adjustment_total))?;
        ws.write_number(row, c + 1, to_f64(p.own_total))?;
        c += 2;
        if blended {
            if let Some(t) = &p.team {
                ws.write_number(row, c, to_f64(book::points(t.team_average)))?;
            }
            c += 1;
        }
        ws.write_number(row, c, to_f64(p.total))?;
        let grade = &config.scheme.grades.scale[p.grade];
        ws.write_string_with_format(row, c + 1, grade, fm.grade(p.grade))?;
    }
    w.apply(&mut ws)?;
    sheets.print().table(
        &mut ws,
        &super::print::Table {
            widths: w.columns(),
            titles: Some((0, 0)),
            gridlines: true,
        },
    )?;
    Ok(ws)
}
