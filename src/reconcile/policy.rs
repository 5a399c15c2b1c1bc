//! Which value of a field wins: compare what the sources report, decide
//! whether the difference is inside the tolerance, and apply the field's
//! policy. Pure: observations in, a `Decision` out.

use super::Id;
use crate::config::reconcile::{Field, Policy, Tolerance};
use crate::error::Origin;
use crate::ingest::Value;
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// One source's value of one field of one project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observation {
    pub source: Id,
    pub value: Value,
    pub origin: Origin,
    /// When the source's row was reported (its `updated` column).
    pub updated: Option<NaiveDate>,
}

/// The outcome of comparing a field's observations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The value chosen; for an unresolved conflict, the provisional value
    /// (the first source in the field's order).
    pub value: Option<Value>,
    /// Largest minus smallest (numbers; days for dates); none for text.
    pub difference: Option<Decimal>,
    /// The values are not all the same.
    pub differ: bool,
    /// The difference is inside the tolerance (always, when they agree).
    pub within: bool,
    /// Outside the tolerance under `needs_decision`: HR must decide.
    pub unresolved: bool,
    /// How the value was chosen, for the 对账 sheet.
    pub how: How,
}

/// How a value was chosen; sources by id, shown by their display names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum How {
    /// No source reports the field.
    NoSource,
    /// The sources agree.
    Agree,
    /// The project is reported only by these sources.
    OnlyIn(Vec<Id>),
    Prefer(Id),
    Min(Id),
    Max(Id),
    /// The mean of this many numbers.
    Mean(usize),
    /// `mean` over values that are not numbers: the first source's.
    NoNumbers(Id),
    Latest(Id, Option<NaiveDate>),
    /// Inside the tolerance, whatever the policy: the first source in the
    /// field's order that reports it (the system of record where there is
    /// one). The policy decides only beyond the tolerance.
    WithinTolerance(Id),
    /// `needs_decision`, outside it: the first source's until HR decides.
    Pending(Id),
}

/// A value as a number to compare: dates count days.
fn magnitude(v: &Value) -> Option<Decimal> {
    match v {
        Value::Num(n) => Some(*n),
        Value::Date(d) => Some(Decimal::from(i64::from(
            chrono::Datelike::num_days_from_ce(d),
        ))),
        Value::Text(_) => None,
    }
}

/// Is a difference `diff` between values no larger than `largest` inside?
pub fn inside(tol: Option<&Tolerance>, diff: Decimal, largest: Decimal) -> bool {
    if diff.is_zero() {
        return true;
    }
    let Some(t) = tol else {
        return false;
    };
    let abs_ok = t.absolute.is_some_and(|a| diff <= a.get());
    let rel_ok = t.relative.is_some_and(|r| diff <= r.get() * largest.abs());
    abs_ok || rel_ok
}

/// Observations in the field's source order (stable within a source).
fn ordered<'a>(field: &Field, obs: &'a [Observation]) -> Vec<&'a Observation> {
    let rank = |s: &str| {
        field
            .sources
            .iter()
            .position(|x| x == s)
            .unwrap_or(usize::MAX)
    };
    let mut v: Vec<&Observation> = obs.iter().collect();
    v.sort_by_key(|o| rank(&o.source));
    v
}

