//! Issue 6: the management instruments end to end, on a fixture small enough
//! to compute by hand: two account managers (A1, A2) and their leader (L1)
//! in one team, four customers, a few days of daily log, three months of
//! cumulative revenue, customer-level monthly data and a two-product
//! catalogue. The binary runs in a temporary directory and the summary is
//! read back with calamine.

use crate::common;
use calamine::{Data, Reader, Xlsx, open_workbook};
use rust_xlsxwriter::Workbook;
use std::path::{Path, PathBuf};

fn book(dir: &Path, file: &str, sheets: &[(&str, &[&[&str]])]) {
    let mut wb = Workbook::new();
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).expect("name");
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                // Numbers as numbers, everything else as text.
                match v.parse::<f64>() {
                    Ok(x) if r > 0 && !v.starts_with('C') && !v.starts_with('P') => {
                        ws.write_number(r as u32, c as u16, x).expect("write")
                    }
                    _ => ws.write_string(r as u32, c as u16, *v).expect("write"),
                };
            }
        }
    }
    wb.save(dir.join(file)).expect("save");
}

const SCHEME: &str = r#"
[period]
id = "T"
start = 2024-07-01
end = 2024-09-30
checkpoints = [2024-07-31, 2024-08-31, 2024-09-30]

[roster]
file = "roster.xlsx"
sheet = "花名册"
columns = { id = "工号", name = "姓名", role = "岗位", team = "班组" }

[sources.kpi]
file = "kpi.xlsx"
sheet = "指标"
key = "工号"
columns = { revenue = "收入", revenue_target = "收入目标" }

[metrics]
rvc_r = { formula = "warning_handling" }
rvc_v = { formula = "penetration" }
rvc_c = { formula = "customer_coverage" }
rvc = { formula = "(rvc_r + rvc_v + rvc_c) / 3" }

[roles.am]
name = "客户经理"
roster_value = "客户经理"
kpis = [
  { id = "revenue", name = "收入", weight = 40, metric = "revenue", target = { metric = "revenue_target" }, rule = { type = "ratio", cap = 1.2 } },
  { id = "completion", name = "走访完成率", weight = 20, metric = "visit_completion", target = 1, rule = { type = "ratio", cap = 1 } },
  { id = "progress", name = "序时进度", weight = 20, metric = "revenue_progress", target = 1, rule = { type = "ratio", cap = 1.2 } },
  { id = "rvc", name = "RVC", weight = 20, metric = "rvc", target = 1, rule = { type = "ratio", cap = 1.2 } },
]
adjustments = [ { id = "weak", name = "短板扣分", items = [ { name = "短板", metric = "weak_spots", points = -1, cap = 5 } ] } ]

[roles.tl]
name = "班组长"
roster_value = "班组长"
team_blend = { own = 0.5, team = 0.5, members = "am", of = { kpis = ["revenue", "completion"] } }
kpis = [ { id = "revenue", name = "班组长收入", weight = 100, metric = "revenue", target = { metric = "revenue_target" }, rule = { type = "ratio", cap = 1.2 } } ]

[grades]
scale = ["A", "B"]
cutoffs = [ { grade = "A", min = 90 } ]

[instruments.customers]
file = "customers.xlsx"
sheet = "客户"
columns = { code = "客户编码", name = "客户名称", account_manager = "客户经理工号", contract_end = "合同到期日" }

[instruments.daily_log]
file = "log.xlsx"
sheet = "日行事例"
columns = { id = "工号", date = "日期", planned = "计划走访", done = "实际走访", customers = "走访客户编码", contacts = "接触对象" }

[instruments.checkpoints]
file = "monthly.xlsx"
sheet = "月度"
columns = { id = "工号", month = "月份" }
series = [ { metric = "revenue_progress", name = "收入进度", column = "累计收入", target = "revenue_target" } ]

[instruments.weak_spots]
quantile = 0.5
scope = "team"
roles = ["am"]
metric = "weak_spots"

