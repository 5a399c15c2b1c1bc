//! Reading what came back: the run's facts (its id, the key of its digests,
//! everyone appraised), then each returned workbook: does it belong to this
//! run, is every sealed cell as written (and no blank one filled in), and
//! what did the employee answer. Returned files are untrusted: only regular
//! files are opened, each through the guard and the streaming reader that
//! `run` uses for its inputs (`ingest::workbook`, under [`LIMITS`]), never
//! through a dense range; a reader that fails on a file rejects that file.
//! Files are read in parallel; nothing here writes.

use super::labels::OVERALL_ROWS;
use super::{digest, labels};
use crate::config::Limits;
use crate::error::{Error, Location, Problem, Result, cell_name};
use crate::ingest::value::unsaved_formula_text;
use crate::ingest::workbook::Workbook;
use crate::lang::Lang;
use calamine::Data;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
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
    /// The guard or the reader refused it: what, and what to do.
    Unreadable(String),
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
    // The run's own output, read as inputs are (it may have been replaced).
    let mut wb = Workbook::open(&spath)
        .map_err(|p| sbad(format!("cannot open the run's summary: {}", p.message)))?;
    let first = wb
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| sbad("the summary has no sheets".into()))?;
    let grid = wb
        .grid(&first)
        .map_err(|p| sbad(format!("cannot read sheet `{first}`: {}", p.message)))?;
    let mut rows = grid.rows().map(|(_, cells)| cells);
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

/// Limits for a returned workbook: `run`'s defaults (src/config/limits.rs),
/// with files and parts of at most 64 MiB (1 GiB unpacked in all) and
/// sheets of at most a million cells. A feedback workbook as written is
/// some tens of KiB; an employee may paste photos of evidence into it,
/// which pack no smaller than they are.
pub const LIMITS: Limits = Limits {
    max_rows: 1_048_576,
    max_columns: 500,
    max_cells: 1_000_000,
    max_unpacked_mib: 64,
    max_ratio: 200,
};

/// Extensions (lower case) of the files `collect` reads: xlsx and its
/// macro-enabled form as Excel saves them, xlsb, and the formats WPS and
/// LibreOffice save to (xls, WPS's et, ods). Whatever the name says, the
/// bytes decide how a file is parsed.
const WORKBOOK_EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xlsb", "xls", "et", "ods"];

fn extension(name: &str) -> String {
    Path::new(name)
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

fn is_workbook_name(name: &str) -> bool {
    WORKBOOK_EXTENSIONS.contains(&extension(name).as_str())
}

/// What is not a regular file.
fn special(ft: &std::fs::FileType) -> Special {
    use std::os::unix::fs::FileTypeExt;
    if ft.is_fifo() {
        Special::Fifo
    } else if ft.is_socket() {
        Special::Socket
    } else if ft.is_block_device() || ft.is_char_device() {
        Special::Device
    } else {
        Special::Other
    }
}

/// Every entry under `dir`, at any depth: the files to read, and what is
/// not read and why. Nothing is opened here, so a FIFO or a device never
/// blocks. Links are followed only to a regular file inside `dir` (a link
/// to a folder is not followed, so there are no loops). Sub-folders are
/// walked, except one named like a workbook (`x.xlsx/`: an unpacked
/// workbook?), which is listed. Both lists are in path order.
pub fn find_returned(dir: &Path) -> Result<(Vec<PathBuf>, Vec<Rejected>)> {
    let root = std::fs::canonicalize(dir).map_err(|e| {
        Error::Usage(format!(
            "collect: cannot read {}: {e}; give the folder of returned workbooks",
            dir.display()
        ))
    })?;
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    let mut skip = |path: PathBuf, reason: Reason| {
        skipped.push(Rejected {
            path,
            employee: None,
            reason,
        })
    };
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let rd = match std::fs::read_dir(&d) {
            Ok(rd) => rd,
            Err(e) if d == dir => {
                return Err(Error::Usage(format!(
                    "collect: cannot read {}: {e}; give the folder of returned workbooks",
                    d.display()
                )));
            }
            Err(e) => {
                skip(
                    d,
                    Reason::Unreadable(format!("cannot read the folder: {e}")),
                );
                continue;
            }
        };
        for entry in rd {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    skip(
                        d.clone(),
                        Reason::Unreadable(format!("cannot list the folder: {e}")),
                    );
                    break;
                }
            };
            let p = entry.path();
            let name = entry.file_name().to_string_lossy().to_string();
            let ft = match entry.file_type() {
                Ok(ft) => ft,
                Err(e) => {
                    skip(p, Reason::Unreadable(e.to_string()));
                    continue;
                }
            };
            if ft.is_dir() {
                if is_workbook_name(&name) {
                    skip(p, Reason::Special(Special::Folder));
                } else {
                    stack.push(p);
                }
                continue;
            }
            if ft.is_symlink() {
                // Where it leads: a regular file inside the folder, or nothing.
                let target = match (std::fs::metadata(&p), std::fs::canonicalize(&p)) {
                    (Ok(m), Ok(t)) => (m, t),
                    _ => {
                        skip(p, Reason::Special(Special::BrokenLink));
                        continue;
                    }
                };
                if target.0.is_dir() {
                    skip(p, Reason::Special(Special::LinkToFolder));
                    continue;
                }
                if !target.1.starts_with(&root) {
                    skip(p, Reason::Special(Special::LinkOutside));
                    continue;
                }
                if !target.0.is_file() {
                    skip(p, Reason::Special(special(&target.0.file_type())));
                    continue;
                }
            } else if !ft.is_file() {
                skip(p, Reason::Special(special(&ft)));
                continue;
            }
            if name.starts_with("~$") {
                skip(p, Reason::LockFile);
            } else if is_workbook_name(&name) {
                files.push(p);
            } else {
                skip(p, Reason::OtherKind(extension(&name)));
            }
        }
    }
    files.sort();
    skipped.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((files, skipped))
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

