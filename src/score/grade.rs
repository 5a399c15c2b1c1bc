//! Grades: by cut-offs, then by forced distribution (强制分布) inside each
//! calibration group. `max` quotas cap how many get a grade (the excess is
//! moved down, best-ranked first kept); `min` quotas make at least a share
//! get a grade or worse (the lowest-ranked are moved down). Small groups are
//! pooled or left advisory. Every move is written down for the person.

use super::GradeNote;
use crate::config::{Distribution, Grades, OnTie, QuotaRounding, SmallGroups};
use rust_decimal::{Decimal, RoundingStrategy};
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// One person to grade.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub emp: usize,
    pub id: String,
    /// Calibration group (role and group value).
    pub group: String,
    pub total: Decimal,
    /// Tie-break values after the total, higher first.
    pub keys: Vec<Decimal>,
}

/// A person's grade (index on the scale, 0 = best) and how it came about.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Graded {
    pub grade: usize,
    pub by_cutoff: usize,
    pub notes: Vec<GradeNote>,
    /// The calibration group the person was graded in.
    pub group: String,
}

/// A calibration group's counts against its quotas, for the `分布` sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupReport {
    pub name: String,
    pub size: usize,
    pub pooled: bool,
    pub advisory: bool,
    /// Head count per grade.
    pub counts: Vec<usize>,
    /// Per grade: allowed maximum / required minimum head count, if a quota.
    pub max: Vec<Option<usize>>,
    pub min: Vec<Option<usize>>,
    pub notes: Vec<GradeNote>,
}

/// The grade index by cut-offs.
pub fn by_cutoff(grades: &Grades, total: Decimal) -> usize {
    for c in &grades.cutoffs {
        if total >= c.min.get()
            && let Some(p) = grades.scale.iter().position(|g| *g == c.grade)
        {
            return p;
        }
    }
    if grades.cutoffs.is_empty() {
        0
    } else {
        grades.scale.len() - 1
    }
}

fn head_count(n: usize, share: Decimal, rounding: QuotaRounding) -> usize {
    let x = Decimal::from(n as u64) * share;
    let r = match rounding {
        QuotaRounding::Down => x.floor(),
        QuotaRounding::Up => x.ceil(),
        QuotaRounding::Nearest => {
            x.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
        }
    };
    r.to_string().parse().unwrap_or(0)
}

fn cmp_rank(a: &Candidate, b: &Candidate) -> Ordering {
    b.total
        .cmp(&a.total)
        .then_with(|| b.keys.cmp(&a.keys))
        .then_with(|| a.id.cmp(&b.id))
}

fn same_place(a: &Candidate, b: &Candidate) -> bool {
    a.total == b.total && a.keys == b.keys
}

/// Grade everyone; returns one `Graded` per candidate (input order) and the
/// group reports.
pub fn grade(grades: &Grades, people: &[Candidate]) -> (Vec<Graded>, Vec<GroupReport>) {
    let mut out: Vec<Graded> = people
        .iter()
        .map(|c| {
            let g = by_cutoff(grades, c.total);
            Graded {
                grade: g,
                by_cutoff: g,
                notes: Vec::new(),
                group: c.group.clone(),
            }
        })
        .collect();
    let Some(dist) = &grades.distribution else {
        return (out, Vec::new());
    };
    // Group members by calibration group; pool the small ones per role.
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, c) in people.iter().enumerate() {
        groups.entry(c.group.clone()).or_default().push(i);
    }
    let mut final_groups: Vec<(String, Vec<usize>, bool)> = Vec::new();
    let mut pools: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (name, members) in groups {
        if members.len() < dist.min_group && dist.small_groups == SmallGroups::Pool {
            let role = name.split(" / ").next().unwrap_or("").to_string();
            pools.entry(role).or_default().extend(members);
        } else {
            final_groups.push((name, members, false));
        }
    }
    for (role, members) in pools {
        final_groups.push((
            format!("{role} / 合并组（不足{}人的组）", dist.min_group),
            members,
            true,
        ));
    }
    let mut reports = Vec::new();
    for (name, mut members, pooled) in final_groups {
        members.sort_by(|&a, &b| cmp_rank(&people[a], &people[b]));
        let advisory = members.len() < dist.min_group;
        let report = calibrate(
            grades, dist, people, &members, &mut out, &name, pooled, advisory,
        );
        reports.push(report);
    }
    (out, reports)
}

