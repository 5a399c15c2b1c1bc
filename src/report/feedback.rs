//! One workbook per employee, `feedback/<team>/<id>-<name>.xlsx`, for the
//! appraisal interview (绩效面谈): `考核结果` (the result, each KPI explained,
//! beside the team's average and best), `上级评语` (the manager's comments),
//! `员工反馈` (what the employee writes back: unlocked cells with dropdowns
//! on a protected sheet) and a hidden sheet sealing every cell of the result
//! with a digest, so `appraise collect` detects an altered score. A workbook
//! holds its employee's data and team aggregates only, never a colleague's
//! name or score. Workbooks are independent and written in parallel.

use super::RunInfo;
use super::book::f;
use super::book::{self, Formats, Widths, l};
use super::team_stats::{Group, TeamStats, counts};
use crate::config::{Config, Role, RoundMode, VetoEffect};
use crate::error::{Error, Result, push_cell_name};
use crate::feedback::labels::{ANSWER_HEADER_ROW, OVERALL_ROWS};
use crate::feedback::{self, Appeal, Decision, digest, file_part, labels};
use crate::ingest::{Dataset, Employee, Src};
use crate::lang::Lang;
use crate::score::{AdjustmentScore, KpiScore, Outcome, Scored, Status};
use crate::text::explain;
use crate::text::notes::{adjustment_why, kpi_status_label, person_notes};
use indicatif::ProgressBar;
use rayon::prelude::*;
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    Chart, ChartType, Color, DataValidation, Format, FormatAlign, Workbook, Worksheet,
};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Everything the writers share, built once.
pub struct Context<'a> {
    pub config: &'a Config,
    pub data: &'a Dataset,
    /// What the management instruments read.
    pub instruments: &'a crate::instruments::Loaded,
    pub outcome: &'a Outcome,
    pub info: &'a RunInfo,
    pub inputs: &'a feedback::Inputs,
    pub stats: TeamStats,
    pub key: String,
}

impl<'a> Context<'a> {
    pub fn new(
        config: &'a Config,
        data: &'a Dataset,
        instruments: &'a crate::instruments::Loaded,
        outcome: &'a Outcome,
        info: &'a RunInfo,
        inputs: &'a feedback::Inputs,
    ) -> Self {
        Context {
            config,
            data,
            instruments,
            outcome,
            info,
            inputs,
            stats: TeamStats::build(config, data, outcome),
            key: digest::key(&config.sha256, data.files.iter().map(|f| f.sha256.as_str())),
        }
    }
}

/// The path of an employee's workbook, relative to the run directory.
pub fn relative_path(e: &Employee) -> PathBuf {
    crate::ingest::file_names::feedback_file(&e.id, &e.name, &e.team)
}

/// Write every employee's workbook under `dir/feedback`; returns how many.
pub fn write_all(ctx: &Context, dir: &Path, bar: &ProgressBar) -> Result<usize> {
    let teams: BTreeSet<String> = ctx
        .data
        .employees
        .iter()
        .map(|e| file_part(&e.team))
        .collect();
    for t in &teams {
        let d = dir.join("feedback").join(t);
        std::fs::create_dir_all(&d).map_err(|e| Error::io(&d, e))?;
    }
    ctx.outcome
        .people
        .par_iter()
        .map(|p| {
            let path = dir.join(relative_path(&ctx.data.employees[p.emp]));
            let done = write_one(ctx, p, &path);
            bar.inc(1);
            done
        })
        .collect::<Result<Vec<()>>>()?;
    Ok(ctx.outcome.people.len())
}

/// Cells of the result sheet, written and sealed as they are written: the
/// digest so far and the references, comma-separated.
struct Sealed {
    seal: digest::Sealer,
    refs: String,
}

impl Sealed {
    fn seal(&mut self, row: u32, col: u16, value: &str) {
        if !self.refs.is_empty() {
            self.refs.push(',');
        }
        let start = self.refs.len();
        push_cell_name(&mut self.refs, row, col as u32);
        self.seal.cell(&self.refs[start..], value);
    }

    fn text(
        &mut self,
        ws: &mut Worksheet,
        row: u32,
        col: u16,
        s: &str,
        fm: Option<&Format>,
    ) -> Result<()> {
        match fm {
            Some(fm) => ws.write_string_with_format(row, col, s, fm)?,
            None => ws.write_string(row, col, s)?,
        };
        self.seal(row, col, s);
        Ok(())
    }

