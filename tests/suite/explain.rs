//! `appraise explain` (issue 5) prints the workbook's numbers: every KPI's
//! weighted score and the total it shows are the ones in summary.xlsx.

use crate::common;
use crate::common::{Workdir, stdout};
use calamine::{Data, Reader, Xlsx, open_workbook};

/// The number after the last `→ ` (or `= `) on the line starting with `label`.
fn value(text: &str, label: &str) -> Vec<f64> {
    text.lines()
        .filter(|l| l.trim_start().starts_with(label))
        .filter_map(|l| {
            let tail = l.rsplit_once("→ ").or_else(|| l.rsplit_once("= "))?.1;
            tail.split_whitespace().next()?.parse().ok()
        })
        .collect()
}

#[test]
fn explain_shows_the_numbers_of_the_summary() {
    let w = Workdir::new();
    let o = w.run(&["run", "appraisal.toml", "--out", "out"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut book: Xlsx<_> = open_workbook(w.path("out/summary.xlsx")).expect("summary");
    let summary = book.worksheet_range("汇总").expect("汇总");
    let header: Vec<String> = summary
        .rows()
        .next()
        .expect("header")
        .iter()
        .map(|d| d.to_string())
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    // Each KPI's weighted points, on the sheet of the person's role
    // (issue 16), in the order of the role's KPIs.
    let mut points: std::collections::HashMap<String, Vec<f64>> = Default::default();
    for name in book.sheet_names() {
        if !name.starts_with("汇总·") {
            continue;
        }
        let sheet = book.worksheet_range(&name).expect("role sheet");
        let heads: Vec<String> = sheet
            .rows()
            .next()
            .expect("header")
            .iter()
            .map(|d| d.to_string())
            .collect();
        let kpis: Vec<usize> = (0..heads.len())
            .filter(|&c| heads[c].ends_with("（加权得分）"))
            .collect();
        for r in sheet.rows().skip(1) {
            let v = kpis.iter().map(|&c| match &r[c] {
                Data::Float(f) => *f,
                Data::Int(i) => *i as f64,
                other => panic!("{other:?}"),
            });
            points.insert(r[0].to_string(), v.collect());
        }
    }
    for row in summary.rows().skip(1) {
        let id = row[0].to_string();
        let e = w.run(&["explain", "appraisal.toml", &id]);
        assert_eq!(e.status.code(), Some(0));
        let text = stdout(&e);
        let num = |d: &Data| match d {
            Data::Float(f) => *f,
            Data::Int(i) => *i as f64,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            value(&text, "total"),
            vec![num(&row[col("总分")])],
            "{id}:\n{text}"
        );
        let weighted = value(&text, "weighted");
        assert_eq!(weighted, points[&id], "{id}:\n{text}");
        assert!(
            text.contains(&format!("final     {}", row[col("等级")])),
            "{id}:\n{text}"
        );
    }
}

#[test]
fn explain_one_kpi_and_unknown_ids() {
    let w = Workdir::new();
    let o = w.run(&[
        "explain",
        "appraisal.toml",
        "E02",
        "--kpi",
        "visits",
        "--lang",
        "en",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    assert!(text.contains("KPI visits 走访 (weight 40)"), "{text}");
    assert!(
        text.contains("  actual    visits = 8  from data.xlsx [指标]!D3"),
        "{text}"
    );
    assert!(
        text.contains("  why       8 falls in the band [-∞, 10): scores 0.5"),
        "{text}"
    );
    assert!(!text.contains("KPI revenue"), "{text}");
    let o = w.run(&["explain", "appraisal.toml", "E9"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        common::err_lines(&o)[0],
        "explain: no employee `E9` in the roster roster.xlsx [花名册]; ids look like: E01, E02, E03"
    );
    let o = w.run(&["explain", "appraisal.toml", "E01", "--kpi", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        common::err_lines(&o)[0],
        "explain: role `am` has no KPI `nope`; its KPIs are: revenue, visits"
    );
}
