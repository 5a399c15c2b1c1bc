//! Numbers carry their number formats. Table columns get their format
//! once (`book::column_formats`) and their cells are written without one,
//! so this reads each cell's format back from the workbook's XML (calamine
//! does not give formats): the cell's style index, that style's number
//! format, and the format's code.

use crate::common;
use std::io::Read;
use std::path::Path;

/// The number format code of `cell` (`J2`) on `sheet`.
fn format_of(book: &Path, sheet: &str, cell: &str) -> String {
    let file = std::fs::File::open(book).expect("open");
    let mut zip = zip::ZipArchive::new(file).expect("zip");
    let mut part = |name: &str| {
        let mut s = String::new();
        zip.by_name(name)
            .unwrap_or_else(|_| panic!("{name}"))
            .read_to_string(&mut s)
            .expect("read");
        s
    };
    let workbook = part("xl/workbook.xml");
    let rels = part("xl/_rels/workbook.xml.rels");
    let styles = part("xl/styles.xml");
    let rid = attr(
        element(&workbook, &format!("<sheet name=\"{sheet}\"")),
        "r:id",
    );
    let target = attr(element(&rels, &format!("Id=\"{rid}\"")), "Target");
    let xml = part(&format!("xl/{target}"));
    let c = element(&xml, &format!("<c r=\"{cell}\""));
    let xf: usize = attr_opt(c, "s").map_or(0, |s| s.parse().expect("style"));
    let xfs = &styles[styles.find("<cellXfs").expect("cellXfs")..];
    let xfs = &xfs[..xfs.find("</cellXfs>").expect("end")];
    let xf_tag = format!(
        " {}",
        xfs.split("<xf ").nth(xf + 1).expect("xf of the cell")
    );
    let id = attr(&xf_tag, "numFmtId");
    match id.as_str() {
        "0" => "General".into(),
        "2" => "0.00".into(),
        "10" => "0.00%".into(),
        _ => attr(
            element(&styles, &format!("<numFmt numFmtId=\"{id}\"")),
            "formatCode",
        ),
    }
}

/// The letters of the column headed `head` on the first row.
fn column_of(book: &Path, sheet: &str, head: &str) -> String {
    use calamine::{Reader, Xlsx, open_workbook};
    let mut wb: Xlsx<_> = open_workbook(book).expect("open");
    let range = wb.worksheet_range(sheet).expect("sheet");
    let header = range.rows().next().expect("header");
    let mut n = header
        .iter()
        .position(|c| matches!(c, calamine::Data::String(s) if s == head))
        .unwrap_or_else(|| panic!("{head} not on {sheet}"))
        + 1;
    let mut letters = Vec::new();
    while n > 0 {
        letters.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    letters.iter().rev().map(|&b| char::from(b)).collect()
}

/// The start tag that contains `needle`.
fn element<'a>(xml: &'a str, needle: &str) -> &'a str {
    let at = xml
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not found"));
    let start = xml[..=at].rfind('<').expect("tag");
    let end = at + xml[at..].find('>').expect("tag end");
    &xml[start..end]
}

fn attr_opt(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let at = tag.find(&key)? + key.len();
    Some(tag[at..at + tag[at..].find('"')?].to_string())
}

fn attr(tag: &str, name: &str) -> String {
    attr_opt(tag, name).unwrap_or_else(|| panic!("{name} in {tag}"))
}

#[test]
fn scores_rates_and_dates_carry_their_formats() {
    // The committed sample: every instrument, weak spots, warnings.
    let tmp = tempfile::tempdir().expect("tempdir");
    let out_dir = tmp.path().join("out");
    let out = common::appraise()
        .arg("run")
        .arg(common::SAMPLE_SCHEME)
        .arg("--out")
        .arg(&out_dir)
        .arg("--quiet")
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = out_dir.join("summary.xlsx");

    // 明细: completion 0.00%, score 0.0000, effective weight 0.0000,
    // weighted 0.00; the actual value as read (General).
    for (cell, code) in [
        ("J2", "0.00%"),
        ("K2", "0.0000"),
        ("M2", "0.0000"),
        ("N2", "0.00"),
        ("H2", "General"),
    ] {
        assert_eq!(format_of(&summary, "明细", cell), code, "明细!{cell}");
    }
    // 汇总: the first person's own score and total.
    for head in ["个人得分", "总分"] {
        let cell = format!("{}2", column_of(&summary, "汇总", head));
        assert_eq!(format_of(&summary, "汇总", &cell), "0.00", "汇总 {head}");
    }
    // 预警: the day raised is a date.
    assert_eq!(format_of(&summary, "预警", "H2"), "yyyy-mm-dd");
    // 短板比对: a score and the team's average.
    assert_eq!(format_of(&summary, "短板比对", "F2"), "0.0000");
    assert_eq!(format_of(&summary, "短板比对", "G2"), "0.0000");

    // A feedback workbook's KPI table (header on row 14): rate, score,
    // weighted score, team average.
    let team = std::fs::read_dir(out_dir.join("feedback"))
        .expect("feedback")
        .flatten()
        .find(|e| e.path().is_dir())
        .expect("a team");
    let book = std::fs::read_dir(team.path())
        .expect("team dir")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "xlsx"))
        .expect("a workbook");
    for (cell, code) in [
        ("E15", "0.00%"),
        ("F15", "0.0000"),
        ("H15", "0.00"),
        ("J15", "0.0000"),
        ("G15", "General"),
    ] {
        assert_eq!(format_of(&book, "考核结果", cell), code, "考核结果!{cell}");
    }
}
