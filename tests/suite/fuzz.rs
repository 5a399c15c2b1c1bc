//! A mutation fuzzer on stable Rust (issue 5). Deterministic: the sample's
//! seeded SplitMix64 (`appraise::sample::rng`, the one PRNG) mutates the committed seed corpus (fuzz/corpus/), and each
//! input goes through the real stages in-process, under `catch_unwind`:
//!
//! - `config`: mutated scheme text → config::parse (serde, validation,
//!   locations, formulas) → pipeline::load → score::run, on the fixture
//!   workbooks;
//! - `workbook`: a mutated workbook (raw bytes, or its XML parts mutated and
//!   re-zipped) in place of one fixture workbook → pipeline::load →
//!   score::run;
//! - `returned` (issue 15): a mutated returned feedback workbook (an
//!   employee's workbook of a real sample run: raw bytes, XML parts mutated,
//!   or a hostile part: a far cell, a forged shared-string count, a sheet
//!   replaced by hostile XML, truncated) → feedback::collect::collect, on a
//!   thread of its own with a time limit. It must not panic or hang, and the
//!   file is either taken, for the same employee and with the sealed values
//!   as written, or listed as rejected.
//!
//! A panic is a finding: the input is saved under fuzz/findings/ and the test
//! fails. Each input is written to fuzz/findings/*/seedN-in-progress before
//! it runs, so an abort (an allocation failure) leaves it there too. The quick tests below run a few hundred inputs on every
//! `cargo test`; the long ones are ignored and run for FUZZ_SECS seconds:
//!
//!     FUZZ_SECS=300 FUZZ_SEED=1 cargo test --test suite fuzz::fuzz_ -- --ignored --nocapture

use crate::common::{self, root};

use appraise::feedback::collect::{Answer, Collected, collect};
use appraise::sample::rng::Rng;
use appraise::{config, ingest, score};
use std::io::{Read, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn corpus(kind: &str) -> Vec<Vec<u8>> {
    let dir = root().join("fuzz/corpus").join(kind);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| std::fs::read(p).expect("seed"))
        .collect()
}

/// Tokens that break parsers and arithmetic.
const TOKENS: &[&str] = &[
    "0",
    "-0",
    "1e308",
    "-1e308",
    "1e-308",
    "79228162514264337593543950335",
    "-79228162514264337593543950336",
    "99999999999999999999999999999999",
    "0.0000000000000000000000000001",
    "nan",
    "inf",
    "-inf",
    "\"\"",
    "\"x\"",
    "[]",
    "{}",
    "[[]]",
    "= ",
    "\n",
    "\"\\u0000\"",
    "true",
    "1979-05-27",
    "1979-05-27T07:32:00Z",
    "#",
    "'",
    "\"",
    "[",
    "]",
    "{",
    "}",
    ",",
    ".",
    "%",
    "/",
    "*",
    "(",
    ")",
    "0/0",
    "a/0",
    "kpi.x",
    "XFD1048576",
    "A0",
    "A1048577",
    "ZZZZZ1",
    "-1",
    "4294967296",
    "18446744073709551616",
    "t=\"s\"",
    "t=\"e\"",
    "t=\"str\"",
    "t=\"b\"",
    "t=\"d\"",
    "<v>",
    "</v>",
    "<c r=\"A1\">",
    "</row>",
    "<row r=\"0\">",
    "<row r=\"4294967295\">",
    "&amp;",
    "&#0;",
    "&#xFFFF;",
    "]]>",
    "<![CDATA[",
    "<!DOCTYPE x [<!ENTITY a \"b\">]>",
    "收入",
    "（",
    "）",
    "\u{FEFF}",
    "\u{202E}",
    "\r\n",
    // issue 15: what a cell is read as, values near the decimal limit,
    // control characters.
    "8e26",
    "1e15",
    "1000000000000001",
    "0.000000000001",
    "<f>80+10</f>",
    "<f t=\"shared\" si=\"0\"/>",
    "<f t=\"shared\" ref=\"B2:B4\" si=\"0\">C2</f>",
    "t=\"inlineStr\"",
    "<is><t>1,234</t></is>",
    "<is><r><t>1</t></r><r><t>2</t></r></is>",
    "t=\"n\" s=\"1\"",
    "１２",
    "12%",
    "\u{1b}[2J",
    "\u{7}",
];

