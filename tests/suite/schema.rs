//! The committed JSON Schema is exactly what `appraise schema` prints, so
//! the editor's completion can never drift from the scheme types (issue 5).

use crate::common;
#[test]
fn committed_schema_matches_appraise_schema() {
    let out = common::appraise()
        .arg("schema")
        .output()
        .expect("run appraise schema");
    assert_eq!(out.status.code(), Some(0));
    let printed = String::from_utf8(out.stdout).expect("utf-8");
    let committed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/kpi-configs/appraise.schema.json"
    ))
    .expect("kpi-configs/appraise.schema.json");
    assert!(
        printed == committed,
        "kpi-configs/appraise.schema.json is stale: run `cargo run -- schema > kpi-configs/appraise.schema.json`"
    );
}

#[test]
fn the_sample_scheme_points_editors_at_the_schema() {
    let scheme = std::fs::read_to_string(common::SAMPLE_SCHEME).expect("scheme");
    assert_eq!(
        scheme.lines().next(),
        Some("#:schema ./appraise.schema.json")
    );
}

// Issue 16: the scheme may state its language; the schema shows the key and
// its two values, so an editor completes and checks it.
#[test]
fn the_schema_shows_the_language_key() {
    let out = common::appraise()
        .arg("schema")
        .output()
        .expect("run appraise schema");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let lang = &v["properties"]["lang"];
    assert!(
        lang["description"]
            .as_str()
            .is_some_and(|d| d.contains("\"zh\"") && d.contains("--lang")),
        "{lang}"
    );
    let values: Vec<&str> = v["$defs"]["Lang"]["oneOf"]
        .as_array()
        .expect("Lang is one of its values")
        .iter()
        .filter_map(|o| o["const"].as_str())
        .collect();
    assert_eq!(values, ["zh", "en"]);
}
