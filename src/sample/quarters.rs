//! `appraise sample --quarters N`: N consecutive quarters of the same branch
//! (issue 18), so that `[history]` and the year's result can be run by
//! anyone. The first quarter is the branch of `appraise sample`; each next
//! quarter has a few leavers (each replaced on the same team, with the same
//! customers, by a joiner with a new 工号), a few account managers moved to
//! another team, and its own figures (drawn from the quarter's own stream;
//! an account manager's revenue completion stays near the person's own
//! level, so that results drift from quarter to quarter rather than jump).
//! Every quarter's scheme is the committed one with its period moved and a
//! `[history]` section naming the earlier quarters' runs; `year/appraisal.toml`
//! makes the year's result from them (`[annual]`).

use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};

use super::date::Day;
use super::rng::Rng;
use super::{Branch, Person, Role, SampleSummary, distinct, names, random_day};
use crate::lang::Lang;
use crate::{Error, Result};

/// A calendar quarter: the period one sample directory covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quarter {
    pub year: i32,
    /// 1 to 4.
    pub q: u32,
}

/// The quarter the sample's dates were written for; others are shifted from it.
const BASE: Quarter = Quarter::DEFAULT;

impl Quarter {
    /// 2024Q3: the period of `appraise sample` and of samples/2024Q3.
    pub const DEFAULT: Quarter = Quarter { year: 2024, q: 3 };

    /// `2024Q3`.
    pub fn id(self) -> String {
        format!("{}Q{}", self.year, self.q)
    }

    /// `2024年第三季度`.
    pub fn title(self) -> String {
        let n = ["一", "二", "三", "四"][(self.q - 1) as usize];
        format!("{}年第{n}季度", self.year)
    }

    pub fn start(self) -> Day {
        Day::ymd(i64::from(self.year), (self.q - 1) * 3 + 1, 1)
    }

    pub fn end(self) -> Day {
        Day(self.next().start().0 - 1)
    }

    pub fn next(self) -> Quarter {
        if self.q == 4 {
            Quarter {
                year: self.year + 1,
                q: 1,
            }
        } else {
            Quarter {
                year: self.year,
                q: self.q + 1,
            }
        }
    }

    /// The last day of each of the quarter's months (its checkpoints).
    pub fn month_ends(self) -> [Day; 3] {
        let first = (self.q - 1) * 3 + 1;
        let y = i64::from(self.year);
        let end = |m: u32| {
            if m == 12 {
                Day(Day::ymd(y + 1, 1, 1).0 - 1)
            } else {
                Day(Day::ymd(y, m + 1, 1).0 - 1)
            }
        };
        [end(first), end(first + 1), end(first + 2)]
    }

    /// `2024-07`, `2024-08`, `2024-09`.
    pub fn month_labels(self) -> Vec<String> {
        let first = (self.q - 1) * 3 + 1;
        (first..first + 3)
            .map(|m| format!("{}-{m:02}", self.year))
            .collect()
    }

    /// A day the generator draws for 2024Q3, moved into this quarter by the
    /// days between the two starts; a day inside 2024Q3 stays inside this
    /// quarter (a quarter of 91 days ends a day earlier). 2024Q3 itself: the
    /// same day.
    pub(crate) fn shift(self, day: Day) -> Day {
        let moved = Day(day.0 + self.start().0 - BASE.start().0);
        if day <= BASE.end() && moved > self.end() {
            self.end()
        } else {
            moved
        }
    }
}

/// What `appraise sample --quarters` wrote, for its closing lines.
#[derive(Debug, Clone)]
pub struct QuartersSummary {
    pub dir: PathBuf,
    /// Each quarter's directory, with what was written there.
    pub quarters: Vec<(Quarter, SampleSummary)>,
    /// Ids of the people who left after each quarter but the last, and of
    /// those who joined, and moved team, in each quarter but the first.
    pub leavers: Vec<String>,
    pub joiners: Vec<String>,
    pub moved: Vec<String>,
}

impl QuartersSummary {
    pub fn text(&self) -> crate::lang::Text {
        let mut zh = String::new();
        let mut en = String::new();
        // Each quarter's first line only: its `next:` line would run it
        // without the --out its successors' [history] names.
        for (_, s) in &self.quarters {
            let text = s.text();
            let first = |lang| {
                text.get(lang)
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .to_string()
            };
            zh.push_str(&format!("{}\n", first(Lang::Zh)));
            en.push_str(&format!("{}\n", first(Lang::En)));
        }
        let first = self
            .quarters
            .first()
            .map(|(q, _)| q.id())
            .unwrap_or_default();
        let out = self.dir.join("out").join(&first);
        let scheme = self.dir.join(&first).join("appraisal.toml");
        zh.push_str(&format!(
            "季度之间：离开 {} 人，新入 {} 人，调班组 {} 人；按季度依次运行：appraise run {} --out {}（以此类推），最后 year/appraisal.toml 得出全年结果",
            self.leavers.len(),
            self.joiners.len(),
            self.moved.len(),
            scheme.display(),
            out.display()
        ));
        en.push_str(&format!(
            "between the quarters: {} left, {} joined, {} moved team; run the quarters in order: appraise run {} --out {} (and so on), then year/appraisal.toml for the year",
            self.leavers.len(),
            self.joiners.len(),
            self.moved.len(),
            scheme.display(),
            out.display()
        ));
        crate::lang::Text::new(zh, en)
    }
}

