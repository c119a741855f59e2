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
    Migration {
        version: 3,
        description: "one key style (snake_case) for scenario parameters; figures for every scenario",
        apply: v3_params_and_figures,
    },
    Migration {
        version: 4,
        description: "a note per scenario; the units' text columns (names, states) kept beside them",
        apply: v4_notes_and_unit_text,
    },
    Migration {
        version: 5,
        description: "accounts inside the units (tessera_accounts, tessera_account_columns) and named accounts",
        apply: v5_accounts,
    },
    Migration {
        version: 6,
        description: "overlay teams (tessera_teams); reps, scenarios and locks belong to a team",
        apply: v6_teams,
    },
    Migration {
        version: 7,
        description: "named accounts belong to a team (tessera_named_accounts keyed by team and account)",
        apply: v7_named_accounts_per_team,
    },
];

/// The schema version this build writes and understands.
pub const CURRENT_VERSION: i64 = 7;

/// The id of the default team: the one every workbook has (what it held before schema 6 became this team),
/// which commands without `--team` act on and which cannot be deleted.
pub const DEFAULT_TEAM: i64 = 1;

/// Key of the schema version in `tessera_meta`.
pub const SCHEMA_VERSION_KEY: &str = "schema_version";

/// `tessera_meta` key of the measure to balance (a setting; see `settings.rs`). Defined here, with the schema,
/// because migrations read it too.
pub const BALANCE_MEASURE_KEY: &str = "setting.balance_measure";

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

/// Version 4: `tessera_scenarios.note` (the planner's words on a scenario, '' by default) and
/// `tessera_unit_text`: each text column of the units file (a name, a state), its values a JSON list in unit
/// order, so exports give every column the planner imported.
/// Idempotent (a file whose version row was set back still opens).
fn v4_notes_and_unit_text(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    let has_note: bool = tx.query_row(
        "SELECT count(*) > 0 FROM pragma_table_info('tessera_scenarios') WHERE name = 'note'",
        [],
        |r| r.get(0),
    )?;
    if !has_note {
        tx.execute_batch("ALTER TABLE tessera_scenarios ADD COLUMN note TEXT NOT NULL DEFAULT ''")?;
    }
    tx.execute_batch(
        "
        CREATE TABLE IF NOT EXISTS tessera_unit_text (
            seq INTEGER NOT NULL PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            vals TEXT NOT NULL
        );
        ",
    )
}

/// Version 5: accounts attached to the units, and named accounts.
///
/// - `tessera_account_columns`: the accounts file's columns other than id, key, position and named territory,
///   in file order; `measure` = 1 for a numeric column summed into the units' measure `unit_measure`.
/// - `tessera_accounts`: one row per account in file order: id, the unit it lies in (`units.fid`, NULL when its
///   key or point matched no unit: listed, never dropped), its key as written, its position when the file had
///   one, the file line, and its values (a JSON list, one per `tessera_account_columns` row: numbers for
///   measures, text otherwise).
/// - `tessera_named_accounts`: accounts assigned to a territory (or rep id) by name, whatever their unit. Keyed
///   by account id only; overlay teams would add a `team` column to this key.
///
/// How the accounts were attached (key column or point in polygon, file) lives in `tessera_meta` under
/// `accounts.` keys. Idempotent.
fn v5_accounts(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "
        CREATE TABLE IF NOT EXISTS tessera_account_columns (
            seq INTEGER NOT NULL PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            measure INTEGER NOT NULL CHECK (measure IN (0, 1)),
            unit_measure TEXT
        );
        CREATE TABLE IF NOT EXISTS tessera_accounts (
            seq INTEGER NOT NULL PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            unit INTEGER,
            key TEXT,
            lon REAL,
            lat REAL,
            line INTEGER NOT NULL,
            vals TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS tessera_accounts_unit ON tessera_accounts(unit);
        CREATE TABLE IF NOT EXISTS tessera_named_accounts (
            account TEXT NOT NULL PRIMARY KEY,
            territory TEXT NOT NULL
        );
        ",
    )
}

