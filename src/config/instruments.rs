//! The study's management instruments (chapter 4) as written in TOML under
//! `[instruments.*]`: the daily routine log (日行事例), checkpoint control
//! (节点控制), weak-spot comparison (短板比对), retention early warning
//! (集团保有预警), product deepening (产品渗透) and the RVC index. Every
//! section is optional; each one that is present adds per-employee metrics
//! that KPIs, adjustments, vetoes and formulas read like any other metric.
//! `check` validates the sections and declares the metrics they produce.

use super::dec::Dec;
use super::locate::{KeyPath, Locator, at};
use super::scheme::{MetricDef, Scheme};
use crate::error::Problem;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::HashMap;

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

/// Check the instruments and add the metrics they produce to `metrics`.
pub fn check(s: &Scheme, loc: &Locator, metrics: &mut HashMap<String, KeyPath>) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut err = |path: &KeyPath, message: String, help: &str| {
        problems.push(Problem::new(loc.find(path), message).help(help));
    };
    let ins = &s.instruments;
    let root = at("instruments");
    let needs_customers =
        ins.daily_log.is_some() || ins.retention.is_some() || ins.products.is_some();
    if needs_customers && ins.customers.is_none() {
        err(
            &root,
            "the daily log, retention warnings and products need `[instruments.customers]`".into(),
            "add [instruments.customers] with file, sheet and columns { code, account_manager }",
        );
    }
    if let Some(r) = &ins.retention
        && ins.daily_log.is_none()
        && r.no_visit_days.is_some()
    {
        err(
            &root.key("retention").key("no_visit_days"),
            "`no_visit_days` needs the visits of `[instruments.daily_log]`".into(),
            "add [instruments.daily_log], or remove `no_visit_days`",
        );
    }
    if let Some(r) = &ins.retention
        && r.contract_days.is_some()
        && ins
            .customers
            .as_ref()
            .is_some_and(|c| c.columns.contract_end.is_none())
    {
        err(
            &root.key("customers").key("columns"),
            "`contract_days` needs the customers' contract end dates".into(),
            "add `contract_end = \"合同到期日\"` to the customers' columns",
        );
    }
    if let Some(r) = &ins.retention {
        for (key, lv) in [
            ("revenue_mom", &r.revenue_mom),
            ("revenue_yoy", &r.revenue_yoy),
            ("member_churn", &r.member_churn),
        ] {
            if let Some(lv) = lv
                && (lv.warn.get() <= Decimal::ZERO || lv.severe.get() < lv.warn.get())
            {
                err(
                    &root.key("retention").key(key),
                    format!("`{key}`: thresholds must satisfy 0 < warn ≤ severe"),
                    "write the falls as fractions, e.g. { warn = 0.1, severe = 0.25 }",
                );
            }
        }
        if let Some(d) = &r.contract_days
            && d.severe > d.warn
        {
            err(
                &root.key("retention").key("contract_days"),
                "`contract_days`: `severe` must be at most `warn` (fewer days left is worse)"
                    .into(),
                "e.g. { warn = 90, severe = 30 }",
            );
        }
        if let Some(d) = &r.no_visit_days
            && d.severe < d.warn
        {
            err(
                &root.key("retention").key("no_visit_days"),
                "`no_visit_days`: `severe` must be at least `warn`".into(),
                "e.g. { warn = 30, severe = 60 }",
            );
        }
    }
    if let Some(c) = &ins.checkpoints {
        if s.period.checkpoints.is_empty() {
            err(
                &at("period").key("checkpoints"),
                "`[instruments.checkpoints]` needs checkpoints in `[period]`".into(),
                "add checkpoints = [2024-07-31, 2024-08-31, 2024-09-30]",
            );
        }
        if c.series.is_empty() {
            err(
                &root.key("checkpoints"),
                "`[instruments.checkpoints]` has no series".into(),
                "add [[instruments.checkpoints.series]] with metric, column and target",
            );
        }
    }
    if let Some(w) = &ins.weak_spots {
        let q = w.quantile.get();
        if q <= Decimal::ZERO || q >= Decimal::ONE {
            err(
                &root.key("weak_spots").key("quantile"),
                format!("quantile {q} must lie strictly between 0 and 1"),
                "e.g. 0.25 flags the bottom quarter",
            );
        }
        for (i, r) in w.roles.iter().enumerate() {
            if !s.roles.contains_key(r) {
                err(
                    &root.key("weak_spots").key("roles").index(i),
                    format!("unknown role `{r}`"),
                    "use a role id of [roles]",
                );
            }
        }
    }

    // The metrics the instruments produce.
    for (name, section) in ins.metrics(s.period.checkpoints.len()) {
        let path = root.key(section);
        match metrics.entry(name) {
            std::collections::hash_map::Entry::Occupied(o) => err(
                &path,
                format!(
                    "metric `{}` made by [instruments.{section}] is already defined",
                    o.key()
                ),
                "rename the other metric (the README lists the instruments' metric names)",
            ),
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(path);
            }
        }
    }

    // Names the instruments read.
    if let Some(c) = &ins.checkpoints {
        for (i, sr) in c.series.iter().enumerate() {
            if !metrics.contains_key(&sr.target) {
                err(
                    &root.key("checkpoints").key("series").index(i).key("target"),
                    format!(
                        "series `{}` reads unknown target metric `{}`",
                        sr.metric, sr.target
                    ),
                    "name a metric that holds the period's target",
                );
            }
        }
    }
    if let Some(r) = &ins.rvc {
        let rp = root.key("rvc");
        let mut names = vec![(rp.key("index"), &r.index)];
        names.extend(
            r.parts
                .iter()
                .enumerate()
                .map(|(i, p)| (rp.key("parts").index(i).key("metric"), &p.metric)),
        );
        for (path, m) in names {
            if !metrics.contains_key(m) {
                err(
                    &path,
                    format!("RVC reads unknown metric `{m}`"),
                    "define it under [metrics] as a formula",
                );
            }
        }
        for (i, role) in r.roles.iter().enumerate() {
            if !s.roles.contains_key(role) {
                err(
                    &rp.key("roles").index(i),
                    format!("unknown role `{role}`"),
                    "use a role id of [roles]",
                );
            }
        }
    }
    // The weak-spot count is known only after the KPIs: KPIs and formula
    // metrics must not read it.
    if let Some(m) = ins.weak_spots.as_ref().and_then(|w| w.metric.as_ref()) {
        for (id, role) in &s.roles {
            for (i, k) in role.kpis.iter().enumerate() {
                let target = match &k.target {
                    Some(super::scheme::Target::Metric { metric }) => Some(metric),
                    _ => None,
                };
                let in_formula = match &k.rule {
                    super::rule::Rule::Formula { expr, .. } => {
                        crate::formula::parse(expr).is_ok_and(|e| e.names().contains(&m.as_str()))
                    }
                    _ => false,
                };
                if k.metric.as_ref() == Some(m) || target == Some(m) || in_formula {
                    err(
                        &at("roles").key(id).key("kpis").index(i),
                        format!(
                            "KPI `{}` reads `{m}`, the weak-spot count, which is known only after the KPIs are scored",
                            k.id
                        ),
                        "read it in an adjustment item or a veto instead",
                    );
                }
            }
        }
        for (name, def) in &s.metrics {
            if let MetricDef::Formula(f) = def
                && crate::formula::parse(&f.formula).is_ok_and(|e| e.names().contains(&m.as_str()))
            {
                err(
                    &at("metrics").key(name),
                    format!(
                        "formula metric `{name}` reads `{m}`, the weak-spot count, known only after the KPIs"
                    ),
                    "read it in an adjustment item or a veto instead",
                );
            }
        }
    }
    // Team blends on chosen KPIs: the KPIs must be the members' role's.
    for (id, role) in &s.roles {
        let Some(tb) = &role.team_blend else { continue };
        let Some(TeamOf::Kpis(ks)) = &tb.of else {
            continue;
        };
        let path = at("roles").key(id).key("team_blend").key("of");
        let Some(members) = s.roles.get(&tb.members) else {
            continue;
        };
        if ks.kpis.is_empty() {
            err(
                &path,
                "`of.kpis` is empty".into(),
                "name at least one KPI of the members' role",
            );
        }
        for k in &ks.kpis {
            match members.kpis.iter().find(|x| &x.id == k) {
                None => err(
                    &path,
                    format!("role `{}` has no KPI `{k}`", tb.members),
                    "use the id of a KPI of the members' role",
                ),
                Some(x) if x.weight.get().is_zero() => err(
                    &path,
                    format!("KPI `{k}` has weight 0 and cannot weigh the team's result"),
                    "choose a weighted KPI",
                ),
                Some(_) => {}
            }
        }
    }
    problems
}
