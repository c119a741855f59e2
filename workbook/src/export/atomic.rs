//! Writing an export file whole: to a hidden temporary file beside the target, synced, then renamed onto it, so an
//! interrupted or failed export never leaves a half-written file (and an existing file the caller decided to
//! replace is swapped whole).

use std::io::Write;
use std::path::{Path, PathBuf};

/// A hidden temporary name beside `path`, unique to this process (`.NAME.tmp-PID`).
pub fn temporary_beside(path: &Path) -> PathBuf {
    path.with_file_name(format!(
        ".{}.tmp-{}",
        path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default(),
        std::process::id()
    ))
}

/// Writes `path` through `fill`, atomically: nothing appears under `path` unless `fill` and the write succeed.
/// The caller decides beforehand whether `path` may be replaced.
///
/// # Errors
/// What `fill` returned, or the I/O failure, as text (the caller names the file).
pub fn write_atomically(path: &Path, fill: impl FnOnce(&mut dyn Write) -> Result<(), String>) -> Result<(), String> {
    if path.file_name().is_none() {
        return Err("not a file name".into());
    }
    let tmp = temporary_beside(path);
    let result = (|| {
        let mut file = std::io::BufWriter::new(std::fs::File::create(&tmp).map_err(|e| e.to_string())?);
        fill(&mut file)?;
        let file = file.into_inner().map_err(|e| e.to_string())?;
        file.sync_all().map_err(|e| e.to_string())?;
        std::fs::rename(&tmp, path).map_err(|e| e.to_string())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_fill_leaves_the_old_file_and_no_temporary_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("a.csv");
        std::fs::write(&path, "old").expect("write");
        let err = write_atomically(&path, |w| {
            w.write_all(b"half").map_err(|e| e.to_string())?;
            Err("stopped".into())
        })
        .expect_err("fails");
        assert_eq!(err, "stopped");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "old");
        assert_eq!(
            std::fs::read_dir(dir.path()).expect("list").count(),
            1,
            "no temporary file left"
        );
        write_atomically(&path, |w| w.write_all(b"new").map_err(|e| e.to_string())).expect("writes");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "new");
    }
}