    /// A number, in its column's format unless `fm` is given.
    fn num(
        &mut self,
        ws: &mut Worksheet,
        row: u32,
        col: u16,
        x: Decimal,
        fm: Option<&Format>,
    ) -> Result<()> {
        let v = f(x);
        match fm {
            Some(fm) => ws.write_number_with_format(row, col, v, fm)?,
            None => ws.write_number(row, col, v)?,
        };
        self.seal(row, col, &digest::number(v));
        Ok(())
    }

    /// A measured or averaged value (actual, target, team average, gap),
    /// shown to [`SHOWN_PLACES`] decimals, half away from zero.
    fn measured(
        &mut self,
        ws: &mut Worksheet,
        row: u32,
        col: u16,
        x: Decimal,
        fm: Option<&Format>,
    ) -> Result<()> {
        self.num(ws, row, col, shown(x), fm)
    }
}

/// Why a person's total and grade are provisional (暂定), when they are:
/// the grade note reconciliation adds while a conflict is open.
pub fn provisional(p: &Scored, lang: Lang) -> Option<String> {
    let note = p.grade_notes.iter().find(|n| n.is_provisional())?;
    Some(match lang {
        Lang::Zh => format!("{note}，总分与等级为暂定"),
        Lang::En => format!("{}; total and grade may change", note.text(lang)),
    })
}

/// `深挖机会`: the employee's own customers, each with the catalogue
/// products it does not hold yet (产品渗透). Written only when products
/// are configured and the employee has customers assigned; no other
/// employee's customers appear.
fn deepening_sheet(wb: &mut Workbook, ctx: &Context, emp: usize, fm: &Formats) -> Result<()> {
    let lang = ctx.info.lang;
    let inst = ctx.instruments;
    let Some(holdings) = &inst.products else {
        return Ok(());
    };
    if !inst.customers.by_am.contains_key(&emp) || holdings.catalogue.is_empty() {
        return Ok(());
    }
    let list = crate::instruments::products::opportunities(holdings, &inst.customers, emp);
    let ws = book::streamed_sheet(wb)?;
    ws.set_name(labels::deepening_sheet(lang))?;
    let e = &ctx.data.employees[emp];
    let title = format!(
        "{} {}",
        e.name,
        l(lang, "产品深挖机会", "product deepening opportunities")
    );
    ws.write_string_with_format(0, 0, &title, &Format::new().set_bold().set_font_size(14))?;
    ws.write_string(
        1,
        0,
        l(
            lang,
            "所辖客户尚未持有的目录产品，持有产品最少的客户在前。",
            "Catalogue products your customers do not hold yet, customers holding the fewest first.",
        ),
    )?;
    let heads: Vec<String> = [
        l(lang, "客户编码", "Customer code"),
        l(lang, "客户名称", "Customer"),
        l(lang, "已持有产品数", "Products held"),
        l(lang, "目录产品数", "Catalogue size"),
        l(lang, "未持有产品数", "Products missing"),
        l(lang, "可深挖产品", "Products to offer"),
    ]
    .iter()
    .map(|x| x.to_string())
    .collect();
    let mut w = Widths::new();
    let hr = 3;
    book::header(ws, hr, &heads, fm, &mut w)?;
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let mut row = hr + 1;
    let n = holdings.catalogue.len();
    for o in &list {
        ws.write_string(row, 0, &o.code)?;
        ws.write_string(row, 1, &o.name)?;
        w.see(0, &o.code);
        w.see(1, &o.name);
        ws.write_number(row, 2, o.held as f64)?;
        ws.write_number(row, 3, n as f64)?;
        ws.write_number(row, 4, o.missing.len() as f64)?;
        let products: Vec<String> = o
            .missing
            .iter()
            .map(|&i| {
                let p = &holdings.catalogue[i];
                if p.name.is_empty() || p.name == p.code {
                    p.code.clone()
                } else {
                    format!("{} {}", p.code, p.name)
                }
            })
            .collect();
        let t = products.join(l(lang, "、", ", "));
        ws.write_string_with_format(row, 5, &t, &wrap)?;
        w.see(5, &t);
        row += 1;
    }
    if list.is_empty() {
        ws.write_string(
            row,
            0,
            l(
                lang,
                "所辖客户已持有全部目录产品。",
                "Your customers hold every catalogue product.",
            ),
        )?;
    }
    w.apply(ws)?;
    ws.protect();
    Ok(())
}

