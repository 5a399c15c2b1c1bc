//! Reading the input workbooks into typed tables keyed by employee. Each file
//! is opened once, whatever number of sheets the scheme reads from it. Every
//! number keeps the cell it came from. All problems of all files are
//! reported together.

pub mod cell_text;
pub mod column;
pub mod continuation;
pub mod coverage;
pub mod file_names;
pub mod gather;
pub mod guard;
mod row_stream;
mod shared_file;
pub mod table;
mod tally;
pub mod value;
pub mod workbook;

pub use table::{Row, Table, Want};
pub use value::{At, Cell, Credited, Sheet, Skip, Src, Tally, TallyHow, Value};

use crate::config::{Config, MetricDef, Rows};
use crate::error::{Origin, Problem};
use rayon::prelude::*;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use workbook::Workbook;

/// One person from the roster.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Employee {
    pub id: String,
    pub name: String,
    /// Role id in the scheme (e.g. `account_manager`).
    pub role: String,
    /// The roster's 岗位 text.
    pub post: String,
    pub team: String,
    pub department: String,
    pub origin: Origin,
}

/// An input file as read, for the manifest.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
    pub sheets: Vec<String>,
}

/// Everything the scheme reads, keyed by employee index.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, Default)]
pub struct Dataset {
    /// Sorted by id.
    pub employees: Vec<Employee>,
    pub index: HashMap<String, usize>,
    /// Metric name → one value per employee, each with its source: the
    /// metrics not in `columns` (aggregates, credits, appealed values).
    /// Read any metric through [`Dataset::metric`] and [`Dataset::value`],
    /// which look in both.
    pub metrics: HashMap<String, Vec<Option<Cell>>>,
    /// The metrics read from one column of a one-row-per-employee source
    /// and those the instruments compute, by name: kept per column
    /// ([`column::Column`]), at half the size of cells.
    pub columns: HashMap<String, column::Column>,
    /// Cells left blank in an employee's row of a one-row-per-employee
    /// source: (metric, employee) → the cell, so that a missing value is
    /// reported where it is missing. Blanks are few; the map stays small.
    pub blanks: HashMap<(String, usize), Origin>,
    pub files: Vec<InputFile>,
    /// Ids of the roster rows outside `[roster] where` (issue 19): left out
    /// of the run, and their rows in the other sheets skipped.
    pub left_out: std::collections::HashSet<String>,
}

impl Dataset {
    /// A metric's value for one employee, with its source.
    pub fn metric(&self, name: &str, emp: usize) -> Option<Cell> {
        match self.metrics.get(name) {
            Some(col) => col.get(emp).cloned().flatten(),
            None => self.columns.get(name)?.cell(emp),
        }
    }

    /// Whether some column provides the metric.
    pub fn has_metric(&self, name: &str) -> bool {
        self.metrics.contains_key(name) || self.columns.contains_key(name)
    }

    /// A metric's value for one employee.
    pub fn value(&self, name: &str, emp: usize) -> Option<Decimal> {
        match self.metrics.get(name) {
            Some(col) => col.get(emp).and_then(Option::as_ref).map(|c| c.value),
            None => self.columns.get(name)?.value(emp),
        }
    }

    /// A metric's column, to change values in it (a compact column
    /// becomes a column of cells first; an unknown metric, a column of
    /// blanks).
    pub fn column_mut(&mut self, name: &str) -> &mut Vec<Option<Cell>> {
        let n = self.employees.len();
        let columns = &mut self.columns;
        self.metrics.entry(name.to_string()).or_insert_with(|| {
            columns
                .remove(name)
                .map_or_else(|| vec![None; n], column::Column::cells)
        })
    }
}

/// A sheet to read: which file, which sheet.
struct Wanted<'a> {
    id: &'a str,
    file: PathBuf,
    sheet: &'a str,
}

