//! One KPI: its metric and target, and the shape of its scoring rule.

use super::{Checker, KPI_CONTEXT, suggest};
use crate::config::locate::KeyPath;
use crate::config::rule::{Band, Rule};
use crate::config::scheme::*;
use crate::config::{Compiled, Dec};
use crate::formula::Expr;
use std::collections::HashMap;

#[allow(clippy::too_many_arguments)]
pub(super) fn check_kpi(
    c: &mut Checker,
    s: &Scheme,
    role_id: &str,
    role: &Role,
    i: usize,
    k: &Kpi,
    kp: &KeyPath,
    metrics: &HashMap<String, KeyPath>,
    compiled: &mut Compiled,
) {
    let rp = kp.key("rule");
    check_metric_and_target(c, k, kp, metrics);
    super::units::check_units(c, k, kp);
    let floor_cap = |c: &mut Checker, floor: &Option<Dec>, cap: &Option<Dec>| {
        if let (Some(f), Some(cp)) = (floor, cap)
            && f.get() > cp.get()
        {
            c.err(
                &rp.key("floor"),
                crate::t!(
                    "指标 `{}`：下限 {f} 高于封顶 {cp}",
                    "KPI `{}`: floor {f} is above cap {cp}",
                    k.id
                ),
                crate::lang::Text::new("使下限 ≤ 封顶", "make floor ≤ cap"),
            );
        }
    };
    match &k.rule {
        Rule::Ratio { floor, cap }
        | Rule::Inverse { floor, cap, .. }
        | Rule::Formula { floor, cap, .. }
        | Rule::Growth { floor, cap, .. } => floor_cap(c, floor, cap),
        _ => {}
    }
    match &k.rule {
        Rule::Piecewise { points, .. } => check_points(c, k, points, &rp),
        Rule::Bands { bands, .. } => check_bands(c, &k.id, bands, &rp.key("bands")),
        Rule::Matrix {
            columns,
            row_metric,
            rows,
            table,
            ..
        } => check_matrix(c, k, (columns, rows, table), row_metric, &rp, metrics),
        Rule::Rank { best, worst, .. } if worst.get() > best.get() => {
            c.err(
                &rp.key("worst"),
                crate::t!(
                    "指标 `{}`：最差得分 {worst} 高于最好得分 {best}",
                    "KPI `{}`: worst score {worst} is above best {best}",
                    k.id
                ),
                crate::lang::Text::new("使 worst ≤ best", "make worst ≤ best"),
            );
        }
        Rule::Growth { base, .. } if !metrics.contains_key(base) => {
            c.err(
                &rp.key("base"),
                crate::t!(
                    "指标 `{}`：增长规则读取了不存在的基期数据项 `{base}`",
                    "KPI `{}`: growth reads unknown base metric `{base}`",
                    k.id
                ),
                suggest(base, metrics.keys()),
            );
        }
        Rule::Formula { expr, .. } => {
            if let Some(e) = check_kpi_formula(c, role_id, role, k, expr, &rp, metrics) {
                compiled
                    .kpi_formulas
                    .entry(role_id.to_string())
                    .or_default()
                    .insert(i, e);
            }
        }
        _ => {}
    }
    let _ = s;
}

