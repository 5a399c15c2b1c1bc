//! 日行事例, the daily routine log: per account manager per working day, the
//! visits planned and done, the customers visited and whom was met there
//! (关键人 key person or 基础成员 base members). It yields, per employee:
//!
//! | metric | value |
//! |---|---|
//! | `visits_planned`, `visits_done` | Σ 计划走访, Σ 实际走访 in the period |
//! | `visit_completion` | done ÷ planned (missing when nothing was planned) |
//! | `customers_assigned` | customers whose 客户经理工号 is the employee |
//! | `customers_visited` | distinct assigned customers visited |
//! | `customer_coverage` | visited ÷ assigned |
//! | `base_customers_visited` | distinct assigned customers where base members were met |
//! | `base_coverage` | base_customers_visited ÷ assigned: the study's weak spot, visits that stop at the key person |
//! | `plan_accuracy` | max(0, 1 − Σ|done − planned| ÷ Σ planned) |
//!
//! Every visit (in or after the period) also dates the customer's last
//! visit, which the retention warnings read.

use super::Metrics;
use super::Reader;
use super::customers::Customers;
use super::unknown_ids::UnknownIds;
use crate::config::ColumnType;
use crate::config::instruments::DailyLog;
use crate::error::Problem;
use crate::ingest::column::{Column, ColumnSrc};
use crate::ingest::gather::Gather;
use crate::ingest::{Dataset, Row, Table, Value};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::{HashMap, HashSet};

/// Whom a visit met.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contact {
    KeyPerson,
    BaseMembers,
}

/// One day of one employee's log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogRow {
    pub emp: usize,
    pub date: NaiveDate,
    pub planned: Decimal,
    pub done: Decimal,
    /// (customer index, whom was met).
    pub visits: Vec<(usize, Contact)>,
    /// 0-based sheet row.
    pub row: u32,
}

/// The dates each customer was visited, sorted.
#[derive(Debug, Clone, Default)]
pub struct Visits {
    pub dates: HashMap<usize, Vec<NaiveDate>>,
}

impl Visits {
    /// The last visit on or before `day`.
    pub fn last_by(&self, customer: usize, day: NaiveDate) -> Option<NaiveDate> {
        let ds = self.dates.get(&customer)?;
        let k = ds.partition_point(|d| *d <= day);
        (k > 0).then(|| ds[k - 1])
    }

    /// Add the visits of the rows that follow (sorted once all are in).
    pub fn append(&mut self, next: Visits) {
        for (customer, dates) in next.dates {
            self.dates.entry(customer).or_default().extend(dates);
        }
    }

    /// The first visit after `after` and on or before `until`.
    pub fn first_in(
        &self,
        customer: usize,
        after: NaiveDate,
        until: NaiveDate,
    ) -> Option<NaiveDate> {
        let ds = self.dates.get(&customer)?;
        let k = ds.partition_point(|d| *d <= after);
        ds.get(k).copied().filter(|d| *d <= until)
    }
}

/// One employee's daily-log figures.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DailyMetrics {
    pub planned: Decimal,
    pub done: Decimal,
    pub deviation: Decimal,
    pub assigned: usize,
    pub visited: usize,
    pub base_visited: usize,
    pub rows: Vec<u32>,
}

impl DailyMetrics {
    pub fn completion(&self) -> Option<Decimal> {
        (!self.planned.is_zero()).then(|| crate::exact::quot(self.done, self.planned))
    }

    pub fn coverage(&self) -> Option<Decimal> {
        (self.assigned > 0)
            .then(|| crate::exact::quot(Decimal::from(self.visited), Decimal::from(self.assigned)))
    }

    pub fn base_coverage(&self) -> Option<Decimal> {
        (self.assigned > 0).then(|| {
            crate::exact::quot(
                Decimal::from(self.base_visited),
                Decimal::from(self.assigned),
            )
        })
    }

    pub fn plan_accuracy(&self) -> Option<Decimal> {
        (!self.planned.is_zero()).then(|| {
            (Decimal::ONE - crate::exact::quot(self.deviation, self.planned)).max(Decimal::ZERO)
        })
    }
}

/// Tally the rows inside [start, end] per employee (`n` employees).
pub fn tally(
    rows: &[LogRow],
    customers: &Customers,
    n: usize,
    start: NaiveDate,
    end: NaiveDate,
) -> Vec<DailyMetrics> {
    let mut t = Tally::new(n, start, end);
    for r in rows {
        t.add(r, customers);
    }
    t.finish(customers)
}