impl fmt::Display for QuartersSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.text(), f)
    }
}

/// The first of `count` quarters ending with 2024Q4 (2024Q1 for four).
fn first_quarter(count: usize) -> Quarter {
    let mut q = Quarter { year: 2024, q: 4 };
    for _ in 1..count {
        q = if q.q == 1 {
            Quarter {
                year: q.year - 1,
                q: 4,
            }
        } else {
            Quarter {
                year: q.year,
                q: q.q - 1,
            }
        };
    }
    q
}

/// Write `count` (1 to 4) quarters of the branch into `out/<quarter id>/`,
/// and the year's scheme into `out/year/`.
pub fn write_quarters(
    out: &Path,
    employees: usize,
    seed: u64,
    count: usize,
    rows: u32,
) -> Result<QuartersSummary> {
    if employees == 0 || !(1..=4).contains(&count) {
        return Err(Error::Usage(crate::lang::Text::new(
            "sample：--employees 至少为 1，--quarters 为 1 到 4",
            "sample: --employees must be at least 1 and --quarters 1 to 4",
        )));
    }
    let staging = crate::output::StagedOutput::begin(out, false, "sample")?;
    let mut branch = Branch::generate(super::account_managers_for(employees), seed);
    branch.form_seed = Some(Rng::derive(seed, "form").next_u64());
    let mut quarter = first_quarter(count);
    for &i in &branch.new_hires.clone() {
        branch.people[i].hired = quarter.shift(branch.people[i].hired);
    }
    let mut next_id = branch.people.len() + 1;
    let mut summary = QuartersSummary {
        dir: out.to_path_buf(),
        quarters: Vec::new(),
        leavers: Vec::new(),
        joiners: Vec::new(),
        moved: Vec::new(),
    };
    let mut ids = Vec::new();
    for k in 0..count {
        if k > 0 {
            churn(&mut branch, seed, quarter, &mut next_id, &mut summary);
        }
        branch.quarter = quarter;
        let dir = staging.path().join(quarter.id());
        std::fs::create_dir(&dir).map_err(|e| Error::io(&dir, e))?;
        let shown = out.join(quarter.id()).join("appraisal.toml");
        let scheme = super::sample_scheme(super::SCHEME, &shown.display().to_string())?;
        let scheme = quarter_scheme(&scheme, quarter, &ids)?;
        let data_seed = Rng::derive(seed, &quarter.id()).next_u64();
        let (events, violators) = super::write_files(&dir, &branch, data_seed, &scheme, rows)?;
        summary.quarters.push((
            quarter,
            super::summary_of(&out.join(quarter.id()), &branch, seed, events, &violators),
        ));
        ids.push(quarter.id());
        quarter = quarter.next();
    }
    write_year(staging.path(), &ids)?;
    staging.commit()?;
    Ok(summary)
}

/// Between two quarters: a few account managers leave (each replaced in
/// place by a joiner: same team, same customers, a new 工号 and name, hired
/// in the last weeks of the quarter before), and a few move team.
fn churn(
    branch: &mut Branch,
    seed: u64,
    quarter: Quarter,
    next_id: &mut usize,
    summary: &mut QuartersSummary,
) {
    let mut rng = Rng::derive(seed, &format!("churn {}", quarter.id()));
    let ams: Vec<usize> = branch
        .with_role(Role::AccountManager)
        .map(|(i, _)| i)
        .collect();
    let mut taken: HashSet<String> = branch.people.iter().map(|p| p.name.clone()).collect();
    let mut leavers = distinct(&mut rng, &ams, ams.len().div_ceil(40));
    leavers.sort_unstable();
    for &i in &leavers {
        summary.leavers.push(branch.people[i].id.clone());
        let hired = random_day(
            &mut rng,
            Day(quarter.start().0 - 20),
            Day(quarter.start().0 - 1),
        );
        let joiner = Person {
            id: format!("HF{:05}", *next_id),
            name: names::unique_person(&mut rng, &mut taken),
            role: Role::AccountManager,
            team: branch.people[i].team,
            hired,
        };
        *next_id += 1;
        summary.joiners.push(joiner.id.clone());
        branch.people[i] = joiner;
        if !branch.new_hires.contains(&i) {
            branch.new_hires.push(i);
        }
    }
    branch.new_hires.sort_unstable();
    // Movers: account managers (not this quarter's joiners) of teams that
    // keep at least two members, to another account-manager team.
    let am_teams: Vec<usize> = (0..branch.teams.len())
        .filter(|&t| branch.teams[t].leader.is_some())
        .collect();
    if am_teams.len() < 2 {
        return;
    }
    let stayers: Vec<usize> = ams
        .iter()
        .copied()
        .filter(|i| !leavers.contains(i))
        .collect();
    for i in distinct(&mut rng, &stayers, 2) {
        let from = branch.people[i].team;
        if branch.teams[from].members.len() < 3 {
            continue;
        }
        let others: Vec<usize> = am_teams.iter().copied().filter(|&t| t != from).collect();
        let to = others[rng.index(others.len())];
        branch.teams[from].members.retain(|&m| m != i);
        branch.teams[to].members.push(i);
        branch.people[i].team = to;
        summary.moved.push(branch.people[i].id.clone());
    }
}

