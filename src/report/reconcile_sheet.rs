//! The 对账 and 项目 sheets of `summary.xlsx`. 对账: a row per project ×
//! field where the sources differ (or a project some source does not
//! report): what each source said and where, the difference, the tolerance
//! verdict, the policy, the value used and HR's override; unresolved
//! conflicts first, highlighted. 项目: per project and credit, what each
//! person received, the project's figure and what it adds to team and
//! company totals (never more than the figure), then the team totals.

use super::book::to_f64;
use super::book::{Formats, Widths, in_lang};
use super::pages::Pages;
use super::sheets::Sheets;
use crate::config::Config;
use crate::config::reconcile::{Credit, Reconcile, Share, Trigger};
use crate::error::Result;
use crate::ingest::Dataset;
use crate::lang::Lang;
use crate::reconcile::conflict::{Conflict, show};
use crate::reconcile::{ProjectCredit, Reconciliation, Status};
use crate::text::policy::policy_label;
use rust_xlsxwriter::Worksheet;

/// The reconciliation's settings, when it is configured and ran.
fn settings<'a>(
    config: &'a Config,
    recon: &Reconciliation,
) -> Option<&'a crate::config::reconcile::Reconcile> {
    config.scheme.reconcile.as_ref().filter(|_| recon.enabled)
}

fn put(ws: &mut Worksheet, w: &mut Widths, row: u32, col: u16, text: &str) -> Result<()> {
    if !text.is_empty() {
        ws.write_string(row, col, text)?;
        w.see(col, text);
    }
    Ok(())
}

/// 对账 (none without a reconciliation).
pub fn conflicts(
    sheets: &Sheets,
    config: &Config,
    data: &Dataset,
    recon: &Reconciliation,
    lang: Lang,
    fm: &Formats,
) -> Result<Vec<Worksheet>> {
    let Some(r) = settings(config, recon) else {
        return Ok(Vec::new());
    };
    let sources: Vec<&String> = r.sources.keys().collect();
    let labels = conflict_labels(r, &sources, lang);
    let mut pages = Pages::new(sheets, in_lang(lang, "对账", "Reconciliation"), labels, fm);
    let names: std::collections::BTreeMap<&str, &str> = recon
        .projects
        .iter()
        .map(|p| (&*p.id, p.name.as_str()))
        .collect();
    for c in &recon.rows {
        let (ws, w, row) = pages.take(1)?;
        let status = status_label(c.status, lang);
        if c.status == Status::Unresolved {
            ws.write_string_with_format(row, 0, status, &fm.warn)?;
            ws.write_string_with_format(row, 1, &*c.project, &fm.warn)?;
            w.see(0, status);
            w.see(1, &c.project);
        } else {
            put(ws, w, row, 0, status)?;
            put(ws, w, row, 1, &c.project)?;
        }
        put(ws, w, row, 2, names.get(&*c.project).copied().unwrap_or(""))?;
        let field = if c.is_presence() {
            in_lang(lang, "（项目）", "(project)").to_string()
        } else {
            r.field_label(&c.field).to_string()
        };
        put(ws, w, row, 3, &field)?;
        observed_cells(ws, w, row, c, &sources, lang)?;
        let col = 4 + 2 * sources.len() as u16;
        settlement_cells(ws, w, row, col, c, r, lang)?;
        let missing: Vec<&str> = c.missing.iter().map(|s| r.source_label(s)).collect();
        put(
            ws,
            w,
            row,
            col + 9,
            &missing.join(in_lang(lang, "、", ", ")),
        )?;
        let touches: Vec<&str> = c
            .touches
            .iter()
            .map(|&e| data.employees[e].id.as_str())
            .collect();
        put(ws, w, row, col + 10, &touches.join(", "))?;
    }
    pages.finish()
}

