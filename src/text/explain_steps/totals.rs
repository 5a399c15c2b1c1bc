//! The person's totals: the weighting, adjustments, vetoes, the team blend,
//! the grade by cut-off and what the forced distribution did.

use super::*;
use crate::config::Role;

pub(super) fn totals(
    w: &mut String,
    config: &Config,
    data: &Dataset,
    outcome: &Outcome,
    p: &PersonOutcome,
    details: &Details,
    lang: Lang,
) {
    let s = &config.scheme;
    let e = &data.employees[p.emp];
    let role = &s.roles[&e.role];
    kpis_and_adjustments(w, role, p, details);
    vetoes(w, role, p);
    own_blend_and_total(w, config, p);
    grades(w, config, outcome, p, lang);
}

/// The weighted KPIs' sum, each adjustment section's items and totals.
fn kpis_and_adjustments(w: &mut String, role: &Role, p: &PersonOutcome, details: &Details) {
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
}

/// The vetoes that fired and what each did.
fn vetoes(w: &mut String, role: &Role, p: &PersonOutcome) {
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
}

/// The own score, the team blend and the total with its rounding.
fn own_blend_and_total(w: &mut String, config: &Config, p: &PersonOutcome) {
    let s = &config.scheme;
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
}

/// The grade by cut-off, the calibration group, grade notes, final grade and rank.
fn grades(w: &mut String, config: &Config, outcome: &Outcome, p: &PersonOutcome, lang: Lang) {
    let s = &config.scheme;
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