fn mutate(rng: &mut Rng, input: &[u8], others: &[Vec<u8>]) -> Vec<u8> {
    let mut b = input.to_vec();
    let rounds = 1 + rng.index(4);
    for _ in 0..rounds {
        let len = b.len().max(1);
        match rng.index(10) {
            9 => {
                let i = rng.index(b.len() + 1);
                let t = deep_nesting(rng);
                b.splice(i..i, t);
            }
            0 => {
                let i = rng.index(len);
                if let Some(x) = b.get_mut(i) {
                    *x ^= 1 << rng.index(8);
                }
            }
            1 => {
                let i = rng.index(len);
                if let Some(x) = b.get_mut(i) {
                    *x = *rng.pick(&[
                        0u8, 0xFF, 0x7F, 0x80, b'9', b'"', b'[', b'\n', b'=', b'-', b'.',
                    ]);
                }
            }
            2 => {
                let i = rng.index(b.len() + 1);
                let t = rng.pick(TOKENS).as_bytes().to_vec();
                b.splice(i..i, t);
            }
            3 => {
                // Replace a number with a token.
                let starts: Vec<usize> = (0..b.len())
                    .filter(|&i| {
                        b[i].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_alphanumeric())
                    })
                    .collect();
                if !starts.is_empty() {
                    let s = *rng.pick(&starts);
                    let mut e = s;
                    while e < b.len() && (b[e].is_ascii_digit() || b[e] == b'.') {
                        e += 1;
                    }
                    let t = rng.pick(TOKENS).as_bytes().to_vec();
                    b.splice(s..e, t);
                }
            }
            4 => {
                let i = rng.index(len);
                let n = rng.index(64).min(b.len().saturating_sub(i));
                b.drain(i..i + n);
            }
            5 => {
                // Duplicate a chunk.
                let i = rng.index(len);
                let n = rng.index(256).min(b.len().saturating_sub(i));
                let chunk = b[i..i + n].to_vec();
                let at = rng.index(b.len() + 1);
                b.splice(at..at, chunk);
            }
            6 => {
                // Swap or drop a line.
                let lines: Vec<&[u8]> = b.split(|&c| c == b'\n').collect();
                if lines.len() > 2 {
                    let mut l: Vec<Vec<u8>> = lines.iter().map(|x| x.to_vec()).collect();
                    let i = rng.index(l.len());
                    let j = rng.index(l.len());
                    if rng.index(2) == 0 {
                        l.swap(i, j);
                    } else {
                        l.remove(i);
                    }
                    b = l.join(&b'\n');
                }
            }
            7 => {
                // Splice in a part of another input.
                let o = rng.pick(others);
                if !o.is_empty() {
                    let i = rng.index(o.len());
                    let n = rng.index(512).min(o.len() - i);
                    let at = rng.index(b.len() + 1);
                    b.splice(at..at, o[i..i + n].iter().copied());
                }
            }
            _ => {
                let n = rng.index(b.len() + 1);
                b.truncate(n);
            }
        }
    }
    b
}

