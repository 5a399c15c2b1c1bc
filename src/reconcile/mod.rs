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
mod project;
pub mod provisional;
mod reading;
pub use conflict::{Conflict, Status};
pub use credit::{CreditLine, ProjectCredit, TeamTotal};
pub use policy::{Decision, Observation};
pub use reading::{ReconciliationSheets, read};

use crate::config::Config;
use crate::config::reconcile::{OnUnresolved, Reconcile};
use crate::error::{Error, Problem, Result};
use crate::ingest::{Dataset, Value};
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

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

/// Reconcile what [`read`] read, credit the employees and add the credited
/// metrics to `data`. One project at a time: its fields are decided, its
/// people checked, its credits computed and its working state dropped
/// before the next.
pub fn run(
    config: &Config,
    data: &mut Dataset,
    read: Option<ReconciliationSheets>,
) -> Result<Reconciliation> {
    decide(config, data, read)?.apply(data)
}

/// What [`decide`] decided, to be added to the data by [`Decided::apply`].
pub struct Decided {
    recon: Reconciliation,
    /// The files read, to join the run's inputs.
    files: Vec<crate::ingest::InputFile>,
    /// The credited metrics, by name.
    metrics: Vec<(String, Vec<Option<crate::ingest::value::Cell>>)>,
    problems: Vec<crate::error::Problem>,
}

impl Decided {
    /// The files read join the run's inputs and the credited metrics the
    /// data; the problems found, if any, stop the run.
    pub fn apply(self, data: &mut Dataset) -> Result<Reconciliation> {
        data.files.extend(self.files);
        if !self.problems.is_empty() {
            return Err(Error::Data(self.problems));
        }
        for (name, col) in self.metrics {
            data.metrics.insert(name, col);
        }
        Ok(self.recon)
    }
}

/// [`run`] less its changes to the data, which it reads only: it can run
/// while other inputs are read beside it ([`crate::pipeline::prepare`]).
pub fn decide(
    config: &Config,
    data: &Dataset,
    read: Option<ReconciliationSheets>,
) -> Result<Decided> {
    let (Some(r), Some(read)) = (&config.scheme.reconcile, read) else {
        return Ok(Decided {
            recon: Reconciliation::default(),
            files: Vec::new(),
            metrics: Vec::new(),
            problems: Vec::new(),
        });
    };
    let ReconciliationSheets {
        mut store,
        overrides: overrides_grid,
        files,
        problems,
    } = read;
    if !problems.is_empty() {
        return Ok(Decided {
            recon: Reconciliation::default(),
            files,
            metrics: Vec::new(),
            problems,
        });
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
    let blank = placeholder_credit(presence.clone());
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
        rows.extend(project::missing_sources_row(
            &pid, &presence, present, &sources, &expected,
        ));
        let mut p = Project {
            id: pid.clone(),
            name: String::new(),
            sources,
            values: BTreeMap::new(),
            people: BTreeMap::new(),
            unresolved: Vec::new(),
            claimants: BTreeMap::new(),
        };
        project::decide_fields(r, &store, at, &fids, &mut overrides, &mut p, &mut rows);

        // People: each role's employee id, checked against the roster.
        let named =
            project::check_people(r, &store, at, data, &mut p, &rows[first..], &mut problems);
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

    settle_rows(r, &mut rows, data)?;

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
    let metrics = credit::metrics(r, &credits, data).into_iter().collect();
    let teams = credit::team_totals(r, &credits, data);
    Ok(Decided {
        recon: Reconciliation {
            enabled: true,
            projects,
            rows,
            credits,
            teams,
            provisional,
        },
        files,
        metrics,
        problems: Vec::new(),
    })
}

/// A credit slot before its project is reconciled: every slot is filled in
/// by the per-project loop of [`run`].
fn placeholder_credit(project: Id) -> ProjectCredit {
    ProjectCredit {
        credit: 0,
        project,
        base: None,
        per: None,
        date: None,
        in_period: false,
        lines: Box::new([]),
        counted_once: rust_decimal::Decimal::ZERO,
        provisional: false,
    }
}

/// Sorts the rows (unresolved first, then by project and field) and, when
/// the scheme says an unresolved conflict fails the run, fails it.
fn settle_rows(r: &Reconcile, rows: &mut Vec<Conflict>, data: &Dataset) -> Result<()> {
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
    Ok(())
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
    let (who_zh, who_en) = if who.is_empty() {
        ("无人计入".to_string(), "nobody credited".to_string())
    } else {
        (who.join("、"), who.join(", "))
    };
    let msg = crate::t!(
        "项目 `{0}` 字段 `{1}`：各数据来源的差异超出容差，而规则是 needs_decision（需人工裁定）：{2}；涉及 {who_zh}",
        "project `{0}` field `{1}`: the sources disagree beyond the tolerance and the policy is needs_decision: {2}; affects {who_en}",
        c.project,
        r.field_label(&c.field),
        said.join(" / ")
    );
    let help = match &r.overrides {
        Some(o) => crate::t!(
            "在 {0} [{1}] 中加一行（项目编号, 字段, 值, 原因, 决定人, 日期），或在 [reconcile] 中设 on_unresolved = \"provisional\"",
            "add a row to {0} [{1}] (项目编号, 字段, 值, 原因, 决定人, 日期), or set on_unresolved = \"provisional\" in [reconcile]",
            o.file,
            o.sheet
        ),
        None => crate::lang::Text::new(
            "添加一个写有 HR 裁定的裁定工作簿（[reconcile] overrides = { file = \"overrides.xlsx\" }），或设 on_unresolved = \"provisional\"",
            "add an overrides workbook ([reconcile] overrides = { file = \"overrides.xlsx\" }) with HR's decision, or set on_unresolved = \"provisional\"",
        ),
    };
    match c.obs.first() {
        Some(o) => Problem::at_cell(&o.origin, msg).help(help),
        None => Problem::nowhere(msg).help(help),
    }
}
