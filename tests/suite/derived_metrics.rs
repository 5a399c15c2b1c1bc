//! Issue 19, items 1 and 6: derived metrics with row conditions and date
//! arithmetic (`where = "answered - requested <= 3"`, `value = "answered -
//! requested"`, `agg = "mean"`, `between`), exact, with errors at the
//! scheme's line and at the cell; and every derived value traced in
//! `explain` and in the employee's workbook: the rows counted and why the
//! others did not count.

use crate::common::{self, C, Workdir, n, s, stderr, stdout};
use calamine::{Reader, open_workbook_auto};

pub const SCHEME: &str = r#"[period]
id = "T1"
start = 2024-07-01
end = 2024-09-30

[roster]
file = "roster.xlsx"
sheet = "花名册"
columns = { id = "工号", name = "姓名", role = "岗位", team = "班组" }

[sources.requests]
file = "requests.xlsx"
sheet = "方案需求"
key = "工号"
rows = "many_per_key"
[sources.requests.columns]
requested = { header = "提出日期", type = "date" }
answered = { header = "答复日期", type = "date" }
kind = { header = "类型", type = "text" }
amount = "金额(万元)"

[metrics]
requests = { input = "requests", agg = "count", in_period = "requested" }
answered_in_3_days = { input = "requests", agg = "count", in_period = "requested", where = "answered - requested <= 3" }
big_deals = { input = "requests", agg = "count", where = "amount > 50 and kind == '方案'" }
august = { input = "requests", agg = "count", where = "between(requested, '2024-08-01', '2024-08-31')" }
answer_days = { input = "requests", agg = "mean", value = "answered - requested", in_period = "requested" }
answer_rate = { formula = "answered_in_3_days / requests" }

[roles.am]
name = "客户经理"
roster_value = "客户经理"

[[roles.am.kpis]]
id = "answer"
name = "3天答复率"
weight = 40
metric = "answer_rate"
target = 1
rule = { type = "ratio", cap = 1 }

[[roles.am.kpis]]
id = "days"
name = "平均答复天数"
weight = 20
metric = "answer_days"
target = 3
rule = { type = "ratio" }

[[roles.am.kpis]]
id = "deals"
name = "大单"
weight = 20
metric = "big_deals"
target = 2
rule = { type = "ratio" }

[[roles.am.kpis]]
id = "august"
name = "八月需求"
weight = 20
metric = "august"
target = 2
rule = { type = "ratio" }

[grades]
scale = ["A", "B", "C"]
cutoffs = [{ grade = "A", min = 90 }, { grade = "B", min = 60 }]
"#;

fn d(y: u16, m: u8, day: u8) -> C {
    C::D(y, m, day)
}

/// The request log: E01's six rows (2–6 and 8), E02's two (7, 9), E03's
/// one (10). Rows 6 and 8 hold their dates as text, as exports do.
fn requests() -> Vec<Vec<C>> {
    let text = |t: &str| s(t);
    vec![
        vec![
            s("工号"),
            s("提出日期"),
            s("答复日期"),
            s("类型"),
            s("金额(万元)"),
        ],
        // 2: answered in exactly 3 days; 方案 over 50.
        vec![s("E01"), d(2024, 7, 30), d(2024, 8, 2), s("方案"), n(60.0)],
        // 3: 1 day; 报价.
        vec![s("E01"), d(2024, 8, 5), d(2024, 8, 6), s("报价"), n(20.0)],
        // 4: not answered yet.
        vec![s("E01"), d(2024, 8, 10), C::Blank, s("方案"), n(80.0)],
        // 5: asked before the period.
        vec![s("E01"), d(2024, 6, 28), d(2024, 7, 1), s("方案"), n(55.0)],
        // 6: 5 days, text dates.
        vec![
            s("E01"),
            text("2024-08-20"),
            text("2024/08/25"),
            s("方案"),
            n(10.0),
        ],
        // 7: E02, 3 days.
        vec![s("E02"), d(2024, 8, 1), d(2024, 8, 4), s("方案"), n(51.0)],
        // 8: 4 days, no amount.
        vec![
            s("E01"),
            text("2024年9月1日"),
            d(2024, 9, 5),
            s("方案"),
            C::Blank,
        ],
        // 9: E02, the same day.
        vec![s("E02"), d(2024, 9, 10), d(2024, 9, 10), s("报价"), n(5.0)],
        // 10: E03, 1 day.
        vec![s("E03"), d(2024, 8, 15), d(2024, 8, 16), s("方案"), n(30.0)],
    ]
}

