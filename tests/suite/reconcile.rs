//! Issue 3: AM/PM reconciliation end to end. A hand-written fixture (three
//! employees, four projects, one override workbook) is run through the real
//! binary; the numbers below are worked out by hand in the comments.

use crate::common::{self, col, read_sheet_to_6_places as read};
use rust_xlsxwriter::{ExcelDateTime, Workbook};
use std::path::Path;

const SCHEME: &str = r#"
[period]
id = "T"
start = 2024-07-01
end = 2024-09-30

[rounding]
score = 4
weighted = 2
total = 2

[roster]
file = "roster.xlsx"
sheet = "花名册"
columns = { id = "工号", name = "姓名", role = "岗位", team = "班组" }

[roles.account_manager]
name = "客户经理"
roster_value = "客户经理"
[[roles.account_manager.kpis]]
id = "signed"
name = "项目签约额"
weight = 50
metric = "project_signed"
target = 100
rule = { type = "ratio", cap = 1.2 }
[[roles.account_manager.kpis]]
id = "collection"
name = "项目回款率"
weight = 50
metric = "collection_rate"
target = "0.8"
rule = { type = "ratio", cap = 1.2 }
missing = "exclude"

[roles.project_manager]
name = "项目经理"
roster_value = "项目经理"
[[roles.project_manager.kpis]]
id = "collection"
name = "项目回款率"
weight = 100
metric = "collection_rate"
target = "0.8"
rule = { type = "ratio", cap = 1.2 }

[grades]
scale = ["A", "B"]
cutoffs = [{ grade = "A", min = 90 }]

[reconcile]
on_unresolved = "provisional"
allow_overlay = true
overrides = { file = "overrides.xlsx" }

[reconcile.sources.system]
name = "台账"
file = "projects.xlsx"
sheet = "台账"
key = "项目编号"
columns = { am = { header = "客户经理", type = "text" }, pm = { header = "项目经理", type = "text" }, value = "合同金额", collected = "回款", signed = { header = "签约日期", type = "date" }, accepted = { header = "验收日期", type = "date" } }

[reconcile.sources.am_report]
name = "客户经理报表"
file = "projects.xlsx"
sheet = "AM"
key = "项目编号"
columns = { am = { header = "客户经理", type = "text" }, value = "合同金额", signed = { header = "签约日期", type = "date" } }

[reconcile.sources.pm_report]
name = "项目经理报表"
file = "projects.xlsx"
sheet = "PM"
key = "项目编号"
columns = { pm = { header = "项目经理", type = "text" }, value = "合同金额", collected = "回款", accepted = { header = "验收日期", type = "date" } }

[reconcile.fields.am]
name = "客户经理"
sources = ["system", "am_report"]
policy = "needs_decision"
[reconcile.fields.pm]
sources = ["system", "pm_report"]
policy = { prefer = ["system", "pm_report"] }
[reconcile.fields.value]
name = "合同金额"
sources = ["system", "am_report", "pm_report"]
tolerance = { absolute = 0.5 }
policy = "needs_decision"
[reconcile.fields.collected]
sources = ["system", "pm_report"]
policy = "min"
[reconcile.fields.signed]
sources = ["system", "am_report"]
policy = { prefer = ["system", "am_report"] }
[reconcile.fields.accepted]
sources = ["system", "pm_report"]
policy = "max"

[reconcile.roles]
account_manager = "am"
project_manager = "pm"

[[reconcile.credits]]
metric = "project_signed"
field = "value"
trigger = "signed"
date = "signed"
split = { account_manager = "60%", project_manager = "40%" }

[[reconcile.credits]]
metric = "project_collected"
name = "项目回款额"
field = "collected"
trigger = "collected"
date = "accepted"
overlay = ["account_manager", "project_manager"]

[[reconcile.credits]]
metric = "collection_rate"
field = "collected"
per = "value"
trigger = "accepted"
date = "accepted"
shared = ["account_manager", "project_manager"]
"#;

enum C {
    S(&'static str),
    N(f64),
    D(u16, u8, u8),
    E,
}

fn sheet(wb: &mut Workbook, name: &str, rows: &[Vec<C>]) {
    let ws = wb.add_worksheet();
    ws.set_name(name).expect("name");
    let fmt = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match cell {
                C::S(s) => {
                    ws.write_string(r, c, *s).expect("write");
                }
                C::N(n) => {
                    ws.write_number(r, c, *n).expect("write");
                }
                C::D(y, m, d) => {
                    let dt = ExcelDateTime::from_ymd(*y, *m, *d).expect("date");
                    ws.write_datetime_with_format(r, c, &dt, &fmt)
                        .expect("write");
                }
                C::E => {}
            }
        }
    }
}

