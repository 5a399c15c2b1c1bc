//! Checks `[reconcile]` (`config::reconcile`) for what its serde types
//! cannot say: that every source, field and role resolves, that shares
//! total 100 % and that a policy fits the field's type. Called from
//! `validate::check`; each problem names its TOML line.

use super::locate::{KeyPath, Locator, at};
use super::reconcile::*;
use super::scheme::{ColumnType, Scheme};
use crate::error::Problem;
use rust_decimal::Decimal;
use std::collections::HashMap;

fn kind_name(k: ColumnType) -> &'static str {
    match k {
        ColumnType::Number => "number",
        ColumnType::Text => "text",
        ColumnType::Date => "date",
    }
}

/// Check `[reconcile]` and register its credited metrics in `metrics`.
pub fn check(
    s: &Scheme,
    loc: &Locator,
    problems: &mut Vec<Problem>,
    metrics: &mut HashMap<String, KeyPath>,
) {
    let Some(r) = &s.reconcile else {
        return;
    };
    let mut err = |path: &KeyPath, message: crate::lang::Text, help: crate::lang::Text| {
        problems.push(Problem::new(loc.find(path), message).help(help));
    };
    check_sources(r, &mut err);
    for (id, f) in &r.fields {
        check_field(r, id, f, &mut err);
    }
    check_roles(s, r, &mut err);
    for (i, c) in r.credits.iter().enumerate() {
        check_credit(r, i, c, metrics, &mut err);
    }
}

/// Every project source maps columns, each of a reconciled field.
fn check_sources(
    r: &Reconcile,
    err: &mut dyn FnMut(&KeyPath, crate::lang::Text, crate::lang::Text),
) {
    let root = at("reconcile");
    if r.sources.is_empty() {
        err(
            &root.key("sources"),
            crate::lang::Text::new(
                "`[reconcile]` 没有列出数据源",
                "`[reconcile]` names no sources",
            ),
            crate::lang::Text::new(
                "每张项目表加一个 `[reconcile.sources.<id>]` 表",
                "add a `[reconcile.sources.<id>]` table per project sheet",
            ),
        );
    }
    for (id, src) in &r.sources {
        let path = root.key("sources").key(id);
        if src.header_row == 0 {
            err(
                &path.key("header_row"),
                crate::lang::Text::new("行号从 1 开始", "rows are numbered from 1"),
                crate::lang::Text::new("第一行写 1", "use 1 for the first row"),
            );
        }
        if src.columns.is_empty() {
            err(
                &path.key("columns"),
                crate::t!(
                    "数据源 `{id}` 没有对应任何列",
                    "source `{id}` maps no columns"
                ),
                crate::lang::Text::new(
                    "加上 `字段 = \"列标题\"` 行",
                    "add `field = \"column header\"` lines",
                ),
            );
        }
        for (field, col) in &src.columns {
            if !r.fields.contains_key(field) {
                err(
                    &path.key("columns").key(field),
                    crate::t!(
                        "数据源 `{id}` 的列 `{field}` 不是核对字段",
                        "column `{field}` of source `{id}` is no reconciled field"
                    ),
                    crate::lang::Text::new(
                        "为它加一个 `[reconcile.fields.<id>]` 表，或删除该列",
                        "add a `[reconcile.fields.<id>]` table for it, or remove the column",
                    ),
                );
            }
            if col.header().trim().is_empty() {
                err(
                    &path.key("columns").key(field),
                    crate::t!(
                        "字段 `{field}` 的列标题是空的",
                        "field `{field}` has an empty column header"
                    ),
                    crate::lang::Text::new(
                        "照工作表中的样子写出列标题",
                        "write the header as it appears in the sheet",
                    ),
                );
            }
        }
    }
}

