//! The KPI scheme: read the TOML file, check its meaning, and compile its
//! formulas. `load` is the first stage of the pipeline; everything after it
//! can trust that references resolve, weights add up and formulas parse.

mod column;
pub mod dec;
pub mod feedback;
pub mod instruments;
mod instruments_check;
pub mod limits;
pub mod locate;
pub mod reconcile;
mod reconcile_check;
pub mod rule;
pub mod scheme;
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
            Problem::at_file(path, "the scheme is not UTF-8 text").help("save the file as UTF-8"),
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
            Problem::at_file(path, format!("cannot read the scheme: {e}"))
                .help("check the path; kpi-configs/ holds the committed schemes"),
        )
    };
    let meta = std::fs::metadata(path).map_err(cannot)?;
    if !meta.is_file() {
        return Err(Error::config(
            Problem::at_file(path, "this is not a file").help("give the path of a .toml scheme"),
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
            Problem::at_file(path, "the scheme is larger than 4 MiB")
                .help("a scheme is a short TOML file; check that this is the right path"),
        ));
    }
    Ok(bytes)
}

/// Parse and validate scheme text; `path` names it in messages and anchors
/// relative input paths.
pub fn parse(path: &Path, src: &str) -> Result<Config> {
    let locator = locate::Locator::new(path, src);
    let scheme: Scheme =
        toml::from_str(src).map_err(|e| Error::Config(structural_problems(path, src, e)))?;
    let compiled = validate::check(&scheme, &locator).map_err(Error::Config)?;
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
    })
}

/// Every misspelt key and wrongly typed value, not only the first: serde
/// stops at the first, so the text is repaired where the error is (a
/// misspelt key renamed to the key it is closest to, any other offending
/// line blanked, every other line kept where it is) and read again, until it
/// reads or an error is not of that kind (a syntax error, a key now missing).
/// A syntax error ends the repairs; every syntax error is then reported
/// ([`syntax_problems`]).
fn structural_problems(path: &Path, src: &str, first: toml::de::Error) -> Vec<Problem> {
    const REPAIRABLE: [&str; 5] = [
        "unknown field",
        "unknown variant",
        "invalid type",
        "invalid value",
        "is not a decimal",
    ];
    let mut text = src.to_string();
    let mut problems = Vec::new();
    let mut error = first;
    for _ in 0..crate::error::PROBLEM_CAP {
        let span = error.span().unwrap_or(0..0);
        let message = error.message().to_string();
        let near = near_key(&message);
        let mut help = toml_help(&error);
        if let Some(k) = &near {
            help = format!("did you mean `{k}`?");
        }
        problems.push(
            Problem::new(
                locate::Locator::new(path, &text).span(span.clone()),
                toml_message(&error),
            )
            .help(help),
        );
        if !REPAIRABLE.iter().any(|k| message.contains(k)) {
            // A syntax error: the parser's recovery finds all of them.
            let syntax = syntax_problems(path, &text);
            if !syntax.is_empty() {
                problems.pop();
                problems.extend(syntax);
            }
            break;
        }
        let start = text[..span.start.min(text.len())]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let key_at = span.start.min(text.len())..span.end.min(text.len());
        match (near, placeholder(&message, &text[key_at.clone()])) {
            (Some(k), _) => text.replace_range(key_at, &k),
            (None, Some(v)) => text.replace_range(key_at, &v),
            _ if text[start..end].trim_start().starts_with('[') => break,
            _ => text.replace_range(start..end, &" ".repeat(end - start)),
        }
        match toml::from_str::<Scheme>(&text) {
            Ok(_) => break,
            Err(e) if e.message().contains("missing field") => break,
            Err(e) => error = e,
        }
    }
    problems
}

/// Every syntax error of the text, in the order of the file, found by the
/// TOML parser's own recovery (it reads on past a broken line); the first of
/// each line only, since the rest of a broken line mostly follows from it.
/// Empty when the text is well-formed TOML.
fn syntax_problems(path: &Path, text: &str) -> Vec<Problem> {
    let (_, mut errors) = toml::de::DeTable::parse_recoverable(text);
    let at = |e: &toml::de::Error| e.span().map_or(0, |s| s.start).min(text.len());
    errors.sort_by_key(at);
    let line = |e: &toml::de::Error| text[..at(e)].matches('\n').count();
    errors.dedup_by(|b, a| line(a) == line(b));
    // After a bracket left open, what follows is read as its contents: one
    // error says so, the rest would only repeat it line by line.
    if let Some(open) = errors.iter().position(|e| {
        let m = e.message();
        m.contains("missing comma") || m.contains("unclosed")
    }) {
        errors.truncate(open + 1);
    }
    let locator = locate::Locator::new(path, text);
    errors
        .iter()
        .map(|e| {
            Problem::new(locator.span(e.span().unwrap_or(0..0)), toml_message(e)).help(toml_help(e))
        })
        .collect()
}

/// A value of the expected type to stand in for a wrong one, so that reading
/// can go on to the next mistake (it is never used for anything else).
fn placeholder(message: &str, found: &str) -> Option<String> {
    if message.starts_with("unknown variant") {
        let first = message.split('`').nth(3)?;
        return found.starts_with('"').then(|| format!("\"{first}\""));
    }
    let expected = message.split("expected").nth(1).unwrap_or("");
    if message.contains("is not a decimal")
        || ["number", "integer", "u32", "u64", "usize", "decimal"]
            .iter()
            .any(|t| expected.contains(t))
    {
        Some("0".into())
    } else if expected.contains("string") {
        Some("\"_\"".into())
    } else if expected.contains("boolean") {
        Some("false".into())
    } else if expected.contains("sequence") {
        Some("[]".into())
    } else {
        None
    }
}

/// For "unknown field `wieght`, expected one of `id`, `weight`…": `weight`.
fn near_key(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (unknown, rest) = rest.split_once('`')?;
    rest.split('`')
        .skip(1)
        .step_by(2)
        .map(|k| (validate::edit_distance(unknown, k), k))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, k)| k.to_string())
}

fn toml_message(e: &toml::de::Error) -> String {
    e.message().trim().replace('\n', "; ")
}

fn toml_help(e: &toml::de::Error) -> String {
    let m = e.message();
    if m.contains("unknown field") {
        "remove the key or correct its spelling; the README lists every key".into()
    } else if m.contains("unknown variant") {
        "use one of the values listed".into()
    } else if m.contains("missing field") {
        "add the key to this table".into()
    } else if m.contains("not a decimal number") || m.contains("expected a number") {
        "write a number, e.g. `weight = 15`, or a decimal as a string, e.g. `\"0.95\"` or `\"95%\"`"
            .into()
    } else if m.contains("invalid type") || m.contains("invalid value") {
        "write the value as the type the message names (text in quotes, numbers without)".into()
    } else {
        "fix the TOML syntax at the caret".into()
    }
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