/// The 对账 sheet's column labels: two columns (value, cell) per source.
fn conflict_labels(r: &Reconcile, sources: &[&String], lang: Lang) -> Vec<String> {
    let mut labels: Vec<String> = [
        in_lang(lang, "状态", "Status"),
        in_lang(lang, "项目编号", "Project"),
        in_lang(lang, "项目名称", "Project name"),
        in_lang(lang, "字段", "Field"),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for s in sources {
        let name = r.source_label(s);
        labels.push(format!("{name}{}", in_lang(lang, " 值", " value")));
        labels.push(format!("{name}{}", in_lang(lang, " 单元格", " cell")));
    }
    for x in [
        in_lang(lang, "差异", "Difference"),
        in_lang(lang, "容差内", "Within tolerance"),
        in_lang(lang, "策略", "Policy"),
        in_lang(lang, "处理", "How settled"),
        in_lang(lang, "采用值", "Value used"),
        in_lang(lang, "裁定值", "Override"),
        in_lang(lang, "裁定原因", "Override reason"),
        in_lang(lang, "决定人", "Decided by"),
        in_lang(lang, "裁定日期", "Decided on"),
        in_lang(lang, "缺失来源", "Missing from"),
        in_lang(lang, "涉及员工", "Employees affected"),
    ] {
        labels.push(x.to_string());
    }
    labels
}

/// A conflict's status as the sheet says it.
fn status_label(status: Status, lang: Lang) -> &'static str {
    if lang == Lang::Zh {
        status.label_zh()
    } else {
        match status {
            Status::Unresolved => "unresolved",
            Status::Overridden => "overridden",
            Status::ByPolicy => "by policy",
            Status::WithinTolerance => "within tolerance",
            Status::Missing => "missing from a source",
        }
    }
}

/// What each source said of a conflict and where, two columns per source from column 4.
fn observed_cells(
    ws: &mut Worksheet,
    w: &mut Widths,
    row: u32,
    c: &Conflict,
    sources: &[&String],
    lang: Lang,
) -> Result<()> {
    for (j, s) in sources.iter().enumerate() {
        let mine: Vec<_> = c.obs.iter().filter(|o| *o.source == ***s).collect();
        let vals: Vec<String> = mine
            .iter()
            .map(|o| {
                if c.is_presence() {
                    in_lang(lang, "有", "present").to_string()
                } else {
                    show(&o.value)
                }
            })
            .collect();
        let cells: Vec<String> = mine.iter().map(|o| o.origin.short()).collect();
        let col = 4 + 2 * j as u16;
        match mine.as_slice() {
            [one] if one.value.num().is_some() => {
                ws.write_number(row, col, to_f64(one.value.num().unwrap_or_default()))?;
            }
            _ => put(ws, w, row, col, &vals.join(" / "))?,
        }
        put(ws, w, row, col + 1, &cells.join(" / "))?;
    }
    Ok(())
}

/// From column `col`: the difference, the tolerance verdict, the policy, how
/// the conflict was settled, the value used and HR's override.
fn settlement_cells(
    ws: &mut Worksheet,
    w: &mut Widths,
    row: u32,
    col: u16,
    c: &Conflict,
    r: &Reconcile,
    lang: Lang,
) -> Result<()> {
    let yes_no = |b: bool| {
        if b {
            in_lang(lang, "是", "yes")
        } else {
            in_lang(lang, "否", "no")
        }
    };
    let mut col = col;
    if let Some(d) = c.decision.difference {
        ws.write_number(row, col, to_f64(d))?;
    }
    col += 1;
    if !c.is_presence() {
        put(ws, w, row, col, yes_no(c.decision.within))?;
        if let Some(p) = c.policy(r) {
            // Inside the tolerance the policy does not apply (issue 15):
            // the column says so rather than name it bare beside 容差内.
            let label = policy_label(p, r, lang);
            let label = if c.decision.within {
                format!(
                    "{label}{}",
                    in_lang(lang, "（仅超出容差时）", " (beyond the tolerance only)")
                )
            } else {
                label
            };
            put(ws, w, row, col + 1, &label)?;
        }
    }
    let how = if c.overridden.is_some() {
        in_lang(lang, "人工裁定优先于策略", "override beats the policy").to_string()
    } else {
        c.decision.how.show(r, lang)
    };
    put(ws, w, row, col + 2, &how)?;
    if let Some(v) = c.resolved() {
        match v.num() {
            Some(n) => {
                ws.write_number(row, col + 3, to_f64(n))?;
            }
            None => put(ws, w, row, col + 3, &show(v))?,
        }
    }
    if let Some(o) = &c.overridden {
        put(ws, w, row, col + 4, &show(&o.value))?;
        put(ws, w, row, col + 5, &o.reason)?;
        put(ws, w, row, col + 6, &o.by)?;
        put(
            ws,
            w,
            row,
            col + 7,
            &o.date.map(|d| d.to_string()).unwrap_or_default(),
        )?;
    }
    Ok(())
}

