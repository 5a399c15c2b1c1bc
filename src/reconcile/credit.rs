//! Who gets credit for a reconciled project: a split shares its figure
//! between the roles (the shares total 100 %, the parts add up to the
//! figure exactly), an overlay credits each role in full (双计), a shared
//! credit scores each role on the same projects (共背). The credit counts
//! when its date falls in the period. Team and company totals count each
//! project's figure at most once, whatever the overlay.

use super::{Id, Project};
use crate::config::reconcile::{Credit, Reconcile, Share};
use crate::ingest::{Cell, Credited, Dataset, Src, Value};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// One person's (or one unfilled role's) credit from one project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditLine {
    pub role: Id,
    /// None: nobody holds the role on this project; the share is not credited.
    pub emp: Option<usize>,
    /// The share of a split, 1 for an overlay; none for a shared credit.
    pub share: Option<Decimal>,
    pub amount: Decimal,
    /// This line's amount reads an unresolved field (figure, divisor,
    /// date, who holds the role: `reads`): a provisional credit.
    pub provisional: bool,
}

/// One credit of one project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectCredit {
    /// Index into `[[reconcile.credits]]`.
    pub credit: usize,
    pub project: Id,
    /// The reconciled figure credited.
    pub base: Option<Decimal>,
    /// For shared ratios: the reconciled divisor (`per`).
    pub per: Option<Decimal>,
    pub date: Option<NaiveDate>,
    /// The date is in the period: the credit counts.
    pub in_period: bool,
    pub lines: Box<[CreditLine]>,
    /// What the project adds to a company total: at most its figure.
    pub counted_once: Decimal,
    /// Some field the credit reads is unresolved (for any of its roles).
    pub provisional: bool,
}

impl ProjectCredit {
    /// Σ of the people's credits (more than the figure under an overlay).
    pub fn credited_sum(&self) -> Decimal {
        self.lines
            .iter()
            .filter(|l| l.emp.is_some())
            .map(|l| l.amount)
            .sum()
    }
}

/// `value` split by `shares` (which total 1): the last part is what the
/// others leave, so the parts add up to `value` exactly.
pub fn split_amounts(value: Decimal, shares: &[Decimal]) -> Vec<Decimal> {
    let mut out = Vec::with_capacity(shares.len());
    let mut left = value;
    for (i, s) in shares.iter().enumerate() {
        if i + 1 == shares.len() {
            out.push(left);
        } else {
            let part = value * s;
            left -= part;
            out.push(part);
        }
    }
    out
}

/// The reconciled fields a credit reads for one of its roles: the figure,
/// the divisor, the date that puts it in the period, and the field naming
/// who holds the role. An unresolved conflict on any other field (another
/// role's person, a field no credit reads) does not change this credit.
pub fn reads<'a>(r: &'a Reconcile, c: &'a Credit, role: &str) -> Vec<&'a str> {
    let mut out = vec![c.field.as_str(), c.date.as_str()];
    out.extend(c.per.as_deref());
    out.extend(r.roles.get(role).map(String::as_str));
    out.dedup();
    out
}

/// The fields of `reads` that are unresolved on the project.
fn unresolved_reads(r: &Reconcile, c: &Credit, p: &Project, role: &str) -> Vec<String> {
    reads(r, c, role)
        .into_iter()
        .filter(|f| p.unresolved.iter().any(|u| u == f))
        .map(str::to_string)
        .collect()
}

fn num(p: &Project, field: &str) -> Option<Decimal> {
    p.values.get(field).and_then(Value::num)
}

/// Every credit of every project.
pub fn compute(
    r: &Reconcile,
    projects: &[Project],
    period: (NaiveDate, NaiveDate),
) -> Vec<ProjectCredit> {
    let k = Crediting::new(r, period);
    let mut out = Vec::with_capacity(r.credits.len() * projects.len());
    for ci in 0..r.credits.len() {
        for p in projects {
            out.push(k.project(ci, p));
        }
    }
    out
}

/// The credits prepared once, to credit projects one at a time.
pub struct Crediting<'a> {
    r: &'a Reconcile,
    period: (NaiveDate, NaiveDate),
    /// Per credit: its share, and its roles, each named by one shared id
    /// on every line of the credit.
    each: Vec<(Share, Vec<Id>)>,
}

