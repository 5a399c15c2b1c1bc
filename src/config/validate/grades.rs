//! The grade scale, cut-offs, distribution quotas and tie-breaks.

use super::Checker;
use crate::config::Dec;
use crate::config::locate::{KeyPath, at};
use crate::config::scheme::*;
use rust_decimal::Decimal;
use std::collections::HashSet;

pub(super) fn check_grades(c: &mut Checker, s: &Scheme) {
    let g = &s.grades;
    let path = at("grades");
    let mut seen = HashSet::new();
    for (i, name) in g.scale.iter().enumerate() {
        if !seen.insert(name) {
            c.err(
                &path.key("scale").index(i),
                crate::t!("等级 `{name}` 列了两次", "grade `{name}` is listed twice"),
                crate::lang::Text::new(
                    "每个等级只列一次，从最好的开始",
                    "list each grade once, best first",
                ),
            );
        }
    }
    if g.scale.is_empty() {
        c.err(
            &path.key("scale"),
            crate::lang::Text::new("等级列表是空的", "the grade scale is empty"),
            crate::lang::Text::new(
                "例如 scale = [\"A\", \"B\", \"C\", \"D\"]",
                "e.g. scale = [\"A\", \"B\", \"C\", \"D\"]",
            ),
        );
        return;
    }
    check_cutoffs(c, g, &path);
    if g.cutoffs.is_empty() && g.distribution.is_none() {
        c.err(
            &path,
            crate::lang::Text::new(
                "等级需要 `cutoffs`（分数线）、`distribution`（强制分布）或两者",
                "grades need `cutoffs`, a `distribution`, or both",
            ),
            crate::lang::Text::new(
                "加上 cutoffs = [{ grade = \"A\", min = 90 }, …]",
                "add cutoffs = [{ grade = \"A\", min = 90 }, …]",
            ),
        );
    }
    let Some(d) = &g.distribution else { return };
    let dp = path.key("distribution");
    check_quotas(c, g, d, &dp);
    check_tie_break(c, s, d, &dp);
}

/// Cut-offs name grades of the scale above the lowest, best first, each lower than the one before.
fn check_cutoffs(c: &mut Checker, g: &Grades, path: &KeyPath) {
    let pos = |name: &str| g.scale.iter().position(|x| x == name);
    let mut last: Option<(usize, Decimal)> = None;
    for (i, cut) in g.cutoffs.iter().enumerate() {
        let cp = path.key("cutoffs").index(i);
        match pos(&cut.grade) {
            None => c.err(
                &cp.key("grade"),
                crate::t!(
                    "分数线所属的等级 `{}` 不存在",
                    "cut-off for unknown grade `{}`",
                    cut.grade
                ),
                crate::t!("可选：{}", "use one of: {}", g.scale.join(", ")),
            ),
            Some(p) if p + 1 == g.scale.len() => c.err(
                &cp.key("grade"),
                crate::t!(
                    "最低等级 `{}` 不需要分数线",
                    "the lowest grade `{}` needs no cut-off",
                    cut.grade
                ),
                crate::lang::Text::new(
                    "删除它：低于其他分数线的人都得最低等级",
                    "remove it: everyone below the other cut-offs gets the lowest grade",
                ),
            ),
            Some(p) => {
                if let Some((lp, lmin)) = last
                    && (p <= lp || cut.min.get() >= lmin)
                {
                    c.err(
                        &cp,
                        crate::t!("`{}` 的分数线顺序不对", "cut-off for `{}` is out of order", cut.grade),
                        crate::lang::Text::new("分数线从最好的等级往下列，每条都低于前一条", "list cut-offs from the best grade down, each lower than the one before"),
                    );
                }
                last = Some((p, cut.min.get()));
            }
        }
    }
}