/// A problem of the reader as the reason a file was refused: where in the
/// file (a cell names its sheet), what, and what to do. Advice to raise a
/// scheme's `[limits]` does not apply to a returned file.
fn refusal(p: &Problem) -> Reason {
    let at = match &p.location {
        Location::Cell(o) => format!("[{}]!{}: ", o.sheet, o.cell()),
        Location::Sheet { sheet, what, .. } if what.is_empty() => format!("[{sheet}]: "),
        Location::Sheet { sheet, what, .. } => format!("[{sheet}] {what}: "),
        _ => String::new(),
    };
    let help = match &p.help {
        Some(h) if !h.contains("[limits]") => h.as_str(),
        _ => "ask the employee to fill in the original workbook and return it",
    };
    Reason::Unreadable(format!("{at}{}; {help}", p.message))
}

/// A sheet's non-empty cells by absolute 0-based (row, col), read by the
/// guarded streaming reader.
struct Cells(HashMap<(u32, u32), Data>);

impl Cells {
    fn read(wb: &mut Workbook, sheet: &str) -> std::result::Result<Cells, Problem> {
        let grid = wb.grid(sheet)?;
        let c0 = grid.col0();
        let mut map = HashMap::new();
        for (r, row) in grid.rows() {
            for (i, d) in row.iter().enumerate() {
                if !matches!(d, Data::Empty) {
                    map.insert((r, c0 + i as u32), d.clone());
                }
            }
        }
        Ok(Cells(map))
    }

    fn get(&self, row: u32, col: u32) -> Option<&Data> {
        self.0.get(&(row, col))
    }
}

/// Read one returned file, never panicking: a reader that fails on a
/// malformed file rejects it.
fn read_one(path: &Path, facts: &RunFacts) -> Reading {
    crate::error::quietly(|| read_checked(path, facts)).unwrap_or_else(|| {
        reject(
            path,
            None,
            Reason::Unreadable(
                "the file is malformed (the workbook reader failed on it); ask the employee to fill in the original workbook and return it"
                    .into(),
            ),
        )
    })
}

