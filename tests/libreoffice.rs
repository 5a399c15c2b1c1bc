//! The written workbooks open cleanly in another office suite (issue 4):
//! LibreOffice converts each kind of workbook headless to ODS, and every
//! cell of every sheet reads back the same. Needs `soffice`, so it is
//! ignored by a plain `cargo test`; `.ci/run` installs LibreOffice and runs
//! it with `cargo test --test libreoffice -- --ignored`.

mod harness;

use calamine::{Data, Reader, open_workbook_auto};
use harness::{Workdir, stderr};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Every sheet's cells as text, by sheet name.
fn cells(path: &Path) -> Vec<(String, Vec<Vec<String>>)> {
    let mut wb = open_workbook_auto(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    wb.sheet_names()
        .into_iter()
        .map(|name| {
            let range = wb.worksheet_range(&name).expect("sheet");
            let rows = range
                .rows()
                .map(|r| {
                    r.iter()
                        .map(|d| match d {
                            Data::Empty => String::new(),
                            Data::Float(f) => format!("{f}"),
                            Data::Int(i) => format!("{i}"),
                            other => other.to_string(),
                        })
                        .collect::<Vec<_>>()
                })
                // Trailing blank cells and rows are not content.
                .map(|mut r: Vec<String>| {
                    while r.last().is_some_and(String::is_empty) {
                        r.pop();
                    }
                    r
                })
                .collect::<Vec<_>>();
            let mut rows = rows;
            while rows.last().is_some_and(Vec::is_empty) {
                rows.pop();
            }
            (name, rows)
        })
        .collect()
}

/// Equal text, or numbers equal to LibreOffice's 15 significant digits.
fn same(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    match (number(a), number(b)) {
        (Some(x), Some(y)) => (x - y).abs() <= 1e-12 * x.abs().max(1.0),
        _ => false,
    }
}

/// A number, or a date (ODS keeps dates as ISO text) as its Excel serial.
fn number(s: &str) -> Option<f64> {
    if let Ok(x) = s.parse::<f64>() {
        return Some(x);
    }
    let d = chrono::NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()?;
    let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?;
    Some((d - base).num_days() as f64)
}

fn first_xlsx(dir: &Path) -> PathBuf {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("dir")
        .flatten()
        .flat_map(|e| {
            let p = e.path();
            if p.is_dir() {
                std::fs::read_dir(&p)
                    .expect("dir")
                    .flatten()
                    .map(|e| e.path())
                    .collect()
            } else {
                vec![p]
            }
        })
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .collect();
    found.sort();
    found.into_iter().next().expect("an xlsx")
}

#[test]
#[ignore = "needs LibreOffice (soffice): run by .ci/run"]
fn every_kind_of_workbook_opens_in_libreoffice_with_the_same_cells() {
    let w = Workdir::new();
    let cfg = concat!(env!("CARGO_MANIFEST_DIR"), "/kpi-configs/hefei-2024q3.toml");
    let out = w.run(&["run", cfg, "--out", "run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    std::fs::create_dir(w.path("returned")).expect("mkdir");
    let out = w.run(&[
        "collect",
        "run",
        "returned",
        "--out",
        "feedback-summary.xlsx",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let books = [
        w.path("run/summary.xlsx"),
        first_xlsx(&w.path("run/feedback")),
        first_xlsx(&w.path("run/team")),
        w.path("feedback-summary.xlsx"),
    ];
    let converted = w.path("ods");
    let profile = format!("file://{}", w.path("lo-profile").display());
    let status = Command::new("soffice")
        .arg(format!("-env:UserInstallation={profile}"))
        .args(["--headless", "--convert-to", "ods", "--outdir"])
        .arg(&converted)
        .args(&books)
        .output()
        .expect("soffice must be installed (apt-get install libreoffice-calc-nogui)");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    for book in &books {
        let ods = converted.join(book.with_extension("ods").file_name().expect("name"));
        assert!(
            ods.exists(),
            "LibreOffice did not convert {}: {}",
            book.display(),
            String::from_utf8_lossy(&status.stdout)
        );
        let ours = cells(book);
        let theirs = cells(&ods);
        let names =
            |v: &[(String, Vec<Vec<String>>)]| v.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
        assert_eq!(names(&ours), names(&theirs), "{}", book.display());
        for ((name, a), (_, b)) in ours.iter().zip(&theirs) {
            assert_eq!(a.len(), b.len(), "{} [{name}]: row count", book.display());
            for (r, (ra, rb)) in a.iter().zip(b).enumerate() {
                assert_eq!(
                    ra.len(),
                    rb.len(),
                    "{} [{name}] row {}: {ra:?} vs {rb:?}",
                    book.display(),
                    r + 1
                );
                for (x, y) in ra.iter().zip(rb) {
                    assert!(
                        same(x, y),
                        "{} [{name}] row {}: `{x}` became `{y}`",
                        book.display(),
                        r + 1
                    );
                }
            }
        }
    }
}
