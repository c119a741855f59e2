//! Opening and creating the workbook file: checks, locking, journal settings, migrations.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{params, Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior};

use super::error::{Result, WorkbookError};
use super::lock::{LockFailure, OwnerLock};
use super::migrations::{self, MIGRATIONS};
use super::{dataset_io, geopackage, sql_functions};
use crate::Dataset;

/// How long a write waits for a lock held by another SQLite connection (a GIS tool reading the file) before
/// reporting [`WorkbookError::Locked`]. Short, so the app answers rather than hangs.
pub const BUSY_TIMEOUT: Duration = Duration::from_millis(2000);

/// The first 16 bytes of every SQLite 3 database.
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// An open `.tessera` workbook: one SQLite file that is also a GeoPackage.
///
/// Every method that changes the file runs in one `BEGIN IMMEDIATE` transaction: it either happens entirely
/// or not at all, even if the process is killed or the disk fills. While a `Workbook` opened for writing is
/// alive, no other process can open the same file for writing (see [`WorkbookError::Locked`]).
///
/// Journal: SQLite's rollback journal (`journal_mode=DELETE`) with `synchronous=FULL`, not WAL. A workbook is
/// a document that planners copy, e-mail and open from shared or read-only folders; at rest it is one
/// self-contained file, whereas WAL keeps recent commits in a `-wal` file that a copy can miss and needs a
/// writable `-shm` even to read. A connection may opt into WAL for an editing session
/// ([`Workbook::use_wal_for_editing`]): WAL while it is open, the rollback journal again when it is dropped.
#[derive(Debug)]
pub struct Workbook {
    pub(super) path: PathBuf,
    pub(super) conn: Connection,
    pub(super) read_only: Option<String>,
    /// Whether [`Workbook::use_wal_for_editing`] switched the connection to WAL (undone on drop).
    wal: bool,
    /// The team whose reps, scenarios and locks the methods read and write (`tessera_teams.id`; the default
    /// team until [`Workbook::select_team`]).
    pub(super) team: i64,
    // Declared last so it is dropped after the connection is closed.
    _lock: Option<OwnerLock>,
}

impl Drop for Workbook {
    /// Leaves the file as one self-contained file in rollback-journal mode after an editing session in WAL:
    /// the WAL is checkpointed into the file and removed. If this fails (another connection reading), SQLite
    /// still checkpoints when the last connection closes, and the next writable open switches back.
    fn drop(&mut self) {
        if self.wal {
            let _ = self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
            let _ = self.conn.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()));
        }
    }
}

impl Workbook {
    /// Writes `dataset` to a new workbook at `path` and opens it for writing.
    ///
    /// The file is built under a temporary name in the same folder and renamed into place only when complete,
    /// so a crash or an error mid-way never leaves a half-written workbook at `path`.
    ///
    /// # Errors
    /// [`WorkbookError::Exists`] if `path` exists (see [`Workbook::create_replacing`]),
    /// [`WorkbookError::Locked`] if another process holds it, [`WorkbookError::Io`] /
    /// [`WorkbookError::DiskFull`] / [`WorkbookError::ReadOnly`] when the folder cannot take the file.
    ///
    /// # Panics
    /// If `dataset.polygons` or `dataset.current` do not have one entry per unit (a caller bug: the importer
    /// builds them that way).
    pub fn create(path: impl AsRef<Path>, dataset: &Dataset) -> Result<Workbook> {
        Self::create_impl(path.as_ref(), dataset, false, None)
    }

