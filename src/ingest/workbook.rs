//! Opening an input workbook once: the file is hashed for the run's
//! manifest, inspected by `guard` (format, zip sizes) and parsed by calamine
//! (xlsx, xls, xlsb, ods), each reading it from disk, so that it is never
//! held in memory whole. Each sheet asked
//! for becomes a `Grid`: only the rows that hold something, each with
//! absolute positions, so every value can name the cell it came from.
//!
//! xlsx and xlsb sheets are read cell by cell (calamine's streaming reader),
//! never as one dense range: a single stray cell at XFD1048576 would make a
//! range of 17 billion cells. Every cell is checked against `[limits]`.
//! A sheet read row by row ([`Workbook::visit_rows`]) is parsed on a thread
//! of its own while the caller uses its rows (`row_stream`).

mod cells;

use super::continuation;
use super::guard::{self, Kind};
use super::row_stream::{self, Overflow, Stop};
use super::shared_file::SharedFile;
use super::value;
use crate::config::Limits;
use crate::error::{Origin, Problem, Result, quietly};
use calamine::{Data, Reader, Sheets};
use cells::{Cells, Row};
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// An opened input file.
pub struct Workbook {
    /// The path as shown in messages.
    pub path: PathBuf,
    pub display: Arc<str>,
    pub sha256: String,
    pub bytes: u64,
    limits: Limits,
    kind: Kind,
    sheets: Sheets<BufReader<SharedFile>>,
    /// The open file, read by `sheets` (and its twins'), and its length
    /// and modification time when it was opened, before it was hashed: the
    /// workbook is read from disk as it is parsed, so a file written over
    /// in place meanwhile would no longer be the one hashed. (A change
    /// within the file system's time resolution that keeps the length is
    /// not seen.)
    file: Arc<File>,
    stamp: Option<Stamp>,
}

type Stamp = (u64, Option<std::time::SystemTime>);

fn stamp_of(file: &File) -> Option<Stamp> {
    let m = file.metadata().ok()?;
    Some((m.len(), m.modified().ok()))
}

/// One sheet's non-empty rows, in order. Cell `i` of a row is at absolute
/// column `col0 + i`.
#[derive(serde::Serialize, serde::Deserialize, Clone)]
pub struct Grid {
    pub file: Arc<str>,
    pub sheet: Arc<str>,
    /// Continuation sheets read after `sheet` ([`Workbook::grid_continued`]).
    pub continued: Vec<String>,
    col0: u32,
    #[serde(with = "kept_rows")]
    rows: Vec<Row>,
}

/// A grid's rows in the input cache (src/cache.rs): calamine's cells as
/// a type of ours, every value as read (a float to the bit).
mod kept_rows {
    use super::Row;
    use calamine::{CellErrorType, Data, ExcelDateTime, ExcelDateTimeType};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    enum Kept {
        Int(i64),
        Float(f64),
        String(String),
        Bool(bool),
        DateTime {
            value: f64,
            duration: bool,
            is_1904: bool,
        },
        DateTimeIso(String),
        DurationIso(String),
        Error(u8),
        Empty,
    }

    const ERRORS: [CellErrorType; 8] = [
        CellErrorType::Div0,
        CellErrorType::NA,
        CellErrorType::Name,
        CellErrorType::Null,
        CellErrorType::Num,
        CellErrorType::Ref,
        CellErrorType::Value,
        CellErrorType::GettingData,
    ];

    fn kind(duration: bool) -> ExcelDateTimeType {
        if duration {
            ExcelDateTimeType::TimeDelta
        } else {
            ExcelDateTimeType::DateTime
        }
    }