/// 项目 (none without a reconciliation).
pub fn projects(
    sheets: &Sheets,
    config: &Config,
    data: &Dataset,
    recon: &Reconciliation,
    lang: Lang,
    fm: &Formats,
) -> Result<Vec<Worksheet>> {
    let Some(r) = settings(config, recon) else {
        return Ok(Vec::new());
    };
    let labels: Vec<String> = [
        in_lang(lang, "项目编号", "Project"),
        in_lang(lang, "项目名称", "Project name"),
        in_lang(lang, "业绩项", "Credit"),
        in_lang(lang, "方式", "Mode"),
        in_lang(lang, "触发", "Trigger"),
        in_lang(lang, "日期", "Date"),
        in_lang(lang, "计入本期", "In period"),
        in_lang(lang, "项目数值", "Project figure"),
        in_lang(lang, "角色", "Role"),
        in_lang(lang, "工号", "Id"),
        in_lang(lang, "姓名", "Name"),
        in_lang(lang, "比例", "Share"),
        in_lang(lang, "个人业绩", "Credited"),
        in_lang(lang, "个人业绩合计", "Σ credited"),
        in_lang(lang, "计入团队/公司合计", "Counted in totals"),
        in_lang(lang, "暂定", "Provisional"),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut pages = Pages::new(sheets, in_lang(lang, "项目", "Projects"), labels, fm)
        .column_formats(&[(11, &fm.pct), (12, &fm.num), (13, &fm.num), (14, &fm.num)]);
    let names: std::collections::BTreeMap<&str, &str> = recon
        .projects
        .iter()
        .map(|p| (&*p.id, p.name.as_str()))
        .collect();
    let mut pcs: Vec<_> = recon.credits.iter().collect();
    pcs.sort_by(|a, b| (&a.project, a.credit).cmp(&(&b.project, b.credit)));
    for pc in pcs {
        let c = &r.credits[pc.credit];
        let name = names.get(&*pc.project).copied().unwrap_or("");
        let head = |ws: &mut Worksheet, w: &mut Widths, row: u32| {
            project_head(ws, w, row, pc, c, name, lang)
        };
        if pc.lines.is_empty() {
            let (ws, w, row) = pages.take(1)?;
            head(ws, w, row)?;
            continue;
        }
        // A project's credit lines stay together on one page.
        let (ws, w, first) = pages.take(pc.lines.len())?;
        for (i, line) in pc.lines.iter().enumerate() {
            let row = first + i as u32;
            head(ws, w, row)?;
            let role = config
                .scheme
                .roles
                .get(&*line.role)
                .map_or(&*line.role, |x| x.name.as_str());
            put(ws, w, row, 8, role)?;
            match line.emp {
                Some(e) => {
                    put(ws, w, row, 9, &data.employees[e].id)?;
                    put(ws, w, row, 10, &data.employees[e].name)?;
                    ws.write_number(row, 12, to_f64(line.amount))?;
                    if line.provisional {
                        put(ws, w, row, 15, in_lang(lang, "是", "yes"))?;
                    }
                }
                None => put(ws, w, row, 9, in_lang(lang, "（无人，不计）", "(nobody)"))?,
            }
            if let Some(s) = line.share {
                ws.write_number(row, 11, to_f64(s))?;
            }
            if !matches!(c.share(), Share::Shared(_)) {
                ws.write_number(row, 13, to_f64(pc.credited_sum()))?;
                ws.write_number(row, 14, to_f64(pc.counted_once))?;
            }
        }
    }
    credit_totals(&mut pages, recon, r, lang, fm)?;
    pages.finish()
}

/// The columns every line of a project's credit repeats: the project, the
/// credit, its mode and trigger, the date, whether it counts in the period
/// and the project's figure.
fn project_head(
    ws: &mut Worksheet,
    w: &mut Widths,
    row: u32,
    pc: &ProjectCredit,
    c: &Credit,
    name: &str,
    lang: Lang,
) -> Result<()> {
    let mode = match c.share() {
        Share::Split(_) => in_lang(lang, "分成", "split"),
        Share::Overlay(_) => in_lang(lang, "双计", "overlay"),
        Share::Shared(_) => in_lang(lang, "共背", "shared"),
    };
    put(ws, w, row, 0, &pc.project)?;
    put(ws, w, row, 1, name)?;
    put(ws, w, row, 2, c.label())?;
    put(ws, w, row, 3, mode)?;
    put(
        ws,
        w,
        row,
        4,
        match (lang, c.trigger) {
            (Lang::Zh, t) => t.label_zh(),
            (Lang::En, Trigger::Signed) => "signed",
            (Lang::En, Trigger::Accepted) => "accepted",
            (Lang::En, Trigger::Collected) => "collected",
        },
    )?;
    put(
        ws,
        w,
        row,
        5,
        &pc.date.map(|d| d.to_string()).unwrap_or_default(),
    )?;
    put(
        ws,
        w,
        row,
        6,
        if pc.in_period {
            in_lang(lang, "是", "yes")
        } else {
            in_lang(lang, "否", "no")
        },
    )?;
    if let Some(b) = pc.base {
        ws.write_number(row, 7, to_f64(b))?;
    }
    Ok(())
}

/// Totals after a blank row, kept together: per credit and team, then the company's.
fn credit_totals(
    pages: &mut Pages,
    recon: &Reconciliation,
    r: &Reconcile,
    lang: Lang,
    fm: &Formats,
) -> Result<()> {
    // Totals: per credit, per team, and the company, kept together after a blank row.
    let companies = r
        .credits
        .iter()
        .filter(|c| !matches!(c.share(), Share::Shared(_)));
    let (ws, w, mut row) = pages.take(2 + recon.teams.len() + companies.count())?;
    row += 1;
    let total_labels: Vec<String> = [
        in_lang(lang, "合计范围", "Totals of"),
        in_lang(lang, "业绩项", "Credit"),
        in_lang(lang, "个人业绩之和", "Σ personal credits"),
        in_lang(
            lang,
            "合计（每个项目只计一次）",
            "Total (each project once)",
        ),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for (c, t) in total_labels.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, t, &fm.header)?;
    }
    row += 1;
    for t in &recon.teams {
        put(ws, w, row, 0, &t.team)?;
        put(ws, w, row, 1, r.credits[t.credit].label())?;
        ws.write_number_with_format(row, 2, to_f64(t.members_sum), &fm.num)?;
        ws.write_number_with_format(row, 3, to_f64(t.once), &fm.num)?;
        row += 1;
    }
    for (ci, c) in r.credits.iter().enumerate() {
        if matches!(c.share(), Share::Shared(_)) {
            continue;
        }
        let mine = recon.credits.iter().filter(|pc| pc.credit == ci);
        let (sum, once) = mine.fold(
            Default::default(),
            |(s, o): (rust_decimal::Decimal, rust_decimal::Decimal), pc| {
                (s + pc.credited_sum(), o + pc.counted_once)
            },
        );
        ws.write_string_with_format(row, 0, in_lang(lang, "公司合计", "Company"), &fm.bold)?;
        put(ws, w, row, 1, c.label())?;
        ws.write_number_with_format(row, 2, to_f64(sum), &fm.num)?;
        ws.write_number_with_format(row, 3, to_f64(once), &fm.num)?;
        row += 1;
    }
    Ok(())
}
