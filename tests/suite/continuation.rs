//! Continuation sheets (issue 7): a table too long for one sheet goes on in
//! `<sheet>2`, `<sheet>3`, … with the same header row. `appraise sample`
//! writes its long tables that way, and every reader takes the continuation
//! sheets as more rows of the same table, each row keeping its own cell.

use crate::common;
use crate::common::*;

/// Both `check` and `run` fail with the data exit code; `run`'s stderr lines.
fn data_error(w: &Workdir) -> Vec<String> {
    let [_, run] = both_fail(w, 65);
    run
}

/// The fixture's 指标 split after E01: E02 and E03 are on `second`.
fn split_data(w: &Workdir, second: Sheet) {
    let d = data();
    let first: Sheet = d[..2].to_vec();
    write_book(
        &w.path("data.xlsx"),
        &[("指标", &first), ("指标2", &second)],
    );
}

fn summary(w: &Workdir, out: &str) -> Vec<Vec<String>> {
    w.sheet(&format!("{out}/summary.xlsx"), "汇总")
}

#[test]
fn a_sample_split_over_many_sheets_scores_as_the_unsplit_sample() {
    let w = Workdir::empty();
    for (dir, rows) in [("whole", None), ("split", Some("40"))] {
        let mut args = vec!["sample", "--out", dir, "--employees", "130"];
        if let Some(r) = rows {
            args.extend(["--rows-per-sheet", r]);
        }
        let o = w.run(&args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    // 40 rows a sheet: the header and 39 rows; the 6 600 log rows need 170.
    let names = calamine::open_workbook_auto(w.path("split/daily_log.xlsx"))
        .map(|wb: calamine::Sheets<_>| calamine::Reader::sheet_names(&wb))
        .expect("open");
    assert_eq!(names.len(), 170);
    assert_eq!(names[0], "日行事例");
    assert_eq!(names[1], "日行事例2");
    assert_eq!(names[169], "日行事例170");
    let roster = calamine::open_workbook_auto(w.path("split/roster.xlsx"))
        .map(|wb: calamine::Sheets<_>| calamine::Reader::sheet_names(&wb))
        .expect("open");
    assert_eq!(roster, ["花名册", "花名册2", "花名册3", "花名册4"]);

    for dir in ["whole", "split"] {
        let scheme = format!("{dir}/appraisal.toml");
        let o = w.run(&["run", &scheme, "--out", &format!("{dir}-out")]);
        assert_eq!(o.status.code(), Some(0), "{dir}: {}", stderr(&o));
    }
    let whole = summary(&w, "whole-out");
    assert_eq!(whole.len(), 131, "a header and 130 employees");
    let split = summary(&w, "split-out");
    let differ: Vec<String> = whole
        .iter()
        .zip(&split)
        .flat_map(|(a, b)| {
            a.iter()
                .zip(b)
                .enumerate()
                .filter(|(_, (x, y))| x != y)
                .map(|(c, (x, y))| format!("{} {}: {x} ≠ {y}", a[0], whole[0][c]))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(differ.is_empty(), "{differ:#?}");
    assert_eq!(split, whole);

    // Managers' comments continued on 上级评语2… reach every workbook.
    let comments = calamine::open_workbook_auto(w.path("split/comments.xlsx"))
        .map(|wb: calamine::Sheets<_>| calamine::Reader::sheet_names(&wb))
        .expect("open");
    assert!(comments.len() > 1, "the comments are split: {comments:?}");
    let mut books = 0;
    for team in std::fs::read_dir(w.path("whole-out/feedback")).expect("feedback") {
        let team = team.expect("team").path();
        for book in std::fs::read_dir(&team).expect("team dir") {
            let whole = book.expect("book").path();
            let rel = whole.strip_prefix(w.path("whole-out")).expect("rel");
            let split = w.path("split-out").join(rel);
            assert_eq!(
                common::read_sheet(&split, "上级评语"),
                common::read_sheet(&whole, "上级评语"),
                "{}",
                rel.display()
            );
            books += 1;
        }
    }
    assert_eq!(books, 130);

    // The manifest lists every sheet read, continuations included.
    let manifest: serde_json::Value =
        serde_json::from_slice(&w.read("split-out/manifest.json")).expect("manifest");
    let sheets_of = |file: &str| -> Vec<String> {
        manifest["inputs"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|i| i["path"].as_str().is_some_and(|p| p.ends_with(file)))
            .map(|i| {
                i["sheets"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|s| s.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(
        sheets_of("roster.xlsx"),
        ["花名册", "花名册2", "花名册3", "花名册4"]
    );
    let log = sheets_of("daily_log.xlsx");
    assert_eq!(log.len(), 170, "{log:?}");
    assert_eq!(log[169], "日行事例170");
}

#[test]
fn rows_of_a_continuation_sheet_are_read_after_the_first() {
    let w = Workdir::new();
    let d = data();
    split_data(&w, vec![d[0].clone(), d[2].clone(), d[3].clone()]);
    let o = w.run(&["run", "appraisal.toml", "--out", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let split = summary(&w, "out");

    let whole = Workdir::new();
    let o = whole.run(&["run", "appraisal.toml", "--out", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(split, summary(&whole, "out"));
}

#[test]
fn a_continuation_sheet_with_another_header_is_reported_at_its_header_cell() {
    let w = Workdir::new();
    let d = data();
    let mut header = d[0].clone();
    header[2] = s("目标值");
    split_data(&w, vec![header, d[2].clone(), d[3].clone()]);
    let lines = data_error(&w);
    let all = lines.join("\n");
    assert!(
        all.contains(
            "data.xlsx [指标2]!C1: this sheet continues the table of sheet `指标`, but its header here is `目标值` where `指标` has `目标` in C1"
        ),
        "{all}"
    );
    assert!(
        all.contains("give it the same header row (row 1) in the same columns"),
        "{all}"
    );
}

#[test]
fn an_error_in_a_continuation_sheet_names_that_sheet() {
    let w = Workdir::new();
    let d = data();
    let mut bad = d[3].clone();
    bad[1] = s("一百");
    split_data(&w, vec![d[0].clone(), d[2].clone(), bad]);
    let all = data_error(&w).join("\n");
    assert!(all.contains("data.xlsx [指标2]!B3"), "{all}");
    assert!(!all.contains("[指标]!B3"), "{all}");
}

#[test]
fn only_consecutively_numbered_sheets_continue_a_table() {
    let w = Workdir::new();
    let d = data();
    let first: Sheet = d.clone();
    // 指标3 without 指标2 is another sheet: its rows are not read (a
    // duplicate E01 there would otherwise be an error).
    let other: Sheet = vec![d[0].clone(), d[1].clone()];
    write_book(&w.path("data.xlsx"), &[("指标", &first), ("指标3", &other)]);
    let o = w.run(&["check", "appraisal.toml"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn a_duplicate_across_sheets_names_the_first_row_and_its_sheet() {
    let w = Workdir::new();
    let d = data();
    // E02 twice in 指标2: a second row for a one-per-key source.
    split_data(
        &w,
        vec![d[0].clone(), d[2].clone(), d[3].clone(), d[2].clone()],
    );
    let all = data_error(&w).join("\n");
    assert!(all.contains("data.xlsx [指标2]!A4"), "{all}");
    assert!(all.contains("(first in row 2 of sheet 指标2)"), "{all}");
}