/// Replace one line of the scheme, which must be there.
fn replace_line(scheme: &str, old: &str, new: &str) -> Result<String> {
    let mut found = false;
    let out: Vec<String> = scheme
        .split_inclusive('\n')
        .map(|line| {
            if !found && line.trim_end() == old {
                found = true;
                format!("{new}\n")
            } else {
                line.to_string()
            }
        })
        .collect();
    if found {
        Ok(out.concat())
    } else {
        Err(Error::Other(
            format!("sample: the committed scheme has no line `{old}` to move to another quarter")
                .into(),
        ))
    }
}

/// The sample scheme moved to `quarter`, with a `[history]` naming the
/// runs of the quarters before it (`earlier`, oldest first), newest first.
fn quarter_scheme(scheme: &str, quarter: Quarter, earlier: &[String]) -> Result<String> {
    let ends = quarter.month_ends();
    let mut s = scheme
        .replace(&BASE.title(), &quarter.title())
        .replace("2024 Q3", &format!("{} Q{}", quarter.year, quarter.q));
    for (old, new) in [
        (
            r#"id = "2024Q3""#.to_string(),
            format!(r#"id = "{}""#, quarter.id()),
        ),
        (
            "start = 2024-07-01".into(),
            format!("start = {}", quarter.start()),
        ),
        (
            "end = 2024-09-30".into(),
            format!("end = {}", quarter.end()),
        ),
        (
            "checkpoints = [2024-07-31, 2024-08-31, 2024-09-30]".into(),
            format!("checkpoints = [{}, {}, {}]", ends[0], ends[1], ends[2]),
        ),
        (
            "appeal_by = 2024-10-18".into(),
            format!("appeal_by = {}", quarter.shift(Day::ymd(2024, 10, 18))),
        ),
    ] {
        s = replace_line(&s, &old, &new)?;
    }
    if !earlier.is_empty() {
        let runs: Vec<String> = earlier
            .iter()
            .rev()
            .take(3)
            .map(|id| format!("\"../out/{id}\""))
            .collect();
        s.push_str(&format!(
            "\n# 历史: the runs of the quarters before, newest first, each checked against\n\
             # its manifest.json (run each quarter with --out <this sample>/out/<quarter>).\n\
             [history]\nruns = [{}]\n",
            runs.join(", ")
        ));
    }
    Ok(s)
}

/// `year/appraisal.toml`: the year's result from the quarters' runs, graded
/// as the quarters are (their `[grades]`, ties by the total only).
fn write_year(dir: &Path, ids: &[String]) -> Result<()> {
    let Some(last) = ids.last() else {
        return Ok(());
    };
    let year = dir.join("year");
    std::fs::create_dir(&year).map_err(|e| Error::io(&year, e))?;
    let runs: Vec<String> = ids.iter().map(|id| format!("\"../out/{id}\"")).collect();
    let weights: Vec<&str> = ids.iter().map(|_| "1").collect();
    let text = format!(
        "# 全年绩效: the year's result from the quarters' runs. Run each quarter first\n\
         # (appraise run <sample>/<quarter>/appraisal.toml --out <sample>/out/<quarter>),\n\
         # then: appraise run <sample>/year/appraisal.toml --out <sample>/out/{year_id}\n\n\
         [period]\nid = \"{year_id}\"\n\n\
         [annual]\nquarters = [{runs}]\nweights = [{weights}]\n\
         # Present in only some quarters: the weighted mean of those present, and\n\
         # no annual grade (未评级) for fewer than min_quarters of them.\n\
         partial = \"mean_of_present\"\nmin_quarters = 2\n\n{grades}",
        year_id = last.get(..4).unwrap_or(last),
        runs = runs.join(", "),
        weights = weights.join(", "),
        grades = grades_section(super::SCHEME),
    );
    let path = year.join("appraisal.toml");
    std::fs::write(&path, text).map_err(|e| Error::io(&path, e))
}

/// The `[grades]` and `[grades.*]` tables of a scheme as written, without
/// `tie_break` (a year is ranked by its total, then the 工号).
fn grades_section(scheme: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for line in scheme.split_inclusive('\n') {
        let t = line.trim_start();
        if t.starts_with('[') {
            inside = t.starts_with("[grades]") || t.starts_with("[grades.");
        }
        if inside && !t.starts_with("tie_break") && !t.starts_with('#') {
            out.push_str(line);
        }
    }
    out
}