/// Mutate the XML parts of a workbook and zip it again (stored), so the
/// mutations reach calamine's parsers instead of stopping at a CRC.
fn mutate_zip(rng: &mut Rng, xlsx: &[u8], others: &[Vec<u8>]) -> Vec<u8> {
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(xlsx)) else {
        return mutate(rng, xlsx, others);
    };
    let mut parts = Vec::new();
    for i in 0..zip.len() {
        let Ok(mut f) = zip.by_index(i) else { continue };
        let name = f.name().unwrap_or_default().to_string();
        let mut data = Vec::new();
        if f.read_to_end(&mut data).is_err() {
            continue;
        }
        parts.push((name, data));
    }
    let n = 1 + rng.index(2);
    for _ in 0..n {
        let xml: Vec<usize> = (0..parts.len())
            .filter(|&i| {
                parts[i].0.contains("sheet")
                    || parts[i].0.contains("sharedStrings")
                    || parts[i].0.contains("workbook")
                    || rng.index(4) == 0
            })
            .collect();
        if xml.is_empty() {
            break;
        }
        let i = *rng.pick(&xml);
        parts[i].1 = mutate(rng, &parts[i].1, others);
    }
    if rng.index(10) == 0 && !parts.is_empty() {
        let i = rng.index(parts.len());
        parts.remove(i);
    }
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, data) in &parts {
        if w.start_file(name.as_str(), opts).is_err() || w.write_all(data).is_err() {
            return mutate(rng, xlsx, others);
        }
    }
    w.finish().map(|c| c.into_inner()).unwrap_or_default()
}

/// The fixture in a temporary directory, to run the stages on.
fn fixture() -> common::Workdir {
    common::Workdir::new()
}

/// Scheme text → parse → ingest → score → explain. Errors are fine;
/// panics are not.
fn run_config(dir: &Path, text: &str) {
    let path = dir.join("appraisal.toml");
    if let Ok(mut cfg) = config::parse(&path, text)
        && let Ok(s) = appraise::pipeline::score(&mut cfg, &mut |_| {})
    {
        explain_everyone(&path, &cfg, &s.data, &s.outcome, &s.recon);
    }
}

/// The fixture scheme → ingest → score → explain, with whatever is in the
/// directory.
fn run_pipeline(dir: &Path) {
    let path = dir.join("appraisal.toml");
    if let Ok(mut cfg) = config::load(&path)
        && let Ok(s) = appraise::pipeline::score(&mut cfg, &mut |_| {})
    {
        explain_everyone(&path, &cfg, &s.data, &s.outcome, &s.recon);
    }
}

/// Every person's explanation, with every KPI's sentence, in both
/// languages: the sentences once panicked on a rate near the decimal limit
/// (issue 15).
fn explain_everyone(
    path: &Path,
    cfg: &config::Config,
    data: &ingest::Dataset,
    outcome: &score::Outcome,
    recon: &appraise::reconcile::Reconciliation,
) {
    for e in &data.employees {
        for lang in [appraise::cli::Lang::Zh, appraise::cli::Lang::En] {
            let args = appraise::cli::ExplainArgs {
                config: path.to_path_buf(),
                employee: e.id.clone(),
                kpi: None,
                scheme: None,
                no_cache: false,
                lang,
            };
            let _ = appraise::cmd::explain::text(cfg, data, outcome, recon, &args);
        }
    }
}

/// Hostile inputs too long to be tokens: formulas nested thousands deep
/// (they overflowed the stack, issue 15).
fn deep_nesting(rng: &mut Rng) -> Vec<u8> {
    let n = 1 + rng.index(8000);
    let (open, close) = *rng.pick(&[("(", ")"), ("-", ""), ("min(1,", ")"), ("not ", "")]);
    format!("{}x{}", open.repeat(n), close.repeat(n)).into_bytes()
}

fn save_finding(kind: &str, bytes: &[u8], seed: u64, i: u64) -> PathBuf {
    let dir = root().join("fuzz/findings").join(kind);
    let _ = std::fs::create_dir_all(&dir);
    let name = if i == u64::MAX {
        format!("seed{seed}-in-progress")
    } else {
        format!("seed{seed}-{i}")
    };
    let path = dir.join(name);
    let _ = std::fs::write(&path, bytes);
    path
}

fn budget(default: Duration) -> Duration {
    std::env::var("FUZZ_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .map_or(default, Duration::from_secs)
}

fn seed() -> u64 {
    std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2024)
}