/// Quota shares lie between 0 and 1, the minimums fit in the group, and top
/// and bottom quotas leave room for each other.
fn check_quotas(c: &mut Checker, g: &Grades, d: &Distribution, dp: &KeyPath) {
    let pos = |name: &str| g.scale.iter().position(|x| x == name);
    let mut min_total = Decimal::ZERO;
    let mut max_total = Decimal::ZERO;
    for (i, q) in d.quotas.iter().enumerate() {
        let qp = dp.key("quotas").index(i);
        if pos(&q.grade).is_none() {
            c.err(
                &qp.key("grade"),
                crate::t!(
                    "比例限制所属的等级 `{}` 不存在",
                    "quota for unknown grade `{}`",
                    q.grade
                ),
                crate::t!("可选：{}", "use one of: {}", g.scale.join(", ")),
            );
        }
        for (key, share) in [("max", q.max), ("min", q.min)] {
            if let Some(sh) = share
                && (sh.get() < Decimal::ZERO || sh.get() > Decimal::ONE)
            {
                c.err(
                    &qp.key(key),
                    crate::t!(
                        "比例 {sh} 不在 0 与 1 之间",
                        "quota share {sh} is not between 0 and 1"
                    ),
                    crate::lang::Text::new(
                        "比例写成小数：0.2 或 \"20%\"",
                        "write shares as fractions: 0.2 or \"20%\"",
                    ),
                );
            }
        }
        if q.max.is_none() && q.min.is_none() {
            c.err(&qp, crate::t!("`{}` 的比例限制既没有 `max` 也没有 `min`", "quota for `{}` has neither `max` nor `min`", q.grade), crate::lang::Text::new("加上 max = 0.2（至多 20% 的人得此等级）或 min = 0.1（至少 10% 的人得此等级或更低）", "add max = 0.2 (at most 20 % get this grade) or min = 0.1 (at least 10 % get this grade or worse)"));
        }
        min_total += q.min.map_or(Decimal::ZERO, Dec::get);
        max_total += q.max.map_or(Decimal::ZERO, Dec::get);
    }
    let _ = max_total;
    if min_total > Decimal::ONE {
        c.err(
            &dp.key("quotas"),
            crate::t!(
                "各 `min` 比例之和为 {}，超过了全体",
                "minimum quotas add up to {}, more than the whole group",
                min_total.normalize()
            ),
            crate::lang::Text::new(
                "调低 `min` 比例，使其总和不超过 1",
                "lower the `min` shares so that they total at most 1",
            ),
        );
    }
    // A top quota and a bottom quota must leave room for each other.
    let top = d
        .quotas
        .iter()
        .filter_map(|q| q.max.map(|m| (pos(&q.grade), m.get())))
        .collect::<Vec<_>>();
    let worst_max = top.iter().filter_map(|(p, _)| *p).max();
    for (i, q) in d.quotas.iter().enumerate() {
        if let (Some(_), Some(pm), Some(wm)) = (q.min, pos(&q.grade), worst_max)
            && pm <= wm
            && pos(&q.grade) != Some(g.scale.len())
            && top.iter().any(|(p, _)| p.is_some_and(|p| p >= pm))
        {
            c.err(
                &dp.key("quotas").index(i),
                crate::t!(
                    "`{}` 的 `min` 比例与同级或更低等级的 `max` 比例重叠",
                    "quota `min` for `{}` overlaps a `max` quota on the same or a lower grade",
                    q.grade
                ),
                crate::lang::Text::new(
                    "`max` 比例放在高等级上，`min` 比例放在低等级上",
                    "put `max` quotas on the top grades and `min` quotas on the bottom ones",
                ),
            );
        }
    }
}

/// Tie-break keys name the total, a KPI or a metric.
fn check_tie_break(c: &mut Checker, s: &Scheme, d: &Distribution, dp: &KeyPath) {
    for (i, key) in d.tie_break.iter().enumerate() {
        let ok = key == "total"
            || key
                .strip_prefix("kpi:")
                .is_some_and(|k| s.roles.values().any(|r| r.kpis.iter().any(|x| x.id == k)))
            || s.sources
                .values()
                .any(|src| src.rows == Rows::OnePerKey && src.columns.contains_key(key))
            || s.metrics.contains_key(key);
        if !ok {
            c.err(
                &dp.key("tie_break").index(i),
                crate::t!("未知的同分排序键 `{key}`", "unknown tie-break key `{key}`"),
                crate::lang::Text::new(
                    "用 `total`、`kpi:<指标编号>` 或一个数据项名称",
                    "use `total`, `kpi:<kpi id>` or a metric name",
                ),
            );
        }
    }
}