/// Read every input the scheme names, the roster first; `beside` is given
/// the roster and runs while the other files are read (the pipeline reads
/// the instruments there). Returns the data, every problem found (in the
/// order they are reported) and what `beside` returned: the caller decides
/// what follows and whether the problems stop the run.
pub fn read<R: Send>(
    config: &Config,
    beside: impl FnOnce(&Dataset) -> R + Send,
) -> (Dataset, Vec<Problem>, R) {
    let s = &config.scheme;
    let mut problems = Vec::new();
    let mut wanted = vec![Wanted {
        id: "",
        file: config.input_dir.join(&s.roster.file),
        sheet: &s.roster.sheet,
    }];
    for (id, src) in &s.sources {
        wanted.push(Wanted {
            id,
            file: config.input_dir.join(&src.file),
            sheet: &src.sheet,
        });
    }
    // Open each file once, in a stable order.
    let mut by_file: BTreeMap<PathBuf, Vec<&Wanted>> = BTreeMap::new();
    for w in &wanted {
        by_file.entry(w.file.clone()).or_default().push(w);
    }
    // Each sheet is read into its table as the file is open, never held as
    // a grid; the table's problems are kept aside and reported where they
    // always were: after the files' problems, roster first, then the sources.
    // The roster's file (always one of them) is read first: `beside` (the
    // instruments) reads against the roster while the other files are read,
    // and the results are taken in file order.
    let roster_file = config.input_dir.join(&s.roster.file);
    let roster_wants = by_file.remove(&roster_file).unwrap_or_default();
    let mut roster_read = read_file(config, &roster_file, &roster_wants);
    let mut ds = Dataset::default();
    let mut roster_problems = Vec::new();
    if let Some(k) = roster_read.tables.iter().position(|(id, _)| id.is_empty()) {
        let (_, (t, own)) = roster_read.tables.remove(k);
        roster_problems.extend(own);
        if let Some(t) = t {
            read_roster(config, t, &mut ds, &mut roster_problems);
        }
    }
    let others: Vec<(&PathBuf, &Vec<&Wanted>)> = by_file.iter().collect();
    let (mut read, aside) = rayon::join(
        || {
            others
                .par_iter()
                .map(|(path, ws)| (*path, read_file(config, path, ws)))
                .collect::<Vec<_>>()
        },
        || beside(&ds),
    );
    read.push((&roster_file, roster_read));
    read.sort_by(|a, b| a.0.cmp(b.0));
    let mut tables: HashMap<&str, SheetRead> = HashMap::new();
    for (_, r) in read {
        problems.extend(r.problems);
        tables.extend(r.tables);
        ds.files.extend(r.file);
    }
    problems.extend(roster_problems);
    // Many-rows sources by id; `Row::key` is the employee id.
    let mut many: HashMap<&str, Table> = HashMap::new();
    for (id, src) in &s.sources {
        let Some((table, own)) = tables.remove(id.as_str()) else {
            continue;
        };
        problems.extend(own);
        let Some(table) = table else {
            continue;
        };
        match src.rows {
            Rows::OnePerKey => {
                one_per_key(&table, &mut ds, &mut problems);
                coverage::check(config, &ds, id, &table, &mut problems);
            }
            Rows::ManyPerKey => {
                for r in &table.rows {
                    unknown_key(&ds, &table, r, &mut problems);
                }
                many.insert(id.as_str(), table);
            }
        }
    }
    // The rows are let go once their aggregates are computed.
    aggregate(config, &mut ds, &many, &mut problems);
    drop(many);
    (ds, problems, aside)
}

/// A sheet's table (none if its headers are wrong) and its own problems.
type SheetRead = (Option<Table>, Vec<Problem>);

/// What reading one file gave: the file for the manifest (unless it could
/// not be opened), each sheet's table with its own problems, and the
/// problems of the file and of sheets that could not be read.
struct FileRead<'a> {
    file: Option<InputFile>,
    tables: Vec<(&'a str, SheetRead)>,
    problems: Vec<Problem>,
}

fn read_file<'a>(config: &Config, path: &Path, ws: &[&Wanted<'a>]) -> FileRead<'a> {
    let s = &config.scheme;
    let mut out = FileRead {
        file: None,
        tables: Vec::new(),
        problems: Vec::new(),
    };
    let mut wb = match Workbook::open_with(path, &s.limits) {
        Ok(wb) => wb,
        Err(p) => {
            out.problems.push(p);
            return out;
        }
    };
    let mut sheets = Vec::new();
    for w in ws {
        let (header_row, key, wants) = if w.id.is_empty() {
            roster_wants(config)
        } else {
            source_wants(&s.sources[w.id])
        };
        let mut own = Vec::new();
        match table::read_sheet(&mut wb, w.sheet, header_row, key, &wants, &mut own) {
            Ok(t) => {
                let more = t.iter().flat_map(|t| t.continued.iter().map(|c| &**c));
                let names = std::iter::once(w.sheet).chain(more);
                for name in names {
                    if !sheets.iter().any(|s| s == name) {
                        sheets.push(name.to_string());
                    }
                }
                out.tables.push((w.id, (t, own)));
            }
            Err(p) => out.problems.push(p),
        }
    }
    out.file = Some(InputFile {
        path: path.display().to_string(),
        sha256: wb.sha256.clone(),
        bytes: wb.bytes,
        sheets,
    });
    out
}

