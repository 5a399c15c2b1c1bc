//! Issue 16: the employee's workbook shows each KPI in its own terms
//! (rates as percentages, counts as numbers, lower-is-better and growth
//! KPIs explained, a voided KPI at 0), the KPI's name first, an answer
//! sheet that says how, what and by when, and no word of the other
//! language in any workbook of a run, apart from the data.

use calamine::{Data, Reader, open_workbook_auto};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::common::{appraise_ok as ok, cell_text, path_str as s};

/// A sample of `n` people and its runs in Chinese and English.
struct Quarter {
    _tmp: tempfile::TempDir,
    sample: PathBuf,
    zh: PathBuf,
    en: PathBuf,
}

fn quarter(n: &str) -> Quarter {
    let tmp = tempfile::tempdir().expect("tempdir");
    let sample = tmp.path().join("s");
    ok(&["sample", "--out", s(&sample), "--employees", n]);
    let scheme = sample.join("appraisal.toml");
    let zh = tmp.path().join("zh");
    let en = tmp.path().join("en");
    ok(&["run", s(&scheme), "--out", s(&zh)]);
    ok(&["run", s(&scheme), "--out", s(&en), "--lang", "en"]);
    Quarter {
        _tmp: tmp,
        sample,
        zh,
        en,
    }
}

fn xlsx_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "xlsx") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Every string of the scheme (keys and values) and of the input
/// workbooks (cells and sheet names): the data a workbook may quote in
/// whatever language it is written in.
fn data_strings(sample: &Path) -> Vec<String> {
    fn walk(v: &toml::Value, out: &mut BTreeSet<String>) {
        match v {
            toml::Value::String(s) => {
                out.insert(s.clone());
            }
            toml::Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            toml::Value::Table(t) => {
                for (k, x) in t {
                    out.insert(k.clone());
                    walk(x, out);
                }
            }
            _ => {}
        }
    }
    let mut set = BTreeSet::new();
    let text = std::fs::read_to_string(sample.join("appraisal.toml")).expect("scheme");
    let scheme: toml::Value = toml::from_str(&text).expect("scheme parses");
    walk(&scheme, &mut set);
    for f in xlsx_under(sample) {
        let mut wb = open_workbook_auto(&f).expect("open input");
        for name in wb.sheet_names() {
            set.insert(name.clone());
            let r = wb.worksheet_range(&name).expect("sheet");
            for c in r.used_cells() {
                if let Data::String(t) = c.2 {
                    set.insert(t.clone());
                }
            }
        }
    }
    let mut v: Vec<String> = set.into_iter().filter(|x| x.chars().count() >= 2).collect();
    v.sort_by_key(|x| std::cmp::Reverse(x.len()));
    v
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF)
}

/// ASCII words of two letters or more left in `t`, other than what is
/// not English: all-capital abbreviations (ARPU, RVC, SHA), hex digests,
/// file names, and the program's name.
fn english_words(t: &str) -> Vec<String> {
    t.split(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == '-'))
        .filter(|tok| {
            let letters = tok.chars().filter(|c| c.is_ascii_alphabetic()).count();
            let file = [".xlsx", ".toml", ".json"].iter().any(|x| tok.ends_with(x));
            let hex = tok.len() >= 16 && tok.chars().all(|c| c.is_ascii_hexdigit());
            let caps = tok.chars().all(|c| !c.is_ascii_lowercase());
            letters >= 2 && !file && !hex && !caps && *tok != "appraise"
        })
        .map(String::from)
        .collect()
}

