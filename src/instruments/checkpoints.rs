//! 节点控制, checkpoint control: at each checkpoint of `[period]` the
//! cumulative actual to date (from a monthly sheet: 工号, 月份, 累计…) is
//! set against the expected line, the target × the elapsed share of the
//! period (序时进度, by calendar days). The time-progress rule of
//! docs/instruments.md (节点控制):
//!
//!   share_k      = days(start ..= checkpoint_k) ÷ days(start ..= end)
//!   attainment_k = actual_k ÷ (target × share_k)
//!
//! Each series yields `<metric>_cp<k>` (attainment at checkpoint k) and
//! `<metric>` (the attainments combined: mean, min or last), which a KPI
//! scores like any metric, e.g. `rule = { type = "ratio", cap = 1.2 }` with
//! `target = 1`.

use super::Metrics;
use super::Reader;
use super::unknown_ids::UnknownIds;
use crate::config::ColumnType;
use crate::config::instruments::{Checkpoints, Combine};
use crate::error::Problem;
use crate::ingest::column::{Column, ColumnSrc};
use crate::ingest::table::Table;
use crate::ingest::{Dataset, Value};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// One person's progress in one series.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub target: Option<Decimal>,
    /// Cumulative actual at each checkpoint.
    pub actuals: Vec<Option<Decimal>>,
    /// actual ÷ (target × share) at each checkpoint.
    pub attainments: Vec<Option<Decimal>>,
    pub combined: Option<Decimal>,
}

/// A series as computed, for the 节点进度 sheet.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct SeriesData {
    pub metric: String,
    pub name: String,
    pub checkpoints: Vec<NaiveDate>,
    /// The expected share of the target at each checkpoint (序时进度).
    pub shares: Vec<Decimal>,
    /// Per employee; `None` where the sheet has no row for them.
    pub people: Vec<Option<Progress>>,
}

/// Days elapsed at `day` (start and `day` included) and days in the period.
pub fn elapsed_days(start: NaiveDate, end: NaiveDate, day: NaiveDate) -> (i64, i64) {
    let total = ((end - start).num_days() + 1).max(1);
    let done = ((day - start).num_days() + 1).clamp(0, total);
    (done, total)
}

/// The elapsed share of the period at `day`, by calendar days.
pub fn elapsed_share(start: NaiveDate, end: NaiveDate, day: NaiveDate) -> Decimal {
    let (done, total) = elapsed_days(start, end, day);
    crate::exact::quot(Decimal::from(done), Decimal::from(total))
}

/// Attainment at one checkpoint: actual ÷ (target × done ÷ total), computed
/// as actual × total ÷ (target × done) so that no share is rounded first.
pub fn attainment(actual: Decimal, target: Decimal, (done, total): (i64, i64)) -> Option<Decimal> {
    let expected = target * Decimal::from(done);
    (!expected.is_zero()).then(|| crate::exact::quot(actual * Decimal::from(total), expected))
}

/// Combine the attainments that exist.
pub fn combine(values: &[Option<Decimal>], how: Combine) -> Option<Decimal> {
    let have: Vec<Decimal> = values.iter().flatten().copied().collect();
    match how {
        Combine::Mean if !have.is_empty() => Some(crate::exact::quot(
            have.iter().sum::<Decimal>(),
            Decimal::from(have.len() as u64),
        )),
        Combine::Min => have.iter().copied().min(),
        Combine::Last => have.last().copied(),
        Combine::Mean => None,
    }
}

/// The checkpoint sheet as read: its rows by employee and month. Reading
/// needs only the roster; the targets come from the sources ([`compute`]).
pub(super) struct CheckpointRows {
    t: Table,
    rows: HashMap<(usize, (i32, u32)), usize>,
}