    /// Like [`Workbook::create`], but stops writing soon after `stop` answers true (it is asked every
    /// `STOP_POLL` (20 ms) from a helper thread, and before the write starts): SQLite interrupts the statement
    /// running then, the transaction is rolled back and the temporary file discarded, so nothing is at
    /// `path`. For an import the planner can cancel while a million rows are written.
    ///
    /// # Errors
    /// [`WorkbookError::Cancelled`] when stopped; as [`Workbook::create`] otherwise.
    ///
    /// # Panics
    /// As [`Workbook::create`].
    pub fn create_cancellable(
        path: impl AsRef<Path>,
        dataset: &Dataset,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Result<Workbook> {
        Self::create_impl(path.as_ref(), dataset, false, Some(stop))
    }

    /// Like [`Workbook::create`], but atomically replaces an existing file at `path` (unless another process
    /// has it open for writing).
    pub fn create_replacing(path: impl AsRef<Path>, dataset: &Dataset) -> Result<Workbook> {
        Self::create_impl(path.as_ref(), dataset, true, None)
    }

    fn create_impl(
        path: &Path,
        dataset: &Dataset,
        replace: bool,
        stop: Option<&(dyn Fn() -> bool + Sync)>,
    ) -> Result<Workbook> {
        if !replace && path.exists() {
            return Err(WorkbookError::Exists {
                path: path.to_path_buf(),
            });
        }
        if stop.is_some_and(|stop| stop()) {
            return Err(WorkbookError::Cancelled {
                path: path.to_path_buf(),
            });
        }
        let lock = acquire_owner_lock(path)?;
        build_and_publish(path, replace, |tmp| {
            let mut conn = Connection::open_with_flags(tmp, OpenFlags::SQLITE_OPEN_READ_WRITE)
                .map_err(|e| WorkbookError::from_sqlite(path, e))?;
            // The temporary file is discarded on any failure, so it needs no journal of its own; durability
            // comes from the fsync before the rename publishes it.
            conn.execute_batch("PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; PRAGMA foreign_keys = ON;")
                .map_err(|e| WorkbookError::from_sqlite(path, e))?;
            sql_functions::register(&conn).map_err(|e| WorkbookError::from_sqlite(path, e))?;
            let write = |conn: &mut Connection| -> rusqlite::Result<()> {
                let tx = conn.transaction()?;
                write_new(&tx, dataset)?;
                tx.commit()
            };
            match stop {
                None => write(&mut conn),
                Some(stop) => interruptible(&mut conn, stop, write),
            }
            .map_err(|e| WorkbookError::from_sqlite(path, e))?;
            conn.close().map_err(|(_, e)| WorkbookError::from_sqlite(path, e))
        })?;
        Self::open_with(path, Some(lock), None)
    }

    /// Opens an existing workbook for reading and writing, migrating an older schema in one transaction.
    ///
    /// A file that cannot be written (permissions, read-only media or folder) is opened read-only instead:
    /// reading works and every write returns [`WorkbookError::ReadOnly`].
    ///
    /// # Errors
    /// [`WorkbookError::NotSqlite`], [`WorkbookError::NotWorkbook`], [`WorkbookError::NewerSchema`],
    /// [`WorkbookError::Locked`] when another process has it open for writing, [`WorkbookError::Io`] for a
    /// missing file.
    pub fn open(path: impl AsRef<Path>) -> Result<Workbook> {
        let path = path.as_ref();
        sniff(path)?;
        if let Err(e) = std::fs::OpenOptions::new().read(true).write(true).open(path) {
            if is_not_writable(&e) {
                return Self::open_with(path, None, Some(format!("the file cannot be written: {e}")));
            }
            return Err(WorkbookError::io(path, e));
        }
        match OwnerLock::acquire(path) {
            Ok(lock) => Self::open_with(path, Some(lock), None),
            Err(LockFailure::Held) => Err(WorkbookError::Locked {
                path: path.to_path_buf(),
            }),
            // The folder refuses new files: SQLite could not create its journal either, so only reading works.
            Err(LockFailure::NotWritable(e)) => {
                Self::open_with(path, None, Some(format!("its folder cannot be written: {e}")))
            }
            Err(LockFailure::Io(e)) => Err(WorkbookError::io(path, e)),
        }
    }

    /// Opens a workbook for reading only, without taking the owner lock (so it works while another process
    /// has it open). Every write returns [`WorkbookError::ReadOnly`].
    ///
    /// # Errors
    /// As [`Workbook::open`], except that an older schema is reported as [`WorkbookError::ReadOnly`] (it
    /// would need a migration).
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<Workbook> {
        let path = path.as_ref();
        sniff(path)?;
        recover_hot_journal(path);
        Self::open_with(path, None, Some("opened read-only".into()))
    }

    fn open_with(path: &Path, lock: Option<OwnerLock>, read_only: Option<String>) -> Result<Workbook> {
        open_with_steps(path, lock, read_only, MIGRATIONS)
    }

    /// Writes a consistent copy of the whole workbook to `path` (a "Save as" for a workbook opened read-only,
    /// e.g. the bundled sample). Like [`Workbook::create`], the copy is built under a temporary name and
    /// renamed into place; this workbook stays open and unchanged.
    ///
    /// # Errors
    /// [`WorkbookError::Exists`] when `path` exists and `replace` is false, or names this very workbook;
    /// [`WorkbookError::Locked`] when another process has `path` open; I/O and disk-full errors.
    pub fn save_copy(&self, path: impl AsRef<Path>, replace: bool) -> Result<()> {
        let path = path.as_ref();
        let same = match (std::fs::canonicalize(path), std::fs::canonicalize(&self.path)) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        };
        if same || (!replace && path.exists()) {
            return Err(WorkbookError::Exists {
                path: path.to_path_buf(),
            });
        }
        let _lock = acquire_owner_lock(path)?;
        build_and_publish(path, replace, |tmp| {
            let target = tmp.to_str().ok_or_else(|| {
                WorkbookError::io(
                    path,
                    std::io::Error::new(std::io::ErrorKind::InvalidInput, "folder name is not UTF-8"),
                )
            })?;
            // VACUUM INTO writes a transactionally consistent snapshot, and works on a read-only connection.
            self.conn
                .execute("VACUUM INTO ?1", params![target])
                .map_err(|e| WorkbookError::from_sqlite(path, e))?;
            Ok(())
        })
    }

