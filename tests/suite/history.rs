//! History across quarters (issue 18): `sample --quarters 4`, `[history]`
//! read through each earlier run's manifest.json, 汇总's previous quarter,
//! the 迁移 sheet, each person's own trend, and the year's result.

use crate::common::*;
use calamine::{Data, Reader, open_workbook_auto};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const QUARTERS: [&str; 4] = ["2024Q1", "2024Q2", "2024Q3", "2024Q4"];

/// Four quarters of a 40-person branch, each run in turn with its
/// `[history]` (the last one with its feedback workbooks), shared by the
/// tests that only read them.
fn four_quarters() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        appraise_ok(&[
            "sample",
            "--quarters",
            "4",
            "--employees",
            "40",
            "--out",
            path_str(d),
        ]);
        for q in QUARTERS {
            let scheme = d.join(q).join("appraisal.toml");
            let out = d.join("out").join(q);
            let mut args = vec!["run", path_str(&scheme), "--out", path_str(&out), "-q"];
            if q != "2024Q4" {
                args.push("--no-feedback");
            }
            appraise_ok(&args);
        }
        dir
    })
    .path()
}

fn summary(dir: &Path, q: &str) -> PathBuf {
    dir.join("out").join(q).join("summary.xlsx")
}

/// 工号 → (总分, 等级) of a run's 汇总.
fn totals(path: &Path) -> BTreeMap<String, (String, String)> {
    let t = read_sheet(path, "汇总");
    let (id, total, grade) = (col(&t, "工号"), col(&t, "总分"), col(&t, "等级"));
    t[1..]
        .iter()
        .map(|r| (r[id].clone(), (r[total].clone(), r[grade].clone())))
        .collect()
}

// issue 18
#[test]
fn each_quarter_shows_the_previous_quarters_totals_and_marks_who_joined() {
    let d = four_quarters();
    let (mut joined, mut left) = (0, 0);
    for pair in QUARTERS.windows(2) {
        let before = totals(&summary(d, pair[0]));
        let t = read_sheet(&summary(d, pair[1]), "汇总");
        let (id, prev, prev_grade, change, total) = (
            col(&t, "工号"),
            col(&t, "上期总分"),
            col(&t, "上期等级"),
            col(&t, "变化"),
            col(&t, "总分"),
        );
        for r in &t[1..] {
            match before.get(&r[id]) {
                Some((was, grade)) => {
                    assert_eq!(&r[prev], was, "{} {}", pair[1], r[id]);
                    assert_eq!(&r[prev_grade], grade, "{} {}", pair[1], r[id]);
                    let d = |s: &str| s.parse::<rust_decimal::Decimal>().expect("number");
                    let expected = d(&r[total]) - d(was);
                    let shown: f64 = r[change].parse().expect("change");
                    assert!(
                        (shown - expected.to_string().parse::<f64>().expect("f64")).abs() < 1e-9,
                        "{} {}: change {shown} ≠ {expected}",
                        pair[1],
                        r[id]
                    );
                }
                None => {
                    // Not in the previous quarter: marked, not dropped.
                    assert_eq!(r[prev_grade], "新入", "{} {}", pair[1], r[id]);
                    assert_eq!(r[prev], "");
                    joined += 1;
                }
            }
        }
        // Who left is listed on 迁移, each with the previous total.
        let now: BTreeSet<&str> = t[1..].iter().map(|r| r[id].as_str()).collect();
        let m = read_sheet(&summary(d, pair[1]), "迁移");
        for (who, (was, _)) in before.iter().filter(|(k, _)| !now.contains(k.as_str())) {
            let row = m
                .iter()
                .find(|r| r.first() == Some(who))
                .unwrap_or_else(|| panic!("{}: leaver {who} not on 迁移", pair[1]));
            assert_eq!(&row[3], was);
            left += 1;
        }
    }
    assert!(joined > 0 && left > 0, "joined {joined}, left {left}");
}

