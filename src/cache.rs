//! The input cache of `appraise whatif` (docs/run.md, What-if): what a
//! scheme read from its workbooks, kept between invocations.

use crate::config::Config;
use crate::error::{Error, Result};
use toml::Value;

/// What a scheme reads, as text: two schemes with the same key read the
/// same files, sheets and columns the same way, whatever else differs. It
/// is the scheme less what only scoring reads: `lang`, `[rounding]`,
/// `[grades]`, formula metrics, and of each role all but its `roster_value`
/// and, of its KPIs, what the check that everyone has a row reads (`id`,
/// `metric`, `missing`, a metric target, a growth base, a matrix's row
/// metric); with the inputs' folder and the engine's version.
pub fn read_key(config: &Config) -> Result<String> {
    let src = std::fs::read_to_string(&config.path).map_err(|e| Error::io(&config.path, e))?;
    let mut t: toml::Table = toml::from_str(&src).unwrap_or_default();
    for k in ["lang", "rounding", "grades"] {
        t.remove(k);
    }
    if let Some(Value::Table(metrics)) = t.get_mut("metrics") {
        metrics.retain(|_, m| m.get("formula").is_none());
    }
    if let Some(Value::Table(roles)) = t.get_mut("roles") {
        for (_, role) in roles.iter_mut() {
            if let Value::Table(r) = role {
                r.retain(|k, _| k == "roster_value" || k == "kpis");
                if let Some(Value::Array(kpis)) = r.get_mut("kpis") {
                    kpis.iter_mut().for_each(coverage_only);
                }
            }
        }
    }
    let dir = std::path::absolute(&config.input_dir).unwrap_or_else(|_| config.input_dir.clone());
    serde_json::to_string(&(env!("CARGO_PKG_VERSION"), dir, t))
        .map_err(|e| Error::Other(crate::lang::Text::same(e.to_string())))
}

/// A KPI less what only scoring reads.
fn coverage_only(kpi: &mut Value) {
    let Value::Table(k) = kpi else {
        return;
    };
    k.retain(|key, _| ["id", "metric", "missing", "target", "rule"].contains(&key));
    if k.get("target").is_some_and(|t| !t.is_table()) {
        k.remove("target");
    }
    if let Some(Value::Table(rule)) = k.get_mut("rule") {
        rule.retain(|key, _| key == "base" || key == "row_metric");
    }
}
