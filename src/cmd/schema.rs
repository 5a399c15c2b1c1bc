//! `appraise schema`: the JSON Schema of the scheme file, generated from the
//! same serde types that read it, so it cannot drift from what `run` accepts.
//! kpi-configs/appraise.schema.json is this output, committed; editors with
//! taplo (Even Better TOML) pick it up from the scheme's `#:schema` line.

use crate::Result;
use crate::config::Scheme;

/// The schema as pretty-printed JSON, with a final newline.
pub fn json() -> String {
    let schema = schemars::schema_for!(Scheme);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

pub fn run() -> Result<()> {
    say!("{}", json());
    Ok(())
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
