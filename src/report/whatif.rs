//! `<draft>-whatif.xlsx`, what `appraise whatif` writes: 变更 (the scheme's
//! differences key by key, with their lines in each file), 人员 (everyone
//! under both schemes, largest change first), 迁移 (grade migration
//! matrices, and the distribution against the quotas before and after) and
//! 影响 (what each changed KPI or rule does). Every sheet is a table printed
//! like the run's ([`super::print`]).

use super::book::{self, Formats, Widths, to_f64};
use super::print::Table;
use super::sheets::{Sheets, Writer};
use crate::config::Config;
use crate::error::Result;
use crate::lang::{Lang, in_lang};
use crate::whatif::compare::{Comparison, Person};
use crate::whatif::diff::{Change, Item};
use crate::whatif::impact::{Effect, Unit};
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, Workbook, Worksheet};
use std::path::Path;

/// Everything the workbook shows.
pub struct WhatifBook<'a> {
    pub base: &'a Config,
    pub draft: &'a Config,
    pub changes: &'a [Change],
    pub cmp: &'a Comparison<'a>,
    pub effects: &'a [Effect],
    pub lang: Lang,
}

struct Ctx<'a> {
    b: &'a WhatifBook<'a>,
    fm: Formats,
    signed: Format,
}

impl Ctx<'_> {
    fn say(&self, zh: &'static str, en: &'static str) -> &'static str {
        in_lang(self.b.lang, zh, en)
    }

    /// Widths applied, printed as a table with row 0 repeated.
    fn finish(
        &self,
        sheets: &Sheets,
        mut ws: Worksheet,
        widths: &Widths,
        titles: bool,
    ) -> Result<Vec<Worksheet>> {
        widths.apply(&mut ws)?;
        sheets.print().table(
            &mut ws,
            &Table {
                widths: widths.columns(),
                titles: titles.then_some((0, 0)),
                gridlines: true,
            },
        )?;
        Ok(vec![ws])
    }
}

/// Write the workbook at `path` (byte-identical for the same inputs: it is
/// dated by the draft's period, not by the clock). The sheets are filled
/// at once ([`Sheets`]); 人员, a row per person, goes to disk as it is
/// written.
pub fn write(b: &WhatifBook, path: &Path) -> Result<()> {
    book::guarded(path, || {
        let title = in_lang(b.lang, "方案对比", "Scheme what-if");
        let wb: Workbook = book::new_workbook(super::period_date(b.draft), title)?;
        let c = &Ctx {
            b,
            fm: Formats::new(),
            signed: Format::new().set_num_format("+0.00;-0.00;0.00"),
        };
        let writers: [&Writer; 4] = [
            &|s: &Sheets| changes_sheet(s, c),
            &|s: &Sheets| people_sheet(s, c),
            &|s: &Sheets| migration_sheet(s, c),
            &|s: &Sheets| impact_sheet(s, c),
        ];
        let print = super::print::Print::new(&b.draft.scheme.period.id, b.lang);
        let mut wb = Sheets::new(wb, &c.fm)?
            .also(&[&c.signed])?
            .with_print(print)
            .fill(&writers)?;
        book::save(&mut wb, path)
    })
}

