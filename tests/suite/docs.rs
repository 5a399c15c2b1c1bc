//! Every ```console example in README.md and docs/*.md is run (issue 17): a
//! changed output fails this test instead of leaving the docs wrong.
//!
//! Each markdown file runs in a scratch directory of its own holding copies
//! of `kpi-configs/` and `samples/` (so the examples read exactly as a user
//! types them on a fresh clone), plus two schemes derived from the committed
//! one for the examples of error messages: `kpi-configs/broken.toml` (two
//! mistakes) and `kpi-configs/wrong-header.toml` (a column the workbook heads
//! otherwise); `kpi-configs/product-mistakes.toml`, the guide's example
//! with three mistakes managers make, and `kpi-configs/product-draft.toml`,
//! the same with five points moved (the guide's `whatif`). The steps of one file share that directory, in order. Long
//! commands (the 100,000-employee scale) are written as ```text or ```sh
//! blocks, which are not run.
//! trycmd's `[..]` matches the rest of a line and `...` any lines (times,
//! absolute paths); everything deterministic (run ids, digests) is literal.

use std::path::{Path, PathBuf};

/// The committed scheme with two mistakes: a misspelt metric in a formula
/// and the revenue KPI's weight lowered, so that the role's weights no
/// longer add up to 100.
fn broken_scheme(root: &Path) -> String {
    let good = std::fs::read_to_string(root.join("kpi-configs/hefei-2024q3.toml"))
        .expect("kpi-configs/hefei-2024q3.toml is committed");
    let typo = good.replacen(
        "revenue_rate = { formula = \"revenue / revenue_target\" }",
        "revenue_rate = { formula = \"revenue / revenue_targt\" }",
        1,
    );
    assert_ne!(
        typo, good,
        "the docs' broken scheme: the formula of revenue_rate moved"
    );
    let kpi = "id = \"revenue\"\nname = \"集团收入完成率\"\nweight = 15";
    let broken = typo.replacen(
        kpi,
        "id = \"revenue\"\nname = \"集团收入完成率\"\nweight = 10",
        1,
    );
    assert_ne!(
        broken, typo,
        "the docs' broken scheme: the revenue KPI moved"
    );
    broken
}

/// The committed scheme looking for a column `集团收入` that boss.xlsx
/// heads `集团收入(万元)`: a mistake in the data as the run reports it.
fn wrong_header(root: &Path) -> String {
    let good = std::fs::read_to_string(root.join("kpi-configs/hefei-2024q3.toml"))
        .expect("kpi-configs/hefei-2024q3.toml is committed");
    let wrong = good.replacen(
        "revenue = { header = \"集团收入(万元)\"",
        "revenue = { header = \"集团收入\"",
        1,
    );
    assert_ne!(
        wrong, good,
        "the docs' wrong header: the revenue column moved"
    );
    wrong
}

/// The manager's guide's example scheme with three mistakes managers make
/// (docs/guide.md §9): a cap written as a percentage number, a date
/// compared with a number in a row condition, and a misspelt column in a
/// `where` table.
fn product_mistakes(root: &Path) -> String {
    let good = std::fs::read_to_string(root.join("kpi-configs/product-2024q3.toml"))
        .expect("kpi-configs/product-2024q3.toml is committed");
    let mut wrong = good.clone();
    for (from, to) in [
        (
            r#"rule = { type = "ratio", floor = 0, cap = "120%" }"#,
            r#"rule = { type = "ratio", floor = 0, cap = 120 }"#,
        ),
        (
            r#"where = "answered - requested <= 3" }"#,
            r#"where = "answered - requested <= 3 and requested >= 20240801" }"#,
        ),
        (
            r#"where = { level = "一般" }"#,
            r#"where = { levle = "一般" }"#,
        ),
    ] {
        let before = wrong.clone();
        wrong = wrong.replacen(from, to, 1);
        assert_ne!(wrong, before, "the guide's mistakes: `{from}` moved");
    }
    wrong
}

/// The guide's example with five points moved from training to the answer
/// rate: the draft of the guide's `whatif` example (docs/guide.md §10).
fn product_draft(root: &Path) -> String {
    let good = std::fs::read_to_string(root.join("kpi-configs/product-2024q3.toml"))
        .expect("kpi-configs/product-2024q3.toml is committed");
    let mut draft = good.clone();
    for (from, to) in [
        (
            "weight = 20\nmetric = \"answer_rate\"",
            "weight = 25\nmetric = \"answer_rate\"",
        ),
        (
            "weight = 15\nmetric = \"trainings\"",
            "weight = 10\nmetric = \"trainings\"",
        ),
    ] {
        let before = draft.clone();
        draft = draft.replacen(from, to, 1);
        assert_ne!(draft, before, "the guide's draft: `{from}` moved");
    }
    draft
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("scratch directory");
    for entry in std::fs::read_dir(from).expect("readable directory") {
        let entry = entry.expect("directory entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Lays out `scratch/NAME.md` and its working directory `scratch/NAME.in/`
/// (trycmd runs a markdown file's commands in the `.in` directory beside it).
fn stage(root: &Path, scratch: &Path, doc: &Path) -> PathBuf {
    let name = doc
        .strip_prefix(root)
        .expect("a file of the repository")
        .to_string_lossy()
        .replace('/', "-");
    let md = scratch.join(&name);
    std::fs::copy(doc, &md).expect("copy the markdown file");
    let dir = md.with_extension("in");
    copy_dir(&root.join("kpi-configs"), &dir.join("kpi-configs"));
    copy_dir(&root.join("samples"), &dir.join("samples"));
    std::fs::write(dir.join("kpi-configs/broken.toml"), broken_scheme(root)).expect("write");
    std::fs::write(
        dir.join("kpi-configs/wrong-header.toml"),
        wrong_header(root),
    )
    .expect("write");
    std::fs::write(
        dir.join("kpi-configs/product-mistakes.toml"),
        product_mistakes(root),
    )
    .expect("write");
    std::fs::write(
        dir.join("kpi-configs/product-draft.toml"),
        product_draft(root),
    )
    .expect("write");
    md
}

#[test]
fn every_console_example_in_the_readme_and_docs_is_what_appraise_prints() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scratch = tempfile::tempdir().expect("temporary directory");
    let mut docs = vec![root.join("README.md")];
    let mut pages: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .expect("docs/ is committed")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    pages.sort();
    docs.extend(pages);
    let cases = trycmd::TestCases::new();
    cases.register_bin("appraise", PathBuf::from(env!("CARGO_BIN_EXE_appraise")));
    // The examples are shown as in an English locale; the pages say so, and
    // show the Chinese messages with `--lang zh` (issue 16).
    cases.env("LC_ALL", "en_US.UTF-8");
    for doc in &docs {
        cases.case(stage(root, scratch.path(), doc));
    }
    // Runs the cases here, while the scratch directory still exists.
    cases.run();
}
