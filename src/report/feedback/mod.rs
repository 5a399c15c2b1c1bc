//! One workbook per employee, `feedback/<team>/<id>-<name>.xlsx`, for the
//! appraisal interview (绩效面谈): `考核结果` (the result, each KPI explained,
//! beside the team's average and best), `上级评语` (the manager's comments),
//! `员工反馈` (what the employee writes back: unlocked cells with dropdowns
//! on a protected sheet) and a hidden sheet sealing every cell of the result
//! with a digest, so `appraise collect` detects an altered score. A workbook
//! holds its employee's data and team aggregates only, never a colleague's
//! name or score. Workbooks are independent and written in parallel.

use super::RunInfo;
use super::book::to_f64;
use super::book::{self, Formats, Widths, in_lang};
use super::team_stats::{Group, TeamStats, counts};
use crate::config::{Config, Role, RoundMode, VetoEffect};
use crate::error::{Error, Result, push_cell_name};
use crate::feedback::labels::OVERALL_ROWS;
use crate::feedback::{self, Appeal, Decision, digest, file_part, labels};
use crate::ingest::{Dataset, Employee, Src};
use crate::lang::Lang;
use crate::score::{AdjustmentScore, KpiScore, Outcome, PersonOutcome, Status};
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

mod answer;
mod comments;
mod deepening;
mod meta;
mod result;
mod sign;
use answer::answer_sheet;
use comments::comments_sheet;
use deepening::deepening_sheet;
use meta::meta_sheet;
use result::result_sheet;

/// Everything the writers share, built once.
pub struct Context<'a> {
    pub config: &'a Config,
    pub data: &'a Dataset,
    /// What the management instruments read.
    pub instruments: &'a crate::instruments::Loaded,
    pub outcome: &'a Outcome,
    pub info: &'a RunInfo,
    pub inputs: &'a feedback::CommentsAndAppeals,
    pub stats: TeamStats,
    pub key: String,
    /// The earlier runs (`[history]`): each person's own trend, each team's.
    pub history: Option<&'a crate::history::History>,
}

impl<'a> Context<'a> {
    pub fn new(
        config: &'a Config,
        data: &'a Dataset,
        instruments: &'a crate::instruments::Loaded,
        outcome: &'a Outcome,
        info: &'a RunInfo,
        inputs: &'a feedback::CommentsAndAppeals,
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
            history: None,
        }
    }

    /// The earlier runs whose trend the workbooks show (issue 18).
    pub fn with_history(mut self, history: &'a crate::history::History) -> Self {
        if !history.is_empty() {
            self.history = Some(history);
        }
        self
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
        let v = to_f64(x);
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

/// How the sheets of a person's workbook print: with the run's period,
/// in its language ([`crate::report::print`]).
fn print_of(ctx: &Context) -> crate::report::print::Print {
    crate::report::print::Print::new(&ctx.config.scheme.period.id, ctx.info.lang)
}

/// Why a person's total and grade are provisional (暂定), when they are:
/// the grade note reconciliation adds while a conflict is open.
pub fn provisional(p: &PersonOutcome, lang: Lang) -> Option<String> {
    let note = p.grade_notes.iter().find(|n| n.is_provisional())?;
    Some(match lang {
        Lang::Zh => format!("{note}，总分与等级为暂定"),
        Lang::En => format!("{}; total and grade may change", note.text(lang)),
    })
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

fn write_one(ctx: &Context, p: &PersonOutcome, path: &Path) -> Result<()> {
    super::book::guarded(path, || write_one_unguarded(ctx, p, path))
}

fn write_one_unguarded(ctx: &Context, p: &PersonOutcome, path: &Path) -> Result<()> {
    let lang = ctx.info.lang;
    let e = &ctx.data.employees[p.emp];
    let role = &ctx.config.scheme.roles[&e.role];
    let group = ctx.stats.of(ctx.data, p.emp).filter(|g| g.shareable());
    let title = format!(
        "{} {} {}",
        ctx.config.scheme.period.id,
        e.name,
        in_lang(lang, "绩效考核结果确认单", "appraisal result")
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
    let fb = ctx.config.scheme.feedback.as_ref();
    let appeal_by = fb.and_then(|f| f.appeal_deadline());
    let return_to = fb.and_then(|f| f.return_to.as_deref());
    let answers = answer_sheet(
        &mut wb,
        &shown,
        e,
        role,
        lang,
        &fm,
        return_to,
        appeal_by,
        &print_of(ctx),
    )?;
    deepening_sheet(&mut wb, ctx, p.emp, &fm)?;
    if let Some(h) = ctx.history {
        let s = &ctx.config.scheme;
        let now = (
            s.period.id.as_str(),
            p.total,
            s.grades.scale[p.grade].as_str(),
        );
        super::trend::person_sheet(&mut wb, h, lang, now, e, &fm)?;
    }
    meta_sheet(&mut wb, ctx, e, sealed, &answers)?;
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
                (_, 0) => shown.join(in_lang(lang, "、", ", ")),
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
                t.push_str(in_lang(
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
        Decision::Accepted => in_lang(lang, "申诉已采纳", "appeal accepted"),
        Decision::Rejected => in_lang(lang, "申诉已驳回", "appeal rejected"),
        Decision::Pending => in_lang(lang, "申诉待处理", "appeal pending"),
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
        parts.push(format!(
            "{}{}",
            in_lang(lang, "理由：", "reason: "),
            a.reason
        ));
    }
    parts.join(in_lang(lang, "；", "; "))
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
