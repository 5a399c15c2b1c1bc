//! Reconciliation: the stage between ingest and score. Account managers,
//! project managers and the system of record report on the same projects
//! and disagree; this reads their sheets (`[reconcile.sources]`), compares
//! each field, settles it by tolerance, policy or HR's override, credits
//! the resolved figures to the people on each project, and inserts the
//! credited values into `Dataset.metrics`, so KPIs read them like any other
//! metric. Every difference is kept as a row for the 对账 sheet; a conflict
//! that needs a decision and has none either stops the run (exit 65) or is
//! scored provisionally, as the scheme says.

pub mod conflict;
pub mod credit;
pub mod r#override;
pub mod policy;
pub mod provisional;

pub use conflict::{Conflict, Status};
pub use credit::{CreditLine, ProjectCredit, TeamTotal};
pub use policy::{Decision, Obs};

use crate::config::reconcile::{OnUnresolved, Reconcile};
use crate::config::{ColumnType, Config};
use crate::error::{Error, Origin, Problem, Result};
use crate::ingest::workbook::{Grid, Workbook};
use crate::ingest::{Dataset, InputFile, Value, Want, table};
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

/// Field name under which a source's `updated` column is read.
const UPDATED: &str = "\u{0}updated";

/// A project, source or field id as the reconciliation keeps it: shared,
/// so the thousands of rows, observations and credit lines that name the
/// same id hold one copy of it.
pub type Id = Arc<str>;

/// One project as reconciled: the working state `run` credits from. Only
/// its id and name outlive `run` (`Reconciliation::projects`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    pub id: Id,
    pub name: String,
    /// The sources that report it.
    pub sources: Vec<Id>,
    /// Reconciled value of each field that has one.
    pub values: BTreeMap<String, Value>,
    /// Role id → employee index.
    pub people: BTreeMap<String, usize>,
    /// Fields with an unresolved conflict.
    pub unresolved: Vec<String>,
    /// Role id → everyone any source names in the role (a disputed role
    /// has more than the one in `people`).
    pub claimants: BTreeMap<String, BTreeSet<usize>>,
}

/// A reconciled project as the reports see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectName {
    pub id: Id,
    pub name: String,
}

/// What `run` found and decided.
#[derive(Debug, Clone, Default)]
pub struct Reconciliation {
    /// False when the scheme has no `[reconcile]`: nothing to report.
    pub enabled: bool,
    /// In project-id order.
    pub projects: Vec<ProjectName>,
    /// The 对账 rows: unresolved first, then by project and field.
    pub rows: Vec<Conflict>,
    /// Every credit of every project.
    pub credits: Vec<ProjectCredit>,
    pub teams: Vec<TeamTotal>,
    /// Employees scored provisionally → why (project and field): those
    /// whose scored values read an unresolved field (rule in `provisional`).
    pub provisional: BTreeMap<usize, Vec<String>>,
}

fn date_of(d: &toml::value::Datetime) -> Option<NaiveDate> {
    let d = d.date?;
    NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
}

/// A cell value as the store keeps it: text interned (`Store::texts`).
#[derive(Debug, Clone, Copy)]
enum Cv {
    Num(rust_decimal::Decimal),
    Date(NaiveDate),
    Text(u32),
}

/// One source's rows, reduced to what reconciliation reads: the row
/// number, the reconciled fields and the `updated` date.
struct Source {
    id: Id,
    /// The table's columns and sheets (no rows), for cell origins.
    table: table::Table,
    /// Of each reconciled field (in `Reconcile::fields` order): its column
    /// in `table` and its slot in a row of `vals`.
    fields: Vec<Option<(usize, usize)>>,
    /// Slots per row in `vals`.
    stride: usize,
    /// Per row: its absolute row number.
    rows: Vec<u32>,
    /// Per row (when the source has an `updated` column).
    updated: Vec<Option<NaiveDate>>,
    /// Row-major, `stride` per row.
    vals: Vec<Option<Cv>>,
}

