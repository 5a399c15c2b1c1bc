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

/// issue 16: the scheme `appraise sample` writes is completed and checked by
/// an editor at once (the schema is beside it), and the commands in its
/// comments work from where it was written.
#[test]
fn a_written_sample_has_the_schema_beside_its_scheme_and_commands_that_work() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = common::appraise()
        .current_dir(tmp.path())
        .args(["sample", "--out", "branch", "--employees", "12"])
        .output()
        .expect("run appraise sample");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains(
            "next: appraise check branch/appraisal.toml && appraise run branch/appraisal.toml"
        ),
        "{said}"
    );
    let dir = tmp.path().join("branch");
    let scheme = std::fs::read_to_string(dir.join("appraisal.toml")).expect("scheme");
    assert_eq!(
        scheme.lines().next(),
        Some("#:schema ./appraise.schema.json")
    );
    let schema = std::fs::read_to_string(dir.join("appraise.schema.json")).expect("schema");
    let committed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/kpi-configs/appraise.schema.json"
    ))
    .expect("committed schema");
    assert_eq!(schema, committed);
    // Every command named in a comment is run as written, from where the
    // sample was written.
    let commands: Vec<&str> = scheme
        .lines()
        .filter_map(|l| l.trim_start_matches('#').trim().strip_prefix("appraise "))
        .collect();
    assert!(!commands.is_empty(), "the scheme names no command");
    for command in commands {
        let args: Vec<&str> = command.split_whitespace().collect();
        let ran = common::appraise()
            .current_dir(tmp.path())
            .args(&args)
            .output()
            .expect("run the command");
        assert_eq!(ran.status.code(), Some(0), "`appraise {command}`: {ran:?}");
    }
}

/// The committed sample (samples/2024Q3) is what the tool writes, byte for byte.
#[test]
fn the_committed_sample_is_what_appraise_sample_writes() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = common::appraise()
        .current_dir(tmp.path())
        .args(["sample", "--out", "samples/2024Q3"])
        .output()
        .expect("run appraise sample");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    common::assert_same_files(
        &tmp.path().join("samples/2024Q3"),
        &common::root().join("samples/2024Q3"),
        "run `rm -r samples/2024Q3 && cargo run -- sample --out samples/2024Q3`",
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

// issue 16
#[test]
fn the_sample_says_what_it_wrote_and_what_to_do_next_in_chinese() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = common::appraise()
        .current_dir(tmp.path())
        .args([
            "--lang",
            "zh",
            "sample",
            "--out",
            "branch",
            "--employees",
            "12",
        ])
        .output()
        .expect("run appraise sample");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.starts_with("已写出 branch：客户经理 "), "{said}");
    assert!(
        said.contains(
            "下一步：appraise check branch/appraisal.toml && appraise run branch/appraisal.toml"
        ),
        "{said}"
    );
    assert!(!said.contains("wrote") && !said.contains("next:"), "{said}");
}

/// The JSON of a TOML scheme, for a JSON Schema validator.
fn toml_as_json(text: &str) -> serde_json::Value {
    fn conv(v: toml::Value) -> serde_json::Value {
        use serde_json::Value as J;
        match v {
            toml::Value::String(s) => J::String(s),
            toml::Value::Integer(i) => J::from(i),
            toml::Value::Float(f) => J::from(f),
            toml::Value::Boolean(b) => J::Bool(b),
            // A date is a string to JSON, as editors with taplo show it.
            toml::Value::Datetime(d) => J::String(d.to_string()),
            toml::Value::Array(a) => J::Array(a.into_iter().map(conv).collect()),
            toml::Value::Table(t) => J::Object(t.into_iter().map(|(k, v)| (k, conv(v))).collect()),
        }
    }
    conv(toml::from_str(text).expect("toml"))
}