/// Decimals of the measured values shown in (and sealed by) a workbook:
/// more is noise, and a raw 17-digit double does not survive a re-save.
pub const SHOWN_PLACES: u32 = 4;

/// A measured value as shown: [`SHOWN_PLACES`] decimals, half away from zero.
pub fn shown(x: Decimal) -> Decimal {
    crate::score::round::round(x, Some(SHOWN_PLACES), RoundMode::HalfAwayFromZero)
}

/// KPI results in the order shown: counted KPIs first, monitors last.
fn shown_kpis(kpis: &[KpiScore]) -> Vec<&KpiScore> {
    let mut v: Vec<&KpiScore> = kpis.iter().collect();
    v.sort_by_key(|k| k.status == Status::Monitor);
    v
}

fn write_one(ctx: &Context, p: &Scored, path: &Path) -> Result<()> {
    super::book::guarded(path, || write_one_unguarded(ctx, p, path))
}

fn write_one_unguarded(ctx: &Context, p: &Scored, path: &Path) -> Result<()> {
    let lang = ctx.info.lang;
    let e = &ctx.data.employees[p.emp];
    let role = &ctx.config.scheme.roles[&e.role];
    let group = ctx.stats.of(ctx.data, p.emp).filter(|g| g.shareable());
    let title = format!(
        "{} {} {}",
        ctx.config.scheme.period.id,
        e.name,
        l(lang, "绩效考核结果确认单", "appraisal result")
    );
    let mut wb = book::new_workbook(super::period_date(ctx.config), &title)?;
    let fm = Formats::new();
    let appeals: &[Appeal] = ctx.inputs.appeals.get(&p.emp).map_or(&[], |v| v.as_slice());
    let mut sealed = Sealed {
        seal: digest::Sealer::new(&ctx.key, &ctx.info.run_id, &e.id),
        refs: String::new(),
    };
    let details = ctx.outcome.details(ctx.config, ctx.data, p)?;
    let shown = shown_kpis(&details.kpis);
    result_sheet(
        &mut wb,
        ctx,
        p,
        &shown,
        &details.adjustments,
        e,
        role,
        group,
        appeals,
        &fm,
        &title,
        &mut sealed,
    )?;
    comments_sheet(&mut wb, ctx, p, e, role, &fm)?;
    let appeal_by = ctx
        .config
        .scheme
        .feedback
        .as_ref()
        .and_then(|f| f.appeal_deadline());
    let kpis = answer_sheet(&mut wb, &shown, e, role, lang, &fm, appeal_by)?;
    deepening_sheet(&mut wb, ctx, p.emp, &fm)?;
    meta_sheet(&mut wb, ctx, e, sealed, &kpis)?;
    book::save(&mut wb, path)?;
    Ok(())
}

/// The note beside a value that was reconciled or overridden, and only
/// those: a value credited from reconciled projects (`Src::Credited`: which
/// projects, and whether provisional), or one an accepted appeal changed
/// (its text starts with `申诉改判`). Values read from an input, computed by
/// a formula or by an instrument get no note.
pub fn source_note(src: &Src, lang: Lang) -> Option<String> {
    match src {
        Src::Credited(c) => {
            let (projects, provisional) = (&c.projects, &c.provisional);
            let shown: Vec<&str> = projects.iter().take(8).map(|p| &**p).collect();
            let more = projects.len().saturating_sub(shown.len());
            let list = match (lang, more) {
                (_, 0) => shown.join(l(lang, "、", ", ")),
                (Lang::Zh, n) => format!("{} 等（另 {n} 个）", shown.join("、")),
                (Lang::En, n) => format!("{} and {n} more", shown.join(", ")),
            };
            let mut t = match (lang, projects.is_empty()) {
                (Lang::Zh, true) => "数据经对账：无项目计入".to_string(),
                (Lang::En, true) => "value reconciled: no project credited".to_string(),
                (Lang::Zh, false) => format!("数据经对账，计入项目：{list}"),
                (Lang::En, false) => format!("value reconciled, credited projects: {list}"),
            };
            if !provisional.is_empty() {
                t.push_str(l(
                    lang,
                    "（暂定：对账未决）",
                    " (provisional: reconciliation not settled)",
                ));
            }
            Some(t)
        }
        Src::Derived(s) if s.starts_with("申诉改判") => Some(match lang {
            Lang::Zh => s.to_string(),
            Lang::En => format!(
                "value changed on appeal: {}",
                s.trim_start_matches("申诉改判").trim_start_matches('：')
            ),
        }),
        _ => None,
    }
}

