//! One error type for the whole crate, with the place each problem was found
//! (a TOML line and column, or a workbook, sheet and cell) and the exit code
//! it maps to. Problems are collected, not thrown one at a time, so that a
//! user sees everything wrong with a file in a single pass.

use crate::lang::{Lang, Text, messages};
use crate::t;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How many problems are reported before the rest are summarised.
pub const PROBLEM_CAP: usize = 50;

/// Exit codes, decided here and nowhere else (sysexits.h values).
pub mod exit {
    pub const OK: i32 = 0;
    pub const OTHER: i32 = 1;
    pub const USAGE: i32 = 2;
    pub const DATA: i32 = 65;
    pub const CONFIG: i32 = 78;
    /// Stopped by SIGINT or SIGTERM (128 + 2, as shells report Ctrl-C).
    pub const INTERRUPTED: i32 = 130;
}

/// Where in the user's files a problem sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A TOML file; line and column are 1-based. `text` is the offending line.
    Toml {
        file: PathBuf,
        line: usize,
        column: usize,
        width: usize,
        text: String,
    },
    /// A cell of a workbook.
    Cell(Origin),
    /// A column (or header row) of a sheet.
    Sheet {
        file: Arc<str>,
        sheet: Arc<str>,
        /// What of the sheet (`header row 2`), in both languages; empty for the whole sheet.
        what: crate::lang::Text,
    },
    /// A whole file.
    File(PathBuf),
    /// No single place (e.g. a run-wide condition).
    Nowhere,
}

/// `表头第 N 行` / `header row N`: the `what` of a [`Location::Sheet`].
pub fn header_row_text(row: impl fmt::Display) -> crate::lang::Text {
    crate::t!("表头第 {row} 行", "header row {row}")
}

/// The cell a value came from: `boss.xlsx [指标]!D17`.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq, Hash)]
pub struct Origin {
    pub file: Arc<str>,
    pub sheet: Arc<str>,
    /// 0-based row and column.
    pub row: u32,
    pub col: u32,
}

impl Origin {
    /// The A1-style reference of the cell, e.g. `D17`.
    pub fn cell(&self) -> String {
        cell_name(self.row, self.col)
    }

    /// The file's name without its directories, for compact traces.
    pub fn short_file(&self) -> &str {
        Path::new(&*self.file)
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or(&self.file)
    }

    /// `boss.xlsx [指标]!D17`, the form used in workbooks.
    pub fn short(&self) -> String {
        format!("{} [{}]!{}", self.short_file(), self.sheet, self.cell())
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} [{}]!{}", self.file, self.sheet, self.cell())
    }
}

/// Column letters for a 0-based column index: 0 → A, 27 → AB.
fn push_column_name(out: &mut String, col: u32) {
    let mut n = col as u64 + 1;
    let mut letters = [0u8; 8]; // 26^7 > u32::MAX: seven letters at most
    let mut len = 0;
    while n > 0 {
        letters[len] = b'A' + ((n - 1) % 26) as u8;
        len += 1;
        n = (n - 1) / 26;
    }
    out.extend(letters[..len].iter().rev().map(|&b| char::from(b)));
}

/// A1-style name of a 0-based (row, col).
pub fn cell_name(row: u32, col: u32) -> String {
    let mut out = String::with_capacity(12);
    push_cell_name(&mut out, row, col);
    out
}

/// [`cell_name`], appended to `out` (no allocation of its own).
pub fn push_cell_name(out: &mut String, row: u32, col: u32) {
    use std::fmt::Write;
    push_column_name(out, col);
    let _ = write!(out, "{}", row as u64 + 1);
}

/// One thing wrong, where it is, and what would fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub location: Location,
    /// What is wrong, in both languages (boxed: a `Result<_, Problem>`
    /// stays small).
    pub message: Box<Text>,
    /// What to do about it, in both languages.
    pub help: Option<Box<Text>>,
}

impl Problem {
    pub fn new(location: Location, message: impl Into<Text>) -> Self {
        Problem {
            location,
            message: Box::new(message.into()),
            help: None,
        }
    }

    pub fn help(mut self, help: impl Into<Text>) -> Self {
        self.help = Some(Box::new(help.into()));
        self
    }

    pub fn at_cell(origin: &Origin, message: impl Into<Text>) -> Self {
        Problem::new(Location::Cell(origin.clone()), message)
    }

    pub fn at_file(path: impl Into<PathBuf>, message: impl Into<Text>) -> Self {
        Problem::new(Location::File(path.into()), message)
    }

