//! The bad-input corpus (issue 5): every way a scheme, a workbook or the
//! output directory can be wrong, each with its exact message, its exit
//! code, and a check that neither `check` nor `run` wrote anything.

use crate::common::*;

/// `check` and `run` both fail with `code`, the first line of stderr is
/// `first`, and the directory is as it was. Returns stderr's lines.
fn fails(w: &Workdir, code: i32, first: &str) -> Vec<String> {
    let [check, run] = both_fail(w, code);
    for lines in [&check, &run] {
        assert_eq!(lines.first().map(String::as_str), Some(first), "{lines:#?}");
    }
    run
}

fn help(lines: &[String]) -> String {
    lines
        .iter()
        .find_map(|l| l.trim().strip_prefix("= help: "))
        .unwrap_or("")
        .to_string()
}

#[test]
fn the_fixture_is_valid() {
    let w = Workdir::new();
    let before = w.listing();
    let o = w.run(&["check", "appraisal.toml"]);
    assert_eq!(o.status.code(), Some(0), "{:?}", err_lines(&o));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim(),
        "appraisal.toml: ok: 1 roles, 3 employees, 6 KPI scores, from 3 sheets of 3 files"
    );
    assert_eq!(w.listing(), before);
}

// ───────────────────────────── the scheme (78) ─────────────────────────────

#[test]
fn toml_syntax_error() {
    let w = Workdir::new();
    w.edit("id = \"T1\"", "id = \"T1");
    let l = fails(
        &w,
        78,
        "appraisal.toml:2:9: invalid basic string, expected `\"`",
    );
    assert_eq!(l[2], "2 | id = \"T1");
}

#[test]
fn unknown_key() {
    let w = Workdir::new();
    w.edit("metric = \"visits\"", "metric = \"visits\"\nwieght = 40");
    fails(
        &w,
        78,
        "appraisal.toml:56:1: unknown field `wieght`, expected one of `id`, `name`, `weight`, `metric`, `target`, `rule`, `unit`, `missing`, `section`, `note`, `from`", // issue 19: `from`
    );
}

#[test]
fn wrong_type() {
    let w = Workdir::new();
    w.edit("weight = 60", "weight = \"sixty\"");
    fails(
        &w,
        78,
        "appraisal.toml:46:10: `sixty` is not a decimal number",
    );
}

#[test]
fn missing_required_key() {
    let w = Workdir::new();
    w.edit("name = \"收入完成率\"\n", "");
    fails(&w, 78, "appraisal.toml:43:1: missing field `name`");
}

#[test]
fn weights_not_summing_to_100() {
    let w = Workdir::new();
    w.edit("weight = 60", "weight = 55");
    let l = fails(
        &w,
        78,
        "appraisal.toml:46:10: role `am`: weights sum to 95, not 100",
    );
    assert_eq!(
        l.last().map(String::as_str),
        Some("1 configuration problem found")
    );
}

#[test]
fn negative_weight() {
    let w = Workdir::new();
    w.edit("weight = 40", "weight = -40");
    fails(
        &w,
        78,
        "appraisal.toml:54:10: KPI `visits`: weight -40 is negative",
    );
}

#[test]
fn overlapping_bands() {
    let w = Workdir::new();
    w.edit("{ from = 10, score = 1 }", "{ from = 8, score = 1 }");
    fails(
        &w,
        78,
        "appraisal.toml:58:3: KPI `visits`: bands overlap: [.., 10) and [8, ..)",
    );
}

#[test]
fn gap_between_bands() {
    let w = Workdir::new();
    w.edit("{ from = 10, score = 1 }", "{ from = 12, score = 1 }");
    fails(
        &w,
        78,
        "appraisal.toml:58:3: KPI `visits`: gap between bands: nothing covers [10, 12)",
    );
}

#[test]
fn unknown_rule() {
    let w = Workdir::new();
    w.edit("type = \"ratio\"", "type = \"ration\"");
    fails(
        &w,
        78,
        "appraisal.toml:49:17: unknown variant `ration`, expected one of `ratio`, `inverse`, `piecewise`, `bands`, `matrix`, `gate`, `rank`, `growth`, `formula`, `monitor`",
    );
}

#[test]
fn floor_above_cap() {
    let w = Workdir::new();
    w.edit(
        "type = \"ratio\", cap = 1.2",
        "type = \"ratio\", floor = 1.5, cap = 1.2",
    );
    fails(
        &w,
        78,
        "appraisal.toml:49:34: KPI `revenue`: floor 1.5 is above cap 1.2",
    );
}

#[test]
fn formula_syntax_error() {
    let w = Workdir::new();
    w.edit("revenue / visits", "revenue / * visits");
    fails(
        &w,
        78,
        "appraisal.toml:37:36: formula `revenue / * visits`: expected a number, a name or `(`",
    );
}

#[test]
fn formula_unknown_reference() {
    let w = Workdir::new();
    w.edit("revenue / visits", "revenue / vists");
    fails(
        &w,
        78,
        "appraisal.toml:37:25: formula of `per_visit` reads unknown metric `vists`",
    );
}

#[test]
fn formula_cycle() {
    let w = Workdir::new();
    w.edit(
        "per_visit = { formula = \"revenue / visits\" }",
        "per_visit = { formula = \"revenue / loop_b\" }\nloop_b = { formula = \"per_visit * 2\" }",
    );
    fails(
        &w,
        78,
        "appraisal.toml:38:22: metric formulas form a cycle: loop_b → per_visit → loop_b",
    );
}

#[test]
fn kpi_reads_unknown_metric() {
    let w = Workdir::new();
    w.edit("metric = \"revenue\"", "metric = \"revenu\"");
    fails(
        &w,
        78,
        "appraisal.toml:47:10: KPI `revenue` reads unknown metric `revenu`",
    );
}

#[test]
fn unknown_source_in_aggregate() {
    let w = Workdir::new();
    w.edit("input = \"events\"", "input = \"event\"");
    fails(
        &w,
        78,
        "appraisal.toml:36:24: metric `complaints` reads unknown source `event`",
    );
}

#[test]
fn period_ends_before_it_starts() {
    let w = Workdir::new();
    w.edit("end = 2024-09-30", "end = 2024-06-30");
    fails(
        &w,
        78,
        "appraisal.toml:4:7: the period ends before it starts",
    );
}

#[test]
fn duplicate_kpi_id() {
    let w = Workdir::new();
    w.edit("id = \"visits\"", "id = \"revenue\"");
    fails(
        &w,
        78,
        "appraisal.toml:52:6: role `am`: KPI id `revenue` is used twice",
    );
}

#[test]
fn cutoff_for_unknown_grade() {
    let w = Workdir::new();
    w.edit("{ grade = \"B\", min = 60 }", "{ grade = \"E\", min = 60 }");
    fails(
        &w,
        78,
        "appraisal.toml:68:49: cut-off for unknown grade `E`",
    );
}

#[test]
fn header_row_zero() {
    let w = Workdir::new();
    w.edit(
        "key = \"工号\"\n[sources.am.columns]",
        "key = \"工号\"\nheader_row = 0\n[sources.am.columns]",
    );
    fails(&w, 78, "appraisal.toml:21:14: rows are numbered from 1");
}

#[test]
fn zero_limit() {
    let w = Workdir::new();
    w.scheme(&format!("{SCHEME}\n[limits]\nmax_rows = 0\n"));
    fails(
        &w,
        78,
        "appraisal.toml:71:12: `max_rows` of 0 would refuse every workbook",
    );
}

#[test]
fn every_scheme_problem_in_one_pass() {
    let w = Workdir::new();
    w.scheme(
        &SCHEME
            .replacen("weight = 60", "weight = 55", 1)
            .replacen("revenue / visits", "revenue / vists", 1)
            .replacen("{ from = 10, score = 1 }", "{ from = 8, score = 1 }", 1),
    );
    let l = fails(
        &w,
        78,
        "appraisal.toml:37:25: formula of `per_visit` reads unknown metric `vists`",
    );
    assert_eq!(
        l.last().map(String::as_str),
        Some("3 configuration problems found")
    );
}

#[test]
fn scheme_file_missing() {
    let w = Workdir::new();
    std::fs::remove_file(w.path("appraisal.toml")).expect("rm");
    fails(
        &w,
        78,
        "appraisal.toml: cannot read the scheme: No such file or directory (os error 2)",
    );
}

#[test]
fn scheme_not_utf8() {
    let w = Workdir::new();
    w.bytes("appraisal.toml", b"[period]\nid = \"\xff\xfe\"\n");
    fails(&w, 78, "appraisal.toml: the scheme is not UTF-8 text");
}

// ───────────────────────────── the data (65) ─────────────────────────────

#[test]
fn missing_input_file() {
    let w = Workdir::new();
    std::fs::remove_file(w.path("data.xlsx")).expect("rm");
    fails(
        &w,
        65,
        "data.xlsx: cannot read the workbook: No such file or directory (os error 2)",
    );
}

#[test]
fn missing_sheet() {
    let w = Workdir::new();
    w.book("data.xlsx", "Sheet1", &data());
    fails(&w, 65, "data.xlsx: there is no sheet `指标`");
}

