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
    let mut err = |path: &KeyPath, message: String, help: &str| {
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
fn check_sources(r: &Reconcile, err: &mut dyn FnMut(&KeyPath, String, &str)) {
    let root = at("reconcile");
    if r.sources.is_empty() {
        err(
            &root.key("sources"),
            "`[reconcile]` names no sources".into(),
            "add a `[reconcile.sources.<id>]` table per project sheet",
        );
    }
    for (id, src) in &r.sources {
        let path = root.key("sources").key(id);
        if src.header_row == 0 {
            err(
                &path.key("header_row"),
                "rows are numbered from 1".into(),
                "use 1 for the first row",
            );
        }
        if src.columns.is_empty() {
            err(
                &path.key("columns"),
                format!("source `{id}` maps no columns"),
                "add `field = \"column header\"` lines",
            );
        }
        for (field, col) in &src.columns {
            if !r.fields.contains_key(field) {
                err(
                    &path.key("columns").key(field),
                    format!("column `{field}` of source `{id}` is no reconciled field"),
                    "add a `[reconcile.fields.<id>]` table for it, or remove the column",
                );
            }
            if col.header().trim().is_empty() {
                err(
                    &path.key("columns").key(field),
                    format!("field `{field}` has an empty column header"),
                    "write the header as it appears in the sheet",
                );
            }
        }
    }
}

/// A field compares known sources that agree on its type; its tolerance and
/// policy fit that type.
fn check_field(r: &Reconcile, id: &str, f: &Field, err: &mut dyn FnMut(&KeyPath, String, &str)) {
    let root = at("reconcile");
    let path = root.key("fields").key(id);
    if f.sources.is_empty() {
        err(
            &path.key("sources"),
            format!("field `{id}` compares no sources"),
            "list the sources that report it, e.g. [\"system\", \"am_report\"]",
        );
    }
    let mut kinds: Vec<(usize, ColumnType)> = Vec::new();
    for (i, sid) in f.sources.iter().enumerate() {
        let p = path.key("sources").index(i);
        match r.sources.get(sid) {
            None => err(
                &p,
                format!("field `{id}`: no source `{sid}`"),
                &format!(
                    "the sources are: {}",
                    r.sources.keys().cloned().collect::<Vec<_>>().join(", ")
                ),
            ),
            Some(src) => match src.columns.get(id) {
                None => err(
                    &p,
                    format!("source `{sid}` has no column for field `{id}`"),
                    &format!("add `{id} = \"<header>\"` to [reconcile.sources.{sid}.columns]"),
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
                    format!(
                        "field `{id}` is a {} in `{}` but a {} here",
                        kind_name(first),
                        f.sources[kinds[0].0],
                        kind_name(k)
                    ),
                    "give the column the same `type` in every source",
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
    err: &mut dyn FnMut(&KeyPath, String, &str),
) {
    if let Some(t) = &f.tolerance {
        let tp = path.key("tolerance");
        if t.absolute.is_none() && t.relative.is_none() {
            err(
                &tp,
                "a tolerance needs `absolute`, `relative` or both".into(),
                "e.g. tolerance = { absolute = 0.5, relative = \"1%\" }",
            );
        }
        for (key, v) in [("absolute", t.absolute), ("relative", t.relative)] {
            if v.is_some_and(|v| v.get() < Decimal::ZERO) {
                err(
                    &tp.key(key),
                    format!("`{key}` tolerance is negative"),
                    "a tolerance is 0 or more",
                );
            }
        }
        if kind == Some(ColumnType::Text) {
            err(
                &tp,
                format!("field `{id}` is text: it has no tolerance"),
                "remove the tolerance; text values either match or differ",
            );
        }
        if kind == Some(ColumnType::Date) && t.relative.is_some() {
            err(
                &tp.key("relative"),
                format!("field `{id}` is a date: only an `absolute` tolerance (days) applies"),
                "write e.g. tolerance = { absolute = 3 }",
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
    err: &mut dyn FnMut(&KeyPath, String, &str),
) {
    let pp = path.key("policy");
    match &f.policy {
        Policy::Prefer(order) => {
            if order.is_empty() {
                err(
                    &pp,
                    "`prefer` lists no sources".into(),
                    "e.g. policy = { prefer = [\"system\", \"am_report\"] }",
                );
            }
            for (i, sid) in order.iter().enumerate() {
                if !f.sources.contains(sid) {
                    err(
                        &pp.key("prefer").index(i),
                        format!("`{sid}` is not one of the sources of field `{id}`"),
                        &format!("use one of: {}", f.sources.join(", ")),
                    );
                }
            }
        }
        Policy::Min | Policy::Max if kind == Some(ColumnType::Text) => err(
            &pp,
            format!(
                "field `{id}` is text: `{}` does not apply",
                f.policy.label()
            ),
            "use prefer, latest or needs_decision",
        ),
        Policy::Mean if kind != Some(ColumnType::Number) && kind.is_some() => err(
            &pp,
            format!("`mean` needs numbers; field `{id}` is not"),
            "use prefer, min, max, latest or needs_decision",
        ),
        Policy::Latest => {
            for (i, sid) in f.sources.iter().enumerate() {
                if r.sources.get(sid).is_some_and(|s| s.updated.is_none()) {
                    err(
                        &path.key("sources").index(i),
                        format!(
                            "policy `latest` needs source `{sid}` to say when a row was reported"
                        ),
                        &format!(
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
fn check_roles(s: &Scheme, r: &Reconcile, err: &mut dyn FnMut(&KeyPath, String, &str)) {
    let root = at("reconcile");
    for (role, field) in &r.roles {
        let p = root.key("roles").key(role);
        if !s.roles.contains_key(role) {
            err(
                &p,
                format!("no role `{role}`"),
                &format!(
                    "the roles are: {}",
                    s.roles.keys().cloned().collect::<Vec<_>>().join(", ")
                ),
            );
        }
        match r.kind(field) {
            None if !r.fields.contains_key(field) => err(
                &p,
                format!("role `{role}`: no reconciled field `{field}`"),
                "name the field that holds the employee id, e.g. \"am\"",
            ),
            Some(k) if k != ColumnType::Text => err(
                &p,
                format!("role `{role}`: field `{field}` must be text (an employee id)"),
                "declare its columns with type = \"text\"",
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
    err: &mut dyn FnMut(&KeyPath, String, &str),
) {
    let root = at("reconcile");
    let p = root.key("credits").index(i);
    let name_ok = {
        let mut ch = c.metric.chars();
        matches!(ch.next(), Some(x) if x.is_alphabetic() || x == '_')
            && c.metric.chars().all(|x| x.is_alphanumeric() || x == '_')
    };
    if !name_ok {
        err(
            &p.key("metric"),
            format!("`{}` cannot be used as a metric name", c.metric),
            "use letters, digits and `_`, starting with a letter",
        );
    } else if metrics.contains_key(&c.metric) {
        err(
            &p.key("metric"),
            format!("metric `{}` is defined twice", c.metric),
            "give the credited metric a name of its own",
        );
    } else {
        metrics.insert(c.metric.clone(), p.key("metric"));
    }
    for (key, field, want) in [
        ("field", Some(&c.field), ColumnType::Number),
        ("date", Some(&c.date), ColumnType::Date),
        ("per", c.per.as_ref(), ColumnType::Number),
    ] {
        let Some(field) = field else { continue };
        match r.kind(field) {
            None => err(
                &p.key(key),
                format!("no reconciled field `{field}`"),
                &format!(
                    "the fields are: {}",
                    r.fields.keys().cloned().collect::<Vec<_>>().join(", ")
                ),
            ),
            Some(k) if k != want => err(
                &p.key(key),
                format!(
                    "`{key}` must be a {} field; `{field}` is a {}",
                    kind_name(want),
                    kind_name(k)
                ),
                "pick a field of that type",
            ),
            _ => {}
        }
    }
    let modes = [c.split.is_some(), c.overlay.is_some(), c.shared.is_some()];
    if modes.iter().filter(|m| **m).count() != 1 {
        err(
            &p,
            format!(
                "credit `{}` needs exactly one of `split`, `overlay`, `shared`",
                c.metric
            ),
            "split = { account_manager = \"60%\", project_manager = \"40%\" } shares a figure; overlay = [..] credits each role in full; shared = [..] scores roles on the same projects",
        );
    }
    if c.per.is_some() && c.shared.is_none() {
        err(
            &p.key("per"),
            "`per` only applies to `shared` credits".into(),
            "remove `per`, or make the credit shared",
        );
    }
    if let Some(split) = &c.split {
        let total: Decimal = split.values().map(|d| d.get()).sum();
        if total != Decimal::ONE {
            err(
                &p.key("split"),
                format!(
                    "the shares of `{}` total {}%, not 100%",
                    c.metric,
                    (total * Decimal::ONE_HUNDRED).normalize()
                ),
                "write shares as fractions or percentages (0.6 or \"60%\") that add up to 100%",
            );
        }
        for (role, d) in split {
            if d.get() < Decimal::ZERO {
                err(
                    &p.key("split").key(role),
                    format!("the share of `{role}` is negative"),
                    "shares are between 0 and 100%",
                );
            }
        }
    }
    if c.overlay.is_some() && !r.allow_overlay {
        err(
            &p.key("overlay"),
            format!(
                "credit `{}` is an overlay (双计), which the scheme does not allow",
                c.metric
            ),
            "set `allow_overlay = true` in [reconcile], or use a split",
        );
    }
    check_credit_roles(r, c, &p, err);
}

/// The roles a credit shares with each have a field in `[reconcile.roles]`.
fn check_credit_roles(
    r: &Reconcile,
    c: &Credit,
    p: &KeyPath,
    err: &mut dyn FnMut(&KeyPath, String, &str),
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
                format!(
                    "credit `{}`: role `{role}` has no field in [reconcile.roles]",
                    c.metric
                ),
                "add `<role> = \"<field with the employee id>\"` to [reconcile.roles]",
            );
        }
    }
}
