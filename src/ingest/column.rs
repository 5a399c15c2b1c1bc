//! Metric columns, read from one column of a sheet or computed by the
//! instruments, kept compact: one number per employee, and the source said
//! once for the whole column, or per employee as the row of its cell or as
//! rows that columns made from the same rows share. [`Column::cell`] gives
//! the same [`Cell`] a column of cells would hold, at 20 (or 24) bytes a
//! person rather than 48.

use super::{Cell, Dataset, Sheet, Src};
use rust_decimal::Decimal;
use std::sync::Arc;

/// Where a column's values come from.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub enum ColumnSrc {
    /// The same source for every value (e.g. `Src::Derived`).
    Same(Src),
    /// Each employee's value from rows of one sheet: `rows[emp]`, a list
    /// that every column made from those rows shares.
    Rows {
        sheet: Arc<Sheet>,
        rows: Arc<[Arc<[u32]>]>,
    },
    /// Each employee's value from one cell of a column of one sheet: the
    /// cell's row, `rows[emp]`.
    Cells {
        sheet: Arc<Sheet>,
        col: u32,
        rows: Vec<u32>,
    },
}

/// One metric's values, one per employee, and their source.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Column {
    pub values: Vec<Option<Decimal>>,
    pub src: ColumnSrc,
}

impl Column {
    /// Values that all come from `src`.
    pub fn same(values: Vec<Option<Decimal>>, src: Src) -> Column {
        Column {
            values,
            src: ColumnSrc::Same(src),
        }
    }

    pub fn value(&self, emp: usize) -> Option<Decimal> {
        self.values.get(emp).copied().flatten()
    }

    /// The value with its source, as a column of cells keeps it.
    pub fn cell(&self, emp: usize) -> Option<Cell> {
        let value = self.value(emp)?;
        let src = match &self.src {
            ColumnSrc::Same(src) => src.clone(),
            ColumnSrc::Rows { sheet, rows } => Src::Rows {
                sheet: sheet.clone(),
                rows: rows.get(emp)?.clone(),
            },
            ColumnSrc::Cells { sheet, col, rows } => Src::Cell(super::At {
                sheet: sheet.clone(),
                row: *rows.get(emp)?,
                col: *col,
            }),
        };
        Some(Cell { value, src })
    }

    /// As a column of cells.
    pub fn cells(self) -> Vec<Option<Cell>> {
        (0..self.values.len()).map(|emp| self.cell(emp)).collect()
    }
}

impl Dataset {
    /// Add a computed column, in place of any metric of that name.
    pub fn insert_column(&mut self, name: String, col: Column) {
        self.metrics.remove(&name);
        self.columns.insert(name, col);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).expect("decimal")
    }

    fn sheet() -> Arc<Sheet> {
        Arc::new(Sheet {
            file: Arc::from("in/log.xlsx"),
            name: Arc::from("日志"),
        })
    }

    fn dataset(n: usize) -> Dataset {
        let employees = (0..n)
            .map(|i| super::super::Employee {
                id: format!("E{i}"),
                name: String::new(),
                role: String::new(),
                post: String::new(),
                team: String::new(),
                department: String::new(),
                origin: crate::error::Origin {
                    file: "r".into(),
                    sheet: "s".into(),
                    row: 0,
                    col: 0,
                },
            })
            .collect();
        Dataset {
            employees,
            ..Dataset::default()
        }
    }

    #[test]
    fn columns_give_the_cells_a_column_of_cells_held() {
        let sheet = sheet();
        let rows: Arc<[Arc<[u32]>]> = vec![Arc::from(vec![3, 5]), Arc::from(vec![])].into();
        let mut ds = dataset(2);
        ds.insert_column(
            "visits_done".into(),
            Column {
                values: vec![Some(d("7")), Some(d("0"))],
                src: ColumnSrc::Rows {
                    sheet: sheet.clone(),
                    rows: rows.clone(),
                },
            },
        );
        ds.insert_column(
            "warnings".into(),
            Column::same(
                vec![None, Some(d("2"))],
                Src::Derived("保有预警 月度".into()),
            ),
        );
        ds.insert_column(
            "sales_cp1".into(),
            Column {
                values: vec![Some(d("0.5")), None],
                src: ColumnSrc::Cells {
                    sheet: sheet.clone(),
                    col: 4,
                    rows: vec![9, 0],
                },
            },
        );
        assert_eq!(
            ds.metric("visits_done", 0),
            Some(Cell {
                value: d("7"),
                src: Src::Rows {
                    sheet: sheet.clone(),
                    rows: rows[0].clone(),
                },
            })
        );
        assert_eq!(
            ds.metric("warnings", 1).map(|c| c.src),
            Some(Src::Derived("保有预警 月度".into()))
        );
        assert_eq!(ds.metric("warnings", 0), None);
        assert_eq!(
            ds.metric("sales_cp1", 0).map(|c| c.src),
            Some(Src::Cell(super::super::At {
                sheet: sheet.clone(),
                row: 9,
                col: 4,
            }))
        );
        assert_eq!(ds.value("sales_cp1", 1), None);
        assert_eq!(ds.value("visits_done", 1), Some(d("0")));
        assert!(ds.has_metric("warnings") && !ds.has_metric("bonus"));
        // An appeal changes one value: the column becomes cells, the
        // others unchanged.
        ds.column_mut("visits_done")[1] = Some(Cell {
            value: d("9"),
            src: Src::Derived("申诉改判".into()),
        });
        assert!(!ds.columns.contains_key("visits_done"));
        assert_eq!(ds.value("visits_done", 1), Some(d("9")));
        assert_eq!(
            ds.metric("visits_done", 0).map(|c| c.src),
            Some(Src::Rows {
                sheet,
                rows: rows[0].clone(),
            })
        );
        // A column added later takes the place of the cells.
        ds.insert_column(
            "visits_done".into(),
            Column::same(vec![None; 2], Src::Derived("x".into())),
        );
        assert_eq!(ds.value("visits_done", 1), None);
        // A metric no column provides: a column of blanks.
        assert_eq!(ds.column_mut("bonus").len(), 2);
        assert_eq!(ds.value("bonus", 0), None);
    }
}