/// Review of issue 5: a header written twice was read from the first.
#[test]
fn duplicate_column_header() {
    let w = Workdir::new();
    let mut d = data();
    for row in d.iter_mut() {
        let copy = row[1].clone();
        row.push(copy);
    }
    w.book("data.xlsx", "指标", &d);
    let lines = fails(
        &w,
        65,
        "data.xlsx [指标] header row 1: column `收入` appears more than once: B1, E1",
    );
    assert_eq!(lines.len(), 3, "one problem only: {lines:#?}");
}

#[test]
fn missing_column() {
    let w = Workdir::new();
    let mut d = data();
    d[0][3] = s("拜访");
    w.book("data.xlsx", "指标", &d);
    fails(
        &w,
        65,
        "data.xlsx [指标] header row 1: no column `走访` (field `visits`)",
    );
}

#[test]
fn header_row_not_found() {
    let w = Workdir::new();
    let mut d = data();
    d.insert(0, vec![s("2024年第三季度 客户经理指标")]);
    w.book("data.xlsx", "指标", &d);
    let l = fails(
        &w,
        65,
        "data.xlsx [指标] header row 1: no key column `工号`",
    );
    assert_eq!(help(&l), "the headers are in row 2: set `header_row = 2`");
}

#[test]
fn duplicate_employee_id_in_roster() {
    let w = Workdir::new();
    let mut r = roster();
    r[3][0] = s("E01");
    w.book("roster.xlsx", "花名册", &r);
    fails(
        &w,
        65,
        "roster.xlsx [花名册]!A4: employee id `E01` appears twice in the roster (first in row 2)",
    );
}

#[test]
fn duplicate_row_in_a_data_sheet() {
    let w = Workdir::new();
    let mut d = data();
    d[3][0] = s("E02");
    w.book("data.xlsx", "指标", &d);
    fails(
        &w,
        65,
        "data.xlsx [指标]!A4: employee `E02` has a second row here (first in row 3)",
    );
}

#[test]
fn employee_in_data_but_not_roster() {
    let w = Workdir::new();
    let mut d = data();
    d.push(vec![s("E09"), n(1.0), n(1.0), n(1.0)]);
    w.book("data.xlsx", "指标", &d);
    fails(
        &w,
        65,
        "data.xlsx [指标]!A5: employee `E09` is not in the roster",
    );
}

#[test]
fn employee_in_roster_but_not_data() {
    let w = Workdir::new();
    let mut d = data();
    d.pop();
    w.book("data.xlsx", "指标", &d);
    fails(
        &w,
        65,
        "roster.xlsx [花名册]!A4: E03 王五 (客户经理) has no row in data.xlsx [指标]",
    );
}

#[test]
fn unknown_role_in_roster() {
    let w = Workdir::new();
    let mut r = roster();
    r[2][2] = s("客户经里");
    w.book("roster.xlsx", "花名册", &r);
    fails(
        &w,
        65,
        "roster.xlsx [花名册]!C3: 岗位 `客户经里` of `E02` matches no role of the scheme",
    );
}

#[test]
fn text_where_a_number_belongs() {
    let w = Workdir::new();
    let mut d = data();
    d[2][1] = s("N/A");
    w.book("data.xlsx", "指标", &d);
    fails(
        &w,
        65,
        "data.xlsx [指标]!B3: expected a number for `revenue`, found the text \"N/A\"",
    );
}

#[test]
fn number_stored_as_text() {
    let w = Workdir::new();
    let mut d = data();
    d[2][1] = s("80");
    w.book("data.xlsx", "指标", &d);
    fails(
        &w,
        65,
        "data.xlsx [指标]!B3: expected a number for `revenue`, found the text \"80\"",
    );
}

#[test]
fn error_cell_div0() {
    let w = Workdir::new();
    let mut d = data();
    d[1][2] = C::E("#DIV/0!");
    w.book("data.xlsx", "指标", &d);
    fails(
        &w,
        65,
        "data.xlsx [指标]!C2: expected a value for `revenue_target`, found the error value #DIV/0!",
    );
}

#[test]
fn error_cell_na() {
    let w = Workdir::new();
    let mut d = data();
    d[3][3] = C::E("#N/A");
    w.book("data.xlsx", "指标", &d);
    fails(
        &w,
        65,
        "data.xlsx [指标]!D4: expected a value for `visits`, found the error value #N/A",
    );
}

#[test]
fn boolean_where_a_number_belongs() {
    let w = Workdir::new();
    let mut d = data();
    d[1][3] = C::B(true);
    w.book("data.xlsx", "指标", &d);
    fails(
        &w,
        65,
        "data.xlsx [指标]!D2: expected a number for `visits`, found the boolean TRUE",
    );
}

#[test]
fn date_written_as_unreadable_text() {
    let w = Workdir::new();
    let mut e = events();
    e[1][2] = s("8月1日");
    w.book("events.xlsx", "事件", &e);
    fails(
        &w,
        65,
        "events.xlsx [事件]!C2: expected a date for `date`, found the text \"8月1日\"",
    );
}

#[test]
fn dates_written_as_readable_text_are_read() {
    let w = Workdir::new();
    let mut e = events();
    e[1][2] = s("2024/8/1");
    e[2][2] = s("2024年8月2日");
    w.book("events.xlsx", "事件", &e);
    let o = w.run(&["check", "appraisal.toml"]);
    assert_eq!(o.status.code(), Some(0), "{:?}", err_lines(&o));
}

#[test]
fn negative_value_where_none_is_allowed() {
    let w = Workdir::new();
    let mut d = data();
    d[2][1] = n(-80.0);
    w.book("data.xlsx", "指标", &d);
    fails(
        &w,
        65,
        "data.xlsx [指标]!B3: `revenue` is -80, below the smallest allowed value 0",
    );
}

#[test]
fn empty_sheet() {
    let w = Workdir::new();
    w.book("data.xlsx", "指标", &Vec::new());
    fails(&w, 65, "data.xlsx [指标]: the sheet is empty");
}

#[test]
fn empty_cell_for_a_required_actual() {
    let w = Workdir::new();
    let mut d = data();
    d[2][3] = C::Blank;
    w.book("data.xlsx", "指标", &d);
    fails(
        &w,
        65,
        "data.xlsx [指标]!D3: E02 李四 (客户经理): KPI `visits` has no actual (the cell is blank; `visits` in data.xlsx [指标])",
    );
}

#[test]
fn row_with_values_but_no_id() {
    let w = Workdir::new();
    let mut d = data();
    d.push(vec![C::Blank, n(5.0), n(5.0), n(5.0)]);
    w.book("data.xlsx", "指标", &d);
    fails(
        &w,
        65,
        "data.xlsx [指标]!A5: this row has values but no `工号`",
    );
}

#[test]
fn division_by_zero_at_run_time() {
    let w = Workdir::new();
    let mut d = data();
    d[2][3] = n(0.0);
    w.book("data.xlsx", "指标", &d);
    fails(
        &w,
        65,
        "roster.xlsx [花名册]!A3: E02 李四 (客户经理): metric `per_visit` `revenue / visits`: division by zero",
    );
}

#[test]
fn zero_target_cannot_divide() {
    let w = Workdir::new();
    let mut d = data();
    d[3][2] = n(0.0);
    w.book("data.xlsx", "指标", &d);
    fails(
        &w,
        65,
        "data.xlsx [指标]!C4: E03 王五: KPI `revenue` has a target of 0, which cannot divide",
    );
}

#[test]
fn every_data_problem_in_one_pass() {
    let w = Workdir::new();
    let mut d = data();
    d[1][1] = s("N/A");
    d[2][2] = C::E("#DIV/0!");
    d[3][1] = n(-1.0);
    w.book("data.xlsx", "指标", &d);
    let mut r = roster();
    r[3][0] = s("E01");
    w.book("roster.xlsx", "花名册", &r);
    std::fs::remove_file(w.path("events.xlsx")).expect("rm");
    let l = fails(
        &w,
        65,
        "events.xlsx: cannot read the workbook: No such file or directory (os error 2)",
    );
    assert_eq!(l.last().map(String::as_str), Some("6 input problems found"));
}

// ───────────────────────────── hostile files (65) ─────────────────────────────

#[test]
fn zero_byte_file() {
    let w = Workdir::new();
    w.bytes("data.xlsx", b"");
    fails(&w, 65, "data.xlsx: the workbook is empty (0 bytes)");
}

#[test]
fn csv_renamed_xlsx() {
    let w = Workdir::new();
    w.bytes(
        "data.xlsx",
        "工号,收入,目标,走访\nE01,120,100,12\n".as_bytes(),
    );
    fails(
        &w,
        65,
        "data.xlsx: this is CSV or tab-separated text, not a workbook (it begins \"工号,收入,目标,走访\"); a text export renamed to a workbook name?",
    );
}

#[test]
fn truncated_zip() {
    let w = Workdir::new();
    let b = w.read("data.xlsx");
    w.bytes("data.xlsx", &b[..b.len() / 2]);
    fails(
        &w,
        65,
        "data.xlsx: the workbook is damaged or incomplete (invalid Zip archive: Could not find EOCD)",
    );
}

