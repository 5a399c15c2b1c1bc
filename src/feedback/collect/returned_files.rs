//! Finding what came back: the regular workbook files of the returned
//! folder and its subfolders; anything else (a link, a device, a file of
//! another kind) is listed as rejected with its reason, never opened.

use super::{Reason, Rejected, Special};
use crate::config::Limits;
use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

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
pub(super) const WORKBOOK_EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xlsb", "xls", "et", "ods"];

pub(super) fn extension(name: &str) -> String {
    Path::new(name)
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

pub(super) fn is_workbook_name(name: &str) -> bool {
    WORKBOOK_EXTENSIONS.contains(&extension(name).as_str())
}

/// What is not a regular file.
#[cfg(unix)]
pub(super) fn special(ft: &std::fs::FileType) -> Special {
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

/// What is not a regular file: Windows has no FIFOs, sockets or devices
/// in a folder, so whatever it is, it is not read.
#[cfg(not(unix))]
pub(super) fn special(_: &std::fs::FileType) -> Special {
    Special::Other
}

/// Every entry under `dir`, at any depth: the files to read, and what is
/// not read and why. Nothing is opened here, so a FIFO or a device never
/// blocks. Links are followed only to a regular file inside `dir` (a link
/// to a folder is not followed, so there are no loops). Sub-folders are
/// walked, except one named like a workbook (`x.xlsx/`: an unpacked
/// workbook?), which is listed. Both lists are in path order.
pub fn find_returned(dir: &Path) -> Result<(Vec<PathBuf>, Vec<Rejected>)> {
    let root = std::fs::canonicalize(dir).map_err(|e| {
        let dir = dir.display();
        Error::Usage(crate::t!(
            "collect：无法读取 {dir}：{e}；请给出交回工作簿所在的文件夹",
            "collect: cannot read {dir}: {e}; give the folder of returned workbooks"
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
                let d = d.display();
                return Err(Error::Usage(crate::t!(
                    "collect：无法读取 {d}：{e}；请给出交回工作簿所在的文件夹",
                    "collect: cannot read {d}: {e}; give the folder of returned workbooks"
                )));
            }
            Err(e) => {
                skip(
                    d,
                    Reason::Unreadable(crate::t!(
                        "无法读取该文件夹：{e}",
                        "cannot read the folder: {e}"
                    )),
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
                        Reason::Unreadable(crate::t!(
                            "无法列出该文件夹：{e}",
                            "cannot list the folder: {e}"
                        )),
                    );
                    break;
                }
            };
            let p = entry.path();
            let name = entry.file_name().to_string_lossy().to_string();
            let ft = match entry.file_type() {
                Ok(ft) => ft,
                Err(e) => {
                    skip(
                        p,
                        Reason::Unreadable(crate::lang::Text::same(e.to_string())),
                    );
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
