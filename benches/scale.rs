//! The scale benchmark (issue 7): `cargo bench --bench scale [-- N N …]`.
//!
//! For each size N (default 1,000, 10,000 and 100,000 employees) it writes a
//! sample branch, then measures on the same data:
//!
//! - the full run (`appraise run`, summary, feedback and team workbooks),
//!   with the time of each stage and the peak memory the run reports;
//! - a summary-only run (`--no-feedback`);
//! - the I/O floor: reading the same input cells with calamine, and writing
//!   the same cells into the same number of workbooks with rust_xlsxwriter
//!   (in parallel, at the same deflate level), with no scoring at all;
//!   input files are read in parallel, as the run reads them;
//! - the summary-only floor: the read floor plus writing summary.xlsx's
//!   cells alone, the output of a summary-only run;
//! - calamine's read bound: every sheet of every input on a task of its own
//!   (each opening its workbook), its cells iterated by calamine's streaming
//!   reader and not kept: the least time calamine can hand over the input
//!   cells on this machine, whatever the run does with them.
//!
//! - `appraise whatif` (issue 18) of the sample's scheme against a draft
//!   with 5 points moved between two KPIs: with `--no-cache` (the inputs
//!   read once, both schemes scored), cold (no cache yet: read, and the
//!   cache written) and cached (a second what-if over unchanged inputs).
//!
//! With `--history` (issue 18) it also writes four quarters of N
//! (`sample --quarters 4`, kept), runs the first three, and times the last
//! quarter's summary-only run with its `[history]` (the three earlier runs
//! read and checked against their manifests) and without it, best of three
//! each.
//!
//! It prints a table: stage times, peak memory, cost per employee, and the
//! ratio of the full run to the floor; and one of the what-if times against
//! the summary-only run. Samples are kept under
//! `target/bench-data/` between runs.