/// Every string cell of every workbook of `run` (but the hidden seal
/// sheet, which no one reads) that, without the data, still holds what
/// `bad` finds: (workbook, sheet, cell, text) of each.
fn offending(
    run: &Path,
    data: &[String],
    is_data: impl Fn(&str) -> bool,
    bad: impl Fn(&str) -> bool,
) -> Vec<String> {
    let data: Vec<&String> = data.iter().filter(|d| is_data(d)).collect();
    let mut found = Vec::new();
    for f in xlsx_under(run) {
        let mut wb = open_workbook_auto(&f).expect("open output");
        for name in wb.sheet_names() {
            if name == "_appraise" {
                continue;
            }
            let r = wb.worksheet_range(&name).expect("sheet");
            for (row, col, c) in r.used_cells() {
                let Data::String(t) = c else { continue };
                if !bad(t) {
                    continue;
                }
                let mut rest = t.clone();
                for d in &data {
                    if rest.contains(d.as_str()) {
                        rest = rest.replace(d.as_str(), " ");
                    }
                }
                if bad(&rest) {
                    let file = f.file_name().map(|x| x.to_string_lossy().to_string());
                    found.push(format!(
                        "{} [{name}] r{} c{}: {t}",
                        file.unwrap_or_default(),
                        row + 1,
                        col + 1
                    ));
                }
            }
        }
    }
    found
}

// issue 16: `--lang en` left "第5行（共1行）", grade notes and more in
// Chinese; the Chinese run must hold no English beyond ids and data.
#[test]
fn each_language_run_holds_no_word_of_the_other_but_the_data() {
    let q = quarter("20");
    let data = data_strings(&q.sample);
    let has_cjk = |t: &str| t.chars().any(is_cjk);
    let chinese = offending(&q.en, &data, has_cjk, has_cjk);
    assert!(
        chinese.is_empty(),
        "Chinese left in the English run:\n{}",
        chinese.join("\n")
    );
    let has_ascii = |t: &str| t.chars().any(|c| c.is_ascii_alphabetic());
    let english = offending(&q.zh, &data, has_ascii, |t| !english_words(t).is_empty());
    assert!(
        english.is_empty(),
        "English left in the Chinese run:\n{}",
        english.join("\n")
    );
}

/// The KPI rows of a result sheet: (header, rows), each row as cells.
fn kpi_table(book: &Path, sheet: &str, first_head: &str) -> (Vec<String>, Vec<Vec<Data>>) {
    let mut wb = open_workbook_auto(book).expect("open");
    let r = wb.worksheet_range(sheet).expect("result sheet");
    let rows: Vec<Vec<Data>> = r.rows().map(|x| x.to_vec()).collect();
    let h = rows
        .iter()
        .position(|x| x.first().map(cell_text).as_deref() == Some(first_head))
        .expect("KPI header");
    let heads = rows[h].iter().map(cell_text).collect();
    let body = rows[h + 1..]
        .iter()
        .take_while(|x| x.first().is_some_and(|c| !cell_text(c).is_empty()))
        .cloned()
        .collect();
    (heads, body)
}

fn account_managers(run: &Path) -> Vec<PathBuf> {
    xlsx_under(&run.join("feedback"))
        .into_iter()
        .filter(|p| {
            let mut wb = open_workbook_auto(p).expect("open");
            let r = wb.worksheet_range("考核结果").expect("result");
            r.rows()
                .any(|x| x.iter().any(|c| cell_text(c) == "客户经理"))
        })
        .collect()
}