[instruments.retention]
file = "cm.xlsx"
sheet = "客户月度"
columns = { customer = "客户编码", month = "月份", revenue = "收入", members = "成员数" }
revenue_mom = { warn = 0.1, severe = 0.3 }
member_churn = { warn = 0.05, severe = 0.15 }
contract_days = { warn = 90, severe = 30 }
no_visit_days = { warn = 30, severe = 60 }
handle_days = 15

[instruments.products]
file = "products.xlsx"
catalogue = { sheet = "目录", code = "产品编码", name = "产品名称" }
holdings = { sheet = "持有", customer = "客户编码", product = "产品编码" }

[instruments.rvc]
index = "rvc"
roles = ["am"]
parts = [ { metric = "rvc_r", name = "R" }, { metric = "rvc_v", name = "V" }, { metric = "rvc_c", name = "C" } ]
"#;

fn fixture(log_row: &[&str]) -> (tempfile::TempDir, PathBuf) {
    fixture_rows(&[log_row])
}

/// The fixture with `extra` rows at the end of the daily log.
fn fixture_rows(extra: &[&[&str]]) -> (tempfile::TempDir, PathBuf) {
    fixture_split(extra, &[])
}

/// [`fixture_rows`], the log's rows (its three and `extra`) split into
/// sheets 日行事例, 日行事例2, … before the rows numbered in `split_at`
/// (0-based), each sheet with the header row.
fn fixture_split(extra: &[&[&str]], split_at: &[usize]) -> (tempfile::TempDir, PathBuf) {
    let sheets = log_sheets(extra, split_at);
    let tmp = tempfile::tempdir().expect("tempdir");
    let d = tmp.path();
    fixed_books(d);
    let log: Vec<(&str, &[&[&str]])> = sheets
        .iter()
        .map(|(name, rows)| (name.as_str(), rows.as_slice()))
        .collect();
    book(d, "log.xlsx", &log);
    let scheme = d.join("scheme.toml");
    std::fs::write(&scheme, SCHEME).expect("scheme");
    (tmp, scheme)
}

/// The daily log's sheets: its three rows and `extra`, a new sheet (with
/// the header row) before each row numbered in `split_at`.
fn log_sheets<'a>(
    extra: &[&'a [&'a str]],
    split_at: &[usize],
) -> Vec<(String, Vec<&'a [&'a str]>)> {
    const HEADER: &[&str] = &[
        "工号",
        "日期",
        "计划走访",
        "实际走访",
        "走访客户编码",
        "接触对象",
    ];
    let mut rows: Vec<&'a [&'a str]> = vec![
        &["A1", "2024-07-01", "2", "2", "C1、C2", "关键人、基础成员"],
        &["A1", "2024-07-02", "2", "1", "C1", "关键人"],
        &["A2", "2024-07-01", "1", "1", "C3", "关键人"],
    ];
    rows.extend_from_slice(extra);
    let mut sheets: Vec<(String, Vec<&'a [&'a str]>)> = Vec::new();
    for (i, row) in rows.into_iter().enumerate() {
        if sheets.is_empty() || split_at.contains(&i) {
            let name = match sheets.len() {
                0 => "日行事例".to_string(),
                k => format!("日行事例{}", k + 1),
            };
            sheets.push((name, vec![HEADER]));
        }
        if let Some((_, rows)) = sheets.last_mut() {
            rows.push(row);
        }
    }
    sheets
}