/// Returns how many inputs were tried.
fn fuzz_config(max: u64, time: Duration, seed: u64) -> u64 {
    let w = fixture();
    let seeds = corpus("config");
    let mut rng = Rng::new(seed);
    let started = Instant::now();
    let mut i = 0;
    while i < max && started.elapsed() < time {
        let base = rng_pick(&mut rng, &seeds).to_vec();
        let input = mutate(&mut rng, &base, &seeds);
        let text = String::from_utf8_lossy(&input).to_string();
        // Saved first: an abort (an allocation failure) cannot be caught.
        let pending = save_finding("config", text.as_bytes(), seed, u64::MAX);
        let r = catch_unwind(AssertUnwindSafe(|| run_config(w.dir.path(), &text)));
        if r.is_err() {
            let p = save_finding("config", text.as_bytes(), seed, i);
            panic!(
                "config input {i} (seed {seed}) panicked; saved to {}",
                p.display()
            );
        }
        let _ = std::fs::remove_file(&pending);
        i += 1;
    }
    i
}

fn rng_pick<'a>(rng: &mut Rng, seeds: &'a [Vec<u8>]) -> &'a [u8] {
    rng.pick(seeds).as_slice()
}

/// Rules tried on the fixture's first KPI, so that mutated values meet
/// every kind of arithmetic.
const RULES: &[&str] = &[
    "rule = { type = \"ratio\", cap = 1.2 }",
    "rule = { type = \"inverse\", mode = \"ratio\" }",
    "rule = { type = \"inverse\", mode = \"two_minus\" }",
    "rule = { type = \"inverse\", mode = \"deviation\" }",
    "rule = { type = \"gate\" }",
    "rule = { type = \"growth\", base = \"visits\", base_nonpositive = 1 }",
    "rule = { type = \"piecewise\", points = [[0.8, 0.6], [1.0, 1.0], [1.2, 1.2]] }",
    "rule = { type = \"matrix\", columns = [0, 1], row_metric = \"per_visit\", rows = [0, 5], table = [[0.5, 1], [0.8, 1.2]] }",
    "rule = { type = \"monitor\" }\nmissing = \"zero\"",
    "rule = { type = \"formula\", expr = \"actual / target * 1000000\" }",
];

fn scheme_with(rule: &str) -> String {
    let scheme = common::SCHEME.replacen(RULES[0], rule, 1);
    // A monitor KPI has weight 0; give its weight to the other KPI.
    if rule.contains("monitor") {
        scheme
            .replacen("weight = 60", "weight = 0", 1)
            .replacen("weight = 40", "weight = 100", 1)
    } else {
        scheme
    }
}

/// Each variant is a valid scheme that scores the fixture, or the fuzzer
/// would stop at validation and reach no arithmetic.
#[test]
fn every_rule_variant_scores_the_fixture() {
    let w = fixture();
    for rule in RULES {
        w.scheme(&scheme_with(rule));
        let cfg = config::load(&w.path("appraisal.toml")).unwrap_or_else(|e| panic!("{rule}: {e}"));
        let (data, _) = appraise::pipeline::load(&cfg).unwrap_or_else(|e| panic!("{rule}: {e}"));
        score::run(&cfg, &data).unwrap_or_else(|e| panic!("{rule}: {e}"));
    }
}

