//! The KPI scheme: read the TOML file, check its meaning, and compile its
//! formulas. `load` is the first stage of the pipeline; everything after it
//! can trust that references resolve, weights add up and formulas parse.

pub mod annual;
mod column;
pub mod dec;
pub mod feedback;
pub mod history;
pub mod instruments;
mod instruments_check;
pub mod json_schema;
pub mod limits;
pub mod locate;
pub mod reconcile;
mod reconcile_check;
pub mod rule;
pub mod scheme;
mod shared;
mod toml_errors;
mod validate;

pub use dec::Dec;
pub use limits::Limits;
pub use rule::Rule;
pub use scheme::*;

use crate::error::{Error, Problem, Result};
use crate::formula::Expr;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A loaded, validated scheme with its compiled formulas.
#[derive(Debug, Clone)]
pub struct Config {
    pub scheme: Scheme,
    /// The scheme file as given on the command line.
    pub path: PathBuf,
    /// Directory the input workbooks are read from.
    pub input_dir: PathBuf,
    /// SHA-256 of the scheme file's bytes, hex.
    pub sha256: String,
    pub compiled: Compiled,
    /// Legal but probably meant otherwise (a number in the wrong unit):
    /// printed by `check` and `run`, never stopping them (issue 19).
    pub warnings: Vec<Problem>,
}

/// Formulas parsed once, and the orders to evaluate them in.
#[derive(Debug, Clone, Default)]
pub struct Compiled {
    /// Formula metrics, in an order where each comes after what it reads.
    pub metric_formulas: Vec<(String, Expr)>,
    /// Per role: formula of each KPI that has one (by KPI index).
    pub kpi_formulas: HashMap<String, HashMap<usize, Expr>>,
    /// Per role: KPI indices in evaluation order (formula KPIs after those they read).
    pub kpi_order: HashMap<String, Vec<usize>>,
    /// Per role: the condition of each veto (by veto index).
    pub veto_conditions: HashMap<String, Vec<Expr>>,
}

/// The period's first and last day.
pub fn period_days(config: &Config) -> (chrono::NaiveDate, chrono::NaiveDate) {
    let p = &config.scheme.period;
    (date(&p.start), date(&p.end))
}

/// A TOML date as a calendar date (validation made sure it is one).
pub fn date(d: &toml::value::Datetime) -> chrono::NaiveDate {
    d.date
        .and_then(|d| chrono::NaiveDate::from_ymd_opt(d.year as i32, d.month as u32, d.day as u32))
        .unwrap_or_default()
}

/// Read, parse and validate a scheme file.
pub fn load(path: &Path) -> Result<Config> {
    let bytes = read_scheme(path)?;
    let src = String::from_utf8(bytes.clone()).map_err(|_| {
        Error::config(
            Problem::at_file(
                path,
                crate::lang::Text::new("方案文件不是 UTF-8 文本", "the scheme is not UTF-8 text"),
            )
            .help(crate::lang::Text::new(
                "把文件另存为 UTF-8 编码",
                "save the file as UTF-8",
            )),
        )
    })?;
    let config = parse(path, &src)?;
    let sha256 = hex(&Sha256::digest(&bytes));
    Ok(Config { sha256, ..config })
}

/// The language a scheme states (`lang = "zh"` before its first table),
/// read before the scheme is parsed so that even its syntax errors are in
/// that language; None when it states none or cannot be read (reading it
/// properly then reports why). A value other than "zh" or "en" is left to
/// the parser to report.
pub fn stated_lang_of(path: &Path) -> Option<crate::lang::Lang> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_SCHEME_BYTES {
        return None;
    }
    stated_lang(&String::from_utf8(std::fs::read(path).ok()?).ok()?)
}

/// [`stated_lang_of`] on the scheme's text.
pub fn stated_lang(src: &str) -> Option<crate::lang::Lang> {
    for line in src.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            return None;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        if key.trim().trim_matches(['"', '\'']) != "lang" {
            continue;
        }
        let value = value.split('#').next().unwrap_or("").trim();
        return match value.trim_matches(['"', '\'']) {
            "zh" => Some(crate::lang::Lang::Zh),
            "en" => Some(crate::lang::Lang::En),
            _ => None,
        };
    }
    None
}

/// A scheme larger than this is not a scheme.
const MAX_SCHEME_BYTES: u64 = 4 * 1024 * 1024;

/// The scheme's bytes: a regular file of at most 4 MiB, opened read-only.
fn read_scheme(path: &Path) -> Result<Vec<u8>> {
    use std::io::Read;
    let cannot = |e: std::io::Error| {
        Error::config(
            Problem::at_file(
                path,
                crate::t!("无法读取方案文件：{e}", "cannot read the scheme: {e}"),
            )
            .help(crate::lang::Text::new(
                "请检查路径；kpi-configs/ 中有已提交的方案",
                "check the path; kpi-configs/ holds the committed schemes",
            )),
        )
    };
    let meta = std::fs::metadata(path).map_err(cannot)?;
    if !meta.is_file() {
        return Err(Error::config(
            Problem::at_file(
                path,
                crate::lang::Text::new("这不是一个文件", "this is not a file"),
            )
            .help(crate::lang::Text::new(
                "请给出 .toml 方案文件的路径",
                "give the path of a .toml scheme",
            )),
        ));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .map_err(cannot)?
        .take(MAX_SCHEME_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_SCHEME_BYTES {
        return Err(Error::config(
            Problem::at_file(
                path,
                crate::lang::Text::new("方案文件大于 4 MiB", "the scheme is larger than 4 MiB"),
            )
            .help(crate::lang::Text::new(
                "方案是一个简短的 TOML 文件；请检查路径是否正确",
                "a scheme is a short TOML file; check that this is the right path",
            )),
        ));
    }
    Ok(bytes)
}

/// Parse and validate scheme text; `path` names it in messages and anchors
/// relative input paths.
pub fn parse(path: &Path, src: &str) -> Result<Config> {
    let locator = locate::Locator::new(path, src);
    let mut scheme: Scheme = toml::from_str(src)
        .map_err(|e| Error::Config(toml_errors::structural_problems(path, src, e)))?;
    let origins = shared::resolve(&mut scheme, &locator).map_err(Error::Config)?;
    let locator = locator.with_origins(origins);
    let (compiled, warnings) = validate::check(&scheme, &locator).map_err(Error::Config)?;
    let base = path.parent().unwrap_or(Path::new(""));
    let input_dir = normalise(&match &scheme.inputs.dir {
        Some(dir) => base.join(dir),
        None => base.to_path_buf(),
    });
    Ok(Config {
        scheme,
        path: path.to_path_buf(),
        input_dir,
        sha256: hex(&Sha256::digest(src.as_bytes())),
        compiled,
        warnings,
    })
}

/// `kpi-configs/../samples/x` → `samples/x`, lexically (no file system).
pub fn normalise(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out: Vec<Component> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out.iter().collect()
}

/// Lower-case hex of a digest.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The SHA-256 of a file, in hex, read a block at a time: what the
/// manifest records, what an earlier run is checked against, and what the
/// input cache compares.
pub fn sha256_of(path: &std::path::Path) -> std::io::Result<String> {
    use sha2::{Digest, Sha256};
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

impl Config {
    /// The role whose roster value is `value`.
    pub fn role_for(&self, value: &str) -> Option<&str> {
        self.scheme
            .roles
            .iter()
            .find(|(_, r)| r.roster_value.values().contains(&value))
            .map(|(id, _)| id.as_str())
    }
}