use calamine::{Data, Reader, Xlsx, open_workbook, open_workbook_auto};
use rayon::prelude::*;
use rust_xlsxwriter::Workbook;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The floor allocates with the allocator the run uses (`src/main.rs`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A workbook's sheets: name and every non-empty cell (row, column, value).
type Book = Vec<(String, Vec<(u32, u16, Data)>)>;

struct RunTimes {
    wall: f64,
    stages: Vec<(String, f64)>,
    peak_mib: u64,
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .filter_map(|a| a.replace('_', "").parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![1_000, 10_000, 100_000]
    } else {
        sizes
    };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("bench-data");
    println!(
        "appraise scale benchmark: {} cores",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    let with_history = std::env::args().any(|a| a == "--history");
    let mut history_rows = Vec::new();
    let mut rows = Vec::new();
    let mut whatifs = Vec::new();
    for n in sizes {
        if with_history {
            history_rows.push((n, history_cost(&root, n)));
        }
        let data = root.join(format!("sample-{n}"));
        if !data.join("appraisal.toml").exists() {
            let _ = std::fs::remove_dir_all(&data);
            eprintln!("writing a sample of {n} employees…");
            appraise::sample::write(&data, n, 2024).expect("sample");
        }
        let config = data.join("appraisal.toml");
        let full_out = root.join(format!("out-{n}"));
        let full = run(&config, &full_out, &[]);
        let summary_only = run(
            &config,
            &root.join(format!("out-{n}-summary")),
            &["--no-feedback"],
        );
        let (read_floor, write_floor, summary_floor, files) =
            floor(&config, &full_out, &root.join(format!("floor-{n}")));
        let bound = read_bound(&config, &full_out);
        let employees = employees_in(&full_out);
        whatifs.push((employees, summary_only.wall, whatif(&config)));
        rows.push((
            n,
            employees,
            full,
            summary_only,
            read_floor,
            write_floor,
            files,
            summary_floor,
            bound,
        ));
    }
    println!();
    println!(
        "| employees | load | reconcile | score | summary | feedback | full run | summary only | peak MiB | ms/employee | floor (read + write) | full ÷ floor | files |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (_, employees, full, summary_only, rf, wf, files, _, _) in &rows {
        let stage = |name: &str| {
            full.stages
                .iter()
                .find(|(s, _)| s == name)
                .map_or(0.0, |(_, t)| *t)
        };
        let floor = rf + wf;
        println!(
            "| {employees} | {:.2}s | {:.2}s | {:.2}s | {:.2}s | {:.2}s | {:.2}s | {:.2}s | {} | {:.3} | {:.2}s ({:.2} + {:.2}) | {:.2} | {files} |",
            stage("load"),
            stage("reconcile"),
            stage("score"),
            stage("write summary"),
            stage("write feedback"),
            full.wall,
            summary_only.wall,
            full.peak_mib,
            full.wall * 1000.0 / *employees as f64,
            floor,
            rf,
            wf,
            full.wall / floor,
        );
    }
    println!();
    println!(
        "| employees | summary only | summary-only floor (read + write summary.xlsx) | summary only ÷ its floor | calamine read bound |"
    );
    println!("|---:|---:|---:|---:|---:|");
    for (_, employees, _, summary_only, rf, _, _, sf, bound) in &rows {
        println!(
            "| {employees} | {:.2}s | {:.2}s ({rf:.2} + {sf:.2}) | {:.2} | {bound:.2}s |",
            summary_only.wall,
            rf + sf,
            summary_only.wall / (rf + sf),
        );
    }
    print_whatifs(&whatifs);
    print_history(&history_rows);
}

/// The what-if table: (employees, summary-only run, (no cache, cold, cached)).
fn print_whatifs(whatifs: &[(usize, f64, (f64, f64, f64))]) {
    println!();
    println!(
        "| employees | run --no-feedback | whatif --no-cache | ÷ run | whatif, cold cache | whatif, cached |"
    );
    println!("|---:|---:|---:|---:|---:|---:|");
    for (employees, summary_only, (plain, cold, cached)) in whatifs {
        println!(
            "| {employees} | {summary_only:.2}s | {plain:.2}s | {:.2} | {cold:.2}s | {cached:.2}s |",
            plain / summary_only
        );
    }
}

/// The `[history]` table, with `--history`: (employees, (without, with)).
fn print_history(history_rows: &[(usize, (f64, f64))]) {
    if history_rows.is_empty() {
        return;
    }
    println!();
    println!("| employees | last quarter, summary only | with [history] (3 runs) | added |");
    println!("|---:|---:|---:|---:|");
    for (n, (without, with)) in history_rows {
        println!(
            "| {n} | {without:.2}s | {with:.2}s | {:+.1} % |",
            (with / without - 1.0) * 100.0
        );
    }
}

/// The sample's scheme with 5 points moved from the first KPI weighing at
/// least 5 to the next one (both of the first role, the account managers).
fn draft_of(scheme: &str) -> String {
    let mut moved = 0;
    let lines: Vec<String> = scheme
        .lines()
        .map(|l| {
            let w = l.strip_prefix("weight = ").and_then(|w| {
                w.split_whitespace()
                    .next()?
                    .trim_matches('"')
                    .parse::<i64>()
                    .ok()
            });
            match w {
                Some(w) if moved == 0 && w >= 5 => {
                    moved = 1;
                    format!("weight = {}", w - 5)
                }
                Some(w) if moved == 1 => {
                    moved = 2;
                    format!("weight = {}", w + 5)
                }
                _ => l.to_string(),
            }
        })
        .collect();
    assert_eq!(moved, 2, "the sample's scheme has no two weights to move");
    lines.join("\n") + "\n"
}

/// `appraise whatif` of the scheme against [`draft_of`] it: with
/// `--no-cache`, then cold (its cache removed first) and cached. Returns
/// the three wall times in seconds.
fn whatif(config: &Path) -> (f64, f64, f64) {
    let text = std::fs::read_to_string(config).expect("scheme");
    let draft = config.with_file_name("draft.toml");
    std::fs::write(&draft, draft_of(&text)).expect("draft");
    let cache = config.with_file_name(".appraise-cache");
    let out = config.with_file_name("draft-whatif.xlsx");
    let time = |extra: &[&str]| {
        let started = Instant::now();
        let o = Command::new(env!("CARGO_BIN_EXE_appraise"))
            .arg("whatif")
            .arg(config)
            .arg(&draft)
            .arg("--out")
            .arg(&out)
            .arg("--force")
            .args(extra)
            .output()
            .expect("run appraise whatif");
        let wall = started.elapsed().as_secs_f64();
        assert!(
            o.status.success(),
            "appraise whatif failed: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        wall
    };
    let plain = time(&["--no-cache"]);
    let _ = std::fs::remove_dir_all(&cache);
    let cold = time(&[]);
    let cached = time(&[]);
    (plain, cold, cached)
}

/// The cost of `[history]`: four quarters of `n` employees written once
/// and kept, the first three run; then the last quarter's summary-only run
/// without its `[history]` and with it, alternately, best of three each.
/// Returns (without, with) in seconds.
fn history_cost(root: &Path, n: usize) -> (f64, f64) {
    let data = root.join(format!("quarters-{n}"));
    if !data.join("2024Q4").join("appraisal.toml").exists() {
        let _ = std::fs::remove_dir_all(&data);
        eprintln!("writing four quarters of {n} employees…");
        appraise::sample::write_quarters(&data, n, 2024, 4, appraise::sample::EXCEL_ROWS)
            .expect("quarters");
    }
    for q in ["2024Q1", "2024Q2", "2024Q3"] {
        let scheme = data.join(q).join("appraisal.toml");
        run(&scheme, &data.join("out").join(q), &["--no-feedback"]);
    }
    let with = data.join("2024Q4").join("appraisal.toml");
    let text = std::fs::read_to_string(&with).expect("scheme");
    let without = data.join("2024Q4").join("without-history.toml");
    let cut = text.find("\n[history]").unwrap_or(text.len());
    std::fs::write(&without, &text[..cut]).expect("scheme without history");
    let (mut a, mut b) = (f64::MAX, f64::MAX);
    for _ in 0..3 {
        a = a.min(
            run(
                &without,
                &data.join("out").join("without"),
                &["--no-feedback"],
            )
            .wall,
        );
        b = b.min(run(&with, &data.join("out").join("with"), &["--no-feedback"]).wall);
    }
    (a, b)
}

/// Run the release binary and collect its `--timings` report. The previous
/// output is removed first, outside the timing.
fn run(config: &Path, out: &Path, extra: &[&str]) -> RunTimes {
    let _ = std::fs::remove_dir_all(out);
    let started = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_appraise"))
        .arg("run")
        .arg(config)
        .arg("--out")
        .arg(out)
        .args(["--force", "--quiet", "--timings"])
        .args(extra)
        .output()
        .expect("run appraise");
    let wall = started.elapsed().as_secs_f64();
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "appraise run failed: {err}");
    let mut stages = Vec::new();
    let mut peak_mib = 0;
    for line in err.lines() {
        let Some(rest) = line.strip_prefix("timing ") else {
            continue;
        };
        let Some((name, value)) = rest.split_once(": ") else {
            continue;
        };
        if name == "peak memory" {
            peak_mib = value.trim_end_matches(" MiB").parse().unwrap_or(0);
        } else {
            stages.push((
                name.to_string(),
                value.trim_end_matches('s').parse().unwrap_or(0.0),
            ));
        }
    }
    RunTimes {
        wall,
        stages,
        peak_mib,
    }
}

fn employees_in(out: &Path) -> usize {
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).expect("manifest"))
            .expect("json");
    manifest["counts"]["employees"].as_u64().unwrap_or(1) as usize
}