/// Every source's rows, the projects they report and where. Read row by
/// row: no sheet nor typed table is held besides it.
#[derive(Default)]
struct Store {
    sources: Vec<Source>,
    texts: Vec<Arc<str>>,
    /// Project ids (in first-seen order while reading, then sorted).
    ids: Vec<Id>,
    /// The first project name any row gives, by project.
    names: Vec<Option<String>>,
    /// (project, source, row in the source) of every row, in reading order;
    /// after `index`, sorted by project (still in reading order within).
    at: Vec<(u32, u32, u32)>,
}

impl Store {
    /// Sort the projects by id, and the rows by project.
    fn index(&mut self) {
        let mut by_id: Vec<u32> = (0..self.ids.len() as u32).collect();
        by_id.sort_unstable_by(|&a, &b| self.ids[a as usize].cmp(&self.ids[b as usize]));
        let mut rank = vec![0u32; by_id.len()];
        for (k, &p) in by_id.iter().enumerate() {
            rank[p as usize] = k as u32;
        }
        for e in &mut self.at {
            e.0 = rank[e.0 as usize];
        }
        drop(rank);
        // Stable: reading order within a project.
        self.at.sort_by_key(|e| e.0);
        self.ids = by_id
            .iter()
            .map(|&p| self.ids[p as usize].clone())
            .collect();
        let mut names = std::mem::take(&mut self.names);
        self.names = by_id.iter().map(|&p| names[p as usize].take()).collect();
    }

    /// Each project's rows (source, row), in project-id order.
    fn groups(&self) -> impl Iterator<Item = &[(u32, u32, u32)]> + '_ {
        self.at.chunk_by(|a, b| a.0 == b.0)
    }

    fn value(&self, v: Cv) -> Value {
        match v {
            Cv::Num(n) => Value::Num(n),
            Cv::Date(d) => Value::Date(d),
            Cv::Text(t) => Value::Text(self.texts[t as usize].to_string()),
        }
    }

    /// The sources reporting the project, each with its first row's key cell.
    fn present(&self, rows: &[(u32, u32, u32)]) -> Vec<(Id, Origin)> {
        let mut out: Vec<(Id, Origin)> = Vec::new();
        for &(_, i, j) in rows {
            let s = &self.sources[i as usize];
            if !out.iter().any(|(id, _)| *id == s.id) {
                out.push((s.id.clone(), s.table.key_origin(s.rows[j as usize])));
            }
        }
        out
    }

    /// What each source said of field `fi` (index in `Reconcile::fields`).
    fn obs(&self, rows: &[(u32, u32, u32)], fi: usize) -> Vec<Obs> {
        let mut out = Vec::new();
        for &(_, i, j) in rows {
            let s = &self.sources[i as usize];
            let j = j as usize;
            let Some((col, slot)) = s.fields[fi] else {
                continue;
            };
            let Some(v) = s.vals[j * s.stride + slot] else {
                continue;
            };
            out.push(Obs {
                source: s.id.clone(),
                value: self.value(v),
                origin: s.table.origin(s.rows[j], col),
                updated: s.updated.get(j).copied().flatten(),
            });
        }
        out
    }
}

/// Reads one source's rows into the store.
struct Loader<'s> {
    store: &'s mut Store,
    /// Project id → index in `store.ids`.
    projects: &'s mut HashMap<Id, u32>,
    texts: &'s mut HashMap<Arc<str>, u32>,
}

impl Loader<'_> {
    fn text(&mut self, t: String) -> u32 {
        if let Some(&i) = self.texts.get(t.as_str()) {
            return i;
        }
        let t: Arc<str> = Arc::from(t);
        let i = self.store.texts.len() as u32;
        self.store.texts.push(t.clone());
        self.texts.insert(t, i);
        i
    }

    fn project(&mut self, key: String) -> u32 {
        if let Some(&i) = self.projects.get(key.as_str()) {
            return i;
        }
        let id = Id::from(key);
        let i = self.store.ids.len() as u32;
        self.store.ids.push(id.clone());
        self.store.names.push(None);
        self.projects.insert(id, i);
        i
    }
}

/// The reconciliation sheets as read, nothing decided yet. Reading them
/// needs no roster, so [`read`] runs while the other inputs are read.
pub struct Read {
    store: Store,
    overrides: Option<Grid>,
    files: Vec<InputFile>,
    problems: Vec<Problem>,
}

