//! Checks `[instruments.*]` (`config::instruments`) and declares the
//! metrics they produce. Called from `validate::check`; each problem names
//! its TOML line.

use super::instruments::*;
use super::locate::{KeyPath, Locator, at};
use super::scheme::{MetricDef, Scheme, Target};
use crate::error::Problem;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// Check the instruments and add the metrics they produce to `metrics`.
pub fn check(s: &Scheme, loc: &Locator, metrics: &mut HashMap<String, KeyPath>) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut err = |path: &KeyPath, message: crate::lang::Text, help: crate::lang::Text| {
        problems.push(Problem::new(loc.find(path), message).help(help));
    };
    check_sections_present(s, &mut err);
    check_settings(s, &mut err);
    declare_metrics(s, metrics, &mut err);
    check_names_read(s, metrics, &mut err);
    check_weak_spot_count_unread(s, &mut err);
    check_team_blend_kpis(s, &mut err);
    problems
}

/// The sections an instrument needs beside it are there.
fn check_sections_present(
    s: &Scheme,
    err: &mut dyn FnMut(&KeyPath, crate::lang::Text, crate::lang::Text),
) {
    let ins = &s.instruments;
    let root = at("instruments");
    let needs_customers =
        ins.daily_log.is_some() || ins.retention.is_some() || ins.products.is_some();
    if needs_customers && ins.customers.is_none() {
        err(
            &root,
            crate::lang::Text::new(
                "日行事例、保有预警和产品需要 `[instruments.customers]`",
                "the daily log, retention warnings and products need `[instruments.customers]`",
            ),
            crate::lang::Text::new(
                "加上 [instruments.customers]，含 file、sheet 和 columns { code, account_manager }",
                "add [instruments.customers] with file, sheet and columns { code, account_manager }",
            ),
        );
    }
    if let Some(r) = &ins.retention
        && ins.daily_log.is_none()
        && r.no_visit_days.is_some()
    {
        err(
            &root.key("retention").key("no_visit_days"),
            crate::lang::Text::new(
                "`no_visit_days` 需要 `[instruments.daily_log]` 中的走访记录",
                "`no_visit_days` needs the visits of `[instruments.daily_log]`",
            ),
            crate::lang::Text::new(
                "加上 [instruments.daily_log]，或删除 `no_visit_days`",
                "add [instruments.daily_log], or remove `no_visit_days`",
            ),
        );
    }
    if let Some(r) = &ins.retention
        && r.contract_days.is_some()
        && ins
            .customers
            .as_ref()
            .is_some_and(|c| c.columns.contract_end.is_none())
    {
        err(
            &root.key("customers").key("columns"),
            crate::lang::Text::new(
                "`contract_days` 需要客户的合同到期日",
                "`contract_days` needs the customers' contract end dates",
            ),
            crate::lang::Text::new(
                "在客户的 columns 中加上 `contract_end = \"合同到期日\"`",
                "add `contract_end = \"合同到期日\"` to the customers' columns",
            ),
        );
    }
}

