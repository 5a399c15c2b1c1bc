//! The KPI scheme as written in TOML: serde types only. Every table rejects
//! unknown keys, so a misspelt key is an error with its line, not a silent
//! default. Meaning is checked afterwards, in `validate.rs`.

pub use super::column::{Column, ColumnType, TypedColumn};
use super::dec::Dec;
use super::rule::Rule;
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;

/// A whole scheme file.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scheme {
    /// Language of the messages and workbooks for this scheme: "zh" or
    /// "en" (`--lang` overrides it). Left out: messages follow the locale,
    /// else Chinese; workbooks are Chinese.
    #[serde(default)]
    pub lang: Option<crate::lang::Lang>,
    pub period: Period,
    #[serde(default)]
    pub rounding: Rounding,
    #[serde(default)]
    pub inputs: InputLocation,
    pub roster: RosterInput,
    /// Data sheets by id (`[sources.<id>]`).
    #[serde(default)]
    pub sources: BTreeMap<String, SheetInput>,
    /// Derived metrics: aggregates of many-rows inputs, and formulas.
    #[serde(default)]
    pub metrics: BTreeMap<String, MetricDef>,
    pub roles: BTreeMap<String, Role>,
    pub grades: Grades,
    /// Manager comments and decided appeals (`[feedback]`).
    #[serde(default)]
    pub feedback: Option<super::feedback::Feedback>,
    /// AM/PM project reconciliation and credit (`[reconcile]`), optional.
    #[serde(default)]
    pub reconcile: Option<super::reconcile::Reconcile>,
    /// The study's management instruments (`[instruments.*]`).
    #[serde(default)]
    pub instruments: super::instruments::Instruments,
    /// Size limits on the input workbooks (optional).
    #[serde(default)]
    pub limits: super::limits::Limits,
    /// Earlier runs of the same people (`[history]`, issue 18).
    #[serde(default)]
    pub history: Option<super::history::History>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Period {
    /// e.g. `2024Q3`; names the output directory.
    pub id: String,
    #[schemars(with = "String")]
    pub start: toml::value::Datetime,
    #[schemars(with = "String")]
    pub end: toml::value::Datetime,
    /// Dates inside the period at which progress is checked (节点控制).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub checkpoints: Vec<toml::value::Datetime>,
}

/// Rounding mode: 四舍五入 (half away from zero) or banker's (half even).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RoundMode {
    #[default]
    HalfAwayFromZero,
    HalfEven,
}

/// Decimal places kept at each stage; a stage left out is not rounded.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rounding {
    /// Default "half_away_from_zero" (四舍五入); "half_even" is banker's rounding.
    #[serde(default)]
    pub mode: RoundMode,
    /// Completion rate as a fraction (2 places = whole percent).
    pub rate: Option<u32>,
    /// A KPI's score as a fraction of its weight.
    pub score: Option<u32>,
    /// A KPI's weighted score, in points.
    pub weighted: Option<u32>,
    /// The total, in points.
    pub total: Option<u32>,
}

