//! The bad-input corpus (issue 5): every way a scheme, a workbook or the
//! output directory can be wrong, each with its exact message, its exit
//! code, and a check that neither `check` nor `run` wrote anything.

mod common;

use common::*;

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
        "appraisal.toml:56:1: unknown field `wieght`, expected one of `id`, `name`, `weight`, `metric`, `target`, `rule`, `missing`, `section`, `note`",
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
    d[1][1] = n(7.9e28);
    d[1][2] = n(0.00001);
    w.book("data.xlsx", "指标", &d);
    fails(
        &w,
        65,
        "roster.xlsx [花名册]!A2: E01 张三 (客户经理): a result is too large for exact decimal arithmetic",
    );
}
