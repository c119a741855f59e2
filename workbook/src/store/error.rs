//! Errors raised while opening, reading or writing a `.tessera` workbook.

use std::path::{Path, PathBuf};

use rusqlite::ErrorCode;

/// What went wrong with a workbook file. Every variant names the file and the rule that was broken.
#[derive(Debug, thiserror::Error)]
pub enum WorkbookError {
    /// The file is not an SQLite database at all (wrong header, garbage bytes, empty file).
    #[error("{}: not a Tessera workbook: the file is not an SQLite/GeoPackage database", path.display())]
    NotSqlite {
        /// The file.
        path: PathBuf,
    },
    /// The file is an SQLite database but not a Tessera workbook.
    #[error("{}: not a Tessera workbook: {reason}", path.display())]
    NotWorkbook {
        /// The file.
        path: PathBuf,
        /// Which part of a workbook is missing.
        reason: String,
    },
    /// The workbook was written by a newer Tessera with a schema this one does not know.
    #[error(
        "{}: the workbook has schema version {found}, newer than the {supported} this Tessera understands; \
         update Tessera to open it",
        path.display()
    )]
    NewerSchema {
        /// The file.
        path: PathBuf,
        /// Schema version found in the file.
        found: i64,
        /// Newest schema version this build knows.
        supported: i64,
    },
    /// Another process (or another `Workbook` in this one) has the workbook open for writing, or holds a
    /// database lock for longer than the busy timeout.
    #[error("{}: workbook is open in another process; close it there and try again", path.display())]
    Locked {
        /// The file.
        path: PathBuf,
    },
    /// A write was attempted on a workbook that can only be read (file or folder not writable, read-only
    /// media, or opened with [`crate::store::Workbook::open_read_only`]). Nothing was changed.
    #[error("{}: workbook is read-only ({reason}); nothing was changed", path.display())]
    ReadOnly {
        /// The file.
        path: PathBuf,
        /// Why it is read-only.
        reason: String,
    },
    /// `create` was asked to write over an existing file without permission to replace it.
    #[error("{}: file already exists; nothing was overwritten", path.display())]
    Exists {
        /// The file.
        path: PathBuf,
    },
    /// The disk filled up during a write. The transaction was rolled back: the workbook holds the state before it.
    #[error("{}: the disk is full; the change was not saved and the workbook holds its previous state", path.display())]
    DiskFull {
        /// The file.
        path: PathBuf,
    },
    /// No scenario has this name.
    #[error("{}: no scenario named {name:?}", path.display())]
    NoScenario {
        /// The file.
        path: PathBuf,
        /// The name asked for.
        name: String,
    },
    /// A plan does not cover the workbook's units.
    #[error("{}: scenario {name:?} assigns {plan} units but the workbook has {units}", path.display())]
    PlanSize {
        /// The file.
        path: PathBuf,
        /// Scenario name.
        name: String,
        /// Units in the plan.
        plan: usize,
        /// Units in the workbook.
        units: usize,
    },
    /// An edit does not fit the scenario it is applied to.
    #[error("{}: edit to scenario {scenario:?} rejected: {detail}", path.display())]
    InvalidEdit {
        /// The file.
        path: PathBuf,
        /// Scenario name.
        scenario: String,
        /// What does not fit.
        detail: String,
    },
    /// Accounts (or named accounts) that cannot be stored as asked. Nothing was changed.
    #[error("{}: accounts not stored: {detail}; nothing was changed", path.display())]
    InvalidAccounts {
        /// The file.
        path: PathBuf,
        /// The rule broken.
        detail: String,
    },
    /// No team has this name; `teams` lists the workbook's teams.
    #[error("{}: no team named {name:?}; the workbook's teams: {}", path.display(), teams.join(", "))]
    NoTeam {
        /// The file.
        path: PathBuf,
        /// The name asked for.
        name: String,
        /// The teams there are, default first.
        teams: Vec<String>,
    },
    /// A team cannot be added, renamed or deleted as asked (a bad filter, a taken name, the last team).
    /// Nothing was changed.
    #[error("{}: team {team:?}: {detail}; nothing was changed", path.display())]
    InvalidTeam {
        /// The file.
        path: PathBuf,
        /// The team named in the request.
        team: String,
        /// The rule broken.
        detail: String,
    },
    /// The workbook's contents break one of Tessera's rules (e.g. edited by another tool).
    #[error("{}: damaged workbook: {detail}", path.display())]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// Which rule is broken, and where.
        detail: String,
    },
    /// Writing a new workbook was stopped by its caller (a Cancel) before it was complete; nothing was written.
    #[error("{}: writing the workbook was cancelled; nothing was written", path.display())]
    Cancelled {
        /// The file that was being written.
        path: PathBuf,
    },
    /// Any other SQLite failure.
    #[error("{}: database error: {source}", path.display())]
    Sqlite {
        /// The file.
        path: PathBuf,
        /// The SQLite error.
        #[source]
        source: rusqlite::Error,
    },
    /// A file-system failure (missing file, permissions, rename).
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}

/// Result of workbook operations.
pub type Result<T, E = WorkbookError> = std::result::Result<T, E>;

impl WorkbookError {
    /// Classifies an SQLite error so callers see "locked", "read-only" or "disk full" rather than a raw code.
    pub(crate) fn from_sqlite(path: &Path, source: rusqlite::Error) -> Self {
        let path = path.to_path_buf();
        match source.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => WorkbookError::Locked { path },
            Some(ErrorCode::ReadOnly) => WorkbookError::ReadOnly {
                path,
                reason: "the file or its folder cannot be written".into(),
            },
            Some(ErrorCode::DiskFull) => WorkbookError::DiskFull { path },
            // Only a caller's stop interrupts a connection here (`Workbook::create_cancellable`).
            Some(ErrorCode::OperationInterrupted) => WorkbookError::Cancelled { path },
            Some(ErrorCode::NotADatabase) => WorkbookError::NotSqlite { path },
            Some(ErrorCode::DatabaseCorrupt) => WorkbookError::Corrupt {
                path,
                detail: format!("SQLite reports the file is damaged ({source}); restore it from a backup"),
            },
            _ => WorkbookError::Sqlite { path, source },
        }
    }

    /// A broken-rule error for content that does not match what Tessera wrote.
    pub(crate) fn corrupt(path: &Path, detail: impl Into<String>) -> Self {
        WorkbookError::Corrupt {
            path: path.to_path_buf(),
            detail: detail.into(),
        }
    }

    /// A file-system error on `path`.
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        WorkbookError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}