/// P-1's acceptance date in the ledger, and its collection and acceptance
/// date in the PM report: the same by default.
struct P1 {
    ledger_accepted: (u16, u8, u8),
    pm_collected: f64,
    pm_accepted: (u16, u8, u8),
}

const P1_AGREED: P1 = P1 {
    ledger_accepted: (2024, 8, 20),
    pm_collected: 80.0,
    pm_accepted: (2024, 8, 20),
};

fn fixture(dir: &Path, on_unresolved: &str) {
    fixture_with(dir, on_unresolved, &P1_AGREED);
}

fn fixture_with(dir: &Path, on_unresolved: &str, p1: &P1) {
    roster_book(dir);
    projects_book(dir, p1);
    overrides_book(dir);
    let scheme = SCHEME.replace(
        "on_unresolved = \"provisional\"",
        &format!("on_unresolved = \"{on_unresolved}\""),
    );
    std::fs::write(dir.join("scheme.toml"), scheme).expect("scheme");
}

/// `roster.xlsx`: two account managers and a project manager in one team.
fn roster_book(dir: &Path) {
    use C::*;
    let mut wb = Workbook::new();
    sheet(
        &mut wb,
        "花名册",
        &[
            vec![S("工号"), S("姓名"), S("岗位"), S("班组")],
            vec![S("A1"), S("张三"), S("客户经理"), S("一班")],
            vec![S("A2"), S("李四"), S("客户经理"), S("一班")],
            vec![S("P1"), S("王五"), S("项目经理"), S("一班")],
        ],
    );
    wb.save(dir.join("roster.xlsx")).expect("save");
}

/// `projects.xlsx`: the ledger (台账), the AM and the PM reports, with
/// `p1`'s dates and collection for project P-1.
fn projects_book(dir: &Path, p1: &P1) {
    use C::*;
    let (ly, lm, ld) = p1.ledger_accepted;
    let (py, pm, pd) = p1.pm_accepted;
    let mut wb = Workbook::new();
    sheet(
        &mut wb,
        "台账",
        &[
            vec![
                S("项目编号"),
                S("客户经理"),
                S("项目经理"),
                S("合同金额"),
                S("回款"),
                S("签约日期"),
                S("验收日期"),
            ],
            vec![
                S("P-1"),
                S("A1"),
                S("P1"),
                N(100.0),
                N(80.0),
                D(2024, 8, 5),
                D(ly, lm, ld),
            ],
            vec![
                S("P-2"),
                S("A1"),
                S("P1"),
                N(50.0),
                N(10.0),
                D(2024, 9, 1),
                D(2024, 9, 10),
            ],
            vec![
                S("P-4"),
                S("A2"),
                S("P1"),
                N(200.0),
                N(0.0),
                D(2024, 7, 10),
                E,
            ],
        ],
    );
    sheet(
        &mut wb,
        "AM",
        &[
            vec![S("项目编号"), S("客户经理"), S("合同金额"), S("签约日期")],
            // Rounding inside the tolerance; the date as text.
            vec![S("P-1"), S("A1"), N(100.3), S("2024/8/5")],
            // Claimed by two AMs, both at 60 instead of 50.
            vec![S("P-2"), S("A1"), N(60.0), S("2024年9月1日")],
            vec![S("P-2"), S("A2"), N(60.0), S("2024年9月1日")],
            // A real conflict nobody decided.
            vec![S("P-4"), S("A2"), N(180.0), D(2024, 7, 10)],
        ],
    );
    sheet(
        &mut wb,
        "PM",
        &[
            vec![
                S("项目编号"),
                S("项目经理"),
                S("合同金额"),
                S("回款"),
                S("验收日期"),
            ],
            vec![
                S("P-1"),
                S("P1"),
                N(100.0),
                N(p1.pm_collected),
                D(py, pm, pd),
            ],
            // A project neither the ledger nor the AM report lists.
            vec![S("P-3"), S("P1"), N(30.0), N(30.0), D(2024, 9, 15)],
        ],
    );
    wb.save(dir.join("projects.xlsx")).expect("save");
}