    fn kept(d: &Data) -> Kept {
        match d {
            Data::Int(i) => Kept::Int(*i),
            Data::Float(f) => Kept::Float(*f),
            Data::String(s) => Kept::String(s.clone()),
            Data::Bool(b) => Kept::Bool(*b),
            Data::DateTime(dt) => {
                let (value, duration) = (dt.as_f64(), dt.is_duration());
                // calamine has no getter for the 1904 flag: the one that
                // makes the same value is it.
                let is_1904 = ExcelDateTime::new(value, kind(duration), false) != *dt;
                Kept::DateTime {
                    value,
                    duration,
                    is_1904,
                }
            }
            Data::DateTimeIso(s) => Kept::DateTimeIso(s.clone()),
            Data::DurationIso(s) => Kept::DurationIso(s.clone()),
            Data::Error(e) => Kept::Error(ERRORS.iter().position(|x| x == e).unwrap_or(0) as u8),
            Data::Empty => Kept::Empty,
        }
    }

    fn data(k: Kept) -> Data {
        match k {
            Kept::Int(i) => Data::Int(i),
            Kept::Float(f) => Data::Float(f),
            Kept::String(s) => Data::String(s),
            Kept::Bool(b) => Data::Bool(b),
            Kept::DateTime {
                value,
                duration,
                is_1904,
            } => Data::DateTime(ExcelDateTime::new(value, kind(duration), is_1904)),
            Kept::DateTimeIso(s) => Data::DateTimeIso(s),
            Kept::DurationIso(s) => Data::DurationIso(s),
            Kept::Error(e) => Data::Error(
                ERRORS
                    .get(usize::from(e))
                    .cloned()
                    .unwrap_or(CellErrorType::Value),
            ),
            Kept::Empty => Data::Empty,
        }
    }

    pub fn serialize<S: Serializer>(rows: &[Row], s: S) -> Result<S::Ok, S::Error> {
        let kept: Vec<(u32, Vec<Kept>)> = rows
            .iter()
            .map(|(r, cells)| (*r, cells.iter().map(kept).collect()))
            .collect();
        kept.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Row>, D::Error> {
        let kept: Vec<(u32, Vec<Kept>)> = Vec::deserialize(d)?;
        Ok(kept
            .into_iter()
            .map(|(r, cells)| (r, cells.into_iter().map(data).collect()))
            .collect())
    }
}

impl Workbook {
    /// Open with the default `[limits]`.
    pub fn open(path: &Path) -> Result<Workbook, Problem> {
        Workbook::open_with(path, &Limits::default())
    }

    /// Open under the scheme's `[limits]`. The file is never held whole:
    /// it is hashed and inspected as it is read from disk, and calamine
    /// reads its parts from the file as it needs them.
    pub fn open_with(path: &Path, limits: &Limits) -> Result<Workbook, Problem> {
        let (file, stamp, sha256, len) = hash_file(path, limits.max_unpacked_bytes())?;
        // Still being written while it was hashed: not the bytes hashed.
        if stamp.is_some_and(|(at_open, _)| at_open != len) || changed(&file, &stamp) {
            return Err(changed_problem(path));
        }
        if len == 0 {
            return Err(Problem::at_file(
                path,
                crate::lang::Text::new("工作簿是空的（0 字节）", "the workbook is empty (0 bytes)"),
            )
            .help(crate::lang::Text::new(
                "重新导出数据；该文件没有写完整",
                "export the data again; the file was not written completely",
            )));
        }
        let kind = guard::inspect_from(reader(&file, len), limits)
            .map_err(|r| Problem::at_file(path, r.message).help(r.help))?;
        let sheets = parse(path, &file, len, kind)?;
        Ok(Workbook {
            display: Arc::from(path.display().to_string()),
            path: path.to_path_buf(),
            sha256,
            bytes: len,
            limits: *limits,
            kind,
            sheets,
            file,
            stamp,
        })
    }

    /// Whether another sheet can be read at once on a [`Workbook::twin`]
    /// at little cost: not for an .xls or .ods, which calamine parses whole
    /// when it opens them, nor where every twin would hold its own copy of
    /// many shared strings (more than `TWIN_STRINGS`).
    pub fn can_twin(&self) -> bool {
        matches!(self.kind, Kind::Xlsx | Kind::Xlsb)
            && shared_strings(&self.file, self.bytes) <= TWIN_STRINGS
    }

