//! `[reconcile]`: how the figures that account managers, project managers and
//! the system of record report on the same project are compared, which value
//! wins, and how a project's figures are credited to the people on it
//! (docs/reconciliation.md). The section is optional; the types are serde only, and
//! `reconcile_check` (called from `validate::check`) says what they cannot: that every
//! source, field and role resolves, that shares total 100 % and that a
//! policy fits the field's type. Each problem names its TOML line.

use super::column::{Column, ColumnType};
use super::dec::Dec;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The whole `[reconcile]` section.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reconcile {
    /// What an unresolved conflict (needs a decision, no override) does.
    #[serde(default)]
    pub on_unresolved: OnUnresolved,
    /// Whether credits may be overlays (双计: every role credited in full).
    #[serde(default)]
    pub allow_overlay: bool,
    /// HR's decisions, which beat every policy.
    #[serde(default)]
    pub overrides: Option<OverridesInput>,
    /// Project sheets by id (`[reconcile.sources.<id>]`), one row per project.
    pub sources: BTreeMap<String, ProjectSource>,
    /// Reconciled fields by id (`[reconcile.fields.<id>]`).
    pub fields: BTreeMap<String, Field>,
    /// Role id → the (text) field that holds the employee id of that role.
    #[serde(default)]
    pub roles: BTreeMap<String, String>,
    /// Per-employee metrics credited from the reconciled projects.
    #[serde(default)]
    pub credits: Vec<Credit>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OnUnresolved {
    /// Stop with exit 65, naming each conflict and the employees it touches.
    #[default]
    Fail,
    /// Score with a provisional value and mark those employees provisional.
    Provisional,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OverridesInput {
    pub file: String,
    #[serde(default = "overrides_sheet")]
    pub sheet: String,
    #[serde(default = "one")]
    pub header_row: u32,
}

fn overrides_sheet() -> String {
    "对账裁定".into()
}

fn one() -> u32 {
    1
}

/// A sheet that reports on projects.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectSource {
    /// Label in the 对账 sheet, e.g. 客户经理报表 (default: the id).
    #[serde(default)]
    pub name: Option<String>,
    pub file: String,
    pub sheet: String,
    #[serde(default = "one")]
    pub header_row: u32,
    /// Header of the project-id column.
    pub key: String,
    /// Header of the project-name column, shown in the 对账 and 项目 sheets.
    #[serde(default)]
    pub project_name: Option<String>,
    /// Header of a date column saying when the row was reported (for `latest`).
    #[serde(default)]
    pub updated: Option<String>,
    /// Field id → column header (or a table with its type).
    pub columns: BTreeMap<String, Column>,
}

/// One reconciled field.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// Label, e.g. 合同金额 (default: the id).
    #[serde(default)]
    pub name: Option<String>,
    /// Sources compared, in order of precedence for ties.
    pub sources: Vec<String>,
    #[serde(default)]
    pub tolerance: Option<Tolerance>,
    pub policy: Policy,
}

/// Differences at most this large are not conflicts: inside if either bound allows it.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tolerance {
    /// In the field's unit (万元, points; days for dates).
    #[serde(default)]
    pub absolute: Option<Dec>,
    /// A fraction of the larger value: 0.01 or "1%".
    #[serde(default)]
    pub relative: Option<Dec>,
}

/// Which value wins when the sources differ beyond the tolerance.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Policy {
    /// The first of these sources that reports the field.
    Prefer(Vec<String>),
    Min,
    Max,
    Mean,
    /// The most recently reported value (each source's `updated` column).
    Latest,
    /// HR must decide (an override); until then the conflict is unresolved.
    NeedsDecision,
}

impl Policy {
    pub fn label(&self) -> String {
        match self {
            Policy::Prefer(v) => format!("prefer {}", v.join(" > ")),
            Policy::Min => "min".into(),
            Policy::Max => "max".into(),
            Policy::Mean => "mean".into(),
            Policy::Latest => "latest".into(),
            Policy::NeedsDecision => "needs_decision".into(),
        }
    }
}

