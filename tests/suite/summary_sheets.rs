//! summary.xlsx's sheets are filled on several cores at once
//! (`report::sheets`), yet the same run gives the same bytes whatever the
//! number of threads, because every format is numbered before any sheet is
//! filled. These tests write the committed sample's summary.

use appraise::cli::Lang;
use appraise::report::book::Formats;
use appraise::report::{RunInfo, summary};
use std::io::Read;
use std::path::Path;

use crate::common::{self, SAMPLE_SCHEME as SAMPLE};

/// The sample's summary.xlsx, written in a pool of `threads` threads, for
/// each of `threads`.
fn summaries(threads: &[usize]) -> Vec<Vec<u8>> {
    let mut config = appraise::config::load(Path::new(SAMPLE)).expect("scheme");
    let run = appraise::pipeline::score(&mut config, &mut |_| {}).expect("scored");
    let info = RunInfo::new(&config, &run.data, Lang::Zh);
    let dir = tempfile::tempdir().expect("tempdir");
    threads
        .iter()
        .map(|&n| {
            let path = dir.path().join(format!("summary-{n}.xlsx"));
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .expect("pool");
            pool.install(|| {
                summary::write(
                    &config,
                    &run.data,
                    &run.instruments,
                    &run.outcome,
                    &run.recon,
                    &run.history,
                    &info,
                    &path,
                )
            })
            .expect("written");
            std::fs::read(&path).expect("read")
        })
        .collect()
}

#[test]
fn the_same_run_gives_the_same_bytes_on_one_thread_or_several() {
    let written = summaries(&[1, 3, 3]);
    assert!(written[0] == written[1], "1 and 3 threads differ");
    assert!(written[1] == written[2], "two runs on 3 threads differ");
}

/// A format that a sheet writer uses without it being in `Formats` (and so
/// numbered up front) would be numbered when first used, on whichever
/// thread got there first: the workbook would then hold more formats than
/// `Formats::all`.
#[test]
fn the_summary_uses_only_formats_numbered_before_its_sheets_are_filled() {
    let written = summaries(&[2]).remove(0);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(written)).expect("zip");
    let mut styles = String::new();
    zip.by_name("xl/styles.xml")
        .expect("styles")
        .read_to_string(&mut styles)
        .expect("read");
    let xfs = &styles[styles.find("<cellXfs").expect("cellXfs")..];
    let xfs = &xfs[..xfs.find("</cellXfs>").expect("end")];
    let fm = Formats::new();
    let all = fm.all();
    let distinct: std::collections::HashSet<_> = all.iter().collect();
    assert_eq!(distinct.len(), all.len(), "Formats::all repeats a format");
    // The default format, then each of `Formats::all`.
    assert_eq!(xfs.matches("<xf ").count(), 1 + all.len(), "{xfs}");
}

/// The sheets' rows go to temporary files: without a usable temporary
/// directory the run fails, names the workbook and what to do, and leaves
/// no output.
#[test]
fn a_summary_that_cannot_be_filled_names_its_file_and_leaves_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = common::appraise()
        .args(["run", SAMPLE, "--quiet", "--no-feedback", "--out"])
        .arg(tmp.path().join("out"))
        .env("TMPDIR", tmp.path().join("missing"))
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("summary.xlsx: cannot make a temporary file in")
            && stderr.contains("point TMPDIR at a writable directory with room"),
        "{stderr}"
    );
    let left: Vec<_> = std::fs::read_dir(tmp.path()).expect("ls").collect();
    assert!(left.is_empty(), "{left:?}");
}
