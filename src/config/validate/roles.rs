//! A role: its KPIs' weights and order, adjustments, vetoes, team blend; roster values.

use super::kpis::check_kpi;
use super::{Checker, one_of, suggest, topo_order};
use crate::config::Compiled;
use crate::config::locate::{KeyPath, at};
use crate::config::rule::Rule;
use crate::config::scheme::*;
use crate::formula::Expr;
use rust_decimal::Decimal;
use std::collections::{BTreeSet, HashMap, HashSet};

pub(super) fn check_role(
    c: &mut Checker,
    s: &Scheme,
    id: &str,
    role: &Role,
    metrics: &HashMap<String, KeyPath>,
    compiled: &mut Compiled,
) {
    let sections = check_kpis_of_role(c, s, id, role, metrics, compiled);
    let kpi_ids: HashMap<&str, usize> = role
        .kpis
        .iter()
        .enumerate()
        .map(|(i, k)| (k.id.as_str(), i))
        .collect();
    order_kpi_formulas(c, id, role, &kpi_ids, compiled);
    check_adjustments(c, id, role, metrics);
    let conditions = check_vetoes(c, s, id, role, metrics, &kpi_ids, &sections);
    compiled.veto_conditions.insert(id.to_string(), conditions);
    check_team_blend(c, s, id, role);
}

/// The role's KPIs: how many, unique ids, weights adding up to 100, and each
/// KPI's own checks. Returns the sections its KPIs belong to.
fn check_kpis_of_role<'r>(
    c: &mut Checker,
    s: &Scheme,
    id: &str,
    role: &'r Role,
    metrics: &HashMap<String, KeyPath>,
    compiled: &mut Compiled,
) -> BTreeSet<&'r str> {
    let path = at("roles").key(id);
    if role.kpis.is_empty() {
        c.err(
            &path,
            crate::t!("岗位 `{id}` 没有指标", "role `{id}` has no KPIs"),
            crate::lang::Text::new(
                "加上 [[roles.<id>.kpis]] 表",
                "add [[roles.<id>.kpis]] tables",
            ),
        );
    }
    // A person's KPI scores keep the KPI's index in 16 bits (`KpiBrief`).
    if role.kpis.len() > usize::from(u16::MAX) {
        c.err(
            &path.key("kpis"),
            crate::t!(
                "岗位 `{id}` 有 {} 个指标；最多支持 {} 个",
                "role `{id}` has {} KPIs; at most {} are supported",
                role.kpis.len(),
                u16::MAX
            ),
            crate::lang::Text::new(
                "把该岗位的指标分到几个岗位",
                "split the role's KPIs between roles",
            ),
        );
    }
    let mut ids = HashSet::new();
    let mut weight_sum = Decimal::ZERO;
    let mut sections = BTreeSet::new();
    for (i, k) in role.kpis.iter().enumerate() {
        let kp = path.key("kpis").index(i);
        if !ids.insert(k.id.as_str()) {
            c.err(
                &kp.key("id"),
                crate::t!(
                    "岗位 `{id}`：指标编号 `{}` 用了两次",
                    "role `{id}`: KPI id `{}` is used twice",
                    k.id
                ),
                crate::lang::Text::new(
                    "一个岗位的每个指标用不同的编号",
                    "give each KPI of a role its own id",
                ),
            );
        }
        if let Some(sec) = &k.section {
            sections.insert(sec.as_str());
        }
        let w = k.weight.get();
        if w.is_sign_negative() {
            c.err(
                &kp.key("weight"),
                crate::t!(
                    "指标 `{}`：权重 {w} 为负",
                    "KPI `{}`: weight {w} is negative",
                    k.id
                ),
                crate::lang::Text::new(
                    "权重是 100 分中的分数，须为零或正数",
                    "weights are points out of 100, zero or more",
                ),
            );
        }
        match (&k.rule, w.is_zero()) {
            (Rule::Monitor, false) => c.err(
                &kp.key("weight"),
                crate::t!(
                    "指标 `{}` 只作监测，却有权重 {w}",
                    "KPI `{}` is monitor-only but has weight {w}",
                    k.id
                ),
                crate::lang::Text::new(
                    "设 `weight = 0`，或给它一个计分规则",
                    "set `weight = 0`, or give it a scoring rule",
                ),
            ),
            (Rule::Monitor, true) => {}
            _ => weight_sum += w,
        }
        check_kpi(c, s, id, role, i, k, &kp, metrics, compiled);
    }
    if !role.kpis.is_empty() && weight_sum != Decimal::ONE_HUNDRED {
        let mut help = crate::lang::Text::new(
            "调整权重，使计分指标的权重之和为 100（只作监测的指标权重为 0）",
            "change the weights so that the scored KPIs add up to 100 (monitor-only KPIs have weight 0)",
        );
        // A role taking KPIs from another has its weights in two places:
        // the help adds them up, each at its line.
        if role.kpis.iter().any(|k| k.shared.is_some()) {
            let added = weights_added(c, id, role);
            help.zh = format!("{}：{}", help.zh, added.zh);
            help.en = format!("{}: {}", help.en, added.en);
        }
        c.err(
            &path.key("kpis").index(0).key("weight"),
            crate::t!(
                "岗位 `{id}`：权重之和为 {}，不是 100",
                "role `{id}`: weights sum to {}, not 100",
                weight_sum.normalize()
            ),
            help,
        );
    }
    sections
}

