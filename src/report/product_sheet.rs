//! 产品渗透: per account manager with customers, the products held against
//! the catalogue, the penetration rate, the number of deepening
//! opportunities and the first few of them (customers holding fewest
//! products, with the products they lack).

use super::book::to_f64;
use super::book::{Formats, in_lang};
use super::pages::Pages;
use super::sheets::Sheets;
use crate::config::Config;
use crate::error::Result;
use crate::ingest::Dataset;
use crate::instruments::products;
use crate::lang::Lang;
use rust_xlsxwriter::Worksheet;

/// How many customers the 深挖建议 column names.
const SHOWN: usize = 3;

/// Written only when `[instruments.products]` is configured.
pub fn write(
    sheets: &Sheets,
    config: &Config,
    data: &Dataset,
    ins: &crate::instruments::Loaded,
    prov: &std::collections::BTreeSet<usize>,
    lang: Lang,
    fm: &Formats,
) -> Result<Vec<Worksheet>> {
    // Holdings are loaded whenever the section is configured.
    let (Some(_), Some(h)) = (&config.scheme.instruments.products, &ins.products) else {
        return Ok(Vec::new());
    };
    let labels: Vec<String> = [
        in_lang(lang, "工号", "Id"),
        in_lang(lang, "姓名", "Name"),
        in_lang(lang, "岗位", "Role"),
        in_lang(lang, "班组", "Team"),
        in_lang(lang, "客户数", "Customers"),
        in_lang(lang, "目录产品数", "Catalogue"),
        in_lang(lang, "已持有", "Held"),
        in_lang(lang, "可持有", "Possible"),
        in_lang(lang, "渗透率", "Penetration"),
        in_lang(lang, "深挖机会数", "Opportunities"),
        in_lang(
            lang,
            "深挖建议（持有最少的客户）",
            "Deepening (customers holding fewest)",
        ),
        super::provisional::header(lang),
    ]
    .iter()
    .map(|x| x.to_string())
    .collect();
    let mut pages = Pages::new(sheets, in_lang(lang, "产品渗透", "Penetration"), labels, fm)
        .column_formats(&[(8, &fm.pct)]);
    let cs = &ins.customers;
    for (emp, e) in data.employees.iter().enumerate() {
        if cs.assigned(emp) == 0 {
            continue;
        }
        let (ws, w, row) = pages.take(1)?;
        let role = config
            .scheme
            .roles
            .get(&e.role)
            .map_or("", |r| r.name.as_str());
        for (c, t) in [e.id.as_str(), &e.name, role, &e.team]
            .into_iter()
            .enumerate()
        {
            ws.write_string(row, c as u16, t)?;
            w.see(c as u16, t);
        }
        let p = h.penetration(cs, emp);
        ws.write_number(row, 4, cs.assigned(emp) as f64)?;
        ws.write_number(row, 5, h.catalogue.len() as f64)?;
        ws.write_number(row, 6, p.held as f64)?;
        ws.write_number(row, 7, p.possible as f64)?;
        if let Some(r) = p.rate() {
            ws.write_number(row, 8, to_f64(r))?;
        }
        ws.write_number(row, 9, (p.possible - p.held) as f64)?;
        let ops = products::opportunities(h, cs, emp);
        let text: Vec<String> = ops
            .iter()
            .take(SHOWN)
            .map(|o| {
                let names: Vec<&str> = o
                    .missing
                    .iter()
                    .map(|&i| h.catalogue[i].name.as_str())
                    .collect();
                let who = if o.name.is_empty() { &o.code } else { &o.name };
                match lang {
                    Lang::Zh => format!("{who}：{}", names.join("、")),
                    Lang::En => format!("{who}: {}", names.join(", ")),
                }
            })
            .collect();
        let text = text.join(in_lang(lang, "；", "; "));
        ws.write_string(row, 10, &text)?;
        w.see(10, &text);
        if let Some(m) = super::provisional::status(prov, emp, lang) {
            ws.write_string_with_format(row, 11, m, &fm.warn)?;
        }
    }
    pages.finish()
}