    /// A second reader of the same open file (the one hashed), to read
    /// another sheet on another thread.
    pub fn twin(&self) -> Result<Workbook, Problem> {
        Ok(Workbook {
            path: self.path.clone(),
            display: self.display.clone(),
            sha256: self.sha256.clone(),
            sheets: parse(&self.path, &self.file, self.bytes, self.kind)?,
            file: self.file.clone(),
            ..*self
        })
    }

    pub fn sheet_names(&self) -> Vec<String> {
        self.sheets.sheet_names()
    }

    /// Read one sheet, or say which sheets there are.
    pub fn grid(&mut self, sheet: &str) -> Result<Grid, Problem> {
        let mut cells = Cells::new(self.limits);
        self.cells(sheet, &mut |row, col, d| cells.push(row, col, d))?;
        let (col0, rows) = cells.finish().map_err(|o| self.too_big(sheet, o))?;
        Ok(Grid {
            file: Arc::from(self.path.display().to_string()),
            sheet: Arc::from(sheet),
            continued: Vec::new(),
            col0,
            rows,
        })
    }

    /// A sheet and its continuation sheets (`<sheet>2`, `<sheet>3`, …; see
    /// `ingest::continuation`) as one grid: each continuation sheet repeats
    /// the header row (0-based `header_row`), and its rows below it follow,
    /// numbered so that [`Grid::origin`] names their own sheet.
    pub fn grid_continued(&mut self, sheet: &str, header_row: u32) -> Result<Grid, Problem> {
        let mut grid = self.grid(sheet)?;
        let header = |g: &Grid| {
            g.rows
                .iter()
                .find(|(r, _)| *r == header_row)
                .map(|(_, c)| c.clone())
        };
        let first = header(&grid);
        for (k, name) in continuation::sheets(&self.sheet_names(), sheet)
            .into_iter()
            .enumerate()
        {
            let part = self.grid(&name)?;
            if part.col0 != grid.col0 || header(&part) != first {
                return Err(Problem::new(
                    crate::error::Location::Sheet {
                        file: grid.file.clone(),
                        sheet: Arc::from(name.as_str()),
                        what: crate::error::header_row_text(header_row + 1),
                    },
                    crate::t!("表头与表 `{sheet}` 的不同，所以该表不能接续它", "the header differs from sheet `{sheet}`'s, so this sheet cannot continue it"),
                )
                .help(crate::t!(
                    "给 `{name}` 与 `{sheet}` 相同的表头行、相同的列位置；若它是另一张表，请改名",
                    "give `{name}` the same header row as `{sheet}`, in the same columns, or rename it if it is another table"
                )));
            }
            let k = k as u32 + 1;
            grid.rows.extend(
                part.rows
                    .into_iter()
                    .filter(|(r, _)| *r > header_row)
                    .map(|(r, cells)| (continuation::number(k, r), cells)),
            );
            grid.continued.push(name);
        }
        Ok(grid)
    }

    /// Visit a sheet's non-empty rows in order, without keeping the sheet:
    /// `each(row, c0, cells)` gets the absolute 0-based row and the row's
    /// cells, cell `i` at absolute column `c0 + i`. The limits are checked
    /// as for [`Workbook::grid`], the sheet's span once all rows are seen.
    ///
    /// calamine parses on a second thread meanwhile (`row_stream`), so
    /// that what `each` does overlaps with parsing; `each` runs on this
    /// thread, and sees the same rows, in the same order, as if it did not.
    pub fn visit_rows(
        &mut self,
        sheet: &str,
        each: &mut dyn FnMut(u32, u32, &[Data]),
    ) -> Result<(), Problem> {
        self.has_sheet(sheet)?;
        let (sheets, path) = (&mut self.sheets, self.path.as_path());
        let read = row_stream::visit(
            self.limits,
            |rows| match read_cells(sheets, path, sheet, &mut |r, c, d| rows.push(r, c, d)) {
                Some(Ok(Ok(()))) => Some(Ok(rows.finish())),
                other => other,
            },
            each,
        );
        self.outcome(sheet, read)
    }