pub(super) fn read(c: &Checkpoints, rd: &mut Reader, ds: &Dataset) -> Option<CheckpointRows> {
    let mut wb = rd.open(&c.file)?;
    let mut wants = vec![("month", c.columns.month.as_str(), ColumnType::Text)];
    let fields: Vec<String> = (0..c.series.len()).map(|i| format!("s{i}")).collect();
    for (i, s) in c.series.iter().enumerate() {
        wants.push((fields[i].as_str(), s.column.as_str(), ColumnType::Number));
    }
    let t = rd.sheet(&mut wb, &c.sheet, c.header_row, &c.columns.id, &wants)?;
    // (employee, month) → row.
    let mut rows: HashMap<(usize, (i32, u32)), usize> = HashMap::new();
    let mut unknown = UnknownIds::default();
    for (ri, r) in t.rows.iter().enumerate() {
        let Some(&emp) = ds.index.get(&r.key) else {
            if !ds.employees.is_empty() {
                unknown.see(&r.key, || t.key_origin(r.row));
            }
            continue;
        };
        let text = r.values[0].as_ref().and_then(Value::text).unwrap_or("");
        let Some(month) = super::parse_month(text) else {
            rd.problems.push(
                Problem::at_cell(
                    &t.origin(r.row, 0),
                    crate::t!("`{text}` 不是月份", "`{text}` is not a month"),
                )
                .help(crate::lang::Text::new(
                    "月份请写成 2024-07 的样子",
                    "write the month as 2024-07",
                )),
            );
            continue;
        };
        if let Some(first) = rows.insert((emp, month), ri) {
            let first_en = t.row_name(t.rows[first].row);
            let first_zh = t.row_name_zh(t.rows[first].row);
            rd.problems.push(
                Problem::at_cell(
                    &t.key_origin(r.row),
                    crate::t!(
                        "`{0}` 在 {1}-{2:02} 有第二行（第一行在{first_zh}）",
                        "`{0}` has a second row for {1}-{2:02} (first in row {first_en})",
                        r.key,
                        month.0,
                        month.1
                    ),
                )
                .help(crate::lang::Text::new(
                    "每名员工每月只保留一行",
                    "keep one row per employee per month",
                )),
            );
        }
    }
    rd.problems.extend(unknown.problems());
    Some(CheckpointRows { t, rows })
}

