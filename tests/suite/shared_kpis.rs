//! Issue 19: roles share KPIs without copying. A team leader takes the
//! account manager's KPIs (`kpis_from`, or one with `from = "am.revenue"`)
//! with its own weights; the scores are those of a hand-written copy, the
//! workbooks show one column per KPI, `explain` says where a KPI came from,
//! and every mistake is an error at its line.

use crate::common::{Workdir, err_lines, n, read_sheet, roster, s, stdout, write_book};

/// The fixture plus a 班组长 (E04) whose KPIs are `role`, a TOML text of
/// `[roles.tl]` and its tables.
fn with_leader(role: &str) -> Workdir {
    let w = Workdir::new();
    let scheme = crate::common::SCHEME.replacen("[grades]", &format!("{role}\n[grades]"), 1);
    w.scheme(&scheme);
    let mut r = roster();
    r.push(vec![s("E04"), s("赵六"), s("班组长"), s("一班")]);
    w.book("roster.xlsx", "花名册", &r);
    let mut d = crate::common::data();
    d.push(vec![s("E04"), n(90.0), n(100.0), n(6.0)]);
    write_book(&w.path("data.xlsx"), &[("指标", &d)]);
    w
}

/// The team leader takes every KPI of `am` and changes one weight.
const TAKES_ALL: &str = r#"[roles.tl]
name = "班组长"
roster_value = "班组长"
kpis_from = "am"

[[roles.tl.kpis]]
id = "visits"
weight = 30

[[roles.tl.kpis]]
id = "coaching"
name = "辅导"
weight = 10
metric = "visits"
rule = { type = "bands", on = "value", bands = [{ to = 5, score = 0.5 }, { from = 5, score = 1 }] }
"#;

/// The same role written out by hand, as before issue 19.
const COPIED: &str = r#"[roles.tl]
name = "班组长"
roster_value = "班组长"

[[roles.tl.kpis]]
id = "revenue"
name = "收入完成率"
weight = 60
metric = "revenue"
target = { metric = "revenue_target" }
rule = { type = "ratio", cap = 1.2 }

[[roles.tl.kpis]]
id = "visits"
name = "走访"
weight = 30
metric = "visits"
rule = { type = "bands", on = "value", bands = [
  { to = 10, score = 0.5 },
  { from = 10, score = 1 },
] }

[[roles.tl.kpis]]
id = "coaching"
name = "辅导"
weight = 10
metric = "visits"
rule = { type = "bands", on = "value", bands = [{ to = 5, score = 0.5 }, { from = 5, score = 1 }] }
"#;

fn run_ok(w: &Workdir) -> std::path::PathBuf {
    let o = w.run(&["run", "appraisal.toml", "--out", "out"]);
    assert!(o.status.success(), "{:#?}", err_lines(&o));
    w.path("out").join("summary.xlsx")
}

fn refused(w: &Workdir) -> String {
    let o = w.run(&["check", "appraisal.toml", "--lang", "en"]);
    assert_eq!(o.status.code(), Some(78), "{:#?}", err_lines(&o));
    err_lines(&o).join("\n")
}

/// The leader's sheet: a column per KPI of the role, once each.
fn leader_sheet(book: &std::path::Path) -> Vec<Vec<String>> {
    read_sheet(book, "汇总·班组长")
}

// issue 19
#[test]
fn a_role_takes_another_roles_kpis_and_scores_as_a_hand_written_copy() {
    let shared = with_leader(TAKES_ALL);
    let copied = with_leader(COPIED);
    let (a, b) = (run_ok(&shared), run_ok(&copied));
    for sheet in ["汇总", "汇总·班组长", "汇总·客户经理", "明细"] {
        assert_eq!(read_sheet(&a, sheet), read_sheet(&b, sheet), "{sheet}");
    }
    let t = leader_sheet(&a);
    assert_eq!(
        t[0][..6],
        [
            "工号",
            "姓名",
            "班组",
            "收入完成率\n（加权得分）",
            "走访\n（加权得分）",
            "辅导\n（加权得分）"
        ]
    );
    // One column per KPI: revenue 0.9 × 60, visits 0.5 × 30, coaching 1 × 10.
    assert_eq!(t[1][..6], ["E04", "赵六", "一班", "54", "15", "10"]);
    assert!(!t[0].iter().any(|h| h.starts_with("走访") && h != &t[0][4]));
    // The leader's own feedback workbook: each KPI's name once.
    let book = feedback_book(&shared.path("out"), "E04");
    let answers: Vec<String> = read_sheet(&book, "员工反馈").concat();
    for name in ["收入完成率", "走访", "辅导"] {
        assert_eq!(
            answers.iter().filter(|c| c.as_str() == name).count(),
            1,
            "{name}: {answers:?}"
        );
    }
}