#[allow(clippy::too_many_arguments)]
fn calibrate(
    grades: &Grades,
    dist: &Distribution,
    people: &[Candidate],
    members: &[usize],
    out: &mut [Graded],
    name: &str,
    pooled: bool,
    advisory: bool,
) -> GroupReport {
    let group = Group {
        grades,
        dist,
        people,
        members,
    };
    let k = grades.scale.len();
    let mut notes = Vec::new();
    for &m in members {
        out[m].group = name.to_string();
        if advisory {
            // Issue 19: a small group is never silently calibrated.
            out[m].notes.push(GradeNote::CutoffOnly {
                min_group: dist.min_group,
                size: members.len(),
            });
        }
    }
    let (max, min) = group.quotas();
    if !advisory {
        for (g, cap) in max.iter().enumerate() {
            if let Some(cap) = *cap {
                group.enforce_max(g, cap, out, &mut notes);
            }
        }
        for g in (0..k).rev() {
            if let Some(need) = min[g] {
                group.enforce_min(g, need, out, &mut notes);
            }
        }
    }
    let mut counts = vec![0; k];
    for &m in members {
        counts[out[m].grade] += 1;
    }
    if advisory {
        group.advisory_notes(&max, &min, &counts, &mut notes);
    }
    GroupReport {
        name: name.to_string(),
        size: members.len(),
        pooled,
        advisory,
        counts,
        max,
        min,
        notes,
    }
}

/// One calibration group being graded: its members, best-ranked first.
struct Group<'a> {
    grades: &'a Grades,
    dist: &'a Distribution,
    people: &'a [Candidate],
    members: &'a [usize],
}

