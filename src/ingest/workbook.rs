//! Opening an input workbook once: its bytes are read a single time, hashed
//! for the run's manifest, and parsed from memory by calamine (xlsx, xls,
//! xlsb, ods). Each sheet asked for is turned into a `Grid` of cells with
//! absolute positions, so every value can name the cell it came from.

use crate::error::{Problem, Result};
use calamine::{Data, Range, Reader, Sheets, open_workbook_auto_from_rs};
use sha2::{Digest, Sha256};
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// An opened input file.
pub struct Workbook {
    /// The path as shown in messages.
    pub path: PathBuf,
    pub display: Arc<str>,
    pub sha256: String,
    pub bytes: u64,
    sheets: Sheets<Cursor<Vec<u8>>>,
}

/// One sheet's cells; `start` is the absolute (row, col) of the first cell.
pub struct Grid {
    pub file: Arc<str>,
    pub sheet: Arc<str>,
    range: Range<Data>,
}

impl Workbook {
    pub fn open(path: &Path) -> Result<Workbook, Problem> {
        let bytes = std::fs::read(path).map_err(|e| {
            let help = if e.kind() == std::io::ErrorKind::NotFound {
                "check `file` and `[inputs] dir` in the scheme; paths are relative to the scheme file"
            } else {
                "check that the file can be read"
            };
            Problem::at_file(path, format!("cannot read the workbook: {e}")).help(help)
        })?;
        if bytes.is_empty() {
            return Err(Problem::at_file(path, "the workbook is empty (0 bytes)")
                .help("export the data again; the file was not written completely"));
        }
        let sha256 = crate::config::hex(&Sha256::digest(&bytes));
        let len = bytes.len() as u64;
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let sheets = open_sheets(bytes, ext.as_deref()).map_err(|e| {
            Problem::at_file(path, format!("cannot open the workbook: {e}")).help(
                "save it from Excel or WPS as .xlsx (a password-protected, corrupt or renamed file cannot be read)",
            )
        })?;
        Ok(Workbook {
            display: Arc::from(path.display().to_string()),
            path: path.to_path_buf(),
            sha256,
            bytes: len,
            sheets,
        })
    }

    pub fn sheet_names(&self) -> Vec<String> {
        self.sheets.sheet_names()
    }

    /// Read one sheet, or say which sheets there are.
    pub fn grid(&mut self, sheet: &str) -> Result<Grid, Problem> {
        let names = self.sheet_names();
        if !names.iter().any(|n| n == sheet) {
            return Err(
                Problem::at_file(&self.path, format!("there is no sheet `{sheet}`"))
                    .help(format!("the sheets are: {}", names.join(", "))),
            );
        }
        let range = self.sheets.worksheet_range(sheet).map_err(|e| {
            Problem::at_file(&self.path, format!("cannot read sheet `{sheet}`: {e}"))
        })?;
        Ok(Grid {
            file: self.display.clone(),
            sheet: Arc::from(sheet),
            range,
        })
    }
}

/// Open by extension, case-insensitively (`.XLSX` is `.xlsx`); an unknown
/// extension is tried as each format in turn.
fn open_sheets(
    bytes: Vec<u8>,
    ext: Option<&str>,
) -> std::result::Result<Sheets<Cursor<Vec<u8>>>, String> {
    use calamine::{Ods, Xls, Xlsb, Xlsx};
    let cur = Cursor::new(bytes);
    match ext {
        Some("xlsx" | "xlsm" | "xltx" | "xltm") => {
            Xlsx::new(cur).map(Sheets::Xlsx).map_err(|e| e.to_string())
        }
        Some("xls" | "xla") => Xls::new(cur).map(Sheets::Xls).map_err(|e| e.to_string()),
        Some("xlsb") => Xlsb::new(cur).map(Sheets::Xlsb).map_err(|e| e.to_string()),
        Some("ods") => Ods::new(cur).map(Sheets::Ods).map_err(|e| e.to_string()),
        _ => open_workbook_auto_from_rs(cur).map_err(|e| e.to_string()),
    }
}

impl Grid {
    /// Absolute 0-based (row, col) of the first cell, if the sheet has any.
    pub fn start(&self) -> Option<(u32, u32)> {
        self.range.start()
    }

    /// Rows with their absolute 0-based row number; cells carry the absolute
    /// column via `col0 + index`.
    pub fn rows(&self) -> impl Iterator<Item = (u32, &[Data])> {
        let (r0, _) = self.range.start().unwrap_or((0, 0));
        self.range
            .rows()
            .enumerate()
            .map(move |(i, row)| (r0 + i as u32, row))
    }

    /// Absolute column of the first cell of each row.
    pub fn col0(&self) -> u32 {
        self.range.start().map_or(0, |(_, c)| c)
    }

    pub fn is_empty(&self) -> bool {
        self.range.is_empty()
    }
}