/// Compare `obs` and apply the field's policy.
pub fn decide(field: &Field, obs: &[Observation]) -> Decision {
    let obs = ordered(field, obs);
    let Some(first) = obs.first() else {
        return Decision {
            value: None,
            difference: None,
            differ: false,
            within: true,
            unresolved: false,
            how: How::NoSource,
        };
    };
    let differ = obs.iter().any(|o| o.value != first.value);
    let mags: Vec<Decimal> = obs.iter().filter_map(|o| magnitude(&o.value)).collect();
    let difference = match (mags.iter().max(), mags.iter().min()) {
        (Some(hi), Some(lo)) if mags.len() == obs.len() => Some(*hi - *lo),
        _ => None,
    };
    let within = !differ
        || difference.is_some_and(|d| {
            let largest = mags.iter().map(|m| m.abs()).max().unwrap_or_default();
            inside(field.tolerance.as_ref(), d, largest)
        });
    if !differ {
        return Decision {
            value: Some(first.value.clone()),
            difference,
            differ,
            within,
            unresolved: false,
            how: How::Agree,
        };
    }
    let pick = |o: &Observation, how: How| (Some(o.value.clone()), how);
    // Inside the tolerance the figures agree: no policy applies, the first
    // source in the field's order is used (docs/reconciliation.md, How a field is settled; issue 15).
    let (value, how) = match &field.policy {
        _ if within => pick(first, How::WithinTolerance(first.source.clone())),
        Policy::Prefer(order) => {
            let chosen = order
                .iter()
                .find_map(|s| obs.iter().find(|o| *o.source == **s))
                .unwrap_or(first);
            pick(chosen, How::Prefer(chosen.source.clone()))
        }
        Policy::Min | Policy::Max => {
            let max = field.policy == Policy::Max;
            let chosen = obs
                .iter()
                .copied()
                .reduce(|a, b| {
                    let (x, y) = (magnitude(&a.value), magnitude(&b.value));
                    if (max && y > x) || (!max && y < x) {
                        b
                    } else {
                        a
                    }
                })
                .unwrap_or(first);
            let src = chosen.source.clone();
            pick(chosen, if max { How::Max(src) } else { How::Min(src) })
        }
        Policy::Mean => {
            let nums: Vec<Decimal> = obs.iter().filter_map(|o| o.value.num()).collect();
            if nums.is_empty() {
                pick(first, How::NoNumbers(first.source.clone()))
            } else {
                let mean = crate::exact::quot(
                    nums.iter().sum::<Decimal>(),
                    Decimal::from(nums.len() as u64),
                );
                (Some(Value::Num(mean.normalize())), How::Mean(nums.len()))
            }
        }
        Policy::Latest => {
            let chosen = obs
                .iter()
                .copied()
                .reduce(|a, b| if b.updated > a.updated { b } else { a })
                .unwrap_or(first);
            pick(chosen, How::Latest(chosen.source.clone(), chosen.updated))
        }
        Policy::NeedsDecision => pick(first, How::Pending(first.source.clone())),
    };
    let unresolved = !within && field.policy == Policy::NeedsDecision;
    Decision {
        value,
        difference,
        differ,
        within,
        unresolved,
        how,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Dec;
    use std::str::FromStr;
    use std::sync::Arc;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).expect("decimal")
    }

    fn obs(source: &str, value: Value, updated: Option<(i32, u32, u32)>) -> Observation {
        Observation {
            source: source.into(),
            value,
            origin: Origin {
                file: Arc::from("p.xlsx"),
                sheet: Arc::from(source),
                row: 1,
                col: 1,
            },
            updated: updated.and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d)),
        }
    }

    fn num(source: &str, v: &str) -> Observation {
        obs(source, Value::Num(d(v)), None)
    }

    fn field(policy: Policy, abs: Option<&str>, rel: Option<&str>) -> Field {
        Field {
            name: None,
            sources: vec!["sys".into(), "am".into(), "pm".into()],
            tolerance: (abs.is_some() || rel.is_some()).then(|| Tolerance {
                absolute: abs.map(|a| Dec(d(a))),
                relative: rel.map(|r| Dec(d(r))),
            }),
            policy,
        }
    }

    fn three() -> Vec<Observation> {
        // Given in a scrambled order: the field's order is sys, am, pm.
        vec![num("pm", "98"), num("am", "100.4"), num("sys", "100")]
    }

    #[test]
    fn absolute_tolerance() {
        let o = vec![num("am", "100.4"), num("sys", "100")];
        let inside = decide(&field(Policy::NeedsDecision, Some("0.5"), None), &o);
        assert!(inside.differ && inside.within && !inside.unresolved);
        assert_eq!(inside.difference, Some(d("0.4")));
        // Inside the tolerance, needs_decision takes the first source in order.
        assert_eq!(inside.value, Some(Value::Num(d("100"))));
        let outside = decide(&field(Policy::NeedsDecision, Some("0.3"), None), &o);
        assert!(!outside.within && outside.unresolved);
        assert_eq!(
            outside.value,
            Some(Value::Num(d("100"))),
            "provisional: sys"
        );
    }

    /// Issue 15: inside the tolerance no policy applies, whatever it is.
    #[test]
    fn inside_the_tolerance_every_policy_takes_the_first_source_in_order() {
        let o = three(); // sys 100, am 100.4, pm 98: inside 2.5
        for p in [
            Policy::Prefer(vec!["pm".into()]),
            Policy::Min,
            Policy::Max,
            Policy::Mean,
            Policy::Latest,
            Policy::NeedsDecision,
        ] {
            let x = decide(&field(p.clone(), Some("2.5"), None), &o);
            assert!(x.within && x.differ && !x.unresolved, "{p:?}");
            assert_eq!(x.value, Some(Value::Num(d("100"))), "{p:?}");
            assert_eq!(x.how, How::WithinTolerance("sys".into()), "{p:?}");
        }
        // Without the ledger, the AM report is first.
        let o = vec![num("pm", "98"), num("am", "100.4")];
        let x = decide(&field(Policy::Mean, Some("2.5"), None), &o);
        assert_eq!(x.value, Some(Value::Num(d("100.4"))));
    }

    #[test]
    fn relative_tolerance_is_a_share_of_the_larger_value() {
        let o = three(); // 98 .. 100.4: difference 2.4; 2 % of 100.4 = 2.008
        assert!(!decide(&field(Policy::Min, None, Some("0.02")), &o).within);
        assert!(decide(&field(Policy::Min, None, Some("0.024")), &o).within);
        // Either bound suffices.
        assert!(decide(&field(Policy::Min, Some("2.4"), Some("0.001")), &o).within);
    }

    #[test]
    fn no_tolerance_means_any_difference_counts() {
        let o = vec![num("am", "100.01"), num("sys", "100")];
        let x = decide(&field(Policy::Max, None, None), &o);
        assert!(x.differ && !x.within && !x.unresolved);
    }

    #[test]
    fn prefer_min_max_mean() {
        let o = three();
        let prefer = Policy::Prefer(vec!["pm".into(), "sys".into()]);
        assert_eq!(
            decide(&field(prefer, None, None), &o).value,
            Some(Value::Num(d("98")))
        );
        let only_missing = Policy::Prefer(vec!["other".into(), "am".into()]);
        assert_eq!(
            decide(&field(only_missing, None, None), &o).value,
            Some(Value::Num(d("100.4")))
        );
        assert_eq!(
            decide(&field(Policy::Min, None, None), &o).value,
            Some(Value::Num(d("98")))
        );
        assert_eq!(
            decide(&field(Policy::Max, None, None), &o).value,
            Some(Value::Num(d("100.4")))
        );
        // (98 + 100.4 + 100) / 3 = 99.4666…
        let mean = decide(&field(Policy::Mean, None, None), &o).value;
        assert_eq!(
            mean.and_then(|v| v.num()).map(|v| v
                .round_dp_with_strategy(4, rust_decimal::RoundingStrategy::MidpointAwayFromZero)),
            Some(d("99.4667"))
        );
    }

    #[test]
    fn latest_takes_the_most_recent_report_and_dates_compare_in_days() {
        let date = |y, m, dd| Value::Date(NaiveDate::from_ymd_opt(y, m, dd).expect("date"));
        let o = vec![
            obs("sys", date(2024, 8, 5), Some((2024, 9, 1))),
            obs("pm", date(2024, 8, 8), Some((2024, 9, 20))),
            obs("am", date(2024, 8, 5), Some((2024, 9, 10))),
        ];
        // Three days apart, inside a 3-day tolerance: the same date, and
        // the first source in order (sys) is used, not the latest (issue 15).
        let x = decide(&field(Policy::Latest, Some("3"), None), &o);
        assert_eq!(x.difference, Some(d("3")));
        assert!(x.within);
        assert_eq!(x.value, Some(date(2024, 8, 5)));
        assert_eq!(x.how, How::WithinTolerance("sys".into()));
        // Beyond a 2-day tolerance the policy decides.
        let mut f = field(Policy::Latest, Some("2"), None);
        let x = decide(&f, &o);
        assert!(!x.within);
        assert_eq!(x.value, Some(date(2024, 8, 8)));
        f.policy = Policy::Min;
        assert_eq!(decide(&f, &o).value, Some(date(2024, 8, 5)));
    }

    #[test]
    fn text_differs_or_not_and_two_claims_need_a_decision() {
        let t = |s: &str, v: &str| obs(s, Value::Text(v.into()), None);
        let agree = decide(
            &field(Policy::NeedsDecision, None, None),
            &[t("sys", "HF00002"), t("am", "HF00002")],
        );
        assert!(!agree.differ && !agree.unresolved);
        let two = decide(
            &field(Policy::NeedsDecision, None, None),
            &[t("am", "HF00003"), t("am", "HF00002"), t("sys", "HF00002")],
        );
        assert!(two.differ && two.unresolved && two.difference.is_none());
        assert_eq!(two.value, Some(Value::Text("HF00002".into())));
    }

    #[test]
    fn nothing_reported() {
        let x = decide(&field(Policy::Min, None, None), &[]);
        assert_eq!(x.value, None);
        assert!(!x.differ && !x.unresolved);
    }
}
