//! Where a value came from (`ingest::Src`), as written for people.

use crate::ingest::Src;
use crate::lang::Lang;
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
