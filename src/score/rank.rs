//! Ranking with stated ties: min (1, 2, 2, 4), average (1, 2.5, 2.5, 4) or
//! dense (1, 2, 2, 3). Sorting is O(n log n) per group.

use crate::config::rule::{Direction, Ties};
use rust_decimal::Decimal;

/// A place in a ranking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Rank {
    pub rank: Decimal,
    /// How many share this rank (1 = no tie).
    pub tied: usize,
    /// Group size.
    pub of: usize,
}

impl Rank {
    /// `3/12`, or `3=/12 (并列 2)` when tied.
    pub fn label(&self, zh: bool) -> String {
        if self.of == 0 {
            return String::new();
        }
        let r = self.rank.normalize();
        if self.tied > 1 {
            if zh {
                format!("{r}/{}（并列{}人）", self.of, self.tied)
            } else {
                format!("{r}/{} (tied, {})", self.of, self.tied)
            }
        } else {
            format!("{r}/{}", self.of)
        }
    }
}

/// Rank `items` (key, value); returns the rank of each item, in input order.
pub fn rank<K>(items: &[(K, Decimal)], direction: Direction, ties: Ties) -> Vec<Rank>
where
    K: Ord,
{
    let n = items.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        let (va, vb) = (items[a].1, items[b].1);
        let by_value = match direction {
            Direction::HigherIsBetter => vb.cmp(&va),
            Direction::LowerIsBetter => va.cmp(&vb),
        };
        by_value.then_with(|| items[a].0.cmp(&items[b].0))
    });
    let mut out = vec![Rank::default(); n];
    let mut i = 0;
    let mut dense = 0u64;
    while i < n {
        let mut j = i;
        while j + 1 < n && items[order[j + 1]].1 == items[order[i]].1 {
            j += 1;
        }
        dense += 1;
        let tied = j - i + 1;
        let rank = match ties {
            Ties::Min => Decimal::from(i as u64 + 1),
            Ties::Dense => Decimal::from(dense),
            Ties::Average => Decimal::from((i + 1 + j + 1) as u64) / Decimal::TWO,
        };
        for &k in &order[i..=j] {
            out[k] = Rank { rank, tied, of: n };
        }
        i = j + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().expect("decimal")
    }

    fn ranks(vals: &[&str], dir: Direction, ties: Ties) -> Vec<String> {
        let items: Vec<(usize, Decimal)> =
            vals.iter().enumerate().map(|(i, v)| (i, d(v))).collect();
        rank(&items, dir, ties)
            .iter()
            .map(|r| r.rank.normalize().to_string())
            .collect()
    }

    #[test]
    fn ties_min_average_dense() {
        let v = ["90", "80", "80", "70"];
        assert_eq!(
            ranks(&v, Direction::HigherIsBetter, Ties::Min),
            ["1", "2", "2", "4"]
        );
        assert_eq!(
            ranks(&v, Direction::HigherIsBetter, Ties::Average),
            ["1", "2.5", "2.5", "4"]
        );
        assert_eq!(
            ranks(&v, Direction::HigherIsBetter, Ties::Dense),
            ["1", "2", "2", "3"]
        );
        assert_eq!(
            ranks(&v, Direction::LowerIsBetter, Ties::Min),
            ["4", "2", "2", "1"]
        );
    }

    #[test]
    fn labels_state_ties() {
        let r = Rank {
            rank: d("2"),
            tied: 2,
            of: 12,
        };
        assert_eq!(r.label(true), "2/12（并列2人）");
        assert_eq!(r.label(false), "2/12 (tied, 2)");
    }
}