/// Version 6: overlay teams. `tessera_teams` holds each team: name, an optional account filter (`filter_column`
/// = `filter_value`: the team's units are those with a matching account, its measures the sums over them), the
/// measure it balances and its tolerance (NULL: the default team keeps its measure in `tessera_meta` as before,
/// and the planning default tolerance). What a workbook held before becomes team 1, "default" ([`DEFAULT_TEAM`]).
///
/// `tessera_reps` gains `team`; `tessera_scenarios` is rebuilt with `team` and names unique per team
/// (`UNIQUE(team, name)`: SQLite cannot drop the old column constraint `name UNIQUE`), keeping every row's id so
/// assignments and history still point at their scenario; `tessera_locks` is rebuilt keyed by (team, unit). The
/// caller runs this with foreign keys off (see `file.rs`): dropping the old scenario table must not cascade to
/// the assignments. Named accounts stay keyed by account here: they belong to the default team until version 7.
///
/// Idempotent: a file whose version row was set back keeps its tables and rows.
fn v6_teams(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    let has_column = |table: &str, column: &str| -> rusqlite::Result<bool> {
        tx.query_row(
            &format!("SELECT count(*) > 0 FROM pragma_table_info('{table}') WHERE name = ?1"),
            params![column],
            |r| r.get(0),
        )
    };
    tx.execute_batch(
        "
        CREATE TABLE IF NOT EXISTS tessera_teams (
            id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL UNIQUE,
            filter_column TEXT,
            filter_value TEXT,
            measure TEXT,
            tolerance REAL,
            created TEXT NOT NULL
        );
        INSERT OR IGNORE INTO tessera_teams (id, name, created)
            VALUES (1, 'default', strftime('%Y-%m-%dT%H:%M:%fZ','now'));
        ",
    )?;
    if !has_column("tessera_reps", "team")? {
        tx.execute_batch("ALTER TABLE tessera_reps ADD COLUMN team INTEGER NOT NULL DEFAULT 1")?;
    }
    if !has_column("tessera_scenarios", "team")? {
        tx.execute_batch(
            "
            CREATE TABLE tessera_scenarios_v6 (
                id INTEGER NOT NULL PRIMARY KEY,
                team INTEGER NOT NULL DEFAULT 1,
                name TEXT NOT NULL,
                created TEXT NOT NULL,
                modified TEXT NOT NULL,
                territories TEXT NOT NULL,
                params TEXT NOT NULL,
                metrics TEXT NOT NULL,
                note TEXT NOT NULL DEFAULT '',
                UNIQUE (team, name)
            );
            INSERT INTO tessera_scenarios_v6 (id, team, name, created, modified, territories, params, metrics, note)
                SELECT id, 1, name, created, modified, territories, params, metrics, note FROM tessera_scenarios;
            DROP TABLE tessera_scenarios;
            ALTER TABLE tessera_scenarios_v6 RENAME TO tessera_scenarios;
            ",
        )?;
    }
    if !has_column("tessera_locks", "team")? {
        tx.execute_batch(
            "
            CREATE TABLE tessera_locks_v6 (
                team INTEGER NOT NULL DEFAULT 1,
                unit INTEGER NOT NULL,
                territory TEXT NOT NULL,
                PRIMARY KEY (team, unit)
            );
            INSERT INTO tessera_locks_v6 (team, unit, territory) SELECT 1, unit, territory FROM tessera_locks;
            DROP TABLE tessera_locks;
            ALTER TABLE tessera_locks_v6 RENAME TO tessera_locks;
            ",
        )?;
    }
    Ok(())
}

