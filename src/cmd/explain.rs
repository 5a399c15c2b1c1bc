//! `appraise explain CONFIG EMPLOYEE [--kpi ID]`: how one person's scores
//! came about, step by step. It runs the same stages as `run` (load, ingest,
//! reconcile, appeals, score) and prints the person's results, scored again
//! by the same code the workbooks use (`Outcome::details`): the cells read,
//! the rule and its parameters, every rounding stage with the number before
//! and after, the weighting, adjustments, vetoes, the team blend, the grade
//! by cut-off and what the forced distribution did. The numbers are the
//! workbook's.

use crate::Result;
use crate::cli::ExplainArgs;
use crate::config::rule::Rule;
use crate::config::{Config, Kpi, RoundMode, Target};
use crate::error::Error;
use crate::ingest::{Dataset, Src};
use crate::lang::Lang;
use crate::reconcile::Reconciliation;
use crate::score::{Details, KpiScore, Outcome, Scored, Status};
use crate::text::explain::{num, sentence};
use rust_decimal::Decimal;
use std::fmt::Write;

pub fn run(args: ExplainArgs) -> Result<()> {
    let mut config = crate::config::load(&args.config)?;
    let scored = crate::pipeline::score(&mut config, &mut |_| {})?;
    say!(
        "{}",
        text(&config, &scored.data, &scored.outcome, &scored.recon, &args)?
    );
    Ok(())
}

/// The whole explanation, as printed.
pub fn text(
    config: &Config,
    data: &Dataset,
    outcome: &Outcome,
    recon: &Reconciliation,
    args: &ExplainArgs,
) -> Result<String> {
    let Some(&emp) = data.index.get(args.employee.trim()) else {
        let mut near: Vec<&str> = data
            .employees
            .iter()
            .map(|e| e.id.as_str())
            .filter(|id| id.contains(args.employee.trim()) || args.employee.contains(id))
            .take(5)
            .collect();
        if near.is_empty() {
            near = data
                .employees
                .iter()
                .take(3)
                .map(|e| e.id.as_str())
                .collect();
        }
        return Err(Error::Usage(format!(
            "explain: no employee `{}` in the roster {} [{}]; ids look like: {}",
            args.employee,
            config.scheme.roster.file,
            config.scheme.roster.sheet,
            near.join(", ")
        )));
    };
    let Some(p) = outcome.people.iter().find(|p| p.emp == emp) else {
        return Err(Error::Other(format!(
            "explain: `{}` was not scored",
            args.employee
        )));
    };
    let e = &data.employees[emp];
    let role = &config.scheme.roles[&e.role];
    if let Some(kid) = &args.kpi
        && !role.kpis.iter().any(|k| &k.id == kid)
    {
        let ids: Vec<&str> = role.kpis.iter().map(|k| k.id.as_str()).collect();
        return Err(Error::Usage(format!(
            "explain: role `{}` has no KPI `{kid}`; its KPIs are: {}",
            e.role,
            ids.join(", ")
        )));
    }
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(
        w,
        "{} {} · {} ({}) · team {} · department {}",
        e.id,
        e.name,
        role.name,
        e.role,
        e.team,
        if e.department.is_empty() {
            "—"
        } else {
            &e.department
        }
    );
    let _ = writeln!(w, "roster: {}", e.origin.short());
    let _ = writeln!(
        w,
        "scheme: {} (sha256 {}), period {}",
        config.path.display(),
        &config.sha256[..12.min(config.sha256.len())],
        config.scheme.period.id
    );
    let details = outcome.details(config, data, p)?;
    for k in &details.kpis {
        let def = &role.kpis[k.kpi];
        if args.kpi.as_ref().is_some_and(|id| *id != def.id) {
            continue;
        }
        let _ = writeln!(w);
        kpi_block(w, config, data, outcome, emp, def, k, args.lang);
        settled(w, config, recon, outcome, data, emp, def, args.lang);
    }
    if args.kpi.is_none() {
        let _ = writeln!(w);
        totals(w, config, data, outcome, p, &details, args.lang);
    }
    Ok(out)
}

fn mode(config: &Config) -> &'static str {
    match config.scheme.rounding.mode {
        RoundMode::HalfAwayFromZero => "half away from zero",
        RoundMode::HalfEven => "half to even",
    }
}

/// `exact → rounded (n places, mode)`, or the number kept exact.
fn stage(config: &Config, exact: Decimal, rounded: Decimal, places: Option<u32>) -> String {
    match places {
        None => format!("{} (kept exact)", num(exact)),
        Some(n) => format!(
            "{} → {} (rounded to {n} places, {})",
            num(exact),
            num(rounded),
            mode(config)
        ),
    }
}