fn decision_label(d: Decision, lang: Lang) -> &'static str {
    match d {
        Decision::Accepted => l(lang, "申诉已采纳", "appeal accepted"),
        Decision::Rejected => l(lang, "申诉已驳回", "appeal rejected"),
        Decision::Pending => l(lang, "申诉待处理", "appeal pending"),
    }
}

/// One line saying what came of an appeal.
pub fn appeal_line(a: &Appeal, lang: Lang) -> String {
    let mut parts = vec![decision_label(a.decision, lang).to_string()];
    if a.decision == Decision::Accepted {
        if let Some(v) = a.new_value {
            parts.push(match lang {
                Lang::Zh => format!(
                    "实际值由 {} 改为 {}",
                    a.old_value.map_or("—".into(), explain::num),
                    explain::num(v)
                ),
                Lang::En => format!(
                    "actual changed from {} to {}",
                    a.old_value.map_or("—".into(), explain::num),
                    explain::num(v)
                ),
            });
        }
        if let Some(pts) = a.points {
            parts.push(match lang {
                Lang::Zh => format!("调整 {} 分", explain::num(pts)),
                Lang::En => format!("{} points", explain::num(pts)),
            });
        }
    }
    if !a.reason.is_empty() {
        parts.push(format!("{}{}", l(lang, "理由：", "reason: "), a.reason));
    }
    parts.join(l(lang, "；", "; "))
}

