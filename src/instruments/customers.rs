//! The group customers and the account manager each is assigned to
//! (customers.xlsx 客户经理工号): the denominator of coverage and
//! penetration, and the responsible person of every retention warning.

use super::Reader;
use crate::config::ColumnType;
use crate::config::instruments::CustomerInput;
use crate::error::Problem;
use crate::ingest::{Dataset, Value};
use chrono::NaiveDate;
use hashbrown::{DefaultHashBuilder, HashTable, hash_table::Entry};
use std::collections::HashMap;
use std::hash::BuildHasher;

#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    pub code: String,
    pub name: String,
    /// The account manager (employee index), when in the roster.
    pub am: Option<usize>,
    pub contract_end: Option<NaiveDate>,
}

/// The customers, by code, with each employee's list. Kept in the input
/// cache as the list and `by_am`; the table by code is made again.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(from = "Kept", into = "Kept")]
pub struct Customers {
    /// In sheet order.
    pub list: Vec<Customer>,
    /// Positions in `list`, by code (`Customers::find`): hashed by the code
    /// they point to, so that a code is found in a probe or two and no
    /// code is held twice (four bytes and a control byte a slot).
    by_code: HashTable<u32>,
    hasher: DefaultHashBuilder,
    /// Employee index → the customers assigned to them.
    pub by_am: HashMap<usize, Vec<usize>>,
}

/// What the input cache keeps of [`Customers`].
#[derive(serde::Serialize, serde::Deserialize)]
struct Kept {
    list: Vec<Customer>,
    by_am: HashMap<usize, Vec<usize>>,
}

impl From<Customers> for Kept {
    fn from(c: Customers) -> Kept {
        Kept {
            list: c.list,
            by_am: c.by_am,
        }
    }
}

impl From<Kept> for Customers {
    fn from(k: Kept) -> Customers {
        Customers {
            by_am: k.by_am,
            ..Customers::new(k.list)
        }
    }
}

impl Customers {
    pub fn new(list: Vec<Customer>) -> Customers {
        let hasher = DefaultHashBuilder::default();
        let rehash = |&j: &u32| hasher.hash_one(list[j as usize].code.as_str());
        let mut by_code = HashTable::with_capacity(list.len());
        for (i, c) in list.iter().enumerate() {
            let same = |&j: &u32| list[j as usize].code == c.code;
            // A code listed twice is found at its last row.
            match by_code.entry(hasher.hash_one(c.code.as_str()), same, rehash) {
                Entry::Occupied(mut e) => *e.get_mut() = i as u32,
                Entry::Vacant(e) => {
                    e.insert(i as u32);
                }
            }
        }
        let mut by_am: HashMap<usize, Vec<usize>> = HashMap::new();
        for (i, c) in list.iter().enumerate() {
            if let Some(am) = c.am {
                by_am.entry(am).or_default().push(i);
            }
        }
        Customers {
            list,
            by_code,
            hasher,
            by_am,
        }
    }

    /// The position in `list` of the customer with this code.
    pub fn find(&self, code: &str) -> Option<usize> {
        let hash = self.hasher.hash_one(code);
        let at = self
            .by_code
            .find(hash, |&i| self.list[i as usize].code == code)?;
        Some(*at as usize)
    }

    /// Number of customers assigned to `emp`.
    pub fn assigned(&self, emp: usize) -> usize {
        self.by_am.get(&emp).map_or(0, Vec::len)
    }
}

pub(super) fn read(c: &CustomerInput, rd: &mut Reader, ds: &Dataset) -> Customers {
    let Some(mut wb) = rd.open(&c.file) else {
        return Customers::default();
    };
    let cols = &c.columns;
    let mut wants = vec![("am", cols.account_manager.as_str(), ColumnType::Text)];
    if let Some(n) = &cols.name {
        wants.push(("name", n, ColumnType::Text));
    }
    if let Some(d) = &cols.contract_end {
        wants.push(("contract_end", d, ColumnType::Date));
    }
    let Some(t) = rd.sheet(&mut wb, &c.sheet, c.header_row, &cols.code, &wants) else {
        return Customers::default();
    };
    let name_j = t.field("name");
    let end_j = t.field("contract_end");
    let mut list = Vec::with_capacity(t.rows.len());
    let mut seen: HashMap<&str, u32> = HashMap::new();
    for r in &t.rows {
        if let Some(first) = seen.insert(&r.key, r.row) {
            let (first_en, first_zh) = (t.row_name(first), t.row_name_zh(first));
            rd.problems.push(
                Problem::at_cell(
                    &t.key_origin(r.row),
                    crate::t!(
                        "客户 `{0}` 出现了两次（第一次在{first_zh}）",
                        "customer `{0}` appears twice (first in row {first_en})",
                        r.key
                    ),
                )
                .help(crate::lang::Text::new(
                    "每个客户只保留一行",
                    "keep one row per customer",
                )),
            );
            continue;
        }
        let am_id = r.values[0].as_ref().and_then(Value::text).unwrap_or("");
        let am = ds.index.get(am_id).copied();
        if am.is_none() && !am_id.is_empty() && !ds.employees.is_empty() {
            rd.problems.push(
                Problem::at_cell(
                    &t.origin(r.row, 0),
                    crate::t!(
                        "客户 `{0}` 的客户经理 `{am_id}` 不在花名册中",
                        "account manager `{am_id}` of customer `{0}` is not in the roster",
                        r.key
                    ),
                )
                .help(crate::lang::Text::new(
                    "改正 工号，或把该员工加入花名册",
                    "correct the 工号, or add the employee to the roster",
                )),
            );
        }
        list.push(Customer {
            code: r.key.clone(),
            name: name_j
                .and_then(|j| r.values[j].as_ref())
                .and_then(Value::text)
                .unwrap_or("")
                .to_string(),
            am,
            contract_end: end_j.and_then(|j| match &r.values[j] {
                Some(Value::Date(d)) => Some(*d),
                _ => None,
            }),
        });
    }
    Customers::new(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn customer(code: &str, am: usize) -> Customer {
        Customer {
            code: code.into(),
            name: String::new(),
            am: Some(am),
            contract_end: None,
        }
    }

    #[test]
    fn customers_are_found_by_code_a_code_listed_twice_at_its_last_row() {
        let list: Vec<Customer> = (0..1000)
            .map(|i| customer(&format!("55{i:08}"), i % 7))
            .chain([customer("5500000003", 9)])
            .collect();
        let cs = Customers::new(list);
        assert_eq!(cs.find("5500000000"), Some(0));
        assert_eq!(cs.find("5500000999"), Some(999));
        assert_eq!(cs.find("5500000003"), Some(1000));
        assert_eq!(cs.find("5500001000"), None);
        assert_eq!(cs.find(""), None);
        assert_eq!(Customers::default().find("5500000000"), None);
        assert_eq!(Customers::new(Vec::new()).find("x"), None);
    }
}
