//! Nothing half-done, nothing lost: every command that writes files writes
//! them into a hidden sibling of the output directory and renames it into
//! place at the end. A failed or interrupted run leaves no output; an earlier
//! run is replaced only with `--force`, only if it is an earlier run of
//! appraise (its `manifest.json` and nothing a run does not write), never if
//! it holds the scheme or a workbook the scheme reads, and only once the new
//! one is complete. The final rename never replaces what another process put
//! in place meanwhile. What a killed run left behind is cleaned up, or
//! reported, by the next run into the same place.

mod kept;

use crate::error::{Error, Result};
use crate::t;
pub use kept::{Kept, resolved, scheme_files};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// What `run` writes at the top of its output directory. `--force` replaces
/// a directory only if it holds a `manifest.json` of appraise and nothing
/// but these.
pub const RUN_ENTRIES: &[&str] = &[
    "manifest.json",
    "summary.xlsx",
    crate::history::SCORES_FILE,
    "feedback",
    "team",
];

/// Staging directories of this process (staging, target, moved-aside old
/// output), removed on SIGINT/SIGTERM. `commit` holds the lock while it
/// renames, so an interrupt sees either the old output or the new one, never
/// a half-swapped pair.
static LIVE: Mutex<Vec<(PathBuf, PathBuf, PathBuf)>> = Mutex::new(Vec::new());

/// Remove every staging directory still open, and put back an earlier
/// output that a commit had moved aside (called on interrupt).
pub fn remove_all_staging() {
    let live = match LIVE.lock() {
        Ok(l) => l,
        Err(poisoned) => poisoned.into_inner(),
    };
    clean(&live);
}

fn clean(live: &[(PathBuf, PathBuf, PathBuf)]) {
    for (tmp, target, old) in live {
        // A writer may create a file while the directory is being removed;
        // once the directory is gone, nothing more can be created in it.
        for _ in 0..5 {
            if !tmp.exists() || std::fs::remove_dir_all(tmp).is_ok() {
                break;
            }
        }
        if old.exists() {
            if target.exists() {
                let _ = std::fs::remove_dir_all(old);
            } else {
                let _ = std::fs::rename(old, target);
            }
        }
    }
}

/// On SIGINT, SIGTERM or SIGHUP: remove what is half-written and exit 130.
/// The lock is held until the process has exited, so no commit can start.
pub fn handle_interrupts() {
    let _ = ctrlc::set_handler(|| {
        let live = match LIVE.lock() {
            Ok(l) => l,
            Err(poisoned) => poisoned.into_inner(),
        };
        clean(&live);
        if live.is_empty() {
            note!("{}", crate::lang::Text::new("已中断", "interrupted"));
        } else {
            note!(
                "{}",
                crate::lang::Text::new(
                    "已中断：未写完的输出已删除",
                    "interrupted: the unfinished output was removed",
                )
            );
        }
        std::process::exit(crate::error::exit::INTERRUPTED);
    });
}

/// An output directory being written, in a hidden sibling until
/// [`StagedOutput::commit`] renames it into place.
#[derive(Debug)]
pub struct StagedOutput {
    tmp: PathBuf,
    target: PathBuf,
    /// Where an earlier output is moved while the new one takes its place.
    old: PathBuf,
    force: bool,
    keep: Vec<Kept>,
    command: String,
    done: bool,
}

impl StagedOutput {
    /// Start writing `target`, which must be absent or empty (`sample`,
    /// which never replaces anything).
    pub fn begin(target: &Path, force: bool, command: &str) -> Result<StagedOutput> {
        StagedOutput::begin_keeping(target, force, command, Vec::new())
    }

