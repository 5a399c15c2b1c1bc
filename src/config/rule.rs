//! The scoring rules a KPI can use (docs/scoring.md §1), as written in TOML:
//! `rule = { type = "ratio", cap = 1.2 }`. A score is a fraction of the
//! KPI's weight: 1 is the full weight, 1.2 is 120 % of it.

use super::dec::Dec;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Rule {
    /// 完成比率: clamp(actual / target, floor, cap).
    Ratio {
        /// Default none: no lowest score. A score fraction (0.6 = 60 %).
        #[serde(default)]
        floor: Option<Dec>,
        /// Default none: no highest score. A score fraction (1.2 = 120 %).
        #[serde(default)]
        cap: Option<Dec>,
    },
    /// 反向指标: lower is better.
    Inverse {
        /// Default "ratio" (target / actual); "two_minus", "deviation".
        #[serde(default)]
        mode: InverseMode,
        /// Default none: no lowest score. A score fraction.
        #[serde(default)]
        floor: Option<Dec>,
        /// Default none: no highest score. A score fraction.
        #[serde(default)]
        cap: Option<Dec>,
        /// Default the cap (or 1 without one): the score when the actual is
        /// zero (with mode `ratio`).
        #[serde(default)]
        zero_actual: Option<Dec>,
    },
    /// 门槛/目标/挑战: linear between points (x, score).
    Piecewise {
        /// Default "rate" (the completion rate); "value" reads the actual itself.
        #[serde(default)]
        on: Measure,
        /// Required, at least two, rising in x: `[[x, score], …]`, x a
        /// completion rate (0.8 = 80 %) or, with `on = "value"`, the actual;
        /// the score a fraction of the weight (1 = full weight).
        points: Vec<(Dec, Dec)>,
        /// Default "zero": below the first point scores zero (a threshold);
        /// "clamp" gives the first point's score.
        #[serde(default)]
        below: Below,
    },
    /// 分段/阶梯: a table of [from, to) → score.
    Bands {
        /// Default "rate" (the completion rate); "value" reads the actual itself.
        #[serde(default)]
        on: Measure,
        /// Required: bands that tile the line, each `{ from, to, score }`,
        /// `from` inclusive and `to` exclusive.
        bands: Vec<Band>,
    },
    /// 二维: bands on two measures and a table of scores.
    Matrix {
        /// Default "rate": the columns are bounds on the completion rate;
        /// "value" on the actual itself.
        #[serde(default)]
        on: Measure,
        /// Required: rising lower bounds on this KPI's measure, one per
        /// column of `table` (rates as fractions: 0.8 = 80 %).
        columns: Vec<Dec>,
        /// Required. Rows: lower bounds on another metric.
        row_metric: String,
        /// The row metric's name as people read it (e.g. "收入完成率"),
        /// shown in the sentence that explains the score; default the
        /// metric's id.
        #[serde(default)]
        row_name: Option<String>,
        /// Required: rising lower bounds on `row_metric`, one per row of `table`.
        rows: Vec<Dec>,
        /// Required. One row of scores per row bound, one score per column
        /// bound; each a fraction of the weight.
        table: Vec<Vec<Dec>>,
    },
    /// 达标: actual ≥ target → pass, else fail.
    Gate {
        /// Default 1: the score when the target is met.
        #[serde(default = "one")]
        pass: Dec,
        /// Default 0: the score when it is not.
        #[serde(default)]
        fail: Dec,
    },
    /// 排名: by actual within a group of the same role.
    Rank {
        /// Required: whom a person is ranked among: "team", "department"
        /// or "company" (people of the same role).
        group: RankGroup,
        /// Default "higher_is_better"; "lower_is_better".
        #[serde(default)]
        direction: Direction,
        /// Default 1: the score of the first place.
        #[serde(default = "one")]
        best: Dec,
        /// Default 0: the score of the last place.
        #[serde(default)]
        worst: Dec,
        /// Default "min" (1, 2, 2, 4); "average", "dense".
        #[serde(default)]
        ties: Ties,
    },
    /// 同比/环比: g = (actual − base) / |base|, scored against the target growth.
    Growth {
        /// Required: the base-period metric.
        base: String,
        /// Default none: no lowest score. A score fraction.
        #[serde(default)]
        floor: Option<Dec>,
        /// Default none: no highest score. A score fraction (1.2 = 120 %).
        #[serde(default)]
        cap: Option<Dec>,
        /// Required: the score (a fraction of the weight) when the base is
        /// zero or negative.
        base_nonpositive: Dec,
    },
    /// Composite: an expression over metrics and other KPIs' scores.
    Formula {
        /// Required: the score, an expression over metrics, `actual`,
        /// `target`, `rate` and other KPIs' scores (`kpi.<id>`).
        expr: String,
        /// Default none: no lowest score. A score fraction.
        #[serde(default)]
        floor: Option<Dec>,
        /// Default none: no highest score. A score fraction (1.2 = 120 %).
        #[serde(default)]
        cap: Option<Dec>,
    },
    /// 监控指标: shown, never counted; the KPI's weight must be 0.
    Monitor,
}

