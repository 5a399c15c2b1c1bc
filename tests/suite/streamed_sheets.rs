//! A streamed sheet is parsed on a second thread while its rows are typed
//! on the caller's, handed over in chunks of a few thousand rows
//! (`ingest::row_stream`). These tests read sheets of many chunks, with
//! continuation sheets, and check that streaming them gives what reading
//! the whole sheet first gives: the same rows and problems in the same
//! order; and that a limit or a parser failure met deep in a sheet is
//! reported, never a hang.

use crate::common::*;
use appraise::config::{ColumnType, Limits};
use appraise::error::Problem;
use appraise::ingest::table::{self, Table, Want};
use appraise::ingest::workbook::Workbook;
use std::path::Path;

/// Rows of 指标 and of its continuation sheet 指标2 (the header aside): each
/// several chunks long.
const FIRST: u32 = 9_000;
const SECOND: u32 = 5_000;

/// 指标 and 指标2: 工号, 收入, 目标, 日期, with a few bad cells and one row
/// without an id, some of them late in a sheet; `stray`: and a cell far to
/// the right late in 指标2.
fn big_book(path: &Path, stray: bool) {
    let header = vec![s("工号"), s("收入"), s("目标"), s("日期")];
    let rows = |part: u32, count: u32| -> Sheet {
        let mut sheet = vec![header.clone()];
        for i in 1..=count {
            let id = format!("E{part}{i:05}");
            let mut row = vec![s(&id), n(f64::from(i)), n(100.0), C::D(2024, 7, 1)];
            match (part, i) {
                (1, 3) => row[1] = s("N/A"),
                (1, 7_999) => row[0] = C::Blank,
                (1, 8_998) => row[2] = s("abc"),
                (2, 4_321) => row[1] = C::B(true),
                (2, 4_800) if stray => {
                    row.resize(601, C::Blank);
                    row[600] = s("far");
                }
                _ => {}
            }
            sheet.push(row);
        }
        sheet
    };
    write_book(
        path,
        &[("指标", &rows(1, FIRST)), ("指标2", &rows(2, SECOND))],
    );
}

fn wants() -> Vec<Want> {
    [
        ("revenue", "收入", ColumnType::Number),
        ("target", "目标", ColumnType::Number),
        ("date", "日期", ColumnType::Date),
    ]
    .into_iter()
    .map(|(field, header, kind)| Want {
        field: field.into(),
        header: header.into(),
        kind,
        min: None,
    })
    .collect()
}

/// A row as compared: its number, key and values.
type Seen = (u32, String, String);

/// What the caller does with each row: keep it, and find a problem of its
/// own in one of them (reported after the cells' problems).
fn take(t: &Table, row: appraise::ingest::Row, seen: &mut Vec<Seen>, problems: &mut Vec<Problem>) {
    if row.key == "E201234" {
        problems.push(Problem::at_cell(
            &t.key_origin(row.row),
            "the caller's problem",
        ));
    }
    seen.push((row.row, row.key, format!("{:?}", row.values)));
}

/// Each problem's first line (where and what).
fn lines(problems: &[Problem]) -> Vec<String> {
    problems
        .iter()
        .map(|p| p.to_string().lines().next().unwrap_or_default().to_string())
        .collect()
}

/// Streamed: the rows and problems.
fn streamed(path: &Path, limits: &Limits) -> (Result<Vec<Seen>, String>, Vec<String>) {
    let mut wb = Workbook::open_with(path, limits).expect("open");
    let mut problems = vec![Problem::at_file(path, "found before")];
    let mut seen = Vec::new();
    let read = table::stream(
        &mut wb,
        "指标",
        1,
        "工号",
        &wants(),
        &mut problems,
        |t, row, p| take(t, row, &mut seen, p),
    );
    let read = match read {
        Ok(t) => {
            assert!(t.is_some(), "{:#?}", lines(&problems));
            Ok(seen)
        }
        Err(p) => Err(lines(std::slice::from_ref(&p)).concat()),
    };
    (read, lines(&problems))
}

