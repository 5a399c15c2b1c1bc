//! A long table read with its continuation sheets at once. [`table::stream`]
//! reads `<sheet>2`, `<sheet>3`, … one after another, each parsed on one
//! thread while its rows are used on another; for the largest inputs (the
//! daily log at 100,000 employees is five sheets of a million rows) that
//! leaves a core idle once everything else is read. [`gather`] reads the
//! continuation sheets side by side instead, each on a twin of the workbook
//! ([`Workbook::twin`]) and into a part of its own ([`Gather`]); the parts
//! are merged in sheet order, so that what is gathered and every problem,
//! in its order, are as if the sheets had been read one after another.
//!
//! [`table::stream`]: super::table::stream

use super::continuation::{self, Header};
use super::table::{self, HeaderRow, Place, Row, Rows, State, Table};
use super::workbook::Workbook;
use crate::error::Problem;
use rayon::prelude::*;
use std::sync::Arc;

/// What a table's rows come to (tallies, look-ups), one sheet at a time.
/// The sheets are gathered apart and then appended, so `row` must not
/// depend on the rows of earlier sheets, and gathering sheet a then
/// appending what sheet b came to must equal gathering a then b.
pub trait Gather: Send {
    /// Take one typed row; `problems` is for the row's own problems.
    fn row(&mut self, t: &Table, r: Row, problems: &mut Vec<Problem>);

    /// Take what the next sheet's rows came to.
    fn append(&mut self, next: Self);
}

/// [`table::stream`] with the continuation sheets read at once where the
/// workbook allows it ([`Workbook::can_twin`]): `new` makes an empty part
/// for each sheet. Returns what the rows came to, the rows of a sheet that
/// could not be read included as far as they were read (as
/// [`table::stream`] hands them over), and the table (without rows) as
/// [`table::stream`] returns it.
pub fn gather<G: Gather>(
    wb: &mut Workbook,
    place: Place<'_>,
    problems: &mut Vec<Problem>,
    new: &(dyn Fn() -> G + Sync),
) -> (G, Result<Option<Table>, Problem>) {
    let mut all = new();
    let mut later = Vec::new();
    let mut each = |t: &Table, r: Row, p: &mut Vec<Problem>| all.row(t, r, p);
    let (mut rd, header) = match table::first_sheet(wb, place, problems, &mut each, &mut later) {
        Ok(read) => read,
        Err(p) => return (all, Err(p)),
    };
    let read = match (&rd.state, &header) {
        (State::Ready(_), Some(header)) if !rd.continued.is_empty() && wb.can_twin() => {
            let part = at_once(wb, &rd, header, new);
            all.append(part.gathered);
            problems.extend(part.problems);
            later.extend(part.later);
            part.read
        }
        // Headers that are wrong or not yet found (they are once a row
        // below them is read), or a workbook read by one reader only.
        _ => {
            let mut each = |t: &Table, r: Row, p: &mut Vec<Problem>| all.row(t, r, p);
            let header = header.as_ref();
            table::continued_in_turn(wb, &mut rd, header, problems, &mut each, &mut later)
        }
    };
    if let Err(p) = read {
        return (all, Err(p));
    }
    let mut each = |t: &Table, r: Row, p: &mut Vec<Problem>| all.row(t, r, p);
    let table = rd.finish(problems, &mut each, &mut later);
    problems.append(&mut later);
    (all, Ok(table))
}

/// What continuation sheets came to: what was gathered, the problems
/// typing the rows and checking the header found (the table's), those
/// [`Gather::row`] found (reported after all the table's), and whether
/// the sheets could be read.
struct Part<G> {
    gathered: G,
    problems: Vec<Problem>,
    later: Vec<Problem>,
    read: Result<(), Problem>,
}

impl<G: Gather> Part<G> {
    /// This part followed by the next sheets', as [`table::stream`] reads
    /// them: none after a sheet that could not be read (whose own problems
    /// its part has taken back already, so that any grouping of the merges
    /// gives the same: rayon's reduction groups them as it splits).
    fn then(mut self, next: Part<G>) -> Part<G> {
        if self.read.is_err() {
            return self;
        }
        self.gathered.append(next.gathered);
        self.problems.extend(next.problems);
        self.later.extend(next.later);
        self.read = next.read;
        self
    }
}