#[test]
fn corrupt_zip_data() {
    let w = Workdir::new();
    let mut b = w.read("data.xlsx");
    // Damage the compressed bytes of the first part, leaving the directory.
    for x in &mut b[60..400] {
        *x = x.wrapping_mul(31).wrapping_add(7);
    }
    w.bytes("data.xlsx", &b);
    fails(
        &w,
        65,
        "data.xlsx: the workbook is damaged or incomplete (corrupt deflate stream)",
    );
}

#[test]
fn password_protected_workbook() {
    let w = Workdir::new();
    w.bytes("data.xlsx", &encrypted_office_file());
    fails(
        &w,
        65,
        "data.xlsx: the workbook is password-protected (encrypted), so it cannot be read",
    );
}

#[test]
fn a_zip_that_is_not_a_workbook() {
    let w = Workdir::new();
    w.bytes(
        "data.xlsx",
        &raw_zip(&[("word/document.xml", stored(b"<w:document/>"))]),
    );
    fails(
        &w,
        65,
        "data.xlsx: this is a zip archive, but not a workbook (it has no xl/workbook.xml)",
    );
}

#[test]
fn upper_case_extension_is_read() {
    let w = Workdir::new();
    std::fs::rename(w.path("data.xlsx"), w.path("DATA.XLSX")).expect("mv");
    w.edit("file = \"data.xlsx\"", "file = \"DATA.XLSX\"");
    let o = w.run(&["check", "appraisal.toml"]);
    assert_eq!(o.status.code(), Some(0), "{:?}", err_lines(&o));
}

#[test]
fn far_cell_xfd1048576() {
    let w = Workdir::new();
    let path = w.path("data.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("指标").expect("name");
    for (r, row) in data().iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            match cell {
                C::S(t) => ws.write_string(r as u32, c as u16, t).map(|_| ()),
                C::N(x) => ws.write_number(r as u32, c as u16, *x).map(|_| ()),
                _ => Ok(()),
            }
            .expect("write");
        }
    }
    ws.write_string(1_048_575, 16_383, "x").expect("far cell");
    wb.save(&path).expect("save");
    fails(
        &w,
        65,
        "data.xlsx [指标]!XFD1048576: a value lies beyond the limit of 1048576 rows and 500 columns",
    );
}

#[test]
fn zip_bomb_sheet_inflating_to_gigabytes() {
    let w = Workdir::new();
    let bomb = bomb_xlsx(&w.read("data.xlsx"), None);
    w.bytes("data.xlsx", &bomb);
    fails(
        &w,
        65,
        "data.xlsx: part `xl/worksheets/sheet1.xml` unpacks to 2042 MiB, above the limit of 512 MiB",
    );
}

#[test]
fn zip_bomb_with_a_lying_directory() {
    let w = Workdir::new();
    let bomb = bomb_xlsx(&w.read("data.xlsx"), Some(100_000));
    w.bytes("data.xlsx", &bomb);
    fails(
        &w,
        65,
        "data.xlsx: part `xl/worksheets/sheet1.xml` unpacks to more than the 100000 bytes it declares",
    );
}

#[test]
fn limits_in_the_scheme_apply() {
    let w = Workdir::new();
    w.scheme(&format!("{SCHEME}\n[limits]\nmax_rows = 3\n"));
    fails(
        &w,
        65,
        "data.xlsx [指标]!A4: a value lies beyond the limit of 3 rows and 500 columns",
    );
}

// ───────────────────────────── output file names (issue 15) ─────────────────────────────

/// The fixture with the roster's ids, names and teams replaced (and the
/// data sheet's ids to match).
fn with_roster(people: &[(&str, &str, &str)]) -> Workdir {
    let w = Workdir::new();
    let mut r = roster();
    let mut d = data();
    for (i, (id, name, team)) in people.iter().enumerate() {
        r[i + 1][0] = s(id);
        r[i + 1][1] = s(name);
        r[i + 1][3] = s(team);
        d[i + 1][0] = s(id);
    }
    w.book("roster.xlsx", "花名册", &r);
    w.book("data.xlsx", "指标", &d);
    w.book("events.xlsx", "事件", &vec![events()[0].clone()]);
    w
}

// issue 15: teams `政企:一班` and `政企/一班` shared one team workbook.
#[test]
fn two_teams_whose_file_names_collide_are_an_input_error() {
    let w = with_roster(&[
        ("E01", "张三", "政企:一班"),
        ("E02", "李四", "政企:一班"),
        ("E03", "王五", "政企/一班"),
    ]);
    let l = fails(
        &w,
        65,
        "roster.xlsx [花名册]!D4: team `政企/一班` and team `政企:一班` (roster.xlsx [花名册]!D2) would share one file, team/政企_一班.xlsx",
    );
    assert!(
        help(&l).starts_with("rename one of the two teams"),
        "{l:#?}"
    );
    // Letter case alone does not tell two files apart on Windows and macOS.
    let w = with_roster(&[
        ("E01", "张三", "Sales"),
        ("E02", "李四", "Sales"),
        ("E03", "王五", "sales"),
    ]);
    fails(
        &w,
        65,
        "roster.xlsx [花名册]!D4: team `sales` and team `Sales` (roster.xlsx [花名册]!D2) would share one file, team/sales.xlsx",
    );
}

// issue 15: ids `E/1`, `E_1` and `E:1` shared one feedback file.
#[test]
fn two_people_whose_file_names_collide_are_an_input_error() {
    let w = with_roster(&[
        ("E/1", "张三", "一班"),
        ("E_1", "张三", "一班"),
        ("e:1", "张三", "一班"),
    ]);
    let l = fails(
        &w,
        65,
        "roster.xlsx [花名册]!A3: employee `E_1` and employee `E/1` (roster.xlsx [花名册]!A2) would share one feedback file, feedback/一班/E_1-张三.xlsx",
    );
    assert!(
        l.iter().any(|x| x
            == "roster.xlsx [花名册]!A4: employee `e:1` and employee `E/1` (roster.xlsx [花名册]!A2) would share one feedback file, feedback/一班/e_1-张三.xlsx"),
        "{l:#?}"
    );
    assert!(l.iter().any(|x| x == "2 input problems found"), "{l:#?}");
    // The advice reads as a sentence.
    assert!(
        help(&l).starts_with(
            "change the id or name of one of them so that the two differ in more than"
        ),
        "{l:#?}"
    );
}

// issue 15: a 300-byte name failed with exit 1 naming the hidden staging path.
#[test]
fn a_name_too_long_for_a_file_is_an_input_error_at_its_cell() {
    let long = "长".repeat(100);
    let w = with_roster(&[
        ("E01", &long, "一班"),
        ("E02", "李四", "一班"),
        ("E03", "王五", &long),
    ]);
    let l = fails(
        &w,
        65,
        "roster.xlsx [花名册]!D4: the team name is 300 bytes as a file name; at most 200 fit",
    );
    assert!(
        l.iter().any(|x| x
            == "roster.xlsx [花名册]!B2: the feedback file name of employee `E01` (id-name) is 304 bytes as a file name; at most 200 fit"),
        "{l:#?}"
    );
    assert_eq!(
        help(&l),
        "shorten the team name (a Chinese character takes 3 bytes, a Latin letter 1)"
    );
}

// issue 15: Windows device names and trailing dots are made safe; the
// closing line counts exactly the files written.
#[test]
fn device_names_are_made_safe_and_every_file_is_counted() {
    let w = with_roster(&[
        ("E01", "张三.", "CON"),
        ("NUL", "李四", "CON"),
        ("E03", "王五", "aux.一班 "),
    ]);
    let o = w.run(&["run", "appraisal.toml", "--out", "out"]);
    assert_eq!(o.status.code(), Some(0), "{:?}", err_lines(&o));
    let files: Vec<String> = w
        .listing()
        .into_iter()
        .filter(|f| f.starts_with("out/") && w.path(f).is_file())
        .collect();
    for f in [
        "out/feedback/CON_/E01-张三.xlsx",
        "out/feedback/CON_/NUL_-李四.xlsx",
        "out/feedback/aux_.一班/E03-王五.xlsx",
        "out/team/CON_.xlsx",
        "out/team/aux_.一班.xlsx",
    ] {
        assert!(files.contains(&f.to_string()), "{f} not in {files:#?}");
    }
    let said = stderr(&o);
    assert!(
        said.contains(&format!(", {} files, run ", files.len())),
        "{said} / {files:#?}"
    );
}

// ───────────────────────────── the output directory ─────────────────────────────