    /// The workbook's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Switches this connection to WAL, keeping `synchronous=FULL`, for an editing session of hand edits: each
    /// commit then fsyncs one append to the `-wal` file instead of a rollback journal and the workbook (see
    /// BENCHMARKS.md, "Hand edits in the real app"), and every commit is still durable when this returns.
    /// Dropping the workbook checkpoints and returns to the rollback journal, so the file at rest stays one
    /// self-contained file. After a crash the recent commits are in the `-wal` beside it until the next open
    /// (writable, or read-only with a writable folder) folds them in; RELIABILITY.md says so. Does nothing on a
    /// read-only workbook.
    ///
    /// # Errors
    /// [`WorkbookError::Locked`] when another connection has the file open and the mode cannot change.
    pub fn use_wal_for_editing(&mut self) -> Result<()> {
        if self.read_only.is_some() || self.wal {
            return Ok(());
        }
        let mode: String = self
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(self.sql())?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(WorkbookError::Locked {
                path: self.path.clone(),
            });
        }
        // WAL's default would be NORMAL (commits not fsynced); an edit shown as done must survive a power cut.
        self.conn
            .execute_batch("PRAGMA synchronous = FULL;")
            .map_err(self.sql())?;
        self.wal = true;
        Ok(())
    }

    /// Why the workbook is read-only, or `None` when it can be written.
    pub fn read_only_reason(&self) -> Option<&str> {
        self.read_only.as_deref()
    }

    /// Starts a write: refuses on a read-only workbook, takes SQLite's write lock at once (`BEGIN IMMEDIATE`,
    /// so a conflict shows up here, not at commit) and stamps `modified`.
    pub(super) fn write_tx(&mut self) -> Result<Transaction<'_>> {
        if let Some(reason) = &self.read_only {
            return Err(WorkbookError::ReadOnly {
                path: self.path.clone(),
                reason: reason.clone(),
            });
        }
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| WorkbookError::from_sqlite(&path, e))?;
        tx.execute(
            "UPDATE tessera_meta SET value = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE key = 'modified'",
            [],
        )
        .map_err(|e| WorkbookError::from_sqlite(&path, e))?;
        Ok(tx)
    }

    /// Maps an SQLite error on this workbook.
    pub(super) fn sql(&self) -> impl Fn(rusqlite::Error) -> WorkbookError + '_ {
        move |e| WorkbookError::from_sqlite(&self.path, e)
    }

    /// A value from `tessera_meta` (`schema_version`, `app_version`, `created`, `modified`).
    ///
    /// # Errors
    /// [`WorkbookError::Sqlite`] if the table cannot be read.
    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        self.conn
            .query_row("SELECT value FROM tessera_meta WHERE key = ?1", params![key], |r| {
                r.get(0)
            })
            .optional()
            .map_err(self.sql())
    }
}

