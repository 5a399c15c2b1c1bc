//! Ids that are not in the roster, reported once per id and sheet, with the
//! number of rows and the first cell, rather than once per row: sixty days of
//! log for one missing person are one problem, not sixty.

use crate::error::{Origin, Problem};
use std::collections::BTreeMap;

#[derive(Default)]
pub struct UnknownIds {
    seen: BTreeMap<String, (Origin, usize)>,
}

impl UnknownIds {
    /// Note a row keyed by `id`, which the roster lacks, at cell `at`.
    pub fn see(&mut self, id: &str, at: impl FnOnce() -> Origin) {
        match self.seen.get_mut(id) {
            Some((_, rows)) => *rows += 1,
            None => {
                self.seen.insert(id.to_string(), (at(), 1));
            }
        }
    }

    /// Add the ids of the rows that follow (those of the next sheet): an
    /// id seen already keeps its first cell.
    pub fn append(&mut self, next: UnknownIds) {
        for (id, (at, rows)) in next.seen {
            let (_, seen) = self.seen.entry(id).or_insert((at, 0));
            *seen += rows;
        }
    }

    /// One problem per id, at its first row, in id order.
    pub fn problems(self) -> impl Iterator<Item = Problem> {
        self.seen.into_iter().map(|(id, (at, rows))| {
            let message = if rows == 1 {
                crate::t!(
                    "员工 `{id}` 不在花名册中",
                    "employee `{id}` is not in the roster"
                )
            } else {
                crate::t!(
                    "员工 `{id}` 不在花名册中（共 {rows} 行；这是第一行）",
                    "employee `{id}` is not in the roster ({rows} rows; this is the first)"
                )
            };
            Problem::at_cell(&at, message).help(crate::lang::Text::new(
                "把该员工加入花名册，或改正工号",
                "add the employee to the roster, or correct the id",
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn at(row: u32) -> Origin {
        Origin {
            file: Arc::from("daily_log.xlsx"),
            sheet: Arc::from("日行事例"),
            row,
            col: 0,
        }
    }

    #[test]
    fn many_rows_of_one_unknown_id_make_one_problem_at_the_first_row() {
        let mut u = UnknownIds::default();
        for row in [4, 5, 6] {
            u.see("HF99999", || at(row));
        }
        u.see("HF00000", || at(9));
        let problems: Vec<Problem> = u.problems().collect();
        assert_eq!(problems.len(), 2);
        let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert!(
            text[0].contains("`HF00000` is not in the roster"),
            "{}",
            text[0]
        );
        assert!(!text[0].contains("rows"), "{}", text[0]);
        assert!(
            text[1].contains("`HF99999` is not in the roster (3 rows; this is the first)"),
            "{}",
            text[1]
        );
        assert!(text[1].contains("A5"), "{}", text[1]);
    }
}
