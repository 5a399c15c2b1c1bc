//! The JSON Schema of the scheme file, generated from the same serde types
//! that read it, so it cannot drift from what `run` accepts. `appraise schema`
//! prints it, `appraise sample` writes it beside the sample's scheme, and
//! kpi-configs/appraise.schema.json is it, committed; editors with taplo
//! (Even Better TOML) pick it up from a scheme's `#:schema` line.

use super::Scheme;

/// The file name the `#:schema` line of a written scheme points at.
pub const FILE_NAME: &str = "appraise.schema.json";

/// The schema as pretty-printed JSON, with a final newline.
pub fn json() -> String {
    let schema = schemars::schema_for!(Scheme);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_schema_names_the_scheme_tables() {
        let v: serde_json::Value = serde_json::from_str(&super::json()).expect("json");
        let props = &v["properties"];
        for key in ["period", "roster", "sources", "roles", "grades", "limits"] {
            assert!(props.get(key).is_some(), "{key} missing");
        }
        assert_eq!(v["additionalProperties"], serde_json::Value::Bool(false));
    }
}
