//! A person's notes in one line (vetoes, grade notes, a leader's blend),
//! what the missing-value policy did to a KPI and how an adjustment came
//! about, in the reader's language: written in `summary.xlsx` and in the
//! feedback workbooks alike.

use crate::config::{AdjustmentItem, Config, VetoEffect};
use crate::ingest::{Dataset, Src};
use crate::lang::{Lang, in_lang};
use crate::score::{AdjustmentScore, PersonOutcome, Status};
use crate::text::explain;
use rust_decimal::Decimal;

/// Vetoes and grade notes of one person, in one line. A team leader's
/// blend is written with the numbers the total used (the own score exact,
/// the team's result as rounded for the blend), so that it adds up to the
/// total; under a `total_zero` veto it says the total was then set to 0.
pub fn person_notes(config: &Config, data: &Dataset, p: &PersonOutcome, lang: Lang) -> String {
    let role = &config.scheme.roles[&data.employees[p.emp].role];
    let mut notes: Vec<String> = p
        .vetoes
        .iter()
        .map(|h| {
            let v = &role.vetoes[h.veto];
            let effect = match h.effect {
                VetoEffect::TotalZero => in_lang(lang, "总分归零", "total set to 0").to_string(),
                VetoEffect::SectionZero => match lang {
                    Lang::Zh => format!("「{}」部分作废", v.section.as_deref().unwrap_or("")),
                    Lang::En => format!("section “{}” voided", v.section.as_deref().unwrap_or("")),
                },
                VetoEffect::GradeCeiling => match lang {
                    Lang::Zh => format!("等级不高于{}", v.grade.as_deref().unwrap_or("")),
                    Lang::En => {
                        format!("grade no better than {}", v.grade.as_deref().unwrap_or(""))
                    }
                },
            };
            match lang {
                Lang::Zh => format!("一票否决：{}（{effect}）", v.name),
                Lang::En => format!("veto: {} ({effect})", v.name),
            }
        })
        .collect();
    notes.extend(p.grade_notes.iter().map(|n| n.text(lang)));
    if let Some(t) = &p.team {
        let mut blend = if t.kpis.is_empty() {
            match lang {
                Lang::Zh => format!(
                    "个人 {}×{} + 团队均分 {}×{}（{}人）",
                    exact(p.own_total),
                    exact(t.own_share),
                    exact(t.team_average),
                    exact(t.team_share),
                    t.members
                ),
                Lang::En => format!(
                    "own {}×{} + team average {}×{} ({} members)",
                    exact(p.own_total),
                    exact(t.own_share),
                    exact(t.team_average),
                    exact(t.team_share),
                    t.members
                ),
            }
        } else {
            team_kpi_note(p, t, lang)
        };
        if p.vetoes.iter().any(|h| h.effect == VetoEffect::TotalZero) {
            blend.push_str(in_lang(
                lang,
                "，因一票否决总分归零",
                ", then the total is set to 0 by a veto",
            ));
        }
        notes.push(blend);
    }
    notes.join(in_lang(lang, "；", "; "))
}

/// A number as the engine used it: every digit, no trailing zeros.
fn exact(x: Decimal) -> String {
    x.normalize().to_string()
}

/// The team part of a leader blended on chosen KPIs, in one line.
fn team_kpi_note(p: &PersonOutcome, t: &crate::score::TeamPart, lang: Lang) -> String {
    let parts: Vec<String> = t
        .kpis
        .iter()
        .map(|k| format!("{} {}", k.name, explain::num(k.average)))
        .collect();
    match lang {
        Lang::Zh => format!(
            "个人 {}×{} + 团队指标得分 {}×{}（{}人；{}）",
            exact(p.own_total),
            exact(t.own_share),
            exact(t.team_average),
            exact(t.team_share),
            t.members,
            parts.join("，")
        ),
        Lang::En => format!(
            "own {}×{} + team KPI result {}×{} ({} members; {})",
            exact(p.own_total),
            exact(t.own_share),
            exact(t.team_average),
            exact(t.team_share),
            t.members,
            parts.join(", ")
        ),
    }
}