/// The fixture's workbooks other than the daily log: roster, KPIs,
/// customers, monthly revenue, customer months and products.
fn fixed_books(d: &Path) {
    book(
        d,
        "roster.xlsx",
        &[(
            "花名册",
            &[
                &["工号", "姓名", "岗位", "班组"],
                &["A1", "甲", "客户经理", "一班"],
                &["A2", "乙", "客户经理", "一班"],
                &["L1", "丙", "班组长", "一班"],
            ],
        )],
    );
    book(
        d,
        "kpi.xlsx",
        &[(
            "指标",
            &[
                &["工号", "收入", "收入目标"],
                &["A1", "92", "92"],
                &["A2", "46", "92"],
                &["L1", "100", "100"],
            ],
        )],
    );
    book(
        d,
        "customers.xlsx",
        &[(
            "客户",
            &[
                &["客户编码", "客户名称", "客户经理工号", "合同到期日"],
                &["C1", "一号公司", "A1", "2024-10-20"],
                &["C2", "二号公司", "A1", "2026-01-01"],
                &["C3", "三号公司", "A2", "2026-01-01"],
                &["C4", "四号公司", "A2", "2026-01-01"],
            ],
        )],
    );
    book(
        d,
        "monthly.xlsx",
        &[(
            "月度",
            &[
                &["工号", "月份", "累计收入"],
                &["A1", "2024-07", "31"],
                &["A1", "2024-08", "62"],
                &["A1", "2024-09", "92"],
                &["A2", "2024-07", "62"],
                &["A2", "2024-08", "93"],
                &["A2", "2024-09", "46"],
            ],
        )],
    );
    book(
        d,
        "cm.xlsx",
        &[(
            "客户月度",
            &[
                &["客户编码", "月份", "收入", "成员数"],
                &["C1", "2024-06", "100", "100"],
                &["C1", "2024-07", "80", "100"],
                &["C3", "2024-08", "50", "100"],
                &["C3", "2024-09", "50", "80"],
            ],
        )],
    );
    book(
        d,
        "products.xlsx",
        &[
            (
                "目录",
                &[
                    &["产品编码", "产品名称"],
                    &["P1", "专线"],
                    &["P2", "云视讯"],
                ],
            ),
            (
                "持有",
                &[
                    &["客户编码", "产品编码"],
                    &["C1", "P1"],
                    &["C1", "P2"],
                    &["C2", "P1"],
                    &["C3", "P2"],
                ],
            ),
        ],
    );
}

const GOOD_ROW: &[&str] = &["A2", "2024-09-25", "1", "1", "C4", "基础成员"];

fn run(scheme: &Path) -> (i32, String, PathBuf) {
    let out = scheme.parent().expect("dir").join("out");
    let o = common::appraise()
        .arg("run")
        .arg(scheme)
        .arg("--out")
        .arg(&out)
        .arg("--force")
        .output()
        .expect("run");
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stderr).into_owned(),
        out,
    )
}

fn sheet(path: &Path, name: &str) -> Vec<Vec<Data>> {
    let mut b: Xlsx<_> = open_workbook(path).expect("open");
    let r = b.worksheet_range(name).expect("sheet");
    r.rows().map(|x| x.to_vec()).collect()
}

fn col(rows: &[Vec<Data>], header: &str) -> usize {
    rows[0]
        .iter()
        .position(|d| *d == header)
        .unwrap_or_else(|| panic!("no column {header}"))
}

fn num(d: &Data) -> f64 {
    match d {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        other => panic!("not a number: {other:?}"),
    }
}

fn row_of<'a>(rows: &'a [Vec<Data>], id: &str) -> &'a Vec<Data> {
    rows.iter()
        .find(|r| r[0] == id)
        .unwrap_or_else(|| panic!("no row {id}"))
}

fn close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-9, "{a} ≠ {b}");
}

