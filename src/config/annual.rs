//! An annual scheme (`[annual]`, issue 18): the year's result made from the
//! quarters' runs. A file of its own, holding `[period] id`, `[annual]`,
//! `[grades]` and optionally `[rounding]` and `lang`: it reads no
//! workbooks, only the quarters' `scores.json`, checked against their
//! manifests.

use super::dec::Dec;
use super::locate::{Locator, at};
use super::scheme::{Grades, Rounding};
use crate::error::{Error, Problem, Result};
use crate::t;
use schemars::JsonSchema;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnnualScheme {
    #[serde(default)]
    pub lang: Option<crate::lang::Lang>,
    pub period: AnnualPeriod,
    pub annual: Annual,
    pub grades: Grades,
    #[serde(default)]
    pub rounding: Rounding,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnnualPeriod {
    /// e.g. `2024`; names the output directory.
    pub id: String,
}

/// `[annual]`: the quarters' run directories (relative to this file),
/// oldest first, their weights, and the rule for people present in only
/// some of them.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Annual {
    pub quarters: Vec<String>,
    /// One per quarter (default: all equal). The annual total is
    /// Σ weight × total ÷ Σ weight, over the quarters `partial` counts.
    #[serde(default)]
    pub weights: Option<Vec<Dec>>,
    #[serde(default)]
    pub partial: Partial,
    /// People present in fewer quarters get no annual total and no grade
    /// (未评级). Default 1.
    #[serde(default = "one")]
    pub min_quarters: usize,
}

fn one() -> usize {
    1
}

/// People present in only some quarters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Partial {
    /// The weighted mean of the quarters present (their weights only).
    #[default]
    MeanOfPresent,
    /// A quarter absent counts 0, with its weight.
    MissingAsZero,
}

/// An annual scheme, loaded and checked.
#[derive(Debug, Clone)]
pub struct AnnualConfig {
    pub scheme: AnnualScheme,
    pub path: PathBuf,
    pub sha256: String,
    /// Each quarter's weight, in the order of `quarters`.
    pub weights: Vec<rust_decimal::Decimal>,
}

/// Whether the file is an annual scheme (it has an `[annual]` table). A
/// file that cannot be read or parsed is not: loading it as a quarter's
/// scheme says why.
pub fn is_annual(path: &Path) -> bool {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|s| s.parse::<toml::Table>().ok())
        .is_some_and(|t| t.contains_key("annual"))
}

pub fn load(path: &Path) -> Result<AnnualConfig> {
    let src = std::fs::read_to_string(path).map_err(|e| {
        Error::config(Problem::at_file(
            path,
            t!("读不到方案文件：{0}", "cannot read the scheme: {0}", e),
        ))
    })?;
    let scheme: AnnualScheme = toml::from_str(&src)
        .map_err(|e| Error::Config(super::toml_errors::structural_problems(path, &src, e)))?;
    let loc = Locator::new(path, &src);
    let a = &scheme.annual;
    let mut problems = Vec::new();
    let n = a.quarters.len();
    if n == 0 {
        problems.push(Problem::new(
            loc.find(&at("annual").key("quarters")),
            t!(
                "[annual] quarters 至少列出一个季度的运行目录",
                "[annual] quarters lists at least one quarter's run"
            ),
        ));
    }
    let weights: Vec<rust_decimal::Decimal> = match &a.weights {
        None => vec![rust_decimal::Decimal::ONE; n],
        Some(w) => w.iter().map(|d| d.get()).collect(),
    };
    if weights.len() != n {
        problems.push(Problem::new(
            loc.find(&at("annual").key("weights")),
            t!(
                "weights 有 {0} 个，quarters 有 {1} 个：应一一对应",
                "{0} weights for {1} quarters: give one weight per quarter",
                weights.len(),
                n
            ),
        ));
    }
    for (i, w) in weights.iter().enumerate() {
        if w.is_sign_negative() || w.is_zero() {
            problems.push(Problem::new(
                loc.find(&at("annual").key("weights").index(i)),
                t!("权重应大于 0", "a weight must be more than 0"),
            ));
        }
    }
    if a.min_quarters == 0 || a.min_quarters > n.max(1) {
        problems.push(Problem::new(
            loc.find(&at("annual").key("min_quarters")),
            t!(
                "min_quarters 应在 1 到 {0} 之间",
                "min_quarters must be from 1 to {0}",
                n.max(1)
            ),
        ));
    }
    check_grades(&scheme.grades, &loc, &mut problems);
    if !problems.is_empty() {
        return Err(Error::Config(problems));
    }
    Ok(AnnualConfig {
        sha256: super::hex(&Sha256::digest(src.as_bytes())),
        scheme,
        path: path.to_path_buf(),
        weights,
    })
}

/// Every grade named is on the scale; ties are broken by the total only
/// (a year has no KPI of its own to break them with).
fn check_grades(g: &Grades, loc: &Locator, problems: &mut Vec<Problem>) {
    let known = |name: &str| g.scale.iter().any(|s| s == name);
    for (i, c) in g.cutoffs.iter().enumerate() {
        if !known(&c.grade) {
            problems.push(Problem::new(
                loc.find(&at("grades").key("cutoffs").index(i)),
                t!(
                    "等级 {0} 不在 scale 中",
                    "grade {0} is not on the scale",
                    c.grade
                ),
            ));
        }
    }
    let Some(d) = &g.distribution else {
        return;
    };
    for (i, q) in d.quotas.iter().enumerate() {
        if !known(&q.grade) {
            problems.push(Problem::new(
                loc.find(&at("grades").key("distribution").key("quotas").index(i)),
                t!(
                    "等级 {0} 不在 scale 中",
                    "grade {0} is not on the scale",
                    q.grade
                ),
            ));
        }
    }
    for (i, k) in d.tie_break.iter().enumerate() {
        if k != "total" {
            problems.push(
                Problem::new(
                    loc.find(&at("grades").key("distribution").key("tie_break").index(i)),
                    t!(
                        "全年结果只能按总分排序（{0} 是季度的指标）",
                        "the year's result is ranked by its total only ({0} belongs to a quarter)",
                        k
                    ),
                )
                .help(t!(
                    "删去 tie_break：同分按总分、再按工号排序",
                    "leave tie_break out: ties go by the total, then the 工号"
                )),
            );
        }
    }
}