/// What python's `jsonschema` (a real JSON Schema validator, 2020-12) says
/// of each document against the schema `appraise schema` prints: its best
/// error's message, or "ok".
fn validate(docs: &[serde_json::Value]) -> Vec<String> {
    let tmp = tempfile::tempdir().expect("tempdir");
    let schema = common::appraise().arg("schema").output().expect("schema");
    std::fs::write(tmp.path().join("schema.json"), &schema.stdout).expect("write");
    std::fs::write(
        tmp.path().join("docs.json"),
        serde_json::to_string(docs).expect("docs"),
    )
    .expect("write");
    let script = r#"
import json, sys
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match
schema = json.load(open("schema.json"))
v = Draft202012Validator(schema)
for doc in json.load(open("docs.json")):
    e = best_match(v.iter_errors(doc))
    print("ok" if e is None else e.message)
"#;
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .current_dir(tmp.path())
        .output()
        .expect("this test needs python3 with the jsonschema package (pip install jsonschema)");
    assert!(
        out.status.success(),
        "python3 jsonschema: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

// issue 19
#[test]
fn an_editor_says_what_is_wrong_with_a_rule_not_that_no_schema_matched() {
    let base = common::SCHEME;
    let docs: Vec<serde_json::Value> = [
        base.to_string(),
        base.replacen("cap = 1.2", "cap = 120", 1),
        base.replacen("cap = 1.2", "cpa = 1.2", 1),
        base.replacen("weight = 60", "weight = \"60%\"", 1),
        base.replacen("{ to = 10, score = 0.5 }", "{ to = 10, score = 50 }", 1),
        // Bounds on the actual itself (`on = "value"`) may be any number.
        base.replacen("{ to = 10, score = 0.5 }", "{ to = 1000, score = 0.5 }", 1),
        base.replacen("type = \"ratio\"", "type = \"ratoi\"", 1),
        base.replacen(
            "[grades]",
            "[roles.tl]\nname = \"班组长\"\nroster_value = \"班组长\"\nkpis_from = \"am\"\n[[roles.tl.kpis]]\nid = \"visits\"\nweight = 40\n\n[roles.tl2]\nname = \"x\"\nroster_value = \"x\"\n[[roles.tl2.kpis]]\nfrom = \"am.revenue\"\nweight = 100\n\n[grades]",
            1,
        ),
        base.replacen("name = \"收入完成率\"\n", "", 1),
        std::fs::read_to_string(common::root().join("kpi-configs/hefei-2024q3.toml"))
            .expect("the committed scheme"),
    ]
    .iter()
    .map(|t| toml_as_json(t))
    .collect();
    let said = validate(&docs);
    assert_eq!(said.len(), docs.len(), "{said:#?}");
    assert_eq!(said[0], "ok");
    assert_eq!(said[1], "120 is greater than the maximum of 10");
    assert!(said[2].contains("'cpa' was unexpected"), "{}", said[2]);
    assert!(said[3].contains("'60%' does not match"), "{}", said[3]);
    assert_eq!(said[4], "50 is greater than the maximum of 10");
    assert_eq!(said[5], "ok");
    assert!(said[6].contains("'ratoi' is not one of"), "{}", said[6]);
    assert_eq!(said[7], "ok");
    assert_eq!(said[8], "'name' is a required property");
    assert_eq!(said[9], "ok", "the committed scheme");
}

// issue 19
#[test]
fn every_key_of_every_rule_says_its_default() {
    let out = common::appraise().arg("schema").output().expect("schema");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let branches = v["$defs"]["Rule"]["allOf"].as_array().expect("allOf");
    assert_eq!(branches.len(), 10);
    for b in branches {
        let then = &b["then"];
        let kind = then["properties"]["type"]["const"].as_str().expect("kind");
        assert!(then["description"].is_string(), "{kind} has no description");
        for (key, p) in then["properties"].as_object().expect("props") {
            if key == "type" {
                continue;
            }
            let d = p["description"].as_str().unwrap_or("");
            assert!(
                d.starts_with("Default") || d.starts_with("Required") || d.contains("default"),
                "{kind}.{key}: {d:?}"
            );
        }
    }
}