#[allow(clippy::too_many_arguments)]
fn result_sheet(
    wb: &mut Workbook,
    ctx: &Context,
    p: &Scored,
    kpis: &[&KpiScore],
    adjustments: &[AdjustmentScore],
    e: &Employee,
    role: &Role,
    group: Option<&Group>,
    appeals: &[Appeal],
    fm: &Formats,
    title: &str,
    s: &mut Sealed,
) -> Result<()> {
    let lang = ctx.info.lang;
    let scale = &ctx.config.scheme.grades.scale;
    let sheet = labels::result_sheet(lang);
    let ws = book::streamed_sheet(wb)?;
    ws.set_name(sheet)?;
    let mut w = Widths::new();
    let title_fm = Format::new().set_bold().set_font_size(14);
    s.text(ws, 0, 0, title, Some(&title_fm))?;
    let hidden = l(
        lang,
        "—（班组同岗人数少于3人，不公开）",
        "— (fewer than 3 in the team's role: not shown)",
    );
    let rows: Vec<(&str, String)> = vec![
        (l(lang, "姓名", "Name"), e.name.clone()),
        (l(lang, "工号", "Id"), e.id.clone()),
        (l(lang, "岗位", "Role"), role.name.clone()),
        (l(lang, "班组", "Team"), e.team.clone()),
        (
            l(lang, "考核周期", "Period"),
            ctx.config.scheme.period.id.clone(),
        ),
    ];
    let mut r = 2u32;
    for (label, v) in &rows {
        s.text(ws, r, 0, label, Some(&fm.bold))?;
        s.text(ws, r, 1, v, None)?;
        w.see(0, label);
        r += 1;
    }
    let label = l(lang, "总分", "Total");
    let pending = provisional(p, lang);
    s.text(ws, r, 0, label, Some(&fm.bold))?;
    s.num(ws, r, 1, p.total, Some(&fm.num))?;
    if let Some(why) = &pending {
        s.text(ws, r, 2, why, Some(&fm.warn))?;
    }
    r += 1;
    s.text(ws, r, 0, l(lang, "等级", "Grade"), Some(&fm.bold))?;
    s.text(ws, r, 1, &scale[p.grade], Some(fm.grade(p.grade)))?;
    if pending.is_some() {
        s.text(ws, r, 2, l(lang, "暂定", "provisional"), Some(&fm.warn))?;
    }
    r += 1;
    s.text(ws, r, 0, l(lang, "班组排名", "Team rank"), Some(&fm.bold))?;
    s.text(ws, r, 1, &p.team_rank.label(lang == Lang::Zh), None)?;
    r += 1;
    for (label, v) in [
        (
            l(lang, "班组同岗平均总分", "Team average total"),
            group.map(|g| g.total_avg),
        ),
        (
            l(lang, "班组同岗最高总分", "Team best total"),
            group.map(|g| g.total_best),
        ),
    ] {
        s.text(ws, r, 0, label, Some(&fm.bold))?;
        w.see(0, label);
        match v {
            Some(v) => s.measured(ws, r, 1, v, Some(&fm.num))?,
            None => s.text(ws, r, 1, hidden, None)?,
        }
        r += 1;
    }
    w.see(1, &e.team);
    w.see(1, "0000.00");

    // The KPI table.
    let hr = r + 1;
    let heads: Vec<String> = [
        l(lang, "指标编号", "KPI id"),
        l(lang, "指标", "KPI"),
        l(lang, "实际值", "Actual"),
        l(lang, "目标值", "Target"),
        l(lang, "完成率", "Completion"),
        l(lang, "得分系数", "Score"),
        l(lang, "权重", "Weight"),
        l(lang, "加权得分", "Weighted"),
        l(lang, "计分说明", "How it was scored"),
        l(lang, "班组平均得分", "Team average score"),
        l(lang, "班组最佳得分", "Team best score"),
        l(lang, "与平均差距", "Gap to average"),
        l(lang, "数据来源", "Data source"),
        l(lang, "备注", "Notes"),
    ]
    .iter()
    .map(|x| x.to_string())
    .collect();
    for (c, h) in heads.iter().enumerate() {
        s.text(ws, hr, c as u16, h, Some(&fm.header))?;
        w.see(c as u16, h);
    }
    // Only the KPI table reaches these columns.
    book::column_formats(
        ws,
        &[
            (4, &fm.pct),
            (5, &fm.num4),
            (7, &fm.num),
            (9, &fm.num4),
            (10, &fm.num4),
            (11, &fm.num4),
        ],
    )?;
    let mut row = hr + 1;
    let first = row;
    let mut counted = 0u32;
    for k in kpis {
        let kpi = &role.kpis[k.kpi];
        if k.status != Status::Monitor {
            counted += 1;
        }
        s.text(ws, row, 0, &kpi.id, None)?;
        s.text(ws, row, 1, &kpi.name, None)?;
        w.see(0, &kpi.id);
        w.see(1, &kpi.name);
        if let Some(a) = k.actual {
            s.measured(ws, row, 2, a, None)?;
        }
        if let Some(t) = k.target {
            s.measured(ws, row, 3, t, None)?;
        }
        if let Some(rt) = k.rate {
            s.num(ws, row, 4, rt, None)?;
        }
        s.num(ws, row, 5, k.score, None)?;
        s.num(ws, row, 6, k.weight, None)?;
        s.num(ws, row, 7, k.weighted, None)?;
        let why = explain::sentence(kpi, k, lang);
        s.text(ws, row, 8, &why, None)?;
        w.see(8, &why);
        if let Some(g) = group
            && counts(k.status)
        {
            if let Some(avg) = g.kpi_avg.get(k.kpi).copied().flatten() {
                s.measured(ws, row, 9, avg, None)?;
                let gap = shown(k.score) - shown(avg);
                let behind = (gap < Decimal::ZERO).then_some(&fm.warn);
                s.measured(ws, row, 11, gap, behind)?;
            }
            if let Some(best) = g.kpi_best.get(k.kpi).copied().flatten() {
                s.measured(ws, row, 10, best, None)?;
            }
        }
        let (actual_src, target_src) = ctx.outcome.sources(ctx.data, kpi, p.emp);
        if let Some(src) = &actual_src {
            let t = src.to_string();
            s.text(ws, row, 12, &t, None)?;
            w.see(12, &t);
        }
        let mut notes = Vec::new();
        if k.status != Status::Scored {
            notes.push(kpi_status_label(k, lang).to_string());
        }
        if k.voided {
            notes.push(l(lang, "因一票否决作废", "voided by a veto").to_string());
        }
        for src in [&actual_src, &target_src].into_iter().flatten() {
            if let Some(n) = source_note(src, lang) {
                notes.push(n);
            }
        }
        for a in appeals.iter().filter(|a| a.kpi == Some(k.kpi)) {
            notes.push(appeal_line(a, lang));
        }
        if let Some(n) = &kpi.note {
            notes.push(n.clone());
        }
        if !notes.is_empty() {
            let t = notes.join(l(lang, "；", "; "));
            s.text(ws, row, 13, &t, None)?;
            w.see(13, &t);
        }
        row += 1;
    }

    // Adjustments, vetoes, notes, appeals.
    row += 1;
    let sec_heads = [
        l(lang, "加减分项", "Adjustment"),
        l(lang, "次数", "Count"),
        l(lang, "分值", "Points"),
        l(lang, "说明", "Detail"),
    ];
    for (c, h) in sec_heads.iter().enumerate() {
        s.text(ws, row, c as u16, h, Some(&fm.header))?;
    }
    row += 1;
    let mut any = false;
    for a in adjustments {
        if a.count.is_zero() && a.points.is_zero() {
            continue;
        }
        any = true;
        let sec = &role.adjustments[a.section];
        let item = &sec.items[a.item];
        let name = format!("{}·{}", sec.name, item.name);
        s.text(ws, row, 0, &name, None)?;
        w.see(0, &name);
        s.measured(ws, row, 1, a.count, None)?;
        s.num(ws, row, 2, a.points, Some(&fm.num))?;
        let mut why = adjustment_why(item, a, lang);
        if item.metric != feedback::appeals::POINTS_METRIC
            && let Some(n) = a.src.as_ref().and_then(|x| source_note(x, lang))
        {
            why = format!("{why}{}{n}", l(lang, "；", "; "));
        }
        s.text(ws, row, 3, &why, None)?;
        row += 1;
    }
    if !any {
        s.text(ws, row, 0, l(lang, "无", "none"), None)?;
        row += 1;
    }
    s.text(
        ws,
        row,
        0,
        l(lang, "加减分合计", "Adjustments in total"),
        Some(&fm.bold),
    )?;
    s.num(ws, row, 2, p.adjustment_total, Some(&fm.num))?;
    row += 2;
    for hit in &p.vetoes {
        let v = &role.vetoes[hit.veto];
        let effect = match hit.effect {
            VetoEffect::TotalZero => l(lang, "总分归零", "total set to zero"),
            VetoEffect::SectionZero => l(lang, "该部分指标作废", "its section voided"),
            VetoEffect::GradeCeiling => l(lang, "等级封顶", "grade capped"),
        };
        s.text(ws, row, 0, l(lang, "一票否决", "Veto"), Some(&fm.bold))?;
        s.text(
            ws,
            row,
            1,
            &format!("{}（{effect}）", v.name),
            Some(&fm.warn),
        )?;
        row += 1;
    }
    let notes = person_notes(ctx.config, ctx.data, p, lang);
    if !notes.is_empty() {
        s.text(
            ws,
            row,
            0,
            l(lang, "等级与总分说明", "Notes on total and grade"),
            Some(&fm.bold),
        )?;
        s.text(ws, row, 1, &notes, None)?;
        row += 1;
    }
    if !appeals.is_empty() {
        row += 1;
        s.text(
            ws,
            row,
            0,
            l(lang, "申诉处理结果", "Appeal outcomes"),
            Some(&fm.header),
        )?;
        row += 1;
        for a in appeals {
            let what = a.kpi.map_or(l(lang, "总体", "overall").to_string(), |k| {
                role.kpis[k].name.clone()
            });
            s.text(ws, row, 0, &what, None)?;
            s.text(ws, row, 1, &appeal_line(a, lang), None)?;
            row += 1;
        }
    }
    w.apply(ws)?;
    ws.set_column_width(8, 48)?;
    ws.set_column_width(13, 40)?;
    ws.set_column_width(1, 24)?;

    // Own score against the team's average, per counted KPI.
    if counted > 0 {
        let last = first + counted - 1;
        let mut chart = Chart::new(ChartType::Column);
        chart
            .add_series()
            .set_name(l(lang, "本人得分系数", "Own score"))
            .set_categories((sheet, first, 1, last, 1))
            .set_values((sheet, first, 5, last, 5));
        if group.is_some() {
            chart
                .add_series()
                .set_name(l(lang, "班组平均", "Team average"))
                .set_categories((sheet, first, 1, last, 1))
                .set_values((sheet, first, 9, last, 9));
        }
        chart.title().set_name(l(
            lang,
            "本人与班组平均得分对比",
            "Own score against the team average",
        ));
        chart.set_width(760).set_height(320);
        ws.insert_chart(row + 1, 0, &chart)?;
    }
    ws.protect();
    Ok(())
}