/// [`tally`] one row at a time, as the log is read.
pub struct Tally {
    out: Vec<DailyMetrics>,
    visited: HashMap<usize, HashSet<usize>>,
    base: HashMap<usize, HashSet<usize>>,
    start: NaiveDate,
    end: NaiveDate,
}

impl Tally {
    pub fn new(n: usize, start: NaiveDate, end: NaiveDate) -> Tally {
        Tally {
            out: vec![DailyMetrics::default(); n],
            visited: HashMap::new(),
            base: HashMap::new(),
            start,
            end,
        }
    }

    pub fn add(&mut self, r: &LogRow, customers: &Customers) {
        if r.date < self.start || r.date > self.end || r.emp >= self.out.len() {
            return;
        }
        let m = &mut self.out[r.emp];
        m.planned += r.planned;
        m.done += r.done;
        m.deviation += (r.done - r.planned).abs();
        m.rows.push(r.row);
        for &(c, who) in &r.visits {
            // Only the employee's own customers count toward coverage.
            if customers.list.get(c).and_then(|x| x.am) != Some(r.emp) {
                continue;
            }
            self.visited.entry(r.emp).or_default().insert(c);
            if who == Contact::BaseMembers {
                self.base.entry(r.emp).or_default().insert(c);
            }
        }
    }

    /// Add the tally of the rows that follow (those of the next sheet).
    pub fn append(&mut self, next: Tally) {
        for (m, n) in self.out.iter_mut().zip(next.out) {
            m.planned += n.planned;
            m.done += n.done;
            m.deviation += n.deviation;
            m.rows.extend(n.rows);
        }
        for (emp, visited) in next.visited {
            self.visited.entry(emp).or_default().extend(visited);
        }
        for (emp, base) in next.base {
            self.base.entry(emp).or_default().extend(base);
        }
    }

    pub fn finish(mut self, customers: &Customers) -> Vec<DailyMetrics> {
        for (emp, m) in self.out.iter_mut().enumerate() {
            m.assigned = customers.assigned(emp);
            m.visited = self.visited.get(&emp).map_or(0, HashSet::len);
            m.base_visited = self.base.get(&emp).map_or(0, HashSet::len);
        }
        self.out
    }
}

pub(super) fn load(
    d: &DailyLog,
    rd: &mut Reader,
    ds: &Dataset,
    customers: &Customers,
    start: NaiveDate,
    end: NaiveDate,
) -> (Metrics, Visits) {
    let Some(mut wb) = rd.open(&d.file) else {
        return (Vec::new(), Visits::default());
    };
    let c = &d.columns;
    let mut wants = vec![
        ("date", c.date.as_str(), ColumnType::Date),
        ("planned", c.planned.as_str(), ColumnType::Number),
        ("done", c.done.as_str(), ColumnType::Number),
        ("customers", c.customers.as_str(), ColumnType::Text),
        ("contacts", c.contacts.as_str(), ColumnType::Text),
    ];
    if let Some(t) = &c.tasks {
        wants.push(("tasks", t, ColumnType::Text));
    }
    // Each sheet of the log (it may go on in 日行事例2, …) is read into a
    // part of its own, the parts merged in sheet order.
    let new = || Part {
        d,
        ds,
        customers,
        tally: Tally::new(ds.employees.len(), start, end),
        visits: Visits::default(),
        unknown: UnknownIds::default(),
    };
    let (read, stream) = rd.gather(&mut wb, &d.sheet, d.header_row, &c.id, &wants, &new);
    let Part {
        tally,
        mut visits,
        unknown,
        ..
    } = read;
    rd.problems.extend(unknown.problems());
    let Some(t) = stream else {
        return (Vec::new(), Visits::default());
    };
    for v in visits.dates.values_mut() {
        v.sort_unstable();
        v.dedup();
        v.shrink_to_fit();
    }
    let mut tallies = tally.finish(customers);
    let sheet = t.shared.clone();
    // One shared list of rows per employee behind all nine metrics; each
    // employee's list is let go as it is shared.
    let shared: std::sync::Arc<[std::sync::Arc<[u32]>]> = tallies
        .iter_mut()
        .map(|m| std::sync::Arc::from(std::mem::take(&mut m.rows)))
        .collect();
    let col = |f: &dyn Fn(&DailyMetrics) -> Option<Decimal>| Column {
        values: tallies.iter().map(f).collect(),
        src: ColumnSrc::Rows {
            sheet: sheet.clone(),
            rows: shared.clone(),
        },
    };
    let metrics = vec![
        ("visits_planned".to_string(), col(&|m| Some(m.planned))),
        ("visits_done".to_string(), col(&|m| Some(m.done))),
        (
            "visit_completion".to_string(),
            col(&DailyMetrics::completion),
        ),
        (
            "customers_assigned".to_string(),
            col(&|m| Some(Decimal::from(m.assigned))),
        ),
        (
            "customers_visited".to_string(),
            col(&|m| Some(Decimal::from(m.visited))),
        ),
        (
            "customer_coverage".to_string(),
            col(&DailyMetrics::coverage),
        ),
        (
            "base_customers_visited".to_string(),
            col(&|m| Some(Decimal::from(m.base_visited))),
        ),
        (
            "base_coverage".to_string(),
            col(&DailyMetrics::base_coverage),
        ),
        (
            "plan_accuracy".to_string(),
            col(&DailyMetrics::plan_accuracy),
        ),
    ];
    (metrics, visits)
}