#[test]
fn output_directory_exists_without_force() {
    let w = Workdir::new();
    std::fs::create_dir(w.path("out")).expect("mkdir");
    std::fs::write(w.path("out/keep.txt"), "earlier").expect("write");
    let before = w.listing();
    let o = w.run(&["run", "appraisal.toml", "--out", "out"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        err_lines(&o)[0],
        "run: out already holds an earlier run; choose another --out, or pass --force to replace it"
    );
    assert_eq!(w.listing(), before);
    assert_eq!(
        std::fs::read_to_string(w.path("out/keep.txt")).expect("read"),
        "earlier"
    );
}

#[test]
fn output_directory_not_writable() {
    let w = Workdir::new();
    // A path under a regular file can never be created, even by root.
    std::fs::write(w.path("blocker"), "a file").expect("write");
    let before = w.listing();
    let o = w.run(&["run", "appraisal.toml", "--out", "blocker/out"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        err_lines(&o)[0],
        "run: cannot write in blocker: blocker is a file, not a directory; choose another --out"
    );
    assert_eq!(w.listing(), before);
}

// ───────────────────────────── hostile file makers ─────────────────────────────

/// An OLE compound file holding the given streams.
fn compound(streams: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut cf = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).expect("cfb");
    for (name, data) in streams {
        cf.create_stream(name)
            .expect("stream")
            .write_all(data)
            .expect("write");
    }
    cf.flush().expect("flush");
    cf.into_inner().into_inner()
}

/// An encrypted Office file, as Excel writes one when a password is set:
/// a compound file with `EncryptionInfo` and `EncryptedPackage` streams.
fn encrypted_office_file() -> Vec<u8> {
    compound(&[
        ("EncryptionInfo", &[4, 0, 4, 0, 0x40, 0, 0, 0]),
        ("EncryptedPackage", &[0x5A; 4096]),
    ])
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A zip part: method (0 stored, 8 deflated), bytes, crc, declared size.
struct Part {
    method: u16,
    data: Vec<u8>,
    crc: u32,
    size: u32,
}

fn stored(data: &[u8]) -> Part {
    Part {
        method: 0,
        data: data.to_vec(),
        crc: crc32(data),
        size: data.len() as u32,
    }
}

/// A zip written byte by byte, so that its directory can say anything.
fn raw_zip(parts: &[(&str, Part)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, p) in parts {
        let offset = out.len() as u32;
        let common = |v: &mut Vec<u8>| {
            v.extend(20u16.to_le_bytes());
            v.extend(0u16.to_le_bytes());
            v.extend(p.method.to_le_bytes());
            v.extend(0u32.to_le_bytes());
            v.extend(p.crc.to_le_bytes());
            v.extend((p.data.len() as u32).to_le_bytes());
            v.extend(p.size.to_le_bytes());
            v.extend((name.len() as u16).to_le_bytes());
            v.extend(0u16.to_le_bytes());
        };
        out.extend(0x0403_4b50u32.to_le_bytes());
        common(&mut out);
        out.extend(name.as_bytes());
        out.extend(&p.data);
        central.extend(0x0201_4b50u32.to_le_bytes());
        central.extend(20u16.to_le_bytes());
        common(&mut central);
        central.extend([0u8; 10]); // comment length, disk, attributes
        central.extend(offset.to_le_bytes());
        central.extend(name.as_bytes());
    }
    let cd_offset = out.len() as u32;
    out.extend(&central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0u8; 4]);
    out.extend((parts.len() as u16).to_le_bytes());
    out.extend((parts.len() as u16).to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(cd_offset.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

/// A deflate stream of `runs` × 258 + 1 zero bytes: one literal, then
/// back-references of length 258 at distance 1, in a fixed-Huffman block
/// (13 bits per 258 bytes).
fn deflate_zeros(runs: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(runs * 13 / 8 + 8);
    let (mut acc, mut bits) = (0u64, 0u32);
    let mut put = |v: u64, n: u32, out: &mut Vec<u8>| {
        acc |= v << bits;
        bits += n;
        while bits >= 8 {
            out.push(acc as u8);
            acc >>= 8;
            bits -= 8;
        }
    };
    put(0b011, 3, &mut out); // final block, fixed Huffman
    put(0x0C, 8, &mut out); // literal 0 (code 00110000, bits reversed)
    for _ in 0..runs {
        put(0xA3, 8, &mut out); // length 258 (code 285 = 11000101, reversed)
        put(0, 5, &mut out); // distance 1 (code 0)
    }
    put(0, 7, &mut out); // end of block
    put(0, 7, &mut out); // flush the last bits
    out
}

/// `xlsx` with its first worksheet replaced by about 2 GiB of zeros. The
/// directory tells the truth, or says `lie` bytes.
fn bomb_xlsx(xlsx: &[u8], lie: Option<u32>) -> Vec<u8> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).expect("zip");
    let runs = 8_300_000;
    let mut parts = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("part");
        let name = f.name().expect("name").to_string();
        if name == "xl/worksheets/sheet1.xml" {
            parts.push((
                name,
                Part {
                    method: 8,
                    data: deflate_zeros(runs),
                    crc: 0,
                    size: lie.unwrap_or((runs * 258 + 1) as u32),
                },
            ));
        } else {
            let mut data = Vec::new();
            f.read_to_end(&mut data).expect("read");
            parts.push((name, stored(&data)));
        }
    }
    let refs: Vec<(&str, Part)> = parts
        .into_iter()
        .map(|(n, p)| (&*Box::leak(n.into_boxed_str()), p))
        .collect();
    raw_zip(&refs)
}

// ───────────────────────────── fuzz findings (regressions) ─────────────────────────────

/// `xlsx` with `from` replaced by `to` in its first worksheet, re-zipped
/// (used by a test that runs in debug builds only).
#[cfg(debug_assertions)]
fn edit_sheet_xml(xlsx: &[u8], from: &str, to: &str) -> Vec<u8> {
    edit_part(xlsx, "xl/worksheets/sheet1.xml", from, to)
}

/// `xlsx` with `from` replaced by `to` in part `part`, re-zipped.
fn edit_part(xlsx: &[u8], part: &str, from: &str, to: &str) -> Vec<u8> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).expect("zip");
    let mut parts = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("part");
        let name = f.name().expect("name").to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).expect("read");
        if name == part {
            let text = String::from_utf8(data).expect("xml");
            assert!(text.contains(from), "no `{from}` in {part}");
            data = text.replacen(from, to, 1).into_bytes();
        }
        parts.push((name, stored(&data)));
    }
    let refs: Vec<(&str, Part)> = parts
        .into_iter()
        .map(|(n, p)| (&*Box::leak(n.into_boxed_str()), p))
        .collect();
    raw_zip(&refs)
}

/// Fuzz finding (issue 5, seed 1, input 139): calamine's cell-reference
/// parser overflows (a panic in debug builds) on a reference of ten letters.
#[cfg(debug_assertions)]
#[test]
fn fuzz_cell_reference_of_ten_letters() {
    let w = Workdir::new();
    let bad = edit_sheet_xml(&w.read("data.xlsx"), "r=\"B2\"", "r=\"ABCDEFGHIJ2\"");
    w.bytes("data.xlsx", &bad);
    fails(
        &w,
        65,
        "data.xlsx: cannot read sheet `指标`: the file is malformed (the workbook reader failed on it)",
    );
}

/// Fuzz finding (issue 5, config seed 7, input 6554): a formula error on a
/// multi-byte character (here a full-width bracket typed with a Chinese
/// input method) put the caret inside the character and panicked.
#[test]
fn fuzz_formula_error_on_a_full_width_bracket() {
    let w = Workdir::new();
    w.edit("revenue / visits", "revenue / （visits）");
    let l = fails(
        &w,
        78,
        "appraisal.toml:37:36: formula `revenue / （visits）`: unexpected character `（`",
    );
    assert_eq!(l[3], "   |                                    ^");
}

/// Fuzz finding (issue 5, workbook seed 8): calamine reserves memory for the
/// `uniqueCount` a shared-string table claims before reading any string, so
/// `uniqueCount="4294967296"` aborted the process on a 96 GiB allocation.
#[test]
fn fuzz_shared_strings_claiming_four_billion_strings() {
    let w = Workdir::new();
    let xlsx = w.read("data.xlsx");
    let bad = edit_part(
        &xlsx,
        "xl/sharedStrings.xml",
        "uniqueCount=\"7\"",
        "uniqueCount=\"4294967296\"",
    );
    w.bytes("data.xlsx", &bad);
    let l = fails(
        &w,
        65,
        "data.xlsx: part `xl/sharedStrings.xml` claims 4294967296 strings but holds 313 bytes",
    );
    assert_eq!(
        help(&l),
        "the workbook is damaged or forged; export it again"
    );
}

/// An .xls whose DIMENSIONS record declares four billion rows: calamine
/// would reserve room for all those cells before reading one.
#[test]
fn xls_declaring_a_huge_sheet() {
    let w = Workdir::new();
    let mut biff = vec![0x09, 0x08, 0x10, 0x00];
    biff.extend([0x00, 0x06, 0x10, 0x00]);
    biff.extend([0u8; 12]);
    biff.extend([0x00, 0x02, 0x0E, 0x00]);
    biff.extend(0u32.to_le_bytes());
    biff.extend(4_000_000_000u32.to_le_bytes());
    biff.extend(0u16.to_le_bytes());
    biff.extend(255u16.to_le_bytes());
    biff.extend([0, 0]);
    w.bytes("data.xlsx", &compound(&[("Workbook", &biff)]));
    fails(
        &w,
        65,
        "data.xlsx: a sheet declares 1024000000256 cells, above the limit of 10000000",
    );
}

