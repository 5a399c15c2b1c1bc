//! Sources' columns and derived metrics: names, aggregates, formulas and their order.

use super::{Checker, KPI_CONTEXT, names, one_of, suggest, topo_order};
use crate::config::locate::{KeyPath, at};
use crate::config::scheme::*;
use crate::formula::Expr;
use crate::formula::row::Ty;
use std::collections::HashMap;

/// A metric name as it may appear in formulas.
fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_alphanumeric() || c == '_')
        && !["and", "or", "not"].contains(&name)
        && !KPI_CONTEXT.contains(&name)
}

/// Check sources; return every metric name with the place it is defined.
pub(super) fn check_inputs(c: &mut Checker, s: &Scheme) -> HashMap<String, KeyPath> {
    let mut metrics: HashMap<String, KeyPath> = HashMap::new();
    let r = &s.roster;
    if r.header_row == 0 {
        c.err(
            &at("roster").key("header_row"),
            crate::lang::Text::new("行号从 1 开始", "rows are numbered from 1"),
            crate::lang::Text::new("第一行写 1", "use 1 for the first row"),
        );
    }
    for (id, src) in &s.sources {
        let path = at("sources").key(id);
        if src.header_row == 0 {
            c.err(
                &path.key("header_row"),
                crate::lang::Text::new("行号从 1 开始", "rows are numbered from 1"),
                crate::lang::Text::new("第一行写 1", "use 1 for the first row"),
            );
        }
        if src.columns.is_empty() {
            c.err(
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
            let fpath = path.key("columns").key(field);
            if !valid_name(field) {
                c.err(&fpath, crate::t!("`{field}` 不能用作字段名", "`{field}` cannot be used as a field name"), crate::lang::Text::new("用字母、数字和 `_`，以字母开头；不能是 and/or/not/actual/target/rate", "use letters, digits and `_`, starting with a letter; not and/or/not/actual/target/rate"));
            }
            if col.header().trim().is_empty() {
                c.err(
                    &fpath,
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
            if src.rows == Rows::OnePerKey {
                if col.kind() != ColumnType::Number {
                    continue;
                }
                if let Some(prev) = metrics.get(field) {
                    let prev = format!("{:?}", prev.0);
                    c.err(
                        &fpath,
                        crate::t!(
                            "数据项 `{field}` 定义了两次",
                            "metric `{field}` is defined twice"
                        ),
                        crate::t!(
                            "给其中一个改名；另一个在 {prev}",
                            "rename one of them; the other is at {prev}"
                        ),
                    );
                } else {
                    metrics.insert(field.clone(), fpath);
                }
            }
        }
    }
    for name in s.metrics.keys() {
        let path = at("metrics").key(name);
        if !valid_name(name) {
            c.err(
                &path,
                crate::t!(
                    "`{name}` 不能用作数据项名称",
                    "`{name}` cannot be used as a metric name"
                ),
                crate::lang::Text::new(
                    "用字母、数字和 `_`，以字母开头",
                    "use letters, digits and `_`, starting with a letter",
                ),
            );
        }
        if metrics.contains_key(name) {
            c.err(
                &path,
                crate::t!(
                    "数据项 `{name}` 同时也是某个数据源的列",
                    "metric `{name}` is also a column of a source"
                ),
                crate::lang::Text::new(
                    "给这个派生数据项另起一个名字",
                    "give the derived metric another name",
                ),
            );
        } else {
            metrics.insert(name.clone(), path);
        }
    }
    metrics
}

pub(super) fn check_metrics(
    c: &mut Checker,
    s: &Scheme,
    metrics: &HashMap<String, KeyPath>,
) -> Vec<(String, Expr)> {
    let mut formulas: Vec<(String, Expr)> = Vec::new();
    for (name, def) in &s.metrics {
        let path = at("metrics").key(name);
        match def {
            MetricDef::Aggregate(a) => {
                check_aggregate(c, s, name, a, &path);
            }
            MetricDef::Formula(f) => {
                let fpath = path.key("formula");
                if let Some(e) = c.parse_formula(&fpath, &f.formula) {
                    for n in e.names() {
                        if !metrics.contains_key(n) {
                            c.err(
                                &fpath,
                                crate::t!(
                                    "`{name}` 的公式读取了不存在的数据项 `{n}`",
                                    "formula of `{name}` reads unknown metric `{n}`"
                                ),
                                suggest(n, metrics.keys()),
                            );
                        }
                    }
                    formulas.push((name.clone(), e));
                }
            }
        }
    }
    order_metric_formulas(c, s, formulas)
}

/// An aggregate reads a known many-rows source, a field it has of the right
/// type, a date field for `in_period`, and text fields for `where`.
fn check_aggregate(c: &mut Checker, s: &Scheme, name: &str, a: &Aggregate, path: &KeyPath) {
    let Some(src) = s.sources.get(&a.input) else {
        c.err(
            &path.key("input"),
            crate::t!(
                "数据项 `{name}` 读取了不存在的数据源 `{}`",
                "metric `{name}` reads unknown source `{}`",
                a.input
            ),
            {
                let known = names(s.sources.keys());
                let (known_zh, known_en) = (&known.zh, &known.en);
                crate::t!(
                    "定义 [sources.{}]，或从中选一个：{known_zh}",
                    "define [sources.{}] or use one of: {known_en}",
                    a.input
                )
            },
        );
        return;
    };
    if src.rows != Rows::ManyPerKey {
        c.err(
            &path.key("input"),
            crate::t!(
                "数据项 `{name}` 汇总的数据源 `{}` 每名员工只有一行",
                "metric `{name}` aggregates source `{}`, which has one row per employee",
                a.input
            ),
            crate::lang::Text::new(
                "在该数据源上设 `rows = \"many_per_key\"`，或直接读取它的列",
                "set `rows = \"many_per_key\"` on the source, or read its column directly",
            ),
        );
    }
    check_value(c, name, src, a, path);
    if let Some(text) = a.filter.condition() {
        let wpath = path.key("where");
        if let Some(t) = row_expr(c, &wpath, src, &a.input, text)
            && t != Ty::Num
        {
            let (zh, en) = if t == Ty::Date {
                ("日期", "a date")
            } else {
                ("文本", "text")
            };
            c.err(
                &wpath,
                crate::t!(
                    "`where` 需要一个条件，而 `{text}` 是{zh}",
                    "`where` needs a condition, and `{text}` is {en}"
                ),
                crate::lang::Text::new(
                    "写成比较，如 `answered - requested <= 3` 或 `kind == '方案'`",
                    "write a comparison, as in `answered - requested <= 3` or `kind == '方案'`",
                ),
            );
        }
    }
    check_aggregate_columns(c, src, a, path);
}

/// The date column of `in_period` and the text columns of `where` are
/// columns of the source, of the type they compare.
fn check_aggregate_columns(c: &mut Checker, src: &SheetInput, a: &Aggregate, path: &KeyPath) {
    if let Some(f) = &a.in_period {
        match src.columns.get(f) {
            Some(col) if col.kind() == ColumnType::Date => {}
            Some(_) => c.err(
                &path.key("in_period"),
                crate::t!(
                    "`in_period` 需要日期列，但字段 `{f}` 不是 `type = \"date\"`",
                    "`in_period` needs a date column, but field `{f}` is not `type = \"date\"`"
                ),
                crate::lang::Text::new(
                    "把该列声明为 `{ header = \"…\", type = \"date\" }`",
                    "declare the column as `{ header = \"…\", type = \"date\" }`",
                ),
            ),
            None => c.err(
                &path.key("in_period"),
                crate::t!(
                    "数据源 `{}` 没有字段 `{f}`",
                    "source `{}` has no field `{f}`",
                    a.input
                ),
                one_of(src.columns.keys()),
            ),
        }
    }
    for (f, _) in a.filter.equals() {
        match src.columns.get(f) {
            None => c.err(
                &path.key("where").key(f),
                crate::t!(
                    "数据源 `{}` 没有字段 `{f}`",
                    "source `{}` has no field `{f}`",
                    a.input
                ),
                one_of(src.columns.keys()),
            ),
            Some(col) if col.kind() != ColumnType::Text => c.err(
                &path.key("where").key(f),
                crate::t!(
                    "`where = {{ … }}` 只比较文本，但字段 `{f}` 不是 `type = \"text\"`",
                    "`where = {{ … }}` compares text, but field `{f}` is not `type = \"text\"`"
                ),
                crate::t!(
                    "数字或日期请写成行条件，如 `where = \"{f} > 50\"` 或 `where = \"{f} >= '2024-08-01'\"`；若该列其实是文本，声明为 `{{ header = \"…\", type = \"text\" }}`",
                    "for a number or a date write a row condition, as in `where = \"{f} > 50\"` or `where = \"{f} >= '2024-08-01'\"`; if the column holds text, declare it `{{ header = \"…\", type = \"text\" }}`"
                ),
            ),
            Some(_) => {}
        }
    }
}

/// Formula metrics in an order where each follows those it reads, or a cycle.
fn order_metric_formulas(
    c: &mut Checker,
    s: &Scheme,
    formulas: Vec<(String, Expr)>,
) -> Vec<(String, Expr)> {
    let deps: HashMap<&str, Vec<&str>> = formulas
        .iter()
        .map(|(n, e)| {
            (
                n.as_str(),
                e.names()
                    .into_iter()
                    .filter(|d| {
                        s.metrics
                            .get(*d)
                            .is_some_and(|m| matches!(m, MetricDef::Formula(_)))
                    })
                    .collect(),
            )
        })
        .collect();
    let order: Result<Vec<String>, Vec<String>> =
        topo_order(&deps).map(|o| o.into_iter().map(str::to_string).collect());
    drop(deps);
    match order {
        Ok(order) => {
            let mut by_name: HashMap<String, Expr> = formulas.into_iter().collect();
            order
                .into_iter()
                .filter_map(|n| by_name.remove_entry(&n))
                .collect()
        }
        Err(cycle) => {
            c.err(
                &at("metrics").key(&cycle[0]).key("formula"),
                crate::t!(
                    "数据项的公式构成循环：{}",
                    "metric formulas form a cycle: {}",
                    cycle.join(" → ")
                ),
                crate::lang::Text::new(
                    "打破循环：其中一个数据项不能依赖其他几个",
                    "break the cycle: one of these metrics must not depend on the others",
                ),
            );
            Vec::new()
        }
    }
}

/// What an aggregate sums, averages or picks: `field` (a numeric column for
/// sum, mean, min and max) or a row `value`, and nothing for `count`.
fn check_value(c: &mut Checker, name: &str, src: &SheetInput, a: &Aggregate, path: &KeyPath) {
    let numeric = matches!(
        a.agg,
        AggKind::Sum | AggKind::Mean | AggKind::Min | AggKind::Max
    );
    match (&a.field, &a.value, a.agg) {
        (Some(_), Some(_), _) => c.err(
            &path.key("value"),
            crate::t!(
                "数据项 `{name}` 同时写了 `field` 和 `value`",
                "metric `{name}` has both `field` and `value`"
            ),
            crate::lang::Text::new(
                "只留一个：`field` 读一列，`value` 按行计算",
                "keep one: `field` reads a column, `value` computes one per row",
            ),
        ),
        (_, Some(_), _) if !numeric => c.err(
            &path.key("value"),
            crate::t!(
                "`value` 只用于 sum、mean、min、max，而数据项 `{name}` 是 `{}`",
                "`value` is for sum, mean, min and max, and metric `{name}` is `{}`",
                agg_name(a.agg)
            ),
            crate::lang::Text::new(
                "计数用 `where` 选出要数的行；去掉 `value`",
                "to count, select the rows with `where`; drop `value`",
            ),
        ),
        (_, Some(text), _) => {
            let vpath = path.key("value");
            if let Some(t) = row_expr(c, &vpath, src, &a.input, text)
                && t != Ty::Num
            {
                c.err(
                    &vpath,
                    crate::t!(
                        "`value` 需要数字，而 `{text}` 不是",
                        "`value` needs a number, and `{text}` is not one"
                    ),
                    crate::lang::Text::new(
                        "两个日期相减得到天数，如 `answered - requested`",
                        "subtract two dates to get days, as in `answered - requested`",
                    ),
                );
            }
        }
        (None, None, AggKind::Count) => {}
        (None, None, _) => c.err(
            path,
            crate::t!(
                "数据项 `{name}` 的这种汇总需要 `field` 或 `value`",
                "metric `{name}` needs `field` or `value` for this aggregate"
            ),
            crate::lang::Text::new(
                "加上 `field = \"<列字段>\"`，或按行计算的 `value = \"answered - requested\"`",
                "add `field = \"<column field>\"`, or a row value such as `value = \"answered - requested\"`",
            ),
        ),
        (Some(f), None, agg) => match src.columns.get(f) {
            None => c.err(
                &path.key("field"),
                crate::t!(
                    "数据源 `{}` 没有字段 `{f}`",
                    "source `{}` has no field `{f}`",
                    a.input
                ),
                one_of(src.columns.keys()),
            ),
            Some(col) if numeric && col.kind() != ColumnType::Number => {
                let what = agg_name(agg);
                c.err(
                    &path.key("field"),
                    crate::t!(
                        "字段 `{f}` 不是数值，不能 `{what}`",
                        "field `{f}` is not numeric and cannot be `{what}`"
                    ),
                    crate::lang::Text::new(
                        "用 `distinct` 或 `count`，或换一个数值字段；日期之差写成 `value = \"answered - requested\"`",
                        "use `distinct` or `count`, or a numeric field; for a difference of dates write `value = \"answered - requested\"`",
                    ),
                )
            }
            Some(_) => {}
        },
    }
}

fn agg_name(a: AggKind) -> &'static str {
    match a {
        AggKind::Count => "count",
        AggKind::Sum => "sum",
        AggKind::Mean => "mean",
        AggKind::Distinct => "distinct",
        AggKind::Min => "min",
        AggKind::Max => "max",
    }
}

/// The type of a column as a row expression sees it.
pub(crate) fn column_ty(src: &SheetInput, field: &str) -> Option<Ty> {
    src.columns.get(field).map(|c| match c.kind() {
        ColumnType::Number => Ty::Num,
        ColumnType::Text => Ty::Text,
        ColumnType::Date => Ty::Date,
    })
}

/// Parse and type a row expression of source `input`; its type, or an
/// error at its place in the scheme.
fn row_expr(
    c: &mut Checker,
    path: &KeyPath,
    src: &SheetInput,
    input: &str,
    text: &str,
) -> Option<Ty> {
    let ty = |f: &str| column_ty(src, f);
    let known: Vec<String> = src
        .columns
        .iter()
        .map(|(f, col)| {
            let kind = match col.kind() {
                ColumnType::Number => "number",
                ColumnType::Text => "text",
                ColumnType::Date => "date",
            };
            format!("{f} ({kind})")
        })
        .collect();
    let cols = crate::formula::row::Columns {
        ty: &ty,
        known: format!("{} [sources.{input}]", known.join(", ")),
    };
    match crate::formula::row::compile(text, &cols) {
        Ok((_, t)) => Some(t),
        Err(e) => {
            let shown: String = text.chars().take(80).collect();
            let more = if shown.len() < text.len() { "…" } else { "" };
            let (zh, en) = (&e.message.zh, &e.message.en);
            c.problems.push(
                crate::error::Problem::new(
                    c.loc.find_inside(path, e.offset),
                    crate::t!("`{shown}{more}`：{zh}", "`{shown}{more}`: {en}"),
                )
                .help(e.help),
            );
            None
        }
    }
}
