//! Issue 4: the two-way feedback loop, through the real binary and real
//! xlsx files: run → employees answer in their workbooks → collect → HR
//! decides an appeal → the next run applies it and the workbook says so.
//! Answers are written into the returned workbooks the way a spreadsheet
//! program would: by editing the sheet XML inside the zip.

use calamine::{Data, Range, Reader, open_workbook_auto};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

fn appraise(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_appraise"))
        .args(args)
        .output()
        .expect("run appraise")
}

fn ok(args: &[&str]) {
    let out = appraise(args);
    assert!(
        out.status.success(),
        "appraise {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Where `collect` writes by default: beside the run directory (issue 15).
fn summary_of(run: &Path) -> std::path::PathBuf {
    let name = run.file_name().expect("run dir name").to_string_lossy();
    run.with_file_name(format!("{name}-feedback-summary.xlsx"))
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn sheet(path: &Path, name: &str) -> Range<Data> {
    let mut wb = open_workbook_auto(path).expect("open workbook");
    wb.worksheet_range(name).expect("sheet")
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// Column of a header in row 0.
fn col(r: &Range<Data>, header: &str) -> usize {
    r.rows()
        .next()
        .and_then(|h| h.iter().position(|c| cell_text(c) == header))
        .unwrap_or_else(|| panic!("no column {header}"))
}

/// The row (cells) whose first column is `id`.
fn row_of<'a>(r: &'a Range<Data>, id: &str) -> &'a [Data] {
    r.rows()
        .find(|row| row.first().map(cell_text).as_deref() == Some(id))
        .unwrap_or_else(|| panic!("no row {id}"))
}

/// Every file inside the zip, as text (sheets, sharedStrings, properties).
fn zip_text(path: &Path) -> String {
    let f = std::fs::File::open(path).expect("open");
    let mut z = zip::ZipArchive::new(f).expect("zip");
    let mut all = String::new();
    for i in 0..z.len() {
        let mut e = z.by_index(i).expect("entry");
        let mut t = String::new();
        if e.read_to_string(&mut t).is_ok() {
            all.push_str(&t);
        }
    }
    all
}

enum V<'a> {
    Text(&'a str),
    Num(f64),
}

/// Write values into cells of `xl/worksheets/sheet{n}.xml`, as Excel would
/// on saving: blank formatted cells gain a value, numbers are replaced.
fn edit(src: &Path, dst: &Path, sheet_no: usize, cells: &[(&str, V)]) {
    let f = std::fs::File::open(src).expect("open");
    let mut z = zip::ZipArchive::new(f).expect("zip");
    let target = format!("xl/worksheets/sheet{sheet_no}.xml");
    let mut out = zip::ZipWriter::new(std::fs::File::create(dst).expect("create"));
    for i in 0..z.len() {
        let mut e = z.by_index(i).expect("entry");
        let name = e.name().expect("entry name").to_string();
        if name != target {
            out.raw_copy_file(e).expect("copy");
            continue;
        }
        let mut xml = String::new();
        e.read_to_string(&mut xml).expect("read xml");
        for (r, v) in cells {
            let open = format!("<c r=\"{r}\"");
            let at = xml
                .find(&open)
                .unwrap_or_else(|| panic!("no cell {r} in {name}"));
            let rest = &xml[at..];
            let end_self = rest.find("/>").expect("cell end");
            let end_full = rest.find("</c>").map(|e| e + 4);
            let tag_end = rest.find('>').expect("tag end");
            let (len, attrs) = if tag_end == end_self + 1 {
                (end_self + 2, &rest[open.len()..end_self])
            } else {
                (end_full.expect("</c>"), &rest[open.len()..tag_end])
            };
            let style: String = attrs
                .split_whitespace()
                .filter(|a| a.starts_with("s="))
                .collect();
            let new = match v {
                V::Text(t) => {
                    format!("<c r=\"{r}\" {style} t=\"inlineStr\"><is><t>{t}</t></is></c>")
                }
                V::Num(n) => format!("<c r=\"{r}\" {style}><v>{n}</v></c>"),
            };
            xml.replace_range(at..at + len, &new);
        }
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        out.start_file(name, opts).expect("start");
        out.write_all(xml.as_bytes()).expect("write");
    }
    out.finish().expect("finish");
}

/// The meta sheet as key → value.
fn meta(path: &Path) -> std::collections::HashMap<String, String> {
    sheet(path, "_appraise")
        .rows()
        .map(|r| (cell_text(&r[0]), cell_text(&r[1])))
        .collect()
}

/// Fill in the employee's answers: per KPI (index, agree, reason); overall.
fn answer(src: &Path, dst: &Path, kpis: &[(usize, &str, &str)], overall: &str, reason: &str) {
    answer_on(src, dst, kpis, overall, reason, "2024-10-15");
}

/// As `answer`, dated `date`.
fn answer_on(
    src: &Path,
    dst: &Path,
    kpis: &[(usize, &str, &str)],
    overall: &str,
    reason: &str,
    date: &str,
) {
    let m = meta(src);
    let k0: u32 = m["kpi_row"].parse().expect("kpi_row");
    let o: u32 = m["overall_row"].parse().expect("overall_row");
    let mut cells: Vec<(String, V)> = Vec::new();
    for (i, yes, why) in kpis {
        let r = k0 + *i as u32 + 1;
        cells.push((format!("C{r}"), V::Text(yes)));
        if !why.is_empty() {
            cells.push((format!("D{r}"), V::Text(why)));
        }
    }
    cells.push((format!("B{}", o + 1), V::Text(overall)));
    if !reason.is_empty() {
        cells.push((format!("B{}", o + 2), V::Text(reason)));
    }
    cells.push((format!("B{}", o + 5), V::Text("希望增加产品培训")));
    cells.push((format!("B{}", o + 6), V::Text(date)));
    let refs: Vec<(&str, V)> = cells
        .iter()
        .map(|(r, v)| {
            (
                r.as_str(),
                match v {
                    V::Text(t) => V::Text(t),
                    V::Num(n) => V::Num(*n),
                },
            )
        })
        .collect();
    edit(src, dst, 3, &refs);
}

fn workbooks(run: &Path) -> Vec<PathBuf> {
    let mut v = Vec::new();
    for team in std::fs::read_dir(run.join("feedback")).expect("feedback dir") {
        for f in std::fs::read_dir(team.expect("team").path()).expect("team dir") {
            v.push(f.expect("file").path());
        }
    }
    v.sort();
    v
}

fn by_id(run: &Path, id: &str) -> PathBuf {
    workbooks(run)
        .into_iter()
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&format!("{id}-")))
        })
        .unwrap_or_else(|| panic!("no workbook for {id}"))
}

