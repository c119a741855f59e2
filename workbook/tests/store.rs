//! Integration tests of the `.tessera` workbook file: round trips, scenarios, history, errors, locking, and
//! GeoPackage conformance checked with GDAL's `ogrinfo`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use geo::{polygon, LineString, MultiPolygon, Polygon};
use rusqlite::Connection;
use serde_json::json;
use tessera_optimizer::{Adjacency, Measure, Plan, Rep, Units};
use tessera_workbook::store::{lock_path, Edit, Scenario, Workbook, WorkbookError, APPLICATION_ID, SCHEMA_VERSION};
use tessera_workbook::{AdjacencySource, Dataset};

fn square(x: f64, y: f64) -> Polygon<f64> {
    polygon![(x: x, y: y), (x: x + 1.0, y: y), (x: x + 1.0, y: y + 1.0), (x: x, y: y + 1.0)]
}

/// Four units on a 2×2 grid near Atlanta: one with a hole, one of two parts. Ids and measure names are
/// deliberately awkward (leading zero, comma, quote, non-ASCII; a measure called "id", an SQL injection).
fn polygon_dataset() -> Dataset {
    let (x0, y0) = (-84.5, 33.5);
    let holed = Polygon::new(
        square(x0 + 1.0, y0).exterior().clone(),
        vec![LineString::from(vec![
            (x0 + 1.25, y0 + 0.25),
            (x0 + 1.5, y0 + 0.25),
            (x0 + 1.5, y0 + 0.5),
            (x0 + 1.25, y0 + 0.25),
        ])],
    );
    let polygons = vec![
        MultiPolygon(vec![square(x0, y0)]),
        MultiPolygon(vec![holed]),
        MultiPolygon(vec![square(x0, y0 + 1.0), square(x0 - 3.0, y0 + 4.0)]),
        MultiPolygon(vec![square(x0 + 1.0, y0 + 1.0)]),
    ];
    let ids = vec!["01234".to_string(), "a,b".into(), "c\"d".into(), "Zürich".into()];
    let measures = vec![
        Measure {
            name: "workload".into(),
            values: vec![1.5, 2.25, 0.1 + 0.2, 1e-300],
        },
        Measure {
            name: "Sales (USD)".into(),
            values: vec![1_000_000.0, 0.0, 42.0, 7.5],
        },
        Measure {
            name: "id".into(),
            values: vec![1.0, 2.0, 3.0, 4.0],
        },
        Measure {
            name: "\"; DROP TABLE units; --".into(),
            values: vec![9.0, 8.0, 7.0, 6.0],
        },
    ];
    let units = Units::new(
        ids,
        vec![x0 + 0.5, x0 + 1.5, x0 + 0.5, x0 + 1.5],
        vec![y0 + 0.5, y0 + 0.5, y0 + 1.5, y0 + 1.5],
        measures,
    )
    .expect("units");
    let adjacency = Adjacency::from_edges(4, &[(0, 1), (0, 2), (1, 3), (2, 3)]);
    let reps = vec![
        Rep {
            id: "r1".into(),
            name: "Ann Lee".into(),
            lon: -84.39,
            lat: 33.75,
            capacity: 1.0,
        },
        Rep {
            id: "r2".into(),
            name: "Bo Diaz".into(),
            lon: -84.1,
            lat: 34.0,
            capacity: 0.5,
        },
    ];
    Dataset {
        units,
        adjacency,
        adjacency_source: AdjacencySource::PolygonsRook,
        bridged: vec![(2, 3)],
        polygons: Some(polygons),
        reps,
        current: Some(Plan::new(
            vec![0, 1, 0, 1],
            vec!["West".into(), "East".into(), "Empty".into()],
        )),
    }
}

/// Five points, no polygons, reps or current alignment.
fn point_dataset() -> Dataset {
    let ids: Vec<String> = (0..5).map(|i| format!("p{i}")).collect();
    let units = Units::new(
        ids,
        vec![-71.06, -71.1, -71.2, -70.9, -71.0],
        vec![42.36, 42.4, 42.3, 42.5, 42.25],
        vec![Measure {
            name: "accounts".into(),
            values: vec![3.0, 1.0, 4.0, 1.0, 5.0],
        }],
    )
    .expect("units");
    Dataset {
        adjacency: Adjacency::from_edges(5, &[(0, 1), (1, 2), (2, 3), (3, 4), (0, 4)]),
        units,
        adjacency_source: AdjacencySource::Delaunay,
        bridged: vec![],
        polygons: None,
        reps: vec![],
        current: None,
    }
}

fn temp() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("sample.tessera");
    (dir, path)
}

fn plan(territory_of: Vec<u32>, names: &[&str]) -> Plan {
    Plan::new(territory_of, names.iter().map(|s| s.to_string()).collect())
}

#[test]
fn round_trip_with_polygons_is_exact() {
    let (_dir, path) = temp();
    let ds = polygon_dataset();
    drop(Workbook::create(&path, &ds).expect("create"));
    let wb = Workbook::open(&path).expect("open");
    assert_eq!(wb.dataset().expect("read"), ds);
    assert_eq!(wb.unit_ids().expect("ids"), ds.units.ids());
    let names: Vec<String> = wb.scenarios().expect("list").into_iter().map(|s| s.name).collect();
    assert_eq!(names, vec!["current"]);
    assert_eq!(
        wb.meta("schema_version").expect("meta"),
        Some(SCHEMA_VERSION.to_string())
    );
    assert!(wb.meta("created").expect("meta").is_some());
}

#[test]
fn round_trip_of_points_without_polygons_is_exact() {
    let (_dir, path) = temp();
    let ds = point_dataset();
    drop(Workbook::create(&path, &ds).expect("create"));
    let wb = Workbook::open(&path).expect("open");
    let back = wb.dataset().expect("read");
    assert_eq!(back, ds);
    assert!(back.polygons.is_none() && back.current.is_none());
    assert!(wb.scenarios().expect("list").is_empty());
}

#[test]
fn create_refuses_to_overwrite_and_leaves_no_temporary_files() {
    let (dir, path) = temp();
    drop(Workbook::create(&path, &point_dataset()).expect("create"));
    let err = Workbook::create(&path, &polygon_dataset()).expect_err("must refuse");
    assert!(matches!(err, WorkbookError::Exists { .. }), "{err}");
    assert!(err.to_string().contains("sample.tessera"), "{err}");
    // The refused create changed nothing.
    assert_eq!(
        Workbook::open(&path).expect("open").dataset().expect("read"),
        point_dataset()
    );
    drop(Workbook::create_replacing(&path, &polygon_dataset()).expect("replace"));
    assert_eq!(
        Workbook::open(&path).expect("open").dataset().expect("read"),
        polygon_dataset()
    );
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        left,
        vec!["sample.tessera"],
        "temporary, journal and lock files are gone"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // A document, not a private temporary file: the same mode as any new file (0666 less the umask).
        let probe = dir.path().join("probe.txt");
        std::fs::write(&probe, b"x").expect("probe");
        let expected = std::fs::metadata(&probe).expect("stat").permissions().mode() & 0o777;
        std::fs::remove_file(&probe).expect("rm probe");
        let mode = std::fs::metadata(&path).expect("stat").permissions().mode() & 0o777;
        assert_eq!(mode, expected, "workbook has the mode of an ordinary new file");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).expect("chmod");
        drop(Workbook::create_replacing(&path, &point_dataset()).expect("replace"));
        let mode = std::fs::metadata(&path).expect("stat").permissions().mode() & 0o777;
        assert_eq!(mode, 0o640, "replacing keeps the replaced file's permissions");
    }
}