#[test]
fn word_document_renamed_xlsx() {
    let w = Workdir::new();
    w.bytes("data.xlsx", &compound(&[("WordDocument", &[0u8; 600])]));
    fails(
        &w,
        65,
        "data.xlsx: this is an Office file, but not an Excel workbook (it has no Workbook stream)",
    );
}

/// Found while reviewing the fuzzer's reach (issue 5): an inverse rule on a
/// value of 7.9e28 against a target of 0.00001 overflowed rust_decimal and
/// crashed the process (exit 101).
#[test]
fn absurd_value_against_a_tiny_target() {
    let w = Workdir::new();
    w.edit(
        "rule = { type = \"ratio\", cap = 1.2 }",
        "rule = { type = \"inverse\", mode = \"two_minus\" }",
    );
    let mut d = data();
    // (Since issue 15 a value beyond 1e15 is refused at its cell: the
    // largest it may be against a tiny target still overflows.)
    d[1][1] = n(1e15);
    d[1][2] = n(1e-14);
    w.book("data.xlsx", "指标", &d);
    fails(
        &w,
        65,
        "roster.xlsx [花名册]!A2: E01 张三 (客户经理): a result is too large for exact decimal arithmetic",
    );
}

// ───────────────────── what a cell is read as (issue 15) ─────────────────────

/// `xlsx` with the cell `cell` of its first sheet replaced by the XML
/// `with` (the whole `<c>` element), re-zipped: cells no writing library
/// makes, as scripts and other programs write them.
fn with_cell(xlsx: &[u8], cell: &str, with: &str) -> Vec<u8> {
    edit_part_with(xlsx, "xl/worksheets/sheet1.xml", |xml| {
        let start = xml
            .find(&format!("<c r=\"{cell}\""))
            .unwrap_or_else(|| panic!("no cell {cell}"));
        let end = match (xml[start..].find("/>"), xml[start..].find("</c>")) {
            (Some(e), Some(c)) if e < xml[start..].find('>').unwrap_or(0) + 1 && e < c => {
                start + e + 2
            }
            (_, Some(c)) => start + c + 4,
            _ => panic!("cell {cell} does not end"),
        };
        format!("{}{with}{}", &xml[..start], &xml[end..])
    })
}

/// `xlsx` with part `part` rewritten by `edit`, re-zipped.
fn edit_part_with(xlsx: &[u8], part: &str, edit: impl Fn(&str) -> String) -> Vec<u8> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).expect("zip");
    let mut parts = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("part");
        let name = f.name().expect("name").to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).expect("read");
        if name == part {
            data = edit(&String::from_utf8(data).expect("xml")).into_bytes();
        }
        parts.push((name, stored(&data)));
    }
    let refs: Vec<(&str, Part)> = parts
        .into_iter()
        .map(|(n, p)| (&*Box::leak(n.into_boxed_str()), p))
        .collect();
    raw_zip(&refs)
}

/// `check` passes on the work directory.
fn passes(w: &Workdir) {
    let o = w.run(&["check", "appraisal.toml"]);
    assert_eq!(o.status.code(), Some(0), "{:?}", err_lines(&o));
}

const UNSAVED_HELP: &str = "open the file in Excel, WPS or LibreOffice and save it, so that the results of its formulas are stored; or export values instead of formulas";

/// issue 15: a formula with no stored result (what openpyxl writes) was
/// read as a blank cell: with `missing = "exclude"` the KPI silently
/// dropped out and the weights were re-scaled.
#[test]
fn a_formula_without_a_stored_result_is_refused_not_read_as_blank() {
    let w = Workdir::new();
    w.edit(
        "rule = { type = \"ratio\", cap = 1.2 }",
        "rule = { type = \"ratio\", cap = 1.2 }\nmissing = \"exclude\"",
    );
    let xlsx = with_cell(&w.read("data.xlsx"), "B2", "<c r=\"B2\"><f>80+10</f></c>");
    w.bytes("data.xlsx", &xlsx);
    let l = fails(
        &w,
        65,
        "data.xlsx [指标]!B2: `revenue` is the formula `=80+10` with no stored result (the file was written by a program that does not calculate formulas)",
    );
    assert_eq!(help(&l), UNSAVED_HELP);
}