fn comments_sheet(
    wb: &mut Workbook,
    ctx: &Context,
    p: &Scored,
    e: &Employee,
    role: &Role,
    fm: &Formats,
) -> Result<()> {
    let lang = ctx.info.lang;
    let ws = book::streamed_sheet(wb)?;
    ws.set_name(labels::comments_sheet(lang))?;
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let title = format!("{} {}", e.name, l(lang, "上级评语", "manager's comments"));
    ws.write_string_with_format(0, 0, &title, &Format::new().set_bold().set_font_size(14))?;
    ws.set_column_width(0, 18)?;
    ws.set_column_width(1, 80)?;
    match ctx.inputs.comments.get(&p.emp) {
        None => {
            ws.write_string(
                2,
                0,
                l(
                    lang,
                    "上级尚未填写评语。",
                    "No comments from the manager yet.",
                ),
            )?;
        }
        Some(c) => {
            let mut r = 2;
            for (label, v) in [
                (l(lang, "主要优点", "Strengths"), &c.strengths),
                (l(lang, "待改进", "To improve"), &c.improve),
                (l(lang, "下期计划", "Next period plan"), &c.plan),
            ] {
                ws.write_string_with_format(r, 0, label, &fm.bold)?;
                ws.write_string_with_format(r, 1, v, &wrap)?;
                r += 1;
            }
            if !c.kpis.is_empty() {
                r += 1;
                ws.write_string_with_format(r, 0, l(lang, "指标", "KPI"), &fm.header)?;
                ws.write_string_with_format(r, 1, l(lang, "上级评语", "Comment"), &fm.header)?;
                r += 1;
                for (k, text) in &c.kpis {
                    ws.write_string(r, 0, &role.kpis[*k].name)?;
                    ws.write_string_with_format(r, 1, text, &wrap)?;
                    r += 1;
                }
            }
        }
    }
    ws.protect();
    Ok(())
}

