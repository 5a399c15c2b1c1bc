//! A scoring rule written back as it reads in the scheme.

use super::*;

/// The rule as it reads in the scheme: `ratio { floor = 0, cap = 1.2 }`.
pub fn rule_text(rule: &Rule) -> String {
    use crate::config::Dec;
    let opt = |name: &str, v: &Option<Dec>| v.map(|v| format!("{name} = {v}"));
    let params: Vec<String> = match rule {
        Rule::Ratio { floor, cap } => [opt("floor", floor), opt("cap", cap)]
            .into_iter()
            .flatten()
            .collect(),
        Rule::Inverse {
            mode,
            floor,
            cap,
            zero_actual,
        } => [
            Some(format!("mode = {}", snake(mode))),
            opt("floor", floor),
            opt("cap", cap),
            opt("zero_actual", zero_actual),
        ]
        .into_iter()
        .flatten()
        .collect(),
        Rule::Piecewise { on, points, below } => {
            let pts: Vec<String> = points.iter().map(|(x, y)| format!("[{x}, {y}]")).collect();
            vec![
                format!("on = {}", snake(on)),
                format!("points = [{}]", pts.join(", ")),
                format!("below = {}", snake(below)),
            ]
        }
        Rule::Bands { on, bands } => {
            let b: Vec<String> = bands
                .iter()
                .map(|b| {
                    format!(
                        "[{}, {}) → {}",
                        b.from.map_or("-∞".into(), |f| f.to_string()),
                        b.to.map_or("+∞".into(), |t| t.to_string()),
                        b.score
                    )
                })
                .collect();
            vec![
                format!("on = {}", snake(on)),
                format!("bands = {}", b.join(", ")),
            ]
        }
        Rule::Matrix {
            on,
            columns,
            row_metric,
            rows,
            table,
            ..
        } => {
            let list = |v: &[Dec]| {
                v.iter()
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let t: Vec<String> = table.iter().map(|r| format!("[{}]", list(r))).collect();
            vec![
                format!("on = {}", snake(on)),
                format!("columns = [{}]", list(columns)),
                format!("row_metric = {row_metric}"),
                format!("rows = [{}]", list(rows)),
                format!("table = [{}]", t.join(", ")),
            ]
        }
        Rule::Gate { pass, fail } => vec![format!("pass = {pass}"), format!("fail = {fail}")],
        Rule::Rank {
            group,
            direction,
            best,
            worst,
            ties,
        } => vec![
            format!("group = {}", snake(group)),
            format!("direction = {}", snake(direction)),
            format!("best = {best}"),
            format!("worst = {worst}"),
            format!("ties = {}", snake(ties)),
        ],
        Rule::Growth {
            base,
            floor,
            cap,
            base_nonpositive,
        } => [
            Some(format!("base = {base}")),
            opt("floor", floor),
            opt("cap", cap),
            Some(format!("base_nonpositive = {base_nonpositive}")),
        ]
        .into_iter()
        .flatten()
        .collect(),
        Rule::Formula { expr, floor, cap } => [
            Some(format!("expr = {expr}")),
            opt("floor", floor),
            opt("cap", cap),
        ]
        .into_iter()
        .flatten()
        .collect(),
        Rule::Monitor => Vec::new(),
    };
    let name = format!("{} {}", rule.kind(), rule.kind_zh());
    if params.is_empty() {
        name
    } else {
        format!("{name} {{ {} }}", params.join(", "))
    }
}

/// A unit enum's Debug name as written in TOML: `TwoMinus` → `two_minus`.
pub(super) fn snake(v: impl std::fmt::Debug) -> String {
    let mut out = String::new();
    for (i, c) in format!("{v:?}").chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.extend(c.to_lowercase());
    }
    out
}