fn unknown_key(ds: &Dataset, table: &Table, r: &Row, problems: &mut Vec<Problem>) -> bool {
    if ds.employees.is_empty() || ds.index.contains_key(&r.key) {
        return false;
    }
    if ds.left_out.contains(&r.key) {
        return true;
    }
    problems.push(
        Problem::at_cell(
            &table.key_origin(r.row),
            crate::t!(
                "员工 `{}` 不在花名册中",
                "employee `{}` is not in the roster",
                r.key
            ),
        )
        .help(crate::lang::Text::new(
            "把该员工加入花名册，或改正工号",
            "add the employee to the roster, or correct the id",
        )),
    );
    true
}

/// The roster's header row, key and columns.
fn roster_wants(config: &Config) -> (u32, &str, Vec<Want>) {
    let r = &config.scheme.roster;
    let text = |field: &str, header: &str| Want {
        field: field.into(),
        header: header.into(),
        kind: crate::config::ColumnType::Text,
        min: None,
    };
    let mut wants = vec![
        text("name", &r.columns.name),
        text("role", &r.columns.role),
        text("team", &r.columns.team),
    ];
    if let Some(d) = &r.columns.department {
        wants.push(text("department", d));
    }
    // The columns `[roster] where` reads, each once; a column the roster
    // lacks is reported with the scheme's line that names it.
    for header in r.filter.keys() {
        if !wants.iter().any(|w| w.header == *header) && *header != r.columns.id {
            wants.push(text(&where_at(config, header), header));
        }
    }
    (r.header_row, &r.columns.id, wants)
}

/// `[roster] where, appraisal.toml:39:11`: where the scheme filters on `header`.
fn where_at(config: &Config, header: &str) -> String {
    use crate::config::locate::{Locator, at};
    let src = std::fs::read_to_string(&config.path).unwrap_or_default();
    let place = Locator::new(&config.path, &src).find(&at("roster").key("where").key(header));
    match place {
        crate::error::Location::Toml {
            file, line, column, ..
        } => format!("[roster] where, {}:{line}:{column}", file.display()),
        _ => "[roster] where".to_string(),
    }
}

/// Which column each `[roster] where` entry reads (None: the id) and the
/// values it keeps, in the order of `roster_wants`.
fn roster_filter(config: &Config) -> Vec<(Option<usize>, Vec<&str>)> {
    let r = &config.scheme.roster;
    let (_, _, wants) = roster_wants(config);
    r.filter
        .iter()
        .map(|(header, values)| {
            let j = wants.iter().position(|w| w.header == *header);
            (j, values.values())
        })
        .collect()
}

/// A source's header row, key and columns.
fn source_wants(src: &crate::config::scheme::SheetInput) -> (u32, &str, Vec<Want>) {
    let wants = src
        .columns
        .iter()
        .map(|(field, col)| Want {
            field: field.clone(),
            header: col.header().to_string(),
            kind: col.kind(),
            min: col.min().map(|d| d.get()),
        })
        .collect();
    (src.header_row, &src.key, wants)
}

fn read_roster(config: &Config, table: Table, ds: &mut Dataset, problems: &mut Vec<Problem>) {
    let has_department = config.scheme.roster.columns.department.is_some();
    let filter = roster_filter(config);
    let mut seen: HashMap<String, u32> = HashMap::new();
    let roles: Vec<String> = config
        .scheme
        .roles
        .values()
        .flat_map(|r| r.roster_value.values().into_iter().map(String::from))
        .collect();
    // Rows whose cells name output files, checked together at the end.
    let mut named: Vec<(u32, String, String)> = Vec::new();
    for row in &table.rows {
        if let Some(first) = seen.insert(row.key.clone(), row.row) {
            problems.push(
                Problem::at_cell(
                    &table.key_origin(row.row),
                    crate::t!(
                        "工号 `{}` 在花名册中出现了两次（第一次在第 {} 行）",
                        "employee id `{}` appears twice in the roster (first in row {})",
                        row.key,
                        table.row_name(first)
                    ),
                )
                .help(crate::lang::Text::new(
                    "每名员工在花名册中只能有一行",
                    "each employee must have one roster row",
                )),
            );
            continue;
        }
        let get = |j: usize| {
            row.values
                .get(j)
                .and_then(|v| v.as_ref())
                .and_then(|v| v.text())
                .unwrap_or("")
                .to_string()
        };
        // Issue 19: a row outside `[roster] where` is counted and left out
        // before its 岗位 is looked at.
        let inside = filter.iter().all(|(j, values)| {
            let v = j.map_or_else(|| row.key.clone(), get);
            values.contains(&v.trim())
        });
        if !inside {
            ds.left_out.insert(row.key.clone());
            continue;
        }
        let post = get(1);
        let Some(role) = config.role_for(&post) else {
            problems.push(
                Problem::at_cell(
                    &table.origin(row.row, 1),
                    crate::t!(
                        "`{}` 的岗位 `{post}` 与方案中的任何岗位都对不上",
                        "岗位 `{post}` of `{}` matches no role of the scheme",
                        row.key
                    ),
                )
                .help(crate::t!(
                    "可选：{}；或加一个以此为 `roster_value` 的岗位",
                    "use one of: {}, or add a role with this `roster_value`",
                    roles.join(", ")
                )),
            );
            continue;
        };
        for (j, what, what_zh) in [(0, "name", "姓名"), (2, "team", "班组")] {
            if get(j).is_empty() {
                problems.push(
                    Problem::at_cell(
                        &table.origin(row.row, j),
                        crate::t!(
                            "员工 `{}` 没有{what_zh}",
                            "employee `{}` has no {what}",
                            row.key
                        ),
                    )
                    .help(crate::lang::Text::new("请填写该单元格", "fill in the cell")),
                );
            }
        }
        named.push((row.row, get(0), get(2)));
        ds.employees.push(Employee {
            id: row.key.clone(),
            name: get(0),
            role: role.to_string(),
            post,
            team: get(2),
            department: if has_department {
                get(3)
            } else {
                String::new()
            },
            origin: table.key_origin(row.row),
        });
    }
    let rows: Vec<file_names::Named> = named
        .iter()
        .zip(&ds.employees)
        .map(|((r, name, team), e)| file_names::Named {
            id: &e.id,
            name,
            team,
            id_at: table.key_origin(*r),
            name_at: table.origin(*r, 0),
            team_at: table.origin(*r, 2),
        })
        .collect();
    file_names::check(&rows, problems);
    ds.employees.sort_by(|a, b| a.id.cmp(&b.id));
    ds.index = ds
        .employees
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id.clone(), i))
        .collect();
}

