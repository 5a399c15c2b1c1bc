//! Property tests of the scoring invariants in STYLE.md (issue 5):
//! a score stays between its floor and cap; raising a higher-is-better
//! actual never lowers its score; the order of input rows never changes the
//! results (the written summary cells are identical).

use crate::common::{Workdir, n, s, write_book};
use appraise::config::{Kpi, Rounding};
use appraise::score::kpi::{KpiValues, evaluate};
use appraise::score::round::Stages;
use calamine::{Data, Reader, Xlsx, open_workbook};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn kpi(rule: &str, target: bool) -> Kpi {
    let target = if target {
        "target = { metric = \"t\" }\n"
    } else {
        ""
    };
    toml::from_str(&format!(
        "id = \"k\"\nname = \"k\"\nweight = 100\nmetric = \"m\"\n{target}rule = {rule}\n"
    ))
    .unwrap_or_else(|e| panic!("{rule}: {e}"))
}

/// The KPI's score (a fraction of its weight) for an actual, a target and
/// a second value (the growth base, the matrix row), unrounded.
fn score(k: &Kpi, actual: Decimal, target: Decimal, second: Option<Decimal>) -> Option<Decimal> {
    let rounding = Rounding::default();
    evaluate(
        0,
        k,
        KpiValues {
            actual: Some(actual),
            target: Some(target),
            second,
            rank: None,
            formula: None,
            formula_missing: None,
            stages: Stages(&rounding),
        },
    )
    .ok()
    .map(|s| s.score_exact)
}

/// A decimal of up to 4 places in ±10^8.
fn dec() -> impl Strategy<Value = Decimal> {
    (-1_000_000_000_000i64..1_000_000_000_000, 0u32..=4).prop_map(|(m, s)| Decimal::new(m, s))
}

fn positive() -> impl Strategy<Value = Decimal> {
    (1i64..1_000_000_000_000, 0u32..=4).prop_map(|(m, s)| Decimal::new(m, s))
}

/// floor ≤ cap, both in [0, 3] with two places.
fn bounds() -> impl Strategy<Value = (Decimal, Decimal)> {
    (0i64..=300, 0i64..=300).prop_map(|(a, b)| {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        (Decimal::new(lo, 2), Decimal::new(hi, 2))
    })
}

const CLAMPED: [&str; 5] = [
    "{ type = \"ratio\", floor = F, cap = C }",
    "{ type = \"inverse\", mode = \"ratio\", floor = F, cap = C, zero_actual = C }",
    "{ type = \"inverse\", mode = \"two_minus\", floor = F, cap = C }",
    "{ type = \"inverse\", mode = \"deviation\", floor = F, cap = C }",
    "{ type = \"growth\", base = \"b\", floor = F, cap = C, base_nonpositive = F }",
];

/// Bands of non-decreasing scores on the completion rate.
const BANDS: &str = "{ type = \"bands\", on = \"rate\", bands = [{ to = 0.6, score = 0 }, { from = 0.6, to = 0.8, score = 0.5 }, { from = 0.8, to = 1, score = 0.8 }, { from = 1, to = 1.2, score = 1 }, { from = 1.2, score = 1.2 }] }";

const RISING: [&str; 6] = [
    "{ type = \"ratio\", cap = 1.2 }",
    "{ type = \"piecewise\", on = \"rate\", points = [[0.8, 0.6], [1.0, 1.0], [1.2, 1.2]], below = \"zero\" }",
    "{ type = \"piecewise\", on = \"value\", points = [[-50, 0], [0, 0.5], [100, 1]], below = \"clamp\" }",
    BANDS,
    "{ type = \"gate\", pass = 1, fail = 0.5 }",
    "{ type = \"matrix\", on = \"rate\", columns = [0, 0.7, 0.85, 0.95], row_metric = \"r\", rows = [0, 0.9, 1.0], table = [[0.2, 0.5, 0.7, 0.8], [0.3, 0.6, 0.85, 0.95], [0.4, 0.7, 0.95, 1.1]] }",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn a_score_stays_between_floor_and_cap(
        which in 0..CLAMPED.len(),
        (floor, cap) in bounds(),
        actual in dec(),
        target in positive(),
        base in dec(),
    ) {
        let rule = CLAMPED[which]
            .replace('F', &floor.to_string())
            .replace('C', &cap.to_string());
        let k = kpi(&rule, true);
        let second = Some(base);
        if let Some(s) = score(&k, actual, target, second) {
            prop_assert!(s >= floor && s <= cap, "{rule}: actual {actual}, target {target}, base {base}: score {s}");
        }
    }

    #[test]
    fn raising_a_higher_is_better_actual_never_lowers_its_score(
        which in 0..RISING.len(),
        actual in dec(),
        raise in positive(),
        target in positive(),
        row in dec(),
    ) {
        let k = kpi(RISING[which], true);
        let low = score(&k, actual, target, Some(row));
        let high = score(&k, actual + raise, target, Some(row));
        if let (Some(low), Some(high)) = (low, high) {
            prop_assert!(high >= low, "{}: {actual} → {low}, {} → {high}", RISING[which], actual + raise);
        }
    }
}

// ───────────────────────────── row order ─────────────────────────────

/// A scheme whose results could depend on order if the engine were careless:
/// a rank rule with ties, team blends, a forced distribution with tie-breaks.
const ORDER_SCHEME: &str = r#"[period]
id = "T1"
start = 2024-07-01
end = 2024-09-30