/// Writes `员工反馈`; returns the KPI ids in the order of their rows.
fn answer_sheet(
    wb: &mut Workbook,
    kpis: &[&KpiScore],
    e: &Employee,
    role: &Role,
    lang: Lang,
    fm: &Formats,
    appeal_by: Option<chrono::NaiveDate>,
) -> Result<Vec<String>> {
    let ws = book::streamed_sheet(wb)?;
    ws.set_name(labels::answer_sheet(lang))?;
    let input = Format::new()
        .set_unlocked()
        .set_background_color(Color::RGB(0xFFF2CC))
        .set_text_wrap()
        .set_border(rust_xlsxwriter::FormatBorder::Thin);
    let date_input = input.clone().set_num_format("yyyy-mm-dd");
    let title = format!("{} {}（{}）", e.name, l(lang, "员工反馈", "feedback"), e.id);
    ws.write_string_with_format(0, 0, &title, &Format::new().set_bold().set_font_size(14))?;
    ws.write_string(
        1,
        0,
        l(
            lang,
            "请在黄色单元格中填写后交回；其余单元格已锁定。",
            "Fill in the yellow cells and hand the workbook back; the other cells are locked.",
        ),
    )?;
    let heads = [
        l(lang, "指标编号", "KPI id"),
        l(lang, "指标", "KPI"),
        l(lang, "是否同意", "Agree?"),
        l(lang, "理由（不同意时请填写）", "Reason (when you disagree)"),
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
            .set_error_message(l(
                lang,
                "请选择“同意”或“不同意”。",
                "Choose Agree or Disagree.",
            ))?;
        ws.add_data_validation(ANSWER_HEADER_ROW + 1, 2, r - 1, 2, &dv)?;
    }
    let o = r + 1;
    ws.write_string_with_format(o, 0, l(lang, "总体意见", "Overall"), &fm.header)?;
    ws.write_string_with_format(o, 1, l(lang, "请填写", "Your answer"), &fm.header)?;
    let labels_ = [
        l(lang, "确认或申诉", "Confirm or appeal"),
        l(lang, "申诉理由", "Reason for the appeal"),
        l(lang, "证据材料", "Evidence"),
        l(lang, "改进计划", "Improvement plan"),
        l(lang, "需要的支持", "Support wanted"),
        l(lang, "日期", "Date"),
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
        .set_error_message(l(
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
    w.apply(ws)?;
    ws.set_column_width(1, 40)?;
    ws.set_column_width(2, 12)?;
    ws.set_column_width(3, 60)?;
    ws.protect();
    Ok(ids)
}

fn meta_sheet(
    wb: &mut Workbook,
    ctx: &Context,
    e: &Employee,
    s: Sealed,
    kpis: &[String],
) -> Result<()> {
    let lang = ctx.info.lang;
    let ws = book::streamed_sheet(wb)?;
    ws.set_name(labels::META_SHEET)?;
    let refs = s.refs;
    let seal = s.seal.finish();
    let answers = ANSWER_HEADER_ROW + 1;
    let overall = answers + kpis.len() as u32 + 2;
    let rows: [(&str, String); 10] = [
        ("format", labels::META_FORMAT.to_string()),
        ("run_id", ctx.info.run_id.clone()),
        ("employee", e.id.clone()),
        ("digest", seal),
        ("result_sheet", labels::result_sheet(lang).to_string()),
        ("sealed_cells", refs),
        ("answer_sheet", labels::answer_sheet(lang).to_string()),
        ("kpis", kpis.join(",")),
        ("kpi_row", answers.to_string()),
        ("overall_row", overall.to_string()),
    ];
    for (r, (k, v)) in rows.iter().enumerate() {
        ws.write_string(r as u32, 0, *k)?;
        ws.write_string(r as u32, 1, v)?;
    }
    ws.protect();
    ws.set_hidden(true);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Credited;

    #[test]
    fn notes_only_reconciled_and_appealed_values() {
        // Issue 4 review: the note was inverted (instrument metrics noted,
        // credited project values not).
        let credited = Src::Credited(Box::new(Credited {
            projects: vec!["P001".into(), "P007".into()],
            provisional: vec![],
        }));
        assert_eq!(
            source_note(&credited, Lang::Zh).as_deref(),
            Some("数据经对账，计入项目：P001、P007")
        );
        let open = Src::Credited(Box::new(Credited {
            projects: vec!["P002".into()],
            provisional: vec!["P002".into()],
        }));
        assert_eq!(
            source_note(&open, Lang::En).as_deref(),
            Some(
                "value reconciled, credited projects: P002 (provisional: reconciliation not settled)"
            )
        );
        let appeal = Src::Derived("申诉改判：原值 10 改为 12（合同）".into());
        assert_eq!(
            source_note(&appeal, Lang::Zh).as_deref(),
            Some("申诉改判：原值 10 改为 12（合同）")
        );
        assert_eq!(
            source_note(&appeal, Lang::En).as_deref(),
            Some("value changed on appeal: 原值 10 改为 12（合同）")
        );
        for quiet in [
            Src::Derived("产品渗透 products.xlsx".into()),
            Src::Derived("客户月度 customers.xlsx".into()),
            Src::Derived("公式指标 per_visit".into()),
            Src::Derived("常量".into()),
        ] {
            assert_eq!(source_note(&quiet, Lang::Zh), None, "{quiet:?}");
        }
    }

    #[test]
    fn measured_values_are_shown_to_four_places() {
        use std::str::FromStr;
        let x = Decimal::from_str("0.8199926766752106").unwrap_or_default();
        assert_eq!(shown(x).to_string(), "0.8200");
        let half = Decimal::from_str("-1.23455").unwrap_or_default();
        assert_eq!(shown(half).to_string(), "-1.2346");
    }
}