/// Read the sources and the overrides of `[reconcile]`, if configured.
pub fn read(config: &Config) -> Option<Read> {
    let r = config.scheme.reconcile.as_ref()?;
    let mut problems = Vec::new();
    let mut files = Vec::new();
    let (store, overrides) = read_sheets(config, r, &mut files, &mut problems);
    Some(Read {
        store,
        overrides,
        files,
        problems,
    })
}

/// Reconcile what [`read`] read, credit the employees and add the credited
/// metrics to `data`. One project at a time: its fields are decided, its
/// people checked, its credits computed and its working state dropped
/// before the next.
pub fn run(config: &Config, data: &mut Dataset, read: Option<Read>) -> Result<Reconciliation> {
    let (Some(r), Some(read)) = (&config.scheme.reconcile, read) else {
        return Ok(Reconciliation::default());
    };
    let Read {
        mut store,
        overrides: overrides_grid,
        files,
        problems,
    } = read;
    data.files.extend(files);
    if !problems.is_empty() {
        return Err(Error::Data(problems));
    }
    let mut problems = Vec::new();
    store.index();

    let fids: Vec<Id> = r.fields.keys().map(|f| Id::from(f.as_str())).collect();
    let presence = Id::from(conflict::PRESENCE);
    let mut overrides = match (&r.overrides, &overrides_grid) {
        (Some(input), Some(g)) => {
            let ids = &store.ids;
            let known = |id: &str| ids.binary_search_by(|p| (**p).cmp(id)).is_ok();
            r#override::read(input, g, r, &known, &mut problems)
        }
        _ => BTreeMap::new(),
    };
    drop(overrides_grid);
    let expected: BTreeSet<&String> = r.fields.values().flat_map(|f| &f.sources).collect();
    let period = (
        date_of(&config.scheme.period.start).unwrap_or(NaiveDate::MIN),
        date_of(&config.scheme.period.end).unwrap_or(NaiveDate::MAX),
    );
    let crediting = credit::Crediting::new(r, period);
    let np = store.ids.len();
    // Credit-major, as `credit::compute` lists them: filled in below.
    let blank = ProjectCredit {
        credit: 0,
        project: presence.clone(),
        base: None,
        per: None,
        date: None,
        in_period: false,
        lines: Box::new([]),
        counted_once: rust_decimal::Decimal::ZERO,
        provisional: false,
    };
    let mut credits = vec![blank; r.credits.len() * np];
    let mut on = provisional::On::default();
    let mut projects = Vec::with_capacity(np);
    let mut rows = Vec::new();
    let mut names = std::mem::take(&mut store.names);

    for (pi, at) in store.groups().enumerate() {
        let pid = store.ids[pi].clone();
        let first = rows.len();
        // Decide every field.
        let present = store.present(at);
        let sources: Vec<Id> = present.iter().map(|(s, _)| s.clone()).collect();
        let missing: Vec<Id> = expected
            .iter()
            .filter(|s| !sources.iter().any(|h| **h == ***s))
            .map(|s| Id::from(s.as_str()))
            .collect();
        if !missing.is_empty() {
            let how = policy::How::OnlyIn(sources.clone());
            let seen: Vec<Obs> = present
                .into_iter()
                .map(|(source, origin)| Obs {
                    source,
                    value: Value::Text("有".into()),
                    origin,
                    updated: None,
                })
                .collect();
            let decision = Decision {
                value: None,
                difference: None,
                differ: true,
                within: false,
                unresolved: false,
                how,
            };
            rows.push(Conflict::new(
                pid.clone(),
                presence.clone(),
                seen,
                missing,
                decision,
                None,
            ));
        }
        let mut p = Project {
            id: pid.clone(),
            name: String::new(),
            sources,
            values: BTreeMap::new(),
            people: BTreeMap::new(),
            unresolved: Vec::new(),
            claimants: BTreeMap::new(),
        };
        for (fi, (fid, field)) in r.fields.iter().enumerate() {
            let o = store.obs(at, fi);
            let decision = policy::decide(field, &o);
            let ov = overrides
                .remove(&(pid.to_string(), fid.clone()))
                .map(Box::new);
            let missing: Vec<Id> = field
                .sources
                .iter()
                .filter(|s| !o.iter().any(|x| *x.source == ***s))
                .map(|s| Id::from(s.as_str()))
                .collect();
            let mut c = Conflict::new(pid.clone(), fids[fi].clone(), o, missing, decision, ov);
            if let Some(v) = c.resolved() {
                p.values.insert(fid.clone(), v.clone());
            }
            if c.status == Status::Unresolved {
                p.unresolved.push(fid.clone());
            }
            if c.decision.differ || c.overridden.is_some() {
                c.obs.shrink_to_fit();
                rows.push(c);
            }
        }

        // People: each role's employee id, checked against the roster.
        let mut named: BTreeSet<usize> = BTreeSet::new();
        for (role, field) in &r.roles {
            let Some(Value::Text(emp_id)) = p.values.get(field) else {
                continue;
            };
            let said = r
                .fields
                .keys()
                .position(|f| f == field)
                .map(|fi| store.obs(at, fi))
                .unwrap_or_default();
            let origin = rows[first..]
                .iter()
                .find(|c| *c.field == **field)
                .and_then(|c| c.overridden.as_ref())
                .map(|o| o.origin.clone())
                .or_else(|| {
                    said.iter()
                        .find(|o| o.value.text() == Some(emp_id))
                        .map(|o| o.origin.clone())
                });
            let at = |msg: String, help: &str| match &origin {
                Some(o) => Problem::at_cell(o, msg).help(help),
                None => Problem::nowhere(msg).help(help),
            };
            match data.index.get(emp_id) {
                None => problems.push(at(
                    format!(
                        "project `{}`: employee `{emp_id}` ({role}) is not in the roster",
                        p.id
                    ),
                    "correct the id in the project report, or add the employee to the roster",
                )),
                Some(&emp) if data.employees[emp].role != *role => problems.push(at(
                    format!(
                        "project `{}`: `{emp_id}` is named as {role} but is a {} in the roster",
                        p.id, data.employees[emp].role
                    ),
                    "correct the id in the project report",
                )),
                Some(&emp) => {
                    p.people.insert(role.clone(), emp);
                }
            }
            // Everyone any source names in the role is touched by the project.
            for o in &said {
                if let Some(&e) = o.value.text().and_then(|t| data.index.get(t)) {
                    named.insert(e);
                    if data.employees[e].role == *role {
                        p.claimants.entry(role.clone()).or_default().insert(e);
                    }
                }
            }
        }
        named.extend(p.people.values().copied());
        // Who each of the project's rows touches.
        for c in &mut rows[first..] {
            c.touches = named.iter().copied().collect();
        }

        // Its credits, and who they make provisional.
        for ci in 0..r.credits.len() {
            let pc = crediting.project(ci, &p);
            on.add(r, &p, &pc);
            credits[ci * np + pi] = pc;
        }
        projects.push(ProjectName {
            id: pid,
            name: names[pi].take().unwrap_or_default(),
        });
    }
    drop(store);
    drop(names);
    if !problems.is_empty() {
        return Err(Error::Data(problems));
    }

    rows.sort_by(|a, b| {
        (a.status != Status::Unresolved, &a.project, &a.field).cmp(&(
            b.status != Status::Unresolved,
            &b.project,
            &b.field,
        ))
    });
    rows.shrink_to_fit();
    if r.on_unresolved == OnUnresolved::Fail {
        let unresolved: Vec<Problem> = rows
            .iter()
            .filter(|c| c.status == Status::Unresolved)
            .map(|c| unresolved_problem(r, c, data))
            .collect();
        if !unresolved.is_empty() {
            return Err(Error::Data(unresolved));
        }
    }

    let provisional = on
        .people(config, data)
        .into_iter()
        .map(|(e, why)| {
            let why = why
                .iter()
                .map(|(p, f)| format!("{p} {}", r.field_label(f)))
                .collect();
            (e, why)
        })
        .collect();
    for (name, col) in credit::metrics(r, &credits, data) {
        data.metrics.insert(name, col);
    }
    let teams = credit::team_totals(r, &credits, data);
    Ok(Reconciliation {
        enabled: true,
        projects,
        rows,
        credits,
        teams,
        provisional,
    })
}