// issue 16: 集团成员流失率 showed 完成率 158.80 %, 收入同比增长 实际 589.13
// against 目标 0.05, rates as 0.82, "[-∞, 80)" and "查矩阵第3行第2列".
#[test]
fn every_kpi_is_shown_in_its_own_terms() {
    let q = quarter("12");
    let books = account_managers(&q.zh);
    assert!(!books.is_empty());
    let mut seen = BTreeSet::new();
    for b in &books {
        let (heads, rows) = kpi_table(b, "考核结果", "指标");
        assert_eq!(&heads[..5], ["指标", "编号", "实际值", "目标值", "达成度"]);
        let col = |h: &str| heads.iter().position(|x| x == h).expect(h);
        let (why, score, weighted) = (col("计分说明"), col("得分系数"), col("加权得分"));
        for r in &rows {
            let (name, id) = (cell_text(&r[0]), cell_text(&r[1]));
            let text = cell_text(&r[why]);
            assert!(!text.contains('∞') && !text.contains("矩阵第"), "{text}");
            if text.contains("一票否决") {
                assert_eq!(r[score], Data::Float(0.0), "{name}: voided scores 0");
                assert_eq!(r[weighted], Data::Float(0.0), "{name}");
                seen.insert("voided");
                continue;
            }
            match id.as_str() {
                "churn" if text.starts_with("本指标") || text.contains("达成度") => {
                    assert!(text.starts_with("本指标越低越好：实际 "), "{text}");
                    assert!(text.contains("达成度"), "{text}");
                    // The 达成度 is the rule's result, the score before
                    // its floor and cap: never above 100 % when the
                    // actual is above the target.
                    let (a, t, got) = (num(&r[2]), num(&r[3]), num(&r[4]));
                    assert!((got - (2.0 - a / t)).abs() < 1e-4, "{name}: {got}");
                    if a > t {
                        assert!(got < 1.0, "{name}: {got}");
                    }
                    seen.insert("inverse");
                }
                "revenue_growth" if text.starts_with("基期") => {
                    for w in ["本期", "增长率", "目标增长率", "达成度"] {
                        assert!(text.contains(w), "{text}");
                    }
                    assert!(text.contains("目标增长率 5%"), "{text}");
                    seen.insert("growth");
                }
                "collection" if text.starts_with("两项") => {
                    assert!(text.contains("回款质量完成率"), "{text}");
                    assert!(text.contains("收入完成率"), "{text}");
                    assert!(text.contains("”档"), "{text}");
                    seen.insert("matrix");
                }
                "satisfaction" if text.starts_with("实际") => {
                    let in_words = ["“低于 80”", "“80–90”", "“90–95”", "“95 及以上”"];
                    assert!(in_words.iter().any(|w| text.contains(w)), "{text}");
                    assert!(!text.contains('%'), "{text}");
                    seen.insert("bands");
                }
                _ => {}
            }
        }
    }
    for what in ["inverse", "growth", "matrix", "bands"] {
        assert!(seen.contains(what), "no {what} KPI in the sample");
    }
    formats_by_unit(&books[0]);
}

fn num(d: &Data) -> f64 {
    match d {
        Data::Float(x) => *x,
        Data::Int(i) => *i as f64,
        other => panic!("not a number: {other:?}"),
    }
}

/// Rates carry a percentage format, counts and amounts do not; every
/// value is a number, never text.
fn formats_by_unit(book: &Path) {
    let bytes = std::fs::read(book).expect("read");
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let styles = {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut z.by_name("xl/styles.xml").expect("styles"), &mut s)
            .expect("read styles");
        s
    };
    let sheet = {
        let mut s = String::new();
        std::io::Read::read_to_string(
            &mut z.by_name("xl/worksheets/sheet1.xml").expect("sheet1"),
            &mut s,
        )
        .expect("read sheet");
        s
    };
    // The percentage format's id, and the cell styles using it.
    let pct_id = styles
        .split("<numFmt ")
        .find(|x| x.contains("formatCode=\"0.00%\""))
        .and_then(|x| x.split("numFmtId=\"").nth(1))
        .and_then(|x| x.split('"').next())
        .unwrap_or("10")
        .to_string();
    let xfs: Vec<&str> = styles
        .split("<cellXfs")
        .nth(1)
        .expect("cellXfs")
        .split("<xf ")
        .skip(1)
        .collect();
    let pct_styles: BTreeSet<usize> = xfs
        .iter()
        .enumerate()
        .filter(|(_, x)| x.contains(&format!("numFmtId=\"{pct_id}\"")))
        .map(|(i, _)| i)
        .collect();
    let (_, rows) = kpi_table(book, "考核结果", "指标");
    let style_of = |cell: &str| -> Option<usize> {
        let at = sheet.find(&format!("<c r=\"{cell}\""))?;
        let tag = &sheet[at..at + sheet[at..].find('>')?];
        tag.split("s=\"").nth(1)?.split('"').next()?.parse().ok()
    };
    let first = {
        let mut wb = open_workbook_auto(book).expect("open");
        let r = wb.worksheet_range("考核结果").expect("result");
        r.rows()
            .position(|x| x.first().map(cell_text).as_deref() == Some("指标"))
            .expect("header")
            + 2
    };
    let mut checked = 0;
    for (i, r) in rows.iter().enumerate() {
        let row = first + i;
        let id = cell_text(&r[1]);
        let (pct, plain) = match id.as_str() {
            "churn" | "forecast" | "customer_coverage" => (true, false),
            "satisfaction" | "project_signed" | "arpu" => (false, true),
            _ => continue,
        };
        let c = format!("C{row}");
        assert!(matches!(r[2], Data::Float(_)), "{id} C: {:?}", r[2]);
        let is_pct = style_of(&c).is_some_and(|s| pct_styles.contains(&s));
        assert!(!pct || is_pct, "{id}: a rate is shown as a percentage");
        assert!(
            !plain || !is_pct,
            "{id}: a count or an amount is not a percentage"
        );
        checked += 1;
    }
    assert!(checked >= 3, "{}", book.display());
}

