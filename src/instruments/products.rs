//! 产品渗透 / 深挖, product deepening: the products each customer holds
//! against the catalogue. Per account manager, over the customers assigned
//! to them: `products_held` (customer × product pairs held, catalogue
//! products only), `products_possible` (customers × catalogue size),
//! `penetration` = held ÷ possible, and `deepening_opportunities` =
//! possible − held. [`opportunities`] lists, customer by customer, the
//! products not yet held: the deepening list of a feedback workbook.

use super::Metrics;
use super::Reader;
use super::customers::Customers;
use crate::config::ColumnType;
use crate::config::instruments::Products;
use crate::error::Problem;
use crate::ingest::{Dataset, Value};
use rust_decimal::Decimal;
use std::collections::HashMap;

#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Product {
    pub code: String,
    pub name: String,
}

/// The catalogue and who holds what.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, Default)]
pub struct Holdings {
    pub catalogue: Vec<Product>,
    /// Customer index → one flag per catalogue product.
    pub held: HashMap<usize, Vec<bool>>,
}

/// One customer's products not yet held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opportunity {
    pub customer: usize,
    pub code: String,
    pub name: String,
    pub held: usize,
    /// Catalogue indices of the products the customer does not hold.
    pub missing: Vec<usize>,
}

/// Per-employee penetration figures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Penetration {
    pub held: u64,
    pub possible: u64,
}

impl Penetration {
    pub fn rate(&self) -> Option<Decimal> {
        (self.possible > 0)
            .then(|| crate::exact::quot(Decimal::from(self.held), Decimal::from(self.possible)))
    }
}

impl Holdings {
    fn held_count(&self, customer: usize) -> usize {
        self.held
            .get(&customer)
            .map_or(0, |v| v.iter().filter(|b| **b).count())
    }

    /// Penetration of one employee's customers.
    pub fn penetration(&self, customers: &Customers, emp: usize) -> Penetration {
        let mine = customers.by_am.get(&emp).map_or(&[][..], Vec::as_slice);
        Penetration {
            held: mine.iter().map(|&c| self.held_count(c) as u64).sum(),
            possible: (mine.len() * self.catalogue.len()) as u64,
        }
    }
}

/// The deepening opportunities of `emp`: each assigned customer with the
/// catalogue products it does not hold, fewest held first, then by code.
pub fn opportunities(holdings: &Holdings, customers: &Customers, emp: usize) -> Vec<Opportunity> {
    let mine = customers.by_am.get(&emp).map_or(&[][..], Vec::as_slice);
    let mut out: Vec<Opportunity> = mine
        .iter()
        .map(|&c| {
            let flags = holdings.held.get(&c);
            let missing: Vec<usize> = (0..holdings.catalogue.len())
                .filter(|&p| !flags.is_some_and(|f| f[p]))
                .collect();
            Opportunity {
                customer: c,
                code: customers.list[c].code.clone(),
                name: customers.list[c].name.clone(),
                held: holdings.catalogue.len() - missing.len(),
                missing,
            }
        })
        .filter(|o| !o.missing.is_empty())
        .collect();
    out.sort_by(|a, b| a.held.cmp(&b.held).then_with(|| a.code.cmp(&b.code)));
    out
}

