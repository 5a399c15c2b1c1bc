//! What each changed KPI or rule does: how many people it moves and by how
//! much (min / median / max), which teams gain and which lose. A KPI's
//! effect is the change of its weighted score; a role's adjustments, of the
//! adjustment total; `[grades]`, of the grade (in steps, up positive);
//! anything else of a role, of its people's totals; anything else of the
//! scheme, of everyone's totals.

use super::compare::{Comparison, Person};
use super::diff::{Change, Item};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// What an effect is measured in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Points,
    /// Grade steps: +1 = one grade better.
    Grades,
}

/// The effect of one changed item.
#[derive(Debug, Clone)]
pub struct Effect {
    pub item: Item,
    /// The changed keys that make up the item.
    pub paths: Vec<String>,
    pub unit: Unit,
    /// People the item concerns (scored under both).
    pub people: usize,
    /// Of them, those it moves.
    pub moved: usize,
    pub min: Option<Decimal>,
    pub median: Option<Decimal>,
    pub max: Option<Decimal>,
    /// Teams by their summed effect: gaining (largest first) and losing
    /// (largest loss first), at most three each.
    pub gain: Vec<(String, Decimal)>,
    pub lose: Vec<(String, Decimal)>,
}

/// One effect per changed item, in the order the changes come.
pub fn effects(changes: &[Change], cmp: &Comparison) -> Vec<Effect> {
    let mut items: Vec<(Item, Vec<String>)> = Vec::new();
    for c in changes {
        match items.iter_mut().find(|(i, _)| *i == c.item) {
            Some((_, paths)) => paths.push(c.path.clone()),
            None => items.push((c.item.clone(), vec![c.path.clone()])),
        }
    }
    items
        .into_iter()
        .map(|(item, paths)| effect(item, paths, cmp))
        .collect()
}

/// The effect of `item` on one person, if it concerns the person.
fn on(item: &Item, p: &Person) -> Option<Decimal> {
    let (b, d) = p.both()?;
    let of_role = |role: &str| b.role == role || d.role == role;
    match item {
        Item::Kpi { role, kpi } if of_role(role) => {
            let (old, new) = p.kpi_points(kpi);
            Some(new - old)
        }
        Item::Adjustments { role } if of_role(role) => Some(d.adjustments - b.adjustments),
        Item::Role { role } if of_role(role) => Some(d.total - b.total),
        Item::Grades => {
            if b.grade == d.grade {
                Some(Decimal::ZERO)
            } else {
                Some(Decimal::from(b.grade_index as i64 - d.grade_index as i64))
            }
        }
        Item::Scheme => Some(d.total - b.total),
        _ => None,
    }
}

fn effect(item: Item, paths: Vec<String>, cmp: &Comparison) -> Effect {
    let mut people = 0;
    let mut moved: Vec<Decimal> = Vec::new();
    let mut teams: BTreeMap<&str, Decimal> = BTreeMap::new();
    for p in &cmp.people {
        let Some(x) = on(&item, p) else {
            continue;
        };
        people += 1;
        if x != Decimal::ZERO {
            moved.push(x);
            *teams.entry(p.team).or_default() += x;
        }
    }
    moved.sort();
    let median = match moved.len() {
        0 => None,
        n if n % 2 == 1 => Some(moved[n / 2]),
        n => Some((moved[n / 2 - 1] + moved[n / 2]) / Decimal::TWO),
    };
    let mut gain: Vec<(String, Decimal)> = teams
        .iter()
        .filter(|(_, x)| **x > Decimal::ZERO)
        .map(|(t, x)| (t.to_string(), *x))
        .collect();
    gain.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    gain.truncate(3);
    let mut lose: Vec<(String, Decimal)> = teams
        .iter()
        .filter(|(_, x)| **x < Decimal::ZERO)
        .map(|(t, x)| (t.to_string(), *x))
        .collect();
    lose.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    lose.truncate(3);
    Effect {
        unit: if item == Item::Grades {
            Unit::Grades
        } else {
            Unit::Points
        },
        item,
        paths,
        people,
        moved: moved.len(),
        min: moved.first().copied(),
        median,
        max: moved.last().copied(),
        gain,
        lose,
    }
}