    /// A sheet beyond the limits, as a problem.
    fn too_big(&self, sheet: &str, o: Overflow) -> Problem {
        let (path, limits) = (&self.path, self.limits);
        match o {
            Overflow::Cell(row, col) => Problem::at_cell(
                &Origin {
                    file: Arc::from(path.display().to_string()),
                    sheet: Arc::from(sheet),
                    row,
                    col,
                },
                crate::t!(
                    "有数据超出了 {} 行、{} 列的上限",
                    "a value lies beyond the limit of {} rows and {} columns",
                    limits.max_rows, limits.max_columns
                ),
            )
            .help(crate::lang::Text::new("删除表格之外很远处的内容（Ctrl+End 显示最后一个用过的单元格），或调高 [limits] max_rows / max_columns", "delete what lies far outside the table (Ctrl+End shows the last used cell), or raise [limits] max_rows / max_columns")),
            Overflow::Cells(n) => Problem::at_file(
                path,
                crate::t!(
                    "表 `{sheet}` 跨越 {n} 个或更多单元格，超过上限 {}",
                    "sheet `{sheet}` spans {n} cells or more, above the limit of {}",
                    limits.max_cells
                ),
            )
            .help(crate::lang::Text::new("删除表格之外很远处的内容（Ctrl+End 显示最后一个用过的单元格），或调高 [limits] max_cells", "delete what lies far outside the table (Ctrl+End shows the last used cell), or raise [limits] max_cells")),
            Overflow::Unordered(row, col) => Problem::at_cell(
                &Origin {
                    file: Arc::from(path.display().to_string()),
                    sheet: Arc::from(sheet),
                    row,
                    col,
                },
                crate::lang::Text::new("这一行存放在后面的行之后（文件中的行顺序错乱）", "this row is stored after a later row (the file's rows are out of order)"),
            )
            .help(resave()),
        }
    }

    /// Feed every cell of a sheet, as stored, to `push`.
    fn cells(
        &mut self,
        sheet: &str,
        push: &mut dyn FnMut(u32, u32, Data) -> Result<(), Overflow>,
    ) -> Result<(), Problem> {
        self.has_sheet(sheet)?;
        let read = read_cells(&mut self.sheets, &self.path, sheet, &mut |r, c, d| {
            push(r, c, d).map_err(Stop::Overflow)
        });
        self.outcome(sheet, read)
    }

    /// The sheet is there, or which sheets there are.
    fn has_sheet(&self, sheet: &str) -> Result<(), Problem> {
        let names = self.sheet_names();
        if names.iter().any(|n| n == sheet) {
            return Ok(());
        }
        Err(Problem::at_file(
            &self.path,
            crate::t!("没有名为 `{sheet}` 的表", "there is no sheet `{sheet}`"),
        )
        .help(crate::t!(
            "现有的表：{}",
            "the sheets are: {}",
            names.join(", ")
        )))
    }