/// The event that earns a credit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    Signed,
    Accepted,
    Collected,
}

impl Trigger {
    pub fn label_zh(self) -> &'static str {
        match self {
            Trigger::Signed => "签约",
            Trigger::Accepted => "验收",
            Trigger::Collected => "回款",
        }
    }
}

/// A credited metric: exactly one of `split`, `overlay`, `shared`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Credit {
    /// The per-employee metric it becomes; KPIs read it like any other.
    pub metric: String,
    /// Label, e.g. 项目签约额 (default: the metric).
    #[serde(default)]
    pub name: Option<String>,
    /// The reconciled (numeric) field credited.
    pub field: String,
    pub trigger: Trigger,
    /// The reconciled date field that puts the credit in the period.
    pub date: String,
    /// Role id → share; the shares total 100 %.
    #[serde(default)]
    pub split: Option<BTreeMap<String, Dec>>,
    /// Roles credited in full (双计); needs `allow_overlay = true`.
    #[serde(default)]
    pub overlay: Option<Vec<String>>,
    /// Roles scored on the same projects (共背): the mean of `field`, or
    /// Σ field ÷ Σ `per` when `per` is given.
    #[serde(default)]
    pub shared: Option<Vec<String>>,
    #[serde(default)]
    pub per: Option<String>,
}

/// How a credit shares a project's figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Share {
    Split(Vec<(String, Decimal)>),
    Overlay(Vec<String>),
    Shared(Vec<String>),
}

impl Credit {
    pub fn share(&self) -> Share {
        if let Some(s) = &self.split {
            Share::Split(s.iter().map(|(r, d)| (r.clone(), d.get())).collect())
        } else if let Some(o) = &self.overlay {
            Share::Overlay(o.clone())
        } else {
            Share::Shared(self.shared.clone().unwrap_or_default())
        }
    }

    pub fn roles(&self) -> Vec<String> {
        match self.share() {
            Share::Split(v) => v.into_iter().map(|(r, _)| r).collect(),
            Share::Overlay(v) | Share::Shared(v) => v,
        }
    }

    pub fn label(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.metric)
    }
}

impl Reconcile {
    /// The type of a field, from its first source that maps it.
    pub fn kind(&self, field: &str) -> Option<ColumnType> {
        let f = self.fields.get(field)?;
        f.sources
            .iter()
            .find_map(|s| self.sources.get(s)?.columns.get(field).map(Column::kind))
    }

    pub fn field_label<'a>(&'a self, field: &'a str) -> &'a str {
        self.fields
            .get(field)
            .and_then(|f| f.name.as_deref())
            .unwrap_or(field)
    }

    pub fn source_label<'a>(&'a self, source: &'a str) -> &'a str {
        self.sources
            .get(source)
            .and_then(|s| s.name.as_deref())
            .unwrap_or(source)
    }
}

#[cfg(test)]
mod tests {
    use crate::config;
    use std::path::Path;

    const BASE: &str = r#"
[period]
id = "T"
start = 2024-07-01
end = 2024-09-30
[roster]
file = "r.xlsx"
sheet = "s"
columns = { id = "工号", name = "姓名", role = "岗位", team = "班组" }
[roles.am]
name = "客户经理"
roster_value = "客户经理"
[[roles.am.kpis]]
id = "signed"
name = "签约"
weight = 100
metric = "credited"
target = 100
rule = { type = "ratio" }
[roles.pm]
name = "项目经理"
roster_value = "项目经理"
[[roles.pm.kpis]]
id = "signed"
name = "签约"
weight = 100
metric = "credited"
target = 100
rule = { type = "ratio" }
[grades]
scale = ["A", "B"]
cutoffs = [{ grade = "A", min = 90 }]
"#;

