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