#[test]
fn a_sheet_of_many_chunks_streams_as_the_whole_sheet_read_first() {
    let w = Workdir::empty();
    let path = w.path("data.xlsx");
    big_book(&path, false);
    let (rows, problems) = streamed(&path, &Limits::default());
    let rows = rows.expect("read");

    // The whole sheet and its continuation first, then its rows.
    let mut wb = Workbook::open(&path).expect("open");
    let grid = wb.grid_continued("指标", 0).expect("grid");
    let mut whole = vec![Problem::at_file(&path, "found before")];
    let t = table::read(&grid, 1, "工号", &wants(), &mut whole).expect("table");
    let mut later = Vec::new();
    let mut whole_rows = Vec::new();
    for row in t.rows.clone() {
        take(&t, row, &mut whole_rows, &mut later);
    }
    whole.extend(later);

    assert_eq!(rows.len(), (FIRST + SECOND - 1) as usize);
    assert_eq!(rows, whole_rows);
    let file = path.display();
    assert_eq!(
        problems,
        [
            format!("{file}: found before"),
            format!("{file} [指标]!B4: expected a number for `revenue`, found the text \"N/A\""),
            format!("{file} [指标]!A8000: this row has values but no `工号`"),
            format!("{file} [指标]!C8999: expected a number for `target`, found the text \"abc\""),
            format!(
                "{file} [指标2]!B4322: expected a number for `revenue`, found the boolean TRUE"
            ),
            format!("{file} [指标2]!A1235: the caller's problem"),
        ]
    );
    assert_eq!(problems, lines(&whole));
}

#[test]
fn a_limit_met_late_in_a_sheet_takes_back_the_problems_of_that_sheet() {
    let w = Workdir::empty();
    let path = w.path("data.xlsx");
    big_book(&path, false);
    let limits = Limits {
        max_rows: 4_000,
        ..Limits::default()
    };
    let (rows, problems) = streamed(&path, &limits);
    let file = path.display();
    assert_eq!(
        rows,
        Err(format!(
            "{file} [指标]!A4001: a value lies beyond the limit of 4000 rows and 500 columns"
        ))
    );
    assert_eq!(problems, [format!("{file}: found before")]);

    // Late in the continuation sheet: the first sheet's problems stay.
    big_book(&path, true);
    let (rows, problems) = streamed(&path, &Limits::default());
    assert_eq!(
        rows,
        Err(format!(
            "{file} [指标2]!WC4801: a value lies beyond the limit of 1048576 rows and 500 columns"
        ))
    );
    assert_eq!(
        problems,
        [
            format!("{file}: found before"),
            format!("{file} [指标]!B4: expected a number for `revenue`, found the text \"N/A\""),
            format!("{file} [指标]!A8000: this row has values but no `工号`"),
            format!("{file} [指标]!C8999: expected a number for `target`, found the text \"abc\""),
        ]
    );
}

/// The workbook at `path` with `from` replaced by `to` in its first
/// worksheet.
#[cfg(debug_assertions)]
fn edit_first_sheet(path: &Path, from: &str, to: &str) {
    use std::io::{Read, Write};
    let file = std::fs::File::open(path).expect("open");
    let mut zip = zip::ZipArchive::new(file).expect("zip");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).expect("part");
        let name = part.name().expect("name").to_string();
        let mut data = Vec::new();
        part.read_to_end(&mut data).expect("read");
        if name == "xl/worksheets/sheet1.xml" {
            let xml = String::from_utf8(data).expect("xml");
            assert!(xml.contains(from), "no `{from}`");
            data = xml.replacen(from, to, 1).into_bytes();
        }
        let options = zip::write::SimpleFileOptions::default();
        out.start_file(name, options).expect("part");
        out.write_all(&data).expect("write");
    }
    let bytes = out.finish().expect("zip").into_inner();
    std::fs::write(path, bytes).expect("write");
}

/// calamine's cell-reference parser overflows (a panic in debug builds) on
/// a reference of ten letters (issue 5): met late in a sheet, on the
/// parser's thread, it is reported as before and the read ends.
#[cfg(debug_assertions)]
#[test]
fn a_parser_panic_late_in_a_sheet_is_reported_not_hung() {
    let w = Workdir::empty();
    let path = w.path("data.xlsx");
    big_book(&path, false);
    edit_first_sheet(&path, "r=\"B8500\"", "r=\"ABCDEFGHIJ8500\"");
    let (rows, problems) = streamed(&path, &Limits::default());
    let file = path.display();
    assert_eq!(
        rows,
        Err(format!(
            "{file}: cannot read sheet `指标`: the file is malformed (the workbook reader failed on it)"
        ))
    );
    assert_eq!(problems, [format!("{file}: found before")]);
}