/// Opens `path` and brings it to the last version of `steps` (the real list, or a test list).
///
/// Nothing is written to the file before it is known to be a workbook of a version this build understands:
/// opening someone else's database, or a newer workbook, leaves it byte for byte as it was.
fn open_with_steps(
    path: &Path,
    lock: Option<OwnerLock>,
    read_only: Option<String>,
    steps: &[migrations::Migration],
) -> Result<Workbook> {
    let supported = steps.last().map_or(0, |m| m.version);
    let flags = if read_only.is_some() {
        OpenFlags::SQLITE_OPEN_READ_ONLY
    } else {
        OpenFlags::SQLITE_OPEN_READ_WRITE
    } | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let sql = |e| WorkbookError::from_sqlite(path, e);
    let mut conn = Connection::open_with_flags(path, flags).map_err(sql)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(sql)?;
    conn.execute_batch("PRAGMA foreign_keys = ON;").map_err(sql)?;
    sql_functions::register(&conn).map_err(sql)?;
    check_is_workbook(&conn, path)?;
    let found = migrations::schema_version(&conn)
        .map_err(sql)?
        .ok_or_else(|| WorkbookError::NotWorkbook {
            path: path.to_path_buf(),
            reason: "tessera_meta has no schema_version".into(),
        })?;
    if found > supported {
        return Err(WorkbookError::NewerSchema {
            path: path.to_path_buf(),
            found,
            supported,
        });
    }
    if let Some(reason) = &read_only {
        if found < supported {
            return Err(WorkbookError::ReadOnly {
                path: path.to_path_buf(),
                reason: format!("schema version {found} needs upgrading to {supported}, but {reason}"),
            });
        }
    } else {
        // A GIS tool may have switched the file to WAL; bring it back to one self-contained file.
        let mode: String = conn
            .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
            .map_err(sql)?;
        if !mode.eq_ignore_ascii_case("delete") {
            return Err(WorkbookError::Locked {
                path: path.to_path_buf(),
            });
        }
        conn.execute_batch("PRAGMA synchronous = FULL;").map_err(sql)?;
        if found < supported {
            // Foreign keys off while migrating (SQLite's procedure for rebuilding a table; the pragma is a no-op
            // inside a transaction): schema 6 rebuilds `tessera_scenarios`, and dropping the old table with
            // foreign keys on would cascade to every assignment and edit.
            conn.execute_batch("PRAGMA foreign_keys = OFF;").map_err(sql)?;
            let migrated = (|| {
                let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                migrations::migrate(&tx, found, steps)?;
                tx.commit()
            })();
            conn.execute_batch("PRAGMA foreign_keys = ON;").map_err(sql)?;
            migrated.map_err(sql)?;
        }
    }
    Ok(Workbook {
        path: path.to_path_buf(),
        conn,
        read_only,
        wal: false,
        team: migrations::DEFAULT_TEAM,
        _lock: lock,
    })
}

/// Builds a new file under a temporary name in `path`'s folder with `fill`, makes it durable, and renames it
/// to `path` (atomically replacing an existing file only when `replace`). On any failure the temporary file
/// is removed and `path` is untouched.
/// How often [`Workbook::create_cancellable`] asks whether to stop.
pub const STOP_POLL: Duration = Duration::from_millis(20);

/// Runs `write` on `conn` while a helper thread asks `stop` every [`STOP_POLL`] and, once it answers true,
/// interrupts `conn` (`sqlite3_interrupt`: the running statement fails with SQLITE_INTERRUPT). The interrupt is
/// repeated at each poll: one sent while Rust code runs between two statements would be lost.
///
/// Any failure after an interrupt was sent is reported as SQLITE_INTERRUPT: some statements wrap the
/// interruption in an error of their own (an `ALTER TABLE … RENAME` reports "error in table … after rename:
/// interrupted" with the generic SQLITE_ERROR code), and the caller must still see a cancel, not a damaged
/// database.
fn interruptible<T>(
    conn: &mut Connection,
    stop: &(dyn Fn() -> bool + Sync),
    write: impl FnOnce(&mut Connection) -> rusqlite::Result<T>,
) -> rusqlite::Result<T> {
    use std::sync::atomic::{AtomicBool, Ordering};
    let handle = conn.get_interrupt_handle();
    let done = AtomicBool::new(false);
    let interrupted = AtomicBool::new(false);
    let out = std::thread::scope(|scope| {
        scope.spawn(|| {
            while !done.load(Ordering::Acquire) {
                if stop() {
                    interrupted.store(true, Ordering::Release);
                    handle.interrupt();
                }
                std::thread::sleep(STOP_POLL);
            }
        });
        let out = write(conn);
        done.store(true, Ordering::Release);
        out
    });
    match out {
        Err(e)
            if interrupted.load(Ordering::Acquire)
                && e.sqlite_error_code() != Some(rusqlite::ErrorCode::OperationInterrupted) =>
        {
            Err(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_INTERRUPT),
                Some(format!("interrupted by a stop ({e})")),
            ))
        }
        out => out,
    }
}