/// What rows of the log come to: each employee's tally, the customers'
/// visits, and the ids not in the roster.
struct Part<'a> {
    d: &'a DailyLog,
    ds: &'a Dataset,
    customers: &'a Customers,
    tally: Tally,
    visits: Visits,
    unknown: UnknownIds,
}

impl Gather for Part<'_> {
    fn row(&mut self, t: &Table, r: Row, problems: &mut Vec<Problem>) {
        if self.ds.employees.is_empty() {
            return;
        }
        let Some(&emp) = self.ds.index.get(&r.key) else {
            self.unknown.see(&r.key, || t.key_origin(r.row));
            return;
        };
        if let Some(row) = log_row(self.d, emp, self.customers, t, &r, problems) {
            for &(c, _) in &row.visits {
                self.visits.dates.entry(c).or_default().push(row.date);
            }
            self.tally.add(&row, self.customers);
        }
    }

    fn append(&mut self, next: Part) {
        self.tally.append(next.tally);
        self.visits.append(next.visits);
        self.unknown.append(next.unknown);
    }
}

/// One row of the log, checked; `None` (with its problems) when unusable.
fn log_row(
    d: &DailyLog,
    emp: usize,
    customers: &Customers,
    t: &Table,
    r: &Row,
    problems: &mut Vec<Problem>,
) -> Option<LogRow> {
    let Some(Value::Date(date)) = r.values[0].clone() else {
        problems.push(
            Problem::at_cell(
                &t.origin(r.row, 0),
                crate::lang::Text::new("这行日志没有日期", "the log row has no date"),
            )
            .help(crate::lang::Text::new(
                "填上这行记录的日期",
                "fill in the day the row reports",
            )),
        );
        return None;
    };
    let num = |j: usize| {
        r.values[j]
            .as_ref()
            .and_then(Value::num)
            .unwrap_or_default()
    };
    let text = |j: usize| r.values[j].as_ref().and_then(Value::text).unwrap_or("");
    let codes = super::split_list(text(3));
    let whom = super::split_list(text(4));
    if !(whom.len() == codes.len() || (whom.len() == 1 && !codes.is_empty())) {
        problems.push(
            Problem::at_cell(
                &t.origin(r.row, 4),
                crate::t!(
                    "拜访了 {0} 个客户，却填了 {1} 个接触对象",
                    "{0} customers visited but {1} contacts given",
                    codes.len(),
                    whom.len()
                ),
            )
            .help(crate::lang::Text::new(
                "每个客户按相同顺序填一个 接触对象，或只填一个代表全部",
                "give one 接触对象 per customer, in the same order, or one for all",
            )),
        );
        return None;
    }
    let mut visits = Vec::with_capacity(codes.len());
    for (i, code) in codes.iter().enumerate() {
        let who = whom.get(i).or(whom.first()).copied().unwrap_or("");
        let contact = if who == d.key_person {
            Contact::KeyPerson
        } else if who == d.base_member {
            Contact::BaseMembers
        } else {
            problems.push(
                Problem::at_cell(
                    &t.origin(r.row, 4),
                    crate::t!("不认识的 接触对象 `{who}`", "unknown 接触对象 `{who}`"),
                )
                .help(crate::t!(
                    "请写 `{0}` 或 `{1}`",
                    "write `{0}` or `{1}`",
                    d.key_person,
                    d.base_member
                )),
            );
            continue;
        };
        match customers.find(code) {
            Some(ci) => visits.push((ci, contact)),
            None => problems.push(
                Problem::at_cell(
                    &t.origin(r.row, 3),
                    crate::t!(
                        "客户 `{code}` 不在客户名单中",
                        "customer `{code}` is not in the customer list"
                    ),
                )
                .help(crate::lang::Text::new(
                    "改正 客户编码，或把该客户加入客户名单",
                    "correct the 客户编码, or add the customer to the customer list",
                )),
            ),
        }
    }
    Some(LogRow {
        emp,
        date,
        planned: num(1),
        done: num(2),
        visits,
        row: r.row,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instruments::customers::Customer;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).expect("decimal")
    }

    fn day(m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, m, dd).expect("date")
    }

    fn customers() -> Customers {
        // Employee 0 has customers 0, 1, 2, 3; employee 1 has customer 4.
        let am = [0, 0, 0, 0, 1];
        Customers::new(
            am.iter()
                .enumerate()
                .map(|(i, &a)| Customer {
                    code: format!("C{i}"),
                    name: String::new(),
                    am: Some(a),
                    contract_end: None,
                })
                .collect(),
        )
    }

    fn row(emp: usize, date: NaiveDate, planned: i64, done: i64, v: &[(usize, Contact)]) -> LogRow {
        LogRow {
            emp,
            date,
            planned: Decimal::from(planned),
            done: Decimal::from(done),
            visits: v.to_vec(),
            row: 1,
        }
    }

    #[test]
    fn completion_coverage_base_coverage_and_accuracy_by_hand() {
        use Contact::*;
        let rows = vec![
            // Day 1: planned 3, did 2: C0 key person, C1 base members.
            row(0, day(7, 1), 3, 2, &[(0, KeyPerson), (1, BaseMembers)]),
            // Day 2: planned 2, did 3: C0 again, C2, and employee 1's C4.
            row(
                0,
                day(7, 2),
                2,
                3,
                &[(0, BaseMembers), (2, KeyPerson), (4, KeyPerson)],
            ),
            // Outside the period: ignored.
            row(0, day(6, 30), 5, 0, &[(3, BaseMembers)]),
        ];
        let t = tally(&rows, &customers(), 2, day(7, 1), day(9, 30));
        let m = &t[0];
        // planned 5, done 5: completion 1.
        assert_eq!(m.completion(), Some(d("1")));
        // Own customers visited: C0, C1, C2 of four (C4 is not theirs).
        assert_eq!(m.coverage(), Some(d("0.75")));
        // Base members met at C1 and C0: two of four.
        assert_eq!(m.base_coverage(), Some(d("0.5")));
        // |2 − 3| + |3 − 2| = 2 over 5 planned: 1 − 0.4.
        assert_eq!(m.plan_accuracy(), Some(d("0.6")));
        // Employee 1 logged nothing: counts zero, ratios missing or zero.
        assert_eq!(t[1].completion(), None);
        assert_eq!(t[1].coverage(), Some(d("0")));
    }

    #[test]
    fn accuracy_never_goes_below_zero() {
        let rows = vec![row(0, day(7, 1), 1, 4, &[])];
        let t = tally(&rows, &customers(), 1, day(7, 1), day(9, 30));
        assert_eq!(t[0].plan_accuracy(), Some(Decimal::ZERO));
        assert_eq!(t[0].completion(), Some(d("4")));
    }

    #[test]
    fn last_visit_and_first_visit_after() {
        let mut v = Visits::default();
        v.dates.insert(0, vec![day(7, 3), day(8, 10)]);
        assert_eq!(v.last_by(0, day(8, 9)), Some(day(7, 3)));
        assert_eq!(v.last_by(0, day(7, 2)), None);
        assert_eq!(v.first_in(0, day(7, 31), day(8, 15)), Some(day(8, 10)));
        assert_eq!(v.first_in(0, day(7, 31), day(8, 9)), None);
    }
}