fn total_of(summary: &Path, id: &str) -> f64 {
    let r = sheet(summary, "汇总");
    let c = col(&r, "总分");
    match row_of(&r, id)[c] {
        Data::Float(f) => f,
        ref other => panic!("total {other:?}"),
    }
}

#[test]
fn the_whole_feedback_loop() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let t = tmp.path();
    let sample = t.join("s");
    ok(&["sample", "--out", s(&sample), "--employees", "20"]);
    let scheme = sample.join("appraisal.toml");
    let run1 = t.join("run1");
    ok(&["run", s(&scheme), "--out", s(&run1)]);

    // Everyone has a workbook; roster names to look for.
    let roster = sheet(&sample.join("roster.xlsx"), "花名册");
    let people: Vec<(String, String)> = roster
        .rows()
        .skip(1)
        .map(|r| (cell_text(&r[0]), cell_text(&r[1])))
        .collect();
    let books = workbooks(&run1);
    assert_eq!(books.len(), people.len());
    assert_eq!(
        std::fs::read_dir(run1.join("team")).expect("team").count(),
        3
    );

    // No employee's workbook holds another employee's name or id: every
    // cell of every sheet, and every XML part (sharedStrings included).
    for b in &books {
        let file = b.file_name().and_then(|n| n.to_str()).expect("name");
        let own = people
            .iter()
            .find(|(id, _)| file.starts_with(&format!("{id}-")))
            .expect("own");
        let mut wb = open_workbook_auto(b).expect("open");
        let mut cells = String::new();
        for name in wb.sheet_names() {
            for row in wb.worksheet_range(&name).expect("sheet").rows() {
                for c in row {
                    cells.push_str(&cell_text(c));
                    cells.push('\n');
                }
            }
        }
        let raw = zip_text(b);
        assert!(raw.contains(&own.1), "{file} lacks its own name");
        for (id, name) in &people {
            if id == &own.0 || own.1.contains(name.as_str()) {
                continue;
            }
            assert!(
                !cells.contains(name.as_str()),
                "{file} has a cell naming {name}"
            );
            assert!(!raw.contains(name.as_str()), "{file} contains {name}");
            assert!(!raw.contains(id.as_str()), "{file} contains {id}");
        }
    }

    // The answer sheet is protected with unlocked input cells, the meta sheet hidden.
    let first = &books[0];
    let raw = zip_text(first);
    assert!(raw.contains("<sheetProtection"), "protected sheets");
    assert!(raw.contains("state=\"hidden\""), "hidden meta sheet");
    assert!(raw.contains("<dataValidation"), "dropdowns");
    let r = sheet(first, "考核结果");
    assert!(
        r.rows()
            .any(|row| row.iter().any(|c| cell_text(c).contains("完成率"))),
        "sentences"
    );

    // Answers: an AM confirms, another appeals revenue, a third is altered,
    // a fourth answers twice; one workbook from another run is slipped in.
    let ams: Vec<&(String, String)> = people
        .iter()
        .filter(|(id, _)| {
            let r = row_of(&roster, id);
            cell_text(&r[2]) == "客户经理"
        })
        .collect();
    let (confirmer, appealer, alterer, twice) = (&ams[0].0, &ams[1].0, &ams[2].0, &ams[3].0);
    let ret = t.join("returned");
    std::fs::create_dir_all(ret.join("一班/第二批")).expect("mkdir");
    answer(
        &by_id(&run1, confirmer),
        &ret.join("a.xlsx"),
        &[(0, "同意", "")],
        "确认",
        "",
    );
    answer(
        &by_id(&run1, appealer),
        &ret.join("一班/第二批/申诉材料.xlsx"),
        &[
            (0, "不同意", "8月有一笔 120 万收入被计入他人名下"),
            (1, "同意", ""),
        ],
        "申诉",
        "收入口径有误，附合同与到账凭证",
    );
    let altered_answers = t.join("alt.xlsx");
    answer(&by_id(&run1, alterer), &altered_answers, &[], "确认", "");
    edit(
        &altered_answers,
        &ret.join("c.xlsx"),
        1,
        &[("B8", V::Num(99.5))],
    );
    answer(&by_id(&run1, twice), &ret.join("d1.xlsx"), &[], "确认", "");
    answer(
        &by_id(&run1, twice),
        &ret.join("一班/d2.xlsx"),
        &[],
        "申诉",
        "想再谈谈",
    );
    // Another run: the same sample under a changed scheme.
    let other_scheme = sample.join("other.toml");
    let text = std::fs::read_to_string(&scheme).expect("scheme");
    std::fs::write(&other_scheme, format!("# another run\n{text}")).expect("write");
    let run2 = t.join("run2");
    ok(&["run", s(&other_scheme), "--out", s(&run2)]);
    std::fs::copy(by_id(&run2, &ams[4].0), ret.join("e.xlsx")).expect("copy");
    std::fs::write(ret.join("notes.xlsx"), b"not a workbook").expect("write");

    ok(&["collect", s(&run1), s(&ret)]);
    let summary = summary_of(&run1);
    let answers = sheet(&summary, "答复汇总");
    let st = col(&answers, "状态");
    let status = |id: &str| cell_text(&row_of(&answers, id)[st]);
    assert_eq!(status(confirmer), "已确认");
    assert_eq!(status(appealer), "已申诉");
    assert_eq!(status(alterer), "未答复");
    assert_eq!(status(twice), "答复冲突（多份）");
    assert_eq!(status(&ams[5].0), "未答复");
    let plan = col(&answers, "需要的支持");
    assert_eq!(
        cell_text(&row_of(&answers, confirmer)[plan]),
        "希望增加产品培训"
    );

    let dis = sheet(&summary, "指标异议");
    let rows: Vec<Vec<String>> = dis
        .rows()
        .skip(1)
        .map(|r| r.iter().map(cell_text).collect())
        .collect();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0][0], *appealer);
    assert_eq!(rows[0][3], "revenue");
    assert!(rows[0][6].contains("120 万"));

    let rej = sheet(&summary, "被拒文件");
    let reasons: Vec<(String, String)> = rej
        .rows()
        .skip(1)
        .map(|r| (cell_text(&r[0]), cell_text(&r[2])))
        .collect();
    let why = |f: &str| {
        reasons
            .iter()
            .find(|(p, _)| p.ends_with(f))
            .map(|(_, w)| w.clone())
            .unwrap_or_else(|| panic!("{f} not rejected: {reasons:?}"))
    };
    assert!(why("c.xlsx").contains("考核结果被改动"), "altered score");
    assert!(why("e.xlsx").contains("另一次考核运行"), "another run");
    assert!(why("notes.xlsx").contains("无法读取"), "unreadable");
    assert!(why("d1.xlsx").contains("同一员工交回多份"), "duplicate");
    assert!(why("d2.xlsx").contains("同一员工交回多份"), "duplicate");
    assert_eq!(reasons.len(), 5, "{reasons:?}");

    // Collect again: the summary is not overwritten without --force.
    let again = appraise(&["collect", s(&run1), s(&ret)]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));

    // HR accepts the appeal: a new revenue and 3 points.
    let ap = sheet(&summary, "申诉");
    let ap_rows: Vec<Vec<String>> = ap
        .rows()
        .skip(1)
        .map(|r| r.iter().map(cell_text).collect())
        .collect();
    assert_eq!(ap_rows.len(), 1, "{ap_rows:?}");
    assert_eq!(ap_rows[0][0], *appealer);
    assert_eq!(ap_rows[0][3], "revenue");
    assert_eq!(ap_rows[0][8], "2024-10-15", "appealed on");
    assert_eq!(
        ap_rows[0][9], "否",
        "inside the window that ends 2024-10-18"
    );
    let old: f64 = ap_rows[0][5].parse().expect("current actual");
    let new_value = (old * 2.0).round();
    let decided = sample.join("appeals.xlsx");
    // Sheet order: 答复汇总, 指标异议, 被拒文件, 申诉 → sheet4.xml.
    edit(
        &summary,
        &decided,
        4,
        &[
            ("K2", V::Text("采纳")),
            ("L2", V::Num(new_value)),
            ("M2", V::Num(3.0)),
            ("N2", V::Text("核实合同与到账凭证，收入归属更正")),
        ],
    );
    std::fs::write(
        &scheme,
        text.replace("[feedback]\n", "[feedback]\nappeals = \"appeals.xlsx\"\n"),
    )
    .expect("scheme");
    let run3 = t.join("run3");
    ok(&["run", s(&scheme), "--out", s(&run3)]);
    let before = total_of(&run1.join("summary.xlsx"), appealer);
    let after = total_of(&run3.join("summary.xlsx"), appealer);
    assert!(after >= before + 3.0 - 1e-9, "total {before} → {after}");
    assert_eq!(
        total_of(&run1.join("summary.xlsx"), confirmer),
        total_of(&run3.join("summary.xlsx"), confirmer)
    );
    let result = sheet(&by_id(&run3, appealer), "考核结果");
    let all: Vec<String> = result
        .rows()
        .flat_map(|r| r.iter().map(cell_text))
        .collect();
    assert!(
        all.iter()
            .any(|c| c.contains("申诉已采纳") && c.contains("收入归属更正")),
        "{all:?}"
    );
    let rev = row_of(&result, "revenue");
    assert_eq!(rev[2], Data::Float(new_value));
    // The accepted points read as an appeal adjustment, not as a count.
    let adj = "申诉调整 +3 分（理由：核实合同与到账凭证，收入归属更正）";
    assert!(all.iter().any(|c| c == adj), "{all:?}");
    assert!(!all.iter().any(|c| c.starts_with("3 次 × 1 分")), "{all:?}");
    let detail = sheet(&run3.join("summary.xlsx"), "明细");
    assert!(
        detail.rows().any(|r| r.iter().any(|c| cell_text(c) == adj)),
        "明细 lacks {adj}"
    );
    // The new run's workbooks belong to the new run.
    assert_ne!(
        meta(&by_id(&run3, appealer))["run_id"],
        meta(&by_id(&run1, appealer))["run_id"]
    );
}

