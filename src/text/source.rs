//! Where a value came from (`ingest::Src`), as written for people.

use crate::config::{AggKind, Config, MetricDef};
use crate::ingest::{Dataset, Skip, Src, Tally};
use crate::lang::{Lang, in_lang};
use crate::score::Outcome;
use std::sync::Arc;

impl Src {
    /// The source as written in a workbook of the given language.
    pub fn show(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self {
            Src::Cell(at) => at.origin().short(),
            Src::Rows { sheet, rows } => {
                let file = &*sheet.file;
                let name = std::path::Path::new(file)
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or(file);
                let sheet = &sheet.name;
                let more = rows.len() > 5;
                // The rows shown, by sheet: `[日行事例] 第5、6行、[日行事例2] 第2行`.
                let mut parts: Vec<(u32, Vec<String>)> = Vec::new();
                for &r in rows.iter().take(5) {
                    let (part, r) = crate::ingest::continuation::split(r);
                    match parts.last_mut() {
                        Some((p, list)) if *p == part => list.push((r + 1).to_string()),
                        _ => parts.push((part, vec![(r + 1).to_string()])),
                    }
                }
                let shown = |sep: &str, word: &str, end: &str, between: &str| -> String {
                    let n = parts.len();
                    parts
                        .iter()
                        .enumerate()
                        .map(|(i, (p, list))| {
                            let tail = if more && i + 1 == n {
                                format!("{sep}…")
                            } else {
                                String::new()
                            };
                            format!(
                                "[{}] {word}{}{tail}{end}",
                                crate::ingest::continuation::sheet_name(sheet, *p),
                                list.join(sep)
                            )
                        })
                        .collect::<Vec<_>>()
                        .join(between)
                };
                match (zh, rows.is_empty()) {
                    (true, true) => format!("{name} [{sheet}]（无数据行）"),
                    (false, true) => format!("{name} [{sheet}] (no rows)"),
                    (true, false) => {
                        format!(
                            "{name} {}（共{}行）",
                            shown("、", "第", "行", "、"),
                            rows.len()
                        )
                    }
                    (false, false) => {
                        format!(
                            "{name} {} ({} rows)",
                            shown(", ", "rows ", "", "; "),
                            rows.len()
                        )
                    }
                }
            }
            Src::Constant(v) => {
                format!(
                    "{}{}",
                    if zh { "常量 " } else { "constant " },
                    v.normalize()
                )
            }
            Src::Formula(name) => {
                format!(
                    "{}{name}",
                    if zh {
                        "公式指标 "
                    } else {
                        "formula metric "
                    }
                )
            }
            Src::Derived(s) if zh => s.to_string(),
            Src::Derived(s) => derived_en(s),
            Src::Credited(c) => credited(&c.projects, &c.provisional, zh),
            Src::Tally(t) => tally(t, lang),
        }
    }
}

/// How many rows are listed before the rest are only counted.
const SHOWN_ROWS: usize = 10;

/// `第 3、7、9 行`, `rows 3, 7, 9`; rows of a continuation sheet under its
/// name (`[方案需求2] 第 2 行`); past ten rows, `第 3、7 … 共 40 行`.
pub fn row_list(sheet: &str, rows: &[u32], lang: Lang) -> String {
    let mut parts: Vec<(u32, Vec<String>)> = Vec::new();
    for &r in rows.iter().take(SHOWN_ROWS) {
        let (part, r) = crate::ingest::continuation::split(r);
        match parts.last_mut() {
            Some((p, list)) if *p == part => list.push((r + 1).to_string()),
            _ => parts.push((part, vec![(r + 1).to_string()])),
        }
    }
    let n = rows.len();
    let more = n > SHOWN_ROWS;
    let shown: Vec<String> = parts
        .iter()
        .map(|(p, list)| {
            let head = if *p == 0 {
                String::new()
            } else {
                format!("[{}] ", crate::ingest::continuation::sheet_name(sheet, *p))
            };
            match lang {
                Lang::Zh => format!("{head}第 {} 行", list.join("、")),
                Lang::En if list.len() == 1 && !more => format!("{head}row {}", list[0]),
                Lang::En => format!("{head}rows {}", list.join(", ")),
            }
        })
        .collect();
    let mut text = shown.join(in_lang(lang, "、", "; "));
    if more {
        text = match lang {
            Lang::Zh => format!("{} … 共 {n} 行", text.trim_end_matches(" 行")),
            Lang::En => format!("{text} … {n} rows in all"),
        };
    }
    text
}

