//! Issue 3 review: people scored provisionally are marked in every sheet of
//! summary.xlsx that lists them, and `--lang en` writes sources and headers
//! in English. Runs the real binary on the generated sample branch, whose
//! one unresolved conflict (P2024-134's contract value) leaves two people
//! provisional.

use crate::common::{appraise as bin, col, read_sheet as read};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The sample branch, scored in `lang`; the summary's path.
fn scored(dir: &Path, lang: &str) -> PathBuf {
    let sample = dir.join("sample");
    if !sample.exists() {
        let out = bin()
            .arg("sample")
            .arg("--out")
            .arg(&sample)
            .output()
            .expect("sample");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out_dir = dir.join(lang);
    let out = bin()
        .arg("run")
        .arg(sample.join("appraisal.toml"))
        .arg("--out")
        .arg(&out_dir)
        .args(["--force", "--lang", lang])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out_dir.join("summary.xlsx")
}

#[test]
fn provisional_people_are_marked_in_every_sheet_that_lists_them() {
    let tmp = tempfile::tempdir().expect("tmp");
    let summary = scored(tmp.path(), "zh");
    let sum = read(&summary, "汇总");
    let (id, notes) = (col(&sum, "工号"), col(&sum, "备注"));
    let provisional: BTreeSet<String> = sum[1..]
        .iter()
        .filter(|r| r[notes].contains("暂定：对账未决"))
        .map(|r| r[id].clone())
        .collect();
    assert_eq!(
        provisional,
        BTreeSet::from(["HF00105".to_string(), "HF00120".to_string()])
    );
    for (sheet, id_header) in [
        ("节点进度", "工号"),
        ("短板比对", "工号"),
        ("预警", "客户经理工号"),
        ("产品渗透", "工号"),
        ("RVC", "工号"),
    ] {
        let rows = read(&summary, sheet);
        let (id, status) = (col(&rows, id_header), col(&rows, "状态"));
        let mut marked = 0;
        for r in &rows[1..] {
            let want = if provisional.contains(&r[id]) {
                "暂定"
            } else {
                ""
            };
            assert_eq!(r[status], want, "{sheet}: {r:?}");
            marked += usize::from(!want.is_empty());
        }
        assert!(marked > 0, "{sheet} lists no provisional person");
    }
    // 分布: each group says how many of it are provisional.
    let dist = read(&summary, "分布");
    let note = col(&dist, "说明");
    let counted: usize = dist[1..]
        .iter()
        .filter_map(|r| {
            let n = r[note].split("其中 ").nth(1)?.split(" 人暂定").next()?;
            n.parse::<usize>().ok()
        })
        .sum();
    assert_eq!(counted, provisional.len());

    // 明细: the mark sits on the project that is provisional, only on
    // values that read the disputed field (the contract value).
    let detail = read(&summary, "明细");
    let (id, kpi, from) = (
        col(&detail, "工号"),
        col(&detail, "指标编号"),
        col(&detail, "实际值来源"),
    );
    let src = |who: &str, k: &str| {
        detail
            .iter()
            .find(|r| r[id] == who && r[kpi] == k)
            .unwrap_or_else(|| panic!("no detail {who} {k}"))[from]
            .clone()
    };
    // P2024-134 was signed before the period: HF00105's 签约额 is settled.
    assert_eq!(src("HF00105", "project_signed"), "对账: P2024-133");
    assert_eq!(
        src("HF00105", "project_collection"),
        "对账: P2024-134（暂定）"
    );
    // Satisfaction does not read the contract value.
    assert!(!src("HF00120", "delivery_satisfaction").contains("暂定"));
    assert!(src("HF00120", "collection").ends_with("P2024-134（暂定）"));
    for r in &detail[1..] {
        if r[from].contains("暂定") {
            assert!(provisional.contains(&r[id]), "{r:?}");
        }
        assert!(
            !r[from].contains(" rows "),
            "English in a zh workbook: {r:?}"
        );
    }
}

#[test]
fn english_workbooks_write_english_sources_and_headers() {
    let tmp = tempfile::tempdir().expect("tmp");
    let summary = scored(tmp.path(), "en");
    let rvc = read(&summary, "RVC");
    for h in ["R retention", "V value", "C contribution", "Status"] {
        col(&rvc, h);
    }
    let detail = read(&summary, "Details");
    let (actual, target) = (col(&detail, "Actual from"), col(&detail, "Target from"));
    let sources: Vec<&String> = detail[1..]
        .iter()
        .flat_map(|r| [&r[actual], &r[target]])
        .filter(|s| !s.is_empty())
        .collect();
    for s in &sources {
        for zh in ["常量", "公式指标", "对账", "暂定", "行（共"] {
            assert!(!s.contains(zh), "Chinese source in an en workbook: {s}");
        }
    }
    for want in ["constant ", "formula metric ", "reconciled: ", " rows "] {
        assert!(
            sources.iter().any(|s| s.contains(want)),
            "no source with `{want}`"
        );
    }
    assert!(
        sources
            .iter()
            .any(|s| s.ends_with("P2024-134 (provisional)"))
    );
    let recon = read(&summary, "Reconciliation");
    let policy = col(&recon, "Policy");
    assert_eq!(recon[1][policy], "needs decision");
    let marks = read(&summary, "Weak spots");
    let status = col(&marks, "Status");
    assert!(marks.iter().any(|r| r[status] == "provisional"));
}