/// The KPI reads a known metric, and its target is known and can divide.
fn check_metric_and_target(
    c: &mut Checker,
    k: &Kpi,
    kp: &KeyPath,
    metrics: &HashMap<String, KeyPath>,
) {
    let needs_metric = !matches!(k.rule, Rule::Formula { .. });
    match &k.metric {
        Some(m) if !metrics.contains_key(m) => c.err(
            &kp.key("metric"),
            crate::t!(
                "指标 `{}` 读取了不存在的数据项 `{m}`",
                "KPI `{}` reads unknown metric `{m}`",
                k.id
            ),
            suggest(m, metrics.keys()),
        ),
        None if needs_metric => c.err(
            kp,
            crate::t!("指标 `{}` 没有 `metric`", "KPI `{}` has no `metric`", k.id),
            crate::lang::Text::new(
                "加上 `metric = \"<字段>\"`，指明它读取的列",
                "add `metric = \"<field>\"`, naming the column it reads",
            ),
        ),
        _ => {}
    }
    match &k.target {
        Some(Target::Metric { metric }) if !metrics.contains_key(metric) => c.err(
            &kp.key("target").key("metric"),
            crate::t!("指标 `{}`：目标值读取了不存在的数据项 `{metric}`", "KPI `{}`: target reads unknown metric `{metric}`", k.id),
            suggest(metric, metrics.keys()),
        ),
        Some(Target::Value(v))
            if v.get().is_zero() && matches!(k.rule, Rule::Ratio { .. } | Rule::Inverse { .. }) =>
        {
            c.err(
                &kp.key("target"),
                crate::t!("指标 `{}`：目标值为 0，无法作除数", "KPI `{}`: a target of 0 cannot divide", k.id),
                crate::lang::Text::new("用大于零的目标值，或用 `gate` 规则", "use a target above zero, or the `gate` rule"),
            )
        }
        Some(Target::Value(v))
            if v.get().is_sign_negative() && matches!(k.rule, Rule::Ratio { .. } | Rule::Inverse { .. }) =>
        {
            c.err(
                &kp.key("target"),
                crate::t!("指标 `{}`：目标值为负（{v}），完成率没有意义", "KPI `{}`: a negative target ({v}) makes the completion rate meaningless", k.id),
                crate::lang::Text::new("用大于零的目标值；越低越好的指标用 `inverse` 规则并给正的目标值", "use a target above zero; for a value that should fall, use the `inverse` rule with a positive target"),
            )
        }
        None if k.rule.needs_target() => c.err(
            kp,
            crate::t!("指标 `{}`：规则 `{}` 需要 `target`（目标值）", "KPI `{}`: rule `{}` needs a `target`", k.id, k.rule.kind()),
            crate::lang::Text::new("加上 `target = 100` 或 `target = { metric = \"<字段>\" }`", "add `target = 100` or `target = { metric = \"<field>\" }`"),
        ),
        _ => {}
    }
}

/// A formula rule parses and reads metrics, the KPI's own `actual`/`target`/`rate`,
/// or other KPIs of the role. Returns the parsed formula.
fn check_kpi_formula(
    c: &mut Checker,
    role_id: &str,
    role: &Role,
    k: &Kpi,
    expr: &str,
    rp: &KeyPath,
    metrics: &HashMap<String, KeyPath>,
) -> Option<Expr> {
    let ep = rp.key("expr");
    let e = c.parse_formula(&ep, expr)?;
    for n in e.names() {
        let known = metrics.contains_key(n)
            || (KPI_CONTEXT.contains(&n) && k.metric.is_some())
            || n.strip_prefix("kpi.")
                .is_some_and(|kid| kid != k.id && role.kpis.iter().any(|o| o.id == kid));
        if !known {
            let help = if let Some(kid) = n.strip_prefix("kpi.") {
                crate::t!(
                    "`kpi.{kid}` 须是岗位 `{role_id}` 的另一个指标",
                    "`kpi.{kid}` must name another KPI of role `{role_id}`"
                )
            } else if KPI_CONTEXT.contains(&n) {
                crate::t!(
                    "`actual`、`target` 和 `rate` 需要该指标有 `metric`",
                    "`actual`, `target` and `rate` need the KPI to have a `metric`"
                )
            } else {
                suggest(n, metrics.keys())
            };
            c.err(
                &ep,
                crate::t!(
                    "指标 `{}`：公式读取了不存在的名称 `{n}`",
                    "KPI `{}`: formula reads unknown name `{n}`",
                    k.id
                ),
                help,
            );
        }
    }
    Some(e)
}

