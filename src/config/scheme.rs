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
    /// Instead of `field`, for sum, mean, min and max: a value computed
    /// from each row, e.g. `"answered - requested"` (days between two
    /// dates). A row where it needs a blank cell is left out.
    #[serde(default)]
    pub value: Option<String>,
    /// Default none (every row). Only the rows that meet it: a table of
    /// text columns and the value(s) each must equal (`{ kind = "方案" }`),
    /// or a row condition (`"answered - requested <= 3"`, `"amount > 50
    /// and kind == '方案'"`, `"between(requested, '2024-08-01',
    /// '2024-08-31')"`). A row where the condition needs a blank cell does
    /// not count.
    #[serde(default, rename = "where")]
    pub filter: Where,
    /// Default none (every date). Only rows whose date in this (date)
    /// column lies inside the period.
    #[serde(default)]
    pub in_period: Option<String>,
}

/// A derived metric's `where`: text columns and their values, or a row
/// condition in the formula language.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Where {
    /// e.g. `{ kind = "方案" }` or `{ kind = ["方案", "报价"] }`.
    Equals(BTreeMap<String, OneOrMany>),
    /// e.g. `"answered - requested <= 3"`.
    Condition(String),
}

impl Default for Where {
    fn default() -> Self {
        Where::Equals(BTreeMap::new())
    }
}

impl Where {
    /// The text columns and values of the table form (none for a condition).
    pub fn equals(&self) -> impl Iterator<Item = (&String, &OneOrMany)> {
        match self {
            Where::Equals(m) => Some(m.iter()),
            Where::Condition(_) => None,
        }
        .into_iter()
        .flatten()
    }

    /// The row condition, if written as one.
    pub fn condition(&self) -> Option<&str> {
        match self {
            Where::Condition(c) => Some(c),
            Where::Equals(_) => None,
        }
    }