/// Each series' progress against its target, read from the sources.
/// `problems` are the checkpoint reading's own; `loaded_all` says that
/// every other input loaded, so that a missing target is the scheme's fault.
pub(super) fn compute(
    c: &Checkpoints,
    read: Option<CheckpointRows>,
    ds: &Dataset,
    problems: &mut Vec<Problem>,
    loaded_all: bool,
    checkpoints: &[NaiveDate],
    (start, end): (NaiveDate, NaiveDate),
) -> (Metrics, Vec<SeriesData>) {
    let Some(CheckpointRows { t, rows }) = read else {
        return (Vec::new(), Vec::new());
    };
    let n = ds.employees.len();
    let shares: Vec<Decimal> = checkpoints
        .iter()
        .map(|cp| elapsed_share(start, end, *cp))
        .collect();
    let days: Vec<(i64, i64)> = checkpoints
        .iter()
        .map(|cp| elapsed_days(start, end, *cp))
        .collect();
    let months: Vec<(i32, u32)> = checkpoints.iter().map(|d| (d.year(), d.month())).collect();
    let mut metrics = Vec::new();
    let mut out = Vec::new();
    for (si, s) in c.series.iter().enumerate() {
        let j = si + 1;
        let target = ds.has_metric(&s.target);
        // A sheet that failed to load (already reported) also leaves the
        // target missing: only a scheme that names no column is at fault.
        if !target && loaded_all && problems.is_empty() {
            problems.push(
                Problem::nowhere(crate::t!(
                    "节点考核序列 `{0}` 读取目标 `{1}`，但没有任何数据列提供它",
                    "checkpoint series `{0}` reads target `{1}`, which no source column provides",
                    s.metric,
                    s.target
                ))
                .help(crate::lang::Text::new(
                    "请写一个从工作表读取的指标（公式指标要到后面才计算）",
                    "name a metric read from a sheet (a formula metric is computed later)",
                )),
            );
        }
        let mut people = vec![None; n];
        // Per checkpoint: each employee's attainment and the row it read.
        let mut per_cp = vec![(vec![None; n], vec![0; n]); checkpoints.len()];
        let mut combined_col = vec![None; n];
        let mut combined_rows: Vec<std::sync::Arc<[u32]>> = vec![Vec::new().into(); n];
        for (emp, slot) in people.iter_mut().enumerate() {
            let found: Vec<Option<&crate::ingest::Row>> = months
                .iter()
                .map(|m| rows.get(&(emp, *m)).map(|&ri| &t.rows[ri]))
                .collect();
            if found.iter().all(Option::is_none) {
                continue;
            }
            let tgt = ds.value(&s.target, emp);
            let actuals: Vec<Option<Decimal>> = found
                .iter()
                .map(|r| r.and_then(|r| r.values[j].as_ref()).and_then(Value::num))
                .collect();
            let attainments: Vec<Option<Decimal>> = actuals
                .iter()
                .zip(&days)
                .map(|(a, dd)| match (a, tgt) {
                    (Some(a), Some(t)) => attainment(*a, t, *dd),
                    _ => None,
                })
                .collect();
            let combined = combine(&attainments, s.combine);
            // An attainment needs an actual, read from the month's row.
            for (k, (a, r)) in attainments.iter().zip(&found).enumerate() {
                per_cp[k].0[emp] = *a;
                per_cp[k].1[emp] = r.map_or(0, |r| r.row);
            }
            if combined.is_some() {
                let used: Vec<u32> = found.iter().flatten().map(|r| r.row).collect();
                combined_rows[emp] = used.into();
            }
            combined_col[emp] = combined;
            *slot = Some(Progress {
                target: tgt,
                actuals,
                attainments,
                combined,
            });
        }
        for (k, (values, rows)) in per_cp.into_iter().enumerate() {
            let src = ColumnSrc::Cells {
                sheet: t.shared.clone(),
                col: t.cols[j],
                rows,
            };
            metrics.push((format!("{}_cp{}", s.metric, k + 1), Column { values, src }));
        }
        let src = ColumnSrc::Rows {
            sheet: t.shared.clone(),
            rows: combined_rows.into(),
        };
        metrics.push((
            s.metric.clone(),
            Column {
                values: combined_col,
                src,
            },
        ));
        out.push(SeriesData {
            metric: s.metric.clone(),
            name: s.name.clone().unwrap_or_else(|| s.metric.clone()),
            checkpoints: checkpoints.to_vec(),
            shares: shares.clone(),
            people,
        });
    }
    (metrics, out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).expect("decimal")
    }

    fn day(m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, m, dd).expect("date")
    }

    #[test]
    fn expected_progress_by_elapsed_days() {
        // 2024Q3 has 92 days: July 31, August 31, September 30.
        let (s, e) = (day(7, 1), day(9, 30));
        // The engine's division (issue 15): truncated at the 28th digit.
        assert_eq!(
            elapsed_share(s, e, day(7, 31)),
            crate::exact::quot(d("31"), d("92"))
        );
        assert_eq!(
            elapsed_share(s, e, day(8, 31)),
            crate::exact::quot(d("62"), d("92"))
        );
        assert_eq!(elapsed_share(s, e, day(9, 30)), Decimal::ONE);
        assert_eq!(elapsed_share(s, e, day(6, 1)), Decimal::ZERO);
    }

    #[test]
    fn attainment_against_the_expected_line() {
        // Target 92, July: expected 92 × 31/92 = 31; actual 31 → 1.
        assert_eq!(attainment(d("31"), d("92"), (31, 92)), Some(d("1")));
        // August: expected 62; actual 46.5 → 0.75.
        assert_eq!(attainment(d("46.5"), d("92"), (62, 92)), Some(d("0.75")));
        // Target 100 at July: expected 100 × 31/92; actual 40 → 40 × 92 / 3100.
        assert_eq!(
            attainment(d("40"), d("100"), (31, 92)),
            Some(crate::exact::quot(d("3680"), d("3100")))
        );
        assert_eq!(attainment(d("5"), d("0"), (62, 92)), None);
    }

    #[test]
    fn combining_checkpoints() {
        let v = [Some(d("1")), Some(d("0.75")), None, Some(d("0.8"))];
        assert_eq!(combine(&v, Combine::Mean), Some(d("0.85")));
        assert_eq!(combine(&v, Combine::Min), Some(d("0.75")));
        assert_eq!(combine(&v, Combine::Last), Some(d("0.8")));
        assert_eq!(combine(&[None], Combine::Mean), None);
    }
}
