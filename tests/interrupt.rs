//! Nothing lost (issue 5): a run stopped by SIGTERM or SIGINT while it is
//! writing leaves no output directory and no hidden staging directory, and
//! an earlier run in the output directory survives a `--force` run that is
//! stopped. The signal is sent once the staging directory exists, so the
//! test does not depend on timing.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_appraise"))
}

fn partials(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("ls")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.contains(".partial-"))
        .collect()
}

/// Start `run` into `out`, wait for its staging directory, send `signal`.
fn interrupted_run(dir: &Path, out: &str, signal: &str, force: bool) -> Option<i32> {
    let mut args = vec!["run", "branch/appraisal.toml", "--out", out];
    if force {
        args.push("--force");
    }
    let mut child = bin()
        .args(&args)
        .current_dir(dir)
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let started = Instant::now();
    loop {
        if !partials(dir).is_empty() {
            break;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the run ended before it could be interrupted: {status}");
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no staging directory"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    let killed = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let status = child.wait().expect("wait");
    status.code()
}

fn sample(dir: &Path) {
    let o = bin()
        .args(["sample", "--out", "branch", "--employees", "400"])
        .current_dir(dir)
        .output()
        .expect("sample");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn sigterm_leaves_no_partial_output() {
    let tmp = tempfile::tempdir().expect("tempdir");
    sample(tmp.path());
    let code = interrupted_run(tmp.path(), "out", "-TERM", false);
    assert_eq!(code, Some(130));
    assert!(!tmp.path().join("out").exists(), "partial output left");
    assert_eq!(partials(tmp.path()), Vec::<String>::new());
}

#[test]
fn sigint_keeps_the_earlier_run() {
    let tmp = tempfile::tempdir().expect("tempdir");
    sample(tmp.path());
    let first = bin()
        .args(["run", "branch/appraisal.toml", "--out", "out"])
        .current_dir(tmp.path())
        .output()
        .expect("run");
    assert!(first.status.success());
    let before = std::fs::read(tmp.path().join("out/summary.xlsx")).expect("summary");
    let code = interrupted_run(tmp.path(), "out", "-INT", true);
    assert_eq!(code, Some(130));
    assert_eq!(
        std::fs::read(tmp.path().join("out/summary.xlsx")).expect("summary"),
        before,
        "the earlier run was changed"
    );
    assert_eq!(partials(tmp.path()), Vec::<String>::new());
}
