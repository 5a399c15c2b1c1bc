//! One row typed: its key read, each wanted cell converted to its column's
//! type and held to its smallest allowed value.

use super::{Row, Table, Want};
use crate::error::Problem;
use crate::ingest::value::{self, Value, key_text};
use calamine::Data;

/// Type one row whose cell `i` is at absolute column `c0 + i`.
pub(super) fn convert_row(
    table: &Table,
    key: &str,
    wants: &[Want],
    r: u32,
    c0: u32,
    row: &[Data],
    problems: &mut Vec<Problem>,
) -> Option<Row> {
    const EMPTY: Data = Data::Empty;
    let get = |c: u32| -> &Data {
        c.checked_sub(c0)
            .and_then(|i| row.get(i as usize))
            .unwrap_or(&EMPTY)
    };
    let key_cell = get(table.key_col);
    let Some(key_value) = key_text(key_cell) else {
        let values_empty = table.cols.iter().all(|c| is_blank(get(*c)));
        if !is_blank(key_cell) {
            problems.push(value::key_problem(key_cell, key, &table.key_origin(r)));
        } else if !values_empty {
            problems.push(
                Problem::at_cell(
                    &table.key_origin(r),
                    crate::t!(
                        "这一行有数据，却没有 `{key}`",
                        "this row has values but no `{key}`"
                    ),
                )
                .help(crate::lang::Text::new(
                    "填上工号，或删除这一行",
                    "fill in the id, or delete the row",
                )),
            );
        }
        return None;
    };
    let mut values = Vec::with_capacity(wants.len());
    for (j, w) in wants.iter().enumerate() {
        let origin = table.origin(r, j);
        match value::convert(get(table.cols[j]), w.kind, &w.field, &origin) {
            Ok(v) => {
                if let (Some(Value::Num(n)), Some(min)) = (&v, w.min)
                    && *n < min
                {
                    problems.push(
                        Problem::at_cell(
                            &origin,
                            crate::t!(
                                "`{}` 为 {n}，低于允许的最小值 {min}",
                                "`{}` is {n}, below the smallest allowed value {min}",
                                w.field
                            ),
                        )
                        .help(crate::lang::Text::new(
                            "在源系统中改正该值后重新导出",
                            "correct the value in the source system and export again",
                        )),
                    );
                }
                values.push(v);
            }
            Err(p) => {
                problems.push(p);
                values.push(None);
            }
        }
    }
    Some(Row {
        row: r,
        key: key_value,
        values,
    })
}

fn is_blank(d: &Data) -> bool {
    match d {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    }
}
