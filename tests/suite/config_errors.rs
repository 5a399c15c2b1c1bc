//! Every configuration error names the TOML file, line and column and says
//! what to change (issue 2). Checked in-process on the scheme text, and once
//! through the binary for the exit code.

use crate::common;

use appraise::config;
use std::path::Path;

const BASE: &str = r#"[period]
id = "2024Q3"
start = 2024-07-01
end = 2024-09-30

[roster]
file = "roster.xlsx"
sheet = "花名册"
columns = { id = "工号", name = "姓名", role = "岗位", team = "班组" }

[sources.am]
file = "data.xlsx"
sheet = "指标"
key = "工号"
columns = { revenue = "收入", revenue_target = "收入目标", satisfaction = "满意度" }

[metrics]
revenue_rate = { formula = "revenue / revenue_target" }

[roles.account_manager]
name = "客户经理"
roster_value = "客户经理"

[[roles.account_manager.kpis]]
id = "revenue"
name = "收入"
weight = 60
metric = "revenue"
target = { metric = "revenue_target" }
rule = { type = "ratio" }

[[roles.account_manager.kpis]]
id = "satisfaction"
name = "满意度"
weight = 40
metric = "satisfaction"
rule = { type = "bands", on = "value", bands = [{ to = 80, score = 0.6 }, { from = 80, score = 1 }] }

[grades]
scale = ["A", "B", "C"]
cutoffs = [{ grade = "A", min = 90 }, { grade = "B", min = 70 }]
"#;

/// The first line of every problem, e.g. `s.toml:12:3: message`.
fn errors(src: &str) -> Vec<String> {
    match config::parse(Path::new("s.toml"), src) {
        Ok(_) => Vec::new(),
        Err(e) => e
            .problems()
            .iter()
            .map(|p| p.to_string().lines().next().unwrap_or_default().to_string())
            .collect(),
    }
}

fn one_error(src: &str) -> String {
    let e = errors(src);
    assert_eq!(e.len(), 1, "{e:#?}");
    e[0].clone()
}

#[test]
fn the_base_scheme_is_valid() {
    assert_eq!(errors(BASE), Vec::<String>::new());
}

/// A syntax error does not end the reading: every line that is broken is
/// reported, each once; a bracket left open ends the list, since what
/// follows it is read as its contents.
#[test]
fn every_syntax_error_is_reported_in_one_pass() {
    let src = BASE
        .replace("id = \"2024Q3\"", "id = \"2024Q3")
        .replace("name = \"收入\"", "name = 收入")
        .replace(
            "scale = [\"A\", \"B\", \"C\"]",
            "scale = [\"A\", \"B\", \"C\"",
        );
    let e = errors(&src);
    assert_eq!(e.len(), 3, "{e:#?}");
    assert!(
        e[0].starts_with("s.toml:2:13: invalid basic string"),
        "{e:#?}"
    );
    assert!(
        e[1].starts_with("s.toml:26:8: string values must be quoted"),
        "{e:#?}"
    );
    assert!(e[2].starts_with("s.toml:41:1:"), "{e:#?}");

    // An array left open over several lines is one problem, not one a line.
    let open = BASE.replace(
        "cutoffs = [{ grade = \"A\", min = 90 }, { grade = \"B\", min = 70 }]",
        "cutoffs = [{ grade = \"A\", min = 90 },\n  { grade = \"B\", min = 70 },\n\n[limits]\nmax_rows = 1000",
    );
    assert_eq!(
        errors(&open),
        [
            "s.toml:44:2: string values must be quoted, expected literal string",
            "s.toml:45:1: missing comma between array elements, expected `,`"
        ]
    );
}

#[test]
fn unknown_key_names_its_line_and_column() {
    let src = BASE.replace("weight = 40", "wieght = 40");
    let e = one_error(&src);
    assert!(
        e.starts_with(
            "s.toml:35:1: unknown field `wieght`, expected one of `id`, `name`, `weight`"
        ),
        "{e}"
    );
}

#[test]
fn wrong_type() {
    let e = one_error(&BASE.replace("id = \"2024Q3\"", "id = 2024"));
    assert!(
        e.starts_with("s.toml:2:6: expected text in quotes, found the number 2024"),
        "{e}"
    );
}

#[test]
fn weights_not_summing_to_100() {
    let e = one_error(&BASE.replace("weight = 40", "weight = 35"));
    assert_eq!(
        e,
        "s.toml:27:10: role `account_manager`: weights sum to 95, not 100"
    );
}