/// The I/O floor: read the run's input cells; write the run's output cells
/// into as many workbooks; and summary.xlsx's cells once more, alone.
/// Returns (read seconds, write seconds, summary.xlsx alone seconds,
/// workbooks).
fn floor(config: &Path, run: &Path, scratch: &Path) -> (f64, f64, f64, usize) {
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(run.join("manifest.json")).expect("manifest"))
            .expect("json");
    // Read: every sheet of every input the run read, every cell touched, the
    // files in parallel (as the run reads them).
    let started = Instant::now();
    // Input paths are relative to `inputs_dir`, itself relative to the scheme.
    let dir = config
        .parent()
        .unwrap_or(Path::new("."))
        .join(manifest["inputs_dir"].as_str().unwrap_or("."));
    let inputs: Vec<&serde_json::Value> = manifest["inputs"]
        .as_array()
        .into_iter()
        .flatten()
        .collect();
    let cells: usize = inputs
        .par_iter()
        .map(|input| {
            let path = dir.join(input["path"].as_str().unwrap_or_default());
            let mut wb = open_workbook_auto(&path).expect("open input");
            let mut cells = 0;
            for sheet in input["sheets"].as_array().into_iter().flatten() {
                let range = wb
                    .worksheet_range(sheet.as_str().unwrap_or_default())
                    .expect("sheet");
                cells += range
                    .used_cells()
                    .filter(|(_, _, d)| !matches!(d, Data::Empty))
                    .count();
            }
            cells
        })
        .sum();
    let read = started.elapsed().as_secs_f64();
    std::hint::black_box(cells);

    // Write: the same cells, workbook by workbook, in parallel batches; only
    // the writing is timed (reading the run's outputs back is preparation).
    let mut outputs = Vec::new();
    collect_xlsx(run, &mut outputs);
    outputs.sort();
    let _ = std::fs::remove_dir_all(scratch);
    std::fs::create_dir_all(scratch).expect("scratch");
    // summary.xlsx alone, the whole output of a summary-only run.
    let summary = read_all(&run.join("summary.xlsx"));
    let started = Instant::now();
    write_book(&summary, &scratch.join("summary.xlsx"));
    let summary_write = started.elapsed().as_secs_f64();
    drop(summary);
    let mut write = Duration::ZERO;
    for (b, batch) in outputs.chunks(2_000).enumerate() {
        let books: Vec<Book> = batch.par_iter().map(|p| read_all(p)).collect();
        let started = Instant::now();
        books.par_iter().enumerate().for_each(|(i, sheets)| {
            write_book(sheets, &scratch.join(format!("{b}-{i}.xlsx")));
        });
        write += started.elapsed();
    }
    let _ = std::fs::remove_dir_all(scratch);
    (read, write.as_secs_f64(), summary_write, outputs.len())
}