/// A number as the engine used it: every digit, no trailing zeros.
fn exact(x: Decimal) -> String {
    x.normalize().to_string()
}

fn from(src: &Option<Src>) -> String {
    match src {
        Some(s) => format!("  from {s}"),
        None => String::new(),
    }
}

/// How the reconciled figures a credited actual read were settled: the
/// 对账 rows of its projects on the fields its credit reads.
#[allow(clippy::too_many_arguments)]
fn settled(
    w: &mut String,
    config: &Config,
    recon: &Reconciliation,
    outcome: &Outcome,
    data: &Dataset,
    emp: usize,
    def: &Kpi,
    lang: Lang,
) {
    let (Some(r), Some(metric)) = (&config.scheme.reconcile, &def.metric) else {
        return;
    };
    let (Some(Src::Credited(c)), _) = outcome.sources(data, def, emp) else {
        return;
    };
    let Some(credit) = r.credits.iter().find(|x| x.metric == *metric) else {
        return;
    };
    let fields: Vec<&str> = [Some(&credit.field), Some(&credit.date), credit.per.as_ref()]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
    for row in recon
        .rows
        .iter()
        .filter(|row| fields.contains(&&*row.field) && c.projects.contains(&row.project))
    {
        let how = if row.overridden.is_some() {
            "override beats the policy".to_string()
        } else {
            row.decision.how.show(r, lang)
        };
        let used = row
            .resolved()
            .map_or("(none)".to_string(), crate::reconcile::conflict::show);
        let _ = writeln!(
            w,
            "  settled   {} {}: {how} → {used}",
            row.project,
            r.field_label(&row.field)
        );
    }
}

#[allow(clippy::too_many_arguments)]
fn kpi_block(
    w: &mut String,
    config: &Config,
    data: &Dataset,
    outcome: &Outcome,
    emp: usize,
    def: &Kpi,
    k: &KpiScore,
    lang: Lang,
) {
    let r = &config.scheme.rounding;
    let (actual_src, target_src) = outcome.sources(data, def, emp);
    let _ = writeln!(w, "KPI {} {} (weight {})", def.id, def.name, def.weight);
    let _ = writeln!(w, "  rule      {}", rule_text(&def.rule));
    if let Some(m) = &def.metric {
        let _ = writeln!(
            w,
            "  actual    {} = {}{}",
            m,
            k.actual.map_or("(missing)".into(), num),
            from(&actual_src)
        );
    }
    match &def.target {
        Some(Target::Metric { metric }) => {
            let _ = writeln!(
                w,
                "  target    {} = {}{}",
                metric,
                k.target.map_or("(missing)".into(), num),
                from(&target_src)
            );
        }
        Some(Target::Value(v)) => {
            let _ = writeln!(w, "  target    {v} (constant in the scheme)");
        }
        None => {}
    }
    let second = match &def.rule {
        Rule::Matrix { row_metric, .. } => Some(row_metric),
        Rule::Growth { base, .. } => Some(base),
        _ => None,
    };
    if let Some(name) = second {
        let derived = outcome
            .derived
            .get(name.as_str())
            .and_then(|v| v.get(emp).copied().flatten());
        let shown = match (data.metric(name, emp), derived) {
            (Some(c), _) => format!("{}  from {}", num(c.value), c.src),
            (None, Some(v)) => format!("{}  from the [metrics] formula `{name}`", num(v)),
            (None, None) => "(missing)".to_string(),
        };
        let _ = writeln!(w, "  reads     {name} = {shown}");
    }
    match k.status {
        Status::Scored => {}
        Status::Monitor => {
            let _ = writeln!(w, "  status    monitor only: shown, not counted");
        }
        Status::MissingZero => {
            let _ = writeln!(
                w,
                "  status    missing data: scored 0 (`missing = \"zero\"`)"
            );
        }
        Status::Excluded => {
            let _ = writeln!(
                w,
                "  status    missing data: left out (`missing = \"exclude\"`), the other weights scaled up"
            );
        }
    }
    if let (Some(exact), Some(rate)) = (k.rate_exact, k.rate) {
        let _ = writeln!(w, "  rate      {}", stage(config, exact, rate, r.rate));
    }
    if k.status == Status::Scored {
        let _ = writeln!(
            w,
            "  score     {}",
            stage(config, k.score_exact, k.score, r.score)
        );
    }
    if k.status != Status::Monitor {
        let _ = writeln!(
            w,
            "  weight    {} → effective {}",
            num(k.weight),
            num(k.effective_weight)
        );
        if k.voided {
            let _ = writeln!(w, "  weighted  0 (voided by a section veto)");
        } else {
            // Checked: nothing a sentence shows may panic (issue 15).
            let exact = k
                .effective_weight
                .checked_mul(k.score)
                .unwrap_or(k.weighted);
            let _ = writeln!(
                w,
                "  weighted  {} × {} = {}",
                num(k.effective_weight),
                num(k.score),
                stage(config, exact, k.weighted, r.weighted)
            );
        }
    }
    let _ = writeln!(w, "  why       {}", sentence(def, k, lang));
}