#[test]
fn overlapping_and_gapped_bands() {
    let overlap = BASE.replace("{ from = 80, score = 1 }", "{ from = 75, score = 1 }");
    let e = one_error(&overlap);
    assert!(
        e.starts_with("s.toml:37:75:") && e.contains("bands overlap: [.., 80) and [75, ..)"),
        "{e}"
    );
    let gap = BASE.replace("{ from = 80, score = 1 }", "{ from = 85, score = 1 }");
    let e = one_error(&gap);
    assert!(
        e.contains("gap between bands: nothing covers [80, 85)"),
        "{e}"
    );
}

#[test]
fn unknown_rule() {
    let e = one_error(&BASE.replace("type = \"ratio\"", "type = \"ratoi\""));
    assert!(
        e.starts_with("s.toml:30:17: unknown variant `ratoi`, expected one of `ratio`"),
        "{e}"
    );
}

#[test]
fn unknown_metric_suggests_the_near_one() {
    let src = BASE.replace("metric = \"satisfaction\"", "metric = \"satisfacton\"");
    let p = config::parse(Path::new("s.toml"), &src).unwrap_err();
    let text = p.to_string();
    assert!(
        text.starts_with("s.toml:36:10: KPI `satisfaction` reads unknown metric `satisfacton`"),
        "{text}"
    );
    assert!(
        text.contains("= help: did you mean `satisfaction`?"),
        "{text}"
    );
    assert!(text.contains("36 | metric = \"satisfacton\""), "{text}");
}

#[test]
fn formula_syntax_error_points_inside_the_formula() {
    let e = one_error(&BASE.replace("revenue / revenue_target", "revenue / (revenue_target"));
    assert_eq!(
        e,
        "s.toml:18:54: formula `revenue / (revenue_target`: expected `)`"
    );
}

#[test]
fn formula_unknown_reference_and_cycles() {
    let e = one_error(&BASE.replace("revenue / revenue_target", "revenue / revenu_target"));
    assert!(
        e.contains("formula of `revenue_rate` reads unknown metric `revenu_target`"),
        "{e}"
    );
    let cycle = BASE.replace(
        "revenue_rate = { formula = \"revenue / revenue_target\" }",
        "a = { formula = \"b + 1\" }\nb = { formula = \"a * 2\" }",
    );
    let e = one_error(&cycle);
    assert!(e.contains("metric formulas form a cycle: a → b → a"), "{e}");
    let kpi_cycle = BASE
        .replace("rule = { type = \"ratio\" }", "rule = { type = \"formula\", expr = \"kpi.satisfaction\" }")
        .replace(
            "rule = { type = \"bands\", on = \"value\", bands = [{ to = 80, score = 0.6 }, { from = 80, score = 1 }] }",
            "rule = { type = \"formula\", expr = \"kpi.revenue\" }",
        );
    let e = one_error(&kpi_cycle);
    assert!(
        e.contains("KPI formulas form a cycle: revenue → satisfaction → revenue"),
        "{e}"
    );
}

#[test]
fn quotas_must_fit() {
    let src = format!(
        "{BASE}\n[grades.distribution]\ngroup = \"team\"\nquotas = [{{ grade = \"B\", min = 0.7 }}, {{ grade = \"C\", min = 0.5 }}]\n"
    );
    let e = errors(&src);
    assert!(
        e.iter()
            .any(|m| m.contains("minimum quotas add up to 1.2, more than the whole group")),
        "{e:#?}"
    );
    let src = format!(
        "{BASE}\n[grades.distribution]\ngroup = \"team\"\nquotas = [{{ grade = \"Z\", max = 0.2 }}]\n"
    );
    assert!(
        errors(&src)
            .iter()
            .any(|m| m.contains("quota for unknown grade `Z`"))
    );
}

#[test]
fn every_problem_is_reported_in_one_pass() {
    let src = BASE
        .replace("weight = 40", "weight = 30")
        .replace("metric = \"satisfaction\"", "metric = \"nps\"")
        .replace("{ grade = \"B\", min = 70 }", "{ grade = \"Q\", min = 70 }");
    let e = errors(&src);
    assert_eq!(e.len(), 3, "{e:#?}");
}