fn workdir(scheme: &str) -> Workdir {
    let w = Workdir::empty();
    w.scheme(scheme);
    w.book("roster.xlsx", "花名册", &common::roster());
    w.book("requests.xlsx", "方案需求", &requests());
    w
}

fn explain(w: &Workdir, id: &str, lang: &str) -> String {
    let o = w.run(&["explain", "appraisal.toml", id, "--lang", lang]);
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o)
}

/// The line of `text` that contains `what`.
fn line_with<'a>(text: &'a str, what: &str) -> &'a str {
    text.lines()
        .find(|l| l.contains(what))
        .unwrap_or_else(|| panic!("no line with `{what}` in\n{text}"))
        .trim()
}

// issue 19
#[test]
fn a_count_within_three_days_skips_blank_answers_and_rows_outside_the_period() {
    let w = workdir(SCHEME);
    let o = w.run(&["check", "appraisal.toml"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = explain(&w, "E01", "zh");
    // 2 of the 5 requests asked in the period were answered within 3 days
    // (row 2 at exactly 3 days, row 3); row 4 is not answered, row 5 was
    // asked in June, rows 6 and 8 took 5 and 4 days.
    assert_eq!(
        line_with(&out, "answered_in_3_days = 2"),
        "answered_in_3_days = 2：requests.xlsx [方案需求]：6 行，计入 2 行（提出日期 在周期内；答复日期 − 提出日期 ≤ 3）：第 2、3 行；未计入：不在周期内 第 5 行；不满足条件 第 6、8 行；答复日期 空白 第 4 行"
    );
    assert_eq!(
        line_with(&out, "requests = 5"),
        "requests = 5：requests.xlsx [方案需求]：6 行，计入 5 行（提出日期 在周期内）：第 2、3、4、6、8 行；未计入：不在周期内 第 5 行"
    );
    // The formula metric shows its formula with the values put in.
    assert!(
        out.contains(
            "实际值    answer_rate = 0.4  来自 公式指标 answer_rate = answered_in_3_days / requests = 2 / 5 = 0.4"
        ),
        "{out}"
    );
}

// issue 19
#[test]
fn the_trace_reads_in_english_too() {
    let w = workdir(SCHEME);
    let out = explain(&w, "E01", "en");
    assert_eq!(
        line_with(&out, "answered_in_3_days = 2"),
        "answered_in_3_days = 2: requests.xlsx [方案需求]: 6 rows, 2 counted (提出日期 in the period; 答复日期 − 提出日期 ≤ 3): rows 2, 3; not counted: outside the period: row 5; condition not met: rows 6, 8; 答复日期 blank: row 4"
    );
    assert!(
        out.contains(
            "from formula metric answer_rate = answered_in_3_days / requests = 2 / 5 = 0.4"
        ),
        "{out}"
    );
}

// issue 19
#[test]
fn a_mean_of_a_date_difference_is_exact_and_leaves_out_blank_rows() {
    let w = workdir(SCHEME);
    let out = explain(&w, "E01", "zh");
    // (3 + 1 + 5 + 4) / 4: row 4 has no answer, row 5 is outside the period.
    assert_eq!(
        line_with(&out, "实际值    answer_days"),
        "实际值    answer_days = 3.25  来自 requests.xlsx [方案需求]：6 行，对其中 4 行的 答复日期 − 提出日期 求平均（提出日期 在周期内）：第 2、3、6、8 行；未计入：不在周期内 第 5 行；答复日期 空白 第 4 行"
    );
    // E02: (3 + 0) / 2.
    let out = explain(&w, "E02", "en");
    assert!(
        line_with(&out, "actual    answer_days").starts_with("actual    answer_days = 1.5  from"),
        "{out}"
    );
    // The rate is 1.5 / 3 exactly.
    assert!(out.contains("0.5"), "{out}");
}

// issue 19
#[test]
fn numeric_and_text_filters_and_between_select_rows() {
    let w = workdir(SCHEME);
    let out = explain(&w, "E01", "zh");
    // 方案 over 50: rows 2, 4, 5 (no `in_period`: June counts); row 8 has
    // no amount.
    assert_eq!(
        line_with(&out, "实际值    big_deals"),
        "实际值    big_deals = 3  来自 requests.xlsx [方案需求]：6 行，计入 3 行（金额(万元) > 50 and 类型 = '方案'）：第 2、4、5 行；未计入：不满足条件 第 3、6 行；金额(万元) 空白 第 8 行"
    );
    // August, inclusive at both ends: rows 3, 4, 6 (a text date).
    assert_eq!(
        line_with(&out, "实际值    august"),
        "实际值    august = 3  来自 requests.xlsx [方案需求]：6 行，计入 3 行（between(提出日期, 2024-08-01, 2024-08-31)）：第 3、4、6 行；未计入：不满足条件 第 2、5、8 行"
    );
    // E02's row 7 is dated 2024-08-01: the first day counts.
    let out = explain(&w, "E02", "zh");
    assert!(
        line_with(&out, "实际值    august").contains("计入 1 行"),
        "{out}"
    );
}

// issue 19
#[test]
fn the_employee_workbook_traces_only_that_persons_rows() {
    let w = workdir(SCHEME);
    let o = w.run(&["run", "appraisal.toml", "--out", "out"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let texts = |id: &str| -> Vec<String> {
        let mut found = Vec::new();
        for team in std::fs::read_dir(w.path("out/feedback")).expect("feedback") {
            for f in std::fs::read_dir(team.expect("team").path()).expect("team dir") {
                let p = f.expect("file").path();
                let name = p
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or("")
                    .to_string();
                if !name.starts_with(&format!("{id}-")) {
                    continue;
                }
                let mut wb = open_workbook_auto(&p).expect("open");
                for sheet in wb.sheet_names() {
                    let r = wb.worksheet_range(&sheet).expect("sheet");
                    found.extend(r.rows().flatten().map(common::cell_text));
                }
            }
        }
        assert!(!found.is_empty(), "no workbook for {id}");
        found
    };
    let e01 = texts("E01");
    let trace = e01
        .iter()
        .find(|t| t.starts_with("公式指标 answer_rate"))
        .unwrap_or_else(|| panic!("no trace in {e01:?}"));
    assert_eq!(
        trace,
        "公式指标 answer_rate = answered_in_3_days / requests = 2 / 5 = 0.4\n\
         answered_in_3_days = 2：requests.xlsx [方案需求]：6 行，计入 2 行（提出日期 在周期内；答复日期 − 提出日期 ≤ 3）：第 2、3 行；未计入：不在周期内 第 5 行；不满足条件 第 6、8 行；答复日期 空白 第 4 行\n\
         requests = 5：requests.xlsx [方案需求]：6 行，计入 5 行（提出日期 在周期内）：第 2、3、4、6、8 行；未计入：不在周期内 第 5 行"
    );
    // E02's workbook names E02's rows (7 and 9) and none of E01's.
    let e02 = texts("E02");
    let traces: Vec<&String> = e02.iter().filter(|t| t.contains("[方案需求]")).collect();
    assert!(!traces.is_empty(), "{e02:?}");
    for t in traces {
        let rows: Vec<&str> = t
            .split(['第', '行'])
            .filter(|p| p.chars().next().is_some_and(|c| c == ' '))
            .collect();
        for r in rows {
            for k in r.split(['、', ' ']).filter(|k| !k.is_empty()) {
                assert!(k == "7" || k == "9", "E02's trace names row {k}: {t}");
            }
        }
    }
}

fn check_fails(scheme: &str) -> String {
    let w = workdir(scheme);
    let o = w.run(&["check", "appraisal.toml", "--lang", "en"]);
    assert_eq!(o.status.code(), Some(78), "{}", stderr(&o));
    stderr(&o)
}

/// `appraisal.toml:LINE:COL` of the first `needle` in the scheme, at
/// `offset` characters into it.
fn place(scheme: &str, needle: &str, offset: usize) -> String {
    let (i, line) = scheme
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains(needle))
        .expect("needle");
    let byte = line.find(needle).expect("in line");
    let col = line[..byte].chars().count() + offset + 1;
    format!("appraisal.toml:{}:{col}", i + 1)
}

// issue 19
#[test]
fn mismatched_types_are_errors_at_the_scheme_line_with_the_fix() {
    // Text minus a number.
    let scheme = SCHEME.replace(
        "where = \"amount > 50 and kind == '方案'\"",
        "where = \"kind - 1 > 0\"",
    );
    let err = check_fails(&scheme);
    assert!(
        err.contains(&place(&scheme, "\"kind - 1 > 0\"", 6)),
        "{err}"
    );
    assert!(
        err.contains("`kind` (text) and `1` (a number) cannot go with `−`"),
        "{err}"
    );
    assert!(err.contains("help: text takes no arithmetic"), "{err}");
    // A date compared with a number.
    let scheme = SCHEME.replace(
        "where = \"amount > 50 and kind == '方案'\"",
        "where = \"requested > 5\"",
    );
    let err = check_fails(&scheme);
    assert!(err.contains("compare a date with a quoted date"), "{err}");
    // A misspelt column.
    let scheme = SCHEME.replace(
        "where = \"answered - requested <= 3\"",
        "where = \"answerd - requested <= 3\"",
    );
    let err = check_fails(&scheme);
    assert!(err.contains(&place(&scheme, "\"answerd", 1)), "{err}");
    assert!(err.contains("there is no column field `answerd`"), "{err}");
    assert!(err.contains("answered (date)"), "{err}");
    // A text that is not a date, against a date.
    let scheme = SCHEME.replace("'2024-08-31'", "'end of August'");
    let err = check_fails(&scheme);
    assert!(err.contains("'end of August' is not a date"), "{err}");
    assert!(err.contains(&place(&scheme, "'end of August'", 0)), "{err}");
    // A `where` that is not a condition.
    let scheme = SCHEME.replace(
        "where = \"amount > 50 and kind == '方案'\"",
        "where = \"requested\"",
    );
    let err = check_fails(&scheme);
    assert!(
        err.contains("`where` needs a condition, and `requested` is a date"),
        "{err}"
    );
    // The table form on a number column points at the row condition.
    let scheme = SCHEME.replace(
        "where = \"amount > 50 and kind == '方案'\"",
        "where = { amount = \"50\" }",
    );
    let err = check_fails(&scheme);
    assert!(
        err.contains(
            "help: for a number or a date write a row condition, as in `where = \"amount > 50\"`"
        ),
        "{err}"
    );
    // A value that is not a number, and a value on a count.
    let scheme = SCHEME.replace("value = \"answered - requested\"", "value = \"answered\"");
    let err = check_fails(&scheme);
    assert!(err.contains("`value` needs a number"), "{err}");
    let scheme = SCHEME.replace(
        "agg = \"count\", where = \"amount > 50",
        "agg = \"count\", value = \"amount\", where = \"amount > 50",
    );
    let err = check_fails(&scheme);
    assert!(
        err.contains("`value` is for sum, mean, min and max"),
        "{err}"
    );
}

// issue 19
#[test]
fn a_row_that_overflows_is_a_problem_naming_the_person_and_the_cell() {
    let scheme = SCHEME.replace(
        "value = \"answered - requested\"",
        "value = \"amount * amount * (answered - requested)\"",
    );
    let w = workdir(&scheme);
    let mut rows = requests();
    rows[1][4] = n(999_999_999_999_999.0);
    w.book("requests.xlsx", "方案需求", &rows);
    let o = w.run(&["run", "appraisal.toml", "--out", "out", "--lang", "en"]);
    assert_eq!(o.status.code(), Some(65), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains(
            "E01 张三: metric `answer_days`: the result is too large for a decimal in this row"
        ),
        "{err}"
    );
    assert!(err.contains("requests.xlsx [方案需求]!E2"), "{err}");
}
