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
