//! A sheet parsed on a second thread while its rows are used on the
//! caller's.
//!
//! Parsing (inflating the sheet's zip part, reading its XML, making each
//! cell a `Data`) is most of the work of reading a large sheet; typing its
//! rows and what the caller makes of them (tallies, look-ups) is the rest.
//! [`visit`] lets the two overlap: calamine parses on a scoped thread, and
//! the rows come back to the caller's thread in order, in chunks of about
//! [`CHUNK_CELLS`] cells with at most [`WAITING`] chunks waiting, so that
//! memory stays bounded whatever the size of the sheet. A used chunk goes
//! back to the parser to be filled again: no row costs an allocation.

use crate::config::Limits;
use calamine::{Data, DataType};
use std::sync::mpsc::{Receiver, SyncSender, TryRecvError, channel, sync_channel};

/// A sheet too large for the limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Overflow {
    /// A used cell beyond `max_rows` or `max_columns` (0-based row, col).
    Cell(u32, u32),
    /// The rows span this many cells, above `max_cells`.
    Cells(u64),
    /// A row stored after a later one, which a streamed read cannot take.
    Unordered(u32, u32),
}

/// Cells in a chunk before it is handed over: 2,048 rows of the daily
/// log's 8 cells, so that handing a chunk over costs next to nothing beside
/// its rows, in 512 KiB (32 bytes a cell) and the cells' text. 1 Ki to
/// 64 Ki cells took the same CPU time on the 10,000-employee sample.
const CHUNK_CELLS: usize = 16 * 1024;

/// Chunks parsed ahead of the caller, at most.
const WAITING: usize = 4;