#[test]
fn scenarios_save_replace_and_delete() {
    let (_dir, path) = temp();
    let mut wb = Workbook::create(&path, &polygon_dataset()).expect("create");
    let mut s = Scenario::new("balanced", plan(vec![0, 0, 1, 1], &["North", "South"]));
    s.params = json!({ "territories": 2, "tolerance": 0.05, "seed": 42 });
    s.metrics = json!({ "max_dev": 0.125, "cv": 0.05, "travel": 1234.5 });
    wb.save_scenario(&s).expect("save");
    assert_eq!(wb.scenario("balanced").expect("load"), s);
    let created = wb
        .scenarios()
        .expect("list")
        .into_iter()
        .find(|x| x.name == "balanced")
        .expect("listed")
        .created;

    // Replace: same name, new plan and metrics; one scenario remains, creation time kept.
    let mut s2 = Scenario::new("balanced", plan(vec![2, 1, 1, 0], &["A", "B", "C"]));
    s2.metrics = json!({ "max_dev": 0.01 });
    wb.save_scenario(&s2).expect("replace");
    drop(wb);
    let mut wb = Workbook::open(&path).expect("reopen");
    assert_eq!(wb.scenario("balanced").expect("load"), s2);
    let list = wb.scenarios().expect("list");
    assert_eq!(list.iter().filter(|x| x.name == "balanced").count(), 1);
    let summary = list.iter().find(|x| x.name == "balanced").expect("listed");
    assert_eq!((summary.created.as_str(), summary.territories), (created.as_str(), 3));
    assert_eq!(summary.metrics, json!({ "max_dev": 0.01 }));

    // A plan of the wrong size is refused and changes nothing.
    let err = wb
        .save_scenario(&Scenario::new("bad", plan(vec![0, 0], &["X"])))
        .expect_err("wrong size");
    assert!(
        matches!(err, WorkbookError::PlanSize { plan: 2, units: 4, .. }),
        "{err}"
    );
    let err = wb
        .save_scenario(&Scenario::new("dup", plan(vec![0, 1, 0, 1], &["X", "X"])))
        .expect_err("dup names");
    assert!(matches!(err, WorkbookError::InvalidEdit { .. }), "{err}");
    assert_eq!(wb.scenarios().expect("list").len(), 2);

    wb.delete_scenario("balanced").expect("delete");
    assert!(matches!(wb.scenario("balanced"), Err(WorkbookError::NoScenario { .. })));
    assert!(matches!(
        wb.delete_scenario("balanced"),
        Err(WorkbookError::NoScenario { .. })
    ));
    let rows: i64 = Connection::open(&path)
        .expect("raw")
        .query_row(
            "SELECT count(*) FROM tessera_assignments a JOIN tessera_scenarios s ON s.id = a.scenario",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(rows, 4, "only the current scenario's assignments remain");
}

#[test]
fn saving_current_updates_the_territory_column_of_the_units_layer() {
    let (_dir, path) = temp();
    let mut wb = Workbook::create(&path, &polygon_dataset()).expect("create");
    let territories = |path: &Path| -> Vec<Option<String>> {
        let c = Connection::open(path).expect("raw");
        let mut st = c.prepare("SELECT territory FROM units ORDER BY fid").expect("prepare");
        st.query_map([], |r| r.get(0))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows")
    };
    assert_eq!(
        territories(&path),
        vec![
            Some("West".into()),
            Some("East".into()),
            Some("West".into()),
            Some("East".into())
        ]
    );
    wb.save_scenario(&Scenario::new("current", plan(vec![0, 0, 0, 1], &["N", "S"])))
        .expect("save");
    assert_eq!(
        territories(&path),
        vec![Some("N".into()), Some("N".into()), Some("N".into()), Some("S".into())]
    );
    assert_eq!(
        wb.dataset().expect("read").current,
        Some(plan(vec![0, 0, 0, 1], &["N", "S"]))
    );
    wb.delete_scenario("current").expect("delete");
    assert_eq!(territories(&path), vec![None, None, None, None]);
    assert_eq!(wb.dataset().expect("read").current, None);
}

#[test]
fn undo_and_redo_survive_reopening() {
    let (_dir, path) = temp();
    let mut wb = Workbook::create(&path, &polygon_dataset()).expect("create");
    let start = plan(vec![0, 0, 1, 1], &["North", "South"]);
    wb.save_scenario(&Scenario::new("edit me", start.clone()))
        .expect("save");
    wb.record_edit("edit me", &Edit::single("01234", "North", "South"))
        .expect("edit 1");
    let two = Edit {
        moves: vec![
            tessera_workbook::store::Move {
                unit: "Zürich".into(),
                before: "South".into(),
                after: "East".into(),
            },
            tessera_workbook::store::Move {
                unit: "a,b".into(),
                before: "North".into(),
                after: "South".into(),
            },
        ],
    };
    wb.record_edit("edit me", &two).expect("edit 2");
    let after_two = plan(vec![1, 1, 1, 2], &["North", "South", "East"]);
    assert_eq!(wb.scenario("edit me").expect("load").plan, after_two);

    // A stale edit (unit not where the caller thinks) is refused and changes nothing.
    let err = wb
        .record_edit("edit me", &Edit::single("c\"d", "North", "East"))
        .expect_err("stale");
    assert!(matches!(err, WorkbookError::InvalidEdit { .. }), "{err}");
    assert!(err.to_string().contains("not \"North\""), "{err}");
    assert!(matches!(
        wb.record_edit("edit me", &Edit::single("nope", "North", "East")),
        Err(WorkbookError::InvalidEdit { .. })
    ));
    assert!(matches!(
        wb.record_edit("missing", &two),
        Err(WorkbookError::NoScenario { .. })
    ));

    // New metrics for the edited plan keep the plan and its history.
    wb.set_metrics("edit me", &json!({ "max_dev": 0.5 })).expect("metrics");
    assert_eq!(wb.scenario("edit me").expect("load").metrics, json!({ "max_dev": 0.5 }));
    assert!(matches!(
        wb.set_metrics("missing", &json!(1)),
        Err(WorkbookError::NoScenario { .. })
    ));
    assert_eq!(wb.undo("edit me").expect("undo"), Some(two.clone()));
    drop(wb);

    let mut wb = Workbook::open(&path).expect("reopen");
    let after_one = plan(vec![1, 0, 1, 1], &["North", "South", "East"]);
    assert_eq!(wb.scenario("edit me").expect("load").plan, after_one);
    let s = wb
        .scenarios()
        .expect("list")
        .into_iter()
        .find(|s| s.name == "edit me")
        .expect("listed");
    assert_eq!((s.undo_steps, s.redo_steps), (1, 1));
    assert_eq!(wb.redo("edit me").expect("redo"), Some(two.clone()));
    assert_eq!(wb.scenario("edit me").expect("load").plan, after_two);
    assert_eq!(wb.redo("edit me").expect("redo"), None);
    wb.undo("edit me").expect("undo 2");
    wb.undo("edit me").expect("undo 1");
    assert_eq!(wb.undo("edit me").expect("nothing"), None);
    assert_eq!(
        wb.scenario("edit me").expect("load").plan.territory_of(),
        start.territory_of()
    );

    // A new edit after undo ends the redo branch.
    wb.record_edit("edit me", &Edit::single("c\"d", "South", "North"))
        .expect("new edit");
    assert_eq!(wb.redo("edit me").expect("redo"), None);
    drop(wb);
    let wb = Workbook::open(&path).expect("reopen");
    let s = wb
        .scenarios()
        .expect("list")
        .into_iter()
        .find(|s| s.name == "edit me")
        .expect("listed");
    assert_eq!((s.undo_steps, s.redo_steps), (1, 0));
}

#[test]
fn edits_to_current_follow_into_the_units_layer_and_geojson() {
    let (_dir, path) = temp();
    let mut wb = Workbook::create(&path, &polygon_dataset()).expect("create");
    wb.record_edit("current", &Edit::single("Zürich", "East", "West"))
        .expect("edit");
    let geo: serde_json::Value = serde_json::from_str(&wb.units_geojson().expect("geojson")).expect("json");
    let features = geo["features"].as_array().expect("features");
    assert_eq!(features.len(), 4);
    assert_eq!(features[3]["properties"]["territory"], "West");
    assert_eq!(
        features[3]["properties"]["id"], "Zürich",
        "Tessera's id wins over a measure named id"
    );
    assert_eq!(features[0]["properties"]["Sales (USD)"], 1_000_000.0);
    assert_eq!(features[2]["geometry"]["type"], "MultiPolygon");
    assert_eq!(
        features[2]["geometry"]["coordinates"].as_array().expect("parts").len(),
        2
    );
    wb.undo("current").expect("undo");
    let geo: serde_json::Value = serde_json::from_str(&wb.units_geojson().expect("geojson")).expect("json");
    assert_eq!(geo["features"][3]["properties"]["territory"], "East");
}

#[test]
fn garbage_empty_and_missing_files_are_not_workbooks() {
    let (dir, _) = temp();
    let garbage = dir.path().join("garbage.tessera");
    std::fs::write(
        &garbage,
        (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect::<Vec<_>>(),
    )
    .expect("write");
    let err = Workbook::open(&garbage).expect_err("garbage");
    assert!(matches!(err, WorkbookError::NotSqlite { .. }), "{err}");
    assert!(
        err.to_string().contains("garbage.tessera") && err.to_string().contains("not a Tessera workbook"),
        "{err}"
    );

    let empty = dir.path().join("empty.tessera");
    std::fs::write(&empty, b"").expect("write");
    assert!(matches!(Workbook::open(&empty), Err(WorkbookError::NotSqlite { .. })));

    // SQLite header followed by garbage: SQLite itself must reject it, and we must not panic.
    let mut fake = b"SQLite format 3\0".to_vec();
    fake.extend((0..8192u32).map(|i| (i * 31 % 256) as u8));
    let fake_path = dir.path().join("fake.tessera");
    std::fs::write(&fake_path, &fake).expect("write");
    let err = Workbook::open(&fake_path).expect_err("fake");
    assert!(
        matches!(err, WorkbookError::NotSqlite { .. } | WorkbookError::NotWorkbook { .. }),
        "{err}"
    );

    let missing = dir.path().join("missing.tessera");
    let err = Workbook::open(&missing).expect_err("missing");
    assert!(
        matches!(err, WorkbookError::Io { .. }) && err.to_string().contains("missing.tessera"),
        "{err}"
    );
}

#[test]
fn an_ordinary_sqlite_database_is_not_a_workbook() {
    let (dir, _) = temp();
    let other = dir.path().join("crm.sqlite");
    Connection::open(&other)
        .expect("raw")
        .execute_batch("CREATE TABLE accounts (id TEXT, revenue REAL);")
        .expect("ddl");
    let before = std::fs::read(&other).expect("bytes");
    let err = Workbook::open(&other).expect_err("not a workbook");
    assert_eq!(
        std::fs::read(&other).expect("bytes"),
        before,
        "someone else's database is left alone"
    );
    assert!(matches!(err, WorkbookError::NotWorkbook { .. }), "{err}");
    assert!(
        err.to_string().contains("crm.sqlite") && err.to_string().contains("tessera_meta"),
        "{err}"
    );
}

#[test]
fn a_workbook_of_a_newer_schema_is_refused_and_left_alone() {
    let (_dir, path) = temp();
    drop(Workbook::create(&path, &point_dataset()).expect("create"));
    Connection::open(&path)
        .expect("raw")
        .execute(
            "UPDATE tessera_meta SET value = ?1 WHERE key = 'schema_version'",
            [(SCHEMA_VERSION + 98).to_string()],
        )
        .expect("bump");
    let before = std::fs::read(&path).expect("bytes");
    let err = Workbook::open(&path).expect_err("newer");
    match &err {
        WorkbookError::NewerSchema { found, supported, .. } => {
            assert_eq!((*found, *supported), (SCHEMA_VERSION + 98, SCHEMA_VERSION))
        }
        other => panic!("expected NewerSchema, got {other}"),
    }
    assert!(err.to_string().contains("update Tessera"), "{err}");
    assert_eq!(std::fs::read(&path).expect("bytes"), before, "file untouched");
    assert!(!lock_path(&path).exists(), "lock released after the refusal");
}

#[test]
fn a_second_writer_gets_a_clear_error_and_readers_still_work() {
    let (_dir, path) = temp();
    let mut first = Workbook::create(&path, &polygon_dataset()).expect("create");
    let err = Workbook::open(&path).expect_err("second writer");
    assert!(matches!(err, WorkbookError::Locked { .. }), "{err}");
    assert!(err.to_string().contains("open in another process"), "{err}");
    let err = Workbook::create_replacing(&path, &point_dataset()).expect_err("no overwrite while open");
    assert!(matches!(err, WorkbookError::Locked { .. }), "{err}");

    let reader = Workbook::open_read_only(&path).expect("reader");
    assert_eq!(reader.dataset().expect("read"), polygon_dataset());
    first
        .save_scenario(&Scenario::new("x", plan(vec![0, 0, 0, 0], &["T"])))
        .expect("writer still writes");
    assert_eq!(
        reader.scenario("x").expect("reader sees commit").plan,
        plan(vec![0, 0, 0, 0], &["T"])
    );
    drop(reader);
    drop(first);
    let mut second = Workbook::open(&path).expect("open after the first closed");
    second.delete_scenario("x").expect("write");
}

#[test]
fn a_write_blocked_by_another_sqlite_connection_fails_cleanly_and_loses_nothing() {
    let (_dir, path) = temp();
    let mut wb = Workbook::create(&path, &polygon_dataset()).expect("create");
    // A GIS tool (or anything else using SQLite) in the middle of a write.
    let other = Connection::open(&path).expect("raw");
    other
        .execute_batch("BEGIN IMMEDIATE; UPDATE tessera_meta SET value = 'GIS' WHERE key = 'app_version';")
        .expect("lock");
    let started = Instant::now();
    let err = wb
        .save_scenario(&Scenario::new("blocked", plan(vec![0, 0, 0, 0], &["T"])))
        .expect_err("busy");
    assert!(matches!(err, WorkbookError::Locked { .. }), "{err}");
    assert!(started.elapsed() < Duration::from_secs(10), "busy timeout is short");
    other.execute_batch("ROLLBACK;").expect("rollback");
    assert!(wb.scenarios().expect("list").iter().all(|s| s.name != "blocked"));
    wb.save_scenario(&Scenario::new("blocked", plan(vec![0, 0, 0, 0], &["T"])))
        .expect("retry works");
    assert_eq!(wb.dataset().expect("read"), polygon_dataset());
}

#[test]
fn read_only_workbooks_refuse_writes_and_lose_nothing() {
    let (_dir, path) = temp();
    drop(Workbook::create(&path, &polygon_dataset()).expect("create"));
    let before = std::fs::read(&path).expect("bytes");
    let mut ro = Workbook::open_read_only(&path).expect("open read-only");
    assert!(ro.read_only_reason().is_some());
    let err = ro
        .save_scenario(&Scenario::new("x", plan(vec![0, 0, 0, 0], &["T"])))
        .expect_err("read-only");
    assert!(matches!(err, WorkbookError::ReadOnly { .. }), "{err}");
    assert!(err.to_string().contains("nothing was changed"), "{err}");
    assert!(matches!(
        ro.record_edit("current", &Edit::single("01234", "West", "East")),
        Err(WorkbookError::ReadOnly { .. })
    ));
    assert!(matches!(ro.undo("current"), Err(WorkbookError::ReadOnly { .. })));
    assert!(matches!(
        ro.delete_scenario("current"),
        Err(WorkbookError::ReadOnly { .. })
    ));
    assert_eq!(ro.dataset().expect("still readable"), polygon_dataset());
    drop(ro);
    assert_eq!(std::fs::read(&path).expect("bytes"), before);

    // A file without write permission opens read-only by itself. Root ignores permissions, so this part can
    // only be checked as an ordinary user; as root, it checks that opening still works.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).expect("chmod");
        let enforced = std::fs::OpenOptions::new().write(true).open(&path).is_err();
        let mut wb = Workbook::open(&path).expect("open read-only file");
        if enforced {
            assert!(wb.read_only_reason().is_some());
            let err = wb.delete_scenario("current").expect_err("read-only");
            assert!(matches!(err, WorkbookError::ReadOnly { .. }), "{err}");
        } else {
            eprintln!("running as root: file permissions are not enforced; read-only tested via open_read_only");
        }
        drop(wb);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod back");
    }
}

#[test]
fn the_file_is_a_geopackage() {
    let (_dir, path) = temp();
    drop(Workbook::create(&path, &polygon_dataset()).expect("create"));
    let c = Connection::open(&path).expect("raw");
    let app_id: i32 = c.query_row("PRAGMA application_id", [], |r| r.get(0)).expect("app id");
    assert_eq!(app_id, APPLICATION_ID);
    assert_eq!(&app_id.to_be_bytes(), b"GPKG");
    let user_version: i32 = c
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("user_version");
    assert!(user_version >= 10201, "{user_version}");
    let srs: Vec<i64> = c
        .prepare("SELECT srs_id FROM gpkg_spatial_ref_sys ORDER BY srs_id")
        .expect("prepare")
        .query_map([], |r| r.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(srs, vec![-1, 0, 4326]);
    let (kind, min_x, max_y): (String, f64, f64) = c
        .query_row(
            "SELECT data_type, min_x, max_y FROM gpkg_contents WHERE table_name = 'units'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("contents");
    assert_eq!((kind.as_str(), min_x, max_y), ("features", -87.5, 38.5));
    let geom_type: String = c
        .query_row(
            "SELECT geometry_type_name FROM gpkg_geometry_columns WHERE table_name = 'units'",
            [],
            |r| r.get(0),
        )
        .expect("geometry columns");
    assert_eq!(geom_type, "MULTIPOLYGON");
    let check: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity");
    assert_eq!(check, "ok");
    let journal: String = c.query_row("PRAGMA journal_mode", [], |r| r.get(0)).expect("journal");
    assert_eq!(journal, "delete", "one self-contained file at rest");
    // Sanitised measure columns exist and hold the values.
    let sales: f64 = c
        .query_row("SELECT \"Sales_USD_\" FROM units WHERE id = '01234'", [], |r| r.get(0))
        .expect("column");
    assert_eq!(sales, 1_000_000.0);
}

/// Runs `ogrinfo` and returns stdout, failing loudly when GDAL is not installed.
fn ogrinfo(args: &[&str]) -> String {
    let out = Command::new("ogrinfo").args(args).output().unwrap_or_else(|e| {
        panic!("could not run ogrinfo ({e}); install GDAL's command-line tools: apt-get install -y gdal-bin")
    });
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "ogrinfo {args:?} failed:\n{stdout}\n{stderr}");
    // GeoPackage requirement 3 wants the extension `.gpkg`; GDAL notes that a `.tessera` file has another
    // one and reads it all the same. That note is the only one allowed (a `.gpkg` copy must get none).
    let unexpected: Vec<&str> = stderr
        .lines()
        .filter(|l| !l.trim().is_empty())
        .filter(|l| {
            !(l.contains("has GPKG application_id, but non conformant file extension") && l.contains(".tessera"))
        })
        .collect();
    assert!(unexpected.is_empty(), "ogrinfo {args:?} complained:\n{stderr}");
    println!("$ ogrinfo {}\n{stdout}", args.join(" "));
    stdout
}

#[test]
fn ogrinfo_reads_the_units_layer_with_polygons() {
    let (_dir, path) = temp();
    let mut wb = Workbook::create(&path, &polygon_dataset()).expect("create");
    wb.save_scenario(&Scenario::new("opt", plan(vec![0, 0, 1, 1], &["N", "S"])))
        .expect("save");
    wb.record_edit("opt", &Edit::single("01234", "N", "S")).expect("edit");
    drop(wb);
    let p = path.to_str().expect("utf-8 path");
    let listing = ogrinfo(&["-ro", "-q", p]);
    let layers: Vec<&str> = listing
        .lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_digit()))
        .collect();
    assert_eq!(
        layers,
        vec!["1: units (Multi Polygon)", "2: tessera_scenarios (None)"],
        "{listing}"
    );
    let scenarios = ogrinfo(&["-ro", "-so", p, "tessera_scenarios"]);
    assert!(scenarios.contains("Feature Count: 2"), "{scenarios}");
    let summary = ogrinfo(&["-ro", "-so", p, "units"]);
    assert!(summary.contains("Geometry: Multi Polygon"), "{summary}");
    assert!(summary.contains("Feature Count: 4"), "{summary}");
    assert!(
        summary.contains("Extent: (-87.500000, 33.500000) - (-82.500000, 38.500000)"),
        "{summary}"
    );
    assert!(summary.contains("WGS 84"), "{summary}");
    assert!(summary.contains("Sales_USD_: Real"), "{summary}");
    let one = ogrinfo(&["-ro", p, "units", "-where", "id = 'Zürich'"]);
    assert!(one.contains("territory (String) = East"), "{one}");
    assert!(
        one.contains("MULTIPOLYGON (((-83.5 34.5,-82.5 34.5,-82.5 35.5,-83.5 35.5,-83.5 34.5)))"),
        "{one}"
    );

    // Under the extension the GeoPackage specification asks for, GDAL has nothing at all to say.
    let gpkg = path.with_extension("gpkg");
    std::fs::copy(&path, &gpkg).expect("copy");
    let g = gpkg.to_str().expect("utf-8 path");
    let strict = Command::new("ogrinfo")
        .args(["-ro", "-so", g, "units"])
        .output()
        .expect("ogrinfo ran above");
    assert!(
        strict.status.success() && strict.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&strict.stderr)
    );
    assert!(String::from_utf8_lossy(&strict.stdout).contains("Feature Count: 4"));
}

