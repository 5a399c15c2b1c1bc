//! Issue 19: units say what they are. A score or a rate written as a
//! percentage (`cap = 120`) is an error at its line with the two ways to
//! write it, in the scheme's language.

use crate::common::{Workdir, err_lines};

/// `check` refuses the scheme (exit 78); its stderr lines.
fn refused(w: &Workdir, lang: &str) -> Vec<String> {
    let o = w.run(&["check", "appraisal.toml", "--lang", lang]);
    assert_eq!(o.status.code(), Some(78), "{:#?}", err_lines(&o));
    err_lines(&o)
}

// issue 19
#[test]
fn a_cap_written_as_a_percentage_asks_for_a_fraction() {
    let w = Workdir::new();
    w.edit(
        "rule = { type = \"ratio\", cap = 1.2 }",
        "rule = { type = \"ratio\", cap = 120 }",
    );
    let en = refused(&w, "en").join("\n");
    assert!(
        en.contains("KPI `revenue`: cap = 120 is 120 times the weight; a score is a fraction of the weight (1 = full weight)"),
        "{en}"
    );
    assert!(en.contains("appraisal.toml:"), "{en}");
    assert!(en.contains("help: did you mean 1.2 or \"120%\"?"), "{en}");
    let zh = refused(&w, "zh").join("\n");
    assert!(
        zh.contains("指标 `revenue`：cap = 120 是权重的 120 倍")
            && zh.contains("是否应为 1.2 或 \"120%\"？"),
        "{zh}"
    );
}

// issue 19
#[test]
fn rate_points_written_as_percentages_are_one_problem_with_the_fix() {
    let w = Workdir::new();
    w.edit(
        "rule = { type = \"ratio\", cap = 1.2 }",
        "rule = { type = \"piecewise\", points = [[80, 0.6], [100, 1]] }",
    );
    let en = refused(&w, "en");
    let hits: Vec<&String> = en.iter().filter(|l| l.contains("is a rate of")).collect();
    assert_eq!(hits.len(), 1, "{en:#?}");
    assert!(
        hits[0].contains("points = 80 is a rate of 8000%; a rate is a fraction (1 = 100%)"),
        "{en:#?}"
    );
    assert!(
        en.iter()
            .any(|l| l.contains("did you mean 0.8 or \"80%\"?")),
        "{en:#?}"
    );
}

// issue 19
#[test]
fn a_percent_target_written_as_a_whole_number_asks_for_a_fraction() {
    let w = Workdir::new();
    w.edit(
        "target = { metric = \"revenue_target\" }",
        "target = 95\nunit = \"percent\"",
    );
    let en = refused(&w, "en").join("\n");
    assert!(
        en.contains("KPI `revenue`: target = 95 is a rate of 9500%"),
        "{en}"
    );
    assert!(en.contains("did you mean 0.95 or \"95%\"?"), "{en}");
}

// issue 19
#[test]
fn scores_and_rates_written_as_fractions_or_percent_strings_are_accepted() {
    let w = Workdir::new();
    w.edit(
        "rule = { type = \"ratio\", cap = 1.2 }",
        "rule = { type = \"piecewise\", points = [[\"80%\", 0.6], [1, 1], [\"120%\", \"120%\"]] }",
    );
    let o = w.run(&["check", "appraisal.toml"]);
    assert!(o.status.success(), "{:#?}", err_lines(&o));
}

/// `check` accepts the scheme (exit 0); its stderr.
fn warned(w: &Workdir, lang: &str) -> String {
    let o = w.run(&["check", "appraisal.toml", "--lang", lang]);
    assert_eq!(o.status.code(), Some(0), "{:#?}", err_lines(&o));
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The line of the scheme holding `needle`, 1-based.
fn line_of(w: &Workdir, needle: &str) -> usize {
    let text = std::fs::read_to_string(w.path("appraisal.toml")).expect("scheme");
    text.lines().position(|l| l.contains(needle)).expect("line") + 1
}

// issue 19
#[test]
fn a_cap_of_three_is_a_warning_at_its_line_and_check_and_run_go_on() {
    let w = Workdir::new();
    w.edit(
        "rule = { type = \"ratio\", cap = 1.2 }",
        "rule = { type = \"ratio\", cap = 3 }",
    );
    let line = line_of(&w, "cap = 3");
    let en = warned(&w, "en");
    assert!(
        en.contains(&format!(
            "appraisal.toml:{line}:32: warning: KPI `revenue`: cap = 3 is 300% of the weight (3 times it)"
        )),
        "{en}"
    );
    assert!(
        en.contains("= help: a score is a fraction of the weight (1 = full weight, 1.2 = 120%); if 300% is meant, write \"300%\" to say so"),
        "{en}"
    );
    let zh = warned(&w, "zh");
    assert!(
        zh.contains("警告：指标 `revenue`：cap = 3 即权重的 300%（3 倍）"),
        "{zh}"
    );
    let o = w.run(&["run", "appraisal.toml", "--out", "out", "--lang", "en"]);
    assert!(o.status.success(), "{:#?}", err_lines(&o));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("warning: KPI `revenue`: cap = 3"),
        "{:#?}",
        err_lines(&o)
    );
}