#[test]
fn monitor_only_kpis_must_weigh_zero() {
    let src = BASE.replace("rule = { type = \"bands\", on = \"value\", bands = [{ to = 80, score = 0.6 }, { from = 80, score = 1 }] }", "rule = { type = \"monitor\" }");
    let e = errors(&src);
    assert!(
        e.iter()
            .any(|m| m.contains("KPI `satisfaction` is monitor-only but has weight 40")),
        "{e:#?}"
    );
}

#[test]
fn the_binary_exits_78_on_a_bad_scheme_and_writes_nothing() {
    let w = common::Workdir::empty();
    w.write("s.toml", &BASE.replace("weight = 40", "weight = 35"));
    let out = w.run(&["run", "s.toml"]);
    assert_eq!(out.status.code(), Some(78));
    let err = common::stderr(&out);
    assert!(
        err.contains("s.toml:27:10: role `account_manager`: weights sum to 95, not 100"),
        "{err}"
    );
    assert!(err.contains("27 | weight = 60"), "{err}");
    assert!(!w.path("out").exists());
}

/// Issue 5: TOML-level mistakes are all reported too, not only the first.
#[test]
fn every_misspelt_key_and_wrong_type_is_reported_in_one_pass() {
    let src = BASE
        .replace("weight = 40", "wieght = 40")
        .replace("weight = 60", "weihgt = 60")
        .replace("id = \"2024Q3\"", "id = 2024");
    let e = errors(&src);
    assert_eq!(e.len(), 3, "{e:#?}");
    assert!(
        e[0].starts_with("s.toml:2:6: expected text in quotes, found the number 2024"),
        "{e:#?}"
    );
    assert!(
        e.iter()
            .any(|m| m.starts_with("s.toml:27:1: unknown field `weihgt`")),
        "{e:#?}"
    );
    assert!(
        e.iter()
            .any(|m| m.starts_with("s.toml:35:1: unknown field `wieght`")),
        "{e:#?}"
    );
    let text = config::parse(Path::new("s.toml"), &src)
        .unwrap_err()
        .to_string();
    assert!(text.contains("= help: did you mean `weight`?"), "{text}");
}

// issue 17: the `[inputs]` table's Rust type was renamed (InputLocation); a
// wrong value for it is refused in the scheme's words (issue 16: no serde or
// Rust type names), through the binary with its exit code.
#[test]
fn a_wrong_type_for_inputs_names_the_table_as_the_scheme_writes_it() {
    let w = common::Workdir::empty();
    w.write("s.toml", &format!("inputs = 3\n{BASE}"));
    let out = w.run(&["check", "s.toml", "--lang", "en"]);
    assert_eq!(out.status.code(), Some(78));
    let err = common::stderr(&out);
    assert!(
        err.contains("s.toml:1:10: expected a table { … }, found the number 3\n"),
        "{err}"
    );
    assert!(
        !err.contains("InputLocation") && !err.contains("struct"),
        "{err}"
    );
}

// Issue 16: the scheme errors a manager actually makes, named by their
// cause, in Chinese and in English, through the real binary.

/// `check` of BASE with `from` replaced by `to`, in `lang`: exit 78, and
/// stderr's first line, its help line and its closing line.
fn check_in(from: &str, to: &str, lang: &str) -> [String; 3] {
    let w = common::Workdir::empty();
    let src = BASE.replacen(from, to, 1);
    assert_ne!(src, BASE, "{from} is in BASE");
    w.write("s.toml", &src);
    let out = w.run(&["check", "s.toml", "--lang", lang]);
    let err = common::stderr(&out);
    assert_eq!(out.status.code(), Some(78), "{err}");
    let lines: Vec<&str> = err.lines().collect();
    let help = lines
        .iter()
        .find(|l| l.starts_with("  = "))
        .map_or(String::new(), |l| l.to_string());
    [
        lines[0].to_string(),
        help,
        lines.last().copied().unwrap_or("").to_string(),
    ]
}

#[test]
fn full_width_digits_are_named_with_the_half_width_number() {
    let [first, help, last] = check_in("weight = 60", "weight = １５", "zh");
    assert_eq!(
        first,
        "错误: s.toml:27:10: `１５` 中有全角字符 `１` `５`：方案里的数字、引号和标点须为半角（切换到英文输入法）"
    );
    assert_eq!(help, "  = 提示: 改为 `15`");
    assert_eq!(last, "共发现 1 处方案问题");
    let [first, help, last] = check_in("weight = 60", "weight = １５", "en");
    assert_eq!(
        first,
        "error: s.toml:27:10: `１５` has the full-width character(s) `１` `５`: numbers, quotes and punctuation in a scheme must be half-width (ASCII)"
    );
    assert_eq!(help, "  = help: write `15`");
    assert_eq!(last, "1 configuration problem found");
}

