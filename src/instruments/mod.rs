//! The study's management instruments (chapter 4), computed from their own
//! inputs, read against the roster while the scheme's sources are read
//! ([`read`]) and added once those are in ([`apply`]): the daily routine log
//! (日行事例), checkpoint control (节点控制), retention early warning
//! (集团保有预警) and product deepening (产品渗透) each turn rows into
//! per-employee metrics in `Dataset.columns`, so KPIs, adjustments, vetoes
//! and formulas (such as the RVC index) read them like any other metric.
//! The rows behind them (warnings, checkpoint series, holdings) are kept in
//! [`Loaded`] for the report sheets and the feedback workbooks. The
//! weak-spot comparison (短板比对) works on scores and lives in
//! `score::weakspot`.
//!
//! Everything is grouped with maps keyed by customer or employee: no step
//! compares every person with every other.

pub mod checkpoints;
pub mod customers;
pub mod daily_log;
pub mod products;
pub mod retention;
pub mod unknown_ids;

use crate::config::Config;
pub use crate::config::{date, period_days};
use crate::error::Problem;
use crate::ingest::gather::{self, Gather};
use crate::ingest::table::{self, Table, Want};
use crate::ingest::workbook::Workbook;
use crate::ingest::{Dataset, InputFile};
use chrono::NaiveDate;
use std::path::Path;

/// What the instruments read, kept for the reports.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, Default)]
pub struct Loaded {
    pub customers: customers::Customers,
    pub checkpoints: Vec<checkpoints::SeriesData>,
    pub warnings: Vec<retention::Warning>,
    pub products: Option<products::Holdings>,
}

/// A month written as `2024-07`, `2024/7`, `202407` or `2024年7月`.
pub fn parse_month(s: &str) -> Option<(i32, u32)> {
    let s = s.trim().trim_end_matches('月');
    let (y, m) = if let Some((y, m)) = s.split_once(['-', '/', '.', '年']) {
        (y, m)
    } else if s.len() == 6 && s.is_ascii() {
        s.split_at(4)
    } else {
        return None;
    };
    let y: i32 = y.trim().parse().ok()?;
    let m: u32 = m.trim().parse().ok()?;
    ((1..=12).contains(&m) && (1900..=9999).contains(&y)).then_some((y, m))
}

/// The month `k` months after (y, m) (negative: before).
pub fn add_months((y, m): (i32, u32), k: i32) -> (i32, u32) {
    let idx = y * 12 + m as i32 - 1 + k;
    (idx.div_euclid(12), idx.rem_euclid(12) as u32 + 1)
}

/// The last day of a month.
pub fn month_end((y, m): (i32, u32)) -> NaiveDate {
    let (ny, nm) = add_months((y, m), 1);
    NaiveDate::from_ymd_opt(ny, nm, 1)
        .and_then(|d| d.pred_opt())
        .unwrap_or_default()
}

/// Opens each instrument's workbook once, under the scheme's `[limits]`,
/// and reads sheets from it.
struct Reader<'a> {
    dir: &'a Path,
    limits: &'a crate::config::Limits,
    files: &'a mut Vec<InputFile>,
    problems: &'a mut Vec<Problem>,
}

