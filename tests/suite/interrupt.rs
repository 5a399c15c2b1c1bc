//! Nothing lost (issue 5): a run stopped by SIGTERM or SIGINT while it is
//! writing leaves no output directory and no hidden staging directory, and
//! an earlier run in the output directory survives a `--force` run that is
//! stopped. The signal is sent once the staging directory exists, so the
//! test does not depend on timing.

use crate::common::{appraise as bin, stderr};

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

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

fn run_into(dir: &Path, scheme: &str, out: &str, force: bool) -> std::process::Output {
    let mut args = vec!["run", scheme, "--out", out];
    if force {
        args.push("--force");
    }
    bin().args(&args).current_dir(dir).output().expect("run")
}

/// A process that has ended, for a pid that no longer runs.
fn dead_pid() -> u32 {
    let mut c = Command::new("true").spawn().expect("spawn true");
    let pid = c.id();
    c.wait().expect("wait");
    pid
}

// issue 15: `sample --out s && run s/appraisal.toml --out s --force` deleted
// the scheme and every input.
#[test]
fn a_forced_run_refuses_the_directory_holding_the_scheme() {
    let tmp = tempfile::tempdir().expect("tempdir");
    sample(tmp.path());
    std::os::unix::fs::symlink("branch", tmp.path().join("link")).expect("symlink");
    for out in ["branch", "branch/../branch", "link", "."] {
        let o = run_into(tmp.path(), "branch/appraisal.toml", out, true);
        assert_eq!(o.status.code(), Some(2), "{out}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("--force would delete the scheme"),
            "{out}: {}",
            stderr(&o)
        );
    }
    for f in [
        "appraisal.toml",
        "roster.xlsx",
        "boss.xlsx",
        "overrides.xlsx",
    ] {
        assert!(
            tmp.path().join("branch").join(f).exists(),
            "{f} was deleted"
        );
    }
    assert_eq!(partials(tmp.path()), Vec::<String>::new());
    assert_eq!(partials(&tmp.path().join("branch")), Vec::<String>::new());
}

// issue 15: the scheme's appeals workbook put in the run directory (what the
// summary's 说明 sheet used to say) was lost on the re-run.
#[test]
fn a_forced_run_refuses_a_directory_holding_the_appeals_workbook() {
    let tmp = tempfile::tempdir().expect("tempdir");
    sample(tmp.path());
    let first = run_into(tmp.path(), "branch/appraisal.toml", "out", false);
    assert!(first.status.success(), "{}", stderr(&first));
    std::fs::write(
        tmp.path().join("out/feedback-summary.xlsx"),
        "HR's decisions",
    )
    .expect("write");
    let scheme = tmp.path().join("branch/appraisal.toml");
    let text = std::fs::read_to_string(&scheme).expect("scheme");
    let text = text.replace(
        "comments = { file",
        "appeals = \"../out/feedback-summary.xlsx\"\ncomments = { file",
    );
    std::fs::write(&scheme, text).expect("write");
    let o = run_into(tmp.path(), "branch/appraisal.toml", "out", true);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("would delete `feedback.appeals`"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read(tmp.path().join("out/feedback-summary.xlsx")).expect("kept"),
        b"HR's decisions"
    );
}

// issue 15: --force replaces an earlier run, and nothing that is not one.
#[test]
fn a_forced_run_replaces_only_an_earlier_run() {
    let tmp = tempfile::tempdir().expect("tempdir");
    sample(tmp.path());
    std::fs::create_dir(tmp.path().join("mine")).expect("mkdir");
    std::fs::write(tmp.path().join("mine/notes.txt"), "mine").expect("write");
    let o = run_into(tmp.path(), "branch/appraisal.toml", "mine", true);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("no manifest.json"), "{}", stderr(&o));
    assert!(tmp.path().join("mine/notes.txt").exists());
    let first = run_into(tmp.path(), "branch/appraisal.toml", "out", false);
    assert!(first.status.success(), "{}", stderr(&first));
    std::fs::write(tmp.path().join("out/notes.txt"), "mine").expect("write");
    let o = run_into(tmp.path(), "branch/appraisal.toml", "out", true);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("notes.txt"), "{}", stderr(&o));
    std::fs::remove_file(tmp.path().join("out/notes.txt")).expect("rm");
    let o = run_into(tmp.path(), "branch/appraisal.toml", "out", true);
    assert!(o.status.success(), "{}", stderr(&o));
}