    /// What reading a sheet came to, as a problem if it is one.
    fn outcome(&self, sheet: &str, read: SheetReadEnd) -> Result<(), Problem> {
        // A file written over while it was read is said to be so, whatever
        // reading it made of it.
        if changed(&self.file, &self.stamp) {
            return Err(changed_problem(&self.path));
        }
        match read {
            Some(Ok(Ok(()))) => Ok(()),
            Some(Ok(Err(Stop::Overflow(o)))) => Err(self.too_big(sheet, o)),
            // Only after the caller has panicked, which then goes on.
            Some(Ok(Err(Stop::Gone))) => Ok(()),
            Some(Err(p)) => Err(p),
            None => Err(cannot_read_sheet(&self.path, sheet, PARSER_PANIC).help(resave())),
        }
    }
}

/// How reading a sheet's cells ended: `None` if calamine panicked, a
/// problem if it failed, else whether `push` took every cell.
type SheetReadEnd = Option<Result<Result<(), Stop>, Problem>>;

/// Feed every cell of a sheet that is there, as stored, to `push` until it
/// refuses one. Runs on whichever thread `push` wants it on.
fn read_cells(
    sheets: &mut Sheets<BufReader<SharedFile>>,
    path: &Path,
    sheet: &str,
    push: &mut dyn FnMut(u32, u32, Data) -> Result<(), Stop>,
) -> SheetReadEnd {
    let cannot = |e: String| cannot_read_sheet(path, sheet, &e);
    // A parser that panics on a malformed file must not take the process
    // with it (see `Workbook::open_with`).
    quietly(|| -> Result<Result<(), Stop>, Problem> {
        match sheets {
            Sheets::Xlsx(x) => {
                let mut r = x
                    .worksheet_cells_reader(sheet)
                    .map_err(|e| cannot(e.to_string()))?;
                // With each cell's formula, if it has one: a formula whose
                // result was never stored (what openpyxl and many scripts
                // write) is not a blank (issue 15).
                while let Some(c) = r
                    .next_cell_with_formula_metadata()
                    .map_err(|e| cannot(e.to_string()))?
                {
                    let (row, col) = c.pos;
                    let d = match (&c.value, &c.formula) {
                        (calamine::DataRef::Empty, Some(f)) => {
                            value::unsaved_formula(&formula_text(f))
                        }
                        (v, _) => Data::from(v.clone()),
                    };
                    if let Err(o) = push(row, col, d) {
                        return Ok(Err(o));
                    }
                }
            }
            Sheets::Xlsb(x) => {
                let mut r = x
                    .worksheet_cells_reader(sheet)
                    .map_err(|e| cannot(e.to_string()))?;
                while let Some(c) = r.next_cell().map_err(|e| cannot(e.to_string()))? {
                    let (row, col) = c.get_position();
                    if let Err(o) = push(row, col, Data::from(c.get_value().clone())) {
                        return Ok(Err(o));
                    }
                }
            }
            other => {
                let range = other
                    .worksheet_range(sheet)
                    .map_err(|e| cannot(e.to_string()))?;
                let (r0, c0) = range.start().unwrap_or((0, 0));
                // An .ods cell may hold a formula and no stored value, which
                // calamine reads as empty: its formulas say which (an .xls
                // formula always stores its result).
                if let Sheets::Ods(_) = other {
                    let formulas = other
                        .worksheet_formula(sheet)
                        .map_err(|e| cannot(e.to_string()))?;
                    let (f0, g0) = formulas.start().unwrap_or((0, 0));
                    let mut unsaved: Vec<(u32, u32, Data)> = formulas
                        .used_cells()
                        .map(|(row, col, f)| (f0 + row as u32, g0 + col as u32, f))
                        .filter(|(row, col, f)| {
                            !f.is_empty()
                                && range
                                    .get_value((*row, *col))
                                    .is_none_or(|d| matches!(d, Data::Empty))
                        })
                        .map(|(row, col, f)| {
                            let f = f.strip_prefix("of:").unwrap_or(f);
                            (row, col, value::unsaved_formula(f))
                        })
                        .collect();
                    unsaved.sort_by_key(|(r, c, _)| (*r, *c));
                    let mut unsaved = unsaved.into_iter().peekable();
                    for (row, col, d) in range.used_cells() {
                        let (row, col) = (r0 + row as u32, c0 + col as u32);
                        while let Some(u) = unsaved.next_if(|(r, c, _)| (*r, *c) < (row, col)) {
                            if let Err(o) = push(u.0, u.1, u.2) {
                                return Ok(Err(o));
                            }
                        }
                        if let Err(o) = push(row, col, d.clone()) {
                            return Ok(Err(o));
                        }
                    }
                    for u in unsaved {
                        if let Err(o) = push(u.0, u.1, u.2) {
                            return Ok(Err(o));
                        }
                    }
                    return Ok(Ok(()));
                }
                for (row, col, d) in range.used_cells() {
                    if let Err(o) = push(r0 + row as u32, c0 + col as u32, d.clone()) {
                        return Ok(Err(o));
                    }
                }
            }
        }
        Ok(Ok(()))
    })
}

/// A cell's formula text, as far as its record says (a cell of a shared
/// formula names only the group it belongs to).
fn formula_text(f: &calamine::XlsxFormulaMetadata) -> String {
    match f {
        calamine::XlsxFormulaMetadata::Normal { formula }
        | calamine::XlsxFormulaMetadata::Shared { formula, .. } => formula.clone(),
        // A cell of a shared formula holds only the group's number.
        _ => String::new(),
    }
}

fn cannot_read_sheet(path: &Path, sheet: &str, e: &str) -> Problem {
    Problem::at_file(path, {
        let e_zh = reason_zh(e);
        crate::t!(
            "无法读取表 `{sheet}`：{e_zh}",
            "cannot read sheet `{sheet}`: {e}"
        )
    })
}

/// Whether the open file's length or modification time differ from `was`
/// (a file replaced by a new one, as editors save, is not changed: the one
/// opened is still read).
fn changed(file: &File, was: &Option<Stamp>) -> bool {
    matches!((was, stamp_of(file)), (Some(a), Some(b)) if *a != b)
}

fn changed_problem(path: &Path) -> Problem {
    Problem::at_file(
        path,
        crate::lang::Text::new(
            "读取期间该文件被改动了",
            "the file changed while it was being read",
        ),
    )
    .help(crate::lang::Text::new(
        "等导出或复制完成后再运行",
        "wait until the export or copy has finished, then run again",
    ))
}

const PARSER_PANIC: &str = "the file is malformed (the workbook reader failed on it)";
const PARSER_PANIC_ZH: &str = "文件格式有误（读取工作簿的程序在它上面出错）";

/// A reason in Chinese: the reader's failure said in Chinese, any other
/// reason (the reading library's own words) as it is.
fn reason_zh(e: &str) -> &str {
    if e == PARSER_PANIC {
        PARSER_PANIC_ZH
    } else {
        e
    }
}

fn resave() -> crate::lang::Text {
    crate::lang::Text::new(
        "用 Excel 或 WPS 打开，再另存为 .xlsx",
        "open it in Excel or WPS and save it again as .xlsx",
    )
}

/// The input file, read once through to hash it, refusing what is not a
/// regular file (a directory, a device such as /dev/zero, a pipe) and what
/// is larger than `max` bytes. Inputs are only ever opened for reading.
/// The open file, its stamp when opened (before any byte was read), its
/// SHA-256 and its length as hashed.
type Hashed = (Arc<File>, Option<Stamp>, String, u64);

fn hash_file(path: &Path, max: u64) -> Result<Hashed, Problem> {
    let meta = std::fs::metadata(path).map_err(|e| cannot_read(path, e))?;
    if !meta.is_file() {
        return Err(Problem::at_file(
            path,
            crate::lang::Text::new(
                "这不是一个文件（是目录或设备？）",
                "this is not a file (a directory or a device?)",
            ),
        )
        .help(crate::lang::Text::new(
            "让 `file` 指向工作簿文件本身",
            "point `file` at the workbook itself",
        )));
    }
    let opened = File::open(path).map_err(|e| cannot_read(path, e))?;
    let stamp = stamp_of(&opened);
    let mut file = BufReader::with_capacity(64 * 1024, opened);
    let mut hash = Sha256::new();
    let mut len: u64 = 0;
    loop {
        let block = file.fill_buf().map_err(|e| cannot_read(path, e))?;
        if block.is_empty() {
            break;
        }
        let n = block.len();
        len += n as u64;
        if len > max {
            return Err(Problem::at_file(
                path,
                crate::t!(
                    "文件大于 {} MiB",
                    "the file is larger than {} MiB",
                    max / (1024 * 1024)
                ),
            )
            .help(crate::lang::Text::new(
                "把导出拆开，或调高 [limits] max_unpacked_mib",
                "split the export, or raise [limits] max_unpacked_mib",
            )));
        }
        hash.update(block);
        file.consume(n);
    }
    let file = Arc::new(file.into_inner());
    Ok((file, stamp, crate::config::hex(&hash.finalize()), len))
}

fn cannot_read(path: &Path, e: std::io::Error) -> Problem {
    let help = if e.kind() == std::io::ErrorKind::NotFound {
        "check `file` and `[inputs] dir` in the scheme; paths are relative to the scheme file"
    } else {
        "check that the file can be read"
    };
    Problem::at_file(
        path,
        crate::t!("无法读取工作簿：{e}", "cannot read the workbook: {e}"),
    )
    .help(help)
}

/// A reader of the open file from its start, buffered as it was hashed.
fn reader(file: &Arc<File>, len: u64) -> BufReader<SharedFile> {
    BufReader::with_capacity(64 * 1024, SharedFile::new(file.clone(), len))
}

/// calamine's reader of the open file, which is a `kind` of workbook.
fn parse(
    path: &Path,
    file: &Arc<File>,
    len: u64,
    kind: Kind,
) -> Result<Sheets<BufReader<SharedFile>>, Problem> {
    // A parser that panics on a malformed file (calamine has, on a cell
    // reference of ten letters) must not take the process with it.
    quietly(|| open_sheets(reader(file, len), kind))
        .unwrap_or_else(|| Err(PARSER_PANIC.to_string()))
        .map_err(|e| {
            Problem::at_file(path, {
                let e_zh = reason_zh(&e);
                crate::t!("无法打开工作簿：{e_zh}", "cannot open the workbook: {e}")
            }).help(
                crate::lang::Text::new("用 Excel 或 WPS 另存为 .xlsx（加了密码、损坏或改过扩展名的文件无法读取）", "save it from Excel or WPS as .xlsx (a password-protected, corrupt or renamed file cannot be read)"),
            )
        })
}

/// Bytes of shared strings a workbook may have and still be read by
/// twins, each holding them: 8 MiB of XML is some 20 MiB as strings. The
/// sample's daily log stores its text in its cells and has none.
const TWIN_STRINGS: u64 = 8 * 1024 * 1024;

/// The unpacked size of a zip workbook's shared-string parts, as its
/// directory declares them (the guard has checked those sizes).
fn shared_strings(file: &Arc<File>, len: u64) -> u64 {
    let Ok(zip) = zip::ZipArchive::new(reader(file, len)) else {
        return u64::MAX;
    };
    (0..zip.len())
        .filter_map(|i| zip.by_index_data(i).ok())
        .filter(|part| {
            part.name().is_ok_and(|n| {
                let n = n.to_ascii_lowercase();
                n.ends_with("sharedstrings.xml") || n.ends_with("sharedstrings.bin")
            })
        })
        .map(|part| part.size())
        .sum()
}

/// Open by what the bytes are, whatever the extension says.
fn open_sheets(
    cur: BufReader<SharedFile>,
    kind: Kind,
) -> std::result::Result<Sheets<BufReader<SharedFile>>, String> {
    use calamine::{Ods, Xls, Xlsb, Xlsx};
    match kind {
        Kind::Xlsx => Xlsx::new(cur).map(Sheets::Xlsx).map_err(|e| e.to_string()),
        Kind::Xls => Xls::new(cur).map(Sheets::Xls).map_err(|e| e.to_string()),
        Kind::Xlsb => Xlsb::new(cur).map(Sheets::Xlsb).map_err(|e| e.to_string()),
        Kind::Ods => Ods::new(cur).map(Sheets::Ods).map_err(|e| e.to_string()),
    }
}

impl Grid {
    /// The cell at a row number of [`Grid::rows`] (a continuation sheet's
    /// rows name that sheet) and an absolute column.
    pub fn origin(&self, row: u32, col: u32) -> Origin {
        let (part, r) = continuation::split(row);
        let sheet = match part {
            0 => self.sheet.clone(),
            k => Arc::from(continuation::sheet_name(&self.sheet, k)),
        };
        Origin {
            file: self.file.clone(),
            sheet,
            row: r,
            col,
        }
    }

