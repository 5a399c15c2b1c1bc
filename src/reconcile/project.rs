//! The per-project work of reconciliation: for one project, the row for
//! sources that do not report it, the decision on each field, and each
//! role's employee checked against the roster.

use super::r#override::Override;
use super::reading::Store;
use super::{Conflict, Decision, Id, Observation, Project, Status, policy};
use crate::config::reconcile::Reconcile;
use crate::error::{Origin, Problem};
use crate::ingest::{Dataset, Value};
use std::collections::{BTreeMap, BTreeSet};

/// The row for the expected sources that do not report the project at all
/// (`present` are those that do), if any are missing.
pub(super) fn missing_sources_row(
    pid: &Id,
    presence: &Id,
    present: Vec<(Id, Origin)>,
    sources: &[Id],
    expected: &BTreeSet<&String>,
) -> Option<Conflict> {
    let missing: Vec<Id> = expected
        .iter()
        .filter(|s| !sources.iter().any(|h| **h == ***s))
        .map(|s| Id::from(s.as_str()))
        .collect();
    if !missing.is_empty() {
        let how = policy::How::OnlyIn(sources.to_vec());
        let seen: Vec<Observation> = present
            .into_iter()
            .map(|(source, origin)| Observation {
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
        return Some(Conflict::new(
            pid.clone(),
            presence.clone(),
            seen,
            missing,
            decision,
            None,
        ));
    }
    None
}

/// Decides every field of the project: its resolved values and unresolved
/// fields go into `p`, a row for each field whose sources differ or that HR
/// overrode into `rows`.
pub(super) fn decide_fields(
    r: &Reconcile,
    store: &Store,
    at: &[(u32, u32, u32)],
    fids: &[Id],
    overrides: &mut BTreeMap<(String, String), Override>,
    p: &mut Project,
    rows: &mut Vec<Conflict>,
) {
    let pid = p.id.clone();
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
}

/// Each role's employee id (`r.roles`), checked against the roster into
/// `p.people` (a problem when not there or of another role); `rows` are the
/// project's rows so far. Returns everyone the project touches: the people
/// any source names in a role, and the people it credits.
pub(super) fn check_people(
    r: &Reconcile,
    store: &Store,
    at: &[(u32, u32, u32)],
    data: &Dataset,
    p: &mut Project,
    rows: &[Conflict],
    problems: &mut Vec<Problem>,
) -> BTreeSet<usize> {
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
        let origin = rows
            .iter()
            .find(|c| *c.field == **field)
            .and_then(|c| c.overridden.as_ref())
            .map(|o| o.origin.clone())
            .or_else(|| {
                said.iter()
                    .find(|o| o.value.text() == Some(emp_id))
                    .map(|o| o.origin.clone())
            });
        let at = |msg: crate::lang::Text, help: crate::lang::Text| match &origin {
            Some(o) => Problem::at_cell(o, msg).help(help),
            None => Problem::nowhere(msg).help(help),
        };
        match data.index.get(emp_id) {
            None => problems.push(at(
                crate::t!(
                    "项目 `{0}`：员工 `{emp_id}`（{role}）不在花名册中",
                    "project `{0}`: employee `{emp_id}` ({role}) is not in the roster",
                    p.id
                ),
                crate::lang::Text::new(
                    "改正项目报表中的工号，或把该员工加入花名册",
                    "correct the id in the project report, or add the employee to the roster",
                ),
            )),
            Some(&emp) if data.employees[emp].role != *role => problems.push(at(
                crate::t!(
                    "项目 `{0}`：`{emp_id}` 被写成 {role}，但花名册里是 {1}",
                    "project `{0}`: `{emp_id}` is named as {role} but is a {1} in the roster",
                    p.id,
                    data.employees[emp].role
                ),
                crate::lang::Text::new(
                    "改正项目报表中的工号",
                    "correct the id in the project report",
                ),
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
    named
}