    pub fn nowhere(message: impl Into<Text>) -> Self {
        Problem::new(Location::Nowhere, message)
    }
}

impl Problem {
    /// The problem as printed, in `lang`: where (in the same form in both
    /// languages), what, and the help line.
    pub fn render(&self, lang: Lang) -> String {
        struct In<'a>(&'a Problem, Lang);
        impl fmt::Display for In<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.write(f, self.1)
            }
        }
        In(self, lang).to_string()
    }

    fn write(&self, f: &mut fmt::Formatter<'_>, lang: Lang) -> fmt::Result {
        let message = self.message.get(lang);
        match &self.location {
            Location::Toml {
                file,
                line,
                column,
                width,
                text,
            } => {
                writeln!(f, "{}:{}:{}: {}", file.display(), line, column, message)?;
                let gutter = line.to_string().len();
                writeln!(f, "{:>gutter$} |", "")?;
                writeln!(f, "{line} | {text}")?;
                let pad: String = text
                    .chars()
                    .take(column.saturating_sub(1))
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                write!(f, "{:>gutter$} | {pad}{}", "", "^".repeat((*width).max(1)))?;
            }
            Location::Cell(origin) => write!(f, "{origin}: {message}")?,
            Location::Sheet { file, sheet, what } if what.en.is_empty() => {
                write!(f, "{file} [{sheet}]: {message}")?
            }
            Location::Sheet { file, sheet, what } => {
                write!(f, "{file} [{sheet}] {what}: {message}")?
            }
            Location::File(path) => write!(f, "{}: {message}", path.display())?,
            Location::Nowhere => write!(f, "{message}")?,
        }
        if let Some(help) = &self.help {
            let label = crate::lang::in_lang(lang, "= 提示", "= help");
            write!(f, "\n  {label}: {}", help.get(lang))?;
        }
        Ok(())
    }
}

impl Problem {
    /// A warning as printed: as [`Problem::render`], its message after
    /// "警告：" / "warning: " (issue 19).
    pub fn render_warning(&self, lang: Lang) -> String {
        let m = &self.message;
        let mut w = self.clone();
        *w.message = Text::new(format!("警告：{}", m.zh), format!("warning: {}", m.en));
        w.render(lang)
    }
}

impl fmt::Display for Problem {
    /// In the language of the messages ([`crate::lang::messages`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f, messages())
    }
}

/// The crate's error: what went wrong, and so which exit code.
#[derive(Debug)]
pub enum Error {
    /// The command line was wrong, or the output directory is taken (exit 2).
    Usage(Text),
    /// The KPI scheme is invalid (exit 78).
    Config(Vec<Problem>),
    /// An input workbook is missing, unreadable or holds bad values (exit 65).
    Data(Vec<Problem>),
    /// Anything else: I/O on the output side, a bug (exit 1).
    Other(Text),
}

impl Error {
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) => exit::USAGE,
            Error::Config(_) => exit::CONFIG,
            Error::Data(_) => exit::DATA,
            Error::Other(_) => exit::OTHER,
        }
    }

    pub fn config(problem: Problem) -> Self {
        Error::Config(vec![problem])
    }

    pub fn data(problem: Problem) -> Self {
        Error::Data(vec![problem])
    }

    pub fn io(path: &Path, err: std::io::Error) -> Self {
        Error::Other(Text::same(format!("{}: {err}", path.display())))
    }

    /// A usage error (exit 2) in both languages.
    pub fn usage(text: Text) -> Self {
        Error::Usage(text)
    }

    /// The error as printed, in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        match self {
            Error::Usage(m) | Error::Other(m) => m.get(lang).to_string(),
            Error::Config(p) => render_problems(lang, Kind::Scheme, p),
            Error::Data(p) => render_problems(lang, Kind::Input, p),
        }
    }

    /// The problems this error carries, if it is a list of them.
    pub fn problems(&self) -> &[Problem] {
        match self {
            Error::Config(p) | Error::Data(p) => p,
            _ => &[],
        }
    }
}

/// Which problems a list holds, for its closing line.
#[derive(Clone, Copy)]
enum Kind {
    Scheme,
    Input,
}

