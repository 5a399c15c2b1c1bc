//! The work directory of the integration tests: a minimal valid scheme
//! and its three workbooks, written fresh into a temporary directory; helpers
//! to change one thing or write other workbooks, run the binary there, and
//! read back what it wrote.

#![allow(dead_code)]

use calamine::{Data, Reader, open_workbook_auto};
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The minimal valid scheme: one role, a one-row-per-person source, a
/// many-rows source with a count, a formula metric and a band rule.
pub const SCHEME: &str = r#"[period]
id = "T1"
start = 2024-07-01
end = 2024-09-30

[rounding]
rate = 4
score = 4
weighted = 2
total = 2

[roster]
file = "roster.xlsx"
sheet = "花名册"
columns = { id = "工号", name = "姓名", role = "岗位", team = "班组" }

[sources.am]
file = "data.xlsx"
sheet = "指标"
key = "工号"
[sources.am.columns]
revenue = { header = "收入", min = 0 }
revenue_target = "目标"
visits = "走访"

[sources.events]
file = "events.xlsx"
sheet = "事件"
key = "工号"
rows = "many_per_key"
[sources.events.columns]
kind = { header = "类型", type = "text" }
date = { header = "日期", type = "date" }

[metrics]
complaints = { input = "events", agg = "count", where = { kind = "投诉" } }
per_visit = { formula = "revenue / visits" }

[roles.am]
name = "客户经理"
roster_value = "客户经理"

[[roles.am.kpis]]
id = "revenue"
name = "收入完成率"
weight = 60
metric = "revenue"
target = { metric = "revenue_target" }
rule = { type = "ratio", cap = 1.2 }

[[roles.am.kpis]]
id = "visits"
name = "走访"
weight = 40
metric = "visits"
rule = { type = "bands", on = "value", bands = [
  { to = 10, score = 0.5 },
  { from = 10, score = 1 },
] }

[[roles.am.adjustments]]
id = "deduction"
name = "扣分项"
items = [{ name = "投诉", metric = "complaints", points = -2 }]

[grades]
scale = ["A", "B", "C"]
cutoffs = [{ grade = "A", min = 90 }, { grade = "B", min = 60 }]
"#;

/// A cell to write.
#[derive(Debug, Clone)]
pub enum C {
    S(String),
    N(f64),
    /// A date cell (year, month, day).
    D(u16, u8, u8),
    /// A formula whose cached result is an error value, e.g. "#DIV/0!".
    E(&'static str),
    B(bool),
    Blank,
}

pub fn s(x: &str) -> C {
    C::S(x.to_string())
}

pub fn n(x: f64) -> C {
    C::N(x)
}

pub type Sheet = Vec<Vec<C>>;

pub fn roster() -> Sheet {
    vec![
        vec![s("工号"), s("姓名"), s("岗位"), s("班组")],
        vec![s("E01"), s("张三"), s("客户经理"), s("一班")],
        vec![s("E02"), s("李四"), s("客户经理"), s("一班")],
        vec![s("E03"), s("王五"), s("客户经理"), s("二班")],
    ]
}

pub fn data() -> Sheet {
    vec![
        vec![s("工号"), s("收入"), s("目标"), s("走访")],
        vec![s("E01"), n(120.0), n(100.0), n(12.0)],
        vec![s("E02"), n(80.0), n(100.0), n(8.0)],
        vec![s("E03"), n(100.0), n(100.0), n(10.0)],
    ]
}

pub fn events() -> Sheet {
    vec![
        vec![s("工号"), s("类型"), s("日期")],
        vec![s("E01"), s("投诉"), C::D(2024, 8, 1)],
        vec![s("E02"), s("表扬"), C::D(2024, 8, 2)],
    ]
}

/// Write a workbook of named sheets.
pub fn write_book(path: &Path, sheets: &[(&str, &Sheet)]) {
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).expect("sheet name");
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell {
                    C::S(t) => {
                        ws.write_string(r, c, t).expect("write");
                    }
                    C::N(x) => {
                        ws.write_number(r, c, *x).expect("write");
                    }
                    C::D(y, m, d) => {
                        let dt = ExcelDateTime::from_ymd(*y, *m, *d).expect("date");
                        ws.write_datetime_with_format(r, c, &dt, &date)
                            .expect("write");
                    }
                    C::E(err) => {
                        ws.write_formula(r, c, Formula::new("=1/0").set_result(*err))
                            .expect("write");
                    }
                    C::B(b) => {
                        ws.write_boolean(r, c, *b).expect("write");
                    }
                    C::Blank => {}
                }
            }
        }
    }
    wb.save(path).expect("save workbook");
}

