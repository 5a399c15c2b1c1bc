//! `Conflict`: one row of the 对账 sheet, a project × field on which the
//! sources differ (or a project some source does not report), with what
//! each source said, the policy, the resolved value and any override.

use super::Id;
use super::r#override::Override;
use super::policy::{Decision, Observation};
use crate::config::reconcile::{Policy, Reconcile};
use crate::ingest::Value;

/// The field id of a row about a project missing from a source.
pub const PRESENCE: &str = "项目";

/// How a row was settled, in the order the 对账 sheet lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// Outside the tolerance, `needs_decision`, no override.
    Unresolved,
    /// HR's override decided it.
    Overridden,
    /// Outside the tolerance; the policy decided it.
    ByPolicy,
    /// The sources differ, inside the tolerance.
    WithinTolerance,
    /// The project is missing from some source.
    Missing,
}

impl Status {
    pub fn label_zh(self) -> &'static str {
        match self {
            Status::Unresolved => "未决（待裁定）",
            Status::Overridden => "人工裁定",
            Status::ByPolicy => "按策略解决",
            Status::WithinTolerance => "容差内",
            Status::Missing => "来源缺失",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub project: Id,
    /// A field of `[reconcile.fields]`, or `PRESENCE`.
    pub field: Id,
    /// What each source reported, in the field's source order.
    pub obs: Vec<Observation>,
    /// Sources of the field that do not report the project.
    pub missing: Vec<Id>,
    pub decision: Decision,
    pub overridden: Option<Box<Override>>,
    pub status: Status,
    /// The employees (indices) the project credits or names.
    pub touches: Vec<usize>,
}

impl Conflict {
    pub fn new(
        project: Id,
        field: Id,
        obs: Vec<Observation>,
        missing: Vec<Id>,
        decision: Decision,
        overridden: Option<Box<Override>>,
    ) -> Conflict {
        let status = if &*field == PRESENCE {
            Status::Missing
        } else if overridden.is_some() {
            Status::Overridden
        } else if decision.unresolved {
            Status::Unresolved
        } else if decision.within {
            Status::WithinTolerance
        } else {
            Status::ByPolicy
        };
        Conflict {
            project,
            field,
            obs,
            missing,
            decision,
            overridden,
            status,
            touches: Vec::new(),
        }
    }

    /// The value used: the override's, else the decision's.
    pub fn resolved(&self) -> Option<&Value> {
        self.overridden
            .as_ref()
            .map(|o| &o.value)
            .or(self.decision.value.as_ref())
    }

    /// Is this the row of a project missing from a source?
    pub fn is_presence(&self) -> bool {
        &*self.field == PRESENCE
    }

    /// The field's policy (none for a project missing from a source).
    pub fn policy<'a>(&self, r: &'a Reconcile) -> Option<&'a Policy> {
        if self.is_presence() {
            return None;
        }
        r.fields.get(&*self.field).map(|f| &f.policy)
    }
}

/// A value as written in the 对账 sheet.
pub fn show(v: &Value) -> String {
    match v {
        Value::Num(n) => n.normalize().to_string(),
        Value::Text(t) => t.clone(),
        Value::Date(d) => d.to_string(),
    }
}