fn render_problems(lang: Lang, kind: Kind, problems: &[Problem]) -> String {
    let mut out = String::new();
    for (i, p) in problems.iter().take(PROBLEM_CAP).enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&p.render(lang));
    }
    let n = problems.len();
    let more = n.saturating_sub(PROBLEM_CAP);
    let (kind_zh, kind_en) = match kind {
        Kind::Scheme => ("方案", "configuration"),
        Kind::Input => ("输入数据", "input"),
    };
    if more > 0 {
        let text = t!(
            "……另有 {more} 处{kind_zh}问题未显示",
            "... and {more} more {kind_en} problems not shown"
        );
        out.push('\n');
        out.push_str(text.get(lang));
    }
    let s = if n == 1 { "" } else { "s" };
    let closing = t!(
        "共发现 {n} 处{kind_zh}问题",
        "{n} {kind_en} problem{s} found"
    );
    out.push('\n');
    out.push_str(closing.get(lang));
    out
}

impl fmt::Display for Error {
    /// In the language of the messages ([`crate::lang::messages`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(messages()))
    }
}

impl std::error::Error for Error {}

impl From<rust_xlsxwriter::XlsxError> for Error {
    fn from(e: rust_xlsxwriter::XlsxError) -> Self {
        match e {
            rust_xlsxwriter::XlsxError::TempFileError(dir, e) => {
                let dir = dir.display();
                Error::Other(t!(
                    "无法在 {dir} 中建立临时文件（{e}）：工作簿的长表在写出时暂存在那里\
                     （summary.xlsx 每名员工约 33 KB）；请把 TMPDIR 指向一个可写且有空间的目录",
                    "cannot make a temporary file in {dir} ({e}): a workbook's long sheets wait \
                     there while it is written (summary.xlsx's take about 33 KB an employee); \
                     point TMPDIR at a writable directory with room"
                ))
            }
            e => Error::Other(t!("写工作簿时出错：{e}", "writing a workbook: {e}")),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Text made safe for a terminal: a control character (ESC, CR, BEL, DEL,
/// the C1 controls) or a bidirectional override from a user's file is
/// shown as an escape (`\x1b`, `\u{202e}`) instead of acting on the
/// terminal: a name holding `ESC [2J` cannot clear the screen (issue 15).
/// Line breaks and tabs are kept.
pub fn escape(s: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !s.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !unsafe_char(c) {
            out.push(c);
        } else if (c as u32) < 0x100 {
            out.push_str(&format!("\\x{:02x}", c as u32));
        } else {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        }
    }
    std::borrow::Cow::Owned(out)
}

thread_local! {
    /// Set while a parser runs under `quietly`: its panic is reported as a
    /// problem with the file, not printed as a crash.
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Set by the binary ([`catch_panics`]): a panic is not printed where it
/// happens (no backtrace, whatever RUST_BACKTRACE says) but remembered,
/// and reported in one line when it reaches `main`.
static RECORD: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Panics remembered: (message, where), the first few.
static PANICS: std::sync::Mutex<Vec<(String, String)>> = std::sync::Mutex::new(Vec::new());

fn install_hook() {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if QUIET.with(|q| q.get()) {
                return;
            }
            if !RECORD.load(std::sync::atomic::Ordering::Relaxed) {
                return previous(info);
            }
            let at = info
                .location()
                .map_or(String::new(), |l| format!("{}:{}", l.file(), l.line()));
            if let Ok(mut p) = PANICS.lock()
                && p.len() < 8
            {
                p.push((payload_text(info.payload()), at));
            }
        }));
    });
}

/// The text of a panic's payload.
fn payload_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".to_string())
}

/// Run a command with panics caught: none is printed where it happens, and
/// one that reaches here is an error of one line ([`from_panic`]).
pub fn catch_panics<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    RECORD.store(true, std::sync::atomic::Ordering::Relaxed);
    install_hook();
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => Err(from_panic(&*payload)),
    }
}

/// rust_xlsxwriter's message when it cannot write a part of a workbook
/// (it panics: a sheet in constant-memory mode goes to a temporary file).
const XLSX_WRITE_PANIC: &str = "Couldn't write to xml file";