fn file_name(c: &Config) -> String {
    c.path.file_name().map_or_else(
        || c.path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// 变更: one row per changed key.
fn changes_sheet(sheets: &Sheets, c: &Ctx) -> Result<Vec<Worksheet>> {
    let mut sheet = sheets.in_memory(c.say("变更", "Changes"))?;
    let ws = &mut sheet;
    let (bf, df) = (file_name(c.b.base), file_name(c.b.draft));
    let heads = vec![
        c.say("键", "Key").to_string(),
        c.say("变化", "Change").to_string(),
        format!("{} ({bf})", c.say("基准值", "Base value")),
        format!("{} ({df})", c.say("草案值", "Draft value")),
        format!("{} ({bf})", c.say("基准行", "Base line")),
        format!("{} ({df})", c.say("草案行", "Draft line")),
    ];
    let mut widths = Widths::new();
    book::header(ws, 0, &heads, &c.fm, &mut widths)?;
    for (i, ch) in c.b.changes.iter().enumerate() {
        let row = i as u32 + 1;
        let kind = match (&ch.base, &ch.draft) {
            (None, _) => c.say("新增", "added"),
            (_, None) => c.say("删除", "removed"),
            _ => c.say("修改", "changed"),
        };
        let cells = [
            ch.path.as_str(),
            kind,
            ch.base.as_deref().unwrap_or(""),
            ch.draft.as_deref().unwrap_or(""),
        ];
        for (col, text) in cells.iter().enumerate() {
            ws.write_string(row, col as u16, *text)?;
            widths.see(col as u16, text);
        }
        for (col, line) in [(4u16, ch.base_line), (5, ch.draft_line)] {
            if let Some(l) = line {
                ws.write_number(row, col, l as f64)?;
            }
        }
    }
    if c.b.changes.is_empty() {
        let none = c.say("两份方案没有差别", "the two schemes do not differ");
        ws.write_string(1, 0, none)?;
    }
    c.finish(sheets, sheet, &widths, true)
}

/// A side's cells of a person: total, grade, rank.
fn side_cells(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    s: Option<&crate::whatif::compare::Standing>,
    c: &Ctx,
    widths: &mut Widths,
) -> Result<()> {
    let Some(s) = s else {
        return Ok(());
    };
    ws.write_number_with_format(row, col, to_f64(s.total), &c.fm.num)?;
    ws.write_string_with_format(row, col + 1, s.grade, c.fm.grade(s.grade_index))?;
    let rank = s.rank.label(c.b.lang == Lang::Zh);
    ws.write_string(row, col + 2, &rank)?;
    widths.see(col + 2, &rank);
    Ok(())
}

fn people_heads(c: &Ctx) -> Vec<String> {
    [
        ("工号", "Id"),
        ("姓名", "Name"),
        ("岗位", "Role"),
        ("班组", "Team"),
        ("基准总分", "Base total"),
        ("基准等级", "Base grade"),
        ("基准公司排名", "Base company rank"),
        ("草案总分", "Draft total"),
        ("草案等级", "Draft grade"),
        ("草案公司排名", "Draft company rank"),
        ("总分变化", "Total change"),
        ("等级变化", "Grade change"),
        ("影响最大的指标", "KPI that moved most"),
        ("原加权得分", "Old weighted score"),
        ("新加权得分", "New weighted score"),
    ]
    .iter()
    .map(|(z, e)| c.say(z, e).to_string())
    .collect()
}

/// 人员: a row per person, largest change first, with a filter.
fn people_sheet(sheets: &Sheets, c: &Ctx) -> Result<Vec<Worksheet>> {
    let mut sheet = sheets.streamed(c.say("人员", "People"))?;
    let ws = &mut sheet;
    let mut widths = Widths::new();
    book::header(ws, 0, &people_heads(c), &c.fm, &mut widths)?;
    let role_name = |id| {
        c.b.cmp
            .roles
            .iter()
            .find(|(i, _)| *i == id)
            .map_or(id, |(_, n)| *n)
    };
    for (i, p) in c.b.cmp.people.iter().enumerate() {
        let row = i as u32 + 1;
        let texts = [p.id, p.name, role_name(p.role()), p.team];
        for (col, t) in texts.into_iter().enumerate() {
            ws.write_string(row, col as u16, t)?;
            widths.see(col as u16, t);
        }
        side_cells(ws, row, 4, p.base.as_ref(), c, &mut widths)?;
        side_cells(ws, row, 7, p.draft.as_ref(), c, &mut widths)?;
        if p.both().is_some() {
            ws.write_number_with_format(row, 10, to_f64(p.change()), &c.signed)?;
        }
        let moved = grade_change(p, c);
        ws.write_string(row, 11, &moved)?;
        widths.see(11, &moved);
        if let Some(m) = p.mover() {
            let label = match &m.kpi {
                Some((id, name)) => format!("{name} ({id})"),
                None => c.say("加减分", "adjustments").to_string(),
            };
            ws.write_string(row, 12, &label)?;
            widths.see(12, &label);
            ws.write_number_with_format(row, 13, to_f64(m.old), &c.fm.num)?;
            ws.write_number_with_format(row, 14, to_f64(m.new), &c.fm.num)?;
        }
    }
    c.finish(sheets, sheet, &widths, true)
}

/// `B → A`, `—` when unchanged, or joined/left.
fn grade_change(p: &Person, c: &Ctx) -> String {
    match (&p.base, &p.draft) {
        (Some(b), Some(d)) if b.grade == d.grade => String::new(),
        (Some(b), Some(d)) => format!("{} → {}", b.grade, d.grade),
        (None, _) => c.say("仅在草案中", "in the draft only").to_string(),
        (_, None) => c.say("仅在基准中", "in the base only").to_string(),
    }
}

/// One migration matrix from `row` on; returns the next free row.
fn matrix_block(
    ws: &mut Worksheet,
    row: u32,
    title: &str,
    m: &[Vec<usize>],
    c: &Ctx,
    widths: &mut Widths,
) -> Result<u32> {
    ws.write_string_with_format(row, 0, title, &c.fm.bold)?;
    widths.see(0, title);
    let corner = c.say("基准 \\ 草案", "base \\ draft");
    ws.write_string_with_format(row + 1, 0, corner, &c.fm.header)?;
    widths.see(0, corner);
    for (j, g) in c.b.cmp.draft_scale.iter().enumerate() {
        ws.write_string_with_format(row + 1, j as u16 + 1, g, &c.fm.header)?;
    }
    let total_col = c.b.cmp.draft_scale.len() as u16 + 1;
    ws.write_string_with_format(row + 1, total_col, c.say("合计", "Total"), &c.fm.header)?;
    for (i, g) in c.b.cmp.base_scale.iter().enumerate() {
        let r = row + 2 + i as u32;
        ws.write_string_with_format(r, 0, g, c.fm.grade(i))?;
        for (j, n) in m[i].iter().enumerate() {
            if i == j {
                ws.write_number_with_format(r, j as u16 + 1, *n as f64, &c.fm.bold)?;
            } else {
                ws.write_number(r, j as u16 + 1, *n as f64)?;
            }
        }
        ws.write_number(r, total_col, m[i].iter().sum::<usize>() as f64)?;
    }
    Ok(row + 3 + c.b.cmp.base_scale.len() as u32)
}

/// 迁移: the matrices (everyone, each role, each calibration group), then
/// the distribution before and after against the quotas.
fn migration_sheet(sheets: &Sheets, c: &Ctx) -> Result<Vec<Worksheet>> {
    let mut sheet = sheets.in_memory(c.say("迁移", "Migration"))?;
    let ws = &mut sheet;
    let mut widths = Widths::new();
    let cmp = c.b.cmp;
    let mut row = matrix_block(
        ws,
        0,
        c.say("全体", "Everyone"),
        &cmp.matrix(|_| true),
        c,
        &mut widths,
    )?;
    for (id, name) in &cmp.roles {
        let m = cmp.matrix(|p| p.role() == *id);
        if m.iter().flatten().sum::<usize>() == 0 {
            continue;
        }
        let title = format!("{}{name}", c.say("岗位：", "Role: "));
        row = matrix_block(ws, row, &title, &m, c, &mut widths)?;
    }
    for g in cmp.groups() {
        let m = cmp.matrix(|p| p.base.as_ref().is_some_and(|b| b.group == g));
        let title = format!("{}{g}", c.say("校准组：", "Calibration group: "));
        row = matrix_block(ws, row, &title, &m, c, &mut widths)?;
    }
    distribution(ws, row, c, &mut widths)?;
    c.finish(sheets, sheet, &widths, false)
}

fn quota(
    g: Option<&crate::score::grade::GroupReport>,
    k: Option<usize>,
) -> (Option<usize>, Option<usize>, Option<usize>) {
    match (g, k) {
        (Some(g), Some(k)) => (
            g.counts.get(k).copied(),
            g.max.get(k).copied().flatten(),
            g.min.get(k).copied().flatten(),
        ),
        _ => (None, None, None),
    }
}

/// Each calibration group's head count per grade under both schemes, with
/// the quotas, the counts outside them marked.
fn distribution(ws: &mut Worksheet, row: u32, c: &Ctx, widths: &mut Widths) -> Result<()> {
    let cmp = c.b.cmp;
    let heads: Vec<&str> = vec![
        c.say("校准组", "Calibration group"),
        c.say("等级", "Grade"),
        c.say("基准人数", "Base count"),
        c.say("基准上限", "Base max"),
        c.say("基准下限", "Base min"),
        c.say("草案人数", "Draft count"),
        c.say("草案上限", "Draft max"),
        c.say("草案下限", "Draft min"),
    ];
    ws.write_string_with_format(
        row,
        0,
        c.say("等级分布与配额", "Distribution and quotas"),
        &c.fm.bold,
    )?;
    for (col, h) in heads.iter().enumerate() {
        ws.write_string_with_format(row + 1, col as u16, *h, &c.fm.header)?;
        widths.see(col as u16, h);
    }
    let mut names: Vec<&str> = cmp.base_groups.iter().map(|g| g.name.as_str()).collect();
    names.extend(
        cmp.draft_groups
            .iter()
            .map(|g| g.name.as_str())
            .filter(|n| !cmp.base_groups.iter().any(|g| g.name == *n)),
    );
    let mut grades: Vec<&String> = cmp.base_scale.iter().collect();
    grades.extend(
        cmp.draft_scale
            .iter()
            .filter(|g| !cmp.base_scale.contains(g)),
    );
    let mut r = row + 2;
    for name in names {
        let bg = cmp.base_groups.iter().find(|g| g.name == name);
        let dg = cmp.draft_groups.iter().find(|g| g.name == name);
        for grade in &grades {
            let b = quota(bg, cmp.base_scale.iter().position(|g| g == *grade));
            let d = quota(dg, cmp.draft_scale.iter().position(|g| g == *grade));
            ws.write_string(r, 0, name)?;
            widths.see(0, name);
            ws.write_string(r, 1, grade.as_str())?;
            for (col, (count, max, min)) in [(2u16, b), (5, d)] {
                let outside =
                    count.is_some_and(|n| max.is_some_and(|m| n > m) || min.is_some_and(|m| n < m));
                for (k, v) in [count, max, min].into_iter().enumerate() {
                    let Some(v) = v else { continue };
                    if k == 0 && outside {
                        ws.write_number_with_format(r, col, v as f64, &c.fm.warn)?;
                    } else {
                        ws.write_number(r, col + k as u16, v as f64)?;
                    }
                }
            }
            r += 1;
        }
    }
    Ok(())
}

/// The words for a changed item: `客户经理 · 集团收入完成率 (revenue)`.
fn item_label(item: &Item, c: &Ctx) -> String {
    let role_name = |r: &str| {
        c.b.cmp
            .roles
            .iter()
            .find(|(i, _)| *i == r)
            .map_or(r.to_string(), |(_, n)| n.to_string())
    };
    match item {
        Item::Kpi { role, kpi } => {
            let name = [c.b.draft, c.b.base]
                .iter()
                .find_map(|cfg| {
                    cfg.scheme
                        .roles
                        .get(role)?
                        .kpis
                        .iter()
                        .find(|k| k.id == *kpi)
                })
                .map_or(String::new(), |k| k.name.clone());
            format!("{} · {name} ({kpi})", role_name(role))
        }
        Item::Adjustments { role } => {
            format!("{} · {}", role_name(role), c.say("加减分", "adjustments"))
        }
        Item::Role { role } => format!("{} · {}", role_name(role), c.say("岗位规则", "role rules")),
        Item::Grades => c.say("等级与分布", "grades and distribution").to_string(),
        Item::Scheme => c.say("方案其他部分", "rest of the scheme").to_string(),
    }
}

fn teams_text(list: &[(String, Decimal)], unit: Unit) -> String {
    list.iter()
        .map(|(t, x)| match unit {
            Unit::Points => format!("{t} ({:+.2})", book::points(*x)),
            Unit::Grades => format!("{t} ({x:+})"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// 影响: a row per changed KPI or rule.
fn impact_sheet(sheets: &Sheets, c: &Ctx) -> Result<Vec<Worksheet>> {
    let mut sheet = sheets.in_memory(c.say("影响", "Impact"))?;
    let ws = &mut sheet;
    let heads: Vec<String> = [
        ("变更项", "Changed item"),
        ("变更的键", "Keys changed"),
        ("度量", "Measured in"),
        ("涉及人数", "People concerned"),
        ("变动人数", "People moved"),
        ("最小", "Min"),
        ("中位数", "Median"),
        ("最大", "Max"),
        ("得益班组", "Teams gaining"),
        ("受损班组", "Teams losing"),
    ]
    .iter()
    .map(|(z, e)| c.say(z, e).to_string())
    .collect();
    let mut widths = Widths::new();
    book::header(ws, 0, &heads, &c.fm, &mut widths)?;
    for (i, e) in c.b.effects.iter().enumerate() {
        let row = i as u32 + 1;
        let unit = match (e.unit, &e.item) {
            (Unit::Grades, _) => c.say("等级档（升为正）", "grade steps (up = +)"),
            (_, Item::Kpi { .. }) => c.say("该指标加权得分", "the KPI's weighted score"),
            (_, Item::Adjustments { .. }) => c.say("加减分合计", "adjustment total"),
            _ => c.say("总分", "total"),
        };
        let texts = [item_label(&e.item, c), e.paths.join("\n"), unit.to_string()];
        for (col, t) in texts.iter().enumerate() {
            ws.write_string(row, col as u16, t)?;
            widths.see(col as u16, t);
        }
        ws.write_number(row, 3, e.people as f64)?;
        ws.write_number(row, 4, e.moved as f64)?;
        for (col, v) in [(5u16, e.min), (6, e.median), (7, e.max)] {
            if let Some(v) = v {
                ws.write_number_with_format(row, col, to_f64(v), &c.signed)?;
            }
        }
        for (col, list) in [(8u16, &e.gain), (9, &e.lose)] {
            let t = teams_text(list, e.unit);
            ws.write_string(row, col, &t)?;
            widths.see(col, &t);
        }
    }
    c.finish(sheets, sheet, &widths, true)
}
