//! Nothing half-done: every command that writes files writes them into a
//! hidden sibling of the output directory and renames it into place at the
//! end. A failed or interrupted run leaves no output; an earlier good run is
//! replaced only with `--force`, and only once the new one is complete.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Staging directories of this process (staging, target), removed on
/// SIGINT/SIGTERM. `commit` holds the lock while it renames, so an interrupt
/// sees either the old output or the new one, never a half-swapped pair.
static LIVE: Mutex<Vec<(PathBuf, PathBuf)>> = Mutex::new(Vec::new());

/// Remove every staging directory still open, and put back an earlier
/// output that a commit had moved aside (called on interrupt).
pub fn remove_all_staging() {
    let live = match LIVE.lock() {
        Ok(l) => l,
        Err(poisoned) => poisoned.into_inner(),
    };
    clean(&live);
}

fn clean(live: &[(PathBuf, PathBuf)]) {
    for (tmp, target) in live {
        // A writer may create a file while the directory is being removed;
        // once the directory is gone, nothing more can be created in it.
        for _ in 0..5 {
            if !tmp.exists() || std::fs::remove_dir_all(tmp).is_ok() {
                break;
            }
        }
        let old = tmp.with_extension("old");
        if old.exists() {
            if target.exists() {
                let _ = std::fs::remove_dir_all(&old);
            } else {
                let _ = std::fs::rename(&old, target);
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
            note!("interrupted");
        } else {
            note!("interrupted: the unfinished output was removed");
        }
        std::process::exit(crate::error::exit::INTERRUPTED);
    });
}

/// An output directory being written.
#[derive(Debug)]
pub struct Staging {
    tmp: PathBuf,
    target: PathBuf,
    done: bool,
}

impl Staging {
    /// Start writing `target`. It must be absent or empty, unless `force`.
    pub fn begin(target: &Path, force: bool, command: &str) -> Result<Staging> {
        if target.exists() {
            if !target.is_dir() {
                return Err(Error::Usage(format!(
                    "{command}: {} exists and is not a directory; choose another --out",
                    target.display()
                )));
            }
            let empty = std::fs::read_dir(target)
                .map_err(|e| Error::io(target, e))?
                .next()
                .is_none();
            if !empty && !force {
                // `sample` never replaces a directory, so it has no --force to suggest.
                let what = if command == "sample" {
                    "is not empty; choose another --out, or delete it first"
                } else {
                    "already holds an earlier run; choose another --out, or pass --force to replace it"
                };
                return Err(Error::Usage(format!(
                    "{command}: {} {what}",
                    target.display()
                )));
            }
        }
        let name = target.file_name().ok_or_else(|| {
            Error::Usage(format!(
                "{command}: {} does not name a directory",
                target.display()
            ))
        })?;
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(|e| cannot_create(command, &parent, e))?;
        let mut tmp_name = std::ffi::OsString::from(".");
        tmp_name.push(name);
        tmp_name.push(format!(".partial-{}", std::process::id()));
        let tmp = parent.join(tmp_name);
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
        live.push((tmp.clone(), target.to_path_buf()));
        drop(live);
        Ok(Staging {
            tmp,
            target: target.to_path_buf(),
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

    /// Move the finished output into place, replacing what was there.
    pub fn commit(mut self) -> Result<PathBuf> {
        let live = match LIVE.lock() {
            Ok(l) => l,
            Err(poisoned) => poisoned.into_inner(),
        };
        let old = self.tmp.with_extension("old");
        let had = self.target.exists();
        if had {
            std::fs::rename(&self.target, &old).map_err(|e| Error::io(&self.target, e))?;
        }
        if let Err(e) = std::fs::rename(&self.tmp, &self.target) {
            if had {
                let _ = std::fs::rename(&old, &self.target);
            }
            return Err(Error::io(&self.target, e));
        }
        if had {
            let _ = std::fs::remove_dir_all(&old);
        }
        drop(live);
        self.done = true;
        self.forget();
        Ok(self.target.clone())
    }

    fn forget(&self) {
        if let Ok(mut live) = LIVE.lock() {
            live.retain(|(p, _)| p != &self.tmp);
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_dir_all(&self.tmp);
            self.forget();
        }
    }
}

fn cannot_create(command: &str, dir: &Path, e: std::io::Error) -> Error {
    // Name the part of the path that is in the way, not just the error.
    let blocked = dir
        .ancestors()
        .find(|a| a.is_file() || a.is_symlink() && !a.exists());
    match blocked {
        Some(b) => Error::Other(format!(
            "{command}: cannot write in {}: {} is a file, not a directory; choose another --out",
            dir.display(),
            b.display()
        )),
        None => Error::Other(format!(
            "{command}: cannot write in {}: {e}; choose a writable --out",
            dir.display()
        )),
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
            let s = Staging::begin(&target, false, "test").expect("begin");
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
        std::fs::write(target.join("old.txt"), "old").expect("write");
        let err = Staging::begin(&target, false, "run").unwrap_err();
        assert_eq!(err.exit_code(), 2);
        let s = Staging::begin(&target, true, "run").expect("begin");
        std::fs::write(s.path().join("new.txt"), "new").expect("write");
        s.commit().expect("commit");
        assert!(target.join("new.txt").exists());
        assert!(!target.join("old.txt").exists());
        assert_eq!(std::fs::read_dir(dir.path()).expect("ls").count(), 1);
    }
}