/// The appeal window: every workbook states the deadline; an appeal dated
/// after it is marked late and proposed for rejection, one on the day is not.
#[test]
fn an_appeal_after_the_deadline_is_marked_late_and_proposed_for_rejection() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let t = tmp.path();
    let sample = t.join("s");
    ok(&["sample", "--out", s(&sample), "--employees", "20"]);
    let scheme = sample.join("appraisal.toml");
    let text = std::fs::read_to_string(&scheme).expect("scheme");
    assert!(
        text.contains("appeal_by = 2024-10-18"),
        "the sample sets a deadline"
    );
    let run = t.join("run");
    ok(&["run", s(&scheme), "--out", s(&run)]);
    let roster = sheet(&sample.join("roster.xlsx"), "花名册");
    let ams: Vec<String> = roster
        .rows()
        .skip(1)
        .filter(|r| cell_text(&r[2]) == "客户经理")
        .map(|r| cell_text(&r[0]))
        .collect();
    let (on_time, late) = (&ams[0], &ams[1]);
    let said = sheet(&by_id(&run, on_time), "员工反馈");
    assert!(
        said.rows()
            .flatten()
            .any(|c| cell_text(c).contains("申诉请于 2024-10-18（含）前填写并交回")),
        "the workbook states the deadline"
    );
    let ret = t.join("returned");
    std::fs::create_dir_all(&ret).expect("mkdir");
    answer_on(
        &by_id(&run, on_time),
        &ret.join("a.xlsx"),
        &[],
        "申诉",
        "口径有误",
        "2024-10-18",
    );
    answer_on(
        &by_id(&run, late),
        &ret.join("b.xlsx"),
        &[],
        "申诉",
        "口径有误",
        "2024年10月21日",
    );
    ok(&["collect", s(&run), s(&ret)]);
    let ap = sheet(&summary_of(&run), "申诉");
    let c = |h: &str| col(&ap, h);
    let on = row_of(&ap, on_time);
    assert_eq!(cell_text(&on[c("是否逾期")]), "否");
    assert_eq!(cell_text(&on[c("决定")]), "");
    let lt = row_of(&ap, late);
    assert_eq!(cell_text(&lt[c("申诉日期")]), "2024年10月21日");
    assert_eq!(
        cell_text(&lt[c("是否逾期")]),
        "逾期（2024-10-21 晚于截止日 2024-10-18）"
    );
    assert_eq!(cell_text(&lt[c("决定")]), "驳回");
    assert_eq!(cell_text(&lt[c("决定理由")]), "逾期申诉，不予受理");

    // A deadline before the period ends is a config error at its line.
    let bad = sample.join("bad.toml");
    std::fs::write(
        &bad,
        text.replace("appeal_by = 2024-10-18", "appeal_by = 2024-09-01"),
    )
    .expect("write");
    let out = appraise(&["check", s(&bad)]);
    assert_eq!(out.status.code(), Some(78));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.toml:")
            && err.contains("the appeal deadline 2024-09-01 is before the period ends"),
        "{err}"
    );
}

