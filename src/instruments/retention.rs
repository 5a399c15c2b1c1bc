//! 集团保有预警, retention early warning. From customer-level monthly data
//! (客户编码, 月份, 收入, 成员数), the customers' contract end dates and the
//! last visits of the daily log, warnings are raised with a severity
//! (一般 above `warn`, 严重 above `severe`):
//!
//! - revenue falls month on month, or against the same month a year earlier,
//!   by more than the threshold (checked for every month of the period,
//!   raised at the month's end);
//! - members fall month on month by more than the threshold;
//! - the contract ends within N days of the period end (or has ended);
//! - the customer has gone more than M days without a visit at the period end.
//!
//! A warning is handled when the customer is visited within `handle_days`
//! after it is raised; one whose window is still open at the period end is
//! pending and counts neither way. Per account manager (the customer's
//! 客户经理工号): `warnings`, `warnings_severe`, `warnings_due` (handled or
//! overdue), `warnings_handled` and `warning_handling` = handled ÷ due (1
//! when nothing is due).

use super::Metrics;
use super::Reader;
use super::customers::Customers;
use super::daily_log::Visits;
use crate::config::ColumnType;
use crate::config::instruments::{DayLevels, Levels, Retention};
use crate::error::Problem;
use crate::ingest::{Dataset, Row, Table, Value};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use std::collections::HashSet;

#[derive(
    serde::Serialize, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash,
)]
pub enum Kind {
    RevenueMom,
    RevenueYoy,
    MemberChurn,
    ContractExpiry,
    NoVisit,
}

impl Kind {
    pub fn zh(self) -> &'static str {
        match self {
            Kind::RevenueMom => "收入环比下降",
            Kind::RevenueYoy => "收入同比下降",
            Kind::MemberChurn => "成员流失",
            Kind::ContractExpiry => "合同到期",
            Kind::NoVisit => "长期未走访",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Kind::RevenueMom => "revenue down month on month",
            Kind::RevenueYoy => "revenue down year on year",
            Kind::MemberChurn => "members lost",
            Kind::ContractExpiry => "contract expiring",
            Kind::NoVisit => "not visited",
        }
    }

    /// Whether `value` is a fraction (a fall) rather than days.
    pub fn is_fraction(self) -> bool {
        matches!(
            self,
            Kind::RevenueMom | Kind::RevenueYoy | Kind::MemberChurn
        )
    }
}

#[derive(
    serde::Serialize, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord,
)]
pub enum Severity {
    Warn,
    Severe,
}

impl Severity {
    pub fn zh(self) -> &'static str {
        match self {
            Severity::Warn => "一般",
            Severity::Severe => "严重",
        }
    }
}

/// What became of a warning by the period end.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handling {
    /// Visited on this day, inside the window.
    Handled(NaiveDate),
    /// The window closed without a visit.
    Overdue,
    /// The window is still open at the period end.
    Pending,
}

#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// Index into the customer list.
    pub customer: usize,
    /// The responsible account manager (employee index).
    pub am: Option<usize>,
    pub kind: Kind,
    pub severity: Severity,
    pub raised: NaiveDate,
    /// The fall (a fraction) or the days.
    pub value: Decimal,
    /// The threshold crossed.
    pub threshold: Decimal,
    /// Before and after, for falls (e.g. revenue last month and this month).
    pub before: Option<Decimal>,
    pub after: Option<Decimal>,
    pub handling: Handling,
}

/// Revenue and members of a customer in a month.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Month {
    pub revenue: Option<Decimal>,
    pub members: Option<Decimal>,
}

/// (customer index, (year, month)) → figures, kept only for the months
/// [`warnings`] compares: the period's months, the month before each and the
/// same month a year earlier. Rows of other months are only remembered, to
/// find a second row for the same customer and month. The kept figures are
/// one table of exactly customers × months, so reading a large export never
/// holds a map of every row (nor a map growing to twice its size).
#[derive(Debug, Clone, Default)]
pub struct Monthly {
    /// The kept months (`year * 12 + month - 1`), sorted.
    window: Vec<i32>,
    /// `figures[c * window.len() + w]`: customer `c` in month `window[w]`.
    figures: Vec<Option<Month>>,
    /// (customer, month) of the rows of months outside the window.
    others: HashSet<(u32, i32)>,
}

fn month_index((y, m): (i32, u32)) -> i32 {
    y * 12 + m as i32 - 1
}

/// The period's months (those whose last day is in it), as [`warnings`] goes
/// through them.
fn period_months(start: NaiveDate, end: NaiveDate) -> Vec<(i32, u32)> {
    let mut months = Vec::new();
    let mut m = (start.year(), start.month());
    while super::month_end(m) <= end {
        months.push(m);
        m = super::add_months(m, 1);
    }
    months
}