// `[inputs]`: where the workbooks the scheme names are. Named `Inputs` in
// serde's messages (`expecting`: serde names the Rust type otherwise) and the
// JSON schema, as the table is (a `///` comment would become the schema's
// description).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename = "Inputs", expecting = "struct Inputs")]
pub struct InputLocation {
    /// Directory of the workbooks, relative to this file (default: its own).
    #[serde(default)]
    pub dir: Option<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RosterInput {
    pub file: String,
    pub sheet: String,
    /// Default 1: the row of the column headers.
    #[serde(default = "one")]
    pub header_row: u32,
    /// Column headers of the roster's fields.
    pub columns: RosterColumns,
    /// Default none (everyone on the roster). Only the rows whose column
    /// (any header of the roster sheet) holds one of the values are scored,
    /// e.g. `where = { 部门 = "集团客户部" }`; the rest are counted and left
    /// out, and their rows in the other sheets are skipped.
    #[serde(default, rename = "where")]
    pub filter: BTreeMap<String, OneOrMany>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RosterColumns {
    pub id: String,
    pub name: String,
    pub role: String,
    pub team: String,
    /// Default none: no department column (grouping by department then
    /// needs one).
    #[serde(default)]
    pub department: Option<String>,
}

fn one() -> u32 {
    1
}

/// How many rows an employee has in a sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Rows {
    /// One row per employee; each column is a metric.
    #[default]
    OnePerKey,
    /// Many rows per employee (events, logs); metrics aggregate them.
    ManyPerKey,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SheetInput {
    pub file: String,
    pub sheet: String,
    /// Default 1: the row of the column headers.
    #[serde(default = "one")]
    pub header_row: u32,
    /// Header of the employee-id column.
    pub key: String,
    /// Default "one_per_key": one row per employee; "many_per_key" for
    /// events and logs that metrics aggregate.
    #[serde(default)]
    pub rows: Rows,
    /// Engine field name → column header (or a table with its type).
    pub columns: BTreeMap<String, Column>,
}

/// A derived metric.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum MetricDef {
    Aggregate(Aggregate),
    Formula(FormulaMetric),
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FormulaMetric {
    /// An expression over other metrics, e.g. `revenue / revenue_target`.
    pub formula: String,
}

/// An aggregate over a many-rows input, per employee.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Aggregate {
    /// The input (sheet id) whose rows are aggregated.
    pub input: String,
    pub agg: AggKind,
    /// The column aggregated (not needed for `count`).
    #[serde(default)]
    pub field: Option<String>,
    /// Default none (every row). Only rows whose text column equals one of the values.
    #[serde(default, rename = "where")]
    pub filter: BTreeMap<String, OneOrMany>,
    /// Default none (every date). Only rows whose date in this (date)
    /// column lies inside the period.
    #[serde(default)]
    pub in_period: Option<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn values(&self) -> Vec<&str> {
        match self {
            OneOrMany::One(s) => vec![s.as_str()],
            OneOrMany::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AggKind {
    /// Number of rows.
    Count,
    /// Sum of a numeric column.
    Sum,
    /// Number of distinct values of a column.
    Distinct,
    Min,
    Max,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Role {
    /// Display name, e.g. 客户经理.
    pub name: String,
    /// The roster's 岗位 value(s) that mean this role.
    pub roster_value: OneOrMany,
    pub kpis: Vec<Kpi>,
    #[serde(default)]
    pub adjustments: Vec<AdjustmentSection>,
    #[serde(default)]
    pub vetoes: Vec<Veto>,
    /// Team leaders: own KPIs blended with the team's result.
    #[serde(default)]
    pub team_blend: Option<TeamBlend>,
}

/// What a missing actual does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Missing {
    /// Stop with an error naming the employee and the sheet.
    #[default]
    Error,
    /// Score the KPI zero.
    Zero,
    /// Leave the KPI out and scale the other weights up to 100.
    Exclude,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Kpi {
    pub id: String,
    pub name: String,
    /// Points of the role's 100 (never a percentage).
    #[serde(deserialize_with = "super::dec::points")]
    pub weight: Dec,
    /// The metric read as the actual value (not needed by `formula`).
    #[serde(default)]
    pub metric: Option<String>,
    #[serde(default)]
    pub target: Option<Target>,
    pub rule: Rule,
    /// What the actual and target measure (`percent`, `count`, `number`),
    /// for showing them; inferred from the rule when left out.
    #[serde(default)]
    pub unit: Option<super::rule::Unit>,
    /// Default "error": a missing actual stops the run naming the employee
    /// and the sheet; "zero" scores 0; "exclude" re-weights the rest.
    #[serde(default)]
    pub missing: Missing,
    /// A section name, for section caps and section vetoes.
    #[serde(default)]
    pub section: Option<String>,
    /// A one-line explanation shown beside the KPI.
    #[serde(default)]
    pub note: Option<String>,
}

/// A target: a constant, or a per-person metric.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Target {
    Metric { metric: String },
    Value(Dec),
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AdjustmentSection {
    pub id: String,
    pub name: String,
    /// Cap on the section's total, in points either way.
    #[serde(default)]
    pub cap: Option<Dec>,
    pub items: Vec<AdjustmentItem>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AdjustmentItem {
    pub name: String,
    /// A count metric (e.g. events of one type).
    pub metric: String,
    /// Points per event: positive for a bonus, negative for a deduction.
    #[serde(deserialize_with = "super::dec::points")]
    pub points: Dec,
    /// Cap on this item, in points either way.
    #[serde(default)]
    pub cap: Option<Dec>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Veto {
    pub id: String,
    pub name: String,
    /// A condition over metrics, e.g. `violations > 0`.
    pub when: String,
    pub effect: VetoEffect,
    /// For `section_zero`: the KPI section voided.
    #[serde(default)]
    pub section: Option<String>,
    /// For `grade_ceiling`: the best grade still possible.
    #[serde(default)]
    pub grade: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum VetoEffect {
    TotalZero,
    SectionZero,
    GradeCeiling,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamBlend {
    /// Share of the leader's own KPI total (α).
    pub own: Dec,
    /// Share of the team's result (β); α + β = 1.
    pub team: Dec,
    /// Whose totals make the team's result (a role id).
    pub members: String,
    /// What β multiplies: the average total (default) or chosen KPIs.
    #[serde(default)]
    pub of: Option<super::instruments::TeamOf>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Grades {
    /// Grade names, best first, e.g. ["A", "B", "C", "D"].
    pub scale: Vec<String>,
    /// Lowest total for each grade but the last.
    #[serde(default)]
    pub cutoffs: Vec<Cutoff>,
    /// Default none: grades by cut-off only. Forced distribution (强制分布).
    #[serde(default)]
    pub distribution: Option<Distribution>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Cutoff {
    pub grade: String,
    pub min: Dec,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    Company,
    Department,
    Team,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SmallGroups {
    /// Small groups of a role are pooled together into one calibration group
    /// (a pool still smaller than `min_group` is graded by cut-off only).
    Pool,
    /// The default: a group smaller than `min_group` is graded by cut-off
    /// only; its quotas are not enforced, only breaches are flagged.
    #[default]
    Advisory,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OnTie {
    /// Everyone tied on a quota boundary keeps the better grade (the quota is exceeded, and said so).
    #[default]
    Favour,
    /// Everyone tied on a quota boundary gets the worse grade.
    Strict,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Distribution {
    /// The calibration group inside each role: "company", "department" or "team".
    pub group: GroupBy,
    /// Default 5. Quotas apply only to calibration groups of at least this many
    /// people; smaller groups are graded by cut-off only (or pooled, see
    /// `small_groups`), with a grade note saying so. 1 applies quotas to every group.
    #[serde(default = "default_min_group")]
    #[schemars(range(min = 1))]
    pub min_group: usize,
    /// Default "advisory": groups smaller than `min_group` are graded by cut-off
    /// only (quota breaches are flagged); "pool" pools a role's small groups.
    #[serde(default)]
    pub small_groups: SmallGroups,
    /// Default none (the total, then the employee id). Order on the quota
    /// boundary after the total: `kpi:<id>` or a metric.
    #[serde(default)]
    pub tie_break: Vec<String>,
    /// Default "favour": people tied on a quota boundary keep the better grade;
    /// "strict" gives them all the worse one.
    #[serde(default)]
    pub on_tie: OnTie,
    pub quotas: Vec<Quota>,
}

/// The smallest calibration group quotas apply to, unless the scheme says.
pub const DEFAULT_MIN_GROUP: usize = 5;

fn default_min_group() -> usize {
    DEFAULT_MIN_GROUP
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum QuotaRounding {
    Down,
    Up,
    Nearest,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Quota {
    pub grade: String,
    /// At most this share of the group gets this grade.
    #[serde(default)]
    pub max: Option<Dec>,
    /// At least this share of the group gets this grade or worse.
    #[serde(default)]
    pub min: Option<Dec>,
    /// How the head count is rounded (max: down, min: up by default).
    #[serde(default)]
    pub rounding: Option<QuotaRounding>,
}