#[test]
fn ogrinfo_reads_the_units_layer_with_points() {
    let (_dir, path) = temp();
    drop(Workbook::create(&path, &point_dataset()).expect("create"));
    let p = path.to_str().expect("utf-8 path");
    let summary = ogrinfo(&["-ro", "-so", p, "units"]);
    assert!(summary.contains("Geometry: Point"), "{summary}");
    assert!(summary.contains("Feature Count: 5"), "{summary}");
    let one = ogrinfo(&["-ro", p, "units", "-where", "id = 'p0'"]);
    assert!(one.contains("POINT (-71.06 42.36)"), "{one}");
    assert!(one.contains("accounts (Real) = 3"), "{one}");
}

/// Child side of the crash tests: does nothing unless the parent test started this binary with the env var.
#[test]
fn crash_child_worker() {
    let Ok(mode) = std::env::var("TESSERA_CRASH_CHILD") else {
        return;
    };
    let path = PathBuf::from(std::env::var("TESSERA_CRASH_PATH").expect("path"));
    match mode.as_str() {
        "save" => {
            let mut wb = Workbook::open(&path).expect("child open");
            let n = wb.dataset().expect("child read").units.len();
            for k in 1u32.. {
                let mut s = Scenario::new("s", Plan::new(vec![k % 2; n], vec!["A".into(), "B".into()]));
                s.params = json!({ "k": k });
                wb.save_scenario(&s).expect("child save");
                // Unit "a,b" goes back and forth between East and West (from wherever the last round left it).
                let current = wb.scenario("current").expect("child current").plan;
                let from = current.names()[current.territory_of()[1] as usize].clone();
                let to = if from == "East" { "West" } else { "East" };
                wb.record_edit("current", &Edit::single("a,b", from.as_str(), to))
                    .expect("child edit");
                if k % 3 == 0 {
                    wb.undo("current").expect("child undo");
                    wb.redo("current").expect("child redo");
                }
                progress(&path, k);
            }
        }
        "hold" => {
            let _wb = Workbook::open(&path).expect("child open");
            println!("holding");
            std::thread::sleep(Duration::from_secs(60));
        }
        "create" => {
            for k in 1u32.. {
                drop(Workbook::create_replacing(&path, &polygon_dataset()).expect("child create"));
                progress(&path, k);
            }
        }
        other => panic!("unknown crash mode {other}"),
    }
}

