//! The engine end to end (issue 2): the binary on a small fixture, with
//! `summary.xlsx` read back and every number checked against a hand
//! computation.

use crate::common;
use crate::common::{Empty, N, S, Workdir, get, row_of, stderr};

const SCHEME: &str = r#"
[period]
id = "2024Q3"
start = 2024-07-01
end = 2024-09-30

[rounding]
mode = "half_away_from_zero"
rate = 2
weighted = 2
total = 2

[roster]
file = "roster.xlsx"
sheet = "花名册"
columns = { id = "工号", name = "姓名", role = "岗位", team = "班组", department = "部门" }

[sources.am]
file = "data.xlsx"
sheet = "指标"
key = "工号"
columns = { revenue = "收入", revenue_target = "收入目标", satisfaction = "满意度", complaints = "投诉" }

[sources.tl]
file = "data.xlsx"
sheet = "班组长"
key = "工号"
columns = { team_revenue = "班组收入", team_target = "班组目标" }

[roles.account_manager]
name = "客户经理"
roster_value = "客户经理"

[[roles.account_manager.kpis]]
id = "revenue"
name = "收入完成率"
weight = 50
metric = "revenue"
target = { metric = "revenue_target" }
rule = { type = "ratio", cap = 1.2 }

[[roles.account_manager.kpis]]
id = "satisfaction"
name = "满意度"
weight = 50
metric = "satisfaction"
missing = "exclude"
rule = { type = "bands", on = "value", bands = [
  { to = 80, score = 0.6 },
  { from = 80, to = 90, score = 0.8 },
  { from = 90, score = 1 },
] }

[[roles.account_manager.adjustments]]
id = "deduction"
name = "扣分项"
items = [{ name = "有效投诉", metric = "complaints", points = -2, cap = 4 }]

[roles.team_leader]
name = "班组长"
roster_value = "班组长"
team_blend = { own = 0.5, team = 0.5, members = "account_manager" }

[[roles.team_leader.kpis]]
id = "team_revenue"
name = "班组收入完成率"
weight = 100
metric = "team_revenue"
target = { metric = "team_target" }
rule = { type = "ratio", cap = 1.2 }

[grades]
scale = ["A", "B", "C", "D"]
cutoffs = [{ grade = "A", min = 100 }, { grade = "B", min = 90 }, { grade = "C", min = 60 }]
"#;