impl Reader<'_> {
    fn open(&mut self, file: &str) -> Option<Workbook> {
        let path = self.dir.join(file);
        match Workbook::open_with(&path, self.limits) {
            Ok(wb) => Some(wb),
            Err(p) => {
                self.problems.push(p);
                None
            }
        }
    }

    fn sheet(
        &mut self,
        wb: &mut Workbook,
        sheet: &str,
        header_row: u32,
        key: &str,
        wants: &[(&str, &str, crate::config::ColumnType)],
    ) -> Option<Table> {
        let mut rows = Vec::new();
        let mut t = self.stream(wb, sheet, header_row, key, wants, |_, row, _| {
            rows.push(row)
        })?;
        t.rows = rows;
        Some(t)
    }

    /// Read a sheet row by row: `each` gets the table's columns, one row
    /// and the list for its problems; the sheet is never held whole.
    fn stream(
        &mut self,
        wb: &mut Workbook,
        sheet: &str,
        header_row: u32,
        key: &str,
        wants: &[(&str, &str, crate::config::ColumnType)],
        each: impl FnMut(&Table, crate::ingest::Row, &mut Vec<Problem>),
    ) -> Option<Table> {
        let wants = want(wants);
        let read = table::stream(wb, sheet, header_row, key, &wants, self.problems, each);
        self.record(wb, sheet, read)
    }

    /// [`Reader::stream`] into parts, one for each sheet of the table
    /// (see `ingest::gather`): what the rows came to, and the table.
    fn gather<G: Gather>(
        &mut self,
        wb: &mut Workbook,
        sheet: &str,
        header_row: u32,
        key: &str,
        wants: &[(&str, &str, crate::config::ColumnType)],
        new: &(dyn Fn() -> G + Sync),
    ) -> (G, Option<Table>) {
        let wants = want(wants);
        let place = (sheet, header_row, key, wants.as_slice());
        let (gathered, read) = gather::gather(wb, place, self.problems, new);
        (gathered, self.record(wb, sheet, read))
    }

    /// The table read from `sheet`, or the problem that it could not be
    /// read; the file and the sheets read listed.
    fn record(
        &mut self,
        wb: &Workbook,
        sheet: &str,
        read: Result<Option<Table>, Problem>,
    ) -> Option<Table> {
        let table = match read {
            Ok(t) => t,
            Err(p) => {
                self.problems.push(p);
                return None;
            }
        };
        // The sheet and the continuation sheets it went on to.
        let mut names = vec![sheet.to_string()];
        names.extend(
            table
                .iter()
                .flat_map(|t| t.continued.iter().map(|c| c.to_string())),
        );
        let path = wb.path.display().to_string();
        // Listed where the whole sheet was read before its rows were used.
        let at = self.files.iter().position(|f| f.path == path);
        match at {
            Some(i) => {
                let f = &mut self.files[i];
                for name in names {
                    if !f.sheets.contains(&name) {
                        f.sheets.push(name);
                    }
                }
            }
            None => self.files.push(InputFile {
                path,
                sha256: wb.sha256.clone(),
                bytes: wb.bytes,
                sheets: names,
            }),
        }
        table
    }
}

/// The columns an instrument wants: (field, header, type).
fn want(wants: &[(&str, &str, crate::config::ColumnType)]) -> Vec<Want> {
    wants
        .iter()
        .map(|(field, header, kind)| Want {
            field: field.to_string(),
            header: header.to_string(),
            kind: *kind,
            min: None,
        })
        .collect()
}

/// What one instrument's reading found: the files it read and its
/// problems, kept apart while instruments are read at once.
#[derive(Default)]
struct Part {
    files: Vec<InputFile>,
    problems: Vec<Problem>,
}

impl Part {
    fn reader<'a>(&'a mut self, config: &'a Config) -> Reader<'a> {
        Reader {
            dir: &config.input_dir,
            limits: &config.scheme.limits,
            files: &mut self.files,
            problems: &mut self.problems,
        }
    }

    /// Add to the run's files and problems as if read one after another:
    /// a file already listed gains the sheets it did not list yet.
    fn merge(self, files: &mut Vec<InputFile>, problems: &mut Vec<Problem>) {
        for f in self.files {
            match files.iter_mut().find(|g| g.path == f.path) {
                Some(g) => {
                    for s in f.sheets {
                        if !g.sheets.contains(&s) {
                            g.sheets.push(s);
                        }
                    }
                }
                None => files.push(f),
            }
        }
        problems.extend(self.problems);
    }
}

/// Metrics by name, one value per employee.
pub(crate) type Metrics = Vec<(String, crate::ingest::column::Column)>;

/// What the instruments read, nothing added to the dataset yet: reading
/// needs only the roster, so [`read`] runs while the sources are read, and
/// [`apply`] adds it all once they are in.
pub struct InstrumentReadings {
    loaded: Loaded,
    parts: Parts,
    log: Option<(Metrics, daily_log::Visits)>,
    retention: retention::RetentionFigures,
    checkpoints: Option<checkpoints::CheckpointRows>,
    products: Option<(Metrics, products::Holdings)>,
}

/// Each instrument's files and problems, merged in this order.
#[derive(Default)]
struct Parts {
    customers: Part,
    log: Part,
    checkpoints: Part,
    retention: Part,
    products: Part,
}

impl Parts {
    fn merge(self, files: &mut Vec<InputFile>, problems: &mut Vec<Problem>) {
        let Parts {
            customers,
            log,
            checkpoints,
            retention,
            products,
        } = self;
        for part in [customers, log, checkpoints, retention, products] {
            part.merge(files, problems);
        }
    }
}