    /// Start writing `target`. It must be absent or empty, unless `force`;
    /// then it must be an earlier run (see [`replaceable`]) that holds none
    /// of `keep`.
    pub fn begin_keeping(
        target: &Path,
        force: bool,
        command: &str,
        keep: Vec<Kept>,
    ) -> Result<StagedOutput> {
        sweep(target, command);
        if target.exists() {
            if !target.is_dir() {
                let target = target.display();
                return Err(Error::Usage(t!(
                    "{command}：{target} 已存在且不是目录；请换一个 --out",
                    "{command}: {target} exists and is not a directory; choose another --out"
                )));
            }
            let empty = std::fs::read_dir(target)
                .map_err(|e| Error::io(target, e))?
                .next()
                .is_none();
            if !empty && !force {
                // `sample` never replaces a directory, so it has no --force to suggest.
                let what = if command == "sample" {
                    t!(
                        "不是空目录；请换一个 --out，或先删除它",
                        "is not empty; choose another --out, or delete it first"
                    )
                } else {
                    t!(
                        "中已有上一次运行的结果；请换一个 --out，或加 --force 替换它",
                        "already holds an earlier run; choose another --out, or pass --force to replace it"
                    )
                };
                let target = target.display();
                let (zh, en) = (&what.zh, &what.en);
                return Err(Error::Usage(t!(
                    "{command}：{target} {zh}",
                    "{command}: {target} {en}"
                )));
            }
            if !empty {
                replaceable(target, &keep, command)?;
            }
        }
        let name = target.file_name().ok_or_else(|| {
            let target = target.display();
            Error::Usage(t!(
                "{command}：{target} 不是一个目录名",
                "{command}: {target} does not name a directory"
            ))
        })?;
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(|e| cannot_create(command, &parent, e))?;
        let pid = std::process::id();
        let hidden = |what: &str| {
            let mut n = std::ffi::OsString::from(".");
            n.push(name);
            n.push(format!(".{what}-{pid}"));
            parent.join(n)
        };
        let tmp = hidden("partial");
        let old = hidden("old");
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp).map_err(|e| Error::io(&tmp, e))?;
        }
        // Registered and created under the lock, so that an interrupt either
        // comes before both or finds the directory to remove.
        let mut live = match LIVE.lock() {
            Ok(l) => l,
            Err(poisoned) => poisoned.into_inner(),
        };
        std::fs::create_dir(&tmp).map_err(|e| cannot_create(command, &parent, e))?;
        live.push((tmp.clone(), target.to_path_buf(), old.clone()));
        drop(live);
        Ok(StagedOutput {
            tmp,
            target: target.to_path_buf(),
            old,
            force,
            keep,
            command: command.to_string(),
            done: false,
        })
    }

    /// Where to write the files.
    pub fn path(&self) -> &Path {
        &self.tmp
    }

    /// The final directory.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Move the finished output into place. What is at the target now is
    /// checked again: an empty directory is taken; an earlier run is
    /// replaced only with `--force` and only if it still passes
    /// [`replaceable`]; anything else (another run that finished first) is
    /// left as it is and this output is discarded (exit 2).
    pub fn commit(mut self) -> Result<PathBuf> {
        let live = match LIVE.lock() {
            Ok(l) => l,
            Err(poisoned) => poisoned.into_inner(),
        };
        let command = self.command.as_str();
        let taken = || {
            let target = self.target.display();
            Error::Usage(t!(
                "{command}：本次运行期间另一个进程写入了 {target}；它保持原样，本次运行的输出已丢弃；\
                 请加 --force 再运行以替换它，或换一个 --out",
                "{command}: {target} was written by another process while this run was working; \
                 it was left as it is and this run's output was discarded; \
                 run again with --force to replace it, or choose another --out"
            ))
        };
        let mut had = false;
        if std::fs::symlink_metadata(&self.target).is_ok() {
            let empty = self.target.is_dir()
                && std::fs::read_dir(&self.target).is_ok_and(|mut d| d.next().is_none());
            if empty {
                // rmdir removes only an empty directory: nothing is lost if
                // another process filled it meanwhile.
                let _ = std::fs::remove_dir(&self.target);
            } else if self.force {
                replaceable(&self.target, &self.keep, command)?;
                rename_noreplace(&self.target, &self.old)
                    .map_err(|e| Error::io(&self.target, e))?;
                had = true;
            } else {
                return Err(taken());
            }
        }
        if let Err(e) = rename_noreplace(&self.tmp, &self.target) {
            if had {
                let _ = rename_noreplace(&self.old, &self.target);
            }
            return Err(if exists_error(&e) {
                taken()
            } else {
                Error::io(&self.target, e)
            });
        }
        if had {
            let _ = std::fs::remove_dir_all(&self.old);
        }
        drop(live);
        self.done = true;
        self.forget();
        Ok(self.target.clone())
    }

    fn forget(&self) {
        if let Ok(mut live) = LIVE.lock() {
            live.retain(|(p, _, _)| p != &self.tmp);
        }
    }
}

impl Drop for StagedOutput {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_dir_all(&self.tmp);
            self.forget();
        }
    }
}