/// An unresolved conflict as an error: where, what, whom, what to do.
fn unresolved_problem(r: &Reconcile, c: &Conflict, data: &Dataset) -> Problem {
    let said: Vec<String> = c
        .obs
        .iter()
        .map(|o| {
            format!(
                "{} {} ({})",
                r.source_label(&o.source),
                conflict::show(&o.value),
                o.origin.short()
            )
        })
        .collect();
    let who: Vec<String> = c
        .touches
        .iter()
        .map(|&e| format!("{} {}", data.employees[e].id, data.employees[e].name))
        .collect();
    let msg = format!(
        "project `{}` field `{}`: the sources disagree beyond the tolerance and the policy is needs_decision: {}; affects {}",
        c.project,
        r.field_label(&c.field),
        said.join(" / "),
        if who.is_empty() {
            "nobody credited".into()
        } else {
            who.join(", ")
        }
    );
    let help = match &r.overrides {
        Some(o) => format!(
            "add a row to {} [{}] (项目编号, 字段, 值, 原因, 决定人, 日期), or set on_unresolved = \"provisional\" in [reconcile]",
            o.file, o.sheet
        ),
        None => "add an overrides workbook ([reconcile] overrides = { file = \"overrides.xlsx\" }) with HR's decision, or set on_unresolved = \"provisional\"".into(),
    };
    match c.obs.first() {
        Some(o) => Problem::at_cell(&o.origin, msg).help(help),
        None => Problem::nowhere(msg).help(help),
    }
}

