//! Inputs are read from disk as they are needed, never held whole: the
//! file is hashed as it is read, refused when it is not a regular file or
//! too large, and the manifest's sha256 is that of every byte of it.

use crate::common::*;
use sha2::{Digest, Sha256};

#[test]
fn a_directory_in_place_of_a_workbook_is_refused() {
    let w = Workdir::new();
    std::fs::remove_file(w.path("data.xlsx")).expect("rm");
    std::fs::create_dir(w.path("data.xlsx")).expect("mkdir");
    let [check, run] = both_fail(&w, 65);
    for lines in [check, run] {
        assert_eq!(
            lines.first().map(String::as_str),
            Some("data.xlsx: this is not a file (a directory or a device?)"),
            "{lines:#?}"
        );
    }
}

#[test]
fn a_file_above_the_unpacked_limit_is_refused_before_it_is_inspected() {
    let w = Workdir::new();
    w.scheme(&format!("{SCHEME}\n[limits]\nmax_unpacked_mib = 1\n"));
    // Not a workbook at all: the size is what is refused, first.
    w.bytes("data.xlsx", &vec![b'x'; 1024 * 1024 + 1]);
    let [check, run] = both_fail(&w, 65);
    for lines in [check, run] {
        assert_eq!(
            lines.first().map(String::as_str),
            Some("data.xlsx: the file is larger than 1 MiB"),
            "{lines:#?}"
        );
    }
}

#[test]
fn the_manifest_hashes_every_byte_of_each_input() {
    let w = Workdir::new();
    let o = w.run(&["run", "appraisal.toml", "--out", "out", "--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let manifest: serde_json::Value =
        serde_json::from_slice(&w.read("out/manifest.json")).expect("manifest");
    let inputs = manifest["inputs"].as_array().expect("inputs");
    assert_eq!(inputs.len(), 3);
    for i in inputs {
        let path = i["path"].as_str().expect("path");
        let name = path.rsplit('/').next().expect("name");
        let want: String = Sha256::digest(w.read(name))
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(i["sha256"].as_str(), Some(want.as_str()), "{path}");
    }
}

/// The roster's workbook may also hold a source's sheet: it is read once,
/// listed once in the manifest with both sheets, and scores as when the two
/// sheets are in files of their own.
#[test]
fn the_roster_and_a_source_may_share_a_workbook() {
    let apart = Workdir::new();
    let together = Workdir::new();
    write_book(
        &together.path("roster.xlsx"),
        &[("花名册", &roster()), ("指标", &data())],
    );
    std::fs::remove_file(together.path("data.xlsx")).expect("rm");
    together.edit("file = \"data.xlsx\"", "file = \"roster.xlsx\"");
    let mut summaries = Vec::new();
    for w in [&apart, &together] {
        let o = w.run(&["run", "appraisal.toml", "--out", "out", "--quiet"]);
        assert!(o.status.success(), "{}", stderr(&o));
        summaries.push(w.sheet("out/summary.xlsx", "汇总"));
    }
    assert_eq!(summaries[0], summaries[1]);
    assert!(summaries[1].len() > 1, "nobody was scored");
    let manifest: serde_json::Value =
        serde_json::from_slice(&together.read("out/manifest.json")).expect("manifest");
    let inputs = manifest["inputs"].as_array().expect("inputs");
    let listed: Vec<(&str, Vec<&str>)> = inputs
        .iter()
        .map(|i| {
            let sheets = i["sheets"].as_array().expect("sheets");
            (
                i["path"].as_str().expect("path"),
                sheets.iter().filter_map(|s| s.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        [
            ("events.xlsx", vec!["事件"]),
            ("roster.xlsx", vec!["花名册", "指标"]),
        ]
    );
}