/// Read the continuation sheets of `rd`'s table, whose first sheet's
/// header row is `header`, each on a twin of `wb` and into a part of its
/// own, side by side (as many as rayon has threads); the parts are merged
/// in sheet order as they are done.
fn at_once<G: Gather>(
    wb: &Workbook,
    rd: &Rows,
    header: &HeaderRow,
    new: &(dyn Fn() -> G + Sync),
) -> Part<G> {
    let read = |(k, name): (usize, &Arc<str>)| {
        let mut gathered = new();
        let (mut problems, mut later) = (Vec::new(), Vec::new());
        let part = k as u32 + 1;
        let mut check = Header::new(&rd.file, &rd.sheet, name, rd.header_abs(), header);
        let read = wb.twin().and_then(|mut twin| {
            twin.visit_rows(name, &mut |r, c0, cells| {
                if check.read(r, c0, cells, &mut problems) {
                    let r = continuation::number(part, r);
                    let mut each = |t: &Table, r: Row, p: &mut Vec<Problem>| gathered.row(t, r, p);
                    rd.typed(r, c0, cells, &mut problems, &mut each, &mut later);
                }
            })
        });
        // A sheet that cannot be read takes back its own problems here,
        // so that `then` is associative (rayon reduces in any tree shape).
        if read.is_err() {
            problems.clear();
            later.clear();
        }
        Part {
            gathered,
            problems,
            later,
            read,
        }
    };
    let parts = rd.continued.par_iter().enumerate().map(read);
    parts.reduce_with(Part::then).unwrap_or_else(|| Part {
        gathered: new(),
        problems: Vec::new(),
        later: Vec::new(),
        read: Ok(()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{ColumnType, Limits};
    use crate::ingest::Want;
    use std::path::Path;

    /// Every row as it came, as `cell key`; a key starting with X is a
    /// problem of the rows' own (reported after the table's).
    #[derive(Default)]
    struct Seen(Vec<String>);

    impl Gather for Seen {
        fn row(&mut self, t: &Table, r: Row, problems: &mut Vec<Problem>) {
            let at = t.key_origin(r.row);
            if r.key.starts_with('X') {
                problems.push(Problem::at_cell(&at, "an X"));
            }
            self.0.push(format!("{} {}", at.short(), r.key));
        }

        fn append(&mut self, next: Seen) {
            self.0.extend(next.0);
        }
    }

    /// Sheets of (key, value) rows under the header 工号, 值.
    fn book(path: &Path, sheets: &[(&str, &[(&str, &str)])]) {
        let mut wb = rust_xlsxwriter::Workbook::new();
        for (name, rows) in sheets {
            let ws = wb.add_worksheet().set_name(*name).expect("name");
            ws.write_row(0, 0, ["工号", "值"]).expect("header");
            for (r, (key, value)) in rows.iter().enumerate() {
                let r = r as u32 + 1;
                ws.write(r, 0, *key).expect("key");
                match value.parse::<f64>() {
                    Ok(x) => ws.write(r, 1, x),
                    Err(_) => ws.write(r, 1, *value),
                }
                .expect("value");
            }
        }
        wb.save(path).expect("save");
    }

    /// What a reading came to: the rows seen, the table (whether its
    /// headers were good) or the problem that stopped it, and the problems.
    type Outcome = (Vec<String>, Result<bool, Problem>, Vec<Problem>);

    /// The table 表 of `path` read with its continuation sheets at once,
    /// and in turn.
    fn read_both(path: &Path, limits: Limits) -> [Outcome; 2] {
        let wants = [Want {
            field: "value".into(),
            header: "值".into(),
            kind: ColumnType::Number,
            min: None,
        }];
        let place = ("表", 1, "工号", &wants[..]);
        let mut wb = Workbook::open_with(path, &limits).expect("open");
        assert!(wb.can_twin());
        let mut problems = Vec::new();
        let (seen, read) = gather(&mut wb, place, &mut problems, &Seen::default);
        let at_once = (seen.0, read.map(|t| t.is_some()), problems);

        let mut wb = Workbook::open_with(path, &limits).expect("open");
        let (mut seen, mut problems) = (Seen::default(), Vec::new());
        let each = |t: &Table, r: Row, p: &mut Vec<Problem>| seen.row(t, r, p);
        let read = table::stream(&mut wb, "表", 1, "工号", &wants, &mut problems, each);
        let in_turn = (seen.0, read.map(|t| t.is_some()), problems);
        [at_once, in_turn]
    }

    fn messages(problems: &[Problem]) -> Vec<String> {
        problems
            .iter()
            .map(|p| {
                let line = p.to_string().lines().next().unwrap_or("").to_string();
                line.rsplit(['/', '\\']).next().unwrap_or("").into()
            })
            .collect()
    }

    #[test]
    fn sheets_read_at_once_give_the_rows_and_problems_of_sheets_read_in_turn() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("t.xlsx");
        book(
            &path,
            &[
                ("表", &[("A1", "1"), ("X1", "2")]),
                ("表2", &[("A2", "三"), ("A3", "3")]),
                ("表3", &[("X2", "4"), ("A4", "5"), ("X3", "6")]),
                ("表4", &[("A5", "七")]),
                ("表5", &[("", "8"), ("A6", "9")]),
            ],
        );
        let [at_once, in_turn] = read_both(&path, Limits::default());
        assert_eq!(at_once, in_turn);
        let (rows, read, problems) = at_once;
        assert_eq!(read, Ok(true));
        assert_eq!(rows.len(), 9);
        assert_eq!(rows[2], "t.xlsx [表2]!A2 A2");
        assert_eq!(rows[8], "t.xlsx [表5]!A3 A6");
        // The table's problems in sheet order, then the rows' own.
        assert_eq!(
            messages(&problems),
            [
                "t.xlsx [表2]!B2: expected a number for `value`, found the text \"三\"",
                "t.xlsx [表4]!B2: expected a number for `value`, found the text \"七\"",
                "t.xlsx [表5]!A2: this row has values but no `工号`",
                "t.xlsx [表]!A3: an X",
                "t.xlsx [表3]!A2: an X",
                "t.xlsx [表3]!A4: an X",
            ]
        );
    }

    #[test]
    fn a_continuation_sheet_with_another_header_is_left_out_alike() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("t.xlsx");
        // 表3 headed 工号, 数量 instead of 值.
        let mut wb = rust_xlsxwriter::Workbook::new();
        for (k, key) in ["A1", "A2", "X1", "A3"].into_iter().enumerate() {
            let name = continuation::sheet_name("表", k as u32);
            let ws = wb.add_worksheet().set_name(name).expect("name");
            let value = if k == 2 { "数量" } else { "值" };
            ws.write_row(0, 0, ["工号", value]).expect("header");
            ws.write(1, 0, key).expect("key");
            ws.write(1, 1, k as f64).expect("value");
        }
        wb.save(&path).expect("save");
        let [at_once, in_turn] = read_both(&path, Limits::default());
        assert_eq!(at_once, in_turn);
        let (rows, _, problems) = at_once;
        assert_eq!(rows.len(), 3);
        assert_eq!(problems.len(), 1);
        assert!(messages(&problems)[0].starts_with("t.xlsx [表3]!B1: this sheet continues"));
    }

    #[test]
    fn a_later_sheet_beyond_the_limits_stops_the_reading_at_the_same_cell() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("t.xlsx");
        book(
            &path,
            &[
                ("表", &[("A1", "一"), ("X1", "1")]),
                ("表2", &[("A2", "二"), ("X2", "2"), ("A3", "3")]),
                (
                    "表3",
                    &[("X3", "三"), ("A4", "4"), ("A5", "5"), ("A6", "6")],
                ),
                ("表4", &[("X4", "四")]),
            ],
        );
        // Rows 1 to 4 of each sheet fit: 表3's fifth is beyond.
        let limits = Limits {
            max_rows: 4,
            ..Limits::default()
        };
        let [at_once, in_turn] = read_both(&path, limits);
        assert_eq!(at_once, in_turn);
        let (rows, read, problems) = at_once;
        let stop = read.expect_err("beyond the limits");
        assert_eq!(
            messages(&[stop]),
            ["t.xlsx [表3]!A5: a value lies beyond the limit of 4 rows and 500 columns"]
        );
        // 表3's rows before that cell are seen, as they were handed over,
        // but its problems are taken back, and 表4 is not read.
        assert_eq!(rows.last().map(String::as_str), Some("t.xlsx [表3]!A3 A4"));
        assert_eq!(
            messages(&problems),
            [
                "t.xlsx [表]!B2: expected a number for `value`, found the text \"一\"",
                "t.xlsx [表2]!B2: expected a number for `value`, found the text \"二\"",
            ]
        );
    }

    #[test]
    fn a_failure_in_the_last_of_three_continuation_sheets_keeps_the_problems_before_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("t.xlsx");
        book(
            &path,
            &[
                ("表", &[("A1", "1")]),
                ("表2", &[("A2", "二")]),
                ("表3", &[("A3", "三"), ("X3", "3")]),
                (
                    "表4",
                    &[
                        ("A4", "四"),
                        ("A5", "5"),
                        ("A6", "6"),
                        ("A7", "7"),
                        ("A8", "8"),
                    ],
                ),
            ],
        );
        let limits = Limits {
            max_rows: 4,
            ..Limits::default()
        };
        let [at_once, in_turn] = read_both(&path, limits);
        assert_eq!(at_once, in_turn);
    }
}