/// Open each file once; read each source's table and the overrides sheet.
fn read_sheets(
    config: &Config,
    r: &Reconcile,
    files: &mut Vec<InputFile>,
    problems: &mut Vec<Problem>,
) -> (Store, Option<Grid>) {
    let mut by_file: BTreeMap<PathBuf, Vec<Option<&str>>> = BTreeMap::new();
    for (id, s) in &r.sources {
        by_file
            .entry(config.input_dir.join(&s.file))
            .or_default()
            .push(Some(id));
    }
    if let Some(o) = &r.overrides {
        by_file
            .entry(config.input_dir.join(&o.file))
            .or_default()
            .push(None);
    }
    let mut store = Store::default();
    let mut projects: HashMap<Id, u32> = HashMap::new();
    let mut texts: HashMap<Arc<str>, u32> = HashMap::new();
    let mut overrides = None;
    for (path, ids) in by_file {
        let mut wb = match Workbook::open_with(&path, &config.scheme.limits) {
            Ok(wb) => wb,
            Err(p) => {
                problems.push(p);
                continue;
            }
        };
        let mut sheets = Vec::new();
        for id in ids {
            let Some(id) = id else {
                let Some(o) = &r.overrides else { continue };
                match wb.grid_continued(&o.sheet, o.header_row.saturating_sub(1)) {
                    Ok(g) => {
                        sheets.extend(g.sheets());
                        overrides = Some(g);
                    }
                    Err(p) => problems.push(p),
                }
                continue;
            };
            let s = &r.sources[id];
            let mut wants: Vec<Want> = s
                .columns
                .iter()
                .map(|(field, col)| Want {
                    field: field.clone(),
                    header: col.header().to_string(),
                    kind: col.kind(),
                    min: col.min().map(|d| d.get()),
                })
                .collect();
            if let Some(u) = &s.updated {
                wants.push(Want {
                    field: UPDATED.into(),
                    header: u.clone(),
                    kind: ColumnType::Date,
                    min: None,
                });
            }
            if let Some(n) = &s.project_name {
                wants.push(Want {
                    field: "\u{0}name".into(),
                    header: n.clone(),
                    kind: ColumnType::Text,
                    min: None,
                });
            }
            // Read row by row into the store: the sheet is never held.
            let i = store.sources.len() as u32;
            let before = store.at.len();
            let mut ld = Loader {
                store: &mut store,
                projects: &mut projects,
                texts: &mut texts,
            };
            let mut layout: Option<Layout> = None;
            let (mut rows, mut updated, mut vals) = (Vec::new(), Vec::new(), Vec::new());
            let read = table::stream(
                &mut wb,
                &s.sheet,
                s.header_row,
                &s.key,
                &wants,
                problems,
                |t, mut row, _| {
                    let l = layout.get_or_insert_with(|| Layout::of(t, r));
                    let p = ld.project(std::mem::take(&mut row.key));
                    ld.store.at.push((p, i, rows.len() as u32));
                    rows.push(row.row);
                    if let Some(u) = l.updated {
                        updated.push(match row.values[u] {
                            Some(Value::Date(d)) => Some(d),
                            _ => None,
                        });
                    }
                    if let Some(n) = l.name
                        && ld.store.names[p as usize].is_none()
                        && let Some(Value::Text(name)) = row.values[n].take()
                    {
                        ld.store.names[p as usize] = Some(name);
                    }
                    for &(col, _) in l.fields.iter().flatten() {
                        let v = match row.values[col].take() {
                            None => None,
                            Some(Value::Num(n)) => Some(Cv::Num(n)),
                            Some(Value::Date(d)) => Some(Cv::Date(d)),
                            Some(Value::Text(t)) => Some(Cv::Text(ld.text(t))),
                        };
                        vals.push(v);
                    }
                },
            );
            let t = match read {
                Ok(t) => t,
                Err(p) => {
                    problems.push(p);
                    store.at.truncate(before);
                    continue;
                }
            };
            let more = t
                .iter()
                .flat_map(|t| t.continued.iter().map(|c| c.to_string()));
            for name in std::iter::once(s.sheet.clone()).chain(more) {
                if !sheets.contains(&name) {
                    sheets.push(name);
                }
            }
            match t {
                Some(t) => {
                    let Layout { fields, stride, .. } = layout.unwrap_or_else(|| Layout::of(&t, r));
                    rows.shrink_to_fit();
                    updated.shrink_to_fit();
                    vals.shrink_to_fit();
                    store.sources.push(Source {
                        id: Id::from(id),
                        table: t,
                        fields,
                        stride,
                        rows,
                        updated,
                        vals,
                    });
                }
                None => store.at.truncate(before),
            }
        }
        files.push(InputFile {
            path: path.display().to_string(),
            sha256: wb.sha256.clone(),
            bytes: wb.bytes,
            sheets,
        });
    }
    store.at.shrink_to_fit();
    store.texts.shrink_to_fit();
    (store, overrides)
}

