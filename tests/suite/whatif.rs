//! `appraise whatif BASE DRAFT` and `explain --scheme DRAFT` (issue 18): a
//! draft scheme scored beside the base on the same inputs, read once.

use crate::common::*;
use rust_decimal::Decimal;
use std::path::Path;
use std::str::FromStr;

fn dec(x: &str) -> Decimal {
    Decimal::from_str(x).expect("decimal")
}

/// The fixture's draft: 35 of revenue's 60 points moved to visits.
fn draft_moving_weight(w: &Workdir) {
    let draft =
        SCHEME
            .replacen("weight = 60", "weight = 25", 1)
            .replacen("weight = 40", "weight = 75", 1);
    assert_ne!(draft, SCHEME);
    w.write("draft.toml", &draft);
}

/// A person's points under the fixture's two KPIs, worked from the input
/// cells: revenue / target capped at 1.2 times its weight, visits 0.5 of its
/// weight below 10 and all of it from 10.
fn reference(weights: (i64, i64), revenue: i64, target: i64, visits: i64) -> Decimal {
    let rate = (Decimal::from(revenue) / Decimal::from(target)).min(dec("1.2"));
    let band = if visits < 10 {
        dec("0.5")
    } else {
        Decimal::ONE
    };
    Decimal::from(weights.0) * rate + Decimal::from(weights.1) * band
}

/// The 人员 sheet as (id → (base total, draft total, change)).
fn people(path: &Path) -> Vec<(String, Decimal, Decimal, Decimal)> {
    let t = read_sheet(path, "人员");
    let (id, b, d, ch) = (
        col(&t, "工号"),
        col(&t, "基准总分"),
        col(&t, "草案总分"),
        col(&t, "总分变化"),
    );
    t[1..]
        .iter()
        .map(|r| (r[id].clone(), dec(&r[b]), dec(&r[d]), dec(&r[ch])))
        .collect()
}

