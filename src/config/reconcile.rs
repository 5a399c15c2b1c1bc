//! `[reconcile]`: how the figures that account managers, project managers and
//! the system of record report on the same project are compared, which value
//! wins, and how a project's figures are credited to the people on it
//! (docs/reconciliation.md). The section is optional; the types are serde only, and
//! `check` (called from `validate::check`) says what they cannot: that every
//! source, field and role resolves, that shares total 100 % and that a
//! policy fits the field's type. Each problem names its TOML line.

use super::dec::Dec;
use super::locate::{KeyPath, Locator, at};
use super::scheme::{Column, ColumnType, Scheme};
use crate::error::Problem;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

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

fn kind_name(k: ColumnType) -> &'static str {
    match k {
        ColumnType::Number => "number",
        ColumnType::Text => "text",
        ColumnType::Date => "date",
    }
}

/// Check `[reconcile]` and register its credited metrics in `metrics`.
pub fn check(
    s: &Scheme,
    loc: &Locator,
    problems: &mut Vec<Problem>,
    metrics: &mut HashMap<String, KeyPath>,
) {
    let Some(r) = &s.reconcile else {
        return;
    };
    let mut err = |path: &KeyPath, message: String, help: &str| {
        problems.push(Problem::new(loc.find(path), message).help(help));
    };
    let root = at("reconcile");
    if r.sources.is_empty() {
        err(
            &root.key("sources"),
            "`[reconcile]` names no sources".into(),
            "add a `[reconcile.sources.<id>]` table per project sheet",
        );
    }
    for (id, src) in &r.sources {
        let path = root.key("sources").key(id);
        if src.header_row == 0 {
            err(
                &path.key("header_row"),
                "rows are numbered from 1".into(),
                "use 1 for the first row",
            );
        }
        if src.columns.is_empty() {
            err(
                &path.key("columns"),
                format!("source `{id}` maps no columns"),
                "add `field = \"column header\"` lines",
            );
        }
        for (field, col) in &src.columns {
            if !r.fields.contains_key(field) {
                err(
                    &path.key("columns").key(field),
                    format!("column `{field}` of source `{id}` is no reconciled field"),
                    "add a `[reconcile.fields.<id>]` table for it, or remove the column",
                );
            }
            if col.header().trim().is_empty() {
                err(
                    &path.key("columns").key(field),
                    format!("field `{field}` has an empty column header"),
                    "write the header as it appears in the sheet",
                );
            }
        }
    }
    for (id, f) in &r.fields {
        let path = root.key("fields").key(id);
        if f.sources.is_empty() {
            err(
                &path.key("sources"),
                format!("field `{id}` compares no sources"),
                "list the sources that report it, e.g. [\"system\", \"am_report\"]",
            );
        }
        let mut kinds: Vec<(usize, ColumnType)> = Vec::new();
        for (i, sid) in f.sources.iter().enumerate() {
            let p = path.key("sources").index(i);
            match r.sources.get(sid) {
                None => err(
                    &p,
                    format!("field `{id}`: no source `{sid}`"),
                    &format!(
                        "the sources are: {}",
                        r.sources.keys().cloned().collect::<Vec<_>>().join(", ")
                    ),
                ),
                Some(src) => match src.columns.get(id) {
                    None => err(
                        &p,
                        format!("source `{sid}` has no column for field `{id}`"),
                        &format!("add `{id} = \"<header>\"` to [reconcile.sources.{sid}.columns]"),
                    ),
                    Some(c) => kinds.push((i, c.kind())),
                },
            }
        }
        if let Some(&(_, first)) = kinds.first() {
            for &(i, k) in &kinds[1..] {
                if k != first {
                    err(
                        &path.key("sources").index(i),
                        format!(
                            "field `{id}` is a {} in `{}` but a {} here",
                            kind_name(first),
                            f.sources[kinds[0].0],
                            kind_name(k)
                        ),
                        "give the column the same `type` in every source",
                    );
                }
            }
        }
        let kind = kinds.first().map(|k| k.1);
        if let Some(t) = &f.tolerance {
            let tp = path.key("tolerance");
            if t.absolute.is_none() && t.relative.is_none() {
                err(
                    &tp,
                    "a tolerance needs `absolute`, `relative` or both".into(),
                    "e.g. tolerance = { absolute = 0.5, relative = \"1%\" }",
                );
            }
            for (key, v) in [("absolute", t.absolute), ("relative", t.relative)] {
                if v.is_some_and(|v| v.get() < Decimal::ZERO) {
                    err(
                        &tp.key(key),
                        format!("`{key}` tolerance is negative"),
                        "a tolerance is 0 or more",
                    );
                }
            }
            if kind == Some(ColumnType::Text) {
                err(
                    &tp,
                    format!("field `{id}` is text: it has no tolerance"),
                    "remove the tolerance; text values either match or differ",
                );
            }
            if kind == Some(ColumnType::Date) && t.relative.is_some() {
                err(
                    &tp.key("relative"),
                    format!("field `{id}` is a date: only an `absolute` tolerance (days) applies"),
                    "write e.g. tolerance = { absolute = 3 }",
                );
            }
        }
        let pp = path.key("policy");
        match &f.policy {
            Policy::Prefer(order) => {
                if order.is_empty() {
                    err(
                        &pp,
                        "`prefer` lists no sources".into(),
                        "e.g. policy = { prefer = [\"system\", \"am_report\"] }",
                    );
                }
                for (i, sid) in order.iter().enumerate() {
                    if !f.sources.contains(sid) {
                        err(
                            &pp.key("prefer").index(i),
                            format!("`{sid}` is not one of the sources of field `{id}`"),
                            &format!("use one of: {}", f.sources.join(", ")),
                        );
                    }
                }
            }
            Policy::Min | Policy::Max if kind == Some(ColumnType::Text) => err(
                &pp,
                format!(
                    "field `{id}` is text: `{}` does not apply",
                    f.policy.label()
                ),
                "use prefer, latest or needs_decision",
            ),
            Policy::Mean if kind != Some(ColumnType::Number) && kind.is_some() => err(
                &pp,
                format!("`mean` needs numbers; field `{id}` is not"),
                "use prefer, min, max, latest or needs_decision",
            ),
            Policy::Latest => {
                for (i, sid) in f.sources.iter().enumerate() {
                    if r.sources.get(sid).is_some_and(|s| s.updated.is_none()) {
                        err(
                            &path.key("sources").index(i),
                            format!(
                                "policy `latest` needs source `{sid}` to say when a row was reported"
                            ),
                            &format!(
                                "add `updated = \"<date column header>\"` to [reconcile.sources.{sid}]"
                            ),
                        );
                    }
                }
            }
            _ => {}
        }
    }
    for (role, field) in &r.roles {
        let p = root.key("roles").key(role);
        if !s.roles.contains_key(role) {
            err(
                &p,
                format!("no role `{role}`"),
                &format!(
                    "the roles are: {}",
                    s.roles.keys().cloned().collect::<Vec<_>>().join(", ")
                ),
            );
        }
        match r.kind(field) {
            None if !r.fields.contains_key(field) => err(
                &p,
                format!("role `{role}`: no reconciled field `{field}`"),
                "name the field that holds the employee id, e.g. \"am\"",
            ),
            Some(k) if k != ColumnType::Text => err(
                &p,
                format!("role `{role}`: field `{field}` must be text (an employee id)"),
                "declare its columns with type = \"text\"",
            ),
            _ => {}
        }
    }
    for (i, c) in r.credits.iter().enumerate() {
        let p = root.key("credits").index(i);
        let name_ok = {
            let mut ch = c.metric.chars();
            matches!(ch.next(), Some(x) if x.is_alphabetic() || x == '_')
                && c.metric.chars().all(|x| x.is_alphanumeric() || x == '_')
        };
        if !name_ok {
            err(
                &p.key("metric"),
                format!("`{}` cannot be used as a metric name", c.metric),
                "use letters, digits and `_`, starting with a letter",
            );
        } else if metrics.contains_key(&c.metric) {
            err(
                &p.key("metric"),
                format!("metric `{}` is defined twice", c.metric),
                "give the credited metric a name of its own",
            );
        } else {
            metrics.insert(c.metric.clone(), p.key("metric"));
        }
        for (key, field, want) in [
            ("field", Some(&c.field), ColumnType::Number),
            ("date", Some(&c.date), ColumnType::Date),
            ("per", c.per.as_ref(), ColumnType::Number),
        ] {
            let Some(field) = field else { continue };
            match r.kind(field) {
                None => err(
                    &p.key(key),
                    format!("no reconciled field `{field}`"),
                    &format!(
                        "the fields are: {}",
                        r.fields.keys().cloned().collect::<Vec<_>>().join(", ")
                    ),
                ),
                Some(k) if k != want => err(
                    &p.key(key),
                    format!(
                        "`{key}` must be a {} field; `{field}` is a {}",
                        kind_name(want),
                        kind_name(k)
                    ),
                    "pick a field of that type",
                ),
                _ => {}
            }
        }
        let modes = [c.split.is_some(), c.overlay.is_some(), c.shared.is_some()];
        if modes.iter().filter(|m| **m).count() != 1 {
            err(
                &p,
                format!(
                    "credit `{}` needs exactly one of `split`, `overlay`, `shared`",
                    c.metric
                ),
                "split = { account_manager = \"60%\", project_manager = \"40%\" } shares a figure; overlay = [..] credits each role in full; shared = [..] scores roles on the same projects",
            );
        }
        if c.per.is_some() && c.shared.is_none() {
            err(
                &p.key("per"),
                "`per` only applies to `shared` credits".into(),
                "remove `per`, or make the credit shared",
            );
        }
        if let Some(split) = &c.split {
            let total: Decimal = split.values().map(|d| d.get()).sum();
            if total != Decimal::ONE {
                err(
                    &p.key("split"),
                    format!(
                        "the shares of `{}` total {}%, not 100%",
                        c.metric,
                        (total * Decimal::ONE_HUNDRED).normalize()
                    ),
                    "write shares as fractions or percentages (0.6 or \"60%\") that add up to 100%",
                );
            }
            for (role, d) in split {
                if d.get() < Decimal::ZERO {
                    err(
                        &p.key("split").key(role),
                        format!("the share of `{role}` is negative"),
                        "shares are between 0 and 100%",
                    );
                }
            }
        }
        if c.overlay.is_some() && !r.allow_overlay {
            err(
                &p.key("overlay"),
                format!(
                    "credit `{}` is an overlay (双计), which the scheme does not allow",
                    c.metric
                ),
                "set `allow_overlay = true` in [reconcile], or use a split",
            );
        }
        let key = if c.split.is_some() {
            "split"
        } else if c.overlay.is_some() {
            "overlay"
        } else {
            "shared"
        };
        for role in c.roles() {
            if !r.roles.contains_key(&role) {
                err(
                    &p.key(key),
                    format!(
                        "credit `{}`: role `{role}` has no field in [reconcile.roles]",
                        c.metric
                    ),
                    "add `<role> = \"<field with the employee id>\"` to [reconcile.roles]",
                );
            }
        }
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