fn build_and_publish(path: &Path, replace: bool, fill: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".tessera-import-").suffix(".tmp");
    // Temporary files are private (0600) by default; a workbook is a document and gets the permissions of
    // any new file (0666 less the umask), or keeps those of the file it replaces.
    #[cfg(unix)]
    let permissions = match std::fs::metadata(path) {
        Ok(m) if replace => m.permissions(),
        _ => std::os::unix::fs::PermissionsExt::from_mode(0o666),
    };
    #[cfg(unix)]
    builder.permissions(permissions);
    let tmp = builder.tempfile_in(&dir).map_err(|e| WorkbookError::io(&dir, e))?;
    fill(tmp.path())?;
    tmp.as_file().sync_all().map_err(|e| WorkbookError::io(path, e))?;
    if replace {
        tmp.persist(path).map_err(|e| WorkbookError::io(path, e.error))?;
    } else {
        // No-clobber rename: fails rather than replace a file that appeared meanwhile.
        tmp.persist_noclobber(path).map_err(|e| {
            if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                WorkbookError::Exists {
                    path: path.to_path_buf(),
                }
            } else {
                WorkbookError::io(path, e.error)
            }
        })?;
    }
    sync_dir(&dir);
    Ok(())
}

/// Everything a fresh workbook holds, inside the caller's transaction.
fn write_new(tx: &Transaction<'_>, dataset: &Dataset) -> rusqlite::Result<()> {
    geopackage::write_header(tx)?;
    migrations::migrate(tx, 0, MIGRATIONS)?;
    tx.execute(
        "INSERT INTO tessera_meta(key, value) VALUES
             ('app_version', ?1),
             ('created', strftime('%Y-%m-%dT%H:%M:%fZ','now')),
             ('modified', strftime('%Y-%m-%dT%H:%M:%fZ','now'))",
        params![env!("CARGO_PKG_VERSION")],
    )?;
    dataset_io::write_dataset(tx, dataset)
}

/// Refuses files that are not SQLite before SQLite sees them, with an error naming the file.
fn sniff(path: &Path) -> Result<()> {
    let mut f = std::fs::File::open(path).map_err(|e| WorkbookError::io(path, e))?;
    let mut head = [0u8; 16];
    let mut got = 0;
    while got < head.len() {
        match f.read(&mut head[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) => return Err(WorkbookError::io(path, e)),
        }
    }
    if got < head.len() || &head != SQLITE_MAGIC {
        return Err(WorkbookError::NotSqlite {
            path: path.to_path_buf(),
        });
    }
    Ok(())
}

/// A workbook is an SQLite file with Tessera's meta table and the GeoPackage application id.
fn check_is_workbook(conn: &Connection, path: &Path) -> Result<()> {
    let sql = |e| WorkbookError::from_sqlite(path, e);
    let has_meta: bool = conn
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tessera_meta')",
            [],
            |r| r.get(0),
        )
        .map_err(sql)?;
    if !has_meta {
        return Err(WorkbookError::NotWorkbook {
            path: path.to_path_buf(),
            reason: "it is an SQLite database without Tessera's tessera_meta table".into(),
        });
    }
    let app_id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0)).map_err(sql)?;
    if app_id != geopackage::APPLICATION_ID {
        return Err(WorkbookError::NotWorkbook {
            path: path.to_path_buf(),
            reason: format!("application_id is {app_id:#x}, not GeoPackage's 0x47504b47"),
        });
    }
    Ok(())
}

fn is_not_writable(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
    )
}

/// Makes the rename itself durable (on Unix a rename lives in the folder's metadata).
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// After a crash mid-write the rollback journal beside the workbook is "hot": the next connection that can write
/// rolls it back, but a read-only connection cannot and fails. So before a read-only open, a journal left
/// behind is rolled back by a short read on a read-write connection (SQLite does the rollback; when another
/// process is still writing, the journal is not hot and the read just waits for it). Without write access this
/// does nothing and the read-only open reports the error.
///
/// Likewise a `-wal` left by an editing session that crashed ([`Workbook::use_wal_for_editing`]) is folded
/// into the file and the file returned to the rollback journal — unless a writer still has it open (no wait
/// then: the read-only connection reads through its WAL).
fn recover_hot_journal(path: &Path) {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
        if let Ok(conn) = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        ) {
            let _ = conn.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()));
        }
    }
    let mut journal = path.as_os_str().to_owned();
    journal.push("-journal");
    if std::fs::metadata(&journal).map_or(true, |m| m.len() == 0) {
        return;
    }
    if let Ok(conn) = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    ) {
        let _ = conn.busy_timeout(BUSY_TIMEOUT);
        let _ = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0));
    }
}