// issue 18
#[test]
fn moving_weight_between_kpis_moves_exactly_the_people_the_arithmetic_says() {
    let w = Workdir::new();
    draft_moving_weight(&w);
    let o = w.run(&["whatif", "appraisal.toml", "draft.toml"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // (id, revenue, target, visits), as the fixture's 指标 sheet has them.
    let inputs = [
        ("E01", 120, 100, 12),
        ("E02", 80, 100, 8),
        ("E03", 100, 100, 10),
    ];
    let mut expected: Vec<(String, Decimal)> = inputs
        .iter()
        .map(|(id, r, t, v)| {
            let change = reference((25, 75), *r, *t, *v) - reference((60, 40), *r, *t, *v);
            (id.to_string(), change)
        })
        .collect();
    // Largest change first, ties by id.
    expected.sort_by(|a, b| b.1.abs().cmp(&a.1.abs()).then(a.0.cmp(&b.0)));
    let got = people(&w.path("draft-whatif.xlsx"));
    let got_changes: Vec<(String, Decimal)> =
        got.iter().map(|(id, _, _, c)| (id.clone(), *c)).collect();
    assert_eq!(got_changes, expected);
    for (id, b, d, c) in &got {
        assert_eq!(d - b, *c, "{id}");
    }
    let moved: Vec<&str> = expected
        .iter()
        .filter(|e| !e.1.is_zero())
        .map(|e| e.0.as_str())
        .collect();
    assert_eq!(moved, ["E02", "E01"], "E03 keeps every point");
    // E02 falls from 68 (B) to 57.5 (C): the one grade change.
    let out = stdout(&o);
    assert!(out.trim_end().ends_with("1 person changes grade"), "{out}");
    let t = read_sheet(&w.path("draft-whatif.xlsx"), "人员");
    let e02 = row_of(&t, "E02");
    assert_eq!(get(&e02, "等级变化"), "B → C");
    // Revenue lost 28 points, visits gave back 17.5.
    assert_eq!(get(&e02, "影响最大的指标"), "收入完成率 (revenue)");
    assert_eq!(
        (get(&e02, "原加权得分"), get(&e02, "新加权得分")),
        ("48".into(), "20".into())
    );
    // 影响: each KPI moves the same two people, by its own points.
    let impact = read_sheet(&w.path("draft-whatif.xlsx"), "影响");
    let rev = impact
        .iter()
        .find(|r| r[0].contains("(revenue)"))
        .expect("revenue row");
    let h = &impact[0];
    let at = |r: &Vec<String>, name: &str| r[h.iter().position(|x| x == name).expect(name)].clone();
    assert_eq!(
        (at(rev, "涉及人数"), at(rev, "变动人数")),
        ("3".into(), "3".into())
    );
    // 1.2 × 35, 0.8 × 35 and 1 × 35 points lost.
    let spread = (at(rev, "最小"), at(rev, "中位数"), at(rev, "最大"));
    assert_eq!(spread, ("-42".into(), "-35".into(), "-28".into()));
}

// issue 18
#[test]
fn swapping_the_two_schemes_inverts_every_change() {
    let w = Workdir::new();
    draft_moving_weight(&w);
    let one = w.run(&[
        "whatif",
        "appraisal.toml",
        "draft.toml",
        "--out",
        "one.xlsx",
    ]);
    let two = w.run(&[
        "whatif",
        "draft.toml",
        "appraisal.toml",
        "--out",
        "two.xlsx",
    ]);
    assert!(
        one.status.success() && two.status.success(),
        "{}{}",
        stderr(&one),
        stderr(&two)
    );
    let mut a = people(&w.path("one.xlsx"));
    let mut b = people(&w.path("two.xlsx"));
    a.sort_by(|x, y| x.0.cmp(&y.0));
    b.sort_by(|x, y| x.0.cmp(&y.0));
    assert_eq!(a.len(), 3);
    for (x, y) in a.iter().zip(&b) {
        assert_eq!((&x.0, x.1, x.2, x.3), (&y.0, y.2, y.1, -y.3));
    }
    // The migration matrix is the transpose: B → C one way, C → B the other.
    let m1 = read_sheet(&w.path("one.xlsx"), "迁移");
    let m2 = read_sheet(&w.path("two.xlsx"), "迁移");
    let cell = |m: &Vec<Vec<String>>, from: &str, to: &str| {
        let header = &m[1];
        let c = header.iter().position(|x| x == to).expect("grade column");
        m.iter()
            .skip(2)
            .find(|r| r[0] == from)
            .map(|r| r[c].clone())
            .expect("grade row")
    };
    assert_eq!(
        (cell(&m1, "B", "C"), cell(&m1, "C", "B")),
        ("1".into(), "0".into())
    );
    assert_eq!(
        (cell(&m2, "B", "C"), cell(&m2, "C", "B")),
        ("0".into(), "1".into())
    );
}

// issue 18
#[test]
fn identical_schemes_report_no_change() {
    let w = Workdir::new();
    // Only a comment and the way a number is written differ.
    w.write(
        "draft.toml",
        &format!(
            "# a draft\n{}",
            SCHEME.replacen("weight = 60", "weight = \"60\"", 1)
        ),
    );
    let o = w.run(&["whatif", "appraisal.toml", "draft.toml"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("no change"), "{out}");
    assert!(out.trim_end().ends_with("0 people change grade"), "{out}");
    let changes = read_sheet(&w.path("draft-whatif.xlsx"), "变更");
    assert_eq!(changes.len(), 2, "a header and the note: {changes:?}");
    let zh = w.run(&[
        "whatif",
        "appraisal.toml",
        "draft.toml",
        "--force",
        "--lang",
        "zh",
    ]);
    assert!(stdout(&zh).contains("没有变化"), "{}", stdout(&zh));
}

// issue 18
#[test]
fn the_changes_sheet_names_the_changed_key_with_both_line_numbers() {
    let w = Workdir::new();
    // Two lines more above the KPIs in the draft: its lines are 2 further on.
    let draft = SCHEME
        .replacen("[roles.am]\n", "# draft\n# of 2024Q4\n[roles.am]\n", 1)
        .replacen("weight = 40", "weight = 35", 1)
        .replacen("weight = 60", "weight = 65", 1);
    w.write("draft.toml", &draft);
    let line_of =
        |text: &str, needle: &str| text.lines().position(|l| l == needle).expect("line") + 1;
    let o = w.run(&["whatif", "appraisal.toml", "draft.toml"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let t = read_sheet(&w.path("draft-whatif.xlsx"), "变更");
    assert_eq!(t.len(), 3, "{t:?}");
    let visits = row_of(&t, "roles.am.kpis[visits].weight");
    assert_eq!(visits[1].1, "修改");
    assert_eq!(visits[2].1, "40");
    assert_eq!(visits[3].1, "35");
    assert_eq!(visits[4].1, line_of(SCHEME, "weight = 40").to_string());
    assert_eq!(visits[5].1, line_of(&draft, "weight = 35").to_string());
    assert_eq!(
        line_of(&draft, "weight = 35"),
        line_of(SCHEME, "weight = 40") + 2
    );
    let revenue = row_of(&t, "roles.am.kpis[revenue].weight");
    assert_eq!((revenue[2].1.as_str(), revenue[3].1.as_str()), ("60", "65"));
    // And on the terminal.
    let out = stdout(&o);
    let shown = format!(
        "roles.am.kpis[visits].weight: 40 → 35 (lines {} / {})",
        line_of(SCHEME, "weight = 40"),
        line_of(&draft, "weight = 35")
    );
    assert!(out.contains(&shown), "{out}");
}

// issue 18
#[test]
fn an_existing_comparison_is_not_replaced_without_force() {
    let w = Workdir::new();
    draft_moving_weight(&w);
    w.write("draft-whatif.xlsx", "keep me");
    let o = w.run(&["whatif", "appraisal.toml", "draft.toml"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    assert_eq!(w.read("draft-whatif.xlsx"), b"keep me");
    let o = w.run(&["whatif", "appraisal.toml", "draft.toml", "--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_ne!(w.read("draft-whatif.xlsx"), b"keep me");
    // Nothing else is left behind.
    let names: Vec<String> = w
        .listing()
        .into_iter()
        .filter(|n| n.contains("partial"))
        .collect();
    assert!(names.is_empty(), "{names:?}");
}

// issue 18
#[test]
fn the_comparison_is_the_same_byte_for_byte_run_to_run() {
    let w = Workdir::new();
    draft_moving_weight(&w);
    assert!(
        w.run(&["whatif", "appraisal.toml", "draft.toml", "--out", "a.xlsx"])
            .status
            .success()
    );
    assert!(
        w.run(&["whatif", "appraisal.toml", "draft.toml", "--out", "b.xlsx"])
            .status
            .success()
    );
    assert_eq!(w.read("a.xlsx"), w.read("b.xlsx"));
}

// issue 18
#[test]
fn a_mistake_in_the_draft_is_reported_with_its_line_as_check_would() {
    let w = Workdir::new();
    w.write(
        "draft.toml",
        &SCHEME.replacen("weight = 40", "weight = 45", 1),
    );
    let o = w.run(&["whatif", "appraisal.toml", "draft.toml"]);
    assert_eq!(o.status.code(), Some(78), "{}", stderr(&o));
    // The weights no longer add up to 100: the first is pointed at.
    let line = SCHEME
        .lines()
        .position(|l| l == "weight = 60")
        .expect("line")
        + 1;
    assert!(
        stderr(&o).contains(&format!("draft.toml:{line}:")),
        "{}",
        stderr(&o)
    );
    assert!(!w.path("draft-whatif.xlsx").exists());
}

// issue 18
#[test]
fn explain_with_a_draft_scheme_shows_both() {
    let w = Workdir::new();
    draft_moving_weight(&w);
    let o = w.run(&["explain", "--scheme", "draft.toml", "appraisal.toml", "E02"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let line = |start: &str| {
        out.lines()
            .find(|l| l.starts_with(start))
            .unwrap_or_else(|| panic!("no line {start}: {out}"))
            .split_whitespace()
            .map(String::from)
            .collect::<Vec<_>>()
    };
    // KPI, weights, scores, points, change.
    assert_eq!(
        line("走访 (visits)")[2..],
        ["40", "75", "0.5", "0.5", "20", "37.5", "+17.5"]
    );
    assert_eq!(
        line("收入完成率 (revenue)")[2..],
        ["60", "25", "0.8", "0.8", "48", "20", "-28"]
    );
    assert_eq!(line("total")[1..], ["68", "57.5", "-10.5"]);
    assert_eq!(line("grade")[1..], ["B", "C"]);
    assert_eq!(line("company rank")[2..], ["3/3", "3/3"]);
    // An unknown id is the plain explain's error.
    let o = w.run(&["explain", "--scheme", "draft.toml", "appraisal.toml", "E99"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("no employee `E99`"), "{}", stderr(&o));
}

// issue 18
#[test]
fn the_sample_under_a_draft_moves_people_both_ways_and_the_swap_inverts_them() {
    let w = Workdir::empty();
    let samples = root().join("samples/2024Q3");
    let base = std::fs::read_to_string(SAMPLE_SCHEME)
        .expect("sample scheme")
        .replacen(
            "dir = \"../samples/2024Q3\"",
            &format!("dir = {:?}", path_str(&samples)),
            1,
        );
    assert!(base.contains(path_str(&samples)));
    w.write("base.toml", &base);
    // 5 points moved from revenue to revenue growth.
    let draft = draft_moving_five_points(&base);
    w.write("draft.toml", &draft);
    let o = w.run(&["whatif", "base.toml", "draft.toml", "--out", "one.xlsx"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let two = w.run(&["whatif", "draft.toml", "base.toml", "--out", "two.xlsx"]);
    assert!(two.status.success(), "{}", stderr(&two));
    let a = people(&w.path("one.xlsx"));
    let mut b = people(&w.path("two.xlsx"));
    assert!(a.iter().any(|p| p.3 > Decimal::ZERO) && a.iter().any(|p| p.3 < Decimal::ZERO));
    // Sorted by the size of the change, largest first.
    assert!(a.windows(2).all(|x| x[0].3.abs() >= x[1].3.abs()));
    b.sort_by(|x, y| x.0.cmp(&y.0));
    let mut a = a;
    a.sort_by(|x, y| x.0.cmp(&y.0));
    for (x, y) in a.iter().zip(&b) {
        assert_eq!((&x.0, x.3), (&y.0, -y.3));
    }
}

/// The one cache file of the work directory.
fn cache_file(w: &Workdir) -> std::path::PathBuf {
    let dir = w.path(".appraise-cache");
    let files: Vec<_> = std::fs::read_dir(&dir)
        .expect("cache folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "bin"))
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    files[0].clone()
}

// issue 18
#[test]
fn repeated_whatifs_take_the_inputs_from_the_cache_until_a_cell_changes() {
    let w = Workdir::new();
    draft_moving_weight(&w);
    let args = |out: &'static str| {
        [
            "whatif",
            "appraisal.toml",
            "draft.toml",
            "--verbose",
            "--out",
            out,
        ]
    };
    let first = w.run(&args("1.xlsx"));
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(
        stderr(&first).contains("inputs read and cached"),
        "{}",
        stderr(&first)
    );
    let second = w.run(&args("2.xlsx"));
    assert!(
        stderr(&second).contains("inputs from the cache"),
        "{}",
        stderr(&second)
    );
    assert_eq!(
        w.read("1.xlsx"),
        w.read("2.xlsx"),
        "the cache gives the same result"
    );
    // One cell changes: E02 made 12 visits, not 8.
    let mut data = data();
    data[2][3] = n(12.0);
    w.book("data.xlsx", "指标", &data);
    let third = w.run(&args("3.xlsx"));
    let err = stderr(&third);
    assert!(
        err.contains("data.xlsx changed since the cache was made"),
        "{err}"
    );
    assert!(!err.contains("inputs from the cache"), "{err}");
    let e02 = people(&w.path("3.xlsx"))
        .into_iter()
        .find(|p| p.0 == "E02")
        .expect("E02");
    let change = reference((25, 75), 80, 100, 12) - reference((60, 40), 80, 100, 12);
    assert_eq!(e02.3, change, "the result follows the new cell");
    // The cache was made again from the new cell, and is used.
    let fourth = w.run(&args("4.xlsx"));
    assert!(
        stderr(&fourth).contains("inputs from the cache"),
        "{}",
        stderr(&fourth)
    );
    assert_eq!(w.read("3.xlsx"), w.read("4.xlsx"));
}

// issue 18
#[test]
fn a_damaged_cache_is_ignored_with_a_note_and_rebuilt() {
    let w = Workdir::new();
    draft_moving_weight(&w);
    let plain = w.run(&[
        "whatif",
        "appraisal.toml",
        "draft.toml",
        "--no-cache",
        "--out",
        "plain.xlsx",
    ]);
    assert!(plain.status.success(), "{}", stderr(&plain));
    assert!(
        !w.path(".appraise-cache").exists(),
        "--no-cache writes no cache"
    );
    assert!(
        w.run(&["whatif", "appraisal.toml", "draft.toml", "--out", "0.xlsx"])
            .status
            .success()
    );
    let file = cache_file(&w);
    let whole = std::fs::read(&file).expect("cache");
    let mut flipped = whole.clone();
    // In the inputs themselves, the last part of the file.
    let near_end = flipped.len() - 10;
    flipped[near_end] ^= 0x55;
    let damages: [(&str, Vec<u8>); 3] = [
        ("truncated", whole[..whole.len() / 3].to_vec()),
        ("a byte changed", flipped),
        ("not a cache", b"hello".to_vec()),
    ];
    for (k, (what, bytes)) in damages.into_iter().enumerate() {
        std::fs::write(&file, bytes).expect("damage");
        let out = format!("{k}d.xlsx");
        let o = w.run(&["whatif", "appraisal.toml", "draft.toml", "--out", &out]);
        assert!(o.status.success(), "{what}: {}", stderr(&o));
        assert!(stderr(&o).contains("is damaged"), "{what}: {}", stderr(&o));
        assert_eq!(w.read(&out), w.read("plain.xlsx"), "{what}");
        // Rebuilt: the next run takes it without a note.
        let again = w.run(&[
            "whatif",
            "appraisal.toml",
            "draft.toml",
            "--verbose",
            "--force",
            "--out",
            &out,
        ]);
        assert!(
            stderr(&again).contains("inputs from the cache"),
            "{what}: {}",
            stderr(&again)
        );
        assert_eq!(w.read(&out), w.read("plain.xlsx"), "{what}");
    }
    // Removable without loss.
    std::fs::remove_dir_all(w.path(".appraise-cache")).expect("rm");
    let o = w.run(&[
        "whatif",
        "appraisal.toml",
        "draft.toml",
        "--out",
        "last.xlsx",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(w.read("last.xlsx"), w.read("plain.xlsx"));
}

// issue 18
#[test]
fn a_draft_that_reads_another_column_has_its_inputs_read_too() {
    let w = Workdir::new();
    // The draft reads revenue from the target column: everyone at 100 %.
    w.write(
        "draft.toml",
        &SCHEME.replacen(
            "revenue = { header = \"收入\", min = 0 }",
            "revenue = { header = \"目标\", min = 0 }",
            1,
        ),
    );
    let o = w.run(&["whatif", "appraisal.toml", "draft.toml", "--verbose"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("the draft reads other inputs"),
        "{}",
        stderr(&o)
    );
    let inputs = [
        ("E01", 120, 100, 12),
        ("E02", 80, 100, 8),
        ("E03", 100, 100, 10),
    ];
    for (id, r, t, v) in inputs {
        let p = people(&w.path("draft-whatif.xlsx"))
            .into_iter()
            .find(|p| p.0 == id)
            .expect("person");
        let change = reference((60, 40), t, t, v) - reference((60, 40), r, t, v);
        assert_eq!(p.3, change, "{id}");
    }
}

/// A run's summary.xlsx and manifest.json, written from `inputs`.
fn summary_from(inputs: appraise::pipeline::Inputs, dir: &Path) -> (Vec<u8>, Vec<u8>) {
    let mut config = appraise::config::load(Path::new(SAMPLE_SCHEME)).expect("scheme");
    let s = appraise::pipeline::score_read(&mut config, inputs, &mut |_| {}).expect("score");
    let info = appraise::report::RunInfo::new(&config, &s.data, appraise::cli::Lang::Zh);
    std::fs::create_dir_all(dir).expect("dir");
    appraise::report::write(
        &config,
        &s.data,
        &s.instruments,
        &s.outcome,
        &s.recon,
        &s.history,
        &info,
        dir,
    )
    .expect("write");
    let read = |f: &str| std::fs::read(dir.join(f)).expect("read");
    (read("summary.xlsx"), read("manifest.json"))
}

// issue 18
#[test]
fn inputs_from_the_cache_write_the_same_summary_as_inputs_read() {
    // Every sheet of summary.xlsx (instruments, reconciliation, every
    // value's cell) from the sample's inputs as read and as kept.
    let config = appraise::config::load(Path::new(SAMPLE_SCHEME)).expect("scheme");
    let read = appraise::pipeline::read(&config).expect("read");
    let kept = appraise::cache::encode(&read).expect("encode");
    let back = appraise::cache::decode(&kept).expect("decode");
    let w = Workdir::empty();
    let a = summary_from(read, &w.path("a"));
    let b = summary_from(back, &w.path("b"));
    assert!(a.0 == b.0, "summary.xlsx differs");
    assert_eq!(String::from_utf8_lossy(&a.1), String::from_utf8_lossy(&b.1));
}
