//! One aggregate metric over a many-rows source, per employee (issue 19):
//! the rows it counts pass the `where` table, lie in the period and meet
//! the `where` condition; sum, mean, min and max read `field` or compute a
//! row `value`. A row whose condition or value needs a blank cell does not
//! count. Each person keeps the rows counted and those left out, by
//! reason ([`Tally`]), so that the value can be traced; a metric without
//! conditions keeps only the rows, as before.

use super::value::{Cell, Skip, Src, Tally, TallyHow, Value};
use super::{Dataset, Table};
use crate::config::scheme::{Aggregate, SheetInput};
use crate::config::{AggKind, ColumnType, Config};
use crate::error::Problem;
use crate::formula::row::{Columns, Ty, Val};
use crate::formula::{EvalError, Expr};
use rust_decimal::Decimal;
use std::collections::HashSet;
use std::sync::Arc;

/// One person's running aggregate.
#[derive(Default)]
struct Acc {
    value: Decimal,
    /// Rows counted (for a mean, those with a value).
    counted: Vec<u32>,
    skipped: Vec<(Skip, Vec<u32>)>,
    /// The metric failed for this person (a problem says where).
    failed: bool,
}

impl Acc {
    fn skip(&mut self, why: Skip, row: u32) {
        match self.skipped.iter_mut().find(|(w, _)| *w == why) {
            Some((_, rows)) => rows.push(row),
            None => self.skipped.push((why, vec![row])),
        }
    }
}

/// A row expression of the source, compiled (validation has checked it).
fn compile(src: &SheetInput, text: &str) -> Option<Expr> {
    let ty = |f: &str| {
        src.columns.get(f).map(|c| match c.kind() {
            ColumnType::Number => Ty::Num,
            ColumnType::Text => Ty::Text,
            ColumnType::Date => Ty::Date,
        })
    };
    let cols = Columns {
        ty: &ty,
        known: String::new(),
    };
    crate::formula::row::compile(text, &cols)
        .ok()
        .map(|(e, _)| e)
}

/// A cell as a row expression reads it.
fn val(v: &Option<Value>) -> Option<Val<'_>> {
    match v.as_ref()? {
        Value::Num(n) => Some(Val::Num(*n)),
        Value::Date(d) => Some(Val::Date(*d)),
        Value::Text(t) => Some(Val::Text(t)),
    }
}

/// What a compiled aggregate reads: the `where` table's columns and values,
/// the period's column, the condition and the value (each with the
/// columns it reads).
struct Plan<'a> {
    equals: Vec<(usize, Vec<&'a str>)>,
    dated: Option<usize>,
    condition: Option<(Expr, Vec<(String, usize)>)>,
    value: Option<(Expr, Vec<(String, usize)>)>,
    field: Option<usize>,
}

fn with_fields(table: &Table, e: Expr) -> (Expr, Vec<(String, usize)>) {
    let fields = e
        .names()
        .into_iter()
        .filter_map(|n| table.field(n).map(|j| (n.to_string(), j)))
        .collect();
    (e, fields)
}

/// A row expression's result for a row, or why it has none.
enum Outcome<'a> {
    Value(Val<'a>),
    Blank(usize),
    Failed(EvalError, usize),
}

fn run<'a>(e: &'a (Expr, Vec<(String, usize)>), values: &'a [Option<Value>]) -> Outcome<'a> {
    let (expr, fields) = e;
    let look = |n: &str| {
        let j = fields.iter().find(|(f, _)| f == n)?.1;
        val(&values[j])
    };
    let first = fields.first().map_or(0, |f| f.1);
    match expr.eval_row(&look) {
        Ok(v) => Outcome::Value(v),
        Err(EvalError::Missing(n)) => {
            Outcome::Blank(fields.iter().find(|(f, _)| *f == n).map_or(first, |f| f.1))
        }
        Err(e) => Outcome::Failed(e, first),
    }
}

