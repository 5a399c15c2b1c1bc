//! Whether a draft can be scored on the base's prepared data
//! ([`crate::pipeline::Prepared`]): when the two schemes read the same
//! inputs and agree on everything reconciling, the earlier runs and the
//! appeals and comments read, the draft is scored on the base's data
//! instead of preparing its own (docs/run.md, What-if). What a manager
//! usually changes in a draft (weights, targets, rule bounds, bands,
//! deduction points and caps, grades and quotas) is scoring only.

use crate::error::{Error, Result};
use std::path::Path;
use toml::Value;

/// The scheme less what only scoring reads: `lang`, `[grades]`, and of each
/// KPI its `weight`, `section`, a constant `target` and its rule's bounds
/// (the rule's `type`, a formula's `expr`, a growth's `base` and a matrix's
/// `row_metric` stay: they name what is read); of each adjustment item its
/// `points` and `cap`, and of each adjustment section its `cap`. Anything
/// else differing, the draft prepares its own data.
pub fn prepare_key(scheme: &Path) -> Result<String> {
    let src = std::fs::read_to_string(scheme).map_err(|e| Error::io(scheme, e))?;
    let mut t: toml::Table = toml::from_str(&src).unwrap_or_default();
    t.remove("lang");
    t.remove("grades");
    if let Some(Value::Table(roles)) = t.get_mut("roles") {
        for (_, role) in roles.iter_mut() {
            let Value::Table(r) = role else { continue };
            if let Some(Value::Array(kpis)) = r.get_mut("kpis") {
                kpis.iter_mut().for_each(kpi_reads);
            }
            if let Some(Value::Array(sections)) = r.get_mut("adjustments") {
                sections.iter_mut().for_each(section_reads);
            }
        }
    }
    serde_json::to_string(&t).map_err(|e| Error::Other(crate::lang::Text::same(e.to_string())))
}

/// A KPI less its scoring-only keys.
fn kpi_reads(kpi: &mut Value) {
    let Value::Table(k) = kpi else { return };
    k.remove("weight");
    k.remove("section");
    if k.get("target").is_some_and(|t| !t.is_table()) {
        k.remove("target");
    }
    if let Some(Value::Table(rule)) = k.get_mut("rule") {
        rule.retain(|key, _| ["type", "expr", "base", "row_metric"].contains(&key));
    }
}

/// An adjustment section less its points and caps.
fn section_reads(section: &mut Value) {
    let Value::Table(s) = section else { return };
    s.remove("cap");
    if let Some(Value::Array(items)) = s.get_mut("items") {
        for item in items {
            if let Value::Table(i) = item {
                i.remove("points");
                i.remove("cap");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(src: &str) -> String {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("s.toml");
        std::fs::write(&path, src).expect("write");
        prepare_key(&path).expect("key")
    }

    const BASE: &str = r#"
[roles.am]
name = "客户经理"
[[roles.am.kpis]]
id = "rev"
name = "收入"
weight = 60
metric = "revenue"
target = 100
rule = { type = "ratio", cap = 1.2 }
[[roles.am.adjustments]]
id = "ded"
cap = 5
items = [{ name = "短板", metric = "weak", points = -0.5, cap = 2 }]
[grades]
scale = ["A", "B"]
"#;

    #[test]
    fn weights_targets_bounds_points_and_grades_are_scoring_only() {
        let draft = BASE
            .replace("weight = 60", "weight = 50")
            .replace("target = 100", "target = 120")
            .replace("cap = 1.2", "cap = 1.5")
            .replace("points = -0.5", "points = -1")
            .replace("scale = [\"A\", \"B\"]", "scale = [\"A\", \"B\", \"C\"]");
        assert_eq!(key(BASE), key(&draft));
    }

    #[test]
    fn what_is_read_or_matched_by_name_is_not() {
        for draft in [
            BASE.replace("metric = \"revenue\"", "metric = \"revenue2\""),
            BASE.replace("name = \"收入\"", "name = \"集团收入\""),
            BASE.replace("type = \"ratio\"", "type = \"inverse\""),
            BASE.replace("metric = \"weak\"", "metric = \"weak2\""),
            BASE.replace("target = 100", "target = { metric = \"plan\" }"),
        ] {
            assert_ne!(key(BASE), key(&draft), "{draft}");
        }
    }
}