/// Thresholds, checkpoints and weak-spot settings make sense on their own.
fn check_settings(s: &Scheme, err: &mut dyn FnMut(&KeyPath, crate::lang::Text, crate::lang::Text)) {
    let ins = &s.instruments;
    let root = at("instruments");
    if let Some(r) = &ins.retention {
        for (key, lv) in [
            ("revenue_mom", &r.revenue_mom),
            ("revenue_yoy", &r.revenue_yoy),
            ("member_churn", &r.member_churn),
        ] {
            if let Some(lv) = lv
                && (lv.warn.get() <= Decimal::ZERO || lv.severe.get() < lv.warn.get())
            {
                err(
                    &root.key("retention").key(key),
                    crate::t!(
                        "`{key}`：阈值须满足 0 < warn ≤ severe",
                        "`{key}`: thresholds must satisfy 0 < warn ≤ severe"
                    ),
                    crate::lang::Text::new(
                        "降幅写成小数，例如 { warn = 0.1, severe = 0.25 }",
                        "write the falls as fractions, e.g. { warn = 0.1, severe = 0.25 }",
                    ),
                );
            }
        }
        if let Some(d) = &r.contract_days
            && d.severe > d.warn
        {
            err(
                &root.key("retention").key("contract_days"),
                crate::lang::Text::new(
                    "`contract_days`：`severe` 须不大于 `warn`（剩余天数越少越严重）",
                    "`contract_days`: `severe` must be at most `warn` (fewer days left is worse)",
                ),
                crate::lang::Text::new(
                    "例如 { warn = 90, severe = 30 }",
                    "e.g. { warn = 90, severe = 30 }",
                ),
            );
        }
        if let Some(d) = &r.no_visit_days
            && d.severe < d.warn
        {
            err(
                &root.key("retention").key("no_visit_days"),
                crate::lang::Text::new(
                    "`no_visit_days`：`severe` 须不小于 `warn`",
                    "`no_visit_days`: `severe` must be at least `warn`",
                ),
                crate::lang::Text::new(
                    "例如 { warn = 30, severe = 60 }",
                    "e.g. { warn = 30, severe = 60 }",
                ),
            );
        }
    }
    if let Some(c) = &ins.checkpoints {
        if s.period.checkpoints.is_empty() {
            err(
                &at("period").key("checkpoints"),
                crate::lang::Text::new(
                    "`[instruments.checkpoints]` 需要 `[period]` 中的 checkpoints（节点）",
                    "`[instruments.checkpoints]` needs checkpoints in `[period]`",
                ),
                crate::lang::Text::new(
                    "加上 checkpoints = [2024-07-31, 2024-08-31, 2024-09-30]",
                    "add checkpoints = [2024-07-31, 2024-08-31, 2024-09-30]",
                ),
            );
        }
        if c.series.is_empty() {
            err(
                &root.key("checkpoints"),
                crate::lang::Text::new(
                    "`[instruments.checkpoints]` 没有 series",
                    "`[instruments.checkpoints]` has no series",
                ),
                crate::lang::Text::new(
                    "加上 [[instruments.checkpoints.series]]，含 metric、column 和 target",
                    "add [[instruments.checkpoints.series]] with metric, column and target",
                ),
            );
        }
    }
    if let Some(w) = &ins.weak_spots {
        let q = w.quantile.get();
        if q <= Decimal::ZERO || q >= Decimal::ONE {
            err(
                &root.key("weak_spots").key("quantile"),
                crate::t!(
                    "分位数 {q} 须严格介于 0 与 1 之间",
                    "quantile {q} must lie strictly between 0 and 1"
                ),
                crate::lang::Text::new(
                    "例如 0.25 标出最低的四分之一",
                    "e.g. 0.25 flags the bottom quarter",
                ),
            );
        }
        for (i, r) in w.roles.iter().enumerate() {
            if !s.roles.contains_key(r) {
                err(
                    &root.key("weak_spots").key("roles").index(i),
                    crate::t!("不存在的岗位 `{r}`", "unknown role `{r}`"),
                    crate::lang::Text::new("用 [roles] 中的岗位编号", "use a role id of [roles]"),
                );
            }
        }
    }
}

/// Declare the metrics the instruments produce.
fn declare_metrics(
    s: &Scheme,
    metrics: &mut HashMap<String, KeyPath>,
    err: &mut dyn FnMut(&KeyPath, crate::lang::Text, crate::lang::Text),
) {
    let ins = &s.instruments;
    let root = at("instruments");
    for (name, section) in ins.metrics(s.period.checkpoints.len()) {
        let path = root.key(section);
        match metrics.entry(name) {
            std::collections::hash_map::Entry::Occupied(o) => err(
                &path,
                crate::t!(
                    "[instruments.{section}] 生成的数据项 `{}` 已有定义",
                    "metric `{}` made by [instruments.{section}] is already defined",
                    o.key()
                ),
                crate::lang::Text::new(
                    "给另一个数据项改名（README 列出了管理工具生成的数据项名称）",
                    "rename the other metric (the README lists the instruments' metric names)",
                ),
            ),
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(path);
            }
        }
    }
}

/// The metrics the instruments read exist, and so do the roles they name.
fn check_names_read(
    s: &Scheme,
    metrics: &HashMap<String, KeyPath>,
    err: &mut dyn FnMut(&KeyPath, crate::lang::Text, crate::lang::Text),
) {
    let ins = &s.instruments;
    let root = at("instruments");
    if let Some(c) = &ins.checkpoints {
        for (i, sr) in c.series.iter().enumerate() {
            if !metrics.contains_key(&sr.target) {
                err(
                    &root.key("checkpoints").key("series").index(i).key("target"),
                    crate::t!(
                        "序列 `{}` 读取了不存在的目标数据项 `{}`",
                        "series `{}` reads unknown target metric `{}`",
                        sr.metric,
                        sr.target
                    ),
                    crate::lang::Text::new(
                        "指定一个存放本期目标值的数据项",
                        "name a metric that holds the period's target",
                    ),
                );
            }
        }
    }
    if let Some(r) = &ins.rvc {
        let rp = root.key("rvc");
        let mut names = vec![(rp.key("index"), &r.index)];
        names.extend(
            r.parts
                .iter()
                .enumerate()
                .map(|(i, p)| (rp.key("parts").index(i).key("metric"), &p.metric)),
        );
        for (path, m) in names {
            if !metrics.contains_key(m) {
                err(
                    &path,
                    crate::t!(
                        "RVC 读取了不存在的数据项 `{m}`",
                        "RVC reads unknown metric `{m}`"
                    ),
                    crate::lang::Text::new(
                        "在 [metrics] 下把它定义为公式",
                        "define it under [metrics] as a formula",
                    ),
                );
            }
        }
        for (i, role) in r.roles.iter().enumerate() {
            if !s.roles.contains_key(role) {
                err(
                    &rp.key("roles").index(i),
                    crate::t!("不存在的岗位 `{role}`", "unknown role `{role}`"),
                    crate::lang::Text::new("用 [roles] 中的岗位编号", "use a role id of [roles]"),
                );
            }
        }
    }
}

