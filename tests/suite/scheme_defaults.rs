//! Issue 19: defaults nobody would choose are not defaults. Forced
//! distribution never silently applies to a group smaller than `min_group`
//! (default 5): such a group is graded by cut-off only, each person's grade
//! note says so, and `check` lists the groups.

use crate::common::{Workdir, read_sheet, stdout};

/// Teams of 2 (一班) and 1 (二班), graded per team, with an A quota of 20 %
/// that would move every A down in groups this small.
const DISTRIBUTION: &str =
    "[grades.distribution]\ngroup = \"team\"\nquotas = [{ grade = \"A\", max = 0.2 }]\n";

fn with_distribution(extra: &str) -> Workdir {
    let w = Workdir::new();
    let scheme = crate::common::SCHEME.to_string() + "\n" + DISTRIBUTION + extra;
    w.scheme(&scheme);
    w
}

/// (grade, notes) of each employee in 汇总, read back with calamine.
fn grades(w: &Workdir, out: &str) -> Vec<(String, String, String)> {
    let o = w.run(&["run", "appraisal.toml", "--out", out, "--no-feedback"]);
    assert!(o.status.success(), "{}", crate::common::stderr(&o));
    let rows = read_sheet(&w.path(&format!("{out}/summary.xlsx")), "汇总");
    let h = rows
        .iter()
        .position(|r| r.iter().any(|c| c == "等级"))
        .expect("a header row with 等级");
    let at = |name: &str| {
        rows[h]
            .iter()
            .position(|c| c == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    let (id, grade, notes) = (at("工号"), at("等级"), at("备注"));
    rows[h + 1..]
        .iter()
        .filter(|r| r.get(id).is_some_and(|c| c.starts_with('E')))
        .map(|r| (r[id].clone(), r[grade].clone(), r[notes].clone()))
        .collect()
}

// issue 19
#[test]
fn small_groups_are_graded_by_cutoff_only_by_default() {
    let w = with_distribution("");
    let g = grades(&w, "out");
    let e01 = g.iter().find(|r| r.0 == "E01").expect("E01");
    let e03 = g.iter().find(|r| r.0 == "E03").expect("E03");
    // Both score an A by cut-off; a 20 % quota in a group of 2 or 1 would
    // allow none, but the groups are under the default minimum of 5.
    assert_eq!(e01.1, "A", "{g:?}");
    assert_eq!(e03.1, "A", "{g:?}");
    assert!(
        e01.2
            .contains("校准组仅2人，不足5人：只按分数线定等级，不做强制分布"),
        "{g:?}"
    );
    assert!(e03.2.contains("校准组仅1人，不足5人"), "{g:?}");
}

// issue 19
#[test]
fn min_group_one_applies_quotas_to_every_group() {
    let w = with_distribution("min_group = 1\n");
    let g = grades(&w, "out");
    for id in ["E01", "E03"] {
        let r = g.iter().find(|r| r.0 == id).expect("row");
        assert_eq!(r.1, "B", "{id}: {g:?}");
        assert!(r.2.contains("强制分布：A名额0人"), "{g:?}");
        assert!(!r.2.contains("不足"), "{g:?}");
    }
}

// issue 19
#[test]
fn check_says_what_happens_to_small_groups_in_both_languages() {
    let w = with_distribution("");
    let o = w.run(&["check", "appraisal.toml"]);
    assert!(o.status.success(), "{}", crate::common::stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains(
            "2 calibration groups have fewer than 5 people: graded by cut-off only, \
             no forced distribution: 客户经理 / 一班 (2), 客户经理 / 二班 (1)"
        ),
        "{out}"
    );
    let o = w.run(&["check", "appraisal.toml", "--lang", "zh"]);
    let out = stdout(&o);
    assert!(
        out.contains(
            "2 个校准组不足 5 人，只按分数线定等级，不做强制分布：客户经理 / 一班 (2)、客户经理 / 二班 (1)"
        ),
        "{out}"
    );
    // With every group big enough (min_group = 1), nothing is said.
    let w = with_distribution("min_group = 1\n");
    let out = stdout(&w.run(&["check", "appraisal.toml"]));
    assert!(!out.contains("calibration group"), "{out}");
}

// issue 19
#[test]
fn the_schema_states_the_defaults_of_forced_distribution() {
    let o = crate::common::appraise()
        .arg("schema")
        .output()
        .expect("run appraise schema");
    let schema = String::from_utf8_lossy(&o.stdout);
    assert!(
        schema.contains("Default 5. Quotas apply only to calibration groups"),
        "{schema}"
    );
    assert!(
        schema.contains("Default \\\"advisory\\\""),
        "no small_groups default"
    );
    assert!(
        schema.contains("Default \\\"error\\\": a missing actual"),
        "no missing default"
    );
}