fn fuzz_workbook(max: u64, time: Duration, seed: u64) -> u64 {
    let w = fixture();
    let seeds = corpus("xlsx");
    let files = ["data.xlsx", "roster.xlsx", "events.xlsx"];
    let originals: Vec<Vec<u8>> = files.iter().map(|f| w.read(f)).collect();
    let mut rng = Rng::new(seed ^ 0x5EED);
    let started = Instant::now();
    let mut i = 0;
    while i < max && started.elapsed() < time {
        let rule = *rng.pick(RULES);
        w.scheme(&scheme_with(rule));
        let which = rng.index(files.len());
        let base = if rng.index(3) == 0 {
            rng_pick(&mut rng, &seeds).to_vec()
        } else {
            originals[which].clone()
        };
        let input = if rng.index(4) == 0 {
            mutate(&mut rng, &base, &seeds)
        } else {
            mutate_zip(&mut rng, &base, &seeds)
        };
        w.bytes(files[which], &input);
        let pending = save_finding("xlsx", &input, seed, u64::MAX);
        let r = catch_unwind(AssertUnwindSafe(|| run_pipeline(w.dir.path())));
        if r.is_err() {
            let p = save_finding("xlsx", &input, seed, i);
            panic!(
                "workbook input {i} (seed {seed}, as {}) panicked; saved to {}",
                files[which],
                p.display()
            );
        }
        let _ = std::fs::remove_file(&pending);
        w.bytes(files[which], &originals[which]);
        i += 1;
    }
    i
}

#[test]
fn fuzz_config_quick() {
    let n = fuzz_config(300, Duration::from_secs(60), 1);
    assert!(n > 0);
}

#[test]
fn fuzz_workbook_quick() {
    let n = fuzz_workbook(150, Duration::from_secs(60), 1);
    assert!(n > 0);
}

#[test]
#[ignore = "long: FUZZ_SECS=300 cargo test --test suite fuzz::fuzz_ -- --ignored --nocapture"]
fn fuzz_config_long() {
    let (time, seed) = (budget(Duration::from_secs(300)), seed());
    let n = fuzz_config(u64::MAX, time, seed);
    println!("config: {n} inputs in {time:?} (seed {seed}), no panic");
}

#[test]
#[ignore = "long: FUZZ_SECS=300 cargo test --test suite fuzz::fuzz_ -- --ignored --nocapture"]
fn fuzz_workbook_long() {
    let (time, seed) = (budget(Duration::from_secs(300)), seed());
    let n = fuzz_workbook(u64::MAX, time, seed);
    println!("workbook: {n} inputs in {time:?} (seed {seed}), no panic");
}

/// Not a check: a tool. It writes the fuzzers' seed corpus, fuzz/corpus/,
/// from the test fixture (`common::SCHEME` and its three workbooks) and the
/// sample scheme; run it after changing either, and commit the result.
#[test]
#[ignore = "a tool, not a check: writes fuzz/corpus/; run it with \
            `cargo test --test suite fuzz::tool_write_the_seed_corpus -- --ignored --exact`"]
fn tool_write_the_seed_corpus() {
    let w = fixture();
    let c = root().join("fuzz/corpus");
    std::fs::create_dir_all(c.join("config")).expect("mkdir");
    std::fs::create_dir_all(c.join("xlsx")).expect("mkdir");
    std::fs::write(c.join("config/fixture.toml"), common::SCHEME).expect("write");
    std::fs::copy(
        root().join("kpi-configs/hefei-2024q3.toml"),
        c.join("config/hefei-2024q3.toml"),
    )
    .expect("copy");
    for f in ["data.xlsx", "roster.xlsx", "events.xlsx"] {
        std::fs::write(c.join("xlsx").join(f), w.read(f)).expect("write");
    }
}

// Issue 15: collect's returned files.

/// A sample of 8 people run into `dir/run`; its employees' workbooks.
fn returned_fixture(dir: &Path) -> (PathBuf, Vec<Vec<u8>>) {
    let bin = env!("CARGO_BIN_EXE_appraise");
    let sample = dir.join("s");
    let run = dir.join("run");
    for args in [
        vec![
            "sample",
            "--out",
            sample.to_str().expect("utf-8"),
            "--employees",
            "8",
        ],
        vec![
            "run",
            sample.join("appraisal.toml").to_str().expect("utf-8"),
            "--out",
            run.to_str().expect("utf-8"),
        ],
    ] {
        let out = std::process::Command::new(bin)
            .args(&args)
            .output()
            .expect("run appraise");
        assert!(out.status.success(), "{args:?}: {out:?}");
    }
    let mut books = Vec::new();
    for team in std::fs::read_dir(run.join("feedback"))
        .expect("feedback")
        .flatten()
    {
        for f in std::fs::read_dir(team.path()).expect("team").flatten() {
            books.push(f.path());
        }
    }
    books.sort();
    let books = books
        .iter()
        .map(|p| std::fs::read(p).expect("read"))
        .collect();
    (run, books)
}