    /// Nothing is filtered.
    pub fn is_empty(&self) -> bool {
        matches!(self, Where::Equals(m) if m.is_empty())
    }
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AggKind {
    /// Number of rows.
    Count,
    /// Sum of a numeric column (or of a row `value`).
    Sum,
    /// Average of a numeric column (or of a row `value`) over the rows
    /// counted; missing when no row counts.
    Mean,
    /// Number of distinct values of a column.
    Distinct,
    Min,
    Max,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Role {
    /// Required. Display name, e.g. 客户经理.
    pub name: String,
    /// Required. The roster's 岗位 value(s) that mean this role.
    pub roster_value: OneOrMany,
    /// Default none. Another role (its id) whose KPIs this role takes, all
    /// of them, with their weights; a `[[kpis]]` table whose `id` or `from`
    /// names one of them changes only the keys it writes (issue 19).
    #[serde(default)]
    pub kpis_from: Option<String>,
    /// Default none (every KPI of `kpis_from`). Ids of the KPIs of
    /// `kpis_from` this role leaves out.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// The `[[kpis]]` tables as written: own KPIs, KPIs of another role
    /// taken with `from = "role.kpi"`, and changes to KPIs taken with
    /// `kpis_from`. Read [`Role::kpis`], which resolves them.
    #[serde(default, rename = "kpis")]
    #[schemars(with = "Vec<Kpi>")]
    pub written: Vec<KpiEntry>,
    /// The role's KPIs, resolved from `kpis_from`, `from` and its own
    /// tables (`config::shared`), in the order scored and shown.
    #[serde(skip)]
    #[schemars(skip)]
    pub kpis: Vec<Kpi>,
    /// Default none. Bonus and deduction sections, in points.
    #[serde(default)]
    pub adjustments: Vec<AdjustmentSection>,
    /// Default none. Conditions that void the total, a section or cap the grade.
    #[serde(default)]
    pub vetoes: Vec<Veto>,
    /// Default none. Team leaders: own KPIs blended with the team's result.
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
    /// Required (unless `from` names the KPI): the KPI's id, unique in the
    /// role; a KPI taken from another role keeps its id.
    pub id: String,
    /// Required (unless taken with `from`): the KPI's name as people read it.
    pub name: String,
    /// Required (unless taken with `from`): points of the role's 100
    /// (never a percentage).
    #[serde(deserialize_with = "super::dec::points")]
    #[schemars(with = "super::dec::Points")]
    pub weight: Dec,
    /// Default none: the metric read as the actual value (only a `formula`
    /// rule can do without one).
    #[serde(default)]
    pub metric: Option<String>,
    /// Default none; required by ratio, inverse, gate, growth and rules on
    /// the rate. A constant (`0.95`, `"95%"`, `60`) or `{ metric = "<id>" }`.
    #[serde(default)]
    pub target: Option<Target>,
    /// Required (unless taken with `from`): how the KPI is scored,
    /// `{ type = "ratio", cap = 1.2 }`; each type has its own keys.
    pub rule: Rule,
    /// What the actual and target measure (`percent`, `count`, `number`),
    /// for showing them; inferred from the rule when left out.
    #[serde(default)]
    pub unit: Option<super::rule::Unit>,
    /// Default "error": a missing actual stops the run naming the employee
    /// and the sheet; "zero" scores 0; "exclude" re-weights the rest.
    #[serde(default)]
    pub missing: Missing,
    /// Default none. A section name, for section caps and section vetoes.
    #[serde(default)]
    pub section: Option<String>,
    /// Default none. A one-line explanation shown beside the KPI.
    #[serde(default)]
    pub note: Option<String>,
    /// Set when the KPI is another role's (`kpis_from` or `from`): whose
    /// it is and what this role changed; never read from the file.
    #[serde(skip)]
    #[schemars(skip)]
    pub shared: Option<Shared>,
}

/// Where a shared KPI comes from (issue 19), for `explain` and the workbooks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shared {
    /// The role it is taken from (an id).
    pub role: String,
    /// The keys this role writes over, in the order of the KPI's keys.
    pub changed: Vec<String>,
}

/// A `[[roles.<id>.kpis]]` table as written, every key optional: an own
/// KPI needs `id`, `name`, `weight` and `rule` (`config::shared` says so
/// when one is missing); a KPI taken from another role needs only `from`
/// (or, under `kpis_from`, the `id` it changes). The JSON schema describes
/// it as [`Kpi`] plus `from`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename = "Kpi", expecting = "struct Kpi")]
pub struct KpiEntry {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "super::dec::points_opt")]
    pub weight: Option<Dec>,
    #[serde(default)]
    pub metric: Option<String>,
    #[serde(default)]
    pub target: Option<Target>,
    #[serde(default)]
    pub rule: Option<Rule>,
    #[serde(default)]
    pub unit: Option<super::rule::Unit>,
    #[serde(default)]
    pub missing: Option<Missing>,
    #[serde(default)]
    pub section: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub from: Option<String>,
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
    /// Default none (no cap). Cap on the section's total, in points either
    /// way (never a percentage).
    #[serde(default, deserialize_with = "super::dec::points_opt")]
    #[schemars(with = "Option<super::dec::Points>")]
    pub cap: Option<Dec>,
    pub items: Vec<AdjustmentItem>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AdjustmentItem {
    pub name: String,
    /// A count metric (e.g. events of one type).
    pub metric: String,
    /// Required. Points per event: positive for a bonus, negative for a
    /// deduction (never a percentage).
    #[serde(deserialize_with = "super::dec::points")]
    #[schemars(with = "super::dec::Points")]
    pub points: Dec,
    /// Default none (no cap). Cap on this item, in points either way
    /// (never a percentage).
    #[serde(default, deserialize_with = "super::dec::points_opt")]
    #[schemars(with = "Option<super::dec::Points>")]
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
    /// The lowest total, in points (never a percentage), for this grade.
    #[serde(deserialize_with = "super::dec::points")]
    #[schemars(with = "super::dec::Points")]
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