/// Takes the owner lock of `path` for writing, mapping each way it can fail to the workbook error that says so.
pub(super) fn acquire_owner_lock(path: &Path) -> Result<OwnerLock> {
    OwnerLock::acquire(path).map_err(|e| match e {
        LockFailure::Held => WorkbookError::Locked {
            path: path.to_path_buf(),
        },
        LockFailure::NotWritable(e) => WorkbookError::ReadOnly {
            path: path.to_path_buf(),
            reason: e.to_string(),
        },
        LockFailure::Io(e) => WorkbookError::io(path, e),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_fixtures::line;
    use crate::AdjacencySource;
    use tessera_optimizer::{Adjacency, Units};

    fn add_notes(tx: &Transaction<'_>) -> rusqlite::Result<()> {
        tx.execute_batch("ALTER TABLE tessera_scenarios ADD COLUMN notes TEXT NOT NULL DEFAULT ''")
    }

    fn fails(tx: &Transaction<'_>) -> rusqlite::Result<()> {
        tx.execute_batch("CREATE TABLE tessera_partial (x); SELECT * FROM no_such_table;")
    }

    fn v1_file(dir: &Path) -> PathBuf {
        let ds = Dataset {
            units: Units::new(vec!["a".into()], vec![1.0], vec![2.0], vec![]).expect("units"),
            adjacency: Adjacency::from_edges(1, &[]),
            adjacency_source: AdjacencySource::Delaunay,
            bridged: vec![],
            polygons: None,
            reps: vec![],
            current: None,
        };
        let path = dir.join("v1.tessera");
        drop(Workbook::create(&path, &ds).expect("create"));
        // Take the file back to version 1: what later migrations added goes, the version says 1.
        let c = Connection::open(&path).expect("raw");
        c.execute_batch("DROP TABLE tessera_locks; UPDATE tessera_meta SET value = '1' WHERE key = 'schema_version';")
            .expect("downgrade to v1");
        path
    }

    fn steps_to(last: u32) -> Vec<migrations::Migration> {
        let mut steps: Vec<migrations::Migration> = Vec::new();
        steps.push(migrations::Migration {
            version: 1,
            description: "v1",
            apply: MIGRATIONS[0].apply,
        });
        if last >= 2 {
            steps.push(migrations::Migration {
                version: 2,
                description: "notes",
                apply: add_notes,
            });
        }
        if last >= 3 {
            steps.push(migrations::Migration {
                version: 3,
                description: "fails",
                apply: fails,
            });
        }
        steps
    }

    #[test]
    fn a_stop_during_the_write_interrupts_it_and_leaves_nothing() {
        let dir = tempfile::tempdir().expect("temp dir");
        // Big enough that the write takes many polls: the stop lands while rows are being inserted.
        let ids: Vec<String> = (0..100_000).map(|i| format!("u{i}")).collect();
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        let dataset = line(&refs, None);
        let path = dir.path().join("big.tessera");
        // Not before the write (the first ask), but from the helper thread's first poll on.
        let asked = std::sync::atomic::AtomicUsize::new(0);
        let stop = || asked.fetch_add(1, std::sync::atomic::Ordering::SeqCst) > 0;
        let err = Workbook::create_cancellable(&path, &dataset, &stop).expect_err("stopped");
        assert!(matches!(err, WorkbookError::Cancelled { .. }), "{err}");
        assert!(err.to_string().contains("cancelled"), "{err}");
        assert!(
            asked.load(std::sync::atomic::Ordering::SeqCst) > 1,
            "stopped by the helper thread"
        );
        let left: Vec<_> = std::fs::read_dir(dir.path()).expect("list").collect();
        assert!(left.is_empty(), "no workbook and no temporary file left: {left:?}");

        // A stop asked before the write writes nothing either; one that never says stop writes the workbook.
        let err = Workbook::create_cancellable(&path, &dataset, &|| true).expect_err("stopped at once");
        assert!(matches!(err, WorkbookError::Cancelled { .. }), "{err}");
        let small = line(&["a", "b"], None);
        let wb = Workbook::create_cancellable(&path, &small, &|| false).expect("written");
        assert_eq!(wb.dataset().expect("read").units.len(), 2);
    }

    #[test]
    fn an_error_after_a_stop_is_reported_as_the_cancel_it_is() {
        // An ALTER TABLE … RENAME interrupted mid-check fails with the generic SQLITE_ERROR ("error in table …
        // after rename: interrupted"); seen once in CI. Any failure after an interrupt must read as a cancel.
        let generic = || {
            Err::<(), _>(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_ERROR),
                Some("error in table t after rename: interrupted".into()),
            ))
        };
        let mut conn = Connection::open_in_memory().expect("memory db");
        let err = interruptible(&mut conn, &|| true, |_| {
            std::thread::sleep(STOP_POLL * 3);
            generic()
        })
        .expect_err("failed");
        assert_eq!(
            err.sqlite_error_code(),
            Some(rusqlite::ErrorCode::OperationInterrupted),
            "{err}"
        );
        let cancelled = WorkbookError::from_sqlite(Path::new("x.tessera"), err);
        assert!(matches!(cancelled, WorkbookError::Cancelled { .. }), "{cancelled}");
        // Without a stop the same error is what it says.
        let err = interruptible(&mut conn, &|| false, |_| generic()).expect_err("failed");
        assert_eq!(err.sqlite_error_code(), Some(rusqlite::ErrorCode::Unknown), "{err}");
    }

    #[test]
    fn opening_a_v1_file_migrates_it_and_the_result_persists() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = v1_file(dir.path());
        let wb = open_with_steps(&path, None, None, &steps_to(2)).expect("migrate");
        assert_eq!(wb.meta("schema_version").expect("meta").as_deref(), Some("2"));
        drop(wb);
        let c = Connection::open(&path).expect("raw");
        let notes: i64 = c
            .query_row(
                "SELECT count(*) FROM pragma_table_info('tessera_scenarios') WHERE name = 'notes'",
                [],
                |r| r.get(0),
            )
            .expect("table info");
        assert_eq!(notes, 1);
        // A build that stops at version 1 now refuses the migrated file as newer.
        drop(c);
        let err = open_with_steps(&path, None, None, &steps_to(1)).expect_err("newer");
        assert!(
            matches!(
                err,
                WorkbookError::NewerSchema {
                    found: 2,
                    supported: 1,
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn a_failing_migration_leaves_the_file_as_it_was() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = v1_file(dir.path());
        let before = std::fs::read(&path).expect("bytes");
        assert!(open_with_steps(&path, None, None, &steps_to(3)).is_err());
        assert_eq!(
            std::fs::read(&path).expect("bytes"),
            before,
            "v2 and v3 both rolled back"
        );
        assert_eq!(
            open_with_steps(&path, None, None, &steps_to(1))
                .expect("still v1")
                .meta("schema_version")
                .expect("meta")
                .as_deref(),
            Some("1")
        );
    }

    #[test]
    fn a_schema_6_file_with_named_accounts_opens_as_7_or_stays_6_byte_for_byte() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = two_units(dir.path());
        // Back to schema 6: named accounts keyed by account only.
        let c = Connection::open(&path).expect("raw");
        c.execute_batch(
            "DROP TABLE tessera_named_accounts;
             CREATE TABLE tessera_named_accounts (account TEXT NOT NULL PRIMARY KEY, territory TEXT NOT NULL);
             INSERT INTO tessera_named_accounts VALUES ('k1', 'W');
             UPDATE tessera_meta SET value = '6' WHERE key = 'schema_version';",
        )
        .expect("back to v6");
        drop(c);
        let before = std::fs::read(&path).expect("bytes");
        let mut steps: Vec<migrations::Migration> = MIGRATIONS
            .iter()
            .map(|m| migrations::Migration {
                version: m.version,
                description: m.description,
                apply: m.apply,
            })
            .collect();
        steps.push(migrations::Migration {
            version: MIGRATIONS.len() as i64 + 1,
            description: "fails",
            apply: fails,
        });
        assert!(open_with_steps(&path, None, None, &steps).is_err());
        assert_eq!(
            std::fs::read(&path).expect("bytes"),
            before,
            "v7 rolled back with the failing step"
        );
        let wb = Workbook::open(&path).expect("migrates");
        assert_eq!(wb.meta("schema_version").expect("meta").as_deref(), Some("7"));
        drop(wb);
        let c = Connection::open(&path).expect("raw");
        let row: (i64, String, String) = c
            .query_row("SELECT team, account, territory FROM tessera_named_accounts", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .expect("one row");
        assert_eq!(row, (migrations::DEFAULT_TEAM, "k1".into(), "W".into()));
    }

    #[test]
    fn a_read_only_open_refuses_to_migrate() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = v1_file(dir.path());
        let err = open_with_steps(&path, None, Some("test".into()), &steps_to(2)).expect_err("needs upgrade");
        assert!(matches!(err, WorkbookError::ReadOnly { .. }), "{err}");
    }

    /// Two units in territories W and E, as a new workbook in `dir`.
    fn two_units(dir: &Path) -> PathBuf {
        let ds = line(&["a", "b"], Some((&[0, 1], &["W", "E"])));
        let path = dir.join("w.tessera");
        drop(Workbook::create(&path, &ds).expect("create"));
        path
    }

    fn sidecar(path: &Path, suffix: &str) -> PathBuf {
        let mut s = path.as_os_str().to_owned();
        s.push(suffix);
        PathBuf::from(s)
    }

    fn journal_mode(path: &Path) -> String {
        Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("raw")
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .expect("mode")
    }

    fn territory_of_b(wb: &Workbook) -> String {
        let plan = wb.scenario(super::super::scenario_rows::CURRENT).expect("current").plan;
        plan.names()[plan.territory_of()[1] as usize].clone()
    }

    /// Opens `path` for editing in WAL and moves unit b from E to W (committed, in the `-wal`).
    fn wal_session_moving_b_to_w(path: &Path) -> Workbook {
        let mut wb = Workbook::open(path).expect("open");
        wb.use_wal_for_editing().expect("wal");
        wb.record_edit("current", &crate::store::Edit::single("b", "E", "W"))
            .expect("edit");
        wb
    }

    #[test]
    fn an_editing_session_in_wal_leaves_one_file_in_rollback_mode_when_closed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = two_units(dir.path());
        {
            let _session = wal_session_moving_b_to_w(&path);
            assert_eq!(journal_mode(&path), "wal");
            assert!(std::fs::metadata(sidecar(&path, "-wal")).expect("wal file").len() > 0);
        }
        assert!(!sidecar(&path, "-wal").exists(), "checkpointed and removed on close");
        assert!(!sidecar(&path, "-shm").exists());
        assert_eq!(journal_mode(&path), "delete", "at rest: the rollback journal");
        assert_eq!(territory_of_b(&Workbook::open_read_only(&path).expect("reopen")), "W");
    }

    #[test]
    fn a_copy_saved_during_a_wal_session_is_one_file_in_rollback_mode() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = two_units(dir.path());
        let wb = wal_session_moving_b_to_w(&path);
        let copy = dir.path().join("copy.tessera");
        wb.save_copy(&copy, false).expect("save a copy");
        assert_eq!(journal_mode(&copy), "delete");
        assert!(!sidecar(&copy, "-wal").exists());
        assert_eq!(
            territory_of_b(&Workbook::open_read_only(&copy).expect("open copy")),
            "W"
        );
    }

    /// What a crash leaves (power cut or SIGKILL): the workbook as of the session's start and the fsynced
    /// `-wal`. Both ways of opening it see every committed edit and bring it back to one file.
    #[test]
    fn a_crash_image_of_a_wal_session_keeps_every_committed_edit() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = two_units(dir.path());
        let _session = wal_session_moving_b_to_w(&path);
        // The edit is in the WAL only: the file alone still has b in E.
        let alone = dir.path().join("alone");
        std::fs::create_dir(&alone).expect("dir");
        std::fs::copy(&path, alone.join("w.tessera")).expect("copy file");
        assert_eq!(
            territory_of_b(&Workbook::open_read_only(alone.join("w.tessera")).expect("open")),
            "E"
        );
        for (k, writable) in [(0, false), (1, true)] {
            let image = dir.path().join(format!("crash{k}"));
            std::fs::create_dir(&image).expect("dir");
            let copy = image.join("w.tessera");
            std::fs::copy(&path, &copy).expect("copy file");
            std::fs::copy(sidecar(&path, "-wal"), sidecar(&copy, "-wal")).expect("copy wal");
            let reopened = if writable {
                Workbook::open(&copy).expect("open")
            } else {
                Workbook::open_read_only(&copy).expect("open read-only")
            };
            assert_eq!(
                territory_of_b(&reopened),
                "W",
                "the committed edit survived (writable: {writable})"
            );
            drop(reopened);
            assert!(
                !sidecar(&copy, "-wal").exists(),
                "folded into the file (writable: {writable})"
            );
            assert_eq!(journal_mode(&copy), "delete");
        }
        // While the session is open, a read-only open elsewhere reads through its WAL and changes nothing.
        assert_eq!(
            territory_of_b(&Workbook::open_read_only(&path).expect("read while open")),
            "W"
        );
        assert_eq!(journal_mode(&path), "wal");
    }
}