/// The feedback workbook of employee `id` under a run's directory.
fn feedback_book(run: &std::path::Path, id: &str) -> std::path::PathBuf {
    fn walk(dir: &std::path::Path, id: &str) -> Option<std::path::PathBuf> {
        for e in std::fs::read_dir(dir).ok()?.flatten() {
            let p = e.path();
            if p.is_dir() {
                if let Some(found) = walk(&p, id) {
                    return Some(found);
                }
            } else if p.file_name()?.to_string_lossy().contains(id) {
                return Some(p);
            }
        }
        None
    }
    walk(&run.join("feedback"), id).expect("the employee's feedback workbook")
}

// issue 19
#[test]
fn one_kpi_is_taken_with_from_and_changes_only_what_is_written() {
    let w = with_leader(
        r#"[roles.tl]
name = "班组长"
roster_value = "班组长"

[[roles.tl.kpis]]
from = "am.revenue"
weight = 70

[[roles.tl.kpis]]
from = "am.visits"
weight = 30
"#,
    );
    let t = leader_sheet(&run_ok(&w));
    assert_eq!(t[0].len(), 3 + 2 + 4, "{:?}", t[0]);
    // revenue 0.9 × 70 = 63, visits 0.5 × 30 = 15.
    assert_eq!(t[1][3..5], ["63", "15"]);
}

// issue 19
#[test]
fn explain_says_where_a_shared_kpi_came_from_and_what_changed() {
    let w = with_leader(TAKES_ALL);
    let zh = stdout(&w.run(&["explain", "appraisal.toml", "E04", "--lang", "zh"]));
    assert!(
        zh.contains("取自      客户经理 的 visits，权重改为 30"),
        "{zh}"
    );
    assert!(zh.contains("取自      客户经理 的 revenue\n"), "{zh}");
    let en = stdout(&w.run(&["explain", "appraisal.toml", "E04", "--lang", "en"]));
    assert!(
        en.contains("taken from 客户经理's visits, weight changed to 30"),
        "{en}"
    );
    // The leader's own KPI says nothing of the kind.
    let own = stdout(&w.run(&["explain", "appraisal.toml", "E04", "--kpi", "coaching"]));
    assert!(!own.contains("取自"), "{own}");
}

// issue 19
#[test]
fn weights_that_do_not_add_up_are_listed_at_their_lines_the_taken_ones_at_the_other_role() {
    let w = with_leader(&TAKES_ALL.replace("weight = 30", "weight = 35"));
    let en = refused(&w);
    assert!(
        en.contains("role `tl`: weights sum to 105, not 100"),
        "{en}"
    );
    // revenue's weight is written in `am` (line 60 of the fixture), visits'
    // and coaching's in the leader's tables.
    let text = std::fs::read_to_string(w.path("appraisal.toml")).expect("scheme");
    let line_of = |needle: &str| {
        text.lines()
            .position(|l| l == needle)
            .map(|i| i + 1)
            .expect("line")
    };
    let revenue = line_of("weight = 60");
    let visits = line_of("weight = 35");
    let coaching = line_of("weight = 10");
    let listed = format!(
        "revenue 60 (line {revenue}, from am) + visits 35 (line {visits}) + coaching 10 (line {coaching})"
    );
    assert!(en.contains(&listed), "{listed}\n{en}");
}

// issue 19
#[test]
fn an_unknown_role_or_kpi_to_take_from_says_which_was_meant() {
    let w = with_leader(&TAKES_ALL.replace("kpis_from = \"am\"", "kpis_from = \"an\""));
    let en = refused(&w);
    assert!(en.contains("there is no role `an`"), "{en}");
    assert!(en.contains("did you mean `am`?"), "{en}");

    let w = with_leader(
        r#"[roles.tl]
name = "班组长"
roster_value = "班组长"

[[roles.tl.kpis]]
from = "am.revenu"
weight = 100
"#,
    );
    let en = refused(&w);
    assert!(en.contains("role `am` has no KPI `revenu`"), "{en}");
    assert!(en.contains("did you mean `revenue`?"), "{en}");
    assert!(en.contains("appraisal.toml:"), "{en}");

    let w = with_leader(&TAKES_ALL.replace(
        "kpis_from = \"am\"",
        "kpis_from = \"am\"\nexclude = [\"visit\"]",
    ));
    let en = refused(&w);
    assert!(
        en.contains("role `am` has no KPI `visit` to exclude"),
        "{en}"
    );
    assert!(en.contains("did you mean `visits`?"), "{en}");
}