    /// Every sheet the grid was read from.
    pub fn sheets(&self) -> Vec<String> {
        std::iter::once(self.sheet.to_string())
            .chain(self.continued.iter().cloned())
            .collect()
    }

    /// Absolute 0-based (row, col) of the first cell, if the sheet has any.
    pub fn start(&self) -> Option<(u32, u32)> {
        self.rows.first().map(|(r, _)| (*r, self.col0))
    }

    /// Non-empty rows with their absolute 0-based row number; cells carry
    /// the absolute column via `col0 + index`.
    pub fn rows(&self) -> impl Iterator<Item = (u32, &[Data])> {
        self.rows.iter().map(|(r, cells)| (*r, cells.as_slice()))
    }

    /// Absolute column of the first cell of each row.
    pub fn col0(&self) -> u32 {
        self.col0
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book(path: &Path, value: f64) {
        let mut wb = rust_xlsxwriter::Workbook::new();
        wb.add_worksheet().write_number(0, 0, value).expect("write");
        wb.save(path).expect("save");
    }

    #[test]
    fn a_file_written_over_while_it_is_read_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("data.xlsx");
        book(&path, 1.0);
        let mut wb = Workbook::open(&path).expect("open");
        // Written to in place after it was hashed: no longer the bytes hashed.
        use std::io::Write;
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .and_then(|mut f| f.write_all(b"more"))
            .expect("append");
        let e = wb.grid("Sheet1").err().expect("refused");
        assert_eq!(e.message.en, "the file changed while it was being read");
        // Read row by row, on the parser's thread, too.
        let e = wb.visit_rows("Sheet1", &mut |_, _, _| {});
        assert_eq!(
            e.err().map(|e| e.message.en),
            Some("the file changed while it was being read".to_string())
        );
    }

