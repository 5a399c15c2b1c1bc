//! The words of `appraise explain`: how one person's scores came about,
//! step by step, in the numbers the workbooks hold (`Outcome::details`): the
//! cells read, the rule and its parameters, every rounding stage with the
//! number before and after, the weighting, adjustments, vetoes, the team
//! blend, the grade by cut-off and what the forced distribution did.
//! `cmd::explain` finds the person and prints what this writes.

use crate::Result;
use crate::config::rule::Rule;
use crate::config::{Config, Kpi, RoundMode, Target};
use crate::ingest::{Dataset, Src};
use crate::lang::{Lang, in_lang};
use crate::reconcile::Reconciliation;
use crate::score::{Details, KpiScore, Outcome, PersonOutcome, Status};
use crate::text::explain::{num, sentence};
use rust_decimal::Decimal;
use std::fmt::Write;

mod kpi;
mod rule;
mod totals;
use kpi::{kpi_block, settled};
pub use rule::rule_text;
use totals::totals;

/// The whole explanation of person `p`, as printed: every KPI (or only
/// `only_kpi`, whose id the role has), then the totals when all are shown.
pub fn person(
    config: &Config,
    data: &Dataset,
    outcome: &Outcome,
    recon: &Reconciliation,
    p: &PersonOutcome,
    only_kpi: Option<&str>,
    lang: Lang,
) -> Result<String> {
    let emp = p.emp;
    let e = &data.employees[emp];
    let role = &config.scheme.roles[&e.role];
    let mut out = String::new();
    let w = &mut out;
    let department = if e.department.is_empty() {
        "—"
    } else {
        &e.department
    };
    let (id, name, role_name, role_id, team) = (&e.id, &e.name, &role.name, &e.role, &e.team);
    let head = crate::t!(
        "{id} {name} · {role_name}（{role_id}）· 班组 {team} · 部门 {department}",
        "{id} {name} · {role_name} ({role_id}) · team {team} · department {department}"
    );
    let _ = writeln!(w, "{}", head.get(lang));
    let _ = writeln!(
        w,
        "{}{}",
        in_lang(lang, "花名册：", "roster: "),
        e.origin.short()
    );
    let (path, sha, period) = (
        config.path.display(),
        &config.sha256[..12.min(config.sha256.len())],
        &config.scheme.period.id,
    );
    let scheme = crate::t!(
        "方案：{path}（sha256 {sha}），周期 {period}",
        "scheme: {path} (sha256 {sha}), period {period}"
    );
    let _ = writeln!(w, "{}", scheme.get(lang));
    let details = outcome.details(config, data, p)?;
    for k in &details.kpis {
        let def = &role.kpis[k.kpi];
        if only_kpi.is_some_and(|id| id != def.id) {
            continue;
        }
        let _ = writeln!(w);
        kpi_block(w, config, data, outcome, emp, def, k, lang);
        settled(w, config, recon, outcome, data, emp, def, lang);
    }
    if only_kpi.is_none() {
        let _ = writeln!(w);
        totals(w, config, data, outcome, p, &details, lang);
    }
    Ok(out)
}

fn mode(config: &Config, lang: Lang) -> &'static str {
    match config.scheme.rounding.mode {
        RoundMode::HalfAwayFromZero => in_lang(lang, "四舍五入", "half away from zero"),
        RoundMode::HalfEven => in_lang(lang, "四舍六入五成双", "half to even"),
    }
}

/// `exact → rounded (n places, mode)`, or the number kept exact.
fn stage(
    config: &Config,
    exact: Decimal,
    rounded: Decimal,
    places: Option<u32>,
    lang: Lang,
) -> String {
    let (exact, rounded, mode) = (num(exact), num(rounded), mode(config, lang));
    let text = match places {
        None => crate::t!("{exact}（保留全部位数）", "{exact} (kept exact)"),
        Some(n) => crate::t!(
            "{exact} → {rounded}（保留 {n} 位小数，{mode}）",
            "{exact} → {rounded} (rounded to {n} places, {mode})"
        ),
    };
    text.get(lang).to_string()
}

/// A label of the explanation's left column, ten columns wide (a Chinese
/// character takes two, measured as the workbooks' widths are).
fn label(lang: Lang, zh: &'static str, en: &'static str) -> String {
    let text = in_lang(lang, zh, en);
    let width = unicode_width::UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(10usize.saturating_sub(width).max(1)))
}

/// A number as the engine used it: every digit, no trailing zeros.
fn exact(x: Decimal) -> String {
    x.normalize().to_string()
}

/// `  来自 <source>`, and for a formula metric or a counted aggregate the
/// rest of its trace on the lines below (issue 19).
fn from(
    src: &Option<Src>,
    config: &Config,
    data: &Dataset,
    outcome: &Outcome,
    emp: usize,
    lang: Lang,
) -> String {
    let Some(s) = src else {
        return String::new();
    };
    let lines = crate::text::source::traced(s, config, data, outcome, emp, lang);
    let mut out = format!("  {}", in_lang(lang, "来自 ", "from "));
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push('\n');
            out.push_str(&" ".repeat(14));
        }
        out.push_str(line);
    }
    out
}