// issue 19
#[test]
fn roles_taking_each_others_kpis_are_a_cycle() {
    let w = with_leader(TAKES_ALL);
    let text = std::fs::read_to_string(w.path("appraisal.toml"))
        .expect("scheme")
        .replacen(
            "roster_value = \"客户经理\"\n",
            "roster_value = \"客户经理\"\nkpis_from = \"tl\"\n",
            1,
        );
    w.scheme(&text);
    let en = refused(&w);
    assert!(
        en.contains("roles take KPIs from each other in a cycle: am → tl → am"),
        "{en}"
    );
    assert_eq!(en.matches("in a cycle").count(), 1, "{en}");
}

// issue 19
#[test]
fn the_same_kpi_taken_twice_is_refused_naming_the_first() {
    let w = with_leader(
        r#"[roles.tl]
name = "班组长"
roster_value = "班组长"
kpis_from = "am"

[[roles.tl.kpis]]
id = "visits"
weight = 30

[[roles.tl.kpis]]
from = "am.visits"
weight = 10
"#,
    );
    let en = refused(&w);
    assert!(
        en.contains("role `tl`: KPI `visits` is there twice (already at line"),
        "{en}"
    );
}

// issue 19
#[test]
fn a_mistake_in_a_taken_kpi_is_shown_once_at_the_line_it_is_written() {
    // A cap beyond ±10 in `am` is `tl`'s too: one problem, at am's line.
    let w = with_leader(TAKES_ALL);
    let text = std::fs::read_to_string(w.path("appraisal.toml"))
        .expect("scheme")
        .replacen("cap = 1.2", "cap = 120", 1);
    w.scheme(&text);
    let en = refused(&w);
    assert_eq!(en.matches("cap = 120 is 120 times").count(), 1, "{en}");
    let line = text
        .lines()
        .position(|l| l.contains("cap = 120"))
        .expect("line")
        + 1;
    assert!(en.contains(&format!("appraisal.toml:{line}:")), "{en}");
}

// issue 19
#[test]
fn a_taken_kpi_keeps_its_id() {
    let w = with_leader(
        r#"[roles.tl]
name = "班组长"
roster_value = "班组长"

[[roles.tl.kpis]]
from = "am.revenue"
id = "team_revenue"
weight = 100
"#,
    );
    let en = refused(&w);
    assert!(
        en.contains(
            "a KPI taken from another role keeps its id `revenue`; it cannot be `team_revenue`"
        ),
        "{en}"
    );
}

// issue 19
#[test]
fn a_kpi_taken_from_a_role_that_took_it_is_taken_as_that_role_scores_it() {
    // tl2 takes tl's `visits`, which tl took from am with weight 30: the
    // weight is tl's 30, written at tl's line.
    let w = with_leader(&format!(
        r#"{TAKES_ALL}
[roles.tl2]
name = "副班组长"
roster_value = "副班组长"

[[roles.tl2.kpis]]
from = "tl.visits"

[[roles.tl2.kpis]]
from = "am.revenue"
weight = 60
"#
    ));
    let en = refused(&w);
    let text = std::fs::read_to_string(w.path("appraisal.toml")).expect("scheme");
    let line_of = |needle: &str| {
        text.lines()
            .position(|l| l == needle)
            .map(|i| i + 1)
            .expect("line")
    };
    // tl2's own `weight = 60`, the last line saying so (am's comes first).
    let lines: Vec<&str> = text.lines().collect();
    let revenue = lines
        .iter()
        .rposition(|l| *l == "weight = 60")
        .expect("line")
        + 1;
    let visits = line_of("weight = 30");
    assert!(
        en.contains("role `tl2`: weights sum to 90, not 100"),
        "{en}"
    );
    assert!(
        en.contains(&format!(
            "visits 30 (line {visits}, from tl) + revenue 60 (line {revenue})"
        )),
        "{en}"
    );
}