    #[test]
    fn a_file_replaced_by_a_new_one_is_still_read_as_opened() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("data.xlsx");
        book(&path, 1.0);
        let mut wb = Workbook::open(&path).expect("open");
        // Saved anew, as editors save: the file opened (and hashed) is read.
        let other = dir.path().join("new.xlsx");
        book(&other, 2.0);
        std::fs::rename(&other, &path).expect("rename");
        let grid = wb.grid("Sheet1").expect("read");
        assert_eq!(
            grid.rows().next().map(|(_, c)| c.to_vec()),
            Some(vec![Data::Float(1.0)])
        );
    }

    #[test]
    fn rows_are_sparse_and_ordered() {
        let mut c = Cells::new(Limits::default());
        c.push(5, 3, Data::Int(2)).expect("push");
        c.push(1, 2, Data::Int(1)).expect("push");
        c.push(5, 2, Data::Empty).expect("push");
        let (col0, rows) = c.finish().expect("finish");
        assert_eq!(col0, 2);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0], (1, vec![Data::Int(1)]));
        assert_eq!(rows[1], (5, vec![Data::Empty, Data::Int(2)]));
    }

    #[test]
    fn a_far_cell_is_refused_without_allocating() {
        let mut c = Cells::new(Limits::default());
        let e = c
            .push(1_048_575, 16_383, Data::Int(1))
            .expect_err("beyond the limits");
        assert_eq!(e, Overflow::Cell(1_048_575, 16_383));
        assert!(c.list.is_empty());
    }

    #[test]
    fn a_wide_sparse_sheet_is_measured_before_it_is_built() {
        let limits = Limits {
            max_cells: 100,
            ..Limits::default()
        };
        let mut c = Cells::new(limits);
        for r in 0..10 {
            c.push(r, 0, Data::Int(1)).expect("push");
            c.push(r, 20, Data::Int(1)).expect("push");
        }
        assert_eq!(c.finish().expect_err("too big"), Overflow::Cells(210));
    }
}