fn totals(
    w: &mut String,
    config: &Config,
    data: &Dataset,
    outcome: &Outcome,
    p: &Scored,
    details: &Details,
    lang: Lang,
) {
    let s = &config.scheme;
    let e = &data.employees[p.emp];
    let role = &s.roles[&e.role];
    let weighted: Decimal = details
        .kpis
        .iter()
        .try_fold(Decimal::ZERO, |a, k| a.checked_add(k.weighted))
        .unwrap_or(p.own_total);
    let parts: Vec<String> = details
        .kpis
        .iter()
        .filter(|k| k.status != Status::Monitor)
        .map(|k| num(k.weighted))
        .collect();
    let _ = writeln!(w, "KPIs      {} = {}", parts.join(" + "), num(weighted));
    for (si, sec) in role.adjustments.iter().enumerate() {
        let items: Vec<String> = details
            .adjustments
            .iter()
            .filter(|a| a.section == si)
            .map(|a| {
                let item = &sec.items[a.item];
                let cap = item.cap.map_or(String::new(), |c| format!(", cap ±{c}"));
                let src = a.src.as_ref().map_or(String::new(), |s| format!(" [{s}]"));
                format!(
                    "{} {} × {} = {}{cap} → {}{src}",
                    item.name,
                    num(a.count),
                    item.points,
                    num(a.raw),
                    num(a.points)
                )
            })
            .collect();
        let total = p.section_totals.get(si).copied().unwrap_or_default();
        let cap = sec
            .cap
            .map_or(String::new(), |c| format!(" (section cap ±{c})"));
        let _ = writeln!(w, "{} {}: {}", sec.id, sec.name, items.join("; "));
        let _ = writeln!(w, "          section total {}{cap}", num(total));
    }
    let _ = writeln!(w, "adjust    {}", num(p.adjustment_total));
    if p.vetoes.is_empty() {
        let _ = writeln!(w, "vetoes    none fired");
    }
    for hit in &p.vetoes {
        let v = &role.vetoes[hit.veto];
        let effect = match hit.effect {
            crate::config::VetoEffect::TotalZero => {
                "the total is set to 0 (the own score too, and after any team blend)".to_string()
            }
            crate::config::VetoEffect::SectionZero => format!(
                "section `{}` is voided (its KPIs weigh 0, before the total)",
                v.section.as_deref().unwrap_or("")
            ),
            crate::config::VetoEffect::GradeCeiling => format!(
                "the grade can be no better than {} (after grading and the forced distribution)",
                v.grade.as_deref().unwrap_or("")
            ),
        };
        let _ = writeln!(w, "veto      {} `{}` ({}): {effect}", v.id, v.name, v.when);
    }
    let _ = writeln!(w, "own       {}", exact(p.own_total));
    let blended = match &p.team {
        Some(t) if t.members > 0 => {
            let b = t
                .own_share
                .checked_mul(p.own_total)
                .zip(t.team_share.checked_mul(t.team_average))
                .and_then(|(a, b)| a.checked_add(b))
                .unwrap_or(p.total);
            let of = if t.kpis.is_empty() {
                "average total"
            } else {
                "KPI result"
            };
            let _ = writeln!(
                w,
                "team      {} × {} + {} × {} ({of} of {} team members, rounded to {} places for the blend) = {}",
                exact(t.own_share),
                exact(p.own_total),
                exact(t.team_share),
                exact(t.team_average),
                t.members,
                crate::score::team::PLACES,
                exact(b)
            );
            b
        }
        Some(_) => {
            let _ = writeln!(w, "team      no scored team members: own score only");
            p.own_total
        }
        None => p.own_total,
    };
    if p.vetoes
        .iter()
        .any(|h| h.effect == crate::config::VetoEffect::TotalZero)
    {
        let _ = writeln!(w, "total     0 (set to 0 by the veto)");
    } else {
        let _ = writeln!(
            w,
            "total     {}",
            stage(config, blended, p.total, s.rounding.total)
        );
    }
    let g = &s.grades;
    let cut = g
        .cutoffs
        .iter()
        .find(|c| g.scale.get(p.grade_by_cutoff) == Some(&c.grade))
        .map_or("below every cut-off".to_string(), |c| {
            format!("total ≥ {}", c.min)
        });
    let _ = writeln!(
        w,
        "grade     {} by cut-off ({cut})",
        g.scale[p.grade_by_cutoff]
    );
    if g.distribution.is_some() {
        let group = outcome
            .groups
            .iter()
            .find(|r| r.name == p.calibration_group);
        let counts = group.map_or(String::new(), |r| {
            let c: Vec<String> = g
                .scale
                .iter()
                .zip(&r.counts)
                .map(|(n, c)| format!("{n} {c}"))
                .collect();
            format!(
                ", {} people{}{}: {}",
                r.size,
                if r.pooled { ", pooled" } else { "" },
                if r.advisory { ", advisory" } else { "" },
                c.join(" · ")
            )
        });
        let _ = writeln!(w, "group     {}{counts}", p.calibration_group);
    }
    for note in &p.grade_notes {
        let _ = writeln!(w, "          {}", note.text(lang));
    }
    let _ = writeln!(w, "final     {}", g.scale[p.grade]);
    let _ = writeln!(
        w,
        "rank      team {} · company {}",
        p.team_rank.label(false),
        p.company_rank.label(false)
    );
}