/// `overrides.xlsx`: HR's decisions on P-2 (对账裁定).
fn overrides_book(dir: &Path) {
    use C::*;
    let mut wb = Workbook::new();
    sheet(
        &mut wb,
        "对账裁定",
        &[
            vec![
                S("项目编号"),
                S("字段"),
                S("值"),
                S("原因"),
                S("决定人"),
                S("日期"),
            ],
            vec![
                S("P-2"),
                S("合同金额"),
                N(50.0),
                S("以台账为准"),
                S("HR 周敏"),
                D(2024, 10, 8),
            ],
            vec![
                S("P-2"),
                S("am"),
                S("A1"),
                S("A1 签约"),
                S("HR 周敏"),
                S("2024/10/8"),
            ],
        ],
    );
    wb.save(dir.join("overrides.xlsx")).expect("save");
}

fn run(dir: &Path) -> std::process::Output {
    common::appraise()
        .arg("run")
        .arg(dir.join("scheme.toml"))
        .arg("--out")
        .arg(dir.join("out"))
        .arg("--force")
        .output()
        .expect("run the binary")
}

#[test]
fn sample_projects_reconciled_credited_and_scored_by_hand() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    fixture(dir, "provisional");
    let out = run(dir);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = dir.join("out").join("summary.xlsx");

    // 对账: the unresolved P-4 contract value first.
    let recon = read(&summary, "对账");
    let (status, project, field) = (
        col(&recon, "状态"),
        col(&recon, "项目编号"),
        col(&recon, "字段"),
    );
    assert_eq!(
        (&*recon[1][status], &*recon[1][project], &*recon[1][field]),
        ("未决（待裁定）", "P-4", "合同金额")
    );
    assert_eq!(recon[1][col(&recon, "差异")], "20");
    assert_eq!(
        recon[1][col(&recon, "采用值")],
        "200",
        "provisional: the ledger's"
    );
    assert_eq!(recon[1][col(&recon, "涉及员工")], "A2, P1");
    let find = |p: &str, f: &str| {
        recon
            .iter()
            .find(|r| r[project] == p && r[field] == f)
            .unwrap_or_else(|| panic!("no row {p} {f}"))
    };
    // Two AMs on one project: a reported conflict, decided by HR.
    let am = find("P-2", "客户经理");
    assert_eq!(am[status], "人工裁定");
    assert_eq!(am[col(&recon, "客户经理报表 值")], "A1 / A2");
    assert_eq!(am[col(&recon, "裁定原因")], "A1 签约");
    // The override beats needs_decision on P-2's contract value.
    let v = find("P-2", "合同金额");
    assert_eq!(
        (&*v[status], &*v[col(&recon, "采用值")]),
        ("人工裁定", "50")
    );
    // Rounding inside the tolerance: a difference, not a conflict.
    let p1 = find("P-1", "合同金额");
    assert_eq!(p1[status], "容差内");
    assert_eq!(p1[col(&recon, "容差内")], "是");
    assert_eq!(p1[col(&recon, "差异")], "0.3");
    // A project missing from two sources.
    let p3 = find("P-3", "（项目）");
    assert_eq!(p3[status], "来源缺失");
    assert_eq!(p3[col(&recon, "缺失来源")], "客户经理报表、台账");

    // 明细: split 60/40 of 100 (P-1) + 50 (P-2) = 90 for A1; P-4's 200 × 60 % for A2.
    let detail = read(&summary, "明细");
    let (id, kpi, actual, from) = (
        col(&detail, "工号"),
        col(&detail, "指标编号"),
        col(&detail, "实际值"),
        col(&detail, "实际值来源"),
    );
    let d = |who: &str, k: &str| {
        detail
            .iter()
            .find(|r| r[id] == who && r[kpi] == k)
            .unwrap_or_else(|| panic!("no detail {who} {k}"))
    };
    assert_eq!(
        (&*d("A1", "signed")[actual], &*d("A1", "signed")[from]),
        ("90", "对账: P-1, P-2")
    );
    assert_eq!(d("A2", "signed")[actual], "120");
    assert_eq!(d("A2", "signed")[from], "对账: P-4（暂定）");
    // Shared collection rate: A1 (80 + 10) / (100 + 50) = 0.6;
    // P1 also has P-3: (80 + 10 + 30) / (100 + 50 + 30) = 0.666…
    assert_eq!(d("A1", "collection")[actual], "0.6");
    assert_eq!(d("P1", "collection")[actual], "0.666667");
    // Issue 3 review: P1 was marked 暂定 for P-4's disputed contract value,
    // but P-4 (never accepted) is not in P1's collection rate, and P1 is not
    // scored on 签约额: nothing P1 is scored on depends on it.
    assert_eq!(d("P1", "collection")[from], "对账: P-1, P-2, P-3");

    // 汇总: A1 = 50 × 0.9 + 50 × (0.6 / 0.8 = 0.75) = 82.5; P1 = 100 × 0.8333 = 83.33.
    let sum = read(&summary, "汇总");
    let (sid, total, notes) = (col(&sum, "工号"), col(&sum, "总分"), col(&sum, "备注"));
    let s = |who: &str| sum.iter().find(|r| r[sid] == who).expect("person").clone();
    assert_eq!(s("A1")[total], "82.5");
    assert_eq!(s("P1")[total], "83.33");
    assert!(s("A1")[notes].is_empty(), "{:?}", s("A1"));
    assert!(
        s("A2")[notes].contains("暂定：对账未决（P-4 合同金额）"),
        "{:?}",
        s("A2")
    );
    assert!(!s("P1")[notes].contains("暂定"), "{:?}", s("P1"));

    // 项目: the overlay credits A1 90 and P1 120 in full (Σ 210), but the
    // company collected 80 + 10 + 30 = 120, and the team (all three) too.
    let proj = read(&summary, "项目");
    let prov = col(&proj, "暂定");
    let line = |p: &str, who: &str| {
        proj.iter()
            .find(|r| r[0] == p && r[2] == "project_signed" && r[9] == who)
            .unwrap_or_else(|| panic!("no line {p} {who}"))
    };
    assert_eq!(line("P-4", "A2")[prov], "是");
    assert_eq!(line("P-1", "A1")[prov], "", "settled projects are not 暂定");
    let company = proj
        .iter()
        .find(|r| r[0] == "公司合计" && r[1] == "项目回款额")
        .expect("company row");
    assert_eq!((&*company[2], &*company[3]), ("210", "120"));
    let team = proj
        .iter()
        .find(|r| r[0] == "一班" && r[1] == "项目回款额")
        .expect("team row");
    assert_eq!((&*team[2], &*team[3]), ("210", "120"));
    let signed = proj
        .iter()
        .find(|r| r[0] == "公司合计" && r[1] == "project_signed")
        .expect("signed row");
    assert_eq!(
        (&*signed[2], &*signed[3]),
        ("350", "350"),
        "100 + 50 + 200, split"
    );
}

