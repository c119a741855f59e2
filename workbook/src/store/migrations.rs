//! Schema versions and the migrations between them.
//!
//! The schema version lives in `tessera_meta` under the key `schema_version`. Opening a workbook of an older
//! version runs every later migration in order inside ONE transaction, so a crash or an error mid-way leaves
//! the file at its old version, untouched. A file of a newer version is refused (see
//! [`super::WorkbookError::NewerSchema`]) rather than half understood.
//!
//! To change the schema: append a [`Migration`] to [`MIGRATIONS`] whose `version` is the next number. Never
//! edit a migration that has shipped.

use rusqlite::{params, Transaction};

use super::geopackage;

/// One step of the schema: brings a workbook from `version - 1` to `version`.
pub struct Migration {
    /// The version the workbook has after this step.
    pub version: i64,
    /// What the step does, for logs and docs.
    pub description: &'static str,
    /// The step itself; runs inside the caller's transaction.
    pub apply: fn(&Transaction<'_>) -> rusqlite::Result<()>,
}

/// Every migration, in order. The last one's version is [`CURRENT_VERSION`].
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        description: "GeoPackage core tables and Tessera's tables",
        apply: v1,
    },
    Migration {
        version: 2,
        description: "locked units (tessera_locks)",
        apply: v2_locks,
    },
];

/// The schema version this build writes and understands.
pub const CURRENT_VERSION: i64 = 2;

/// Key of the schema version in `tessera_meta`.
pub const SCHEMA_VERSION_KEY: &str = "schema_version";

/// Reads the schema version recorded in `tessera_meta` (0 when the table has no version row).
pub fn schema_version(conn: &rusqlite::Connection) -> rusqlite::Result<Option<i64>> {
    use rusqlite::OptionalExtension;
    let v: Option<String> = conn
        .query_row(
            "SELECT value FROM tessera_meta WHERE key = ?1",
            params![SCHEMA_VERSION_KEY],
            |r| r.get(0),
        )
        .optional()?;
    Ok(v.and_then(|s| s.trim().parse().ok()))
}

/// Runs the migrations of `steps` newer than `from`, in order, inside `tx`, and records the final version.
/// The caller commits; on error the caller's transaction rolls back and nothing of the migration remains.
pub fn migrate(tx: &Transaction<'_>, from: i64, steps: &[Migration]) -> rusqlite::Result<i64> {
    let mut version = from;
    for step in steps.iter().filter(|m| m.version > from) {
        debug_assert_eq!(step.version, version + 1, "migrations must be numbered without gaps");
        (step.apply)(tx)?;
        version = step.version;
    }
    if version != from || from == 0 {
        tx.execute(
            "INSERT INTO tessera_meta(key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![SCHEMA_VERSION_KEY, version.to_string()],
        )?;
    }
    Ok(version)
}

/// Version 1: the GeoPackage core (SRS, contents, geometry columns) and every `tessera_` table except the
/// feature table `units`, whose measure columns depend on the dataset and are created with it.
fn v1(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    geopackage::create_core_tables(tx)?;
    tx.execute_batch(
        "
        CREATE TABLE tessera_meta (
            key TEXT NOT NULL PRIMARY KEY,
            value TEXT NOT NULL
        );
        -- One row: the dataset's non-tabular parts. Unit indices in JSON are units.fid - 1.
        CREATE TABLE tessera_dataset (
            singleton INTEGER NOT NULL PRIMARY KEY CHECK (singleton = 1),
            geometry TEXT NOT NULL CHECK (geometry IN ('point', 'multipolygon')),
            adjacency_source TEXT NOT NULL,
            adjacency_edges TEXT NOT NULL,
            bridged TEXT NOT NULL,
            measures TEXT NOT NULL
        );
        CREATE TABLE tessera_reps (
            seq INTEGER NOT NULL PRIMARY KEY,
            id TEXT NOT NULL,
            name TEXT NOT NULL,
            lon REAL NOT NULL,
            lat REAL NOT NULL,
            capacity REAL NOT NULL
        );
        CREATE TABLE tessera_scenarios (
            id INTEGER NOT NULL PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            created TEXT NOT NULL,
            modified TEXT NOT NULL,
            territories TEXT NOT NULL,
            params TEXT NOT NULL,
            metrics TEXT NOT NULL
        );
        CREATE TABLE tessera_assignments (
            scenario INTEGER NOT NULL REFERENCES tessera_scenarios(id) ON DELETE CASCADE,
            unit INTEGER NOT NULL,
            territory TEXT NOT NULL,
            PRIMARY KEY (scenario, unit)
        );
        CREATE TABLE tessera_history (
            scenario INTEGER NOT NULL REFERENCES tessera_scenarios(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            created TEXT NOT NULL,
            change TEXT NOT NULL,
            undone INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1)),
            PRIMARY KEY (scenario, seq)
        );
        ",
    )?;
    // Registering one attributes table makes GDAL (and so QGIS) list only registered tables: planners see
    // the units layer and the scenario list, not Tessera's internal tables.
    tx.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description)
         VALUES ('tessera_scenarios', 'attributes', 'tessera_scenarios', 'Tessera scenarios: saved plans')",
        [],
    )?;
    Ok(())
}