// issue 16: the answer sheet asked about monitor-only KPIs and did not say
// how to return it, what to fill or by when.
#[test]
fn the_answer_sheet_asks_only_about_scored_kpis_and_says_how_what_and_when() {
    let q = quarter("8");
    for (run, sheet, monitor) in [(&q.zh, "员工反馈", "监控"), (&q.en, "Feedback", "监控")]
    {
        for b in xlsx_under(&run.join("feedback")) {
            let mut wb = open_workbook_auto(&b).expect("open");
            let r = wb.worksheet_range(sheet).expect("answer sheet");
            let text: Vec<String> = r.rows().flat_map(|x| x.iter().map(cell_text)).collect();
            let all = text.join("\n");
            assert!(
                !all.contains(monitor),
                "{}: a monitor KPI is asked",
                b.display()
            );
            if run == &q.zh {
                for w in [
                    "必须填写",
                    "可以不填",
                    "交回班组长",
                    "2024-10-18（含）前交回",
                ] {
                    assert!(all.contains(w), "{}: no {w}", b.display());
                }
            } else {
                for w in [
                    "Must be filled",
                    "May be left empty",
                    "Return it by 2024-10-18",
                ] {
                    assert!(all.contains(w), "{}: no {w}", b.display());
                }
            }
        }
    }
}

// issue 16: how the workbook goes back is the scheme's to say, in one line.
#[test]
fn a_blank_return_to_is_refused_and_a_given_one_is_shown() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let sample = tmp.path().join("s");
    ok(&["sample", "--out", s(&sample), "--employees", "4"]);
    let scheme = sample.join("appraisal.toml");
    let text = std::fs::read_to_string(&scheme).expect("scheme");
    let line = "return_to = \"交回班组长，由班组长汇总后交人力资源部\"";
    assert!(text.contains(line));
    std::fs::write(&scheme, text.replace(line, "return_to = \"  \"")).expect("write");
    let o = crate::common::appraise()
        .args(["check", s(&scheme)])
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(78));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("return_to"), "{err}");
    let to = "发送至人力资源部 王敏（hr@example.com）";
    std::fs::write(
        &scheme,
        text.replace(line, &format!("return_to = \"{to}\"")),
    )
    .expect("write");
    let run = tmp.path().join("run");
    ok(&["run", s(&scheme), "--out", s(&run)]);
    let b = xlsx_under(&run.join("feedback")).remove(0);
    let mut wb = open_workbook_auto(&b).expect("open");
    let r = wb.worksheet_range("员工反馈").expect("answer sheet");
    assert!(
        r.rows()
            .flatten()
            .any(|c| cell_text(c).ends_with(&format!("{to}。"))),
        "{}",
        b.display()
    );
}