#[test]
fn an_unresolved_conflict_fails_the_run_naming_whom_it_touches() {
    let tmp = tempfile::tempdir().expect("tmp");
    fixture(tmp.path(), "fail");
    let out = run(tmp.path());
    assert_eq!(out.status.code(), Some(65));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("projects.xlsx [台账]!D4"), "{err}");
    assert!(err.contains("project `P-4` field `合同金额`"), "{err}");
    assert!(err.contains("A2 李四, P1 王五"), "{err}");
    assert!(err.contains("overrides.xlsx [对账裁定]"), "{err}");
    assert!(!tmp.path().join("out").exists(), "nothing written");
}

/// Issue 3 review: sources and 对账 labels follow `--lang`; no source ids.
#[test]
fn sources_and_reconciliation_labels_follow_the_language() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    fixture(dir, "provisional");
    let out = run(dir);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = dir.join("out").join("summary.xlsx");
    let detail = read(&summary, "明细");
    let (id, kpi, target) = (
        col(&detail, "工号"),
        col(&detail, "指标编号"),
        col(&detail, "目标值来源"),
    );
    let d = |who: &str, k: &str| {
        detail
            .iter()
            .find(|r| r[id] == who && r[kpi] == k)
            .unwrap_or_else(|| panic!("no detail {who} {k}"))
            .clone()
    };
    assert_eq!(d("A1", "signed")[target], "常量 100");
    let recon = read(&summary, "对账");
    let (project, field, policy, how) = (
        col(&recon, "项目编号"),
        col(&recon, "字段"),
        col(&recon, "策略"),
        col(&recon, "处理"),
    );
    let p4 = find(&recon, project, field, "P-4", "合同金额");
    assert_eq!(
        (&*p4[policy], &*p4[how]),
        ("需人工裁定", "待裁定：暂按 台账 计")
    );
    assert_eq!(
        find(&recon, project, field, "P-3", "（项目）")[how],
        "仅 项目经理报表 填报"
    );

    let out = common::appraise()
        .arg("run")
        .arg(dir.join("scheme.toml"))
        .arg("--out")
        .arg(dir.join("en"))
        .args(["--force", "--lang", "en"])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = dir.join("en").join("summary.xlsx");
    let detail = read(&summary, "Details");
    let (id, kpi, from, target) = (
        col(&detail, "Id"),
        col(&detail, "KPI id"),
        col(&detail, "Actual from"),
        col(&detail, "Target from"),
    );
    let d = |who: &str, k: &str| {
        detail
            .iter()
            .find(|r| r[id] == who && r[kpi] == k)
            .unwrap_or_else(|| panic!("no detail {who} {k}"))
            .clone()
    };
    assert_eq!(d("A1", "signed")[target], "constant 100");
    assert_eq!(d("A1", "signed")[from], "reconciled: P-1, P-2");
    assert_eq!(d("A2", "signed")[from], "reconciled: P-4 (provisional)");
    let recon = read(&summary, "Reconciliation");
    let (project, field, policy, how) = (
        col(&recon, "Project"),
        col(&recon, "Field"),
        col(&recon, "Policy"),
        col(&recon, "How settled"),
    );
    let p4 = find(&recon, project, field, "P-4", "合同金额");
    assert_eq!(
        (&*p4[policy], &*p4[how]),
        ("needs decision", "awaiting a decision: 台账 for now")
    );
    let p3 = find(&recon, project, field, "P-3", "(project)");
    assert_eq!(p3[how], "only in 项目经理报表");
    assert_eq!(p3[col(&recon, "项目经理报表 value")], "present");
}