/// The metric's value and source for every employee; a row's overflow or
/// division by zero is a problem at its cell, naming the person.
pub(super) fn metric(
    config: &Config,
    ds: &Dataset,
    table: &Table,
    src: &SheetInput,
    name: &str,
    a: &Aggregate,
    problems: &mut Vec<Problem>,
) -> Vec<Option<Cell>> {
    let n = ds.employees.len();
    let plan = Plan {
        equals: a
            .filter
            .equals()
            .filter_map(|(f, v)| table.field(f).map(|j| (j, v.values())))
            .collect(),
        dated: a.in_period.as_deref().and_then(|f| table.field(f)),
        condition: a
            .filter
            .condition()
            .and_then(|c| compile(src, c))
            .map(|e| with_fields(table, e)),
        value: a
            .value
            .as_deref()
            .and_then(|v| compile(src, v))
            .map(|e| with_fields(table, e)),
        field: a.field.as_deref().and_then(|f| table.field(f)),
    };
    let traced = !a.filter.is_empty() || a.in_period.is_some() || a.value.is_some();
    let (start, end) = crate::config::period_days(config);
    let mut acc: Vec<Option<Acc>> = Vec::new();
    acc.resize_with(n, || None);
    let mut distinct: Vec<HashSet<String>> = if a.agg == AggKind::Distinct {
        vec![HashSet::new(); n]
    } else {
        Vec::new()
    };
    for r in &table.rows {
        let Some(&emp) = ds.index.get(&r.key) else {
            continue;
        };
        let slot = acc[emp].get_or_insert_with(Acc::default);
        if slot.failed {
            continue;
        }
        match admit(&plan, &r.values, start, end) {
            Ok(()) => {}
            Err(Left::Skip(skip)) => {
                slot.skip(skip, r.row);
                continue;
            }
            Err(Left::Failed(e, j)) => {
                problems.push(row_problem(ds, table, name, emp, r.row, (e, j)));
                slot.failed = true;
                continue;
            }
        }
        let v = match &plan.value {
            Some(e) => match run(e, &r.values) {
                Outcome::Value(Val::Num(x)) => Some(x),
                Outcome::Value(_) => None,
                Outcome::Blank(j) => {
                    slot.skip(Skip::Blank(j as u16), r.row);
                    continue;
                }
                Outcome::Failed(e, j) => {
                    problems.push(row_problem(ds, table, name, emp, r.row, (e, j)));
                    slot.failed = true;
                    continue;
                }
            },
            None => plan
                .field
                .and_then(|j| r.values[j].as_ref())
                .and_then(Value::num),
        };
        // A blank cell has no place in a mean, a lowest or a highest.
        if let (None, Some(j), AggKind::Mean | AggKind::Min | AggKind::Max) = (v, plan.field, a.agg)
        {
            slot.skip(Skip::Blank(j as u16), r.row);
            continue;
        }
        if let Err(e) = add(
            a.agg,
            slot,
            v,
            plan.field.map(|j| &r.values[j]),
            &mut distinct,
            emp,
        ) {
            let j = plan.field.unwrap_or(0);
            problems.push(row_problem(ds, table, name, emp, r.row, (e, j)));
            slot.failed = true;
            continue;
        }
        slot.counted.push(r.row);
    }
    let how = traced.then(|| Arc::new(how(table, src, a, &plan)));
    finish(table, a.agg, acc, how)
}

/// Why a row is not counted.
enum Left {
    Skip(Skip),
    /// Its condition cannot be computed: the error and the column.
    Failed(EvalError, usize),
}

/// Whether a row counts, or why not.
fn admit(
    plan: &Plan,
    values: &[Option<Value>],
    start: chrono::NaiveDate,
    end: chrono::NaiveDate,
) -> Result<(), Left> {
    let matches = plan.equals.iter().all(|(j, vals)| {
        values[*j]
            .as_ref()
            .and_then(Value::text)
            .is_some_and(|t| vals.contains(&t))
    });
    if !matches {
        return Err(Left::Skip(Skip::Filtered));
    }
    if let Some(j) = plan.dated {
        match values[j] {
            Some(Value::Date(d)) if d >= start && d <= end => {}
            Some(Value::Date(_)) => return Err(Left::Skip(Skip::OutOfPeriod)),
            _ => return Err(Left::Skip(Skip::Blank(j as u16))),
        }
    }
    if let Some(c) = &plan.condition {
        match run(c, values) {
            Outcome::Value(Val::Num(x)) if !x.is_zero() => {}
            Outcome::Value(_) => return Err(Left::Skip(Skip::NotMet)),
            Outcome::Blank(j) => return Err(Left::Skip(Skip::Blank(j as u16))),
            Outcome::Failed(e, j) => return Err(Left::Failed(e, j)),
        }
    }
    Ok(())
}