impl Monthly {
    /// Room for `customers` customers over the period from `start` to `end`.
    pub fn new(customers: usize, start: NaiveDate, end: NaiveDate) -> Monthly {
        let mut window: Vec<i32> = period_months(start, end)
            .into_iter()
            .flat_map(|m| [0, -1, -12].map(|k| month_index(super::add_months(m, k))))
            .collect();
        window.sort_unstable();
        window.dedup();
        Monthly {
            figures: vec![None; customers * window.len()],
            window,
            others: HashSet::new(),
        }
    }

    fn slot(&self, (c, m): (usize, (i32, u32))) -> Option<usize> {
        let w = self.window.binary_search(&month_index(m)).ok()?;
        let i = c.checked_mul(self.window.len())?.checked_add(w)?;
        (i < self.figures.len()).then_some(i)
    }

    /// The figures of a customer in a month of the window.
    pub fn get(&self, key: &(usize, (i32, u32))) -> Option<&Month> {
        self.slot(*key).and_then(|i| self.figures[i].as_ref())
    }

    /// Keep a customer's month (the later row wins); whether the customer
    /// already had a row for that month.
    pub fn insert(&mut self, key: (usize, (i32, u32)), month: Month) -> bool {
        match self.slot(key) {
            Some(i) => self.figures[i].replace(month).is_some(),
            None => !self.others.insert((key.0 as u32, month_index(key.1))),
        }
    }
}

fn fall_level(
    before: Decimal,
    after: Decimal,
    lv: &Levels,
) -> Option<(Decimal, Severity, Decimal)> {
    if before <= Decimal::ZERO {
        return None;
    }
    let fall = crate::exact::quot(before - after, before);
    if fall > lv.severe.get() {
        Some((fall, Severity::Severe, lv.severe.get()))
    } else if fall > lv.warn.get() {
        Some((fall, Severity::Warn, lv.warn.get()))
    } else {
        None
    }
}

/// A monthly signal: its kind, thresholds, how many months back it compares
/// and which figure it reads.
type Check<'a> = (Kind, Option<&'a Levels>, i32, fn(&Month) -> Option<Decimal>);

/// Raise every warning of the period.
pub fn warnings(
    cfg: &Retention,
    customers: &Customers,
    monthly: &Monthly,
    visits: &Visits,
    start: NaiveDate,
    end: NaiveDate,
) -> Vec<Warning> {
    let months = period_months(start, end);
    let handle = chrono::Days::new(u64::from(cfg.handle_days));
    let handling = |c: usize, raised: NaiveDate| -> Handling {
        let until = raised.checked_add_days(handle).unwrap_or(raised);
        match visits.first_in(c, raised, until.min(end)) {
            Some(d) => Handling::Handled(d),
            None if until <= end => Handling::Overdue,
            None => Handling::Pending,
        }
    };
    let mut out = Vec::new();
    for (c, cust) in customers.list.iter().enumerate() {
        let mut push = |kind, raised, (value, severity, threshold), before, after| {
            out.push(Warning {
                customer: c,
                am: cust.am,
                kind,
                severity,
                raised,
                value,
                threshold,
                before,
                after,
                handling: if kind.is_fraction() {
                    handling(c, raised)
                } else {
                    Handling::Pending
                },
            });
        };
        for &m in &months {
            let Some(now) = monthly.get(&(c, m)) else {
                continue;
            };
            let raised = super::month_end(m);
            let checks: [Check; 3] = [
                (Kind::RevenueMom, cfg.revenue_mom.as_ref(), -1, |x| {
                    x.revenue
                }),
                (Kind::RevenueYoy, cfg.revenue_yoy.as_ref(), -12, |x| {
                    x.revenue
                }),
                (Kind::MemberChurn, cfg.member_churn.as_ref(), -1, |x| {
                    x.members
                }),
            ];
            for (kind, lv, back, get) in checks {
                let Some(lv) = lv else { continue };
                let before = monthly.get(&(c, super::add_months(m, back))).and_then(get);
                if let (Some(b), Some(a)) = (before, get(now))
                    && let Some(hit) = fall_level(b, a, lv)
                {
                    push(kind, raised, hit, Some(b), Some(a));
                }
            }
        }
        if let (Some(lv), Some(ce)) = (&cfg.contract_days, cust.contract_end) {
            let left = (ce - end).num_days();
            if let Some(hit) = day_level_at_most(left, lv) {
                push(Kind::ContractExpiry, end, hit, None, None);
            }
        }
        if let Some(lv) = &cfg.no_visit_days {
            let since = visits
                .last_by(c, end)
                .unwrap_or(start.pred_opt().unwrap_or(start));
            let days = (end - since).num_days();
            if let Some(hit) = day_level_over(days, lv) {
                push(Kind::NoVisit, end, hit, None, None);
            }
        }
    }
    out
}