fn find(rows: &[Vec<String>], project: usize, field: usize, p: &str, f: &str) -> Vec<String> {
    rows.iter()
        .find(|r| r[project] == p && r[field] == f)
        .unwrap_or_else(|| panic!("no row {p} {f}"))
        .clone()
}

/// Issue 15: inside a tolerance the figures agree and no policy applies:
/// the first source in the field's order (the ledger) is used, for `mean`
/// and for a date under `max` alike. A PM report two days later than the
/// ledger (inside 3 days) no longer moves P-1's acceptance out of the
/// quarter, and 80.4 against 80 (inside 0.5) is not averaged.
#[test]
fn inside_the_tolerance_the_first_source_is_used_whatever_the_policy() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    fixture_with(
        dir,
        "provisional",
        &P1 {
            ledger_accepted: (2024, 9, 29),
            pm_collected: 80.4,
            pm_accepted: (2024, 10, 1),
        },
    );
    let scheme = std::fs::read_to_string(dir.join("scheme.toml")).expect("scheme");
    let scheme = scheme
        .replace(
            "[reconcile.fields.collected]\nsources = [\"system\", \"pm_report\"]\npolicy = \"min\"",
            "[reconcile.fields.collected]\nsources = [\"system\", \"pm_report\"]\ntolerance = { absolute = 0.5 }\npolicy = \"mean\"",
        )
        .replace(
            "[reconcile.fields.accepted]\nsources = [\"system\", \"pm_report\"]\npolicy = \"max\"",
            "[reconcile.fields.accepted]\nsources = [\"system\", \"pm_report\"]\ntolerance = { absolute = 3 }\npolicy = \"max\"",
        );
    assert_eq!(
        scheme.matches("tolerance = ").count(),
        3,
        "both fields changed"
    );
    std::fs::write(dir.join("scheme.toml"), scheme).expect("scheme");
    let out = run(dir);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = dir.join("out").join("summary.xlsx");
    let recon = read(&summary, "对账");
    let (project, field) = (col(&recon, "项目编号"), col(&recon, "字段"));
    let (status, policy, how, used) = (
        col(&recon, "状态"),
        col(&recon, "策略"),
        col(&recon, "处理"),
        col(&recon, "采用值"),
    );
    let accepted = find(&recon, project, field, "P-1", "accepted");
    assert_eq!(accepted[status], "容差内");
    assert_eq!(accepted[col(&recon, "差异")], "2");
    assert_eq!(
        accepted[used], "2024-09-29",
        "the ledger's, not the later PM date"
    );
    assert_eq!(
        accepted[how],
        "容差内，视为一致，不适用策略：取 台账（来源顺序首位）"
    );
    assert_eq!(accepted[policy], "取最大值（仅超出容差时）");
    let collected = find(&recon, project, field, "P-1", "collected");
    assert_eq!(collected[status], "容差内");
    assert_eq!(collected[used], "80", "not the mean 80.2");
    assert!(!collected[how].contains("平均"), "{:?}", collected);

    // P-1 accepted in the quarter: A1 (80 + 10) / (100 + 50) = 0.6, and
    // P1 (80 + 10 + 30) / (100 + 50 + 30); with the PM's date it was out
    // (A1 10 / 50 = 0.2).
    let detail = read(&summary, "明细");
    let (id, kpi, actual) = (
        col(&detail, "工号"),
        col(&detail, "指标编号"),
        col(&detail, "实际值"),
    );
    let d = |who: &str, k: &str| {
        detail
            .iter()
            .find(|r| r[id] == who && r[kpi] == k)
            .unwrap_or_else(|| panic!("no detail {who} {k}"))[actual]
            .clone()
    };
    assert_eq!(d("A1", "collection"), "0.6");
    assert_eq!(d("P1", "collection"), "0.666667");

    // explain says how the figures it read were settled.
    let out = common::appraise()
        .arg("explain")
        .arg(dir.join("scheme.toml"))
        .args(["A1", "--kpi", "collection", "--lang", "zh"])
        .output()
        .expect("explain");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("核定      P-1 accepted: 容差内，视为一致，不适用策略：取 台账（来源顺序首位） → 2024-09-29"),
        "{text}"
    );
    assert!(
        text.contains(
            "核定      P-1 collected: 容差内，视为一致，不适用策略：取 台账（来源顺序首位） → 80"
        ),
        "{text}"
    );
}

