//! A sheet's cells as they are read: each checked against the limits, and
//! the rows they span measured before they are built.

use super::row_stream::Overflow;
use crate::config::Limits;
use calamine::{Data, DataType};

/// A used row: its absolute 0-based number and its cells from `col0`.
pub(super) type Row = (u32, Vec<Data>);

/// Cells of a sheet as they are read, checked against the limits.
pub(super) struct Cells {
    limits: Limits,
    pub(super) list: Vec<(u32, u32, Data)>,
}

impl Cells {
    pub(super) fn new(limits: Limits) -> Self {
        Cells {
            limits,
            list: Vec::new(),
        }
    }

    pub(super) fn push(&mut self, row: u32, col: u32, d: Data) -> Result<(), Overflow> {
        if d.is_empty() {
            return Ok(());
        }
        let l = &self.limits;
        if row >= l.max_rows || col >= l.max_columns {
            return Err(Overflow::Cell(row, col));
        }
        if self.list.len() as u64 >= l.max_cells {
            return Err(Overflow::Cells(self.list.len() as u64 + 1));
        }
        self.list.push((row, col, d));
        Ok(())
    }

    /// The rows, each from the first used column to its own last cell.
    pub(super) fn finish(mut self) -> Result<(u32, Vec<Row>), Overflow> {
        self.list.sort_by_key(|(r, c, _)| (*r, *c));
        let col0 = self.list.iter().map(|(_, c, _)| *c).min().unwrap_or(0);
        // The cells the rows span, blanks included, before allocating them.
        let mut span: u64 = 0;
        let mut i = 0;
        while i < self.list.len() {
            let row = self.list[i].0;
            let mut last = self.list[i].1;
            while i < self.list.len() && self.list[i].0 == row {
                last = self.list[i].1;
                i += 1;
            }
            span += u64::from(last - col0) + 1;
        }
        if span > self.limits.max_cells {
            return Err(Overflow::Cells(span));
        }
        let mut rows: Vec<Row> = Vec::new();
        for (r, c, d) in self.list {
            if rows.last().is_none_or(|(lr, _)| *lr != r) {
                rows.push((r, Vec::new()));
            }
            if let Some((_, cells)) = rows.last_mut() {
                let at = (c - col0) as usize;
                if cells.len() <= at {
                    cells.resize(at + 1, Data::Empty);
                }
                // A cell written twice keeps its last value.
                cells[at] = d;
            }
        }
        Ok((col0, rows))
    }
}