#[test]
fn no_feedback_skips_the_workbooks_and_english_labels() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let sample = tmp.path().join("s");
    ok(&["sample", "--out", s(&sample), "--employees", "10"]);
    let scheme = sample.join("appraisal.toml");
    let a = tmp.path().join("a");
    ok(&["run", s(&scheme), "--out", s(&a), "--no-feedback"]);
    assert!(!a.join("feedback").exists());
    assert!(!a.join("team").exists());
    let b = tmp.path().join("b");
    ok(&["run", s(&scheme), "--out", s(&b), "--lang", "en"]);
    for book in workbooks(&b) {
        let names = open_workbook_auto(&book).expect("open").sheet_names();
        // Account managers also get their deepening opportunities.
        let deepening = names.len() == 5;
        let mut want = vec!["Result", "Manager comments", "Feedback"];
        if deepening {
            want.push("Deepening opportunities");
        }
        want.push("_appraise");
        assert_eq!(names, want, "{}", book.display());
    }
    // An English workbook is collected like a Chinese one.
    let ret = tmp.path().join("ret");
    std::fs::create_dir(&ret).expect("mkdir");
    let src = workbooks(&b)[0].clone();
    answer(&src, &ret.join("x.xlsx"), &[], "Confirm", "");
    ok(&["collect", s(&b), s(&ret), "--lang", "en"]);
    let r = sheet(&summary_of(&b), "Answers");
    assert!(
        r.rows()
            .any(|row| row.iter().any(|c| cell_text(c) == "confirmed"))
    );
}

