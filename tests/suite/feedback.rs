//! Issue 4: the two-way feedback loop, through the real binary and real
//! xlsx files: run → employees answer in their workbooks → collect → HR
//! decides an appeal → the next run applies it and the workbook says so.
//! Answers are written into the returned workbooks the way a spreadsheet
//! program would: by editing the sheet XML inside the zip.

use calamine::{Data, Range, Reader, open_workbook_auto};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{self, appraise_ok as ok, cell_text, path_str as s};

fn appraise(args: &[&str]) -> std::process::Output {
    common::appraise()
        .args(args)
        .output()
        .expect("run appraise")
}

/// Where `collect` writes by default: beside the run directory (issue 15).
fn summary_of(run: &Path) -> std::path::PathBuf {
    let name = run.file_name().expect("run dir name").to_string_lossy();
    run.with_file_name(format!("{name}-feedback-summary.xlsx"))
}

fn sheet(path: &Path, name: &str) -> Range<Data> {
    let mut wb = open_workbook_auto(path).expect("open workbook");
    wb.worksheet_range(name).expect("sheet")
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
    /// A formula with no stored result, as openpyxl writes it.
    Formula(&'a str),
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
                V::Formula(f) => format!("<c r=\"{r}\" {style}><f>{f}</f></c>"),
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
                    V::Formula(f) => V::Formula(f),
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

/// No employee's workbook holds another employee's name or id: every
/// cell of every sheet, and every XML part (sharedStrings included).
fn no_workbook_names_a_colleague(books: &[PathBuf], people: &[(String, String)]) {
    for b in books {
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
        for (id, name) in people {
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
}

/// The answer sheet is protected with unlocked input cells, the meta sheet hidden.
fn the_first_workbook_is_protected_with_dropdowns(first: &Path) {
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
}

/// The collected statuses: confirmed, appealed, altered (so unanswered),
/// answered twice, and one that did not answer.
fn answer_statuses(summary: &Path, ids: [&String; 5]) {
    let [confirmer, appealer, alterer, twice, silent] = ids;
    let answers = sheet(summary, "答复汇总");
    let st = col(&answers, "状态");
    let status = |id: &str| cell_text(&row_of(&answers, id)[st]);
    assert_eq!(status(confirmer), "已确认");
    assert_eq!(status(appealer), "已申诉");
    assert_eq!(status(alterer), "未答复");
    assert_eq!(status(twice), "答复冲突（多份）");
    assert_eq!(status(silent), "未答复");
    let plan = col(&answers, "需要的支持");
    assert_eq!(
        cell_text(&row_of(&answers, confirmer)[plan]),
        "希望增加产品培训"
    );
}

/// 指标异议 holds the one disagreement; 被拒文件 the five rejected files, each with its reason.
fn one_disagreement_and_five_rejections(summary: &Path, appealer: &str) {
    let dis = sheet(summary, "指标异议");
    let rows: Vec<Vec<String>> = dis
        .rows()
        .skip(1)
        .map(|r| r.iter().map(cell_text).collect())
        .collect();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0][0], appealer);
    assert_eq!(rows[0][3], "revenue");
    // The name is read from the answer sheet, where it now comes first (issue 16).
    assert_eq!(rows[0][4], "集团收入完成率");
    assert!(rows[0][6].contains("120 万"));

    let rej = sheet(summary, "被拒文件");
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
}

/// The 申诉 sheet's one row, the appealer's revenue, on time; returns the
/// new actual HR will accept (twice the current one).
fn the_appeal_row(summary: &Path, appealer: &str) -> f64 {
    let ap = sheet(summary, "申诉");
    let ap_rows: Vec<Vec<String>> = ap
        .rows()
        .skip(1)
        .map(|r| r.iter().map(cell_text).collect())
        .collect();
    assert_eq!(ap_rows.len(), 1, "{ap_rows:?}");
    assert_eq!(ap_rows[0][0], appealer);
    assert_eq!(ap_rows[0][3], "revenue");
    assert_eq!(ap_rows[0][8], "2024-10-15", "appealed on");
    assert_eq!(
        ap_rows[0][9], "否",
        "inside the window that ends 2024-10-18"
    );
    let old: f64 = ap_rows[0][5].parse().expect("current actual");
    (old * 2.0).round()
}

/// The appealer's new result sheet and its cells' text; it says the appeal
/// was accepted and why.
fn result_noting_the_accepted_appeal(book: &Path) -> (Range<Data>, Vec<String>) {
    let result = sheet(book, "考核结果");
    let all: Vec<String> = result
        .rows()
        .flat_map(|r| r.iter().map(cell_text))
        .collect();
    assert!(
        all.iter()
            .any(|c| c.contains("申诉已采纳") && c.contains("收入归属更正")),
        "{all:?}"
    );
    (result, all)
}

/// The four answers of the loop: one confirms, one appeals revenue, one is
/// altered after answering, one answers twice.
fn answer_four(t: &Path, run1: &Path, ret: &Path, ids: [&String; 4]) {
    let [confirmer, appealer, alterer, twice] = ids;
    answer(
        &by_id(run1, confirmer),
        &ret.join("a.xlsx"),
        &[(0, "同意", "")],
        "确认",
        "",
    );
    answer(
        &by_id(run1, appealer),
        &ret.join("一班/第二批/申诉材料.xlsx"),
        &[
            (0, "不同意", "8月有一笔 120 万收入被计入他人名下"),
            (1, "同意", ""),
        ],
        "申诉",
        "收入口径有误，附合同与到账凭证",
    );
    let altered_answers = t.join("alt.xlsx");
    answer(&by_id(run1, alterer), &altered_answers, &[], "确认", "");
    edit(
        &altered_answers,
        &ret.join("c.xlsx"),
        1,
        &[("B8", V::Num(99.5))],
    );
    answer(&by_id(run1, twice), &ret.join("d1.xlsx"), &[], "确认", "");
    answer(
        &by_id(run1, twice),
        &ret.join("一班/d2.xlsx"),
        &[],
        "申诉",
        "想再谈谈",
    );
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

    no_workbook_names_a_colleague(&books, &people);
    the_first_workbook_is_protected_with_dropdowns(&books[0]);

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
    answer_four(t, &run1, &ret, [confirmer, appealer, alterer, twice]);
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
    answer_statuses(&summary, [confirmer, appealer, alterer, twice, &ams[5].0]);

    one_disagreement_and_five_rejections(&summary, appealer);

    // Collect again: the summary is not overwritten without --force.
    let again = appraise(&["collect", s(&run1), s(&ret)]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));

    // HR accepts the appeal: a new revenue and 3 points.
    let new_value = the_appeal_row(&summary, appealer);
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
    let (result, all) = result_noting_the_accepted_appeal(&by_id(&run3, appealer));
    // The KPI's name comes first, its id second (issue 16).
    let rev = result
        .rows()
        .find(|r| r.get(1).map(cell_text).as_deref() == Some("revenue"))
        .expect("the revenue row");
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
    a_draft_on_the_appealed_data_scores_as_its_own_run(&scheme, t, appealer);
}

/// `whatif` on the scheme with the accepted appeal, against a draft that
/// moves 5 points between two KPIs: the draft is scored on the base's
/// reconciled and appealed data (said with -v), and everyone's draft total
/// is the total the draft's own `run` gives, the appeal's points included.
fn a_draft_on_the_appealed_data_scores_as_its_own_run(scheme: &Path, t: &Path, appealer: &str) {
    let text = std::fs::read_to_string(scheme).expect("scheme");
    let draft_text = common::draft_moving_five_points(&text);
    let draft = scheme.with_file_name("draft.toml");
    std::fs::write(&draft, draft_text).expect("draft");
    let out = t.join("whatif.xlsx");
    let o = appraise(&["whatif", s(scheme), s(&draft), "--out", s(&out), "-v"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let said = String::from_utf8_lossy(&o.stderr);
    assert!(said.contains("both are scored on one copy"), "{said}");
    let own = t.join("run-draft");
    ok(&["run", s(&draft), "--out", s(&own), "--no-feedback"]);
    let people = sheet(&out, "人员");
    let (id, total) = (col(&people, "工号"), col(&people, "草案总分"));
    let mut seen = 0;
    for row in people.rows().skip(1) {
        let who = cell_text(&row[id]);
        let Data::Float(x) = row[total] else {
            panic!("{who}: no draft total")
        };
        assert_eq!(x, total_of(&own.join("summary.xlsx"), &who), "{who}");
        seen += 1;
    }
    assert_eq!(seen, people.height() - 1);
    assert!(people.rows().any(|r| cell_text(&r[id]) == appealer));
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
            .any(|c| cell_text(c).contains("请于 2024-10-18（含）前交回")),
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
/// The team workbooks of `run` after review: leaders' blends add up, the
/// blend table has a row per chosen KPI, and exactly the `provisional`
/// people are marked 暂定 in both sheets.
fn team_workbooks_after_review(run: &Path, provisional: &[String]) {
    let mut provisional = provisional.to_vec();
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

type Holdings = (
    std::collections::HashMap<String, String>,
    usize,
    std::collections::HashMap<String, std::collections::BTreeSet<String>>,
);

/// The sample's customers: each one's account manager, the catalogue's
/// size and the products each customer holds.
fn customer_holdings(sample: &Path) -> Holdings {
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
    (am_of, catalogue, held)
}

#[test]
fn feedback_and_team_workbooks_after_review() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let t = tmp.path();
    let sample = t.join("s");
    ok(&["sample", "--out", s(&sample), "--employees", "20"]);
    let run = t.join("run");
    ok(&["run", s(&sample.join("appraisal.toml")), "--out", s(&run)]);

    // Who holds which customer, and who lacks which product.
    let (am_of, catalogue, held) = customer_holdings(&sample);

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
            .position(|r| r.first().map(cell_text).as_deref() == Some("指标"))
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
    team_workbooks_after_review(&run, &provisional);
}

// Issue 15 §4: returned workbooks are untrusted. Each test below builds a
// real quarter (sample → run), fills in real returned workbooks, and runs
// the real binary with a time limit, so a hang fails instead of blocking.

/// A sample of 10 people run into `t/run`: the run and each workbook by id.
fn quarter(t: &Path) -> (PathBuf, Vec<(String, PathBuf)>) {
    let sample = t.join("s");
    ok(&["sample", "--out", s(&sample), "--employees", "10"]);
    let run = t.join("run");
    ok(&["run", s(&sample.join("appraisal.toml")), "--out", s(&run)]);
    let books = workbooks(&run)
        .into_iter()
        .map(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).expect("name");
            (name.split('-').next().expect("id").to_string(), p.clone())
        })
        .collect();
    (run, books)
}

/// `collect RUN RETURNED --out OUT`, killed (and the test failed) if it
/// takes longer than `secs`.
fn collect_within(run: &Path, ret: &Path, out: &Path, secs: u64) -> std::process::Output {
    let mut child = common::appraise()
        .args(["collect", s(run), s(ret), "--out", s(out)])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start collect");
    let started = std::time::Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if started.elapsed() > std::time::Duration::from_secs(secs) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("collect did not finish within {secs} s (it hangs)");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    child.wait_with_output().expect("output")
}

/// As `collect_within`, which must exit 0.
fn collect_ok(run: &Path, ret: &Path, out: &Path) {
    let o = collect_within(run, ret, out, 120);
    assert!(
        o.status.success(),
        "collect failed ({:?}): {}",
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
}

/// 被拒文件 as (file, id, reason).
fn rejected_rows(summary: &Path) -> Vec<(String, String, String)> {
    sheet(summary, "被拒文件")
        .rows()
        .skip(1)
        .map(|r| (cell_text(&r[0]), cell_text(&r[1]), cell_text(&r[2])))
        .collect()
}

/// The reason `file` was rejected, or a failure listing what was.
fn why_rejected(rows: &[(String, String, String)], file: &str) -> String {
    rows.iter()
        .find(|(f, _, _)| f == file)
        .map(|(_, _, w)| w.clone())
        .unwrap_or_else(|| panic!("{file} is not listed as rejected: {rows:?}"))
}

/// 答复汇总's 状态 of `id`.
fn status_of(summary: &Path, id: &str) -> String {
    let answers = sheet(summary, "答复汇总");
    let st = col(&answers, "状态");
    cell_text(&row_of(&answers, id)[st])
}

/// A change to one part of a workbook: its name and bytes in, the new
/// bytes out (None drops it).
type PartEdit<'a> = &'a dyn Fn(&str, Vec<u8>) -> Option<Vec<u8>>;

/// Copy a workbook, each part through `f`, then `extra` parts added,
/// deflated as a spreadsheet program saves (pictures stored).
fn rezip(src: &Path, dst: &Path, f: PartEdit, extra: &[(&str, Vec<u8>)]) {
    let mut z = zip::ZipArchive::new(std::fs::File::open(src).expect("open")).expect("zip");
    let mut out = zip::ZipWriter::new(std::fs::File::create(dst).expect("create"));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    for i in 0..z.len() {
        let mut e = z.by_index(i).expect("entry");
        let name = e.name().expect("name").to_string();
        let mut bytes = Vec::new();
        e.read_to_end(&mut bytes).expect("read");
        if let Some(b) = f(&name, bytes) {
            out.start_file(name, opts).expect("start");
            out.write_all(&b).expect("write");
        }
    }
    for (name, b) in extra {
        // Pictures are stored: they do not pack.
        let opts = if name.starts_with("xl/media/") {
            opts.compression_method(zip::CompressionMethod::Stored)
        } else {
            opts
        };
        out.start_file(*name, opts).expect("start");
        out.write_all(b).expect("write");
    }
    out.finish().expect("finish");
}

/// `xml` with its `<dimension>` set to `range`.
fn with_dimension(xml: &str, range: &str) -> String {
    let at = xml.find("<dimension ref=\"").expect("dimension");
    let end = at + xml[at..].find("/>").expect("end") + 2;
    let mut xml = xml.to_string();
    xml.replace_range(at..end, &format!("<dimension ref=\"{range}\"/>"));
    xml
}

/// `xml` with `cell` (e.g. `XFD1048576`, in a new last row `row`) holding
/// `text`, inserted before `</sheetData>`.
fn with_far_cell(xml: &str, row: u32, cell: &str, text: &str) -> String {
    xml.replacen(
        "</sheetData>",
        &format!(
            "<row r=\"{row}\"><c r=\"{cell}\" t=\"inlineStr\"><is><t>{text}</t></is></c></row></sheetData>"
        ),
        1,
    )
}

#[test]
fn hostile_returned_workbooks_are_rejected_and_the_others_collected() {
    // issue 15: a far cell or a forged shared-string count aborted collect
    // (exit 134); a part inflating far beyond any feedback workbook was read.
    let tmp = tempfile::tempdir().expect("tempdir");
    let t = tmp.path();
    let (run, books) = quarter(t);
    let ret = t.join("returned");
    std::fs::create_dir_all(&ret).expect("mkdir");
    let filled = |i: usize| {
        let f = t.join(format!("filled{i}.xlsx"));
        answer(&books[i].1, &f, &[], "确认", "");
        f
    };
    // A far cell in the sealed sheet: its dimension and a cell at XFD1048576.
    rezip(
        &filled(0),
        &ret.join("far.xlsx"),
        &|name, b| {
            if name != "xl/worksheets/sheet1.xml" {
                return Some(b);
            }
            let xml = with_dimension(&String::from_utf8(b).expect("utf-8"), "A1:XFD1048576");
            Some(with_far_cell(&xml, 1_048_576, "XFD1048576", "x").into_bytes())
        },
        &[],
    );
    // Only the dimension claims the whole sheet: harmless to the streaming
    // reader, so the answer is taken.
    rezip(
        &filled(1),
        &ret.join("dimension.xlsx"),
        &|name, b| {
            if name != "xl/worksheets/sheet3.xml" {
                return Some(b);
            }
            let xml = String::from_utf8(b).expect("utf-8");
            Some(with_dimension(&xml, "A1:XFD1048576").into_bytes())
        },
        &[],
    );
    // A shared-strings table claiming 4 billion entries.
    let sst = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4294967295" uniqueCount="4294967295"><si><t>x</t></si></sst>"#;
    rezip(
        &filled(2),
        &ret.join("sst.xlsx"),
        &|name, b| (name != "xl/sharedStrings.xml").then_some(b),
        &[("xl/sharedStrings.xml", sst.to_vec())],
    );
    // The answer sheet padded with 40 MiB of blanks (valid XML, packing
    // some 1000-fold, as no workbook's sheet does).
    rezip(
        &filled(3),
        &ret.join("inflates.xlsx"),
        &|name, b| {
            if name != "xl/worksheets/sheet3.xml" {
                return Some(b);
            }
            let xml = String::from_utf8(b).expect("utf-8");
            let pad = " ".repeat(40 << 20);
            Some(
                xml.replacen("</sheetData>", &format!("</sheetData>{pad}"), 1)
                    .into_bytes(),
            )
        },
        &[],
    );
    // An ODS of 600 bytes whose repeated rows and cells make 96 million
    // values (calamine expands them when it opens the file: 6 GB, 36 s).
    let content = r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="_appraise"><table:table-row table:number-rows-repeated="6000"><table:table-cell table:number-columns-repeated="16000" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
    let mut w =
        zip::ZipWriter::new(std::fs::File::create(ret.join("repeats.ods")).expect("create"));
    for (name, data) in [
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        ("content.xml", content),
    ] {
        w.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("start");
        w.write_all(data.as_bytes()).expect("write");
    }
    w.finish().expect("finish");
    // A photo of evidence pasted in (20 MiB that do not pack): taken.
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let photo: Vec<u8> = (0..20 << 20)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect();
    rezip(
        &filled(4),
        &ret.join("good.xlsx"),
        &|_, b| Some(b),
        &[("xl/media/image1.jpeg", photo)],
    );

    collect_ok(&run, &ret, &t.join("fs.xlsx"));
    let summary = t.join("fs.xlsx");
    let rows = rejected_rows(&summary);
    let far = why_rejected(&rows, "far.xlsx");
    // The reasons are in the summary's language, Chinese (issue 16).
    assert!(
        far.contains("[考核结果]!XFD1048576") && far.contains("上限"),
        "{far}"
    );
    let sst = why_rejected(&rows, "sst.xlsx");
    assert!(sst.contains("声称有 4294967295 个字符串"), "{sst}");
    let big = why_rejected(&rows, "inflates.xlsx");
    assert!(
        big.contains("xl/worksheets/sheet3.xml") && big.contains("上限"),
        "{big}"
    );
    let ods = why_rejected(&rows, "repeats.ods");
    assert!(ods.contains("96000000 个单元格"), "{ods}");
    for reason in [&far, &sst, &big, &ods] {
        assert!(!reason.contains("limit"), "no English: {reason}");
    }
    assert_eq!(rows.len(), 4, "{rows:?}");
    for i in [1, 4] {
        assert_eq!(status_of(&summary, &books[i].0), "已确认");
    }
    for i in [0, 2, 3] {
        assert_eq!(status_of(&summary, &books[i].0), "未答复");
    }
}

#[test]
fn a_fifo_and_other_entries_that_are_not_files_are_listed_not_opened() {
    // issue 15: a FIFO named x.xlsx in the returned folder hung collect
    // forever (it was opened, and opening a FIFO waits for a writer).
    let tmp = tempfile::tempdir().expect("tempdir");
    let t = tmp.path();
    let (run, books) = quarter(t);
    let ret = t.join("returned");
    std::fs::create_dir_all(ret.join("sub")).expect("mkdir");
    answer(&books[0].1, &ret.join("sub/good.xlsx"), &[], "确认", "");
    let made = Command::new("mkfifo")
        .arg(ret.join("pipe.xlsx"))
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let _socket =
        std::os::unix::net::UnixListener::bind(ret.join("socket.xlsx")).expect("bind a socket");
    // A folder named like a workbook (an unpacked workbook), with a part.
    std::fs::create_dir_all(ret.join("unpacked.xlsx/xl")).expect("mkdir");
    std::fs::write(ret.join("unpacked.xlsx/xl/workbook.xml"), "<workbook/>").expect("write");
    // Links: to the FIFO, to a file outside, to nothing, to a folder, and
    // to an answer inside the folder (the same answer: taken once).
    let outside = t.join("secret.txt");
    std::fs::write(&outside, "token=abc").expect("write");
    let link = |to: &Path, name: &str| {
        std::os::unix::fs::symlink(to, ret.join(name)).expect("symlink");
    };
    link(&ret.join("pipe.xlsx"), "to-pipe.xlsx");
    link(&outside, "outside.xlsx");
    link(&t.join("nothing.xlsx"), "broken.xlsx");
    link(&ret.join("sub"), "folder.xlsx");
    link(&ret.join("sub/good.xlsx"), "inside.xlsx");

    collect_ok(&run, &ret, &t.join("fs.xlsx"));
    let summary = t.join("fs.xlsx");
    let rows = rejected_rows(&summary);
    for (file, why) in [
        ("pipe.xlsx", "命名管道（FIFO），不是普通文件，未读取"),
        ("to-pipe.xlsx", "命名管道（FIFO），不是普通文件，未读取"),
        ("socket.xlsx", "套接字，不是普通文件，未读取"),
        (
            "unpacked.xlsx",
            "以工作簿命名的文件夹（解压后的工作簿？），未读取；请交回 .xlsx 文件本身",
        ),
        (
            "outside.xlsx",
            "指向交回文件夹以外的链接，未读取；请把文件本身放入交回文件夹",
        ),
        ("broken.xlsx", "链接指向的文件不存在，未读取"),
        ("folder.xlsx", "指向文件夹的链接，未跟随"),
    ] {
        assert_eq!(why_rejected(&rows, file), why, "{file}");
    }
    assert!(
        why_rejected(&rows, "sub/good.xlsx").starts_with("与 inside.xlsx 的答复相同"),
        "{rows:?}"
    );
    assert_eq!(rows.len(), 8, "{rows:?}");
    assert_eq!(status_of(&summary, &books[0].0), "已确认");
    // Nothing outside the folder is quoted.
    assert!(!rows.iter().any(|(_, _, w)| w.contains("token")));
}

#[test]
fn answers_saved_in_other_formats_are_read_and_other_files_listed() {
    // issue 15: answers returned as .xlsm or .XLSX were silently ignored,
    // and other files were not listed at all.
    let tmp = tempfile::tempdir().expect("tempdir");
    let t = tmp.path();
    let (run, books) = quarter(t);
    let ret = t.join("returned");
    std::fs::create_dir_all(&ret).expect("mkdir");
    answer(&books[0].1, &ret.join("macro.xlsm"), &[], "确认", "");
    answer(&books[1].1, &ret.join("LOUD.XLSX"), &[], "申诉", "口径有误");
    std::fs::write(ret.join("scan.pdf"), b"%PDF-1.4\n").expect("write");
    std::fs::write(ret.join("README"), b"hello").expect("write");
    // A Word document (a zip) and a renamed one.
    let docx = {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        w.start_file(
            "word/document.xml",
            zip::write::SimpleFileOptions::default(),
        )
        .expect("start");
        w.write_all(b"<w:document/>").expect("write");
        w.finish().expect("finish").into_inner()
    };
    std::fs::write(ret.join("letter.docx"), &docx).expect("write");
    std::fs::write(ret.join("letter.xlsx"), &docx).expect("write");
    // The lock file Excel leaves beside an open workbook.
    std::fs::write(ret.join("~$macro.xlsm"), [0u8; 165]).expect("write");

    collect_ok(&run, &ret, &t.join("fs.xlsx"));
    let summary = t.join("fs.xlsx");
    assert_eq!(status_of(&summary, &books[0].0), "已确认");
    assert_eq!(status_of(&summary, &books[1].0), "已申诉");
    let rows = rejected_rows(&summary);
    assert_eq!(
        why_rejected(&rows, "scan.pdf"),
        "不是 Excel 工作簿（.pdf 文件），未读取；答复请填在下发的 .xlsx 反馈表中交回"
    );
    assert_eq!(
        why_rejected(&rows, "README"),
        "不是 Excel 工作簿（无扩展名的文件），未读取；答复请填在下发的 .xlsx 反馈表中交回"
    );
    assert!(why_rejected(&rows, "letter.docx").contains("（.docx 文件）"));
    let renamed = why_rejected(&rows, "letter.xlsx");
    assert!(
        renamed.starts_with("无法读取：这是 zip 压缩包，不是工作簿"),
        "{renamed}"
    );
    // The whole reason in the run's language (issue 16's leftover).
    assert!(
        renamed.ends_with("；先解压，或把数据导出为 .xlsx"),
        "{renamed}"
    );
    assert_eq!(
        why_rejected(&rows, "~$macro.xlsm"),
        "Excel/WPS 打开工作簿时留下的临时锁定文件（~$…），不是答复，已忽略"
    );
    assert_eq!(rows.len(), 5, "{rows:?}");
}

#[test]
fn two_copies_of_one_answer_are_one_answer_and_different_answers_a_conflict() {
    // issue 15: `HF00001-陈冬娜.xlsx` and `HF00001-陈冬娜 (1).xlsx`, byte for
    // byte the same, were a conflict.
    let tmp = tempfile::tempdir().expect("tempdir");
    let t = tmp.path();
    let (run, books) = quarter(t);
    let ret = t.join("returned");
    std::fs::create_dir_all(ret.join("again")).expect("mkdir");
    let (id, book) = &books[0];
    let name = book.file_name().and_then(|n| n.to_str()).expect("name");
    let first = ret.join(name);
    answer(
        book,
        &first,
        &[(0, "不同意", "口径有误")],
        "申诉",
        "口径有误",
    );
    let copy = ret.join(name.replace(".xlsx", " (1).xlsx"));
    std::fs::copy(&first, &copy).expect("copy");
    std::fs::copy(&first, ret.join("again").join(name)).expect("copy");
    // Another employee answers twice, differently: still a conflict.
    let (other, other_book) = &books[1];
    answer(other_book, &ret.join("o1.xlsx"), &[], "确认", "");
    answer(other_book, &ret.join("o2.xlsx"), &[], "申诉", "想再谈谈");

    collect_ok(&run, &ret, &t.join("fs.xlsx"));
    let summary = t.join("fs.xlsx");
    assert_eq!(status_of(&summary, id), "已申诉");
    assert_eq!(status_of(&summary, other), "答复冲突（多份）");
    let rows = rejected_rows(&summary);
    let copy_name = copy.file_name().and_then(|n| n.to_str()).expect("name");
    let again = format!("again/{name}");
    for f in [copy_name, again.as_str()] {
        assert_eq!(
            why_rejected(&rows, f),
            format!("与 {name} 的答复相同（重复交回），已按一份计入"),
            "{f}"
        );
    }
    assert!(why_rejected(&rows, "o1.xlsx").contains("同一员工交回多份：o2.xlsx"));
    assert!(why_rejected(&rows, "o2.xlsx").contains("同一员工交回多份：o1.xlsx"));
    assert_eq!(rows.len(), 4, "{rows:?}");
    // One appeal row, not three.
    let ap = sheet(&summary, "申诉");
    assert_eq!(
        ap.rows()
            .skip(1)
            .filter(|r| cell_text(&r[0]) == *id)
            .count(),
        1
    );
}

/// `book` answered (all agreed) into `filled`, then its result sheet's XML
/// changed by `edit` into `out`.
fn answered_then_result_edited(
    book: &Path,
    filled: &Path,
    out: &Path,
    edit: &dyn Fn(String) -> String,
) {
    answer(book, filled, &[], "确认", "");
    rezip(
        filled,
        out,
        &|name, b| {
            if name != "xl/worksheets/sheet1.xml" {
                return Some(b);
            }
            let xml = String::from_utf8(b).expect("utf-8");
            Some(edit(xml).into_bytes())
        },
        &[],
    );
}

/// `filled4` into `copied` with a hidden copy of its original result sheet
/// (原表), which the (unsealed) meta sheet names as the sealed one.
fn with_hidden_copy_of_the_result(filled4: &Path, copied: &Path) {
    let mut z = zip::ZipArchive::new(std::fs::File::open(filled4).expect("open")).expect("zip");
    let mut original = String::new();
    z.by_name("xl/worksheets/sheet1.xml")
        .expect("sheet1")
        .read_to_string(&mut original)
        .expect("read");
    let original = original.replace("<drawing r:id=\"rId1\"/>", "");
    rezip(
        filled4,
        copied,
        &|name, b| {
            let xml = String::from_utf8(b).expect("utf-8");
            let xml = match name {
                "xl/workbook.xml" => xml.replace(
                    "</sheets>",
                    "<sheet name=\"原表\" sheetId=\"9\" state=\"hidden\" r:id=\"rId99\"/></sheets>",
                ),
                "xl/_rels/workbook.xml.rels" => xml.replace(
                    "</Relationships>",
                    "<Relationship Id=\"rId99\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet9.xml\"/></Relationships>",
                ),
                "[Content_Types].xml" => xml.replace(
                    "</Types>",
                    "<Override PartName=\"/xl/worksheets/sheet9.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/></Types>",
                ),
                _ if xml.contains("sealed_cells") => {
                    xml.replacen("<t>考核结果</t>", "<t>原表</t>", 1)
                }
                _ => xml,
            };
            Some(xml.into_bytes())
        },
        &[("xl/worksheets/sheet9.xml", original.into_bytes())],
    );
}

#[test]
fn text_typed_into_a_blank_cell_of_the_result_sheet_is_a_change() {
    // issue 15: the digest covers the cells written; a value typed where
    // 考核结果 had none was not seen.
    let tmp = tempfile::tempdir().expect("tempdir");
    let t = tmp.path();
    let (run, books) = quarter(t);
    let ret = t.join("returned");
    std::fs::create_dir_all(&ret).expect("mkdir");
    // In row 3 (姓名) beside the name, and in a new row far below.
    answered_then_result_edited(
        &books[0].1,
        &t.join("filled.xlsx"),
        &ret.join("beside.xlsx"),
        &|xml| {
            let at = xml.find("<row r=\"3\"").expect("row 3");
            let end = at + xml[at..].find("</row>").expect("row end");
            let mut xml = xml;
            xml.insert_str(
                end,
                "<c r=\"E3\" t=\"inlineStr\"><is><t>此分数不含8月收入</t></is></c>",
            );
            xml
        },
    );
    let (second, second_book) = &books[1];
    answered_then_result_edited(
        second_book,
        &t.join("filled2.xlsx"),
        &ret.join("below.xlsx"),
        &|xml| with_far_cell(&xml, 200, "B200", "95"),
    );
    // A number typed into a blank cell counts as much as text.
    let (third, third_book) = &books[2];
    answered_then_result_edited(
        third_book,
        &t.join("filled3.xlsx"),
        &ret.join("number.xlsx"),
        &|xml| {
            xml.replacen(
                "</sheetData>",
                "<row r=\"300\"><c r=\"C300\"><v>100</v></c></row></sheetData>",
                1,
            )
        },
    );

    // The sealed sheet is the one shown: the (unsealed) meta sheet pointing
    // at a hidden copy of the original result does not let 考核结果 change.
    let (fourth, fourth_book) = &books[3];
    let filled4 = t.join("filled4.xlsx");
    answer(fourth_book, &filled4, &[], "确认", "");
    let copied = t.join("copied.xlsx");
    with_hidden_copy_of_the_result(&filled4, &copied);
    edit(&copied, &ret.join("copy.xlsx"), 1, &[("B8", V::Num(99.5))]);

    collect_ok(&run, &ret, &t.join("fs.xlsx"));
    let summary = t.join("fs.xlsx");
    let rows = rejected_rows(&summary);
    assert_eq!(
        why_rejected(&rows, "copy.xlsx"),
        "考核结果被改动（校验值不符），请重新下发原表"
    );
    assert_eq!(status_of(&summary, fourth), "未答复");
    for (file, cell) in [
        ("beside.xlsx", "E3"),
        ("below.xlsx", "B200"),
        ("number.xlsx", "C300"),
    ] {
        let why = why_rejected(&rows, file);
        assert!(
            why.starts_with("考核结果被改动")
                && why.contains(&format!("考核结果表的 {cell} 原为空白")),
            "{file}: {why}"
        );
    }
    for id in [&books[0].0, second, third] {
        assert_eq!(status_of(&summary, id), "未答复");
    }
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

// issue 15: a formula HR typed into 新实际值 by a script (no stored result)
// was carried over by `collect --force` as the text "\0" + formula, a value
// no one typed; it is refused at its cell and nothing is replaced.
#[test]
fn collect_again_refuses_a_decision_typed_as_a_formula_with_no_stored_result() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let t = tmp.path();
    let sample = t.join("s");
    ok(&["sample", "--out", s(&sample), "--employees", "20"]);
    let run = t.join("run");
    ok(&["run", s(&sample.join("appraisal.toml")), "--out", s(&run)]);
    let roster = sheet(&sample.join("roster.xlsx"), "花名册");
    let am = roster
        .rows()
        .skip(1)
        .find(|r| cell_text(&r[2]) == "客户经理")
        .map(|r| cell_text(&r[0]))
        .expect("an account manager");
    let ret = t.join("returned");
    std::fs::create_dir_all(&ret).expect("mkdir");
    answer(
        &by_id(&run, &am),
        &ret.join("a.xlsx"),
        &[(0, "不同意", "收入口径有误")],
        "申诉",
        "附合同",
    );
    ok(&["collect", s(&run), s(&ret)]);
    let summary = summary_of(&run);
    let at = sheet(&summary, "申诉")
        .rows()
        .position(|r| cell_text(&r[0]) == am)
        .expect("the appeal's row")
        + 1;
    let decided = t.join("decided.xlsx");
    let (k, l, n) = (format!("K{at}"), format!("L{at}"), format!("N{at}"));
    edit(
        &summary,
        &decided,
        4,
        &[
            (&k, V::Text("采纳")),
            (&l, V::Formula("120+3")),
            (&n, V::Text("合同已核实")),
        ],
    );
    std::fs::rename(&decided, &summary).expect("mv");
    let before = std::fs::read(&summary).expect("summary");
    let refused = appraise(&["collect", s(&run), s(&ret), "--force"]);
    let said = String::from_utf8_lossy(&refused.stderr).to_string();
    assert_eq!(refused.status.code(), Some(65), "{said}");
    assert!(said.contains(&format!("[申诉]!{l}")), "{said}");
    assert!(said.contains("`=120+3` with no stored result"), "{said}");
    assert_eq!(std::fs::read(&summary).expect("summary"), before);
}

// issue 16
#[test]
fn collect_from_a_directory_that_is_no_run_is_told_in_chinese() {
    let tmp = tempfile::tempdir().expect("tmp");
    let run = tmp.path().join("run");
    let back = tmp.path().join("back");
    std::fs::create_dir_all(&run).expect("run dir");
    std::fs::create_dir_all(&back).expect("back dir");
    std::fs::write(run.join("manifest.json"), "{").expect("manifest");
    let o = common::appraise()
        .args(["--lang", "zh", "collect"])
        .arg(&run)
        .arg(&back)
        .output()
        .expect("run appraise collect");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(65), "{err}");
    assert!(
        err.contains("manifest.json: 清单不是有效的 JSON："),
        "{err}"
    );
    assert!(
        err.contains(
            "请给出一次 `appraise run` 的输出目录（其中有 manifest.json 和 summary.xlsx）"
        ),
        "{err}"
    );
    assert!(!err.contains("give the output directory"), "{err}");
}
