//! The JSON Schema of the scheme file, generated from the same serde types
//! that read it, so it cannot drift from what `run` accepts. `appraise schema`
//! prints it, `appraise sample` writes it beside the sample's scheme, and
//! kpi-configs/appraise.schema.json is it, committed; editors with taplo
//! (Even Better TOML) pick it up from a scheme's `#:schema` line.
//!
//! Issue 19: what serde's types cannot say is added to what they generate.
//! Each rule type is its own subschema, chosen by `type` with `if`/`then`
//! (an editor then reports the rule's own mistake, "120 is greater than the
//! maximum of 10", not "not valid under any of the given schemas"); scores
//! and rates carry the validator's ±10 (`validate/units.rs`), weights 0–100;
//! a `[[kpis]]` table may take another role's KPI with `from`.

use super::Scheme;
use serde_json::{Map, Value, json};

/// The file name the `#:schema` line of a written scheme points at.
pub const FILE_NAME: &str = "appraise.schema.json";

/// The largest score or rate the validator takes at its word (±10).
const MOST: i64 = 10;

/// Keys of a rule that hold a score (a fraction of the weight).
const SCORE_KEYS: [&str; 8] = [
    "floor",
    "cap",
    "zero_actual",
    "pass",
    "fail",
    "best",
    "worst",
    "base_nonpositive",
];