/// What the missing-value policy did to one KPI: [`status_label`], naming
/// a formula's missing input as the reason where that was it.
pub fn kpi_status_label(k: &crate::score::KpiScore, lang: Lang) -> &'static str {
    match (k.status, &k.detail) {
        (Status::MissingZero, crate::score::Detail::MissingInput(_)) => in_lang(
            lang,
            "计算所需数据缺失，记 0 分",
            "formula input missing: scored 0",
        ),
        (Status::Excluded, crate::score::Detail::MissingInput(_)) => in_lang(
            lang,
            "计算所需数据缺失，不参与考核",
            "formula input missing: excluded, weights rescaled",
        ),
        (s, _) => status_label(s, lang),
    }
}

pub fn status_label(s: Status, lang: Lang) -> &'static str {
    match s {
        Status::Scored => in_lang(lang, "正常计分", "scored"),
        Status::MissingZero => in_lang(lang, "数据缺失，记 0 分", "missing: scored 0"),
        Status::Excluded => in_lang(
            lang,
            "数据缺失，不参与考核",
            "missing: excluded, weights rescaled",
        ),
        Status::Monitor => in_lang(lang, "监控指标，不计分", "monitor only"),
    }
}

/// How an adjustment came about. An accepted appeal's points read as what
/// they are ("申诉调整 +2 分（理由：…）"), not as a count of occurrences.
pub fn adjustment_why(item: &AdjustmentItem, a: &AdjustmentScore, lang: Lang) -> String {
    if item.metric == crate::feedback::appeals::POINTS_METRIC {
        let pts = explain::num(a.points);
        let sign = if a.points > Decimal::ZERO { "+" } else { "" };
        let reason = match &a.src {
            Some(Src::Derived(t)) => t
                .trim_start_matches("申诉改判")
                .trim_start_matches('：')
                .to_string(),
            _ => String::new(),
        };
        return match (lang, reason.is_empty()) {
            (Lang::Zh, true) => format!("申诉调整 {sign}{pts} 分"),
            (Lang::Zh, false) => format!("申诉调整 {sign}{pts} 分（理由：{reason}）"),
            (Lang::En, true) => format!("appeal adjustment {sign}{pts} points"),
            (Lang::En, false) => format!("appeal adjustment {sign}{pts} points (reason: {reason})"),
        };
    }
    let (n, each, raw, pts) = (
        explain::num(a.count),
        item.points,
        explain::num(a.raw),
        explain::num(a.points),
    );
    match (lang, a.raw == a.points) {
        (Lang::Zh, true) => format!("{n} 次，每次 {each} 分，计 {raw} 分"),
        (Lang::Zh, false) => {
            format!("{n} 次，每次 {each} 分，共 {raw} 分，超过本项上限，按 {pts} 分计")
        }
        (Lang::En, true) => format!("{n} × {each} points = {raw} points"),
        (Lang::En, false) => {
            format!("{n} × {each} points = {raw} points, above the item's cap: {pts} points")
        }
    }
}

#[cfg(test)]
mod adjustment_tests {
    use super::*;
    use crate::config::Dec;

    fn adj(points: i64, src: Option<Src>) -> AdjustmentScore {
        AdjustmentScore {
            section: 0,
            item: 0,
            count: Decimal::from(points),
            src,
            raw: Decimal::from(points),
            points: Decimal::from(points),
        }
    }

    #[test]
    fn an_appeal_adjustment_reads_as_points_not_a_count() {
        let item = AdjustmentItem {
            name: "申诉改判加减分".into(),
            metric: crate::feedback::appeals::POINTS_METRIC.into(),
            points: Dec(Decimal::ONE),
            cap: None,
        };
        let a = adj(2, Some(Src::Derived("申诉改判：收入归属更正".into())));
        assert_eq!(
            adjustment_why(&item, &a, Lang::Zh),
            "申诉调整 +2 分（理由：收入归属更正）"
        );
        assert_eq!(
            adjustment_why(&item, &a, Lang::En),
            "appeal adjustment +2 points (reason: 收入归属更正)"
        );
        assert_eq!(
            adjustment_why(&item, &adj(-1, None), Lang::Zh),
            "申诉调整 -1 分"
        );
        let count = AdjustmentItem {
            name: "投诉".into(),
            metric: "complaints".into(),
            points: Dec(Decimal::from(-2)),
            cap: None,
        };
        assert_eq!(
            adjustment_why(&count, &adj(2, None), Lang::Zh),
            "2 次，每次 -2 分，计 2 分"
        );
    }
}
