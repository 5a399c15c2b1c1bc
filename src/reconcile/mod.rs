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
use crate::score::{GradeNote, Outcome};
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

impl Reconciliation {
    /// Note "provisional" on everyone scored with an unresolved conflict.
    pub fn mark(&self, outcome: &mut Outcome) {
        for p in &mut outcome.people {
            if let Some(why) = self.provisional.get(&p.emp) {
                p.grade_notes
                    .push(GradeNote::Provisional { why: why.clone() });
            }
        }
    }
}

fn date_of(d: &toml::value::Datetime) -> Option<NaiveDate> {
    let d = d.date?;
    NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
}

/// A source's sheet, read.
struct Read {
    id: Id,
    table: table::Table,
}

/// Where each project is reported: its rows in the sources' tables, read
/// on demand instead of copied into maps of observations.
struct Found<'a> {
    reads: &'a [Read],
    /// Project id → (read, row) of every row reporting it, in reading order.
    rows: BTreeMap<&'a str, Vec<(u32, u32)>>,
    /// Per read: where its table holds what `Found` reads.
    cols: Vec<Cols>,
}

/// The columns of one source's table.
struct Cols {
    /// Of each reconciled field, in `Reconcile::fields` order.
    fields: Vec<Option<usize>>,
    updated: Option<usize>,
    name: Option<usize>,
}

