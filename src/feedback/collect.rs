//! Reading what came back: the run's facts (its id, the key of its digests,
//! everyone appraised), then each returned workbook: does it belong to this
//! run, is every sealed cell as written, and what did the employee answer.
//! Files are read in parallel; nothing here writes.

use super::{digest, labels};
use crate::error::{Error, Problem, Result};
use calamine::{Data, Range, Reader, open_workbook_auto};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

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

/// Why a returned file was not taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    Unreadable(String),
    NotFeedback,
    OtherRun(String),
    Altered,
    UnknownEmployee,
    /// Two answers from one employee: the other files.
    Duplicate(Vec<PathBuf>),
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

/// The run's id, digest key and people, from `manifest.json` and `summary.xlsx`.
pub fn read_run(run_dir: &Path) -> Result<RunFacts> {
    let mpath = run_dir.join("manifest.json");
    let bad = |m: String| {
        Error::data(
            Problem::at_file(&mpath, m)
                .help("give the output directory of an `appraise run` (it holds manifest.json and summary.xlsx)"),
        )
    };
    let json = std::fs::read_to_string(&mpath)
        .map_err(|e| bad(format!("cannot read the run's manifest: {e}")))?;
    let m: serde_json::Value = serde_json::from_str(&json)
        .map_err(|e| bad(format!("the manifest is not valid JSON: {e}")))?;
    let run_id = m["run_id"]
        .as_str()
        .ok_or_else(|| bad("the manifest has no run_id".into()))?
        .to_string();
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
            chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map_err(|_| bad(format!("the manifest's appeal_by `{d}` is not a date")))?,
        ),
    };

    let spath = run_dir.join("summary.xlsx");
    let sbad = |m: String| {
        Error::data(
            Problem::at_file(&spath, m).help("run `appraise run` again into this directory"),
        )
    };
    let mut wb = open_workbook_auto(&spath)
        .map_err(|e| sbad(format!("cannot open the run's summary: {e}")))?;
    let first = wb
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| sbad("the summary has no sheets".into()))?;
    let range = wb
        .worksheet_range(&first)
        .map_err(|e| sbad(format!("cannot read sheet `{first}`: {e}")))?;
    let mut rows = range.rows();
    let header: Vec<String> = rows
        .next()
        .map(|r| r.iter().map(|c| text(Some(c))).collect())
        .unwrap_or_default();
    let col = |zh: &str, en: &str| header.iter().position(|h| h == zh || h == en);
    let (Some(ci), Some(cn)) = (col("工号", "Id"), col("姓名", "Name")) else {
        return Err(sbad(format!(
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
        key,
        people,
        index,
        appeal_by,
    })
}

/// Every .xlsx under `dir`, at any depth, in path order (Excel's `~$` lock files skipped).
pub fn find_xlsx(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let rd = std::fs::read_dir(&d).map_err(|e| {
            Error::Usage(format!(
                "collect: cannot read {}: {e}; give the folder of returned workbooks",
                d.display()
            ))
        })?;
        for entry in rd {
            let entry = entry.map_err(|e| Error::io(&d, e))?;
            let p = entry.path();
            let ft = entry.file_type().map_err(|e| Error::io(&p, e))?;
            if ft.is_dir() {
                stack.push(p);
            } else {
                let name = entry.file_name().to_string_lossy().to_string();
                if name.to_ascii_lowercase().ends_with(".xlsx") && !name.starts_with("~$") {
                    out.push(p);
                }
            }
        }
    }
    out.sort();
    Ok(out)
}

enum Reading {
    Answer(Answer),
    Rejected(Rejected),
}

fn reject(path: &Path, employee: Option<String>, reason: Reason) -> Reading {
    Reading::Rejected(Rejected {
        path: path.to_path_buf(),
        employee,
        reason,
    })
}

