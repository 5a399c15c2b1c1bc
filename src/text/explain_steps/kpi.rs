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
            in_lang(lang, "人工认定优先于规则", "override beats the policy").to_string()
        } else {
            row.decision.how.show(r, lang)
        };
        let used = row.resolved().map_or(
            in_lang(lang, "（无）", "(none)").to_string(),
            crate::reconcile::conflict::show,
        );
        let _ = writeln!(
            w,
            "  {}{} {}: {how} → {used}",
            label(lang, "核定", "settled"),
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
    let (actual_src, target_src) = outcome.sources(data, def, emp);
    let missing = || in_lang(lang, "（缺失）", "(missing)").to_string();
    let (id, name, weight) = (&def.id, &def.name, def.weight);
    let head = crate::t!(
        "指标 {id} {name}（权重 {weight}）",
        "KPI {id} {name} (weight {weight})"
    );
    let _ = writeln!(w, "{}", head.get(lang));
    if let Some(line) = taken_from(config, def, lang) {
        let _ = writeln!(w, "  {}{line}", label(lang, "取自", "taken from"));
    }
    let _ = writeln!(
        w,
        "  {}{}",
        label(lang, "规则", "rule"),
        rule_text(&def.rule)
    );
    if let Some(m) = &def.metric {
        let _ = writeln!(
            w,
            "  {}{} = {}{}",
            label(lang, "实际值", "actual"),
            m,
            k.actual.map_or_else(missing, num),
            from(&actual_src, config, data, outcome, emp, lang)
        );
    }
    match &def.target {
        Some(Target::Metric { metric }) => {
            let _ = writeln!(
                w,
                "  {}{} = {}{}",
                label(lang, "目标值", "target"),
                metric,
                k.target.map_or_else(missing, num),
                from(&target_src, config, data, outcome, emp, lang)
            );
        }
        Some(Target::Value(v)) => {
            let constant = in_lang(lang, "（方案中的常数）", " (constant in the scheme)");
            let _ = writeln!(w, "  {}{v}{constant}", label(lang, "目标值", "target"));
        }
        None => {}
    }
    reads(w, data, outcome, emp, def, lang);
    status(w, k, lang);
    numbers(w, config, k, lang);
    let _ = writeln!(
        w,
        "  {}{}",
        label(lang, "说明", "why"),
        sentence(def, k, lang)
    );
}

/// The second figure a matrix or growth rule reads.
fn reads(w: &mut String, data: &Dataset, outcome: &Outcome, emp: usize, def: &Kpi, lang: Lang) {
    let second = match &def.rule {
        Rule::Matrix { row_metric, .. } => Some(row_metric),
        Rule::Growth { base, .. } => Some(base),
        _ => None,
    };
    let Some(name) = second else {
        return;
    };
    let derived = outcome
        .derived
        .get(name.as_str())
        .and_then(|v| v.get(emp).copied().flatten());
    let shown = match (data.metric(name, emp), derived) {
        (Some(c), _) => format!(
            "{}  {}{}",
            num(c.value),
            in_lang(lang, "来自 ", "from "),
            c.src.show(lang)
        ),
        (None, Some(v)) => {
            let v = num(v);
            crate::t!(
                "{v}  来自 [metrics] 公式 `{name}`",
                "{v}  from the [metrics] formula `{name}`"
            )
            .get(lang)
            .to_string()
        }
        (None, None) => in_lang(lang, "（缺失）", "(missing)").to_string(),
    };
    let _ = writeln!(w, "  {}{name} = {shown}", label(lang, "读取", "reads"));
}

/// Why a KPI was not scored as usual.
fn status(w: &mut String, k: &KpiScore, lang: Lang) {
    let text = match k.status {
        Status::Scored => return,
        Status::Monitor => in_lang(
            lang,
            "只作监测：显示，不计分",
            "monitor only: shown, not counted",
        ),
        Status::MissingZero => in_lang(
            lang,
            "数据缺失：计 0 分（`missing = \"zero\"`）",
            "missing data: scored 0 (`missing = \"zero\"`)",
        ),
        Status::Excluded => in_lang(
            lang,
            "数据缺失：不计入（`missing = \"exclude\"`），其他指标的权重按比例放大",
            "missing data: left out (`missing = \"exclude\"`), the other weights scaled up",
        ),
    };
    let _ = writeln!(w, "  {}{text}", label(lang, "状态", "status"));
}

/// The rate, score, weight and weighted score, each with its rounding.
fn numbers(w: &mut String, config: &Config, k: &KpiScore, lang: Lang) {
    let r = &config.scheme.rounding;
    if let (Some(exact), Some(rate)) = (k.rate_exact, k.rate) {
        let _ = writeln!(
            w,
            "  {}{}",
            label(lang, "完成率", "rate"),
            stage(config, exact, rate, r.rate, lang)
        );
    }
    if k.status == Status::Scored {
        let _ = writeln!(
            w,
            "  {}{}",
            label(lang, "得分", "score"),
            stage(config, k.score_exact, k.score, r.score, lang)
        );
    }
    if k.status == Status::Monitor {
        return;
    }
    let _ = writeln!(
        w,
        "  {}{} → {}{}",
        label(lang, "权重", "weight"),
        num(k.weight),
        in_lang(lang, "实际 ", "effective "),
        num(k.effective_weight)
    );
    let weighted = label(lang, "加权得分", "weighted");
    if k.voided {
        let voided = in_lang(lang, "0（被板块否决作废）", "0 (voided by a section veto)");
        let _ = writeln!(w, "  {weighted}{voided}");
    } else {
        // Checked: nothing a sentence shows may panic (issue 15).
        let exact = k
            .effective_weight
            .checked_mul(k.score)
            .unwrap_or(k.weighted);
        let _ = writeln!(
            w,
            "  {weighted}{} × {} = {}",
            num(k.effective_weight),
            num(k.score),
            stage(config, exact, k.weighted, r.weighted, lang)
        );
    }
}

/// Issue 19: where a shared KPI comes from and what this role changed:
/// "客户经理 的 revenue，权重改为 30" ("客户经理's revenue, weight changed to 30").
pub(super) fn taken_from(config: &Config, def: &Kpi, lang: Lang) -> Option<String> {
    let sh = def.shared.as_ref()?;
    let role = config
        .scheme
        .roles
        .get(&sh.role)
        .map_or(sh.role.as_str(), |r| r.name.as_str());
    let id = &def.id;
    let mut text = crate::t!("{role} 的 {id}", "{role}'s {id}")
        .get(lang)
        .to_string();
    let weight = def.weight;
    if sh.changed.iter().any(|k| k == "weight") {
        text += crate::t!("，权重改为 {weight}", ", weight changed to {weight}").get(lang);
    }
    let others: Vec<&str> = sh
        .changed
        .iter()
        .map(String::as_str)
        .filter(|k| *k != "weight")
        .collect();
    if !others.is_empty() {
        let (zh, en) = (others.join("、"), others.join(", "));
        text += crate::t!("，改写了 {zh}", "; {en} written over").get(lang);
    }
    Some(text)
}