/// A field compares known sources that agree on its type; its tolerance and
/// policy fit that type.
fn check_field(
    r: &Reconcile,
    id: &str,
    f: &Field,
    err: &mut dyn FnMut(&KeyPath, crate::lang::Text, crate::lang::Text),
) {
    let root = at("reconcile");
    let path = root.key("fields").key(id);
    if f.sources.is_empty() {
        err(
            &path.key("sources"),
            crate::t!(
                "字段 `{id}` 没有可比较的数据源",
                "field `{id}` compares no sources"
            ),
            crate::lang::Text::new(
                "列出报告它的数据源，例如 [\"system\", \"am_report\"]",
                "list the sources that report it, e.g. [\"system\", \"am_report\"]",
            ),
        );
    }
    let mut kinds: Vec<(usize, ColumnType)> = Vec::new();
    for (i, sid) in f.sources.iter().enumerate() {
        let p = path.key("sources").index(i);
        match r.sources.get(sid) {
            None => err(
                &p,
                crate::t!(
                    "字段 `{id}`：没有数据源 `{sid}`",
                    "field `{id}`: no source `{sid}`"
                ),
                crate::t!(
                    "数据源有：{}",
                    "the sources are: {}",
                    r.sources.keys().cloned().collect::<Vec<_>>().join(", ")
                ),
            ),
            Some(src) => match src.columns.get(id) {
                None => err(
                    &p,
                    crate::t!(
                        "数据源 `{sid}` 没有字段 `{id}` 的列",
                        "source `{sid}` has no column for field `{id}`"
                    ),
                    crate::t!(
                        "在 [reconcile.sources.{sid}.columns] 中加上 `{id} = \"<列标题>\"`",
                        "add `{id} = \"<header>\"` to [reconcile.sources.{sid}.columns]"
                    ),
                ),
                Some(c) => kinds.push((i, c.kind())),
            },
        }
    }
    if let Some(&(_, first)) = kinds.first() {
        for &(i, k) in &kinds[1..] {
            if k != first {
                err(
                    &path.key("sources").index(i),
                    crate::t!(
                        "字段 `{id}` 在 `{1}` 中是 {0}，在这里却是 {2}",
                        "field `{id}` is a {} in `{}` but a {} here",
                        kind_name(first),
                        f.sources[kinds[0].0],
                        kind_name(k)
                    ),
                    crate::lang::Text::new(
                        "在每个数据源中给该列相同的 `type`",
                        "give the column the same `type` in every source",
                    ),
                );
            }
        }
    }
    let kind = kinds.first().map(|k| k.1);
    check_tolerance(id, f, kind, &path, err);
    check_policy(r, id, f, kind, &path, err);
}

/// A tolerance has a size of zero or more that fits the field's type.
fn check_tolerance(
    id: &str,
    f: &Field,
    kind: Option<ColumnType>,
    path: &KeyPath,
    err: &mut dyn FnMut(&KeyPath, crate::lang::Text, crate::lang::Text),
) {
    if let Some(t) = &f.tolerance {
        let tp = path.key("tolerance");
        if t.absolute.is_none() && t.relative.is_none() {
            err(
                &tp,
                crate::lang::Text::new(
                    "容差需要 `absolute`、`relative` 或两者",
                    "a tolerance needs `absolute`, `relative` or both",
                ),
                crate::lang::Text::new(
                    "例如 tolerance = { absolute = 0.5, relative = \"1%\" }",
                    "e.g. tolerance = { absolute = 0.5, relative = \"1%\" }",
                ),
            );
        }
        for (key, v) in [("absolute", t.absolute), ("relative", t.relative)] {
            if v.is_some_and(|v| v.get() < Decimal::ZERO) {
                err(
                    &tp.key(key),
                    crate::t!("`{key}` 容差为负", "`{key}` tolerance is negative"),
                    crate::lang::Text::new("容差须为 0 或正数", "a tolerance is 0 or more"),
                );
            }
        }
        if kind == Some(ColumnType::Text) {
            err(
                &tp,
                crate::t!(
                    "字段 `{id}` 是文本：没有容差",
                    "field `{id}` is text: it has no tolerance"
                ),
                crate::lang::Text::new(
                    "删除容差；文本值要么相同，要么不同",
                    "remove the tolerance; text values either match or differ",
                ),
            );
        }
        if kind == Some(ColumnType::Date) && t.relative.is_some() {
            err(
                &tp.key("relative"),
                crate::t!(
                    "字段 `{id}` 是日期：只能用 `absolute` 容差（天数）",
                    "field `{id}` is a date: only an `absolute` tolerance (days) applies"
                ),
                crate::lang::Text::new(
                    "写成例如 tolerance = { absolute = 3 }",
                    "write e.g. tolerance = { absolute = 3 }",
                ),
            );
        }
    }
}