/// The weights a role's total adds up, each at the line it is written on
/// (a KPI taken from another role at that role's line, unless this role
/// writes its weight): "revenue 15 (line 111) + meetings 25 (line 339)".
fn weights_added(c: &Checker, id: &str, role: &Role) -> crate::lang::Text {
    let path = at("roles").key(id).key("kpis");
    let (mut zh, mut en) = (Vec::new(), Vec::new());
    for (i, k) in role.kpis.iter().enumerate() {
        if matches!(k.rule, Rule::Monitor) {
            continue;
        }
        let line = c.loc.line(&path.index(i).key("weight"));
        let (kid, w) = (&k.id, k.weight);
        let from = match &k.shared {
            Some(sh) if !sh.changed.iter().any(|x| x == "weight") => {
                (format!("，取自 {}", sh.role), format!(", from {}", sh.role))
            }
            _ => (String::new(), String::new()),
        };
        zh.push(format!("{kid} {w}（第 {line} 行{}）", from.0));
        en.push(format!("{kid} {w} (line {line}{})", from.1));
    }
    crate::lang::Text::new(zh.join(" + "), en.join(" + "))
}

/// KPI formulas' references to other KPIs: the order to score them in, or a cycle.
fn order_kpi_formulas(
    c: &mut Checker,
    id: &str,
    role: &Role,
    kpi_ids: &HashMap<&str, usize>,
    compiled: &mut Compiled,
) {
    let path = at("roles").key(id);
    let formulas = compiled.kpi_formulas.get(id).cloned().unwrap_or_default();
    let mut deps: HashMap<&str, Vec<&str>> = HashMap::new();
    for (i, k) in role.kpis.iter().enumerate() {
        let reads = formulas.get(&i).map(|e| e.names()).unwrap_or_default();
        deps.insert(
            k.id.as_str(),
            reads
                .into_iter()
                .filter_map(|n| n.strip_prefix("kpi."))
                .filter(|d| kpi_ids.contains_key(d))
                .collect(),
        );
    }
    match topo_order(&deps) {
        Ok(order) => {
            let order = order
                .into_iter()
                .filter_map(|k| kpi_ids.get(k).copied())
                .collect();
            compiled.kpi_order.insert(id.to_string(), order);
        }
        Err(cycle) => {
            let first = kpi_ids.get(cycle[0].as_str()).copied().unwrap_or(0);
            c.err(
                &path.key("kpis").index(first).key("rule").key("expr"),
                crate::t!(
                    "岗位 `{id}`：指标公式构成循环：{}",
                    "role `{id}`: KPI formulas form a cycle: {}",
                    cycle.join(" → ")
                ),
                crate::lang::Text::new(
                    "其中一个指标不能读取其他几个的得分",
                    "one of these KPIs must not read the others' scores",
                ),
            );
        }
    }
}

/// Adjustments read known metrics and have caps of zero or more.
fn check_adjustments(c: &mut Checker, id: &str, role: &Role, metrics: &HashMap<String, KeyPath>) {
    let path = at("roles").key(id);
    for (a, adj) in role.adjustments.iter().enumerate() {
        let ap = path.key("adjustments").index(a);
        if let Some(cap) = adj.cap
            && cap.get().is_sign_negative()
        {
            c.err(
                &ap.key("cap"),
                crate::lang::Text::new("封顶不能为负", "a cap cannot be negative"),
                crate::lang::Text::new(
                    "封顶以分计，加减分都适用，例如 cap = 5",
                    "caps are in points either way, e.g. cap = 5",
                ),
            );
        }
        for (j, item) in adj.items.iter().enumerate() {
            let ip = ap.key("items").index(j);
            if !metrics.contains_key(&item.metric) {
                c.err(
                    &ip.key("metric"),
                    crate::t!(
                        "加减分项 `{}` 读取了不存在的数据项 `{}`",
                        "adjustment `{}` reads unknown metric `{}`",
                        item.name,
                        item.metric
                    ),
                    suggest(&item.metric, metrics.keys()),
                );
            }
            if let Some(cap) = item.cap
                && cap.get().is_sign_negative()
            {
                c.err(
                    &ip.key("cap"),
                    crate::lang::Text::new("封顶不能为负", "a cap cannot be negative"),
                    crate::lang::Text::new(
                        "封顶以分计，加减分都适用，例如 cap = 3",
                        "caps are in points either way, e.g. cap = 3",
                    ),
                );
            }
        }
    }
}