/// Whether `--force` may replace the non-empty directory `dir`: it holds
/// none of `keep` (at any depth, or is one of them), it holds a
/// `manifest.json` written by appraise, and nothing that a run does not
/// write ([`RUN_ENTRIES`]). Otherwise a usage error that says what is in
/// the way.
pub fn replaceable(dir: &Path, keep: &[Kept], command: &str) -> Result<()> {
    let here = resolved(dir);
    if let Some(k) = keep.iter().find(|k| k.path.starts_with(&here)) {
        let (what_zh, what_en) = (&k.what.zh, &k.what.en);
        let (dir, path) = (dir.display(), k.path.display());
        return Err(Error::Usage(t!(
            "{command}：--force 会删除{what_zh}，它在 {dir} 中：{path}；\
             --force 只替换上一次运行的输出；请换一个 --out",
            "{command}: --force would delete {what_en}, which is in {dir}: {path}; \
             --force replaces only the output of an earlier run; choose another --out"
        )));
    }
    let manifest = dir.join("manifest.json");
    let ours = std::fs::metadata(&manifest).is_ok_and(|m| m.is_file() && m.len() < 1 << 26)
        && std::fs::read(&manifest)
            .ok()
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
            .is_some_and(|v| v.get("engine").and_then(|e| e.as_str()) == Some("appraise"));
    if !ours {
        let dir = dir.display();
        return Err(Error::Usage(t!(
            "{command}：{dir} 不是上一次运行的输出（其中没有 appraise 写的 manifest.json）；\
             --force 只替换 appraise 写的目录；请换一个 --out",
            "{command}: {dir} is not the output of an earlier run (it has no manifest.json \
             written by appraise); --force replaces only a directory appraise wrote; \
             choose another --out"
        )));
    }
    let mut foreign: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !RUN_ENTRIES.contains(&n.as_str()))
        .collect();
    if foreign.is_empty() {
        // The files the run wrote, with their SHA-256, as its manifest lists
        // them (a manifest of an earlier version lists none: only the top
        // level is checked then). A file added beside them (an answered
        // copy saved into feedback/) or changed since is in the way.
        let listed = std::fs::read(&manifest)
            .ok()
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
            .and_then(|v| v.get("outputs").and_then(|o| o.as_object()).cloned());
        if let Some(listed) = listed {
            let (found, odd) = crate::report::manifest::written_files(dir);
            foreign.extend(odd.into_iter().map(|p| format!("{p} (not a file)")));
            for (path, sha) in &found {
                match listed.get(path).and_then(|v| v.as_str()) {
                    None => foreign.push(format!("{path} (not written by the run)")),
                    Some(was) if was != sha => {
                        foreign.push(format!("{path} (changed since the run wrote it)"));
                    }
                    Some(_) => {}
                }
            }
        }
    }
    if !foreign.is_empty() {
        foreign.sort();
        let (dir, foreign) = (dir.display(), foreign.join(", "));
        return Err(Error::Usage(t!(
            "{command}：{dir} 中有运行不会写的内容：{foreign}；--force 会删除它；\
             请把它移出该目录，或换一个 --out",
            "{command}: {dir} holds what a run does not write: {foreign}; --force would delete it; \
             move it out of the directory, or choose another --out"
        )));
    }
    Ok(())
}

/// Write one file through a hidden sibling renamed into place: over the old
/// file only when it `exists` (and `--force` was given), never over one
/// another process put there meanwhile. Nothing is left on failure.
/// `command` names the command in its messages (`collect`, `whatif`).
pub fn write_file_atomically(
    out: &Path,
    exists: bool,
    command: &str,
    write: impl FnOnce(&Path) -> Result<()>,
) -> Result<()> {
    let name = out.file_name().ok_or_else(|| {
        let out = out.display();
        Error::Usage(t!(
            "{command}：{out} 不是一个文件名",
            "{command}: {out} does not name a file"
        ))
    })?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".partial-{}", std::process::id()));
    let tmp = out.with_file_name(tmp_name);
    let written = write(&tmp).and_then(|()| {
        let renamed = if exists {
            std::fs::rename(&tmp, out)
        } else {
            rename_noreplace(&tmp, out)
        };
        renamed.map_err(|e| {
            if exists {
                Error::io(out, e)
            } else {
                let out = out.display();
                Error::Usage(t!(
                    "{command}：其间另一个进程写入了 {out}；它保持原样；加 --force 可替换它",
                    "{command}: {out} was written by another process meanwhile; it was left as it is; \
                     pass --force to replace it"
                ))
            }
        })
    });
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    Ok(())
}

/// Rename `from` to `to` unless `to` exists, atomically where the system
/// can (renameat2 with RENAME_NOREPLACE on Linux).
#[cfg(target_os = "linux")]
pub fn rename_noreplace(from: &Path, to: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
        Ok(()) => Ok(()),
        // A file system without the flag: check, then rename (which never
        // replaces a non-empty directory either).
        Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {
            rename_checked(from, to)
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(target_os = "linux"))]
pub fn rename_noreplace(from: &Path, to: &Path) -> std::io::Result<()> {
    rename_checked(from, to)
}