/// A policy names the field's own sources and fits the field's type.
fn check_policy(
    r: &Reconcile,
    id: &str,
    f: &Field,
    kind: Option<ColumnType>,
    path: &KeyPath,
    err: &mut dyn FnMut(&KeyPath, crate::lang::Text, crate::lang::Text),
) {
    let pp = path.key("policy");
    match &f.policy {
        Policy::Prefer(order) => {
            if order.is_empty() {
                err(
                    &pp,
                    crate::lang::Text::new("`prefer` 没有列出数据源", "`prefer` lists no sources"),
                    crate::lang::Text::new(
                        "例如 policy = { prefer = [\"system\", \"am_report\"] }",
                        "e.g. policy = { prefer = [\"system\", \"am_report\"] }",
                    ),
                );
            }
            for (i, sid) in order.iter().enumerate() {
                if !f.sources.contains(sid) {
                    err(
                        &pp.key("prefer").index(i),
                        crate::t!(
                            "`{sid}` 不是字段 `{id}` 的数据源",
                            "`{sid}` is not one of the sources of field `{id}`"
                        ),
                        crate::t!("可选：{}", "use one of: {}", f.sources.join(", ")),
                    );
                }
            }
        }
        Policy::Min | Policy::Max if kind == Some(ColumnType::Text) => err(
            &pp,
            crate::t!(
                "字段 `{id}` 是文本：`{}` 不适用",
                "field `{id}` is text: `{}` does not apply",
                f.policy.label()
            ),
            crate::lang::Text::new(
                "用 prefer、latest 或 needs_decision",
                "use prefer, latest or needs_decision",
            ),
        ),
        Policy::Mean if kind != Some(ColumnType::Number) && kind.is_some() => err(
            &pp,
            crate::t!(
                "`mean` 需要数值；字段 `{id}` 不是",
                "`mean` needs numbers; field `{id}` is not"
            ),
            crate::lang::Text::new(
                "用 prefer、min、max、latest 或 needs_decision",
                "use prefer, min, max, latest or needs_decision",
            ),
        ),
        Policy::Latest => {
            for (i, sid) in f.sources.iter().enumerate() {
                if r.sources.get(sid).is_some_and(|s| s.updated.is_none()) {
                    err(
                        &path.key("sources").index(i),
                        crate::t!(
                            "规则 `latest` 需要数据源 `{sid}` 说明每行的报告日期",
                            "policy `latest` needs source `{sid}` to say when a row was reported"
                        ),
                        crate::t!(
                            "在 [reconcile.sources.{sid}] 中加上 `updated = \"<日期列标题>\"`",
                            "add `updated = \"<date column header>\"` to [reconcile.sources.{sid}]"
                        ),
                    );
                }
            }
        }
        _ => {}
    }
}