// issue 18
#[test]
fn the_migration_matrix_counts_everyone_of_both_quarters() {
    let d = four_quarters();
    let before = totals(&summary(d, "2024Q3"));
    let after = totals(&summary(d, "2024Q4"));
    let m = read_sheet(&summary(d, "2024Q4"), "迁移");
    assert!(
        m[0][0].contains("2024Q3") && m[0][0].contains("2024Q4"),
        "{:?}",
        m[0]
    );
    let header = &m[1];
    let rows: Vec<&Vec<String>> = m[2..].iter().take_while(|r| !r[0].is_empty()).collect();
    let cell = |from: &str, to: &str| -> usize {
        let r = rows.iter().find(|r| r[0] == from).expect("row");
        let c = header.iter().position(|h| h == to).expect("column");
        r[c].parse::<f64>().expect("count") as usize
    };
    for from in ["A", "B", "C", "D"] {
        for to in ["A", "B", "C", "D"] {
            let n = after
                .iter()
                .filter(|(id, (_, g))| g == to && before.get(*id).is_some_and(|(_, p)| p == from))
                .count();
            assert_eq!(cell(from, to), n, "{from} → {to}");
        }
        let gone = before
            .iter()
            .filter(|(id, (_, g))| g == from && !after.contains_key(*id))
            .count();
        assert_eq!(cell(from, "离开"), gone, "{from} → 离开");
    }
    let new: usize = ["A", "B", "C", "D"].iter().map(|g| cell("新入", g)).sum();
    assert_eq!(
        new,
        after.keys().filter(|k| !before.contains_key(*k)).count()
    );
}

/// Every string and number cell of every sheet of a workbook.
fn every_cell(path: &Path) -> Vec<String> {
    let mut wb = open_workbook_auto(path).expect("open");
    let mut out = Vec::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).expect("sheet");
        for c in range.used_cells() {
            match c.2 {
                Data::String(s) => out.push(s.clone()),
                Data::Float(f) => out.push(f.to_string()),
                Data::Int(i) => out.push(i.to_string()),
                _ => {}
            }
        }
    }
    out
}

// issue 18
#[test]
fn a_feedback_workbook_holds_its_own_persons_history_and_nobody_elses() {
    let d = four_quarters();
    let runs: Vec<BTreeMap<String, (String, String)>> =
        QUARTERS.iter().map(|q| totals(&summary(d, q))).collect();
    // Everyone's 工号 and name across the year.
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for q in QUARTERS {
        let t = read_sheet(&summary(d, q), "汇总");
        let (id, name) = (col(&t, "工号"), col(&t, "姓名"));
        for r in &t[1..] {
            names.insert(r[id].clone(), r[name].clone());
        }
    }
    let mut checked = 0;
    for team in std::fs::read_dir(d.join("out/2024Q4/feedback"))
        .expect("ls")
        .flatten()
    {
        for f in std::fs::read_dir(team.path()).expect("ls").flatten() {
            let path = f.path();
            let cells = every_cell(&path);
            let own = names
                .keys()
                .find(|id| cells.iter().any(|c| c == *id))
                .expect("own id")
                .clone();
            for (id, name) in &names {
                if *id != own {
                    assert!(
                        !cells.iter().any(|c| c.contains(id.as_str()) || c == name),
                        "{}: holds {id} {name}",
                        path.display()
                    );
                }
            }
            // The trend: the person's own totals, quarter by quarter.
            let trend = read_sheet(&path, "历史趋势");
            let expected: Vec<(String, String)> = QUARTERS
                .iter()
                .zip(&runs)
                .filter_map(|(q, r)| r.get(&own).map(|(t, _)| (q.to_string(), t.clone())))
                .collect();
            let shown: Vec<(String, String)> = trend[1..]
                .iter()
                .map(|r| (r[0].clone(), r[1].clone()))
                .collect();
            assert_eq!(shown, expected, "{}", path.display());
            checked += 1;
        }
    }
    assert!(checked >= 40, "{checked} workbooks");
}

/// A copy of the four quarters' directory, to be spoilt.
fn copy_of(d: &Path) -> tempfile::TempDir {
    let to = tempfile::tempdir().expect("tempdir");
    let status = std::process::Command::new("cp")
        .args(["-r", "--"])
        .arg(d.join("."))
        .arg(to.path())
        .status()
        .expect("cp");
    assert!(status.success());
    to
}