impl Group<'_> {
    /// Per grade: the allowed maximum and the required minimum head count of
    /// this group, where a quota sets one.
    fn quotas(&self) -> (Vec<Option<usize>>, Vec<Option<usize>>) {
        let n = self.members.len();
        let k = self.grades.scale.len();
        let mut max = vec![None; k];
        let mut min = vec![None; k];
        for q in &self.dist.quotas {
            let Some(g) = self.grades.scale.iter().position(|x| *x == q.grade) else {
                continue;
            };
            if let Some(share) = q.max {
                max[g] = Some(head_count(
                    n,
                    share.get(),
                    q.rounding.unwrap_or(QuotaRounding::Down),
                ));
            }
            if let Some(share) = q.min {
                min[g] = Some(head_count(
                    n,
                    share.get(),
                    q.rounding.unwrap_or(QuotaRounding::Up),
                ));
            }
        }
        (max, min)
    }

    /// At most `cap` keep grade `g`: the rest, lowest-ranked, move one grade
    /// down (a tie across the boundary per `on_tie`).
    fn enforce_max(&self, g: usize, cap: usize, out: &mut [Graded], notes: &mut Vec<GradeNote>) {
        let (grades, dist, people) = (self.grades, self.dist, self.people);
        let n = self.members.len();
        let k = grades.scale.len();
        let holders: Vec<usize> = self
            .members
            .iter()
            .copied()
            .filter(|&m| out[m].grade == g)
            .collect();
        if holders.len() <= cap {
            return;
        }
        let mut keep = cap;
        // A tie across the boundary: everyone tied is treated alike.
        if cap > 0 && same_place(&people[holders[cap - 1]], &people[holders[cap]]) {
            let first = holders[..cap]
                .iter()
                .position(|&h| same_place(&people[h], &people[holders[cap]]))
                .unwrap_or(cap);
            let last = holders
                .iter()
                .rposition(|&h| same_place(&people[h], &people[holders[cap]]))
                .unwrap_or(cap);
            match dist.on_tie {
                OnTie::Favour => {
                    keep = last + 1;
                    notes.push(GradeNote::TieKept {
                        grade: grades.scale[g].clone(),
                        first: first + 1,
                        last: last + 1,
                        cap,
                        kept: keep,
                    });
                }
                OnTie::Strict => {
                    keep = first;
                    notes.push(GradeNote::TieMoved {
                        grade: grades.scale[g].clone(),
                        first: first + 1,
                        last: last + 1,
                        to: grades.scale.get(g + 1).cloned().unwrap_or_default(),
                        cap,
                        kept: keep,
                    });
                }
            }
        }
        for (pos, &h) in holders.iter().enumerate().skip(keep) {
            if g + 1 < k {
                out[h].grade = g + 1;
                out[h].notes.push(GradeNote::OverQuota {
                    grade: grades.scale[g].clone(),
                    cap,
                    size: n,
                    share: share_of(dist, &grades.scale[g], true),
                    place: pos + 1,
                    to: grades.scale[g + 1].clone(),
                });
            }
        }
    }

    /// At least `need` get grade `g` or worse: the lowest-ranked better than
    /// `g` move down to it (a tie across the boundary per `on_tie`).
    fn enforce_min(&self, g: usize, need: usize, out: &mut [Graded], notes: &mut Vec<GradeNote>) {
        let (grades, dist, people) = (self.grades, self.dist, self.people);
        let n = self.members.len();
        let have = self.members.iter().filter(|&&m| out[m].grade >= g).count();
        if have >= need {
            return;
        }
        let mut to_move = need - have;
        // From the bottom up, people better than g.
        let better: Vec<usize> = self
            .members
            .iter()
            .rev()
            .copied()
            .filter(|&m| out[m].grade < g)
            .collect();
        if to_move < better.len()
            && same_place(&people[better[to_move - 1]], &people[better[to_move]])
        {
            let last_tied = better
                .iter()
                .rposition(|&h| same_place(&people[h], &people[better[to_move]]))
                .unwrap_or(to_move);
            match dist.on_tie {
                OnTie::Favour => {
                    let first_tied = better
                        .iter()
                        .position(|&h| same_place(&people[h], &people[better[to_move]]))
                        .unwrap_or(to_move);
                    notes.push(GradeNote::TieSpared {
                        grade: grades.scale[g].clone(),
                        tied: last_tied - first_tied + 1,
                        need,
                        met: have + first_tied,
                    });
                    to_move = first_tied;
                }
                OnTie::Strict => {
                    notes.push(GradeNote::TieLowered {
                        grade: grades.scale[g].clone(),
                    });
                    to_move = last_tied + 1;
                }
            }
        }
        for &m in better.iter().take(to_move) {
            let from = out[m].grade;
            out[m].grade = g;
            out[m].notes.push(GradeNote::UnderMinimum {
                grade: grades.scale[g].clone(),
                need,
                size: n,
                share: share_of(dist, &grades.scale[g], false),
                from: grades.scale[from].clone(),
            });
        }
    }

    /// An advisory group is left as graded: a note for each quota it misses.
    fn advisory_notes(
        &self,
        max: &[Option<usize>],
        min: &[Option<usize>],
        counts: &[usize],
        notes: &mut Vec<GradeNote>,
    ) {
        let (grades, dist) = (self.grades, self.dist);
        for g in 0..grades.scale.len() {
            if let Some(cap) = max[g]
                && counts[g] > cap
            {
                notes.push(GradeNote::AdvisoryOver {
                    min_group: dist.min_group,
                    grade: grades.scale[g].clone(),
                    have: counts[g],
                    cap,
                });
            }
            if let Some(need) = min[g] {
                let have: usize = counts[g..].iter().sum();
                if have < need {
                    notes.push(GradeNote::AdvisoryUnder {
                        min_group: dist.min_group,
                        grade: grades.scale[g].clone(),
                        have,
                        need,
                    });
                }
            }
        }
    }
}