/// Numeric cells of a sheet, with their position.
fn numbers(r: &Range<Data>) -> Vec<((usize, usize), f64)> {
    let mut v = Vec::new();
    for (i, row) in r.rows().enumerate() {
        for (j, c) in row.iter().enumerate() {
            if let Data::Float(x) = c {
                v.push(((i, j), *x));
            }
        }
    }
    v
}

/// Review of issues 4 and 6: deepening opportunities in each account
/// manager's workbook (their customers only); numbers shown to meaningful
/// places; notes only on reconciled or appealed values; provisional people
/// marked; the team leader's blend as data.
#[test]
fn feedback_and_team_workbooks_after_review() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let t = tmp.path();
    let sample = t.join("s");
    ok(&["sample", "--out", s(&sample), "--employees", "20"]);
    let run = t.join("run");
    ok(&["run", s(&sample.join("appraisal.toml")), "--out", s(&run)]);

    // Who holds which customer, and who lacks which product.
    let customers = sheet(&sample.join("customers.xlsx"), "集团客户");
    let (cc, ca) = (col(&customers, "客户编码"), col(&customers, "客户经理工号"));
    let am_of: std::collections::HashMap<String, String> = customers
        .rows()
        .skip(1)
        .map(|r| (cell_text(&r[cc]), cell_text(&r[ca])))
        .collect();
    let catalogue = sheet(&sample.join("products.xlsx"), "产品目录").height() - 1;
    let holdings = sheet(&sample.join("products.xlsx"), "客户产品");
    let mut held: std::collections::HashMap<String, std::collections::BTreeSet<String>> =
        std::collections::HashMap::new();
    for r in holdings.rows().skip(1) {
        held.entry(cell_text(&r[0]))
            .or_default()
            .insert(cell_text(&r[1]));
    }

    let mut deepening = 0;
    let mut provisional = Vec::new();
    for b in workbooks(&run) {
        let file = b
            .file_name()
            .and_then(|n| n.to_str())
            .expect("name")
            .to_string();
        let id = file.split('-').next().expect("id").to_string();
        let mut wb = open_workbook_auto(&b).expect("open");
        let result = wb.worksheet_range("考核结果").expect("result");

        // 1. Deepening: exactly this AM's customers missing a product.
        let mine: std::collections::BTreeSet<&String> = am_of
            .iter()
            .filter(|(c, am)| **am == id && held.get(*c).map_or(0, |h| h.len()) < catalogue)
            .map(|(c, _)| c)
            .collect();
        if let Ok(d) = wb.worksheet_range("深挖机会") {
            deepening += 1;
            let listed: Vec<String> = d.rows().skip(4).map(|r| cell_text(&r[0])).collect();
            let listed_set: std::collections::BTreeSet<&String> = listed.iter().collect();
            assert_eq!(listed_set, mine, "{file}");
            for r in d.rows().skip(4) {
                let code = cell_text(&r[0]);
                let n = held.get(&code).map_or(0, |h| h.len());
                assert_eq!(r[2], Data::Float(n as f64), "{file} {code}");
                assert_eq!(r[4], Data::Float((catalogue - n) as f64), "{file} {code}");
            }
        } else {
            assert!(mine.is_empty(), "{file} lacks 深挖机会");
        }

        // 2. Numbers shown to at most 4 decimals (no raw 17-digit doubles).
        for ((i, j), x) in numbers(&result) {
            let scaled = x * 1e4;
            assert!(
                (scaled - scaled.round()).abs() < 1e-6,
                "{file} [考核结果] row {} col {}: {x}",
                i + 1,
                j + 1
            );
        }

        // 3. Notes only where reconciled or appealed.
        let hr = result
            .rows()
            .position(|r| r.first().map(cell_text).as_deref() == Some("指标编号"))
            .expect("KPI header");
        let heads: Vec<String> = result
            .rows()
            .nth(hr)
            .expect("heads")
            .iter()
            .map(cell_text)
            .collect();
        let (src_c, note_c) = (
            heads
                .iter()
                .position(|h| h == "数据来源")
                .expect("数据来源"),
            heads.iter().position(|h| h == "备注").expect("备注"),
        );
        for r in result
            .rows()
            .skip(hr + 1)
            .take_while(|r| !cell_text(&r[0]).is_empty())
        {
            let (src, note) = (cell_text(&r[src_c]), cell_text(&r[note_c]));
            assert!(!note.contains("数据经核对"), "{file}: {note}");
            assert!(
                !note.contains(".xlsx") && !note.contains("客户月度"),
                "{file}: {note}"
            );
            if src.starts_with("对账:") {
                assert!(note.contains("数据经对账"), "{file}: {src} / {note}");
                assert_eq!(
                    src.contains("暂定"),
                    note.contains("暂定"),
                    "{file}: {note}"
                );
            }
        }

        // 4. Provisional: marked beside the total and the grade.
        let row_named = |label: &str| {
            result
                .rows()
                .find(|r| r.first().map(cell_text).as_deref() == Some(label))
                .map(|r| r.iter().map(cell_text).collect::<Vec<_>>())
                .unwrap_or_default()
        };
        let is_provisional = row_named("等级与总分说明")
            .get(1)
            .is_some_and(|n| n.contains("暂定："));
        let total = row_named("总分");
        let grade = row_named("等级");
        assert!(!total.is_empty() && !grade.is_empty(), "{file}");
        assert_eq!(
            total.get(2).is_some_and(|c| c.starts_with("暂定：")),
            is_provisional,
            "{file}"
        );
        assert_eq!(
            grade.get(2).map(String::as_str) == Some("暂定"),
            is_provisional,
            "{file}"
        );
        if is_provisional {
            provisional.push(id);
        }
    }
    assert!(deepening > 0, "no account manager has opportunities");
    assert!(
        !provisional.is_empty(),
        "the sample has a provisional person"
    );

    // 4. and 5. in the team workbooks.
    let mut leaders = 0;
    let mut marked = Vec::new();
    for team in std::fs::read_dir(run.join("team")).expect("team dir") {
        let path = team.expect("entry").path();
        let members = sheet(&path, "成员结果");
        let c = |h: &str| col(&members, h);
        let (prov, alpha, beta, own, result, total) = (
            c("暂定"),
            c("个人占比 α"),
            c("团队占比 β"),
            c("个人得分"),
            c("团队结果"),
            c("总分"),
        );
        let mut kpi_rows = 0;
        let mut in_blend = false;
        for r in members.rows().skip(1) {
            let first = cell_text(&r[0]);
            if first == "工号" {
                in_blend = true;
                continue;
            }
            if in_blend && !first.is_empty() {
                kpi_rows += 1;
                assert!(
                    matches!(r[4], Data::Float(w) if w > 0.0),
                    "weight {:?}",
                    r[4]
                );
                assert!(matches!(r[5], Data::Float(_)), "team average {:?}", r[5]);
                continue;
            }
            if cell_text(&r[prov]) == "暂定" {
                marked.push(first.clone());
            }
            if let (Data::Float(a), Data::Float(b)) = (&r[alpha], &r[beta]) {
                leaders += 1;
                let num = |d: &Data| match d {
                    Data::Float(x) => *x,
                    other => panic!("number {other:?}"),
                };
                let blended = a * num(&r[own]) + b * num(&r[result]);
                assert!(
                    (blended - num(&r[total])).abs() < 0.011,
                    "{first}: {blended}"
                );
            }
        }
        if leaders > 0 {
            // of = { kpis = [revenue, visit_completion, customer_coverage] }.
            assert!(kpi_rows == 0 || kpi_rows == 3, "{kpi_rows}");
        }
        let weak = sheet(&path, "短板比对");
        for r in weak.rows() {
            if r.iter().any(|c| cell_text(c) == "暂定") && cell_text(&r[0]) != "工号" {
                assert!(provisional.contains(&cell_text(&r[0])), "{:?}", r[0]);
            }
        }
    }
    assert!(leaders > 0, "no team leader blend shown");
    marked.sort();
    provisional.sort();
    assert_eq!(marked, provisional);
}