fn rename_checked(from: &Path, to: &Path) -> std::io::Result<()> {
    if std::fs::symlink_metadata(to).is_ok() {
        return Err(std::io::ErrorKind::AlreadyExists.into());
    }
    std::fs::rename(from, to)
}

/// The rename failed because something is at the target.
fn exists_error(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::AlreadyExists | std::io::ErrorKind::DirectoryNotEmpty
    )
}

/// Whether process `pid` runs. Where that cannot be known (no /proc), it is
/// taken to run, so that nothing of a live process is ever removed.
fn alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.join("self").exists() || proc.join(pid.to_string()).exists()
}

/// Clean up what a killed run left beside `target`: its staging
/// `.<name>.partial-<pid>` (removed) and an earlier output it had moved
/// aside, `.<name>.old-<pid>` (put back if `target` is gone, else removed if
/// it is a run's output). Each is said on stderr; one whose process still
/// runs is left alone and reported.
pub fn sweep(target: &Path, command: &str) {
    let Some(name) = target.file_name().and_then(|n| n.to_str()) else {
        return;
    };
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let partial = format!(".{name}.partial-");
    let old = format!(".{name}.old-");
    let own = std::process::id();
    for e in entries.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        let (moved_aside, pid) = if let Some(p) = n.strip_prefix(&partial) {
            (false, p)
        } else if let Some(p) = n.strip_prefix(&old) {
            (true, p)
        } else if Some(n.as_str()) == old.strip_suffix('-') {
            // Earlier versions named it `.<name>.old`, without the pid.
            (true, "0")
        } else {
            continue;
        };
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        let path = parent.join(&n);
        if pid == own {
            continue;
        }
        // pid 0: left by an earlier version, whose process cannot be known.
        let (by_zh, gone_by) = if pid == 0 {
            (
                "一次被中断的运行".to_string(),
                "an interrupted run".to_string(),
            )
        } else {
            (
                format!("一次被中断的运行（进程 {pid} 已不在运行）"),
                format!("an interrupted run (process {pid} is no longer running)"),
            )
        };
        let shown = path.display();
        if pid != 0 && alive(pid) {
            note!(
                "{}",
                crate::t!(
                    "{command}：注意：{shown} 属于仍在运行的进程 {pid}；未动它",
                    "{command}: note: {shown} belongs to process {pid}, which is still running; left alone"
                )
            );
            continue;
        }
        let gone = |r: std::io::Result<()>, done: &crate::lang::Text| match r {
            Ok(()) => {
                let (done_zh, done_en) = (&done.zh, &done.en);
                note!(
                    "{}",
                    crate::t!(
                        "{command}：{done_zh} {shown}（由{by_zh}留下）",
                        "{command}: {done_en} {shown}, left by {gone_by}"
                    )
                )
            }
            Err(err) => note!(
                "{}",
                crate::t!(
                    "{command}：无法删除 {shown}（由{by_zh}留下）：{err}；请自行删除",
                    "{command}: could not remove {shown}, left by {gone_by}: {err}; delete it yourself"
                )
            ),
        };
        if !moved_aside {
            let r = if path.is_dir() {
                std::fs::remove_dir_all(&path)
            } else {
                std::fs::remove_file(&path)
            };
            gone(r, &crate::lang::Text::new("已删除", "removed"));
        } else if std::fs::symlink_metadata(target).is_err() {
            match std::fs::rename(&path, target) {
                Ok(()) => note!(
                    "{}",
                    crate::t!(
                        "{command}：已把 {0} 从 {shown} 放回原处（它曾被{by_zh}移开）",
                        "{command}: put {0} back from {shown}, where {gone_by} had moved it",
                        target.display()
                    )
                ),
                Err(err) => note!(
                    "{}",
                    crate::t!(
                        "{command}：{shown} 里是被一次中断的运行移开的早先输出；无法放回（{err}）；请自行把它移到 {0}",
                        "{command}: {shown} holds an earlier output that an interrupted run moved aside; \
                         it could not be put back ({err}); move it to {0} yourself",
                        target.display()
                    )
                ),
            }
        } else if replaceable(&path, &[], command).is_ok() {
            gone(
                std::fs::remove_dir_all(&path),
                &crate::lang::Text::new("已删除被替换的运行结果", "removed the replaced run"),
            );
        } else {
            note!(
                "{}",
                crate::t!(
                    "{command}：注意：{shown} 由{by_zh}留下，但不是运行的输出；未动它，请查看后自行删除",
                    "{command}: note: {shown} was left by {gone_by} and is not a run's output; left alone, look at it and delete it yourself"
                )
            );
        }
    }
}

