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
        text.contains("  why       actual 8, in the band “below 10”: score 0.5"),
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
        "explain: role `am` has no KPI `nope`; its KPIs (id or name) are: revenue (收入完成率), visits (走访)"
    );
}

// Issue 16: `--lang zh` labels the explanation in Chinese, and `--kpi`
// takes the KPI's Chinese name as well as its id.
#[test]
fn explain_in_chinese_by_the_kpi_name() {
    let w = Workdir::new();
    let o = w.run(&[
        "explain",
        "appraisal.toml",
        "E02",
        "--kpi",
        "走访",
        "--lang",
        "zh",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("指标 visits 走访（权重 40）"), "{text}");
    assert!(
        text.contains("  实际值    visits = 8  来自 data.xlsx [指标]!D3"),
        "{text}"
    );
    assert!(text.contains("\n  说明      "), "{text}");
    assert!(text.contains("\n  加权得分  "), "{text}");
    for english in [
        "KPI ", "actual", "weight", "why", "roster:", "scheme:", "from ",
    ] {
        assert!(!text.contains(english), "{english} in:\n{text}");
    }
    assert!(!text.contains("指标 revenue"), "{text}");
    // The same KPI by its id gives the same text.
    let by_id = w.run(&[
        "explain",
        "appraisal.toml",
        "E02",
        "--kpi",
        "visits",
        "--lang",
        "zh",
    ]);
    assert_eq!(stdout(&by_id), text);
    let o = w.run(&[
        "explain",
        "appraisal.toml",
        "E01",
        "--kpi",
        "nope",
        "--lang",
        "zh",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        common::stderr(&o).lines().next().unwrap_or(""),
        "错误: explain：岗位 `am` 没有指标 `nope`；它的指标（编号与名称均可）：revenue (收入完成率), visits (走访)"
    );
}

// issue 17: the words of `explain` live in `text::explain_steps`, the command
// only finds the person and prints: what the binary prints, for a whole person
// and for one KPI in either language, is exactly what `explain_steps::person`
// writes for the same scheme.
#[test]
fn explain_prints_what_text_explain_steps_writes() {
    use appraise::lang::Lang;
    let w = Workdir::new();
    let scheme = w.path("appraisal.toml");
    let scheme = common::path_str(&scheme);
    let mut config = appraise::config::load(std::path::Path::new(scheme)).expect("scheme");
    let scored = appraise::pipeline::score(&mut config, &mut |_| {}).expect("scored");
    for (id, kpi, lang) in [
        ("E01", None, Lang::Zh),
        ("E02", Some("visits"), Lang::En),
        ("E03", Some("revenue"), Lang::Zh),
    ] {
        let emp = scored.data.index[id];
        let p = scored
            .outcome
            .people
            .iter()
            .find(|p| p.emp == emp)
            .expect("scored person");
        let words = appraise::text::explain_steps::person(
            &config,
            &scored.data,
            &scored.outcome,
            &scored.recon,
            p,
            kpi,
            lang,
        )
        .expect("explained");
        let mut args = vec!["explain", scheme, id];
        if let Some(k) = kpi {
            args.extend(["--kpi", k]);
        }
        args.extend(["--lang", if lang == Lang::En { "en" } else { "zh" }]);
        let o = w.run(&args);
        assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
        assert_eq!(stdout(&o), words, "{args:?}");
        assert!(words.contains(&format!("{id} ")), "{words}");
    }
}