/// Write a workbook's cells as the run writes its own: big sheets row by
/// row, deflate level 1, saved through one buffer.
fn write_book(sheets: &Book, path: &Path) {
    let mut wb = Workbook::new();
    wb.set_zip_compression_level(1);
    for (name, cells) in sheets {
        // Big sheets go to disk row by row, as the run writes them; cells
        // come in row order, which that mode needs.
        let ws = if cells.len() > 100_000 {
            wb.add_worksheet_with_constant_memory().expect("sheet")
        } else {
            wb.add_worksheet()
        };
        ws.set_name(name).expect("name");
        for (r, c, d) in cells {
            match d {
                Data::Float(f) => {
                    ws.write_number(*r, *c, *f).expect("write");
                }
                Data::Int(n) => {
                    ws.write_number(*r, *c, *n as f64).expect("write");
                }
                Data::String(s) => {
                    ws.write_string(*r, *c, s).expect("write");
                }
                other => {
                    ws.write_string(*r, *c, other.to_string()).expect("write");
                }
            }
        }
    }
    // Through one buffer, as the run saves (rust_xlsxwriter's own `save`
    // makes a system call per zip header and chunk).
    let file = std::fs::File::create(path).expect("create");
    let mut out = std::io::BufWriter::with_capacity(256 * 1024, file);
    wb.save_to_writer(&mut out).expect("save");
    std::io::Write::flush(&mut out).expect("flush");
}

/// calamine's read bound: every sheet the run read, each on a task of its
/// own that opens its workbook and iterates the cells with the streaming
/// reader, keeping none. The biggest files go first, so that no long sheet
/// starts last. No run can read its inputs through calamine faster.
fn read_bound(config: &Path, run: &Path) -> f64 {
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(run.join("manifest.json")).expect("manifest"))
            .expect("json");
    let dir = config
        .parent()
        .unwrap_or(Path::new("."))
        .join(manifest["inputs_dir"].as_str().unwrap_or("."));
    let mut sheets: Vec<(u64, PathBuf, String)> = Vec::new();
    for input in manifest["inputs"].as_array().into_iter().flatten() {
        let path = dir.join(input["path"].as_str().unwrap_or_default());
        let bytes = std::fs::metadata(&path).map_or(0, |m| m.len());
        for sheet in input["sheets"].as_array().into_iter().flatten() {
            sheets.push((
                bytes,
                path.clone(),
                sheet.as_str().unwrap_or_default().into(),
            ));
        }
    }
    sheets.sort_by_key(|s| std::cmp::Reverse(s.0));
    let started = Instant::now();
    let cells: u64 = sheets
        .par_iter()
        .with_max_len(1)
        .map(|(_, path, sheet)| {
            let mut wb: Xlsx<_> = open_workbook(path).expect("open input");
            let mut reader = wb.worksheet_cells_reader(sheet).expect("sheet");
            let mut n = 0u64;
            while let Some(cell) = reader.next_cell().expect("cell") {
                n += u64::from(!matches!(cell.get_value(), calamine::DataRef::Empty));
            }
            n
        })
        .sum();
    std::hint::black_box(cells);
    started.elapsed().as_secs_f64()
}

fn collect_xlsx(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = entry.path();
        if p.is_dir() {
            collect_xlsx(&p, out);
        } else if p.extension().is_some_and(|e| e == "xlsx") {
            out.push(p);
        }
    }
}

fn read_all(path: &Path) -> Book {
    let mut wb = open_workbook_auto(path).expect("open output");
    let names = wb.sheet_names();
    names
        .into_iter()
        .map(|name| {
            let range = wb.worksheet_range(&name).expect("sheet");
            let (r0, c0) = range.start().unwrap_or((0, 0));
            let cells = range
                .used_cells()
                .filter(|(_, _, d)| !matches!(d, Data::Empty))
                .map(|(r, c, d)| (r0 + r as u32, (c0 as usize + c) as u16, d.clone()))
                .collect();
            (name, cells)
        })
        .collect()
}