#[test]
fn every_instrument_by_hand() {
    let (_tmp, scheme) = fixture(GOOD_ROW);
    let (code, err, out) = run(&scheme);
    assert_eq!(code, 0, "{err}");
    let summary = out.join("summary.xlsx");

    // 汇总: A1 = 40×1 + 20×0.75 + 20×1 + 20×(0 + 0.75 + 1)/3 − 3 weak spots;
    // A2 = 40×0.5 + 20×1 + 20×1.2 + 20×(1 + 0.25 + 1)/3 − 1 weak spot.
    let s = sheet(&summary, "汇总");
    let total = col(&s, "总分");
    close(
        num(&row_of(&s, "A1")[total]),
        40.0 + 15.0 + 20.0 + 35.0 / 3.0 - 3.0,
    );
    close(
        num(&row_of(&s, "A2")[total]),
        20.0 + 20.0 + 24.0 + 15.0 - 1.0,
    );
    // L1 = 0.5 × 100 + 0.5 × 100 × (40 × 0.75 + 20 × 0.875) / 60, the
    // team's result 79.1666… rounded to 2 places before the blend, as
    // 汇总 shows it (issue 15): 50 + 0.5 × 79.17.
    close(num(&row_of(&s, "L1")[total]), 50.0 + 0.5 * 79.17);
    let notes = row_of(&s, "L1")[col(&s, "备注")].to_string();
    assert!(
        notes.contains("团队指标得分") && notes.contains("走访完成率 0.875"),
        "{notes}"
    );

    // 节点进度: A2's attainments 62×92/(92×31) = 2, 93×92/(92×62) = 1.5, 0.5.
    let c = sheet(&summary, "节点进度");
    let a2 = row_of(&c, "A2");
    close(num(&a2[col(&c, "07-31 节点达成率")]), 2.0);
    close(num(&a2[col(&c, "08-31 节点达成率")]), 1.5);
    close(num(&a2[col(&c, "09-30 节点达成率")]), 0.5);
    close(num(&a2[col(&c, "07-31 序时进度")]), 31.0 / 92.0);
    close(num(&a2[col(&c, "综合达成率")]), 4.0 / 3.0);
    close(num(&row_of(&c, "A1")[col(&c, "综合达成率")]), 1.0);

    // 短板比对: A1 is weakest in the team on completion, progress and RVC.
    let w = sheet(&summary, "短板比对");
    let flags: Vec<(String, String)> = w[1..]
        .iter()
        .filter(|r| r[col(&w, "短板")] == "短板")
        .map(|r| (r[0].to_string(), r[4].to_string()))
        .collect();
    assert_eq!(
        flags,
        vec![
            ("A1".into(), "走访完成率".into()),
            ("A1".into(), "序时进度".into()),
            ("A1".into(), "RVC".into()),
            ("A2".into(), "收入".into()),
        ]
    );
    let rev = w
        .iter()
        .find(|r| r[0] == "A1" && r[4] == "收入")
        .expect("row");
    close(num(&rev[col(&w, "班组均值")]), 0.75);
    close(num(&rev[col(&w, "班组最佳")]), 1.0);

    // 预警: A1 has four (C1 revenue −20 % overdue, C1 contract in 20 days,
    // C1 and C2 silent for 90+ days); A2 two (C3 members −20 % pending, C3 silent).
    let p = sheet(&summary, "预警");
    let got: Vec<(String, String, String, String, String)> = p[1..]
        .iter()
        .map(|r| {
            (
                r[0].to_string(),
                r[3].to_string(),
                r[5].to_string(),
                r[6].to_string(),
                r[12].to_string(),
            )
        })
        .collect();
    let t = |a: &str, b: &str, c: &str, d: &str, e: &str| {
        (
            a.to_string(),
            b.to_string(),
            c.to_string(),
            d.to_string(),
            e.to_string(),
        )
    };
    assert_eq!(
        got,
        vec![
            t("A1", "C1", "收入环比下降", "一般", "逾期未处理"),
            t("A1", "C1", "合同到期", "严重", "待处理"),
            t("A1", "C1", "长期未走访", "严重", "待处理"),
            t("A1", "C2", "长期未走访", "严重", "待处理"),
            t("A2", "C3", "成员流失", "严重", "待处理"),
            t("A2", "C3", "长期未走访", "严重", "待处理"),
        ]
    );
    close(num(&p[1][10]), 0.2);

    // 产品渗透: A1 holds 3 of 4, A2 1 of 4; A2's first opportunity is C4.
    let q = sheet(&summary, "产品渗透");
    close(num(&row_of(&q, "A1")[col(&q, "渗透率")]), 0.75);
    let a2 = row_of(&q, "A2");
    close(num(&a2[col(&q, "渗透率")]), 0.25);
    assert!(
        a2[10].to_string().starts_with("四号公司：专线、云视讯"),
        "{}",
        a2[10]
    );

    // RVC: A1 (0 + 0.75 + 1) / 3, A2 (1 + 0.25 + 1) / 3 = 0.75, first in the team.
    let r = sheet(&summary, "RVC");
    close(num(&row_of(&r, "A1")[col(&r, "RVC指数")]), 1.75 / 3.0);
    let a2 = row_of(&r, "A2");
    close(num(&a2[col(&r, "R")]), 1.0);
    close(num(&a2[col(&r, "RVC指数")]), 0.75);
    close(num(&a2[col(&r, "班组内排名")]), 1.0);

    // 明细: the daily log's completion for A1 is 3 of 4 planned.
    let m = sheet(&summary, "明细");
    let a1 = m
        .iter()
        .find(|r| r[0] == "A1" && r[5] == "走访完成率")
        .expect("detail row");
    close(num(&a1[col(&m, "实际值")]), 0.75);
}