fn fixture() -> Workdir {
    let w = Workdir::empty();
    let head = |h: &[&'static str]| h.iter().map(|s| S(s)).collect::<Vec<_>>();
    w.xlsx(
        "roster.xlsx",
        &[(
            "花名册",
            vec![
                head(&["工号", "姓名", "岗位", "班组", "部门"]),
                vec![
                    S("E01"),
                    S("张伟"),
                    S("客户经理"),
                    S("政企一班"),
                    S("集团客户部"),
                ],
                vec![
                    S("E02"),
                    S("王芳"),
                    S("客户经理"),
                    S("政企一班"),
                    S("集团客户部"),
                ],
                vec![
                    S("E03"),
                    S("李娜"),
                    S("客户经理"),
                    S("政企二班"),
                    S("集团客户部"),
                ],
                vec![
                    S("E04"),
                    S("刘洋"),
                    S("客户经理"),
                    S("政企二班"),
                    S("集团客户部"),
                ],
                vec![
                    S("L01"),
                    S("陈静"),
                    S("班组长"),
                    S("政企一班"),
                    S("集团客户部"),
                ],
            ],
        )],
    );
    w.xlsx(
        "data.xlsx",
        &[
            (
                "指标",
                vec![
                    head(&["工号", "收入", "收入目标", "满意度", "投诉"]),
                    vec![S("E01"), N(70.0), N(80.0), N(92.0), N(0.0)],
                    vec![S("E02"), N(100.0), N(80.0), N(85.0), N(1.0)],
                    vec![S("E03"), N(88.0), N(80.0), Empty, N(0.0)],
                    vec![S("E04"), N(60.0), N(80.0), N(70.0), N(3.0)],
                ],
            ),
            (
                "班组长",
                vec![
                    head(&["工号", "班组收入", "班组目标"]),
                    vec![S("L01"), N(170.0), N(160.0)],
                ],
            ),
        ],
    );
    w.write("scheme.toml", SCHEME);
    w
}

#[test]
fn totals_grades_and_ranks_match_a_hand_computation() {
    let w = fixture();
    let out = w.run(&["run", "scheme.toml"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let summary = w.sheet("out/2024Q3/summary.xlsx", "汇总");
    // E01: 70/80 = 87.5 % → 88 % (rate rounded to 2 places) → 44; satisfaction 92 → 1 → 50.
    let e01 = row_of(&summary, "E01");
    // Each KPI's points are on the role's own sheet (issue 16).
    let managers = w.sheet("out/2024Q3/summary.xlsx", "汇总·客户经理");
    let points = |id: &str, kpi: &str| get(&row_of(&managers, id), &format!("{kpi}\n（加权得分）"));
    assert_eq!(points("E01", "收入完成率"), "44");
    assert_eq!(points("E01", "满意度"), "50");
    assert_eq!(get(&e01, "总分"), "94");
    assert_eq!(get(&e01, "等级"), "B");
    assert_eq!(get(&e01, "班组排名"), "2/2");
    assert_eq!(get(&e01, "公司排名"), "3/4");
    // E02: 125 % capped at 120 % → 60; 85 → 0.8 → 40; one complaint −2.
    let e02 = row_of(&summary, "E02");
    assert_eq!(points("E02", "收入完成率"), "60");
    assert_eq!(get(&e02, "加减分"), "-2");
    assert_eq!(get(&e02, "总分"), "98");
    assert_eq!(get(&e02, "班组排名"), "1/2");
    // E03: no satisfaction survey → excluded, revenue re-weighted to 100: 1.1 × 100.
    let e03 = row_of(&summary, "E03");
    assert_eq!(get(&e03, "总分"), "110");
    assert_eq!(get(&e03, "等级"), "A");
    // E04: 75 % → 37.5; 70 → 0.6 → 30; 3 complaints × −2 = −6, capped at −4.
    let e04 = row_of(&summary, "E04");
    assert_eq!(get(&e04, "总分"), "63.5");
    assert_eq!(get(&e04, "加减分"), "-4");
    assert_eq!(get(&e04, "等级"), "C");
    // L01: own 170/160 = 106.25 % → 106 % → 106; team average (94 + 98) / 2 = 96; 0.5 × 106 + 0.5 × 96.
    let l01 = row_of(&summary, "L01");
    assert_eq!(get(&l01, "个人得分"), "106");
    assert_eq!(get(&l01, "团队均分"), "96");
    assert_eq!(get(&l01, "总分"), "101");
    assert_eq!(get(&l01, "等级"), "A");
}

#[test]
fn details_say_where_each_actual_came_from_and_what_the_policy_did() {
    let w = fixture();
    assert!(w.run(&["run", "scheme.toml"]).status.success());
    let detail = w.sheet("out/2024Q3/summary.xlsx", "明细");
    let header = &detail[0];
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let e03_sat = detail
        .iter()
        .find(|r| r[0] == "E03" && r[col("指标编号")] == "satisfaction")
        .expect("E03 satisfaction row");
    assert_eq!(e03_sat[col("缺失处理")], "数据缺失，不参与考核");
    assert_eq!(e03_sat[col("有效权重")], "0");
    let e03_rev = detail
        .iter()
        .find(|r| r[0] == "E03" && r[col("指标编号")] == "revenue")
        .expect("row");
    assert_eq!(e03_rev[col("有效权重")], "100");
    let e01_rev = detail
        .iter()
        .find(|r| r[0] == "E01" && r[col("指标编号")] == "revenue")
        .expect("row");
    assert_eq!(e01_rev[col("实际值来源")], "data.xlsx [指标]!B2");
    assert_eq!(e01_rev[col("目标值来源")], "data.xlsx [指标]!C2");
    assert_eq!(e01_rev[col("完成率")], "0.88");
    assert_eq!(
        e01_rev[col("计分说明")],
        "实际 70，目标 80，完成率 88%，得分系数 0.88"
    );
}

/// docs/scoring.md's worked example (§1, rounding): target 80, actual 70, weight 50.
#[test]
fn rounding_the_rate_first_gives_44_and_not_rounding_gives_43_75() {
    let w = fixture();
    assert!(w.run(&["run", "scheme.toml"]).status.success());
    let revenue = "收入完成率\n（加权得分）";
    let rounded = w.sheet("out/2024Q3/summary.xlsx", "汇总·客户经理");
    assert_eq!(get(&row_of(&rounded, "E01"), revenue), "44");
    w.write("exact.toml", &SCHEME.replace("rate = 2\n", ""));
    assert!(
        w.run(&["run", "exact.toml", "--out", "exact"])
            .status
            .success()
    );
    let exact = w.sheet("exact/summary.xlsx", "汇总·客户经理");
    assert_eq!(get(&row_of(&exact, "E01"), revenue), "43.75");
    assert_eq!(get(&row_of(&exact, "E01"), "总分"), "93.75");
}

#[test]
fn two_runs_give_identical_bytes() {
    let w = fixture();
    assert!(
        w.run(&["run", "scheme.toml", "--out", "a"])
            .status
            .success()
    );
    assert!(
        w.run(&["run", "scheme.toml", "--out", "b"])
            .status
            .success()
    );
    for f in ["summary.xlsx", "manifest.json"] {
        let a = std::fs::read(w.path("a").join(f)).expect("a");
        let b = std::fs::read(w.path("b").join(f)).expect("b");
        assert!(a == b, "{f} differs between two runs");
    }
}

/// The run's record names the scheme and its inputs as the scheme does, so
/// a run started from another directory writes the same bytes.
#[test]
fn the_directory_a_run_starts_from_changes_nothing() {
    let w = fixture();
    std::fs::create_dir(w.path("sub")).expect("mkdir");
    assert!(
        w.run(&["run", "scheme.toml", "--out", "here"])
            .status
            .success()
    );
    let from_sub = w
        .command(&["run", "../scheme.toml", "--out", "../there"])
        .current_dir(w.path("sub"))
        .output()
        .expect("run");
    assert!(from_sub.status.success(), "{}", stderr(&from_sub));
    for f in ["summary.xlsx", "manifest.json"] {
        let a = std::fs::read(w.path("here").join(f)).expect("here");
        let b = std::fs::read(w.path("there").join(f)).expect("there");
        assert!(a == b, "{f} depends on the working directory");
    }
    let manifest: serde_json::Value =
        serde_json::from_slice(&w.read("here/manifest.json")).expect("json");
    assert_eq!(manifest["config"]["path"], "scheme.toml");
    assert!(
        manifest["inputs"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|i| !i["path"].as_str().unwrap_or("/").contains('/')),
        "{manifest}"
    );
}

#[test]
fn an_earlier_run_is_kept_unless_forced() {
    let w = fixture();
    assert!(w.run(&["run", "scheme.toml"]).status.success());
    let before = std::fs::read(w.path("out/2024Q3/summary.xlsx")).expect("first");
    let again = w.run(&["run", "scheme.toml"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("already holds an earlier run"),
        "{}",
        stderr(&again)
    );
    assert_eq!(
        std::fs::read(w.path("out/2024Q3/summary.xlsx")).expect("kept"),
        before
    );
    let forced = w.run(&["run", "scheme.toml", "--force"]);
    assert!(forced.status.success(), "{}", stderr(&forced));
    // Nothing else is left beside the output.
    let names: Vec<String> = std::fs::read_dir(w.path("out"))
        .expect("ls")
        .map(|e| e.expect("e").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["2024Q3"]);
}

#[test]
fn a_failed_run_leaves_nothing_behind() {
    let w = fixture();
    w.write(
        "bad.toml",
        &SCHEME.replace("\"收入目标\"", "\"没有这一列\""),
    );
    let out = w.run(&["run", "bad.toml"]);
    assert_eq!(out.status.code(), Some(65));
    assert!(
        stderr(&out).contains(
            "data.xlsx [指标] header row 1: no column `没有这一列` (field `revenue_target`)"
        ),
        "{}",
        stderr(&out)
    );
    assert!(!w.path("out").join("2024Q3").exists());
    let leftovers = std::fs::read_dir(w.path("out"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(leftovers, 0);
}

#[test]
fn english_labels_with_lang_en() {
    let w = fixture();
    assert!(
        w.run(&["run", "scheme.toml", "--lang", "en"])
            .status
            .success()
    );
    let summary = w.sheet("out/2024Q3/summary.xlsx", "Summary");
    assert_eq!(&summary[0][..4], ["Id", "Name", "Role", "Team"]);
    assert_eq!(get(&row_of(&summary, "E01"), "Total"), "94");
    let info = w.sheet("out/2024Q3/summary.xlsx", "Run info");
    assert!(info.iter().any(|r| r[0] == "Run id"));
}

#[test]
fn run_info_and_manifest_carry_the_same_hashes() {
    let w = fixture();
    assert!(w.run(&["run", "scheme.toml"]).status.success());
    let manifest: serde_json::Value = serde_json::from_slice(
        &std::fs::read(w.path("out/2024Q3/manifest.json")).expect("manifest"),
    )
    .expect("json");
    let info = w.sheet("out/2024Q3/summary.xlsx", "运行信息");
    let run_id = manifest["run_id"].as_str().expect("run id");
    assert!(info.iter().any(|r| r[1] == run_id));
    let config_sha = manifest["config"]["sha256"].as_str().expect("sha");
    use sha2::Digest;
    let expect = sha2::Sha256::digest(std::fs::read(w.path("scheme.toml")).expect("scheme"));
    assert_eq!(config_sha, appraise::config::hex(&expect));
    assert_eq!(manifest["counts"]["employees"], 5);
    assert_eq!(manifest["inputs"].as_array().map(Vec::len), Some(2));
}

#[test]
fn the_committed_sample_scores_and_every_primitive_is_used() {
    let scheme = std::fs::read_to_string(common::SAMPLE_SCHEME).expect("scheme");
    for rule in [
        "ratio",
        "inverse",
        "piecewise",
        "bands",
        "matrix",
        "gate",
        "rank",
        "growth",
        "formula",
        "monitor",
    ] {
        assert!(
            scheme.contains(&format!("type = \"{rule}\"")),
            "sample scheme does not use `{rule}`"
        );
    }
    for effect in ["total_zero", "section_zero", "grade_ceiling"] {
        assert!(
            scheme.contains(effect),
            "sample scheme does not use veto effect `{effect}`"
        );
    }
    let w = Workdir::empty();
    let cfg = common::SAMPLE_SCHEME;
    let out = w.run(&["run", cfg, "--out", "sample-run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let summary = w.sheet("sample-run/summary.xlsx", "汇总");
    assert_eq!(summary.len(), 131, "130 employees and a header");
}

/// Grade notes (forced distribution, provisional results) are worded in the
/// run's language, like everything else in the reports.
#[test]
fn grade_notes_follow_the_language_of_the_run() {
    let w = Workdir::empty();
    let cfg = common::SAMPLE_SCHEME;
    let notes = |lang: &str, sheet: &str| -> Vec<String> {
        let dir = format!("run-{lang}");
        let out = w.run(&["run", cfg, "--out", &dir, "--no-feedback", "--lang", lang]);
        assert!(out.status.success(), "{}", stderr(&out));
        w.sheet(&format!("{dir}/summary.xlsx"), sheet)
            .into_iter()
            .flatten()
            .collect()
    };
    let zh = notes("zh", "汇总");
    assert!(zh.iter().any(|t| t.contains("强制分布：A名额")), "{zh:?}");
    assert!(zh.iter().any(|t| t.contains("暂定：对账未决")), "{zh:?}");
    let en = notes("en", "Summary");
    assert!(
        en.iter()
            .any(|t| t.contains("forced distribution: A allows")),
        "{en:?}"
    );
    assert!(
        en.iter()
            .any(|t| t.contains("provisional: unresolved reconciliation")),
        "{en:?}"
    );
    for t in &en {
        assert!(
            !t.contains("强制分布") && !t.contains("暂定") && !t.contains('；'),
            "{t}"
        );
    }
}

/// Events dated outside the period count only if the scheme lets them:
/// `in_period = "date"` on an aggregate keeps the period's rows.
#[test]
fn events_outside_the_period_do_not_count_with_in_period() {
    use crate::common::{C, s};
    let w = Workdir::new();
    let mut events = common::events();
    events.push(vec![s("E01"), s("投诉"), C::D(2023, 12, 1)]);
    w.book("events.xlsx", "事件", &events);
    let out = w.run(&["run", "appraisal.toml", "--out", "all"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        get(
            &row_of(&w.sheet("all/summary.xlsx", "汇总"), "E01"),
            "加减分"
        ),
        "-4"
    );
    w.edit(
        "where = { kind = \"投诉\" }",
        "where = { kind = \"投诉\" }, in_period = \"date\"",
    );
    let out = w.run(&["run", "appraisal.toml", "--out", "period"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        get(
            &row_of(&w.sheet("period/summary.xlsx", "汇总"), "E01"),
            "加减分"
        ),
        "-2"
    );
}

/// The blend a team leader's note states, `个人 X×a + 团队均分 Y×b（…）`
/// (or 团队指标得分), worked out exactly and rounded as the scheme's total
/// stage says (2 places, half away from zero).
fn blend_of_note(note: &str) -> Option<rust_decimal::Decimal> {
    use rust_decimal::{Decimal, RoundingStrategy};
    let part = note.split('；').find(|p| p.starts_with("个人 "))?;
    let rest = part.strip_prefix("个人 ")?;
    let (own, rest) = rest.split_once(" + ")?;
    let team = rest
        .trim_start_matches("团队均分 ")
        .trim_start_matches("团队指标得分 ");
    let team = team.split('（').next()?;
    let product = |s: &str| -> Option<Decimal> {
        let (x, y) = s.split_once('×')?;
        Some(x.parse::<Decimal>().ok()? * y.parse::<Decimal>().ok()?)
    };
    Some(
        (product(own)? + product(team)?)
            .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero),
    )
}

/// Issue 15: a leader's note adds up to the total it explains. Without the
/// rate stage E01 scores 93.75 and E02 98: the team average 95.875 is
/// shown as 95.88, and the blend used 95.875 (0.5 × 106.25 + 0.5 × 95.875
/// = 101.0625 → 101.06 beside a note making 101.065 → 101.07). The team's
/// result is now rounded to 2 places before it is blended: 101.07.
#[test]
fn a_team_leaders_note_adds_up_to_the_total() {
    let w = fixture();
    w.write("exact.toml", &SCHEME.replace("rate = 2\n", ""));
    let out = w.run(&["run", "exact.toml", "--out", "exact"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let summary = w.sheet("exact/summary.xlsx", "汇总");
    let l01 = row_of(&summary, "L01");
    assert_eq!(get(&l01, "个人得分"), "106.25");
    assert_eq!(get(&l01, "团队均分"), "95.88");
    assert_eq!(
        get(&l01, "备注"),
        "个人 106.25×0.5 + 团队均分 95.88×0.5（2人）"
    );
    assert_eq!(get(&l01, "总分"), "101.07");
    let note = blend_of_note(&get(&l01, "备注")).expect("a blend note");
    assert_eq!(note.to_string(), get(&l01, "总分"));
}

/// Issue 15: `total_zero` sets the total to 0 after the blend, for a team
/// leader too (it gave 0 × 0.5 + 96 × 0.5 = 48), and the note and
/// `explain` say the same.
#[test]
fn a_total_zero_veto_zeroes_a_team_leaders_total_after_the_blend() {
    let w = fixture();
    let scheme = SCHEME.replace(
        "[grades]",
        "[[roles.team_leader.vetoes]]\nid = \"safety\"\nname = \"重大安全事故\"\nwhen = \"team_revenue > 165\"\neffect = \"total_zero\"\n\n[grades]",
    );
    w.write("scheme.toml", &scheme);
    let out = w.run(&["run", "scheme.toml"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let summary = w.sheet("out/2024Q3/summary.xlsx", "汇总");
    let l01 = row_of(&summary, "L01");
    assert_eq!(get(&l01, "个人得分"), "0");
    assert_eq!(get(&l01, "团队均分"), "96");
    assert_eq!(get(&l01, "总分"), "0");
    assert_eq!(get(&l01, "等级"), "D");
    assert_eq!(
        get(&l01, "备注"),
        "一票否决：重大安全事故（总分归零）；个人 0×0.5 + 团队均分 96×0.5（2人），因一票否决总分归零"
    );
    let out = w.run(&["explain", "scheme.toml", "L01"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("the total is set to 0"), "{text}");
    assert!(
        text.contains("\ntotal     0 (set to 0 by the veto)\n"),
        "{text}"
    );
}

/// Issue 15: on the sample branch, every team leader's note reproduces
/// the total exactly.
#[test]
fn every_sample_leaders_note_reproduces_the_total() {
    let w = Workdir::empty();
    let out = w.run(&["sample", "--out", "s", "--employees", "300", "--seed", "15"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = w.run(&["run", "s/appraisal.toml", "--out", "o"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let summary = w.sheet("o/summary.xlsx", "汇总");
    let (role, notes, total) = (
        common::col(&summary, "岗位"),
        common::col(&summary, "备注"),
        common::col(&summary, "总分"),
    );
    let mut leaders = 0;
    for r in summary.iter().skip(1).filter(|r| r[role] == "班组长") {
        leaders += 1;
        let blend = blend_of_note(&r[notes]).unwrap_or_else(|| panic!("no blend: {r:?}"));
        let expected = if r[notes].contains("总分归零") {
            "0".to_string()
        } else {
            blend.normalize().to_string()
        };
        assert_eq!(expected, r[total], "{r:?}");
    }
    assert!(leaders >= 20, "{leaders} leaders");
}

/// Issue 15: a formula KPI reading a KPI left out for missing data lacks
/// an input, like one reading a missing metric: its own `missing` policy
/// decides and 明细 says so. E03 has no satisfaction (excluded); the
/// formula read it as 0 and was marked 正常计分 (0.5 × 1.1 = 0.55).
#[test]
fn a_formula_over_an_excluded_kpi_follows_its_own_missing_policy() {
    let w = fixture();
    let scheme = SCHEME
        .replacen("weight = 50\nmetric = \"revenue\"", "weight = 40\nmetric = \"revenue\"", 1)
        .replacen(
            "weight = 50\nmetric = \"satisfaction\"",
            "weight = 40\nmetric = \"satisfaction\"",
            1,
        )
        .replace(
            "[[roles.account_manager.adjustments]]",
            "[[roles.account_manager.kpis]]\nid = \"combo\"\nname = \"综合\"\nweight = 20\nrule = { type = \"formula\", expr = \"0.5 * kpi.revenue + 0.5 * kpi.satisfaction\" }\nmissing = \"zero\"\n\n[[roles.account_manager.adjustments]]",
        );
    assert!(scheme.contains("weight = 20") && scheme.matches("weight = 40").count() == 2);
    w.write("scheme.toml", &scheme);
    let out = w.run(&["run", "scheme.toml"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let detail = w.sheet("out/2024Q3/summary.xlsx", "明细");
    let col = |name: &str| common::col(&detail, name);
    let row = |who: &str, k: &str| {
        detail
            .iter()
            .find(|r| r[0] == who && r[col("指标编号")] == k)
            .unwrap_or_else(|| panic!("no row {who} {k}"))
            .clone()
    };
    let e03 = row("E03", "combo");
    assert_eq!(e03[col("缺失处理")], "计算所需数据缺失，记 0 分");
    assert_eq!(e03[col("得分系数")], "0");
    assert_eq!(
        e03[col("计分说明")],
        "计算所需的数据 kpi.satisfaction 缺失，按本指标的规则记 0 分"
    );
    // Someone with both inputs is scored by the formula: E01 0.5 × 0.88 + 0.5 × 1.
    let e01 = row("E01", "combo");
    assert_eq!(e01[col("缺失处理")], "正常计分");
    assert_eq!(e01[col("得分系数")], "0.94");

    // With `missing = "error"` (the default) the run stops and says why.
    w.write("error.toml", &scheme.replace("missing = \"zero\"\n", ""));
    let out = w.run(&["run", "error.toml", "--out", "e"]);
    assert_eq!(out.status.code(), Some(65), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("KPI `combo`: its formula reads `kpi.satisfaction`, which has no value (KPI `satisfaction` was left out for missing data)"),
        "{err}"
    );
}

/// Issue 15: a rate exactly on a rounding half, or a hair below it, is
/// rounded as exact arithmetic says even when it comes from a division.
/// E03's actual is 2.62065 − 10⁻²⁸ (a formula), the target 3: the true
/// rate 0.87354999…9667 rounds to 0.8735 at 4 places, but its 28-digit
/// quotient is 0.87355 exactly, which rounded up to 0.8736.
#[test]
fn a_rate_a_hair_below_a_half_is_not_rounded_up_by_the_28_digit_quotient() {
    let w = common::Workdir::new();
    w.edit(
        "per_visit = { formula = \"revenue / visits\" }",
        "per_visit = { formula = \"revenue / visits\" }\nnear = { formula = \"revenue / 100 * 2.62065 - 0.0000000000000000000000000001\" }\nhalf = { formula = \"revenue / 100 * 2.62065\" }",
    );
    let scheme = std::fs::read_to_string(w.path("appraisal.toml")).expect("scheme");
    let scheme = scheme.replacen(
        "metric = \"revenue\"\ntarget = { metric = \"revenue_target\" }",
        "metric = \"near\"\ntarget = 3",
        1,
    );
    assert!(scheme.contains("metric = \"near\""));
    w.scheme(&scheme);
    let out = w.run(&["run", "appraisal.toml", "--out", "o"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let detail = w.sheet("o/summary.xlsx", "明细");
    let col = |name: &str| common::col(&detail, name);
    let rate = |who: &str| {
        detail
            .iter()
            .find(|r| r[0] == who && r[col("指标编号")] == "revenue")
            .unwrap_or_else(|| panic!("no row {who}"))[col("完成率")]
        .clone()
    };
    assert_eq!(rate("E03"), "0.8735");
    // On the half exactly (2.62065 / 3 = 0.87355): half away from zero.
    w.scheme(&scheme.replace("metric = \"near\"", "metric = \"half\""));
    let out = w.run(&["run", "appraisal.toml", "--out", "h"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let detail = w.sheet("h/summary.xlsx", "明细");
    let e03 = detail
        .iter()
        .find(|r| r[0] == "E03" && r[col("指标编号")] == "revenue")
        .expect("E03");
    assert_eq!(e03[col("完成率")], "0.8736");
}

/// Issue 15: inverse `two_minus` scores the unrounded ratio while 明细
/// shows the rate rounded at the rate stage beside it. Issue 16: the
/// sentence says lower is better and gives the rule's result (达成度),
/// from the unrounded ratio, not the rate. E01: 70 / 80 = 0.875, shown
/// 0.88; 2 − 0.875 = 1.125.
#[test]
fn an_inverse_kpi_says_lower_is_better_and_shows_its_achievement() {
    let w = fixture();
    let scheme = SCHEME.replacen(
        "rule = { type = \"ratio\", cap = 1.2 }",
        "rule = { type = \"inverse\", mode = \"two_minus\", cap = 1.2 }",
        1,
    );
    w.write("scheme.toml", &scheme);
    let out = w.run(&["run", "scheme.toml"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let detail = w.sheet("out/2024Q3/summary.xlsx", "明细");
    let col = |name: &str| common::col(&detail, name);
    let e01 = detail
        .iter()
        .find(|r| r[0] == "E01" && r[col("指标编号")] == "revenue")
        .expect("E01");
    assert_eq!(e01[col("完成率")], "0.88");
    assert_eq!(e01[col("得分系数")], "1.125");
    assert_eq!(
        e01[col("计分说明")],
        "本指标越低越好：实际 70，目标 80，达成度 112.5%（2 − 实际 ÷ 目标），得分系数 1.125"
    );
}