/// Where a source's table holds what the store keeps.
struct Layout {
    /// See `Source::fields`.
    fields: Vec<Option<(usize, usize)>>,
    stride: usize,
    updated: Option<usize>,
    name: Option<usize>,
}

impl Layout {
    fn of(t: &table::Table, r: &Reconcile) -> Layout {
        let mut stride = 0;
        let fields = r
            .fields
            .keys()
            .map(|f| {
                let col = t.field(f)?;
                stride += 1;
                Some((col, stride - 1))
            })
            .collect();
        Layout {
            fields,
            stride,
            updated: t.field(UPDATED),
            name: t.field("\u{0}name"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_store_lists_projects_by_id_each_with_its_rows_in_reading_order() {
        let mut s = Store::default();
        let mut projects = HashMap::new();
        let mut texts = HashMap::new();
        let mut ld = Loader {
            store: &mut s,
            projects: &mut projects,
            texts: &mut texts,
        };
        // Source 0 reports P2, P1, P2; source 1 reports P3, P2.
        for (src, row, key) in [
            (0, 0, "P2"),
            (0, 1, "P1"),
            (0, 2, "P2"),
            (1, 0, "P3"),
            (1, 1, "P2"),
        ] {
            let p = ld.project(key.to_string());
            ld.store.at.push((p, src, row));
        }
        assert_eq!(ld.text("E1".into()), 0);
        assert_eq!(ld.text("E2".into()), 1);
        assert_eq!(ld.text("E1".into()), 0, "a text is kept once");
        s.names[0] = Some("二号".into());
        s.index();
        let ids: Vec<&str> = s.ids.iter().map(|i| &**i).collect();
        assert_eq!(ids, ["P1", "P2", "P3"]);
        assert_eq!(s.names, [None, Some("二号".to_string()), None]);
        let groups: Vec<Vec<(u32, u32)>> = s
            .groups()
            .map(|g| g.iter().map(|&(_, i, j)| (i, j)).collect())
            .collect();
        assert_eq!(
            groups,
            [vec![(0, 1)], vec![(0, 0), (0, 2), (1, 1)], vec![(1, 0)]]
        );
        assert_eq!(s.value(Cv::Text(1)), Value::Text("E2".into()));
    }
}