/// Add one counted row's value to a person's aggregate.
fn add(
    agg: AggKind,
    slot: &mut Acc,
    v: Option<Decimal>,
    cell: Option<&Option<Value>>,
    distinct: &mut [HashSet<String>],
    emp: usize,
) -> Result<(), EvalError> {
    match agg {
        AggKind::Count => slot.value += Decimal::ONE,
        AggKind::Sum | AggKind::Mean => {
            slot.value = slot
                .value
                .checked_add(v.unwrap_or_default())
                .ok_or(EvalError::Overflow)?;
        }
        AggKind::Min | AggKind::Max => {
            if let Some(x) = v {
                let first = slot.counted.is_empty();
                if first
                    || (agg == AggKind::Min && x < slot.value)
                    || (agg == AggKind::Max && x > slot.value)
                {
                    slot.value = x;
                }
            }
        }
        AggKind::Distinct => {
            if let Some(Some(v)) = cell {
                let key = match v {
                    Value::Num(n) => n.normalize().to_string(),
                    Value::Text(t) => t.clone(),
                    Value::Date(d) => d.to_string(),
                };
                distinct[emp].insert(key);
                slot.value = Decimal::from(distinct[emp].len() as u64);
            }
        }
    }
    Ok(())
}

/// A row whose value cannot be computed, at its cell, naming the person.
fn row_problem(
    ds: &Dataset,
    table: &Table,
    metric: &str,
    emp: usize,
    row: u32,
    (e, j): (EvalError, usize),
) -> Problem {
    let who = &ds.employees[emp];
    let (id, name) = (&who.id, &who.name);
    let (zh, en) = match e {
        EvalError::DivisionByZero => ("除数为零", "division by zero"),
        EvalError::Overflow => (
            "结果超出了小数的范围",
            "the result is too large for a decimal",
        ),
        EvalError::Missing(_) | EvalError::Type => ("无法计算", "cannot be computed"),
    };
    Problem::at_cell(
        &table.origin(row, j.min(table.cols.len().saturating_sub(1))),
        crate::t!(
            "{id} {name}：数据项 `{metric}` 在这一行{zh}",
            "{id} {name}: metric `{metric}`: {en} in this row"
        ),
    )
    .help(crate::lang::Text::new(
        "改正这一行的值（单位错了？），或改写该数据项的 `value`/`where`",
        "correct the values of this row (a unit error?), or rewrite the metric's `value`/`where`",
    ))
}

/// The aggregate as shown, with the sheet's headers.
fn how(table: &Table, src: &SheetInput, a: &Aggregate, plan: &Plan) -> TallyHow {
    let header = |f: &str| {
        src.columns
            .get(f)
            .map_or_else(|| f.to_string(), |c| c.header().to_string())
    };
    let equals: Vec<String> = a
        .filter
        .equals()
        .map(|(f, v)| format!("{} = {}", header(f), v.values().join(" / ")))
        .collect();
    TallyHow {
        agg: a.agg,
        value: match (&plan.value, &a.field) {
            (Some((e, _)), _) => Some(e.show(&header)),
            (None, Some(f)) => Some(header(f)),
            (None, None) => None,
        },
        period: a.in_period.as_deref().map(header),
        equals: (!equals.is_empty()).then(|| equals.join(", ")),
        filter: plan.condition.as_ref().map(|(e, _)| e.show(&header)),
        headers: table.fields.iter().map(|f| header(f)).collect(),
    }
}

/// Each person's value and source: a count or sum of nothing is 0, a
/// mean, min or max of nothing is missing; a failed person has none.
fn finish(
    table: &Table,
    agg: AggKind,
    acc: Vec<Option<Acc>>,
    how: Option<Arc<TallyHow>>,
) -> Vec<Option<Cell>> {
    let zero_if_none = matches!(agg, AggKind::Count | AggKind::Sum | AggKind::Distinct);
    acc.into_iter()
        .map(|slot| {
            let slot = slot.unwrap_or_default();
            if slot.failed {
                return None;
            }
            let n = slot.counted.len();
            let value = match agg {
                _ if n == 0 && !zero_if_none => return None,
                AggKind::Mean => crate::exact::div(slot.value, Decimal::from(n as u64))?,
                _ => slot.value,
            };
            let src = match &how {
                Some(how) => {
                    let mut skipped: Vec<(Skip, Box<[u32]>)> = slot
                        .skipped
                        .into_iter()
                        .map(|(w, rows)| (w, rows.into_boxed_slice()))
                        .collect();
                    skipped.sort_by_key(|(w, _)| *w);
                    Src::Tally(Arc::new(Tally {
                        sheet: table.shared.clone(),
                        how: how.clone(),
                        counted: slot.counted.into_boxed_slice(),
                        skipped: skipped.into_boxed_slice(),
                    }))
                }
                None => Src::Rows {
                    sheet: table.shared.clone(),
                    rows: slot.counted.into(),
                },
            };
            Some(Cell { value, src })
        })
        .collect()
}