impl<'a> Crediting<'a> {
    pub fn new(r: &'a Reconcile, period: (NaiveDate, NaiveDate)) -> Crediting<'a> {
        let each = r
            .credits
            .iter()
            .map(|c| {
                let roles = c.roles().iter().map(|s| Id::from(s.as_str())).collect();
                (c.share(), roles)
            })
            .collect();
        Crediting { r, period, each }
    }

    /// Credit `ci` (index into `[[reconcile.credits]]`) of project `p`.
    pub fn project(&self, ci: usize, p: &Project) -> ProjectCredit {
        let (share, roles) = &self.each[ci];
        project_credit(
            self.r,
            ci,
            &self.r.credits[ci],
            share,
            roles,
            p,
            self.period,
        )
    }
}

fn project_credit(
    r: &Reconcile,
    ci: usize,
    c: &Credit,
    share: &Share,
    roles: &[Id],
    p: &Project,
    period: (NaiveDate, NaiveDate),
) -> ProjectCredit {
    let base = num(p, &c.field);
    let per = c.per.as_deref().and_then(|f| num(p, f));
    let date = match p.values.get(&c.date) {
        Some(Value::Date(d)) => Some(*d),
        _ => None,
    };
    let in_period = date.is_some_and(|d| d >= period.0 && d <= period.1) && base.is_some();
    let value = base.unwrap_or_default();
    // Each role's share and amount, in the credit's role order.
    let (shares, amounts): (Vec<Option<Decimal>>, Vec<Decimal>) = match share {
        _ if !in_period => (Vec::new(), Vec::new()),
        Share::Split(s) => {
            let s: Vec<Decimal> = s.iter().map(|x| x.1).collect();
            let parts = split_amounts(value, &s);
            (s.into_iter().map(Some).collect(), parts)
        }
        Share::Overlay(_) => (
            vec![Some(Decimal::ONE); roles.len()],
            vec![value; roles.len()],
        ),
        Share::Shared(_) => (vec![None; roles.len()], vec![value; roles.len()]),
    };
    let lines: Box<[CreditLine]> = roles
        .iter()
        .zip(shares)
        .zip(amounts)
        .map(|((role, share), amount)| CreditLine {
            emp: p.people.get(&**role).copied(),
            provisional: !unresolved_reads(r, c, p, role).is_empty(),
            role: role.clone(),
            share,
            amount,
        })
        .collect();
    let mut pc = ProjectCredit {
        credit: ci,
        project: p.id.clone(),
        base,
        per,
        date,
        in_period,
        lines,
        counted_once: Decimal::ZERO,
        provisional: roles
            .iter()
            .any(|role| !unresolved_reads(r, c, p, role).is_empty()),
    };
    pc.counted_once = if !in_period || matches!(share, Share::Shared(_)) {
        Decimal::ZERO
    } else {
        pc.credited_sum().min(value)
    };
    pc
}

/// The credited metrics, one value per employee, with the projects used.
/// A project is marked provisional in a person's value when the line that
/// credits them reads an unresolved field (`CreditLine::provisional`).
pub fn metrics(
    r: &Reconcile,
    credits: &[ProjectCredit],
    data: &Dataset,
) -> BTreeMap<String, Vec<Option<Cell>>> {
    let n = data.employees.len();
    let mut out = BTreeMap::new();
    for (ci, c) in r.credits.iter().enumerate() {
        let roles = c.roles();
        let shared = matches!(c.share(), Share::Shared(_));
        // emp → (Σ amount, Σ per, count, projects, provisional projects)
        type Acc = (Decimal, Decimal, u64, Vec<Id>, Vec<Id>);
        let mut acc: Vec<Acc> = vec![(Decimal::ZERO, Decimal::ZERO, 0, Vec::new(), Vec::new()); n];
        for pc in credits.iter().filter(|pc| pc.credit == ci && pc.in_period) {
            for l in &pc.lines {
                let Some(emp) = l.emp else { continue };
                if shared && c.per.is_some() && pc.per.is_none() {
                    continue;
                }
                let a = &mut acc[emp];
                a.0 += l.amount;
                a.1 += pc.per.unwrap_or_default();
                a.2 += 1;
                if !a.3.contains(&pc.project) {
                    a.3.push(pc.project.clone());
                }
                if l.provisional && !a.4.contains(&pc.project) {
                    a.4.push(pc.project.clone());
                }
            }
        }
        let col = (0..n)
            .map(|emp| {
                if !roles.contains(&data.employees[emp].role) {
                    return None;
                }
                let (sum, per, count, projects, provisional) = std::mem::take(&mut acc[emp]);
                // The shared ids, sorted as text, held without spare room.
                let sorted = |mut v: Vec<Id>| {
                    v.sort();
                    v.shrink_to_fit();
                    v
                };
                let (projects, provisional) = (sorted(projects), sorted(provisional));
                let value = if !shared {
                    Some(sum)
                } else if c.per.is_some() {
                    (!per.is_zero()).then(|| crate::exact::quot(sum, per))
                } else {
                    (count > 0).then(|| crate::exact::quot(sum, Decimal::from(count)))
                }?;
                Some(Cell {
                    value: value.normalize(),
                    src: Src::Credited(Box::new(Credited {
                        projects,
                        provisional,
                    })),
                })
            })
            .collect();
        out.insert(c.metric.clone(), col);
    }
    out
}

/// A team's total of one credit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamTotal {
    pub credit: usize,
    pub team: String,
    /// Σ of the members' own credits.
    pub members_sum: Decimal,
    /// Each project counted at most once: Σ min(figure, members' credits on it).
    pub once: Decimal,
}

