//! Inputs in xls and ods score exactly as in xlsx (issue 2: ingestion from
//! xlsx, xls and ods). LibreOffice converts the committed sample's
//! workbooks, the scheme is pointed at the converted files, and `汇总`
//! must match the xlsx run cell for cell. Needs `soffice`, so it is ignored
//! by a plain `cargo test`; `.ci/run` runs it with `--ignored`.

use crate::common::{Workdir, read_sheet, stderr};
use std::process::Command;

fn convert_sample_to(ext: &str) -> (Workdir, Vec<Vec<String>>) {
    let w = Workdir::empty();
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/2024Q3");
    let mut books: Vec<_> = std::fs::read_dir(sample)
        .expect("sample")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .collect();
    books.sort();
    let profile = format!("file://{}", w.path("lo-profile").display());
    let out = Command::new("soffice")
        .arg(format!("-env:UserInstallation={profile}"))
        .args(["--headless", "--convert-to", ext, "--outdir"])
        .arg(w.path("in"))
        .args(&books)
        .output()
        .expect("soffice must be installed (apt-get install libreoffice-calc-nogui)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let scheme = std::fs::read_to_string(format!("{sample}/appraisal.toml")).expect("scheme");
    std::fs::write(
        w.path("in/appraisal.toml"),
        scheme.replace(".xlsx\"", &format!(".{ext}\"")),
    )
    .expect("scheme");
    let run = w.run(&["run", "in/appraisal.toml", "--out", "run", "--no-feedback"]);
    assert!(run.status.success(), "{}", stderr(&run));
    let summary = w.sheet("run/summary.xlsx", "汇总");
    (w, summary)
}

fn xlsx_summary() -> Vec<Vec<String>> {
    let w = Workdir::empty();
    let cfg = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/2024Q3/appraisal.toml");
    let run = w.run(&["run", cfg, "--out", "run", "--no-feedback"]);
    assert!(run.status.success(), "{}", stderr(&run));
    read_sheet(&w.path("run/summary.xlsx"), "汇总")
}

#[test]
#[ignore = "needs LibreOffice (soffice): run by .ci/run"]
fn xls_inputs_score_as_xlsx_inputs() {
    let (w, xls) = convert_sample_to("xls");
    assert!(w.path("in/boss.xls").exists());
    assert_eq!(xls.len(), 131);
    assert_eq!(xls, xlsx_summary());
}

#[test]
#[ignore = "needs LibreOffice (soffice): run by .ci/run"]
fn ods_inputs_score_as_xlsx_inputs() {
    let (w, ods) = convert_sample_to("ods");
    assert!(w.path("in/boss.ods").exists());
    assert_eq!(ods.len(), 131);
    assert_eq!(ods, xlsx_summary());
}