/// Version 2: units the planner locked to a territory, which the optimizer must not move. Workbook-wide (a
/// lock is a business rule — "this account stays with Ann" — not a property of one scenario). `unit` is
/// `units.fid`; a territory is named as in scenarios.
fn v2_locks(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "CREATE TABLE tessera_locks (
            unit INTEGER NOT NULL PRIMARY KEY,
            territory TEXT NOT NULL
        );",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    fn add_notes(tx: &Transaction<'_>) -> rusqlite::Result<()> {
        tx.execute_batch("ALTER TABLE tessera_scenarios ADD COLUMN notes TEXT NOT NULL DEFAULT ''")
    }

    fn broken(tx: &Transaction<'_>) -> rusqlite::Result<()> {
        tx.execute_batch("CREATE TABLE tessera_half_done (x); SELECT * FROM no_such_table;")
    }

    fn v1_file() -> Connection {
        let mut conn = Connection::open_in_memory().expect("in-memory database");
        let tx = conn.transaction().expect("transaction");
        assert_eq!(migrate(&tx, 0, &MIGRATIONS[..1]).expect("create v1"), 1);
        tx.commit().expect("commit");
        conn
    }

    #[test]
    fn creating_from_scratch_records_current_version() {
        let mut conn = Connection::open_in_memory().expect("in-memory database");
        let tx = conn.transaction().expect("transaction");
        assert_eq!(migrate(&tx, 0, MIGRATIONS).expect("create"), CURRENT_VERSION);
        tx.commit().expect("commit");
        assert_eq!(schema_version(&conn).expect("read version"), Some(CURRENT_VERSION));
    }

    #[test]
    fn v1_to_v2_adds_the_locks_table_and_keeps_the_data() {
        let mut conn = v1_file();
        conn.execute(
            "INSERT INTO tessera_scenarios (name, created, modified, territories, params, metrics)
             VALUES ('current', 'c', 'm', '[]', '{}', '{}')",
            [],
        )
        .expect("a scenario");
        let tx = conn.transaction().expect("transaction");
        assert_eq!(migrate(&tx, 1, MIGRATIONS).expect("migrate"), 2);
        tx.commit().expect("commit");
        assert_eq!(schema_version(&conn).expect("version"), Some(2));
        conn.execute("INSERT INTO tessera_locks (unit, territory) VALUES (1, 'R01')", [])
            .expect("locks table");
        let dup = conn.execute("INSERT INTO tessera_locks (unit, territory) VALUES (1, 'R02')", []);
        assert!(dup.is_err(), "a unit has at most one lock");
        let scenarios: i64 = conn
            .query_row("SELECT count(*) FROM tessera_scenarios", [], |r| r.get(0))
            .expect("count");
        assert_eq!(scenarios, 1);
    }

    #[test]
    fn migrates_v1_to_a_later_version() {
        let mut conn = v1_file();
        let steps = [
            Migration {
                version: 1,
                description: "v1",
                apply: v1,
            },
            Migration {
                version: 2,
                description: "scenario notes",
                apply: add_notes,
            },
        ];
        let tx = conn.transaction().expect("transaction");
        assert_eq!(migrate(&tx, 1, &steps).expect("migrate"), 2);
        tx.commit().expect("commit");
        assert_eq!(schema_version(&conn).expect("read version"), Some(2));
        let notes: i64 = conn
            .query_row(
                "SELECT count(*) FROM pragma_table_info('tessera_scenarios') WHERE name = 'notes'",
                [],
                |r| r.get(0),
            )
            .expect("table info");
        assert_eq!(notes, 1);
    }

    #[test]
    fn failed_migration_leaves_the_old_version_untouched() {
        let mut conn = v1_file();
        let steps = [
            Migration {
                version: 1,
                description: "v1",
                apply: v1,
            },
            Migration {
                version: 2,
                description: "notes",
                apply: add_notes,
            },
            Migration {
                version: 3,
                description: "fails",
                apply: broken,
            },
        ];
        {
            let tx = conn.transaction().expect("transaction");
            assert!(migrate(&tx, 1, &steps).is_err());
            // dropping the transaction rolls back
        }
        assert_eq!(schema_version(&conn).expect("read version"), Some(1));
        let leftovers: i64 = conn
            .query_row(
                "SELECT (SELECT count(*) FROM sqlite_master WHERE name = 'tessera_half_done')
                      + (SELECT count(*) FROM pragma_table_info('tessera_scenarios') WHERE name = 'notes')",
                [],
                |r| r.get(0),
            )
            .expect("query");
        assert_eq!(leftovers, 0);
    }
}