fn one() -> Dec {
    Dec(Decimal::ONE)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum InverseMode {
    /// target / actual
    #[default]
    Ratio,
    /// 2 − actual / target
    TwoMinus,
    /// 1 − (actual − target) / |target|
    Deviation,
}

/// What a piecewise or band rule reads: the completion rate or the raw actual.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    #[default]
    Rate,
    Value,
}

/// What a KPI's actual and target measure, for showing them: a rate is
/// shown as a percentage, a count or an amount as a number. Optional; when
/// left out it is inferred from the rule (docs/scoring.md §1, "How
/// numbers are shown").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A fraction shown as a percentage: 0.05 is shown as 5%.
    Percent,
    /// A whole number of things (events, products, people).
    Count,
    /// A number shown as it is (an amount in 万元, a score out of 100).
    Number,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Below {
    #[default]
    Zero,
    Clamp,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// Default none, on the first band only: no lower bound. Inclusive
    /// lower bound (a rate as a fraction unless `on = "value"`).
    #[serde(default)]
    pub from: Option<Dec>,
    /// Default none, on the last band only: no upper bound. Exclusive
    /// upper bound.
    #[serde(default)]
    pub to: Option<Dec>,
    /// Required: the score in this band, a fraction of the weight.
    pub score: Dec,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RankGroup {
    Team,
    Department,
    Company,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Higher actual ranks first.
    #[default]
    HigherIsBetter,
    LowerIsBetter,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Ties {
    /// 1, 2, 2, 4
    #[default]
    Min,
    /// 1, 2.5, 2.5, 4
    Average,
    /// 1, 2, 2, 3
    Dense,
}

impl Rule {
    /// The rule's name as written in TOML.
    pub fn kind(&self) -> &'static str {
        match self {
            Rule::Ratio { .. } => "ratio",
            Rule::Inverse { .. } => "inverse",
            Rule::Piecewise { .. } => "piecewise",
            Rule::Bands { .. } => "bands",
            Rule::Matrix { .. } => "matrix",
            Rule::Gate { .. } => "gate",
            Rule::Rank { .. } => "rank",
            Rule::Growth { .. } => "growth",
            Rule::Formula { .. } => "formula",
            Rule::Monitor => "monitor",
        }
    }

    /// Chinese name of the rule, for workbooks.
    pub fn kind_zh(&self) -> &'static str {
        match self {
            Rule::Ratio { .. } => "完成比率",
            Rule::Inverse { .. } => "反向指标",
            Rule::Piecewise { .. } => "门槛/目标/挑战",
            Rule::Bands { .. } => "分段",
            Rule::Matrix { .. } => "二维矩阵",
            Rule::Gate { .. } => "达标",
            Rule::Rank { .. } => "排名",
            Rule::Growth { .. } => "增长",
            Rule::Formula { .. } => "公式",
            Rule::Monitor => "监控指标",
        }
    }

    /// Whether the rule needs a target.
    pub fn needs_target(&self) -> bool {
        match self {
            Rule::Ratio { .. } | Rule::Inverse { .. } | Rule::Gate { .. } | Rule::Growth { .. } => {
                true
            }
            Rule::Piecewise { on, .. } | Rule::Bands { on, .. } | Rule::Matrix { on, .. } => {
                *on == Measure::Rate
            }
            Rule::Rank { .. } | Rule::Formula { .. } | Rule::Monitor => false,
        }
    }
}