/// issue 15: the same with the result stored is read as its result.
#[test]
fn a_formula_with_its_result_stored_is_read_as_the_result() {
    let w = Workdir::new();
    let xlsx = with_cell(
        &w.read("data.xlsx"),
        "B2",
        "<c r=\"B2\"><f>80+10</f><v>90</v></c>",
    );
    w.bytes("data.xlsx", &xlsx);
    passes(&w);
    let o = w.run(&["explain", "appraisal.toml", "E01"]);
    assert_eq!(o.status.code(), Some(0), "{:?}", err_lines(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("90"));
}

/// issue 15: cells of a shared formula (`<f t="shared" si="0"/>`) with no
/// stored result are refused, each; with a stored result they are read.
#[test]
fn shared_formulas_are_read_by_their_stored_results_or_refused() {
    let w = Workdir::new();
    let xlsx = with_cell(
        &w.read("data.xlsx"),
        "B2",
        "<c r=\"B2\"><f t=\"shared\" ref=\"B2:B3\" si=\"0\">C2*1.2</f></c>",
    );
    let unsaved = with_cell(&xlsx, "B3", "<c r=\"B3\"><f t=\"shared\" si=\"0\"/></c>");
    w.bytes("data.xlsx", &unsaved);
    let l = fails(
        &w,
        65,
        "data.xlsx [指标]!B2: `revenue` is the formula `=C2*1.2` with no stored result (the file was written by a program that does not calculate formulas)",
    );
    assert!(
        l.iter().any(|l| l
            == "data.xlsx [指标]!B3: `revenue` is a formula with no stored result (the file was written by a program that does not calculate formulas)"),
        "{l:#?}"
    );
    let saved = with_cell(
        &w.read("data.xlsx"),
        "B2",
        "<c r=\"B2\"><f t=\"shared\" ref=\"B2:B3\" si=\"0\">C2*1.2</f><v>120</v></c>",
    );
    let saved = with_cell(
        &saved,
        "B3",
        "<c r=\"B3\"><f t=\"shared\" si=\"0\"/><v>80</v></c>",
    );
    let w2 = Workdir::new();
    w2.bytes("data.xlsx", &saved);
    passes(&w2);
}

/// issue 15: a formula in a column the scheme does not read is no problem.
#[test]
fn a_formula_without_a_result_in_a_column_not_read_is_ignored() {
    let w = Workdir::new();
    let xlsx = edit_part_with(&w.read("data.xlsx"), "xl/worksheets/sheet1.xml", |xml| {
        let row2 = xml.find("<row r=\"2\"").expect("row 2");
        let end = row2 + xml[row2..].find("</row>").expect("end of row 2");
        format!("{}<c r=\"E2\"><f>1+1</f></c>{}", &xml[..end], &xml[end..])
    });
    w.bytes("data.xlsx", &xlsx);
    passes(&w);
}

/// issue 15: a header or an id that is a formula with no stored result is
/// named as such, not as a missing column or a row without an id.
#[test]
fn a_header_or_an_id_without_a_stored_result_is_named() {
    let w = Workdir::new();
    let xlsx = with_cell(
        &w.read("data.xlsx"),
        "A1",
        "<c r=\"A1\" t=\"str\"><f>\"工\"&amp;\"号\"</f></c>",
    );
    w.bytes("data.xlsx", &xlsx);
    let l = fails(
        &w,
        65,
        "data.xlsx [指标]!A1: the header is the formula `=\"工\"&\"号\"` with no stored result (the file was written by a program that does not calculate formulas)",
    );
    assert!(
        l.iter().any(|l| l.contains("no key column `工号`")),
        "{l:#?}"
    );
    let w = Workdir::new();
    let xlsx = with_cell(
        &w.read("data.xlsx"),
        "A3",
        "<c r=\"A3\" t=\"str\"><f>\"E0\"&amp;\"2\"</f></c>",
    );
    w.bytes("data.xlsx", &xlsx);
    fails(
        &w,
        65,
        "data.xlsx [指标]!A3: `工号` is the formula `=\"E0\"&\"2\"` with no stored result (the file was written by a program that does not calculate formulas)",
    );
}

/// issue 15: 8e26 against a target of 1 passed `check` and then panicked
/// `run` and `explain` (exit 101) in the sentence that explains the rate.
/// A number beyond 1e15 is refused at its cell, by `check` as by `run`.
#[test]
fn a_value_beyond_the_largest_magnitude_is_refused_at_its_cell() {
    let w = Workdir::new();
    let mut d = data();
    d[1][1] = n(8e26);
    d[1][2] = n(1.0);
    w.book("data.xlsx", "指标", &d);
    let l = fails(
        &w,
        65,
        "data.xlsx [指标]!B2: `revenue` is 800000000000000000000000000, beyond the largest magnitude read, 1e15",
    );
    assert!(
        help(&l).starts_with("numbers are read up to 1e15"),
        "{l:#?}"
    );
    let o = w.run(&["explain", "appraisal.toml", "E01"]);
    assert_eq!(o.status.code(), Some(65), "{:?}", err_lines(&o));
    // 1e15 itself, and -1e15, are read.
    let mut d = data();
    d[1][3] = n(1e15);
    d[2][3] = n(-1e15);
    w.book("data.xlsx", "指标", &d);
    passes(&w);
}

/// issue 15: a number too small for 28 decimal places (1e-30, shown by
/// Excel as 1E-30) was read as 0 without a word; it is refused at its cell,
/// by `check` as by `run`, with the limit stated. 0 itself is read.
#[test]
fn a_nonzero_value_below_the_smallest_magnitude_is_refused_at_its_cell() {
    let w = Workdir::new();
    let mut d = data();
    d[1][1] = n(1e-30);
    w.book("data.xlsx", "指标", &d);
    let l = fails(
        &w,
        65,
        "data.xlsx [指标]!B2: `revenue` is 1e-30, which is not 0 but below the smallest magnitude read, 1e-28",
    );
    assert!(
        help(&l).starts_with("numbers other than 0 are read"),
        "{l:#?}"
    );
    let mut d = data();
    d[1][1] = n(1e-27);
    w.book("data.xlsx", "指标", &d);
    passes(&w);
}

/// issue 15: the largest value read against a tiny target gives a rate of
/// 1e27, within rust_decimal's range but not × 100: `run` and `explain`
/// say it, or refuse it naming the person, and never panic.
#[test]
fn a_huge_rate_within_the_bounds_never_panics_run_or_explain() {
    for rule in [
        "rule = { type = \"ratio\" }",
        "rule = { type = \"inverse\", mode = \"two_minus\" }",
        "rule = { type = \"ratio\", cap = 1.2 }",
    ] {
        let w = Workdir::new();
        w.edit("rule = { type = \"ratio\", cap = 1.2 }", rule);
        let mut d = data();
        d[1][1] = n(1e15);
        d[1][2] = n(1e-12);
        w.book("data.xlsx", "指标", &d);
        for args in [
            &["run", "appraisal.toml", "--out", "out"][..],
            &["explain", "appraisal.toml", "E01"][..],
        ] {
            let o = w.run(args);
            let code = o.status.code();
            assert!(
                matches!(code, Some(0) | Some(65)),
                "{rule}: {args:?}: {code:?} {:#?}",
                err_lines(&o)
            );
            assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
        }
    }
}

/// issue 15: a formula nested about 6,000 deep overflowed the stack in
/// `check` and `run` (the process aborted). Nesting is limited to 64
/// levels and the place is named; so is a chain of more than 1,000
/// operations, which evaluating would recurse through.
#[test]
fn a_formula_nested_thousands_deep_is_a_scheme_error_not_a_crash() {
    for deep in [
        format!("{}revenue{}", "(".repeat(6000), ")".repeat(6000)),
        format!("{}revenue", "-".repeat(6000)),
        format!("{}revenue{}", "min(1, ".repeat(6000), ")".repeat(6000)),
        format!("{}revenue{}", "not (".repeat(3000), ")".repeat(3000)),
    ] {
        let w = Workdir::new();
        w.edit("revenue / visits", &deep);
        let [check, run] = both_fail(&w, 78);
        for l in [&check, &run] {
            assert!(
                l[0].starts_with("appraisal.toml:37:")
                    && l[0].ends_with(
                        "the formula nests deeper than 64 levels (parentheses, functions, signs)"
                    ),
                "{}",
                &l[0][..l[0].len().min(300)]
            );
        }
    }
    let w = Workdir::new();
    w.edit("revenue / visits", &vec!["revenue"; 3000].join(" + "));
    let l = both_fail(&w, 78);
    assert!(
        l[0][0].ends_with(
            "the formula is more than 1000 operations deep; split it into derived metrics"
        ),
        "{}",
        &l[0][0][..l[0][0].len().min(300)]
    );
    // 64 levels are read.
    let w = Workdir::new();
    w.edit(
        "revenue / visits",
        &format!("{}revenue{} / visits", "(".repeat(64), ")".repeat(64)),
    );
    passes(&w);
}

/// A BIFF8 record.
fn biff_record(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut r = typ.to_le_bytes().to_vec();
    r.extend((data.len() as u16).to_le_bytes());
    r.extend(data);
    r
}

/// A BIFF8 string: length, a flag for 16-bit characters, the characters.
fn biff_text(t: &str, wide_len: bool) -> Vec<u8> {
    let units: Vec<u16> = t.encode_utf16().collect();
    let mut out = if wide_len {
        (units.len() as u16).to_le_bytes().to_vec()
    } else {
        vec![units.len() as u8]
    };
    out.push(1);
    out.extend(units.iter().flat_map(|u| u.to_le_bytes()));
    out
}

/// A minimal .xls (BIFF8 in a compound file) with one sheet `sheet`, the
/// cells `cells` and a DIMENSIONS record of (first row, last row + 1,
/// first column, last column + 1), as Excel 97–2003 writes one.
fn xls(sheet: &str, cells: &[Vec<C>], dims: (u32, u32, u16, u16)) -> Vec<u8> {
    let bof = |dt: u16| {
        let mut d = 0x0600u16.to_le_bytes().to_vec();
        d.extend(dt.to_le_bytes());
        d.extend([0u8; 12]);
        biff_record(0x0809, &d)
    };
    let mut body = bof(0x0010);
    let mut d = dims.0.to_le_bytes().to_vec();
    d.extend(dims.1.to_le_bytes());
    d.extend(dims.2.to_le_bytes());
    d.extend(dims.3.to_le_bytes());
    d.extend([0, 0]);
    body.extend(biff_record(0x0200, &d));
    for (r, row) in cells.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let mut d = (r as u16).to_le_bytes().to_vec();
            d.extend((c as u16).to_le_bytes());
            d.extend(0u16.to_le_bytes());
            match cell {
                C::S(t) => {
                    d.extend(biff_text(t, true));
                    body.extend(biff_record(0x0204, &d));
                }
                C::N(x) => {
                    d.extend(x.to_le_bytes());
                    body.extend(biff_record(0x0203, &d));
                }
                _ => {}
            }
        }
    }
    body.extend(biff_record(0x000A, &[]));
    // The globals: BOF, the sheet's BoundSheet8 (its offset filled in
    // once the globals' length is known), EOF.
    let name = biff_text(sheet, false);
    let globals_len = bof(0x0005).len() + 4 + 6 + name.len() + 4;
    let mut globals = bof(0x0005);
    let mut b = (globals_len as u32).to_le_bytes().to_vec();
    b.extend([0, 0]);
    b.extend(name);
    globals.extend(biff_record(0x0085, &b));
    globals.extend(biff_record(0x000A, &[]));
    assert_eq!(globals.len(), globals_len);
    globals.extend(body);
    compound(&[("Workbook", &globals)])
}

/// issue 15: an .xls whose DIMENSIONS record wraps (rows 0 to 0xFFFFFFFF)
/// aborted `run` (calamine reserved 4 billion rows) and left the staging
/// directory behind. The same file with honest dimensions is read.
#[test]
fn xls_whose_dimensions_wrap_is_refused() {
    let w = Workdir::new();
    w.bytes("data.xlsx", &xls("指标", &data(), (0, 4, 0, 4)));
    passes(&w);
    w.bytes("data.xlsx", &xls("指标", &data(), (0, 0xFFFF_FFFF, 0, 4)));
    fails(
        &w,
        65,
        "data.xlsx: a sheet declares 21474836480 cells, above the limit of 10000000",
    );
}

/// issue 15: two values of an .xls far apart (A1 and IV65536) make
/// calamine build the whole range between them, whatever DIMENSIONS says.
#[test]
fn xls_with_values_far_apart_is_refused() {
    let w = Workdir::new();
    let mut d = data();
    d.resize(65_536, vec![]);
    d[65_535] = vec![C::Blank; 255];
    d[65_535].push(n(1.0));
    w.bytes("data.xlsx", &xls("指标", &d, (0, 4, 0, 4)));
    fails(
        &w,
        65,
        "data.xlsx: a sheet's values lie 65536 rows and 256 columns apart, a range of 16777216 cells, above the limit of 10000000",
    );
}

/// issue 15: a full TMPDIR made rust_xlsxwriter panic (a 1,000-line
/// backtrace, exit 101) while it wrote a sheet's temporary file. Files
/// limited to 1 MiB (`ulimit -f`, with SIGXFSZ ignored so that a write
/// fails with EFBIG, as on a full disk) give one line naming the workbook
/// and TMPDIR, exit 1, and leave nothing behind.
#[cfg(unix)]
#[test]
fn a_temporary_file_that_cannot_be_written_is_one_line_naming_tmpdir() {
    let w = Workdir::empty();
    let o = w.run(&["sample", "--employees", "200", "--out", "s"]);
    assert_eq!(o.status.code(), Some(0), "{:?}", err_lines(&o));
    let o = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "trap '' XFSZ; ulimit -f 1024; exec '{}' run s/appraisal.toml --out out",
            env!("CARGO_BIN_EXE_appraise")
        ))
        .current_dir(w.dir.path())
        .env("LC_ALL", "en_US.UTF-8")
        .env("RUST_BACKTRACE", "1")
        .output()
        .expect("sh");
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("error: out/summary.xlsx: cannot write a temporary file in")
            && err.ends_with("point TMPDIR at a writable directory with room\n"),
        "{err}"
    );
    let left: Vec<_> = std::fs::read_dir(w.dir.path())
        .expect("ls")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["s"]);
}