/// The child's heartbeat: how many operations it has completed.
fn progress(path: &Path, k: u32) {
    std::fs::write(path.with_extension("progress"), k.to_string()).expect("progress");
}

/// Starts a child in `mode`, waits until it has completed one operation (so a slow machine cannot make the
/// test kill it before it did anything), then lets it run `delay` more and kills it with SIGKILL.
fn run_and_kill(mode: &str, path: &Path, delay: Duration) {
    let marker = path.with_extension("progress");
    let _ = std::fs::remove_file(&marker);
    let mut child = spawn_child(mode, path);
    let started = Instant::now();
    while !marker.exists() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("crash child exited early with {status}");
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "crash child made no progress in 60 s"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    std::thread::sleep(delay);
    child.kill().expect("kill");
    child.wait().expect("reap");
    let _ = std::fs::remove_file(&marker);
    let mut journal = path.as_os_str().to_owned();
    journal.push("-journal");
    if Path::new(&journal).exists() {
        println!("{mode}: killed mid-transaction (hot journal left for the next open to roll back)");
    }
}

fn spawn_child(mode: &str, path: &Path) -> std::process::Child {
    Command::new(std::env::current_exe().expect("test binary"))
        .args(["--exact", "crash_child_worker", "--nocapture", "--test-threads=1"])
        .env("TESSERA_CRASH_CHILD", mode)
        .env("TESSERA_CRASH_PATH", path)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn child")
}