/// An aggregate's rows for one person: how many, which counted and under
/// what conditions, and why the others did not count.
fn tally(t: &Tally, lang: Lang) -> String {
    let file = &*t.sheet.file;
    let file = std::path::Path::new(file)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(file);
    let sheet = &*t.sheet.name;
    let how = &t.how;
    let k = t.counted.len();
    let total = k + t.skipped.iter().map(|(_, r)| r.len()).sum::<usize>();
    let value = how.value.as_deref().unwrap_or("");
    let what = match (lang, how.agg) {
        (Lang::Zh, AggKind::Count) => format!("计入 {k} 行"),
        (Lang::Zh, AggKind::Sum) => format!("对其中 {k} 行的 {value} 求和"),
        (Lang::Zh, AggKind::Mean) => format!("对其中 {k} 行的 {value} 求平均"),
        (Lang::Zh, AggKind::Min) => format!("取其中 {k} 行 {value} 的最小值"),
        (Lang::Zh, AggKind::Max) => format!("取其中 {k} 行 {value} 的最大值"),
        (Lang::Zh, AggKind::Distinct) => format!("其中 {k} 行 {value} 的不同值"),
        (Lang::En, AggKind::Count) => format!("{k} counted"),
        (Lang::En, AggKind::Sum) => format!("{value} summed over {k}"),
        (Lang::En, AggKind::Mean) => format!("{value} averaged over {k}"),
        (Lang::En, AggKind::Min) => format!("the lowest {value} of {k}"),
        (Lang::En, AggKind::Max) => format!("the highest {value} of {k}"),
        (Lang::En, AggKind::Distinct) => format!("distinct {value} among {k}"),
    };
    let mut conditions = Vec::new();
    if let Some(p) = &how.period {
        conditions.push(format!(
            "{p}{}",
            in_lang(lang, " 在周期内", " in the period")
        ));
    }
    for f in [&how.equals, &how.filter].into_iter().flatten() {
        conditions.push(f.clone());
    }
    let conditions = if conditions.is_empty() {
        String::new()
    } else {
        let c = conditions.join(in_lang(lang, "；", "; "));
        match lang {
            Lang::Zh => format!("（{c}）"),
            Lang::En => format!(" ({c})"),
        }
    };
    let mut text = match lang {
        Lang::Zh => format!("{file} [{sheet}]：{total} 行，{what}{conditions}"),
        Lang::En => format!("{file} [{sheet}]: {total} rows, {what}{conditions}"),
    };
    if k > 0 {
        text.push_str(in_lang(lang, "：", ": "));
        text.push_str(&row_list(sheet, &t.counted, lang));
    }
    if !t.skipped.is_empty() {
        let why: Vec<String> = t
            .skipped
            .iter()
            .map(|(w, rows)| {
                let reason = match (w, lang) {
                    (Skip::OutOfPeriod, _) => {
                        in_lang(lang, "不在周期内", "outside the period").to_string()
                    }
                    (Skip::Filtered, Lang::Zh) => {
                        format!("不符合 {}", how.equals.as_deref().unwrap_or("where"))
                    }
                    (Skip::Filtered, Lang::En) => {
                        format!("not {}", how.equals.as_deref().unwrap_or("where"))
                    }
                    (Skip::NotMet, _) => {
                        in_lang(lang, "不满足条件", "condition not met").to_string()
                    }
                    (Skip::Blank(j), Lang::Zh) => format!("{} 空白", header(t, *j)),
                    (Skip::Blank(j), Lang::En) => format!("{} blank", header(t, *j)),
                };
                let sep = in_lang(lang, " ", ": ");
                format!("{reason}{sep}{}", row_list(sheet, rows, lang))
            })
            .collect();
        text.push_str(in_lang(lang, "；未计入：", "; not counted: "));
        text.push_str(&why.join(in_lang(lang, "；", "; ")));
    }
    text
}

fn header(t: &Tally, j: u16) -> &str {
    t.how
        .headers
        .get(usize::from(j))
        .map_or("?", String::as_str)
}

/// A value's source, traced for one person: a formula metric with its
/// formula and the values put in (`answered_in_3_days / requests = 4 / 11
/// = 0.3636`), then each metric it reads that was counted from rows, with
/// the rows; any other source as [`Src::show`] writes it. One line each.
pub fn traced(
    src: &Src,
    config: &Config,
    data: &Dataset,
    outcome: &Outcome,
    emp: usize,
    lang: Lang,
) -> Vec<String> {
    let Src::Formula(name) = src else {
        return vec![src.show(lang)];
    };
    let mut lines = Vec::new();
    let mut seen = vec![name.to_string()];
    formula_lines(
        config, data, outcome, emp, lang, name, &mut seen, &mut lines,
    );
    lines
}

