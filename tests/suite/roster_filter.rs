//! Issue 19: the roster can be filtered. `[roster] where` scores one
//! department out of a branch-wide roster; the people outside it are counted
//! and reported, never errors, and their rows in the data sheets are skipped.

use crate::common::{self, C, Workdir, err_lines, n, read_sheet, s, stderr, stdout};

/// A branch-wide roster: two of 集团客户部, one 客户经理 and one 装维
/// (a post no role of the scheme has) of 公众部.
fn branch() -> Workdir {
    let w = Workdir::new();
    w.book(
        "roster.xlsx",
        "花名册",
        &vec![
            vec![s("工号"), s("姓名"), s("岗位"), s("班组"), s("部门")],
            vec![
                s("E01"),
                s("张三"),
                s("客户经理"),
                s("一班"),
                s("集团客户部"),
            ],
            vec![
                s("E02"),
                s("李四"),
                s("客户经理"),
                s("一班"),
                s("集团客户部"),
            ],
            vec![s("E03"), s("王五"), s("客户经理"), s("二班"), s("公众部")],
            vec![s("E04"), s("赵六"), s("装维"), s("三班"), s("公众部")],
        ],
    );
    // The data sheets hold the whole branch too.
    let mut data = common::data();
    data.push(vec![s("E04"), n(50.0), n(100.0), n(3.0)]);
    w.book("data.xlsx", "指标", &data);
    let mut events = common::events();
    events.push(vec![s("E04"), s("投诉"), C::D(2024, 8, 2)]);
    w.book("events.xlsx", "事件", &events);
    w
}

fn filtered(w: &Workdir, filter: &str) {
    w.edit(
        "columns = { id = \"工号\", name = \"姓名\", role = \"岗位\", team = \"班组\" }",
        &format!(
            "columns = {{ id = \"工号\", name = \"姓名\", role = \"岗位\", team = \"班组\" }}\n{filter}"
        ),
    );
}

// issue 19
#[test]
fn a_branch_roster_without_a_filter_is_refused() {
    let w = branch();
    let o = w.run(&["check", "appraisal.toml"]);
    assert_eq!(o.status.code(), Some(65), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("岗位 `装维` of `E04` matches no role"),
        "{}",
        stderr(&o)
    );
}

// issue 19
#[test]
fn roster_where_scores_one_department_and_counts_the_rest() {
    let w = branch();
    filtered(&w, "where = { \"部门\" = \"集团客户部\" }");
    let o = w.run(&["check", "appraisal.toml"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("ok: 1 roles, 2 employees"), "{out}");
    assert!(
        out.contains("; 2 people outside the roster's `where` were left out"),
        "{out}"
    );
    let o = w.run(&["check", "appraisal.toml", "--lang", "zh"]);
    assert!(
        stdout(&o).contains("花名册中 2 人不在 [roster] where 之内，未计入"),
        "{}",
        stdout(&o)
    );
    let o = w.run(&["run", "appraisal.toml", "--out", "out", "--no-feedback"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("scored 2 employees") && stderr(&o).contains("2 people outside"),
        "{}",
        stderr(&o)
    );
    let summary = w.path("out/summary.xlsx");
    let cells: Vec<String> = read_sheet(&summary, "汇总").into_iter().flatten().collect();
    assert!(cells.iter().any(|c| c == "E01") && cells.iter().any(|c| c == "E02"));
    assert!(!cells.iter().any(|c| c == "E03" || c == "E04"), "{cells:?}");
    let info = read_sheet(&summary, "运行信息");
    let row = info
        .iter()
        .find(|r| r.first().map(String::as_str) == Some("筛选外人数"))
        .unwrap_or_else(|| panic!("no 筛选外人数 in {info:?}"));
    assert_eq!(row[1], "2");
}

// issue 19
#[test]
fn roster_where_takes_a_list_of_values_of_any_column() {
    let w = branch();
    filtered(&w, "where = { \"班组\" = [\"一班\", \"二班\"] }");
    let o = w.run(&["check", "appraisal.toml"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("3 employees"), "{out}");
    assert!(
        out.contains("; 1 person outside the roster's `where` was left out"),
        "{out}"
    );
}

// issue 19
#[test]
fn a_row_inside_the_filter_whose_post_matches_no_role_is_still_an_error() {
    let w = branch();
    filtered(&w, "where = { \"部门\" = \"公众部\" }");
    let o = w.run(&["check", "appraisal.toml"]);
    assert_eq!(o.status.code(), Some(65), "{}", stderr(&o));
    let lines = err_lines(&o);
    assert!(
        lines
            .iter()
            .any(|l| l.contains("岗位 `装维` of `E04` matches no role")),
        "{lines:#?}"
    );
}

// issue 19
#[test]
fn a_filter_on_a_column_the_roster_lacks_names_the_header_row() {
    let w = branch();
    filtered(&w, "where = { \"科室\" = \"集团客户部\" }");
    let o = w.run(&["check", "appraisal.toml"]);
    assert_ne!(o.status.code(), Some(0));
    let err = stderr(&o);
    assert!(err.contains("roster.xlsx [花名册]"), "{err}");
    assert!(err.contains("no column `科室`"), "{err}");
    // … and the scheme's line that asks for it.
    assert!(err.contains("[roster] where, appraisal.toml:16:"), "{err}");
}
