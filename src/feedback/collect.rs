//! Reading what came back: the run's facts (its id, the key of its digests,
//! everyone appraised), then each returned workbook: does it belong to this
//! run, is every sealed cell as written (and no blank one filled in), and
//! what did the employee answer. Returned files are untrusted: only regular
//! files are opened, each through the guard and the streaming reader that
//! `run` uses for its inputs (`ingest::workbook`, under [`LIMITS`]), never
//! through a dense range; a reader that fails on a file rejects that file.
//! Files are read in parallel; nothing here writes.

use super::digest;
use crate::error::{Error, Problem, Result};
use crate::ingest::value::unsaved_formula_text;
use crate::ingest::workbook::Workbook;
use crate::lang::Text;
use crate::t;
use calamine::Data;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

mod answer_workbook;
mod returned_files;

use answer_workbook::{Reading, read_one};
pub use returned_files::{LIMITS, find_returned};

/// One person of the run, from its `summary.xlsx`.
#[derive(Debug, Clone, Default)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub role: String,
    pub team: String,
    pub total: Option<f64>,
    pub grade: String,
}

/// What collect needs to know about the run.
#[derive(Debug, Clone)]
pub struct RunFacts {
    pub run_id: String,
    /// The period the run scored (manifest.json's `period`), for the
    /// printed pages' header.
    pub period: String,
    pub key: String,
    pub people: Vec<Person>,
    pub index: HashMap<String, usize>,
    /// The last day an appeal is taken, when the scheme set one.
    pub appeal_by: Option<chrono::NaiveDate>,
}

/// Whether an appeal came in time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Timeliness {
    /// No deadline was set.
    NoDeadline,
    OnTime,
    Late(chrono::NaiveDate),
    /// The employee gave no date, or one that is not a date.
    Undated,
}

impl Answer {
    /// When the scheme sets a deadline: was this answer dated on or before it?
    pub fn timeliness(&self, deadline: Option<chrono::NaiveDate>) -> Timeliness {
        let Some(by) = deadline else {
            return Timeliness::NoDeadline;
        };
        match crate::ingest::value::parse_date_text(&self.date) {
            Some(d) if d > by => Timeliness::Late(d),
            Some(_) => Timeliness::OnTime,
            None => Timeliness::Undated,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct KpiAnswer {
    pub id: String,
    pub name: String,
    /// Some(true) agree, Some(false) disagree, None not answered.
    pub agree: Option<bool>,
    pub reason: String,
    /// As shown in the workbook's sealed result.
    pub actual: Option<f64>,
    pub weighted: Option<f64>,
}

/// One returned, verified workbook's answers.
#[derive(Debug, Clone, Default)]
pub struct Answer {
    pub path: PathBuf,
    pub employee: String,
    pub kpis: Vec<KpiAnswer>,
    /// Some(true) confirmed, Some(false) appealed, None not answered.
    pub overall: Option<bool>,
    pub appeal_reason: String,
    pub evidence: String,
    pub plan: String,
    pub support: String,
    pub date: String,
}

impl Answer {
    /// The same answers (the file aside).
    pub fn same_as(&self, o: &Answer) -> bool {
        let kpi = |a: &KpiAnswer, b: &KpiAnswer| {
            (&a.id, &a.name, a.agree, &a.reason) == (&b.id, &b.name, b.agree, &b.reason)
                && a.actual.map(f64::to_bits) == b.actual.map(f64::to_bits)
                && a.weighted.map(f64::to_bits) == b.weighted.map(f64::to_bits)
        };
        self.employee == o.employee
            && self.kpis.len() == o.kpis.len()
            && self.kpis.iter().zip(&o.kpis).all(|(a, b)| kpi(a, b))
            && (self.overall, &self.appeal_reason, &self.evidence)
                == (o.overall, &o.appeal_reason, &o.evidence)
            && (&self.plan, &self.support, &self.date) == (&o.plan, &o.support, &o.date)
    }
}

/// Why a returned file was not taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// The guard or the reader refused it: what, and what to do, in both
    /// languages (the summary is written in the run's).
    Unreadable(crate::lang::Text),
    NotFeedback,
    OtherRun(String),
    Altered,
    /// A value typed into this cell of the sealed sheet, blank as written.
    Written(String),
    UnknownEmployee,
    /// Two answers from one employee: the other files.
    Duplicate(Vec<PathBuf>),
    /// The same answer as this file, which is taken.
    Copy(PathBuf),
    /// Not a regular file: never opened.
    Special(Special),
    /// An Excel or WPS lock file (`~$…`), left while a workbook is open.
    LockFile,
    /// Not a workbook by its name (the extension, lower case, or empty).
    OtherKind(String),
}

/// What an entry of the returned folder is, when it is not a regular file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Special {
    Fifo,
    Socket,
    Device,
    /// A folder named like a workbook (`x.xlsx/`).
    Folder,
    LinkToFolder,
    /// A link to something outside the returned folder.
    LinkOutside,
    /// A link that leads nowhere.
    BrokenLink,
    Other,
}

#[derive(Debug, Clone)]
pub struct Rejected {
    pub path: PathBuf,
    pub employee: Option<String>,
    pub reason: Reason,
}

/// Everything collected.
#[derive(Debug, Clone)]
pub struct Collected {
    pub facts: RunFacts,
    /// Accepted answers by employee id.
    pub answers: BTreeMap<String, Answer>,
    pub rejected: Vec<Rejected>,
    pub files: usize,
}

fn text(d: Option<&Data>) -> String {
    match d {
        None | Some(Data::Empty) => String::new(),
        // A formula whose result was never stored: shown as the formula,
        // never as blank (issue 15).
        Some(d) if unsaved_formula_text(d).is_some() => unsaved_formula_text(d)
            .map(|f| format!("={}", f.trim_start_matches('=')))
            .unwrap_or_default(),
        Some(Data::String(s)) => s.trim().to_string(),
        Some(Data::Float(f)) => digest::number(*f),
        Some(Data::Int(i)) => i.to_string(),
        Some(Data::DateTime(dt)) => crate::ingest::value::date_from_serial(dt.as_f64())
            .map(|d| d.to_string())
            .unwrap_or_else(|| dt.as_f64().to_string()),
        Some(other) => other.to_string(),
    }
}

/// A sealed cell's value as the digest sees it.
fn sealed_text(d: Option<&Data>) -> String {
    match d {
        None | Some(Data::Empty) => String::new(),
        // Never equal to a sealed value: a formula put in its place is a change.
        Some(d) if unsaved_formula_text(d).is_some() => text(Some(d)),
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) => digest::number(*f),
        Some(Data::Int(i)) => digest::number(*i as f64),
        Some(Data::Bool(b)) => if *b { "TRUE" } else { "FALSE" }.into(),
        Some(Data::DateTime(dt)) => digest::number(dt.as_f64()),
        Some(other) => other.to_string(),
    }
}