fn run_q4(d: &Path) -> std::process::Output {
    appraise()
        .args(["run", "--no-feedback", "-q", "--out"])
        .arg(d.join("out/again"))
        .arg(d.join("2024Q4/appraisal.toml"))
        .output()
        .expect("run")
}

// issue 18
#[test]
fn a_previous_run_whose_summary_changed_is_refused_naming_the_file() {
    let copy = copy_of(four_quarters());
    let file = copy.path().join("out/2024Q2/summary.xlsx");
    let mut bytes = std::fs::read(&file).expect("read");
    bytes[200] ^= 1;
    std::fs::write(&file, bytes).expect("write");
    let o = run_q4(copy.path());
    assert_eq!(o.status.code(), Some(65), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("2024Q2/summary.xlsx"), "{err}");
    assert!(err.contains("SHA-256"), "{err}");
    assert!(!copy.path().join("out/again").exists());
}

// issue 18
#[test]
fn a_previous_run_whose_manifest_digest_changed_is_refused_naming_the_file() {
    let copy = copy_of(four_quarters());
    let file = copy.path().join("out/2024Q3/manifest.json");
    let text = std::fs::read_to_string(&file).expect("read");
    let m: serde_json::Value = serde_json::from_str(&text).expect("json");
    let digest = m["outputs"]["scores.json"]
        .as_str()
        .expect("digest")
        .to_string();
    let spoilt = text.replace(&digest, &"0".repeat(64));
    std::fs::write(&file, spoilt).expect("write");
    let o = run_q4(copy.path());
    assert_eq!(o.status.code(), Some(65), "{}", stderr(&o));
    assert!(stderr(&o).contains("2024Q3/scores.json"), "{}", stderr(&o));
}

// issue 18
#[test]
fn a_missing_previous_run_is_an_input_error_naming_its_manifest() {
    let copy = copy_of(four_quarters());
    std::fs::remove_dir_all(copy.path().join("out/2024Q1")).expect("rm");
    let o = run_q4(copy.path());
    assert_eq!(o.status.code(), Some(65), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("2024Q1/manifest.json"),
        "{}",
        stderr(&o)
    );
}

// issue 18
#[test]
fn a_run_of_a_later_period_in_history_is_a_scheme_error() {
    let copy = copy_of(four_quarters());
    let scheme = copy.path().join("2024Q2/appraisal.toml");
    let text = std::fs::read_to_string(&scheme).expect("read");
    std::fs::write(
        &scheme,
        text.replace(r#"runs = ["../out/2024Q1"]"#, r#"runs = ["../out/2024Q3"]"#),
    )
    .expect("write");
    let o = appraise()
        .args(["run", "--no-feedback", "-q", "--out"])
        .arg(copy.path().join("out/again"))
        .arg(&scheme)
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(78), "{}", stderr(&o));
    assert!(stderr(&o).contains("2024Q3"), "{}", stderr(&o));
}