fn check_bands(c: &mut Checker, kpi: &str, bands: &[Band], path: &KeyPath) {
    if bands.is_empty() {
        c.err(
            path,
            crate::t!("指标 `{kpi}`：没有分档", "KPI `{kpi}`: no bands"),
            crate::lang::Text::new(
                "加上 bands = [{ from = 0, to = 0.8, score = 0.5 }, …]",
                "add bands = [{ from = 0, to = 0.8, score = 0.5 }, …]",
            ),
        );
        return;
    }
    for (j, b) in bands.iter().enumerate() {
        let bp = path.index(j);
        if let (Some(f), Some(t)) = (b.from, b.to)
            && f.get() >= t.get()
        {
            c.err(
                &bp,
                crate::t!(
                    "指标 `{kpi}`：从 {f} 到 {t}（不含）的档是空的",
                    "KPI `{kpi}`: band [{f}, {t}) is empty"
                ),
                crate::lang::Text::new(
                    "档的 `from` 须小于其 `to`",
                    "a band's `from` must be below its `to`",
                ),
            );
        }
        if j > 0 && b.from.is_none() {
            c.err(
                &bp,
                crate::t!(
                    "指标 `{kpi}`：只有第一档可以省略 `from`",
                    "KPI `{kpi}`: only the first band may leave out `from`"
                ),
                crate::lang::Text::new("给这一档加上 `from`", "give this band a `from`"),
            );
        }
        if j + 1 < bands.len() && b.to.is_none() {
            c.err(
                &bp,
                crate::t!(
                    "指标 `{kpi}`：只有最后一档可以省略 `to`",
                    "KPI `{kpi}`: only the last band may leave out `to`"
                ),
                crate::lang::Text::new("给这一档加上 `to`", "give this band a `to`"),
            );
        }
    }
    for (j, w) in bands.windows(2).enumerate() {
        if let (Some(t), Some(f)) = (w[0].to, w[1].from) {
            if f.get() < t.get() {
                c.err(
                    &path.index(j + 1),
                    crate::t!(
                        "指标 `{kpi}`：分档重叠：前一档到 {t} 为止，这一档却从 {f} 开始",
                        "KPI `{kpi}`: bands overlap: [.., {t}) and [{f}, ..)"
                    ),
                    crate::t!(
                        "让这一档从 {t} 开始，即前一档结束处",
                        "start this band at {t}, where the previous one ends"
                    ),
                );
            } else if f.get() > t.get() {
                c.err(
                    &path.index(j + 1),
                    crate::t!(
                        "指标 `{kpi}`：分档之间有空缺：从 {t} 到 {f}（不含）没有档",
                        "KPI `{kpi}`: gap between bands: nothing covers [{t}, {f})"
                    ),
                    crate::t!(
                        "让这一档从 {t} 开始，即前一档结束处",
                        "start this band at {t}, where the previous one ends"
                    ),
                );
            }
        }
    }
}

/// A piecewise rule's points: at least two, rising in x.
fn check_points(c: &mut Checker, k: &Kpi, points: &[(Dec, Dec)], rp: &KeyPath) {
    if points.len() < 2 {
        c.err(
            &rp.key("points"),
            crate::t!(
                "指标 `{}`：分段规则至少需要两个点",
                "KPI `{}`: a piecewise rule needs at least two points",
                k.id
            ),
            crate::lang::Text::new(
                "例如 points = [[0.8, 0.6], [1.0, 1.0], [1.2, 1.2]]",
                "e.g. points = [[0.8, 0.6], [1.0, 1.0], [1.2, 1.2]]",
            ),
        );
    }
    for (j, w) in points.windows(2).enumerate() {
        if w[1].0.get() <= w[0].0.get() {
            c.err(
                &rp.key("points").index(j + 1),
                crate::t!(
                    "指标 `{}`：各点的 x 须递增；{} 排在 {} 之后",
                    "KPI `{}`: points must rise in x; {} follows {}",
                    k.id,
                    w[1].0,
                    w[0].0
                ),
                crate::lang::Text::new(
                    "按 x 从小到大列出各点",
                    "list the points from the lowest x to the highest",
                ),
            );
        }
    }
}

/// A matrix rule: its row measure exists, both bounds rise, and the table
/// has a score for every row and column.
fn check_matrix(
    c: &mut Checker,
    k: &Kpi,
    (columns, rows, table): (&[Dec], &[Dec], &[Vec<Dec>]),
    row_metric: &str,
    rp: &KeyPath,
    metrics: &HashMap<String, KeyPath>,
) {
    if !metrics.contains_key(row_metric) {
        c.err(
            &rp.key("row_metric"),
            crate::t!(
                "指标 `{}`：矩阵读取了不存在的数据项 `{row_metric}`",
                "KPI `{}`: matrix reads unknown metric `{row_metric}`",
                k.id
            ),
            suggest(row_metric, metrics.keys()),
        );
    }
    for (name, bounds) in [("columns", columns), ("rows", rows)] {
        if bounds.is_empty() || bounds.windows(2).any(|w| w[1].get() <= w[0].get()) {
            c.err(
                &rp.key(name),
                crate::t!(
                    "指标 `{}`：矩阵的 {name} 须为递增的下界",
                    "KPI `{}`: matrix {name} must be rising lower bounds",
                    k.id
                ),
                crate::lang::Text::new("例如 [0, 0.8, 1.0]", "e.g. [0, 0.8, 1.0]"),
            );
        }
    }
    if table.len() != rows.len() || table.iter().any(|r| r.len() != columns.len()) {
        c.err(
            &rp.key("table"),
            crate::t!(
                "指标 `{}`：矩阵须有 {} 行、每行 {} 个得分",
                "KPI `{}`: the matrix table must have {} rows of {} scores",
                k.id,
                rows.len(),
                columns.len()
            ),
            crate::lang::Text::new(
                "`rows` 的每个界一行，`columns` 的每个界一个得分",
                "one row per `rows` bound, one score per `columns` bound",
            ),
        );
    }
}