/// `collect` of a folder holding only `bytes` as `x.xlsx`, under
/// `catch_unwind` on a thread of its own: None if it panicked; a failure
/// if it takes longer than a minute (a hang).
fn collect_one(run: &Path, folder: &Path, bytes: &[u8]) -> Option<appraise::Result<Collected>> {
    let _ = std::fs::remove_dir_all(folder);
    std::fs::create_dir_all(folder).expect("mkdir");
    std::fs::write(folder.join("x.xlsx"), bytes).expect("write");
    let (tx, rx) = std::sync::mpsc::channel();
    let (run, folder) = (run.to_path_buf(), folder.to_path_buf());
    std::thread::spawn(move || {
        let r = catch_unwind(AssertUnwindSafe(|| collect(&run, &folder)));
        let _ = tx.send(r.ok());
    });
    rx.recv_timeout(Duration::from_secs(60))
        .unwrap_or_else(|_| panic!("collect took over a minute on a returned file (it hangs)"))
}

/// What must hold of one returned file: taken for the same employee with
/// the sealed values as written (answers may differ: they are not sealed),
/// or listed as rejected.
fn check_returned(c: &Collected, original: &Answer) -> Result<(), String> {
    if c.files != 1 || c.answers.len() + c.rejected.len() != 1 {
        return Err(format!(
            "one file gave {} answers and {} rejections",
            c.answers.len(),
            c.rejected.len()
        ));
    }
    if let Some(r) = c.rejected.first() {
        return if r.path.ends_with("x.xlsx") {
            Ok(())
        } else {
            Err(format!("rejected {}", r.path.display()))
        };
    }
    let a = c.answers.values().next().ok_or("no answer")?;
    if a.employee != original.employee {
        return Err(format!(
            "taken for {} instead of {}",
            a.employee, original.employee
        ));
    }
    for k in &a.kpis {
        if let Some(o) = original.kpis.iter().find(|o| o.id == k.id)
            && (k.actual.map(f64::to_bits), k.weighted.map(f64::to_bits))
                != (o.actual.map(f64::to_bits), o.weighted.map(f64::to_bits))
        {
            return Err(format!("KPI {} taken with other sealed values", k.id));
        }
    }
    Ok(())
}

/// Hostile XML put in place of a sheet of a returned workbook.
const HOSTILE_SHEETS: &[&str] = &[
    r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>"#,
    r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="4294967295"><c r="A4294967295"><v>1</v></c></row></sheetData></worksheet>"#,
    r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="ZZZZZZZZZZ1"><v>1</v></c></row></sheetData></worksheet>"#,
    r#"<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&c;</t></is></c></row></sheetData></worksheet>"#,
    r#"<worksheet><sheetData><row r="2"><c r="A2"><v>1</v></c></row><row r="1"><c r="A1"><v>2</v></c></row></sheetData></worksheet>"#,
    r#"<worksheet><sheetData><row><c><v>1</v></c><c t="s"><v>99999999</v></c><c t="e"><v>#REF!</v></c><c t="b"><v>7</v></c><c t="d"><v>x</v></c></row></sheetData></worksheet>"#,
    "",
    "<worksheet>",
    "\u{FEFF}<?xml version=\"1.0\" encoding=\"UTF-16\"?><worksheet/>",
];

const HUGE_SST: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4294967295" uniqueCount="4294967295"><si><t>x</t></si></sst>"#;