/// SIGKILL a process saving scenarios at many points: the workbook always reopens, passes
/// `PRAGMA integrity_check`, and every scenario is whole (its plan matches the parameters saved with it).
#[test]
fn killing_a_writer_mid_save_never_leaves_a_mixed_state() {
    let (_dir, path) = temp();
    drop(Workbook::create(&path, &polygon_dataset()).expect("create"));
    let mut saved_some = false;
    let mut hot_journals = 0;
    for round in 0..25u64 {
        run_and_kill("save", &path, Duration::from_micros((round * 7_919) % 60_000));
        // A reader first: it must cope with the journal a kill mid-transaction leaves behind.
        let journal = path.with_extension("tessera-journal");
        hot_journals += usize::from(std::fs::metadata(&journal).is_ok_and(|m| m.len() > 0));
        Workbook::open_read_only(&path)
            .and_then(|wb| wb.scenarios())
            .unwrap_or_else(|e| panic!("round {round}: read-only reopen failed: {e}"));
        let wb = Workbook::open(&path).unwrap_or_else(|e| panic!("round {round}: reopen failed: {e}"));
        let check: String = wb_integrity(&path);
        assert_eq!(check, "ok", "round {round}");
        let ds = wb.dataset().unwrap_or_else(|e| panic!("round {round}: {e}"));
        assert_eq!(ds.units, polygon_dataset().units);
        if let Ok(s) = wb.scenario("s") {
            let k = s.params["k"].as_u64().expect("k saved with the plan") as u32;
            assert!(
                s.plan.territory_of().iter().all(|&t| t == k % 2),
                "round {round}: plan and params disagree"
            );
            saved_some = true;
        }
        // The current alignment and the units layer's territory column moved together.
        let current = ds.current.expect("current");
        let column: Vec<String> = Connection::open(&path)
            .expect("raw")
            .prepare("SELECT territory FROM units ORDER BY fid")
            .expect("prepare")
            .query_map([], |r| r.get(0))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows");
        let from_plan: Vec<String> = current
            .territory_of()
            .iter()
            .map(|&t| current.names()[t as usize].clone())
            .collect();
        assert_eq!(column, from_plan, "round {round}");
    }
    assert!(saved_some, "the child never got to save: the test proved nothing");
    assert!(
        hot_journals > 0,
        "no kill left a journal behind: the read-only recovery went untested"
    );
}