/// A temporary directory holding the valid fixture.
pub struct Workdir {
    pub dir: tempfile::TempDir,
}

impl Workdir {
    /// An empty directory, for tests that write their own inputs.
    pub fn empty() -> Workdir {
        Workdir {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    /// Write a workbook with one sheet per `(name, rows)`.
    pub fn xlsx(&self, file: &str, sheets: &[(&str, Vec<Vec<V>>)]) {
        let mut wb = Workbook::new();
        for (name, rows) in sheets {
            let ws = wb.add_worksheet();
            ws.set_name(*name).expect("sheet name");
            for (r, row) in rows.iter().enumerate() {
                for (c, v) in row.iter().enumerate() {
                    match v {
                        S(s) => {
                            ws.write_string(r as u32, c as u16, *s).expect("write");
                        }
                        N(n) => {
                            ws.write_number(r as u32, c as u16, *n).expect("write");
                        }
                        Empty => {}
                    }
                }
            }
        }
        wb.save(self.path(file)).expect("save");
    }

    pub fn write(&self, file: &str, text: &str) {
        std::fs::write(self.path(file), text).expect("write");
    }

    /// Every cell of a sheet as display text, row by row.
    pub fn sheet(&self, file: &str, sheet: &str) -> Vec<Vec<String>> {
        read_sheet(&self.path(file), sheet)
    }

    pub fn new() -> Workdir {
        let w = Workdir {
            dir: tempfile::tempdir().expect("tempdir"),
        };
        w.scheme(SCHEME);
        w.book("roster.xlsx", "花名册", &roster());
        w.book("data.xlsx", "指标", &data());
        w.book("events.xlsx", "事件", &events());
        w
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn scheme(&self, text: &str) {
        std::fs::write(self.path("appraisal.toml"), text).expect("write scheme");
    }

    /// Replace `from` (which must occur) in the scheme.
    pub fn edit(&self, from: &str, to: &str) {
        assert!(SCHEME.contains(from), "the fixture has no `{from}`");
        self.scheme(&SCHEME.replacen(from, to, 1));
    }

    pub fn book(&self, file: &str, sheet: &str, rows: &Sheet) {
        write_book(&self.path(file), &[(sheet, rows)]);
    }

    pub fn bytes(&self, file: &str, bytes: &[u8]) {
        std::fs::write(self.path(file), bytes).expect("write file");
    }

    pub fn read(&self, file: &str) -> Vec<u8> {
        std::fs::read(self.path(file)).expect("read file")
    }

    /// Every name in the directory, recursively.
    pub fn listing(&self) -> BTreeSet<String> {
        fn walk(dir: &Path, base: &Path, out: &mut BTreeSet<String>) {
            for e in std::fs::read_dir(dir).expect("ls").flatten() {
                let p = e.path();
                out.insert(p.strip_prefix(base).expect("prefix").display().to_string());
                if p.is_dir() {
                    walk(&p, base, out);
                }
            }
        }
        let mut out = BTreeSet::new();
        walk(self.dir.path(), self.dir.path(), &mut out);
        out
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut c = appraise();
        c.args(args).current_dir(self.dir.path());
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run appraise")
    }
}

/// `check` and `run` both fail with `code`, print nothing on stdout and
/// leave the directory as it was. Returns the stderr lines of each.
pub fn both_fail(w: &Workdir, code: i32) -> [Vec<String>; 2] {
    let before = w.listing();
    [
        &["check", "appraisal.toml"][..],
        &["run", "appraisal.toml", "--out", "out"][..],
    ]
    .map(|args| {
        let o = w.run(args);
        let lines = err_lines(&o);
        assert_eq!(o.status.code(), Some(code), "{args:?}: {lines:#?}");
        assert!(o.stdout.is_empty(), "{args:?} printed to stdout");
        assert_eq!(w.listing(), before, "{args:?} wrote something");
        lines
    })
}

/// stderr without the leading `error: `, as lines.
pub fn err_lines(o: &Output) -> Vec<String> {
    String::from_utf8_lossy(&o.stderr)
        .lines()
        .map(|l| l.strip_prefix("error: ").unwrap_or(l).to_string())
        .collect()
}

/// A cell to write: text or number.
pub enum V<'a> {
    S(&'a str),
    N(f64),
    Empty,
}

pub use V::{Empty, N, S};

/// A sheet as text, numbers exactly as stored.
pub fn read_sheet(path: &Path, sheet: &str) -> Vec<Vec<String>> {
    read_sheet_with(path, sheet, |f| format!("{f}"))
}

/// A sheet as text, numbers to 6 decimal places: for figures worked by hand
/// to that precision (credit shares of thirds, say), where the double's last
/// digits are not what is being checked.
pub fn read_sheet_to_6_places(path: &Path, sheet: &str) -> Vec<Vec<String>> {
    read_sheet_with(path, sheet, |f| format!("{}", (f * 1e6).round() / 1e6))
}

fn read_sheet_with(path: &Path, sheet: &str, number: fn(f64) -> String) -> Vec<Vec<String>> {
    let mut wb = open_workbook_auto(path).expect("open workbook");
    let range = wb.worksheet_range(sheet).expect("sheet");
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|d| match d {
                    Data::Empty => String::new(),
                    Data::Float(f) => number(*f),
                    Data::Int(i) => i.to_string(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

/// The index of a column by its header (the table's first row).
pub fn col(rows: &[Vec<String>], header: &str) -> usize {
    rows[0]
        .iter()
        .position(|h| h == header)
        .unwrap_or_else(|| panic!("no column {header}: {:?}", rows[0]))
}

/// The row of a table whose first cell is `key`, as (header → value).
pub fn row_of(table: &[Vec<String>], key: &str) -> Vec<(String, String)> {
    let header = &table[0];
    let row = table
        .iter()
        .find(|r| r.first().map(String::as_str) == Some(key))
        .unwrap_or_else(|| panic!("no row {key}"));
    header.iter().cloned().zip(row.iter().cloned()).collect()
}

pub fn get(row: &[(String, String)], col: &str) -> String {
    row.iter()
        .find(|(h, _)| h == col)
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| panic!("no column {col}"))
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

// The binary and the repository, for the tests that run it themselves.

/// The committed sample scheme, `kpi-configs/hefei-2024q3.toml`.
pub const SAMPLE_SCHEME: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/kpi-configs/hefei-2024q3.toml");

/// A draft of the sample's scheme (the committed one, or one `sample`
/// writes) moving 5 points from the account managers' revenue completion
/// to their revenue growth: the what-if tests' draft.
pub fn draft_moving_five_points(scheme: &str) -> String {
    let draft = scheme
        .replacen(
            "weight = 10\nmetric = \"revenue\"\n",
            "weight = 15\nmetric = \"revenue\"\n",
            1,
        )
        .replacen(
            "weight = 15                          # was 25",
            "weight = 10                          # was 25",
            1,
        );
    assert_ne!(draft, scheme, "the sample scheme's weights moved");
    draft
}

/// The repository's root directory.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `appraise` binary under test, to be given its arguments, in an
/// English locale: the tests read its messages in English unless they ask
/// for Chinese (`--lang zh`, a Chinese locale: tests/suite/config_errors.rs).
pub fn appraise() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_appraise"));
    c.env("LC_ALL", "en_US.UTF-8");
    c
}

/// The `appraise` binary under test with no locale at all (as on a
/// Windows machine, or a bare container).
pub fn appraise_without_locale() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_appraise"));
    c.env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG");
    c
}

/// Runs `appraise ARGS` and fails the test, with its stderr, unless it succeeds.
pub fn appraise_ok(args: &[&str]) {
    let out = appraise().args(args).output().expect("run appraise");
    assert!(
        out.status.success(),
        "appraise {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// `written` holds the same files as `committed`, byte for byte; `fix` says
/// how to bring the committed copy up to date.
pub fn assert_same_files(written: &Path, committed: &Path, fix: &str) {
    let names = |dir: &Path| {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    assert_eq!(names(written), names(committed), "{fix}");
    for name in names(written) {
        assert!(
            std::fs::read(written.join(&name)).expect("written")
                == std::fs::read(committed.join(&name)).expect("committed"),
            "{} is stale: {fix}",
            committed.join(&name).display()
        );
    }
}

/// A path as text, for a command line.
pub fn path_str(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// A cell as the text it shows (an empty cell is "").
pub fn cell_text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}