/// The schema as pretty-printed JSON, with a final newline.
pub fn json() -> String {
    // Printed through schemars, which puts `$schema`, `description`, `type`…
    // first in each schema, as people read them.
    let schema = schemars::Schema::try_from(value()).unwrap_or_default();
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// The schema as a JSON value.
pub fn value() -> Value {
    let schema = schemars::schema_for!(Scheme);
    let mut v = serde_json::to_value(&schema).unwrap_or_default();
    if let Some(defs) = v.get_mut("$defs").and_then(Value::as_object_mut) {
        rules_by_type(defs);
        shared_kpis(defs);
    }
    v
}

/// `minimum`/`maximum` of a score or a rate: they apply to numbers only, so
/// a `"120%"` string is left to its pattern (and to `check`).
fn ranged(mut schema: Value) -> Value {
    if let Some(o) = schema.as_object_mut() {
        o.insert("minimum".into(), json!(-MOST));
        o.insert("maximum".into(), json!(MOST));
    }
    schema
}

/// A Decimal between −10 and 10.
fn ranged_decimal() -> Value {
    ranged(json!({ "$ref": "#/$defs/Decimal" }))
}

/// The `Rule` of serde (`oneOf` its variants) as one object whose `type`
/// picks its variant with `if`/`then`, each variant with its ranges.
fn rules_by_type(defs: &mut Map<String, Value>) {
    let Some(rule) = defs.get_mut("Rule") else {
        return;
    };
    let Some(variants) = rule.get("oneOf").and_then(Value::as_array).cloned() else {
        return;
    };
    let mut kinds = Vec::new();
    let mut branches = Vec::new();
    for mut variant in variants {
        let Some(kind) = variant
            .pointer("/properties/type/const")
            .and_then(Value::as_str)
            .map(str::to_string)
        else {
            continue;
        };
        with_ranges(&kind, &mut variant);
        branches.push(json!({
            "if": { "properties": { "type": { "const": kind } }, "required": ["type"] },
            "then": variant,
        }));
        kinds.push(kind);
    }
    *rule = json!({
        "description": "How a KPI is scored, `{ type = \"ratio\", cap = 1.2 }`: `type` names the rule and each type has its own keys (docs/scoring.md §1). A score is a fraction of the KPI's weight (1 = the full weight, 1.2 = 120 %); a rate is a fraction of the target (0.8 = 80 %, or \"80%\"); both lie between −10 and 10.",
        "type": "object",
        "required": ["type"],
        "properties": {
            "type": {
                "description": "Required: the rule's type.",
                "enum": kinds,
            }
        },
        "allOf": branches,
    });
}

/// A variant's scores, and its rates where it reads the rate, between ±10.
fn with_ranges(kind: &str, variant: &mut Value) {
    let Some(props) = variant.get_mut("properties").and_then(Value::as_object_mut) else {
        return;
    };
    for key in SCORE_KEYS {
        if let Some(p) = props.get_mut(key) {
            *p = ranged(p.take());
        }
    }
    // Rate bounds are bounded only when the rule reads the rate (`on`
    // left out or "rate"): an actual (`on = "value"`) may be any number.
    let rate_bounds = match kind {
        "piecewise" => {
            if let Some(pair) = props.get_mut("points").and_then(|p| p.get_mut("items")) {
                pair["prefixItems"][1] = ranged_decimal();
            }
            json!({ "points": { "items": { "prefixItems": [ranged_decimal(), true] } } })
        }
        "bands" => {
            props.insert(
                "bands".into(),
                json!({
                    "description": props.get("bands").and_then(|b| b.get("description")).cloned().unwrap_or(Value::Null),
                    "type": "array",
                    "items": {
                        "$ref": "#/$defs/Band",
                        "properties": { "score": ranged_decimal() }
                    }
                }),
            );
            json!({ "bands": { "items": { "properties": { "from": ranged_decimal(), "to": ranged_decimal() } } } })
        }
        "matrix" => {
            if let Some(t) = props.get_mut("table") {
                t["items"]["items"] = ranged_decimal();
            }
            json!({ "columns": { "items": ranged_decimal() } })
        }
        _ => return,
    };
    if let Some(o) = variant.as_object_mut() {
        o.insert(
            "if".into(),
            json!({ "properties": { "on": { "const": "value" } }, "required": ["on"] }),
        );
        o.insert("else".into(), json!({ "properties": rate_bounds }));
    }
}

/// A `[[kpis]]` table may be another role's KPI (`from`), needing none of
/// an own KPI's keys; under `kpis_from`, a table may only change a taken
/// KPI (its `id` and the keys it changes).
fn shared_kpis(defs: &mut Map<String, Value>) {
    let mut required = json!([]);
    if let Some(kpi) = defs.get_mut("Kpi").and_then(Value::as_object_mut) {
        required = kpi.remove("required").unwrap_or(json!([]));
        if let Some(props) = kpi.get_mut("properties").and_then(Value::as_object_mut) {
            props.insert(
                "from".into(),
                json!({
                    "description": "Default none. Another role's KPI taken as it is, `\"<role>.<kpi>\"` (e.g. \"account_manager.revenue\"): it keeps its id, and the other keys of this table (e.g. `weight = 30`) change only what they write.",
                    "type": "string",
                    "pattern": "^[^.]+\\.[^.]+$"
                }),
            );
            if let Some(o) = props.get_mut("weight").and_then(Value::as_object_mut) {
                o.insert("minimum".into(), json!(0));
                o.insert("maximum".into(), json!(100));
            }
        }
    }
    if let Some(role) = defs.get_mut("Role").and_then(Value::as_object_mut) {
        role.insert("if".into(), json!({ "required": ["kpis_from"] }));
        role.insert(
            "else".into(),
            json!({
                "properties": {
                    "kpis": {
                        "items": {
                            "if": { "required": ["from"] },
                            "else": { "required": required }
                        }
                    }
                }
            }),
        );
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    #[test]
    fn the_schema_names_the_scheme_tables() {
        let v: serde_json::Value = serde_json::from_str(&super::json()).expect("json");
        let props = &v["properties"];
        for key in ["period", "roster", "sources", "roles", "grades", "limits"] {
            assert!(props.get(key).is_some(), "{key} missing");
        }
        assert_eq!(v["additionalProperties"], serde_json::Value::Bool(false));
    }

    // issue 19
    #[test]
    fn every_rule_type_is_a_branch_of_its_own() {
        let v = super::value();
        let rule = &v["$defs"]["Rule"];
        let kinds: Vec<&str> = rule["properties"]["type"]["enum"]
            .as_array()
            .expect("enum")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(
            kinds,
            [
                "ratio",
                "inverse",
                "piecewise",
                "bands",
                "matrix",
                "gate",
                "rank",
                "growth",
                "formula",
                "monitor"
            ]
        );
        assert!(rule.get("oneOf").is_none());
        let branches = rule["allOf"].as_array().expect("allOf");
        assert_eq!(branches.len(), kinds.len());
        let ratio = &branches[0]["then"];
        assert_eq!(ratio["properties"]["cap"]["maximum"], 10);
        assert_eq!(ratio["properties"]["cap"]["minimum"], -10);
        assert_eq!(ratio["additionalProperties"], false);
        assert!(ratio["description"].as_str().is_some());
    }
}