#[test]
fn full_width_quotes_and_commas_are_named() {
    let [first, help, _] = check_in("name = \"收入\"", "name = “收入”", "zh");
    assert_eq!(
        first,
        "错误: s.toml:26:8: `“收入”` 中有全角字符 `“` `”`：方案里的数字、引号和标点须为半角（切换到英文输入法）"
    );
    assert_eq!(help, "  = 提示: 改为 `\"收入\"`");
    let [first, help, _] = check_in("min = 90 }, {", "min = 90 }， {", "en");
    assert_eq!(
        first,
        "error: s.toml:41:37: `，` has the full-width character(s) `，`: numbers, quotes and punctuation in a scheme must be half-width (ASCII)"
    );
    assert_eq!(help, "  = help: write `,`");
    let [first, help, _] = check_in("min = 90 }, {", "min = 90 }， {", "zh");
    assert_eq!(
        first,
        "错误: s.toml:41:37: `，` 中有全角字符 `，`：方案里的数字、引号和标点须为半角（切换到英文输入法）"
    );
    assert_eq!(help, "  = 提示: 改为 `,`");
}

#[test]
fn a_number_in_chinese_characters_is_named_with_its_digits() {
    let [first, help, _] = check_in("weight = 60", "weight = \"六十\"", "zh");
    assert_eq!(
        first,
        "错误: s.toml:27:10: `六十` 是用汉字写的数字；方案只认阿拉伯数字"
    );
    assert_eq!(help, "  = 提示: 改为 `60`");
    let [first, help, _] = check_in("weight = 60", "weight = \"六十\"", "en");
    assert_eq!(
        first,
        "error: s.toml:27:10: `六十` is a number written in Chinese characters; a scheme reads only digits"
    );
    assert_eq!(help, "  = help: write `60`");
}

#[test]
fn a_weight_written_as_a_percentage_is_an_error_that_suggests_the_points() {
    let [first, help, _] = check_in("weight = 60", "weight = \"60%\"", "zh");
    assert_eq!(
        first,
        "错误: s.toml:27:10: `\"60%\"` 是百分比，而 `weight` 以分计：它会被当作 0.6 分，而不是 60 分"
    );
    assert_eq!(
        help,
        "  = 提示: 改为 `weight = 60`（一个岗位各指标的权重之和为 100）"
    );
    let [first, help, _] = check_in("weight = 60", "weight = \"60%\"", "en");
    assert_eq!(
        first,
        "error: s.toml:27:10: `\"60%\"` is a percentage, but `weight` is in points: it would count as 0.6 points, not 60"
    );
    assert_eq!(
        help,
        "  = help: write `weight = 60` (a role's weights add up to 100)"
    );
}

#[test]
fn a_misspelt_key_inside_an_inline_table_is_one_problem_at_the_key() {
    let w = common::Workdir::empty();
    w.write(
        "s.toml",
        &BASE.replace(
            "rule = { type = \"ratio\" }",
            "rule = { type = \"ratio\", cpa = 1.2 }",
        ),
    );
    for (lang, first, help, last) in [
        (
            "zh",
            "错误: s.toml:30:26: 未知的键 `cpa`；这里可用的键：`floor`、`cap`",
            "  = 提示: 是不是 `cap`？",
            "共发现 1 处方案问题",
        ),
        (
            "en",
            "error: s.toml:30:26: unknown field `cpa`, expected `floor` or `cap`",
            "  = help: did you mean `cap`?",
            "1 configuration problem found",
        ),
    ] {
        let out = w.run(&["check", "s.toml", "--lang", lang]);
        assert_eq!(out.status.code(), Some(78));
        let err = common::stderr(&out);
        let lines: Vec<&str> = err.lines().collect();
        assert_eq!(lines[0], first, "{err}");
        assert_eq!(
            lines[2], "30 | rule = { type = \"ratio\", cpa = 1.2 }",
            "{err}"
        );
        assert_eq!(lines[3], "   |                          ^^^", "{err}");
        assert_eq!(lines[4], help, "{err}");
        assert_eq!(lines[5], last, "{err}");
        assert_eq!(lines.len(), 6, "{err}");
    }
}