#[test]
fn an_unknown_customer_in_the_log_names_its_cell() {
    let (_tmp, scheme) = fixture(&["A2", "2024-09-25", "1", "1", "C9", "基础成员"]);
    let (code, err, _) = run(&scheme);
    assert_eq!(code, 65, "{err}");
    assert!(err.contains("[日行事例]!E5"), "{err}");
    assert!(
        err.contains("customer `C9` is not in the customer list"),
        "{err}"
    );
}

#[test]
fn a_person_missing_from_the_roster_is_one_problem_however_many_log_rows() {
    let (_tmp, scheme) = fixture_rows(&[
        &["Z9", "2024-07-01", "1", "1", "C1", "关键人"],
        &["Z9", "2024-07-02", "1", "1", "C1", "关键人"],
        &["Z9", "2024-07-03", "1", "1", "C1", "关键人"],
    ]);
    let (code, err, _) = run(&scheme);
    assert_eq!(code, 65, "{err}");
    let lines: Vec<&str> = err.lines().filter(|l| l.contains("`Z9`")).collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(lines[0].contains("[日行事例]!A5"), "{err}");
    assert!(lines[0].contains("(3 rows; this is the first)"), "{err}");
}

#[test]
fn a_kpi_cannot_read_the_weak_spot_count() {
    let (_tmp, scheme) = fixture(GOOD_ROW);
    let text = SCHEME.replace(
        r#"metric = "visit_completion", target = 1"#,
        r#"metric = "weak_spots", target = 1"#,
    );
    std::fs::write(&scheme, text).expect("scheme");
    let (code, err, _) = run(&scheme);
    assert_eq!(code, 78, "{err}");
    assert!(err.contains("weak-spot count"), "{err}");
    assert!(err.contains("scheme.toml:"), "{err}");
}

#[test]
fn team_blend_kpis_must_belong_to_the_members_role() {
    let (_tmp, scheme) = fixture(GOOD_ROW);
    let text = SCHEME.replace(
        r#"kpis = ["revenue", "completion"]"#,
        r#"kpis = ["revenue", "nope"]"#,
    );
    std::fs::write(&scheme, text).expect("scheme");
    let (code, err, _) = run(&scheme);
    assert_eq!(code, 78, "{err}");
    assert!(err.contains("role `am` has no KPI `nope`"), "{err}");
}