fn one_per_key(table: &Table, ds: &mut Dataset, problems: &mut Vec<Problem>) {
    let n = ds.employees.len();
    let numeric: Vec<usize> = (0..table.fields.len())
        .filter(|j| {
            table
                .rows
                .iter()
                .all(|r| !matches!(r.values[*j], Some(Value::Text(_)) | Some(Value::Date(_))))
        })
        .collect();
    // Per numeric column: each employee's value and row.
    let mut cols: Vec<(Vec<Option<Decimal>>, Vec<u32>)> =
        vec![(vec![None; n], vec![0; n]); numeric.len()];
    let mut seen: HashMap<&str, u32> = HashMap::new();
    for r in &table.rows {
        if let Some(first) = seen.insert(&r.key, r.row) {
            problems.push(
                Problem::at_cell(
                    &table.key_origin(r.row),
                    crate::t!(
                        "员工 `{}` 在这里有第二行（第一行在第 {} 行）",
                        "employee `{}` has a second row here (first in row {})",
                        r.key,
                        table.row_name(first)
                    ),
                )
                .help(crate::lang::Text::new(
                    "该表中每名员工只保留一行",
                    "keep one row per employee in this sheet",
                )),
            );
            continue;
        }
        if unknown_key(ds, table, r, problems) {
            continue;
        }
        let Some(&emp) = ds.index.get(&r.key) else {
            continue;
        };
        for (&j, col) in numeric.iter().zip(cols.iter_mut()) {
            match &r.values[j] {
                Some(Value::Num(v)) => {
                    col.0[emp] = Some(*v);
                    col.1[emp] = r.row;
                }
                None => {
                    ds.blanks
                        .insert((table.fields[j].clone(), emp), table.origin(r.row, j));
                }
                Some(_) => {}
            }
        }
    }
    for (&j, (values, rows)) in numeric.iter().zip(cols) {
        let name = &table.fields[j];
        let col = column::Column {
            values,
            src: column::ColumnSrc::Cells {
                sheet: table.shared.clone(),
                col: table.cols[j],
                rows,
            },
        };
        if ds.has_metric(name) {
            // The name is taken already (validation refuses a column name
            // in two sources, so this is a defensive path): the values read
            // here are written over the column's, as one column over another.
            let dst = ds.column_mut(name);
            for (emp, c) in col.cells().into_iter().enumerate() {
                if c.is_some() {
                    dst[emp] = c;
                }
            }
        } else {
            ds.columns.insert(name.clone(), col);
        }
    }
}

/// Compute the aggregate metrics over many-rows sources.
fn aggregate(
    config: &Config,
    ds: &mut Dataset,
    many: &HashMap<&str, Table>,
    problems: &mut Vec<Problem>,
) {
    for (name, def) in &config.scheme.metrics {
        let MetricDef::Aggregate(a) = def else {
            continue;
        };
        let Some(table) = many.get(a.input.as_str()) else {
            continue;
        };
        let Some(src) = config.scheme.sources.get(&a.input) else {
            continue;
        };
        let col = tally::metric(config, ds, table, src, name, a, problems);
        ds.metrics.insert(name.clone(), col);
    }
}