/// SIGKILL a process importing (create_replacing) at many points: the path always holds a complete workbook.
#[test]
fn killing_an_import_never_leaves_a_half_file() {
    let (dir, path) = temp();
    drop(Workbook::create(&path, &point_dataset()).expect("create"));
    let mut replaced = false;
    for round in 0..25u64 {
        run_and_kill("create", &path, Duration::from_micros((round * 5_303) % 30_000));
        let wb = Workbook::open(&path).unwrap_or_else(|e| panic!("round {round}: reopen failed: {e}"));
        assert_eq!(wb_integrity(&path), "ok");
        let ds = wb.dataset().unwrap_or_else(|e| panic!("round {round}: {e}"));
        if ds == polygon_dataset() {
            replaced = true;
        } else {
            assert_eq!(
                ds,
                point_dataset(),
                "round {round}: neither the old nor the new workbook"
            );
        }
    }
    assert!(replaced, "the child never finished an import: the test proved nothing");
    // Temporary files of killed imports may remain (hidden, named .tessera-import-*.tmp); never the target.
    for e in std::fs::read_dir(dir.path()).expect("list") {
        let name = e.expect("entry").file_name().to_string_lossy().into_owned();
        assert!(
            name == "sample.tessera" || name.starts_with(".tessera-import-"),
            "unexpected file {name}"
        );
    }
}

fn wb_integrity(path: &Path) -> String {
    Connection::open(path)
        .expect("raw")
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("check")
}

/// Two real processes: while one has the workbook open, the other is told so, and can open it once the first
/// is gone (even killed, since the operating system drops its lock).
#[test]
fn a_second_process_is_told_the_workbook_is_open() {
    let (_dir, path) = temp();
    drop(Workbook::create(&path, &polygon_dataset()).expect("create"));
    let mut child = spawn_child("hold", &path);
    let lock = lock_path(&path);
    let started = Instant::now();
    while !std::fs::read_to_string(&lock)
        .unwrap_or_default()
        .contains("Tessera process")
    {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "child never opened the workbook"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let err = Workbook::open(&path).expect_err("held by the child");
    assert!(matches!(err, WorkbookError::Locked { .. }), "{err}");
    assert!(err.to_string().contains("workbook is open in another process"), "{err}");
    assert_eq!(
        Workbook::open_read_only(&path)
            .expect("read-only")
            .dataset()
            .expect("read"),
        polygon_dataset()
    );
    child.kill().expect("kill");
    child.wait().expect("reap");
    let mut wb = Workbook::open(&path).expect("open after the holder died");
    wb.save_scenario(&Scenario::new("mine", plan(vec![0, 0, 0, 0], &["T"])))
        .expect("write");
}

#[test]
fn a_workbook_can_move_between_threads() {
    fn assert_send<T: Send>() {}
    assert_send::<Workbook>();
}

#[test]
fn exports_a_scenario_as_plan_csv_metrics_json_and_geojson() {
    use tessera_workbook::export::{write_metrics_json, write_plan_csv};
    let (_dir, path) = temp();
    let mut wb = Workbook::create(&path, &polygon_dataset()).expect("create");
    let mut s = Scenario::new("opt", plan(vec![1, 0, 1, 0], &["North", "South, East"]));
    s.metrics = json!({ "max_dev": 0.02, "territories": [{ "name": "North", "load": 3.5 }] });
    wb.save_scenario(&s).expect("save");

    let loaded = wb.scenario("opt").expect("load");
    let ids = wb.unit_ids().expect("ids");
    let mut csv_out = Vec::new();
    write_plan_csv(&mut csv_out, &ids, &loaded.plan).expect("csv");
    let text = String::from_utf8(csv_out).expect("utf-8");
    assert_eq!(
        text,
        "id,territory\n01234,\"South, East\"\n\"a,b\",North\n\"c\"\"d\",\"South, East\"\nZürich,North\n"
    );
    // Read back with the csv crate into a plan: the same assignment.
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<(String, String)> = r.deserialize().collect::<Result<_, _>>().expect("rows");
    let units = wb.dataset().expect("read").units;
    let back = Plan::from_pairs(&units, rows.iter().map(|(a, b)| (a.as_str(), b.as_str()))).expect("plan");
    let as_names = |p: &Plan| -> Vec<String> {
        p.territory_of()
            .iter()
            .map(|&t| p.names()[t as usize].clone())
            .collect()
    };
    assert_eq!(as_names(&back), as_names(&s.plan));

    let mut json_out = Vec::new();
    write_metrics_json(&mut json_out, &loaded.metrics).expect("json");
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&json_out).expect("parse"),
        s.metrics
    );

    let geo: serde_json::Value = serde_json::from_str(&wb.scenario_geojson("opt").expect("geojson")).expect("json");
    let territories: Vec<&str> = geo["features"]
        .as_array()
        .expect("features")
        .iter()
        .map(|f| f["properties"]["territory"].as_str().expect("territory"))
        .collect();
    assert_eq!(territories, vec!["South, East", "North", "South, East", "North"]);
}

/// Damage inside a valid workbook (a flipped run of bytes on some page) gives an error, never a panic.
#[test]
fn damaged_pages_give_errors_not_panics() {
    let (dir, path) = temp();
    drop(Workbook::create(&path, &polygon_dataset()).expect("create"));
    let good = std::fs::read(&path).expect("bytes");
    let mut failures = 0;
    for (k, offset) in (100..good.len()).step_by(997).enumerate() {
        let mut bad = good.clone();
        for b in bad.iter_mut().skip(offset).take(64) {
            *b ^= 0xA5;
        }
        let p = dir.path().join(format!("damaged-{k}.tessera"));
        std::fs::write(&p, &bad).expect("write");
        let outcome = Workbook::open(&p).and_then(|wb| {
            wb.dataset()?;
            wb.scenarios()?;
            wb.scenario("current").map(|_| ())
        });
        if let Err(e) = outcome {
            failures += 1;
            assert!(e.to_string().contains(&format!("damaged-{k}.tessera")), "{e}");
        }
    }
    assert!(failures > 0, "no damage was noticed at all");
}