/// A returned workbook with one of its parts replaced, or a part added.
fn with_part(xlsx: &[u8], name: &str, data: &[u8]) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).expect("zip");
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut put = false;
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("part");
        let part = f.name().expect("name").to_string();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).expect("read");
        let bytes = if part == name {
            put = true;
            data.to_vec()
        } else {
            bytes
        };
        w.start_file(part, opts).expect("start");
        w.write_all(&bytes).expect("write");
    }
    if !put {
        w.start_file(name, opts).expect("start");
        w.write_all(data).expect("write");
    }
    w.finish().expect("finish").into_inner()
}

/// Part names of a workbook's sheets.
const SHEET_PARTS: &[&str] = &[
    "xl/worksheets/sheet1.xml",
    "xl/worksheets/sheet2.xml",
    "xl/worksheets/sheet3.xml",
    "xl/worksheets/sheet4.xml",
    "xl/worksheets/sheet5.xml",
    "xl/workbook.xml",
];

/// One hostile change to a returned workbook.
fn mutate_returned(rng: &mut Rng, xlsx: &[u8], others: &[Vec<u8>]) -> Vec<u8> {
    match rng.index(8) {
        0 => mutate(rng, xlsx, others),
        1 => {
            let n = rng.index(xlsx.len());
            xlsx[..n].to_vec()
        }
        2 => {
            let part = *rng.pick::<&str>(SHEET_PARTS);
            let xml = *rng.pick::<&str>(HOSTILE_SHEETS);
            with_part(xlsx, part, xml.as_bytes())
        }
        3 => with_part(xlsx, "xl/sharedStrings.xml", HUGE_SST.as_bytes()),
        4 => {
            // Random bytes for a sheet.
            let n = rng.index(4096);
            let junk: Vec<u8> = (0..n).map(|_| rng.next_u64() as u8).collect();
            let part = *rng.pick::<&str>(SHEET_PARTS);
            with_part(xlsx, part, &junk)
        }
        _ => mutate_zip(rng, xlsx, others),
    }
}

/// Returns how many inputs were tried.
fn fuzz_returned(max: u64, time: Duration, seed: u64) -> u64 {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (run, books) = returned_fixture(tmp.path());
    let folder = tmp.path().join("returned");
    // What each workbook gives as it was written.
    let originals: Vec<Answer> = books
        .iter()
        .map(|b| {
            let c = collect_one(&run, &folder, b)
                .expect("no panic")
                .expect("collect");
            assert!(c.rejected.is_empty(), "{:?}", c.rejected);
            c.answers.into_values().next().expect("taken")
        })
        .collect();
    let mut rng = Rng::new(seed ^ 0x00C0_11EC);
    let started = Instant::now();
    let mut i = 0;
    while i < max && started.elapsed() < time {
        let which = rng.index(books.len());
        let input = mutate_returned(&mut rng, &books[which], &books);
        let pending = save_finding("returned", &input, seed, u64::MAX);
        let failure = match collect_one(&run, &folder, &input) {
            None => Some("panicked".to_string()),
            Some(Err(e)) => Some(format!("failed: {e}")),
            Some(Ok(c)) => check_returned(&c, &originals[which]).err(),
        };
        if let Some(f) = failure {
            let p = save_finding("returned", &input, seed, i);
            panic!(
                "returned input {i} (seed {seed}) {f}; saved to {}",
                p.display()
            );
        }
        let _ = std::fs::remove_file(&pending);
        i += 1;
    }
    i
}

#[test]
fn fuzz_returned_quick() {
    let n = fuzz_returned(150, Duration::from_secs(90), 1);
    assert!(n > 0);
}

#[test]
#[ignore = "long: FUZZ_SECS=300 cargo test --test suite fuzz::fuzz_ -- --ignored --nocapture"]
fn fuzz_returned_long() {
    let (time, seed) = (budget(Duration::from_secs(300)), seed());
    let n = fuzz_returned(u64::MAX, time, seed);
    println!("returned: {n} inputs in {time:?} (seed {seed}), no panic, no hang");
}