/// issue 15: control characters and escape sequences from input cells
/// reached the terminal as they were: a name could clear the screen. Every
/// message, and `explain`'s report, shows them escaped.
#[test]
fn control_characters_from_cells_are_escaped_on_the_terminal() {
    let w = Workdir::new();
    let mut r = roster();
    r[2][2] = s("客户经\u{1b}[2J\r\u{1b}[H里");
    w.book("roster.xlsx", "花名册", &r);
    let l = fails(
        &w,
        65,
        "roster.xlsx [花名册]!C3: 岗位 `客户经\\x1b[2J\\x0d\\x1b[H里` of `E02` matches no role of the scheme",
    );
    assert!(l.iter().all(|l| !l.contains('\u{1b}')));
    let w = Workdir::new();
    let mut r = roster();
    r[1][1] = s("张三\u{1b}]0;pwned\u{7}\u{202e}");
    w.book("roster.xlsx", "花名册", &r);
    let o = w.run(&["explain", "appraisal.toml", "E01"]);
    assert_eq!(o.status.code(), Some(0), "{:?}", err_lines(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("张三\\x1b]0;pwned\\x07\\u{202e}"), "{out}");
    assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out}");
}

/// `explain` of E01, which must succeed.
fn explained(w: &Workdir) -> String {
    let o = w.run(&["explain", "appraisal.toml", "E01"]);
    assert_eq!(o.status.code(), Some(0), "{:?}", err_lines(&o));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// issue 15: inline strings (`t="inlineStr"`, as many scripts write text)
/// and rich text (runs of differently formatted characters) are read as
/// the text they show, exactly as plain shared strings.
#[test]
fn inline_strings_and_rich_text_are_read_as_the_text_shown() {
    let w = Workdir::new();
    let plain = explained(&w);
    assert!(plain.contains("投诉 1"), "{plain}");
    let events = w.read("events.xlsx");
    let inline = with_cell(
        &events,
        "B2",
        "<c r=\"B2\" t=\"inlineStr\"><is><t>投诉</t></is></c>",
    );
    w.bytes("events.xlsx", &inline);
    assert_eq!(explained(&w), plain);
    let rich = edit_part(
        &events,
        "xl/sharedStrings.xml",
        "<si><t>投诉</t></si>",
        "<si><r><t>投</t></r><r><rPr><b/><sz val=\"11\"/></rPr><t>诉</t></r></si>",
    );
    w.bytes("events.xlsx", &rich);
    assert_eq!(explained(&w), plain);
    // An inline string in a number column is text, as any text.
    let w = Workdir::new();
    let xlsx = with_cell(
        &w.read("data.xlsx"),
        "B2",
        "<c r=\"B2\" t=\"inlineStr\"><is><t>120</t></is></c>",
    );
    w.bytes("data.xlsx", &xlsx);
    fails(
        &w,
        65,
        "data.xlsx [指标]!B2: expected a number for `revenue`, found the text \"120\"",
    );
}

/// issue 15: text that looks like a number is text, as Excel treats it
/// (SUM skips it): thousands separators, spaces, a percent sign and
/// full-width digits are each refused at the cell, never guessed at.
#[test]
fn text_that_looks_like_a_number_is_refused_at_its_cell() {
    let w = Workdir::new();
    let mut d = data();
    d[1][1] = s("1,234");
    d[2][1] = s(" 12 ");
    d[3][1] = s("12%");
    d[1][3] = s("１２");
    w.book("data.xlsx", "指标", &d);
    let [check, run] = both_fail(&w, 65);
    for l in [&check, &run] {
        for line in [
            "data.xlsx [指标]!B2: expected a number for `revenue`, found the text \"1,234\"",
            "data.xlsx [指标]!B3: expected a number for `revenue`, found the text \" 12 \"",
            "data.xlsx [指标]!B4: expected a number for `revenue`, found the text \"12%\"",
            "data.xlsx [指标]!D2: expected a number for `visits`, found the text \"１２\"",
        ] {
            assert!(l.iter().any(|l| l == line), "{line}: {l:#?}");
        }
    }
}

/// issue 15: a date where a number belongs is refused (its serial number
/// is not what a person sees); a number where a date belongs is refused
/// unless written as yyyymmdd (20240801), read as that date; a time of day
/// is not a date; a boolean is not text; an error value is not an id.
#[test]
fn dates_numbers_booleans_and_errors_are_read_only_as_what_they_show() {
    let w = Workdir::new();
    let mut d = data();
    d[1][1] = C::D(2024, 8, 1);
    w.book("data.xlsx", "指标", &d);
    fails(
        &w,
        65,
        "data.xlsx [指标]!B2: expected a number for `revenue`, found a date",
    );

    let w = Workdir::new();
    let mut e = events();
    e[1][2] = n(45505.0);
    w.book("events.xlsx", "事件", &e);
    let l = fails(
        &w,
        65,
        "events.xlsx [事件]!C2: expected a date for `date`, found the number 45505",
    );
    assert_eq!(
        help(&l),
        "format the cell as a date (设置单元格格式 → 日期), or write it as 2024-07-01"
    );

    let w = Workdir::new();
    let plain = explained(&w);
    let mut e = events();
    e[1][2] = n(20240801.0);
    w.book("events.xlsx", "事件", &e);
    assert_eq!(explained(&w), plain);

    // 36 hours, formatted as a duration ([h]:mm shows 36:00).
    let w = Workdir::new();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("事件").expect("name");
    let hours = rust_xlsxwriter::Format::new().set_num_format("[h]:mm");
    for (c, h) in ["工号", "类型", "日期"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).expect("write");
    }
    ws.write_string(1, 0, "E01").expect("write");
    ws.write_string(1, 1, "投诉").expect("write");
    ws.write_number_with_format(1, 2, 1.5, &hours)
        .expect("write");
    wb.save(w.path("events.xlsx")).expect("save");
    let l = fails(
        &w,
        65,
        "events.xlsx [事件]!C2: expected a date for `date`, found a duration (a length of time)",
    );
    assert_eq!(
        help(&l),
        "enter a date cell (this cell is formatted as a length of time)"
    );

    let w = Workdir::new();
    let mut e = events();
    e[1][1] = C::B(true);
    w.book("events.xlsx", "事件", &e);
    fails(
        &w,
        65,
        "events.xlsx [事件]!B2: expected text for `kind`, found the boolean TRUE",
    );

    let w = Workdir::new();
    let mut d = data();
    d[2][0] = C::E("#N/A");
    w.book("data.xlsx", "指标", &d);
    let l = fails(
        &w,
        65,
        "data.xlsx [指标]!A3: expected an id in `工号`, found the error value #N/A",
    );
    assert_eq!(help(&l), "ids are text or whole numbers");
}

/// issue 15: managers' comments and overrides are inputs of `run` too: a
/// comment or an override's reason that is a formula with no stored result
/// is refused, not read as empty.
#[test]
fn a_comment_or_override_without_a_stored_result_is_refused() {
    let w = Workdir::empty();
    let o = w.run(&["sample", "--employees", "20", "--out", "s"]);
    assert_eq!(o.status.code(), Some(0), "{:?}", err_lines(&o));
    let xlsx = with_cell(
        &w.read("s/comments.xlsx"),
        "C2",
        "<c r=\"C2\" t=\"str\"><f>\"好\"&amp;\"的\"</f></c>",
    );
    w.bytes("s/comments.xlsx", &xlsx);
    let refused = |w: &Workdir, line: &str| {
        let o = w.run(&["check", "s/appraisal.toml"]);
        let l = err_lines(&o);
        assert_eq!(o.status.code(), Some(65), "{l:#?}");
        assert!(l.iter().any(|l| l.ends_with(line)), "{line}: {l:#?}");
    };
    refused(
        &w,
        "comments.xlsx [上级评语]!C2: the cell is the formula `=\"好\"&\"的\"` with no stored result (the file was written by a program that does not calculate formulas)",
    );
    // And an override's reason.
    let xlsx = with_cell(
        &w.read("s/overrides.xlsx"),
        "D2",
        "<c r=\"D2\" t=\"str\"><f>A2</f></c>",
    );
    w.bytes("s/overrides.xlsx", &xlsx);
    refused(
        &w,
        "overrides.xlsx [对账裁定]!D2: the cell is the formula `=A2` with no stored result (the file was written by a program that does not calculate formulas)",
    );
}

/// A minimal .ods of one sheet: each cell's XML as given.
fn ods(sheet: &str, rows: &[Vec<String>]) -> Vec<u8> {
    let body: String = rows
        .iter()
        .map(|r| format!("<table:table-row>{}</table:table-row>", r.concat()))
        .collect();
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
         xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
         xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">\
         <office:body><office:spreadsheet><table:table table:name=\"{sheet}\">{body}</table:table>\
         </office:spreadsheet></office:body></office:document-content>"
    );
    let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
        <manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\">\
        <manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>\
        <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>\
        </manifest:manifest>";
    raw_zip(&[
        (
            "mimetype",
            stored(b"application/vnd.oasis.opendocument.spreadsheet"),
        ),
        ("content.xml", stored(content.as_bytes())),
        ("META-INF/manifest.xml", stored(manifest.as_bytes())),
    ])
}

