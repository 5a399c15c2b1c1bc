//! `深挖机会` (the deepening sheet): what the management instruments read for this employee.

use super::*;

/// `深挖机会`: the employee's own customers, each with the catalogue
/// products it does not hold yet (产品渗透). Written only when products
/// are configured and the employee has customers assigned; no other
/// employee's customers appear.
pub(super) fn deepening_sheet(
    wb: &mut Workbook,
    ctx: &Context,
    emp: usize,
    fm: &Formats,
) -> Result<()> {
    let lang = ctx.info.lang;
    let inst = ctx.instruments;
    let Some(holdings) = &inst.products else {
        return Ok(());
    };
    if !inst.customers.by_am.contains_key(&emp) || holdings.catalogue.is_empty() {
        return Ok(());
    }
    let list = crate::instruments::products::opportunities(holdings, &inst.customers, emp);
    let ws = book::streamed_sheet(wb)?;
    ws.set_name(labels::deepening_sheet(lang))?;
    let e = &ctx.data.employees[emp];
    let title = format!(
        "{} {}",
        e.name,
        in_lang(lang, "产品深挖机会", "product deepening opportunities")
    );
    ws.write_string_with_format(0, 0, &title, &Format::new().set_bold().set_font_size(14))?;
    ws.write_string(
        1,
        0,
        in_lang(
            lang,
            "所辖客户尚未持有的目录产品，持有产品最少的客户在前。",
            "Catalogue products your customers do not hold yet, customers holding the fewest first.",
        ),
    )?;
    let heads: Vec<String> = [
        in_lang(lang, "客户编码", "Customer code"),
        in_lang(lang, "客户名称", "Customer"),
        in_lang(lang, "已持有产品数", "Products held"),
        in_lang(lang, "目录产品数", "Catalogue size"),
        in_lang(lang, "未持有产品数", "Products missing"),
        in_lang(lang, "可深挖产品", "Products to offer"),
    ]
    .iter()
    .map(|x| x.to_string())
    .collect();
    let mut w = Widths::new();
    let hr = 3;
    book::header(ws, hr, &heads, fm, &mut w)?;
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let mut row = hr + 1;
    let n = holdings.catalogue.len();
    for o in &list {
        ws.write_string(row, 0, &o.code)?;
        ws.write_string(row, 1, &o.name)?;
        w.see(0, &o.code);
        w.see(1, &o.name);
        ws.write_number(row, 2, o.held as f64)?;
        ws.write_number(row, 3, n as f64)?;
        ws.write_number(row, 4, o.missing.len() as f64)?;
        let products: Vec<String> = o
            .missing
            .iter()
            .map(|&i| {
                let p = &holdings.catalogue[i];
                if p.name.is_empty() || p.name == p.code {
                    p.code.clone()
                } else {
                    format!("{} {}", p.code, p.name)
                }
            })
            .collect();
        let t = products.join(in_lang(lang, "、", ", "));
        ws.write_string_with_format(row, 5, &t, &wrap)?;
        w.see(5, &t);
        row += 1;
    }
    if list.is_empty() {
        ws.write_string(
            row,
            0,
            in_lang(
                lang,
                "所辖客户已持有全部目录产品。",
                "Your customers hold every catalogue product.",
            ),
        )?;
    }
    w.apply(ws)?;
    print_of(ctx).table(
        ws,
        &crate::report::print::Table {
            widths: w.columns(),
            titles: Some((hr, hr)),
            gridlines: true,
        },
    )?;
    ws.protect();
    Ok(())
}
