//! The problems scoring reports about one person: a formula that cannot be
//! evaluated, a KPI that cannot be scored, arithmetic out of range; each
//! names the person and the cell, and says what to do.

use super::kpi;
use super::values::MetricValues;
use crate::config::{Config, Kpi, Target};
use crate::error::Problem;
use crate::formula::EvalError;
use crate::ingest::{Employee, Src};
use crate::t;

/// `what` is "metric `x`", "KPI `x`" or "veto `x`".
pub(super) fn eval_problem(who: &Employee, what: &str, formula: &str, e: &EvalError) -> Problem {
    let help = match e {
        EvalError::DivisionByZero => t!(
            "给除法加上保护，如 if(b > 0, a / b, 0)，或改正数据",
            "guard the division, e.g. if(b > 0, a / b, 0), or correct the data"
        ),
        EvalError::Missing(_) | EvalError::Type => t!(
            "在输入中填上该值，或修改公式",
            "fill in the value in the input, or change the formula"
        ),
        EvalError::Overflow => t!(
            "检查输入值中是否点错了小数点",
            "check the input values for a misplaced decimal point"
        ),
    };
    let error = match e {
        EvalError::DivisionByZero => "除数为零".to_string(),
        EvalError::Overflow => "结果超出了小数的范围".to_string(),
        EvalError::Missing(n) => format!("`{n}` 没有值"),
        EvalError::Type => "值的类型不相配".to_string(),
    };
    let what_zh = [
        ("metric ", "数据项 "),
        ("KPI ", "指标 "),
        ("veto ", "否决项 "),
    ]
    .iter()
    .find_map(|(en, zh)| what.strip_prefix(en).map(|rest| format!("{zh}{rest}")))
    .unwrap_or_else(|| what.to_string());
    let (id, name, post) = (&who.id, &who.name, &who.post);
    Problem::new(
        crate::error::Location::Cell(who.origin.clone()),
        t!(
            "{id} {name}（{post}）：{what_zh} `{formula}`：{error}",
            "{id} {name} ({post}): {what} `{formula}`: {e}"
        ),
    )
    .help(help)
}

/// Decimal arithmetic overflowed (it panics): a value or a target is far
/// out of range, e.g. 7.9e28 against a target of 0.00001.
pub(super) fn overflow_problem(who: &Employee) -> Problem {
    let (id, name, post) = (&who.id, &who.name, &who.post);
    Problem::new(
        crate::error::Location::Cell(who.origin.clone()),
        t!(
            "{id} {name}（{post}）：计算结果太大，超出了精确小数运算的范围",
            "{id} {name} ({post}): a result is too large for exact decimal arithmetic"
        ),
    )
    .help(t!(
        "检查此人的数值和目标值中是否点错了小数点或用错了单位",
        "check this person's values and targets for a misplaced decimal point or a unit error"
    ))
}

pub(super) fn formula_text(config: &Config, metric: &str) -> String {
    match config.scheme.metrics.get(metric) {
        Some(crate::config::MetricDef::Formula(f)) => f.formula.clone(),
        _ => String::new(),
    }
}

pub(super) fn failure_problem(
    config: &Config,
    who: &Employee,
    k: &Kpi,
    f: kpi::Failure,
    env: &MetricValues,
    emp: usize,
) -> Problem {
    let _ = config;
    match f {
        kpi::Failure::Missing(what) => {
            let metric = match what {
                "target" => match &k.target {
                    Some(Target::Metric { metric }) => metric.clone(),
                    _ => String::new(),
                },
                _ => k.metric.clone().unwrap_or_default(),
            };
            let sheet = config
                .scheme
                .sources
                .iter()
                .find(|(_, src)| src.columns.contains_key(&metric))
                .map(|(_, src)| {
                    let (file, sheet) = (&src.file, &src.sheet);
                    t!("，在 {file} [{sheet}] 中", " in {file} [{sheet}]")
                })
                .unwrap_or_default();
            // A blank cell in the employee's row is named itself; an
            // employee with no row at all is named at the roster.
            let (location, blank, blank_zh) = match env.data.blanks.get(&(metric.clone(), emp)) {
                Some(cell) => (cell.clone(), "the cell is blank; ", "该单元格为空；"),
                None => (who.origin.clone(), "", ""),
            };
            let (id, name, post, kid) = (&who.id, &who.name, &who.post, &k.id);
            let what_zh = if what == "target" {
                "目标值"
            } else {
                "实际值"
            };
            let (sheet_zh, sheet_en) = (&sheet.zh, &sheet.en);
            Problem::new(
                crate::error::Location::Cell(location),
                t!(
                    "{id} {name}（{post}）：指标 `{kid}` 没有{what_zh}（{blank_zh}`{metric}`{sheet_zh}）",
                    "{id} {name} ({post}): KPI `{kid}` has no {what} ({blank}`{metric}`{sheet_en})"
                ),
            )
            .help(t!(
                "填上该值，或在指标 `{kid}` 上设 `missing = \"zero\"` 或 `missing = \"exclude\"`",
                "fill in the value, or set `missing = \"zero\"` or `missing = \"exclude\"` on KPI `{kid}`"
            ))
        }
        kpi::Failure::MissingInput(input) => {
            let left_out = input
                .strip_prefix("kpi.")
                .map(|kid| {
                    t!(
                        "（指标 `{kid}` 因数据缺失未计入）",
                        " (KPI `{kid}` was left out for missing data)"
                    )
                })
                .unwrap_or_default();
            let (id, name, post, kid) = (&who.id, &who.name, &who.post, &k.id);
            let (left_zh, left_en) = (&left_out.zh, &left_out.en);
            Problem::new(
                crate::error::Location::Cell(who.origin.clone()),
                t!(
                    "{id} {name}（{post}）：指标 `{kid}`：其公式读取的 `{input}` 没有值{left_zh}",
                    "{id} {name} ({post}): KPI `{kid}`: its formula reads `{input}`, which has no value{left_en}"
                ),
            )
            .help(t!(
                "填上该值、给公式加上保护，或在指标 `{kid}` 上设 `missing = \"zero\"` 或 `missing = \"exclude\"`",
                "fill in the value, guard the formula, or set `missing = \"zero\"` or `missing = \"exclude\"` on KPI `{kid}`"
            ))
        }
        kpi::Failure::ZeroTarget => {
            let at = match &k.target {
                Some(Target::Metric { metric }) => env.metric(metric, emp).map(|(_, s)| s),
                _ => None,
            };
            let location = match at {
                Some(Src::Cell(at)) => crate::error::Location::Cell(at.origin()),
                _ => crate::error::Location::Cell(who.origin.clone()),
            };
            let (id, name, kid) = (&who.id, &who.name, &k.id);
            Problem::new(
                location,
                t!(
                    "{id} {name}：指标 `{kid}` 的目标值为 0，无法作除数",
                    "{id} {name}: KPI `{kid}` has a target of 0, which cannot divide"
                ),
            )
            .help(t!(
                "给一个大于零的目标值，或对该指标用 `gate` 规则",
                "give a target above zero, or use the `gate` rule for this KPI"
            ))
        }
    }
}