/// Contract: fewer days left is worse.
fn day_level_at_most(days: i64, lv: &DayLevels) -> Option<(Decimal, Severity, Decimal)> {
    if days <= i64::from(lv.severe) {
        Some((
            Decimal::from(days),
            Severity::Severe,
            Decimal::from(lv.severe),
        ))
    } else if days <= i64::from(lv.warn) {
        Some((Decimal::from(days), Severity::Warn, Decimal::from(lv.warn)))
    } else {
        None
    }
}

/// No visit: more days is worse.
fn day_level_over(days: i64, lv: &DayLevels) -> Option<(Decimal, Severity, Decimal)> {
    if days > i64::from(lv.severe) {
        Some((
            Decimal::from(days),
            Severity::Severe,
            Decimal::from(lv.severe),
        ))
    } else if days > i64::from(lv.warn) {
        Some((Decimal::from(days), Severity::Warn, Decimal::from(lv.warn)))
    } else {
        None
    }
}

/// Per-employee warning counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub total: u64,
    pub severe: u64,
    pub due: u64,
    pub handled: u64,
}

impl Counts {
    /// handled ÷ due, 1 when nothing is due.
    pub fn handling_rate(&self) -> Decimal {
        if self.due == 0 {
            Decimal::ONE
        } else {
            crate::exact::quot(Decimal::from(self.handled), Decimal::from(self.due))
        }
    }
}

pub fn counts(warnings: &[Warning], n: usize) -> Vec<Counts> {
    let mut out = vec![Counts::default(); n];
    for w in warnings {
        let Some(c) = w.am.and_then(|e| out.get_mut(e)) else {
            continue;
        };
        c.total += 1;
        if w.severity == Severity::Severe {
            c.severe += 1;
        }
        match w.handling {
            Handling::Handled(_) => {
                c.due += 1;
                c.handled += 1;
            }
            Handling::Overdue => c.due += 1,
            Handling::Pending => {}
        }
    }
    out
}

/// The monthly figures as read, and the sheet they came from.
pub(super) type RetentionFigures = Option<(Monthly, std::sync::Arc<str>)>;

/// Read the monthly figures. They need the customer list, not the daily
/// log, so they are read while the log is.
pub(super) fn read(
    cfg: &Retention,
    rd: &mut Reader,
    customers: &Customers,
    (start, end): (NaiveDate, NaiveDate),
) -> RetentionFigures {
    let mut wb = rd.open(&cfg.file)?;
    let c = &cfg.columns;
    let wants = [
        ("month", c.month.as_str(), ColumnType::Text),
        ("revenue", c.revenue.as_str(), ColumnType::Number),
        ("members", c.members.as_str(), ColumnType::Number),
    ];
    let mut monthly = Monthly::new(customers.list.len(), start, end);
    let each = |t: &Table, r: Row, problems: &mut Vec<Problem>| {
        let Some(ci) = customers.find(&r.key) else {
            problems.push(
                Problem::at_cell(
                    &t.key_origin(r.row),
                    crate::t!(
                        "客户 `{0}` 不在客户名单中",
                        "customer `{0}` is not in the customer list",
                        r.key
                    ),
                )
                .help(crate::lang::Text::new(
                    "改正 客户编码，或把该客户加入客户名单",
                    "correct the 客户编码, or add the customer to the customer list",
                )),
            );
            return;
        };
        let text = r.values[0].as_ref().and_then(Value::text).unwrap_or("");
        let Some(m) = super::parse_month(text) else {
            problems.push(
                Problem::at_cell(
                    &t.origin(r.row, 0),
                    crate::t!("`{text}` 不是月份", "`{text}` is not a month"),
                )
                .help(crate::lang::Text::new(
                    "月份请写成 2024-07 的样子",
                    "write the month as 2024-07",
                )),
            );
            return;
        };
        let num = |j: usize| r.values[j].as_ref().and_then(Value::num);
        if monthly.insert(
            (ci, m),
            Month {
                revenue: num(1),
                members: num(2),
            },
        ) {
            problems.push(
                Problem::at_cell(
                    &t.key_origin(r.row),
                    crate::t!(
                        "客户 `{0}` 在 {1}-{2:02} 有第二行",
                        "customer `{0}` has a second row for {1}-{2:02}",
                        r.key,
                        m.0,
                        m.1
                    ),
                )
                .help(crate::lang::Text::new(
                    "每个客户每月只保留一行",
                    "keep one row per customer per month",
                )),
            );
        }
    };
    let t = rd.stream(
        &mut wb,
        &cfg.sheet,
        cfg.header_row,
        &c.customer,
        &wants,
        each,
    )?;
    Some((monthly, t.sheet))
}