fn read_one(path: &Path, facts: &RunFacts) -> Reading {
    let mut wb = match open_workbook_auto(path) {
        Ok(wb) => wb,
        Err(e) => return reject(path, None, Reason::Unreadable(e.to_string())),
    };
    if !wb.sheet_names().iter().any(|n| n == labels::META_SHEET) {
        return reject(path, None, Reason::NotFeedback);
    }
    let meta = match wb.worksheet_range(labels::META_SHEET) {
        Ok(r) => r,
        Err(e) => return reject(path, None, Reason::Unreadable(e.to_string())),
    };
    let mut m: HashMap<String, String> = HashMap::new();
    for r in meta.rows() {
        m.insert(sealed_text(r.first()), sealed_text(r.get(1)));
    }
    let get = |k: &str| m.get(k).cloned().unwrap_or_default();
    if get("format") != labels::META_FORMAT {
        return reject(path, None, Reason::NotFeedback);
    }
    let employee = get("employee");
    let emp = Some(employee.clone());
    if get("run_id") != facts.run_id {
        return reject(path, emp, Reason::OtherRun(get("run_id")));
    }
    if !facts.index.contains_key(&employee) {
        return reject(path, emp, Reason::UnknownEmployee);
    }
    let result: Range<Data> = match wb.worksheet_range(&get("result_sheet")) {
        Ok(r) => r,
        Err(_) => return reject(path, emp, Reason::Altered),
    };
    let mut cells = Vec::new();
    for r in get("sealed_cells").split(',').filter(|s| !s.is_empty()) {
        let Some(pos) = parse_ref(r) else {
            return reject(path, emp, Reason::Altered);
        };
        cells.push((r.to_string(), sealed_text(result.get_value(pos))));
    }
    if digest::seal(&facts.key, &facts.run_id, &employee, &cells) != get("digest") {
        return reject(path, emp, Reason::Altered);
    }
    let answers = match wb.worksheet_range(&get("answer_sheet")) {
        Ok(r) => r,
        Err(e) => return reject(path, emp, Reason::Unreadable(e.to_string())),
    };
    // Where each KPI sits in the (verified) result, for the appeals sheet.
    let mut shown: HashMap<String, (Option<f64>, Option<f64>)> = HashMap::new();
    if result.start().is_some_and(|(_, c)| c == 0) {
        for row in result.rows() {
            let id = text(row.first());
            if !id.is_empty() {
                shown
                    .entry(id)
                    .or_insert((number(row.get(2)), number(row.get(7))));
            }
        }
    }
    let kpi_row: u32 = get("kpi_row").parse().unwrap_or(0);
    let overall_row: u32 = get("overall_row").parse().unwrap_or(0);
    let at = |r: u32, c: u32| answers.get_value((r, c));
    let mut a = Answer {
        path: path.to_path_buf(),
        employee: employee.clone(),
        ..Answer::default()
    };
    for (i, id) in get("kpis").split(',').filter(|s| !s.is_empty()).enumerate() {
        let r = kpi_row + i as u32;
        let (actual, weighted) = shown.get(id).copied().unwrap_or((None, None));
        a.kpis.push(KpiAnswer {
            id: id.to_string(),
            name: text(at(r, 1)),
            agree: labels::which(&text(at(r, 2)), labels::agree),
            reason: text(at(r, 3)),
            actual,
            weighted,
        });
    }
    let o = |i: u32| text(at(overall_row + i, 1));
    a.overall = labels::which(&o(0), labels::confirm);
    a.appeal_reason = o(1);
    a.evidence = o(2);
    a.plan = o(3);
    a.support = o(4);
    a.date = o(5);
    Reading::Answer(a)
}

/// Read every returned workbook under `returned` against the run in `run_dir`.
pub fn collect(run_dir: &Path, returned: &Path) -> Result<Collected> {
    let facts = read_run(run_dir)?;
    let files = find_xlsx(returned)?;
    let readings: Vec<Reading> = files.par_iter().map(|p| read_one(p, &facts)).collect();
    let mut by_emp: BTreeMap<String, Vec<Answer>> = BTreeMap::new();
    let mut rejected = Vec::new();
    for r in readings {
        match r {
            Reading::Answer(a) => by_emp.entry(a.employee.clone()).or_default().push(a),
            Reading::Rejected(x) => rejected.push(x),
        }
    }
    let mut answers = BTreeMap::new();
    for (emp, list) in by_emp {
        if list.len() == 1 {
            answers.extend(list.into_iter().map(|a| (emp.clone(), a)));
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
        rejected,
        files: files.len(),
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