#[test]
fn no_serde_wording_reaches_the_user() {
    // A misspelt key inside a column table (an untagged enum in the types).
    let [first, help, _] = check_in(
        "columns = { revenue = \"收入\",",
        "columns = { revenue = { header = \"收入\", mni = 0 },",
        "en",
    );
    assert_eq!(
        first,
        "error: s.toml:15:40: unknown field `mni`, expected one of `header`, `type`, `min`, `optional`"
    );
    assert_eq!(help, "  = help: did you mean `min`?");
    let [first, _, _] = check_in(
        "columns = { revenue = \"收入\",",
        "columns = { revenue = { header = \"收入\", mni = 0 },",
        "zh",
    );
    assert_eq!(
        first,
        "错误: s.toml:15:40: 未知的键 `mni`；这里可用的键：`header`、`type`、`min`、`optional`"
    );
    // A target that is not a number (another untagged enum).
    let [first, _, _] = check_in(
        "target = { metric = \"revenue_target\" }",
        "target = \"abc\"",
        "en",
    );
    assert_eq!(first, "error: s.toml:29:10: `abc` is not a decimal number");
    let [first, _, _] = check_in(
        "target = { metric = \"revenue_target\" }",
        "target = \"abc\"",
        "zh",
    );
    assert_eq!(first, "错误: s.toml:29:10: `abc` 不是数字");
    // A wrong type names what was expected in words.
    let [first, _, _] = check_in("id = \"2024Q3\"", "id = 2024", "zh");
    assert_eq!(
        first,
        "错误: s.toml:2:6: 这里应为加英文引号的文本，却是数字 2024"
    );
    for (from, to) in [
        (
            "columns = { revenue = \"收入\",",
            "columns = { revenue = 5,",
        ),
        ("target = { metric = \"revenue_target\" }", "target = [1]"),
        (
            "target = { metric = \"revenue_target\" }",
            "target = { metirc = \"x\" }",
        ),
    ] {
        for lang in ["zh", "en"] {
            let [first, help, _] = check_in(from, to, lang);
            for word in [
                "untagged",
                "variant",
                "struct",
                "u32",
                "map",
                "sequence",
                "invalid type",
            ] {
                assert!(
                    !first.contains(word) && !help.contains(word),
                    "{to}: {first} {help}"
                );
            }
        }
    }
}

#[test]
fn the_language_is_the_flag_then_the_scheme_then_the_locale_then_chinese() {
    let w = common::Workdir::empty();
    w.write("s.toml", &BASE.replace("weight = 60", "weight = 65"));
    w.write(
        "en.toml",
        &format!(
            "lang = \"en\"\n{}",
            BASE.replace("weight = 60", "weight = 65")
        ),
    );
    let first = |mut c: std::process::Command| {
        let out = c.output().expect("run appraise");
        assert_eq!(out.status.code(), Some(78));
        common::stderr(&out)
            .lines()
            .next()
            .unwrap_or("")
            .to_string()
    };
    let at = |args: &[&str]| {
        let mut c = common::appraise_without_locale();
        c.args(args).current_dir(w.dir.path());
        c
    };
    // No locale, no flag, no lang in the scheme: Chinese.
    assert!(first(at(&["check", "s.toml"])).starts_with("错误: s.toml:27:10: "));
    // The scheme's lang.
    assert!(first(at(&["check", "en.toml"])).starts_with("error: en.toml:28:10: "));
    // The flag wins over the scheme.
    assert!(first(at(&["check", "en.toml", "--lang", "zh"])).starts_with("错误: en.toml:28:10: "));
    // A Chinese locale, and an English one.
    let mut c = at(&["check", "s.toml"]);
    c.env("LANG", "zh_CN.UTF-8");
    assert!(first(c).starts_with("错误: "));
    let mut c = at(&["check", "s.toml"]);
    c.env("LANG", "en_US.UTF-8");
    assert!(first(c).starts_with("error: "));
    // The scheme's lang is checked.
    w.write("fr.toml", &format!("lang = \"fr\"\n{BASE}"));
    let out = w.run(&["check", "fr.toml", "--lang", "en"]);
    let err = common::stderr(&out);
    assert_eq!(out.status.code(), Some(78), "{err}");
    assert!(
        err.starts_with("error: fr.toml:1:8: unknown variant `fr`, expected `zh` or `en`"),
        "{err}"
    );
}
