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
    /// them: none after a sheet that could not be read, and that sheet's
    /// own problems taken back.
    fn then(mut self, next: Part<G>) -> Part<G> {
        if self.read.is_err() {
            return self;
        }
        self.gathered.append(next.gathered);
        if next.read.is_ok() {
            self.problems.extend(next.problems);
            self.later.extend(next.later);
        }
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