/// Vetoes: conditions read known names; the section or grade they act on exists.
/// Returns the parsed conditions in the order of the vetoes.
fn check_vetoes(
    c: &mut Checker,
    s: &Scheme,
    id: &str,
    role: &Role,
    metrics: &HashMap<String, KeyPath>,
    kpi_ids: &HashMap<&str, usize>,
    sections: &BTreeSet<&str>,
) -> Vec<Expr> {
    let path = at("roles").key(id);
    let mut conditions = Vec::new();
    for (v, veto) in role.vetoes.iter().enumerate() {
        let vp = path.key("vetoes").index(v);
        if let Some(e) = c.parse_formula(&vp.key("when"), &veto.when) {
            for n in e.names() {
                let known = metrics.contains_key(n)
                    || n.strip_prefix("kpi.")
                        .is_some_and(|k| kpi_ids.contains_key(k));
                if !known {
                    c.err(
                        &vp.key("when"),
                        crate::t!(
                            "否决项 `{}` 读取了不存在的名称 `{n}`",
                            "veto `{}` reads unknown name `{n}`",
                            veto.id
                        ),
                        suggest(n, metrics.keys()),
                    );
                }
            }
            conditions.push(e);
        }
        match veto.effect {
            VetoEffect::SectionZero => match &veto.section {
                Some(sec) if sections.contains(sec.as_str()) => {}
                Some(sec) => c.err(
                    &vp.key("section"),
                    crate::t!(
                        "否决项 `{}` 作废的板块 `{sec}` 不包含 `{id}` 的任何指标",
                        "veto `{}` voids section `{sec}`, which no KPI of `{id}` belongs to",
                        veto.id
                    ),
                    crate::t!(
                        "可选：{}",
                        "use one of: {}",
                        sections.iter().copied().collect::<Vec<_>>().join(", ")
                    ),
                ),
                None => c.err(
                    &vp,
                    crate::t!(
                        "否决项 `{}` 的效果是 `section_zero`，却没有 `section`",
                        "veto `{}` has effect `section_zero` but no `section`",
                        veto.id
                    ),
                    crate::lang::Text::new(
                        "加上 `section = \"<板块名>\"`",
                        "add `section = \"<section name>\"`",
                    ),
                ),
            },
            VetoEffect::GradeCeiling => match &veto.grade {
                Some(g) if s.grades.scale.contains(g) => {}
                Some(g) => c.err(
                    &vp.key("grade"),
                    crate::t!(
                        "否决项 `{}` 把等级限制在 `{g}`，但等级表中没有它",
                        "veto `{}` caps the grade at `{g}`, which is not on the scale",
                        veto.id
                    ),
                    crate::t!("可选：{}", "use one of: {}", s.grades.scale.join(", ")),
                ),
                None => c.err(
                    &vp,
                    crate::t!(
                        "否决项 `{}` 的效果是 `grade_ceiling`，却没有 `grade`",
                        "veto `{}` has effect `grade_ceiling` but no `grade`",
                        veto.id
                    ),
                    crate::lang::Text::new(
                        "加上 `grade = \"C\"`（仍可得到的最好等级）",
                        "add `grade = \"C\"` (the best grade still possible)",
                    ),
                ),
            },
            VetoEffect::TotalZero => {}
        }
    }
    conditions
}

/// A team blend's shares add up to 1 and it reads another role.
fn check_team_blend(c: &mut Checker, s: &Scheme, id: &str, role: &Role) {
    let path = at("roles").key(id);
    if let Some(tb) = &role.team_blend {
        let tp = path.key("team_blend");
        if tb.own.get() + tb.team.get() != Decimal::ONE {
            c.err(
                &tp,
                crate::t!(
                    "班组加权比例 {} + {} 之和不是 1",
                    "team blend shares {} + {} do not add up to 1",
                    tb.own,
                    tb.team
                ),
                crate::lang::Text::new(
                    "设 `own` 与 `team`，使 own + team = 1，例如 0.6 和 0.4",
                    "set `own` and `team` so that own + team = 1, e.g. 0.6 and 0.4",
                ),
            );
        }
        if tb.members == id || !s.roles.contains_key(&tb.members) {
            c.err(
                &tp.key("members"),
                crate::t!(
                    "班组加权读取的岗位 `{}` 不是另一个岗位",
                    "team blend reads role `{}`, which is not another role",
                    tb.members
                ),
                one_of(s.roles.keys().filter(|r| *r != id)),
            );
        }
    }
}

pub(super) fn check_roles_cover(c: &mut Checker, s: &Scheme) {
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for (id, role) in &s.roles {
        for v in role.roster_value.values() {
            if let Some(other) = seen.insert(v, id) {
                c.err(
                    &at("roles").key(id).key("roster_value"),
                    crate::t!(
                        "花名册中的值 `{v}` 同时属于岗位 `{other}` 和 `{id}`",
                        "roster value `{v}` is claimed by roles `{other}` and `{id}`"
                    ),
                    crate::lang::Text::new(
                        "每个“岗位”值只能对应一个岗位",
                        "each 岗位 value must mean one role",
                    ),
                );
            }
        }
    }
}