fn read_checked(path: &Path, facts: &RunFacts) -> Reading {
    let mut wb = match Workbook::open_with(path, &LIMITS) {
        Ok(wb) => wb,
        Err(p) => return reject(path, None, refusal(&p)),
    };
    let names = wb.sheet_names();
    if !names.iter().any(|n| n == labels::META_SHEET) {
        return reject(path, None, Reason::NotFeedback);
    }
    let meta = match Cells::read(&mut wb, labels::META_SHEET) {
        Ok(c) => c,
        Err(p) => return reject(path, None, refusal(&p)),
    };
    // Key in column A, value in B; a key given twice keeps its last row.
    let mut keys: Vec<(u32, &Data)> = meta
        .0
        .iter()
        .filter(|((_, c), _)| *c == 0)
        .map(|((r, _), d)| (*r, d))
        .collect();
    keys.sort_by_key(|(r, _)| *r);
    let mut m: HashMap<String, String> = HashMap::new();
    for (r, d) in keys {
        m.insert(sealed_text(Some(d)), sealed_text(meta.get(r, 1)));
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
    // The sealed sheet is the result sheet the employee sees: the meta
    // sheet is not sealed, so it may not point at a copy kept elsewhere.
    let result_names = [Lang::Zh, Lang::En].map(labels::result_sheet);
    let result_sheet = get("result_sheet");
    if !result_names.contains(&result_sheet.as_str())
        || names
            .iter()
            .filter(|n| result_names.contains(&n.as_str()))
            .count()
            != 1
    {
        return reject(path, emp, Reason::Altered);
    }
    let result = match Cells::read(&mut wb, &result_sheet) {
        Ok(r) => r,
        Err(p) if names.contains(&result_sheet) => return reject(path, emp, refusal(&p)),
        Err(_) => return reject(path, emp, Reason::Altered),
    };
    let mut cells = Vec::new();
    let mut sealed = HashSet::new();
    for r in get("sealed_cells").split(',').filter(|s| !s.is_empty()) {
        let Some((row, col)) = parse_ref(r) else {
            return reject(path, emp, Reason::Altered);
        };
        sealed.insert((row, col));
        cells.push((r.to_string(), sealed_text(result.get(row, col))));
    }
    if digest::seal(&facts.key, &facts.run_id, &employee, &cells) != get("digest") {
        return reject(path, emp, Reason::Altered);
    }
    // A value where the sealed sheet had none is a change too: the first
    // such cell, in reading order.
    if let Some(&(row, col)) = result
        .0
        .iter()
        .filter(|(at, d)| !sealed.contains(*at) && !sealed_text(Some(d)).is_empty())
        .map(|(at, _)| at)
        .min()
    {
        return reject(path, emp, Reason::Written(cell_name(row, col)));
    }
    let answer_names = [Lang::Zh, Lang::En].map(labels::answer_sheet);
    let answer_sheet = get("answer_sheet");
    if !answer_names.contains(&answer_sheet.as_str()) {
        return reject(path, emp, Reason::NotFeedback);
    }
    let answers = match Cells::read(&mut wb, &answer_sheet) {
        Ok(r) => r,
        Err(p) => return reject(path, emp, refusal(&p)),
    };
    // Where each KPI sits in the (verified) result, for the appeals sheet:
    // its first row with the id in column A.
    let mut shown: HashMap<String, (Option<f64>, Option<f64>)> = HashMap::new();
    let mut ids: Vec<(u32, String)> = result
        .0
        .iter()
        .filter(|((_, c), _)| *c == 0)
        .map(|((r, _), d)| (*r, text(Some(d))))
        .filter(|(_, id)| !id.is_empty())
        .collect();
    ids.sort();
    for (r, id) in ids {
        shown
            .entry(id)
            .or_insert((number(result.get(r, 2)), number(result.get(r, 7))));
    }
    let (Ok(kpi_row), Ok(overall_row)) = (
        get("kpi_row").parse::<u32>(),
        get("overall_row").parse::<u32>(),
    ) else {
        return reject(path, emp, Reason::NotFeedback);
    };
    let kpis: Vec<String> = get("kpis")
        .split(',')
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    if kpi_row.checked_add(kpis.len() as u32).is_none()
        || overall_row.checked_add(OVERALL_ROWS as u32).is_none()
    {
        return reject(path, emp, Reason::NotFeedback);
    }
    let at = |r: u32, c: u32| answers.get(r, c);
    let mut a = Answer {
        path: path.to_path_buf(),
        employee: employee.clone(),
        ..Answer::default()
    };
    for (i, id) in kpis.into_iter().enumerate() {
        let r = kpi_row + i as u32;
        let (actual, weighted) = shown.get(&id).copied().unwrap_or((None, None));
        a.kpis.push(KpiAnswer {
            id,
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