// issue 18
#[test]
fn sample_with_quarters_writes_the_same_bytes_each_time() {
    let a = tempfile::tempdir().expect("tempdir");
    let b = tempfile::tempdir().expect("tempdir");
    for d in [&a, &b] {
        // From inside each directory: the schemes' comments name the
        // sample by the path given.
        let o = appraise()
            .args([
                "sample",
                "--quarters",
                "2",
                "--employees",
                "26",
                "--out",
                "s",
            ])
            .current_dir(d.path())
            .output()
            .expect("sample");
        assert!(o.status.success(), "{}", stderr(&o));
    }
    for q in ["2024Q3", "2024Q4"] {
        for f in std::fs::read_dir(a.path().join("s").join(q))
            .expect("ls")
            .flatten()
        {
            let other = b.path().join("s").join(q).join(f.file_name());
            assert!(
                std::fs::read(f.path()).expect("read") == std::fs::read(&other).expect("read"),
                "{} differs",
                other.display()
            );
        }
    }
    let q4 = std::fs::read_to_string(a.path().join("s/2024Q4/appraisal.toml")).expect("read");
    assert!(q4.contains("start = 2024-10-01") && q4.contains("end = 2024-12-31"));
    assert!(q4.contains(r#"runs = ["../out/2024Q3"]"#), "{q4}");
}

/// An annual scheme over `quarters` (paths relative to it).
fn annual_scheme(
    quarters: &[&str],
    weights: &str,
    partial: &str,
    min: usize,
    grades: &str,
) -> String {
    let q: Vec<String> = quarters.iter().map(|q| format!("\"{q}\"")).collect();
    format!(
        "[period]\nid = \"2024\"\n\n[annual]\nquarters = [{}]\nweights = {weights}\n\
         partial = \"{partial}\"\nmin_quarters = {min}\n\n{grades}",
        q.join(", ")
    )
}

const SAMPLE_GRADES: &str = r#"[grades]
scale = ["A", "B", "C", "D"]
cutoffs = [{ grade = "A", min = 90 }, { grade = "B", min = 80 }, { grade = "C", min = 60 }]

[grades.distribution]
group = "department"
min_group = 8
small_groups = "pool"
quotas = [
  { grade = "A", max = 0.2, rounding = "down" },
  { grade = "C", min = 0.1, rounding = "up" },
]
"#;

// issue 18
#[test]
fn the_annual_result_of_four_identical_quarters_equals_the_quarter() {
    let w = Workdir::new();
    for q in QUARTERS {
        w.write(
            &format!("{q}.toml"),
            &SCHEME.replacen(r#"id = "T1""#, &format!(r#"id = "{q}""#), 1),
        );
        let o = w.run(&[
            "run",
            &format!("{q}.toml"),
            "--out",
            &format!("out/{q}"),
            "-q",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let grades = &SCHEME[SCHEME.find("[grades]").expect("grades")..];
    let quarters: Vec<String> = QUARTERS.iter().map(|q| format!("out/{q}")).collect();
    let quarters: Vec<&str> = quarters.iter().map(String::as_str).collect();
    w.write(
        "year.toml",
        &annual_scheme(&quarters, "[25, 25, 25, 25]", "mean_of_present", 1, grades),
    );
    let o = w.run(&["run", "year.toml", "--out", "out/2024", "-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let quarter = totals(&w.path("out/2024Q4/summary.xlsx"));
    let year = read_sheet(&w.path("out/2024/summary.xlsx"), "全年汇总");
    let (id, total, grade) = (
        col(&year, "工号"),
        col(&year, "全年总分"),
        col(&year, "等级"),
    );
    assert_eq!(year.len() - 1, quarter.len());
    for r in &year[1..] {
        let (t, g) = &quarter[&r[id]];
        assert_eq!((&r[total], &r[grade]), (t, g), "{}", r[id]);
    }
    // The arithmetic, written out.
    let a = col(&year, "计算");
    let (t, _) = &quarter["E01"];
    let row = year.iter().find(|r| r[id] == "E01").expect("E01");
    assert!(
        row[a].contains("2024Q1") && row[a].contains("× 25") && row[a].contains("÷ 100"),
        "{}",
        row[a]
    );
    assert!(
        row[a].ends_with(&format!(
            "→ {}",
            rust_decimal::Decimal::from_str_exact(t)
                .map(|d| format!("{d:.2}"))
                .expect("total")
        )),
        "{}",
        row[a]
    );
}

/// Half away from zero, to two places.
fn round2(x: rust_decimal::Decimal) -> rust_decimal::Decimal {
    x.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

// issue 18
#[test]
fn an_annual_run_with_partial_presence_follows_the_documented_rule_exactly() {
    use rust_decimal::Decimal;
    let copy = copy_of(four_quarters());
    let d = copy.path();
    let runs: Vec<BTreeMap<String, (String, String)>> =
        QUARTERS.iter().map(|q| totals(&summary(d, q))).collect();
    let weights = [1u32, 2, 3, 4];
    let quarters: Vec<String> = QUARTERS.iter().map(|q| format!("../out/{q}")).collect();
    let quarters: Vec<&str> = quarters.iter().map(String::as_str).collect();
    for partial in ["mean_of_present", "missing_as_zero"] {
        std::fs::create_dir_all(d.join("y")).expect("mkdir");
        std::fs::write(
            d.join("y/year.toml"),
            annual_scheme(&quarters, "[1, 2, 3, 4]", partial, 2, SAMPLE_GRADES),
        )
        .expect("write");
        let out = d.join(format!("out/{partial}"));
        let o = appraise()
            .args([
                "run",
                "-q",
                "--out",
                path_str(&out),
                path_str(&d.join("y/year.toml")),
            ])
            .output()
            .expect("run");
        assert!(o.status.success(), "{}", stderr(&o));
        let year = read_sheet(&out.join("summary.xlsx"), "全年汇总");
        let (id, total, grade) = (
            col(&year, "工号"),
            col(&year, "全年总分"),
            col(&year, "等级"),
        );
        let (mut ungraded, mut partly) = (0, 0);
        for r in &year[1..] {
            let present: Vec<(Decimal, Decimal)> = runs
                .iter()
                .zip(weights)
                .filter_map(|(run, w)| {
                    run.get(&r[id]).map(|(t, _)| {
                        (Decimal::from_str_exact(t).expect("total"), Decimal::from(w))
                    })
                })
                .collect();
            if present.len() < 2 {
                assert_eq!(r[grade], "未评级", "{}", r[id]);
                assert_eq!(r[total], "", "{}", r[id]);
                ungraded += 1;
                continue;
            }
            if present.len() < 4 {
                partly += 1;
            }
            let sum: Decimal = present.iter().map(|(t, w)| t * w).sum();
            let weight: Decimal = match partial {
                "mean_of_present" => present.iter().map(|(_, w)| *w).sum(),
                _ => Decimal::from(10),
            };
            let expected = round2(sum / weight);
            let shown = Decimal::from_str_exact(&r[total]).expect("annual total");
            assert_eq!(shown, expected, "{partial} {}", r[id]);
            assert!(
                ["A", "B", "C", "D"].contains(&r[grade].as_str()),
                "{}",
                r[grade]
            );
        }
        assert!(
            ungraded > 0 && partly > 0,
            "{partial}: {ungraded} ungraded, {partly} partly present"
        );
        // Forced distribution like a quarter's: no group over its A quota.
        let dist = read_sheet(&out.join("summary.xlsx"), "分布");
        let (a, quota) = (col(&dist, "A"), col(&dist, "A 限额"));
        let enforced = col(&dist, "限额执行");
        assert!(dist[1..].iter().any(|r| r[enforced] == "是"), "{dist:?}");
        for r in dist[1..].iter().filter(|r| r[enforced] == "是") {
            let cap: f64 = r[quota].trim_start_matches("≤ ").parse().expect("quota");
            assert!(r[a].parse::<f64>().expect("count") <= cap, "{r:?}");
        }
    }
}

// issue 18
#[test]
fn an_annual_run_refuses_a_quarter_whose_scores_changed() {
    let copy = copy_of(four_quarters());
    let d = copy.path();
    let file = d.join("out/2024Q3/scores.json");
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(&file, text.replacen("\"total\":\"", "\"total\":\"1", 1)).expect("write");
    let o = appraise()
        .args(["run", "-q", "--out"])
        .arg(d.join("out/2024"))
        .arg(d.join("year/appraisal.toml"))
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(65), "{}", stderr(&o));
    assert!(stderr(&o).contains("2024Q3/scores.json"), "{}", stderr(&o));
}

// issue 18
#[test]
fn check_on_the_year_reads_every_quarter_and_writes_nothing() {
    let d = four_quarters();
    let o = appraise()
        .arg("check")
        .arg(d.join("year/appraisal.toml"))
        .output()
        .expect("check");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains(": ok: 4 quarters, "), "{}", stdout(&o));
    assert!(!d.join("out/2024").exists());
}
