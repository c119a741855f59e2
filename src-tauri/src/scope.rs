//! Which files the window may name: only those the planner chose in one of Tessera's own dialogs this run (or
//! that start-up opened). The page never picks a path itself; a path it sends that is not in the scope is
//! refused, so a compromised or buggy page cannot open, read or overwrite arbitrary files.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::error::AppError;

/// What the planner chose a file for. A file chosen for one purpose is not allowed for another: a CSV chosen
/// to import cannot be overwritten as a workbook, nor a workbook opened chosen as a save target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Purpose {
    /// A workbook to open (Open dialog, start-up argument, a workbook just created).
    Workbook,
    /// A file to read for an import (units, polygons, reps, adjacency).
    Import,
    /// Where a new workbook is written (Save dialog).
    Save,
    /// An existing file the planner confirmed, after the Save dialog, that a new workbook or an export may
    /// replace.
    Replace,
    /// Where an export of a scenario is written (Export dialog).
    Export,
}

impl Purpose {
    fn words(self) -> &'static str {
        match self {
            Purpose::Workbook => "opened as a workbook",
            Purpose::Import => "imported",
            Purpose::Save => "written",
            Purpose::Replace => "replaced",
            Purpose::Export => "exported to",
        }
    }
}

/// The paths chosen this run, per purpose, in canonical form.
#[derive(Debug, Default)]
pub struct FileScope {
    allowed: HashSet<(Purpose, PathBuf)>,
}

impl FileScope {
    /// An empty scope: nothing is allowed.
    pub fn new() -> Self {
        Self::default()
    }

    /// Allows `path` for `purpose` (the planner chose it in a dialog, or start-up named it).
    pub fn allow(&mut self, purpose: Purpose, path: &Path) {
        self.allowed.insert((purpose, canonical(path)));
    }

    /// Withdraws `path` for `purpose`: a consent that holds for one use (replacing a file) is spent.
    pub fn revoke(&mut self, purpose: Purpose, path: &Path) {
        self.allowed.remove(&(purpose, canonical(path)));
    }

    /// Whether `path` was allowed for `purpose`.
    pub fn allows(&self, purpose: Purpose, path: &Path) -> bool {
        self.allowed.contains(&(purpose, canonical(path)))
    }

    /// `path` in canonical form when it was allowed for `purpose`.
    ///
    /// # Errors
    /// [`AppError::NotChosen`] when it was not.
    pub fn check(&self, purpose: Purpose, path: &Path) -> Result<PathBuf, AppError> {
        let c = canonical(path);
        if self.allowed.contains(&(purpose, c.clone())) {
            Ok(c)
        } else {
            Err(not_chosen(purpose, path))
        }
    }
}

/// The refusal for `path`, worded for the planner.
pub fn not_chosen(purpose: Purpose, path: &Path) -> AppError {
    AppError::NotChosen(format!(
        "{} cannot be {}: Tessera only uses files chosen in its own Open, Import, Save and Export dialogs, its recent \
         workbooks, or the workbook it was started with.",
        path.display(),
        purpose.words()
    ))
}

/// `path` with symbolic links, `.` and `..` resolved, so two spellings of one file compare equal. A file not
/// written yet (a save target) is its folder's canonical form joined with its name.
pub fn canonical(path: &Path) -> PathBuf {
    if let Ok(c) = path.canonicalize() {
        return c;
    }
    match (path.parent(), path.file_name()) {
        (Some(dir), Some(name)) => {
            let dir = if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            };
            dir.canonicalize().map_or_else(|_| path.to_path_buf(), |d| d.join(name))
        }
        _ => path.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_is_allowed_only_for_its_purpose_and_in_any_spelling() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("a.tessera");
        std::fs::write(&file, b"x").expect("write");
        let mut scope = FileScope::new();
        assert!(!scope.allows(Purpose::Workbook, &file));
        scope.allow(Purpose::Workbook, &file);
        let other_spelling = dir.path().join(".").join("sub").join("..").join("a.tessera");
        std::fs::create_dir(dir.path().join("sub")).expect("mkdir");
        assert!(scope.allows(Purpose::Workbook, &other_spelling));
        assert!(!scope.allows(Purpose::Save, &file));
        let err = scope.check(Purpose::Import, &file).expect_err("not chosen for import");
        assert_eq!(err.kind(), "not_chosen");
        assert!(err.to_string().contains("cannot be imported"), "{err}");
    }

    #[test]
    fn a_save_target_that_does_not_exist_yet_is_matched_by_its_folder() {
        let dir = tempfile::tempdir().expect("temp dir");
        let target = dir.path().join("new.tessera");
        let mut scope = FileScope::new();
        scope.allow(Purpose::Save, &target);
        std::fs::write(&target, b"now it exists").expect("write");
        assert!(scope.allows(Purpose::Save, &target), "same file once written");
        assert!(!scope.allows(Purpose::Save, &dir.path().join("other.tessera")));
    }
}
