//! The product department, the manager's guide's worked example (issue 19,
//! item 7): `kpi-configs/product-2024q3.toml` over `samples/product-2024Q3`,
//! written by `appraise sample --example product` and run as HR runs it. The
//! expected figures are worked here from the workbooks themselves, read with
//! calamine, not taken from the tool.

use crate::common::{self, col, read_sheet};
use calamine::{Data, Reader, open_workbook_auto};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const SCHEME: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/kpi-configs/product-2024q3.toml"
);

fn inputs() -> PathBuf {
    common::root().join("samples/product-2024Q3")
}

/// The example's run, once per test, into a temporary directory.
fn run() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    common::appraise_ok(&[
        "run",
        SCHEME,
        "--out",
        common::path_str(&out),
        "--lang",
        "zh",
    ]);
    (tmp, out)
}

/// An Excel date cell as its serial day number.
fn day(d: &Data) -> Option<i64> {
    match d {
        Data::DateTime(t) => Some(t.as_f64() as i64),
        Data::Empty => None,
        other => panic!("not a date: {other:?}"),
    }
}

fn rows(file: &Path, sheet: &str) -> Vec<Vec<Data>> {
    let mut book = open_workbook_auto(file).expect("open");
    let range = book.worksheet_range(sheet).expect("sheet");
    range.rows().skip(1).map(<[Data]>::to_vec).collect()
}

/// 2024-07-01 and 2024-09-30 as Excel serial days.
const Q3: (i64, i64) = (45474, 45565);

/// Each 明细 row's value in `column` for the KPI or item `kpi`, by 工号.
fn details(out: &Path, kpi: &str, column: &str) -> BTreeMap<String, String> {
    let table = read_sheet(&out.join("summary.xlsx"), "明细");
    let (id, k, c) = (
        col(&table, "工号"),
        col(&table, "指标编号"),
        col(&table, column),
    );
    table[1..]
        .iter()
        .filter(|r| r[k] == kpi)
        .map(|r| (r[id].clone(), r[c].clone()))
        .collect()
}

#[test]
fn the_committed_product_example_is_what_sample_writes() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = common::appraise()
        .current_dir(tmp.path())
        .args([
            "sample",
            "--example",
            "product",
            "--out",
            "samples/product-2024Q3",
        ])
        .output()
        .expect("run appraise sample");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    common::assert_same_files(
        &tmp.path().join("samples/product-2024Q3"),
        &inputs(),
        "run `rm -r samples/product-2024Q3 && cargo run -- sample --example product --out samples/product-2024Q3`",
    );
}

#[test]
fn the_example_scores_one_department_out_of_the_branch_roster() {
    let out = common::appraise()
        .args(["check", SCHEME, "--lang", "en"])
        .output()
        .expect("run check");
    let said = common::stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let roster = rows(&inputs().join("roster.xlsx"), "花名册");
    let inside = roster
        .iter()
        .filter(|r| r[4] == Data::String("政企产品部".into()))
        .count();
    let outside = roster.len() - inside;
    assert!(inside > 0 && outside > 0);
    assert!(said.contains(&format!("{inside} employees")), "{said}");
    assert!(
        said.contains(&format!("{outside} people outside the roster's `where`")),
        "{said}"
    );
    // The three team leaders are too few for the quota: said, not hidden.
    assert!(said.contains("产品班组长 / 政企产品部 (3)"), "{said}");
}

#[test]
fn the_answer_rate_is_the_share_of_the_quarters_requests_answered_within_three_days() {
    let (_tmp, out) = run();
    // (raised in Q3, answered within 3 days) per 工号, from the request log.
    let mut counts: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    for r in rows(&inputs().join("requests.xlsx"), "方案需求") {
        let raised = day(&r[5]).expect("every request has a date");
        if raised < Q3.0 || raised > Q3.1 {
            continue;
        }
        let c = counts.entry(r[1].to_string()).or_default();
        c.0 += 1;
        if day(&r[6]).is_some_and(|answered| answered - raised <= 3) {
            c.1 += 1;
        }
    }
    let shown = details(&out, "answer_rate", "实际值");
    let managers: Vec<&String> = shown.keys().collect();
    assert!(
        managers.len() >= 18,
        "product managers and leaders: {managers:?}"
    );
    for (id, value) in &shown {
        let (raised, in_3) = counts.get(id).copied().unwrap_or_default();
        let expected = if raised == 0 {
            1.0
        } else {
            f64::from(in_3) / f64::from(raised)
        };
        let value: f64 = value.parse().expect("a number");
        assert!(
            (value - expected).abs() < 1e-12,
            "{id}: {value} ≠ {in_3}/{raised}"
        );
    }
    // Not everyone answers everything in time: the rule has work to do.
    assert!(counts.values().any(|&(n, k)| k < n));
}

#[test]
fn safety_incidents_cost_two_points_each_up_to_ten_and_a_major_one_zeroes_the_total() {
    let (_tmp, out) = run();
    let mut ordinary: BTreeMap<String, i64> = BTreeMap::new();
    let mut major = Vec::new();
    for r in rows(&inputs().join("incidents.xlsx"), "安全事件") {
        let when = day(&r[2]).expect("dated");
        if when < Q3.0 || when > Q3.1 {
            continue;
        }
        match r[3].to_string().as_str() {
            "一般" => *ordinary.entry(r[0].to_string()).or_default() += 1,
            "重大" => major.push(r[0].to_string()),
            other => panic!("level {other}"),
        }
    }
    let summary = read_sheet(&out.join("summary.xlsx"), "汇总");
    let (id, adj, total) = (
        col(&summary, "工号"),
        col(&summary, "加减分"),
        col(&summary, "总分"),
    );
    let mut capped = 0;
    for row in &summary[1..] {
        let n = ordinary.get(&row[id]).copied().unwrap_or(0);
        let expected = -(2 * n).min(10);
        capped += usize::from(2 * n > 10);
        assert_eq!(row[adj], expected.to_string(), "{}", row[id]);
        if major.contains(&row[id]) {
            assert_eq!(row[total], "0", "{}: a major incident", row[id]);
        }
    }
    assert_eq!(major.len(), 1);
    assert_eq!(capped, 1, "the example shows the cap of 10 points");
}

#[test]
fn the_team_leaders_share_the_product_managers_kpis_in_one_column_each() {
    let (_tmp, out) = run();
    let leaders = details(&out, "answer_rate", "权重");
    let weights: Vec<&str> = read_sheet(&inputs().join("roster.xlsx"), "花名册")
        .iter()
        .filter(|r| r[2] == "产品班组长")
        .map(|r| leaders.get(&r[0]).map_or("missing", String::as_str))
        .collect();
    assert_eq!(
        weights,
        ["15", "15", "15"],
        "the leaders' own weight for a shared KPI"
    );
    // One column per KPI of 汇总·政企产品经理 and 汇总·产品班组长, each KPI once.
    for sheet in ["汇总·政企产品经理", "汇总·产品班组长"] {
        let header = &read_sheet(&out.join("summary.xlsx"), sheet)[0];
        let answer: Vec<&String> = header
            .iter()
            .filter(|h| h.contains("方案需求3天答复率"))
            .collect();
        assert_eq!(answer.len(), 1, "{sheet}: {header:?}");
    }
    let explained = common::appraise()
        .args([
            "explain",
            SCHEME,
            "HF10001",
            "--kpi",
            "answer_rate",
            "--lang",
            "zh",
        ])
        .output()
        .expect("explain");
    let said = common::stdout(&explained);
    assert!(
        said.contains("政企产品经理"),
        "where the KPI came from: {said}"
    );
}
