//! The input cache of `appraise whatif` (docs/run.md, What-if): what a
//! scheme read from its workbooks, typed, every value with its cell, kept
//! between invocations in `.appraise-cache/` beside the scheme. A cache
//! file names what it was made from: [`read_key`] (what the scheme reads,
//! from which folder), the program that wrote it, and the SHA-256 of every
//! input file read. It is used only when all of them are as they were (the
//! files hashed again) and its own digest holds; else the inputs are read
//! and it is written anew. Deleting the folder loses nothing.

use crate::config::Config;
use crate::error::{Error, Result};
use crate::pipeline::{self, Inputs};
use std::collections::{HashMap, HashSet};
use toml::Value;

/// What a scheme reads, as text: two schemes with the same key read the
/// same files, sheets and columns the same way, whatever else differs. It
/// is the scheme less what only scoring reads: `lang`, `[rounding]`,
/// `[grades]`, formula metrics, and of each role all but its `roster_value`,
/// the KPIs it takes from another role (`kpis_from`, `exclude`) and, of its
/// KPIs, what the check that everyone has a row reads (`id`, `from`,
/// `metric`, `missing`, a metric target, a growth base, a matrix's row
/// metric); with the inputs' folder and the engine's version.
pub fn read_key(config: &Config) -> Result<String> {
    let src = std::fs::read_to_string(&config.path).map_err(|e| Error::io(&config.path, e))?;
    let mut t: toml::Table = toml::from_str(&src).unwrap_or_default();
    for k in ["lang", "rounding", "grades"] {
        t.remove(k);
    }
    if let Some(Value::Table(metrics)) = t.get_mut("metrics") {
        metrics.retain(|_, m| m.get("formula").is_none());
    }
    if let Some(Value::Table(roles)) = t.get_mut("roles") {
        for (_, role) in roles.iter_mut() {
            if let Value::Table(r) = role {
                // Shared KPIs (`kpis_from`, `exclude`, a KPI's `from`) decide
                // which metrics everyone must have, as a KPI's own keys do.
                r.retain(|k, _| matches!(k, "roster_value" | "kpis" | "kpis_from" | "exclude"));
                if let Some(Value::Array(kpis)) = r.get_mut("kpis") {
                    kpis.iter_mut().for_each(coverage_only);
                }
            }
        }
    }
    let dir = std::path::absolute(&config.input_dir).unwrap_or_else(|_| config.input_dir.clone());
    serde_json::to_string(&(env!("CARGO_PKG_VERSION"), dir, t))
        .map_err(|e| Error::Other(crate::lang::Text::same(e.to_string())))
}

/// A KPI less what only scoring reads.
fn coverage_only(kpi: &mut Value) {
    let Value::Table(k) = kpi else {
        return;
    };
    k.retain(|key, _| ["id", "from", "metric", "missing", "target", "rule"].contains(&key));
    if k.get("target").is_some_and(|t| !t.is_table()) {
        k.remove("target");
    }
    if let Some(Value::Table(rule)) = k.get_mut("rule") {
        rule.retain(|key, _| key == "base" || key == "row_metric");
    }
}

/// What starts every cache file, and the version of its layout.
const MAGIC: &[u8] = b"appraise input cache\n";
const FORMAT: u32 = 2;

/// An input file as it was when the cache was made.
#[derive(serde::Serialize, serde::Deserialize)]
struct Recorded {
    path: std::path::PathBuf,
    sha256: String,
}

/// A cache file after [`MAGIC`]: what it was made from, then the inputs.
#[derive(serde::Serialize, serde::Deserialize)]
struct Entry<'a> {
    format: u32,
    /// [`read_key`] and the program that wrote it ([`program`]).
    key: String,
    files: Vec<Recorded>,
    /// SHA-256 of `body`: a damaged file is never read as inputs.
    body_sha256: String,
    #[serde(borrow)]
    body: &'a [u8],
}

/// The program, by its size and time: a rebuilt `appraise` (whose types
/// may lay out otherwise) never reads an older one's cache.
fn program() -> String {
    let meta = std::env::current_exe().and_then(std::fs::metadata);
    match meta {
        Ok(m) => {
            let at = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            format!("{}:{}:{at}", env!("CARGO_PKG_VERSION"), m.len())
        }
        Err(_) => String::new(),
    }
}