/// Read every configured instrument against the roster in `ds`.
pub fn read(config: &Config, ds: &Dataset) -> Option<InstrumentReadings> {
    let ins = &config.scheme.instruments;
    if ins.customers.is_none() && ins.checkpoints.is_none() {
        return None;
    }
    let period = period_days(config);
    let (start, end) = period;
    let mut loaded = Loaded::default();
    let mut parts = Parts::default();
    if let Some(c) = &ins.customers {
        loaded.customers = customers::read(c, &mut parts.customers.reader(config), ds);
    }
    let Parts {
        log: p_log,
        checkpoints: p_cp,
        retention: p_ret,
        products: p_prod,
        ..
    } = &mut parts;
    // The rest need only the roster and the customers: their workbooks are
    // read at once, each part with its own files and problems, merged in
    // this order, whichever finishes first.
    let cust = &loaded.customers;
    let ((log, retention), (checkpoints, products)) = rayon::join(
        || {
            rayon::join(
                || {
                    ins.daily_log.as_ref().map(|d| {
                        daily_log::load(d, &mut p_log.reader(config), ds, cust, start, end)
                    })
                },
                || {
                    let r = ins.retention.as_ref()?;
                    retention::read(r, &mut p_ret.reader(config), cust, period)
                },
            )
        },
        || {
            rayon::join(
                || {
                    let c = ins.checkpoints.as_ref()?;
                    checkpoints::read(c, &mut p_cp.reader(config), ds)
                },
                || {
                    ins.products
                        .as_ref()
                        .map(|p| products::load(p, &mut p_prod.reader(config), ds, cust))
                },
            )
        },
    );
    Some(InstrumentReadings {
        loaded,
        parts,
        log,
        retention,
        checkpoints,
        products,
    })
}

/// Add what the instruments read to `ds`: their metrics (checkpoint
/// progress against the sources' targets, retention warnings against the
/// visits), files and problems; return their rows, kept for the reports.
pub fn apply(
    config: &Config,
    read: Option<InstrumentReadings>,
    ds: &mut Dataset,
    problems: &mut Vec<Problem>,
) -> Loaded {
    let Some(InstrumentReadings {
        mut loaded,
        mut parts,
        log,
        retention,
        checkpoints,
        products,
    }) = read
    else {
        return Loaded::default();
    };
    let ins = &config.scheme.instruments;
    let period = period_days(config);
    let mut metrics: Metrics = Vec::new();
    // The visits' dates serve the retention warnings only, and are dropped
    // once those are made.
    let mut visits = daily_log::Visits::default();
    if let Some((m, v)) = log {
        metrics.extend(m);
        visits = v;
    }
    if let Some(c) = &ins.checkpoints {
        let cps: Vec<NaiveDate> = config.scheme.period.checkpoints.iter().map(date).collect();
        // A target is blamed only when nothing failed to load before it.
        let loaded_all = problems.is_empty();
        let own = &mut parts.checkpoints.problems;
        let (m, series) = checkpoints::compute(c, checkpoints, ds, own, loaded_all, &cps, period);
        metrics.extend(m);
        loaded.checkpoints = series;
    }
    parts.merge(&mut ds.files, problems);
    if let Some(r) = &ins.retention {
        let (m, warnings) = retention::load(r, retention, ds, &loaded.customers, &visits, period);
        metrics.extend(m);
        loaded.warnings = warnings;
    }
    if let Some((m, holdings)) = products {
        metrics.extend(m);
        loaded.products = Some(holdings);
    }
    for (name, col) in metrics {
        ds.insert_column(name, col);
    }
    loaded
}

/// A per-employee column of derived values, each saying where it came from.
pub(crate) fn column(
    values: Vec<Option<rust_decimal::Decimal>>,
    src: &str,
) -> crate::ingest::column::Column {
    crate::ingest::column::Column::same(values, crate::ingest::Src::Derived(src.into()))
}

/// Split a list cell: `5510000001、5510000002`, `a, b`, `a;b`, `a b`.
pub fn split_list(s: &str) -> Vec<&str> {
    s.split([',', '，', '、', ';', '；', ' ', '/', '\n'])
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_in_export_forms() {
        assert_eq!(parse_month("2024-07"), Some((2024, 7)));
        assert_eq!(parse_month("2024/7"), Some((2024, 7)));
        assert_eq!(parse_month("202409"), Some((2024, 9)));
        assert_eq!(parse_month("2024年9月"), Some((2024, 9)));
        assert_eq!(parse_month("2024-13"), None);
        assert_eq!(parse_month("July"), None);
    }

    #[test]
    fn month_arithmetic() {
        assert_eq!(add_months((2024, 1), -1), (2023, 12));
        assert_eq!(add_months((2024, 9), -12), (2023, 9));
        assert_eq!(add_months((2024, 12), 1), (2025, 1));
        assert_eq!(month_end((2024, 2)).to_string(), "2024-02-29");
        assert_eq!(month_end((2024, 9)).to_string(), "2024-09-30");
    }

    #[test]
    fn lists_split_on_chinese_and_ascii_separators() {
        assert_eq!(split_list("a、b，c, d;e"), vec!["a", "b", "c", "d", "e"]);
        assert_eq!(split_list("  "), Vec::<&str>::new());
    }
}