/// A checkpoint target must be read from a sheet: a formula metric is
/// computed only after the instruments.
#[test]
fn a_checkpoint_target_that_no_source_provides_is_named() {
    let (_tmp, scheme) = fixture(GOOD_ROW);
    let text = SCHEME.replace(r#"target = "revenue_target" }"#, r#"target = "rvc" }"#);
    std::fs::write(&scheme, text).expect("scheme");
    let (code, err, _) = run(&scheme);
    assert_eq!(code, 65, "{err}");
    assert!(
        err.contains("reads target `rvc`, which no source column provides"),
        "{err}"
    );
}

/// A source sheet that failed to load is reported once: the checkpoint
/// target it would have provided is not blamed as well.
#[test]
fn a_source_that_failed_to_load_is_not_blamed_on_the_checkpoints() {
    let (_tmp, scheme) = fixture(GOOD_ROW);
    let text = SCHEME.replace(r#"sheet = "指标""#, r#"sheet = "指标表""#);
    std::fs::write(&scheme, text).expect("scheme");
    let (code, err, _) = run(&scheme);
    assert_eq!(code, 65, "{err}");
    assert!(err.contains("指标表"), "{err}");
    assert!(!err.contains("no source column provides"), "{err}");
}

/// Problems of every kind come in one pass and in a fixed order, the same on
/// every run although the files are read at once: the roster's, then the
/// sources', then the instruments' (customers, daily log, checkpoints, …).
#[test]
fn problems_come_in_one_pass_roster_then_sources_then_instruments() {
    let (tmp, scheme) = fixture(&["A2", "2024-09-25", "1", "1", "C9", "基础成员"]);
    let d = tmp.path();
    book(
        d,
        "roster.xlsx",
        &[(
            "花名册",
            &[
                &["工号", "姓名", "岗位", "班组"],
                &["A1", "甲", "客户经理", "一班"],
                &["A2", "乙", "客户经理", "一班"],
                &["L1", "丙", "班组长", "一班"],
                &["A2", "丁", "客户经理", "一班"],
            ],
        )],
    );
    book(
        d,
        "kpi.xlsx",
        &[(
            "指标",
            &[
                &["工号", "收入", "收入目标"],
                &["A1", "92", "92"],
                &["A2", "N/A", "92"],
                &["L1", "100", "100"],
            ],
        )],
    );
    book(
        d,
        "monthly.xlsx",
        &[(
            "月度",
            &[
                &["工号", "月份", "累计收入"],
                &["A1", "2024-07", "31"],
                &["A1", "2024-08", "62"],
                &["A1", "2024-09", "92"],
                &["A2", "2024-07", "62"],
                &["A2", "2024-08", "93"],
                &["A2", "2024-09", "46"],
                &["Z9", "2024-09", "46"],
            ],
        )],
    );
    let located = |err: &str| -> Vec<String> {
        let dir = format!("{}/", d.display());
        err.lines()
            .filter(|l| !l.starts_with(' '))
            .map(|l| l.trim_start_matches("error: ").replace(&dir, ""))
            .collect()
    };
    let (code, first, _) = run(&scheme);
    assert_eq!(code, 65, "{first}");
    assert_eq!(
        located(&first),
        [
            "roster.xlsx [花名册]!A5: employee id `A2` appears twice in the roster (first in row 3)",
            "kpi.xlsx [指标]!B3: expected a number for `revenue`, found the text \"N/A\"",
            "log.xlsx [日行事例]!E5: customer `C9` is not in the customer list",
            "monthly.xlsx [月度]!A8: employee `Z9` is not in the roster",
            "4 input problems found",
        ]
    );
    for _ in 0..3 {
        let (_, again, _) = run(&scheme);
        assert_eq!(again, first);
    }
}

/// The scheme's `[limits]` hold for the instruments' workbooks too, not only
/// for the roster and the sources.
#[test]
fn the_schemes_limits_hold_for_the_daily_log() {
    let (tmp, scheme) = fixture_rows(&[GOOD_ROW, GOOD_ROW, GOOD_ROW, GOOD_ROW]);
    // The monthly sheet's 7 rows fit; the log's 8 do not.
    std::fs::write(&scheme, format!("{SCHEME}\n[limits]\nmax_rows = 7\n")).expect("scheme");
    let (code, err, _) = run(&scheme);
    assert_eq!(code, 65, "{err}");
    let dir = format!("{}/", tmp.path().display());
    let first = err.lines().next().unwrap_or_default().replace(&dir, "");
    assert!(
        first.starts_with("error: log.xlsx [日行事例]!A8: a value lies beyond the limit of 7 rows"),
        "{err}"
    );
}

/// Rows of the log with problems of every kind: unknown ids (Z9 three
/// times), an unknown customer, a planned count that is not a number, more
/// contacts than customers, an unknown contact.
const ROWS_WITH_PROBLEMS: &[&[&str]] = &[
    &["Z9", "2024-07-01", "1", "1", "C1", "关键人"],
    &["A1", "2024-07-03", "1", "1", "C9", "关键人"],
    &["A2", "2024-07-04", "x", "1", "C3", "关键人"],
    &["Z9", "2024-07-02", "1", "1", "C1", "关键人"],
    &[
        "A2",
        "2024-07-05",
        "1",
        "1",
        "C3、C4",
        "关键人、基础成员、关键人",
    ],
    &["Y8", "2024-07-05", "1", "1", "C3", "关键人"],
    &["A1", "2024-07-06", "1", "1", "C2", "路人"],
    &["Z9", "2024-07-03", "1", "1", "C1", "关键人"],
];

/// The problems of a run, one line each, with the fixture's directory left
/// out.
fn problem_lines(dir: &Path, err: &str) -> Vec<String> {
    let dir = format!("{}/", dir.display());
    err.lines()
        .filter(|l| !l.starts_with(' '))
        .map(|l| l.trim_start_matches("error: ").replace(&dir, ""))
        .collect()
}

/// A cell of continuation sheet `日行事例k` named as the same row of the
/// whole log, when every sheet holds a header and `per_sheet` rows.
fn as_one_sheet(line: &str, per_sheet: u32) -> String {
    let Some((before, after)) = line.split_once("[日行事例") else {
        return line.to_string();
    };
    let (k, after) = after.split_once("]!").expect("a cell");
    let k: u32 = if k.is_empty() {
        1
    } else {
        k.parse().expect("k")
    };
    let col_end = after.find(|c: char| c.is_ascii_digit()).expect("row");
    let row_end = after.find(':').expect("message");
    let row: u32 = after[col_end..row_end].parse().expect("row");
    let col = &after[..col_end];
    let row = (k - 1) * per_sheet + row;
    format!("{before}[日行事例]!{col}{row}{}", &after[row_end..])
}

#[test]
fn a_log_over_several_sheets_reports_the_problems_of_one_sheet_in_its_order() {
    let (tmp, scheme) = fixture_rows(ROWS_WITH_PROBLEMS);
    let (code, err, _) = run(&scheme);
    assert_eq!(code, 65, "{err}");
    let whole = problem_lines(tmp.path(), &err);
    assert_eq!(
        whole,
        [
            "log.xlsx [日行事例]!C7: expected a number for `planned`, found the text \"x\"",
            "log.xlsx [日行事例]!E6: customer `C9` is not in the customer list",
            "log.xlsx [日行事例]!F9: 2 customers visited but 3 contacts given",
            "log.xlsx [日行事例]!F11: unknown 接触对象 `路人`",
            "log.xlsx [日行事例]!A10: employee `Y8` is not in the roster",
            "log.xlsx [日行事例]!A5: employee `Z9` is not in the roster (3 rows; this is the first)",
            "6 input problems found",
        ]
    );
    // Three rows a sheet: 日行事例 to 日行事例4, read at once.
    let (tmp, scheme) = fixture_split(ROWS_WITH_PROBLEMS, &[3, 6, 9]);
    let (code, err, _) = run(&scheme);
    assert_eq!(code, 65, "{err}");
    let split = problem_lines(tmp.path(), &err);
    assert_eq!(
        split[1],
        "log.xlsx [日行事例2]!E3: customer `C9` is not in the customer list"
    );
    let split: Vec<String> = split.iter().map(|l| as_one_sheet(l, 3)).collect();
    assert_eq!(split, whole);
}

#[test]
fn a_log_over_several_sheets_gives_the_metrics_of_one_sheet() {
    let rows: &[&[&str]] = &[
        &["A1", "2024-07-03", "3", "2", "C2", "基础成员"],
        &["A2", "2024-07-04", "1", "0", "", ""],
        GOOD_ROW,
        &["A1", "2024-09-30", "1", "1", "C1", "关键人"],
        &["A2", "2024-10-08", "1", "1", "C3", "基础成员"],
    ];
    let (_whole, scheme) = fixture_rows(rows);
    let (code, err, whole) = run(&scheme);
    assert_eq!(code, 0, "{err}");
    let (_split, scheme) = fixture_split(rows, &[1, 2, 4, 5, 6]);
    let (code, err, split) = run(&scheme);
    assert_eq!(code, 0, "{err}");
    let (whole, split) = (whole.join("summary.xlsx"), split.join("summary.xlsx"));
    for name in ["汇总", "短板比对", "预警", "RVC"] {
        assert_eq!(sheet(&split, name), sheet(&whole, name), "{name}");
    }
    // Each value's rows name their own sheets, in order.
    let (mut whole, mut split) = (sheet(&whole, "明细"), sheet(&split, "明细"));
    let from = col(&whole, "实际值来源");
    let completion = |r: &&Vec<Data>| r[0] == "A1" && r[4] == "completion";
    let a1 = split.iter().find(completion).expect("A1's completion");
    assert_eq!(
        a1[from],
        "log.xlsx [日行事例] 第2行、[日行事例2] 第2行、[日行事例3] 第3行、[日行事例6] 第2行（共4行）"
    );
    for row in whole.iter_mut().chain(split.iter_mut()) {
        row.remove(from);
    }
    assert_eq!(split, whole);
}

#[test]
fn a_limit_exceeded_in_a_later_log_sheet_is_reported_at_its_cell() {
    // 日行事例3 holds a header and seven rows: its last is beyond
    // `max_rows = 7`, which the sheets before it keep.
    let rows: &[&[&str]] = &[
        &["A2", "2024-07-04", "x", "1", "C3", "关键人"],
        &["Z9", "2024-07-01", "1", "1", "C1", "关键人"],
        &["A1", "2024-07-03", "1", "1", "C9", "关键人"],
        &["Y8", "2024-07-05", "1", "1", "C3", "关键人"],
        &["Z9", "2024-07-02", "1", "1", "C1", "关键人"],
        GOOD_ROW,
        GOOD_ROW,
        GOOD_ROW,
        &["W7", "2024-07-05", "1", "1", "C3", "关键人"],
    ];
    let (tmp, scheme) = fixture_split(rows, &[3, 5]);
    std::fs::write(&scheme, format!("{SCHEME}\n[limits]\nmax_rows = 7\n")).expect("scheme");
    let (code, err, _) = run(&scheme);
    assert_eq!(code, 65, "{err}");
    // The problems of the sheets before it stay, but not the rows' own
    // (C9): the log is not used. The ids not in the roster are those of
    // the rows read before the cell beyond the limit (not W7).
    assert_eq!(
        problem_lines(tmp.path(), &err),
        [
            "log.xlsx [日行事例2]!C2: expected a number for `planned`, found the text \"x\"",
            "log.xlsx [日行事例3]!A8: a value lies beyond the limit of 7 rows and 500 columns",
            "log.xlsx [日行事例3]!A3: employee `Y8` is not in the roster",
            "log.xlsx [日行事例2]!A3: employee `Z9` is not in the roster (2 rows; this is the first)",
            "4 input problems found",
        ]
    );
}

// issue 16
#[test]
fn an_unknown_customer_in_the_log_is_told_in_chinese() {
    let (_tmp, scheme) = fixture(&["A2", "2024-09-25", "1", "1", "C9", "基础成员"]);
    let out = scheme.parent().expect("dir").join("out");
    let o = common::appraise()
        .args(["--lang", "zh", "run"])
        .arg(&scheme)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(65), "{err}");
    assert!(
        err.contains("log.xlsx [日行事例]!E5: 客户 `C9` 不在客户名单中"),
        "{err}"
    );
    assert!(
        err.contains("改正 客户编码，或把该客户加入客户名单"),
        "{err}"
    );
    assert!(!err.contains("customer list"), "{err}");
}