impl<'a> Found<'a> {
    fn new(reads: &'a [Read], r: &Reconcile) -> Found<'a> {
        let mut rows: BTreeMap<&str, Vec<(u32, u32)>> = BTreeMap::new();
        for (i, rd) in reads.iter().enumerate() {
            for (j, row) in rd.table.rows.iter().enumerate() {
                rows.entry(row.key.as_str())
                    .or_default()
                    .push((i as u32, j as u32));
            }
        }
        let cols = reads
            .iter()
            .map(|rd| {
                let t = &rd.table;
                let fields = r.fields.keys().map(|f| t.field(f)).collect();
                Cols {
                    fields,
                    updated: t.field(UPDATED),
                    name: t.field("\u{0}name"),
                }
            })
            .collect();
        Found { reads, rows, cols }
    }

    fn rows(&self, id: &str) -> impl Iterator<Item = (usize, &'a table::Row)> + '_ {
        self.rows
            .get(id)
            .into_iter()
            .flatten()
            .map(|&(i, j)| (i as usize, &self.reads[i as usize].table.rows[j as usize]))
    }

    /// The sources reporting the project, each with its first row's key cell.
    fn present(&self, id: &str) -> Vec<(Id, Origin)> {
        let mut out: Vec<(Id, Origin)> = Vec::new();
        for (i, row) in self.rows(id) {
            let rd = &self.reads[i];
            if !out.iter().any(|(s, _)| *s == rd.id) {
                out.push((rd.id.clone(), rd.table.key_origin(row.row)));
            }
        }
        out
    }

    /// The first project name any row gives.
    fn name(&self, id: &str) -> Option<&'a str> {
        self.rows(id)
            .find_map(|(i, row)| match self.cols[i].name.map(|j| &row.values[j]) {
                Some(Some(Value::Text(n))) => Some(n.as_str()),
                _ => None,
            })
    }

    /// What each source said of field `fi` (index in `Reconcile::fields`).
    fn obs(&self, id: &str, fi: usize) -> Vec<Obs> {
        let mut out = Vec::new();
        for (i, row) in self.rows(id) {
            let Cols {
                fields, updated, ..
            } = &self.cols[i];
            let Some(j) = fields[fi] else { continue };
            let Some(v) = &row.values[j] else { continue };
            let rd = &self.reads[i];
            out.push(Obs {
                source: rd.id.clone(),
                value: v.clone(),
                origin: rd.table.origin(row.row, j),
                updated: updated.and_then(|u| match &row.values[u] {
                    Some(Value::Date(d)) => Some(*d),
                    _ => None,
                }),
            });
        }
        out
    }
}

/// Read the project sheets and the overrides, reconcile, credit.
pub fn run(config: &Config, data: &mut Dataset) -> Result<Reconciliation> {
    let Some(r) = &config.scheme.reconcile else {
        return Ok(Reconciliation::default());
    };
    let mut problems = Vec::new();
    let (reads, overrides_grid) = read_sheets(config, r, data, &mut problems);
    if !problems.is_empty() {
        return Err(Error::Data(problems));
    }

    let found = Found::new(&reads, r);
    let fids: Vec<Id> = r.fields.keys().map(|f| Id::from(f.as_str())).collect();
    let presence = Id::from(conflict::PRESENCE);
    let mut overrides = match (&r.overrides, &overrides_grid) {
        (Some(input), Some(g)) => {
            let ids: BTreeSet<&str> = found.rows.keys().copied().collect();
            r#override::read(input, g, r, &ids, &mut problems)
        }
        _ => BTreeMap::new(),
    };
    drop(overrides_grid);
    let expected: BTreeSet<&String> = r.fields.values().flat_map(|f| &f.sources).collect();

    // Decide every field of every project.
    let mut projects = Vec::with_capacity(found.rows.len());
    let mut rows = Vec::new();
    for &id in found.rows.keys() {
        let pid = Id::from(id);
        let present = found.present(id);
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
        let mut project = Project {
            id: pid.clone(),
            name: found.name(id).unwrap_or_default().to_string(),
            sources,
            values: BTreeMap::new(),
            people: BTreeMap::new(),
            unresolved: Vec::new(),
            claimants: BTreeMap::new(),
        };
        for (fi, (fid, field)) in r.fields.iter().enumerate() {
            let o = found.obs(id, fi);
            let decision = policy::decide(field, &o);
            let ov = overrides
                .remove(&(id.to_string(), fid.clone()))
                .map(Box::new);
            let missing: Vec<Id> = field
                .sources
                .iter()
                .filter(|s| !o.iter().any(|x| *x.source == ***s))
                .map(|s| Id::from(s.as_str()))
                .collect();
            let mut c = Conflict::new(pid.clone(), fids[fi].clone(), o, missing, decision, ov);
            if let Some(v) = c.resolved() {
                project.values.insert(fid.clone(), v.clone());
            }
            if c.status == Status::Unresolved {
                project.unresolved.push(fid.clone());
            }
            if c.decision.differ || c.overridden.is_some() {
                c.obs.shrink_to_fit();
                rows.push(c);
            }
        }
        projects.push(project);
    }

    // People: each role's employee id, checked against the roster.
    let mut named: BTreeMap<Id, BTreeSet<usize>> = BTreeMap::new();
    let overridden: HashMap<(&str, &str), &Origin> = rows
        .iter()
        .filter_map(|c| {
            let o = c.overridden.as_ref()?;
            Some(((&*c.project, &*c.field), &o.origin))
        })
        .collect();
    for p in &mut projects {
        for (role, field) in &r.roles {
            let Some(Value::Text(emp_id)) = p.values.get(field) else {
                continue;
            };
            let said = r
                .fields
                .keys()
                .position(|f| f == field)
                .map(|fi| found.obs(&p.id, fi))
                .unwrap_or_default();
            let origin = overridden
                .get(&(&*p.id, field.as_str()))
                .map(|&o| o.clone())
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
                    named.entry(p.id.clone()).or_default().insert(e);
                    if data.employees[e].role == *role {
                        p.claimants.entry(role.clone()).or_default().insert(e);
                    }
                }
            }
        }
        if let Some(set) = named.get_mut(&p.id) {
            set.extend(p.people.values().copied());
        } else {
            named.insert(p.id.clone(), p.people.values().copied().collect());
        }
    }
    drop(overridden);
    drop(found);
    drop(reads);
    if !problems.is_empty() {
        return Err(Error::Data(problems));
    }

    // Who each row touches.
    for c in &mut rows {
        c.touches = named
            .get(&c.project)
            .map(|s| s.iter().copied().collect())
            .unwrap_or_default();
    }
    drop(named);
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

    let period = (
        date_of(&config.scheme.period.start).unwrap_or(NaiveDate::MIN),
        date_of(&config.scheme.period.end).unwrap_or(NaiveDate::MAX),
    );
    let credits = credit::compute(r, &projects, period);
    let provisional = provisional::people(config, r, &projects, &credits, data)
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
    // The reports read only each project's id and name.
    let projects = projects
        .into_iter()
        .map(|p| ProjectName {
            id: p.id,
            name: p.name,
        })
        .collect::<Vec<_>>();
    // Collected in place into the working projects' (larger) buffer: give it back.
    let mut projects = projects;
    projects.shrink_to_fit();
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
    data: &mut Dataset,
    problems: &mut Vec<Problem>,
) -> (Vec<Read>, Option<Grid>) {
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
    let mut reads = Vec::new();
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
            // Read row by row: the sheet is never held besides its table.
            let read = table::read_sheet(&mut wb, &s.sheet, s.header_row, &s.key, &wants, problems);
            let t = match read {
                Ok(t) => t,
                Err(p) => {
                    problems.push(p);
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
            if let Some(t) = t {
                reads.push(Read {
                    id: Id::from(id),
                    table: t,
                });
            }
        }
        data.files.push(InputFile {
            path: path.display().to_string(),
            sha256: wb.sha256.clone(),
            bytes: wb.bytes,
            sheets,
        });
    }
    (reads, overrides)
}
