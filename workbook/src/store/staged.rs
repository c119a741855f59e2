//! A new workbook built beside its final place and published by one rename, for a front end that has more to
//! do between "the workbook is written" and "the planner sees it" (store a setting, honour a Cancel).
//!
//! [`Workbook::create`] alone already never leaves half a file at its path. Staging adds what an interactive
//! import needs: the workbook is complete and open for further writes in a hidden folder beside its target,
//! nothing is at the target until [`StagedWorkbook::publish`], and dropping the staged workbook instead (a
//! Cancel, an error) removes it and its folder, leaving the target as it was. Beside the target, not in the
//! system's temporary folder, so the final rename stays on one file system and is atomic.

use std::path::{Path, PathBuf};

use crate::store::file::acquire_owner_lock;
use crate::store::lock::OwnerLock;
use crate::store::{Result, Workbook, WorkbookError};
use crate::Dataset;

/// Prefix of the hidden staging folder made beside the target.
pub const STAGING_PREFIX: &str = ".tessera-new-";

/// A complete new workbook in its staging folder, not yet at its target. Dropping it removes it.
#[derive(Debug)]
pub struct StagedWorkbook {
    /// Open for writing until published.
    workbook: Workbook,
    staged: PathBuf,
    target: PathBuf,
    /// Removed, with whatever is left in it, when this value is dropped.
    folder: tempfile::TempDir,
    /// The target's owner lock, held from the start: no other process opens the target for writing meanwhile,
    /// and a target another process has open for writing is refused before any work is done.
    _target_lock: OwnerLock,
}

impl Workbook {
    /// Writes `dataset` to a new workbook for `target`, built in a hidden folder beside it and left open there
    /// for further writes ([`StagedWorkbook::workbook`]); [`StagedWorkbook::publish`] moves it to `target`.
    /// Nothing at `target` is touched until then, whether or not a file is there.
    ///
    /// # Errors
    /// [`WorkbookError::Locked`] when another process has the target open for writing, [`WorkbookError::Io`]
    /// when the folder cannot take the staging folder, and [`Workbook::create`]'s errors.
    ///
    /// # Panics
    /// As [`Workbook::create`].
    pub fn create_staged(target: impl AsRef<Path>, dataset: &Dataset) -> Result<StagedWorkbook> {
        Self::create_staged_impl(target.as_ref(), dataset, &|| false)
    }

    /// Like [`Workbook::create_staged`], but the write stops soon after `stop` answers true (see
    /// [`Workbook::create_cancellable`]), leaving nothing behind.
    ///
    /// # Errors
    /// [`WorkbookError::Cancelled`] when stopped; as [`Workbook::create_staged`] otherwise.
    ///
    /// # Panics
    /// As [`Workbook::create`].
    pub fn create_staged_cancellable(
        target: impl AsRef<Path>,
        dataset: &Dataset,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Result<StagedWorkbook> {
        Self::create_staged_impl(target.as_ref(), dataset, stop)
    }

    fn create_staged_impl(
        target: &Path,
        dataset: &Dataset,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Result<StagedWorkbook> {
        let target = target.to_path_buf();
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let target_lock = acquire_owner_lock(&target)?;
        let folder = tempfile::Builder::new()
            .prefix(STAGING_PREFIX)
            .tempdir_in(&dir)
            .map_err(|e| WorkbookError::io(&dir, e))?;
        let staged = folder
            .path()
            .join(target.file_name().unwrap_or_else(|| "new.tessera".as_ref()));
        let workbook = Workbook::create_cancellable(&staged, dataset, stop)?;
        Ok(StagedWorkbook {
            workbook,
            staged,
            target,
            folder,
            _target_lock: target_lock,
        })
    }
}

impl StagedWorkbook {
    /// The staged workbook, open for writing (a setting the importer does not write, say).
    pub fn workbook(&mut self) -> &mut Workbook {
        &mut self.workbook
    }

    /// Where [`StagedWorkbook::publish`] puts it.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Closes the workbook and renames it to its target, then removes the staging folder. With `replace`, a
    /// file at the target is replaced (the planner confirmed it); without, it is left alone and the staged
    /// workbook discarded, even when the file appeared while the workbook was being built.
    ///
    /// # Errors
    /// [`WorkbookError::Exists`] when a file is at the target and `replace` is false; [`WorkbookError::Io`]
    /// when the rename fails. The staged workbook is discarded in both cases.
    pub fn publish(self, replace: bool) -> Result<PathBuf> {
        let StagedWorkbook {
            workbook,
            staged,
            target,
            folder,
            _target_lock,
        } = self;
        // Closing checkpoints the write-ahead log into the one file, so the file renamed is the whole workbook.
        drop(workbook);
        let io = |e: std::io::Error| WorkbookError::io(&target, e);
        let exists = || WorkbookError::Exists { path: target.clone() };
        if replace {
            std::fs::rename(&staged, &target).map_err(io)?;
        } else {
            // A hard link is a rename that refuses to replace (the staged name goes with its folder). File systems
            // without links (FAT on a USB stick) get a check before the rename instead.
            match std::fs::hard_link(&staged, &target) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Err(exists()),
                Err(_) if std::fs::symlink_metadata(&target).is_ok() => return Err(exists()),
                Err(_) => std::fs::rename(&staged, &target).map_err(io)?,
            }
        }
        // Make the rename itself durable (it lives in the folder's metadata); a failure here is not worth
        // refusing a complete workbook over.
        if let Some(dir) = folder.path().parent() {
            if let Ok(d) = std::fs::File::open(dir) {
                let _ = d.sync_all();
            }
        }
        folder.close().map_err(io)?;
        Ok(target)
    }
}
