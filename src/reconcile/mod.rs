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

/// Field name under which a source's `updated` column is read.
const UPDATED: &str = "\u{0}updated";

/// One project as reconciled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    pub id: String,
    pub name: String,
    /// The sources that report it.
    pub sources: Vec<String>,
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

/// What `run` found and decided.
#[derive(Debug, Clone, Default)]
pub struct Reconciliation {
    /// False when the scheme has no `[reconcile]`: nothing to report.
    pub enabled: bool,
    /// In project-id order.
    pub projects: Vec<Project>,
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
    id: String,
    table: table::Table,
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

    // Observations: project → field → what each source said.
    let mut obs: BTreeMap<String, BTreeMap<String, Vec<Obs>>> = BTreeMap::new();
    let mut present: BTreeMap<String, Vec<(String, Origin)>> = BTreeMap::new();
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for rd in &reads {
        let t = &rd.table;
        let updated = t.field(UPDATED);
        let name_col = t.field("\u{0}name");
        for row in &t.rows {
            let e = present.entry(row.key.clone()).or_default();
            if !e.iter().any(|(s, _)| s == &rd.id) {
                e.push((rd.id.clone(), t.key_origin(row.row)));
            }
            if let Some(Some(Value::Text(n))) = name_col.map(|j| &row.values[j])
                && !names.contains_key(&row.key)
            {
                names.insert(row.key.clone(), n.clone());
            }
            let when = updated.and_then(|j| match &row.values[j] {
                Some(Value::Date(d)) => Some(*d),
                _ => None,
            });
            for (j, field) in t.fields.iter().enumerate() {
                if field.starts_with('\u{0}') {
                    continue;
                }
                if let Some(v) = &row.values[j] {
                    obs.entry(row.key.clone())
                        .or_default()
                        .entry(field.clone())
                        .or_default()
                        .push(Obs {
                            source: rd.id.clone(),
                            value: v.clone(),
                            origin: t.origin(row.row, j),
                            updated: when,
                        });
                }
            }
        }
    }
    let ids: BTreeSet<String> = present.keys().cloned().collect();
    let overrides = match (&r.overrides, &overrides_grid) {
        (Some(input), Some(g)) => r#override::read(input, g, r, &ids, &mut problems),
        _ => BTreeMap::new(),
    };

    // Decide every field of every project.
    let mut projects = Vec::new();
    let mut rows = Vec::new();
    for id in &ids {
        let here: Vec<&String> = present[id].iter().map(|(s, _)| s).collect();
        let expected: BTreeSet<&String> = r.fields.values().flat_map(|f| &f.sources).collect();
        let missing: Vec<String> = expected
            .iter()
            .filter(|s| !here.contains(s))
            .map(|s| s.to_string())
            .collect();
        if !missing.is_empty() {
            let seen: Vec<Obs> = present[id]
                .iter()
                .map(|(s, o)| Obs {
                    source: s.clone(),
                    value: Value::Text("有".into()),
                    origin: o.clone(),
                    updated: None,
                })
                .collect();
            let decision = Decision {
                value: None,
                difference: None,
                differ: true,
                within: false,
                unresolved: false,
                how: policy::How::OnlyIn(here.iter().map(|s| s.to_string()).collect()),
            };
            rows.push(Conflict::new(
                id,
                conflict::PRESENCE,
                seen,
                missing,
                decision,
                None,
                None,
            ));
        }
        let mut project = Project {
            id: id.clone(),
            name: names.get(id).cloned().unwrap_or_default(),
            sources: here.iter().map(|s| s.to_string()).collect(),
            values: BTreeMap::new(),
            people: BTreeMap::new(),
            unresolved: Vec::new(),
            claimants: BTreeMap::new(),
        };
        for (fid, field) in &r.fields {
            let o = obs
                .get(id)
                .and_then(|m| m.get(fid))
                .cloned()
                .unwrap_or_default();
            let decision = policy::decide(field, &o);
            let ov = overrides.get(&(id.clone(), fid.clone())).cloned();
            let missing: Vec<String> = field
                .sources
                .iter()
                .filter(|s| !o.iter().any(|x| &x.source == *s))
                .cloned()
                .collect();
            let c = Conflict::new(
                id,
                fid,
                o,
                missing,
                decision,
                Some(field.policy.clone()),
                ov,
            );
            if let Some(v) = &c.resolved {
                project.values.insert(fid.clone(), v.clone());
            }
            if c.status == Status::Unresolved {
                project.unresolved.push(fid.clone());
            }
            if c.decision.differ || c.overridden.is_some() {
                rows.push(c);
            }
        }
        projects.push(project);
    }

    // People: each role's employee id, checked against the roster.
    let mut named: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    let overridden: HashMap<(&str, &str), &Origin> = rows
        .iter()
        .filter_map(|c| {
            let o = c.overridden.as_ref()?;
            Some(((c.project.as_str(), c.field.as_str()), &o.origin))
        })
        .collect();
    for p in &mut projects {
        for (role, field) in &r.roles {
            let Some(Value::Text(emp_id)) = p.values.get(field) else {
                continue;
            };
            let origin = overridden
                .get(&(p.id.as_str(), field.as_str()))
                .map(|&o| o.clone())
                .or_else(|| {
                    obs.get(&p.id)?
                        .get(field)?
                        .iter()
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
            for o in obs
                .get(&p.id)
                .and_then(|m| m.get(field))
                .into_iter()
                .flatten()
            {
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
    if !problems.is_empty() {
        return Err(Error::Data(problems));
    }

    // Who each row touches.
    for c in &mut rows {
        let emps = named.get(&c.project).cloned().unwrap_or_default();
        c.touches = emps.iter().map(|&e| data.employees[e].id.clone()).collect();
    }
    rows.sort_by(|a, b| {
        (a.status != Status::Unresolved, &a.project, &a.field).cmp(&(
            b.status != Status::Unresolved,
            &b.project,
            &b.field,
        ))
    });
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
        .map(|id| {
            let name = data
                .index
                .get(id)
                .map_or("", |&e| data.employees[e].name.as_str());
            format!("{id} {name}")
        })
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
                    id: id.to_string(),
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