/// Raise the warnings from the figures read and the daily log's visits,
/// and count them per employee.
pub(super) fn load(
    cfg: &Retention,
    read: RetentionFigures,
    ds: &Dataset,
    customers: &Customers,
    visits: &Visits,
    (start, end): (NaiveDate, NaiveDate),
) -> (Metrics, Vec<Warning>) {
    let Some((monthly, sheet)) = read else {
        return (Vec::new(), Vec::new());
    };
    let mut ws = warnings(cfg, customers, &monthly, visits, start, end);
    drop(monthly);
    // Kept for the reports: no room beyond the warnings themselves.
    ws.shrink_to_fit();
    let counts = counts(&ws, ds.employees.len());
    let src = format!("保有预警 {sheet}");
    let col = |of: &dyn Fn(&Counts) -> Decimal| {
        super::column(counts.iter().map(|c| Some(of(c))).collect(), &src)
    };
    let metrics = vec![
        ("warnings".to_string(), col(&|c| Decimal::from(c.total))),
        (
            "warnings_severe".to_string(),
            col(&|c| Decimal::from(c.severe)),
        ),
        ("warnings_due".to_string(), col(&|c| Decimal::from(c.due))),
        (
            "warnings_handled".to_string(),
            col(&|c| Decimal::from(c.handled)),
        ),
        ("warning_handling".to_string(), col(&Counts::handling_rate)),
    ];
    (metrics, ws)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Dec;
    use crate::instruments::customers::Customer;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).expect("decimal")
    }

    fn day(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).expect("date")
    }

    fn cfg() -> Retention {
        let lv = |w: &str, s: &str| Levels {
            warn: Dec(d(w)),
            severe: Dec(d(s)),
        };
        Retention {
            file: String::new(),
            sheet: String::new(),
            header_row: 1,
            columns: crate::config::instruments::RetentionColumns {
                customer: String::new(),
                month: String::new(),
                revenue: String::new(),
                members: String::new(),
            },
            revenue_mom: Some(lv("0.1", "0.3")),
            revenue_yoy: Some(lv("0.2", "0.4")),
            member_churn: Some(lv("0.05", "0.15")),
            contract_days: Some(DayLevels {
                warn: 90,
                severe: 30,
            }),
            no_visit_days: Some(DayLevels {
                warn: 30,
                severe: 60,
            }),
            handle_days: 15,
        }
    }

    fn customers(ends: &[NaiveDate]) -> Customers {
        Customers::new(
            ends.iter()
                .enumerate()
                .map(|(i, e)| Customer {
                    code: format!("C{i}"),
                    name: String::new(),
                    am: Some(0),
                    contract_end: Some(*e),
                })
                .collect(),
        )
    }

    fn month(rev: &str, members: &str) -> Month {
        Month {
            revenue: Some(d(rev)),
            members: Some(d(members)),
        }
    }

    #[test]
    fn falls_contracts_and_silence_by_hand() {
        let far = day(2026, 1, 1);
        // C0: revenue 100 (June) → 85 (July): −15 %, a 一般 MoM warning.
        //     July members 200 → 160 in August: −20 %, 严重 churn.
        // C1: contract ends 2024-10-20, 20 days after the period: 严重.
        let cs = customers(&[far, day(2024, 10, 20)]);
        let mut m = Monthly::new(1, day(2024, 7, 1), day(2024, 9, 30));
        m.insert((0, (2024, 6)), month("100", "200"));
        m.insert((0, (2024, 7)), month("85", "200"));
        m.insert((0, (2024, 8)), month("85", "160"));
        m.insert((0, (2024, 9)), month("85", "160"));
        // Year on year for September: 2023-09 revenue 100 → 85, −15 % < 20 %: none.
        m.insert((0, (2023, 9)), month("100", "160"));
        let mut v = Visits::default();
        // C0 visited 2024-08-05 (inside the July warning's 15 days) and 09-20.
        v.dates.insert(0, vec![day(2024, 8, 5), day(2024, 9, 20)]);
        let (s, e) = (day(2024, 7, 1), day(2024, 9, 30));
        let ws = warnings(&cfg(), &cs, &m, &v, s, e);
        let kinds: Vec<(Kind, Severity)> = ws.iter().map(|w| (w.kind, w.severity)).collect();
        assert_eq!(
            kinds,
            vec![
                (Kind::RevenueMom, Severity::Warn),
                (Kind::MemberChurn, Severity::Severe),
                (Kind::ContractExpiry, Severity::Severe),
                // C1 was never visited: 92 days > 60.
                (Kind::NoVisit, Severity::Severe),
            ]
        );
        assert_eq!(ws[0].value, d("0.15"));
        assert_eq!(ws[0].raised, day(2024, 7, 31));
        assert_eq!(ws[0].handling, Handling::Handled(day(2024, 8, 5)));
        // Raised 08-31; next visit 09-20 is after the 15 days: overdue.
        assert_eq!(ws[1].value, d("0.2"));
        assert_eq!(ws[1].handling, Handling::Overdue);
        assert_eq!(ws[2].value, d("20"));
        assert_eq!(ws[3].value, d("92"));
        // C0 was visited 10 days before the end: no silence warning.
        let c = counts(&ws, 1);
        assert_eq!(
            c[0],
            Counts {
                total: 4,
                severe: 3,
                due: 2,
                handled: 1
            }
        );
        assert_eq!(c[0].handling_rate(), d("0.5"));
        assert_eq!(Counts::default().handling_rate(), Decimal::ONE);
    }

    #[test]
    fn only_the_compared_months_are_kept_and_every_second_row_is_found() {
        // Q3 2024 compares July–September, June (before July) and
        // July–September 2023 (a year earlier): 7 months per customer.
        let mut m = Monthly::new(2, day(2024, 7, 1), day(2024, 9, 30));
        assert_eq!(m.figures.len(), 14);
        assert!(!m.insert((1, (2024, 6)), month("100", "1")));
        assert!(!m.insert((1, (2023, 9)), month("90", "1")));
        // May 2024 and August 2023 are compared with nothing: not kept.
        assert!(!m.insert((1, (2024, 5)), month("80", "1")));
        assert!(!m.insert((0, (2023, 8)), month("70", "1")));
        assert_eq!(m.get(&(1, (2024, 6))), Some(&month("100", "1")));
        assert_eq!(m.get(&(1, (2023, 9))), Some(&month("90", "1")));
        assert_eq!(m.get(&(1, (2024, 5))), None);
        assert_eq!(m.get(&(0, (2024, 6))), None);
        // A second row, kept or not, is found; the later one is kept.
        assert!(m.insert((1, (2024, 6)), month("50", "2")));
        assert_eq!(m.get(&(1, (2024, 6))), Some(&month("50", "2")));
        assert!(m.insert((1, (2024, 5)), month("80", "1")));
        assert!(!m.insert((1, (2023, 8)), month("70", "1")));
    }

    /// Issue 15 (README, scoring semantics): a visit on the day a warning
    /// is raised does not handle it; the next day's does.
    #[test]
    fn a_visit_on_the_day_a_warning_is_raised_does_not_handle_it() {
        let cs = customers(&[day(2026, 1, 1)]);
        let mut m = Monthly::new(1, day(2024, 7, 1), day(2024, 9, 30));
        m.insert((0, (2024, 6)), month("100", "200"));
        m.insert((0, (2024, 7)), month("85", "200"));
        let (s, e) = (day(2024, 7, 1), day(2024, 9, 30));
        let mut v = Visits::default();
        v.dates.insert(0, vec![day(2024, 7, 31)]);
        let ws = warnings(&cfg(), &cs, &m, &v, s, e);
        assert_eq!(ws[0].raised, day(2024, 7, 31));
        assert_eq!(ws[0].handling, Handling::Overdue);
        v.dates.insert(0, vec![day(2024, 7, 31), day(2024, 8, 1)]);
        let ws = warnings(&cfg(), &cs, &m, &v, s, e);
        assert_eq!(ws[0].handling, Handling::Handled(day(2024, 8, 1)));
    }

    #[test]
    fn a_window_open_at_the_end_is_pending() {
        let cs = customers(&[day(2026, 1, 1)]);
        let mut m = Monthly::new(1, day(2024, 7, 1), day(2024, 9, 30));
        m.insert((0, (2024, 8)), month("100", "10"));
        m.insert((0, (2024, 9)), month("50", "10"));
        let mut v = Visits::default();
        v.dates.insert(0, vec![day(2024, 9, 29)]);
        let ws = warnings(&cfg(), &cs, &m, &v, day(2024, 7, 1), day(2024, 9, 30));
        assert_eq!(ws.len(), 1);
        assert_eq!(ws[0].severity, Severity::Severe);
        assert_eq!(ws[0].handling, Handling::Pending);
    }
}
