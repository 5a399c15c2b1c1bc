//! The study's management instruments (chapter 4) as written in TOML under
//! `[instruments.*]`: the daily routine log (日行事例), checkpoint control
//! (节点控制), weak-spot comparison (短板比对), retention early warning
//! (集团保有预警), product deepening (产品渗透) and the RVC index. Every
//! section is optional; each one that is present adds per-employee metrics
//! that KPIs, adjustments, vetoes and formulas read like any other metric.
//! `instruments_check` validates the sections and declares the metrics they
//! produce.

use super::dec::Dec;
use schemars::JsonSchema;
use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Instruments {
    /// The group customers and their account managers (customers.xlsx).
    #[serde(default)]
    pub customers: Option<CustomerInput>,
    #[serde(default)]
    pub daily_log: Option<DailyLog>,
    #[serde(default)]
    pub checkpoints: Option<Checkpoints>,
    #[serde(default)]
    pub weak_spots: Option<WeakSpotConfig>,
    #[serde(default)]
    pub retention: Option<Retention>,
    #[serde(default)]
    pub products: Option<Products>,
    #[serde(default)]
    pub rvc: Option<Rvc>,
}

fn one() -> u32 {
    1
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerInput {
    pub file: String,
    pub sheet: String,
    #[serde(default = "one")]
    pub header_row: u32,
    pub columns: CustomerColumns,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerColumns {
    /// 客户编码
    pub code: String,
    /// 客户名称
    #[serde(default)]
    pub name: Option<String>,
    /// 客户经理工号: the account manager the customer is assigned to.
    pub account_manager: String,
    /// 合同到期日
    #[serde(default)]
    pub contract_end: Option<String>,
}

/// 日行事例: one row per account manager per working day.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DailyLog {
    pub file: String,
    pub sheet: String,
    #[serde(default = "one")]
    pub header_row: u32,
    pub columns: DailyLogColumns,
    /// The 接触对象 value meaning a key person / contact.
    #[serde(default = "key_person")]
    pub key_person: String,
    /// The 接触对象 value meaning base members (集团基础成员).
    #[serde(default = "base_member")]
    pub base_member: String,
}

fn key_person() -> String {
    "关键人".into()
}

fn base_member() -> String {
    "基础成员".into()
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DailyLogColumns {
    pub id: String,
    pub date: String,
    pub planned: String,
    pub done: String,
    /// Customer codes visited that day, separated by 、 , ; or spaces.
    pub customers: String,
    /// Whom was met at each customer, in the same order (or one value for all).
    pub contacts: String,
    #[serde(default)]
    pub tasks: Option<String>,
}

/// 节点控制: cumulative actuals per month, checked at `[period] checkpoints`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Checkpoints {
    pub file: String,
    pub sheet: String,
    #[serde(default = "one")]
    pub header_row: u32,
    /// Headers of the employee id and the month (`2024-07`).
    pub columns: CheckpointColumns,
    pub series: Vec<Series>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckpointColumns {
    pub id: String,
    pub month: String,
}

/// One measure checked at every checkpoint.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Series {
    /// The metric produced: the combined attainment; `<metric>_cp<k>` is
    /// the attainment at checkpoint k (1-based).
    pub metric: String,
    /// Display name, e.g. 收入序时进度.
    #[serde(default)]
    pub name: Option<String>,
    /// Header of the cumulative-actual column, e.g. 累计收入.
    pub column: String,
    /// The metric holding the period's target.
    pub target: String,
    #[serde(default)]
    pub combine: Combine,
}

/// How the attainments at the checkpoints make one value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Combine {
    /// The mean over the checkpoints with data.
    #[default]
    Mean,
    /// The weakest checkpoint.
    Min,
    /// The last checkpoint with data.
    Last,
}

/// 短板比对: each KPI beside the team's average and best.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WeakSpotConfig {
    /// A KPI score at or below this quantile of the scope is a weak spot.
    pub quantile: Dec,
    #[serde(default)]
    pub scope: WeakScope,
    /// Roles compared (default: every role).
    #[serde(default)]
    pub roles: Vec<String>,
    /// A metric holding each person's number of weak spots, for
    /// adjustments and vetoes (not for KPIs: it is known only after them).
    #[serde(default)]
    pub metric: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum WeakScope {
    /// The quantile is taken over the whole company's people of the role.
    #[default]
    Company,
    /// Over the team's members.
    Team,
}