/// issue 15: an .ods formula cell with no stored value was read as blank,
/// as in an .xlsx; it is refused the same way.
#[test]
fn an_ods_formula_without_a_stored_value_is_refused() {
    let text = |t: &str| {
        format!(
            "<table:table-cell office:value-type=\"string\"><text:p>{t}</text:p></table:table-cell>"
        )
    };
    let num = |x: u32| {
        format!(
            "<table:table-cell office:value-type=\"float\" office:value=\"{x}\"><text:p>{x}</text:p></table:table-cell>"
        )
    };
    let rows = |b2: String| {
        vec![
            vec![text("工号"), text("收入"), text("目标"), text("走访")],
            vec![text("E01"), b2, num(100), num(12)],
            vec![text("E02"), num(80), num(100), num(8)],
            vec![text("E03"), num(100), num(100), num(10)],
        ]
    };
    let w = Workdir::new();
    w.bytes("data.xlsx", &ods("指标", &rows(num(120))));
    passes(&w);
    w.bytes(
        "data.xlsx",
        &ods(
            "指标",
            &rows("<table:table-cell table:formula=\"of:=80+10\"/>".to_string()),
        ),
    );
    fails(
        &w,
        65,
        "data.xlsx [指标]!B2: `revenue` is the formula `=80+10` with no stored result (the file was written by a program that does not calculate formulas)",
    );
}

/// issue 15: calamine opens an .ods by reading every sheet whole, repeating
/// rows and cells as `number-rows-repeated` / `number-columns-repeated` say:
/// this 600-byte file took 6 GB and 36 s. The guard counts them first.
#[test]
fn ods_repeating_its_rows_and_cells_to_96_million() {
    use std::io::Write;
    let w = Workdir::new();
    let content = r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="指标"><table:table-row table:number-rows-repeated="6000"><table:table-cell table:number-columns-repeated="16000" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in [
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        ("content.xml", content),
    ] {
        z.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("start");
        z.write_all(data.as_bytes()).expect("write");
    }
    w.bytes("data.xlsx", &z.finish().expect("finish").into_inner());
    let l = fails(
        &w,
        65,
        "data.xlsx: a sheet repeats its rows and cells to 96000000 cells or more, above the limit of 10000000",
    );
    assert!(help(&l).contains("save it again as .xlsx"), "{l:?}");
}

// Issue 16: a cell error, its help and the closing line, in Chinese and in
// English; the place is written the same in both.
#[test]
fn a_cell_error_is_told_in_chinese_and_in_english() {
    let w = Workdir::new();
    let mut d = data();
    d[2][1] = s("N/A");
    w.book("data.xlsx", "指标", &d);
    let zh = w.run(&["check", "appraisal.toml", "--lang", "zh"]);
    assert_eq!(zh.status.code(), Some(65));
    assert_eq!(
        err_lines(&zh),
        [
            "错误: data.xlsx [指标]!B3: `revenue` 应为数字，却是文本“N/A”",
            "  = 提示: 请以数字填写（以文本存储的数字算作文本：用 数据 → 分列 转换该列）",
            "共发现 1 处输入数据问题",
        ]
    );
    let en = w.run(&["check", "appraisal.toml", "--lang", "en"]);
    assert_eq!(en.status.code(), Some(65));
    assert_eq!(
        err_lines(&en),
        [
            "data.xlsx [指标]!B3: expected a number for `revenue`, found the text \"N/A\"",
            "  = help: enter the value as a number (a number stored as text counts as text: convert the column with 数据 → 分列)",
            "1 input problem found",
        ]
    );
}

// ─────────────────── messages in the user's language (issue 16) ───────────────────

/// The stderr lines of `appraise --lang zh ARGS`, with its exit code.
fn in_chinese(w: &Workdir, args: &[&str]) -> (Option<i32>, Vec<String>) {
    let mut all = vec!["--lang", "zh"];
    all.extend_from_slice(args);
    let o = w.run(&all);
    let lines = String::from_utf8_lossy(&o.stderr)
        .lines()
        .map(|l| l.strip_prefix("错误: ").unwrap_or(l).to_string())
        .collect();
    (o.status.code(), lines)
}

// issue 16
#[test]
fn an_appeals_workbook_error_is_told_in_chinese() {
    let w = Workdir::new();
    w.scheme(&format!(
        "{SCHEME}\n[feedback]\nappeals = \"appeals.xlsx\"\n"
    ));
    let head = [
        "工号",
        "姓名",
        "指标编号",
        "决定",
        "新实际值",
        "调整分数",
        "决定理由",
    ];
    w.book(
        "appeals.xlsx",
        "申诉",
        &vec![
            head.iter().map(|h| s(h)).collect(),
            vec![
                s("E01"),
                s("张三"),
                s("revenue"),
                s("同意吧"),
                C::Blank,
                C::Blank,
                s("材料齐全"),
            ],
            vec![
                s("E02"),
                s("李四"),
                s("visits"),
                s("采纳"),
                C::Blank,
                n(2.0),
                C::Blank,
            ],
        ],
    );
    let (code, lines) = in_chinese(&w, &["run", "appraisal.toml", "--out", "out"]);
    assert_eq!(code, Some(65), "{lines:#?}");
    let said = lines.join("\n");
    assert!(
        said.contains("appeals.xlsx [申诉]!D2: 决定 \"同意吧\" 既不是 采纳 也不是 驳回"),
        "{said}"
    );
    assert!(
        said.contains("从下拉框选 采纳 或 驳回；还没决定就留空"),
        "{said}"
    );
    assert!(
        said.contains("appeals.xlsx [申诉]!G3: 已作决定的申诉需要填写理由"),
        "{said}"
    );
    assert!(
        !said.contains("neither") && !said.contains("needs a reason"),
        "{said}"
    );
}

// issue 16
#[test]
fn a_hostile_file_is_refused_in_chinese() {
    let w = Workdir::new();
    let bomb = bomb_xlsx(&w.read("data.xlsx"), None);
    w.bytes("data.xlsx", &bomb);
    let (code, lines) = in_chinese(&w, &["check", "appraisal.toml"]);
    assert_eq!(code, Some(65), "{lines:#?}");
    assert_eq!(
        lines.first().map(String::as_str),
        Some("data.xlsx: 部件 `xl/worksheets/sheet1.xml` 解压后有 2042 MiB，超过上限 512 MiB"),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.trim().starts_with("= 提示: ") && l.contains("压缩炸弹")),
        "{lines:#?}"
    );

    w.write("data.xlsx", "工号,收入\nE01,100\n");
    let (code, lines) = in_chinese(&w, &["check", "appraisal.toml"]);
    assert_eq!(code, Some(65), "{lines:#?}");
    assert_eq!(
        lines.first().map(String::as_str),
        Some(
            "data.xlsx: 这是CSV 或制表符分隔的文本，不是工作簿（开头是 \"工号,收入\"）；是把文本导出改成了工作簿的文件名？"
        ),
        "{lines:#?}"
    );
}

// issue 16
#[test]
fn a_scheme_naming_no_other_role_says_none_is_defined_in_chinese() {
    let w = Workdir::new();
    w.edit(
        "roster_value = \"客户经理\"\n",
        "roster_value = \"客户经理\"\nteam_blend = { own = 0.6, team = 0.4, members = \"tl\" }\n",
    );
    let (code, lines) = in_chinese(&w, &["check", "appraisal.toml"]);
    assert_eq!(code, Some(78), "{lines:#?}");
    let said = lines.join("\n");
    assert!(
        said.contains("班组加权读取的岗位 `tl` 不是另一个岗位"),
        "{said}"
    );
    assert!(said.contains("可选：（一个也没有定义）"), "{said}");
    assert!(!said.contains("none defined"), "{said}");
}

// issue 16
#[test]
fn a_formula_error_is_told_in_chinese() {
    let w = Workdir::new();
    w.edit(
        "per_visit = { formula = \"revenue / visits\" }",
        "per_visit = { formula = \"sqrt(revenue)\" }",
    );
    let (code, lines) = in_chinese(&w, &["check", "appraisal.toml"]);
    assert_eq!(code, Some(78), "{lines:#?}");
    let said = lines.join("\n");
    assert!(
        said.contains("公式 `sqrt(revenue)`：不认识的函数 `sqrt`；可用的函数有 min、max、clamp、if、abs、round"),
        "{said}"
    );
    assert!(!said.contains("unknown function"), "{said}");
}

// Issue 16 (a leftover): a sheet's header row is named in the language of
// the messages, `表头第 2 行`, not `header row 2`.
#[test]
fn a_wrong_header_row_is_told_in_chinese() {
    let w = Workdir::new();
    w.edit("sheet = \"指标\"\n", "sheet = \"指标\"\nheader_row = 2\n");
    let out = w.run(&["check", "appraisal.toml", "--lang", "zh"]);
    let said = stderr(&out);
    assert!(said.contains("表头第 2 行"), "{said}");
    assert!(!said.contains("header row"), "{said}");
}