fn number(d: Option<&Data>) -> Option<f64> {
    match d {
        Some(Data::Float(f)) => Some(*f),
        Some(Data::Int(i)) => Some(*i as f64),
        _ => None,
    }
}

/// `D13` → (12, 3).
pub fn parse_ref(r: &str) -> Option<(u32, u32)> {
    let split = r.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = r.split_at(split);
    if letters.is_empty() {
        return None;
    }
    let mut col: u32 = 0;
    for c in letters.chars() {
        if !c.is_ascii_uppercase() {
            return None;
        }
        col = col
            .checked_mul(26)?
            .checked_add(c as u32 - 'A' as u32 + 1)?;
    }
    let row: u32 = digits.parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

fn not_a_run() -> Text {
    Text::new(
        "请给出一次 `appraise run` 的输出目录（其中有 manifest.json 和 summary.xlsx）",
        "give the output directory of an `appraise run` (it holds manifest.json and summary.xlsx)",
    )
}

fn run_again() -> Text {
    Text::new(
        "把 `appraise run` 再运行一次，输出到这个目录",
        "run `appraise run` again into this directory",
    )
}

/// The run's id, digest key and people, from `manifest.json` and `summary.xlsx`.
pub fn read_run(run_dir: &Path) -> Result<RunFacts> {
    let mpath = run_dir.join("manifest.json");
    let bad = |m: Text| Error::data(Problem::at_file(&mpath, m).help(not_a_run()));
    let json = std::fs::read_to_string(&mpath).map_err(|e| {
        bad(t!(
            "无法读取本次运行的清单：{e}",
            "cannot read the run's manifest: {e}"
        ))
    })?;
    let m: serde_json::Value = serde_json::from_str(&json).map_err(|e| {
        bad(t!(
            "清单不是有效的 JSON：{e}",
            "the manifest is not valid JSON: {e}"
        ))
    })?;
    let run_id = m["run_id"]
        .as_str()
        .ok_or_else(|| bad(Text::new("清单里没有 run_id", "the manifest has no run_id")))?
        .to_string();
    let period = m["period"].as_str().unwrap_or_default().to_string();
    let config_sha = m["config"]["sha256"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let inputs: Vec<String> = m["inputs"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|i| i["sha256"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    let key = digest::key(&config_sha, inputs.iter().map(String::as_str));
    let appeal_by = match m["appeal_by"].as_str() {
        None => None,
        Some(d) => Some(
            chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| {
                bad(t!(
                    "清单里的 appeal_by `{d}` 不是日期",
                    "the manifest's appeal_by `{d}` is not a date"
                ))
            })?,
        ),
    };

    let spath = run_dir.join("summary.xlsx");
    let sbad = |m: Text| Error::data(Problem::at_file(&spath, m).help(run_again()));
    // The run's own output, read as inputs are (it may have been replaced).
    let mut wb = Workbook::open(&spath).map_err(|p| {
        let (zh, en) = (&p.message.zh, &p.message.en);
        sbad(t!(
            "无法打开本次运行的汇总：{zh}",
            "cannot open the run's summary: {en}"
        ))
    })?;
    let first = wb
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| sbad(Text::new("汇总里没有工作表", "the summary has no sheets")))?;
    let grid = wb.grid(&first).map_err(|p| {
        let (zh, en) = (&p.message.zh, &p.message.en);
        sbad(t!(
            "无法读取工作表 `{first}`：{zh}",
            "cannot read sheet `{first}`: {en}"
        ))
    })?;
    let mut rows = grid.rows().map(|(_, cells)| cells);
    let header: Vec<String> = rows
        .next()
        .map(|r| r.iter().map(|c| text(Some(c))).collect())
        .unwrap_or_default();
    let col = |zh: &str, en: &str| header.iter().position(|h| h == zh || h == en);
    let (Some(ci), Some(cn)) = (col("工号", "Id"), col("姓名", "Name")) else {
        return Err(sbad(t!(
            "工作表 `{first}` 没有 工号 和 姓名 列",
            "sheet `{first}` has no 工号 and 姓名 columns"
        )));
    };
    let (cr, ct, cto, cg) = (
        col("岗位", "Role"),
        col("班组", "Team"),
        col("总分", "Total"),
        col("等级", "Grade"),
    );
    let mut people = Vec::new();
    let mut index = HashMap::new();
    for r in rows {
        let id = text(r.get(ci));
        if id.is_empty() {
            continue;
        }
        index.insert(id.clone(), people.len());
        people.push(Person {
            id,
            name: text(r.get(cn)),
            role: cr.map(|c| text(r.get(c))).unwrap_or_default(),
            team: ct.map(|c| text(r.get(c))).unwrap_or_default(),
            total: cto.and_then(|c| number(r.get(c))),
            grade: cg.map(|c| text(r.get(c))).unwrap_or_default(),
        });
    }
    Ok(RunFacts {
        run_id,
        period,
        key,
        people,
        index,
        appeal_by,
    })
}

/// Read every returned workbook under `returned` against the run in `run_dir`.
pub fn collect(run_dir: &Path, returned: &Path) -> Result<Collected> {
    let facts = read_run(run_dir)?;
    let (files, mut rejected) = find_returned(returned)?;
    let found = files.len() + rejected.len();
    let readings: Vec<Reading> = files.par_iter().map(|p| read_one(p, &facts)).collect();
    let mut by_emp: BTreeMap<String, Vec<Answer>> = BTreeMap::new();
    for r in readings {
        match r {
            Reading::Answer(a) => by_emp.entry(a.employee.clone()).or_default().push(a),
            Reading::Rejected(x) => rejected.push(x),
        }
    }
    let mut answers = BTreeMap::new();
    for (emp, mut list) in by_emp {
        // Copies of one answer (the same file twice, or re-saved with the
        // same answers) are that answer: the file of the shortest path is
        // taken (`x.xlsx` rather than `x (1).xlsx`), then the first in order.
        list.sort_by(|a, b| {
            (a.path.as_os_str().len(), &a.path).cmp(&(b.path.as_os_str().len(), &b.path))
        });
        if list.iter().all(|a| a.same_as(&list[0])) {
            let mut list = list.into_iter();
            if let Some(first) = list.next() {
                for copy in list {
                    rejected.push(Rejected {
                        path: copy.path,
                        employee: Some(emp.clone()),
                        reason: Reason::Copy(first.path.clone()),
                    });
                }
                answers.insert(emp.clone(), first);
            }
            continue;
        }
        let paths: Vec<PathBuf> = list.iter().map(|a| a.path.clone()).collect();
        for a in list {
            let others = paths.iter().filter(|p| **p != a.path).cloned().collect();
            rejected.push(Rejected {
                path: a.path,
                employee: Some(emp.clone()),
                reason: Reason::Duplicate(others),
            });
        }
    }
    rejected.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Collected {
        facts,
        answers,
        files: found,
        rejected,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_refs_parse() {
        assert_eq!(parse_ref("A1"), Some((0, 0)));
        assert_eq!(parse_ref("D13"), Some((12, 3)));
        assert_eq!(parse_ref("AB2"), Some((1, 27)));
        assert_eq!(parse_ref("13"), None);
        assert_eq!(parse_ref("A0"), None);
    }
}