#[test]
fn inside_the_tolerance_the_ledgers_date_moves_a_project_out_of_the_quarter_whatever_the_policy() {
    // The other way: the ledger accepts P-1 on 10-01, the PM report says
    // 09-29, policy min. Inside the tolerance the ledger's date is used and
    // P-1 moves out of the quarter (min put it in): A1 10 / 50 = 0.2.
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    fixture_with(
        dir,
        "provisional",
        &P1 {
            ledger_accepted: (2024, 10, 1),
            pm_collected: 80.0,
            pm_accepted: (2024, 9, 29),
        },
    );
    let scheme = std::fs::read_to_string(dir.join("scheme.toml")).expect("scheme");
    let scheme = scheme.replace(
        "[reconcile.fields.accepted]\nsources = [\"system\", \"pm_report\"]\npolicy = \"max\"",
        "[reconcile.fields.accepted]\nsources = [\"system\", \"pm_report\"]\ntolerance = { absolute = 3 }\npolicy = \"min\"",
    );
    assert!(scheme.contains("policy = \"min\"\n\n[reconcile.roles]"));
    std::fs::write(dir.join("scheme.toml"), scheme).expect("scheme");
    let out = run(dir);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = dir.join("out").join("summary.xlsx");
    let recon = read(&summary, "对账");
    let (project, field) = (col(&recon, "项目编号"), col(&recon, "字段"));
    let accepted = find(&recon, project, field, "P-1", "accepted");
    assert_eq!(accepted[col(&recon, "采用值")], "2024-10-01");
    let detail = read(&summary, "明细");
    let (id, kpi, actual) = (
        col(&detail, "工号"),
        col(&detail, "指标编号"),
        col(&detail, "实际值"),
    );
    let a1 = detail
        .iter()
        .find(|r| r[id] == "A1" && r[kpi] == "collection")
        .expect("A1");
    assert_eq!(a1[actual], "0.2");
}

// issue 16
#[test]
fn an_unresolved_conflict_is_told_in_chinese() {
    let tmp = tempfile::tempdir().expect("tmp");
    fixture(tmp.path(), "fail");
    let out = common::appraise()
        .args(["--lang", "zh", "run"])
        .arg(tmp.path().join("scheme.toml"))
        .arg("--out")
        .arg(tmp.path().join("out"))
        .output()
        .expect("run the binary");
    assert_eq!(out.status.code(), Some(65));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("projects.xlsx [台账]!D4"), "{err}");
    assert!(
        err.contains("项目 `P-4` 字段 `合同金额`：各数据来源的差异超出容差"),
        "{err}"
    );
    assert!(err.contains("涉及 A2 李四、P1 王五"), "{err}");
    assert!(
        err.contains("在 overrides.xlsx [对账裁定] 中加一行"),
        "{err}"
    );
    assert!(!err.contains("the sources disagree"), "{err}");
}