fn cannot_create(command: &str, dir: &Path, e: std::io::Error) -> Error {
    // Name the part of the path that is in the way, not just the error.
    let blocked = dir
        .ancestors()
        .find(|a| a.is_file() || a.is_symlink() && !a.exists());
    match blocked {
        Some(b) => {
            let (dir, b) = (dir.display(), b.display());
            Error::Other(t!(
                "{command}：无法在 {dir} 中写入：{b} 是文件而不是目录；请换一个 --out",
                "{command}: cannot write in {dir}: {b} is a file, not a directory; choose another --out"
            ))
        }
        None => {
            let dir = dir.display();
            Error::Other(t!(
                "{command}：无法在 {dir} 中写入：{e}；请选一个可写的 --out",
                "{command}: cannot write in {dir}: {e}; choose a writable --out"
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dropped_staging_leaves_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("out");
        {
            let s = StagedOutput::begin(&target, false, "test").expect("begin");
            std::fs::write(s.path().join("a.txt"), "x").expect("write");
        }
        assert!(!target.exists());
        assert_eq!(std::fs::read_dir(dir.path()).expect("ls").count(), 0);
    }

    #[test]
    fn a_taken_directory_needs_force() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("out");
        std::fs::create_dir(&target).expect("mkdir");
        std::fs::write(target.join("manifest.json"), r#"{"engine": "appraise"}"#).expect("write");
        std::fs::write(target.join("summary.xlsx"), "old").expect("write");
        let err = StagedOutput::begin(&target, false, "run").unwrap_err();
        assert_eq!(err.exit_code(), 2);
        let s = StagedOutput::begin(&target, true, "run").expect("begin");
        std::fs::write(s.path().join("new.txt"), "new").expect("write");
        s.commit().expect("commit");
        assert!(target.join("new.txt").exists());
        assert!(!target.join("summary.xlsx").exists());
        assert_eq!(std::fs::read_dir(dir.path()).expect("ls").count(), 1);
    }

    // issue 15
    #[test]
    fn force_replaces_only_a_run_of_appraise() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("out");
        std::fs::create_dir(&target).expect("mkdir");
        std::fs::write(target.join("notes.txt"), "mine").expect("write");
        let err = StagedOutput::begin(&target, true, "run").unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains("no manifest.json"), "{err}");
        std::fs::write(target.join("manifest.json"), r#"{"engine": "appraise"}"#).expect("write");
        let err = StagedOutput::begin(&target, true, "run").unwrap_err();
        assert!(err.to_string().contains("notes.txt"), "{err}");
        std::fs::remove_file(target.join("notes.txt")).expect("rm");
        let kept = Kept::new(&target.join("sub/../manifest.json"), "the scheme");
        let err = StagedOutput::begin_keeping(&target, true, "run", vec![kept]).unwrap_err();
        assert!(err.to_string().contains("would delete the scheme"), "{err}");
        assert!(target.join("manifest.json").exists());
    }

    // issue 15
    #[test]
    fn a_target_taken_meanwhile_is_not_replaced() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("out");
        let s = StagedOutput::begin(&target, false, "run").expect("begin");
        std::fs::write(s.path().join("new.txt"), "new").expect("write");
        std::fs::create_dir(&target).expect("mkdir");
        std::fs::write(target.join("first.txt"), "first").expect("write");
        let err = s.commit().unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains("another process"), "{err}");
        assert!(target.join("first.txt").exists());
        assert_eq!(std::fs::read_dir(dir.path()).expect("ls").count(), 1);
    }

    // issue 15
    #[test]
    fn what_a_killed_run_left_is_swept() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("out");
        // An earlier version's moved-aside run, with the target gone: put back.
        let legacy = dir.path().join(".out.old");
        std::fs::create_dir(&legacy).expect("mkdir");
        std::fs::write(legacy.join("manifest.json"), r#"{"engine": "appraise"}"#).expect("write");
        // Above any pid Linux hands out (4194304 at most): never running.
        let dead = dir.path().join(".out.partial-4294967");
        std::fs::write(&dead, "half").expect("write");
        let mine = dir
            .path()
            .join(format!(".out.partial-{}", std::process::id()));
        std::fs::write(&mine, "mine").expect("write");
        let other = dir.path().join(".other.partial-4294967");
        std::fs::write(&other, "not ours to judge").expect("write");
        sweep(&target, "run");
        assert!(target.join("manifest.json").exists());
        assert!(!legacy.exists());
        assert!(!dead.exists());
        assert!(mine.exists(), "this process's own staging is kept");
        assert!(other.exists(), "another target's staging is kept");
    }
}