/// The weak-spot count is known only after the KPIs: KPIs and formula
/// metrics must not read it.
fn check_weak_spot_count_unread(
    s: &Scheme,
    err: &mut dyn FnMut(&KeyPath, crate::lang::Text, crate::lang::Text),
) {
    let ins = &s.instruments;
    if let Some(m) = ins.weak_spots.as_ref().and_then(|w| w.metric.as_ref()) {
        for (id, role) in &s.roles {
            for (i, k) in role.kpis.iter().enumerate() {
                let target = match &k.target {
                    Some(Target::Metric { metric }) => Some(metric),
                    _ => None,
                };
                let in_formula = match &k.rule {
                    super::rule::Rule::Formula { expr, .. } => {
                        crate::formula::parse(expr).is_ok_and(|e| e.names().contains(&m.as_str()))
                    }
                    _ => false,
                };
                if k.metric.as_ref() == Some(m) || target == Some(m) || in_formula {
                    err(
                        &at("roles").key(id).key("kpis").index(i),
                        crate::t!(
                            "指标 `{}` 读取了 `{m}`（短板个数），它要在各指标计分之后才知道",
                            "KPI `{}` reads `{m}`, the weak-spot count, which is known only after the KPIs are scored",
                            k.id
                        ),
                        crate::lang::Text::new(
                            "改在加减分项或否决项中读取它",
                            "read it in an adjustment item or a veto instead",
                        ),
                    );
                }
            }
        }
        for (name, def) in &s.metrics {
            if let MetricDef::Formula(f) = def
                && crate::formula::parse(&f.formula).is_ok_and(|e| e.names().contains(&m.as_str()))
            {
                err(
                    &at("metrics").key(name),
                    crate::t!(
                        "公式数据项 `{name}` 读取了 `{m}`（短板个数），它要在各指标计分之后才知道",
                        "formula metric `{name}` reads `{m}`, the weak-spot count, known only after the KPIs"
                    ),
                    crate::lang::Text::new(
                        "改在加减分项或否决项中读取它",
                        "read it in an adjustment item or a veto instead",
                    ),
                );
            }
        }
    }
}

/// Team blends on chosen KPIs: the KPIs must be the members' role's.
fn check_team_blend_kpis(
    s: &Scheme,
    err: &mut dyn FnMut(&KeyPath, crate::lang::Text, crate::lang::Text),
) {
    for (id, role) in &s.roles {
        let Some(tb) = &role.team_blend else { continue };
        let Some(TeamOf::Kpis(ks)) = &tb.of else {
            continue;
        };
        let path = at("roles").key(id).key("team_blend").key("of");
        let Some(members) = s.roles.get(&tb.members) else {
            continue;
        };
        if ks.kpis.is_empty() {
            err(
                &path,
                crate::lang::Text::new("`of.kpis` 是空的", "`of.kpis` is empty"),
                crate::lang::Text::new(
                    "至少列出组员岗位的一个指标",
                    "name at least one KPI of the members' role",
                ),
            );
        }
        for k in &ks.kpis {
            match members.kpis.iter().find(|x| &x.id == k) {
                None => err(
                    &path,
                    crate::t!(
                        "岗位 `{}` 没有指标 `{k}`",
                        "role `{}` has no KPI `{k}`",
                        tb.members
                    ),
                    crate::lang::Text::new(
                        "用组员岗位的某个指标编号",
                        "use the id of a KPI of the members' role",
                    ),
                ),
                Some(x) if x.weight.get().is_zero() => err(
                    &path,
                    crate::t!(
                        "指标 `{k}` 权重为 0，不能用来加权班组结果",
                        "KPI `{k}` has weight 0 and cannot weigh the team's result"
                    ),
                    crate::lang::Text::new("选一个有权重的指标", "choose a weighted KPI"),
                ),
                Some(_) => {}
            }
        }
    }
}