// issue 15: --force looked only at the top of the run directory: an
// employee's answered copy that HR saved into feedback/<team>/, or a
// feedback workbook answered in place, was deleted with the old run.
#[test]
fn a_forced_run_refuses_an_answer_saved_into_the_feedback_folder() {
    let tmp = tempfile::tempdir().expect("tempdir");
    sample(tmp.path());
    let first = run_into(tmp.path(), "branch/appraisal.toml", "out", false);
    assert!(first.status.success(), "{}", stderr(&first));
    let team = std::fs::read_dir(tmp.path().join("out/feedback"))
        .expect("ls")
        .flatten()
        .next()
        .expect("a team folder")
        .path();
    let mine = std::fs::read_dir(&team)
        .expect("ls")
        .flatten()
        .next()
        .expect("a workbook")
        .path();
    let copy = team.join("answered (1).xlsx");
    std::fs::copy(&mine, &copy).expect("copy");
    let o = run_into(tmp.path(), "branch/appraisal.toml", "out", true);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("answered (1).xlsx (not written by the run)"),
        "{}",
        stderr(&o)
    );
    assert!(copy.exists());
    std::fs::remove_file(&copy).expect("rm");
    // Answered in place: the bytes are no longer those the run wrote.
    let mut bytes = std::fs::read(&mine).expect("read");
    bytes.extend_from_slice(b"answer");
    std::fs::write(&mine, &bytes).expect("write");
    let o = run_into(tmp.path(), "branch/appraisal.toml", "out", true);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("(changed since the run wrote it)"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read(&mine).expect("read"), bytes);
    // An unchanged earlier run is replaced.
    let again = run_into(tmp.path(), "branch/appraisal.toml", "again", false);
    assert!(again.status.success(), "{}", stderr(&again));
    let o = run_into(tmp.path(), "branch/appraisal.toml", "again", true);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// Start `run` into `out` and wait until its staging directory exists.
fn started_run(dir: &Path, out: &str) -> std::process::Child {
    let before = partials(dir);
    let mut child = bin()
        .args(["run", "branch/appraisal.toml", "--out", out])
        .current_dir(dir)
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let started = Instant::now();
    while partials(dir).len() <= before.len() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the run ended before its staging directory was seen: {status}");
        }
        assert!(started.elapsed() < Duration::from_secs(60), "no staging");
        std::thread::sleep(Duration::from_millis(1));
    }
    child
}

// issue 15: two runs into one --out at once both exited 0, and the second
// silently replaced the first.
#[test]
fn the_second_of_two_runs_at_once_does_not_replace_the_first() {
    let tmp = tempfile::tempdir().expect("tempdir");
    sample(tmp.path());
    let a = started_run(tmp.path(), "out");
    let b = started_run(tmp.path(), "out");
    let a = a.wait_with_output().expect("wait");
    let b = b.wait_with_output().expect("wait");
    let codes = [a.status.code(), b.status.code()];
    assert!(
        codes == [Some(0), Some(2)] || codes == [Some(2), Some(0)],
        "{codes:?}\n{}\n{}",
        stderr(&a),
        stderr(&b)
    );
    let (won, lost) = if codes[0] == Some(0) {
        (&a, &b)
    } else {
        (&b, &a)
    };
    assert!(
        stderr(lost).contains("written by another process"),
        "{}",
        stderr(lost)
    );
    let manifest = std::fs::read_to_string(tmp.path().join("out/manifest.json")).expect("m");
    let run_id = stderr(won)
        .split(", run ")
        .nth(1)
        .and_then(|s| s.split(',').next())
        .expect("run id")
        .to_string();
    assert!(
        manifest.contains(&run_id),
        "the first run's output was replaced"
    );
    assert_eq!(partials(tmp.path()), Vec::<String>::new());
}

// issue 15: a run killed with SIGKILL leaves its staging directory; the next
// run into the same place removes it and says so.
#[test]
fn the_next_run_removes_the_staging_of_a_killed_run() {
    let tmp = tempfile::tempdir().expect("tempdir");
    sample(tmp.path());
    let mut child = started_run(tmp.path(), "out");
    let pid = child.id();
    let killed = Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    child.wait().expect("wait");
    let left = partials(tmp.path());
    assert_eq!(left, vec![format!(".out.partial-{pid}")]);
    let o = run_into(tmp.path(), "branch/appraisal.toml", "out", false);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!(
            "removed ./.out.partial-{pid}, left by an interrupted run (process {pid} is no longer running)"
        )),
        "{}",
        stderr(&o)
    );
    assert_eq!(partials(tmp.path()), Vec::<String>::new());
}

// issue 15: an earlier run that a killed --force run had moved aside is put
// back by the next run into the same place.
#[test]
fn the_next_run_puts_back_an_earlier_run_a_killed_run_moved_aside() {
    let tmp = tempfile::tempdir().expect("tempdir");
    sample(tmp.path());
    let first = run_into(tmp.path(), "branch/appraisal.toml", "out", false);
    assert!(first.status.success(), "{}", stderr(&first));
    let before = std::fs::read(tmp.path().join("out/summary.xlsx")).expect("summary");
    let aside = format!(".out.old-{}", dead_pid());
    std::fs::rename(tmp.path().join("out"), tmp.path().join(&aside)).expect("mv");
    let o = run_into(tmp.path(), "branch/appraisal.toml", "out", false);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("put out back"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(tmp.path().join("out/summary.xlsx")).expect("summary"),
        before
    );
    assert!(!tmp.path().join(&aside).exists());
}