    const RECON: &str = r#"
[reconcile]
[reconcile.sources.sys]
file = "p.xlsx"
sheet = "台账"
key = "项目编号"
columns = { am = { header = "客户经理", type = "text" }, pm = { header = "项目经理", type = "text" }, value = "合同金额", signed = { header = "签约日期", type = "date" } }
[reconcile.sources.amr]
file = "p.xlsx"
sheet = "AM"
key = "项目编号"
columns = { am = { header = "客户经理", type = "text" }, value = "合同金额" }
[reconcile.fields.am]
sources = ["sys", "amr"]
policy = "needs_decision"
[reconcile.fields.pm]
sources = ["sys"]
policy = "needs_decision"
[reconcile.fields.value]
sources = ["sys", "amr"]
tolerance = { absolute = 0.5 }
policy = { prefer = ["sys", "amr"] }
[reconcile.fields.signed]
sources = ["sys"]
policy = "min"
[reconcile.roles]
am = "am"
pm = "pm"
[[reconcile.credits]]
metric = "credited"
field = "value"
trigger = "signed"
date = "signed"
split = { am = "60%", pm = 0.4 }
"#;

    fn parse(src: &str) -> Result<config::Config, String> {
        config::parse(Path::new("t.toml"), src).map_err(|e| e.to_string())
    }

    #[test]
    fn a_valid_section_registers_the_credited_metric() {
        let c = parse(&format!("{BASE}{RECON}")).expect("valid");
        let r = c.scheme.reconcile.expect("section");
        assert_eq!(r.credits[0].metric, "credited");
    }

    #[test]
    fn shares_not_totalling_100_name_the_line() {
        let src = format!("{BASE}{RECON}").replace("pm = 0.4 }", "pm = 0.3 }");
        let Err(e) = parse(&src) else {
            panic!("the scheme should be rejected")
        };
        let line = src
            .lines()
            .position(|l| l.starts_with("split ="))
            .map(|i| i + 1)
            .expect("line");
        assert!(
            e.contains(&format!("t.toml:{line}:")) && e.contains("total 90%, not 100%"),
            "{e}"
        );
    }

    #[test]
    fn overlay_needs_permission_and_unknown_sources_are_named() {
        let src = format!("{BASE}{RECON}")
            .replace(
                "split = { am = \"60%\", pm = 0.4 }",
                "overlay = [\"am\", \"pm\"]",
            )
            .replace("prefer = [\"sys\", \"amr\"]", "prefer = [\"sys\", \"pmr\"]");
        let Err(e) = parse(&src) else {
            panic!("the scheme should be rejected")
        };
        assert!(
            e.contains("an overlay (双计), which the scheme does not allow"),
            "{e}"
        );
        assert!(
            e.contains("`pmr` is not one of the sources of field `value`"),
            "{e}"
        );
        let ok = src
            .replace("[reconcile]\n", "[reconcile]\nallow_overlay = true\n")
            .replace("\"sys\", \"pmr\"]", "\"sys\", \"amr\"]");
        parse(&ok).expect("overlay allowed");
    }

    #[test]
    fn policies_must_fit_the_type() {
        let src = format!("{BASE}{RECON}")
            .replace(
                "[reconcile.fields.am]\nsources = [\"sys\", \"amr\"]\npolicy = \"needs_decision\"",
                "[reconcile.fields.am]\nsources = [\"sys\", \"amr\"]\npolicy = \"mean\"",
            )
            .replace(
                "policy = \"min\"",
                "policy = \"latest\"\ntolerance = { relative = 0.1 }",
            );
        let Err(e) = parse(&src) else {
            panic!("the scheme should be rejected")
        };
        assert!(e.contains("`mean` needs numbers; field `am` is not"), "{e}");
        assert!(e.contains("policy `latest` needs source `sys`"), "{e}");
        assert!(
            e.contains("field `signed` is a date: only an `absolute` tolerance"),
            "{e}"
        );
    }

    #[test]
    fn a_kpi_on_an_undefined_metric_still_fails_without_the_section() {
        let Err(e) = parse(BASE) else {
            panic!("the scheme should be rejected")
        };
        assert!(e.contains("credited"), "{e}");
    }
}