/// Each role reconciled names a known role and a text field holding the employee id.
fn check_roles(
    s: &Scheme,
    r: &Reconcile,
    err: &mut dyn FnMut(&KeyPath, crate::lang::Text, crate::lang::Text),
) {
    let root = at("reconcile");
    for (role, field) in &r.roles {
        let p = root.key("roles").key(role);
        if !s.roles.contains_key(role) {
            err(
                &p,
                crate::t!("没有岗位 `{role}`", "no role `{role}`"),
                crate::t!(
                    "岗位有：{}",
                    "the roles are: {}",
                    s.roles.keys().cloned().collect::<Vec<_>>().join(", ")
                ),
            );
        }
        match r.kind(field) {
            None if !r.fields.contains_key(field) => err(
                &p,
                crate::t!(
                    "岗位 `{role}`：没有核对字段 `{field}`",
                    "role `{role}`: no reconciled field `{field}`"
                ),
                crate::lang::Text::new(
                    "指定存放员工工号的字段，例如 \"am\"",
                    "name the field that holds the employee id, e.g. \"am\"",
                ),
            ),
            Some(k) if k != ColumnType::Text => err(
                &p,
                crate::t!(
                    "岗位 `{role}`：字段 `{field}` 须为文本（员工工号）",
                    "role `{role}`: field `{field}` must be text (an employee id)"
                ),
                crate::lang::Text::new(
                    "把它的列声明为 type = \"text\"",
                    "declare its columns with type = \"text\"",
                ),
            ),
            _ => {}
        }
    }
}

/// A credit's metric name, shares and overlay; registers its metric in `metrics`.
fn check_credit(
    r: &Reconcile,
    i: usize,
    c: &Credit,
    metrics: &mut HashMap<String, KeyPath>,
    err: &mut dyn FnMut(&KeyPath, crate::lang::Text, crate::lang::Text),
) {
    let root = at("reconcile");
    let p = root.key("credits").index(i);
    check_credit_metric(c, &p, metrics, err);
    check_credit_fields(r, c, &p, err);
    let modes = [c.split.is_some(), c.overlay.is_some(), c.shared.is_some()];
    if modes.iter().filter(|m| **m).count() != 1 {
        err(
            &p,
            crate::t!(
                "业绩分成 `{}` 须恰好有 `split`、`overlay`、`shared` 之一",
                "credit `{}` needs exactly one of `split`, `overlay`, `shared`",
                c.metric
            ),
            crate::lang::Text::new(
                "split = { account_manager = \"60%\", project_manager = \"40%\" } 拆分一个数；overlay = [..] 给每个岗位全额计入（双计）；shared = [..] 按相同项目给各岗位计分",
                "split = { account_manager = \"60%\", project_manager = \"40%\" } shares a figure; overlay = [..] credits each role in full; shared = [..] scores roles on the same projects",
            ),
        );
    }
    if c.per.is_some() && c.shared.is_none() {
        err(
            &p.key("per"),
            crate::lang::Text::new(
                "`per` 只适用于 `shared` 分成",
                "`per` only applies to `shared` credits",
            ),
            crate::lang::Text::new(
                "删除 `per`，或改为 shared 分成",
                "remove `per`, or make the credit shared",
            ),
        );
    }
    if let Some(split) = &c.split {
        let total: Decimal = split.values().map(|d| d.get()).sum();
        if total != Decimal::ONE {
            err(
                &p.key("split"),
                crate::t!(
                    "`{}` 的各份额之和为 {}%，不是 100%",
                    "the shares of `{}` total {}%, not 100%",
                    c.metric,
                    (total * Decimal::ONE_HUNDRED).normalize()
                ),
                crate::lang::Text::new(
                    "份额写成小数或百分比（0.6 或 \"60%\"），总和为 100%",
                    "write shares as fractions or percentages (0.6 or \"60%\") that add up to 100%",
                ),
            );
        }
        for (role, d) in split {
            if d.get() < Decimal::ZERO {
                err(
                    &p.key("split").key(role),
                    crate::t!("`{role}` 的份额为负", "the share of `{role}` is negative"),
                    crate::lang::Text::new(
                        "份额在 0 到 100% 之间",
                        "shares are between 0 and 100%",
                    ),
                );
            }
        }
    }
    if c.overlay.is_some() && !r.allow_overlay {
        err(
            &p.key("overlay"),
            crate::t!(
                "业绩分成 `{}` 是双计（overlay），而方案不允许",
                "credit `{}` is an overlay (双计), which the scheme does not allow",
                c.metric
            ),
            crate::lang::Text::new(
                "在 [reconcile] 中设 `allow_overlay = true`，或改用 split",
                "set `allow_overlay = true` in [reconcile], or use a split",
            ),
        );
    }
    check_credit_roles(r, c, &p, err);
}