// issue 15: `collect --force` threw away the decisions HR had typed into the
// 申诉 sheet, and the summary lay inside the run directory that a re-run
// with `run --force` deletes.
#[test]
fn collect_again_carries_hr_decisions_over_and_lives_beside_the_run() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let t = tmp.path();
    let sample = t.join("s");
    ok(&["sample", "--out", s(&sample), "--employees", "20"]);
    let scheme = sample.join("appraisal.toml");
    let run = t.join("run");
    ok(&["run", s(&scheme), "--out", s(&run)]);
    let roster = sheet(&sample.join("roster.xlsx"), "花名册");
    let ams: Vec<String> = roster
        .rows()
        .skip(1)
        .filter(|r| cell_text(&r[2]) == "客户经理")
        .map(|r| cell_text(&r[0]))
        .collect();
    let ret = t.join("returned");
    std::fs::create_dir_all(&ret).expect("mkdir");
    answer(
        &by_id(&run, &ams[0]),
        &ret.join("a.xlsx"),
        &[(0, "不同意", "收入口径有误")],
        "申诉",
        "附合同",
    );
    // What a killed collect left (pid above any Linux hands out) is removed.
    let stale = t.join(".run-feedback-summary.xlsx.partial-4294967");
    std::fs::write(&stale, "half").expect("write");
    ok(&["collect", s(&run), s(&ret)]);
    assert!(!stale.exists(), "the stale partial summary was left");
    // The summary is beside the run directory, not in it.
    let summary = summary_of(&run);
    assert!(summary.is_file(), "{}", summary.display());
    assert!(!run.join("feedback-summary.xlsx").exists());
    // HR decides the appeal in the summary.
    let ap = sheet(&summary, "申诉");
    let at = ap
        .rows()
        .position(|r| cell_text(&r[0]) == ams[0])
        .expect("the appeal's row")
        + 1;
    let decided = t.join("decided.xlsx");
    let (k, l, m, n) = (
        format!("K{at}"),
        format!("L{at}"),
        format!("M{at}"),
        format!("N{at}"),
    );
    edit(
        &summary,
        &decided,
        4,
        &[
            (&k, V::Text("采纳")),
            (&l, V::Num(123.0)),
            (&m, V::Num(2.0)),
            (&n, V::Text("合同已核实")),
        ],
    );
    std::fs::rename(&decided, &summary).expect("mv");
    // A late answer comes in; HR collects again with --force.
    answer(&by_id(&run, &ams[1]), &ret.join("b.xlsx"), &[], "确认", "");
    let again = appraise(&["collect", s(&run), s(&ret), "--force"]);
    let said = String::from_utf8_lossy(&again.stderr).to_string();
    assert!(again.status.success(), "{said}");
    assert!(
        said.contains("carried over HR's decisions on 1 appeal from the summary replaced"),
        "{said}"
    );
    let ap = sheet(&summary, "申诉");
    let row = row_of(&ap, &ams[0]);
    let c = |h: &str| cell_text(&row[col(&ap, h)]);
    assert_eq!(
        [c("决定"), c("新实际值"), c("调整分数"), c("决定理由")],
        ["采纳", "123", "2", "合同已核实"]
    );
    let answers = sheet(&summary, "答复汇总");
    assert_eq!(
        cell_text(&row_of(&answers, &ams[1])[col(&answers, "状态")]),
        "已确认"
    );
    // A re-run of the quarter into the run directory cannot touch it.
    ok(&["run", s(&scheme), "--out", s(&run), "--force"]);
    assert!(summary.is_file());
    // A decision whose appeal is gone is not thrown away: collect refuses.
    std::fs::remove_file(ret.join("a.xlsx")).expect("rm");
    let before = std::fs::read(&summary).expect("summary");
    let refused = appraise(&["collect", s(&run), s(&ret), "--force"]);
    let said = String::from_utf8_lossy(&refused.stderr).to_string();
    assert_eq!(refused.status.code(), Some(2), "{said}");
    assert!(
        said.contains(&format!("[申诉]!K{at} ({} revenue)", ams[0])),
        "{said}"
    );
    assert_eq!(std::fs::read(&summary).expect("summary"), before);
    // --force replaces only a summary collect wrote.
    let other = t.join("other.xlsx");
    std::fs::copy(sample.join("roster.xlsx"), &other).expect("copy");
    let refused = appraise(&["collect", s(&run), s(&ret), "--out", s(&other), "--force"]);
    let said = String::from_utf8_lossy(&refused.stderr).to_string();
    assert_eq!(refused.status.code(), Some(2), "{said}");
    assert!(said.contains("not a feedback-summary.xlsx"), "{said}");
    assert_eq!(
        std::fs::read(&other).expect("other"),
        std::fs::read(sample.join("roster.xlsx")).expect("roster")
    );
}