fn share_of(dist: &Distribution, grade: &str, is_max: bool) -> String {
    dist.quotas
        .iter()
        .find(|q| q.grade == grade)
        .and_then(|q| if is_max { q.max } else { q.min })
        .map(|d| format!("{}%", (d.get() * Decimal::ONE_HUNDRED).normalize()))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Cutoff, Dec, GroupBy, Quota};

    fn d(s: &str) -> Decimal {
        s.parse().expect("decimal")
    }

    fn scheme(min_group: usize, small: SmallGroups, on_tie: OnTie, cutoffs: bool) -> Grades {
        Grades {
            scale: vec!["A".into(), "B".into(), "C".into()],
            cutoffs: if cutoffs {
                vec![
                    Cutoff {
                        grade: "A".into(),
                        min: Dec(d("90")),
                    },
                    Cutoff {
                        grade: "B".into(),
                        min: Dec(d("60")),
                    },
                ]
            } else {
                Vec::new()
            },
            distribution: Some(Distribution {
                group: GroupBy::Team,
                min_group,
                small_groups: small,
                tie_break: Vec::new(),
                on_tie,
                quotas: vec![
                    Quota {
                        grade: "A".into(),
                        max: Some(Dec(d("0.2"))),
                        min: None,
                        rounding: None,
                    },
                    Quota {
                        grade: "C".into(),
                        max: None,
                        min: Some(Dec(d("0.1"))),
                        rounding: None,
                    },
                ],
            }),
        }
    }

    fn people(totals: &[&str], group: &str) -> Vec<Candidate> {
        totals
            .iter()
            .enumerate()
            .map(|(i, t)| Candidate {
                emp: i,
                id: format!("E{i:02}"),
                group: group.into(),
                total: d(t),
                keys: Vec::new(),
            })
            .collect()
    }

    fn letters(g: &Grades, out: &[Graded]) -> String {
        out.iter().map(|x| g.scale[x.grade].clone()).collect()
    }

    #[test]
    fn twenty_seventy_ten_without_cutoffs() {
        let g = scheme(5, SmallGroups::Pool, OnTie::Favour, false);
        let totals = ["99", "98", "97", "96", "95", "94", "93", "92", "91", "90"];
        let (out, reports) = grade(&g, &people(&totals, "r / t1"));
        assert_eq!(letters(&g, &out), "AABBBBBBBC");
        assert_eq!(reports[0].counts, vec![2, 7, 1]);
        assert_eq!(reports[0].max[0], Some(2));
        assert_eq!(reports[0].min[2], Some(1));
    }

    #[test]
    fn cutoffs_then_quota_demotes_the_excess() {
        let g = scheme(5, SmallGroups::Pool, OnTie::Favour, true);
        // 12 people: 20 % of 12 = 2.4 → 2 A at most; 10 % → at least 2 C (rounded up).
        let totals = [
            "95", "94", "93", "92", "85", "84", "83", "82", "81", "80", "70", "65",
        ];
        let (out, _) = grade(&g, &people(&totals, "r / t1"));
        assert_eq!(letters(&g, &out), "AABBBBBBBBCC");
        assert!(
            out[2].notes[0].to_string().contains("A名额2人"),
            "{:?}",
            out[2].notes
        );
        assert_eq!(out[2].by_cutoff, 0);
    }

    #[test]
    fn a_tie_on_the_quota_boundary_is_treated_alike() {
        // A cap of 2 (20 % of 10) falls between two people tied on 98.
        let totals = ["99", "98", "98", "96", "95", "94", "93", "92", "91", "90"];
        let favour = scheme(5, SmallGroups::Pool, OnTie::Favour, false);
        let (out, reports) = grade(&favour, &people(&totals, "r / t1"));
        assert_eq!(letters(&favour, &out), "AAABBBBBBC");
        assert!(
            reports[0].notes[0].to_string().contains("第2至3名并列"),
            "{:?}",
            reports[0].notes
        );
        assert_eq!(reports[0].counts, vec![3, 6, 1]);
        let strict = scheme(5, SmallGroups::Pool, OnTie::Strict, false);
        let (out, _) = grade(&strict, &people(&totals, "r / t1"));
        assert_eq!(letters(&strict, &out), "ABBBBBBBBC");
        // No tie at the boundary: the quota is exact.
        let totals = ["99", "98", "97", "97", "95", "94", "93", "92", "91", "90"];
        let (out, reports) = grade(&favour, &people(&totals, "r / t1"));
        assert_eq!(letters(&favour, &out), "AABBBBBBBC");
        assert!(reports[0].notes.is_empty());
    }

    #[test]
    fn small_groups_are_pooled() {
        // Teams of 3 and 2 are under the minimum of 4: pooled into one group of 5.
        let mut ps = people(&["99", "97", "95"], "r / t1");
        ps.extend(people(&["98", "96"], "r / t2").into_iter().map(|mut c| {
            c.emp += 3;
            c.id = format!("F{}", c.emp);
            c
        }));
        let pool = scheme(4, SmallGroups::Pool, OnTie::Favour, false);
        let (out, reports) = grade(&pool, &ps);
        assert_eq!(reports.len(), 1);
        assert!(reports[0].pooled && !reports[0].advisory);
        assert_eq!(reports[0].size, 5);
        // 20 % of 5 = 1 A (down); 10 % of 5 = 0.5 → 1 C (up): 99 is A, 95 is C.
        assert_eq!(letters(&pool, &out), "ABCBB");
        assert!(out[0].group.contains("合并组"));
    }

    #[test]
    fn advisory_groups_keep_cutoff_grades_and_say_so() {
        let g = scheme(20, SmallGroups::Advisory, OnTie::Favour, true);
        let (out, reports) = grade(&g, &people(&["95", "94", "93", "80"], "r / t1"));
        assert_eq!(letters(&g, &out), "AAAB");
        assert!(reports[0].advisory);
        // Issue 19: each person's grade says the quotas were not applied.
        assert!(
            out.iter().all(|o| o.notes.iter().any(|n| matches!(
                n,
                GradeNote::CutoffOnly {
                    min_group: 20,
                    size: 4
                }
            ))),
            "{out:?}"
        );
        assert!(
            reports[0]
                .notes
                .iter()
                .any(|n| n.to_string().contains("仅作参考")),
            "{:?}",
            reports[0].notes
        );
    }

    /// Issue 15: the README's written-down choices. A pool still smaller
    /// than `min_group` is advisory: its quotas are only flagged.
    #[test]
    fn a_pool_still_smaller_than_min_group_is_advisory() {
        let mut ps = people(&["99", "97"], "r / t1");
        ps.extend(people(&["98"], "r / t2").into_iter().map(|mut c| {
            c.emp += 2;
            c.id = format!("F{}", c.emp);
            c
        }));
        let pool = scheme(4, SmallGroups::Pool, OnTie::Favour, true);
        let (out, reports) = grade(&pool, &ps);
        assert_eq!(reports.len(), 1);
        assert!(reports[0].pooled && reports[0].advisory);
        // Cut-off grades stand: all three keep A (a 20 % quota would allow 0).
        assert_eq!(letters(&pool, &out), "AAA");
    }

    /// `nearest` quota rounding takes an exact half away from zero.
    #[test]
    fn nearest_quota_rounding_takes_a_half_away_from_zero() {
        let n = QuotaRounding::Nearest;
        assert_eq!(head_count(5, d("0.1"), n), 1, "0.5 → 1");
        assert_eq!(head_count(25, d("0.1"), n), 3, "2.5 → 3, not 2");
        assert_eq!(head_count(24, d("0.1"), n), 2, "2.4 → 2");
    }
}