/// The rule as it reads in the scheme: `ratio { floor = 0, cap = 1.2 }`.
pub fn rule_text(rule: &Rule) -> String {
    use crate::config::Dec;
    let opt = |name: &str, v: &Option<Dec>| v.map(|v| format!("{name} = {v}"));
    let params: Vec<String> = match rule {
        Rule::Ratio { floor, cap } => [opt("floor", floor), opt("cap", cap)]
            .into_iter()
            .flatten()
            .collect(),
        Rule::Inverse {
            mode,
            floor,
            cap,
            zero_actual,
        } => [
            Some(format!("mode = {}", snake(mode))),
            opt("floor", floor),
            opt("cap", cap),
            opt("zero_actual", zero_actual),
        ]
        .into_iter()
        .flatten()
        .collect(),
        Rule::Piecewise { on, points, below } => {
            let pts: Vec<String> = points.iter().map(|(x, y)| format!("[{x}, {y}]")).collect();
            vec![
                format!("on = {}", snake(on)),
                format!("points = [{}]", pts.join(", ")),
                format!("below = {}", snake(below)),
            ]
        }
        Rule::Bands { on, bands } => {
            let b: Vec<String> = bands
                .iter()
                .map(|b| {
                    format!(
                        "[{}, {}) → {}",
                        b.from.map_or("-∞".into(), |f| f.to_string()),
                        b.to.map_or("+∞".into(), |t| t.to_string()),
                        b.score
                    )
                })
                .collect();
            vec![
                format!("on = {}", snake(on)),
                format!("bands = {}", b.join(", ")),
            ]
        }
        Rule::Matrix {
            on,
            columns,
            row_metric,
            rows,
            table,
        } => {
            let list = |v: &[Dec]| {
                v.iter()
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let t: Vec<String> = table.iter().map(|r| format!("[{}]", list(r))).collect();
            vec![
                format!("on = {}", snake(on)),
                format!("columns = [{}]", list(columns)),
                format!("row_metric = {row_metric}"),
                format!("rows = [{}]", list(rows)),
                format!("table = [{}]", t.join(", ")),
            ]
        }
        Rule::Gate { pass, fail } => vec![format!("pass = {pass}"), format!("fail = {fail}")],
        Rule::Rank {
            group,
            direction,
            best,
            worst,
            ties,
        } => vec![
            format!("group = {}", snake(group)),
            format!("direction = {}", snake(direction)),
            format!("best = {best}"),
            format!("worst = {worst}"),
            format!("ties = {}", snake(ties)),
        ],
        Rule::Growth {
            base,
            floor,
            cap,
            base_nonpositive,
        } => [
            Some(format!("base = {base}")),
            opt("floor", floor),
            opt("cap", cap),
            Some(format!("base_nonpositive = {base_nonpositive}")),
        ]
        .into_iter()
        .flatten()
        .collect(),
        Rule::Formula { expr, floor, cap } => [
            Some(format!("expr = {expr}")),
            opt("floor", floor),
            opt("cap", cap),
        ]
        .into_iter()
        .flatten()
        .collect(),
        Rule::Monitor => Vec::new(),
    };
    let name = format!("{} {}", rule.kind(), rule.kind_zh());
    if params.is_empty() {
        name
    } else {
        format!("{name} {{ {} }}", params.join(", "))
    }
}

/// A unit enum's Debug name as written in TOML: `TwoMinus` → `two_minus`.
fn snake(v: impl std::fmt::Debug) -> String {
    let mut out = String::new();
    for (i, c) in format!("{v:?}").chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.extend(c.to_lowercase());
    }
    out
}
