//! One KPI step by step: the cells read, how reconciled figures were settled,
//! the rule and its parameters, every rounding stage.

use super::*;

/// How the reconciled figures a credited actual read were settled: the
/// 对账 rows of its projects on the fields its credit reads.
#[allow(clippy::too_many_arguments)]
pub(super) fn settled(
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
pub(super) fn kpi_block(
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