/// Timings at the scale of the largest dev instances (29,546 ZIP points; 3,107 county polygons). Run with
/// `cargo test -p tessera-workbook --release --test store scale -- --ignored --nocapture`.
#[test]
#[ignore = "timing run, not a check"]
fn scale_timings() {
    let grid = |n: usize| -> (Vec<String>, Vec<f64>, Vec<f64>) {
        let side = (n as f64).sqrt().ceil() as usize;
        let ids = (0..n).map(|i| format!("{i:05}")).collect();
        let lon = (0..n)
            .map(|i| -120.0 + 50.0 * (i % side) as f64 / side as f64)
            .collect();
        let lat = (0..n).map(|i| 25.0 + 24.0 * (i / side) as f64 / side as f64).collect();
        (ids, lon, lat)
    };
    let edges = |n: usize| -> Vec<(u32, u32)> {
        (0..n as u32)
            .flat_map(|i| [(i, (i + 1) % n as u32), (i, (i + 173) % n as u32)])
            .collect()
    };
    for (n, polygons) in [(29_546usize, false), (3_107, true)] {
        let (ids, lon, lat) = grid(n);
        let measures = (0..3)
            .map(|m| Measure {
                name: format!("m{m}"),
                values: (0..n).map(|i| (i * (m + 1)) as f64).collect(),
            })
            .collect();
        let polys = polygons.then(|| {
            (0..n)
                .map(|i| {
                    let ring: Vec<(f64, f64)> = (0..200)
                        .map(|k| {
                            let a = k as f64 / 200.0 * std::f64::consts::TAU;
                            (lon[i] + 0.1 * a.cos(), lat[i] + 0.1 * a.sin())
                        })
                        .collect();
                    MultiPolygon(vec![Polygon::new(LineString::from(ring), vec![])])
                })
                .collect()
        });
        let ds = Dataset {
            units: Units::new(ids.clone(), lon, lat, measures).expect("units"),
            adjacency: Adjacency::from_edges(n, &edges(n)),
            adjacency_source: AdjacencySource::Delaunay,
            bridged: vec![],
            polygons: polys,
            reps: vec![],
            current: Some(Plan::new(
                (0..n as u32).map(|i| i % 50).collect(),
                (0..50).map(|t| format!("T{t}")).collect(),
            )),
        };
        let (_dir, path) = temp();
        let t = Instant::now();
        let mut wb = Workbook::create(&path, &ds).expect("create");
        let create = t.elapsed();
        let t = Instant::now();
        wb.save_scenario(&Scenario::new("opt", ds.current.clone().expect("plan")))
            .expect("save");
        let save = t.elapsed();
        let t = Instant::now();
        for k in 0..20 {
            let unit = &ids[k * 7];
            let before = format!("T{}", (k * 7) % 50);
            wb.record_edit("opt", &Edit::single(unit.as_str(), before.as_str(), "T0"))
                .expect("edit");
        }
        let edits = t.elapsed() / 20;
        drop(wb);
        let t = Instant::now();
        let wb = Workbook::open(&path).expect("open");
        let back = wb.dataset().expect("read");
        let read = t.elapsed();
        assert_eq!(back, ds);
        let t = Instant::now();
        let geo = wb.units_geojson().expect("geojson");
        let geojson = t.elapsed();
        let size = std::fs::metadata(&path).expect("stat").len();
        println!(
            "{n} units, polygons {polygons}: create {create:?}, save scenario {save:?}, edit {edits:?}, open+read \
             {read:?}, geojson {geojson:?} ({} bytes), file {size} bytes",
            geo.len()
        );
    }
}

/// Interoperability both ways with GDAL: `ogr2ogr` reads Tessera's GeoJSON and writes its own GeoPackage;
/// Tessera's geometry decoder reads GDAL's blobs back to exactly the polygons we started from.
#[test]
fn gdal_reads_our_geojson_and_we_read_gdal_geometry_blobs() {
    use tessera_workbook::store::gpkg_geometry::{decode, Geometry};
    let (dir, path) = temp();
    let ds = polygon_dataset();
    let wb = Workbook::create(&path, &ds).expect("create");
    let geojson = dir.path().join("units.geojson");
    std::fs::write(&geojson, wb.units_geojson().expect("geojson")).expect("write");
    let out = dir.path().join("gdal.gpkg");
    let status = Command::new("ogr2ogr")
        .args(["-f", "GPKG", "-nlt", "MULTIPOLYGON", "-nln", "from_gdal"])
        .arg(&out)
        .arg(&geojson)
        .status()
        .unwrap_or_else(|e| panic!("could not run ogr2ogr ({e}); install GDAL's tools: apt-get install -y gdal-bin"));
    assert!(status.success());
    let c = Connection::open(&out).expect("open GDAL's file");
    let mut st = c
        .prepare("SELECT id, geom FROM from_gdal ORDER BY fid")
        .expect("prepare");
    let rows: Vec<(String, Vec<u8>)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(rows.len(), 4);
    for (i, (id, blob)) in rows.iter().enumerate() {
        assert_eq!(id, &ds.units.ids()[i]);
        let (geom, srs) = decode(blob).unwrap_or_else(|e| panic!("GDAL blob of {id}: {e}"));
        assert_eq!(srs, 4326);
        let polygons = ds.polygons.as_ref().expect("polygons");
        assert_eq!(geom, Geometry::MultiPolygon(polygons[i].clone()), "unit {id}");
    }
}

/// The units layer has the GeoPackage spatial index (R-tree triggers calling ST_IsEmpty, ST_MinX, ...):
/// GDAL sees and uses it, and Tessera still writes the current alignment into the layer.
#[test]
fn the_spatial_index_is_used_by_gdal_and_does_not_block_tessera_writes() {
    let (_dir, path) = temp();
    drop(Workbook::create(&path, &polygon_dataset()).expect("create"));
    let p = path.to_str().expect("utf-8 path");
    let has = ogrinfo(&["-ro", p, "-sql", "SELECT HasSpatialIndex('units', 'geom')"]);
    assert!(has.contains("HasSpatialIndex (Integer) = 1"), "{has}");
    let mut wb = Workbook::open(&path).expect("open");
    wb.record_edit("current", &Edit::single("Zürich", "East", "West"))
        .expect("edit with GDAL's triggers present");
    wb.save_scenario(&Scenario::new("current", plan(vec![0, 1, 1, 1], &["West", "East"])))
        .expect("save current");
    assert_eq!(wb.dataset().expect("read").units, polygon_dataset().units);
    drop(wb);
    assert_eq!(wb_integrity(&path), "ok");
    // A spatial filter (answered from the R-tree) finds the unit at the south-west corner only.
    let hits = ogrinfo(&["-ro", p, "units", "-spat", "-84.4", "33.6", "-84.3", "33.7"]);
    assert!(
        hits.contains("Feature Count: 1") && hits.contains("id (String) = 01234"),
        "{hits}"
    );
    let after = ogrinfo(&["-ro", p, "units", "-where", "id = 'a,b'"]);
    assert!(after.contains("territory (String) = East"), "{after}");
}

