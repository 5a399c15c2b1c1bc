//! The year's result (`[annual]`, issue 18): each person's annual total from
//! the quarters' totals, exactly (Σ weight × total ÷ Σ weight, one division,
//! rounded once as `[rounding] total` says), with the arithmetic written
//! out. Grading (cut-offs and forced distribution) is the quarter's
//! (`score::grade`), done by `report::annual`.

use super::{PastRun, read_run};
use crate::config::annual::{AnnualConfig, Partial};
use crate::error::{Error, Problem, Result};
use crate::lang::Text;
use crate::t;
use rust_decimal::Decimal;
use std::path::Path;

/// One person's year.
#[derive(Debug, Clone)]
pub struct AnnualPerson {
    pub id: String,
    /// As in the last quarter the person was in.
    pub name: String,
    pub team: String,
    pub department: String,
    pub role: String,
    /// Per quarter, in the scheme's order: the total, if present.
    pub quarters: Vec<Option<Decimal>>,
    /// None: present in fewer than `min_quarters` (未评级).
    pub total: Option<Decimal>,
    /// The arithmetic: `(2024Q1 85.20 × 25 + …) ÷ 100 = 85.2 → 85.20`.
    pub explain: Text,
}

/// The quarters read, in the scheme's order, and everyone's year, by 工号.
pub struct Year {
    pub quarters: Vec<PastRun>,
    pub people: Vec<AnnualPerson>,
}

/// Read the quarters (each checked against its manifest) and combine them.
pub fn combine(config: &AnnualConfig) -> Result<Year> {
    let base = config.path.parent().unwrap_or(Path::new("."));
    let mut quarters = Vec::new();
    let mut problems = Vec::new();
    for dir in &config.scheme.annual.quarters {
        match read_run(&base.join(dir)) {
            Ok(r) => quarters.push(r),
            Err(Error::Data(p)) => problems.extend(p),
            Err(e) => return Err(e),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Data(problems));
    }
    for pair in quarters.windows(2) {
        if pair[0].period >= pair[1].period {
            return Err(Error::config(Problem::at_file(
                &config.path,
                t!(
                    "[annual] quarters 应按期间从早到晚列出：{0}（{1}）在 {2}（{3}）之前",
                    "[annual] quarters are listed oldest first: {0} ({1}) comes before {2} ({3})",
                    pair[0].dir.display(),
                    pair[0].period,
                    pair[1].dir.display(),
                    pair[1].period
                ),
            )));
        }
    }
    let mut ids: Vec<&str> = quarters
        .iter()
        .flat_map(|q| q.people.iter().map(|p| p.id.as_str()))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let people = ids
        .into_iter()
        .map(|id| person(config, &quarters, id))
        .collect();
    Ok(Year { quarters, people })
}

fn person(config: &AnnualConfig, quarters: &[PastRun], id: &str) -> AnnualPerson {
    let a = &config.scheme.annual;
    let totals: Vec<Option<Decimal>> = quarters
        .iter()
        .map(|q| q.get(id).map(|p| p.total))
        .collect();
    let last = quarters
        .iter()
        .rev()
        .find_map(|q| q.get(id))
        .cloned()
        .unwrap_or_else(|| unreachable_person(id));
    let present = totals.iter().flatten().count();
    let mut terms_zh = Vec::new();
    let mut terms_en = Vec::new();
    let (mut sum, mut weight) = (Decimal::ZERO, Decimal::ZERO);
    for ((q, t), w) in quarters.iter().zip(&totals).zip(&config.weights) {
        match (t, a.partial) {
            (Some(t), _) => {
                sum += *t * *w;
                weight += *w;
                terms_zh.push(format!("{} {t} × {w}", q.period));
                terms_en.push(format!("{} {t} × {w}", q.period));
            }
            (None, Partial::MissingAsZero) => {
                weight += *w;
                terms_zh.push(format!("{} 缺 0 × {w}", q.period));
                terms_en.push(format!("{} absent 0 × {w}", q.period));
            }
            (None, Partial::MeanOfPresent) => {}
        }
    }
    let r = &config.scheme.rounding;
    let (total, explain) = if present < a.min_quarters || weight.is_zero() {
        (
            None,
            t!(
                "在册 {present} 个季度，少于 min_quarters = {0}：不计全年总分，未评级",
                "present in {present} quarters, fewer than min_quarters = {0}: no annual total, not graded",
                a.min_quarters
            ),
        )
    } else {
        let mean = crate::exact::quot(sum, weight);
        // Two places unless `[rounding] total` says otherwise.
        let total = crate::score::round::round(mean, r.total.or(Some(2)), r.mode);
        // The mean as it is when the division comes out exact, else to
        // four places (≈): the total is rounded from the exact quotient.
        let exact = crate::exact::mul_exact(mean, weight) == Some(sum);
        let mean_shown = if exact {
            format!("= {}", mean.normalize())
        } else {
            let four = crate::score::round::round(mean, Some(4), r.mode);
            format!("≈ {four}…")
        };
        let shown = |terms: &[String], plus: &str| {
            format!("({}) ÷ {weight} {mean_shown} → {total}", terms.join(plus))
        };
        (
            Some(total),
            Text::new(shown(&terms_zh, " + "), shown(&terms_en, " + ")),
        )
    };
    AnnualPerson {
        id: id.to_string(),
        name: last.name,
        team: last.team,
        department: last.department,
        role: last.role,
        quarters: totals,
        total,
        explain,
    }
}

/// Every id comes from a quarter's people, so one of them has it.
fn unreachable_person(id: &str) -> super::Past {
    super::Past {
        id: id.to_string(),
        name: String::new(),
        team: String::new(),
        department: String::new(),
        role: String::new(),
        total: Decimal::ZERO,
        grade: String::new(),
    }
}