/// The whole key of a scheme's cache: [`read_key`], the program, and the
/// working directory where the inputs' folder is relative (the paths kept
/// in the inputs are).
fn full_key(config: &Config) -> Result<String> {
    let mut key = read_key(config)?;
    key.push('\n');
    key.push_str(&program());
    if config.input_dir.is_relative() {
        let here = std::env::current_dir().unwrap_or_default();
        key.push('\n');
        key.push_str(&here.display().to_string());
    }
    Ok(key)
}

/// The cache folder: `.appraise-cache/` beside the scheme.
pub fn dir_of(config: &Config) -> std::path::PathBuf {
    config
        .path
        .parent()
        .unwrap_or(std::path::Path::new(""))
        .join(".appraise-cache")
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    crate::config::hex(&Sha256::digest(bytes))
}

/// Why a cache file was not used.
enum Miss {
    /// None yet, or made for other inputs: said with `--verbose` only.
    Quiet(crate::lang::Text),
    /// Damaged: always said.
    Damaged(crate::lang::Text),
}

/// The scheme's inputs: from its cache file when that was made from
/// exactly these files (each hashed again), by this program, for what
/// this scheme reads; else read, and the cache file written anew. A cache
/// that cannot be written is only a note: the inputs are read either way.
pub fn inputs(
    config: &Config,
    verbose: bool,
    stage: &mut dyn FnMut(&'static str),
) -> Result<Inputs> {
    stage("cache key");
    let key = full_key(config)?;
    let name = format!("inputs-{}.bin", &sha256_hex(key.as_bytes())[..16]);
    let path = dir_of(config).join(name);
    let shown = path.display().to_string();
    match cached(&path, &key, stage) {
        Ok(inputs) => {
            // Used now: the last to be pruned ([`prune`]).
            let _ = std::fs::File::options()
                .write(true)
                .open(&path)
                .and_then(|f| f.set_modified(std::time::SystemTime::now()));
            if verbose {
                note!(
                    "{}",
                    crate::t!(
                        "whatif：输入取自缓存 {shown}（输入文件均未改变）",
                        "whatif: inputs from the cache {shown} (no input file changed)"
                    )
                );
            }
            return Ok(inputs);
        }
        Err(Miss::Quiet(why)) if verbose => note!("{}", why),
        Err(Miss::Quiet(_)) => {}
        Err(Miss::Damaged(why)) => note!("{}", why),
    }
    stage("read inputs");
    let inputs = pipeline::read(config)?;
    stage("write cache");
    if inputs.recon.as_ref().is_some_and(|r| r.has_problems()) {
        return Ok(inputs);
    }
    match store(&path, key, &inputs) {
        Ok(()) if verbose => note!(
            "{}",
            crate::t!(
                "whatif：已读取输入并写入缓存 {shown}",
                "whatif: inputs read and cached in {shown}"
            )
        ),
        Ok(()) => {}
        Err(e) => note!(
            "{}",
            crate::t!(
                "whatif：无法写入缓存 {shown}（{e}）；输入照常读取",
                "whatif: could not write the cache {shown} ({e}); the inputs were read as usual"
            )
        ),
    }
    Ok(inputs)
}

/// The inputs kept in `path`, if it was made for `key` from files that
/// are still as they were.
fn cached(
    path: &std::path::Path,
    key: &str,
    stage: &mut dyn FnMut(&'static str),
) -> std::result::Result<Inputs, Miss> {
    let shown = path.display().to_string();
    stage("cache read");
    let bytes = std::fs::read(path).map_err(|_| {
        Miss::Quiet(crate::t!(
            "whatif：尚无缓存 {shown}",
            "whatif: no cache {shown} yet"
        ))
    })?;
    let damaged = |what: &str| {
        Miss::Damaged(crate::t!(
            "whatif：缓存 {shown} 已损坏（{what}），不予采用；输入重新读取，缓存重建",
            "whatif: the cache {shown} is damaged ({what}): ignored; the inputs are read again and the cache rebuilt"
        ))
    };
    let rest = bytes.strip_prefix(MAGIC).ok_or_else(|| damaged("header"))?;
    let entry: Entry = postcard::from_bytes(rest).map_err(|e| damaged(&e.to_string()))?;
    if entry.format != FORMAT || entry.key != key {
        return Err(Miss::Quiet(crate::t!(
            "whatif：缓存 {shown} 不是为这些输入或这个程序写的",
            "whatif: the cache {shown} was made for other inputs or another build"
        )));
    }
    stage("cache digest");
    if sha256_hex(entry.body) != entry.body_sha256 {
        return Err(damaged("digest"));
    }
    // The input files are hashed again while the cache decodes (its digest
    // held: a damaged file is never decoded).
    stage("hash inputs and decode");
    use rayon::prelude::*;
    let (changed, decoded) = rayon::join(
        || {
            entry.files.par_iter().find_first(|f| {
                crate::config::sha256_of(&f.path).ok().as_deref() != Some(f.sha256.as_str())
            })
        },
        || decode(entry.body),
    );
    if let Some(f) = changed {
        let file = f.path.display().to_string();
        return Err(Miss::Quiet(crate::t!(
            "whatif：{file} 在缓存写入后已改变：重新读取输入",
            "whatif: {file} changed since the cache was made: the inputs are read again"
        )));
    }
    decoded.map_err(|e| damaged(&e))
}

/// The inputs in parts that decode on separate cores: each metric's and
/// each column's values on its own (most of the bytes), and the rest.
#[derive(serde::Serialize, serde::Deserialize)]
struct Parts<'a> {
    #[serde(borrow)]
    rest: &'a [u8],
    #[serde(borrow)]
    metrics: Vec<(String, &'a [u8])>,
    #[serde(borrow)]
    columns: Vec<(String, &'a [u8])>,
}

fn postcard_of<T: serde::Serialize + ?Sized>(v: &T) -> std::result::Result<Vec<u8>, String> {
    postcard::to_stdvec(v).map_err(|e| e.to_string())
}

/// The inputs as the cache keeps them ([`Parts`]), encoded on all cores.
pub fn encode(inputs: &Inputs) -> std::result::Result<Vec<u8>, String> {
    use rayon::prelude::*;
    // Every field named: a field added to the data must be added here.
    let crate::ingest::Dataset {
        employees,
        index,
        metrics,
        columns,
        blanks,
        files,
        left_out,
    } = &inputs.data;
    let metrics: Vec<(String, Vec<u8>)> = metrics
        .par_iter()
        .map(|(k, v)| postcard_of(v).map(|b| (k.clone(), b)))
        .collect::<std::result::Result<_, _>>()?;
    let columns: Vec<(String, Vec<u8>)> = columns
        .par_iter()
        .map(|(k, v)| postcard_of(v).map(|b| (k.clone(), b)))
        .collect::<std::result::Result<_, _>>()?;
    // In name order: the same inputs give the same cache file.
    let (mut metrics, mut columns) = (metrics, columns);
    metrics.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    columns.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let rest = postcard_of(&Rest(
        employees,
        index,
        blanks,
        files,
        left_out,
        &inputs.instruments,
        &inputs.recon,
    ))?;
    postcard_of(&Parts {
        rest: &rest,
        metrics: borrowed(&metrics),
        columns: borrowed(&columns),
    })
}

/// Parts as [`Parts`] holds them.
fn borrowed(parts: &[(String, Vec<u8>)]) -> Vec<(String, &[u8])> {
    parts
        .iter()
        .map(|(k, v)| (k.clone(), v.as_slice()))
        .collect()
}

/// The inputs less their metrics' and columns' values.
#[derive(serde::Serialize)]
struct Rest<'a>(
    &'a [crate::ingest::Employee],
    &'a HashMap<String, usize>,
    &'a HashMap<(String, usize), crate::error::Origin>,
    &'a [crate::ingest::InputFile],
    &'a HashSet<String>,
    &'a crate::instruments::Loaded,
    &'a Option<crate::reconcile::ReconciliationSheets>,
);

/// The inputs [`encode`] kept, decoded on all cores.
pub fn decode(bytes: &[u8]) -> std::result::Result<Inputs, String> {
    use rayon::prelude::*;
    let parts: Parts = postcard::from_bytes(bytes).map_err(|e| e.to_string())?;
    let err = |e: postcard::Error| e.to_string();
    let (rest, (metrics, columns)) = rayon::join(
        || postcard::from_bytes::<RestOwned>(parts.rest).map_err(err),
        || {
            rayon::join(
                || {
                    parts
                        .metrics
                        .par_iter()
                        .map(|(k, b)| postcard::from_bytes(b).map(|v| (k.clone(), v)).map_err(err))
                        .collect::<std::result::Result<HashMap<_, _>, _>>()
                },
                || {
                    parts
                        .columns
                        .par_iter()
                        .map(|(k, b)| postcard::from_bytes(b).map(|v| (k.clone(), v)).map_err(err))
                        .collect::<std::result::Result<HashMap<_, _>, _>>()
                },
            )
        },
    );
    let RestOwned(employees, index, blanks, files, left_out, instruments, recon) = rest?;
    Ok(Inputs {
        data: crate::ingest::Dataset {
            employees,
            index,
            metrics: metrics?,
            columns: columns?,
            blanks,
            files,
            left_out,
        },
        instruments,
        recon,
    })
}

/// What [`Rest`] wrote, read back.
#[derive(serde::Deserialize)]
struct RestOwned(
    Vec<crate::ingest::Employee>,
    HashMap<String, usize>,
    HashMap<(String, usize), crate::error::Origin>,
    Vec<crate::ingest::InputFile>,
    HashSet<String>,
    crate::instruments::Loaded,
    Option<crate::reconcile::ReconciliationSheets>,
);

/// Write the cache file through a hidden sibling renamed into place.
fn store(path: &std::path::Path, key: String, inputs: &Inputs) -> std::result::Result<(), String> {
    let body = encode(inputs)?;
    let mut files: Vec<Recorded> = Vec::new();
    let recon = inputs.recon.iter().flat_map(|r| r.files());
    for f in inputs.data.files.iter().chain(recon) {
        let p = std::path::absolute(&f.path).map_err(|e| e.to_string())?;
        if !files.iter().any(|r| r.path == p) {
            files.push(Recorded {
                path: p,
                sha256: f.sha256.clone(),
            });
        }
    }
    let entry = Entry {
        format: FORMAT,
        key,
        files,
        body_sha256: sha256_hex(&body),
        body: &body,
    };
    let mut out = MAGIC.to_vec();
    out.extend(postcard::to_stdvec(&entry).map_err(|e| e.to_string())?);
    let dir = path.parent().unwrap_or(std::path::Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let tmp = dir.join(format!(".partial-{}", std::process::id()));
    std::fs::write(&tmp, &out)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            e.to_string()
        })?;
    prune(dir, KEEP);
    Ok(())
}

/// How many cache files a folder keeps: a scheme and a draft reading other
/// inputs, each under two builds of the program, say.
const KEEP: usize = 4;

/// Remove all but the `keep` most recently written cache files of `dir`:
/// every new build of the program, and every change of an input, writes a
/// file of its own (about 350 MB at 100,000 people), and an older one is
/// never read again once its inputs or program changed. What cannot be
/// removed is left: the folder may be deleted at any time.
fn prune(dir: &std::path::Path, keep: usize) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut files: Vec<(std::time::SystemTime, std::path::PathBuf)> = entries
        .flatten()
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.starts_with("inputs-") && name.ends_with(".bin")
        })
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .collect();
    // Newest first; ties by name, so that the same files are kept every time.
    files.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    for (_, old) in files.into_iter().skip(keep) {
        let _ = std::fs::remove_file(old);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, SystemTime};

    #[test]
    fn pruning_keeps_the_most_recently_written_cache_files_and_nothing_else_is_touched() {
        let dir = tempfile::tempdir().expect("dir");
        let t0 = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        for i in 0..6u64 {
            let p = dir.path().join(format!("inputs-{i}.bin"));
            std::fs::write(&p, b"x").expect("write");
            let f = std::fs::File::options().write(true).open(&p).expect("open");
            f.set_modified(t0 + Duration::from_secs(i * 60))
                .expect("time");
        }
        std::fs::write(dir.path().join("notes.txt"), b"kept").expect("write");
        prune(dir.path(), 4);
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .expect("read")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                "inputs-2.bin",
                "inputs-3.bin",
                "inputs-4.bin",
                "inputs-5.bin",
                "notes.txt"
            ]
        );
    }
}