pub(super) fn load(
    cfg: &Products,
    rd: &mut Reader,
    ds: &Dataset,
    customers: &Customers,
) -> (Metrics, Holdings) {
    let Some(mut wb) = rd.open(&cfg.file) else {
        return (Vec::new(), Holdings::default());
    };
    let cat = &cfg.catalogue;
    let hold = &cfg.holdings;
    let mut holdings = Holdings::default();
    let mut index: HashMap<String, usize> = HashMap::new();
    if let Some(t) = rd.sheet(
        &mut wb,
        &cat.sheet,
        cat.header_row,
        &cat.code,
        &[("name", cat.name.as_str(), ColumnType::Text)],
    ) {
        for r in &t.rows {
            if index.contains_key(&r.key) {
                rd.problems.push(
                    Problem::at_cell(
                        &t.key_origin(r.row),
                        crate::t!(
                            "产品 `{0}` 出现了两次",
                            "product `{0}` appears twice",
                            r.key
                        ),
                    )
                    .help(crate::lang::Text::new(
                        "产品目录中每个产品只保留一行",
                        "keep one row per product in the catalogue",
                    )),
                );
                continue;
            }
            index.insert(r.key.clone(), holdings.catalogue.len());
            holdings.catalogue.push(Product {
                code: r.key.clone(),
                name: r.values[0]
                    .as_ref()
                    .and_then(Value::text)
                    .unwrap_or("")
                    .to_string(),
            });
        }
    }
    if let Some(t) = rd.sheet(
        &mut wb,
        &hold.sheet,
        hold.header_row,
        &hold.customer,
        &[("product", hold.product.as_str(), ColumnType::Text)],
    ) {
        let n = holdings.catalogue.len();
        for r in &t.rows {
            let Some(c) = customers.find(&r.key) else {
                rd.problems.push(
                    Problem::at_cell(
                        &t.key_origin(r.row),
                        crate::t!(
                            "客户 `{0}` 不在客户名单中",
                            "customer `{0}` is not in the customer list",
                            r.key
                        ),
                    )
                    .help(crate::lang::Text::new(
                        "改正 客户编码，或把该客户加入客户名单",
                        "correct the 客户编码, or add the customer to the customer list",
                    )),
                );
                continue;
            };
            let code = r.values[0].as_ref().and_then(Value::text).unwrap_or("");
            let Some(&p) = index.get(code) else {
                rd.problems.push(
                    Problem::at_cell(
                        &t.origin(r.row, 0),
                        crate::t!(
                            "产品 `{code}` 不在产品目录中",
                            "product `{code}` is not in the catalogue"
                        ),
                    )
                    .help(crate::lang::Text::new(
                        "改正 产品编码，或把该产品加入产品目录表",
                        "correct the 产品编码, or add the product to the catalogue sheet",
                    )),
                );
                continue;
            };
            holdings.held.entry(c).or_insert_with(|| vec![false; n])[p] = true;
        }
    }
    let pens: Vec<Penetration> = (0..ds.employees.len())
        .map(|e| holdings.penetration(customers, e))
        .collect();
    let src = format!("产品渗透 {}", cfg.file);
    let col = |f: &dyn Fn(&Penetration) -> Option<Decimal>| {
        super::column(pens.iter().map(f).collect(), &src)
    };
    let metrics = vec![
        (
            "products_held".to_string(),
            col(&|p| Some(Decimal::from(p.held))),
        ),
        (
            "products_possible".to_string(),
            col(&|p| Some(Decimal::from(p.possible))),
        ),
        ("penetration".to_string(), col(&Penetration::rate)),
        (
            "deepening_opportunities".to_string(),
            col(&|p| Some(Decimal::from(p.possible - p.held))),
        ),
    ];
    (metrics, holdings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instruments::customers::Customer;
    use std::str::FromStr;

    fn setup() -> (Holdings, Customers) {
        let cs = Customers::new(
            [(0, "C2"), (0, "C1"), (1, "C3")]
                .iter()
                .map(|(am, code)| Customer {
                    code: code.to_string(),
                    name: format!("{code}公司"),
                    am: Some(*am),
                    contract_end: None,
                })
                .collect(),
        );
        let p = |c: &str| Product {
            code: c.into(),
            name: c.into(),
        };
        let mut h = Holdings {
            catalogue: vec![p("P1"), p("P2"), p("P3"), p("P4")],
            held: HashMap::new(),
        };
        // C2 (index 0) holds P1, P2, P3; C1 (index 1) holds P1.
        h.held.insert(0, vec![true, true, true, false]);
        h.held.insert(1, vec![true, false, false, false]);
        (h, cs)
    }

    #[test]
    fn penetration_by_hand() {
        let (h, cs) = setup();
        let p = h.penetration(&cs, 0);
        // 3 + 1 held of 2 customers × 4 products.
        assert_eq!(
            p,
            Penetration {
                held: 4,
                possible: 8
            }
        );
        assert_eq!(p.rate(), Decimal::from_str("0.5").ok());
        // Employee 1's customer holds nothing.
        assert_eq!(h.penetration(&cs, 1).rate(), Some(Decimal::ZERO));
        assert_eq!(h.penetration(&cs, 7).rate(), None);
    }

    #[test]
    fn opportunities_fewest_held_first() {
        let (h, cs) = setup();
        let o = opportunities(&h, &cs, 0);
        assert_eq!(o.len(), 2);
        assert_eq!((o[0].code.as_str(), o[0].held), ("C1", 1));
        assert_eq!(o[0].missing, vec![1, 2, 3]);
        assert_eq!((o[1].code.as_str(), o[1].missing.clone()), ("C2", vec![3]));
    }
}