/// Version 7: named accounts per team. `tessera_named_accounts` is rebuilt keyed by (team, account), so a
/// key-account team names its own accounts while the field team keeps its own; the named accounts a workbook
/// held before belong to the default team ([`DEFAULT_TEAM`]), as they did.
///
/// Idempotent: a file whose version row was set back keeps its table and rows. Runs inside the one migration
/// transaction like every step: interrupted anywhere (a crash, a stop), the file stays at version 6 as it was.
fn v7_named_accounts_per_team(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    let has_team: bool = tx.query_row(
        "SELECT count(*) > 0 FROM pragma_table_info('tessera_named_accounts') WHERE name = 'team'",
        [],
        |r| r.get(0),
    )?;
    if has_team {
        return Ok(());
    }
    tx.execute_batch(
        "
        CREATE TABLE tessera_named_accounts_v7 (
            team INTEGER NOT NULL DEFAULT 1,
            account TEXT NOT NULL,
            territory TEXT NOT NULL,
            PRIMARY KEY (team, account)
        );
        INSERT INTO tessera_named_accounts_v7 (team, account, territory)
            SELECT 1, account, territory FROM tessera_named_accounts;
        DROP TABLE tessera_named_accounts;
        ALTER TABLE tessera_named_accounts_v7 RENAME TO tessera_named_accounts;
        ",
    )
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

/// Version 3: the app stored a scenario's parameters in camelCase (`maxMoved`, `timeLimit`), the CLI in
/// snake_case with `balance` for the measure and `also_balance` as `"COLUMN:TOL"` strings. Both become the
/// planning service's one style (`crate::planning::PlanRequest`'s keys). And scenarios stored without figures
/// (the imported alignment before schema 3) get their figures, so every scenario lists and exports them.
fn v3_params_and_figures(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    let rows: Vec<(i64, String, String, String)> = {
        let mut stmt = tx.prepare("SELECT id, name, params, metrics FROM tessera_scenarios")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    // Figures need the dataset; a file without one (only in tests of the schema itself) keeps its rows as they are.
    let path = std::path::Path::new("workbook");
    let dataset = super::dataset_io::read_dataset(tx, path, None, None).ok();
    let measure = dataset.as_ref().and_then(|ds| {
        let chosen: Option<String> = tx
            .query_row(
                "SELECT value FROM tessera_meta WHERE key = ?1",
                params![BALANCE_MEASURE_KEY],
                |r| r.get(0),
            )
            .ok();
        chosen
            .filter(|m| ds.units.measure(m).is_some())
            .or_else(|| crate::figures::default_measure(ds))
    });
    for (id, name, params_json, metrics_json) in rows {
        let params: serde_json::Value = serde_json::from_str(&params_json).unwrap_or(serde_json::Value::Null);
        let migrated = snake_case_params(params);
        let metrics: serde_json::Value = serde_json::from_str(&metrics_json).unwrap_or(serde_json::Value::Null);
        let empty = metrics.is_null() || metrics.as_object().is_some_and(|m| m.is_empty());
        let metrics = match (&dataset, &measure) {
            (Some(ds), Some(m)) if empty => super::scenario_rows::load_plan(tx, path, id, &name, None)
                .ok()
                .and_then(|plan| crate::figures::plan_metrics(ds, &plan, m))
                .unwrap_or(metrics),
            _ => metrics,
        };
        tx.execute(
            "UPDATE tessera_scenarios SET params = ?2, metrics = ?3 WHERE id = ?1",
            params![id, migrated.to_string(), metrics.to_string()],
        )?;
    }
    Ok(())
}

/// A parameters document in the planning service's key style: camelCase keys in snake_case, `balance` as
/// `measure`, `"COLUMN:TOL"` secondary measures as `{measure, tolerance}` objects. Other values stay.
pub fn snake_case_params(params: serde_json::Value) -> serde_json::Value {
    use serde_json::{json, Value};
    let Value::Object(map) = params else {
        return params;
    };
    let mut out = serde_json::Map::new();
    for (key, value) in map {
        let mut snake = String::new();
        for c in key.chars() {
            if c.is_ascii_uppercase() {
                snake.push('_');
                snake.push(c.to_ascii_lowercase());
            } else {
                snake.push(c);
            }
        }
        let value = match (snake.as_str(), value) {
            ("also_balance", Value::Array(items)) => Value::Array(
                items
                    .into_iter()
                    .map(|item| match item.as_str().and_then(|s| s.rsplit_once(':')) {
                        Some((m, t)) => match t.trim().parse::<f64>() {
                            Ok(t) => json!({"measure": m, "tolerance": t}),
                            Err(_) => item.clone(),
                        },
                        None => item,
                    })
                    .collect(),
            ),
            (_, v) => v,
        };
        let snake = if snake == "balance" {
            "measure".to_string()
        } else {
            snake
        };
        out.insert(snake, value);
    }
    Value::Object(out)
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
        assert_eq!(migrate(&tx, 1, &MIGRATIONS[..2]).expect("migrate"), 2);
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
    fn v3_gives_app_and_cli_parameters_one_key_style() {
        let app = serde_json::json!({"territories": 2, "measure": "workload", "keepCurrent": true,
            "maxMoved": 0.05, "respectLocks": true, "timeLimit": 5.0, "only": [], "seed": 1});
        let cli = serde_json::json!({"territories": 2, "balance": "workload", "also_balance": ["potential_usd:0.15"],
            "max_moved": null, "time_limit": 30.0});
        let mut conn = v1_file();
        for (name, params) in [("app", &app), ("cli", &cli)] {
            conn.execute(
                "INSERT INTO tessera_scenarios (name, created, modified, territories, params, metrics)
                 VALUES (?1, 'c', 'm', '[]', ?2, '{}')",
                params![name, params.to_string()],
            )
            .expect("a scenario");
        }
        let tx = conn.transaction().expect("transaction");
        assert_eq!(migrate(&tx, 1, MIGRATIONS).expect("migrate"), CURRENT_VERSION);
        tx.commit().expect("commit");
        let read = |name: &str| -> serde_json::Value {
            let text: String = conn
                .query_row("SELECT params FROM tessera_scenarios WHERE name = ?1", [name], |r| {
                    r.get(0)
                })
                .expect("params");
            serde_json::from_str(&text).expect("JSON")
        };
        let app = read("app");
        assert_eq!(app["max_moved"], 0.05);
        assert_eq!(app["time_limit"], 5.0);
        assert_eq!(app["keep_current"], true);
        assert!(app.get("maxMoved").is_none() && app.get("timeLimit").is_none(), "{app}");
        let cli = read("cli");
        assert_eq!(cli["measure"], "workload");
        assert!(cli.get("balance").is_none(), "{cli}");
        assert_eq!(cli["also_balance"][0]["measure"], "potential_usd");
        assert_eq!(cli["also_balance"][0]["tolerance"], 0.15);
    }

    /// A schema-6 file (as Tessera 6 wrote it: named accounts keyed by account) with two named accounts.
    fn v6_file_with_named_accounts() -> Connection {
        let mut conn = Connection::open_in_memory().expect("in-memory database");
        let tx = conn.transaction().expect("transaction");
        assert_eq!(migrate(&tx, 0, &MIGRATIONS[..6]).expect("create v6"), 6);
        tx.execute_batch(
            "INSERT INTO tessera_named_accounts (account, territory) VALUES ('k1', 'R9'), ('k3', 'E');
             INSERT INTO tessera_teams (name, created) VALUES ('key A', 'c');",
        )
        .expect("named accounts");
        tx.commit().expect("commit");
        conn
    }

    fn named_rows(conn: &Connection) -> Vec<(i64, String, String)> {
        let mut stmt = conn
            .prepare("SELECT team, account, territory FROM tessera_named_accounts ORDER BY team, account")
            .expect("query");
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .expect("rows");
        rows.map(|r| r.expect("row")).collect()
    }

    #[test]
    fn v7_gives_the_named_accounts_a_team_the_default_one_for_what_was_there() {
        let mut conn = v6_file_with_named_accounts();
        let tx = conn.transaction().expect("transaction");
        assert_eq!(migrate(&tx, 6, MIGRATIONS).expect("migrate"), 7);
        tx.commit().expect("commit");
        assert_eq!(schema_version(&conn).expect("version"), Some(7));
        let expected = vec![
            (DEFAULT_TEAM, "k1".to_string(), "R9".to_string()),
            (DEFAULT_TEAM, "k3".to_string(), "E".to_string()),
        ];
        assert_eq!(named_rows(&conn), expected);
        // Another team may name the same account; one team may not name it twice.
        conn.execute(
            "INSERT INTO tessera_named_accounts (team, account, territory) VALUES (2, 'k1', 'x')",
            [],
        )
        .expect("team 2 names k1 too");
        let twice = conn.execute(
            "INSERT INTO tessera_named_accounts (team, account, territory) VALUES (2, 'k1', 'y')",
            [],
        );
        assert!(twice.is_err(), "(team, account) is the key");
        // Idempotent: run again (a file whose version row was set back), the rows stay.
        let tx = conn.transaction().expect("transaction");
        v7_named_accounts_per_team(&tx).expect("again");
        tx.commit().expect("commit");
        assert_eq!(named_rows(&conn).len(), 3);
    }

    #[test]
    fn a_v7_migration_stopped_part_way_leaves_the_v6_file_as_it_was() {
        let mut conn = v6_file_with_named_accounts();
        let dump = |conn: &Connection| -> String {
            let mut stmt = conn
                .prepare("SELECT type, name, sql FROM sqlite_master ORDER BY name")
                .expect("query");
            let rows = stmt
                .query_map([], |r| {
                    Ok(format!(
                        "{}|{}|{:?}",
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, Option<String>>(2)?
                    ))
                })
                .expect("rows");
            rows.map(|r| r.expect("row")).collect::<Vec<_>>().join("\n")
        };
        let schema_before = dump(&conn);
        // v7, then a step that fails: what a stop or a crash after the rebuild looks like to the transaction.
        let steps: Vec<Migration> = MIGRATIONS
            .iter()
            .map(|m| Migration {
                version: m.version,
                description: m.description,
                apply: m.apply,
            })
            .chain(std::iter::once(Migration {
                version: 8,
                description: "fails",
                apply: broken,
            }))
            .collect();
        {
            let tx = conn.transaction().expect("transaction");
            assert!(migrate(&tx, 6, &steps).is_err());
        }
        assert_eq!(schema_version(&conn).expect("version"), Some(6));
        assert_eq!(dump(&conn), schema_before, "no table rebuilt, none left half-made");
        let rows: Vec<(String, String)> = {
            let mut stmt = conn
                .prepare("SELECT account, territory FROM tessera_named_accounts ORDER BY account")
                .expect("v6 shape");
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).expect("rows");
            rows.map(|r| r.expect("row")).collect()
        };
        assert_eq!(rows, [("k1".into(), "R9".into()), ("k3".into(), "E".into())]);
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
