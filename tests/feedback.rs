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
    cells.push((format!("B{}", o + 6), V::Text("2024-10-15")));
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
    let summary = run1.join("feedback-summary.xlsx");
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
    let old: f64 = ap_rows[0][5].parse().expect("current actual");
    let new_value = (old * 2.0).round();
    let decided = sample.join("appeals.xlsx");
    // Sheet order: 答复汇总, 指标异议, 被拒文件, 申诉 → sheet4.xml.
    edit(
        &summary,
        &decided,
        4,
        &[
            ("I2", V::Text("采纳")),
            ("J2", V::Num(new_value)),
            ("K2", V::Num(3.0)),
            ("L2", V::Text("核实合同与到账凭证，收入归属更正")),
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
    // The new run's workbooks belong to the new run.
    assert_ne!(
        meta(&by_id(&run3, appealer))["run_id"],
        meta(&by_id(&run1, appealer))["run_id"]
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
    let wb = open_workbook_auto(&workbooks(&b)[0]).expect("open");
    assert_eq!(
        wb.sheet_names(),
        ["Result", "Manager comments", "Feedback", "_appraise"]
    );
    // An English workbook is collected like a Chinese one.
    let ret = tmp.path().join("ret");
    std::fs::create_dir(&ret).expect("mkdir");
    let src = workbooks(&b)[0].clone();
    answer(&src, &ret.join("x.xlsx"), &[], "Confirm", "");
    ok(&["collect", s(&b), s(&ret), "--lang", "en"]);
    let r = sheet(&b.join("feedback-summary.xlsx"), "Answers");
    assert!(
        r.rows()
            .any(|row| row.iter().any(|c| cell_text(c) == "confirmed"))
    );
}
