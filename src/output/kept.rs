//! What an output directory must never contain: the scheme, its input
//! directory and every workbook it names, each resolved to where it really is.

use std::path::{Path, PathBuf};

/// A file or directory that an output directory must never contain, with
/// what it is (`the scheme`, "`roster.file`"), for the message.
#[derive(Debug, Clone)]
pub struct Kept {
    /// Absolute, with symbolic links and `..` resolved as far as it exists.
    pub path: PathBuf,
    pub what: crate::lang::Text,
}

impl Kept {
    pub fn new(path: &Path, what: impl Into<crate::lang::Text>) -> Kept {
        Kept {
            path: resolved(path),
            what: what.into(),
        }
    }
}

/// The files a scheme reads: the scheme itself, its input directory, and
/// every workbook it names (each `file = …` and `appeals = …`, wherever it
/// sits in the scheme), so that `run --force` can refuse an output directory
/// that holds any of them.
pub fn scheme_files(config: &crate::config::Config) -> Vec<Kept> {
    let mut out = vec![
        Kept::new(&config.path, crate::t!("方案文件", "the scheme")),
        Kept::new(
            &config.input_dir,
            crate::t!("输入目录", "the input directory"),
        ),
    ];
    // The scheme was read and validated a moment ago; read again, it names
    // its files under keys of one of two names, at any depth.
    let raw = std::fs::read_to_string(&config.path)
        .ok()
        .and_then(|s| s.parse::<toml::Table>().ok());
    if let Some(t) = raw {
        named_files(&t, "", &config.input_dir, &mut out);
    }
    out
}

fn named_files(t: &toml::Table, at: &str, dir: &Path, out: &mut Vec<Kept>) {
    for (k, v) in t {
        let key = if at.is_empty() {
            k.clone()
        } else {
            format!("{at}.{k}")
        };
        match v {
            toml::Value::String(f) if k == "file" || k == "appeals" => {
                out.push(Kept::new(&dir.join(f), format!("`{key}` ({f})")));
            }
            toml::Value::Table(inner) => named_files(inner, &key, dir, out),
            toml::Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    if let toml::Value::Table(inner) = item {
                        named_files(inner, &format!("{key}[{i}]"), dir, out);
                    }
                }
            }
            _ => {}
        }
    }
}

/// `path` made absolute with symbolic links and `..` resolved: the longest
/// part that exists is canonicalised, the rest appended as written.
pub fn resolved(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let abs = crate::config::normalise(&abs);
    let mut rest = Vec::new();
    let mut here = abs.as_path();
    loop {
        if let Ok(c) = std::fs::canonicalize(here) {
            return rest.iter().rev().fold(c, |p: PathBuf, r| p.join(r));
        }
        match (here.parent(), here.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                here = parent;
            }
            _ => return abs,
        }
    }
}