/// A write failure inside the workbook library, told as such, if the panic
/// is one: its rows wait in a temporary file in TMPDIR.
pub fn write_failure(payload: &(dyn std::any::Any + Send)) -> Option<Text> {
    let text = payload_text(payload);
    // Its own message, or an I/O error it unwraps (rewinding a sheet's
    // temporary file flushes it).
    let rest = text
        .strip_prefix(XLSX_WRITE_PANIC)
        .or_else(|| text.find("Os { code:").map(|at| &text[at..]))?;
    // `Os { code: 28, kind: StorageFull, message: "No space left on device" }`
    let why = rest
        .split_once("message: \"")
        .and_then(|(_, m)| m.split_once('"'))
        .map_or(rest.trim_start_matches([':', ' ']).to_string(), |(m, _)| {
            m.to_string()
        });
    let dir = std::env::temp_dir();
    let dir = dir.display();
    Some(t!(
        "无法在 {dir} 中写临时文件（{why}）：工作簿的长表在写出时暂存在那里\
         （summary.xlsx 每名员工约 33 KB）；请把 TMPDIR 指向一个可写且有空间的目录",
        "cannot write a temporary file in {dir} ({why}): a workbook's long sheets wait \
         there while it is written (summary.xlsx's take about 33 KB an employee); \
         point TMPDIR at a writable directory with room"
    ))
}

/// A panic that reached the top: a write failure of the workbook library
/// as such, anything else as a bug, in one line.
pub fn from_panic(payload: &(dyn std::any::Any + Send)) -> Error {
    if let Some(m) = write_failure(payload) {
        return Error::Other(m);
    }
    let text = payload_text(payload);
    let at = PANICS
        .lock()
        .ok()
        .and_then(|p| p.iter().find(|(m, _)| *m == text).map(|(_, at)| at.clone()))
        .filter(|at| !at.is_empty())
        .map_or(String::new(), |at| format!(" at {at}"));
    let version = env!("CARGO_PKG_VERSION");
    let text = escape(&text);
    Error::Other(t!(
        "内部错误（appraise {version} 的缺陷）：{text}{at}。请连同所运行的命令一起报告",
        "internal error (a bug in appraise {version}): {text}{at}. \
         Please report it with the command that was run"
    ))
}

/// Run `f`, turning a panic into `None` without printing it: a parser
/// that panics on a malformed file, or decimal arithmetic that overflows on
/// absurd values, becomes a problem with the input, never a crash.
pub fn quietly<T>(f: impl FnOnce() -> T) -> Option<T> {
    install_hook();
    QUIET.with(|q| q.set(true));
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    r.ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_for_the_terminal() {
        assert_eq!(escape("张三"), "张三");
        assert_eq!(escape("a\tb\nc"), "a\tb\nc");
        assert_eq!(
            escape("\u{1b}[2J\u{1b}[H王五\r\u{7}"),
            "\\x1b[2J\\x1b[H王五\\x0d\\x07"
        );
        assert_eq!(escape("\u{9b}\u{202e}x"), "\\x9b\\u{202e}x");
    }

    #[test]
    fn a_panic_is_one_line_naming_the_bug() {
        let e = from_panic(&"index out of bounds");
        assert_eq!(e.exit_code(), exit::OTHER);
        let text = e.to_string();
        assert!(
            text.starts_with("internal error (a bug in appraise ")
                && text.contains("): index out of bounds")
                && text.ends_with("Please report it with the command that was run"),
            "{text}"
        );
        assert_eq!(text.lines().count(), 1);
    }

    #[test]
    fn a_write_failure_of_the_workbook_library_names_tmpdir() {
        let full = String::from(
            "Couldn't write to xml file: Os { code: 28, kind: StorageFull, message: \"No space left on device\" }",
        );
        let m = write_failure(&full).expect("a write failure").en;
        assert!(m.starts_with("cannot write a temporary file in "), "{m}");
        assert!(m.contains("(No space left on device)"), "{m}");
        assert!(
            m.ends_with("point TMPDIR at a writable directory with room"),
            "{m}"
        );
        assert_eq!(write_failure(&"index out of bounds"), None);
    }

    #[test]
    fn column_names() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(0, 25), "Z1");
        assert_eq!(cell_name(0, 26), "AA1");
        assert_eq!(cell_name(0, 16383), "XFD1");
        assert_eq!(cell_name(0, u32::MAX), "MWLQKWV1");
        assert_eq!(cell_name(16, 3), "D17");
    }

    #[test]
    fn toml_problem_shows_line_and_caret() {
        let p = Problem::new(
            Location::Toml {
                file: "a.toml".into(),
                line: 42,
                column: 10,
                width: 2,
                text: "weight = 25".into(),
            },
            "role `account_manager`: weights sum to 95, not 100",
        )
        .help("make the weights add up to 100");
        let s = p.to_string();
        assert!(s.starts_with("a.toml:42:10: role `account_manager`"), "{s}");
        assert!(s.contains("42 | weight = 25"), "{s}");
        assert!(s.contains("   |          ^^"), "{s}");
        assert!(s.ends_with("= help: make the weights add up to 100"), "{s}");
    }
}