/// A credit's metric: a usable name, defined once.
fn check_credit_metric(
    c: &Credit,
    p: &KeyPath,
    metrics: &mut HashMap<String, KeyPath>,
    err: &mut dyn FnMut(&KeyPath, crate::lang::Text, crate::lang::Text),
) {
    let name_ok = {
        let mut ch = c.metric.chars();
        matches!(ch.next(), Some(x) if x.is_alphabetic() || x == '_')
            && c.metric.chars().all(|x| x.is_alphanumeric() || x == '_')
    };
    if !name_ok {
        err(
            &p.key("metric"),
            crate::t!(
                "`{}` 不能用作数据项名称",
                "`{}` cannot be used as a metric name",
                c.metric
            ),
            crate::lang::Text::new(
                "用字母、数字和 `_`，以字母开头",
                "use letters, digits and `_`, starting with a letter",
            ),
        );
    } else if metrics.contains_key(&c.metric) {
        err(
            &p.key("metric"),
            crate::t!(
                "数据项 `{}` 定义了两次",
                "metric `{}` is defined twice",
                c.metric
            ),
            crate::lang::Text::new(
                "给分成后的数据项另起一个名字",
                "give the credited metric a name of its own",
            ),
        );
    } else {
        metrics.insert(c.metric.clone(), p.key("metric"));
    }
}

/// A credit's `field`, `date` and `per`: reconciled fields of the right type.
fn check_credit_fields(
    r: &Reconcile,
    c: &Credit,
    p: &KeyPath,
    err: &mut dyn FnMut(&KeyPath, crate::lang::Text, crate::lang::Text),
) {
    for (key, field, want) in [
        ("field", Some(&c.field), ColumnType::Number),
        ("date", Some(&c.date), ColumnType::Date),
        ("per", c.per.as_ref(), ColumnType::Number),
    ] {
        let Some(field) = field else { continue };
        match r.kind(field) {
            None => err(
                &p.key(key),
                crate::t!("没有核对字段 `{field}`", "no reconciled field `{field}`"),
                crate::t!(
                    "字段有：{}",
                    "the fields are: {}",
                    r.fields.keys().cloned().collect::<Vec<_>>().join(", ")
                ),
            ),
            Some(k) if k != want => err(
                &p.key(key),
                crate::t!(
                    "`{key}` 须是 {} 字段；`{field}` 是 {}",
                    "`{key}` must be a {} field; `{field}` is a {}",
                    kind_name(want),
                    kind_name(k)
                ),
                crate::lang::Text::new("选一个该类型的字段", "pick a field of that type"),
            ),
            _ => {}
        }
    }
}

/// The roles a credit shares with each have a field in `[reconcile.roles]`.
fn check_credit_roles(
    r: &Reconcile,
    c: &Credit,
    p: &KeyPath,
    err: &mut dyn FnMut(&KeyPath, crate::lang::Text, crate::lang::Text),
) {
    let key = if c.split.is_some() {
        "split"
    } else if c.overlay.is_some() {
        "overlay"
    } else {
        "shared"
    };
    for role in c.roles() {
        if !r.roles.contains_key(&role) {
            err(
                &p.key(key),
                crate::t!(
                    "业绩分成 `{}`：岗位 `{role}` 在 [reconcile.roles] 中没有字段",
                    "credit `{}`: role `{role}` has no field in [reconcile.roles]",
                    c.metric
                ),
                crate::lang::Text::new(
                    "在 [reconcile.roles] 中加上 `<岗位> = \"<存放工号的字段>\"`",
                    "add `<role> = \"<field with the employee id>\"` to [reconcile.roles]",
                ),
            );
        }
    }
}