/// Team totals of the split and overlay credits, by team name.
pub fn team_totals(r: &Reconcile, credits: &[ProjectCredit], data: &Dataset) -> Vec<TeamTotal> {
    let mut out: BTreeMap<(usize, String), TeamTotal> = BTreeMap::new();
    for pc in credits.iter().filter(|pc| pc.in_period) {
        if matches!(r.credits[pc.credit].share(), Share::Shared(_)) {
            continue;
        }
        let mut by_team: BTreeMap<&str, Decimal> = BTreeMap::new();
        for l in &pc.lines {
            if let Some(emp) = l.emp {
                *by_team.entry(&data.employees[emp].team).or_default() += l.amount;
            }
        }
        for (team, sum) in by_team {
            let t = out
                .entry((pc.credit, team.to_string()))
                .or_insert_with(|| TeamTotal {
                    credit: pc.credit,
                    team: team.to_string(),
                    members_sum: Decimal::ZERO,
                    once: Decimal::ZERO,
                });
            t.members_sum += sum;
            t.once += sum.min(pc.base.unwrap_or_default());
        }
    }
    out.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Dec;
    use crate::config::reconcile::{Field, Policy, Trigger};
    use crate::ingest::Employee;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).expect("decimal")
    }

    fn day(m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, m, dd).expect("date")
    }

    const Q3: (NaiveDate, NaiveDate) = (
        NaiveDate::from_ymd_opt(2024, 7, 1).expect("d"),
        NaiveDate::from_ymd_opt(2024, 9, 30).expect("d"),
    );

    fn credit(metric: &str, field: &str) -> Credit {
        Credit {
            metric: metric.into(),
            name: None,
            field: field.into(),
            trigger: Trigger::Signed,
            date: "signed".into(),
            split: None,
            overlay: None,
            shared: None,
            per: None,
        }
    }

    fn scheme(credits: Vec<Credit>) -> Reconcile {
        let field = |_: &str| Field {
            name: None,
            sources: vec!["sys".into()],
            tolerance: None,
            policy: Policy::Min,
        };
        Reconcile {
            on_unresolved: Default::default(),
            allow_overlay: true,
            overrides: None,
            sources: BTreeMap::new(),
            fields: ["value", "collected", "signed", "am", "pm"]
                .iter()
                .map(|f| (f.to_string(), field(f)))
                .collect(),
            roles: [("am", "am"), ("pm", "pm")]
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
            credits,
        }
    }

    fn project(
        id: &str,
        value: &str,
        collected: &str,
        signed: NaiveDate,
        am: usize,
        pm: usize,
    ) -> Project {
        Project {
            id: id.into(),
            name: String::new(),
            sources: vec!["sys".into()],
            values: [
                ("value".to_string(), Value::Num(d(value))),
                ("collected".to_string(), Value::Num(d(collected))),
                ("signed".to_string(), Value::Date(signed)),
            ]
            .into_iter()
            .collect(),
            people: [("am".to_string(), am), ("pm".to_string(), pm)]
                .into_iter()
                .collect(),
            unresolved: Vec::new(),
            claimants: BTreeMap::new(),
        }
    }

    fn data(people: &[(&str, &str, &str)]) -> Dataset {
        let employees: Vec<Employee> = people
            .iter()
            .map(|(id, role, team)| Employee {
                id: id.to_string(),
                name: id.to_string(),
                role: role.to_string(),
                post: String::new(),
                team: team.to_string(),
                department: String::new(),
                origin: crate::error::Origin {
                    file: "r".into(),
                    sheet: "s".into(),
                    row: 0,
                    col: 0,
                },
            })
            .collect();
        Dataset {
            index: employees
                .iter()
                .enumerate()
                .map(|(i, e)| (e.id.clone(), i))
                .collect(),
            employees,
            ..Dataset::default()
        }
    }

    fn split(am: &str, pm: &str) -> Option<BTreeMap<String, Dec>> {
        Some(
            [
                ("am".to_string(), Dec(d(am))),
                ("pm".to_string(), Dec(d(pm))),
            ]
            .into_iter()
            .collect(),
        )
    }

    #[test]
    fn a_split_shares_the_figure_and_only_counts_in_the_period() {
        let mut c = credit("signed_value", "value");
        c.split = split("0.6", "0.4");
        let r = scheme(vec![c]);
        let ds = data(&[("A1", "am", "一班"), ("P1", "pm", "交付")]);
        let projects = vec![
            project("P-1", "100", "40", day(8, 5), 0, 1),
            project("P-2", "55.55", "0", day(6, 30), 0, 1), // signed before the period
        ];
        let credits = compute(&r, &projects, Q3);
        assert!(credits[0].in_period && !credits[1].in_period);
        let amounts: Vec<Decimal> = credits[0].lines.iter().map(|l| l.amount).collect();
        assert_eq!(amounts, vec![d("60"), d("40")]);
        let m = metrics(&r, &credits, &ds);
        let col = &m["signed_value"];
        let a1 = col[0].as_ref().expect("A1");
        assert_eq!(a1.value, d("60"));
        assert_eq!(a1.src.to_string(), "对账: P-1");
        assert_eq!(col[1].as_ref().map(|c| c.value), Some(d("40")));
    }

    #[test]
    fn overlays_credit_both_in_full_but_never_inflate_team_or_company_totals() {
        let mut c = credit("collected_credit", "collected");
        c.overlay = Some(vec!["am".into(), "pm".into()]);
        let r = scheme(vec![c]);
        // A1 and P1 in the same team; A2 alone in another.
        let ds = data(&[
            ("A1", "am", "一班"),
            ("A2", "am", "二班"),
            ("P1", "pm", "一班"),
        ]);
        let projects = vec![
            project("P-1", "100", "80", day(8, 5), 0, 2),
            project("P-2", "50", "30", day(9, 1), 1, 2),
        ];
        let credits = compute(&r, &projects, Q3);
        let m = metrics(&r, &credits, &ds);
        let v = |i: usize| m["collected_credit"][i].as_ref().map(|c| c.value);
        assert_eq!(
            (v(0), v(1), v(2)),
            (Some(d("80")), Some(d("30")), Some(d("110")))
        );
        // Σ of personal credits is 220, but the company collected 110.
        let company: Decimal = credits.iter().map(|pc| pc.counted_once).sum();
        assert_eq!(company, d("110"));
        let teams = team_totals(&r, &credits, &ds);
        let one = teams.iter().find(|t| t.team == "一班").expect("一班");
        assert_eq!((one.members_sum, one.once), (d("190"), d("110")));
        let two = teams.iter().find(|t| t.team == "二班").expect("二班");
        assert_eq!((two.members_sum, two.once), (d("30"), d("30")));
    }

    #[test]
    fn shared_credits_score_both_roles_on_the_same_projects() {
        let mut c = credit("collection_rate", "collected");
        c.shared = Some(vec!["am".into(), "pm".into()]);
        c.per = Some("value".into());
        let r = scheme(vec![c]);
        let ds = data(&[
            ("A1", "am", "一班"),
            ("A2", "am", "一班"),
            ("P1", "pm", "交付"),
        ]);
        let mut projects = vec![
            project("P-1", "100", "80", day(8, 5), 0, 2),
            project("P-2", "50", "10", day(9, 1), 0, 2),
        ];
        // Who sold P-1 is disputed: only the AM's line reads that. P-2's
        // contract value (the divisor) is disputed: both lines read it.
        projects[0].unresolved = vec!["am".into()];
        projects[1].unresolved = vec!["value".into()];
        let credits = compute(&r, &projects, Q3);
        let m = metrics(&r, &credits, &ds);
        // (80 + 10) / (100 + 50) = 0.6 for both; A2 has no project: missing.
        let col = &m["collection_rate"];
        assert_eq!(col[0].as_ref().map(|c| c.value), Some(d("0.6")));
        assert_eq!(col[2].as_ref().map(|c| c.value), Some(d("0.6")));
        assert_eq!(col[1], None);
        assert_eq!(
            col[0].as_ref().map(|c| c.src.to_string()),
            Some("对账: P-1（暂定）, P-2（暂定）".into())
        );
        assert_eq!(
            col[2].as_ref().map(|c| c.src.to_string()),
            Some("对账: P-1, P-2（暂定）".into())
        );
        assert!(credits.iter().all(|pc| pc.provisional));
        assert!(credits[0].lines[0].provisional && !credits[0].lines[1].provisional);
        let c = &r.credits[0];
        assert_eq!(unresolved_reads(&r, c, &projects[0], "am"), vec!["am"]);
        assert!(unresolved_reads(&r, c, &projects[0], "pm").is_empty());
        assert!(team_totals(&r, &credits, &ds).is_empty());
    }

    #[test]
    fn a_project_outside_the_period_or_settled_is_not_provisional() {
        // Issue 3 review: HF00105's 签约额 used only P2024-133 (settled) but
        // was marked 暂定 because P2024-134, signed before the period, had
        // an unresolved contract value.
        let mut c = credit("signed_value", "value");
        c.split = split("0.7", "0.3");
        let mut sat = credit("satisfaction", "collected");
        sat.shared = Some(vec!["am".into(), "pm".into()]);
        let r = scheme(vec![c, sat]);
        let ds = data(&[("A1", "am", "一班"), ("P1", "pm", "交付")]);
        let mut projects = vec![
            project("P2024-133", "276.48", "27.64", day(8, 28), 0, 1),
            project("P2024-134", "236.68", "0", day(6, 12), 0, 1),
        ];
        projects[1].unresolved = vec!["value".into()];
        let credits = compute(&r, &projects, Q3);
        let m = metrics(&r, &credits, &ds);
        let src = |metric: &str, e: usize| m[metric][e].as_ref().map(|c| c.src.to_string());
        assert_eq!(src("signed_value", 0), Some("对账: P2024-133".into()));
        // The second credit reads `collected`, not the disputed value.
        projects[1].signed_in(day(8, 1));
        let credits = compute(&r, &projects, Q3);
        let m = metrics(&r, &credits, &ds);
        let src = |metric: &str, e: usize| m[metric][e].as_ref().map(|c| c.src.to_string());
        assert_eq!(
            src("signed_value", 0),
            Some("对账: P2024-133, P2024-134（暂定）".into())
        );
        assert_eq!(
            src("satisfaction", 1),
            Some("对账: P2024-133, P2024-134".into())
        );
    }

    impl Project {
        fn signed_in(&mut self, d: NaiveDate) {
            self.values.insert("signed".into(), Value::Date(d));
        }
    }

    #[test]
    fn a_role_nobody_holds_is_not_credited() {
        let mut c = credit("signed_value", "value");
        c.split = split("0.7", "0.3");
        let r = scheme(vec![c]);
        let mut p = project("P-1", "10", "0", day(8, 5), 0, 0);
        p.people.remove("pm");
        let credits = compute(&r, &[p], Q3);
        assert_eq!(credits[0].lines[1].emp, None);
        assert_eq!(credits[0].credited_sum(), d("7"));
        assert_eq!(credits[0].counted_once, d("7"));
    }

    proptest! {
        #[test]
        fn split_parts_add_up_to_the_figure(
            cents in 0i64..10_000_000_000,
            raw in proptest::collection::vec(1u32..10_000, 1..6),
        ) {
            // Shares in basis points that total exactly 100 %.
            let total: u32 = raw.iter().sum();
            let mut bp: Vec<i64> = raw.iter().map(|r| i64::from(*r) * 10_000 / i64::from(total)).collect();
            let rest = 10_000 - bp.iter().sum::<i64>();
            bp[0] += rest;
            let shares: Vec<Decimal> = bp.iter().map(|b| Decimal::new(*b, 4)).collect();
            prop_assert_eq!(shares.iter().sum::<Decimal>(), Decimal::ONE);
            let value = Decimal::new(cents, 2);
            let parts = split_amounts(value, &shares);
            prop_assert_eq!(parts.iter().sum::<Decimal>(), value);
            for (p, s) in parts.iter().zip(&shares) {
                prop_assert!(*p >= Decimal::ZERO);
                prop_assert!(*p <= value);
                // Each part is its share, to the cent.
                prop_assert!((*p - value * s).abs() <= Decimal::new(1, 2));
            }
        }
    }
}