/// 集团保有预警: warnings from customer-level monthly data.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Retention {
    pub file: String,
    pub sheet: String,
    #[serde(default = "one")]
    pub header_row: u32,
    pub columns: RetentionColumns,
    /// Revenue falls month on month by more than this share.
    #[serde(default)]
    pub revenue_mom: Option<Levels>,
    /// Revenue falls against the same month a year earlier.
    #[serde(default)]
    pub revenue_yoy: Option<Levels>,
    /// Members fall month on month by more than this share.
    #[serde(default)]
    pub member_churn: Option<Levels>,
    /// The contract ends within this many days of the period end.
    #[serde(default)]
    pub contract_days: Option<DayLevels>,
    /// No visit in the daily log for more than this many days at the period end.
    #[serde(default)]
    pub no_visit_days: Option<DayLevels>,
    /// A warning is handled when the customer is visited within this many
    /// days after it is raised.
    #[serde(default = "fifteen")]
    pub handle_days: u32,
}

fn fifteen() -> u32 {
    15
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RetentionColumns {
    pub customer: String,
    pub month: String,
    pub revenue: String,
    pub members: String,
}

/// Thresholds on a fall (as a fraction): above `warn` 一般, above `severe` 严重.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Levels {
    pub warn: Dec,
    pub severe: Dec,
}

/// Thresholds in days.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DayLevels {
    pub warn: u32,
    pub severe: u32,
}

/// 产品渗透: products held against the catalogue.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Products {
    pub file: String,
    pub catalogue: CatalogueSheet,
    pub holdings: HoldingsSheet,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CatalogueSheet {
    pub sheet: String,
    #[serde(default = "one")]
    pub header_row: u32,
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HoldingsSheet {
    pub sheet: String,
    #[serde(default = "one")]
    pub header_row: u32,
    pub customer: String,
    pub product: String,
}

/// RVC 综合效能指数: which formula metrics are the index and its parts.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rvc {
    /// The formula metric holding the index.
    pub index: String,
    pub parts: Vec<RvcPart>,
    /// Roles shown in the RVC sheet (default: every role).
    #[serde(default)]
    pub roles: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RvcPart {
    pub metric: String,
    pub name: String,
    /// The header under `--lang en` (default: `name`).
    #[serde(default)]
    pub name_en: Option<String>,
}

/// What β multiplies in a team leader's blend (`team_blend.of`).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum TeamOf {
    /// `of = "average_total"`: the members' average total (the default).
    Named(TeamOfName),
    /// `of = { kpis = ["revenue", "collection"] }`: the team's average
    /// scores of these KPIs, weighted by their weights, in points of 100.
    Kpis(TeamKpis),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TeamOfName {
    AverageTotal,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamKpis {
    pub kpis: Vec<String>,
}

/// Metrics produced by the daily log.
pub const DAILY_LOG_METRICS: [&str; 9] = [
    "visits_planned",
    "visits_done",
    "visit_completion",
    "customers_assigned",
    "customers_visited",
    "customer_coverage",
    "base_customers_visited",
    "base_coverage",
    "plan_accuracy",
];

/// Metrics produced by the retention warnings.
pub const RETENTION_METRICS: [&str; 5] = [
    "warnings",
    "warnings_severe",
    "warnings_due",
    "warnings_handled",
    "warning_handling",
];

/// Metrics produced by the product catalogue.
pub const PRODUCT_METRICS: [&str; 4] = [
    "products_held",
    "products_possible",
    "penetration",
    "deepening_opportunities",
];

impl Instruments {
    /// Every metric the instruments produce, with the section that makes it.
    pub fn metrics(&self, checkpoints: usize) -> Vec<(String, &'static str)> {
        let mut out = Vec::new();
        if self.daily_log.is_some() {
            out.extend(
                DAILY_LOG_METRICS
                    .iter()
                    .map(|m| (m.to_string(), "daily_log")),
            );
        }
        if self.retention.is_some() {
            out.extend(
                RETENTION_METRICS
                    .iter()
                    .map(|m| (m.to_string(), "retention")),
            );
        }
        if self.products.is_some() {
            out.extend(PRODUCT_METRICS.iter().map(|m| (m.to_string(), "products")));
        }
        if let Some(c) = &self.checkpoints {
            for s in &c.series {
                out.push((s.metric.clone(), "checkpoints"));
                for k in 1..=checkpoints {
                    out.push((format!("{}_cp{k}", s.metric), "checkpoints"));
                }
            }
        }
        if let Some(w) = &self.weak_spots
            && let Some(m) = &w.metric
        {
            out.push((m.clone(), "weak_spots"));
        }
        out
    }
}
