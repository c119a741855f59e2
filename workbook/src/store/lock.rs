//! The owner lock: at most one Tessera process writes a workbook at a time.
//!
//! SQLite already keeps concurrent writers from corrupting the file, but it cannot stop two Tessera windows
//! from each holding a workbook open and silently overwriting each other's scenarios. So a writer takes an
//! advisory exclusive lock on a sidecar file `<workbook>-lock` (beside SQLite's own `-journal`) for as long as
//! the [`super::Workbook`] lives. The operating system drops the lock when the process dies, so a crash never
//! leaves a stale lock behind. GIS tools, which know nothing of it, still read (and write) safely through
//! SQLite's own locking.
//!
//! The sidecar is on its own file rather than on the database itself because SQLite's byte-range locks on
//! the database must not be disturbed (POSIX locks are per process; Windows locks are mandatory).

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Why the owner lock could not be taken.
#[derive(Debug)]
pub enum LockFailure {
    /// Another holder has it: the workbook is open for writing elsewhere.
    Held,
    /// The folder does not allow creating the sidecar: the workbook can only be opened read-only.
    NotWritable(std::io::Error),
    /// Anything else.
    Io(std::io::Error),
}

/// An exclusive lock on `<workbook>-lock`, released (and the sidecar removed) on drop.
#[derive(Debug)]
pub struct OwnerLock {
    file: File,
    path: PathBuf,
}

/// The sidecar lock file of a workbook.
pub fn lock_path(workbook: &Path) -> PathBuf {
    let mut name = workbook.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push("-lock");
    workbook.with_file_name(name)
}

impl OwnerLock {
    /// Takes the lock without waiting.
    pub fn acquire(workbook: &Path) -> Result<OwnerLock, LockFailure> {
        let path = lock_path(workbook);
        // A holder removes the sidecar when it lets go; if we locked a file that was just unlinked, the path
        // no longer names our file and we try again on the new one.
        for _ in 0..8 {
            let file = match OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
            {
                Ok(f) => f,
                Err(e) if is_not_writable(&e) => return Err(LockFailure::NotWritable(e)),
                Err(e) => return Err(LockFailure::Io(e)),
            };
            match fs4::FileExt::try_lock(&file) {
                Ok(()) => {}
                Err(fs4::TryLockError::WouldBlock) => return Err(LockFailure::Held),
                Err(fs4::TryLockError::Error(e)) => return Err(LockFailure::Io(e)),
            }
            if still_named_by(&file, &path) {
                let mut lock = OwnerLock { file, path };
                // Who holds it, for a planner looking at the folder; failure to write this is harmless.
                let _ = lock.file.set_len(0);
                let _ = writeln!(lock.file, "Tessera process {}", std::process::id());
                return Ok(lock);
            }
        }
        Err(LockFailure::Held)
    }
}

impl Drop for OwnerLock {
    fn drop(&mut self) {
        // Remove while still holding the lock, so nobody can take a lock on a file that is about to vanish
        // without noticing (see `still_named_by`). The lock itself goes with the file handle.
        let _ = std::fs::remove_file(&self.path);
    }
}

fn is_not_writable(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
    )
}

#[cfg(unix)]
fn still_named_by(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn still_named_by(_file: &File, path: &Path) -> bool {
    // Windows cannot delete a file another process holds open, so the sidecar cannot vanish under us.
    path.exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_holder_is_refused_until_the_first_lets_go() {
        let dir = tempfile::tempdir().expect("temp dir");
        let wb = dir.path().join("a.tessera");
        let first = OwnerLock::acquire(&wb).expect("first lock");
        assert!(matches!(OwnerLock::acquire(&wb), Err(LockFailure::Held)));
        drop(first);
        assert!(!lock_path(&wb).exists(), "sidecar removed on release");
        let again = OwnerLock::acquire(&wb).expect("lock after release");
        drop(again);
    }
}