[rounding]
rate = 4
score = 4
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
[sources.am.columns]
revenue = "收入"
revenue_target = "目标"
visits = "走访"

[sources.events]
file = "events.xlsx"
sheet = "事件"
key = "工号"
rows = "many_per_key"
[sources.events.columns]
kind = { header = "类型", type = "text" }
times = "次数"

[metrics]
praise = { input = "events", agg = "sum", field = "times", where = { kind = "表扬" } }

[roles.am]
name = "客户经理"
roster_value = "客户经理"

[[roles.am.kpis]]
id = "revenue"
name = "收入完成率"
weight = 70
metric = "revenue"
target = { metric = "revenue_target" }
rule = { type = "ratio", cap = 1.2 }

[[roles.am.kpis]]
id = "visits"
name = "走访排名"
weight = 30
metric = "visits"
rule = { type = "rank", group = "team", best = 1, worst = 0.5, ties = "average" }

[[roles.am.adjustments]]
id = "bonus"
name = "加分"
cap = 5
items = [{ name = "表扬", metric = "praise", points = 1 }]

[grades]
scale = ["A", "B", "C"]
cutoffs = [{ grade = "A", min = 90 }, { grade = "B", min = 70 }]

[grades.distribution]
group = "department"
tie_break = ["total", "kpi:visits", "revenue"]
quotas = [{ grade = "A", max = 0.25 }, { grade = "C", min = 0.2 }]
"#;

/// Every cell of the summary's sheets but 运行信息 (which names the run by
/// its inputs' hashes, and so by their bytes) and the two source columns of
/// 明细 (which name the cell a value was read from, and so its row).
fn summary_cells(dir: &std::path::Path) -> Vec<(String, Vec<Vec<Data>>)> {
    let mut book: Xlsx<_> = open_workbook(dir.join("out/summary.xlsx")).expect("summary");
    book.sheet_names()
        .into_iter()
        .filter(|n| n != "运行信息")
        .map(|n| {
            let r = book.worksheet_range(&n).expect("sheet");
            let mut rows: Vec<Vec<Data>> = r.rows().map(|r| r.to_vec()).collect();
            let sources: Vec<usize> = rows
                .first()
                .map(|h| {
                    h.iter()
                        .enumerate()
                        .filter(|(_, d)| matches!(d, Data::String(t) if t.ends_with("来源")))
                        .map(|(i, _)| i)
                        .collect()
                })
                .unwrap_or_default();
            for row in rows.iter_mut().skip(1) {
                for &i in &sources {
                    if let Some(c) = row.get_mut(i) {
                        *c = Data::Empty;
                    }
                }
            }
            (n, rows)
        })
        .collect()
}

type Cells = Vec<(String, Vec<Vec<String>>)>;

fn run_order(people: &[(u8, u8, u8, u8)], praise: &[usize], order: &[usize]) -> Cells {
    let w = Workdir::new();
    w.scheme(ORDER_SCHEME);
    let id = |i: usize| format!("E{i:02}");
    let mut roster = vec![vec![s("工号"), s("姓名"), s("岗位"), s("班组"), s("部门")]];
    let mut data = vec![vec![s("工号"), s("收入"), s("目标"), s("走访")]];
    for &i in order {
        let (rev, tgt, visits, team) = people[i];
        roster.push(vec![
            s(&id(i)),
            s(&format!("员工{i}")),
            s("客户经理"),
            s(if team % 2 == 0 { "一班" } else { "二班" }),
            s("集团客户部"),
        ]);
        data.push(vec![
            s(&id(i)),
            n(f64::from(rev)),
            n(f64::from(tgt) + 1.0),
            n(f64::from(visits % 4)),
        ]);
    }
    let mut events = vec![vec![s("工号"), s("类型"), s("次数")]];
    let mut rows: Vec<usize> = praise.iter().map(|p| p % people.len()).collect();
    // The event rows follow the same permutation as the people.
    rows.sort_by_key(|p| order.iter().position(|o| o == p));
    for p in rows {
        events.push(vec![s(&id(p)), s("表扬"), n(1.0)]);
    }
    write_book(&w.path("roster.xlsx"), &[("花名册", &roster)]);
    write_book(&w.path("data.xlsx"), &[("指标", &data)]);
    write_book(&w.path("events.xlsx"), &[("事件", &events)]);
    let o = w.run(&["run", "appraisal.toml", "--out", "out"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    summary_cells(w.dir.path())
        .into_iter()
        .map(|(n, rows)| {
            let rows = rows
                .into_iter()
                .map(|r| r.into_iter().map(|d| format!("{d:?}")).collect())
                .collect();
            (n, rows)
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn row_order_never_changes_results(
        people in prop::collection::vec((50u8..=130, 80u8..=120, 0u8..=255, 0u8..=3), 4..14),
        praise in prop::collection::vec(0usize..100, 0..8),
        seed in any::<u64>(),
    ) {
        let forward: Vec<usize> = (0..people.len()).collect();
        // A seeded Fisher–Yates shuffle of the rows.
        let mut shuffled = forward.clone();
        let mut x = seed;
        for i in (1..shuffled.len()).rev() {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let j = (x >> 33) as usize % (i + 1);
            shuffled.swap(i, j);
        }
        let a = run_order(&people, &praise, &forward);
        let b = run_order(&people, &praise, &shuffled);
        prop_assert_eq!(a, b);
    }
}
