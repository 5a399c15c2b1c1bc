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
    kpis_and_adjustments(w, role, p, details, lang);
    vetoes(w, role, p, lang);
    own_blend_and_total(w, config, p, lang);
    grades(w, config, outcome, p, lang);
}

/// The weighted KPIs' sum, each adjustment section's items and totals.
fn kpis_and_adjustments(
    w: &mut String,
    role: &Role,
    p: &PersonOutcome,
    details: &Details,
    lang: Lang,
) {
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
    let kpis = label(lang, "指标合计", "KPIs");
    let _ = writeln!(w, "{kpis}{} = {}", parts.join(" + "), num(weighted));
    for (si, sec) in role.adjustments.iter().enumerate() {
        let items: Vec<String> = details
            .adjustments
            .iter()
            .filter(|a| a.section == si)
            .map(|a| {
                let item = &sec.items[a.item];
                let cap = item.cap.map_or(String::new(), |c| {
                    crate::t!("，封顶 ±{c}", ", cap ±{c}").get(lang).to_string()
                });
                let src = a
                    .src
                    .as_ref()
                    .map_or(String::new(), |s| format!(" [{}]", s.show(lang)));
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
        let cap = sec.cap.map_or(String::new(), |c| {
            crate::t!("（板块封顶 ±{c}）", " (section cap ±{c})")
                .get(lang)
                .to_string()
        });
        let _ = writeln!(w, "{} {}: {}", sec.id, sec.name, items.join("; "));
        let section = in_lang(lang, "板块合计 ", "section total ");
        let _ = writeln!(w, "          {section}{}{cap}", num(total));
    }
    let _ = writeln!(
        w,
        "{}{}",
        label(lang, "加减分", "adjust"),
        num(p.adjustment_total)
    );
}

/// The vetoes that fired and what each did.
fn vetoes(w: &mut String, role: &Role, p: &PersonOutcome, lang: Lang) {
    if p.vetoes.is_empty() {
        let none = in_lang(lang, "未触发", "none fired");
        let _ = writeln!(w, "{}{none}", label(lang, "否决", "vetoes"));
    }
    for hit in &p.vetoes {
        let v = &role.vetoes[hit.veto];
        let section = v.section.as_deref().unwrap_or("");
        let grade = v.grade.as_deref().unwrap_or("");
        let effect = match hit.effect {
            crate::config::VetoEffect::TotalZero => crate::t!(
                "总分记为 0（本人得分也是，且在班组加权之后）",
                "the total is set to 0 (the own score too, and after any team blend)"
            ),
            crate::config::VetoEffect::SectionZero => crate::t!(
                "板块 `{section}` 作废（其指标权重为 0，在计总分之前）",
                "section `{section}` is voided (its KPIs weigh 0, before the total)"
            ),
            crate::config::VetoEffect::GradeCeiling => crate::t!(
                "等级最高为 {grade}（在评级和强制分布之后）",
                "the grade can be no better than {grade} (after grading and the forced distribution)"
            ),
        };
        let effect = effect.get(lang);
        let veto = label(lang, "否决", "veto");
        let _ = writeln!(w, "{veto}{} `{}` ({}): {effect}", v.id, v.name, v.when);
    }
}

/// The own score, the team blend and the total with its rounding.
fn own_blend_and_total(w: &mut String, config: &Config, p: &PersonOutcome, lang: Lang) {
    let s = &config.scheme;
    let _ = writeln!(
        w,
        "{}{}",
        label(lang, "本人得分", "own"),
        exact(p.own_total)
    );
    let team = label(lang, "班组", "team");
    let blended = match &p.team {
        Some(t) if t.members > 0 => {
            let b = t
                .own_share
                .checked_mul(p.own_total)
                .zip(t.team_share.checked_mul(t.team_average))
                .and_then(|(a, b)| a.checked_add(b))
                .unwrap_or(p.total);
            let (of_zh, of_en) = if t.kpis.is_empty() {
                ("平均总分", "average total")
            } else {
                ("指标结果", "KPI result")
            };
            let (members, places) = (t.members, crate::score::team::PLACES);
            let why = crate::t!(
                "{members} 名组员的{of_zh}，加权时保留 {places} 位小数",
                "{of_en} of {members} team members, rounded to {places} places for the blend"
            );
            let _ = writeln!(
                w,
                "{team}{} × {} + {} × {} ({}) = {}",
                exact(t.own_share),
                exact(p.own_total),
                exact(t.team_share),
                exact(t.team_average),
                why.get(lang),
                exact(b)
            );
            b
        }
        Some(_) => {
            let only = in_lang(
                lang,
                "没有计分的组员：只算本人得分",
                "no scored team members: own score only",
            );
            let _ = writeln!(w, "{team}{only}");
            p.own_total
        }
        None => p.own_total,
    };
    if p.vetoes
        .iter()
        .any(|h| h.effect == crate::config::VetoEffect::TotalZero)
    {
        let zero = in_lang(lang, "0（被否决记为 0）", "0 (set to 0 by the veto)");
        let _ = writeln!(w, "{}{zero}", label(lang, "总分", "total"));
    } else {
        let _ = writeln!(
            w,
            "{}{}",
            label(lang, "总分", "total"),
            stage(config, blended, p.total, s.rounding.total, lang)
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
        .map_or(
            in_lang(lang, "低于所有分数线", "below every cut-off").to_string(),
            |c| {
                let min = c.min;
                crate::t!("总分 ≥ {min}", "total ≥ {min}")
                    .get(lang)
                    .to_string()
            },
        );
    let grade = &g.scale[p.grade_by_cutoff];
    let by = crate::t!("按分数线为 {grade}（{cut}）", "{grade} by cut-off ({cut})");
    let _ = writeln!(w, "{}{}", label(lang, "等级", "grade"), by.get(lang));
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
                "{}{}{}: {}",
                crate::t!("，{} 人", ", {} people", r.size).get(lang),
                if r.pooled {
                    in_lang(lang, "，合并", ", pooled")
                } else {
                    ""
                },
                if r.advisory {
                    in_lang(lang, "，仅供参考", ", advisory")
                } else {
                    ""
                },
                c.join(" · ")
            )
        });
        let group = label(lang, "校准组", "group");
        let _ = writeln!(w, "{group}{}{counts}", p.calibration_group);
    }
    for note in &p.grade_notes {
        let _ = writeln!(w, "          {}", note.text(lang));
    }
    let _ = writeln!(
        w,
        "{}{}",
        label(lang, "最终等级", "final"),
        g.scale[p.grade]
    );
    let (team, company) = (p.team_rank.label(false), p.company_rank.label(false));
    let rank = crate::t!(
        "班组 {team} · 公司 {company}",
        "team {team} · company {company}"
    );
    let _ = writeln!(w, "{}{}", label(lang, "排名", "rank"), rank.get(lang));
}