/// "Save as" from a read-only workbook (the bundled sample): a complete, writable copy with its history.
#[test]
fn save_copy_of_a_read_only_workbook_is_complete_and_writable() {
    let (dir, path) = temp();
    let mut wb = Workbook::create(&path, &polygon_dataset()).expect("create");
    wb.record_edit("current", &Edit::single("Zürich", "East", "West"))
        .expect("edit");
    drop(wb);
    let ro = Workbook::open_read_only(&path).expect("read-only");
    let copy = dir.path().join("mine.tessera");
    ro.save_copy(&copy, false).expect("copy");
    assert!(matches!(ro.save_copy(&copy, false), Err(WorkbookError::Exists { .. })));
    assert!(
        matches!(ro.save_copy(&path, true), Err(WorkbookError::Exists { .. })),
        "never onto itself"
    );
    let mut mine = Workbook::open(&copy).expect("open copy");
    assert!(mine.read_only_reason().is_none());
    assert_eq!(mine.dataset().expect("read"), ro.dataset().expect("read"));
    assert_eq!(
        mine.undo("current").expect("history came along"),
        Some(Edit::single("Zürich", "East", "West"))
    );
    assert_eq!(mine.dataset().expect("read"), polygon_dataset());
    drop(mine);
    let c = Connection::open(&copy).expect("raw");
    let app_id: i32 = c.query_row("PRAGMA application_id", [], |r| r.get(0)).expect("app id");
    assert_eq!(app_id, APPLICATION_ID);
    let summary = ogrinfo(&["-ro", "-so", copy.to_str().expect("utf-8"), "units"]);
    assert!(summary.contains("Feature Count: 4"), "{summary}");
}

#[test]
fn the_imported_alignment_has_figures_and_an_old_workbook_gets_them_when_opened() {
    let (_dir, path) = temp();
    let mut ds = point_dataset();
    ds.current = Some(plan(vec![0, 0, 1, 1, 1], &["North", "South"]));
    drop(Workbook::create(&path, &ds).expect("create"));
    let wb = Workbook::open_read_only(&path).expect("open");
    let current = wb.scenario("current").expect("current");
    // accounts 3+1 = 4 in North, 4+1+5 = 10 in South: target 7, max deviation 3/7.
    let max_dev = current.metrics["max_dev"].as_f64().expect("figures at import");
    assert!((max_dev - 3.0 / 7.0).abs() < 1e-12, "{max_dev}");
    assert_eq!(current.metrics["measure"], "accounts");
    assert!(current.metrics["travel"].as_f64().expect("travel") > 0.0);
    drop(wb);

    // A workbook written before schema 3 stored the alignment without figures: opening it computes them.
    let conn = Connection::open(&path).expect("sqlite");
    conn.execute_batch(
        "UPDATE tessera_scenarios SET metrics = 'null';
         UPDATE tessera_meta SET value = '2' WHERE key = 'schema_version';",
    )
    .expect("make it old");
    drop(conn);
    let wb = Workbook::open(&path).expect("open migrates");
    let listed = wb.scenarios().expect("list");
    assert_eq!(listed[0].name, "current");
    let migrated = listed[0].metrics["max_dev"].as_f64().expect("figures after migration");
    assert!((migrated - max_dev).abs() < 1e-12);
    assert_eq!(
        wb.meta("schema_version").expect("meta").as_deref(),
        Some(SCHEMA_VERSION.to_string().as_str())
    );
}

#[test]
fn an_edit_drops_the_stored_figures_and_they_are_computed_when_read() {
    let (_dir, path) = temp();
    let mut ds = point_dataset();
    ds.current = Some(plan(vec![0, 0, 1, 1, 1], &["North", "South"]));
    let mut wb = Workbook::create(&path, &ds).expect("create");
    let before = wb.scenario("current").expect("current").metrics;
    assert!((before["max_dev"].as_f64().expect("stored") - 3.0 / 7.0).abs() < 1e-12);
    // p2 (accounts 4) moves to North: 8 and 6, target 7, max deviation 1/7.
    wb.record_edit("current", &Edit::single("p2", "South", "North"))
        .expect("edit");
    let edited = wb.scenario("current").expect("current");
    assert!(edited.metrics.is_null(), "the old figures no longer describe the plan");
    let now = wb.figures(&edited).expect("figures");
    assert!(
        (now["max_dev"].as_f64().expect("computed") - 1.0 / 7.0).abs() < 1e-12,
        "{now}"
    );
}

/// The names in `dir`, sorted.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_staged_workbook_appears_only_when_published_and_dropping_it_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("new.tessera");
    let ds = polygon_dataset();

    // Built and written to, then dropped (a Cancel): nothing at the target, no staging folder left.
    let mut staged = Workbook::create_staged(&target, &ds).unwrap();
    staged.workbook().set_balance_measure(Some("workload")).unwrap();
    assert!(!target.exists(), "nothing at the target before publishing");
    let beside = names_in(dir.path());
    assert_eq!(beside.len(), 2, "{beside:?}");
    assert!(
        beside[0].starts_with(".tessera-new-"),
        "a hidden staging folder: {beside:?}"
    );
    assert_eq!(beside[1], "new.tessera-lock", "the target's owner lock, held meanwhile");
    drop(staged);
    assert!(names_in(dir.path()).is_empty(), "{:?}", names_in(dir.path()));

    // Published: the workbook with what was written to it while staged, and nothing else.
    let mut staged = Workbook::create_staged(&target, &ds).unwrap();
    staged.workbook().set_balance_measure(Some("workload")).unwrap();
    assert_eq!(staged.publish(false).unwrap(), target);
    assert_eq!(names_in(dir.path()), ["new.tessera"]);
    let wb = Workbook::open_read_only(&target).unwrap();
    assert_eq!(wb.balance_measure().unwrap().as_deref(), Some("workload"));
    assert_eq!(wb.dataset().unwrap(), ds);
}

#[test]
fn publishing_replaces_an_existing_file_only_when_told_to() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("old.tessera");
    std::fs::write(&target, b"the planner's old file").unwrap();
    let ds = polygon_dataset();

    let err = Workbook::create_staged(&target, &ds)
        .unwrap()
        .publish(false)
        .unwrap_err();
    assert!(matches!(err, WorkbookError::Exists { .. }), "{err}");
    assert_eq!(std::fs::read(&target).unwrap(), b"the planner's old file");
    assert_eq!(
        names_in(dir.path()),
        ["old.tessera"],
        "the staged workbook is discarded"
    );

    Workbook::create_staged(&target, &ds).unwrap().publish(true).unwrap();
    assert_eq!(Workbook::open_read_only(&target).unwrap().dataset().unwrap(), ds);
    assert_eq!(names_in(dir.path()), ["old.tessera"]);

    // A workbook open for writing (here or in another process) is never replaced under its owner's feet.
    let open = Workbook::open(&target).unwrap();
    let err = Workbook::create_staged(&target, &ds).unwrap_err();
    assert!(matches!(err, WorkbookError::Locked { .. }), "{err}");
    drop(open);
}