// issue 19
#[test]
fn a_number_written_as_a_percentage_string_says_what_it_means_and_is_not_warned_of() {
    let w = Workdir::new();
    w.edit(
        "rule = { type = \"ratio\", cap = 1.2 }",
        "rule = { type = \"ratio\", cap = \"300%\" }",
    );
    assert!(!warned(&w, "en").contains("warning"));
}

// issue 19
#[test]
fn a_rate_band_edge_above_two_and_a_percent_target_above_one_are_warnings_with_the_fix() {
    let w = Workdir::new();
    w.edit(
        "target = { metric = \"revenue_target\" }\nrule = { type = \"ratio\", cap = 1.2 }",
        "target = 5\nunit = \"percent\"\nrule = { type = \"bands\", bands = [{ to = 0.8, score = 0.5 }, { from = 0.8, to = 5, score = 1 }, { from = 5, score = 1.2 }] }",
    );
    let en = warned(&w, "en");
    assert!(
        en.contains("warning: KPI `revenue` is in percent, and target = 5 is 500%"),
        "{en}"
    );
    assert!(
        en.contains("did you mean 0.05 or \"5%\"? if 500% is meant, write \"500%\" to say so"),
        "{en}"
    );
    assert!(
        en.contains("warning: KPI `revenue`: to = 5 is a completion rate of 500%"),
        "{en}"
    );
    // One warning per key, however many bands say it.
    assert_eq!(en.matches("is a completion rate of").count(), 2, "{en}");
}

// issue 19
#[test]
fn grade_cut_offs_and_adjustment_caps_are_points_never_percentages() {
    let w = Workdir::new();
    w.edit(
        "{ grade = \"A\", min = 90 }",
        "{ grade = \"A\", min = \"90%\" }",
    );
    let en = refused(&w, "en").join("\n");
    assert!(
        en.contains("`\"90%\"` is a percentage, but `min` is in points: it would count as 0.9 points, not 90"),
        "{en}"
    );
    assert!(
        en.contains("write `min = 90` (totals are out of 100; `min` is in points)"),
        "{en}"
    );
    let w = Workdir::new();
    w.edit("points = -2 }", "points = -2, cap = \"50%\" }");
    let en = refused(&w, "en").join("\n");
    assert!(en.contains("but `cap` is in points"), "{en}");
}

// issue 19
#[test]
fn every_rate_and_score_of_the_rules_takes_excel_percentages() {
    // The same scheme with fractions and with "…%" strings scores alike.
    let fractions = Workdir::new();
    let percents = Workdir::new();
    let rule = |r: &str| r.to_string();
    for (w, cap, band, target) in [
        (&fractions, rule("1.2"), rule("0.5"), rule("0.95")),
        (
            &percents,
            rule("\"120%\""),
            rule("\"50%\""),
            rule("\"95%\""),
        ),
    ] {
        w.scheme(
            &crate::common::SCHEME
                .replacen("cap = 1.2", &format!("cap = {cap}, floor = {band}"), 1)
                .replacen("{ to = 10, score = 0.5 }", &format!("{{ to = 10, score = {band} }}"), 1)
                .replacen(
                    "[grades]",
                    &format!("[roles.am.team_blend]\nown = {band}\nteam = {band}\nmembers = \"am2\"\n\n[roles.am2]\nname = \"x\"\nroster_value = \"x\"\n[[roles.am2.kpis]]\nid = \"r\"\nname = \"r\"\nweight = 100\nmetric = \"revenue\"\ntarget = {target}\nrule = {{ type = \"gate\", pass = {cap} }}\n\n[grades]"),
                    1,
                ),
        );
        crate::common::write_book(
            &w.path("roster.xlsx"),
            &[("花名册", &crate::common::roster())],
        );
    }
    let a = fractions.run(&["run", "appraisal.toml", "--out", "out"]);
    let b = percents.run(&["run", "appraisal.toml", "--out", "out"]);
    assert!(a.status.success(), "{:#?}", err_lines(&a));
    assert!(b.status.success(), "{:#?}", err_lines(&b));
    for sheet in ["汇总", "明细"] {
        assert_eq!(
            crate::common::read_sheet(&fractions.path("out/summary.xlsx"), sheet),
            crate::common::read_sheet(&percents.path("out/summary.xlsx"), sheet),
            "{sheet}"
        );
    }
}