/// The lines of formula metric `name`, then of the metrics it reads (each
/// once).
#[allow(clippy::too_many_arguments)]
fn formula_lines(
    config: &Config,
    data: &Dataset,
    outcome: &Outcome,
    emp: usize,
    lang: Lang,
    name: &str,
    seen: &mut Vec<String>,
    lines: &mut Vec<String>,
) {
    let num = |v: Option<rust_decimal::Decimal>| v.map_or("—".to_string(), super::explain::num);
    let value = |m: &str| {
        data.value(m, emp).or_else(|| {
            outcome
                .derived
                .get(m)
                .and_then(|v| v.get(emp).copied().flatten())
        })
    };
    let Some((_, expr)) = config
        .compiled
        .metric_formulas
        .iter()
        .find(|(n, _)| n == name)
    else {
        lines.push(Src::Formula(name.into()).show(lang));
        return;
    };
    let written = match config.scheme.metrics.get(name) {
        Some(MetricDef::Formula(f)) => f.formula.clone(),
        _ => expr.show(&|n| n.to_string()),
    };
    let put_in = expr.show(&|n| num(value(n)));
    let head = in_lang(lang, "公式指标 ", "formula metric ");
    lines.push(format!(
        "{head}{name} = {written} = {put_in} = {}",
        num(value(name))
    ));
    for n in expr.names() {
        if seen.iter().any(|s| s == n) {
            continue;
        }
        seen.push(n.to_string());
        match data.metric(n, emp) {
            Some(c) => lines.push(format!(
                "{n} = {}{}{}",
                num(Some(c.value)),
                in_lang(lang, "：", ": "),
                c.src.show(lang)
            )),
            None if outcome.derived.contains_key(n) => {
                formula_lines(config, data, outcome, emp, lang, n, seen, lines);
            }
            None => lines.push(format!("{n} = —")),
        }
    }
}

/// A derived source's English: the instruments name it in Chinese
/// (`产品渗透 products.xlsx`, `保有预警 客户月度`); the file or sheet after
/// the name is kept as it is.
fn derived_en(s: &str) -> String {
    const NAMES: &[(&str, &str)] = &[
        ("产品渗透", "product penetration"),
        ("保有预警", "retention warnings"),
        ("客户月度", "customer monthly"),
        ("日行事例", "daily log"),
        ("节点控制", "checkpoints"),
        ("短板比对", "weak spots"),
        ("公式指标", "formula metric"),
        ("常量", "constant"),
    ];
    for (zh, en) in NAMES {
        if let Some(rest) = s.strip_prefix(zh) {
            return format!("{en}{rest}");
        }
    }
    s.to_string()
}

/// `对账: P-1, P-2（暂定）`: the projects used, each provisional one marked.
/// Past 8 projects the list is cut, but never a provisional one.
fn credited(projects: &[Arc<str>], provisional: &[Arc<str>], zh: bool) -> String {
    let head = if zh { "对账: " } else { "reconciled: " };
    if projects.is_empty() {
        return format!("{head}{}", if zh { "无项目" } else { "no projects" });
    }
    let mark = if zh { "（暂定）" } else { " (provisional)" };
    let is_prov = |p: &Arc<str>| provisional.contains(p);
    let room = 8usize.saturating_sub(projects.iter().filter(|p| is_prov(p)).count());
    let mut plain = 0;
    let shown: Vec<String> = projects
        .iter()
        .filter(|p| {
            is_prov(p) || {
                plain += 1;
                plain <= room
            }
        })
        .map(|p| {
            if is_prov(p) {
                format!("{p}{mark}")
            } else {
                p.to_string()
            }
        })
        .collect();
    let more = if shown.len() < projects.len() {
        if zh {
            format!(" …（共 {} 个）", projects.len())
        } else {
            format!(" … ({} in all)", projects.len())
        }
    } else {
        String::new()
    };
    format!("{head}{}{more}", shown.join(", "))
}

/// Chinese, the workbooks' default language.
impl std::fmt::Display for Src {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.show(Lang::Zh))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // issue 19
    #[test]
    fn long_row_lists_are_cut_after_ten_rows() {
        let rows: Vec<u32> = (1..41).collect();
        assert_eq!(
            row_list("方案需求", &rows, Lang::Zh),
            "第 2、3、4、5、6、7、8、9、10、11 … 共 40 行"
        );
        assert_eq!(
            row_list("方案需求", &rows, Lang::En),
            "rows 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 … 40 rows in all"
        );
        assert_eq!(row_list("方案需求", &[2], Lang::En), "row 3");
        assert_eq!(row_list("方案需求", &[2, 6], Lang::Zh), "第 3、7 行");
    }
}