/// Parse on a second thread with `parse`, which feeds the sheet's cells to
/// a [`RowStream`], and hand every row it makes to `each` on this thread, in
/// order, as `(absolute 0-based row, first column, cells)`. Returns what
/// `parse` returns, once `each` has had every row made before it returned
/// (on an error too: the rows before it are used as they were before the
/// parser had a thread of its own).
///
/// A panic in `each` goes on once the parser has stopped: the channels'
/// ends on this thread are dropped as it unwinds, before the scope waits for
/// the parser, so the parser's next hand-over fails and it stops
/// ([`Stop::Gone`]) rather than wait for ever.
pub(super) fn visit<R: Send>(
    limits: Limits,
    parse: impl FnOnce(&mut RowStream) -> R + Send,
    each: &mut dyn FnMut(u32, u32, &[Data]),
) -> R {
    std::thread::scope(|s| {
        let (full, parsed) = sync_channel(WAITING);
        let (used, free) = channel();
        let parser = s.spawn(move || {
            let mut rows = RowStream::new(limits, Handover { full, free });
            let read = parse(&mut rows);
            // The whole rows before an error are handed over, not the one
            // being read when it came.
            let _ = rows.out.hand_over(&mut rows.chunk);
            read
        });
        for chunk in &parsed {
            for (r, c0, cells) in chunk.rows() {
                each(r, c0, cells);
            }
            // The parser may be done, and the chunk then dropped here.
            let _ = used.send(chunk);
        }
        match parser.join() {
            Ok(read) => read,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

/// Why the parser stopped before the end of the sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stop {
    /// The sheet is beyond the limits.
    Overflow(Overflow),
    /// The caller stopped taking rows (it panicked): no one waits for the
    /// rest.
    Gone,
}

/// Rows made and not yet used, their cells end to end in one list.
#[derive(Default)]
struct Chunk {
    /// Each row's absolute 0-based number, first column, and where its
    /// cells end in `cells`.
    rows: Vec<(u32, u32, usize)>,
    cells: Vec<Data>,
}

impl Chunk {
    fn rows(&self) -> impl Iterator<Item = (u32, u32, &[Data])> {
        let starts = std::iter::once(0).chain(self.rows.iter().map(|&(_, _, end)| end));
        self.rows
            .iter()
            .zip(starts)
            .map(|(&(r, c0, end), start)| (r, c0, &self.cells[start..end]))
    }

    fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// The parser's ends of the channels: full chunks go out, used ones come
/// back.
struct Handover {
    full: SyncSender<Chunk>,
    free: Receiver<Chunk>,
}

impl Handover {
    /// Send `chunk` (if it holds a row) and take an empty one in its place:
    /// one given back, or else a new one. Never waits for a chunk to come
    /// back, so the parser cannot hang on a caller that has gone; and as a
    /// new one is made only when none is back, at most [`WAITING`] + 3
    /// exist (those waiting, the caller's, the one sent and the next).
    fn hand_over(&mut self, chunk: &mut Chunk) -> Result<(), Stop> {
        if chunk.is_empty() {
            return Ok(());
        }
        let next = match self.free.try_recv() {
            Ok(mut used) => {
                used.rows.clear();
                used.cells.clear();
                used
            }
            Err(TryRecvError::Empty | TryRecvError::Disconnected) => Chunk::default(),
        };
        self.full
            .send(std::mem::replace(chunk, next))
            .map_err(|_| Stop::Gone)
    }
}

/// A sheet's cells as they are parsed, made into rows, checked against the
/// limits and handed over a chunk at a time.
pub(super) struct RowStream {
    limits: Limits,
    /// Non-empty cells seen.
    count: u64,
    /// Rows seen, the smallest column, Σ (last column + 1) over rows.
    rows: u64,
    col0: u32,
    span_end: u64,
    /// The row being read and its cells.
    row: Option<u32>,
    cells: Vec<(u32, Data)>,
    chunk: Chunk,
    out: Handover,
}

impl RowStream {
    fn new(limits: Limits, out: Handover) -> Self {
        RowStream {
            limits,
            count: 0,
            rows: 0,
            col0: u32::MAX,
            span_end: 0,
            row: None,
            cells: Vec::new(),
            chunk: Chunk::default(),
            out,
        }
    }

    /// Take the next cell as stored (rows in order, cells in any order).
    pub(super) fn push(&mut self, row: u32, col: u32, d: Data) -> Result<(), Stop> {
        if d.is_empty() {
            return Ok(());
        }
        let l = &self.limits;
        if row >= l.max_rows || col >= l.max_columns {
            return Err(Stop::Overflow(Overflow::Cell(row, col)));
        }
        if self.count >= l.max_cells {
            return Err(Stop::Overflow(Overflow::Cells(self.count + 1)));
        }
        self.count += 1;
        match self.row {
            Some(r) if r == row => {}
            Some(r) if r > row => return Err(Stop::Overflow(Overflow::Unordered(row, col))),
            _ => {
                self.flush()?;
                self.row = Some(row);
            }
        }
        self.cells.push((col, d));
        Ok(())
    }

    /// Put the row being read in the chunk, dense from its first cell, and
    /// hand the chunk over if it is full.
    fn flush(&mut self) -> Result<(), Stop> {
        let Some(r) = self.row.take() else {
            return Ok(());
        };
        // A cell written twice keeps its last value (the sort is stable).
        self.cells.sort_by_key(|(c, _)| *c);
        let first = self.cells.first().map_or(0, |(c, _)| *c);
        let last = self.cells.last().map_or(0, |(c, _)| *c);
        let cells = &mut self.chunk.cells;
        let start = cells.len();
        cells.resize(start + (last - first) as usize + 1, Data::Empty);
        for (c, d) in self.cells.drain(..) {
            cells[start + (c - first) as usize] = d;
        }
        self.chunk.rows.push((r, first, cells.len()));
        self.rows += 1;
        self.col0 = self.col0.min(first);
        self.span_end += u64::from(last) + 1;
        if self.chunk.cells.len() >= CHUNK_CELLS {
            self.out.hand_over(&mut self.chunk)?;
        }
        Ok(())
    }

    /// The last row, then the span of all rows against `max_cells`.
    pub(super) fn finish(&mut self) -> Result<(), Stop> {
        self.flush()?;
        if self.rows == 0 {
            return Ok(());
        }
        let span = self.span_end - self.rows * u64::from(self.col0);
        if span > self.limits.max_cells {
            return Err(Stop::Overflow(Overflow::Cells(span)));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rows `visit` hands over when `parse` feeds it `cells` and then
    /// finishes, and how it ended.
    fn visit_cells(limits: Limits, cells: &[(u32, u32, Data)]) -> (Vec<Row>, Result<(), Stop>) {
        let mut seen = Vec::new();
        let end = visit(
            limits,
            |rows| {
                for (r, c, d) in cells {
                    rows.push(*r, *c, d.clone())?;
                }
                rows.finish()
            },
            &mut |r, c0, cells| seen.push((r, c0, cells.to_vec())),
        );
        (seen, end)
    }

    type Row = (u32, u32, Vec<Data>);

    #[test]
    fn rows_come_dense_and_in_order_across_many_chunks() {
        let n = 3 * CHUNK_CELLS as u32;
        let mut cells = Vec::new();
        for r in 0..n {
            // Stored out of column order, with a gap and an empty cell.
            cells.push((r, 4, Data::Int(r.into())));
            cells.push((r, 2, Data::Int(-1)));
            cells.push((r, 5, Data::Empty));
        }
        let (rows, end) = visit_cells(Limits::default(), &cells);
        assert_eq!(end, Ok(()));
        assert_eq!(rows.len(), n as usize);
        for (i, (r, c0, cells)) in rows.into_iter().enumerate() {
            assert_eq!((r, c0), (i as u32, 2));
            assert_eq!(cells, [Data::Int(-1), Data::Empty, Data::Int(i as i64)]);
        }
    }

    #[test]
    fn an_overflow_hands_over_the_rows_finished_before_it() {
        let limits = Limits {
            max_rows: 40_000,
            ..Limits::default()
        };
        let cells: Vec<_> = (0..40_001)
            .flat_map(|r| [(r, 0, Data::Int(1)), (r, 1, Data::Int(2))])
            .collect();
        let (rows, end) = visit_cells(limits, &cells);
        assert_eq!(end, Err(Stop::Overflow(Overflow::Cell(40_000, 0))));
        // Row 39,999 was being read: it is not handed over, as before.
        assert_eq!(rows.len(), 39_999);
        assert_eq!(rows.last().map(|r| r.0), Some(39_998));
    }

    #[test]
    fn the_span_is_checked_once_every_row_is_handed_over() {
        let limits = Limits {
            max_cells: 100,
            ..Limits::default()
        };
        let cells: Vec<_> = (0..10)
            .flat_map(|r| [(r, 0, Data::Int(1)), (r, 20, Data::Int(1))])
            .collect();
        let (rows, end) = visit_cells(limits, &cells);
        assert_eq!(end, Err(Stop::Overflow(Overflow::Cells(210))));
        assert_eq!(rows.len(), 10);
    }

    #[test]
    fn a_caller_that_panics_stops_the_parser_instead_of_hanging() {
        use std::sync::atomic::{AtomicU32, Ordering};
        // On a thread of its own, so that a hang fails the test.
        let (done, finished) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let parsed = AtomicU32::new(0);
            let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                visit(
                    Limits::default(),
                    |rows| {
                        // Far more rows than fit in the chunks waiting.
                        for r in 0..1_000_000 {
                            rows.push(r, 0, Data::Int(1))?;
                            parsed.store(r, Ordering::Relaxed);
                        }
                        rows.finish()
                    },
                    &mut |r, _, _| assert!(r < 10, "the caller stops"),
                )
            }));
            let _ = done.send((panicked.is_err(), parsed.load(Ordering::Relaxed)));
        });
        let (panicked, parsed) = finished
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("the caller's panic comes back, not a hang");
        assert!(panicked);
        let bound = (WAITING as u32 + 3) * CHUNK_CELLS as u32;
        assert!(parsed < bound, "parsed {parsed} rows");
    }

    #[test]
    fn a_panic_in_the_parser_reaches_the_caller() {
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            visit(
                Limits::default(),
                |_| -> Result<(), Stop> { panic!("the parser failed") },
                &mut |_, _, _| {},
            )
        }));
        assert!(panicked.is_err());
    }
}
